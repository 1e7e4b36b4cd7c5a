//! Sweeps and break-even points: a sweep point is a plain estimate of the modified scenario;
//! break-evens are checked against crossings computed by hand.

mod support;

use std::str::FromStr;

use ladderwise_model::engine::{Stage, estimate};
use ladderwise_model::scenario::path::PathError;
use ladderwise_model::scenario::{MediaConvertTier, Scenario};
use ladderwise_model::sweep::{Choice, SweepError, Vary, break_even, sweep, with_field};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

use support::{shipped_book as book, shipped_scenario as shipped};

/// One SD rung, 5-minute titles: MediaConvert Basic bills 1 normalized minute per minute at
/// $0.0075; Elastic Transcoder bills $0.015 per minute after 20 free SD minutes.
const ONE_SD_RUNG: &str = r#"
[scenario]
name = "one rung"
[content]
new_minutes_per_month = 100
avg_title_minutes = 5
[[ladder.rungs]]
name = "360p"
width = 640
height = 360
fps = 30
codec = "avc"
video_kbps = 800
audio_kbps = 96
watch_share = 1
[audience]
watch_minutes_per_month = 1000
geo = { us = 1 }
"#;

#[test]
fn vary_reads_ranges_and_keeps_the_last_point() {
    let v: Vary = "delivery.cache_hit_rate=0:1:0.05".parse().unwrap();
    let values = v.values();
    assert_eq!(values.len(), 21);
    assert_eq!(values[0], d("0"));
    assert_eq!(values[20], d("1"));
    assert_eq!(values[1], d("0.05"));
    for range in [
        "a=0:1:0.05",
        "a=0:1:0.3",
        "a=5:5:1",
        "a=0:10000:7",
        "a=0.1:0.7:0.2",
    ] {
        let v: Vary = range.parse().unwrap();
        assert_eq!(v.count(), v.values().len(), "{range}");
    }
    // Each refusal says what is wrong, and a range that only lacks its step or runs
    // backwards is written out as it should be.
    for (bad, says) in [
        ("x", "no `=`"),
        (
            "a=1:2",
            "is not FROM:TO:STEP\nhint: write FIELD=FROM:TO:STEP, e.g. `--vary delivery.cache_hit_rate=0:1:0.05`, here `a=1:2:STEP`",
        ),
        (
            "a=2:1:0.5",
            "TO is below FROM\nhint: write FIELD=FROM:TO:STEP, e.g. `--vary delivery.cache_hit_rate=0:1:0.05`, here `a=1:2:0.5`",
        ),
        ("a=0:1:0", "STEP must be greater than 0"),
        ("a=0:1:-1", "STEP must be greater than 0"),
        ("a=x:1:1", "must be numbers"),
    ] {
        let err = bad.parse::<Vary>().unwrap_err();
        assert!(matches!(err, SweepError::Syntax(..)), "{bad}");
        assert!(err.to_string().contains(says), "{bad}: {err}");
    }
}

#[test]
fn a_sweep_point_is_the_estimate_of_the_modified_scenario() {
    let s = shipped("ugc-short-form");
    let b = book();
    let v: Vary = "delivery.cache_hit_rate=0.5:0.9:0.2".parse().unwrap();
    let points = sweep(&s, &b, std::slice::from_ref(&v)).unwrap();
    assert_eq!(points.len(), 3);
    for p in &points {
        let mut modified = s.clone();
        modified.delivery.cache_hit_rate = p.values[0];
        assert_eq!(p.estimate, estimate(&modified, &b));
    }
}

