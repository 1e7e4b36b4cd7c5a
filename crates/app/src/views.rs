//! The data behind each chart, computed from estimates and sweeps. This is where exact money
//! (Decimal) becomes f64 for drawing: charts only ever show rounded figures.

use std::str::FromStr;

use ladderwise_charts::{
    BreakdownData, Chart, ChoiceData, ForecastData, HitRateData, LadderData, LadderRung, Series,
};
use ladderwise_model::engine::drivers::Drivers;
use ladderwise_model::engine::flat_rate;
use ladderwise_model::engine::{Estimate, LineItem, Service, Stage};
use ladderwise_model::estimate;
use ladderwise_model::pricebook::PriceBook;
use ladderwise_model::scenario::{Cdn, Codec, MediaConvertTier, PlanChoice, Scenario};
use ladderwise_model::sweep::{
    BREAK_EVEN_SAMPLES, BreakEven, Choice, ChoiceCosts, SweepError, Vary, break_even, sample_point,
    sweep, with_field,
};
use ladderwise_model::units::Usd;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// The charts the CLI and the report draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Ladder,
    CacheHitRate,
    TranscodeChoice,
    DeliveryChoice,
    Breakdown,
    /// The months ahead: the fan of the total and the deterministic path by service.
    Forecast,
}

impl ChartKind {
    pub const ALL: [ChartKind; 6] = [
        ChartKind::Ladder,
        ChartKind::CacheHitRate,
        ChartKind::TranscodeChoice,
        ChartKind::DeliveryChoice,
        ChartKind::Breakdown,
        ChartKind::Forecast,
    ];

    /// Whether the chart prices the scenario over a range of values (4–12 ms) or over months
    /// (the forecast), rather than drawing the estimate at hand: the editor brings the
    /// numbers of an edit first and draws such a chart after them.
    pub fn is_sweep(self) -> bool {
        !matches!(self, ChartKind::Ladder | ChartKind::Breakdown)
    }

    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Ladder => "ladder",
            ChartKind::CacheHitRate => "cache-hit-rate",
            ChartKind::TranscodeChoice => "transcode-choice",
            ChartKind::DeliveryChoice => "delivery-choice",
            ChartKind::Breakdown => "breakdown",
            ChartKind::Forecast => "forecast",
        }
    }
}

impl FromStr for ChartKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ChartKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ChartKind::ALL.iter().map(|k| k.name()).collect();
                format!("unknown chart `{s}`; the charts are: {}", names.join(", "))
            })
    }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn usd(u: Usd) -> f64 {
    f(u.0)
}

/// Builds the data of one chart.
pub fn chart(kind: ChartKind, s: &Scenario, book: &PriceBook) -> Result<Chart, crate::AppError> {
    Ok(match kind {
        ChartKind::Forecast => forecast(&crate::forecast::run(s, book, Default::default())?),
        ChartKind::Ladder => ladder(s, &estimate(s, book)),
        ChartKind::CacheHitRate => cache_hit_rate(s, book)?,
        ChartKind::TranscodeChoice => transcode_choice(s, book)?,
        ChartKind::DeliveryChoice => delivery_choice(s, book)?,
        ChartKind::Breakdown => breakdown(&estimate(s, book)),
    })
}

// ----- ladder -------------------------------------------------------------------------------

/// A reference ladder shipped in `data/ladders/`, with its source.
pub struct ReferenceLadder {
    pub name: &'static str,
    pub source: &'static str,
    csv: &'static str,
}

pub const REFERENCE_LADDERS: &[ReferenceLadder] = &[
    ReferenceLadder {
        name: "Apple HLS H.264",
        source: "Apple HLS authoring specification for Apple devices, item 1.25",
        csv: include_str!("../../../data/ladders/apple_hls_h264.csv"),
    },
    ReferenceLadder {
        name: "Apple HLS HEVC",
        source: "Apple HLS authoring specification for Apple devices, item 1.25",
        csv: include_str!("../../../data/ladders/apple_hls_hevc.csv"),
    },
    ReferenceLadder {
        name: "Video on Demand on AWS (QVBR max)",
        source: "awslabs/video-on-demand-on-aws MediaConvert presets",
        csv: include_str!("../../../data/ladders/vod_on_aws_v5_hls_qvbr.csv"),
    },
];

/// One row of a reference ladder, as its CSV states it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceRow {
    pub name: String,
    pub width: u32,
    pub height: u32,
    /// `None` where the source says "same as the source" (Apple's higher rungs).
    pub fps: Option<Decimal>,
    /// As the source writes it (`h264`); see `Codec::from_name`.
    pub codec: String,
    pub video_kbps: u32,
    /// Only some sources state the audio of each rung.
    pub audio_kbps: Option<u32>,
}

impl ReferenceLadder {
    /// Every row of the CSV that has all the columns a scenario rung needs.
    pub fn rows(&self) -> Vec<ReferenceRow> {
        self.csv
            .lines()
            .skip(1)
            .filter_map(|line| {
                let cols: Vec<&str> = line.split(',').map(str::trim).collect();
                if cols.len() < 7 {
                    return None;
                }
                Some(ReferenceRow {
                    name: cols[0].to_string(),
                    width: cols[1].parse().ok()?,
                    height: cols[2].parse().ok()?,
                    fps: if cols[3] == "source" {
                        None
                    } else {
                        Some(cols[3].parse().ok()?)
                    },
                    codec: cols[4].to_string(),
                    video_kbps: cols[5].parse().ok()?,
                    audio_kbps: cols[6].parse().ok(),
                })
            })
            .collect()
    }

    /// The rungs, video bitrate only (the sources state audio separately or not at all).
    pub fn rungs(&self) -> Vec<LadderRung> {
        self.rows()
            .into_iter()
            .map(|r| LadderRung {
                name: r.name,
                height: r.height,
                kbps: f64::from(r.video_kbps),
                codec: r.codec,
                monthly_usd: None,
                lower_bound: false,
            })
            .collect()
    }
}

pub fn ladder(s: &Scenario, e: &Estimate) -> Chart {
    let rungs = s
        .ladder
        .rungs
        .iter()
        .map(|r| LadderRung {
            name: r.name.clone(),
            height: r.height.min(r.width),
            kbps: f(r.video.kbps()),
            codec: r.codec.name().to_string(),
            monthly_usd: e
                .rungs
                .iter()
                .find(|c| c.rung == r.name)
                .and_then(|c| c.total_known())
                .map(usd),
            lower_bound: e.rungs.iter().any(|c| c.rung == r.name && !c.complete),
        })
        .collect();
    let hevc = s
        .ladder
        .rungs
        .iter()
        .filter(|r| r.codec == Codec::Hevc)
        .count();
    let apple = if hevc * 2 > s.ladder.rungs.len() {
        &REFERENCE_LADDERS[1]
    } else {
        &REFERENCE_LADDERS[0]
    };
    Chart::Ladder(LadderData {
        title: format!("{}: video bitrate by resolution", s.name),
        rungs,
        references: vec![
            (apple.name.to_string(), apple.rungs()),
            (
                REFERENCE_LADDERS[2].name.to_string(),
                REFERENCE_LADDERS[2].rungs(),
            ),
        ],
    })
}

// ----- delivery cost components ---------------------------------------------------------------

/// What a delivery line is, for the stacked hit-rate chart; `None` for lines that are not
/// delivery (transcode, storage, writes, analysis).
pub fn delivery_component(l: &LineItem) -> Option<&'static str> {
    match (l.service, l.stage) {
        (Service::CloudFront, Stage::Delivery) => Some("CloudFront data transfer out"),
        (Service::CloudFront, Stage::Requests) if l.usage_type.contains("OriginShield") => {
            Some("Origin Shield requests")
        }
        (Service::CloudFront, Stage::Requests) => Some("CloudFront requests"),
        (Service::DataTransfer, _) => Some("S3 data transfer out"),
        (Service::S3, _) if l.is_s3_read() => Some("S3 reads (GET requests, retrieval)"),
        _ => None,
    }
}

