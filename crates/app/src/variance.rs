//! Plan against bill: one month of a scenario, priced, beside the actuals of that month in the
//! store, line by line.
//!
//! A bill line is set against the plan's line of the same usage type, as the engine names it
//! ([`usage::billed_as`]: AWS's names with their Region, airport or geography prefixes, and
//! MediaConvert's per-output `…-NTM` lines taken for their tier's normalized minutes). Lines
//! of one usage type are summed on each side (accounts, Regions' empty prefix and its `USE1-`
//! spelling, several plan lines of one price). What matches nothing is listed per service:
//! bill lines no plan line bills, and plan lines the bill has none of. Credits, refunds,
//! taxes, discounts and commitments are never usage: they are listed on their own, and only
//! the net total includes them.
//!
//! Usage is compared in the plan's unit: where the bill counts in another unit the amount is
//! converted ([`to_plan_unit`], and the line says how), and where no conversion is known the
//! usage is not compared, never silently. Where the usage differs, the line names the scenario
//! fields that drive it ([`DRIVERS`]).
//!
//! The planned month is an [`Estimate`] with its [`PlanBasis`] ([`planned_month`]): the month
//! of the scenario's forecast when its `[forecast]` reaches the month (the deterministic path,
//! every growth at its central rate, the library aged to that month), else the scenario's
//! steady month (`estimate`), and the basis says why.

use std::collections::BTreeMap;
use std::path::Path;

use ladderwise_actuals::units::to_plan_unit;
use ladderwise_actuals::{ActualRow, ChargeKind};
use ladderwise_model::engine::usage::{self, UsageKey};
use ladderwise_model::engine::{Estimate, LineItem, Service};
use ladderwise_model::scenario::forecast::YearMonth;
use ladderwise_model::{PriceBook, Scenario, estimate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::AppError;
use crate::export::serde_machine as machine;

/// The version of the JSON shape.
pub const SCHEMA: u32 = 1;

/// A usage difference smaller than this share of the planned usage is read as rounding
/// (bills keep six decimal places, conversions divide), and names no driver.
pub const USAGE_TOLERANCE: Decimal = Decimal::from_parts(5, 0, 0, false, 3);

/// Where the planned month comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PlanBasis {
    /// The scenario as written, priced by `estimate`: its steady month, with the library
    /// already stored. The plan of a month its forecast does not reach.
    SteadyMonth { why: OffForecast },
    /// Month `index` (from 1) of the scenario's forecast: its deterministic path, every
    /// growth at its central rate, the library aged to that month.
    Forecast { index: u32 },
}

/// Why a month is planned as the steady month rather than as a month of the forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum OffForecast {
    /// The scenario has no `[forecast]`.
    NoForecast,
    /// Its `[forecast]` leaves the first month to the day it is run (no `start`), so no
    /// calendar month is a month of it.
    NoStart,
    /// The month comes before the forecast's first.
    Before {
        #[serde(serialize_with = "month_text")]
        start: YearMonth,
    },
    /// The month comes after the forecast's last.
    After {
        #[serde(serialize_with = "month_text")]
        last: YearMonth,
    },
}

fn month_text<S: serde::Serializer>(m: &YearMonth, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(m)
}

impl PlanBasis {
    /// What the plan of `month` is, in words.
    pub fn describe(self, month: &str) -> String {
        let steady = "the scenario's steady month (what `estimate` prices: the scenario as written, its library already stored)";
        match self {
            PlanBasis::SteadyMonth { why } => {
                let because = match why {
                    OffForecast::NoForecast => {
                        "the scenario has no [forecast] to place it on".to_string()
                    }
                    OffForecast::NoStart => "its [forecast] has no `start`, so no calendar month is a month of it (write `start = \"YYYY-MM\"` to plan month by month)".to_string(),
                    OffForecast::Before { start } => {
                        format!("it comes before the forecast's first month, {start}")
                    }
                    OffForecast::After { last } => format!(
                        "it comes after the forecast's last month, {last} (forecast more `months` to reach it)"
                    ),
                };
                format!("{month} of the plan is priced as {steady}: {because}")
            }
            PlanBasis::Forecast { index } => format!(
                "{month} is month {index} of the plan's forecast: its deterministic path, every growth at its central rate, the library aged to that month"
            ),
        }
    }
}

/// The plan of `month`: month N of the scenario's forecast when its `[forecast]` has a
/// `start` and its horizon reaches `month`, else the steady month, with the reason. The
/// forecast is run over its own horizon with no Monte Carlo paths: a month's deterministic
/// path is what a budget is set from.
pub fn planned_month(
    s: &Scenario,
    book: &PriceBook,
    month: YearMonth,
) -> Result<(Estimate, PlanBasis), AppError> {
    let f = &s.forecast;
    let steady = |why| Ok((estimate(s, book), PlanBasis::SteadyMonth { why }));
    let start = match (f.given, f.start) {
        (false, _) => return steady(OffForecast::NoForecast),
        (true, None) => return steady(OffForecast::NoStart),
        (true, Some(start)) => start,
    };
    // Which month of the horizon it is, by the forecast's own count.
    let index = month.of_horizon(start);
    if index < 1 {
        return steady(OffForecast::Before { start });
    }
    if index > i64::from(f.months) {
        let last = start.plus(f.months.saturating_sub(1));
        return steady(OffForecast::After { last });
    }
    let forecast = crate::forecast::run(
        s,
        book,
        crate::forecast::Request {
            months: None,
            paths: Some(0),
            start: None,
        },
    )?;
    match forecast.months.into_iter().find(|m| m.month == month) {
        Some(m) => Ok((m.estimate, PlanBasis::Forecast { index: m.index })),
        // Every month of the horizon is priced: reached only if the forecast priced fewer.
        None => steady(OffForecast::After {
            last: start.plus(f.months.saturating_sub(1)),
        }),
    }
}

