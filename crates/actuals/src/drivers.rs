//! One month of actuals turned into the drivers the calibration reads from CloudWatch, so a
//! scenario can be calibrated from the bill instead.
//!
//! Usage types are matched without their Region or edge-location prefix, exactly
//! (reference/usage-types.md §0.1: `<prefix>-<suffix>`, us-east-1 S3 without a prefix):
//! - CloudFront `<GEO>-DataTransfer-Out-Bytes` (GB) → delivered bytes (a billed GB is 2^30
//!   bytes); `<GEO>-Requests-Tier1` and `<GEO>-Requests-Tier2-HTTPS` → requests (§5);
//! - MediaConvert `…-<RES>-…-NTM` normalized minutes → output minutes by resolution class
//!   (`SD`, `HD`, `4K` as UHD, `8K`, `AUD` as audio; §1.1): each line's normalized minutes
//!   over the factor its usage type names (an HD line counts twice its length);
//! - S3 `TimedStorage-…ByteHrs` (GB-Mo) → average stored bytes by storage class (§4): GB-months
//!   summed over a month are the month's average GB.
//!
//! Amounts are read in the unit the line gives, converted as the variance converts them
//! ([`crate::units::to_plan_unit`]: GB-hours and byte-hours to GB-months, bytes to GB); a
//! line in a unit with no conversion is left out and said. S3 and MediaConvert lines billed
//! in another Region than the scenario's are left out too, as the variance leaves them out:
//! they are another Region's content.

use std::collections::BTreeMap;

use ladderwise_model::engine::transcode::ntm_factor;
use ladderwise_model::engine::usage::NtmOutput;
use ladderwise_model::pricebook::NormalizationTable;
use ladderwise_usage::MonthDrivers;
use rust_decimal::prelude::ToPrimitive;

use crate::units::to_plan_unit;
use crate::{ActualRow, ChargeKind};

const GB: f64 = 1_073_741_824.0;

/// The usage type without its Region or edge-location prefix (`USE2-`, `EU-`, `IAD-`): a first
/// segment of two to five capital letters and digits.
pub fn without_prefix(usage_type: &str) -> &str {
    match usage_type.split_once('-') {
        Some((p, rest))
            if (2..=5).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            rest
        }
        _ => usage_type,
    }
}

/// The CloudWatch `StorageType` of an S3 `TimedStorage-…ByteHrs` usage type.
fn storage_type(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "TimedStorage-ByteHrs" => "StandardStorage",
        "TimedStorage-SIA-ByteHrs" => "StandardIAStorage",
        "TimedStorage-ZIA-ByteHrs" => "OneZoneIAStorage",
        "TimedStorage-GIR-ByteHrs" => "GlacierInstantRetrievalStorage",
        "TimedStorage-GlacierByteHrs" => "GlacierStorage",
        "TimedStorage-GDA-ByteHrs" => "DeepArchiveStorage",
        "TimedStorage-INT-FA-ByteHrs" => "IntelligentTieringFAStorage",
        "TimedStorage-INT-IA-ByteHrs" => "IntelligentTieringIAStorage",
        "TimedStorage-INT-AIA-ByteHrs" => "IntelligentTieringAIAStorage",
        _ => return None,
    })
}