/// The first delivery line of `e` the snapshot has no price for, with why: a delivery cost
/// without it would be drawn too low (as $0 where nothing is priced).
fn unpriced_delivery(e: &Estimate) -> Option<String> {
    e.lines
        .iter()
        .find(|l| delivery_component(l).is_some() && l.cost.is_none())
        .map(|l| {
            l.note.clone().unwrap_or_else(|| {
                format!(
                    "no price for {} in snapshot {}",
                    l.usage_type, e.snapshot.id
                )
            })
        })
}

/// What of a chart's CloudFront and direct-S3 delivery costs has no price, with why: an
/// option with an unpriced line is not drawn as cheaper than it is, and no break-even is
/// claimed unless both are priced.
#[derive(Default)]
struct DeliveryGaps {
    cdn: Option<String>,
    direct: Option<String>,
}

impl DeliveryGaps {
    /// Takes in the first unpriced delivery line of a CloudFront and of a direct-S3 estimate.
    fn see(&mut self, cdn: Option<&Estimate>, direct: Option<&Estimate>) {
        if self.cdn.is_none() {
            self.cdn = cdn.and_then(unpriced_delivery);
        }
        if self.direct.is_none() {
            self.direct = direct.and_then(unpriced_delivery);
        }
    }

    fn comparable(&self) -> bool {
        self.cdn.is_none() && self.direct.is_none()
    }

    /// What the chart says of the gaps.
    fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(why) = &self.direct {
            out.push(format!("Direct from S3 is not drawn: {why}."));
        }
        if let Some(why) = &self.cdn {
            out.push(format!(
                "CloudFront's cost leaves out what has no price, so it is drawn too low: {why}."
            ));
        }
        out
    }
}

/// The delivery cost of an estimate: every line [`delivery_component`] names.
pub fn delivery_cost(e: &Estimate) -> Usd {
    e.lines
        .iter()
        .filter(|l| delivery_component(l).is_some())
        .filter_map(|l| l.cost)
        .sum()
}

const HIT_RATE_COMPONENTS: [&str; 4] = [
    "CloudFront data transfer out",
    "CloudFront requests",
    "Origin Shield requests",
    "S3 reads (GET requests, retrieval)",
];

pub fn cache_hit_rate(s: &Scenario, book: &PriceBook) -> Result<Chart, SweepError> {
    let cdn = Choice::CloudFront.apply(s);
    let vary = Vary {
        field: "delivery.cache_hit_rate".into(),
        from: Decimal::ZERO,
        to: Decimal::ONE,
        step: Decimal::new(5, 2),
    };
    let points = sweep(&cdn, book, std::slice::from_ref(&vary))?;
    let rates: Vec<f64> = points.iter().map(|p| f(p.values[0])).collect();
    let components: Vec<(String, Vec<f64>)> = HIT_RATE_COMPONENTS
        .iter()
        .map(|name| {
            let values = points
                .iter()
                .map(|p| {
                    usd(p
                        .estimate
                        .lines
                        .iter()
                        .filter(|l| delivery_component(l) == Some(name))
                        .filter_map(|l| l.cost)
                        .sum())
                })
                .collect();
            (name.to_string(), values)
        })
        .filter(|(_, v): &(String, Vec<f64>)| v.iter().any(|x| *x > 0.0))
        .collect();
    let direct_estimate = estimate(&Choice::DirectS3.apply(s), book);
    let direct = usd(delivery_cost(&direct_estimate));
    let mut notes = vec![format!(
        "Delivery = CloudFront transfer and requests, Origin Shield and S3 reads; direct S3 = S3 data transfer out and GETs. Prices: snapshot {}.",
        book.snapshot.id
    )];
    match s.delivery.cdn {
        Cdn::None => notes.push(
            "This scenario delivers straight from S3 (delivery.cdn = \"none\"): it pays the dashed line, whatever the hit rate; the areas are what CloudFront would cost.".into(),
        ),
        Cdn::CloudfrontFlatRate => notes.push(
            "This scenario is on a CloudFront flat-rate plan: it pays the plan's monthly price (the delivery-choice chart compares the plans); the areas are CloudFront pay-as-you-go, and its hit rate still sets the origin reads.".into(),
        ),
        Cdn::Cloudfront => {}
    }
    let mut gaps = DeliveryGaps::default();
    gaps.see(None, Some(&direct_estimate));
    for p in &points {
        gaps.see(Some(&p.estimate), None);
    }
    notes.extend(gaps.notes());
    let comparable = gaps.comparable();
    let crossings = if comparable {
        break_even(
            s,
            book,
            "delivery.cache_hit_rate",
            Decimal::ZERO,
            Decimal::ONE,
            (Choice::CloudFront, Choice::DirectS3),
            delivery_cost,
        )?
    } else {
        Vec::new()
    };
    let break_even_rate = crossings.first().map(|b| f(b.value));
    if comparable && break_even_rate.is_none() {
        let cf0 = components.iter().map(|(_, v)| v[0]).sum::<f64>();
        notes.push(if cf0 <= direct {
            "No break-even: CloudFront costs less than direct S3 at every hit rate (S3 to CloudFront transfer is free).".into()
        } else {
            "No break-even: direct S3 costs less at every hit rate.".into()
        });
    }
    Ok(Chart::CacheHitRate(HitRateData {
        title: format!(
            "{}: monthly delivery cost by CloudFront cache hit rate",
            s.name
        ),
        direct_s3: if gaps.direct.is_none() {
            vec![direct; rates.len()]
        } else {
            Vec::new()
        },
        rates,
        components,
        scenario_rate: (s.delivery.cdn != Cdn::None).then(|| f(s.delivery.cache_hit_rate)),
        break_even: break_even_rate,
        notes,
    }))
}

// ----- service choices ----------------------------------------------------------------------

/// Break-evens as chart labels. Where both choices cost nothing (no volume at all) they are
/// equal but not interesting, so those points are left out.
fn label_crossings(
    crossings: &[BreakEven],
    what: &str,
    scale: f64,
    unit: &str,
) -> Vec<(f64, f64, String)> {
    crossings
        .iter()
        .filter(|b| !b.cost.0.is_zero())
        .map(|b| {
            let x = f(b.value) * scale;
            (x, usd(b.cost), format!("{what} at {}{unit}", format_x(x)))
        })
        .collect()
}

fn format_x(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.1}")
    }
}

/// The end of a chart's sweep of `field`: `wanted`, but no further than the field's rule
/// allows, so a scenario near the bound (which the parser accepts) still draws.
fn sweep_end(field: &str, wanted: Decimal) -> Decimal {
    ladderwise_model::scenario::fields::find(field)
        .and_then(|f| f.max())
        .map_or(wanted, |max| wanted.min(max))
}

