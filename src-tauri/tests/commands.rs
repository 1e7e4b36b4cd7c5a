//! The app's commands through Tauri's real IPC path (argument decoding, the capability check,
//! result and error encoding) on the mock runtime: no window and no display needed.

use std::path::Path;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use rust_decimal::Decimal;
use serde_json::{Value, json};

mod support;

use support::{Window, invoke as check};

/// A data directory of the tests' own for drafts and recent files, set once for the process
/// before any app is built.
fn data_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("ladderwise-desktop-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // SAFETY: set once, before the tests start any app or read the environment.
        unsafe {
            std::env::set_var("XDG_DATA_HOME", &dir);
            std::env::set_var("LADDERWISE_TEST_DIALOG", dir.join("dialog"));
        }
        dir
    })
}

fn app() -> (tauri::App<tauri::test::MockRuntime>, Window) {
    data_dir();
    support::app()
}

/// One test at a time answers the file dialog.
static DIALOG: Mutex<()> = Mutex::new(());

/// Invokes `cmd`, a command that opens a file dialog, with the user picking `picked` (`None`:
/// they cancel); the debug build's stand-in gives the dialog's answer.
fn pick(window: &Window, picked: Option<&Path>, cmd: &str, args: Value) -> Result<Value, Value> {
    let _turn = DIALOG.lock().unwrap_or_else(|e| e.into_inner());
    let answer = picked.map(|p| p.to_str().unwrap()).unwrap_or("");
    std::fs::write(data_dir().join("dialog"), answer).unwrap();
    check(window, cmd, args)
}

fn default_text(window: &Window) -> String {
    let startup = check(window, "startup", json!({})).unwrap();
    startup["default_text"].as_str().unwrap().to_string()
}

#[test]
fn startup_names_the_snapshot_and_the_reference_ladders() {
    let (_app, w) = app();
    let s = check(&w, "startup", json!({})).unwrap();
    assert!(s["pricing"]["id"].as_str().unwrap().starts_with("shipped"));
    assert!(!s["pricing"]["unverified"].as_array().unwrap().is_empty());
    assert_eq!(s["ladders"].as_array().unwrap().len(), 3);
    assert!(
        s["default_text"]
            .as_str()
            .unwrap()
            .contains("[[ladder.rungs]]")
    );
}

