//! Changing values in a scenario file's text while keeping everything else: comments, layout,
//! key order. Used to write a calibrated copy of a user's scenario, and by the desktop editor,
//! whose every keystroke becomes one of these edits on the file's text.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::path::{FieldPath, Item, PathError};

/// One value to set: the section's dotted path (`audience`), the key, and the TOML text of the
/// new value (`9000000.0`, `"https"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub section: String,
    pub key: String,
    pub value: String,
}

/// Applies `edits` to `source`: a key that exists gets its value replaced in place; a key that
/// does not is added on a line of its own at the end of its section. A section that does not
/// exist is appended. `None` when `source` is not valid TOML.
pub fn apply(source: &str, edits: &[Edit]) -> Option<String> {
    apply_lf(source, edits).map(|out| keep_line_endings(source, out))
}

fn apply_lf(source: &str, edits: &[Edit]) -> Option<String> {
    let doc = DeTable::parse(source).ok()?;
    // (start, end, text) replacements, applied from the end so offsets stay valid.
    let mut changes: Vec<(usize, usize, String)> = Vec::new();
    let mut appended = String::new();
    for e in edits {
        let mut table = doc.get_ref();
        let mut found = true;
        for part in e.section.split('.') {
            match table
                .iter()
                .find(|(k, _)| k.get_ref().as_ref() == part)
                .map(|(_, v)| v.get_ref())
            {
                Some(DeValue::Table(t)) => table = t,
                _ => {
                    found = false;
                    break;
                }
            }
        }
        if !found {
            appended.push_str(&format!("\n[{}]\n{} = {}\n", e.section, e.key, e.value));
            continue;
        }
        if let Some((_, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == e.key) {
            let span = v.span();
            changes.push((span.start, span.end, e.value.clone()));
        } else {
            // After the last value of the section, on a new line.
            let end = table.iter().map(|(_, v)| v.span().end).max().unwrap_or(0);
            let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
            changes.push((line_end, line_end, format!("\n{} = {}", e.key, e.value)));
        }
    }
    changes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let mut out = source.to_string();
    for (start, end, text) in changes {
        out.replace_range(start..end, &text);
    }
    out.push_str(&appended);
    Some(out)
}

/// Why an edit could not be made. The text is left as it was.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error(
        "the scenario is not valid TOML, so it cannot be edited field by field\nhint: fix the syntax error first"
    )]
    Syntax,
    #[error("{0}")]
    Path(#[from] PathError),
    #[error("`{0}` is not a table\nhint: edit the value itself instead")]
    NotATable(String),
    #[error(
        "the ladder's rungs are written inline (`rungs = [...]`), so they cannot be moved one by one\nhint: write each rung as a `[[ladder.rungs]]` table"
    )]
    InlineRungs,
    #[error("there is no rung {rung}; the ladder has {count}\nhint: rungs count from 1")]
    NoRung { rung: usize, count: usize },
    #[error(
        "`{0}` is not a value a scenario file can hold\nhint: write a number, \"text\" in quotes, a [list] or an {{ inline = table }}"
    )]
    NotAValue(String),
    #[error(
        "`{0}` is written as `[...]` tables in the file, so it cannot be replaced as one value\nhint: change those tables in the file, or write the value inline (`{{ ... }}`, `[...]`)"
    )]
    WrittenAsTables(String),
}

