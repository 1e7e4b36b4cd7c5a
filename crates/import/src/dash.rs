//! DASH media presentation descriptions (ISO/IEC 23009-1): `MPD/Period/AdaptationSet/
//! Representation`. Video Representations are rungs; audio AdaptationSets are the separate
//! audio; the segment length comes from `SegmentTemplate` (`@duration / @timescale`, or the
//! `S@d` of a `SegmentTimeline` covering the most time), inherited level by level. Trick-play
//! sets, like HLS's I-frame playlists, are not rungs.

use std::collections::{BTreeMap, BTreeSet};

use ladderwise_model::scenario::Codec;
use roxmltree::{Document, Node};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::codecs::{CodecKind, SUPPORTED, classify};
use crate::ladder::{
    self, Container, DEFAULT_FPS, Draft, DraftAudio, Found, MAX_PIXELS, Range, SeparateAudio,
    fps_of, kbps_of_bps,
};
use crate::{Format, ImportError, ImportedLadder};

/// The one audio group of a manifest: every audio AdaptationSet of the Period.
const AUDIO_GROUP: &str = "audio";

/// What an AdaptationSet or Representation carries.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Content {
    Video,
    Audio,
    Text,
    Image,
    /// A trick-play set (DASH-IF IOP §3.2.9: an `EssentialProperty` of
    /// `http://dashif.org/guidelines/trickmode`), for fast-forward; HLS's I-frame playlists.
    Trick,
    Other,
}

/// The scheme that marks an AdaptationSet as trick play (DASH-IF Interoperability Points).
const TRICK_MODE: &str = "http://dashif.org/guidelines/trickmode";

pub(crate) fn import(file: &str, text: &str) -> Result<ImportedLadder, ImportError> {
    let doc = Document::parse(text).map_err(|e| {
        let pos = e.pos();
        // A file cut short fails at its end, which roxmltree places at 1:1.
        let (line, column) = match e {
            roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode => {
                let last = text.rsplit('\n').next().unwrap_or("");
                (
                    1 + text.matches('\n').count() as u32,
                    1 + last.chars().count() as u32,
                )
            }
            _ => (pos.row, pos.col),
        };
        ImportError::Xml {
            file: file.into(),
            line,
            column,
            message: e.to_string().replace(&format!(" at {pos}"), ""),
        }
    })?;
    let root = doc.root_element();
    let mut reader = Reader {
        file,
        doc: &doc,
        found: Found::default(),
        fps_lines: Vec::new(),
    };
    if root.tag_name().name() != "MPD" {
        return Err(ImportError::NotMpd {
            file: file.into(),
            line: reader.line(root),
            root: root.tag_name().name().into(),
        });
    }
    let periods: Vec<Node> = root
        .children()
        .filter(|n| n.has_tag_name_local("Period"))
        .collect();
    if root.attribute("type") == Some("dynamic") {
        reader.found.note(format!(
            "{}: a live (dynamic) presentation; its ladder is read the same way",
            reader.at(root)
        ));
    }
    let videos: Vec<usize> = periods.iter().map(|p| reader.video_count(*p)).collect();
    let keys: Vec<Option<Vec<String>>> = if periods.len() > 1 {
        periods.iter().map(|p| reader.video_keys(*p)).collect()
    } else {
        vec![None; periods.len()]
    };
    if let Some((i, why)) = main_period(root, &periods, &videos, &keys) {
        let period = periods[i];
        if periods.len() > 1 {
            reader.found.note(format!(
                "{} periods; the ladder is read from {} ({why})",
                periods.len(),
                reader.at(period)
            ));
            reader.other_periods(&periods, &keys, i);
        }
        reader.period(period)?;
    }
    if !reader.fps_lines.is_empty() {
        let lines: Vec<String> = reader.fps_lines.iter().map(u32::to_string).collect();
        reader.found.warn(format!(
            "{}:{}: no frameRate on the Representation or its AdaptationSet; {DEFAULT_FPS} fps is assumed",
            file,
            lines.join(", ")
        ));
    }
    if !reader.found.drafts.is_empty() {
        reader.found.warn(
            "video_kbps is each Representation's @bandwidth (less any muxed audio): the rate of a constant-bitrate channel that plays it without stalling after @minBufferTime (ISO/IEC 23009-1, Representation @bandwidth), so for variable-bitrate encodes it is above the average",
        );
    }
    ladder::finish(reader.found, Format::DashMpd, file)
}

trait LocalName {
    fn has_tag_name_local(&self, name: &str) -> bool;
}

