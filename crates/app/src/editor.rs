//! The desktop editor's use cases: price a scenario's text as it is being typed, change it one
//! field or one rung at a time without losing its comments, compare two scenarios, and keep
//! unsaved edits and recent files on disk.
//!
//! The text of the scenario file is the document: every edit is a change to that text (see
//! `ladderwise_model::scenario::edit`), so what is saved is what the user would have written
//! by hand, comments included.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ladderwise_model::scenario::Codec;
use ladderwise_model::scenario::edit::{self, EditError, RungText};
use ladderwise_model::{Estimate, PriceBook, Scenario, ScenarioErrors, estimate};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::views::{self, ChartKind, REFERENCE_LADDERS};
use crate::{AppError, snapshots, write_atomic};

/// Width and height of the charts drawn for the editor, in SVG user units.
pub const CHART_SIZE: (u32, u32) = (760, 430);

/// The file's values as a plain tree, for the editor's fields. It is read from the text as it
/// is, valid or not, so a field keeps what the user typed even while the scenario is invalid.
/// `None` when the text is not TOML at all.
pub fn document_tree(text: &str) -> Option<Value> {
    let table: toml::Table = toml::from_str(text).ok()?;
    serde_json::to_value(table).ok()
}

/// Reads and prices the scenario text; `label` names it in error messages.
pub fn evaluate(
    label: &str,
    text: &str,
    book: &PriceBook,
) -> Result<(Scenario, Estimate), ScenarioErrors> {
    let scenario = Scenario::from_toml(label, text)?;
    let estimate = estimate(&scenario, book);
    Ok((scenario, estimate))
}

/// One chart of the scenario as SVG text. The choice and hit-rate charts price the scenario
/// hundreds of times over, so the editor draws only the chart on screen.
pub fn chart_svg(
    kind: ChartKind,
    scenario: &Scenario,
    estimate: &Estimate,
    book: &PriceBook,
) -> Result<String, String> {
    // The two charts of the estimate itself reuse it rather than pricing again.
    let chart = match kind {
        ChartKind::Ladder => Ok(views::ladder(scenario, estimate)),
        ChartKind::Breakdown => Ok(views::breakdown(estimate)),
        _ => views::chart(kind, scenario, book).map_err(|e| e.to_string()),
    };
    chart.and_then(|c| ladderwise_charts::render_svg(&c, CHART_SIZE).map_err(|e| e.to_string()))
}

/// One change the editor makes to a scenario's text; the app sends it as
/// `{"kind": "set", "path": "...", "value": "..."}` and so on.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Set a field (`delivery.cache_hit_rate`, `ladder.rungs[1].video_kbps`) to TOML text.
    Set {
        path: String,
        value: String,
    },
    /// A copy of a rung, with no watch share, right after it. Rungs count from 1, as the
    /// scenario's diagnostics and field paths count them.
    DuplicateRung {
        rung: usize,
    },
    RemoveRung {
        rung: usize,
    },
    /// Moves the rung at position `from` to position `to` (both from 1).
    MoveRung {
        from: usize,
        to: usize,
    },
    /// Replace the rungs with a shipped reference ladder (see [`REFERENCE_LADDERS`]).
    ReferenceLadder {
        name: String,
    },
    /// Scale the rungs' watch shares so they sum to one.
    NormalizeShares,
}

/// Why a change could not be made; the text is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("{0}")]
    Edit(#[from] EditError),
    #[error(
        "no reference ladder named `{0}`\nhint: the shipped ladders are: {names}",
        names = REFERENCE_LADDERS.iter().map(|l| l.name).collect::<Vec<_>>().join(", ")
    )]
    UnknownLadder(String),
    #[error(
        "the watch shares cannot be scaled: {0}\nhint: give every rung a number for watch_share, and at least one above 0"
    )]
    Shares(String),
}

