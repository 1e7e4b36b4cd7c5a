//! The price book: AWS Price List records, with where each figure came from.
//!
//! A snapshot is a manifest plus one file per service. Each service file holds Price List
//! items in the shape GetProducts returns (`{"FormatVersion", "PriceList": [item, …]}`, where
//! an item is either the JSON object or, as the live API sends it, that object encoded as a
//! string), so the shipped snapshot and a live pull share this one parser. The manifest
//! records, per service, the record count, the sha256 of the file, the Price List version and
//! publication date, and each record's provenance.
//!
//! Reading a snapshot is pure: the caller hands in the files' text.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub use crate::engine::usage::UsageKey;

/// How far a price can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PriceStatus {
    /// A real AWS Price List record.
    PriceList,
    /// Read from an AWS pricing page or document.
    AwsPage,
    /// Third-party data computed from the AWS Price List or quoting AWS.
    ThirdParty,
    /// Not confirmed anywhere; reports warn when they use it.
    Unverified,
}

impl PriceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PriceStatus::PriceList => "price-list",
            PriceStatus::AwsPage => "aws-page",
            PriceStatus::ThirdParty => "third-party",
            PriceStatus::Unverified => "unverified",
        }
    }
}

/// Serializes a shared value as the value itself (serde's `rc` feature, for one field).
pub(crate) fn shared<T: Serialize + ?Sized, S: serde::Serializer>(
    value: &Arc<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    T::serialize(value, serializer)
}

/// [`shared`] for an optional value.
pub(crate) fn shared_or_none<T: Serialize + ?Sized, S: serde::Serializer>(
    value: &Option<Arc<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.as_deref().serialize(serializer)
}

/// Where one record's figures came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub status: PriceStatus,
    /// A source id from the manifest's `sources`, or a citation.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The snapshot a refresh kept this figure from because the Price List did not have it
    /// that day (the note says when). A carried price is named like an unverified one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<String>,
    /// Volume bands of the record whose figures come from another source than its first band
    /// (MediaConvert's first band is on an AWS page, its later bands are not): each applies
    /// from its `begin` up to the next one's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierProvenance>,
    /// Of a line's provenance ([`PriceRecord::provenance_for`]): the sources of the bands its
    /// walk used, when they are not all the record's own; the note spells them out.
    #[serde(skip)]
    pub band_sources: Vec<String>,
}

/// Where the figures of a record's volume bands from `begin` upward came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierProvenance {
    /// The `beginRange` of the first band this applies to.
    pub begin: Decimal,
    pub status: PriceStatus,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Provenance {
    pub fn new(status: PriceStatus, source: impl Into<String>) -> Provenance {
        Provenance {
            status,
            source: source.into(),
            note: None,
            carried_from: None,
            tiers: Vec::new(),
            band_sources: Vec::new(),
        }
    }

    /// The least-trusted status of any of the record's bands.
    pub fn worst_status(&self) -> PriceStatus {
        self.tiers
            .iter()
            .map(|t| t.status)
            .fold(self.status, PriceStatus::max)
    }

    /// Whether a report should ask for this price to be confirmed: a band is unverified, or a
    /// refresh carried the figure over because the Price List did not have it.
    pub fn needs_confirmation(&self) -> bool {
        self.worst_status() == PriceStatus::Unverified || self.carried_from.is_some()
    }

    /// Every source of the figures: the record's, and for a line whose tier walk used bands
    /// of several sources, each of those once (MediaConvert's first band is on an AWS page,
    /// its later bands elsewhere).
    pub fn sources(&self) -> Vec<&str> {
        if self.band_sources.is_empty() {
            vec![self.source.as_str()]
        } else {
            self.band_sources.iter().map(String::as_str).collect()
        }
    }

    /// Status, source and note of the band that begins at or below `begin`.
    fn band(&self, begin: Decimal) -> (PriceStatus, &str, Option<&str>) {
        self.tiers
            .iter()
            .filter(|t| t.begin <= begin)
            .max_by_key(|t| t.begin)
            .map_or(
                (self.status, self.source.as_str(), self.note.as_deref()),
                |t| (t.status, t.source.as_str(), t.note.as_deref()),
            )
    }
}

/// One price dimension of a record: a tier of the quantity with its price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PriceTier {
    pub begin: Decimal,
    /// `None` for the open-ended last tier (`"endRange": "Inf"`).
    pub end: Option<Decimal>,
    /// US dollars per one `unit`.
    pub usd_per_unit: Decimal,
    #[serde(serialize_with = "shared")]
    pub description: Arc<str>,
}

/// One Price List product with its on-demand price dimensions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceRecord {
    pub service_code: String,
    #[serde(serialize_with = "shared")]
    pub sku: Arc<str>,
    pub product_family: String,
    #[serde(serialize_with = "shared")]
    pub usage_type: Arc<str>,
    pub attributes: BTreeMap<String, String>,
    /// The unit as the Price List writes it: `GB`, `GB-Mo`, `Requests`, `minutes`, …
    #[serde(serialize_with = "shared")]
    pub unit: Arc<str>,
    /// Sorted by `begin`; contiguous from zero.
    pub tiers: Vec<PriceTier>,
    /// Shared with the lines priced from the record: an estimate clones the handle, not the
    /// text.
    #[serde(serialize_with = "shared")]
    pub provenance: Arc<Provenance>,
    pub version: Option<String>,
    pub publication_date: Option<String>,
}

