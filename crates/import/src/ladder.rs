//! What every format reader produces — rungs before names and shares, separate audio
//! renditions, skipped ones, warnings — and the one place that turns it into an
//! [`ImportedLadder`]: the audio layout, unique names and assumed shares.

use std::collections::{BTreeMap, BTreeSet};

use ladderwise_model::scenario::{Codec, fields};
use rust_decimal::Decimal;

use crate::{AudioLayout, Format, ImportError, ImportedLadder, ImportedRung, Skipped, shares};

/// The audio a video rendition is played with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DraftAudio {
    /// None at all: a video-only rendition with no separate audio beside it.
    None,
    /// Carried in the rendition itself, at this bitrate.
    Muxed(Decimal),
    /// A separate rendition of this audio group.
    Separate(String),
}

/// The dynamic range of a video rendition, as the manifest signals it: HLS `VIDEO-RANGE`
/// (RFC 8216bis §4.4.6.2), DASH `TransferCharacteristics` (ISO/IEC 23001-8 code points 16
/// and 18). An HDR and an SDR rendition of one size and bitrate are two encodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) enum Range {
    #[default]
    Sdr,
    /// Perceptual quantizer (SMPTE ST 2084): HDR10, HDR10+.
    Pq,
    /// Hybrid log-gamma (ARIB STD-B67).
    Hlg,
    /// Dolby Vision: its own sample entries (`dvh1`, …), a MediaConvert add-on.
    DolbyVision,
}

impl Range {
    /// The HLS `VIDEO-RANGE` value; `None` for one the reader does not know.
    pub fn from_hls(value: &str) -> Option<Range> {
        match value.trim() {
            "SDR" => Some(Range::Sdr),
            "PQ" => Some(Range::Pq),
            "HLG" => Some(Range::Hlg),
            _ => None,
        }
    }

    /// A DASH `TransferCharacteristics` code point: 16 is PQ, 18 is HLG, any other SDR.
    pub fn from_transfer(code: &str) -> Range {
        match code.trim() {
            "16" => Range::Pq,
            "18" => Range::Hlg,
            _ => Range::Sdr,
        }
    }

    /// What a rung name carries after its bitrate, so the two encodes keep apart.
    fn suffix(self) -> &'static str {
        match self {
            Range::Sdr => "",
            Range::Pq => "_pq",
            Range::Hlg => "_hlg",
            Range::DolbyVision => "_dv",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Range::Sdr => "SDR",
            Range::Pq => "HDR (PQ)",
            Range::Hlg => "HDR (HLG)",
            Range::DolbyVision => "HDR (Dolby Vision)",
        }
    }
}

/// What makes two renditions the same video: size, frame rate, codec, range and video
/// bitrate. Two listings with the same key are one encode (another audio group, a
/// redundant stream); any difference is another rung.
pub(crate) type VideoKey = (u32, u32, Decimal, Codec, Range, Decimal);

/// A rung as read, before it gets its unique name and share.
#[derive(Clone, Debug)]
pub(crate) struct Draft {
    /// A name the file gives (NameModifier, preset name); else `<height>p_<video_kbps>`.
    pub name: Option<String>,
    pub width: u32,
    pub height: u32,
    pub fps: Decimal,
    pub codec: Codec,
    pub range: Range,
    pub video_kbps: Decimal,
    pub audio: DraftAudio,
    pub origin: String,
}

impl Draft {
    pub fn video_key(&self) -> VideoKey {
        (
            self.width,
            self.height,
            self.fps,
            self.codec,
            self.range,
            self.video_kbps,
        )
    }
}

/// A demuxed audio rendition: an audio group member with no video.
#[derive(Clone, Debug)]
pub(crate) struct SeparateAudio {
    pub group: String,
    pub kbps: Decimal,
    pub origin: String,
}

/// Everything a format reader found.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub drafts: Vec<Draft>,
    pub separate: Vec<SeparateAudio>,
    /// Separate audio groups the rungs also play with, beside each draft's own: an HLS
    /// variant listed once per audio group is one draft, with the first listing's group.
    pub also_played: BTreeSet<String>,
    pub segment_seconds: Option<Decimal>,
    /// Where the file states `segment_seconds` (a manifest line), when the reader knows: a
    /// length a scenario refuses is named there, else at the file.
    pub segment_origin: Option<String>,
    pub passes: Option<u8>,
    /// The segment container of each group or set the rungs were read from, and where.
    pub containers: Vec<(Container, String)>,
    pub warnings: Vec<String>,
    pub skipped: Vec<Skipped>,
    pub notes: Vec<String>,
}