/// Transcode cost against monthly content minutes, for each transcode choice that can run
/// this ladder.
pub fn transcode_choice(s: &Scenario, book: &PriceBook) -> Result<Chart, SweepError> {
    let own = f(s.content.new_minutes_per_month.0);
    let field = "content.new_minutes_per_month";
    let top = sweep_end(
        field,
        Decimal::from_f64_retain((own * 2.0).max(1000.0))
            .unwrap_or(Decimal::from(1000))
            .round(),
    );
    let candidates = [
        Choice::MediaConvert(MediaConvertTier::Basic),
        Choice::MediaConvert(MediaConvertTier::Professional),
        Choice::MediaConvertReserved,
        Choice::ElasticTranscoder,
    ];
    let mut notes = Vec::new();
    // A choice that cannot run the ladder (Elastic Transcoder and HEVC, a snapshot without
    // reserved slots) has unpriced transcode lines: it is left out, never drawn as $0.
    let probe = with_field(s, field, top / Decimal::TWO)?;
    let mut choices = Vec::new();
    // Rungs a reserved queue cannot run (AV1, 8K): on demand beside the slots.
    let on_demand_anyway: Vec<String> = s
        .ladder
        .rungs
        .iter()
        .filter_map(ladderwise_model::engine::transcode::refused_by_reserved_queue)
        .collect();
    for c in candidates {
        if c == Choice::MediaConvertReserved
            && !ladderwise_model::engine::transcode::reserved_queue_runs_some(&s.ladder.rungs)
        {
            notes.push(format!(
                "{c} is not drawn: a reserved queue runs none of this ladder's outputs ({}; MediaConvert runs 8K outputs and AV1 encoding on demand only).",
                on_demand_anyway.join(", ")
            ));
            continue;
        }
        let e = estimate(&c.apply(&probe), book);
        match e
            .lines
            .iter()
            .find(|l| l.stage == Stage::Transcode && l.cost.is_none())
        {
            Some(l) => notes.push(format!(
                "{c} is not drawn: {}.",
                l.note.as_deref().unwrap_or("it has unpriced lines")
            )),
            None => choices.push(c),
        }
    }
    // The series are drawn on the points the break-even search samples, so each point is
    // priced once for both.
    let steps = BREAK_EVEN_SAMPLES;
    let costs = ChoiceCosts::new(s, book, field, |e: &Estimate| {
        e.stage_total(Stage::Transcode)
    });
    let mut series: Vec<(Choice, Series)> = Vec::new();
    for c in &choices {
        let mut points = Vec::new();
        for i in 0..=steps {
            let x = sample_point(Decimal::ZERO, top, i, steps);
            points.push((f(x), usd(costs.at(*c, x)?)));
        }
        // Choices that cost the same everywhere are one line, and never cross.
        if let Some((same, drawn)) = series
            .iter_mut()
            .find(|(_, other)| coincide(&other.points, &points))
        {
            drawn.name = format!("{} = {}", drawn.name, short(*c));
            notes.push(format!(
                "{} and {} cost the same at every volume here: {}.",
                short(*same),
                short(*c),
                if *same == Choice::MediaConvert(MediaConvertTier::Basic) {
                    "every rung bills at Professional rates (HEVC or AV1, or multi-pass)"
                } else {
                    "their prices coincide"
                }
            ));
            continue;
        }
        // Reserved slots come in whole slots: their cost is a staircase, rising where the
        // month's content needs one slot more.
        let points = if *c == Choice::MediaConvertReserved {
            slot_steps(s, top)
                .map(|steps| -> Result<Vec<(f64, f64)>, SweepError> {
                    let mut out = points.clone();
                    // Just past a step, by a millionth of the axis: the cost with the new slot.
                    let past = top / Decimal::from(1_000_000);
                    for x in steps {
                        out.push((f(x), usd(costs.at(*c, x)?)));
                        out.push((f(x), usd(costs.at(*c, x + past)?)));
                    }
                    // Stable: at a step, the cost before it stays before the cost after.
                    out.sort_by(|a, b| a.0.total_cmp(&b.0));
                    Ok(out)
                })
                .transpose()?
                .unwrap_or_else(|| staircase(&points))
        } else {
            points
        };
        series.push((
            *c,
            Series {
                name: c.to_string(),
                points,
                dashed: *c == Choice::ElasticTranscoder,
                // Each choice keeps the colour of its place among the candidates.
                colour: candidates.iter().position(|k| k == c).unwrap_or(0),
            },
        ));
    }
    let drawn: Vec<Choice> = series.iter().map(|(c, _)| *c).collect();
    let mut break_evens = Vec::new();
    for (i, a) in drawn.iter().enumerate() {
        for b in &drawn[i + 1..] {
            let crossings = costs.break_even(Decimal::ZERO, top, (*a, *b))?;
            break_evens.extend(label_crossings(
                &crossings,
                &format!("{} = {}", short(*a), short(*b)),
                1.0,
                " min",
            ));
        }
    }
    if drawn.contains(&Choice::ElasticTranscoder) {
        notes.push(
            "Elastic Transcoder reached end of support on 2025-11-13: its line is a legacy baseline."
                .into(),
        );
    }
    if drawn.contains(&Choice::MediaConvertReserved) {
        let apart = if on_demand_anyway.is_empty() {
            String::new()
        } else {
            format!(
                "; rung(s) {} run on demand beside them (a reserved queue runs no 8K output and no AV1 encoding)",
                on_demand_anyway.join(", ")
            )
        };
        notes.push(format!(
            "Reserved: enough slots for every job of the month at the scenario's job speed of {} (minutes of a slot per minute of content), 12-month commitment{apart}.",
            s.transcode.job_speed.central.normalize()
        ));
    }
    notes.push("MediaConvert's first Basic band and its SD/HD factors are from AWS pages; its other bands, factors and the slot price are third-party or unverified.".to_string());
    Ok(Chart::Choice(ChoiceData {
        title: format!("{}: transcode cost by monthly content minutes", s.name),
        x_label: "new content per month (minutes of source)".into(),
        series: series.into_iter().map(|(_, s)| s).collect(),
        break_evens,
        marker: Some((own, "this scenario".into())),
        notes,
    }))
}

/// Where the reserved slots the month needs go up by one, below `top` minutes of content:
/// every `month ÷ job speed` minutes (one slot runs a month of jobs at that speed), as
/// `Choice::MediaConvertReserved` sizes them. `None` when there are too many to draw apart.
fn slot_steps(s: &Scenario, top: Decimal) -> Option<Vec<Decimal>> {
    let speed = s.transcode.job_speed.central;
    if speed <= Decimal::ZERO {
        return None;
    }
    let width = ladderwise_model::units::Seconds::in_billing_month()
        .minutes()
        .0
        / speed;
    let count = (top / width).floor().to_u32()?;
    (count <= 2 * BREAK_EVEN_SAMPLES).then(|| {
        (1..=count)
            .map(|k| width * Decimal::from(k))
            .filter(|x| *x < top)
            .collect()
    })
}

/// A step function drawn as steps: where the cost changes between two samples it is drawn
/// flat to the later sample and rising there, not as a slope.
fn staircase(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len() * 2);
    for &(x, y) in points {
        if let Some(&(_, prev)) = out.last()
            && (prev - y).abs() > 1e-9
        {
            out.push((x, prev));
        }
        out.push((x, y));
    }
    out
}

