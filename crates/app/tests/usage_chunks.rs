//! A usage file imported in chunks of a few kilobytes, its datapoints staged in files past a
//! budget of a few kilobytes: the store ends up holding what a whole-file read gives (the
//! later of two values for one datapoint, quoted fields with commas and newlines intact),
//! no staging file is left, and a bad line anywhere imports nothing and is named.

use std::collections::BTreeMap;

use ladderwise_app::usage::{self, ImportLimits};

const HEADER: &str = "timestamp,namespace,metric,dimensions,statistic,value";

/// Hourly datapoints of three series over August to October 2026; the first ten rows are
/// given again at the end with other values. Returns the text and each datapoint's last
/// value by (dimensions, timestamp).
fn usage_file() -> (String, BTreeMap<(String, i64), f64>) {
    let series = [
        (
            "AWS/CloudFront",
            "Requests",
            "DistributionId=E1;Region=Global",
            "Sum",
        ),
        (
            "AWS/S3",
            "BucketSizeBytes",
            "\"BucketName=a,b;StorageType=StandardStorage\"",
            "Average",
        ),
        (
            "AWS/MediaConvert",
            "HDOutputDuration",
            "\"Queue=first\nline\"",
            "Sum",
        ),
    ];
    let start = 1_785_542_400_000i64; // 2026-08-01T00:00:00Z
    let hours = 92 * 24;
    let mut text = format!("{HEADER}\n");
    let mut expected = BTreeMap::new();
    let mut rows = Vec::new();
    for h in 0..hours {
        let ts = start + h * 3_600_000;
        for (i, (ns, metric, dims, stat)) in series.iter().enumerate() {
            rows.push((ts, *ns, *metric, *dims, *stat, (h * 3 + i as i64) as f64));
        }
    }
    let again: Vec<_> = rows[..10]
        .iter()
        .map(|r| (r.0, r.1, r.2, r.3, r.4, r.5 + 0.5))
        .collect();
    for (ts, ns, metric, dims, stat, value) in rows.iter().chain(&again) {
        let secs = ts / 1000;
        let stamp = chrono_free(secs);
        text.push_str(&format!("{stamp},{ns},{metric},{dims},{stat},{value}\n"));
        expected.insert((dims.trim_matches('"').to_string(), *ts), *value);
    }
    (text, expected)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970 in 2026 (August to October).
fn chrono_free(secs: i64) -> String {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    // 2026-08-01 is day 20666.
    let mut d = days - 20_666;
    let mut month = 8;
    for len in [31, 30, 31, 30] {
        if d < len {
            break;
        }
        d -= len;
        month += 1;
    }
    format!(
        "2026-{month:02}-{:02}T{:02}:{:02}:{:02}Z",
        d + 1,
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[test]
fn an_import_in_small_chunks_past_its_budget_stores_what_a_whole_read_gives() {
    let home = std::env::temp_dir().join(format!("lw-usage-chunks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    // SAFETY: the only test of this file, so no other thread reads the environment.
    unsafe { std::env::set_var("XDG_DATA_HOME", &home) };
    let limits = ImportLimits {
        chunk_bytes: 2048,
        staging_budget: 8192,
    };

    // A bad line far past the first chunk: nothing is imported, the line is named.
    let (text, expected) = usage_file();
    let mut bad = text.clone();
    let line = bad.lines().count() - 3;
    let at = bad.match_indices('\n').nth(line - 2).unwrap().0 + 1;
    bad.insert_str(
        at,
        "2026-10-31T00:00:00Z,AWS/S3,BucketSizeBytes,x,Average,lots\n",
    );
    let bad_file = home.join("bad.csv");
    std::fs::write(&bad_file, &bad).unwrap();
    let e = usage::import_file_within(&bad_file, limits)
        .unwrap_err()
        .to_string();
    assert!(e.contains("`lots`") || e.contains("lots"), "{e}");
    assert!(e.contains(&format!(":{line}:")), "{e}");
    assert!(usage::load_store().unwrap().is_empty());

    // Thirty bad lines: the error names the first twenty and counts the rest, however many.
    let mut many = text.clone();
    for k in 0..30 {
        many.push_str(&format!(
            "2026-10-31T00:00:00Z,AWS/S3,BucketSizeBytes,x,Average,bad{k}\n"
        ));
    }
    let many_file = home.join("many.csv");
    std::fs::write(&many_file, &many).unwrap();
    let e = usage::import_file_within(&many_file, limits)
        .unwrap_err()
        .to_string();
    assert!(e.contains("`bad0`") && e.contains("`bad19`"), "{e}");
    assert!(!e.contains("`bad20`"), "{e}");
    assert!(
        e.contains("and 10 more line(s) that are not datapoints"),
        "{e}"
    );
    assert!(usage::load_store().unwrap().is_empty());

    let file = home.join("usage.csv");
    std::fs::write(&file, &text).unwrap();
    let count = usage::import_file_within(&file, limits).unwrap();
    assert_eq!(count.added, expected.len());
    assert_eq!(count.changed, 10);
    // Given again by the file itself: each named, with the line of its first value.
    assert_eq!(count.restated, 10);
    assert_eq!(count.restated_lines.len(), 10);
    assert!(
        count.restated_lines.iter().any(|l| l.contains(
            "AWS/CloudFront Requests (Sum, DistributionId=E1;Region=Global) at 2026-08-01T00:00:00Z is 0.5 here but 0 on line 2"
        )),
        "{:?}",
        count.restated_lines
    );
    let stored: BTreeMap<(String, i64), f64> = usage::load_store()
        .unwrap()
        .into_iter()
        .map(|p| ((p.dimensions, p.timestamp_ms), p.value))
        .collect();
    assert_eq!(stored, expected);
    let store = usage::store_path();
    let left: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".staging."))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let _ = std::fs::remove_dir_all(&home);
}
