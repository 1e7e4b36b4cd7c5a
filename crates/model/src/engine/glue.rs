//! The serverless glue around the media services (`[pipeline]`): Lambda, Step Functions,
//! DynamoDB, SNS, SQS and CloudWatch Logs when `pipeline.glue` is on; KMS for SSE-KMS
//! buckets; WAF in front of CloudFront; S3 Transfer Acceleration for uploads.
//!
//! The counts a scenario leaves out are derived from it: one orchestrator invocation per
//! upload and one moderator per image analysed, one metadata write per title (and one per
//! reviewed title), one notification and three queue requests (send, receive, delete) per
//! title.

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::{Charge, LineItem, Recipe, Service, Stage, allowance, price, usage};
use crate::pricebook::PriceBook;
use crate::scenario::{Cdn, Scenario};
use crate::units::{Bitrate, Bytes};

/// Lambda bills memory in GB of 1,024 MB (AWS Lambda pricing: "duration cost depends on the
/// amount of memory you allocate"; its examples divide MB by 1,024).
const MB_PER_GB: Decimal = Decimal::from_parts(1024, 0, 0, false, 0);

/// With S3 Bucket Keys, S3 asks KMS for a bucket-level key for a while instead of a data key
/// per object: "reduce request costs by up to 99 percent" (Amazon S3 User Guide, "Reducing
/// the cost of SSE-KMS with Amazon S3 Bucket Keys"). The bound is taken as the reduction, so
/// requests with Bucket Keys are 1 % of those without.
pub const BUCKET_KEY_REQUEST_SHARE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Images Rekognition analyses per title: every `[vision]` API's images and the frames
/// sampled from one title's minutes; the default moderator Lambda runs once per image.
pub fn images_per_title(s: &Scenario) -> Decimal {
    let v = &s.vision;
    v.moderation_images_per_title
        + v.label_images_per_title
        + v.text_images_per_title
        + v.face_images_per_title
        + v.face_search_images_per_title
        + v.frames_per_minute * s.content.avg_title_minutes.0
}

/// Lambda invocations per title: the scenario's, or one orchestrator per upload and one
/// moderator per image analysed.
pub fn lambda_invocations_per_title(s: &Scenario) -> Decimal {
    s.pipeline
        .lambda_invocations_per_title
        .unwrap_or_else(|| Decimal::ONE + images_per_title(s))
}

/// The bitrate uploads arrive at, in kbit/s: the scenario's, else the source kept, else the
/// top rung's video and audio.
pub fn upload_kbps(s: &Scenario) -> Decimal {
    if let Some(kbps) = s.pipeline.upload_kbps {
        return kbps;
    }
    if !s.content.source_bitrate.kbps().is_zero() {
        return s.content.source_bitrate.kbps();
    }
    s.ladder
        .rungs
        .iter()
        .map(|r| r.total_bitrate().kbps())
        .max()
        .unwrap_or_default()
}

/// DynamoDB writes per title: the scenario's, or one metadata write per title and one more
/// per reviewed title.
pub fn dynamodb_writes_per_title(s: &Scenario) -> Decimal {
    s.pipeline
        .dynamodb_writes_per_title
        .unwrap_or(Decimal::ONE + s.pipeline.review_share)
}

/// SNS publishes per title: the scenario's, or one ("title ready").
pub fn sns_publishes_per_title(s: &Scenario) -> Decimal {
    s.pipeline.sns_publishes_per_title.unwrap_or(Decimal::ONE)
}

/// SQS requests per title: the scenario's, or three (send, receive, delete of one message).
pub fn sqs_requests_per_title(s: &Scenario) -> Decimal {
    s.pipeline
        .sqs_requests_per_title
        .unwrap_or(Decimal::from(3))
}

/// Customer managed KMS keys: the scenario's, or one when the buckets use SSE-KMS (they
/// share it).
pub fn kms_keys(s: &Scenario) -> Decimal {
    s.pipeline.kms_keys.unwrap_or(if s.pipeline.sse_kms {
        Decimal::ONE
    } else {
        Decimal::ZERO
    })
}

