//! The drawing of each chart, generic over the plotters backend.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::place::{LabelBox, Placed, Placer};
use crate::{
    BreakdownData, Chart, ChartError, ChoiceData, ForecastData, HitRateData, LadderData, PALETTE,
    TornadoData, WaterfallData,
};

type Area<DB> = DrawingArea<DB, Shift>;

fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

const FAMILY: &str = "sans-serif";
const GREY: RGBColor = RGBColor(110, 110, 110);
/// The "this scenario" rule of the choice charts.
const MARKER: RGBColor = RGBColor(60, 60, 60);

pub(crate) fn chart<DB: DrawingBackend>(root: &Area<DB>, chart: &Chart) -> Result<(), ChartError> {
    root.fill(&WHITE).map_err(err)?;
    match chart {
        Chart::Ladder(d) => ladder(root, d),
        Chart::CacheHitRate(d) => hit_rate(root, d),
        Chart::Choice(d) => choice(root, d),
        Chart::Breakdown(d) => breakdown(root, d),
        Chart::Waterfall(d) => waterfall(root, d),
        Chart::Tornado(d) => tornado(root, d),
        Chart::Forecast(d) => forecast(root, d),
    }
}

/// `$1.2M`, `$12.3k`, `$950`, `$0.42`: money as money, short enough for an axis.
pub fn format_usd(v: f64) -> String {
    let (unit, suffix, decimals) = magnitude(v.abs());
    usd_in(v, unit, suffix, decimals)
}

/// How [`format_usd`] writes an amount of size `a`: the unit it divides by, its suffix and
/// the decimals it keeps.
fn magnitude(a: f64) -> (f64, &'static str, usize) {
    if a >= 1e12 {
        (1e12, "T", 1)
    } else if a >= 1e9 {
        (1e9, "B", 1)
    } else if a >= 1e6 {
        (1e6, "M", 1)
    } else if a >= 1e4 {
        (1e3, "k", 0)
    } else if a >= 1e3 {
        (1e3, "k", 1)
    } else if a >= 10.0 || a == 0.0 {
        (1.0, "", 0)
    } else {
        (1.0, "", 2)
    }
}

/// `v` in `unit`s to `decimals` places: `-$1.2M`.
fn usd_in(v: f64, unit: f64, suffix: &str, decimals: usize) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}${:.decimals$}{suffix}", v.abs() / unit)
}

/// Money labels for an axis from `low` to `high` carrying `labels` labels (the mesh's
/// count): [`format_usd`]'s units, with the decimals the ticks' step needs and no more, so
/// that every label of a unit has as many (an axis from $14.0k to $14.6k reads `$14.2k`,
/// `$14.4k`, not `$14k`, `$14k`; one from $0 to $12k reads `$8k`, `$10k`, not `$8.0k`,
/// `$10k`; one to $5.5k with ticks $500 apart reads `$1.5k`, `$2.0k`, not `$2k`, `$2k`).
fn usd_ticks(low: f64, high: f64, labels: usize) -> impl Fn(&f64) -> String {
    usd_ticks_scaled(low, high, labels, 1.0)
}

/// [`usd_ticks`] for amounts `scale` times the axis's (a second currency beside dollars):
/// its ticks are the axis's, `scale` times as far apart.
fn usd_ticks_scaled(low: f64, high: f64, labels: usize, scale: f64) -> impl Fn(&f64) -> String {
    use plotters::coord::ranged1d::{KeyPointHint, Ranged};
    use plotters::coord::types::RangedCoordf64;
    // The step is the one plotters' own key points take on this axis (the smallest round
    // step, 1, 2 or 5 times a power of ten, that gives no more than `labels` of them).
    let axis: RangedCoordf64 = (low.min(high)..low.max(high)).into();
    let points = axis.key_points(labels.bold_points());
    let step = match points.as_slice() {
        [a, b, ..] => (b - a).abs() * scale.abs(),
        _ => 0.0,
    };
    move |v: &f64| {
        let (unit, suffix, decimals) = magnitude(v.abs());
        let needed = if step > 0.0 {
            // A hair under the step's own digits: 0.1 of a unit is one decimal, not two.
            ((unit / step).log10() - 1e-9).ceil().clamp(0.0, 4.0) as usize
        } else {
            decimals
        };
        usd_in(*v, unit, suffix, needed)
    }
}

/// The labels plotters draws on a mesh's axis unless told otherwise (plotters' `MeshStyle`
/// starts with 11 on each axis): the money labels' decimals are chosen for that many, so
/// an axis to $5.2k with ticks $500 apart reads `$1.5k`, not `$2k` twice.
const MESH_LABELS: usize = 11;
/// The money labels under the breakdown's narrow bars by stage.
const STAGE_LABELS: usize = 5;
/// The money labels under rows of horizontal bars (waterfall, tornado).
const ROW_LABELS: usize = 6;

/// A quantity with k/M/G suffixes for axes.
fn format_count(v: f64) -> String {
    // Whole multiples without a decimal (`2k`), others with one (`1.5k`): ticks 500 apart
    // read 1k, 1.5k, 2k, never 1k, 2k, 2k.
    let scaled = |div: f64, suffix: &str| {
        let x = v / div;
        if (x - x.round()).abs() < 1e-9 {
            format!("{x:.0}{suffix}")
        } else {
            format!("{x:.1}{suffix}")
        }
    };
    let a = v.abs();
    if a >= 1e9 {
        scaled(1e9, "G")
    } else if a >= 1e6 {
        scaled(1e6, "M")
    } else if a >= 1e3 {
        scaled(1e3, "k")
    } else {
        format!("{v:.0}")
    }
}

/// The top of an axis: a little above the largest value, never zero.
fn headroom(max: f64) -> f64 {
    if max.is_finite() && max > 0.0 {
        max * 1.15
    } else {
        1.0
    }
}

/// Draws a configured mesh in the one look every chart shares: label and axis-description
/// text sizes, and faint minor grid lines.
fn draw_mesh<X, Y, DB>(
    mesh: &mut MeshStyle<'_, '_, X, Y, DB>,
    label_size: u32,
    desc_size: u32,
) -> Result<(), ChartError>
where
    X: Ranged + ValueFormatter<<X as Ranged>::ValueType>,
    Y: Ranged + ValueFormatter<<Y as Ranged>::ValueType>,
    DB: DrawingBackend,
{
    draw_mesh_sized(mesh, label_size, label_size, desc_size)
}

/// [`draw_mesh`] with the x axis's labels in a size of their own ([`fit_labels`]).
fn draw_mesh_sized<X, Y, DB>(
    mesh: &mut MeshStyle<'_, '_, X, Y, DB>,
    label_size: u32,
    x_label_size: u32,
    desc_size: u32,
) -> Result<(), ChartError>
where
    X: Ranged + ValueFormatter<<X as Ranged>::ValueType>,
    Y: Ranged + ValueFormatter<<Y as Ranged>::ValueType>,
    DB: DrawingBackend,
{
    mesh.label_style((FAMILY, label_size))
        .x_label_style((FAMILY, x_label_size))
        .axis_desc_style((FAMILY, desc_size))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)
}

/// Where a label goes relative to its point: to the right, or to the left for points in the
/// right third of the plot so the text stays inside it. `at` is the point's position as a
/// fraction of the x range; the width is estimated from the label's length.
fn beside(at: f64, text: &str) -> (i32, i32) {
    if at > 0.66 {
        let width = i32::try_from(text.chars().count()).unwrap_or(40) * 8;
        (-(width + 12), -18)
    } else {
        (12, -18)
    }
}

/// A pale box under a label whose top-left corner is `at` (relative to its point), so a
/// label that sits over the plotted lines stays legible. Measured with the font itself.
fn halo<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    text: &str,
    style: &TextStyle,
    at: (i32, i32),
) -> Rectangle<(i32, i32)> {
    let (w, h) = text_extent(area, text, style);
    let (w, h) = (w.ceil() as i32, h.ceil() as i32);
    Rectangle::new(
        [
            (at.0 - 2, at.1 - 1),
            (
                at.0.saturating_add(w).saturating_add(2),
                at.1.saturating_add(h).saturating_add(1),
            ),
        ],
        WHITE.mix(0.8).filled(),
    )
}

/// The title's font size: 26 px, or smaller when a long title would not fit the width
/// (DejaVu Sans averages about 0.55 em a character).
fn title_size(title: &str, width: u32) -> u32 {
    let chars = u32::try_from(title.chars().count())
        .unwrap_or(u32::MAX)
        .max(1);
    let fits = f64::from(width.saturating_sub(24)) / (f64::from(chars) * 0.55);
    (fits.floor() as u32).clamp(12, 26)
}

/// The notes broken into lines that fit `width` pixels of 15 px text (about 8 px a
/// character in DejaVu Sans), breaking between words.
fn wrapped(lines: &[String], width: u32) -> Vec<String> {
    wrapped_notes(lines, width).into_iter().flatten().collect()
}

