//! Ladderwise's pure domain: units, scenarios, the price book and the cost engine.
//!
//! Nothing here does IO, reads the clock or runs async code, and nothing panics on what a
//! user writes: every input is validated into a [`scenario::Scenario`] first, with numbers
//! bounded so that the decimal arithmetic of the engine cannot overflow.

pub mod bill;
pub mod engine;
pub mod forecast;
pub mod parallel;
pub mod pricebook;
pub mod region;
pub mod scenario;
pub mod sweep;
pub mod tiers;
pub mod units;
pub mod whatif;

pub use engine::{Estimate, LineItem, LineStatus, Service, Stage, estimate};
pub use pricebook::{PriceBook, PriceBookError, PriceStatus};
pub use scenario::{Scenario, ScenarioErrors};

#[cfg(test)]
pub(crate) mod test_support {
    use rust_decimal::Decimal;
    use std::str::FromStr;

    /// A decimal from its text, for tests.
    pub fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("test decimal")
    }
}