/// The planned month set against the bill.
#[derive(Clone, Copy, Debug)]
pub struct PlannedMonth<'a> {
    pub estimate: &'a Estimate,
    pub basis: PlanBasis,
}

/// The scenario fields that drive a usage type, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Driver {
    #[serde(skip)]
    pub service: Service,
    /// The usage type without its Region, airport or geography prefix, as the engine's usage
    /// keys name it; `*` stands for any text.
    #[serde(skip)]
    pub usage_type: &'static str,
    /// Scenario field paths (docs/scenario.md); `[*]` is every rung.
    pub fields: &'static [&'static str],
    pub reason: &'static str,
}

const fn driver(
    service: Service,
    usage_type: &'static str,
    fields: &'static [&'static str],
    reason: &'static str,
) -> Driver {
    Driver {
        service,
        usage_type,
        fields,
        reason,
    }
}

/// Which scenario fields each usage type follows: where a bill's usage differs from the
/// plan's, these are the assumptions to look at first. The engine's stages say how each
/// quantity is derived (crates/model/src/engine/drivers.rs and the stage modules).
pub static DRIVERS: &[Driver] = &[
    driver(
        Service::CloudFront,
        "DataTransfer-Out-Bytes",
        &[
            "audience.watch_minutes_per_month",
            "audience.geo",
            "ladder.rungs[*].watch_share",
            "ladder.rungs[*].video_kbps",
            "ladder.rungs[*].audio_kbps",
            "audience.early_exit_share",
            "audience.buffer_ahead_seconds",
            "audience.avg_view_minutes",
            "content.avg_title_minutes",
            "ladder.packaging_overhead",
        ],
        "bytes out are the watch time at the rung mix's bitrate, per geography, plus what players buffer and viewers leave unwatched (no more than the rest of the title)",
    ),
    driver(
        Service::CloudFront,
        "Requests-Tier*",
        &[
            "ladder.segment_seconds",
            "audience.watch_minutes_per_month",
            "audience.geo",
            "audience.avg_view_minutes",
        ],
        "a player fetches one segment per segment length watched, and playlists per view",
    ),
    driver(
        Service::CloudFront,
        "Requests-OriginShield",
        &["delivery.cache_hit_rate", "delivery.origin_shield_hit_rate"],
        "the edge's cache misses reach the shield",
    ),
    driver(
        Service::DataTransfer,
        "DataTransfer-Out-Bytes",
        &[
            "delivery.cdn",
            "audience.watch_minutes_per_month",
            "ladder.rungs[*].video_kbps",
        ],
        "without a CDN viewers read straight from S3 and every byte watched leaves the Region",
    ),
    driver(
        Service::MediaConvert,
        "Normalized-Transcode-Minute-*",
        &[
            "content.new_minutes_per_month",
            "ladder.rungs[*].height",
            "ladder.rungs[*].fps",
            "ladder.rungs[*].codec",
            "transcode.passes",
        ],
        "normalized minutes are the minutes ingested times each rung's factor for its resolution, frame rate, codec and passes",
    ),
    driver(
        Service::MediaConvert,
        "RTS-Y",
        &["transcode.reserved_slots"],
        "reserved slots are billed by the month, however busy",
    ),
    driver(
        Service::ElasticTranscoder,
        "ets-*-success",
        &["content.new_minutes_per_month", "ladder.rungs[*].height"],
        "output minutes are the minutes ingested times the rungs, by SD or HD",
    ),
    driver(
        Service::S3,
        "TimedStorage-*",
        &[
            "content.library_minutes",
            "content.new_minutes_per_month",
            "content.retention_months",
            "storage.lifecycle",
            "ladder.rungs[*].video_kbps",
            "content.source_kbps",
        ],
        "stored bytes are the library and the month's new minutes at the ladder's bytes per minute, in the class the lifecycle has moved them to",
    ),
    driver(
        Service::S3,
        "Requests-*Tier1",
        &[
            "content.new_minutes_per_month",
            "ladder.segment_seconds",
            "content.avg_title_minutes",
        ],
        "every new segment, playlist and source is one PUT",
    ),
    driver(
        Service::S3,
        "Requests-*Tier2",
        &[
            "delivery.cache_hit_rate",
            "delivery.recent_read_share",
            "audience.watch_minutes_per_month",
        ],
        "GETs are CloudFront's cache misses, spread over the classes the titles read are stored in",
    ),
    driver(
        Service::S3,
        "Retrieval-*",
        &[
            "delivery.cache_hit_rate",
            "delivery.recent_read_share",
            "storage.lifecycle",
        ],
        "retrieval is paid on the bytes of cache misses read from an infrequent-access class",
    ),
    driver(
        Service::S3,
        "Requests-Tier4",
        &["storage.lifecycle", "content.new_minutes_per_month"],
        "every object the lifecycle moves is one transition request",
    ),
    driver(
        Service::S3,
        "EarlyDelete-*",
        &["content.retention_months", "storage.lifecycle"],
        "objects deleted or moved before their class's minimum duration pay the days left",
    ),
    driver(
        Service::S3,
        "Monitoring-Automation-INT",
        &["storage.class", "content.library_minutes"],
        "Intelligent-Tiering charges per object it watches",
    ),
    driver(
        Service::Rekognition,
        "Group2-ImagesProcessed",
        &[
            "vision.moderation_images_per_title",
            "vision.label_images_per_title",
            "vision.text_images_per_title",
            "vision.face_images_per_title",
            "vision.frames_per_minute",
            "content.new_minutes_per_month",
            "content.avg_title_minutes",
        ],
        "images are the titles of the month times the images checked per title",
    ),
    driver(
        Service::Rekognition,
        "MinutesOfVideoProcessed",
        &[
            "vision.video_moderation",
            "vision.video_labels",
            "vision.video_text",
            "vision.video_faces",
            "content.new_minutes_per_month",
        ],
        "stored-video moderation reads every minute ingested",
    ),
    driver(
        Service::Rekognition,
        "Group1-ImagesProcessed",
        &[
            "vision.face_search_images_per_title",
            "content.new_minutes_per_month",
            "content.avg_title_minutes",
        ],
        "images are the titles of the month times the faces indexed or searched per title",
    ),
    driver(
        Service::S3,
        "DataTransfer-In-ABytes",
        &[
            "pipeline.accelerated_upload_share",
            "pipeline.upload_kbps",
            "content.new_minutes_per_month",
        ],
        "the accelerated share of the bytes uploaded",
    ),
    driver(
        Service::Lambda,
        "Request",
        &[
            "pipeline.lambda_invocations_per_title",
            "content.new_minutes_per_month",
            "content.avg_title_minutes",
        ],
        "invocations are the titles times the invocations per title (by default one plus one per image analysed)",
    ),
    driver(
        Service::Lambda,
        "Lambda-GB-Second",
        &[
            "pipeline.lambda_invocations_per_title",
            "pipeline.lambda_seconds",
            "pipeline.lambda_memory_mb",
        ],
        "invocations times their duration times their memory",
    ),
    driver(
        Service::StepFunctions,
        "StateTransition",
        &["pipeline.review_share", "pipeline.review_transitions"],
        "the titles sent to review times the transitions of one review",
    ),
    driver(
        Service::DynamoDb,
        "*RequestUnits",
        &[
            "pipeline.dynamodb_writes_per_title",
            "pipeline.dynamodb_reads_per_title",
            "content.new_minutes_per_month",
        ],
        "request units are the titles times the writes or reads per title",
    ),
    driver(
        Service::DynamoDb,
        "TimedStorage-ByteHrs",
        &["pipeline.dynamodb_stored_gb"],
        "the metadata the table holds",
    ),
    driver(
        Service::Sns,
        "Requests-Tier1",
        &[
            "pipeline.sns_publishes_per_title",
            "content.new_minutes_per_month",
        ],
        "publishes are the titles times the notifications per title",
    ),
    driver(
        Service::Sqs,
        "Requests-RBP",
        &[
            "pipeline.sqs_requests_per_title",
            "content.new_minutes_per_month",
        ],
        "requests are the titles times the queue requests per title",
    ),
    driver(
        Service::Kms,
        "KMS-Requests",
        &[
            "pipeline.sse_kms",
            "pipeline.bucket_keys",
            "delivery.cache_hit_rate",
            "content.new_minutes_per_month",
        ],
        "one request per S3 PUT and GET of an SSE-KMS bucket, 1 % of them with S3 Bucket Keys",
    ),
    driver(
        Service::Kms,
        "KMS-Keys",
        &["pipeline.kms_keys", "pipeline.sse_kms"],
        "customer managed keys are billed by the month, one by default for SSE-KMS buckets",
    ),
    driver(
        Service::Waf,
        "*",
        &[
            "pipeline.waf",
            "pipeline.waf_rules",
            "audience.watch_minutes_per_month",
        ],
        "a web ACL, its rules, and every CloudFront request",
    ),
    driver(
        Service::CloudWatch,
        "DataProcessing-Bytes",
        &[
            "pipeline.log_kb_per_invocation",
            "pipeline.lambda_invocations_per_title",
        ],
        "the log bytes of every Lambda invocation",
    ),
    driver(
        Service::Rekognition,
        "FaceVectorsStored",
        &[
            "vision.faces_stored",
            "vision.faces_indexed_per_title",
            "content.library_minutes",
            "content.new_minutes_per_month",
            "content.avg_title_minutes",
        ],
        "face metadata kept: the faces stored at the month's start and half the month's newly indexed faces",
    ),
    driver(
        Service::Comprehend,
        "Comprehend-CustomTraining",
        &["nlp.custom_training_hours"],
        "the hours custom models train",
    ),
    driver(
        Service::Comprehend,
        "Comprehend-CustomModel",
        &["nlp.custom_models"],
        "every custom model kept is billed by the month",
    ),
    driver(
        Service::Comprehend,
        "Comprehend-CustomEndpoint",
        &["nlp.custom_endpoint_units", "nlp.custom_endpoint_hours"],
        "inference units times the seconds the endpoints run",
    ),
    driver(
        Service::Comprehend,
        "Comprehend-CustomAsync",
        &[
            "nlp.custom_async_documents_per_month",
            "nlp.custom_async_chars",
            "nlp.avg_chars",
        ],
        "units are the documents times their 100-character units",
    ),
    driver(
        Service::Comprehend,
        "Detect*",
        &["nlp.documents_per_month", "nlp.avg_chars", "nlp.apis"],
        "units are the documents times their 100-character units, per API",
    ),
];

