//! The month's physical quantities, before any price: titles, output minutes, bytes, objects,
//! watch time, the time players fetch, egress and requests. Every formula here is from
//! DESIGN.md's cost model.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::scenario::{AudioLayout, Rung, Scenario};
use crate::units::{Bitrate, Bytes, Minutes, Seconds};

/// MediaConvert bills every output for at least 10 seconds (MediaConvert pricing page:
/// "minimum billing increment of 10 seconds" per output).
pub const MEDIACONVERT_MINIMUM_OUTPUT: Seconds = Seconds(Decimal::from_parts(10, 0, 0, false, 0));

/// Bytes of a media playlist's header (`#EXTM3U`, `#EXT-X-VERSION`, `#EXT-X-TARGETDURATION`,
/// `#EXT-X-MEDIA-SEQUENCE`, `#EXT-X-PLAYLIST-TYPE:VOD`, `#EXT-X-ENDLIST`; RFC 8216 §4.3) and
/// of each segment's entry (`#EXTINF:6.000,` and the segment's name). Estimates of the text
/// MediaConvert writes; they matter for the object count and the 128 KB rules, not the bytes.
pub const PLAYLIST_HEADER_BYTES: Decimal = Decimal::from_parts(120, 0, 0, false, 0);
pub const PLAYLIST_BYTES_PER_SEGMENT: Decimal = Decimal::from_parts(45, 0, 0, false, 0);
/// Bytes of one `#EXT-X-STREAM-INF` (or `#EXT-X-MEDIA`) entry of the multivariant playlist,
/// with its URI line (RFC 8216 §4.4.6.2: BANDWIDTH, AVERAGE-BANDWIDTH, CODECS, RESOLUTION,
/// FRAME-RATE).
pub const MULTIVARIANT_BYTES_PER_ENTRY: Decimal = Decimal::from_parts(150, 0, 0, false, 0);

/// Resolution classes MediaConvert meters separately (`SDOutputDuration`, `HDOutputDuration`,
/// `UHDOutputDuration`, `8KOutputDuration` in the MediaConvert User Guide, "metrics").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ResolutionClass {
    #[serde(rename = "SD")]
    Sd,
    #[serde(rename = "HD")]
    Hd,
    #[serde(rename = "UHD")]
    Uhd,
    #[serde(rename = "8K")]
    EightK,
}

impl ResolutionClass {
    /// Classes by the shorter side of the frame, so portrait video is classed like landscape:
    /// under 720 lines SD, up to 1080 HD, up to 2160 UHD, above that 8K (MediaConvert User
    /// Guide, billing abbreviations: SD <720p, HD 720p–1080p, 4K >1080p–2160p, 8K above).
    pub fn of(rung: &Rung) -> ResolutionClass {
        let lines = rung.width.min(rung.height);
        match lines {
            0..720 => ResolutionClass::Sd,
            720..=1080 => ResolutionClass::Hd,
            1081..=2160 => ResolutionClass::Uhd,
            _ => ResolutionClass::EightK,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ResolutionClass::Sd => "SD",
            ResolutionClass::Hd => "HD",
            ResolutionClass::Uhd => "UHD",
            ResolutionClass::EightK => "8K",
        }
    }
}

/// One track's quantities for the month: a rung, or the separate audio rendition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrackDrivers {
    /// Encoded bits per second, with the audio muxed into a rung.
    pub bitrate: Bitrate,
    /// Bytes per minute of content, packaging overhead included.
    pub bytes_per_content_minute: Bytes,
    /// Output minutes transcoded this month, per-output minimum applied.
    pub output_minutes: Minutes,
    /// Bytes of one full media segment.
    pub segment_bytes: Bytes,
    /// Segments in one title of average length.
    pub segments_per_title: Decimal,
    /// Bytes sent to viewers from this track this month.
    pub delivered: Bytes,
}

/// One rung's quantities for the month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RungDrivers {
    pub class: ResolutionClass,
    #[serde(flatten)]
    pub track: TrackDrivers,
}

impl std::ops::Deref for RungDrivers {
    type Target = TrackDrivers;
    fn deref(&self) -> &TrackDrivers {
        &self.track
    }
}

