//! The forecast use case, shared by the CLI, the report and the desktop app: what the pure
//! [`ladderwise_model::forecast::run`] needs from outside — today's month for a file that
//! leaves the start to today, the seasonal factors fitted from the usage store for
//! `seasonality = "usage"`, the cores to run the Monte Carlo on — and its outputs.

use std::path::Path;

use ladderwise_model::forecast::{self, Forecast, Options, Progress, fit_seasonality};
use ladderwise_model::pricebook::PriceBook;
use ladderwise_model::scenario::Scenario;
use ladderwise_model::scenario::forecast::{Seasonality, YearMonth};

use crate::{AppError, load_inputs};

/// What a person may override on the command line or in the app.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Request {
    pub months: Option<u32>,
    pub paths: Option<u32>,
    pub start: Option<YearMonth>,
}

/// The month after `unix_seconds` (UTC): a forecast made today starts with next month, the
/// first month a budget can still change.
pub fn month_after(unix_seconds: i64) -> YearMonth {
    let (year, month, _) =
        ladderwise_usage::calendar::civil_from_days(unix_seconds.div_euclid(86_400));
    let (year, month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    YearMonth {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month,
    }
}

fn next_month_from_clock() -> YearMonth {
    month_after(crate::unix_now())
}

/// The seasonal factors of the usage store's full months: CloudFront's delivered bytes, the
/// closest the store comes to watch minutes, scaled to whole months.
pub fn usage_factors() -> Result<Option<[rust_decimal::Decimal; 12]>, AppError> {
    let months = crate::usage::months()?;
    let points: Vec<(YearMonth, f64)> = months
        .iter()
        .filter(|m| m.days_with_data > 0)
        .filter_map(|m| {
            let bytes = m.delivered_bytes.filter(|b| *b > 0.0)?;
            let ym = YearMonth::parse(&m.month)?;
            let per_day = bytes / f64::from(m.days_with_data);
            Some((ym, per_day * f64::from(m.days_in_month)))
        })
        .collect();
    Ok(fit_seasonality(&points))
}

/// Forecasts `scenario`: the file's `[forecast]`, overridden by `request`.
pub fn run(scenario: &Scenario, book: &PriceBook, request: Request) -> Result<Forecast, AppError> {
    run_watched(scenario, book, request, None)
}

/// [`run`], telling `progress` how many months of the Monte Carlo are priced.
pub fn run_watched(
    scenario: &Scenario,
    book: &PriceBook,
    request: Request,
    progress: Option<Progress>,
) -> Result<Forecast, AppError> {
    let usage_factors = match scenario.forecast.seasonality {
        Seasonality::FromUsage => usage_factors()?,
        _ => None,
    };
    let mut s = std::borrow::Cow::Borrowed(scenario);
    if let Some(start) = request.start {
        s.to_mut().forecast.start = Some(start);
    }
    let options = Options {
        default_start: Some(next_month_from_clock()),
        months: request.months,
        paths: request.paths,
        usage_factors,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        costs_budget: None,
        progress,
    };
    Ok(forecast::run(&s, book, &options)?)
}

/// Loads the scenario (or the embedded default) and the price book, then forecasts,
/// telling `progress` how far the Monte Carlo has come.
pub fn run_files(
    scenario: Option<&Path>,
    pricing: Option<&Path>,
    request: Request,
    progress: Option<Progress>,
) -> Result<(Scenario, Forecast), AppError> {
    let (s, book) = match (scenario, request.months) {
        // The growths are checked over the horizon asked for, not the file's: a shorter one
        // is not refused for a month it leaves out, and a longer one that takes a growth past
        // its field's bound points at the growth's line, as the file's own horizon would.
        (Some(path), Some(months)) => {
            let text = crate::read_scenario_text(path)?;
            let s = Scenario::from_toml_over(&path.display().to_string(), &text, months)?;
            (s, crate::load_book(pricing)?)
        }
        _ => load_inputs(scenario, pricing)?,
    };
    let f = run_watched(&s, &book, request, progress).map_err(|e| located(e, scenario))?;
    Ok((s, f))
}

/// A forecast's `seasonality = "usage"` with no usage to fit, pointed at the line and column
/// of the scenario file that asks for it, as a parse error is (the file asks for what the
/// store cannot give); every other error as it is. Every command that forecasts a file (the
/// forecast, the report, the fan chart) passes its errors through this.
pub fn located(e: AppError, scenario: Option<&Path>) -> AppError {
    match (e, scenario) {
        (e @ AppError::Forecast(forecast::ForecastError::NoUsageFactors), Some(path)) => {
            match crate::read_scenario_text(path) {
                Ok(text) => located_in(e, &path.display().to_string(), &text),
                Err(read) => read,
            }
        }
        (e, _) => e,
    }
}

/// [`located`] for a scenario already in memory (the app's tab): `file` names it in the
/// diagnostic, `text` is what the line and column count in.
pub fn located_in(e: AppError, file: &str, text: &str) -> AppError {
    match e {
        AppError::Forecast(e @ forecast::ForecastError::NoUsageFactors) => {
            let said = e.to_string();
            let (message, hint) = match said.split_once("\nhint: ") {
                Some((m, h)) => (m.to_string(), Some(h.to_string())),
                None => (said, None),
            };
            AppError::Scenario(Scenario::problem_at(
                file,
                text,
                "forecast.seasonality",
                message,
                hint,
            ))
        }
        e => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_after_a_day_is_next_calendar_month() {
        // 2026-11-30T04:52:43Z
        assert_eq!(month_after(1_796_014_363).to_string(), "2026-12");
        // 2026-12-31T23:59:59Z
        assert_eq!(month_after(1_798_761_599).to_string(), "2027-01");
        // 2024-02-29T12:00:00Z
        assert_eq!(month_after(1_709_208_000).to_string(), "2024-03");
        assert_eq!(month_after(0).to_string(), "1970-02");
    }

    #[test]
    fn a_tab_asking_for_usage_seasonality_without_usage_is_told_its_line() {
        let text = crate::DEFAULT_SCENARIO.replacen(
            "seasonality = [",
            "seasonality = \"usage\"\n# was [",
            1,
        );
        let line = 1 + text
            .lines()
            .position(|l| l.starts_with("seasonality"))
            .unwrap();
        let e = located_in(
            AppError::Forecast(forecast::ForecastError::NoUsageFactors),
            "Untitled 1",
            &text,
        );
        let AppError::Scenario(errors) = e else {
            panic!("not a scenario error: {e:?}")
        };
        let [d] = &errors.diagnostics[..] else {
            panic!("{errors:?}")
        };
        assert_eq!((d.line, d.column), (line, 15), "{errors}");
        assert_eq!(d.field, "forecast.seasonality");
        assert!(d.hint.is_some(), "{errors}");
        assert!(
            errors
                .to_string()
                .contains(&format!("--> Untitled 1:{line}:15")),
            "{errors}"
        );
        // Any other error passes through as it was.
        let other = located_in(
            AppError::Forecast(forecast::ForecastError::NoStart),
            "x",
            &text,
        );
        assert!(
            matches!(other, AppError::Forecast(forecast::ForecastError::NoStart)),
            "{other:?}"
        );
    }
}
