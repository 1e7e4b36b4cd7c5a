//! The cost engine: one month of a scenario, priced line by line.
//!
//! [`estimate`] first derives the month's physical quantities ([`Drivers`]: bytes, minutes,
//! requests, objects), then prices each stage against the [`PriceBook`]. Money comes last, and
//! every line keeps the quantity, unit, tiers, SKU and provenance it was priced with. A line
//! whose price is missing from the book is reported as unpriced, never as zero, and the
//! estimate says it is incomplete.

pub(crate) mod analysis;
pub mod delivery;
pub mod drivers;
pub mod flat_rate;
pub mod glue;
pub mod storage;
pub mod transcode;
pub mod usage;

use rust_decimal::Decimal;
use serde::Serialize;

use std::sync::Arc;

use crate::pricebook::{PriceBook, PriceStatus, Provenance, SnapshotInfo, shared_or_none};
use crate::scenario::{Geography, Scenario, StorageClass, TranscodeService};
use crate::tiers::TierCharge;
use crate::units::{Bitrate, Seconds, Usd};
pub use drivers::Drivers;

/// The AWS services Ladderwise prices, with their Price List service codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Service {
    MediaConvert,
    ElasticTranscoder,
    S3,
    CloudFront,
    DataTransfer,
    Rekognition,
    Comprehend,
    Lambda,
    StepFunctions,
    DynamoDb,
    Sns,
    Sqs,
    Kms,
    Waf,
    CloudWatch,
}

impl Service {
    /// Every service, in bill order.
    pub const ALL: [Service; 15] = [
        Service::MediaConvert,
        Service::ElasticTranscoder,
        Service::S3,
        Service::CloudFront,
        Service::DataTransfer,
        Service::Rekognition,
        Service::Comprehend,
        Service::Lambda,
        Service::StepFunctions,
        Service::DynamoDb,
        Service::Sns,
        Service::Sqs,
        Service::Kms,
        Service::Waf,
        Service::CloudWatch,
    ];

    /// The service a user names: its Price List code (`AmazonCloudFront`), its name
    /// (`Amazon CloudFront`), or its short name (`cloudfront`, `s3`), in any case.
    pub fn from_name(name: &str) -> Option<Service> {
        let lower = name.trim().to_lowercase();
        Service::ALL.into_iter().find(|s| {
            let code = s.code().to_lowercase();
            code == lower
                || s.name().to_lowercase() == lower
                || s.name().to_lowercase().ends_with(&format!(" {lower}"))
                || code.trim_start_matches("amazon").trim_start_matches("aws") == lower
        })
    }

    /// Elastic Transcoder reached end of support on 2025-11-13: its prices are a legacy
    /// baseline, and a refresh carries them over unless asked for.
    pub fn discontinued(self) -> bool {
        self == Service::ElasticTranscoder
    }

    /// The Price List `ServiceCode`.
    pub fn code(self) -> &'static str {
        match self {
            Service::MediaConvert => "AWSElementalMediaConvert",
            Service::ElasticTranscoder => "AmazonETS",
            Service::S3 => "AmazonS3",
            Service::CloudFront => "AmazonCloudFront",
            Service::DataTransfer => "AWSDataTransfer",
            Service::Rekognition => "AmazonRekognition",
            // The offer code AWS publishes Comprehend under (usage-types.md §3: the offer
            // index's `"offerCode" : "comprehend"` and the offer file's URL).
            Service::Comprehend => "comprehend",
            Service::Lambda => "AWSLambda",
            Service::StepFunctions => "AmazonStates",
            Service::DynamoDb => "AmazonDynamoDB",
            Service::Sns => "AmazonSNS",
            Service::Sqs => "AWSQueueService",
            Service::Kms => "awskms",
            Service::Waf => "awswaf",
            Service::CloudWatch => "AmazonCloudWatch",
        }
    }

    /// Every service code a bill names the service with: the Price List code, and for
    /// Comprehend also `AmazonComprehend`, the product code its bill lines carry beside the
    /// offer code `comprehend` (usage-types.md §3). The one list of the codes bills and
    /// queries filter on.
    pub fn bill_codes(self) -> Vec<&'static str> {
        match self {
            Service::Comprehend => vec![self.code(), "AmazonComprehend"],
            _ => vec![self.code()],
        }
    }

    /// The service a bill line's service code names, if Ladderwise models it.
    pub fn from_bill_code(code: &str) -> Option<Service> {
        Service::ALL
            .into_iter()
            .find(|s| s.bill_codes().contains(&code))
    }

    /// AWS's own name of the service, as bills show it.
    pub fn name(self) -> &'static str {
        match self {
            Service::MediaConvert => "AWS Elemental MediaConvert",
            Service::ElasticTranscoder => "Amazon Elastic Transcoder",
            Service::S3 => "Amazon Simple Storage Service",
            Service::CloudFront => "Amazon CloudFront",
            Service::DataTransfer => "AWS Data Transfer",
            Service::Rekognition => "Amazon Rekognition",
            Service::Comprehend => "Amazon Comprehend",
            Service::Lambda => "AWS Lambda",
            Service::StepFunctions => "AWS Step Functions",
            Service::DynamoDb => "Amazon DynamoDB",
            Service::Sns => "Amazon Simple Notification Service",
            Service::Sqs => "Amazon Simple Queue Service",
            Service::Kms => "AWS Key Management Service",
            Service::Waf => "AWS WAF",
            Service::CloudWatch => "Amazon CloudWatch",
        }
    }
    /// The name where space is short (table columns, chart legends): `MediaConvert`, `S3`.
    pub fn short_name(self) -> &'static str {
        match self {
            Service::MediaConvert => "MediaConvert",
            Service::ElasticTranscoder => "Elastic Transcoder",
            Service::S3 => "S3",
            Service::CloudFront => "CloudFront",
            Service::DataTransfer => "Data Transfer",
            Service::Rekognition => "Rekognition",
            Service::Comprehend => "Comprehend",
            Service::Lambda => "Lambda",
            Service::StepFunctions => "Step Functions",
            Service::DynamoDb => "DynamoDB",
            Service::Sns => "SNS",
            Service::Sqs => "SQS",
            Service::Kms => "KMS",
            Service::Waf => "WAF",
            Service::CloudWatch => "CloudWatch",
        }
    }

    /// The FOCUS `ServiceCategory` and `ServiceSubcategory` of the service (FOCUS 1.2,
    /// Appendix: Service Categories), for the forecast's FOCUS rows.
    pub fn focus_category(self) -> (&'static str, &'static str) {
        match self {
            Service::MediaConvert | Service::ElasticTranscoder => ("Media", "Media Streaming"),
            Service::S3 => ("Storage", "Object Storage"),
            Service::CloudFront | Service::DataTransfer => ("Networking", "Content Delivery"),
            Service::Rekognition => ("AI and Machine Learning", "Machine Learning"),
            Service::Comprehend => ("AI and Machine Learning", "Natural Language Processing"),
            Service::Lambda => ("Compute", "Serverless Compute"),
            Service::StepFunctions => ("Integration", "Workflow Orchestration"),
            Service::DynamoDb => ("Databases", "NoSQL Databases"),
            Service::Sns | Service::Sqs => ("Integration", "Messaging"),
            Service::Kms => ("Security", "Secret Management"),
            Service::Waf => ("Security", "Network Security"),
            Service::CloudWatch => ("Management and Governance", "Observability"),
        }
    }
}

