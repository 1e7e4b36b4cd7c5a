//! What crosses the bridge between the Rust side and the web UI. These types exist only for
//! the desktop app; the engine and the use cases know nothing of them.

use std::path::PathBuf;

use ladderwise_app::editor::{Change, Comparison, Draft};
use ladderwise_app::export::{self, machine};
use ladderwise_app::views::ChartKind;
use ladderwise_app::{AppError, ErrorKind, editor};
use ladderwise_model::scenario::Diagnostic;
use ladderwise_model::{Estimate, PriceBook, ScenarioErrors};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An error as the UI receives it: a stable code to branch on, the message to show (with its
/// `hint:` line), and for a scenario error the fields it concerns.
#[derive(Clone, Debug, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<IpcDiagnostic>,
}

impl IpcError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        IpcError {
            code,
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }
}

impl From<AppError> for IpcError {
    fn from(e: AppError) -> Self {
        let code = e.kind().code();
        let diagnostics = match &e {
            AppError::Scenario(errors) => diagnostics(errors),
            _ => Vec::new(),
        };
        IpcError {
            code,
            message: e.to_string(),
            diagnostics,
        }
    }
}

impl From<editor::ChangeError> for IpcError {
    fn from(e: editor::ChangeError) -> Self {
        IpcError::new(ErrorKind::BadInput.code(), e.to_string())
    }
}

/// One problem in the scenario, pointing at its field (as the editor's inputs are named:
/// `ladder.rungs[2].video_kbps`, rungs counted from 1) and at its line in the file.
#[derive(Clone, Debug, Serialize)]
pub struct IpcDiagnostic {
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
    pub line: usize,
    pub column: usize,
}

impl From<&Diagnostic> for IpcDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        IpcDiagnostic {
            field: d.field.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            line: d.line,
            column: d.column,
        }
    }
}

pub fn diagnostics(errors: &ScenarioErrors) -> Vec<IpcDiagnostic> {
    errors.diagnostics.iter().map(IpcDiagnostic::from).collect()
}

/// The editor's view of one scenario text: its values, its problems, and when it is valid,
/// the priced month and every chart.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    pub text: String,
    /// The file's values as a tree, for the fields; `null` when the text is not TOML.
    pub tree: Option<Value>,
    pub diagnostics: Vec<IpcDiagnostic>,
    /// The estimate in the JSON contract of `ladderwise estimate --format json`.
    pub estimate: Option<Value>,
    /// The chart asked for, drawn from this text (none when none was asked for, or the text
    /// is invalid).
    pub chart: Option<ChartSvg>,
    /// Every chart the UI can ask for, in order.
    pub chart_kinds: Vec<ChartChoice>,
    /// Time spent in Rust pricing and drawing, milliseconds.
    pub compute_ms: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChartChoice {
    pub kind: &'static str,
    pub title: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChartSvg {
    pub kind: &'static str,
    pub svg: Option<String>,
    pub error: Option<String>,
}

pub fn chart_title(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Ladder => "Ladder",
        ChartKind::CacheHitRate => "Cost vs cache hit rate",
        ChartKind::TranscodeChoice => "Transcode choice",
        ChartKind::DeliveryChoice => "Delivery choice",
        ChartKind::Breakdown => "Breakdown",
    }
}

/// The chart named `kind` (`ladder`, `cache-hit-rate`, …), with a hint listing them.
pub fn chart_kind(kind: &str) -> Result<ChartKind, IpcError> {
    kind.parse().map_err(|e: String| {
        IpcError::new(
            ErrorKind::BadInput.code(),
            format!("{e}\nhint: ask for one of those"),
        )
    })
}

/// The chart named, if any: `None` when the UI asks for none (it fetches a sweep chart after
/// the numbers, so they reach the screen first).
pub fn chart_choice(kind: Option<&str>) -> Result<Option<ChartKind>, IpcError> {
    kind.map(chart_kind).transpose()
}

pub fn evaluation(
    label: &str,
    text: String,
    book: &PriceBook,
    chart: Option<ChartKind>,
) -> Evaluation {
    let started = std::time::Instant::now();
    let tree = editor::document_tree(&text);
    let (diagnostics, estimate, chart) = match editor::evaluate(label, &text, book) {
        Ok((scenario, estimate)) => {
            let chart = chart.map(|kind| {
                let svg = editor::chart_svg(kind, &scenario, &estimate, book);
                ChartSvg {
                    kind: kind.name(),
                    error: svg.as_ref().err().cloned(),
                    svg: svg.ok(),
                }
            });
            (Vec::new(), Some(export::estimate_value(&estimate)), chart)
        }
        Err(errors) => (diagnostics(&errors), None, None),
    };
    Evaluation {
        text,
        tree,
        diagnostics,
        estimate,
        chart,
        chart_kinds: ChartKind::ALL
            .into_iter()
            .map(|k| ChartChoice {
                kind: k.name(),
                title: chart_title(k),
            })
            .collect(),
        compute_ms: started.elapsed().as_secs_f64() * 1000.0,
    }
}

