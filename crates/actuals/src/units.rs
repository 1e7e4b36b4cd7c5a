//! Bill quantities in the units the plan counts: a bill may count S3 storage in GB-hours or
//! byte-hours and CloudFront's transfer in bytes where the Price List says GB-months and GB.
//! The variance compares usage in the plan's unit, and the calibration from the bill reads its
//! drivers in it, through this one conversion.

use ladderwise_model::units::Bytes;
use rust_decimal::Decimal;

/// A bill quantity in the plan's unit, and how it was converted (`None`: it needed no
/// conversion); `Err` says why it cannot be compared.
///
/// S3 counts storage in byte-hours and bills GB-months: "Total Byte-Hour usage … / 1,073,741,
/// 824 bytes per GB / 744 hours per month = … GB-Months" (S3 FAQ, "How will I be charged and
/// billed for my use of Amazon S3?"), the hours being the billing month's own. The GB is
/// 2^30 bytes ([`Bytes::billed_gb`]).
pub fn to_plan_unit(
    amount: Decimal,
    bill_unit: &str,
    plan_unit: &str,
    month: &str,
) -> Result<(Decimal, Option<String>), String> {
    let (bill, plan) = (UnitName::of(bill_unit), UnitName::of(plan_unit));
    if bill == plan || amount.is_zero() {
        return Ok((amount, None));
    }
    let days = ladderwise_usage::calendar::days_in_month_label(month).unwrap_or(30);
    let hours = Decimal::from(days * 24);
    let gb = |bytes: Decimal| Bytes(bytes).billed_gb().0;
    match (bill, plan) {
        (UnitName::GbHours, UnitName::GbMonths) => Ok((
            amount / hours,
            Some(format!(
                "{bill_unit} ÷ {hours} hours in {month} = {plan_unit}"
            )),
        )),
        (UnitName::ByteHours, UnitName::GbMonths) => Ok((
            gb(amount) / hours,
            Some(format!(
                "{bill_unit} ÷ 2^30 bytes a GB ÷ {hours} hours in {month} = {plan_unit}"
            )),
        )),
        (UnitName::Bytes, UnitName::Gb) => Ok((
            gb(amount),
            Some(format!("{bill_unit} ÷ 2^30 bytes a GB = {plan_unit}")),
        )),
        _ => Err(format!(
            "the bill counts {} and the plan {plan_unit}: the usage is not compared",
            if bill_unit.is_empty() {
                "no unit"
            } else {
                bill_unit
            }
        )),
    }
}

/// Units as bills and the Price List spell them, told apart by what they count.
#[derive(Clone, Debug, PartialEq, Eq)]
enum UnitName {
    Gb,
    GbMonths,
    GbHours,
    ByteHours,
    Bytes,
    /// Any other unit, lower case and singular (`requests`, `Requests` and `Request` are one).
    Other(String),
}

impl UnitName {
    fn of(unit: &str) -> UnitName {
        let u = unit.trim().to_ascii_lowercase().replace(' ', "-");
        match u.as_str() {
            "gb" | "gigabytes" => UnitName::Gb,
            "gb-mo" | "gb-month" | "gb-months" | "gbmonth" => UnitName::GbMonths,
            "gb-hours" | "gb-hour" | "gb-hrs" | "gb-hr" | "gbhours" => UnitName::GbHours,
            "bytehrs" | "byte-hrs" | "byte-hours" | "bytehours" => UnitName::ByteHours,
            "bytes" | "byte" => UnitName::Bytes,
            other => UnitName::Other(other.trim_end_matches('s').to_string()),
        }
    }
}
