//! Each chart in words: the text alternative a screen reader reads for the picture (the SVG's
//! `<title>` and `<desc>`, the PNG's `Title` and `Description` text chunks). It says what the
//! chart plots and the figures a reader would take from it, from the same data the drawing
//! uses, so the words and the picture cannot disagree.

use crate::draw::{format_amount, grouped};
use crate::{
    BreakdownData, Chart, ChoiceData, ForecastData, HitRateData, LadderData, TornadoData,
    WaterfallData,
};

impl Chart {
    /// The chart's title, as drawn at its top.
    pub fn title(&self) -> &str {
        match self {
            Chart::Ladder(d) => &d.title,
            Chart::CacheHitRate(d) => &d.title,
            Chart::Choice(d) => &d.title,
            Chart::Breakdown(d) => &d.title,
            Chart::Waterfall(d) => &d.title,
            Chart::Tornado(d) => &d.title,
            Chart::Forecast(d) => &d.title,
        }
    }

    /// What the chart shows, in sentences: its figures, then the notes drawn under it.
    pub fn description(&self) -> String {
        let (said, notes) = match self {
            Chart::Ladder(d) => (ladder(d), &[][..]),
            Chart::CacheHitRate(d) => (hit_rate(d), &d.notes[..]),
            Chart::Choice(d) => (choice(d), &d.notes[..]),
            Chart::Breakdown(d) => (breakdown(d), &d.notes[..]),
            Chart::Waterfall(d) => (waterfall(d), &d.notes[..]),
            Chart::Tornado(d) => (tornado(d), &d.notes[..]),
            Chart::Forecast(d) => (forecast(d), &d.notes[..]),
        };
        let mut out = said;
        for n in notes {
            out.push_str(" Note: ");
            out.push_str(n);
            if !n.ends_with('.') {
                out.push('.');
            }
        }
        out
    }
}

fn percent(rate: f64) -> String {
    format!("{:.0} %", rate * 100.0)
}

fn ladder(d: &LadderData) -> String {
    let mut out = format!(
        "The ladder's {} rungs, bitrate against resolution, with the monthly cost allocated to each: ",
        d.rungs.len()
    );
    let rungs: Vec<String> = d
        .rungs
        .iter()
        .map(|r| {
            format!(
                "{} ({} lines, {}, {} kbps) {}",
                r.name,
                r.height,
                r.codec,
                grouped(r.kbps),
                r.cost_written(format_amount)
            )
        })
        .collect();
    out.push_str(&rungs.join("; "));
    out.push('.');
    if !d.references.is_empty() {
        let names: Vec<&str> = d.references.iter().map(|(n, _)| n.as_str()).collect();
        out.push_str(&format!(
            " Reference ladders drawn beside it: {}.",
            names.join(", ")
        ));
    }
    out
}

fn hit_rate(d: &HitRateData) -> String {
    let totals = d.totals();
    let mut out = String::from("Delivery cost per month against the CloudFront cache hit rate");
    match (
        d.rates.first().zip(totals.first()),
        d.rates.last().zip(totals.last()),
    ) {
        (Some((r0, t0)), Some((r1, t1))) if !d.components.is_empty() => {
            let parts: Vec<&str> = d.components.iter().map(|(n, _)| n.as_str()).collect();
            out.push_str(&format!(
                " ({}): {} at {} hit rate, {} at {}.",
                parts.join(", "),
                format_amount(*t0),
                percent(*r0),
                format_amount(*t1),
                percent(*r1)
            ));
        }
        _ => out.push_str(": nothing on CloudFront has a price here."),
    }
    if let Some(rate) = d.scenario_rate {
        let nearest = d
            .rates
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - rate).abs().total_cmp(&(b.1 - rate).abs()));
        match nearest.and_then(|(i, _)| totals.get(i)) {
            Some(t) if !d.components.is_empty() => out.push_str(&format!(
                " This scenario's hit rate, {}: {}.",
                percent(rate),
                format_amount(*t)
            )),
            _ => out.push_str(&format!(" This scenario's hit rate: {}.", percent(rate))),
        }
    }
    match d.direct_s3.first() {
        Some(s3) => out.push_str(&format!(
            " Direct from S3, with no CDN: {} at any rate.",
            format_amount(*s3)
        )),
        None => out.push_str(" Direct from S3 has no price here and is not drawn."),
    }
    if let Some(b) = d.break_even {
        out.push_str(&format!(
            " CloudFront costs less than S3 above a {} hit rate.",
            percent(b)
        ));
    }
    out
}

fn choice(d: &ChoiceData) -> String {
    if d.series.is_empty() {
        return format!("{}: no option has a price here.", d.title);
    }
    let mut out = format!(
        "{}: the monthly cost of each option against {}. ",
        d.title, d.x_label
    );
    let lines: Vec<String> = d
        .series
        .iter()
        .filter_map(|s| {
            let (x0, y0) = s.points.first()?;
            let (x1, y1) = s.points.last()?;
            Some(format!(
                "{} from {} at {} to {} at {}",
                s.name,
                format_amount(*y0),
                grouped(*x0),
                format_amount(*y1),
                grouped(*x1)
            ))
        })
        .collect();
    out.push_str(&lines.join("; "));
    out.push('.');
    // The marked points: where two options cost the same, or where a flat-rate line steps
    // to the next plan; each label says which.
    for (x, cost, label) in &d.break_evens {
        out.push_str(&format!(
            " Marked: {label}, {} at {}.",
            format_amount(*cost),
            grouped(*x)
        ));
    }
    if let Some((x, label)) = &d.marker {
        out.push_str(&format!(" {label}: {}.", grouped(*x)));
    }
    out
}

