//! A disk that refuses a write: a read-only file system (or directory) and a full one. The
//! real binary exits with the code of its error kind, says what it could not write, and
//! leaves the file it was replacing as it was, with no temporary file beside it.
//!
//! As root the tests mount a tmpfs of their own (read-only, or filled to the last byte);
//! where mounting is not permitted the full-disk case is skipped with a message, and the
//! read-only case uses a directory without write permission.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ladderwise(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladderwise"))
        .args(args)
        .env("XDG_DATA_HOME", data)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap()
}

fn shipped_snapshot() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("pricing-cache")
        .display()
        .to_string()
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// `None` (with the reason printed) when this process may not mount.
    fn mount(name: &str, size: &str) -> Option<Tmpfs> {
        let dir = std::env::temp_dir().join(format!("lw-tmpfs-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs(dir)),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here ({})",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                let _ = std::fs::remove_dir(&dir);
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount ({e})");
                let _ = std::fs::remove_dir(&dir);
                None
            }
        }
    }

    fn read_only(&self) {
        let o = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Switches the snapshot in use to the shipped directory under `data` and checks the
/// refusal: exit `code`, a message naming `current`, `current` still `shipped`, no
/// temporary file.
fn check(data: &Path, code: i32) {
    let current = data.join("ladderwise/snapshots/current");
    let o = ladderwise(data, &["pricing", "use", &shipped_snapshot()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{stderr}");
    assert!(
        stderr.contains("cannot write") && stderr.contains("current"),
        "{stderr}"
    );
    assert!(stderr.contains("\nhint: "), "{stderr}");
    assert_eq!(std::fs::read_to_string(&current).unwrap(), "shipped\n");
    // Beside `current`, only the lock its writers take (made by the first `pricing use`):
    // no temporary file.
    let names: Vec<String> = std::fs::read_dir(current.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".current.lock")
        .collect();
    assert_eq!(names, ["current"]);
}

fn use_shipped(data: &Path) {
    let o = ladderwise(data, &["pricing", "use", "shipped"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_read_only_file_system_refuses_the_write_and_keeps_the_old_file() {
    if let Some(fs) = Tmpfs::mount("ro", "1m") {
        use_shipped(&fs.0);
        fs.read_only();
        // A place that does not take files is the user's to change: bad input.
        check(&fs.0, 2);
        return;
    }
    // Without mounting: a directory without write permission (which root would ignore).
    let data = std::env::temp_dir().join(format!("lw-ro-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    use_shipped(&data);
    let dir = data.join("ladderwise/snapshots");
    set_mode(&dir, 0o555);
    check(&data, 2);
    set_mode(&dir, 0o755);
    std::fs::remove_dir_all(&data).unwrap();
}

#[cfg(unix)]
fn set_mode(dir: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Fills the file system under `root` to its last byte.
fn fill(root: &Path) {
    let mut f = std::fs::File::create(root.join("filler")).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    while std::io::Write::write_all(&mut f, &[0]).is_ok() {}
}

#[test]
fn a_full_disk_refuses_the_write_and_keeps_the_old_file() {
    let Some(fs) = Tmpfs::mount("full", "64k") else {
        return;
    };
    use_shipped(&fs.0);
    fill(&fs.0);
    // A full disk is the machine's failure: internal.
    check(&fs.0, 1);
}

#[test]
fn an_export_to_a_full_disk_keeps_the_old_file() {
    // `usage export -o FILE` writes as it reads the store; the disk filling half-way leaves
    // the file it was replacing as it was.
    let Some(fs) = Tmpfs::mount("export", "1m") else {
        return;
    };
    let csv = fs.0.join("usage.csv");
    let mut data = String::from("timestamp,namespace,metric,dimensions,statistic,value\n");
    for h in 0..24 * 30 {
        data.push_str(&format!(
            "2026-09-{:02}T{:02}:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,{h}\n",
            h / 24 + 1,
            h % 24
        ));
    }
    std::fs::write(&csv, &data).unwrap();
    let o = ladderwise(&fs.0, &["usage", "import", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_file(&csv).unwrap();
    let out_dir = fs.0.join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("export.csv");
    std::fs::write(&target, "the old export\n").unwrap();
    fill(&fs.0);
    let o = ladderwise(&fs.0, &["usage", "export", "-o", target.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write") && stderr.contains("export.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("\nhint: "), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the old export\n"
    );
    let names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["export.csv"], "a temporary file was left");
}
