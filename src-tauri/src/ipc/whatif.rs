//! What crosses the bridge for the what-if tools: the waterfall of two scenarios, the
//! tornado of one, and a solve for a budget. Money is sent as decimal strings, computed in
//! Rust; the charts are the SVG the CLI's `chart waterfall` and `chart tornado` draw.

use ladderwise_app::export::machine;
use ladderwise_app::views;
use ladderwise_app::whatif::{Comparison, SensitivityReport, SolveReport};
use ladderwise_model::units::Usd;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use ts_rs::TS;

/// The waterfall of a comparison: A's total, one bar per driver that differs, B's total.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct WaterfallView {
    pub svg: String,
    /// Every bar (the chart folds the smallest when they do not fit), in the chart's order;
    /// none when `not_attributed` says why.
    pub bars: Vec<WaterfallBar>,
    /// Why there are no bars: a side has unpriced lines, whose cost every bar would miss.
    pub not_attributed: Option<String>,
    /// How the bars were computed (exact Shapley values, or sampled orders).
    pub method: String,
    pub total_a: String,
    pub total_b: String,
    pub difference_usd: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct WaterfallBar {
    pub label: String,
    pub usd: String,
}

pub fn waterfall(c: &Comparison, svg: String) -> WaterfallView {
    let not_attributed = c.not_attributed();
    WaterfallView {
        svg,
        bars: c
            .waterfall
            .bars
            .iter()
            .filter(|_| not_attributed.is_none())
            .map(|b| WaterfallBar {
                label: b.driver.label.clone(),
                usd: machine(b.usd),
            })
            .chain(
                (not_attributed.is_none() && !c.waterfall.residual.is_zero()).then(|| {
                    WaterfallBar {
                        label: "not attributed to a field".into(),
                        usd: machine(c.waterfall.residual),
                    }
                }),
            )
            .collect(),
        not_attributed,
        method: c.waterfall.method.describe(),
        total_a: machine(c.a.total.0),
        total_b: machine(c.b.total.0),
        difference_usd: machine(c.difference().0),
    }
}

/// One scenario whose sensitivity is asked for; `swing` is a fraction (`0.2`), the engine's
/// default when left out.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct TornadoRequest {
    pub label: String,
    pub text: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub swing: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct TornadoView {
    pub svg: String,
    pub base_usd: String,
    /// The swing each input was moved by, as a fraction.
    pub swing: String,
    /// The inputs that move the total or an unpriced line, largest priced swing first.
    pub rows: Vec<TornadoRow>,
    /// Inputs left alone (at 0, or not movable), grouped under why.
    pub not_varied: Vec<NotVariedGroup>,
    /// How many inputs were left alone, over every group.
    pub not_varied_count: u32,
}

/// Inputs left alone for one reason.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct NotVariedGroup {
    pub reason: String,
    /// The inputs' labels, in the field table's order.
    pub labels: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct TornadoRow {
    pub path: String,
    pub label: String,
    pub low_value: String,
    pub high_value: String,
    pub low_usd: String,
    pub high_usd: String,
    /// The swing over the priced lines.
    pub swing_usd: String,
    /// False when the input also moves lines with no price: the swing is then only the
    /// priced lines' part.
    pub complete: bool,
    /// The swing as the CLI's tornado shows it: `$120.00 + unpriced` when not complete.
    pub swing_shown: String,
}

pub fn tornado(r: &SensitivityReport, svg: String) -> TornadoView {
    let s = &r.sensitivity;
    TornadoView {
        svg,
        base_usd: machine(s.base_total.0),
        swing: machine(s.swing),
        rows: s
            .bars
            .iter()
            .filter(|b| !b.swing.0.is_zero() || !b.complete)
            .map(|b| TornadoRow {
                path: b.path.clone(),
                label: b.label.clone(),
                low_value: views::value_text(b.low, b.unit),
                high_value: views::value_text(b.high, b.unit),
                low_usd: machine(b.low_total.0),
                high_usd: machine(b.high_total.0),
                swing_usd: machine(b.swing.0),
                complete: b.complete,
                swing_shown: b.swing_text(),
            })
            .collect(),
        not_varied: s
            .not_varied_by_reason()
            .into_iter()
            .map(|(reason, inputs)| NotVariedGroup {
                reason: reason.to_string(),
                labels: inputs.iter().map(|n| n.label.clone()).collect(),
            })
            .collect(),
        not_varied_count: u32::try_from(s.not_varied.len()).unwrap_or(u32::MAX),
    }
}

/// "What value of `field` keeps the total of this scenario at or under `max_total`?"
/// `field` is a path of the field table with rungs numbered (`ladder.rungs[2].video_kbps`);
/// `max_total` is dollars as typed (`50000`, `$50,000`).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub struct SolveRequest {
    pub label: String,
    pub text: String,
    pub field: String,
    pub max_total: String,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct SolveView {
    pub field: String,
    pub max_total_usd: String,
    /// The range searched and its precision, in words.
    pub range: String,
    /// The scenario's own value and total.
    pub current_value: String,
    pub current_usd: String,
    /// How the total moves with the field, in words.
    pub shape: String,
    /// What was found, in words: the values that meet the budget, or why none does.
    pub outcome: Vec<String>,
    /// No value of the range meets the budget.
    pub nowhere: bool,
    /// The value nearest the scenario's own that meets the budget, to write into the
    /// scenario; `null` when it already meets it or nothing does.
    pub suggested: Option<SolvedValue>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct SolvedValue {
    /// As TOML text, to the field's precision.
    pub value: String,
    pub total_usd: String,
}

pub fn solve(r: &SolveReport) -> SolveView {
    let f = &r.solution;
    let s = &f.solution;
    SolveView {
        field: f.field.clone(),
        max_total_usd: machine(r.max_total.0),
        range: format!(
            "from {} to {} ({} decimal place(s))",
            r.value_text(s.range.low),
            r.value_text(s.range.high),
            s.range.decimals
        ),
        current_value: machine(f.current.value),
        current_usd: machine(f.current.cost),
        shape: r.shape_text(),
        outcome: r.outcome_lines(),
        nowhere: s.nowhere(),
        suggested: r.suggested().map(|p| SolvedValue {
            // TOML text: plain digits, no thousands separators.
            value: p.value.round_dp(s.range.decimals).normalize().to_string(),
            total_usd: machine(p.cost),
        }),
    }
}

/// Dollars as a person types them: `50000`, `$50,000`, ` 49 999.50 `.
pub fn dollars(text: &str) -> Option<Usd> {
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, '$' | ',' | ' ' | '\u{a0}'))
        .collect();
    let d: Decimal = plain.parse().ok()?;
    (d >= Decimal::ZERO).then_some(Usd(d))
}
