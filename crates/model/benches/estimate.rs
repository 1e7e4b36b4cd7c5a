//! How long one sweep point takes: a full estimate of a scenario-month. The desktop app redraws
//! sweeps of 21 to 41 points while a slider moves, so one point must stay well under a
//! millisecond for a sweep to fit in a 16 ms frame. Run with `cargo bench -p ladderwise-model`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ladderwise_model::estimate;
use ladderwise_model::sweep::{Vary, sweep};

#[path = "../tests/support/mod.rs"]
mod support;

use support::{shipped_book as book, shipped_scenario as scenario};

fn bench(c: &mut Criterion) {
    let book = book();
    for name in ["ugc-short-form", "premium-ott", "elearning-apple-hls"] {
        let s = scenario(name);
        c.bench_function(&format!("estimate/{name}"), |b| {
            b.iter(|| estimate(black_box(&s), black_box(&book)))
        });
    }
    let s = scenario("ugc-short-form");
    let vary: Vary = "delivery.cache_hit_rate=0:1:0.05".parse().unwrap();
    c.bench_function("sweep/cache_hit_rate_21_points", |b| {
        b.iter(|| sweep(black_box(&s), black_box(&book), std::slice::from_ref(&vary)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
