//! Price snapshots on the user's machine: where they live, which one is current, and how a
//! refresh from the AWS Price List becomes a new one without ever touching the last good one.
//!
//! Layout, under `$XDG_DATA_HOME/ladderwise` (or `~/.local/share/ladderwise`):
//!
//! ```text
//! snapshots/<id>/manifest.json, <ServiceCode>.json, mediaconvert-normalization.json
//! snapshots/current      the id in use (absent: the newest valid snapshot; else the shipped one)
//! ```
//!
//! A refresh writes into `snapshots/.tmp-<id>/`, flushes every file to disk, loads and checks
//! the result as any snapshot is loaded, and only then renames it into place and points
//! `current` at it. A refresh that fails at any step removes its temporary directory and leaves
//! everything else as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ladderwise_aws::{Connection, Progress, Query, QueryResult};
use ladderwise_model::engine::usage::{self, UsageType};
use ladderwise_model::pricebook::{
    Manifest, ManifestFile, ManifestService, PriceStatus, Provenance, SnapshotInfo, sha256_hex,
};
use ladderwise_model::{PriceBook, Service};
use serde_json::{Value, json};

use crate::{AppError, load_price_book, shipped_price_book, write_atomic};

/// The name that always means the snapshot compiled into the binary.
pub const SHIPPED: &str = "shipped";

/// The provenance source id of records pulled from the API.
pub const API_SOURCE: &str = "aws-pricing-api";

/// Services a refresh pulls by default: every one but the discontinued Elastic Transcoder,
/// whose last records are carried over from the snapshot the refresh starts from unless it is
/// named explicitly.
pub fn default_services() -> Vec<&'static str> {
    Service::ALL
        .into_iter()
        .filter(|s| !s.discontinued())
        .map(Service::code)
        .collect()
}

/// Every service a snapshot holds.
pub fn all_services() -> Vec<&'static str> {
    Service::ALL.into_iter().map(Service::code).collect()
}

/// Ladderwise's data directory.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("ladderwise"),
        None => {
            let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
            home.join(".local/share/ladderwise")
        }
    }
}

pub fn snapshots_dir() -> PathBuf {
    data_dir().join("snapshots")
}

/// The queries that fetch what the engine prices from one service, in `region`: server-side
/// filters narrow each service to the Region and the product families the model uses.
pub fn queries(service_code: &str, region: &str) -> Vec<Query> {
    let location = ladderwise_model::region::location(region).unwrap_or(region);
    let q = |filters: &[(&str, &str)]| Query {
        service_code: service_code.to_string(),
        filters: filters
            .iter()
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect(),
    };
    match service_code {
        "AmazonS3" => ["Storage", "API Request", "Fee"]
            .iter()
            .map(|family| q(&[("regionCode", region), ("productFamily", family)]))
            .collect(),
        "AWSDataTransfer" => vec![q(&[
            ("regionCode", region),
            ("transferType", "AWS Outbound"),
        ])],
        // CloudFront is priced by edge geography, not by Region.
        "AmazonCloudFront" => vec![
            q(&[("productFamily", "Data Transfer")]),
            q(&[("productFamily", "Request")]),
        ],
        // Elastic Transcoder's records predate `regionCode`.
        "AmazonETS" => vec![q(&[("location", location)])],
        _ => vec![q(&[("regionCode", region)])],
    }
}

/// The usage types of a service the engine looks up.
fn wanted(service_code: &str) -> Vec<UsageType> {
    usage::all()
        .into_iter()
        .filter(|u| u.service.code() == service_code)
        .collect()
}

/// The usage type of a raw Price List item, if it parses.
fn item_usage_type(item: &Value) -> Option<&str> {
    item.get("product")?
        .get("attributes")?
        .get("usagetype")?
        .as_str()
}

fn item_sku(item: &Value) -> Option<&str> {
    item.get("product")?.get("sku")?.as_str()
}

/// The raw text of a snapshot: the manifest and each file, from the shipped binary or a
/// directory.
struct SnapshotText {
    manifest: Manifest,
    files: BTreeMap<String, String>,
}

