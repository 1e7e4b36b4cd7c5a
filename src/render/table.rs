//! The terminal table: reads like an AWS bill. Lines grouped by service with the service
//! subtotal, each line's quantity, usage type and tiers beneath it, then the total, capacity,
//! unit economics, the cost per title by stage, the cost per rung and every warning.

use std::fmt::Write;

use ladderwise_model::engine::{Estimate, LineItem, LineStatus, Stage};
use ladderwise_model::units::{format_nonzero, format_quantity};

pub(crate) const WIDTH: usize = 96;

pub fn render(e: &Estimate) -> String {
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(
        o,
        "Ladderwise estimate: {} ({}), first month of the plan",
        e.scenario, e.region
    );
    let _ = writeln!(
        o,
        "Prices: snapshot {} (created {}, {})",
        e.snapshot.id,
        e.snapshot.created,
        if e.snapshot.origin == "shipped" {
            "shipped with ladderwise".to_string()
        } else {
            format!("read from {}", e.snapshot.origin)
        }
    );
    let _ = writeln!(o);

    for service in e.services() {
        let lines: Vec<&LineItem> = e.lines.iter().filter(|l| l.service == service).collect();
        let subtotal = e.service_total(service);
        let amount = subtotal.plus_unpriced(lines.iter().any(|l| l.cost.is_none()));
        let _ = writeln!(o, "{}", spread(service.name(), &amount, WIDTH));
        for l in lines {
            line(o, l);
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "{}", "=".repeat(WIDTH));
    let total = if e.complete {
        e.total.to_string()
    } else {
        format!("{} + unpriced lines", e.total)
    };
    let _ = writeln!(o, "{}", spread("Total for the month", &total, WIDTH));
    if !e.complete {
        let n = e.unpriced().count();
        let _ = writeln!(
            o,
            "  INCOMPLETE: {n} line(s) have no price and are not in the total (see below)"
        );
    }
    let _ = writeln!(o, "{}", "=".repeat(WIDTH));
    let _ = writeln!(o);

    let _ = writeln!(o, "By stage");
    for stage in Stage::ALL {
        let cost = e.stage_total(stage);
        if e.lines.iter().any(|l| l.stage == stage) {
            let _ = writeln!(
                o,
                "{}",
                spread(
                    &format!("  {}", stage.label()),
                    &cost.at_least(e.stage_unpriced(stage)),
                    40
                )
            );
        }
    }
    let _ = writeln!(o);

    capacity(o, e);
    economics(o, e);
    per_title(o, e);
    rungs(o, e);

    if e.unpriced().next().is_some() {
        let _ = writeln!(o, "Unpriced lines");
        for l in e.unpriced() {
            let _ = writeln!(
                o,
                "  ! {}: {} ({} {}): {}",
                l.service.name(),
                l.description,
                format_quantity(l.quantity, 3),
                l.unit,
                l.note.as_deref().unwrap_or("no price")
            );
        }
        let _ = writeln!(o);
    }
    if !e.warnings.is_empty() {
        let _ = writeln!(o, "Warnings");
        for w in &e.warnings {
            let _ = writeln!(o, "  ! {w}");
        }
        let _ = writeln!(o);
    }
    out
}

fn line(o: &mut String, l: &LineItem) {
    let cost = match l.cost {
        Some(c) => format!("{c}  {}", status_tag(l.price_status)),
        None => "UNPRICED".to_string(),
    };
    let _ = writeln!(
        o,
        "{}",
        spread(&format!("  {}", l.description), &cost, WIDTH)
    );
    let sku = l
        .sku
        .as_deref()
        .map_or(String::new(), |s| format!(" · SKU {s}"));
    let _ = writeln!(
        o,
        "      {} {} · {}{sku}",
        format_quantity(l.quantity, 3),
        l.unit,
        l.usage_type
    );
    // Tiers are shown when there is more than one, or a free allowance was taken off.
    if l.shows_tiers() {
        for t in &l.tiers {
            let range = t.range_text();
            let label = if t.is_free_tier() {
                format!("{} {range}", t.label)
            } else {
                format!("tier {range}")
            };
            let _ = writeln!(
                o,
                "        {label}: {} × ${} = {}",
                format_quantity(t.quantity, 3),
                t.usd_per_unit.normalize(),
                t.cost
            );
        }
    } else if let Some(t) = l.tiers.first() {
        let _ = writeln!(
            o,
            "        at ${} per {}",
            t.usd_per_unit.normalize(),
            singular(&l.unit)
        );
    }
    if let Some(note) = &l.note {
        let _ = writeln!(o, "        note: {note}");
    }
}

/// The unit of one item, for "$0.005 per request"; Price List units are plural nouns.
fn singular(unit: &str) -> String {
    match unit {
        "Requests" => "request".into(),
        "minutes" | "Minutes" => "minute".into(),
        "Images" => "image".into(),
        "Units" => "unit (100 characters)".into(),
        "Slots" => "slot".into(),
        "Keys" => "key".into(),
        "Hours" => "hour".into(),
        "IU-Seconds" => "inference-unit second".into(),
        other => other.into(),
    }
}

fn status_tag(s: LineStatus) -> &'static str {
    match s {
        LineStatus::PriceList => "[price list]",
        LineStatus::AwsPage => "[aws page]  ",
        LineStatus::ThirdParty => "[3rd party] ",
        LineStatus::Unverified => "[UNVERIFIED]",
        LineStatus::Unpriced => "[unpriced]  ",
    }
}

