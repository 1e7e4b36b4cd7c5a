//! JSON and CSV of the what-if commands: `compare`, `sensitivity` and `solve`, documented in
//! docs/cli.md. Field names are a public interface: add fields, never rename or remove them.

use ladderwise_model::pricebook::SnapshotInfo;
use ladderwise_model::units::Usd;
use ladderwise_model::whatif::{Method, Point};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

use super::{MACHINE_DP, csv_writer, machine};
use crate::whatif::{Comparison, LineDelta, SensitivityReport, SolveReport};

pub(super) fn snapshot(s: &SnapshotInfo) -> Value {
    json!({
        "id": s.id,
        "created": s.created,
        "origin": s.origin,
        "description": s.description,
    })
}

fn rounded(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(MACHINE_DP, RoundingStrategy::MidpointAwayFromZero)
}

/// B's total minus A's as both are printed: what the waterfall's printed bars add up to.
fn printed_difference(c: &Comparison) -> Decimal {
    rounded(c.b.total.0) - rounded(c.a.total.0)
}

fn opt(v: Option<Decimal>) -> Value {
    v.map_or(Value::Null, |d| Value::String(machine(d)))
}

fn opt_usd(v: Option<Usd>) -> Value {
    opt(v.map(|u| u.0))
}

fn line_value(l: &LineDelta) -> Value {
    json!({
        "change": l.change.as_str(),
        "service": l.service.name(),
        "service_code": l.service.code(),
        "stage": l.stage,
        "usage_type": l.usage_type,
        "rung": l.rung,
        "geography": l.geography.map(|g| g.key()),
        "description": l.description(),
        "unit": l.b.as_ref().or(l.a.as_ref()).map(|s| s.unit.clone()),
        "a_quantity": opt(l.a.as_ref().map(|s| s.quantity)),
        "b_quantity": opt(l.b.as_ref().map(|s| s.quantity)),
        "a_usd": opt_usd(l.a.as_ref().and_then(|s| s.cost)),
        "b_usd": opt_usd(l.b.as_ref().and_then(|s| s.cost)),
        "difference_usd": opt_usd(l.difference()),
    })
}

fn method(m: &Method) -> Value {
    match m {
        Method::Exact { coalitions } => json!({
            "method": "exact", "coalitions": coalitions, "permutations": null, "seed": null,
        }),
        Method::Sampled { permutations, seed } => json!({
            "method": "sampled", "coalitions": null, "permutations": permutations, "seed": seed,
        }),
    }
}

pub fn compare_value(c: &Comparison) -> Value {
    let w = &c.waterfall;
    let (bars, residual) = w.rounded(MACHINE_DP);
    let mut waterfall = method(&w.method);
    if let Value::Object(map) = &mut waterfall {
        map.insert("scenarios_priced".into(), json!(w.costs));
        // Bars over totals that leave unpriced lines out: a cost unknown in B reads as a
        // saving. Said here, as the table says it.
        map.insert("complete".into(), json!(c.not_attributed().is_none()));
        map.insert("start_usd".into(), json!(machine(w.start.0)));
        map.insert("end_usd".into(), json!(machine(w.end.0)));
        map.insert(
            "bars".into(),
            Value::Array(
                w.bars
                    .iter()
                    .zip(&bars)
                    .map(|(b, usd)| {
                        json!({
                            "driver": b.driver.path,
                            "label": b.driver.label,
                            "a": b.driver.a,
                            "b": b.driver.b,
                            "usd": machine(*usd),
                        })
                    })
                    .collect(),
            ),
        );
        map.insert("residual_usd".into(), json!(machine(residual)));
    }
    let side = |s: &crate::whatif::Side| {
        json!({
            "file": s.file,
            "scenario": s.scenario,
            "total_usd": machine(s.total.0),
            "complete": s.complete,
        })
    };
    let delta = |key: &str, d: &crate::whatif::Delta| {
        json!({
            key: d.name,
            "a_usd": machine(d.a.0),
            "b_usd": machine(d.b.0),
            "a_complete": d.a_complete,
            "b_complete": d.b_complete,
            "difference_usd": opt_usd(d.difference()),
        })
    };
    json!({
        "schema": 1,
        "a": side(&c.a),
        "b": side(&c.b),
        "snapshot": snapshot(&c.snapshot),
        "difference_usd": machine(printed_difference(c)),
        "difference_percent": opt(c.percent()),
        "services": c.services.iter().map(|d| delta("service", d)).collect::<Vec<_>>(),
        "stages": c.stages.iter().map(|d| delta("stage", d)).collect::<Vec<_>>(),
        "lines": c.lines.iter().map(line_value).collect::<Vec<_>>(),
        "capacity": c.capacity.iter().map(|m| json!({
            "measure": m.measure,
            "unit": m.unit,
            "a": opt(m.a),
            "b": opt(m.b),
            "difference": opt(m.a.zip(m.b).map(|(a, b)| b - a)),
        })).collect::<Vec<_>>(),
        "waterfall": waterfall,
    })
}

