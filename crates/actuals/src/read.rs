//! AWS Data Exports read from local files into the aggregate, so memory stays bounded however
//! large the export: what is kept of a file is its sums by month, account, Region, service,
//! usage type, unit, currency and charge category, never its rows.
//!
//! - Parquet is read with polars' lazy API: only the needed columns are scanned, the
//!   services Ladderwise does not model are filtered out in the plan, and the rest is
//!   grouped on polars' streaming engine, a slice of rows at a time
//!   ([`read_file_in_slices`]).
//! - CSV, plain or gzipped, is read record by record with the `csv` crate
//!   ([`crate::csv_export`]): one record is held at a time, whatever the file's size.
//!
//! Both come down to the same groups (`Group`), checked and added up by one function
//! (`add_group`), so a file says the same as Parquet or as CSV.
//!
//! Column names, as AWS Data Exports documents them:
//! - FOCUS 1.2 with AWS columns ("FOCUS 1.2 with AWS columns", docs.aws.amazon.com/cur/
//!   latest/userguide/table-dictionary-focus-1-2-aws-columns.html): `ChargePeriodStart`,
//!   `BillingAccountId`, `SubAccountId`, `RegionId`, `x_ServiceCode`, `x_UsageType`,
//!   `PricingUnit`, `PricingQuantity`, `ListCost`, `BilledCost`, `EffectiveCost`,
//!   `BillingCurrency`, `ChargeCategory`, `ChargeClass`, `BillingPeriodStart`. AWS names `x_UsageType` among its
//!   FOCUS 1.0 columns and the 1.2 page lists `x_Discounts`, `x_Operation`, `x_ServiceCode`;
//!   where `x_UsageType` is absent the FOCUS `SkuMeter` is read as the usage type instead
//!   (an assumption, not a documented equivalence).
//! - CUR 2.0 ("Cost and Usage Report (CUR) 2.0", table-dictionary-cur2.html, its line item,
//!   pricing and product column pages): `line_item_usage_start_date`,
//!   `line_item_usage_account_id`, `product_region_code`, `line_item_product_code` (and
//!   `product_servicecode`, which names AWSDataTransfer where the product code says
//!   AmazonS3), `line_item_usage_type`, `pricing_unit`, `line_item_usage_amount`,
//!   `pricing_public_on_demand_cost`, `line_item_unblended_cost`,
//!   `line_item_net_unblended_cost` (when the export has it), `line_item_currency_code`,
//!   `line_item_line_item_type`, `bill_billing_period_start_date`. CUR 2.0 has no single effective cost: the net unblended cost
//!   (after discounts) is taken where there is one, the unblended cost otherwise.
//!
//! The billing period's start is optional: without it a line is taken to be billed in its
//! charge month (a correction to an earlier month then cannot be told apart).
//!
//! Timestamps are UTC: Parquet timestamps are instants, and text timestamps are ISO 8601 in
//! UTC as both specifications require (`2026-10-01T00:00:00Z`), so their first seven
//! characters are the month.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use crate::{ActualsError, Aggregate, Format, RawSums, RowKey, TwoCopies, modelled_services};

/// The columns that tell the formats apart.
const FOCUS_KEYS: [&str; 5] = [
    "BilledCost",
    "ChargePeriodStart",
    "ServiceName",
    "BillingCurrency",
    "ChargeCategory",
];
const CUR_KEYS: [&str; 5] = [
    "line_item_usage_type",
    "line_item_unblended_cost",
    "line_item_usage_start_date",
    "line_item_product_code",
    "line_item_line_item_type",
];

/// What one file gave.
#[derive(Clone, Debug)]
pub struct FileSummary {
    pub path: PathBuf,
    pub format: Format,
    /// Export lines of modelled services that were added up.
    pub lines: u64,
    pub lines_without_billed_cost: u64,
    /// The billing periods of the lines added up (FOCUS `BillingPeriodStart`, CUR
    /// `bill_billing_period_start_date`, or the charge month where the export has neither),
    /// each with the accounts whose lines it holds: what [`Coverage`] checks.
    pub billing_periods: BTreeMap<String, BTreeSet<String>>,
}

/// Which file of an import holds each account's billing period, so that no period is added
/// up from two copies of it.
///
/// Each export file of AWS Data Exports holds the whole of its billing period to the day it
/// was written: the FOCUS 1.2 and the CUR 2.0 export of one period hold the same charges, and
/// with "create new export file" every delivery is another complete copy, in a folder of its
/// own (`<export>/data/BILLING_PERIOD=2026-10/<delivery>/<export>-00001.csv`). A delivery
/// too large for one file comes in parts (`-00001`, `-00002`, …) in that one folder, which
/// add up. So the lines of one account's billing period may come from several files of one
/// format in one folder, and from nothing else. Accounts are the usage accounts (FOCUS
/// `SubAccountId`, CUR `line_item_usage_account_id`): the exports of two organizations hold
/// other accounts, and add up.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Of each (billing period, account), the first file holding its lines, and its format.
    first: BTreeMap<(String, String), (PathBuf, Format)>,
}

