//! `ladderwise forecast` and `chart forecast` end to end: month 1 is the estimate to the cent,
//! the CSV and FOCUS rows add up to the months they come from, FOCUS 1.2's columns are all
//! there and focus-validator accepts the rows, the reporting currency is the file's rate,
//! the table of a shipped scenario is a golden, and bad arguments exit 2 with a hint.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ladderwise(args: &[&str]) -> Output {
    let data =
        std::env::temp_dir().join(format!("ladderwise-forecast-data-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_ladderwise"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", data)
        .output()
        .expect("run ladderwise")
}

fn ok(args: &[&str]) -> String {
    let o = ladderwise(args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not a decimal: {v}"))).unwrap()
}

const SHIPPED: [&str; 4] = [
    "scenarios/ugc-short-form.toml",
    "scenarios/premium-ott.toml",
    "scenarios/elearning-apple-hls.toml",
    "scenarios/legacy-elastic-transcoder.toml",
];

/// The FOCUS 1.2 mandatory columns (FOCUS 1.2, column definitions; PRICES.md §9.4).
const FOCUS_MANDATORY: [&str; 21] = [
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
];

#[test]
fn month_one_of_every_shipped_forecast_is_its_estimate_to_the_cent() {
    for s in SHIPPED {
        // Month 1 is the estimate when its seasonal factor is 1: e-learning's April.
        let start = if s.contains("elearning") {
            "2027-04"
        } else {
            "2027-01"
        };
        let f: Value = serde_json::from_str(&ok(&[
            "forecast", s, "--format", "json", "--paths", "200", "--start", start,
        ]))
        .unwrap();
        let e: Value = serde_json::from_str(&ok(&["estimate", s, "--format", "json"])).unwrap();
        assert_eq!(f["schema"], 1);
        let m1 = &f["months"][0];
        assert_eq!(m1["index"], 1);
        assert_eq!(dec(&m1["total_usd"]), dec(&e["total_usd"]), "{s}");
        // No growth has acted yet in month 1: every path is the estimate.
        assert_eq!(
            dec(&m1["p50_usd"]).round_dp(2),
            dec(&e["total_usd"]).round_dp(2)
        );
        // The services of each month add up to its total.
        for m in f["months"].as_array().unwrap() {
            let sum: Decimal = m["services"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| dec(&s["cost_usd"]))
                .sum();
            // Each figure is rounded to 6 places: their sum may differ in the last ones.
            assert!(
                (sum - dec(&m["total_usd"])).abs() < Decimal::new(1, 4),
                "{s} {}",
                m["month"]
            );
            assert!(dec(&m["p10_usd"]) <= dec(&m["p50_usd"]));
            assert!(dec(&m["p50_usd"]) <= dec(&m["p90_usd"]));
        }
    }
}

#[test]
fn the_csv_has_a_row_per_month_service_and_percentile_that_adds_up_to_the_total() {
    let text = ok(&["forecast", SHIPPED[0], "--format", "csv", "--paths", "200"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (month, service, percentile, cost) = (
        col("month"),
        col("service"),
        col("percentile"),
        col("cost_usd"),
    );
    let mut sums: std::collections::BTreeMap<String, (Decimal, Option<Decimal>)> =
        Default::default();
    let mut percentiles = std::collections::BTreeSet::new();
    for row in r.records() {
        let row = row.unwrap();
        percentiles.insert(row[percentile].to_string());
        if &row[percentile] != "deterministic" {
            continue;
        }
        let e = sums.entry(row[month].to_string()).or_default();
        let v = Decimal::from_str(&row[cost]).unwrap();
        if &row[service] == "TOTAL" {
            e.1 = Some(v);
        } else {
            e.0 += v;
        }
    }
    assert_eq!(
        percentiles.into_iter().collect::<Vec<_>>(),
        ["deterministic", "p10", "p50", "p90"]
    );
    assert_eq!(sums.len(), 24);
    for (m, (services, total)) in sums {
        // Each figure is rounded to 6 places: their sum may differ in the last ones.
        assert!(
            (services - total.unwrap()).abs() < Decimal::new(1, 4),
            "{m}"
        );
    }
}

#[test]
fn the_reporting_currency_is_the_files_rate_beside_the_dollars() {
    let text = ok(&["forecast", SHIPPED[2], "--format", "csv", "--paths", "200"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let usd = h.iter().position(|c| c == "cost_usd").unwrap();
    let eur = h
        .iter()
        .position(|c| c == "cost_eur")
        .expect("a cost_eur column");
    let rate = Decimal::from_str("0.92").unwrap();
    for row in r.records() {
        let row = row.unwrap();
        let d = Decimal::from_str(&row[usd]).unwrap();
        // Cents of the unrounded amount: the dollars printed are rounded to 6 places.
        assert!((Decimal::from_str(&row[eur]).unwrap() - d * rate).abs() <= Decimal::new(1, 2));
    }
    let table = ok(&["forecast", SHIPPED[2], "--paths", "200"]);
    assert!(table.contains("In EUR:"), "{table}");
}

/// Goldens of every shipped scenario's forecast in every format (fewer paths, so the suite
/// stays quick; the seed makes them exact). FOCUS rows for the first three months.
#[test]
fn shipped_forecasts_match_their_goldens() {
    for s in SHIPPED {
        let name = s.trim_start_matches("scenarios/").trim_end_matches(".toml");
        for format in ["table", "json", "csv"] {
            let text = ok(&["forecast", s, "--paths", "1000", "--format", format]);
            insta::assert_snapshot!(format!("forecast_{format}_{name}"), text);
        }
        let focus = ok(&[
            "forecast", s, "--paths", "0", "--months", "3", "--format", "focus",
        ]);
        insta::assert_snapshot!(format!("forecast_focus_{name}"), focus);
    }
}

/// Reads FOCUS rows: the header, and each row as column → value.
fn focus_rows(text: &str) -> (Vec<String>, Vec<std::collections::HashMap<String, String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

#[test]
fn focus_rows_carry_every_mandatory_column_and_add_up_to_each_month() {
    let json: Value = serde_json::from_str(&ok(&[
        "forecast", SHIPPED[1], "--format", "json", "--paths", "0", "--months", "14",
    ]))
    .unwrap();
    let text = ok(&[
        "forecast", SHIPPED[1], "--format", "focus", "--paths", "0", "--months", "14",
    ]);
    let (header, rows) = focus_rows(&text);
    for c in FOCUS_MANDATORY {
        assert!(header.iter().any(|h| h == c), "no {c} column");
    }
    // Every custom column carries the x_ prefix FOCUS reserves for them.
    let known = [
        "ChargeFrequency",
        "CommitmentDiscountCategory",
        "CommitmentDiscountId",
        "CommitmentDiscountName",
        "CommitmentDiscountStatus",
        "CommitmentDiscountType",
        "ConsumedQuantity",
        "ConsumedUnit",
        "ContractedUnitPrice",
        "ListUnitPrice",
        "PricingCategory",
        "RegionId",
        "RegionName",
        "ResourceId",
        "ResourceName",
        "ResourceType",
        "ServiceSubcategory",
        "SkuId",
        "SkuPriceId",
        "SubAccountId",
        "SubAccountName",
        "Tags",
    ];
    for h in &header {
        assert!(
            FOCUS_MANDATORY.contains(&h.as_str())
                || known.contains(&h.as_str())
                || h.starts_with("x_"),
            "{h} is neither a FOCUS column nor x_-prefixed"
        );
    }
    for m in json["months"].as_array().unwrap() {
        let month = m["month"].as_str().unwrap();
        let start = format!("{month}-01T00:00:00Z");
        let billed: Decimal = rows
            .iter()
            .filter(|r| r["ChargePeriodStart"] == start)
            .map(|r| Decimal::from_str(&r["BilledCost"]).unwrap())
            .sum();
        assert!(
            (billed - dec(&m["total_usd"])).abs() < Decimal::new(1, 3),
            "{month}"
        );
    }
    for r in &rows {
        assert_eq!(r["BillingCurrency"], "USD");
        assert!(["Usage", "Purchase"].contains(&r["ChargeCategory"].as_str()));
        assert_eq!(r["BilledCost"], r["ListCost"]);
        assert!(!r["ServiceName"].is_empty() && !r["ServiceCategory"].is_empty());
        let q = Decimal::from_str(&r["PricingQuantity"]).unwrap();
        let unit = Decimal::from_str(&r["ListUnitPrice"]).unwrap();
        let cost = Decimal::from_str(&r["ListCost"]).unwrap();
        // The blended rate times the quantity gives the cost back to the cent.
        assert!((unit * q - cost).abs() < Decimal::new(1, 2), "{r:?}");
    }
    // The AV1 ladder of month 13 changes what the rows say, not only the totals.
    assert!(rows.iter().any(|r| r["x_ForecastMonth"] == "13"));
}

/// Runs focus-validator on `file`; returns whether it accepted it, and its report.
fn focus_validator(file: &std::path::Path) -> (bool, String) {
    let validator = PathBuf::from(std::env::var("LADDERWISE_FOCUS_VALIDATOR").unwrap_or_else(|_| {
        panic!("LADDERWISE_FOCUS_VALIDATOR is not set: run the suite with .ci/run, which installs focus-validator")
    }));
    // The release reads its currency-code list from a path relative to the working
    // directory: its site-packages.
    let venv = validator.parent().and_then(|p| p.parent()).unwrap();
    let site = std::fs::read_dir(venv.join("lib"))
        .unwrap()
        .map(|e| e.unwrap().path().join("site-packages"))
        .find(|p| p.join("focus_validator").is_dir())
        .expect("focus_validator in the venv's site-packages");
    let out = Command::new(&validator)
        .arg("--data-file")
        .arg(file)
        .args([
            "--validate-version",
            "1.0",
            "--column-namespace",
            "x",
            "--override-file",
        ])
        .arg(root().join("tests/support/focus-1.0-override.yaml"))
        .current_dir(site)
        .output()
        .expect("run focus-validator");
    let report =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (
        out.status.success() && report.contains("Validation succeeded"),
        report,
    )
}

/// focus-validator (FOCUS 1.0 rules, the release that installs on Python 3.11) accepts the
/// rows, but for the rules FOCUS 1.1 and 1.2 changed (tests/support/focus-1.0-override.yaml);
/// and it refuses them once a currency code is broken, so it does check them.
#[test]
fn focus_validator_accepts_the_rows() {
    let dir = std::env::temp_dir().join(format!("ladderwise-focus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("forecast-focus.csv");
    let text = ok(&[
        "forecast", SHIPPED[0], "--format", "focus", "--paths", "0", "--months", "3",
    ]);
    std::fs::write(&file, &text).unwrap();
    let (accepted, report) = focus_validator(&file);
    assert!(accepted, "{report}");
    let broken = dir.join("broken-focus.csv");
    std::fs::write(&broken, text.replace(",USD,", ",XYZ,")).unwrap();
    let (accepted, report) = focus_validator(&broken);
    assert!(!accepted, "a currency code XYZ passed: {report}");
    assert!(report.contains("BillingCurrency"), "{report}");
}

#[test]
fn the_fan_chart_names_the_budget_the_event_and_the_band() {
    let dir = std::env::temp_dir().join(format!("ladderwise-fan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("fan.svg");
    ok(&["chart", "forecast", SHIPPED[0], "-o", svg.to_str().unwrap()]);
    let text = std::fs::read_to_string(&svg).unwrap();
    for label in [
        "budget $30k",
        "launch in Brazil",
        "P10 to P90 of the total",
        "P50 of the total",
        "CloudFront",
        "2028-11",
    ] {
        assert!(text.contains(label), "no `{label}` in the fan chart");
    }
    assert!(text.contains("Budget $30,000.00 a month: the P50 first goes over it in 2028-"));
    // The chart says what the table says of the P90 too, not only of the P50.
    assert!(
        text.contains("; the P90 first goes over it in 2028-"),
        "{text}"
    );
    // The axis title gives the reporting currency's rate where it fits along the plot, and
    // the currency alone on the smallest chart allowed, never running off it.
    for (size, says) in [
        (
            ["1200", "700"],
            "cost per month (USD; EUR at 0.92 per USD on ",
        ),
        (["640", "400"], "cost per month (USD; EUR)\n"),
    ] {
        let small = dir.join(format!("fan-{}.svg", size[0]));
        let at = small.to_str().unwrap();
        ok(&[
            "chart", "forecast", SHIPPED[2], "-o", at, "--width", size[0], "--height", size[1],
        ]);
        let text = std::fs::read_to_string(&small).unwrap();
        assert!(text.contains(says), "{size:?}: no `{says}`");
    }
    // A forecast of one month is drawn across the month, not as areas and lines of no
    // width (an empty plot under a legend of services).
    let source =
        std::fs::read_to_string(root().join("scenarios/legacy-elastic-transcoder.toml")).unwrap();
    let one = dir.join("one-month.toml");
    std::fs::write(&one, source.replacen("months = 12", "months = 1", 1)).unwrap();
    let svg_one = dir.join("one-month.svg");
    ok(&[
        "chart",
        "forecast",
        one.to_str().unwrap(),
        "-o",
        svg_one.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg_one).unwrap();
    let widths: Vec<f64> = text
        .split("<polygon ")
        .skip(1)
        .filter_map(|p| Some(&p[p.find("points=\"")? + 8..]))
        .map(|p| {
            let xs: Vec<f64> = p[..p.find('"').unwrap()]
                .split_whitespace()
                .filter_map(|xy| xy.split(',').next()?.parse().ok())
                .collect();
            xs.iter().copied().fold(f64::MIN, f64::max)
                - xs.iter().copied().fold(f64::MAX, f64::min)
        })
        .collect();
    assert!(!widths.is_empty(), "no area drawn");
    assert!(
        widths.iter().all(|w| *w > 300.0),
        "areas of no width: {widths:?}"
    );
    let png = dir.join("fan.png");
    ok(&["chart", "forecast", SHIPPED[2], "-o", png.to_str().unwrap()]);
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    // Over totals that leave unpriced lines out, the chart dates no crossing exactly: it says
    // what the table says.
    let source = std::fs::read_to_string(root().join(SHIPPED[0])).unwrap();
    let north = dir.join("eu-north-1.toml");
    std::fs::write(
        &north,
        source.replacen("region = \"us-east-1\"", "region = \"eu-north-1\"", 1),
    )
    .unwrap();
    ok(&[
        "chart",
        "forecast",
        north.to_str().unwrap(),
        "-o",
        svg.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("at the latest"), "{text}");
    assert!(!text.contains("first goes over it"), "{text}");
}

#[test]
fn bad_arguments_exit_2_with_a_hint() {
    for (args, expect) in [
        (vec!["forecast", SHIPPED[0], "--months", "0"], "1 to 120"),
        (vec!["forecast", SHIPPED[0], "--months", "121"], "1 to 120"),
        // As the file's `paths` is bounded (so memory is: 10,000,000 paths over 120 months
        // ran out of it).
        (
            vec!["forecast", SHIPPED[0], "--paths", "1000001"],
            "is over 1000000",
        ),
        (
            vec!["forecast", SHIPPED[0], "--start", "2027-13"],
            "YYYY-MM",
        ),
        (vec!["forecast", "no/such.toml"], "hint:"),
    ] {
        let o = ladderwise(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(expect), "{args:?}: {err}");
    }
}

/// A growth that stays within its field's bound over the file's horizon but not over a longer
/// one asked for with `--months` is found at the growth's line, as the file's own horizon
/// finds it, and the hint says which horizon was asked for.
#[test]
fn a_growth_past_its_bound_over_a_longer_horizon_points_at_its_line() {
    let text = std::fs::read_to_string(root().join(SHIPPED[0]))
        .unwrap()
        .replace(
            r#""content.new_minutes_per_month" = { compound = 0.03, p10 = 0.01, p90 = 0.05 }"#,
            r#""content.new_minutes_per_month" = { compound = 0.25 }"#,
        );
    let line = 1 + text[..text.find("{ compound = 0.25 }").unwrap()]
        .matches('\n')
        .count();
    let dir = std::env::temp_dir().join(format!("ladderwise-horizon-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("growth.toml");
    std::fs::write(&file, &text).unwrap();
    let file = file.to_str().unwrap();
    // Over the file's 24 months the growth holds.
    ok(&["forecast", file, "--paths", "0"]);
    let o = ladderwise(&["forecast", file, "--paths", "0", "--months", "120"]);
    // A file whose own horizon breaks the bound forecasts over a shorter one it asks for:
    // the months left out are not checked.
    let long = dir.join("long.toml");
    std::fs::write(&long, text.replacen("months = 24", "months = 120", 1)).unwrap();
    let long = long.to_str().unwrap();
    assert_eq!(
        ladderwise(&["forecast", long, "--paths", "0"])
            .status
            .code(),
        Some(2)
    );
    let short = ok(&[
        "forecast", long, "--paths", "0", "--months", "24", "--format", "json",
    ]);
    let short: Value = serde_json::from_str(&short).unwrap();
    assert_eq!(short["months"].as_array().unwrap().len(), 24);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("growth.toml:{line}:")), "{err}");
    assert!(
        err.contains("past the 1,000,000,000,000 its field allows"),
        "{err}"
    );
    assert!(
        err.contains("the horizon asked for is 120 months, the file's `months` is 24"),
        "{err}"
    );
}

/// `seasonality = "usage"` with no usage in the store is the file's problem: refused with
/// exit 2 at the value's line and column, with what to do instead.
#[test]
fn seasonality_from_an_empty_usage_store_points_at_its_line() {
    let text = std::fs::read_to_string(root().join("scenarios/elearning-apple-hls.toml"))
        .unwrap()
        .replace(
            "seasonality = [1.1, 1.1, 1.05, 1.0, 0.95, 0.75, 0.6, 0.7, 1.15, 1.2, 1.2, 1.2]",
            "seasonality = \"usage\"",
        );
    let line = 1 + text[..text.find("seasonality = \"usage\"").unwrap()]
        .matches('\n')
        .count();
    let dir = std::env::temp_dir().join(format!("ladderwise-seasonality-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("seasons.toml");
    std::fs::write(&file, &text).unwrap();
    let file = file.to_str().unwrap();
    let report = dir.join("report");
    let chart = dir.join("fan.svg");
    // Every command that forecasts the file says it the same way.
    for args in [
        vec!["forecast", file, "--paths", "0"],
        vec!["report", file, "-o", report.to_str().unwrap()],
        vec!["chart", "forecast", file, "-o", chart.to_str().unwrap()],
    ] {
        let o = ladderwise(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(&format!("seasons.toml:{line}:15")),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("`seasonality = \"usage\"` needs the months of the usage store"),
            "{err}"
        );
        assert!(
            err.contains("hint: import or pull at least 12 months"),
            "{err}"
        );
    }
    assert!(!chart.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The JSON forecast of the scenario `text`, written to a file of its own first, with `args`.
fn forecast_json_of(tag: &str, text: &str, args: &[&str]) -> Value {
    let dir = std::env::temp_dir().join(format!("ladderwise-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    let mut all = vec!["forecast", file.to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let f = serde_json::from_str(&ok(&all)).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    f
}

#[test]
fn a_scenario_without_a_forecast_section_forecasts_flat_with_a_note() {
    let text = std::fs::read_to_string(root().join(SHIPPED[3])).unwrap();
    let flat = &text[..text.find("[forecast]").unwrap()];
    let f = forecast_json_of("flat", flat, &["--months", "3", "--start", "2027-01"]);
    let months = f["months"].as_array().unwrap();
    assert_eq!(months.len(), 3);
    assert!(
        f["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("flat")),
        "{}",
        f["notes"]
    );
    assert_eq!(f["start"], "2027-01");
}

/// An event dated by calendar month happens in that month whatever the forecast's start: a
/// start given on the command line moves it on the horizon, one before the start holds from
/// the first month, and one past the horizon is left out, each with a note.
#[test]
fn a_calendar_event_keeps_its_month_when_the_start_moves() {
    let dir = std::env::temp_dir().join(format!("ladderwise-calendar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    // The file starts in 2027-01; its month 7 is 2027-07.
    assert!(text.contains("start = \"2027-01\""));
    let file = dir.join("calendar.toml");
    std::fs::write(
        &file,
        text.replacen("month = 7\n", "month = \"2027-07\"\n", 1),
    )
    .unwrap();
    let run = |start: &str| -> Value {
        serde_json::from_str(&ok(&[
            "forecast",
            file.to_str().unwrap(),
            "--format",
            "json",
            "--paths",
            "0",
            "--months",
            "6",
            "--start",
            start,
        ]))
        .unwrap()
    };
    let event_months = |f: &Value| -> Vec<String> {
        f["months"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| !m["events"].as_array().unwrap().is_empty())
            .map(|m| m["month"].as_str().unwrap().to_string())
            .collect()
    };
    let notes = |f: &Value| f["notes"].to_string();
    // Started two months later, the launch is still in 2027-07: month 5, not month 7.
    let f = run("2027-03");
    assert_eq!(event_months(&f), ["2027-07"]);
    // Started after it, the launch has happened: it holds from the first month.
    let f = run("2027-09");
    assert_eq!(event_months(&f), ["2027-09"]);
    assert!(
        notes(&f).contains("comes before the forecast's start"),
        "{}",
        notes(&f)
    );
    // Started long before it, with six months, it falls past the horizon.
    let f = run("2026-01");
    assert!(event_months(&f).is_empty());
    assert!(
        notes(&f).contains("falls after the horizon, 2026-01 to 2026-06: left out"),
        "{}",
        notes(&f)
    );
}

/// A service with no price in the scenario's Region (Comprehend is not offered in
/// sa-east-1) is unknown in every output of the forecast, never $0: null in the JSON, empty in
/// the CSV, `unpriced` in the table, whose percentiles read as lower bounds.
#[test]
fn an_unpriced_service_is_never_zero_in_a_forecast() {
    let dir = std::env::temp_dir().join(format!("ladderwise-unpriced-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    let file = dir.join("sa.toml");
    std::fs::write(
        &file,
        text.replacen("region = \"us-east-1\"", "region = \"sa-east-1\"", 1),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    fn args<'a>(path: &'a str, format: &'a str) -> [&'a str; 8] {
        [
            "forecast", path, "--months", "2", "--paths", "100", "--format", format,
        ]
    }
    let json: Value = serde_json::from_str(&ok(&args(path, "json"))).unwrap();
    let month = &json["months"][0];
    assert_eq!(month["complete"], false);
    let services = month["services"].as_array().unwrap();
    let comprehend = services
        .iter()
        .find(|s| s["service"] == "Amazon Comprehend")
        .unwrap();
    for key in ["cost_usd", "p10_usd", "p50_usd", "p90_usd"] {
        assert!(comprehend[key].is_null(), "{key}: {comprehend}");
    }
    assert_eq!(comprehend["complete"], false);
    let cloudfront = services
        .iter()
        .find(|s| s["service_code"] == "AmazonCloudFront")
        .unwrap();
    assert_eq!(cloudfront["complete"], true);
    assert!(dec(&cloudfront["cost_usd"]) > Decimal::ZERO);
    let csv = ok(&args(path, "csv"));
    let rows: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains("Amazon Comprehend"))
        .collect();
    assert_eq!(rows.len(), 8, "{csv}");
    assert!(rows.iter().all(|r| r.contains(",,false,")), "{rows:?}");
    let table = ok(&args(path, "table"));
    let first = table.lines().find(|l| l.starts_with("2027-01")).unwrap();
    assert!(
        first.contains("unpriced") && first.matches('≥').count() == 3,
        "{first}"
    );
    // In a reporting currency too, the sum of what is priced says more is not.
    let eur = dir.join("sa-eur.toml");
    let with_currency = std::fs::read_to_string(&file).unwrap().replacen(
        "[forecast]\n",
        "[forecast]\ncurrency = \"EUR\"\nusd_rate = 0.92\nrate_date = \"2026-11-30\"\nrate_source = \"a test\"\n",
        1,
    );
    assert!(with_currency.contains("currency = \"EUR\""));
    std::fs::write(&eur, with_currency).unwrap();
    let table = ok(&args(eur.to_str().unwrap(), "table"));
    let line = table.lines().find(|l| l.starts_with("In EUR:")).unwrap();
    assert!(line.contains(" EUR + unpriced (P50 sum)"), "{line}");
}

/// A driver that falls to its bound is held there, and the notes say from which month: the
/// month it lands on 0, even exactly (the hit rate, 0.95 − 5 × 0.19, in month 6), and
/// watch minutes that land on 0 and so never go below it (9,000,000 − 4 × 2,250,000, in
/// month 5).
#[test]
fn a_driver_held_at_zero_is_named_from_the_month_it_lands() {
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    assert!(
        text.contains("cache_hit_rate = 0.95")
            && text.contains("watch_minutes_per_month = 9000000.0")
    );
    let falling = format!(
        "{}[forecast]\nstart = \"2027-01\"\nmonths = 12\n\n[forecast.growth]\n\
         \"audience.watch_minutes_per_month\" = {{ linear = -2250000 }}\n\
         \"delivery.cache_hit_rate\" = {{ linear = -0.19 }}\n",
        &text[..text.find("[forecast]").unwrap()]
    );
    let f = forecast_json_of("held", &falling, &[]);
    let notes = f["notes"].to_string();
    assert!(
        notes.contains("the cache hit rate falls to 0 in 2027-06 and is held there"),
        "{notes}"
    );
    assert!(
        notes.contains("watch minutes fall to 0 in 2027-05 and stay there"),
        "{notes}"
    );
}

/// A large plan works end to end: a ladder of 50 rungs, forecast over 120 months (the most
/// the field allows), estimated, forecast, charted and reported.
#[test]
fn fifty_rungs_and_a_hundred_and_twenty_months() {
    let dir = std::env::temp_dir().join(format!("ladderwise-test-{}-large", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    // The shipped file's two rungs replaced by fifty, 2 % of watch time each.
    let start = shipped.find("[[ladder.rungs]]").unwrap();
    let end = shipped.find("[audience]").unwrap();
    let mut rungs = String::new();
    for i in 0..50 {
        let height: usize = 144 + 24 * i;
        let width = (height * 16 / 9).div_ceil(2) * 2;
        rungs.push_str(&format!(
            "[[ladder.rungs]]\nname = \"r{i:02}\"\nwidth = {width}\nheight = {height}\nfps = 30\ncodec = \"{}\"\nvideo_kbps = {}\naudio_kbps = 96\nwatch_share = 0.02\n\n",
            ["avc", "hevc"][i % 2],
            200 + 150 * i
        ));
    }
    let text = format!("{}{rungs}{}", &shipped[..start], &shipped[end..])
        .replace("months = 24", "months = 120");
    let path = dir.join("fifty.toml");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();

    let out = ladderwise(&["estimate", p, "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rungs"].as_array().unwrap().len(), 50);

    let out = ladderwise(&["forecast", p, "--format", "json", "--paths", "1000"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["months"].as_array().unwrap().len(), 120);

    for kind in ["ladder", "forecast"] {
        let png = dir.join(format!("{kind}.png"));
        let out = ladderwise(&["chart", kind, p, "-o", png.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = ladderwise(&["report", p, "-o", dir.join("report").to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if std::env::var_os("LADDERWISE_KEEP_LARGE").is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
