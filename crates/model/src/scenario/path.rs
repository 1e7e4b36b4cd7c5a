//! One way to name a field of a scenario, parsed in one place.
//!
//! - `delivery.cache_hit_rate`: a plain field;
//! - `ladder.rungs[2].video_kbps`: the second rung, counted from 1 as the reader's
//!   diagnostics count them (`storage.lifecycle[1].after_days` likewise);
//! - `ladder.rungs.720p.video_kbps`: a rung by its name;
//! - `audience.geo.europe`: one geography's share.
//!
//! Sweeps, the editor's text edits, sensitivity runs and solves all take these paths.

use std::fmt;

use super::Geography;
use super::fields::{self, Field, FieldValue, Kind, RuleError};
use super::forecast::Driver;
use super::parse::hints::{closest, quoted_list};
use crate::scenario::Scenario;

/// The lists whose items a path can pick, by position or (rungs) by name.
const LISTS: [&str; 3] = ["ladder.rungs", "storage.lifecycle", "forecast.events"];

/// The table whose keys are geographies.
const GEO: &str = "audience.geo";

/// The table whose keys are the drivers a forecast grows (themselves field paths).
const GROWTH: &str = "forecast.growth";

/// Which item of a list or table a path picks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A list item by position, counted from 0 (written from 1).
    Position(usize),
    /// A rung by its name.
    Name(String),
    /// A key of a table (`audience.geo.<key>`).
    Key(String),
}

/// A parsed field path: the field of the table it names, and the item of a list or table.
#[derive(Clone, Debug)]
pub struct FieldPath {
    pub field: &'static Field,
    pub item: Option<Item>,
}

/// Why a path names no field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("`{path}` is not a field of the scenario\nhint: {hint}")]
    Unknown { path: String, hint: String },
    #[error("`{path}` counts from 0, but positions count from 1\nhint: the first is `{first}`")]
    FromZero { path: String, first: String },
    #[error("`{path}`: there is no {what} {which}\nhint: {hint}")]
    NoItem {
        path: String,
        what: &'static str,
        which: String,
        hint: String,
    },
    #[error("`{path}` cannot be {value}\nhint: {hint}")]
    Rule {
        path: String,
        value: String,
        hint: String,
    },
    /// A value the field takes, which another field of the scenario rules out.
    #[error("`{path}`: {message}\nhint: {hint}")]
    Conflict {
        path: String,
        message: String,
        hint: String,
    },
}

impl FieldPath {
    /// Parses a path; it must name a field of the table.
    pub fn parse(text: &str) -> Result<FieldPath, PathError> {
        let text = text.trim();
        if let Some(field) = fields::find(text).filter(|f| !is_template(f.path)) {
            return Ok(FieldPath { field, item: None });
        }
        for list in LISTS {
            let Some(rest) = text.strip_prefix(list) else {
                continue;
            };
            let (item, key) = if let Some(after) = rest.strip_prefix('[') {
                let (number, key) = after.split_once("].").ok_or_else(|| unknown(text))?;
                let n: usize = number.trim().parse().map_err(|_| unknown(text))?;
                if n == 0 {
                    return Err(PathError::FromZero {
                        path: text.to_string(),
                        first: format!("{list}[1].{key}"),
                    });
                }
                (Item::Position(n - 1), key)
            } else if let Some(after) = rest.strip_prefix('.') {
                let (name, key) = after.rsplit_once('.').ok_or_else(|| unknown(text))?;
                if name.is_empty() || list != "ladder.rungs" {
                    return Err(unknown(text));
                }
                (Item::Name(name.to_string()), key)
            } else {
                continue;
            };
            let template = format!("{list}[N].{key}");
            let field = fields::find(&template).ok_or_else(|| {
                let keys = fields::keys(&format!("{list}[N]"));
                PathError::Unknown {
                    path: text.to_string(),
                    hint: match closest(key, &keys) {
                        Some(c) => format!("did you mean `{}`?", text.replacen(key, c, 1)),
                        None => format!("the keys of each item are: {}", quoted_list(&keys)),
                    },
                }
            })?;
            return Ok(FieldPath {
                field,
                item: Some(item),
            });
        }
        if let Some(key) = text.strip_prefix(GEO).and_then(|r| r.strip_prefix('.'))
            && !key.is_empty()
            && !key.contains('.')
        {
            let field = fields::find("audience.geo.<geography>").ok_or_else(|| unknown(text))?;
            return Ok(FieldPath {
                field,
                item: Some(Item::Key(key.to_string())),
            });
        }
        if let Some((driver, key)) = text
            .strip_prefix(GROWTH)
            .and_then(|r| r.strip_prefix('.'))
            .and_then(|r| r.rsplit_once('.'))
            && !driver.is_empty()
        {
            let template = format!("{GROWTH}.<driver>.{key}");
            let field = fields::find(&template).ok_or_else(|| {
                let keys = fields::keys(&format!("{GROWTH}.<driver>"));
                PathError::Unknown {
                    path: text.to_string(),
                    hint: format!("a growth takes: {}", quoted_list(&keys)),
                }
            })?;
            return Ok(FieldPath {
                field,
                item: Some(Item::Key(driver.to_string())),
            });
        }
        Err(unknown(text))
    }

