//! `ladderwise variance` end to end: a FOCUS 1.2 export written here whose lines are the UGC
//! scenario's own (its `estimate --format json`), as a bill names them, imported into the
//! store; then the plan of October against it (goldens), the driver of the line that differs,
//! and a month the store does not hold.
//!
//! The bill spells the lines as AWS does, not as the plan does: MediaConvert's normalized
//! minutes as one `IAD-B-AVC-…-NTM` line per output class, S3 Standard storage as
//! `USE1-TimedStorage-ByteHrs` counted in GB-hours, Comprehend under the product code
//! `AmazonComprehend`. October differs from the plan on purpose, and nowhere else:
//! - CloudFront's US transfer is 10 % more, billed at the $0.060 per GB of the 50–150 TB band
//!   it falls in (CloudFront pricing page);
//! - a Rekognition group 1 line (CompareFaces) the plan does not have: 10,000 images, $10;
//! - no lifecycle transitions (`Requests-Tier4`, planned $12): the rule did not run;
//! - a credit of −$500;
//! - and EC2, which Ladderwise does not model.
//!
//! September is the plan exactly, so the store holds two months.

mod support;

use serde_json::Value;
use support::exports::{Line, all, focus_frame, write_parquet};
use support::home::{Home, text};

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn number(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or(0.0)
}

fn bill_line(
    start: &'static str,
    region: Option<&'static str>,
    service: &'static str,
    usage_type: &'static str,
    unit: &'static str,
    quantity: f64,
    cost: f64,
) -> Line {
    Line {
        start,
        account: support::exports::A,
        region,
        service,
        usage_type: Some(usage_type),
        unit,
        quantity: Some(quantity),
        list: Some(cost),
        billed: Some(cost),
        effective: Some(cost),
        currency: "USD",
        category: "Usage",
        class: None,
    }
}

/// The month's bill from the plan's lines, as AWS names them; `october` adds the differences.
fn bill(plan: &Value, start: &'static str, hours: f64, october: bool) -> Vec<Line> {
    let mut out = Vec::new();
    for l in plan["lines"].as_array().unwrap() {
        let code = leak(l["service_code"].as_str().unwrap());
        let usage_type = l["usage_type"].as_str().unwrap();
        let unit = leak(l["unit"].as_str().unwrap());
        let (quantity, cost) = (number(&l["quantity"]), number(&l["cost_usd"]));
        let region = (code != "AmazonCloudFront").then_some("us-east-1");
        match (code, usage_type) {
            // 720p: 60,000 min × 2 normalized (HD), 360p: 60,000 min × 1 (SD).
            ("AWSElementalMediaConvert", _) => {
                for (t, share) in [
                    ("IAD-B-AVC-HD-S-30-NTM", 2.0 / 3.0),
                    ("IAD-B-AVC-SD-S-30-NTM", 1.0 / 3.0),
                ] {
                    let c = (cost * share * 100.0).round() / 100.0;
                    out.push(bill_line(start, region, code, t, unit, quantity * share, c));
                }
            }
            ("AmazonS3", "TimedStorage-ByteHrs") => out.push(bill_line(
                start,
                region,
                code,
                "USE1-TimedStorage-ByteHrs",
                "GB-Hours",
                quantity * hours,
                cost,
            )),
            ("AmazonS3", "Requests-Tier4") if october => {}
            ("AmazonCloudFront", "US-DataTransfer-Out-Bytes") if october => out.push(bill_line(
                start,
                region,
                code,
                leak(usage_type),
                unit,
                quantity * 1.1,
                cost + quantity * 0.1 * 0.06,
            )),
            ("comprehend", _) => out.push(bill_line(
                start,
                region,
                "AmazonComprehend",
                leak(usage_type),
                unit,
                quantity,
                cost,
            )),
            _ => out.push(bill_line(
                start,
                region,
                code,
                leak(usage_type),
                unit,
                quantity,
                cost,
            )),
        }
    }
    out.push(bill_line(
        start,
        Some("us-east-1"),
        "AmazonEC2",
        "BoxUsage:m7g.large",
        "Hrs",
        720.0,
        60.0,
    ));
    if october {
        out.push(bill_line(
            start,
            Some("us-east-1"),
            "AmazonRekognition",
            "USE1-Group1-ImagesProcessed",
            "Images",
            10_000.0,
            10.0,
        ));
        let mut credit = support::exports::line(
            start,
            support::exports::A,
            None,
            "AmazonCloudFront",
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            None,
            all(-500.0),
            "Credit",
        );
        credit.list = Some(0.0);
        out.push(credit);
    }
    out
}