impl Serialize for Service {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The pipeline stage a line belongs to, for breakdowns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Getting uploads in: S3 Transfer Acceleration.
    Ingest,
    Transcode,
    Storage,
    Delivery,
    Requests,
    /// Rekognition, images and stored video (`moderation` since before `[vision]`).
    Moderation,
    Nlp,
    /// The serverless glue: Lambda, Step Functions, DynamoDB, SNS, SQS, KMS, WAF, logs.
    Glue,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Ingest,
        Stage::Transcode,
        Stage::Storage,
        Stage::Delivery,
        Stage::Requests,
        Stage::Moderation,
        Stage::Nlp,
        Stage::Glue,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Ingest => "ingest",
            Stage::Transcode => "transcode",
            Stage::Storage => "storage",
            Stage::Delivery => "delivery",
            Stage::Requests => "requests",
            Stage::Moderation => "moderation",
            Stage::Nlp => "nlp",
            Stage::Glue => "glue",
        }
    }
}

/// The seven steps of the pipeline a title goes through, for its cost per title: the
/// [`Stage`]s of the bill grouped as a reader of the design names them (requests go with
/// what they do: writes with storage, a viewer's reads with delivery).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PipelineStage {
    Ingest,
    Transcode,
    Vision,
    Text,
    Glue,
    Storage,
    Delivery,
}

impl PipelineStage {
    pub const ALL: [PipelineStage; 7] = [
        PipelineStage::Ingest,
        PipelineStage::Transcode,
        PipelineStage::Vision,
        PipelineStage::Text,
        PipelineStage::Glue,
        PipelineStage::Storage,
        PipelineStage::Delivery,
    ];

    /// How the steps differ from the bill's stages of the same names, for every table that
    /// shows both.
    pub const NOTE: &'static str = "requests go with what they do: S3 writes with storage, viewers' reads (GETs and retrieval) with delivery, so storage and delivery here differ from the stages of those names";

    pub fn label(self) -> &'static str {
        match self {
            PipelineStage::Ingest => "ingest",
            PipelineStage::Transcode => "transcode",
            PipelineStage::Vision => "vision",
            PipelineStage::Text => "text",
            PipelineStage::Glue => "glue",
            PipelineStage::Storage => "storage",
            PipelineStage::Delivery => "delivery",
        }
    }

    /// The step a line is for.
    pub fn of(line: &LineItem) -> PipelineStage {
        match line.stage {
            Stage::Ingest => PipelineStage::Ingest,
            Stage::Transcode => PipelineStage::Transcode,
            Stage::Moderation => PipelineStage::Vision,
            Stage::Nlp => PipelineStage::Text,
            Stage::Glue => PipelineStage::Glue,
            Stage::Storage => PipelineStage::Storage,
            // S3's GETs are the reads a viewer's request makes (directly, or as a CloudFront
            // origin fetch): delivery, as the retrieval fee of the same read is. Its other
            // requests (PUTs of new objects) write what is stored.
            Stage::Requests if line.service == Service::S3 && !line.is_s3_read() => {
                PipelineStage::Storage
            }
            Stage::Requests | Stage::Delivery => PipelineStage::Delivery,
        }
    }
}

/// One step's cost per title of the month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageCost {
    pub stage: PipelineStage,
    /// Over the step's priced lines: a lower bound when `complete` is false.
    pub usd_per_month: Usd,
    pub complete: bool,
    /// `None` when the month has no titles.
    pub usd_per_title: Option<Usd>,
}

/// How a line was priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineStatus {
    PriceList,
    AwsPage,
    ThirdParty,
    Unverified,
    /// No price in the book: the line has no cost and the total is incomplete.
    Unpriced,
}

impl From<PriceStatus> for LineStatus {
    fn from(s: PriceStatus) -> Self {
        match s {
            PriceStatus::PriceList => LineStatus::PriceList,
            PriceStatus::AwsPage => LineStatus::AwsPage,
            PriceStatus::ThirdParty => LineStatus::ThirdParty,
            PriceStatus::Unverified => LineStatus::Unverified,
        }
    }
}

impl LineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::PriceList => "price-list",
            LineStatus::AwsPage => "aws-page",
            LineStatus::ThirdParty => "third-party",
            LineStatus::Unverified => "unverified",
            LineStatus::Unpriced => "unpriced",
        }
    }
}

/// One line of the bill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineItem {
    pub service: Service,
    pub stage: Stage,
    pub description: String,
    /// The record's usage type when priced; the usage type looked for when unpriced.
    #[serde(serialize_with = "crate::pricebook::shared")]
    pub usage_type: Arc<str>,
    #[serde(serialize_with = "shared_or_none")]
    pub sku: Option<Arc<str>>,
    pub quantity: Decimal,
    /// The unit as the Price List writes it.
    #[serde(serialize_with = "crate::pricebook::shared")]
    pub unit: Arc<str>,
    /// The quantity split over the price tiers (a free allowance first, when one applies).
    pub tiers: Vec<TierCharge>,
    /// `None` when unpriced.
    pub cost: Option<Usd>,
    pub price_status: LineStatus,
    #[serde(serialize_with = "shared_or_none")]
    pub provenance: Option<Arc<Provenance>>,
    /// The rung this line is for, when it is for one.
    pub rung: Option<String>,
    /// The CloudFront geography this line is for, when it is for one. Not part of the
    /// estimate's JSON: the description names it.
    #[serde(skip)]
    pub geography: Option<Geography>,
    /// Why a line is unpriced, or an assumption it rests on.
    pub note: Option<String>,
    /// How the line was priced from the month's drivers, for the forecast's Monte Carlo
    /// evaluator; not shown.
    #[serde(skip)]
    pub pricing: Pricing,
    /// Billed in a Region the charge fixes, whatever the scenario's (the web ACL of a
    /// CloudFront distribution, in us-east-1): its usage type is the same in every Region.
    /// Origin Shield, billed in the scenario's own Region, is not.
    #[serde(skip)]
    pub billed_elsewhere: bool,
}