impl Coverage {
    /// Notes the periods `file` holds; refuses a period that another format's file, or a file
    /// of another folder, already holds.
    pub fn add(&mut self, file: &FileSummary) -> Result<(), ActualsError> {
        let folder = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
        for (period, accounts) in &file.billing_periods {
            for account in accounts {
                let key = (period.clone(), account.clone());
                let Some((first, format)) = self.first.get(&key) else {
                    self.first.insert(key, (file.path.clone(), file.format));
                    continue;
                };
                let copies = |first, other| {
                    Box::new(TwoCopies {
                        period: period.clone(),
                        account: account.clone(),
                        first,
                        other,
                        first_format: *format,
                        other_format: file.format,
                    })
                };
                if *format != file.format {
                    return Err(ActualsError::TwoFormats(copies(
                        first.clone(),
                        file.path.clone(),
                    )));
                }
                if folder(first) != folder(&file.path) {
                    return Err(ActualsError::TwoDeliveries(copies(
                        folder(first),
                        folder(&file.path),
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The export files under a path (the file itself, or every `.parquet`, `.csv` and `.csv.gz`
/// in a directory tree), in name order.
pub fn find_files(path: &Path) -> Result<Vec<PathBuf>, ActualsError> {
    let meta = std::fs::metadata(path).map_err(|source| ActualsError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    if meta.is_file() {
        out.push(path.to_path_buf());
    } else {
        walk(path, &mut out)?;
        out.retain(|p| kind_of(p).is_some());
        out.sort();
    }
    if out.is_empty() {
        return Err(ActualsError::NoFiles {
            path: path.to_path_buf(),
        });
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ActualsError> {
    let io = |source| ActualsError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum FileKind {
    Parquet,
    Csv,
}

fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.starts_with('.') {
        None
    } else if name.ends_with(".parquet") {
        Some(FileKind::Parquet)
    } else if name.ends_with(".csv") || name.ends_with(".csv.gz") {
        Some(FileKind::Csv)
    } else {
        None
    }
}

/// Prefixes of the column names polars gives its own columns while it plans a query
/// (polars-plan's `constants.rs`: `__PL_STRUCTFIELDS`, `__PL_ELEMENT`, `_POLARS_…`,
/// `__POLARS_CSER_…`). A column so named meets polars' own in the plan: `__PL_STRUCTFIELDS`
/// makes polars panic while planning any query over the file (found by fuzzing:
/// `crash-reserved-column.csv`), so a file with any of them is refused before a query is
/// built. A CSV file, which polars does not read, is refused alike, so that a file says the
/// same as Parquet or as CSV. No AWS export names a column this way.
const RESERVED_PREFIXES: [&str; 3] = ["__PL_", "_POLARS_", "__POLARS_"];

/// Refuses a file with a column named as polars names its own.
pub(crate) fn refuse_reserved<'a>(
    path: &Path,
    mut names: impl Iterator<Item = &'a str>,
) -> Result<(), ActualsError> {
    match names.find(|name| RESERVED_PREFIXES.iter().any(|p| name.starts_with(p))) {
        Some(name) => Err(ActualsError::ReservedColumn {
            file: path.to_path_buf(),
            column: name.to_string(),
        }),
        None => Ok(()),
    }
}

/// The error of a Parquet file polars could not read.
fn unreadable(file: &Path) -> impl Fn(PolarsError) -> ActualsError + '_ {
    move |source| ActualsError::Unreadable {
        file: file.to_path_buf(),
        source,
    }
}

fn scan_parquet(path: &Path) -> Result<LazyFrame, ActualsError> {
    let p = PlRefPath::from(path.to_string_lossy().as_ref());
    LazyFrame::scan_parquet(p, ScanArgsParquet::default()).map_err(unreadable(path))
}

/// The amounts a group sums, in the order of [`Columns::numbers`] and of [`Group`]'s arrays.
const NUMBERS: [&str; 4] = ["usage_amount", "list_cost", "billed_cost", "effective_cost"];

/// Where the billed cost is in [`NUMBERS`].
pub(crate) const BILLED: usize = 2;

/// One amount of a line: the column an error names, and the columns it is read from, the
/// first that holds a number taken.
pub(crate) struct Number {
    pub source: String,
    pub columns: Vec<String>,
}

/// Where each output comes from in one file, by column name: the same for Parquet and CSV.
pub(crate) struct Columns {
    pub format: Format,
    /// The start of the charge period.
    pub month: String,
    /// The billing period's start, when the export has the column.
    pub billing: Option<String>,
    pub account: String,
    pub region: Option<String>,
    /// The service code: the first of these columns that has a value.
    pub service: Vec<String>,
    pub usage_type: String,
    pub unit: String,
    pub currency: String,
    pub category: String,
    pub class: Option<String>,
    /// The usage amount, list, billed and effective cost ([`NUMBERS`]).
    pub numbers: [Number; 4],
}

/// Which export a file is, and which of its columns are read; `has` tells whether the file
/// has a column.
pub(crate) fn columns(path: &Path, has: &dyn Fn(&str) -> bool) -> Result<Columns, ActualsError> {
    let focus_missing: Vec<&str> = FOCUS_KEYS.iter().copied().filter(|c| !has(c)).collect();
    let cur_missing: Vec<&str> = CUR_KEYS.iter().copied().filter(|c| !has(c)).collect();
    let format = if focus_missing.is_empty() {
        Format::Focus
    } else if cur_missing.is_empty() {
        Format::Cur2
    } else {
        // Name what the nearer format lacks.
        let (name, missing) = if focus_missing.len() <= cur_missing.len() {
            ("FOCUS 1.2", focus_missing)
        } else {
            ("CUR 2.0", cur_missing)
        };
        let list = missing
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(ActualsError::UnknownFormat {
            file: path.to_path_buf(),
            missing: format!("{list} (as {name} needs)"),
        });
    };
    let need = |c: &str| -> Result<String, ActualsError> {
        if has(c) {
            Ok(c.to_string())
        } else {
            Err(ActualsError::MissingColumn {
                file: path.to_path_buf(),
                format: format.to_string(),
                column: c.to_string(),
            })
        }
    };
    let first_of = |cs: &[&str]| -> Result<String, ActualsError> {
        cs.iter()
            .find(|c| has(c))
            .map(|c| c.to_string())
            .ok_or_else(|| ActualsError::MissingColumn {
                file: path.to_path_buf(),
                format: format.to_string(),
                column: cs[0].to_string(),
            })
    };
    let optional = |c: &str| has(c).then(|| c.to_string());
    let one = |c: String| Number {
        source: c.clone(),
        columns: vec![c],
    };
    // The columns are asked for in the order the first missing one is named.
    Ok(match format {
        Format::Focus => {
            let month = need("ChargePeriodStart")?;
            let effective = need("EffectiveCost")?;
            let account = first_of(&["SubAccountId", "BillingAccountId"])?;
            let region = optional("RegionId");
            let service = vec![need("x_ServiceCode")?];
            let usage_type = first_of(&["x_UsageType", "SkuMeter"])?;
            let unit = need("PricingUnit")?;
            let currency = need("BillingCurrency")?;
            let category = need("ChargeCategory")?;
            let quantity = need("PricingQuantity")?;
            let list = need("ListCost")?;
            let billed = need("BilledCost")?;
            Columns {
                format,
                month,
                billing: optional("BillingPeriodStart"),
                account,
                region,
                service,
                usage_type,
                unit,
                currency,
                category,
                class: optional("ChargeClass"),
                numbers: [one(quantity), one(list), one(billed), one(effective)],
            }
        }
        Format::Cur2 => {
            let month = need("line_item_usage_start_date")?;
            let product = need("line_item_product_code")?;
            let service: Vec<String> = optional("product_servicecode")
                .into_iter()
                .chain([product])
                .collect();
            let billed = need("line_item_unblended_cost")?;
            let effective: Vec<String> = optional("line_item_net_unblended_cost")
                .into_iter()
                .chain([billed.clone()])
                .collect();
            let account = need("line_item_usage_account_id")?;
            let region = optional("product_region_code");
            let usage_type = need("line_item_usage_type")?;
            let unit = need("pricing_unit")?;
            let currency = need("line_item_currency_code")?;
            let category = need("line_item_line_item_type")?;
            let quantity = need("line_item_usage_amount")?;
            let list = need("pricing_public_on_demand_cost")?;
            Columns {
                format,
                month,
                billing: optional("bill_billing_period_start_date"),
                account,
                region,
                service,
                usage_type,
                unit,
                currency,
                category,
                class: None,
                numbers: [
                    one(quantity),
                    one(list),
                    one(billed.clone()),
                    Number {
                        source: billed,
                        columns: effective,
                    },
                ],
            }
        }
    })
}

/// The columns of [`Columns`] as polars expressions over a Parquet file.
struct Plan {
    /// The types of the charge and billing period starts.
    month: DataType,
    billing: Option<DataType>,
    account: Expr,
    region: Expr,
    service: Expr,
    usage_type: Expr,
    unit: Expr,
    currency: Expr,
    category: Expr,
    class: Expr,
    /// Each of [`NUMBERS`] as a number.
    numbers: Vec<Expr>,
}

fn text(column: &str) -> Expr {
    col(column).cast(DataType::String)
}

fn number(column: &str) -> Expr {
    col(column).cast(DataType::Float64)
}

fn plan(c: &Columns, schema: &Schema) -> Plan {
    let null_text = || lit(NULL).cast(DataType::String);
    let optional_text = |c: &Option<String>| c.as_deref().map_or_else(null_text, text);
    // The first of the columns that has a value.
    let first = |cs: &[String], e: fn(&str) -> Expr| {
        cs.iter()
            .map(|c| e(c))
            .reduce(|a, b| a.fill_null(b))
            .unwrap_or_else(null_text)
    };
    let dtype = |c: &str| schema.get(c).cloned().unwrap_or(DataType::Null);
    Plan {
        month: dtype(&c.month),
        billing: c.billing.as_deref().map(dtype),
        account: text(&c.account),
        region: optional_text(&c.region),
        service: first(&c.service, text),
        usage_type: text(&c.usage_type),
        unit: text(&c.unit),
        currency: text(&c.currency),
        category: text(&c.category),
        class: optional_text(&c.class),
        numbers: c
            .numbers
            .iter()
            .map(|n| first(&n.columns, number))
            .collect(),
    }
}

/// The month label of a timestamp column, by its type.
fn month_expr(path: &Path, column: &str, dtype: &DataType) -> Result<Expr, ActualsError> {
    match dtype {
        // Through the physical value, so a time zone (AWS writes UTC) needs no zone database.
        DataType::Datetime(unit, _) => Ok(col(column)
            .cast(DataType::Int64)
            .cast(DataType::Datetime(*unit, None))
            .dt()
            .to_string("%Y-%m")),
        // As `text_month`.
        DataType::String => {
            let text = col(column);
            let zone = text
                .clone()
                .str()
                .slice(lit(19), lit(64))
                .str()
                .strip_chars_start(lit(".0123456789"));
            let utc = UTC_ZONES
                .into_iter()
                .map(|z| zone.clone().eq(lit(z)))
                .reduce(Expr::or)
                .unwrap_or(lit(true));
            Ok(when(utc)
                .then(text.clone().str().slice(lit(0), lit(7)))
                .otherwise(text))
        }
        other => Err(ActualsError::BadValue {
            file: path.to_path_buf(),
            column: column.to_string(),
            problem: format!("holds {other}, not timestamps"),
        }),
    }
}

/// How a text timestamp may end (after its seconds and their fraction) and be in UTC.
const UTC_ZONES: [&str; 9] = [
    "", "Z", "z", "+00:00", "-00:00", "+0000", "+00", "UTC", " UTC",
];

/// The month label of a text timestamp. FOCUS and CUR write UTC ("2026-10-01T00:00:00Z",
/// ".000Z", "+00:00"), whose first seven characters are the month; a time with another
/// offset may fall in another UTC month, so its whole text is the label, which is no month,
/// and the line is refused with the text it holds ([`checked_month`]).
pub(crate) fn text_month(text: &str) -> &str {
    // Characters, not bytes: the 64 after the 19th, as polars' `str.slice(19, 64)`.
    let at = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    let zone = &text[at(19)..at(19 + 64)];
    let zone = zone.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    if UTC_ZONES.contains(&zone) {
        &text[..at(7)]
    } else {
        text
    }
}

/// A group's month label (`label`, of `column`) as a month, or the error that names it.
pub(crate) fn checked_month<'a>(
    path: &Path,
    column: &str,
    label: Option<&'a str>,
    what: &str,
) -> Result<&'a str, ActualsError> {
    let month = label.unwrap_or("");
    if ladderwise_usage::partitions::is_month(month) {
        return Ok(month);
    }
    Err(ActualsError::BadValue {
        file: path.to_path_buf(),
        column: column.to_string(),
        problem: if month.is_empty() {
            format!("a line has no {what}")
        } else if month.len() > 7 {
            // The whole text, kept by `text_month` for a time that is not in UTC.
            format!(
                "`{month}` is not in UTC: its month could be another in UTC; AWS writes UTC, such as 2026-10-01T00:00:00Z"
            )
        } else {
            format!("`{month}…` is not a UTC timestamp such as 2026-10-01T00:00:00Z")
        },
    })
}

/// The error of a line without a currency.
pub(crate) fn no_currency(path: &Path, format: Format) -> ActualsError {
    ActualsError::BadValue {
        file: path.to_path_buf(),
        column: match format {
            Format::Focus => "BillingCurrency",
            Format::Cur2 => "line_item_currency_code",
        }
        .to_string(),
        problem: "a line has no currency".into(),
    }
}

/// The error of `count` values of `column` that are there but are no numbers, the first of
/// them at `places` (``line 7: `sixty-eight` ``, at most three).
pub(crate) fn not_numbers(
    path: &Path,
    column: &str,
    count: u64,
    places: &[String],
) -> ActualsError {
    let at = match places {
        [] => String::new(),
        [one] => format!(" (at {one})"),
        [first, rest @ ..] => format!(" (the first at {first}; then {})", rest.join(", ")),
    };
    ActualsError::BadValue {
        file: path.to_path_buf(),
        column: column.to_string(),
        problem: format!("{count} value(s) that are not numbers{at}"),
    }
}

/// How far the read of one file has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileProgress {
    /// Bytes of the file read so far: of a gzipped file, its compressed bytes.
    pub read: u64,
    /// The file's size in bytes.
    pub size: u64,
}

/// Reads one export file into the aggregate.
pub fn read_file(path: &Path, agg: &mut Aggregate) -> Result<FileSummary, ActualsError> {
    read_file_reporting(path, agg, &mut |_| {})
}

/// [`read_file`], telling `progress` how far it has got: when the file is opened, every
/// [`crate::csv_export::PROGRESS_BYTES`] of a CSV file or after each slice of a Parquet
/// file, and when the whole file is read.
pub fn read_file_reporting(
    path: &Path,
    agg: &mut Aggregate,
    progress: &mut dyn FnMut(FileProgress),
) -> Result<FileSummary, ActualsError> {
    read(path, agg, PARQUET_SLICE_ROWS, progress)
}

/// `read_file`, a Parquet file read `rows_per_slice` rows at a time (the memory held against
/// the number of passes; `read_file` takes `PARQUET_SLICE_ROWS`). Each slice's sums are
/// floating-point sums turned into decimals, so the totals may differ from a read in one
/// slice in far decimal places (a test checks the shipped test export adds up alike). A CSV
/// file is read record by record whatever `rows_per_slice` says.
pub fn read_file_in_slices(
    path: &Path,
    agg: &mut Aggregate,
    rows_per_slice: u32,
) -> Result<FileSummary, ActualsError> {
    read(path, agg, rows_per_slice, &mut |_| {})
}

fn read(
    path: &Path,
    agg: &mut Aggregate,
    rows_per_slice: u32,
    progress: &mut dyn FnMut(FileProgress),
) -> Result<FileSummary, ActualsError> {
    match kind_of(path) {
        Some(FileKind::Csv) => crate::csv_export::read(path, agg, progress),
        Some(FileKind::Parquet) => read_parquet(path, agg, rows_per_slice.max(1), progress),
        None => Err(ActualsError::NoFiles {
            path: path.to_path_buf(),
        }),
    }
}

fn read_parquet(
    path: &Path,
    agg: &mut Aggregate,
    rows_per_slice: u32,
    progress: &mut dyn FnMut(FileProgress),
) -> Result<FileSummary, ActualsError> {
    let unreadable = unreadable(path);
    let mut lf = scan_parquet(path)?;
    let schema = lf.collect_schema().map_err(&unreadable)?;
    refuse_reserved(path, schema.iter_names().map(|n| n.as_str()))?;
    let c = columns(path, &|name| schema.get(name).is_some())?;
    let p = plan(&c, &schema);
    let month = month_expr(path, &c.month, &p.month)?;
    let billing = match (&c.billing, &p.billing) {
        (Some(column), Some(dtype)) => month_expr(path, column, dtype)?,
        _ => month.clone(),
    };
    let modelled = modelled_services()
        .into_iter()
        .map(|s| p.service.clone().eq(lit(s)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));

    let keys = [
        "month",
        "billing_period",
        "account_id",
        "region",
        "service_code",
        "usage_type",
        "unit",
        "currency",
        "charge_category",
        "charge_class",
        "no_billed_cost",
    ];
    let billed = p.numbers[BILLED].clone();
    let mut select = vec![
        month.alias("month"),
        billing.alias("billing_period"),
        p.account.clone().alias("account_id"),
        p.region.clone().alias("region"),
        p.service.clone().alias("service_code"),
        p.usage_type.clone().alias("usage_type"),
        p.unit.clone().alias("unit"),
        p.currency.clone().alias("currency"),
        p.category.clone().alias("charge_category"),
        p.class.clone().alias("charge_class"),
        billed.is_null().alias("no_billed_cost"),
    ];
    let mut aggs = vec![len().alias("lines")];
    for ((name, number), expr) in NUMBERS.iter().zip(&c.numbers).zip(&p.numbers) {
        select.push(expr.clone().alias(*name));
        // A value that is there but is no number: counted, so it can be named.
        let raw = col(number.source.as_str());
        select.push(
            expr.clone()
                .is_null()
                .and(raw.is_not_null())
                .alias(format!("{name}_bad").as_str()),
        );
        aggs.push(col(*name).sum().alias(*name));
        aggs.push(
            col(*name)
                .null_count()
                .alias(format!("{name}_nulls").as_str()),
        );
        aggs.push(
            col(format!("{name}_bad").as_str())
                .sum()
                .alias(format!("{name}_bad").as_str()),
        );
    }
    let query = |lf: LazyFrame| {
        lf.filter(modelled.clone())
            .select(select.clone())
            .group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
            .agg(aggs.clone())
    };
    let mut summary = FileSummary {
        path: path.to_path_buf(),
        format: c.format,
        lines: 0,
        lines_without_billed_cost: 0,
        billing_periods: BTreeMap::new(),
    };
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    progress(FileProgress { read: 0, size });
    let slices = slices(path, &lf, rows_per_slice)?;
    for (k, (offset, len)) in slices.iter().enumerate() {
        let grouped = query(lf.clone().slice(*offset, *len))
            .collect_with_engine(Engine::Streaming)
            .map_err(&unreadable)?
            .unwrap_single();
        let locate = |k: usize| first_not_numbers(&lf, &p, &c, &modelled, k);
        for group in groups_of(path, &grouped)? {
            add_group(path, &c, &group, agg, &mut summary, &locate)?;
        }
        progress(FileProgress {
            read: size * (k as u64 + 1) / slices.len() as u64,
            size,
        });
    }
    Ok(summary)
}

/// Where the first values of amount `k` that are there but are no numbers are, for the
/// error: `row 7: `sixty-eight``, a Parquet file's rows counted from 1. Read again only when
/// the import is already failing.
fn first_not_numbers(
    lf: &LazyFrame,
    p: &Plan,
    c: &Columns,
    modelled: &Expr,
    k: usize,
) -> Vec<String> {
    const ROW: &str = "ladderwise_row";
    let source = c.numbers[k].source.as_str();
    let bad = p.numbers[k]
        .clone()
        .is_null()
        .and(col(source).is_not_null());
    let found = lf
        .clone()
        .with_row_index(ROW, None)
        .filter(modelled.clone().and(bad))
        .select([col(ROW), col(source).cast(DataType::String)])
        .limit(3)
        .collect();
    let Ok(found) = found else {
        return Vec::new();
    };
    let (Ok(rows), Ok(values)) = (found.column(ROW), found.column(source)) else {
        return Vec::new();
    };
    let (Ok(rows), Ok(values)) = (rows.cast(&DataType::UInt64), values.str()) else {
        return Vec::new();
    };
    let Ok(rows) = rows.u64() else {
        return Vec::new();
    };
    rows.iter()
        .zip(values.iter())
        .filter_map(|(row, value)| {
            Some(format!("row {}: `{}`", row? + 1, value.unwrap_or_default()))
        })
        .collect()
}

/// The largest sum of a quantity or an amount of money a month of the bill may hold: far
/// above any bill's requests or dollars, and ten billion times below where a decimal stops
/// being exact.
const MAX_AMOUNT: i64 = 1_000_000_000_000_000_000;

/// Rows of a Parquet file read at a time. Polars' streaming engine decodes several row groups
/// at once, ahead of the grouping; a file read in slices of this many rows holds the row
/// groups one slice covers (10 million FOCUS lines in row groups of a million: 604 MB, and
/// 1.4 GB read whole). A row group larger than a slice is decoded again for each slice it
/// spans.
const PARQUET_SLICE_ROWS: u32 = 1 << 20;

/// The slices (first row, rows) a Parquet file is read in: its row count is in its footer,
/// and a slice reads only the row groups it covers.
fn slices(
    path: &Path,
    lf: &LazyFrame,
    rows_per_slice: u32,
) -> Result<Vec<(i64, u32)>, ActualsError> {
    let unreadable = unreadable(path);
    let counted = lf
        .clone()
        .select([len().alias("rows")])
        .collect()
        .map_err(&unreadable)?;
    let rows = counted
        .column("rows")
        .and_then(|c| c.cast(&DataType::UInt64))
        .and_then(|c| c.u64().cloned())
        .map_err(&unreadable)?
        .get(0)
        .unwrap_or(0);
    let step = u64::from(rows_per_slice);
    Ok((0..rows.div_ceil(step).max(1))
        .map(|k| ((k * step) as i64, rows_per_slice))
        .collect())
}

/// One group of a file's lines of a modelled service, as a reader sums them: the text of
/// each key (`None` where the lines have none), and of each of [`NUMBERS`] the sum, how many
/// lines had no value, and how many had text that is no number.
#[derive(Clone, Debug, Default)]
pub(crate) struct Group {
    /// The month label of the charge period's start: `YYYY-MM`, or the text of a time that
    /// is not in UTC ([`text_month`]).
    pub month: Option<String>,
    pub billing_period: Option<String>,
    pub account_id: Option<String>,
    pub region: Option<String>,
    pub service_code: Option<String>,
    pub usage_type: Option<String>,
    pub unit: Option<String>,
    pub currency: Option<String>,
    pub charge_category: Option<String>,
    pub charge_class: Option<String>,
    /// The lines have no billed cost: counted, never added up.
    pub no_billed_cost: bool,
    pub lines: u64,
    pub sums: [f64; 4],
    pub nulls: [u64; 4],
    pub bad: [u64; 4],
}

/// The groups of a grouped frame (the query's answer for a Parquet file or a slice of it).
fn groups_of(path: &Path, grouped: &DataFrame) -> Result<Vec<Group>, ActualsError> {
    let unreadable = unreadable(path);
    let s = |name: &str| -> Result<StringChunked, ActualsError> {
        grouped
            .column(name)
            .and_then(|c| c.str().cloned())
            .map_err(&unreadable)
    };
    let n = |name: &str| -> Result<Float64Chunked, ActualsError> {
        grouped
            .column(name)
            .and_then(|c| c.cast(&DataType::Float64))
            .and_then(|c| c.f64().cloned())
            .map_err(&unreadable)
    };
    let keys = [
        s("month")?,
        s("billing_period")?,
        s("account_id")?,
        s("region")?,
        s("service_code")?,
        s("usage_type")?,
        s("unit")?,
        s("currency")?,
        s("charge_category")?,
        s("charge_class")?,
    ];
    let no_billed = grouped
        .column("no_billed_cost")
        .and_then(|c| c.bool().cloned())
        .map_err(&unreadable)?;
    let lines = n("lines")?;
    let mut numbers = Vec::new();
    for name in NUMBERS {
        numbers.push((
            n(name)?,
            n(&format!("{name}_nulls"))?,
            n(&format!("{name}_bad"))?,
        ));
    }
    let count = |c: &Float64Chunked, i: usize| c.get(i).unwrap_or(0.0) as u64;
    Ok((0..grouped.height())
        .map(|i| {
            let key = |k: usize| keys[k].get(i).map(str::to_string);
            Group {
                month: key(0),
                billing_period: key(1),
                account_id: key(2),
                region: key(3),
                service_code: key(4),
                usage_type: key(5),
                unit: key(6),
                currency: key(7),
                charge_category: key(8),
                charge_class: key(9),
                no_billed_cost: no_billed.get(i) == Some(true),
                lines: count(&lines, i),
                sums: std::array::from_fn(|k| numbers[k].0.get(i).unwrap_or(0.0)),
                nulls: std::array::from_fn(|k| count(&numbers[k].1, i)),
                bad: std::array::from_fn(|k| count(&numbers[k].2, i)),
            }
        })
        .collect())
}

/// Checks one group and adds it to the aggregate. `locate` says where amount `k`'s first
/// values that are no numbers are, for the error.
pub(crate) fn add_group(
    path: &Path,
    c: &Columns,
    g: &Group,
    agg: &mut Aggregate,
    summary: &mut FileSummary,
    locate: &dyn Fn(usize) -> Vec<String>,
) -> Result<(), ActualsError> {
    let origin = path.display().to_string();
    let bad = |column: &str, problem: String| ActualsError::BadValue {
        file: path.to_path_buf(),
        column: column.to_string(),
        problem,
    };
    for (k, number) in c.numbers.iter().enumerate() {
        if g.bad[k] > 0 {
            return Err(not_numbers(path, &number.source, g.bad[k], &locate(k)));
        }
    }
    if g.no_billed_cost {
        summary.lines_without_billed_cost += g.lines;
        agg.lines_without_billed_cost += g.lines;
        return Ok(());
    }
    let month = checked_month(path, &c.month, g.month.as_deref(), "charge period start")?;
    let billing_period = match &c.billing {
        Some(column) => checked_month(
            path,
            column,
            g.billing_period.as_deref(),
            "billing period start",
        )?,
        None => month,
    };
    let currency = g.currency.as_deref().unwrap_or("");
    if currency.is_empty() {
        return Err(no_currency(path, c.format));
    }
    // A sum as a decimal: "NaN", "inf" and 1e30 are numbers to the reader but no amount
    // of a bill, and must not become 0.
    let exact = |k: usize| -> Result<Decimal, ActualsError> {
        let source = &c.numbers[k].source;
        let v = g.sums[k];
        if !v.is_finite() {
            return Err(bad(
                source,
                "a value that is not a finite number (NaN or infinity)".into(),
            ));
        }
        Decimal::from_f64(v)
            .filter(|d| d.abs() <= Decimal::from(MAX_AMOUNT))
            .ok_or_else(|| bad(source, format!("a total of {v:e}, beyond 10^18")))
    };
    let value = |k: usize| -> Result<Option<Decimal>, ActualsError> {
        if g.nulls[k] > 0 {
            Ok(None)
        } else {
            exact(k).map(Some)
        }
    };
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let key = RowKey {
        month: month.to_string(),
        billing_period: billing_period.to_string(),
        account_id: text(&g.account_id),
        region: text(&g.region),
        service_code: text(&g.service_code),
        usage_type: text(&g.usage_type),
        unit: text(&g.unit),
        currency: currency.to_string(),
        charge_category: text(&g.charge_category),
        charge_class: g.charge_class.clone(),
    };
    // Money never defaults: a missing list or effective cost makes the row's total
    // unknown, as a missing quantity makes a usage row's usage unknown.
    let raw = RawSums {
        usage_amount: crate::usage_or_none(
            &key.charge_category,
            key.charge_class.as_deref(),
            value(0)?,
        ),
        list_cost: value(1)?,
        billed_cost: value(BILLED)?.unwrap_or_default(),
        effective_cost: value(3)?,
        line_items: g.lines,
    };
    summary
        .billing_periods
        .entry(key.billing_period.clone())
        .or_default()
        .insert(key.account_id.clone());
    summary.lines += g.lines;
    agg.add(key, raw, &origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, format: Format, periods: &[(&str, &str)]) -> FileSummary {
        let mut billing_periods: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (period, account) in periods {
            billing_periods
                .entry(period.to_string())
                .or_default()
                .insert(account.to_string());
        }
        FileSummary {
            path: PathBuf::from(path),
            format,
            lines: 1,
            lines_without_billed_cost: 0,
            billing_periods,
        }
    }

    #[test]
    fn a_billing_period_comes_from_one_format_in_one_folder() {
        let oct = [("2026-10", "111122223333")];
        let mut c = Coverage::default();
        c.add(&file("d/a/x-00001.csv", Format::Cur2, &oct)).unwrap();
        // A part of the same delivery.
        c.add(&file("d/a/x-00002.csv", Format::Cur2, &oct)).unwrap();
        // Another period, another folder, another format.
        c.add(&file(
            "d/b/f.csv",
            Format::Focus,
            &[("2026-09", "111122223333")],
        ))
        .unwrap();
        // Another organization's accounts in the same period.
        c.add(&file(
            "e/y-00001.csv",
            Format::Focus,
            &[("2026-10", "444455556666")],
        ))
        .unwrap();

        let e = c.add(&file("d/a/f.csv", Format::Focus, &oct)).unwrap_err();
        assert!(
            matches!(&e, ActualsError::TwoFormats(c)
                if c.period == "2026-10" && c.first == Path::new("d/a/x-00001.csv")),
            "{e}"
        );
        assert!(e.is_bad_input());
        let e = c
            .add(&file("d/c/x-00001.csv", Format::Cur2, &oct))
            .unwrap_err();
        assert!(
            matches!(&e, ActualsError::TwoDeliveries(c)
                if c.first == Path::new("d/a") && c.other == Path::new("d/c")),
            "{e}"
        );
        assert!(e.is_bad_input());
        assert!(
            e.to_string().contains("(account 111122223333 in both)"),
            "{e}"
        );
        // Rows that name no account (a plan's FOCUS rows) are named as such, not as ``.
        let none = [("2026-10", "")];
        let mut c = Coverage::default();
        c.add(&file("p/d1/f.csv", Format::Focus, &none)).unwrap();
        let e = c
            .add(&file("p/d2/f.csv", Format::Focus, &none))
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("(lines of no named account in both)"),
            "{e}"
        );
    }

    #[test]
    fn a_text_month_is_read_as_polars_reads_a_text_column() {
        // The CSV reader's `text_month` and the Parquet reader's `month_expr` over text.
        let texts = [
            "2026-10-01T00:00:00Z",
            "2026-10-01T00:00:00.000Z",
            "2026-10-01T00:00:00.123456789z",
            "2026-10-01T00:00:00+00:00",
            "2026-10-01T00:00:00-00:00",
            "2026-10-01T00:00:00+0000",
            "2026-10-01T00:00:00+00",
            "2026-10-01 00:00:00 UTC",
            "2026-10-01 00:00:00UTC",
            "2026-10-31T23:00:00-05:00",
            "2026-10-01T00:00:00Zjunk",
            "2026-10-01",
            "2026-10",
            "2026-1",
            "",
            "Ωmega-10-01T00:00:00Z",
            "2026-10-01T00:00:00Ω",
            "2026-10-01T00:00:00.000000000000000000000000000000000000000000000000000000000000000000000000000Z",
        ];
        let df = df!("t" => texts.to_vec()).unwrap();
        let labels = df
            .lazy()
            .select([month_expr(Path::new("x"), "t", &DataType::String)
                .unwrap()
                .alias("m")])
            .collect()
            .unwrap();
        let labels: Vec<Option<&str>> = labels.column("m").unwrap().str().unwrap().iter().collect();
        for (text, label) in texts.iter().zip(labels) {
            assert_eq!(Some(text_month(text)), label, "{text:?}");
        }
    }
}
