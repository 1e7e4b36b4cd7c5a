//! `ladderwise usage …` end to end: import a CSV of three months of CloudFront, MediaConvert
//! and S3 datapoints, show the monthly drivers, calibrate the shipped UGC scenario and read
//! the backtest. The data are built so that September reproduces the UGC scenario's own
//! drivers, which makes every calibrated number checkable by hand.

mod support;

use support::home::{Home, text};

/// One datapoint a day for every day of August and September 2026 and the first ten days of
/// October. Per day, for the UGC scenario (720p 3,128 kbps and 360p 896 kbps, watched 60/40,
/// 2 % packaging overhead):
/// - 300,000 watched minutes: 2,235.2 kbps × 60 s ÷ 8 × 1.02 = 17,099,280 bytes a minute
///   watched, and players fetch 10 % more than is watched (half the 2.5-minute sessions end
///   early, leaving 30 s buffered: 1 + 0.5 × 30 ÷ 150), so 5,642,762,400,000 bytes sent;
/// - 1,000,000 requests at a 96 % hit rate;
/// - 2,000 minutes of content, each rung an output: 120,000,000 ms of HD and of SD;
/// - a library of 1,200,000 minutes: (3,128 + 896) kbps × 60 ÷ 8 × 1.02 = 30,783,600 bytes a
///   minute; with the month's 60,000 minutes of uploads held half the month on average,
///   1,230,000 minute-months: 37,863,828,000,000 bytes in S3 Standard.
fn three_months_csv() -> String {
    let days = (1..=31)
        .map(|d| format!("2026-08-{d:02}"))
        .chain((1..=30).map(|d| format!("2026-09-{d:02}")))
        .chain((1..=10).map(|d| format!("2026-10-{d:02}")));
    support::usage_days::csv(days)
}

/// Writes `lines` under the usage CSV header into `name` in `home`, and imports it.
fn import_lines(home: &Home, name: &str, lines: &[&str]) -> std::process::Output {
    let path = home.dir.join(name);
    let mut text = String::from("timestamp,namespace,metric,dimensions,statistic,value\n");
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    home.run(&["usage", "import", path.to_str().unwrap()])
}

/// `usage calibrate` of the shipped UGC scenario from `home`'s store, written to `out_file`.
fn calibrate_ugc_into(home: &Home, out_file: &std::path::Path) -> std::process::Output {
    home.run(&[
        "usage",
        "calibrate",
        "scenarios/ugc-short-form.toml",
        "-o",
        out_file.to_str().unwrap(),
    ])
}

