//! The UI's TypeScript types (`ui/src/bindings/`) are generated from the types that cross the
//! bridge, here, in a test: it generates them afresh and fails when the checked-in files
//! differ, so a change to an IPC type cannot reach the UI unnoticed. To bring the files up
//! to date:
//!
//! ```sh
//! LADDERWISE_UPDATE_BINDINGS=1 cargo test -p ladderwise-desktop --lib bindings
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TS};

use crate::ipc::usage::{
    CalibrateRequest, Calibrated, ImportKind, Imported, PullDone, PullProgress, RefreshRequest,
    UsageOverview, UsagePullRequest, VarianceRequest, VarianceView,
};
use crate::ipc::whatif::{SolveRequest, SolveView, TornadoRequest, TornadoView, WaterfallView};
use crate::ipc::{
    ChangeRequest, CompareRequest, ComparisonView, EvaluateRequest, Evaluation, IpcError,
    LadderImported, Opened, Startup,
};
use crate::pulls::Refreshed;

const UPDATE: &str = "LADDERWISE_UPDATE_BINDINGS=1 cargo test -p ladderwise-desktop --lib bindings";

fn checked_in() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

/// Every type the UI sends or receives, with the types they are made of.
fn generate(dir: &Path) -> Result<(), ts_rs::ExportError> {
    // JSON numbers are JavaScript numbers: no count here comes near 2^53.
    let cfg = Config::new()
        .with_out_dir(dir)
        .with_large_int("number")
        .with_import_extension(Some("js"));
    Startup::export_all(&cfg)?;
    EvaluateRequest::export_all(&cfg)?;
    ChangeRequest::export_all(&cfg)?;
    Evaluation::export_all(&cfg)?;
    CompareRequest::export_all(&cfg)?;
    ComparisonView::export_all(&cfg)?;
    Opened::export_all(&cfg)?;
    LadderImported::export_all(&cfg)?;
    IpcError::export_all(&cfg)?;
    WaterfallView::export_all(&cfg)?;
    crate::ipc::forecast::ForecastRequest::export_all(&cfg)?;
    crate::ipc::forecast::ForecastView::export_all(&cfg)?;
    TornadoRequest::export_all(&cfg)?;
    TornadoView::export_all(&cfg)?;
    SolveRequest::export_all(&cfg)?;
    SolveView::export_all(&cfg)?;
    UsageOverview::export_all(&cfg)?;
    VarianceRequest::export_all(&cfg)?;
    VarianceView::export_all(&cfg)?;
    CalibrateRequest::export_all(&cfg)?;
    Calibrated::export_all(&cfg)?;
    ImportKind::export_all(&cfg)?;
    Imported::export_all(&cfg)?;
    UsagePullRequest::export_all(&cfg)?;
    RefreshRequest::export_all(&cfg)?;
    PullDone::export_all(&cfg)?;
    PullProgress::export_all(&cfg)?;
    Refreshed::export_all(&cfg)?;
    Ok(())
}

/// The `.ts` files of a directory, by name.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect()
}

#[test]
fn the_ui_types_are_generated_from_the_ipc_types() {
    let fresh = std::env::temp_dir().join(format!("ladderwise-bindings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    generate(&fresh).expect("the bindings generate");
    let want = files(&fresh);
    let _ = std::fs::remove_dir_all(&fresh);
    assert!(want.contains_key("Evaluation.ts"), "{:?}", want.keys());

    let dir = checked_in();
    let have = files(&dir);
    if std::env::var_os("LADDERWISE_UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for name in have.keys().filter(|n| !want.contains_key(*n)) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        for (name, text) in &want {
            if have.get(name) != Some(text) {
                std::fs::write(dir.join(name), text).unwrap();
            }
        }
        return;
    }
    let differing: Vec<&str> = want
        .keys()
        .chain(have.keys())
        .filter(|n| want.get(*n) != have.get(*n))
        .map(String::as_str)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(
        differing.is_empty(),
        "ui/src/bindings/ is not what the IPC types generate: {}\nhint: run `{UPDATE}`, then rebuild the UI (`npm run build:ui`)",
        differing.join(", ")
    );
}
