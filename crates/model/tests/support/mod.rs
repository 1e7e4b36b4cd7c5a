//! What the model's tests and benchmarks share: the shipped snapshot and scenarios, read from
//! the repository (the model itself does no IO).

#![allow(dead_code)]

use std::collections::BTreeMap;

use ladderwise_model::pricebook::{PriceBook, snapshot_file_names};
use ladderwise_model::scenario::Scenario;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The snapshot in `pricing-cache/`.
pub fn shipped_book() -> PriceBook {
    let dir = format!("{ROOT}/pricing-cache");
    let manifest = std::fs::read_to_string(format!("{dir}/manifest.json")).unwrap();
    let files: BTreeMap<String, String> = snapshot_file_names(&manifest)
        .unwrap()
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(format!("{dir}/{n}")).unwrap();
            (n, text)
        })
        .collect();
    PriceBook::from_snapshot(&manifest, &files, "test").unwrap()
}

/// A scenario of `scenarios/`, by name without `.toml`.
pub fn shipped_scenario(name: &str) -> Scenario {
    let path = format!("{ROOT}/scenarios/{name}.toml");
    Scenario::from_toml(&path, &std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The names of every scenario in `scenarios/`, sorted: a scenario added there is covered by
/// the tests that loop over them.
pub fn shipped_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(format!("{ROOT}/scenarios"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    names.sort();
    names
}
