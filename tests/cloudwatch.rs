//! `ladderwise usage pull` against a real CloudWatch implementation: moto on 127.0.0.1, behind
//! the project's CBOR-to-JSON translator (tests/support/cbor_shim.py), because the current
//! SDK speaks only Smithy RPC v2 CBOR and moto only JSON. `.ci/run` starts both and sets
//! LADDERWISE_TEST_MOTO and LADDERWISE_TEST_CLOUDWATCH.
//!
//! The seeded datapoints are the three months of tests/usage.rs, put through the same SDK,
//! so the drivers pulled must equal, to the byte, the drivers of the same data imported.

mod support;

use support::home::{Home, text};

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};

/// moto is one shared server: tests that reset and seed it take turns.
static MOTO: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn endpoints() -> (String, String) {
    let get = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!("{name} is not set: run the suite with .ci/run, which starts moto and the CBOR translator")
        })
    };
    (
        get("LADDERWISE_TEST_MOTO"),
        get("LADDERWISE_TEST_CLOUDWATCH"),
    )
}

/// The days of tests/usage.rs: August and September 2026, and October 1–10.
fn days() -> Vec<String> {
    (1..=31)
        .map(|d| format!("2026-08-{d:02}"))
        .chain((1..=30).map(|d| format!("2026-09-{d:02}")))
        .chain((1..=10).map(|d| format!("2026-10-{d:02}")))
        .collect()
}

fn ms(day: &str) -> i64 {
    ladderwise_usage::calendar::parse_iso(&format!("{day}T00:00:00Z")).unwrap()
}

/// POST /moto-api/reset: moto forgets everything.
fn reset(moto: &str) {
    use std::io::{Read, Write};
    let address = moto.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("moto is listening");
    write!(
        stream,
        "POST /moto-api/reset HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "moto reset: {answer}");
}

/// Empties moto and puts the three months in through the SDK (and so through the translator).
fn seed(moto: &str, cloudwatch: &str) {
    reset(moto);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(cloudwatch)
            .credentials_provider(aws_sdk_cloudwatch::config::Credentials::new(
                "test", "test", None, None, "static",
            ))
            .load()
            .await;
        let client = aws_sdk_cloudwatch::Client::new(&config);
        let dims = |pairs: &[(&str, &str)]| -> Vec<Dimension> {
            pairs
                .iter()
                .map(|(k, v)| Dimension::builder().name(*k).value(*v).build())
                .collect()
        };
        let cf = dims(&[("DistributionId", "E2EXAMPLE"), ("Region", "Global")]);
        let q = dims(&[(
            "Queue",
            "arn:aws:mediaconvert:us-east-1:111122223333:queues/Default",
        )]);
        let s3 = dims(&[
            ("BucketName", "ugc-media"),
            ("StorageType", "StandardStorage"),
        ]);
        for (namespace, metrics) in [
            (
                "AWS/CloudFront",
                vec![
                    ("BytesDownloaded", &cf, 5_642_762_400_000.0),
                    ("Requests", &cf, 1_000_000.0),
                    ("CacheHitRate", &cf, 96.0),
                ],
            ),
            (
                "AWS/MediaConvert",
                vec![
                    ("HDOutputDuration", &q, 120_000_000.0),
                    ("SDOutputDuration", &q, 120_000_000.0),
                ],
            ),
            (
                "AWS/S3",
                vec![("BucketSizeBytes", &s3, 36_940_320_000_000.0)],
            ),
        ] {
            let mut request = client.put_metric_data().namespace(namespace);
            for day in days() {
                for (metric, d, value) in &metrics {
                    request = request.metric_data(
                        MetricDatum::builder()
                            .metric_name(*metric)
                            .set_dimensions(Some((*d).clone()))
                            .timestamp(DateTime::from_millis(ms(&day)))
                            .value(*value)
                            .build(),
                    );
                }
            }
            request
                .send()
                .await
                .expect("PutMetricData through the translator");
        }
    });
}

#[test]
fn pulled_usage_gives_the_drivers_of_the_same_data_imported() {
    let _turn = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let (moto, cloudwatch) = endpoints();
    seed(&moto, &cloudwatch);

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
    let (moto, cloudwatch) = endpoints();
    seed(&moto, &cloudwatch);
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
