//! The local actuals store: one Parquet file per month (`DIR/month=YYYY-MM/part.parquet`),
//! money and quantities as exact decimal text. An export file replaces the billing periods
//! it holds of the accounts it holds (the lines of those periods, in whichever month they are
//! charged: October's export corrects September), and a query's rows the charge months they
//! hold of their accounts; all or nothing, every other line left as it was. Another
//! organisation's export of the same month adds to the store.

use std::path::Path;

use ladderwise_usage::partitions;
use polars::prelude::*;
use rust_decimal::Decimal;

use crate::{ActualRow, ActualsError, ChargeKind};

const TEXT: [&str; 11] = [
    "month",
    "account_id",
    "region",
    "service_code",
    "usage_type",
    "unit",
    "usage_amount",
    "billed_cost",
    "currency",
    "charge_category",
    "kind",
];
const OPTIONAL: [&str; 3] = ["list_cost", "effective_cost", "charge_class"];

fn frame(rows: &[&ActualRow]) -> PolarsResult<DataFrame> {
    let text = |f: fn(&ActualRow) -> String| rows.iter().map(|r| f(r)).collect::<Vec<String>>();
    let opt = |f: fn(&ActualRow) -> Option<String>| {
        rows.iter().map(|r| f(r)).collect::<Vec<Option<String>>>()
    };
    df!(
        "month" => text(|r| r.month.clone()),
        "billing_period" => text(|r| r.billing_period.clone()),
        "account_id" => text(|r| r.account_id.clone()),
        "region" => text(|r| r.region.clone()),
        "service_code" => text(|r| r.service_code.clone()),
        "usage_type" => text(|r| r.usage_type.clone()),
        "unit" => text(|r| r.unit.clone()),
        // Empty when unknown: the column keeps the text type stores have always had.
        "usage_amount" => text(|r| r.usage_amount.map_or(String::new(), |d| d.to_string())),
        "list_cost" => opt(|r| r.list_cost.map(|d| d.to_string())),
        "billed_cost" => text(|r| r.billed_cost.to_string()),
        "effective_cost" => opt(|r| r.effective_cost.map(|d| d.to_string())),
        "currency" => text(|r| r.currency.clone()),
        "charge_category" => text(|r| r.charge_category.clone()),
        "charge_class" => opt(|r| r.charge_class.clone()),
        "kind" => text(|r| r.kind.name().to_string()),
        "line_items" => rows.iter().map(|r| r.line_items).collect::<Vec<u64>>(),
    )
}

/// What a set of rows is whole for, and so replaces in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whole {
    /// An export file holds every line of its billing periods for its accounts, some charged
    /// in earlier months (corrections): the stored lines of those periods and accounts go,
    /// wherever they are charged.
    BillingPeriods,
    /// A query sums every line of its accounts charged in its months, whatever period billed
    /// it: the stored lines of those charge months and accounts go.
    ChargeMonths,
}

impl Whole {
    /// What a row is part of for this kind of whole: its billing period or its charge month,
    /// and its account.
    fn key(self, r: &ActualRow) -> (&str, &str) {
        let part = match self {
            Whole::BillingPeriods => &r.billing_period,
            Whole::ChargeMonths => &r.month,
        };
        (part.as_str(), r.account_id.as_str())
    }
}

/// What a replace did: the months written, and, of an export, the billing periods replaced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replaced {
    pub months: Vec<String>,
    pub billing_periods: Vec<String>,
}

