//! Transcode: AWS Elemental MediaConvert, or the discontinued Elastic Transcoder.
//!
//! Cost ≈ Σ over outputs of rate(output profile) × billed output minutes (DESIGN.md).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::drivers::{Drivers, ResolutionClass};
use super::{Charge, LineItem, Recipe, Service, Stage, StageLines, price, usage};
use crate::forecast::num::Num;
use crate::pricebook::{FactorKey, NormalizationTable, PriceBook, PriceStatus};
use crate::scenario::{Codec, MediaConvertTier, Rung, Scenario, TranscodeService};
use crate::units::format_quantity;

pub(super) fn lines(
    s: &Scenario,
    d: &Drivers,
    book: &PriceBook,
    warnings: &mut Vec<String>,
) -> StageLines {
    match s.transcode.service {
        TranscodeService::Mediaconvert => mediaconvert(s, d, book, warnings),
        TranscodeService::ElasticTranscoder => elastic_transcoder(s, d, book, warnings),
    }
}

/// The tier an output is billed in. MediaConvert assesses the tier per output: Basic covers
/// AVC single-pass and VP8/VP9; multi-pass and HEVC/AV1 are Professional features
/// (MediaConvert pricing page, "Basic tier" / "Professional tier"; User Guide,
/// "Multi-pass encoding is a Professional tier feature").
pub fn billed_tier(requested: MediaConvertTier, codec: Codec, passes: u8) -> MediaConvertTier {
    let needs_pro =
        matches!(codec, Codec::Hevc | Codec::Av1) || (passes > 1 && codec == Codec::Avc);
    if needs_pro {
        MediaConvertTier::Professional
    } else {
        requested
    }
}

/// The frame-rate band of the Price List (`<=30`, `>30 and <=60`, `>60 and <=120`; the
/// MediaConvert User Guide's codes 30, 60, 120); none above 120 fps.
fn frame_rate_band(fps: Decimal) -> Option<&'static str> {
    if fps <= Decimal::from(30) {
        Some("<=30")
    } else if fps <= Decimal::from(60) {
        Some(">30 and <=60")
    } else if fps <= Decimal::from(120) {
        Some(">60 and <=120")
    } else {
        None
    }
}

/// The largest frames MediaConvert encodes in each codec, width × height, in the
/// orientations the page lists (MediaConvert User Guide, "Maximum supported output
/// resolutions", supported-output-resolution-maximums-by-codec): AV1 4096x2160; AVC (H.264)
/// and VP8/VP9 4096x2160 or 2160x4096; HEVC (H.265) 8192x4320 or 4320x8192.
fn mediaconvert_max_frames(codec: Codec) -> &'static [(u32, u32)] {
    match codec {
        Codec::Av1 => &[(4096, 2160)],
        Codec::Avc | Codec::Vp9 => &[(4096, 2160), (2160, 4096)],
        Codec::Hevc => &[(8192, 4320), (4320, 8192)],
    }
}

/// Why MediaConvert cannot encode `rung`, if it cannot: a frame beyond its codec's largest.
pub fn mediaconvert_cannot_encode(rung: &Rung) -> Option<String> {
    let frames = mediaconvert_max_frames(rung.codec);
    let fits = frames
        .iter()
        .any(|&(w, h)| rung.width <= w && rung.height <= h);
    (!fits).then(|| {
        let most: Vec<String> = frames.iter().map(|(w, h)| format!("{w}x{h}")).collect();
        format!(
            "MediaConvert encodes {} up to {} (User Guide, maximum supported output resolutions): {}x{} is beyond it",
            rung.codec.name().to_uppercase(),
            most.join(" or "),
            rung.width,
            rung.height
        )
    })
}

/// Why a reserved queue cannot run an output, if it cannot: 8K outputs and AV1 encoding
/// run on on-demand queues only (MediaConvert User Guide, "Reserved queue job settings
/// limitations", feature-limitations-with-reserved-queues).
pub fn reserved_queue_refuses(rung: &Rung) -> Option<&'static str> {
    if rung.codec == Codec::Av1 {
        Some("AV1 encoding")
    } else if ResolutionClass::of(rung) == ResolutionClass::EightK {
        Some("8K output")
    } else {
        None
    }
}

