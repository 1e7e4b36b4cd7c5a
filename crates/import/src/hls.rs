//! HLS multivariant playlists (RFC 8216, HTTP Live Streaming): each `#EXT-X-STREAM-INF`
//! (§4.3.4.2) is a variant stream; `#EXT-X-MEDIA:TYPE=AUDIO` (§4.3.4.1) lists the audio
//! renditions of a group; `#EXT-X-I-FRAME-STREAM-INF` (§4.3.4.3) trick-play playlists are
//! not rungs.

use std::collections::BTreeMap;

use ladderwise_model::scenario::Codec;
use rust_decimal::Decimal;

use crate::codecs::{CodecKind, DEFAULT_AUDIO, SUPPORTED, classify};
use crate::ladder::{
    self, DEFAULT_FPS, Draft, DraftAudio, Found, MAX_PIXELS, Range, SeparateAudio, VideoKey,
    kbps_of_bps, round_fps,
};
use crate::{Format, ImportError, ImportedLadder};

/// Why an attribute list cannot be read.
#[derive(Debug, PartialEq)]
enum BadList {
    /// The quoted value of this attribute has no closing quote: what follows would be read
    /// as its value (`CODECS="avc1…,RESOLUTION=1280x720` as a codec).
    Unclosed(String),
    /// A name that is not one, after the attribute before it (empty for the first): that
    /// attribute's unquoted value had a comma (`BANDWIDTH=2,000,000`). §4.2 names are `A`–`Z`,
    /// `0`–`9` and `-`; lower case and `_`, which some packagers write in names of their own,
    /// are read too, and a name the importer does not know is ignored, as §4.2 tells clients.
    Name { name: String, after: String },
}

/// An attribute list (RFC 8216 §4.2): `NAME=value` pairs, values quoted or not.
fn attributes(text: &str) -> Result<BTreeMap<String, String>, BadList> {
    let mut out = BTreeMap::new();
    let mut rest = text.trim();
    let mut previous = String::new();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim().to_string();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(BadList::Name {
                name,
                after: previous,
            });
        }
        previous.clone_from(&name);
        rest = &rest[eq + 1..];
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let Some(end) = quoted.find('"') else {
                return Err(BadList::Unclosed(name));
            };
            value = quoted[..end].to_string();
            rest = quoted.get(end + 1..).unwrap_or("");
            rest = rest.trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest);
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            value = rest[..end].trim().to_string();
            rest = rest.get(end + 1..).unwrap_or("");
        }
        out.insert(name, value);
        rest = rest.trim_start();
    }
    Ok(out)
}

/// Where a line of the playlist is: `file:line`.
fn at(file: &str, line: usize) -> String {
    format!("{file}:{line}")
}

fn bad_list(file: &str, line: usize, bad: BadList) -> ImportError {
    match bad {
        BadList::Unclosed(name) => ImportError::InvalidValue {
            location: at(file, line),
            what: name.clone(),
            expected: "a quoted string closed by `\"`".into(),
            found: "a value whose quote is never closed".into(),
            hint: format!("close the quote: {name}=\"…\", then the next attribute after a comma"),
        },
        BadList::Name { name, after } if after.is_empty() => ImportError::InvalidValue {
            location: at(file, line),
            what: "the first attribute's name".into(),
            expected: "a name of letters, digits and `-`".into(),
            found: format!("`{name}`"),
            hint: "write the attributes as NAME=value pairs separated by commas (RFC 8216 §4.2)"
                .into(),
        },
        BadList::Name { name, after } => ImportError::InvalidValue {
            location: at(file, line),
            what: after.clone(),
            expected: "a value without commas (or quoted)".into(),
            found: format!("one with a comma, which leaves `{name}` read as an attribute name"),
            hint: format!(
                "write {after} without separators (BANDWIDTH=2000000), or quote a value that has commas"
            ),
        },
    }
}