/// Applies one change to the text.
pub fn apply(text: &str, change: &Change) -> Result<String, ChangeError> {
    let existing = |i: usize| RungText::Existing(i);
    Ok(match change {
        // Setting a field, the change of every keystroke, reads no rung tables, so it also
        // works on a file whose rungs are written inline.
        Change::Set { path, value } => edit::set(text, path, value)?,
        Change::DuplicateRung { rung } => {
            let blocks = rung_tables(text, &[*rung])?;
            let index = rung - 1;
            let count = blocks.len();
            // The copy is the rung's own text with share 0, so the ladder stays valid, and a
            // name of its own, since rung names are unique.
            let copy = &text[blocks[index].clone()];
            let copy = edit::set(copy, "ladder.rungs[1].watch_share", "0")?;
            let names: Vec<String> = document_tree(text)
                .and_then(|t| t["ladder"]["rungs"].as_array().cloned())
                .unwrap_or_default()
                .iter()
                .filter_map(|r| r["name"].as_str().map(str::to_string))
                .collect();
            let base = names.get(index).cloned().unwrap_or_else(|| "rung".into());
            let name = (1..)
                .map(|n| {
                    if n == 1 {
                        format!("{base} copy")
                    } else {
                        format!("{base} copy {n}")
                    }
                })
                .find(|n| !names.contains(n))
                .unwrap_or(base);
            let copy = edit::set(&copy, "ladder.rungs[1].name", &edit::toml_string(&name))?;
            let mut order: Vec<RungText> = (0..count).map(existing).collect();
            order.insert(index + 1, RungText::New(copy));
            edit::arrange_rungs(text, &order)?
        }
        Change::RemoveRung { rung } => {
            let count = rung_tables(text, &[*rung])?.len();
            let order: Vec<RungText> = (0..count)
                .filter(|i| i + 1 != *rung)
                .map(existing)
                .collect();
            edit::arrange_rungs(text, &order)?
        }
        Change::MoveRung { from, to } => {
            let count = rung_tables(text, &[*from, *to])?.len();
            let mut order: Vec<usize> = (0..count).collect();
            let moved = order.remove(from - 1);
            order.insert(to - 1, moved);
            edit::arrange_rungs(text, &order.into_iter().map(existing).collect::<Vec<_>>())?
        }
        Change::ReferenceLadder { name } => reference_ladder(text, name)?,
        Change::NormalizeShares => normalize_shares(text)?,
    })
}

/// Where the rung tables are, once every rung the UI names (counted from 1) is known to be
/// one of them.
fn rung_tables(text: &str, rungs: &[usize]) -> Result<Vec<Range<usize>>, EditError> {
    let blocks = edit::rung_blocks(text)?;
    let count = blocks.len();
    match rungs.iter().find(|&&rung| rung == 0 || rung > count) {
        Some(&rung) => Err(EditError::NoRung { rung, count }),
        None => Ok(blocks),
    }
}

fn reference_ladder(text: &str, name: &str) -> Result<String, ChangeError> {
    let reference = REFERENCE_LADDERS
        .iter()
        .find(|l| l.name == name)
        .ok_or_else(|| ChangeError::UnknownLadder(name.to_string()))?;
    let rows = reference.rows();
    // Watch shares are not part of any reference: split them evenly, in four decimals, with
    // the rounding remainder on the top rung, and let the user set the real ones.
    let n = Decimal::from(rows.len().max(1));
    let even = (Decimal::ONE / n).round_dp(4);
    let top = Decimal::ONE - even * (n - Decimal::ONE);
    // Where the reference says "the source's frame rate", keep the rate the ladder has now.
    let current_fps = document_tree(text)
        .and_then(|t| t["ladder"]["rungs"][0]["fps"].as_f64())
        .and_then(|f| Decimal::try_from(f).ok())
        .unwrap_or(Decimal::from(30));
    let tables: Vec<RungText> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let share = if i + 1 == rows.len() { top } else { even };
            RungText::New(edit::rung_table(&[
                // Short names read better in the table and on the chart than the sources'
                // preset names; height and bitrate tell the rows of every shipped ladder apart.
                (
                    "name",
                    edit::toml_string(&format!("{}p_{}", r.height, r.video_kbps)),
                ),
                ("width", r.width.to_string()),
                ("height", r.height.to_string()),
                ("fps", r.fps.unwrap_or(current_fps).normalize().to_string()),
                (
                    "codec",
                    edit::toml_string(Codec::from_alias(&r.codec).map_or(&r.codec, |c| c.name())),
                ),
                ("video_kbps", r.video_kbps.to_string()),
                ("audio_kbps", r.audio_kbps.unwrap_or(128).to_string()),
                ("watch_share", share.normalize().to_string()),
            ]))
        })
        .collect();
    Ok(edit::arrange_rungs(text, &tables)?)
}

