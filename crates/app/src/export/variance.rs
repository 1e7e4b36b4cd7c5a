//! `variance` as JSON (the [`Variance`] struct as the desktop app receives it too) and CSV:
//! one row per plan line set against the bill, per bill line or plan line that matches
//! nothing, per credit, refund, tax or discount, and the totals last.

use super::{csv_writer, machine, pretty};
use crate::variance::Variance;

const COLUMNS: [&str; 19] = [
    "section",
    "service",
    "service_code",
    "usage_type",
    "billed_usage_types",
    "description",
    "unit",
    "planned_usage",
    "actual_usage",
    "usage_delta",
    "usage_delta_percent",
    "planned_usd",
    "actual_usd",
    "delta_usd",
    "delta_percent",
    "conversions",
    "driver_fields",
    "driver_reason",
    "note",
];

pub fn variance_json(v: &Variance) -> String {
    // Serializing plain data into a Value cannot fail.
    pretty(serde_json::to_value(v).unwrap_or_default())
}

pub fn variance_csv(v: &Variance) -> String {
    let opt = |d: Option<rust_decimal::Decimal>| d.map(machine).unwrap_or_default();
    let mut w = csv_writer();
    w.write_record(COLUMNS);
    for s in &v.services {
        for l in &s.lines {
            w.write_record([
                "line".to_string(),
                s.service.clone(),
                s.service_code.clone(),
                l.usage_type.clone(),
                l.billed_usage_types.join(" "),
                l.description.clone(),
                l.unit.clone(),
                machine(l.planned_usage),
                opt(l.actual_usage),
                opt(l.usage_delta),
                opt(l.usage_delta_percent),
                opt(l.planned_usd),
                machine(l.actual_usd),
                opt(l.delta_usd),
                opt(l.delta_percent),
                l.conversions.join("; "),
                l.driver.map(|d| d.fields.join(" ")).unwrap_or_default(),
                l.driver.map(|d| d.reason.to_string()).unwrap_or_default(),
                l.note.clone().unwrap_or_default(),
            ]);
        }
        for a in &s.actual_only {
            let mut row = vec![String::new(); COLUMNS.len()];
            row[0] = "actual-only".into();
            row[1] = s.service.clone();
            row[2] = s.service_code.clone();
            row[4] = a.usage_type.clone();
            row[6] = a.unit.clone();
            row[8] = opt(a.usage_amount);
            row[12] = machine(a.actual_usd);
            row[18] = if a.region.is_empty() {
                a.reason.clone()
            } else {
                format!("{} ({})", a.reason, a.region)
            };
            w.write_record(row);
        }
        for p in &s.planned_only {
            let mut row = vec![String::new(); COLUMNS.len()];
            row[0] = "planned-only".into();
            row[1] = s.service.clone();
            row[2] = s.service_code.clone();
            row[3] = p.usage_type.clone();
            row[5] = p.description.clone();
            row[6] = p.unit.clone();
            row[7] = machine(p.planned_usage);
            row[11] = opt(p.planned_usd);
            row[18] = "the bill has no line of this usage type".into();
            w.write_record(row);
        }
    }
    for a in &v.adjustments {
        let mut row = vec![String::new(); COLUMNS.len()];
        row[0] = a.kind.into();
        row[2] = a.service_code.clone();
        row[4] = a.usage_type.clone();
        row[5] = a.charge_category.clone();
        row[12] = machine(a.actual_usd);
        w.write_record(row);
    }
    let t = &v.totals;
    let mut total = vec![String::new(); COLUMNS.len()];
    total[0] = "total".into();
    total[5] = format!(
        "{} in {} ({})",
        v.scenario,
        v.month,
        if t.complete { "complete" } else { "incomplete" }
    );
    total[11] = machine(t.planned_usd);
    total[12] = machine(t.actual_usage_usd);
    total[13] = opt(t.variance_usd);
    total[14] = opt(t.variance_percent);
    total[18] = "actual usage against the plan".into();
    w.write_record(total);
    let mut net = vec![String::new(); COLUMNS.len()];
    net[0] = "net".into();
    net[5] = "usage with credits, refunds, taxes, discounts and commitments".into();
    net[12] = machine(t.net_usd);
    net[18] = format!("adjustments {}", machine(t.adjustments_usd));
    w.write_record(net);
    w.finish()
}