/// Whether a record's usage type is `wanted`, allowing for a Region prefix (`USE1-…`).
pub fn usage_type_matches(record_usage_type: &str, wanted: &str) -> bool {
    record_usage_type == wanted
        || record_usage_type
            .strip_suffix(wanted)
            .is_some_and(|prefix| {
                prefix.ends_with('-') && !prefix[..prefix.len() - 1].contains('-')
            })
}

impl PriceRecord {
    /// Whether the record prices usage in `region`: by its `regionCode` attribute, or by the
    /// Price List `location` name of the Region (older records have no `regionCode`). Data
    /// transfer records name the Region they leave instead (`fromRegionCode`, `fromLocation`:
    /// usage-types.md §6).
    pub fn applies_in(&self, region: &str) -> bool {
        let attr = |k: &str| self.attributes.get(k).map(String::as_str);
        let location = crate::region::location(region);
        attr("regionCode") == Some(region)
            || attr("fromRegionCode") == Some(region)
            || location
                .is_some_and(|l| attr("location") == Some(l) || attr("fromLocation") == Some(l))
    }

    /// A Price List item (a `GetProducts` element, parsed) as a record, with a placeholder
    /// provenance: the snapshot's manifest gives the real one.
    pub fn from_item(item: &Value) -> Result<PriceRecord, String> {
        parse_record(item)
    }

    /// The provenance of the part of this record a tier walk used: the least-trusted band with
    /// a quantity, since a record's bands can come from different sources.
    pub fn provenance_for(&self, walked: &[crate::tiers::TierCharge]) -> Arc<Provenance> {
        let p = &self.provenance;
        if p.tiers.is_empty() {
            return Arc::clone(p);
        }
        let used = || {
            walked
                .iter()
                .filter(|t| !t.quantity.is_zero() && !t.is_free_tier())
        };
        let mut out = Provenance {
            status: p.status,
            source: p.source.clone(),
            note: p.note.clone(),
            carried_from: p.carried_from.clone(),
            tiers: Vec::new(),
            band_sources: Vec::new(),
        };
        let mut differs = false;
        for t in used() {
            let (status, source, _) = p.band(t.begin);
            if status > out.status {
                out.status = status;
                out.source = source.to_string();
            }
            differs |= status != p.status || source != p.source;
        }
        // The bands are spelled out only when one of them is not the record's own: most walks
        // stay in bands of one source, and the text is the costliest part of a line.
        if differs {
            let parts: Vec<String> = used()
                .map(|t| {
                    let (status, source, _) = p.band(t.begin);
                    format!("{}: {status} ({source})", t.range_text())
                })
                .collect();
            for t in used() {
                let (_, source, _) = p.band(t.begin);
                if !out.band_sources.iter().any(|s| s == source) {
                    out.band_sources.push(source.to_string());
                }
            }
            let bands = format!("bands used: {}", parts.join("; "));
            out.note = Some(match &p.note {
                Some(n) => format!("{n}; {bands}"),
                None => bands,
            });
        }
        Arc::new(out)
    }

    /// Whether this record is a free allowance: every dimension is priced zero and the last
    /// ends (as in the Price List's `Global-ets-*` free-tier records).
    pub fn is_allowance(&self) -> bool {
        self.tiers.iter().all(|t| t.usd_per_unit.is_zero())
            && self.tiers.last().is_some_and(|t| t.end.is_some())
    }

    /// The free quantity of an allowance record.
    pub fn allowance(&self) -> Decimal {
        self.tiers.last().and_then(|t| t.end).unwrap_or_default()
    }
}

/// What the manifest says about the snapshot as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    pub id: String,
    /// The day the snapshot was assembled (ISO 8601).
    pub created: String,
    pub description: String,
    /// Where the snapshot was read from (`shipped`, or a directory); set by the loader and
    /// empty in a manifest.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub origin: String,
}

/// Factors that turn MediaConvert output minutes into normalized minutes.
///
/// AWS Elemental MediaConvert pricing (https://aws.amazon.com/mediaconvert/pricing/, since
/// September 2024): each output minute is multiplied by factors for resolution, frame rate,
/// codec and quality (passes); normalized minutes are summed per Region and per tier each
/// month and priced on volume tiers. The factors are not in the Price List, so the snapshot
/// carries them as their own file, each factor with its own provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NormalizationTable {
    /// `SD`, `HD`, `UHD`, `8K` → factor.
    pub resolution: BTreeMap<String, Factor>,
    /// Frame-rate bands as the Price List names them: `<=30`, `>30 and <=60`, `>60 and <=120`.
    pub frame_rate: BTreeMap<String, Factor>,
    /// Tier (`basic`, `professional`) → codec (`avc`, …) → factor. A codec missing from a
    /// tier cannot be encoded in that tier.
    pub codec: BTreeMap<String, BTreeMap<String, Factor>>,
    /// Passes (`1`, `2`) → factor.
    pub passes: BTreeMap<String, Factor>,
    /// The factor of an audio-only output, which has no resolution, frame rate or codec.
    pub audio_only: Option<Factor>,
    /// Where the table as a whole comes from (its structure).
    pub provenance: Provenance,
}

