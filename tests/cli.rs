//! End-to-end tests of the `ladderwise` binary: the real executable, real files, its stdout,
//! stderr and exit code. Priced tables, JSON and error messages are golden files
//! (`tests/snapshots/`); review a change with `cargo insta review` or rerun with
//! `INSTA_UPDATE=always` and read the diff before committing it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from `cwd` with `args`, with a data directory of its own so that no price
/// snapshot of the machine's user is picked up.
fn ladderwise_in(cwd: &Path, args: &[&str]) -> Output {
    let data = std::env::temp_dir().join(format!("ladderwise-cli-data-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_ladderwise"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", data)
        .output()
        .expect("run ladderwise")
}

fn ladderwise(args: &[&str]) -> Output {
    ladderwise_in(&root(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn shipped_scenarios() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

/// A scenario with no viewers has no egress to scale the delivery-choice sweep from: the
/// axis runs to a billion watched minutes, and a note says so rather than leave a 22,000 TB
/// axis unexplained.
#[test]
fn a_scenario_without_viewers_says_why_its_delivery_axis_runs_so_far() {
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    let svg = chart_of_variant(
        "no-viewers",
        "delivery-choice",
        &text.replacen(
            "watch_minutes_per_month = 9000000.0",
            "watch_minutes_per_month = 0",
            1,
        ),
    );
    assert!(
        svg.contains("The scenario sends nothing to viewers"),
        "{svg}"
    );
}

/// A scenario that delivers straight from S3 pays the direct-S3 line: its (unused) hit rate
/// is not marked on the CloudFront cost, and the chart says which line is its own.
#[test]
fn a_direct_s3_scenario_is_not_marked_on_the_cloudfront_curve() {
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    let direct = text.replacen("cdn = \"cloudfront\"", "cdn = \"none\"", 1);
    assert_ne!(direct, text);
    let svg = chart_of_variant("direct-s3", "cache-hit-rate", &direct);
    assert!(!svg.contains("this scenario:"), "{svg}");
    assert!(svg.contains("straight from S3"), "{svg}");
    let svg = chart_of_variant("cloudfront", "cache-hit-rate", &text);
    assert!(svg.contains("this scenario: 95 %"), "{svg}");
    assert!(!svg.contains("straight from S3") && !svg.contains("flat-rate plan"));
    // On a flat-rate plan the areas are not what it pays either: the chart says so.
    let flat = text.replacen("cdn = \"cloudfront\"", "cdn = \"cloudfront-flat-rate\"", 1);
    let svg = chart_of_variant("flat-rate", "cache-hit-rate", &flat);
    assert!(svg.contains("flat-rate plan"), "{svg}");
}

/// The SVG of a `kind` chart of the scenario `text`, written to a file of its own first.
fn chart_of_variant(tag: &str, kind: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ladderwise-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scenario.toml");
    std::fs::write(&path, text).unwrap();
    let svg = dir.join("chart.svg");
    let out = ladderwise(&[
        "chart",
        kind,
        path.to_str().unwrap(),
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&svg).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    svg
}

/// A ladder of one rung: its bar in the breakdown's per-rung panel stands apart from the axis,
/// named (a segmented axis of one value has no width, and drew the bar over the axis with no
/// name).
#[test]
fn a_single_rung_is_drawn_and_named_in_the_breakdown() {
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    let second = text.match_indices("[[ladder.rungs]]").nth(1).unwrap().0;
    let audience = text.find("[audience]").unwrap();
    let one = format!("{}{}", &text[..second], &text[audience..]).replacen(
        "watch_share = 0.6",
        "watch_share = 1",
        1,
    );
    let svg = chart_of_variant("one-rung", "breakdown", &one);
    assert!(svg.contains(">\n720p\n</text>"), "{svg}");
}

#[test]
fn every_shipped_scenario_matches_its_golden_table_and_json() {
    let names = shipped_scenarios();
    assert!(names.len() >= 4, "scenarios/ holds {names:?}");
    for name in names {
        let path = format!("scenarios/{name}.toml");
        let table = ladderwise(&["estimate", &path]);
        assert!(table.status.success(), "{path}: {}", stderr(&table));
        insta::assert_snapshot!(format!("estimate_table_{name}"), stdout(&table));

        let json = ladderwise(&["estimate", &path, "--format", "json"]);
        assert!(json.status.success(), "{path}: {}", stderr(&json));
        insta::assert_snapshot!(format!("estimate_json_{name}"), stdout(&json));

        let csv = ladderwise(&["estimate", &path, "--format", "csv"]);
        assert!(csv.status.success());
        insta::assert_snapshot!(format!("estimate_csv_{name}"), stdout(&csv));
    }
}

#[test]
fn json_contract_holds_for_every_scenario() {
    for name in shipped_scenarios() {
        let out = ladderwise(&[
            "estimate",
            &format!("scenarios/{name}.toml"),
            "--format",
            "json",
        ]);
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let total: f64 = v["total_usd"].as_str().unwrap().parse().unwrap();
        let lines = v["lines"].as_array().unwrap();
        assert!(!lines.is_empty());
        let mut sum = 0.0;
        for l in lines {
            for key in [
                "service",
                "description",
                "usage_type",
                "quantity",
                "unit",
                "price_status",
            ] {
                assert!(l[key].is_string(), "{name}: line without {key}: {l}");
            }
            match l["cost_usd"].as_str() {
                Some(c) => sum += c.parse::<f64>().unwrap(),
                None => assert_eq!(l["price_status"], "unpriced", "{name}: {l}"),
            }
        }
        // Each printed cost is rounded to a millionth of a dollar.
        assert!(
            (sum - total).abs() < 1e-6 * lines.len() as f64,
            "{name}: {sum} vs {total}"
        );
        assert_eq!(
            v["complete"].as_bool().unwrap(),
            v["unpriced"].as_array().unwrap().is_empty()
        );
        assert!(v["capacity"]["peak_egress_gbps"].is_string());
        assert!(v["warnings"].is_array());
    }
}

#[test]
fn without_a_scenario_the_shipped_default_is_priced_from_any_directory() {
    let elsewhere = std::env::temp_dir();
    let out = ladderwise_in(&elsewhere, &["estimate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("UGC short-form platform"));
    assert!(text.contains("snapshot shipped-2026-11-30"));
    assert!(text.contains("Total for the month"));
    // The default is the shipped file itself.
    let file = ladderwise(&["estimate", "scenarios/ugc-short-form.toml"]);
    assert_eq!(stdout(&file), text);
}

#[test]
fn the_seed_scenario_is_accepted_unchanged() {
    let out = ladderwise(&["estimate", "tests/fixtures/seed.toml", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["scenario"], "UGC short-form platform");
    insta::assert_snapshot!("estimate_json_seed", stdout(&out));
}

#[test]
fn bad_scenarios_get_every_error_with_its_line_and_exit_2() {
    let dir = root().join("tests/fixtures/bad");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let path = format!("tests/fixtures/bad/{name}");
        let out = ladderwise(&["estimate", &path]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        assert!(stdout(&out).is_empty());
        let err = stderr(&out);
        assert!(err.contains(&format!("--> {path}:")), "{err}");
        assert!(err.contains("hint:"), "{err}");
        insta::assert_snapshot!(format!("error_{}", name.trim_end_matches(".toml")), err);
    }
}

#[test]
fn a_missing_scenario_file_is_bad_input() {
    let out = ladderwise(&["estimate", "no/such/scenario.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("cannot read no/such/scenario.toml"), "{err}");
    assert!(err.contains("hint:"));
}

fn copy_snapshot(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(root().join("pricing-cache")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ladderwise-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Replaces the first `from` in one file of a copied snapshot by `to` and gives the manifest's
/// entry for that file the new checksum: a snapshot that differs by one price and loads.
fn reprice(dir: &Path, file: &str, from: &str, to: &str) {
    use sha2::{Digest, Sha256};
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from}");
    let text = text.replacen(from, to, 1);
    std::fs::write(&path, &text).unwrap();
    let old: String = {
        let manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap())
                .unwrap();
        fn find(v: &Value, file: &str) -> Option<String> {
            match v {
                Value::Object(m) if m.get("file").and_then(Value::as_str) == Some(file) => {
                    m.get("sha256").and_then(Value::as_str).map(str::to_string)
                }
                Value::Object(m) => m.values().find_map(|x| find(x, file)),
                Value::Array(a) => a.iter().find_map(|x| find(x, file)),
                _ => None,
            }
        }
        find(&manifest, file).expect("the manifest names the file")
    };
    let new: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    std::fs::write(dir.join("manifest.json"), manifest.replace(&old, &new)).unwrap();
}

/// A price gone from the new snapshot is not a saving: the scenario's totals are said to be
/// not comparable, and the service shows its unpriced part.
#[test]
fn a_price_diff_does_not_count_a_missing_price_as_a_saving() {
    let dir = temp_dir("diff-missing");
    copy_snapshot(&dir);
    // S3 Standard storage under a usage type the engine does not price.
    reprice(
        &dir,
        "AmazonS3.json",
        "\"usagetype\": \"TimedStorage-ByteHrs\"",
        "\"usagetype\": \"TimedStorage-Renamed\"",
    );
    let diff = |format: &str| {
        let out = ladderwise(&[
            "pricing",
            "diff",
            "shipped",
            dir.to_str().unwrap(),
            "--scenario",
            "scenarios/ugc-short-form.toml",
            "--format",
            format,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let table = diff("table");
    assert!(
        table.contains("a month, not comparable: shipped-2026-11-30 has no price for S3"),
        "{table}"
    );
    assert!(table.contains("+ unpriced"), "{table}");
    assert!(!table.contains("a month, -$"), "{table}");
    // The incomplete side's total is marked too, not only its service.
    let total = table.lines().find(|l| l.contains(" a month, ")).unwrap();
    assert!(
        total.contains(" + unpriced a month, not comparable"),
        "{total}"
    );

    // JSON says the same: no change in money where a side leaves a price out.
    let v: Value = serde_json::from_str(&diff("json")).unwrap();
    let s = &v["scenarios"][0];
    assert_eq!(s["old_complete"], true, "{s}");
    assert_eq!(s["new_complete"], false, "{s}");
    assert!(s["delta_usd"].is_null(), "{s}");
    let services = s["services"].as_array().unwrap();
    let s3 = services
        .iter()
        .find(|x| x["service"] == "Amazon Simple Storage Service")
        .unwrap();
    assert_eq!(s3["new_complete"], false, "{s3}");
    assert!(s3["delta_usd"].is_null(), "{s3}");
    let cf = services
        .iter()
        .find(|x| x["service"] == "Amazon CloudFront")
        .unwrap();
    assert_eq!(cf["delta_usd"], "0", "{cf}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_snapshot_directory_replaces_the_shipped_prices_and_is_named() {
    let dir = temp_dir("pricing");
    copy_snapshot(&dir);
    // CloudFront's first 10 TB to the United States at $0.095 instead of $0.085 a GB.
    reprice(
        &dir,
        "AmazonCloudFront.json",
        "0.0850000000",
        "0.0950000000",
    );
    let out = ladderwise(&["estimate", "--pricing", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("read from {}", dir.display())));
    let json = |args: &[&str]| -> Value {
        let out = ladderwise(args);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let shipped = json(&["estimate", "--format", "json"]);
    let other = json(&[
        "estimate",
        "--format",
        "json",
        "--pricing",
        dir.to_str().unwrap(),
    ]);
    let cents = |v: &Value| -> i64 {
        let t = v["total_usd"].as_str().unwrap();
        (t.parse::<f64>().unwrap() * 100.0).round() as i64
    };
    // The default scenario sends more than 10 TB to the United States, so the first tier is
    // full: 10,240 GB × $0.01 more = $102.40, and nothing else changes.
    assert_eq!(cents(&other) - cents(&shipped), 10_240);
    let us_first_tier = |v: &Value| -> String {
        let line = v["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["usage_type"] == "US-DataTransfer-Out-Bytes")
            .unwrap();
        line["tiers"][1]["usd_per_unit"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(us_first_tier(&shipped), "0.085");
    assert_eq!(us_first_tier(&other), "0.095");
    assert_eq!(other["snapshot"]["origin"], dir.display().to_string());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_edited_snapshot_file_is_refused() {
    let dir = temp_dir("tampered");
    copy_snapshot(&dir);
    let file = dir.join("AmazonCloudFront.json");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("0.0850000000", "0.0010000000", 1)).unwrap();
    let out = ladderwise(&["estimate", "--pricing", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4), "unusable data on disk");
    let err = stderr(&out);
    assert!(err.contains("does not match its manifest"), "{err}");
    assert!(err.contains("hint:"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_region_without_prices_says_the_total_is_incomplete() {
    let dir = temp_dir("region");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    // ca-central-1: a Region the shipped snapshot does not cover.
    let path = dir.join("ca.toml");
    std::fs::write(
        &path,
        text.replace("region = \"us-east-1\"", "region = \"ca-central-1\""),
    )
    .unwrap();
    let out = ladderwise(&["estimate", path.to_str().unwrap()]);
    assert!(out.status.success());
    let table = stdout(&out);
    assert!(table.contains("INCOMPLETE"), "{table}");
    assert!(table.contains("UNPRICED"));
    // No stage, step or rung whose lines have no price reads as $0.00.
    let row = |start: &str| {
        table
            .lines()
            .filter(|l| l.trim_start().starts_with(start))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for line in row("transcode")
        .into_iter()
        .chain(row("720p"))
        .chain(row("storage"))
    {
        assert!(line.contains("unpriced"), "{line}\n{table}");
        assert!(!line.contains("$0.00"), "{line}\n{table}");
    }
    assert!(table.contains("(at least: the total leaves out the unpriced lines)"));
    let economics = table
        .lines()
        .find(|l| l.contains(" per viewer-hour · "))
        .unwrap();
    assert_eq!(economics.matches("≥$").count(), 3, "{economics}");
    // A sweep leaves an unpriced service's cost empty (CSV) or null (JSON), never 0.
    let csv = ladderwise(&[
        "sweep",
        path.to_str().unwrap(),
        "--vary",
        "delivery.cache_hit_rate=0:1:1",
        "--format",
        "csv",
    ]);
    let csv = stdout(&csv);
    let heads: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = heads
        .iter()
        .position(|h| *h == "AWSElementalMediaConvert_usd")
        .expect("a MediaConvert column");
    for row in csv.lines().skip(1) {
        assert_eq!(row.split(',').nth(at), Some(""), "{row}");
    }
    let json = ladderwise(&[
        "sweep",
        path.to_str().unwrap(),
        "--vary",
        "delivery.cache_hit_rate=0:1:1",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert!(v["points"][0]["services_usd"]["AWS Elemental MediaConvert"].is_null());
    let out = ladderwise(&["sensitivity", path.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("Incomplete: the totals leave out the unpriced lines; a swing marked `+ unpriced` also moves them"),
        "{}",
        stdout(&out)
    );
    // The report says the same.
    let report = dir.join("report");
    let out = ladderwise(&[
        "report",
        path.to_str().unwrap(),
        "-o",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(report.join("index.html")).unwrap();
    assert!(
        html.contains("<tr><td>transcode</td><td class=\"num\">unpriced</td></tr>"),
        "the report's stage table"
    );
    let row = html
        .lines()
        .find(|l| l.starts_with("<tr><td class=\"status-unpriced\">"))
        .expect("the report's provenance table has its unpriced lines");
    assert!(
        row.ends_with("<td class=\"num\">unpriced</td></tr>"),
        "{row}"
    );
    assert!(
        html.contains("<div class=\"total\">≥$"),
        "the report's total is a lower bound"
    );
    // Its tiles of cost per viewer-hour, title and GB are lower bounds, not prices.
    for tile in ["per viewer-hour", "per title ingested", "per delivered GB"] {
        let at = html.find(&format!("</b>{tile}</div>")).expect(tile);
        let value = &html[html[..at].rfind("<b>").unwrap() + 3..at];
        assert!(
            value.starts_with("≥$") || value == "unpriced",
            "{tile}: {value}"
        );
    }
    let json = ladderwise(&["estimate", path.to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["complete"], false);
    assert!(!v["unpriced"].as_array().unwrap().is_empty());
    // A step with no price at all is unknown, in each rung and per title: null, not "0".
    let transcode = v["per_title_by_stage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "transcode")
        .unwrap();
    assert!(transcode["usd_per_month"].is_null(), "{transcode}");
    assert!(transcode["usd_per_title"].is_null(), "{transcode}");
    assert!(
        v["rungs"][0]["transcode_usd"].is_null(),
        "{}",
        v["rungs"][0]
    );
    // And an empty cell in the report's rungs.csv.
    let rungs = std::fs::read_to_string(report.join("rungs.csv")).unwrap();
    let first = rungs.lines().nth(1).unwrap();
    assert_eq!(first.split(',').nth(4), Some(""), "{rungs}");
    // The charts of service choices draw no unpriced option as $0 and claim no break-even
    // against one: they say what is not drawn, and why.
    for (kind, says, never) in [
        (
            "cache-hit-rate",
            "Direct from S3 is not drawn: no AWSDataTransfer price",
            ["direct from S3, no CDN", "No break-even"],
        ),
        (
            "delivery-choice",
            "Direct from S3 is not drawn: no AWSDataTransfer price",
            ["\ndirect from S3\n</text>", "No break-even"],
        ),
        (
            "breakdown",
            ">\nunpriced\n</text>",
            [">\n≥$0\n</text>", ">\n≥$0.00\n</text>"],
        ),
        (
            "transcode-choice",
            "No option has a price here",
            ["\nMediaConvert Basic\n</text>", " at "],
        ),
    ] {
        let svg = dir.join(format!("{kind}.svg"));
        let out = ladderwise(&[
            "chart",
            kind,
            path.to_str().unwrap(),
            "-o",
            svg.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains(says), "{kind}: {says}");
        for word in never {
            assert!(!text.contains(word), "{kind}: {word}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn chart_writes_svg_and_png_for_every_kind() {
    let dir = temp_dir("charts");
    std::fs::create_dir_all(&dir).unwrap();
    for kind in [
        "ladder",
        "cache-hit-rate",
        "transcode-choice",
        "delivery-choice",
        "breakdown",
    ] {
        let svg = dir.join(format!("{kind}.svg"));
        let out = ladderwise(&["chart", kind, "-o", svg.to_str().unwrap()]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(
            text.starts_with("<svg") && text.trim_end().ends_with("</svg>"),
            "{kind}"
        );
        assert!(
            text.contains("UGC short-form platform"),
            "{kind}: title missing"
        );

        let png = dir.join(format!("{kind}.png"));
        let out = ladderwise(&[
            "chart",
            kind,
            "scenarios/premium-ott.toml",
            "-o",
            png.to_str().unwrap(),
            "--width",
            "800",
            "--height",
            "500",
        ]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{kind}");
        // Width and height are the first fields of the IHDR chunk.
        assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 800);
        assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 500);
        // The picture's words travel with it: an iTXt chunk with the description.
        let itxt = bytes
            .windows(4)
            .position(|w| w == b"iTXt")
            .unwrap_or_else(|| panic!("{kind}: no text chunk"));
        assert!(
            bytes[itxt..].starts_with(b"iTXtTitle\0"),
            "{kind}: the first text chunk is the title"
        );
        let words = String::from_utf8_lossy(&bytes[itxt..]);
        assert!(words.contains("Description"), "{kind}");
        assert!(words.contains("Premium OTT service"), "{kind}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Arguments the user got wrong are bad input (exit 2) with a hint, whichever command.
#[test]
fn wrong_arguments_exit_2_with_a_hint() {
    let dir = temp_dir("arguments");
    std::fs::create_dir_all(&dir).unwrap();
    let in_the_way = dir.join("report.toml");
    std::fs::write(&in_the_way, "").unwrap();
    let png = dir.join("x.png");
    for (args, says) in [
        (
            vec![
                "chart",
                "ladder",
                "-o",
                png.to_str().unwrap(),
                "--width",
                "100",
            ],
            "chart size 100x700 is too small or too large",
        ),
        (
            vec![
                "chart",
                "tornado",
                "-o",
                png.to_str().unwrap(),
                "--width",
                "600",
                "--height",
                "400",
            ],
            "chart size 600x400 is too small or too large\nhint: use a width of 640 to 4000 and a height of 400 to 3000 pixels",
        ),
        (
            vec!["report", "-o", in_the_way.to_str().unwrap()],
            "file exists\nhint: a file is in the way",
        ),
        (
            vec![
                "sweep",
                "--vary",
                "delivery.cache_hit_rate=0:1:0.5",
                "--vary",
                "delivery.cache_hit_rate=0:1:0.25",
            ],
            "`delivery.cache_hit_rate` is varied twice\nhint:",
        ),
        (
            vec![
                "sweep",
                "--vary",
                "ladder.rungs[2].video_kbps=300:600:100",
                "--vary",
                "ladder.rungs.360p.video_kbps=400:800:200",
            ],
            "`ladder.rungs.360p.video_kbps` is varied twice (as `ladder.rungs[2].video_kbps` before)\nhint:",
        ),
        (
            vec![
                "solve",
                "--vary",
                "delivery.cache_hit_rate",
                "--max-total",
                "50000",
                "--range",
                "0.50001:0.50002",
            ],
            "`--range 0.50001:0.50002` holds one value of delivery.cache_hit_rate: both ends round to 0.5000 on its grid of steps of 0.0001\nhint: widen the range",
        ),
        (
            vec!["estimate", "--max-total", "5,0000"],
            "`5,0000` is not an amount of US dollars\nhint:",
        ),
        (
            vec!["estimate", "--max-total", "$$5"],
            "`$$5` is not an amount of US dollars\nhint:",
        ),
        (
            vec!["forecast", "--start", "9999-12", "--months", "2"],
            "would end in 10000-01, past 9999-12\nhint:",
        ),
        (
            vec!["actuals", "show", "--from", "2026-10", "--to", "2026-01"],
            "`--from 2026-10` is after `--to 2026-01`\nhint:",
        ),
    ] {
        let out = ladderwise(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    // A trillion minutes in the table of rungs stays a column of its own.
    let scenario = dir.join("big.toml");
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    // Without its [forecast], whose growth would carry the volumes past their bounds.
    let big = text
        .lines()
        .take_while(|l| !l.starts_with("[forecast"))
        .map(|l| {
            if l.starts_with("new_minutes_per_month") || l.starts_with("watch_minutes_per_month") {
                format!("{} = 1e12", l.split('=').next().unwrap().trim())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&scenario, big).unwrap();
    let out = ladderwise(&["estimate", scenario.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    let row = table
        .lines()
        .find(|l| l.starts_with("  720p "))
        .expect("the 720p rung's row");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells.len(), 7, "{row}");
    assert_eq!(cells[1], "1,000,000,000,000", "{row}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn chart_refuses_unknown_kinds_and_formats() {
    let out = ladderwise(&["chart", "pie", "-o", "x.svg"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the charts are: ladder"));
    let dir = temp_dir("chart-format");
    std::fs::create_dir_all(&dir).unwrap();
    let out = ladderwise(&["chart", "ladder", "-o", dir.join("x.gif").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("hint: name the file .svg or .png"));
    assert!(!dir.join("x.gif").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sweep_prints_a_point_per_value_in_every_format() {
    let args = ["sweep", "--vary", "delivery.cache_hit_rate=0:1:0.25"];
    let table = ladderwise(&args);
    assert!(table.status.success(), "{}", stderr(&table));
    insta::assert_snapshot!("sweep_table_hit_rate", stdout(&table));
    let csv = ladderwise(&[&args[..], &["--format", "csv"]].concat());
    insta::assert_snapshot!("sweep_csv_hit_rate", stdout(&csv));
    assert_eq!(stdout(&csv).lines().count(), 6);
    let json = ladderwise(&[&args[..], &["--format", "json"]].concat());
    let v: Value = serde_json::from_str(&stdout(&json)).unwrap();
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 5);
    // Every output names the snapshot that priced it, and the scenario.
    assert_eq!(v["snapshot"]["id"], "shipped-2026-11-30", "{v}");
    assert_eq!(v["scenario"], "UGC short-form platform", "{v}");
    // The sweep's point at the scenario's own rate equals the plain estimate.
    let own = ladderwise(&["estimate", "--format", "json"]);
    let own: Value = serde_json::from_str(&stdout(&own)).unwrap();
    let at_095 = ladderwise(&[
        "sweep",
        "--vary",
        "delivery.cache_hit_rate=0.95:0.95:1",
        "--format",
        "json",
    ]);
    let at_095: Value = serde_json::from_str(&stdout(&at_095)).unwrap();
    assert_eq!(at_095["points"][0]["total_usd"], own["total_usd"]);
}

#[test]
fn sweep_grids_and_bad_sweeps() {
    let out = ladderwise(&[
        "sweep",
        "scenarios/elearning-apple-hls.toml",
        "--vary",
        "content.new_minutes_per_month=1000:3000:1000",
        "--vary",
        "ladder.rungs.1080p_7800.video_kbps=5000:7800:2800",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1 + 3 * 2);
    for (vary, says) in [
        ("delivery.cache_hit_rate", "FIELD=FROM:TO:STEP"),
        ("delivery.colour=0:1:0.1", "is not a field of the scenario"),
        ("ladder.rungs[1].watch_share=0:1:0.1", "cannot be varied"),
        ("ladder.rungs[0].video_kbps=1:2:1", "positions count from 1"),
        (
            "delivery.cache_hit_rate=0:5:1",
            "`delivery.cache_hit_rate` cannot be 2\nhint: `delivery.cache_hit_rate` takes a fraction from 0 to 1 (0.02 for 2 %)",
        ),
        ("delivery.cache_hit_rate=0.9:0.5:0.1", "TO is below FROM"),
    ] {
        let out = ladderwise(&["sweep", "--vary", vary]);
        assert_eq!(out.status.code(), Some(2), "{vary}");
        let err = stderr(&out);
        assert!(err.contains(says), "{vary}: {err}");
        assert!(err.contains("hint:"), "{vary}: {err}");
    }
}

#[test]
fn report_is_self_contained_and_has_every_part() {
    let dir = temp_dir("report");
    let out = ladderwise(&[
        "report",
        "scenarios/premium-ott.toml",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert_eq!(
        html.matches("<svg").count(),
        7,
        "one inline SVG per chart, the fan chart of the forecast and the tornado of the sensitivity section"
    );
    for part in [
        "Premium OTT service",
        "Priced lines",
        "Capacity",
        "Cost per rung",
        "Assumptions",
        "Where the prices come from",
        "Sensitivity",
        "<h2>Forecast</h2>",
        "AV1 ladder for new titles",
        "a month: the P50 stays under it throughout; the P90 first goes over it in 2027-",
        // The requests as the engine counts them: 1 multivariant + 1 media + 2 switches.
        "Requests: one per 4-second segment fetched (video with its audio), watched, buffered ahead or preloaded; 4 playlist requests per session",
        "watch_minutes_per_month",
        "shipped-2026-11-30",
        "unverified",
        // Every source of a band the MediaConvert line was priced in, not only its worst:
        // the third party's, and the China page's ratio for the later bands.
        "<tr><td>S-MC-3P</td>",
        "<tr><td>S-MC-CN</td>",
    ] {
        assert!(html.contains(part), "report lacks {part}");
    }
    // Every chart carries its text alternative, so a screen reader reads its figures: the
    // ladder's each rung with its cost.
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("role=\"img\"").count()
    );
    assert_eq!(html.matches("<svg").count(), html.matches("<desc>").count());
    for rung in [
        "360p_145 (360 lines, hevc, 145 kbps) $1,5",
        "2160p_16800 (2160 lines, hevc, 16,800 kbps) $2",
    ] {
        assert!(html.contains(rung), "the ladder's description lacks {rung}");
    }
    // Long rung names do not widen the page past the screen: the sensitivity table scrolls
    // in its own box and long words in cells break.
    assert!(html.contains("<div class=\"wide\"><table>\n<tr><th>input</th>"));
    assert!(html.contains("td { overflow-wrap: anywhere; }"));
    // Nothing to fetch and nothing to run: no scripts, no remote images, styles or links.
    assert!(!html.contains("<script"));
    for attr in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(!html.contains(attr), "report refers to {attr}");
    }
    for csv in [
        "estimate.csv",
        "rungs.csv",
        "sweep-cache-hit-rate.csv",
        "sensitivity.csv",
        "forecast.csv",
    ] {
        let text = std::fs::read_to_string(dir.join(csv)).unwrap();
        assert!(text.lines().count() > 2, "{csv}");
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("estimate.json")).unwrap()).unwrap();
    assert_eq!(json["scenario"], "Premium OTT service");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Each kind of error has one exit code, documented in docs/cli.md: 1 internal, 2 bad input,
/// 3 over budget, 4 unusable data on disk, 5 AWS (the AWS cases are in tests/pricing.rs).
#[test]
fn every_kind_of_error_has_its_exit_code() {
    let dir = temp_dir("exit-codes");
    let broken = dir.join("broken-snapshot");
    copy_snapshot(&broken);
    std::fs::write(broken.join("manifest.json"), "{ not json").unwrap();
    let cases: &[(&[&str], i32)] = &[
        (&["estimate", "no/such/file.toml"], 2),
        (&["estimate", "tests/fixtures/bad/shares.toml"], 2),
        (&["sweep", "--vary", "delivery.colour=0:1:0.5"], 2),
        (&["pricing", "show", "nosuch"], 2),
        (&["pricing", "use", "nosuch"], 2),
        // A Region no price exists for is refused before any call to AWS.
        (&["pricing", "refresh", "--region", "us-eats-1"], 2),
        (&["chart", "ladder", "-o", "chart.gif"], 2),
        (&["chart", "ladder", "-o", "/no/such/dir/chart.svg"], 2),
        (&["estimate", "--pricing", broken.to_str().unwrap()], 4),
    ];
    for (args, code) in cases {
        let out = ladderwise(args);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("hint:"), "{args:?}: {}", stderr(&out));
    }
    // A full disk under standard output is the machine's failure, not the user's.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ladderwise"))
        .args(["estimate"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write the output"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Whatever the parser accepts, every command handles: a scenario just inside the bound of
/// 10^12 (new minutes at 6 × 10^11, watch minutes at 9.9 × 10^11) is estimated, charted in
/// every kind, forecast and reported. The choice charts sweep to twice the scenario's own
/// value, and stop at the field's bound instead of refusing it.
#[test]
fn a_scenario_near_the_bounds_works_in_every_command() {
    let dir = temp_dir("near-bounds");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml")).unwrap();
    // Without its [forecast]: growing from there would pass the bound, which the parser
    // refuses (another test); this one is about what it accepts.
    let text = shipped[..shipped.find("\n[forecast]").unwrap()]
        .to_string()
        .replace(
            "new_minutes_per_month = 60000.0",
            "new_minutes_per_month = 6e11",
        )
        .replace(
            "watch_minutes_per_month = 9000000.0",
            "watch_minutes_per_month = 9.9e11",
        );
    let path = dir.join("huge.toml");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    let out = ladderwise(&["estimate", p]);
    assert!(out.status.success(), "estimate: {}", stderr(&out));
    for kind in ladderwise_app::views::ChartKind::ALL {
        let svg = dir.join(format!("{}.svg", kind.name()));
        let out = ladderwise(&["chart", kind.name(), p, "-o", svg.to_str().unwrap()]);
        assert!(out.status.success(), "{}: {}", kind.name(), stderr(&out));
        assert!(
            std::fs::metadata(&svg).unwrap().len() > 1000,
            "{}",
            kind.name()
        );
    }
    // The flat-rate plans end at their own bound, whatever point of the sweep passes it
    // first (the note used to name that point: "past 69259 TB").
    let svg = std::fs::read_to_string(dir.join("delivery-choice.svg")).unwrap();
    assert!(
        svg.contains("past 600 TB a month no plan holds the month"),
        "{svg}"
    );
    let out = ladderwise(&["forecast", p, "--months", "12", "--paths", "100"]);
    assert!(out.status.success(), "forecast: {}", stderr(&out));
    let report = dir.join("report");
    let out = ladderwise(&["report", p, "-o", report.to_str().unwrap()]);
    assert!(out.status.success(), "report: {}", stderr(&out));
    assert!(report.join("index.html").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A scenario with a byte that is not UTF-8 is reported at its line and column, and a usage
/// file that cannot be read is not given the scenario's hint.
#[test]
fn files_that_are_not_text_or_not_there_get_their_own_words() {
    let dir = temp_dir("not-utf8");
    std::fs::create_dir_all(&dir).unwrap();
    // A comment saved in Latin-1 above the shipped scenario: `café` with é as one byte, 0xE9.
    let mut bytes = b"# a scenario for the caf\xE9\n".to_vec();
    bytes.extend(std::fs::read(root().join("scenarios/ugc-short-form.toml")).unwrap());
    let path = dir.join("latin1.toml");
    std::fs::write(&path, &bytes).unwrap();
    let out = ladderwise(&["estimate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:1:25: byte 0xE9 is not UTF-8 text",
            path.display()
        )),
        "{err}"
    );
    assert!(err.contains("hint: save the file as UTF-8"), "{err}");

    let usage = dir.join("usage-latin1.csv");
    std::fs::write(&usage, b"timestamp,namespace,m\xE9tric\n").unwrap();
    for (file, says) in [
        (
            usage.clone(),
            "1:22: byte 0xE9 is not UTF-8 text".to_string(),
        ),
        (dir.join("missing.csv"), "cannot read".to_string()),
    ] {
        let out = ladderwise_in(&dir, &["usage", "import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", file.display());
        let err = stderr(&out);
        assert!(err.contains(&says), "{err}");
        assert!(!err.contains("scenario files are TOML"), "{err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Names with markup are text in the report, in its tables and in its inline charts alike:
/// a scenario called `<script>…</script> & Co` and a rung called `720p <b>&</b>`.
#[test]
fn the_report_escapes_names_with_markup() {
    let dir = temp_dir("report-escaping");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("scenarios/ugc-short-form.toml"))
        .unwrap()
        .replace(
            "name = \"UGC short-form platform\"",
            "name = \"<script>alert('x')</script> & Co\"",
        )
        .replace("name = \"720p\"", "name = \"720p <b>&</b>\"");
    let path = dir.join("markup.toml");
    std::fs::write(&path, text).unwrap();
    let out_dir = dir.join("report");
    let out = ladderwise(&[
        "report",
        path.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(!html.contains("<script"), "a script element got through");
    assert!(
        !html.contains("<b>&</b>"),
        "markup in a rung name got through"
    );
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the name is shown as text"
    );
    assert!(
        html.contains("&lt;/script&gt; &amp; Co"),
        "the name is shown as text"
    );
    assert!(
        html.contains("720p &lt;b&gt;&amp;&lt;/b&gt;"),
        "the rung is shown as text"
    );
    // Every ampersand starts an entity: none is left bare.
    for (i, _) in html.match_indices('&') {
        let rest = &html[i..];
        let entity = rest.find(';').map(|end| &rest[1..end]);
        assert!(
            entity.is_some_and(|e| !e.is_empty() && e.len() < 10 && !e.contains(' ')),
            "a bare & at {i}: {}",
            &rest[..rest.len().min(40)]
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The design's reference pipeline end to end: priced with no unpriced
/// line, every setting of its pipeline sections written or left as a commented note (so a
/// reader sees each assumption), and a report with the cost per title by stage, whose
/// figures are the estimate's own.
#[test]
fn the_reference_pipeline_prices_whole_notes_every_assumption_and_reports_its_stages() {
    let path = "scenarios/reference-pipeline.toml";
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    for section in ["vision", "nlp", "pipeline"] {
        for key in ladderwise_model::scenario::fields::keys(section) {
            let written = text.lines().any(|l| {
                l.starts_with(&format!("{key} = ")) || l.starts_with(&format!("# {key}:"))
            });
            assert!(written, "{path} neither sets nor notes {section}.{key}");
        }
    }

    let out = ladderwise(&["estimate", path, "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["complete"], true);
    assert_eq!(json["unpriced"].as_array().unwrap().len(), 0);

    let dir = temp_dir("reference-report");
    let out = ladderwise(&["report", path, "-o", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    let section = html
        .find("<h2>Cost per title by stage</h2>")
        .map(|at| &html[at..])
        .expect("the report has the cost per title by stage");
    for stage in json["per_title_by_stage"].as_array().unwrap() {
        let name = stage["stage"].as_str().unwrap();
        let per_title = Decimal::from_str(stage["usd_per_title"].as_str().unwrap()).unwrap();
        let row = format!("<tr><td>{name}</td>");
        let at = section
            .find(&row)
            .unwrap_or_else(|| panic!("the report has no row for {name}"));
        let cell = format!("${}", per_title.round_dp(4));
        assert!(
            section[at..].lines().next().unwrap().contains(&cell),
            "{name}: {cell} not in the report's row"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A report of a scenario in a Region where nothing has a price writes its total as
/// unpriced, not $0.00; one where part has a price writes the sensitivity's totals as lower
/// bounds, as its headline does.
#[test]
fn a_report_never_writes_a_missing_price_as_zero() {
    let dir = temp_dir("report-unpriced");
    std::fs::create_dir_all(&dir).unwrap();
    let moved = |name: &str, region: &str| {
        let text = std::fs::read_to_string(format!("scenarios/{name}.toml"))
            .unwrap()
            .replacen(
                "region = \"us-east-1\"",
                &format!("region = \"{region}\""),
                1,
            );
        let path = dir.join(format!("{name}-{region}.toml"));
        std::fs::write(&path, text).unwrap();
        path
    };
    let html_of = |scenario: &Path, out: &str| {
        let out_dir = dir.join(out);
        let done = ladderwise(&[
            "report",
            scenario.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
        ]);
        assert!(done.status.success(), "{}", stderr(&done));
        std::fs::read_to_string(out_dir.join("index.html")).unwrap()
    };
    let none = html_of(&moved("legacy-elastic-transcoder", "af-south-1"), "none");
    assert!(
        none.contains(
            "Total (incomplete: unpriced lines excluded)</td><td class=\"num\">unpriced</td>"
        ),
        "the total row"
    );
    assert!(none.contains("the total is unpriced as the scenario stands"));
    // A rung none of whose lines has a price has no total either: an empty cell and a null,
    // not 0.
    let rungs = std::fs::read_to_string(dir.join("none").join("rungs.csv")).unwrap();
    let total_at = rungs
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "total_usd")
        .unwrap();
    for row in rungs.lines().skip(1) {
        assert_eq!(row.split(',').nth(total_at), Some(""), "{rungs}");
    }
    let scenario = moved("legacy-elastic-transcoder", "af-south-1");
    let json = ladderwise(&["estimate", scenario.to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&json)).unwrap();
    let each = v["rungs"].as_array().unwrap();
    assert!(!each.is_empty());
    for r in each {
        assert!(r["total_usd"].is_null(), "{r}");
    }
    // Its charts draw no axis to $0: they say there is nothing priced to draw, and the
    // ladder labels each rung unpriced.
    for (kind, says) in [
        (
            "breakdown",
            "No stage has a price here: the notes below say why.",
        ),
        (
            "forecast",
            "No service has a price here: the notes below say why.",
        ),
        (
            "tornado",
            "No input moves a priced total: the notes below say why.",
        ),
        ("ladder", "avc · unpriced"),
    ] {
        let svg = dir.join(format!("none-{kind}.svg"));
        let out = ladderwise(&[
            "chart",
            kind,
            scenario.to_str().unwrap(),
            "-o",
            svg.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains(says), "{kind}: {says}");
        assert!(!text.contains("$0"), "{kind} draws a $0");
    }
    let part = html_of(&moved("premium-ott", "af-south-1"), "part");
    assert!(
        part.contains("the total is ≥$"),
        "the sensitivity's base total"
    );
    assert!(!part.contains("the total is $"));
}

/// A rung named in CJK takes two terminal columns a character: the per-rung table still
/// lines up its amounts.
#[test]
fn a_rung_named_in_cjk_keeps_the_table_in_line() {
    let dir = temp_dir("cjk");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("scenarios/ugc-short-form.toml")
        .unwrap()
        .replacen("name = \"720p\"", "name = \"720p_欧州\"", 1);
    assert!(text.contains("720p_欧州"));
    let path = dir.join("cjk.toml");
    std::fs::write(&path, text).unwrap();
    let out = ladderwise(&["estimate", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    // Terminal columns: the two CJK characters of the name take two each.
    let columns = |l: &str| {
        l.chars()
            .map(|c| {
                if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum::<usize>()
    };
    let rows: Vec<&str> = table
        .lines()
        .skip_while(|l| !l.starts_with("Per rung"))
        .skip(1)
        // The table's rows, not the note under them.
        .take_while(|l| !l.trim().is_empty() && !l.trim_start().starts_with('('))
        .collect();
    assert!(rows.iter().any(|r| r.contains("720p_欧州")), "{table}");
    let ends: Vec<usize> = rows.iter().map(|r| columns(r)).collect();
    assert!(
        ends.windows(2).all(|w| w[0] == w[1]),
        "{ends:?}\n{}",
        rows.join("\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
