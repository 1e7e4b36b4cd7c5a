//! The fuzz corpora (`fuzz/corpus/<target>/`, seeds from the shipped files plus what fuzzing
//! found worth keeping) replayed through the same code the fuzz targets run: fast, and part
//! of `cargo test`, so a parser change that panics on a kept input fails here without
//! fuzzing. Fuzzing itself is in docs/testing.md.

#[path = "../fuzz/src/frames.rs"]
#[allow(dead_code)]
mod frames;
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use std::path::{Path, PathBuf};

/// The files of `target`'s corpus (none when it has no directory).
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `parse` over every input of `target`'s corpus; a panic names the input.
fn check(target: &str, parse: impl Fn(&Path)) {
    let inputs = corpus(target);
    assert!(
        inputs.iter().any(|p| p
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("seed-")),
        "{target}: no seeds"
    );
    for input in &inputs {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parse(input)));
        assert!(outcome.is_ok(), "{target}: {} panics", input.display());
    }
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn the_scenario_corpus_parses_without_panics() {
    check("scenario", |p| {
        targets::scenario(&bytes(p));
        targets::scenario_priced(&bytes(p));
    });
}

#[test]
fn the_snapshot_seeds_and_corpus_load_without_panics() {
    // The seeds are made from the shipped snapshot (see `snapshot_seeds`); the corpus holds
    // only what fuzzing kept, if anything.
    for (name, seed) in targets::snapshot_seeds() {
        let outcome = std::panic::catch_unwind(|| targets::snapshot_loads(&seed));
        assert!(
            matches!(outcome, Ok(true)),
            "snapshot: the seed of {name} panics or does not load"
        );
    }
    for input in corpus("snapshot") {
        let outcome = std::panic::catch_unwind(|| targets::snapshot(&bytes(&input)));
        assert!(outcome.is_ok(), "snapshot: {} panics", input.display());
    }
}

#[test]
fn the_import_corpus_reads_without_panics() {
    check("import", |p| targets::import(&bytes(p)));
}

#[test]
fn the_usage_csv_corpus_reads_without_panics() {
    check("usage_csv", frames::usage_csv_file);
}

#[test]
fn the_actuals_csv_corpus_reads_without_panics() {
    check("actuals_csv", frames::actuals_csv_file);
}
