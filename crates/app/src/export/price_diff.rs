//! `pricing diff` as JSON (documented in docs/cli.md) and CSV.

use serde_json::json;

use super::{machine, pretty};
use crate::snapshots::PriceDiffReport;

pub fn price_diff_json(r: &PriceDiffReport) -> String {
    let scenarios: Vec<_> = r
        .scenarios
        .iter()
        .map(|s| {
            let c = &s.comparison;
            let services: Vec<_> = c
                .services
                .iter()
                .map(|d| {
                    json!({
                        "service": d.service.name(),
                        "old_usd": machine(d.a.0),
                        "new_usd": machine(d.b.0),
                        "delta_usd": machine(d.difference().0),
                    })
                })
                .collect();
            json!({
                "file": s.file,
                "scenario": s.scenario,
                "old_total_usd": machine(c.total_a.0),
                "new_total_usd": machine(c.total_b.0),
                "delta_usd": machine(c.total_b.0 - c.total_a.0),
                "old_complete": s.old_complete,
                "new_complete": s.new_complete,
                "services": services,
            })
        })
        .collect();
    pretty(json!({
        "schema": 1,
        "old": r.old,
        "new": r.new,
        "changes": r.changes,
        "scenarios": scenarios,
    }))
}

/// One row per re-priced tier, added or removed record.
pub fn price_diff_csv(r: &PriceDiffReport) -> String {
    let mut w = super::csv_writer();
    w.write_record([
        "change",
        "service_code",
        "usage_type",
        "location",
        "old_sku",
        "new_sku",
        "unit",
        "begin",
        "end",
        "old_usd",
        "new_usd",
        "percent",
    ]);
    let rate = |v: Option<rust_decimal::Decimal>| v.map(|x| x.normalize().to_string());
    for p in &r.changes.repriced {
        for t in &p.tiers {
            w.write_record([
                "repriced".to_string(),
                p.new.service_code.clone(),
                p.new.usage_type.clone(),
                p.new.location.clone(),
                p.old.sku.clone(),
                p.new.sku.clone(),
                p.new.unit.clone(),
                machine(t.begin),
                t.end.map(machine).unwrap_or_default(),
                rate(t.old_usd).unwrap_or_default(),
                rate(t.new_usd).unwrap_or_default(),
                t.percent().map(machine).unwrap_or_default(),
            ]);
        }
    }
    for (kind, keys) in [("added", &r.changes.added), ("removed", &r.changes.removed)] {
        for k in keys.iter() {
            let (old_sku, new_sku) = if kind == "added" {
                (String::new(), k.sku.clone())
            } else {
                (k.sku.clone(), String::new())
            };
            w.write_record([
                kind.to_string(),
                k.service_code.clone(),
                k.usage_type.clone(),
                k.location.clone(),
                old_sku,
                new_sku,
                k.unit.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    w.finish()
}
