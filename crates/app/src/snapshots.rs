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
use ladderwise_model::PriceBook;
use ladderwise_model::engine::usage::{self, UsageType};
use ladderwise_model::pricebook::sha256_hex;
use serde_json::{Value, json};

use crate::{AppError, load_price_book, shipped_price_book, write_atomic};

/// The name that always means the snapshot compiled into the binary.
pub const SHIPPED: &str = "shipped";

/// The provenance source id of records pulled from the API.
pub const API_SOURCE: &str = "aws-pricing-api";

/// Services a refresh pulls by default. Elastic Transcoder is discontinued: its last records are
/// carried over from the snapshot the refresh starts from unless it is named explicitly.
pub const DEFAULT_SERVICES: [&str; 6] = [
    "AWSElementalMediaConvert",
    "AmazonS3",
    "AWSDataTransfer",
    "AmazonCloudFront",
    "AmazonRekognition",
    "AmazonComprehend",
];

/// Every service a snapshot holds.
pub const ALL_SERVICES: [&str; 7] = [
    "AWSElementalMediaConvert",
    "AmazonETS",
    "AmazonS3",
    "AWSDataTransfer",
    "AmazonCloudFront",
    "AmazonRekognition",
    "AmazonComprehend",
];

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
    manifest: Value,
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
        let manifest = serde_json::from_str(&manifest).map_err(|e| {
            AppError::Snapshot(format!("the manifest of {name_or_dir} is not JSON: {e}"))
        })?;
        Ok(SnapshotText { manifest, files })
    }

    /// The items of a service's file with their provenance entry, as JSON values.
    fn items(&self, service_code: &str) -> Vec<(Value, Value)> {
        let Some(service) = self.service(service_code) else {
            return Vec::new();
        };
        let provenance = service.get("provenance").cloned().unwrap_or(json!({}));
        let file = service.get("file").and_then(Value::as_str).unwrap_or("");
        let Some(text) = self.files.get(file) else {
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
                let p = provenance
                    .get(&sku)
                    .or_else(|| provenance.get("*"))
                    .cloned()
                    .unwrap_or(Value::Null);
                (item, p)
            })
            .collect()
    }

    fn service(&self, service_code: &str) -> Option<&Value> {
        self.manifest
            .get("services")?
            .as_array()?
            .iter()
            .find(|s| s.get("service_code").and_then(Value::as_str) == Some(service_code))
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
    Err(AppError::Snapshot(format!(
        "no price snapshot `{name}`\nhint: `ladderwise pricing list` shows the snapshots; `shipped` names the one built in"
    )))
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
        if !ALL_SERVICES.contains(&s.as_str()) {
            return Err(AppError::Snapshot(format!(
                "`{s}` is not a service Ladderwise prices\nhint: name some of {}",
                ALL_SERVICES.join(", ")
            )));
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
    for code in ALL_SERVICES {
        let wanted = wanted(code);
        let mut items: Vec<Value> = Vec::new();
        let mut provenance = serde_json::Map::new();
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
                            return Err(AppError::Snapshot(format!(
                                "record {} of {code} from the Price List API is not JSON\nhint: the snapshot was not changed; run the refresh again later",
                                i + 1
                            )));
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
                    if items.iter().any(|x| item_sku(x) == Some(sku.as_str())) {
                        continue;
                    }
                    version = version.or_else(|| item.get("version").cloned());
                    published = published.or_else(|| item.get("publicationDate").cloned());
                    provenance.insert(sku, json!({"status": "price-list", "source": API_SOURCE}));
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
            if keep_from_base(usage_type) && !provenance.contains_key(&sku) {
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
        services.push(json!({
            "service_code": code,
            "file": file,
            "records": items.len(),
            "sha256": sha256_hex(&text),
            "version": version,
            "publication_date": published,
            "provenance": provenance,
        }));
        files.insert(file, text);
    }
    // MediaConvert's normalization factors are not in the Price List: kept from the base.
    let normalization = base
        .manifest
        .get("mediaconvert_normalization")
        .and_then(|n| n.get("file"))
        .and_then(Value::as_str)
        .and_then(|f| base.files.get(f).map(|t| (f.to_string(), t.clone())));
    let mut sources = base.manifest.get("sources").cloned().unwrap_or(json!({}));
    if let Some(map) = sources.as_object_mut() {
        map.insert(
            API_SOURCE.into(),
            Value::String(format!(
                "AWS Price List Query API (GetProducts, {} records for {}), pulled {}",
                pulled.iter().map(|p| p.1).sum::<usize>(),
                req.region,
                req.created
            )),
        );
    }
    let mut manifest = json!({
        "schema": 1,
        "snapshot": {
            "id": req.id,
            "created": req.created,
            "description": format!(
                "Pulled from the AWS Price List for {} ({}); {}",
                req.region,
                req.services.join(", "),
                if carried.is_empty() { "nothing carried over".to_string() } else { format!("carried over: {}", carried.join(", ")) }
            ),
        },
        "sources": sources,
        "services": services,
    });
    if let Some((file, text)) = normalization {
        manifest["mediaconvert_normalization"] = json!({"file": file, "sha256": sha256_hex(&text)});
        files.insert(file, text);
    }
    let manifest = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    Ok((files, manifest, pulled, carried))
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
        return Err(AppError::Snapshot(format!(
            "the pulled prices lack {} price(s) the model needs: {}\nhint: the snapshot was not changed; AWS may have renamed these usage types",
            names.len(),
            names.join(", ")
        )));
    }
    let dir = snapshots_dir();
    let werr = |path: &Path| {
        let path = path.to_path_buf();
        move |source| AppError::Write { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(werr(&dir))?;
    let target = dir.join(&req.id);
    if target.exists() {
        return Err(AppError::Snapshot(format!(
            "a snapshot `{}` exists already\nhint: wait a second and refresh again",
            req.id
        )));
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
