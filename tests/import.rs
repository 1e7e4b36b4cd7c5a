//! `ladderwise import` end to end: the real binary on real files (copies of the import
//! crate's fixtures in `tests/fixtures/imports/`). The written scenario of the tutorial's job,
//! the ladders of an HLS playlist and a DASH manifest, the JSON and the error messages are
//! goldens; every imported scenario is then priced by `ladderwise estimate`, which must
//! succeed.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use support::home::Home;

const FIXTURES: &str = "tests/fixtures/imports";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Imports `args` into `home/<out>` with `-o`, then prices it: returns the scenario written,
/// the import's stderr and the estimate's JSON.
fn check(home: &Home, args: &[&str], out: &str) -> (String, String, Value) {
    let out = home.dir.join(out);
    let out_arg = out.to_str().unwrap();
    let mut all: Vec<&str> = vec!["import"];
    all.extend(args);
    all.extend(["-o", out_arg]);
    let imported = home.run(&all);
    assert!(imported.status.success(), "{args:?}: {}", stderr(&imported));
    assert!(
        stdout(&imported).starts_with("wrote a scenario with the "),
        "{}",
        stdout(&imported)
    );
    let scenario = std::fs::read_to_string(&out).unwrap();
    // The import's own stdout, without -o, is the same scenario.
    let printed = home.run(&all[..all.len() - 2]);
    assert_eq!(stdout(&printed), scenario);
    let priced = home.run(&["estimate", out_arg, "--format", "json"]);
    assert!(
        priced.status.success(),
        "the imported scenario does not price: {}",
        stderr(&priced)
    );
    let estimate: Value = serde_json::from_str(&stdout(&priced)).unwrap();
    (scenario, stderr(&imported), estimate)
}

fn rung_names(estimate: &Value) -> Vec<String> {
    estimate["rungs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rung"].as_str().unwrap().to_string())
        .collect()
}

fn total(estimate: &Value) -> f64 {
    estimate["total_usd"].as_str().unwrap().parse().unwrap()
}

#[test]
fn the_tutorial_job_imports_to_its_two_hls_rungs_and_prices() {
    let home = Home::new("import-seed");
    let (scenario, messages, estimate) =
        check(&home, &[&fixture("seed-job-settings.json")], "seed.toml");
    insta::assert_snapshot!("import_seed_job_settings", scenario);
    insta::assert_snapshot!("import_seed_job_settings_stderr", messages);
    assert_eq!(rung_names(&estimate), ["360p", "720p"]);
    assert!(
        scenario.contains("\n[ladder]\nsegment_seconds = 6\n"),
        "{scenario}"
    );
    assert!(scenario.contains("width = 640\nheight = 360\n"));
    assert!(scenario.contains("width = 1280\nheight = 720\n"));
    assert!(scenario.contains("# Watch shares are assumed"));
    assert!(total(&estimate) > 0.0);
    assert_eq!(estimate["complete"], true);
    // Assumptions, the download rendition left out and the shares, on stderr only.
    assert!(messages.contains("FramerateControl: the frame rate follows the source"));
    assert!(messages.contains("left out: tests/fixtures/imports/seed-job-settings.json $.OutputGroups[0].Outputs[0]: 1920x1080 avc 4500 kbps MP4: download rendition"));
    assert!(messages.contains("warning: watch shares are assumed"));
    assert!(!scenario.contains("left out"));
}

#[test]
fn an_hls_playlist_and_a_dash_manifest_import_and_price() {
    let home = Home::new("import-hls-dash");
    let (hls, messages, estimate) = check(&home, &[&fixture("hls-audio-groups.m3u8")], "hls.toml");
    insta::assert_snapshot!("import_hls_audio_groups", hls);
    assert_eq!(rung_names(&estimate), ["540p_1200", "1080p_3400"]);
    assert!(
        hls.contains("audio = \"separate\"\naudio_kbps = 192\n"),
        "{hls}"
    );
    assert!(hls.contains("codec = \"hevc\""));
    assert!(messages.contains("counted once"), "{messages}");

    let (dash, _, estimate) = check(&home, &[&fixture("dash-template.mpd")], "dash.toml");
    insta::assert_snapshot!("import_dash_template", dash);
    assert_eq!(
        rung_names(&estimate),
        ["360p_800", "720p_2500", "1080p_5000"]
    );
    assert!(dash.contains("\n[ladder]\nsegment_seconds = 6\n"), "{dash}");
    assert!(dash.contains("# tests/fixtures/imports/dash-template.mpd:10\n[[ladder.rungs]]"));
}