impl LocalName for Node<'_, '_> {
    fn has_tag_name_local(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }
}

struct Reader<'f, 'd, 'i> {
    file: &'f str,
    doc: &'d Document<'i>,
    found: Found,
    /// Lines of video Representations with no frame rate.
    fps_lines: Vec<u32>,
}

impl<'d, 'i> Reader<'_, 'd, 'i> {
    fn line(&self, node: Node) -> u32 {
        self.doc.text_pos_at(node.range().start).row
    }

    fn at(&self, node: Node) -> String {
        format!("{}:{}", self.file, self.line(node))
    }

    /// How many video Representations a period has.
    fn video_count(&self, period: Node) -> usize {
        period
            .children()
            .filter(|n| n.has_tag_name_local("AdaptationSet"))
            .map(|set| {
                representations(set)
                    .iter()
                    .filter(|r| self.content(set, **r) == Content::Video)
                    .count()
            })
            .sum()
    }

    /// The video a period holds, as keys in one order (`None` when it cannot be read): two
    /// periods of one ladder have equal keys.
    fn video_keys(&self, period: Node<'d, 'i>) -> Option<Vec<String>> {
        let mut scratch = Reader {
            file: self.file,
            doc: self.doc,
            found: Found::default(),
            fps_lines: Vec::new(),
        };
        scratch.period(period).ok().map(|()| {
            let mut keys: Vec<String> = scratch
                .found
                .drafts
                .iter()
                .map(|d| format!("{:?}", d.video_key()))
                .collect();
            keys.sort();
            keys
        })
    }

    /// Warns of each period besides `chosen` whose video differs from its (an ad break, a
    /// pre-roll encoded apart): those encodes are not in the ladder.
    fn other_periods(
        &mut self,
        periods: &[Node<'d, 'i>],
        keys: &[Option<Vec<String>>],
        chosen: usize,
    ) {
        let Some(theirs) = &keys[chosen] else {
            return;
        };
        let differing: Vec<String> = periods
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != chosen && keys[*i].as_ref() != Some(theirs))
            .map(|(_, p)| self.at(*p))
            .collect();
        if !differing.is_empty() {
            self.found.warn(format!(
                "{} other period(s) have other video ({}): only the ladder read is priced, so their encodes (an ad break or a pre-roll, say) are left out",
                differing.len(),
                differing.join(", ")
            ));
        }
    }

    fn period(&mut self, period: Node<'d, 'i>) -> Result<(), ImportError> {
        let sets: Vec<Node> = period
            .children()
            .filter(|n| n.has_tag_name_local("AdaptationSet"))
            .collect();
        let has_audio = sets.iter().any(|s| {
            representations(*s)
                .iter()
                .any(|r| self.content(*s, *r) == Content::Audio)
        });
        let length = period_length(period);
        // (segment seconds and the element stating them, the Representation) of each video
        // Representation.
        let mut segments: Vec<(Option<Segment>, String)> = Vec::new();
        for set in sets {
            for rep in representations(set) {
                match self.content(set, rep) {
                    Content::Video => {
                        let draft = self.video(set, rep, has_audio)?;
                        // The same video twice (a manifest listing it in two sets, say) is
                        // one rung, as in an HLS playlist.
                        if let Some(first) = self
                            .found
                            .drafts
                            .iter()
                            .find(|d| d.video_key() == draft.video_key())
                        {
                            let note = format!(
                                "{}: the same video as {}; counted once",
                                draft.origin, first.origin
                            );
                            self.found.note(note);
                            continue;
                        }
                        segments.push((
                            self.segment_seconds(period, set, rep, length)?,
                            draft.origin.clone(),
                        ));
                        // The segments' container by their MIME type (ISO/IEC 23009-1
                        // @mimeType; `video/mp2t` is MPEG-TS, `video/mp4` ISO BMFF fragments).
                        let container = match inherited(set, rep, "mimeType") {
                            Some("video/mp4") => Some(Container::Fmp4),
                            Some("video/mp2t") => Some(Container::Ts),
                            _ => None,
                        };
                        if let Some(c) = container {
                            self.found.containers.push((c, draft.origin.clone()));
                        }
                        self.found.drafts.push(draft);
                    }
                    Content::Audio => {
                        let kbps = self.bandwidth(rep)?;
                        self.found.separate.push(SeparateAudio {
                            group: AUDIO_GROUP.into(),
                            kbps,
                            origin: self.at(rep),
                        });
                    }
                    other => {
                        let reason = match other {
                            Content::Text => "subtitles or captions: not a rung",
                            Content::Image => "thumbnails (an image AdaptationSet): not a rung",
                            Content::Trick => {
                                "trick play (a trickmode AdaptationSet, for fast-forward): not a rung"
                            }
                            _ => "neither video nor audio: not a rung",
                        };
                        let what = inherited(set, rep, "mimeType")
                            .or_else(|| inherited(set, rep, "codecs"))
                            .unwrap_or("representation")
                            .to_string();
                        self.found.skip(self.at(rep), what, reason);
                    }
                }
            }
        }
        let Some((first, origin)) = segments.first().cloned() else {
            return Ok(());
        };
        match first {
            Some(Segment { seconds, at }) => {
                self.found.segment_seconds = Some(seconds);
                self.found.segment_origin = Some(at);
                let others: Vec<String> = segments
                    .iter()
                    .filter(|(s, _)| s.as_ref().map(|s| s.seconds) != Some(seconds))
                    .map(|(s, o)| match s {
                        Some(s) => format!("{} s at {o}", s.seconds),
                        None => format!("none at {o}"),
                    })
                    .collect();
                if !others.is_empty() {
                    self.found.warn(format!(
                        "video Representations have different segment lengths; a scenario has one, so {seconds} s from {origin} is used (the others: {})",
                        others.join(", ")
                    ));
                }
            }
            None => self.found.note(format!(
                "{origin}: no SegmentTemplate or SegmentList duration (a single indexed file, SegmentBase); the scenario's segment_seconds is kept"
            )),
        }
        Ok(())
    }

    /// Video, audio or other: `@contentType`, else the `@mimeType` of the Representation or
    /// its AdaptationSet, else its codecs.
    fn content(&self, set: Node, rep: Node) -> Content {
        let trick = [set, rep].iter().any(|n| {
            n.children().any(|c| {
                c.has_tag_name_local("EssentialProperty")
                    && c.attribute("schemeIdUri").map(str::trim) == Some(TRICK_MODE)
            })
        });
        if trick {
            return Content::Trick;
        }
        let from_type = |t: &str| match t {
            "video" => Content::Video,
            "audio" => Content::Audio,
            "text" | "application" => Content::Text,
            "image" => Content::Image,
            _ => Content::Other,
        };
        if let Some(t) = set.attribute("contentType") {
            return from_type(t);
        }
        if let Some(m) = inherited(set, rep, "mimeType") {
            return from_type(m.split('/').next().unwrap_or_default());
        }
        let kinds: Vec<Option<CodecKind>> = inherited(set, rep, "codecs")
            .unwrap_or_default()
            .split(',')
            .map(classify)
            .collect();
        if kinds
            .iter()
            .any(|k| matches!(k, Some(CodecKind::Video(..))))
        {
            Content::Video
        } else if kinds
            .iter()
            .any(|k| matches!(k, Some(CodecKind::Audio(..))))
        {
            Content::Audio
        } else if kinds.iter().any(|k| matches!(k, Some(CodecKind::Text))) {
            Content::Text
        } else {
            Content::Other
        }
    }

    fn bandwidth(&self, rep: Node) -> Result<Decimal, ImportError> {
        match rep
            .attribute("bandwidth")
            .map(|b| (b, b.trim().parse::<u64>()))
        {
            Some((_, Ok(bps))) if bps > 0 => Ok(kbps_of_bps(Decimal::from(bps))),
            found => Err(ImportError::InvalidValue {
                location: self.at(rep),
                what: "Representation @bandwidth".into(),
                expected: "a whole number of bits per second greater than 0".into(),
                found: found.map_or("missing".into(), |(b, _)| format!("`{b}`")),
                hint: "write e.g. bandwidth=\"2500000\"".into(),
            }),
        }
    }

    fn video(&mut self, set: Node, rep: Node, has_audio: bool) -> Result<Draft, ImportError> {
        let total = self.bandwidth(rep)?;
        let codecs = inherited(set, rep, "codecs");
        let mut codec = None;
        let mut dolby = None;
        let mut audio_codec = None;
        for c in codecs
            .unwrap_or_default()
            .split(',')
            .filter(|c| !c.trim().is_empty())
        {
            match classify(c) {
                Some(CodecKind::Video(v, r)) => {
                    if codec.is_none() {
                        (codec, dolby) = (Some(v), r);
                    }
                }
                Some(CodecKind::Audio(name, kbps)) => {
                    audio_codec = audio_codec.or(Some((name, kbps)))
                }
                Some(CodecKind::Text) => {}
                None => {
                    return Err(ImportError::UnknownCodec {
                        location: self.at(rep),
                        codec: c.trim().into(),
                        hint: SUPPORTED.into(),
                    });
                }
            }
        }
        let codec = codec.unwrap_or_else(|| {
            self.found.warn(format!(
                "{}: no video codec in @codecs; avc (H.264) is assumed",
                self.at(rep)
            ));
            Codec::Avc
        });
        let dimension = |name: &str| -> Result<Option<u32>, ImportError> {
            match inherited(set, rep, name) {
                None => Ok(None),
                Some(text) => match text.trim().parse::<u32>() {
                    Ok(v) if (1..=MAX_PIXELS).contains(&v) => Ok(Some(v)),
                    _ => Err(ImportError::InvalidValue {
                        location: self.at(rep),
                        what: format!("@{name}"),
                        expected: format!("a whole number of pixels from 1 to {MAX_PIXELS}"),
                        found: format!("`{text}`"),
                        hint: format!("write e.g. {name}=\"720\""),
                    }),
                },
            }
        };
        let (width, height) = match (dimension("width")?, dimension("height")?) {
            (Some(w), Some(h)) => (w, h),
            _ => {
                return Err(ImportError::NoSize {
                    location: self.at(rep),
                    hint: "write width and height on the Representation or its AdaptationSet (e.g. width=\"1280\" height=\"720\")".into(),
                });
            }
        };
        let fps = match inherited(set, rep, "frameRate") {
            Some(text) => frame_rate(text).ok_or_else(|| ImportError::InvalidValue {
                location: self.at(rep),
                what: "@frameRate".into(),
                expected: "frames per second as a whole number, a fraction or a decimal".into(),
                found: format!("`{text}`"),
                hint: "write e.g. frameRate=\"30000/1001\" or frameRate=\"25\"".into(),
            })?,
            // No frame rate of its own: the AdaptationSet's maximum is the rate of its
            // Representations when they all share it, as a ladder's usually do (ISO/IEC
            // 23009-1 §5.3.3.2), and nearer than a default.
            None => match set.attribute("maxFrameRate").and_then(frame_rate) {
                Some(fps) => {
                    self.found.note(format!(
                        "{}: no frameRate; the AdaptationSet's maxFrameRate, {} fps, is taken",
                        self.at(rep),
                        fps.normalize()
                    ));
                    fps
                }
                None => {
                    self.fps_lines.push(self.line(rep));
                    Decimal::from(DEFAULT_FPS)
                }
            },
        };
        let (audio, video_kbps) = match audio_codec {
            Some((name, kbps)) => {
                let audio = Decimal::from(kbps);
                self.found.warn(format!(
                    "{}: audio muxed into a video Representation; {kbps} kbps is assumed for its codec, {name}, and the video bitrate is @bandwidth less that",
                    self.at(rep)
                ));
                let video = if total > audio { total - audio } else { total };
                (DraftAudio::Muxed(audio), video)
            }
            None if has_audio => (DraftAudio::Separate(AUDIO_GROUP.into()), total),
            None => {
                self.found.note(format!(
                    "{}: video only; the manifest has no audio",
                    self.at(rep)
                ));
                (DraftAudio::None, total)
            }
        };
        Ok(Draft {
            name: None,
            width,
            height,
            fps,
            codec,
            range: dolby.unwrap_or_else(|| transfer_range(set, rep)),
            video_kbps,
            audio,
            origin: self.at(rep),
        })
    }

    /// Seconds per segment from the SegmentTemplate or SegmentList of the Representation,
    /// its AdaptationSet and its Period, and the element they are read from: `@duration /
    /// @timescale`, or the `S@d` of its SegmentTimeline that covers the most time (see
    /// [`dominant`]). Segment information is hierarchical (ISO/IEC 23009-1 §5.3.9.1): a
    /// level's element gives what it states and takes the rest from the level above, so
    /// `@timescale` on the AdaptationSet and `@duration` on the Representation make one
    /// template. `length` is the Period's, in seconds, where the manifest says.
    fn segment_seconds(
        &mut self,
        period: Node<'d, 'i>,
        set: Node<'d, 'i>,
        rep: Node<'d, 'i>,
        length: Option<Decimal>,
    ) -> Result<Option<Segment>, ImportError> {
        // The nearest level decides which kind of element is meant; the levels above count
        // only with the same kind.
        let element = |n: Node<'d, 'i>, kind: Option<&str>| {
            n.children().find(|c| match kind {
                Some(kind) => c.has_tag_name_local(kind),
                None => {
                    c.has_tag_name_local("SegmentTemplate") || c.has_tag_name_local("SegmentList")
                }
            })
        };
        let Some(nearest) = [rep, set, period]
            .into_iter()
            .find_map(|n| element(n, None))
        else {
            return Ok(None);
        };
        let kind = nearest.tag_name().name();
        let levels: Vec<Node> = [rep, set, period]
            .into_iter()
            .filter_map(|n| element(n, Some(kind)))
            .collect();
        // The attribute where the nearest level states it.
        let stated = |name: &str| levels.iter().find(|n| n.has_attribute(name)).copied();
        let whole = |name: &str, node: Node| -> Result<Option<u64>, ImportError> {
            match node.attribute(name) {
                None => Ok(None),
                Some(text) => match text.trim().parse::<u64>() {
                    Ok(v) => Ok(Some(v)),
                    Err(_) => Err(ImportError::InvalidValue {
                        location: self.at(node),
                        what: format!("@{name}"),
                        expected: "a whole number".into(),
                        found: format!("`{text}`"),
                        hint: format!("write e.g. {name}=\"2\""),
                    }),
                },
            }
        };
        let timescale = match stated("timescale") {
            Some(node) => self.timescale(kind, node)?,
            // Stated on no level, it is 1 (ISO/IEC 23009-1 §5.3.9.2, @timescale).
            None => 1,
        };
        let timeline = levels.iter().find_map(|n| {
            n.children()
                .find(|c| c.has_tag_name_local("SegmentTimeline"))
        });
        let (ticks, from) = match timeline {
            Some(timeline) => {
                let items: Vec<Node> = timeline
                    .children()
                    .filter(|c| c.has_tag_name_local("S"))
                    .collect();
                // Where the Period ends on the timeline's clock: `S@t` less
                // `@presentationTimeOffset` is the time from the Period's start (ISO/IEC
                // 23009-1 §5.3.9.6). Read only for an open repeat at the end.
                let period_end = || -> Result<Option<u128>, ImportError> {
                    let Some(length) = length else {
                        return Ok(None);
                    };
                    let offset = match stated("presentationTimeOffset") {
                        Some(node) => whole("presentationTimeOffset", node)?.unwrap_or(0),
                        None => 0,
                    };
                    Ok(length
                        .checked_mul(Decimal::from(timescale))
                        .and_then(|t| t.round().to_u128())
                        .map(|t| t.saturating_add(u128::from(offset))))
                };
                let mut runs: Vec<Run> = Vec::with_capacity(items.len());
                // Where an S without `@t` starts: the first at 0, each other where the one
                // before ends (ISO/IEC 23009-1 §5.3.9.6, S@t).
                let mut next = Some(0u128);
                for (i, s) in items.iter().enumerate() {
                    let Some(d) = whole("d", *s)? else {
                        next = None;
                        continue;
                    };
                    let start = whole("t", *s)?.map(u128::from).or(next);
                    let r = s
                        .attribute("r")
                        .and_then(|r| r.trim().parse::<i64>().ok())
                        .unwrap_or(0);
                    let covers = match u128::try_from(r) {
                        // `@r` more segments of `@d` after the first (zero-based).
                        Ok(r) => Covers::Ticks(u128::from(d).saturating_mul(r + 1)),
                        // A negative `@r` repeats `@d` until the next S's `@t`, else the end
                        // of the Period, else the next MPD update (ISO/IEC 23009-1 §5.3.9.6,
                        // S@r): its time is that span, however few S elements list it.
                        Err(_) => {
                            let until = match items.get(i + 1) {
                                Some(after) => whole("t", *after)?.map(u128::from),
                                None => period_end()?,
                            };
                            match start.zip(until) {
                                // At least the one segment the S lists, should the times
                                // disagree.
                                Some((t, end)) => {
                                    Covers::Ticks(end.saturating_sub(t).max(u128::from(d)))
                                }
                                None => Covers::Open,
                            }
                        }
                    };
                    next = match covers {
                        Covers::Ticks(n) => start.map(|t| t.saturating_add(n)),
                        Covers::Open => None,
                    };
                    runs.push(Run { s: *s, d, covers });
                }
                match dominant(&runs) {
                    Some((run, pick)) => {
                        let at_timescale = |ticks: u128| {
                            Decimal::from_u128(ticks)
                                .and_then(|t| t.checked_div(Decimal::from(timescale)))
                                .map(|s| s.round_dp(3).normalize())
                        };
                        let seconds = at_timescale(u128::from(run.d)).unwrap_or_default();
                        let d = run.d;
                        // Which duration, and what it covers.
                        let which = match pick {
                            Pick::Only => None,
                            Pick::Open => Some((
                                "the one repeated until the next MPD update".to_string(),
                                format!(
                                    "r=\"{}\" with no end known",
                                    run.s.attribute("r").unwrap_or_default()
                                ),
                            )),
                            Pick::Most { ticks, tie } => Some((
                                if tie {
                                    "the last listed of those covering the most time"
                                } else {
                                    "the one covering the most time"
                                }
                                .to_string(),
                                at_timescale(ticks).map_or("more than the others".into(), |s| {
                                    format!("{s} s in all")
                                }),
                            )),
                        };
                        if let Some((which, covers)) = which {
                            self.found.note(format!(
                                "{}: SegmentTimeline durations vary; {which}, {seconds} s (d=\"{d}\" at timescale {timescale}, {covers}), is taken",
                                self.at(timeline),
                            ));
                        }
                        (Some(run.d), run.s)
                    }
                    None => (None, timeline),
                }
            }
            None => match stated("duration") {
                Some(node) => (whole("duration", node)?, node),
                None => (None, nearest),
            },
        };
        Ok(ticks
            .filter(|t| *t > 0)
            .and_then(|t| Decimal::from(t).checked_div(Decimal::from(timescale)))
            .map(|s| Segment {
                seconds: s.round_dp(3).normalize(),
                at: self.at(from),
            }))
    }

    /// The `@timescale` of a segment information element: ticks per second, which
    /// `@duration`, `S@t` and `S@d` count in (ISO/IEC 23009-1 §5.3.9.2). 0 is no clock:
    /// refused, not read as 1, nor passed over for a level above's.
    fn timescale(&self, kind: &str, node: Node) -> Result<u64, ImportError> {
        let text = node.attribute("timescale").unwrap_or_default();
        match text.trim().parse::<u64>() {
            Ok(t) if t > 0 => Ok(t),
            _ => Err(ImportError::InvalidValue {
                location: self.at(node),
                what: format!("@timescale of the {kind}"),
                expected: "a whole number of ticks per second greater than 0".into(),
                found: format!("`{text}`"),
                hint: "write the ticks per second that @duration and S@d count in, e.g. timescale=\"90000\", or leave it out to take the level above's (1 when no level states one)".into(),
            }),
        }
    }
}