/// One normalization factor and where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Factor {
    pub value: Decimal,
    pub provenance: Provenance,
}

/// Which factor of a [`NormalizationTable`] to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FactorKey<'a> {
    /// `SD`, `HD`, `UHD`, `8K`.
    Resolution(&'a str),
    /// `<=30`, `>30 and <=60`, `>60 and <=120`.
    FrameRate(&'a str),
    /// A codec (`avc`) in a tier (`basic`, `professional`).
    Codec {
        tier: &'a str,
        codec: &'a str,
    },
    Passes(u8),
    AudioOnly,
}

impl fmt::Display for FactorKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactorKey::Resolution(r) => write!(f, "resolution class {r}"),
            FactorKey::FrameRate(b) => write!(f, "frame-rate band {b}"),
            FactorKey::Codec { tier, codec } => write!(f, "{codec} in the {tier} tier"),
            FactorKey::Passes(n) => write!(f, "{n} passes"),
            FactorKey::AudioOnly => f.write_str("audio-only outputs"),
        }
    }
}

impl NormalizationTable {
    /// One factor with its value and provenance; `None` when the table has no such factor.
    pub fn factor(&self, key: FactorKey) -> Option<&Factor> {
        match key {
            FactorKey::Resolution(r) => self.resolution.get(r),
            FactorKey::FrameRate(b) => self.frame_rate.get(b),
            FactorKey::Codec { tier, codec } => self.codec.get(tier).and_then(|c| c.get(codec)),
            FactorKey::Passes(n) => self.passes.get(&n.to_string()),
            FactorKey::AudioOnly => self.audio_only.as_ref(),
        }
    }

    /// Reads the file. A factor is `{"value": "2", "provenance": {…}}`; a bare number (the
    /// shape of snapshots written before factors had their own provenance) takes the table's.
    pub fn parse(text: &str) -> Result<NormalizationTable, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let provenance: Provenance = serde_json::from_value(
            doc.get("provenance")
                .cloned()
                .ok_or("no `provenance` of the table")?,
        )
        .map_err(|e| format!("provenance: {e}"))?;
        let factor = |path: &str, v: &Value| -> Result<Factor, String> {
            let number = |v: &Value| match v {
                Value::String(s) => Decimal::from_str(s).ok(),
                Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
                _ => None,
            };
            let (value, own) = match v {
                Value::Object(o) => (
                    o.get("value").and_then(number),
                    o.get("provenance").cloned(),
                ),
                other => (number(other), None),
            };
            let value = value
                .filter(|v| !v.is_sign_negative())
                .ok_or_else(|| format!("{path}: not a factor (a non-negative number)"))?;
            let provenance = match own {
                Some(p) => serde_json::from_value(p).map_err(|e| format!("{path}: {e}"))?,
                None => provenance.clone(),
            };
            Ok(Factor { value, provenance })
        };
        let map = |name: &str| -> Result<BTreeMap<String, Factor>, String> {
            doc.get(name)
                .and_then(Value::as_object)
                .ok_or_else(|| format!("no `{name}` table"))?
                .iter()
                .map(|(k, v)| Ok((k.clone(), factor(&format!("{name}.{k}"), v)?)))
                .collect()
        };
        let codec = doc
            .get("codec")
            .and_then(Value::as_object)
            .ok_or("no `codec` table")?
            .iter()
            .map(|(tier, codecs)| {
                let codecs = codecs
                    .as_object()
                    .ok_or_else(|| format!("codec.{tier}: not a table"))?
                    .iter()
                    .map(|(c, v)| Ok((c.clone(), factor(&format!("codec.{tier}.{c}"), v)?)))
                    .collect::<Result<_, String>>()?;
                Ok((tier.clone(), codecs))
            })
            .collect::<Result<_, String>>()?;
        Ok(NormalizationTable {
            resolution: map("resolution")?,
            frame_rate: map("frame_rate")?,
            codec,
            passes: map("passes")?,
            audio_only: doc
                .get("audio_only")
                .map(|v| factor("audio_only", v))
                .transpose()?,
            provenance,
        })
    }
}

