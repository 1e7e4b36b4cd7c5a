//! What crosses the bridge for the Forecast view: the forecast in the JSON contract of
//! `ladderwise forecast --format json` (money as decimal strings, computed in Rust) and the
//! fan chart `ladderwise chart forecast` draws.

use ladderwise_app::export::forecast::{self, ForecastJson};
use ladderwise_model::forecast::Forecast;
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
    /// Its amounts in the words of `ladderwise forecast`'s table.
    pub shown: ForecastShown,
    pub svg: String,
    /// Fewer paths were run than the scenario asks for (a preview): the full answer follows.
    pub preview: bool,
}

/// A forecast's amounts as `ladderwise forecast` prints them: a month's percentile that
/// leaves unpriced lines out is a lower bound (`≥$x`), its deterministic total and the
/// horizon's sums say `+ unpriced`.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ForecastShown {
    /// The deterministic path over the horizon.
    pub total: String,
    /// The sum of the monthly P50s.
    pub total_p50: String,
    /// In the order of the forecast's months.
    pub months: Vec<MonthShown>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct MonthShown {
    pub p10: String,
    pub p50: String,
    pub p90: String,
    pub deterministic: String,
    /// The P50 in the reporting currency, when the scenario has one.
    pub p50_in_currency: Option<String>,
}

pub fn shown(f: &Forecast) -> ForecastShown {
    let n = u32::try_from(f.months.len()).unwrap_or(u32::MAX);
    ForecastShown {
        total: forecast::horizon_amount(f, f.total_between(1, n)),
        total_p50: forecast::horizon_amount(f, f.p50_between(1, n)),
        months: f
            .months
            .iter()
            .map(|m| MonthShown {
                p10: forecast::month_amount(m, m.total.p10),
                p50: forecast::month_amount(m, m.total.p50),
                p90: forecast::month_amount(m, m.total.p90),
                deterministic: forecast::deterministic_amount(m),
                p50_in_currency: f
                    .currency
                    .as_ref()
                    .map(|c| forecast::month_amount_in(m, m.total.p50, c)),
            })
            .collect(),
    }
}
