//! `ladderwise actuals …`: fill the local actuals store from AWS Data Exports (FOCUS 1.2 or
//! CUR 2.0), from files or through an Athena query, and show what it holds.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Subcommand;
use ladderwise_actuals::ChargeKind;
use ladderwise_app::actuals::{
    self, AthenaSource, PullReport, ShowRow, import_text, money, stored_text,
};
use ladderwise_app::{AppError, export};
use ladderwise_aws::athena::{ExportSchema, Progress};
use ladderwise_model::units::format_quantity;
use rust_decimal::Decimal;

use crate::Format;

#[derive(Subcommand)]
pub enum ActualsCommand {
    /// Import a FOCUS 1.2 or CUR 2.0 export of AWS Data Exports (.parquet, .csv, .csv.gz, or
    /// a directory of them). The billing periods it holds replace those periods' lines in
    /// the store, in whichever month they are charged (October's export corrects September).
    Import { path: PathBuf },
    /// Sum the bill in Amazon Athena, where a Data Exports table lives, and store the result.
    /// The months it holds replace those months in the store.
    Pull {
        /// Read through Athena (the one source of a pull for now).
        #[arg(long, required = true)]
        athena: bool,
        /// The Glue database of the export's table.
        #[arg(long)]
        database: String,
        /// The table that holds the export.
        #[arg(long)]
        table: String,
        /// The Athena workgroup the query runs in.
        #[arg(long, default_value = "primary")]
        workgroup: String,
        /// Which export the table holds.
        #[arg(long, default_value = ExportSchema::NAMES[0], value_parser = ExportSchema::NAMES)]
        schema: String,
        /// Where Athena writes the result (s3://bucket/prefix/), if the workgroup sets none.
        #[arg(long, value_name = "S3_URL")]
        output_location: Option<String>,
        /// First month summed (YYYY-MM, UTC).
        #[arg(long)]
        from: Option<String>,
        /// Last month summed (YYYY-MM, UTC), included.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        profile: Option<String>,
        /// The Region of the Athena workgroup.
        #[arg(long, default_value = "us-east-1")]
        region: String,
        #[arg(long, value_name = "URL")]
        endpoint_url: Option<String>,
        /// Seconds one attempt of one call may take.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
    },
    /// The stored actuals by month, service and usage type.
    Show {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// First month to show (YYYY-MM).
        #[arg(long)]
        from: Option<String>,
        /// Last month to show (YYYY-MM).
        #[arg(long)]
        to: Option<String>,
    },
}

pub fn run(command: ActualsCommand) -> Result<String, AppError> {
    match command {
        ActualsCommand::Import { path } => import(path),
        ActualsCommand::Pull {
            athena: _,
            database,
            table,
            workgroup,
            schema,
            output_location,
            from,
            to,
            profile,
            region,
            endpoint_url,
            timeout,
        } => {
            let source = AthenaSource {
                database: &database,
                table: &table,
                workgroup: &workgroup,
                schema: &schema,
                output_location: output_location.as_deref(),
                from: from.as_deref(),
                to: to.as_deref(),
            };
            let connection = ladderwise_aws::Connection {
                api_region: region,
                endpoint_url,
                profile,
                attempt_timeout: std::time::Duration::from_secs(timeout.max(1)),
                ..ladderwise_aws::Connection::default()
            };
            pull(&source, &connection)
        }
        ActualsCommand::Show { format, from, to } => {
            for (what, m) in [("--from", &from), ("--to", &to)] {
                if let Some(m) = m {
                    actuals::parse_month(what, m)?;
                }
            }
            if let (Some(f), Some(t)) = (&from, &to)
                && f > t
            {
                return Err(AppError::Arguments(format!(
                    "`--from {f}` is after `--to {t}`\nhint: write the earlier month after --from, e.g. `--from {t} --to {f}`"
                )));
            }
            let range = (from.is_some() || to.is_some()).then(|| {
                (
                    from.as_deref().unwrap_or("0000-01"),
                    to.as_deref().unwrap_or("9999-12"),
                )
            });
            let rows = actuals::summary(&actuals::load(range)?);
            // Months asked for and not held are bad input, as `variance --month` says.
            if rows.is_empty() && range.is_some() {
                let month = match (&from, &to) {
                    (Some(f), Some(t)) if f == t => f.clone(),
                    (Some(f), Some(t)) => format!("from {f} to {t}"),
                    (Some(f), None) => format!("from {f} on"),
                    (None, Some(t)) => format!("up to {t}"),
                    (None, None) => String::new(),
                };
                return Err(AppError::NoActualsMonth {
                    month,
                    stored: actuals::stored_months()?,
                });
            }
            Ok(match format {
                Format::Table => table(&rows),
                Format::Json => export::actuals_json(&rows),
                Format::Csv => export::actuals_csv(&rows),
            })
        }
    }
}

