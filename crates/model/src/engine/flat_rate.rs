//! CloudFront flat-rate plans: one monthly price per distribution, with a data-transfer and a
//! request allowance and no overage charges — past an allowance AWS may throttle or ask for a
//! higher plan (CloudFront Developer Guide, "Flat-rate pricing plans"). The plans are not in
//! the Price List; they come with the snapshot, each with its provenance.
//!
//! For HLS and DASH the request allowance usually binds first: one 6 s segment at 3 Mb/s is
//! 2.25 MB, so 10,000,000 requests carry about 22.5 TB. Requests are counted as pay-as-you-go
//! counts them: a segment per segment time of each track, and the playlists.

use rust_decimal::Decimal;

use crate::pricebook::{FlatRatePlan, PriceBook};
use crate::scenario::PlanChoice;
use crate::units::{Usd, format_quantity};

/// The plan a scenario is on, and how its month fits the plan's allowances.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanFit<'a> {
    pub plan: &'a FlatRatePlan,
    /// The month's data transfer, GB, and requests.
    pub gb: Decimal,
    pub requests: Decimal,
    /// The cheapest plan whose allowances both hold the month, when one does.
    pub cheapest_fit: Option<&'a FlatRatePlan>,
}

impl PlanFit<'_> {
    pub fn fits(&self) -> bool {
        fits(self.plan, self.gb, self.requests)
    }

    /// Why the month does not fit the plan, and what to do, for a warning.
    pub fn overage_warning(&self) -> Option<String> {
        if self.fits() {
            return None;
        }
        let p = self.plan;
        let mut over = Vec::new();
        if self.gb > p.data_transfer_gb {
            over.push(format!(
                "{} GB of data transfer ({} % of its {} GB)",
                format_quantity(self.gb, 0),
                percent(self.gb, p.data_transfer_gb),
                format_quantity(p.data_transfer_gb, 0)
            ));
        }
        if self.requests > p.requests {
            over.push(format!(
                "{} requests ({} % of its {})",
                format_quantity(self.requests, 0),
                percent(self.requests, p.requests),
                format_quantity(p.requests, 0)
            ));
        }
        let next = match self.cheapest_fit {
            Some(n) => format!(
                "the {} plan ({} a month) fits",
                n.name,
                Usd(n.usd_per_month)
            ),
            None => "no flat-rate plan fits: pay-as-you-go has no ceiling".to_string(),
        };
        Some(format!(
            "this month needs {} on the CloudFront flat-rate {} plan, which charges no overage: past an allowance AWS may throttle the distribution or ask for a higher plan; {next}",
            over.join(" and "),
            p.name
        ))
    }
}

fn percent(part: Decimal, of: Decimal) -> String {
    if of.is_zero() {
        return "∞".into();
    }
    format_quantity(part / of * Decimal::ONE_HUNDRED, 0)
}

/// Whether a month of `gb` and `requests` stays inside a plan's allowances.
pub fn fits(plan: &FlatRatePlan, gb: Decimal, requests: Decimal) -> bool {
    gb <= plan.data_transfer_gb && requests <= plan.requests
}

/// The plans, cheapest first.
pub fn by_price(book: &PriceBook) -> Vec<&FlatRatePlan> {
    let mut plans: Vec<&FlatRatePlan> = book
        .flat_rate_plans
        .as_ref()
        .map(|p| p.plans.iter().collect())
        .unwrap_or_default();
    plans.sort_by(|a, b| {
        a.usd_per_month
            .cmp(&b.usd_per_month)
            .then(a.level.cmp(&b.level))
    });
    plans
}

/// The plan a choice names, or for `auto` the cheapest whose data-transfer and request
/// allowances both hold the month (the largest when none does). `Err` says why there is none:
/// the snapshot has no plans, or not this one.
pub fn choose<'a>(
    choice: PlanChoice,
    book: &'a PriceBook,
    gb: Decimal,
    requests: Decimal,
) -> Result<PlanFit<'a>, String> {
    let plans = by_price(book);
    if plans.is_empty() {
        return Err(format!(
            "snapshot {} has no CloudFront flat-rate plans",
            book.snapshot.id
        ));
    }
    let cheapest_fit = plans.iter().copied().find(|p| fits(p, gb, requests));
    let plan = match choice {
        PlanChoice::Auto => match cheapest_fit {
            Some(p) => p,
            None => plans[plans.len() - 1],
        },
        named => book.flat_rate_plan(named.name()).ok_or_else(|| {
            format!(
                "snapshot {} has no CloudFront flat-rate plan `{}`",
                book.snapshot.id,
                named.name()
            )
        })?,
    };
    Ok(PlanFit {
        plan,
        gb,
        requests,
        cheapest_fit,
    })
}
