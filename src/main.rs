//! `ladderwise`: the command line face of the engine. It parses arguments, asks
//! `ladderwise-app` for the work, formats the result and chooses the exit code; nothing more.

mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Cost and capacity planner for video pipelines on AWS.
#[derive(Parser)]
#[command(name = "ladderwise", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Price one month of a scenario: every line with its tiers, SKU and provenance,
    /// capacity and unit economics.
    Estimate {
        /// Scenario file (TOML). Without one, the shipped default scenario is priced.
        scenario: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// A price snapshot directory (manifest.json and the files it names) to use instead
        /// of the snapshot shipped in the binary.
        #[arg(long, value_name = "DIR")]
        pricing: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// Exit codes: 0 success, 1 a failure of the program or its data, 2 bad input.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Estimate {
            scenario,
            format,
            pricing,
        } => match ladderwise_app::run_estimate(scenario.as_deref(), pricing.as_deref()) {
            Ok(estimate) => {
                let text = match format {
                    Format::Table => render::table::render(&estimate),
                    Format::Json => render::json::render(&estimate),
                    Format::Csv => render::csv::render(&estimate),
                };
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                if e.is_bad_input() {
                    ExitCode::from(2)
                } else {
                    ExitCode::from(1)
                }
            }
        },
    }
}
