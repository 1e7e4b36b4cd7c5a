//! Actuals: what AWS billed, read from AWS Data Exports (FOCUS 1.2 with AWS columns, or CUR
//! 2.0; Parquet, CSV or gzipped CSV) and kept as monthly bill lines of the services
//! Ladderwise models.
//!
//! Every source, the local files ([`read`]: Parquet with polars, CSV record by record with
//! the `csv` crate, [`csv_export`]) and rows an Athena query returns ([`from_rows`]), comes
//! down to the same raw groups: month, account, Region, service, usage type, unit, currency
//! and the export's own charge category and class, with their sums. [`Aggregate`] adds them
//! up exactly (decimals) and [`classify`] — the one rule — gives each aggregated row its
//! [`ChargeKind`], so credits, refunds, taxes and discounts stay their own lines and never mix
//! into usage.

pub mod csv_export;
pub mod drivers;
pub mod read;
pub mod store;
pub mod units;

use std::collections::BTreeMap;
use std::path::PathBuf;

use ladderwise_model::engine::Service;
use rust_decimal::Decimal;

pub use ladderwise_usage::partitions::StoreError;

/// The service codes of the services Ladderwise models, as bills write them
/// ([`Service::bill_codes`]: the Price List codes, and `AmazonComprehend` beside Comprehend's
/// `comprehend`); every other service in an export is left out, and an Athena pull sums these.
pub fn modelled_services() -> Vec<&'static str> {
    Service::ALL
        .into_iter()
        .flat_map(Service::bill_codes)
        .collect()
}

/// Money and quantities are kept to 6 decimal places, as in the JSON contract.
pub const DECIMAL_PLACES: u32 = 6;

/// What a bill line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChargeKind {
    /// Metered use of a service, on demand or covered by a commitment.
    Usage,
    /// Promotional and service credits.
    Credit,
    /// Money given back for charges already billed, and corrections of past billing periods.
    Refund,
    Tax,
    /// Negotiated, bundled and private-rate discounts.
    Discount,
    /// Savings Plans and reservations: their fees, and the negation of the usage they cover.
    Commitment,
    /// Anything else the export calls a charge (fees, adjustments of unknown kind).
    Other,
}

impl ChargeKind {
    pub const ALL: [ChargeKind; 7] = [
        ChargeKind::Usage,
        ChargeKind::Credit,
        ChargeKind::Refund,
        ChargeKind::Tax,
        ChargeKind::Discount,
        ChargeKind::Commitment,
        ChargeKind::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChargeKind::Usage => "usage",
            ChargeKind::Credit => "credit",
            ChargeKind::Refund => "refund",
            ChargeKind::Tax => "tax",
            ChargeKind::Discount => "discount",
            ChargeKind::Commitment => "commitment",
            ChargeKind::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The kind of an aggregated bill line, from the export's raw category columns: FOCUS
/// `ChargeCategory` and `ChargeClass`, or CUR 2.0 `line_item_line_item_type` (no class).
///
/// - FOCUS 1.2 `ChargeCategory` is one of Usage, Purchase, Tax, Credit, Adjustment; a
///   `ChargeClass` of "Correction" marks a correction to a previously invoiced billing
///   period, "e.g., refunds and credit modifications" (FOCUS 1.2, columns/chargecategory.md
///   and columns/chargeclass.md). A correction is a refund unless it corrects a tax or a
///   credit, which keep their kind; Adjustment, the after-the-fact change, is a refund too.
/// - CUR `line_item_line_item_type` (AWS Data Exports, "Line item columns",
///   docs.aws.amazon.com/cur/latest/userguide/table-dictionary-cur2-line-item.html, and the
///   legacy `lineItem/LineItemType` values): Usage, DiscountedUsage (reserved) and
///   SavingsPlanCoveredUsage are usage; SavingsPlanNegation, SavingsPlanUpfrontFee,
///   SavingsPlanRecurringFee and RIFee are the commitment; Credit, Refund, Tax; Discount,
///   BundledDiscount, EdpDiscount, PrivateRateDiscount and the like are discounts.
pub fn classify(category: &str, class: Option<&str>) -> ChargeKind {
    let category = category.trim();
    let correction = class.is_some_and(|c| c.trim().eq_ignore_ascii_case("correction"));
    let kind = match category.to_ascii_lowercase().as_str() {
        "usage" | "discountedusage" | "savingsplancoveredusage" => ChargeKind::Usage,
        "credit" => ChargeKind::Credit,
        "refund" | "adjustment" => ChargeKind::Refund,
        "tax" => ChargeKind::Tax,
        "purchase"
        | "savingsplannegation"
        | "savingsplanupfrontfee"
        | "savingsplanrecurringfee"
        | "rifee" => ChargeKind::Commitment,
        c if c.ends_with("discount") => ChargeKind::Discount,
        _ => ChargeKind::Other,
    };
    match kind {
        ChargeKind::Tax | ChargeKind::Credit => kind,
        _ if correction => ChargeKind::Refund,
        _ => kind,
    }
}

/// A group's usage as a source gives it: a usage line without a quantity leaves the usage
/// unknown (`None`, never 0); a charge that is not usage (a tax, a credit) has none to give,
/// and counts 0.
pub fn usage_or_none(
    category: &str,
    class: Option<&str>,
    amount: Option<Decimal>,
) -> Option<Decimal> {
    match amount {
        Some(a) => Some(a),
        None if classify(category, class) == ChargeKind::Usage => None,
        None => Some(Decimal::ZERO),
    }
}

/// The export formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// FOCUS 1.2 with AWS columns (`x_ServiceCode`, `x_UsageType`, `x_Operation`).
    Focus,
    /// Cost and Usage Report 2.0.
    Cur2,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Focus => "FOCUS 1.2",
            Format::Cur2 => "CUR 2.0",
        })
    }
}

