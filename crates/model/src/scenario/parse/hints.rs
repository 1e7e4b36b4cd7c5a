//! Hints: what the user probably meant (a typo's nearest word, a value in the unit the field
//! wants, a codec's scenario name).

use std::str::FromStr;

use rust_decimal::Decimal;
use toml::de::DeValue;

use super::values::{parse_float, parse_integer};
use crate::scenario::Codec;
use crate::scenario::diagnostics::line_column;
use crate::scenario::fields::Unit;

pub(crate) fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Audio codecs people name (HLS `CODECS` and MediaConvert's): none is a rung's codec.
const AUDIO_CODECS: [&str; 9] = [
    "aac", "mp4a", "he-aac", "opus", "ac3", "ac-3", "eac3", "ec-3", "mp3",
];

pub(crate) fn choice_hint(text: &str, names: &[&str]) -> String {
    let lower = text.to_lowercase();
    if let Some((_, name)) = Codec::ALIASES.iter().find(|(alias, _)| *alias == lower)
        && names.contains(name)
    {
        return format!(
            "write \"{name}\" for `{text}`; the choices are: {}",
            quoted_list(names)
        );
    }
    // An audio codec where a video codec goes (a rung's `codec`): not a typo of one.
    if names.contains(&Codec::Avc.name()) && AUDIO_CODECS.contains(&lower.as_str()) {
        return format!(
            "`{text}` is an audio codec and a rung's `codec` is its video's: write one of {}; a rung's audio is its `audio_kbps`, or one separate rendition with `ladder.audio = \"separate\"`",
            quoted_list(names)
        );
    }
    match closest(text, names) {
        Some(c) => format!("did you mean \"{c}\"? write one of: {}", quoted_list(names)),
        None => format!("write one of: {}", quoted_list(names)),
    }
}

/// The allowed word nearest to `word`, if it is near enough to be a typo; an abbreviation of
/// one word alone (`eu` for `europe`) before a word one letter away (`us`).
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let mut starting = candidates
        .iter()
        .filter(|c| lower.len() >= 2 && c.len() > lower.len() && c.starts_with(lower.as_str()));
    if let (Some(only), None) = (starting.next(), starting.next()) {
        return Some(only);
    }
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Bitrate units people write, with their size in kilobits per second. Case matters:
/// `Mbps` is megabits, `MBps` megabytes.
const BITRATE_UNITS: &[(&str, i64, i64)] = &[
    // (unit, numerator, denominator) in kbps
    ("bps", 1, 1000),
    ("kbps", 1, 1),
    ("kbit/s", 1, 1),
    ("Kbps", 1, 1),
    ("mbps", 1000, 1),
    ("Mbps", 1000, 1),
    ("Mbit/s", 1000, 1),
    ("gbps", 1_000_000, 1),
    ("Gbps", 1_000_000, 1),
    ("kBps", 8, 1),
    ("KBps", 8, 1),
    ("MBps", 8000, 1),
    ("GBps", 8_000_000, 1),
];

/// Duration units with their size in minutes.
const DURATION_UNITS: &[(&str, i64, i64)] = &[
    ("seconds", 1, 60),
    ("secs", 1, 60),
    ("s", 1, 60),
    ("minutes", 1, 1),
    ("mins", 1, 1),
    ("min", 1, 1),
    ("hours", 60, 1),
    ("hrs", 60, 1),
    ("h", 60, 1),
    ("days", 1440, 1),
];

/// For a key like `video_mbps` or `new_hours_per_month`, the key the user meant and the value
/// converted to its unit.
pub(super) fn unit_mixup_hint(key: &str, value: &DeValue, allowed: &[&str]) -> Option<String> {
    let number = match value {
        DeValue::Integer(i) => parse_integer(i.as_str(), i.radix()),
        DeValue::Float(f) => parse_float(f.as_str()),
        _ => None,
    };
    // Exact case first, so `video_MBps` is read as megabytes and `video_Mbps` as megabits.
    for exact in [true, false] {
        for target in allowed {
            let (units, expected) = if target.contains("kbps") {
                (BITRATE_UNITS, "kbps")
            } else if target.contains("minutes") {
                (DURATION_UNITS, "minutes")
            } else {
                continue;
            };
            for (unit, num, den) in units {
                let candidate = target.replacen(expected, unit, 1);
                let same = if exact {
                    candidate == key
                } else {
                    candidate.eq_ignore_ascii_case(key)
                };
                if *unit == expected || !same {
                    continue;
                }
                let converted = number.map(|n| n * Decimal::from(*num) / Decimal::from(*den));
                let what = if expected == "kbps" {
                    "bitrates are written in kilobits per second"
                } else {
                    "durations are written in minutes"
                };
                return Some(match converted {
                    Some(c) => format!("{what}: write `{target} = {}`", c.normalize()),
                    None => format!("{what}: write `{target} = …`"),
                });
            }
        }
    }
    None
}

/// A hint for a number written as a string, converting `"3 Mbps"` or `"2.5 hours"` into the
/// field's unit where possible.
pub(super) fn string_number_hint(key: &str, text: &str, unit: Unit) -> String {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    let (digits, suffix) = t.split_at(split);
    let suffix = suffix.trim();
    let amount = Decimal::from_str(&digits.replace('_', "")).ok();
    let table = match unit {
        Unit::Kbps => BITRATE_UNITS,
        Unit::Minutes => DURATION_UNITS,
        _ => &[],
    };
    if let Some(amount) = amount {
        if suffix.is_empty() {
            return format!("remove the quotes: `{key} = {}`", amount.normalize());
        }
        if let Some((_, num, den)) = table.iter().find(|(u, _, _)| *u == suffix) {
            let v = amount * Decimal::from(*num) / Decimal::from(*den);
            let note = if suffix.contains('B') {
                format!(" ({suffix} counts bytes; {key} counts bits)")
            } else {
                String::new()
            };
            let comma = if unit.phrase().is_empty() { "" } else { "," };
            return format!(
                "write the number alone{comma}{}: `{key} = {}`{note}",
                unit.phrase(),
                v.normalize()
            );
        }
    }
    format!("write a number{} without quotes", unit.phrase())
}

/// What a TOML "duplicate key" error at `span` is, said in the file's terms.
pub(crate) struct Duplicate {
    pub message: String,
    pub hint: String,
    /// For a table header written twice, the second table's body (up to the next header).
    pub table_body: Option<std::ops::Range<usize>>,
}

/// The headers of `source`: each `[…]` or `[[…]]` line's start and its text, trimmed.
fn headers(source: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    source.split_inclusive('\n').filter_map(move |line| {
        let start = at;
        at += line.len();
        let text = line.trim();
        text.starts_with('[').then(|| {
            let end = text.find(']').map_or(text.len(), |i| i + 1);
            let end = if text[..end].starts_with("[[") && text[end..].starts_with(']') {
                end + 1
            } else {
                end
            };
            (start, &text[..end])
        })
    })
}

/// The table a header names, brackets and spaces left out: `[[ ladder.rungs ]]` is
/// `ladder.rungs`.
fn table_name(header: &str) -> String {
    header.trim_matches(['[', ']']).replace(' ', "")
}

/// A key or a table header written twice: toml says "duplicate key" for both. A table
/// header points at the first one's line and tells to merge; a key points at its first
/// setting in the same table, or at the table of its name that already wrote it.
pub(crate) fn duplicate(source: &str, span: &std::ops::Range<usize>) -> Duplicate {
    let line_of = |at: usize| line_column(source, at).0;
    let at = span.start.min(source.len());
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = source[line_start..].lines().next().unwrap_or("").trim();
    let before = || headers(source).take_while(move |(at, _)| *at < line_start);
    if line.starts_with('[') {
        let header = headers(&source[line_start..])
            .next()
            .map_or(line, |(_, h)| h);
        let first = before().find(|(_, h)| table_name(h) == table_name(header));
        let body_end = headers(source)
            .map(|(at, _)| at)
            .find(|at| *at > line_start)
            .unwrap_or(source.len());
        let hint = match first {
            Some((at, _)) => format!(
                "a table is written once: move these keys into the `{header}` on line {}",
                line_of(at)
            ),
            None => format!("a table is written once: merge the two `{header}` tables"),
        };
        return Duplicate {
            message: format!("invalid TOML: the table `{header}` is written twice"),
            hint,
            table_body: Some(line_start..body_end),
        };
    }
    let key = source
        .get(span.clone())
        .unwrap_or("")
        .trim()
        .trim_matches('"');
    // The table the key is in starts at the last header before it.
    let enclosing = before().last();
    let table_start = enclosing.map_or(0, |(at, _)| at);
    let first = source[table_start..line_start]
        .split_inclusive('\n')
        .scan(table_start, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l))
        })
        .find(|(_, l)| {
            l.split_once('=')
                .is_some_and(|(k, _)| k.trim().trim_matches('"') == key)
        });
    // Or as a table of its own: `[[ladder.rungs]]` before `rungs = […]` in `[ladder]`.
    let own = enclosing.map_or(key.to_string(), |(_, h)| format!("{}.{key}", table_name(h)));
    let hint = match (first, headers(source).find(|(_, h)| table_name(h) == own)) {
        (Some((at, _)), _) => format!(
            "`{key}` is already set on line {} of this table: keep one of the two",
            line_of(at)
        ),
        (None, Some((at, h))) => format!(
            "`{key}` is already written as `{h}` on line {}: keep one of the two",
            line_of(at)
        ),
        (None, None) => format!("`{key}` is set twice in this table: keep one of the two"),
    };
    Duplicate {
        message: format!("invalid TOML: `{key}` is set twice"),
        hint,
        table_body: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(
            closest("vidoe_kbps", &["video_kbps", "audio_kbps"]),
            Some("video_kbps")
        );
        assert_eq!(closest("colour", &["video_kbps", "audio_kbps"]), None);
        assert_eq!(closest("eu", &["us", "europe", "india"]), Some("europe"));
        assert_eq!(closest("EU", &["us", "europe", "india"]), Some("europe"));
        assert_eq!(closest("in", &["india", "indonesia"]), None);
    }

    #[test]
    fn unit_mixups_are_converted() {
        let v = DeValue::Float(Default::default());
        assert!(unit_mixup_hint("video_mbps", &v, &["video_kbps"]).is_some());
        assert_eq!(
            string_number_hint("video_kbps", "3 Mbps", Unit::Kbps),
            "write the number alone, in kilobits per second: `video_kbps = 3000`"
        );
        assert_eq!(
            string_number_hint("video_kbps", "0.5 MBps", Unit::Kbps),
            "write the number alone, in kilobits per second: `video_kbps = 4000` (MBps counts bytes; video_kbps counts bits)"
        );
        assert_eq!(
            string_number_hint("avg_title_minutes", "2 hours", Unit::Minutes),
            "write the number alone, in minutes: `avg_title_minutes = 120`"
        );
    }
}
