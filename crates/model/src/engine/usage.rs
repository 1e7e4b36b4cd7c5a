//! Every usage type the engine prices, in one place, and the names AWS bills it under in each
//! Region: the stages look prices up by these keys, a refresh keeps the Price List records
//! they match, and [`all`] lists them so a price snapshot can be checked for completeness.
//!
//! The names are AWS's own, with their sources (`shared/reference/usage-types.md`, cited by
//! section, and `PRICES-regions.md` §0 for the Region codes). A usage type is written
//! `<prefix>-<name>`, and the prefix depends on the service and the Region ([`Naming`],
//! [`REGION_CODES`]); where AWS uses one usage type for several prices, the key also names the
//! attribute that tells them apart (`operation` of S3's `Requests-Tier4`). Where the evidence
//! found two names for one charge (Comprehend), the key accepts both, the preferred first.

use std::fmt;

use rust_decimal::Decimal;

use crate::forecast::num::Num;

use super::Service;
use super::storage::IntTier;
use crate::pricebook::{PriceBook, PriceRecord};
use crate::scenario::{ComprehendApi, Geography, MediaConvertTier, Protocol, StorageClass};

/// How AWS writes the Region into a usage type (usage-types.md §0 rule 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Naming {
    /// The name is complete as given: free allowances (`Global-DataTransfer-Out-Bytes`).
    #[default]
    Whole,
    /// CloudFront's edge geographies: `US-DataTransfer-Out-Bytes`, not regional (CF-DG,
    /// usage-types.md §5).
    Edge(&'static str),
    /// Older services (S3, AWS Data Transfer, Elastic Transcoder): no prefix in us-east-1
    /// (`USE1-` accepted too: "USE1 (or no prefix)", S3 User Guide), the Region's billing
    /// code elsewhere (`EU-TimedStorage-ByteHrs`, never `EUW1-`).
    Legacy,
    /// Newer services (Rekognition, Comprehend, CloudFront Origin Shield): the billing code
    /// in every Region, `USE1-` in us-east-1 (the bare name is accepted after it).
    Billing,
    /// AWS Elemental MediaConvert: the Region's airport code (`IAD-`, `DUB-`).
    Airport,
    /// AWS KMS: the Region's own code (`us-east-1-KMS-Requests`), unverified.
    RegionCode,
}

/// The codes AWS writes before usage types in one Region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionCodes {
    pub region: &'static str,
    /// The Region's billing code (AWS General Reference, "Region billing codes").
    pub billing: &'static str,
    /// MediaConvert's billing code for the Region (MediaConvert User Guide, "billing and
    /// usage reports").
    pub airport: &'static str,
    /// Where the codes were seen next to this Region (PRICES-regions.md §6 tags).
    pub sources: &'static str,
}

/// The Regions the shipped snapshot covers, with their codes (PRICES-regions.md §0). Other
/// Regions are matched without a table: any one-word prefix, once the record's attributes
/// put it in the Region (usage-types.md §0 rule 1).
pub const REGION_CODES: [RegionCodes; 8] = [
    RegionCodes {
        region: "us-east-1",
        billing: "USE1",
        airport: "IAD",
        sources: "RBC; MCUG-BILL; S3UG-old (\"USE1 (or no prefix)\"); PL-S3 and PL-ETS (no prefix); CMP-PT (USE1-)",
    },
    RegionCodes {
        region: "us-west-2",
        billing: "USW2",
        airport: "PDX",
        sources: "RBC; PL-ETS (USW2-ets-sd-success); MCUG-BILL",
    },
    RegionCodes {
        region: "eu-west-1",
        billing: "EU",
        airport: "DUB",
        sources: "RBC; S3UG-old; PL-ETS (EU-ets-sd-success); DBR-2017 (EU-TimedStorage-ByteHrs); CE-list; MCUG-BILL",
    },
    RegionCodes {
        region: "eu-central-1",
        billing: "EUC1",
        airport: "FRA",
        sources: "RBC; EUC1-26; EUC1-SKU; MCUG-BILL",
    },
    RegionCodes {
        region: "ap-northeast-1",
        billing: "APN1",
        airport: "NRT",
        sources: "RBC; PL-ETS; APN1-26; MCUG-BILL",
    },
    RegionCodes {
        region: "ap-southeast-1",
        billing: "APS1",
        airport: "SIN",
        sources: "RBC; PL-ETS; APS1-26; MCUG-BILL",
    },
    RegionCodes {
        region: "ap-south-1",
        billing: "APS3",
        airport: "BOM",
        sources: "RBC; PL-ETS; APS3-BILL; MCUG-BILL",
    },
    RegionCodes {
        region: "sa-east-1",
        billing: "SAE1",
        airport: "GRU",
        sources: "RBC; SAE1-DT26; SAE1-S3-26; MCUG-BILL",
    },
];

/// The codes of a covered Region.
pub fn region_codes(region: &str) -> Option<&'static RegionCodes> {
    REGION_CODES.iter().find(|c| c.region == region)
}

/// A usage type without the prefix that names `region` (its billing, airport or own code),
/// so that one charge in two Regions reads alike (`EU-TimedStorage-ByteHrs` and
/// `TimedStorage-ByteHrs`). As written for a Region without codes.
pub fn without_region<'a>(usage_type: &'a str, region: &str) -> &'a str {
    let Some(codes) = region_codes(region) else {
        return usage_type;
    };
    [codes.billing, codes.airport, codes.region]
        .into_iter()
        .find_map(|code| {
            usage_type
                .strip_prefix(code)
                .and_then(|rest| rest.strip_prefix('-'))
        })
        .unwrap_or(usage_type)
}

/// The prefixes of a key's names in one Region, best first: one or two.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Prefixes([&'static str; 2], usize);

impl Prefixes {
    pub(crate) fn as_slice(&self) -> &[&'static str] {
        &self.0[..self.1]
    }
}

