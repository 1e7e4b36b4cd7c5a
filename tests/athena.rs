//! `ladderwise actuals pull --athena` end to end: the real binary against moto on 127.0.0.1
//! (`.ci/run` starts it and sets LADDERWISE_TEST_MOTO), which speaks Athena's AWS JSON 1.1 as
//! the SDK does. moto runs no SQL: the next query's result is seeded through moto's own API,
//! and Athena's record of the query (GetQueryExecution) holds the SQL the binary sent, which
//! is checked against the golden SQL of the schema asked for. Pages, failures, throttling and
//! Ctrl-C are covered by the adapter's tests (crates/aws/tests/athena_mocks.rs).

mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use ladderwise_aws::athena::COLUMNS;
use support::home::{Home, text};
use support::moto;

/// moto is one shared server: tests that reset and seed it take turns.
static MOTO: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A result row as Athena returns the query's: amounts with 12 places.
#[allow(clippy::too_many_arguments)]
fn row(
    month: &'static str,
    region: &'static str,
    service: &'static str,
    usage_type: Option<&'static str>,
    unit: Option<&'static str>,
    amount: &'static str,
    billed: Option<&'static str>,
    category: &'static str,
) -> Vec<Option<&'static str>> {
    vec![
        Some(month),
        Some("111122223333"),
        Some(region),
        Some(service),
        usage_type,
        unit,
        Some(amount),
        billed,
        billed,
        billed,
        Some("USD"),
        Some(category),
        Some(""),
    ]
}

/// September and October 2026 as the FOCUS query sums them. By hand, what is kept:
/// September — CloudFront US 85,994.706 GB $6,198.02 and 1,000,000 HTTPS requests $1.00
/// (usage $6,199.02); October — CloudFront US 91,024 GB $6,560.22, S3 Standard 3,392.104973
/// GB-Mo $78.02, Comprehend (billed as AmazonComprehend) 600,000 units $60 (usage
/// $6,698.24) and a credit of −$100 with no usage type. EC2 ($900) is not modelled and a row
/// with no billed cost is counted, never stored as $0.
fn focus_rows() -> Vec<Vec<Option<&'static str>>> {
    let cf = "AmazonCloudFront";
    vec![
        row(
            "2026-09",
            "",
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            Some("GB"),
            "85994.706000000000",
            Some("6198.020000000000"),
            "Usage",
        ),
        row(
            "2026-09",
            "",
            cf,
            Some("US-Requests-Tier2-HTTPS"),
            Some("Requests"),
            "1000000.000000000000",
            Some("1.000000000000"),
            "Usage",
        ),
        row(
            "2026-10",
            "",
            cf,
            Some("US-DataTransfer-Out-Bytes"),
            Some("GB"),
            "91024.000000000000",
            Some("6560.220000000000"),
            "Usage",
        ),
        row(
            "2026-10",
            "",
            cf,
            None,
            None,
            "0.000000000000",
            Some("-100.000000000000"),
            "Credit",
        ),
        row(
            "2026-10",
            "us-east-1",
            "AmazonS3",
            Some("TimedStorage-ByteHrs"),
            Some("GB-Mo"),
            "3392.104973000000",
            Some("78.020000000000"),
            "Usage",
        ),
        row(
            "2026-10",
            "us-east-1",
            "AmazonS3",
            Some("Requests-Tier1"),
            Some("Requests"),
            "1000.000000000000",
            None,
            "Usage",
        ),
        row(
            "2026-10",
            "us-east-1",
            "AmazonComprehend",
            Some("USE1-DetectSentiment"),
            Some("Units"),
            "600000.000000000000",
            Some("60.000000000000"),
            "Usage",
        ),
        row(
            "2026-10",
            "us-east-1",
            "AmazonEC2",
            Some("BoxUsage:m7g.large"),
            Some("Hrs"),
            "1440.000000000000",
            Some("900.000000000000"),
            "Usage",
        ),
    ]
}

