//! The price book: loading checks and the diff on small hand-made snapshots; lookups by AWS's
//! names across Regions, operations, per-factor and per-band provenance, flat-rate plans and
//! carried prices, on hand-made snapshots and the shipped one.

mod support;

use std::collections::BTreeMap;
use std::str::FromStr;

use ladderwise_model::engine::usage::{self, UsageKey};
use ladderwise_model::engine::{LineStatus, Service};
use ladderwise_model::pricebook::{
    FactorKey, NormalizationTable, PriceBook, PriceBookError, PriceStatus, diff, sha256_hex,
};
use ladderwise_model::scenario::{MediaConvertTier, StorageClass};
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn item(sku: &str, usage: &str, tiers: &[(&str, &str, &str)]) -> Value {
    let dims: serde_json::Map<String, Value> = tiers
        .iter()
        .enumerate()
        .map(|(i, (begin, end, usd))| {
            (
                format!("{sku}.T.{i}"),
                json!({"beginRange": begin, "endRange": end, "unit": "GB",
                       "pricePerUnit": {"USD": usd}, "description": ""}),
            )
        })
        .collect();
    json!({
        "product": {"sku": sku, "productFamily": "Data Transfer",
                    "attributes": {"usagetype": usage, "servicecode": "AmazonCloudFront", "location": "United States"}},
        "serviceCode": "AmazonCloudFront",
        "terms": {"OnDemand": {format!("{sku}.T"): {"priceDimensions": dims}}}
    })
}

/// A one-service snapshot of `items`; items are sent as strings, as the live API does.
fn snapshot(items: &[Value]) -> (String, BTreeMap<String, String>) {
    let list: Vec<Value> = items.iter().map(|i| Value::String(i.to_string())).collect();
    let file = json!({"FormatVersion": "aws_v1", "PriceList": list}).to_string();
    let manifest = json!({
        "schema": 1,
        "snapshot": {"id": "t", "created": "2026-11-25", "description": "test"},
        "services": [{"service_code": "AmazonCloudFront", "file": "cf.json", "records": items.len(),
                      "sha256": sha256_hex(&file), "provenance": {"*": {"status": "price-list", "source": "test"}}}]
    })
    .to_string();
    (manifest, BTreeMap::from([("cf.json".to_string(), file)]))
}

fn book(items: &[Value]) -> PriceBook {
    let (m, f) = snapshot(items);
    PriceBook::from_snapshot(&m, &f, "test").unwrap()
}

#[test]
fn the_diff_finds_added_removed_and_repriced_records() {
    let old = book(&[
        item(
            "A",
            "US-DataTransfer-Out-Bytes",
            &[("0", "10240", "0.085"), ("10240", "Inf", "0.080")],
        ),
        item("B", "EU-DataTransfer-Out-Bytes", &[("0", "Inf", "0.085")]),
        item("C", "JP-DataTransfer-Out-Bytes", &[("0", "Inf", "0.114")]),
    ]);
    let new = book(&[
        // Same price under a new SKU: matched by usage type, not re-priced.
        item(
            "A2",
            "US-DataTransfer-Out-Bytes",
            &[("0", "10240", "0.085"), ("10240", "Inf", "0.070")],
        ),
        item("B", "EU-DataTransfer-Out-Bytes", &[("0", "Inf", "0.085")]),
        item("D", "IN-DataTransfer-Out-Bytes", &[("0", "Inf", "0.109")]),
    ]);
    let d = diff(&old, &new);
    assert_eq!(d.unchanged, 1);
    assert_eq!(d.added.len(), 1);
    assert_eq!(d.added[0].usage_type, "IN-DataTransfer-Out-Bytes");
    assert_eq!(d.removed.len(), 1);
    assert_eq!(d.removed[0].usage_type, "JP-DataTransfer-Out-Bytes");
    assert_eq!(d.repriced.len(), 1);
    let r = &d.repriced[0];
    assert_eq!((r.old.sku.as_str(), r.new.sku.as_str()), ("A", "A2"));
    // Only the second tier changed: 0.080 → 0.070 is -12.5 %.
    assert_eq!(r.tiers.len(), 1);
    assert_eq!(r.tiers[0].begin.to_string(), "10240");
    assert_eq!(
        r.tiers[0].percent().unwrap().normalize().to_string(),
        "-12.5"
    );
}