/// `*` in `pattern` stands for any text (none included).
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| glob(rest, &tail[i..]))
        }
    }
}

/// The drivers of a usage type, by the key's name without prefix.
pub fn driver_of(service: Service, key: &UsageKey) -> Option<&'static Driver> {
    DRIVERS
        .iter()
        .find(|d| d.service == service && glob(d.usage_type, key.name()))
}

/// One usage type of the plan set against the bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineVariance {
    /// As the plan names it (the priced record's usage type).
    pub usage_type: String,
    /// The bill's usage types summed into it.
    pub billed_usage_types: Vec<String>,
    pub description: String,
    /// The plan's unit, in which both usages are given.
    pub unit: String,
    /// The units the bill counts these lines in.
    pub billed_units: Vec<String>,
    #[serde(serialize_with = "machine::decimal")]
    pub planned_usage: Decimal,
    /// `None` when the bill's unit cannot be converted (see `note`).
    #[serde(serialize_with = "machine::optional")]
    pub actual_usage: Option<Decimal>,
    #[serde(serialize_with = "machine::optional")]
    pub usage_delta: Option<Decimal>,
    /// Of the planned usage, in percent; `None` when there is none planned.
    #[serde(serialize_with = "machine::optional")]
    pub usage_delta_percent: Option<Decimal>,
    /// `None` when a plan line is unpriced.
    #[serde(serialize_with = "machine::optional")]
    pub planned_usd: Option<Decimal>,
    /// What the bill charged for the usage (billed cost).
    #[serde(serialize_with = "machine::decimal")]
    pub actual_usd: Decimal,
    #[serde(serialize_with = "machine::optional")]
    pub delta_usd: Option<Decimal>,
    #[serde(serialize_with = "machine::optional")]
    pub delta_percent: Option<Decimal>,
    /// How the bill's amounts were converted to the plan's unit.
    pub conversions: Vec<String>,
    /// What to look at, where the usage differs by more than [`USAGE_TOLERANCE`].
    pub driver: Option<Driver>,
    /// Why the usage is not compared, or a plan line is unpriced.
    pub note: Option<String>,
}

