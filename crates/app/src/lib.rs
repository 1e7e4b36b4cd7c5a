//! Use cases shared by the CLI and the desktop app: load a scenario, load prices, estimate.
//!
//! This is the imperative shell around `ladderwise-model`: it reads files and hands their text
//! to the pure model. The shipped price snapshot and the default scenario are compiled into
//! the binary, so both faces work from any directory with no network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ladderwise_model::pricebook::snapshot_file_names;
use ladderwise_model::{Estimate, PriceBook, PriceBookError, Scenario, ScenarioErrors, estimate};

/// The scenario used when none is named.
pub const DEFAULT_SCENARIO_PATH: &str = "scenarios/ugc-short-form.toml";
pub const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/ugc-short-form.toml");

/// Every file of the shipped snapshot, by the name the manifest uses.
macro_rules! shipped {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../pricing-cache/", $name)))),*]
    };
}

const SHIPPED_MANIFEST: &str = include_str!("../../../pricing-cache/manifest.json");
const SHIPPED_FILES: &[(&str, &str)] = shipped!(
    "AWSElementalMediaConvert.json",
    "AmazonETS.json",
    "AmazonS3.json",
    "AWSDataTransfer.json",
    "AmazonCloudFront.json",
    "AmazonRekognition.json",
    "AmazonComprehend.json",
    "mediaconvert-normalization.json",
);

/// Everything that can go wrong loading inputs.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("cannot read {}: {source}\nhint: check the path; scenario files are TOML, e.g. scenarios/ugc-short-form.toml", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Scenario(#[from] ScenarioErrors),
    #[error("price snapshot {origin}: {source}")]
    Pricing {
        origin: String,
        source: PriceBookError,
    },
}

impl AppError {
    /// Whether the error is the user's input (exit code 2) rather than the program's.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, AppError::Scenario(_) | AppError::Read { .. })
    }
}

/// The snapshot compiled into the binary.
pub fn shipped_price_book() -> Result<PriceBook, AppError> {
    let files: BTreeMap<String, String> = SHIPPED_FILES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    PriceBook::from_snapshot(SHIPPED_MANIFEST, &files, "shipped").map_err(|source| {
        AppError::Pricing {
            origin: "shipped".into(),
            source,
        }
    })
}

/// A snapshot directory: `manifest.json` and the files it names.
pub fn load_price_book(dir: &Path) -> Result<PriceBook, AppError> {
    let read = |p: PathBuf| {
        std::fs::read_to_string(&p).map_err(|source| AppError::Read { path: p, source })
    };
    let manifest = read(dir.join("manifest.json"))?;
    let origin = dir.display().to_string();
    let pricing = |source| AppError::Pricing {
        origin: origin.clone(),
        source,
    };
    // Read every file the manifest names; the model checks counts and checksums, and names a
    // missing file.
    let names = snapshot_file_names(&manifest).map_err(pricing)?;
    let mut files = BTreeMap::new();
    for name in names {
        let path = dir.join(&name);
        if path.exists() {
            files.insert(name, read(path)?);
        }
    }
    PriceBook::from_snapshot(&manifest, &files, &origin).map_err(pricing)
}

/// Reads and validates a scenario file.
pub fn load_scenario(path: &Path) -> Result<Scenario, AppError> {
    let text = std::fs::read_to_string(path).map_err(|source| AppError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Scenario::from_toml(&path.display().to_string(), &text)?)
}

/// The shipped default scenario.
pub fn default_scenario() -> Result<Scenario, AppError> {
    Ok(Scenario::from_toml(
        DEFAULT_SCENARIO_PATH,
        DEFAULT_SCENARIO,
    )?)
}

/// Loads the scenario (or the default) and the prices (or the shipped snapshot), and prices
/// the month.
pub fn run_estimate(scenario: Option<&Path>, pricing: Option<&Path>) -> Result<Estimate, AppError> {
    let scenario = match scenario {
        Some(p) => load_scenario(p)?,
        None => default_scenario()?,
    };
    let book = match pricing {
        Some(dir) => load_price_book(dir)?,
        None => shipped_price_book()?,
    };
    Ok(estimate(&scenario, &book))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_snapshot_loads_and_default_scenario_parses() {
        let book = shipped_price_book().expect("shipped snapshot");
        assert!(book.records().len() > 50);
        assert!(book.mediaconvert.is_some());
        default_scenario().expect("default scenario");
    }

    #[test]
    fn every_shipped_file_is_named_by_the_manifest() {
        let mut named = snapshot_file_names(SHIPPED_MANIFEST).unwrap();
        named.sort();
        let mut shipped: Vec<String> = SHIPPED_FILES.iter().map(|(n, _)| n.to_string()).collect();
        shipped.sort();
        assert_eq!(named, shipped);
    }
}
