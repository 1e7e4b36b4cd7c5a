//! Elastic Transcoder system presets, by ID. The table (`data/ets/system_presets.csv`,
//! sources in the README beside it) is compiled in.

use std::str::FromStr;

use ladderwise_model::scenario::Codec;
use rust_decimal::Decimal;

use crate::ladder::{self, DEFAULT_FPS, Draft, DraftAudio, Found, Range, SeparateAudio};
use crate::{Format, ImportError, ImportedLadder};

const TABLE: &str = include_str!("../../../data/ets/system_presets.csv");

/// The one audio group of a list of presets.
const AUDIO_GROUP: &str = "ets";

/// Audio bitrate taken when the table does not state a preset's.
const DEFAULT_AUDIO_KBPS: u32 = 128;

/// How many close IDs an unknown one is answered with.
const CLOSE_IDS: usize = 5;

#[derive(Clone, Debug, PartialEq)]
enum Fps {
    Stated(Decimal),
    /// "Same as source" in the preset.
    Source,
    /// The table does not state one (audio-only presets).
    Unstated,
}

#[derive(Clone, Debug, PartialEq)]
struct Preset {
    id: String,
    name: String,
    width: u32,
    height: u32,
    fps: Fps,
    codec: String,
    video_kbps: Decimal,
    /// `None`: the source does not state it; 0: no audio in this output.
    audio_kbps: Option<Decimal>,
}

/// The compiled-in table. Columns: `name,width,height,fps,codec,video_kbps,audio_kbps`, the
/// name being the preset ID, a space, and the preset's name. A test reads every row.
fn presets() -> Vec<Preset> {
    let mut reader = csv::Reader::from_reader(TABLE.as_bytes());
    reader
        .records()
        .filter_map(|row| {
            let row = row.ok()?;
            let (id, name) = row.get(0)?.split_once(' ')?;
            let number = |i: usize| Decimal::from_str(row.get(i)?.trim()).ok();
            let fps = match row.get(3)?.trim() {
                "" => Fps::Unstated,
                "source" => Fps::Source,
                text => Fps::Stated(Decimal::from_str(text).ok()?),
            };
            Some(Preset {
                id: id.to_string(),
                name: name.to_string(),
                width: row.get(1)?.trim().parse().ok()?,
                height: row.get(2)?.trim().parse().ok()?,
                fps,
                codec: row.get(4)?.trim().to_string(),
                video_kbps: number(5)?,
                audio_kbps: match row.get(6)?.trim() {
                    "" => None,
                    _ => Some(number(6)?),
                },
            })
        })
        .collect()
}

/// The IDs in a text of preset IDs, one a line (blank lines and `#` comments allowed);
/// `None` when the text is anything else.
pub(crate) fn id_list(text: &str) -> Option<impl Iterator<Item = &str>> {
    let looks_like_id = |l: &str| {
        l.split_once('-').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        })
    };
    // A `#` starts a comment, on a line of its own or after an ID.
    let lines = || {
        text.lines()
            .map(|l| l.split_once('#').map_or(l, |(id, _)| id).trim())
            .filter(|l| !l.is_empty())
    };
    (lines().next().is_some() && lines().all(looks_like_id)).then(lines)
}

/// How a list of IDs is named in messages and in the written scenario.
pub(crate) fn source_name(ids: &[&str]) -> String {
    if ids.is_empty() {
        "Elastic Transcoder system presets".into()
    } else {
        format!("Elastic Transcoder system presets {}", ids.join(", "))
    }
}

