//! The commands the UI invokes. Each one only sequences: it calls `ladderwise_app` and turns
//! the answer into an IPC type.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

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
pub fn startup(prices: State<'_, Prices>, guard: State<'_, CloseGuard>) -> Startup {
    // The page listens for close requests before it asks for this.
    guard.started();
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
    let text = editor::apply(&evaluate.text, &change)?;
    Ok(ipc::evaluation(&evaluate, text, &prices.get().book, chart))
}

/// Whether a request to close the window is put to the page ([`CLOSE_REQUESTED`]) or lets the
/// window close. The page is asked only once it has started (it asks for [`startup`] after it
/// listens for the request) and while it answers: a page that failed to load, or that never
/// said it heard the last request within [`CloseGuard::GRACE`], cannot keep the window open,
/// so a second click on close closes it. A page showing its Save / Discard / Cancel question
/// has heard, and is asked again.
#[derive(Debug, Default)]
pub struct CloseGuard(Mutex<CloseState>);

#[derive(Debug, Default)]
struct CloseState {
    started: bool,
    /// When the page was last asked, and whether it said it heard.
    asked: Option<std::time::Instant>,
    heard: bool,
}

impl CloseGuard {
    /// How long the page has to say it heard a request before the next one closes the window.
    pub const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

    fn state(&self) -> std::sync::MutexGuard<'_, CloseState> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The page has started and listens for close requests.
    pub fn started(&self) {
        self.state().started = true;
    }

    /// The page heard the last request.
    pub fn heard(&self) {
        self.state().heard = true;
    }

    /// A close request at `now`: `true` to ask the page (the window stays open until it
    /// answers), `false` to let the window close.
    pub fn ask(&self, now: std::time::Instant) -> bool {
        let mut s = self.state();
        if !s.started {
            return false;
        }
        if let Some(at) = s.asked
            && !s.heard
            && now.saturating_duration_since(at) >= Self::GRACE
        {
            return false;
        }
        if s.heard || s.asked.is_none() {
            s.asked = Some(now);
            s.heard = false;
        }
        true
    }
}

/// The page heard [`CLOSE_REQUESTED`] and is settling its tabs (see [`CloseGuard`]).
#[tauri::command]
pub fn close_heard(guard: State<'_, CloseGuard>) {
    guard.heard();
}

/// The files the page may read or write: those the user picked in a native dialog while the
/// app runs, the recent-files list and the files of the drafts on disk, all of which only
/// Rust writes. The page names a path; the shell refuses any other, so a page that runs
/// script it should not cannot reach `/etc/passwd` or a user's other files.
#[derive(Default)]
pub struct Chosen(Mutex<HashSet<PathBuf>>);

impl Chosen {
    /// Remembers a path the user picked in a dialog.
    pub fn add(&self, path: &Path) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(absolute(path));
    }

    /// The path, if the page may use it; a clear refusal if not.
    pub fn check(&self, path: &Path) -> Result<PathBuf, IpcError> {
        let wanted = absolute(path);
        let picked = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&wanted);
        if picked
            || editor::recent().iter().any(|p| absolute(p) == wanted)
            || editor::drafts()
                .iter()
                .filter_map(|d| d.path.as_deref())
                .any(|p| absolute(p) == wanted)
        {
            return Ok(path.to_path_buf());
        }
        Err(IpcError::new(
            ladderwise_app::ErrorKind::BadInput.code(),
            format!(
                "{} was not chosen in a file dialog\nhint: open it with Open… or the recent list, or save with Save As…",
                path.display()
            ),
        ))
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[tauri::command]
pub fn open_file(path: PathBuf, chosen: State<'_, Chosen>) -> Result<Opened, IpcError> {
    let path = chosen.check(&path)?;
    open_chosen(path)
}

fn open_chosen(path: PathBuf) -> Result<Opened, IpcError> {
    let text = editor::open(&path)?;
    editor::remember(&path)?;
    Ok(Opened { path, text })
}

/// The ladder of the file at `path` (MediaConvert JSON, an HLS or DASH manifest) in place of
/// the ladder of `text`, the open document's text. Nothing is written: the document changes,
/// and is saved when the user saves it.
///
/// Not a command: the page names no file to import, it asks for the dialog
/// ([`pick_ladder_import`]), so only a file the user picked is read.
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
pub fn save_file(
    path: PathBuf,
    text: String,
    slot: String,
    chosen: State<'_, Chosen>,
) -> Result<PathBuf, IpcError> {
    let path = chosen.check(&path)?;
    editor::save(&path, &text)?;
    editor::drop_draft(&slot)?;
    Ok(path)
}

