#!/usr/bin/env python3
"""Actuals import, end to end: `ladderwise actuals import` of a FOCUS 1.2 export of 10 million
lines (Parquet, written here deterministically with pyarrow: two months, 40 accounts, a mix
of modelled services and EC2, usage with credits, refunds and taxes), timed with its peak
memory (`/usr/bin/time -v`, maximum resident set size). Targets: under 10 s, under 1 GB.
With `--csv`, the export is CSV as AWS writes it (3 million lines, 0.9 GB, by default; written
with Python's csv module, no venv needed), whose import must not grow with the file.

    python3 bench/actuals_import.py [--csv] [ROWS]
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import venv as bench_venv  # noqa: E402


def generate(path, rows):
    if os.path.exists(path):
        return
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(16)
    services = np.array(
        ["AmazonCloudFront", "AmazonS3", "AWSElementalMediaConvert", "AWSDataTransfer", "AmazonEC2", "AmazonRekognition"]
    )
    types = {
        "AmazonCloudFront": ["US-DataTransfer-Out-Bytes", "EU-DataTransfer-Out-Bytes", "US-Requests-Tier2-HTTPS"],
        "AmazonS3": ["TimedStorage-ByteHrs", "Requests-Tier1", "Requests-Tier2"],
        "AWSElementalMediaConvert": ["IAD-B-AVC-HD-S-30-NTM", "IAD-B-AVC-SD-S-30-NTM"],
        "AWSDataTransfer": ["DataTransfer-Out-Bytes"],
        "AmazonEC2": ["BoxUsage:m7g.large", "EBS:VolumeUsage.gp3"],
        "AmazonRekognition": ["USE1-Group2-ImagesProcessed"],
    }
    categories = np.array(["Usage"] * 96 + ["Credit", "Tax", "Usage", "Purchase"])
    writer = None
    chunk = 1_000_000
    start = 1_790_812_800_000  # 2026-10-01T00:00:00Z, ms
    for offset in range(0, rows, chunk):
        n = min(chunk, rows - offset)
        svc = services[rng.integers(0, len(services), n)]
        utype = np.array([types[s][i % len(types[s])] for s, i in zip(svc, rng.integers(0, 3, n))])
        hours = rng.integers(-24 * 30, 24 * 31, n)  # September and October
        billed = np.round(rng.random(n) * 2, 6)
        cat = categories[rng.integers(0, len(categories), n)]
        billed = np.where(cat == "Credit", -billed, billed)
        table = pa.table(
            {
                "BillingAccountId": pa.array(["111122223333"] * n),
                "SubAccountId": pa.array([f"{100000000000 + a}" for a in rng.integers(0, 40, n)]),
                "RegionId": pa.array(np.where(svc == "AmazonCloudFront", "global", "us-east-1")),
                "ChargePeriodStart": pa.array(start + hours * 3_600_000, type=pa.timestamp("ms", tz="UTC")),
                "ServiceName": pa.array(svc),
                "x_ServiceCode": pa.array(svc),
                "x_UsageType": pa.array(utype),
                "PricingUnit": pa.array(np.where(svc == "AmazonS3", "GB-Mo", "GB")),
                "PricingQuantity": pa.array(np.round(rng.random(n) * 100, 6)),
                "ListCost": pa.array(billed),
                "BilledCost": pa.array(billed),
                "EffectiveCost": pa.array(billed),
                "BillingCurrency": pa.array(["USD"] * n),
                "ChargeCategory": pa.array(cat),
                "ChargeClass": pa.array([None] * n, type=pa.string()),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(path + ".tmp", table.schema, compression="snappy")
        writer.write_table(table)
    writer.close()
    os.replace(path + ".tmp", path)


CSV_COLUMNS = [
    "BilledCost", "BillingAccountId", "BillingCurrency", "BillingPeriodStart", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargePeriodStart", "EffectiveCost", "ListCost", "PricingQuantity", "PricingUnit",
    "RegionId", "ServiceName", "SubAccountId", "x_ServiceCode", "x_UsageType", "Tags",
]


def generate_csv(path, rows):
    """The Parquet export's mix as a CSV export of October 2026, with a quoted description and
    tags as AWS writes them (about 300 bytes a line)."""
    if os.path.exists(path):
        return
    import csv
    import random

    rng = random.Random(16)
    services = [
        ("AmazonCloudFront", ["US-DataTransfer-Out-Bytes", "EU-DataTransfer-Out-Bytes", "US-Requests-Tier2-HTTPS"]),
        ("AmazonS3", ["TimedStorage-ByteHrs", "Requests-Tier1", "Requests-Tier2"]),
        ("AWSElementalMediaConvert", ["IAD-B-AVC-HD-S-30-NTM", "IAD-B-AVC-SD-S-30-NTM"]),
        ("AWSDataTransfer", ["DataTransfer-Out-Bytes"]),
        ("AmazonEC2", ["BoxUsage:m7g.large", "EBS:VolumeUsage.gp3"]),
        ("AmazonRekognition", ["USE1-Group2-ImagesProcessed"]),
    ]
    categories = ["Usage"] * 96 + ["Credit", "Tax", "Usage", "Purchase"]
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(CSV_COLUMNS)
        for _ in range(rows):
            service, types = services[rng.randrange(len(services))]
            category = categories[rng.randrange(len(categories))]
            billed = round(rng.random() * 2, 6) * (-1 if category == "Credit" else 1)
            w.writerow([
                billed, "111122223333", "USD", "2026-10-01T00:00:00Z", category, "",
                f"{service} {category}, October", f"2026-10-{rng.randrange(1, 32):02d}T{rng.randrange(24):02d}:00:00Z",
                billed, billed, round(rng.random() * 100, 6), "GB-Mo" if service == "AmazonS3" else "GB",
                "global" if service == "AmazonCloudFront" else "us-east-1", service,
                f"{100000000000 + rng.randrange(40)}", service, types[rng.randrange(len(types))],
                '{"team":"video, core","env":"prod"}',
            ])
    os.replace(path + ".tmp", path)


def main():
    args = sys.argv[1:]
    csv_export = "--csv" in args
    args = [a for a in args if a != "--csv"]
    rows = int(args[0]) if args else (3_000_000 if csv_export else 10_000_000)
    work = os.environ.get("LADDERWISE_BENCH_DIR", os.path.join(tempfile.gettempdir(), "ladderwise-bench"))
    os.makedirs(work, exist_ok=True)
    if csv_export:
        data = os.path.join(work, f"focus-{rows}.csv")
        generate_csv(data, rows)
    else:
        bench_venv.ensure()
        data = os.path.join(work, f"focus-{rows}.parquet")
        generate(data, rows)
    exe = bench_venv.binary()
    print(f"data: {data} ({rows:,} lines, {os.path.getsize(data) / 1e6:.0f} MB)")
    home = tempfile.mkdtemp(dir=work)
    try:
        env = dict(os.environ, XDG_DATA_HOME=home)
        out = subprocess.run(
            ["/usr/bin/time", "-v", exe, "actuals", "import", data], env=env, capture_output=True, text=True
        )
        if out.returncode != 0:
            sys.exit(out.stderr)
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", out.stderr).group(1)
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
        parts = [float(p) for p in wall.split(":")]
        seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
        print(out.stdout.strip())
        print(f"ladderwise actuals import: {seconds:.2f} s, peak RSS {rss_kb / 1024:.0f} MiB")
    finally:
        shutil.rmtree(home)


if __name__ == "__main__":
    main()