/// A CloudFront flat-rate plan (launched 2025-11-18; not in the Price List, so the snapshot
/// carries the plans as their own file). A plan is a monthly price for a bundle of
/// allowances with **no overage charges**: past an allowance AWS may throttle the
/// distribution or ask for a higher plan. One plan per distribution; requests blocked by AWS
/// WAF or DDoS protection do not count. Sources: PRICES.md §9.2.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlatRatePlan {
    /// `free`, `pro`, `business`, `premium`, `premium-2` … `premium-6`.
    pub id: String,
    /// As the pricing page names it: `Free`, `Pro`, `Business`, `Premium`, `Premium level 2`.
    pub name: String,
    /// Premium's level: 1 for the base plan (and for every other plan), 2–6 for the larger
    /// Premium bundles.
    pub level: u8,
    pub usd_per_month: Decimal,
    /// Data transfer out included per month, in GB (a TB counted as 1,024 GB, as CloudFront's
    /// pay-as-you-go tiers count it).
    pub data_transfer_gb: Decimal,
    /// HTTP and HTTPS requests included per month.
    pub requests: Decimal,
    /// S3 Standard storage the plan credits each month (offsets S3 Standard storage in the
    /// payer account), in GB (a TB counted as 1,024 GB).
    pub s3_standard_storage_credit_gb: Decimal,
    /// Whether usage past an allowance is charged (it is not, for every plan).
    pub overage_charges: bool,
    /// What the plan bundles (an AWS WAF web ACL, which it requires).
    pub included: Vec<String>,
    /// Features a distribution on the plan cannot use.
    pub exclusions: Vec<String>,
    pub provenance: Provenance,
}

/// The `cloudfront-flat-rate-plans.json` file of a snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlatRatePlans {
    pub plans: Vec<FlatRatePlan>,
    /// Rules common to every plan, for people (billing period, cancellation, what counts).
    #[serde(default)]
    pub rules: Vec<String>,
}

/// A service AWS does not offer in a Region: a line of it there is unpriced for that reason,
/// and a snapshot need not have its prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotOffered {
    pub service_code: String,
    pub region: String,
    /// A source id, or a citation, that says so.
    pub source: String,
}

/// A snapshot's `manifest.json`: what the snapshot is, and for each service file its record
/// count, checksum, Price List version and the provenance of every record. Written by the
/// snapshot builder and by `pricing refresh`, read by [`PriceBook::from_snapshot`]; both go
/// through this one type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    pub snapshot: SnapshotInfo,
    /// Source id → what the source is; provenance entries name these ids.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    pub services: Vec<ManifestService>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediaconvert_normalization: Option<ManifestFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloudfront_flat_rate_plans: Option<ManifestFile>,
    /// Services AWS does not offer in a Region (Comprehend in sa-east-1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_offered: Vec<NotOffered>,
}

/// One service's file in a snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestService {
    pub service_code: String,
    pub file: String,
    pub records: usize,
    pub sha256: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub publication_date: Option<String>,
    /// SKU → provenance; `*` applies to every record not listed.
    pub provenance: BTreeMap<String, Provenance>,
}

/// A file of a snapshot that is not a service's Price List records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub file: String,
    pub sha256: String,
}

impl Manifest {
    /// Reads a manifest's text.
    pub fn parse(text: &str) -> Result<Manifest, PriceBookError> {
        serde_json::from_str(text).map_err(|e| PriceBookError::Manifest(e.to_string()))
    }

    /// The manifest as the file holds it: pretty JSON ending with a newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The service entry of a service code.
    pub fn service(&self, service_code: &str) -> Option<&ManifestService> {
        self.services
            .iter()
            .find(|s| s.service_code == service_code)
    }

    /// Whether the manifest records that AWS does not offer the service in the Region.
    pub fn not_offered_in(&self, service_code: &str, region: &str) -> Option<&NotOffered> {
        not_offered_in(&self.not_offered, service_code, region)
    }
}

/// The entry of `list` saying AWS does not offer `service_code` in `region`, if any.
fn not_offered_in<'a>(
    list: &'a [NotOffered],
    service_code: &str,
    region: &str,
) -> Option<&'a NotOffered> {
    list.iter()
        .find(|n| n.service_code == service_code && n.region == region)
}

impl ManifestService {
    /// The provenance of one record: its SKU's entry, else the `*` entry.
    pub fn provenance_of(&self, sku: &str) -> Option<&Provenance> {
        self.provenance
            .get(sku)
            .or_else(|| self.provenance.get("*"))
    }
}

/// A problem with a price snapshot.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PriceBookError {
    #[error(
        "the pricing manifest is not valid: {0}\nhint: restore manifest.json from the shipped snapshot or rerun the snapshot builder"
    )]
    Manifest(String),
    #[error(
        "pricing file `{0}` named in the manifest is missing\nhint: restore it, or remove its entry from manifest.json"
    )]
    MissingFile(String),
    #[error(
        "pricing file `{file}` does not match its manifest (sha256 {actual}, manifest says {expected})\nhint: the file was edited after the manifest was written; rerun the snapshot builder or restore the file"
    )]
    Checksum {
        file: String,
        expected: String,
        actual: String,
    },
    #[error(
        "pricing file `{file}` holds {actual} records, the manifest says {expected}\nhint: rerun the snapshot builder so the manifest matches"
    )]
    RecordCount {
        file: String,
        expected: usize,
        actual: usize,
    },
    #[error(
        "pricing file `{file}`, record {index}: {message}\nhint: each PriceList item needs product.sku, product.attributes.usagetype and terms.OnDemand price dimensions"
    )]
    Record {
        file: String,
        index: usize,
        message: String,
    },
}

