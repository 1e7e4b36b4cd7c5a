//! The readers that take a file and build polars frames: the usage CSV and an actuals export
//! (FOCUS 1.2 or CUR 2.0 CSV). Both read from a path, so the fuzz targets write each input
//! to a file first; the corpus replay hands them the corpus files themselves.

use std::path::Path;

/// `ladderwise usage import FILE`'s reading of the file.
pub fn usage_csv_file(path: &Path) {
    let _ = ladderwise_app::usage::parse_csv_file(path);
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
