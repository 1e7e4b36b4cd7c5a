//! The scenario: what an architect describes (ladder, content, audience, service choices).
//!
//! The file format is TOML, schema 1, documented field by field in `docs/scenario.md`.
//! [`Scenario::from_toml`] reads it and reports every problem at once, each pointing at its
//! line and column (see [`diagnostics`]).

pub mod diagnostics;
pub mod edit;
pub mod fields;
pub mod forecast;
mod parse;

/// The Region code an unknown `code` is most likely a typo of, by the one rule scenario
/// hints use.
pub fn closest_region(code: &str) -> Option<&'static str> {
    parse::hints::closest(code, crate::region::CODES)
}
pub mod path;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::units::{Bitrate, Minutes};
pub use diagnostics::{Diagnostic, ScenarioErrors};

/// An enum whose variants are written as words in the scenario file. The words are given
/// once, beside the variants: `ALL` pairs them, `NAMES` lists them (the field table's
/// choices), `name` and `from_name` convert.
macro_rules! named {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: [(&'static str, $name); [$($text),+].len()] = [$(($text, $name::$variant)),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The word the scenario file uses.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant a word of the scenario file names, exactly.
            pub fn from_name(text: &str) -> Option<$name> {
                Self::ALL.iter().find(|(n, _)| *n == text).map(|(_, v)| *v)
            }
        }
    };
}

/// A whole scenario, validated: every number is finite, in range, and shares sum to one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub name: String,
    /// AWS Region code of the pipeline (S3, MediaConvert, Rekognition, Comprehend).
    pub region: String,
    pub content: Content,
    pub ladder: Ladder,
    pub audience: Audience,
    pub account: Account,
    pub delivery: Delivery,
    pub transcode: Transcode,
    pub storage: Storage,
    pub vision: Vision,
    pub nlp: Nlp,
    pub pipeline: Pipeline,
    /// The months ahead; flat when the file has no `[forecast]`.
    pub forecast: forecast::ForecastSpec,
    /// What the file says in a way that still works but is on its way out (`[moderation]`),
    /// with what to write instead; estimates repeat them as warnings.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// How far from 1 a set of shares (rungs' watch shares, geographies) may sum: writing thirds
/// as 0.333 must not be an error.
pub const SHARE_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

/// Whether shares sum to one within [`SHARE_TOLERANCE`].
pub fn shares_sum_to_one(sum: Decimal) -> bool {
    (sum - Decimal::ONE).abs() <= SHARE_TOLERANCE
}

/// Shares that sum to one within the tolerance but not exactly, each divided by their sum:
/// the rungs' shares split the watch time and the geographies' split the bytes billed, so a
/// sum of 1.0009 would bill 0.09 % more than is delivered and allocate more than the stages
/// cost. The sum when they were rescaled; `None` when they already sum to one (or to nothing).
fn rescale<'a>(shares: impl Iterator<Item = &'a mut Decimal>) -> Option<Decimal> {
    let mut shares: Vec<&mut Decimal> = shares.collect();
    let sum: Decimal = shares.iter().map(|s| **s).sum();
    if sum == Decimal::ONE || sum.is_zero() {
        return None;
    }
    for share in &mut shares {
        **share /= sum;
    }
    Some(sum)
}

impl Scenario {
    /// Rescales every set of shares that sums to one within [`SHARE_TOLERANCE`] but not
    /// exactly (thirds written as 0.333) to sum to one, saying so in the notes.
    pub(crate) fn rescale_shares(&mut self) {
        let said = |what: &str, sum: Decimal| {
            format!(
                "{what} sum to {}, within ±{SHARE_TOLERANCE} of 1: each is divided by {} so that they sum to 1",
                sum.normalize(),
                sum.normalize()
            )
        };
        if let Some(sum) = rescale(self.ladder.rungs.iter_mut().map(|r| &mut r.watch_share)) {
            self.notes.push(said("the rungs' watch shares", sum));
        }
        if let Some(sum) = rescale(self.audience.geo.iter_mut().map(|(_, s)| s)) {
            self.notes.push(said("the geography shares", sum));
        }
        for event in &mut self.forecast.events {
            if let Some(rungs) = &mut event.rungs
                && let Some(sum) = rescale(rungs.iter_mut().map(|r| &mut r.watch_share))
            {
                let what = format!("the watch shares of the ladder of \"{}\"", event.label);
                self.notes.push(said(&what, sum));
            }
        }
    }