/// The TOML keys of a path, each with the 0-based index of the array item it picks. A rung
/// named by its name is found by the names in `doc`.
fn steps(path: &FieldPath, doc: &DeTable) -> Result<Vec<(String, Option<usize>)>, EditError> {
    let field_key = path.field.key();
    let keys = |p: &str| -> Vec<(String, Option<usize>)> {
        p.split('.').map(|k| (k.to_string(), None)).collect()
    };
    Ok(match (&path.item, path.list()) {
        (None, _) => keys(path.field.path),
        // A growth's driver is one TOML key with dots in it, quoted in the file:
        // `"audience.watch_minutes_per_month" = { compound = 0.04 }`.
        (Some(Item::Key(key)), _) if path.is_growth() => {
            let mut out = keys("forecast.growth");
            out.push((key.clone(), None));
            out.push((field_key.to_string(), None));
            out
        }
        (Some(Item::Key(key)), _) => {
            let mut out = keys(path.field.section());
            out.push((key.clone(), None));
            out
        }
        (Some(_), Some(list)) => {
            let items = lookup(doc, list);
            let names: Vec<&str> = items
                .iter()
                .map(|item| match item.get_ref() {
                    DeValue::Table(t) => t
                        .iter()
                        .find(|(k, _)| k.get_ref().as_ref() == "name")
                        .and_then(|(_, v)| match v.get_ref() {
                            DeValue::String(s) => Some(s.as_ref()),
                            _ => None,
                        })
                        .unwrap_or(""),
                    _ => "",
                })
                .collect();
            let index = path.position(&names, items.len())?.unwrap_or(0);
            let mut out = keys(list);
            if let Some(last) = out.last_mut() {
                last.1 = Some(index);
            }
            out.push((field_key.to_string(), None));
            out
        }
        (Some(_), None) => keys(path.field.path),
    })
}

/// The items of the array at a dotted path of `doc` (empty when there is none).
fn lookup<'d, 'i>(doc: &'d DeTable<'i>, dotted: &str) -> &'d [toml::Spanned<DeValue<'i>>] {
    let mut table = doc;
    let parts: Vec<&str> = dotted.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        let Some((_, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *part) else {
            return &[];
        };
        match v.get_ref() {
            DeValue::Table(t) if i + 1 < parts.len() => table = t,
            DeValue::Array(items) if i + 1 == parts.len() => return items,
            _ => return &[],
        }
    }
    &[]
}

/// Sets the value at `path` (`delivery.cache_hit_rate`, `ladder.rungs[1].video_kbps` for the
/// first rung, `ladder.rungs.720p.fps`, `audience.geo.us`; see [`FieldPath`]) to the TOML text
/// `value`, in place. A missing last key is added to its table, inside the braces when the
/// table is written inline; a missing top-level section is appended. Everything else in
/// `source` stays as it was.
pub fn set(source: &str, path: &str, value: &str) -> Result<String, EditError> {
    set_lf(source, path, value).map(|out| keep_line_endings(source, out))
}

fn set_lf(source: &str, path: &str, value: &str) -> Result<String, EditError> {
    let doc = DeTable::parse(source).map_err(|_| EditError::Syntax)?;
    let parsed = FieldPath::parse(path)?;
    let steps = steps(&parsed, doc.get_ref())?;
    let no_field = || {
        EditError::Path(PathError::Unknown {
            path: path.to_string(),
            hint: "the file has no such table; add the section first".into(),
        })
    };
    let Some(((last, None), parents)) = steps.split_last().map(|(l, p)| (l.clone(), p)) else {
        return Err(no_field());
    };
    if parents.is_empty() {
        return Err(no_field());
    }
    let mut table = doc.get_ref();
    let mut table_span: Option<Range<usize>> = None;
    for (depth, (key, index)) in parents.iter().enumerate() {
        let entry = table.iter().find(|(k, _)| k.get_ref().as_ref() == key);
        let Some((_, v)) = entry else {
            // Only a whole missing section can be appended safely.
            if depth == 0 && parents.len() == 1 && index.is_none() {
                let mut out = source.to_string();
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&format!("\n[{key}]\n{last} = {value}\n"));
                return checked(out, value);
            }
            return Err(no_field());
        };
        let mut current = v;
        if let Some(i) = index {
            match v.get_ref() {
                DeValue::Array(items) => match items.get(*i) {
                    Some(item) => current = item,
                    None => return Err(no_field()),
                },
                _ => return Err(no_field()),
            }
        }
        match current.get_ref() {
            DeValue::Table(t) => {
                table = t;
                table_span = Some(current.span());
            }
            _ => return Err(EditError::NotATable(path.to_string())),
        }
    }
    let mut out = source.to_string();
    if let Some((_, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == last) {
        // A table written under its own `[header]` has the header as its span: replacing
        // that would leave its keys behind under the section before.
        if written_as_tables(source, v) {
            // A list of `[[header]]` tables named by its own path (`forecast.events`) is
            // rewritten table by table; one inside a list's item has no header of its own.
            let dotted: Vec<&str> = steps.iter().map(|(k, _)| k.as_str()).collect();
            if matches!(v.get_ref(), DeValue::Array(_)) && steps.iter().all(|(_, i)| i.is_none()) {
                return replace_tables(source, &dotted.join("."), value)
                    .and_then(|out| checked(out, value));
            }
            return Err(EditError::WrittenAsTables(path.to_string()));
        }
        out.replace_range(v.span(), value);
        return checked(out, value);
    }
    // After the table's last own value: a sub-table under its own `[header]` (the growths
    // after `[forecast]`'s values) would take a key written after it as its own.
    let Some(end) = table
        .iter()
        .filter(|(_, v)| !written_as_tables(source, v))
        .map(|(_, v)| v.span().end)
        .max()
    else {
        // An empty inline table (`{ }`, an item the form just added): the key goes between
        // its braces.
        if let Some(span) = table_span.clone()
            && source[span.clone()].starts_with('{')
        {
            out.replace_range(span, &format!("{{ {last} = {value} }}"));
            return checked(out, value);
        }
        // An empty table: put the key right after its header.
        let at = table_span.map_or(0, |s| s.end);
        let at = source[at..].find('\n').map_or(source.len(), |i| at + i);
        out.insert_str(at, &format!("\n{last} = {value}"));
        return checked(out, value);
    };
    let rest = &source[end..];
    let next = rest.trim_start_matches([' ', '\t', ',']);
    if next.starts_with('}') {
        out.insert_str(end, &format!(", {last} = {value}"));
        return checked(out, value);
    }
    let line_end = rest.find('\n').map_or(source.len(), |i| end + i);
    out.insert_str(line_end, &format!("\n{last} = {value}"));
    checked(out, value)
}

