#!/usr/bin/env python3
"""Usage store, end to end: `ladderwise usage import year.csv && ladderwise usage show` on one
year of 1-minute datapoints for four CloudFront metrics (2,102,400 rows, about 195 MB of CSV),
against a pandas script doing the same job (read the CSV, drop duplicates, monthly sums and
the request-weighted hit rate). Both run from files on disk, each from a fresh start; the best
of three runs of each is printed with the ratio.

    python3 bench/usage_store.py            # pandas comes from bench/.venv, made on first use
    python3 bench/usage_store.py --large    # usage import of over 1 GiB of CSV: time and memory
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import venv as bench_venv  # noqa: E402

RUNS = 3

PANDAS_JOB = r"""
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], engine="pyarrow")
df["ts"] = pd.to_datetime(df["timestamp"], utc=True)
df = df.drop_duplicates(["ts", "namespace", "metric", "dimensions", "statistic"], keep="last")
df["month"] = df["ts"].dt.strftime("%Y-%m")
sums = df[df["statistic"] == "Sum"].groupby(["month", "metric"])["value"].sum().unstack()
rate = df[df["metric"] == "CacheHitRate"][["ts", "dimensions", "month", "value"]]
req = df[df["metric"] == "Requests"][["ts", "dimensions", "value"]]
j = rate.merge(req, on=["ts", "dimensions"], suffixes=("_rate", "_req"))
j["w"] = j["value_rate"] * j["value_req"]
g = j.groupby("month")[["w", "value_req"]].sum()
days = df[df["namespace"] == "AWS/CloudFront"].groupby("month")["ts"].apply(lambda s: s.dt.floor("D").nunique())
out = sums.join((g["w"] / g["value_req"] / 100).rename("hit_rate")).join(days.rename("days"))
print(out.to_string())
"""


def generate(path, distributions=1):
    """One year from 2025-01-01, a datapoint a minute for four metrics of each distribution,
    deterministic."""
    if os.path.exists(path):
        return
    import datetime

    all_dims = [f"DistributionId=E{d + 1};Region=Global" for d in range(distributions)]
    metrics = [
        ("BytesDownloaded", "Sum"),
        ("Requests", "Sum"),
        ("CacheHitRate", "Average"),
        ("4xxErrorRate", "Average"),
    ]
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("timestamp,namespace,metric,dimensions,statistic,value\n")
        for minute in range(525_600):
            ts = (start + datetime.timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ")
            k = minute % 1440
            values = (
                1_000_000_000 + 7919 * k,
                5_000 + k % 97,
                90 + (k % 10) * 0.5,
                0.5 + (k % 7) * 0.1,
            )
            for dims in all_dims:
                for (metric, stat), value in zip(metrics, values):
                    f.write(f"{ts},AWS/CloudFront,{metric},{dims},{stat},{value}\n")
    os.replace(tmp, path)


def best(run):
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def large(work, exe):
    """`usage import` of over 1 GiB of CSV (six distributions, 12.6 million rows), once, with
    its wall time and peak memory (the kernel's maximum resident set size of the process)."""
    csv = os.path.join(work, "year-6-distributions.csv")
    generate(csv, distributions=6)
    home = tempfile.mkdtemp(dir=work)
    env = dict(os.environ, XDG_DATA_HOME=home)
    try:
        t = time.perf_counter()
        child = subprocess.Popen([exe, "usage", "import", csv], env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - t
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        shutil.rmtree(home)
    print(f"data: {csv} ({os.path.getsize(csv) / 1e6:.0f} MB)")
    print(f"ladderwise usage import: {elapsed:.2f} s, peak memory {usage.ru_maxrss / 1024:.0f} MB")


def main():
    if "--large" in sys.argv:
        work = os.environ.get("LADDERWISE_BENCH_DIR", os.path.join(tempfile.gettempdir(), "ladderwise-bench"))
        os.makedirs(work, exist_ok=True)
        large(work, bench_venv.binary())
        return
    bench_venv.ensure()
    work = os.environ.get("LADDERWISE_BENCH_DIR", os.path.join(tempfile.gettempdir(), "ladderwise-bench"))
    os.makedirs(work, exist_ok=True)
    csv = os.path.join(work, "year.csv")
    generate(csv)
    exe = bench_venv.binary()
    print(f"data: {csv} ({os.path.getsize(csv) / 1e6:.0f} MB)")

    def ladderwise():
        home = tempfile.mkdtemp(dir=work)
        env = dict(os.environ, XDG_DATA_HOME=home)
        try:
            subprocess.run([exe, "usage", "import", csv], env=env, check=True, stdout=subprocess.DEVNULL)
            out = subprocess.run([exe, "usage", "show"], env=env, check=True, capture_output=True, text=True)
            assert "2025-12" in out.stdout, out.stdout
        finally:
            shutil.rmtree(home)

    def pandas():
        out = subprocess.run([sys.executable, "-c", PANDAS_JOB, csv], check=True, capture_output=True, text=True)
        assert "2025-12" in out.stdout, out.stdout

    lw = best(ladderwise)
    pd = best(pandas)
    print(f"ladderwise usage import + show: {lw:.2f} s (best of {RUNS})")
    print(f"pandas read + dedupe + monthly + hit rate: {pd:.2f} s (best of {RUNS})")
    print(f"ratio: {pd / lw:.1f}x")


if __name__ == "__main__":
    main()
