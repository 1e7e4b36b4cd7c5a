//! Actuals on the user's machine: AWS Data Exports imported into the local store
//! (`$XDG_DATA_HOME/ladderwise/actuals/month=YYYY-MM/part.parquet`), read back by month, and
//! turned into the drivers a calibration uses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ladderwise_actuals::read::{self, FileSummary};
use ladderwise_actuals::{ActualRow, Aggregate, ChargeKind, drivers, store};
use ladderwise_usage::MonthDrivers;
use rust_decimal::Decimal;

use crate::AppError;

/// The actuals store's directory.
pub fn store_dir() -> PathBuf {
    crate::snapshots::data_dir().join("actuals")
}

/// What an import did.
#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    pub files: Vec<FileSummary>,
    /// Aggregated rows stored.
    pub rows_kept: usize,
    /// Export lines of modelled services added up into them.
    pub lines: u64,
    /// Lines left out because they had no billed cost.
    pub lines_without_billed_cost: u64,
    /// The months the import replaced in the store, oldest first.
    pub months_replaced: Vec<String>,
    /// Billed cost by kind.
    pub totals: BTreeMap<ChargeKind, Decimal>,
    pub currency: Option<String>,
}

/// Imports a FOCUS 1.2 or CUR 2.0 export (a file, or a directory tree of them) into the
/// store. Every file is read before anything is written; the months the import holds are
/// replaced, all or nothing, and the others kept. `progress` hears of each file before it is
/// read: (index from 0, count, path).
pub fn import(
    path: &Path,
    mut progress: impl FnMut(usize, usize, &Path),
) -> Result<ImportReport, AppError> {
    let files = read::find_files(path)?;
    let mut agg = Aggregate::default();
    let mut report = ImportReport::default();
    for (i, f) in files.iter().enumerate() {
        progress(i, files.len(), f);
        report.files.push(read::read_file(f, &mut agg)?);
    }
    report.lines_without_billed_cost = agg.lines_without_billed_cost;
    report.currency = agg.currency().map(str::to_string);
    let rows = agg.rows();
    report.rows_kept = rows.len();
    for r in &rows {
        report.lines += r.line_items;
        *report.totals.entry(r.kind).or_default() += r.billed_cost;
    }
    report.months_replaced = store::replace_months(&store_dir(), &rows)?;
    Ok(report)
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
    pub usage_amount: Decimal,
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
            usage_amount: Decimal::ZERO,
            billed_cost: Decimal::ZERO,
            list_cost: Some(Decimal::ZERO),
            effective_cost: Some(Decimal::ZERO),
            currency: r.currency.clone(),
            line_items: 0,
        });
        e.usage_amount += r.usage_amount;
        e.billed_cost += r.billed_cost;
        e.list_cost = e.list_cost.zip(r.list_cost).map(|(a, b)| a + b);
        e.effective_cost = e.effective_cost.zip(r.effective_cost).map(|(a, b)| a + b);
        e.line_items += r.line_items;
    }
    out.into_values().collect()
}

/// The drivers of one stored month of actuals (the last one when `month` is `None`), with
/// notes on what the bill cannot give; `None` when the store is empty or lacks the month.
pub fn month_drivers(month: Option<&str>) -> Result<Option<(MonthDrivers, Vec<String>)>, AppError> {
    let rows = load(None)?;
    let chosen = match month {
        Some(m) => rows.iter().find(|r| r.month == m).map(|r| r.month.clone()),
        None => rows.iter().map(|r| r.month.clone()).max(),
    };
    Ok(chosen.map(|m| drivers::month_drivers(&rows, &m)))
}

/// The drivers of every stored month, oldest first.
pub fn all_month_drivers() -> Result<Vec<MonthDrivers>, AppError> {
    let rows = load(None)?;
    let mut months: Vec<&str> = rows.iter().map(|r| r.month.as_str()).collect();
    months.dedup();
    Ok(months
        .into_iter()
        .map(|m| drivers::month_drivers(&rows, m).0)
        .collect())
}
