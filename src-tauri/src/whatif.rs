//! The what-if commands of the Compare view: the waterfall of two open scenarios, the
//! tornado of the current one, and a solve for a budget. Each only sequences
//! `ladderwise_app::whatif` and the chart views the CLI draws with; they run off the main
//! thread, since a waterfall or a tornado prices the scenario dozens of times.

use ladderwise_app::editor::CHART_SIZE;
use ladderwise_app::{ErrorKind, views, whatif};
use ladderwise_model::whatif::DEFAULT_SWING;
use rust_decimal::Decimal;
use tauri::State;

use crate::commands::Prices;
use crate::ipc::whatif::{self as view, SolveRequest, SolveView, TornadoRequest, TornadoView};
use crate::ipc::{CompareRequest, IpcError, scenario_of};

fn svg(chart: &ladderwise_charts::Chart) -> Result<String, IpcError> {
    ladderwise_charts::render_svg(chart, CHART_SIZE)
        .map_err(|e| IpcError::new(ErrorKind::Internal.code(), e.to_string()))
}

/// A's total, a bar per driver that differs (Shapley values), B's total.
#[tauri::command]
pub async fn compare_waterfall(
    request: CompareRequest,
    prices: State<'_, Prices>,
) -> Result<view::WaterfallView, IpcError> {
    let a = scenario_of(&request.a_label, &request.a_text, "compared")?;
    let b = scenario_of(&request.b_label, &request.b_text, "compared")?;
    let prices = prices.get();
    let c = whatif::compare(
        (request.a_label.as_str(), &a),
        (request.b_label.as_str(), &b),
        &prices.book,
    );
    let chart = svg(&views::waterfall(&c, CHART_SIZE.1))?;
    Ok(view::waterfall(&c, chart))
}

/// Each input of the scenario moved alone by ±swing, largest effect first.
#[tauri::command]
pub async fn tornado(
    request: TornadoRequest,
    prices: State<'_, Prices>,
) -> Result<TornadoView, IpcError> {
    let s = scenario_of(&request.label, &request.text, "varied")?;
    let swing = match request.swing.as_deref().map(str::trim) {
        None | Some("") => DEFAULT_SWING,
        Some(t) => t
            .parse::<Decimal>()
            .ok()
            .filter(|d| *d > Decimal::ZERO && *d <= Decimal::ONE)
            .ok_or_else(|| {
                IpcError::new(
                    ErrorKind::BadInput.code(),
                    format!(
                        "the swing `{t}` is not a fraction above 0 and at most 1\nhint: write e.g. 0.2 for ±20 %"
                    ),
                )
            })?,
    };
    let prices = prices.get();
    let r = whatif::sensitivity(&s, &prices.book, swing, &[])?;
    let chart = svg(&views::tornado(&r, CHART_SIZE.1))?;
    Ok(view::tornado(&r, chart))
}

/// The value of one field that keeps the scenario's total at or under a budget, or why none
/// does.
#[tauri::command]
pub async fn solve(
    request: SolveRequest,
    prices: State<'_, Prices>,
) -> Result<SolveView, IpcError> {
    let s = scenario_of(&request.label, &request.text, "solved")?;
    let max = view::dollars(&request.max_total).ok_or_else(|| {
        IpcError::new(
            ErrorKind::BadInput.code(),
            format!(
                "`{}` is not an amount of dollars\nhint: write the monthly budget, e.g. 50000",
                request.max_total.trim()
            ),
        )
    })?;
    let prices = prices.get();
    let r = whatif::solve(&s, &prices.book, &request.field, max, None)?;
    Ok(view::solve(&r))
}
