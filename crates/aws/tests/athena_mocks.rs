//! What moto cannot show of the Athena adapter: the SQL it sends, GetQueryResults pages,
//! FAILED and CANCELLED queries, throttling, the deadline and cancellation, a result with the
//! wrong columns, and input refused before any call, through aws-smithy-mocks rules on the
//! real SDK client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_athena::Client;
use aws_sdk_athena::config::retry::RetryConfig;
use aws_sdk_athena::error::ErrorMetadata;
use aws_sdk_athena::operation::get_query_execution::{
    GetQueryExecutionError, GetQueryExecutionOutput,
};
use aws_sdk_athena::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_athena::operation::start_query_execution::{
    StartQueryExecutionError, StartQueryExecutionOutput,
};
use aws_sdk_athena::operation::stop_query_execution::StopQueryExecutionOutput;
use aws_sdk_athena::types::{
    AthenaError, Datum, QueryExecution, QueryExecutionState, QueryExecutionStatistics,
    QueryExecutionStatus, ResultSet, Row,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use ladderwise_aws::PullError;
use ladderwise_aws::athena::{
    ActualsQuery, COLUMNS, ExportSchema, Polling, Progress, QueryRows, execute,
};

const ID: &str = "5f1c2e9a-0000-4000-8000-000000000001";

fn query(schema: ExportSchema) -> ActualsQuery {
    ActualsQuery {
        database: "cur".into(),
        table: "focus_export".into(),
        workgroup: "primary".into(),
        output_location: Some("s3://billing-results/ladderwise/".into()),
        schema,
        from_month: Some((2026, 1)),
        to_month: Some((2026, 10)),
        services: vec![
            "AmazonCloudFront".into(),
            "AWSElementalMediaConvert".into(),
            "AmazonS3".into(),
        ],
    }
}

/// Short waits, so a test polls a few times in milliseconds.
fn quick() -> Polling {
    Polling {
        first_interval: Duration::from_millis(1),
        longest_interval: Duration::from_millis(4),
        deadline: Duration::from_secs(10),
    }
}

fn row(values: &[Option<&str>]) -> Row {
    let mut r = Row::builder();
    for v in values {
        let mut d = Datum::builder();
        if let Some(v) = v {
            d = d.var_char_value(*v);
        }
        r = r.data(d.build());
    }
    r.build()
}

fn header() -> Row {
    row(&COLUMNS.map(Some))
}

/// A data row for `month` with a billed cost of `billed`.
fn data(month: &str, billed: &str) -> Row {
    row(&[
        Some(month),
        Some("111122223333"),
        Some("us-east-1"),
        Some("AmazonCloudFront"),
        Some("US-DataTransfer-Out-Bytes"),
        Some("GB"),
        Some("85994.706000000000"),
        Some("6198.020000000000"),
        Some(billed),
        Some(billed),
        Some("USD"),
        Some("Usage"),
        Some(""),
    ])
}

fn execution(state: QueryExecutionState) -> QueryExecution {
    QueryExecution::builder()
        .query_execution_id(ID)
        .status(QueryExecutionStatus::builder().state(state).build())
        .statistics(
            QueryExecutionStatistics::builder()
                .data_scanned_in_bytes(52_428_800)
                .build(),
        )
        .build()
}

fn polled(state: QueryExecutionState) -> GetQueryExecutionOutput {
    GetQueryExecutionOutput::builder()
        .query_execution(execution(state))
        .build()
}

fn started() -> Rule {
    mock!(Client::start_query_execution)
        .sequence()
        .output(|| {
            StartQueryExecutionOutput::builder()
                .query_execution_id(ID)
                .build()
        })
        .build()
}

/// QUEUED, RUNNING, then SUCCEEDED.
fn succeeds() -> Rule {
    mock!(Client::get_query_execution)
        .sequence()
        .output(|| polled(QueryExecutionState::Queued))
        .output(|| polled(QueryExecutionState::Running))
        .output(|| polled(QueryExecutionState::Succeeded))
        .build()
}

/// One page of results: the header and one row.
fn one_page() -> Rule {
    mock!(Client::get_query_results)
        .sequence()
        .output(|| {
            GetQueryResultsOutput::builder()
                .result_set(
                    ResultSet::builder()
                        .rows(header())
                        .rows(data("2026-10", "6198.020000000000"))
                        .build(),
                )
                .build()
        })
        .build()
}

fn throttling<E>(code: &str, make: fn(ErrorMetadata) -> E) -> E {
    make(
        ErrorMetadata::builder()
            .code(code)
            .message("Rate exceeded")
            .build(),
    )
}

/// Runs the query on a client answering with `rules` (three attempts a call), collecting the
/// progress reported.
async fn check(
    query: &ActualsQuery,
    polling: &Polling,
    rules: &[&Rule],
) -> (Result<QueryRows, PullError>, Vec<Progress>) {
    let client = mock_client!(aws_sdk_athena, RuleMode::MatchAny, rules, |c| {
        c.retry_config(RetryConfig::standard().with_max_attempts(3))
    });
    let mut seen = Vec::new();
    let result = execute(&client, query, polling, 3, std::future::pending(), |p| {
        seen.push(p)
    })
    .await;
    (result, seen)
}

/// The SQL and the request StartQueryExecution received.
fn recording_start() -> (Rule, Arc<Mutex<Vec<String>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let record = sent.clone();
    let rule = mock!(Client::start_query_execution)
        .match_requests(move |r| {
            record.lock().unwrap().push(format!(
                "database={:?} workgroup={:?} output={:?}\n{}",
                r.query_execution_context().and_then(|c| c.database()),
                r.work_group(),
                r.result_configuration().and_then(|c| c.output_location()),
                r.query_string().unwrap_or_default()
            ));
            true
        })
        .sequence()
        .output(|| {
            StartQueryExecutionOutput::builder()
                .query_execution_id(ID)
                .build()
        })
        .build();
    (rule, sent)
}

#[tokio::test]
async fn the_focus_query_sent_is_the_golden_one() {
    let (start, sent) = recording_start();
    let (result, _) = check(
        &query(ExportSchema::Focus12),
        &quick(),
        &[&start, &succeeds(), &one_page()],
    )
    .await;
    let rows = result.unwrap();
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].ends_with(&rows.sql), "{}", sent[0]);
    insta::assert_snapshot!("focus_1_2_sql", sent[0]);
}