/// The month's quantities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drivers {
    pub titles_per_month: Decimal,
    pub rungs: Vec<RungDrivers>,
    /// The separate audio rendition, when the ladder has one.
    pub audio: Option<TrackDrivers>,
    /// Bytes of one media playlist of a title of average length.
    pub media_playlist_bytes: Bytes,
    /// Bytes of the multivariant playlist.
    pub multivariant_bytes: Bytes,
    /// Objects written per title: every segment of every track, a media playlist per track,
    /// the multivariant playlist, and the source when it is kept.
    pub objects_per_title: Decimal,
    /// Watch time of the month: what viewers see, the divisor of cost per viewer-hour.
    pub watch_time: Seconds,
    /// Viewing sessions of the month.
    pub sessions: Decimal,
    /// Time players fetch: watch time, the buffer left unwatched by sessions that end early,
    /// and preloaded impressions. CloudFront bills the bytes it sends.
    pub sent_time: Seconds,
    /// The rate a viewer receives: `Σ watch_share[i] × rung[i]`, plus the separate audio.
    pub avg_bitrate: Bitrate,
    /// `avg_bitrate / 8 × sent_time`, with the packaging overhead: the bytes sent.
    pub egress: Bytes,
    /// One request per segment fetched, per track.
    pub segment_requests: Decimal,
    /// Per session: the multivariant playlist, a media playlist per track, one per rung
    /// switch; per preloaded impression, its multivariant and media playlists.
    pub playlist_requests: Decimal,
    pub requests_total: Decimal,
}

/// Seconds players fetch per second watched. A session that ends before its title does
/// leaves what the player had buffered ahead fetched and unwatched (hls.js and video.js buffer
/// 30 s by default); a preloaded impression that is never played leaves its preload. Per
/// session that is `early_exit_share × buffer_ahead + impressions × preload` seconds, over a
/// session of `avg_view_minutes`. `usage calibrate` divides delivered bytes by the same ratio
/// to recover the minutes watched.
/// No more of a title is fetched ahead, or preloaded, than the title holds: a 15-second
/// clip leaves at most 15 seconds unwatched, whatever the player's buffer. And a session
/// fetches no more than its title: on average a session watches `avg_view_minutes`, so the
/// buffer its early end leaves is at most the rest of the title, `avg_title_minutes −
/// avg_view_minutes` (none when sessions watch whole titles on average).
pub fn sent_per_watched(s: &Scenario) -> Decimal {
    let a = &s.audience;
    let title = s.content.avg_title_minutes.seconds().0;
    let unwatched_per_session =
        early_exit_buffer(s) + a.impressions_per_session * a.preload_seconds.min(title);
    Decimal::ONE + unwatched_per_session / a.avg_view_minutes.seconds().0
}

/// Seconds an average session fetches and leaves unwatched when it ends early:
/// `early_exit_share × buffer_ahead_seconds`, no buffer longer than the title, and no more
/// than the title's seconds left after the average session's viewing.
pub fn early_exit_buffer(s: &Scenario) -> Decimal {
    let a = &s.audience;
    let title = s.content.avg_title_minutes.seconds().0;
    let left = (title - a.avg_view_minutes.seconds().0).max(Decimal::ZERO);
    (a.early_exit_share * a.buffer_ahead_seconds.min(title)).min(left)
}

/// Says so when the sessions that end early would leave more unwatched than their titles
/// hold, and [`early_exit_buffer`] counts less than the scenario's buffer.
pub fn early_exit_note(s: &Scenario) -> Option<String> {
    let a = &s.audience;
    let title = s.content.avg_title_minutes.seconds().0;
    let asked = a.early_exit_share * a.buffer_ahead_seconds.min(title);
    let counted = early_exit_buffer(s);
    (counted < asked).then(|| {
        let n = |d: Decimal| d.round_dp(2).normalize();
        let watched = if a.view_is_title {
            "`audience.avg_view_minutes` is left out, so sessions watch whole titles on average; write the minutes a session watches there".to_string()
        } else {
            format!(
                "`audience.avg_view_minutes` {} of `content.avg_title_minutes` {}",
                n(a.avg_view_minutes.0),
                n(s.content.avg_title_minutes.0)
            )
        };
        format!(
            "sessions ending early (`audience.early_exit_share` {} × `buffer_ahead_seconds` {}) would leave {} s a session unwatched, more than the {} s of its title an average session does not watch ({watched}): {} s counted",
            n(a.early_exit_share),
            n(a.buffer_ahead_seconds),
            n(asked),
            n((title - a.avg_view_minutes.seconds().0).max(Decimal::ZERO)),
            n(counted),
        )
    })
}

/// Playlist requests of one session: the multivariant playlist, a media playlist per track,
/// and one more per rung switch (the player loads the new rung's media playlist). A ladder
/// of one rung has nothing to switch to.
pub fn playlists_per_session(s: &Scenario) -> Decimal {
    let switches = if s.ladder.rungs.len() > 1 {
        s.audience.rung_switches_per_session
    } else {
        Decimal::ZERO
    };
    Decimal::ONE + s.ladder.tracks() + switches
}

/// Playlist requests of one preloaded impression: its multivariant and media playlists.
pub fn playlists_per_impression(s: &Scenario) -> Decimal {
    Decimal::ONE + s.ladder.tracks()
}

