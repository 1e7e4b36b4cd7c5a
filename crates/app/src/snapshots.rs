//! Price snapshots on the user's machine: where they live, which one is current, and how a
//! refresh from the AWS Price List becomes a new one without ever touching the last good one.
//!
//! Layout, under `$XDG_DATA_HOME/ladderwise` (or `~/.local/share/ladderwise`):
//!
//! ```text
//! snapshots/<id>/manifest.json, <ServiceCode>.json, mediaconvert-normalization.json
//! snapshots/current      the id in use (absent: the newest snapshot, loading or not; else the shipped one)
//! ```
//!
//! A refresh writes into `snapshots/.tmp-<id>/`, flushes every file to disk, loads and checks
//! the result as any snapshot is loaded, and only then renames it into place and points
//! `current` at it. A refresh that fails at any step removes its temporary directory and leaves
//! everything else as it was. A price the Price List lacks is carried over from the snapshot
//! the refresh starts from and marked so (`--strict`: the refresh fails instead).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ladderwise_aws::{Connection, Progress, Query, QueryResult};
use ladderwise_model::engine::usage::{self, UsageKey, UsageType};
use ladderwise_model::pricebook::{
    Manifest, ManifestFile, ManifestService, PriceRecord, PriceStatus, Provenance, SnapshotInfo,
    sha256_hex,
};
use ladderwise_model::{PriceBook, Scenario, Service};
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

