//! Image and video analysis (Amazon Rekognition) and text analysis (Amazon Comprehend).

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::{Charge, LineItem, Recipe, Service, Stage, price, usage};
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

/// Face metadata in the collections when the month starts: the scenario's, or the library's
/// titles times the faces indexed per title (the library was ingested as content is now).
pub fn faces_stored(s: &Scenario) -> Decimal {
    s.vision.faces_stored.unwrap_or_else(|| {
        s.content
            .library_minutes
            .0
            .checked_div(s.content.avg_title_minutes.0)
            .unwrap_or_default()
            * s.vision.faces_indexed_per_title
    })
}

/// Face-months of metadata kept this month: what the collections held at its start and the
/// month's new faces for half of it, since uploads arrive evenly through the month (the rule
/// S3 storage follows). Rekognition bills face metadata stored per face a month (Amazon
/// Rekognition pricing, "Face metadata storage").
pub fn face_months(s: &Scenario, d: &Drivers) -> Decimal {
    faces_stored(s) + d.titles_per_month * s.vision.faces_indexed_per_title / Decimal::TWO
}

/// Characters per document of the asynchronous custom jobs: the scenario's, or `avg_chars`.
pub fn custom_async_chars(s: &Scenario) -> Decimal {
    s.nlp.custom_async_chars.unwrap_or(s.nlp.avg_chars)
}

/// Seconds in an hour: custom endpoints bill inference units by the second (Amazon Comprehend
/// pricing, "Custom Comprehend": "$0.0005 per second for each inference unit").
const SECONDS_PER_HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);

/// Comprehend custom classification and entity recognition: training, model management,
/// endpoints and asynchronous custom inference (Amazon Comprehend pricing, "Custom
/// Comprehend"). None of these follows the month's titles, so each is a fixed quantity.
fn custom_lines(s: &Scenario, book: &PriceBook, out: &mut Vec<LineItem>) {
    let region = Some(s.region.as_str());
    let n = &s.nlp;
    let mut fixed = |description: String, key, quantity: Decimal, unit: &'static str| {
        if !quantity.is_zero() {
            out.push(price(
                book,
                Charge::new(
                    Service::Comprehend,
                    Stage::Nlp,
                    description,
                    key,
                    region,
                    quantity,
                    unit,
                )
                .recipe(Recipe::Fixed { commitment: false }, None),
            ));
        }
    };
    fixed(
        "Custom model training (classifiers, entity recognizers), hours".into(),
        usage::COMPREHEND_CUSTOM_TRAINING,
        n.custom_training_hours,
        "Hours",
    );
    fixed(
        "Custom model management, models kept a month".into(),
        usage::COMPREHEND_CUSTOM_MODELS,
        n.custom_models,
        "Model-Mo",
    );
    fixed(
        format!(
            "Custom model endpoints, {} inference units × {} hours (inference-unit seconds)",
            n.custom_endpoint_units.normalize(),
            n.custom_endpoint_hours.normalize()
        ),
        usage::COMPREHEND_CUSTOM_ENDPOINT,
        n.custom_endpoint_units * n.custom_endpoint_hours * SECONDS_PER_HOUR,
        "IU-Seconds",
    );
    let chars = custom_async_chars(s);
    fixed(
        format!(
            "Asynchronous custom inference ({} units of 100 characters per document, 3 minimum)",
            comprehend_units_per_request(chars)
        ),
        usage::COMPREHEND_CUSTOM_ASYNC,
        n.custom_async_documents_per_month * comprehend_units_per_request(chars),
        "Units",
    );
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
    let face_months = face_months(s, d);
    if !face_months.is_zero() {
        out.push(price(
            book,
            Charge::new(
                Service::Rekognition,
                Stage::Moderation,
                "Face metadata stored in collections (IndexFaces), face-months",
                usage::REKOGNITION_FACE_STORAGE,
                region,
                face_months,
                "FaceVectors-Mo",
            )
            .note(format!(
                "{} faces at the month's start, and {} indexed this month counted for half of it",
                format_quantity(faces_stored(s), 0),
                format_quantity(d.titles_per_month * v.faces_indexed_per_title, 0)
            )),
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
    custom_lines(s, book, &mut out);
    out
}