/// A price the engine looks up, by what AWS calls it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct UsageKey {
    /// The names of the usage after its prefix (see `naming`), AWS's preferred first; later
    /// ones are other names the evidence found for the same charge.
    pub names: &'static [&'static str],
    pub naming: Naming,
    /// Attribute values that tell apart records sharing a usage type (usage-types.md §0
    /// rule 2): the record's value must be one of those listed; `""` also matches a record
    /// without the attribute.
    pub attributes: &'static [(&'static str, &'static [&'static str])],
    /// The Region the price is billed in when it is not the one of the lookup (Origin
    /// Shield: the shield's Region).
    pub region: Option<&'static str>,
}

impl UsageKey {
    pub const fn new(naming: Naming, names: &'static [&'static str]) -> UsageKey {
        UsageKey {
            names,
            naming,
            attributes: &[],
            region: None,
        }
    }

    /// The same key, asking for attribute values too.
    pub const fn with(
        self,
        attributes: &'static [(&'static str, &'static [&'static str])],
    ) -> UsageKey {
        UsageKey { attributes, ..self }
    }

    /// The preferred name, without a Region prefix.
    pub fn name(&self) -> &'static str {
        self.names.first().copied().unwrap_or("")
    }

    /// The usage types this key accepts in `region`, best first; `None` when the names
    /// cannot be spelled out (a Region without codes, or a regional key looked up without a
    /// Region), in which case any one-word prefix is accepted.
    pub fn names_in(&self, region: Option<&str>) -> Option<Vec<String>> {
        let prefixes = self.prefixes_in(region)?;
        let mut names = Vec::with_capacity(self.names.len() * prefixes.1);
        self.each_name(prefixes.as_slice(), |name| {
            names.push(name.to_string());
            None::<()>
        });
        Some(names)
    }

    /// The prefixes written before each of the key's names in `region`, best first (`""`:
    /// none); `None` as for [`UsageKey::names_in`].
    pub(crate) fn prefixes_in(&self, region: Option<&str>) -> Option<Prefixes> {
        let one = |p| Prefixes([p, ""], 1);
        match self.naming {
            Naming::Whole => Some(one("")),
            Naming::Edge(geo) => Some(one(geo)),
            Naming::Legacy | Naming::Billing | Naming::Airport | Naming::RegionCode => {
                let codes = region_codes(self.region.or(region)?)?;
                let us_east_1 = codes.region == "us-east-1";
                Some(match self.naming {
                    Naming::Legacy if us_east_1 => Prefixes(["", codes.billing], 2),
                    Naming::Billing if us_east_1 => Prefixes([codes.billing, ""], 2),
                    Naming::Airport => one(codes.airport),
                    Naming::RegionCode => one(codes.region),
                    _ => one(codes.billing),
                })
            }
        }
    }

    /// Spells each of the key's names with `prefixes` ([`UsageKey::prefixes_in`]), best
    /// first, until `found` returns something. The lookups of every line go through here, so
    /// every name is spelled in one buffer rather than a string of its own.
    pub(crate) fn each_name<T>(
        &self,
        prefixes: &[&str],
        mut found: impl FnMut(&str) -> Option<T>,
    ) -> Option<T> {
        // Spelled on the stack: a usage type with its prefix is a few dozen bytes, and an
        // estimate makes dozens of lookups. A longer one (none is) would take a string.
        let mut buffer = [0u8; 96];
        for name in self.names {
            for prefix in prefixes {
                let dash = if prefix.is_empty() { "" } else { "-" };
                let len = prefix.len() + dash.len() + name.len();
                let hit = if len <= buffer.len() {
                    let mut at = 0;
                    for part in [*prefix, dash, name] {
                        buffer[at..at + part.len()].copy_from_slice(part.as_bytes());
                        at += part.len();
                    }
                    // Whole strs joined at their boundaries are a str.
                    std::str::from_utf8(&buffer[..len])
                        .ok()
                        .and_then(&mut found)
                } else {
                    found(&format!("{prefix}{dash}{name}"))
                };
                if hit.is_some() {
                    return hit;
                }
            }
        }
        None
    }

    /// Whether `record` has the attribute values this key asks for (usage-types.md §0 rule 2).
    pub(crate) fn attributes_match(&self, record: &PriceRecord) -> bool {
        self.attributes.iter().all(|(attr, values)| {
            let value = record.attributes.get(*attr).map_or("", String::as_str);
            values.contains(&value)
        })
    }

    /// The usage type AWS bills this under in `region`, as lines and messages show it.
    pub fn name_in(&self, region: Option<&str>) -> String {
        self.names_in(region)
            .and_then(|n| n.into_iter().next())
            .unwrap_or_else(|| self.name().to_string())
    }

    /// How well `record` matches this key in `region` (lower is better), or `None` when it
    /// does not. The record's Region is not checked here: [`PriceBook::find_usage`] does it.
    pub fn rank(&self, record: &PriceRecord, region: Option<&str>) -> Option<usize> {
        self.rank_among(record, self.names_in(region).as_deref())
    }

    /// [`UsageKey::rank`] with the key's names in the Region worked out once
    /// ([`UsageKey::names_in`]), for a search through many records.
    pub fn rank_among(&self, record: &PriceRecord, names: Option<&[String]>) -> Option<usize> {
        if !self.attributes_match(record) {
            return None;
        }
        Self::position_in(self.names, &record.usage_type, names)
    }

    /// Where `usage_type` stands among the names this key accepts in `region` (lower is
    /// better), or `None` when it is not one of them. Where the names cannot be spelled out,
    /// any one-word prefix before a name is accepted (usage-types.md §0 rule 1). Price List
    /// records and bill lines are matched by this one rule.
    pub fn position_of(&self, usage_type: &str, region: Option<&str>) -> Option<usize> {
        Self::position_in(self.names, usage_type, self.names_in(region).as_deref())
    }

    fn position_in(patterns: &[&str], usage_type: &str, names: Option<&[String]>) -> Option<usize> {
        match names {
            Some(names) => names.iter().position(|n| n == usage_type),
            None => patterns
                .iter()
                .position(|n| crate::pricebook::usage_type_matches(usage_type, n)),
        }
    }

    /// Whether a record matches this key in `region`, its Region included.
    pub fn matches(&self, record: &PriceRecord, region: Option<&str>) -> bool {
        let region = self.region.or(region);
        region.is_none_or(|r| record.applies_in(r)) && self.rank(record, region).is_some()
    }
}