    /// Whether the path names a forecast growth (`forecast.growth.<driver>.compound`).
    pub fn is_growth(&self) -> bool {
        self.field.path.starts_with(GROWTH)
    }

    /// The position of the list item the path picks, given the names of the rungs (for a
    /// path that names a rung) and the length of the list.
    pub fn position(&self, names: &[&str], len: usize) -> Result<Option<usize>, PathError> {
        let list = self.list();
        match &self.item {
            Some(Item::Position(i)) if *i < len => Ok(Some(*i)),
            Some(Item::Position(i)) => Err(PathError::NoItem {
                path: self.to_string(),
                what: match list {
                    Some("ladder.rungs") => "rung",
                    Some("forecast.events") => "event",
                    _ => "rule",
                },
                which: format!("at position {}", i + 1),
                hint: format!("positions run from 1 to {len}"),
            }),
            Some(Item::Name(name)) => {
                names
                    .iter()
                    .position(|n| n == name)
                    .map(Some)
                    .ok_or_else(|| PathError::NoItem {
                        path: self.to_string(),
                        what: "rung",
                        which: format!("named `{name}`"),
                        hint: format!("the rungs are: {}", quoted_list(names)),
                    })
            }
            _ => Ok(None),
        }
    }

    /// The list the path picks an item of (`ladder.rungs`), if any.
    pub fn list(&self) -> Option<&'static str> {
        LISTS
            .into_iter()
            .find(|l| self.field.path.starts_with(&format!("{l}[N].")))
    }

    /// The index the field's accessor takes: the list position, or the geography's place in
    /// [`Geography::ALL`].
    pub(crate) fn index(&self, s: &Scenario) -> Result<usize, PathError> {
        match &self.item {
            None => Ok(0),
            Some(Item::Key(key)) if self.is_growth() => Driver::ALL
                .iter()
                .position(|d| d.path() == *key)
                .ok_or_else(|| {
                    let keys: Vec<String> = Driver::ALL.iter().map(|d| d.path()).collect();
                    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                    PathError::NoItem {
                        path: self.to_string(),
                        what: "driver that grows",
                        which: format!("`{key}`"),
                        hint: format!("the drivers are: {}", quoted_list(&keys)),
                    }
                }),
            Some(Item::Key(key)) => Geography::ALL
                .iter()
                .position(|g| g.key() == key)
                .ok_or_else(|| {
                    let keys: Vec<&str> = Geography::ALL.iter().map(|g| g.key()).collect();
                    PathError::NoItem {
                        path: self.to_string(),
                        what: "geography",
                        which: format!("`{key}`"),
                        hint: format!("the geographies are: {}", quoted_list(&keys)),
                    }
                }),
            Some(_) => {
                let names: Vec<&str> = s.ladder.rungs.iter().map(|r| r.name.as_str()).collect();
                let len = match self.list() {
                    Some("ladder.rungs") => s.ladder.rungs.len(),
                    Some("forecast.events") => s.forecast.events.len(),
                    _ => s.storage.lifecycle.len(),
                };
                Ok(self.position(&names, len)?.unwrap_or(0))
            }
        }
    }

    /// The field's value in a scenario.
    pub fn get(&self, s: &Scenario) -> Result<FieldValue, PathError> {
        let i = self.index(s)?;
        self.field
            .access
            .and_then(|a| (a.get)(s, i))
            .ok_or_else(|| PathError::Unknown {
                path: self.to_string(),
                hint: "this field is edited as a whole, not read as one value".into(),
            })
    }

    /// Sets the field in a scenario, checked by the field's rule as the file would be.
    pub fn set(&self, s: &mut Scenario, value: &FieldValue) -> Result<(), PathError> {
        let i = self.index(s)?;
        let access = self.field.access.ok_or_else(|| PathError::Unknown {
            path: self.to_string(),
            hint: "this field is edited as a whole, not set as one value".into(),
        })?;
        self.field
            .check(value)
            .map_err(|e| self.rule_error(value, e))?;
        // The rules that tie fields together, as the file has them: an audio bitrate only
        // where the ladder's audio layout carries one.
        let audio_set = match self.field.path {
            "ladder.audio_kbps" => Some(false),
            "ladder.rungs[N].audio_kbps" => Some(true),
            _ => None,
        };
        if let Some(on_rung) = audio_set
            && value.number().is_some_and(|v| !v.is_zero())
            && let Some((message, hint)) = crate::scenario::misplaced_audio(s.ladder.audio, on_rung)
        {
            return Err(PathError::Conflict {
                path: self.to_string(),
                message: message.into(),
                hint: hint.into(),
            });
        }
        (access.set)(s, i, value);
        Ok(())
    }

    /// A broken rule, worded for this path.
    pub fn rule_error(&self, value: &FieldValue, e: RuleError) -> PathError {
        let shown = match value {
            FieldValue::Number(n) => n.normalize().to_string(),
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Text(t) => format!("\"{t}\""),
        };
        // Worded for a value set by path (a sweep's range, a solve's, the form), not for a
        // line of a file: what the field takes, in its unit.
        let takes = match &self.field.kind {
            Kind::Number { rule } => {
                let percent = if matches!(e, RuleError::NotAFraction(_)) {
                    " (0.02 for 2 %)"
                } else {
                    ""
                };
                if rule.is_fraction() {
                    format!("a fraction from 0 to 1{percent}")
                } else {
                    format!("a {}{}{percent}", rule.describe(), self.field.unit.phrase())
                }
            }
            _ => self.field.type_text(),
        };
        PathError::Rule {
            path: self.to_string(),
            value: shown,
            hint: format!("`{self}` takes {takes}"),
        }
    }

    /// Whether the field is a number.
    pub fn is_number(&self) -> bool {
        matches!(self.field.kind, Kind::Number { .. })
    }
}