/// A snapshot that prices one usage type twice at one location: an estimate prices with the
/// first record, so the diff compares the first and names the other apart, rather than
/// pairing it with the old price as if it were the one in use.
#[test]
fn the_diff_compares_the_record_an_estimate_prices_with() {
    let us = "US-DataTransfer-Out-Bytes";
    let old = book(&[item("A", us, &[("0", "Inf", "0.085")])]);
    let new = book(&[
        item("A", us, &[("0", "Inf", "0.085")]),
        item("DUP", us, &[("0", "Inf", "0.5")]),
    ]);
    let d = diff(&old, &new);
    assert_eq!(d.unchanged, 1);
    assert!(d.repriced.is_empty(), "{:?}", d.repriced);
    assert_eq!(d.shadowed.len(), 1);
    assert_eq!(d.shadowed[0].sku, "DUP");
}

#[test]
fn loading_refuses_what_would_price_wrongly() {
    // A file edited after its manifest was written.
    let (m, mut f) = snapshot(&[item(
        "A",
        "US-DataTransfer-Out-Bytes",
        &[("0", "Inf", "0.085")],
    )]);
    f.insert("cf.json".into(), f["cf.json"].replace("0.085", "0.001"));
    assert!(matches!(
        PriceBook::from_snapshot(&m, &f, "t"),
        Err(PriceBookError::Checksum { .. })
    ));
    // Tiers with a gap would leave part of a quantity unpriced.
    let (m, f) = snapshot(&[item("A", "X", &[("0", "100", "1"), ("200", "Inf", "1")])]);
    let err = PriceBook::from_snapshot(&m, &f, "t").unwrap_err();
    assert!(err.to_string().contains("not contiguous"), "{err}");
    // A price that is not a number.
    let (m, f) = snapshot(&[item("A", "X", &[("0", "Inf", "cheap")])]);
    assert!(PriceBook::from_snapshot(&m, &f, "t").is_err());
    // A record without provenance in the manifest.
    let (m, f) = snapshot(&[item("A", "X", &[("0", "Inf", "1")])]);
    let m = m.replace("\"*\"", "\"OTHER\"");
    let err = PriceBook::from_snapshot(&m, &f, "t").unwrap_err();
    assert!(err.to_string().contains("no provenance"), "{err}");
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// An S3 record of one flat price, in `region` by its `regionCode`.
fn s3_item(sku: &str, usage: &str, region: &str, operation: &str, usd: &str) -> Value {
    json!({
        "product": {"sku": sku, "attributes": {"usagetype": usage, "servicecode": "AmazonS3",
                    "regionCode": region, "operation": operation}},
        "serviceCode": "AmazonS3",
        "terms": {"OnDemand": {format!("{sku}.T"): {"priceDimensions": {format!("{sku}.T.1"):
            {"beginRange": "0", "endRange": "Inf", "unit": "Requests", "pricePerUnit": {"USD": usd}}}}}}
    })
}

/// A one-service S3 snapshot of `items`.
fn s3_book(items: &[Value]) -> PriceBook {
    let list: Vec<Value> = items.iter().map(|i| Value::String(i.to_string())).collect();
    let file = json!({"FormatVersion": "aws_v1", "PriceList": list}).to_string();
    let manifest = json!({
        "schema": 1,
        "snapshot": {"id": "t", "created": "2026-11-30", "description": "test"},
        "services": [{"service_code": "AmazonS3", "file": "s3.json", "records": items.len(),
                      "sha256": sha256_hex(&file), "provenance": {"*": {"status": "price-list", "source": "test"}}}]
    })
    .to_string();
    PriceBook::from_snapshot(&manifest, &BTreeMap::from([("s3.json".into(), file)]), "t").unwrap()
}

fn sku_of<'a>(book: &'a PriceBook, key: &UsageKey, region: &str) -> Option<&'a str> {
    book.find_usage("AmazonS3", key, Some(region))
        .map(|r| &*r.sku)
}