impl fmt::Display for UsageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name_in(None))?;
        for (attr, values) in self.attributes {
            let values: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
            write!(f, " ({attr} {})", values.join(" or "))?;
        }
        Ok(())
    }
}

impl From<UsageKey> for String {
    fn from(k: UsageKey) -> String {
        k.name_in(None)
    }
}

const fn legacy(names: &'static [&'static str]) -> UsageKey {
    UsageKey::new(Naming::Legacy, names)
}

const fn billing(names: &'static [&'static str]) -> UsageKey {
    UsageKey::new(Naming::Billing, names)
}

/// Elastic Transcoder output minutes (real Price List records, PL-ETS).
pub const ETS_SD: UsageKey = legacy(&["ets-sd-success"]);
pub const ETS_HD: UsageKey = legacy(&["ets-hd-success"]);
pub const ETS_AUDIO: UsageKey = legacy(&["ets-audio-success"]);
/// Elastic Transcoder's free tier: one allowance of 20 SD minutes **or** 10 HD minutes a month
/// (PRICES.md §9.3). The Price List has it as two records, `Global-ets-sd-success` (0–20)
/// and `Global-ets-hd-success` (0–10); see [`ets_free_tier`].
pub const ETS_FREE_SD: &str = "Global-ets-sd-success";
pub const ETS_FREE_HD: &str = "Global-ets-hd-success";
/// Elastic Transcoder's free audio-only minutes: the Price List record
/// `global-ets-audio-success` (0–20, "Global Free Tier for audio", PL-ETS), an allowance of
/// its own: AWS's free-tier text names SD and HD only, so nothing says audio shares theirs.
pub const ETS_FREE_AUDIO: &str = "global-ets-audio-success";
/// A MediaConvert reserved transcode slot, a month of a 12-month term. The Region prefix,
/// `RTS` (reserved transcode slot) and `Y` (yearly commitment) are AWS's abbreviations
/// (usage-types.md §1.1); the exact arrangement of the string is unverified.
pub const MEDIACONVERT_RESERVED_SLOT: UsageKey = UsageKey::new(Naming::Airport, &["RTS-Y"]);
/// CloudFront's always-free tier (usage-types.md §5, AWS Free Tier usage types).
pub const CLOUDFRONT_FREE_BYTES: &str = "Global-DataTransfer-Out-Bytes";
pub const CLOUDFRONT_FREE_REQUESTS: &str = "Global-Requests-Tier1";
/// Data transfer out to the internet from a Region, priced by AWS Data Transfer
/// (usage-types.md §6: transferType `AWS Outbound`).
pub const DATA_TRANSFER_OUT: UsageKey =
    legacy(&["DataTransfer-Out-Bytes"]).with(&[("transferType", &["AWS Outbound"])]);
/// The 100 GB of data transfer out free each month, across services (usage-types.md §6).
pub const DATA_TRANSFER_FREE: &str = "Global-DataTransfer-Out-Bytes";
/// Rekognition group 2 images (DetectModerationLabels, DetectLabels, …): usage-types.md §2.
pub const REKOGNITION_IMAGES: UsageKey = billing(&["Group2-ImagesProcessed"]);
/// Rekognition group 1 images (IndexFaces, SearchFacesByImage, CompareFaces, …):
/// usage-types.md §2 (`APS3-Group1-ImagesProcessed` read from the Price List).
pub const REKOGNITION_GROUP1_IMAGES: UsageKey = billing(&["Group1-ImagesProcessed"]);
/// Rekognition stored-video minutes, every feature (usage-types.md §2: whether each video
/// API has a usage type of its own was not found; the prefix is unverified).
pub const REKOGNITION_VIDEO: UsageKey = billing(&["MinutesOfVideoProcessed"]);
/// Rekognition face metadata kept in collections (what IndexFaces stores), per face a month:
/// `FaceVectorsStored` is in AWS's free-tier list (usage-types.md §2); the prefix and the
/// unit are unverified.
pub const REKOGNITION_FACE_STORAGE: UsageKey = billing(&["FaceVectorsStored"]);
/// Comprehend custom classification and entity recognition (Amazon Comprehend pricing,
/// "Custom Comprehend"): training hours, model management per model-month, endpoint
/// inference-unit seconds, asynchronous custom inference units. No source names their usage
/// types: these follow the free-tier list's `Comprehend-` names and are unverified.
pub const COMPREHEND_CUSTOM_TRAINING: UsageKey = billing(&["Comprehend-CustomTraining"]);
pub const COMPREHEND_CUSTOM_MODELS: UsageKey = billing(&["Comprehend-CustomModel"]);
pub const COMPREHEND_CUSTOM_ENDPOINT: UsageKey = billing(&["Comprehend-CustomEndpoint"]);
pub const COMPREHEND_CUSTOM_ASYNC: UsageKey = billing(&["Comprehend-CustomAsync"]);
/// S3 Intelligent-Tiering monitoring and automation, per object of 128 KB or more a month
/// (usage-types.md §4).
pub const INTELLIGENT_TIERING_MONITORING: UsageKey = legacy(&["Monitoring-Automation-INT"]);

// The serverless glue ([`crate::engine::glue`]). None of these names is in the sourced
// reference: they are the usage types AWS's bills show as far as they are known, the
// prefixes following each service's age (§0 rule 1), all unverified until a refresh finds
// them in the Price List.

