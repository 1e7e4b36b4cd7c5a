//! Credentials never leave the SDK: every pull (CloudWatch usage, Athena actuals, the Price
//! List), run with a secret key and a session token in the environment and again through a
//! named profile, succeeding and failing, with the SDK's logging and backtraces asked for, and
//! the commands that show and report what was pulled afterwards. Neither the secret nor the
//! token appears in any output, error message, stored file or report.
//!
//! Runs against moto and the CBOR translator (`.ci/run` starts both) and the local Price List
//! endpoint of tests/support; nothing leaves 127.0.0.1.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::home::{Home, text};
use support::price_list_api::{Faults, PriceListApi};

const SECRET: &str = "lwTestSecret/NeverPrint+0000000000000000000a";
const TOKEN: &str = "lwTestSessionToken//NeverPrint/IQoJb3JpZ2luX2VjEXAMPLE";
const KEY_ID: &str = "AKIALWTESTKEYID00001";

fn credentials(c: &mut Command) -> &mut Command {
    c.env("AWS_ACCESS_KEY_ID", KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", TOKEN)
        // Whatever logging or backtrace a user might turn on.
        .env("RUST_LOG", "trace")
        .env("RUST_BACKTRACE", "full")
}

/// A closed port on 127.0.0.1: a connection there is refused at once.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Every file under `dir` (the store, the snapshots, a report), but the credentials file the
/// test wrote itself.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p.file_name().is_some_and(|n| n != "credentials") {
            out.push(p);
        }
    }
}

fn check_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for (name, secret) in [("secret key", SECRET), ("session token", TOKEN)] {
        assert!(!text.contains(secret), "{what} contains the {name}");
        // Nor a recognisable part of it (a value cut at a line end, say).
        assert!(
            !text.contains(&secret[..16]),
            "{what} contains part of the {name}"
        );
    }
}

#[test]
fn no_pull_shows_or_stores_the_secret_key_or_the_session_token() {
    let moto = support::moto::url();
    let cloudwatch = std::env::var("LADDERWISE_TEST_CLOUDWATCH")
        .expect("LADDERWISE_TEST_CLOUDWATCH is not set: run the suite with .ci/run");
    let api = PriceListApi::start(Faults::default(), 50);
    let failing_api = PriceListApi::start(
        Faults {
            access_denied: true,
            ..Faults::default()
        },
        50,
    );
    let home = Home::new("secrets");
    // The same keys in a named profile, as `--profile` reads them.
    std::fs::write(
        home.dir.join("credentials"),
        format!(
            "[lw]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {TOKEN}\n"
        ),
    )
    .unwrap();
    let dead = closed_port();
    let (api_url, failing_url) = (api.url(), failing_api.url());
    let runs: Vec<Vec<&str>> = vec![
        vec![
            "pricing",
            "refresh",
            "--endpoint-url",
            &api_url,
            "--timeout",
            "5",
        ],
        vec![
            "pricing",
            "refresh",
            "--endpoint-url",
            &failing_url,
            "--timeout",
            "5",
        ],
        vec![
            "pricing",
            "refresh",
            "--endpoint-url",
            &dead,
            "--timeout",
            "2",
        ],
        vec![
            "usage",
            "pull",
            "--endpoint-url",
            &cloudwatch,
            "--from",
            "2026-08-01",
            "--to",
            "2026-10-11",
        ],
        vec!["usage", "pull", "--endpoint-url", &dead, "--timeout", "2"],
        support::moto::athena_pull(&moto),
        [support::moto::athena_pull(&dead), vec!["--timeout", "2"]].concat(),
        vec!["usage", "show"],
        vec!["actuals", "show", "--format", "json"],
        vec!["pricing", "list"],
    ];
    let mut failures = 0;
    for args in &runs {
        for profile in [false, true] {
            let mut all = args.clone();
            let mut c = home.command(&[]);
            if profile && matches!(args[1], "refresh" | "pull") {
                all.extend(["--profile", "lw"]);
                c.env("AWS_SHARED_CREDENTIALS_FILE", home.dir.join("credentials"));
            } else {
                credentials(&mut c);
            }
            let out: Output = c.args(&all).output().unwrap();
            failures += usize::from(!out.status.success());
            let what = all.join(" ");
            check_clean(&format!("stdout of `{what}`"), &out.stdout);
            check_clean(&format!("stderr of `{what}`"), &out.stderr);
        }
    }
    // The runs did reach their endpoints and did fail where they should: the secret was
    // checked in real answers and real errors, not only in usage messages.
    assert!(failures >= 6, "{failures} runs failed");
    assert!(
        !api.received().is_empty(),
        "the Price List endpoint was called"
    );

    let report = home.dir.join("report");
    let out = credentials(&mut home.command(&[
        "report",
        "scenarios/ugc-short-form.toml",
        "-o",
        report.to_str().unwrap(),
    ]))
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut files = Vec::new();
    files_under(&home.dir, &mut files);
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().contains("snapshots")),
        "the refresh stored a snapshot"
    );
    assert!(files.iter().any(|f| f.ends_with("index.html")));
    for f in &files {
        check_clean(&f.display().to_string(), &std::fs::read(f).unwrap());
    }
}
