//! Writes that survive a crash: a file is replaced by writing a temporary file beside it,
//! flushing it to disk, renaming it over the target (rename(2) replaces a name atomically, so a
//! reader sees the old file or the new one, never a mix) and flushing the directory so the
//! rename itself is on disk.
//!
//! A writer killed before its rename leaves its temporary file behind. Each temporary file is
//! named after its target (`.NAME.PID.N.tmp`) and locked by its writer while it lives; the
//! next write to the same target removes every such file whose lock is free — the lock dies
//! with the process that held it — and leaves those a live writer holds.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The temporary files this process created, some perhaps renamed since: what
/// [`remove_own_temps`] removes when a command is interrupted.
static OWN_TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn remember(tmp: &Path) {
    let mut own = OWN_TEMPS.lock().unwrap_or_else(|e| e.into_inner());
    // Those renamed or removed since go, so the list stays about as long as the writes in
    // flight however long the process runs (the app writes for hours).
    if own.len() >= 64 {
        own.retain(|p| p.exists());
    }
    own.push(tmp.to_path_buf());
}

/// Removes the temporary files this process created and has not renamed, returning how many:
/// what an interrupted command does before it exits, so a large write cut short (Ctrl-C in
/// an import) leaves no large file behind. The targets keep what they held; the next write
/// would remove the files too ([`sweep_stale`]), but perhaps much later.
pub fn remove_own_temps() -> usize {
    let mut own = OWN_TEMPS.lock().unwrap_or_else(|e| e.into_inner());
    own.drain(..)
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

/// Replaces `target` with `bytes`, atomically and durably (see the module documentation).
pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    replace(target, |file| {
        std::io::Write::write_all(file, bytes)?;
        Ok(())
    })
}

/// Replaces `target` with what `fill` writes, atomically and durably, as [`write`] does: for
/// a file too large to build in memory first. `fill` writes through a buffer; an error from it
/// leaves the old file and no temporary one.
pub fn write_with(
    target: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    replace(target, |file| {
        let mut buffered = std::io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut buffered)?;
        std::io::Write::flush(&mut buffered)
    })
}

/// The temporary file filled, flushed to disk and renamed over `target`; removed on failure.
fn replace(
    target: &Path,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> std::io::Result<()> {
    sweep_stale(target);
    let (tmp, mut file) = create_temp(target)?;
    let result = (|| {
        fill(&mut file)?;
        file.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(parent(target));
    Ok(())
}

/// An advisory lock on a lock file, held until dropped. Every writer that reads what it is
/// about to replace (a store's months, the recent-files list, the snapshot in use) holds one
/// from the read to the rename, so two writers — two commands, or the app and a command —
/// take turns instead of the second overwriting what the first just wrote. The lock dies with
/// its process, so a killed writer never leaves it held.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// What a program tells its user when a writer must wait for another (see [`on_wait`]).
static ON_WAIT: OnceLock<fn(&Path)> = OnceLock::new();

/// Sets what [`lock`] calls, with the lock file, before it waits for another writer: a program
/// with a terminal says so, since the other writer (a large import) may take minutes and a
/// silent wait reads as a hang. Set once; later calls are ignored.
pub fn on_wait(notice: fn(&Path)) {
    let _ = ON_WAIT.set(notice);
}

/// Takes the lock of `path` (created, with its directory, if missing), waiting while another
/// writer holds it, and telling [`on_wait`]'s notice first when it must wait.
pub fn lock(path: &Path) -> std::io::Result<Lock> {
    std::fs::create_dir_all(parent(path))?;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            if let Some(notice) = ON_WAIT.get() {
                notice(path);
            }
            file.lock()?;
        }
        Err(TryLockError::Error(e)) => return Err(e),
    }
    Ok(Lock { _file: file })
}

/// Creates a new, empty temporary file beside `target`, locked against [`sweep_stale`] for as
/// long as the returned `File` stays open.
pub fn create_temp(target: &Path) -> std::io::Result<(PathBuf, File)> {
    let prefix = temp_prefix(target);
    loop {
        let tmp = target.with_file_name(format!(
            "{prefix}{}.{}{TEMP_SUFFIX}",
            std::process::id(),
            unique()
        ));
        let file = match File::create_new(&tmp) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        file.lock()?;
        // Another writer's sweep may have removed the file between its creation and the lock;
        // the name must still be this file, or the rename would install nothing.
        if same_file(&file, &tmp) {
            remember(&tmp);
            return Ok((tmp, file));
        }
    }
}

/// Removes the temporary files that writers of `target` left when they were killed: those
/// whose lock no live process holds. Best effort: what cannot be removed stays.
pub fn sweep_stale(target: &Path) {
    let prefix = temp_prefix(target);
    let Ok(entries) = std::fs::read_dir(parent(target)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(&prefix) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        if file.try_lock().is_ok() && same_file(&file, &path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Flushes a directory's entries (the renames in it) to disk; best effort, as some file
/// systems do not open directories for syncing.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The ending of every temporary file name.
pub const TEMP_SUFFIX: &str = ".tmp";

/// The beginning of the names of `target`'s temporary files: hidden, and named after it.
pub fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    format!(".{name}.")
}

/// Whether `path` is a temporary file of some atomic write (of any target).
pub fn is_temp(path: &Path) -> bool {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .is_some_and(|n| n.starts_with('.') && n.ends_with(TEMP_SUFFIX))
}

fn parent(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A number that differs between calls in one process, so two threads never share a name.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An interrupted command removes the temporary files of its writes in flight, and
    /// nothing else: a write that landed keeps its file.
    #[test]
    fn own_temporary_files_are_removed_and_landed_writes_kept() {
        let dir = std::env::temp_dir().join(format!("lw-own-temps-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let landed = dir.join("landed.json");
        write(&landed, b"{}").unwrap();
        let (in_flight, _file) = create_temp(&dir.join("part.parquet")).unwrap();
        assert!(in_flight.exists());
        assert_eq!(remove_own_temps(), 1);
        assert!(!in_flight.exists());
        assert_eq!(std::fs::read(&landed).unwrap(), b"{}");
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("landed.json")]);
        assert_eq!(remove_own_temps(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