/// A rung a reserved queue cannot run, named with why (`` `8k` (8K output) ``), as the
/// estimate and the transcode-choice chart list it.
pub fn refused_by_reserved_queue(rung: &Rung) -> Option<String> {
    reserved_queue_refuses(rung).map(|what| format!("`{}` ({what})", rung.name))
}

/// Whether a reserved queue can run any of the ladder: a rung it can run (a ladder of AV1
/// or 8K rungs alone runs on demand whole, its separate audio with it; no rung, nothing to
/// refuse). The one rule the engine, the capacity and the transcode-choice chart follow.
pub fn reserved_queue_runs_some(rungs: &[Rung]) -> bool {
    rungs.is_empty() || rungs.iter().any(|r| reserved_queue_refuses(r).is_none())
}

/// The normalization factor of one output: resolution × frame rate × codec × passes, and the
/// least-trusted status among the factors multiplied. `Err` names the factor the table lacks,
/// or why MediaConvert cannot encode the output at all.
pub fn normalization_factor(
    table: &NormalizationTable,
    tier: MediaConvertTier,
    rung: &Rung,
    passes: u8,
) -> Result<(Decimal, PriceStatus), String> {
    if let Some(why) = mediaconvert_cannot_encode(rung) {
        return Err(why);
    }
    let class = ResolutionClass::of(rung);
    let band = frame_rate_band(rung.fps)
        .ok_or_else(|| format!("no frame-rate band for {} fps", rung.fps.normalize()))?;
    let tier_key = tier.label().to_lowercase();
    let keys = [
        FactorKey::Resolution(class.key()),
        FactorKey::FrameRate(band),
        FactorKey::Codec {
            tier: &tier_key,
            codec: rung.codec.name(),
        },
        FactorKey::Passes(passes),
    ];
    let mut value = Decimal::ONE;
    let mut status = PriceStatus::PriceList;
    for key in keys {
        let f = table
            .factor(key)
            .ok_or_else(|| format!("no factor for {key}"))?;
        value *= f.value;
        status = status.max(f.provenance.status);
    }
    Ok((value, status))
}

/// The factor a MediaConvert usage line's normalized minutes were billed at, from the parts
/// of its usage type: its normalized minutes over this are the output minutes it counts.
/// `Err` names what the table has no factor for (a codec the scenario has no name for, XAVC
/// say).
pub fn ntm_factor(
    table: &NormalizationTable,
    output: &usage::NtmOutput,
) -> Result<Decimal, String> {
    let (tier, codec, class, passes, fps) = match *output {
        usage::NtmOutput::Audio { .. } => {
            return table
                .factor(FactorKey::AudioOnly)
                .map(|f| f.value)
                .ok_or_else(|| format!("no factor for {}", FactorKey::AudioOnly));
        }
        usage::NtmOutput::Video {
            tier,
            codec,
            class,
            passes,
            fps,
        } => (tier, codec, class, passes, fps),
    };
    let band = frame_rate_band(Decimal::from(fps))
        .ok_or_else(|| format!("no frame-rate band for {fps} fps"))?;
    let tier_key = tier.label().to_lowercase();
    let codec_key = codec.to_lowercase();
    let keys = [
        FactorKey::Resolution(class),
        FactorKey::FrameRate(band),
        FactorKey::Codec {
            tier: &tier_key,
            codec: &codec_key,
        },
        FactorKey::Passes(passes),
    ];
    keys.into_iter().try_fold(Decimal::ONE, |value, key| {
        table
            .factor(key)
            .map(|f| value * f.value)
            .ok_or_else(|| format!("no factor for {key}"))
    })
}

/// Normalized minutes of one MediaConvert tier: the tier, the total, each rung's part, the
/// arithmetic behind them for the line's note, and the part a reserved queue cannot run.
type TierMinutes = (
    MediaConvertTier,
    Decimal,
    Vec<Decimal>,
    Vec<String>,
    Decimal,
);