/// The queries that fetch what the engine prices from one service, in `region`. Server-side
/// filters narrow each service to the Region, by the attribute its records carry; no filter
/// requires a `productFamily` where AWS often leaves it out (S3: usage-types.md §0 rule 3).
/// The records the engine prices are then chosen by usage type and attributes
/// ([`usage::UsageKey`]).
pub fn queries(service_code: &str, region: &str) -> Vec<Query> {
    // A service whose every price is billed in one Region whatever the pipeline's (AWS WAF
    // in front of CloudFront, in us-east-1) is asked for in that Region.
    let pinned: Vec<Option<&str>> = wanted(service_code).iter().map(|u| u.key.region).collect();
    let region = match pinned.first() {
        Some(Some(r)) if pinned.iter().all(|p| *p == Some(*r)) => *r,
        _ => region,
    };
    let location = ladderwise_model::region::location(region).unwrap_or(region);
    let q = |filters: &[(&str, &str)]| Query {
        service_code: service_code.to_string(),
        filters: filters
            .iter()
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect(),
    };
    match service_code {
        // Data transfer records name the Region the bytes leave (usage-types.md §6).
        "AWSDataTransfer" => vec![q(&[
            ("fromLocation", location),
            ("transferType", "AWS Outbound"),
        ])],
        // Edge geographies are not Regions; Origin Shield's records are (by `location`), and
        // are chosen from the Request family afterwards.
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

    /// The items of a service's file that parse as records and have a provenance.
    fn records(&self, service_code: &str) -> Vec<(Value, PriceRecord, Provenance)> {
        self.items(service_code)
            .into_iter()
            .filter_map(|(item, p)| {
                let record = PriceRecord::from_item(&item).ok()?;
                Some((item, record, p?))
            })
            .collect()
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

/// Where a snapshot a person names is.
#[derive(Clone, Debug, PartialEq)]
enum Location {
    Shipped,
    /// A snapshot of the store, by its directory's name.
    Store(String),
    /// A snapshot directory outside the store.
    Dir(PathBuf),
}

/// The snapshot `name` names: `shipped`, a store snapshot's directory, a snapshot directory,
/// or else an id a manifest gives, as every priced output prints it (`Prices: snapshot
/// shipped-2026-11-30`) and `pricing list` shows a directory outside the store. An id two
/// snapshots share is refused: a copy of the shipped snapshot that kept its id, edited, would
/// otherwise price in its place.
fn locate(name: &str) -> Result<Location, AppError> {
    if name == SHIPPED {
        return Ok(Location::Shipped);
    }
    if snapshots_dir().join(name).join("manifest.json").exists() {
        return Ok(Location::Store(name.to_string()));
    }
    let path = PathBuf::from(name);
    if path.join("manifest.json").exists() {
        return Ok(Location::Dir(path));
    }
    let id_of = |dir: &Path| manifest_id(dir).is_some_and(|id| id == name);
    let mut found: Vec<Location> = Vec::new();
    // `current` names a directory outside the store by its absolute path.
    if let Some(pointer) = current_pointer()
        && Path::new(&pointer).is_absolute()
        && id_of(Path::new(&pointer))
    {
        found.push(Location::Dir(PathBuf::from(pointer)));
    }
    if shipped_price_book().is_ok_and(|b| b.snapshot.id == name) {
        found.push(Location::Shipped);
    }
    found.extend(
        user_snapshot_ids()
            .into_iter()
            .filter(|id| id_of(&snapshots_dir().join(id)))
            .map(Location::Store),
    );
    match found.len() {
        0 => Err(AppError::UnknownSnapshot(name.to_string())),
        1 => Ok(found.remove(0)),
        _ => Err(AppError::AmbiguousSnapshot {
            id: name.to_string(),
            places: found
                .iter()
                .map(|l| match l {
                    Location::Shipped => "the shipped one (`shipped`)".to_string(),
                    Location::Store(dir) => format!("the store's `{dir}`"),
                    Location::Dir(path) => format!("`{}`", path.display()),
                })
                .collect(),
        }),
    }
}

/// The id a snapshot directory's manifest gives, without loading its prices.
fn manifest_id(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).ok()?;
    Some(Manifest::parse(&text).ok()?.snapshot.id)
}

/// A snapshot directory by id, or a path given as is.
fn resolve_dir(name: &str) -> Result<PathBuf, AppError> {
    match locate(name)? {
        Location::Store(id) => Ok(snapshots_dir().join(id)),
        Location::Dir(path) => Ok(path),
        Location::Shipped => Err(AppError::UnknownSnapshot(name.to_string())),
    }
}

/// A price book by name: `shipped`, a snapshot id, or a snapshot directory.
pub fn resolve(name: &str) -> Result<PriceBook, AppError> {
    match locate(name)? {
        Location::Shipped => shipped_price_book(),
        Location::Store(id) => load_price_book(&snapshots_dir().join(id)),
        Location::Dir(path) => load_price_book(&path),
    }
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

/// The id of the snapshot in use, whether or not it loads: the one `current` names, else the
/// newest user snapshot, else the shipped one.
fn in_use_id() -> String {
    current_pointer()
        .or_else(|| user_snapshot_ids().pop())
        .unwrap_or_else(|| SHIPPED.to_string())
}

/// The snapshot in use: the one `current` names; with none named, the newest user snapshot;
/// with none, the shipped one. One that does not load is an error naming it and its file,
/// never a quiet switch to other prices.
pub fn current_book() -> Result<PriceBook, AppError> {
    let id = in_use_id();
    if id == SHIPPED {
        return shipped_price_book();
    }
    resolve(&id).map_err(|e| match e {
        AppError::UnknownSnapshot(_) => AppError::CurrentSnapshot {
            cause: format!(
                "there is no {}",
                snapshots_dir().join(&id).join("manifest.json").display()
            ),
            id,
        },
        e => AppError::CurrentSnapshot {
            cause: e.to_string().lines().next().unwrap_or_default().to_string(),
            id,
        },
    })
}

/// Every snapshot: the shipped one, then the user's, oldest first.
pub fn list() -> Result<Vec<SnapshotEntry>, AppError> {
    // The snapshot in use is the one `current` names (a store id, `shipped` or a directory),
    // not whichever has the same id in its manifest: a copy of a snapshot keeps its id.
    let pointer = in_use_id();
    let shipped = shipped_price_book()?;
    let mut out = vec![SnapshotEntry {
        id: SHIPPED.into(),
        created: shipped.snapshot.created.clone(),
        path: None,
        records: shipped.records().len(),
        problem: None,
        current: pointer == SHIPPED || pointer == shipped.snapshot.id,
    }];
    for id in user_snapshot_ids() {
        let path = snapshots_dir().join(&id);
        let current = id == pointer;
        out.push(entry(id.clone(), path, resolve(&id), current));
    }
    // `pricing use DIR` names a directory outside the store: listed last, as in use, with
    // its problem when it does not load.
    if !out.iter().any(|e| e.current) {
        let path = resolve_dir(&pointer).unwrap_or_else(|_| PathBuf::from(&pointer));
        let loaded = resolve(&pointer);
        let name = loaded.as_ref().map_or(pointer, |b| b.snapshot.id.clone());
        out.push(entry(name, path, loaded, true));
    }
    Ok(out)
}

/// A snapshot as the list shows it, named `name`, loaded or with why it does not load.
fn entry(
    name: String,
    path: PathBuf,
    loaded: Result<PriceBook, AppError>,
    current: bool,
) -> SnapshotEntry {
    match loaded {
        Ok(book) => SnapshotEntry {
            current,
            id: name,
            created: book.snapshot.created.clone(),
            path: Some(path),
            records: book.records().len(),
            problem: None,
        },
        Err(e) => SnapshotEntry {
            current,
            id: name,
            created: String::new(),
            path: Some(path),
            records: 0,
            problem: Some(e.to_string().lines().next().unwrap_or("").to_string()),
        },
    }
}

/// The lock every writer of `current` holds (the CLI's `pricing use` and `refresh`, the app).
const CURRENT_LOCK: &str = ".current.lock";

/// Makes `id` the snapshot in use, after checking it loads.
pub fn use_snapshot(id: &str) -> Result<PriceBook, AppError> {
    let book = resolve(id)?;
    // A directory named by a path is kept as an absolute path: a relative one would name
    // another directory, or none, from wherever the next command runs.
    let stored = match locate(id)? {
        Location::Shipped => SHIPPED.to_string(),
        Location::Store(id) => id,
        Location::Dir(dir) => std::fs::canonicalize(&dir)
            .map_err(|source| AppError::Read {
                path: dir.clone(),
                source,
            })?
            .to_string_lossy()
            .into_owned(),
    };
    let id = stored.as_str();
    std::fs::create_dir_all(snapshots_dir()).map_err(|source| AppError::Write {
        path: snapshots_dir(),
        source,
    })?;
    let _held = crate::lock_for_write(&snapshots_dir().join(CURRENT_LOCK))?;
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
    /// Fail, rather than carry a price over, when the Price List lacks one the model uses.
    pub strict: bool,
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
    /// Services not pulled, whose records were kept from the previous snapshot.
    pub kept: Vec<String>,
    /// Prices the Price List did not have, carried over from the previous snapshot.
    pub carried: Vec<CarriedPrice>,
    pub previous: String,
}

/// A price a refresh did not find in the Price List and kept from the snapshot it started
/// from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CarriedPrice {
    pub service_code: String,
    /// AWS's usage type in the Region (with its attributes, when they tell it apart).
    pub usage: String,
    /// The Region, for regional prices.
    pub region: Option<String>,
}

impl std::fmt::Display for CarriedPrice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.service_code, self.usage)?;
        if let Some(r) = &self.region {
            write!(f, " in {r}")?;
        }
        Ok(())
    }
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
    // A Region no price could be asked for is the user's input: refused before any call.
    if !ladderwise_model::region::is_known(&req.region) {
        return Err(AppError::UnknownRegion {
            name: req.region.clone(),
            closest: ladderwise_model::scenario::closest_region(&req.region),
        });
    }
    let previous = current_book()?;
    let base_name = if previous.snapshot.origin == SHIPPED {
        SHIPPED.to_string()
    } else {
        previous.snapshot.origin.clone()
    };
    let base = SnapshotText::load(&base_name)?;

    // A service AWS does not offer in the Region (the snapshot's `not_offered`: Comprehend in
    // sa-east-1) has no prices there to ask for: it is kept as it was, as a service not
    // pulled is.
    let mut asked = req.clone();
    asked
        .services
        .retain(|code| base.manifest.not_offered_in(code, &req.region).is_none());
    let queries: Vec<Query> = asked
        .services
        .iter()
        .flat_map(|s| queries(s, &req.region))
        .collect();
    let attempts = req.connection.max_attempts;
    let client = ladderwise_aws::connect(&req.connection).await?;
    ladderwise_aws::check_services(&client, &queries, &mut progress, attempts).await?;
    let results = ladderwise_aws::pull(&client, &queries, &mut progress, attempts).await?;

    let assembled = assemble(&asked, &base, &previous.snapshot.id, &results)?;
    let path = install(req, &assembled.files, &assembled.manifest)?;
    Ok(Refreshed {
        id: req.id.clone(),
        path,
        pulled: assembled.pulled,
        kept: assembled.kept,
        carried: assembled.carried,
        previous: previous.snapshot.id,
    })
}

