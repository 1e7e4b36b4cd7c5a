//! The Forecast view's command: the months ahead of the current tab's text, with its fan
//! chart. It only sequences `ladderwise_app::forecast` and the chart view the CLI draws with;
//! it runs off the main thread, since the Monte Carlo prices thousands of paths.

use ladderwise_app::editor::CHART_SIZE;
use ladderwise_app::{ErrorKind, export, forecast, views};
use tauri::State;

use crate::commands::Prices;
use crate::ipc::forecast::{ForecastRequest, ForecastView};
use crate::ipc::{IpcError, scenario_of};

/// The paths of the Forecast view's first answer to an edit: enough for the fan's shape, few
/// enough to redraw within a tenth of a second; the scenario's own count follows.
pub const PREVIEW_PATHS: u32 = 1_000;

#[tauri::command]
pub async fn forecast(
    request: ForecastRequest,
    prices: State<'_, Prices>,
) -> Result<ForecastView, IpcError> {
    let s = scenario_of(&request.label, &request.text, "forecast")?;
    let prices = prices.get();
    let preview = request.preview && s.forecast.paths > PREVIEW_PATHS;
    let f = forecast::run(
        &s,
        &prices.book,
        forecast::Request {
            months: request.months,
            paths: preview.then_some(PREVIEW_PATHS),
            ..Default::default()
        },
    )
    // `seasonality = "usage"` with no usage to fit points at its line in the tab, as the
    // CLI points at the file's.
    .map_err(|e| forecast::located_in(e, &request.label, &request.text))?;
    let svg = ladderwise_charts::render_svg(&views::forecast(&f), CHART_SIZE)
        .map_err(|e| IpcError::new(ErrorKind::Internal.code(), e.to_string()))?;
    Ok(ForecastView {
        forecast: export::forecast::value(&f),
        shown: crate::ipc::forecast::shown(&f),
        svg,
        preview,
    })
}
