//! Writes that survive `kill -9`: for every file Ladderwise writes atomically, a process writes
//! it over and over and is killed with SIGKILL at a random moment, at least
//! [`KILLS`] times; after each kill the file is a whole version (the old or a newer one, never
//! partial, never missing), and after the next successful write no temporary file is left.
//!
//! The writing process is this test binary itself, started again with `CRASH_CHILD` naming
//! the path to write (see [`child_writer`]), so it runs the library's real code.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ladderwise_actuals::{ActualRow, store as actuals_store};
use ladderwise_app::{editor, snapshots, usage};
use ladderwise_usage::Point;
use rust_decimal::Decimal;

/// Kills per path, the figure docs/testing.md quotes.
const KILLS: usize = 1000;

/// One file (or store) written atomically: how to write version `v` and how to read back the
/// version on disk, failing on anything that is not a whole version.
#[derive(Clone, Copy, Debug)]
enum Target {
    /// A scenario saved from the editor (and the recent-files list it updates).
    Save,
    /// An editor draft.
    Draft,
    /// The snapshot in use, `current`.
    Current,
    /// A month partition of the usage store.
    Usage,
    /// A month partition of the actuals store.
    Actuals,
    /// The files of a report.
    Report,
}

impl Target {
    const ALL: [Target; 6] = [
        Target::Save,
        Target::Draft,
        Target::Current,
        Target::Usage,
        Target::Actuals,
        Target::Report,
    ];

    fn parse(name: &str) -> Target {
        Target::ALL
            .into_iter()
            .find(|t| format!("{t:?}") == name)
            .unwrap_or_else(|| panic!("no target {name}"))
    }

    /// Writes version `v` with the library's own function. `dir` is the data directory.
    fn write(self, dir: &Path, v: u64) {
        match self {
            Target::Save => editor::save(&scenario_file(dir), &scenario_text(v)).unwrap(),
            Target::Draft => editor::keep_draft("tab-1", None, &scenario_text(v)).unwrap(),
            Target::Current => {
                snapshots::use_snapshot(&snapshot_id(v)).unwrap();
            }
            Target::Usage => {
                usage::import(vec![usage_point(v)]).unwrap();
            }
            Target::Actuals => {
                actuals_store::replace_months(
                    &dir.join("actuals"),
                    &[actual_row(v)],
                    actuals_store::Whole::BillingPeriods,
                )
                .unwrap();
            }
            Target::Report => {
                ladderwise_app::write_report_files(&dir.join("report"), reference_report(dir))
                    .unwrap();
            }
        }
    }

