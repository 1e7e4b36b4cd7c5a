//! Walking a quantity through tiered prices.
//!
//! AWS prices most usage on graduated tiers: the first 10 TB of a month at one rate, the next
//! 40 TB at a lower one, and so on (CloudFront pricing, "Data Transfer Out to Internet";
//! Price List `beginRange`/`endRange`). Each unit is priced by the tier it falls in, so the
//! cost of a quantity is the sum over tiers of the part of the quantity inside each tier.

use rust_decimal::Decimal;

use crate::forecast::num::Num;
use serde::Serialize;

use std::sync::{Arc, LazyLock};

use crate::pricebook::PriceTier;
use crate::units::Usd;

/// The part of a quantity that fell into one tier, and what it costs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierCharge {
    /// `free tier` for an allowance; otherwise the Price List's description of the tier,
    /// shared with the price record.
    #[serde(serialize_with = "crate::pricebook::shared")]
    pub label: Arc<str>,
    pub begin: Decimal,
    pub end: Option<Decimal>,
    pub quantity: Decimal,
    pub usd_per_unit: Decimal,
    pub cost: Usd,
}

/// A tier's range for people: `0–10,240`, `over 10,240`, or `from the first unit`.
pub fn range_text(begin: Decimal, end: Option<Decimal>) -> String {
    use crate::units::format_quantity;
    match end {
        Some(end) => format!("{}–{}", format_quantity(begin, 3), format_quantity(end, 3)),
        None if begin.is_zero() => "from the first unit".to_string(),
        None => format!("over {}", format_quantity(begin, 3)),
    }
}

impl TierCharge {
    /// `quantity` units priced at `tier`'s rate.
    fn of(tier: &PriceTier, quantity: Decimal) -> Self {
        TierCharge {
            label: Arc::clone(&tier.description),
            begin: tier.begin,
            end: tier.end,
            quantity,
            usd_per_unit: tier.usd_per_unit,
            cost: Usd(quantity * tier.usd_per_unit),
        }
    }

    pub fn range_text(&self) -> String {
        range_text(self.begin, self.end)
    }

    /// Whether this part of the quantity was taken off before the tiers: the free tier, or a
    /// flat-rate plan's credit. Its label says which.
    pub fn is_free_tier(&self) -> bool {
        *self.label == *FREE_TIER || *self.label == *PLAN_CREDIT
    }
}

/// The label of the S3 Standard storage a CloudFront flat-rate plan credits.
pub const PLAN_CREDIT: &str = "flat-rate plan credit";

/// The label of the part of a quantity a free allowance covers.
pub const FREE_TIER: &str = "free tier";

/// What a quantity taken off before the tiers is: the free tier, or a flat-rate plan's
/// credit. Its label is made once and shared by every line that has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowance {
    FreeTier,
    PlanCredit,
}

impl Allowance {
    /// The label of the tier this part of the quantity is shown as.
    pub fn label(self) -> Arc<str> {
        static FREE: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(FREE_TIER));
        static CREDIT: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(PLAN_CREDIT));
        match self {
            Allowance::FreeTier => Arc::clone(&FREE),
            Allowance::PlanCredit => Arc::clone(&CREDIT),
        }
    }
}

/// Splits `quantity` over `tiers` (sorted, contiguous from zero). Returns the charges of the
/// tiers the quantity reaches and the part of the quantity beyond the last tier's end, which
/// no price covers. A negative quantity is treated as zero.
pub fn walk(tiers: &[PriceTier], quantity: Decimal) -> (Vec<TierCharge>, Decimal) {
    walk_from(tiers, Decimal::ZERO, quantity)
}

