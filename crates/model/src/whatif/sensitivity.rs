//! Which input moves the total most: every numeric driver of a scenario (the fields a sweep
//! may vary, and each rung's bitrates) is moved alone to a low and a high value, the others
//! held, and the scenario priced at both. The bars of a tornado chart, largest swing first.
//!
//! A driver is moved by ±`swing` of its value, clamped to what its field's rule allows, or
//! over a range of its own: [`OwnRange`] lets a caller (a forecast's ranges, say) give any
//! driver its low and high values.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::engine::{LineKey, estimate, priced_and_unpriced};
use crate::pricebook::PriceBook;
use crate::scenario::Scenario;
use crate::scenario::fields::{self, Unit};
use crate::scenario::path::{FieldPath, Item, PathError};
use crate::sweep::{SweepError, with_path};
use crate::units::{Usd, format_quantity};

/// ±20 %, unless told otherwise.
pub const DEFAULT_SWING: Decimal = Decimal::from_parts(2, 0, 0, false, 1);

/// A driver's own low and high values, instead of ±swing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OwnRange {
    /// A field path, as sweeps take them (`ladder.rungs.720p.video_kbps` or
    /// `ladder.rungs[1].video_kbps`).
    pub path: String,
    pub low: Decimal,
    pub high: Decimal,
}

/// One driver moved to its low and high values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SensitivityBar {
    /// The field path; rungs by name (`ladder.rungs.720p.video_kbps`).
    pub path: String,
    pub label: String,
    pub unit: Unit,
    /// The scenario's value, and the low and high values it was moved to.
    pub base: Decimal,
    pub low: Decimal,
    pub high: Decimal,
    pub low_total: Usd,
    pub high_total: Usd,
    /// `|high_total − low_total|` over the priced lines: what the tornado sorts by.
    pub swing: Usd,
    /// Whether `swing` is the whole swing: false when moving the input also moves a line the
    /// snapshot has no price for, whose share of the swing is unknown.
    pub complete: bool,
    /// Where ±swing went past the field's rule, what the value was clamped to.
    pub clamped: Vec<String>,
    /// The range was the driver's own, not ±swing.
    pub own_range: bool,
}

/// A numeric driver that was not moved, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotVaried {
    pub path: String,
    pub label: String,
    pub reason: String,
}

/// Every driver moved alone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    pub base_total: Usd,
    /// The scenario's estimate has every line priced; totals leave unpriced lines out.
    pub complete: bool,
    /// The fraction each driver was moved by (0.2 for ±20 %).
    pub swing: Decimal,
    /// Largest swing first; equal swings in the field table's order.
    pub bars: Vec<SensitivityBar>,
    pub not_varied: Vec<NotVaried>,
}

impl SensitivityBar {
    /// The swing as people read it: `$1,234.00`, or `$0.00 + unpriced` when the input also
    /// moves lines with no price.
    pub fn swing_text(&self) -> String {
        self.swing.plus_unpriced(!self.complete)
    }
}

impl Sensitivity {
    /// The inputs not varied, grouped under their reason in the order the reasons first
    /// appear: twenty inputs at 0 are one sentence, not twenty.
    pub fn not_varied_by_reason(&self) -> Vec<(&str, Vec<&NotVaried>)> {
        let mut groups: Vec<(&str, Vec<&NotVaried>)> = Vec::new();
        for n in &self.not_varied {
            match groups.iter_mut().find(|(r, _)| *r == n.reason) {
                Some((_, inputs)) => inputs.push(n),
                None => groups.push((&n.reason, vec![n])),
            }
        }
        groups
    }
}

/// One numeric driver of a scenario: a field a sweep may vary, for each rung where it is a
/// rung's.
struct Candidate {
    /// Rungs by position, as accessors take them.
    path: FieldPath,
    /// Rungs by name, as people read them (`ladder.rungs.720p.video_kbps`).
    shown: String,
    label: String,
}

fn candidates(s: &Scenario) -> Vec<Candidate> {
    let mut out = Vec::new();
    for field in fields::FIELDS
        .iter()
        .filter(|f| f.sweep && f.access.is_some())
    {
        if field.path.contains('<') {
            continue;
        }
        if let Some((list, key)) = field.path.split_once("[N].") {
            let names: Vec<String> = match list {
                "ladder.rungs" => s.ladder.rungs.iter().map(|r| r.name.clone()).collect(),
                _ => (1..=s.storage.lifecycle.len())
                    .map(|i| format!("rule {i}"))
                    .collect(),
            };
            for (i, name) in names.into_iter().enumerate() {
                if let Ok(path) = FieldPath::parse(&format!("{list}[{}].{key}", i + 1)) {
                    let shown = if list == "ladder.rungs" {
                        format!("{list}.{name}.{key}")
                    } else {
                        path.to_string()
                    };
                    out.push(Candidate {
                        path,
                        shown,
                        label: format!("{name} {}", field.label.to_lowercase()),
                    });
                }
            }
        } else if let Ok(path) = FieldPath::parse(field.path) {
            out.push(Candidate {
                shown: path.to_string(),
                path,
                label: field.label.to_string(),
            });
        }
    }
    out
}