/// Bill usage no plan line bills.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActualOnly {
    pub usage_type: String,
    /// Empty for global charges.
    pub region: String,
    pub unit: String,
    /// `None` when a bill line gave no quantity.
    #[serde(serialize_with = "machine::optional")]
    pub usage_amount: Option<Decimal>,
    #[serde(serialize_with = "machine::decimal")]
    pub actual_usd: Decimal,
    pub reason: String,
}

/// A plan line the bill has nothing of.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedOnly {
    pub usage_type: String,
    pub description: String,
    pub unit: String,
    #[serde(serialize_with = "machine::decimal")]
    pub planned_usage: Decimal,
    #[serde(serialize_with = "machine::optional")]
    pub planned_usd: Option<Decimal>,
}

/// One service, plan against bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceVariance {
    /// AWS's name of the service (the bill's service code where Ladderwise has no name).
    pub service: String,
    pub service_code: String,
    pub lines: Vec<LineVariance>,
    pub actual_only: Vec<ActualOnly>,
    pub planned_only: Vec<PlannedOnly>,
    /// The plan's priced lines of the service.
    #[serde(serialize_with = "machine::decimal")]
    pub planned_usd: Decimal,
    /// Every planned line of the service priced; otherwise `planned_usd` is a lower bound.
    pub planned_complete: bool,
    /// The bill's usage of the service.
    #[serde(serialize_with = "machine::decimal")]
    pub actual_usd: Decimal,
    /// Actual less planned; `None` when the plan has unpriced lines (a cost the snapshot
    /// does not know would read as an overrun).
    #[serde(serialize_with = "machine::optional")]
    pub delta_usd: Option<Decimal>,
}

/// A credit, refund, tax, discount, commitment or other charge of the month: never usage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Adjustment {
    pub kind: &'static str,
    pub service_code: String,
    pub usage_type: String,
    /// The export's own category (`Credit`, `BundledDiscount`, …).
    pub charge_category: String,
    #[serde(serialize_with = "machine::decimal")]
    pub actual_usd: Decimal,
}

/// The month's totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    /// The plan's priced lines; see `complete`.
    #[serde(serialize_with = "machine::decimal")]
    pub planned_usd: Decimal,
    /// False when a plan line is unpriced: the plan's true total is higher.
    pub complete: bool,
    /// The bill's usage, every modelled service.
    #[serde(serialize_with = "machine::decimal")]
    pub actual_usage_usd: Decimal,
    /// Credits, refunds, taxes, discounts, commitments and other charges, summed.
    #[serde(serialize_with = "machine::decimal")]
    pub adjustments_usd: Decimal,
    /// The same by kind.
    #[serde(serialize_with = "machine::map")]
    pub adjustments_by_kind: BTreeMap<&'static str, Decimal>,
    /// Usage and adjustments: what the bill charged for the modelled services.
    #[serde(serialize_with = "machine::decimal")]
    pub net_usd: Decimal,
    /// Actual usage − planned: like for like, as the plan has no credits or taxes. `None`
    /// when the plan leaves an unpriced line out: a cost the snapshot does not know would
    /// read as an overrun.
    #[serde(serialize_with = "machine::optional")]
    pub variance_usd: Option<Decimal>,
    #[serde(serialize_with = "machine::optional")]
    pub variance_percent: Option<Decimal>,
}

