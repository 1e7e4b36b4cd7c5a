//! Twelve monthly factors fitted from the months of the usage store, for
//! `seasonality = "usage"`.
//!
//! A multiplicative seasonal model with an exponential trend (Hyndman & Athanasopoulos,
//! *Forecasting: Principles and Practice*, §7.4, "seasonal dummy variables", fitted on the
//! logarithm): `ln v = trend·t + level[calendar month]` by least squares. The twelve levels,
//! detrended, are scaled so that they average 1 — a factor then moves watch minutes between
//! months without changing a year's total.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::scenario::forecast::YearMonth;

/// The fewest months a fit takes: one of each calendar month.
pub const MIN_MONTHS: usize = 12;

/// Factors for January to December from monthly values (`(month, value)`: delivered bytes
/// or watch minutes, scaled to whole months), or `None` when there are fewer than
/// [`MIN_MONTHS`] positive values or a calendar month is missing.
pub fn fit_seasonality(months: &[(YearMonth, f64)]) -> Option<[Decimal; 12]> {
    // (month number, calendar month index, ln value)
    let points: Vec<(f64, usize, f64)> = months
        .iter()
        .filter(|(m, v)| v.is_finite() && *v > 0.0 && (1..=12).contains(&m.month))
        .map(|(m, v)| {
            (
                f64::from(m.year) * 12.0 + f64::from(m.month),
                m.month as usize - 1,
                v.ln(),
            )
        })
        .collect();
    if points.len() < MIN_MONTHS {
        return None;
    }
    let mut count = [0u32; 12];
    let mut mean_t = [0.0f64; 12];
    let mut mean_y = [0.0f64; 12];
    for (t, m, y) in &points {
        count[*m] += 1;
        mean_t[*m] += t;
        mean_y[*m] += y;
    }
    if count.contains(&0) {
        return None;
    }
    for m in 0..12 {
        mean_t[m] /= f64::from(count[m]);
        mean_y[m] /= f64::from(count[m]);
    }
    // ln v = trend·t + season[month]: the least-squares trend with a level per calendar
    // month (the "within" estimator), which a seasonal peak cannot tilt. A year of data has
    // one point per month and no within-month spread; the trend then comes from a plain
    // line through the points.
    let within = |f: &dyn Fn(&(f64, usize, f64)) -> f64| points.iter().map(f).sum::<f64>();
    let sxx = within(&|p| (p.0 - mean_t[p.1]).powi(2));
    let slope = if sxx > 1e-9 {
        within(&|p| (p.0 - mean_t[p.1]) * (p.2 - mean_y[p.1])) / sxx
    } else {
        let n = points.len() as f64;
        let mt = points.iter().map(|p| p.0).sum::<f64>() / n;
        let my = points.iter().map(|p| p.2).sum::<f64>() / n;
        let sxx: f64 = points.iter().map(|p| (p.0 - mt).powi(2)).sum();
        let sxy: f64 = points.iter().map(|p| (p.0 - mt) * (p.2 - my)).sum();
        if sxx > 0.0 { sxy / sxx } else { 0.0 }
    };
    // Each month's level, detrended to a common time.
    let levels: Vec<f64> = (0..12)
        .map(|m| (mean_y[m] - slope * mean_t[m]).exp())
        .collect();
    let mean = levels.iter().sum::<f64>() / 12.0;
    let mut out = [Decimal::ONE; 12];
    for (o, l) in out.iter_mut().zip(levels) {
        // Four decimals: what a person would write in the file.
        *o = Decimal::from_f64(l / mean)?.round_dp(4);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn a_growing_series_with_a_december_peak_gives_that_peak_alone() {
        // 2 % growth a month, December 30 % above the trend, the rest on it.
        let mut months = Vec::new();
        for i in 0..24u32 {
            let m = ym(2024 + (i / 12) as i32, i % 12 + 1);
            let season = if m.month == 12 { 1.3 } else { 1.0 };
            months.push((m, 1e9 * 1.02f64.powi(i as i32) * season));
        }
        let f = fit_seasonality(&months).unwrap();
        let mean = 1.0 + 0.3 / 12.0;
        let dec = f[11].to_string().parse::<f64>().unwrap();
        let jan = f[0].to_string().parse::<f64>().unwrap();
        assert!((dec - 1.3 / mean).abs() < 0.01, "december {dec}");
        assert!((jan - 1.0 / mean).abs() < 0.01, "january {jan}");
    }

    #[test]
    fn eleven_months_or_a_missing_month_fit_nothing() {
        let eleven: Vec<_> = (1..=11).map(|m| (ym(2025, m), 1.0)).collect();
        assert_eq!(fit_seasonality(&eleven), None);
        let mut gap: Vec<_> = (1..=11).map(|m| (ym(2025, m), 1.0)).collect();
        gap.push((ym(2026, 1), 1.0));
        assert_eq!(fit_seasonality(&gap), None);
    }
}
