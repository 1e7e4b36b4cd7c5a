//! Actuals on the user's machine: AWS Data Exports imported into the local store
//! (`$XDG_DATA_HOME/ladderwise/actuals/month=YYYY-MM/part.parquet`) from files or pulled from
//! Athena, read back by month, and turned into the drivers a calibration uses.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::path::{Path, PathBuf};

use ladderwise_actuals::read::{self, FileSummary};
use ladderwise_actuals::{ActualRow, Aggregate, ChargeKind, drivers, store};
use ladderwise_aws::athena::{self, ActualsQuery, ExportSchema, Progress, QueryRows};
use ladderwise_aws::{Connection, PullError};
use ladderwise_model::PriceBook;
use ladderwise_usage::MonthDrivers;
use rust_decimal::Decimal;

use crate::AppError;

/// The actuals store's directory.
pub fn store_dir() -> PathBuf {
    crate::snapshots::data_dir().join("actuals")
}

/// What was stored: the rows an import or a pull put into the store.
#[derive(Clone, Debug, Default)]
pub struct Stored {
    /// Aggregated rows stored.
    pub rows_kept: usize,
    /// Export lines (or result rows) of modelled services added up into them.
    pub lines: u64,
    /// Lines left out because they had no billed cost.
    pub lines_without_billed_cost: u64,
    /// The months written in the store, oldest first.
    pub months_replaced: Vec<String>,
    /// Of an export, the billing periods it replaced (their lines may be charged in the
    /// months before: corrections); empty for a query's rows, which replace charge months.
    pub billing_periods: Vec<String>,
    /// Billed cost by kind.
    pub totals: BTreeMap<ChargeKind, Decimal>,
    pub currency: Option<String>,
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    pub files: Vec<FileSummary>,
    pub stored: Stored,
}

/// Where an import has got: file `index` (from 0) of `count`, and how much of it is read.
#[derive(Clone, Copy, Debug)]
pub struct ImportProgress<'a> {
    pub index: usize,
    pub count: usize,
    pub path: &'a Path,
    /// Bytes of the file read (of a gzipped file, compressed bytes), of `size`.
    pub read: u64,
    pub size: u64,
}

