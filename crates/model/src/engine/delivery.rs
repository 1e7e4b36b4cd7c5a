//! Delivery: CloudFront (edge data transfer and requests per geography, Origin Shield, the
//! origin fetches that miss the cache) or viewers fetching from S3 directly.
//!
//! Egress ≈ AvgBitrate / 8 × WatchTime, with the average weighted by how much each rung is
//! watched (DESIGN.md). Origin traffic = egress × (1 − cache hit rate); with Origin Shield a
//! second hit rate applies before the origin.

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::flat_rate::PlanFit;
use super::storage::HeldBytes;
use super::{Charge, LineItem, Recipe, Service, Stage, StageLines, allowance, price, usage};
use crate::forecast::num::Num;
use crate::pricebook::PriceBook;
use crate::scenario::{Cdn, Geography, PlanChoice, Protocol, Scenario, StorageClass};
use crate::tiers::TierCharge;
use crate::units::{Usd, format_quantity};

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

/// The flat-rate plan's line: the plan's monthly price, what it holds and what it leaves out.
/// A month past an allowance costs no more, and is warned of.
fn plan_line(
    s: &Scenario,
    d: &Drivers,
    plan: Option<&Result<PlanFit, String>>,
    warnings: &mut Vec<String>,
) -> LineItem {
    let gb = d.egress.billed_gb().0;
    let fit = match plan {
        Some(Ok(fit)) => fit,
        Some(Err(why)) => {
            return unpriced_plan(s, gb, why.clone());
        }
        None => return unpriced_plan(s, gb, "no flat-rate plan was chosen".into()),
    };
    let p = fit.plan;
    if let Some(w) = fit.overage_warning() {
        warnings.push(w);
    }
    let chosen = if s.delivery.plan == PlanChoice::Auto {
        if fit.fits() {
            "chosen as the cheapest plan whose allowances hold this month"
        } else {
            "the largest plan: none holds this month"
        }
    } else {
        "the plan the scenario names"
    };
    let note = format!(
        "{chosen}; {} of {} GB and {} of {} requests (a segment per segment time of each track, and the playlists); no overage charges; the plan excludes {}; its S3 Standard storage credit ({} GB) comes off S3 Standard storage; Origin Shield is taken as included",
        format_quantity(gb, 0),
        format_quantity(p.data_transfer_gb, 0),
        format_quantity(fit.requests, 0),
        format_quantity(p.requests, 0),
        p.exclusions.join(", "),
        format_quantity(p.s3_standard_storage_credit_gb, 0)
    );
    LineItem {
        service: Service::CloudFront,
        stage: Stage::Delivery,
        description: format!("CloudFront flat-rate plan: {}", p.name),
        usage_type: format!("FlatRatePlan-{}", p.id).into(),
        sku: Some(format!("LW-CLOUDFRONT-FLAT-RATE-{}", p.id.to_uppercase()).into()),
        quantity: Decimal::ONE,
        unit: "Plan-Mo".into(),
        tiers: vec![TierCharge {
            label: format!("{} plan", p.name).into(),
            begin: Decimal::ZERO,
            end: None,
            quantity: Decimal::ONE,
            usd_per_unit: p.usd_per_month,
            cost: Usd(p.usd_per_month),
        }],
        cost: Some(Usd(p.usd_per_month)),
        price_status: p.provenance.status.into(),
        provenance: Some(std::sync::Arc::new(p.provenance.clone())),
        rung: None,
        geography: None,
        note: Some(note),
        pricing: super::Pricing {
            recipe: super::Recipe::Plan,
            base: Decimal::ONE,
            ..Default::default()
        },
        billed_elsewhere: false,
    }
}

fn unpriced_plan(s: &Scenario, gb: Decimal, why: String) -> LineItem {
    LineItem {
        service: Service::CloudFront,
        stage: Stage::Delivery,
        description: format!("CloudFront flat-rate plan: {}", s.delivery.plan.name()),
        usage_type: format!("FlatRatePlan-{}", s.delivery.plan.name()).into(),
        sku: None,
        quantity: Decimal::ONE,
        unit: "Plan-Mo".into(),
        tiers: Vec::new(),
        cost: None,
        price_status: super::LineStatus::Unpriced,
        provenance: None,
        rung: None,
        geography: None,
        note: Some(format!(
            "{why} (this month sends {} GB)",
            format_quantity(gb, 0)
        )),
        pricing: super::Pricing {
            recipe: super::Recipe::Plan,
            base: Decimal::ONE,
            ..Default::default()
        },
        billed_elsewhere: false,
    }
}