/// The container of a rendition's segments, which adds its bytes to the encoded bitrates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Container {
    /// MPEG-2 transport stream: MediaConvert's HLS group, DASH `video/mp2t`.
    Ts,
    /// Fragmented MP4 (CMAF): MediaConvert's CMAF and DASH ISO groups, DASH `video/mp4`.
    Fmp4,
}

impl Container {
    /// `ladder.packaging_overhead` for the container: the typical values docs/scenario.md
    /// gives (0.05 for MPEG-TS, whose 188-byte packets and PES headers cost more than
    /// fragmented MP4's boxes, 0.02).
    pub fn overhead(self) -> Decimal {
        match self {
            Container::Ts => Decimal::new(5, 2),
            Container::Fmp4 => Decimal::new(2, 2),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Container::Ts => "MPEG-TS",
            Container::Fmp4 => "fragmented MP4",
        }
    }
}

impl Found {
    /// Adds a warning, once (rungs that share a setting would repeat it).
    pub fn warn(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !self.warnings.contains(&text) {
            self.warnings.push(text);
        }
    }

    /// Adds a note, once.
    pub fn note(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !self.notes.contains(&text) {
            self.notes.push(text);
        }
    }

    pub fn skip(&mut self, origin: String, rendition: String, reason: &str) {
        self.skipped.push(Skipped {
            origin,
            rendition,
            reason: reason.into(),
        });
    }
}

/// A bitrate in bits per second as kilobits per second.
pub(crate) fn kbps_of_bps(bps: Decimal) -> Decimal {
    (bps / Decimal::ONE_THOUSAND).normalize()
}

/// A frame rate as written in a scenario: 3 decimal places at most (30000/1001 → 29.97).
pub(crate) fn fps_of(numerator: Decimal, denominator: Decimal) -> Option<Decimal> {
    if numerator <= Decimal::ZERO || denominator <= Decimal::ZERO {
        return None;
    }
    Some(round_fps(numerator.checked_div(denominator)?))
}

/// A positive frame rate to 3 decimal places, unless that would make it 0: a rate the file
/// states stays what it states, for the scenario's rule to judge.
pub(crate) fn round_fps(fps: Decimal) -> Decimal {
    let rounded = fps.round_dp(3);
    if rounded.is_zero() { fps } else { rounded }.normalize()
}

/// The largest width or height a scenario takes (docs/scenario.md: 1..16384 pixels); larger
/// is refused where it is read.
pub(crate) const MAX_PIXELS: u32 = 16_384;

/// The largest number read from a file: the scenario's bound on any number (10^12), which
/// keeps the decimal arithmetic here far from overflow.
pub(crate) const MAX_NUMBER: i64 = 1_000_000_000_000;

/// The frame rate taken when the file leaves it to the source.
pub(crate) const DEFAULT_FPS: u32 = 30;

/// A whole number of kbps for names: `720p_2500`.
fn name_kbps(kbps: Decimal) -> String {
    kbps.round().normalize().to_string()
}

/// A short description of a rendition, for `skipped`: `1920x1080 avc 4500 kbps`.
pub(crate) fn describe(width: u32, height: u32, codec: &str, kbps: Option<Decimal>) -> String {
    let mut text = format!("{width}x{height} {codec}");
    if let Some(k) = kbps {
        text.push_str(&format!(" {} kbps", k.normalize()));
    }
    text
}

/// Builds the ladder: audio layout, unique names, assumed shares. No rungs is an error.
pub(crate) fn finish(
    mut found: Found,
    format: Format,
    source: &str,
) -> Result<ImportedLadder, ImportError> {
    if found.drafts.is_empty() {
        return Err(ImportError::NoRungs {
            file: source.into(),
            detail: nothing_found(&found),
            hint: crate::error::NO_RUNGS_HINT.into(),
        });
    }
    within_scenario(&found, source)?;
    hdr_is_priced_as_sdr(&mut found);
    let audio = audio_layout(&mut found);
    let names = unique_names(&found.drafts);
    let totals: Vec<Decimal> = found
        .drafts
        .iter()
        .map(|d| match &d.audio {
            DraftAudio::Muxed(a) => d.video_kbps + a,
            _ => d.video_kbps,
        })
        .collect();
    let shares = shares::assumed(&totals);
    let rungs = found
        .drafts
        .iter()
        .zip(names)
        .zip(shares)
        .map(|((d, name), share)| ImportedRung {
            name,
            width: d.width,
            height: d.height,
            fps: d.fps,
            codec: d.codec,
            video_kbps: d.video_kbps,
            audio_kbps: match (&audio, &d.audio) {
                (AudioLayout::Separate { .. }, _) => None,
                (AudioLayout::Muxed, DraftAudio::Muxed(a)) => Some(*a),
                (AudioLayout::Muxed, _) => Some(Decimal::ZERO),
            },
            watch_share: share,
            origin: d.origin.clone(),
        })
        .collect();
    // An assumption whatever the file (no format states watch time): a warning, as every
    // value taken in place of the file's is.
    found.warn(shares::ASSUMED_SHARES);
    let packaging = packaging(&mut found);
    Ok(ImportedLadder {
        format,
        source: source.into(),
        rungs,
        segment_seconds: found.segment_seconds,
        audio,
        passes: found.passes,
        packaging_overhead: packaging.map(|c| c.overhead()),
        segment_container: packaging.map(Container::label),
        warnings: found.warnings,
        skipped: found.skipped,
        notes: found.notes,
    })
}