    /// Parses and validates a scenario file. `file` is only used in error messages.
    pub fn from_toml(file: &str, source: &str) -> Result<Scenario, ScenarioErrors> {
        parse::parse(file, source)
    }

    /// As [`Scenario::from_toml`], with the forecast's growths checked over `months` rather
    /// than the file's own horizon: a horizon given on the command line or in the app finds
    /// a growth that breaks its field's bound at the growth's line, as the file's would.
    /// A problem the value at `path` causes that only shows once the file has been read (a
    /// `seasonality = "usage"` with no usage to fit), pointed at the value's line and column
    /// as a parse error is; at the file's start when the file does not write the value.
    pub fn problem_at(
        file: &str,
        source: &str,
        path: &str,
        message: String,
        hint: Option<String>,
    ) -> ScenarioErrors {
        let span = parse::value_span(source, path).unwrap_or(0..0);
        ScenarioErrors::new(
            file,
            source,
            vec![Diagnostic::at(source, path, span, message, hint)],
        )
    }

    pub fn from_toml_over(
        file: &str,
        source: &str,
        months: u32,
    ) -> Result<Scenario, ScenarioErrors> {
        parse::parse_over(file, source, Some(months))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Content {
    /// Minutes of source video ingested per month.
    pub new_minutes_per_month: Minutes,
    /// Mean length of one title; drives per-title counts and per-output minimums.
    pub avg_title_minutes: Minutes,
    /// Bitrate of the mezzanine kept in S3; zero when the source is not kept.
    pub source_bitrate: Bitrate,
    /// Outputs are deleted this many months after ingest; `None` keeps them forever.
    pub retention_months: Option<Decimal>,
    /// Minutes of content already stored when the plan starts.
    pub library_minutes: Minutes,
}

/// An audio bitrate the ladder's audio layout has no place for, with what to write instead:
/// the one wording of the rule for a file's line and for a value set by path.
pub(crate) fn misplaced_audio(
    layout: AudioLayout,
    on_rung: bool,
) -> Option<(&'static str, &'static str)> {
    match (layout, on_rung) {
        (AudioLayout::Muxed, false) => Some((
            "`audio_kbps` in [ladder] is the bitrate of a separate audio rendition, and this ladder's audio is muxed",
            "write each rung's `audio_kbps`, or set `audio = \"separate\"`",
        )),
        (AudioLayout::Separate, true) => Some((
            "this rung carries audio, but the ladder's audio is a separate rendition",
            "remove the rung's `audio_kbps` (or write 0); `[ladder] audio_kbps` is the rendition's bitrate",
        )),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ladder {
    pub segment_seconds: Decimal,
    /// Container and packaging bytes on top of the encoded bitrates, as a fraction
    /// (MPEG-TS adds several percent, fragmented MP4 about one or two).
    pub packaging_overhead: Decimal,
    /// Whether audio rides in every rung or is one rendition of its own.
    pub audio: AudioLayout,
    /// The separate audio rendition's bitrate; zero with muxed audio.
    pub audio_bitrate: Bitrate,
    pub rungs: Vec<Rung>,
}

impl Ladder {
    /// Tracks a player fetches segments of at once: the video rung, and the audio rendition
    /// when it is separate.
    pub fn tracks(&self) -> Decimal {
        match self.audio {
            AudioLayout::Muxed => Decimal::ONE,
            AudioLayout::Separate => Decimal::TWO,
        }
    }
}

named! {
    /// How a ladder carries audio.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum AudioLayout {
        /// Each rung carries its own audio (MPEG-TS HLS, muxed fMP4).
        Muxed = "muxed",
        /// One audio rendition beside the video rungs (CMAF, DASH, demuxed HLS).
        Separate = "separate",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rung {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub fps: Decimal,
    pub codec: Codec,
    pub video: Bitrate,
    pub audio: Bitrate,
    /// Share of all watch time spent on this rung.
    pub watch_share: Decimal,
}

impl Rung {
    /// Video plus audio: what one second of this rung costs in bits.
    pub fn total_bitrate(&self) -> Bitrate {
        self.video + self.audio
    }
}

named! {
    /// The video codec of a rung.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Codec {
        Avc = "avc",
        Hevc = "hevc",
        Av1 = "av1",
        Vp9 = "vp9",
    }
}

impl Codec {
    /// Names people use for a codec, and the name the scenario wants.
    pub const ALIASES: [(&'static str, &'static str); 11] = [
        ("h264", "avc"),
        ("h.264", "avc"),
        ("x264", "avc"),
        ("avc1", "avc"),
        ("h265", "hevc"),
        ("h.265", "hevc"),
        ("x265", "hevc"),
        ("hvc1", "hevc"),
        ("hev1", "hevc"),
        ("av01", "av1"),
        ("vp09", "vp9"),
    ];

    /// The codec a scenario name or a common alias (`h264`, `hvc1`) stands for, in any case.
    /// The scenario file itself accepts only the scenario names; its errors suggest them.
    pub fn from_alias(name: &str) -> Option<Codec> {
        let lower = name.trim().to_lowercase();
        let name = Self::ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map_or(lower.as_str(), |(_, n)| n);
        Self::from_name(name)
    }
}

/// CloudFront's price groups ("geographies"); each has its own tiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Geography {
    Us,
    Europe,
    SouthAfricaMiddleEast,
    SouthAmerica,
    Japan,
    Australia,
    AsiaPacific,
    India,
}

impl Geography {
    pub const ALL: [Geography; 8] = [
        Geography::Us,
        Geography::Europe,
        Geography::SouthAfricaMiddleEast,
        Geography::SouthAmerica,
        Geography::Japan,
        Geography::Australia,
        Geography::AsiaPacific,
        Geography::India,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Geography::Us => "us",
            Geography::Europe => "europe",
            Geography::SouthAfricaMiddleEast => "south_africa_middle_east",
            Geography::SouthAmerica => "south_america",
            Geography::Japan => "japan",
            Geography::Australia => "australia",
            Geography::AsiaPacific => "asia_pacific",
            Geography::India => "india",
        }
    }

    /// The usage-type prefix CloudFront bills this geography under.
    pub fn usage_prefix(self) -> &'static str {
        match self {
            Geography::Us => "US",
            Geography::Europe => "EU",
            Geography::SouthAfricaMiddleEast => "ZA",
            Geography::SouthAmerica => "SA",
            Geography::Japan => "JP",
            Geography::Australia => "AU",
            Geography::AsiaPacific => "AP",
            Geography::India => "IN",
        }
    }

    /// How the CloudFront pricing page names the geography.
    pub fn label(self) -> &'static str {
        match self {
            Geography::Us => "United States, Mexico & Canada",
            Geography::Europe => "Europe & Israel",
            Geography::SouthAfricaMiddleEast => "South Africa, Kenya, Nigeria & Middle East",
            Geography::SouthAmerica => "South America",
            Geography::Japan => "Japan",
            Geography::Australia => "Australia & New Zealand",
            Geography::AsiaPacific => {
                "Hong Kong, Indonesia, Philippines, Singapore, South Korea, Taiwan, Thailand, Malaysia & Vietnam"
            }
            Geography::India => "India",
        }
    }

