//! `ladderwise actuals …` end to end, on exports written here with polars in both schemas
//! AWS Data Exports delivers (FOCUS 1.2 with AWS columns, CUR 2.0), as Parquet, CSV and
//! gzipped CSV, with their real column names: import, show (goldens), re-import of one month,
//! every kind of bad input, and calibration from the bill.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::{Column, DataType, ParquetWriter};
use support::exports::{A, B, Line, all, cur_frame, focus_frame, line, write_csv, write_parquet};
use support::home::{Home, text};

/// September and October 2026, two accounts. By hand, what is kept:
///
/// September — usage: CloudFront US transfer 600 + 400 = 1,000 GB for 51 + 34 = $85,
/// 10,000,000 HTTPS requests $10, S3 Standard 2,000 GB-Mo $46, MediaConvert 5,000 NTM $37.50
/// (usage 85 + 10 + 46 + 37.5 = $178.50); a credit −$20; tax $8.50; a CloudFront Security
/// Savings Bundle purchase $30 (commitment). Billed 178.5 − 20 + 8.5 + 30 = $197.00.
///
/// October — usage: CloudFront 500 GB $42.50, S3 2,100 GB-Mo $48.30 (usage $90.80); a
/// refund (a correction of September's S3) −$5. Billed 90.8 − 5 = $85.80. One S3 request line
/// has no cost at all: counted and left out, never $0.
///
/// EC2 ($500 and $300) is not a service Ladderwise models and is filtered out.
fn focus_lines() -> Vec<Line> {
    let cf = "AmazonCloudFront";
    let mut v = vec![
        line(
            "2026-09-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            Some(600.0),
            all(51.0),
            "Usage",
        ),
        line(
            "2026-09-30T23:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            Some(400.0),
            all(34.0),
            "Usage",
        ),
        line(
            "2026-09-15T12:00:00Z",
            A,
            None,
            cf,
            Some("US-Requests-Tier2-HTTPS"),
            "Requests",
            Some(10_000_000.0),
            all(10.0),
            "Usage",
        ),
        line(
            "2026-09-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            None,
            (Some(0.0), Some(-20.0), Some(-20.0)),
            "Credit",
        ),
        line(
            "2026-09-01T00:00:00Z",
            A,
            None,
            cf,
            None,
            "",
            None,
            all(8.5),
            "Tax",
        ),
        line(
            "2026-09-01T00:00:00Z",
            A,
            None,
            cf,
            Some("CloudFrontSecuritySavingsBundle"),
            "",
            None,
            (Some(30.0), Some(30.0), Some(0.0)),
            "Purchase",
        ),
        line(
            "2026-09-02T00:00:00Z",
            B,
            Some("us-east-1"),
            "AmazonS3",
            Some("TimedStorage-ByteHrs"),
            "GB-Mo",
            Some(2000.0),
            all(46.0),
            "Usage",
        ),
        line(
            "2026-09-03T00:00:00Z",
            B,
            Some("us-east-1"),
            "AWSElementalMediaConvert",
            Some("IAD-B-AVC-HD-S-30-NTM"),
            "minutes",
            Some(5000.0),
            all(37.5),
            "Usage",
        ),
        line(
            "2026-09-03T00:00:00Z",
            A,
            Some("us-east-1"),
            "AmazonEC2",
            Some("BoxUsage:m7g.large"),
            "Hrs",
            Some(720.0),
            all(500.0),
            "Usage",
        ),
        line(
            "2026-10-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            Some(500.0),
            all(42.5),
            "Usage",
        ),
        line(
            "2026-10-05T00:00:00Z",
            B,
            Some("us-east-1"),
            "AmazonS3",
            Some("TimedStorage-ByteHrs"),
            "GB-Mo",
            Some(2100.0),
            all(48.3),
            "Usage",
        ),
        line(
            "2026-10-06T00:00:00Z",
            B,
            Some("us-east-1"),
            "AmazonS3",
            Some("Requests-Tier1"),
            "Requests",
            Some(1000.0),
            (None, None, None),
            "Usage",
        ),
        line(
            "2026-10-03T00:00:00Z",
            A,
            Some("us-east-1"),
            "AmazonEC2",
            Some("BoxUsage:m7g.large"),
            "Hrs",
            Some(500.0),
            all(300.0),
            "Usage",
        ),
    ];
    let mut refund = line(
        "2026-10-02T00:00:00Z",
        B,
        Some("us-east-1"),
        "AmazonS3",
        Some("TimedStorage-ByteHrs"),
        "GB-Mo",
        None,
        all(-5.0),
        "Usage",
    );
    refund.class = Some("Correction");
    v.push(refund);
    v
}

/// October again, as CUR 2.0. By hand: usage CloudFront 800 GB $68, S3 2,100 GB-Mo $48.30,
/// data transfer out of S3 100 GB $9 (its product code is AmazonS3, its service code
/// AWSDataTransfer) = $125.30; a bundled discount −$6.80, a credit −$10, tax $5.44, a refund
/// −$3. Billed 125.3 − 6.8 − 10 + 5.44 − 3 = $110.94. EC2 $200 is filtered out.
fn cur_october() -> Vec<Line> {
    let cf = "AmazonCloudFront";
    let mut v = vec![
        line(
            "2026-10-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            Some(800.0),
            all(68.0),
            "Usage",
        ),
        line(
            "2026-10-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            Some(0.0),
            (Some(0.0), Some(-6.8), Some(-6.8)),
            "BundledDiscount",
        ),
        line(
            "2026-10-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            None,
            (Some(0.0), Some(-10.0), Some(-10.0)),
            "Credit",
        ),
        line(
            "2026-10-01T00:00:00Z",
            A,
            None,
            cf,
            None,
            "",
            None,
            all(5.44),
            "Tax",
        ),
        line(
            "2026-10-05T00:00:00Z",
            B,
            Some("us-east-1"),
            "AmazonS3",
            Some("TimedStorage-ByteHrs"),
            "GB-Mo",
            Some(2100.0),
            all(48.3),
            "Usage",
        ),
        line(
            "2026-10-05T00:00:00Z",
            B,
            Some("us-east-1"),
            "AmazonS3",
            Some("TimedStorage-ByteHrs"),
            "GB-Mo",
            None,
            (Some(0.0), Some(-3.0), Some(-3.0)),
            "Refund",
        ),
        line(
            "2026-10-05T00:00:00Z",
            B,
            Some("us-east-1"),
            "AWSDataTransfer",
            Some("DataTransfer-Out-Bytes"),
            "GB",
            Some(100.0),
            all(9.0),
            "Usage",
        ),
        line(
            "2026-10-03T00:00:00Z",
            A,
            Some("us-east-1"),
            "AmazonEC2",
            Some("BoxUsage:m7g.large"),
            "Hrs",
            Some(300.0),
            all(200.0),
            "Usage",
        ),
    ];
    for l in &mut v {
        // CUR has no correction class.
        l.class = None;
    }
    v
}