/// The plan of a month against its bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Variance {
    pub schema: u32,
    pub scenario: String,
    pub region: String,
    pub month: String,
    pub plan: PlanBasis,
    /// [`PlanBasis::describe`].
    pub plan_note: String,
    /// The price snapshot the plan was priced with.
    pub snapshot: String,
    pub currency: String,
    pub services: Vec<ServiceVariance>,
    pub adjustments: Vec<Adjustment>,
    pub totals: Totals,
    pub notes: Vec<String>,
}

fn percent(delta: Decimal, base: Decimal) -> Option<Decimal> {
    (!base.is_zero()).then(|| delta / base * Decimal::ONE_HUNDRED)
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// Plan lines and bill lines of one usage type.
struct Group<'a> {
    service: Service,
    key: Option<UsageKey>,
    planned: Vec<&'a LineItem>,
    actual: Vec<&'a ActualRow>,
}

/// Whether `r` is a bill's purchase of what the plan buys too: a `Purchase` row of a usage
/// type the plan bills only as a commitment (a reserved transcode slot, a flat-rate plan).
fn buys_as_planned(r: &ActualRow, groups: &[Group], region: &str) -> bool {
    if r.kind != ChargeKind::Commitment || !r.charge_category.eq_ignore_ascii_case("purchase") {
        return false;
    }
    let Some(service) = Service::from_bill_code(&r.service_code) else {
        return false;
    };
    let billed = usage::billed_as(service, &r.usage_type, region).map(|u| u.key);
    groups.iter().any(|g| {
        g.bills(service, billed, &r.usage_type) && g.planned.iter().all(|l| l.is_commitment())
    })
}

impl Group<'_> {
    /// Whether a bill row of `service` and `usage_type` (known to the usage-type table as
    /// `key`) is this group's: by key, or, for a usage type the table does not know (a
    /// CloudFront flat-rate plan's `FlatRatePlan-business`), by its name.
    fn bills(&self, service: Service, key: Option<UsageKey>, usage_type: &str) -> bool {
        self.service == service
            && match (self.key, key) {
                (Some(a), Some(b)) => a == b,
                (None, None) => &*self.planned[0].usage_type == usage_type,
                _ => false,
            }
    }
}