    /// The version on disk; `None` before the first write. Panics on a partial or unreadable
    /// file.
    fn read(self, dir: &Path) -> Option<u64> {
        match self {
            Target::Save => {
                let text = std::fs::read_to_string(scenario_file(dir)).ok()?;
                // The recent list is written after the file: a kill between the two leaves
                // the list as it was, which before the first save is no list.
                if let Ok(recent) = std::fs::read_to_string(dir.join("ladderwise/recent.json")) {
                    let list: Vec<PathBuf> = serde_json::from_str(&recent)
                        .unwrap_or_else(|e| panic!("partial recent list {recent:?}: {e}"));
                    assert_eq!(list.len(), 1, "{list:?}");
                }
                Some(version_of(&text))
            }
            Target::Draft => {
                let text =
                    std::fs::read_to_string(dir.join("ladderwise/drafts/tab-1.json")).ok()?;
                let draft: editor::Draft = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("partial draft {text:?}: {e}"));
                Some(version_of(&draft.text))
            }
            Target::Current => {
                let text =
                    std::fs::read_to_string(dir.join("ladderwise/snapshots/current")).ok()?;
                match text.as_str() {
                    "shipped\n" => Some(0),
                    "kill-copy\n" => Some(1),
                    other => panic!("partial current {other:?}"),
                }
            }
            Target::Usage => {
                let file = ladderwise_usage::partitions::partition_file(
                    &dir.join("ladderwise/usage"),
                    "2026-03",
                );
                if !file.exists() {
                    return None;
                }
                let df = ladderwise_usage::partitions::read(&file).expect("a whole partition");
                let value = df.column("value").unwrap().f64().unwrap().get(0).unwrap();
                assert_eq!(df.height(), 1);
                Some(value as u64)
            }
            Target::Actuals => {
                let rows =
                    actuals_store::load(&dir.join("actuals"), None).expect("a whole actuals store");
                let row = rows.first()?;
                assert_eq!(rows.len(), 1);
                Some(row.billed_cost.to_string().parse().unwrap())
            }
            Target::Report => {
                let out = dir.join("report");
                let reference = dir.join("reference");
                let mut any = false;
                for f in std::fs::read_dir(&reference).unwrap().flatten() {
                    if let Ok(bytes) = std::fs::read(out.join(f.file_name())) {
                        assert!(
                            bytes == std::fs::read(f.path()).unwrap(),
                            "{} differs from a whole report file",
                            f.file_name().display()
                        );
                        any = true;
                    }
                }
                // The report does not change between writes: its version is whether it is
                // there.
                any.then_some(0)
            }
        }
    }

    /// Whether versions only grow (the snapshot in use alternates between two names, and
    /// the report is the same each time).
    fn monotonic(self) -> bool {
        !matches!(self, Target::Current | Target::Report)
    }

    /// The longest wait before a kill: enough for the child to start and write many times.
    fn window(self) -> Duration {
        Duration::from_millis(match self {
            Target::Current | Target::Report => 100,
            _ => 60,
        })
    }

    fn setup(self, dir: &Path) {
        match self {
            Target::Current => {
                // A second snapshot to switch to: a copy of the shipped one.
                let copy = dir.join("ladderwise/snapshots/kill-copy");
                std::fs::create_dir_all(&copy).unwrap();
                let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pricing-cache");
                for f in std::fs::read_dir(shipped).unwrap().flatten() {
                    if f.path().is_file() {
                        std::fs::copy(f.path(), copy.join(f.file_name())).unwrap();
                    }
                }
            }
            Target::Report => {
                let s = ladderwise_app::load_scenario(&shipped_scenario()).unwrap();
                let book = ladderwise_app::shipped_price_book().unwrap();
                ladderwise_app::write_report(&s, &book, &dir.join("reference")).unwrap();
            }
            _ => {}
        }
    }
}

/// The report's files as `setup` wrote them with `write_report`. Computing a report takes
/// about a quarter second, which a writer killed at random would mostly spend computing: the
/// writer reads the files once and writes them with the same function `write_report` ends
/// with, so the kills land while files are written.
fn reference_report(dir: &Path) -> &'static ladderwise_app::ReportFiles {
    static FILES: std::sync::OnceLock<ladderwise_app::ReportFiles> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let mut files: ladderwise_app::ReportFiles = std::fs::read_dir(dir.join("reference"))
            .unwrap()
            .flatten()
            .map(|f| {
                let name = f.file_name().to_string_lossy().into_owned();
                (&*name.leak(), std::fs::read(f.path()).unwrap())
            })
            .collect();
        // index.html first, as `write_report` writes it.
        files.sort_by_key(|(name, _)| *name != "index.html");
        files
    })
}

fn scenario_file(dir: &Path) -> PathBuf {
    dir.join("my.toml")
}

fn shipped_scenario() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ugc-short-form.toml")
}

/// A scenario-sized text that names its version on its first and last line, so a cut shows.
fn scenario_text(v: u64) -> String {
    let body = "# padding to make the file span several blocks\n".repeat(200);
    format!("# version {v}\n{body}# end of version {v}\n")
}

fn version_of(text: &str) -> u64 {
    let v: u64 = text
        .strip_prefix("# version ")
        .and_then(|t| t.split('\n').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("partial file starting {:?}", &text[..text.len().min(40)]));
    assert_eq!(text, scenario_text(v), "partial file of version {v}");
    v
}

fn snapshot_id(v: u64) -> String {
    if v.is_multiple_of(2) {
        "shipped"
    } else {
        "kill-copy"
    }
    .into()
}

fn usage_point(v: u64) -> Point {
    Point {
        // 2026-03-10T00:00:00Z
        timestamp_ms: 1_773_100_800_000,
        namespace: "AWS/CloudFront".into(),
        metric: "BytesDownloaded".into(),
        dimensions: "DistributionId=E1;Region=Global".into(),
        statistic: "Sum".into(),
        value: v as f64,
    }
}

