//! The Compare view's what-if commands and the Usage & Actuals view's commands through
//! Tauri's IPC path on the mock runtime: the waterfall and tornado drawn as the CLI draws
//! them, solve, the stores listed, the variance, calibration, and a CloudWatch pull against
//! moto (behind the project's CBOR translator, `$LADDERWISE_TEST_CLOUDWATCH`), cancelled and
//! then run to its end.

#[path = "../../tests/support/usage_days.rs"]
mod usage_days;

#[path = "../../tests/support/cloudwatch.rs"]
mod cloudwatch;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::{Value, json};
use tauri::Listener;

mod support;

use support::{Window, invoke as check};

/// A data directory of the tests' own (the stores live under it), and test credentials that
/// only ever reach 127.0.0.1; set once, before any app is built.
fn data_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("ladderwise-views-tests-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // SAFETY: set once, before the tests start any app or read the environment.
        unsafe {
            std::env::set_var("XDG_DATA_HOME", &dir);
            std::env::set_var("LADDERWISE_TEST_DIALOG", dir.join("dialog"));
            std::env::set_var("AWS_ACCESS_KEY_ID", "test");
            std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
            std::env::set_var("AWS_CONFIG_FILE", dir.join("no-aws-config"));
            std::env::set_var(
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.join("no-aws-credentials"),
            );
        }
        dir
    })
}

/// The stores are one per process: the tests that fill them take turns.
static STORES: Mutex<()> = Mutex::new(());

fn app() -> (tauri::App<tauri::test::MockRuntime>, Window) {
    data_dir();
    support::app()
}

/// Imports `path` as the Import buttons do: the dialog (the debug build's stand-in, which
/// answers with `path`), then the import. Callers hold [`STORES`], so no other test answers
/// the dialog meanwhile.
fn import(w: &Window, kind: &str, path: &Path) -> Result<Value, Value> {
    std::fs::write(data_dir().join("dialog"), path.to_str().unwrap()).unwrap();
    check(w, "pick_import", json!({ "kind": kind }))
}

fn scenario(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../scenarios/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn decimal(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a decimal string: {v}")),
    )
    .unwrap()
}

fn total(w: &Window, label: &str, text: &str) -> Decimal {
    let ev = check(
        w,
        "evaluate",
        json!({"request": {"label": label, "text": text, "chart": null}}),
    )
    .unwrap();
    decimal(&ev["estimate"]["total_usd"])
}

