//! The Usage & Actuals view's commands: what the local stores hold, the variance of the open
//! scenario against a month of the bill, a calibrated copy of it, and files imported into
//! the stores. Each only sequences `ladderwise_app::{usage, actuals, variance}`.

use std::path::PathBuf;

use ladderwise_app::{actuals, usage, variance};
use tauri::{AppHandle, Runtime, State};

use crate::commands::{self, Chosen, Pick, Prices};
use crate::ipc::usage::{
    self as view, CalibrateRequest, Calibrated, ImportKind, Imported, UsageOverview,
    VarianceRequest, VarianceView,
};
use crate::ipc::{IpcError, scenario_of};

/// Both stores, read off the main thread (they are Parquet files read with polars).
#[tauri::command]
pub async fn usage_overview() -> Result<UsageOverview, IpcError> {
    let months = usage::months()?;
    let rows = actuals::summary(&actuals::load(None)?);
    Ok(UsageOverview {
        usage_store: usage::store_path(),
        actuals_store: actuals::store_dir(),
        usage: months.iter().map(view::usage_month).collect(),
        actuals_months: actuals::stored_months()?,
        actuals: view::actuals_services(&rows),
    })
}

/// The open scenario, planned for `month` (a month of its forecast, or its steady month),
/// against the bill of `month`.
#[tauri::command]
pub async fn variance(
    request: VarianceRequest,
    prices: State<'_, Prices>,
) -> Result<VarianceView, IpcError> {
    actuals::parse_month("the month", &request.month)?;
    let s = scenario_of(&request.label, &request.text, "set against the bill")?;
    let prices = prices.get();
    let v = variance::variance_of(&s, &prices.book, &request.month)?;
    Ok(view::variance(&v))
}

/// The open scenario's text with its drivers taken from one month of the usage store (the
/// last full one unless named) or of the bill: for a new, unsaved tab.
#[tauri::command]
pub async fn calibrate(
    request: CalibrateRequest,
    prices: State<'_, Prices>,
) -> Result<Calibrated, IpcError> {
    let s = scenario_of(&request.label, &request.text, "calibrated")?;
    let prices = prices.get();
    let source = usage::calibration_source(
        request.from_actuals,
        request.month.as_deref(),
        &prices.book,
        &s.region,
    )?;
    let c = usage::calibrate(&s, source.month());
    let text = usage::calibrated_text(&request.label, &request.text, &c, &source.month().month)?;
    Ok(Calibrated {
        month: source.month().month.clone(),
        text,
        edits: c
            .edits
            .iter()
            .map(|e| format!("[{}] {} = {}", e.section, e.key, e.value))
            .collect(),
        notes: c.notes.iter().chain(&source.notes).cloned().collect(),
    })
}

/// Adds a usage CSV (`timestamp,namespace,metric,dimensions,statistic,value`) to the store.
/// Not a command, as [`import_actuals`]: the page only asks for the dialog ([`pick_import`]).
pub async fn import_usage(path: PathBuf) -> Result<Imported, IpcError> {
    let count = usage::import_file(&path)?;
    let summary = usage::import_summary(&path, &count);
    Ok(Imported { path, summary })
}

/// Imports a FOCUS 1.2 or CUR 2.0 export (a file or a directory of them) into the store.
pub async fn import_actuals(path: PathBuf) -> Result<Imported, IpcError> {
    let report = actuals::import(&path, |_| {})?;
    Ok(Imported {
        summary: actuals::import_text(&report),
        path,
    })
}

/// The native Open dialog for a file to import, then the import; `None` when cancelled.
#[tauri::command]
pub async fn pick_import<R: Runtime>(
    app: AppHandle<R>,
    kind: ImportKind,
    chosen: State<'_, Chosen>,
) -> Result<Option<Imported>, IpcError> {
    let (title, filter) = match kind {
        ImportKind::Usage => ("Import usage (CSV)", ("Usage CSV", &["csv"][..])),
        ImportKind::Actuals => (
            "Import actuals (FOCUS 1.2 or CUR 2.0 export)",
            ("Data Exports", &["parquet", "csv", "gz"][..]),
        ),
    };
    let picked = commands::pick(
        &app,
        &chosen,
        Pick {
            title,
            filter,
            save_as: None,
        },
    );
    let Some(path) = picked else {
        return Ok(None);
    };
    match kind {
        ImportKind::Usage => import_usage(path).await.map(Some),
        ImportKind::Actuals => import_actuals(path).await.map(Some),
    }
}
