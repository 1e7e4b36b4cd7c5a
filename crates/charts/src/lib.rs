//! Ladderwise's charts, drawn with plotters so the CLI, the report and the desktop app show the
//! very same pictures.
//!
//! Each chart takes plain data (computed by `ladderwise-app` from estimates and sweeps; money
//! arrives here as f64, already priced) and draws onto any plotters backend: [`render_svg`]
//! returns an SVG string, [`render_png`] PNG bytes. Text uses DejaVu Sans compiled into the
//! binary, so charts render the same on a machine with no fonts installed.
//!
//! One look for all: a title that says what is plotted, axis labels with units, a legend, the
//! Okabe–Ito colour-blind-safe palette, and money formatted as money.

mod alt;
mod draw;
mod place;
mod raster;

use std::sync::Once;

use plotters::prelude::*;

pub use draw::{format_amount, format_usd, rows_that_fit};

/// Width and height the CLI and the report use unless told otherwise.
pub const DEFAULT_SIZE: (u32, u32) = (1200, 700);

/// The Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    #[error("cannot encode the PNG: {0}")]
    Png(String),
    #[error(
        "chart size {0}x{1} is too small or too large\nhint: use a width of {w0} to {w1} and a height of {h0} to {h1} pixels",
        w0 = WIDTHS.start(), w1 = WIDTHS.end(), h0 = HEIGHTS.start(), h1 = HEIGHTS.end()
    )]
    Size(u32, u32),
}

/// One rung on the ladder chart.
#[derive(Clone, Debug, PartialEq)]
pub struct LadderRung {
    pub name: String,
    /// Vertical resolution in lines.
    pub height: u32,
    /// Video + audio, kilobits per second.
    pub kbps: f64,
    pub codec: String,
    /// Monthly cost allocated to the rung, when priced.
    pub monthly_usd: Option<f64>,
    /// The cost leaves out a line the rung has a share of that has no price: a lower bound,
    /// labelled `≥`.
    pub lower_bound: bool,
}

impl LadderRung {
    /// The rung's cost as its label writes it: `unpriced`, `≥$x` or `$x`, the amount by
    /// `money`.
    pub fn cost_written(&self, money: fn(f64) -> String) -> String {
        match self.monthly_usd {
            None => "unpriced".into(),
            Some(u) if self.lower_bound => format!("≥{}", money(u)),
            Some(u) => money(u),
        }
    }
}

/// The scenario's ladder with reference ladders beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct LadderData {
    pub title: String,
    pub rungs: Vec<LadderRung>,
    /// `(name, rungs)` of each reference ladder.
    pub references: Vec<(String, Vec<LadderRung>)>,
}

/// Delivery cost against the cache hit rate.
#[derive(Clone, Debug, PartialEq)]
pub struct HitRateData {
    pub title: String,
    /// Hit rates from 0 to 1.
    pub rates: Vec<f64>,
    /// `(component, cost at each rate)`, stacked in this order.
    pub components: Vec<(String, Vec<f64>)>,
    /// Cost of delivering straight from S3 (the same at every rate); empty when the snapshot
    /// has no price for it, and then not drawn.
    pub direct_s3: Vec<f64>,
    /// The scenario's own hit rate, marked on the chart; `None` when it delivers straight
    /// from S3 (it pays the direct-S3 line, and has no hit rate).
    pub scenario_rate: Option<f64>,
    /// Hit rate above which CloudFront costs less than direct S3, when there is one.
    pub break_even: Option<f64>,
    pub notes: Vec<String>,
}

impl HitRateData {
    /// The stacked delivery cost at each rate: the top of the areas.
    pub fn totals(&self) -> Vec<f64> {
        (0..self.rates.len())
            .map(|i| self.components.iter().map(|(_, v)| v[i]).sum())
            .collect()
    }
}

/// One line of a cost-versus-volume chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub dashed: bool,
    /// The series' colour, a slot of the palette: an option keeps its colour in every chart
    /// of its kind, whichever other options are drawn beside it.
    pub colour: usize,
}

/// Cost of several service choices against a volume, with the points where they cross.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceData {
    pub title: String,
    pub x_label: String,
    pub series: Vec<Series>,
    /// `(x, cost, label)` of each break-even.
    pub break_evens: Vec<(f64, f64, String)>,
    /// The scenario's own volume, marked with a vertical line.
    pub marker: Option<(f64, String)>,
    pub notes: Vec<String>,
}

/// Monthly cost by stage, and per rung.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakdownData {
    pub title: String,
    pub stages: Vec<(String, f64)>,
    /// The stages with a line the snapshot has no price for: their bar is a lower bound,
    /// labelled `unpriced` (nothing priced) or `≥$x`, never `$0`.
    pub unpriced_stages: Vec<String>,
    /// Names of the per-rung components, stacked in this order.
    pub rung_components: Vec<String>,
    /// Each stage's or component's colour (an index into the palette), the same in every
    /// chart whichever stages it has; a name not listed takes one after theirs.
    pub colours: Vec<(String, usize)>,
    /// Each rung's amount of each component; `None` where the rung's share is only of lines
    /// without a price (unknown, not $0: no bar is drawn for it).
    pub rungs: Vec<(String, Vec<Option<f64>>)>,
    pub notes: Vec<String>,
}

impl BreakdownData {
    /// A stage is unpriced whole when it has unpriced lines and its priced ones come to less
    /// than a cent: it reads `unpriced`, not an amount.
    pub fn priced_none(&self, stage: &str, usd: f64) -> bool {
        self.unpriced_stages.iter().any(|s| s == stage) && usd < 0.005
    }

