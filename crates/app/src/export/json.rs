//! The JSON contract of `ladderwise estimate --format json`, documented in docs/cli.md.
//! Field names here are a public interface: add fields, never rename or remove them.
//!
//! The contract is a set of typed structs, so the desktop app sends the same shape to its UI
//! and the UI's TypeScript types are generated from these (feature `ts`). Every key is always
//! present: a value that does not apply is `null`, never left out. Money and quantities are
//! decimal strings (see [`machine`]).

use ladderwise_model::engine::{Estimate, LineItem, RungCost, StageCost};
use ladderwise_model::tiers::TierCharge;
use ladderwise_model::units::Usd;
use serde::Serialize;

use crate::export::machine;

/// The version of this contract, the JSON's `schema`.
pub const SCHEMA: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Estimate"))]
pub struct EstimateJson {
    pub schema: u32,
    pub scenario: String,
    pub region: String,
    pub period: String,
    pub snapshot: SnapshotJson,
    pub total_usd: String,
    /// False when some lines are unpriced: the true total is then higher.
    pub complete: bool,
    pub lines: Vec<LineJson>,
    pub unpriced: Vec<UnpricedJson>,
    pub warnings: Vec<String>,
    pub capacity: CapacityJson,
    pub unit_economics: UnitEconomicsJson,
    pub rungs: Vec<RungJson>,
    /// The seven steps a title goes through (ingest, transcode, vision, text, glue, storage,
    /// delivery), each with its cost for the month and per title; every step listed.
    pub per_title_by_stage: Vec<StageCostJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Snapshot"))]
pub struct SnapshotJson {
    pub id: String,
    pub created: String,
    pub origin: String,
    pub description: String,
}

/// One line of the bill.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Line"))]
pub struct LineJson {
    pub service: String,
    pub service_code: String,
    pub stage: String,
    pub description: String,
    pub usage_type: String,
    pub sku: Option<String>,
    pub quantity: String,
    pub unit: String,
    /// `null` when the line is unpriced.
    pub cost_usd: Option<String>,
    pub price_status: String,
    pub provenance: Option<ProvenanceJson>,
    pub rung: Option<String>,
    pub note: Option<String>,
    pub tiers: Vec<TierJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Provenance"))]
pub struct ProvenanceJson {
    pub status: String,
    pub source: String,
    pub note: Option<String>,
}

/// The part of a line's quantity in one price tier.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Tier"))]
pub struct TierJson {
    pub label: String,
    pub begin: String,
    pub end: Option<String>,
    pub quantity: String,
    pub usd_per_unit: String,
    pub cost_usd: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Unpriced"))]
pub struct UnpricedJson {
    pub service: String,
    pub description: String,
    pub usage_type: String,
    pub quantity: String,
    pub unit: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Capacity"))]
pub struct CapacityJson {
    pub avg_egress_gbps: String,
    pub peak_egress_gbps: String,
    pub peak_requests_per_second: String,
    pub avg_concurrent_viewers: String,
    pub peak_concurrent_viewers: String,
    pub avg_delivered_kbps: String,
    pub stored_tb: Vec<StoredJson>,
    pub stored_tb_total: String,
    pub stored_objects: String,
    pub titles_per_month: String,
    pub transcode_output_minutes: String,
    pub normalized_minutes: Option<String>,
    pub reserved_slots_needed: Option<String>,
    /// Reserved slots the month needs, from the fastest to the slowest transcode speed.
    pub reserved_slots_range: Option<SlotRangeJson>,
    /// Reserving the slots the month needs, against every output on demand.
    pub reserved_vs_on_demand: Option<ReservedJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SlotRange"))]
pub struct SlotRangeJson {
    pub low: String,
    pub high: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ReservedVsOnDemand"))]
pub struct ReservedJson {
    pub slots: String,
    pub reserved_usd: String,
    pub on_demand_usd: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Stored"))]
pub struct StoredJson {
    pub class: String,
    pub tb: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "UnitEconomics"))]
pub struct UnitEconomicsJson {
    pub usd_per_viewer_hour: Option<String>,
    pub usd_per_title: Option<String>,
    pub usd_per_delivered_gb: Option<String>,
    pub delivered_gb: String,
    pub viewer_hours: String,
}

/// One rung's share of the month.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "RungCost"))]
pub struct RungJson {
    pub rung: String,
    pub output_minutes: String,
    pub stored_gb: String,
    pub delivered_gb: String,
    /// `null` when no line of the step has a price: the rung's share is unknown.
    pub transcode_usd: Option<String>,
    pub storage_usd: Option<String>,
    pub delivery_usd: Option<String>,
    /// `null` when every step's share is of lines without a price: the total is unknown.
    pub total_usd: Option<String>,
    /// `false` when a line the rung has a share of is unpriced: its amounts are then lower
    /// bounds.
    pub complete: bool,
}

/// One step of the pipeline: what it costs this month and per title of the month.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "StageCost"))]
pub struct StageCostJson {
    pub stage: String,
    /// `null` when no line of the step has a price.
    pub usd_per_month: Option<String>,
    /// `null` when the month has no titles, or no line of the step has a price.
    pub usd_per_title: Option<String>,
    /// `false` when a line of the step is unpriced: its amounts are then lower bounds.
    pub complete: bool,
}

pub fn estimate_json(e: &Estimate) -> String {
    super::pretty(serde_json::to_value(value(e)).unwrap_or_default())
}

/// The estimate in the contract's shape.
pub fn value(e: &Estimate) -> EstimateJson {
    let capacity = &e.capacity;
    let economics = &e.unit_economics;
    EstimateJson {
        schema: SCHEMA,
        scenario: e.scenario.clone(),
        region: e.region.clone(),
        period: "first month of the plan".into(),
        snapshot: SnapshotJson {
            id: e.snapshot.id.clone(),
            created: e.snapshot.created.clone(),
            origin: e.snapshot.origin.clone(),
            description: e.snapshot.description.clone(),
        },
        total_usd: machine(e.total.0),
        complete: e.complete,
        lines: e.lines.iter().map(line).collect(),
        unpriced: e
            .unpriced()
            .map(|l| UnpricedJson {
                service: l.service.name().into(),
                description: l.description.clone(),
                usage_type: l.usage_type.to_string(),
                quantity: machine(l.quantity),
                unit: l.unit.to_string(),
                reason: l.note.clone(),
            })
            .collect(),
        warnings: e.warnings.clone(),
        capacity: CapacityJson {
            avg_egress_gbps: machine(capacity.avg_egress_gbps),
            peak_egress_gbps: machine(capacity.peak_egress_gbps),
            peak_requests_per_second: machine(capacity.peak_requests_per_second),
            avg_concurrent_viewers: machine(capacity.avg_concurrent_viewers),
            peak_concurrent_viewers: machine(capacity.peak_concurrent_viewers),
            avg_delivered_kbps: machine(capacity.avg_delivered_kbps),
            stored_tb: capacity
                .stored_tb
                .iter()
                .map(|(class, tb)| StoredJson {
                    class: class.name().into(),
                    tb: machine(*tb),
                })
                .collect(),
            stored_tb_total: machine(capacity.stored_tb_total),
            stored_objects: machine(capacity.stored_objects),
            titles_per_month: machine(capacity.titles_per_month),
            transcode_output_minutes: machine(capacity.transcode_output_minutes),
            normalized_minutes: capacity.normalized_minutes.map(machine),
            reserved_slots_needed: capacity.reserved_slots_needed.map(machine),
            reserved_slots_range: capacity
                .reserved_slots_range
                .map(|(low, high)| SlotRangeJson {
                    low: machine(low),
                    high: machine(high),
                }),
            reserved_vs_on_demand: capacity
                .reserved_vs_on_demand
                .as_ref()
                .map(|r| ReservedJson {
                    slots: machine(r.slots),
                    reserved_usd: machine(r.reserved.0),
                    on_demand_usd: machine(r.on_demand.0),
                }),
        },
        unit_economics: UnitEconomicsJson {
            usd_per_viewer_hour: economics.usd_per_viewer_hour.map(|u| machine(u.0)),
            usd_per_title: economics.usd_per_title.map(|u| machine(u.0)),
            usd_per_delivered_gb: economics.usd_per_delivered_gb.map(|u| machine(u.0)),
            delivered_gb: machine(economics.delivered_gb),
            viewer_hours: machine(economics.viewer_hours),
        },
        rungs: e.rungs.iter().map(rung).collect(),
        per_title_by_stage: e
            .per_title_by_stage()
            .iter()
            .map(|c| stage_cost(e, c))
            .collect(),
    }
}

fn stage_cost(e: &Estimate, c: &StageCost) -> StageCostJson {
    let known = !e.pipeline_unknown(c.stage);
    StageCostJson {
        stage: c.stage.label().into(),
        usd_per_month: known.then(|| machine(c.usd_per_month.0)),
        usd_per_title: c.usd_per_title.filter(|_| known).map(|u| machine(u.0)),
        complete: c.complete,
    }
}

/// A rung's share of each step, `None` where no line the rung has a share of has a price
/// (the share of nothing known is unknown, not 0): one rule for the JSON and the CSV.
pub fn rung_shares(r: &RungCost) -> [Option<Usd>; 3] {
    let [t, s, d] = r.known;
    [
        t.amount(r.transcode),
        s.amount(r.storage),
        d.amount(r.delivery),
    ]
}

fn line(l: &LineItem) -> LineJson {
    LineJson {
        service: l.service.name().into(),
        service_code: l.service.code().into(),
        stage: l.stage.label().into(),
        description: l.description.clone(),
        usage_type: l.usage_type.to_string(),
        sku: l.sku.as_deref().map(str::to_string),
        quantity: machine(l.quantity),
        unit: l.unit.to_string(),
        cost_usd: l.cost.map(|c| machine(c.0)),
        price_status: l.price_status.as_str().into(),
        provenance: l.provenance.as_ref().map(|p| ProvenanceJson {
            status: p.status.as_str().into(),
            source: p.source.clone(),
            note: p.note.clone(),
        }),
        rung: l.rung.clone(),
        note: l.note.clone(),
        tiers: l.tiers.iter().map(tier).collect(),
    }
}

fn tier(t: &TierCharge) -> TierJson {
    TierJson {
        label: t.label.to_string(),
        begin: machine(t.begin),
        end: t.end.map(machine),
        quantity: machine(t.quantity),
        usd_per_unit: t.usd_per_unit.normalize().to_string(),
        cost_usd: machine(t.cost.0),
    }
}

fn rung(r: &RungCost) -> RungJson {
    let [transcode, storage, delivery] = rung_shares(r).map(|u| u.map(|u| machine(u.0)));
    RungJson {
        rung: r.rung.clone(),
        output_minutes: machine(r.output_minutes),
        stored_gb: machine(r.stored_gb),
        delivered_gb: machine(r.delivered_gb),
        transcode_usd: transcode,
        storage_usd: storage,
        delivery_usd: delivery,
        total_usd: r.total_known().map(|t| machine(t.0)),
        complete: r.complete,
    }
}
