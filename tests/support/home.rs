//! A private home for one test: its own data directory (so no user's snapshots or usage store
//! leak in), no AWS configuration files, no instance-metadata look-ups, and the binary run
//! from the repository root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Home {
    pub dir: PathBuf,
}

impl Home {
    /// A fresh, empty home named after the test.
    pub fn new(name: &str) -> Home {
        let dir =
            std::env::temp_dir().join(format!("ladderwise-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Home { dir }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Every file under the data directory's `relative` path, with its bytes: what a command
    /// that must change nothing is checked against.
    pub fn files(&self, relative: &str) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.insert(p.clone(), std::fs::read(&p).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.data().join(relative), &mut out);
        out
    }

    /// The binary with `args`, in a clean environment and without credentials.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ladderwise"));
        c.args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.dir)
            .env("XDG_DATA_HOME", self.data())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", self.dir.join("no-aws-config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.dir.join("no-aws-credentials"),
            );
        c
    }

    /// The binary with `args` and test credentials (only ever sent to 127.0.0.1).
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .output()
            .unwrap()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