fn capacity(o: &mut String, e: &Estimate) {
    let c = &e.capacity;
    let _ = writeln!(o, "Capacity");
    let _ = writeln!(
        o,
        "  Egress              {} Gbps at peak ({} Gbps average; {} kbps per viewer)",
        format_nonzero(c.peak_egress_gbps, 2),
        format_nonzero(c.avg_egress_gbps, 2),
        format_nonzero(c.avg_delivered_kbps, 0)
    );
    let _ = writeln!(
        o,
        "  Requests            {} per second at peak",
        format_nonzero(c.peak_requests_per_second, 0)
    );
    let _ = writeln!(
        o,
        "  Viewers             {} concurrent at peak ({} average)",
        format_nonzero(c.peak_concurrent_viewers, 0),
        format_nonzero(c.avg_concurrent_viewers, 0)
    );
    let classes: Vec<String> = c
        .stored_tb
        .iter()
        .map(|(class, tb)| format!("{} {} TB", class.label(), format_nonzero(*tb, 2)))
        .collect();
    let _ = writeln!(
        o,
        "  Stored              {} TB at month end, {} objects ({})",
        format_nonzero(c.stored_tb_total, 2),
        format_nonzero(c.stored_objects, 0),
        classes.join(", ")
    );
    let normalized = c.normalized_minutes.map_or(String::new(), |n| {
        format!(" ({} normalized)", format_quantity(n, 0))
    });
    let _ = writeln!(
        o,
        "  Transcode           {} output minutes a month{normalized}, {}",
        format_quantity(c.transcode_output_minutes, 0),
        titles_phrase(c.titles_per_month)
    );
    if let (Some(slots), Some((low, high))) = (c.reserved_slots_needed, c.reserved_slots_range) {
        let _ = writeln!(
            o,
            "  Reserved slots      {} {} up at the scenario's job speed ({} to {} over its range)",
            ladderwise_model::engine::transcode::slots_phrase(slots),
            if slots == rust_decimal::Decimal::ONE {
                "keeps"
            } else {
                "keep"
            },
            format_quantity(low, 0),
            format_quantity(high, 0)
        );
    }
    if let Some(r) = &c.reserved_vs_on_demand {
        let _ = writeln!(o, "                      {}", r.summary());
    }
    let _ = writeln!(o);
}

fn economics(o: &mut String, e: &Estimate) {
    let u = &e.unit_economics;
    let money = |v| ladderwise_app::export::unit_cost(e, v);
    let _ = writeln!(o, "Unit economics");
    let _ = writeln!(
        o,
        "  {} per viewer-hour · {} per title ingested · {} per delivered GB",
        money(u.usd_per_viewer_hour),
        money(u.usd_per_title),
        money(u.usd_per_delivered_gb)
    );
    let _ = writeln!(
        o,
        "  ({} viewer-hours, {} GB delivered)",
        format_nonzero(u.viewer_hours, 0),
        format_nonzero(u.delivered_gb, 0)
    );
    if !e.complete {
        let _ = writeln!(o, "  (at least: the total leaves out the unpriced lines)");
    }
    let _ = writeln!(o);
}

/// What each step of the pipeline costs per title, as the report shows it: four decimals,
/// since cents would round most steps to nothing.
fn per_title(o: &mut String, e: &Estimate) {
    let _ = writeln!(
        o,
        "Cost per title by stage ({} this month)",
        titles_phrase(e.capacity.titles_per_month)
    );
    let note = format!("({})", ladderwise_model::engine::PipelineStage::NOTE);
    for line in wrap(&note, WIDTH - 2) {
        let _ = writeln!(o, "  {line}");
    }
    let _ = writeln!(o, "  {:<12}{:>16}{:>14}", "stage", "per month", "per title");
    for row in e.per_title_by_stage() {
        let (per_month, per_title) = ladderwise_app::views::stage_cost_cells(&row);
        let _ = writeln!(
            o,
            "  {:<12}{:>16}{:>14}",
            row.stage.label(),
            per_month,
            per_title.unwrap_or_else(|| "n/a".into())
        );
    }
    let _ = writeln!(o);
}