pub(crate) fn import(ids: &[&str], source: &str) -> Result<ImportedLadder, ImportError> {
    if ids.is_empty() {
        return Err(ImportError::NoRungs {
            file: source.into(),
            detail: "no preset IDs were given".into(),
            hint: "name one or more system preset IDs, e.g. 1351620000001-000010".into(),
        });
    }
    let table = presets();
    let mut chosen: Vec<&Preset> = Vec::with_capacity(ids.len());
    for id in ids {
        let id = id.trim();
        match table.iter().find(|p| p.id == id) {
            Some(p) => chosen.push(p),
            None => {
                return Err(ImportError::UnknownEtsPreset {
                    id: id.into(),
                    close: close_ids(id, &table),
                });
            }
        }
    }
    let mut found = Found::default();
    let has_separate = chosen.iter().any(|p| p.width == 0);
    for (i, p) in chosen.iter().enumerate() {
        if chosen[..i].iter().any(|q| q.id == p.id) {
            found.note(format!("{} is listed more than once; each is a rung", p.id));
        }
        let origin = format!("Elastic Transcoder system preset {} ({})", p.id, p.name);
        let audio = match p.audio_kbps {
            Some(kbps) => kbps,
            None => {
                found.warn(format!(
                    "{origin}: its audio bitrate is not stated in the table; {DEFAULT_AUDIO_KBPS} kbps is assumed"
                ));
                Decimal::from(DEFAULT_AUDIO_KBPS)
            }
        };
        if p.width == 0 {
            found.separate.push(SeparateAudio {
                group: AUDIO_GROUP.into(),
                kbps: audio,
                origin,
            });
            continue;
        }
        let codec = Codec::from_alias(&p.codec).ok_or_else(|| ImportError::UnknownCodec {
            location: origin.clone(),
            codec: p.codec.clone(),
            hint: "the compiled-in table has only H.264 presets; this row needs fixing".into(),
        })?;
        let fps = match &p.fps {
            Fps::Stated(f) => *f,
            Fps::Source | Fps::Unstated => {
                found.warn(format!(
                    "{origin}: the frame rate follows the source; {DEFAULT_FPS} fps is assumed"
                ));
                Decimal::from(DEFAULT_FPS)
            }
        };
        let audio = if audio.is_zero() {
            if has_separate {
                DraftAudio::Separate(AUDIO_GROUP.into())
            } else {
                found.note(format!(
                    "{origin}: video only, and no audio-only preset is listed"
                ));
                DraftAudio::None
            }
        } else {
            DraftAudio::Muxed(audio)
        };
        found.drafts.push(Draft {
            name: Some(slug(&p.name)),
            width: p.width,
            height: p.height,
            fps,
            codec,
            range: Range::Sdr,
            video_kbps: p.video_kbps,
            audio,
            origin,
        });
    }
    found.note(
        "Elastic Transcoder preset sizes are maxima (MaxWidth, MaxHeight): outputs keep the source's aspect ratio within them",
    );
    found.note(
        "the segment length is set in each job (SegmentDuration), not in a preset; the scenario's segment_seconds is kept",
    );
    ladder::finish(found, Format::EtsPresets, source)
}

/// Known IDs near an unknown one: a few edits away, or ending the same way.
fn close_ids(id: &str, table: &[Preset]) -> Vec<String> {
    let mut scored: Vec<(usize, &str)> = table
        .iter()
        .filter_map(|p| {
            let distance = strsim::levenshtein(id, &p.id);
            let suffix = id.len() >= 4 && p.id.ends_with(id);
            (distance <= 3 || suffix).then_some((if suffix { 0 } else { distance }, p.id.as_str()))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(CLOSE_IDS)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// A rung name from a preset name: `Generic 720p` → `generic_720p`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_of_the_table_is_read() {
        let rows = TABLE
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        let presets = presets();
        assert_eq!(presets.len(), rows);
        let p = presets
            .iter()
            .find(|p| p.id == "1351620000001-000010")
            .unwrap();
        assert_eq!(
            (p.width, p.height, p.name.as_str()),
            (1280, 720, "Generic 720p")
        );
        assert_eq!(p.fps, Fps::Stated("29.97".parse().unwrap()));
        assert!(
            presets
                .iter()
                .all(|p| Codec::from_alias(&p.codec).is_some() || p.width == 0)
        );
    }

    #[test]
    fn names_ids_and_lists() {
        assert_eq!(
            slug("Web (Facebook/SmugMug/Vimeo/YouTube)"),
            "web_facebook_smugmug_vimeo_youtube"
        );
        assert_eq!(slug("HLS Video 2M"), "hls_video_2m");
        let ids: Vec<&str> = id_list("# mine\n1351620000001-000010\n\n1351620000001-000020\n")
            .unwrap()
            .collect();
        assert_eq!(ids, ["1351620000001-000010", "1351620000001-000020"]);
        assert!(id_list("hello\n1351620000001-000010").is_none());
        assert!(id_list("\n# only a comment\n").is_none());
        let close = close_ids("1351620000001-000011", &presets());
        assert_eq!(close[0], "1351620000001-000001");
        assert!(close.contains(&"1351620000001-000010".to_string()));
    }
}