/// The UGC scenario's plan, `estimate --format json`.
fn plan_of(home: &Home) -> Value {
    let out = home.run(&[
        "estimate",
        "scenarios/ugc-short-form.toml",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Writes `lines` as a FOCUS Parquet file and imports it into `home`'s store.
fn import(home: &Home, lines: &[Line]) {
    let path = home.dir.join("focus.parquet");
    write_parquet(&mut focus_frame(lines), &path);
    let out = home.run(&["actuals", "import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// A home whose store holds September (the plan) and October (the plan, changed).
fn home_with_bill(name: &str) -> Home {
    let home = Home::new(name);
    let plan = plan_of(&home);
    let mut lines = bill(&plan, "2026-09-01T00:00:00Z", 720.0, false);
    lines.extend(bill(&plan, "2026-10-01T00:00:00Z", 744.0, true));
    import(&home, &lines);
    home
}

fn variance(home: &Home, month: &str, format: &str) -> String {
    let out = home.run(&[
        "variance",
        "scenarios/ugc-short-form.toml",
        "--month",
        month,
        "--format",
        format,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The line of `usage_type` in the JSON variance.
fn line_of<'a>(v: &'a Value, usage_type: &str) -> &'a Value {
    v["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["lines"].as_array().unwrap())
        .find(|l| l["usage_type"] == usage_type)
        .unwrap_or_else(|| panic!("no line {usage_type}"))
}

#[test]
fn october_against_the_plan_line_by_line() {
    let home = home_with_bill("variance");
    let json = variance(&home, "2026-10", "json");
    let v: Value = serde_json::from_str(&json).unwrap();

    // CloudFront US: 10 % more bytes than planned, and the driver named.
    let us = line_of(&v, "US-DataTransfer-Out-Bytes");
    let pct: f64 = number(&us["usage_delta_percent"]);
    assert!((pct - 10.0).abs() < 1e-4, "{us}");
    let fields: Vec<&str> = us["driver"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(fields.contains(&"audience.watch_minutes_per_month"), "{us}");
    assert!(fields.contains(&"ladder.rungs[*].video_kbps"), "{us}");
    // The extra 9,459.418 GB at $0.06.
    assert_eq!(format!("{:.2}", number(&us["delta_usd"])), "567.57", "{us}");
    // Europe is as planned: no driver.
    assert_eq!(
        line_of(&v, "EU-DataTransfer-Out-Bytes")["driver"],
        Value::Null
    );

    // MediaConvert's per-output lines are the plan's normalized minutes.
    let mc = line_of(&v, "IAD-Normalized-Transcode-Minute-Basic");
    assert_eq!(
        mc["billed_usage_types"],
        serde_json::json!(["IAD-B-AVC-HD-S-30-NTM", "IAD-B-AVC-SD-S-30-NTM"])
    );
    assert_eq!(mc["actual_usage"], "180000");
    assert_eq!(mc["driver"], Value::Null);
    // Storage billed in GB-hours, compared in GB-months, and said so.
    let s3 = line_of(&v, "TimedStorage-ByteHrs");
    assert_eq!(s3["billed_usage_types"][0], "USE1-TimedStorage-ByteHrs");
    assert!(
        s3["conversions"][0]
            .as_str()
            .unwrap()
            .contains("GB-Hours ÷ 744 hours in 2026-10 = GB-Mo"),
        "{s3}"
    );
    assert!(number(&s3["usage_delta"]).abs() < 1e-5, "{s3}");
    assert_eq!(s3["driver"], Value::Null);
    // Comprehend, billed under its product code, is matched.
    assert_eq!(line_of(&v, "USE1-DetectSentiment")["actual_usd"], "60");

    let of_service = |code: &str| -> &Value {
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["service_code"] == code)
            .unwrap()
    };
    let only_billed = &of_service("AmazonRekognition")["actual_only"];
    assert_eq!(only_billed[0]["usage_type"], "USE1-Group1-ImagesProcessed");
    assert_eq!(only_billed[0]["actual_usd"], "10");
    let only_planned = &of_service("AmazonS3")["planned_only"];
    assert_eq!(only_planned[0]["usage_type"], "Requests-Tier4");
    assert_eq!(only_planned[0]["planned_usd"], "12");
    assert!(
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["service_code"] != "AmazonEC2")
    );

    // The credit stays a credit; the variance is usage against the plan:
    // +567.57 (US transfer) + 10 (Rekognition group 1) − 12 (no transitions) = +565.57.
    assert_eq!(v["adjustments"][0]["kind"], "credit");
    assert_eq!(v["adjustments"][0]["actual_usd"], "-500");
    let t = &v["totals"];
    assert_eq!(t["planned_usd"], "14123.428833");
    assert_eq!(format!("{:.2}", number(&t["variance_usd"])), "565.57");
    assert_eq!(t["adjustments_by_kind"]["credit"], "-500");
    assert_eq!(
        format!("{:.2}", number(&t["net_usd"])),
        format!("{:.2}", number(&t["actual_usage_usd"]) - 500.0)
    );
    assert_eq!(v["plan"]["kind"], "steady-month");
    insta::assert_snapshot!("variance_json", json);

    let table = variance(&home, "2026-10", "table");
    assert!(
        table.contains("priced as the scenario's steady month"),
        "{table}"
    );
    assert!(table.contains("+$565.57"), "{table}");
    insta::assert_snapshot!("variance_table", table);
    insta::assert_snapshot!("variance_csv", variance(&home, "2026-10", "csv"));

    // September is the plan: every usage as planned, nothing only on one side.
    let september: Value = serde_json::from_str(&variance(&home, "2026-09", "json")).unwrap();
    for s in september["services"].as_array().unwrap() {
        assert_eq!(s["actual_only"], serde_json::json!([]), "{s}");
        assert_eq!(s["planned_only"], serde_json::json!([]), "{s}");
        for l in s["lines"].as_array().unwrap() {
            assert_eq!(l["driver"], Value::Null, "{l}");
        }
    }
}

#[test]
fn a_month_the_store_does_not_hold_is_bad_input_naming_those_it_does() {
    let home = home_with_bill("variance-months");
    for (month, says) in [
        (
            "2026-11",
            vec![
                "the actuals store has no month 2026-11",
                "hint: the store holds 2026-09, 2026-10",
            ],
        ),
        ("2026-1", vec!["--month `2026-1` is not a month", "hint:"]),
    ] {
        let out = home.run(&["variance", "--month", month]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        for s in says {
            assert!(err.contains(s), "`{s}` missing from: {err}");
        }
    }
    // An empty store says how to fill it.
    let empty = Home::new("variance-empty");
    let out = empty.run(&["variance", "--month", "2026-10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("actuals pull --athena"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_plan_with_unpriced_lines_has_no_service_change() {
    // af-south-1: the shipped snapshot has no MediaConvert price there, so the plan's
    // MediaConvert is unknown, not $0 under a bill of $1,174.
    let home = home_with_bill("variance-unpriced");
    let text_of = std::fs::read_to_string("scenarios/ugc-short-form.toml").unwrap();
    let af = home.dir.join("af.toml");
    std::fs::write(
        &af,
        text_of.replacen("region = \"us-east-1\"", "region = \"af-south-1\"", 1),
    )
    .unwrap();
    let af = af.to_str().unwrap();
    let run = |format: &str| {
        let out = home.run(&["variance", af, "--month", "2026-10", "--format", format]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let v: Value = serde_json::from_str(&run("json")).unwrap();
    let mc = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service_code"] == "AWSElementalMediaConvert")
        .unwrap();
    assert_eq!(mc["planned_complete"], false, "{mc}");
    assert!(mc["delta_usd"].is_null(), "{mc}");
    let table = run("table");
    let row = table
        .lines()
        .find(|l| l.starts_with("AWS Elemental MediaConvert"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        row.contains("unpriced") && row.trim_end().ends_with("unknown"),
        "{row}"
    );
    // Nor is the total's: a cost the snapshot does not know would read as an overrun.
    assert!(v["totals"]["variance_usd"].is_null(), "{}", v["totals"]);
    assert!(v["totals"]["variance_percent"].is_null(), "{}", v["totals"]);
    let total = table
        .lines()
        .find(|l| l.contains("variance (actual usage − plan)"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(total.contains("unknown"), "{total}");
}

/// A usage line that gives no quantity has an unknown usage, not none: the store keeps it
/// unknown, `actuals show` says n/a, and the variance does not read the line's drivers as
/// fallen to nothing while the cost is on the bill.
#[test]
fn a_bill_line_without_a_quantity_has_an_unknown_usage() {
    let home = Home::new("variance-no-quantity");
    let plan = plan_of(&home);
    let mut lines = bill(&plan, "2026-09-01T00:00:00Z", 720.0, false);
    let cdn = lines
        .iter_mut()
        .find(|l| l.usage_type == Some("US-DataTransfer-Out-Bytes"))
        .expect("the plan's US transfer");
    cdn.quantity = None;
    import(&home, &lines);
    let out = home.run(&["actuals", "show", "--from", "2026-09", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = shown["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["usage_type"] == "US-DataTransfer-Out-Bytes")
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(row["usage_amount"].is_null(), "{row}");
    let out = home.run(&["actuals", "show", "--from", "2026-09"]);
    let table = text(&out.stdout);
    let line = table
        .lines()
        .find(|l| l.contains("US-DataTransfer-Out-Bytes"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains("n/a"), "{line}");
    let v: Value = serde_json::from_str(&variance(&home, "2026-09", "json")).unwrap();
    let l = line_of(&v, "US-DataTransfer-Out-Bytes");
    assert!(l["actual_usage"].is_null(), "{l}");
    assert!(l["driver"].is_null(), "{l}");
    assert!(
        l["note"]
            .as_str()
            .unwrap_or("")
            .contains("gives no quantity"),
        "{l}"
    );
}

/// The forecast's FOCUS rows read back as a bill: a plan's first month, imported with
/// `actuals import`, is the plan line by line, so a finance team can load the forecast into
/// whatever reads AWS's FOCUS export and get the plan's own figures.
#[test]
fn the_forecast_in_focus_imports_as_the_plans_own_bill() {
    for (name, file, edit) in [
        ("focus-roundtrip-ugc", "scenarios/ugc-short-form.toml", None),
        (
            "focus-roundtrip-premium",
            "scenarios/premium-ott.toml",
            None,
        ),
        // KMS keys, WAF rules and DynamoDB storage: usage at a fixed quantity, not purchases.
        (
            "focus-roundtrip-reference",
            "scenarios/reference-pipeline.toml",
            None,
        ),
        // A reserved transcode slot: a purchase in the plan and on the bill, matched as one
        // line, not a commitment beside a plan line the bill lacks.
        (
            "focus-roundtrip-reserved",
            "scenarios/ugc-short-form.toml",
            Some(("reserved_slots = 0", "reserved_slots = 1")),
        ),
        // A CloudFront flat-rate plan: a purchase of a usage type of the plan's own making.
        (
            "focus-roundtrip-flat-rate",
            "scenarios/ugc-short-form.toml",
            Some(("cdn = \"cloudfront\"", "cdn = \"cloudfront-flat-rate\"")),
        ),
    ] {
        let home = Home::new(name);
        let edited = edit.map(|(from, to)| {
            let path = home.dir.join("edited.toml");
            let text = std::fs::read_to_string(file).unwrap();
            assert!(text.contains(from), "{file}");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            path.to_str().unwrap().to_string()
        });
        let scenario = edited.as_deref().unwrap_or(file);
        let out = home.run(&[
            "forecast", scenario, "--paths", "0", "--months", "1", "--format", "focus",
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let csv = text(&out.stdout);
        let path = home.dir.join("forecast.csv");
        std::fs::write(&path, &csv).unwrap();
        // The first row's month: the earlier of its period's bounds (the row's description
        // may hold commas, so it is not split into columns here).
        let first = csv.lines().nth(1).unwrap();
        let month = first
            .match_indices("-01T00:00:00Z")
            .map(|(at, _)| &first[at - 7..at])
            .min()
            .unwrap();
        let out = home.run(&["actuals", "import", path.to_str().unwrap()]);
        assert!(out.status.success(), "{scenario}: {}", text(&out.stderr));
        let out = home.run(&["variance", scenario, "--month", month, "--format", "json"]);
        assert!(out.status.success(), "{scenario}: {}", text(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let services = v["services"].as_array().unwrap();
        assert!(services.len() >= 3, "{scenario}: {v}");
        assert!(number(&v["totals"]["planned_usd"]) > 0.0, "{name}: {v}");
        assert!(
            number(&v["totals"]["variance_usd"]).abs() < 0.005,
            "{name}: {v}"
        );
        assert_eq!(v["adjustments"], serde_json::json!([]), "{name}");
        for s in services {
            // A service inside its free tier (Lambda in the reference pipeline) plans $0.
            assert_eq!(s["planned_complete"], true, "{scenario}: {s}");
            // The rows carry each cost to six places: the sums agree to the cent.
            assert!(number(&s["delta_usd"]).abs() < 0.005, "{scenario}: {s}");
            assert!(s["planned_only"].as_array().unwrap().is_empty(), "{s}");
            assert!(s["actual_only"].as_array().unwrap().is_empty(), "{s}");
            for l in s["lines"].as_array().unwrap() {
                assert_eq!(l["usage_delta"], "0", "{scenario}: {l}");
                assert!(number(&l["delta_usd"]).abs() < 0.005, "{scenario}: {l}");
            }
        }
    }
}

/// A month that has not ended has a partial bill: the variance says so before anything
/// reads its shortfall as a saving. The month is this one, by the clock.
#[test]
fn a_month_still_running_says_its_bill_is_partial() {
    let home = Home::new("variance-running");
    let plan = plan_of(&home);
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400;
    let (year, month, _) = ladderwise_usage::calendar::civil_from_days(days as i64);
    let month = format!("{year:04}-{month:02}");
    let mut lines = bill(&plan, leak(&format!("{month}-01T00:00:00Z")), 24.0, false);
    lines.truncate(3);
    import(&home, &lines);
    let table = variance(&home, &month, "table");
    assert!(
        table.contains(&format!("{month} has not ended (today is {month}-")),
        "{table}"
    );
    let json: Value = serde_json::from_str(&variance(&home, &month, "json")).unwrap();
    assert!(
        json["notes"][0]
            .as_str()
            .unwrap()
            .contains("its bill holds only the charges so far"),
        "{json}"
    );
}

/// The variance of `scenario` for `month`, as JSON.
fn variance_json(home: &Home, scenario: &str, month: &str) -> Value {
    let out = home.run(&["variance", scenario, "--month", month, "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A month the scenario's forecast reaches is planned as that month of the forecast (its
/// deterministic path), not as the steady month: a bill that grew as the forecast said is
/// not a variance. Months before its start or past its horizon, and a forecast with no
/// `start`, are planned as the steady month, and the plan says why.
#[test]
fn a_month_of_the_forecast_is_planned_as_that_month_of_it() {
    let home = Home::new("variance-forecast");
    let plan = plan_of(&home);
    let mut lines = bill(&plan, "2027-03-01T00:00:00Z", 744.0, false);
    lines.extend(bill(&plan, "2029-02-01T00:00:00Z", 672.0, false));
    import(&home, &lines);
    let ugc = "scenarios/ugc-short-form.toml";

    // March 2027 is month 3 of the forecast from 2027-01.
    let out = home.run(&["forecast", ugc, "--paths", "0", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let forecast: Value = serde_json::from_slice(&out.stdout).unwrap();
    let march = &forecast["months"][2];
    assert_eq!(march["month"], "2027-03");
    let v = variance_json(&home, ugc, "2027-03");
    assert_eq!(v["plan"]["kind"], "forecast", "{}", v["plan"]);
    assert_eq!(v["plan"]["index"], 3, "{}", v["plan"]);
    assert_eq!(v["totals"]["planned_usd"], march["total_usd"]);
    assert_ne!(v["totals"]["planned_usd"], plan["total_usd"]);
    assert!(
        v["plan_note"]
            .as_str()
            .unwrap()
            .starts_with("2027-03 is month 3 of the plan's forecast"),
        "{}",
        v["plan_note"]
    );
    // The bill is the steady month's: the forecast's watch time has grown past it, so the
    // bill's US transfer is below the plan and its drivers are named.
    let us = line_of(&v, "US-DataTransfer-Out-Bytes");
    assert!(number(&us["usage_delta"]) < 0.0, "{us}");
    assert!(us["driver"].is_object(), "{us}");

    // February 2029 is past the horizon's last month, 2028-12.
    let v = variance_json(&home, ugc, "2029-02");
    assert_eq!(
        v["plan"],
        serde_json::json!({"kind": "steady-month", "why": {"reason": "after", "last": "2028-12"}})
    );
    assert_eq!(v["totals"]["planned_usd"], plan["total_usd"]);
    assert!(
        v["plan_note"]
            .as_str()
            .unwrap()
            .contains("it comes after the forecast's last month, 2028-12"),
        "{}",
        v["plan_note"]
    );

    // A forecast that leaves its first month to the day it runs has no calendar month.
    let no_start = home.dir.join("no-start.toml");
    let written = std::fs::read_to_string(ugc).unwrap();
    std::fs::write(&no_start, written.replacen("start = \"2027-01\"\n", "", 1)).unwrap();
    let v = variance_json(&home, no_start.to_str().unwrap(), "2027-03");
    assert_eq!(v["plan"]["why"]["reason"], "no-start", "{}", v["plan"]);
    assert!(
        v["plan_note"]
            .as_str()
            .unwrap()
            .contains("write `start = \"YYYY-MM\"`"),
        "{}",
        v["plan_note"]
    );
}