#[test]
fn the_waterfall_goes_from_a_to_b_in_bars_that_add_up() {
    let (_app, w) = app();
    let (a, b) = (
        scenario("premium-ott"),
        scenario("premium-ott-smaller-ladder"),
    );
    let v = check(
        &w,
        "compare_waterfall",
        json!({"request": {"a_label": "premium-ott.toml", "a_text": a,
                           "b_label": "smaller.toml", "b_text": b}}),
    )
    .unwrap();
    assert!(v["svg"].as_str().unwrap().starts_with("<svg"));
    // The CLI's chart: its title names both scenarios.
    assert!(
        v["svg"]
            .as_str()
            .unwrap()
            .contains("what changes the monthly cost")
    );
    let bars = v["bars"].as_array().unwrap();
    // Every field that differs is a driver; three of them move the total.
    let moving: Vec<&str> = bars
        .iter()
        .filter(|b| !decimal(&b["usd"]).is_zero())
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(moving.len(), 3, "{bars:?}");
    assert!(moving[0].starts_with("ladder (8 → 5 rungs)"), "{moving:?}");
    let sum: Decimal = bars.iter().map(|b| decimal(&b["usd"])).sum();
    let difference = decimal(&v["difference_usd"]);
    assert_eq!(difference, decimal(&v["total_b"]) - decimal(&v["total_a"]));
    assert!(
        (sum - difference).abs() < Decimal::new(1, 5),
        "{sum} vs {difference}"
    );
    assert_eq!(decimal(&v["total_a"]), total(&w, "a", &a));
    assert!(
        v["method"].as_str().unwrap().contains("xact"),
        "{}",
        v["method"]
    );

    // An invalid side is bad input naming it, with its diagnostics.
    let err = check(
        &w,
        "compare_waterfall",
        json!({"request": {"a_label": "a.toml", "a_text": a,
                           "b_label": "broken.toml", "b_text": "[scenario]\nname = 1\n"}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .starts_with("broken.toml has"),
        "{err}"
    );
}

#[test]
fn the_tornado_sorts_inputs_by_swing() {
    let (_app, w) = app();
    let text = scenario("premium-ott");
    let t = check(
        &w,
        "tornado",
        json!({"request": {"label": "p.toml", "text": text}}),
    )
    .unwrap();
    assert!(t["svg"].as_str().unwrap().starts_with("<svg"));
    assert_eq!(decimal(&t["base_usd"]), total(&w, "p", &text));
    assert_eq!(t["swing"], "0.2");
    let swings: Vec<Decimal> = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| decimal(&r["swing_usd"]))
        .collect();
    assert!(swings.len() > 3, "{swings:?}");
    assert!(swings.windows(2).all(|p| p[0] >= p[1]), "{swings:?}");
    assert!(swings.iter().all(|s| !s.is_zero()));
    // The inputs left alone come grouped under their reason, each reason once.
    let groups = t["not_varied"].as_array().unwrap();
    let labels: usize = groups
        .iter()
        .map(|g| g["labels"].as_array().unwrap().len())
        .sum();
    assert_eq!(t["not_varied_count"].as_u64(), Some(labels as u64));
    assert!(groups.len() < labels, "{groups:?}");
    let zero = groups
        .iter()
        .find(|g| {
            g["reason"]
                .as_str()
                .unwrap()
                .starts_with("0 in the scenario")
        })
        .unwrap();
    assert!(zero["labels"].as_array().unwrap().len() > 10, "{zero}");
    // Each row's swing is the distance between its two totals (each sent to 6 places).
    for r in t["rows"].as_array().unwrap() {
        let between = (decimal(&r["high_usd"]) - decimal(&r["low_usd"])).abs();
        assert!(
            (decimal(&r["swing_usd"]) - between).abs() <= Decimal::new(2, 6),
            "{r}"
        );
    }
    let bad = check(
        &w,
        "tornado",
        json!({"request": {"label": "p.toml", "text": text, "swing": "20"}}),
    )
    .unwrap_err();
    assert_eq!(bad["code"], "bad_input");
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("hint: write e.g. 0.2")
    );
}

