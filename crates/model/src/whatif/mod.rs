//! What-if analysis of scenarios: which change between two scenarios causes how much of the
//! difference in their totals (a waterfall of Shapley values over the drivers that differ),
//! which input moves a total most (sensitivity), and the value of one field at which a cost
//! meets a target (solve).

pub mod attribution;
pub mod drivers;
pub mod sensitivity;
pub mod solve;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::engine::{estimate, total};
use crate::pricebook::PriceBook;
use crate::scenario::Scenario;
use crate::units::Usd;
pub use attribution::{Method, Plan, Shapley, shapley};
pub use drivers::{Driver, drivers, with_drivers};
pub use sensitivity::{
    DEFAULT_SWING, NotVaried, OwnRange, Sensitivity, SensitivityBar, sensitivity,
};
pub use solve::{Crossing, FieldSolution, Point, Range, Shape, Solution, solve, solve_field};

/// One bar of a waterfall: a driver and the part of the difference it is owed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bar {
    #[serde(flatten)]
    pub driver: Driver,
    /// Exact to [`attribution::SCALE`] places.
    pub usd: Decimal,
}

/// A's total, one bar per driver that differs, B's total: the bars add up to the difference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Waterfall {
    pub start: Usd,
    pub end: Usd,
    /// In the field table's order.
    pub bars: Vec<Bar>,
    pub method: Method,
    /// Scenarios priced for the attribution.
    pub costs: usize,
    /// The part of the difference no driver explains: zero unless the scenarios differ in
    /// something the field table cannot set one field at a time.
    pub residual: Decimal,
}

/// The waterfall from `a` to `b`: Shapley values of the drivers that differ, the cost of a
/// coalition being the total of `a` with those drivers set to `b`'s values.
pub fn waterfall(a: &Scenario, b: &Scenario, book: &PriceBook) -> Waterfall {
    waterfall_on(a, b, book, 1)
}

/// [`waterfall`] with the coalitions priced on `threads` threads: the same result, sooner on
/// a machine with several cores (each coalition is priced alone; they are put back in order).
pub fn waterfall_on(a: &Scenario, b: &Scenario, book: &PriceBook, threads: usize) -> Waterfall {
    let drivers = drivers::drivers(a, b);
    let plan = attribution::Plan::new(drivers.len());
    let coalitions = plan.coalitions();
    let cost = |with: &[bool]| total(&with_drivers(a, b, &drivers, with), book).0.0;
    let costs: Vec<Decimal> =
        crate::parallel::map_indexed(coalitions.len(), threads, |i| cost(&coalitions[i]));
    let shapley = plan.values(&costs);
    waterfall_of(a, b, book, drivers, shapley)
}

/// The waterfall of drivers whose Shapley values are known (the costs of their coalitions
/// may be priced elsewhere, e.g. on several threads; see [`attribution::exact`]).
pub fn waterfall_of(
    a: &Scenario,
    b: &Scenario,
    book: &PriceBook,
    drivers: Vec<Driver>,
    shapley: Shapley,
) -> Waterfall {
    let start = estimate(a, book).total;
    let end = estimate(b, book).total;
    let attributed: Decimal = shapley.values.iter().sum();
    let round = |d: Decimal| {
        d.round_dp_with_strategy(attribution::SCALE, RoundingStrategy::MidpointNearestEven)
    };
    Waterfall {
        start,
        end,
        bars: drivers
            .into_iter()
            .zip(shapley.values)
            .map(|(driver, usd)| Bar { driver, usd })
            .collect(),
        method: shapley.method,
        costs: shapley.costs,
        residual: round(end.0 - start.0) - attributed,
    }
}

impl Waterfall {
    pub fn difference(&self) -> Decimal {
        self.end.0 - self.start.0
    }

    /// The bars (and the residual, last) rounded to `dp` places so that they add up exactly
    /// to the rounded totals' difference: each is the step between the rounded running
    /// totals, and the last step lands on B's rounded total.
    pub fn rounded(&self, dp: u32) -> (Vec<Decimal>, Decimal) {
        let round =
            |d: Decimal| d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
        let mut running = self.start.0;
        let mut at = round(running);
        let mut bars = Vec::with_capacity(self.bars.len());
        let last = self.bars.len().saturating_sub(1);
        for (i, bar) in self.bars.iter().enumerate() {
            running += bar.usd;
            let next = if i == last && self.residual.is_zero() {
                round(self.end.0)
            } else {
                round(running)
            };
            bars.push(next - at);
            at = next;
        }
        (bars, round(self.end.0) - at)
    }
}
