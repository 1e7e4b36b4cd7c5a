//! The self-contained HTML report: every chart inline as SVG, the priced table, capacity, unit
//! economics, the cost per rung, assumptions, and the price snapshot's date and provenance
//! warnings. No scripts, no network: it reads the same from a USB stick as from a server.

use std::fmt::Write;

use ladderwise_model::engine::{Estimate, LineStatus, Stage};
use ladderwise_model::pricebook::{PriceBook, Provenance};
use ladderwise_model::scenario::Scenario;
use ladderwise_model::units::{Usd, format_nonzero, format_quantity};

/// The charts of the report, each `(title, svg)`.
pub type ChartSvgs = Vec<(String, String)>;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = r#"
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1240px; color: #1b1b1b; line-height: 1.4; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.4rem; border-bottom: 2px solid #0072b2; padding-bottom: 0.2rem; }
.meta { color: #555; }
.total { font-size: 2rem; font-weight: bold; margin: 1rem 0 0.2rem; }
.incomplete { color: #d55e00; font-weight: bold; }
.warn { background: #fff4e0; border-left: 4px solid #e69f00; padding: 0.6rem 1rem; margin: 1rem 0; }
.warn li { margin: 0.2rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.6rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
th { background: #f2f6fa; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.forecast { font-size: 0.8rem; }
.wide { overflow-x: auto; }
table.forecast td:first-child { white-space: nowrap; }
tr.service td { font-weight: bold; background: #fafafa; }
tr.tier td { color: #555; font-size: 0.82rem; border-bottom: none; }
.status-unverified { color: #d55e00; font-weight: bold; }
.status-unpriced { color: #d55e00; font-weight: bold; }
figure { margin: 1.4rem 0; } figure svg { width: 100%; height: auto; border: 1px solid #e5e5e5; }
figcaption { color: #555; font-size: 0.9rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 0.8rem; }
.kpi { background: #f2f6fa; padding: 0.6rem 0.8rem; border-radius: 4px; }
.kpi b { display: block; font-size: 1.3rem; }
"#;

/// The sensitivity of the scenario and its tornado chart (SVG).
pub type SensitivitySection<'a> = (&'a crate::whatif::SensitivityReport, &'a str);

/// A forecast of the scenario and its fan chart (SVG).
pub type ForecastSection<'a> = (&'a ladderwise_model::forecast::Forecast, &'a str);

pub fn html(
    s: &Scenario,
    e: &Estimate,
    book: &PriceBook,
    charts: &ChartSvgs,
    sensitivity: Option<SensitivitySection>,
    forecast: Option<ForecastSection>,
) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — Ladderwise report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&e.scenario)
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&e.scenario));
    let _ = writeln!(
        o,
        "<p class=\"meta\">Monthly cost and capacity plan for AWS Region {}, first month of the plan. Prices: snapshot <b>{}</b>, created {} ({}).</p>",
        esc(&e.region),
        esc(&e.snapshot.id),
        esc(&e.snapshot.created),
        if e.snapshot.origin == "shipped" {
            "shipped with Ladderwise".to_string()
        } else {
            format!("read from {}", esc(&e.snapshot.origin))
        }
    );
    let _ = writeln!(
        o,
        "<div class=\"total\">{} per month</div>",
        e.total.at_least(!e.complete)
    );
    if !e.complete {
        let _ = writeln!(
            o,
            "<p class=\"incomplete\">Incomplete: {} line(s) have no price and are not in this total.</p>",
            e.unpriced().count()
        );
    }
    kpis(&mut o, e);
    if !e.warnings.is_empty() {
        let _ = writeln!(
            o,
            "<div class=\"warn\"><b>Read before relying on these numbers</b><ul>"
        );
        for w in &e.warnings {
            let _ = writeln!(o, "<li>{}</li>", esc(w));
        }
        let _ = writeln!(o, "</ul></div>");
    }

    let _ = writeln!(o, "<h2>Charts</h2>");
    for (title, svg) in charts {
        let _ = writeln!(
            o,
            "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
            esc(title)
        );
    }

    if let Some(section) = forecast {
        forecast_section(&mut o, section);
    }
    if let Some(section) = sensitivity {
        sensitivity_section(&mut o, section);
    }
    priced_table(&mut o, e);
    capacity(&mut o, e);
    rungs(&mut o, e);
    per_title(&mut o, e);
    assumptions(&mut o, s);
    provenance(&mut o, e, book);
    let _ = writeln!(
        o,
        "<p class=\"meta\">Made by Ladderwise. Every figure above comes from the scenario and the price snapshot named at the top; the CSV files beside this page hold the same numbers unrounded.</p>\n</body>\n</html>"
    );
    o
}

fn forecast_section(o: &mut String, (f, svg): ForecastSection) {
    use crate::export::forecast::service_cost;
    let n = f.months.len() as u32;
    let last = f.months.last().map_or(f.start, |m| m.month);
    let _ = writeln!(o, "<h2>Forecast</h2>");
    let how = esc(&crate::export::forecast::how_percentiles(f));
    let _ = writeln!(
        o,
        "<p>{} to {} ({n} months), each month priced line by line as the drivers grow and the library ages through the lifecycle; {how}. Over the horizon: <b>{}</b> deterministic, {} as the sum of the monthly P50s.</p>",
        f.start,
        last,
        esc(&crate::export::forecast::horizon_amount(
            f,
            f.total_between(1, n)
        )),
        esc(&crate::export::forecast::horizon_amount(
            f,
            f.p50_between(1, n)
        ))
    );
    if let Some(line) = crate::export::forecast::budget_summary(f) {
        let _ = writeln!(o, "<p>{}</p>", esc(&line));
    }
    let _ = writeln!(
        o,
        "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
        esc(
            "The months ahead: P10 to P90 of the total, its P50, the deterministic path by service, and the budget."
        )
    );
    let currency = f.currency.as_ref();
    let _ = write!(
        o,
        "<div class=\"wide\"><table class=\"forecast\">\n<tr><th>month</th><th class=\"num\">P10</th><th class=\"num\">P50</th><th class=\"num\">P90</th><th class=\"num\">deterministic</th>"
    );
    for s in &f.services {
        let _ = write!(
            o,
            "<th class=\"num\" title=\"{}\">{}</th>",
            esc(s.name()),
            esc(s.short_name())
        );
    }
    if let Some(c) = currency {
        let _ = write!(o, "<th class=\"num\">P50 ({})</th>", esc(&c.code));
    }
    let _ = writeln!(o, "<th>events</th></tr>");
    for m in &f.months {
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            m.month,
            esc(&crate::export::forecast::month_amount(m, m.total.p10)),
            esc(&crate::export::forecast::month_amount(m, m.total.p50)),
            esc(&crate::export::forecast::month_amount(m, m.total.p90)),
            m.estimate.total.plus_unpriced(!m.estimate.complete)
        );
        for s in &f.services {
            let _ = write!(
                o,
                "<td class=\"num\">{}</td>",
                service_cost(&m.estimate, *s).at_least(m.estimate.service_unpriced(*s))
            );
        }
        if let Some(c) = currency {
            let _ = write!(
                o,
                "<td class=\"num\">{}</td>",
                esc(&crate::export::forecast::month_amount_in(m, m.total.p50, c))
            );
        }
        let _ = writeln!(o, "<td>{}</td></tr>", esc(&m.events.join("; ")));
    }
    // Many services make the table wider than the page: it scrolls on its own.
    let _ = writeln!(o, "</table></div>");
    if let Some(c) = currency {
        let _ = writeln!(
            o,
            "<p class=\"meta\">{} at {} per US dollar, the rate of {} ({}), as the scenario states it; Ladderwise looks up no rates.</p>",
            esc(&c.code),
            format_quantity(c.per_usd, 6),
            esc(&c.rate_date),
            esc(&c.source)
        );
    }
    if !f.notes.is_empty() {
        let _ = writeln!(o, "<ul>");
        for n in &f.notes {
            let _ = writeln!(o, "<li>{}</li>", esc(n));
        }
        let _ = writeln!(o, "</ul>");
    }
}

fn sensitivity_section(o: &mut String, (r, svg): SensitivitySection) {
    let s = &r.sensitivity;
    let percent = format_quantity(s.swing * rust_decimal::Decimal::ONE_HUNDRED, 2);
    let _ = writeln!(o, "<h2>Sensitivity</h2>");
    let _ = writeln!(
        o,
        "<p>Each input moved alone by ±{percent} % of its value (clamped to what its field allows), every other input held, and the month priced at both ends. Largest swing first; the total is {} as the scenario stands.</p>",
        // A total that leaves unpriced lines out is a lower bound (`unpriced` when nothing
        // has a price), as the headline writes it; so are the totals at each end.
        s.base_total.at_least(!s.complete)
    );
    let _ = writeln!(
        o,
        "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
        esc("The inputs that move the monthly total most, each at its low and its high value.")
    );
    let _ = writeln!(
        o,
        "<div class=\"wide\"><table>\n<tr><th>input</th><th>field</th><th class=\"num\">value</th><th class=\"num\">low</th><th class=\"num\">total at low</th><th class=\"num\">high</th><th class=\"num\">total at high</th><th class=\"num\">swing</th><th>note</th></tr>"
    );
    for b in &s.bars {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&b.label),
            esc(&b.path),
            format_quantity(b.base, 6),
            format_quantity(b.low, 6),
            b.low_total.at_least(!s.complete),
            format_quantity(b.high, 6),
            b.high_total.at_least(!s.complete),
            b.swing_text(),
            esc(&b.clamped.join("; "))
        );
    }
    let _ = writeln!(o, "</table></div>");
    if !s.not_varied.is_empty() {
        let _ = writeln!(o, "<p>Not varied:</p>\n<ul>");
        for (reason, inputs) in s.not_varied_by_reason() {
            let paths: Vec<String> = inputs
                .iter()
                .map(|n| format!("<code title=\"{}\">{}</code>", esc(&n.label), esc(&n.path)))
                .collect();
            let _ = writeln!(o, "<li>{}: {}</li>", esc(reason), paths.join(", "));
        }
        let _ = writeln!(o, "</ul>");
    }
}

fn kpis(o: &mut String, e: &Estimate) {
    let u = &e.unit_economics;
    let c = &e.capacity;
    let money = |v| crate::export::unit_cost(e, v);
    let _ = writeln!(o, "<div class=\"kpis\">");
    for (label, value) in [
        ("per viewer-hour", money(u.usd_per_viewer_hour)),
        ("per title ingested", money(u.usd_per_title)),
        ("per delivered GB", money(u.usd_per_delivered_gb)),
        (
            "peak egress",
            format!("{} Gbps", format_nonzero(c.peak_egress_gbps, 2)),
        ),
        (
            "stored at month end",
            format!("{} TB", format_nonzero(c.stored_tb_total, 2)),
        ),
        (
            "delivered",
            format!("{} GB", format_quantity(u.delivered_gb, 0)),
        ),
    ] {
        let _ = writeln!(
            o,
            "<div class=\"kpi\"><b>{}</b>{}</div>",
            esc(&value),
            label
        );
    }
    let _ = writeln!(o, "</div>");
}

fn priced_table(o: &mut String, e: &Estimate) {
    let _ = writeln!(o, "<h2>Priced lines</h2>");
    let _ = writeln!(
        o,
        "<table>\n<tr><th>line</th><th>usage type / SKU</th><th class=\"num\">quantity</th><th>unit</th><th class=\"num\">cost</th><th>price</th></tr>"
    );
    for service in e.services() {
        let lines: Vec<_> = e.lines.iter().filter(|l| l.service == service).collect();
        // A service with an unpriced line has no known subtotal: never `$0.00`.
        let subtotal = e
            .service_total(service)
            .at_least(e.service_unpriced(service));
        let _ = writeln!(
            o,
            "<tr class=\"service\"><td colspan=\"4\">{}</td><td class=\"num\">{subtotal}</td><td></td></tr>",
            esc(service.name())
        );
        for l in lines {
            let (cost, status_class) = match l.cost {
                Some(c) => (c.to_string(), format!("status-{}", l.price_status.as_str())),
                None => ("unpriced".to_string(), "status-unpriced".to_string()),
            };
            let sku = l
                .sku
                .as_deref()
                .map_or(String::new(), |s| format!("<br>{}", esc(s)));
            let note = l
                .note
                .as_deref()
                .map_or(String::new(), |n| format!("<br><small>{}</small>", esc(n)));
            let _ = writeln!(
                o,
                "<tr><td>{}{note}</td><td>{}{sku}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{cost}</td><td class=\"{status_class}\">{}</td></tr>",
                esc(&l.description),
                esc(&l.usage_type),
                format_quantity(l.quantity, 3),
                esc(&l.unit),
                l.price_status.as_str()
            );
            if l.shows_tiers() {
                for t in &l.tiers {
                    let range = t.range_text();
                    let _ = writeln!(
                        o,
                        "<tr class=\"tier\"><td>&nbsp;&nbsp;{} {range}</td><td></td><td class=\"num\">{}</td><td>× ${}</td><td class=\"num\">{}</td><td></td></tr>",
                        if t.is_free_tier() { &*t.label } else { "tier" },
                        format_quantity(t.quantity, 3),
                        t.usd_per_unit.normalize(),
                        t.cost
                    );
                }
            }
        }
    }
    let _ = writeln!(
        o,
        "<tr class=\"service\"><td colspan=\"4\">Total{}</td><td class=\"num\">{}</td><td></td></tr>\n</table>",
        if e.complete {
            ""
        } else {
            " (incomplete: unpriced lines excluded)"
        },
        e.total.at_least(!e.complete)
    );
    let _ = writeln!(
        o,
        "<table><tr><th>stage</th><th class=\"num\">cost per month</th></tr>"
    );
    for stage in Stage::ALL {
        if e.lines.iter().any(|l| l.stage == stage) {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                stage.label(),
                e.stage_total(stage).at_least(e.stage_unpriced(stage))
            );
        }
    }
    let _ = writeln!(o, "</table>");
}

fn capacity(o: &mut String, e: &Estimate) {
    let c = &e.capacity;
    let _ = writeln!(o, "<h2>Capacity</h2>\n<table>");
    let mut rows = vec![
        (
            "Egress at peak",
            format!(
                "{} Gbps ({} Gbps average × peak-to-average)",
                format_nonzero(c.peak_egress_gbps, 2),
                format_nonzero(c.avg_egress_gbps, 2)
            ),
        ),
        (
            "Average delivered bitrate",
            format!(
                "{} kbps per viewer (rung mix)",
                format_quantity(c.avg_delivered_kbps, 0)
            ),
        ),
        (
            "Requests at peak",
            format!(
                "{} per second",
                format_nonzero(c.peak_requests_per_second, 0)
            ),
        ),
        (
            "Concurrent viewers",
            format!(
                "{} at peak, {} on average",
                format_nonzero(c.peak_concurrent_viewers, 0),
                format_nonzero(c.avg_concurrent_viewers, 0)
            ),
        ),
        (
            "Stored at month end",
            format!(
                "{} TB in {} objects",
                format_nonzero(c.stored_tb_total, 2),
                format_quantity(c.stored_objects, 0)
            ),
        ),
        (
            "Transcode",
            format!(
                "{} output minutes a month, {} titles",
                format_quantity(c.transcode_output_minutes, 0),
                format_quantity(c.titles_per_month, 0)
            ),
        ),
    ];
    for (class, tb) in &c.stored_tb {
        rows.push((
            "  stored in",
            format!("{}: {} TB", class.label(), format_nonzero(*tb, 2)),
        ));
    }
    if let Some(n) = c.normalized_minutes {
        rows.push(("MediaConvert normalized minutes", format_quantity(n, 0)));
    }
    if let (Some(slots), Some((low, high))) = (c.reserved_slots_needed, c.reserved_slots_range) {
        rows.push((
            "Reserved slots that keep up",
            format!(
                "{} at the scenario's job speed; {} to {} over its range (one job per slot)",
                format_quantity(slots, 0),
                format_quantity(low, 0),
                format_quantity(high, 0)
            ),
        ));
    }
    if let Some(r) = &c.reserved_vs_on_demand {
        rows.push(("Reserved slots against on demand", r.summary()));
    }
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(&v));
    }
    let _ = writeln!(o, "</table>");
}

fn rungs(o: &mut String, e: &Estimate) {
    let _ = writeln!(
        o,
        "<h2>Cost per rung</h2>\n<table>\n<tr><th>rung</th><th class=\"num\">output minutes</th><th class=\"num\">stored GB</th><th class=\"num\">delivered GB</th><th class=\"num\">transcode</th><th class=\"num\">storage</th><th class=\"num\">delivery</th><th class=\"num\">total</th></tr>"
    );
    for r in &e.rungs {
        let [
            minutes,
            stored,
            delivered,
            transcode,
            storage,
            delivery,
            total,
        ] = crate::views::rung_figures(r);
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{minutes}</td><td class=\"num\">{stored}</td><td class=\"num\">{delivered}</td><td class=\"num\">{transcode}</td><td class=\"num\">{storage}</td><td class=\"num\">{delivery}</td><td class=\"num\">{total}</td></tr>",
            esc(&r.rung),
        );
    }
    let _ = writeln!(o, "</table>");
    let _ = writeln!(
        o,
        "<p class=\"meta\">In this table, {}.</p>",
        esc(ladderwise_model::engine::RungCost::NOTE)
    );
}

/// What each step of the pipeline costs per title of the month; four decimals, as cents
/// would round most steps to nothing.
fn per_title(o: &mut String, e: &Estimate) {
    let _ = writeln!(
        o,
        "<h2>Cost per title by stage</h2>\n<p class=\"meta\">{} titles this month; {}.</p>\n<table>\n<tr><th>stage</th><th class=\"num\">cost per month</th><th class=\"num\">per title</th></tr>",
        format_quantity(e.capacity.titles_per_month, 0),
        esc(ladderwise_model::engine::PipelineStage::NOTE)
    );
    for row in e.per_title_by_stage() {
        let (per_month, per_title) = crate::views::stage_cost_cells(&row);
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            row.stage.label(),
            per_month,
            per_title.unwrap_or_else(|| "—".into())
        );
    }
    let _ = writeln!(o, "</table>");
}

