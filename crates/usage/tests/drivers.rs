//! Monthly drivers from hand-made series: duplicates, gaps, UTC month boundaries, the
//! request-weighted hit rate and unit conversions, each checked by hand.

use ladderwise_usage::calendar::parse_iso;
use ladderwise_usage::{MonthDrivers, Point, dimensions, monthly_drivers};

fn point(ts: &str, ns: &str, metric: &str, dims: &[(&str, &str)], stat: &str, value: f64) -> Point {
    Point {
        timestamp_ms: parse_iso(ts).unwrap(),
        namespace: ns.into(),
        metric: metric.into(),
        dimensions: dimensions(dims),
        statistic: stat.into(),
        value,
    }
}

const CF: &[(&str, &str)] = &[("DistributionId", "E1"), ("Region", "Global")];

fn cf(ts: &str, metric: &str, stat: &str, value: f64) -> Point {
    point(ts, "AWS/CloudFront", metric, CF, stat, value)
}

fn month<'a>(ms: &'a [MonthDrivers], label: &str) -> &'a MonthDrivers {
    ms.iter().find(|m| m.month == label).unwrap()
}

#[test]
fn datapoints_fall_in_their_utc_month() {
    let ms = monthly_drivers(&[
        cf("2026-09-30T23:59:59Z", "BytesDownloaded", "Sum", 100.0),
        cf("2026-10-01T00:00:00Z", "BytesDownloaded", "Sum", 7.0),
    ])
    .unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(month(&ms, "2026-09").delivered_bytes, Some(100.0));
    assert_eq!(month(&ms, "2026-10").delivered_bytes, Some(7.0));
    assert_eq!(month(&ms, "2026-09").days_in_month, 30);
}

#[test]
fn duplicates_count_once_and_the_last_wins() {
    let ms = monthly_drivers(&[
        cf("2026-09-01T00:00:00Z", "Requests", "Sum", 10.0),
        cf("2026-09-01T00:00:00Z", "Requests", "Sum", 12.0),
        cf("2026-09-01T01:00:00Z", "Requests", "Sum", 5.0),
    ])
    .unwrap();
    // 12 (the later copy of the first hour) + 5.
    assert_eq!(month(&ms, "2026-09").requests, Some(17.0));
}

#[test]
fn gaps_show_as_missing_days() {
    // Data on 29 of September's 30 days: not a full month.
    let points: Vec<Point> = (1..=30)
        .filter(|d| *d != 15)
        .map(|d| cf(&format!("2026-09-{d:02}T12:00:00Z"), "Requests", "Sum", 1.0))
        .collect();
    let ms = monthly_drivers(&points).unwrap();
    let sep = month(&ms, "2026-09");
    assert_eq!(sep.days_with_data, 29);
    assert!(!sep.is_full());
    assert_eq!(sep.requests, Some(29.0));
    // Requests alone: bytes delivered are not known, which is not 0.
    assert_eq!(sep.delivered_bytes, None);
}

#[test]
fn a_month_without_data_between_two_with_is_listed_empty() {
    let ms = monthly_drivers(&[
        cf("2026-08-10T00:00:00Z", "BytesDownloaded", "Sum", 5.0),
        cf("2026-11-10T00:00:00Z", "BytesDownloaded", "Sum", 7.0),
    ])
    .unwrap();
    let labels: Vec<&str> = ms.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(labels, ["2026-08", "2026-09", "2026-10", "2026-11"]);
    let gap = month(&ms, "2026-09");
    assert_eq!((gap.days_with_data, gap.days_in_month), (0, 30));
    assert_eq!(gap.delivered_bytes, None, "not measured, not 0");
    assert!(!gap.is_full());
}

#[test]
fn the_hit_rate_is_weighted_by_requests() {
    // Hour 1: 90 % of 1,000 requests; hour 2: 50 % of 3,000. Weighted: (900 + 1,500) / 4,000
    // = 60 %, where a plain mean would say 70 %. A rate with no request count is left out.
    let ms = monthly_drivers(&[
        cf("2026-09-01T00:00:00Z", "CacheHitRate", "Average", 90.0),
        cf("2026-09-01T00:00:00Z", "Requests", "Sum", 1000.0),
        cf("2026-09-01T01:00:00Z", "CacheHitRate", "Average", 50.0),
        cf("2026-09-01T01:00:00Z", "Requests", "Sum", 3000.0),
        cf("2026-09-01T02:00:00Z", "CacheHitRate", "Average", 10.0),
    ])
    .unwrap();
    let rate = month(&ms, "2026-09").cache_hit_rate.unwrap();
    assert!((rate - 0.6).abs() < 1e-12, "{rate}");
}