/// `out` when it is still TOML: an edit whose value is not one (`[1, 2`, a comment that
/// swallows the rest of an inline table) is refused, and the text stays as it was, which
/// every later edit needs.
fn checked(out: String, value: &str) -> Result<String, EditError> {
    match DeTable::parse(&out) {
        Ok(_) => Ok(out),
        Err(_) => Err(EditError::NotAValue(value.to_string())),
    }
}

/// Whether `v` is a table or a list of tables written under `[header]`s rather than inline.
fn written_as_tables(source: &str, v: &toml::Spanned<DeValue<'_>>) -> bool {
    let text = &source[v.span()];
    match v.get_ref() {
        DeValue::Table(_) => !text.starts_with('{'),
        DeValue::Array(items) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|i| matches!(i.get_ref(), DeValue::Table(_)))
                && text.starts_with("[[")
                && text[2..].starts_with(|c: char| c.is_alphanumeric() || "\"'_-".contains(c))
        }
        _ => false,
    }
}

/// Rewrites the `[[dotted]]` tables of a list as the inline list `value` says: a table equal
/// to one of the file's (in order) keeps its text and comments, a new one is written as a
/// `[[dotted]]` table of its own, and one left out goes. Adding or removing an event in the
/// form sends the whole list; the file keeps the form it was written in.
fn replace_tables(source: &str, dotted: &str, value: &str) -> Result<String, EditError> {
    let blocks = table_blocks(source, dotted);
    let not_a_list = || EditError::NotAValue(value.to_string());
    let new: toml::Table = toml::from_str(&format!("v = {value}\n")).map_err(|_| not_a_list())?;
    let Some(toml::Value::Array(new)) = new.get("v") else {
        return Err(not_a_list());
    };
    let old: toml::Table = toml::from_str(source).map_err(|_| EditError::Syntax)?;
    let old: Vec<toml::Value> = dotted
        .split('.')
        .try_fold(&toml::Value::Table(old), |v, k| v.get(k))
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let (Some(first), Some(last)) = (blocks.first(), blocks.last()) else {
        return Err(EditError::WrittenAsTables(dotted.to_string()));
    };
    // Only a run of the list's own tables is rewritten: a section between two of them would
    // move, so such a file is left to be edited by hand.
    let between_only_comments = blocks.windows(2).all(|w| {
        source[w[0].end..w[1].start]
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    });
    if old.len() != blocks.len() || !between_only_comments {
        return Err(EditError::WrittenAsTables(dotted.to_string()));
    }
    let mut out = String::new();
    let mut unused = 0;
    for item in new {
        let Some(table) = item.as_table() else {
            return Err(not_a_list());
        };
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        match (unused..old.len()).find(|&k| old[k] == *item) {
            Some(k) => {
                out.push_str(&source[blocks[k].clone()]);
                unused = k + 1;
            }
            None => {
                out.push_str(&format!("[[{dotted}]]\n"));
                for (key, v) in table {
                    out.push_str(&format!("{} = {v}\n", toml_key(key)));
                }
            }
        }
    }
    let rest = &source[last.end..];
    if !out.is_empty() && !rest.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    Ok(format!("{}{out}{rest}", &source[..first.start]))
}

