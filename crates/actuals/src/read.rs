//! AWS Data Exports read from local files with polars' lazy API: only the needed columns are
//! scanned, the services Ladderwise does not model are filtered out in the plan, and the rest
//! is grouped by month and raw category on polars' streaming engine, so memory stays bounded
//! however large the export.
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

use ladderwise_usage::text::first_non_utf8;
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
/// built. No AWS export names a column this way.
const RESERVED_PREFIXES: [&str; 3] = ["__PL_", "_POLARS_", "__POLARS_"];

/// Refuses a file with a column named as polars names its own.
fn refuse_reserved(path: &Path, schema: &Schema) -> Result<(), ActualsError> {
    match schema
        .iter_names()
        .find(|name| RESERVED_PREFIXES.iter().any(|p| name.starts_with(p)))
    {
        Some(name) => Err(ActualsError::ReservedColumn {
            file: path.to_path_buf(),
            column: name.to_string(),
        }),
        None => Ok(()),
    }
}

/// The error of a file polars could not read. Polars says only "invalid utf-8 sequence" of a
/// CSV file that is not UTF-8; the file is read once more to say where.
fn unreadable(file: &Path) -> impl Fn(PolarsError) -> ActualsError + '_ {
    move |source| {
        let text = source.to_string().to_lowercase();
        let fault = (kind_of(file) == Some(FileKind::Csv)
            && !file.to_string_lossy().to_lowercase().ends_with(".gz")
            && (text.contains("utf-8") || text.contains("utf8")))
        .then(|| std::fs::File::open(file).ok())
        .flatten()
        .and_then(|f| first_non_utf8(std::io::BufReader::new(f)).ok().flatten());
        match fault {
            Some(f) => ActualsError::NotUtf8 {
                file: file.to_path_buf(),
                line: f.line,
                column: f.column,
                byte: f.byte,
            },
            None => ActualsError::Unreadable {
                file: file.to_path_buf(),
                source,
            },
        }
    }
}

fn scan(path: &Path) -> Result<LazyFrame, ActualsError> {
    let unreadable = unreadable(path);
    let p = PlRefPath::from(path.to_string_lossy().as_ref());
    match kind_of(path) {
        Some(FileKind::Parquet) => {
            LazyFrame::scan_parquet(p, ScanArgsParquet::default()).map_err(&unreadable)
        }
        Some(FileKind::Csv) => LazyCsvReader::new(p)
            .with_has_header(true)
            // Every column as text: account ids keep their leading zeros, and a number that
            // is not one is found and named below rather than guessed at.
            .with_infer_schema_length(Some(0))
            .finish()
            .map_err(&unreadable),
        None => Err(ActualsError::NoFiles {
            path: path.to_path_buf(),
        }),
    }
}

