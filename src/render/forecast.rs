//! The forecast as a terminal table: one row per month with the P10/P50/P90 of the total,
//! the deterministic path's total and its services, then the horizon's sums, the budget
//! crossings and how the forecast was made.

use std::fmt::Write;

use ladderwise_app::export::forecast::{self, service_cost};
use ladderwise_model::forecast::Forecast;
use ladderwise_model::units::format_quantity;

pub fn table(f: &Forecast) -> String {
    let mut out = String::new();
    let o = &mut out;
    let last = f.months.last().map_or(f.start, |m| m.month);
    let _ = writeln!(
        o,
        "Ladderwise forecast: {} ({}), {} to {} ({})",
        f.scenario,
        f.region,
        f.start,
        last,
        months_text(f.months.len())
    );
    let _ = writeln!(
        o,
        "Prices: snapshot {} (created {}); money in US dollars",
        f.snapshot.id, f.snapshot.created
    );
    let _ = writeln!(o, "{}", capitalised(&forecast::how_percentiles(f)));
    let _ = writeln!(o);

    let mut heads: Vec<String> = ["month", "P10", "P50", "P90", "deterministic"]
        .map(String::from)
        .to_vec();
    heads.extend(f.services.iter().map(|s| s.short_name().to_string()));
    let rows: Vec<Vec<String>> =
        f.months
            .iter()
            .map(|m| {
                let low = |v| forecast::month_amount(m, v);
                let mut r = vec![
                    m.month.to_string(),
                    low(m.total.p10),
                    low(m.total.p50),
                    low(m.total.p90),
                    forecast::deterministic_amount(m),
                ];
                r.extend(f.services.iter().map(|s| {
                    service_cost(&m.estimate, *s).at_least(m.estimate.service_unpriced(*s))
                }));
                r
            })
            .collect();
    let lines = super::table::columns(&heads, &rows, &[], super::table::Align::Left);
    let _ = writeln!(o, "{}", lines[0]);
    let _ = writeln!(o, "{}", "-".repeat(super::table::width(&lines[0])));
    for (m, line) in f.months.iter().zip(&lines[1..]) {
        let over = m.over_budget.then_some("  over budget (P50)");
        let _ = writeln!(o, "{line}{}", over.unwrap_or(""));
        for e in &m.events {
            let _ = writeln!(o, "  ↳ {e}");
        }
    }
    let _ = writeln!(o);
    let n = f.months.len() as u32;
    if n > 12 {
        let _ = writeln!(
            o,
            "First 12 months: {} deterministic, {} as the sum of the monthly P50s",
            forecast::horizon_amount(f, f.total_between(1, 12)),
            forecast::horizon_amount(f, f.p50_between(1, 12))
        );
    }
    let _ = writeln!(
        o,
        "Over {}: {} deterministic, {} as the sum of the monthly P50s",
        months_text(n as usize),
        forecast::horizon_amount(f, f.total_between(1, n)),
        forecast::horizon_amount(f, f.p50_between(1, n))
    );
    if let Some(c) = &f.currency {
        let _ = writeln!(
            o,
            "In {}: {} (P50 sum), at {} {} per USD ({}, {})",
            c.code,
            forecast::horizon_amount_in(f, f.p50_between(1, n), c),
            format_quantity(c.per_usd, 6),
            c.code,
            c.rate_date,
            c.source
        );
    }
    if let Some(line) = ladderwise_app::export::forecast::budget_summary(f) {
        let _ = writeln!(o, "{line}");
    }
    for note in &f.notes {
        let _ = writeln!(o, "note: {note}");
    }
    let incomplete = f.months.iter().filter(|m| !m.estimate.complete).count();
    if incomplete > 0 {
        let _ = writeln!(
            o,
            "INCOMPLETE: {incomplete} month(s) have lines with no price; their totals leave them out"
        );
    }
    out
}

/// `text` with its first letter a capital, to begin a line.
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `1 month`, `24 months`.
fn months_text(n: usize) -> String {
    if n == 1 {
        "1 month".into()
    } else {
        format!("{n} months")
    }
}
