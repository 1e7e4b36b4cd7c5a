//! Machine-readable exports of an estimate, a sweep, a price diff, the stored actuals, a
//! variance and an imported ladder: JSON (the contract in docs/cli.md) and CSV. The CLI
//! prints them; the report writes them beside its HTML.

mod actuals;
mod csv;
pub mod forecast;
pub mod import;
pub mod json;
mod price_diff;
mod sweep;
mod variance;
mod whatif;

pub use actuals::{actuals_csv, actuals_json};
pub use csv::{estimate_csv, rungs_csv};
pub use forecast::{forecast_csv, forecast_focus, forecast_json};
pub use import::import_json;
pub use json::{estimate_json, value as estimate_value};
pub use price_diff::{price_diff_csv, price_diff_json, price_diff_table};
pub use sweep::{services as sweep_services, sweep_csv, sweep_json};
pub use variance::{variance_csv, variance_json};
pub use whatif::{
    compare_csv, compare_json, compare_value, sensitivity_csv, sensitivity_json, sensitivity_value,
    solve_csv, solve_json, solve_value,
};

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of quantities and money in machine-readable output: enough that sums of
/// the printed lines agree with the printed total to a millionth of a dollar.
pub const MACHINE_DP: u32 = 6;

/// A cost per unit (viewer-hour, title, delivered GB) as tables and the report write it:
/// `$0.0814`, four places; `≥$0.0814` when the month's total leaves unpriced lines out (the
/// ratio is then a lower bound), `unpriced` when nothing has a price; `n/a` without units.
pub fn unit_cost(
    e: &ladderwise_model::Estimate,
    v: Option<ladderwise_model::units::Usd>,
) -> String {
    let nothing_priced = e.total.to_cents().is_zero();
    v.map_or("n/a".to_string(), |m| {
        m.at_least_as(
            !e.complete,
            nothing_priced,
            ladderwise_model::units::Usd::per_unit,
        )
    })
}

/// A decimal as text for JSON and CSV: rounded to [`MACHINE_DP`] places, trailing zeros cut.
pub fn machine(value: Decimal) -> String {
    value
        .round_dp_with_strategy(MACHINE_DP, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// Serde helpers that write decimals as [`machine`] text, for structs the CLI prints as JSON
/// and the desktop app receives alike.
pub mod serde_machine {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::Serializer;
    use serde::ser::SerializeMap;

    pub fn decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::machine(*d))
    }

    pub fn optional<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => decimal(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn map<S: Serializer>(
        m: &BTreeMap<&'static str, Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_map(Some(m.len()))?;
        for (k, v) in m {
            out.serialize_entry(k, &super::machine(*v))?;
        }
        out.end()
    }
}

/// `value` with every object's keys in alphabetical order, whatever serde_json's map keeps:
/// the JSON outputs are golden-tested, and some dependencies switch serde_json to keeping
/// insertion order.
pub fn canonical(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, canonical(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(canonical).collect()),
        other => other,
    }
}

/// Pretty JSON text in canonical key order, ending with a newline.
pub fn pretty(value: serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(&canonical(value)).unwrap_or_default();
    text.push('\n');
    text
}

/// Rows of CSV text (RFC 4180, through the `csv` crate), collected into a string.
pub(crate) struct CsvText {
    writer: ::csv::Writer<Vec<u8>>,
}

/// A CSV writer into memory, with Unix line ends.
pub(crate) fn csv_writer() -> CsvText {
    CsvText {
        writer: ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new()),
    }
}

impl CsvText {
    pub fn write_record<I, T>(&mut self, record: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        // Writing into memory cannot fail.
        let _ = self.writer.write_record(record);
    }

    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}