/// The glue's lines. `origin_gets` are the month's S3 GET requests from the delivery stage
/// (what SSE-KMS decrypts).
pub(super) fn lines(
    s: &Scenario,
    d: &Drivers,
    book: &PriceBook,
    origin_gets: Decimal,
    warnings: &mut Vec<String>,
) -> Vec<LineItem> {
    let mut out = Vec::new();
    let region = Some(s.region.as_str());
    let p = &s.pipeline;
    let titles = d.titles_per_month;
    let free = s.account.free_tier;

    let share = p.accelerated_upload_share;
    if !share.is_zero() {
        // Transfer Acceleration bills the bytes it carries in, per GB, on top of S3's free
        // data transfer in (Amazon S3 pricing, "S3 Transfer Acceleration"); the edge
        // locations in the United States, Europe and Japan's price.
        let bytes = Bitrate::from_kbps(upload_kbps(s))
            .bytes_over(s.content.new_minutes_per_month.seconds());
        let gb = Bytes(bytes.0 * share).billed_gb().0;
        out.push(price(
            book,
            Charge::new(
                Service::S3,
                Stage::Ingest,
                "Transfer Acceleration of uploads (GB accelerated in)",
                usage::TRANSFER_ACCELERATION_IN,
                region,
                gb,
                "GB",
            ),
        ));
    }

    if p.glue {
        let invocations = titles * lambda_invocations_per_title(s);
        let free_requests = allowance(
            book,
            Service::Lambda,
            usage::LAMBDA_FREE_REQUESTS,
            free,
            warnings,
        );
        out.push(price(
            book,
            Charge::new(
                Service::Lambda,
                Stage::Glue,
                "Lambda requests (orchestrator and moderator invocations)",
                usage::LAMBDA_REQUESTS,
                region,
                invocations,
                "Requests",
            )
            .free(free_requests),
        ));
        // Duration × memory: GB-seconds (AWS Lambda pricing, "Duration").
        let gb_seconds = invocations * p.lambda_seconds * p.lambda_memory_mb / MB_PER_GB;
        let free_gbs = allowance(
            book,
            Service::Lambda,
            usage::LAMBDA_FREE_GB_SECONDS,
            free,
            warnings,
        );
        out.push(price(
            book,
            Charge::new(
                Service::Lambda,
                Stage::Glue,
                format!(
                    "Lambda compute, {} s at {} MB per invocation",
                    p.lambda_seconds.normalize(),
                    p.lambda_memory_mb.normalize()
                ),
                usage::LAMBDA_GB_SECONDS,
                region,
                gb_seconds,
                "Lambda-GB-Second",
            )
            .free(free_gbs),
        ));

        let transitions = titles * p.review_share * p.review_transitions;
        if !transitions.is_zero() {
            // Standard workflows bill every state transition (AWS Step Functions pricing).
            let free_transitions = allowance(
                book,
                Service::StepFunctions,
                usage::STATE_TRANSITIONS_FREE,
                free,
                warnings,
            );
            out.push(price(
                book,
                Charge::new(
                    Service::StepFunctions,
                    Stage::Glue,
                    format!(
                        "Step Functions standard workflow, human review of {} % of titles",
                        (p.review_share * Decimal::ONE_HUNDRED).normalize()
                    ),
                    usage::STATE_TRANSITIONS,
                    region,
                    transitions,
                    "Transitions",
                )
                .free(free_transitions),
            ));
        }

        // On-demand capacity bills a write request unit per write of up to 1 KB and a read
        // request unit per strongly consistent read of up to 4 KB (Amazon DynamoDB pricing,
        // "On-demand capacity").
        let writes = titles * dynamodb_writes_per_title(s);
        out.push(price(
            book,
            Charge::new(
                Service::DynamoDb,
                Stage::Glue,
                "DynamoDB on-demand writes (title metadata)",
                usage::DYNAMODB_WRITES,
                region,
                writes,
                "WriteRequestUnits",
            ),
        ));
        let reads = titles * p.dynamodb_reads_per_title;
        if !reads.is_zero() {
            out.push(price(
                book,
                Charge::new(
                    Service::DynamoDb,
                    Stage::Glue,
                    "DynamoDB on-demand reads",
                    usage::DYNAMODB_READS,
                    region,
                    reads,
                    "ReadRequestUnits",
                ),
            ));
        }
        if !p.dynamodb_stored_gb.is_zero() {
            let free_storage = allowance(
                book,
                Service::DynamoDb,
                usage::DYNAMODB_FREE_STORAGE,
                free,
                warnings,
            );
            out.push(price(
                book,
                Charge::new(
                    Service::DynamoDb,
                    Stage::Glue,
                    "DynamoDB table storage",
                    usage::DYNAMODB_STORAGE,
                    region,
                    p.dynamodb_stored_gb,
                    "GB-Mo",
                )
                .free(free_storage)
                .recipe(Recipe::Fixed { commitment: false }, None),
            ));
        }

        let publishes = titles * sns_publishes_per_title(s);
        let free_publishes =
            allowance(book, Service::Sns, usage::SNS_FREE_REQUESTS, free, warnings);
        out.push(price(
            book,
            Charge::new(
                Service::Sns,
                Stage::Glue,
                "SNS publishes (title ready)",
                usage::SNS_REQUESTS,
                region,
                publishes,
                "Requests",
            )
            .free(free_publishes),
        ));
        let queue = titles * sqs_requests_per_title(s);
        let free_queue = allowance(book, Service::Sqs, usage::SQS_FREE_REQUESTS, free, warnings);
        out.push(price(
            book,
            Charge::new(
                Service::Sqs,
                Stage::Glue,
                "SQS standard-queue requests (send, receive, delete)",
                usage::SQS_REQUESTS,
                region,
                queue,
                "Requests",
            )
            .free(free_queue),
        ));

        // Log events ingested, in KB of 1,024 bytes, billed per GB of 2^30 bytes.
        let log_bytes = Bytes(invocations * p.log_kb_per_invocation * Decimal::from(1024));
        if !log_bytes.0.is_zero() {
            out.push(price(
                book,
                Charge::new(
                    Service::CloudWatch,
                    Stage::Glue,
                    "CloudWatch Logs ingested (Lambda logs)",
                    usage::LOGS_INGESTED,
                    region,
                    log_bytes.billed_gb().0,
                    "GB",
                ),
            ));
        }
    }

    if p.sse_kms {
        // SSE-KMS calls KMS on every PUT (GenerateDataKey) and GET (Decrypt) of an object
        // (Amazon S3 User Guide, "Using server-side encryption with AWS KMS keys").
        let puts = titles * d.objects_per_title;
        let calls = puts + origin_gets;
        let (requests, description) = if p.bucket_keys {
            (
                calls * BUCKET_KEY_REQUEST_SHARE,
                "KMS requests of SSE-KMS buckets with S3 Bucket Keys (1 % of S3's PUTs and GETs)",
            )
        } else {
            (
                calls,
                "KMS requests of SSE-KMS buckets (one per S3 PUT and GET)",
            )
        };
        let free_requests = allowance(book, Service::Kms, usage::KMS_FREE_REQUESTS, free, warnings);
        out.push(price(
            book,
            Charge::new(
                Service::Kms,
                Stage::Glue,
                description,
                usage::KMS_REQUESTS,
                region,
                requests,
                "Requests",
            )
            .free(free_requests),
        ));
    }

    let keys = kms_keys(s);
    if !keys.is_zero() {
        // Each customer managed key costs a fixed fee a month, prorated hourly, whether it is
        // used or not (AWS KMS pricing, "Keys").
        out.push(price(
            book,
            Charge::new(
                Service::Kms,
                Stage::Glue,
                "KMS customer managed keys (the buckets' SSE-KMS key), key-months",
                usage::KMS_KEYS,
                region,
                keys,
                "Keys",
            )
            .recipe(Recipe::Fixed { commitment: false }, None),
        ));
    }

    if p.waf {
        match s.delivery.cdn {
            Cdn::Cloudfront => {
                // A web ACL a month, a rule a month, and every request it inspects (AWS WAF
                // pricing); the web ACL of a CloudFront distribution is global, billed in
                // us-east-1.
                out.push(price(
                    book,
                    Charge::new(
                        Service::Waf,
                        Stage::Glue,
                        "WAF web ACL in front of CloudFront",
                        usage::WAF_WEB_ACL,
                        None,
                        Decimal::ONE,
                        "WebACL-Mo",
                    )
                    .recipe(Recipe::Fixed { commitment: false }, None),
                ));
                out.push(price(
                    book,
                    Charge::new(
                        Service::Waf,
                        Stage::Glue,
                        "WAF rules in the web ACL",
                        usage::WAF_RULES,
                        None,
                        p.waf_rules,
                        "Rule-Mo",
                    )
                    .recipe(Recipe::Fixed { commitment: false }, None),
                ));
                out.push(price(
                    book,
                    Charge::new(
                        Service::Waf,
                        Stage::Glue,
                        "WAF requests inspected (every CloudFront request)",
                        usage::WAF_REQUESTS,
                        None,
                        d.requests_total,
                        "Requests",
                    ),
                ));
            }
            Cdn::CloudfrontFlatRate => warnings.push(
                "pipeline.waf is set, but CloudFront's flat-rate plans include AWS WAF: no WAF line is priced".into(),
            ),
            Cdn::None => warnings.push(
                "pipeline.waf is set, but there is no CloudFront distribution to put it in front of (delivery.cdn = \"none\"): no WAF line is priced".into(),
            ),
        }
    }
    out
}
