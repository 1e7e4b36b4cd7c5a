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

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

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

/// Where one record's figures came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub status: PriceStatus,
    /// A source id from the manifest's `sources`, or a citation.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One price dimension of a record: a tier of the quantity with its price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PriceTier {
    pub begin: Decimal,
    /// `None` for the open-ended last tier (`"endRange": "Inf"`).
    pub end: Option<Decimal>,
    /// US dollars per one `unit`.
    pub usd_per_unit: Decimal,
    pub description: String,
}

/// One Price List product with its on-demand price dimensions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceRecord {
    pub service_code: String,
    pub sku: String,
    pub product_family: String,
    pub usage_type: String,
    pub attributes: BTreeMap<String, String>,
    /// The unit as the Price List writes it: `GB`, `GB-Mo`, `Requests`, `minutes`, …
    pub unit: String,
    /// Sorted by `begin`; contiguous from zero.
    pub tiers: Vec<PriceTier>,
    pub provenance: Provenance,
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
    /// Price List `location` name of the Region (older records have no `regionCode`).
    pub fn applies_in(&self, region: &str) -> bool {
        self.attributes.get("regionCode").map(String::as_str) == Some(region)
            || crate::region::location(region)
                .is_some_and(|l| self.attributes.get("location").map(String::as_str) == Some(l))
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
/// carries them as their own file with their provenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NormalizationTable {
    /// `SD`, `HD`, `UHD`, `8K` → factor.
    pub resolution: BTreeMap<String, Decimal>,
    /// Frame-rate bands as the Price List names them: `<=30`, `>30 and <=60`.
    pub frame_rate: BTreeMap<String, Decimal>,
    /// Tier (`basic`, `professional`) → codec (`avc`, …) → factor. A codec missing from a
    /// tier cannot be encoded in that tier.
    pub codec: BTreeMap<String, BTreeMap<String, Decimal>>,
    /// Passes (`1`, `2`) → factor.
    pub passes: BTreeMap<String, Decimal>,
    pub provenance: Provenance,
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
                    serde_json::from_str(text)
                        .map_err(|e| PriceBookError::Manifest(format!("{}: {e}", f.file)))?,
                )
            }
            None => None,
        };
        let mut snapshot = manifest.snapshot;
        snapshot.origin = origin.to_string();
        Ok(PriceBook {
            snapshot,
            sources: manifest.sources,
            records,
            mediaconvert,
        })
    }

    pub fn records(&self) -> &[PriceRecord] {
        &self.records
    }

    /// The record of `service_code` with exactly `usage_type`, in `region` when given.
    pub fn find(
        &self,
        service_code: &str,
        usage_type: &str,
        region: Option<&str>,
    ) -> Option<&PriceRecord> {
        self.records.iter().find(|r| {
            r.service_code == service_code
                && r.usage_type == usage_type
                && region.is_none_or(|code| r.applies_in(code))
        })
    }

    /// Like [`PriceBook::find`], but a usage type with a Region prefix (`USW2-…`, `USE1-…`)
    /// also matches when no record has the bare name: outside us-east-1, and for some
    /// services inside it, AWS prefixes usage types with the Region.
    pub fn find_usage(
        &self,
        service_code: &str,
        usage_type: &str,
        region: Option<&str>,
    ) -> Option<&PriceRecord> {
        self.find(service_code, usage_type, region).or_else(|| {
            self.records.iter().find(|r| {
                r.service_code == service_code
                    && usage_type_matches(&r.usage_type, usage_type)
                    && region.is_none_or(|code| r.applies_in(code))
            })
        })
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
        record.provenance = service.provenance_of(&record.sku).cloned().ok_or_else(|| {
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
            description: str_at(dim, "description").unwrap_or_default(),
        });
    }
    tiers.sort_by_key(|t| t.begin);
    check_contiguous(&tiers)?;
    Ok(PriceRecord {
        service_code,
        sku,
        product_family: str_at(product, "productFamily").unwrap_or_default(),
        usage_type,
        attributes,
        unit: unit.ok_or("no price dimensions")?,
        tiers,
        provenance: Provenance {
            status: PriceStatus::Unverified,
            source: String::new(),
            note: None,
        },
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

/// Where a record applies: its `regionCode`, else its `location`.
fn record_location(r: &PriceRecord) -> String {
    r.attributes
        .get("regionCode")
        .or_else(|| r.attributes.get("location"))
        .cloned()
        .unwrap_or_default()
}

/// A record named by what it prices, so that the same price matches across snapshots even
/// when its SKU changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordKey {
    pub service_code: String,
    pub usage_type: String,
    pub location: String,
    pub sku: String,
    pub unit: String,
}

impl RecordKey {
    fn of(r: &PriceRecord) -> RecordKey {
        RecordKey {
            service_code: r.service_code.clone(),
            usage_type: r.usage_type.clone(),
            location: record_location(r),
            sku: r.sku.clone(),
            unit: r.unit.clone(),
        }
    }

    fn same_price(&self, other: &RecordKey) -> bool {
        self.service_code == other.service_code
            && self.usage_type == other.usage_type
            && self.location == other.location
    }
}

/// One tier's price before and after; `None` where the tier did not exist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierChange {
    pub begin: Decimal,
    pub end: Option<Decimal>,
    pub old_usd: Option<Decimal>,
    pub new_usd: Option<Decimal>,
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
}

/// Compares two price books record by record (matched on service, usage type and location).
pub fn diff(old: &PriceBook, new: &PriceBook) -> PriceDiff {
    let mut out = PriceDiff::default();
    let old_keys: Vec<(RecordKey, &PriceRecord)> =
        old.records.iter().map(|r| (RecordKey::of(r), r)).collect();
    let new_keys: Vec<(RecordKey, &PriceRecord)> =
        new.records.iter().map(|r| (RecordKey::of(r), r)).collect();
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