/// How a line's quantity and free allowance follow the month's drivers. Most lines are
/// linear in the drivers; the others say which rule of the engine shapes them, so the
/// forecast's fast evaluator applies that same rule.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Recipe {
    /// Quantity linear in the drivers; a fixed allowance.
    #[default]
    Linear,
    /// Quantity linear; the allowance is `free` times the geography's share of watch time.
    GeoShare {
        geo: crate::scenario::Geography,
        free: Decimal,
    },
    /// The month's origin reads (requests, or GB when `bytes`) times the share
    /// [`delivery::read_split`] gives the class.
    ReadSplit { class: StorageClass, bytes: bool },
    /// Normalized minutes on demand: the base times the share of jobs the reserved slots do
    /// not take ([`transcode::on_reserved_share`]); `needed_per_minute` slots per content
    /// minute.
    OnDemand {
        reserved: Decimal,
        needed_per_minute: Decimal,
        /// The share of the base a reserved queue may run (not its 8K or AV1 outputs).
        eligible: Decimal,
    },
    /// Elastic Transcoder minutes whose free allowance is shared by SD and HD.
    EtsFree { hd: bool },
    /// A flat-rate plan's price.
    Plan,
    /// S3 Standard storage less the flat-rate plan's credit.
    PlanCredit,
    /// A fixed quantity, the same whatever the month's drivers (KMS keys, WAF rules, reserved
    /// slots); `commitment` when it is bought for a term rather than used (reserved transcode
    /// slots), as a bill's `Purchase` rows are.
    Fixed { commitment: bool },
}

/// What [`price`] priced a line from.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pricing {
    pub recipe: Recipe,
    /// The quantity the recipe starts from: the line's quantity, or (origin reads, on-demand
    /// minutes) the total a share of it is.
    pub base: Decimal,
    pub free: Option<Decimal>,
    pub pooled: Decimal,
}

/// What identifies a line across two estimates: the same charge in another scenario has the
/// same service, usage type, rung and geography (descriptions carry quantities and may
/// differ).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineKey {
    pub service: Service,
    pub usage_type: Arc<str>,
    pub rung: Option<String>,
    pub geography: Option<Geography>,
}

impl LineItem {
    /// Bought for the month rather than used in it: reserved transcode slots and a
    /// CloudFront flat-rate plan, which a bill (and the forecast's FOCUS rows) charges as a
    /// `Purchase`, not as usage.
    pub fn is_commitment(&self) -> bool {
        matches!(
            self.pricing.recipe,
            Recipe::Plan | Recipe::Fixed { commitment: true }
        )
    }

    /// A read of stored content a viewer's request makes (directly, or as a CloudFront
    /// origin fetch): S3's GET requests and retrieval fees, whatever the Region's prefix on
    /// their usage types (`EU-Retrieval-SIA`). Told by how the engine priced the line, the
    /// origin reads split over the classes, not by the usage type's spelling.
    pub fn is_s3_read(&self) -> bool {
        self.service == Service::S3 && matches!(self.pricing.recipe, Recipe::ReadSplit { .. })
    }

    /// The key that matches this line with the same charge of another estimate.
    pub fn key(&self) -> LineKey {
        LineKey {
            service: self.service,
            usage_type: self.usage_type.clone(),
            rung: self.rung.clone(),
            geography: self.geography,
        }
    }

    /// The key that matches this line with the same charge of an estimate in another Region:
    /// its usage type without `region`'s prefix. A CloudFront line keeps its edge
    /// geography's (`EU-` is Europe's edge there, not eu-west-1), a line billed in a fixed
    /// Region that Region's.
    pub fn key_across_regions(&self, region: &str) -> LineKey {
        let mut key = self.key();
        if self.geography.is_none() && !self.billed_elsewhere {
            let bare = usage::without_region(&self.usage_type, region);
            if bare.len() != self.usage_type.len() {
                key.usage_type = Arc::from(bare);
            }
        }
        key
    }

    /// Whether the tier walk is worth showing: more than one tier, or a free allowance.
    pub fn shows_tiers(&self) -> bool {
        self.tiers.len() > 1 || self.tiers.iter().any(|t| t.is_free_tier())
    }
}

/// Capacity the month needs, beyond money.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Capacity {
    /// Average delivered bitrate over the 730-hour month, in Gbps (10^9 bits/s).
    pub avg_egress_gbps: Decimal,
    /// Average times the scenario's peak-to-average factor.
    pub peak_egress_gbps: Decimal,
    pub peak_requests_per_second: Decimal,
    pub avg_concurrent_viewers: Decimal,
    pub peak_concurrent_viewers: Decimal,
    /// Rung-mix weighted bitrate a viewer receives, in kbps.
    pub avg_delivered_kbps: Decimal,
    /// Bytes stored at the end of the month, per class, in AWS TB (2^40 bytes).
    pub stored_tb: Vec<(StorageClass, Decimal)>,
    pub stored_tb_total: Decimal,
    pub stored_objects: Decimal,
    pub titles_per_month: Decimal,
    /// Output minutes transcoded per month: every rung's, and the separate audio
    /// rendition's when the ladder has one (an output billed like the others).
    pub transcode_output_minutes: Decimal,
    /// MediaConvert normalized minutes per month; `None` for Elastic Transcoder.
    pub normalized_minutes: Option<Decimal>,
    /// Reserved transcode slots that keep up with the month's source minutes at the
    /// scenario's central job speed (a slot runs one job at a time); `None` for Elastic
    /// Transcoder, which has no reserved slots, and for a ladder a reserved queue cannot run.
    pub reserved_slots_needed: Option<Decimal>,
    /// The same at the fastest and slowest job speeds of the scenario's range.
    pub reserved_slots_range: Option<(Decimal, Decimal)>,
    /// Reserving the slots the month needs, against every output on demand.
    pub reserved_vs_on_demand: Option<transcode::ReservedComparison>,
}

/// Costs divided by what the month delivers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitEconomics {
    pub usd_per_viewer_hour: Option<Usd>,
    pub usd_per_title: Option<Usd>,
    pub usd_per_delivered_gb: Option<Usd>,
    pub delivered_gb: Decimal,
    pub viewer_hours: Decimal,
}

/// One rung's share of the month: what it makes, stores and delivers, and the costs
/// allocated to it (transcode by its normalized minutes, storage by its bytes, delivery by
/// its delivered bytes).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RungCost {
    pub rung: String,
    pub output_minutes: Decimal,
    pub stored_gb: Decimal,
    pub delivered_gb: Decimal,
    pub transcode: Usd,
    pub storage: Usd,
    pub delivery: Usd,
    pub total: Usd,
    /// Every line the rung has a share of is priced; otherwise its amounts are lower bounds.
    pub complete: bool,
    /// How much of the rung's transcode, storage and delivery shares is known, each from
    /// the lines the rung has a share of (another rung's unpriced line leaves this one's
    /// share whole).
    #[serde(skip)]
    pub known: [ShareKnown; 3],
}

impl RungCost {
    /// The rung's total when anything of it is known: `None` when every step's share is of
    /// lines without a price, so its 0 is no amount (a lower bound when `complete` is false).
    pub fn total_known(&self) -> Option<Usd> {
        (self.known.iter().any(|k| *k != ShareKnown::Unknown)).then_some(self.total)
    }
}

/// How much of a rung's share of a step the estimate knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareKnown {
    /// Every line the rung has a share of is priced (or it has none).
    Whole,
    /// Some are priced and some not: the share is a lower bound.
    AtLeast,
    /// It has a share only of lines without a price: unknown, not 0.
    Unknown,
}

