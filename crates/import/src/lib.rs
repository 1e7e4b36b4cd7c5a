//! Reading an ABR ladder out of the files architects already have — MediaConvert job,
//! job-template and preset JSON, HLS multivariant playlists (RFC 8216), DASH manifests
//! (ISO/IEC 23009-1), Elastic Transcoder system preset IDs — and writing it into scenario
//! text a person would have written.
//!
//! Pure: the caller reads the file and hands in its text and name (the name is only used in
//! messages and origins). [`import`] reads any supported file, [`import_ets_presets`] a list
//! of preset IDs; [`scenario_text`] and [`replace_ladder`] render the result. What each format
//! maps to, and every default and assumption, is in this crate's README.

mod codecs;
mod dash;
mod error;
mod ets;
mod hls;
mod ladder;
mod mediaconvert;
mod render;
mod shares;

use ladderwise_model::scenario::Codec;
use rust_decimal::Decimal;
use serde::Serialize;

pub use error::{ErrorKind, ImportError};
pub use render::{replace_ladder, scenario_text};
pub use shares::ASSUMED_SHARES;

/// The kind of file a ladder came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `CreateJob` settings (bare or under `Settings`) or a `GetJob` response.
    MediaconvertJob,
    /// A `GetJobTemplate` response.
    MediaconvertJobTemplate,
    /// A `GetPreset` (one rung) or `ListPresets` response.
    MediaconvertPreset,
    /// An HLS multivariant playlist.
    HlsMultivariant,
    /// A DASH MPD.
    DashMpd,
    /// Elastic Transcoder system presets, by ID.
    EtsPresets,
}

impl Format {
    /// How the format is named in messages and in the written scenario.
    pub fn label(self) -> &'static str {
        match self {
            Format::MediaconvertJob => "MediaConvert job settings",
            Format::MediaconvertJobTemplate => "MediaConvert job template",
            Format::MediaconvertPreset => "MediaConvert preset",
            Format::HlsMultivariant => "HLS multivariant playlist",
            Format::DashMpd => "DASH manifest",
            Format::EtsPresets => "Elastic Transcoder system presets",
        }
    }
}

/// Where the audio of the ladder is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "layout", rename_all = "lowercase")]
pub enum AudioLayout {
    /// Each rung carries its own audio (`audio_kbps` on every rung; 0 for video-only).
    Muxed,
    /// One audio rendition beside the video rungs (demuxed), fetched with whichever rung
    /// plays.
    Separate { kbps: Decimal },
}

/// One rendition of the imported ladder, in the scenario's units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportedRung {
    /// Unique within the ladder.
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub fps: Decimal,
    pub codec: Codec,
    pub video_kbps: Decimal,
    /// Muxed audio of this rung; `None` when the ladder's audio is separate.
    pub audio_kbps: Option<Decimal>,
    /// Assumed: no imported format states watch time (see [`ASSUMED_SHARES`]).
    pub watch_share: Decimal,
    /// Where the rung came from: file and JSON path (`job.json $.Settings.OutputGroups[1].Outputs[0]`),
    /// playlist or manifest line (`master.m3u8:7`), or preset ID.
    pub origin: String,
}

/// A rendition in the file that is not a rung, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub origin: String,
    /// What it is, e.g. `1920x1080 avc 4500 kbps MP4`.
    pub rendition: String,
    pub reason: String,
}

/// A ladder read from a file, with everything that had to be assumed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportedLadder {
    pub format: Format,
    /// The file name handed in (or the preset IDs).
    pub source: String,
    pub rungs: Vec<ImportedRung>,
    /// `None` when the file does not state it: the scenario's value stays.
    pub segment_seconds: Option<Decimal>,
    pub audio: AudioLayout,
    /// Encoding passes, when the file states them (MediaConvert only).
    pub passes: Option<u8>,
    /// `ladder.packaging_overhead` for the container the file names for every rung's
    /// segments (MediaConvert's group, DASH's `mimeType`); `None` when it names none, or two.
    pub packaging_overhead: Option<Decimal>,
    /// The container `packaging_overhead` is for (`MPEG-TS`, `fragmented MP4`).
    pub segment_container: Option<&'static str>,
    /// Values that were missing or uncertain and were assumed, each naming its place.
    pub warnings: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// How the file was read: which fields were used, what was ignored.
    pub notes: Vec<String>,
}

/// Reads a ladder from the text of a MediaConvert JSON file, an HLS multivariant playlist, a
/// DASH manifest, or a list of Elastic Transcoder system preset IDs (one a line); the kind is
/// told from the content. `file` names the file in origins and messages.
pub fn import(file: &str, text: &str) -> Result<ImportedLadder, ImportError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = body.trim_start();
    // A JSON array, but not a TOML table header such as `[scenario]` given by mistake.
    let json_array = start.strip_prefix('[').is_some_and(|rest| {
        rest.trim_start()
            .starts_with(|c: char| matches!(c, '{' | '[' | ']' | '"' | '-') || c.is_ascii_digit())
    });
    if start.starts_with('{') || json_array {
        mediaconvert::import(file, body)
    } else if start.starts_with('<') {
        dash::import(file, body)
    } else if start.starts_with("#EXTM3U") {
        hls::import(file, body)
    } else if let Some(ids) = ets::id_list(body) {
        let ids: Vec<&str> = ids.collect();
        ets::import(&ids, file)
    } else {
        Err(ImportError::UnknownFormat { file: file.into() })
    }
}

/// Reads a ladder from Elastic Transcoder system preset IDs (`1351620000001-000010`), in
/// the order given. Audio-only presets become the separate audio rendition.
pub fn import_ets_presets(ids: &[&str]) -> Result<ImportedLadder, ImportError> {
    ets::import(ids, &ets::source_name(ids))
}