/// All prices of one snapshot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceBook {
    pub snapshot: SnapshotInfo,
    pub sources: BTreeMap<String, String>,
    records: Vec<PriceRecord>,
    pub mediaconvert: Option<NormalizationTable>,
    /// CloudFront's flat-rate plans, when the snapshot has them.
    pub flat_rate_plans: Option<FlatRatePlans>,
    /// Services AWS does not offer in a Region.
    pub not_offered: Vec<NotOffered>,
    /// The records of each service code and usage type, in record order: every price lookup
    /// starts here (an estimate makes dozens, a what-if prices hundreds of estimates).
    #[serde(skip)]
    by_usage_type: FxHashMap<String, FxHashMap<String, Vec<usize>>>,
}

/// Hex sha256 of a file's text, as the manifest records it.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The files a manifest names, so a loader knows what to read. Names are plain file names:
/// a snapshot never reaches outside its directory.
pub fn snapshot_file_names(manifest: &str) -> Result<Vec<String>, PriceBookError> {
    let manifest = Manifest::parse(manifest)?;
    let names: Vec<String> = manifest
        .services
        .iter()
        .map(|s| s.file.clone())
        .chain(manifest.mediaconvert_normalization.map(|f| f.file))
        .chain(manifest.cloudfront_flat_rate_plans.map(|f| f.file))
        .collect();
    if let Some(bad) = names
        .iter()
        .find(|n| n.contains(['/', '\\']) || n.starts_with('.') || n.is_empty())
    {
        return Err(PriceBookError::Manifest(format!(
            "file name `{bad}` is not a plain file name in the snapshot directory"
        )));
    }
    Ok(names)
}

impl PriceBook {
    /// Reads a snapshot: `manifest` is the text of `manifest.json`, `files` maps each file name
    /// the manifest names to its text. Checks counts and checksums, and that every record has
    /// a provenance.
    pub fn from_snapshot(
        manifest: &str,
        files: &BTreeMap<String, String>,
        origin: &str,
    ) -> Result<PriceBook, PriceBookError> {
        let manifest = Manifest::parse(manifest)?;
        if manifest.schema != 1 {
            return Err(PriceBookError::Manifest(format!(
                "schema {} is not supported (this version reads schema 1)",
                manifest.schema
            )));
        }
        let mut records = Vec::new();
        for service in &manifest.services {
            let text = checked_file(files, &service.file, &service.sha256)?;
            let parsed = parse_price_list(&service.file, text, service)?;
            if parsed.len() != service.records {
                return Err(PriceBookError::RecordCount {
                    file: service.file.clone(),
                    expected: service.records,
                    actual: parsed.len(),
                });
            }
            records.extend(parsed);
        }
        let mediaconvert = match &manifest.mediaconvert_normalization {
            Some(f) => {
                let text = checked_file(files, &f.file, &f.sha256)?;
                Some(
                    NormalizationTable::parse(text)
                        .map_err(|e| PriceBookError::Manifest(format!("{}: {e}", f.file)))?,
                )
            }
            None => None,
        };
        let flat_rate_plans = match &manifest.cloudfront_flat_rate_plans {
            Some(f) => {
                let text = checked_file(files, &f.file, &f.sha256)?;
                Some(
                    serde_json::from_str(text)
                        .map_err(|e| PriceBookError::Manifest(format!("{}: {e}", f.file)))?,
                )
            }
            None => None,
        };
        let mut snapshot = manifest.snapshot;
        snapshot.origin = origin.to_string();
        let mut by_usage_type: FxHashMap<String, FxHashMap<String, Vec<usize>>> =
            FxHashMap::default();
        for (i, r) in records.iter().enumerate() {
            by_usage_type
                .entry(r.service_code.clone())
                .or_default()
                .entry(r.usage_type.to_string())
                .or_default()
                .push(i);
        }
        Ok(PriceBook {
            snapshot,
            sources: manifest.sources,
            by_usage_type,
            records,
            mediaconvert,
            flat_rate_plans,
            not_offered: manifest.not_offered,
        })
    }

    pub fn records(&self) -> &[PriceRecord] {
        &self.records
    }

    /// The record with this SKU (what a priced line names).
    pub fn by_sku(&self, sku: &str) -> Option<&PriceRecord> {
        self.records.iter().find(|r| &*r.sku == sku)
    }

    /// The record of `service_code` with exactly `usage_type`, in `region` when given.
    pub fn find(
        &self,
        service_code: &str,
        usage_type: &str,
        region: Option<&str>,
    ) -> Option<&PriceRecord> {
        self.with_usage_type(service_code, usage_type)
            .find(|r| region.is_none_or(|code| r.applies_in(code)))
    }

