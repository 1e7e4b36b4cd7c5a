//! MediaConvert JSON: `CreateJob` settings (bare, or under `Settings`), `GetJob` and
//! `GetJobTemplate` responses, `GetPreset` and `ListPresets` responses. Field names are those
//! of the MediaConvert API reference (Job settings: `OutputGroups[].OutputGroupSettings`,
//! `Outputs[].VideoDescription`, `AudioDescriptions[].CodecSettings`).

use std::str::FromStr;

use ladderwise_model::scenario::Codec;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::ladder::{
    self, Container, DEFAULT_FPS, Draft, DraftAudio, Found, MAX_NUMBER, MAX_PIXELS, Range,
    SeparateAudio, describe, fps_of, kbps_of_bps,
};
use crate::{Format, ImportError, ImportedLadder};

/// The video codecs a scenario prices, by their MediaConvert `Codec` value.
const VIDEO_CODECS: [(&str, Codec); 4] = [
    ("H_264", Codec::Avc),
    ("H_265", Codec::Hevc),
    ("AV1", Codec::Av1),
    ("VP9", Codec::Vp9),
];

/// The group types whose video outputs are rungs, the settings object of each, and
/// MediaConvert's segment length when `SegmentLength` is not set (API reference:
/// "When you don't specify a value, MediaConvert defaults to 10" for HLS and CMAF, 30 for
/// DASH ISO).
const RUNG_GROUPS: [(&str, &str, u32); 3] = [
    ("HLS_GROUP_SETTINGS", "HlsGroupSettings", 10),
    ("DASH_ISO_GROUP_SETTINGS", "DashIsoGroupSettings", 30),
    ("CMAF_GROUP_SETTINGS", "CmafGroupSettings", 10),
];

/// Other group types, and the settings object that tells them apart when `Type` is missing.
const OTHER_GROUPS: [(&str, &str); 2] = [
    ("FILE_GROUP_SETTINGS", "FileGroupSettings"),
    ("MS_SMOOTH_GROUP_SETTINGS", "MsSmoothGroupSettings"),
];

/// Audio `Codec` values and the settings object that holds their `Bitrate`.
const AUDIO_SETTINGS: [(&str, &str); 11] = [
    ("AAC", "AacSettings"),
    ("AC3", "Ac3Settings"),
    ("EAC3", "Eac3Settings"),
    ("EAC3_ATMOS", "Eac3AtmosSettings"),
    ("MP2", "Mp2Settings"),
    ("MP3", "Mp3Settings"),
    ("OPUS", "OpusSettings"),
    ("VORBIS", "VorbisSettings"),
    ("FLAC", "FlacSettings"),
    ("WAV", "WavSettings"),
    ("AIFF", "AiffSettings"),
];

/// Audio bitrate taken when a description states none.
const DEFAULT_AUDIO_KBPS: u32 = 128;

/// The dynamic range an output is written in, from its video preprocessors (MediaConvert
/// API reference, `VideoPreprocessor`): Dolby Vision metadata, HDR10+ metadata, or a color
/// space conversion forced to an HDR space (`FORCE_HDR10`, `FORCE_P3D65_HDR` are PQ,
/// `FORCE_HLG_2020` HLG). An output that converts nothing follows its input, which the job
/// does not describe: taken as SDR.
fn output_range(video: &At) -> Range {
    let Some(pre) = video.key("VideoPreprocessors") else {
        return Range::Sdr;
    };
    if pre.key("DolbyVision").is_some() {
        return Range::DolbyVision;
    }
    if pre.key("Hdr10Plus").is_some() {
        return Range::Pq;
    }
    match pre
        .key("ColorCorrector")
        .and_then(|c| c.str("ColorSpaceConversion"))
    {
        Some("FORCE_HDR10" | "FORCE_P3D65_HDR") => Range::Pq,
        Some("FORCE_HLG_2020") => Range::Hlg,
        _ => Range::Sdr,
    }
}

/// Bits per pixel per frame behind the video bitrate taken when an output states none.
const DEFAULT_BITS_PER_PIXEL: &str = "0.1";

/// A JSON value and its path from the document root (`$.Settings.OutputGroups[1]`).
#[derive(Clone)]
struct At<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> At<'a> {
    fn key(&self, key: &str) -> Option<At<'a>> {
        self.value
            .get(key)
            .filter(|v| !v.is_null())
            .map(|value| At {
                value,
                path: self.child(key),
            })
    }

    fn child(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    fn items(&self) -> Vec<At<'a>> {
        match self.value.as_array() {
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| At {
                    value,
                    path: format!("{}[{i}]", self.path),
                })
                .collect(),
            None => Vec::new(),
        }
    }

    fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }
}