#[test]
fn import_show_calibrate_and_backtest() {
    let home = Home::new("flow");
    let csv = home.dir.join("actuals.csv");
    std::fs::write(&csv, three_months_csv()).unwrap();

    let out = home.run(&["usage", "import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // 71 days × 6 series.
    assert!(
        text(&out.stdout).contains("426 new datapoint(s)"),
        "{}",
        text(&out.stdout)
    );
    // A second import of the same data adds nothing.
    let again = home.run(&["usage", "import", csv.to_str().unwrap()]);
    assert!(
        text(&again.stdout).contains(": 0 new datapoint(s), 0 changed value(s) replaced"),
        "{}",
        text(&again.stdout)
    );

    let show = home.run(&["usage", "show"]);
    assert!(show.status.success());
    insta::assert_snapshot!("usage_show", text(&show.stdout));

    let calibrated = home.dir.join("calibrated.toml");
    let out = calibrate_ugc_into(&home, &calibrated);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    // October is partial, so September is the last full month.
    assert!(said.contains("from 2026-09 (30 of 30 days)"), "{said}");
    insta::assert_snapshot!(
        "usage_calibrate",
        said.replace(calibrated.to_str().unwrap(), "[calibrated.toml]")
    );

    let written = std::fs::read_to_string(&calibrated).unwrap();
    for line in [
        "watch_minutes_per_month = 9000000.0",
        "cache_hit_rate = 0.96",
        "new_minutes_per_month = 60000.0   # minutes of source video ingested per month",
        "library_minutes = 1200000.0",
    ] {
        assert!(written.contains(line), "{line} missing from:\n{written}");
    }
    // The rest of the file is untouched, comments included.
    let original = std::fs::read_to_string("scenarios/ugc-short-form.toml").unwrap();
    assert_eq!(written.lines().count(), original.lines().count());
    let estimate = home.run(&["estimate", calibrated.to_str().unwrap(), "--format", "json"]);
    assert!(estimate.status.success(), "{}", text(&estimate.stderr));

    // A file saved with CRLF line endings, without a hit rate: the line calibrate adds ends
    // in CRLF like the rest.
    let crlf = home.dir.join("crlf.toml");
    let without_hit_rate: String = original
        .lines()
        .filter(|l| !l.starts_with("cache_hit_rate"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    std::fs::write(&crlf, &without_hit_rate).unwrap();
    let out_crlf = home.dir.join("crlf-calibrated.toml");
    let out = home.run(&[
        "usage",
        "calibrate",
        crlf.to_str().unwrap(),
        "-o",
        out_crlf.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&out_crlf).unwrap();
    assert!(
        written.contains("\r\ncache_hit_rate = 0.96\r\n"),
        "{written:?}"
    );
    assert_eq!(
        written.matches('\n').count(),
        written.matches("\r\n").count()
    );
    assert_eq!(
        written.matches("\r\n").count(),
        without_hit_rate.matches("\r\n").count() + 1
    );

    // October has 10 of its 31 days: a month named to calibrate from must be whole.
    let out = home.run(&[
        "usage",
        "calibrate",
        "scenarios/ugc-short-form.toml",
        "--month",
        "2026-10",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("the usage store has 10 of the 31 days of 2026-10"),
        "{err}"
    );
    assert!(err.contains("hint: name a full month"), "{err}");
}

/// A header a spreadsheet wrote with every name quoted is the header; a file whose lines end
/// with a lone carriage return is refused in one line, not echoed whole nor read as empty.
#[test]
fn a_quoted_header_reads_and_old_mac_line_ends_are_refused() {
    let home = Home::new("headers");
    let line = "2026-09-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,5";
    let quoted = home.dir.join("quoted.csv");
    std::fs::write(
        &quoted,
        format!("\"timestamp\",\"namespace\",\"metric\",\"dimensions\",\"statistic\",\"value\"\n{line}\n"),
    )
    .unwrap();
    let out = home.run(&["usage", "import", quoted.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 new datapoint(s)"),
        "{}",
        text(&out.stdout)
    );
    let mac = home.dir.join("mac.csv");
    let long: String = (0..500).map(|_| format!("{line}\r")).collect();
    std::fs::write(
        &mac,
        format!("timestamp,namespace,metric,dimensions,statistic,value\r{long}"),
    )
    .unwrap();
    let out = home.run(&["usage", "import", mac.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("mac.csv:1: lines end with a lone carriage return"),
        "{err}"
    );
    assert!(err.len() < 400, "{err}");
}

#[test]
fn bad_usage_files_say_which_line() {
    let home = Home::new("bad");
    let csv = home.dir.join("bad.csv");
    std::fs::write(
        &csv,
        "timestamp,namespace,metric,dimensions,statistic,value\n\
         2026-09-01T00:00:00Z,AWS/CloudFront,Requests,Region=Global,Sum,10\n\
         yesterday,AWS/CloudFront,Requests,Region=Global,Sum,10\n\
         2026-09-02T00:00:00Z,AWS/CloudFront,Requests,Region=Global,Sum,-4\n\
         2026-09-02T00:00:00Z,AWS/CloudFront,CacheHitRate,Region=Global,Average,500\n",
    )
    .unwrap();
    let out = home.run(&["usage", "import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.csv:3: `yesterday` is not a UTC timestamp"),
        "{err}"
    );
    assert!(err.contains("bad.csv:4: `-4` is not a value"), "{err}");
    assert!(
        err.contains("bad.csv:5: CacheHitRate is 500, over 100 %"),
        "{err}"
    );
    // A file whose only fault is a percentage over 100 is refused too (its columns read
    // well, so the line-by-line reader is asked to name the line).
    let only = home.dir.join("rate.csv");
    std::fs::write(
        &only,
        "timestamp,namespace,metric,dimensions,statistic,value\n\
         2026-09-01T00:00:00Z,AWS/CloudFront,CacheHitRate,Region=Global,Average,96.5\n\
         2026-09-01T00:01:00Z,AWS/CloudFront,CacheHitRate,Region=Global,Average,296\n",
    )
    .unwrap();
    let out = home.run(&["usage", "import", only.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("rate.csv:3: CacheHitRate is 296, over 100 %"),
        "{}",
        text(&out.stderr)
    );
    assert!(err.contains("hint:"));
    // A byte that is not UTF-8 in the first datapoint is named at its own line, 2, not at
    // the header's.
    let latin1 = home.dir.join("latin1.csv");
    let mut bytes = b"timestamp,namespace,metric,dimensions,statistic,value\n".to_vec();
    bytes.extend_from_slice(
        b"2026-09-01T00:00:00Z,AWS/CloudFront,Requests,Region=Gl\xe9bal,Sum,10\n",
    );
    std::fs::write(&latin1, bytes).unwrap();
    let out = home.run(&["usage", "import", latin1.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "latin1.csv:2: the dimensions field is not UTF-8 text\nhint: save the file as UTF-8"
        ),
        "{}",
        text(&out.stderr)
    );
    // Nothing was stored.
    let show = home.run(&["usage", "show"]);
    assert!(text(&show.stdout).contains("the usage store is empty"));
    // Without a full month there is nothing to calibrate from.
    let out = home.run(&["usage", "calibrate", "scenarios/ugc-short-form.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no full month"));
    // A month that is no month says so, not that the store lacks it.
    let out = home.run(&[
        "usage",
        "calibrate",
        "scenarios/ugc-short-form.toml",
        "--month",
        "2026-13",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--month `2026-13` is not a month"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn export_round_trips_the_store() {
    let home = Home::new("export");
    let csv = home.dir.join("actuals.csv");
    let data = three_months_csv();
    std::fs::write(&csv, &data).unwrap();
    assert!(
        home.run(&["usage", "import", csv.to_str().unwrap()])
            .status
            .success()
    );
    let out = home.run(&["usage", "export"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let exported = text(&out.stdout);
    let sorted = |t: &str| {
        let mut l: Vec<String> = t.lines().map(str::to_string).collect();
        l.sort();
        l
    };
    assert_eq!(sorted(&exported), sorted(&data));
    // Written a month at a time, the export is still in time order across the months.
    let times: Vec<&str> = exported
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(times.len() > 1 && times.windows(2).all(|w| w[0] <= w[1]));
    assert!(times.first() < times.last() && times[0][..7] != times[times.len() - 1][..7]);
    // To a file: the same bytes.
    let file = home.dir.join("export.csv");
    let written = home.run(&["usage", "export", "-o", file.to_str().unwrap()]);
    assert!(written.status.success(), "{}", text(&written.stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), exported);
}

/// CloudWatch's dimensions are a set: one datapoint written with its dimensions in another
/// order is the same datapoint, not a second series that doubles the month's bytes.
#[test]
fn dimensions_in_another_order_are_the_same_series() {
    let home = Home::new("dimension-order");
    let csv = home.dir.join("twice.csv");
    let header = "timestamp,namespace,metric,dimensions,statistic,value\n";
    let line = |dims: &str| {
        format!("2026-09-01T00:00:00Z,AWS/CloudFront,BytesDownloaded,{dims},Sum,1000000000000\n")
    };
    let data = format!(
        "{header}{}{}",
        line("DistributionId=E1;Region=Global"),
        line("Region=Global;DistributionId=E1")
    );
    std::fs::write(&csv, &data).unwrap();
    let out = home.run(&["usage", "import", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(" 1 new datapoint(s)"),
        "{}",
        text(&out.stdout)
    );
    let exported = text(&home.run(&["usage", "export"]).stdout);
    assert_eq!(
        exported,
        format!("{header}{}", line("DistributionId=E1;Region=Global"))
    );
}

/// A file that gives one datapoint two values contradicts itself. Its later line is kept, as
/// an import replaces what is stored (an export appended to a fresher one reads as the
/// fresher), but never unseen: the summary names both lines. The same value twice is only a
/// repeat, and says nothing.
#[test]
fn a_file_that_gives_one_datapoint_two_values_says_so() {
    let home = Home::new("contradiction");
    let csv = home.dir.join("twice.csv");
    // Imports `lines` as the file's datapoints; what the summary says.
    let import = |lines: &str| {
        std::fs::write(
            &csv,
            format!("timestamp,namespace,metric,dimensions,statistic,value\n{lines}"),
        )
        .unwrap();
        let out = home.run(&["usage", "import", csv.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let said = import(
        "2026-09-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,10\n\
         2026-09-01T00:00:00Z,AWS/CloudFront,Requests,Region=Global;DistributionId=E1,Sum,10\n\
         2026-09-02T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,7\n\
         2026-09-01T00:00:00Z,AWS/CloudFront,Requests,Region=Global;DistributionId=E1,Sum,12\n",
    );
    assert!(
        said.contains(
            "twice.csv:5: AWS/CloudFront Requests (Sum, DistributionId=E1;Region=Global) at 2026-09-01T00:00:00Z is 12 here but 10 on line 2, and 10 on line 3\nhint: "
        ),
        "{said}"
    );
    assert!(said.contains("\nwarning: "), "{said}");
    assert!(said.contains(": 2 new datapoint(s)"), "{said}");
    let exported = text(&home.run(&["usage", "export"]).stdout);
    assert!(
        exported.contains(
            "2026-09-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,12\n"
        ),
        "{exported}"
    );
    // The same value twice: a repeat, imported once, with no warning.
    let said = import(
        "2026-09-03T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,5\n\
         2026-09-03T00:00:00Z,AWS/CloudFront,Requests,Region=Global;DistributionId=E1,Sum,5.0\n",
    );
    assert!(said.contains(": 1 new datapoint(s), 0 changed"), "{said}");
    assert!(!said.contains("warning"), "{said}");
    // A stored datapoint given another value is replaced, and that is no contradiction.
    let said = import(
        "2026-09-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,11\n",
    );
    assert!(
        said.contains(": 0 new datapoint(s), 1 changed value(s) replaced"),
        "{said}"
    );
    assert!(!said.contains("warning"), "{said}");
}

/// The files of the usage store, by month, with their bytes and modification times.
fn partitions(home: &Home) -> std::collections::BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    let dir = home.data().join("ladderwise/usage");
    std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let month = name.strip_prefix("month=")?.to_string();
            let part = e.path().join("part.parquet");
            let time = std::fs::metadata(&part).ok()?.modified().ok()?;
            Some((month, (std::fs::read(&part).ok()?, time)))
        })
        .collect()
}

#[test]
fn an_import_rewrites_only_the_months_it_touches() {
    let home = Home::new("partitions");
    let csv = home.dir.join("actuals.csv");
    std::fs::write(&csv, three_months_csv()).unwrap();
    assert!(
        home.run(&["usage", "import", csv.to_str().unwrap()])
            .status
            .success()
    );
    let before = partitions(&home);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        ["2026-08", "2026-09", "2026-10"]
    );
    // One datapoint replaced and one added, both in October.
    let out = import_lines(
        &home,
        "october.csv",
        &[
            "2026-10-10T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E2EXAMPLE;Region=Global,Sum,2000000",
            "2026-10-11T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E2EXAMPLE;Region=Global,Sum,1000000",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(": 1 new datapoint(s), 1 changed value(s) replaced"),
        "{}",
        text(&out.stdout)
    );
    let after = partitions(&home);
    assert_eq!(after["2026-08"], before["2026-08"]);
    assert_eq!(after["2026-09"], before["2026-09"]);
    assert_ne!(after["2026-10"].0, before["2026-10"].0);
    // October: 10 days of 1,000,000 requests, the 10th now 2,000,000, and the 11th: 12,000,000.
    let show = text(&home.run(&["usage", "show"]).stdout);
    let line = show.lines().find(|l| l.starts_with("2026-10")).unwrap();
    assert!(line.contains("12,000,000"), "{show}");
}

/// `rows` datapoints of one series, a minute apart from `start` (milliseconds since 1970).
fn minute_series_csv(metric: &str, start_ms: i64, rows: usize) -> String {
    let mut out = String::from("timestamp,namespace,metric,dimensions,statistic,value\n");
    for i in 0..rows {
        let t = start_ms / 1000 + 60 * i as i64;
        let (d, s) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        // 2026-08-01 is day 20,666 since 1970; the series stay inside August and September.
        let day = d - 20_666;
        let (month, dom) = if day < 31 {
            (8, day + 1)
        } else {
            (9, day - 30)
        };
        out.push_str(&format!(
            "2026-{month:02}-{dom:02}T{:02}:{:02}:00Z,AWS/CloudFront,{metric},DistributionId=E2EXAMPLE;Region=Global,Sum,{}\n",
            s / 3600,
            s % 3600 / 60,
            i % 1000
        ));
    }
    out
}

/// Two imports at once, of disjoint files, both land: each reads and rewrites the months
/// under the store's lock, so the second waits for the first instead of overwriting it.
#[test]
fn concurrent_imports_both_land() {
    let home = Home::new("concurrent");
    let start = 1_785_542_400_000; // 2026-08-01T00:00:00Z
    let a = home.dir.join("a.csv");
    let b = home.dir.join("b.csv");
    std::fs::write(&a, minute_series_csv("Requests", start, 60_000)).unwrap();
    std::fs::write(&b, minute_series_csv("BytesDownloaded", start, 60_000)).unwrap();
    for round in 0..3 {
        let _ = std::fs::remove_dir_all(home.data());
        let first = home
            .command(&["usage", "import", a.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let second = home
            .command(&["usage", "import", b.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}");
            assert!(
                text(&out.stdout).contains(": 60000 new datapoint(s)"),
                "round {round}: {}",
                text(&out.stdout)
            );
        }
        let export = home.run(&["usage", "export"]);
        assert!(export.status.success(), "{}", text(&export.stderr));
        let lines = text(&export.stdout);
        let count = |metric: &str| lines.lines().filter(|l| l.contains(metric)).count();
        assert_eq!(
            (count(",Requests,"), count(",BytesDownloaded,")),
            (60_000, 60_000),
            "round {round}: the store lost an import"
        );
    }
}

/// An import that must wait for another writer says so on stderr, then lands once the other
/// writer lets go: a wait behind a large import is never a silent hang.
#[test]
fn an_import_waiting_for_another_writer_says_so() {
    use std::io::BufRead;
    let home = Home::new("lock-wait");
    let store = home.data().join("ladderwise").join("usage");
    std::fs::create_dir_all(&store).unwrap();
    // This test is the other writer: it holds the store's lock as an import would.
    let held = std::fs::File::create(store.join(".lock")).unwrap();
    held.lock().unwrap();
    let csv = home.dir.join("one.csv");
    std::fs::write(&csv, minute_series_csv("Requests", 1_785_542_400_000, 10)).unwrap();
    let mut child = home
        .command(&["usage", "import", csv.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = stderr.read_line(&mut first);
        let _ = said.send(first);
    });
    // A silent wait would last as long as the lock is held: give up on it after a minute.
    let Ok(first) = heard.recv_timeout(std::time::Duration::from_secs(60)) else {
        let _ = child.kill();
        panic!("the import waited for the lock without a word");
    };
    assert!(
        first.starts_with("waiting for another ladderwise command or the app to finish writing ")
            && first.trim_end().ends_with("usage"),
        "{first}"
    );
    // Still waiting: nothing was imported while the lock is held.
    assert!(child.try_wait().unwrap().is_none());
    drop(held);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains(": 10 new datapoint(s)"),
        "{}",
        text(&out.stdout)
    );
    // Without another writer, nothing is said.
    let again = home.run(&["usage", "import", csv.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(
        !text(&again.stderr).contains("waiting"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn export_ends_quietly_when_the_reader_stops_and_says_so_when_the_disk_is_full() {
    let home = Home::new("export-streams");
    let csv = home.dir.join("usage.csv");
    // Hourly datapoints of three months: an export far larger than a pipe's buffer.
    let mut data = String::from(ladderwise_app::usage::HEADER);
    data.push('\n');
    for day in 0..92 {
        let (month, d) = match day {
            0..=30 => (8, day + 1),
            31..=60 => (9, day - 30),
            _ => (10, day - 60),
        };
        for h in 0..24 {
            data.push_str(&format!(
                "2026-{month:02}-{d:02}T{h:02}:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,{}\n",
                day * 24 + h
            ));
        }
    }
    std::fs::write(&csv, &data).unwrap();
    let imported = home.run(&["usage", "import", csv.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));

    // A reader that takes the first line and goes (`| head -1`): exit 0, nothing on stderr.
    let mut child = home
        .command(&["usage", "export"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    assert!(first.starts_with(b"timestamp,namespace"));
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{:?} {}",
        out.status,
        text(&out.stderr)
    );
    assert_eq!(text(&out.stderr), "");

    // Standard output on a full device: the machine's failure (exit 1), in words.
    let full = std::fs::File::options()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = home
        .command(&["usage", "export"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.starts_with("cannot write the output: "), "{said}");
    assert!(said.contains("\nhint: check the disk"), "{said}");
}

/// A series CloudWatch could not have sent (an unknown statistic, a dimension that is not
/// Name=Value, no namespace) is named at its line and nothing is stored; a month with
/// CloudFront data alone shows its transcode and storage figures as n/a, not 0.
#[test]
fn series_cloudwatch_could_not_send_are_refused_and_missing_figures_are_na() {
    let home = Home::new("usage-series");
    let out = import_lines(
        &home,
        "bad.csv",
        &[
            "2026-11-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E2EXAMPLE;Region=Global,Bogus,5",
            "2026-11-01T00:00:00Z,AWS/CloudFront,Requests,DistributionIdE2EXAMPLE,Sum,5",
            "2026-11-01T00:00:00Z,,Requests,DistributionId=E2EXAMPLE;Region=Global,Sum,5",
            "2026-11-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E2EXAMPLE;Region=Global,p99.9,5",
            "2026-11-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E2EXAMPLE;Region=Global,p150,5",
            "2026-11-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;DistributionId=E2,Sum,5",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for says in [
        "bad.csv:2: `Bogus` is not a CloudWatch statistic",
        "bad.csv:3: the dimension `DistributionIdE2EXAMPLE` is not Name=Value",
        "bad.csv:4: the namespace is empty",
        "bad.csv:6: `p150` is not a CloudWatch statistic",
        "bad.csv:7: the dimension `DistributionId` is given twice",
    ] {
        assert!(err.contains(says), "{err}");
    }
    assert!(!err.contains("bad.csv:5"), "p99.9 is a statistic: {err}");
    let show = text(&home.run(&["usage", "show"]).stdout);
    assert!(show.contains("the usage store is empty"), "{show}");
    // CloudFront alone, one day of November.
    let out = import_lines(
        &home,
        "cloudfront.csv",
        &[
            "2026-11-01T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E2EXAMPLE;Region=Global,Sum,5",
            "2026-11-01T00:00:00Z,AWS/CloudFront,BytesDownloaded,DistributionId=E2EXAMPLE;Region=Global,Sum,5000",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let show = text(&home.run(&["usage", "show"]).stdout);
    let november = show.lines().find(|l| l.starts_with("2026-11")).unwrap();
    assert_eq!(november.matches("n/a").count(), 3, "{november}");
}

/// A month is as full as its bytes delivered: an error rate reported every day does not make
/// a month with ten days of bytes delivered a full one (calibrating from it would call a
/// third of the month's watch time the month's). Spaces typed around a dimension are the
/// same series, not a second one counted twice; a value past 1e21 is refused at its line
/// rather than stored and summed to 0.
#[test]
fn a_month_is_as_full_as_its_bytes_delivered() {
    let home = Home::new("usage-coverage");
    let mut lines: Vec<String> = (1..=30)
        .map(|d| {
            format!("2026-09-{d:02}T00:00:00Z,AWS/CloudFront,4xxErrorRate,DistributionId=E1;Region=Global,Average,0.5")
        })
        .collect();
    lines.extend((1..=10).map(|d| {
        format!("2026-09-{d:02}T00:00:00Z,AWS/CloudFront,BytesDownloaded,DistributionId=E1;Region=Global,Sum,1000000000000")
    }));
    // The same datapoints with spaces after the `;` and around `=`.
    lines.extend((1..=10).map(|d| {
        format!("2026-09-{d:02}T00:00:00Z,AWS/CloudFront,BytesDownloaded,DistributionId=E1; Region = Global,Sum,1000000000000")
    }));
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let out = import_lines(&home, "coverage.csv", &refs);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let show = text(&home.run(&["usage", "show"]).stdout);
    let september = show.lines().find(|l| l.starts_with("2026-09")).unwrap();
    assert!(september.contains("10/30"), "{show}");
    // Ten days of 10^12 bytes, counted once: 9.09 AWS TB.
    assert!(september.contains(" 9.09 "), "{show}");
    let out = home.run(&[
        "usage",
        "calibrate",
        "scenarios/ugc-short-form.toml",
        "--month",
        "2026-09",
    ]);
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("has 10 of the 30 days of 2026-09"), "{said}");
    assert_eq!(out.status.code(), Some(2), "{said}");

    let out = import_lines(
        &home,
        "huge.csv",
        &[
            "2026-09-01T00:00:00Z,AWS/S3,BucketSizeBytes,BucketName=b;StorageType=StandardStorage,Average,1e300",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("huge.csv:2: `1e300` is not a value"),
        "{}",
        text(&out.stderr)
    );
}

/// One series at two periods over the same days would be summed twice (an hourly and a daily
/// export of one metric): the second import is refused, naming the series and both periods,
/// and nothing of it is stored. A coarser period before a finer one (what a pull does as
/// CloudWatch's retention coarsens older data) is not a clash.
#[test]
fn one_series_at_two_periods_over_the_same_days_is_refused() {
    let home = Home::new("usage-periods");
    let series = "AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum";
    let hourly: Vec<String> = (0..48)
        .map(|h| {
            format!(
                "2026-09-{:02}T{:02}:00:00Z,{series},100",
                1 + h / 24,
                h % 24
            )
        })
        .collect();
    let refs: Vec<&str> = hourly.iter().map(String::as_str).collect();
    assert!(import_lines(&home, "hourly.csv", &refs).status.success());
    let out = import_lines(
        &home,
        "daily.csv",
        &[
            &format!("2026-09-01T00:00:00Z,{series},2400"),
            &format!("2026-09-02T00:00:00Z,{series},2400"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("daily.csv: AWS/CloudFront Requests (DistributionId=E1;Region=Global) is given every 1 day but the store has it every 1 hour in 2026-09"),
        "{err}"
    );
    assert!(err.contains("\nhint: keep one period per series"), "{err}");
    let show = text(&home.run(&["usage", "show"]).stdout);
    assert!(show.contains("4,800"), "{show}");
    // Minutes from 23:01, after the last stored hour's timestamp but inside its hour: they
    // would count again what the 23:00 datapoint holds.
    let out = import_lines(
        &home,
        "minutes.csv",
        &[
            &format!("2026-09-02T23:01:00Z,{series},1"),
            &format!("2026-09-02T23:02:00Z,{series},1"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("is given every 1 minute but the store has it every 1 hour"),
        "{}",
        text(&out.stderr)
    );
    // Daily datapoints after the hourly ones: periods one after the other.
    let out = import_lines(
        &home,
        "later.csv",
        &[
            &format!("2026-09-10T00:00:00Z,{series},2400"),
            &format!("2026-09-11T00:00:00Z,{series},2400"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The same daily series at another time of day (an export aligned to a local midnight):
    // each datapoint lies inside a stored day, so it is refused too, one datapoint or many.
    let series = "AWS/CloudFront,BytesDownloaded,DistributionId=E1;Region=Global,Sum";
    let days: Vec<String> = (10..=20)
        .map(|d| format!("2026-09-{d}T00:00:00Z,{series},1000000"))
        .collect();
    let refs: Vec<&str> = days.iter().map(String::as_str).collect();
    assert!(import_lines(&home, "days.csv", &refs).status.success());
    for (file, lines) in [
        (
            "shifted.csv",
            vec![
                format!("2026-09-10T05:00:00Z,{series},2400"),
                format!("2026-09-11T05:00:00Z,{series},2400"),
            ],
        ),
        (
            "one-shifted.csv",
            vec![format!("2026-09-11T05:00:00Z,{series},2400")],
        ),
    ] {
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let out = import_lines(&home, file, &refs);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = text(&out.stderr);
        assert!(
            err.contains("BytesDownloaded (DistributionId=E1;Region=Global) is given every 1 day as the store has it, but at other times of the period (5 hours after the store's) in 2026-09"),
            "{file}: {err}"
        );
    }
    // At the store's times it replaces what is stored, as ever.
    let out = import_lines(
        &home,
        "again.csv",
        &[&format!("2026-09-11T00:00:00Z,{series},2400")],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// A month that measured nothing is not a month without data: calibrated from 31 days of
/// 0 bytes delivered, watch time is 0 (and said so). A month that measured more than a
/// scenario can price is refused before anything is written, not written for the next
/// command to refuse. A month with requests but no bytes delivered shows bytes as n/a.
#[test]
fn calibrate_writes_what_was_measured_and_only_a_scenario_that_reads() {
    let series = "AWS/CloudFront,BytesDownloaded,DistributionId=E1;Region=Global,Sum";
    let month = |value: &str| -> Vec<String> {
        (1..=31)
            .map(|d| format!("2026-10-{d:02}T00:00:00Z,{series},{value}"))
            .collect()
    };
    // A store of that month at `value` a day, and `calibrate -o` of the shipped UGC from it.
    let calibrated = |name: &str, value: &str| {
        let home = Home::new(name);
        let days = month(value);
        let refs: Vec<&str> = days.iter().map(String::as_str).collect();
        assert!(import_lines(&home, "month.csv", &refs).status.success());
        let out_file = home.dir.join("calibrated.toml");
        let out = calibrate_ugc_into(&home, &out_file);
        // The home too: its directory is removed when it is dropped.
        (out, out_file, home)
    };
    let (out, out_file, _home) = calibrated("usage-zero", "0");
    let said = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        said.contains("measured 0 bytes in 2026-10: watch time set to 0"),
        "{said}"
    );
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        written.contains("watch_minutes_per_month = 0.0"),
        "{written}"
    );

    let (out, out_file, _home) = calibrated("usage-huge", "1e21");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let err = text(&out.stderr);
    assert!(err.contains("the values calibrated from 2026-10 make a scenario that is refused, so nothing was written"), "{err}");
    assert!(err.contains("watch_minutes_per_month"), "{err}");
    assert!(!out_file.exists());

    let home = Home::new("usage-requests-only");
    let requests: Vec<String> = (1..=30)
        .map(|d| format!("2026-09-{d:02}T00:00:00Z,AWS/CloudFront,Requests,DistributionId=E1;Region=Global,Sum,1000"))
        .collect();
    let refs: Vec<&str> = requests.iter().map(String::as_str).collect();
    assert!(import_lines(&home, "requests.csv", &refs).status.success());
    let show = text(&home.run(&["usage", "show"]).stdout);
    let september = show.lines().find(|l| l.starts_with("2026-09")).unwrap();
    let cells: Vec<&str> = september.split_whitespace().collect();
    assert_eq!(cells[2], "n/a", "bytes delivered: {september}");
    assert_eq!(cells[3], "30,000", "requests: {september}");
}

/// Ctrl-C while an import writes its months: the command ends with 130 and says so, the
/// temporary file of the month being written is removed rather than left for the next
/// import to find, and the store holds whole months only (it still reads).
#[test]
fn an_import_interrupted_while_writing_leaves_no_temporary_file() {
    let home = Home::new("interrupted");
    // Hourly datapoints of 300 distributions over three months: months large enough that
    // their writes are in flight long enough to be interrupted.
    let mut csv = String::from(ladderwise_app::usage::HEADER);
    csv.push('\n');
    for (month, days) in [(1, 31), (2, 28), (3, 31)] {
        for day in 1..=days {
            for hour in 0..24 {
                for d in 0..300 {
                    csv.push_str(&format!(
                        "2026-{month:02}-{day:02}T{hour:02}:00:00Z,AWS/CloudFront,BytesDownloaded,DistributionId=E{d};Region=Global,Sum,1000000\n"
                    ));
                }
            }
        }
    }
    let file = home.dir.join("big.csv");
    std::fs::write(&file, csv).unwrap();
    let store = home.data().join("ladderwise").join("usage");
    let temps = || -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![store.clone()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else if e.file_name().to_string_lossy().ends_with(".tmp") {
                    out.push(e.path());
                }
            }
        }
        out
    };
    let mut child = home
        .command(&["usage", "import", file.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while temps().is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before a write was seen in flight"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "no write in five minutes"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("interrupted"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(temps(), Vec::<std::path::PathBuf>::new());
    let shown = home.run(&["usage", "show"]);
    assert!(shown.status.success(), "{}", text(&shown.stderr));
}