    pub fn from_key(key: &str) -> Option<Geography> {
        Geography::ALL.into_iter().find(|g| g.key() == key)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Audience {
    pub watch_minutes_per_month: Minutes,
    /// Share of watch time per CloudFront geography; sums to one.
    pub geo: Vec<(Geography, Decimal)>,
    pub peak_to_average: Decimal,
    /// Mean length of one viewing session; each session fetches the playlists once.
    pub avg_view_minutes: Minutes,
    /// The file gives no `avg_view_minutes`: a view is a whole title, whatever length the
    /// title is set to later (a sweep, an event).
    #[serde(skip)]
    pub view_is_title: bool,
    /// Seconds players fetch ahead of the playhead.
    pub buffer_ahead_seconds: Decimal,
    /// Share of sessions that stop before the title ends, leaving their buffer unwatched.
    pub early_exit_share: Decimal,
    /// Seconds fetched for each preloaded impression that is never played.
    pub preload_seconds: Decimal,
    /// Preloaded, unplayed impressions per session.
    pub impressions_per_session: Decimal,
    /// Adaptive-bitrate switches per session; each fetches the new rung's media playlist.
    pub rung_switches_per_session: Decimal,
}

/// Settings of the AWS account (or Organization) the pipeline bills to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Account {
    /// Apply the always-free allowances (CloudFront 1 TB and 10,000,000 requests, 100 GB of
    /// data transfer out; Elastic Transcoder's historic free minutes).
    pub free_tier: bool,
}

named! {
    /// How viewers reach the segments.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Cdn {
        /// CloudFront, pay-as-you-go.
        Cloudfront = "cloudfront",
        /// CloudFront on a flat-rate plan: a monthly price, allowances, no overage charges.
        CloudfrontFlatRate = "cloudfront-flat-rate",
        /// Viewers fetch segments from S3 directly.
        None = "none",
    }
}

