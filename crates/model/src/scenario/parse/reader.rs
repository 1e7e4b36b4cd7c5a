//! The reader's building blocks: one value of a section read by its field's rule, with every
//! problem recorded as a [`Diagnostic`] and the reading carried on.

use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::hints::{choice_hint, closest, quoted_list, string_number_hint, unit_mixup_hint};
use super::values::{parse_float, parse_integer, too_precise, type_name};
use crate::scenario::diagnostics::Diagnostic;
use crate::scenario::fields::{self, DefaultValue, Field, RuleError};

pub(super) type Span = Range<usize>;

/// A table of the document with the dotted path it was reached by.
pub(super) struct Section<'a, 'i> {
    pub path: String,
    pub table: &'a DeTable<'i>,
    pub span: Span,
}

impl Section<'_, '_> {
    pub fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub fn get(&self, key: &str) -> Option<(&Spanned<DeValue<'_>>, Span)> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, v)| (v, k.span()))
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The span of `key`'s value, or of the section when it is absent.
    pub fn value_span(&self, key: &str) -> Span {
        self.get(key).map_or(self.span.clone(), |(v, _)| v.span())
    }
}

pub(super) struct Reader<'s> {
    pub source: &'s str,
    pub diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    pub fn push(&mut self, field: &str, span: Span, message: String, hint: Option<String>) {
        self.diags
            .push(Diagnostic::at(self.source, field, span, message, hint));
    }