#[test]
fn mediaconvert_milliseconds_become_minutes_by_class_and_s3_bytes_average() {
    let q = &[("Queue", "arn:aws:mediaconvert:us-east-1:1:queues/Default")];
    let b = |t: &'static str| [("BucketName", "media"), ("StorageType", t)];
    let ms = monthly_drivers(&[
        point(
            "2026-09-01T00:00:00Z",
            "AWS/MediaConvert",
            "HDOutputDuration",
            q,
            "Sum",
            600_000.0,
        ),
        point(
            "2026-09-02T00:00:00Z",
            "AWS/MediaConvert",
            "HDOutputDuration",
            q,
            "Sum",
            60_000.0,
        ),
        point(
            "2026-09-01T00:00:00Z",
            "AWS/MediaConvert",
            "SDOutputDuration",
            q,
            "Sum",
            120_000.0,
        ),
        point(
            "2026-09-01T00:00:00Z",
            "AWS/MediaConvert",
            "AudioOutputDuration",
            q,
            "Sum",
            60_000.0,
        ),
        point(
            "2026-09-01T00:00:00Z",
            "AWS/MediaConvert",
            "JobsCompletedCount",
            q,
            "Sum",
            3.0,
        ),
        point(
            "2026-09-01T00:00:00Z",
            "AWS/S3",
            "BucketSizeBytes",
            &b("StandardStorage"),
            "Average",
            100.0,
        ),
        point(
            "2026-09-02T00:00:00Z",
            "AWS/S3",
            "BucketSizeBytes",
            &b("StandardStorage"),
            "Average",
            300.0,
        ),
        point(
            "2026-09-01T00:00:00Z",
            "AWS/S3",
            "BucketSizeBytes",
            &b("StandardIAStorage"),
            "Average",
            50.0,
        ),
    ])
    .unwrap();
    let sep = month(&ms, "2026-09");
    // 660,000 ms = 11 minutes HD; 2 minutes SD; 1 minute audio.
    assert_eq!(sep.output_minutes["HD"], 11.0);
    assert_eq!(sep.output_minutes["SD"], 2.0);
    assert_eq!(sep.video_output_minutes(), 13.0);
    assert_eq!(sep.jobs_completed, 3.0);
    // Daily averages 100 and 300: 200 bytes stored on average.
    assert_eq!(sep.stored_bytes["StandardStorage"], 200.0);
    assert_eq!(sep.stored_bytes["StandardIAStorage"], 50.0);
}

#[test]
fn nothing_in_nothing_out() {
    assert!(monthly_drivers(&[]).unwrap().is_empty());
}

/// Bytes stored are the month's average of what all buckets hold each day: a bucket made on
/// the 16th holds nothing before it, not its own average all month (GB-months are billed so).
#[test]
fn a_bucket_made_mid_month_holds_half_a_month() {
    let tib = 1_099_511_627_776.0;
    let s3 = |bucket: &str, day: u32| {
        point(
            &format!("2026-09-{day:02}T00:00:00Z"),
            "AWS/S3",
            "BucketSizeBytes",
            &[("BucketName", bucket), ("StorageType", "StandardStorage")],
            "Average",
            100.0 * tib,
        )
    };
    let mut points: Vec<Point> = (1..=30).map(|d| s3("old", d)).collect();
    points.extend((16..=30).map(|d| s3("new", d)));
    let ms = monthly_drivers(&points).unwrap();
    let stored = month(&ms, "2026-09").stored_bytes["StandardStorage"];
    assert_eq!(stored / tib, 150.0);
}

/// A month whose data stop at 01:00 on its last day has not measured that day: hourly data
/// through the 30th's 01:00 hour are 29 days, not a full month. Through 23:00 they are 30.
#[test]
fn a_last_day_cut_short_is_not_a_day() {
    let hours = |last_day_hours: u32| -> Vec<Point> {
        (1..=30)
            .flat_map(|d| {
                let n = if d == 30 { last_day_hours } else { 24 };
                (0..n).map(move |h| (d, h))
            })
            .map(|(d, h)| {
                cf(
                    &format!("2026-09-{d:02}T{h:02}:00:00Z"),
                    "BytesDownloaded",
                    "Sum",
                    1.0,
                )
            })
            .collect()
    };
    let cut = monthly_drivers(&hours(2)).unwrap();
    assert_eq!(month(&cut, "2026-09").days_with_data, 29);
    assert!(!month(&cut, "2026-09").is_full());
    let whole = monthly_drivers(&hours(24)).unwrap();
    assert_eq!(month(&whole, "2026-09").days_with_data, 30);
    // Daily datapoints at midnight each stand for their whole day.
    let daily: Vec<Point> = (1..=30)
        .map(|d| {
            cf(
                &format!("2026-09-{d:02}T00:00:00Z"),
                "BytesDownloaded",
                "Sum",
                1.0,
            )
        })
        .collect();
    assert!(month(&monthly_drivers(&daily).unwrap(), "2026-09").is_full());
}