/// A tier's pool of normalized minutes (over `rungs` rungs), opened on first use, remembering
/// the least-trusted factor that went into it.
fn pool<'a>(
    by_tier: &'a mut BTreeMap<&'static str, TierMinutes>,
    factor_status: &mut BTreeMap<&'static str, PriceStatus>,
    tier: MediaConvertTier,
    status: PriceStatus,
    rungs: usize,
) -> &'a mut TierMinutes {
    let worst = factor_status
        .entry(tier.label())
        .or_insert(PriceStatus::PriceList);
    *worst = (*worst).max(status);
    by_tier.entry(tier.label()).or_insert_with(|| {
        (
            tier,
            Decimal::ZERO,
            vec![Decimal::ZERO; rungs],
            Vec::new(),
            Decimal::ZERO,
        )
    })
}

/// AWS Elemental MediaConvert pricing (https://aws.amazon.com/mediaconvert/pricing/): each
/// output is billed for its duration (at least 10 seconds), multiplied into normalized minutes
/// by resolution, frame rate, codec and quality factors; normalized minutes are summed per
/// Region and tier each month and priced on the tier's volume tiers.
fn mediaconvert(
    s: &Scenario,
    d: &Drivers,
    book: &PriceBook,
    warnings: &mut Vec<String>,
) -> StageLines {
    let mut out = StageLines::new();
    let n = s.ladder.rungs.len();
    let region = Some(s.region.as_str());
    let passes = s.transcode.passes;
    let mut by_tier: BTreeMap<&'static str, TierMinutes> = BTreeMap::new();
    // The least-trusted factor used in each tier: a line is no better than its factors.
    let mut factor_status: BTreeMap<&'static str, PriceStatus> = BTreeMap::new();
    // Rungs a reserved queue cannot run, when slots are reserved: their outputs run as jobs
    // of their own on demand.
    let mut refused: Vec<String> = Vec::new();
    for (i, rung) in s.ladder.rungs.iter().enumerate() {
        let minutes = d.rungs[i].output_minutes.0;
        let tier = billed_tier(s.transcode.tier, rung.codec, passes);
        if tier != s.transcode.tier {
            let why = if matches!(rung.codec, Codec::Hevc | Codec::Av1) {
                format!("{} is a Professional-tier codec", rung.codec.name())
            } else {
                "multi-pass encoding is a Professional-tier feature".to_string()
            };
            warnings.push(format!(
                "rung `{}` is billed at MediaConvert Professional rates: {why}",
                rung.name
            ));
        }
        let factor = match &book.mediaconvert {
            Some(table) => normalization_factor(table, tier, rung, passes),
            None => Err(format!(
                "snapshot {} has no MediaConvert normalization table",
                book.snapshot.id
            )),
        };
        match factor {
            Ok((f, status)) => {
                let (_, total, per_rung, explain, on_demand_only) =
                    pool(&mut by_tier, &mut factor_status, tier, status, n);
                *total += minutes * f;
                per_rung[i] = minutes * f;
                if let Some(named) = refused_by_reserved_queue(rung) {
                    *on_demand_only += minutes * f;
                    refused.push(named);
                }
                explain.push(format!(
                    "{}: {} min × {}",
                    rung.name,
                    format_quantity(minutes, 2),
                    f.normalize()
                ));
            }
            Err(why) => {
                let mut weights = vec![Decimal::ZERO; n];
                weights[i] = Decimal::ONE;
                let mut line = price(
                    book,
                    Charge::new(
                        Service::MediaConvert,
                        Stage::Transcode,
                        format!("{} output minutes, {}", tier.label(), rung.name),
                        usage::mediaconvert_minutes(tier),
                        region,
                        minutes,
                        "minutes",
                    ),
                );
                line.cost = None;
                line.tiers.clear();
                line.price_status = super::LineStatus::Unpriced;
                line.note = Some(why);
                line.rung = Some(rung.name.clone());
                out.push(line, weights);
            }
        }
    }
    // A separate audio rendition is an audio-only output: normalized at the audio-only factor
    // (MediaTailor/MediaConvert pages: $0.003 a minute of audio against $0.0075 of SD video)
    // and billed in the Basic pool.
    if let Some(audio) = &d.audio {
        let minutes = audio.output_minutes.0;
        match book
            .mediaconvert
            .as_ref()
            .and_then(|t| t.factor(FactorKey::AudioOnly))
        {
            Some(f) => {
                let (_, total, _, explain, _) = pool(
                    &mut by_tier,
                    &mut factor_status,
                    MediaConvertTier::Basic,
                    f.provenance.status,
                    n,
                );
                *total += minutes * f.value;
                explain.push(format!(
                    "audio rendition: {} min × {}",
                    format_quantity(minutes, 2),
                    f.value.normalize()
                ));
            }
            None => warnings.push(format!(
                "snapshot {} has no MediaConvert audio-only factor: the separate audio rendition's output is not priced",
                book.snapshot.id
            )),
        }
    }

    // Reserved transcode slots run one job at a time each: at the central job speed the
    // month's content needs `needed` slots busy all month; the slots the scenario reserves
    // take that share of the jobs, and the rest runs on demand.
    let month_minutes = crate::units::Seconds::in_billing_month().minutes().0;
    let needed = s.content.new_minutes_per_month.0 / month_minutes * s.transcode.job_speed.central;
    let reserved = Decimal::from(s.transcode.reserved_slots);
    let on_reserved = on_reserved_share(reserved, needed);
    let pooled = s.transcode.other_normalized_minutes;

    let mut normalized_total = Decimal::ZERO;
    let mut on_demand_all = Decimal::ZERO;
    // What the outputs a reserved queue cannot run cost on demand by themselves: reserving
    // slots saves the rest.
    let mut on_demand_anyway = Decimal::ZERO;
    let runs_on_reserved = reserved_queue_runs_some(&s.ladder.rungs);
    // The rungs' normalized minutes a reserved queue can run: the slots' fee is of no rung,
    // and is spread over the rungs by these.
    let mut reserved_parts = vec![Decimal::ZERO; n];
    for (label, (tier, normalized, per_rung, explain, on_demand_only)) in by_tier {
        normalized_total += normalized;
        for ((part, minutes), rung) in reserved_parts
            .iter_mut()
            .zip(&per_rung)
            .zip(&s.ladder.rungs)
        {
            if reserved_queue_refuses(rung).is_none() {
                *part += *minutes;
            }
        }
        // The audio rendition's minutes are of no rung: spread with the rungs' own.
        let weights = super::shares_of(&per_rung);
        let pool_note = if pooled.is_zero() {
            String::new()
        } else {
            format!(
                "; priced above {} normalized minutes other workloads bill in the same pool ({})",
                format_quantity(pooled, 0),
                match s.transcode.pooling {
                    crate::scenario::Pooling::Account => "this account",
                    crate::scenario::Pooling::Organization => "the AWS Organization",
                }
            )
        };
        let charge = |minutes: Decimal| {
            Charge::new(
                Service::MediaConvert,
                Stage::Transcode,
                format!("{} tier, normalized output minutes", tier.label()),
                usage::mediaconvert_minutes(tier),
                region,
                minutes,
                "minutes",
            )
            .pooled_after(pooled)
        };
        // Every output on demand: what the reserved slots are weighed against.
        let all = price(book, charge(normalized));
        on_demand_all += all.cost.map_or(Decimal::ZERO, |c| c.0);
        // The share of the pool's minutes a reserved queue may run: none when it can run
        // no rung of the ladder.
        let eligible = if !runs_on_reserved {
            on_demand_anyway += all.cost.map_or(Decimal::ZERO, |c| c.0);
            Decimal::ZERO
        } else if on_demand_only.is_zero() {
            Decimal::ONE
        } else {
            on_demand_anyway += price(book, charge(on_demand_only))
                .cost
                .map_or(Decimal::ZERO, |c| c.0);
            (normalized - on_demand_only) / normalized
        };
        let taken = if eligible == Decimal::ONE {
            on_reserved
        } else {
            on_reserved * eligible
        };
        let slots_note = if on_reserved.is_zero() {
            String::new()
        } else if eligible == Decimal::ONE {
            format!(
                "; {} % of the month's jobs run on the reserved slots, the rest on demand",
                (on_reserved * Decimal::ONE_HUNDRED).round_dp(1).normalize()
            )
        } else {
            format!(
                "; the reserved slots take {} % of the month's jobs a reserved queue can run ({} % of these minutes), the rest runs on demand",
                (on_reserved * Decimal::ONE_HUNDRED).round_dp(1).normalize(),
                (taken * Decimal::ONE_HUNDRED).round_dp(1).normalize()
            )
        };
        let line = if reserved.is_zero() {
            all
        } else {
            price(
                book,
                charge(normalized * (Decimal::ONE - taken)).recipe(
                    Recipe::OnDemand {
                        reserved,
                        needed_per_minute: s.transcode.job_speed.central / month_minutes,
                        eligible,
                    },
                    Some(normalized),
                ),
            )
        };
        let mut line = line;
        let arithmetic = format!(
            "normalized = output minutes × factor; {}{pool_note}{slots_note}",
            explain.join("; ")
        );
        line.note = Some(unpriced_first(&line, arithmetic));
        if let Some(worst) = factor_status.get(label)
            && line.cost.is_some()
            && super::LineStatus::from(*worst) > line.price_status
        {
            line.price_status = (*worst).into();
            line.note = line
                .note
                .map(|n| format!("{n}; the least-trusted factor used is {worst}"));
        }
        out.push(line, weights);
    }
    out.normalized_minutes = Some(normalized_total);

    let slot_line = |slots: Decimal| {
        price(
            book,
            Charge::new(
                Service::MediaConvert,
                Stage::Transcode,
                "Reserved transcode slots (12-month commitment)",
                usage::MEDIACONVERT_RESERVED_SLOT,
                region,
                slots,
                "Slots",
            )
            .recipe(Recipe::Fixed { commitment: true }, None),
        )
    };
    if s.transcode.reserved_slots > 0 {
        let mut line = slot_line(reserved);
        let sizing = format!(
            "{} against {} needed at the central job speed ({} minutes of a slot per minute of content)",
            slots_phrase(reserved),
            format_quantity(needed, 2),
            s.transcode.job_speed.central.normalize()
        );
        line.note = Some(unpriced_first(&line, sizing));
        out.push(line, super::shares_of(&reserved_parts));
    }
    // Would reserving enough slots for the whole month beat on demand? Not a question for
    // a month with nothing to transcode: a slot against $0 is no advice.
    // Nor for a ladder whose every output runs on demand whatever is reserved.
    let slots = needed.ceil().max(Decimal::ONE);
    if needed > Decimal::ZERO
        && runs_on_reserved
        && let Some(cost) = slot_line(slots).cost
    {
        out.reserved = Some(ReservedComparison {
            slots,
            reserved: cost,
            on_demand: crate::units::Usd(on_demand_all - on_demand_anyway),
            stays_on_demand: refused.clone(),
        });
    }
    if s.transcode.reserved_slots > 0 && !refused.is_empty() {
        let whom = if runs_on_reserved {
            format!("rung(s) {} run on demand", refused.join(", "))
        } else {
            format!(
                "the reserved slots run none of this ladder's outputs: rung(s) {} run on demand",
                refused.join(", ")
            )
        };
        warnings.push(format!(
            "{whom} whatever slots are reserved, as jobs of their own: a reserved queue runs no 8K output and no AV1 encoding (MediaConvert User Guide, reserved queue job settings limitations)"
        ));
    }
    out
}