/// Splits `quantity` over `tiers` when `start` units of the same pool are billed already (other
/// workloads' minutes in the pool, counted first): each unit is priced by the tier its place
/// in the pool falls in, so the charges are those of `start + quantity` less those of `start`.
/// `start = 0` is [`walk`].
pub fn walk_from(
    tiers: &[PriceTier],
    start: Decimal,
    quantity: Decimal,
) -> (Vec<TierCharge>, Decimal) {
    let mut charges = Vec::new();
    let uncovered = span_parts(
        tiers.iter().map(|t| (t.begin, t.end)),
        start,
        quantity,
        |i, part| charges.push(TierCharge::of(&tiers[i], part)),
    );
    let start = start.max(Decimal::ZERO);
    if charges.is_empty()
        && let Some(t) = tiers.iter().rev().find(|t| t.begin <= start)
    {
        // Nothing of this workload: show the band the pool is in, with nothing in it.
        charges.push(TierCharge::of(t, Decimal::ZERO));
    }
    (charges, uncovered)
}

/// The walk itself, in any number type (the forecast's Monte Carlo prices in `f64` through
/// it): calls `part(i, q)` for each tier `i` (given by `(begin, end)`, sorted) that holds `q`
/// units of `[start, start + quantity)`, and returns the units past the last tier.
pub fn span_parts<N: Num>(
    bounds: impl Iterator<Item = (N, Option<N>)>,
    start: N,
    quantity: N,
    mut part: impl FnMut(usize, N),
) -> N {
    let start = start.at_least_zero();
    let quantity = quantity.at_least_zero();
    // Each tier is placed relative to `start`, never `start + quantity`: a quantity with
    // every digit a decimal holds does not survive that sum (it rounds), and the rounding
    // would show as units past an open last tier.
    let mut covered = N::zero();
    for (i, (begin, tier_end)) in bounds.enumerate() {
        let lo = (begin - start).at_least_zero();
        if lo >= quantity {
            break;
        }
        let hi = tier_end.map_or(quantity, |e| (e - start).at_most(quantity));
        let p = (hi - lo).at_least_zero();
        if p.is_zero() {
            continue;
        }
        covered = covered + p;
        part(i, p);
    }
    quantity - covered
}

