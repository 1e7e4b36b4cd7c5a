//! The JSON contract of `ladderwise estimate --format json`, documented in docs/cli.md.
//! Field names here are a public interface: add fields, never rename or remove them.

use ladderwise_model::engine::{Estimate, LineItem};
use ladderwise_model::tiers::TierCharge;
use serde_json::{Value, json};

use crate::export::machine;

pub fn estimate_json(e: &Estimate) -> String {
    super::pretty(value(e))
}

pub fn value(e: &Estimate) -> Value {
    json!({
        "schema": 1,
        "scenario": e.scenario,
        "region": e.region,
        "period": "first month of the plan",
        "snapshot": {
            "id": e.snapshot.id,
            "created": e.snapshot.created,
            "origin": e.snapshot.origin,
            "description": e.snapshot.description,
        },
        "total_usd": machine(e.total.0),
        "complete": e.complete,
        "lines": e.lines.iter().map(line).collect::<Vec<_>>(),
        "unpriced": e.unpriced().map(|l| json!({
            "service": l.service.name(),
            "description": l.description,
            "usage_type": l.usage_type,
            "quantity": machine(l.quantity),
            "unit": l.unit,
            "reason": l.note,
        })).collect::<Vec<_>>(),
        "warnings": e.warnings,
        "capacity": {
            "avg_egress_gbps": machine(e.capacity.avg_egress_gbps),
            "peak_egress_gbps": machine(e.capacity.peak_egress_gbps),
            "peak_requests_per_second": machine(e.capacity.peak_requests_per_second),
            "avg_concurrent_viewers": machine(e.capacity.avg_concurrent_viewers),
            "peak_concurrent_viewers": machine(e.capacity.peak_concurrent_viewers),
            "avg_delivered_kbps": machine(e.capacity.avg_delivered_kbps),
            "stored_tb": e.capacity.stored_tb.iter().map(|(c, tb)| json!({
                "class": c, "tb": machine(*tb)
            })).collect::<Vec<_>>(),
            "stored_tb_total": machine(e.capacity.stored_tb_total),
            "stored_objects": machine(e.capacity.stored_objects),
            "titles_per_month": machine(e.capacity.titles_per_month),
            "transcode_output_minutes": machine(e.capacity.transcode_output_minutes),
            "normalized_minutes": e.capacity.normalized_minutes.map(machine),
            "reserved_slots_needed": e.capacity.reserved_slots_needed.map(machine),
            "reserved_slots_range": e.capacity.reserved_slots_range.map(|(low, high)| json!({
                "low": machine(low), "high": machine(high)
            })),
            "reserved_vs_on_demand": e.capacity.reserved_vs_on_demand.as_ref().map(|r| json!({
                "slots": machine(r.slots),
                "reserved_usd": machine(r.reserved.0),
                "on_demand_usd": machine(r.on_demand.0),
            })),
        },
        "unit_economics": {
            "usd_per_viewer_hour": e.unit_economics.usd_per_viewer_hour.map(|u| machine(u.0)),
            "usd_per_title": e.unit_economics.usd_per_title.map(|u| machine(u.0)),
            "usd_per_delivered_gb": e.unit_economics.usd_per_delivered_gb.map(|u| machine(u.0)),
            "delivered_gb": machine(e.unit_economics.delivered_gb),
            "viewer_hours": machine(e.unit_economics.viewer_hours),
        },
        "rungs": e.rungs.iter().map(|r| json!({
            "rung": r.rung,
            "output_minutes": machine(r.output_minutes),
            "stored_gb": machine(r.stored_gb),
            "delivered_gb": machine(r.delivered_gb),
            "transcode_usd": machine(r.transcode.0),
            "storage_usd": machine(r.storage.0),
            "delivery_usd": machine(r.delivery.0),
            "total_usd": machine(r.total.0),
        })).collect::<Vec<_>>(),
    })
}

fn line(l: &LineItem) -> Value {
    json!({
        "service": l.service.name(),
        "service_code": l.service.code(),
        "stage": l.stage,
        "description": l.description,
        "usage_type": l.usage_type,
        "sku": l.sku,
        "quantity": machine(l.quantity),
        "unit": l.unit,
        "cost_usd": l.cost.map(|c| machine(c.0)),
        "price_status": l.price_status.as_str(),
        "provenance": l.provenance.as_ref().map(|p| json!({
            "status": p.status.as_str(),
            "source": p.source,
            "note": p.note,
        })),
        "rung": l.rung,
        "note": l.note,
        "tiers": l.tiers.iter().map(tier).collect::<Vec<_>>(),
    })
}

fn tier(t: &TierCharge) -> Value {
    json!({
        "label": t.label,
        "begin": machine(t.begin),
        "end": t.end.map(machine),
        "quantity": machine(t.quantity),
        "usd_per_unit": t.usd_per_unit.normalize().to_string(),
        "cost_usd": machine(t.cost.0),
    })
}
