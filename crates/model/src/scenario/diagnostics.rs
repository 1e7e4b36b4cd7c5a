//! Scenario errors that point at the file: line, column, the offending text, and a hint.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Dotted path of the field, e.g. `ladder.rungs[2].video_kbps`; empty for syntax errors.
    pub field: String,
    pub message: String,
    /// What to write instead.
    pub hint: Option<String>,
    /// 1-based line and column of the start of the span.
    pub line: usize,
    pub column: usize,
    #[serde(skip)]
    pub span: Range<usize>,
}

impl Diagnostic {
    /// A problem of `field` at `span` of `source`, with its line and column.
    pub(crate) fn at(
        source: &str,
        field: &str,
        span: Range<usize>,
        message: String,
        hint: Option<String>,
    ) -> Self {
        let (line, column) = line_column(source, span.start);
        Diagnostic {
            field: field.to_string(),
            message,
            hint,
            line,
            column,
            span,
        }
    }
}

/// Every problem found in one scenario file, in the order they appear in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ScenarioErrors {
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
    #[serde(skip)]
    source_text: String,
}

impl ScenarioErrors {
    pub(crate) fn new(file: &str, source: &str, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
        diagnostics.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        ScenarioErrors {
            file: file.to_string(),
            diagnostics,
            source_text: source.to_string(),
        }
    }
}

impl ScenarioErrors {
    /// The same problems in another text that holds their lines: `line_of` maps a 1-based
    /// line of this text to that text's, or `None` when the other text lacks it. `None`
    /// when any problem's line is missing there. (An import's problems found in the
    /// scenario it would write are shown in the file the user wrote, whose lines they are.)
    pub fn relocated(
        &self,
        file: &str,
        source: &str,
        line_of: impl Fn(usize) -> Option<usize>,
    ) -> Option<ScenarioErrors> {
        let starts = |text: &str| -> Vec<usize> {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        };
        let (old, new) = (starts(&self.source_text), starts(source));
        let diagnostics = self
            .diagnostics
            .iter()
            .map(|d| {
                let line = line_of(d.line)?;
                let from = *old.get(d.line.checked_sub(1)?)?;
                let to = *new.get(line.checked_sub(1)?)?;
                let shift = |at: usize| (at + to).checked_sub(from);
                Some(Diagnostic {
                    line,
                    span: shift(d.span.start)?..shift(d.span.end)?,
                    ..d.clone()
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(ScenarioErrors::new(file, source, diagnostics))
    }
}

/// Converts a byte offset to a 1-based (line, column), counting columns in characters.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for ScenarioErrors {
    /// Renders like a compiler: the message, `--> file:line:col`, the source line with a caret
    /// underline, then the hint. One block per problem.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "error: {}", d.message)?;
            writeln!(f, "  --> {}:{}:{}", self.file, d.line, d.column)?;
            if let Some(text) = self.source_text.lines().nth(d.line.saturating_sub(1)) {
                let number = d.line.to_string();
                let pad = " ".repeat(number.len());
                let start = d.column.saturating_sub(1);
                let len = self.source_text[d.span.clone()]
                    .lines()
                    .next()
                    .map_or(1, |s| s.chars().count().max(1));
                let len = len.min(text.chars().count().saturating_sub(start).max(1));
                writeln!(f, "{pad} |")?;
                writeln!(f, "{number} | {text}")?;
                writeln!(f, "{pad} | {}{}", " ".repeat(start), "^".repeat(len))?;
            }
            if let Some(hint) = &d.hint {
                let pad = " ".repeat(d.line.to_string().len());
                writeln!(f, "{pad} = hint: {hint}")?;
            }
        }
        if n > 1 {
            write!(f, "\n{n} problems in {}", self.file)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let s = "a = 1\nbé = 2\n";
        assert_eq!(line_column(s, 0), (1, 1));
        assert_eq!(line_column(s, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(s, 9), (2, 3));
        assert_eq!(line_column(s, 999), (3, 1));
    }
}