struct Reader<'f> {
    file: &'f str,
    found: Found,
    /// Passes of each rung read, and where.
    passes: Vec<(u8, String)>,
    /// A `GetJob` response's `OutputGroupDetails`: what each output came out as, its size
    /// included where the settings follow the input's.
    details: Option<(Value, String)>,
}

pub(crate) fn import(file: &str, text: &str) -> Result<ImportedLadder, ImportError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let message = full
            .rfind(" at line ")
            .map_or(full.as_str(), |i| &full[..i])
            .to_string();
        ImportError::Json {
            file: file.into(),
            line: e.line(),
            column: e.column(),
            message,
        }
    })?;
    let root = At {
        value: &doc,
        path: "$".into(),
    };
    let mut reader = Reader {
        file,
        found: Found::default(),
        passes: Vec::new(),
        details: None,
    };
    let format = reader.read(&root)?;
    reader.settle_passes();
    ladder::finish(reader.found, format, file)
}

impl Reader<'_> {
    /// The ladder's passes: a scenario has one setting, so the most any rung uses.
    fn settle_passes(&mut self) {
        let Some(most) = self.passes.iter().map(|(p, _)| *p).max() else {
            return;
        };
        let fewer: Vec<&str> = self
            .passes
            .iter()
            .filter(|(p, _)| *p < most)
            .map(|(_, o)| o.as_str())
            .collect();
        if !fewer.is_empty() {
            self.found.warn(format!(
                "rungs differ in encoding passes (QualityTuningLevel); a scenario has one setting, so {most} is used for all, also for {}",
                fewer.join(", ")
            ));
        }
        // Written over the scenario's own setting, with `--into` too: said, as it moves the
        // price (two passes are MediaConvert's Professional tier for AVC).
        self.found.note(format!(
            "transcode.passes = {most}: the outputs' encoding passes (QualityTuningLevel; a single pass where it is not set)"
        ));
        self.found.passes = Some(most);
    }

    fn loc(&self, path: &str) -> String {
        format!("{} {path}", self.file)
    }

    /// Finds which document this is and reads it.
    fn read(&mut self, root: &At) -> Result<Format, ImportError> {
        if !root.value.is_object() {
            return Err(self.not_mediaconvert(root));
        }
        if let Some(groups) = root.key("OutputGroups") {
            if let Some(stray) = root.key("Settings") {
                self.found.note(format!(
                    "{}: ignored; the job settings are the top-level object, the one with OutputGroups",
                    self.loc(&stray.path)
                ));
            }
            self.job(&groups)?;
            return Ok(Format::MediaconvertJob);
        }
        let wrappers = [
            ("Settings", Format::MediaconvertJob),
            ("Job", Format::MediaconvertJob),
            ("JobTemplate", Format::MediaconvertJobTemplate),
        ];
        for (key, format) in wrappers {
            let Some(inner) = root.key(key).filter(|i| i.value.is_object()) else {
                continue;
            };
            // The object holding the settings; a job made from a template names it there
            // (`CreateJob`'s and `GetJob`'s `JobTemplate`), and its outputs are the template's.
            let (holder, settings) = if key == "Settings" {
                (root.clone(), Some(inner.clone()))
            } else {
                (inner.clone(), inner.key("Settings"))
            };
            if key == "Job" {
                self.details = inner
                    .key("OutputGroupDetails")
                    .map(|d| (d.value.clone(), d.path));
            }
            if let Some(groups) = settings.as_ref().and_then(|s| s.key("OutputGroups")) {
                self.job(&groups)?;
                return Ok(format);
            }
            let template = holder.str("JobTemplate");
            if key != "Settings" || template.is_some() {
                let where_ = settings
                    .as_ref()
                    .map_or_else(|| holder.child("Settings"), |s| s.path.clone());
                return Err(ImportError::NoRungs {
                    file: self.file.into(),
                    detail: match template {
                        Some(t) => format!(
                            "{where_} has no OutputGroups: the job takes its outputs from job template `{t}`"
                        ),
                        None => format!("{where_} has no OutputGroups"),
                    },
                    hint: match template {
                        Some(t) => format!(
                            "import the template: `aws mediaconvert get-job-template --name {t} > template.json`, then `ladderwise import template.json`"
                        ),
                        None => crate::error::NO_RUNGS_HINT.into(),
                    },
                });
            }
        }
        if let Some(preset) = root.key("Preset") {
            self.preset(&preset)?;
            return Ok(Format::MediaconvertPreset);
        }
        if let Some(list) = root.key("Presets").filter(|p| p.value.is_array()) {
            for preset in list.items() {
                self.preset(&preset)?;
            }
            return Ok(Format::MediaconvertPreset);
        }
        // A bare preset: `CreatePreset` settings, with or without the `Settings` wrapper.
        let bare = root
            .key("Settings")
            .filter(|s| s.key("VideoDescription").is_some() || s.key("AudioDescriptions").is_some())
            .or_else(|| {
                (root.key("VideoDescription").is_some() || root.key("AudioDescriptions").is_some())
                    .then(|| root.clone())
            });
        if let Some(settings) = bare {
            self.preset_settings(&settings, None)?;
            return Ok(Format::MediaconvertPreset);
        }
        Err(self.not_mediaconvert(root))
    }

    fn not_mediaconvert(&self, root: &At) -> ImportError {
        let keys = match root.value.as_object() {
            Some(map) if map.is_empty() => "none".to_string(),
            Some(map) => map
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            None => "none, it is not an object".to_string(),
        };
        ImportError::NotMediaConvert {
            file: self.file.into(),
            keys,
        }
    }

    /// The output groups of a job or job template.
    fn job(&mut self, groups: &At) -> Result<(), ImportError> {
        // (segment seconds, where it was read) of each group that gave rungs.
        let mut segments: Vec<(Decimal, String)> = Vec::new();
        for group in groups.items() {
            let settings = group.key("OutputGroupSettings");
            let stated = settings.as_ref().and_then(|s| s.str("Type"));
            let group_type = stated.map(str::to_string).or_else(|| {
                let s = settings.as_ref()?;
                RUNG_GROUPS
                    .iter()
                    .map(|(t, k, _)| (*t, *k))
                    .chain(OTHER_GROUPS)
                    .find(|(_, k)| s.key(k).is_some())
                    .map(|(t, _)| t.to_string())
            });
            if stated.is_none()
                && let Some(t) = &group_type
            {
                self.found.warn(format!(
                    "{}: missing; the group is taken to be {t} from its settings object",
                    self.loc(&format!("{}.OutputGroupSettings.Type", group.path))
                ));
            }
            let outputs = group.key("Outputs").map(|o| o.items()).unwrap_or_default();
            let rung_group = RUNG_GROUPS
                .iter()
                .find(|(t, _, _)| Some(*t) == group_type.as_deref());
            match (rung_group, group_type.as_deref()) {
                (Some((_, settings_key, default_segment)), _) => {
                    let before = self.found.drafts.len();
                    self.rung_group(&group, &outputs)?;
                    if self.found.drafts.len() > before {
                        // MediaConvert's HLS group writes MPEG-TS segments; fragmented MP4
                        // for HLS is its CMAF group, as DASH ISO's is.
                        let container = match group_type.as_deref() {
                            Some("HLS_GROUP_SETTINGS") => Container::Ts,
                            _ => Container::Fmp4,
                        };
                        let at = format!("{} {}", group.path, group_type.as_deref().unwrap_or(""));
                        self.found
                            .containers
                            .push((container, at.trim_end().to_string()));
                        let segment = self.segment_length(
                            &group,
                            settings.as_ref(),
                            settings_key,
                            *default_segment,
                        )?;
                        segments.push(segment);
                    }
                }
                (None, Some("FILE_GROUP_SETTINGS")) => {
                    for out in &outputs {
                        let what = self.describe_output(out);
                        let reason = if is_frame_capture(out) {
                            FRAME_CAPTURE
                        } else {
                            "download rendition: a file group output is one progressive file, not a rung"
                        };
                        self.found.skip(self.loc(&out.path), what, reason);
                    }
                }
                (None, other) => {
                    let reason = match other {
                        Some(t) => format!(
                            "{t} group: only HLS, DASH ISO and CMAF groups are read as ladders"
                        ),
                        None => "output group without OutputGroupSettings.Type".to_string(),
                    };
                    for out in &outputs {
                        let what = self.describe_output(out);
                        self.found.skip(self.loc(&out.path), what, &reason);
                    }
                }
            }
        }
        if let Some((first, origin)) = segments.first() {
            self.found.segment_seconds = Some(*first);
            // A length a scenario refuses is named at its JSON path.
            self.found.segment_origin = Some(origin.clone());
            let others: Vec<String> = segments
                .iter()
                .filter(|(s, _)| s != first)
                .map(|(s, o)| format!("{s} s at {o}"))
                .collect();
            if !others.is_empty() {
                self.found.warn(format!(
                    "output groups have different segment lengths; a scenario has one, so {first} s from {origin} is used (the others: {})",
                    others.join(", ")
                ));
            }
        }
        Ok(())
    }

    fn segment_length(
        &mut self,
        group: &At,
        settings: Option<&At>,
        settings_key: &str,
        default: u32,
    ) -> Result<(Decimal, String), ImportError> {
        let path = format!(
            "{}.OutputGroupSettings.{settings_key}.SegmentLength",
            group.path
        );
        let stated = settings
            .and_then(|s| s.key(settings_key))
            .and_then(|s| s.key("SegmentLength"));
        match stated {
            Some(at) => Ok((
                self.positive(&at, "SegmentLength", "in seconds")?,
                self.loc(&path),
            )),
            None => {
                self.found.warn(format!(
                    "{}: missing; MediaConvert's default for this group type, {default} s, is used",
                    self.loc(&path)
                ));
                Ok((Decimal::from(default), self.loc(&path)))
            }
        }
    }

    /// The outputs of an HLS, DASH ISO or CMAF group: video outputs are rungs, audio-only
    /// outputs the group's separate audio.
    fn rung_group(&mut self, group: &At, outputs: &[At]) -> Result<(), ImportError> {
        let audio_group = group.path.clone();
        let mut has_separate = false;
        for out in outputs {
            if out.key("VideoDescription").is_none()
                && let Some(descs) = out
                    .key("AudioDescriptions")
                    .filter(|d| !d.items().is_empty())
            {
                let kbps = self.audio_kbps(&descs)?;
                self.found.separate.push(SeparateAudio {
                    group: audio_group.clone(),
                    kbps,
                    origin: self.loc(&out.path),
                });
                has_separate = true;
            }
        }
        for out in outputs {
            match out.key("VideoDescription") {
                Some(video) => {
                    let separate = has_separate.then(|| audio_group.clone());
                    self.video_output(out, &video, separate)?;
                }
                None if out
                    .key("AudioDescriptions")
                    .is_some_and(|d| !d.items().is_empty()) => {}
                None => {
                    if let Some(preset) = out.str("Preset") {
                        return Err(ImportError::PresetReference {
                            location: self.loc(&out.path),
                            preset: preset.into(),
                        });
                    }
                    let reason = if out.key("CaptionDescriptions").is_some() {
                        "captions: not a rung"
                    } else {
                        "no VideoDescription or AudioDescriptions"
                    };
                    self.found
                        .skip(self.loc(&out.path), "output".into(), reason);
                }
            }
        }
        Ok(())
    }

    /// A short description of an output that is skipped.
    fn describe_output(&self, out: &At) -> String {
        let Some(video) = out.key("VideoDescription") else {
            return if out.key("AudioDescriptions").is_some() {
                "audio-only output".into()
            } else {
                "output".into()
            };
        };
        let dim = |k: &str| video.value.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
        let codec_settings = video.key("CodecSettings");
        let codec = codec_settings
            .as_ref()
            .and_then(|c| c.str("Codec"))
            .unwrap_or("unknown codec");
        let codec = VIDEO_CODECS
            .iter()
            .find(|(n, _)| *n == codec)
            .map_or(codec, |(_, c)| c.name());
        let bitrate = codec_settings.as_ref().and_then(|c| {
            c.value.as_object()?.values().find_map(|s| {
                let s = s.as_object()?;
                let b = s.get("Bitrate").or_else(|| s.get("MaxBitrate"))?;
                Decimal::from_str(&b.to_string()).ok()
            })
        });
        let mut text = describe(dim("Width"), dim("Height"), codec, bitrate.map(kbps_of_bps));
        if let Some(container) = out
            .key("ContainerSettings")
            .and_then(|c| c.str("Container").map(str::to_string))
        {
            text.push(' ');
            text.push_str(&container);
        }
        text
    }

    /// A video output of a rung group.
    fn video_output(
        &mut self,
        out: &At,
        video: &At,
        separate: Option<String>,
    ) -> Result<(), ImportError> {
        let name_modifier = out
            .str("NameModifier")
            .map(|n| n.trim_start_matches('_').to_string());
        let Some(mut draft) = self.video(video, name_modifier.as_deref(), &out.path)? else {
            return Ok(());
        };
        draft.name = name_modifier.filter(|n| !n.is_empty());
        draft.audio = match out
            .key("AudioDescriptions")
            .filter(|d| !d.items().is_empty())
        {
            Some(descs) => DraftAudio::Muxed(self.audio_kbps(&descs)?),
            None => match separate {
                Some(group) => DraftAudio::Separate(group),
                None => {
                    self.found.note(format!(
                        "{}: video only, with no audio in the output or its group",
                        self.loc(&out.path)
                    ));
                    DraftAudio::None
                }
            },
        };
        self.found.drafts.push(draft);
        Ok(())
    }

    /// One preset: its settings are one rendition.
    fn preset(&mut self, preset: &At) -> Result<(), ImportError> {
        let name = preset.str("Name").map(str::to_string);
        match preset.key("Settings") {
            Some(settings) => self.preset_settings(&settings, name),
            None => Err(ImportError::NoRungs {
                file: self.file.into(),
                detail: format!("{} has no Settings", preset.path),
                hint: crate::error::NO_RUNGS_HINT.into(),
            }),
        }
    }

    fn preset_settings(&mut self, settings: &At, name: Option<String>) -> Result<(), ImportError> {
        let origin = match &name {
            Some(n) => format!("{} (preset \"{n}\")", self.loc(&settings.path)),
            None => self.loc(&settings.path),
        };
        let audio = match settings
            .key("AudioDescriptions")
            .filter(|d| !d.items().is_empty())
        {
            Some(descs) => Some(self.audio_kbps(&descs)?),
            None => None,
        };
        let Some(video) = settings.key("VideoDescription") else {
            if let Some(kbps) = audio {
                self.found.separate.push(SeparateAudio {
                    group: settings.path.clone(),
                    kbps,
                    origin,
                });
            }
            return Ok(());
        };
        let Some(mut draft) = self.video(&video, None, &settings.path)? else {
            return Ok(());
        };
        draft.origin = origin;
        draft.audio = match audio {
            Some(kbps) => DraftAudio::Muxed(kbps),
            None => DraftAudio::None,
        };
        if let Some(container) = settings
            .key("ContainerSettings")
            .and_then(|c| c.str("Container").map(str::to_string))
        {
            self.found.note(format!(
                "{}: container {container}; a preset does not say which output group uses it, so it is read as one rung",
                self.loc(&settings.path)
            ));
        }
        self.found.drafts.push(draft);
        Ok(())
    }

    /// Size, codec, frame rate, bitrate and passes of a `VideoDescription`. `None` for a frame
    /// capture (still images), which is skipped.
    fn video(
        &mut self,
        video: &At,
        name_modifier: Option<&str>,
        origin_path: &str,
    ) -> Result<Option<Draft>, ImportError> {
        let codec_settings = video.key("CodecSettings");
        let codec_path = format!("{}.CodecSettings.Codec", video.path);
        let codec = match codec_settings.as_ref().and_then(|c| c.str("Codec")) {
            Some("FRAME_CAPTURE") => {
                self.found
                    .skip(self.loc(origin_path), "frame capture".into(), FRAME_CAPTURE);
                return Ok(None);
            }
            Some(name) => match VIDEO_CODECS.iter().find(|(n, _)| *n == name) {
                Some((_, c)) => *c,
                None => {
                    return Err(ImportError::UnknownCodec {
                        location: self.loc(&codec_path),
                        codec: name.into(),
                        hint: format!(
                            "a scenario prices the video codecs {}",
                            VIDEO_CODECS
                                .iter()
                                .map(|(n, c)| format!("{n} ({})", c.name()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                }
            },
            None => {
                self.found.warn(format!(
                    "{}: missing; H_264 (avc) is assumed",
                    self.loc(&codec_path)
                ));
                Codec::Avc
            }
        };
        let settings_key = match codec {
            Codec::Avc => "H264Settings",
            Codec::Hevc => "H265Settings",
            Codec::Av1 => "Av1Settings",
            Codec::Vp9 => "Vp9Settings",
        };
        let settings_path = format!("{}.CodecSettings.{settings_key}", video.path);
        let settings = codec_settings.as_ref().and_then(|c| c.key(settings_key));
        let field = |k: &str| settings.as_ref().and_then(|s| s.key(k));
        let text = |k: &str| settings.as_ref().and_then(|s| s.str(k));

        let (width, height) = self.size(video, name_modifier, origin_path)?;

        // Frame rate: stated, or following the source.
        let control = text("FramerateControl");
        let stated = match (field("FramerateNumerator"), field("FramerateDenominator")) {
            (Some(n), Some(d)) if control != Some("INITIALIZE_FROM_SOURCE") => {
                let num =
                    self.positive(&n, "FramerateNumerator", "as the frame rate's numerator")?;
                let den = self.positive(
                    &d,
                    "FramerateDenominator",
                    "as the frame rate's denominator",
                )?;
                fps_of(num, den)
            }
            _ => None,
        };
        let fps = match stated {
            Some(fps) => fps,
            None => {
                // Name what is missing: a numerator without its denominator is not "both".
                let missing = match (
                    field("FramerateNumerator").is_some(),
                    field("FramerateDenominator").is_some(),
                ) {
                    (true, false) => "FramerateDenominator is missing",
                    (false, true) => "FramerateNumerator is missing",
                    _ => "FramerateNumerator/FramerateDenominator are missing",
                };
                let why = if control == Some("SPECIFIED") {
                    format!("is SPECIFIED but {missing}")
                } else if control != Some("INITIALIZE_FROM_SOURCE")
                    && missing != "FramerateNumerator/FramerateDenominator are missing"
                {
                    format!("has half a fraction ({missing})")
                } else {
                    "follows the source".to_string()
                };
                self.found.warn(format!(
                    "{}: the frame rate {why}; {DEFAULT_FPS} fps is assumed",
                    self.loc(&format!("{settings_path}.FramerateControl"))
                ));
                Decimal::from(DEFAULT_FPS)
            }
        };

        // Bitrate: the target, or for QVBR the ceiling.
        let mode = text("RateControlMode");
        let qvbr = mode == Some("QVBR") || (mode.is_none() && codec == Codec::Av1);
        let (first, second) = if qvbr {
            ("MaxBitrate", "Bitrate")
        } else {
            ("Bitrate", "MaxBitrate")
        };
        let video_kbps = match (field(first), field(second)) {
            (Some(at), _) => {
                let kbps = kbps_of_bps(self.positive(&at, first, "in bits per second")?);
                if qvbr {
                    self.found.warn(format!(
                        "{}: QVBR's MaxBitrate is a ceiling, the average bitrate is lower (it depends on the content and the QVBR quality level); video_kbps = {kbps} overstates it",
                        self.loc(&at.path)
                    ));
                }
                kbps
            }
            (None, Some(at)) => {
                let kbps = kbps_of_bps(self.positive(&at, second, "in bits per second")?);
                self.found.warn(format!(
                    "{}: {first} is missing; {second} ({kbps} kbps) is used as the video bitrate",
                    self.loc(&format!("{settings_path}.{first}")),
                ));
                kbps
            }
            (None, None) => {
                let bpp = Decimal::from_str(DEFAULT_BITS_PER_PIXEL).unwrap_or_default();
                let kbps = (Decimal::from(width) * Decimal::from(height) * fps * bpp
                    / Decimal::ONE_THOUSAND)
                    .round()
                    .max(Decimal::ONE);
                self.found.warn(format!(
                    "{}: missing; {kbps} kbps is assumed ({DEFAULT_BITS_PER_PIXEL} bit per pixel per frame at {width}x{height}, {fps} fps)",
                    self.loc(&format!("{settings_path}.{first}")),
                ));
                kbps
            }
        };

        // Passes: the scenario's `passes = 2` is multi-pass HQ, the Professional feature
        // priced by its own factor. VP8/VP9's `MULTI_PASS` (their default) is the
        // speed-optimized multi-pass of the Basic tier (MediaConvert pricing, "Basic tier"),
        // which the VP9 codec factor prices: it is one pass here, and does not make the
        // ladder's other rungs two-pass.
        let passes = match text("QualityTuningLevel") {
            Some("MULTI_PASS_HQ") => 2,
            _ => 1,
        };
        self.passes.push((passes, self.loc(origin_path)));

        Ok(Some(Draft {
            name: None,
            width,
            height,
            fps,
            codec,
            range: output_range(video),
            video_kbps,
            audio: DraftAudio::None,
            origin: self.loc(origin_path),
        }))
    }

    /// Width and height; one of them alone gives the other at 16:9, and a NameModifier such
    /// as `_720p` gives both. Without any, MediaConvert keeps the input's size, which the
    /// file does not state.
    fn size(
        &mut self,
        video: &At,
        name_modifier: Option<&str>,
        origin_path: &str,
    ) -> Result<(u32, u32), ImportError> {
        let width = match video.key("Width") {
            Some(at) => Some(self.pixels(&at, "Width")?),
            None => None,
        };
        let height = match video.key("Height") {
            Some(at) => Some(self.pixels(&at, "Height")?),
            None => None,
        };
        let width_path = self.loc(&video.child("Width"));
        let height_path = self.loc(&video.child("Height"));
        match (width, height) {
            (Some(w), Some(h)) => Ok((w, h)),
            (None, Some(h)) => {
                let w = even(u64::from(h) * 16, 9);
                self.found.warn(format!(
                    "{width_path}: missing; {w} is assumed from the height at 16:9"
                ));
                Ok((w, h))
            }
            (Some(w), None) => {
                let h = even(u64::from(w) * 9, 16);
                self.found.warn(format!(
                    "{height_path}: missing; {h} is assumed from the width at 16:9"
                ));
                Ok((w, h))
            }
            (None, None) if let Some((w, h, from)) = self.reported_size(origin_path) => {
                self.found.note(format!(
                    "{width_path} and Height: not set, so the output keeps the input's size; {w}x{h} is the size MediaConvert reported, at {from}"
                ));
                Ok((w, h))
            }
            (None, None) => match name_modifier.and_then(height_in_name) {
                Some(h) => {
                    let w = even(u64::from(h) * 16, 9);
                    self.found.warn(format!(
                        "{width_path} and Height: missing; {w}x{h} is assumed from the NameModifier at 16:9"
                    ));
                    Ok((w, h))
                }
                None => Err(ImportError::NoSize {
                    location: self.loc(origin_path),
                    hint: format!(
                        "write Width and Height in {}; without them MediaConvert keeps the input's size, which this file does not state",
                        video.path
                    ),
                }),
            },
        }
    }

    /// The size a `GetJob` response reports for the output at `origin_path`
    /// (`…OutputGroups[g].Outputs[o]`): `OutputGroupDetails[g].OutputDetails[o].VideoDetails`,
    /// and where it was read.
    fn reported_size(&self, origin_path: &str) -> Option<(u32, u32, String)> {
        let (details, path) = self.details.as_ref()?;
        let index = |key: &str| -> Option<usize> {
            let at = origin_path.rfind(key)? + key.len();
            origin_path[at..].split(']').next()?.parse().ok()
        };
        let (g, o) = (index("OutputGroups[")?, index(".Outputs[")?);
        let video = details
            .get(g)?
            .get("OutputDetails")?
            .get(o)?
            .get("VideoDetails")?;
        let px = |k: &str| {
            video
                .get(k)
                .and_then(Value::as_u64)
                .and_then(|v| u32::try_from(v).ok())
                .filter(|v| *v > 0)
        };
        Some((
            px("WidthInPx")?,
            px("HeightInPx")?,
            format!("{path}[{g}].OutputDetails[{o}].VideoDetails"),
        ))
    }

    /// The audio bitrate of an output: the sum of its audio descriptions (several tracks in
    /// one rendition are all fetched).
    fn audio_kbps(&mut self, descs: &At) -> Result<Decimal, ImportError> {
        let mut total = Decimal::ZERO;
        let items = descs.items();
        for desc in &items {
            let codec_settings = desc.key("CodecSettings");
            let codec_path = format!("{}.CodecSettings.Codec", desc.path);
            let codec = codec_settings.as_ref().and_then(|c| c.str("Codec"));
            let settings_key = codec.and_then(|c| {
                AUDIO_SETTINGS
                    .iter()
                    .find(|(n, _)| *n == c)
                    .map(|(_, k)| *k)
            });
            let settings = settings_key.and_then(|k| codec_settings.as_ref()?.key(k));
            let bitrate = settings.as_ref().and_then(|s| s.key("Bitrate"));
            let kbps = match (bitrate, codec) {
                (Some(at), _) => {
                    kbps_of_bps(self.positive(&at, "Bitrate", "in bits per second")?)
                }
                (None, Some("WAV" | "AIFF")) => {
                    // Uncompressed PCM: sample rate x bit depth x channels.
                    let get = |k: &str, d: u32| {
                        settings
                            .as_ref()
                            .and_then(|s| s.value.get(k))
                            .and_then(Value::as_u64)
                            .map_or(Decimal::from(d), Decimal::from)
                    };
                    let kbps = kbps_of_bps(
                        get("SampleRate", 48000) * get("BitDepth", 16) * get("Channels", 2),
                    );
                    self.found.note(format!(
                        "{}: uncompressed audio, {kbps} kbps from sample rate, bit depth and channels",
                        self.loc(&desc.path)
                    ));
                    kbps
                }
                (None, _) => {
                    let what = match (codec, settings_key) {
                        (None, _) => format!("{}: missing", self.loc(&codec_path)),
                        (Some(c), Some(k)) => format!(
                            "{}: no Bitrate for {c}",
                            self.loc(&format!("{}.CodecSettings.{k}.Bitrate", desc.path))
                        ),
                        (Some(c), None) => {
                            format!("{}: {c} states no bitrate", self.loc(&codec_path))
                        }
                    };
                    self.found
                        .warn(format!("{what}; {DEFAULT_AUDIO_KBPS} kbps is assumed"));
                    Decimal::from(DEFAULT_AUDIO_KBPS)
                }
            };
            total += kbps;
        }
        if items.len() > 1 {
            self.found.note(format!(
                "{}: {} audio tracks in one output, counted together ({total} kbps)",
                self.loc(&descs.path),
                items.len()
            ));
        }
        Ok(total.normalize())
    }

    /// A number greater than zero.
    /// `unit` is read after the number, with its preposition: "in pixels".
    fn positive(&self, at: &At, what: &str, unit: &str) -> Result<Decimal, ImportError> {
        let number = at.value.as_number().and_then(|n| {
            let text = n.to_string();
            Decimal::from_str(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .ok()
        });
        match number {
            Some(n) if n > Decimal::ZERO && n <= Decimal::from(MAX_NUMBER) => Ok(n.normalize()),
            _ => Err(ImportError::InvalidValue {
                location: self.loc(&at.path),
                what: format!("`{what}`"),
                expected: format!("a number greater than 0 and at most 10^12, {unit}"),
                found: at.value.to_string(),
                hint: format!(
                    "write the number alone, {unit}: `\"{what}\": {}`",
                    example(what)
                ),
            }),
        }
    }

    /// A whole number of pixels greater than zero.
    fn pixels(&self, at: &At, what: &str) -> Result<u32, ImportError> {
        let n = self.positive(at, what, "in pixels")?;
        if n.fract().is_zero()
            && let Ok(v) = u32::try_from(n.mantissa() / 10i128.pow(n.scale()))
            && v <= MAX_PIXELS
        {
            return Ok(v);
        }
        Err(ImportError::InvalidValue {
            location: self.loc(&at.path),
            what: format!("`{what}`"),
            expected: format!("a whole number of pixels from 1 to {MAX_PIXELS}"),
            found: at.value.to_string(),
            hint: format!("write e.g. `\"{what}\": {}`", example(what)),
        })
    }
}

/// A value to show in a hint for a MediaConvert field.
fn example(field: &str) -> &'static str {
    match field {
        "Bitrate" | "MaxBitrate" => "2500000",
        "SegmentLength" => "6",
        "FramerateNumerator" => "30000",
        "FramerateDenominator" => "1001",
        "Width" => "1280",
        "Height" => "720",
        _ => "1",
    }
}

/// Why a frame capture output is not a rung.
const FRAME_CAPTURE: &str = "still images (thumbnails), not a rung";

fn is_frame_capture(out: &At) -> bool {
    out.key("VideoDescription")
        .and_then(|v| v.key("CodecSettings"))
        .is_some_and(|c| c.str("Codec") == Some("FRAME_CAPTURE"))
}

/// `numerator / denominator` rounded to the nearest even number (video sizes are even).
fn even(numerator: u64, denominator: u64) -> u32 {
    let half = (numerator + denominator) / (2 * denominator);
    u32::try_from(half * 2).unwrap_or(u32::MAX)
}

/// The height in a name such as `720p` or `hls_1080p30`.
fn height_in_name(name: &str) -> Option<u32> {
    let bytes = name.as_bytes();
    (0..bytes.len()).find_map(|i| {
        if bytes[i] != b'p' && bytes[i] != b'P' {
            return None;
        }
        let digits = name[..i]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
        if !(3..=4).contains(&digits) {
            return None;
        }
        name[i - digits..i].parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_heights_from_names() {
        assert_eq!(even(720 * 16, 9), 1280);
        assert_eq!(even(480 * 16, 9), 854);
        assert_eq!(even(1280 * 9, 16), 720);
        assert_eq!(height_in_name("720p"), Some(720));
        assert_eq!(height_in_name("hls_1080p30"), Some(1080));
        assert_eq!(height_in_name("high"), None);
        assert_eq!(height_in_name("p"), None);
    }
}