/// A key as TOML writes it: bare when it can be, quoted otherwise.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

/// Where each `[[ladder.rungs]]` table sits in the text: from its header to the next header,
/// less the comment lines written directly above that next header (they describe it).
pub fn rung_blocks(source: &str) -> Result<Vec<Range<usize>>, EditError> {
    let doc = DeTable::parse(source).map_err(|_| EditError::Syntax)?;
    let parsed = doc
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "ladder")
        .and_then(|(_, v)| match v.get_ref() {
            DeValue::Table(t) => t.iter().find(|(k, _)| k.get_ref().as_ref() == "rungs"),
            _ => None,
        })
        .map_or(0, |(_, v)| match v.get_ref() {
            DeValue::Array(a) => a.len(),
            _ => 0,
        });
    let blocks = table_blocks(source, "ladder.rungs");
    if blocks.len() != parsed {
        return Err(EditError::InlineRungs);
    }
    Ok(blocks)
}

/// Where each `[[dotted]]` table sits in the text: from its header to the next header that
/// is not one of its own sub-tables (`[forecast.events.set]`, `[[forecast.events.rungs]]`
/// belong to the `[[forecast.events]]` above them), less the comment lines written directly
/// above that next header (they describe it).
fn table_blocks(source: &str, dotted: &str) -> Vec<Range<usize>> {
    // Line starts, and which lines are headers (and of what).
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        lines.push((at, line));
        at += line.len();
    }
    let header = |line: &str| -> Option<String> {
        let t = line.trim_start();
        if !t.starts_with('[') {
            return None;
        }
        let close = t.find(']')?;
        let name: String = t[..close]
            .chars()
            .filter(|c| !matches!(c, '[' | ' ' | '\t' | '"' | '\''))
            .collect();
        Some(if t.starts_with("[[") {
            format!("[[{name}]]")
        } else {
            name
        })
    };
    let own = format!("[[{dotted}]]");
    let sub = |h: &str| {
        let name = h.trim_start_matches('[').trim_end_matches(']');
        h != own
            && name
                .strip_prefix(dotted)
                .is_some_and(|rest| rest.starts_with('.'))
    };
    let mut blocks = Vec::new();
    for (i, (start, line)) in lines.iter().enumerate() {
        if header(line).as_deref() != Some(own.as_str()) {
            continue;
        }
        let next = (i + 1..lines.len())
            .find(|&j| header(lines[j].1).is_some_and(|h| !sub(&h)))
            .unwrap_or(lines.len());
        // Pull back over comments attached to the next header.
        let mut end_line = next;
        while end_line > i + 1 && lines[end_line - 1].1.trim_start().starts_with('#') {
            end_line -= 1;
        }
        let end = lines.get(end_line).map_or(source.len(), |l| l.0);
        blocks.push(*start..end);
    }
    blocks
}

/// A rung block's body without its trailing blank lines, and those blank lines.
fn split_trailing(block: &str) -> (&str, &str) {
    let body = block.trim_end();
    let body_end = body.len() + block[body.len()..].find('\n').map_or(0, |i| i + 1);
    (
        &block[..body_end.min(block.len())],
        &block[body_end.min(block.len())..],
    )
}