/// Every file of the store with its bytes.
fn store_files(home: &Home) -> BTreeMap<PathBuf, Vec<u8>> {
    home.files("ladderwise/actuals")
}

/// Runs `actuals import` and checks it succeeded; returns what it said.
fn check_import(home: &Home, path: &Path) -> String {
    let out = home.run(&["actuals", "import", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The progress of a long import is drawn on a terminal only, never into a pipe.
    assert_eq!(text(&out.stderr), "");
    text(&out.stdout)
}

fn show(home: &Home, format: &str) -> String {
    let out = home.run(&["actuals", "show", "--format", format]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn focus_parquet_and_csv_import_alike_and_show() {
    let home = Home::new("actuals-focus");
    let parquet = home.dir.join("focus.parquet");
    write_parquet(&mut focus_frame(&focus_lines()), &parquet);
    let said = check_import(&home, &parquet);
    assert!(
        said.contains("imported 1 file(s) (1 FOCUS 1.2, 0 CUR 2.0)"),
        "{said}"
    );
    // 14 lines, 2 of EC2 and 1 without cost left out: 11.
    assert!(said.contains(": 11 line(s) of modelled services"), "{said}");
    assert!(
        said.contains("replaced billing period(s) 2026-09, 2026-10:"),
        "{said}"
    );
    // Usage 178.5 + 90.8; credit −20; refund −5; tax 8.5; commitment 30.
    assert!(
        said.contains("billed by kind (USD): usage 269.30, credit -20.00, refund -5.00, tax 8.50, commitment 30.00"),
        "{said}"
    );
    assert!(
        said.contains("warning: 1 line(s) had no billed cost"),
        "{said}"
    );

    let table = show(&home, "table");
    assert!(table.contains("2026-09 billed total USD 197.00"), "{table}");
    assert!(table.contains("2026-10 billed total USD 85.80"), "{table}");
    assert!(!table.contains("AmazonEC2"));
    insta::assert_snapshot!("actuals_show_table", table);
    let json = show(&home, "json");
    insta::assert_snapshot!("actuals_show_json", json);
    let csv = show(&home, "csv");
    insta::assert_snapshot!("actuals_show_csv", csv);
    // A range the store holds nothing of is bad input naming the months it holds, in every
    // format, as `variance --month` is.
    for (range, says) in [
        (
            vec!["--from", "2027-01"],
            "the actuals store has no month from 2027-01 on",
        ),
        (
            vec!["--to", "2026-08"],
            "the actuals store has no month up to 2026-08",
        ),
        (
            vec!["--from", "2026-11", "--to", "2026-12"],
            "the actuals store has no month from 2026-11 to 2026-12",
        ),
    ] {
        for format in ["table", "json"] {
            let out = home.run(&[&["actuals", "show", "--format", format][..], &range].concat());
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{range:?}: {err}");
            assert!(err.contains(says), "{err}");
            assert!(
                err.contains("hint: the store holds 2026-09, 2026-10"),
                "{err}"
            );
        }
    }
    let out = home.run(&["actuals", "show", "--from", "2026-10"]);
    assert!(text(&out.stdout).contains("2026-10 billed total USD 85.80"));

    // The same export as CSV, and as gzipped CSV, gives the same store.
    for name in ["focus.csv", "focus.csv.gz"] {
        let other = Home::new(&format!("actuals-focus-{name}"));
        let path = other.dir.join(name);
        write_csv(&mut focus_frame(&focus_lines()), &path);
        check_import(&other, &path);
        assert_eq!(show(&other, "json"), json, "{name}");
    }
}

/// A FOCUS export of `lines` with `BillingPeriodStart` of each line's billing period.
fn focus_billed(lines: &[Line], periods: &[&str]) -> polars::prelude::DataFrame {
    use polars::prelude::*;
    let mut df = focus_frame(lines);
    let utc = DataType::Datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC));
    let start = Series::new(
        "BillingPeriodStart".into(),
        periods
            .iter()
            .map(|p| ladderwise_usage::calendar::parse_iso(p).unwrap())
            .collect::<Vec<_>>(),
    )
    .cast(&utc)
    .unwrap();
    df.with_column(Column::from(start)).unwrap();
    df
}

/// October's export carries a correction charged in September: importing it replaces
/// October's billing period (the correction joins September's lines, which stay), and
/// importing it again, or September's export again, changes nothing else.
#[test]
fn an_export_replaces_its_billing_period_not_the_months_it_corrects() {
    let home = Home::new("actuals-billing-period");
    let cf = "AmazonCloudFront";
    let s3 = "AmazonS3";
    let september = vec![
        line(
            "2026-09-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            Some(100_000.0),
            all(8_500.0),
            "Usage",
        ),
        line(
            "2026-09-01T00:00:00Z",
            A,
            Some("us-east-1"),
            s3,
            Some("TimedStorage-ByteHrs"),
            "GB-Mo",
            Some(80_000.0),
            all(1_900.0),
            "Usage",
        ),
    ];
    let sep = home.dir.join("sep.parquet");
    write_parquet(
        &mut focus_billed(&september, &["2026-09-01T00:00:00Z"; 2]),
        &sep,
    );
    check_import(&home, &sep);

    let mut correction = line(
        "2026-09-01T00:00:00Z",
        A,
        Some("us-east-1"),
        s3,
        Some("TimedStorage-ByteHrs"),
        "GB-Mo",
        None,
        all(-50.0),
        "Adjustment",
    );
    correction.class = Some("Correction");
    let october = vec![
        line(
            "2026-10-01T00:00:00Z",
            A,
            None,
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            "GB",
            Some(90_000.0),
            all(7_650.0),
            "Usage",
        ),
        correction,
    ];
    let oct = home.dir.join("oct.parquet");
    write_parquet(
        &mut focus_billed(&october, &["2026-10-01T00:00:00Z"; 2]),
        &oct,
    );
    let said = check_import(&home, &oct);
    assert!(
        said.contains("replaced billing period(s) 2026-10 (lines charged in 2026-09, 2026-10)"),
        "{said}"
    );
    let table = show(&home, "table");
    // September keeps its $10,400 of usage, less the $50 correction October brought.
    assert!(
        table.contains("2026-09 billed total USD 10350.00"),
        "{table}"
    );
    assert!(
        table.contains("2026-10 billed total USD 7650.00"),
        "{table}"
    );

    // Either export again: the same store.
    let before = show(&home, "csv");
    check_import(&home, &oct);
    assert_eq!(show(&home, "csv"), before);
    let said = check_import(&home, &sep);
    assert!(
        said.contains("replaced billing period(s) 2026-09:"),
        "{said}"
    );
    assert_eq!(show(&home, "csv"), before);
}

#[test]
fn reimporting_a_month_replaces_only_that_month() {
    let home = Home::new("actuals-reimport");
    let focus = home.dir.join("focus.parquet");
    write_parquet(&mut focus_frame(&focus_lines()), &focus);
    check_import(&home, &focus);
    let september = home
        .data()
        .join("ladderwise/actuals/month=2026-09/part.parquet");
    let before = std::fs::read(&september).unwrap();
    let before_time = std::fs::metadata(&september).unwrap().modified().unwrap();
    let json_before: serde_json::Value = serde_json::from_str(&show(&home, "json")).unwrap();

    // October again, from a CUR 2.0 export, gzipped CSV in a directory tree.
    let dir = home.dir.join("cur/2026-10");
    std::fs::create_dir_all(&dir).unwrap();
    write_csv(&mut cur_frame(&cur_october()), &dir.join("part-0.csv.gz"));
    let said = check_import(&home, &home.dir.join("cur"));
    assert!(said.contains("(0 FOCUS 1.2, 1 CUR 2.0)"), "{said}");
    assert!(
        said.contains("replaced billing period(s) 2026-10:"),
        "{said}"
    );
    assert!(
        said.contains("billed by kind (USD): usage 125.30, credit -10.00, refund -3.00, tax 5.44, discount -6.80"),
        "{said}"
    );

    assert_eq!(std::fs::read(&september).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&september).unwrap().modified().unwrap(),
        before_time
    );
    let json_after: serde_json::Value = serde_json::from_str(&show(&home, "json")).unwrap();
    let of_month = |v: &serde_json::Value, m: &str| -> Vec<serde_json::Value> {
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["month"] == m)
            .cloned()
            .collect()
    };
    assert_eq!(
        of_month(&json_after, "2026-09"),
        of_month(&json_before, "2026-09")
    );
    let table = show(&home, "table");
    assert!(table.contains("2026-09 billed total USD 197.00"), "{table}");
    assert!(table.contains("2026-10 billed total USD 110.94"), "{table}");
    // The transfer out of S3 is AWSDataTransfer's, not S3's.
    assert!(table.contains("  AWSDataTransfer\n"), "{table}");
    insta::assert_snapshot!("actuals_show_after_cur", show(&home, "csv"));

    // The same CUR export as Parquet imports alike.
    let other = Home::new("actuals-cur-parquet");
    let p = other.dir.join("cur.parquet");
    write_parquet(&mut cur_frame(&cur_october()), &p);
    check_import(&other, &p);
    let again = show(&other, "csv");
    let october: Vec<&str> = again.lines().filter(|l| l.starts_with("2026-10")).collect();
    let expected = show(&home, "csv");
    let expected: Vec<&str> = expected
        .lines()
        .filter(|l| l.starts_with("2026-10"))
        .collect();
    assert_eq!(october, expected);
}