/// Each note broken into its lines, as [`wrapped`] breaks them.
fn wrapped_notes(lines: &[String], width: u32) -> Vec<Vec<String>> {
    let max = usize::try_from(width.saturating_sub(40) / 8)
        .unwrap_or(80)
        .max(20);
    let mut notes = Vec::new();
    for line in lines {
        let mut out = Vec::new();
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > max {
                out.push(std::mem::take(&mut current));
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(current);
        notes.push(out);
    }
    notes
}

/// Draws the notes under a chart, wrapped to its width, in grey. Notes that do not fit the
/// strip (a small chart caps it at a third of its height) are counted on its last line,
/// never cut off unseen, and never shown in part.
fn notes<DB: DrawingBackend>(area: &Area<DB>, lines: &[String]) -> Result<(), ChartError> {
    let style = TextStyle::from((FAMILY, 15).into_font()).color(&GREY);
    let (w, h) = area.dim_in_pixel();
    for (i, line) in fitting(wrapped_notes(lines, w), h).iter().enumerate() {
        area.draw_text(line, &style, (20, 6 + 20 * i as i32))
            .map_err(err)?;
    }
    Ok(())
}

/// The note lines that fit a strip `height` pixels tall, the last line saying how many notes
/// are not shown in full when not all fit. Whole notes first; the room left begins the next
/// one, its last line ending in `…` so a cut sentence reads as cut. Line `i` is drawn at
/// 6 + 20·i px and is 15 px tall, so it fits when 20·i + 21 ≤ `height`.
fn fitting(notes: Vec<Vec<String>>, height: u32) -> Vec<String> {
    let room = usize::try_from(height.saturating_sub(1) / 20).unwrap_or(0);
    let total: usize = notes.iter().map(Vec::len).sum();
    if total <= room {
        return notes.into_iter().flatten().collect();
    }
    if room == 0 {
        return Vec::new();
    }
    let count = notes.len();
    let mut lines = Vec::new();
    let mut shown = 0;
    for note in notes {
        let left = room - 1 - lines.len();
        if note.len() > left {
            if left > 0 {
                lines.extend(note.into_iter().take(left));
                if let Some(last) = lines.last_mut() {
                    last.push_str(" …");
                }
            }
            break;
        }
        lines.extend(note);
        shown += 1;
    }
    lines.push(format!(
        "… {} note(s) not shown in full: a larger chart shows them all",
        count - shown
    ));
    lines
}

/// Splits off a strip at the bottom for `above` pixels (a legend) and then the notes, at most
/// a third of the chart (the notes that do not fit are counted, see [`fitting`]).
fn with_strip<DB: DrawingBackend>(
    root: &Area<DB>,
    above: u32,
    lines: &[String],
) -> (Area<DB>, Area<DB>) {
    let (w, h) = root.dim_in_pixel();
    let n = if lines.is_empty() {
        0
    } else {
        wrapped(lines, w).len()
    };
    let strip = if n == 0 && above == 0 {
        0
    } else {
        (above + 20 * n as u32 + 10).min(h / 3)
    };
    root.split_vertically(h - strip)
}

const LADDER_NOTE: &str = "Video bitrates (audio is listed apart in the references); references are published ladders shipped with Ladderwise (data/ladders/).";

/// The most rungs the ladder chart names: more labels than this no longer fit beside their
/// points on a chart of ordinary size, and would pile up over the axis.
const LADDER_LABELS: usize = 12;

/// The rungs in the order they are named: unpriced first (a missing price must be seen),
/// then by cost, largest first.
fn label_order(rungs: &[crate::LadderRung]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rungs.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |i: usize| rungs[i].monthly_usd.unwrap_or(f64::INFINITY);
        key(b).total_cmp(&key(a))
    });
    order
}

fn ladder<DB: DrawingBackend>(root: &Area<DB>, d: &LadderData) -> Result<(), ChartError> {
    let note = vec![LADDER_NOTE.to_string()];
    // The legend under the plot, where no rung's label can fall on it.
    let main = PALETTE[0];
    let mut items: Vec<(String, LegendMark)> = d
        .references
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            (
                format!("reference: {name}"),
                LegendMark::Line(PALETTE[(i + 1) % PALETTE.len()].into()),
            )
        })
        .collect();
    items.push((
        "this scenario (cost per month allocated to each rung)".into(),
        LegendMark::Point(main.into()),
    ));
    let (top, bottom) = with_legend_and_notes(root, &items, &note);
    let all = || {
        d.rungs
            .iter()
            .chain(d.references.iter().flat_map(|(_, r)| r))
    };
    let max_h = all().map(|r| r.height as f64).fold(0.0, f64::max);
    let max_kbps = all().map(|r| r.kbps).fold(0.0, f64::max);
    let mut c = ChartBuilder::on(&top)
        .caption(
            &d.title,
            (FAMILY, title_size(&d.title, root.dim_in_pixel().0)),
        )
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(0.0..headroom(max_h), 0.0..headroom(max_kbps))
        .map_err(err)?;
    let sorted = |rungs: &[crate::LadderRung]| {
        let mut pts: Vec<(f64, f64)> = rungs.iter().map(|r| (r.height as f64, r.kbps)).collect();
        pts.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        pts
    };
    // The labels are placed before anything is drawn: clear of every ladder's line and
    // point where they can be, and the axis says how many fitted.
    let mut placer = placer_in(&c);
    for (_, rungs) in &d.references {
        let pts = sorted(rungs);
        placer.line(&pixels(&c, &pts));
        for p in pixels(&c, &pts) {
            placer.point(p, 6);
        }
    }
    placer.line(&pixels(&c, &sorted(&d.rungs)));
    for p in pixels(&c, &sorted(&d.rungs)) {
        placer.point(p, 7);
    }
    let label = TextStyle::from((FAMILY, 14).into_font()).color(&BLACK);
    let x_max = headroom(max_h);
    let mut labels = Vec::new();
    let order = label_order(&d.rungs);
    // The rungs named, in the order tried: the costliest first unless one had no room.
    let mut named = Vec::new();
    for &i in &order {
        if labels.len() == LADDER_LABELS {
            break;
        }
        let r = &d.rungs[i];
        let p = (r.height as f64, r.kbps);
        let cost = match r.monthly_usd {
            Some(_) => format!("{}/mo", r.cost_written(format_usd)),
            None => r.cost_written(format_usd),
        };
        let text = format!("{} {} · {}", r.name, r.codec, cost);
        if let Some(placed) = place_text(&c, &mut placer, p, &text, &label, p.0 / x_max <= 0.66) {
            labels.push((p, text, placed));
            named.push(i);
        }
    }
    let x_desc = if labels.len() < d.rungs.len() {
        // "Costliest first" only when it is so: a costly rung with no room for its label
        // leaves a cheaper one named in its stead.
        let which = if named[..] == order[..named.len()] {
            "costliest first"
        } else {
            "as room allows"
        };
        format!(
            "vertical resolution (lines); {} of {} rungs named, {which}",
            labels.len(),
            d.rungs.len()
        )
    } else {
        "vertical resolution (lines)".to_string()
    };
    draw_mesh(
        c.configure_mesh()
            .x_desc(&x_desc)
            .y_desc("video bitrate (kbps)")
            .x_label_formatter(&|v| format!("{v:.0}p"))
            .y_label_formatter(&|v| format_count(*v)),
        15,
        17,
    )?;
    for (i, (_, rungs)) in d.references.iter().enumerate() {
        let color = PALETTE[(i + 1) % PALETTE.len()];
        let pts = sorted(rungs);
        c.draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
            .map_err(err)?;
        c.draw_series(
            pts.iter()
                .map(|p| TriangleMarker::new(*p, 6, color.filled())),
        )
        .map_err(err)?;
    }
    c.draw_series(LineSeries::new(sorted(&d.rungs), main.stroke_width(3)))
        .map_err(err)?;
    for (p, text, placed) in labels {
        draw_placed(&c, p, &text, &label, placed)?;
    }
    // The points last, so no label's box covers one.
    c.draw_series(
        d.rungs
            .iter()
            .map(|r| Circle::new((r.height as f64, r.kbps), 7, main.filled())),
    )
    .map_err(err)?;
    legend_and_notes(&bottom, &items, &note)
}

type Plot<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A label placer for a chart's plot area ([`Placer`]), its labels kept a few pixels off
/// the axis.
fn placer_in<DB: DrawingBackend>(c: &Plot<'_, DB>) -> Placer {
    let (x, y) = c.plotting_area().get_pixel_range();
    Placer::new(LabelBox {
        x: x.start,
        y: y.start,
        width: x.end - x.start,
        height: y.end - y.start - 4,
    })
}

/// Data points in the backend's pixels.
fn pixels<DB: DrawingBackend>(c: &Plot<'_, DB>, points: &[(f64, f64)]) -> Vec<(i32, i32)> {
    points.iter().map(|p| c.backend_coord(p)).collect()
}

/// The points of a line worth drawing: those on another pixel than the point before, and not
/// on one straight run with their neighbours. Plotters draws a thick line on a bitmap as a
/// polygon mitred at every point, and points a pixel apart along a flat run bend its edges
/// (a plan's flat price dipped before each step in the PNG, not in the SVG).
fn drawn_points<DB: DrawingBackend>(c: &Plot<'_, DB>, points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut kept: Vec<((i32, i32), (f64, f64))> = Vec::with_capacity(points.len());
    for p in points {
        let at = c.backend_coord(p);
        if kept.last().is_some_and(|(last, _)| *last == at) {
            continue;
        }
        if let [.., (a, _), (b, _)] = kept.as_slice() {
            let (u, v) = ((b.0 - a.0, b.1 - a.1), (at.0 - b.0, at.1 - b.1));
            let cross = i64::from(u.0) * i64::from(v.1) - i64::from(u.1) * i64::from(v.0);
            let ahead = i64::from(u.0) * i64::from(v.0) + i64::from(u.1) * i64::from(v.1) > 0;
            if cross == 0 && ahead {
                kept.pop();
            }
        }
        kept.push((at, *p));
    }
    kept.into_iter().map(|(_, p)| p).collect()
}

/// Places the label `text` of the point `p` ([`Placer::place`]), its size measured with the
/// font itself; a label of several lines (`\n`) is as wide as its widest.
fn place_text<DB: DrawingBackend>(
    c: &Plot<'_, DB>,
    placer: &mut Placer,
    p: (f64, f64),
    text: &str,
    style: &TextStyle,
    right: bool,
) -> Option<Placed> {
    let (w, line) = text
        .lines()
        .map(|l| text_extent(c.plotting_area(), l, style))
        .fold((0.0, 0.0), |(w, h), (lw, lh)| {
            (f64::max(w, lw), f64::max(h, lh))
        });
    let lines = i32::try_from(text.lines().count().max(1)).unwrap_or(1);
    // The halo's margin on each side ([`halo`]).
    let (w, h) = (w.ceil() as i32 + 4, line.ceil() as i32 * lines + 2);
    placer.place(c.backend_coord(&p), w, h, right)
}

