//! `--format csv`: one row per line item, raw numbers, units in their own column, for
//! spreadsheets. The last row is the total.

use ladderwise_model::engine::Estimate;

use crate::export::{csv_writer, machine};

const HEADER: &[&str] = &[
    "service",
    "service_code",
    "stage",
    "description",
    "usage_type",
    "sku",
    "quantity",
    "unit",
    "cost_usd",
    "price_status",
    "source",
    "rung",
    "note",
];

pub fn estimate_csv(e: &Estimate) -> String {
    let mut w = csv_writer();
    w.write_record(HEADER);
    for l in &e.lines {
        w.write_record([
            l.service.name().to_string(),
            l.service.code().to_string(),
            l.stage.label().to_string(),
            l.description.clone(),
            l.usage_type.to_string(),
            l.sku.as_deref().unwrap_or_default().to_string(),
            machine(l.quantity),
            l.unit.to_string(),
            l.cost.map(|c| machine(c.0)).unwrap_or_default(),
            l.price_status.as_str().to_string(),
            l.provenance
                .as_ref()
                .map(|p| p.sources().join("; "))
                .unwrap_or_default(),
            l.rung.clone().unwrap_or_default(),
            l.note.clone().unwrap_or_default(),
        ]);
    }
    let status = if e.complete { "complete" } else { "incomplete" };
    let mut total = vec![String::new(); HEADER.len()];
    total[0] = "TOTAL".into();
    total[3] = format!("{} ({status})", e.scenario);
    total[8] = machine(e.total.0);
    total[9] = status.into();
    w.write_record(total);
    w.finish()
}

/// The cost per rung: what each rung makes, stores and delivers, and the costs allocated to it.
pub fn rungs_csv(e: &Estimate) -> String {
    let mut w = csv_writer();
    w.write_record([
        "rung",
        "output_minutes",
        "stored_gb",
        "delivered_gb",
        "transcode_usd",
        "storage_usd",
        "delivery_usd",
        "total_usd",
        // false: a line the rung has a share of is unpriced, so its amounts are lower bounds.
        "complete",
    ]);
    for r in &e.rungs {
        // Empty where no line of the step has a price, as the JSON's null.
        let [transcode, storage, delivery] =
            super::json::rung_shares(r).map(|u| u.map_or(String::new(), |u| machine(u.0)));
        w.write_record([
            r.rung.clone(),
            machine(r.output_minutes),
            machine(r.stored_gb),
            machine(r.delivered_gb),
            transcode,
            storage,
            delivery,
            r.total_known().map_or(String::new(), |t| machine(t.0)),
            r.complete.to_string(),
        ]);
    }
    w.finish()
}