#[test]
fn an_edit_reprices_and_redraws_the_chart_asked_for() {
    let (_app, w) = app();
    let text = default_text(&w);
    let before = check(
        &w,
        "evaluate",
        json!({"request": {"label": "a", "text": text, "chart": "ladder"}}),
    )
    .unwrap();
    let after = check(
        &w,
        "change",
        json!({"request": {"label": "a", "text": text, "chart": "ladder",
               "change": {"kind": "set", "path": "ladder.rungs[1].video_kbps", "value": "4500"}}}),
    )
    .unwrap();
    let total = |v: &Value| {
        v["estimate"]["total_usd"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    assert!(
        total(&after) > total(&before),
        "a higher bitrate costs more"
    );
    assert!(
        after["text"]
            .as_str()
            .unwrap()
            .contains("video_kbps = 4500")
    );
    assert_eq!(after["chart"]["kind"], "ladder");
    assert!(after["chart"]["svg"].as_str().unwrap().starts_with("<svg"));
    assert_ne!(after["chart"]["svg"], before["chart"]["svg"]);
    // With no chart asked for, only the numbers come back.
    let numbers = check(
        &w,
        "evaluate",
        json!({"request": {"label": "a", "text": text, "chart": null}}),
    )
    .unwrap();
    assert!(numbers["chart"].is_null());
    assert_eq!(numbers["estimate"], before["estimate"]);
}

#[test]
fn a_bad_value_comes_back_as_diagnostics_with_the_text_kept() {
    let (_app, w) = app();
    let text = default_text(&w);
    let ev = check(
        &w,
        "change",
        json!({"request": {"label": "plan.toml", "text": text, "chart": "breakdown",
               "change": {"kind": "set", "path": "delivery.cache_hit_rate", "value": "95"}}}),
    )
    .unwrap();
    assert!(ev["estimate"].is_null());
    assert!(ev["chart"].is_null());
    let d = &ev["diagnostics"][0];
    assert_eq!(d["field"], "delivery.cache_hit_rate");
    assert!(d["hint"].as_str().unwrap().contains("0.95"), "{d}");
    assert!(d["line"].as_u64().unwrap() > 1);
    assert!(ev["text"].as_str().unwrap().contains("cache_hit_rate = 95"));
}

#[test]
fn errors_reach_the_ui_as_code_and_message() {
    let (_app, w) = app();
    let text = default_text(&w);
    let e = check(
        &w,
        "change",
        json!({"request": {"label": "a", "text": text, "chart": "ladder", "change": {"kind": "remove_rung", "rung": 9}}}),
    )
    .unwrap_err();
    // The code is the error's kind, the same kind that gives the CLI its exit code.
    assert_eq!(e["code"], "bad_input");
    assert!(e["message"].as_str().unwrap().contains("hint:"), "{e}");
    let e = check(
        &w,
        "evaluate",
        json!({"request": {"label": "a", "text": text, "chart": "pie"}}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "bad_input");
    let missing = Path::new("/nonexistent/plan.toml");
    let e = pick(&w, Some(missing), "pick_open", json!({})).unwrap_err();
    assert_eq!(e["code"], "bad_input");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("/nonexistent/plan.toml")
    );
}

#[test]
fn save_then_open_gives_back_the_text_and_remembers_the_file() {
    let (_app, w) = app();
    let text = default_text(&w).replace("cache_hit_rate = 0.95", "cache_hit_rate = 0.9");
    let path = data_dir().join("saved.toml");
    // Save As… with a bare name: the file gets the extension, and may then be saved to.
    let picked = pick(
        &w,
        Some(&data_dir().join("saved")),
        "pick_save",
        json!({"suggested": "plan.toml"}),
    )
    .unwrap();
    assert_eq!(picked, json!(path));
    check(
        &w,
        "keep_draft",
        json!({"slot": "tab-1", "path": null, "text": text}),
    )
    .unwrap();
    assert!(data_dir().join("ladderwise/drafts/tab-1.json").exists());
    let saved = check(
        &w,
        "save_file",
        json!({"path": path, "text": text, "slot": "tab-1"}),
    )
    .unwrap();
    assert_eq!(saved, json!(path));
    assert!(
        !data_dir().join("ladderwise/drafts/tab-1.json").exists(),
        "saving drops the draft"
    );
    let opened = check(&w, "open_file", json!({"path": path})).unwrap();
    assert_eq!(opened["text"], json!(text));
    let startup = check(&w, "startup", json!({})).unwrap();
    assert!(startup["recent"].as_array().unwrap().contains(&json!(path)));
    // A draft written as the file was saved holds nothing to recover and is not offered.
    check(
        &w,
        "keep_draft",
        json!({"slot": "tab-2", "path": path, "text": text}),
    )
    .unwrap();
    check(
        &w,
        "keep_draft",
        json!({"slot": "tab-3", "path": path, "text": "edited"}),
    )
    .unwrap();
    let drafts = check(&w, "startup", json!({})).unwrap()["drafts"].clone();
    let slots: Vec<&str> = drafts
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["slot"].as_str().unwrap())
        .collect();
    assert!(
        slots.contains(&"tab-3") && !slots.contains(&"tab-2"),
        "{slots:?}"
    );
}

#[test]
fn compare_gives_the_difference_per_service_and_in_total() {
    let (_app, w) = app();
    let a = default_text(&w);
    let b = a.replace("cdn = \"cloudfront\"", "cdn = \"none\"");
    let c = check(
        &w,
        "compare",
        json!({"request": {"a_label": "A", "a_text": a, "b_label": "B", "b_text": b}}),
    )
    .unwrap();
    let rows = c["rows"].as_array().unwrap();
    let sum: f64 = rows
        .iter()
        .map(|r| r["difference"].as_str().unwrap().parse::<f64>().unwrap())
        .sum();
    let total: f64 = c["total_difference"].as_str().unwrap().parse().unwrap();
    // Each difference is of the amounts as shown, to the cent: the rows add up to the
    // total's within half a cent a row.
    assert!(
        (sum - total).abs() <= 0.005 * rows.len() as f64 + 1e-9,
        "{sum} vs {total}"
    );
    for r in rows {
        let cents = |k: &str| (r[k].as_str().unwrap().parse::<f64>().unwrap() * 100.0).round();
        assert_eq!(cents("difference"), cents("b") - cents("a"), "{r}");
    }
    assert!(
        rows.iter()
            .any(|r| r["service"] == "Amazon CloudFront" && r["b"] == "0")
    );
    // A service with no price on one side (Comprehend in sa-east-1) has no difference: its
    // lower bound would read as a saving.
    let sa = a.replace("region = \"us-east-1\"", "region = \"sa-east-1\"");
    assert_ne!(sa, a);
    let c = check(
        &w,
        "compare",
        json!({"request": {"a_label": "A", "a_text": a, "b_label": "B", "b_text": sa}}),
    )
    .unwrap();
    let comprehend = c["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["service"] == "Amazon Comprehend")
        .unwrap();
    assert!(comprehend["difference"].is_null(), "{comprehend}");
    assert_eq!(comprehend["b_complete"], false);
    assert!(c["total_difference"].is_null());
    // Shown as the CLI's comparison shows them: nothing priced reads `unpriced`, never $0.00;
    // a total that leaves lines out says so in its own cell.
    assert_eq!(comprehend["a_shown"], "$120.00", "{comprehend}");
    assert_eq!(comprehend["b_shown"], "unpriced", "{comprehend}");
    assert_eq!(c["total_a_shown"], "$14,123.43");
    let total_b = c["total_b_shown"].as_str().unwrap();
    assert!(
        total_b.starts_with('$') && total_b.ends_with(" + unpriced"),
        "{total_b}"
    );
    let bad = a.replace("watch_share = 0.4", "watch_share = 0.9");
    let e = check(
        &w,
        "compare",
        json!({"request": {"a_label": "A", "a_text": a, "b_label": "B", "b_text": bad}}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "bad_input");
    assert!(!e["diagnostics"].as_array().unwrap().is_empty());
}

fn evaluate(w: &Window, text: &str, extra: Value) -> Result<Value, Value> {
    let mut request = json!({"label": "a", "text": text, "chart": null});
    request
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    check(w, "evaluate", json!({ "request": request }))
}

fn decimal(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("{v} is not a decimal string")),
    )
    .unwrap()
}

#[test]
fn service_subtotals_add_up_to_the_total() {
    let (_app, w) = app();
    let text = default_text(&w);
    let ev = evaluate(&w, &text, json!({})).unwrap();
    let services = ev["totals"]["services"].as_array().unwrap();
    let lines = ev["estimate"]["lines"].as_array().unwrap();
    assert!(services.len() >= 3, "{services:?}");
    for s in services {
        // Each subtotal is its lines' costs added as decimals: the lines carry 6 places, as
        // does the subtotal, so they agree to rounding.
        let of_lines: Decimal = lines
            .iter()
            .filter(|l| l["service"] == s["service"] && !l["cost_usd"].is_null())
            .map(|l| decimal(&l["cost_usd"]))
            .sum();
        let half = Decimal::new(5, 7) * Decimal::from(lines.len());
        assert!(
            (of_lines - decimal(&s["subtotal_usd"])).abs() <= half,
            "{s}"
        );
        assert_eq!(s["unpriced"], false, "{s}");
    }
    let sum: Decimal = services.iter().map(|s| decimal(&s["subtotal_usd"])).sum();
    let total = decimal(&ev["estimate"]["total_usd"]);
    let half_per_service = Decimal::new(5, 7) * Decimal::from(services.len());
    assert!((sum - total).abs() <= half_per_service, "{sum} vs {total}");

    // An unpriced line marks its service's subtotal as a lower bound.
    // The shipped snapshot has no prices for Cape Town: those lines are unpriced.
    let elsewhere = text.replace("region = \"us-east-1\"", "region = \"af-south-1\"");
    let ev = evaluate(&w, &elsewhere, json!({})).unwrap();
    assert_eq!(ev["estimate"]["complete"], false);
    let unpriced: Vec<&Value> = ev["estimate"]["unpriced"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert!(!unpriced.is_empty());
    for s in ev["totals"]["services"].as_array().unwrap() {
        let has_unpriced = unpriced.iter().any(|u| u["service"] == s["service"]);
        assert_eq!(s["unpriced"], has_unpriced, "{s}");
        // Shown as the CLI's tables show it: a lower bound, or `unpriced` with nothing priced.
        let shown = s["subtotal_shown"].as_str().unwrap();
        let nothing_priced = decimal(&s["subtotal_usd"]).is_zero();
        match (has_unpriced, nothing_priced) {
            (false, _) => assert!(shown.starts_with('$'), "{s}"),
            (true, true) => assert_eq!(shown, "unpriced", "{s}"),
            (true, false) => assert!(shown.starts_with("≥$"), "{s}"),
        }
    }
    assert!(
        ev["totals"]["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["subtotal_shown"] == "unpriced"),
        "Cape Town prices no MediaConvert: some service reads unpriced"
    );
}

#[test]
fn share_sums_are_given_while_the_scenario_is_invalid() {
    let (_app, w) = app();
    let text = default_text(&w);
    let ev = evaluate(&w, &text, json!({})).unwrap();
    assert_eq!(ev["shares"]["rungs"], json!({"sum": "1", "ok": true}));
    assert_eq!(ev["shares"]["geographies"]["ok"], true);
    // Removing a rung leaves the shares short: the engine refuses the scenario, and the sum
    // says by how much.
    let removed = check(
        &w,
        "change",
        json!({"request": {"label": "a", "text": text, "chart": null,
               "change": {"kind": "remove_rung", "rung": 2}}}),
    )
    .unwrap();
    assert!(removed["estimate"].is_null());
    assert!(!removed["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(
        removed["shares"]["rungs"],
        json!({"sum": "0.6", "ok": false})
    );
    // Within the engine's tolerance is fine; a share that is not a number is left out.
    let thirds = text
        .replace("watch_share = 0.6", "watch_share = 0.6005")
        .replace("watch_share = 0.4", "watch_share = \"lots\"");
    let ev = evaluate(&w, &thirds, json!({})).unwrap();
    assert_eq!(ev["shares"]["rungs"], json!({"sum": "0.6005", "ok": false}));
    let near = text.replace("watch_share = 0.6", "watch_share = 0.6009");
    let ev = evaluate(&w, &near, json!({})).unwrap();
    assert_eq!(ev["shares"]["rungs"], json!({"sum": "1.0009", "ok": true}));
    // Not TOML at all: no sums.
    let ev = evaluate(&w, "[ladder", json!({})).unwrap();
    assert!(ev["shares"]["rungs"].is_null() && ev["tree"].is_null());
}

#[test]
fn the_change_since_the_baseline_is_computed_in_decimals() {
    let (_app, w) = app();
    let text = default_text(&w);
    let base = evaluate(&w, &text, json!({})).unwrap();
    let baseline = base["estimate"]["total_usd"].as_str().unwrap().to_string();
    assert!(
        evaluate(&w, &text, json!({"baseline": baseline})).unwrap()["totals"]["change"].is_null(),
        "no change, nothing to show"
    );
    let edited = check(
        &w,
        "change",
        json!({"request": {"label": "a", "text": text, "chart": null, "baseline": baseline,
               "change": {"kind": "set", "path": "ladder.rungs[1].video_kbps", "value": "4500"}}}),
    )
    .unwrap();
    let change = &edited["totals"]["change"];
    let total = decimal(&edited["estimate"]["total_usd"]);
    let before = Decimal::from_str(&baseline).unwrap();
    assert_eq!(decimal(&change["baseline_usd"]), before);
    assert_eq!(decimal(&change["difference_usd"]), total - before);
    assert!(decimal(&change["difference_usd"]) > Decimal::ZERO);
    let relative = decimal(&change["relative"]);
    assert_eq!(relative, ((total - before) / before).round_dp(6));
    // A zero baseline has no relative change.
    let ev = evaluate(&w, &text, json!({"baseline": "0"})).unwrap();
    assert!(ev["totals"]["change"]["relative"].is_null());
    assert_eq!(decimal(&ev["totals"]["change"]["difference_usd"]), before);
    // The baseline the UI keeps is the total of an estimate that prices every line.
    assert_eq!(
        base["totals"]["baseline_usd"],
        base["estimate"]["total_usd"]
    );
    // A total that leaves unpriced lines out (Cape Town) changed by an unknown amount, not
    // by the saving its lower bound would show, and is no baseline for later edits.
    let elsewhere = text.replace("region = \"us-east-1\"", "region = \"af-south-1\"");
    let ev = evaluate(&w, &elsewhere, json!({"baseline": baseline})).unwrap();
    assert_eq!(ev["estimate"]["complete"], false);
    assert!(decimal(&ev["estimate"]["total_usd"]) < before);
    let change = &ev["totals"]["change"];
    assert_eq!(decimal(&change["baseline_usd"]), before);
    assert!(change["difference_usd"].is_null(), "{change}");
    assert!(change["relative"].is_null(), "{change}");
    assert!(ev["totals"]["baseline_usd"].is_null());
}

#[test]
fn parts_the_ui_holds_are_not_sent_again() {
    let (_app, w) = app();
    let text = default_text(&w);
    let first = evaluate(&w, &text, json!({"chart": "ladder"})).unwrap();
    let known = json!({
        "tree": first["tree_hash"],
        "estimate": first["estimate_hash"],
        "chart": first["chart"]["hash"],
    });
    let again = evaluate(&w, &text, json!({"chart": "ladder", "known": known})).unwrap();
    assert!(again["tree"].is_null() && again["estimate"].is_null());
    assert!(again["chart"]["svg"].is_null());
    assert_eq!(again["chart"]["hash"], first["chart"]["hash"]);
    assert_eq!(again["estimate_hash"], first["estimate_hash"]);
    assert!(!again["totals"].is_null(), "the sums always come");
    // A changed text brings its new parts.
    let changed = check(
        &w,
        "change",
        json!({"request": {"label": "a", "text": text, "chart": "ladder", "known": known,
               "change": {"kind": "set", "path": "ladder.rungs[1].video_kbps", "value": "4500"}}}),
    )
    .unwrap();
    assert!(!changed["tree"].is_null() && !changed["estimate"].is_null());
    assert!(
        changed["chart"]["svg"]
            .as_str()
            .unwrap()
            .starts_with("<svg")
    );
}

#[test]
fn startup_gives_every_field_of_the_table_and_which_charts_follow_an_edit() {
    let (_app, w) = app();
    let s = check(&w, "startup", json!({})).unwrap();
    let paths: Vec<&str> = s["fields"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|sec| sec["fields"].as_array().unwrap())
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let table: Vec<&str> = ladderwise_model::scenario::fields::FIELDS
        .iter()
        .map(|f| f.path)
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), paths.len(), "a field is given twice");
    assert_eq!(sorted.len(), table.len());
    assert!(table.iter().all(|p| paths.contains(p)));
    let rate = s["fields"]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|sec| sec["fields"].as_array().unwrap())
        .find(|f| f["path"] == "delivery.cache_hit_rate")
        .unwrap();
    assert_eq!(rate["kind"]["type"], "number");
    assert_eq!(rate["kind"]["max"], "1");
    assert_eq!(rate["unit"], "fraction");
    assert_eq!(rate["default"], json!({"type": "value", "text": "0.9"}));
    assert_eq!(s["fields"]["geographies"].as_array().unwrap().len(), 8);
    let charts = s["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 6);
    assert_eq!(charts[5]["kind"], "forecast");
    let with_edit: Vec<&str> = charts
        .iter()
        .filter(|c| c["with_edit"] == true)
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(with_edit, ["ladder", "breakdown"]);
}

fn import_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/imports")
        .join(name)
}

/// *Import ladder…*: the file's ladder replaces the document's, the rest of the text stays,
/// and the result prices with a different ladder chart. Undo is the UI sending the previous
/// text again: it prices back to the same estimate and chart.
#[test]
fn an_imported_ladder_replaces_the_documents_and_undo_brings_it_back() {
    let (_app, w) = app();
    let text = default_text(&w);
    let evaluate = |text: &str| {
        check(
            &w,
            "evaluate",
            json!({"request": {"label": "a", "text": text, "chart": "ladder"}}),
        )
        .unwrap()
    };
    let before = evaluate(&text);
    let path = import_fixture("dash-template.mpd");
    let imported = pick(
        &w,
        Some(&path),
        "pick_ladder_import",
        json!({ "text": text }),
    )
    .unwrap();
    let new_text = imported["text"].as_str().unwrap();
    assert_eq!(imported["ladder"]["schema"], 1);
    assert_eq!(imported["ladder"]["format"], "dash-mpd");
    assert_eq!(imported["ladder"]["rungs"].as_array().unwrap().len(), 3);
    assert_eq!(imported["ladder"]["separate_audio_kbps"], "128");
    // The document's other sections and their comments stay; the file is named by its name.
    let head = &text[..text.find("[ladder]").unwrap()];
    assert!(new_text.starts_with(head));
    let tail = &text[text.find("[audience]").unwrap()..];
    assert!(new_text.ends_with(tail));
    assert!(new_text.contains("# Imported from dash-template.mpd (DASH manifest).\n"));
    assert!(new_text.contains("# dash-template.mpd:10\n[[ladder.rungs]]\nname = \"360p_800\""));

    let after = evaluate(new_text);
    assert!(
        after["diagnostics"].as_array().unwrap().is_empty(),
        "{after}"
    );
    let names: Vec<&str> = after["estimate"]["rungs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rung"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"1080p_5000"));
    assert_ne!(after["chart"]["svg"], before["chart"]["svg"]);
    assert_ne!(
        after["estimate"]["total_usd"],
        before["estimate"]["total_usd"]
    );

    let undone = evaluate(&text);
    assert_eq!(undone["estimate"], before["estimate"]);
    assert_eq!(undone["chart"]["svg"], before["chart"]["svg"]);
}