impl ShareKnown {
    /// `amount` as the tables write a share: `unpriced`, `≥$x` or `$x`.
    pub fn written(self, amount: Usd) -> String {
        match self {
            ShareKnown::Whole => amount.to_string(),
            ShareKnown::AtLeast => format!("≥{amount}"),
            ShareKnown::Unknown => "unpriced".into(),
        }
    }

    /// `amount` when anything of it is known.
    pub fn amount(self, amount: Usd) -> Option<Usd> {
        (self != ShareKnown::Unknown).then_some(amount)
    }
}

/// A priced month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub scenario: String,
    pub region: String,
    pub snapshot: SnapshotInfo,
    pub lines: Vec<LineItem>,
    /// Sum of the priced lines. When `complete` is false, some lines are unpriced and the
    /// true total is higher.
    pub total: Usd,
    pub complete: bool,
    pub warnings: Vec<String>,
    pub capacity: Capacity,
    pub unit_economics: UnitEconomics,
    pub rungs: Vec<RungCost>,
}

impl Estimate {
    pub fn unpriced(&self) -> impl Iterator<Item = &LineItem> {
        self.lines
            .iter()
            .filter(|l| l.price_status == LineStatus::Unpriced)
    }

    /// The services with a line, in bill order.
    pub fn services(&self) -> Vec<Service> {
        services_of(self.lines.iter())
    }

    /// The services with a line the snapshot has no price for, in bill order: their cost is
    /// unknown, and what is shown of it is a lower bound.
    pub fn unpriced_services(&self) -> Vec<Service> {
        services_of(self.unpriced())
    }

    /// Whether `service` has a line the snapshot has no price for.
    pub fn service_unpriced(&self, service: Service) -> bool {
        self.unpriced().any(|l| l.service == service)
    }

    /// What one service costs, over its priced lines.
    pub fn service_total(&self, service: Service) -> Usd {
        self.lines
            .iter()
            .filter(|l| l.service == service)
            .filter_map(|l| l.cost)
            .sum()
    }

    /// What each step of the pipeline costs per title, every step listed (zero where the
    /// scenario has none of it).
    pub fn per_title_by_stage(&self) -> Vec<StageCost> {
        let titles = self.capacity.titles_per_month;
        PipelineStage::ALL
            .into_iter()
            .map(|stage| {
                let cost: Usd = self
                    .lines
                    .iter()
                    .filter(|l| PipelineStage::of(l) == stage)
                    .filter_map(|l| l.cost)
                    .sum();
                StageCost {
                    stage,
                    usd_per_month: cost,
                    complete: !self.pipeline_unpriced(stage),
                    usd_per_title: cost.0.checked_div(titles).map(Usd),
                }
            })
            .collect()
    }

    pub fn stage_total(&self, stage: Stage) -> Usd {
        self.lines
            .iter()
            .filter(|l| l.stage == stage)
            .filter_map(|l| l.cost)
            .sum()
    }

    /// Whether `stage` has a line the snapshot has no price for: its total is then a lower
    /// bound, never to be shown as the stage's cost.
    pub fn stage_unpriced(&self, stage: Stage) -> bool {
        self.unpriced().any(|l| l.stage == stage)
    }

    /// Whether `stage` has lines and none of them has a price: its amount is then unknown,
    /// not a lower bound of 0.
    pub fn pipeline_unknown(&self, stage: PipelineStage) -> bool {
        let mut lines = self.lines.iter().filter(|l| PipelineStage::of(l) == stage);
        lines.clone().next().is_some() && lines.all(|l| l.cost.is_none())
    }

    /// [`Estimate::stage_unpriced`] for a step of the pipeline.
    pub fn pipeline_unpriced(&self, stage: PipelineStage) -> bool {
        self.unpriced().any(|l| PipelineStage::of(l) == stage)
    }
}

/// What the stages need to price a usage quantity.
pub(crate) struct Charge<'a> {
    pub service: Service,
    pub stage: Stage,
    pub description: String,
    /// The usage looked up, by AWS's names (`TimedStorage-ByteHrs`, which is
    /// `EU-TimedStorage-ByteHrs` in eu-west-1: the key knows the prefixes).
    pub usage: usage::UsageKey,
    /// `Some(region)` for regional services; `None` for global ones (CloudFront).
    pub region: Option<&'a str>,
    pub quantity: Decimal,
    pub unit: &'static str,
    /// Free quantity taken off before the tiers, with the record it came from.
    pub free: Option<Decimal>,
    /// What the free quantity is, named on the line's first tier.
    pub allowance: crate::tiers::Allowance,
    /// Units of the same pool billed before this workload's (other workloads' normalized
    /// minutes in an Organization): the tiers are walked from there.
    pub pooled: Decimal,
    pub rung: Option<String>,
    pub geography: Option<Geography>,
    pub note: Option<String>,
    pub recipe: Recipe,
    /// The recipe's base when it is not the quantity.
    pub base: Option<Decimal>,
}

impl<'a> Charge<'a> {
    pub fn new(
        service: Service,
        stage: Stage,
        description: impl Into<String>,
        usage: usage::UsageKey,
        region: Option<&'a str>,
        quantity: Decimal,
        unit: &'static str,
    ) -> Self {
        Charge {
            service,
            stage,
            description: description.into(),
            usage,
            region,
            quantity,
            unit,
            free: None,
            allowance: crate::tiers::Allowance::FreeTier,
            pooled: Decimal::ZERO,
            rung: None,
            geography: None,
            note: None,
            recipe: Recipe::Linear,
            base: None,
        }
    }

    /// How the quantity follows the drivers, when not linearly; `base` is what a share of it
    /// the quantity is.
    pub fn recipe(mut self, recipe: Recipe, base: Option<Decimal>) -> Self {
        self.recipe = recipe;
        self.base = base;
        self
    }

    pub fn free(mut self, allowance: Option<Decimal>) -> Self {
        self.free = allowance;
        self
    }

    /// A quantity taken off before the tiers that is not the free tier (a flat-rate plan's
    /// S3 credit), named on the line.
    pub fn credit(mut self, amount: Option<Decimal>) -> Self {
        self.free = amount;
        self.allowance = crate::tiers::Allowance::PlanCredit;
        self
    }