/// Terabytes for a label: `0`, `0.1`, `2.5`, `14`, `1200`, `12k`: a plan's start told from
/// the next one's, however small.
fn terabytes(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x < 1.0 {
        format!("{x:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else if x < 10.0 {
        format!("{x:.1}")
    } else {
        format_count(x)
    }
}

/// A count for a note: `614`, `2.5k`, `6.0M`, `6.00B`.
fn format_count(x: f64) -> String {
    if x >= 1e9 {
        format!("{:.2}B", x / 1e9)
    } else if x >= 1e6 {
        format!("{:.1}M", x / 1e6)
    } else if x >= 1e4 {
        format!("{:.0}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

/// Whether two series are the same line (to the cent at every point).
fn coincide(a: &[(f64, f64)], b: &[(f64, f64)]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| (p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 0.005)
}

fn short(c: Choice) -> &'static str {
    match c {
        Choice::MediaConvert(MediaConvertTier::Basic) => "Basic",
        Choice::MediaConvert(MediaConvertTier::Professional) => "Professional",
        Choice::MediaConvertReserved => "reserved slots",
        Choice::ElasticTranscoder => "Elastic Transcoder",
        Choice::CloudFront => "CloudFront",
        Choice::CloudFrontFlatRate => "flat-rate",
        Choice::DirectS3 => "direct S3",
    }
}

/// Delivery cost against monthly egress, for CloudFront pay-as-you-go, CloudFront on the
/// cheapest flat-rate plan whose data and request allowances hold the month (a step at each
/// plan; the requests come from this ladder's segment length), and direct S3.
pub fn delivery_choice(s: &Scenario, book: &PriceBook) -> Result<Chart, SweepError> {
    let field = "audience.watch_minutes_per_month";
    let own_watch = s.audience.watch_minutes_per_month.0;
    let own = estimate(s, book);
    let own_tb = f(own.unit_economics.delivered_gb) / 1024.0;
    // Sweep watch time so egress spans at least 100 TB and twice the scenario's own.
    let per_minute_gb = if own_watch.is_zero() {
        None
    } else {
        Some(own.unit_economics.delivered_gb / own_watch)
    };
    let top_watch = match per_minute_gb {
        Some(g) if !g.is_zero() => {
            let for_100tb = Decimal::from(102_400) / g;
            sweep_end(field, (own_watch * Decimal::TWO).max(for_100tb).round())
        }
        _ => Decimal::from(1_000_000_000u64),
    };
    let steps = 80;
    let mut payg = Vec::new();
    let mut direct = Vec::new();
    let mut flat: Vec<(f64, f64)> = Vec::new();
    let mut plan_steps: Vec<(f64, f64, String)> = Vec::new();
    let mut last_plan: Option<String> = None;
    // The data (TB) and requests the plan drawn last allows.
    let mut last_allowance: Option<(f64, f64)> = None;
    let mut flat_ends: Option<String> = None;
    let mut gaps = DeliveryGaps::default();
    // Evenly spaced samples, and one just past each flat-rate plan's data and request
    // allowance: over a range of thousands of TB the even samples are hundreds of TB apart,
    // and would step from the Free plan straight past the plans between.
    let mut watches: Vec<Decimal> = (0..=steps)
        .map(|i| top_watch * Decimal::from(i) / Decimal::from(steps))
        .collect();
    if !own_watch.is_zero() {
        let d = Drivers::of(s);
        let per_watch = [
            d.egress.billed_gb().0 / own_watch,
            d.requests_total / own_watch,
        ];
        let just_past = Decimal::new(1_000_001, 6);
        for plan in flat_rate::by_price(book) {
            for (allowance, per) in [plan.data_transfer_gb, plan.requests]
                .into_iter()
                .zip(per_watch)
            {
                if let Some(w) = allowance
                    .checked_div(per)
                    .and_then(|w| w.checked_mul(just_past))
                    && w > Decimal::ZERO
                    && w < top_watch
                {
                    watches.push(w);
                }
            }
        }
        watches.sort();
        watches.dedup();
    }
    for w in watches {
        let point = with_field(s, field, w)?;
        let cf = estimate(&Choice::CloudFront.apply(&point), book);
        let tb = f(cf.unit_economics.delivered_gb) / 1024.0;
        payg.push((tb, usd(delivery_cost(&cf))));
        let s3 = estimate(&Choice::DirectS3.apply(&point), book);
        direct.push((tb, usd(delivery_cost(&s3))));
        gaps.see(Some(&cf), Some(&s3));
        if flat_ends.is_some() {
            continue;
        }
        let d = Drivers::of(&point);
        match flat_rate::choose(
            PlanChoice::Auto,
            book,
            d.egress.billed_gb().0,
            d.requests_total,
        ) {
            Ok(fit) if fit.fits() => {
                let y = usd(delivery_cost(&estimate(
                    &Choice::CloudFrontFlatRate.apply(&point),
                    book,
                )));
                if last_plan.as_deref() != Some(fit.plan.name.as_str()) {
                    // A step where the previous plan stops holding the month (its data, or
                    // its requests: both grow in step with egress), not at the sample that
                    // found the next one: the previous plan's price up to there, then this
                    // plan's. The cheapest plan that holds the month changes only there.
                    let from = match last_allowance {
                        Some((data_tb, requests)) => {
                            let per_tb = f(d.requests_total) / tb.max(f64::MIN_POSITIVE);
                            data_tb
                                .min(requests / per_tb.max(f64::MIN_POSITIVE))
                                .min(tb)
                        }
                        None => tb,
                    };
                    if let Some(&(_, prev)) = flat.last() {
                        flat.push((from, prev));
                        flat.push((from, y));
                    }
                    // Where it starts, so that marks close together are told apart.
                    plan_steps.push((
                        from,
                        y,
                        format!("{} plan from {} TB", fit.plan.name, terabytes(from)),
                    ));
                    last_plan = Some(fit.plan.name.clone());
                    last_allowance =
                        Some((f(fit.plan.data_transfer_gb) / 1024.0, f(fit.plan.requests)));
                }
                flat.push((tb, y));
            }
            Ok(fit) => {
                // The bound the month passed: the plan's data, else its requests (the point
                // drawn is only the first sample past it).
                let (data_tb, requests) = (
                    format_count(f(fit.plan.data_transfer_gb) / 1024.0),
                    format_count(f(fit.plan.requests)),
                );
                let bound = if d.egress.billed_gb().0 > fit.plan.data_transfer_gb {
                    format!("{data_tb} TB")
                } else {
                    format!("{requests} requests")
                };
                flat_ends = Some(format!(
                    "past {bound} a month no plan holds the month: the largest, {}, allows {data_tb} TB and {requests} requests a month",
                    fit.plan.name,
                ))
            }
            Err(why) => flat_ends = Some(why),
        }
    }
    let crossings = if gaps.comparable() {
        break_even(
            s,
            book,
            field,
            Decimal::ZERO,
            top_watch,
            (Choice::CloudFront, Choice::DirectS3),
            delivery_cost,
        )?
    } else {
        Vec::new()
    };
    let gb_per_minute = per_minute_gb.map_or(0.0, f);
    let mut break_evens = label_crossings(
        &crossings,
        "CloudFront = direct S3",
        gb_per_minute / 1024.0,
        " TB",
    );
    // Colours by option (pay-as-you-go, direct S3, flat-rate), whichever are drawn.
    let mut series = vec![Series {
        name: "CloudFront pay-as-you-go".into(),
        points: payg,
        dashed: false,
        colour: 0,
    }];
    let mut notes = vec![format!(
        "Egress grows with watch time at the scenario's rung mix, geographies and {:.0} % hit rate; prices: snapshot {}.",
        f(s.delivery.cache_hit_rate) * 100.0,
        book.snapshot.id
    )];
    if per_minute_gb.is_none_or(|g| g.is_zero()) {
        notes.push(format!(
            "The scenario sends nothing to viewers: the axis runs to {} watched minutes a month, to show the options' costs at scale.",
            format_count(f(top_watch))
        ));
    }
    if gaps.direct.is_none() {
        series.push(Series {
            name: "direct from S3".into(),
            points: direct,
            dashed: true,
            colour: 1,
        });
    }
    notes.extend(gaps.notes());
    let drawn_flat = flat.len() > 1;
    if drawn_flat {
        series.push(Series {
            name: "CloudFront flat-rate, cheapest plan that holds the month".into(),
            points: flat,
            dashed: false,
            colour: 2,
        });
        break_evens.extend(plan_steps.clone());
        notes.push(format!(
            "Flat-rate plans (not in the Price List) charge no overage; a plan holds a month only if both its data and its request allowance do, requests counted for {} s segments. Origin reads are billed by S3 under every option.",
            s.ladder.segment_seconds.normalize()
        ));
    }
    match (flat_ends, drawn_flat) {
        (Some(why), true) => notes.push(format!("Flat-rate: {why}.")),
        (Some(why), false) => notes.push(format!("Flat-rate plans are not drawn: {why}.")),
        (None, _) => {}
    }
    if crossings.is_empty() && gaps.comparable() {
        notes.push("No break-even in this range between CloudFront and direct S3.".into());
    }
    Ok(Chart::Choice(ChoiceData {
        title: format!("{}: delivery cost by monthly egress", s.name),
        x_label: "data delivered to viewers per month (TB)".into(),
        series,
        break_evens,
        marker: Some((own_tb, "this scenario".into())),
        notes,
    }))
}

// ----- breakdown ----------------------------------------------------------------------------

/// A step's cost per month and per title as the terminal table and the report write them:
/// lower bounds marked, the cost per title to four decimals (`None` without titles).
pub fn stage_cost_cells(row: &ladderwise_model::engine::StageCost) -> (String, Option<String>) {
    let unpriced = !row.complete;
    let per_title = row.usd_per_title.map(|u| {
        u.at_least_as(
            unpriced,
            row.usd_per_month.to_cents().is_zero(),
            Usd::per_unit,
        )
    });
    (row.usd_per_month.at_least(unpriced), per_title)
}

/// A rung's figures as the terminal table and the report show them: output minutes, stored
/// and delivered GB, then its transcode, storage and delivery costs and their total. A share
/// of a line without a price makes the rung's share of that step `≥$x`, or `unpriced` when
/// none of the lines it has a share of is priced.
pub fn rung_figures(r: &ladderwise_model::engine::RungCost) -> [String; 7] {
    use ladderwise_model::units::format_quantity;
    let [t, s, d] = r.known;
    [
        format_quantity(r.output_minutes, 0),
        format_quantity(r.stored_gb, 0),
        format_quantity(r.delivered_gb, 0),
        t.written(r.transcode),
        s.written(r.storage),
        d.written(r.delivery),
        r.total.at_least(!r.complete),
    ]
}

/// A service's colour in the forecast, the same in every forecast; the rest of the
/// serverless glue has none of its own (past six services it is folded into one area).
fn service_colour(s: Service) -> Option<usize> {
    match s {
        Service::MediaConvert => Some(0),
        Service::S3 => Some(1),
        Service::CloudFront => Some(2),
        Service::Rekognition => Some(3),
        Service::ElasticTranscoder => Some(4),
        Service::DataTransfer => Some(5),
        Service::Comprehend => Some(6),
        Service::Waf => Some(7),
        _ => None,
    }
}

/// A stage's colour in the charts: the three every estimate has first, in the palette's
/// most distinct colours.
fn stage_colour(st: Stage) -> usize {
    match st {
        Stage::Transcode => 0,
        Stage::Storage => 1,
        Stage::Delivery => 2,
        Stage::Requests => 3,
        Stage::Moderation => 4,
        Stage::Nlp => 5,
        Stage::Glue => 6,
        Stage::Ingest => 7,
    }
}

pub fn breakdown(e: &Estimate) -> Chart {
    let stages = Stage::ALL
        .iter()
        .filter(|st| e.lines.iter().any(|l| l.stage == **st))
        .map(|st| (st.label().to_string(), usd(e.stage_total(*st))))
        .collect();
    let rungs = e
        .rungs
        .iter()
        .map(|r| {
            (
                r.rung.clone(),
                [r.transcode, r.storage, r.delivery]
                    .into_iter()
                    .zip(r.known)
                    .map(|(amount, known)| known.amount(amount).map(usd))
                    .collect(),
            )
        })
        .collect();
    let mut notes = vec![if e.lines.iter().all(|l| l.cost.is_none()) {
        format!(
            "No line of the month has a price in snapshot {}.",
            e.snapshot.id
        )
    } else {
        format!(
            "Total {} a month{}; prices: snapshot {}.",
            e.total.at_least(!e.complete),
            if e.complete {
                ""
            } else {
                " plus unpriced lines"
            },
            e.snapshot.id
        )
    }];
    notes.push("Per rung: transcode by normalized minutes, storage and writes by bytes, delivery and requests by bytes delivered or watch share.".into());
    let unpriced_stages: Vec<String> = Stage::ALL
        .iter()
        .filter(|st| e.stage_unpriced(**st))
        .map(|st| st.label().to_string())
        .collect();
    if !unpriced_stages.is_empty() {
        notes.push(format!(
            "Unpriced in snapshot {}: {} (`ladderwise estimate` says why); their bars and the rungs' shares of them are lower bounds.",
            e.snapshot.id,
            unpriced_stages.join(", ")
        ));
    }
    Chart::Breakdown(BreakdownData {
        title: format!("{}: monthly cost by stage and by rung", e.scenario),
        stages,
        unpriced_stages,
        rung_components: vec!["transcode".into(), "storage".into(), "delivery".into()],
        // By the stage, not its place among this month's: the transcode bar is the same
        // colour in every scenario's breakdown, with or without an ingest stage before it.
        colours: Stage::ALL
            .iter()
            .map(|st| (st.label().to_string(), stage_colour(*st)))
            .collect(),
        rungs,
        notes,
    })
}

// ----- forecast -----------------------------------------------------------------------------

/// The fan chart of a forecast. Money is in US dollars; the reporting currency, when the file
/// names one, is a second axis at the file's rate.
pub fn forecast(fc: &ladderwise_model::forecast::Forecast) -> Chart {
    use crate::export::forecast::service_cost;
    let months: Vec<String> = fc.months.iter().map(|m| m.month.to_string()).collect();
    // Past six services the colours would repeat: the largest six keep their own area, the
    // rest are stacked as one.
    const OWN_AREAS: usize = 6;
    // A service none of whose lines has a price in any month has no area: drawn, it would
    // read as $0. A note names it.
    let never_priced: Vec<&str> = fc
        .services
        .iter()
        .filter(|s| {
            fc.months.iter().all(|m| {
                m.estimate
                    .lines
                    .iter()
                    .filter(|l| l.service == **s)
                    .all(|l| l.cost.is_none())
            })
        })
        .map(|s| s.short_name())
        .collect();
    let mut services: Vec<(String, Vec<f64>)> = fc
        .services
        .iter()
        .filter(|s| !never_priced.contains(&s.short_name()))
        .map(|s| {
            (
                s.short_name().to_string(),
                fc.months
                    .iter()
                    .map(|m| usd(service_cost(&m.estimate, *s)))
                    .collect(),
            )
        })
        .collect();
    if services.len() > OWN_AREAS {
        let size = |v: &Vec<f64>| v.iter().sum::<f64>();
        let mut by_size: Vec<usize> = (0..services.len()).collect();
        by_size.sort_by(|a, b| size(&services[*b].1).total_cmp(&size(&services[*a].1)));
        let keep: Vec<usize> = by_size[..OWN_AREAS - 1].to_vec();
        let folded: Vec<(String, Vec<f64>)> = services
            .iter()
            .enumerate()
            .filter(|(i, _)| !keep.contains(i))
            .map(|(_, s)| s.clone())
            .collect();
        let mut other = vec![0.0; fc.months.len()];
        for (_, v) in &folded {
            for (o, x) in other.iter_mut().zip(v) {
                *o += x;
            }
        }
        let names: Vec<&str> = folded.iter().map(|(n, _)| n.as_str()).collect();
        // Bill order for the kept ones, the rest last.
        services = services
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.contains(i))
            .map(|(_, s)| s)
            .collect();
        services.push((format!("other: {}", names.join(", ")), other));
    }
    let band = |p: fn(&ladderwise_model::forecast::Band) -> Usd| -> Vec<f64> {
        fc.months.iter().map(|m| usd(p(&m.total))).collect()
    };
    let events = fc
        .months
        .iter()
        .enumerate()
        .flat_map(|(i, m)| m.events.iter().map(move |e| (i, e.clone())))
        .collect();
    let mut notes = Vec::new();
    notes.push(
        "The coloured areas are the deterministic path by service, every growth rate at its central value."
            .to_string(),
    );
    let incomplete = fc.months.iter().filter(|m| !m.estimate.complete).count();
    if incomplete > 0 {
        notes.push(format!(
            "{incomplete} month(s) have unpriced lines: their totals leave them out and are too low."
        ));
    }
    if !never_priced.is_empty() {
        // Each with the engine's reason (no price in the Region, no frame-rate band, …):
        // the Region is not always why.
        let why: Vec<String> = fc
            .services
            .iter()
            .filter(|s| never_priced.contains(&s.short_name()))
            .map(|s| {
                let note = fc.months.iter().find_map(|m| {
                    m.estimate
                        .lines
                        .iter()
                        .find(|l| l.service == *s && l.note.is_some())
                        .and_then(|l| l.note.clone())
                });
                match note {
                    Some(n) => format!("{} ({n})", s.short_name()),
                    None => s.short_name().to_string(),
                }
            })
            .collect();
        notes.push(format!(
            "Not drawn, unpriced in every month: {}.",
            why.join(", ")
        ));
    }
    // The same words as the table's: over a month with unpriced lines, a crossing is a
    // month by which the P50 is over at the latest.
    notes.extend(crate::export::forecast::budget_summary(fc));
    // The forecast's notes are clauses (the CLI writes each after `note:`); under a chart they
    // are sentences among sentences.
    notes.extend(fc.notes.iter().map(|n| {
        let mut chars = n.chars();
        let sentence = chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect());
        if sentence.ends_with('.') {
            sentence
        } else {
            format!("{sentence}.")
        }
    }));
    // The rate and its source, whatever room the axis title has for them: a chart saved
    // alone has no table beside it.
    if let Some(c) = &fc.currency {
        notes.insert(
            0,
            format!(
                "{} amounts at {} {} per US dollar on {} ({}).",
                c.code,
                c.per_usd.normalize(),
                c.code,
                c.rate_date,
                c.source
            ),
        );
    }
    let last = fc.months.last().map_or(fc.start, |m| m.month);
    Chart::Forecast(ForecastData {
        title: format!(
            "{}: forecast {} to {}, {}",
            fc.scenario, fc.start, last, fc.region
        ),
        months,
        services,
        colours: Service::ALL
            .iter()
            .filter_map(|s| Some((s.short_name().to_string(), service_colour(*s)?)))
            .collect(),
        p10: band(|b| b.p10),
        p50: band(|b| b.p50),
        p90: band(|b| b.p90),
        uncertain: fc.paths > 0,
        budget: fc.budget_usd.map(usd),
        events,
        currency: fc.currency.as_ref().map(|c| {
            (
                c.code.clone(),
                f(c.per_usd),
                format!("{} per USD on {}", c.per_usd.normalize(), c.rate_date),
            )
        }),
        notes,
    })
}

// ----- what-if: waterfall and tornado ---------------------------------------------------------

/// The charts that are not of one scenario alone, by the names the CLI takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhatIfChart {
    /// Two scenarios: A's total, a bar per driver that differs, B's total.
    Waterfall,
    /// One scenario: each input moved alone by ±20 %, largest effect first.
    Tornado,
}