/// Where each output column comes from in one file.
struct Plan {
    format: Format,
    month: (String, DataType),
    /// The billing period's start, when the export has the column.
    billing: Option<(String, DataType)>,
    account: Expr,
    region: Expr,
    service: Expr,
    usage_type: Expr,
    unit: Expr,
    currency: Expr,
    category: Expr,
    class: Expr,
    /// (output name, source column, expression as a number)
    numbers: Vec<(&'static str, String, Expr)>,
}

fn text(column: &str) -> Expr {
    col(column).cast(DataType::String)
}

fn plan(path: &Path, schema: &Schema) -> Result<Plan, ActualsError> {
    let has = |c: &str| schema.get(c).is_some();
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
    let optional_text = |c: &str| {
        if has(c) {
            text(c)
        } else {
            lit(NULL).cast(DataType::String)
        }
    };
    let number = |c: &str| col(c).cast(DataType::Float64);
    let billing = |c: &str| schema.get(c).map(|t| (c.to_string(), t.clone()));
    let p = match format {
        Format::Focus => {
            let month = need("ChargePeriodStart")?;
            let effective = need("EffectiveCost")?;
            Plan {
                format,
                month: (
                    month.clone(),
                    schema.get(&month).cloned().unwrap_or(DataType::Null),
                ),
                billing: billing("BillingPeriodStart"),
                account: text(&first_of(&["SubAccountId", "BillingAccountId"])?),
                region: optional_text("RegionId"),
                service: text(&need("x_ServiceCode")?),
                usage_type: text(&first_of(&["x_UsageType", "SkuMeter"])?),
                unit: text(&need("PricingUnit")?),
                currency: text(&need("BillingCurrency")?),
                category: text(&need("ChargeCategory")?),
                class: optional_text("ChargeClass"),
                numbers: vec![
                    (
                        "usage_amount",
                        need("PricingQuantity")?,
                        number("PricingQuantity"),
                    ),
                    ("list_cost", need("ListCost")?, number("ListCost")),
                    ("billed_cost", need("BilledCost")?, number("BilledCost")),
                    ("effective_cost", effective.clone(), number(&effective)),
                ],
            }
        }
        Format::Cur2 => {
            let month = need("line_item_usage_start_date")?;
            let product = need("line_item_product_code")?;
            let service = if has("product_servicecode") {
                text("product_servicecode").fill_null(text(&product))
            } else {
                text(&product)
            };
            let billed = need("line_item_unblended_cost")?;
            let effective = if has("line_item_net_unblended_cost") {
                number("line_item_net_unblended_cost").fill_null(number(&billed))
            } else {
                number(&billed)
            };
            Plan {
                format,
                month: (
                    month.clone(),
                    schema.get(&month).cloned().unwrap_or(DataType::Null),
                ),
                billing: billing("bill_billing_period_start_date"),
                account: text(&need("line_item_usage_account_id")?),
                region: optional_text("product_region_code"),
                service,
                usage_type: text(&need("line_item_usage_type")?),
                unit: text(&need("pricing_unit")?),
                currency: text(&need("line_item_currency_code")?),
                category: text(&need("line_item_line_item_type")?),
                class: lit(NULL).cast(DataType::String),
                numbers: vec![
                    (
                        "usage_amount",
                        need("line_item_usage_amount")?,
                        number("line_item_usage_amount"),
                    ),
                    (
                        "list_cost",
                        need("pricing_public_on_demand_cost")?,
                        number("pricing_public_on_demand_cost"),
                    ),
                    ("billed_cost", billed.clone(), number(&billed)),
                    ("effective_cost", billed, effective),
                ],
            }
        }
    };
    Ok(p)
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
        // FOCUS and CUR write UTC ("2026-10-01T00:00:00Z", ".000Z", "+00:00"); a time with
        // another offset may fall in another UTC month, so its whole text is kept as the
        // label, which is no month, and the row is refused with the text it holds.
        DataType::String => {
            let text = col(column);
            let zone = text
                .clone()
                .str()
                .slice(lit(19), lit(64))
                .str()
                .strip_chars_start(lit(".0123456789"));
            let utc = [
                "", "Z", "z", "+00:00", "-00:00", "+0000", "+00", "UTC", " UTC",
            ]
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

/// Reads one export file into the aggregate.
pub fn read_file(path: &Path, agg: &mut Aggregate) -> Result<FileSummary, ActualsError> {
    read_file_in_slices(path, agg, PARQUET_SLICE_ROWS)
}

/// `read_file`, a Parquet file read `rows_per_slice` rows at a time (the memory held against
/// the number of passes; `read_file` takes `PARQUET_SLICE_ROWS`). Each slice's sums are
/// floating-point sums turned into decimals, so the totals may differ from a read in one
/// slice in far decimal places (a test checks the shipped test export adds up alike).
pub fn read_file_in_slices(
    path: &Path,
    agg: &mut Aggregate,
    rows_per_slice: u32,
) -> Result<FileSummary, ActualsError> {
    let unreadable = unreadable(path);
    let mut lf = scan(path)?;
    let schema = lf.collect_schema().map_err(&unreadable)?;
    refuse_reserved(path, &schema)?;
    let p = plan(path, &schema)?;
    let month = month_expr(path, &p.month.0, &p.month.1)?;
    let billing = match &p.billing {
        Some((column, dtype)) => month_expr(path, column, dtype)?,
        None => month.clone(),
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
    let billed = p.numbers[2].2.clone();
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
    for (name, source, expr) in &p.numbers {
        select.push(expr.clone().alias(*name));
        // A value that is there but is no number: counted, so it can be named.
        let raw = col(source.as_str());
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
        format: p.format,
        lines: 0,
        lines_without_billed_cost: 0,
        billing_periods: BTreeMap::new(),
    };
    for slice in slices(path, &lf, rows_per_slice.max(1))? {
        let part = match slice {
            Some((offset, len)) => query(lf.clone().slice(offset, len)),
            None => query(lf.clone()),
        };
        let grouped = part
            .collect_with_engine(Engine::Streaming)
            .map_err(&unreadable)?
            .unwrap_single();
        let locate = |source: &str| first_not_numbers(path, &lf, &p, &modelled, source);
        add_groups(path, &p, &grouped, agg, &mut summary, &locate)?;
    }
    Ok(summary)
}

/// The line each of `rows` (data rows from 0, after the header) starts on in a plain CSV
/// file, counting the lines a quoted field spans (RFC 4180: a quote toggles quoting, `""`
/// twice); `None` for a gzipped file, or one that cannot be read again.
fn record_lines(path: &Path, rows: &[u64]) -> Option<Vec<u64>> {
    use std::io::Read;
    if !path
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".csv")
    {
        return None;
    }
    let mut starts: BTreeMap<u64, u64> = rows.iter().map(|r| (*r + 1, 0)).collect();
    let last = *starts.keys().max()?;
    let file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let (mut record, mut line, mut quoted) = (0u64, 1u64, false);
    for byte in file.bytes() {
        match byte.ok()? {
            b'"' => quoted = !quoted,
            b'\n' => {
                line += 1;
                if !quoted {
                    record += 1;
                    if let Some(start) = starts.get_mut(&record) {
                        *start = line;
                    }
                    if record >= last {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    rows.iter()
        .map(|r| starts.get(&(r + 1)).copied().filter(|l| *l > 0))
        .collect()
}

/// Where the first values of `source` that are there but are no numbers are, for the error:
/// ` (the first at line 7: `sixty-eight`)`. A CSV row is its line (the header is line 1, and
/// AWS's exports keep each row on one); a Parquet row is counted from 1. Read again only when
/// the import is already failing.
fn first_not_numbers(
    path: &Path,
    lf: &LazyFrame,
    p: &Plan,
    modelled: &Expr,
    source: &str,
) -> String {
    const ROW: &str = "ladderwise_row";
    let Some((_, _, number)) = p.numbers.iter().find(|(_, s, _)| s == source) else {
        return String::new();
    };
    let bad = number.clone().is_null().and(col(source).is_not_null());
    let found = lf
        .clone()
        .with_row_index(ROW, None)
        .filter(modelled.clone().and(bad))
        .select([col(ROW), col(source).cast(DataType::String)])
        .limit(3)
        .collect();
    let Ok(found) = found else {
        return String::new();
    };
    let (Ok(rows), Ok(values)) = (found.column(ROW), found.column(source)) else {
        return String::new();
    };
    let (Ok(rows), Ok(values)) = (rows.cast(&DataType::UInt64), values.str()) else {
        return String::new();
    };
    let Ok(rows) = rows.u64() else {
        return String::new();
    };
    let rows: Vec<u64> = rows.iter().flatten().collect();
    let csv = matches!(kind_of(path), Some(FileKind::Csv));
    // A plain CSV's rows are found by their line; a gzipped one's are counted after the header.
    let lines = csv.then(|| record_lines(path, &rows)).flatten();
    let places: Vec<String> = rows
        .iter()
        .zip(values.iter())
        .enumerate()
        .map(|(i, (row, value))| {
            let at = match (&lines, csv) {
                (Some(lines), _) => format!("line {}", lines[i]),
                (None, true) => format!("row {} after the header", row + 1),
                (None, false) => format!("row {}", row + 1),
            };
            format!("{at}: `{}`", value.unwrap_or_default())
        })
        .collect();
    match places.as_slice() {
        [] => String::new(),
        [one] => format!(" (at {one})"),
        [first, ..] => format!(" (the first at {first}; then {})", places[1..].join(", ")),
    }
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

/// The slices a file is read in (`None`: all of it at once). A Parquet file's row count is in
/// its footer, and a slice reads only the row groups it covers; a CSV file is read in one
/// streaming pass, since a slice of it would be found by reading the text before it again.
fn slices(
    path: &Path,
    lf: &LazyFrame,
    rows_per_slice: u32,
) -> Result<Vec<Option<(i64, u32)>>, ActualsError> {
    if kind_of(path) != Some(FileKind::Parquet) {
        return Ok(vec![None]);
    }
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
        .map(|k| Some(((k * step) as i64, rows_per_slice)))
        .collect())
}

/// Adds one grouped frame (the query's answer for a file or a slice of it) to the aggregate.
fn add_groups(
    path: &Path,
    p: &Plan,
    grouped: &DataFrame,
    agg: &mut Aggregate,
    summary: &mut FileSummary,
    locate: &dyn Fn(&str) -> String,
) -> Result<(), ActualsError> {
    let unreadable = unreadable(path);
    let origin = path.display().to_string();
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
    let billing_periods = s("billing_period")?;
    let (months, accounts, regions, services, types, units, currencies, categories, classes) = (
        s("month")?,
        s("account_id")?,
        s("region")?,
        s("service_code")?,
        s("usage_type")?,
        s("unit")?,
        s("currency")?,
        s("charge_category")?,
        s("charge_class")?,
    );
    let no_billed = grouped
        .column("no_billed_cost")
        .and_then(|c| c.bool().cloned())
        .map_err(&unreadable)?;
    let lines = n("lines")?;
    let mut sums = Vec::new();
    for (name, source, _) in &p.numbers {
        sums.push((
            *name,
            source.clone(),
            n(name)?,
            n(&format!("{name}_nulls"))?,
            n(&format!("{name}_bad"))?,
        ));
    }
    let bad = |column: &str, problem: String| ActualsError::BadValue {
        file: path.to_path_buf(),
        column: column.to_string(),
        problem,
    };
    for i in 0..grouped.height() {
        let count = lines.get(i).unwrap_or(0.0) as u64;
        for (_, source, _, _, bad_count) in &sums {
            let b = bad_count.get(i).unwrap_or(0.0);
            if b > 0.0 {
                return Err(bad(
                    source,
                    format!("{b} value(s) that are not numbers{}", locate(source)),
                ));
            }
        }
        if no_billed.get(i) == Some(true) {
            summary.lines_without_billed_cost += count;
            agg.lines_without_billed_cost += count;
            continue;
        }
        let month_of = |label: Option<&str>, column: &str, what: &str| {
            let month = label.unwrap_or("");
            if ladderwise_usage::partitions::is_month(month) {
                return Ok(month.to_string());
            }
            Err(bad(
                column,
                if month.is_empty() {
                    format!("a line has no {what}")
                } else if month.len() > 7 {
                    // The whole text, kept by `month_expr` for a time that is not in UTC.
                    format!(
                        "`{month}` is not in UTC: its month could be another in UTC; AWS writes UTC, such as 2026-10-01T00:00:00Z"
                    )
                } else {
                    format!("`{month}…` is not a UTC timestamp such as 2026-10-01T00:00:00Z")
                },
            ))
        };
        let month = month_of(months.get(i), &p.month.0, "charge period start")?;
        let billing_period = match &p.billing {
            Some((column, _)) => month_of(billing_periods.get(i), column, "billing period start")?,
            None => month.clone(),
        };
        let currency = currencies.get(i).unwrap_or("");
        if currency.is_empty() {
            let column = match p.format {
                Format::Focus => "BillingCurrency",
                Format::Cur2 => "line_item_currency_code",
            };
            return Err(bad(column, "a line has no currency".into()));
        }
        // A sum as a decimal: "NaN", "inf" and 1e30 are numbers to the reader but no amount
        // of a bill, and must not become 0.
        let exact = |k: usize| -> Result<Decimal, ActualsError> {
            let (_, source, sum, _, _) = &sums[k];
            let v = sum.get(i).unwrap_or(0.0);
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
            let (_, _, _, nulls, _) = &sums[k];
            if nulls.get(i).unwrap_or(0.0) > 0.0 {
                Ok(None)
            } else {
                exact(k).map(Some)
            }
        };
        let key = RowKey {
            month,
            billing_period,
            account_id: accounts.get(i).unwrap_or("").to_string(),
            region: regions.get(i).unwrap_or("").to_string(),
            service_code: services.get(i).unwrap_or("").to_string(),
            usage_type: types.get(i).unwrap_or("").to_string(),
            unit: units.get(i).unwrap_or("").to_string(),
            currency: currency.to_string(),
            charge_category: categories.get(i).unwrap_or("").to_string(),
            charge_class: classes.get(i).map(str::to_string),
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
            billed_cost: value(2)?.unwrap_or_default(),
            effective_cost: value(3)?,
            line_items: count,
        };
        summary
            .billing_periods
            .entry(key.billing_period.clone())
            .or_default()
            .insert(key.account_id.clone());
        summary.lines += count;
        agg.add(key, raw, &origin)?;
    }
    Ok(())
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
    }
}
