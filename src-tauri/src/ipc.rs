//! What crosses the bridge between the Rust side and the web UI. These types exist only for
//! the desktop app; the engine and the use cases know nothing of them.
//!
//! The UI's TypeScript types are generated from these (`ui/src/bindings/`, see
//! `bindings::tests`), so the two sides cannot drift apart. Everything the screens show is
//! computed here or in the engine: the UI formats numbers and draws, nothing more.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::str::FromStr;

use ladderwise_app::editor::{Change, Comparison, Draft};
use ladderwise_app::export::import::ImportJson;
use ladderwise_app::export::json::EstimateJson;
use ladderwise_app::export::{self, machine};
use ladderwise_app::views::ChartKind;
use ladderwise_app::{AppError, ErrorKind, editor};
use ladderwise_model::scenario::fields::{self, DefaultValue, Field, Kind};
use ladderwise_model::scenario::{ComprehendApi, Diagnostic, shares_sum_to_one};
use ladderwise_model::{Estimate, PriceBook, Scenario, ScenarioErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg(test)]
use ts_rs::TS;

pub mod forecast;
pub mod usage;
pub mod whatif;

/// An error as the UI receives it: a stable code to branch on (the error's kind, the same
/// kind that gives the CLI its exit code), the message to show (with its `hint:` line), and
/// for a scenario error the fields it concerns.
#[derive(Clone, Debug, Serialize, thiserror::Error)]
#[cfg_attr(test, derive(TS))]
#[error("{message}")]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "Diagnostic"))]
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

// ----- evaluating ---------------------------------------------------------------------------

/// What the UI asks to have priced: the document's text, the chart on screen, the total its
/// changes are measured against, and what it already holds, so that unchanged parts need not
/// cross again.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct EvaluateRequest {
    /// Names the document in error messages.
    pub label: String,
    pub text: String,
    /// The chart to draw with the numbers (`ladder`, …); `null` for none.
    pub chart: Option<String>,
    /// The total (`total_usd`) when the document was opened, created or last saved.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub baseline: Option<String>,
    #[serde(default)]
    pub known: Known,
}

/// A change to the text, then the same as [`EvaluateRequest`] for the changed text.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct ChangeRequest {
    pub change: Change,
    #[serde(flatten)]
    pub evaluate: EvaluateRequest,
}

/// Hashes of the parts the UI holds for the document (as an [`Evaluation`] gave them).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct Known {
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub tree: Option<String>,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub estimate: Option<String>,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub chart: Option<String>,
}

/// The editor's view of one scenario text: its values, its problems, and when it is valid,
/// the priced month and the chart asked for. A part whose hash matches what the UI said it
/// holds (`Known`) comes back as `null` with its hash: "the same as before".
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Evaluation {
    pub text: String,
    /// The file's values as a tree, for the fields; `null` when the text is not TOML, or
    /// when it equals the tree the UI holds (then `tree_hash` is that tree's).
    #[cfg_attr(test, ts(type = "unknown"))]
    pub tree: Option<Value>,
    /// `null` when the text is not TOML.
    pub tree_hash: Option<String>,
    pub diagnostics: Vec<IpcDiagnostic>,
    /// The rungs' and the geographies' share sums, read from the text as it is (valid or
    /// not), so the form can show them while the scenario is being fixed.
    pub shares: Shares,
    /// The estimate in the JSON contract of `ladderwise estimate --format json`; `null` when
    /// the scenario is invalid, or when it equals the one the UI holds.
    pub estimate: Option<EstimateJson>,
    /// `null` when the scenario is invalid.
    pub estimate_hash: Option<String>,
    /// What the results screen shows beside the estimate; `null` when the scenario is
    /// invalid.
    pub totals: Option<Totals>,
    /// The chart asked for, drawn from this text (none when none was asked for, or the text
    /// is invalid).
    pub chart: Option<ChartSvg>,
    /// Time spent in Rust pricing and drawing, milliseconds.
    pub compute_ms: f64,
}

