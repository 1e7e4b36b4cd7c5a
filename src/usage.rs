//! `ladderwise usage …`: import and export metric series, show the monthly drivers, calibrate a
//! scenario from the last full month and backtest it.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use ladderwise_app::AppError;
use ladderwise_app::usage::{self, BacktestRow};
use ladderwise_model::units::{Usd, format_quantity};
use ladderwise_usage::MonthDrivers;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

#[derive(Subcommand)]
pub enum UsageCommand {
    /// Read usage series from CloudWatch (CloudFront, MediaConvert, S3) into the local store.
    /// A series already stored is read from after its last datapoint.
    Pull {
        /// CloudFront distribution ids (default: every one found).
        #[arg(long = "distribution", value_name = "ID")]
        distributions: Vec<String>,
        /// MediaConvert queue names or ARNs (default: every one found).
        #[arg(long = "queue", value_name = "NAME")]
        queues: Vec<String>,
        /// S3 bucket names (default: every one found).
        #[arg(long = "bucket", value_name = "NAME")]
        buckets: Vec<String>,
        /// Start, YYYY-MM-DD or an ISO 8601 UTC time (default: 93 days ago).
        #[arg(long)]
        from: Option<String>,
        /// End, YYYY-MM-DD or an ISO 8601 UTC time (default: now).
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        profile: Option<String>,
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
        /// The Region of CloudWatch (CloudFront's metrics are in us-east-1).
        #[arg(long, default_value = "us-east-1")]
        region: String,
        /// Seconds one attempt of one call may take.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
    },
    /// Add the datapoints of a CSV file to the local usage store (columns: timestamp,
    /// namespace, metric, dimensions, statistic, value).
    Import { file: PathBuf },
    /// Write the whole store as CSV, to a file or to standard output.
    Export {
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The monthly drivers the store holds.
    Show,
    /// Write a copy of a scenario whose drivers come from the last full month of actuals,
    /// and print the backtest: each month's modelled cost against the cost its actual usage
    /// implies.
    Calibrate {
        scenario: PathBuf,
        /// Where to write the calibrated scenario; without it only the backtest is printed.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Calibrate from this month (YYYY-MM) instead of the last full one.
        #[arg(long)]
        month: Option<String>,
        /// A price snapshot directory instead of the one in use.
        #[arg(long, value_name = "DIR")]
        pricing: Option<PathBuf>,
        /// Take the drivers from the imported bill (`ladderwise actuals import`) instead of
        /// the CloudWatch series: the last billed month, or --month.
        #[arg(long)]
        from_actuals: bool,
    },
}

fn pull(
    distributions: Vec<String>,
    queues: Vec<String>,
    buckets: Vec<String>,
    from: Option<String>,
    to: Option<String>,
    connection: ladderwise_aws::Connection,
) -> Result<String, AppError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0));
    let (from_ms, to_ms) = usage::pull_window(from.as_deref(), to.as_deref(), now)?;
    let req = usage::PullRequest {
        connection,
        distributions,
        queues,
        buckets,
        from_ms,
        to_ms,
    };
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(AppError::Runtime)?;
    let result = runtime.block_on(usage::pull(&req, |p| match p {
        ladderwise_aws::Progress::Checking { service_code } => {
            bar.set_message(format!("listing {service_code} metrics"))
        }
        ladderwise_aws::Progress::Page { page, records, .. } => {
            bar.set_message(format!("GetMetricData page {page}, {records} datapoints"))
        }
    }));
    bar.finish_and_clear();
    Ok(result?.summary())
}

pub fn run(command: UsageCommand) -> Result<String, AppError> {
    match command {
        UsageCommand::Pull {
            distributions,
            queues,
            buckets,
            from,
            to,
            profile,
            endpoint_url,
            region,
            timeout,
        } => pull(
            distributions,
            queues,
            buckets,
            from,
            to,
            ladderwise_aws::Connection {
                api_region: region,
                endpoint_url,
                profile,
                attempt_timeout: std::time::Duration::from_secs(timeout.max(1)),
                ..ladderwise_aws::Connection::default()
            },
        ),
        UsageCommand::Import { file } => {
            let count = usage::import_file(&file)?;
            Ok(usage::import_summary(&file, &count))
        }
        // Written as it is read, a month at a time: a store of any size is exported with one
        // month in memory.
        UsageCommand::Export { output } => match output {
            Some(path) => {
                usage::export_file(&path)?;
                Ok(format!("wrote {}\n", path.display()))
            }
            None => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
                match usage::export_csv(&mut out, Path::new("standard output")) {
                    // A reader that stops early (`| head`) has what it wanted: the export
                    // stops there, and that is no error.
                    Err(AppError::Write { source, .. })
                        if source.kind() == std::io::ErrorKind::BrokenPipe =>
                    {
                        Ok(String::new())
                    }
                    Err(AppError::Write { source, .. }) => Err(AppError::Output(source)),
                    other => other.map(|()| String::new()),
                }
            }
        },
        UsageCommand::Show => Ok(show(&usage::months()?)),
        UsageCommand::Calibrate {
            scenario,
            output,
            month,
            pricing,
            from_actuals,
        } => calibrate(scenario, output, month, pricing, from_actuals),
    }
}

