//! Delivery: CloudFront (edge data transfer and requests per geography, Origin Shield, the
//! origin fetches that miss the cache) or viewers fetching from S3 directly.
//!
//! Egress ≈ AvgBitrate / 8 × WatchTime, with the average weighted by how much each rung is
//! watched (DESIGN.md). Origin traffic = egress × (1 − cache hit rate); with Origin Shield a
//! second hit rate applies before the origin.

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::storage::HeldBytes;
use super::{Charge, Service, Stage, StageLines, allowance, price, usage};
use crate::pricebook::PriceBook;
use crate::scenario::{Cdn, Geography, Protocol, Scenario, StorageClass};

/// The AWS Regions of the regional edge caches that serve each geography (Amazon CloudFront
/// Developer Guide, "How CloudFront works with regional edge caches": N. Virginia, Ohio and
/// Oregon; Frankfurt, Ireland and London; Tokyo; Sydney; Mumbai; Seoul and Singapore;
/// São Paulo). South Africa and the Middle East are served from caches elsewhere.
fn regional_edge_caches(geo: Geography) -> &'static [&'static str] {
    match geo {
        Geography::Us => &["us-east-1", "us-east-2", "us-west-2"],
        Geography::Europe => &["eu-central-1", "eu-west-1", "eu-west-2"],
        Geography::Japan => &["ap-northeast-1"],
        Geography::Australia => &["ap-southeast-2"],
        Geography::India => &["ap-south-1"],
        Geography::AsiaPacific => &["ap-northeast-2", "ap-southeast-1"],
        Geography::SouthAmerica => &["sa-east-1"],
        Geography::SouthAfricaMiddleEast => &[],
    }
}

/// The share of edge misses that reach Origin Shield from a regional edge cache in the
/// shield's own Region, which CloudFront does not bill as Origin Shield requests (CloudFront
/// Developer Guide, "Estimating Origin Shield costs"). Each geography's misses are taken to
/// spread evenly over its regional edge caches.
pub fn shield_local_share(s: &Scenario) -> Decimal {
    s.audience
        .geo
        .iter()
        .map(|(geo, share)| {
            let caches = regional_edge_caches(*geo);
            if caches.contains(&s.region.as_str()) {
                *share / Decimal::from(caches.len())
            } else {
                Decimal::ZERO
            }
        })
        .sum()
}

/// How origin reads split over the storage classes: by the bytes each class holds this month,
/// or, with `recent_read_share`, that share over the classes of recent content (by its bytes)
/// and the rest over the older content's classes.
pub fn read_split(s: &Scenario, held: &HeldBytes) -> Vec<(StorageClass, Decimal)> {
    let total = |young: bool| -> Decimal {
        held.by_class
            .iter()
            .map(|(_, y, o)| if young { *y } else { *o })
            .sum()
    };
    let (young_sum, old_sum) = (total(true), total(false));
    let all = young_sum + old_sum;
    let part = |x: Decimal, of: Decimal| if of.is_zero() { Decimal::ZERO } else { x / of };
    let mut out: Vec<(StorageClass, Decimal)> = match s.delivery.recent_reads {
        None => held
            .by_class
            .iter()
            .map(|(c, y, o)| (*c, part(*y + *o, all)))
            .collect(),
        Some(r) => {
            // Without recent (or old) content, every read falls on the other.
            let (young_share, old_share) = if young_sum.is_zero() {
                (Decimal::ZERO, Decimal::ONE)
            } else if old_sum.is_zero() {
                (Decimal::ONE, Decimal::ZERO)
            } else {
                (r.share, Decimal::ONE - r.share)
            };
            held.by_class
                .iter()
                .map(|(c, y, o)| {
                    (
                        *c,
                        young_share * part(*y, young_sum) + old_share * part(*o, old_sum),
                    )
                })
                .collect()
        }
    };
    out.retain(|(_, share)| !share.is_zero());
    if out.is_empty() {
        // Nothing stored (no library, no uploads): reads are taken to hit the class written to.
        out.push((s.storage.class, Decimal::ONE));
    }
    out
}