fn normalize_shares(text: &str) -> Result<String, ChangeError> {
    let tree = document_tree(text).ok_or(EditError::Syntax)?;
    let rungs = tree["ladder"]["rungs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let count = rungs.len();
    let shares = rungs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let v = &r["watch_share"];
            v.as_f64()
                .and_then(|f| Decimal::try_from(f).ok())
                .filter(|d| *d >= Decimal::ZERO)
                .ok_or_else(|| ChangeError::Shares(format!("rung {} has watch_share {v}", i + 1)))
        })
        .collect::<Result<Vec<Decimal>, ChangeError>>()?;
    let sum: Decimal = shares.iter().sum();
    if sum <= Decimal::ZERO {
        return Err(ChangeError::Shares("they sum to 0".into()));
    }
    let mut scaled: Vec<Decimal> = shares.iter().map(|s| (s / sum).round_dp(4)).collect();
    // Put the rounding remainder on the largest share so the sum is exactly one.
    let remainder = Decimal::ONE - scaled.iter().sum::<Decimal>();
    if let Some(largest) = (0..count).max_by_key(|&i| scaled[i]) {
        scaled[largest] += remainder;
    }
    let mut out = text.to_string();
    for (i, share) in scaled.into_iter().enumerate() {
        out = edit::set(
            &out,
            &format!("ladder.rungs[{}].watch_share", i + 1),
            &share.normalize().to_string(),
        )?;
    }
    Ok(out)
}

pub use crate::compare::{Comparison, Delta, compare};

// ----- files ----------------------------------------------------------------------------------

/// Reads a scenario file's text.
pub fn open(path: &Path) -> Result<String, AppError> {
    crate::read_scenario_text(path)
}

/// Saves the text atomically (temporary file, fsync, rename), then records the file as recent.
pub fn save(path: &Path, text: &str) -> Result<(), AppError> {
    write_atomic(path, text.as_bytes())?;
    remember(path)
}

/// How many files the recent list keeps.
pub const RECENT_LIMIT: usize = 10;

fn recent_file() -> PathBuf {
    snapshots::data_dir().join("recent.json")
}

/// Recently opened or saved files, newest first, leaving out those that no longer exist.
pub fn recent() -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(recent_file()) else {
        return Vec::new();
    };
    let list: Vec<PathBuf> = serde_json::from_str(&text).unwrap_or_default();
    list.into_iter().filter(|p| p.is_file()).collect()
}

/// Puts `path` first in the recent list.
pub fn remember(path: &Path) -> Result<(), AppError> {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Read and rewritten under a lock: two windows or processes saving at once each add
    // their file instead of the second dropping the first's.
    let file = recent_file();
    let _held = crate::lock_for_write(&file.with_file_name(".recent.lock"))?;
    let mut list = recent();
    list.retain(|p| p != &path);
    list.insert(0, path);
    list.truncate(RECENT_LIMIT);
    create_parent(&file)?;
    write_atomic(
        &file,
        serde_json::to_string_pretty(&list)
            .unwrap_or_default()
            .as_bytes(),
    )
}

fn create_parent(file: &Path) -> Result<(), AppError> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|source| AppError::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

