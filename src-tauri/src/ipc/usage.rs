//! What crosses the bridge for the Usage & Actuals view and the pulls: the monthly drivers
//! of the usage store, the actuals per service, the variance of the open scenario, a
//! calibrated copy of it, and the pulls from CloudWatch and the Price List with their
//! progress. Amounts are decimal strings computed in Rust.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ladderwise_actuals::ChargeKind;
use ladderwise_app::actuals::ShowRow;
use ladderwise_app::export::machine;
use ladderwise_app::variance::Variance;
use ladderwise_usage::MonthDrivers;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use ts_rs::TS;

/// Both local stores as the view shows them.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct UsageOverview {
    #[cfg_attr(test, ts(type = "string"))]
    pub usage_store: PathBuf,
    #[cfg_attr(test, ts(type = "string"))]
    pub actuals_store: PathBuf,
    /// The usage store's months, oldest first.
    pub usage: Vec<UsageMonth>,
    /// The actuals store's months, oldest first: the months a variance can be asked for.
    pub actuals_months: Vec<String>,
    /// Per month and service, oldest month first.
    pub actuals: Vec<ActualsService>,
}

/// One month of drivers from the usage store (CloudWatch series or an imported CSV).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct UsageMonth {
    pub month: String,
    pub days_with_data: u32,
    pub days_in_month: u32,
    /// Every day of the month has CloudFront bytes delivered.
    pub full: bool,
    /// AWS TB (2^40 bytes); `None` when the month has no datapoint of it (not 0).
    pub delivered_tb: Option<String>,
    /// `None` as for `delivered_tb`.
    pub requests: Option<String>,
    /// Request-weighted, a fraction; `null` without CacheHitRate and Requests.
    pub cache_hit_rate: Option<String>,
    /// Video output minutes; `None` without a MediaConvert datapoint in the month (not 0).
    pub output_minutes: Option<String>,
    /// AWS TB in every storage class; `None` without an S3 datapoint in the month (not 0).
    pub stored_tb: Option<String>,
}

fn decimal(v: f64, dp: u32) -> String {
    machine(Decimal::from_f64(v).unwrap_or_default().round_dp(dp))
}

const TB: f64 = 1_099_511_627_776.0;

pub fn usage_month(m: &MonthDrivers) -> UsageMonth {
    UsageMonth {
        month: m.month.clone(),
        days_with_data: m.days_with_data,
        days_in_month: m.days_in_month,
        full: m.is_full(),
        delivered_tb: m.delivered_bytes.map(|b| decimal(b / TB, 3)),
        requests: m.requests.map(|r| decimal(r, 0)),
        cache_hit_rate: m.cache_hit_rate.map(|r| decimal(r, 4)),
        output_minutes: m.measured_video_output_minutes().map(|v| decimal(v, 0)),
        stored_tb: m.measured_stored_bytes().map(|b| decimal(b / TB, 3)),
    }
}

/// A month of one service on the bill: its usage, and credits, refunds, taxes, discounts and
/// commitments apart.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ActualsService {
    pub month: String,
    pub service_code: String,
    pub currency: String,
    pub usage_usd: String,
    /// Every other kind, summed (negative for credits).
    pub adjustments_usd: String,
    pub net_usd: String,
    /// `kind: amount` of each adjustment kind present.
    pub adjustments: Vec<String>,
    pub line_items: u64,
}

/// The rows of `actuals show` summed per month, service and currency.
pub fn actuals_services(rows: &[ShowRow]) -> Vec<ActualsService> {
    type Sums = (Decimal, BTreeMap<ChargeKind, Decimal>, u64);
    let mut by: BTreeMap<(String, String, String), Sums> = BTreeMap::new();
    for r in rows {
        let key = (r.month.clone(), r.service_code.clone(), r.currency.clone());
        let e = by.entry(key).or_default();
        if r.kind == ChargeKind::Usage {
            e.0 += r.billed_cost;
        } else {
            *e.1.entry(r.kind).or_default() += r.billed_cost;
        }
        e.2 += r.line_items;
    }
    by.into_iter()
        .map(|((month, service_code, currency), (usage, other, lines))| {
            let adjustments: Decimal = other.values().copied().sum();
            ActualsService {
                month,
                service_code,
                currency,
                usage_usd: machine(usage),
                adjustments_usd: machine(adjustments),
                net_usd: machine(usage + adjustments),
                adjustments: other
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.name(), machine(*v)))
                    .collect(),
                line_items: lines,
            }
        })
        .collect()
}