/// A path with a rung named by position, so that `ladder.rungs.720p.video_kbps` and
/// `ladder.rungs[1].video_kbps` are the same driver.
fn by_position(s: &Scenario, path: &FieldPath) -> Result<String, SweepError> {
    match &path.item {
        Some(Item::Name(_)) => {
            let names: Vec<&str> = s.ladder.rungs.iter().map(|r| r.name.as_str()).collect();
            let at = path.position(&names, names.len())?;
            Ok(FieldPath {
                field: path.field,
                item: at.map(Item::Position),
            }
            .to_string())
        }
        _ => Ok(path.to_string()),
    }
}

/// Moves every numeric driver of `s` alone by ±`swing` (a fraction, `0 < swing < 1`), or over
/// its range in `own`, and prices the scenario at both ends.
pub fn sensitivity(
    s: &Scenario,
    book: &PriceBook,
    swing: Decimal,
    own: &[OwnRange],
) -> Result<Sensitivity, SweepError> {
    let base_estimate = estimate(s, book);
    let base_unpriced: Vec<(LineKey, Decimal)> = base_estimate
        .unpriced()
        .map(|l| (l.key(), l.quantity))
        .collect();
    let mut owned = Vec::with_capacity(own.len());
    for r in own {
        let path = FieldPath::parse(&r.path)?;
        // Both ends are checked by the field's rule, as a sweep checks its values.
        with_path(s, &path, r.low)?;
        with_path(s, &path, r.high)?;
        owned.push((by_position(s, &path)?, r.low.min(r.high), r.low.max(r.high)));
    }
    let mut used = vec![false; owned.len()];
    let mut bars = Vec::new();
    let mut not_varied = Vec::new();
    for c in candidates(s) {
        let key = c.path.to_string();
        let shown = c.shown.clone();
        let Some(rule) = c.path.field.rule() else {
            continue;
        };
        if !c.path.is_number() {
            continue;
        }
        // A count the file leaves out moves from the value the engine derives for it.
        let base = crate::sweep::value_in_effect(s, &c.path)?;
        let own_range = owned.iter().position(|(p, _, _)| *p == key);
        let mut clamped = Vec::new();
        let (low, high) = match own_range {
            Some(i) => {
                used[i] = true;
                (owned[i].1, owned[i].2)
            }
            None => {
                if base.is_zero() {
                    // A sweep from 0 prices it only where the scenario takes another value
                    // (a rung's own audio does not, beside a separate audio rendition).
                    let probe = Decimal::ONE
                        .max(rule.min)
                        .max(rule.floor.unwrap_or_default())
                        .min(rule.max);
                    let sweep = match with_path(s, &c.path, probe) {
                        Ok(_) => " (a sweep from 0 prices it)".to_string(),
                        // The field is named where the reason is listed: its words alone.
                        Err(SweepError::Path(PathError::Conflict { message, .. })) => {
                            format!("; no other value is taken here: {message}")
                        }
                        Err(e) => format!(
                            "; no other value is taken here: {}",
                            e.to_string().lines().next().unwrap_or_default()
                        ),
                    };
                    not_varied.push(NotVaried {
                        path: shown,
                        label: c.label,
                        reason: format!(
                            "0 in the scenario, and ±{} % of 0 is still 0{sweep}",
                            format_quantity(swing * Decimal::ONE_HUNDRED, 2)
                        ),
                    });
                    continue;
                }
                let bound_low = rule.floor.unwrap_or(rule.min).max(rule.min);
                let mut low = base * (Decimal::ONE - swing);
                let mut high = base * (Decimal::ONE + swing);
                if rule.integer {
                    low = low.round();
                    high = high.round();
                }
                if low < bound_low || (rule.min_exclusive && low <= rule.min) {
                    low = bound_low;
                    clamped.push(format!(
                        "low clamped to {}, the least the field allows",
                        format_quantity(low, 6)
                    ));
                }
                if high > rule.max {
                    high = rule.max;
                    clamped.push(format!(
                        "high clamped to {}, the most the field allows",
                        format_quantity(high, 6)
                    ));
                }
                (low, high)
            }
        };
        if low == base && high == base {
            not_varied.push(NotVaried {
                path: shown,
                label: c.label,
                reason: format!(
                    "±{} % leaves it at {} (whole numbers only)",
                    format_quantity(swing * Decimal::ONE_HUNDRED, 2),
                    format_quantity(base, 6)
                ),
            });
            continue;
        }
        // The total over the priced lines, and what the unpriced lines measure: when those
        // differ between the ends, part of the swing has no price.
        let at = |v: Decimal| -> Result<(Usd, Vec<(LineKey, Decimal)>), SweepError> {
            if v == base {
                return Ok((base_estimate.total, base_unpriced.clone()));
            }
            Ok(priced_and_unpriced(&with_path(s, &c.path, v)?, book))
        };
        let ((low_total, low_unpriced), (high_total, high_unpriced)) = (at(low)?, at(high)?);
        bars.push(SensitivityBar {
            path: shown,
            label: c.label,
            unit: c.path.field.unit,
            base,
            low,
            high,
            low_total,
            high_total,
            swing: Usd((high_total.0 - low_total.0).abs()),
            complete: low_unpriced == high_unpriced,
            clamped,
            own_range: own_range.is_some(),
        });
    }
    // Stable: equal swings keep the field table's order.
    bars.sort_by_key(|b| std::cmp::Reverse(b.swing));
    // Every own range must name a driver.
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(SweepError::NotVaried(
            owned[i].0.clone(),
            "the fields a sweep may vary, each rung's bitrates included".into(),
        ));
    }
    Ok(Sensitivity {
        base_total: base_estimate.total,
        complete: base_estimate.complete,
        swing,
        bars,
        not_varied,
    })
}
