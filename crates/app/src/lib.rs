//! Use cases shared by the CLI and the desktop app: load a scenario, load prices, estimate.
//!
//! This is the imperative shell around `ladderwise-model`: it reads files and hands their text
//! to the pure model. The shipped price snapshot and the default scenario are compiled into
//! the binary, so both faces work from any directory with no network.

pub mod actuals;
pub mod allocator;
pub mod compare;
pub mod editor;
mod error;
pub mod export;
pub mod forecast;
pub mod import;
pub mod report;
pub mod snapshots;
pub mod usage;
pub mod variance;
pub mod views;
pub mod whatif;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ladderwise_model::pricebook::snapshot_file_names;
use ladderwise_model::sweep::{SweepTotals, Vary};
use ladderwise_model::{Estimate, PriceBook, Scenario, estimate};
use views::ChartKind;

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
    "comprehend.json",
    "AWSLambda.json",
    "AmazonStates.json",
    "AmazonDynamoDB.json",
    "AmazonSNS.json",
    "AWSQueueService.json",
    "awskms.json",
    "awswaf.json",
    "AmazonCloudWatch.json",
    "mediaconvert-normalization.json",
    "cloudfront-flat-rate-plans.json",
);

pub use error::{AppError, ErrorKind};

/// Seconds since the Unix epoch by the system clock (0 before it): the one reading of the
/// clock behind "today" in the use cases (the forecast's first month, a month not yet ended).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// The text of the snapshot compiled into the binary: the manifest and each file by name.
pub(crate) fn shipped_snapshot_text() -> (String, BTreeMap<String, String>) {
    let files = SHIPPED_FILES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    (SHIPPED_MANIFEST.to_string(), files)
}