/// Draws a placed label of the point `p`, on its halo, with a leader line from the point to
/// the label's near edge when it had to move away from the point.
fn draw_placed<DB: DrawingBackend>(
    c: &Plot<'_, DB>,
    p: (f64, f64),
    text: &str,
    style: &TextStyle,
    placed: Placed,
) -> Result<(), ChartError> {
    let anchor = c.backend_coord(&p);
    let b = placed.label;
    if placed.leader {
        let (_, end) = crate::place::leader(anchor, &b);
        c.plotting_area()
            .draw(
                &(EmptyElement::at(p)
                    + PathElement::new(
                        vec![(0, 0), (end.0 - anchor.0, end.1 - anchor.1)],
                        BLACK.mix(0.4),
                    )),
            )
            .map_err(err)?;
    }
    // The halo is the placed box, which holds every line.
    let corner = (b.x - anchor.0, b.y - anchor.1);
    c.plotting_area()
        .draw(
            &(EmptyElement::at(p)
                + Rectangle::new(
                    [corner, (corner.0 + b.width, corner.1 + b.height)],
                    WHITE.mix(0.8).filled(),
                )),
        )
        .map_err(err)?;
    let lines = i32::try_from(text.lines().count().max(1)).unwrap_or(1);
    let line = (b.height - 2) / lines;
    for (i, l) in text.lines().enumerate() {
        let at = (
            corner.0 + 2,
            corner.1 + 1 + line * i32::try_from(i).unwrap_or(0),
        );
        c.plotting_area()
            .draw(&(EmptyElement::at(p) + Text::new(l.to_string(), at, style.clone())))
            .map_err(err)?;
    }
    Ok(())
}

fn hit_rate<DB: DrawingBackend>(root: &Area<DB>, d: &HitRateData) -> Result<(), ChartError> {
    let s3 = PALETTE[7];
    let marker = PALETTE[3];
    // The legend goes under the plot, where it hides no line (in a corner of the plot it
    // covered the direct-S3 line or the scenario's marker, wherever they fell).
    let mut items: Vec<(String, LegendMark)> = d
        .components
        .iter()
        .enumerate()
        .map(|(k, (name, _))| {
            let color = PALETTE[k % PALETTE.len()];
            (name.clone(), LegendMark::Area(color.mix(0.75)))
        })
        .collect();
    if !d.direct_s3.is_empty() {
        items.push((
            "direct from S3, no CDN".into(),
            LegendMark::Dashed(s3.into()),
        ));
    }
    if let Some(rate) = d.scenario_rate {
        items.push((
            format!("this scenario: {:.0} %", rate * 100.0),
            LegendMark::Rule(marker.into()),
        ));
    }
    let (top, bottom) = with_legend_and_notes(root, &items, &d.notes);
    let n = d.rates.len();
    let totals = d.totals();
    let max = totals
        .iter()
        .chain(d.direct_s3.iter())
        .copied()
        .fold(0.0, f64::max);
    let mut c = ChartBuilder::on(&top)
        .caption(
            &d.title,
            (FAMILY, title_size(&d.title, root.dim_in_pixel().0)),
        )
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..1.0, 0.0..headroom(max))
        .map_err(err)?;
    draw_mesh(
        c.configure_mesh()
            .x_desc("CloudFront cache hit rate")
            .y_desc("delivery cost per month (USD)")
            .x_label_formatter(&|v| format!("{:.0} %", v * 100.0))
            .y_label_formatter(&usd_ticks(0.0, headroom(max), MESH_LABELS)),
        15,
        17,
    )?;
    let mut base = vec![0.0; n];
    for (k, (_, values)) in d.components.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let upper: Vec<f64> = base.iter().zip(values).map(|(b, v)| b + v).collect();
        let mut poly: Vec<(f64, f64)> =
            d.rates.iter().copied().zip(upper.iter().copied()).collect();
        poly.extend(d.rates.iter().copied().zip(base.iter().copied()).rev());
        c.draw_series(std::iter::once(Polygon::new(
            poly,
            color.mix(0.75).filled(),
        )))
        .map_err(err)?;
        base = upper;
    }
    // No direct-S3 costs: it is unpriced, and a note says why rather than a line at $0.
    if !d.direct_s3.is_empty() {
        c.draw_series(DashedLineSeries::new(
            d.rates.iter().copied().zip(d.direct_s3.iter().copied()),
            10,
            6,
            s3.stroke_width(3),
        ))
        .map_err(err)?;
    }
    // The scenario's own rate.
    if let Some(rate) = d.scenario_rate {
        c.draw_series(LineSeries::new(
            vec![(rate, 0.0), (rate, headroom(max))],
            marker.stroke_width(2),
        ))
        .map_err(err)?;
    }
    let text = TextStyle::from((FAMILY, 16).into_font()).color(&BLACK);
    if let Some(be) = d.break_even {
        let y = d.direct_s3.first().copied().unwrap_or(0.0);
        c.draw_series(std::iter::once(Circle::new(
            (be, y),
            8,
            BLACK.stroke_width(3),
        )))
        .map_err(err)?;
        // Right of the point, or left of it near the right edge, where it would be cut.
        let label = format!("break-even: {:.1} % hit rate", be * 100.0);
        let (dx, dy) = beside(be, &label);
        c.draw_series(std::iter::once(
            EmptyElement::at((be, y))
                + halo(c.plotting_area(), &label, &text, (dx, dy - 8))
                + Text::new(label.clone(), (dx, dy - 8), text.clone()),
        ))
        .map_err(err)?;
    }
    legend_and_notes(&bottom, &items, &d.notes)
}

/// How close two break-even markers (7 px circles) are when they touch, in pixels.
const TOUCHING: i32 = 16;

fn choice<DB: DrawingBackend>(root: &Area<DB>, d: &ChoiceData) -> Result<(), ChartError> {
    // The legend goes under the plot, where it hides no line or label.
    let items: Vec<(String, LegendMark)> = d
        .series
        .iter()
        .map(|s| {
            let color: RGBAColor = PALETTE[s.colour % PALETTE.len()].into();
            let mark = if s.dashed {
                LegendMark::Dashed(color)
            } else {
                LegendMark::Line(color)
            };
            (s.name.clone(), mark)
        })
        .collect();
    // Nothing priced: the title and why (the notes), not empty axes drawn to $0.
    if d.series.is_empty() {
        return nothing_drawn(
            root,
            &d.title,
            "No option has a price here: the notes below say why.",
            &d.notes,
        );
    }
    let (top, bottom) = with_legend_and_notes(root, &items, &d.notes);
    let max_x = d
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(0.0, f64::max);
    let max_y = d
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let x_top = if max_x > 0.0 { max_x } else { 1.0 };
    let mut c = ChartBuilder::on(&top)
        .caption(
            &d.title,
            (FAMILY, title_size(&d.title, root.dim_in_pixel().0)),
        )
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..x_top, 0.0..headroom(max_y))
        .map_err(err)?;
    // The labels are placed before anything is drawn, clear of the lines, the points and the
    // scenario's marker where they can be; those with no room within reach are left out (their
    // points stay) and counted under the axis, where no line or label is.
    let mut placer = placer_in(&c);
    for s in &d.series {
        placer.line(&pixels(&c, &s.points));
    }
    for (x, y, _) in &d.break_evens {
        placer.point(c.backend_coord(&(*x, *y)), 9);
    }
    let marker_text = TextStyle::from((FAMILY, 15).into_font()).color(&MARKER);
    if let Some((x, label)) = &d.marker {
        placer.line(&pixels(&c, &[(*x, 0.0), (*x, headroom(max_y))]));
        let (w, h) = text_extent(c.plotting_area(), label, &marker_text);
        let (px, py) = c.backend_coord(&(*x, headroom(max_y) * 0.97));
        placer.block(LabelBox {
            x: px,
            y: py,
            width: w.ceil() as i32,
            height: h.ceil() as i32,
        });
    }
    let text = TextStyle::from((FAMILY, 15).into_font()).color(&BLACK);
    // Points whose markers touch are named by one label, a name a line: two labels cannot
    // both sit beside them, and one beside the next point would be read as that point's.
    let mut named: Vec<((f64, f64), String)> = Vec::new();
    let mut last: Option<(i32, i32)> = None;
    let mut by_x: Vec<&(f64, f64, String)> = d.break_evens.iter().collect();
    by_x.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (x, y, label) in by_x {
        let at = c.backend_coord(&(*x, *y));
        match (named.last_mut(), last) {
            // One name a line: a long line would cross the lines rising from the points.
            (Some((_, text)), Some(l))
                if (at.0 - l.0).abs() <= TOUCHING && (at.1 - l.1).abs() <= TOUCHING =>
            {
                text.push('\n');
                text.push_str(label);
            }
            _ => named.push(((*x, *y), label.clone())),
        }
        last = Some(at);
    }
    let placed: Vec<Option<Placed>> = named
        .iter()
        .map(|(p, label)| place_text(&c, &mut placer, *p, label, &text, p.0 / x_top <= 0.66))
        .collect();
    let left_out = placed.iter().filter(|p| p.is_none()).count();
    let x_desc = if left_out > 0 {
        format!("{} ({left_out} label(s) left out for room)", d.x_label)
    } else {
        d.x_label.clone()
    };
    draw_mesh(
        c.configure_mesh()
            .x_desc(&x_desc)
            .y_desc("cost per month (USD)")
            .x_label_formatter(&|v| format_count(*v))
            .y_label_formatter(&usd_ticks(0.0, headroom(max_y), MESH_LABELS)),
        15,
        17,
    )?;
    for s in &d.series {
        let color = PALETTE[s.colour % PALETTE.len()];
        let points = drawn_points(&c, &s.points);
        if s.dashed {
            c.draw_series(DashedLineSeries::new(points, 10, 6, color.stroke_width(3)))
                .map_err(err)?;
        } else {
            c.draw_series(LineSeries::new(points, color.stroke_width(3)))
                .map_err(err)?;
        }
    }
    if let Some((x, label)) = &d.marker {
        // Dashed and darker than the grid, which it would otherwise pass for where it falls
        // on a grid line (the transcode axis runs to twice the scenario's minutes).
        c.draw_series(DashedLineSeries::new(
            vec![(*x, 0.0), (*x, headroom(max_y))],
            6,
            4,
            MARKER.stroke_width(2),
        ))
        .map_err(err)?;
        c.draw_series(std::iter::once(Text::new(
            label.clone(),
            (*x, headroom(max_y) * 0.97),
            marker_text,
        )))
        .map_err(err)?;
    }
    for ((p, label), placed) in named.iter().zip(placed) {
        if let Some(placed) = placed {
            draw_placed(&c, *p, label, &text, placed)?;
        }
    }
    // The points last, so no label's box covers one.
    c.draw_series(
        d.break_evens
            .iter()
            .map(|(x, y, _)| Circle::new((*x, *y), 7, BLACK.stroke_width(3))),
    )
    .map_err(err)?;
    legend_and_notes(&bottom, &items, &d.notes)
}

