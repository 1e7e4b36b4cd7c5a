//! The commands the UI invokes. Each one only sequences: it calls `ladderwise_app` and turns
//! the answer into an IPC type.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use ladderwise_app::editor;
use ladderwise_app::views::REFERENCE_LADDERS;
use ladderwise_app::{DEFAULT_SCENARIO, DEFAULT_SCENARIO_PATH};
use ladderwise_model::PriceBook;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::ipc::{
    self, ChangeRequest, CompareRequest, EvaluateRequest, Evaluation, IpcError, LadderImported,
    Opened, Startup,
};

/// What every command shares: the price book, loaded when the app starts and replaced
/// when a refresh makes a new snapshot current.
pub struct Prices {
    current: RwLock<Arc<Loaded>>,
}

/// The price book in use.
pub struct Loaded {
    pub book: PriceBook,
    /// Why the shipped snapshot is used instead of the chosen one, when it is.
    pub fallback: Option<String>,
}

impl Prices {
    /// The snapshot in use (as the CLI chooses it); the shipped one if that cannot be read,
    /// with the reason kept for the pricing panel.
    pub fn load() -> Prices {
        Prices {
            current: RwLock::new(Arc::new(Self::read())),
        }
    }

    fn read() -> Loaded {
        match ladderwise_app::snapshots::current_book() {
            Ok(book) => Loaded {
                book,
                fallback: None,
            },
            Err(e) => Loaded {
                book: ladderwise_app::shipped_price_book()
                    .expect("the shipped snapshot is checked by the test suite"),
                fallback: Some(e.to_string()),
            },
        }
    }

    /// The price book now. A command keeps the one it started with to its end.
    pub fn get(&self) -> Arc<Loaded> {
        Arc::clone(&self.current.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Uses `book` from now on (a refresh made it current).
    pub fn replace(&self, book: PriceBook) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Loaded {
            book,
            fallback: None,
        });
    }
}

#[tauri::command]
pub fn startup(prices: State<'_, Prices>) -> Startup {
    let prices = prices.get();
    Startup {
        default_text: DEFAULT_SCENARIO.to_string(),
        default_label: DEFAULT_SCENARIO_PATH,
        recent: editor::recent(),
        drafts: editor::drafts(),
        pricing: ipc::pricing(&prices.book, prices.fallback.clone()),
        ladders: REFERENCE_LADDERS
            .iter()
            .map(|l| ipc::LadderChoice {
                name: l.name,
                source: l.source,
                rungs: l.rows().len(),
            })
            .collect(),
        charts: ipc::chart_choices(),
        fields: ipc::field_table(),
        endpoints: ipc::Endpoints::from_env(),
    }
}

/// Prices the text as it stands and draws the chart named (`null`: none). Scenario problems
/// are part of the answer, not an error. It is async, so that it runs off the main thread:
/// a sweep chart prices the scenario over a range (4–12 ms) while the previous result is
/// being painted.
#[tauri::command]
pub async fn evaluate(
    request: EvaluateRequest,
    prices: State<'_, Prices>,
) -> Result<Evaluation, IpcError> {
    let chart = ipc::chart_choice(request.chart.as_deref())?;
    let text = request.text.clone();
    Ok(ipc::evaluation(&request, text, &prices.get().book, chart))
}

/// Applies one change to the text, then prices the result. An edit asks for no chart, or for
/// one drawn from the estimate itself (`ChartKind::is_sweep` is false), which takes under a
/// millisecond in a release build: less than the hop to a worker thread and back costs on a
/// busy machine, so this one runs where the request arrives. Sweep charts come through
/// `evaluate`, off the main thread.
#[tauri::command]
pub fn change(request: ChangeRequest, prices: State<'_, Prices>) -> Result<Evaluation, IpcError> {
    let ChangeRequest { change, evaluate } = request;
    let chart = ipc::chart_choice(evaluate.chart.as_deref())?;
    let text = editor::apply(&evaluate.text, &change.into())?;
    Ok(ipc::evaluation(&evaluate, text, &prices.get().book, chart))
}