    /// Walks the tiers after `units` other workloads bill in the same pool.
    pub fn pooled_after(mut self, units: Decimal) -> Self {
        self.pooled = units;
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn geography(mut self, geography: Geography) -> Self {
        self.geography = Some(geography);
        self
    }
}

/// Prices one usage quantity: finds the record, checks its unit, takes off a free allowance,
/// walks the rest through the tiers. Anything it cannot price becomes an unpriced line.
pub(crate) fn price(book: &PriceBook, c: Charge) -> LineItem {
    let record = book.find_usage(c.service.code(), &c.usage, c.region);
    let pricing = Pricing {
        recipe: c.recipe,
        base: c.base.unwrap_or(c.quantity),
        free: c.free,
        pooled: c.pooled,
    };
    let unpriced = |c: Charge, note: String| LineItem {
        service: c.service,
        stage: c.stage,
        description: c.description,
        usage_type: c.usage.name_in(c.region).into(),
        sku: None,
        quantity: c.quantity,
        unit: c.unit.into(),
        tiers: Vec::new(),
        cost: None,
        price_status: LineStatus::Unpriced,
        provenance: None,
        rung: c.rung,
        geography: c.geography,
        note: Some(note),
        pricing,
        billed_elsewhere: c.usage.region.is_some() && c.usage.region != c.region,
    };
    let Some(record) = record else {
        let note = match c
            .region
            .and_then(|r| book.not_offered_in(c.service.code(), r))
        {
            Some(n) => format!(
                "{} is not offered in {} ({})",
                c.service.name(),
                n.region,
                book.source_text(&n.source)
            ),
            None => format!(
                "no {} price for usage type {}{} in snapshot {}",
                c.service.code(),
                c.usage,
                c.region.map_or(String::new(), |r| format!(" in {r}")),
                book.snapshot.id
            ),
        };
        return unpriced(c, note);
    };
    // A record in another unit would mix units silently; refuse it instead.
    if *record.unit != *c.unit {
        let note = format!(
            "the price of {} is per `{}`, the model measures `{}`",
            record.usage_type, record.unit, c.unit
        );
        return unpriced(c, note);
    }
    let mut tiers = Vec::new();
    let mut billable = c.quantity;
    if let Some(allowance) = c.free.filter(|a| !a.is_zero()) {
        let used = allowance.min(c.quantity);
        tiers.push(TierCharge {
            label: c.allowance.label(),
            begin: Decimal::ZERO,
            end: Some(allowance),
            quantity: used,
            usd_per_unit: Decimal::ZERO,
            cost: Usd::ZERO,
        });
        billable -= used;
    }
    let (charges, uncovered) = crate::tiers::walk_from(&record.tiers, c.pooled, billable);
    let provenance = record.provenance_for(&charges);
    tiers.extend(charges);
    if !uncovered.is_zero() {
        let note = format!(
            "{} {} are beyond the last price tier of {}",
            crate::units::format_quantity(uncovered, 3),
            c.unit,
            record.usage_type
        );
        return unpriced(c, note);
    }
    let cost = tiers.iter().map(|t| t.cost).sum();
    // A price a refresh could not find in the Price List says so on the line itself.
    let note = match (&provenance.carried_from, c.note) {
        (Some(_), Some(n)) => Some(format!(
            "{n}; {}",
            provenance.note.as_deref().unwrap_or("price carried over")
        )),
        (Some(_), None) => provenance.note.clone(),
        (None, n) => n,
    };
    LineItem {
        service: c.service,
        stage: c.stage,
        description: c.description,
        usage_type: record.usage_type.clone(),
        sku: Some(record.sku.clone()),
        quantity: c.quantity,
        unit: record.unit.clone(),
        tiers,
        cost: Some(cost),
        price_status: provenance.status.into(),
        provenance: Some(provenance),
        rung: c.rung,
        geography: c.geography,
        note,
        pricing,
        billed_elsewhere: c.usage.region.is_some() && c.usage.region != c.region,
    }
}

/// A free allowance from an allowance record (price zero, closed range), when `enabled`.
pub(crate) fn allowance(
    book: &PriceBook,
    service: Service,
    usage_type: &str,
    enabled: bool,
    warnings: &mut Vec<String>,
) -> Option<Decimal> {
    if !enabled {
        return None;
    }
    match book.find(service.code(), usage_type, None) {
        Some(r) if r.is_allowance() => Some(r.allowance()),
        _ => {
            warnings.push(format!(
                "the free tier is on but snapshot {} has no {} allowance {usage_type}; none was applied",
                book.snapshot.id,
                service.name()
            ));
            None
        }
    }
}

/// Prices one month of `scenario` against `book`: the first month of the plan, with the
/// library already stored counted.
pub fn estimate(scenario: &Scenario, book: &PriceBook) -> Estimate {
    price_month(scenario, book, None).0
}

/// Prices a month of `scenario` in which S3 holds `stored` (a forecast's later months: the
/// library and every earlier month's uploads, aged), with what the lines were priced from.
pub fn estimate_holding(
    scenario: &Scenario,
    book: &PriceBook,
    stored: &storage::Stored,
) -> (Estimate, Detail) {
    price_month(scenario, book, Some(stored))
}

/// What a month's lines were priced from, beyond the lines: where the bytes are (which
/// splits origin reads over the classes) and the origin reads themselves.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Detail {
    pub held: storage::HeldBytes,
    /// Origin GET requests and billed GB read from S3.
    pub origin: (Decimal, Decimal),
    /// Billed GB sent to viewers and their requests (what a flat-rate plan must hold).
    pub traffic: (Decimal, Decimal),
}

/// Every stage of one month priced: what an estimate and a bare total both start from.
struct Stages<'a> {
    drivers: Drivers,
    warnings: Vec<String>,
    stored: std::borrow::Cow<'a, storage::Stored>,
    transcode: StageLines,
    storage: StageLines,
    held: storage::HeldBytes,
    delivery: StageLines,
    analysis: Vec<LineItem>,
}

fn stages<'a>(
    scenario: &Scenario,
    book: &PriceBook,
    stored: Option<&'a storage::Stored>,
) -> Stages<'a> {
    let drivers = Drivers::of(scenario);
    let mut warnings = Vec::new();
    let stored = match stored {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(storage::Stored::first_month(
            scenario,
            &drivers,
            &mut warnings,
        )),
    };
    let transcode = transcode::lines(scenario, &drivers, book, &mut warnings);
    // A flat-rate plan is chosen from the month's traffic before storage is priced: its S3
    // Standard credit comes off storage.
    let plan = (scenario.delivery.cdn == crate::scenario::Cdn::CloudfrontFlatRate).then(|| {
        flat_rate::choose(
            scenario.delivery.plan,
            book,
            drivers.egress.billed_gb().0,
            drivers.requests_total,
        )
    });
    let credit = plan
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map(|p| p.plan.s3_standard_storage_credit_gb);
    let storage::StorageOut {
        stage: storage,
        held,
    } = storage::lines(scenario, &drivers, book, &stored, credit);
    let delivery = delivery::lines(
        scenario,
        &drivers,
        book,
        &held,
        plan.as_ref(),
        &mut warnings,
    );
    let mut analysis = analysis::lines(scenario, &drivers, book);
    analysis.extend(glue::lines(
        scenario,
        &drivers,
        book,
        delivery.origin.0,
        &mut warnings,
    ));
    Stages {
        drivers,
        warnings,
        stored,
        transcode,
        storage,
        held,
        delivery,
        analysis,
    }
}

/// A month's total, whether every line is priced, and each service's cost: what a table of
/// totals (a sweep's rows) needs of an estimate, and no more.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Sum of the priced lines, as [`Estimate::total`].
    pub total: Usd,
    pub complete: bool,
    /// Every service with a line, in bill order, with [`Estimate::service_total`].
    pub services: Vec<(Service, Usd)>,
    /// The services with a line the snapshot has no price for: their cost is unknown, and
    /// the `services` figure of each is what its priced lines cost.
    pub unpriced: Vec<Service>,
}