/// One month of one usage type of one service in one account and Region, of one charge
/// category: the sum of the export's lines.
#[derive(Clone, Debug, PartialEq)]
pub struct ActualRow {
    /// `YYYY-MM`, the UTC month of the charge period's start.
    pub month: String,
    /// `YYYY-MM`, the billing period whose export holds the line (FOCUS `BillingPeriodStart`,
    /// CUR `bill_billing_period_start_date`): a correction to September arrives in October's.
    /// The charge month when the source does not say.
    pub billing_period: String,
    pub account_id: String,
    /// Region code; empty for global charges (CloudFront, most credits and taxes).
    pub region: String,
    /// Price List service code.
    pub service_code: String,
    pub usage_type: String,
    pub unit: String,
    /// The usage; `None` when a usage line of the group gave no quantity (unknown, not
    /// zero). A charge that is not usage (a tax, a credit) has none, and counts 0.
    pub usage_amount: Option<Decimal>,
    /// Public on-demand cost; `None` when a line of the group had none (unknown, not zero).
    pub list_cost: Option<Decimal>,
    /// What the invoice charges.
    pub billed_cost: Decimal,
    /// After discounts and commitments; `None` when a line of the group had none.
    pub effective_cost: Option<Decimal>,
    pub currency: String,
    /// The export's own category (FOCUS `ChargeCategory`, CUR `line_item_line_item_type`).
    pub charge_category: String,
    /// FOCUS `ChargeClass` (`Correction`), when there is one.
    pub charge_class: Option<String>,
    pub kind: ChargeKind,
    /// How many export lines were added up.
    pub line_items: u64,
}

impl ActualRow {
    /// Whether the line is billed in a Region other than `region`. Global charges
    /// (CloudFront) carry no Region, or `global`, and are billed nowhere else.
    pub fn billed_elsewhere(&self, region: &str) -> bool {
        !self.region.is_empty()
            && !self.region.eq_ignore_ascii_case("global")
            && self.region != region
    }

    /// One usage line of `month` in `region` (empty for global), billed and charged in that
    /// month, of one export line, in USD, with no list or effective cost: the plain line most
    /// checks start from.
    pub fn usage(
        month: &str,
        region: &str,
        service_code: &str,
        usage_type: &str,
        unit: &str,
        usage_amount: Decimal,
        billed_cost: Decimal,
    ) -> ActualRow {
        ActualRow {
            month: month.into(),
            billing_period: month.into(),
            account_id: "111122223333".into(),
            region: region.into(),
            service_code: service_code.into(),
            usage_type: usage_type.into(),
            unit: unit.into(),
            usage_amount: Some(usage_amount),
            list_cost: None,
            billed_cost,
            effective_cost: None,
            currency: "USD".into(),
            charge_category: "Usage".into(),
            charge_class: None,
            kind: ChargeKind::Usage,
            line_items: 1,
        }
    }
}