pub fn compare_json(c: &Comparison) -> String {
    super::pretty(compare_value(c))
}

const COMPARE_HEADER: [&str; 11] = [
    "section",
    "name",
    "service",
    "usage_type",
    "rung",
    "geography",
    "change",
    "a",
    "b",
    "difference",
    "unit",
];

/// One CSV of the whole comparison: a `section` column (`total`, `service`, `stage`, `line`,
/// `capacity`, `waterfall`) and the same columns for all. Waterfall rows hold each driver's
/// values in A and B as text and its bar in `difference`.
pub fn compare_csv(c: &Comparison) -> String {
    let mut w = csv_writer();
    w.write_record(COMPARE_HEADER);
    let money = |u: Usd| machine(u.0);
    let row = |section: &str, name: &str, a: String, b: String, d: String, unit: &str| {
        vec![
            section.to_string(),
            name.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            a,
            b,
            d,
            unit.to_string(),
        ]
    };
    w.write_record(row(
        "total",
        &format!("{} → {}", c.a.scenario, c.b.scenario),
        money(c.a.total),
        money(c.b.total),
        machine(printed_difference(c)),
        "USD",
    ));
    for d in &c.services {
        w.write_record(row(
            "service",
            &d.name,
            money(d.a),
            money(d.b),
            d.difference().map(money).unwrap_or_default(),
            "USD",
        ));
    }
    for d in &c.stages {
        w.write_record(row(
            "stage",
            &d.name,
            money(d.a),
            money(d.b),
            d.difference().map(money).unwrap_or_default(),
            "USD",
        ));
    }
    for l in &c.lines {
        let cost = |s: &Option<crate::whatif::LineSide>| {
            s.as_ref()
                .and_then(|s| s.cost)
                .map(money)
                .unwrap_or_default()
        };
        w.write_record([
            "line".to_string(),
            l.description(),
            l.service.name().to_string(),
            l.usage_type.clone(),
            l.rung.clone().unwrap_or_default(),
            l.geography.map(|g| g.key().to_string()).unwrap_or_default(),
            l.change.as_str().to_string(),
            cost(&l.a),
            cost(&l.b),
            l.difference().map(money).unwrap_or_default(),
            "USD".to_string(),
        ]);
    }
    for m in &c.capacity {
        let v = |x: Option<Decimal>| x.map(machine).unwrap_or_default();
        w.write_record(row(
            "capacity",
            m.measure,
            v(m.a),
            v(m.b),
            v(m.a.zip(m.b).map(|(a, b)| b - a)),
            m.unit,
        ));
    }
    let (bars, residual) = c.waterfall.rounded(MACHINE_DP);
    for (b, usd) in c.waterfall.bars.iter().zip(bars) {
        w.write_record(row(
            "waterfall",
            &b.driver.path,
            b.driver.a.clone(),
            b.driver.b.clone(),
            machine(usd),
            "USD",
        ));
    }
    if !residual.is_zero() {
        w.write_record(row(
            "waterfall",
            "not attributed",
            String::new(),
            String::new(),
            machine(residual),
            "USD",
        ));
    }
    w.finish()
}