/// The snapshot compiled into the binary.
pub fn shipped_price_book() -> Result<PriceBook, AppError> {
    let (manifest, files) = shipped_snapshot_text();
    PriceBook::from_snapshot(&manifest, &files, "shipped").map_err(|source| AppError::Pricing {
        origin: "shipped".into(),
        source,
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

/// Reads a scenario file's text: an unreadable file is named with the scenario hint, and
/// bytes that are not UTF-8 with their line and column.
pub fn read_scenario_text(path: &Path) -> Result<String, AppError> {
    let bytes = std::fs::read(path).map_err(|source| AppError::ScenarioRead {
        path: path.to_path_buf(),
        source,
    })?;
    utf8_text(path, bytes)
}

/// `bytes` as text, or where the first byte that is not UTF-8 stands.
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, AppError> {
    String::from_utf8(bytes).map_err(|e| {
        let fault = ladderwise_usage::text::first_non_utf8(e.as_bytes())
            .ok()
            .flatten();
        let (line, column, byte) = fault.map_or((1, 1, 0), |f| (f.line, f.column, f.byte));
        AppError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
            byte,
        }
    })
}

/// Reads and validates a scenario file.
pub fn load_scenario(path: &Path) -> Result<Scenario, AppError> {
    let text = read_scenario_text(path)?;
    Ok(Scenario::from_toml(&path.display().to_string(), &text)?)
}

/// The shipped default scenario.
pub fn default_scenario() -> Result<Scenario, AppError> {
    Ok(Scenario::from_toml(
        DEFAULT_SCENARIO_PATH,
        DEFAULT_SCENARIO,
    )?)
}

/// The scenario (or the shipped default) and the prices: the snapshot directory named, or the
/// snapshot in use (see [`snapshots::current_book`]).
pub fn load_inputs(
    scenario: Option<&Path>,
    pricing: Option<&Path>,
) -> Result<(Scenario, PriceBook), AppError> {
    let scenario = match scenario {
        Some(p) => load_scenario(p)?,
        None => default_scenario()?,
    };
    Ok((scenario, load_book(pricing)?))
}

/// The prices: the snapshot directory named, or the snapshot in use (see
/// [`snapshots::current_book`]).
pub fn load_book(pricing: Option<&Path>) -> Result<PriceBook, AppError> {
    match pricing {
        Some(dir) => load_price_book(dir),
        None => snapshots::current_book(),
    }
}

/// Loads the inputs and prices the month.
pub fn run_estimate(scenario: Option<&Path>, pricing: Option<&Path>) -> Result<Estimate, AppError> {
    let (scenario, book) = load_inputs(scenario, pricing)?;
    Ok(estimate(&scenario, &book))
}

/// Loads the inputs and runs a sweep.
pub fn run_sweep(
    scenario: Option<&Path>,
    pricing: Option<&Path>,
    varies: &[Vary],
) -> Result<Sweep, AppError> {
    let (scenario, book) = load_inputs(scenario, pricing)?;
    let points = ladderwise_model::sweep::sweep_totals_on(
        &scenario,
        &book,
        varies,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    )?;
    Ok(Sweep {
        scenario: scenario.name,
        snapshot: book.snapshot.clone(),
        points,
    })
}

/// A sweep's points, with the scenario they vary and the snapshot that priced them: every
/// output names its snapshot.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub scenario: String,
    pub snapshot: ladderwise_model::pricebook::SnapshotInfo,
    pub points: Vec<SweepTotals>,
}

/// Writes `bytes` to `path` so that a reader never sees half a file, even if the process is
/// killed: into a temporary file beside it, flushed to disk, then renamed over the target;
/// temporary files left by writers killed earlier are removed (see
/// [`ladderwise_usage::durable`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    ladderwise_usage::durable::write(path, bytes).map_err(|source| AppError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Takes the advisory lock `lock_file` names (see [`ladderwise_usage::durable::Lock`]), waiting
/// while another writer — another command or the app — holds it.
pub fn lock_for_write(lock_file: &Path) -> Result<ladderwise_usage::durable::Lock, AppError> {
    ladderwise_usage::durable::lock(lock_file).map_err(|source| AppError::Write {
        path: lock_file.to_path_buf(),
        source,
    })
}

/// Draws one chart of the scenario to `out`, SVG or PNG by its extension.
pub fn write_chart(
    kind: ChartKind,
    scenario: &Scenario,
    book: &PriceBook,
    out: &Path,
    size: (u32, u32),
) -> Result<(), AppError> {
    image_format(out)?;
    let chart = views::chart(kind, scenario, book)?;
    write_image(&chart, out, size)
}

/// Draws a what-if chart to `out`, SVG or PNG by its extension: the waterfall from the first
/// scenario to the second, or the tornado of the first. Each scenario comes with the name of
/// its file.
pub fn write_whatif_chart(
    kind: views::WhatIfChart,
    scenarios: &[(&str, &Scenario)],
    book: &PriceBook,
    out: &Path,
    size: (u32, u32),
) -> Result<(), AppError> {
    image_format(out)?;
    let chart = match (kind, scenarios) {
        (views::WhatIfChart::Waterfall, [a, b]) => {
            views::waterfall(&whatif::compare(*a, *b, book), size.1)
        }
        (views::WhatIfChart::Tornado, [(_, s)]) => views::tornado(
            &whatif::sensitivity(s, book, ladderwise_model::whatif::DEFAULT_SWING, &[])?,
            size.1,
        ),
        _ => {
            return Err(AppError::Arguments(format!(
                "the {} chart is drawn from {} scenario(s), not {}\nhint: {}",
                kind.name(),
                kind.scenarios(),
                scenarios.len(),
                match kind {
                    views::WhatIfChart::Waterfall =>
                        "name both: `ladderwise chart waterfall A.toml B.toml -o waterfall.svg`",
                    views::WhatIfChart::Tornado =>
                        "name one: `ladderwise chart tornado my.toml -o tornado.svg`",
                }
            )));
        }
    };
    write_image(&chart, out, size)
}

/// Refuses a file name that is neither `.svg` nor `.png` before anything is computed.
fn image_format(out: &Path) -> Result<&'static str, AppError> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "svg" => Ok("svg"),
        "png" => Ok("png"),
        _ => Err(AppError::ImageFormat(out.to_path_buf())),
    }
}

/// Draws chart data to `out`, SVG or PNG by its extension.
pub fn write_image(
    chart: &ladderwise_charts::Chart,
    out: &Path,
    size: (u32, u32),
) -> Result<(), AppError> {
    let bytes = match image_format(out)? {
        "svg" => ladderwise_charts::render_svg(chart, size)?.into_bytes(),
        _ => ladderwise_charts::render_png(chart, size)?,
    };
    write_atomic(out, &bytes)
}