#[tauri::command]
pub fn open_file(path: PathBuf) -> Result<Opened, IpcError> {
    let text = editor::open(&path)?;
    editor::remember(&path)?;
    Ok(Opened { path, text })
}

/// The ladder of the file at `path` (MediaConvert JSON, an HLS or DASH manifest) in place of
/// the ladder of `text`, the open document's text. Nothing is written: the document changes,
/// and is saved when the user saves it.
#[tauri::command]
pub fn import_ladder(path: PathBuf, text: String) -> Result<LadderImported, IpcError> {
    let imported = ladderwise_app::import::import_into_text(&path, &text)?;
    Ok(LadderImported {
        ladder: ladderwise_app::export::import::value(&imported.ladder),
        messages: ladderwise_app::import::messages(&imported.ladder)
            .iter()
            .map(ToString::to_string)
            .collect(),
        text: imported.text,
    })
}

/// Saves atomically; the document's draft is dropped only once the file is safely written.
#[tauri::command]
pub fn save_file(path: PathBuf, text: String, slot: String) -> Result<PathBuf, IpcError> {
    editor::save(&path, &text)?;
    editor::drop_draft(&slot)?;
    Ok(path)
}

#[tauri::command]
pub fn keep_draft(slot: String, path: Option<PathBuf>, text: String) -> Result<(), IpcError> {
    Ok(editor::keep_draft(&slot, path.as_deref(), &text)?)
}

#[tauri::command]
pub fn drop_draft(slot: String) -> Result<(), IpcError> {
    Ok(editor::drop_draft(&slot)?)
}

#[tauri::command]
pub async fn compare(
    request: CompareRequest,
    prices: State<'_, Prices>,
) -> Result<ipc::ComparisonView, IpcError> {
    let CompareRequest {
        a_label,
        a_text,
        b_label,
        b_text,
    } = request;
    let prices = prices.get();
    let a = editor::evaluate(&a_label, &a_text, &prices.book).map(|(_, e)| e);
    let b = editor::evaluate(&b_label, &b_text, &prices.book).map(|(_, e)| e);
    ipc::both(a, b, &a_label, &b_label)
}

/// The window title follows the document (its name, and a dot while it has unsaved edits).
#[tauri::command]
pub fn set_title<R: Runtime>(
    window: tauri::WebviewWindow<R>,
    title: String,
) -> Result<(), IpcError> {
    window
        .set_title(&title)
        .map_err(|e| IpcError::new(ladderwise_app::ErrorKind::Internal.code(), e.to_string()))
}

/// A file chosen in the native Open dialog; `None` when the user cancels.
fn pick_file<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
    filter: (&str, &[&str]),
) -> Option<PathBuf> {
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .blocking_pick_file()
        .and_then(|p| p.into_path().ok())
}

/// The native Open dialog; `None` when the user cancels.
#[tauri::command]
pub async fn pick_open<R: Runtime>(app: AppHandle<R>) -> Result<Option<Opened>, IpcError> {
    pick_file(&app, "Open scenario", ("Scenario (TOML)", &["toml"]))
        .map(open_file)
        .transpose()
}

/// The native Open dialog for a file to import a ladder from, then the import into `text`;
/// `None` when the user cancels.
#[tauri::command]
pub async fn pick_ladder_import<R: Runtime>(
    app: AppHandle<R>,
    text: String,
) -> Result<Option<LadderImported>, IpcError> {
    let filter = (
        "MediaConvert JSON, HLS or DASH manifest",
        &["json", "m3u8", "m3u", "mpd", "xml", "txt"][..],
    );
    pick_file(&app, "Import a ladder", filter)
        .map(|path| import_ladder(path, text))
        .transpose()
}

/// The native Save dialog; returns the chosen path, or `None` when the user cancels.
#[tauri::command]
pub async fn pick_save<R: Runtime>(
    app: AppHandle<R>,
    suggested: String,
) -> Result<Option<PathBuf>, IpcError> {
    let picked = app
        .dialog()
        .file()
        .set_title("Save scenario")
        .set_file_name(&suggested)
        .add_filter("Scenario (TOML)", &["toml"])
        .blocking_save_file();
    Ok(picked.and_then(|p| p.into_path().ok()))
}