impl SnapshotText {
    fn load(name_or_dir: &str) -> Result<SnapshotText, AppError> {
        let (manifest, files) = if name_or_dir == SHIPPED {
            crate::shipped_snapshot_text()
        } else {
            let dir = resolve_dir(name_or_dir)?;
            let read = |p: PathBuf| {
                std::fs::read_to_string(&p).map_err(|source| AppError::Read { path: p, source })
            };
            let manifest = read(dir.join("manifest.json"))?;
            let names =
                ladderwise_model::pricebook::snapshot_file_names(&manifest).map_err(|source| {
                    AppError::Pricing {
                        origin: dir.display().to_string(),
                        source,
                    }
                })?;
            let mut files = BTreeMap::new();
            for n in names {
                files.insert(n.clone(), read(dir.join(&n))?);
            }
            (manifest, files)
        };
        let manifest = Manifest::parse(&manifest).map_err(|e| AppError::SnapshotManifest {
            name: name_or_dir.to_string(),
            message: e.to_string(),
        })?;
        Ok(SnapshotText { manifest, files })
    }

    /// The items of a service's file with their provenance, as JSON values.
    fn items(&self, service_code: &str) -> Vec<(Value, Option<Provenance>)> {
        let Some(service) = self.manifest.service(service_code) else {
            return Vec::new();
        };
        let Some(text) = self.files.get(&service.file) else {
            return Vec::new();
        };
        let Ok(doc) = serde_json::from_str::<Value>(text) else {
            return Vec::new();
        };
        doc.get("PriceList")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|item| match item {
                Value::String(s) => serde_json::from_str(s).ok(),
                v => Some(v.clone()),
            })
            .map(|item: Value| {
                let sku = item_sku(&item).unwrap_or_default().to_string();
                let p = service.provenance_of(&sku).cloned();
                (item, p)
            })
            .collect()
    }
}

/// A snapshot directory by id, or a path given as is.
fn resolve_dir(name: &str) -> Result<PathBuf, AppError> {
    let by_id = snapshots_dir().join(name);
    if by_id.join("manifest.json").exists() {
        return Ok(by_id);
    }
    let path = PathBuf::from(name);
    if path.join("manifest.json").exists() {
        return Ok(path);
    }
    Err(AppError::UnknownSnapshot(name.to_string()))
}

/// A price book by name: `shipped`, a snapshot id, or a snapshot directory.
pub fn resolve(name: &str) -> Result<PriceBook, AppError> {
    if name == SHIPPED {
        return shipped_price_book();
    }
    load_price_book(&resolve_dir(name)?)
}

/// One snapshot as `pricing list` shows it.
#[derive(Clone, Debug)]
pub struct SnapshotEntry {
    pub id: String,
    pub created: String,
    pub path: Option<PathBuf>,
    pub records: usize,
    /// Why the snapshot cannot be used, when it cannot.
    pub problem: Option<String>,
    pub current: bool,
}

fn user_snapshot_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(snapshots_dir())
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            (e.file_type().ok()?.is_dir() && !name.starts_with('.')).then_some(name)
        })
        .collect();
    ids.sort();
    ids
}