#[test]
fn several_varies_make_a_grid_last_field_fastest() {
    let s = shipped("ugc-short-form");
    let varies: Vec<Vary> = [
        "content.new_minutes_per_month=1000:3000:1000",
        "ladder.rungs[1].video_kbps=2000:3000:1000",
    ]
    .iter()
    .map(|v| v.parse().unwrap())
    .collect();
    let points = sweep(&s, &book(), &varies).unwrap();
    let values: Vec<Vec<Decimal>> = points.iter().map(|p| p.values.clone()).collect();
    assert_eq!(
        values,
        vec![
            vec![d("1000"), d("2000")],
            vec![d("1000"), d("3000")],
            vec![d("2000"), d("2000")],
            vec![d("2000"), d("3000")],
            vec![d("3000"), d("2000")],
            vec![d("3000"), d("3000")],
        ]
    );
    // Rungs can be named too.
    let by_name = with_field(&s, "ladder.rungs.720p.video_kbps", d("2500")).unwrap();
    assert_eq!(by_name.ladder.rungs[0].video.kbps(), d("2500"));
}

#[test]
fn bad_sweeps_say_what_to_write() {
    let s = shipped("ugc-short-form");
    let b = book();
    let err = |text: &str| sweep(&s, &b, &[text.parse().unwrap()]).unwrap_err();
    assert!(matches!(
        err("delivery.cache_hit_rate=0:2:0.5"),
        SweepError::Path(PathError::Rule { .. })
    ));
    assert!(matches!(
        err("delivery.colour=0:1:0.5"),
        SweepError::Path(PathError::Unknown { .. })
    ));
    assert!(matches!(
        err("ladder.rungs[9].video_kbps=1:2:1"),
        SweepError::Path(PathError::NoItem { .. })
    ));
    assert!(matches!(
        err("ladder.rungs[1].watch_share=0:1:0.5"),
        SweepError::NotVaried(..)
    ));
    assert!(matches!(
        err("ladder.rungs[0].video_kbps=1:2:1"),
        SweepError::Path(PathError::FromZero { .. })
    ));
    assert!(matches!(
        err("content.library_minutes=0:100000:1"),
        SweepError::TooLarge(100_001)
    ));
    assert!(err("delivery.colour=0:1:0.5").to_string().contains("hint:"));
}

/// A swept value is refused exactly when the same value in the file is.
/// A title length swept is the file written with that length: a view the file does not
/// give is a whole title at every point (the view stayed at the file's title length, so a
/// sweep of 0.5 to 2-minute titles gave the same total at both ends).
#[test]
fn a_swept_title_length_carries_a_view_the_file_leaves_to_it() {
    let b = book();
    let s = Scenario::from_toml("one.toml", ONE_SD_RUNG).unwrap();
    let v: Vary = "content.avg_title_minutes=1:9:4".parse().unwrap();
    let points = sweep(&s, &b, std::slice::from_ref(&v)).unwrap();
    assert_eq!(points.len(), 3);
    for p in &points {
        let text = ONE_SD_RUNG.replacen(
            "avg_title_minutes = 5",
            &format!("avg_title_minutes = {}", p.values[0]),
            1,
        );
        let file = Scenario::from_toml("one.toml", &text).unwrap();
        assert_eq!(p.estimate, estimate(&file, &b), "{}", p.values[0]);
    }
    // A view the file gives stays as given.
    let given = ONE_SD_RUNG.replacen(
        "geo = { us = 1 }",
        "geo = { us = 1 }\navg_view_minutes = 3",
        1,
    );
    let s = Scenario::from_toml("one.toml", &given).unwrap();
    let moved = with_field(&s, "content.avg_title_minutes", d("9")).unwrap();
    assert_eq!(moved.audience.avg_view_minutes.0, d("3"));
}

#[test]
fn sweeps_check_values_as_the_file_does() {
    let s = shipped("ugc-short-form");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/ugc-short-form.toml"
    ))
    .unwrap();
    for (path, key, value) in [
        ("ladder.rungs[1].audio_kbps", "audio_kbps = 128", "200000"),
        ("ladder.rungs[1].audio_kbps", "audio_kbps = 128", "100000"),
        ("ladder.segment_seconds", "segment_seconds = 6", "0.05"),
        ("ladder.segment_seconds", "segment_seconds = 6", "0.1"),
        (
            "nlp.documents_per_month",
            "documents_per_month = 200000",
            "1.5",
        ),
        (
            "content.avg_title_minutes",
            "avg_title_minutes = 4.0",
            "0.001",
        ),
        ("delivery.cache_hit_rate", "cache_hit_rate = 0.95", "95"),
        // The ladder's audio is muxed: a separate rendition's bitrate has no place in it.
        ("ladder.audio_kbps", "segment_seconds = 6", "128"),
    ] {
        let (k, _) = key.split_once(" = ").unwrap();
        let edited = if path == "ladder.audio_kbps" {
            text.replacen(key, &format!("{key}\naudio_kbps = {value}"), 1)
        } else {
            text.replacen(key, &format!("{k} = {value}"), 1)
        };
        let file_ok = Scenario::from_toml("edited", &edited).is_ok();
        let sweep_ok = with_field(&s, path, d(value)).is_ok();
        assert_eq!(file_ok, sweep_ok, "{path} = {value}");
    }
}

