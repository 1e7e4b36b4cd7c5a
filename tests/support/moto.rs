//! moto on 127.0.0.1, as `.ci/run` starts it (LADDERWISE_TEST_MOTO): its own API to reset and
//! seed it, and plain JSON calls to the services it emulates, so a test can read back what the
//! binary asked of them.

use std::io::{Read, Write};

/// moto's URL; without it the test cannot run, and says how to start it.
pub fn url() -> String {
    std::env::var("LADDERWISE_TEST_MOTO").unwrap_or_else(|_| {
        panic!(
            "LADDERWISE_TEST_MOTO is not set: run the suite with .ci/run, which starts moto, or start `moto_server -H 127.0.0.1 -p PORT` and set LADDERWISE_TEST_MOTO=http://127.0.0.1:PORT"
        )
    })
}

/// A POST to moto with `headers`; the whole answer, status line first.
pub fn post(moto: &str, path: &str, headers: &[(&str, &str)], body: &str) -> String {
    let address = moto.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("moto is listening");
    let mut request = format!("POST {path} HTTP/1.1\r\nHost: {address}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// The arguments of `ladderwise actuals pull` from Athena as the tests run it: the
/// `focus_export` table of the `cur` database, results under `s3://billing-results/`, through
/// `endpoint`.
pub fn athena_pull(endpoint: &str) -> Vec<&str> {
    vec![
        "actuals",
        "pull",
        "--athena",
        "--database",
        "cur",
        "--table",
        "focus_export",
        "--output-location",
        "s3://billing-results/ladderwise/",
        "--endpoint-url",
        endpoint,
    ]
}

/// moto forgets everything.
pub fn reset(moto: &str) {
    let answer = post(moto, "/moto-api/reset", &[], "");
    assert!(answer.starts_with("HTTP/1.1 200"), "moto reset: {answer}");
}

/// Queues the result of the next Athena query: the header row, then `rows` (`None` is NULL,
/// which Athena sends as a datum without a value).
pub fn seed_athena(moto: &str, header: &[&str], rows: &[Vec<Option<&str>>]) {
    use serde_json::json;
    let athena_row = |values: Vec<Option<&str>>| {
        let data: Vec<serde_json::Value> = values
            .into_iter()
            .map(|v| v.map_or(json!({}), |v| json!({ "VarCharValue": v })))
            .collect();
        json!({ "Data": data })
    };
    let mut all = vec![athena_row(header.iter().map(|h| Some(*h)).collect())];
    all.extend(rows.iter().map(|r| athena_row(r.clone())));
    let column_info: Vec<serde_json::Value> = header
        .iter()
        .map(|name| {
            json!({
                "CatalogName": "hive", "SchemaName": "", "TableName": "",
                "Name": name, "Label": name, "Type": "varchar",
                "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": true
            })
        })
        .collect();
    let body = json!({
        "account_id": "123456789012",
        "region": "us-east-1",
        "results": [{ "rows": all, "column_info": column_info }]
    });
    let answer = post(
        moto,
        "/moto-api/static/athena/query-results",
        &[("Content-Type", "application/json")],
        &body.to_string(),
    );
    assert!(answer.starts_with("HTTP/1.1 201"), "moto seed: {answer}");
}

/// An Athena API call (AWS JSON 1.1) in us-east-1; the answer's JSON body. moto reads the
/// service and Region from the credential scope and checks no signature.
pub fn athena(moto: &str, operation: &str, body: serde_json::Value) -> serde_json::Value {
    let target = format!("AmazonAthena.{operation}");
    let answer = post(
        moto,
        "/",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", &target),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/athena/aws4_request, SignedHeaders=host, Signature=0",
            ),
        ],
        &body.to_string(),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{operation}: {answer}");
    let json = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{operation}: {e}: {answer}"))
}