fn rungs(o: &mut String, e: &Estimate) {
    let _ = writeln!(
        o,
        "Per rung (transcode, storage and delivery allocated to rungs)"
    );
    let heads = [
        "rung",
        "output min",
        "stored GB",
        "delivered GB",
        "transcode",
        "storage",
        "delivery",
    ]
    .map(String::from);
    // The table leaves the rung's total out: its three costs are beside each other.
    let rows: Vec<Vec<String>> = e
        .rungs
        .iter()
        .map(|r| {
            let figures = ladderwise_app::views::rung_figures(r);
            std::iter::once(truncate(&r.rung, 15))
                .chain(figures.into_iter().take(6))
                .collect()
        })
        .collect();
    for line in columns(&heads, &rows, &[16, 12, 10, 12, 11, 11, 11], Align::Left) {
        let _ = writeln!(o, "  {line}");
    }
    let note = format!("({})", ladderwise_model::engine::RungCost::NOTE);
    for line in wrap(&note, WIDTH - 2) {
        let _ = writeln!(o, "  {line}");
    }
    let _ = writeln!(o);
}

/// How [`columns`] aligns its first column (the others are flush right).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// A name: flush left.
    Left,
    /// A number: flush right, as the rest.
    Right,
}

/// Rows under their heads, the first column aligned as `first` says and the others flush
/// right, each at least its `least` width and as wide as its widest cell, two spaces apart:
/// a trillion never runs into its neighbour.
pub(crate) fn columns(
    heads: &[String],
    rows: &[Vec<String>],
    least: &[usize],
    first: Align,
) -> Vec<String> {
    let widths: Vec<usize> = (0..heads.len())
        .map(|c| {
            rows.iter()
                .map(|r| width(&r[c]))
                .chain([width(&heads[c])])
                .max()
                .unwrap_or(0)
                .max(least.get(c).copied().unwrap_or(0))
        })
        .collect();
    std::iter::once(heads)
        .chain(rows.iter().map(Vec::as_slice))
        .map(|cells| {
            cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| {
                    let pad = w.saturating_sub(width(c));
                    if i == 0 && first == Align::Left {
                        format!("{c}{}", " ".repeat(pad))
                    } else {
                        format!("{}{c}", " ".repeat(pad))
                    }
                })
                .collect::<Vec<_>>()
                .join("  ")
        })
        .collect()
}

/// The columns `s` takes on a terminal: a CJK character or an emoji takes two, so a table
/// with such a rung name still lines up.
pub(crate) fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `text` in lines of at most `columns` terminal columns, broken between words.
pub(crate) fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && width(&line) + 1 + width(word) > columns {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// `s` cut to at most `n` columns, with `…` where it was cut.
pub(crate) fn truncate(s: &str, n: usize) -> String {
    if width(s) <= n {
        return s.to_string();
    }
    let mut t = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > n {
            break;
        }
        t.push(c);
        used += w;
    }
    t.push('…');
    t
}

/// `left` and `right` on one line, `right` flush with `width`.
pub(crate) fn spread(left: &str, right: &str, columns: usize) -> String {
    let used = width(left) + width(right);
    if used + 2 > columns {
        let room = columns.saturating_sub(width(right) + 3);
        return format!("{} {right}", pad(&truncate(left, room.max(8)), room.max(8)));
    }
    format!("{left}{}{right}", " ".repeat(columns - used))
}

fn pad(s: &str, n: usize) -> String {
    let len = width(s);
    if len >= n {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(n - len))
    }
}

/// A sweep as a terminal table: the varied fields, the total and each service's cost.
pub fn sweep(varies: &[ladderwise_model::sweep::Vary], sweep: &ladderwise_app::Sweep) -> String {
    let points = &sweep.points;
    let services = ladderwise_app::export::sweep_services(points);
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(o, "Ladderwise sweep of {}", sweep.scenario);
    let _ = writeln!(
        o,
        "Prices: snapshot {} (created {})",
        sweep.snapshot.id, sweep.snapshot.created
    );
    let _ = writeln!(o);
    let mut header: Vec<String> = varies.iter().map(|v| v.field.clone()).collect();
    header.push("total".into());
    header.extend(services.iter().map(|s| s.short_name().to_string()));
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            let mut cells: Vec<String> = p.values.iter().map(|v| format_quantity(*v, 6)).collect();
            let total = if p.totals.complete {
                p.totals.total.to_string()
            } else {
                format!("{}+", p.totals.total)
            };
            cells.push(total);
            for s in &services {
                cells.push(p.totals.service(*s).at_least(p.totals.unpriced.contains(s)));
            }
            cells
        })
        .collect();
    // Every column at least 12 wide, two spaces apart.
    let least = vec![12; header.len()];
    for line in columns(&header, &rows, &least, Align::Right) {
        let _ = writeln!(o, "{line}");
    }
    if points.iter().any(|p| !p.totals.complete) {
        let _ = writeln!(o, "\n+ incomplete: some lines are unpriced at that point");
    }
    out
}

/// `1 title`, `0.5 titles`, `2,000 titles`.
fn titles_phrase(n: rust_decimal::Decimal) -> String {
    let text = format_nonzero(n, 0);
    if text == "1" {
        "1 title".into()
    } else {
        format!("{text} titles")
    }
}