/// A segment length and the element of the manifest it is read from.
#[derive(Clone, Debug)]
struct Segment {
    seconds: Decimal,
    at: String,
}

/// One `S` of a SegmentTimeline: its duration and the time it covers.
struct Run<'d, 'i> {
    s: Node<'d, 'i>,
    d: u64,
    covers: Covers,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Covers {
    /// So many ticks of the timescale.
    Ticks(u128),
    /// A negative `@r` with no end known (a live presentation): the segments go on until the
    /// next MPD update.
    Open,
}

/// Why a duration is a timeline's segment length.
#[derive(Debug, PartialEq, Eq)]
enum Pick {
    /// Every S has it.
    Only,
    /// It repeats with no end known.
    Open,
    /// It covers the most time, `ticks` in all; on a `tie`, it is listed last.
    Most { ticks: u128, tie: bool },
}

/// A timeline's segment length: the duration covering the most time, as that is where the
/// requests and the objects are. An open repeat (negative `@r` with no end known) is what the
/// presentation goes on with, so it is taken over any listed time; the last one when there
/// are several. Durations covering the same time: the one listed last, the steady state the
/// timeline settles into (a shorter first segment, say, is its start). Zero durations cover
/// nothing and are passed over. The S returned is the one of the duration covering the most.
fn dominant<'a, 'd, 'i>(runs: &'a [Run<'d, 'i>]) -> Option<(&'a Run<'d, 'i>, Pick)> {
    let runs: Vec<&Run> = runs.iter().filter(|r| r.d > 0).collect();
    let durations: BTreeSet<u64> = runs.iter().map(|r| r.d).collect();
    let vary = durations.len() > 1;
    if let Some(open) = runs.iter().rev().find(|r| r.covers == Covers::Open) {
        return Some((open, if vary { Pick::Open } else { Pick::Only }));
    }
    // Per duration: its time in all, the place of its last S, its S covering the most.
    let mut by_duration: BTreeMap<u64, (u128, usize, &Run)> = BTreeMap::new();
    for (i, run) in runs.iter().enumerate() {
        let Covers::Ticks(n) = run.covers else {
            continue;
        };
        let (total, last, most) = by_duration.entry(run.d).or_insert((0, i, run));
        *total = total.saturating_add(n);
        *last = i;
        if matches!(most.covers, Covers::Ticks(m) if m < n) {
            *most = run;
        }
    }
    let (total, _, run) = by_duration
        .values()
        .max_by_key(|(total, last, _)| (*total, *last))?;
    let tie = by_duration.values().filter(|(t, ..)| t == total).count() > 1;
    let pick = if vary {
        Pick::Most { ticks: *total, tie }
    } else {
        Pick::Only
    };
    Some((run, pick))
}