/// What identifies an aggregated row.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowKey {
    pub month: String,
    pub billing_period: String,
    pub account_id: String,
    pub region: String,
    pub service_code: String,
    pub usage_type: String,
    pub unit: String,
    pub currency: String,
    pub charge_category: String,
    pub charge_class: Option<String>,
}

/// One raw group's sums, as a source gives them. A cost of `None` means at least one of the
/// group's lines had no value for it.
#[derive(Clone, Debug, Default)]
pub struct RawSums {
    /// `None` when a usage line gave no quantity.
    pub usage_amount: Option<Decimal>,
    pub list_cost: Option<Decimal>,
    pub billed_cost: Decimal,
    pub effective_cost: Option<Decimal>,
    pub line_items: u64,
}

#[derive(Clone, Debug)]
struct Totals {
    usage_amount: Option<Decimal>,
    list_cost: Option<Decimal>,
    billed_cost: Decimal,
    effective_cost: Option<Decimal>,
    line_items: u64,
}

/// Rows added up across files and sources, exactly.
#[derive(Clone, Debug, Default)]
pub struct Aggregate {
    rows: BTreeMap<RowKey, Totals>,
    /// Export lines left out because they had no billed cost (counted, never taken as 0).
    pub lines_without_billed_cost: u64,
    /// The first currency seen, with where it was seen.
    currency: Option<(String, String)>,
}

impl Aggregate {
    /// Adds one raw group. `origin` names where it came from (a file, a query), for the
    /// mixed-currency error.
    pub fn add(&mut self, key: RowKey, sums: RawSums, origin: &str) -> Result<(), ActualsError> {
        match &self.currency {
            None => self.currency = Some((key.currency.clone(), origin.to_string())),
            Some((c, first)) if *c != key.currency => {
                return Err(ActualsError::MixedCurrencies {
                    first: format!("{c} in {first}"),
                    other: format!("{} in {origin}", key.currency),
                });
            }
            Some(_) => {}
        }
        let t = self.rows.entry(key).or_insert(Totals {
            usage_amount: Some(Decimal::ZERO),
            list_cost: Some(Decimal::ZERO),
            billed_cost: Decimal::ZERO,
            effective_cost: Some(Decimal::ZERO),
            line_items: 0,
        });
        t.usage_amount = t.usage_amount.zip(sums.usage_amount).map(|(a, b)| a + b);
        t.list_cost = t.list_cost.zip(sums.list_cost).map(|(a, b)| a + b);
        t.billed_cost += sums.billed_cost;
        t.effective_cost = t
            .effective_cost
            .zip(sums.effective_cost)
            .map(|(a, b)| a + b);
        t.line_items += sums.line_items;
        Ok(())
    }

    pub fn currency(&self) -> Option<&str> {
        self.currency.as_ref().map(|(c, _)| c.as_str())
    }

    /// The aggregated rows, each classified, in key order.
    pub fn rows(self) -> Vec<ActualRow> {
        let round = |d: Decimal| d.round_dp(DECIMAL_PLACES).normalize();
        self.rows
            .into_iter()
            .map(|(k, t)| ActualRow {
                kind: classify(&k.charge_category, k.charge_class.as_deref()),
                month: k.month,
                billing_period: k.billing_period,
                account_id: k.account_id,
                region: k.region,
                service_code: k.service_code,
                usage_type: k.usage_type,
                unit: k.unit,
                usage_amount: t.usage_amount.map(round),
                list_cost: t.list_cost.map(round),
                billed_cost: round(t.billed_cost),
                effective_cost: t.effective_cost.map(round),
                currency: k.currency,
                charge_category: k.charge_category,
                charge_class: k.charge_class,
                line_items: t.line_items,
            })
            .collect()
    }
}

/// The columns [`from_rows`] reads, as an Athena query over either export returns them.
pub use ladderwise_model::bill::ROW_COLUMNS;

