//! Writing an imported ladder into scenario text, through the model's text edits so that
//! everything else in the file — comments, layout, key order — stays as it was.
//!
//! The comment lines written directly above a `[[ladder.rungs]]` header belong to that rung
//! (its origin, a note on the ladder above the first): they are replaced with the rungs.

use std::ops::Range;

use ladderwise_model::scenario::edit::{
    self, EditError, RungText, arrange_rungs, rung_blocks, rung_table, toml_string,
};
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use crate::{ASSUMED_SHARES, AudioLayout, ImportError, ImportedLadder, ImportedRung};

/// Comment lines are wrapped at this width.
const WIDTH: usize = 96;

/// A whole scenario from `template` (the CLI passes the shipped default scenario) with the
/// imported ladder: the scenario named after the source, the rungs replaced (each with a
/// comment naming its origin), the segment length, audio layout and encoding passes set when
/// known ([`replace_ladder`]). The template's opening comment, which
/// describes the template, is replaced by one saying where the ladder came from.
pub fn scenario_text(
    template: &str,
    ladder: &ImportedLadder,
    source_name: &str,
) -> Result<String, ImportError> {
    let text = replace_ladder(&without_forecast(template), ladder, source_name)?;
    let name = toml_string(&format!("Imported from {}", one_line(source_name)));
    let text = edit::set(&text, "scenario.name", &name).map_err(edit_error)?;
    Ok(replace_opening_comment(&text, ladder, source_name))
}

/// `text` without its `[forecast]` (and `[forecast.*]`) tables and the comment above them:
/// the template's months ahead describe the template's business, not the imported ladder's.
fn without_forecast(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    fn header(l: &str) -> Option<&str> {
        let t = l.trim();
        let name = t.trim_start_matches('[').trim_end_matches(']').trim();
        t.starts_with('[').then_some(name)
    }
    let is_forecast = |name: &str| name == "forecast" || name.starts_with("forecast.");
    let Some(first) = lines
        .iter()
        .position(|l| header(l).is_some_and(is_forecast))
    else {
        return text.to_string();
    };
    let mut start = first;
    while start > 0 && {
        let t = lines[start - 1].trim();
        t.is_empty() || t.starts_with('#')
    } {
        start -= 1;
    }
    let end = lines[first..]
        .iter()
        .position(|l| header(l).is_some_and(|n| !is_forecast(n)))
        .map_or(lines.len(), |i| first + i);
    let mut out: Vec<&str> = lines[..start].to_vec();
    out.extend(&lines[end..]);
    let mut joined = out.join("\n");
    joined.push('\n');
    joined
}

/// `existing` with its ladder replaced by the imported one: the rungs, `segment_seconds`
/// when the source states it, the audio layout (`audio = "separate"` and `audio_kbps` in
/// `[ladder]` for separate audio; neither for muxed audio, which is on each rung),
/// `transcode.passes` when the source states the encoding passes (they decide the
/// MediaConvert tier), and `packaging_overhead` when it names the segments' container.
/// Everything else, comments included, stays.
pub fn replace_ladder(
    existing: &str,
    ladder: &ImportedLadder,
    source_name: &str,
) -> Result<String, ImportError> {
    if DeTable::parse(existing).is_err() {
        return Err(edit_error(EditError::Syntax));
    }
    let separate = matches!(ladder.audio, AudioLayout::Separate { .. });
    let rungs: Vec<RungText> = ladder
        .rungs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut text = String::new();
            if i == 0 {
                text.push_str(&ladder_comment(ladder, source_name));
            }
            text.push_str(&rung_text(r, separate));
            RungText::New(text)
        })
        .collect();
    let text = strip_rung_comments(existing)?;
    let mut text = if rung_blocks(&text).map_err(edit_error)?.is_empty() {
        let all: Vec<String> = rungs
            .iter()
            .filter_map(|r| match r {
                RungText::New(t) => Some(t.clone()),
                RungText::Existing(_) => None,
            })
            .collect();
        insert_rungs(&text, &all.join("\n"))
    } else {
        arrange_rungs(&text, &rungs).map_err(edit_error)?
    };
    if let Some(seconds) = ladder.segment_seconds {
        text = set_ladder_key(&text, "segment_seconds", &decimal(seconds))?;
    }
    match &ladder.audio {
        AudioLayout::Separate { kbps } => {
            text = set_ladder_key(&text, "audio", &toml_string("separate"))?;
            text = set_ladder_key(&text, "audio_kbps", &decimal(*kbps))?;
        }
        AudioLayout::Muxed => {
            text = remove_ladder_key(&text, "audio")?;
            text = remove_ladder_key(&text, "audio_kbps")?;
        }
    }
    if let Some(passes) = ladder.passes {
        text = edit::set(&text, "transcode.passes", &passes.to_string()).map_err(edit_error)?;
    }
    if let Some(overhead) = ladder.packaging_overhead {
        // Removed, then written anew: the comment beside the old value names its container.
        text = remove_ladder_key(&text, "packaging_overhead")?;
        let comment = ladder.segment_container.map_or(String::new(), |c| {
            format!("  # {c} segments, as the file writes them")
        });
        text = set_ladder_key(
            &text,
            "packaging_overhead",
            &format!("{}{comment}", decimal(overhead)),
        )?;
    }
    Ok(text)
}