/// A bad import: exit code 2, the message names the file and column, the store unchanged.
fn check_bad(home: &Home, path: &Path, says: &[&str]) {
    let before = store_files(home);
    let out = home.run(&["actuals", "import", path.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for s in says {
        assert!(err.contains(s), "`{s}` missing from: {err}");
    }
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(store_files(home), before, "the store changed");
}

#[test]
fn bad_input_is_refused_and_stores_nothing() {
    let home = Home::new("actuals-bad");
    let good = home.dir.join("good.parquet");
    write_parquet(&mut focus_frame(&focus_lines()), &good);
    check_import(&home, &good);
    assert!(!store_files(&home).is_empty());

    // Neither FOCUS nor CUR.
    let other = home.dir.join("other.csv");
    std::fs::write(&other, "date,amount\n2026-10-01,12\n").unwrap();
    check_bad(
        &home,
        &other,
        &[
            "other.csv",
            "neither a FOCUS 1.2 nor a CUR 2.0",
            "`BilledCost`",
        ],
    );

    // FOCUS without the AWS service code column.
    let no_code = home.dir.join("no-code.parquet");
    let mut df = focus_frame(&focus_lines()).drop("x_ServiceCode").unwrap();
    write_parquet(&mut df, &no_code);
    check_bad(&home, &no_code, &["no-code.parquet", "x_ServiceCode"]);

    // CUR without its usage amounts.
    let no_amount = home.dir.join("no-amount.csv");
    let mut df = cur_frame(&cur_october())
        .drop("line_item_usage_amount")
        .unwrap();
    write_csv(&mut df, &no_amount);
    check_bad(
        &home,
        &no_amount,
        &["no-amount.csv", "line_item_usage_amount"],
    );

    // A column named as polars names its own: polars panicked planning any query over such
    // a file (found by fuzzing). Refused, as Parquet and as CSV.
    let mut df = focus_frame(&focus_lines());
    let reserved = vec!["x"; df.height()];
    df.with_column(Column::new("__PL_STRUCTFIELDS".into(), reserved))
        .unwrap();
    for name in ["reserved.parquet", "reserved.csv"] {
        let path = home.dir.join(name);
        if name.ends_with(".csv") {
            write_csv(&mut df, &path);
        } else {
            write_parquet(&mut df, &path);
        }
        check_bad(&home, &path, &[name, "`__PL_STRUCTFIELDS`"]);
    }

    // Not Parquet at all.
    let broken = home.dir.join("broken.parquet");
    std::fs::write(&broken, b"PAR1 this is not a parquet file").unwrap();
    check_bad(&home, &broken, &["broken.parquet"]);

    // A cost that is no number.
    let words = home.dir.join("words.csv");
    write_csv(&mut cur_frame(&cur_october()), &words);
    let t = std::fs::read_to_string(&words).unwrap();
    let mut rows: Vec<Vec<String>> = t
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    let cost = rows[0]
        .iter()
        .position(|h| h == "line_item_unblended_cost")
        .unwrap();
    let product = rows[0]
        .iter()
        .position(|h| h == "line_item_product_code")
        .unwrap();
    // The last line of a modelled service with a cost, so the line named is not simply the
    // first.
    let at = (1..rows.len())
        .rev()
        .find(|&i| {
            ["AmazonCloudFront", "AmazonS3"].contains(&rows[i][product].as_str())
                && !rows[i][cost].is_empty()
        })
        .unwrap();
    assert!(at > 1, "a later line than the first");
    rows[at][cost] = "sixty-eight".into();
    // A quoted field over two lines before it: the line named is the file's, not the row's.
    let operation = rows[0]
        .iter()
        .position(|h| h == "line_item_operation")
        .unwrap();
    rows[1][operation] = "\"Run\nInstances\"".into();
    let t: Vec<String> = rows.iter().map(|r| r.join(",")).collect();
    std::fs::write(&words, t.join("\n") + "\n").unwrap();
    check_bad(
        &home,
        &words,
        &[
            "words.csv",
            "line_item_unblended_cost",
            &format!(
                "1 value(s) that are not numbers (at line {}: `sixty-eight`)",
                at + 2
            ),
        ],
    );
    // Gzipped, the same line is named.
    let gzipped = home.dir.join("words.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &std::fs::read(&words).unwrap()).unwrap();
    std::fs::write(&gzipped, gz.finish().unwrap()).unwrap();
    check_bad(
        &home,
        &gzipped,
        &[
            "words.csv.gz",
            "line_item_unblended_cost",
            &format!(
                "1 value(s) that are not numbers (at line {}: `sixty-eight`)",
                at + 2
            ),
        ],
    );

    // Numbers to the reader that are no amount of a bill: refused, never taken as 0.
    for (name, cost, says) in [
        ("nan.csv", "NaN", "not a finite number"),
        ("inf.csv", "inf", "not a finite number"),
        ("huge.csv", "1e30", "beyond 10^18"),
    ] {
        let path = home.dir.join(name);
        write_csv(&mut cur_frame(&cur_october()), &path);
        let t = std::fs::read_to_string(&path).unwrap().replacen(
            "68.0,68.0,USD",
            &format!("68.0,{cost},USD"),
            1,
        );
        std::fs::write(&path, t).unwrap();
        check_bad(&home, &path, &[name, "line_item_unblended_cost", says]);
    }

    // A file saved in Latin-1: polars says only "invalid utf-8 sequence"; the error names
    // the line and column of the byte, as a scenario's does.
    let latin1 = home.dir.join("latin1.csv");
    write_csv(&mut cur_frame(&cur_october()), &latin1);
    let t = std::fs::read_to_string(&latin1).unwrap();
    // In the last line's currency, past the lines polars reads first.
    let at = t.rfind("USD").unwrap();
    let line = 1 + t[..at].matches('\n').count();
    let column = 1 + t[..at].rsplit('\n').next().unwrap().chars().count();
    let mut bytes = t.into_bytes();
    bytes[at] = 0xDC;
    std::fs::write(&latin1, bytes).unwrap();
    check_bad(
        &home,
        &latin1,
        &[&format!(
            "latin1.csv:{line}:{column}: byte 0xDC is not UTF-8 text"
        )],
    );

    // A start of the charge period not in UTC: 23:00 at -05:00 on 31 October is November
    // in UTC, so its month cannot be read off the text.
    let zoned = home.dir.join("zoned.csv");
    write_csv(&mut focus_frame(&focus_lines()), &zoned);
    let t = std::fs::read_to_string(&zoned).unwrap();
    let first = t.lines().nth(1).unwrap();
    let start = first
        .split(',')
        .find(|f| f.starts_with("2026-") && f.contains('T'))
        .unwrap()
        .to_string();
    let shifted = format!("{}T23:00:00-05:00", &start[..10]);
    std::fs::write(&zoned, t.replacen(&start, &shifted, 1)).unwrap();
    check_bad(
        &home,
        &zoned,
        &["zoned.csv", "ChargePeriodStart", &shifted, "not in UTC"],
    );

    // Two currencies in one import: the first file is good, the second in euros.
    let mixed = home.dir.join("mixed");
    std::fs::create_dir_all(&mixed).unwrap();
    write_parquet(&mut focus_frame(&focus_lines()), &mixed.join("a.parquet"));
    let mut euros = cur_october();
    for l in &mut euros {
        l.currency = "EUR";
    }
    write_csv(&mut cur_frame(&euros), &mixed.join("b.csv"));
    check_bad(
        &home,
        &mixed,
        &["mixes currencies", "USD in", "EUR in", "b.csv"],
    );

    // Nothing to read.
    let empty = home.dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    check_bad(&home, &empty, &["no export files"]);
}

#[test]
fn money_and_quantities_stored_as_parquet_decimals_import_as_their_numbers() {
    // A FOCUS table written again by Athena (CTAS) or Spark keeps money as DECIMAL(p, s) rather
    // than double: the same lines, the same store.
    let home = Home::new("actuals-decimal");
    let doubles = home.dir.join("doubles.parquet");
    write_parquet(&mut focus_frame(&focus_lines()), &doubles);
    check_import(&home, &doubles);
    let want = show(&home, "csv");
    let mut df = focus_frame(&focus_lines());
    for c in ["PricingQuantity", "ListCost", "BilledCost", "EffectiveCost"] {
        let decimal = df
            .column(c)
            .unwrap()
            .cast(&DataType::Decimal(38, 10))
            .unwrap();
        assert!(matches!(decimal.dtype(), DataType::Decimal(..)));
        df.with_column(decimal).unwrap();
    }
    let decimals = home.dir.join("decimals.parquet");
    write_parquet(&mut df, &decimals);
    let said = check_import(&home, &decimals);
    assert!(said.contains(": 11 line(s) of modelled services"), "{said}");
    assert_eq!(show(&home, "csv"), want);
}

#[test]
fn calibrate_from_the_bill() {
    let home = Home::new("actuals-calibrate");
    let p = home.dir.join("focus.parquet");
    write_parquet(&mut focus_frame(&focus_lines()), &p);
    check_import(&home, &p);
    let out = home.run(&[
        "usage",
        "calibrate",
        "scenarios/ugc-short-form.toml",
        "--from-actuals",
        "--month",
        "2026-09",
    ]);
    let said = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // 1,000 GB = 1,073,741,824,000 bytes ÷ (17,099,280 bytes a watched minute × 1.1 sent per
    // watched, tests/usage.rs) = 57,085.96… minutes; the 5,000 normalized minutes of
    // IAD-B-AVC-HD-S-30-NTM are 2,500 output minutes (HD × 2, 30 fps × 1, Basic AVC × 1,
    // single pass × 1), ÷ 2 rungs = 1,250 new minutes; 2,000 GB-Mo =
    // 2,147,483,648,000 bytes ÷ 30,783,600 bytes a stored minute = 69,760.64… minutes held,
    // less the month's 1,250 new minutes held half the month on average = 69,135.64….
    assert!(said.contains("from 2026-09 (30 of 30 days)"), "{said}");
    assert!(said.contains("watch_minutes_per_month = 57086.0"), "{said}");
    assert!(said.contains("new_minutes_per_month = 1250.0"), "{said}");
    assert!(said.contains("1 line(s) divided by the factor"), "{said}");
    assert!(said.contains("library_minutes = 69135.6"), "{said}");
    assert!(said.contains("the bill has no cache hit rate"), "{said}");
}

/// `usage calibrate --from-actuals` of September in `home` (a fresh store of `lines`): the
/// drivers it writes, and all it says.
fn calibrated(name: &str, lines: &[Line], month: Option<&str>) -> (Vec<String>, String, i32) {
    let home = Home::new(name);
    let p = home.dir.join("focus.parquet");
    write_parquet(&mut focus_frame(lines), &p);
    check_import(&home, &p);
    let mut args = vec![
        "usage",
        "calibrate",
        "scenarios/ugc-short-form.toml",
        "--from-actuals",
    ];
    if let Some(m) = month {
        args.extend(["--month", m]);
    }
    let out = home.run(&args);
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    let drivers = said
        .lines()
        .filter(|l| l.trim_start().starts_with('['))
        .map(str::to_string)
        .collect();
    (drivers, said, out.status.code().unwrap_or(-1))
}

/// The bill's storage counted in GB-hours or byte-hours is the same storage as in GB-months;
/// S3 and MediaConvert lines of another Region are another Region's content; and a month that
/// has not ended is not a month's traffic. Each was read as the plain GB-months of the
/// scenario's Region, or as a whole month, and wrote a scenario hundreds of times off.
#[test]
fn calibrating_from_the_bill_reads_units_regions_and_whole_months() {
    let september: Vec<Line> = focus_lines()
        .into_iter()
        .filter(|l| l.start.starts_with("2026-09"))
        .collect();
    let (want, said, code) = calibrated("calibrate-plain", &september, None);
    assert_eq!(code, 0, "{said}");
    assert!(want.iter().any(|d| d.contains("library_minutes")), "{said}");

    // The 2,000 GB-months as 1,440,000 GB-hours (30 days × 24 hours), then as byte-hours.
    for (unit, per_gb_month) in [("GB-Hours", 720.0), ("ByteHrs", 720.0 * 1_073_741_824.0)] {
        let mut lines = september.clone();
        let s3 = lines
            .iter_mut()
            .find(|l| l.usage_type == Some("TimedStorage-ByteHrs"))
            .unwrap();
        s3.unit = unit;
        s3.quantity = s3.quantity.map(|q| q * per_gb_month);
        let (got, said, code) = calibrated(&format!("calibrate-{unit}"), &lines, None);
        assert_eq!(code, 0, "{said}");
        assert_eq!(got, want, "{unit}: {said}");
    }

    // Another Region's storage and transcoding: left out, and said.
    let mut lines = september.clone();
    for l in september.iter().filter(|l| l.region == Some("us-east-1")) {
        let mut dub = l.clone();
        dub.region = Some("eu-west-1");
        dub.usage_type = dub.usage_type.map(|u| match u {
            "TimedStorage-ByteHrs" => "EU-TimedStorage-ByteHrs",
            "IAD-B-AVC-HD-S-30-NTM" => "DUB-B-AVC-HD-S-30-NTM",
            other => other,
        });
        lines.push(dub);
    }
    let (got, said, code) = calibrated("calibrate-regions", &lines, None);
    assert_eq!(code, 0, "{said}");
    assert_eq!(got, want, "{said}");
    assert!(
        said.contains("2 S3 or MediaConvert line(s) billed in eu-west-1 are left out"),
        "{said}"
    );

    // A unit no conversion reads: left out, not taken for GB.
    let mut lines = september.clone();
    let cdn = lines
        .iter_mut()
        .find(|l| l.usage_type == Some("US-DataTransfer-Out-Bytes"))
        .unwrap();
    cdn.unit = "Hrs";
    let (_, said, _) = calibrated("calibrate-unit", &lines, Some("2026-09"));
    assert!(
        said.contains("count in a unit the drivers cannot be read in (US-DataTransfer-Out-Bytes in Hrs, not GB)"),
        "{said}"
    );

    // This month's bill so far, beside September's: never taken for a whole month.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let (year, month, _) = ladderwise_usage::calendar::civil_from_days(now as i64 / 86_400);
    let running = format!("{year:04}-{month:02}");
    let start: &'static str = Box::leak(format!("{running}-01T00:00:00Z").into_boxed_str());
    let mut lines = september.clone();
    for l in &september {
        let mut now_line = l.clone();
        now_line.start = start;
        lines.push(now_line);
    }
    let (got, said, code) = calibrated("calibrate-running", &lines, None);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains("from 2026-09 (30 of 30 days)"), "{said}");
    assert_eq!(got, want, "{said}");
    let (_, said, code) = calibrated("calibrate-running-named", &lines, Some(&running));
    assert_eq!(code, 2, "{said}");
    assert!(said.contains(&format!("{running} has not ended")), "{said}");
    assert!(said.contains("hint: name a month that has ended"), "{said}");
}

#[test]
fn a_parquet_file_read_in_slices_sums_as_read_whole() {
    // The import reads a large Parquet file a slice of rows at a time so its memory stays
    // bounded; slices cutting through row groups and through a month's lines add up alike.
    let home = Home::new("actuals-slices");
    let path = home.dir.join("focus.parquet");
    let mut df = focus_frame(&focus_lines());
    let file = std::fs::File::create(&path).unwrap();
    ParquetWriter::new(file)
        .with_row_group_size(Some(4))
        .finish(&mut df)
        .unwrap();
    let read = |rows_per_slice| {
        let mut agg = ladderwise_actuals::Aggregate::default();
        let summary =
            ladderwise_actuals::read::read_file_in_slices(&path, &mut agg, rows_per_slice).unwrap();
        (summary.lines, summary.lines_without_billed_cost, agg.rows())
    };
    let whole = read(u32::MAX);
    assert_eq!(whole.0, 11, "the lines of modelled services with a cost");
    for rows_per_slice in [1, 2, 3, 5] {
        assert_eq!(
            read(rows_per_slice),
            whole,
            "slices of {rows_per_slice} row(s)"
        );
    }
}

/// CloudFront's October in one account: `gb` GB for $`usd`.
fn cloudfront_october(gb: f64, usd: f64) -> Vec<Line> {
    vec![line(
        "2026-10-05T00:00:00Z",
        A,
        None,
        "AmazonCloudFront",
        Some("US-DataTransfer-Out-Bytes"),
        "GB",
        Some(gb),
        all(usd),
        "Usage",
    )]
}

/// `df` with a billing period column `column` of `start` (text, as the CSV exports write it).
fn with_period(
    mut df: polars::prelude::DataFrame,
    column: &str,
    start: &str,
) -> polars::prelude::DataFrame {
    let starts = vec![start; df.height()];
    df.with_column(Column::new(column.into(), starts)).unwrap();
    df
}

/// A FOCUS 1.2 CSV export of `lines`, billed in the period starting `start`.
fn focus_csv(lines: &[Line], start: &str, path: &Path) {
    let mut df = with_period(focus_frame(lines), "BillingPeriodStart", start);
    write_csv(&mut df, path);
}

/// A CUR 2.0 CSV export of `lines`, billed in the period starting `start`.
fn cur_csv(lines: &[Line], start: &str, path: &Path) {
    let mut df = with_period(cur_frame(lines), "bill_billing_period_start_date", start);
    write_csv(&mut df, path);
}

/// Two organisations' exports of one billing period hold other accounts: the second adds to
/// the store, and importing the first again replaces only its own accounts' lines. Before,
/// the second import wiped the first organisation's October.
#[test]
fn another_organisations_export_of_a_period_adds_up() {
    let home = Home::new("actuals-two-organisations");
    let first = home.dir.join("org-a.csv");
    focus_csv(
        &cloudfront_october(1000.0, 85.0),
        "2026-10-01T00:00:00Z",
        &first,
    );
    check_import(&home, &first);
    let mut other = cloudfront_october(200.0, 17.0);
    other[0].account = B;
    let second = home.dir.join("org-b.csv");
    focus_csv(&other, "2026-10-01T00:00:00Z", &second);
    let said = check_import(&home, &second);
    assert!(
        said.contains("replaces the lines of the billing periods and accounts it holds"),
        "{said}"
    );
    let table = show(&home, "table");
    assert!(table.contains("2026-10 billed total USD 102.00"), "{table}");
    check_import(&home, &first);
    assert_eq!(show(&home, "table"), table);
}

/// A month whose every line a later export moved to another billing period is no month of
/// the store: `variance` and `actuals show` agree that the store lacks it.
#[test]
fn a_month_emptied_by_a_later_export_is_no_stored_month() {
    let home = Home::new("actuals-emptied");
    let first = home.dir.join("october.csv");
    focus_csv(
        &cloudfront_october(1000.0, 85.0),
        "2026-10-01T00:00:00Z",
        &first,
    );
    check_import(&home, &first);
    // A later delivery of the same account's October period holds the line with a charge
    // date in November: the October partition keeps no line.
    let mut restated = cloudfront_october(1000.0, 85.0);
    restated[0].start = "2026-11-05T00:00:00Z";
    let second = home.dir.join("restated.csv");
    focus_csv(&restated, "2026-10-01T00:00:00Z", &second);
    check_import(&home, &second);
    for args in [
        vec!["variance", "--month", "2026-10"],
        vec!["actuals", "show", "--from", "2026-10", "--to", "2026-10"],
    ] {
        let out = home.run(&args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        let hint = last_line(&err);
        assert!(
            hint.contains("2026-11") && !hint.contains("2026-10"),
            "{args:?}: {err}"
        );
    }
}

/// The last line of what a refused command said: its hint.
fn last_line(err: &str) -> &str {
    err.trim_end().lines().last().unwrap_or("")
}

/// A FOCUS and a CUR export of the same charges, one billing period: each is the whole bill
/// of October, and adding them up would store 2,000 GB for $170. Refused, the store as it
/// was; a FOCUS and a CUR export of different periods still import together.
#[test]
fn a_focus_and_a_cur_export_of_one_billing_period_are_refused() {
    let home = Home::new("actuals-two-formats");
    let good = home.dir.join("good.parquet");
    write_parquet(&mut focus_frame(&focus_lines()), &good);
    check_import(&home, &good);

    let dir = home.dir.join("october");
    std::fs::create_dir_all(&dir).unwrap();
    let october = cloudfront_october(1000.0, 85.0);
    focus_csv(
        &october,
        "2026-10-01T00:00:00Z",
        &dir.join("focus-00001.csv"),
    );
    cur_csv(&october, "2026-10-01T00:00:00Z", &dir.join("cur-00001.csv"));
    let cur = dir.join("cur-00001.csv").display().to_string();
    let focus = dir.join("focus-00001.csv").display().to_string();
    check_bad(
        &home,
        &dir,
        &[
            "billing period 2026-10",
            &format!("{cur} (CUR 2.0)"),
            &format!("{focus} (FOCUS 1.2)"),
        ],
    );
    let out = home.run(&["actuals", "import", dir.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(
        err.starts_with("billing period 2026-10 is in two "),
        "{err}"
    );
    assert!(
        last_line(&err).starts_with("hint: import one format"),
        "{err}"
    );
    let table = show(&home, "table");
    assert!(table.contains("2026-10 billed total USD 85.80"), "{table}");

    // September as FOCUS and October as CUR: no period twice, both imported.
    let apart = home.dir.join("apart");
    std::fs::create_dir_all(&apart).unwrap();
    let mut september = cloudfront_october(1000.0, 85.0);
    september[0].start = "2026-09-05T00:00:00Z";
    focus_csv(&september, "2026-09-01T00:00:00Z", &apart.join("focus.csv"));
    cur_csv(&october, "2026-10-01T00:00:00Z", &apart.join("cur.csv"));
    let said = check_import(&home, &apart);
    assert!(said.contains("(1 FOCUS 1.2, 1 CUR 2.0)"), "{said}");
    assert!(
        said.contains("replaced billing period(s) 2026-09, 2026-10:"),
        "{said}"
    );
    // Account A's CloudFront of each period is replaced ($85); account B's S3 and
    // MediaConvert lines, which neither export holds, stay: September's $37.50 + $46.00,
    // October's $43.30.
    let table = show(&home, "table");
    assert!(table.contains("2026-09 billed total USD 168.50"), "{table}");
    assert!(table.contains("2026-10 billed total USD 128.30"), "{table}");
}

/// AWS Data Exports with "create new export file" writes each delivery as the whole billing
/// period to date, in a folder of its own; a synced export tree holding two deliveries of
/// October would count October twice. Refused, the store as it was; importing one delivery,
/// as the hint says, stores October once.
#[test]
fn two_deliveries_of_one_billing_period_are_refused() {
    let home = Home::new("actuals-two-deliveries");
    let good = home.dir.join("good.parquet");
    write_parquet(&mut focus_frame(&focus_lines()), &good);
    check_import(&home, &good);

    let period = home
        .dir
        .join("exports/video-bill/data/BILLING_PERIOD=2026-10");
    let first = period.join("20261005T0100Z-aaaa");
    let newest = period.join("20261006T0100Z-bbbb");
    for (delivery, gb, usd) in [(&first, 900.0, 76.5), (&newest, 1000.0, 85.0)] {
        std::fs::create_dir_all(delivery).unwrap();
        cur_csv(
            &cloudfront_october(gb, usd),
            "2026-10-01T00:00:00Z",
            &delivery.join("video-bill-00001.csv.gz"),
        );
    }
    let exports = home.dir.join("exports");
    check_bad(
        &home,
        &exports,
        &[
            "billing period 2026-10",
            &first.display().to_string(),
            &newest.display().to_string(),
        ],
    );
    let out = home.run(&["actuals", "import", exports.to_str().unwrap()]);
    let err = text(&out.stderr);
    assert!(
        err.starts_with("billing period 2026-10 is in two "),
        "{err}"
    );
    assert!(
        last_line(&err).starts_with("hint: import one delivery, the newest"),
        "{err}"
    );

    let said = check_import(&home, &newest);
    assert!(
        said.contains("replaced billing period(s) 2026-10:"),
        "{said}"
    );
    // Account A's October is the delivery's $85; account B's $43.30 of S3, which the
    // delivery does not hold, stays.
    let table = show(&home, "table");
    assert!(table.contains("2026-10 billed total USD 128.30"), "{table}");
    let csv = show(&home, "csv");
    let row = csv
        .lines()
        .find(|l| l.starts_with("2026-10,AmazonCloudFront"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(row.contains(",1000,") && row.contains(",85,"), "{row}");
}

/// A delivery too large for one file comes in parts (`-00001`, `-00002`) in one folder:
/// they are one copy of the period and add up, beside one delivery of another period.
#[test]
fn the_parts_of_one_delivery_add_up() {
    let home = Home::new("actuals-parts");
    let data = home.dir.join("exports/video-bill/data");
    let october = data.join("BILLING_PERIOD=2026-10/20261006T0100Z-bbbb");
    std::fs::create_dir_all(&october).unwrap();
    cur_csv(
        &cloudfront_october(600.0, 51.0),
        "2026-10-01T00:00:00Z",
        &october.join("video-bill-00001.csv.gz"),
    );
    cur_csv(
        &cloudfront_october(400.0, 34.0),
        "2026-10-01T00:00:00Z",
        &october.join("video-bill-00002.csv.gz"),
    );
    let september = data.join("BILLING_PERIOD=2026-09/20261002T0100Z-cccc");
    std::fs::create_dir_all(&september).unwrap();
    let mut lines = cloudfront_october(200.0, 17.0);
    lines[0].start = "2026-09-05T00:00:00Z";
    cur_csv(
        &lines,
        "2026-09-01T00:00:00Z",
        &september.join("video-bill-00001.csv.gz"),
    );

    let said = check_import(&home, &home.dir.join("exports"));
    assert!(
        said.contains("imported 3 file(s) (0 FOCUS 1.2, 3 CUR 2.0)"),
        "{said}"
    );
    assert!(
        said.contains("replaced billing period(s) 2026-09, 2026-10:"),
        "{said}"
    );
    let csv = show(&home, "csv");
    let row = csv
        .lines()
        .find(|l| l.starts_with("2026-10,AmazonCloudFront"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(row.contains(",1000,") && row.contains(",85,"), "{row}");
    let table = show(&home, "table");
    assert!(table.contains("2026-09 billed total USD 17.00"), "{table}");
    assert!(table.contains("2026-10 billed total USD 85.00"), "{table}");
}

/// Many lines of every kind, with amounts of six decimal places: as Parquet (read by polars)
/// and as CSV and gzipped CSV (read record by record), one store to the last digit. (Each
/// reader sums doubles in its own order, so sums of amounts with more decimal places than
/// the store keeps could round apart where they fall within a double's error of half a
/// millionth, as a Parquet file read in other slices could.)
#[test]
fn many_lines_add_up_alike_as_parquet_csv_and_gzipped_csv() {
    const STARTS: [&str; 4] = [
        "2026-09-01T00:00:00Z",
        "2026-09-17T05:00:00Z",
        "2026-10-02T00:00:00Z",
        "2026-10-31T23:00:00Z",
    ];
    const SERVICES: [(&str, &str, &str); 4] = [
        ("AmazonCloudFront", "US-DataTransfer-Out-Bytes", "GB"),
        ("AmazonS3", "TimedStorage-ByteHrs", "GB-Mo"),
        (
            "AWSElementalMediaConvert",
            "IAD-B-AVC-HD-S-30-NTM",
            "minutes",
        ),
        ("AmazonEC2", "BoxUsage:m7g.large", "Hrs"),
    ];
    const CATEGORIES: [&str; 5] = ["Usage", "Usage", "Usage", "Credit", "Tax"];
    let lines: Vec<Line> = (0..5000usize)
        .map(|i| {
            let (service, usage_type, unit) = SERVICES[i % 4];
            let category = CATEGORIES[(i / 4) % 5];
            let cost = ((i * 7919) % 1_000_000) as f64 / 1e6 + (i % 17) as f64;
            let cost = if category == "Credit" { -cost } else { cost };
            let effective = (cost * 0.75 * 1e6).round() / 1e6;
            let mut l = line(
                STARTS[(i / 20) % 4],
                [A, B][(i / 80) % 2],
                (i % 3 > 0).then_some("us-east-1"),
                service,
                Some(usage_type),
                unit,
                (category == "Usage").then_some((i % 1000) as f64 / 8.0),
                (Some(cost + 0.5), Some(cost), Some(effective)),
                category,
            );
            // Now and then a line without a billed or a list cost.
            if i % 97 == 0 {
                l.billed = None;
            }
            if i % 89 == 0 {
                l.list = None;
            }
            l
        })
        .collect();
    let stores: Vec<(String, String)> = ["many.parquet", "many.csv", "many.csv.gz"]
        .into_iter()
        .map(|name| {
            let home = Home::new(&format!("actuals-many-{name}"));
            let path = home.dir.join(name);
            if name.ends_with(".parquet") {
                write_parquet(&mut focus_frame(&lines), &path);
            } else {
                write_csv(&mut focus_frame(&lines), &path);
            }
            (check_import(&home, &path), show(&home, "csv"))
        })
        .collect();
    assert!(
        stores[0]
            .0
            .contains("warning: 39 line(s) had no billed cost"),
        "{}",
        stores[0].0
    );
    for (said, store) in &stores[1..] {
        assert_eq!(store, &stores[0].1);
        // The same report, but the store's path.
        let report = |s: &str| {
            s.lines()
                .filter(|l| !l.starts_with("the store is"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(report(said), report(&stores[0].0));
    }
}