/// The length of `period` in seconds, where the manifest says (see [`period_seconds`]).
fn period_length(period: Node) -> Option<Decimal> {
    let root = period.parent_element()?;
    let periods: Vec<Node> = root
        .children()
        .filter(|n| n.has_tag_name_local("Period"))
        .collect();
    let i = periods.iter().position(|p| *p == period)?;
    period_seconds(root, &periods).get(i).copied().flatten()
}

fn representations<'a, 'i>(set: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    set.children()
        .filter(|n| n.has_tag_name_local("Representation"))
        .collect()
}

/// Each period's length in seconds, where the manifest says: its `@duration`, else the next
/// period's `@start` less its own, else (the last) the MPD's `@mediaPresentationDuration` less
/// its start (ISO/IEC 23009-1 §5.3.2.1: a period without `@start` starts where the one before
/// ends, the first of a static presentation at 0).
fn period_seconds(root: Node, periods: &[Node]) -> Vec<Option<Decimal>> {
    let stated = |n: &Node, name: &str| n.attribute(name).and_then(seconds);
    let mut starts: Vec<Option<Decimal>> = Vec::with_capacity(periods.len());
    for (i, p) in periods.iter().enumerate() {
        let start = stated(p, "start").or_else(|| match i {
            0 => Some(Decimal::ZERO),
            _ => starts[i - 1]
                .zip(stated(&periods[i - 1], "duration"))
                .and_then(|(s, d)| s.checked_add(d)),
        });
        starts.push(start);
    }
    let total = stated(&root, "mediaPresentationDuration");
    periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let end = match periods.get(i + 1) {
                Some(_) => starts[i + 1],
                None => total,
            };
            stated(p, "duration")
                .or_else(|| end.zip(starts[i]).and_then(|(e, s)| e.checked_sub(s)))
                .filter(|s| *s >= Decimal::ZERO)
        })
        .collect()
}