fn breakdown<DB: DrawingBackend>(root: &Area<DB>, d: &BreakdownData) -> Result<(), ChartError> {
    // With every stage unpriced whole there is nothing to draw.
    if d.stages.iter().all(|(name, v)| d.priced_none(name, *v)) {
        return nothing_drawn(
            root,
            &d.title,
            "No stage has a price here: the notes below say why.",
            &d.notes,
        );
    }
    // A stage keeps one colour in both plots and in every breakdown, and the legend under
    // them names it.
    let named = |name: &str, otherwise: usize| {
        let i = d
            .colours
            .iter()
            .find(|(n, _)| n == name)
            .map_or(d.colours.len() + otherwise, |(_, i)| *i);
        PALETTE[i % PALETTE.len()]
    };
    let colour = |k: usize| named(&d.rung_components[k], k);
    // The rungs' legend goes under the plots, where it hides no bar.
    let legend: Vec<(String, LegendMark)> = d
        .rung_components
        .iter()
        .enumerate()
        .map(|(k, name)| (name.clone(), LegendMark::Area(colour(k).into())))
        .collect();
    let (top, bottom) = with_legend_and_notes(root, &legend, &d.notes);
    let (w, _) = top.dim_in_pixel();
    let size = title_size(&d.title, top.dim_in_pixel().0);
    let title_area = top.titled(&d.title, (FAMILY, size)).map_err(err)?;
    let (left, right) = title_area.split_horizontally(w * 2 / 5);

    // Left: cost by stage, horizontal bars.
    let max = d.stages.iter().map(|s| s.1).fold(0.0, f64::max);
    let n = d.stages.len().max(1);
    let mut c = ChartBuilder::on(&left)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(110)
        .caption("by stage", (FAMILY, 18))
        .build_cartesian_2d(0.0..headroom(max), (0..n - 1).into_segmented())
        .map_err(err)?;
    let names: Vec<String> = d.stages.iter().map(|s| s.0.clone()).collect();
    draw_mesh(
        c.configure_mesh()
            .disable_y_mesh()
            .x_desc("cost per month (USD)")
            .x_label_formatter(&usd_ticks(0.0, headroom(max), STAGE_LABELS))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_labels(STAGE_LABELS),
        15,
        16,
    )?;
    let text = TextStyle::from((FAMILY, 14).into_font()).color(&BLACK);
    for (i, (name, v)) in d.stages.iter().enumerate() {
        let color = named(name, i);
        let label = d.stage_written(name, *v, format_usd);
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(i)),
                (*v, SegmentValue::Exact(i + 1)),
            ],
            color.filled(),
        );
        bar.set_margin(8, 8, 0, 0);
        c.draw_series(std::iter::once(bar)).map_err(err)?;
        c.draw_series(std::iter::once(Text::new(
            label,
            (*v, SegmentValue::CenterOf(i)),
            text.clone(),
        )))
        .map_err(err)?;
    }

    // Right: per rung, stacked bars.
    let totals: Vec<f64> = d
        .rungs
        .iter()
        .map(|(_, v)| v.iter().flatten().sum())
        .collect();
    let max = totals.iter().copied().fold(0.0, f64::max);
    let n = d.rungs.len().max(1);
    // One rung stands in the middle of three segments: a segmented axis of one value has no
    // width, and its bar would be drawn over the axis.
    let (segments, at) = if n == 1 { (0..2, 1) } else { (0..n - 1, 0) };
    let mut c = ChartBuilder::on(&right)
        .margin(20)
        .x_label_area_size(60)
        .y_label_area_size(90)
        .caption("per rung", (FAMILY, 18))
        .build_cartesian_2d(segments.into_segmented(), 0.0..headroom(max))
        .map_err(err)?;
    let rung_names: Vec<String> = d.rungs.iter().map(|r| r.0.clone()).collect();
    let (size, every, rung_names) =
        fit_labels(&right, &rung_names, c.plotting_area().dim_in_pixel().0, 13);
    let ticks = usd_ticks(0.0, headroom(max), MESH_LABELS);
    let name_of = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) if (i.wrapping_sub(at)) % every == 0 => i
            .checked_sub(at)
            .and_then(|i| rung_names.get(i).cloned())
            .unwrap_or_default(),
        _ => String::new(),
    };
    let mut mesh = c.configure_mesh();
    mesh.disable_x_mesh()
        .y_desc("cost per month (USD)")
        .y_label_formatter(&ticks)
        .x_label_formatter(&name_of)
        .x_labels(n + 2 * at);
    // Rungs left unnamed for room are counted, as the ladder chart counts them.
    if every > 1 {
        mesh.x_desc(format!(
            "rungs in the ladder's order; {} of {} named for room",
            d.rungs.len().div_ceil(every),
            d.rungs.len()
        ));
    }
    draw_mesh_sized(&mut mesh, 13, size, 16)?;
    for k in 0..d.rung_components.len() {
        let color = colour(k);
        let bars: Vec<Rectangle<(SegmentValue<usize>, f64)>> = d
            .rungs
            .iter()
            .enumerate()
            .map(|(i, (_, v))| {
                let below: f64 = v[..k].iter().flatten().sum();
                // An unknown share has no bar: nothing is drawn where no amount is known.
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i + at), below),
                        (SegmentValue::Exact(i + at + 1), below + v[k].unwrap_or(0.0)),
                    ],
                    color.mix(0.85).filled(),
                );
                bar.set_margin(0, 0, 12, 12);
                bar
            })
            .collect();
        c.draw_series(bars).map_err(err)?;
    }
    legend_and_notes(&bottom, &legend, &d.notes)
}

// ----- rows of horizontal bars (waterfall, tornado) -----------------------------------------

/// Pixels one row of a horizontal bar chart needs: its 15 px label and room around it.
const ROW_PX: u32 = 26;

/// How many rows of bars a chart of `height` pixels shows with labels that do not overlap,
/// leaving room for the title, the axis, the legend and a few lines of notes.
pub fn rows_that_fit(height: u32) -> usize {
    usize::try_from(height.saturating_sub(250) / ROW_PX)
        .unwrap_or(0)
        .max(3)
}

/// Estimated width in pixels of `text` at `size` px (DejaVu Sans averages about 0.55 em a
/// character, digits a little more).
fn text_px(text: &str, size: u32) -> f64 {
    text.chars().count() as f64 * f64::from(size) * 0.6
}

/// A text's width and height in pixels as `style`'s font draws it; [`text_px`]'s estimate
/// (and a line of 1.2 em) when the font cannot measure it.
fn text_extent<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    text: &str,
    style: &TextStyle,
) -> (f64, f64) {
    area.estimate_text_size(text, style).map_or_else(
        |_| {
            let size = style.font.get_size();
            (text_px(text, size.round() as u32), size * 1.2)
        },
        |(w, h)| (f64::from(w), f64::from(h)),
    )
}

/// How to label `labels.len()` side-by-side segments of `area`'s plot, `width` pixels wide,
/// so that no two labels touch: a font size from `size` down to 9 px (measured with the
/// font itself); when even 9 px is too wide, long names cut in the middle to their segment
/// while that leaves [`CLIPPED_LEAST`] characters of each, else a label on every `every`-th
/// segment only (a ladder may have 50 rungs). Returns the size, `every` and the labels to
/// write.
fn fit_labels<DB: DrawingBackend>(
    area: &Area<DB>,
    labels: &[String],
    width: u32,
    size: u32,
) -> (u32, usize, Vec<String>) {
    let n = labels.len().max(1);
    // Each label may take 90 % of its segment, leaving a gap to the next one.
    let room = f64::from(width) / n as f64 * 0.9;
    let font = |size: u32| TextStyle::from((FAMILY, size).into_font());
    let wide = |l: &str, size: u32| text_extent(area, l, &font(size)).0;
    let longest = |size: u32| labels.iter().map(|l| wide(l, size)).fold(0.0, f64::max);
    if let Some(s) = (9..=size).rev().find(|s| longest(*s) <= room) {
        return (s, 1, labels.to_vec());
    }
    let clipped: Option<Vec<String>> = labels
        .iter()
        .map(|l| {
            let chars = l.chars().count();
            (CLIPPED_LEAST.min(chars)..=chars)
                .rev()
                .map(|k| clip(l, k))
                .find(|c| wide(c, 9) <= room)
        })
        .collect();
    match clipped {
        Some(labels) => (9, 1, labels),
        // Every few segments named, each cut to the fewest characters: how few are named is
        // set by the labels as written, not by the one long name among them.
        None => {
            let cut: Vec<String> = labels.iter().map(|l| clip(l, CLIPPED_LEAST)).collect();
            let longest = cut.iter().map(|l| wide(l, 9)).fold(0.0, f64::max);
            let every = (longest / room.max(1.0)).ceil().max(1.0) as usize;
            (9, every, cut)
        }
    }
}