    /// The records of `service_code` with exactly `usage_type`, in record order.
    fn with_usage_type<'a>(
        &'a self,
        service_code: &str,
        usage_type: &str,
    ) -> impl Iterator<Item = &'a PriceRecord> {
        self.by_usage_type
            .get(service_code)
            .and_then(|types| types.get(usage_type))
            .into_iter()
            .flatten()
            .filter_map(|i| self.records.get(*i))
    }

    /// The record of `service_code` that prices `key` in `region` (`None`: a price that is
    /// not regional, like CloudFront's edge geographies): it applies in the Region by its
    /// attributes, its usage type is one of the names the key accepts there (AWS's prefix
    /// for the Region included, see [`UsageKey`]), and it has the attribute values the key
    /// asks for. The best-ranked name wins: the preferred name before an alias, and in
    /// us-east-1 the bare name of an older service before `USE1-`.
    pub fn find_usage(
        &self,
        service_code: &str,
        key: &UsageKey,
        region: Option<&str>,
    ) -> Option<&PriceRecord> {
        let region = key.region.or(region);
        let applies = |r: &PriceRecord| region.is_none_or(|code| r.applies_in(code));
        match key.prefixes_in(region) {
            // The names in rank order, each one's records in record order: the first that
            // has the key's attributes and applies in the Region is the best-ranked, first
            // record.
            Some(prefixes) => key.each_name(prefixes.as_slice(), |name| {
                self.with_usage_type(service_code, name)
                    .find(|r| key.attributes_match(r) && applies(r))
            }),
            None => self
                .records
                .iter()
                .filter(|r| r.service_code == service_code)
                .filter_map(|r| key.rank_among(r, None).map(|rank| (rank, r)))
                .filter(|(_, r)| applies(r))
                .min_by_key(|(rank, _)| *rank)
                .map(|(_, r)| r),
        }
    }

    /// Why a service has no price in a Region, when the snapshot says AWS does not offer it
    /// there.
    pub fn not_offered_in(&self, service_code: &str, region: &str) -> Option<&NotOffered> {
        not_offered_in(&self.not_offered, service_code, region)
    }

    /// A CloudFront flat-rate plan by id (`pro`, `premium-3`).
    pub fn flat_rate_plan(&self, id: &str) -> Option<&FlatRatePlan> {
        self.flat_rate_plans
            .as_ref()
            .and_then(|p| p.plans.iter().find(|plan| plan.id == id))
    }

    /// Text of a source id for reports (the id itself when the manifest does not list it).
    pub fn source_text<'a>(&'a self, id: &'a str) -> &'a str {
        self.sources.get(id).map_or(id, String::as_str)
    }
}

fn checked_file<'a>(
    files: &'a BTreeMap<String, String>,
    name: &str,
    expected: &str,
) -> Result<&'a str, PriceBookError> {
    let text = files
        .get(name)
        .ok_or_else(|| PriceBookError::MissingFile(name.to_string()))?;
    let actual = sha256_hex(text);
    if !actual.eq_ignore_ascii_case(expected) {
        return Err(PriceBookError::Checksum {
            file: name.to_string(),
            expected: expected.to_string(),
            actual,
        });
    }
    Ok(text)
}

fn parse_price_list(
    file: &str,
    text: &str,
    service: &ManifestService,
) -> Result<Vec<PriceRecord>, PriceBookError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| PriceBookError::Record {
        file: file.to_string(),
        index: 0,
        message: format!("not JSON: {e}"),
    })?;
    let items = doc
        .get("PriceList")
        .and_then(Value::as_array)
        .ok_or_else(|| PriceBookError::Record {
            file: file.to_string(),
            index: 0,
            message: "no `PriceList` array".into(),
        })?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let err = |message: String| PriceBookError::Record {
            file: file.to_string(),
            index: i + 1,
            message,
        };
        // The live API sends each item as a JSON document inside a string.
        let owned;
        let item = match item {
            Value::String(s) => {
                owned = serde_json::from_str::<Value>(s)
                    .map_err(|e| err(format!("item string is not JSON: {e}")))?;
                &owned
            }
            v => v,
        };
        let mut record = parse_record(item).map_err(err)?;
        if record.service_code != service.service_code {
            return Err(err(format!(
                "service code `{}` in a file of `{}`",
                record.service_code, service.service_code
            )));
        }
        record.provenance = service
            .provenance_of(&record.sku)
            .cloned()
            .map(Arc::new)
            .ok_or_else(|| {
                err(format!(
                    "no provenance for SKU {} in the manifest",
                    record.sku
                ))
            })?;
        if record.version.is_none() {
            record.version.clone_from(&service.version);
        }
        if record.publication_date.is_none() {
            record
                .publication_date
                .clone_from(&service.publication_date);
        }
        out.push(record);
    }
    Ok(out)
}