/// The new snapshot, before it is written.
struct Assembled {
    files: BTreeMap<String, String>,
    manifest: String,
    pulled: Vec<(String, usize, usize)>,
    kept: Vec<String>,
    carried: Vec<CarriedPrice>,
}

/// Builds the new snapshot's files and manifest. Of each pulled service, the Price List
/// records the engine prices in the Region are kept (chosen by usage type, with AWS's prefix
/// for the Region, and attributes); a price the Price List lacks is carried over from the
/// snapshot the refresh starts from, marked as such (with `strict`, the refresh fails
/// instead). From that snapshot too, unchanged: what the Price List does not publish (free
/// allowances, reserved slots, MediaConvert's factors, CloudFront's flat-rate plans), the
/// prices of other Regions, and the services not pulled.
fn assemble(
    req: &RefreshRequest,
    base: &SnapshotText,
    base_id: &str,
    results: &[QueryResult],
) -> Result<Assembled, AppError> {
    let day = req.created.get(..10).unwrap_or(&req.created);
    let offered = |code: &str| base.manifest.not_offered_in(code, &req.region).is_none();
    let mut files = BTreeMap::new();
    let mut services = Vec::new();
    let mut pulled = Vec::new();
    let mut kept_services = Vec::new();
    let mut carried = Vec::new();
    let mut lacking = Vec::new();
    for code in all_services() {
        let wanted = wanted(code);
        let base_service = base.manifest.service(code);
        let base_records = base.records(code);
        let mut items: Vec<Value> = Vec::new();
        let mut provenance: BTreeMap<String, Provenance> = BTreeMap::new();
        let mut keep = |mut item: Value, p: Provenance, from_base: bool| {
            let sku = item_sku(&item).unwrap_or_default().to_string();
            if provenance.contains_key(&sku) {
                return;
            }
            // A record kept from the base keeps the Price List version it came with.
            if from_base
                && item.get("version").is_none()
                && let (Some(obj), Some(s)) = (item.as_object_mut(), base_service)
            {
                if let Some(v) = &s.version {
                    obj.insert("version".into(), Value::String(v.clone()));
                }
                if let Some(d) = &s.publication_date {
                    obj.insert("publicationDate".into(), Value::String(d.clone()));
                }
            }
            provenance.insert(sku, p);
            items.push(item);
        };
        let mut version = None;
        let mut published = None;
        if !req.services.iter().any(|s| s == code) {
            for (item, _, p) in base_records {
                keep(item, p, true);
            }
            if base_service.is_some() {
                kept_services.push(code.to_string());
            }
        } else {
            let mut records: Vec<(Value, PriceRecord)> = Vec::new();
            let mut pages = 0;
            for r in results.iter().filter(|r| r.query.service_code == code) {
                pages += r.pages;
                for (i, text) in r.items.iter().enumerate() {
                    let item: Value =
                        serde_json::from_str(text).map_err(|_| AppError::ApiRecord {
                            service: code.to_string(),
                            index: i + 1,
                        })?;
                    // Products without on-demand prices (reserved-only SKUs) are not ours.
                    if let Ok(record) = PriceRecord::from_item(&item) {
                        records.push((item, record));
                    }
                }
            }
            let scope = |u: &UsageType| u.regional.then_some(req.region.as_str());
            let mut found = 0;
            for u in wanted.iter().filter(|u| u.in_price_list) {
                let matching: Vec<&(Value, PriceRecord)> = records
                    .iter()
                    .filter(|(_, r)| u.key.matches(r, scope(u)))
                    .collect();
                if !matching.is_empty() {
                    for (item, _) in matching {
                        version = version.or_else(|| item_text(item, "version"));
                        published = published.or_else(|| item_text(item, "publicationDate"));
                        found += 1;
                        keep(
                            item.clone(),
                            Provenance::new(PriceStatus::PriceList, API_SOURCE),
                            false,
                        );
                    }
                    continue;
                }
                let from_base: Vec<&(Value, PriceRecord, Provenance)> = base_records
                    .iter()
                    .filter(|(_, r, _)| u.key.matches(r, scope(u)))
                    .collect();
                let what = CarriedPrice {
                    service_code: code.to_string(),
                    usage: u.key.name_in(scope(u)),
                    region: scope(u).map(str::to_string),
                };
                if from_base.is_empty() {
                    if u.required && offered(code) {
                        lacking.push(what.to_string());
                    }
                    continue;
                }
                for (item, _, p) in from_base {
                    keep(item.clone(), carried_provenance(p, base_id, day), true);
                }
                carried.push(what);
            }
            // Unchanged from the base: prices the Price List does not publish, and other
            // Regions' prices, of the usage types the engine prices.
            for (item, r, p) in &base_records {
                let replaced = wanted
                    .iter()
                    .any(|u| u.in_price_list && u.key.matches(r, scope(u)));
                // Named as AWS names it in the record's own Region (`eu-west-1-KMS-Keys`,
                // `EU-WebACL`): without one, only a one-word prefix is recognised. A key
                // pinned to the Region it is billed in (WAF's, us-east-1) is spelled in the
                // record's Region all the same: the record is that key's price there.
                let region = r.attributes.get("regionCode").map(String::as_str);
                let priced = wanted.iter().any(|u| {
                    let anywhere = UsageKey {
                        region: None,
                        ..u.key
                    };
                    anywhere
                        .rank(r, region)
                        .or(anywhere.rank(r, None))
                        .is_some()
                });
                if priced && !replaced {
                    keep(item.clone(), p.clone(), true);
                }
            }
            pulled.push((code.to_string(), found, pages));
        }
        if items.is_empty() {
            continue;
        }
        if version.is_none()
            && let Some(s) = base_service
            && !req.services.iter().any(|x| x == code)
        {
            version.clone_from(&s.version);
            published.clone_from(&s.publication_date);
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
    if !lacking.is_empty() {
        return Err(AppError::MissingPrices(lacking));
    }
    if req.strict && !carried.is_empty() {
        return Err(AppError::NotInPriceList(
            carried.iter().map(ToString::to_string).collect(),
        ));
    }
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
                "Pulled from the AWS Price List for {} ({}); {}; other Regions{} as in {base_id}",
                req.region,
                req.services.join(", "),
                if carried.is_empty() {
                    "every price found".to_string()
                } else {
                    format!("{} price(s) carried over from {base_id}", carried.len())
                },
                if kept_services.is_empty() {
                    String::new()
                } else {
                    format!(" and {}", kept_services.join(", "))
                }
            ),
            origin: String::new(),
        },
        sources,
        services,
        mediaconvert_normalization: None,
        cloudfront_flat_rate_plans: None,
        not_offered: base.manifest.not_offered.clone(),
    };
    // Not in the Price List: MediaConvert's normalization factors and CloudFront's flat-rate
    // plans, kept from the base.
    let from_base = |f: &Option<ManifestFile>| {
        f.as_ref()
            .and_then(|f| base.files.get(&f.file).map(|t| (f.file.clone(), t.clone())))
    };
    if let Some((file, text)) = from_base(&base.manifest.mediaconvert_normalization) {
        manifest.mediaconvert_normalization = Some(ManifestFile {
            file: file.clone(),
            sha256: sha256_hex(&text),
        });
        files.insert(file, text);
    }
    if let Some((file, text)) = from_base(&base.manifest.cloudfront_flat_rate_plans) {
        manifest.cloudfront_flat_rate_plans = Some(ManifestFile {
            file: file.clone(),
            sha256: sha256_hex(&text),
        });
        files.insert(file, text);
    }
    Ok(Assembled {
        files,
        manifest: manifest.to_text(),
        pulled,
        kept: kept_services,
        carried,
    })
}

