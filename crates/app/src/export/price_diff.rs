//! `pricing diff` as a table (the CLI prints it, the desktop app shows it after a refresh),
//! JSON (documented in docs/cli.md) and CSV.

use std::fmt::Write;

use ladderwise_model::tiers::range_text;
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
                    // A service with an unpriced line on a side totals a lower bound there:
                    // its change is unknown, not the difference of the two sums.
                    json!({
                        "service": d.name,
                        "old_usd": machine(d.a.0),
                        "new_usd": machine(d.b.0),
                        "old_complete": d.a_complete,
                        "new_complete": d.b_complete,
                        "delta_usd": d.difference().map(|u| machine(u.0)),
                    })
                })
                .collect();
            json!({
                "file": s.file,
                "scenario": s.scenario,
                "old_total_usd": machine(c.total_a.0),
                "new_total_usd": machine(c.total_b.0),
                "delta_usd": (s.old_complete() && s.new_complete())
                    .then(|| machine(c.total_b.0 - c.total_a.0)),
                "old_complete": s.old_complete(),
                "new_complete": s.new_complete(),
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

/// A record's usage type, with the operation that tells it apart from others sharing it.
fn usage_text(k: &ladderwise_model::pricebook::RecordKey) -> String {
    if k.operation.is_empty() {
        k.usage_type.clone()
    } else {
        format!("{} (operation {})", k.usage_type, k.operation)
    }
}

/// What changed between two snapshots and what it does to each scenario's total, as the
/// terminal shows it.
pub fn price_diff_table(r: &PriceDiffReport) -> String {
    let d = &r.changes;
    let mut out = format!(
        "Price changes from {} ({}) to {} ({}): {} re-priced, {} added, {} removed, {} unchanged\n",
        r.old.id,
        r.old.created,
        r.new.id,
        r.new.created,
        d.repriced.len(),
        d.added.len(),
        d.removed.len(),
        d.unchanged
    );
    if !d.repriced.is_empty() {
        let _ = writeln!(out, "\nRe-priced");
        for p in &d.repriced {
            // A SKU is written once when it did not change.
            let sku = if p.old.sku == p.new.sku {
                p.new.sku.to_string()
            } else {
                format!("{} → {}", p.old.sku, p.new.sku)
            };
            let _ = writeln!(
                out,
                "  {} {} ({}) SKU {sku}",
                p.new.service_code,
                usage_text(&p.new),
                p.new.location,
            );
            for t in &p.tiers {
                let range = range_text(t.begin, t.end);
                let rate = |v: Option<rust_decimal::Decimal>| {
                    v.map_or("none".to_string(), |x| format!("${}", x.normalize()))
                };
                let pct = t.percent().map_or(String::new(), |p| {
                    format!(" ({:+}%)", p.round_dp(2).normalize())
                });
                let _ = writeln!(
                    out,
                    "      {range:<28} {} → {}{pct} per {}",
                    rate(t.old_usd),
                    rate(t.new_usd),
                    p.new.unit
                );
            }
        }
    }
    for (title, keys) in [
        ("Added", &d.added),
        ("Removed", &d.removed),
        (
            "Not compared: the new snapshot prices these again under a price key an earlier record has (estimates use the earlier one)",
            &d.shadowed,
        ),
    ] {
        if !keys.is_empty() {
            let _ = writeln!(out, "\n{title}");
            for k in keys.iter() {
                let _ = writeln!(
                    out,
                    "  {} {} ({}) SKU {} per {}",
                    k.service_code,
                    usage_text(k),
                    k.location,
                    k.sku,
                    k.unit
                );
            }
        }
    }
    for s in &r.scenarios {
        let c = &s.comparison;
        let delta = c.total_b.printed_minus(c.total_a);
        let names = |services: &[ladderwise_model::Service]| {
            services
                .iter()
                .map(|s| s.short_name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        // A total that leaves unpriced lines out is not comparable: a price gone missing
        // would read as a saving.
        let mut unpriced = Vec::new();
        for (id, services) in [(&r.old.id, &s.old_unpriced), (&r.new.id, &s.new_unpriced)] {
            if !services.is_empty() {
                unpriced.push(format!("{id} has no price for {}", names(services)));
            }
        }
        let change = if unpriced.is_empty() {
            format!(
                "{}{delta}",
                if delta.0.is_sign_negative() { "" } else { "+" }
            )
        } else {
            format!("not comparable: {}", unpriced.join("; "))
        };
        let _ = writeln!(
            out,
            "\n{} ({}): {} → {} a month, {change}",
            s.scenario,
            s.file,
            c.total_a.plus_unpriced(!s.old_complete()),
            c.total_b.plus_unpriced(!s.new_complete()),
        );
        for d in &c.services {
            let change = d.printed_difference();
            if change.is_none_or(|u| !u.0.is_zero()) {
                let _ = writeln!(
                    out,
                    "  {:<34} {} → {}{}",
                    d.name,
                    d.a.plus_unpriced(!d.a_complete),
                    d.b.plus_unpriced(!d.b_complete),
                    change.map_or(String::new(), |change| format!(
                        " ({}{})",
                        if change.0.is_sign_negative() { "" } else { "+" },
                        change
                    ))
                );
            }
        }
    }
    out
}