#[test]
fn a_file_that_is_no_ladder_is_bad_input_with_its_place_and_a_hint() {
    let (_app, w) = app();
    let text = default_text(&w);
    let path = import_fixture("bad/media-playlist.m3u8");
    let err = pick(
        &w,
        Some(&path),
        "pick_ladder_import",
        json!({ "text": text }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.starts_with("media-playlist.m3u8:3: this is a media playlist"),
        "{message}"
    );
    assert!(message.contains("\nhint: "), "{message}");
    // A document that is not TOML cannot take a ladder; its text is not changed.
    let path = import_fixture("dash-template.mpd");
    let err = pick(
        &w,
        Some(&path),
        "pick_ladder_import",
        json!({"text": "[ladder"}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
    assert!(
        err["message"].as_str().unwrap().contains("not valid TOML"),
        "{err}"
    );
    let missing = import_fixture("no-such-file.mpd");
    let err = pick(
        &w,
        Some(&missing),
        "pick_ladder_import",
        json!({ "text": text }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "bad_input");
}

/// A refusal: bad input, naming the path, with a hint.
fn check_refused(answer: Result<Value, Value>, path: &Path) {
    let e = answer.unwrap_err();
    assert_eq!(e["code"], "bad_input", "{e}");
    let message = e["message"].as_str().unwrap();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("\nhint: "), "{message}");
}

#[test]
fn the_page_cannot_name_a_file_the_user_did_not_choose() {
    let (_app, w) = app();
    let text = default_text(&w);
    let passwd = Path::new("/etc/passwd");
    check_refused(check(&w, "open_file", json!({"path": passwd})), passwd);
    // Saving outside anything chosen writes nothing; nor does a draft that names the file,
    // which would make it trusted on the next start.
    let outside = data_dir().join("not-chosen").join("plan.toml");
    std::fs::create_dir_all(outside.parent().unwrap()).unwrap();
    let saving = json!({"path": outside, "text": text, "slot": "tab-refused"});
    check_refused(check(&w, "save_file", saving), &outside);
    assert!(!outside.exists(), "a refused save wrote the file");
    let draft = json!({"slot": "tab-refused", "path": outside, "text": text});
    check_refused(check(&w, "keep_draft", draft), &outside);
    assert!(
        !data_dir()
            .join("ladderwise/drafts/tab-refused.json")
            .exists()
    );
    // A path that leads out of a chosen file's directory is not that file.
    let chosen = data_dir().join("not-chosen").join("chosen.toml");
    pick(
        &w,
        Some(&chosen),
        "pick_save",
        json!({"suggested": "x.toml"}),
    )
    .unwrap();
    let sneaky = chosen.join("../../../../etc/passwd");
    check_refused(check(&w, "open_file", json!({"path": sneaky})), &sneaky);
    // The file picked is the one that may be saved, and then opened again.
    let saving = json!({"path": chosen, "text": text, "slot": "tab-refused"});
    check(&w, "save_file", saving).unwrap();
    assert_eq!(
        check(&w, "open_file", json!({"path": chosen})).unwrap()["text"],
        json!(text)
    );
    // Imports read no path the page names: there is no command that takes one.
    for cmd in ["import_ladder", "import_usage", "import_actuals"] {
        let e = check(&w, cmd, json!({"path": passwd, "text": text})).unwrap_err();
        assert!(!e.to_string().contains("root:"), "{cmd} read the file: {e}");
    }
    // A cancelled dialog gives nothing and makes nothing usable.
    assert_eq!(pick(&w, None, "pick_open", json!({})).unwrap(), Value::Null);
}
