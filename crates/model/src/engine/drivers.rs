//! The month's physical quantities, before any price: titles, output minutes, bytes, objects,
//! watch time, egress and requests. Every formula here is from DESIGN.md's cost model.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::scenario::{Rung, Scenario};
use crate::units::{Bitrate, Bytes, Minutes, Seconds};

/// MediaConvert bills every output for at least 10 seconds (MediaConvert pricing page:
/// "minimum billing increment of 10 seconds" per output).
pub const MEDIACONVERT_MINIMUM_OUTPUT: Seconds = Seconds(Decimal::from_parts(10, 0, 0, false, 0));

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
    /// under 720 lines SD, up to 1080 HD, up to 2160 UHD, above that 8K. AWS's exact pixel
    /// boundaries are not published in a form we could verify.
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

/// One rung's quantities for the month.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RungDrivers {
    pub class: ResolutionClass,
    /// Video + audio + packaging overhead, per minute of content.
    pub bytes_per_content_minute: Bytes,
    /// Output minutes transcoded this month, per-output minimum applied.
    pub output_minutes: Minutes,
    /// Bytes of one media segment.
    pub segment_bytes: Bytes,
    /// Segments in one title of average length.
    pub segments_per_title: Decimal,
    /// Bytes delivered to viewers from this rung this month.
    pub delivered: Bytes,
}

/// The month's quantities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drivers {
    pub titles_per_month: Decimal,
    pub rungs: Vec<RungDrivers>,
    /// Objects written per title: every segment of every rung, a media playlist per rung, the
    /// multivariant playlist, and the source when it is kept.
    pub objects_per_title: Decimal,
    /// Watch time of the month.
    pub watch_time: Seconds,
    /// `Σ watch_share[i] * (video[i] + audio[i])`, the rate an average viewer receives.
    pub avg_bitrate: Bitrate,
    /// `avg_bitrate / 8 * watch_time`, with the packaging overhead.
    pub egress: Bytes,
    /// One request per segment watched.
    pub segment_requests: Decimal,
    /// The multivariant and one media playlist per viewing session.
    pub playlist_requests: Decimal,
    pub requests_total: Decimal,
}

impl Drivers {
    pub fn of(s: &Scenario) -> Drivers {
        let content = &s.content;
        let ladder = &s.ladder;
        let overhead = Decimal::ONE + ladder.packaging_overhead;
        let minute = Minutes(Decimal::ONE).seconds();
        let titles = content.new_minutes_per_month.0 / content.avg_title_minutes.0;
        let title_seconds = content.avg_title_minutes.seconds();
        let billed_title = title_seconds.max(MEDIACONVERT_MINIMUM_OUTPUT).minutes();
        let segments_per_title = (title_seconds.0 / ladder.segment_seconds).ceil();
        let watch_time = s.audience.watch_minutes_per_month.seconds();

        let avg_bitrate = ladder.rungs.iter().fold(Bitrate::default(), |acc, r| {
            acc + r.total_bitrate() * r.watch_share
        });
        let egress = avg_bitrate.bytes_over(watch_time) * overhead;

        let rungs = ladder
            .rungs
            .iter()
            .map(|r| {
                let rate = r.total_bitrate();
                RungDrivers {
                    class: ResolutionClass::of(r),
                    bytes_per_content_minute: rate.bytes_over(minute) * overhead,
                    output_minutes: Minutes(titles * billed_title.0),
                    segment_bytes: rate.bytes_over(Seconds(ladder.segment_seconds)) * overhead,
                    segments_per_title,
                    delivered: rate.bytes_over(watch_time) * r.watch_share * overhead,
                }
            })
            .collect();

        let rung_count = Decimal::from(ladder.rungs.len());
        let source_object = if content.source_bitrate.bits_per_second().is_zero() {
            Decimal::ZERO
        } else {
            Decimal::ONE
        };
        let objects_per_title =
            rung_count * (segments_per_title + Decimal::ONE) + Decimal::ONE + source_object;

        let segment_requests = watch_time.0 / ladder.segment_seconds;
        let sessions = s.audience.watch_minutes_per_month.0 / s.audience.avg_view_minutes.0;
        let playlist_requests = sessions * Decimal::TWO;
        Drivers {
            titles_per_month: titles,
            rungs,
            objects_per_title,
            watch_time,
            avg_bitrate,
            egress,
            segment_requests,
            playlist_requests,
            requests_total: segment_requests + playlist_requests,
        }
    }
}