impl Cdn {
    /// Whether viewers are served by CloudFront (either way of paying for it).
    pub fn is_cloudfront(self) -> bool {
        matches!(self, Cdn::Cloudfront | Cdn::CloudfrontFlatRate)
    }
}

named! {
    /// A CloudFront flat-rate plan, or `auto`: the cheapest plan whose data transfer and
    /// request allowances both fit. The ids are those of the snapshot's plans file.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum PlanChoice {
        Auto = "auto",
        Free = "free",
        Pro = "pro",
        Business = "business",
        Premium = "premium",
        Premium2 = "premium-2",
        Premium3 = "premium-3",
        Premium4 = "premium-4",
        Premium5 = "premium-5",
        Premium6 = "premium-6",
    }
}

named! {
    /// Whose normalized minutes MediaConvert sums into one volume pool each month.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Pooling {
        /// The account's own workloads.
        Account = "account",
        /// Every account of the AWS Organization (consolidated billing).
        Organization = "organization",
    }
}

named! {
    /// Which CloudFront request price applies.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Protocol {
        Https = "https",
        Http = "http",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delivery {
    pub cdn: Cdn,
    pub cache_hit_rate: Decimal,
    pub origin_shield: bool,
    /// Share of edge misses that Origin Shield answers without going to the origin.
    pub origin_shield_hit_rate: Decimal,
    pub protocol: Protocol,
    /// How much of the origin's reads are of recent titles; `None`: reads follow the bytes
    /// each storage class holds.
    pub recent_reads: Option<RecentReads>,
    /// The flat-rate plan, with `cdn = "cloudfront-flat-rate"`.
    pub plan: PlanChoice,
}

/// "`share` of origin reads are of titles younger than `days`".
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RecentReads {
    pub share: Decimal,
    pub days: Decimal,
}

named! {
    /// The transcoding service.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum TranscodeService {
        Mediaconvert = "mediaconvert",
        ElasticTranscoder = "elastic-transcoder",
    }
}

named! {
    /// MediaConvert's pricing tiers.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum MediaConvertTier {
        Basic = "basic",
        Professional = "professional",
    }
}

impl MediaConvertTier {
    pub fn label(self) -> &'static str {
        match self {
            MediaConvertTier::Basic => "Basic",
            MediaConvertTier::Professional => "Professional",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transcode {
    pub service: TranscodeService,
    pub tier: MediaConvertTier,
    pub passes: u8,
    pub reserved_slots: u32,
    /// Minutes of wall-clock time one minute of content takes on one slot, as a range.
    pub job_speed: JobSpeed,
    pub pooling: Pooling,
    /// Normalized minutes a month other workloads bill in the same pool, per tier: this
    /// scenario's are priced on the bands above them.
    pub other_normalized_minutes: Decimal,
}

/// Minutes of wall-clock time one minute of content takes to transcode the whole ladder on
/// one reserved slot: a central value and the range capacity is planned for.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct JobSpeed {
    pub low: Decimal,
    pub central: Decimal,
    pub high: Decimal,
}

named! {
    /// The S3 storage classes the model prices, warmest first.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum StorageClass {
        Standard = "standard",
        IntelligentTiering = "intelligent-tiering",
        StandardIa = "standard-ia",
        GlacierIr = "glacier-ir",
    }
}

