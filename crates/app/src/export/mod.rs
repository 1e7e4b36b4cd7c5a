//! Machine-readable exports of an estimate or a sweep: JSON (the contract in docs/cli.md) and
//! CSV. The CLI prints them; the report writes them beside its HTML.

mod csv;
mod json;
mod sweep;

pub use csv::{estimate_csv, rungs_csv};
pub use json::{estimate_json, value as estimate_value};
pub use sweep::{sweep_csv, sweep_json};

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
