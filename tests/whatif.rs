//! The what-if commands end to end: `compare` (table, JSON, CSV goldens of shipped scenario
//! pairs), `sensitivity`, `solve`, the budget exit codes of `estimate --max-total` and
//! `compare --max-increase`, and the waterfall and tornado charts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the repository root with a data directory of its own, so that no
/// price snapshot of the machine's user is picked up.
fn ladderwise(args: &[&str]) -> Output {
    let data = std::env::temp_dir().join(format!("ladderwise-whatif-data-{}", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_ladderwise"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", data)
        .output()
        .expect("run ladderwise")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("not a decimal string: {v}")),
    )
    .unwrap()
}

/// The UGC scenario moved to `region`, written in a directory of its own: (the directory,
/// the file).
fn ugc_in(region: &str) -> (PathBuf, PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("ladderwise-whatif-{region}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join(UGC)).unwrap();
    let file = dir.join(format!("{region}.toml"));
    std::fs::write(
        &file,
        text.replace("region = \"us-east-1\"", &format!("region = \"{region}\"")),
    )
    .unwrap();
    (dir, file)
}

const PREMIUM: &str = "scenarios/premium-ott.toml";
const SMALLER: &str = "scenarios/premium-ott-smaller-ladder.toml";
const UGC: &str = "scenarios/ugc-short-form.toml";
const UGC_HEVC: &str = "tests/fixtures/ugc-hevc.toml";

/// A comparison's JSON keeps its promises: the bars add up to the printed difference exactly,
/// which is B's printed total minus A's; services and lines add up to it too.
fn check_compare_json(text: &str) -> Value {
    let v: Value = serde_json::from_str(text).unwrap();
    assert_eq!(v["schema"], 1);
    let (a, b) = (dec(&v["a"]["total_usd"]), dec(&v["b"]["total_usd"]));
    let difference = dec(&v["difference_usd"]);
    assert_eq!(difference, b - a);
    let w = &v["waterfall"];
    let bars: Decimal = w["bars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| dec(&b["usd"]))
        .sum();
    assert_eq!(bars + dec(&w["residual_usd"]), difference);
    assert_eq!(dec(&w["residual_usd"]), Decimal::ZERO);
    let within = |sum: Decimal, n: usize| {
        assert!(
            (sum - difference).abs() <= Decimal::new(1, 6) * Decimal::from(n),
            "{sum} vs {difference}"
        )
    };
    let services = v["services"].as_array().unwrap();
    within(
        services.iter().map(|s| dec(&s["difference_usd"])).sum(),
        services.len(),
    );
    let lines = v["lines"].as_array().unwrap();
    within(
        lines.iter().map(|l| dec(&l["difference_usd"])).sum(),
        lines.len(),
    );
    v
}

/// A comparison's table adds up as a reader checks it: A's printed total plus the printed
/// difference is B's, and so is A's plus every waterfall bar.
fn check_compare_table(text: &str) {
    let money = |line: &str| -> Decimal {
        let field = line
            .split_whitespace()
            .find(|w| w.contains('$'))
            .unwrap_or_else(|| panic!("no amount in {line:?}"));
        let negative = field.starts_with('-');
        let digits: String = field
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let v = Decimal::from_str(&digits).unwrap();
        if negative { -v } else { v }
    };
    let lines: Vec<&str> = text.lines().collect();
    let find = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap();
    let (a, b) = (money(lines[find("  A  ")]), money(lines[find("  B  ")]));
    let difference = lines[find("     Difference, B − A")];
    if difference.ends_with(" unknown") {
        // A cost unknown in one side only: no difference to add up, and no bars either.
        assert!(text.contains("Not attributed"), "{text}");
        return;
    }
    let difference = money(difference);
    assert_eq!(a + difference, b, "{text}");
    let start = find("Waterfall");
    if lines[start..].iter().any(|l| l.contains("Not attributed")) {
        // A side has unpriced lines: no bars to add up.
        return;
    }
    let bars: Decimal = lines[start..]
        .iter()
        .skip_while(|l| !l.starts_with("  A  "))
        .skip(1)
        .take_while(|l| !l.starts_with("  B  "))
        .filter(|l| l.starts_with("     ") && l.contains('$'))
        .map(|l| money(l))
        .sum();
    assert_eq!(bars, difference, "{text}");
}

#[test]
fn compare_goldens_for_shipped_pairs() {
    for (name, a, b) in [
        ("premium_smaller_ladder", PREMIUM, SMALLER),
        ("ugc_hevc", UGC, UGC_HEVC),
    ] {
        let table = ladderwise(&["compare", a, b]);
        assert!(table.status.success(), "{name}: {}", stderr(&table));
        check_compare_table(&stdout(&table));
        insta::assert_snapshot!(format!("compare_table_{name}"), stdout(&table));
        let json = ladderwise(&["compare", a, b, "--format", "json"]);
        assert!(json.status.success(), "{name}: {}", stderr(&json));
        check_compare_json(&stdout(&json));
        insta::assert_snapshot!(format!("compare_json_{name}"), stdout(&json));
        let csv = ladderwise(&["compare", a, b, "--format", "csv"]);
        assert!(csv.status.success(), "{name}: {}", stderr(&csv));
        insta::assert_snapshot!(format!("compare_csv_{name}"), stdout(&csv));
    }
}

#[test]
fn the_waterfall_says_what_moving_to_hevc_saves_and_why() {
    let v = check_compare_json(&stdout(&ladderwise(&[
        "compare", UGC, UGC_HEVC, "--format", "json",
    ])));
    let bars = v["waterfall"]["bars"].as_array().unwrap();
    let drivers: Vec<&str> = bars.iter().map(|b| b["driver"].as_str().unwrap()).collect();
    assert_eq!(drivers, ["ladder.rungs[1]", "ladder.rungs[2]"]);
    assert_eq!(bars[0]["a"], "codec avc, video_kbps 3,000");
    assert_eq!(bars[0]["b"], "codec hevc, video_kbps 1,800");
    assert_eq!(v["waterfall"]["method"], "exact");
    assert_eq!(v["waterfall"]["coalitions"], 4);
    // Transcoding costs more on HEVC (a Professional codec), delivery less.
    let stage = |s: &str| {
        v["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["stage"] == s)
            .map(|x| dec(&x["difference_usd"]))
            .unwrap()
    };
    assert!(stage("transcode") > Decimal::ZERO);
    assert!(stage("delivery") < Decimal::ZERO);
}

#[test]
fn compare_the_other_way_negates_every_bar() {
    let forth = check_compare_json(&stdout(&ladderwise(&[
        "compare", PREMIUM, SMALLER, "--format", "json",
    ])));
    let back = check_compare_json(&stdout(&ladderwise(&[
        "compare", SMALLER, PREMIUM, "--format", "json",
    ])));
    let bars = |v: &Value| -> Vec<(String, Decimal)> {
        v["waterfall"]["bars"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["driver"].as_str().unwrap().to_string(), dec(&b["usd"])))
            .collect()
    };
    for ((p, x), (q, y)) in bars(&forth).into_iter().zip(bars(&back)) {
        assert_eq!(p, q);
        assert!((x + y).abs() <= Decimal::new(1, 6), "{p}: {x} vs {y}");
    }
}

#[test]
fn sensitivity_goldens() {
    let table = ladderwise(&["sensitivity", PREMIUM]);
    assert!(table.status.success(), "{}", stderr(&table));
    insta::assert_snapshot!("sensitivity_table_premium", stdout(&table));
    let json = ladderwise(&["sensitivity", PREMIUM, "--format", "json"]);
    insta::assert_snapshot!("sensitivity_json_premium", stdout(&json));
    let v: Value = serde_json::from_str(&stdout(&json)).unwrap();
    let swings: Vec<Decimal> = v["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| dec(&d["swing_usd"]))
        .collect();
    assert!(swings.windows(2).all(|w| w[0] >= w[1]), "sorted by swing");
    let csv = ladderwise(&["sensitivity", UGC, "--swing", "10%", "--format", "csv"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    insta::assert_snapshot!("sensitivity_csv_ugc_10", stdout(&csv));
    // A swing too small to move any total by a cent would print as ±0 %.
    for bad in ["0", "100%", "-5", "abc", "1e-9", "0.001%"] {
        let out = ladderwise(&["sensitivity", &format!("--swing={bad}")]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains("hint:"), "{bad}: {}", stderr(&out));
    }
}

#[test]
fn solve_finds_the_value_or_says_why_none_does() {
    // The hit rate that keeps the premium plan at or under $968,000.
    let out = ladderwise(&[
        "solve",
        PREMIUM,
        "--vary",
        "delivery.cache_hit_rate",
        "--max-total",
        "968000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!("solve_table_premium_hit_rate", stdout(&out));
    let json = ladderwise(&[
        "solve",
        PREMIUM,
        "--vary",
        "delivery.cache_hit_rate",
        "--max-total",
        "$968,000",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["met"], "somewhere");
    assert_eq!(v["shape"], "falling");
    let c = &v["crossings"][0];
    assert_eq!(c["meets"], "at_or_above");
    assert!(dec(&c["total_usd"]) <= Decimal::from(968_000));
    assert!(dec(&c["other_side"]["total_usd"]) > Decimal::from(968_000));
    assert_eq!(
        dec(&c["value"]) - dec(&c["other_side"]["value"]),
        Decimal::new(1, 4)
    );
    // No hit rate brings it to $50,000: exit 3, saying how close it gets.
    let out = ladderwise(&[
        "solve",
        PREMIUM,
        "--vary",
        "delivery.cache_hit_rate",
        "--max-total",
        "50000",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "the lowest total found, at 1.0000, is $967,020.00, over the budget by $917,020.00"
        ),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("hint:"));
    // A field no sweep varies is bad input.
    let out = ladderwise(&["solve", "--vary", "delivery.cdn", "--max-total", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // So is a range written backwards, as `sweep` has it.
    let out = ladderwise(&[
        "solve",
        "--vary",
        "delivery.cache_hit_rate",
        "--max-total",
        "1",
        "--range",
        "0.9:0.1",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("hint: write the smaller value first, here `0.1:0.9`"),
        "{}",
        stderr(&out)
    );
}

/// The budget flags print their output as usual, then exit 3 with the amount over on stderr
/// when over, 0 when not.
fn check_budget(args: &[&str], over: bool, says: &str) {
    let out = ladderwise(args);
    assert!(!stdout(&out).is_empty(), "{args:?}: the output is printed");
    if over {
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("hint:"), "{args:?}");
    } else {
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn budgets_and_thresholds_exit_3_when_over() {
    // The UGC plan costs $14,123.43 a month.
    check_budget(
        &["estimate", UGC, "--max-total", "14000"],
        true,
        "UGC short-form platform costs $14,123.43 a month, $123.43 over the budget of $14,000.00",
    );
    check_budget(&["estimate", UGC, "--max-total", "14123.43"], false, "");
    // Over by less than a cent: written with the decimals that show it.
    check_budget(
        &["estimate", UGC, "--max-total", "14123.428"],
        true,
        "costs $14,123.429 a month, $0.001 over the budget of $14,123.428",
    );
    check_budget(
        &["estimate", UGC, "--max-total", "10,000", "--format", "json"],
        true,
        "$4,123.43 over the budget of $10,000.00",
    );
    // The smaller ladder saves 29.7 %; going back to the full ladder adds 42.2 %.
    check_budget(
        &["compare", PREMIUM, SMALLER, "--max-increase", "10%"],
        false,
        "",
    );
    check_budget(
        &["compare", SMALLER, PREMIUM, "--max-increase", "10%"],
        true,
        "costs $288,185.64 a month more than Premium OTT service, smaller ladder (+42.2 %), over the allowed increase of 10 %",
    );
    check_budget(
        &[
            "compare",
            SMALLER,
            PREMIUM,
            "--max-increase",
            "43",
            "--format",
            "csv",
        ],
        false,
        "",
    );
    let out = ladderwise(&["compare", UGC, UGC, "--max-increase", "ten"]);
    assert_eq!(out.status.code(), Some(2));
    // The limit is checked on the difference as printed: a fraction of a cent more, printed
    // as $0.00, is no increase; one cent more is over a limit of 0 %.
    let dir = std::env::temp_dir().join(format!("ladderwise-increase-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join(UGC)).unwrap();
    let more = |minutes: &str| {
        let file = dir.join(format!("{minutes}.toml"));
        let changed = text.replace(
            "watch_minutes_per_month = 9000000.0\n",
            &format!("watch_minutes_per_month = {minutes}\n"),
        );
        assert_ne!(changed, text);
        std::fs::write(&file, changed).unwrap();
        file.to_str().unwrap().to_string()
    };
    let (tiny, cent) = (more("9000000.01"), more("9000100.0"));
    check_budget(&["compare", UGC, &tiny, "--max-increase", "0"], false, "");
    check_budget(
        &["compare", UGC, &cent, "--max-increase", "0"],
        true,
        "a month more than UGC short-form platform",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A small swing of a small input prints ends that differ: 0.02 by ±0.2 % is 0.01996 to
/// 0.02004, which four decimals would print as 0.02 twice.
#[test]
fn the_tornado_table_tells_close_ends_apart() {
    let out = ladderwise(&[
        "sensitivity",
        "scenarios/reference-pipeline.toml",
        "--swing",
        "0.2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let row = text
        .lines()
        .find(|l| l.starts_with("ladder.packaging_overhead"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row.contains(" 0.01996 ") && row.contains(" 0.02004 "),
        "{row}"
    );
}

/// Two scenarios with problems: the comparison lists both files' problems in one run.
#[test]
fn a_comparison_of_two_bad_files_lists_the_problems_of_both() {
    let dir = std::env::temp_dir().join(format!("ladderwise-two-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join(UGC)).unwrap();
    let (a, b) = (dir.join("a.toml"), dir.join("b.toml"));
    std::fs::write(
        &a,
        text.replace("cache_hit_rate = 0.95", "cache_hit_rate = 95"),
    )
    .unwrap();
    std::fs::write(
        &b,
        text.replace("avg_title_minutes = 4.0", "avg_title_minutes = \"4 min\""),
    )
    .unwrap();
    let out = ladderwise(&["compare", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for (file, field) in [
        ("a.toml", "cache_hit_rate"),
        ("b.toml", "avg_title_minutes"),
    ] {
        assert!(
            err.contains(&format!("{file}:")) && err.contains(field),
            "{file}: {err}"
        );
    }
    // One bad file: its problems alone.
    let out = ladderwise(&["compare", UGC, b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("b.toml:"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A budget checked against a total with unpriced lines would pass on a missing price: every
/// budget check refuses it with the data exit code and names what is unpriced.
#[test]
fn a_budget_on_an_incomplete_total_is_refused_not_passed() {
    // af-south-1: the shipped snapshot has no Comprehend, MediaConvert, Rekognition or S3
    // prices there.
    let (dir, af) = ugc_in("af-south-1");
    let af = af.to_str().unwrap();
    for args in [
        vec!["estimate", af, "--max-total", "1000000000"],
        vec!["compare", UGC, af, "--max-increase", "10%"],
        vec!["compare", af, UGC, "--max-increase", "1000%"],
        vec![
            "solve",
            af,
            "--vary",
            "content.new_minutes_per_month",
            "--max-total",
            "1000000",
        ],
    ] {
        let out = ladderwise(&args);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {said}");
        assert!(said.starts_with("cannot check "), "{said}");
        assert!(
            said.contains("has no price for (Comprehend, MediaConvert, "),
            "{said}"
        );
        assert!(
            said.contains("\nhint: `ladderwise estimate` lists them"),
            "{said}"
        );
    }
    // Without a budget, the incomplete estimate is shown, as before, and a comparison's
    // printed difference is its printed totals' (once a cent apart, -$22.97 against a
    // waterfall of -$22.96).
    let out = ladderwise(&["estimate", af]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The estimate's rungs and steps say their transcode is unknown (null), not free.
    let out = ladderwise(&["estimate", af, "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rung = &v["rungs"][0];
    assert_eq!(
        (&rung["transcode_usd"], &rung["complete"]),
        (&Value::Null, &Value::from(false))
    );
    let steps = v["per_title_by_stage"].as_array().unwrap();
    let complete =
        |name: &str| steps.iter().find(|s| s["stage"] == name).unwrap()["complete"].clone();
    assert_eq!(complete("transcode"), false);
    assert_eq!(complete("glue"), true);
    // A forecast's budget over lower bounds: under is not known, over is.
    let out = ladderwise(&["forecast", af, "--paths", "0", "--months", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "the P50 cannot be checked from 2027-01 on: those totals leave unpriced lines out"
        ),
        "{}",
        stdout(&out)
    );
    let out = ladderwise(&["forecast", af, "--paths", "0"]);
    assert!(
        stdout(&out).contains("the P50 goes over it by 2028-12 at the latest"),
        "{}",
        stdout(&out)
    );
    // The ladder chart's rung labels are lower bounds too.
    let svg = dir.join("ladder.svg");
    let out = ladderwise(&["chart", "ladder", af, "-o", svg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(svg.contains("720p avc · ≥$10k/mo"), "{svg}");
    // A comparison: B's costs where it has no prices are unknown, never $0, and no saving.
    let out = ladderwise(&["compare", UGC, af]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    let row = |name: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {table}"))
            .split_whitespace()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("AWS Elemental MediaConvert"), ["unknown", "unpriced"]);
    assert_eq!(row("Amazon CloudFront"), ["$0.00", "$12,213.19"]);
    assert!(row("delivery")[1].starts_with('≥'), "{table}");
    assert!(
        table.contains("Not attributed: B has unpriced lines"),
        "{table}"
    );

    let out = ladderwise(&["compare", UGC, af, "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mc = &v["services"][0];
    assert_eq!(mc["service"], "AWS Elemental MediaConvert");
    assert_eq!(mc["b_complete"], false);
    assert!(mc["difference_usd"].is_null(), "{mc}");
    assert_eq!(v["waterfall"]["complete"], false);
    // Nor does its chart draw the bars the table refuses: a move to a Region without prices
    // is no saving.
    let svg = dir.join("waterfall.svg");
    let out = ladderwise(&["chart", "waterfall", UGC, af, "-o", svg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(
        svg.contains("No bar is drawn: a total leaves unpriced lines out."),
        "{svg}"
    );
    assert!(
        svg.contains("Not attributed: B has unpriced lines"),
        "{svg}"
    );
    assert!(!svg.contains("decrease"), "bars drawn: {svg}");
    let base = dir.join("base.toml");
    std::fs::write(
        &base,
        "[scenario]\nname = \"base\"\n[content]\nnew_minutes_per_month = 1000\navg_title_minutes = 10\n\
         [ladder]\n[[ladder.rungs]]\nname = \"720p\"\nwidth = 1280\nheight = 720\nfps = 30\ncodec = \"avc\"\n\
         video_kbps = 3000\naudio_kbps = 128\nwatch_share = 0.6\n[[ladder.rungs]]\nname = \"360p\"\n\
         width = 640\nheight = 360\nfps = 30\ncodec = \"avc\"\nvideo_kbps = 800\naudio_kbps = 96\n\
         watch_share = 0.4\n[audience]\nwatch_minutes_per_month = 100000\ngeo = { us = 1.0 }\n",
    )
    .unwrap();
    let moved = dir.join("moved.toml");
    let text = std::fs::read_to_string(&base).unwrap();
    std::fs::write(
        &moved,
        text.replace(
            "name = \"base\"",
            "name = \"base\"\nregion = \"af-south-1\"",
        ),
    )
    .unwrap();
    let out = ladderwise(&["compare", base.to_str().unwrap(), moved.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    check_compare_table(&stdout(&out));
}

#[test]
fn waterfall_and_tornado_charts_are_drawn() {
    let dir = std::env::temp_dir().join(format!("ladderwise-whatif-charts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    for (args, file, says) in [
        (
            vec!["chart", "waterfall", PREMIUM, SMALLER],
            "w.svg",
            "ladder (8 → 5 rungs)",
        ),
        (
            vec!["chart", "tornado", PREMIUM],
            "t.svg",
            "Watch minutes / month",
        ),
        (
            vec!["chart", "tornado"],
            "default.svg",
            "UGC short-form platform",
        ),
    ] {
        let out = ladderwise(&[&args[..], &["-o", &path(file)]].concat());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let svg = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains(says), "{args:?}");
    }
    let out = ladderwise(&[
        "chart",
        "waterfall",
        UGC,
        UGC_HEVC,
        "-o",
        &path("w.png"),
        "--width",
        "800",
        "--height",
        "500",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let png = std::fs::read(dir.join("w.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 800);
    // A waterfall needs two scenarios; the other charts take one.
    for (args, says) in [
        (
            vec!["chart", "waterfall", PREMIUM],
            "drawn from 2 scenario(s), not 1",
        ),
        (
            vec!["chart", "ladder", PREMIUM, SMALLER],
            "only `waterfall` takes two",
        ),
        (
            vec!["chart", "tornado", PREMIUM, SMALLER],
            "drawn from 1 scenario(s), not 2",
        ),
    ] {
        let out = ladderwise(&[&args[..], &["-o", &path("x.svg")]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("hint:"));
    }
    assert!(!Path::new(&path("x.svg")).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An input that moves a line with no price has an unknown swing: the table marks it
/// `+ unpriced`, the JSON leaves it null, the tornado does not draw it as a bar of $0, and the
/// report's priced table shows the unpriced service as unpriced, not `$0.00`.
#[test]
fn an_input_that_moves_unpriced_lines_has_no_swing_of_0() {
    // sa-east-1: the shipped snapshot has no Comprehend price there, and every other.
    let (dir, sa) = ugc_in("sa-east-1");
    let sa = sa.to_str().unwrap();
    let table = stdout(&ladderwise(&["sensitivity", sa]));
    let row = |path: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{path} ")))
            .unwrap_or_else(|| panic!("{path}\n{table}"))
            .to_string()
    };
    // Comprehend's documents move only its unpriced lines.
    assert!(
        row("nlp.documents_per_month").ends_with("$0.00 + unpriced"),
        "{table}"
    );
    // Watch minutes move priced lines alone: their swing is whole.
    assert!(!row("audience.watch_minutes_per_month").contains("unpriced"));
    let json: Value = serde_json::from_str(&stdout(&ladderwise(&[
        "sensitivity",
        sa,
        "--format",
        "json",
    ])))
    .unwrap();
    let driver = |path: &str| {
        json["drivers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == path)
            .unwrap()
            .clone()
    };
    let documents = driver("nlp.documents_per_month");
    assert!(documents["swing_usd"].is_null(), "{documents}");
    assert_eq!(documents["complete"], false);
    let watch = driver("audience.watch_minutes_per_month");
    assert_eq!(watch["complete"], true);
    assert!(dec(&watch["swing_usd"]) > Decimal::ZERO);
    let csv = stdout(&ladderwise(&["sensitivity", sa, "--format", "csv"]));
    let documents = csv
        .lines()
        .find(|l| l.starts_with("nlp.documents_per_month,"))
        .unwrap();
    assert!(documents.contains(",,false,"), "{documents}");
    // The tornado counts it apart from the inputs that do not move the total.
    let svg = dir.join("t.svg");
    let out = ladderwise(&["chart", "tornado", sa, "-o", svg.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert!(
        svg.contains("input(s) that move only unpriced lines (effect unknown)"),
        "{svg}"
    );
    let report = dir.join("report");
    let out = ladderwise(&["report", sa, "-o", report.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(report.join("index.html")).unwrap();
    assert!(
        html.contains(
            "<tr class=\"service\"><td colspan=\"4\">Amazon Comprehend</td><td class=\"num\">unpriced</td>"
        ),
        "the report's priced table"
    );
    assert!(html.contains("<td class=\"num\">$0.00 + unpriced</td>"));
}

/// A count the file leaves to a derived default (Lambda invocations per title: one
/// orchestrator and one moderator per image) is swept, moved by sensitivity around the value
/// derived, and solved from it.
#[test]
fn a_derived_count_is_swept_moved_and_solved() {
    const PIPELINE: &str = "scenarios/reference-pipeline.toml";
    let field = "pipeline.lambda_invocations_per_title";
    let out = ladderwise(&[
        "sweep",
        PIPELINE,
        "--vary",
        &format!("{field}=1:3:1"),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let sweep: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let lambda: Vec<Decimal> = sweep["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| dec(&p["total_usd"]))
        .collect();
    assert_eq!(lambda.len(), 3);
    assert!(lambda[0] < lambda[2], "{lambda:?}");
    let json: Value = serde_json::from_str(&stdout(&ladderwise(&[
        "sensitivity",
        PIPELINE,
        "--format",
        "json",
    ])))
    .unwrap();
    let driver = json["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == field)
        .unwrap_or_else(|| panic!("{field} not moved: {json}"));
    // The reference pipeline analyses six images per title: 1 + 6 invocations.
    assert_eq!(dec(&driver["base"]), Decimal::from(7));
    let out = ladderwise(&["solve", PIPELINE, "--vary", field, "--max-total", "20000"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("As it stands: {field} = 7, total")),
        "{}",
        stdout(&out)
    );
}

/// A comparison with a side that leaves unpriced lines out gives its difference as unknown
/// (a cost unknown in B would read as a saving), unless the lines left unpriced are the same
/// in A and B, whose unknown costs cancel; never with a percentage of a lower bound.
#[test]
fn a_difference_over_an_incomplete_side_is_unknown_unless_the_unknowns_cancel() {
    let difference = |a: &str, b: &str| {
        let out = ladderwise(&["compare", a, b]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
            .lines()
            .find(|l| l.starts_with("     Difference, B − A"))
            .unwrap()
            .to_string()
    };
    // sa-east-1 has no Comprehend: B leaves it out, A does not.
    let (dir, sa) = ugc_in("sa-east-1");
    let line = difference(UGC, sa.to_str().unwrap());
    assert!(line.ends_with(" unknown"), "{line}");
    assert!(!line.contains('$') && !line.contains('%'), "{line}");
    // Both in sa-east-1, one with a lower hit rate: the same Comprehend lines are unpriced in
    // both, so the difference is the priced lines', and it is the hit rate's.
    let lower = dir.join("sa-east-1-lower-hit-rate.toml");
    let text = std::fs::read_to_string(&sa).unwrap();
    assert!(text.contains("cache_hit_rate = 0.95"));
    std::fs::write(
        &lower,
        text.replace("cache_hit_rate = 0.95", "cache_hit_rate = 0.9"),
    )
    .unwrap();
    let line = difference(sa.to_str().unwrap(), lower.to_str().unwrap());
    assert!(
        line.ends_with(" (the unpriced lines are the same in A and B)") && line.contains("+$"),
        "{line}"
    );
    assert!(!line.contains('%'), "{line}");
    // Both complete: the percentage is there.
    let line = difference(UGC, UGC_HEVC);
    assert!(line.ends_with("%)"), "{line}");
}
