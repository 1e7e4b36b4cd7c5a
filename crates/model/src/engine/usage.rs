//! Every usage type the engine prices, in one place: the stages look prices up by these names,
//! and [`all`] lists them so a price snapshot can be checked for completeness.
//!
//! Names follow AWS's usage types without a Region prefix (lookups also accept `USE1-…`,
//! `EU-…`). The records AWS publishes in the Price List are marked `in_price_list`; free
//! allowances and MediaConvert reserved slots are not there and come with a snapshot instead.

use super::Service;
use super::storage::IntTier;
use crate::scenario::{ComprehendApi, Geography, MediaConvertTier, Protocol, StorageClass};

pub const ETS_SD: &str = "ets-sd-success";
pub const ETS_HD: &str = "ets-hd-success";
pub const ETS_AUDIO: &str = "ets-audio-success";
/// S3 Intelligent-Tiering's monitoring and automation fee, per object of 128 KB or more.
pub const INTELLIGENT_TIERING_MONITORING: &str = "Monitoring-Automation-INT";
pub const ETS_FREE_SD: &str = "Global-ets-sd-success";
pub const ETS_FREE_HD: &str = "Global-ets-hd-success";
pub const MEDIACONVERT_RESERVED_SLOT: &str = "ReservedTranscodeSlot";
pub const CLOUDFRONT_FREE_BYTES: &str = "Global-FreeTier-DataTransfer-Out-Bytes";
pub const CLOUDFRONT_FREE_REQUESTS: &str = "Global-FreeTier-Requests";
pub const DATA_TRANSFER_OUT: &str = "DataTransfer-Out-Bytes";
pub const DATA_TRANSFER_FREE: &str = "Global-FreeTier-DataTransfer-Out-Bytes";
pub const REKOGNITION_IMAGES: &str = "Group2-ImagesProcessed";
pub const REKOGNITION_VIDEO: &str = "ContentModeration-VideoMinutes";

pub fn mediaconvert_minutes(tier: MediaConvertTier) -> String {
    format!("{}-NormalizedMinutes", tier.label())
}

pub fn cloudfront_out(geo: Geography) -> String {
    format!("{}-DataTransfer-Out-Bytes", geo.usage_prefix())
}

pub fn cloudfront_requests(geo: Geography, protocol: Protocol) -> String {
    match protocol {
        Protocol::Http => format!("{}-Requests-Tier1", geo.usage_prefix()),
        Protocol::Https => format!("{}-Requests-Tier2-HTTPS", geo.usage_prefix()),
    }
}

pub fn origin_shield(geo: Geography) -> String {
    format!("{}-Requests-OriginShield", geo.usage_prefix())
}

/// Storage of a class; Intelligent-Tiering's frequent access tier (see
/// [`intelligent_tiering`] for its other tiers).
pub fn storage(class: StorageClass) -> &'static str {
    match class {
        StorageClass::Standard => "TimedStorage-ByteHrs",
        StorageClass::IntelligentTiering => intelligent_tiering(IntTier::Frequent),
        StorageClass::StandardIa => "TimedStorage-SIA-ByteHrs",
        StorageClass::GlacierIr => "TimedStorage-GIR-ByteHrs",
    }
}

/// Storage in one of Intelligent-Tiering's access tiers.
pub fn intelligent_tiering(tier: IntTier) -> &'static str {
    match tier {
        IntTier::Frequent => "TimedStorage-INT-FA-ByteHrs",
        IntTier::Infrequent => "TimedStorage-INT-IA-ByteHrs",
        IntTier::ArchiveInstant => "TimedStorage-INT-AIA-ByteHrs",
    }
}

/// PUT, COPY, POST and LIST requests of a class.
pub fn puts(class: StorageClass) -> &'static str {
    match class {
        StorageClass::Standard => "Requests-Tier1",
        StorageClass::IntelligentTiering => "Requests-INT-Tier1",
        StorageClass::StandardIa => "Requests-SIA-Tier1",
        StorageClass::GlacierIr => "Requests-GIR-Tier1",
    }
}

/// GET and all other requests of a class.
pub fn gets(class: StorageClass) -> &'static str {
    match class {
        StorageClass::Standard => "Requests-Tier2",
        StorageClass::IntelligentTiering => "Requests-INT-Tier2",
        StorageClass::StandardIa => "Requests-SIA-Tier2",
        StorageClass::GlacierIr => "Requests-GIR-Tier2",
    }
}

/// Lifecycle transition requests into a class; `None` for Standard, which nothing moves into.
pub fn transitions(class: StorageClass) -> Option<&'static str> {
    match class {
        StorageClass::Standard => None,
        StorageClass::IntelligentTiering => Some("Requests-INT-Tier4"),
        StorageClass::StandardIa => Some("Requests-Tier4"),
        StorageClass::GlacierIr => Some("Requests-GIR-Tier4"),
    }
}

/// Retrieval fees of a class; `None` for Standard and Intelligent-Tiering, which have none.
pub fn retrieval(class: StorageClass) -> Option<&'static str> {
    match class {
        StorageClass::Standard | StorageClass::IntelligentTiering => None,
        StorageClass::StandardIa => Some("Retrieval-SIA"),
        StorageClass::GlacierIr => Some("Retrieval-GIR"),
    }
}

/// The early-delete charge of a class with a minimum storage duration.
pub fn early_delete(class: StorageClass) -> Option<&'static str> {
    match class {
        StorageClass::StandardIa => Some("EarlyDelete-SIA"),
        StorageClass::GlacierIr => Some("EarlyDelete-GIR"),
        StorageClass::Standard | StorageClass::IntelligentTiering => None,
    }
}