/// AWS Lambda requests and compute (x86), per GB-second.
pub const LAMBDA_REQUESTS: UsageKey = legacy(&["Request"]);
pub const LAMBDA_GB_SECONDS: UsageKey = legacy(&["Lambda-GB-Second"]);
/// Lambda's always-free 1,000,000 requests and 400,000 GB-seconds a month.
pub const LAMBDA_FREE_REQUESTS: &str = "Global-Request";
pub const LAMBDA_FREE_GB_SECONDS: &str = "Global-Lambda-GB-Second";
/// AWS Step Functions standard workflows, per state transition; 4,000 free a month.
pub const STATE_TRANSITIONS: UsageKey = billing(&["StateTransition"]);
pub const STATE_TRANSITIONS_FREE: &str = "Global-StateTransition";
/// Amazon DynamoDB on-demand request units and table storage; 25 GB stored free.
pub const DYNAMODB_WRITES: UsageKey = legacy(&["WriteRequestUnits"]);
pub const DYNAMODB_READS: UsageKey = legacy(&["ReadRequestUnits"]);
pub const DYNAMODB_STORAGE: UsageKey = legacy(&["TimedStorage-ByteHrs"]);
pub const DYNAMODB_FREE_STORAGE: &str = "Global-TimedStorage-ByteHrs";
/// Amazon SNS publishes; 1,000,000 free a month.
pub const SNS_REQUESTS: UsageKey = legacy(&["Requests-Tier1"]);
pub const SNS_FREE_REQUESTS: &str = "Global-Requests-Tier1";
/// Amazon SQS standard-queue requests; 1,000,000 free a month.
pub const SQS_REQUESTS: UsageKey = legacy(&["Requests-RBP"]);
pub const SQS_FREE_REQUESTS: &str = "Global-Requests-RBP";
/// AWS KMS API requests; 20,000 free a month.
pub const KMS_REQUESTS: UsageKey = UsageKey::new(Naming::RegionCode, &["KMS-Requests"]);
pub const KMS_FREE_REQUESTS: &str = "Global-KMS-Requests";
/// AWS KMS customer managed keys, per key a month (prorated hourly).
pub const KMS_KEYS: UsageKey = UsageKey::new(Naming::RegionCode, &["KMS-Keys"]);
/// AWS WAF in front of CloudFront: a web ACL protecting a CloudFront distribution is global
/// and billed in us-east-1, whatever the pipeline's Region.
pub const WAF_WEB_ACL: UsageKey = UsageKey {
    region: Some("us-east-1"),
    ..billing(&["WebACL"])
};
pub const WAF_RULES: UsageKey = UsageKey {
    region: Some("us-east-1"),
    ..billing(&["Rule"])
};
pub const WAF_REQUESTS: UsageKey = UsageKey {
    region: Some("us-east-1"),
    ..billing(&["Request"])
};
/// Amazon CloudWatch Logs ingestion (standard class), per GB.
pub const LOGS_INGESTED: UsageKey = billing(&["DataProcessing-Bytes"]);
/// S3 Transfer Acceleration of uploads through the edge locations in the United States,
/// Europe and Japan (S3 User Guide's usage report: `DataTransfer-In-ABytes`).
pub const TRANSFER_ACCELERATION_IN: UsageKey = legacy(&["DataTransfer-In-ABytes"]);

/// MediaConvert's tiered normalized-minute charge of a tier: `IAD-Normalized-Transcode-
/// Minute-Basic` (usage-types.md §1.2, one third-party read of the bulk file); the
/// Professional name is its unverified analogue.
pub fn mediaconvert_minutes(tier: MediaConvertTier) -> UsageKey {
    match tier {
        MediaConvertTier::Basic => {
            UsageKey::new(Naming::Airport, &["Normalized-Transcode-Minute-Basic"])
        }
        MediaConvertTier::Professional => UsageKey::new(
            Naming::Airport,
            &["Normalized-Transcode-Minute-Professional"],
        ),
    }
}

/// Elastic Transcoder's free tier as one allowance in SD-equivalent minutes: the SD record's
/// minutes, with an HD minute counting as many SD minutes as the two allowances' ratio
/// (20 ÷ 10 = 2). `None` when the snapshot lacks either record.
pub fn ets_free_tier(book: &PriceBook) -> Option<SdEquivalentAllowance> {
    let sd = ets_allowance(book, ETS_FREE_SD)?;
    let hd = ets_allowance(book, ETS_FREE_HD)?;
    Some(SdEquivalentAllowance {
        sd_minutes: sd,
        hd_weight: sd / hd,
    })
}

/// The free minutes of one of Elastic Transcoder's free-tier records; `None` when the
/// snapshot lacks it.
pub fn ets_allowance(book: &PriceBook, name: &str) -> Option<Decimal> {
    book.find(Service::ElasticTranscoder.code(), name, None)
        .filter(|r| r.is_allowance() && !r.allowance().is_zero())
        .map(|r| r.allowance())
}

/// A free allowance shared by SD and HD minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SdEquivalentAllowance {
    /// Free SD minutes a month.
    pub sd_minutes: Decimal,
    /// SD minutes one HD minute uses up.
    pub hd_weight: Decimal,
}

impl SdEquivalentAllowance {
    /// The free SD and HD minutes of a month with `sd` and `hd` minutes: SD first (at
    /// us-east-1's rates either order saves the same), what is left for HD at its weight.
    /// In any number type: the forecast's Monte Carlo applies it in `f64`.
    pub fn split<N: Num>(&self, sd: N, hd: N) -> (N, N) {
        let free = N::of(self.sd_minutes);
        let free_sd = sd.at_most(free);
        let free_hd = ((free - free_sd) / N::of(self.hd_weight)).at_most(hd);
        (free_sd, free_hd)
    }
}

/// CloudFront data transfer out to the internet in one edge geography.
pub fn cloudfront_out(geo: Geography) -> UsageKey {
    UsageKey::new(
        Naming::Edge(geo.usage_prefix()),
        &["DataTransfer-Out-Bytes"],
    )
}

pub fn cloudfront_requests(geo: Geography, protocol: Protocol) -> UsageKey {
    let edge = Naming::Edge(geo.usage_prefix());
    match protocol {
        Protocol::Http => UsageKey::new(edge, &["Requests-Tier1"]),
        Protocol::Https => UsageKey::new(edge, &["Requests-Tier2-HTTPS"]),
    }
}

/// CloudFront Origin Shield requests, billed in the shield's AWS Region under its billing
/// code with `location` = the Region's name (`USE1-Requests-OriginShield`, usage-types.md §5),
/// not by edge geography.
pub fn origin_shield(shield_region: &str) -> UsageKey {
    UsageKey {
        region: crate::region::CODES
            .iter()
            .find(|c| **c == shield_region)
            .copied(),
        ..ORIGIN_SHIELD
    }
}

