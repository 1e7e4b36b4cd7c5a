//! Output formats of an estimate. Each takes the estimate and returns the whole text.

pub mod csv;
pub mod json;
pub mod table;

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of quantities and money in machine-readable output: enough that sums of
/// the printed lines agree with the printed total to a millionth of a dollar.
pub const MACHINE_DP: u32 = 6;

/// A decimal as text for JSON and CSV: rounded to [`MACHINE_DP`] places, trailing zeros cut.
pub fn machine(value: Decimal) -> String {
    value
        .round_dp_with_strategy(MACHINE_DP, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}