/// Rewrites the rung tables: `order` lists, for each new position, either an existing rung's
/// index or new text for a `[[ladder.rungs]]` table. Existing rungs keep their comments.
pub fn arrange_rungs(source: &str, order: &[RungText]) -> Result<String, EditError> {
    arrange_rungs_lf(source, order).map(|out| keep_line_endings(source, out))
}

/// The edits above write their new lines with `\n`. A file written with `\r\n` throughout
/// (as Windows editors save) keeps it: every bare `\n` of the edited text becomes `\r\n`.
/// A file that mixes both is left as the edit made it, having no one ending to keep.
fn keep_line_endings(source: &str, out: String) -> String {
    let crlf = source.matches("\r\n").count();
    if crlf == 0 || crlf != source.matches('\n').count() {
        return out;
    }
    let mut fixed = String::with_capacity(out.len() + 16);
    let mut previous = '\0';
    for c in out.chars() {
        if c == '\n' && previous != '\r' {
            fixed.push('\r');
        }
        fixed.push(c);
        previous = c;
    }
    fixed
}

fn arrange_rungs_lf(source: &str, order: &[RungText]) -> Result<String, EditError> {
    let blocks = rung_blocks(source)?;
    let Some(first) = blocks.first() else {
        return Err(EditError::InlineRungs);
    };
    let mut bodies = Vec::with_capacity(order.len());
    for item in order {
        match item {
            RungText::Existing(i) => {
                let r = blocks.get(*i).ok_or(EditError::NoRung {
                    rung: *i + 1,
                    count: blocks.len(),
                })?;
                let (body, _) = split_trailing(&source[r.clone()]);
                bodies.push(body.to_string());
            }
            RungText::New(text) => {
                let mut t = text.trim_end().to_string();
                t.push('\n');
                bodies.push(t);
            }
        }
    }
    // Every rung goes where the first one was; the old blocks are removed, last first.
    let gap = {
        let (_, gap) = split_trailing(&source[first.clone()]);
        if gap.is_empty() { "\n" } else { gap }
    };
    let joined = bodies.join(gap);
    let mut out = source.to_string();
    let last_gap = split_trailing(&source[blocks[blocks.len() - 1].clone()])
        .1
        .to_string();
    for r in blocks.iter().skip(1).rev() {
        out.replace_range(r.clone(), "");
    }
    let replacement = if joined.is_empty() {
        String::new()
    } else {
        format!("{joined}{last_gap}")
    };
    out.replace_range(first.clone(), &replacement);
    Ok(out)
}

/// One rung in a new arrangement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RungText {
    /// The rung now at this index, with its text and comments.
    Existing(usize),
    /// A new `[[ladder.rungs]]` table.
    New(String),
}

/// The text of a new `[[ladder.rungs]]` table. Values are TOML text, in file order.
pub fn rung_table(fields: &[(&str, String)]) -> String {
    let mut out = String::from("[[ladder.rungs]]\n");
    for (k, v) in fields {
        out.push_str(&format!("{k} = {v}\n"));
    }
    out
}