const ORIGIN_SHIELD: UsageKey = billing(&["Requests-OriginShield"]);

/// Storage of a class; Intelligent-Tiering's frequent access tier (see
/// [`intelligent_tiering`] for its other tiers).
pub fn storage(class: StorageClass) -> UsageKey {
    match class {
        StorageClass::Standard => legacy(&["TimedStorage-ByteHrs"]),
        StorageClass::IntelligentTiering => intelligent_tiering(IntTier::Frequent),
        StorageClass::StandardIa => legacy(&["TimedStorage-SIA-ByteHrs"]),
        StorageClass::GlacierIr => legacy(&["TimedStorage-GIR-ByteHrs"]),
    }
}

/// Storage in one of Intelligent-Tiering's access tiers (usage-types.md §4: `INT-FA`,
/// `INT-IA`, `INT-AIA`).
pub fn intelligent_tiering(tier: IntTier) -> UsageKey {
    match tier {
        IntTier::Frequent => legacy(&["TimedStorage-INT-FA-ByteHrs"]),
        IntTier::Infrequent => legacy(&["TimedStorage-INT-IA-ByteHrs"]),
        IntTier::ArchiveInstant => legacy(&["TimedStorage-INT-AIA-ByteHrs"]),
    }
}

/// PUT, COPY, POST and LIST requests of a class.
pub fn puts(class: StorageClass) -> UsageKey {
    match class {
        StorageClass::Standard => legacy(&["Requests-Tier1"]),
        StorageClass::IntelligentTiering => legacy(&["Requests-INT-Tier1"]),
        StorageClass::StandardIa => legacy(&["Requests-SIA-Tier1"]),
        StorageClass::GlacierIr => legacy(&["Requests-GIR-Tier1"]),
    }
}

/// GET and all other requests of a class.
pub fn gets(class: StorageClass) -> UsageKey {
    match class {
        StorageClass::Standard => legacy(&["Requests-Tier2"]),
        StorageClass::IntelligentTiering => legacy(&["Requests-INT-Tier2"]),
        StorageClass::StandardIa => legacy(&["Requests-SIA-Tier2"]),
        StorageClass::GlacierIr => legacy(&["Requests-GIR-Tier2"]),
    }
}

/// Lifecycle transition requests into a class; `None` for Standard, which nothing moves
/// into. AWS bills every transition into Standard-IA, Intelligent-Tiering and Glacier IR as
/// `Requests-Tier4` and tells the prices apart by `operation` (usage-types.md §4: empty or
/// `S3-SIATransition` for Standard-IA, `S3-INTTransition`, `S3-GIRTransition`); there is no
/// `Requests-GIR-Tier4` or `Requests-INT-Tier4`.
pub fn transitions(class: StorageClass) -> Option<UsageKey> {
    match class {
        StorageClass::Standard => None,
        StorageClass::IntelligentTiering => Some(TRANSITION_INT),
        StorageClass::StandardIa => Some(TRANSITION_SIA),
        StorageClass::GlacierIr => Some(TRANSITION_GIR),
    }
}

const TRANSITION_SIA: UsageKey =
    legacy(&["Requests-Tier4"]).with(&[("operation", &["", "S3-SIATransition"])]);
const TRANSITION_INT: UsageKey =
    legacy(&["Requests-Tier4"]).with(&[("operation", &["S3-INTTransition"])]);
const TRANSITION_GIR: UsageKey =
    legacy(&["Requests-Tier4"]).with(&[("operation", &["S3-GIRTransition"])]);

/// Retrieval fees of a class; `None` for Standard and Intelligent-Tiering, which have none.
pub fn retrieval(class: StorageClass) -> Option<UsageKey> {
    match class {
        StorageClass::Standard | StorageClass::IntelligentTiering => None,
        StorageClass::StandardIa => Some(legacy(&["Retrieval-SIA"])),
        StorageClass::GlacierIr => Some(legacy(&["Retrieval-GIR"])),
    }
}

/// The charge for deleting or moving an object before its class's minimum duration (30
/// days in Standard-IA, 90 in Glacier IR): the class's storage price for the days left
/// (S3 User Guide; usage-types.md §4). The snapshot prices it per GB-month (CUR reports it
/// in GB-hours).
pub fn early_delete(class: StorageClass) -> Option<UsageKey> {
    match class {
        StorageClass::StandardIa => Some(legacy(&["EarlyDelete-SIA"])),
        StorageClass::GlacierIr => Some(legacy(&["EarlyDelete-GIR"])),
        StorageClass::Standard | StorageClass::IntelligentTiering => None,
    }
}

/// Comprehend units of one API: `USE1-DetectSentiment` in the Price List as third parties
/// read it, `Comprehend-SA` in AWS's free-tier list (usage-types.md §3). Both are accepted,
/// the first preferred.
pub fn comprehend_units(api: ComprehendApi) -> UsageKey {
    match api {
        ComprehendApi::Sentiment => billing(&["DetectSentiment", "Comprehend-SA"]),
        ComprehendApi::Entities => billing(&["DetectEntities", "Comprehend-EA"]),
        ComprehendApi::KeyPhrases => billing(&["DetectKeyPhrases", "Comprehend-KP"]),
        ComprehendApi::Syntax => billing(&["DetectSyntax", "Comprehend-Syntax"]),
        ComprehendApi::Language => billing(&["DetectDominantLanguage", "Comprehend-LD"]),
        ComprehendApi::Pii => billing(&["DetectPiiEntities"]),
    }
}

/// A usage type the engine may look up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageType {
    pub service: Service,
    pub key: UsageKey,
    /// Looked up in the scenario's Region (false: global, like CloudFront's geographies).
    pub regional: bool,
    /// AWS publishes it in the Price List (false: CloudFront's and data transfer's free
    /// allowances, reserved slots), so a refresh looks for it there.
    pub in_price_list: bool,
    /// A snapshot without it cannot be installed. Optional ones show as unpriced lines.
    pub required: bool,
    /// Where the name comes from (usage-types.md section and confidence).
    pub source: &'static str,
}