/// The fewest characters a segment's label is cut to before labels are skipped instead.
const CLIPPED_LEAST: usize = 12;

/// The width, in pixels, of the label area left of the rows: the longest label at 15 px, at
/// most a third of the chart.
fn label_area(labels: &[&str], width: u32) -> u32 {
    let longest = labels.iter().map(|l| text_px(l, 15)).fold(0.0, f64::max);
    ((longest + 24.0) as u32).clamp(80, width / 3)
}

/// `text` cut to `max` characters with an ellipsis.
fn clip(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_string();
    }
    // Cut from the middle: rows are told apart by their ends (a rung's name at the start, the
    // field, `video kbps` or `audio kbps`, at the end), which a cut from the end would lose.
    let keep = max.saturating_sub(1);
    let head = keep.div_ceil(2);
    let tail = keep - head;
    let mut t: String = text.chars().take(head).collect();
    t.push('…');
    t.extend(text.chars().skip(n - tail));
    t
}

/// A round number at or below `v`, on a step of one significant digit of `span`.
fn round_down(v: f64, span: f64) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return v;
    }
    let step = 10f64.powf(span.log10().floor());
    (v / step).floor() * step
}

/// Money for a bar's label, precise enough to tell bars apart: whole dollars with thousands
/// separators (`$14,123`, `-$2,076`), cents below $100 (`$45.35`).
pub fn format_amount(v: f64) -> String {
    format_amount_to(v, 2)
}

/// [`format_amount`] with `decimals` places (at least two) below $100.
fn format_amount_to(v: f64, decimals: usize) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a < 100.0 {
        let decimals = decimals.max(2);
        return format!("{sign}${a:.decimals$}");
    }
    format!("{sign}${}", grouped(a))
}

/// The decimals that write every bar end of a tornado apart from the scenario's total: two,
/// or more when an end is less than a cent from it (up to six).
fn tornado_decimals(d: &TornadoData) -> usize {
    let nearest = d
        .bars
        .iter()
        .flat_map(|b| [b.low_total, b.high_total])
        .map(|t| (t - d.base).abs())
        .filter(|gap| *gap > 0.0)
        .fold(f64::INFINITY, f64::min);
    (2..=6)
        .find(|&dp| nearest * 10f64.powi(dp as i32) >= 1.0)
        .unwrap_or(6)
}

/// A non-negative amount to the unit with thousands separators: `14,123`.
pub(crate) fn grouped(a: f64) -> String {
    let digits = format!("{:.0}", a);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `+$1,234`, `-$340`: a change of money.
fn format_change(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", format_amount(v))
    } else {
        format_amount(v)
    }
}

/// The axis from `low` to `high` widened so that labels `left_px` and `right_px` wide fit
/// beside the bars, in a plot `plot_px` wide.
fn padded(low: f64, high: f64, left_px: f64, right_px: f64, plot_px: f64) -> (f64, f64) {
    let span = (high - low).max(f64::EPSILON);
    // At most four fifths of the plot go to labels.
    let labels = (left_px + right_px).min(plot_px * 0.8);
    let scale = (left_px + right_px).max(1.0);
    let total = span / (1.0 - labels / plot_px);
    let pad = total - span;
    (low - pad * left_px / scale, high + pad * right_px / scale)
}

/// The thickness margins of a bar in a row `row_px` high: at most 30 px thick.
fn bar_margin(row_px: f64) -> u32 {
    let bar = (row_px * 0.62).min(30.0);
    ((row_px - bar) / 2.0).max(2.0) as u32
}

/// The notes strip with the legend first, in as many rows as the chart's width needs (see
/// [`legend_rows`]), then the notes.
fn legend_and_notes<DB: DrawingBackend>(
    area: &Area<DB>,
    items: &[(String, LegendMark)],
    lines: &[String],
) -> Result<(), ChartError> {
    let rows = legend_rows(items, area.dim_in_pixel().0);
    legend_rows_draw(area, &rows)?;
    let rest = area.margin(LEGEND_ROW * rows.len() as u32 + 4, 0, 0, 0);
    notes(&rest, lines)
}

/// Splits off the bottom strip for the legend's rows and the notes.
fn with_legend_and_notes<DB: DrawingBackend>(
    root: &Area<DB>,
    items: &[(String, LegendMark)],
    lines: &[String],
) -> (Area<DB>, Area<DB>) {
    let rows = legend_rows(items, root.dim_in_pixel().0).len();
    with_strip(root, LEGEND_ROW * rows as u32 + 4, lines)
}

/// A chart with nothing to draw (nothing in it has a price): its title, `said` where the
/// plot would be, and the notes that say why, instead of empty axes drawn to $0.
fn nothing_drawn<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    said: &str,
    lines: &[String],
) -> Result<(), ChartError> {
    let (top, bottom) = with_legend_and_notes(root, &[], lines);
    let (w, h) = top.dim_in_pixel();
    top.draw_text(
        title,
        &TextStyle::from((FAMILY, title_size(title, w)).into_font()).color(&BLACK),
        (20, 20),
    )
    .map_err(err)?;
    top.draw_text(
        said,
        &TextStyle::from((FAMILY, 22).into_font()).color(&BLACK),
        (20, h as i32 / 2),
    )
    .map_err(err)?;
    notes(&bottom, lines)
}

const INCREASE: RGBColor = PALETTE[3];
const DECREASE: RGBColor = PALETTE[0];
const TOTAL: RGBColor = RGBColor(90, 90, 90);

/// Where a waterfall's money axis starts, its highest level, and what the chart says of the
/// start when it is not $0: read by the drawing and by its words alike.
pub(crate) struct WaterfallAxis {
    pub start: f64,
    pub high: f64,
    pub note: Option<String>,
}

pub(crate) fn waterfall_axis(d: &WaterfallData) -> WaterfallAxis {
    // The levels the bars reach: each total, and the running total after each step.
    let mut levels = vec![d.start.1];
    let mut running = d.start.1;
    for (_, change) in &d.steps {
        running += change;
        levels.push(running);
    }
    levels.push(d.end.1);
    let low = levels.iter().copied().fold(f64::INFINITY, f64::min);
    let high = levels.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = (high - low).max(high.abs() * 0.01).max(1.0);
    // When the totals dwarf the steps, the axis starts near them so the steps can be seen,
    // and a note says so.
    let (start, note) = if low > 0.0 && low - 0.3 * span > 0.0 && low > 0.4 * high {
        let start = round_down(low - 0.3 * span, span).max(0.0);
        (
            start,
            Some(format!(
                "The axis starts at {}, not at zero: the total bars are cut there.",
                format_usd(start)
            )),
        )
    } else if low < 0.0 {
        // Shares averaged over every order of the changes can take the running total below
        // zero on the way; the axis goes there rather than cut those bars off unseen.
        (
            round_down(low - 0.05 * span, span / 10.0),
            Some("The running total passes below $0 on the way: each bar is a change's average effect over every order of making them, not its effect made in this order.".to_string()),
        )
    } else {
        (0.0, None)
    };
    WaterfallAxis { start, high, note }
}