/// Every number a rung takes from the file, checked by the scenario's own rules (its field
/// table), so that a value a scenario refuses is named at the line of the file it came from.
/// A scenario has no dynamic-range field: an HDR rung is priced by its codec and passes.
/// HDR output is a MediaConvert Professional-tier feature (PRICES.md §1.1, "Tiers"), which HEVC
/// and AV1 rungs bill at anyway; an AVC or VP9 HDR rung may bill above the estimate.
fn hdr_is_priced_as_sdr(found: &mut Found) {
    let hdr: Vec<String> = found
        .drafts
        .iter()
        .filter(|d| d.range != Range::Sdr)
        .map(|d| format!("{} {}", d.origin, d.range.describe()))
        .collect();
    if hdr.is_empty() {
        return;
    }
    let basic = found
        .drafts
        .iter()
        .any(|d| d.range != Range::Sdr && matches!(d.codec, Codec::Avc | Codec::Vp9));
    let dolby = found.drafts.iter().any(|d| d.range == Range::DolbyVision);
    found.warn(format!(
        "{} HDR rendition(s) ({}): a scenario has no HDR field, so each is priced as video of its codec{}{}",
        hdr.len(),
        hdr.join(", "),
        if basic {
            "; MediaConvert bills HDR output at the Professional tier, so the AVC/VP9 ones may cost more than estimated"
        } else {
            " (HEVC and AV1 bill at MediaConvert's Professional tier, as HDR output does)"
        },
        if dolby {
            "; Dolby Vision is a MediaConvert add-on billed per minute on top (`DOLBY_VIS` usage types), which the estimate leaves out"
        } else {
            ""
        }
    ));
}

/// `ladder.packaging_overhead` when every rung's segments are in one container the file
/// names; when they are in two, the scenario's value stays, and a note says so.
fn packaging(found: &mut Found) -> Option<Container> {
    let mut kinds: Vec<Container> = found.containers.iter().map(|(c, _)| *c).collect();
    kinds.sort();
    kinds.dedup();
    match kinds.as_slice() {
        [one] => {
            let (_, at) = &found.containers[0];
            found.note(format!(
                "packaging_overhead = {}: the segments are {} ({at}), whose container bytes come on top of the bitrates (the typical value docs/scenario.md gives)",
                one.overhead(),
                one.label()
            ));
            Some(*one)
        }
        [] => None,
        _ => {
            found.note(
                "the rungs' segments are in MPEG-TS and in fragmented MP4: the scenario's packaging_overhead is kept",
            );
            None
        }
    }
}

