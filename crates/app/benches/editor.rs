//! The Rust side of one edit in the desktop app: apply the change to the scenario's text,
//! price it, draw the chart on screen and serialize the estimate, for every chart on every
//! shipped scenario. The whole edit, IPC and DOM included, must reach the screen within a
//! 16 ms frame; each result's ratio to that frame is printed. Run with
//! `cargo bench -p ladderwise-app --bench editor`.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use ladderwise_app::editor::{self, Change};
use ladderwise_app::views::ChartKind;
use ladderwise_app::{export, shipped_price_book};

const FRAME_MS: f64 = 16.0;

fn one_edit(text: &str, kind: ChartKind, book: &ladderwise_model::PriceBook) -> usize {
    let change = Change::Set {
        path: "ladder.rungs[1].video_kbps".into(),
        value: "4500".into(),
    };
    let text = editor::apply(text, &change).expect("the edit applies");
    let (scenario, estimate) = editor::evaluate("bench", &text, book).expect("valid scenario");
    let svg = editor::chart_svg(kind, &scenario, &estimate, book).expect("the chart draws");
    let json = serde_json::to_string(&export::estimate_value(&estimate)).expect("json");
    svg.len() + json.len()
}

fn bench(c: &mut Criterion) {
    let book = shipped_price_book().expect("shipped prices");
    for name in [
        "ugc-short-form",
        "premium-ott",
        "elearning-apple-hls",
        "legacy-elastic-transcoder",
    ] {
        let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("shipped scenario");
        for kind in ChartKind::ALL {
            c.bench_function(&format!("edit/{name}/{}", kind.name()), |b| {
                b.iter(|| one_edit(black_box(&text), kind, &book))
            });
            // A plain mean over a few runs, for the ratio to the frame.
            let runs = 20;
            let started = Instant::now();
            for _ in 0..runs {
                black_box(one_edit(&text, kind, &book));
            }
            let ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
            println!(
                "edit/{name}/{}: {ms:.2} ms = {:.2} of a 16 ms frame",
                kind.name(),
                ms / FRAME_MS
            );
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