/// Why a variant that repeats an earlier one's video is listed again: for another audio
/// group, as a redundant stream at another URI (RFC 8216bis §6.2.3, failover), or on another
/// content-steering pathway (§7.2).
fn repeat_reason(first: &Variant, again: &Variant, same_uri: bool) -> String {
    let attr = |v: &Variant, name: &str| v.attrs.get(name).cloned();
    // A variant without PATHWAY-ID is on the pathway "." (RFC 8216bis §4.4.6.2). A pathway
    // often has audio groups of its own, so the pathway is the reason before the group.
    let pathway = |v: &Variant| attr(v, "PATHWAY-ID").unwrap_or_else(|| ".".into());
    if pathway(again) != pathway(first) {
        return format!(" on content-steering pathway \"{}\"", pathway(again));
    }
    let group = attr(again, "AUDIO");
    if group.is_some() && group != attr(first, "AUDIO") {
        let g = group.unwrap_or_default();
        return format!(", listed again with audio group \"{g}\"");
    }
    if same_uri {
        return ", at the same URI".into();
    }
    " at another URI (a redundant stream, for failover)".into()
}

/// A URI without its query and fragment: the media playlist it names.
fn uri_path(uri: &str) -> &str {
    uri.split(['?', '#']).next().unwrap_or(uri)
}

/// A video without its bitrate: size, frame rate, codec, range.
type NearKey = (u32, u32, Decimal, Codec, Range);

fn near_key(d: &Draft) -> NearKey {
    (d.width, d.height, d.fps, d.codec, d.range)
}

struct Variant {
    line: usize,
    attrs: BTreeMap<String, String>,
    uri: Option<String>,
}

struct Media {
    line: usize,
    attrs: BTreeMap<String, String>,
}

/// A variant with an audio codec and no video: its bitrate measures an audio rendition.
struct AudioOnly {
    uri: Option<String>,
    group: Option<String>,
    kbps: Decimal,
}

pub(crate) fn import(file: &str, text: &str) -> Result<ImportedLadder, ImportError> {
    let mut variants: Vec<Variant> = Vec::new();
    let mut media: Vec<Media> = Vec::new();
    let mut iframes: Vec<usize> = Vec::new();
    let mut media_tag: Option<(usize, String)> = None;
    let mut awaiting_uri: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(rest) = l.strip_prefix("#EXT-X-STREAM-INF:") {
            variants.push(Variant {
                line,
                attrs: attributes(rest).map_err(|bad| bad_list(file, line, bad))?,
                uri: None,
            });
            awaiting_uri = Some(variants.len() - 1);
        } else if let Some(rest) = l.strip_prefix("#EXT-X-MEDIA:") {
            media.push(Media {
                line,
                attrs: attributes(rest).map_err(|bad| bad_list(file, line, bad))?,
            });
        } else if l.starts_with("#EXT-X-I-FRAME-STREAM-INF") {
            iframes.push(line);
        } else if l.starts_with("#EXTINF") || l.starts_with("#EXT-X-TARGETDURATION") {
            if media_tag.is_none() {
                let tag = l.split(':').next().unwrap_or(l).to_string();
                media_tag = Some((line, tag));
            }
        } else if !l.starts_with('#')
            && let Some(v) = awaiting_uri.take()
        {
            variants[v].uri = Some(l.to_string());
        }
    }
    if variants.is_empty()
        && let Some((line, tag)) = media_tag
    {
        return Err(ImportError::MediaPlaylist {
            file: file.into(),
            line,
            tag,
        });
    }
    let mut reader = Reader {
        file,
        found: Found::default(),
        media,
        audio_only: Vec::new(),
        group_audio: BTreeMap::new(),
        alternate_groups: std::collections::BTreeSet::new(),
        assumed: BTreeMap::new(),
        peak_lines: Vec::new(),
        fps_lines: Vec::new(),
    };
    reader.read(&variants)?;
    if !iframes.is_empty() {
        reader.found.note(format!(
            "{}: {} #EXT-X-I-FRAME-STREAM-INF line(s) ignored: I-frame (trick-play) playlists are not rungs",
            reader.lines(&iframes),
            iframes.len()
        ));
    }
    reader.found.note(
        "the segment length is not in a multivariant playlist (it is in each media playlist's #EXT-X-TARGETDURATION); the scenario's segment_seconds is kept",
    );
    reader.finish_warnings();
    ladder::finish(reader.found, Format::HlsMultivariant, file)
}