fn actual_row(v: u64) -> ActualRow {
    let v = Decimal::from(v);
    ActualRow {
        list_cost: Some(v),
        ..ActualRow::usage(
            "2026-03",
            "",
            "AmazonCloudFront",
            "US-DataTransfer-Out-Bytes",
            "GB",
            v,
            v,
        )
    }
}

/// Every file under `dir` left by a write that did not finish.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if name.starts_with("month=") && std::fs::read_dir(&p).unwrap().next().is_none() {
                    out.push(p.clone());
                }
                stack.push(p);
            } else if ladderwise_usage::durable::is_temp(&p) || name.ends_with(".old") {
                out.push(p);
            }
        }
    }
    out
}

/// A small xorshift generator: the kill moments, reproducible from the seed printed.
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Duration::from_micros(self.0 % below.as_micros() as u64)
    }
}

fn child(target: Target, dir: &Path, mode: &str) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["child_writer", "--exact", "--ignored", "--nocapture"])
        .env("CRASH_CHILD", format!("{target:?}"))
        .env("CRASH_MODE", mode)
        .env("CRASH_DIR", dir)
        .env("XDG_DATA_HOME", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// The writing process (run by [`check`], not on its own): writes the next versions until
/// killed, or exactly one when `CRASH_MODE=once`.
#[test]
#[ignore = "the process that check kills; runs only when started by it"]
fn child_writer() {
    let Some(target) = std::env::var_os("CRASH_CHILD") else {
        return;
    };
    let target = Target::parse(&target.to_string_lossy());
    let dir = PathBuf::from(std::env::var_os("CRASH_DIR").unwrap());
    let once = std::env::var("CRASH_MODE").as_deref() == Ok("once");
    let mut v = target.read(&dir).map_or(0, |v| v + 1);
    loop {
        target.write(&dir, v);
        if once {
            return;
        }
        v += 1;
    }
}

/// Kills the writer of `target` [`KILLS`] times, checking the file after each kill and after
/// the next write; prints how many kills landed during a write (they left a temporary file).
fn check(target: Target) {
    let dir = std::env::temp_dir().join(format!("lw-crash-{}-{target:?}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    target.setup(&dir);
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    let mut moments = Moments(seed);
    let started = Instant::now();
    let (mut torn, mut last) = (0usize, None::<u64>);
    for kill in 0..KILLS {
        let mut writer = child(target, &dir, "loop").spawn().unwrap();
        std::thread::sleep(moments.next(target.window()));
        writer.kill().unwrap();
        writer.wait().unwrap();
        let context = format!("{target:?}, kill {kill}, seed {seed}");
        let now = target.read(&dir);
        if last.is_some() {
            assert!(now.is_some(), "{context}: the file is missing");
        }
        if target.monotonic() {
            assert!(now >= last, "{context}: {now:?} is older than {last:?}");
        }
        if !leftovers(&dir).is_empty() {
            torn += 1;
        }
        // The next successful write removes what the killed writers left.
        let status = child(target, &dir, "once").status().unwrap();
        assert!(status.success(), "{context}: the next write failed");
        let after = target.read(&dir);
        assert!(after.is_some(), "{context}");
        if target.monotonic() {
            assert!(after > now, "{context}");
        }
        let left = leftovers(&dir);
        assert!(left.is_empty(), "{context}: left behind {left:?}");
        last = after;
    }
    eprintln!(
        "{target:?}: {KILLS} kills in {:.1} s, {torn} during a write (temporary files found), \
         seed {seed}",
        started.elapsed().as_secs_f64(),
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_saved_scenario_survives_kill_9() {
    check(Target::Save);
}

#[test]
fn a_draft_survives_kill_9() {
    check(Target::Draft);
}

#[test]
fn the_snapshot_in_use_survives_kill_9() {
    check(Target::Current);
}

#[test]
fn the_usage_store_survives_kill_9() {
    check(Target::Usage);
}

#[test]
fn the_actuals_store_survives_kill_9() {
    check(Target::Actuals);
}

#[test]
fn a_report_survives_kill_9() {
    check(Target::Report);
}