#[test]
fn lookups_use_the_prefix_aws_writes_in_each_region() {
    let book = s3_book(&[
        // A usage type that ends like Standard storage after a one-word prefix.
        s3_item(
            "TABLES",
            "Tables-TimedStorage-ByteHrs",
            "us-east-1",
            "",
            "1",
        ),
        s3_item("BARE", "TimedStorage-ByteHrs", "us-east-1", "", "2"),
        s3_item("USE1", "USE1-TimedStorage-ByteHrs", "us-east-1", "", "3"),
        s3_item("EU", "EU-TimedStorage-ByteHrs", "eu-west-1", "", "4"),
        // Written the way eu-west-1 is not: AWS bills it as `EU-`.
        s3_item("EUW1", "EUW1-TimedStorage-ByteHrs", "eu-west-1", "", "5"),
        s3_item("CA", "CAN1-TimedStorage-ByteHrs", "ca-central-1", "", "6"),
    ]);
    let standard = usage::storage(StorageClass::Standard);
    // us-east-1: the bare name first (`USE1-` is accepted, after it), never `Tables-`.
    assert_eq!(sku_of(&book, &standard, "us-east-1"), Some("BARE"));
    let without_bare = s3_book(&[
        s3_item(
            "TABLES",
            "Tables-TimedStorage-ByteHrs",
            "us-east-1",
            "",
            "1",
        ),
        s3_item("USE1", "USE1-TimedStorage-ByteHrs", "us-east-1", "", "3"),
    ]);
    assert_eq!(sku_of(&without_bare, &standard, "us-east-1"), Some("USE1"));
    assert_eq!(sku_of(&book, &standard, "eu-west-1"), Some("EU"));
    let only_euw1 = s3_book(&[s3_item(
        "EUW1",
        "EUW1-TimedStorage-ByteHrs",
        "eu-west-1",
        "",
        "5",
    )]);
    assert_eq!(sku_of(&only_euw1, &standard, "eu-west-1"), None);
    // A Region without codes in the table: any one-word prefix, once the Region matches.
    assert_eq!(sku_of(&book, &standard, "ca-central-1"), Some("CA"));
    // A record of another Region never prices this one.
    assert_eq!(sku_of(&book, &standard, "eu-central-1"), None);
}

#[test]
fn transitions_are_told_apart_by_operation() {
    let book = s3_book(&[
        s3_item(
            "GIR",
            "Requests-Tier4",
            "us-east-1",
            "S3-GIRTransition",
            "0.00002",
        ),
        s3_item(
            "INT",
            "Requests-Tier4",
            "us-east-1",
            "S3-INTTransition",
            "0.00001",
        ),
        s3_item("SIA", "Requests-Tier4", "us-east-1", "", "0.00001"),
        s3_item(
            "GFR",
            "Requests-Tier3",
            "us-east-1",
            "S3-GlacierTransition",
            "0.00003",
        ),
    ]);
    let sia = usage::transitions(StorageClass::StandardIa).unwrap();
    let gir = usage::transitions(StorageClass::GlacierIr).unwrap();
    assert_eq!(sku_of(&book, &sia, "us-east-1"), Some("SIA"));
    assert_eq!(sku_of(&book, &gir, "us-east-1"), Some("GIR"));
    assert_eq!(
        sku_of(
            &book,
            &usage::transitions(StorageClass::IntelligentTiering).unwrap(),
            "us-east-1"
        ),
        Some("INT")
    );
    // Standard-IA also answers to its CUR operation when the empty one is absent.
    let named = s3_book(&[s3_item(
        "SIA2",
        "Requests-Tier4",
        "us-east-1",
        "S3-SIATransition",
        "0.00001",
    )]);
    assert_eq!(sku_of(&named, &sia, "us-east-1"), Some("SIA2"));
    // No GIR transition record: nothing else stands in for it.
    let no_gir = s3_book(&[s3_item("SIA", "Requests-Tier4", "us-east-1", "", "0.00001")]);
    assert_eq!(sku_of(&no_gir, &gir, "us-east-1"), None);
    // The shipped snapshot: $0.01 and $0.02 per 1,000 in us-east-1.
    let shipped = support::shipped_book();
    let price = |k: &UsageKey| {
        shipped
            .find_usage("AmazonS3", k, Some("us-east-1"))
            .unwrap()
            .tiers[0]
            .usd_per_unit
    };
    assert_eq!(price(&sia), d("0.00001"));
    assert_eq!(price(&gir), d("0.00002"));
}

