//! Month partitions on disk: a replace that fails at any step leaves the store as it was,
//! byte for byte; one that succeeds rewrites only its months.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ladderwise_usage::partitions::{self, partition_file};
use polars::prelude::*;

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lw-partitions-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn frame(v: i64) -> DataFrame {
    df!("ts" => [v, v + 1], "value" => [1.0, 2.0]).unwrap()
}

fn files(d: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(d).unwrap().flatten() {
        if !e.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(e.path()).unwrap().flatten() {
            out.insert(f.path(), std::fs::read(f.path()).unwrap());
        }
    }
    out
}

#[test]
fn a_replace_that_fails_half_way_changes_nothing() {
    let d = dir("fail");
    let held = partitions::lock(&d).unwrap();
    partitions::replace(
        &held,
        &mut [("2026-08".into(), frame(1)), ("2026-09".into(), frame(2))],
    )
    .unwrap();
    let before = files(&d);
    // Renames: September's new file over the old, October's in. Each fails in turn; at the
    // second September is already swapped in and must be put back.
    for fail_at in 0..2 {
        let mut calls = 0;
        let mut rename = |a: &Path, b: &Path| {
            calls += 1;
            if calls > fail_at {
                Err(std::io::Error::other("disk full"))
            } else {
                std::fs::rename(a, b)
            }
        };
        let result = partitions::replace_with(
            &held,
            &mut [("2026-09".into(), frame(20)), ("2026-10".into(), frame(30))],
            &mut rename,
        );
        assert!(result.is_err(), "fail at {fail_at}");
        assert_eq!(files(&d), before, "fail at {fail_at}");
    }
    // A month directory in the way of a new file: nothing is written either.
    std::fs::write(d.join("month=2026-11"), b"in the way").unwrap();
    let result = partitions::replace(
        &held,
        &mut [("2026-09".into(), frame(20)), ("2026-11".into(), frame(40))],
    );
    assert!(result.is_err());
    std::fs::remove_file(d.join("month=2026-11")).unwrap();
    assert_eq!(files(&d), before);

    // And a replace that succeeds rewrites its months only.
    partitions::replace(&held, &mut [("2026-09".into(), frame(20))]).unwrap();
    let after = files(&d);
    let aug = partition_file(&d, "2026-08");
    assert_eq!(after[&aug], before[&aug]);
    let sep = partition_file(&d, "2026-09");
    assert_ne!(after[&sep], before[&sep]);
    let read = partitions::read(&sep).unwrap();
    assert_eq!(read.column("ts").unwrap().i64().unwrap().get(0), Some(20));
    let months: Vec<String> = partitions::months(&d)
        .unwrap()
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(months, ["2026-08", "2026-09"]);
    std::fs::remove_dir_all(&d).unwrap();
}

/// The names of the staging directories in the store.
fn staging_dirs(d: &Path) -> Vec<String> {
    std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".staging."))
        .collect()
}

#[test]
fn staging_past_its_budget_spills_to_files_and_gives_each_month_back_in_order() {
    let d = dir("staging");
    // What a killed import left.
    std::fs::create_dir_all(d.join(".staging.1.0")).unwrap();
    std::fs::write(d.join(".staging.1.0/1.parquet"), b"half").unwrap();
    let held = partitions::lock(&d).unwrap();
    {
        let mut staging = partitions::Staging::new(&held, 1);
        assert!(
            staging_dirs(&d).is_empty(),
            "the killed import's staging is swept"
        );
        staging.add("2026-09".into(), frame(10)).unwrap();
        staging.add("2026-08".into(), frame(1)).unwrap();
        staging.add("2026-09".into(), frame(20)).unwrap();
        assert!(staging.spilled());
        let staged = staging_dirs(&d);
        assert_eq!(staged.len(), 1);
        assert_eq!(std::fs::read_dir(d.join(&staged[0])).unwrap().count(), 3);
        assert_eq!(staging.months(), ["2026-08", "2026-09"]);
        let sept = staging.take("2026-09").unwrap();
        let ts: Vec<i64> = sept
            .column("ts")
            .unwrap()
            .i64()
            .unwrap()
            .into_no_null_iter()
            .collect();
        assert_eq!(ts, [10, 11, 20, 21]);
        // A month's files go once it is taken.
        assert_eq!(std::fs::read_dir(d.join(&staged[0])).unwrap().count(), 1);
    }
    assert!(
        staging_dirs(&d).is_empty(),
        "the staging directory goes with the staging"
    );
    // Within its budget nothing is written.
    let mut staging = partitions::Staging::new(&held, 1 << 30);
    staging.add("2026-08".into(), frame(1)).unwrap();
    assert!(!staging.spilled());
    assert!(staging_dirs(&d).is_empty());
    assert_eq!(staging.take("2026-08").unwrap(), frame(1));
}
