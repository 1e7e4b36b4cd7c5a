//! Moderation (Amazon Rekognition) and text analysis (Amazon Comprehend).

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::{Charge, LineItem, Service, Stage, price, usage};
use crate::pricebook::PriceBook;
use crate::scenario::Scenario;

/// Comprehend bills units of 100 characters with a minimum of 3 units per request, for each
/// API called (Amazon Comprehend pricing, "Natural Language Processing").
pub fn comprehend_units_per_request(chars: Decimal) -> Decimal {
    (chars / Decimal::ONE_HUNDRED).ceil().max(Decimal::from(3))
}

pub(super) fn lines(s: &Scenario, d: &Drivers, book: &PriceBook) -> Vec<LineItem> {
    let mut out = Vec::new();
    let region = Some(s.region.as_str());
    if !s.moderation.images_per_title.is_zero() {
        // Each image sent to DetectModerationLabels is one image of API group 2 (Amazon
        // Rekognition pricing, "Image analysis"); tiers count images per account per month.
        out.push(price(
            book,
            Charge::new(
                Service::Rekognition,
                Stage::Moderation,
                "Image moderation (DetectModerationLabels), group 2 images",
                usage::REKOGNITION_IMAGES,
                region,
                d.titles_per_month * s.moderation.images_per_title,
                "Images",
            ),
        ));
    }
    if s.moderation.video {
        // Stored-video analysis bills per minute of video processed.
        out.push(price(
            book,
            Charge::new(
                Service::Rekognition,
                Stage::Moderation,
                "Stored video moderation (StartContentModeration), minutes of new content",
                usage::REKOGNITION_VIDEO,
                region,
                s.content.new_minutes_per_month.0,
                "Minutes",
            ),
        ));
    }
    if !s.nlp.documents_per_month.is_zero() {
        let units = s.nlp.documents_per_month * comprehend_units_per_request(s.nlp.avg_chars);
        for api in &s.nlp.apis {
            out.push(price(
                book,
                Charge::new(
                    Service::Comprehend,
                    Stage::Nlp,
                    format!(
                        "{} ({} units of 100 characters per request, 3 minimum)",
                        api.operation(),
                        comprehend_units_per_request(s.nlp.avg_chars)
                    ),
                    usage::comprehend_units(*api),
                    region,
                    units,
                    "Units",
                ),
            ));
        }
    }
    out
}
