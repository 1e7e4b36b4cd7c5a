//! One month of actuals turned into the drivers the calibration reads from CloudWatch, so a
//! scenario can be calibrated from the bill instead.
//!
//! Usage types are matched without their Region or edge-location prefix, exactly
//! (reference/usage-types.md §0.1: `<prefix>-<suffix>`, us-east-1 S3 without a prefix):
//! - CloudFront `<GEO>-DataTransfer-Out-Bytes` (GB) → delivered bytes (a billed GB is 2^30
//!   bytes); `<GEO>-Requests-Tier1` and `<GEO>-Requests-Tier2-HTTPS` → requests (§5);
//! - MediaConvert `…-<RES>-…-NTM` normalized minutes → output minutes by resolution class
//!   (`SD`, `HD`, `4K` as UHD, `8K`, `AUD` as audio; §1.1);
//! - S3 `TimedStorage-…ByteHrs` (GB-Mo) → average stored bytes by storage class (§4): GB-months
//!   summed over a month are the month's average GB.

use std::collections::BTreeMap;

use ladderwise_usage::MonthDrivers;
use rust_decimal::prelude::ToPrimitive;

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

/// The MediaConvert output class of a `…-NTM` usage type.
fn output_class(suffix: &str) -> Option<&'static str> {
    let body = suffix.strip_suffix("-NTM")?;
    body.split('-').find_map(|t| match t {
        "SD" => Some("SD"),
        "HD" => Some("HD"),
        "4K" => Some("UHD"),
        "8K" => Some("8K"),
        "AUD" => Some("Audio"),
        _ => None,
    })
}

/// The drivers of `month` from its usage lines, with notes on what the bill cannot say.
pub fn month_drivers(rows: &[ActualRow], month: &str) -> (MonthDrivers, Vec<String>) {
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
    for r in rows
        .iter()
        .filter(|r| r.month == month && r.kind == ChargeKind::Usage)
    {
        let amount = r.usage_amount.to_f64().unwrap_or(0.0);
        let suffix = without_prefix(&r.usage_type);
        match r.service_code.as_str() {
            "AmazonCloudFront" if suffix == "DataTransfer-Out-Bytes" => {
                d.delivered_bytes += amount * GB;
            }
            "AmazonCloudFront"
                if suffix == "Requests-Tier1" || suffix == "Requests-Tier2-HTTPS" =>
            {
                d.requests += amount;
            }
            "AWSElementalMediaConvert" if output_class(suffix).is_some() => {
                let class = output_class(suffix).unwrap_or("HD");
                *d.output_minutes.entry(class.to_string()).or_default() += amount;
            }
            "AmazonS3" if storage_type(suffix).is_some() => {
                let t = storage_type(suffix).unwrap_or("StandardStorage");
                *stored.entry(t.to_string()).or_default() += amount * GB;
            }
            _ => unmatched += 1,
        }
    }
    d.stored_bytes = stored;
    let mut notes = vec![
        "the bill has no cache hit rate: it is kept (CloudWatch's CacheHitRate gives it)".into(),
        "MediaConvert bills normalized minutes (NTM): they are read as output minutes, so multi-pass or high-frame-rate outputs count more than their length".into(),
    ];
    if d.delivered_bytes == 0.0 {
        notes.push("no CloudFront DataTransfer-Out-Bytes usage this month".into());
    }
    if unmatched > 0 {
        notes.push(format!(
            "{unmatched} other usage line(s) (requests to S3, Rekognition, Comprehend, …) are not drivers"
        ));
    }
    (d, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(output_class("B-AVC-HD-S-30-NTM"), Some("HD"));
        assert_eq!(output_class("P-HEVC-4K-MHQ-60-NTM"), Some("UHD"));
        assert_eq!(output_class("B-AVC-HD-S-30"), None);
    }
}