/// The binary's pull, against moto, in the default workgroup (`primary`).
fn pull(home: &Home, moto: &str, extra: &[&str]) -> std::process::Output {
    let mut args = support::moto::athena_pull(moto);
    args.extend_from_slice(extra);
    home.run(&args)
}

/// Runs a pull that must succeed; what it said.
fn check_pull(home: &Home, moto: &str, extra: &[&str]) -> String {
    let out = pull(home, moto, extra);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The query id the pull names, and the SQL Athena recorded for it.
fn recorded_sql(moto: &str, said: &str) -> String {
    let id = said
        .split("query ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no query id in: {said}"));
    let answer = moto::athena(
        moto,
        "GetQueryExecution",
        serde_json::json!({ "QueryExecutionId": id }),
    );
    let execution = &answer["QueryExecution"];
    assert_eq!(execution["QueryExecutionContext"]["Database"], "cur");
    assert_eq!(execution["WorkGroup"], "primary");
    execution["Query"].as_str().unwrap().to_string()
}

fn show_json(home: &Home) -> serde_json::Value {
    let out = home.run(&["actuals", "show", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every file of the store with its bytes.
fn store_files(home: &Home) -> BTreeMap<PathBuf, Vec<u8>> {
    home.files("ladderwise/actuals")
}

#[test]
fn a_pull_stores_what_athena_returns_for_the_sql_of_the_schema_asked() {
    let _turn = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let moto = moto::url();
    moto::reset(&moto);
    moto::seed_athena(&moto, &COLUMNS, &focus_rows());
    let home = Home::new("athena-pull");

    let said = check_pull(&home, &moto, &["--from", "2026-08", "--to", "2026-10"]);
    // 8 rows; EC2 left out, one without billed cost counted: 6 kept in 6 stored rows.
    assert!(
        said.contains(
            "scanned 0 bytes and returned 8 row(s), 6 of modelled services, kept in 6 row(s)"
        ),
        "{said}"
    );
    assert!(
        said.contains("replaced month(s) 2026-09, 2026-10: a pull replaces"),
        "{said}"
    );
    // Usage 6,199.02 + 6,698.24; the credit apart.
    assert!(
        said.contains("billed by kind (USD): usage 12897.26, credit -100.00"),
        "{said}"
    );
    assert!(said.contains("1 line(s) had no billed cost"), "{said}");
    assert!(
        said.contains("no row for month(s) 2026-08: kept as they were"),
        "{said}"
    );
    let sql = recorded_sql(&moto, &said);
    insta::assert_snapshot!("athena_pull_focus_sql", sql);
    // Every service Ladderwise models, Comprehend under both codes.
    assert!(
        sql.contains(
            "WHERE x_ServiceCode IN ('AWSElementalMediaConvert', 'AmazonETS', 'AmazonS3', 'AmazonCloudFront', 'AWSDataTransfer', 'AmazonRekognition', 'comprehend', 'AmazonComprehend', 'AWSLambda', 'AmazonStates', 'AmazonDynamoDB', 'AmazonSNS', 'AWSQueueService', 'awskms', 'awswaf', 'AmazonCloudWatch')"
        ),
        "{sql}"
    );

    let stored = show_json(&home);
    insta::assert_json_snapshot!("athena_pull_show", stored);
    let rows = stored["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let october_transfer = rows
        .iter()
        .find(|r| r["month"] == "2026-10" && r["usage_type"] == "US-DataTransfer-Out-Bytes")
        .unwrap();
    assert_eq!(october_transfer["usage_amount"], "91024");
    assert_eq!(october_transfer["billed_cost"], "6560.22");
    assert!(
        rows.iter()
            .any(|r| r["kind"] == "credit" && r["billed_cost"] == "-100")
    );
    assert!(rows.iter().all(|r| r["service_code"] != "AmazonEC2"));

    // October again, from a CUR 2.0 table: October is replaced, September kept as it was.
    let september = home
        .data()
        .join("ladderwise/actuals/month=2026-09/part.parquet");
    let before = std::fs::read(&september).unwrap();
    moto::seed_athena(
        &moto,
        &COLUMNS,
        &[row(
            "2026-10",
            "",
            "AmazonCloudFront",
            Some("US-DataTransfer-Out-Bytes"),
            Some("GB"),
            "95000.000000000000",
            Some("6800.000000000000"),
            "Usage",
        )],
    );
    let said = check_pull(
        &home,
        &moto,
        &[
            "--schema", "cur-2.0", "--from", "2026-10", "--to", "2026-10",
        ],
    );
    assert!(said.contains("replaced month(s) 2026-10:"), "{said}");
    let sql = recorded_sql(&moto, &said);
    insta::assert_snapshot!("athena_pull_cur_sql", sql);
    assert!(sql.contains("line_item_usage_type AS usage_type"), "{sql}");
    assert_eq!(std::fs::read(&september).unwrap(), before);
    let stored = show_json(&home);
    let october: Vec<&serde_json::Value> = stored["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["month"] == "2026-10")
        .collect();
    assert_eq!(october.len(), 1);
    assert_eq!(october[0]["usage_amount"], "95000");
}

#[test]
fn a_failed_pull_stores_nothing_and_says_whose_fault_it_is() {
    let _turn = MOTO.lock().unwrap_or_else(|e| e.into_inner());
    let moto = moto::url();
    moto::reset(&moto);
    let home = Home::new("athena-failures");
    moto::seed_athena(&moto, &COLUMNS, &focus_rows());
    check_pull(&home, &moto, &[]);
    let before = store_files(&home);
    assert!(!before.is_empty());

    // A result that is not the query's: unusable data (4), the store untouched.
    moto::seed_athena(
        &moto,
        &["month", "cost"],
        &[vec![Some("2026-10"), Some("1.0")]],
    );
    let out = pull(&home, &moto, &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("returned an unexpected result: its columns are month, cost"),
        "{err}"
    );
    assert_eq!(store_files(&home), before);

    // A result whose amounts are no numbers: unusable data too.
    let mut rows = focus_rows();
    rows[0][8] = Some("lots");
    moto::seed_athena(&moto, &COLUMNS, &rows);
    let out = pull(&home, &moto, &[]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("`lots` is not a number"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    assert_eq!(store_files(&home), before);

    // A workgroup Athena does not have: AWS refuses the query (5).
    let out = pull(&home, &moto, &["--workgroup", "no-such-workgroup"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(err.contains("Athena refused the query"), "{err}");
    assert_eq!(store_files(&home), before);
}

#[test]
fn bad_names_and_months_are_refused_before_any_call() {
    // Nothing listens here unless the binary calls: the listener must stay without a caller.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let home = Home::new("athena-bad-input");
    for (args, says) in [
        (
            vec!["--database", "cur; DROP TABLE x"],
            "the database name `cur; DROP TABLE x` is not one Athena accepts",
        ),
        (
            vec!["--database", "cur", "--from", "2026-13"],
            "--from `2026-13` is not a month",
        ),
        (
            vec!["--database", "cur", "--from", "2026-10", "--to", "2026-01"],
            "the months run backwards",
        ),
        (
            vec!["--database", "cur", "--output-location", "/tmp/results"],
            "is not an S3 location",
        ),
    ] {
        let mut all = vec![
            "actuals",
            "pull",
            "--athena",
            "--table",
            "focus_export",
            "--endpoint-url",
            &endpoint,
        ];
        all.extend_from_slice(&args);
        // No credentials either: bad input is found before they are looked for.
        let out = home.command(&all).output().unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("hint:"), "{err}");
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "{args:?}: the binary called the endpoint"
        );
    }
    assert!(store_files(&home).is_empty());
}