// ----- unsaved edits --------------------------------------------------------------------------

/// Unsaved edits of one open document, kept on disk while the user types so that a crash
/// loses nothing.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Draft {
    /// The editor's name for the document (its tab), stable while the app runs.
    pub slot: String,
    /// The file the document came from, if any.
    pub path: Option<PathBuf>,
    pub text: String,
    /// Seconds since the Unix epoch when the draft was written.
    pub saved_at: u64,
}

fn drafts_dir() -> PathBuf {
    snapshots::data_dir().join("drafts")
}

fn draft_file(slot: &str) -> PathBuf {
    // Slots are the editor's own names; keep only safe characters in the file name.
    let safe: String = slot
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    drafts_dir().join(format!("{safe}.json"))
}

/// Writes the draft of one document atomically.
pub fn keep_draft(slot: &str, path: Option<&Path>, text: &str) -> Result<(), AppError> {
    let draft = Draft {
        slot: slot.to_string(),
        path: path.map(Path::to_path_buf),
        text: text.to_string(),
        saved_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    };
    let file = draft_file(slot);
    create_parent(&file)?;
    write_atomic(
        &file,
        serde_json::to_string(&draft).unwrap_or_default().as_bytes(),
    )
}

/// Forgets the draft of one document: it was saved, or its edits were discarded.
pub fn drop_draft(slot: &str) -> Result<(), AppError> {
    match std::fs::remove_file(draft_file(slot)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(AppError::Write {
            path: draft_file(slot),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Drafts left by a previous run that did not close cleanly, oldest first. Unreadable ones
/// are skipped rather than blocking the start, and a draft whose file already holds the same
/// text (saved just as the draft was written) is dropped: there is nothing to recover.
pub fn drafts() -> Vec<Draft> {
    let Ok(entries) = std::fs::read_dir(drafts_dir()) else {
        return Vec::new();
    };
    let mut out: Vec<Draft> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|t| serde_json::from_str(&t).ok())
        .collect();
    out.retain(|d: &Draft| {
        let saved = d
            .path
            .as_deref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .is_some_and(|t| t == d.text);
        if saved {
            let _ = drop_draft(&d.slot);
        }
        !saved
    });
    out.sort_by_key(|d| d.saved_at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DEFAULT_SCENARIO, shipped_price_book};

    fn check(change: Change) -> (String, Scenario) {
        let text = apply(DEFAULT_SCENARIO, &change).expect("change applies");
        let scenario = Scenario::from_toml("edited", &text)
            .unwrap_or_else(|e| panic!("{change:?} gave an invalid scenario: {e}\n{text}"));
        (text, scenario)
    }

    #[test]
    fn edits_keep_the_scenario_valid_and_its_comments() {
        let (text, s) = check(Change::Set {
            path: "ladder.rungs[1].video_kbps".into(),
            value: "4500".into(),
        });
        assert_eq!(s.ladder.rungs[0].video.kbps(), Decimal::from(4500));
        assert!(text.contains("# share of watch time; shares sum to 1"));

        let (_, s) = check(Change::DuplicateRung { rung: 1 });
        assert_eq!(s.ladder.rungs.len(), 3);
        assert_eq!(s.ladder.rungs[1].name, "720p copy");
        assert_eq!(s.ladder.rungs[1].video, s.ladder.rungs[0].video);
        assert_eq!(s.ladder.rungs[1].watch_share, Decimal::ZERO);

        let (_, s) = check(Change::MoveRung { from: 2, to: 1 });
        assert_eq!(s.ladder.rungs[0].name, "360p");

        for reference in REFERENCE_LADDERS {
            let (_, s) = check(Change::ReferenceLadder {
                name: reference.name.into(),
            });
            assert_eq!(s.ladder.rungs.len(), reference.rows().len());
            let sum: Decimal = s.ladder.rungs.iter().map(|r| r.watch_share).sum();
            assert_eq!(sum, Decimal::ONE);
        }
        assert!(matches!(
            apply(
                DEFAULT_SCENARIO,
                &Change::ReferenceLadder {
                    name: "Netflix".into()
                }
            ),
            Err(ChangeError::UnknownLadder(_))
        ));
    }

    #[test]
    fn removing_a_rung_breaks_the_shares_until_they_are_scaled() {
        let text = apply(DEFAULT_SCENARIO, &Change::RemoveRung { rung: 2 }).unwrap();
        let errors = Scenario::from_toml("edited", &text).unwrap_err();
        assert!(errors.diagnostics[0].message.contains("sum"), "{errors}");
        let fixed = apply(&text, &Change::NormalizeShares).unwrap();
        let s = Scenario::from_toml("edited", &fixed).unwrap();
        assert_eq!(s.ladder.rungs.len(), 1);
        assert_eq!(s.ladder.rungs[0].watch_share, Decimal::ONE);
    }

    #[test]
    fn a_bad_value_is_reported_at_its_field_and_kept_in_the_text() {
        let text = apply(
            DEFAULT_SCENARIO,
            &Change::Set {
                path: "ladder.rungs[2].video_kbps".into(),
                value: edit::toml_string("fast"),
            },
        )
        .unwrap();
        let book = shipped_price_book().unwrap();
        let errors = evaluate("edited", &text, &book).unwrap_err();
        assert_eq!(errors.diagnostics[0].field, "ladder.rungs[2].video_kbps");
        assert_eq!(
            document_tree(&text).unwrap()["ladder"]["rungs"][1]["video_kbps"],
            "fast"
        );
    }

    #[test]
    fn fields_can_be_set_in_a_file_with_inline_rungs() {
        let inline = "[ladder]\nrungs = [{ name = \"a\", watch_share = 0.5 }]\n";
        let text = apply(
            inline,
            &Change::Set {
                path: "ladder.segment_seconds".into(),
                value: "4".into(),
            },
        )
        .unwrap();
        assert!(text.contains("segment_seconds = 4"));
        let scaled = apply(inline, &Change::NormalizeShares).unwrap();
        assert!(scaled.contains("watch_share = 1 }"), "{scaled}");
        assert!(matches!(
            apply(inline, &Change::RemoveRung { rung: 1 }),
            Err(ChangeError::Edit(EditError::InlineRungs))
        ));
    }

    #[test]
    fn every_reference_row_is_read() {
        for l in REFERENCE_LADDERS {
            assert!(l.rows().len() >= 5, "{}", l.name);
            assert_eq!(l.rows().len(), l.rungs().len(), "{}", l.name);
        }
    }

    #[test]
    fn comparison_differences_add_up_to_the_totals() {
        let book = shipped_price_book().unwrap();
        let (_, a) = evaluate("a", DEFAULT_SCENARIO, &book).unwrap();
        let b_text = apply(
            DEFAULT_SCENARIO,
            &Change::Set {
                path: "delivery.cache_hit_rate".into(),
                value: "0.8".into(),
            },
        )
        .unwrap();
        let (_, b) = evaluate("b", &b_text, &book).unwrap();
        let c = compare(&a, &b);
        let sum: Decimal = c.services.iter().map(|d| d.difference().unwrap().0).sum();
        // Exact to far below a cent: decimals of 28 digits round the last one differently
        // when summed in another order.
        assert_eq!(sum.round_dp(12), (c.total_b.0 - c.total_a.0).round_dp(12));
        assert!(
            c.services
                .iter()
                .any(|d| d.difference().unwrap().0 != Decimal::ZERO)
        );
    }

    #[test]
    fn every_chart_draws_for_the_default_scenario() {
        let book = shipped_price_book().unwrap();
        let (s, e) = evaluate("a", DEFAULT_SCENARIO, &book).unwrap();
        for kind in ChartKind::ALL {
            let svg =
                chart_svg(kind, &s, &e, &book).unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
            assert!(svg.starts_with("<svg"), "{}", kind.name());
        }
    }
}