#[test]
fn solve_finds_the_value_that_meets_a_budget_and_it_does() {
    let (_app, w) = app();
    let text = scenario("ugc-short-form");
    let now = total(&w, "u", &text);
    // A budget $20 under today's total: a higher hit rate meets it (at 1 it is $76.59 less).
    let budget = now - Decimal::from(20);
    let s = check(
        &w,
        "solve",
        json!({"request": {"label": "u.toml", "text": text,
                           "field": "delivery.cache_hit_rate", "max_total": format!("${budget}")}}),
    )
    .unwrap();
    assert_eq!(s["nowhere"], false, "{s}");
    assert!(
        s["shape"].as_str().unwrap().starts_with("The total falls"),
        "{s}"
    );
    let value = s["suggested"]["value"].as_str().unwrap().to_string();
    assert!(
        s["outcome"][0]
            .as_str()
            .unwrap()
            .contains(&format!("≥ {value}")),
        "{s}"
    );
    // Applied through the editor, the value keeps the total within the budget…
    let applied = check(
        &w,
        "change",
        json!({"request": {"label": "u.toml", "text": text, "chart": null,
               "change": {"kind": "set", "path": "delivery.cache_hit_rate", "value": value}}}),
    )
    .unwrap();
    let met = decimal(&applied["estimate"]["total_usd"]);
    assert!(met <= budget, "{met} > {budget}");
    assert_eq!(met, decimal(&s["suggested"]["total_usd"]));
    // …and the next value down the field's grid (4 places) does not.
    let below = Decimal::from_str(&value).unwrap() - Decimal::new(1, 4);
    let over = check(
        &w,
        "change",
        json!({"request": {"label": "u.toml", "text": text, "chart": null,
               "change": {"kind": "set", "path": "delivery.cache_hit_rate", "value": below.to_string()}}}),
    )
    .unwrap();
    assert!(decimal(&over["estimate"]["total_usd"]) > budget);

    // A budget nothing meets says so, and suggests nothing.
    let none = check(
        &w,
        "solve",
        json!({"request": {"label": "u.toml", "text": text,
                           "field": "delivery.cache_hit_rate", "max_total": "1"}}),
    )
    .unwrap();
    assert_eq!(none["nowhere"], true);
    assert!(none["suggested"].is_null());
    assert!(
        none["outcome"][0]
            .as_str()
            .unwrap()
            .starts_with("No value sampled meets the budget")
    );
    // Not an amount; not a field a sweep may vary.
    let bad = check(
        &w,
        "solve",
        json!({"request": {"label": "u.toml", "text": text,
                           "field": "delivery.cache_hit_rate", "max_total": "lots"}}),
    )
    .unwrap_err();
    assert_eq!(bad["code"], "bad_input");
    let bad = check(
        &w,
        "solve",
        json!({"request": {"label": "u.toml", "text": text,
                           "field": "scenario.name", "max_total": "100"}}),
    )
    .unwrap_err();
    assert_eq!(bad["code"], "bad_input", "{bad}");
}

/// September 2026 of tests/usage.rs (the UGC scenario's own drivers), a day at a time.
fn usage_csv(dir: &Path) -> PathBuf {
    let path = dir.join("usage-2026-09.csv");
    std::fs::write(
        &path,
        usage_days::csv((1..=30).map(|d| format!("2026-09-{d:02}"))),
    )
    .unwrap();
    path
}

/// A CUR 2.0 export of September 2026: CloudFront's US data transfer out, S3 storage, and a
/// credit.
fn actuals_csv(dir: &Path) -> PathBuf {
    let header = "bill_payer_account_id,line_item_usage_account_id,line_item_usage_start_date,line_item_line_item_type,line_item_product_code,product_servicecode,line_item_usage_type,line_item_operation,product_region_code,pricing_unit,line_item_usage_amount,pricing_public_on_demand_cost,line_item_unblended_cost,line_item_currency_code";
    let rows = [
        "111122223333,111122223333,2026-09-01T00:00:00Z,Usage,AmazonCloudFront,AmazonCloudFront,US-DataTransfer-Out-Bytes,GET,,GB,100000,6000,6000,USD",
        "111122223333,111122223333,2026-09-01T00:00:00Z,Usage,AmazonS3,AmazonS3,TimedStorage-ByteHrs,StandardStorage,us-east-1,GB-Mo,30000,690,690,USD",
        "111122223333,111122223333,2026-09-01T00:00:00Z,Credit,AmazonCloudFront,AmazonCloudFront,US-DataTransfer-Out-Bytes,,,GB,0,-100,-100,USD",
    ];
    let path = dir.join("cur-2026-09.csv");
    std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    path
}

