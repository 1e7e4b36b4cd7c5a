//! Two priced months side by side.

use ladderwise_model::units::Usd;
use ladderwise_model::{Estimate, Service};

/// Two scenarios' monthly cost, service by service, and the difference (B − A).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub services: Vec<ServiceDelta>,
    pub total_a: Usd,
    pub total_b: Usd,
    /// Both totals include every line (neither has unpriced lines).
    pub complete: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDelta {
    pub service: Service,
    pub a: Usd,
    pub b: Usd,
}

impl ServiceDelta {
    pub fn difference(&self) -> Usd {
        Usd(self.b.0 - self.a.0)
    }
}

pub fn compare(a: &Estimate, b: &Estimate) -> Comparison {
    let mut services = a.services();
    services.extend(b.services());
    services.sort();
    services.dedup();
    Comparison {
        services: services
            .into_iter()
            .map(|service| ServiceDelta {
                service,
                a: a.service_total(service),
                b: b.service_total(service),
            })
            .collect(),
        total_a: a.total,
        total_b: b.total,
        complete: a.complete && b.complete,
    }
}
