//! What-if analysis speed: a comparison's waterfall (every coalition of the drivers that
//! differ priced, plus the two scenarios themselves) and a sensitivity run of every driver.
//! Targets: under 50 ms each on a 2-core machine. Run with
//! `cargo bench -p ladderwise-model --bench whatif`.

use std::hint::black_box;
use std::str::FromStr;

use criterion::{Criterion, criterion_group, criterion_main};
use ladderwise_model::estimate;
use ladderwise_model::scenario::Scenario;
use ladderwise_model::sweep::with_field;
use ladderwise_model::whatif::{DEFAULT_SWING, drivers, sensitivity, waterfall, waterfall_on};
use rust_decimal::Decimal;

#[path = "../tests/support/mod.rs"]
mod support;

use support::{shipped_book as book, shipped_scenario as scenario};

/// The premium scenario with ten drivers changed: each of its eight rungs' video bitrate
/// 20 % lower, the hit rate at 0.95 and 10 % more watch time. Ten drivers on an eight-rung
/// ladder: 1,024 coalitions, each a full estimate, the costliest exact waterfall.
fn ten_changes(s: &Scenario) -> Scenario {
    let mut out = s.clone();
    for (i, rung) in s.ladder.rungs.iter().enumerate() {
        let kbps = rung.video.kbps() * Decimal::from_str("0.8").unwrap();
        out = with_field(&out, &format!("ladder.rungs[{}].video_kbps", i + 1), kbps).unwrap();
    }
    out = with_field(
        &out,
        "delivery.cache_hit_rate",
        Decimal::from_str("0.95").unwrap(),
    )
    .unwrap();
    let watch = s.audience.watch_minutes_per_month.0 * Decimal::from_str("1.1").unwrap();
    with_field(&out, "audience.watch_minutes_per_month", watch).unwrap()
}

/// What `ladderwise compare` prices: both scenarios and the waterfall between them, its
/// coalitions on as many threads as the machine has cores (as the app does).
fn compare(a: &Scenario, b: &Scenario, book: &ladderwise_model::PriceBook) -> usize {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (ea, eb) = (estimate(a, book), estimate(b, book));
    let w = waterfall_on(a, b, book, threads);
    ea.lines.len() + eb.lines.len() + w.bars.len()
}

fn bench(c: &mut Criterion) {
    let book = book();
    let premium = scenario("premium-ott");
    let changed = ten_changes(&premium);
    assert_eq!(drivers(&premium, &changed).len(), 10);
    let mut group = c.benchmark_group("whatif");
    group.sample_size(20);
    group.bench_function("compare/premium_ten_drivers", |b| {
        b.iter(|| compare(black_box(&premium), black_box(&changed), &book))
    });
    group.bench_function("waterfall/premium_ten_drivers_one_thread", |b| {
        b.iter(|| waterfall(black_box(&premium), black_box(&changed), &book))
    });
    let smaller = scenario("premium-ott-smaller-ladder");
    group.bench_function("compare/premium_smaller_ladder", |b| {
        b.iter(|| compare(black_box(&premium), black_box(&smaller), &book))
    });
    // Fifteen drivers: sampled Shapley values (200 orders).
    let (ugc, elearning) = (scenario("ugc-short-form"), scenario("elearning-apple-hls"));
    group.bench_function("compare/ugc_elearning_sampled", |b| {
        b.iter(|| compare(black_box(&ugc), black_box(&elearning), &book))
    });
    group.bench_function("sensitivity/premium_every_driver", |b| {
        b.iter(|| sensitivity(black_box(&premium), &book, DEFAULT_SWING, &[]).unwrap())
    });
    group.finish();

    // The machine is shared: beside criterion's wall-clock times, the processor time a run
    // takes (all threads, from /proc/self/stat), which other work on the machine inflates
    // far less.
    let runs = 10;
    for (name, run) in [
        (
            "compare/premium_ten_drivers",
            &(|| compare(&premium, &changed, &book)) as &dyn Fn() -> usize,
        ),
        ("waterfall/premium_ten_drivers_one_thread", &|| {
            waterfall(&premium, &changed, &book).bars.len()
        }),
        ("sensitivity/premium_every_driver", &|| {
            sensitivity(&premium, &book, DEFAULT_SWING, &[])
                .unwrap()
                .bars
                .len()
        }),
    ] {
        let (cpu0, wall0) = (cpu_seconds(), std::time::Instant::now());
        for _ in 0..runs {
            black_box(run());
        }
        let cpu = (cpu_seconds() - cpu0) / f64::from(runs) * 1000.0;
        let wall = wall0.elapsed().as_secs_f64() / f64::from(runs) * 1000.0;
        println!(
            "{name}: {wall:.1} ms wall, {cpu:.1} ms of processor time per run (load average {})",
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split(' ')
                .next()
                .unwrap_or("?")
        );
    }
}

/// Processor time of this process so far, user and system, all threads, in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses): utime is the 14th field of
    // the line, stime the 15th, in clock ticks of 1/100 s.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<f64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    (fields.get(11).copied().unwrap_or(0.0) + fields.get(12).copied().unwrap_or(0.0)) / 100.0
}

criterion_group!(benches, bench);
criterion_main!(benches);
