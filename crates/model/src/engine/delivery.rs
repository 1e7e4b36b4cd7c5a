//! Delivery: CloudFront (edge data transfer and requests per geography, Origin Shield, the
//! origin fetches that miss the cache) or viewers fetching from S3 directly.
//!
//! Egress ≈ AvgBitrate / 8 × WatchTime, with the average weighted by how much each rung is
//! watched (DESIGN.md). Origin traffic = egress × (1 − cache hit rate); with Origin Shield a
//! second hit rate applies before the origin.

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::{Charge, Service, Stage, StageLines, allowance, price, usage};
use crate::pricebook::PriceBook;
use crate::scenario::{Cdn, Protocol, Scenario};

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
    let free = s.delivery.free_tier;

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
                    .free(free_gb.map(|f| f * share)),
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
                    .free(free_requests.map(|f| f * share)),
                );
                out.push(line, by_watch.clone());
            }
            let miss = Decimal::ONE - s.delivery.cache_hit_rate;
            let mut requests = d.requests_total * miss;
            let mut bytes = d.egress * miss;
            if s.delivery.origin_shield {
                // The shield sits in the origin's Region, and is billed there.
                let line = price(
                    book,
                    Charge::new(
                        Service::CloudFront,
                        Stage::Requests,
                        format!("Origin Shield requests (shield in {})", s.region),
                        usage::origin_shield(&s.region),
                        region,
                        requests,
                        "Requests",
                    )
                    .note("edge cache misses pass through the shield"),
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
    let class = s.storage.class;
    let line = price(
        book,
        Charge::new(
            Service::S3,
            Stage::Requests,
            format!("GET requests from {from}, {}", class.label()),
            usage::gets(class),
            region,
            origin_requests,
            "Requests",
        )
        .note("reads are taken to hit the class new content is written to"),
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
                origin_bytes.billed_gb().0,
                "GB",
            ),
        );
        out.push(line, by_bytes.clone());
    }
    out
}