fn breakdown(d: &BreakdownData) -> String {
    let stages: Vec<String> = d
        .stages
        .iter()
        .map(|(name, v)| format!("{name} {}", d.stage_written(name, *v, format_amount)))
        .collect();
    let mut out = format!("Monthly cost by stage: {}.", stages.join(", "));
    if !d.rungs.is_empty() {
        let rungs: Vec<String> = d
            .rungs
            .iter()
            .map(|(name, parts)| {
                let parts: Vec<String> = d
                    .rung_components
                    .iter()
                    .zip(parts)
                    .map(|(c, v)| match v {
                        Some(v) => format!("{c} {}", format_amount(*v)),
                        None => format!("{c} unpriced"),
                    })
                    .collect();
                format!("{name}: {}", parts.join(", "))
            })
            .collect();
        out.push_str(&format!(" Per rung: {}.", rungs.join("; ")));
    }
    out
}

fn waterfall(d: &WaterfallData) -> String {
    if let Some(said) = &d.not_drawn {
        return format!("{}: {said}", d.title);
    }
    let steps: Vec<String> = d
        .steps
        .iter()
        .map(|(label, change)| {
            let sign = if *change > 0.0 { "+" } else { "" };
            format!("{label} {sign}{}", format_amount(*change))
        })
        .collect();
    let mut out = format!(
        "From {} at {} a month to {} at {}",
        d.start.0,
        format_amount(d.start.1),
        d.end.0,
        format_amount(d.end.1)
    );
    if steps.is_empty() {
        out.push('.');
    } else {
        out.push_str(&format!(", step by step: {}.", steps.join("; ")));
    }
    // What the drawing says of where its axis starts.
    if let Some(note) = crate::draw::waterfall_axis(d).note {
        out.push(' ');
        out.push_str(&note);
    }
    out
}

fn tornado(d: &TornadoData) -> String {
    if d.bars.is_empty() {
        return format!("{}: no input moves a priced total here.", d.title);
    }
    let bars: Vec<String> = d
        .bars
        .iter()
        .map(|b| {
            format!(
                "{}: {} at {}, {} at {}",
                b.label,
                format_amount(b.low_total),
                b.low_value,
                format_amount(b.high_total),
                b.high_value
            )
        })
        .collect();
    format!(
        "The monthly total, {}, with each input moved alone to its low and high value, largest effect first. {}.",
        format_amount(d.base),
        bars.join("; ")
    )
}

fn forecast(d: &ForecastData) -> String {
    let (Some(first), Some(last)) = (d.months.first(), d.months.last()) else {
        return format!("{}: no months.", d.title);
    };
    if d.services.is_empty() {
        return format!("{}: no service has a price here.", d.title);
    }
    let n = d.months.len();
    let what = if d.uncertain {
        "the P50 of the total"
    } else {
        "the total"
    };
    let mut out = format!(
        "The monthly cost over {n} months, {first} to {last}, stacked by service ({}): {what} goes from {} to {}.",
        d.services
            .iter()
            .map(|(s, _)| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        d.p50.first().map_or("—".into(), |v| format_amount(*v)),
        d.p50.last().map_or("—".into(), |v| format_amount(*v)),
    );
    if d.uncertain
        && let (Some(lo), Some(hi)) = (d.p10.last(), d.p90.last())
    {
        out.push_str(&format!(
            " In {last}, P10 to P90: {} to {}.",
            format_amount(*lo),
            format_amount(*hi)
        ));
    }
    if let Some(b) = d.budget {
        let over = d.p50.iter().filter(|v| **v > b).count();
        out.push_str(&format!(
            " Budget {} a month; the P50 is over it in {over} of {n} months.",
            format_amount(b)
        ));
    }
    for (i, label) in &d.events {
        if let Some(m) = d.months.get(*i) {
            out.push_str(&format!(" {m}: {label}."));
        }
    }
    out
}

/// `text` escaped for XML character data.
pub(crate) fn xml_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `svg` (one document from plotters) with the chart's text alternative: `role="img"` and a
/// `<title>` and `<desc>` as the root's first children, which is how SVG gives a picture
/// its accessible name and description (SVG 2, "The 'desc' and 'title' elements"; WAI-ARIA
/// Graphics, role `img`).
pub(crate) fn with_text_alternative(svg: String, chart: &Chart) -> String {
    let Some(open) = svg.find("<svg") else {
        return svg;
    };
    let Some(end) = svg[open..].find('>').map(|e| open + e) else {
        return svg;
    };
    let head = &svg[..end];
    let tail = &svg[end + 1..];
    format!(
        "{head} role=\"img\">\n<title>{}</title>\n<desc>{}</desc>\n{tail}",
        xml_escaped(chart.title()),
        xml_escaped(&chart.description())
    )
}