/// Imports a FOCUS 1.2 or CUR 2.0 export (a file, or a directory tree of them) into the
/// store. Every file is read before anything is written, and what is kept of it is its sums,
/// never its lines, so memory stays bounded however large the files; the billing periods the
/// import holds are replaced, all or nothing (their lines in whichever month they are
/// charged), and the rest kept. An account's billing period may come from the parts of one
/// delivery only (one format, one folder): two formats or two deliveries of one period are
/// two copies of it, and the import is refused, as soon as the file that makes the second is
/// read, with nothing written ([`read::Coverage`]). `progress` hears of each file before it
/// is read (`read` 0), then as it is read (every few megabytes of a CSV file, after each
/// slice of a Parquet file), and when it is read whole.
pub fn import(
    path: &Path,
    mut progress: impl FnMut(ImportProgress<'_>),
) -> Result<ImportReport, AppError> {
    let files = read::find_files(path)?;
    let mut agg = Aggregate::default();
    let mut coverage = read::Coverage::default();
    let mut summaries = Vec::new();
    for (index, f) in files.iter().enumerate() {
        let mut tell = |read: u64, size: u64| {
            progress(ImportProgress {
                index,
                count: files.len(),
                path: f,
                read,
                size,
            })
        };
        tell(0, std::fs::metadata(f).map_or(0, |m| m.len()));
        let summary = read::read_file_reporting(f, &mut agg, &mut |p| tell(p.read, p.size))?;
        coverage.add(&summary)?;
        summaries.push(summary);
    }
    Ok(ImportReport {
        files: summaries,
        stored: store_aggregate(agg, store::Whole::BillingPeriods)?,
    })
}

/// Replaces what `agg` is whole for in the store (an export's billing periods, a query's
/// charge months), all or nothing.
fn store_aggregate(agg: Aggregate, whole: store::Whole) -> Result<Stored, AppError> {
    let mut stored = Stored {
        lines_without_billed_cost: agg.lines_without_billed_cost,
        currency: agg.currency().map(str::to_string),
        ..Stored::default()
    };
    let rows = agg.rows();
    stored.rows_kept = rows.len();
    for r in &rows {
        stored.lines += r.line_items;
        *stored.totals.entry(r.kind).or_default() += r.billed_cost;
    }
    let replaced = store::replace_months(&store_dir(), &rows, whole)?;
    stored.months_replaced = replaced.months;
    stored.billing_periods = replaced.billing_periods;
    Ok(stored)
}

/// Money to the cent, e.g. `-12.50`, as the import and pull reports give it.
pub fn money(d: Decimal) -> String {
    format!(
        "{:.2}",
        d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    )
}

/// What an import read and stored, in words (the CLI prints it, the app shows it).
pub fn import_text(r: &ImportReport) -> String {
    let mut out = String::new();
    let focus = r
        .files
        .iter()
        .filter(|f| f.format == ladderwise_actuals::Format::Focus)
        .count();
    let _ = writeln!(
        out,
        "imported {} file(s) ({} FOCUS 1.2, {} CUR 2.0): {} line(s) of modelled services in {} row(s)",
        r.files.len(),
        focus,
        r.files.len() - focus,
        r.stored.lines,
        r.stored.rows_kept
    );
    stored_text(&mut out, &r.stored, "an import");
    let _ = writeln!(out, "the store is {}", store_dir().display());
    out
}

/// The months replaced and the billed cost by kind, as an import and a pull report them.
pub fn stored_text(out: &mut String, r: &Stored, what: &str) {
    if r.months_replaced.is_empty() {
        let _ = writeln!(
            out,
            "no line of a service Ladderwise models: the store is unchanged"
        );
    } else if r.billing_periods.is_empty() {
        let _ = writeln!(
            out,
            "replaced month(s) {}: {what} replaces the lines of the months and accounts it holds and keeps every other line",
            r.months_replaced.join(", ")
        );
    } else {
        // A correction billed in a later period is charged in an earlier month: that month
        // is written too, its other lines kept.
        let written = if r.months_replaced == r.billing_periods {
            String::new()
        } else {
            format!(" (lines charged in {})", r.months_replaced.join(", "))
        };
        let _ = writeln!(
            out,
            "replaced billing period(s) {}{written}: {what} replaces the lines of the billing periods and accounts it holds and keeps every other line",
            r.billing_periods.join(", ")
        );
    }
    if !r.totals.is_empty() {
        let currency = r.currency.as_deref().unwrap_or("");
        let parts: Vec<String> = r
            .totals
            .iter()
            .map(|(k, v)| format!("{} {}", k.name(), money(*v)))
            .collect();
        let _ = writeln!(out, "billed by kind ({currency}): {}", parts.join(", "));
    }
    if r.lines_without_billed_cost > 0 {
        let _ = writeln!(
            out,
            "warning: {} line(s) had no billed cost and were left out (not counted as 0)",
            r.lines_without_billed_cost
        );
    }
}

/// `YYYY-MM` as (year, month), or bad input naming `what` it was given for.
pub fn parse_month(what: &str, text: &str) -> Result<(i32, u32), AppError> {
    let bad = || {
        AppError::Usage(format!(
            "{what} `{text}` is not a month\nhint: write YYYY-MM, e.g. 2026-10"
        ))
    };
    if !ladderwise_usage::partitions::is_month(text) {
        return Err(bad());
    }
    let year = text[..4].parse().map_err(|_| bad())?;
    let month = text[5..].parse().map_err(|_| bad())?;
    Ok((year, month))
}

/// The Athena query of a pull, from what the user typed: every service Ladderwise models,
/// the months from `from` to `to` (`YYYY-MM`, both included, either open). Everything is
/// checked here, before any call.
pub struct AthenaSource<'a> {
    pub database: &'a str,
    pub table: &'a str,
    pub workgroup: &'a str,
    pub schema: &'a str,
    pub output_location: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// The checked query of `source`.
pub fn athena_query(source: &AthenaSource<'_>) -> Result<ActualsQuery, AppError> {
    let schema: ExportSchema = source
        .schema
        .parse()
        .map_err(|e| AppError::Pull(PullError::BadQuery(e)))?;
    let query = ActualsQuery {
        database: source.database.to_string(),
        table: source.table.to_string(),
        workgroup: source.workgroup.to_string(),
        output_location: source.output_location.map(str::to_string),
        schema,
        from_month: source.from.map(|m| parse_month("--from", m)).transpose()?,
        to_month: source.to.map(|m| parse_month("--to", m)).transpose()?,
        services: ladderwise_actuals::modelled_services()
            .into_iter()
            .map(str::to_string)
            .collect(),
    };
    query
        .validate()
        .map_err(|e| AppError::Pull(PullError::BadQuery(e)))?;
    Ok(query)
}

/// Runs the query in Athena and returns its rows; if `cancel` completes first (Ctrl-C), the
/// query is stopped in Athena (StopQueryExecution) and the pull fails. Nothing is stored here:
/// [`store_athena_rows`] does that, off the async runtime (polars runs its own).
pub async fn query_athena(
    connection: &Connection,
    query: &ActualsQuery,
    cancel: impl Future<Output = ()>,
    progress: impl FnMut(Progress),
) -> Result<QueryRows, AppError> {
    Ok(athena::run_until(connection, query, cancel, progress).await?)
}

/// What a pull stored.
#[derive(Clone, Debug, Default)]
pub struct PullReport {
    pub query_execution_id: String,
    /// The bytes Athena scanned, which is what it bills; `None` when it did not say.
    pub scanned_bytes: Option<i64>,
    /// Rows the query returned.
    pub result_rows: usize,
    /// Months of the range asked for (both ends given) that the result has no row of; the
    /// store keeps what it held for them.
    pub months_without_rows: Vec<String>,
    pub stored: Stored,
}

/// Turns an Athena result into actuals, as a local import does, and replaces the months it
/// holds in the store, all or nothing.
pub fn store_athena_rows(query: &ActualsQuery, rows: &QueryRows) -> Result<PullReport, AppError> {
    let agg = ladderwise_actuals::from_rows("the Athena result", &rows.columns, &rows.rows)
        .map_err(|source| AppError::AthenaRows {
            query_execution_id: rows.query_execution_id.clone(),
            source,
        })?;
    let stored = store_aggregate(agg, store::Whole::ChargeMonths)?;
    let mut months_without_rows = Vec::new();
    if let (Some(mut m), Some(to)) = (query.from_month, query.to_month) {
        while m <= to {
            let label = format!("{:04}-{:02}", m.0, m.1);
            if !stored.months_replaced.contains(&label) {
                months_without_rows.push(label);
            }
            m = if m.1 == 12 {
                (m.0 + 1, 1)
            } else {
                (m.0, m.1 + 1)
            };
        }
    }
    Ok(PullReport {
        query_execution_id: rows.query_execution_id.clone(),
        scanned_bytes: rows.scanned_bytes,
        result_rows: rows.rows.len(),
        months_without_rows,
        stored,
    })
}

/// The months the store holds a line of, oldest first. A month whose every line a later
/// import moved to another billing period keeps an empty partition, and is not one of them.
pub fn stored_months() -> Result<Vec<String>, AppError> {
    let mut months: Vec<String> = load(None)?.into_iter().map(|r| r.month).collect();
    months.dedup();
    Ok(months)
}

/// The stored rows of the months from `from` to `to` (`YYYY-MM`, inclusive; all when `None`).
pub fn load(range: Option<(&str, &str)>) -> Result<Vec<ActualRow>, AppError> {
    Ok(store::load(&store_dir(), range)?)
}

/// One line of `actuals show`: a month's usage type of a service and kind, over every
/// account and Region.
#[derive(Clone, Debug, PartialEq)]
pub struct ShowRow {
    pub month: String,
    pub service_code: String,
    pub kind: ChargeKind,
    pub usage_type: String,
    pub unit: String,
    /// `None` when a usage line gave no quantity.
    pub usage_amount: Option<Decimal>,
    pub billed_cost: Decimal,
    /// `None` when a line had no list cost.
    pub list_cost: Option<Decimal>,
    pub effective_cost: Option<Decimal>,
    pub currency: String,
    pub line_items: u64,
}

/// Stored rows summed over accounts and Regions, by month, service, kind and usage type.
pub fn summary(rows: &[ActualRow]) -> Vec<ShowRow> {
    type Key = (String, String, ChargeKind, String, String, String);
    let mut out: BTreeMap<Key, ShowRow> = BTreeMap::new();
    for r in rows {
        let key = (
            r.month.clone(),
            r.service_code.clone(),
            r.kind,
            r.usage_type.clone(),
            r.unit.clone(),
            r.currency.clone(),
        );
        let e = out.entry(key).or_insert_with(|| ShowRow {
            month: r.month.clone(),
            service_code: r.service_code.clone(),
            kind: r.kind,
            usage_type: r.usage_type.clone(),
            unit: r.unit.clone(),
            usage_amount: Some(Decimal::ZERO),
            billed_cost: Decimal::ZERO,
            list_cost: Some(Decimal::ZERO),
            effective_cost: Some(Decimal::ZERO),
            currency: r.currency.clone(),
            line_items: 0,
        });
        e.usage_amount = e.usage_amount.zip(r.usage_amount).map(|(a, b)| a + b);
        e.billed_cost += r.billed_cost;
        e.list_cost = e.list_cost.zip(r.list_cost).map(|(a, b)| a + b);
        e.effective_cost = e.effective_cost.zip(r.effective_cost).map(|(a, b)| a + b);
        e.line_items += r.line_items;
    }
    out.into_values().collect()
}

/// Days of `month` (`YYYY-MM`) that have ended at `unix_seconds` (UTC) when the month has
/// not: a Data Export is refreshed through the running month, so its bill holds only their
/// charges. `None` once the month has ended.
pub fn days_ended(month: &str, unix_seconds: i64) -> Option<u32> {
    let (year, now, day) =
        ladderwise_usage::calendar::civil_from_days(unix_seconds.div_euclid(86_400));
    let current = format!("{year:04}-{now:02}");
    match month.cmp(current.as_str()) {
        std::cmp::Ordering::Less => None,
        std::cmp::Ordering::Equal => Some(day.saturating_sub(1)),
        std::cmp::Ordering::Greater => Some(0),
    }
}

/// The drivers of every stored month, oldest first, each with notes on what the bill cannot
/// give. Lines of S3 and MediaConvert billed in another Region than `region` are left out.
/// `book`'s normalization table turns MediaConvert's normalized minutes into output minutes.
/// A month that has not ended at `unix_now` counts only the days that have
/// ([`days_ended`]), so it is never taken for a full month.
pub fn month_drivers(
    book: &PriceBook,
    region: &str,
    unix_now: i64,
) -> Result<Vec<(MonthDrivers, Vec<String>)>, AppError> {
    let rows = load(None)?;
    let mut months: Vec<&str> = rows.iter().map(|r| r.month.as_str()).collect();
    months.dedup();
    Ok(months
        .into_iter()
        .map(|m| {
            let (mut d, mut notes) =
                drivers::month_drivers(&rows, m, book.mediaconvert.as_ref(), region);
            if let Some(days) = days_ended(m, unix_now) {
                d.days_with_data = days;
                notes.push(format!(
                    "{m} has not ended: its bill holds the charges of {days} of its {} days",
                    d.days_in_month
                ));
            }
            (d, notes)
        })
        .collect())
}
