//! A forecast as the command runs it: 36 months of each shipped scenario, the deterministic
//! path priced line by line and 10,000 Monte Carlo paths through the compiled months, on the
//! machine's cores. Target: under 250 ms on two cores. Run with
//! `cargo bench -p ladderwise-model --bench forecast`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ladderwise_model::forecast::{Options, run};

#[path = "../tests/support/mod.rs"]
mod support;

use support::{shipped_book as book, shipped_scenario as scenario};

fn bench(c: &mut Criterion) {
    let book = book();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let options = Options {
        months: Some(36),
        paths: Some(10_000),
        threads,
        ..Options::default()
    };
    let mut group = c.benchmark_group("forecast_36_months_10k_paths");
    group.sample_size(10);
    for name in [
        "ugc-short-form",
        "premium-ott",
        "elearning-apple-hls",
        "legacy-elastic-transcoder",
    ] {
        let s = scenario(name);
        group.bench_function(name, |b| {
            b.iter(|| run(black_box(&s), black_box(&book), &options).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