/// Generic rows (a query's result: column names and text values) to the same aggregated,
/// classified rows as a file import. `billing_month` is `YYYY-MM` or a date or timestamp
/// starting with it; numbers are decimal text. Rows of services Ladderwise does not model
/// are left out; a row with no billed cost is counted, not stored.
pub fn from_rows(
    origin: &str,
    columns: &[String],
    rows: &[Vec<Option<String>>],
) -> Result<Aggregate, ActualsError> {
    let mut at = [0usize; ROW_COLUMNS.len()];
    for (i, name) in ROW_COLUMNS.iter().enumerate() {
        at[i] = columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .ok_or_else(|| ActualsError::MissingColumn {
                file: PathBuf::from(origin),
                format: "query result".into(),
                column: name.to_string(),
            })?;
    }
    let modelled = modelled_services();
    let mut agg = Aggregate::default();
    for (r, row) in rows.iter().enumerate() {
        let get = |i: usize| -> Option<&str> {
            row.get(at[i])
                .and_then(|v| v.as_deref())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let text = |i: usize| get(i).unwrap_or("").to_string();
        let bad = |i: usize, problem: String| ActualsError::BadValue {
            file: PathBuf::from(origin),
            column: ROW_COLUMNS[i].to_string(),
            problem: format!("row {}: {problem}", r + 1),
        };
        let service = text(3);
        if !modelled.contains(&service.as_str()) {
            continue;
        }
        let month = get(0).and_then(|m| m.get(..7)).unwrap_or("");
        if !ladderwise_usage::partitions::is_month(month) {
            return Err(bad(0, format!("`{}` is not a month", get(0).unwrap_or(""))));
        }
        let number = |i: usize| -> Result<Option<Decimal>, ActualsError> {
            match get(i) {
                None => Ok(None),
                Some(v) => parse_decimal(v)
                    .map(Some)
                    .ok_or_else(|| bad(i, format!("`{v}` is not a number"))),
            }
        };
        let Some(billed) = number(8)? else {
            agg.lines_without_billed_cost += 1;
            continue;
        };
        let currency = text(10);
        if currency.is_empty() {
            return Err(bad(10, "no currency".into()));
        }
        let key = RowKey {
            month: month.to_string(),
            // A query's rows are summed by charge month over every billing period, so each
            // is whole for its month (the pull replaces charge months; see `store`).
            billing_period: month.to_string(),
            account_id: text(1),
            region: text(2),
            service_code: service,
            usage_type: text(4),
            unit: text(5),
            currency,
            charge_category: text(11),
            charge_class: get(12).map(str::to_string),
        };
        let sums = RawSums {
            usage_amount: usage_or_none(&text(11), get(12), number(6)?),
            list_cost: number(7)?,
            billed_cost: billed,
            effective_cost: number(9)?,
            line_items: 1,
        };
        agg.add(key, sums, origin)?;
    }
    Ok(agg)
}

/// Decimal text, plain or in scientific notation (Athena writes doubles either way).
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    t.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
}

/// Two copies of one account's billing period in one import ([`read::Coverage`]): two files
/// of two formats, or two delivery folders of one export.
#[derive(Debug)]
pub struct TwoCopies {
    /// `YYYY-MM`.
    pub period: String,
    /// An account whose lines of the period both hold.
    pub account: String,
    /// The file (two formats) or folder (two deliveries) read first, and the other.
    pub first: PathBuf,
    pub other: PathBuf,
    pub first_format: Format,
    pub other_format: Format,
}

impl TwoCopies {
    /// The account both copies hold lines of, as the refusal names it: an export written
    /// without account ids (a plan's FOCUS rows) has none to name.
    pub fn account_words(&self) -> String {
        if self.account.trim().is_empty() {
            "lines of no named account in both".to_string()
        } else {
            format!("account {} in both", self.account)
        }
    }
}

