//! The Forecast view's command: the months ahead of the current tab's text, with its fan
//! chart. It only sequences `ladderwise_app::forecast` and the chart view the CLI draws with;
//! it runs off the main thread, since the Monte Carlo prices thousands of paths.

use ladderwise_app::editor::CHART_SIZE;
use ladderwise_app::{ErrorKind, export, forecast, views};
use tauri::State;

use crate::commands::Prices;
use crate::ipc::forecast::{ForecastRequest, ForecastView};
use crate::ipc::{IpcError, scenario_of};

#[tauri::command]
pub async fn forecast(
    request: ForecastRequest,
    prices: State<'_, Prices>,
) -> Result<ForecastView, IpcError> {
    let s = scenario_of(&request.label, &request.text, "forecast")?;
    let prices = prices.get();
    let f = forecast::run(
        &s,
        &prices.book,
        forecast::Request {
            months: request.months,
            ..Default::default()
        },
    )?;
    let svg = ladderwise_charts::render_svg(&views::forecast(&f), CHART_SIZE)
        .map_err(|e| IpcError::new(ErrorKind::Internal.code(), e.to_string()))?;
    Ok(ForecastView {
        forecast: export::forecast::value(&f),
        svg,
    })
}
