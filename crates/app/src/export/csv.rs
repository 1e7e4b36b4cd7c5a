//! `--format csv`: one row per line item, raw numbers, units in their own column, for
//! spreadsheets. The last row is the total.

use ladderwise_model::engine::Estimate;

use crate::export::machine;

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
    let mut out = String::new();
    row(&mut out, HEADER.iter().map(|s| s.to_string()));
    for l in &e.lines {
        row(
            &mut out,
            [
                l.service.name().to_string(),
                l.service.code().to_string(),
                l.stage.label().to_string(),
                l.description.clone(),
                l.usage_type.clone(),
                l.sku.clone().unwrap_or_default(),
                machine(l.quantity),
                l.unit.clone(),
                l.cost.map(|c| machine(c.0)).unwrap_or_default(),
                l.price_status.as_str().to_string(),
                l.provenance
                    .as_ref()
                    .map(|p| p.source.clone())
                    .unwrap_or_default(),
                l.rung.clone().unwrap_or_default(),
                l.note.clone().unwrap_or_default(),
            ],
        );
    }
    let status = if e.complete { "complete" } else { "incomplete" };
    let mut total = vec![String::new(); HEADER.len()];
    total[0] = "TOTAL".into();
    total[3] = format!("{} ({status})", e.scenario);
    total[8] = machine(e.total.0);
    total[9] = status.into();
    row(&mut out, total);
    out
}

/// The cost per rung: what each rung makes, stores and delivers, and the costs allocated to it.
pub fn rungs_csv(e: &Estimate) -> String {
    let mut out = String::new();
    row(
        &mut out,
        [
            "rung",
            "output_minutes",
            "stored_gb",
            "delivered_gb",
            "transcode_usd",
            "storage_usd",
            "delivery_usd",
            "total_usd",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    for r in &e.rungs {
        row(
            &mut out,
            [
                r.rung.clone(),
                machine(r.output_minutes),
                machine(r.stored_gb),
                machine(r.delivered_gb),
                machine(r.transcode.0),
                machine(r.storage.0),
                machine(r.delivery.0),
                machine(r.total.0),
            ],
        );
    }
    out
}

pub(crate) fn row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = fields.into_iter().map(|f| escape(&f)).collect();
    out.push_str(&cells.join(","));
    out.push('\n');
}

/// RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled.
fn escape(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
