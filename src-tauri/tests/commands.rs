//! The app's commands through Tauri's real IPC path (argument decoding, the capability check,
//! result and error encoding) on the mock runtime: no window and no display needed.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};

/// A data directory of the tests' own for drafts and recent files, set once for the process
/// before any app is built.
fn data_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("ladderwise-desktop-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // SAFETY: set once, before the tests start any app or read the environment.
        unsafe { std::env::set_var("XDG_DATA_HOME", &dir) };
        dir
    })
}

fn app() -> (
    tauri::App<tauri::test::MockRuntime>,
    WebviewWindow<tauri::test::MockRuntime>,
) {
    data_dir();
    let app = ladderwise_desktop::builder(mock_builder())
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window");
    (app, window)
}

/// Invokes `cmd` as the UI would, returning the value or the `{code, message}` error.
fn check(
    window: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::from(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().unwrap())
}

fn default_text(window: &WebviewWindow<tauri::test::MockRuntime>) -> String {
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
        json!({"label": "a", "text": text, "chart": "ladder"}),
    )
    .unwrap();
    let after = check(
        &w,
        "change",
        json!({"label": "a", "text": text, "chart": "ladder",
               "change": {"kind": "set", "path": "ladder.rungs[1].video_kbps", "value": "4500"}}),
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
    assert_eq!(after["chart_kinds"].as_array().unwrap().len(), 5);
    // With no chart asked for, only the numbers come back.
    let numbers = check(
        &w,
        "evaluate",
        json!({"label": "a", "text": text, "chart": null}),
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
        json!({"label": "plan.toml", "text": text, "chart": "breakdown",
               "change": {"kind": "set", "path": "delivery.cache_hit_rate", "value": "95"}}),
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
        json!({"label": "a", "text": text, "chart": "ladder", "change": {"kind": "remove_rung", "rung": 9}}),
    )
    .unwrap_err();
    // The code is the error's kind, the same kind that gives the CLI its exit code.
    assert_eq!(e["code"], "bad_input");
    assert!(e["message"].as_str().unwrap().contains("hint:"), "{e}");
    let e = check(
        &w,
        "evaluate",
        json!({"label": "a", "text": text, "chart": "pie"}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "bad_input");
    let e = check(&w, "open_file", json!({"path": "/nonexistent/plan.toml"})).unwrap_err();
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
        json!({"aLabel": "A", "aText": a, "bLabel": "B", "bText": b}),
    )
    .unwrap();
    let rows = c["rows"].as_array().unwrap();
    let sum: f64 = rows
        .iter()
        .map(|r| r["difference"].as_str().unwrap().parse::<f64>().unwrap())
        .sum();
    let total: f64 = c["total_difference"].as_str().unwrap().parse().unwrap();
    assert!((sum - total).abs() < 1e-5, "{sum} vs {total}");
    assert!(
        rows.iter()
            .any(|r| r["service"] == "Amazon CloudFront" && r["b"] == "0")
    );
    let bad = a.replace("watch_share = 0.4", "watch_share = 0.9");
    let e = check(
        &w,
        "compare",
        json!({"aLabel": "A", "aText": a, "bLabel": "B", "bText": bad}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "bad_input");
    assert!(!e["diagnostics"].as_array().unwrap().is_empty());
}