/// Every usage type the engine may price.
pub fn all() -> Vec<UsageType> {
    let mut out = Vec::new();
    let mut add = |service, key: UsageKey, regional, in_price_list, required, source| {
        out.push(UsageType {
            service,
            key,
            regional,
            in_price_list,
            required,
            source,
        })
    };
    for tier in [MediaConvertTier::Basic, MediaConvertTier::Professional] {
        add(
            Service::MediaConvert,
            mediaconvert_minutes(tier),
            true,
            true,
            true,
            "usage-types.md §1.2: Basic seen once (third-party read of the bulk file); Professional by analogy, unverified",
        );
    }
    add(
        Service::MediaConvert,
        MEDIACONVERT_RESERVED_SLOT,
        true,
        false,
        false,
        "usage-types.md §1.1: abbreviations RTS and Y (AWS); the arrangement is unverified",
    );
    add(
        Service::ElasticTranscoder,
        ETS_SD,
        true,
        true,
        true,
        "real Price List records (PL-ETS)",
    );
    add(
        Service::ElasticTranscoder,
        ETS_HD,
        true,
        true,
        true,
        "real Price List records (PL-ETS)",
    );
    add(
        Service::ElasticTranscoder,
        ETS_AUDIO,
        true,
        true,
        false,
        "real Price List records (PL-ETS)",
    );
    for free in [
        UsageKey::new(Naming::Whole, &[ETS_FREE_SD]),
        UsageKey::new(Naming::Whole, &[ETS_FREE_HD]),
    ] {
        add(
            Service::ElasticTranscoder,
            free,
            false,
            true,
            false,
            "real Price List records (PL-ETS)",
        );
    }
    const S3: &str = "usage-types.md §4 (S3 User Guide, infracost filters)";
    for (_, class) in StorageClass::ALL {
        // Intelligent-Tiering and early deletes are priced where a snapshot has them; a
        // snapshot without them still prices every other scenario.
        let required = class != StorageClass::IntelligentTiering;
        add(Service::S3, storage(class), true, true, required, S3);
        add(Service::S3, puts(class), true, true, required, S3);
        add(Service::S3, gets(class), true, true, required, S3);
        if let Some(t) = transitions(class) {
            add(Service::S3, t, true, true, required, S3);
        }
        if let Some(r) = retrieval(class) {
            add(Service::S3, r, true, true, required, S3);
        }
        if let Some(e) = early_delete(class) {
            add(Service::S3, e, true, true, false, S3);
        }
    }
    for tier in [IntTier::Infrequent, IntTier::ArchiveInstant] {
        add(
            Service::S3,
            intelligent_tiering(tier),
            true,
            true,
            false,
            S3,
        );
    }
    add(
        Service::S3,
        INTELLIGENT_TIERING_MONITORING,
        true,
        true,
        false,
        S3,
    );
    add(
        Service::DataTransfer,
        DATA_TRANSFER_OUT,
        true,
        true,
        true,
        "usage-types.md §6 (S3 User Guide; infracost; a real get-products answer)",
    );
    add(
        Service::DataTransfer,
        UsageKey::new(Naming::Whole, &[DATA_TRANSFER_FREE]),
        false,
        false,
        false,
        "usage-types.md §6 (AWS Free Tier usage types)",
    );
    const CF: &str = "usage-types.md §5 (CloudFront Developer Guide; a real usage report)";
    for geo in Geography::ALL {
        add(
            Service::CloudFront,
            cloudfront_out(geo),
            false,
            true,
            true,
            CF,
        );
        for protocol in [Protocol::Http, Protocol::Https] {
            add(
                Service::CloudFront,
                cloudfront_requests(geo, protocol),
                false,
                true,
                true,
                CF,
            );
        }
    }
    add(
        Service::CloudFront,
        ORIGIN_SHIELD,
        true,
        true,
        false,
        "usage-types.md §5 (infracost; third-party Price List reads)",
    );
    for free in [
        UsageKey::new(Naming::Whole, &[CLOUDFRONT_FREE_BYTES]),
        UsageKey::new(Naming::Whole, &[CLOUDFRONT_FREE_REQUESTS]),
    ] {
        add(
            Service::CloudFront,
            free,
            false,
            false,
            false,
            "usage-types.md §5 (AWS Free Tier usage types)",
        );
    }
    add(
        Service::Rekognition,
        REKOGNITION_IMAGES,
        true,
        true,
        true,
        "usage-types.md §2 (AWS Free Tier usage types; Price List reads of USE1-/APS3-)",
    );
    add(
        Service::Rekognition,
        REKOGNITION_VIDEO,
        true,
        true,
        true,
        "usage-types.md §2 (AWS Free Tier usage types; the prefix is unverified)",
    );
    add(
        Service::Rekognition,
        REKOGNITION_GROUP1_IMAGES,
        true,
        true,
        false,
        "usage-types.md §2 (AWS Free Tier usage types; APS3- read from the Price List)",
    );
    add(
        Service::Rekognition,
        REKOGNITION_FACE_STORAGE,
        true,
        true,
        false,
        "usage-types.md §2 (AWS Free Tier usage types: FaceVectorsStored; the prefix is unverified)",
    );
    for key in [
        COMPREHEND_CUSTOM_TRAINING,
        COMPREHEND_CUSTOM_MODELS,
        COMPREHEND_CUSTOM_ENDPOINT,
        COMPREHEND_CUSTOM_ASYNC,
    ] {
        add(
            Service::Comprehend,
            key,
            true,
            true,
            false,
            "not in the sourced reference: named after the free-tier list's Comprehend- names, unverified",
        );
    }
    const GLUE: &str = "not in the sourced reference: the usage type AWS's bills show, unverified";
    for (service, key) in [
        (Service::S3, TRANSFER_ACCELERATION_IN),
        (Service::Lambda, LAMBDA_REQUESTS),
        (Service::Lambda, LAMBDA_GB_SECONDS),
        (Service::StepFunctions, STATE_TRANSITIONS),
        (Service::DynamoDb, DYNAMODB_WRITES),
        (Service::DynamoDb, DYNAMODB_READS),
        (Service::DynamoDb, DYNAMODB_STORAGE),
        (Service::Sns, SNS_REQUESTS),
        (Service::Sqs, SQS_REQUESTS),
        (Service::Kms, KMS_REQUESTS),
        (Service::Kms, KMS_KEYS),
        (Service::CloudWatch, LOGS_INGESTED),
    ] {
        add(service, key, true, true, false, GLUE);
    }
    for key in [WAF_WEB_ACL, WAF_RULES, WAF_REQUESTS] {
        add(Service::Waf, key, false, true, false, GLUE);
    }
    for (service, key) in [
        (
            Service::Lambda,
            UsageKey::new(Naming::Whole, &[LAMBDA_FREE_REQUESTS]),
        ),
        (
            Service::Lambda,
            UsageKey::new(Naming::Whole, &[LAMBDA_FREE_GB_SECONDS]),
        ),
        (
            Service::StepFunctions,
            UsageKey::new(Naming::Whole, &[STATE_TRANSITIONS_FREE]),
        ),
        (
            Service::DynamoDb,
            UsageKey::new(Naming::Whole, &[DYNAMODB_FREE_STORAGE]),
        ),
        (
            Service::Sns,
            UsageKey::new(Naming::Whole, &[SNS_FREE_REQUESTS]),
        ),
        (
            Service::Sqs,
            UsageKey::new(Naming::Whole, &[SQS_FREE_REQUESTS]),
        ),
        (
            Service::Kms,
            UsageKey::new(Naming::Whole, &[KMS_FREE_REQUESTS]),
        ),
    ] {
        add(
            service,
            key,
            false,
            false,
            false,
            "the service's always-free allowance (AWS Free Tier), unverified",
        );
    }
    for (_, api) in ComprehendApi::ALL {
        add(
            Service::Comprehend,
            comprehend_units(api),
            true,
            true,
            true,
            "usage-types.md §3: USE1-DetectSentiment and -DetectPiiEntities from Price List reads; the others by analogy; Comprehend-SA/EA/KP/LD from AWS's free-tier list",
        );
    }
    out
}