fn within_scenario(found: &Found, source: &str) -> Result<(), ImportError> {
    let check = |path: &str, value: Decimal, location: &str| -> Result<(), ImportError> {
        let Some(field) = fields::find(path) else {
            return Ok(());
        };
        let Some(rule) = field.rule() else {
            return Ok(());
        };
        rule.check(value).map_err(|e| ImportError::BeyondScenario {
            location: location.to_string(),
            problem: e.message(field.key()),
            hint: match &e {
                // The file states bits per second; "write kilobits per second" would point
                // at the scenario, which is not what holds the number.
                fields::RuleError::Above { max, .. } if path.ends_with("kbps") => format!(
                    "its bitrate is in bits per second, and a scenario prices rates up to {} kbps ({} bits per second)",
                    ladderwise_model::units::format_quantity(*max, 3),
                    ladderwise_model::units::format_quantity(*max * Decimal::ONE_THOUSAND, 3)
                ),
                _ => e.hint(field.key(), field.unit),
            },
        })
    };
    for d in &found.drafts {
        let at = d.origin.as_str();
        check("ladder.rungs[N].width", Decimal::from(d.width), at)?;
        check("ladder.rungs[N].height", Decimal::from(d.height), at)?;
        check("ladder.rungs[N].fps", d.fps, at)?;
        check("ladder.rungs[N].video_kbps", d.video_kbps, at)?;
        if let DraftAudio::Muxed(kbps) = d.audio {
            check("ladder.rungs[N].audio_kbps", kbps, at)?;
        }
    }
    // Separate audio is the ladder's one rendition: `[ladder] audio_kbps`.
    for s in &found.separate {
        check("ladder.audio_kbps", s.kbps, &s.origin)?;
    }
    if let Some(seconds) = found.segment_seconds {
        let at = found.segment_origin.as_deref().unwrap_or(source);
        check("ladder.segment_seconds", seconds, at)?;
    }
    Ok(())
}

fn nothing_found(found: &Found) -> String {
    let mut parts = Vec::new();
    if !found.separate.is_empty() {
        parts.push(format!(
            "{} audio-only rendition(s), which are not rungs",
            found.separate.len()
        ));
    }
    if !found.skipped.is_empty() {
        let reasons: BTreeSet<&str> = found.skipped.iter().map(|s| s.reason.as_str()).collect();
        parts.push(format!(
            "{} rendition(s) skipped ({})",
            found.skipped.len(),
            reasons.into_iter().collect::<Vec<_>>().join("; ")
        ));
    }
    if parts.is_empty() {
        "it lists no video renditions".into()
    } else {
        format!("it has only {}", parts.join(" and "))
    }
}