impl PartialEq for FieldPath {
    fn eq(&self, other: &Self) -> bool {
        self.field.path == other.field.path && self.item == other.item
    }
}

impl fmt::Display for FieldPath {
    /// The path as written: positions from 1, names as given.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.field.path;
        match &self.item {
            None => f.write_str(path),
            Some(Item::Key(key)) if self.is_growth() => {
                write!(f, "{GROWTH}.{key}.{}", self.field.key())
            }
            Some(Item::Key(key)) => write!(f, "{GEO}.{key}"),
            Some(Item::Position(i)) => {
                f.write_str(&path.replacen("[N]", &format!("[{}]", i + 1), 1))
            }
            Some(Item::Name(name)) => f.write_str(&path.replacen("[N]", &format!(".{name}"), 1)),
        }
    }
}

fn is_template(path: &str) -> bool {
    path.contains("[N]") || path.contains('<')
}

fn unknown(text: &str) -> PathError {
    let candidates: Vec<String> = fields::FIELDS
        .iter()
        .filter(|f| f.access.is_some() || !is_template(f.path))
        .map(|f| {
            f.path
                .replacen("[N]", "[1]", 1)
                .replacen("<geography>", "us", 1)
                .replacen("<driver>", "content.new_minutes_per_month", 1)
        })
        .collect();
    let refs: Vec<&str> = candidates.iter().map(String::as_str).collect();
    let hint = match closest(text, &refs) {
        Some(c) => format!("did you mean `{c}`?"),
        None => "fields are written like `delivery.cache_hit_rate`, `ladder.rungs[1].video_kbps` (rungs from 1) or `ladder.rungs.720p.video_kbps` (by name); docs/scenario.md lists them".into(),
    };
    PathError::Unknown {
        path: text.to_string(),
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, field: &str, item: Option<Item>, shown: &str) {
        let p = FieldPath::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(p.field.path, field, "{text}");
        assert_eq!(p.item, item, "{text}");
        assert_eq!(p.to_string(), shown, "{text}");
    }

    #[test]
    fn paths_parse_one_way() {
        check(
            "delivery.cache_hit_rate",
            "delivery.cache_hit_rate",
            None,
            "delivery.cache_hit_rate",
        );
        check(
            "ladder.rungs[2].video_kbps",
            "ladder.rungs[N].video_kbps",
            Some(Item::Position(1)),
            "ladder.rungs[2].video_kbps",
        );
        check(
            "ladder.rungs.720p copy.audio_kbps",
            "ladder.rungs[N].audio_kbps",
            Some(Item::Name("720p copy".into())),
            "ladder.rungs.720p copy.audio_kbps",
        );
        check(
            "audience.geo.europe",
            "audience.geo.<geography>",
            Some(Item::Key("europe".into())),
            "audience.geo.europe",
        );
        check(
            "storage.lifecycle[1].after_days",
            "storage.lifecycle[N].after_days",
            Some(Item::Position(0)),
            "storage.lifecycle[1].after_days",
        );
        check(
            "storage.lifecycle",
            "storage.lifecycle",
            None,
            "storage.lifecycle",
        );
    }

    #[test]
    fn bad_paths_say_what_to_write() {
        let zero = FieldPath::parse("ladder.rungs[0].video_kbps").unwrap_err();
        assert!(
            zero.to_string().contains("`ladder.rungs[1].video_kbps`"),
            "{zero}"
        );
        let typo = FieldPath::parse("delivery.cache_hitrate").unwrap_err();
        assert!(
            typo.to_string()
                .contains("did you mean `delivery.cache_hit_rate`"),
            "{typo}"
        );
        let key = FieldPath::parse("ladder.rungs[1].vidoe_kbps").unwrap_err();
        assert!(key.to_string().contains("video_kbps"), "{key}");
        assert!(FieldPath::parse("ladder.rungs[x].video_kbps").is_err());
        assert!(FieldPath::parse("").is_err());
        let p = FieldPath::parse("ladder.rungs.nosuch.video_kbps").unwrap();
        let e = p.position(&["720p", "360p"], 2).unwrap_err();
        assert!(e.to_string().contains("`720p`, `360p`"), "{e}");
    }
}