#[test]
fn the_shipped_snapshot_answers_to_aws_names_in_every_region() {
    let book = support::shipped_book();
    let name = |service: Service, key: &UsageKey, region: Option<&str>| {
        book.find_usage(service.code(), key, region)
            .map(|r| r.usage_type.clone())
            .unwrap_or_default()
    };
    let standard = usage::storage(StorageClass::Standard);
    assert_eq!(
        name(Service::S3, &standard, Some("us-east-1")),
        "TimedStorage-ByteHrs".into()
    );
    assert_eq!(
        name(Service::S3, &standard, Some("eu-west-1")),
        "EU-TimedStorage-ByteHrs".into()
    );
    assert_eq!(
        name(Service::S3, &standard, Some("ap-south-1")),
        "APS3-TimedStorage-ByteHrs".into()
    );
    assert_eq!(
        name(
            Service::MediaConvert,
            &usage::mediaconvert_minutes(MediaConvertTier::Basic),
            Some("eu-central-1")
        ),
        "FRA-Normalized-Transcode-Minute-Basic".into()
    );
    assert_eq!(
        name(
            Service::Rekognition,
            &usage::REKOGNITION_IMAGES,
            Some("us-east-1")
        ),
        "USE1-Group2-ImagesProcessed".into()
    );
    assert_eq!(
        name(
            Service::CloudFront,
            &usage::origin_shield("sa-east-1"),
            Some("sa-east-1")
        ),
        "SAE1-Requests-OriginShield".into()
    );
    // Data transfer out of eu-west-1 is AWS Data Transfer's `EU-` record, found by the Region
    // it leaves; CloudFront's record of the same name is edge location Europe.
    let dt = book
        .find_usage(
            Service::DataTransfer.code(),
            &usage::DATA_TRANSFER_OUT,
            Some("eu-west-1"),
        )
        .unwrap();
    assert_eq!(dt.usage_type, "EU-DataTransfer-Out-Bytes".into());
    assert_eq!(dt.attributes["fromLocation"], "EU (Ireland)");
    assert_eq!(dt.tiers[0].usd_per_unit, d("0.09"));
    // Comprehend's Price List service code is `comprehend`; it is not offered in sa-east-1.
    assert_eq!(Service::Comprehend.code(), "comprehend");
    let sentiment = usage::comprehend_units(ladderwise_model::scenario::ComprehendApi::Sentiment);
    assert_eq!(
        name(Service::Comprehend, &sentiment, Some("ap-northeast-1")),
        "APN1-DetectSentiment".into()
    );
    assert!(
        book.find_usage("comprehend", &sentiment, Some("sa-east-1"))
            .is_none()
    );
    assert!(book.not_offered_in("comprehend", "sa-east-1").is_some());
    assert!(book.not_offered_in("comprehend", "eu-west-1").is_none());
}

#[test]
fn every_normalization_factor_has_its_own_provenance() {
    let book = support::shipped_book();
    let t = book.mediaconvert.as_ref().unwrap();
    let f = |k: FactorKey| {
        let f = t.factor(k).unwrap_or_else(|| panic!("no factor {k}"));
        (f.value, f.provenance.status)
    };
    assert_eq!(
        f(FactorKey::Resolution("SD")),
        (d("1"), PriceStatus::AwsPage)
    );
    assert_eq!(
        f(FactorKey::Resolution("HD")),
        (d("2"), PriceStatus::AwsPage)
    );
    assert_eq!(
        f(FactorKey::Resolution("UHD")),
        (d("4"), PriceStatus::Unverified)
    );
    assert_eq!(
        f(FactorKey::FrameRate(">30 and <=60")),
        (d("1.25"), PriceStatus::Unverified)
    );
    assert_eq!(
        f(FactorKey::FrameRate(">60 and <=120")),
        (d("1.5"), PriceStatus::Unverified)
    );
    assert_eq!(f(FactorKey::AudioOnly), (d("0.4"), PriceStatus::AwsPage));
    assert_eq!(
        f(FactorKey::Codec {
            tier: "professional",
            codec: "av1"
        }),
        (d("3.5"), PriceStatus::ThirdParty)
    );
    assert!(
        t.factor(FactorKey::Codec {
            tier: "basic",
            codec: "hevc"
        })
        .is_none()
    );
    for (_, factor) in t.resolution.iter().chain(&t.frame_rate).chain(&t.passes) {
        assert!(!factor.provenance.source.is_empty());
    }
    // A table written before factors had their own provenance still reads: each factor takes
    // the table's.
    let legacy = r#"{"resolution": {"SD": "1", "HD": "2"}, "frame_rate": {"<=30": "1"},
        "codec": {"basic": {"avc": "1"}}, "passes": {"1": "1"},
        "provenance": {"status": "unverified", "source": "old"}}"#;
    let old = NormalizationTable::parse(legacy).unwrap();
    let hd = old.factor(FactorKey::Resolution("HD")).unwrap();
    assert_eq!(
        (hd.value, hd.provenance.status),
        (d("2"), PriceStatus::Unverified)
    );
    assert!(old.audio_only.is_none());
    assert!(NormalizationTable::parse(&legacy.replace("\"2\"", "\"-2\"")).is_err());
}