/// Keeps unsaved edits; the file a draft names must be one the page may use, as the draft
/// store is one of the lists [`Chosen`] trusts.
#[tauri::command]
pub fn keep_draft(
    slot: String,
    path: Option<PathBuf>,
    text: String,
    chosen: State<'_, Chosen>,
) -> Result<(), IpcError> {
    if let Some(p) = &path {
        chosen.check(p)?;
    }
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

/// The env variable naming the file that stands in for the native file dialogs in debug
/// builds: the end-to-end tests cannot drive a GTK dialog over WebDriver, so they write the
/// path a user would pick into this file (empty, or no file: the user cancelled). Release
/// builds have no such door.
pub const TEST_DIALOG: &str = "LADDERWISE_TEST_DIALOG";

/// The event the window sends the page when the user asks to close it (see `lib.rs`).
pub const CLOSE_REQUESTED: &str = "close-requested";

/// What a file dialog asks.
pub struct Pick<'a> {
    pub title: &'a str,
    pub filter: (&'a str, &'a [&'a str]),
    /// `Some(suggested name)` for a Save dialog.
    pub save_as: Option<&'a str>,
}

/// The file the user chose in a native dialog, remembered as one the page may use; `None`
/// when they cancel.
pub fn pick<R: Runtime>(app: &AppHandle<R>, chosen: &Chosen, pick: Pick<'_>) -> Option<PathBuf> {
    let path = stand_in().unwrap_or_else(|| {
        let dialog = app
            .dialog()
            .file()
            .set_title(pick.title)
            .add_filter(pick.filter.0, pick.filter.1);
        let picked = match pick.save_as {
            Some(name) => dialog.set_file_name(name).blocking_save_file(),
            None => dialog.blocking_pick_file(),
        };
        picked.and_then(|p| p.into_path().ok())
    })?;
    chosen.add(&path);
    Some(path)
}

/// The test stand-in's answer: `Some(None)` for a cancel, `None` when there is no stand-in.
#[cfg(debug_assertions)]
fn stand_in() -> Option<Option<PathBuf>> {
    let file = std::env::var_os(TEST_DIALOG)?;
    let answer = std::fs::read_to_string(file).unwrap_or_default();
    let answer = answer.trim();
    Some((!answer.is_empty()).then(|| PathBuf::from(answer)))
}

#[cfg(not(debug_assertions))]
fn stand_in() -> Option<Option<PathBuf>> {
    None
}

/// The native Open dialog; `None` when the user cancels.
#[tauri::command]
pub async fn pick_open<R: Runtime>(
    app: AppHandle<R>,
    chosen: State<'_, Chosen>,
) -> Result<Option<Opened>, IpcError> {
    let filter = ("Scenario (TOML)", &["toml"][..]);
    let picked = pick(
        &app,
        &chosen,
        Pick {
            title: "Open scenario",
            filter,
            save_as: None,
        },
    );
    picked.map(open_chosen).transpose()
}

/// The native Open dialog for a file to import a ladder from, then the import into `text`;
/// `None` when the user cancels.
#[tauri::command]
pub async fn pick_ladder_import<R: Runtime>(
    app: AppHandle<R>,
    text: String,
    chosen: State<'_, Chosen>,
) -> Result<Option<LadderImported>, IpcError> {
    let filter = (
        "MediaConvert JSON, HLS or DASH manifest",
        &["json", "m3u8", "m3u", "mpd", "xml", "txt"][..],
    );
    let picked = pick(
        &app,
        &chosen,
        Pick {
            title: "Import a ladder",
            filter,
            save_as: None,
        },
    );
    picked.map(|path| import_ladder(path, text)).transpose()
}

/// The native Save dialog; returns the chosen path, or `None` when the user cancels. A name
/// without an extension gets `.toml`, as the CLI's users expect of a scenario file; the path
/// with it is the one the page may then save to.
#[tauri::command]
pub async fn pick_save<R: Runtime>(
    app: AppHandle<R>,
    suggested: String,
    chosen: State<'_, Chosen>,
) -> Result<Option<PathBuf>, IpcError> {
    let picked = pick(
        &app,
        &chosen,
        Pick {
            title: "Save scenario",
            filter: ("Scenario (TOML)", &["toml"]),
            save_as: Some(&suggested),
        },
    );
    Ok(picked.map(|path| {
        let path = with_toml_extension(path);
        chosen.add(&path);
        path
    }))
}

/// `plan` becomes `plan.toml`; `plan.toml` and `plan.v2` stay as they are.
pub fn with_toml_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension("toml")
    }
}

/// Closes the window once the page has settled every unsaved tab (saved or discarded); the
/// page calls it after answering [`CLOSE_REQUESTED`]. Destroying skips the close request,
/// which would only ask the page again.
#[tauri::command]
pub fn close_window<R: Runtime>(window: tauri::WebviewWindow<R>) -> Result<(), IpcError> {
    window
        .destroy()
        .map_err(|e| IpcError::new(ladderwise_app::ErrorKind::Internal.code(), e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::CloseGuard;
    use std::time::{Duration, Instant};

    #[test]
    fn a_page_that_cannot_answer_does_not_keep_the_window_open() {
        let t0 = Instant::now();
        let later = |s: u64| t0 + Duration::from_millis(s);
        // A page that failed to load never started: the window closes at once.
        let guard = CloseGuard::default();
        assert!(!guard.ask(t0));

        // A started page is asked, and asked again while it has had no time to answer.
        let guard = CloseGuard::default();
        guard.started();
        assert!(guard.ask(t0));
        assert!(guard.ask(later(500)));
        // It never said it heard (hung, or its script broke): the next request closes.
        assert!(!guard.ask(t0 + CloseGuard::GRACE));

        // A page that heard (it is asking Save / Discard / Cancel) is asked every time,
        // however long the user takes.
        let guard = CloseGuard::default();
        guard.started();
        assert!(guard.ask(t0));
        guard.heard();
        assert!(guard.ask(later(60_000)));
        guard.heard();
        assert!(guard.ask(later(120_000)));
        // Each request starts its own grace: unheard, the one after it closes.
        assert!(!guard.ask(later(120_000) + CloseGuard::GRACE));
    }
}