#[tokio::test]
async fn the_cur_query_sent_is_the_golden_one() {
    let (start, sent) = recording_start();
    let mut q = query(ExportSchema::Cur20);
    q.table = "cur2_export".into();
    q.output_location = None;
    let (result, _) = check(&q, &quick(), &[&start, &succeeds(), &one_page()]).await;
    result.unwrap();
    insta::assert_snapshot!("cur_2_0_sql", sent.lock().unwrap()[0]);
}

#[test]
fn open_month_ranges_drop_their_bound_and_repeated_services_are_sent_once() {
    let mut q = query(ExportSchema::Focus12);
    q.from_month = None;
    q.to_month = Some((2026, 12));
    q.services.push("AmazonS3".into());
    let sql = q.sql().unwrap();
    assert!(
        sql.contains("IN ('AmazonCloudFront', 'AWSElementalMediaConvert', 'AmazonS3')\n"),
        "{sql}"
    );
    assert!(!sql.contains(">="), "{sql}");
    // December's end is the first instant of the next year.
    assert!(
        sql.contains("AND ChargePeriodStart < TIMESTAMP '2027-01-01 00:00:00'"),
        "{sql}"
    );
}

#[tokio::test]
async fn every_page_of_the_result_is_read_with_the_header_on_the_first_only() {
    let page = |rows: Vec<Row>, next: Option<&str>| {
        let mut set = ResultSet::builder();
        for r in rows {
            set = set.rows(r);
        }
        let mut out = GetQueryResultsOutput::builder().result_set(set.build());
        if let Some(token) = next {
            out = out.next_token(token);
        }
        out.build()
    };
    // Each page is served only for the token the previous page gave.
    let first = mock!(Client::get_query_results)
        .match_requests(|r| r.next_token().is_none() && r.max_results() == Some(1000))
        .sequence()
        .output(move || {
            page(
                vec![
                    header(),
                    data("2026-08", "1.000000000000"),
                    data("2026-09", "2.000000000000"),
                ],
                Some("page-2"),
            )
        })
        .build();
    let second = mock!(Client::get_query_results)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .sequence()
        .output(move || {
            page(
                vec![data("2026-10", "3.000000000000"), row(&[None; 13])],
                Some("page-3"),
            )
        })
        .build();
    let third = mock!(Client::get_query_results)
        .match_requests(|r| r.next_token() == Some("page-3"))
        .sequence()
        .output(move || page(vec![data("2026-11", "5.000000000000")], None))
        .build();
    let (result, progress) = check(
        &query(ExportSchema::Focus12),
        &quick(),
        &[&started(), &succeeds(), &first, &second, &third],
    )
    .await;
    let rows = result.unwrap();
    assert_eq!(
        (first.num_calls(), second.num_calls(), third.num_calls()),
        (1, 1, 1)
    );
    assert_eq!(rows.query_execution_id, ID);
    assert_eq!(rows.columns, COLUMNS);
    assert_eq!(rows.scanned_bytes, Some(52_428_800));
    let billed: Vec<Option<&str>> = rows.rows.iter().map(|r| r[8].as_deref()).collect();
    assert_eq!(
        billed,
        vec![
            Some("1.000000000000"),
            Some("2.000000000000"),
            Some("3.000000000000"),
            None,
            Some("5.000000000000"),
        ]
    );
    // A NULL stays a NULL in every column, an empty string stays empty.
    assert_eq!(rows.rows[3], vec![None; 13]);
    assert_eq!(rows.rows[0][12].as_deref(), Some(""));

    let pages: Vec<(usize, usize)> = progress
        .iter()
        .filter_map(|p| match p {
            Progress::Page { page, rows } => Some((*page, *rows)),
            _ => None,
        })
        .collect();
    assert_eq!(pages, vec![(1, 2), (2, 4), (3, 5)]);
    let states: Vec<&str> = progress
        .iter()
        .filter_map(|p| match p {
            Progress::Polled { state, .. } => Some(state.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(states, vec!["QUEUED", "RUNNING", "SUCCEEDED"]);
    assert_eq!(
        progress[0],
        Progress::Started {
            query_execution_id: ID.into()
        }
    );
}

fn ends(state: QueryExecutionState, reason: &'static str, category: Option<(i32, i32)>) -> Rule {
    mock!(Client::get_query_execution)
        .sequence()
        .output(|| polled(QueryExecutionState::Running))
        .output(move || {
            let mut status = QueryExecutionStatus::builder()
                .state(state.clone())
                .state_change_reason(reason);
            if let Some((c, t)) = category {
                status = status.athena_error(
                    AthenaError::builder()
                        .error_category(c)
                        .error_type(t)
                        .build(),
                );
            }
            GetQueryExecutionOutput::builder()
                .query_execution(
                    QueryExecution::builder()
                        .query_execution_id(ID)
                        .status(status.build())
                        .build(),
                )
                .build()
        })
        .build()
}

#[tokio::test]
async fn a_failed_query_says_why_in_athena_s_words() {
    let results = one_page();
    let reason = "COLUMN_NOT_FOUND: line 3:3: Column 'subaccountid' cannot be resolved";
    let (result, _) = check(
        &query(ExportSchema::Focus12),
        &quick(),
        &[
            &started(),
            &ends(QueryExecutionState::Failed, reason, Some((2, 1000))),
            &results,
        ],
    )
    .await;
    let err = result.unwrap_err();
    assert!(matches!(err, PullError::QueryFailed { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "the Athena query {ID} ended FAILED: {reason} (user error, type 1000)\nhint: "
        )),
        "{text}"
    );
    assert!(
        text.contains("COLUMN_NOT_FOUND means the table holds the other export"),
        "{text}"
    );
    assert_eq!(
        results.num_calls(),
        0,
        "no result is read from a failed query"
    );
}

#[tokio::test]
async fn a_query_athena_could_not_read_the_export_for_points_to_the_permissions() {
    let reason = "Permission denied on S3 path: s3://billing-exports/focus/data";
    let (result, _) = check(
        &query(ExportSchema::Focus12),
        &quick(),
        &[
            &started(),
            &ends(QueryExecutionState::Failed, reason, Some((2, 1000))),
        ],
    )
    .await;
    let text = result.unwrap_err().to_string();
    assert!(text.contains(reason), "{text}");
    assert!(
        text.contains("hint: the identity running the query needs athena:StartQueryExecution"),
        "{text}"
    );
    assert!(text.contains("glue:GetTable"), "{text}");
}

#[tokio::test]
async fn a_query_cancelled_in_athena_says_so() {
    let reason = "Query cancelled by user";
    let (result, _) = check(
        &query(ExportSchema::Cur20),
        &quick(),
        &[
            &started(),
            &ends(QueryExecutionState::Cancelled, reason, None),
        ],
    )
    .await;
    let text = result.unwrap_err().to_string();
    assert_eq!(
        text,
        format!(
            "the Athena query {ID} ended CANCELLED: {reason}\nhint: it was cancelled in Athena, by someone or by the workgroup's limits; run the command again, or sum fewer months"
        )
    );
}

#[tokio::test]
async fn throttled_calls_are_retried() {
    let start = mock!(Client::start_query_execution)
        .sequence()
        .error(|| throttling("ThrottlingException", StartQueryExecutionError::generic))
        .output(|| {
            StartQueryExecutionOutput::builder()
                .query_execution_id(ID)
                .build()
        })
        .build();
    let poll = mock!(Client::get_query_execution)
        .sequence()
        .error(|| throttling("TooManyRequestsException", GetQueryExecutionError::generic))
        .output(|| polled(QueryExecutionState::Succeeded))
        .build();
    let (result, _) = check(
        &query(ExportSchema::Focus12),
        &quick(),
        &[&start, &poll, &one_page()],
    )
    .await;
    assert_eq!(result.unwrap().rows.len(), 1);
    assert_eq!((start.num_calls(), poll.num_calls()), (2, 2));
}

#[tokio::test]
async fn throttling_to_the_end_says_so() {
    let start = mock!(Client::start_query_execution)
        .sequence()
        .error(|| {
            throttling(
                "TooManyRequestsException",
                StartQueryExecutionError::generic,
            )
        })
        .repeatedly()
        .build();
    let (result, _) = check(&query(ExportSchema::Focus12), &quick(), &[&start]).await;
    let err = result.unwrap_err();
    assert!(matches!(err, PullError::Throttled { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "AWS kept throttling StartQueryExecution after 3 attempts\nhint: wait a minute and run the command again"
    );
    assert_eq!(start.num_calls(), 3);
}

#[tokio::test]
async fn access_denied_names_the_athena_permission_and_the_policy() {
    let start = mock!(Client::start_query_execution)
        .sequence()
        .error(|| {
            StartQueryExecutionError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("User is not authorized to perform: athena:StartQueryExecution")
                    .build(),
            )
        })
        .build();
    let (result, _) = check(&query(ExportSchema::Focus12), &quick(), &[&start]).await;
    let text = result.unwrap_err().to_string();
    assert!(
        text.starts_with(
            "access denied by AWS for athena:StartQueryExecution (User is not authorized"
        ),
        "{text}"
    );
    assert!(
        text.contains("hint: attach the least-privilege policy in docs/aws.md (athena:StartQueryExecution, athena:GetQueryExecution, athena:GetQueryResults, athena:StopQueryExecution on the workgroup; glue:GetDatabase"),
        "{text}"
    );
}

#[tokio::test]
async fn a_query_athena_refuses_to_start_names_what_to_give() {
    let start = mock!(Client::start_query_execution)
        .sequence()
        .error(|| {
            StartQueryExecutionError::generic(
                ErrorMetadata::builder()
                    .code("InvalidRequestException")
                    .message("No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.")
                    .build(),
            )
        })
        .build();
    let mut q = query(ExportSchema::Focus12);
    q.output_location = None;
    let (result, _) = check(&q, &quick(), &[&start]).await;
    let err = result.unwrap_err();
    assert!(matches!(err, PullError::QueryRejected { .. }), "{err}");
    assert!(
        err.to_string().contains("No output location provided"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("give a result location (s3://bucket/prefix/)"),
        "{err}"
    );
    assert_eq!(start.num_calls(), 1, "a refused query is not retried");
}

fn bad_header_page(names: Vec<&'static str>) -> Rule {
    mock!(Client::get_query_results)
        .sequence()
        .output(move || {
            let header: Vec<Option<&str>> = names.iter().map(|n| Some(*n)).collect();
            GetQueryResultsOutput::builder()
                .result_set(ResultSet::builder().rows(row(&header)).build())
                .build()
        })
        .build()
}

#[tokio::test]
async fn a_result_with_other_columns_is_refused_naming_them() {
    let mut renamed = COLUMNS.to_vec();
    renamed[0] = "month";
    let (result, _) = check(
        &query(ExportSchema::Focus12),
        &quick(),
        &[&started(), &succeeds(), &bad_header_page(renamed)],
    )
    .await;
    let err = result.unwrap_err();
    assert!(matches!(err, PullError::QueryResult { .. }), "{err}");
    assert!(
        err.to_string().contains(&format!(
            "returned an unexpected result: its columns are month, account_id, region, service_code, usage_type, unit, usage_amount, list_cost, billed_cost, effective_cost, currency, charge_category, charge_class, not {}",
            COLUMNS.join(", ")
        )),
        "{err}"
    );
    // A column missing is refused the same way.
    let (result, _) = check(
        &query(ExportSchema::Focus12),
        &quick(),
        &[
            &started(),
            &succeeds(),
            &bad_header_page(COLUMNS[..12].to_vec()),
        ],
    )
    .await;
    assert!(
        result
            .unwrap_err()
            .to_string()
            .contains("charge_category, not billing_month"),
    );
}

fn stopped() -> Rule {
    mock!(Client::stop_query_execution)
        .match_requests(|r| r.query_execution_id() == Some(ID))
        .sequence()
        .output(|| StopQueryExecutionOutput::builder().build())
        .build()
}

#[tokio::test]
async fn a_query_still_running_at_the_deadline_is_stopped() {
    let running = mock!(Client::get_query_execution)
        .sequence()
        .output(|| polled(QueryExecutionState::Running))
        .repeatedly()
        .build();
    let stop = stopped();
    let polling = Polling {
        deadline: Duration::from_millis(20),
        ..quick()
    };
    let (result, _) = check(
        &query(ExportSchema::Focus12),
        &polling,
        &[&started(), &running, &stop],
    )
    .await;
    let err = result.unwrap_err();
    assert!(matches!(err, PullError::QueryStopped { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("did not finish: it was still RUNNING after 0 s, the longest Ladderwise waits; it was stopped in Athena"),
        "{text}"
    );
    assert_eq!(stop.num_calls(), 1);
    assert!(
        running.num_calls() >= 2,
        "polled {} times",
        running.num_calls()
    );
}

#[tokio::test]
async fn cancelling_stops_the_query_in_athena() {
    let running = mock!(Client::get_query_execution)
        .sequence()
        .output(|| polled(QueryExecutionState::Running))
        .repeatedly()
        .build();
    let stop = stopped();
    let results = one_page();
    let client = mock_client!(
        aws_sdk_athena,
        RuleMode::MatchAny,
        &[&started(), &running, &stop, &results]
    );
    let cancel = tokio::time::sleep(Duration::from_millis(30));
    let err = execute(
        &client,
        &query(ExportSchema::Focus12),
        &quick(),
        3,
        cancel,
        |_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "the Athena query {ID} did not finish: it was cancelled; it was stopped in Athena\nhint: run the command again; fewer months make a shorter query"
        )
    );
    assert_eq!(stop.num_calls(), 1);
    assert_eq!(results.num_calls(), 0);
}

/// `q` is refused as bad input, with `message`, before any call.
async fn check_refused(q: ActualsQuery, message: &str) {
    let start = started();
    let (result, _) = check(&q, &quick(), &[&start]).await;
    let err = result.unwrap_err();
    assert!(matches!(err, PullError::BadQuery(_)), "{err}");
    assert_eq!(err.to_string(), message);
    assert_eq!(start.num_calls(), 0, "nothing may be sent for {q:?}");
}

#[tokio::test]
async fn names_months_and_service_codes_are_checked_before_any_call() {
    let q = || query(ExportSchema::Focus12);
    let table_rule =
        "hint: Athena database and table names are 1 to 255 letters, digits and underscores";
    check_refused(
        ActualsQuery {
            database: "cur\"; DROP TABLE x; --".into(),
            ..q()
        },
        &format!(
            "the database name `cur\"; DROP TABLE x; --` is not one Athena accepts\n{table_rule}"
        ),
    )
    .await;
    check_refused(
        ActualsQuery {
            table: "focus-export".into(),
            ..q()
        },
        &format!("the table name `focus-export` is not one Athena accepts\n{table_rule}"),
    )
    .await;
    check_refused(
        ActualsQuery {
            table: String::new(),
            ..q()
        },
        &format!("the table name `` is not one Athena accepts\n{table_rule}"),
    )
    .await;
    check_refused(
        ActualsQuery {
            table: "t".repeat(256),
            ..q()
        },
        &format!(
            "the table name `{}` is not one Athena accepts\n{table_rule}",
            "t".repeat(256)
        ),
    )
    .await;
    check_refused(
        ActualsQuery {
            workgroup: "primary group".into(),
            ..q()
        },
        "the workgroup name `primary group` is not one Athena accepts\nhint: Athena workgroup names are 1 to 128 letters, digits, periods, hyphens and underscores",
    )
    .await;
    check_refused(
        ActualsQuery {
            services: vec!["AmazonS3') OR ('1'='1".into()],
            ..q()
        },
        "`AmazonS3') OR ('1'='1` is not an AWS service code\nhint: service codes are 1 to 64 letters, digits, `-`, `_` or `.`, as the bill writes them: AmazonCloudFront, AWSElementalMediaConvert, AmazonS3",
    )
    .await;
    check_refused(
        ActualsQuery {
            services: vec![],
            ..q()
        },
        "no service codes to sum\nhint: name at least one, e.g. AmazonCloudFront",
    )
    .await;
    check_refused(
        ActualsQuery {
            to_month: Some((2026, 13)),
            ..q()
        },
        "the last month 2026-13 is not a month\nhint: write YYYY-MM with a year from 2000 and a month from 01 to 12, e.g. 2026-01",
    )
    .await;
    check_refused(
        ActualsQuery {
            from_month: Some((2026, 11)),
            ..q()
        },
        "the months run backwards: from 2026-11 to 2026-10\nhint: the first month must not come after the last",
    )
    .await;
    check_refused(
        ActualsQuery {
            output_location: Some("billing-results/ladderwise".into()),
            ..q()
        },
        "`billing-results/ladderwise` is not an S3 location\nhint: write s3://bucket/prefix/, a place Athena may write the result to",
    )
    .await;
}

#[test]
fn names_athena_accepts_are_accepted() {
    let q = ActualsQuery {
        database: "Billing_2026".into(),
        table: "2026_focus".into(),
        workgroup: "team-a.finops_v2".into(),
        services: vec!["comprehend".into(), "AWSDataTransfer".into()],
        ..query(ExportSchema::Focus12)
    };
    let sql = q.sql().unwrap();
    assert!(
        sql.contains("FROM \"Billing_2026\".\"2026_focus\"\n"),
        "{sql}"
    );
    assert!("cur-2.0".parse::<ExportSchema>().unwrap() == ExportSchema::Cur20);
    assert_eq!(
        "focus".parse::<ExportSchema>().unwrap_err().to_string(),
        "there is no export schema `focus`\nhint: use focus-1.2 or cur-2.0"
    );
}
