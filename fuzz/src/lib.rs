//! What each fuzz target feeds its parser, in one place: the targets (`fuzz_targets/`) and the
//! replay of the corpora in the ordinary tests (`tests/fuzz_corpora.rs`, which includes this
//! file) run the same code. Each function returns nothing: a parser may accept or refuse the
//! input, it must not panic (crates/model never panics on user input; see ARCHITECTURE.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ladderwise_model::PriceBook;
use ladderwise_model::scenario::Scenario;
use sha2::{Digest, Sha256};

/// The shipped snapshot: `pricing-cache/` at the repository's root, which is the package's
/// directory for the replay test and its parent for the fuzz targets.
pub fn pricing_cache() -> PathBuf {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let here = package.join("pricing-cache");
    if here.is_dir() {
        here
    } else {
        package.join("..").join("pricing-cache")
    }
}

/// The shipped snapshot's manifest and every file it names, read once.
fn shipped() -> &'static (String, BTreeMap<String, String>) {
    static SHIPPED: OnceLock<(String, BTreeMap<String, String>)> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let dir = pricing_cache();
        let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
        let files = files_named(&serde_json::from_str(&manifest).unwrap())
            .into_iter()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join(&name)).unwrap();
                (name, text)
            })
            .collect();
        (manifest, files)
    })
}

/// Every `"file"` the manifest names, wherever it names one.
fn files_named(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Object(m) => {
            let own = m.get("file").and_then(|f| f.as_str()).map(str::to_string);
            own.into_iter()
                .chain(m.values().flat_map(files_named))
                .collect()
        }
        serde_json::Value::Array(a) => a.iter().flat_map(files_named).collect(),
        _ => Vec::new(),
    }
}

/// Gives every entry naming `file` the checksum of `text`, so the fuzzed file gets past the
/// checksum to its own parser.
fn reseal(v: &mut serde_json::Value, file: &str, text: &str) {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("file").and_then(|f| f.as_str()) == Some(file) {
                let sum = Sha256::digest(text.as_bytes());
                let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
                m.insert("sha256".into(), hex.into());
            }
            m.values_mut().for_each(|x| reseal(x, file, text));
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| reseal(x, file, text)),
        _ => {}
    }
}

/// The shipped price book, for pricing what the scenario target parses.
fn book() -> &'static PriceBook {
    static BOOK: OnceLock<PriceBook> = OnceLock::new();
    BOOK.get_or_init(|| {
        let (manifest, files) = shipped();
        PriceBook::from_snapshot(manifest, files, "shipped").unwrap()
    })
}

/// A scenario file through the parser alone: the fast target, for volume.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Scenario::from_toml("fuzz.toml", text);
}

/// A scenario file; one the parser accepts is also priced by the engine's `estimate`, since
/// whatever the parser accepts every command must handle. Slower: pricing takes far longer
/// than parsing.
pub fn scenario_priced(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = Scenario::from_toml("fuzz.toml", text) {
        let _ = ladderwise_model::engine::estimate(&s, book());
    }
}

/// A price snapshot: the first byte picks the file to replace (0: `manifest.json`, then the
/// files the manifest names, in name order), the rest is its text. A replaced Price List file
/// is read as a snapshot of that one file: the manifest keeps only its entry, with the
/// checksum of the text and, when the text has a `PriceList` array, its length as the record
/// count, so the file's own parser runs on every input instead of stopping at the checksum,
/// and no other file is parsed again (a whole snapshot is about 500 KB of JSON).
pub fn snapshot(data: &[u8]) {
    let _ = snapshot_loads(data);
}

/// [`snapshot`], saying whether the snapshot loaded (the replay test checks the seeds do, so
/// the target is known to reach a parser's end and not only its first error).
pub fn snapshot_loads(data: &[u8]) -> bool {
    let Some((&pick, rest)) = data.split_first() else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return false;
    };
    let (manifest, files) = shipped();
    let names: Vec<&String> = files.keys().collect();
    let choice = usize::from(pick) % (names.len() + 1);
    if choice == 0 {
        return PriceBook::from_snapshot(text, files, "fuzz").is_ok();
    }
    let name = names[choice - 1];
    let m = one_file_manifest(manifest, name, text);
    let only = BTreeMap::from([(name.clone(), text.to_string())]);
    PriceBook::from_snapshot(&m, &only, "fuzz").is_ok()
}

/// The shipped manifest reduced to the entry of `file`, sealed for `text`.
fn one_file_manifest(manifest: &str, file: &str, text: &str) -> String {
    let mut m: serde_json::Value = serde_json::from_str(manifest).unwrap();
    let names_file = |v: &serde_json::Value| v.get("file").and_then(|f| f.as_str()) == Some(file);
    if let Some(services) = m.get_mut("services").and_then(|s| s.as_array_mut()) {
        services.retain(names_file);
        let count = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|d| d.get("PriceList")?.as_array().map(Vec::len));
        if let (Some(entry), Some(n)) = (services.first_mut(), count) {
            entry["records"] = n.into();
        }
    }
    if let Some(obj) = m.as_object_mut() {
        for key in ["mediaconvert_normalization", "cloudfront_flat_rate_plans"] {
            if obj.get(key).is_some_and(|v| !names_file(v)) {
                obj.remove(key);
            }
        }
    }
    reseal(&mut m, file, text);
    m.to_string()
}

/// The snapshot target's seeds: the manifest, and each shipped file with the byte that picks
/// it, a Price List file cut to its first two records (what the target reads of one costs
/// time in proportion to its size; two records hold every shape a file has). They are made
/// from `pricing-cache/` rather than kept in the corpus, so a price refresh needs no new
/// seeds.
pub fn snapshot_seeds() -> Vec<(String, Vec<u8>)> {
    let (manifest, files) = shipped();
    let mut seeds = vec![(
        "manifest.json".to_string(),
        [&[0u8][..], manifest.as_bytes()].concat(),
    )];
    for (i, (name, text)) in files.iter().enumerate() {
        let mut doc: serde_json::Value = serde_json::from_str(text).unwrap();
        let text = match doc.get_mut("PriceList").and_then(|l| l.as_array_mut()) {
            Some(list) => {
                list.truncate(2);
                serde_json::to_string_pretty(&doc).unwrap()
            }
            None => text.clone(),
        };
        seeds.push((
            name.clone(),
            [&[(i + 1) as u8][..], text.as_bytes()].concat(),
        ));
    }
    seeds
}

/// A ladder import: MediaConvert JSON, an HLS or DASH manifest, or Elastic Transcoder preset
/// IDs (the kind is told from the content, as `ladder import` does).
pub fn import(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ladder) = ladderwise_import::import("fuzz", text) {
        // What an import becomes: a scenario, which the scenario parser then reads.
        let template = include_str!("../../scenarios/ugc-short-form.toml");
        if let Ok(scenario) = ladderwise_import::scenario_text(template, &ladder, "fuzz") {
            let _ = Scenario::from_toml("imported.toml", &scenario);
        }
    }
}
