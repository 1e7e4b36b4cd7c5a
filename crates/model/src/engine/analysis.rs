//! Image and video analysis (Amazon Rekognition) and text analysis (Amazon Comprehend).

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::{Charge, LineItem, Service, Stage, price, usage};
use crate::pricebook::PriceBook;
use crate::scenario::{NlpMode, Scenario};
use crate::units::format_quantity;

/// Comprehend bills units of 100 characters with a minimum of 3 units per request, for each
/// API called (Amazon Comprehend pricing, "Natural Language Processing").
pub fn comprehend_units_per_request(chars: Decimal) -> Decimal {
    (chars / Decimal::ONE_HUNDRED).ceil().max(Decimal::from(3))
}

/// The images of the month each Rekognition API group 2 operation analyses, frames sampled
/// from new video included (they go to DetectModerationLabels).
pub fn group2_images(s: &Scenario, d: &Drivers) -> Vec<(&'static str, Decimal)> {
    let frames = s.vision.frames_per_minute * s.content.new_minutes_per_month.0;
    s.vision
        .group2_per_title()
        .into_iter()
        .map(|(api, per_title)| {
            let sampled = if api == "DetectModerationLabels" {
                frames
            } else {
                Decimal::ZERO
            };
            (api, d.titles_per_month * per_title + sampled)
        })
        .collect()
}

/// The texts of the month Comprehend analyses, per source: (source, requests, characters
/// per request). DetectText's findings are a source when `nlp.ocr_text` chains them.
pub fn text_sources(s: &Scenario, d: &Drivers) -> Vec<(&'static str, Decimal, Decimal)> {
    let mut out = vec![("documents", s.nlp.documents_per_month, s.nlp.avg_chars)];
    if !s.nlp.comments_per_title.is_zero() {
        out.push((
            "comments",
            d.titles_per_month * s.nlp.comments_per_title,
            s.nlp.comment_chars,
        ));
    }
    if s.nlp.ocr_text {
        out.push((
            "OCR text",
            d.titles_per_month * s.vision.text_images_per_title,
            s.nlp.ocr_chars,
        ));
    }
    out
}

pub(super) fn lines(s: &Scenario, d: &Drivers, book: &PriceBook) -> Vec<LineItem> {
    let mut out = Vec::new();
    let region = Some(s.region.as_str());
    let v = &s.vision;
    // Rekognition walks its tiers per API group, over the group's images of the month
    // (Amazon Rekognition pricing, "Image analysis": group 1 and group 2 APIs).
    let group2 = group2_images(s, d);
    let images: Decimal = group2.iter().map(|(_, n)| *n).sum();
    if !images.is_zero() {
        // Moderation alone keeps the line's name from before `[vision]`.
        let moderation_only = v.label_images_per_title.is_zero()
            && v.text_images_per_title.is_zero()
            && v.face_images_per_title.is_zero()
            && v.frames_per_minute.is_zero();
        let mut charge = Charge::new(
            Service::Rekognition,
            Stage::Moderation,
            if moderation_only {
                "Image moderation (DetectModerationLabels), group 2 images"
            } else {
                "Image analysis (DetectModerationLabels, DetectLabels, DetectText, DetectFaces), group 2 images"
            },
            usage::REKOGNITION_IMAGES,
            region,
            images,
            "Images",
        );
        if !moderation_only {
            let each: Vec<String> = group2
                .iter()
                .filter(|(_, n)| !n.is_zero())
                .map(|(api, n)| format!("{api} {}", format_quantity(*n, 0)))
                .collect();
            let frames = if v.frames_per_minute.is_zero() {
                String::new()
            } else {
                format!(
                    "; DetectModerationLabels includes {} frames sampled a minute of new video",
                    v.frames_per_minute.normalize()
                )
            };
            charge = charge.note(format!(
                "one tier walk over the group's images: {}{frames}",
                each.join(", ")
            ));
        }
        out.push(price(book, charge));
    }
    let group1 = d.titles_per_month * v.face_search_images_per_title;
    if !group1.is_zero() {
        out.push(price(
            book,
            Charge::new(
                Service::Rekognition,
                Stage::Moderation,
                "Face search (IndexFaces, SearchFacesByImage), group 1 images",
                usage::REKOGNITION_GROUP1_IMAGES,
                region,
                group1,
                "Images",
            ),
        ));
    }
    let features = v.video_features();
    if !features.is_empty() {
        // Stored-video analysis bills per minute of video processed, for each feature
        // started on it (Amazon Rekognition pricing, "Video analysis").
        let description = if features == ["StartContentModeration"] {
            "Stored video moderation (StartContentModeration), minutes of new content".to_string()
        } else {
            format!(
                "Stored video analysis ({}), minutes of new content once per feature",
                features.join(", ")
            )
        };
        out.push(price(
            book,
            Charge::new(
                Service::Rekognition,
                Stage::Moderation,
                description,
                usage::REKOGNITION_VIDEO,
                region,
                s.content.new_minutes_per_month.0 * Decimal::from(features.len()),
                "Minutes",
            ),
        ));
    }

    let sources = text_sources(s, d);
    let units: Decimal = sources
        .iter()
        .map(|(_, requests, chars)| *requests * comprehend_units_per_request(*chars))
        .sum();
    if !units.is_zero() {
        // Documents alone keep the line's name from before comments and OCR text.
        let documents_only = sources.len() == 1;
        let batch = match s.nlp.mode {
            NlpMode::Sync => "",
            NlpMode::Async => ", asynchronous batch jobs",
        };
        for api in &s.nlp.apis {
            let description = if documents_only {
                format!(
                    "{} ({} units of 100 characters per request, 3 minimum{batch})",
                    api.operation(),
                    comprehend_units_per_request(s.nlp.avg_chars)
                )
            } else {
                let names: Vec<&str> = sources.iter().map(|(n, _, _)| *n).collect();
                format!(
                    "{} over {} (units of 100 characters per request, 3 minimum{batch})",
                    api.operation(),
                    names.join(", ")
                )
            };
            let mut charge = Charge::new(
                Service::Comprehend,
                Stage::Nlp,
                description,
                usage::comprehend_units(*api),
                region,
                units,
                "Units",
            );
            if !documents_only {
                let each: Vec<String> = sources
                    .iter()
                    .map(|(n, requests, chars)| {
                        format!(
                            "{n} {} × {} units",
                            format_quantity(*requests, 0),
                            comprehend_units_per_request(*chars)
                        )
                    })
                    .collect();
                charge = charge.note(each.join(", "));
            }
            out.push(price(book, charge));
        }
    }
    out
}