fn waterfall<DB: DrawingBackend>(root: &Area<DB>, d: &WaterfallData) -> Result<(), ChartError> {
    if let Some(said) = &d.not_drawn {
        return nothing_drawn(root, &d.title, said, &d.notes);
    }
    // Each row: label, where its bar starts and ends, colour, amount.
    let mut rows: Vec<(String, f64, f64, RGBColor, String)> = Vec::new();
    let mut running = d.start.1;
    rows.push((
        d.start.0.clone(),
        0.0,
        running,
        TOTAL,
        format_amount(running),
    ));
    for (label, change) in &d.steps {
        let next = running + change;
        let color = if *change >= 0.0 { INCREASE } else { DECREASE };
        rows.push((label.clone(), running, next, color, format_change(*change)));
        running = next;
    }
    rows.push((d.end.0.clone(), 0.0, d.end.1, TOTAL, format_amount(d.end.1)));
    let WaterfallAxis {
        start: axis_start,
        high,
        note,
    } = waterfall_axis(d);
    // That the axis does not start at zero comes first: a chart too small for every note
    // shows the first ones whole, and bars cut at the axis mislead without it.
    let mut notes_text: Vec<String> = note.into_iter().collect();
    notes_text.extend(d.notes.iter().cloned());
    let legend = [
        ("increase".to_string(), LegendMark::Area(INCREASE.into())),
        ("decrease".to_string(), LegendMark::Area(DECREASE.into())),
        ("total".to_string(), LegendMark::Area(TOTAL.into())),
    ];
    let (top, bottom) = with_legend_and_notes(root, &legend, &notes_text);
    let (w, _) = root.dim_in_pixel();
    let labels: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let area = label_area(&labels, w);
    let max_chars = ((f64::from(area) - 24.0) / 9.0).max(8.0) as usize;
    // Every amount is written right of its bar: room for the longest on the right.
    let right_px = rows.iter().map(|r| text_px(&r.4, 15)).fold(0.0, f64::max) + 14.0;
    let plot_px = f64::from(w.saturating_sub(area + 40));
    let (_, axis_end) = padded(axis_start, high, 0.0, right_px, plot_px);
    let n = rows.len();
    let mut c = ChartBuilder::on(&top)
        .caption(&d.title, (FAMILY, title_size(&d.title, w)))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(area)
        .build_cartesian_2d(axis_start..axis_end, (0..n - 1).into_segmented())
        .map_err(err)?;
    let names: Vec<String> = rows.iter().map(|r| clip(&r.0, max_chars)).collect();
    draw_mesh(
        c.configure_mesh()
            .disable_y_mesh()
            .x_desc("cost per month (USD)")
            .x_label_formatter(&usd_ticks(axis_start, axis_end, ROW_LABELS))
            .y_label_formatter(&|v| match v {
                // Row 0 is drawn at the top.
                SegmentValue::CenterOf(i) => names.get(n - 1 - *i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(n)
            .x_labels(ROW_LABELS),
        15,
        16,
    )?;
    let row_px = f64::from(c.plotting_area().dim_in_pixel().1) / n as f64;
    let margin = bar_margin(row_px);
    let label = TextStyle::from((FAMILY, 15).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (r, (_, from, to, color, text)) in rows.iter().enumerate() {
        let i = n - 1 - r;
        let (from, to) = (from.max(axis_start), to.max(axis_start));
        let (lo, hi) = (from.min(to), from.max(to));
        let mut bar = Rectangle::new(
            [
                (lo, SegmentValue::Exact(i)),
                (hi, SegmentValue::Exact(i + 1)),
            ],
            color.filled(),
        );
        bar.set_margin(margin, margin, 0, 0);
        c.draw_series(std::iter::once(bar)).map_err(err)?;
        c.draw_series(std::iter::once(
            EmptyElement::at((hi, SegmentValue::CenterOf(i)))
                + Text::new(text.clone(), (8, 0), label.clone()),
        ))
        .map_err(err)?;
        // A thin connector from where this row ends to the next row, which starts there.
        if r + 1 < n {
            let end = rows[r].2.max(axis_start);
            c.draw_series(std::iter::once(PathElement::new(
                vec![
                    (end, SegmentValue::CenterOf(i)),
                    (end, SegmentValue::CenterOf(i - 1)),
                ],
                GREY.stroke_width(1),
            )))
            .map_err(err)?;
        }
    }
    legend_and_notes(&bottom, &legend, &notes_text)
}

fn tornado<DB: DrawingBackend>(root: &Area<DB>, d: &TornadoData) -> Result<(), ChartError> {
    if d.bars.is_empty() {
        return nothing_drawn(
            root,
            &d.title,
            "No input moves a priced total: the notes below say why.",
            &d.notes,
        );
    }
    // Amounts to as many decimals as tell the bars' totals from the scenario's (a month of
    // cents moves by fractions of one), and `≥` where unpriced lines are left out.
    let decimals = tornado_decimals(d);
    let at_least = if d.base_complete { "" } else { "≥ " };
    let amount = |v: f64| format!("{at_least}{}", format_amount_to(v, decimals));
    let legend = [
        (
            format!("this scenario: {}", amount(d.base)),
            LegendMark::Rule(BLACK.into()),
        ),
        (
            "input at its low value".to_string(),
            LegendMark::Area(PALETTE[0].into()),
        ),
        (
            "input at its high value".to_string(),
            LegendMark::Area(PALETTE[1].into()),
        ),
    ];
    let (w, _) = root.dim_in_pixel();
    let n = d.bars.len().max(1);
    let ends = || d.bars.iter().flat_map(|b| [b.low_total, b.high_total]);
    let low = ends().fold(d.base, f64::min);
    let high = ends().fold(d.base, f64::max);
    // The labels at the bars' ends: the value and the total there; two on the same side of
    // the base share one label. On a chart too narrow for them, the totals alone.
    let row_labels_of = |full: bool| {
        let mut row_labels = Vec::new();
        for b in &d.bars {
            let sides = [
                (b.low_total, PALETTE[0], &b.low_value),
                (b.high_total, PALETTE[1], &b.high_value),
            ];
            let text = |side: &[&(f64, RGBColor, &String)]| {
                side.iter()
                    .map(|(total, _, value)| {
                        if full {
                            format!("{value}: {}", amount(*total))
                        } else {
                            amount(*total)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            let below: Vec<_> = sides.iter().filter(|s| s.0 < d.base).collect();
            let above: Vec<_> = sides.iter().filter(|s| s.0 >= d.base).collect();
            row_labels.push((sides, text(&below), text(&above)));
        }
        let widest = |side: fn(&(_, String, String)) -> &String| {
            row_labels
                .iter()
                .map(|r| text_px(side(r), 14))
                .fold(0.0, f64::max)
                + 12.0
        };
        let left_px = widest(|r| &r.1);
        let right_px = widest(|r| &r.2);
        (row_labels, left_px, right_px)
    };
    let labels: Vec<&str> = d.bars.iter().map(|b| b.label.as_str()).collect();
    let area = label_area(&labels, w);
    let plot_px = f64::from(w.saturating_sub(area + 40));
    let mut notes_text = d.notes.clone();
    let (row_labels, left_px, right_px) = match row_labels_of(true) {
        // Labels may take at most four fifths of the plot (see `padded`).
        (_, l, r) if l + r > plot_px * 0.8 => {
            // First: the notes after it say the labels give the values too.
            notes_text.insert(
                0,
                "At this width the labels give the totals alone; a wider chart gives the values too."
                    .into(),
            );
            row_labels_of(false)
        }
        full => full,
    };
    let (top, bottom) = with_legend_and_notes(root, &legend, &notes_text);
    let max_chars = ((f64::from(area) - 24.0) / 9.0).max(8.0) as usize;
    let (low, high) = if high - low < d.base.abs() * 0.002 {
        (
            low - d.base.abs() * 0.001 - 1.0,
            high + d.base.abs() * 0.001 + 1.0,
        )
    } else {
        (low, high)
    };
    let (x0, x1) = padded(low, high, left_px, right_px, plot_px);
    let mut c = ChartBuilder::on(&top)
        .caption(&d.title, (FAMILY, title_size(&d.title, w)))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(area)
        .build_cartesian_2d(x0..x1, (0..n - 1).into_segmented())
        .map_err(err)?;
    let names: Vec<String> = d.bars.iter().map(|b| clip(&b.label, max_chars)).collect();
    draw_mesh(
        c.configure_mesh()
            .disable_y_mesh()
            .x_desc("total cost per month (USD)")
            .x_label_formatter(&usd_ticks(x0, x1, ROW_LABELS))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(n - 1 - *i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(n)
            .x_labels(ROW_LABELS),
        15,
        16,
    )?;
    let row_px = f64::from(c.plotting_area().dim_in_pixel().1) / n as f64;
    let margin = bar_margin(row_px);
    let text = TextStyle::from((FAMILY, 14).into_font()).color(&BLACK);
    let right = text.pos(Pos::new(HPos::Left, VPos::Center));
    let left = text.pos(Pos::new(HPos::Right, VPos::Center));
    for (r, (sides, below, above)) in row_labels.iter().enumerate() {
        let i = n - 1 - r;
        // The longer side first, so a shorter one on the same side stays visible.
        let mut order = sides.to_vec();
        order.sort_by(|x, y| {
            (y.0 - d.base)
                .abs()
                .partial_cmp(&(x.0 - d.base).abs())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for (total, color, _) in &order {
            let mut bar = Rectangle::new(
                [
                    (d.base.min(*total), SegmentValue::Exact(i)),
                    (d.base.max(*total), SegmentValue::Exact(i + 1)),
                ],
                color.filled(),
            );
            bar.set_margin(margin, margin, 0, 0);
            c.draw_series(std::iter::once(bar)).map_err(err)?;
        }
        let outer = |above: bool| {
            sides
                .iter()
                .map(|s| s.0)
                .filter(|t| (*t >= d.base) == above)
                .fold(d.base, |a, t| if above { a.max(t) } else { a.min(t) })
        };
        for (label, at, style, dx) in [
            (below, outer(false), &left, -6),
            (above, outer(true), &right, 6),
        ] {
            if label.is_empty() {
                continue;
            }
            c.draw_series(std::iter::once(
                EmptyElement::at((at, SegmentValue::CenterOf(i)))
                    + Text::new(label.clone(), (dx, 0), style.clone()),
            ))
            .map_err(err)?;
        }
    }
    c.draw_series(LineSeries::new(
        vec![
            (d.base, SegmentValue::Exact(0)),
            (d.base, SegmentValue::Exact(n)),
        ],
        BLACK.stroke_width(2),
    ))
    .map_err(err)?;
    legend_and_notes(&bottom, &legend, &notes_text)
}

#[cfg(test)]
mod tests {
    use super::{fitting, format_usd, wrapped};

    /// Whatever the axis's top, the money labels plotters puts on it read as different
    /// amounts: an axis to $5.5k has ticks $500 apart, which `$2k`, `$2k`, `$2k` hid.
    #[test]
    fn money_ticks_are_all_different() {
        use plotters::coord::ranged1d::{KeyPointHint, Ranged};
        use plotters::coord::types::RangedCoordf64;
        let mut top = 0.37;
        while top < 5e9 {
            for low in [0.0, top * 0.4] {
                let axis: RangedCoordf64 = (low..top).into();
                let points = axis.key_points(super::MESH_LABELS.bold_points());
                let label = super::usd_ticks(low, top, super::MESH_LABELS);
                let labels: Vec<String> = points.iter().map(&label).collect();
                let mut distinct = labels.clone();
                distinct.dedup();
                assert_eq!(distinct, labels, "{low}..{top}");
            }
            top *= 1.07;
        }
    }

    #[test]
    fn long_titles_shrink_to_fit() {
        assert_eq!(super::title_size("short", 760), 26);
        let long = "UGC short-form platform: monthly delivery cost by CloudFront cache hit rate";
        assert!(super::title_size(long, 760) < 26);
        assert!(f64::from(super::title_size(long, 760)) * 0.55 * 74.0 <= 736.0);
        assert_eq!(super::title_size(&"x".repeat(500), 760), 12);
    }

    /// Segment labels never touch: they shrink to 9 px, then only every few are written.
    #[test]
    fn segment_labels_fit_their_segments() {
        use plotters::prelude::*;
        crate::register_font();
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (1200, 700)).into_drawing_area();
        let names = |n: usize| (0..n).map(|i| format!("1080p_{i:04}")).collect::<Vec<_>>();
        assert_eq!(
            super::fit_labels(&area, &names(2), 600, 13),
            (13, 1, names(2))
        );
        let (size, every, _) = super::fit_labels(&area, &names(9), 590, 13);
        assert!((9..13).contains(&size) && every == 1, "{size} {every}");
        // Three long names are cut in the middle to their segments, none left out.
        let long: Vec<String> = [
            "1080p high-motion sports premium tier (CMAF, fMP4, HDR10 fallback)",
            "720p_main",
            "480p cellular data-saver rung for constrained networks",
        ]
        .map(String::from)
        .to_vec();
        let (size, every, written) = super::fit_labels(&area, &long, 590, 13);
        assert_eq!((size, every), (9, 1));
        assert_eq!(written[1], "720p_main");
        assert!(
            written[0].starts_with("1080p") && written[0].contains('…'),
            "{written:?}"
        );
        let font = TextStyle::from((super::FAMILY, 9).into_font());
        for w in &written {
            let (px, _) = area.estimate_text_size(w, &font).unwrap();
            assert!(f64::from(px) <= 590.0 / 3.0 * 0.9, "{w}: {px}");
        }
        let (size, every, _) = super::fit_labels(&area, &names(50), 590, 13);
        assert_eq!(size, 9);
        assert!(every > 1);
        // What is written fits: the labels kept are `every` segments apart.
        let font = TextStyle::from((super::FAMILY, 9).into_font());
        let (w, _) = area.estimate_text_size(&names(50)[0], &font).unwrap();
        assert!(w > 30, "measured with the font: {w} px");
        assert!(f64::from(w) <= 590.0 / 50.0 * every as f64 * 0.9);
        // One very long name among short ones does not leave most rungs unnamed: it is cut,
        // and the short names set how many are written.
        let mut mixed: Vec<String> = (0..16).map(|i| format!("{}p", 144 + i * 10)).collect();
        mixed[0] =
            "4320p 8K HDR10 ultra-premium flagship rendition for cinema-grade displays".into();
        let (_, every, written) = super::fit_labels(&area, &mixed, 560, 13);
        assert!(every <= 2, "every {every}");
        assert!(
            written[0].chars().count() <= super::CLIPPED_LEAST,
            "{}",
            written[0]
        );
    }

    #[test]
    fn counts_on_axes_tell_their_ticks_apart() {
        let ticks: Vec<String> = [0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0]
            .map(super::format_count)
            .to_vec();
        assert_eq!(ticks, ["0", "500", "1k", "1.5k", "2k", "2.5k", "3k"]);
        assert_eq!(super::format_count(1_200_000.0), "1.2M");
        assert_eq!(super::format_count(3e9), "3G");
    }

    #[test]
    fn money_on_axes_reads_in_its_own_scale() {
        assert_eq!(format_usd(11_400_000_000.0), "$11.4B");
        assert_eq!(format_usd(-2_500_000_000_000.0), "-$2.5T");
        assert_eq!(format_usd(970_659.87), "$971k");
        assert_eq!(format_usd(1_200_000.0), "$1.2M");
        // Ticks $200 apart near $14k need a decimal; $2k apart they do not.
        let close = super::usd_ticks(14_000.0, 15_200.0, 10);
        assert_eq!(close(&14_200.0), "$14.2k");
        assert_eq!(close(&14_400.0), "$14.4k");
        let apart = super::usd_ticks(0.0, 12_000.0, 10);
        assert_eq!(apart(&14_000.0), "$14k");
        assert_eq!(apart(&2_000.0), "$2k");
        assert_eq!(apart(&0.0), "$0");
        // Cents where the step is cents.
        let small = super::usd_ticks(0.0, 3.0, 10);
        assert_eq!(small(&0.5), "$0.5");
    }

    #[test]
    fn long_row_names_keep_both_ends() {
        let video = "1080p high-motion sports premium tier (CMAF): video kbps";
        let audio = "1080p high-motion sports premium tier (CMAF): audio kbps";
        let (v, a) = (super::clip(video, 30), super::clip(audio, 30));
        assert_eq!(v.chars().count(), 30);
        assert_ne!(v, a);
        assert!(
            v.starts_with("1080p high") && v.ends_with("video kbps"),
            "{v}"
        );
        assert_eq!(super::clip("short", 30), "short");
    }

    #[test]
    fn notes_that_do_not_fit_are_counted_not_cut() {
        let lines: Vec<String> = (1..=9).map(|i| format!("note {i}")).collect();
        let notes: Vec<Vec<String>> = lines.iter().map(|l| vec![l.clone()]).collect();
        // 9 lines need 181 px; 133 px (a third of a 400 px chart) holds 6.
        let shown = fitting(notes.clone(), 133);
        assert_eq!(shown.len(), 6);
        assert_eq!(shown[4], "note 5");
        assert_eq!(
            shown[5],
            "… 4 note(s) not shown in full: a larger chart shows them all"
        );
        assert_eq!(fitting(notes.clone(), 181), lines);
        assert_eq!(fitting(notes.clone(), 180).len(), 8);
        // A note of two lines that would end past the strip is begun, marked as cut, and
        // counted.
        let two = vec![
            vec!["one".to_string()],
            vec!["two, first half".to_string(), "second half".to_string()],
            vec!["three".to_string()],
        ];
        assert_eq!(
            fitting(two.clone(), 61),
            [
                "one",
                "two, first half …",
                "… 2 note(s) not shown in full: a larger chart shows them all"
            ]
        );
        assert_eq!(
            fitting(two.clone(), 41),
            [
                "one",
                "… 2 note(s) not shown in full: a larger chart shows them all"
            ]
        );
        assert_eq!(fitting(two, 81).len(), 4);
    }

    #[test]
    fn notes_wrap_between_words_to_the_chart_width() {
        let long = vec![
            "word ".repeat(40).trim_end().to_string(),
            "short".to_string(),
        ];
        let lines = wrapped(&long, 400);
        assert!(lines.iter().all(|l| l.chars().count() <= 45), "{lines:?}");
        assert_eq!(lines.join(" "), long.join(" "));
        assert_eq!(wrapped(&["fits".to_string()], 1200), vec!["fits"]);
    }
}

const BAND: RGBColor = RGBColor(0, 60, 120);
const BUDGET: RGBColor = PALETTE[3];

/// The fan chart: services stacked in light colours (the deterministic path), the P10–P90
/// band over them, the P50 as a line, the budget as a dashed line, events as dotted lines
/// named at the top. The legend is under the plot, so it hides no month; a reporting
/// currency is written beside each dollar figure of the axis.
fn forecast<DB: DrawingBackend>(root: &Area<DB>, d: &ForecastData) -> Result<(), ChartError> {
    // Every service left out for want of a price: no area, and a band at $0 would be a
    // price of nothing.
    if d.services.is_empty() {
        return nothing_drawn(
            root,
            &d.title,
            "No service has a price here: the notes below say why.",
            &d.notes,
        );
    }
    let (w, _) = root.dim_in_pixel();
    // The legend: the services, then the band, the P50 and the budget.
    let mut items: Vec<(String, LegendMark)> = d
        .services
        .iter()
        .map(|(name, _)| (name.clone(), LegendMark::Area(service_colour(d, name))))
        .collect();
    if d.uncertain {
        items.push((
            "P10 to P90 of the total".into(),
            LegendMark::Area(BAND.mix(0.16)),
        ));
    }
    items.push((
        if d.uncertain {
            "P50 of the total"
        } else {
            "total (every rate certain)"
        }
        .into(),
        LegendMark::Line(BLACK.into()),
    ));
    if let Some(b) = d.budget {
        items.push((
            format!("budget {}", format_usd(b)),
            LegendMark::Dashed(BUDGET.into()),
        ));
    }
    let n = d.months.len().max(1);
    let stacked: Vec<f64> = (0..n)
        .map(|i| {
            d.services
                .iter()
                .map(|(_, v)| v.get(i).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let max = stacked
        .iter()
        .chain(&d.p90)
        .chain(d.budget.iter())
        .copied()
        .fold(0.0, f64::max);
    // Room at the top for the event labels.
    let y_top = headroom(max) * (1.0 + 0.05 * d.events.len().min(3) as f64);
    // Months are numbered from 1 on the axis; the label shows the calendar month.
    let x0 = 0.5;
    let x1 = n as f64 + 0.5;
    // Where the event labels go, and which have no room: placed on the plot the layout
    // leaves when the notes name every label (the most they can take), so that the notes
    // that do name some leave at least that room.
    let y_area_px = if d.currency.is_some() { 160 } else { 90 };
    let every_label = left_out_note(&d.events.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>());
    let with_all: Vec<String> = every_label
        .iter()
        .cloned()
        .chain(d.notes.iter().cloned())
        .collect();
    let (room, _) = with_legend_and_notes(root, &items, &with_all);
    let (room_w, room_h) = room.dim_in_pixel();
    let plot_w = f64::from(room_w.saturating_sub(40 + y_area_px));
    let plot_h = f64::from(room_h.saturating_sub(40 + 50 + title_size(&d.title, w) + 12)).max(1.0);
    let events = place_events(&d.events, plot_w, plot_h, y_top, max, x1 - x0);
    let mut notes: Vec<String> = left_out_note(&events.left_out).into_iter().collect();
    notes.extend(d.notes.iter().cloned());
    let (top, bottom) = with_legend_and_notes(root, &items, &notes);
    let month_label = |v: &f64| {
        let i = v.round() as i64 - 1;
        if (v - v.round()).abs() > 1e-6 || i < 0 {
            return String::new();
        }
        d.months.get(i as usize).cloned().unwrap_or_default()
    };
    // At most one label per 90 px.
    let x_labels = (f64::from(w) / 90.0).floor().max(2.0) as usize;
    let step = n.div_ceil(x_labels).max(1);
    let ticks: Vec<f64> = (1..n + 1).step_by(step).map(|i| i as f64).collect();
    // The axis title runs up the plot: where the rate does not fit beside the currency (a
    // small chart), the title names the currency alone and the table gives the rate.
    let plot_height = f64::from(top.dim_in_pixel().1.saturating_sub(120));
    let (y_desc, y_area) = match &d.currency {
        Some((code, _, note)) => {
            let long = format!("cost per month (USD; {code} at {note})");
            if text_extent(&top, &long, &TextStyle::from((FAMILY, 17).into_font())).0 <= plot_height
            {
                (long, 160)
            } else {
                (format!("cost per month (USD; {code})"), 160)
            }
        }
        None => ("cost per month (USD)".to_string(), 90),
    };
    let dollars = usd_ticks(0.0, y_top, MESH_LABELS);
    let other = d
        .currency
        .as_ref()
        .map(|(_, rate, _)| usd_ticks_scaled(0.0, y_top, MESH_LABELS, *rate));
    let y_label = |v: &f64| match (&d.currency, &other) {
        (Some((code, rate, _)), Some(other)) => {
            format!(
                "{} · {} {code}",
                dollars(v),
                other(&(v * rate)).replace('$', "")
            )
        }
        _ => dollars(v),
    };
    let mut c = ChartBuilder::on(&top)
        .caption(&d.title, (FAMILY, title_size(&d.title, w)))
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x0..x1, 0.0..y_top)
        .map_err(err)?;
    draw_mesh(
        c.configure_mesh()
            .x_desc("month")
            .y_desc(y_desc.as_str())
            .x_label_formatter(&|v| {
                if ticks.iter().any(|t| (t - v).abs() < 1e-6) {
                    month_label(v)
                } else {
                    String::new()
                }
            })
            .x_labels(n.min(120))
            .y_label_formatter(&y_label),
        15,
        17,
    )?;
    // Where each month's values are drawn: at the month, or, for a forecast of one month,
    // across most of its width (a single point makes an area, band and line of no width:
    // nothing would show).
    let at: Vec<(f64, usize)> = if n == 1 {
        vec![(0.65, 0), (1.35, 0)]
    } else {
        (0..n).map(|i| (i as f64 + 1.0, i)).collect()
    };
    let line = |values: &[f64]| -> Vec<(f64, f64)> {
        at.iter()
            .map(|(x, i)| (*x, values.get(*i).copied().unwrap_or(0.0)))
            .collect()
    };
    let mut base = vec![0.0; n];
    for (name, values) in &d.services {
        let upper: Vec<f64> = base
            .iter()
            .enumerate()
            .map(|(i, b)| b + values.get(i).copied().unwrap_or(0.0))
            .collect();
        let mut poly = line(&upper);
        poly.extend(line(&base).into_iter().rev());
        c.draw_series(std::iter::once(Polygon::new(
            poly,
            service_colour(d, name).filled(),
        )))
        .map_err(err)?;
        base = upper;
    }
    if d.uncertain {
        let mut band = line(&d.p90);
        band.extend(line(&d.p10).into_iter().rev());
        c.draw_series(std::iter::once(Polygon::new(band, BAND.mix(0.16).filled())))
            .map_err(err)?;
        for edge in [&d.p10, &d.p90] {
            c.draw_series(LineSeries::new(line(edge), BAND.mix(0.8).stroke_width(2)))
                .map_err(err)?;
        }
    }
    c.draw_series(LineSeries::new(line(&d.p50), BLACK.stroke_width(3)))
        .map_err(err)?;
    if let Some(b) = d.budget {
        c.draw_series(DashedLineSeries::new(
            vec![(x0, b), (x1, b)],
            10,
            6,
            BUDGET.stroke_width(3),
        ))
        .map_err(err)?;
    }
    // Events: a dotted line at the month, the label at the top where it has room.
    let text = TextStyle::from((FAMILY, 14).into_font()).color(&BLACK);
    let row_h = y_top * EVENT_ROW_PX / f64::from(c.plotting_area().dim_in_pixel().1).max(1.0);
    for (i, _) in &d.events {
        let x = *i as f64 + 1.0;
        c.draw_series(DashedLineSeries::new(
            vec![(x, 0.0), (x, y_top)],
            3,
            4,
            GREY.stroke_width(1),
        ))
        .map_err(err)?;
    }
    for placed in &events.placed {
        let x = placed.month as f64 + 1.0;
        let y = y_top * 0.99 - row_h * placed.row as f64;
        let (at, pos) = if placed.left {
            (x - 0.15, Pos::new(HPos::Right, VPos::Top))
        } else {
            (x + 0.15, Pos::new(HPos::Left, VPos::Top))
        };
        c.draw_series(std::iter::once(Text::new(
            placed.label.to_string(),
            (at, y),
            text.clone().pos(pos),
        )))
        .map_err(err)?;
    }
    legend_and_notes(&bottom, &items, &notes)
}

/// Pixels between rows of event labels: a line of 14-pixel text.
const EVENT_ROW_PX: f64 = 17.0;

/// An event label placed on a forecast: its month (from 0), its row from the top, and
/// whether it runs to the left of its line.
struct PlacedEvent<'a> {
    month: usize,
    label: &'a str,
    row: usize,
    left: bool,
}

struct EventLabels<'a> {
    placed: Vec<PlacedEvent<'a>>,
    left_out: Vec<&'a str>,
}

/// Event labels on a plot `plot_w` × `plot_h` pixels wide and high, `months` wide, whose axis
/// runs to `y_top` over values up to `max`: each on the first row it does not overlap, rows a
/// line of text apart above the highest value; a label with no row left, or that would run
/// past the plot's left edge, is left out.
fn place_events<'a>(
    events: &'a [(usize, String)],
    plot_w: f64,
    plot_h: f64,
    y_top: f64,
    max: f64,
    months: f64,
) -> EventLabels<'a> {
    let px_per_month = plot_w / months.max(1.0);
    let row_h = y_top * EVENT_ROW_PX / plot_h.max(1.0);
    let rows_room = (((y_top - max) / row_h).floor().max(1.0)) as usize;
    let mut rows_end: Vec<f64> = Vec::new();
    let mut out = EventLabels {
        placed: Vec::new(),
        left_out: Vec::new(),
    };
    for (month, label) in events {
        let at_px = (*month as f64 + 0.5) * px_per_month;
        let width = text_px(label, 14) + 8.0;
        // Labels near the right edge go to the left of their line.
        let left = at_px + width > plot_w;
        let (from, to) = if left {
            (at_px - width, at_px)
        } else {
            (at_px, at_px + width)
        };
        let row = rows_end.iter().position(|end| *end < from);
        if from < 0.0 || (row.is_none() && rows_end.len() >= rows_room) {
            out.left_out.push(label);
            continue;
        }
        let row = row.unwrap_or_else(|| {
            rows_end.push(f64::MIN);
            rows_end.len() - 1
        });
        rows_end[row] = to;
        out.placed.push(PlacedEvent {
            month: *month,
            label,
            row,
            left,
        });
    }
    out
}

/// The note naming the event labels left out, if any.
fn left_out_note(labels: &[&str]) -> Option<String> {
    (!labels.is_empty()).then(|| {
        format!(
            "Event label(s) left out for room (their dotted lines stay): {}.",
            labels.join("; ")
        )
    })
}

/// A service's area colour in the forecast: its own, light, or a pale grey for a service
/// without one (the folded rest).
fn service_colour(d: &ForecastData, name: &str) -> RGBAColor {
    d.colours
        .iter()
        .find(|(n, _)| n == name)
        .map_or(GREY.mix(0.2), |(_, i)| PALETTE[i % PALETTE.len()].mix(0.35))
}

/// The height of a legend row, in pixels.
const LEGEND_ROW: u32 = 26;

/// How a legend item is drawn.
#[derive(Clone, Copy)]
enum LegendMark {
    Area(RGBAColor),
    Line(RGBAColor),
    Dashed(RGBAColor),
    /// A vertical rule, as a chart marks one value across its bars.
    Rule(RGBAColor),
    /// A dot on a line, as the ladder marks the scenario's rungs.
    Point(RGBAColor),
}

/// The legend items broken into rows that fit `width` pixels.
fn legend_rows(items: &[(String, LegendMark)], width: u32) -> Vec<Vec<(String, LegendMark)>> {
    let mut rows: Vec<Vec<(String, LegendMark)>> = vec![Vec::new()];
    let mut x = 20.0;
    for (label, mark) in items {
        let w = 28.0 + text_px(label, 15) + 24.0;
        if x + w > f64::from(width) - 20.0 && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            x = 20.0;
        }
        if let Some(r) = rows.last_mut() {
            r.push((label.clone(), *mark));
        }
        x += w;
    }
    rows
}

fn legend_rows_draw<DB: DrawingBackend>(
    area: &Area<DB>,
    rows: &[Vec<(String, LegendMark)>],
) -> Result<(), ChartError> {
    let text = TextStyle::from((FAMILY, 15).into_font())
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in rows.iter().enumerate() {
        let y = 15 + LEGEND_ROW as i32 * r as i32;
        let mut x = 20;
        for (label, mark) in row {
            match mark {
                LegendMark::Area(c) => area
                    .draw(&Rectangle::new([(x, y - 7), (x + 20, y + 7)], c.filled()))
                    .map_err(err)?,
                LegendMark::Line(c) => area
                    .draw(&PathElement::new(
                        vec![(x, y), (x + 20, y)],
                        c.stroke_width(3),
                    ))
                    .map_err(err)?,
                LegendMark::Point(c) => {
                    area.draw(&PathElement::new(
                        vec![(x, y), (x + 20, y)],
                        c.stroke_width(3),
                    ))
                    .map_err(err)?;
                    area.draw(&Circle::new((x + 10, y), 6, c.filled()))
                        .map_err(err)?;
                }
                LegendMark::Rule(c) => area
                    .draw(&PathElement::new(
                        vec![(x + 10, y - 10), (x + 10, y + 10)],
                        c.stroke_width(2),
                    ))
                    .map_err(err)?,
                LegendMark::Dashed(c) => {
                    for dx in [0, 12] {
                        area.draw(&PathElement::new(
                            vec![(x + dx, y), (x + dx + 8, y)],
                            c.stroke_width(3),
                        ))
                        .map_err(err)?;
                    }
                }
            }
            area.draw_text(label, &text, (x + 28, y)).map_err(err)?;
            x += 28 + text_px(label, 15) as i32 + 24;
        }
    }
    Ok(())
}
