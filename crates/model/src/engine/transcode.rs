//! Transcode: AWS Elemental MediaConvert, or the discontinued Elastic Transcoder.
//!
//! Cost ≈ Σ over outputs of rate(output profile) × billed output minutes (DESIGN.md).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::drivers::{Drivers, ResolutionClass};
use super::{Charge, Service, Stage, StageLines, allowance, price, usage};
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

/// The normalization factor of one output: resolution × frame rate × codec × passes, and the
/// least-trusted status among the factors multiplied. `Err` names the factor the table lacks.
pub fn normalization_factor(
    table: &NormalizationTable,
    tier: MediaConvertTier,
    rung: &Rung,
    passes: u8,
) -> Result<(Decimal, PriceStatus), String> {
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

/// Normalized minutes of one MediaConvert tier: the tier, the total, each rung's part, and
/// the arithmetic behind them for the line's note.
type TierMinutes = (MediaConvertTier, Decimal, Vec<Decimal>, Vec<String>);

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
                let worst = factor_status
                    .entry(tier.label())
                    .or_insert(PriceStatus::PriceList);
                *worst = (*worst).max(status);
                let entry = by_tier
                    .entry(tier.label())
                    .or_insert_with(|| (tier, Decimal::ZERO, vec![Decimal::ZERO; n], Vec::new()));
                entry.1 += minutes * f;
                entry.2[i] = minutes * f;
                entry.3.push(format!(
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
    let mut normalized_total = Decimal::ZERO;
    for (label, (tier, normalized, per_rung, explain)) in by_tier {
        normalized_total += normalized;
        let weights = per_rung
            .iter()
            .map(|m| {
                if normalized.is_zero() {
                    Decimal::ZERO
                } else {
                    m / normalized
                }
            })
            .collect();
        let line = price(
            book,
            Charge::new(
                Service::MediaConvert,
                Stage::Transcode,
                format!("{} tier, normalized output minutes", tier.label()),
                usage::mediaconvert_minutes(tier),
                region,
                normalized,
                "minutes",
            )
            .note(format!(
                "normalized = output minutes × factor; {}",
                explain.join("; ")
            )),
        );
        let mut line = line;
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

    if s.transcode.reserved_slots > 0 {
        let line = price(
            book,
            Charge::new(
                Service::MediaConvert,
                Stage::Transcode,
                "Reserved transcode slots (12-month commitment)",
                usage::MEDIACONVERT_RESERVED_SLOT,
                region,
                Decimal::from(s.transcode.reserved_slots),
                "Slots",
            ),
        );
        warnings.push(
            "reserved transcode slots are listed with their fee, and every output is still priced on demand: \
             how much work moves onto the slots depends on job length and concurrency, which the scenario does not describe"
                .to_string(),
        );
        out.push(line, vec![Decimal::ZERO; n]);
    }
    out
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
        if matches!(rung.codec, Codec::Hevc | Codec::Av1) {
            let mut weights = vec![Decimal::ZERO; n];
            weights[i] = Decimal::ONE;
            out.push(
                super::LineItem {
                    service: Service::ElasticTranscoder,
                    stage: Stage::Transcode,
                    description: format!("output minutes, {} ({})", rung.name, rung.codec.name()),
                    usage_type: usage::ETS_HD.into(),
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
                        "Elastic Transcoder cannot encode {}; it has no price for it",
                        rung.codec.name()
                    )),
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
    let free = s.account.free_tier;
    for (label, usage, free_usage, (minutes, per_rung)) in [
        (
            "SD (under 720p) output minutes",
            usage::ETS_SD,
            usage::ETS_FREE_SD,
            sd,
        ),
        (
            "HD (720p and above) output minutes",
            usage::ETS_HD,
            usage::ETS_FREE_HD,
            hd,
        ),
    ] {
        if minutes.is_zero() {
            continue;
        }
        let weights = per_rung.iter().map(|m| m / minutes).collect();
        let allowance = allowance(book, Service::ElasticTranscoder, free_usage, free, warnings);
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
            .note(format!(
                "{} min per title per output (partial minutes rounded up)",
                billed_per_title
            )),
        );
        out.push(line, weights);
    }
    // A separate audio rendition is an audio-only output of its own (Elastic Transcoder bills
    // audio-only outputs per minute, usage type `ets-audio-success`).
    if d.audio.is_some() {
        let minutes = d.titles_per_month * billed_per_title;
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
            ),
        );
        out.push(line, vec![Decimal::ZERO; n]);
    }
    out
}
