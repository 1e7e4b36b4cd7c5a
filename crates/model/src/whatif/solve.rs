//! The value of one field at which a cost meets a target: the field's range is sampled, the
//! samples say whether the cost is monotone there, and every crossing of the target between
//! two samples is narrowed by bisection to the field's precision.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::engine::{Estimate, estimate};
use crate::pricebook::PriceBook;
use crate::scenario::Scenario;
use crate::scenario::fields::{Field, Unit};
use crate::scenario::path::FieldPath;
use crate::sweep::{SweepError, varied_fields, with_path};
use crate::units::Usd;

/// Evenly spaced samples over the range (more are added at [`DECADE`] × 10ᵏ, so that a range
/// of many orders of magnitude is sampled at every scale, and around the scenario's own
/// value at [`AROUND`] times it).
pub const LINEAR_SAMPLES: u32 = 64;

/// The values sampled in every power of ten: a cost that dips below the target between 10,000
/// and 20,000 (a younger library moving less to Glacier as uploads grow) is seen at 12,500,
/// 15,000 and 17,500.
const DECADE: [(i64, u32); 12] = [
    (1, 0),
    (125, 2),
    (15, 1),
    (2, 0),
    (25, 1),
    (3, 0),
    (4, 0),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
];

/// Multiples of the scenario's own value sampled too, where an answer is most likely wanted.
const AROUND: [(i64, u32); 16] = [
    (5, 1),
    (6, 1),
    (7, 1),
    (8, 1),
    (85, 2),
    (9, 1),
    (95, 2),
    (98, 2),
    (102, 2),
    (105, 2),
    (11, 1),
    (115, 2),
    (12, 1),
    (13, 1),
    (15, 1),
    (2, 0),
];

/// A range of values on a grid of `decimals` places.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Range {
    pub low: Decimal,
    pub high: Decimal,
    pub decimals: u32,
}

impl Range {
    /// The grid step: `10^-decimals`.
    pub fn step(&self) -> Decimal {
        Decimal::new(1, self.decimals)
    }

    /// `v` on the grid, inside the range.
    fn snap(&self, v: Decimal) -> Decimal {
        v.round_dp(self.decimals).clamp(self.low, self.high)
    }
}

/// The decimal places a solved value of `field` is given to: whole numbers for counts,
/// pixels and bitrates, 4 places for fractions, 2 otherwise.
pub fn decimals(field: &Field) -> u32 {
    match (field.rule(), field.unit) {
        (Some(rule), _) if rule.integer => 0,
        (_, Unit::Share | Unit::Percent) => 4,
        (_, Unit::Kbps | Unit::Pixels) => 0,
        _ => 2,
    }
}

/// The range a field's rule allows, on its grid: an exclusive minimum starts one step (or the
/// rule's floor) above it.
pub fn allowed_range(field: &Field) -> Option<Range> {
    let rule = field.rule()?;
    let decimals = decimals(field);
    let step = Decimal::new(1, decimals);
    let low = match (rule.min_exclusive, rule.floor) {
        (_, Some(floor)) => floor.max(rule.min),
        (true, None) => rule.min + step,
        (false, None) => rule.min,
    };
    let low = (low / step).ceil() * step;
    let high = (rule.max / step).floor() * step;
    (low <= high).then_some(Range {
        low,
        high,
        decimals,
    })
}

/// One value and the cost there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    pub value: Decimal,
    pub cost: Decimal,
}

/// How the cost moves as the value rises, over the samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    Rising,
    Falling,
    Flat,
    /// Rises somewhere and falls somewhere else: there may be several crossings.
    NotMonotone,
}

/// Where the cost crosses the target: `below` and `above` are neighbours on the grid, one
/// meeting the target and the other not.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Crossing {
    pub below: Point,
    pub above: Point,
    /// `true`: values from `above` upwards meet the target (up to the next crossing);
    /// `false`: values up to `below` do.
    pub meets_above: bool,
}

impl Crossing {
    /// The value next to the crossing that meets the target.
    pub fn meeting(&self) -> Point {
        if self.meets_above {
            self.above
        } else {
            self.below
        }
    }
}

/// What a solve found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Solution {
    pub range: Range,
    /// The cost must be at most this.
    pub target: Decimal,
    /// The sampled values, ascending, with their costs.
    pub samples: Vec<Point>,
    pub shape: Shape,
    pub crossings: Vec<Crossing>,
    /// The sample with the lowest cost.
    pub lowest: Point,
    /// Every sample meets the target.
    pub everywhere: bool,
}

impl Solution {
    /// No sampled value meets the target.
    pub fn nowhere(&self) -> bool {
        self.lowest.cost > self.target
    }
}