/// A change as the UI sends it: `{"kind": "set", "path": "...", "value": "..."}` and so on.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IpcChange {
    Set { path: String, value: String },
    DuplicateRung { rung: usize },
    RemoveRung { rung: usize },
    MoveRung { from: usize, to: usize },
    ReferenceLadder { name: String },
    NormalizeShares,
}

impl From<IpcChange> for Change {
    fn from(c: IpcChange) -> Self {
        match c {
            IpcChange::Set { path, value } => Change::Set { path, value },
            IpcChange::DuplicateRung { rung } => Change::DuplicateRung { rung },
            IpcChange::RemoveRung { rung } => Change::RemoveRung { rung },
            IpcChange::MoveRung { from, to } => Change::MoveRung { from, to },
            IpcChange::ReferenceLadder { name } => Change::ReferenceLadder { name },
            IpcChange::NormalizeShares => Change::NormalizeShares,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Opened {
    pub path: PathBuf,
    pub text: String,
}

/// What the UI needs to draw its first screen.
#[derive(Clone, Debug, Serialize)]
pub struct Startup {
    /// The shipped default scenario, for a new document.
    pub default_text: String,
    pub default_label: &'static str,
    pub recent: Vec<PathBuf>,
    /// Unsaved edits from a run that did not close cleanly.
    pub drafts: Vec<Draft>,
    pub pricing: Pricing,
    pub ladders: Vec<LadderChoice>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LadderChoice {
    pub name: &'static str,
    pub source: &'static str,
    pub rungs: usize,
}

/// The pricing panel: which snapshot prices everything, and how far each price is trusted.
#[derive(Clone, Debug, Serialize)]
pub struct Pricing {
    pub id: String,
    pub created: String,
    pub origin: String,
    pub description: String,
    /// Why the snapshot in use is not the one chosen, when it is not.
    pub fallback: Option<String>,
    pub services: Vec<PricingService>,
    /// The prices no source confirms, each described.
    pub unverified: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PricingService {
    pub service_code: String,
    pub records: usize,
    /// Records per provenance status (`price-list`, `aws-page`, `third-party`, `unverified`).
    pub by_status: Vec<(String, usize)>,
}

pub fn pricing(book: &PriceBook, fallback: Option<String>) -> Pricing {
    let mut services: Vec<PricingService> = Vec::new();
    let mut unverified = Vec::new();
    for r in book.records() {
        let status = r.provenance.status.as_str().to_string();
        // Carried-over prices and unverified volume bands are named like unverified prices.
        if r.provenance.needs_confirmation() {
            unverified.push(format!("{}: {} ({})", r.service_code, r.usage_type, r.unit));
        }
        let entry = match services
            .iter_mut()
            .find(|s| s.service_code == r.service_code)
        {
            Some(e) => e,
            None => {
                services.push(PricingService {
                    service_code: r.service_code.clone(),
                    records: 0,
                    by_status: Vec::new(),
                });
                services.last_mut().expect("just pushed")
            }
        };
        entry.records += 1;
        match entry.by_status.iter_mut().find(|(s, _)| *s == status) {
            Some((_, n)) => *n += 1,
            None => entry.by_status.push((status, 1)),
        }
    }
    Pricing {
        id: book.snapshot.id.clone(),
        created: book.snapshot.created.clone(),
        origin: book.snapshot.origin.clone(),
        description: book.snapshot.description.clone(),
        fallback,
        services,
        unverified,
    }
}

/// Two scenarios side by side.
#[derive(Clone, Debug, Serialize)]
pub struct ComparisonView {
    pub a_label: String,
    pub b_label: String,
    pub rows: Vec<ComparisonRow>,
    pub total_a: String,
    pub total_b: String,
    pub total_difference: String,
    pub complete: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ComparisonRow {
    pub service: &'static str,
    pub a: String,
    pub b: String,
    pub difference: String,
}

pub fn comparison(a_label: &str, b_label: &str, c: &Comparison) -> ComparisonView {
    ComparisonView {
        a_label: a_label.to_string(),
        b_label: b_label.to_string(),
        rows: c
            .services
            .iter()
            .map(|d| ComparisonRow {
                service: d.service.name(),
                a: machine(d.a.0),
                b: machine(d.b.0),
                difference: machine(d.difference().0),
            })
            .collect(),
        total_a: machine(c.total_a.0),
        total_b: machine(c.total_b.0),
        total_difference: machine(c.total_b.0 - c.total_a.0),
        complete: c.complete,
    }
}

/// The estimates of both sides, or the first side's errors.
pub fn both(
    a: Result<Estimate, ScenarioErrors>,
    b: Result<Estimate, ScenarioErrors>,
    a_label: &str,
    b_label: &str,
) -> Result<ComparisonView, IpcError> {
    let invalid = |label: &str, e: ScenarioErrors| IpcError {
        code: ErrorKind::BadInput.code(),
        message: format!(
            "{label} has {} problem(s), so it cannot be compared\nhint: fix it in its tab first",
            e.diagnostics.len()
        ),
        diagnostics: diagnostics(&e),
    };
    let a = a.map_err(|e| invalid(a_label, e))?;
    let b = b.map_err(|e| invalid(b_label, e))?;
    Ok(comparison(a_label, b_label, &editor::compare(&a, &b)))
}