/// What `quantity` costs on tiers `(begin, end, price per unit)` after `start` units of the
/// pool, and the units past the last tier.
pub fn cost<N: Num>(tiers: &[(N, Option<N>, N)], start: N, quantity: N) -> (N, N) {
    let mut total = N::zero();
    let uncovered = span_parts(
        tiers.iter().map(|(b, e, _)| (*b, *e)),
        start,
        quantity,
        |i, q| total = total + q * tiers[i].2,
    );
    (total, uncovered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;
    use proptest::prelude::*;

    /// CloudFront US tiers (GB): 10,240 / 51,200 / 153,600 / 512,000 / 1,048,576 / 5,242,880.
    fn cloudfront_us() -> Vec<PriceTier> {
        let bounds = [
            ("0", Some("10240"), "0.085"),
            ("10240", Some("51200"), "0.080"),
            ("51200", Some("153600"), "0.060"),
            ("153600", Some("512000"), "0.040"),
            ("512000", Some("1048576"), "0.030"),
            ("1048576", Some("5242880"), "0.025"),
            ("5242880", None, "0.020"),
        ];
        bounds
            .iter()
            .map(|(b, e, p)| PriceTier {
                begin: d(b),
                end: e.map(d),
                usd_per_unit: d(p),
                description: "".into(),
            })
            .collect()
    }

    fn check(quantity: &str, expected_cost: &str, expected_tiers: usize) {
        let (charges, uncovered) = walk(&cloudfront_us(), d(quantity));
        let cost: Usd = charges.iter().map(|c| c.cost).sum();
        assert_eq!(cost, Usd(d(expected_cost)), "cost of {quantity} GB");
        assert_eq!(
            charges.len(),
            expected_tiers,
            "tiers reached by {quantity} GB"
        );
        assert_eq!(uncovered, Decimal::ZERO);
    }

    #[test]
    fn walks_cloudfront_us_tiers_by_hand() {
        // 0 GB reaches the first tier with nothing in it.
        check("0", "0", 1);
        // 1,000 GB * 0.085 = 85.
        check("1000", "85.000", 1);
        // 10,240 * 0.085 = 870.40; 20,000 - 10,240 = 9,760 * 0.080 = 780.80; total 1,651.20.
        check("20000", "1651.200", 2);
        // 870.40 + 40,960*0.08 (3,276.80) + 102,400*0.06 (6,144) + 100,000*0.04 (4,000) = 14,291.20
        check("253600", "14291.200", 4);
    }

    #[test]
    fn quantity_beyond_a_closed_last_tier_is_uncovered() {
        let free = vec![PriceTier {
            begin: d("0"),
            end: Some(d("20")),
            usd_per_unit: d("0"),
            description: "".into(),
        }];
        let (charges, uncovered) = walk(&free, d("25.5"));
        assert_eq!(charges[0].quantity, d("20"));
        assert_eq!(uncovered, d("5.5"));
    }

    #[test]
    fn a_pooled_start_moves_the_quantity_into_later_tiers() {
        // Another workload used 5,000 GB: 10,000 more fill the first tier to 10,240 (5,240
        // at $0.085 = $445.40) and 4,760 of the next at $0.080 ($380.80).
        let (charges, uncovered) = walk_from(&cloudfront_us(), d("5000"), d("10000"));
        let cost: Usd = charges.iter().map(|c| c.cost).sum();
        assert_eq!(cost, Usd(d("826.200")));
        assert_eq!(charges[0].quantity, d("5240"));
        assert_eq!(uncovered, Decimal::ZERO);
    }

    /// A quantity with all 28–29 significant digits a decimal holds (a normalized-minute
    /// total after the reserved slots' share), after a pool: `start + quantity` does not fit
    /// and rounds, so measuring the parts against it left a residue of 10^-21 "beyond" an
    /// open last tier and the line went unpriced, its cost out of the total.
    #[test]
    fn a_full_precision_quantity_after_a_pool_is_wholly_priced() {
        let quantity = d("74122834.250234301780693533269");
        let professional = [
            ("0", Some("50000"), "0.012"),
            ("50000", Some("1000000"), "0.0096"),
            ("1000000", None, "0.0072"),
        ]
        .map(|(b, e, p)| PriceTier {
            begin: d(b),
            end: e.map(d),
            usd_per_unit: d(p),
            description: "".into(),
        });
        let (charges, uncovered) = walk_from(&professional, d("5340000"), quantity);
        assert_eq!(uncovered, Decimal::ZERO);
        assert_eq!(charges.len(), 1);
        assert_eq!(charges[0].quantity, quantity);
    }

    proptest! {
        #[test]
        fn pooled_charges_are_the_difference_of_two_walks(start in 0u64..2_000_000u64, q in 0u64..2_000_000u64) {
            let cost = |c: &[TierCharge]| -> Usd { c.iter().map(|t| t.cost).sum() };
            let (from, _) = walk_from(&cloudfront_us(), Decimal::from(start), Decimal::from(q));
            let (all, _) = walk(&cloudfront_us(), Decimal::from(start + q));
            let (before, _) = walk(&cloudfront_us(), Decimal::from(start));
            prop_assert_eq!(cost(&from), Usd(cost(&all).0 - cost(&before).0));
        }

        #[test]
        fn tiers_partition_the_quantity(q in 0u64..20_000_000u64, frac in 0u32..1000) {
            let q = Decimal::from(q) + Decimal::new(i64::from(frac), 3);
            let (charges, uncovered) = walk(&cloudfront_us(), q);
            let sum: Decimal = charges.iter().map(|c| c.quantity).sum();
            prop_assert_eq!(sum + uncovered, q);
            prop_assert_eq!(uncovered, Decimal::ZERO);
            for c in &charges {
                prop_assert!(c.quantity >= Decimal::ZERO);
                if let Some(end) = c.end { prop_assert!(c.quantity <= end - c.begin); }
            }
        }

        #[test]
        fn cost_never_falls_when_usage_rises(a in 0u64..10_000_000u64, extra in 0u64..1_000_000u64) {
            let cost = |q: u64| -> Usd { walk(&cloudfront_us(), Decimal::from(q)).0.iter().map(|c| c.cost).sum() };
            prop_assert!(cost(a + extra) >= cost(a));
        }
    }
}