impl Totals {
    /// Summed in the estimate's order (its lines are the stages' in this order), so the
    /// totals agree with [`Estimate`]'s to the last digit.
    fn of<'a, I>(lines: impl Fn() -> I) -> Totals
    where
        I: Iterator<Item = &'a LineItem>,
    {
        let services = services_of(lines());
        let (total, complete) = total_of(lines());
        let unpriced = services_of(lines().filter(|l| l.price_status == LineStatus::Unpriced));
        Totals {
            total,
            complete,
            unpriced,
            services: services
                .into_iter()
                .map(|s| {
                    let cost = lines()
                        .filter(|l| l.service == s)
                        .filter_map(|l| l.cost)
                        .sum();
                    (s, cost)
                })
                .collect(),
        }
    }

    /// What `service` costs: 0 when it has no line.
    pub fn service(&self, service: Service) -> Usd {
        self.services
            .iter()
            .find(|(s, _)| *s == service)
            .map_or(Usd(Decimal::ZERO), |(_, c)| *c)
    }
}

impl Stages<'_> {
    fn lines(&self) -> impl Iterator<Item = &LineItem> {
        self.transcode
            .lines
            .iter()
            .chain(&self.storage.lines)
            .chain(&self.delivery.lines)
            .chain(&self.analysis)
    }
}

/// The month's [`Totals`]: `estimate(scenario, book)`'s total, completeness and service
/// costs, without the notes, the allocation to rungs, the capacity and the warnings an
/// estimate adds (and the lifecycle rules' break-even, which prices storage again per rule).
/// Sweeps and what-if analyses price a scenario thousands of times for these alone.
pub fn totals(scenario: &Scenario, book: &PriceBook) -> Totals {
    let st = stages(scenario, book, None);
    Totals::of(|| st.lines())
}

/// The month's total and whether every line is priced: [`totals`] without the services.
pub fn total(scenario: &Scenario, book: &PriceBook) -> (Usd, bool) {
    total_of(stages(scenario, book, None).lines())
}

/// The month's total over its priced lines, and the quantity of each line the snapshot has
/// no price for: two months whose unpriced lines measure the same differ by their priced
/// totals alone.
pub fn priced_and_unpriced(
    scenario: &Scenario,
    book: &PriceBook,
) -> (Usd, Vec<(LineKey, Decimal)>) {
    let st = stages(scenario, book, None);
    let (total, _) = total_of(st.lines());
    let unpriced = st
        .lines()
        .filter(|l| l.price_status == LineStatus::Unpriced)
        .map(|l| (l.key(), l.quantity))
        .collect();
    (total, unpriced)
}

/// The value the engine prices a field at when the scenario leaves it out and its default is
/// derived from other inputs (Lambda invocations per title from the images analysed, say):
/// what a sensitivity run moves and a solve starts from. `None` for any other field.
pub fn derived(path: &str, s: &Scenario) -> Option<Decimal> {
    Some(match path {
        "vision.faces_stored" => analysis::faces_stored(s),
        "nlp.custom_async_chars" => analysis::custom_async_chars(s),
        "pipeline.lambda_invocations_per_title" => glue::lambda_invocations_per_title(s),
        "pipeline.dynamodb_writes_per_title" => glue::dynamodb_writes_per_title(s),
        "pipeline.sns_publishes_per_title" => glue::sns_publishes_per_title(s),
        "pipeline.sqs_requests_per_title" => glue::sqs_requests_per_title(s),
        "pipeline.kms_keys" => glue::kms_keys(s),
        "pipeline.upload_kbps" => glue::upload_kbps(s),
        _ => return None,
    })
}

/// The services of `lines`, each once, in bill order.
fn services_of<'a>(lines: impl Iterator<Item = &'a LineItem>) -> Vec<Service> {
    let mut out: Vec<Service> = lines.map(|l| l.service).collect();
    out.sort();
    out.dedup();
    out
}

/// The sum of the priced lines and whether every line is priced, in the lines' order (the
/// estimate's, so the totals agree with it to the last digit).
fn total_of<'a>(lines: impl Iterator<Item = &'a LineItem>) -> (Usd, bool) {
    let mut complete = true;
    let total = lines
        .inspect(|l| complete &= l.price_status != LineStatus::Unpriced)
        .filter_map(|l| l.cost)
        .sum();
    (total, complete)
}

fn price_month(
    scenario: &Scenario,
    book: &PriceBook,
    stored: Option<&storage::Stored>,
) -> (Estimate, Detail) {
    let Stages {
        drivers,
        mut warnings,
        stored,
        transcode,
        mut storage,
        held,
        delivery,
        analysis,
    } = stages(scenario, book, stored);
    let stored = stored.as_ref();
    // Sized once: a line is a few hundred bytes, and growing the vector moves every one.
    let mut lines = Vec::with_capacity(
        transcode.lines.len() + storage.lines.len() + delivery.lines.len() + analysis.len(),
    );
    let month = Month {
        s: scenario,
        d: &drivers,
        book,
        stored,
        held: &held,
    };
    lifecycle_break_even(&month, &mut storage, &delivery, &mut warnings);
    let origin = delivery.origin;
    let rungs = allocate_to_rungs(scenario, &drivers, &transcode, &storage, &delivery);
    let mut capacity = capacity(
        scenario,
        &drivers,
        &storage.end_of_month,
        transcode.normalized_minutes,
    );
    capacity.reserved_vs_on_demand = transcode.reserved.clone();
    capacity_warnings(scenario, &capacity, &mut warnings);
    warnings.extend(drivers::early_exit_note(scenario));
    lines.extend(transcode.lines);
    lines.extend(storage.lines);
    lines.extend(delivery.lines);
    lines.extend(analysis);

    warnings.extend(scenario.notes.iter().cloned());
    let total: Usd = lines.iter().filter_map(|l| l.cost).sum();
    let unpriced = lines
        .iter()
        .filter(|l| l.price_status == LineStatus::Unpriced)
        .count();
    let complete = unpriced == 0;
    if !complete {
        warnings.push(format!(
            "{unpriced} line(s) have no price in snapshot {}: the total leaves them out and is incomplete",
            book.snapshot.id
        ));
    }
    // Prices carried over by a refresh (not found in the Price List) are as unconfirmed as
    // unverified ones.
    let carried = |l: &LineItem| {
        l.provenance
            .as_ref()
            .is_some_and(|p| p.carried_from.is_some())
    };
    let unverified: Vec<&LineItem> = lines
        .iter()
        .filter(|l| {
            (l.price_status == LineStatus::Unverified || carried(l))
                && l.cost.is_some_and(|c| c.0 > Decimal::ZERO)
        })
        .collect();
    if !unverified.is_empty() {
        let cost: Usd = unverified.iter().filter_map(|l| l.cost).sum();
        let mut services: Vec<&str> = unverified.iter().map(|l| l.service.name()).collect();
        services.dedup();
        let what = if unverified.iter().any(|l| carried(l)) {
            "unverified prices or prices carried over from an earlier snapshot"
        } else {
            "unverified prices"
        };
        warnings.push(format!(
            "{} line(s) costing {cost} use {what} ({}); confirm them with `ladderwise pricing refresh` before relying on them",
            unverified.len(),
            services.join(", ")
        ));
    }

    let unit_economics = unit_economics(total, &drivers);
    let estimate = Estimate {
        scenario: scenario.name.clone(),
        region: scenario.region.clone(),
        snapshot: book.snapshot.clone(),
        lines,
        total,
        complete,
        warnings,
        capacity,
        unit_economics,
        rungs,
    };
    let traffic = (drivers.egress.billed_gb().0, drivers.requests_total);
    (
        estimate,
        Detail {
            held,
            origin,
            traffic,
        },
    )
}