/// The provenance of a price carried over from `base_id` because the Price List did not have
/// it on `day`: the figure's own status and source, marked as carried.
fn carried_provenance(p: &Provenance, base_id: &str, day: &str) -> Provenance {
    let why = format!("carried over from {base_id}, not found in the Price List on {day}");
    // A price carried before keeps its own note, not the older carry-over's.
    let own = match (&p.carried_from, &p.note) {
        (Some(_), Some(n)) => n.split_once("; ").map(|(_, rest)| rest.to_string()),
        (None, n) => n.clone(),
        (Some(_), None) => None,
    };
    Provenance {
        note: Some(match own {
            Some(n) => format!("{why}; {n}"),
            None => why,
        }),
        carried_from: Some(base_id.to_string()),
        ..p.clone()
    }
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
            .map(|u| {
                let region = u.regional.then_some(req.region.as_str());
                format!("{} {}", u.service.code(), u.key.name_in(region))
            })
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
    let _held = crate::lock_for_write(&dir.join(CURRENT_LOCK))?;
    write_atomic(&dir.join("current"), format!("{}\n", req.id).as_bytes())?;
    Ok(target)
}

/// One scenario priced under two snapshots.
#[derive(Clone, Debug)]
pub struct Repriced {
    pub file: String,
    pub scenario: String,
    pub comparison: crate::compare::Comparison,
    /// The services with unpriced lines under the old and the new snapshot: a total that
    /// leaves them out is not comparable, and a price gone missing is not a saving.
    pub old_unpriced: Vec<ladderwise_model::Service>,
    pub new_unpriced: Vec<ladderwise_model::Service>,
}

