//! `ladderwise`: the command line face of the engine. It parses arguments, asks
//! `ladderwise-app` for the work, formats the result and chooses the exit code; nothing more.

mod actuals;
mod pricing;
mod render;
mod usage;
mod variance;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ladderwise_app::AppError;
use ladderwise_app::export;
use ladderwise_app::views::ChartKind;
use ladderwise_model::sweep::Vary;

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
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Draw one chart of a scenario to an SVG or PNG file.
    Chart {
        /// ladder, cache-hit-rate, transcode-choice, delivery-choice or breakdown.
        #[arg(value_parser = parse_kind)]
        kind: ChartKind,
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// Where to write the chart; `.svg` or `.png`.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Width and height in pixels.
        #[arg(long, default_value_t = 1200)]
        width: u32,
        #[arg(long, default_value_t = 700)]
        height: u32,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Vary numeric scenario fields over ranges and print the totals at every point.
    Sweep {
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// FIELD=FROM:TO:STEP, e.g. delivery.cache_hit_rate=0:1:0.05; several make a grid.
        #[arg(long = "vary", value_name = "FIELD=FROM:TO:STEP", required = true, value_parser = parse_vary)]
        vary: Vec<Vary>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Price snapshots: refresh from the AWS Price List, list, use, show, diff.
    #[command(subcommand)]
    Pricing(pricing::PricingCommand),
    /// Usage: import and export metric series, monthly drivers, calibration and backtest.
    #[command(subcommand)]
    Usage(usage::UsageCommand),
    /// Actuals: import AWS Data Exports (FOCUS 1.2, CUR 2.0) and show the billed months.
    #[command(subcommand)]
    Actuals(actuals::ActualsCommand),
    /// The plan of a month against its bill: each usage type planned and billed, what
    /// matches nothing, credits and taxes apart, and the scenario fields behind a difference.
    Variance {
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// The billed month (YYYY-MM) in the actuals store.
        #[arg(long)]
        month: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Write a self-contained HTML report (every chart, the priced table, capacity,
    /// assumptions, price provenance) and its CSVs into a directory.
    Report {
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// Directory to write into (created if needed).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        #[command(flatten)]
        pricing: Pricing,
    },
}

#[derive(clap::Args)]
struct Pricing {
    /// A price snapshot directory (manifest.json and the files it names) to use instead of
    /// the snapshot shipped in the binary.
    #[arg(long = "pricing", value_name = "DIR")]
    dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
    Csv,
}

fn parse_kind(s: &str) -> Result<ChartKind, String> {
    s.parse()
}

fn parse_vary(s: &str) -> Result<Vary, String> {
    s.parse()
        .map_err(|e: ladderwise_model::sweep::SweepError| e.to_string())
}

/// Exit codes come from the kind of error (`ErrorKind::exit_code`): 0 success, 1 internal,
/// 2 bad input, 3 over budget, 4 unusable data on disk, 5 AWS.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(text) => print(&text),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.kind().exit_code())
        }
    }
}

/// Writes the output. A reader that stops early (`| head`) is not an error; a full disk is.
fn print(text: &str) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "cannot write the output: {e}\nhint: check the disk or the file standard output goes to"
            );
            ExitCode::from(ladderwise_app::ErrorKind::Internal.exit_code())
        }
    }
}

fn run(command: Command) -> Result<String, AppError> {
    match command {
        Command::Estimate {
            scenario,
            format,
            pricing,
        } => {
            let e = ladderwise_app::run_estimate(scenario.as_deref(), pricing.dir.as_deref())?;
            Ok(match format {
                Format::Table => render::table::render(&e),
                Format::Json => export::estimate_json(&e),
                Format::Csv => export::estimate_csv(&e),
            })
        }
        Command::Chart {
            kind,
            scenario,
            output,
            width,
            height,
            pricing,
        } => {
            let (s, book) =
                ladderwise_app::load_inputs(scenario.as_deref(), pricing.dir.as_deref())?;
            ladderwise_app::write_chart(kind, &s, &book, &output, (width, height))?;
            Ok(format!(
                "wrote {} chart to {}\n",
                kind.name(),
                output.display()
            ))
        }
        Command::Sweep {
            scenario,
            vary,
            format,
            pricing,
        } => {
            let points =
                ladderwise_app::run_sweep(scenario.as_deref(), pricing.dir.as_deref(), &vary)?;
            Ok(match format {
                Format::Table => render::table::sweep(&vary, &points),
                Format::Json => export::sweep_json(&vary, &points),
                Format::Csv => export::sweep_csv(&vary, &points),
            })
        }
        Command::Pricing(command) => pricing::run(command),
        Command::Usage(command) => usage::run(command),
        Command::Actuals(command) => actuals::run(command),
        Command::Variance {
            scenario,
            month,
            format,
            pricing,
        } => {
            let v = ladderwise_app::variance::run_variance(
                scenario.as_deref(),
                pricing.dir.as_deref(),
                &month,
            )?;
            Ok(match format {
                Format::Table => variance::table(&v),
                Format::Json => export::variance_json(&v),
                Format::Csv => export::variance_csv(&v),
            })
        }
        Command::Report {
            scenario,
            output,
            pricing,
        } => {
            let (s, book) =
                ladderwise_app::load_inputs(scenario.as_deref(), pricing.dir.as_deref())?;
            let files = ladderwise_app::write_report(&s, &book, &output)?;
            let mut text = format!("wrote the report of \"{}\":\n", s.name);
            for f in files {
                text.push_str(&format!("  {}\n", f.display()));
            }
            Ok(text)
        }
    }
}
