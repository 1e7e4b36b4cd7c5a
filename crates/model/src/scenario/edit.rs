//! Changing values in a scenario file's text while keeping everything else: comments, layout,
//! key order. Used to write a calibrated copy of a user's scenario.

use toml::de::{DeTable, DeValue};

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
}
