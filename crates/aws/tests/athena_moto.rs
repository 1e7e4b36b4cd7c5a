//! The Athena adapter against a real Athena implementation: moto on 127.0.0.1, which speaks
//! Athena's AWS JSON 1.1 as the SDK does. `.ci/run` starts it and sets LADDERWISE_TEST_MOTO.
//!
//! moto runs no SQL: a query succeeds at once and returns the rows seeded through moto's own
//! API (`POST /moto-api/static/athena/query-results`), header row first as Athena sends it.
//! What this shows is the wire: the request `run` builds (SQL, database, workgroup, result
//! location) as Athena's API records it, the header check and the rows as parsed from real
//! JSON, and a refusal from the service. Pages, failures and throttling are in athena_mocks.rs.
//!
//! This file holds one test on purpose: it sets the process's AWS environment (test
//! credentials, no configuration files), which is only sound while no other thread reads it.

// The root tests' moto helpers; this test uses part of them.
#[path = "../../../tests/support/moto.rs"]
#[allow(dead_code)]
mod moto;

use ladderwise_aws::athena::{self, ActualsQuery, COLUMNS, ExportSchema, Progress};
use ladderwise_aws::{Connection, PullError};

/// The rows seeded: what Athena would return for the FOCUS query over two months.
fn seeded() -> Vec<Vec<Option<&'static str>>> {
    let row = |month, usage_type, unit, amount, list, billed, effective, category| {
        vec![
            Some(month),
            Some("111122223333"),
            Some("us-east-1"),
            Some("AmazonCloudFront"),
            Some(usage_type),
            Some(unit),
            Some(amount),
            Some(list),
            Some(billed),
            Some(effective),
            Some("USD"),
            Some(category),
            Some(""),
        ]
    };
    let mut rows = vec![
        row(
            "2026-09",
            "US-DataTransfer-Out-Bytes",
            "GB",
            "85994.706000000000",
            "6198.020000000000",
            "6198.020000000000",
            "5886.119000000000",
            "Usage",
        ),
        row(
            "2026-09",
            "US-Requests-Tier1",
            "Requests",
            "1000000.000000000000",
            "7.500000000000",
            "7.500000000000",
            "7.500000000000",
            "Usage",
        ),
        row(
            "2026-10",
            "US-DataTransfer-Out-Bytes",
            "GB",
            "91024.000000000000",
            "6560.220000000000",
            "6560.220000000000",
            "6230.000000000000",
            "Usage",
        ),
    ];
    // A credit with no usage type or unit: NULLs, which Athena leaves out of the datum.
    let mut credit = row(
        "2026-10",
        "",
        "",
        "0.000000000000",
        "0.000000000000",
        "-100.000000000000",
        "-100.000000000000",
        "Credit",
    );
    credit[4] = None;
    credit[5] = None;
    rows.push(credit);
    rows
}

fn query() -> ActualsQuery {
    ActualsQuery {
        database: "cur".into(),
        table: "focus_export".into(),
        workgroup: "primary".into(),
        output_location: Some("s3://billing-results/ladderwise/".into()),
        schema: ExportSchema::Focus12,
        from_month: Some((2026, 9)),
        to_month: Some((2026, 10)),
        services: vec!["AmazonCloudFront".into()],
    }
}

#[test]
fn a_query_run_against_moto_returns_the_seeded_rows_and_athena_records_our_sql() {
    let moto = moto::url();
    // SAFETY: this binary runs this one test, on one thread, before any runtime starts; nothing
    // else reads the environment while it is written.
    unsafe {
        std::env::set_var("AWS_ACCESS_KEY_ID", "test");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/ladderwise-test-aws-config");
        std::env::set_var(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/ladderwise-test-aws-credentials",
        );
    }
    moto::reset(&moto);
    let rows = seeded();
    moto::seed_athena(&moto, &COLUMNS, &rows);

    let conn = Connection {
        endpoint_url: Some(moto.clone()),
        max_attempts: 1,
        ..Connection::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut progress = Vec::new();
        let got = athena::run(&conn, &query(), |p| progress.push(p))
            .await
            .unwrap();
        assert_eq!(got.columns, COLUMNS);
        let expected: Vec<Vec<Option<String>>> = rows
            .iter()
            .map(|r| r.iter().map(|v| v.map(str::to_string)).collect())
            .collect();
        assert_eq!(got.rows, expected);
        assert_eq!(got.sql, query().sql().unwrap());
        assert_eq!(
            progress.first(),
            Some(&Progress::Started {
                query_execution_id: got.query_execution_id.clone()
            })
        );
        assert!(
            progress.contains(&Progress::Page { page: 1, rows: 4 }),
            "{progress:?}"
        );

        // Athena's own record of the query: our SQL, database, workgroup and result place.
        let client = athena::connect(&conn).await.unwrap();
        let recorded = client
            .get_query_execution()
            .query_execution_id(&got.query_execution_id)
            .send()
            .await
            .unwrap();
        let execution = recorded.query_execution().unwrap();
        assert_eq!(execution.query(), Some(got.sql.as_str()));
        assert_eq!(
            execution
                .query_execution_context()
                .and_then(|c| c.database()),
            Some("cur")
        );
        assert_eq!(execution.work_group(), Some("primary"));
        // Athena reports the result file under the location it was given.
        assert_eq!(
            execution
                .result_configuration()
                .and_then(|c| c.output_location()),
            Some(
                format!(
                    "s3://billing-results/ladderwise/{}.csv",
                    got.query_execution_id
                )
                .as_str()
            )
        );
        assert_eq!(got.scanned_bytes, Some(0), "moto scans nothing");

        // A result whose header is not ours is refused, naming the columns.
        moto::seed_athena(
            &moto,
            &["month", "cost"],
            &[vec![Some("2026-10"), Some("1.0")]],
        );
        let err = athena::run(&conn, &query(), |_| {}).await.unwrap_err();
        assert!(matches!(err, PullError::QueryResult { .. }), "{err}");
        assert!(
            err.to_string()
                .contains("its columns are month, cost, not billing_month"),
            "{err}"
        );

        // A workgroup Athena does not have is refused at StartQueryExecution.
        let mut elsewhere = query();
        elsewhere.workgroup = "no-such-workgroup".into();
        let err = athena::run(&conn, &elsewhere, |_| {}).await.unwrap_err();
        assert!(matches!(err, PullError::QueryRejected { .. }), "{err}");
        assert!(
            err.to_string().contains("WorkGroup does not exist"),
            "{err}"
        );
    });
}