/// The plan of `month` against the usage and charges of `rows` (the store's rows; those of
/// other months are ignored).
pub fn variance(
    plan: PlannedMonth<'_>,
    month: &str,
    rows: &[ActualRow],
) -> Result<Variance, AppError> {
    let e = plan.estimate;
    let region = e.region.as_str();
    let rows: Vec<&ActualRow> = rows.iter().filter(|r| r.month == month).collect();
    let currency = rows
        .first()
        .map_or("USD".to_string(), |r| r.currency.clone());
    if currency != "USD" {
        return Err(AppError::ActualsCurrency {
            month: month.to_string(),
            currency,
        });
    }

    let mut groups: Vec<Group> = Vec::new();
    for line in &e.lines {
        let key = usage::billed_as(line.service, &line.usage_type, region).map(|u| u.key);
        let found = groups
            .iter_mut()
            .find(|g| g.bills(line.service, key, &line.usage_type));
        match found {
            Some(g) => g.planned.push(line),
            None => groups.push(Group {
                service: line.service,
                key,
                planned: vec![line],
                actual: Vec::new(),
            }),
        }
    }

    // (service code, usage type, unit, region) → amount, cost, reason
    type Place = (String, String, String, String);
    let mut unmatched: BTreeMap<Place, (Option<Decimal>, Decimal, String)> = BTreeMap::new();
    let mut adjustments: BTreeMap<(ChargeKind, String, String, String), Decimal> = BTreeMap::new();
    for r in &rows {
        // A purchase the plan makes too (reserved slots, a flat-rate plan) is compared with
        // it line by line; any other charge that is not usage is an adjustment.
        if r.kind != ChargeKind::Usage && !buys_as_planned(r, &groups, region) {
            *adjustments
                .entry((
                    r.kind,
                    r.service_code.clone(),
                    r.usage_type.clone(),
                    r.charge_category.clone(),
                ))
                .or_default() += r.billed_cost;
            continue;
        }
        let billed = Service::from_bill_code(&r.service_code)
            .and_then(|s| usage::billed_as(s, &r.usage_type, region).map(|u| (s, u)));
        let elsewhere = r.billed_elsewhere(region);
        let service = Service::from_bill_code(&r.service_code);
        let mut group = match (&billed, service) {
            (Some((_, u)), _) if u.regional && elsewhere => None,
            (Some((s, u)), _) => groups
                .iter_mut()
                .find(|g| g.bills(*s, Some(u.key), &r.usage_type)),
            // A usage type the table does not know matches the plan's line of that name: a
            // charge of the plan's own making (a flat-rate plan), global like CloudFront.
            (None, Some(s)) => groups.iter_mut().find(|g| g.bills(s, None, &r.usage_type)),
            (None, None) => None,
        };
        // S3's internet egress keeps the product code AmazonS3 on the bill while the Price
        // List prices it in AWSDataTransfer (reference usage-types.md §6): a bill naming the
        // line by its product code (FOCUS `x_ServiceCode`, CUR without `product_servicecode`)
        // is the plan's data transfer.
        if group.is_none()
            && service == Some(Service::S3)
            && !elsewhere
            && let Some(u) = usage::billed_as(Service::DataTransfer, &r.usage_type, region)
        {
            group = groups
                .iter_mut()
                .find(|g| g.bills(Service::DataTransfer, Some(u.key), &r.usage_type));
        }
        match group {
            Some(g) => g.actual.push(r),
            None => {
                let reason = if elsewhere && billed.as_ref().is_none_or(|(_, u)| u.regional) {
                    format!("billed in {}; the plan is for {region}", r.region)
                } else {
                    "no line of the plan bills this usage type".to_string()
                };
                let e = unmatched
                    .entry((
                        r.service_code.clone(),
                        r.usage_type.clone(),
                        r.unit.clone(),
                        r.region.clone(),
                    ))
                    .or_insert((Some(Decimal::ZERO), Decimal::ZERO, reason));
                e.0 = e.0.zip(r.usage_amount).map(|(a, b)| a + b);
                e.1 += r.billed_cost;
            }
        }
    }

    let mut services: Vec<ServiceVariance> = Vec::new();
    let service_of = |services: &mut Vec<ServiceVariance>, code: &str| -> usize {
        let known = Service::from_bill_code(code);
        let code = known.map_or(code, |s| s.code());
        if let Some(i) = services.iter().position(|s| s.service_code == code) {
            return i;
        }
        services.push(ServiceVariance {
            service: known.map_or(code, |s| s.name()).to_string(),
            service_code: code.to_string(),
            lines: Vec::new(),
            actual_only: Vec::new(),
            planned_only: Vec::new(),
            planned_usd: known.map_or(Decimal::ZERO, |s| e.service_total(s).0),
            planned_complete: known.is_none_or(|s| !e.service_unpriced(s)),
            actual_usd: Decimal::ZERO,
            delta_usd: None,
        });
        services.len() - 1
    };
    for g in &groups {
        let i = service_of(&mut services, g.service.code());
        let unit = g.planned[0].unit.clone();
        let mut description = String::new();
        for l in &g.planned {
            if !description.split("; ").any(|d| d == l.description) {
                if !description.is_empty() {
                    description.push_str("; ");
                }
                description.push_str(&l.description);
            }
        }
        let planned_usage: Decimal = g.planned.iter().map(|l| l.quantity).sum();
        let planned_usd = g
            .planned
            .iter()
            .map(|l| l.cost.map(|c| c.0))
            .sum::<Option<Decimal>>();
        if g.actual.is_empty() {
            services[i].planned_only.push(PlannedOnly {
                usage_type: g.planned[0].usage_type.to_string(),
                description,
                unit: unit.to_string(),
                planned_usage,
                planned_usd,
            });
            continue;
        }
        let mut billed_usage_types = Vec::new();
        let mut billed_units = Vec::new();
        let mut conversions = Vec::new();
        let mut actual_usage = Some(Decimal::ZERO);
        let mut note = None;
        for r in &g.actual {
            push_unique(&mut billed_usage_types, &r.usage_type);
            push_unique(&mut billed_units, &r.unit);
            let converted = r
                .usage_amount
                .ok_or_else(|| {
                    "a bill line of this usage type gives no quantity: the actual usage is unknown"
                        .to_string()
                })
                .and_then(|amount| to_plan_unit(amount, &r.unit, &unit, month));
            match converted {
                Ok((amount, how)) => {
                    actual_usage = actual_usage.map(|a| a + amount);
                    if let Some(how) = how {
                        push_unique(&mut conversions, &how);
                    }
                }
                Err(why) => {
                    actual_usage = None;
                    note = Some(why);
                }
            }
        }
        if planned_usd.is_none() {
            note.get_or_insert_with(|| {
                "a plan line of this usage type is unpriced: the planned cost is unknown".into()
            });
        }
        let actual_usd: Decimal = g.actual.iter().map(|r| r.billed_cost).sum();
        let usage_delta = actual_usage.map(|a| a - planned_usage);
        let differs = usage_delta.is_some_and(|d| {
            if planned_usage.is_zero() {
                !d.is_zero()
            } else {
                (d / planned_usage).abs() > USAGE_TOLERANCE
            }
        });
        let delta_usd = planned_usd.map(|p| actual_usd - p);
        services[i].lines.push(LineVariance {
            usage_type: g.planned[0].usage_type.to_string(),
            billed_usage_types,
            description,
            unit: unit.to_string(),
            billed_units,
            planned_usage,
            actual_usage,
            usage_delta,
            usage_delta_percent: usage_delta.and_then(|d| percent(d, planned_usage)),
            planned_usd,
            actual_usd,
            delta_usd,
            delta_percent: delta_usd.zip(planned_usd).and_then(|(d, p)| percent(d, p)),
            conversions,
            driver: if differs {
                g.key.and_then(|k| driver_of(g.service, &k)).copied()
            } else {
                None
            },
            note,
        });
    }
    for ((code, usage_type, unit, row_region), (amount, cost, reason)) in unmatched {
        let i = service_of(&mut services, &code);
        services[i].actual_only.push(ActualOnly {
            usage_type,
            region: row_region,
            unit,
            usage_amount: amount,
            actual_usd: cost,
            reason,
        });
    }
    for s in &mut services {
        s.actual_usd = s.lines.iter().map(|l| l.actual_usd).sum::<Decimal>()
            + s.actual_only.iter().map(|l| l.actual_usd).sum::<Decimal>();
        s.delta_usd = s.planned_complete.then(|| s.actual_usd - s.planned_usd);
    }
    // Bill order: the services Ladderwise models first, in the order it lists them.
    services.sort_by_key(|s| {
        Service::from_bill_code(&s.service_code)
            .and_then(|k| Service::ALL.iter().position(|x| *x == k))
            .unwrap_or(Service::ALL.len())
    });

    let adjustments: Vec<Adjustment> = adjustments
        .into_iter()
        .map(
            |((kind, service_code, usage_type, charge_category), amount)| Adjustment {
                kind: kind.name(),
                service_code,
                usage_type,
                charge_category,
                actual_usd: amount,
            },
        )
        .collect();
    let mut adjustments_by_kind: BTreeMap<&'static str, Decimal> = BTreeMap::new();
    for a in &adjustments {
        *adjustments_by_kind.entry(a.kind).or_default() += a.actual_usd;
    }
    let planned_usd = e.total.0;
    let actual_usage_usd: Decimal = services.iter().map(|s| s.actual_usd).sum();
    let adjustments_usd: Decimal = adjustments.iter().map(|a| a.actual_usd).sum();
    let variance_usd = e.complete.then(|| actual_usage_usd - planned_usd);

    let mut notes = Vec::new();
    if rows.is_empty() {
        notes.push(format!("the store holds no line of {month}"));
    }
    notes.push(
        "actual costs are the bill's billed cost; the plan prices at the snapshot's public prices with the free allowances the scenario grants".into(),
    );
    notes.push(format!(
        "a usage that differs by more than {} % of the plan names the scenario fields that drive it",
        (USAGE_TOLERANCE * Decimal::ONE_HUNDRED).normalize()
    ));
    Ok(Variance {
        schema: SCHEMA,
        scenario: e.scenario.clone(),
        region: e.region.clone(),
        month: month.to_string(),
        plan: plan.basis,
        plan_note: plan.basis.describe(month),
        snapshot: e.snapshot.id.clone(),
        currency: "USD".into(),
        services,
        adjustments,
        totals: Totals {
            planned_usd,
            complete: e.complete,
            actual_usage_usd,
            adjustments_usd,
            adjustments_by_kind,
            net_usd: actual_usage_usd + adjustments_usd,
            variance_usd,
            variance_percent: variance_usd.and_then(|v| percent(v, planned_usd)),
        },
        notes,
    })
}