/// The share of the month's jobs `reserved` slots take when `needed` slots would keep up
/// with all of them; the rest run on demand. In any number type: the forecast's Monte Carlo
/// applies it in `f64`.
pub fn on_reserved_share<N: Num>(reserved: N, needed: N) -> N {
    if reserved.is_zero() {
        N::zero()
    } else if needed.is_zero() {
        N::one()
    } else {
        (reserved / needed).at_most(N::one())
    }
}

/// Reserved slots enough for the month's jobs against the outputs they could run, on demand.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ReservedComparison {
    pub slots: Decimal,
    pub reserved: crate::units::Usd,
    /// What the outputs a reserved queue can run cost on demand: what the slots would save.
    pub on_demand: crate::units::Usd,
    /// The rungs a reserved queue cannot run (8K, AV1), named with why: on demand either way.
    pub stays_on_demand: Vec<String>,
}

impl ReservedComparison {
    /// One sentence for tables and reports: what the slots cost against on demand, and
    /// which is cheaper.
    pub fn summary(&self) -> String {
        let verdict = if self.reserved < self.on_demand {
            "reserving them would cost less"
        } else {
            "on demand costs less"
        };
        // The most a scenario can reserve is its field's bound: advice past it cannot be
        // written in the file, so it says so.
        let most = crate::scenario::fields::find("transcode.reserved_slots")
            .and_then(|f| f.rule())
            .map(|r| r.max)
            .filter(|max| self.slots > *max)
            .map_or(String::new(), |max| {
                format!(
                    " (more than the {} `transcode.reserved_slots` takes: the rest of the month's jobs would run on demand)",
                    format_quantity(max, 0)
                )
            });
        let apart = if self.stays_on_demand.is_empty() {
            String::new()
        } else {
            format!(
                "; rung(s) {} run on demand either way: a reserved queue cannot run them",
                self.stays_on_demand.join(", ")
            )
        };
        format!(
            "{} reserved for the month cost {} against {} on demand: {verdict}{most}{apart}",
            slots_phrase(self.slots),
            self.reserved,
            self.on_demand
        )
    }
}