/// What can go wrong with actuals.
#[derive(Debug, thiserror::Error)]
pub enum ActualsError {
    #[error(
        "{}: neither a FOCUS 1.2 nor a CUR 2.0 export: it has no column {missing}\nhint: export \"FOCUS 1.2 with AWS columns\" or \"CUR 2.0\" from AWS Data Exports, as Parquet or CSV, and import those files",
        file.display()
    )]
    UnknownFormat { file: PathBuf, missing: String },
    #[error(
        "{}: no column `{column}`, which a {format} export needs\nhint: include `{column}` in the export's columns (AWS Data Exports: edit the export's query)",
        file.display()
    )]
    MissingColumn {
        file: PathBuf,
        format: String,
        column: String,
    },
    #[error(
        "{}: column `{column}`: {problem}\nhint: the file is not the export AWS wrote; export it again from AWS Data Exports",
        file.display()
    )]
    BadValue {
        file: PathBuf,
        column: String,
        problem: String,
    },
    #[error(
        "{}: column `{column}` has a name polars, the reader underneath, keeps for itself\nhint: no AWS export has such a column; remove or rename it, or export the file again from AWS Data Exports",
        file.display()
    )]
    ReservedColumn { file: PathBuf, column: String },
    #[error(
        "cannot read {}: {source}\nhint: check that it is a whole Parquet or CSV file as AWS Data Exports wrote it",
        file.display()
    )]
    Unreadable {
        file: PathBuf,
        source: polars::prelude::PolarsError,
    },
    #[error(
        "cannot read {} at line {line}: {problem}\nhint: check that it is a whole CSV file as AWS Data Exports wrote it (a .csv.gz file whole, as gzip wrote it)",
        file.display()
    )]
    UnreadableCsv {
        file: PathBuf,
        line: u64,
        problem: String,
    },
    #[error(
        "{}:1: the columns are separated by {separator}, not by commas\nhint: AWS Data Exports write commas; import the file as AWS delivered it, or save it again as comma-separated CSV (a spreadsheet's \"Save as\" with a list separator of its region's own changes it)",
        file.display()
    )]
    Separator { file: PathBuf, separator: String },
    #[error(
        "{}:{line}:{column}: byte 0x{byte:02X} is not UTF-8 text\nhint: AWS Data Exports write UTF-8; export the file again, or save it as UTF-8 (an editor's \"Save as\" offers the encoding)",
        file.display()
    )]
    NotUtf8 {
        file: PathBuf,
        line: usize,
        column: usize,
        byte: u8,
    },
    #[error(
        "cannot read {}: {source}\nhint: check the path",
        path.display()
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no export files under {}\nhint: name a .parquet, .csv or .csv.gz file of a FOCUS 1.2 or CUR 2.0 export, or a directory holding them",
        path.display()
    )]
    NoFiles { path: PathBuf },
    #[error(
        "the import mixes currencies: {first}, {other}\nhint: import the exports of one billing currency at a time"
    )]
    MixedCurrencies { first: String, other: String },
    #[error(
        "billing period {} is in two exports, {} ({}) and {} ({}): each holds the whole period ({}), so added up it would be counted twice\nhint: import one format: move the {} files (or the {} ones) out of what you import, or import one export's file or folder",
        .0.period,
        .0.first.display(),
        .0.first_format,
        .0.other.display(),
        .0.other_format,
        .0.account_words(),
        .0.other_format,
        .0.first_format
    )]
    TwoFormats(Box<TwoCopies>),
    #[error(
        "billing period {} is in two deliveries, {} and {}: each holds the whole period to the day it was written ({}), so added up it would be counted twice\nhint: import one delivery, the newest: `ladderwise actuals import FOLDER` with its folder (the parts of one delivery, -00001, -00002, …, share it and add up)",
        .0.period,
        .0.first.display(),
        .0.other.display(),
        .0.account_words()
    )]
    TwoDeliveries(Box<TwoCopies>),
    #[error(
        "the actuals store holds {stored} and the import is in {imported}\nhint: the store keeps one billing currency; move {} aside to start a new one",
        dir.display()
    )]
    StoreCurrency {
        dir: PathBuf,
        stored: String,
        imported: String,
    },
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("the actuals store file {}: {problem}\nhint: the store may be damaged; move it aside and import again", path.display())]
    Damaged { path: PathBuf, problem: String },
}

