//! `ladderwise import`: the ladder of a file users already have, written into a scenario (or
//! printed as JSON). What was assumed or left out goes to stderr; the scenario to stdout or,
//! atomically, to `-o`.

use std::path::PathBuf;

use clap::ValueEnum;
use ladderwise_app::import::{self, Source};
use ladderwise_app::{AppError, export, write_atomic};

use crate::Done;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ImportFormat {
    /// A scenario file with the imported ladder.
    Toml,
    /// The ladder as read, for scripts (the contract in docs/cli.md).
    Json,
}

#[derive(clap::Args)]
pub(crate) struct ImportArgs {
    /// MediaConvert job settings, job template or preset (JSON), an HLS multivariant playlist
    /// or a DASH manifest; the kind is told from the content.
    #[arg(required_unless_present = "ets_preset", conflicts_with = "ets_preset")]
    file: Option<PathBuf>,
    /// An Elastic Transcoder system preset ID (e.g. 1351620000001-000010) instead of FILE;
    /// repeat it for each rendition, in ladder order.
    #[arg(long = "ets-preset", value_name = "ID")]
    ets_preset: Vec<String>,
    /// A scenario whose ladder alone is replaced; the rest of it, comments included, stays.
    /// Without it, the ladder goes into the shipped default scenario.
    #[arg(long, value_name = "SCENARIO")]
    into: Option<PathBuf>,
    /// Write to this file (atomically; nothing is written when the import fails) instead of
    /// standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ImportFormat::Toml)]
    format: ImportFormat,
}

pub(crate) fn run(args: ImportArgs) -> Result<Done, AppError> {
    let ImportArgs {
        file,
        ets_preset,
        into,
        output,
        format,
    } = args;
    let name = file.as_ref().map(|p| p.display().to_string());
    let source = match (&file, &name) {
        (Some(path), Some(name)) => Source::File { path, name },
        _ => Source::EtsPresets(&ets_preset),
    };
    let (text, ladder) = match format {
        ImportFormat::Toml => {
            // Not the output's name: nothing is written when the scenario does not load.
            let label = "the scenario to write";
            let imported = import::run_import(source, into.as_deref(), label)?;
            (imported.text, imported.ladder)
        }
        ImportFormat::Json => {
            if into.is_some() {
                return Err(AppError::Arguments(
                    "--into writes a scenario, but --format json prints the ladder alone\nhint: leave out --into, or --format json".into(),
                ));
            }
            let ladder = import::read_ladder(source)?;
            (export::import_json(&ladder), ladder)
        }
    };
    let messages = import::messages(&ladder)
        .iter()
        .map(ToString::to_string)
        .collect();
    let text = match output {
        Some(path) => {
            write_atomic(&path, text.as_bytes())?;
            let what = match format {
                ImportFormat::Toml => "a scenario with",
                ImportFormat::Json => "the JSON of",
            };
            format!(
                "wrote {what} the {} rung(s) of {} to {}\n",
                ladder.rungs.len(),
                ladder.source,
                path.display()
            )
        }
        None => text,
    };
    Ok(Done {
        messages,
        ..Done::from(text)
    })
}