fn current_pointer() -> Option<String> {
    std::fs::read_to_string(snapshots_dir().join("current"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The snapshot in use: the one `current` names when it loads; else the newest user snapshot
/// that loads; else the shipped one. Returns the book and the id chosen.
pub fn current_book() -> Result<PriceBook, AppError> {
    if let Some(id) = current_pointer() {
        if id == SHIPPED {
            return shipped_price_book();
        }
        if let Ok(book) = resolve(&id) {
            return Ok(book);
        }
    }
    for id in user_snapshot_ids().iter().rev() {
        if let Ok(book) = resolve(id) {
            return Ok(book);
        }
    }
    shipped_price_book()
}

/// Every snapshot: the shipped one, then the user's, oldest first.
pub fn list() -> Result<Vec<SnapshotEntry>, AppError> {
    let in_use = current_book()?.snapshot.id;
    let shipped = shipped_price_book()?;
    let mut out = vec![SnapshotEntry {
        id: SHIPPED.into(),
        created: shipped.snapshot.created.clone(),
        path: None,
        records: shipped.records().len(),
        problem: None,
        current: in_use == shipped.snapshot.id,
    }];
    for id in user_snapshot_ids() {
        let path = snapshots_dir().join(&id);
        match resolve(&id) {
            Ok(book) => out.push(SnapshotEntry {
                current: book.snapshot.id == in_use,
                id,
                created: book.snapshot.created.clone(),
                path: Some(path),
                records: book.records().len(),
                problem: None,
            }),
            Err(e) => out.push(SnapshotEntry {
                id,
                created: String::new(),
                path: Some(path),
                records: 0,
                problem: Some(e.to_string().lines().next().unwrap_or("").to_string()),
                current: false,
            }),
        }
    }
    Ok(out)
}

/// Makes `id` the snapshot in use, after checking it loads.
pub fn use_snapshot(id: &str) -> Result<PriceBook, AppError> {
    let book = resolve(id)?;
    std::fs::create_dir_all(snapshots_dir()).map_err(|source| AppError::Write {
        path: snapshots_dir(),
        source,
    })?;
    write_atomic(
        &snapshots_dir().join("current"),
        format!("{id}\n").as_bytes(),
    )?;
    Ok(book)
}

/// What a refresh asks for.
#[derive(Clone, Debug)]
pub struct RefreshRequest {
    pub connection: Connection,
    /// The Region whose prices are pulled.
    pub region: String,
    pub services: Vec<String>,
    /// The new snapshot's id and creation time (the caller reads the clock).
    pub id: String,
    pub created: String,
}

/// What a refresh did.
#[derive(Clone, Debug)]
pub struct Refreshed {
    pub id: String,
    pub path: PathBuf,
    /// `(service, records kept, pages read)` per pulled service.
    pub pulled: Vec<(String, usize, usize)>,
    /// Services whose records were carried over from the previous snapshot.
    pub carried: Vec<String>,
    pub previous: String,
}

/// Pulls today's prices into a new snapshot and makes it current. See the module comment for
/// how a failure leaves the previous snapshot in place.
pub async fn refresh(
    req: &RefreshRequest,
    mut progress: impl FnMut(Progress),
) -> Result<Refreshed, AppError> {
    for s in &req.services {
        if !all_services().contains(&s.as_str()) {
            return Err(AppError::UnknownService {
                name: s.clone(),
                known: all_services().iter().map(|s| s.to_string()).collect(),
            });
        }
    }
    let previous = current_book()?;
    let base_name = if previous.snapshot.origin == SHIPPED {
        SHIPPED.to_string()
    } else {
        previous.snapshot.origin.clone()
    };
    let base = SnapshotText::load(&base_name)?;

    let queries: Vec<Query> = req
        .services
        .iter()
        .flat_map(|s| queries(s, &req.region))
        .collect();
    let attempts = req.connection.max_attempts;
    let client = ladderwise_aws::connect(&req.connection).await?;
    ladderwise_aws::check_services(&client, &queries, &mut progress, attempts).await?;
    let results = ladderwise_aws::pull(&client, &queries, &mut progress, attempts).await?;

    let (files, manifest, pulled, carried) = assemble(req, &base, &results)?;
    let path = install(req, &files, &manifest)?;
    Ok(Refreshed {
        id: req.id.clone(),
        path,
        pulled,
        carried,
        previous: previous.snapshot.id,
    })
}

type Assembled = (
    BTreeMap<String, String>,
    String,
    Vec<(String, usize, usize)>,
    Vec<String>,
);

/// Builds the new snapshot's files and manifest from the pulled items, keeping from `base` what
/// the Price List does not publish (free allowances, reserved slots) and the services not
/// pulled.
fn assemble(
    req: &RefreshRequest,
    base: &SnapshotText,
    results: &[QueryResult],
) -> Result<Assembled, AppError> {
    let mut files = BTreeMap::new();
    let mut services = Vec::new();
    let mut pulled = Vec::new();
    let mut carried = Vec::new();
    for code in all_services() {
        let wanted = wanted(code);
        let mut items: Vec<Value> = Vec::new();
        let mut provenance: BTreeMap<String, Provenance> = BTreeMap::new();
        let mut version = None;
        let mut published = None;
        let was_pulled = req.services.iter().any(|s| s == code);
        if was_pulled {
            let mut pages = 0;
            for r in results.iter().filter(|r| r.query.service_code == code) {
                pages += r.pages;
                for (i, text) in r.items.iter().enumerate() {
                    // A record that is not JSON is kept, so that loading the snapshot reports
                    // it; the refresh then fails and nothing is installed.
                    let item: Value = match serde_json::from_str(text) {
                        Ok(v) => v,
                        Err(_) => {
                            return Err(AppError::ApiRecord {
                                service: code.to_string(),
                                index: i + 1,
                            });
                        }
                    };
                    let Some(usage_type) = item_usage_type(&item) else {
                        continue;
                    };
                    if !wanted
                        .iter()
                        .any(|u| usage::matches(usage_type, &u.usage_type))
                    {
                        continue;
                    }
                    let sku = item_sku(&item).unwrap_or_default().to_string();
                    if provenance.contains_key(&sku) {
                        continue;
                    }
                    version = version.or_else(|| item_text(&item, "version"));
                    published = published.or_else(|| item_text(&item, "publicationDate"));
                    provenance.insert(
                        sku,
                        Provenance {
                            status: PriceStatus::PriceList,
                            source: API_SOURCE.into(),
                            note: None,
                        },
                    );
                    items.push(item);
                }
            }
            pulled.push((code.to_string(), items.len(), pages));
        }
        // From the base: everything of a service not pulled; of a pulled one, what the Price
        // List does not publish.
        let keep_from_base = |usage_type: &str| {
            !was_pulled
                || wanted
                    .iter()
                    .any(|u| !u.in_price_list && usage::matches(usage_type, &u.usage_type))
        };
        let mut carried_any = false;
        for (item, p) in base.items(code) {
            let Some(usage_type) = item_usage_type(&item) else {
                continue;
            };
            let sku = item_sku(&item).unwrap_or_default().to_string();
            if keep_from_base(usage_type)
                && !provenance.contains_key(&sku)
                && let Some(p) = p
            {
                provenance.insert(sku, p);
                items.push(item);
                carried_any = true;
            }
        }
        if !was_pulled && carried_any {
            carried.push(code.to_string());
        }
        if items.is_empty() {
            continue;
        }
        let file = format!("{code}.json");
        // Items are stored as the API sends them: JSON documents inside strings.
        let list: Vec<Value> = items.iter().map(|i| Value::String(i.to_string())).collect();
        let text = serde_json::to_string_pretty(&json!({
            "FormatVersion": "aws_v1",
            "ServiceCode": code,
            "PriceList": list,
        }))
        .unwrap_or_default()
            + "\n";
        services.push(ManifestService {
            service_code: code.to_string(),
            file: file.clone(),
            records: items.len(),
            sha256: sha256_hex(&text),
            version,
            publication_date: published,
            provenance,
        });
        files.insert(file, text);
    }
    // MediaConvert's normalization factors are not in the Price List: kept from the base.
    let normalization = base
        .manifest
        .mediaconvert_normalization
        .as_ref()
        .and_then(|n| base.files.get(&n.file).map(|t| (n.file.clone(), t.clone())));
    let mut sources = base.manifest.sources.clone();
    sources.insert(
        API_SOURCE.into(),
        format!(
            "AWS Price List Query API (GetProducts, {} records for {}), pulled {}",
            pulled.iter().map(|p| p.1).sum::<usize>(),
            req.region,
            req.created
        ),
    );
    let mut manifest = Manifest {
        schema: 1,
        snapshot: SnapshotInfo {
            id: req.id.clone(),
            created: req.created.clone(),
            description: format!(
                "Pulled from the AWS Price List for {} ({}); {}",
                req.region,
                req.services.join(", "),
                if carried.is_empty() {
                    "nothing carried over".to_string()
                } else {
                    format!("carried over: {}", carried.join(", "))
                }
            ),
            origin: String::new(),
        },
        sources,
        services,
        mediaconvert_normalization: None,
    };
    if let Some((file, text)) = normalization {
        manifest.mediaconvert_normalization = Some(ManifestFile {
            file: file.clone(),
            sha256: sha256_hex(&text),
        });
        files.insert(file, text);
    }
    Ok((files, manifest.to_text(), pulled, carried))
}

/// A string attribute of a raw item (`version`, `publicationDate`).
fn item_text(item: &Value, key: &str) -> Option<String> {
    item.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Validates the snapshot as it would be loaded, then writes it beside the others and makes it
/// current. Nothing is renamed into place before every file is on disk and the whole loads.
fn install(
    req: &RefreshRequest,
    files: &BTreeMap<String, String>,
    manifest: &str,
) -> Result<PathBuf, AppError> {
    let book =
        PriceBook::from_snapshot(manifest, files, &req.id).map_err(|source| AppError::Pricing {
            origin: format!("pulled snapshot {}", req.id),
            source,
        })?;
    let missing = usage::missing(&book, &req.region);
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|u| format!("{} {}", u.service.code(), u.usage_type))
            .collect();
        return Err(AppError::MissingPrices(names));
    }
    let dir = snapshots_dir();
    let werr = |path: &Path| {
        let path = path.to_path_buf();
        move |source| AppError::Write { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(werr(&dir))?;
    let target = dir.join(&req.id);
    if target.exists() {
        return Err(AppError::SnapshotExists(req.id.clone()));
    }
    let tmp = dir.join(format!(".tmp-{}", req.id));
    let result = (|| {
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(werr(&tmp))?;
        for (name, text) in files {
            write_atomic(&tmp.join(name), text.as_bytes())?;
        }
        write_atomic(&tmp.join("manifest.json"), manifest.as_bytes())?;
        // Read back what is on disk, as any later run will.
        load_price_book(&tmp)?;
        std::fs::rename(&tmp, &target).map_err(werr(&target))?;
        Ok::<(), AppError>(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    write_atomic(&dir.join("current"), format!("{}\n", req.id).as_bytes())?;
    Ok(target)
}

/// One scenario priced under two snapshots.
#[derive(Clone, Debug)]
pub struct Repriced {
    pub file: String,
    pub scenario: String,
    pub comparison: crate::compare::Comparison,
    pub old_complete: bool,
    pub new_complete: bool,
}

/// What changed between two snapshots, and what it does to scenarios' monthly totals.
#[derive(Clone, Debug)]
pub struct PriceDiffReport {
    pub old: SnapshotInfo,
    pub new: SnapshotInfo,
    pub changes: ladderwise_model::pricebook::PriceDiff,
    pub scenarios: Vec<Repriced>,
}

/// Compares two snapshots (`shipped`, ids or directories) record by record, and prices each
/// scenario file under both.
pub fn diff(old: &str, new: &str, scenarios: &[PathBuf]) -> Result<PriceDiffReport, AppError> {
    let (old_book, new_book) = (resolve(old)?, resolve(new)?);
    let changes = ladderwise_model::pricebook::diff(&old_book, &new_book);
    let mut repriced = Vec::new();
    for path in scenarios {
        let s = crate::load_scenario(path)?;
        let a = ladderwise_model::estimate(&s, &old_book);
        let b = ladderwise_model::estimate(&s, &new_book);
        repriced.push(Repriced {
            file: path.display().to_string(),
            scenario: s.name.clone(),
            comparison: crate::compare::compare(&a, &b),
            old_complete: a.complete,
            new_complete: b.complete,
        });
    }
    Ok(PriceDiffReport {
        old: old_book.snapshot,
        new: new_book.snapshot,
        changes,
        scenarios: repriced,
    })
}