pub fn comprehend_units(api: ComprehendApi) -> String {
    format!("{}-Units", api.operation())
}

/// A usage type the engine may look up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageType {
    pub service: Service,
    pub usage_type: String,
    /// Looked up in the scenario's Region (false: global, like CloudFront's geographies).
    pub regional: bool,
    /// AWS publishes it in the Price List (false: free allowances, reserved slots).
    pub in_price_list: bool,
    /// A snapshot without it cannot be installed. Optional ones show as unpriced lines.
    pub required: bool,
}

/// Every usage type the engine may price.
pub fn all() -> Vec<UsageType> {
    let mut out = Vec::new();
    let mut add = |service, usage_type: String, regional, in_price_list, required| {
        out.push(UsageType {
            service,
            usage_type,
            regional,
            in_price_list,
            required,
        })
    };
    for tier in [MediaConvertTier::Basic, MediaConvertTier::Professional] {
        add(
            Service::MediaConvert,
            mediaconvert_minutes(tier),
            true,
            true,
            true,
        );
    }
    add(
        Service::MediaConvert,
        MEDIACONVERT_RESERVED_SLOT.into(),
        true,
        false,
        false,
    );
    add(Service::ElasticTranscoder, ETS_SD.into(), true, true, true);
    add(Service::ElasticTranscoder, ETS_HD.into(), true, true, true);
    add(
        Service::ElasticTranscoder,
        ETS_AUDIO.into(),
        true,
        true,
        false,
    );
    add(
        Service::ElasticTranscoder,
        ETS_FREE_SD.into(),
        false,
        true,
        false,
    );
    add(
        Service::ElasticTranscoder,
        ETS_FREE_HD.into(),
        false,
        true,
        false,
    );
    for (_, class) in StorageClass::ALL {
        // Intelligent-Tiering and early deletes are priced where a snapshot has them; a
        // snapshot without them still prices every other scenario.
        let required = class != StorageClass::IntelligentTiering;
        add(Service::S3, storage(class).into(), true, true, required);
        add(Service::S3, puts(class).into(), true, true, required);
        add(Service::S3, gets(class).into(), true, true, required);
        if let Some(t) = transitions(class) {
            add(Service::S3, t.into(), true, true, required);
        }
        if let Some(r) = retrieval(class) {
            add(Service::S3, r.into(), true, true, required);
        }
        if let Some(e) = early_delete(class) {
            add(Service::S3, e.into(), true, true, false);
        }
    }
    for tier in [IntTier::Infrequent, IntTier::ArchiveInstant] {
        add(
            Service::S3,
            intelligent_tiering(tier).into(),
            true,
            true,
            false,
        );
    }
    add(
        Service::S3,
        INTELLIGENT_TIERING_MONITORING.into(),
        true,
        true,
        false,
    );
    add(
        Service::DataTransfer,
        DATA_TRANSFER_OUT.into(),
        true,
        true,
        true,
    );
    add(
        Service::DataTransfer,
        DATA_TRANSFER_FREE.into(),
        false,
        false,
        false,
    );
    for geo in Geography::ALL {
        add(Service::CloudFront, cloudfront_out(geo), false, true, true);
        for protocol in [Protocol::Http, Protocol::Https] {
            add(
                Service::CloudFront,
                cloudfront_requests(geo, protocol),
                false,
                true,
                true,
            );
        }
        add(Service::CloudFront, origin_shield(geo), false, true, false);
    }
    add(
        Service::CloudFront,
        CLOUDFRONT_FREE_BYTES.into(),
        false,
        false,
        false,
    );
    add(
        Service::CloudFront,
        CLOUDFRONT_FREE_REQUESTS.into(),
        false,
        false,
        false,
    );
    add(
        Service::Rekognition,
        REKOGNITION_IMAGES.into(),
        true,
        true,
        true,
    );
    add(
        Service::Rekognition,
        REKOGNITION_VIDEO.into(),
        true,
        true,
        true,
    );
    for (_, api) in ComprehendApi::ALL {
        add(Service::Comprehend, comprehend_units(api), true, true, true);
    }
    out
}

/// Whether a record's usage type is `wanted`, allowing for a Region prefix (`USE1-…`).
pub use crate::pricebook::usage_type_matches as matches;

/// The required usage types `book` has no record of, for `region`.
pub fn missing(book: &crate::pricebook::PriceBook, region: &str) -> Vec<UsageType> {
    all()
        .into_iter()
        .filter(|u| u.required)
        .filter(|u| {
            book.find_usage(
                u.service.code(),
                &u.usage_type,
                u.regional.then_some(region),
            )
            .is_none()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_prefixes_match_but_other_names_do_not() {
        assert!(matches("TimedStorage-ByteHrs", "TimedStorage-ByteHrs"));
        assert!(matches("USW2-TimedStorage-ByteHrs", "TimedStorage-ByteHrs"));
        assert!(matches(
            "USE1-Basic-NormalizedMinutes",
            "Basic-NormalizedMinutes"
        ));
        assert!(!matches("TimedStorage-SIA-ByteHrs", "ByteHrs"));
        assert!(!matches("X-TimedStorage-GIR-ByteHrs", "GIR-ByteHrs"));
    }

    #[test]
    fn the_shipped_names_are_all_distinct() {
        let mut names: Vec<(Service, String)> = all()
            .into_iter()
            .map(|u| (u.service, u.usage_type))
            .collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