/// How requests are counted, in the scenario's own numbers (`engine::drivers`).
fn requests_assumption(s: &Scenario) -> String {
    use ladderwise_model::engine::drivers::{playlists_per_impression, playlists_per_session};
    let a = &s.audience;
    let tracks = s.ladder.tracks();
    let impressions = if a.impressions_per_session.is_zero() {
        String::new()
    } else {
        format!(
            "; each of the {} preloaded impressions per session {} more",
            format_quantity(a.impressions_per_session, 2),
            format_quantity(playlists_per_impression(s), 2)
        )
    };
    let tracks = if tracks == rust_decimal::Decimal::ONE {
        "video with its audio"
    } else {
        "video and separate audio, each"
    };
    format!(
        "Requests: one per {}-second segment fetched ({tracks}), watched, buffered ahead or preloaded; {} playlist requests per session (the multivariant playlist, a media playlist per track, one per rung switch){impressions}.",
        s.ladder.segment_seconds.normalize(),
        format_quantity(playlists_per_session(s), 2),
    )
}

fn assumptions(o: &mut String, s: &Scenario) {
    let _ = writeln!(o, "<h2>Assumptions</h2>\n<ul>");
    let items = [
        format!(
            "Content: {} minutes a month in titles of {} minutes; {} minutes already stored.",
            format_quantity(s.content.new_minutes_per_month.0, 0),
            s.content.avg_title_minutes.0.normalize(),
            format_quantity(s.content.library_minutes.0, 0)
        ),
        format!(
            "Audience: {} minutes watched a month; peak-to-average {}; sessions of {} minutes.",
            format_quantity(s.audience.watch_minutes_per_month.0, 0),
            s.audience.peak_to_average.normalize(),
            s.audience.avg_view_minutes.0.normalize()
        ),
        "Sizes: bytes = bitrate ÷ 8 × seconds (plus the packaging overhead); a billed GB is 2^30 bytes, as AWS bills it.".to_string(),
        "Egress uses the rung mix: the average delivered bitrate is weighted by each rung's share of watch time.".to_string(),
        requests_assumption(s),
        "Storage: the library is taken to have been built at the current ingest rate; uploads arrive evenly through the month.".to_string(),
        "Free tiers every account gets are applied when the scenario says so; they come off before the tiers are walked.".to_string(),
        "Capacity rates use the 730-hour month.".to_string(),
    ];
    for i in items {
        let _ = writeln!(o, "<li>{}</li>", esc(&i));
    }
    let _ = writeln!(o, "</ul>");
}