struct Reader<'f> {
    file: &'f str,
    found: Found,
    media: Vec<Media>,
    audio_only: Vec<AudioOnly>,
    /// The audio bitrate settled for each audio group, and the assumption it rests on when
    /// it was assumed (a key of `assumed`).
    group_audio: BTreeMap<String, (Decimal, Option<String>)>,
    /// Audio groups of muxed variants with renditions of their own URI beside the muxed one
    /// (another language, say): alternate audio the scenario does not count.
    alternate_groups: std::collections::BTreeSet<String>,
    /// Assumed audio bitrates: what was assumed → the lines it applies to.
    assumed: BTreeMap<String, Vec<usize>>,
    /// Variants whose bitrate is BANDWIDTH (the peak), for lack of AVERAGE-BANDWIDTH.
    peak_lines: Vec<usize>,
    /// Variants with no FRAME-RATE.
    fps_lines: Vec<usize>,
}

impl Reader<'_> {
    fn at(&self, line: usize) -> String {
        at(self.file, line)
    }

    /// `file:3, 8, 12`: the lines in the file's order, each once, whatever order they were
    /// met in (audio-only variants are read before the others).
    fn lines(&self, lines: &[usize]) -> String {
        let mut lines = lines.to_vec();
        lines.sort_unstable();
        lines.dedup();
        let list: Vec<String> = lines.iter().map(usize::to_string).collect();
        format!("{}:{}", self.file, list.join(", "))
    }

    /// A bitrate attribute in bits per second.
    fn bitrate(&self, v: &Variant, name: &str) -> Result<Option<Decimal>, ImportError> {
        let Some(text) = v.attrs.get(name) else {
            return Ok(None);
        };
        match text.parse::<u64>() {
            Ok(bps) if bps > 0 => Ok(Some(kbps_of_bps(Decimal::from(bps)))),
            _ => Err(ImportError::InvalidValue {
                location: self.at(v.line),
                what: name.into(),
                expected: "a whole number of bits per second greater than 0".into(),
                found: format!("`{text}`"),
                hint: format!("write e.g. {name}=2500000"),
            }),
        }
    }

    /// AVERAGE-BANDWIDTH when stated, else BANDWIDTH (the peak).
    fn total_kbps(&mut self, v: &Variant) -> Result<Decimal, ImportError> {
        let peak = self.bitrate(v, "BANDWIDTH")?;
        if let Some(avg) = self.bitrate(v, "AVERAGE-BANDWIDTH")? {
            if let Some(peak) = peak.filter(|p| avg > *p) {
                self.found.warn(format!(
                    "{}: AVERAGE-BANDWIDTH ({avg} kbps) is above BANDWIDTH ({peak} kbps), which RFC 8216 §4.3.4.2 makes the peak; the average is used, but one of them is wrong",
                    self.at(v.line)
                ));
            }
            return Ok(avg);
        }
        match peak {
            Some(peak) => {
                self.peak_lines.push(v.line);
                Ok(peak)
            }
            None => Err(ImportError::Missing {
                location: self.at(v.line),
                what: "BANDWIDTH attribute".into(),
                why: "RFC 8216 §4.3.4.2 requires one on every #EXT-X-STREAM-INF".into(),
                hint: "write BANDWIDTH=<peak bits per second>, and AVERAGE-BANDWIDTH if you know the average".into(),
            }),
        }
    }

    fn codecs(&self, v: &Variant) -> Result<Option<Vec<CodecKind>>, ImportError> {
        let Some(list) = v.attrs.get("CODECS") else {
            return Ok(None);
        };
        list.split(',')
            .filter(|c| !c.trim().is_empty())
            .map(|c| {
                classify(c).ok_or_else(|| ImportError::UnknownCodec {
                    location: self.at(v.line),
                    codec: c.trim().into(),
                    hint: SUPPORTED.into(),
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn read(&mut self, variants: &[Variant]) -> Result<(), ImportError> {
        // Audio-only variants first: their bitrate is the best measure of an audio rendition.
        let mut video = Vec::new();
        // RESOLUTION is recommended on every variant with video (RFC 8216 §4.3.4.2): a variant
        // with neither CODECS nor RESOLUTION beside variants with one is the audio-only stream
        // older playlists carry for slow networks, not a video of unknown size.
        let sized = variants.iter().any(|v| v.attrs.contains_key("RESOLUTION"));
        for v in variants {
            let codecs = self.codecs(v)?;
            let bare = codecs.is_none() && sized;
            let has_video = !bare
                && codecs
                    .as_ref()
                    .is_none_or(|c| c.iter().any(|k| matches!(k, CodecKind::Video(..))));
            let has_audio = bare
                || codecs
                    .as_ref()
                    .is_some_and(|c| c.iter().any(|k| matches!(k, CodecKind::Audio(..))));
            if !has_video && has_audio && !v.attrs.contains_key("RESOLUTION") {
                let kbps = self.total_kbps(v)?;
                let group = v.attrs.get("AUDIO").cloned();
                // Only an audio rendition of a group is measured by it: beside variants with
                // their audio muxed in, an audio-only stream (a fallback for slow networks)
                // need not be the audio they carry, and the playlist does not say it is.
                let renders_a_group = group.is_some()
                    || v.uri.as_deref().is_some_and(|u| {
                        self.media.iter().any(|m| {
                            m.attrs.get("TYPE").map(String::as_str) == Some("AUDIO")
                                && m.attrs.get("URI").map(String::as_str) == Some(u)
                        })
                    });
                self.audio_only.push(AudioOnly {
                    uri: v.uri.clone(),
                    group,
                    kbps,
                });
                self.found.skip(
                    self.at(v.line),
                    format!("audio-only variant, {kbps} kbps"),
                    if bare {
                        "a variant with neither CODECS nor RESOLUTION, beside variants with a RESOLUTION, is taken for an audio-only stream, which is not a rung"
                    } else if renders_a_group {
                        "an audio-only variant stream is not a rung; its bitrate is used for the audio rendition it plays"
                    } else {
                        "an audio-only variant stream is not a rung, and no audio group names it: the playlist does not say it is the audio muxed into the video variants, so their audio bitrate is assumed"
                    },
                );
            } else {
                video.push((v, codecs));
            }
        }
        // Each variant kept, by URI and by video key, to count a variant listed once per
        // audio group once (looked up, not searched: a playlist may list thousands).
        let mut kept_uri: std::collections::HashMap<String, usize> = Default::default();
        let mut kept_key: std::collections::HashMap<VideoKey, usize> = Default::default();
        let mut kept_path: std::collections::HashMap<(String, NearKey), usize> = Default::default();
        // Each variant kept with a separate audio group, by its video without the bitrate:
        // the video bitrate is the variant's less an audio bitrate the playlist does not
        // give, so one encode listed with two groups can come out at two bitrates.
        let mut kept_near: std::collections::HashMap<
            NearKey,
            Vec<(Decimal, Decimal, String, usize)>,
        > = Default::default();
        let by_line: std::collections::HashMap<usize, &Variant> =
            variants.iter().map(|v| (v.line, v)).collect();
        for (v, codecs) in video {
            // The same URI is the same video, whatever audio group it is listed with; that
            // is known before its bitrate is worked out.
            let by_uri = v.uri.as_ref().and_then(|u| kept_uri.get(u)).copied();
            let (draft, first) = match by_uri {
                Some(first) => (None, Some(first)),
                None => {
                    let draft = self.variant(v, codecs.as_deref())?;
                    let key = draft.video_key();
                    // One media playlist asked for with another query (`v720.m3u8?g=stereo`,
                    // `?g=surround`) at the same size, rate, codec and range is one video too:
                    // its bitrates differ only by the audio assumed for each group.
                    let by_path = v
                        .uri
                        .as_deref()
                        .and_then(|u| kept_path.get(&(uri_path(u).to_string(), near_key(&draft))))
                        .copied();
                    let first = kept_key
                        .get(&key)
                        .copied()
                        .or(by_path)
                        .or_else(|| self.same_encode(&draft, &kept_near));
                    (Some((draft, key)), first)
                }
            };
            if let Some(first) = first {
                if let Some(g) = v.attrs.get("AUDIO")
                    && self.is_separate(g)
                {
                    // A viewer may play the video with any of its groups: each is counted,
                    // whichever is listed first.
                    self.group_kbps(g, audio_codec(codecs.as_deref()), v.line);
                    self.found.also_played.insert(g.clone());
                }
                let why = by_line
                    .get(&first)
                    .map_or_else(String::new, |f| repeat_reason(f, v, by_uri.is_some()));
                self.found.note(format!(
                    "{}: the same video as {}{why}; counted once",
                    self.at(v.line),
                    self.at(first)
                ));
                continue;
            }
            if let Some((draft, key)) = draft {
                if let Some(uri) = &v.uri {
                    kept_uri.entry(uri.clone()).or_insert(v.line);
                    kept_path
                        .entry((uri_path(uri).to_string(), near_key(&draft)))
                        .or_insert(v.line);
                }
                kept_key.entry(key).or_insert(v.line);
                if let DraftAudio::Separate(g) = &draft.audio {
                    let audio = self.group_audio.get(g).map_or(Decimal::ZERO, |(k, _)| *k);
                    kept_near.entry(near_key(&draft)).or_default().push((
                        draft.video_kbps,
                        audio,
                        g.clone(),
                        v.line,
                    ));
                }
                self.found.drafts.push(draft);
            }
        }
        // The separate audio renditions of the groups the rungs play with.
        let mut groups: Vec<String> = self
            .found
            .drafts
            .iter()
            .filter_map(|d| match &d.audio {
                DraftAudio::Separate(g) => Some(g.clone()),
                _ => None,
            })
            .chain(self.found.also_played.iter().cloned())
            .collect();
        groups.sort();
        groups.dedup();
        for g in groups {
            let kbps = self
                .group_audio
                .get(&g)
                .map(|(k, _)| *k)
                .unwrap_or_default();
            let members: Vec<usize> = self
                .audio_media(&g)
                .iter()
                .filter(|m| m.attrs.contains_key("URI"))
                .map(|m| m.line)
                .collect();
            for line in members {
                self.found.separate.push(SeparateAudio {
                    group: g.clone(),
                    kbps,
                    origin: self.at(line),
                });
            }
        }
        for g in std::mem::take(&mut self.alternate_groups) {
            let lines: Vec<String> = self
                .audio_media(&g)
                .iter()
                .filter(|m| m.attrs.contains_key("URI"))
                .map(|m| m.line.to_string())
                .collect();
            self.found.warn(format!(
                "{}:{}: {} audio rendition(s) of group \"{g}\" with a URI of their own, beside the audio muxed into the variants: alternate audio (another language, say) that the scenario, with its audio muxed, does not transcode, store or deliver",
                self.file,
                lines.join(", "),
                lines.len()
            ));
        }
        Ok(())
    }

    /// Whether an audio group is separate audio: it has renditions and each has its own URI
    /// (a rendition without one is carried in the variant itself, §4.3.4.1).
    fn is_separate(&self, group: &str) -> bool {
        let renditions = self.audio_media(group);
        !renditions.is_empty() && renditions.iter().all(|m| m.attrs.contains_key("URI"))
    }

    fn audio_media(&self, group: &str) -> Vec<&Media> {
        self.media
            .iter()
            .filter(|m| {
                m.attrs.get("TYPE").map(String::as_str) == Some("AUDIO")
                    && m.attrs.get("GROUP-ID").map(String::as_str) == Some(group)
            })
            .collect()
    }

    /// One video variant as a rung; its audio is separated from its bitrate.
    fn variant(&mut self, v: &Variant, codecs: Option<&[CodecKind]>) -> Result<Draft, ImportError> {
        let total = self.total_kbps(v)?;
        let (codec, dolby) = codecs
            .and_then(|c| {
                c.iter().find_map(|k| match k {
                    CodecKind::Video(c, r) => Some((Some(*c), *r)),
                    _ => None,
                })
            })
            .unwrap_or((None, None));
        // Dolby Vision over a backward-compatible base layer (profile 8 on HEVC, 10 on AV1) is
        // signalled beside CODECS, in SUPPLEMENTAL-CODECS (RFC 8216bis §4.4.6.2:
        // `"dvh1.08.07/db4h"`, a codec then its compatibility brands).
        let dolby = dolby.or_else(|| {
            v.attrs.get("SUPPLEMENTAL-CODECS").and_then(|list| {
                list.split(',').find_map(|entry| {
                    let codec = entry.split('/').next().unwrap_or_default();
                    match classify(codec) {
                        Some(CodecKind::Video(_, Some(Range::DolbyVision))) => {
                            Some(Range::DolbyVision)
                        }
                        _ => None,
                    }
                })
            })
        });
        let audio_codec = audio_codec(codecs);
        let codec = match codec {
            Some(c) => c,
            None => {
                let why = if codecs.is_some() {
                    "CODECS names no video codec"
                } else {
                    "no CODECS attribute"
                };
                self.found.warn(format!(
                    "{}: {why}; the video is assumed to be avc (H.264)",
                    self.at(v.line)
                ));
                Codec::Avc
            }
        };
        let (width, height) = match v.attrs.get("RESOLUTION") {
            Some(r) => self.resolution(v, r)?,
            None => {
                return Err(ImportError::NoSize {
                    location: self.at(v.line),
                    hint: "add RESOLUTION=<width>x<height> to the #EXT-X-STREAM-INF (e.g. RESOLUTION=1280x720)".into(),
                });
            }
        };
        let fps = match v.attrs.get("FRAME-RATE") {
            Some(text) => match text.parse::<Decimal>() {
                Ok(f) if f > Decimal::ZERO => round_fps(f),
                _ => {
                    return Err(ImportError::InvalidValue {
                        location: self.at(v.line),
                        what: "FRAME-RATE".into(),
                        expected: "a decimal number of frames per second greater than 0".into(),
                        found: format!("`{text}`"),
                        hint: "write e.g. FRAME-RATE=29.970".into(),
                    });
                }
            },
            None => {
                self.fps_lines.push(v.line);
                Decimal::from(DEFAULT_FPS)
            }
        };
        let range = match v.attrs.get("VIDEO-RANGE") {
            // Dolby Vision's own sample entry says more than the range beside it (PQ).
            _ if dolby.is_some() => dolby.unwrap_or_default(),
            None => Range::Sdr,
            Some(text) => Range::from_hls(text).unwrap_or_else(|| {
                self.found.warn(format!(
                    "{}: VIDEO-RANGE={text} is none of SDR, PQ, HLG; the variant is taken as SDR",
                    self.at(v.line)
                ));
                Range::Sdr
            }),
        };
        // The audio the variant plays with, and its bitrate inside the variant's.
        let (mut audio, audio_kbps) = match v.attrs.get("AUDIO") {
            Some(group) => {
                let kbps = self.group_kbps(group, audio_codec, v.line);
                let renditions = self.audio_media(group);
                if renditions.is_empty() {
                    self.found.warn(format!(
                        "{}: AUDIO=\"{group}\" names no #EXT-X-MEDIA:TYPE=AUDIO group; the audio is taken to be muxed",
                        self.at(v.line)
                    ));
                    (DraftAudio::Muxed(kbps), kbps)
                } else if self.is_separate(group) {
                    (DraftAudio::Separate(group.clone()), kbps)
                } else {
                    // A rendition without URI is carried in the variant itself (§4.3.4.1).
                    if renditions.iter().any(|m| m.attrs.contains_key("URI")) {
                        self.alternate_groups.insert(group.clone());
                    }
                    (DraftAudio::Muxed(kbps), kbps)
                }
            }
            None if codecs.is_none() || audio_codec.is_some() => {
                let (kbps, _) = self.assume(audio_codec, v.line);
                (DraftAudio::Muxed(kbps), kbps)
            }
            None => (DraftAudio::None, Decimal::ZERO),
        };
        let video_kbps = if total > audio_kbps {
            total - audio_kbps
        } else {
            // The variant's bitrate is what it delivers: muxed audio cannot add to it, so an
            // audio bitrate assumed for this variant is dropped rather than counted on top.
            let muxed = matches!(audio, DraftAudio::Muxed(_));
            if muxed {
                audio = DraftAudio::Muxed(Decimal::ZERO);
                for lines in self.assumed.values_mut() {
                    lines.retain(|l| *l != v.line);
                }
                self.assumed.retain(|_, lines| !lines.is_empty());
            }
            self.found.warn(format!(
                "{}: the variant's bitrate ({total} kbps) is not above its audio's ({audio_kbps} kbps); the whole of it is taken as video{}",
                self.at(v.line),
                if muxed {
                    ", with no audio bitrate on top"
                } else {
                    ""
                }
            ));
            total
        };
        Ok(Draft {
            name: None,
            width,
            height,
            fps,
            codec,
            range,
            video_kbps,
            audio,
            origin: self.at(v.line),
        })
    }

    fn resolution(&self, v: &Variant, text: &str) -> Result<(u32, u32), ImportError> {
        let parsed = text
            .split_once(['x', 'X'])
            .and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)))
            .filter(|(w, h): &(u32, u32)| {
                (1..=MAX_PIXELS).contains(w) && (1..=MAX_PIXELS).contains(h)
            });
        parsed.ok_or_else(|| ImportError::InvalidValue {
            location: self.at(v.line),
            what: "RESOLUTION".into(),
            expected: format!("<width>x<height> in whole pixels from 1 to {MAX_PIXELS}"),
            found: format!("`{text}`"),
            hint: "write e.g. RESOLUTION=1280x720".into(),
        })
    }

    /// The bitrate of an audio group: measured by an audio-only variant of it when there is
    /// one, else assumed from the codec.
    /// The line of a variant kept with another separate audio group whose video is this
    /// draft's: the same size, frame rate, codec and range, and video bitrates no further
    /// apart than the two groups' assumed audio bitrates (plus 2 % for rounding), since each
    /// video bitrate is its variant's less its group's assumed audio.
    fn same_encode(
        &self,
        draft: &Draft,
        kept: &std::collections::HashMap<NearKey, Vec<(Decimal, Decimal, String, usize)>>,
    ) -> Option<usize> {
        let DraftAudio::Separate(group) = &draft.audio else {
            return None;
        };
        let audio = self
            .group_audio
            .get(group)
            .map_or(Decimal::ZERO, |(k, _)| *k);
        kept.get(&near_key(draft))?
            .iter()
            .find(|(kbps, other_audio, other, _)| {
                let apart = (*kbps - draft.video_kbps).abs();
                let slack = (audio - *other_audio).abs()
                    + (*kbps).max(draft.video_kbps) * Decimal::new(2, 2);
                other != group && apart <= slack
            })
            .map(|(_, _, _, line)| *line)
    }

    fn group_kbps(
        &mut self,
        group: &str,
        codec: Option<(&'static str, u32)>,
        line: usize,
    ) -> Decimal {
        if let Some((kbps, assumption)) = self.group_audio.get(group) {
            if let Some(lines) = assumption.as_ref().and_then(|a| self.assumed.get_mut(a)) {
                lines.push(line);
            }
            return *kbps;
        }
        let uris: Vec<&str> = self
            .audio_media(group)
            .iter()
            .filter_map(|m| m.attrs.get("URI").map(String::as_str))
            .collect();
        let measured = self.audio_only.iter().find(|a| {
            a.group.as_deref() == Some(group) || a.uri.as_deref().is_some_and(|u| uris.contains(&u))
        });
        let settled = match measured {
            Some(a) => {
                self.found.note(format!(
                    "audio group \"{group}\": {} kbps, from its audio-only variant stream",
                    a.kbps
                ));
                (a.kbps, None)
            }
            None => {
                let (kbps, assumption) = self.assume(codec, line);
                (kbps, Some(assumption))
            }
        };
        let kbps = settled.0;
        self.group_audio.insert(group.to_string(), settled);
        kbps
    }

    /// The audio bitrate assumed for a codec (AAC-LC when CODECS names none).
    fn assume(&mut self, codec: Option<(&'static str, u32)>, line: usize) -> (Decimal, String) {
        let (name, kbps) = codec.unwrap_or(DEFAULT_AUDIO);
        let what = if codec.is_some() {
            format!("{kbps} kbps is assumed for its codec, {name}")
        } else {
            format!("CODECS names no audio codec, so {name} at {kbps} kbps is assumed")
        };
        self.assumed.entry(what.clone()).or_default().push(line);
        (Decimal::from(kbps), what)
    }

    fn finish_warnings(&mut self) {
        let assumed = std::mem::take(&mut self.assumed);
        for (what, mut lines) in assumed {
            lines.dedup();
            self.found.warn(format!(
                "{}: the audio bitrate is not in a multivariant playlist (#EXT-X-MEDIA has no BANDWIDTH, RFC 8216 §4.3.4.1); {what}, and the video bitrate is the variant's bitrate less that",
                self.lines(&lines)
            ));
        }
        if !self.peak_lines.is_empty() {
            let lines = std::mem::take(&mut self.peak_lines);
            self.found.warn(format!(
                "{}: no AVERAGE-BANDWIDTH; the bitrate is BANDWIDTH, the peak segment bit rate (RFC 8216 §4.3.4.2), which overstates the average",
                self.lines(&lines)
            ));
        } else if !self.found.drafts.is_empty() {
            self.found.note(
                "bitrates are AVERAGE-BANDWIDTH, the average segment bit rate of each variant (RFC 8216 §4.3.4.2), audio included",
            );
        }
        if !self.fps_lines.is_empty() {
            let lines = std::mem::take(&mut self.fps_lines);
            self.found.warn(format!(
                "{}: no FRAME-RATE; {DEFAULT_FPS} fps is assumed",
                self.lines(&lines)
            ));
        }
    }
}

/// The audio codec CODECS names, with the bitrate assumed for it.
fn audio_codec(codecs: Option<&[CodecKind]>) -> Option<(&'static str, u32)> {
    codecs.and_then(|c| {
        c.iter().find_map(|k| match k {
            CodecKind::Audio(name, kbps) => Some((*name, *kbps)),
            _ => None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lists_keep_quoted_commas() {
        let a = attributes(
            r#"BANDWIDTH=2000000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,AUDIO="aac""#,
        )
        .unwrap();
        assert_eq!(a["CODECS"], "avc1.64001f,mp4a.40.2");
        assert_eq!(a["RESOLUTION"], "1280x720");
        assert_eq!(a["AUDIO"], "aac");
        assert_eq!(a["BANDWIDTH"], "2000000");
        let open = attributes(r#"BANDWIDTH=2000000,CODECS="avc1.64001f,RESOLUTION=1280x720"#);
        assert_eq!(open, Err(BadList::Unclosed("CODECS".to_string())));
        let commas = attributes("BANDWIDTH=2,000,000,RESOLUTION=1280x720");
        assert_eq!(
            commas,
            Err(BadList::Name {
                name: "000,000,RESOLUTION".into(),
                after: "BANDWIDTH".into()
            })
        );
    }

    /// Names some packagers write outside §4.2's letters (`x-vendor-id`, `PROGRAM_ID`) are
    /// read and left alone, not taken for a comma in the value before them.
    #[test]
    fn attribute_names_of_packagers_are_read_and_ignored() {
        let a = attributes(
            r#"PROGRAM_ID=1,BANDWIDTH=2000000,CODECS="avc1.64001f,mp4a.40.2",x-vendor-id=42"#,
        )
        .unwrap();
        assert_eq!(a["BANDWIDTH"], "2000000");
        assert_eq!(a["CODECS"], "avc1.64001f,mp4a.40.2");
        assert_eq!(a["x-vendor-id"], "42");
        // A first name that is none is named itself, not as the value of an attribute
        // before it.
        let bad = bad_list("x.m3u8", 2, attributes("BAND WIDTH=2000000").unwrap_err()).to_string();
        assert!(bad.contains("`BAND WIDTH`"), "{bad}");
        assert!(
            bad.contains("hint: write the attributes as NAME=value pairs"),
            "{bad}"
        );
    }
}
