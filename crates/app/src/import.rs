//! Importing a ladder from the files architects already have (MediaConvert JSON, HLS and DASH
//! manifests, Elastic Transcoder preset IDs): the use case behind `ladderwise import` and the
//! desktop's *Import ladder…*. The reading and the writing of text are `ladderwise-import`'s
//! (pure); this module reads the files and checks that what it hands back is a scenario the
//! engine accepts.

use std::path::Path;

use ladderwise_import::{Format, ImportedLadder};
use ladderwise_model::Scenario;
use ladderwise_model::scenario::TranscodeService;

use crate::{AppError, DEFAULT_SCENARIO};

/// Where a ladder comes from.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// A file of any supported kind, told from its content; `name` names it in origins and
    /// messages.
    File { path: &'a Path, name: &'a str },
    /// Elastic Transcoder system presets by ID, in this order.
    EtsPresets(&'a [String]),
}

/// An imported ladder and the scenario text written around it.
#[derive(Clone, Debug)]
pub struct Imported {
    pub ladder: ImportedLadder,
    pub text: String,
}

/// What had to be assumed or was left out, one message each, in the order a reader needs
/// them: values assumed, renditions left out, how the file was read.
pub fn messages(l: &ImportedLadder) -> Vec<Message> {
    let assumed = l.warnings.iter().map(|w| Message::Assumed(w.clone()));
    let skipped = l
        .skipped
        .iter()
        .map(|s| Message::LeftOut(format!("{}: {}: {}", s.origin, s.rendition, s.reason)));
    let notes = l.notes.iter().map(|n| Message::Note(n.clone()));
    assumed.chain(skipped).chain(notes).collect()
}

/// One thing the user should know about an import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// A value missing or uncertain in the file, and what was taken instead.
    Assumed(String),
    /// A rendition of the file that is not a rung (a download MP4, thumbnails).
    LeftOut(String),
    /// How the file was read.
    Note(String),
}

impl Message {
    /// The label it is printed under.
    pub fn label(&self) -> &'static str {
        match self {
            Message::Assumed(_) => "warning",
            Message::LeftOut(_) => "left out",
            Message::Note(_) => "note",
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Message::Assumed(t) | Message::LeftOut(t) | Message::Note(t) => t,
        }
    }
}

/// As both faces print it: `warning: …`, `left out: …`, `note: …`.
impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.label(), self.text())
    }
}

/// Reads the ladder from its source.
pub fn read_ladder(source: Source<'_>) -> Result<ImportedLadder, AppError> {
    match source {
        Source::File { path, name } => {
            let bytes = std::fs::read(path).map_err(|source| AppError::ImportRead {
                path: path.to_path_buf(),
                source,
            })?;
            let text = crate::utf8_text(path, bytes)?;
            Ok(ladderwise_import::import(name, &text)?)
        }
        Source::EtsPresets(ids) => {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            Ok(ladderwise_import::import_ets_presets(&ids)?)
        }
    }
}

/// The name the source is given in the scenario's comments.
fn source_name<'a>(source: Source<'a>, ladder: &'a ImportedLadder) -> &'a str {
    match source {
        Source::File { name, .. } => name,
        Source::EtsPresets(_) => &ladder.source,
    }
}

/// Imports a ladder into a scenario: a new one around the shipped default's other sections,
/// or `into`, an existing scenario file, whose ladder alone is replaced. The result is
/// checked as the engine reads it (`label` names it in the messages), so a scenario that
/// would not price is never handed back. When it fails and `into` has problems of its own,
/// those are reported, at their lines in that file: the result's lines are in no file.
pub fn run_import(
    source: Source<'_>,
    into: Option<&Path>,
    label: &str,
) -> Result<Imported, AppError> {
    let existing = into.map(crate::editor::open).transpose()?;
    let ladder = read_ladder(source)?;
    let name = source_name(source, &ladder);
    let text = match (&existing, into) {
        (Some(text), Some(path)) => {
            // A file that is not TOML cannot have its ladder replaced: its syntax error is
            // shown at its line and column, as `estimate` shows it, not as a bare refusal.
            if toml::from_str::<toml::Table>(text).is_err() {
                crate::load_scenario(path)?;
            }
            ladderwise_import::replace_ladder(text, &ladder, name)?
        }
        _ => ladderwise_import::scenario_text(DEFAULT_SCENARIO, &ladder, name)?,
    };
    let scenario = match Scenario::from_toml(label, &text) {
        Ok(scenario) => scenario,
        Err(errors) => {
            if let (Some(path), Some(existing)) = (into, &existing) {
                crate::load_scenario(path)?;
                // The file was sound before its ladder was replaced: what fails now is the rest
                // of it against the new ladder (a forecast event's rungs, say). Those lines are
                // the end of the file unchanged, so they are shown where the user wrote them.
                let same_end = existing
                    .lines()
                    .rev()
                    .zip(text.lines().rev())
                    .take_while(|(a, b)| a == b)
                    .count();
                let (was, now) = (existing.lines().count(), text.lines().count());
                let line_of = |line: usize| (line + same_end > now).then(|| line + was - now);
                if let Some(errors) =
                    errors.relocated(&path.display().to_string(), existing, line_of)
                {
                    return Err(AppError::IntoConflicts {
                        errors,
                        into: path.to_path_buf(),
                    });
                }
            }
            return Err(AppError::ImportedScenario(errors));
        }
    };
    let mut ladder = ladder;
    note_service(&mut ladder, &scenario);
    Ok(Imported { ladder, text })
}