fn provenance(o: &mut String, e: &Estimate, book: &PriceBook) {
    let _ = writeln!(
        o,
        "<h2>Where the prices come from</h2>\n<p>Snapshot {} ({}) — {}</p>\n<table><tr><th>status</th><th class=\"num\">lines</th><th class=\"num\">cost</th></tr>",
        esc(&book.snapshot.id),
        esc(&book.snapshot.created),
        esc(&book.snapshot.description)
    );
    for status in [
        LineStatus::PriceList,
        LineStatus::AwsPage,
        LineStatus::ThirdParty,
        LineStatus::Unverified,
        LineStatus::Unpriced,
    ] {
        let lines: Vec<_> = e
            .lines
            .iter()
            .filter(|l| l.price_status == status)
            .collect();
        if lines.is_empty() {
            continue;
        }
        let cost: Usd = lines.iter().filter_map(|l| l.cost).sum();
        let cost = cost.at_least(status == LineStatus::Unpriced);
        let _ = writeln!(
            o,
            "<tr><td class=\"status-{}\">{}</td><td class=\"num\">{}</td><td class=\"num\">{cost}</td></tr>",
            status.as_str(),
            status.as_str(),
            lines.len()
        );
    }
    let _ = writeln!(
        o,
        "</table>\n<table><tr><th>source</th><th>what it is</th></tr>"
    );
    // Every source a priced band of a line came from, not only the record's own: MediaConvert's
    // first band is on an AWS page, its later bands elsewhere.
    let mut used: Vec<&str> = e
        .lines
        .iter()
        .filter_map(|l| l.provenance.as_deref())
        .flat_map(Provenance::sources)
        .collect();
    used.sort();
    used.dedup();
    for id in used {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(id),
            esc(book.source_text(id))
        );
    }
    let _ = writeln!(o, "</table>");
}