fn tb(bytes: f64) -> String {
    format_quantity(
        Decimal::from_f64(bytes / 1_099_511_627_776.0).unwrap_or_default(),
        2,
    )
}

fn show(months: &[MonthDrivers]) -> String {
    if months.is_empty() {
        return format!(
            "the usage store is empty\nhint: `ladderwise usage import FILE.csv` adds datapoints ({})\n",
            usage::HEADER
        );
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<9} {:>7} {:>14} {:>16} {:>9} {:>16} {:>12}",
        "month", "days", "delivered TB", "requests", "hit rate", "output minutes", "stored TB"
    );
    for m in months {
        let _ = writeln!(
            out,
            "{:<9} {:>7} {:>14} {:>16} {:>9} {:>16} {:>12}",
            m.month,
            format!("{}/{}", m.days_with_data, m.days_in_month),
            // No datapoint of them in the month: not known, not 0.
            m.delivered_bytes.map_or("n/a".to_string(), tb),
            m.requests.map_or("n/a".to_string(), |r| {
                format_quantity(Decimal::from_f64(r).unwrap_or_default(), 0)
            }),
            m.cache_hit_rate
                .map_or("n/a".to_string(), |r| format!("{:.2} %", r * 100.0)),
            m.measured_video_output_minutes()
                .map_or("n/a".to_string(), |v| {
                    format_quantity(Decimal::from_f64(v).unwrap_or_default(), 0)
                }),
            m.measured_stored_bytes().map_or("n/a".to_string(), tb),
        );
    }
    let _ = writeln!(
        out,
        "\nTB are AWS TB (2^40 bytes); days counts days with CloudFront bytes delivered (a last day whose data stop before its end, not); output minutes are video outputs; n/a: the month has no datapoint of it."
    );
    out
}

fn calibrate(
    path: PathBuf,
    output: Option<PathBuf>,
    month: Option<String>,
    pricing: Option<PathBuf>,
    from_actuals: bool,
) -> Result<String, AppError> {
    // A month that is no month is bad input before anything is read.
    if let Some(m) = &month {
        ladderwise_app::actuals::parse_month("--month", m)?;
    }
    let (s, book) = ladderwise_app::load_inputs(Some(&path), pricing.as_deref())?;
    let source = usage::calibration_source(from_actuals, month.as_deref(), &book, &s.region)?;
    let (chosen, months, source_notes) = (source.month(), &source.months, &source.notes);
    let c = usage::calibrate(&s, chosen);
    let mut out = format!(
        "Calibrated \"{}\" from {} ({} of {} days):\n",
        s.name, chosen.month, chosen.days_with_data, chosen.days_in_month
    );
    for e in &c.edits {
        let _ = writeln!(out, "  [{}] {} = {}", e.section, e.key, e.value);
    }
    for n in c.notes.iter().chain(source_notes) {
        let _ = writeln!(out, "  ({n})");
    }
    if let Some(target) = &output {
        let source = ladderwise_app::read_scenario_text(&path)?;
        let text = usage::calibrated_text(&path.display().to_string(), &source, &c, &chosen.month)?;
        ladderwise_app::write_atomic(target, text.as_bytes())?;
        let _ = writeln!(out, "wrote {} (comments and layout kept)", target.display());
    }
    let rows = usage::backtest(&s, &book, months);
    out.push_str(&backtest_table(&rows, &book.snapshot.id));
    Ok(out)
}

fn backtest_table(rows: &[BacktestRow], snapshot: &str) -> String {
    let mut out = format!(
        "\nBacktest: the scenario as written against each month's actual usage (prices: snapshot {snapshot})\n"
    );
    let _ = writeln!(
        out,
        "  {:<9} {:>5} {:>16} {:>16} {:>9}",
        "month", "full", "modelled", "from actuals", "error"
    );
    let _ = writeln!(
        out,
        "  (under each month, the services whose cost differs; the others cost the same in both)"
    );
    for r in rows {
        let _ = writeln!(
            out,
            "  {:<9} {:>5} {:>16} {:>16} {:>9}",
            r.month,
            if r.full { "yes" } else { "no" },
            r.modelled.total.to_string(),
            r.actual.total.to_string(),
            r.error_percent()
                .map_or("n/a".to_string(), |e| format!("{e:+.1} %"))
        );
        for (service, m, a) in r.by_service() {
            // As printed, so the row adds up as read.
            let delta: Usd = m.printed_minus(a);
            if !delta.0.is_zero() {
                let _ = writeln!(
                    out,
                    "      {:<34} {:>14} {:>14}  {}{}",
                    service.name(),
                    m.to_string(),
                    a.to_string(),
                    if delta.0.is_sign_negative() { "" } else { "+" },
                    delta
                );
            }
        }
    }
    match usage::mape(rows) {
        Some(m) => {
            let _ = writeln!(
                out,
                "\nMean absolute percentage error over the full months: {m:.1} %"
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\nNo full month that measured a driver, with a cost to compare against."
            );
        }
    }
    out
}