#[test]
fn into_replaces_only_the_ladder_and_keeps_the_comments() {
    let home = Home::new("import-into");
    let mine = home.dir.join("mine.toml");
    let original = read(Path::new("scenarios/premium-ott.toml"));
    std::fs::write(&mine, &original).unwrap();
    let mine_arg = mine.to_str().unwrap();
    let job = fixture("seed-job-settings.json");
    let (out, said, estimate) = check(&home, &[&job, "--into", mine_arg], "mine-new.toml");
    assert!(
        said.contains("note: transcode.passes = 1: the outputs' encoding passes"),
        "{said}"
    );
    // The file given to --into is not changed.
    assert_eq!(read(&mine), original);
    // Everything before the first rung's comments, and from [audience] on, is as it was but
    // for the segment length, the container's overhead (an HLS group writes MPEG-TS) and the
    // encoding passes, which the job states (its outputs set no QualityTuningLevel: a single
    // pass, where the file had two), and says.
    let head = &original[..original.find("# Apple HLS authoring spec").unwrap()];
    let tail = &original[original.find("[audience]").unwrap()..];
    let head = head
        .replace("segment_seconds = 4", "segment_seconds = 6")
        .replace(
            "packaging_overhead = 0.02\n",
            "packaging_overhead = 0.05  # MPEG-TS segments, as the file writes them\n",
        );
    assert!(out.starts_with(&head), "{out}");
    assert!(tail.contains("\npasses = 2\n"));
    assert!(
        out.ends_with(&tail.replace("\npasses = 2\n", "\npasses = 1\n")),
        "{out}"
    );
    assert!(!out.contains("# Apple HLS authoring spec"));
    assert!(out.contains(
        "# Imported from tests/fixtures/imports/seed-job-settings.json (MediaConvert job settings)."
    ));
    assert_eq!(estimate["scenario"], "Premium OTT service");
    assert_eq!(rung_names(&estimate), ["360p", "720p"]);
    // Writing over the file itself is allowed, and gives the same text.
    let again = home.run(&["import", &job, "--into", mine_arg, "-o", mine_arg]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(read(&mine), out);
}

/// The import replaces the ladder, never the scenario's transcode service: a MediaConvert job
/// into the legacy Elastic Transcoder scenario is priced as Elastic Transcoder, and said so;
/// into a MediaConvert scenario nothing needs saying.
#[test]
fn a_ladder_priced_by_another_service_than_its_file_says_so() {
    let home = Home::new("import-into-service");
    let job = fixture("seed-job-settings.json");
    let legacy = home.dir.join("legacy.toml");
    std::fs::copy("scenarios/legacy-elastic-transcoder.toml", &legacy).unwrap();
    let (_, said, estimate) = check(
        &home,
        &[&job, "--into", legacy.to_str().unwrap()],
        "legacy-new.toml",
    );
    assert!(
        said.contains("note: the scenario's [transcode] service is `elastic-transcoder`: the imported ladder is priced as the discontinued Elastic Transcoder"),
        "{said}"
    );
    assert_eq!(
        estimate["lines"][0]["service_code"], "AmazonETS",
        "{estimate}"
    );
    let premium = home.dir.join("premium.toml");
    std::fs::copy("scenarios/premium-ott.toml", &premium).unwrap();
    let (_, said, _) = check(
        &home,
        &[&job, "--into", premium.to_str().unwrap()],
        "premium-new.toml",
    );
    assert!(!said.contains("[transcode] service"), "{said}");
}

/// A ladder whose audio is separate cannot go into a scenario whose forecast adds rungs with
/// their own audio: the engine's message names each such rung where the user wrote it, in
/// the `--into` file (not in the output, which is not written), with that line's text.
#[test]
fn into_a_scenario_the_ladder_does_not_fit_writes_nothing() {
    let home = Home::new("import-into-conflict");
    let target = home.dir.join("premium-dash.toml");
    let out = home.run(&[
        "import",
        &fixture("dash-template.mpd"),
        "--into",
        "scenarios/premium-ott.toml",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("this rung carries audio, but the ladder's audio is a separate rendition"),
        "{err}"
    );
    assert!(!err.contains("premium-dash.toml"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    let into = read(Path::new("scenarios/premium-ott.toml"));
    let into: Vec<&str> = into.lines().collect();
    let lines = err.lines().collect::<Vec<_>>();
    let mut pointed = 0;
    for (i, l) in lines.iter().enumerate() {
        let Some(at) = l.trim().strip_prefix("--> scenarios/premium-ott.toml:") else {
            assert!(!l.contains("-->"), "{l}");
            continue;
        };
        let line: usize = at.split(':').next().unwrap().parse().unwrap();
        // The snippet two lines below: `N | text`, the file's own line N.
        let shown = lines[i + 2].split_once(" | ").unwrap();
        assert_eq!(shown.0.trim(), line.to_string());
        assert_eq!(shown.1, into[line - 1], "{err}");
        assert!(into[line - 1].starts_with("audio_kbps"), "{err}");
        pointed += 1;
    }
    assert!(pointed > 0, "{err}");
    assert!(!target.exists());
}

#[test]
fn elastic_transcoder_presets_by_id() {
    let home = Home::new("import-ets");
    let (scenario, said, estimate) = check(
        &home,
        &[
            "--ets-preset",
            "1351620000001-000010",
            "--ets-preset",
            "1351620000001-000020",
        ],
        "ets.toml",
    );
    assert_eq!(rung_names(&estimate), ["generic_720p", "generic_480p_16_9"]);
    // Into the default scenario, the presets are priced as MediaConvert, and the import says
    // so rather than leave a legacy ladder silently on another service.
    assert!(
        said.contains("note: the ladder comes from Elastic Transcoder presets and the scenario's [transcode] service is `mediaconvert`"),
        "{said}"
    );
    assert_eq!(
        estimate["lines"][0]["service_code"], "AWSElementalMediaConvert",
        "{estimate}"
    );
    assert!(scenario.contains(
        "# Elastic Transcoder system preset 1351620000001-000010 (Generic 720p)\n[[ladder.rungs]]"
    ));
    assert!(scenario.contains(
        "name = \"Imported from Elastic Transcoder system presets 1351620000001-000010, 1351620000001-000020\""
    ));
}

#[test]
fn json_prints_the_ladder_for_scripts() {
    let home = Home::new("import-json");
    let out = home.run(&[
        "import",
        &fixture("seed-job-settings.json"),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!("import_json_seed_job_settings", stdout(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["format"], "mediaconvert-job");
    assert_eq!(v["segment_seconds"], "6");
    assert_eq!(v["audio"], "muxed");
    assert!(v["separate_audio_kbps"].is_null());
    let rungs = v["rungs"].as_array().unwrap();
    assert_eq!(rungs.len(), 2);
    assert_eq!(rungs[0]["video_kbps"], "800");
    assert_eq!(rungs[1]["audio_kbps"], "128");
    assert_eq!(v["skipped"][0]["rendition"], "1920x1080 avc 4500 kbps MP4");
    // Separate audio is named with its bitrate.
    let hls = home.run(&[
        "import",
        &fixture("hls-audio-groups.m3u8"),
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&hls)).unwrap();
    assert_eq!(v["audio"], "separate");
    assert_eq!(v["separate_audio_kbps"], "192");
    assert!(v["rungs"][0]["audio_kbps"].is_null());
    assert!(v["segment_seconds"].is_null());
    // JSON is the ladder alone: there is no scenario to write it into.
    let into = home.run(&[
        "import",
        &fixture("seed-job-settings.json"),
        "--format",
        "json",
        "--into",
        "scenarios/premium-ott.toml",
    ]);
    assert_eq!(into.status.code(), Some(2));
    assert!(stderr(&into).contains("hint:"));
}

/// Every bad input exits 2 naming the file and the place in it, with a hint, and leaves the
/// `-o` target as it was.
#[test]
fn bad_input_exits_2_with_its_place_and_writes_nothing() {
    let home = Home::new("import-bad");
    let target = home.dir.join("target.toml");
    let target_arg = target.to_str().unwrap();
    let before = "# my scenario, untouched\n";
    std::fs::write(&target, before).unwrap();
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "malformed_json",
            &["tests/fixtures/imports/bad/malformed.json"],
            "malformed.json at line 4, column 23",
        ),
        (
            "media_playlist",
            &["tests/fixtures/imports/bad/media-playlist.m3u8"],
            "media-playlist.m3u8:3:",
        ),
        (
            "unknown_codec",
            &["tests/fixtures/imports/bad/unknown-codec.json"],
            "$.Settings.OutputGroups[0].Outputs[0]",
        ),
        (
            "no_size",
            &["tests/fixtures/imports/bad/no-size.m3u8"],
            "no-size.m3u8:2",
        ),
        (
            "missing_file",
            &["tests/fixtures/imports/no-such-file.json"],
            "no-such-file.json",
        ),
        (
            "unknown_ets_preset",
            &["--ets-preset", "1351620000001-000011"],
            "1351620000001-000011",
        ),
        (
            "not_an_import",
            &["scenarios/premium-ott.toml"],
            "scenarios/premium-ott.toml",
        ),
    ];
    for (name, args, place) in cases {
        let mut all = vec!["import"];
        all.extend(*args);
        all.extend(["-o", target_arg]);
        let out = home.run(&all);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(place), "{name}: {err}");
        assert!(err.contains("\nhint: "), "{name}: {err}");
        assert!(stdout(&out).is_empty(), "{name}");
        insta::assert_snapshot!(format!("import_error_{name}"), err);
        assert_eq!(read(&target), before, "{name}: the target was changed");
    }
    // No temporary file is left beside the target.
    let left: Vec<PathBuf> = std::fs::read_dir(&home.dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "target.toml" && p.file_name().unwrap() != "data")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // A byte that is not UTF-8 is named at its line and column, as in a scenario.
    let latin1 = home.dir.join("latin1.m3u8");
    std::fs::write(
        &latin1,
        b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,NAME=\"Fran\xe7ais\"\na.m3u8\n",
    )
    .unwrap();
    let out = home.run(&["import", latin1.to_str().unwrap(), "-o", target_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "latin1.m3u8:2:65: byte 0xE7 is not UTF-8 text\nhint: save the file as UTF-8"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&target), before);
    // A scenario given to --into with problems of its own: they are named at its lines.
    let out = home.run(&[
        "import",
        &fixture("seed-job-settings.json"),
        "--into",
        "tests/fixtures/bad/many-problems.toml",
        "-o",
        target_arg,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--> tests/fixtures/bad/many-problems.toml:"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&target), before);
    // One that is not TOML at all: its syntax error at its line and column.
    let broken = home.dir.join("broken.toml");
    std::fs::write(&broken, "[scenario\nname = 1\n").unwrap();
    let out = home.run(&[
        "import",
        &fixture("seed-job-settings.json"),
        "--into",
        broken.to_str().unwrap(),
        "-o",
        target_arg,
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("--> {}:1:10", broken.display())),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&target), before);
}

/// An `-o` into a directory that does not exist is the user's input too.
#[test]
fn an_output_that_cannot_be_written_is_bad_input() {
    let home = Home::new("import-unwritable");
    let out = home.run(&[
        "import",
        &fixture("seed-job-settings.json"),
        "-o",
        Path::new("/no/such/dir/new.toml").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot write /no/such/dir/new.toml"));
}
