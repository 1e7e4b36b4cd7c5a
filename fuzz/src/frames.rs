//! The readers that take a file and build polars frames: the usage CSV and an actuals export
//! (FOCUS 1.2 or CUR 2.0 CSV). Both read from a path, so the fuzz targets write each input
//! to a file first; the corpus replay hands them the corpus files themselves.

use std::path::Path;

/// `ladderwise usage import FILE`'s reading of the file, twice: whole (one chunk, as any small
/// file is read) and in chunks of 64 bytes, so that every cut between lines is tried. The
/// two must agree: a file cannot mean other datapoints because it is large.
pub fn usage_csv_file(path: &Path) {
    use ladderwise_app::usage::{Part, parse_csv_file, read_csv_file};
    let whole = parse_csv_file(path);
    let mut parts = Vec::new();
    let chunked = read_csv_file(path, 64, |part| {
        match part {
            Part::Again => parts.clear(),
            Part::Datapoints(df) => parts.push(df),
        }
        Ok(())
    });
    match (whole, chunked) {
        (Ok(whole), Ok(())) => {
            let all = parts.into_iter().reduce(|mut all, p| {
                all.vstack_mut_owned(p).unwrap();
                all
            });
            let same = all
                .as_ref()
                .map_or(whole.height() == 0, |a| whole.equals_missing(a));
            assert!(
                same,
                "read whole and in chunks, the datapoints differ ({} and {} rows)",
                whole.height(),
                all.map_or(0, |a| a.height())
            );
        }
        (Err(_), Err(_)) => {}
        (whole, chunked) => panic!(
            "read whole and in chunks, one read fails: {:?} / {:?}",
            whole.err(),
            chunked.err()
        ),
    }
}

/// `ladderwise actuals import FILE`'s reading of one export file.
pub fn actuals_csv_file(path: &Path) {
    let mut aggregate = ladderwise_actuals::Aggregate::default();
    let _ = ladderwise_actuals::read::read_file(path, &mut aggregate);
}

/// Writes `data` to this process's scratch file named `name` and returns its path.
pub fn scratch(name: &str, data: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ladderwise-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path
}
