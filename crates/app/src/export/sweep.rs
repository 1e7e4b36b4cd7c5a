//! A sweep as a table of totals: one row per point, the varied fields first, then the total,
//! whether it is complete, and the cost of each service.

use ladderwise_model::engine::Service;
use ladderwise_model::sweep::{SweepTotals, Vary};
use ladderwise_model::units::Usd;
use serde_json::{Map, Value, json};

use super::machine;

/// Services that have a line in any point, in bill order.
pub fn services(points: &[SweepTotals]) -> Vec<Service> {
    let mut out: Vec<Service> = points
        .iter()
        .flat_map(|p| p.totals.services.iter().map(|(s, _)| *s))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A service's cost at a point; `None` when the service has an unpriced line there, so the
/// machine formats leave it empty (CSV) or null (JSON), never 0.
fn service_cost(p: &SweepTotals, s: Service) -> Option<Usd> {
    (!p.totals.unpriced.contains(&s)).then(|| p.totals.service(s))
}

pub fn sweep_csv(varies: &[Vary], points: &[SweepTotals]) -> String {
    let services = services(points);
    let mut w = super::csv_writer();
    let header = varies
        .iter()
        .map(|v| v.field.clone())
        .chain(["total_usd".to_string(), "complete".to_string()])
        .chain(services.iter().map(|s| format!("{}_usd", s.code())));
    w.write_record(header);
    for p in points {
        let cells = p
            .values
            .iter()
            .map(|v| machine(*v))
            .chain([machine(p.totals.total.0), p.totals.complete.to_string()])
            .chain(
                services
                    .iter()
                    .map(|s| service_cost(p, *s).map_or(String::new(), |c| machine(c.0))),
            );
        w.write_record(cells);
    }
    w.finish()
}

pub fn sweep_json(varies: &[Vary], sweep: &crate::Sweep) -> String {
    let points = &sweep.points;
    let services = services(points);
    let rows: Vec<Value> = points
        .iter()
        .map(|p| {
            let mut values = Map::new();
            for (v, x) in varies.iter().zip(&p.values) {
                values.insert(v.field.clone(), Value::String(machine(*x)));
            }
            let mut by_service = Map::new();
            for s in &services {
                by_service.insert(
                    s.name().to_string(),
                    service_cost(p, *s).map_or(Value::Null, |c| Value::String(machine(c.0))),
                );
            }
            json!({
                "values": values,
                "total_usd": machine(p.totals.total.0),
                "complete": p.totals.complete,
                "services_usd": by_service,
            })
        })
        .collect();
    let doc = json!({
        "schema": 1,
        "scenario": sweep.scenario,
        "snapshot": super::whatif::snapshot(&sweep.snapshot),
        "vary": varies.iter().map(|v| json!({
            "field": v.field, "from": machine(v.from), "to": machine(v.to), "step": machine(v.step)
        })).collect::<Vec<_>>(),
        "points": rows,
    });
    super::pretty(doc)
}