/// The period whose ladder is the presentation's, and why: the longest when every period's
/// length is known (the first on a tie); else the first of the ladder more periods share
/// than any other (`keys`: each period's video): a live presentation's last period is open,
/// and an ad break inserted between two periods of the programme is one period of its own
/// ladder; else the one with the most video Representations, the first on a tie.
fn main_period(
    root: Node,
    periods: &[Node],
    videos: &[usize],
    keys: &[Option<Vec<String>>],
) -> Option<(usize, String)> {
    if periods.is_empty() {
        return None;
    }
    let lengths = period_seconds(root, periods);
    let known: Option<Vec<Decimal>> = lengths.iter().copied().collect();
    match known {
        Some(lengths) => {
            let (i, s) = lengths
                .iter()
                .enumerate()
                .fold(
                    (0, lengths[0]),
                    |(bi, bs), (i, s)| {
                        if *s > bs { (i, *s) } else { (bi, bs) }
                    },
                );
            Some((i, format!("the longest, {} s", s.normalize())))
        }
        None => {
            // How many periods share each period's ladder.
            let shared: Vec<usize> = keys
                .iter()
                .map(|k| match k {
                    Some(k) => keys.iter().filter(|o| o.as_ref() == Some(k)).count(),
                    None => 0,
                })
                .collect();
            let most = shared.iter().copied().max().unwrap_or(0);
            if most > 1 && shared.iter().filter(|n| **n == most).count() == most {
                let i = shared.iter().position(|n| *n == most).unwrap_or(0);
                return Some((
                    i,
                    format!(
                        "not every period states how long it is; {most} of the {} periods share this one's ladder",
                        periods.len()
                    ),
                ));
            }
            let (i, n) =
                videos.iter().enumerate().fold(
                    (0, 0),
                    |(bi, bn), (i, n)| if *n > bn { (i, *n) } else { (bi, bn) },
                );
            Some((
                i,
                format!(
                    "not every period states how long it is; this one has the most video Representations, {n}"
                ),
            ))
        }
    }
}

