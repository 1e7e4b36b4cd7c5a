//! The JSON of `ladderwise import --format json`: the ladder read from the file, for scripts,
//! documented in docs/cli.md. Field names are a public interface: add fields, never rename or
//! remove them. Every key is always present (`null` when it does not apply); bitrates, frame
//! rates, shares and seconds are decimal strings, as in the estimate's contract. The desktop
//! app sends the same shape to its UI (feature `ts` generates its TypeScript type).

use ladderwise_import::{AudioLayout, ImportedLadder};
use serde::Serialize;

use crate::export::machine;

/// The version of this contract, the JSON's `schema`.
pub const SCHEMA: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportedLadder"))]
pub struct ImportJson {
    pub schema: u32,
    /// `mediaconvert-job`, `mediaconvert-job-template`, `mediaconvert-preset`,
    /// `hls-multivariant`, `dash-mpd` or `ets-presets`.
    pub format: String,
    /// The format in words (`MediaConvert job settings`).
    pub format_label: String,
    /// The file (or the preset IDs) the ladder came from.
    pub source: String,
    pub rungs: Vec<ImportedRungJson>,
    /// `null` when the file does not state it: the scenario's value stays.
    pub segment_seconds: Option<String>,
    /// `muxed` (each rung carries its audio) or `separate` (one audio rendition).
    pub audio: String,
    /// The separate audio rendition's bitrate; `null` with muxed audio.
    pub separate_audio_kbps: Option<String>,
    /// Encoding passes, when the file states them.
    pub passes: Option<u8>,
    /// `ladder.packaging_overhead` for the segment container the file names for every rung;
    /// `null` when it names none, or two: the scenario's value stays.
    pub packaging_overhead: Option<String>,
    /// That container: `MPEG-TS` or `fragmented MP4`.
    pub segment_container: Option<String>,
    /// Values missing or uncertain in the file, and what was assumed, each naming its place.
    pub warnings: Vec<String>,
    /// Renditions of the file that are not rungs.
    pub skipped: Vec<SkippedJson>,
    /// How the file was read.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ImportedRung"))]
pub struct ImportedRungJson {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub fps: String,
    pub codec: String,
    pub video_kbps: String,
    /// `null` when the audio is separate.
    pub audio_kbps: Option<String>,
    /// Assumed: no imported format states watch time.
    pub watch_share: String,
    /// File and JSON path, playlist or manifest line, or preset ID.
    pub origin: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SkippedRendition"))]
pub struct SkippedJson {
    pub origin: String,
    pub rendition: String,
    pub reason: String,
}

/// The ladder in the contract's shape.
pub fn value(l: &ImportedLadder) -> ImportJson {
    let format = serde_json::to_value(l.format)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let (audio, separate_audio_kbps) = match &l.audio {
        AudioLayout::Muxed => ("muxed", None),
        AudioLayout::Separate { kbps } => ("separate", Some(machine(*kbps))),
    };
    ImportJson {
        schema: SCHEMA,
        format,
        format_label: l.format.label().to_string(),
        source: l.source.clone(),
        rungs: l
            .rungs
            .iter()
            .map(|r| ImportedRungJson {
                name: r.name.clone(),
                width: r.width,
                height: r.height,
                fps: machine(r.fps),
                codec: r.codec.name().to_string(),
                video_kbps: machine(r.video_kbps),
                audio_kbps: r.audio_kbps.map(machine),
                watch_share: machine(r.watch_share),
                origin: r.origin.clone(),
            })
            .collect(),
        segment_seconds: l.segment_seconds.map(machine),
        audio: audio.to_string(),
        separate_audio_kbps,
        passes: l.passes,
        packaging_overhead: l.packaging_overhead.map(machine),
        segment_container: l.segment_container.map(str::to_string),
        warnings: l.warnings.clone(),
        skipped: l
            .skipped
            .iter()
            .map(|s| SkippedJson {
                origin: s.origin.clone(),
                rendition: s.rendition.clone(),
                reason: s.reason.clone(),
            })
            .collect(),
        notes: l.notes.clone(),
    }
}

pub fn import_json(l: &ImportedLadder) -> String {
    super::pretty(serde_json::to_value(value(l)).unwrap_or_default())
}