impl ActualsError {
    /// Whether the user's input is at fault (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            ActualsError::UnknownFormat { .. }
                | ActualsError::MissingColumn { .. }
                | ActualsError::BadValue { .. }
                | ActualsError::ReservedColumn { .. }
                | ActualsError::Unreadable { .. }
                | ActualsError::UnreadableCsv { .. }
                | ActualsError::Separator { .. }
                | ActualsError::NotUtf8 { .. }
                | ActualsError::Io { .. }
                | ActualsError::NoFiles { .. }
                | ActualsError::MixedCurrencies { .. }
                | ActualsError::TwoFormats(_)
                | ActualsError::TwoDeliveries(_)
                | ActualsError::StoreCurrency { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_its_kind() {
        for (category, class, kind) in [
            ("Usage", None, ChargeKind::Usage),
            ("Usage", Some("Correction"), ChargeKind::Refund),
            ("Purchase", None, ChargeKind::Commitment),
            ("Tax", Some("Correction"), ChargeKind::Tax),
            ("Credit", None, ChargeKind::Credit),
            ("Credit", Some("Correction"), ChargeKind::Credit),
            ("Adjustment", None, ChargeKind::Refund),
            ("DiscountedUsage", None, ChargeKind::Usage),
            ("SavingsPlanCoveredUsage", None, ChargeKind::Usage),
            ("SavingsPlanNegation", None, ChargeKind::Commitment),
            ("SavingsPlanRecurringFee", None, ChargeKind::Commitment),
            ("RIFee", None, ChargeKind::Commitment),
            ("Refund", None, ChargeKind::Refund),
            ("BundledDiscount", None, ChargeKind::Discount),
            ("EdpDiscount", None, ChargeKind::Discount),
            ("Discount", None, ChargeKind::Discount),
            ("Fee", None, ChargeKind::Other),
            (" tax ", None, ChargeKind::Tax),
        ] {
            assert_eq!(classify(category, class), kind, "{category} {class:?}");
        }
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn query_rows_aggregate_and_classify_like_files() {
        let columns: Vec<String> = ROW_COLUMNS.iter().map(|c| c.to_string()).collect();
        let row = |month: &str, service: &str, billed: Option<&str>, cat: &str| {
            vec![
                s(month),
                s("111122223333"),
                s("us-east-1"),
                s(service),
                s("TimedStorage-ByteHrs"),
                s("GB-Mo"),
                s("100"),
                s("2.3"),
                billed.map(str::to_string),
                None,
                s("USD"),
                s(cat),
                None,
            ]
        };
        let rows = vec![
            row("2026-10", "AmazonS3", Some("2.3"), "Usage"),
            row(
                "2026-10-01 00:00:00.000",
                "AmazonS3",
                Some("1.2e-1"),
                "Usage",
            ),
            row("2026-10", "AmazonEC2", Some("99"), "Usage"),
            row("2026-10", "AmazonS3", None, "Usage"),
            row("2026-10", "AmazonS3", Some("-1"), "Credit"),
        ];
        let agg = from_rows("athena", &columns, &rows).unwrap();
        assert_eq!(agg.lines_without_billed_cost, 1);
        let out = agg.rows();
        assert_eq!(out.len(), 2);
        let usage = out.iter().find(|r| r.kind == ChargeKind::Usage).unwrap();
        // 2.3 + 0.12 billed; 100 + 100 GB-Mo; list 2.3 + 2.3; effective unknown.
        assert_eq!(usage.billed_cost.to_string(), "2.42");
        assert_eq!(usage.usage_amount.unwrap().to_string(), "200");
        assert_eq!(usage.list_cost.unwrap().to_string(), "4.6");
        assert_eq!(usage.effective_cost, None);
        assert_eq!(usage.line_items, 2);
        assert!(out.iter().any(|r| r.kind == ChargeKind::Credit));

        let mut bad = rows.clone();
        bad[0][8] = s("lots");
        let e = from_rows("athena", &columns, &bad).unwrap_err().to_string();
        assert!(e.contains("billed_cost") && e.contains("row 1"), "{e}");
        let mut euro = rows.clone();
        euro[1][10] = s("EUR");
        assert!(matches!(
            from_rows("athena", &columns, &euro),
            Err(ActualsError::MixedCurrencies { .. })
        ));
        let e = from_rows("athena", &columns[1..], &rows).unwrap_err();
        assert!(e.to_string().contains("billing_month"), "{e}");
    }
}