impl StorageClass {
    pub fn label(self) -> &'static str {
        match self {
            StorageClass::Standard => "S3 Standard",
            StorageClass::IntelligentTiering => "S3 Intelligent-Tiering",
            StorageClass::StandardIa => "S3 Standard-IA",
            StorageClass::GlacierIr => "S3 Glacier Instant Retrieval",
        }
    }

    /// Whether S3 Lifecycle can move objects from this class to `to` (S3 User Guide,
    /// "Transitioning objects using Amazon S3 Lifecycle", supported transitions): only to
    /// colder classes, and Intelligent-Tiering never back to Standard-IA.
    pub fn can_transition_to(self, to: StorageClass) -> bool {
        use StorageClass::*;
        matches!(
            (self, to),
            (Standard, IntelligentTiering | StandardIa | GlacierIr)
                | (StandardIa, IntelligentTiering | GlacierIr)
                | (IntelligentTiering, GlacierIr)
        )
    }

    /// The minimum storage duration, in days: an object deleted or moved out sooner is billed
    /// for the rest of it (Amazon S3 pricing, storage class footnotes: 30 days Standard-IA,
    /// 90 days Glacier Instant Retrieval; Intelligent-Tiering and Standard have none).
    pub fn minimum_days(self) -> Decimal {
        match self {
            StorageClass::StandardIa => Decimal::from(30),
            StorageClass::GlacierIr => Decimal::from(90),
            StorageClass::Standard | StorageClass::IntelligentTiering => Decimal::ZERO,
        }
    }

    /// Whether an object smaller than 128 KB is billed as 128 KB (Standard-IA, Glacier IR).
    pub fn bills_small_objects_as_128_kb(self) -> bool {
        matches!(self, StorageClass::StandardIa | StorageClass::GlacierIr)
    }
}

/// A lifecycle rule: objects move to `class` once they are `after_days` old.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transition {
    pub after_days: Decimal,
    pub class: StorageClass,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Storage {
    /// The class new outputs are written to.
    pub class: StorageClass,
    /// Transitions, sorted by age.
    pub lifecycle: Vec<Transition>,
    /// Lifecycle rules move objects under 128 KB too (by default S3 leaves them).
    pub transition_small_objects: bool,
}

/// Amazon Rekognition: images each API analyses per title, frames sampled from the video,
/// and stored-video analysis per feature.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Vision {
    /// Images per title sent to DetectModerationLabels (API group 2).
    pub moderation_images_per_title: Decimal,
    /// DetectLabels (group 2).
    pub label_images_per_title: Decimal,
    /// DetectText, the OCR of thumbnails and frames (group 2).
    pub text_images_per_title: Decimal,
    /// DetectFaces (group 2).
    pub face_images_per_title: Decimal,
    /// IndexFaces / SearchFacesByImage (group 1).
    pub face_search_images_per_title: Decimal,
    /// Frames sampled per minute of new content and sent to DetectModerationLabels as
    /// images (video as images).
    pub frames_per_minute: Decimal,
    /// Stored-video analysis of every minute ingested, per feature.
    pub video_labels: bool,
    pub video_moderation: bool,
    pub video_text: bool,
    pub video_faces: bool,
    /// Faces IndexFaces adds to the collections per title: the face metadata kept grows by
    /// these.
    pub faces_indexed_per_title: Decimal,
    /// Face metadata in the collections when the month starts; `None`: the library's titles
    /// times `faces_indexed_per_title` (the library was ingested as content is now).
    pub faces_stored: Option<Decimal>,
}

impl Vision {
    /// Group 2 images per title, each API with its count, in the order AWS lists the APIs.
    pub fn group2_per_title(&self) -> [(&'static str, Decimal); 4] {
        [
            ("DetectModerationLabels", self.moderation_images_per_title),
            ("DetectLabels", self.label_images_per_title),
            ("DetectText", self.text_images_per_title),
            ("DetectFaces", self.face_images_per_title),
        ]
    }

    /// The stored-video features analysed, by the operation that starts each.
    pub fn video_features(&self) -> Vec<&'static str> {
        [
            (self.video_moderation, "StartContentModeration"),
            (self.video_labels, "StartLabelDetection"),
            (self.video_text, "StartTextDetection"),
            (self.video_faces, "StartFaceDetection"),
        ]
        .into_iter()
        .filter_map(|(on, op)| on.then_some(op))
        .collect()
    }
}