pub fn sensitivity_value(r: &SensitivityReport) -> Value {
    let s = &r.sensitivity;
    json!({
        "schema": 1,
        "scenario": r.scenario,
        "snapshot": snapshot(&r.snapshot),
        "base_total_usd": machine(s.base_total.0),
        "complete": s.complete,
        "swing": machine(s.swing),
        "drivers": s.bars.iter().map(|b| json!({
            "path": b.path,
            "label": b.label,
            "unit": b.unit,
            "base": machine(b.base),
            "low": machine(b.low),
            "high": machine(b.high),
            "low_total_usd": machine(b.low_total.0),
            "high_total_usd": machine(b.high_total.0),
            // Null when the input also moves unpriced lines: the swing is then unknown, and
            // the ends' totals give what the priced lines move.
            "swing_usd": b.complete.then(|| machine(b.swing.0)),
            "complete": b.complete,
            "clamped": b.clamped,
            "range": if b.own_range { "own" } else { "swing" },
        })).collect::<Vec<_>>(),
        "not_varied": s.not_varied.iter().map(|n| json!({
            "path": n.path, "label": n.label, "reason": n.reason,
        })).collect::<Vec<_>>(),
    })
}

pub fn sensitivity_json(r: &SensitivityReport) -> String {
    super::pretty(sensitivity_value(r))
}

pub fn sensitivity_csv(r: &SensitivityReport) -> String {
    let mut w = csv_writer();
    w.write_record([
        "path",
        "label",
        "base",
        "low",
        "high",
        "low_total_usd",
        "high_total_usd",
        "swing_usd",
        "complete",
        "range",
        "clamped",
    ]);
    for b in &r.sensitivity.bars {
        w.write_record([
            b.path.clone(),
            b.label.clone(),
            machine(b.base),
            machine(b.low),
            machine(b.high),
            machine(b.low_total.0),
            machine(b.high_total.0),
            if b.complete {
                machine(b.swing.0)
            } else {
                String::new()
            },
            b.complete.to_string(),
            if b.own_range { "own" } else { "swing" }.to_string(),
            b.clamped.join("; "),
        ]);
    }
    w.finish()
}

fn point(p: &Point) -> Value {
    json!({ "value": machine(p.value), "total_usd": machine(p.cost) })
}

pub fn solve_value(r: &SolveReport) -> Value {
    let s = &r.solution.solution;
    let met = if s.everywhere {
        "everywhere"
    } else if s.nowhere() {
        "nowhere"
    } else {
        "somewhere"
    };
    json!({
        "schema": 1,
        "scenario": r.scenario,
        "snapshot": snapshot(&r.snapshot),
        "field": r.solution.field,
        "max_total_usd": machine(r.max_total.0),
        "range": { "from": machine(s.range.low), "to": machine(s.range.high), "decimals": s.range.decimals },
        "current": point(&r.solution.current),
        "shape": s.shape,
        "samples": s.samples.len(),
        "met": met,
        "crossings": s.crossings.iter().map(|c| json!({
            "value": machine(c.meeting().value),
            "total_usd": machine(c.meeting().cost),
            "meets": if c.meets_above { "at_or_above" } else { "at_or_below" },
            "other_side": point(if c.meets_above { &c.below } else { &c.above }),
        })).collect::<Vec<_>>(),
        "lowest": point(&s.lowest),
    })
}

pub fn solve_json(r: &SolveReport) -> String {
    super::pretty(solve_value(r))
}

/// The crossings, then every sample: `kind, value, total_usd, meets_target`.
pub fn solve_csv(r: &SolveReport) -> String {
    let s = &r.solution.solution;
    let mut w = csv_writer();
    w.write_record(["kind", "value", "total_usd", "meets_target"]);
    let meets = |p: &Point| (p.cost <= s.target).to_string();
    for c in &s.crossings {
        let p = c.meeting();
        w.write_record([
            "crossing".to_string(),
            machine(p.value),
            machine(p.cost),
            meets(&p),
        ]);
    }
    for p in &s.samples {
        w.write_record([
            "sample".to_string(),
            machine(p.value),
            machine(p.cost),
            meets(p),
        ]);
    }
    w.finish()
}
