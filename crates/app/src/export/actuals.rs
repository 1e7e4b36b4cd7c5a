//! `actuals show` as JSON (documented in docs/cli.md) and CSV: one row per month, service,
//! kind and usage type, summed over accounts and Regions.

use serde_json::json;

use super::{csv_writer, machine, pretty};
use crate::actuals::ShowRow;

const COLUMNS: [&str; 11] = [
    "month",
    "service_code",
    "usage_type",
    "kind",
    "usage_amount",
    "unit",
    "billed_cost",
    "list_cost",
    "effective_cost",
    "currency",
    "line_items",
];

pub fn actuals_json(rows: &[ShowRow]) -> String {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            json!({
                "month": r.month,
                "service_code": r.service_code,
                "usage_type": r.usage_type,
                "kind": r.kind.name(),
                "usage_amount": r.usage_amount.map(machine),
                "unit": r.unit,
                "billed_cost": machine(r.billed_cost),
                "list_cost": r.list_cost.map(machine),
                "effective_cost": r.effective_cost.map(machine),
                "currency": r.currency,
                "line_items": r.line_items,
            })
        })
        .collect();
    pretty(json!({ "schema": 1, "rows": items }))
}

pub fn actuals_csv(rows: &[ShowRow]) -> String {
    let mut w = csv_writer();
    w.write_record(COLUMNS);
    for r in rows {
        w.write_record([
            r.month.clone(),
            r.service_code.clone(),
            r.usage_type.clone(),
            r.kind.name().to_string(),
            r.usage_amount.map(machine).unwrap_or_default(),
            r.unit.clone(),
            machine(r.billed_cost),
            r.list_cost.map(machine).unwrap_or_default(),
            r.effective_cost.map(machine).unwrap_or_default(),
            r.currency.clone(),
            r.line_items.to_string(),
        ]);
    }
    w.finish()
}