impl WhatIfChart {
    pub const ALL: [WhatIfChart; 2] = [WhatIfChart::Waterfall, WhatIfChart::Tornado];

    pub fn name(self) -> &'static str {
        match self {
            WhatIfChart::Waterfall => "waterfall",
            WhatIfChart::Tornado => "tornado",
        }
    }

    /// How many scenarios the chart is drawn from.
    pub fn scenarios(self) -> usize {
        match self {
            WhatIfChart::Waterfall => 2,
            WhatIfChart::Tornado => 1,
        }
    }
}

/// Any chart the CLI draws: one of a scenario ([`ChartKind`]) or a what-if chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnyChart {
    Scenario(ChartKind),
    WhatIf(WhatIfChart),
}

impl AnyChart {
    pub fn name(self) -> &'static str {
        match self {
            AnyChart::Scenario(k) => k.name(),
            AnyChart::WhatIf(k) => k.name(),
        }
    }
}

impl FromStr for AnyChart {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(k) = WhatIfChart::ALL.into_iter().find(|k| k.name() == s) {
            return Ok(AnyChart::WhatIf(k));
        }
        s.parse::<ChartKind>().map(AnyChart::Scenario).map_err(|_| {
            let names: Vec<&str> = ChartKind::ALL
                .iter()
                .map(|k| k.name())
                .chain(WhatIfChart::ALL.iter().map(|k| k.name()))
                .collect();
            format!("unknown chart `{s}`; the charts are: {}", names.join(", "))
        })
    }
}