/// The query is checked before anything is sent; the rows are stored once they are all in.
/// Ctrl-C while the query runs stops it in Athena and stores nothing.
fn pull(
    source: &AthenaSource<'_>,
    connection: &ladderwise_aws::Connection,
) -> Result<String, AppError> {
    let query = actuals::athena_query(source)?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar.set_message("starting the Athena query");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(AppError::Runtime)?;
    let interrupted = async {
        // Without a Ctrl-C handler the query cannot be stopped on Ctrl-C; it still runs.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let mut id = String::new();
    let result = runtime.block_on(actuals::query_athena(
        connection,
        &query,
        interrupted,
        |p| match p {
            Progress::Started { query_execution_id } => {
                bar.set_message(format!("Athena query {query_execution_id} started"));
                id = query_execution_id;
            }
            Progress::Polled { state, waited } => bar.set_message(format!(
                "Athena query {id}: {state} after {:.1} s",
                waited.as_secs_f64()
            )),
            Progress::Page { page, rows } => {
                bar.set_message(format!("reading the result: page {page}, {rows} row(s)"))
            }
        },
    ));
    bar.finish_and_clear();
    let rows = result?;
    Ok(pull_text(&actuals::store_athena_rows(&query, &rows)?))
}

fn pull_text(r: &PullReport) -> String {
    let mut out = String::new();
    let scanned = r
        .scanned_bytes
        .map_or("an unreported number of".to_string(), |b| {
            format_quantity(Decimal::from(b), 0)
        });
    let _ = writeln!(
        out,
        "pulled the actuals from Athena: query {} scanned {scanned} bytes and returned {} row(s), {} of modelled services, kept in {} row(s)",
        r.query_execution_id, r.result_rows, r.stored.lines, r.stored.rows_kept
    );
    stored_text(&mut out, &r.stored, "a pull");
    if !r.months_without_rows.is_empty() {
        let _ = writeln!(
            out,
            "no row for month(s) {}: kept as they were in the store",
            r.months_without_rows.join(", ")
        );
    }
    let _ = writeln!(out, "the store is {}", actuals::store_dir().display());
    out
}

/// On a terminal, a bar of the files read and how far the one being read has got, e.g.
/// `reading focus.csv: 45 % (128 of 283 MB)` (drawn at most 20 times a second, and not at
/// all when standard error is no terminal).
fn import(path: PathBuf) -> Result<String, AppError> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let result = actuals::import(&path, |p| {
        bar.set_length(p.count as u64);
        bar.set_position(p.index as u64);
        bar.set_message(reading(p.path, p.read, p.size));
    });
    bar.finish_and_clear();
    Ok(import_text(&result?))
}

/// `reading FILE: 45 % (128 of 283 MB)`.
fn reading(path: &std::path::Path, read: u64, size: u64) -> String {
    if size == 0 {
        return format!("reading {}", path.display());
    }
    let mb = |b: u64| {
        let mb = b as f64 / 1e6;
        if size < 10_000_000 {
            format!("{mb:.1}")
        } else {
            format!("{mb:.0}")
        }
    };
    format!(
        "reading {}: {} % ({} of {} MB)",
        path.display(),
        read.min(size) * 100 / size,
        mb(read.min(size)),
        mb(size)
    )
}

fn opt(d: Option<Decimal>) -> String {
    d.map_or("n/a".to_string(), money)
}

fn table(rows: &[ShowRow]) -> String {
    if rows.is_empty() {
        return "the actuals store is empty\nhint: `ladderwise actuals import PATH` reads a FOCUS 1.2 or CUR 2.0 export; `ladderwise actuals pull --athena …` sums one in Athena\n".into();
    }
    let mut out = String::new();
    let currency = &rows[0].currency;
    let line = |out: &mut String, a: &str, b: &str, c: &str, d: &str, e: &str, f: &str| {
        let _ = writeln!(out, "    {a:<36} {b:<10} {c:>18} {d:<8} {e:>14} {f:>14}");
    };
    let mut month_start = 0;
    while month_start < rows.len() {
        let month = &rows[month_start].month;
        let month_end = rows[month_start..]
            .iter()
            .position(|r| &r.month != month)
            .map_or(rows.len(), |p| month_start + p);
        let of_month = &rows[month_start..month_end];
        let _ = writeln!(out, "{month}");
        let mut s = 0;
        while s < of_month.len() {
            let service = &of_month[s].service_code;
            let e = of_month[s..]
                .iter()
                .position(|r| &r.service_code != service)
                .map_or(of_month.len(), |p| s + p);
            let _ = writeln!(out, "  {service}");
            line(
                &mut out,
                "usage type",
                "kind",
                "usage",
                "unit",
                &format!("billed {currency}"),
                &format!("list {currency}"),
            );
            for r in &of_month[s..e] {
                line(
                    &mut out,
                    &r.usage_type,
                    r.kind.name(),
                    &r.usage_amount
                        .map_or("n/a".into(), |u| format_quantity(u, 3)),
                    &r.unit,
                    &money(r.billed_cost),
                    &opt(r.list_cost),
                );
            }
            let billed: Decimal = of_month[s..e].iter().map(|r| r.billed_cost).sum();
            line(&mut out, "subtotal", "", "", "", &money(billed), "");
            s = e;
        }
        let _ = writeln!(out, "  by kind:");
        for kind in ChargeKind::ALL {
            let of_kind: Vec<&ShowRow> = of_month.iter().filter(|r| r.kind == kind).collect();
            if !of_kind.is_empty() {
                let total: Decimal = of_kind.iter().map(|r| r.billed_cost).sum();
                let _ = writeln!(out, "    {:<36} {:>14}", kind.name(), money(total));
            }
        }
        let total: Decimal = of_month.iter().map(|r| r.billed_cost).sum();
        let _ = writeln!(out, "  {month} billed total {currency} {}\n", money(total));
        month_start = month_end;
    }
    let _ = writeln!(
        out,
        "Summed over accounts and Regions. Billed is what the invoice charges; list is the public on-demand cost (n/a when a line had none)."
    );
    out
}