/// The values of `range` at which `cost(value) ≤ target` begins or stops to hold.
pub fn solve<E>(
    range: Range,
    also: &[Decimal],
    target: Decimal,
    mut cost: impl FnMut(Decimal) -> Result<Decimal, E>,
) -> Result<Solution, E> {
    let mut memo: HashMap<Decimal, Decimal> = HashMap::new();
    let mut at = |v: Decimal| -> Result<Decimal, E> {
        let v = v.normalize();
        if let Some(c) = memo.get(&v) {
            return Ok(*c);
        }
        let c = cost(v)?;
        memo.insert(v, c);
        Ok(c)
    };
    let values = sample_values(&range, also);
    let mut samples = Vec::with_capacity(values.len());
    for v in values {
        samples.push(Point {
            value: v,
            cost: at(v)?,
        });
    }
    let meets = |c: Decimal| c <= target;
    let mut crossings = Vec::new();
    for pair in samples.windows(2) {
        let (lo, hi) = (pair[0], pair[1]);
        if meets(lo.cost) == meets(hi.cost) {
            continue;
        }
        // Bisection on the grid: `lo` keeps the side of the lower sample.
        let (mut lo, mut hi) = (lo, hi);
        let step = range.step();
        while hi.value - lo.value > step {
            let half = ((hi.value - lo.value) / step / Decimal::TWO).floor() * step;
            let value = lo.value + half;
            let mid = Point {
                value,
                cost: at(value)?,
            };
            if meets(mid.cost) == meets(lo.cost) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        crossings.push(Crossing {
            below: lo,
            above: hi,
            meets_above: meets(hi.cost),
        });
    }
    let rises = samples.windows(2).any(|p| p[1].cost > p[0].cost);
    let falls = samples.windows(2).any(|p| p[1].cost < p[0].cost);
    let shape = match (rises, falls) {
        (true, true) => Shape::NotMonotone,
        (true, false) => Shape::Rising,
        (false, true) => Shape::Falling,
        (false, false) => Shape::Flat,
    };
    let lowest = samples
        .iter()
        .copied()
        .min_by(|a, b| a.cost.cmp(&b.cost))
        .unwrap_or(Point {
            value: range.low,
            cost: at(range.low)?,
        });
    let everywhere = samples.iter().all(|p| meets(p.cost));
    Ok(Solution {
        range,
        target,
        samples,
        shape,
        crossings,
        lowest,
        everywhere,
    })
}

/// The sampled values: evenly spaced, at 1, 2 and 5 × 10ᵏ inside the range, and `also`;
/// on the grid, ascending, each once.
fn sample_values(range: &Range, also: &[Decimal]) -> Vec<Decimal> {
    let mut out = Vec::new();
    let width = range.high - range.low;
    for i in 0..=LINEAR_SAMPLES {
        out.push(range.snap(range.low + width * Decimal::from(i) / Decimal::from(LINEAR_SAMPLES)));
    }
    for exponent in -(range.decimals as i32)..=13 {
        for (m, scale) in DECADE {
            let power = if exponent < 0 {
                Decimal::new(1, exponent.unsigned_abs())
            } else {
                Decimal::from(10i64.pow(exponent.unsigned_abs()))
            };
            let v = Decimal::new(m, scale) * power;
            if v >= range.low && v <= range.high {
                out.push(range.snap(v));
            }
        }
    }
    for v in also {
        out.push(range.snap(*v));
        for (m, scale) in AROUND {
            out.push(range.snap(*v * Decimal::new(m, scale)));
        }
    }
    let mut out: Vec<Decimal> = out.into_iter().map(|v| v.normalize()).collect();
    out.sort();
    out.dedup();
    out
}

/// A solve of one field of a scenario: its path, the scenario's own value and cost, and what
/// [`solve`] found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldSolution {
    pub field: String,
    pub current: Point,
    #[serde(flatten)]
    pub solution: Solution,
}