/// Sums computed from the estimate for the results screen.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Totals {
    /// Each service with a line, in bill order.
    pub services: Vec<ServiceTotal>,
    /// The total's change since the baseline the UI gave; `null` without a baseline, or
    /// when the total is the same.
    pub change: Option<TotalChange>,
    /// What a later edit's change is measured from, for the UI to keep as its baseline: the
    /// total when every line is priced; `null` otherwise, since a change from a total that
    /// leaves lines out would read as a saving or a cost that no price says.
    pub baseline_usd: Option<String>,
    /// The unit costs as the CLI prints them: `≥$0.08` when some line is unpriced, `n/a`
    /// where there is nothing to divide by.
    pub unit_costs_shown: UnitCostsShown,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct UnitCostsShown {
    pub per_viewer_hour: String,
    pub per_title: String,
    pub per_delivered_gb: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ServiceTotal {
    pub service: String,
    /// The sum of the service's priced lines.
    pub subtotal_usd: String,
    /// Some line of the service is unpriced: the subtotal is a lower bound.
    pub unpriced: bool,
    /// The subtotal as every table shows it: `≥$1,174.00` when some line is unpriced,
    /// `unpriced` when none is priced.
    pub subtotal_shown: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct TotalChange {
    pub baseline_usd: String,
    /// Total minus baseline; `null` when the total leaves unpriced lines out (the change is
    /// then unknown, not the difference of a lower bound and the baseline).
    pub difference_usd: Option<String>,
    /// The difference as a fraction of the baseline; `null` when the baseline is 0 or the
    /// difference unknown.
    pub relative: Option<String>,
}

/// The share sums of the form.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Shares {
    /// The rungs' watch shares; `null` when the file has no rungs.
    pub rungs: Option<ShareSum>,
    /// The geographies' shares; `null` when the file has no `audience.geo`.
    pub geographies: Option<ShareSum>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ShareSum {
    /// The sum of the shares that are numbers.
    pub sum: String,
    /// Whether it is 1 within the engine's tolerance.
    pub ok: bool,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ChartSvg {
    pub kind: &'static str,
    /// `null` when the chart could not be drawn, or when it is the one the UI holds.
    pub svg: Option<String>,
    pub hash: Option<String>,
    pub error: Option<String>,
}

/// A chart the UI can ask for.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ChartChoice {
    pub kind: &'static str,
    pub title: &'static str,
    /// Drawn with every edit; `false`: the chart prices a sweep, so an edit brings the
    /// numbers first and the chart follows in a second call.
    pub with_edit: bool,
}

pub fn chart_title(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Ladder => "Ladder",
        ChartKind::CacheHitRate => "Cost vs cache hit rate",
        ChartKind::TranscodeChoice => "Transcode choice",
        ChartKind::DeliveryChoice => "Delivery choice",
        ChartKind::Breakdown => "Breakdown",
        ChartKind::Forecast => "Forecast",
    }
}

pub fn chart_choices() -> Vec<ChartChoice> {
    ChartKind::ALL
        .into_iter()
        .map(|k| ChartChoice {
            kind: k.name(),
            title: chart_title(k),
            with_edit: !k.is_sweep(),
        })
        .collect()
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

/// A short fingerprint of a part, for "the same as before". It only has to tell parts apart
/// within one run of the app.
fn fingerprint(value: &impl Hash) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    format!("{:016x}", h.finish())
}

/// A part and its hash; the part is left out when the UI already holds it.
fn unless_known<T>(value: T, hash: String, known: Option<&str>) -> (Option<T>, Option<String>) {
    let same = known == Some(hash.as_str());
    ((!same).then_some(value), Some(hash))
}

pub fn evaluation(
    request: &EvaluateRequest,
    text: String,
    book: &PriceBook,
    chart: Option<ChartKind>,
) -> Evaluation {
    let started = std::time::Instant::now();
    let known = &request.known;
    let tree = editor::document_tree(&text);
    let shares = share_sums(tree.as_ref());
    let (tree, tree_hash) = match tree {
        Some(t) => {
            let hash = fingerprint(&t.to_string());
            unless_known(t, hash, known.tree.as_deref())
        }
        None => (None, None),
    };
    let mut out = Evaluation {
        text: String::new(),
        tree,
        tree_hash,
        diagnostics: Vec::new(),
        shares,
        estimate: None,
        estimate_hash: None,
        totals: None,
        chart: None,
        compute_ms: 0.0,
    };
    match editor::evaluate(&request.label, &text, book) {
        Ok((scenario, estimate)) => {
            out.chart = chart.map(|kind| {
                let svg = editor::chart_svg(kind, &scenario, &estimate, book);
                match svg {
                    Ok(svg) => {
                        let hash = fingerprint(&svg);
                        let (svg, hash) = unless_known(svg, hash, known.chart.as_deref());
                        ChartSvg {
                            kind: kind.name(),
                            svg,
                            hash,
                            error: None,
                        }
                    }
                    Err(error) => ChartSvg {
                        kind: kind.name(),
                        svg: None,
                        hash: None,
                        error: Some(error),
                    },
                }
            });
            out.totals = Some(totals(&estimate, request.baseline.as_deref()));
            let json = export::estimate_value(&estimate);
            let hash = fingerprint(&json);
            (out.estimate, out.estimate_hash) = unless_known(json, hash, known.estimate.as_deref());
        }
        Err(errors) => out.diagnostics = diagnostics(&errors),
    }
    out.text = text;
    out.compute_ms = started.elapsed().as_secs_f64() * 1000.0;
    out
}

/// Per-service subtotals and the change since `baseline` (a `total_usd` the UI got earlier).
pub fn totals(e: &Estimate, baseline: Option<&str>) -> Totals {
    let services = e
        .services()
        .into_iter()
        .map(|s| ServiceTotal {
            service: s.name().to_string(),
            subtotal_usd: machine(e.service_total(s).0),
            unpriced: e.service_unpriced(s),
            subtotal_shown: e.service_total(s).at_least(e.service_unpriced(s)),
        })
        .collect();
    // The baseline is a `total_usd` as sent, so the total is compared as it is sent too.
    let total = Decimal::from_str(&machine(e.total.0)).unwrap_or(e.total.0);
    let change = baseline
        .and_then(|b| Decimal::from_str(b.trim()).ok())
        .filter(|b| *b != total)
        .map(|before| {
            let difference = e.complete.then(|| total - before);
            TotalChange {
                baseline_usd: machine(before),
                difference_usd: difference.map(machine),
                relative: difference
                    .filter(|_| !before.is_zero())
                    .and_then(|d| d.checked_div(before))
                    .map(machine),
            }
        });
    let u = &e.unit_economics;
    Totals {
        services,
        change,
        baseline_usd: e.complete.then(|| machine(total)),
        unit_costs_shown: UnitCostsShown {
            per_viewer_hour: export::unit_cost(e, u.usd_per_viewer_hour),
            per_title: export::unit_cost(e, u.usd_per_title),
            per_delivered_gb: export::unit_cost(e, u.usd_per_delivered_gb),
        },
    }
}

/// The share sums of a document tree, whatever else is wrong with it. Shares that are not
/// numbers are left out of the sum; the engine names them.
pub fn share_sums(tree: Option<&Value>) -> Shares {
    let sum = |values: Vec<&Value>| {
        let total: Decimal = values.into_iter().filter_map(decimal).sum();
        ShareSum {
            sum: machine(total),
            ok: shares_sum_to_one(total),
        }
    };
    let rungs = tree
        .and_then(|t| t.pointer("/ladder/rungs"))
        .and_then(Value::as_array)
        .filter(|r| !r.is_empty())
        .map(|r| sum(r.iter().filter_map(|r| r.get("watch_share")).collect()));
    let geographies = tree
        .and_then(|t| t.pointer("/audience/geo"))
        .and_then(Value::as_object)
        .map(|g| sum(g.values().collect()));
    Shares { rungs, geographies }
}

/// A number of the tree as the decimal it was written as (TOML's `0.4` is 0.4, not the
/// nearest binary fraction).
fn decimal(v: &Value) -> Option<Decimal> {
    let n = v.as_number()?;
    let text = n.to_string();
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .ok()
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Opened {
    #[cfg_attr(test, ts(type = "string"))]
    pub path: PathBuf,
    pub text: String,
}

/// A ladder imported into a document's text: the new text (the ladder replaced, everything
/// else as it was) and the ladder as read, with what was assumed and left out. The UI keeps
/// the text it sent, so that the import can be undone.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct LadderImported {
    pub text: String,
    /// In the JSON contract of `ladderwise import --format json`.
    pub ladder: ImportJson,
    /// What was assumed, left out or noted, one line each, as the CLI prints them.
    pub messages: Vec<String>,
}

// ----- startup ------------------------------------------------------------------------------

/// What the UI needs to draw its first screen.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Startup {
    /// The shipped default scenario, for a new document.
    pub default_text: String,
    pub default_label: &'static str,
    #[cfg_attr(test, ts(type = "Array<string>"))]
    pub recent: Vec<PathBuf>,
    /// Unsaved edits from a run that did not close cleanly.
    pub drafts: Vec<Draft>,
    pub pricing: Pricing,
    pub ladders: Vec<LadderChoice>,
    /// Every chart the UI can ask for, in order.
    pub charts: Vec<ChartChoice>,
    /// The scenario's fields, from which the form is built.
    pub fields: FieldTable,
    /// Endpoints other than AWS's, as the SDK's own environment variables name them
    /// (`AWS_ENDPOINT_URL_CLOUDWATCH`, `AWS_ENDPOINT_URL_PRICING`, or `AWS_ENDPOINT_URL`
    /// for both): the pull dialogs start with them.
    pub endpoints: Endpoints,
}