fn parse_record(item: &Value) -> Result<PriceRecord, String> {
    let product = item.get("product").ok_or("no `product`")?;
    let sku = str_at(product, "sku").ok_or("no `product.sku`")?;
    let attributes: BTreeMap<String, String> = product
        .get("attributes")
        .and_then(Value::as_object)
        .ok_or("no `product.attributes`")?
        .iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
        .collect();
    let usage_type = attributes
        .get("usagetype")
        .cloned()
        .ok_or("no `usagetype` attribute")?;
    let service_code = str_at(item, "serviceCode")
        .or_else(|| attributes.get("servicecode").cloned())
        .ok_or("no `serviceCode`")?;
    let on_demand = item
        .get("terms")
        .and_then(|t| t.get("OnDemand"))
        .and_then(Value::as_object)
        .ok_or("no `terms.OnDemand`")?;
    // One offer term per SKU is what GetProducts returns for on-demand prices.
    let term = on_demand.values().next().ok_or("empty `terms.OnDemand`")?;
    let dims = term
        .get("priceDimensions")
        .and_then(Value::as_object)
        .ok_or("no `priceDimensions`")?;
    let mut tiers = Vec::new();
    let mut unit: Option<String> = None;
    for dim in dims.values() {
        let dim_unit = str_at(dim, "unit").ok_or("a price dimension has no `unit`")?;
        if let Some(u) = &unit
            && *u != dim_unit
        {
            return Err(format!("price dimensions mix units `{u}` and `{dim_unit}`"));
        }
        unit = Some(dim_unit);
        let usd = dim
            .get("pricePerUnit")
            .and_then(|p| p.get("USD"))
            .and_then(Value::as_str)
            .ok_or("a price dimension has no `pricePerUnit.USD`")?;
        let usd_per_unit =
            Decimal::from_str(usd).map_err(|_| format!("price `{usd}` is not a decimal"))?;
        if usd_per_unit.is_sign_negative() {
            return Err(format!("price `{usd}` is negative"));
        }
        let begin = range_bound(dim, "beginRange")?.unwrap_or_default();
        let end = range_bound(dim, "endRange")?;
        tiers.push(PriceTier {
            begin,
            end,
            usd_per_unit,
            description: str_at(dim, "description").unwrap_or_default().into(),
        });
    }
    tiers.sort_by_key(|t| t.begin);
    check_contiguous(&tiers)?;
    Ok(PriceRecord {
        service_code,
        sku: sku.into(),
        product_family: str_at(product, "productFamily").unwrap_or_default(),
        usage_type: usage_type.into(),
        attributes,
        unit: unit.ok_or("no price dimensions")?.into(),
        tiers,
        provenance: Arc::new(Provenance::new(PriceStatus::Unverified, "")),
        version: str_at(item, "version"),
        publication_date: str_at(item, "publicationDate"),
    })
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn range_bound(dim: &Value, key: &str) -> Result<Option<Decimal>, String> {
    match dim.get(key).and_then(Value::as_str) {
        None | Some("Inf") => Ok(None),
        Some(s) => Decimal::from_str(s)
            .map(Some)
            .map_err(|_| format!("`{key}` `{s}` is not a number")),
    }
}

/// Tiers must start at zero and follow one another without gaps or overlaps, so that a tier
/// walk partitions the quantity.
fn check_contiguous(tiers: &[PriceTier]) -> Result<(), String> {
    let mut expected = Decimal::ZERO;
    for (i, t) in tiers.iter().enumerate() {
        if t.begin != expected {
            return Err(format!(
                "price tiers are not contiguous: a tier begins at {} where {} was expected",
                t.begin, expected
            ));
        }
        match t.end {
            Some(end) if end > t.begin => expected = end,
            Some(end) => return Err(format!("a price tier ends at {end} before it begins")),
            None if i + 1 == tiers.len() => {}
            None => return Err("an open-ended price tier is followed by another".into()),
        }
    }
    Ok(())
}

impl fmt::Display for PriceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a record applies: its `regionCode`, else its `location`, else (data transfer) the
/// Region it leaves.
fn record_location(r: &PriceRecord) -> String {
    ["regionCode", "location", "fromRegionCode", "fromLocation"]
        .iter()
        .find_map(|k| r.attributes.get(*k))
        .cloned()
        .unwrap_or_default()
}

/// A record named by what it prices, so that the same price matches across snapshots even
/// when its SKU changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordKey {
    pub service_code: String,
    pub usage_type: String,
    /// The `operation` attribute, which tells apart prices sharing a usage type (S3's
    /// `Requests-Tier4`); empty when the record has none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub operation: String,
    pub location: String,
    pub sku: String,
    pub unit: String,
}

impl RecordKey {
    fn of(r: &PriceRecord) -> RecordKey {
        RecordKey {
            service_code: r.service_code.clone(),
            usage_type: r.usage_type.to_string(),
            operation: r.attributes.get("operation").cloned().unwrap_or_default(),
            location: record_location(r),
            sku: r.sku.to_string(),
            unit: r.unit.to_string(),
        }
    }

    fn same_price(&self, other: &RecordKey) -> bool {
        self.service_code == other.service_code
            && self.usage_type == other.usage_type
            && self.operation == other.operation
            && self.location == other.location
    }
}