/// Amazon CloudFront pricing (https://aws.amazon.com/cloudfront/pricing/): data transfer out
/// to the internet per GB on tiers measured separately for each geography; HTTP and HTTPS
/// requests per request by geography; Origin Shield per request through the shield; origin
/// fetches from S3 free of transfer charges, S3 GET requests billed by S3. Without a CDN:
/// data transfer out from S3 (AWS Data Transfer, "Data Transfer OUT From Amazon EC2 To
/// Internet" tiers after the 100 GB free each month) and one S3 GET per request.
pub(super) fn lines(
    s: &Scenario,
    d: &Drivers,
    book: &PriceBook,
    held: &HeldBytes,
    warnings: &mut Vec<String>,
) -> StageLines {
    let mut out = StageLines::new();
    let region = Some(s.region.as_str());
    let egress_gb = d.egress.billed_gb().0;
    let by_bytes: Vec<Decimal> = d
        .rungs
        .iter()
        .map(|r| {
            if d.egress.0.is_zero() {
                Decimal::ZERO
            } else {
                r.delivered.0 / d.egress.0
            }
        })
        .collect();
    let by_watch: Vec<Decimal> = s.ladder.rungs.iter().map(|r| r.watch_share).collect();
    let free = s.account.free_tier;

    let (origin_requests, origin_bytes) = match s.delivery.cdn {
        Cdn::Cloudfront => {
            let free_gb = allowance(
                book,
                Service::CloudFront,
                usage::CLOUDFRONT_FREE_BYTES,
                free,
                warnings,
            );
            let free_requests = allowance(
                book,
                Service::CloudFront,
                usage::CLOUDFRONT_FREE_REQUESTS,
                free,
                warnings,
            );
            // AWS does not say how the free allowance is spread over geographies; it is split
            // in proportion to each geography's usage.
            for (geo, share) in &s.audience.geo {
                let line = price(
                    book,
                    Charge::new(
                        Service::CloudFront,
                        Stage::Delivery,
                        format!("Data transfer out to the internet, {}", geo.label()),
                        usage::cloudfront_out(*geo),
                        None,
                        egress_gb * share,
                        "GB",
                    )
                    .free(free_gb.map(|f| f * share))
                    .geography(*geo),
                );
                out.push(line, by_bytes.clone());
                let kind = match s.delivery.protocol {
                    Protocol::Http => "HTTP",
                    Protocol::Https => "HTTPS",
                };
                let line = price(
                    book,
                    Charge::new(
                        Service::CloudFront,
                        Stage::Requests,
                        format!("{kind} requests, {}", geo.label()),
                        usage::cloudfront_requests(*geo, s.delivery.protocol),
                        None,
                        d.requests_total * share,
                        "Requests",
                    )
                    .free(free_requests.map(|f| f * share))
                    .geography(*geo),
                );
                out.push(line, by_watch.clone());
            }
            let miss = Decimal::ONE - s.delivery.cache_hit_rate;
            let mut requests = d.requests_total * miss;
            let mut bytes = d.egress * miss;
            if s.delivery.origin_shield {
                // The shield sits in the origin's Region, and is billed there.
                let local = shield_local_share(s);
                let line = price(
                    book,
                    Charge::new(
                        Service::CloudFront,
                        Stage::Requests,
                        format!("Origin Shield requests (shield in {})", s.region),
                        usage::origin_shield(&s.region),
                        region,
                        requests * (Decimal::ONE - local),
                        "Requests",
                    )
                    .note(format!(
                        "edge cache misses pass through the shield; the {:.1} % that come from regional edge caches in {} are not billed",
                        local * Decimal::ONE_HUNDRED,
                        s.region
                    )),
                );
                out.push(line, by_watch.clone());
                let shield_miss = Decimal::ONE - s.delivery.origin_shield_hit_rate;
                requests *= shield_miss;
                bytes = bytes * shield_miss;
            }
            (requests, bytes)
        }
        Cdn::None => {
            let free_gb = allowance(
                book,
                Service::DataTransfer,
                usage::DATA_TRANSFER_FREE,
                free,
                warnings,
            );
            let line = price(
                book,
                Charge::new(
                    Service::DataTransfer,
                    Stage::Delivery,
                    "Data transfer out from S3 to the internet",
                    usage::DATA_TRANSFER_OUT,
                    region,
                    egress_gb,
                    "GB",
                )
                .free(free_gb),
            );
            out.push(line, by_bytes.clone());
            (d.requests_total, d.egress)
        }
    };

    let from = match s.delivery.cdn {
        Cdn::Cloudfront => "CloudFront origin fetches",
        Cdn::None => "viewers",
    };
    // Origin reads pay the GET price, and retrieval fee, of the class each object is in when
    // it is read (S3 User Guide, storage classes: "Per GB retrieval fees apply"): misses fall
    // mostly on the long tail, which lifecycle has moved.
    let split = read_split(s, held);
    out.origin = (origin_requests, origin_bytes.billed_gb().0);
    let rule = match s.delivery.recent_reads {
        None => "origin reads follow the bytes each class holds this month".to_string(),
        Some(r) => format!(
            "{} % of origin reads are of titles younger than {} days, spread by the bytes held at those ages",
            (r.share * Decimal::ONE_HUNDRED).normalize(),
            r.days.normalize()
        ),
    };
    for (class, share) in split {
        let percent = (share * Decimal::ONE_HUNDRED).round_dp(1).normalize();
        let line = price(
            book,
            Charge::new(
                Service::S3,
                Stage::Requests,
                format!("GET requests from {from}, {}", class.label()),
                usage::gets(class),
                region,
                origin_requests * share,
                "Requests",
            )
            .note(format!("{percent} % of origin reads: {rule}")),
        );
        out.push(line, by_watch.clone());
        if let Some(usage) = usage::retrieval(class) {
            let line = price(
                book,
                Charge::new(
                    Service::S3,
                    Stage::Delivery,
                    format!("Data retrieval from {}", class.label()),
                    usage,
                    region,
                    origin_bytes.billed_gb().0 * share,
                    "GB",
                )
                .note(format!("{percent} % of origin bytes")),
            );
            out.push(line, by_bytes.clone());
        }
    }
    out
}
