//! The price book on small hand-made snapshots: loading checks, and the diff between two.

use std::collections::BTreeMap;

use ladderwise_model::pricebook::{PriceBook, PriceBookError, diff, sha256_hex};
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