#[test]
fn mediaconvert_basic_and_elastic_transcoder_break_even_at_40_minutes() {
    // ETS: 0.015 * (m - 20) = MediaConvert: 0.0075 * m  =>  m = 40 minutes.
    let s = Scenario::from_toml("one.toml", ONE_SD_RUNG).unwrap();
    let crossings = break_even(
        &s,
        &book(),
        "content.new_minutes_per_month",
        d("0"),
        d("1000"),
        (
            Choice::MediaConvert(MediaConvertTier::Basic),
            Choice::ElasticTranscoder,
        ),
        |e| e.stage_total(Stage::Transcode),
    )
    .unwrap();
    let real: Vec<_> = crossings.iter().filter(|c| !c.cost.0.is_zero()).collect();
    assert_eq!(real.len(), 1, "{crossings:?}");
    assert!(
        (real[0].value - d("40")).abs() < d("0.001"),
        "{:?}",
        real[0]
    );
    // At 40 minutes both cost 40 * 0.0075 = $0.30.
    assert!((real[0].cost.0 - d("0.3")).abs() < d("0.00001"));
}

#[test]
fn no_break_even_where_one_choice_is_always_cheaper() {
    // MediaConvert Professional costs more than Basic at every volume of AVC single-pass SD.
    let s = Scenario::from_toml("one.toml", ONE_SD_RUNG).unwrap();
    let crossings = break_even(
        &s,
        &book(),
        "content.new_minutes_per_month",
        d("1"),
        d("100000"),
        (
            Choice::MediaConvert(MediaConvertTier::Basic),
            Choice::MediaConvert(MediaConvertTier::Professional),
        ),
        |e| e.stage_total(Stage::Transcode),
    )
    .unwrap();
    assert!(crossings.is_empty(), "{crossings:?}");
}

mod price_diff {
    use super::*;
    use ladderwise_model::pricebook::diff;

    #[test]
    fn a_snapshot_compared_with_itself_has_no_changes() {
        let b = book();
        let d = diff(&b, &b);
        assert!(d.added.is_empty() && d.removed.is_empty() && d.repriced.is_empty());
        assert_eq!(d.unchanged, b.records().len());
    }
}

/// The range's end is its last point whether or not a step lands on it, and `count` says as
/// many points as `values` gives.
#[test]
fn a_sweep_ends_at_its_to() {
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    for (text, want) in [
        (
            "delivery.cache_hit_rate=0.9:0.95:0.03",
            vec!["0.9", "0.93", "0.95"],
        ),
        (
            "delivery.cache_hit_rate=0:0.1:0.05",
            vec!["0", "0.05", "0.1"],
        ),
        ("delivery.cache_hit_rate=0.5:0.5:0.1", vec!["0.5"]),
    ] {
        let vary: ladderwise_model::sweep::Vary = text.parse().unwrap();
        let want: Vec<rust_decimal::Decimal> = want.into_iter().map(d).collect();
        assert_eq!(vary.values(), want, "{text}");
        assert_eq!(vary.count(), want.len(), "{text}");
    }
    let twenty_one: ladderwise_model::sweep::Vary =
        "delivery.cache_hit_rate=0:1:0.05".parse().unwrap();
    assert_eq!(twenty_one.values().len(), 21);
    assert_eq!(twenty_one.count(), 21);
}