    /// A stage's cost as its bar's label writes it: `unpriced`, `≥$x` (a lower bound) or
    /// `$x`, the amount by `money`.
    pub fn stage_written(&self, stage: &str, usd: f64, money: fn(f64) -> String) -> String {
        if self.priced_none(stage, usd) {
            "unpriced".into()
        } else if self.unpriced_stages.iter().any(|s| s == stage) {
            format!("≥{}", money(usd))
        } else {
            money(usd)
        }
    }
}

/// From one total to another, one floating bar per step: a horizontal waterfall.
#[derive(Clone, Debug, PartialEq)]
pub struct WaterfallData {
    pub title: String,
    /// `(label, total)` of the first scenario, drawn as the top bar.
    pub start: (String, f64),
    /// `(label, change)` of each step, top to bottom; each starts where the one before ends.
    pub steps: Vec<(String, f64)>,
    /// `(label, total)` of the second scenario, the bottom bar.
    pub end: (String, f64),
    /// Why no bar is drawn, when none is (a total leaves unpriced lines out, so every bar
    /// would miss an unknown cost): the chart says so over its notes instead.
    pub not_drawn: Option<String>,
    pub notes: Vec<String>,
}

/// One driver of a tornado chart: the total with the driver at its low and at its high
/// value.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    pub low_total: f64,
    pub high_total: f64,
    /// The driver's low and high values as text (`0.776`, `2,400 kbps`).
    pub low_value: String,
    pub high_value: String,
}

/// How far each driver moves the total, largest first, around the scenario's own total.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoData {
    pub title: String,
    pub base: f64,
    /// Every line of the scenario is priced: otherwise its total, and every bar's, is a
    /// lower bound, written with `≥`.
    pub base_complete: bool,
    pub bars: Vec<TornadoBar>,
    pub notes: Vec<String>,
}

/// A forecast's months: the P10–P90 band and the P50 of the total over the Monte Carlo
/// paths, the deterministic path stacked by service, and the budget.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastData {
    pub title: String,
    /// `YYYY-MM` of each month.
    pub months: Vec<String>,
    /// `(service, cost each month)` of the deterministic path, stacked in this order.
    pub services: Vec<(String, Vec<f64>)>,
    /// Each service's colour (an index into the palette), the same in every forecast
    /// whichever services it has; a service not listed (the folded "other") is grey.
    pub colours: Vec<(String, usize)>,
    pub p10: Vec<f64>,
    pub p50: Vec<f64>,
    pub p90: Vec<f64>,
    /// Whether the band comes from Monte Carlo paths (otherwise all three are one path).
    pub uncertain: bool,
    /// The monthly budget, drawn as a line.
    pub budget: Option<f64>,
    /// `(month index from 0, label)` of each event, drawn as a vertical line.
    pub events: Vec<(usize, String)>,
    /// `(code, units per USD, rate note)`: a second axis in the reporting currency.
    pub currency: Option<(String, f64, String)>,
    pub notes: Vec<String>,
}

/// Every chart Ladderwise draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    Ladder(LadderData),
    CacheHitRate(HitRateData),
    Choice(ChoiceData),
    Breakdown(BreakdownData),
    Waterfall(WaterfallData),
    Tornado(TornadoData),
    Forecast(ForecastData),
}

static FONT: Once = Once::new();

/// The one font every chart is set in, compiled in.
const FONT_BYTES: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Registers the embedded font under the family name every chart uses.
pub(crate) fn register_font() {
    FONT.call_once(|| {
        // The font is compiled in and known to be valid; if registration ever failed, text
        // drawing would report the error through `ChartError::Draw`.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT_BYTES);
    });
}

/// The widths a chart is drawn at: below 640 by 400 the tornado's, the breakdown's and the
/// forecast's labels run into each other and their notes are cut.
pub const WIDTHS: std::ops::RangeInclusive<u32> = 640..=4000;
/// The heights a chart is drawn at (see [`WIDTHS`]).
pub const HEIGHTS: std::ops::RangeInclusive<u32> = 400..=3000;

fn check_size((w, h): (u32, u32)) -> Result<(), ChartError> {
    if !WIDTHS.contains(&w) || !HEIGHTS.contains(&h) {
        return Err(ChartError::Size(w, h));
    }
    Ok(())
}

/// Draws `chart` as an SVG document.
pub fn render_svg(chart: &Chart, size: (u32, u32)) -> Result<String, ChartError> {
    check_size(size)?;
    register_font();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw::chart(&root, chart)?;
        root.present()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    Ok(alt::with_text_alternative(out, chart))
}

/// Draws `chart` as PNG bytes (8-bit RGB).
pub fn render_png(chart: &Chart, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    check_size(size)?;
    register_font();
    let (w, h) = size;
    let mut pixels = vec![0u8; (w as usize) * (h as usize) * 3];
    {
        let backend = raster::Png::new(BitMapBackend::with_buffer(&mut pixels, size))
            .ok_or_else(|| ChartError::Draw("the embedded font does not parse".into()))?;
        let root = backend.into_drawing_area();
        draw::chart(&root, chart)?;
        root.present()
            .map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // The chart in words, in the PNG's own keywords for it (PNG specification, 11.3.4.2
        // "Keywords and text strings": `Title`, `Description`); UTF-8, so iTXt.
        for (keyword, text) in [
            ("Title", chart.title().to_string()),
            ("Description", chart.description()),
        ] {
            encoder
                .add_itxt_chunk(keyword.into(), text)
                .map_err(|e| ChartError::Png(e.to_string()))?;
        }
        let mut writer = encoder
            .write_header()
            .map_err(|e| ChartError::Png(e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| ChartError::Png(e.to_string()))?;
    }
    Ok(bytes)
}