fn edit_error(e: EditError) -> ImportError {
    let (reason, hint) = match e {
        EditError::Syntax => (
            "the scenario is not valid TOML".to_string(),
            "fix its syntax first: `ladderwise estimate FILE` points at the error".to_string(),
        ),
        EditError::InlineRungs => (
            "its rungs are written inline (`rungs = [...]`)".into(),
            "write each rung as a `[[ladder.rungs]]` table, or import into a new file".into(),
        ),
        other => {
            let text = other.to_string();
            let (reason, hint) = text.split_once("\nhint: ").unwrap_or((&text, ""));
            (reason.to_string(), hint.to_string())
        }
    };
    ImportError::Scenario { reason, hint }
}

/// A decimal as TOML: `800`, `29.97`, `0.3333`.
fn decimal(d: Decimal) -> String {
    d.normalize().to_string()
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// `text` as comment lines of at most [`WIDTH`] characters.
fn comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("#");
    for word in one_line(text).split_whitespace() {
        if line.len() > 1 && line.len() + 1 + word.len() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The comment above the first rung: where the ladder came from, and the assumed shares.
fn ladder_comment(ladder: &ImportedLadder, source_name: &str) -> String {
    let mut text = comment(&format!(
        "Imported from {source_name} ({}).",
        ladder.format.label()
    ));
    let mut shares = ASSUMED_SHARES.to_string();
    shares[..1].make_ascii_uppercase();
    text.push_str(&comment(&format!("{shares}.")));
    text
}

fn rung_text(r: &ImportedRung, separate: bool) -> String {
    let audio = match (separate, r.audio_kbps) {
        (true, _) | (false, None) => "0".to_string(),
        (false, Some(kbps)) => decimal(kbps),
    };
    let mut text = format!("# {}\n", one_line(&r.origin));
    text.push_str(&rung_table(&[
        ("name", toml_string(&r.name)),
        ("width", r.width.to_string()),
        ("height", r.height.to_string()),
        ("fps", decimal(r.fps)),
        ("codec", toml_string(r.codec.name())),
        ("video_kbps", decimal(r.video_kbps)),
        ("audio_kbps", audio),
        ("watch_share", decimal(r.watch_share)),
    ]));
    text
}

/// Line start offsets of `text`, with each line.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        out.push((at, line));
        at += line.len();
    }
    out
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// The comment lines written directly above each rung header, removed.
fn strip_rung_comments(text: &str) -> Result<String, ImportError> {
    let blocks = rung_blocks(text).map_err(edit_error)?;
    let lines = lines(text);
    let mut cuts: Vec<Range<usize>> = Vec::new();
    for block in &blocks {
        let Some(header) = lines.iter().position(|(at, _)| *at == block.start) else {
            continue;
        };
        let mut first = header;
        while first > 0 && is_comment(lines[first - 1].1) {
            first -= 1;
        }
        if first < header {
            cuts.push(lines[first].0..block.start);
        }
    }
    let mut out = text.to_string();
    for cut in cuts.into_iter().rev() {
        out.replace_range(cut, "");
    }
    Ok(out)
}

/// Rung tables into a scenario that has none: at the end of the `[ladder]` section (before
/// the comments of the next header), or at the end of the file.
fn insert_rungs(text: &str, rungs: &str) -> String {
    let lines = lines(text);
    let header = |l: &str| l.trim_start().starts_with('[');
    let ladder = lines.iter().position(|(_, l)| {
        let t = l.trim();
        t.starts_with("[ladder]") || t.starts_with("[ ladder ]")
    });
    let at = match ladder {
        Some(i) => {
            let mut next = (i + 1..lines.len())
                .find(|&j| header(lines[j].1))
                .unwrap_or(lines.len());
            while next > i + 1
                && (is_comment(lines[next - 1].1) || lines[next - 1].1.trim().is_empty())
            {
                next -= 1;
            }
            lines.get(next).map_or(text.len(), |l| l.0)
        }
        None => text.len(),
    };
    let mut out = text.to_string();
    let before = if out[..at].ends_with('\n') || at == 0 {
        "\n"
    } else {
        "\n\n"
    };
    let rest_starts_blank = text[at..]
        .lines()
        .next()
        .is_some_and(|l| l.trim().is_empty());
    let after = if at == text.len() || rest_starts_blank {
        ""
    } else {
        "\n"
    };
    out.insert_str(
        at,
        &format!("{before}{}\n{after}", rungs.trim_end_matches('\n')),
    );
    out
}

/// A key of `[ladder]`: its name, the span of the key and the span of its value.
type LadderKey = (String, Range<usize>, Range<usize>);

/// The keys of `[ladder]` other than its rungs.
fn ladder_entries(text: &str) -> Result<Vec<LadderKey>, ImportError> {
    let doc = DeTable::parse(text).map_err(|_| edit_error(EditError::Syntax))?;
    let entries = doc
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "ladder")
        .and_then(|(_, v)| match v.get_ref() {
            DeValue::Table(t) => Some(
                t.iter()
                    .filter(|(k, _)| k.get_ref().as_ref() != "rungs")
                    .map(|(k, v)| (k.get_ref().to_string(), k.span(), v.span()))
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    Ok(entries)
}

/// Sets a key of `[ladder]`: in place when it exists, else on a new line after the last
/// key of the section (never among the rung tables, which also belong to `[ladder]`).
fn set_ladder_key(text: &str, key: &str, value: &str) -> Result<String, ImportError> {
    let entries = ladder_entries(text)?;
    if entries.iter().any(|(k, _, _)| k == key) {
        return edit::set(text, &format!("ladder.{key}"), value).map_err(edit_error);
    }
    let mut out = text.to_string();
    let line = format!("{key} = {value}");
    if let Some(end) = entries.iter().map(|(_, _, v)| v.end).max() {
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        out.insert_str(line_end, &format!("\n{line}"));
        return Ok(out);
    }
    let lines = lines(text);
    let ladder_header = lines.iter().find(|(_, l)| {
        let t = l.trim();
        t.starts_with("[ladder]") || t.starts_with("[ ladder ]")
    });
    match ladder_header {
        Some((at, l)) => {
            let end = at + l.len();
            let sep = if l.ends_with('\n') { "" } else { "\n" };
            out.insert_str(end, &format!("{sep}{line}\n"));
        }
        None => {
            // No `[ladder]` header: one goes before the first rung and its comments.
            let first = rung_blocks(text)
                .map_err(edit_error)?
                .first()
                .map(|b| b.start)
                .unwrap_or(text.len());
            let mut i = lines
                .iter()
                .position(|(at, _)| *at == first)
                .unwrap_or(lines.len());
            while i > 0 && is_comment(lines[i - 1].1) {
                i -= 1;
            }
            let at = lines.get(i).map_or(text.len(), |l| l.0);
            out.insert_str(at, &format!("[ladder]\n{line}\n\n"));
        }
    }
    Ok(out)
}

/// Removes a key of `[ladder]` and its line, when it is there.
fn remove_ladder_key(text: &str, key: &str) -> Result<String, ImportError> {
    let entries = ladder_entries(text)?;
    let Some((_, k, v)) = entries.into_iter().find(|(k, _, _)| k == key) else {
        return Ok(text.to_string());
    };
    let start = text[..k.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[v.end..]
        .find('\n')
        .map_or(text.len(), |i| v.end + i + 1);
    if !text[start..k.start].trim().is_empty() {
        return Err(ImportError::Scenario {
            reason: format!("`ladder.{key}` shares its line with other keys"),
            hint: format!("write `{key}` on a line of its own in [ladder]"),
        });
    }
    let mut out = text.to_string();
    out.replace_range(start..end, "");
    Ok(out)
}

/// The template's opening comment (the lines before its first table) describes the template;
/// it is replaced by one naming the source of the ladder.
fn replace_opening_comment(text: &str, ladder: &ImportedLadder, source_name: &str) -> String {
    let lines = lines(text);
    let count = lines.iter().take_while(|(_, l)| is_comment(l)).count();
    let end = lines.get(count).map_or(text.len(), |l| l.0);
    let opening = comment(&format!(
        "A scenario around the ladder imported from {source_name} ({}). The other sections are the defaults of the shipped default scenario: set content, audience, delivery and the rest to your service.",
        ladder.format.label()
    ));
    let mut out = text.to_string();
    out.replace_range(..end, &opening);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_wrap_at_the_width() {
        let long = "word ".repeat(40);
        let c = comment(&long);
        assert!(c.lines().all(|l| l.len() <= WIDTH && l.starts_with("# ")));
        assert_eq!(c.split_whitespace().filter(|w| *w == "word").count(), 40);
    }

    const FILE: &str = "# top\n[scenario]\nname = \"x\"\n\n[ladder]\nsegment_seconds = 6 # s\naudio = \"separate\"   # demuxed\naudio_kbps = 96\n\n# the ladder\n[[ladder.rungs]]\nname = \"a\"\n\n# second\n[[ladder.rungs]]\nname = \"b\"\n\n# Who watches.\n[audience]\ngeo = { us = 1.0 }\n";

    #[test]
    fn ladder_keys_are_set_and_removed_in_their_section() {
        let removed = remove_ladder_key(FILE, "audio").unwrap();
        let removed = remove_ladder_key(&removed, "audio_kbps").unwrap();
        assert!(
            removed.contains("segment_seconds = 6 # s\n\n# the ladder"),
            "{removed}"
        );
        let added = set_ladder_key(&removed, "audio", "\"separate\"").unwrap();
        assert!(
            added.contains("segment_seconds = 6 # s\naudio = \"separate\"\n\n# the ladder"),
            "{added}"
        );
        let set = set_ladder_key(FILE, "audio_kbps", "128").unwrap();
        assert!(set.contains("audio_kbps = 128\n"), "{set}");
        let stripped = strip_rung_comments(FILE).unwrap();
        assert!(!stripped.contains("# the ladder") && !stripped.contains("# second"));
        assert!(stripped.contains("# top") && stripped.contains("# Who watches."));
        let no_header = "[[ladder.rungs]]\nname = \"a\"\n";
        let out = set_ladder_key(no_header, "segment_seconds", "4").unwrap();
        assert_eq!(
            out,
            "[ladder]\nsegment_seconds = 4\n\n[[ladder.rungs]]\nname = \"a\"\n"
        );
    }

    #[test]
    fn rungs_go_into_a_ladder_that_has_none() {
        let text = "[ladder]\nsegment_seconds = 6\n\n# Who.\n[audience]\n";
        let out = insert_rungs(text, "[[ladder.rungs]]\nname = \"a\"\n");
        assert_eq!(
            out,
            "[ladder]\nsegment_seconds = 6\n\n[[ladder.rungs]]\nname = \"a\"\n\n# Who.\n[audience]\n"
        );
        let out = insert_rungs("[scenario]\n", "[[ladder.rungs]]\n");
        assert_eq!(out, "[scenario]\n\n[[ladder.rungs]]\n");
    }
}