#[test]
fn the_stores_are_listed_set_against_the_plan_and_calibrate_a_copy() {
    let _turn = STORES.lock().unwrap_or_else(|e| e.into_inner());
    let (_app, w) = app();
    let dir = data_dir().join("files");
    std::fs::create_dir_all(&dir).unwrap();
    let text = scenario("ugc-short-form");

    let imported = import(&w, "usage", &usage_csv(&dir)).unwrap();
    assert!(
        imported["summary"]
            .as_str()
            .unwrap()
            .contains("180 new datapoint(s)"),
        "{imported}"
    );
    let o = check(&w, "usage_overview", json!({})).unwrap();
    let sept = o["usage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2026-09")
        .unwrap_or_else(|| panic!("{o}"));
    assert_eq!(sept["full"], true);
    assert_eq!(sept["cache_hit_rate"], "0.96");
    // 30 days × 5,642,762,400,000 bytes ÷ 2^40.
    assert_eq!(sept["delivered_tb"], "153.962");
    assert_eq!(sept["output_minutes"], "120000");

    let imported = import(&w, "actuals", &actuals_csv(&dir)).unwrap();
    assert!(
        imported["summary"].as_str().unwrap().contains("CUR 2.0"),
        "{imported}"
    );
    let o = check(&w, "usage_overview", json!({})).unwrap();
    assert_eq!(o["actuals_months"], json!(["2026-09"]));
    let cf = o["actuals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["service_code"] == "AmazonCloudFront")
        .unwrap_or_else(|| panic!("{o}"));
    assert_eq!(cf["usage_usd"], "6000");
    assert_eq!(cf["adjustments_usd"], "-100");
    assert_eq!(cf["net_usd"], "5900");

    let v = check(
        &w,
        "variance",
        json!({"request": {"label": "ugc.toml", "text": text, "month": "2026-09"}}),
    )
    .unwrap();
    assert_eq!(v["actual_usage_usd"], "6690");
    assert_eq!(v["adjustments_usd"], "-100");
    assert_eq!(
        decimal(&v["variance_usd"]),
        decimal(&v["actual_usage_usd"]) - decimal(&v["planned_usd"])
    );
    let services: Decimal = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| decimal(&s["actual_usd"]))
        .sum();
    assert_eq!(services, Decimal::from(6690));
    // A month the bill does not hold names those it does.
    let err = check(
        &w,
        "variance",
        json!({"request": {"label": "ugc.toml", "text": text, "month": "2026-08"}}),
    )
    .unwrap_err();
    assert!(
        err["message"].as_str().unwrap().contains("2026-09"),
        "{err}"
    );

    // Calibration from the last full month gives the UGC scenario's own drivers back, in its
    // text with its comments.
    let c = check(
        &w,
        "calibrate",
        json!({"request": {"label": "ugc.toml", "text": text}}),
    )
    .unwrap();
    assert_eq!(c["month"], "2026-09");
    let calibrated = c["text"].as_str().unwrap();
    assert!(calibrated.contains("cache_hit_rate = 0.96"), "{calibrated}");
    assert!(
        c["edits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "[audience] watch_minutes_per_month = 9000000.0"),
        "{c}"
    );
    assert_eq!(
        calibrated
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count(),
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
    );
}

// ----- the CloudWatch pull ------------------------------------------------------------------

/// Puts a day of each metric for March 2025 under names of this run's own, so the shared
/// endpoint needs no reset.
fn seed(endpoint: &str, run: &str) {
    let distribution = format!("E{run}");
    let bucket = format!("bucket-{run}");
    let cf = [
        ("DistributionId", distribution.as_str()),
        ("Region", "Global"),
    ];
    let s3 = [
        ("BucketName", bucket.as_str()),
        ("StorageType", "StandardStorage"),
    ];
    let series = |namespace, metric, dimensions, value| cloudwatch::Series {
        namespace,
        metric,
        dimensions,
        value,
    };
    let days: Vec<i64> = (1..=31)
        .map(|day| {
            ladderwise_usage::calendar::parse_iso(&format!("2025-03-{day:02}T00:00:00Z")).unwrap()
        })
        .collect();
    cloudwatch::put(
        endpoint,
        &[
            series("AWS/CloudFront", "BytesDownloaded", &cf, 1_000_000_000.0),
            series("AWS/CloudFront", "Requests", &cf, 1000.0),
            series("AWS/S3", "BucketSizeBytes", &s3, 5_000_000_000.0),
        ],
        &days,
    );
}

/// Every file of the usage store, with its bytes.
fn usage_store() -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&data_dir().join("ladderwise").join("usage"), &mut out);
    out.sort();
    out
}