/// Says so when the scenario prices the ladder with another service than the one its file
/// comes from: the import replaces the ladder, never `[transcode] service`, so Elastic
/// Transcoder presets are priced as MediaConvert would encode them (a migration's question)
/// and a MediaConvert job into a legacy scenario as Elastic Transcoder.
fn note_service(ladder: &mut ImportedLadder, scenario: &Scenario) {
    let from_ets = ladder.format == Format::EtsPresets;
    let service = scenario.transcode.service;
    let note = match (from_ets, service) {
        (true, TranscodeService::Mediaconvert) => format!(
            "the ladder comes from Elastic Transcoder presets and the scenario's [transcode] service is `{}`: it is priced as MediaConvert would encode it; write service = \"{}\" to price the discontinued Elastic Transcoder instead",
            service.name(),
            TranscodeService::ElasticTranscoder.name()
        ),
        (false, TranscodeService::ElasticTranscoder) => format!(
            "the scenario's [transcode] service is `{}`: the imported ladder is priced as the discontinued Elastic Transcoder would encode it; write service = \"{}\" to price it as MediaConvert",
            service.name(),
            TranscodeService::Mediaconvert.name()
        ),
        _ => return,
    };
    ladder.notes.push(note);
}

/// The desktop's import: the ladder of the file at `path` into `text`, the open document's
/// text, whatever else is wrong with it (the editor shows its problems as it does for any
/// edit). The file is named by its file name in the scenario's comments.
pub fn import_into_text(path: &Path, text: &str) -> Result<Imported, AppError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let ladder = read_ladder(Source::File { path, name: &name })?;
    let mut ladder = ladder;
    let text = ladderwise_import::replace_ladder(text, &ladder, &name)?;
    // The open document may not parse yet; its service is then not known.
    if let Ok(scenario) = Scenario::from_toml(&name, &text) {
        note_service(&mut ladder, &scenario);
    }
    Ok(Imported { ladder, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../import/tests/fixtures")
            .join(name)
    }

    #[test]
    fn the_tutorial_job_makes_a_scenario_that_prices() {
        let path = fixture("seed-job-settings.json");
        let source = Source::File {
            path: &path,
            name: "seed-job-settings.json",
        };
        let imported = run_import(source, None, "new.toml").unwrap();
        let scenario = Scenario::from_toml("new.toml", &imported.text).unwrap();
        assert_eq!(scenario.ladder.rungs.len(), 2);
        let e = ladderwise_model::estimate(&scenario, &crate::shipped_price_book().unwrap());
        assert!(e.total.0 > rust_decimal::Decimal::ZERO);
        let messages = messages(&imported.ladder);
        assert!(messages.iter().any(|m| m.label() == "left out"));
        assert!(
            messages
                .iter()
                .any(|m| m.label() == "warning" && m.text() == ladderwise_import::ASSUMED_SHARES)
        );
    }

    #[test]
    fn an_unreadable_source_is_bad_input() {
        let path = fixture("no-such-file.json");
        let source = Source::File {
            path: &path,
            name: "no-such-file.json",
        };
        let err = run_import(source, None, "x").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::BadInput);
        let err = import_into_text(&fixture("bad/malformed.json"), "").unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::BadInput);
        assert!(err.to_string().contains("malformed.json"), "{err}");
    }
}
