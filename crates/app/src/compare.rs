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
    /// Over the service's priced lines: a lower bound when the side is not complete.
    pub a: Usd,
    pub b: Usd,
    pub a_complete: bool,
    pub b_complete: bool,
}

impl ServiceDelta {
    /// B − A, exactly; `None` when a side leaves unpriced lines out (a price missing in B
    /// would read as a saving).
    pub fn difference(&self) -> Option<Usd> {
        (self.a_complete && self.b_complete).then(|| self.b - self.a)
    }

    /// [`ServiceDelta::difference`] of the amounts as printed, to the cent.
    pub fn printed_difference(&self) -> Option<Usd> {
        (self.a_complete && self.b_complete).then(|| self.b.printed_minus(self.a))
    }
}

impl Comparison {
    /// B − A of the totals as printed; `None` when a side leaves unpriced lines out.
    pub fn printed_difference(&self) -> Option<Usd> {
        self.complete
            .then(|| self.total_b.printed_minus(self.total_a))
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
                a_complete: !a.service_unpriced(service),
                b_complete: !b.service_unpriced(service),
            })
            .collect(),
        total_a: a.total,
        total_b: b.total,
        complete: a.complete && b.complete,
    }
}