#[test]
fn a_cloudwatch_pull_reports_progress_cancels_cleanly_and_then_stores_its_month() {
    let _turn = STORES.lock().unwrap_or_else(|e| e.into_inner());
    let endpoint = cloudwatch::url();
    let run = format!("DESK{}", std::process::id());
    seed(&endpoint, &run);
    let (app, w) = app();
    let request = json!({"request": {
        "region": "us-east-1",
        "distributions": [format!("E{run}")],
        "queues": [format!("no-queue-{run}")],
        "buckets": [format!("bucket-{run}")],
        "from": "2025-03-01", "to": "2025-04-01",
        "endpoint_url": endpoint,
    }});

    // Cancel as soon as the pull reports its first step; the listener holds the pull there
    // until the cancel has been sent, so the pull cannot have stored anything yet.
    let before = usage_store();
    let (first_tx, first_rx) = mpsc::channel::<String>();
    let (sent_tx, sent_rx) = mpsc::channel::<()>();
    let (first_tx, sent_rx) = (Mutex::new(Some(first_tx)), Mutex::new(sent_rx));
    let listener = app.listen_any("pull-progress", move |event| {
        if let Some(tx) = first_tx.lock().unwrap().take() {
            tx.send(event.payload().to_string()).unwrap();
            let _ = sent_rx
                .lock()
                .unwrap()
                .recv_timeout(Duration::from_secs(20));
        }
    });
    let pulling = {
        let (w, request) = (w.clone(), request.clone());
        std::thread::spawn(move || check(&w, "usage_pull", request))
    };
    let first = first_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("a progress event");
    assert!(first.contains("\"job\":\"usage\""), "{first}");
    assert_eq!(
        check(&w, "cancel_pull", json!({"job": "usage"})).unwrap(),
        true
    );
    sent_tx.send(()).unwrap();
    let cancelled = pulling.join().unwrap().unwrap_err();
    assert_eq!(cancelled["code"], "cancelled", "{cancelled}");
    assert_eq!(usage_store(), before, "a cancelled pull changed the store");
    app.unlisten(listener);
    // Nothing is running any more.
    assert_eq!(
        check(&w, "cancel_pull", json!({"job": "usage"})).unwrap(),
        false
    );

    // The same pull, left to finish, stores March 2025.
    let (tx, rx) = mpsc::channel::<String>();
    let tx = Mutex::new(tx);
    app.listen_any("pull-progress", move |event| {
        let _ = tx.lock().unwrap().send(event.payload().to_string());
    });
    let done = check(&w, "usage_pull", request.clone()).unwrap();
    let summary = done["summary"].as_str().unwrap();
    assert!(summary.contains("pulled 3 series"), "{summary}");
    assert!(
        summary.contains("93 datapoints fetched, 93 new"),
        "{summary}"
    );
    let progress: Vec<String> = rx.try_iter().collect();
    assert!(
        progress
            .iter()
            .any(|p| p.contains("listing AWS/CloudFront metrics")),
        "{progress:?}"
    );
    let o = check(&w, "usage_overview", json!({})).unwrap();
    let march = o["usage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2025-03")
        .unwrap_or_else(|| panic!("{o}"));
    assert_eq!(march["requests"], "31000");
    assert_ne!(usage_store(), before);
}