named! {
    /// The Comprehend APIs a scenario may call for each document.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ComprehendApi {
        Sentiment = "sentiment",
        Entities = "entities",
        KeyPhrases = "key_phrases",
        Syntax = "syntax",
        Language = "language",
        Pii = "pii",
    }
}

impl ComprehendApi {
    /// Comprehend features closed to new customers from 2026-04-30 (PRICES.md §9.3), which a
    /// scenario may name and is told about: `(name, what it is)`.
    pub const CLOSED: [(&'static str, &'static str); 3] = [
        ("topic_modeling", "topic modeling"),
        ("events", "event detection"),
        ("prompt_safety", "prompt-safety classification"),
    ];

    /// The Comprehend operation billed.
    pub fn operation(self) -> &'static str {
        match self {
            ComprehendApi::Sentiment => "DetectSentiment",
            ComprehendApi::Entities => "DetectEntities",
            ComprehendApi::KeyPhrases => "DetectKeyPhrases",
            ComprehendApi::Syntax => "DetectSyntax",
            ComprehendApi::Language => "DetectDominantLanguage",
            ComprehendApi::Pii => "DetectPiiEntities",
        }
    }
}

named! {
    /// How Comprehend is called.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    pub enum NlpMode {
        Sync = "sync",
        Async = "async",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Nlp {
    pub documents_per_month: Decimal,
    pub avg_chars: Decimal,
    pub apis: Vec<ComprehendApi>,
    /// Viewer comments analysed per title, and their length.
    pub comments_per_title: Decimal,
    pub comment_chars: Decimal,
    /// The text DetectText finds in each image sent to it, analysed by every API listed.
    pub ocr_text: bool,
    pub ocr_chars: Decimal,
    pub mode: NlpMode,
    /// Custom classifiers and entity recognizers kept (model management, per model-month).
    pub custom_models: Decimal,
    /// Hours of custom model training a month.
    pub custom_training_hours: Decimal,
    /// Inference units provisioned over every custom model endpoint, and the hours they run.
    pub custom_endpoint_units: Decimal,
    pub custom_endpoint_hours: Decimal,
    /// Documents a month sent to custom models in asynchronous jobs, and their length;
    /// `None`: `avg_chars`.
    pub custom_async_documents_per_month: Decimal,
    pub custom_async_chars: Option<Decimal>,
}

/// The serverless glue around the media services.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pipeline {
    /// Price Lambda, Step Functions, DynamoDB, SNS, SQS and CloudWatch Logs.
    pub glue: bool,
    /// `None`: one orchestrator invocation per upload and one moderator per image analysed.
    pub lambda_invocations_per_title: Option<Decimal>,
    pub lambda_seconds: Decimal,
    pub lambda_memory_mb: Decimal,
    /// Share of titles sent to the human-review state machine.
    pub review_share: Decimal,
    pub review_transitions: Decimal,
    /// `None`: one metadata write per title and one more per reviewed title.
    pub dynamodb_writes_per_title: Option<Decimal>,
    pub dynamodb_reads_per_title: Decimal,
    pub dynamodb_stored_gb: Decimal,
    /// `None`: one notification per title.
    pub sns_publishes_per_title: Option<Decimal>,
    /// `None`: three requests (send, receive, delete) per title.
    pub sqs_requests_per_title: Option<Decimal>,
    pub log_kb_per_invocation: Decimal,
    /// SSE-KMS on the buckets' PUTs and GETs.
    pub sse_kms: bool,
    pub bucket_keys: bool,
    /// Customer managed KMS keys; `None`: one when `sse_kms` is on (the buckets share it).
    pub kms_keys: Option<Decimal>,
    /// AWS WAF in front of CloudFront.
    pub waf: bool,
    pub waf_rules: Decimal,
    /// Share of uploads sent through S3 Transfer Acceleration.
    pub accelerated_upload_share: Decimal,
    /// `None`: the source bitrate, or the top rung's when the source is not kept.
    pub upload_kbps: Option<Decimal>,
}