/// A TOML basic string for `text`.
pub fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(section: &str, key: &str, value: &str) -> Edit {
        Edit {
            section: section.into(),
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn a_growth_rate_is_set_inside_its_inline_table() {
        let src = "[forecast]\nmonths = 12\n\n[forecast.growth]\n\"audience.watch_minutes_per_month\" = { compound = 0.04, sd = 0.01 }   # viewing\n";
        let out = set(
            src,
            "forecast.growth.audience.watch_minutes_per_month.compound",
            "0.06",
        )
        .unwrap();
        assert_eq!(
            out,
            "[forecast]\nmonths = 12\n\n[forecast.growth]\n\"audience.watch_minutes_per_month\" = { compound = 0.06, sd = 0.01 }   # viewing\n"
        );
        let out = set(
            &out,
            "forecast.growth.audience.watch_minutes_per_month.p10",
            "0.02",
        )
        .unwrap();
        assert!(
            out.contains("{ compound = 0.06, sd = 0.01, p10 = 0.02 }"),
            "{out}"
        );
    }

    #[test]
    fn values_change_and_comments_stay() {
        let src = "[audience]\nwatch = 10.0   # minutes a month\ngeo = { us = 1.0 }\n\n[delivery]\ncdn = \"cloudfront\"\n";
        let out = apply(
            src,
            &[
                edit("audience", "watch", "12.5"),
                edit("delivery", "cache_hit_rate", "0.93"),
                edit("storage", "class", "\"standard\""),
            ],
        )
        .unwrap();
        assert_eq!(
            out,
            "[audience]\nwatch = 12.5   # minutes a month\ngeo = { us = 1.0 }\n\n[delivery]\ncdn = \"cloudfront\"\ncache_hit_rate = 0.93\n\n[storage]\nclass = \"standard\"\n"
        );
        assert_eq!(apply("not = = toml", &[]), None);
    }

    #[test]
    fn a_crlf_file_keeps_crlf_in_every_edit() {
        let src = "[audience]\r\ngeo = { us = 1.0 }   # where\r\n\r\n[[ladder.rungs]]\r\nname = \"hi\"\r\nvideo_kbps = 3000\r\n";
        let lone_lf = |t: &str| t.match_indices('\n').any(|(i, _)| !t[..i].ends_with('\r'));
        let added = set(src, "audience.watch_minutes_per_month", "9").unwrap();
        assert!(
            added.contains("# where\r\nwatch_minutes_per_month = 9\r\n"),
            "{added:?}"
        );
        let section = set(src, "delivery.cdn", "\"none\"").unwrap();
        assert!(
            section.ends_with("\r\n[delivery]\r\ncdn = \"none\"\r\n"),
            "{section:?}"
        );
        let applied = apply(
            src,
            &[Edit {
                section: "storage".into(),
                key: "class".into(),
                value: "\"standard\"".into(),
            }],
        )
        .unwrap();
        let rungs = arrange_rungs(
            src,
            &[
                RungText::Existing(0),
                RungText::New(rung_table(&[("name", "\"lo\"".into())])),
            ],
        )
        .unwrap();
        for out in [&added, &section, &applied, &rungs] {
            assert!(!lone_lf(out), "{out:?}");
        }
        // A file with bare line feeds keeps them.
        let lf = src.replace("\r\n", "\n");
        assert!(
            !set(&lf, "audience.watch_minutes_per_month", "9")
                .unwrap()
                .contains('\r')
        );
    }

    const LADDER: &str = "[ladder]\nsegment_seconds = 6\n\n[[ladder.rungs]]\nname = \"hi\"  # top\nvideo_kbps = 3000\n\n[[ladder.rungs]]\nname = \"lo\"\nvideo_kbps = 800\n\n# Who watches.\n[audience]\ngeo = { us = 1.0 }\n";

    #[test]
    fn set_reaches_rungs_inline_tables_and_new_sections() {
        let out = set(LADDER, "ladder.rungs[2].video_kbps", "900").unwrap();
        assert!(out.contains("name = \"lo\"\nvideo_kbps = 900\n"), "{out}");
        let out = set(&out, "ladder.rungs[1].fps", "30").unwrap();
        assert!(out.contains("video_kbps = 3000\nfps = 30\n"), "{out}");
        let out = set(&out, "audience.geo.europe", "0.5").unwrap();
        assert!(out.contains("geo = { us = 1.0, europe = 0.5 }"), "{out}");
        let out = set(&out, "audience.geo.us", "0.5").unwrap();
        assert!(out.contains("geo = { us = 0.5, europe = 0.5 }"), "{out}");
        let out = set(&out, "delivery.cdn", "\"none\"").unwrap();
        assert!(out.ends_with("\n[delivery]\ncdn = \"none\"\n"), "{out}");
        assert!(out.contains("name = \"hi\"  # top"));
        assert!(matches!(
            set(LADDER, "ladder.rungs[5].video_kbps", "1"),
            Err(EditError::Path(PathError::NoItem { .. }))
        ));
        let by_name = set(LADDER, "ladder.rungs.lo.video_kbps", "700").unwrap();
        assert!(
            by_name.contains("name = \"lo\"\nvideo_kbps = 700\n"),
            "{by_name}"
        );
        assert_eq!(set("a = = 1", "a.b", "1"), Err(EditError::Syntax));
        assert!(set(LADDER, "ladder.segment_seconds.x", "1").is_err());
        assert!(set(LADDER, "ladder.nosuch", "1").is_err());
        assert!(set(LADDER, "", "1").is_err());
        assert!(set(LADDER, "ladder.rungs[x].name", "1").is_err());
        assert!(set(LADDER, "ladder.rungs[0].name", "1").is_err());
    }

    #[test]
    fn a_value_that_is_not_toml_or_a_table_under_its_header_is_refused() {
        // What the text would become is checked, so the text stays editable.
        for value in [
            "[1, 2",
            "1 # and the rest",
            "{ a = 1",
            "\"open",
            "1\nb = 2",
            "",
        ] {
            assert_eq!(
                set(LADDER, "audience.geo.us", value),
                Err(EditError::NotAValue(value.to_string())),
                "{value:?}"
            );
        }
        let events = "[forecast]\nmonths = 12\n\n[[forecast.events]]\nmonth = 7\nlabel = \"x\"\n\n[forecast.events.set]\n\"delivery.cache_hit_rate\" = 0.9\n\n[[forecast.events.rungs]]\nname = \"a\"\n";
        for path in ["forecast.events[1].set", "forecast.events[1].rungs"] {
            assert_eq!(
                set(events, path, "{}"),
                Err(EditError::WrittenAsTables(path.to_string()))
            );
        }
        // Written inline, the same values are replaced whole.
        let inline = "[forecast]\n[[forecast.events]]\nmonth = 7\nset = { \"delivery.cache_hit_rate\" = 0.9 }\nrungs = [{ name = \"a\" }]\nseasonality = [1]\n";
        let out = set(
            inline,
            "forecast.events[1].set",
            "{ \"audience.geo.us\" = 0.5 }",
        )
        .unwrap();
        assert!(
            out.contains("set = { \"audience.geo.us\" = 0.5 }\n"),
            "{out}"
        );
        let out = set(
            &out,
            "forecast.events[1].rungs",
            "[{ name = \"b\" }, { name = \"c\" }]",
        )
        .unwrap();
        assert!(
            out.contains("rungs = [{ name = \"b\" }, { name = \"c\" }]\n"),
            "{out}"
        );
    }

    /// A list written as `[[forecast.events]]` tables, set whole (the form's Add and ✕): the
    /// tables it keeps keep their text and comments, a new one is written as a table of its
    /// own after them, and the sections around stay.
    #[test]
    fn a_list_of_tables_is_rewritten_table_by_table() {
        let source = "[forecast]\nmonths = 12\n\n[[forecast.events]]\nmonth = 7\nlabel = \"launch\"\nset = { \"audience.geo.south_america\" = 0.08 }    # Brazil\n\n[[forecast.events]]\nmonth = 9\nlabel = \"ladder\"\n\n[[forecast.events.rungs]]\nname = \"a\"\n\n# The end.\n[after]\nx = 1\n";
        // Removed: the first goes, the second keeps its sub-table.
        let second = "[{ month = 9, label = \"ladder\", rungs = [{ name = \"a\" }] }]";
        let out = set(source, "forecast.events", second).unwrap();
        assert_eq!(
            out,
            "[forecast]\nmonths = 12\n\n[[forecast.events]]\nmonth = 9\nlabel = \"ladder\"\n\n[[forecast.events.rungs]]\nname = \"a\"\n\n# The end.\n[after]\nx = 1\n"
        );
        // Added: a copy of the first after both, the first with its comment.
        let three = "[{ month = 7, label = \"launch\", set = { \"audience.geo.south_america\" = 0.08 } }, { month = 9, label = \"ladder\", rungs = [{ name = \"a\" }] }, { month = 7, label = \"launch\", set = { \"audience.geo.south_america\" = 0.08 } }]";
        let out = set(source, "forecast.events", three).unwrap();
        assert!(out.contains("= 0.08 }    # Brazil\n"), "{out}");
        assert!(
            out.contains("name = \"a\"\n\n[[forecast.events]]\nlabel = \"launch\"\nmonth = 7\nset = { \"audience.geo.south_america\" = 0.08 }\n\n# The end.\n[after]\n"),
            "{out}"
        );
        let reread: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(reread["forecast"]["events"].as_array().unwrap().len(), 3);
        // Emptied: the tables go, the sections around stay.
        let out = set(source, "forecast.events", "[]").unwrap();
        assert_eq!(
            out,
            "[forecast]\nmonths = 12\n\n# The end.\n[after]\nx = 1\n"
        );
        // Not a list of tables: refused, the text as it was.
        assert!(matches!(
            set(source, "forecast.events", "[1, 2]"),
            Err(EditError::NotAValue(_))
        ));
    }

    /// The form's way through a list: every event removed, an empty one added, its fields
    /// typed one by one. Each key lands in its own table (not under `[forecast.growth]`,
    /// the last sub-table of `[forecast]`; inside the new item's braces), and the file reads
    /// with the new event.
    #[test]
    fn an_event_removed_added_and_typed_in_lands_in_its_table() {
        let text = include_str!("../../../../scenarios/ugc-short-form.toml");
        let mut out = set(text, "forecast.events", "[]").unwrap();
        assert!(!out.contains("[[forecast.events]]"), "{out}");
        out = set(&out, "forecast.events", "[{  }]").unwrap();
        for (path, value) in [
            ("forecast.events[1].month", "\"7\""),
            ("forecast.events[1].label", "\"launch in Japan\""),
            (
                "forecast.events[1].set",
                "{ \"audience.geo.japan\" = 0.05 }",
            ),
        ] {
            out = set(&out, path, value).unwrap();
            let growth = &out[out.find("[forecast.growth]").unwrap()..];
            assert!(
                !growth.contains("events") && !growth.contains("Japan"),
                "{growth}"
            );
        }
        assert!(
            out.contains("events = [{ month = \"7\", label = \"launch in Japan\", set = { \"audience.geo.japan\" = 0.05 } }]\n"),
            "{out}"
        );
        let s = crate::scenario::Scenario::from_toml("ugc.toml", &out)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.forecast.events.len(), 1);
        assert_eq!(s.forecast.events[0].month, 7);
        assert_eq!(s.forecast.events[0].label, "launch in Japan");
    }

    #[test]
    fn rungs_move_go_and_come_keeping_their_comments() {
        let blocks = rung_blocks(LADDER).unwrap();
        assert_eq!(blocks.len(), 2);
        assert!(LADDER[blocks[1].clone()].ends_with("800\n\n"));
        let swapped =
            arrange_rungs(LADDER, &[RungText::Existing(1), RungText::Existing(0)]).unwrap();
        assert_eq!(
            swapped,
            "[ladder]\nsegment_seconds = 6\n\n[[ladder.rungs]]\nname = \"lo\"\nvideo_kbps = 800\n\n[[ladder.rungs]]\nname = \"hi\"  # top\nvideo_kbps = 3000\n\n# Who watches.\n[audience]\ngeo = { us = 1.0 }\n"
        );
        let removed = arrange_rungs(LADDER, &[RungText::Existing(0)]).unwrap();
        assert_eq!(
            removed,
            "[ladder]\nsegment_seconds = 6\n\n[[ladder.rungs]]\nname = \"hi\"  # top\nvideo_kbps = 3000\n\n# Who watches.\n[audience]\ngeo = { us = 1.0 }\n"
        );
        let new = rung_table(&[
            ("name", toml_string("mid \"q\"")),
            ("video_kbps", "1500".into()),
        ]);
        let added = arrange_rungs(
            LADDER,
            &[
                RungText::Existing(0),
                RungText::New(new),
                RungText::Existing(1),
            ],
        )
        .unwrap();
        assert!(added.contains("3000\n\n[[ladder.rungs]]\nname = \"mid \\\"q\\\"\"\nvideo_kbps = 1500\n\n[[ladder.rungs]]\nname = \"lo\""), "{added}");
        assert_eq!(rung_blocks(&added).unwrap().len(), 3);
        assert_eq!(
            arrange_rungs(LADDER, &[RungText::Existing(7)]),
            Err(EditError::NoRung { rung: 8, count: 2 })
        );
        let inline = "[ladder]\nrungs = [{ name = \"a\" }]\n";
        assert_eq!(rung_blocks(inline), Err(EditError::InlineRungs));
    }
}
