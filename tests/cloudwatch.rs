//! `ladderwise usage pull` against a real CloudWatch implementation: moto on 127.0.0.1, behind
//! the project's CBOR-to-JSON translator (tests/support/cbor_shim.py), because the current
//! SDK speaks only Smithy RPC v2 CBOR and moto only JSON. `.ci/run` starts both and sets
//! LADDERWISE_TEST_MOTO and LADDERWISE_TEST_CLOUDWATCH.
//!
//! The seeded datapoints are the three months of tests/usage.rs, put through the same SDK,
//! so the drivers pulled must equal, to the byte, the drivers of the same data imported.

mod support;

use support::cloudwatch::{self, Series};
use support::home::{Home, text};
use support::{moto, usage_days};

/// moto is one shared server: tests that reset and seed it take turns.
static MOTO: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The days of tests/usage.rs: August and September 2026, and October 1–10.
fn days() -> Vec<String> {
    (1..=31)
        .map(|d| format!("2026-08-{d:02}"))
        .chain((1..=30).map(|d| format!("2026-09-{d:02}")))
        .chain((1..=10).map(|d| format!("2026-10-{d:02}")))
        .collect()
}

/// Empties moto and puts the three months in through the SDK (and so through the
/// translator): the datapoints of tests/support/usage_days.rs, one a day.
fn seed(cloudwatch: &str) {
    moto::reset(&moto::url());
    let series: Vec<Series> = usage_days::SERIES
        .iter()
        .map(|(namespace, metric, dimensions, _, value)| Series {
            namespace,
            metric,
            dimensions,
            value: *value,
        })
        .collect();
    let days: Vec<i64> = days()
        .iter()
        .map(|day| ladderwise_usage::calendar::parse_iso(&format!("{day}T00:00:00Z")).unwrap())
        .collect();
    cloudwatch::put(cloudwatch, &series, &days);
}

#[test]
fn pulled_usage_gives_the_drivers_of_the_same_data_imported() {
    let _turn = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let cloudwatch = cloudwatch::url();
    seed(&cloudwatch);

    let home = Home::new("pull");
    let pull = |home: &Home| {
        home.run(&[
            "usage",
            "pull",
            "--endpoint-url",
            &cloudwatch,
            "--from",
            "2026-08-01",
            "--to",
            "2026-10-11",
        ])
    };
    let out = pull(&home);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    // 3 CloudFront, 2 MediaConvert and 1 S3 series; one datapoint a day each.
    assert!(said.contains("pulled 6 series"), "{said}");
    assert!(said.contains("426 datapoints fetched, 426 new"), "{said}");

    // The same data imported as CSV (tests/usage.rs, golden usage__usage_show) shows the
    // same drivers, to the byte.
    let pulled = text(&home.run(&["usage", "show"]).stdout);
    let golden = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/usage__usage_show.snap"
    ))
    .unwrap();
    let imported = golden.splitn(3, "---\n").nth(2).unwrap();
    assert_eq!(pulled.trim_end(), imported.trim_end());

    // A second pull reads each series from after its last stored datapoint: nothing new.
    let again = pull(&home);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let said = text(&again.stdout);
    assert!(said.contains(": 0 datapoints fetched, 0 new"), "{said}");
    assert_eq!(text(&home.run(&["usage", "show"]).stdout), pulled);

    // Calibrating from pulled data gives the UGC scenario's own drivers back.
    let out = home.run(&["usage", "calibrate", "scenarios/ugc-short-form.toml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("[audience] watch_minutes_per_month = 9000000.0"),
        "{said}"
    );
    assert!(said.contains("[delivery] cache_hit_rate = 0.96"), "{said}");
    assert!(
        said.contains("[content] new_minutes_per_month = 60000.0"),
        "{said}"
    );
    assert!(
        said.contains("[content] library_minutes = 1200000.0"),
        "{said}"
    );
}

#[test]
fn a_named_distribution_limits_the_pull() {
    let _turn = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let cloudwatch = cloudwatch::url();
    seed(&cloudwatch);
    let home = Home::new("named");
    let out = home.run(&[
        "usage",
        "pull",
        "--endpoint-url",
        &cloudwatch,
        "--distribution",
        "ENOSUCH",
        "--queue",
        "nosuch",
        "--bucket",
        "nosuch",
        "--from",
        "2026-08-01",
        "--to",
        "2026-10-11",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("pulled 0 series"),
        "{}",
        text(&out.stdout)
    );
}

/// A pull that ends inside a period stores only the periods that are over: the next pull,
/// which starts after the last stored one, reads the period whole. Before, the first pull
/// stored the cut period short and the next one never read the rest of it.
#[test]
fn a_pull_ending_inside_a_period_loses_nothing_of_it() {
    let _turn = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let cloudwatch = cloudwatch::url();
    moto::reset(&moto::url());
    let (namespace, metric, dimensions, _, value) = usage_days::SERIES[1];
    let at = |t: &str| ladderwise_usage::calendar::parse_iso(t).unwrap();
    // Two datapoints in the hour from 00:00, one each side of 00:30.
    cloudwatch::put(
        &cloudwatch,
        &[Series {
            namespace,
            metric,
            dimensions,
            value,
        }],
        &[at("2026-09-15T00:10:00Z"), at("2026-09-15T00:50:00Z")],
    );
    let home = Home::new("pull-cut");
    for to in ["2026-09-15T00:30:00Z", "2026-09-16"] {
        let out = home.run(&[
            "usage",
            "pull",
            "--endpoint-url",
            &cloudwatch,
            "--from",
            "2026-09-15",
            "--to",
            to,
        ]);
        assert!(out.status.success(), "{to}: {}", text(&out.stderr));
    }
    let export = text(&home.run(&["usage", "export"]).stdout);
    let total: f64 = export
        .lines()
        .skip(1)
        .filter(|l| l.contains(",Requests,"))
        .filter_map(|l| l.rsplit(',').next()?.parse::<f64>().ok())
        .sum();
    assert_eq!(total, 2.0 * value, "{export}");
}