/// The waterfall of a comparison, for a chart `height` pixels high: the bars rounded to cents
/// as the table shows them; past the rows that fit, the smallest are folded into one
/// "other (n)" bar.
pub fn waterfall(c: &crate::whatif::Comparison, height: u32) -> Chart {
    let w = &c.waterfall;
    // Two scenarios of one name (a copy in another Region, the app's duplicated tab) are
    // told apart by their files' (tabs') names.
    let (name_a, name_b) = if c.a.scenario == c.b.scenario && c.a.file != c.b.file {
        (c.a.file.as_str(), c.b.file.as_str())
    } else {
        (c.a.scenario.as_str(), c.b.scenario.as_str())
    };
    // The mark before the name, which a long name's clipping cuts from the end.
    let total = |which: &str, name: &str, complete: bool| {
        let mark = if complete { "" } else { " (+ unpriced)" };
        format!("{which}{mark}: {name}")
    };
    let title = format!("{name_a} → {name_b}: what changes the monthly cost");
    // Bars that would miss an unknown cost are not drawn: the two totals and why.
    if let Some(why) = c.not_attributed() {
        let side = |which: &str, name: &str, s: &crate::whatif::Side| {
            format!(
                "{which}: {name}, {} a month.",
                s.total.plus_unpriced(!s.complete)
            )
        };
        return Chart::Waterfall(ladderwise_charts::WaterfallData {
            title,
            start: (total("A", name_a, c.a.complete), usd(c.a.total)),
            steps: Vec::new(),
            end: (total("B", name_b, c.b.complete), usd(c.b.total)),
            not_drawn: Some("No bar is drawn: a total leaves unpriced lines out.".into()),
            notes: vec![
                why,
                side("A", name_a, &c.a),
                side("B", name_b, &c.b),
                format!("Prices: snapshot {}.", c.snapshot.id),
            ],
        });
    }
    let (cents, residual) = w.rounded(2);
    let mut steps: Vec<(String, Decimal)> = w
        .bars
        .iter()
        .zip(cents)
        .map(|(b, v)| (b.driver.label.clone(), v))
        .collect();
    if !residual.is_zero() {
        steps.push(("not attributed to a field".into(), residual));
    }
    // Two rows are the totals.
    let room = ladderwise_charts::rows_that_fit(height)
        .saturating_sub(2)
        .max(2);
    if steps.len() > room {
        let mut by_size: Vec<usize> = (0..steps.len()).collect();
        by_size.sort_by(|x, y| steps[*y].1.abs().cmp(&steps[*x].1.abs()));
        let keep: Vec<usize> = by_size[..room - 1].to_vec();
        let folded: Vec<(String, Decimal)> = steps
            .iter()
            .enumerate()
            .filter(|(i, _)| !keep.contains(i))
            .map(|(_, s)| s.clone())
            .collect();
        steps = steps
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep.contains(i))
            .map(|(_, s)| s)
            .collect();
        steps.push((
            format!("other ({})", folded.len()),
            folded.iter().map(|(_, v)| *v).sum(),
        ));
    }
    let mut notes = vec![format!(
        "Each bar is a change's share of the difference: its effect averaged over every order of making the changes. {}.",
        w.method.describe()
    )];
    notes.push(format!("Prices: snapshot {}.", c.snapshot.id));
    Chart::Waterfall(ladderwise_charts::WaterfallData {
        title,
        not_drawn: None,
        start: (total("A", name_a, c.a.complete), usd(c.a.total)),
        steps: steps.into_iter().map(|(l, v)| (l, f(v))).collect(),
        end: (total("B", name_b, c.b.complete), usd(c.b.total)),
        notes,
    })
}