/// One tier's price before and after; `None` where the tier did not exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierChange {
    pub begin: Decimal,
    pub end: Option<Decimal>,
    pub old_usd: Option<Decimal>,
    pub new_usd: Option<Decimal>,
}

/// As the diff's JSON gives it: prices as the Price List writes them (`0.095`, not the
/// record's `0.0950000000`), and the change in percent the table and CSV show too.
impl Serialize for TierChange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let text = |v: Option<Decimal>| v.map(|d| d.normalize().to_string());
        let mut st = serializer.serialize_struct("TierChange", 5)?;
        st.serialize_field("begin", &self.begin.normalize().to_string())?;
        st.serialize_field("end", &text(self.end))?;
        st.serialize_field("old_usd", &text(self.old_usd))?;
        st.serialize_field("new_usd", &text(self.new_usd))?;
        st.serialize_field("percent", &text(self.percent().map(|p| p.round_dp(6))))?;
        st.end()
    }
}

impl TierChange {
    /// The change in percent of the old price, when both exist and the old is not zero.
    pub fn percent(&self) -> Option<Decimal> {
        match (self.old_usd, self.new_usd) {
            (Some(old), Some(new)) if !old.is_zero() => {
                Some((new - old) / old * Decimal::ONE_HUNDRED)
            }
            _ => None,
        }
    }
}

/// A price that exists in both snapshots with different tiers or rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Repricing {
    pub old: RecordKey,
    pub new: RecordKey,
    pub tiers: Vec<TierChange>,
}

/// What changed from one snapshot to another.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PriceDiff {
    pub added: Vec<RecordKey>,
    pub removed: Vec<RecordKey>,
    pub repriced: Vec<Repricing>,
    /// Prices present in both and unchanged.
    pub unchanged: usize,
    /// Records of the new snapshot that repeat another's price key (service, usage type,
    /// operation, location) after it: an estimate prices with the first, so the diff
    /// compares the first and names these apart, rather than pairing one with the other
    /// snapshot's record as if it were the price in use.
    pub shadowed: Vec<RecordKey>,
}

/// Compares two price books record by record (matched on service, usage type and location).
pub fn diff(old: &PriceBook, new: &PriceBook) -> PriceDiff {
    let mut out = PriceDiff::default();
    let old_keys = first_of_each_price(old, &mut Vec::new());
    let new_keys = first_of_each_price(new, &mut out.shadowed);
    for (key, record) in &new_keys {
        match old_keys.iter().find(|(k, _)| k.same_price(key)) {
            None => out.added.push(key.clone()),
            Some((old_key, old_record)) => {
                let tiers = tier_changes(old_record, record);
                if tiers.is_empty() && old_key.unit == key.unit {
                    out.unchanged += 1;
                } else {
                    out.repriced.push(Repricing {
                        old: old_key.clone(),
                        new: key.clone(),
                        tiers,
                    });
                }
            }
        }
    }
    for (key, _) in &old_keys {
        if !new_keys.iter().any(|(k, _)| k.same_price(key)) {
            out.removed.push(key.clone());
        }
    }
    out.added.sort();
    out.removed.sort();
    out.repriced.sort_by(|a, b| a.new.cmp(&b.new));
    out
}

/// The first record of each price key of `book`, in record order: the one `find_usage`
/// prices with. The others go to `shadowed`.
fn first_of_each_price<'a>(
    book: &'a PriceBook,
    shadowed: &mut Vec<RecordKey>,
) -> Vec<(RecordKey, &'a PriceRecord)> {
    let mut kept: Vec<(RecordKey, &PriceRecord)> = Vec::new();
    for r in &book.records {
        let key = RecordKey::of(r);
        if kept.iter().any(|(k, _)| k.same_price(&key)) {
            shadowed.push(key);
        } else {
            kept.push((key, r));
        }
    }
    kept
}

/// The tiers whose bounds or prices differ; empty when the records price alike.
fn tier_changes(old: &PriceRecord, new: &PriceRecord) -> Vec<TierChange> {
    let same =
        old.tiers.len() == new.tiers.len()
            && old.tiers.iter().zip(&new.tiers).all(|(a, b)| {
                a.begin == b.begin && a.end == b.end && a.usd_per_unit == b.usd_per_unit
            });
    if same {
        return Vec::new();
    }
    let mut bounds: Vec<(Decimal, Option<Decimal>)> = old
        .tiers
        .iter()
        .chain(&new.tiers)
        .map(|t| (t.begin, t.end))
        .collect();
    bounds.sort();
    bounds.dedup();
    bounds
        .into_iter()
        .map(|(begin, end)| {
            let find = |r: &PriceRecord| {
                r.tiers
                    .iter()
                    .find(|t| t.begin == begin && t.end == end)
                    .map(|t| t.usd_per_unit)
            };
            TierChange {
                begin,
                end,
                old_usd: find(old),
                new_usd: find(new),
            }
        })
        .filter(|t| t.old_usd != t.new_usd)
        .collect()
}
