//! The scenario: what an architect describes (ladder, content, audience, service choices).
//!
//! The file format is TOML, schema 1, documented field by field in `docs/scenario.md`.
//! [`Scenario::from_toml`] reads it and reports every problem at once, each pointing at its
//! line and column (see [`diagnostics`]).

pub mod diagnostics;
pub mod edit;
pub mod fields;
mod parse;
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
    pub delivery: Delivery,
    pub transcode: Transcode,
    pub storage: Storage,
    pub moderation: Moderation,
    pub nlp: Nlp,
}

/// How far from 1 a set of shares (rungs' watch shares, geographies) may sum: writing thirds
/// as 0.333 must not be an error.
pub const SHARE_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 3);

/// Whether shares sum to one within [`SHARE_TOLERANCE`].
pub fn shares_sum_to_one(sum: Decimal) -> bool {
    (sum - Decimal::ONE).abs() <= SHARE_TOLERANCE
}

impl Scenario {
    /// Parses and validates a scenario file. `file` is only used in error messages.
    pub fn from_toml(file: &str, source: &str) -> Result<Scenario, ScenarioErrors> {
        parse::parse(file, source)
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ladder {
    pub segment_seconds: Decimal,
    /// Container and packaging bytes on top of the encoded bitrates, as a fraction
    /// (MPEG-TS adds several percent, fragmented MP4 about one or two).
    pub packaging_overhead: Decimal,
    pub rungs: Vec<Rung>,
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
}

named! {
    /// How viewers reach the segments.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Cdn {
        Cloudfront = "cloudfront",
        /// Viewers fetch segments from S3 directly.
        None = "none",
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
    /// Apply the always-free allowances every AWS account gets (CloudFront 1 TB and
    /// 10,000,000 requests; 100 GB of data transfer out to the internet).
    pub free_tier: bool,
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
    /// Apply Elastic Transcoder's monthly free minutes (20 SD, 10 HD).
    pub free_tier: bool,
}

named! {
    /// The S3 storage classes the model prices, warmest first.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum StorageClass {
        Standard = "standard",
        StandardIa = "standard-ia",
        GlacierIr = "glacier-ir",
    }
}

impl StorageClass {
    pub fn label(self) -> &'static str {
        match self {
            StorageClass::Standard => "S3 Standard",
            StorageClass::StandardIa => "S3 Standard-IA",
            StorageClass::GlacierIr => "S3 Glacier Instant Retrieval",
        }
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
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Moderation {
    pub images_per_title: Decimal,
    pub video: bool,
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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Nlp {
    pub documents_per_month: Decimal,
    pub avg_chars: Decimal,
    pub apis: Vec<ComprehendApi>,
}
