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
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ForecastView {
    pub forecast: ForecastJson,
    pub svg: String,
}