/// Seconds of an `xs:duration` as DASH writes them (`PT1H2M3.5S`, `P1DT2H`); `None` for
/// years or months, which have no fixed length, and for anything else.
fn seconds(text: &str) -> Option<Decimal> {
    let rest = text.trim().strip_prefix('P')?;
    // A negative duration puts its sign before the `P`; none is a length.
    if rest.contains(['-', '+']) {
        return None;
    }
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total = Decimal::ZERO;
    let mut any = false;
    for (part, units) in [
        (days, &[('D', 86_400)][..]),
        (time, &[('H', 3_600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut rest = part;
        for (unit, factor) in units {
            if let Some((n, after)) = rest.split_once(*unit) {
                let n: Decimal = n.parse().ok()?;
                total = total.checked_add(n.checked_mul(Decimal::from(*factor))?)?;
                rest = after;
                any = true;
            }
        }
        if !rest.is_empty() {
            return None;
        }
    }
    any.then_some(total)
}

/// The scheme of a video's transfer function (ISO/IEC 23001-8 CICP code points, the
/// way DASH-IF IOP signals HDR10 and HLG).
const TRANSFER: &str = "urn:mpeg:mpegB:cicp:TransferCharacteristics";

/// The range the Essential- and SupplementalProperties of a Representation and its
/// AdaptationSet state: HDR when any says PQ or HLG (DVB-DASH signals backward-compatible HLG
/// as an EssentialProperty of 14, SDR, beside a SupplementalProperty of 18, HLG); SDR when
/// none does.
fn transfer_range(set: Node, rep: Node) -> Range {
    [rep, set]
        .iter()
        .flat_map(|n| n.children())
        .filter(|c| {
            (c.has_tag_name_local("EssentialProperty")
                || c.has_tag_name_local("SupplementalProperty"))
                && c.attribute("schemeIdUri").map(str::trim) == Some(TRANSFER)
        })
        .filter_map(|c| c.attribute("value"))
        .map(Range::from_transfer)
        .find(|r| *r != Range::Sdr)
        .unwrap_or(Range::Sdr)
}

/// An attribute of the Representation, else of its AdaptationSet.
fn inherited<'a>(set: Node<'a, '_>, rep: Node<'a, '_>, name: &str) -> Option<&'a str> {
    rep.attribute(name).or_else(|| set.attribute(name))
}

/// `30000/1001` or `25` as frames per second. ISO/IEC 23009-1's FrameRateType is a whole
/// number or a fraction, but packagers also write decimals (`29.97`), which players read as
/// numbers: those are taken as written.
fn frame_rate(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let (num, den) = match text.split_once('/') {
        Some((n, d)) => (n.trim().parse::<u64>().ok()?, d.trim().parse::<u64>().ok()?),
        None if text.contains('.') => {
            // Digits and one point only: no sign, exponent or spaces inside.
            if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return None;
            }
            return fps_of(text.parse::<Decimal>().ok()?, Decimal::ONE);
        }
        None => (text.parse::<u64>().ok()?, 1),
    };
    fps_of(Decimal::from(num), Decimal::from(den))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_rates_whole_and_fractional() {
        assert_eq!(frame_rate("30000/1001"), Some("29.97".parse().unwrap()));
        assert_eq!(frame_rate("25"), Some(Decimal::from(25)));
        assert_eq!(frame_rate("29.97"), Some("29.97".parse().unwrap()));
        assert_eq!(frame_rate(" 59.94 "), Some("59.94".parse().unwrap()));
        for bad in ["x", "-29.97", "2.9.7", "1e2", "."] {
            assert_eq!(frame_rate(bad), None, "{bad}");
        }
        assert_eq!(frame_rate("1/0"), None);
    }

    #[test]
    fn durations_in_seconds() {
        assert_eq!(seconds("PT1H2M3.5S"), Some("3723.5".parse().unwrap()));
        assert_eq!(seconds("P1DT2H"), Some(Decimal::from(93_600)));
        assert_eq!(seconds("PT30S"), Some(Decimal::from(30)));
        for bad in ["P1Y", "P1M", "PT", "P", "30", "PT1X", "PT-"] {
            assert_eq!(seconds(bad), None, "{bad}");
        }
    }
}
