//! What can be wrong with a file handed to the import. Every error is the user's input: the
//! CLI maps [`ErrorKind::BadInput`] to its bad-input exit code.

use std::fmt;

/// The kind of every import error: the input is at fault, never the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    BadInput,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadInput => "bad input",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a file could not be read into a ladder, or a ladder written into a scenario. Each
/// message names the file and the place in it (JSON path, line, column), and ends with a
/// `hint:` line saying what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "malformed JSON in {file} at line {line}, column {column}: {message}\nhint: fix the JSON there; `aws mediaconvert get-job --id ID` writes a file this command reads"
    )]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{file} is JSON but not MediaConvert job settings, a job template or a preset (its top-level keys: {keys})\nhint: give the output of `aws mediaconvert get-job`, `get-job-template` or `get-preset`, or the settings passed to `create-job` (an object with `OutputGroups`)"
    )]
    NotMediaConvert { file: String, keys: String },
    #[error(
        "malformed XML in {file} at line {line}, column {column}: {message}\nhint: fix the XML there; a DASH manifest is an XML document whose root element is <MPD>"
    )]
    Xml {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error(
        "{file}:{line}: the root element is <{root}>, not <MPD>, so this is not a DASH manifest\nhint: give the .mpd manifest of the stream"
    )]
    NotMpd {
        file: String,
        line: u32,
        root: String,
    },
    #[error(
        "{file}:{line}: this is a media playlist, not a multivariant one (it has {tag} and no #EXT-X-STREAM-INF)\nhint: give the multivariant playlist (often master.m3u8 or index.m3u8) that lists the renditions with #EXT-X-STREAM-INF"
    )]
    MediaPlaylist {
        file: String,
        line: usize,
        tag: String,
    },
    #[error(
        "cannot tell what kind of file {file} is\nhint: give MediaConvert job, job template or preset JSON, an HLS multivariant playlist (starts with #EXTM3U), a DASH manifest (<MPD>), or Elastic Transcoder system preset IDs, one a line"
    )]
    UnknownFormat { file: String },
    #[error("unknown codec `{codec}` at {location}\nhint: {hint}")]
    UnknownCodec {
        location: String,
        codec: String,
        hint: String,
    },
    #[error("no {what} at {location}: {why}\nhint: {hint}")]
    Missing {
        location: String,
        what: String,
        why: String,
        hint: String,
    },
    #[error("a video rendition with no size at {location}\nhint: {hint}")]
    NoSize { location: String, hint: String },
    #[error("no rungs in {file}: {detail}\nhint: {hint}")]
    NoRungs {
        file: String,
        detail: String,
        hint: String,
    },
    #[error(
        "unknown Elastic Transcoder system preset `{id}`{}\nhint: system preset IDs look like 1351620000001-000010; the table of known ones is data/ets/system_presets.csv",
        close_ids(close)
    )]
    UnknownEtsPreset { id: String, close: Vec<String> },
    #[error("{what} at {location} must be {expected}, not {found}\nhint: {hint}")]
    InvalidValue {
        location: String,
        what: String,
        expected: String,
        found: String,
        hint: String,
    },
    #[error(
        "the output at {location} uses the preset `{preset}`, whose settings are not in this file\nhint: import the preset itself (`aws mediaconvert get-preset --name \"{preset}\"`), or write its VideoDescription and AudioDescriptions into the output"
    )]
    PresetReference { location: String, preset: String },
    #[error("cannot write the ladder into the scenario: {reason}\nhint: {hint}")]
    Scenario { reason: String, hint: String },
    /// A value read from the file that a scenario refuses (the scenario's field table says
    /// so): named where the file states it, not in the scenario the import would write.
    #[error(
        "{location}: in a scenario, {problem}; nothing was written\nhint: correct the file: {hint}"
    )]
    BeyondScenario {
        location: String,
        problem: String,
        hint: String,
    },
}

/// What to give instead of a file with no rungs.
pub(crate) const NO_RUNGS_HINT: &str = "give a file with video renditions: HLS, DASH or CMAF output groups of a MediaConvert job, the #EXT-X-STREAM-INF lines of a multivariant playlist, or the video Representations of a DASH manifest";

fn close_ids(close: &[String]) -> String {
    if close.is_empty() {
        String::new()
    } else {
        format!("; close ones: {}", close.join(", "))
    }
}

impl ImportError {
    /// Always [`ErrorKind::BadInput`]: nothing here is the program's fault.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::BadInput
    }
}
