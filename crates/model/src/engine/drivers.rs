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
pub fn sent_per_watched(s: &Scenario) -> Decimal {
    let a = &s.audience;
    let unwatched_per_session =
        a.early_exit_share * a.buffer_ahead_seconds + a.impressions_per_session * a.preload_seconds;
    Decimal::ONE + unwatched_per_session / a.avg_view_minutes.seconds().0
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
        let playlists_per_session = Decimal::ONE + tracks + audience.rung_switches_per_session;
        let playlists_per_impression = Decimal::ONE + tracks;
        let playlist_requests = sessions
            * (playlists_per_session + audience.impressions_per_session * playlists_per_impression);
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
