//! What crosses the bridge for the Forecast view: the forecast in the JSON contract of
//! `ladderwise forecast --format json` (money as decimal strings, computed in Rust) and the
//! fan chart `ladderwise chart forecast` draws.

use ladderwise_app::export::forecast::ForecastJson;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use ts_rs::TS;

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct ForecastRequest {
    pub label: String,
    pub text: String,
    /// Months instead of the file's `months`.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub months: Option<u32>,
    /// A quick first answer while typing: at most [`crate::forecast::PREVIEW_PATHS`] Monte
    /// Carlo paths; the view then asks again without it.
    #[serde(default)]
    pub preview: bool,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ForecastView {
    pub forecast: ForecastJson,
    pub svg: String,
    /// Fewer paths were run than the scenario asks for (a preview): the full answer follows.
    pub preview: bool,
}