/// The drivers of `month` from its usage lines in `region` (CloudFront's wherever they
/// are), with notes on what the bill cannot say. `factors` turns MediaConvert's normalized
/// minutes into output minutes; without it, or for a line whose factor it lacks, normalized
/// minutes are read as output minutes and a note says so.
pub fn month_drivers(
    rows: &[ActualRow],
    month: &str,
    factors: Option<&NormalizationTable>,
    region: &str,
) -> (MonthDrivers, Vec<String>) {
    let days = ladderwise_usage::calendar::days_in_month_label(month).unwrap_or(0);
    let mut d = MonthDrivers {
        month: month.to_string(),
        // A billed month covers every one of its days; an export of the running month is
        // partial, which the bill does not mark.
        days_with_data: days,
        days_in_month: days,
        ..MonthDrivers::default()
    };
    let mut stored: BTreeMap<String, f64> = BTreeMap::new();
    let mut unmatched = 0u64;
    // MediaConvert lines whose normalized minutes stay as they are: (count, first, why).
    let mut unconverted: (u64, Option<(String, String)>) = (0, None);
    let mut converted = 0u64;
    // Usage lines that give no quantity: (service code, usage type), each once.
    let mut unknown: Vec<(String, String)> = Vec::new();
    // Driver lines of another Region, and in a unit with no conversion: (count, first).
    let mut elsewhere: (u64, Vec<String>) = (0, Vec::new());
    let mut unreadable: (u64, Option<String>) = (0, None);
    for r in rows
        .iter()
        .filter(|r| r.month == month && r.kind == ChargeKind::Usage)
    {
        let Some(amount) = r.usage_amount else {
            let place = (r.service_code.clone(), r.usage_type.clone());
            if !unknown.contains(&place) {
                unknown.push(place);
            }
            continue;
        };
        let suffix = without_prefix(&r.usage_type);
        let Some(driver) = Driver::of(&r.service_code, suffix) else {
            unmatched += 1;
            continue;
        };
        if driver.regional() && r.billed_elsewhere(region) {
            elsewhere.0 += 1;
            if !elsewhere.1.contains(&r.region) {
                elsewhere.1.push(r.region.clone());
            }
            continue;
        }
        let amount = match driver
            .unit()
            .map(|unit| (unit, to_plan_unit(amount, &r.unit, unit, month)))
        {
            None => amount,
            Some((_, Ok((converted, _)))) => converted,
            Some((wanted, Err(_))) => {
                unreadable.0 += 1;
                if unreadable.1.is_none() {
                    let unit = if r.unit.is_empty() {
                        "no unit"
                    } else {
                        &r.unit
                    };
                    unreadable.1 = Some(format!("{} in {unit}, not {wanted}", r.usage_type));
                }
                continue;
            }
        };
        let amount = amount.to_f64().unwrap_or(0.0);
        match driver {
            Driver::Delivered => *d.delivered_bytes.get_or_insert(0.0) += amount * GB,
            Driver::Requests => *d.requests.get_or_insert(0.0) += amount,
            Driver::Transcoded(output) => {
                let factor = match factors {
                    Some(table) => ntm_factor(table, &output),
                    None => Err("no normalization table".to_string()),
                };
                let minutes = match factor.map(|f| f.to_f64().unwrap_or(0.0)) {
                    Ok(f) if f > 0.0 => {
                        converted += 1;
                        amount / f
                    }
                    other => {
                        unconverted.0 += 1;
                        if unconverted.1.is_none() {
                            let why = other.err().unwrap_or_else(|| "a zero factor".into());
                            unconverted.1 = Some((r.usage_type.clone(), why));
                        }
                        amount
                    }
                };
                *d.output_minutes
                    .entry(output.class().to_string())
                    .or_default() += minutes;
            }
            Driver::Stored(t) => *stored.entry(t.to_string()).or_default() += amount * GB,
        }
    }
    d.stored_bytes = stored;
    let mut notes = vec![
        "the bill has no cache hit rate: it is kept (CloudWatch's CacheHitRate gives it)".into(),
    ];
    if converted > 0 {
        notes.push(format!(
            "MediaConvert bills normalized minutes (NTM): {converted} line(s) divided by the factor of the resolution, frame rate, codec and passes their usage type names, giving output minutes"
        ));
    }
    if let (n, Some((usage_type, why))) = unconverted {
        notes.push(format!(
            "{n} MediaConvert line(s) could not be turned into output minutes ({usage_type}: {why}): their normalized minutes are read as output minutes, so they count more than their length"
        ));
    }
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(|(s, u)| format!("{s} {u}")).collect();
        notes.push(format!(
            "{} usage type(s) give no quantity on the bill ({}): left out, so the drivers they feed are at least what is shown",
            unknown.len(),
            names.join(", ")
        ));
    }
    if elsewhere.0 > 0 {
        notes.push(format!(
            "{} S3 or MediaConvert line(s) billed in {} are left out: the scenario is for {region}",
            elsewhere.0,
            elsewhere.1.join(", ")
        ));
    }
    if let (n, Some(first)) = unreadable {
        notes.push(format!(
            "{n} line(s) count in a unit the drivers cannot be read in ({first}): left out, so the drivers they feed are at least what is shown"
        ));
    }
    let delivery_unknown = unknown
        .iter()
        .any(|(s, u)| is_delivered_bytes(s, without_prefix(u)));
    if d.delivered_bytes.is_none_or(|b| b == 0.0) && !delivery_unknown {
        notes.push("no CloudFront DataTransfer-Out-Bytes usage this month".into());
    }
    if unmatched > 0 {
        notes.push(format!(
            "{unmatched} other usage line(s) (requests to S3, Rekognition, Comprehend, …) are not drivers"
        ));
    }
    (d, notes)
}