impl Drivers {
    pub fn of(s: &Scenario) -> Drivers {
        let content = &s.content;
        let ladder = &s.ladder;
        let audience = &s.audience;
        let overhead = Decimal::ONE + ladder.packaging_overhead;
        let minute = Minutes(Decimal::ONE).seconds();
        let titles = content.new_minutes_per_month.0 / content.avg_title_minutes.0;
        let title_seconds = content.avg_title_minutes.seconds();
        let billed_title = title_seconds.max(MEDIACONVERT_MINIMUM_OUTPUT).minutes();
        let segments_per_title = (title_seconds.0 / ladder.segment_seconds).ceil();

        let watch_time = audience.watch_minutes_per_month.seconds();
        let sessions = audience.watch_minutes_per_month.0 / audience.avg_view_minutes.0;
        let sent_time = Seconds(watch_time.0 * sent_per_watched(s));

        let separate = ladder.audio == AudioLayout::Separate;
        let track = |rate: Bitrate, share: Decimal| TrackDrivers {
            bitrate: rate,
            bytes_per_content_minute: rate.bytes_over(minute) * overhead,
            output_minutes: Minutes(titles * billed_title.0),
            segment_bytes: rate.bytes_over(Seconds(ladder.segment_seconds)) * overhead,
            segments_per_title,
            delivered: rate.bytes_over(sent_time) * share * overhead,
        };
        let rungs: Vec<RungDrivers> = ladder
            .rungs
            .iter()
            .map(|r| RungDrivers {
                class: ResolutionClass::of(r),
                track: track(r.total_bitrate(), r.watch_share),
            })
            .collect();
        let audio = separate.then(|| track(ladder.audio_bitrate, Decimal::ONE));

        let avg_bitrate = ladder.rungs.iter().fold(Bitrate::default(), |acc, r| {
            acc + r.total_bitrate() * r.watch_share
        }) + audio.as_ref().map_or(Bitrate::default(), |a| a.bitrate);
        let egress = avg_bitrate.bytes_over(sent_time) * overhead;

        let tracks = ladder.tracks();
        let rung_count = Decimal::from(ladder.rungs.len());
        let media_playlists = rung_count + Decimal::from(u8::from(separate));
        let source_object = if content.source_bitrate.bits_per_second().is_zero() {
            Decimal::ZERO
        } else {
            Decimal::ONE
        };
        let objects_per_title =
            media_playlists * (segments_per_title + Decimal::ONE) + Decimal::ONE + source_object;
        let media_playlist_bytes =
            Bytes(PLAYLIST_HEADER_BYTES + PLAYLIST_BYTES_PER_SEGMENT * segments_per_title);
        let multivariant_bytes =
            Bytes(PLAYLIST_HEADER_BYTES + MULTIVARIANT_BYTES_PER_ENTRY * media_playlists);

        let segment_requests = sent_time.0 / ladder.segment_seconds * tracks;
        let playlist_requests = sessions
            * (playlists_per_session(s)
                + audience.impressions_per_session * playlists_per_impression(s));
        Drivers {
            titles_per_month: titles,
            rungs,
            audio,
            media_playlist_bytes,
            multivariant_bytes,
            objects_per_title,
            watch_time,
            sessions,
            sent_time,
            avg_bitrate,
            egress,
            segment_requests,
            playlist_requests,
            requests_total: segment_requests + playlist_requests,
        }
    }
}

/// The most of anything the engine counts in one month: 10^21 (a zettabyte of bytes, about
/// twice what the whole internet carries in a month). Every field is capped on its own, but a
/// month multiplies several of them (watch time × bitrate × preload, titles × comments ×
/// characters); kept under this bound, every product the engine forms stays far below the
/// largest number its exact arithmetic holds (about 7.9 × 10^28, rust_decimal's limit),
/// with room for prices, hours and the months a title is kept.
pub const MAX_MONTHLY_COUNT: f64 = 1e21;

/// A quantity of the month beyond [`MAX_MONTHLY_COUNT`]: what it counts, its size, and the
/// fields that make it.
#[derive(Clone, Debug, PartialEq)]
pub struct Excess {
    pub what: &'static str,
    pub value: f64,
    pub fields: &'static str,
}

impl Excess {
    /// What the month would count, as an error says it.
    pub fn message(&self) -> String {
        format!(
            "the month would count about {:.1e} {}, more than the 10^21 ladderwise prices exactly (a zettabyte a month is about twice the whole internet's traffic)",
            self.value, self.what
        )
    }
}