/// The scenario (or the shipped default) planned for `month` ([`planned_month`]), against
/// the actuals of `month` (`YYYY-MM`) in the store. A month the store does not hold is bad input, and
/// the error lists the months it holds.
pub fn run_variance(
    scenario: Option<&Path>,
    pricing: Option<&Path>,
    month: &str,
) -> Result<Variance, AppError> {
    crate::actuals::parse_month("--month", month)?;
    let (s, book) = crate::load_inputs(scenario, pricing)?;
    variance_of(&s, &book, month)
}

/// The scenario planned for `month` ([`planned_month`]) against the stored actuals of
/// `month`; a month the store does not hold is bad input listing those it does.
pub fn variance_of(s: &Scenario, book: &PriceBook, month: &str) -> Result<Variance, AppError> {
    let stored = crate::actuals::stored_months()?;
    if !stored.iter().any(|m| m == month) {
        return Err(AppError::NoActualsMonth {
            month: month.to_string(),
            stored,
        });
    }
    let (year, m) = crate::actuals::parse_month("--month", month)?;
    let (planned, basis) = planned_month(s, book, YearMonth { year, month: m })?;
    let rows = crate::actuals::load(Some((month, month)))?;
    let mut v = variance(
        PlannedMonth {
            estimate: &planned,
            basis,
        },
        month,
        &rows,
    )?;
    if let Some(note) = unfinished(month, crate::unix_now()) {
        v.notes.insert(0, note);
    }
    Ok(v)
}