/// A driver's value as a chart label: `0.776`, `2,400 kbps`.
pub fn value_text(v: Decimal, unit: ladderwise_model::scenario::fields::Unit) -> String {
    use ladderwise_model::scenario::fields::Unit;
    let number = ladderwise_model::units::format_quantity(v, 4);
    match unit {
        Unit::Share | Unit::Percent | Unit::Count | Unit::Text => number,
        other => format!("{number} {}", other.short()),
    }
}

/// The tornado of a sensitivity run, for a chart `height` pixels high: the drivers that move
/// the total, largest swing first, as many as fit.
pub fn tornado(r: &crate::whatif::SensitivityReport, height: u32) -> Chart {
    let s = &r.sensitivity;
    // An input whose priced swing is 0 but that moves unpriced lines is not drawn as a bar of
    // $0: its effect is unknown, and the notes say how many there are.
    let moving: Vec<_> = s.bars.iter().filter(|b| !b.swing.0.is_zero()).collect();
    let unknown = s
        .bars
        .iter()
        .filter(|b| b.swing.0.is_zero() && !b.complete)
        .count();
    let room = ladderwise_charts::rows_that_fit(height);
    let shown = moving.len().min(room);
    let bars = moving[..shown]
        .iter()
        .map(|b| ladderwise_charts::TornadoBar {
            label: if b.complete {
                b.label.clone()
            } else {
                format!("{} (+ unpriced)", b.label)
            },
            low_total: usd(b.low_total),
            high_total: usd(b.high_total),
            low_value: value_text(b.low, b.unit),
            high_value: value_text(b.high, b.unit),
        })
        .collect();
    let percent = ladderwise_model::units::format_quantity(s.swing * Decimal::ONE_HUNDRED, 2);
    let mut notes = vec![format!(
        "Each input moved alone by ±{percent} % of its value (clamped to what its field allows), the others held; labels give the value and the total there."
    )];
    let clamped = s.bars[..].iter().filter(|b| !b.clamped.is_empty()).count();
    if clamped > 0 {
        notes.push(format!(
            "{clamped} input(s) clamped to their field's limits (e.g. a rate at 1)."
        ));
    }
    let still = s.bars.len() - moving.len() - unknown;
    let more = moving.len() - shown;
    // Only the kinds there are: "0 input(s) with smaller effects" says nothing.
    let left_out: Vec<String> = [
        (more, "input(s) with smaller effects"),
        (still, "input(s) that do not move the total"),
        (
            unknown,
            "input(s) that move only unpriced lines (effect unknown)",
        ),
        (s.not_varied.len(), "input(s) at 0 or not movable"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !left_out.is_empty() {
        notes.push(format!(
            "Not drawn: {}; `ladderwise sensitivity` lists them all.",
            left_out.join(", ")
        ));
    }
    if !s.complete || moving.iter().any(|b| !b.complete) {
        notes.push(
            "Some lines are unpriced: the totals leave them out, and a bar marked (+ unpriced) moves them too by an unknown amount."
                .into(),
        );
    }
    notes.push(format!("Prices: snapshot {}.", r.snapshot.id));
    Chart::Tornado(ladderwise_charts::TornadoData {
        title: format!(
            "{}: what moves the monthly total most (±{percent} %)",
            r.scenario
        ),
        base: usd(s.base_total),
        base_complete: s.complete,
        bars,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(name: &str, region: &str) -> Scenario {
        let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen(
            "region = \"us-east-1\"",
            &format!("region = \"{region}\""),
            1,
        );
        Scenario::from_toml(&path, &text).unwrap()
    }

    fn colours(chart: Chart) -> Vec<(String, usize)> {
        match chart {
            Chart::Choice(d) => d.series.into_iter().map(|s| (s.name, s.colour)).collect(),
            _ => panic!("not a choice chart"),
        }
    }

    /// A service unpriced in every month is left out of the fan with the engine's reason,
    /// which is not always the Region: a 144 fps rung has no MediaConvert frame-rate band in
    /// us-east-1, where MediaConvert is priced.
    #[test]
    fn the_fan_says_why_a_service_is_not_drawn() {
        let book = crate::shipped_price_book().unwrap();
        let request = crate::forecast::Request {
            months: Some(2),
            paths: Some(0),
            start: ladderwise_model::scenario::forecast::YearMonth::parse("2027-01"),
        };
        let mut s = scenario("ugc-short-form", "us-east-1");
        s.ladder.rungs.truncate(1);
        s.ladder.rungs[0].fps = Decimal::from(144);
        s.ladder.rungs[0].watch_share = Decimal::ONE;
        let fc = crate::forecast::run(&s, &book, request).unwrap();
        let Chart::Forecast(d) = forecast(&fc) else {
            panic!("not a fan")
        };
        let note = d.notes.iter().find(|n| n.starts_with("Not drawn")).unwrap();
        assert!(
            note.contains("MediaConvert (no frame-rate band for 144 fps)"),
            "{note}"
        );
        assert!(!note.contains("us-east-1"), "{note}");
        assert!(!d.services.iter().any(|(name, _)| name == "MediaConvert"));
    }

    /// Two scenarios of one name (a copy moved to another Region, a duplicated tab) are
    /// named in the waterfall by their files, which tell them apart; others by their names.
    #[test]
    fn a_waterfall_of_two_scenarios_of_one_name_names_their_files() {
        let book = crate::shipped_price_book().unwrap();
        let a = scenario("ugc-short-form", "us-east-1");
        let b = scenario("ugc-short-form", "eu-west-1");
        let c = crate::whatif::compare(("Untitled", &a), ("Untitled (copy)", &b), &book);
        let Chart::Waterfall(d) = waterfall(&c, 700) else {
            panic!("not a waterfall")
        };
        assert!(
            d.title.starts_with("Untitled → Untitled (copy):"),
            "{}",
            d.title
        );
        assert_eq!(d.start.0, "A: Untitled");
        assert_eq!(d.end.0, "B: Untitled (copy)");
        let other = scenario("premium-ott", "us-east-1");
        let c = crate::whatif::compare(("a.toml", &a), ("b.toml", &other), &book);
        let Chart::Waterfall(d) = waterfall(&c, 700) else {
            panic!("not a waterfall")
        };
        assert!(
            d.title.starts_with("UGC short-form platform → Premium OTT"),
            "{}",
            d.title
        );
    }

    /// The hit-rate chart's S3 reads are the same charges in every Region, whatever prefix
    /// the Region puts on their usage types (`EU-Retrieval-SIA`): outside us-east-1 the
    /// retrieval fees were left out of the chart.
    #[test]
    fn s3_reads_are_delivery_in_every_region() {
        let book = crate::shipped_price_book().unwrap();
        let mut s = scenario("ugc-short-form", "eu-west-1");
        s.delivery.cache_hit_rate = Decimal::ZERO;
        let e = estimate(&s, &book);
        let retrieval: Vec<&LineItem> = e
            .lines
            .iter()
            .filter(|l| l.usage_type.contains("Retrieval-"))
            .collect();
        assert!(!retrieval.is_empty() && retrieval.iter().all(|l| l.cost.is_some()));
        for l in &retrieval {
            assert_eq!(
                delivery_component(l),
                Some("S3 reads (GET requests, retrieval)"),
                "{}",
                l.usage_type
            );
        }
        // The chart's stack at 0 % is the estimate's delivery cost at 0 %, retrieval in.
        let Chart::CacheHitRate(d) = cache_hit_rate(&s, &book).unwrap() else {
            panic!("not the hit-rate chart")
        };
        let at_zero: f64 = d.components.iter().map(|(_, v)| v[0]).sum();
        assert!((at_zero - usd(delivery_cost(&e))).abs() < 0.01, "{at_zero}");
        let reads = usd(retrieval.iter().filter_map(|l| l.cost).sum());
        assert!(reads > 100.0, "{reads}");
    }

    /// Terabytes in a plan's label never end in a bare dot.
    #[test]
    fn terabytes_read_as_numbers() {
        for (x, want) in [
            (0.0, "0"),
            (0.004, "0"),
            (0.098, "0.1"),
            (0.25, "0.25"),
            (0.998, "1"),
            (2.5, "2.5"),
            (14.0, "14"),
            (1200.0, "1200"),
            (12_000.0, "12k"),
        ] {
            assert_eq!(terabytes(x), want, "{x}");
        }
    }

    /// A flat-rate plan's mark stands where the plan before it stops holding the month
    /// (Premium level 2 allows 75 TB, level 3 128,000 GB = 125 TB), named with where it
    /// starts, not at the sample that found it.
    #[test]
    fn flat_rate_plans_step_where_the_plan_before_stops_holding() {
        let book = crate::shipped_price_book().unwrap();
        let Chart::Choice(d) =
            delivery_choice(&scenario("ugc-short-form", "us-east-1"), &book).unwrap()
        else {
            panic!("not a choice chart")
        };
        for (name, tb) in [("Premium level 3", 75.0), ("Premium level 4", 125.0)] {
            let label = format!("{name} plan from {tb} TB");
            let mark = d.break_evens.iter().find(|(_, _, l)| *l == label);
            assert!(
                mark.is_some_and(|(x, _, _)| (x - tb).abs() < 1e-9),
                "{label}: {:?}",
                d.break_evens
            );
        }
    }

    /// At a scale where the even samples are hundreds of TB apart, every plan the month
    /// passes through is still drawn: the Free plan is followed by Pro, not by the first plan
    /// a sample happens to land in.
    #[test]
    fn flat_rate_plans_are_all_drawn_at_any_scale() {
        let book = crate::shipped_price_book().unwrap();
        let mut s = scenario("ugc-short-form", "us-east-1");
        s.audience.watch_minutes_per_month.0 *= Decimal::from(200);
        let Chart::Choice(d) = delivery_choice(&s, &book).unwrap() else {
            panic!("not a choice chart")
        };
        let marked: Vec<&str> = d
            .break_evens
            .iter()
            .filter_map(|(_, _, l)| {
                l.split(" plan from ")
                    .next()
                    .filter(|_| l.contains(" plan from "))
            })
            .collect();
        assert_eq!(
            marked,
            [
                "Free",
                "Pro",
                "Business",
                "Premium level 2",
                "Premium level 3",
                "Premium level 4",
                "Premium level 5",
                "Premium level 6"
            ],
            "{:?}",
            d.break_evens
        );
    }

    /// The reserved slots' staircase rises where the month needs one slot more: every
    /// 43,800 minutes of content at job speed 1 (a slot runs a month of jobs), not at the
    /// sample after it. A ladder a reserved queue cannot run at all (every rung AV1) has no
    /// reserved line, and says why.
    #[test]
    fn reserved_slots_step_where_a_slot_more_is_needed() {
        let book = crate::shipped_price_book().unwrap();
        let mut s = scenario("ugc-short-form", "us-east-1");
        s.content.new_minutes_per_month = ladderwise_model::units::Minutes(Decimal::from(100_000));
        s.transcode.job_speed.central = Decimal::ONE;
        let Chart::Choice(d) = transcode_choice(&s, &book).unwrap() else {
            panic!("not a choice chart")
        };
        let reserved = d
            .series
            .iter()
            .find(|s| s.name.contains("reserved slots"))
            .expect("a reserved line");
        // Vertical steps: two points at one x, the cost rising by a slot's $400.
        let steps: Vec<f64> = reserved
            .points
            .windows(2)
            .filter(|w| w[0].0 == w[1].0 && w[1].1 - w[0].1 > 399.0)
            .map(|w| w[0].0)
            .collect();
        assert_eq!(steps.len(), 4, "{:?}", reserved.points);
        for (k, x) in steps.iter().enumerate() {
            let want = 43_800.0 * (k + 1) as f64;
            assert!((x - want).abs() < 0.01, "step {k} at {x}, not {want}");
        }
        for rung in &mut s.ladder.rungs {
            rung.codec = Codec::Av1;
        }
        let Chart::Choice(d) = transcode_choice(&s, &book).unwrap() else {
            panic!("not a choice chart")
        };
        assert!(!d.series.iter().any(|s| s.name.contains("reserved slots")));
        assert!(
            d.notes
                .iter()
                .any(|n| n.contains("reserved queue runs none of this ladder's outputs")),
            "{:?}",
            d.notes
        );
    }

    /// An option keeps its colour whichever options are drawn beside it: reserved slots are
    /// green where Basic and Professional are one line (premium OTT, all HEVC), and the
    /// flat-rate plans green where direct S3 has no price (us-east-2).
    #[test]
    fn an_option_keeps_its_colour() {
        let book = crate::shipped_price_book().unwrap();
        let premium =
            colours(transcode_choice(&scenario("premium-ott", "us-east-1"), &book).unwrap());
        assert!(
            premium.iter().any(|(n, _)| n.contains(" = ")),
            "{premium:?}"
        );
        let reserved = premium
            .iter()
            .find(|(n, _)| n == "MediaConvert, reserved slots");
        assert_eq!(reserved.map(|(_, c)| *c), Some(2), "{premium:?}");
        for region in ["us-east-1", "us-east-2"] {
            let delivery =
                colours(delivery_choice(&scenario("ugc-short-form", region), &book).unwrap());
            let flat = delivery
                .iter()
                .find(|(n, _)| n.starts_with("CloudFront flat-rate"));
            assert_eq!(flat.map(|(_, c)| *c), Some(2), "{region}: {delivery:?}");
        }
    }

    /// A waterfall into a Region where much is unpriced marks that total as leaving lines
    /// out, where a long name cannot clip the mark, and draws no bar: the drop would read
    /// as a saving. It says why first, and gives both totals.
    #[test]
    fn a_waterfall_to_unpriced_prices_says_so_on_the_total() {
        let book = crate::shipped_price_book().unwrap();
        let a = scenario("reference-pipeline", "us-east-1");
        let b = scenario("reference-pipeline", "af-south-1");
        let c = crate::whatif::compare(("a.toml", &a), ("b.toml", &b), &book);
        assert!(c.a.complete && !c.b.complete);
        let Chart::Waterfall(w) = waterfall(&c, 700) else {
            panic!("not a waterfall")
        };
        assert!(!w.start.0.contains("unpriced"), "{}", w.start.0);
        assert!(w.end.0.starts_with("B (+ unpriced): "), "{}", w.end.0);
        assert!(w.steps.is_empty(), "{:?}", w.steps);
        assert!(w.not_drawn.is_some());
        assert!(
            w.notes[0].starts_with("Not attributed: B has unpriced lines"),
            "{:?}",
            w.notes
        );
        assert!(w.notes[2].contains("+ unpriced a month"), "{:?}", w.notes);
    }
}