/// The usage type of the engine a bill line is for: the one of [`all`] whose key accepts the
/// line's usage type for `service` in `region` (the scenario's Region; global keys ignore it).
/// Bill lines carry no `operation`, so where keys differ only by attributes (S3's
/// `Requests-Tier4`) the first is taken, the same for every line of that usage type.
///
/// MediaConvert bills on-demand outputs per feature set — `<AIRPORT>-<B|P>-<CODEC>-<RES>-
/// <QUALITY>-<FPS>-NTM`, e.g. `IAD-B-AVC-HD-S-30-NTM`, in normalized minutes (MediaConvert
/// User Guide, "Understanding your AWS billing and usage reports for MediaConvert";
/// usage-types.md §1.1) — while the Price List prices them as one tiered normalized-minute
/// charge per tier ([`mediaconvert_minutes`]): such a line is taken for the charge of its
/// tier, `B` Basic and `P` Professional. Add-on features (`IAD-DOLBY-HD-NTM`) are not.
pub fn billed_as(service: Service, usage_type: &str, region: &str) -> Option<UsageType> {
    let of_service = || all().into_iter().filter(move |u| u.service == service);
    if let Some(u) = of_service().find(|u| {
        u.key
            .position_of(usage_type, u.key.region.or(u.regional.then_some(region)))
            .is_some()
    }) {
        return Some(u);
    }
    if service != Service::MediaConvert {
        return None;
    }
    let tier = ntm_tier(usage_type, region)?;
    let key = mediaconvert_minutes(tier);
    of_service().find(|u| u.key == key)
}

/// The tier of a MediaConvert on-demand output line (`IAD-B-AVC-HD-S-30-NTM`) billed in
/// `region`; `None` for other lines. In a Region without codes any three-letter code passes.
fn ntm_tier(usage_type: &str, region: &str) -> Option<MediaConvertTier> {
    let (airport, rest) = usage_type.split_once('-')?;
    let expected = region_codes(region).map(|c| c.airport);
    let airport_ok = match expected {
        Some(code) => airport == code,
        None => airport.len() == 3 && airport.bytes().all(|b| b.is_ascii_uppercase()),
    };
    if !airport_ok {
        return None;
    }
    match NtmOutput::read(rest)? {
        NtmOutput::Video { tier, .. } => Some(tier),
        NtmOutput::Audio { .. } => None,
    }
}

/// A MediaConvert on-demand output line's usage type without its Region prefix, read part by
/// part: `<B|P>-<CODEC>-<RES>-<S|M|SHQ|MHQ>-<30|60|120>-NTM` for video (`B-AVC-HD-S-30-NTM`),
/// `<B|P>-AUD…-NTM` for audio (reference usage-types.md §1.1, from the MediaConvert User
/// Guide, "Understanding your AWS billing and usage reports").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NtmOutput<'a> {
    Video {
        tier: MediaConvertTier,
        /// The code as billed (`AVC`, `HEVC`, `XAVC`, …).
        codec: &'a str,
        /// `SD`, `HD`, `UHD` (billed as `4K`), `8K`: the classes of the normalization table.
        class: &'static str,
        passes: u8,
        /// The top of the frame-rate band: 30, 60 or 120.
        fps: u16,
    },
    Audio {
        tier: MediaConvertTier,
    },
}

impl<'a> NtmOutput<'a> {
    pub fn read(suffix: &'a str) -> Option<NtmOutput<'a>> {
        let body = suffix.strip_suffix("-NTM")?;
        let parts: Vec<&str> = body.split('-').collect();
        let tier = match *parts.first()? {
            "B" => MediaConvertTier::Basic,
            "P" => MediaConvertTier::Professional,
            _ => return None,
        };
        if parts.get(1) == Some(&"AUD") {
            return Some(NtmOutput::Audio { tier });
        }
        let [_, codec, res, quality, fps] = parts.as_slice() else {
            return None;
        };
        let class = match *res {
            "SD" => "SD",
            "HD" => "HD",
            "4K" => "UHD",
            "8K" => "8K",
            _ => return None,
        };
        let passes = match *quality {
            "S" | "SHQ" => 1,
            "M" | "MHQ" => 2,
            _ => return None,
        };
        let fps = match *fps {
            "30" => 30,
            "60" => 60,
            "120" => 120,
            _ => return None,
        };
        Some(NtmOutput::Video {
            tier,
            codec,
            class,
            passes,
            fps,
        })
    }

    /// The resolution class, or `Audio`.
    pub fn class(&self) -> &'static str {
        match self {
            NtmOutput::Video { class, .. } => class,
            NtmOutput::Audio { .. } => "Audio",
        }
    }
}