/// The open scenario against a month of the bill.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct VarianceRequest {
    pub label: String,
    pub text: String,
    pub month: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct VarianceView {
    pub month: String,
    pub scenario: String,
    /// What the plan is (a month of the forecast, or the steady month and why), in words.
    pub plan_note: String,
    pub snapshot: String,
    pub currency: String,
    pub planned_usd: String,
    /// Some plan line is unpriced: the planned total is a lower bound.
    pub plan_complete: bool,
    pub actual_usage_usd: String,
    pub adjustments_usd: String,
    pub net_usd: String,
    /// Actual usage − planned; `None` when the plan is incomplete (unknown, not a saving or
    /// an overrun).
    pub variance_usd: Option<String>,
    pub variance_percent: Option<String>,
    pub services: Vec<ServiceVarianceRow>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ServiceVarianceRow {
    pub service: String,
    /// `null` when the plan has unpriced lines of the service.
    pub planned_usd: Option<String>,
    pub actual_usd: String,
    /// `null` when the plan has unpriced lines of the service.
    pub delta_usd: Option<String>,
    pub lines: Vec<LineVarianceRow>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct LineVarianceRow {
    /// Where the line is: `both` (the plan and the bill), `bill` only or `plan` only.
    pub place: &'static str,
    pub usage_type: String,
    pub description: String,
    /// `null` when the plan's line is unpriced, or the plan has no such line.
    pub planned_usd: Option<String>,
    /// `null` when the bill has no such line.
    pub actual_usd: Option<String>,
    pub delta_usd: Option<String>,
    /// The usage's change, in percent of the plan's; `null` when not compared.
    pub usage_delta_percent: Option<String>,
    /// The scenario fields to look at, and why, where the usage differs.
    pub driver: Option<String>,
    pub note: Option<String>,
}

pub fn variance(v: &Variance) -> VarianceView {
    let opt = |d: Option<Decimal>| d.map(machine);
    VarianceView {
        month: v.month.clone(),
        scenario: v.scenario.clone(),
        plan_note: v.plan_note.clone(),
        snapshot: v.snapshot.clone(),
        currency: v.currency.clone(),
        planned_usd: machine(v.totals.planned_usd),
        plan_complete: v.totals.complete,
        actual_usage_usd: machine(v.totals.actual_usage_usd),
        adjustments_usd: machine(v.totals.adjustments_usd),
        net_usd: machine(v.totals.net_usd),
        variance_usd: opt(v.totals.variance_usd),
        variance_percent: opt(v.totals.variance_percent.map(|p| p.round_dp(2))),
        services: v
            .services
            .iter()
            .map(|s| ServiceVarianceRow {
                service: s.service.clone(),
                planned_usd: s.planned_complete.then(|| machine(s.planned_usd)),
                actual_usd: machine(s.actual_usd),
                delta_usd: opt(s.delta_usd),
                lines: s
                    .lines
                    .iter()
                    .map(|l| LineVarianceRow {
                        place: "both",
                        usage_type: l.usage_type.clone(),
                        description: l.description.clone(),
                        planned_usd: opt(l.planned_usd),
                        actual_usd: Some(machine(l.actual_usd)),
                        delta_usd: opt(l.delta_usd),
                        usage_delta_percent: opt(l.usage_delta_percent.map(|p| p.round_dp(2))),
                        driver: l
                            .driver
                            .map(|d| format!("{} ({})", d.fields.join(", "), d.reason)),
                        note: l.note.clone(),
                    })
                    .chain(s.actual_only.iter().map(|a| LineVarianceRow {
                        place: "bill",
                        usage_type: a.usage_type.clone(),
                        description: format!("only on the bill: {}", a.reason),
                        planned_usd: None,
                        actual_usd: Some(machine(a.actual_usd)),
                        delta_usd: Some(machine(a.actual_usd)),
                        usage_delta_percent: None,
                        driver: None,
                        note: None,
                    }))
                    .chain(s.planned_only.iter().map(|p| LineVarianceRow {
                        place: "plan",
                        usage_type: p.usage_type.clone(),
                        description: format!("only in the plan: {}", p.description),
                        planned_usd: opt(p.planned_usd),
                        actual_usd: None,
                        delta_usd: p.planned_usd.map(|d| machine(-d)),
                        usage_delta_percent: None,
                        driver: None,
                        note: None,
                    }))
                    .collect(),
            })
            .collect(),
        notes: v.notes.clone(),
    }
}

/// The open scenario to calibrate, from the usage store (CloudWatch) or the bill.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct CalibrateRequest {
    pub label: String,
    pub text: String,
    /// `YYYY-MM`; the last full month when left out.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub month: Option<String>,
    #[serde(default)]
    pub from_actuals: bool,
}

/// A calibrated copy of the scenario, for a new unsaved tab.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Calibrated {
    pub month: String,
    pub text: String,
    /// `[section] key = value` of each value written.
    pub edits: Vec<String>,
    /// What could not be derived from the month.
    pub notes: Vec<String>,
}

/// Which store a file is imported into.
#[derive(Clone, Copy, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// A usage CSV, into the usage store.
    Usage,
    /// A FOCUS 1.2 or CUR 2.0 export, into the actuals store.
    Actuals,
}

/// A file imported into a store.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Imported {
    #[cfg_attr(test, ts(type = "string"))]
    pub path: PathBuf,
    /// What was stored, in words.
    pub summary: String,
}

/// What to read from CloudWatch. Empty id lists read every resource found.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct UsagePullRequest {
    /// A profile of the AWS config files; the SDK's default chain when empty.
    #[serde(default)]
    pub profile: String,
    /// CloudWatch's Region (CloudFront's metrics are in us-east-1).
    pub region: String,
    #[serde(default)]
    pub distributions: Vec<String>,
    #[serde(default)]
    pub queues: Vec<String>,
    #[serde(default)]
    pub buckets: Vec<String>,
    /// `YYYY-MM-DD` or ISO 8601 UTC; 93 days before `to` when empty.
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD` or ISO 8601 UTC; now when empty.
    #[serde(default)]
    pub to: String,
    /// Another endpoint than AWS's (a local test endpoint); see `Startup.endpoint_url`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub endpoint_url: Option<String>,
}

/// A refresh of the prices from the AWS Price List.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct RefreshRequest {
    #[serde(default)]
    pub profile: String,
    /// The Region whose prices are pulled.
    pub region: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub endpoint_url: Option<String>,
    /// The open scenarios, priced under the old and the new snapshot.
    pub scenarios: Vec<OpenScenario>,
}

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct OpenScenario {
    pub label: String,
    pub text: String,
}

/// How a pull ended.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct PullDone {
    /// What was pulled and stored, in words (as the CLI says it).
    pub summary: String,
}

/// Sent while a pull runs, as the event [`PROGRESS_EVENT`].
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct PullProgress {
    /// `usage` or `prices`.
    pub job: &'static str,
    pub message: String,
}

/// The event a running pull reports its progress with.
pub const PROGRESS_EVENT: &str = "pull-progress";