/// How origin reads split over the storage classes: by the bytes each class holds this month,
/// or, with `recent_read_share`, that share over the classes of recent content (by its bytes)
/// and the rest over the older content's classes.
pub fn read_split(s: &Scenario, held: &HeldBytes) -> Vec<(StorageClass, Decimal)> {
    split_reads(
        s.delivery.recent_reads.map(|r| r.share),
        &held.by_class,
        &held.if_none,
        s.storage.class,
    )
}

/// [`read_split`] in any number type (the forecast's Monte Carlo runs it in `f64`): `held` is
/// `(class, bytes younger than the recent age, older)`, `if_none` what the reads are split
/// by when nothing is held (a minute of the month's uploads); `recent` the share of reads on
/// recent content, when the scenario gives one.
pub fn split_reads<N: Num>(
    recent: Option<N>,
    held: &[(StorageClass, N, N)],
    if_none: &[(StorageClass, N, N)],
    written_to: StorageClass,
) -> Vec<(StorageClass, N)> {
    let mut out = Vec::with_capacity(held.len());
    split_reads_into(recent, held, if_none, written_to, &mut out);
    out
}

/// [`split_reads`] into a buffer the caller keeps (the Monte Carlo reuses one per thread).
pub fn split_reads_into<N: Num>(
    recent: Option<N>,
    held: &[(StorageClass, N, N)],
    if_none: &[(StorageClass, N, N)],
    written_to: StorageClass,
    out: &mut Vec<(StorageClass, N)>,
) {
    let nothing = |h: &[(StorageClass, N, N)]| h.iter().all(|(_, y, o)| y.is_zero() && o.is_zero());
    let held = if nothing(held) { if_none } else { held };
    let total = |young: bool| -> N {
        held.iter().fold(N::zero(), |acc, (_, y, o)| {
            acc + if young { *y } else { *o }
        })
    };
    let (young_sum, old_sum) = (total(true), total(false));
    let all = young_sum + old_sum;
    let part = |x: N, of: N| if of.is_zero() { N::zero() } else { x / of };
    out.clear();
    match recent {
        None => out.extend(held.iter().map(|(c, y, o)| (*c, part(*y + *o, all)))),
        Some(share) => {
            // Without recent (or old) content, every read falls on the other.
            let (young_share, old_share) = if young_sum.is_zero() {
                (N::zero(), N::one())
            } else if old_sum.is_zero() {
                (N::one(), N::zero())
            } else {
                (share, N::one() - share)
            };
            out.extend(held.iter().map(|(c, y, o)| {
                (
                    *c,
                    young_share * part(*y, young_sum) + old_share * part(*o, old_sum),
                )
            }));
        }
    }
    out.retain(|(_, share)| !share.is_zero());
    if out.is_empty() {
        // Nothing held at all: storage splits reads as a month's uploads would be held when
        // it holds nothing (see `storage::lines`), so this is a ladder with no objects; the
        // reads are taken to hit the class written to.
        out.push((written_to, N::one()));
    }
}

/// A geography's line whose free allowance is its share of `free`.
fn geo_share(geo: Geography, free: Option<Decimal>) -> Recipe {
    match free {
        Some(free) => Recipe::GeoShare { geo, free },
        None => Recipe::Linear,
    }
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
    plan: Option<&Result<PlanFit, String>>,
    warnings: &mut Vec<String>,
) -> StageLines {
    let mut out = StageLines::new();
    let region = Some(s.region.as_str());
    let egress_gb = d.egress.billed_gb().0;
    // The separate audio rendition's bytes are of no rung: spread with the rungs' own.
    let by_bytes = super::shares_of(&d.rungs.iter().map(|r| r.delivered.0).collect::<Vec<_>>());
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
                    .geography(*geo)
                    .recipe(geo_share(*geo, free_gb), None),
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
                    .geography(*geo)
                    .recipe(geo_share(*geo, free_requests), None),
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
        Cdn::CloudfrontFlatRate => {
            out.push(plan_line(s, d, plan, warnings), by_watch.clone());
            // Misses still fetch from the origin, which S3 bills; Origin Shield, when on, is
            // taken to be part of the plan.
            let miss = Decimal::ONE - s.delivery.cache_hit_rate;
            let shield_miss = if s.delivery.origin_shield {
                Decimal::ONE - s.delivery.origin_shield_hit_rate
            } else {
                Decimal::ONE
            };
            (
                d.requests_total * miss * shield_miss,
                d.egress * miss * shield_miss,
            )
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
        Cdn::Cloudfront | Cdn::CloudfrontFlatRate => "CloudFront origin fetches",
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
            .recipe(
                Recipe::ReadSplit {
                    class,
                    bytes: false,
                },
                Some(origin_requests),
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
                .recipe(
                    Recipe::ReadSplit { class, bytes: true },
                    Some(origin_bytes.billed_gb().0),
                )
                .note(format!("{percent} % of origin bytes")),
            );
            out.push(line, by_bytes.clone());
        }
    }
    out
}