/// `1 slot`, `6 slots`.
pub fn slots_phrase(n: Decimal) -> String {
    let noun = if n == Decimal::ONE { "slot" } else { "slots" };
    format!("{} {noun}", format_quantity(n, 0))
}

/// What Elastic Transcoder cannot encode in a rung, if anything: HEVC and AV1 (its presets
/// take H.264, VP8 and VP9 video), and frame rates above 60 (a preset's `FrameRate` is
/// `auto` or one of 10 to 60; Amazon Elastic Transcoder Developer Guide, "Create Preset").
fn ets_cannot_encode(rung: &crate::scenario::Rung) -> Option<String> {
    if matches!(rung.codec, Codec::Hevc | Codec::Av1) {
        Some(rung.codec.name().to_string())
    } else if rung.fps > Decimal::from(60) {
        Some(format!("{} fps", rung.fps.normalize()))
    } else {
        None
    }
}

/// Elastic Transcoder bills per output minute by class: SD (under 720p), HD (720p and above),
/// audio-only (Price List `AmazonETS`, usage types `ets-sd-success`, `ets-hd-success`).
/// Partial minutes are taken to round up per output, which the Price List does not state.
fn elastic_transcoder(
    s: &Scenario,
    d: &Drivers,
    book: &PriceBook,
    warnings: &mut Vec<String>,
) -> StageLines {
    warnings.push(
        "Amazon Elastic Transcoder reached end of support on 2025-11-13 (discontinued): these transcode costs are a legacy baseline, not a plan you can run"
            .to_string(),
    );
    let mut out = StageLines::new();
    let n = s.ladder.rungs.len();
    let region = Some(s.region.as_str());
    let billed_per_title = s.content.avg_title_minutes.0.ceil();
    let mut sd = (Decimal::ZERO, vec![Decimal::ZERO; n]);
    let mut hd = (Decimal::ZERO, vec![Decimal::ZERO; n]);
    for (i, rung) in s.ladder.rungs.iter().enumerate() {
        let minutes = d.titles_per_month * billed_per_title;
        if let Some(why) = ets_cannot_encode(rung) {
            let mut weights = vec![Decimal::ZERO; n];
            weights[i] = Decimal::ONE;
            out.push(
                super::LineItem {
                    service: Service::ElasticTranscoder,
                    stage: Stage::Transcode,
                    description: format!("output minutes, {} ({})", rung.name, rung.codec.name()),
                    usage_type: usage::ETS_HD.name_in(None).into(),
                    sku: None,
                    quantity: minutes,
                    unit: "minutes".into(),
                    tiers: Vec::new(),
                    cost: None,
                    price_status: super::LineStatus::Unpriced,
                    provenance: None,
                    rung: Some(rung.name.clone()),
                    geography: None,
                    note: Some(format!(
                        "Elastic Transcoder cannot encode {why}; it has no price for it"
                    )),
                    pricing: Default::default(),
                    billed_elsewhere: false,
                },
                weights,
            );
            continue;
        }
        let bucket = if d.rungs[i].class == ResolutionClass::Sd {
            &mut sd
        } else {
            &mut hd
        };
        bucket.0 += minutes;
        bucket.1[i] = minutes;
    }
    // The historic free tier: the first 20 SD minutes or 10 HD minutes a month, an HD minute
    // counting as two SD minutes (AWS News Blog, "The New Amazon Elastic Transcoder", 2013),
    // taken off SD first (at us-east-1's rates either order saves the same).
    let free = s
        .account
        .free_tier
        .then(|| usage::ets_free_tier(book))
        .flatten();
    if s.account.free_tier && free.is_none() {
        warnings.push(format!(
            "the free tier is on but snapshot {} has no Elastic Transcoder free minutes; none were applied",
            book.snapshot.id
        ));
    }
    // Each rung's billed minutes, by which the audio-only output (of no rung) is spread.
    let rung_minutes: Vec<Decimal> = sd.1.iter().zip(&hd.1).map(|(a, b)| a + b).collect();
    let (free_sd, free_hd) = match free {
        Some(f) => {
            let (a, b) = f.split(sd.0, hd.0);
            (Some(a), Some(b))
        }
        None => (None, None),
    };
    for (label, usage, allowance, (minutes, per_rung), hd_line) in [
        (
            "SD (under 720p) output minutes",
            usage::ETS_SD,
            free_sd,
            sd,
            false,
        ),
        (
            "HD (720p and above) output minutes",
            usage::ETS_HD,
            free_hd,
            hd,
            true,
        ),
    ] {
        if minutes.is_zero() {
            continue;
        }
        let weights = super::shares_of(&per_rung);
        let line = price(
            book,
            Charge::new(
                Service::ElasticTranscoder,
                Stage::Transcode,
                label,
                usage,
                region,
                minutes,
                "minutes",
            )
            .free(allowance)
            .recipe(
                if free.is_some() {
                    Recipe::EtsFree { hd: hd_line }
                } else {
                    Recipe::Linear
                },
                None,
            )
            .note(format!(
                "{} min per title per output (partial minutes rounded up)",
                billed_per_title
            )),
        );
        out.push(line, weights);
    }
    // A separate audio rendition is an audio-only output of its own (Elastic Transcoder bills
    // audio-only outputs per minute, usage type `ets-audio-success`), with the free audio
    // minutes of the Price List's own record.
    if d.audio.is_some() {
        let minutes = d.titles_per_month * billed_per_title;
        let free_audio = s
            .account
            .free_tier
            .then(|| usage::ets_allowance(book, usage::ETS_FREE_AUDIO))
            .flatten();
        let line = price(
            book,
            Charge::new(
                Service::ElasticTranscoder,
                Stage::Transcode,
                "Audio-only output minutes (the separate audio rendition)",
                usage::ETS_AUDIO,
                region,
                minutes,
                "minutes",
            )
            .free(free_audio),
        );
        out.push(line, super::shares_of(&rung_minutes));
    }
    out
}

/// A line's note with `more` said about it: after why the line is unpriced, when it is, so
/// the reason a cost is missing is never replaced by how the quantity was worked out.
fn unpriced_first(line: &LineItem, more: String) -> String {
    match (&line.cost, &line.note) {
        (None, Some(why)) => format!("{why}; {more}"),
        _ => more,
    }
}