/// What a stage hands back: its lines, and how much of each line belongs to each rung
/// (weights per line, one per rung, summing to one or all zero).
pub(crate) struct StageLines {
    pub lines: Vec<LineItem>,
    pub rung_weights: Vec<Vec<Decimal>>,
    /// Bytes and objects stored at the end of the month per class (storage stage only).
    pub end_of_month: Vec<(StorageClass, crate::units::Bytes, Decimal)>,
    /// Bytes of each rung stored at the end of the month (storage stage only).
    pub rung_stored: Vec<crate::units::Bytes>,
    /// MediaConvert normalized minutes (transcode stage only).
    pub normalized_minutes: Option<Decimal>,
    /// Origin GET requests and billed GB read from S3 (delivery stage only).
    pub origin: (Decimal, Decimal),
    /// Reserved slots for the whole month against on demand (MediaConvert only).
    pub reserved: Option<transcode::ReservedComparison>,
}

impl StageLines {
    pub fn new() -> Self {
        // Room for a stage's usual lines from the start: growing the vector moves every line.
        StageLines {
            lines: Vec::with_capacity(24),
            rung_weights: Vec::with_capacity(24),
            end_of_month: Vec::new(),
            rung_stored: Vec::new(),
            normalized_minutes: None,
            origin: (Decimal::ZERO, Decimal::ZERO),
            reserved: None,
        }
    }

    /// Adds a line with how much of it each rung accounts for.
    pub fn push(&mut self, line: LineItem, weights: Vec<Decimal>) {
        self.lines.push(line);
        self.rung_weights.push(weights);
    }
}

/// What the per-rung table's columns hold, for whoever shows it.
impl RungCost {
    pub const NOTE: &'static str = "stored and delivered GB are the rung's own renditions; its costs also carry its share of what is of no rung (the mezzanine, playlists, a separate audio rendition, reserved slots), spread by the rungs' own parts, so the rungs' costs add up to the stages'";
}

/// Each rung's share of a line from the rungs' parts of it: what is of no rung (the separate
/// audio rendition, playlists, the mezzanine) is spread over the rungs by their own shares,
/// so the rungs' costs add up to the stages' (evenly when no rung has a part). The one rule
/// every stage allocates by.
pub(crate) fn shares_of(parts: &[Decimal]) -> Vec<Decimal> {
    let ruled: Decimal = parts.iter().copied().sum();
    if ruled.is_zero() {
        return storage::even(parts.len());
    }
    parts.iter().map(|p| p / ruled).collect()
}

fn allocate_to_rungs(
    scenario: &Scenario,
    drivers: &Drivers,
    transcode: &StageLines,
    storage: &StageLines,
    delivery: &StageLines,
) -> Vec<RungCost> {
    let share = |stage: &StageLines, i: usize| -> Usd {
        stage
            .lines
            .iter()
            .zip(&stage.rung_weights)
            .filter_map(|(l, w)| Some(Usd(l.cost?.0 * w.get(i).copied().unwrap_or_default())))
            .sum()
    };
    // A line the rung has a share of and no price leaves the rung's cost a lower bound, or
    // unknown when no line it has a share of is priced.
    let known = |stage: &StageLines, i: usize| {
        let (mut priced, mut unpriced) = (false, false);
        for (l, w) in stage.lines.iter().zip(&stage.rung_weights) {
            if w.get(i).is_some_and(|w| !w.is_zero()) {
                if l.cost.is_some() {
                    priced = true;
                } else {
                    unpriced = true;
                }
            }
        }
        match (priced, unpriced) {
            (_, false) => ShareKnown::Whole,
            (true, true) => ShareKnown::AtLeast,
            (false, true) => ShareKnown::Unknown,
        }
    };
    scenario
        .ladder
        .rungs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let d = &drivers.rungs[i];
            let (t, s, dl) = (share(transcode, i), share(storage, i), share(delivery, i));
            let known = [known(transcode, i), known(storage, i), known(delivery, i)];
            RungCost {
                rung: r.name.clone(),
                output_minutes: d.output_minutes.0,
                stored_gb: storage
                    .rung_stored
                    .get(i)
                    .map_or(Decimal::ZERO, |b| b.billed_gb().0),
                delivered_gb: d.delivered.billed_gb().0,
                transcode: t,
                storage: s,
                delivery: dl,
                total: t + s + dl,
                complete: known.iter().all(|k| *k == ShareKnown::Whole),
                known,
            }
        })
        .collect()
}

fn capacity(
    scenario: &Scenario,
    d: &Drivers,
    stored: &[(StorageClass, crate::units::Bytes, Decimal)],
    normalized_minutes: Option<Decimal>,
) -> Capacity {
    let month = Seconds::in_billing_month();
    let avg = Bitrate::carrying(d.egress, month);
    let peak = scenario.audience.peak_to_average;
    let concurrent = d.watch_time.0 / month.0;
    let stored_tb: Vec<(StorageClass, Decimal)> =
        stored.iter().map(|(c, b, _)| (*c, b.billed_tb())).collect();
    // Content minutes arriving per minute of wall-clock time, each taking `job_speed` minutes
    // of one slot.
    let arriving = scenario.content.new_minutes_per_month.seconds().0 / month.0;
    let speed = scenario.transcode.job_speed;
    // Slots are sized only where a reserved queue can run some of the ladder (not a ladder
    // of AV1 or 8K rungs alone).
    let sized = scenario.transcode.service == TranscodeService::Mediaconvert
        && transcode::reserved_queue_runs_some(&scenario.ladder.rungs);
    Capacity {
        avg_egress_gbps: avg.gbps(),
        peak_egress_gbps: avg.gbps() * peak,
        peak_requests_per_second: d.requests_total / month.0 * peak,
        avg_concurrent_viewers: concurrent,
        peak_concurrent_viewers: concurrent * peak,
        avg_delivered_kbps: d.avg_bitrate.kbps(),
        stored_tb_total: stored_tb.iter().map(|(_, t)| *t).sum(),
        stored_tb,
        stored_objects: stored.iter().map(|(_, _, o)| *o).sum(),
        titles_per_month: d.titles_per_month,
        transcode_output_minutes: d
            .rungs
            .iter()
            .map(|r| r.output_minutes.0)
            .chain(d.audio.as_ref().map(|a| a.output_minutes.0))
            .sum(),
        normalized_minutes,
        reserved_slots_needed: sized.then(|| (arriving * speed.central).ceil()),
        reserved_slots_range: sized.then(|| {
            (
                (arriving * speed.low).ceil(),
                (arriving * speed.high).ceil(),
            )
        }),
        reserved_vs_on_demand: None,
    }
}