/// Muxed when no rung refers to separate audio; separate when every rung with audio does;
/// muxed again when both kinds are in one file (e.g. an HLS group with muxed audio beside a
/// CMAF group with an audio-only output): each video-only rung then carries its group's
/// separate audio, so that what a viewer fetches is still counted.
fn audio_layout(found: &mut Found) -> AudioLayout {
    let mut groups: BTreeMap<&str, Vec<&SeparateAudio>> = BTreeMap::new();
    for s in &found.separate {
        groups.entry(s.group.as_str()).or_default().push(s);
    }
    let group_kbps: BTreeMap<String, Decimal> = groups
        .iter()
        .map(|(g, members)| {
            let max = members.iter().map(|m| m.kbps).max().unwrap_or_default();
            (g.to_string(), max)
        })
        .collect();
    let used: BTreeSet<String> = found
        .drafts
        .iter()
        .filter_map(|d| match &d.audio {
            DraftAudio::Separate(g) => Some(g.clone()),
            _ => None,
        })
        .chain(found.also_played.iter().cloned())
        .collect();
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    for g in &used {
        let members = groups
            .get(g.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let rates: BTreeSet<Decimal> = members.iter().map(|m| m.kbps).collect();
        if rates.len() > 1 {
            let list: Vec<String> = rates.iter().map(|r| format!("{r} kbps")).collect();
            warnings.push(format!(
                "separate audio renditions at {} ({}); a scenario has one separate audio rendition: the highest, {} kbps, is used, and the other {} are not transcoded or stored in the estimate",
                list.join(", "),
                members.iter().map(|m| m.origin.as_str()).collect::<Vec<_>>().join(", "),
                group_kbps[g],
                members.len() - 1
            ));
        } else if members.len() > 1 {
            notes.push(format!(
                "{} separate audio renditions at {} kbps ({}): viewers fetch one of them, so one is counted; a scenario has one separate audio rendition, so the other {} are not transcoded or stored in the estimate",
                members.len(),
                group_kbps[g],
                members.iter().map(|m| m.origin.as_str()).collect::<Vec<_>>().join(", "),
                members.len() - 1
            ));
        }
    }
    let muxed = found
        .drafts
        .iter()
        .any(|d| matches!(d.audio, DraftAudio::Muxed(_)));
    let layout = if used.is_empty() {
        AudioLayout::Muxed
    } else if !muxed {
        let kbps = used
            .iter()
            .filter_map(|g| group_kbps.get(g))
            .max()
            .copied()
            .unwrap_or_default();
        if used.len() > 1 {
            let rates: BTreeSet<Decimal> = used
                .iter()
                .filter_map(|g| group_kbps.get(g))
                .copied()
                .collect();
            if rates.len() > 1 {
                warnings.push(format!(
                    "the rungs use {} audio groups with different bitrates; the ladder's separate audio is the highest, {kbps} kbps",
                    used.len()
                ));
            }
        }
        AudioLayout::Separate { kbps }
    } else {
        let mut folded = Vec::new();
        for d in &mut found.drafts {
            if let DraftAudio::Separate(g) = &d.audio {
                let kbps = group_kbps.get(g).copied().unwrap_or_default();
                folded.push(d.origin.clone());
                d.audio = DraftAudio::Muxed(kbps);
            }
        }
        warnings.push(format!(
            "some rungs carry their audio and others use a separate audio rendition; a scenario has one layout, so the ladder is written with muxed audio and each video-only rung carries its separate audio's bitrate ({})",
            folded.join(", ")
        ));
        AudioLayout::Muxed
    };
    // Audio-only renditions that no rung plays with.
    for (g, members) in &groups {
        if !used.contains(*g) {
            for m in members {
                notes.push(format!(
                    "{}: audio-only rendition at {} kbps that no video rendition refers to; not counted",
                    m.origin, m.kbps
                ));
            }
        }
    }
    found.warnings.extend(warnings);
    found.notes.extend(notes);
    layout
}

/// Each rung's name: the one the file gives, else `<height>p_<video_kbps>` (`_pq`, `_hlg`
/// after it for HDR), with the whole frame rate after the height (`720p60_4500`) when
/// renditions of one height and bitrate differ only in it; a repeated name
/// gets `_2`, `_3`… (never one another rung already has).
fn unique_names(drafts: &[Draft]) -> Vec<String> {
    let derived = |d: &Draft, fps: &str| {
        format!(
            "{}p{fps}_{}{}",
            d.height,
            name_kbps(d.video_kbps),
            d.range.suffix()
        )
    };
    let given = |d: &Draft| {
        d.name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
    };
    let bases: Vec<String> = drafts
        .iter()
        .map(|d| {
            given(d).unwrap_or_else(|| {
                let name = derived(d, "");
                let other_fps = drafts
                    .iter()
                    .any(|o| given(o).is_none() && o.fps != d.fps && derived(o, "") == name);
                if other_fps {
                    // 29.97 → 30, 59.94 → 60: a name has no point, which paths would split.
                    derived(d, &d.fps.round().to_string())
                } else {
                    name
                }
            })
        })
        .collect();
    let reserved: BTreeSet<&str> = bases.iter().map(String::as_str).collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut names = Vec::with_capacity(bases.len());
    for base in &bases {
        let name = if used.contains(base) {
            (2..)
                .map(|k| format!("{base}_{k}"))
                .find(|n| !used.contains(n) && !reserved.contains(n.as_str()))
                .unwrap_or_else(|| base.clone())
        } else {
            base.clone()
        };
        used.insert(name.clone());
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: Option<&str>, height: u32, kbps: i64) -> Draft {
        Draft {
            name: name.map(String::from),
            width: height * 16 / 9,
            height,
            fps: Decimal::from(30),
            range: Range::Sdr,
            codec: Codec::Avc,
            video_kbps: Decimal::from(kbps),
            audio: DraftAudio::None,
            origin: "x".into(),
        }
    }

    #[test]
    fn names_are_unique_and_explicit_names_win() {
        let names = unique_names(&[
            draft(Some("720p"), 720, 3000),
            draft(Some("720p"), 720, 3000),
            draft(Some("720p_2"), 720, 2000),
            draft(None, 360, 800),
            draft(Some("  "), 360, 800),
        ]);
        assert_eq!(
            names,
            ["720p", "720p_3", "720p_2", "360p_800", "360p_800_2"]
        );
    }

    #[test]
    fn renditions_apart_only_by_frame_rate_are_named_by_it() {
        let at = |kbps: i64, fps: &str| Draft {
            fps: fps.parse().unwrap(),
            ..draft(None, 720, kbps)
        };
        let names = unique_names(&[
            at(4500, "59.94"),
            at(4500, "29.97"),
            at(4500, "29.97"),
            at(2500, "30"),
        ]);
        assert_eq!(
            names,
            ["720p60_4500", "720p30_4500", "720p30_4500_2", "720p_2500"]
        );
    }

    #[test]
    fn fps_fractions_round_to_three_places() {
        let d = |n: i64| Decimal::from(n);
        assert_eq!(fps_of(d(30000), d(1001)), Some("29.97".parse().unwrap()));
        assert_eq!(fps_of(d(25), d(1)), Some(d(25)));
        assert_eq!(fps_of(d(25), d(0)), None);
    }
}
