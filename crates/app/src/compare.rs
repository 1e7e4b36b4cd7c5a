//! Two priced months side by side: each service's and each stage's amount in A and in B. The
//! desktop's compare view, the price diff and the CLI's `compare` all read their rows here.

use ladderwise_model::units::Usd;
use ladderwise_model::{Estimate, Stage};
use serde::Serialize;

/// One amount in A and in B (a service, a stage), each over its priced lines.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delta {
    pub name: String,
    /// Over the priced lines: a lower bound when `a_complete` is false.
    pub a: Usd,
    pub b: Usd,
    /// Every line of it priced in A; otherwise `a` is a lower bound.
    pub a_complete: bool,
    pub b_complete: bool,
}

impl Delta {
    /// B − A, exactly; `None` when either side leaves unpriced lines out (the difference of
    /// two lower bounds says nothing: a cost unknown in B would read as a saving).
    pub fn difference(&self) -> Option<Usd> {
        (self.a_complete && self.b_complete).then(|| self.b - self.a)
    }

    /// [`Delta::difference`] of the amounts as printed, to the cent.
    pub fn printed_difference(&self) -> Option<Usd> {
        (self.a_complete && self.b_complete).then(|| self.b.printed_minus(self.a))
    }
}

/// Each service either estimate bills, in bill order.
pub fn by_service(a: &Estimate, b: &Estimate) -> Vec<Delta> {
    let mut services = a.services();
    services.extend(b.services());
    services.sort();
    services.dedup();
    services
        .into_iter()
        .map(|s| Delta {
            name: s.name().to_string(),
            a: a.service_total(s),
            b: b.service_total(s),
            a_complete: !a.service_unpriced(s),
            b_complete: !b.service_unpriced(s),
        })
        .collect()
}

/// Each stage either estimate has a line in, in the pipeline's order.
pub fn by_stage(a: &Estimate, b: &Estimate) -> Vec<Delta> {
    Stage::ALL
        .into_iter()
        .filter(|st| a.lines.iter().chain(&b.lines).any(|l| l.stage == *st))
        .map(|st| Delta {
            name: st.label().to_string(),
            a: a.stage_total(st),
            b: b.stage_total(st),
            a_complete: !a.stage_unpriced(st),
            b_complete: !b.stage_unpriced(st),
        })
        .collect()
}

/// Two scenarios' monthly cost, service by service, and the difference (B − A).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub services: Vec<Delta>,
    pub total_a: Usd,
    pub total_b: Usd,
    /// A's total includes every line (A has no unpriced line); `b_complete` for B.
    pub a_complete: bool,
    pub b_complete: bool,
    /// Both totals include every line (neither has unpriced lines).
    pub complete: bool,
}

impl Comparison {
    /// B − A of the totals as printed; `None` when a side leaves unpriced lines out.
    pub fn printed_difference(&self) -> Option<Usd> {
        self.complete
            .then(|| self.total_b.printed_minus(self.total_a))
    }
}

pub fn compare(a: &Estimate, b: &Estimate) -> Comparison {
    Comparison {
        services: by_service(a, b),
        total_a: a.total,
        total_b: b.total,
        a_complete: a.complete,
        b_complete: b.complete,
        complete: a.complete && b.complete,
    }
}