impl Repriced {
    /// Every line priced under the old snapshot.
    pub fn old_complete(&self) -> bool {
        self.old_unpriced.is_empty()
    }

    /// Every line priced under the new snapshot.
    pub fn new_complete(&self) -> bool {
        self.new_unpriced.is_empty()
    }
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
    let mut loaded = Vec::new();
    for path in scenarios {
        loaded.push((path.display().to_string(), crate::load_scenario(path)?));
    }
    Ok(diff_books(old_book, new_book, &loaded))
}

/// Compares two loaded snapshots record by record, and prices each scenario (with the name
/// of its file) under both.
pub fn diff_books(
    old_book: PriceBook,
    new_book: PriceBook,
    scenarios: &[(String, Scenario)],
) -> PriceDiffReport {
    let changes = ladderwise_model::pricebook::diff(&old_book, &new_book);
    let mut repriced = Vec::new();
    for (file, s) in scenarios {
        let a = ladderwise_model::estimate(s, &old_book);
        let b = ladderwise_model::estimate(s, &new_book);
        repriced.push(Repriced {
            file: file.clone(),
            scenario: s.name.clone(),
            comparison: crate::compare::compare(&a, &b),
            old_unpriced: a.unpriced_services(),
            new_unpriced: b.unpriced_services(),
        });
    }
    PriceDiffReport {
        old: old_book.snapshot,
        new: new_book.snapshot,
        changes,
        scenarios: repriced,
    }
}

/// A new snapshot's id and creation time, `(aws-YYYYMMDDTHHMMSSmmmZ, ISO 8601)` in UTC, from
/// the time since 1970 the caller read from its clock.
pub fn snapshot_id_at(since_epoch: std::time::Duration) -> (String, String) {
    let (secs, millis) = (since_epoch.as_secs(), since_epoch.subsec_millis());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let (year, month, day) = ladderwise_usage::calendar::civil_from_days(days);
    (
        // Milliseconds keep two refreshes in one second apart.
        format!("aws-{year:04}{month:02}{day:02}T{h:02}{m:02}{s:02}{millis:03}Z"),
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z"),
    )
}