/// CloudFront's default quotas per distribution (CloudFront Developer Guide, "Quotas":
/// data transfer rate 150 Gbps, requests 250,000 per second). A peak above them needs a quota
/// increase before launch, or several distributions.
pub const CLOUDFRONT_MAX_GBPS: Decimal = Decimal::from_parts(150, 0, 0, false, 0);
pub const CLOUDFRONT_MAX_REQUESTS_PER_SECOND: Decimal =
    Decimal::from_parts(250_000, 0, 0, false, 0);

fn capacity_warnings(s: &Scenario, c: &Capacity, warnings: &mut Vec<String>) {
    if !s.delivery.cdn.is_cloudfront() {
        return;
    }
    use crate::units::format_quantity;
    if c.peak_egress_gbps > CLOUDFRONT_MAX_GBPS {
        warnings.push(format!(
            "peak egress of {} Gbps exceeds CloudFront's default quota of {} Gbps per distribution: request a quota increase (Service Quotas, CloudFront, \"data transfer rate per distribution\") before this traffic arrives, or spread it over distributions",
            format_quantity(c.peak_egress_gbps, 1),
            CLOUDFRONT_MAX_GBPS
        ));
    }
    if c.peak_requests_per_second > CLOUDFRONT_MAX_REQUESTS_PER_SECOND {
        warnings.push(format!(
            "peak of {} requests per second exceeds CloudFront's default quota of {} per distribution: request a quota increase (Service Quotas, CloudFront, \"request rate per distribution\") before this traffic arrives",
            format_quantity(c.peak_requests_per_second, 0),
            format_quantity(CLOUDFRONT_MAX_REQUESTS_PER_SECOND, 0)
        ));
    }
}

/// Adds to each lifecycle rule's line the share of origin reads at which the rule stops
/// paying for itself. The rule saves storage (the month's storage, transitions and early
/// deletes with the rule, against the same month without it); it costs on every read of an
/// object it moved: the colder class's GET and retrieval prices over the warmer one's. With a
/// share `f` of origin reads on moved objects the extra read cost is
/// `f × (origin GETs × ΔGET + origin GB × Δretrieval)`, so the rule pays while
/// `f < saving ÷ (origin GETs × ΔGET + origin GB × Δretrieval)`. Prices are the records'
/// first tiers (a marginal view).
/// What one month is priced from: the scenario, its drivers, the prices, the content held.
struct Month<'a> {
    s: &'a Scenario,
    d: &'a Drivers,
    book: &'a PriceBook,
    stored: &'a storage::Stored,
    held: &'a storage::HeldBytes,
}

fn lifecycle_break_even(
    month: &Month,
    storage_lines: &mut StageLines,
    delivery: &StageLines,
    warnings: &mut Vec<String>,
) {
    let Month {
        s,
        d,
        book,
        stored,
        held,
    } = *month;
    let split = delivery::read_split(s, held);
    if s.storage.lifecycle.is_empty() {
        return;
    }
    let stage_cost = |lines: &StageLines| -> Option<Decimal> {
        lines
            .lines
            .iter()
            .filter(|l| l.service == Service::S3 && l.stage == Stage::Storage)
            .map(|l| l.cost.map(|c| c.0))
            .sum()
    };
    let Some(with) = stage_cost(storage_lines) else {
        return;
    };
    let (gets, origin_gb) = delivery.origin;
    let rate = |usage: Option<usage::UsageKey>| -> Decimal {
        usage
            .and_then(|u| book.find_usage(Service::S3.code(), &u, Some(s.region.as_str())))
            .and_then(|r| r.tiers.first())
            .map_or(Decimal::ZERO, |t| t.usd_per_unit)
    };
    for (i, rule) in s.storage.lifecycle.iter().enumerate() {
        let from = if i == 0 {
            s.storage.class
        } else {
            s.storage.lifecycle[i - 1].class
        };
        let mut without = s.clone();
        without.storage.lifecycle.remove(i);
        let alt = storage::lines(&without, d, book, stored, None);
        let Some(other) = stage_cost(&alt.stage) else {
            continue;
        };
        let saving = other - with;
        let per_read_share = gets
            * (rate(Some(usage::gets(rule.class))) - rate(Some(usage::gets(from))))
            + origin_gb * (rate(usage::retrieval(rule.class)) - rate(usage::retrieval(from)));
        let after = format!("objects older than {} days", rule.after_days.normalize());
        // Reads now falling on the classes this rule leads to.
        let later: Vec<StorageClass> = s.storage.lifecycle[i..].iter().map(|t| t.class).collect();
        let now: Decimal = split
            .iter()
            .filter(|(c, _)| later.contains(c))
            .map(|(_, share)| *share)
            .sum();
        let percent = |x: Decimal| (x * Decimal::ONE_HUNDRED).round_dp(1).normalize();
        let verdict = if saving <= Decimal::ZERO {
            format!(
                "this rule costs {} more in storage than it saves this month, before any read",
                Usd(-saving)
            )
        } else if per_read_share <= Decimal::ZERO {
            "this rule saves storage and its class's reads cost no more: it pays at any share of reads".to_string()
        } else {
            let share = saving / per_read_share;
            if share >= Decimal::ONE {
                format!(
                    "this rule saves {} a month in storage and keeps paying even if every origin read is of {after}",
                    Usd(saving)
                )
            } else {
                let standing = if now > share {
                    warnings.push(format!(
                        "the lifecycle rule to {} after {} days costs more in origin reads than it saves in storage: {} % of origin reads fall on the objects it moves, more than the {} % at which it stops paying (see its line)",
                        rule.class.label(),
                        rule.after_days.normalize(),
                        percent(now),
                        percent(share)
                    ));
                    "it costs more than it saves"
                } else {
                    "it pays"
                };
                format!(
                    "this rule saves {} a month in storage and stops paying for itself when more than {} % of origin reads are of {after}; now {} % are: {standing}",
                    Usd(saving),
                    percent(share),
                    percent(now)
                )
            }
        };
        let label = format!("Lifecycle transitions to {}", rule.class.label());
        if let Some(line) = storage_lines
            .lines
            .iter_mut()
            .find(|l| l.description.starts_with(&label))
        {
            line.note = Some(verdict);
        }
    }
}

fn unit_economics(total: Usd, d: &Drivers) -> UnitEconomics {
    // A cost per almost nothing can be past what a decimal holds: then it is not shown.
    let per = |q: Decimal| total.0.checked_div(q).map(Usd);
    let viewer_hours = d.watch_time.0 / Decimal::from(3600);
    let delivered_gb = d.egress.billed_gb().0;
    UnitEconomics {
        usd_per_viewer_hour: per(viewer_hours),
        usd_per_title: per(d.titles_per_month),
        usd_per_delivered_gb: per(delivered_gb),
        delivered_gb,
        viewer_hours,
    }
}
