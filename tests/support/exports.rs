//! Bill exports as AWS Data Exports writes them, built with polars from lines given in
//! neither schema's names: FOCUS 1.2 with AWS columns (Parquet with UTC timestamps) and CUR
//! 2.0, as Parquet, CSV or gzipped CSV.

use std::io::Write as _;
use std::path::Path;

use polars::prelude::*;

/// One export line, in neither schema's names.
#[derive(Clone)]
pub struct Line {
    pub start: &'static str,
    pub account: &'static str,
    pub region: Option<&'static str>,
    pub service: &'static str,
    pub usage_type: Option<&'static str>,
    pub unit: &'static str,
    pub quantity: Option<f64>,
    pub list: Option<f64>,
    pub billed: Option<f64>,
    pub effective: Option<f64>,
    pub currency: &'static str,
    pub category: &'static str,
    pub class: Option<&'static str>,
}

pub const A: &str = "111122223333";
pub const B: &str = "444455556666";

#[allow(clippy::too_many_arguments)]
pub fn line(
    start: &'static str,
    account: &'static str,
    region: Option<&'static str>,
    service: &'static str,
    usage_type: Option<&'static str>,
    unit: &'static str,
    quantity: Option<f64>,
    costs: (Option<f64>, Option<f64>, Option<f64>),
    category: &'static str,
) -> Line {
    Line {
        start,
        account,
        region,
        service,
        usage_type,
        unit,
        quantity,
        list: costs.0,
        billed: costs.1,
        effective: costs.2,
        currency: "USD",
        category,
        class: None,
    }
}

pub fn all(v: f64) -> (Option<f64>, Option<f64>, Option<f64>) {
    (Some(v), Some(v), Some(v))
}

fn ms(ts: &str) -> i64 {
    ladderwise_usage::calendar::parse_iso(ts).unwrap()
}

fn strings(lines: &[Line], f: impl Fn(&Line) -> Option<String>) -> Vec<Option<String>> {
    lines.iter().map(f).collect()
}

/// FOCUS 1.2 with AWS columns as AWS writes it to Parquet: timestamps in UTC.
pub fn focus_frame(lines: &[Line]) -> DataFrame {
    let utc = DataType::Datetime(TimeUnit::Milliseconds, Some(TimeZone::UTC));
    let start = Series::new(
        "ChargePeriodStart".into(),
        lines.iter().map(|l| ms(l.start)).collect::<Vec<_>>(),
    )
    .cast(&utc)
    .unwrap();
    let mut df = df!(
        "BillingAccountId" => lines.iter().map(|_| A).collect::<Vec<_>>(),
        "SubAccountId" => lines.iter().map(|l| l.account).collect::<Vec<_>>(),
        "RegionId" => strings(lines, |l| l.region.map(str::to_string)),
        "ServiceName" => lines.iter().map(|l| l.service).collect::<Vec<_>>(),
        "x_ServiceCode" => lines.iter().map(|l| l.service).collect::<Vec<_>>(),
        "x_UsageType" => strings(lines, |l| l.usage_type.map(str::to_string)),
        "x_Operation" => lines.iter().map(|_| "").collect::<Vec<_>>(),
        "PricingUnit" => lines.iter().map(|l| l.unit).collect::<Vec<_>>(),
        "PricingQuantity" => lines.iter().map(|l| l.quantity).collect::<Vec<_>>(),
        "ListCost" => lines.iter().map(|l| l.list).collect::<Vec<_>>(),
        "BilledCost" => lines.iter().map(|l| l.billed).collect::<Vec<_>>(),
        "EffectiveCost" => lines.iter().map(|l| l.effective).collect::<Vec<_>>(),
        "BillingCurrency" => lines.iter().map(|l| l.currency).collect::<Vec<_>>(),
        "ChargeCategory" => lines.iter().map(|l| l.category).collect::<Vec<_>>(),
        "ChargeClass" => strings(lines, |l| l.class.map(str::to_string)),
    )
    .unwrap();
    df.insert_column(0, start.into_column()).unwrap();
    df
}

/// CUR 2.0, as Data Exports writes it.
pub fn cur_frame(lines: &[Line]) -> DataFrame {
    df!(
        "bill_payer_account_id" => lines.iter().map(|_| A).collect::<Vec<_>>(),
        "line_item_usage_account_id" => lines.iter().map(|l| l.account).collect::<Vec<_>>(),
        "line_item_usage_start_date" => lines.iter().map(|l| l.start).collect::<Vec<_>>(),
        "line_item_line_item_type" => lines.iter().map(|l| l.category).collect::<Vec<_>>(),
        // Data transfer out of S3 is billed under the S3 product code.
        "line_item_product_code" => lines.iter().map(|l| if l.service == "AWSDataTransfer" { "AmazonS3" } else { l.service }).collect::<Vec<_>>(),
        "product_servicecode" => lines.iter().map(|l| l.service).collect::<Vec<_>>(),
        "line_item_usage_type" => strings(lines, |l| l.usage_type.map(str::to_string)),
        "line_item_operation" => lines.iter().map(|_| "").collect::<Vec<_>>(),
        "product_region_code" => strings(lines, |l| l.region.map(str::to_string)),
        "pricing_unit" => lines.iter().map(|l| l.unit).collect::<Vec<_>>(),
        "line_item_usage_amount" => lines.iter().map(|l| l.quantity).collect::<Vec<_>>(),
        "pricing_public_on_demand_cost" => lines.iter().map(|l| l.list).collect::<Vec<_>>(),
        "line_item_unblended_cost" => lines.iter().map(|l| l.billed).collect::<Vec<_>>(),
        "line_item_currency_code" => lines.iter().map(|l| l.currency).collect::<Vec<_>>(),
    )
    .unwrap()
}

pub fn write_parquet(df: &mut DataFrame, path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    ParquetWriter::new(file).finish(df).unwrap();
}

/// CSV as Data Exports writes it (timestamps in ISO 8601 UTC), optionally gzipped.
pub fn write_csv(df: &mut DataFrame, path: &Path) {
    // Timestamps as text, the way the CSV exports carry them.
    if let Ok(c) = df.column("ChargePeriodStart") {
        let texts: Vec<String> = c
            .cast(&DataType::Int64)
            .unwrap()
            .i64()
            .unwrap()
            .into_no_null_iter()
            .map(ladderwise_usage::calendar::format_iso)
            .collect();
        df.with_column(Column::new("ChargePeriodStart".into(), texts))
            .unwrap();
    }
    let mut bytes = Vec::new();
    CsvWriter::new(&mut bytes).finish(df).unwrap();
    if path.to_string_lossy().ends_with(".gz") {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&bytes).unwrap();
        bytes = gz.finish().unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}
