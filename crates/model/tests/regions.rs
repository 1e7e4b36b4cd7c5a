//! The shipped snapshot prices the eight Regions it covers end to end, by AWS's own names.

mod support;

use std::str::FromStr;

use ladderwise_model::engine::usage::{self, REGION_CODES};
use ladderwise_model::engine::{LineStatus, Service};
use ladderwise_model::estimate;
use ladderwise_model::scenario::{Cdn, Scenario};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn ugc_in(region: &str, cdn: Cdn) -> Scenario {
    let mut s = support::shipped_scenario("ugc-short-form");
    s.region = region.to_string();
    s.delivery.cdn = cdn;
    s
}

#[test]
fn the_default_scenario_in_eu_central_1_is_priced_with_frankfurts_s3_prices() {
    let book = support::shipped_book();
    for cdn in [Cdn::Cloudfront, Cdn::None] {
        let e = estimate(&ugc_in("eu-central-1", cdn), &book);
        let regional: Vec<_> = e
            .lines
            .iter()
            .filter(|l| matches!(l.service, Service::S3 | Service::DataTransfer))
            .collect();
        assert!(!regional.is_empty());
        for l in &regional {
            assert_ne!(l.price_status, LineStatus::Unpriced, "{l:?}");
        }
        // S3 Standard storage at $0.0245 per GB-month (first 50 TB in Frankfurt).
        let storage = e
            .lines
            .iter()
            .find(|l| &*l.usage_type == "EUC1-TimedStorage-ByteHrs")
            .unwrap();
        assert_eq!(storage.tiers[0].usd_per_unit, d("0.0245"));
        assert_eq!(storage.cost.unwrap().0, storage.quantity * d("0.0245"));
        assert!(e.complete, "{:?}", e.warnings);
    }
    let direct = estimate(&ugc_in("eu-central-1", Cdn::None), &book);
    let dt = direct
        .lines
        .iter()
        .find(|l| l.service == Service::DataTransfer)
        .unwrap();
    assert_eq!(&*dt.usage_type, "EUC1-DataTransfer-Out-Bytes");
}

#[test]
fn every_covered_region_prices_the_default_scenario_completely_but_what_aws_does_not_offer() {
    let book = support::shipped_book();
    for codes in REGION_CODES {
        let e = estimate(&ugc_in(codes.region, Cdn::None), &book);
        let unpriced = e.unpriced().count();
        // The scenario calls two Comprehend APIs.
        assert_eq!(unpriced, if codes.region == "sa-east-1" { 2 } else { 0 });
        for l in &e.lines {
            if l.price_status == LineStatus::Unpriced {
                // Comprehend is not offered in São Paulo, and the line says so.
                assert_eq!(
                    (codes.region, l.service),
                    ("sa-east-1", Service::Comprehend),
                    "{l:?}"
                );
                let note = l.note.as_deref().unwrap();
                assert!(
                    note.contains("Amazon Comprehend is not offered in sa-east-1"),
                    "{note}"
                );
            }
        }
    }
}

#[test]
fn every_usage_type_resolves_in_every_covered_region_under_its_aws_name() {
    let book = support::shipped_book();
    for u in usage::all() {
        let regions: Vec<Option<&str>> = if u.regional {
            REGION_CODES.iter().map(|c| Some(c.region)).collect()
        } else {
            vec![None]
        };
        for region in regions {
            if region.is_some_and(|r| book.not_offered_in(u.service.code(), r).is_some()) {
                assert!(book.find_usage(u.service.code(), &u.key, region).is_none());
                continue;
            }
            let r = book
                .find_usage(u.service.code(), &u.key, region)
                .unwrap_or_else(|| panic!("{} {} in {region:?}", u.service.code(), u.key));
            // The record found has the name AWS bills in that Region, and applies there.
            assert_eq!(
                &*r.usage_type,
                u.key.name_in(region).as_str(),
                "{} in {region:?}",
                u.key
            );
            assert!(region.is_none_or(|code| r.applies_in(code)));
            assert!(!r.provenance.source.is_empty());
        }
    }
}

#[test]
fn elastic_transcoders_free_tier_is_one_allowance_in_sd_minutes() {
    // 20 SD minutes or 10 HD minutes: one pool of 20, an HD minute using up 2.
    let free = usage::ets_free_tier(&support::shipped_book()).unwrap();
    assert_eq!((free.sd_minutes, free.hd_weight), (d("20"), d("2")));
}

#[test]
fn mumbais_group_1_images_are_priced_at_mumbais_own_first_band() {
    // PRICES-regions.md §4a: `APS3-Group1-ImagesProcessed` $0.00125 for the first million
    // (REK-IN, a read of the Price List); the us-east-1 figure ($0.001) is not Mumbai's, and
    // us-east-1's own is a third party's reading of the pricing page, not unverified.
    let book = support::shipped_book();
    for (region, usage_type, price) in [
        ("ap-south-1", "APS3-Group1-ImagesProcessed", "0.00125"),
        ("us-east-1", "USE1-Group1-ImagesProcessed", "0.001"),
    ] {
        let mut s = ugc_in(region, Cdn::Cloudfront);
        s.vision.face_search_images_per_title = d("4");
        let e = estimate(&s, &book);
        let g1 = e
            .lines
            .iter()
            .find(|l| &*l.usage_type == usage_type)
            .unwrap();
        assert_eq!(g1.tiers[0].usd_per_unit, d(price), "{region}");
        assert_eq!(g1.cost.unwrap().0, g1.quantity * d(price), "{region}");
        assert_eq!(g1.price_status, LineStatus::ThirdParty, "{region}");
    }
}
