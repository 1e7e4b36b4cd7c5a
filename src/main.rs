//! `ladderwise`: the command line face of the engine. It parses arguments, asks
//! `ladderwise-app` for the work, formats the result and chooses the exit code; nothing more.

mod actuals;
mod import;
mod pricing;
mod render;
mod usage;
mod variance;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use ladderwise_app::AppError;
use ladderwise_app::export;
use ladderwise_app::views::AnyChart;
use ladderwise_app::whatif;
use ladderwise_model::sweep::Vary;
use ladderwise_model::units::Usd;
use rust_decimal::Decimal;

/// See [`ladderwise_app::allocator`].
#[global_allocator]
static ALLOCATOR: ladderwise_app::allocator::Allocator = ladderwise_app::allocator::Allocator;

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
        /// Exit with code 3 when the monthly total is above this many US dollars.
        #[arg(long, value_name = "USD", value_parser = parse_usd)]
        max_total: Option<Usd>,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Forecast the months ahead: each month priced line by line as the drivers grow and
    /// the library ages through the lifecycle, with P10/P50/P90 over the uncertain growth.
    Forecast {
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// Months to forecast (1 to 120), instead of the file's `months`.
        #[arg(long)]
        months: Option<u32>,
        /// Monte Carlo paths, instead of the file's `paths` (0: the deterministic path alone).
        #[arg(long)]
        paths: Option<u32>,
        /// The first month, YYYY-MM, instead of the file's `start` (or next month).
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
        start: Option<ladderwise_model::scenario::forecast::YearMonth>,
        /// Output format: the table, the JSON contract, a month × service CSV, or FOCUS 1.2
        /// rows (CSV) of the deterministic path.
        #[arg(long, value_enum, default_value_t = ForecastFormat::Table)]
        format: ForecastFormat,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Draw one chart of a scenario (or, for `waterfall`, of two) to an SVG or PNG file.
    Chart {
        /// ladder, cache-hit-rate, transcode-choice, delivery-choice, breakdown, forecast,
        /// tornado, or waterfall (of two scenarios).
        #[arg(value_parser = parse_kind)]
        kind: AnyChart,
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// The second scenario, for `waterfall`: the chart goes from SCENARIO's total to this
        /// one's.
        #[arg(value_name = "AGAINST")]
        against: Option<PathBuf>,
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
    /// Compare two scenarios: totals, services, stages, lines, capacity, and the waterfall of
    /// the changes that make the difference.
    Compare {
        /// The scenario compared from (A).
        a: PathBuf,
        /// The scenario compared to (B).
        b: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Exit with code 3 when B costs more than this percentage above A, e.g. 10%.
        #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
        max_increase: Option<Decimal>,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Move each input of a scenario alone by ±SWING and price both ends (the tornado),
    /// largest effect first.
    Sensitivity {
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// How far to move each input, in percent of its value (from 0.01 to below 100).
        #[arg(long, default_value = "20%", value_parser = parse_swing)]
        swing: Decimal,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// The value of one field at which the monthly total meets a budget, or why none does.
    Solve {
        /// Scenario file (TOML); the shipped default when left out.
        scenario: Option<PathBuf>,
        /// The field to vary, e.g. delivery.cache_hit_rate (any field `sweep` varies).
        #[arg(long, value_name = "FIELD")]
        vary: String,
        /// The budget: the monthly total must be at most this many US dollars.
        #[arg(long, value_name = "USD", value_parser = parse_usd)]
        max_total: Usd,
        /// Search FROM:TO instead of every value the field allows.
        #[arg(long, value_name = "FROM:TO", value_parser = parse_range)]
        range: Option<(Decimal, Decimal)>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        pricing: Pricing,
    },
    /// Read the ladder of a MediaConvert job, template or preset, an HLS multivariant
    /// playlist, a DASH manifest or Elastic Transcoder system presets into a scenario.
    Import(import::ImportArgs),
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
    /// the snapshot in use (the one `pricing use` chose, or the one shipped in the binary).
    #[arg(long = "pricing", value_name = "DIR")]
    dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum ForecastFormat {
    Table,
    Json,
    Csv,
    Focus,
}

/// `YYYY-MM`.
fn parse_month(s: &str) -> Result<ladderwise_model::scenario::forecast::YearMonth, String> {
    ladderwise_model::scenario::forecast::YearMonth::parse(s)
        .ok_or_else(|| format!("`{s}` is not a month\nhint: write YYYY-MM, e.g. 2027-01"))
}

fn parse_kind(s: &str) -> Result<AnyChart, String> {
    s.parse()
}

/// A number of US dollars: `50000`, `50,000`, `$50000.50`. Commas group thousands, three
/// digits each: `5,0000` is a typo, not $50,000.
fn parse_usd(s: &str) -> Result<Usd, String> {
    let text = s.trim();
    let text = text.strip_prefix('$').unwrap_or(text);
    let whole = text.split('.').next().unwrap_or_default();
    let grouped = !whole.contains(',') || {
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or_default();
        (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
    };
    let plain = text.replace([',', '_'], "");
    match plain.parse::<Decimal>() {
        Ok(v) if v >= Decimal::ZERO && grouped => Ok(Usd(v)),
        _ => Err(format!(
            "`{s}` is not an amount of US dollars\nhint: write a number such as 50000 (or 50,000)"
        )),
    }
}

/// A percentage, with or without `%`: `10%`, `10`, `2.5 %`.
fn parse_percent(s: &str) -> Result<Decimal, String> {
    match s.trim().trim_end_matches('%').trim().parse::<Decimal>() {
        Ok(v) if v >= Decimal::ZERO => Ok(v),
        _ => Err(format!(
            "`{s}` is not a percentage\nhint: write e.g. 10% (or 10)"
        )),
    }
}

/// A swing in percent (`20%`), as a fraction (0.2).
fn parse_swing(s: &str) -> Result<Decimal, String> {
    match parse_percent(s) {
        // Below 0.01 % every input's two ends price alike to the cent, and the swing would
        // print as ±0 %.
        Ok(p) if p >= Decimal::new(1, 2) && p < Decimal::ONE_HUNDRED => {
            Ok(p / Decimal::ONE_HUNDRED)
        }
        _ => Err(format!(
            "`{s}` is not a swing\nhint: write a percentage from 0.01 to below 100, e.g. 20%"
        )),
    }
}

/// `FROM:TO`.
fn parse_range(s: &str) -> Result<(Decimal, Decimal), String> {
    let bad = || format!("cannot read the range `{s}`\nhint: write FROM:TO, e.g. 0.5:1");
    let (from, to) = s.split_once(':').ok_or_else(bad)?;
    let num = |t: &str| t.trim().parse::<Decimal>().map_err(|_| bad());
    Ok((num(from)?, num(to)?))
}

fn parse_vary(s: &str) -> Result<Vary, String> {
    s.parse()
        .map_err(|e: ladderwise_model::sweep::SweepError| e.to_string())
}

/// Exit codes come from the kind of error (`ErrorKind::exit_code`): 0 success, 1 internal,
/// 2 bad input, 3 over budget, 4 unusable data on disk, 5 AWS.
fn main() -> ExitCode {
    ladderwise_app::allocator::configure();
    // A write waiting for another writer's lock says so: a large import may hold it for minutes.
    ladderwise_usage::durable::on_wait(|lock| {
        let store = lock.parent().unwrap_or(lock);
        eprintln!(
            "waiting for another ladderwise command or the app to finish writing {}",
            store.display()
        );
    });
    let cli = Cli::parse();
    // `actuals pull` answers Ctrl-C itself: it stops its query in Athena first.
    if !matches!(
        &cli.command,
        Command::Actuals(actuals::ActualsCommand::Pull { .. })
    ) {
        remove_temps_on_interrupt();
    }
    match run(cli.command) {
        Ok(Done {
            text,
            finding,
            messages,
        }) => {
            for m in messages {
                eprintln!("{m}");
            }
            let printed = print(&text);
            // Over budget: the output is printed, then the finding decides the exit code.
            match finding {
                Some(e) => {
                    eprintln!("{e}");
                    ExitCode::from(e.kind().exit_code())
                }
                None => printed,
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.kind().exit_code())
        }
    }
}

/// What a command prints, a finding that fails it once printed (over budget, exit 3), and
/// what the user should know beside the output (printed to stderr first).
struct Done {
    text: String,
    finding: Option<AppError>,
    messages: Vec<String>,
}

impl Done {
    fn with_finding(text: String, finding: Option<AppError>) -> Self {
        Done {
            text,
            finding,
            messages: Vec::new(),
        }
    }
}

impl From<String> for Done {
    fn from(text: String) -> Self {
        Done::with_finding(text, None)
    }
}

/// The exit code of a command interrupted by Ctrl-C: 128 + SIGINT, as a shell reports a
/// process the signal ended (docs/cli.md, Exit codes).
const INTERRUPTED: i32 = 130;

/// On Ctrl-C, removes the temporary files of the writes in flight before the process ends:
/// their targets were not replaced, so every store holds what it held, and an import cut
/// short leaves no large half-written file behind.
fn remove_temps_on_interrupt() {
    std::thread::spawn(|| {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
            ladderwise_usage::durable::remove_own_temps();
            eprintln!("interrupted: what was being written is left as it was");
            std::process::exit(INTERRUPTED);
        }
    });
}

fn run(command: Command) -> Result<Done, AppError> {
    match command {
        Command::Estimate {
            scenario,
            format,
            max_total,
            pricing,
        } => {
            let e = ladderwise_app::run_estimate(scenario.as_deref(), pricing.dir.as_deref())?;
            let text = match format {
                Format::Table => render::table::render(&e),
                Format::Json => export::estimate_json(&e),
                Format::Csv => export::estimate_csv(&e),
            };
            let finding = max_total.and_then(|max| whatif::check_total(&e, max).err());
            Ok(Done::with_finding(text, finding))
        }
        Command::Forecast {
            scenario,
            months,
            paths,
            start,
            format,
            pricing,
        } => {
            let request = ladderwise_app::forecast::Request {
                months,
                paths,
                start,
            };
            // A million paths take a minute: a spinner with the months priced so far.
            let bar = render::spinner("pricing the forecast");
            let told = bar.clone();
            let progress =
                ladderwise_model::forecast::Progress(std::sync::Arc::new(move |done, of| {
                    told.set_message(format!("Monte Carlo: months 1 to {done} of {of} priced"))
                }));
            let result = ladderwise_app::forecast::run_files(
                scenario.as_deref(),
                pricing.dir.as_deref(),
                request,
                Some(progress),
            );
            bar.finish_and_clear();
            let (_, f) = result?;
            Ok(match format {
                ForecastFormat::Table => render::forecast::table(&f),
                ForecastFormat::Json => export::forecast_json(&f),
                ForecastFormat::Csv => export::forecast_csv(&f),
                ForecastFormat::Focus => {
                    let rows = export::forecast_focus(&f);
                    if !rows.left_out.is_empty() {
                        eprintln!(
                            "warning: {} unpriced line(s) have no FOCUS row (a charge without a cost has none), e.g. {}",
                            rows.left_out.len(),
                            rows.left_out[0]
                        );
                    }
                    rows.csv
                }
            }
            .into())
        }
        Command::Compare {
            a,
            b,
            format,
            max_increase,
            pricing,
        } => {
            let c = whatif::run_compare(&a, &b, pricing.dir.as_deref())?;
            let text = match format {
                Format::Table => render::whatif::compare(&c),
                Format::Json => export::compare_json(&c),
                Format::Csv => export::compare_csv(&c),
            };
            let finding = max_increase.and_then(|max| whatif::check_increase(&c, max).err());
            Ok(Done::with_finding(text, finding))
        }
        Command::Sensitivity {
            scenario,
            swing,
            format,
            pricing,
        } => {
            let r = whatif::run_sensitivity(scenario.as_deref(), pricing.dir.as_deref(), swing)?;
            Ok(match format {
                Format::Table => render::whatif::sensitivity(&r),
                Format::Json => export::sensitivity_json(&r),
                Format::Csv => export::sensitivity_csv(&r),
            }
            .into())
        }
        Command::Solve {
            scenario,
            vary,
            max_total,
            range,
            format,
            pricing,
        } => {
            let r = whatif::run_solve(
                scenario.as_deref(),
                pricing.dir.as_deref(),
                &vary,
                max_total,
                range,
            )?;
            let text = match format {
                Format::Table => render::whatif::solve(&r),
                Format::Json => export::solve_json(&r),
                Format::Csv => export::solve_csv(&r),
            };
            Ok(Done::with_finding(text, whatif::check_solved(&r).err()))
        }
        Command::Chart {
            kind: AnyChart::WhatIf(kind),
            scenario,
            against,
            output,
            width,
            height,
            pricing,
        } => {
            let book = ladderwise_app::load_book(pricing.dir.as_deref())?;
            let mut files = Vec::new();
            for path in scenario.iter().chain(&against) {
                files.push((
                    path.display().to_string(),
                    ladderwise_app::load_scenario(path)?,
                ));
            }
            if files.is_empty() {
                files.push((
                    ladderwise_app::DEFAULT_SCENARIO_PATH.to_string(),
                    ladderwise_app::default_scenario()?,
                ));
            }
            let scenarios: Vec<(&str, &ladderwise_model::Scenario)> =
                files.iter().map(|(f, s)| (f.as_str(), s)).collect();
            ladderwise_app::write_whatif_chart(kind, &scenarios, &book, &output, (width, height))?;
            Ok(format!("wrote {} chart to {}\n", kind.name(), output.display()).into())
        }
        Command::Chart {
            kind: AnyChart::Scenario(kind),
            scenario,
            against,
            output,
            width,
            height,
            pricing,
        } => {
            if against.is_some() {
                return Err(AppError::Arguments(format!(
                    "the {} chart is of one scenario, but two were named\nhint: name one; only `waterfall` takes two",
                    kind.name()
                )));
            }
            let (s, book) =
                ladderwise_app::load_inputs(scenario.as_deref(), pricing.dir.as_deref())?;
            ladderwise_app::write_chart(kind, &s, &book, &output, (width, height))
                .map_err(|e| ladderwise_app::forecast::located(e, scenario.as_deref()))?;
            Ok(format!("wrote {} chart to {}\n", kind.name(), output.display()).into())
        }
        Command::Sweep {
            scenario,
            vary,
            format,
            pricing,
        } => {
            let sweep =
                ladderwise_app::run_sweep(scenario.as_deref(), pricing.dir.as_deref(), &vary)?;
            Ok(match format {
                Format::Table => render::table::sweep(&vary, &sweep),
                Format::Json => export::sweep_json(&vary, &sweep),
                Format::Csv => export::sweep_csv(&vary, &sweep.points),
            }
            .into())
        }
        Command::Import(args) => import::run(args),
        Command::Pricing(command) => pricing::run(command).map(Done::from),
        Command::Usage(command) => usage::run(command).map(Done::from),
        Command::Actuals(command) => actuals::run(command).map(Done::from),
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
            Ok(Done::from(match format {
                Format::Table => variance::table(&v),
                Format::Json => export::variance_json(&v),
                Format::Csv => export::variance_csv(&v),
            }))
        }
        Command::Report {
            scenario,
            output,
            pricing,
        } => {
            let (s, book) =
                ladderwise_app::load_inputs(scenario.as_deref(), pricing.dir.as_deref())?;
            let files = ladderwise_app::write_report(&s, &book, &output)
                .map_err(|e| ladderwise_app::forecast::located(e, scenario.as_deref()))?;
            let mut text = format!("wrote the report of \"{}\":\n", s.name);
            for f in files {
                text.push_str(&format!("  {}\n", f.display()));
            }
            Ok(text.into())
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
            let e = AppError::Output(e);
            eprintln!("{e}");
            ExitCode::from(e.kind().exit_code())
        }
    }
}