#[test]
fn a_pull_that_cannot_reach_aws_says_so_and_stores_nothing() {
    let _turn = STORES.lock().unwrap_or_else(|e| e.into_inner());
    let (_app, w) = app();
    let before = usage_store();
    // Nothing listens on port 9 of the loopback.
    let err = check(
        &w,
        "usage_pull",
        json!({"request": {"region": "us-east-1", "from": "2025-03-01", "to": "2025-04-01",
                           "endpoint_url": "http://127.0.0.1:9"}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "aws", "{err}");
    assert!(err["message"].as_str().unwrap().contains("hint:"), "{err}");
    assert_eq!(usage_store(), before);
    // Bad dates are bad input before any call.
    let err = check(
        &w,
        "usage_pull",
        json!({"request": {"region": "us-east-1", "from": "March", "to": ""}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input", "{err}");
}

/// The Forecast view gets the months ahead of the tab's text in the forecast's JSON contract
/// with its fan chart: month 1 is the tab's estimate, an edit of a growth rate moves the later
/// months, and a scenario with errors is refused with them.
#[test]
fn the_forecast_follows_the_growth_of_the_tab() {
    let (_app, w) = app();
    let text = scenario("ugc-short-form");
    let f = check(
        &w,
        "forecast",
        json!({"request": {"label": "u.toml", "text": text, "months": 12}}),
    )
    .unwrap();
    assert!(f["svg"].as_str().unwrap().starts_with("<svg"));
    let months = f["forecast"]["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(decimal(&months[0]["total_usd"]), total(&w, "u", &text));
    let faster = text.replace(
        "\"audience.watch_minutes_per_month\" = { compound = 0.04",
        "\"audience.watch_minutes_per_month\" = { compound = 0.06",
    );
    assert_ne!(
        faster, text,
        "the UGC scenario grows its watch minutes by 4 % a month"
    );
    let g = check(
        &w,
        "forecast",
        json!({"request": {"label": "u.toml", "text": faster, "months": 12}}),
    )
    .unwrap();
    let last = |v: &Value| decimal(&v["forecast"]["months"][11]["total_usd"]);
    assert!(last(&g) > last(&f), "{} against {}", last(&g), last(&f));
    assert_eq!(f["preview"], false);
    assert_eq!(f["forecast"]["paths"], 10_000);
    // A preview runs fewer paths and says so; its deterministic path is the same.
    let p = check(
        &w,
        "forecast",
        json!({"request": {"label": "u.toml", "text": faster, "months": 12, "preview": true}}),
    )
    .unwrap();
    assert_eq!(p["preview"], true);
    assert_eq!(p["forecast"]["paths"], 1_000);
    assert_eq!(last(&p), last(&g));
    // The amounts in the CLI table's words: plain where every line is priced, a lower
    // bound or `+ unpriced` where the Region has no prices (Cape Town).
    let shown = f["shown"]["months"].as_array().unwrap();
    assert_eq!(shown.len(), 12);
    for m in shown {
        for k in ["p10", "p50", "p90", "deterministic"] {
            let v = m[k].as_str().unwrap();
            assert!(v.starts_with('$') && !v.contains("unpriced"), "{k}: {m}");
        }
    }
    let cape = text.replace("region = \"us-east-1\"", "region = \"af-south-1\"");
    assert_ne!(cape, text);
    let c = check(
        &w,
        "forecast",
        json!({"request": {"label": "u.toml", "text": cape, "months": 3, "preview": true}}),
    )
    .unwrap();
    assert_eq!(c["forecast"]["months"][0]["complete"], false);
    let month = &c["shown"]["months"][0];
    for k in ["p10", "p50", "p90"] {
        assert!(month[k].as_str().unwrap().starts_with("≥$"), "{k}: {month}");
    }
    assert!(
        month["deterministic"]
            .as_str()
            .unwrap()
            .ends_with(" + unpriced"),
        "{month}"
    );
    for k in ["total", "total_p50"] {
        assert!(
            c["shown"][k].as_str().unwrap().ends_with(" + unpriced"),
            "{k}: {}",
            c["shown"]
        );
    }
    let bad = check(
        &w,
        "forecast",
        json!({"request": {"label": "u.toml", "text": "[content]\nnew_minutes_per_month = -1\n"}}),
    )
    .unwrap_err();
    assert_eq!(bad["code"], "bad_input");
}
