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

/// A scenario file; one the parser accepts is also priced, charted and forecast-free
/// estimated, since whatever the parser accepts every command must handle.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = Scenario::from_toml("fuzz.toml", text) {
        let _ = ladderwise_model::engine::estimate(&s, book());
    }
}

/// A price snapshot: the first byte picks the file to replace (0: `manifest.json`, then the
/// files the manifest names, in name order), the rest is its text; the other files are the
/// shipped ones, and a replaced file's checksum in the manifest is made to match.
pub fn snapshot(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (manifest, files) = shipped();
    let names: Vec<&String> = files.keys().collect();
    let choice = usize::from(pick) % (names.len() + 1);
    if choice == 0 {
        let _ = PriceBook::from_snapshot(text, files, "fuzz");
        return;
    }
    let name = names[choice - 1];
    let mut files = files.clone();
    files.insert(name.clone(), text.to_string());
    let mut m: serde_json::Value = serde_json::from_str(manifest).unwrap();
    reseal(&mut m, name, text);
    let _ = PriceBook::from_snapshot(&m.to_string(), &files, "fuzz");
}

/// The snapshot target's seeds: each shipped file with the byte that picks it. They are made
/// from `pricing-cache/` rather than kept in the corpus, so a price refresh needs no new
/// seeds (docs/testing.md shows how to write them into a corpus directory before fuzzing).
pub fn snapshot_seeds() -> Vec<(String, Vec<u8>)> {
    let (manifest, files) = shipped();
    let mut seeds = vec![(
        "manifest.json".to_string(),
        [&[0u8][..], manifest.as_bytes()].concat(),
    )];
    for (i, (name, text)) in files.iter().enumerate() {
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