    /// Reports every key of `s` that is not in `allowed`, with the closest allowed key or,
    /// for a unit mix-up such as `video_mbps`, the value converted to the unit expected.
    pub fn known_keys(&mut self, s: &Section, allowed: &[&str]) {
        for (k, v) in s.table.iter() {
            let key = k.get_ref().as_ref();
            if allowed.contains(&key) {
                continue;
            }
            let hint =
                unit_mixup_hint(key, v.get_ref(), allowed).unwrap_or_else(|| {
                    match closest(key, allowed) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("the keys here are: {}", quoted_list(allowed)),
                    }
                });
            let place = if s.path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in [{}]", s.path)
            };
            self.push(
                &s.field(key),
                k.span(),
                format!("unknown key `{key}` {place}"),
                Some(hint),
            );
        }
    }

    /// [`Reader::known_keys`] with the keys the field table lists for `section`.
    pub fn known_fields(&mut self, s: &Section, section: &str) {
        let keys = fields::keys(section);
        self.known_keys(s, &keys);
    }

    pub fn section<'a, 'i>(
        &mut self,
        parent: &Section<'a, 'i>,
        key: &str,
        required: bool,
    ) -> Option<Section<'a, 'i>> {
        let path = parent.field(key);
        let Some((v, _)) = parent
            .table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, v)| (v, k.span()))
        else {
            if required {
                self.push(
                    &path,
                    parent.span.clone(),
                    format!("missing section [{path}]"),
                    Some(format!(
                        "add a `[{path}]` table; docs/scenario.md lists its fields"
                    )),
                );
            }
            return None;
        };
        match v.get_ref() {
            DeValue::Table(t) => Some(Section {
                path,
                table: t,
                span: v.span(),
            }),
            other => {
                self.push(
                    &path,
                    v.span(),
                    format!("`{key}` must be a table, not {}", type_name(other)),
                    Some(format!("write it as a `[{path}]` section")),
                );
                None
            }
        }
    }

    /// The entries of a list of tables, each with its path (`ladder.rungs[2]`, counted from 1)
    /// and its index in the list. Entries that are not tables are reported and left out.
    pub fn array_of_tables<'a, 'i>(
        &mut self,
        parent: &Section<'a, 'i>,
        key: &str,
    ) -> Vec<(usize, Section<'a, 'i>)> {
        let path = parent.field(key);
        let Some(v) = parent
            .table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
        else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.push(
                &path,
                v.span(),
                format!(
                    "`{key}` must be a list of tables, not {}",
                    type_name(v.get_ref())
                ),
                Some(format!("write each entry as a `[[{path}]]` table")),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((
                    i,
                    Section {
                        path: format!("{path}[{}]", i + 1),
                        table: t,
                        span: item.span(),
                    },
                )),
                other => self.push(
                    &format!("{path}[{}]", i + 1),
                    item.span(),
                    format!(
                        "entry {} of `{key}` must be a table, not {}",
                        i + 1,
                        type_name(other)
                    ),
                    Some(format!("write each entry as a `[[{path}]]` table")),
                ),
            }
        }
        out
    }

    pub fn missing(&mut self, s: &Section, key: &str, example: &str) {
        let place = if s.path.is_empty() {
            String::new()
        } else {
            format!(" in [{}]", s.path)
        };
        self.push(
            &s.field(key),
            s.span.clone(),
            format!("missing `{key}`{place}"),
            Some(format!("add `{key} = {example}`")),
        );
    }

    /// Reports a broken rule at `key` of `s`.
    fn broken(&mut self, s: &Section, key: &str, field: &Field, error: RuleError) {
        let span = s.value_span(key);
        self.push(
            &s.field(key),
            span,
            error.message(key),
            Some(error.hint(key, field.unit)),
        );
    }

    /// A number, checked by its field's rule. An absent field takes its default; without
    /// one it is reported missing.
    pub fn number(&mut self, s: &Section, field: &Field) -> Option<Decimal> {
        self.number_at(s, field.key(), field)
    }

    /// [`Reader::number`] under another key: a templated field such as
    /// `audience.geo.<geography>` read at `us`.
    pub fn number_at(&mut self, s: &Section, key: &str, field: &Field) -> Option<Decimal> {
        let rule = field.rule()?;
        let path = s.field(key);
        let Some((v, _)) = s.get(key) else {
            if let DefaultValue::Value(text) = field.default {
                return text.parse().ok();
            }
            // `video_mbps = 6` is reported as an unknown key with the converted value; saying
            // `video_kbps` is missing as well would only repeat it.
            let mixed_up = s
                .table
                .iter()
                .any(|(k, v)| unit_mixup_hint(k.get_ref().as_ref(), v.get_ref(), &[key]).is_some());
            if !mixed_up {
                self.missing(s, key, field.unit.example(key));
            }
            return None;
        };
        let span = v.span();
        let value = match v.get_ref() {
            DeValue::Integer(i) => parse_integer(i.as_str(), i.radix()),
            DeValue::Float(f) => {
                let text = f.as_str();
                if text.contains("nan") || text.contains("inf") {
                    self.push(
                        &path,
                        span,
                        format!("`{key}` must be a finite number, not `{text}`"),
                        Some(format!("write a number{}", field.unit.phrase())),
                    );
                    return None;
                }
                parse_float(text)
            }
            DeValue::String(text) => {
                let hint = string_number_hint(key, text, field.unit);
                self.push(
                    &path,
                    span,
                    format!("`{key}` must be a number, not the string \"{text}\""),
                    Some(hint),
                );
                return None;
            }
            other => {
                self.push(
                    &path,
                    span,
                    format!("`{key}` must be a number, not {}", type_name(other)),
                    Some(format!("write a number{}", field.unit.phrase())),
                );
                return None;
            }
        };
        let Some(value) = value else {
            let (message, hint) = match v.get_ref() {
                DeValue::Float(f) if too_precise(f.as_str()) => (
                    format!(
                        "`{key}` = {} has more decimal places than a scenario holds",
                        f.as_str()
                    ),
                    "write 0, or a number with at most 28 decimal places".to_string(),
                ),
                _ => (
                    format!("`{key}` is too large"),
                    format!(
                        "write a number no larger than {}",
                        crate::units::format_quantity(rule.max, 0)
                    ),
                ),
            };
            self.push(&path, span, message, Some(hint));
            return None;
        };
        match rule.check(value) {
            Ok(()) => Some(value),
            Err(e) => {
                self.broken(s, key, field, e);
                None
            }
        }
    }

    /// A string; `default` when absent, else reported missing.
    pub fn string(&mut self, s: &Section, key: &str, default: Option<&str>) -> Option<String> {
        let Some((v, _)) = s.get(key) else {
            if let Some(d) = default {
                return Some(d.to_string());
            }
            self.missing(s, key, "\"…\"");
            return None;
        };
        match v.get_ref() {
            DeValue::String(text) => Some(text.to_string()),
            other => {
                self.push(
                    &s.field(key),
                    v.span(),
                    format!("`{key}` must be a string, not {}", type_name(other)),
                    Some(format!("put the value in double quotes: `{key} = \"…\"`")),
                );
                None
            }
        }
    }

    /// A text field of the table.
    pub fn text(&mut self, s: &Section, field: &Field) -> Option<String> {
        let default = match field.default {
            DefaultValue::Value(v) => Some(v.trim_matches('"')),
            _ => None,
        };
        self.string(s, field.key(), default)
    }

    /// A boolean field, its default when absent.
    pub fn boolean(&mut self, s: &Section, field: &Field) -> Option<bool> {
        let key = field.key();
        let Some((v, _)) = s.get(key) else {
            return Some(field.default == DefaultValue::Value("true"));
        };
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let span = s.value_span(key);
                self.push(
                    &s.field(key),
                    span,
                    format!("`{key}` must be true or false, not {}", type_name(other)),
                    Some(format!("write `{key} = true` or `{key} = false`")),
                );
                None
            }
        }
    }

    /// A choice field read into one of `options`, its default when absent.
    pub fn choice<T: Copy>(
        &mut self,
        s: &Section,
        field: &Field,
        options: &[(&str, T)],
    ) -> Option<T> {
        let key = field.key();
        let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
        let Some((v, _)) = s.get(key) else {
            if let DefaultValue::Value(text) = field.default {
                let word = text.trim_matches('"');
                return options.iter().find(|(k, _)| *k == word).map(|(_, t)| *t);
            }
            self.missing(s, key, &format!("\"{}\"", names[0]));
            return None;
        };
        match v.get_ref() {
            DeValue::String(text) => {
                if let Some((_, t)) = options.iter().find(|(k, _)| *k == text.as_ref()) {
                    return Some(*t);
                }
                self.push(
                    &s.field(key),
                    v.span(),
                    format!("unknown {key} `{text}`"),
                    Some(choice_hint(text, &names)),
                );
                None
            }
            other => {
                self.push(
                    &s.field(key),
                    v.span(),
                    format!("`{key}` must be a string, not {}", type_name(other)),
                    Some(format!("write one of: {}", quoted_list(&names))),
                );
                None
            }
        }
    }

    /// Checks that shares sum to one within ±[`SHARE_TOLERANCE`], reporting at `key` of `at`.
    pub fn check_sum(
        &mut self,
        sum: Decimal,
        at: &Section,
        key: &str,
        what: &str,
        field: &str,
    ) -> bool {
        if crate::scenario::shares_sum_to_one(sum) {
            return true;
        }
        let span = at.value_span(key);
        self.push(
            field,
            span,
            format!("{what} sum to {}, not 1", sum.normalize()),
            Some(format!(
                "make the {} add up to 1 (±{}); they are fractions, e.g. 0.25 for a quarter",
                what.strip_prefix("the ").unwrap_or(what),
                crate::scenario::SHARE_TOLERANCE
            )),
        );
        false
    }
}