/// What to say of `month` (`YYYY-MM`) when it has not ended at `unix_seconds` (UTC): its
/// bill so far holds only part of its charges, and a whole month's plan is not to be read
/// against it as a saving.
fn unfinished(month: &str, unix_seconds: i64) -> Option<String> {
    crate::actuals::days_ended(month, unix_seconds)?;
    let (year, now, day) =
        ladderwise_usage::calendar::civil_from_days(unix_seconds.div_euclid(86_400));
    Some(format!(
        "{month} has not ended (today is {year:04}-{now:02}-{day:02}, UTC): its bill holds only the charges so far, and the variance sets them against a whole month's plan"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ladderwise_model::engine::usage::all;
    use ladderwise_model::scenario::fields;

    #[test]
    fn a_month_not_ended_says_its_bill_is_partial() {
        // 2026-12-02T10:00:00Z.
        let now = 1_796_205_600;
        let note = unfinished("2026-12", now).unwrap();
        assert!(
            note.starts_with("2026-12 has not ended (today is 2026-12-02, UTC)"),
            "{note}"
        );
        assert!(unfinished("2027-01", now).is_some());
        assert_eq!(unfinished("2026-11", now), None);
    }

    #[test]
    fn every_driver_names_fields_of_the_scenario() {
        for d in DRIVERS {
            for f in d.fields {
                let template = f.replace("[*]", "[N]");
                assert!(fields::find(&template).is_some(), "{f} of {}", d.usage_type);
            }
        }
    }

    #[test]
    fn every_priced_usage_type_has_its_drivers() {
        for u in all() {
            // Free allowances are parts of other lines, never lines of their own.
            if u.key.names.iter().any(|n| n.starts_with("Global-")) {
                continue;
            }
            assert!(
                driver_of(u.service, &u.key).is_some(),
                "{:?} {}",
                u.service,
                u.key
            );
        }
    }

    /// October's bill `rows` against the steady month `e`.
    fn october_against(e: &Estimate, rows: &[ActualRow]) -> Variance {
        let plan = PlannedMonth {
            estimate: e,
            basis: PlanBasis::SteadyMonth {
                why: OffForecast::NoForecast,
            },
        };
        variance(plan, "2026-10", rows).unwrap()
    }

    fn bill_row(
        region: &str,
        service: &str,
        usage_type: &str,
        unit: &str,
        amount: &str,
    ) -> ActualRow {
        ActualRow::usage(
            "2026-10",
            region,
            service,
            usage_type,
            unit,
            amount.parse().unwrap(),
            Decimal::ONE,
        )
    }

    /// Direct delivery from S3: the bill's egress line under the product code AmazonS3 is
    /// the plan's AWSDataTransfer line, not a line only in the bill beside one only in the
    /// plan.
    #[test]
    fn s3_egress_under_its_product_code_is_the_plan_s_data_transfer() {
        let text = include_str!("../../../scenarios/legacy-elastic-transcoder.toml");
        let s = Scenario::from_toml("legacy", text).unwrap();
        let e = estimate(&s, &crate::shipped_price_book().unwrap());
        let planned = e
            .lines
            .iter()
            .find(|l| {
                l.service == Service::DataTransfer
                    && l.usage_type.ends_with("DataTransfer-Out-Bytes")
            })
            .expect("direct delivery bills data transfer out");
        let rows = vec![bill_row(
            &s.region,
            "AmazonS3",
            &planned.usage_type,
            "GB",
            &planned.quantity.to_string(),
        )];
        let v = october_against(&e, &rows);
        let dt = v
            .services
            .iter()
            .find(|x| x.service_code == "AWSDataTransfer")
            .unwrap();
        let line = dt
            .lines
            .iter()
            .find(|l| l.usage_type == *planned.usage_type)
            .unwrap();
        assert_eq!(line.actual_usage, Some(planned.quantity));
        assert!(
            v.services.iter().all(|x| x.actual_only.is_empty()),
            "{:?}",
            v.services
        );
    }

    #[test]
    fn lines_match_by_usage_type_region_and_unit() {
        let e = estimate(
            &crate::default_scenario().unwrap(),
            &crate::shipped_price_book().unwrap(),
        );
        let rows = vec![
            // CloudFront's Region is `global` in FOCUS: it matches.
            bill_row(
                "global",
                "AmazonCloudFront",
                "US-DataTransfer-Out-Bytes",
                "GB",
                "1",
            ),
            // S3 Standard storage of another Region is not the plan's.
            bill_row(
                "eu-west-1",
                "AmazonS3",
                "EU-TimedStorage-ByteHrs",
                "GB-Mo",
                "5",
            ),
            // Rekognition counted in a unit the plan does not use: not compared.
            bill_row(
                "us-east-1",
                "AmazonRekognition",
                "USE1-Group2-ImagesProcessed",
                "Hrs",
                "7",
            ),
        ];
        let v = october_against(&e, &rows);
        let service = |code: &str| v.services.iter().find(|s| s.service_code == code).unwrap();
        let us = service("AmazonCloudFront")
            .lines
            .iter()
            .find(|l| l.usage_type == "US-DataTransfer-Out-Bytes")
            .unwrap();
        assert_eq!(us.actual_usage, Some(Decimal::ONE));
        // Far below the plan: the driver is named.
        assert!(us.driver.is_some());
        let s3 = service("AmazonS3");
        assert_eq!(
            s3.actual_only[0].reason,
            "billed in eu-west-1; the plan is for us-east-1"
        );
        assert!(s3.lines.is_empty(), "nothing else of S3 was billed");
        let images = &service("AmazonRekognition").lines[0];
        assert_eq!(images.actual_usage, None);
        assert_eq!(images.driver, None);
        assert!(
            images
                .note
                .as_deref()
                .unwrap()
                .contains("the bill counts Hrs and the plan Images")
        );
        // The plan's lines the bill lacks are listed, not dropped.
        assert!(!service("AWSElementalMediaConvert").planned_only.is_empty());
        assert_eq!(v.totals.actual_usage_usd, Decimal::from(3));
    }

    #[test]
    fn patterns_match_whole_names() {
        assert!(glob("Requests-*Tier2", "Requests-Tier2"));
        assert!(glob("Requests-*Tier2", "Requests-SIA-Tier2"));
        assert!(!glob("Requests-*Tier2", "Requests-Tier2-HTTPS"));
        assert!(glob("Detect*", "DetectSentiment"));
        assert!(!glob("TimedStorage-*", "Tables-TimedStorage-ByteHrs"));
    }

    #[test]
    fn storage_in_hours_becomes_months_and_unknown_units_are_not_compared() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        // 744 hours in October: 744 GB-Hours are 1 GB-Mo.
        let (v, how) = to_plan_unit(d("74400"), "GB-Hours", "GB-Mo", "2026-10").unwrap();
        assert_eq!(v, d("100"));
        assert!(how.unwrap().contains("744 hours in 2026-10"));
        // The S3 FAQ's example: 42,259,901,212,262,400 byte-hours in March are 52,900 GB-Mo.
        let (v, _) = to_plan_unit(d("42259901212262400"), "ByteHrs", "GB-Mo", "2026-03").unwrap();
        assert_eq!(v.round_dp(6), d("52900"));
        assert_eq!(
            to_plan_unit(d("5"), "Requests", "requests", "2026-10").unwrap(),
            (d("5"), None)
        );
        assert!(to_plan_unit(d("5"), "Hrs", "GB-Mo", "2026-10").is_err());
    }
}