/// Writes the report into `dir` (created if needed): `index.html` with every chart inline, and
/// the CSVs of the estimate, the cost per rung and the cache-hit-rate sweep. Returns the files
/// written.
pub fn write_report(
    scenario: &Scenario,
    book: &PriceBook,
    dir: &Path,
) -> Result<Vec<PathBuf>, AppError> {
    let files = report_files(scenario, book)?;
    write_report_files(dir, &files)
}

/// The report's files, named, as [`write_report`] writes them.
pub type ReportFiles = Vec<(&'static str, Vec<u8>)>;

/// Computes the report's files without writing anything.
pub fn report_files(scenario: &Scenario, book: &PriceBook) -> Result<ReportFiles, AppError> {
    let e = estimate(scenario, book);
    let mut charts = Vec::new();
    // The forecast has a section of its own, with its table.
    for kind in ChartKind::ALL
        .into_iter()
        .filter(|k| *k != ChartKind::Forecast)
    {
        let chart = views::chart(kind, scenario, book)?;
        let svg = ladderwise_charts::render_svg(&chart, ladderwise_charts::DEFAULT_SIZE)?;
        charts.push((chart_caption(kind), svg));
    }
    let hit_rate = Vary {
        field: "delivery.cache_hit_rate".into(),
        from: rust_decimal::Decimal::ZERO,
        to: rust_decimal::Decimal::ONE,
        step: rust_decimal::Decimal::new(5, 2),
    };
    let sweep = ladderwise_model::sweep::sweep_totals_on(
        scenario,
        book,
        std::slice::from_ref(&hit_rate),
        1,
    )?;
    let sensitivity =
        whatif::sensitivity(scenario, book, ladderwise_model::whatif::DEFAULT_SWING, &[])?;
    let tornado = ladderwise_charts::render_svg(
        &views::tornado(&sensitivity, ladderwise_charts::DEFAULT_SIZE.1),
        ladderwise_charts::DEFAULT_SIZE,
    )?;
    let fc = forecast::run(scenario, book, forecast::Request::default())?;
    let fan =
        ladderwise_charts::render_svg(&views::forecast(&fc), ladderwise_charts::DEFAULT_SIZE)?;
    Ok(vec![
        (
            "index.html",
            report::html(
                scenario,
                &e,
                book,
                &charts,
                Some((&sensitivity, &tornado)),
                Some((&fc, &fan)),
            )
            .into_bytes(),
        ),
        ("forecast.csv", export::forecast_csv(&fc).into_bytes()),
        ("forecast.json", export::forecast_json(&fc).into_bytes()),
        ("estimate.csv", export::estimate_csv(&e).into_bytes()),
        ("estimate.json", export::estimate_json(&e).into_bytes()),
        ("rungs.csv", export::rungs_csv(&e).into_bytes()),
        (
            "sweep-cache-hit-rate.csv",
            export::sweep_csv(std::slice::from_ref(&hit_rate), &sweep).into_bytes(),
        ),
        (
            "sensitivity.csv",
            export::sensitivity_csv(&sensitivity).into_bytes(),
        ),
    ])
}

/// Writes computed report files into `dir` (created if needed), each atomically; a report
/// cut short leaves every file whole, some from this report and some from the last.
pub fn write_report_files(dir: &Path, files: &ReportFiles) -> Result<Vec<PathBuf>, AppError> {
    std::fs::create_dir_all(dir).map_err(|source| AppError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}

fn chart_caption(kind: ChartKind) -> String {
    match kind {
        ChartKind::Ladder => "The ladder: video bitrate by resolution, with published reference ladders and the monthly cost allocated to each rung.",
        ChartKind::CacheHitRate => "Delivery cost by CloudFront cache hit rate, stacked by component, against delivering straight from S3.",
        ChartKind::TranscodeChoice => "Transcode cost by monthly content minutes for each service choice, with break-even points.",
        ChartKind::DeliveryChoice => "Delivery cost by monthly egress: CloudFront pay-as-you-go, the cheapest CloudFront flat-rate plan that holds the month, and direct S3.",
        ChartKind::Breakdown => "Monthly cost by stage and by rung.",
        ChartKind::Forecast => "The months ahead: P10 to P90 of the total, its P50, the deterministic path by service, and the budget.",
    }
    .to_string()
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
