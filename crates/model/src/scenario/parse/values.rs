//! Reading TOML values as the scenario's numbers and words.

use std::str::FromStr;

use rust_decimal::Decimal;
use toml::de::DeValue;

use crate::scenario::fields::MAX_NUMBER;

/// An integer as TOML writes it (`6_000`, `0x10`). `None` when it is far past any bound, so
/// that the bound is reported rather than an overflow.
pub(crate) fn parse_integer(text: &str, radix: u32) -> Option<Decimal> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let v = i128::from_str_radix(&clean, radix).ok()?;
    if v.unsigned_abs() > MAX_NUMBER as u128 * 1000 {
        return None;
    }
    Decimal::from_i128_with_scale(v, 0).into()
}

/// A float as TOML writes it (`6000.0`, `1e6`), read exactly as a decimal.
pub(crate) fn parse_float(text: &str) -> Option<Decimal> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let parsed = if clean.contains(['e', 'E']) {
        Decimal::from_scientific(&clean).ok()
    } else {
        Decimal::from_str(&clean).ok()
    };
    parsed.filter(|d| d.abs() <= Decimal::from(MAX_NUMBER) * Decimal::ONE_THOUSAND)
}

/// Whether a TOML float that [`parse_float`] refused was refused for its decimal places
/// (`1e-300`: smaller than a decimal's 28 places hold) rather than for its size.
pub(crate) fn too_precise(text: &str) -> bool {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    clean
        .parse::<f64>()
        .is_ok_and(|v| v != 0.0 && v.abs() < 1.0)
}

/// How messages name a value's type.
pub(crate) fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

pub(crate) fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}