/// The required usage types `book` has no record of, for `region`: services AWS does not
/// offer in the Region (as the snapshot says) are not required there.
pub fn missing(book: &PriceBook, region: &str) -> Vec<UsageType> {
    all()
        .into_iter()
        .filter(|u| u.required)
        .filter(|u| book.not_offered_in(u.service.code(), region).is_none())
        .filter(|u| {
            book.find_usage(u.service.code(), &u.key, u.regional.then_some(region))
                .is_none()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mediaconvert_output_lines_are_read_part_by_part() {
        assert_eq!(
            NtmOutput::read("P-HEVC-4K-MHQ-60-NTM"),
            Some(NtmOutput::Video {
                tier: MediaConvertTier::Professional,
                codec: "HEVC",
                class: "UHD",
                passes: 2,
                fps: 60,
            })
        );
        assert_eq!(
            NtmOutput::read("B-AUD-NTM"),
            Some(NtmOutput::Audio {
                tier: MediaConvertTier::Basic
            })
        );
        for not_one in [
            "B-AVC-HD-S-30",
            "X-AVC-HD-S-30-NTM",
            "B-AVC-HD-S-25-NTM",
            "-NTM",
            "B",
        ] {
            assert_eq!(NtmOutput::read(not_one), None, "{not_one}");
        }
        // A prefix alone, or an airport without parts, is no line and no panic.
        assert_eq!(ntm_tier("IAD", "us-east-1"), None);
        assert_eq!(ntm_tier("IAD-NTM", "us-east-1"), None);
        assert_eq!(
            ntm_tier("IAD-P-AV1-SD-S-30-NTM", "us-east-1"),
            Some(MediaConvertTier::Professional)
        );
    }

    #[test]
    fn names_carry_the_prefix_each_service_uses_in_each_region() {
        let s3 = storage(StorageClass::Standard);
        assert_eq!(
            s3.names_in(Some("us-east-1")).unwrap(),
            ["TimedStorage-ByteHrs", "USE1-TimedStorage-ByteHrs"]
        );
        // eu-west-1 is `EU-`, never `EUW1-` (PRICES-regions.md §0).
        assert_eq!(s3.name_in(Some("eu-west-1")), "EU-TimedStorage-ByteHrs");
        assert_eq!(
            mediaconvert_minutes(MediaConvertTier::Basic).name_in(Some("us-east-1")),
            "IAD-Normalized-Transcode-Minute-Basic"
        );
        assert_eq!(
            REKOGNITION_IMAGES.name_in(Some("us-east-1")),
            "USE1-Group2-ImagesProcessed"
        );
        assert_eq!(
            origin_shield("ap-south-1").name_in(None),
            "APS3-Requests-OriginShield"
        );
        assert_eq!(
            cloudfront_out(Geography::Europe).name_in(None),
            "EU-DataTransfer-Out-Bytes"
        );
        // A Region without codes: the names cannot be spelled out.
        assert_eq!(s3.names_in(Some("ca-central-1")), None);
    }

    #[test]
    fn bill_lines_find_the_engine_usage_type_they_are_for() {
        let of = |service, usage_type, region| {
            billed_as(service, usage_type, region).map(|u| u.key.name_in(Some(region)))
        };
        // S3 in us-east-1, with or without `USE1-`; not another Region's, nor a look-alike.
        for name in ["TimedStorage-ByteHrs", "USE1-TimedStorage-ByteHrs"] {
            assert_eq!(
                of(Service::S3, name, "us-east-1").as_deref(),
                Some("TimedStorage-ByteHrs")
            );
        }
        assert_eq!(
            of(Service::S3, "EU-TimedStorage-ByteHrs", "us-east-1"),
            None
        );
        assert_eq!(
            of(Service::S3, "EU-TimedStorage-ByteHrs", "eu-west-1").as_deref(),
            Some("EU-TimedStorage-ByteHrs")
        );
        assert_eq!(
            of(Service::S3, "Tables-TimedStorage-ByteHrs", "us-east-1"),
            None
        );
        // CloudFront's geographies, whatever the scenario's Region.
        assert_eq!(
            of(Service::CloudFront, "IN-Requests-Tier2-HTTPS", "eu-west-1").as_deref(),
            Some("IN-Requests-Tier2-HTTPS")
        );
        // MediaConvert's per-output lines are the tier's normalized minutes.
        assert_eq!(
            of(Service::MediaConvert, "IAD-B-AVC-HD-S-30-NTM", "us-east-1").as_deref(),
            Some("IAD-Normalized-Transcode-Minute-Basic")
        );
        assert_eq!(
            of(
                Service::MediaConvert,
                "IAD-P-HEVC-4K-MHQ-60-NTM",
                "us-east-1"
            )
            .as_deref(),
            Some("IAD-Normalized-Transcode-Minute-Professional")
        );
        assert_eq!(
            of(Service::MediaConvert, "DUB-B-AVC-SD-S-30-NTM", "us-east-1"),
            None
        );
        assert_eq!(
            of(Service::MediaConvert, "IAD-DOLBY-HD-NTM", "us-east-1"),
            None
        );
        assert_eq!(
            of(Service::Comprehend, "USE1-DetectSentiment", "us-east-1").as_deref(),
            Some("USE1-DetectSentiment")
        );
    }

    #[test]
    fn every_covered_region_is_a_known_region() {
        for c in REGION_CODES {
            assert!(crate::region::is_known(c.region), "{}", c.region);
        }
    }

    #[test]
    fn the_keys_are_all_distinct() {
        let mut keys: Vec<(Service, String)> = all()
            .into_iter()
            .map(|u| (u.service, u.key.to_string()))
            .collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