/// The first of the month's largest quantities that goes beyond [`MAX_MONTHLY_COUNT`], if
/// one does. Bounds in `f64` (which cannot overflow here) from the same formulas as
/// [`Drivers::of`] and the stages, each taken at its largest (every rung at once, every
/// allowance for a title added up), so a scenario that passes cannot overflow the engine.
pub fn beyond_counting(s: &Scenario) -> Option<Excess> {
    use rust_decimal::prelude::ToPrimitive;
    let f = |d: Decimal| d.to_f64().unwrap_or(f64::MAX).abs();
    let opt = |d: Option<Decimal>| d.map_or(1.0, f);
    let (c, l, a, v, n, p) = (
        &s.content,
        &s.ladder,
        &s.audience,
        &s.vision,
        &s.nlp,
        &s.pipeline,
    );
    let overhead = 1.0 + f(l.packaging_overhead);
    let bits_per_second: f64 = l
        .rungs
        .iter()
        .map(|r| f(r.total_bitrate().bits_per_second()))
        .sum::<f64>()
        + f(l.audio_bitrate.bits_per_second())
        + f(c.source_bitrate.bits_per_second())
        + p.upload_kbps.map_or(0.0, |k| f(k) * 1000.0);
    let tracks = f(l.tracks()) + l.rungs.len() as f64;
    let segment = f(l.segment_seconds).max(f64::MIN_POSITIVE);
    let view_seconds = (f(a.avg_view_minutes.0) * 60.0).max(f64::MIN_POSITIVE);
    let watch_seconds = f(a.watch_minutes_per_month.0) * 60.0;
    let unwatched = f(a.early_exit_share) * f(a.buffer_ahead_seconds)
        + f(a.impressions_per_session) * f(a.preload_seconds);
    let sent_seconds = watch_seconds * (1.0 + unwatched / view_seconds);
    let sessions = watch_seconds / view_seconds;
    let content_seconds = (f(c.new_minutes_per_month.0) + f(c.library_minutes.0)) * 60.0;
    let titles = f(c.new_minutes_per_month.0) / f(c.avg_title_minutes.0).max(f64::MIN_POSITIVE);
    let images_per_title = f(v.moderation_images_per_title)
        + f(v.label_images_per_title)
        + f(v.text_images_per_title)
        + f(v.face_images_per_title)
        + f(v.face_search_images_per_title)
        + f(v.faces_indexed_per_title);
    let images = titles * images_per_title + f(v.frames_per_minute) * content_seconds / 60.0;
    let per_title = opt(p.lambda_invocations_per_title)
        + opt(p.dynamodb_writes_per_title)
        + f(p.dynamodb_reads_per_title)
        + opt(p.sns_publishes_per_title)
        + opt(p.sqs_requests_per_title)
        + f(p.review_transitions)
        + images_per_title
        + 4.0;
    let chars = f(n.documents_per_month) * f(n.avg_chars)
        + titles * f(n.comments_per_title) * f(n.comment_chars)
        + images * f(n.ocr_chars)
        + f(n.custom_async_documents_per_month) * opt(n.custom_async_chars).max(f(n.avg_chars));
    let quantities = [
        (
            "bytes delivered",
            sent_seconds * bits_per_second / 8.0 * overhead,
            "audience.watch_minutes_per_month, audience.preload_seconds, audience.impressions_per_session and the rungs' bitrates",
        ),
        (
            // A month holds its library and its uploads (`storage::strips`); retention only
            // deletes, so however long it keeps content it adds nothing to count.
            "bytes stored",
            content_seconds * bits_per_second / 8.0 * overhead,
            "content.new_minutes_per_month, content.library_minutes, the rungs' bitrates and content.source_kbps (the source kept beside them)",
        ),
        (
            "requests",
            sent_seconds / segment * tracks
                + sessions
                    * (2.0
                        + tracks
                        + f(a.rung_switches_per_session)
                        + f(a.impressions_per_session) * (1.0 + tracks)),
            "audience.watch_minutes_per_month, audience.avg_view_minutes, audience.impressions_per_session and ladder.segment_seconds",
        ),
        (
            "objects written",
            content_seconds / segment * tracks + titles * per_title,
            "content.new_minutes_per_month, content.avg_title_minutes and ladder.segment_seconds",
        ),
        (
            "images analysed",
            images,
            "content.new_minutes_per_month, content.avg_title_minutes and the [vision] counts per title",
        ),
        (
            "characters analysed",
            chars,
            "the [nlp] documents, comments and characters, and content.avg_title_minutes",
        ),
        (
            "Lambda GB-seconds",
            titles * per_title * f(p.lambda_seconds) * f(p.lambda_memory_mb) / 1024.0,
            "the [pipeline] invocations, seconds and memory, and content.avg_title_minutes",
        ),
    ];
    quantities
        .into_iter()
        .find(|(_, value, _)| !(value.is_finite() && *value <= MAX_MONTHLY_COUNT))
        .map(|(what, value, fields)| Excess {
            what,
            value,
            fields,
        })
}