/// The driver a usage line feeds, told once from its service code and usage type without
/// its prefix.
enum Driver<'a> {
    /// CloudFront `DataTransfer-Out-Bytes`, GB.
    Delivered,
    /// CloudFront `Requests-Tier1` and `Requests-Tier2-HTTPS`.
    Requests,
    /// A MediaConvert per-output `…-NTM` line, normalized minutes.
    Transcoded(NtmOutput<'a>),
    /// An S3 `TimedStorage-…ByteHrs` line of this CloudWatch `StorageType`, GB-months.
    Stored(&'static str),
}

impl<'a> Driver<'a> {
    fn of(service_code: &str, suffix: &'a str) -> Option<Driver<'a>> {
        match service_code {
            _ if is_delivered_bytes(service_code, suffix) => Some(Driver::Delivered),
            "AmazonCloudFront"
                if suffix == "Requests-Tier1" || suffix == "Requests-Tier2-HTTPS" =>
            {
                Some(Driver::Requests)
            }
            "AWSElementalMediaConvert" => NtmOutput::read(suffix).map(Driver::Transcoded),
            "AmazonS3" => storage_type(suffix).map(Driver::Stored),
            _ => None,
        }
    }

    /// Billed in the scenario's Region (CloudFront's charges are global).
    fn regional(&self) -> bool {
        matches!(self, Driver::Transcoded(_) | Driver::Stored(_))
    }

    /// The unit the driver counts the line's amount in, when it converts one.
    fn unit(&self) -> Option<&'static str> {
        match self {
            Driver::Delivered => Some("GB"),
            Driver::Stored(_) => Some("GB-Mo"),
            Driver::Requests | Driver::Transcoded(_) => None,
        }
    }
}

/// CloudFront's bytes sent to viewers: the delivered-bytes driver, by service code and usage
/// type without its Region prefix.
fn is_delivered_bytes(service_code: &str, usage_suffix: &str) -> bool {
    service_code == "AmazonCloudFront" && usage_suffix == "DataTransfer-Out-Bytes"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ntm(usage_type: &str, amount: i64) -> ActualRow {
        ActualRow::usage(
            "2026-09",
            "us-east-1",
            "AWSElementalMediaConvert",
            usage_type,
            "Minutes",
            amount.into(),
            Default::default(),
        )
    }

    #[test]
    fn normalized_minutes_become_output_minutes_by_their_factor() {
        let table = NormalizationTable::parse(include_str!(
            "../../../pricing-cache/mediaconvert-normalization.json"
        ))
        .unwrap();
        let rows = [
            // HD × 2: 3,000 output minutes.
            ntm("IAD-B-AVC-HD-S-30-NTM", 6_000),
            // UHD × 4, 60 fps × 1.25, Professional HEVC × 1 (the shipped table's), 2 passes × 1.75.
            ntm("IAD-P-HEVC-4K-MHQ-60-NTM", 875),
            // XAVC has no factor: read as it is, and said.
            ntm("IAD-P-XAVC-HD-S-30-NTM", 10),
        ];
        let (d, notes) = month_drivers(&rows, "2026-09", Some(&table), "us-east-1");
        let hevc = 875.0 / (4.0 * 1.25 * 1.75 * factor(&table, "professional", "hevc"));
        assert_eq!(d.output_minutes["HD"], 3_000.0 + 10.0);
        assert!((d.output_minutes["UHD"] - hevc).abs() < 1e-9, "{d:?}");
        assert!(
            notes.iter().any(|n| n.contains("2 line(s) divided")),
            "{notes:?}"
        );
        assert!(
            notes.iter().any(|n| n.starts_with("1 MediaConvert line(s)")
                && n.contains(
                    "IAD-P-XAVC-HD-S-30-NTM: no factor for xavc in the professional tier"
                )),
            "{notes:?}"
        );
        // Without a table every line is read as it is.
        let (raw, _) = month_drivers(&rows, "2026-09", None, "us-east-1");
        assert_eq!(raw.output_minutes["HD"], 6_010.0);
    }

    fn factor(table: &NormalizationTable, tier: &str, codec: &str) -> f64 {
        use ladderwise_model::pricebook::FactorKey;
        table
            .factor(FactorKey::Codec { tier, codec })
            .unwrap()
            .value
            .to_f64()
            .unwrap()
    }

    #[test]
    fn prefixes_go_and_names_stay() {
        assert_eq!(
            without_prefix("US-DataTransfer-Out-Bytes"),
            "DataTransfer-Out-Bytes"
        );
        assert_eq!(
            without_prefix("USE2-TimedStorage-ByteHrs"),
            "TimedStorage-ByteHrs"
        );
        assert_eq!(
            without_prefix("TimedStorage-ByteHrs"),
            "TimedStorage-ByteHrs"
        );
        assert_eq!(
            without_prefix("Tables-TimedStorage-ByteHrs"),
            "Tables-TimedStorage-ByteHrs"
        );
        let class = |s| NtmOutput::read(s).map(|o| o.class());
        assert_eq!(class("B-AVC-HD-S-30-NTM"), Some("HD"));
        assert_eq!(class("P-HEVC-4K-MHQ-60-NTM"), Some("UHD"));
        assert_eq!(class("B-AUD-NTM"), Some("Audio"));
        assert_eq!(class("B-AVC-HD-S-30"), None);
    }
}
