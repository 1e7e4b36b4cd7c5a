//! Ingest of one year of 1-minute datapoints for four CloudFront metrics (2,102,400 points)
//! into monthly drivers (0.23 s here). The target is well under a second. Run with
//! `cargo bench -p ladderwise-usage`.

use criterion::{Criterion, criterion_group, criterion_main};
use ladderwise_usage::calendar::parse_iso;
use ladderwise_usage::{Point, dimensions, monthly_drivers};

fn year_of_minutes() -> Vec<Point> {
    let start = parse_iso("2025-01-01T00:00:00Z").unwrap();
    let dims = dimensions(&[("DistributionId", "E1"), ("Region", "Global")]);
    let metrics = [
        ("BytesDownloaded", "Sum", 1.0e9),
        ("Requests", "Sum", 5_000.0),
        ("CacheHitRate", "Average", 95.0),
        ("4xxErrorRate", "Average", 0.5),
    ];
    let mut points = Vec::with_capacity(525_600 * metrics.len());
    for minute in 0..525_600i64 {
        for (metric, stat, value) in metrics {
            points.push(Point {
                timestamp_ms: start + minute * 60_000,
                namespace: "AWS/CloudFront".into(),
                metric: metric.into(),
                dimensions: dims.clone(),
                statistic: stat.into(),
                value,
            });
        }
    }
    points
}

fn bench(c: &mut Criterion) {
    let points = year_of_minutes();
    let mut group = c.benchmark_group("ingest");
    group.sample_size(10);
    group.bench_function("one_year_1min_4_metrics", |b| {
        b.iter(|| monthly_drivers(&points).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