/// The values of `field` at which `cost` of the scenario's estimate is at most `max`. The
/// field is varied over `range`, or the range its rule allows.
pub fn solve_field(
    scenario: &Scenario,
    book: &PriceBook,
    field: &str,
    max: Usd,
    range: Option<(Decimal, Decimal)>,
    cost: impl Fn(&Estimate) -> Usd,
) -> Result<FieldSolution, SweepError> {
    let path = FieldPath::parse(field)?;
    if !path.field.sweep || !path.is_number() {
        return Err(SweepError::NotVaried(
            path.to_string(),
            varied_fields().join(", "),
        ));
    }
    let current_value = crate::sweep::value_in_effect(scenario, &path)?;
    let allowed = allowed_range(path.field)
        .ok_or_else(|| SweepError::NotVaried(path.to_string(), varied_fields().join(", ")))?;
    let range = match range {
        Some((low, high)) => {
            if high < low {
                return Err(SweepError::Backwards {
                    range: format!("{}:{}", low.normalize(), high.normalize()),
                    instead: format!("{}:{}", high.normalize(), low.normalize()),
                });
            }
            // Both ends are checked by the field's rule.
            with_path(scenario, &path, low)?;
            with_path(scenario, &path, high)?;
            let range = Range {
                low: allowed.snap(low),
                high: allowed.snap(high),
                decimals: allowed.decimals,
            };
            // One value has no shape and no crossing: "does not move" would be untrue.
            if range.low == range.high {
                return Err(SweepError::OneValue {
                    field: path.to_string(),
                    range: format!("{}:{}", low.normalize(), high.normalize()),
                    value: range.low,
                    step: range.step(),
                });
            }
            range
        }
        None => allowed,
    };
    let solution = solve(range, &[current_value], max.0, |v| {
        with_path(scenario, &path, v).map(|s| cost(&estimate(&s, book)).0)
    })?;
    Ok(FieldSolution {
        field: path.to_string(),
        current: Point {
            value: current_value,
            cost: cost(&estimate(scenario, book)).0,
        },
        solution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    /// A cost that dips under the target only between 13,100 and 16,900, on a range up to
    /// 10¹²: the samples of every decade reach the window (at 15,000), and the crossings are
    /// narrowed to the grid.
    #[test]
    fn a_narrow_window_on_a_wide_range_is_found() {
        let range = Range {
            low: d("0"),
            high: d("1000000000000"),
            decimals: 2,
        };
        let dip = |v: Decimal| -> Result<Decimal, ()> { Ok((v - d("15000")).abs() + d("100")) };
        let s = solve(range, &[d("20000")], d("2000"), dip).unwrap();
        assert!(!s.nowhere());
        let bounds: Vec<Decimal> = s.crossings.iter().map(|c| c.meeting().value).collect();
        assert_eq!(bounds, vec![d("13100"), d("16900")]);
    }

    fn unit_range(decimals: u32) -> Range {
        Range {
            low: d("0"),
            high: d("1"),
            decimals,
        }
    }

    #[test]
    fn a_falling_cost_crosses_once_at_the_grid_point_that_meets_it() {
        // 100 − 60 x ≤ 70 from x = 0.5 exactly.
        let s = solve(unit_range(4), &[], d("70"), |x| {
            Ok::<_, ()>(d("100") - d("60") * x)
        })
        .unwrap();
        assert_eq!(s.shape, Shape::Falling);
        assert_eq!(s.crossings.len(), 1);
        let c = s.crossings[0];
        assert!(c.meets_above);
        assert_eq!(c.meeting().value, d("0.5"));
        assert_eq!(c.below.value, d("0.4999"));
        // 100 − 60 x ≤ 71 from x = 29/60 = 0.48333…: the first 4-place value is 0.4834.
        let s = solve(unit_range(4), &[], d("71"), |x| {
            Ok::<_, ()>(d("100") - d("60") * x)
        })
        .unwrap();
        assert_eq!(s.crossings[0].meeting().value, d("0.4834"));
    }

    #[test]
    fn a_cost_that_falls_then_rises_is_not_monotone_and_crosses_twice() {
        // (x − 0.3)(x − 0.7) ≤ 0 between 0.3 and 0.7.
        let s = solve(unit_range(4), &[], d("0"), |x| {
            Ok::<_, ()>((x - d("0.3")) * (x - d("0.7")))
        })
        .unwrap();
        assert_eq!(s.shape, Shape::NotMonotone);
        let meeting: Vec<Decimal> = s.crossings.iter().map(|c| c.meeting().value).collect();
        assert_eq!(meeting, vec![d("0.3"), d("0.7")]);
        assert!(s.crossings[0].meets_above && !s.crossings[1].meets_above);
    }

    #[test]
    fn whole_numbers_stay_whole_and_a_target_out_of_reach_is_said() {
        let range = Range {
            low: d("0"),
            high: d("1000000000000"),
            decimals: 0,
        };
        // 3 x ≤ 1,000,000: up to 333,333.
        let s = solve(range, &[d("7")], d("1000000"), |x| Ok::<_, ()>(d("3") * x)).unwrap();
        assert_eq!(s.shape, Shape::Rising);
        assert_eq!(s.crossings.len(), 1);
        assert_eq!(s.crossings[0].meeting().value, d("333333"));
        assert!(s.samples.iter().all(|p| p.value.fract().is_zero()));
        // Small values are sampled too, not only 64 points 15.6 billion apart.
        assert!(s.samples.iter().any(|p| p.value == d("7")));
        assert!(s.samples.iter().any(|p| p.value == d("2000")));
        let never = solve(unit_range(4), &[], d("10"), |x| Ok::<_, ()>(d("50") - x)).unwrap();
        assert!(never.nowhere() && never.crossings.is_empty());
        assert_eq!(
            never.lowest,
            Point {
                value: d("1"),
                cost: d("49")
            }
        );
    }
}