#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Endpoints {
    pub cloudwatch: Option<String>,
    pub pricing: Option<String>,
}

impl Endpoints {
    pub fn from_env() -> Endpoints {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let all = var("AWS_ENDPOINT_URL");
        Endpoints {
            cloudwatch: var("AWS_ENDPOINT_URL_CLOUDWATCH").or_else(|| all.clone()),
            pricing: var("AWS_ENDPOINT_URL_PRICING").or(all),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct LadderChoice {
    pub name: &'static str,
    pub source: &'static str,
    pub rungs: usize,
}

// ----- the field table ----------------------------------------------------------------------

/// The scenario file's sections and fields, as the model's field table describes them.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct FieldTable {
    /// In file order. A section named `LIST[N]` holds the fields of each item of the list
    /// field `LIST` (`ladder.rungs[N]`).
    pub sections: Vec<FormSection>,
    /// The keys of the table field `audience.geo`, with their names.
    pub geographies: Vec<Choice>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct FormSection {
    pub name: &'static str,
    pub title: &'static str,
    pub required: bool,
    pub fields: Vec<FormField>,
}

/// One field of the table. `path` is the table's: `ladder.rungs[N].video_kbps` stands for
/// every rung's (`ladder.rungs[2].video_kbps`), `audience.geo.<geography>` for every
/// geography's.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct FormField {
    pub path: &'static str,
    pub key: &'static str,
    pub label: &'static str,
    pub kind: FormKind,
    /// The short unit shown beside the field (`kbit/s`); empty for none.
    pub unit: &'static str,
    /// What the field takes when the file leaves it out: TOML text (`value`) or words.
    pub default: Option<FormDefault>,
    pub help: &'static str,
    /// A sweep may vary it.
    pub sweep: bool,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FormKind {
    Number {
        /// The rule in words (`number in [0, 1]`).
        rule: String,
        min: String,
        min_exclusive: bool,
        max: String,
        integer: bool,
        /// A fraction from 0 to 1 that people often think of in percent.
        rate: bool,
    },
    Choice {
        choices: Vec<&'static str>,
    },
    Bool,
    Text,
    /// A table of values; its keys are given beside the fields (`audience.geo`).
    Table,
    /// A list: of the items of the section `PATH[N]`, or of the choices `items`.
    List {
        items: Vec<&'static str>,
    },
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(tag = "type", content = "text", rename_all = "snake_case")]
pub enum FormDefault {
    Value(&'static str),
    Described(&'static str),
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

pub fn field_table() -> FieldTable {
    FieldTable {
        sections: fields::SECTIONS
            .iter()
            .map(|s| FormSection {
                name: s.name,
                title: s.title,
                required: s.required,
                fields: fields::in_section(s.name).map(form_field).collect(),
            })
            // Table items (`audience.geo.<geography>`) are a section of their own; fields
            // of a templated section (`forecast.growth.<driver>.compound`) are in theirs.
            .chain(
                fields::FIELDS
                    .iter()
                    .filter(|f| f.key().contains('<'))
                    .map(|f| FormSection {
                        name: f.section(),
                        title: f.label,
                        required: false,
                        fields: vec![form_field(f)],
                    }),
            )
            .collect(),
        geographies: fields::geographies()
            .into_iter()
            .map(|(value, label)| Choice { value, label })
            .collect(),
    }
}

fn form_field(f: &Field) -> FormField {
    let kind = match &f.kind {
        Kind::Number { rule } => FormKind::Number {
            rule: rule.describe(),
            min: rule.floor.unwrap_or(rule.min).normalize().to_string(),
            min_exclusive: rule.min_exclusive && rule.floor.is_none(),
            max: rule.max.normalize().to_string(),
            integer: rule.integer,
            rate: rule.percent_hint,
        },
        Kind::Choice { choices } => FormKind::Choice {
            choices: choices.to_vec(),
        },
        Kind::Bool => FormKind::Bool,
        Kind::Text => FormKind::Text,
        Kind::Table => FormKind::Table,
        Kind::List => FormKind::List {
            items: list_items(f.path).to_vec(),
        },
    };
    FormField {
        path: f.path,
        key: f.key(),
        label: f.label,
        kind,
        unit: f.unit.short(),
        default: match f.default {
            DefaultValue::Required => None,
            DefaultValue::Value(v) => Some(FormDefault::Value(v)),
            DefaultValue::Described(d) => Some(FormDefault::Described(d)),
        },
        help: f.help,
        sweep: f.sweep,
    }
}

/// The words a list of words may hold. The field table does not describe list items that
/// are not tables, so this names them.
fn list_items(path: &str) -> &'static [&'static str] {
    match path {
        "nlp.apis" => ComprehendApi::NAMES,
        _ => &[],
    }
}

// ----- pricing ------------------------------------------------------------------------------

/// The pricing panel: which snapshot prices everything, and how far each price is trusted.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
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
#[cfg_attr(test, derive(TS))]
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

// ----- compare ------------------------------------------------------------------------------

/// Two documents to compare.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct CompareRequest {
    pub a_label: String,
    pub a_text: String,
    pub b_label: String,
    pub b_text: String,
}

/// Two scenarios side by side.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ComparisonView {
    pub a_label: String,
    pub b_label: String,
    pub rows: Vec<ComparisonRow>,
    pub total_a: String,
    pub total_b: String,
    /// The totals as the CLI's comparison shows them: `$12,213.19 + unpriced` when the side
    /// leaves unpriced lines out.
    pub total_a_shown: String,
    pub total_b_shown: String,
    /// B − A of the totals as shown, to the cent; `None` when a side leaves unpriced lines
    /// out.
    pub total_difference: Option<String>,
    pub complete: bool,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ComparisonRow {
    pub service: String,
    /// Over the priced lines: a lower bound when the side is not complete.
    pub a: String,
    pub b: String,
    pub a_complete: bool,
    pub b_complete: bool,
    /// `a` and `b` as the CLI's comparison shows them: `≥$571.24` when the side leaves
    /// unpriced lines out, `unpriced` when none of its lines is priced.
    pub a_shown: String,
    pub b_shown: String,
    /// B − A as shown, to the cent; `None` when a side leaves unpriced lines out.
    pub difference: Option<String>,
}

pub fn comparison(a_label: &str, b_label: &str, c: &Comparison) -> ComparisonView {
    ComparisonView {
        a_label: a_label.to_string(),
        b_label: b_label.to_string(),
        rows: c
            .services
            .iter()
            .map(|d| ComparisonRow {
                service: d.name.clone(),
                a: machine(d.a.0),
                b: machine(d.b.0),
                a_complete: d.a_complete,
                b_complete: d.b_complete,
                a_shown: d.a.at_least(!d.a_complete),
                b_shown: d.b.at_least(!d.b_complete),
                difference: d.printed_difference().map(|u| machine(u.0)),
            })
            .collect(),
        total_a: machine(c.total_a.0),
        total_b: machine(c.total_b.0),
        total_a_shown: c.total_a.plus_unpriced(!c.a_complete),
        total_b_shown: c.total_b.plus_unpriced(!c.b_complete),
        total_difference: c.printed_difference().map(|u| machine(u.0)),
        complete: c.complete,
    }
}

/// The scenario of a document, or bad input saying it must be fixed first.
pub fn scenario_of(label: &str, text: &str, purpose: &str) -> Result<Scenario, IpcError> {
    Scenario::from_toml(label, text).map_err(|e| invalid(label, e, purpose))
}

fn invalid(label: &str, e: ScenarioErrors, purpose: &str) -> IpcError {
    IpcError {
        code: ErrorKind::BadInput.code(),
        message: format!(
            "{label} has {} problem(s), so it cannot be {purpose}\nhint: fix it in its tab first",
            e.diagnostics.len()
        ),
        diagnostics: diagnostics(&e),
    }
}

/// The estimates of both sides, or the first side's errors.
pub fn both(
    a: Result<Estimate, ScenarioErrors>,
    b: Result<Estimate, ScenarioErrors>,
    a_label: &str,
    b_label: &str,
) -> Result<ComparisonView, IpcError> {
    let a = a.map_err(|e| invalid(a_label, e, "compared"))?;
    let b = b.map_err(|e| invalid(b_label, e, "compared"))?;
    Ok(comparison(a_label, b_label, &editor::compare(&a, &b)))
}