#[test]
fn a_line_is_as_trusted_as_the_bands_and_factors_it_used() {
    let book = support::shipped_book();
    let mut s = support::shipped_scenario("ugc-short-form");
    let line = |s: &ladderwise_model::scenario::Scenario| {
        ladderwise_model::estimate(s, &book)
            .lines
            .into_iter()
            .find(|l| l.service == Service::MediaConvert)
            .unwrap()
    };
    // 180,000 normalized minutes reach the second Basic band (third-party).
    let l = line(&s);
    assert_eq!(l.price_status, LineStatus::ThirdParty);
    assert!(
        l.provenance
            .unwrap()
            .note
            .as_deref()
            .unwrap()
            .contains("bands used")
    );
    // 30,000 stay in the first (AWS page), with AWS-page factors only.
    s.content.new_minutes_per_month = ladderwise_model::units::Minutes(d("30000"));
    assert_eq!(line(&s).price_status, LineStatus::AwsPage);
    // A 60 fps rung uses an unverified factor, and the line says so.
    s.ladder.rungs[0].fps = d("60");
    let l = line(&s);
    assert_eq!(l.price_status, LineStatus::Unverified);
    assert!(
        l.note
            .unwrap()
            .contains("least-trusted factor used is unverified")
    );
}

#[test]
fn flat_rate_plans_load_with_their_provenance() {
    let book = support::shipped_book();
    let plans = &book.flat_rate_plans.as_ref().unwrap().plans;
    let ids: Vec<&str> = plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "free",
            "pro",
            "business",
            "premium",
            "premium-2",
            "premium-3",
            "premium-4",
            "premium-5",
            "premium-6"
        ]
    );
    let pro = book.flat_rate_plan("pro").unwrap();
    assert_eq!(pro.usd_per_month, d("15"));
    assert_eq!(pro.data_transfer_gb, d("51200"));
    assert_eq!(pro.requests, d("10000000"));
    assert_eq!(pro.s3_standard_storage_credit_gb, d("50"));
    assert!(!pro.overage_charges);
    assert!(pro.exclusions.iter().any(|e| e == "Lambda@Edge"));
    assert_eq!(pro.provenance.status, PriceStatus::AwsPage);
    let top = book.flat_rate_plan("premium-6").unwrap();
    assert_eq!((top.level, top.usd_per_month), (6, d("10000")));
    assert_eq!(top.provenance.status, PriceStatus::ThirdParty);
    assert!(plans.iter().all(|p| !p.overage_charges));
}

#[test]
fn a_carried_price_is_named_on_its_line_and_in_the_warnings() {
    // The shipped snapshot with S3 Standard storage marked as a refresh carries it over (the
    // manifest is not checksummed; the files are).
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../pricing-cache");
    let mut manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/manifest.json")).unwrap())
            .unwrap();
    let note = "carried over from shipped-2026-11-30, not found in the Price List on 2026-12-01";
    for s in manifest["services"].as_array_mut().unwrap() {
        if s["service_code"] == "AmazonS3" {
            s["provenance"]["WP9ANXZGBYYSGJEA"]["carried_from"] = json!("shipped-2026-11-30");
            s["provenance"]["WP9ANXZGBYYSGJEA"]["note"] = json!(note);
        }
    }
    let manifest = manifest.to_string();
    let files: BTreeMap<String, String> =
        ladderwise_model::pricebook::snapshot_file_names(&manifest)
            .unwrap()
            .into_iter()
            .map(|n| {
                let text = std::fs::read_to_string(format!("{root}/{n}")).unwrap();
                (n, text)
            })
            .collect();
    let book = PriceBook::from_snapshot(&manifest, &files, "t").unwrap();
    let e = ladderwise_model::estimate(&support::shipped_scenario("ugc-short-form"), &book);
    let line = e
        .lines
        .iter()
        .find(|l| l.usage_type == "TimedStorage-ByteHrs".into())
        .unwrap();
    assert!(line.note.as_deref().unwrap().contains(note), "{line:?}");
    assert!(line.provenance.as_ref().unwrap().needs_confirmation());
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("prices carried over from an earlier snapshot")),
        "{:?}",
        e.warnings
    );
}