/// Replaces what `rows` are whole for (see [`Whole`]); returns the months written, oldest
/// first. Refuses an import in another currency than the store's.
pub fn replace_months(
    dir: &Path,
    rows: &[ActualRow],
    whole: Whole,
) -> Result<Replaced, ActualsError> {
    // Held from the store's read to the last rename, so a concurrent import waits.
    let held = partitions::lock(dir)?;
    let sorted = |v: &mut Vec<String>| {
        v.sort();
        v.dedup();
    };
    let mut periods: Vec<String> = rows.iter().map(|r| r.billing_period.clone()).collect();
    sorted(&mut periods);
    let mut charge_months: Vec<String> = rows.iter().map(|r| r.month.clone()).collect();
    sorted(&mut charge_months);
    // What the rows are whole for, account by account: an export is one organisation's (a
    // payer's), so another organisation's lines of the same period stay.
    let wholes: std::collections::BTreeSet<(&str, &str)> =
        rows.iter().map(|r| whole.key(r)).collect();
    let goes = |r: &ActualRow| wholes.contains(&whole.key(r));
    let stored = load(dir, None)?;
    // Lines that stay may not be in another currency; those going may.
    if let Some(first) = rows.first()
        && let Some(other) = stored
            .iter()
            .find(|r| r.currency != first.currency && !goes(r))
    {
        return Err(ActualsError::StoreCurrency {
            dir: dir.to_path_buf(),
            stored: other.currency.clone(),
            imported: first.currency.clone(),
        });
    }
    // Every month the import writes to or takes lines from.
    let mut months: Vec<String> = charge_months.clone();
    months.extend(stored.iter().filter(|r| goes(r)).map(|r| r.month.clone()));
    sorted(&mut months);
    let mut parts = Vec::new();
    for m in &months {
        let of_month: Vec<&ActualRow> = stored
            .iter()
            .filter(|r| &r.month == m && !goes(r))
            .chain(rows.iter().filter(|r| &r.month == m))
            .collect();
        let df = frame(&of_month).map_err(|source| {
            ActualsError::Store(partitions::StoreError::Encode {
                path: partitions::partition_file(dir, m),
                source,
            })
        })?;
        parts.push((m.clone(), df));
    }
    partitions::replace(&held, &mut parts)?;
    Ok(Replaced {
        months,
        billing_periods: match whole {
            Whole::BillingPeriods => periods,
            Whole::ChargeMonths => Vec::new(),
        },
    })
}

/// The stored rows of the months in `range` (inclusive `YYYY-MM` bounds; all when `None`),
/// oldest month first.
pub fn load(dir: &Path, range: Option<(&str, &str)>) -> Result<Vec<ActualRow>, ActualsError> {
    let mut out = Vec::new();
    for (month, path) in partitions::months(dir)? {
        if let Some((from, to)) = range
            && (month.as_str() < from || month.as_str() > to)
        {
            continue;
        }
        let df = partitions::read(&path)?;
        out.extend(rows_of(&path, &df)?);
    }
    Ok(out)
}

fn rows_of(path: &Path, df: &DataFrame) -> Result<Vec<ActualRow>, ActualsError> {
    let damaged = |problem: String| ActualsError::Damaged {
        path: path.to_path_buf(),
        problem,
    };
    let column = |name: &str| -> Result<StringChunked, ActualsError> {
        df.column(name)
            .and_then(|c| c.str().cloned())
            .map_err(|e| damaged(format!("column {name}: {e}")))
    };
    let mut text = Vec::new();
    for name in TEXT {
        text.push(column(name)?);
    }
    let mut optional = Vec::new();
    for name in OPTIONAL {
        optional.push(column(name)?);
    }
    // Stores written before the billing period was kept: each line's own month.
    let billing = match df.column("billing_period") {
        Ok(c) => Some(
            c.str()
                .cloned()
                .map_err(|e| damaged(format!("column billing_period: {e}")))?,
        ),
        Err(_) => None,
    };
    let lines = df
        .column("line_items")
        .and_then(|c| c.u64().cloned())
        .map_err(|e| damaged(format!("column line_items: {e}")))?;
    let decimal = |name: &str, v: Option<&str>| -> Result<Decimal, ActualsError> {
        v.and_then(|t| t.parse().ok()).ok_or_else(|| {
            damaged(format!(
                "column {name}: `{}` is not a decimal",
                v.unwrap_or("")
            ))
        })
    };
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let t = |k: usize| text[k].get(i).unwrap_or("").to_string();
        let kind_name = text[10].get(i).unwrap_or("");
        let month = t(0);
        out.push(ActualRow {
            billing_period: billing
                .as_ref()
                .and_then(|b| b.get(i))
                .map_or_else(|| month.clone(), str::to_string),
            month,
            account_id: t(1),
            region: t(2),
            service_code: t(3),
            usage_type: t(4),
            unit: t(5),
            usage_amount: match text[6].get(i) {
                Some("") => None,
                v => Some(decimal("usage_amount", v)?),
            },
            list_cost: optional[0]
                .get(i)
                .map(|v| decimal("list_cost", Some(v)))
                .transpose()?,
            billed_cost: decimal("billed_cost", text[7].get(i))?,
            effective_cost: optional[1]
                .get(i)
                .map(|v| decimal("effective_cost", Some(v)))
                .transpose()?,
            currency: t(8),
            charge_category: t(9),
            charge_class: optional[2].get(i).map(str::to_string),
            kind: ChargeKind::from_name(kind_name)
                .ok_or_else(|| damaged(format!("column kind: `{kind_name}` is not a kind")))?,
            line_items: lines.get(i).unwrap_or(0),
        });
    }
    Ok(out)
}
