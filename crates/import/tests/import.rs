//! The import on real files: each fixture's ladder (JSON) and rendered scenario are goldens;
//! every scenario with muxed audio must read back through the scenario parser with the same
//! rungs; separate-audio ones are checked in their text (the engine reads `[ladder] audio`
//! from the next release on).

use std::path::PathBuf;

use ladderwise_import::{
    AudioLayout, ErrorKind, Format, ImportError, ImportedLadder, import, import_ets_presets,
    replace_ladder, scenario_text,
};
use ladderwise_model::Scenario;
use ladderwise_model::scenario::edit::rung_blocks;
use rust_decimal::Decimal;

/// The scenario the CLI renders into.
const TEMPLATE: &str = include_str!("../../../scenarios/ugc-short-form.toml");

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn snapshot_name(name: &str) -> String {
    name.replace(['.', '-', '/'], "_")
}

/// Snapshots a ladder and the scenario rendered from it; reads muxed scenarios back.
fn check_ladder(name: &str, ladder: &ImportedLadder) -> String {
    let snap = snapshot_name(name);
    insta::assert_json_snapshot!(format!("{snap}_ladder"), ladder);
    let scenario = scenario_text(TEMPLATE, ladder, name).unwrap();
    insta::assert_snapshot!(format!("{snap}_scenario"), scenario);
    assert_eq!(rung_blocks(&scenario).unwrap().len(), ladder.rungs.len());
    let sum: Decimal = ladder.rungs.iter().map(|r| r.watch_share).sum();
    assert_eq!(sum, Decimal::ONE, "{name}: shares");
    match &ladder.audio {
        AudioLayout::Muxed => {
            let parsed = Scenario::from_toml(name, &scenario).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(parsed.ladder.rungs.len(), ladder.rungs.len());
            for (p, r) in parsed.ladder.rungs.iter().zip(&ladder.rungs) {
                assert_eq!(p.name, r.name);
                assert_eq!(
                    (p.width, p.height, p.fps, p.codec),
                    (r.width, r.height, r.fps, r.codec)
                );
                assert_eq!(p.watch_share, r.watch_share);
                assert_eq!(p.video.kbps(), r.video_kbps);
                assert_eq!(Some(p.audio.kbps()), r.audio_kbps);
            }
            if let Some(s) = ladder.segment_seconds {
                assert_eq!(parsed.ladder.segment_seconds, s);
            }
            assert!(
                !scenario.contains("\naudio = "),
                "{name}: no ladder audio key"
            );
        }
        AudioLayout::Separate { kbps } => {
            assert!(scenario.contains("\naudio = \"separate\"\n"), "{scenario}");
            assert!(scenario.contains(&format!("\naudio_kbps = {kbps}\n")));
            let rung_audio = scenario
                .lines()
                .filter(|l| l.starts_with("audio_kbps = "))
                .count();
            // One in [ladder], one `audio_kbps = 0` per rung.
            assert_eq!(rung_audio, ladder.rungs.len() + 1);
            assert_eq!(
                scenario.matches("\naudio_kbps = 0\n").count(),
                ladder.rungs.len()
            );
        }
    }
    assert!(scenario.contains("# Watch shares are assumed"));
    for r in &ladder.rungs {
        assert!(
            scenario.contains(&format!("# {}\n[[ladder.rungs]]\nname = ", r.origin)),
            "{name}: origin of {}",
            r.name
        );
    }
    scenario
}

/// Imports a fixture and checks it.
fn check(name: &str) -> (ImportedLadder, String) {
    let ladder = import(name, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let scenario = check_ladder(name, &ladder);
    (ladder, scenario)
}

/// The notes of listings counted once, as the same video as another.
fn repeats(l: &ImportedLadder) -> Vec<&String> {
    l.notes
        .iter()
        .filter(|n| n.ends_with("; counted once"))
        .collect()
}

fn rung_summary(l: &ImportedLadder) -> Vec<(String, u32, u32, Decimal, Option<Decimal>)> {
    l.rungs
        .iter()
        .map(|r| {
            (
                r.name.clone(),
                r.width,
                r.height,
                r.video_kbps,
                r.audio_kbps,
            )
        })
        .collect()
}

#[test]
fn the_tutorial_job_is_two_hls_rungs_and_a_skipped_download() {
    let (l, scenario) = check("seed-job-settings.json");
    assert_eq!(l.format, Format::MediaconvertJob);
    assert_eq!(
        rung_summary(&l),
        [
            ("360p".into(), 640, 360, d("800"), Some(d("96"))),
            ("720p".into(), 1280, 720, d("2500"), Some(d("128"))),
        ]
    );
    assert_eq!(l.segment_seconds, Some(d("6")));
    assert_eq!(l.audio, AudioLayout::Muxed);
    assert_eq!(l.skipped.len(), 1);
    assert_eq!(
        l.skipped[0].origin,
        "seed-job-settings.json $.OutputGroups[0].Outputs[0]"
    );
    assert!(l.skipped[0].rendition.starts_with("1920x1080 avc"));
    assert!(l.skipped[0].reason.starts_with("download rendition"));
    assert!(l.notes.iter().any(|n| n.contains("$.Settings: ignored")));
    // The frame rate follows the source: 30 fps, said at the field's path.
    assert!(l.warnings.iter().any(|w| w.contains(
        "$.OutputGroups[1].Outputs[0].VideoDescription.CodecSettings.H264Settings.FramerateControl"
    )));
    assert!(scenario.contains("name = \"Imported from seed-job-settings.json\""));
    assert!(
        scenario.starts_with("# A scenario around the ladder imported from seed-job-settings.json")
    );
    // The template's other sections and their comments stay.
    assert!(
        scenario
            .contains("geo = { us = 0.6, europe = 0.3, india = 0.1 }   # CloudFront geographies")
    );
    assert!(scenario.contains("lifecycle = [{ after_days = 60, class = \"standard-ia\" }]"));
}

#[test]
fn a_job_template_with_hls_cmaf_and_dash_groups() {
    let (l, _) = check("job-template-hls-cmaf-dash.json");
    assert_eq!(l.format, Format::MediaconvertJobTemplate);
    assert_eq!(l.rungs.len(), 4);
    // HLS muxes its audio, CMAF and DASH have audio-only outputs: one layout, muxed, with
    // each video-only rung carrying its group's audio.
    assert_eq!(l.audio, AudioLayout::Muxed);
    assert_eq!(l.rungs[2].name, "cmaf_1080p");
    assert_eq!(l.rungs[2].audio_kbps, Some(d("128")));
    assert_eq!(l.rungs[3].codec.name(), "av1");
    assert_eq!(l.rungs[3].video_kbps, d("3500"));
    assert_eq!(l.rungs[0].fps, d("23.976"));
    assert_eq!(l.segment_seconds, Some(d("6")));
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("different segment lengths"))
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("QVBR's MaxBitrate is a ceiling"))
    );
}

#[test]
fn qvbr_bitrates_are_the_maximum_with_a_warning() {
    let (l, _) = check("job-qvbr.json");
    assert_eq!(
        l.rungs.iter().map(|r| r.video_kbps).collect::<Vec<_>>(),
        [d("1000"), d("3000"), d("6000")]
    );
    assert_eq!(l.rungs[1].name, "720p_3000");
    assert_eq!(l.segment_seconds, Some(d("4")));
    let qvbr = l.warnings.iter().filter(|w| w.contains("QVBR")).count();
    assert_eq!(qvbr, 3);
    assert!(l.rungs.iter().all(|r| r.fps == d("30")));
    assert_eq!(l.passes, Some(1));
}

/// VP9's default multi-pass is the Basic tier's speed-optimized one: the single-pass H.264
/// rungs beside it stay single-pass (a ladder of two-pass rungs bills them as Professional,
/// 3.8 times the transcode cost). Multi-pass HQ, asked for, is two passes.
#[test]
fn vp9_s_own_multi_pass_leaves_the_ladder_single_pass() {
    let (l, scenario) = check("job-avc-vp9.json");
    assert_eq!(l.rungs.len(), 3);
    assert_eq!(l.passes, Some(1));
    assert!(scenario.contains("passes = 1"), "{scenario}");
    assert!(
        !l.warnings.iter().any(|w| w.contains("passes")),
        "{:?}",
        l.warnings
    );
    let hq = fixture("job-avc-vp9.json").replacen(
        "\"FramerateDenominator\": 1\n        }",
        "\"FramerateDenominator\": 1,\n         \"QualityTuningLevel\": \"MULTI_PASS_HQ\"\n        }",
        1,
    );
    assert_ne!(hq, fixture("job-avc-vp9.json"));
    let l = import("job-avc-vp9.json", &hq).unwrap();
    assert_eq!(l.passes, Some(2));
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("differ in encoding passes"))
    );
}

#[test]
fn two_pass_hevc_in_cmaf_has_separate_audio() {
    let (l, scenario) = check("job-hevc-2pass.json");
    assert_eq!(l.passes, Some(2));
    assert!(scenario.contains("passes = 2"));
    assert!(l.rungs.iter().all(|r| r.codec.name() == "hevc"));
    assert_eq!(l.audio, AudioLayout::Separate { kbps: d("384") });
    assert!(l.rungs.iter().all(|r| r.audio_kbps.is_none()));
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("the highest, 384 kbps"))
    );
}

#[test]
fn a_get_job_response_with_gaps() {
    let (l, _) = check("get-job.json");
    assert_eq!(
        rung_summary(&l),
        [
            ("sd".into(), 854, 480, d("1100"), Some(d("96"))),
            ("hd".into(), 1280, 720, d("3000"), Some(d("128"))),
            ("hd_2".into(), 1920, 1080, d("6000"), Some(d("128"))),
        ]
    );
    assert_eq!(l.segment_seconds, Some(d("10")));
    let path = "get-job.json $.Job.Settings.OutputGroups[1]";
    assert!(l.warnings.iter().any(|w| w.starts_with(&format!(
        "{path}.OutputGroupSettings.HlsGroupSettings.SegmentLength: missing"
    ))));
    assert!(l.warnings.iter().any(|w| w.starts_with(&format!(
        "{path}.Outputs[0].VideoDescription.Width: missing; 854"
    ))));
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("AacSettings.Bitrate: no Bitrate for AAC"))
    );
    assert_eq!(l.skipped[0].reason, "still images (thumbnails), not a rung");
}

#[test]
fn a_preset_is_one_rung() {
    let (l, _) = check("preset.json");
    assert_eq!(l.format, Format::MediaconvertPreset);
    assert_eq!(l.rungs.len(), 1);
    assert_eq!(l.rungs[0].fps, d("29.97"));
    assert_eq!(l.rungs[0].watch_share, Decimal::ONE);
    assert_eq!(l.passes, Some(2));
    assert_eq!(l.segment_seconds, None);
    assert!(l.rungs[0].origin.contains("(preset \"ott-720p-avc\")"));
}

#[test]
fn hls_muxed_audio_comes_off_the_variant_bitrate() {
    let (l, _) = check("hls-muxed.m3u8");
    assert_eq!(l.format, Format::HlsMultivariant);
    assert_eq!(
        rung_summary(&l),
        [
            ("360p_800".into(), 640, 360, d("800"), Some(d("128"))),
            ("720p_2000".into(), 1280, 720, d("2000"), Some(d("128"))),
            ("1080p_5200".into(), 1920, 1080, d("5200"), Some(d("128"))),
        ]
    );
    assert_eq!(l.rungs[0].origin, "hls-muxed.m3u8:5");
    assert_eq!(l.segment_seconds, None);
    assert!(
        l.warnings
            .iter()
            .any(|w| w.starts_with("hls-muxed.m3u8:9: no AVERAGE-BANDWIDTH"))
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.starts_with("hls-muxed.m3u8:5, 7, 9: the audio bitrate"))
    );
    assert!(
        l.notes
            .iter()
            .any(|n| n.contains("segment length is not in a multivariant playlist"))
    );
}

/// A variant whose whole bitrate is below the audio assumed for its codec: the variant's
/// bitrate is what it delivers, so it is taken as video with no audio on top, and the
/// warnings say one thing about it.
#[test]
fn a_variant_below_its_assumed_audio_is_all_video() {
    let text = "#EXTM3U\n\
        #EXT-X-STREAM-INF:BANDWIDTH=100000,RESOLUTION=640x360,CODECS=\"avc1.42e01e,mp4a.40.2\"\nlow.m3u8\n\
        #EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=1280x720,CODECS=\"avc1.4d401f,mp4a.40.2\"\nhigh.m3u8\n";
    let l = import("m.m3u8", text).unwrap();
    assert_eq!(
        rung_summary(&l),
        [
            ("360p_100".into(), 640, 360, d("100"), Some(d("0"))),
            ("720p_2872".into(), 1280, 720, d("2872"), Some(d("128"))),
        ]
    );
    let about_line_2: Vec<&String> = l
        .warnings
        .iter()
        .filter(|w| w.starts_with("m.m3u8:2:") || w.starts_with("m.m3u8:2,"))
        .collect();
    assert!(
        about_line_2
            .iter()
            .any(|w| w.ends_with("the whole of it is taken as video, with no audio bitrate on top")),
        "{about_line_2:?}"
    );
    assert!(
        !about_line_2
            .iter()
            .any(|w| w.contains("kbps is assumed for its codec")),
        "{about_line_2:?}"
    );
}

/// One encode listed with an AAC and an AC-3 group at other URIs: each video bitrate is its
/// variant's less its group's assumed audio (128 and 384 kbps), so the two listings come out
/// 32 kbps apart; they are one rung, not two priced twice. A rung at the same size whose
/// bitrate differs by more than the audio can explain stays a rung of its own.
#[test]
fn one_encode_listed_with_two_audio_codecs_is_one_rung() {
    let media = "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac\",NAME=\"en\",DEFAULT=YES,URI=\"a_aac.m3u8\"\n\
        #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"ac3\",NAME=\"en\",DEFAULT=YES,URI=\"a_ac3.m3u8\"\n";
    let variant = |kbps: u32, codec: &str, res: &str, group: &str, uri: &str| {
        format!(
            "#EXT-X-STREAM-INF:BANDWIDTH={kbps}000,CODECS=\"avc1.64001f,{codec}\",RESOLUTION={res},FRAME-RATE=30,AUDIO=\"{group}\"\n{uri}\n"
        )
    };
    let text = format!(
        "#EXTM3U\n{media}{}{}{}{}{}",
        variant(3096, "mp4a.40.2", "1280x720", "aac", "v720_aac.m3u8"),
        variant(3384, "ac-3", "1280x720", "ac3", "v720_ac3.m3u8"),
        variant(896, "mp4a.40.2", "640x360", "aac", "v360_aac.m3u8"),
        variant(1184, "ac-3", "640x360", "ac3", "v360_ac3.m3u8"),
        variant(4400, "ac-3", "1280x720", "ac3", "v720_hi.m3u8"),
    );
    let l = import("m.m3u8", &text).unwrap();
    let names: Vec<&str> = l.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["720p_2968", "360p_768", "720p_4016"]);
    assert_eq!(
        repeats(&l),
        [
            "m.m3u8:6: the same video as m.m3u8:4, listed again with audio group \"ac3\"; counted once",
            "m.m3u8:10: the same video as m.m3u8:8, listed again with audio group \"ac3\"; counted once",
        ]
    );
}

/// A DASH Representation without a frame rate takes its AdaptationSet's maxFrameRate before
/// the default 30 fps: 29.97 is not priced or stored as 30.
#[test]
fn a_dash_set_s_max_frame_rate_is_its_representations_rate() {
    let text = r#"<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT60S">
  <Period>
    <AdaptationSet mimeType="video/mp4" codecs="avc1.64001f" maxFrameRate="30000/1001">
      <Representation id="v1" bandwidth="3000000" width="1280" height="720"/>
      <Representation id="v2" bandwidth="800000" width="640" height="360"/>
    </AdaptationSet>
  </Period>
</MPD>
"#;
    let l = import("m.mpd", text).unwrap();
    assert!(
        l.rungs.iter().all(|r| r.fps == d("29.97")),
        "{:?}",
        rung_summary(&l)
    );
    assert!(
        l.notes
            .iter()
            .any(|n| n
                == "m.mpd:5: no frameRate; the AdaptationSet's maxFrameRate, 29.97 fps, is taken"),
        "{:?}",
        l.notes
    );
    assert!(
        !l.warnings.iter().any(|w| w.contains("fps is assumed")),
        "{:?}",
        l.warnings
    );
}

/// A value the file states that a scenario refuses is named at the file's line, by the
/// scenario's own rule; a tiny frame rate is not rounded to 0 on the way.
#[test]
fn a_value_a_scenario_refuses_is_named_where_the_file_states_it() {
    let playlist = |rate: &str| {
        format!(
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=3000000,CODECS=\"avc1.4d401f\",RESOLUTION=1280x720,FRAME-RATE={rate}\nv.m3u8\n"
        )
    };
    let err = import("fast.m3u8", &playlist("250"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("fast.m3u8:2: in a scenario, `fps` must be at most 240, not 250"),
        "{err}"
    );
    assert!(
        err.contains(
            "nothing was written\nhint: correct the file: write a number in frames per second"
        ),
        "{err}"
    );
    let slow = import("slow.m3u8", &playlist("0.0001")).unwrap();
    assert_eq!(slow.rungs[0].fps, d("0.0001"));
}

/// A MediaConvert segment length a scenario refuses is named at its JSON path, and a frame
/// rate given as a numerator alone is said to lack its denominator, not both.
#[test]
fn mediaconvert_faults_are_named_at_their_path() {
    let job = fixture("job-qvbr.json");
    let v: serde_json::Value = serde_json::from_str(&job).unwrap();
    let mut long = v.clone();
    let groups = long
        .pointer_mut("/Settings/OutputGroups")
        .unwrap()
        .as_array_mut()
        .unwrap();
    let hls = groups
        .iter_mut()
        .find(|g| g.pointer("/OutputGroupSettings/HlsGroupSettings").is_some())
        .unwrap();
    hls["OutputGroupSettings"]["HlsGroupSettings"]["SegmentLength"] = 900.into();
    let err = import("long.json", &long.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("long.json $.Settings.OutputGroups[")
            && err.contains("HlsGroupSettings.SegmentLength: in a scenario, `segment_seconds` must be at most 600"),
        "{err}"
    );
    let job = fixture("job-hevc-2pass.json");
    let text = job.replacen(", \"FramerateDenominator\": 1 }", " }", 1);
    assert_ne!(text, job, "the fixture states a denominator");
    let half = import("half.json", &text).unwrap();
    assert!(
        half.warnings
            .iter()
            .any(|w| w.contains("FramerateDenominator is missing") && !w.contains("Numerator/")),
        "{:?}",
        half.warnings
    );
}

/// Playlist faults are named for what they are: an unclosed quote (not the attribute after
/// it read as a codec), a missing BANDWIDTH, an average above its peak; a preset list may
/// carry a comment after an ID.
#[test]
fn playlist_faults_are_named_for_what_they_are() {
    let err = import(
        "open.m3u8",
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS=\"avc1.4d401f,RESOLUTION=1280x720\nv.m3u8\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("CODECS at open.m3u8:2 must be a quoted string closed by"),
        "{err}"
    );
    let err = import(
        "none.m3u8",
        "#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1280x720\nv.m3u8\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("no BANDWIDTH attribute at none.m3u8:2: RFC 8216"),
        "{err}"
    );
    let l = import(
        "avg.m3u8",
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2000000,AVERAGE-BANDWIDTH=3000000,CODECS=\"avc1.4d401f\",RESOLUTION=1280x720\nv.m3u8\n",
    )
    .unwrap();
    assert!(
        l.warnings.iter().any(|w| w.starts_with(
            "avg.m3u8:2: AVERAGE-BANDWIDTH (3000 kbps) is above BANDWIDTH (2000 kbps)"
        )),
        "{:?}",
        l.warnings
    );
    let l = import(
        "presets.txt",
        "# the HLS ladder\n1351620000001-200015 # HLS 2M\n1351620000001-200035\n",
    )
    .unwrap();
    assert_eq!(l.format, Format::EtsPresets);
    assert_eq!(l.rungs.len(), 2);
}

/// A DASH manifest listing the same video twice imports it once, as an HLS playlist does.
#[test]
fn a_dash_video_listed_twice_is_one_rung() {
    let rep = r#"<Representation id="a" bandwidth="3000000" width="1280" height="720" frameRate="30" codecs="avc1.4d401f"><SegmentTemplate duration="6" timescale="1"/></Representation>"#;
    let text = format!(
        r#"<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"><Period><AdaptationSet contentType="video" mimeType="video/mp4">{rep}{rep}</AdaptationSet></Period></MPD>"#
    );
    let l = import("twice.mpd", &text).unwrap();
    assert_eq!(l.rungs.len(), 1, "{:?}", rung_summary(&l));
    assert!(
        l.notes.iter().any(|n| n.ends_with("; counted once")),
        "{:?}",
        l.notes
    );
}

#[test]
fn hdr_and_frame_rate_are_other_encodes_but_a_redundant_stream_is_not() {
    let (l, _) = check("hls-hdr.m3u8");
    let rungs: Vec<(&str, Decimal, Decimal)> = l
        .rungs
        .iter()
        .map(|r| (r.name.as_str(), r.fps, r.video_kbps))
        .collect();
    // SDR, PQ and HLG at one size and bitrate are three encodes; 720p at 30 and 60 fps two.
    assert_eq!(
        rungs,
        [
            ("1080p_5800", d("23.976"), d("5800")),
            ("1080p_5800_pq", d("23.976"), d("5800")),
            ("1080p_5800_hlg", d("23.976"), d("5800")),
            ("720p30_2800", d("29.97"), d("2800")),
            ("720p60_2800", d("59.94"), d("2800")),
            ("1080p_5800_dv", d("23.976"), d("5800")),
        ]
    );
    assert_eq!(
        l.rungs[5].codec.name(),
        "hevc",
        "Dolby Vision profile 5 is HEVC"
    );
    // The HDR encodes are priced as HEVC, which bills at the tier HDR does; Dolby Vision's
    // add-on is not priced, and said.
    let hdr: Vec<&String> = l.warnings.iter().filter(|w| w.contains("HDR")).collect();
    assert_eq!(hdr.len(), 1, "{:?}", l.warnings);
    assert!(hdr[0].starts_with("3 HDR rendition(s)"), "{}", hdr[0]);
    assert!(hdr[0].contains("hls-hdr.m3u8:10 HDR (PQ)"), "{}", hdr[0]);
    assert!(
        hdr[0].contains("hls-hdr.m3u8:22 HDR (Dolby Vision)"),
        "{}",
        hdr[0]
    );
    assert!(hdr[0].contains("`DOLBY_VIS` usage types"), "{}", hdr[0]);
    // The last two listings repeat encodes, each for its own reason.
    assert_eq!(
        repeats(&l),
        [
            "hls-hdr.m3u8:18: the same video as hls-hdr.m3u8:8 at another URI (a redundant stream, for failover); counted once",
            "hls-hdr.m3u8:20: the same video as hls-hdr.m3u8:10 on content-steering pathway \"cdn-b\"; counted once",
        ]
    );
}

#[test]
fn dash_hdr_and_frame_rate_are_other_encodes() {
    let rep = |id: &str, fps: &str| {
        format!(
            r#"<Representation id="{id}" bandwidth="3000000" width="1280" height="720" frameRate="{fps}" codecs="hvc1.2.4.L93.B0"><SegmentTemplate duration="6" timescale="1"/></Representation>"#
        )
    };
    let pq = r#"<SupplementalProperty schemeIdUri="urn:mpeg:mpegB:cicp:TransferCharacteristics" value="16"/>"#;
    let text = format!(
        r#"<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"><Period><AdaptationSet contentType="video" mimeType="video/mp4">{}{}</AdaptationSet><AdaptationSet contentType="video" mimeType="video/mp4">{pq}{}</AdaptationSet></Period></MPD>"#,
        rep("sdr30", "30"),
        rep("sdr60", "60"),
        rep("pq30", "30"),
    );
    let l = import("hdr.mpd", &text).unwrap();
    let names: Vec<&str> = l.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["720p30_3000", "720p60_3000", "720p_3000_pq"]);
    assert!(!l.notes.iter().any(|n| n.ends_with("; counted once")));

    // DVB-DASH's backward-compatible HLG: SDR (14) as essential, HLG (18) as supplemental.
    let hlg = r#"<EssentialProperty schemeIdUri="urn:mpeg:mpegB:cicp:TransferCharacteristics" value="14"/><SupplementalProperty schemeIdUri="urn:mpeg:mpegB:cicp:TransferCharacteristics" value="18"/>"#;
    let text = format!(
        r#"<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"><Period><AdaptationSet contentType="video" mimeType="video/mp4">{hlg}{}</AdaptationSet><AdaptationSet contentType="video" mimeType="video/mp4">{}</AdaptationSet></Period></MPD>"#,
        rep("hlg", "25"),
        rep("sdr", "25"),
    );
    let l = import("dvb.mpd", &text).unwrap();
    let names: Vec<&str> = l.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["720p_3000_hlg", "720p_3000"]);
}

#[test]
fn a_dash_pre_roll_period_is_not_the_ladder() {
    let rep = |id: &str, w: u32, h: u32, bps: u32| {
        format!(
            r#"<Representation id="{id}" bandwidth="{bps}" width="{w}" height="{h}" frameRate="25" codecs="avc1.64001f"><SegmentTemplate duration="4" timescale="1"/></Representation>"#
        )
    };
    let set = |reps: String| {
        format!(r#"<AdaptationSet contentType="video" mimeType="video/mp4">{reps}</AdaptationSet>"#)
    };
    // A 15 s pre-roll encoded apart, then the programme: 45 minutes, its length from the MPD's.
    let text = format!(
        r#"<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static" mediaPresentationDuration="PT45M15S">
<Period id="ad" duration="PT15S">{}</Period>
<Period id="programme">{}</Period>
</MPD>"#,
        set(rep("ad-360", 640, 360, 800_000) + &rep("ad-720", 1280, 720, 2_000_000)),
        set(rep("p-540", 960, 540, 1_500_000)
            + &rep("p-720", 1280, 720, 3_000_000)
            + &rep("p-1080", 1920, 1080, 6_000_000)),
    );
    let l = import("preroll.mpd", &text).unwrap();
    let names: Vec<&str> = l.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["540p_1500", "720p_3000", "1080p_6000"]);
    assert!(
        l.notes
            .iter()
            .any(|n| n == "2 periods; the ladder is read from preroll.mpd:4 (the longest, 2700 s)"),
        "{:?}",
        l.notes
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.starts_with("1 other period(s) have other video (preroll.mpd:3)")),
        "{:?}",
        l.warnings
    );
    // Periods alike (the same ladder in every chapter): no warning.
    let same = text.replace(
        &set(rep("ad-360", 640, 360, 800_000) + &rep("ad-720", 1280, 720, 2_000_000)),
        &set(rep("a-540", 960, 540, 1_500_000)
            + &rep("a-720", 1280, 720, 3_000_000)
            + &rep("a-1080", 1920, 1080, 6_000_000)),
    );
    let l = import("chapters.mpd", &same).unwrap();
    assert_eq!(l.rungs.len(), 3);
    assert!(!l.warnings.iter().any(|w| w.contains("other period")));

    // Live, with server-side ad insertion: periods with @start and no length. The running
    // programme period is not outweighed by the ad's known 30 s.
    let live = format!(
        r#"<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="dynamic" minimumUpdatePeriod="PT6S">
<Period id="ad" start="PT0S">{}</Period>
<Period id="programme" start="PT30S">{}</Period>
</MPD>"#,
        set(rep("ad-720", 1280, 720, 1_000_000)),
        set(rep("p-720", 1280, 720, 3_000_000) + &rep("p-1080", 1920, 1080, 6_000_000)),
    );
    let l = import("live.mpd", &live).unwrap();
    let names: Vec<&str> = l.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["720p_3000", "1080p_6000"], "{:?}", l.notes);
    assert!(
        l.notes.iter().any(|n| n.contains(
            "not every period states how long it is; this one has the most video Representations, 2"
        )),
        "{:?}",
        l.notes
    );

    // Times no Decimal holds, and signs inside a duration: read as unknown, never a panic.
    for (first, second) in [
        (
            r#"start="PT70000000000000000000000000000S" duration="PT70000000000000000000000000000S""#,
            "",
        ),
        (
            r#"start="PT-70000000000000000000000000000S""#,
            r#"start="PT70000000000000000000000000000S""#,
        ),
        (r#"duration="P-1D""#, r#"duration="PT+5S""#),
    ] {
        let text = format!(
            r#"<?xml version="1.0"?><MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static"><Period {first}>{}</Period><Period {second}>{}</Period></MPD>"#,
            set(rep("a", 640, 360, 800_000)),
            set(rep("b", 1280, 720, 3_000_000) + &rep("c", 1920, 1080, 6_000_000)),
        );
        let l = import("odd.mpd", &text).unwrap();
        assert_eq!(l.rungs.len(), 2, "{first} {second}: {:?}", l.notes);
    }
}

#[test]
fn hls_demuxed_audio_is_one_separate_rendition() {
    let (l, _) = check("hls-demuxed.m3u8");
    assert_eq!(l.audio, AudioLayout::Separate { kbps: d("128") });
    assert_eq!(
        l.rungs.iter().map(|r| r.video_kbps).collect::<Vec<_>>(),
        [d("1100"), d("2000"), d("4500"), d("6000")]
    );
    assert!(
        l.notes
            .iter()
            .any(|n| n.starts_with("2 separate audio renditions at 128 kbps"))
    );
}

#[test]
fn a_variant_listed_once_per_audio_group_counts_once() {
    let (l, _) = check("hls-audio-groups.m3u8");
    assert_eq!(l.rungs.len(), 2);
    assert_eq!(l.rungs[0].codec.name(), "hevc");
    assert_eq!(l.rungs[0].fps, d("23.976"));
    // Each video plays with stereo AAC (128 kbps assumed) or 5.1 E-AC-3 (192): the highest
    // is counted, with a warning, whichever group is listed first.
    assert_eq!(l.audio, AudioLayout::Separate { kbps: d("192") });
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("2 audio groups with different bitrates")),
        "{:?}",
        l.warnings
    );
    let text = fixture("hls-audio-groups.m3u8");
    let lines: Vec<&str> = text.lines().collect();
    // The E-AC-3 listing of each variant before its AAC one.
    let mut swapped = lines.clone();
    for at in [7, 11] {
        swapped.swap(at, at + 2);
        swapped.swap(at + 1, at + 3);
    }
    assert_ne!(swapped, lines);
    let other = import("swapped.m3u8", &swapped.join("\n")).unwrap();
    assert_eq!(other.audio, l.audio);
    assert_eq!(rung_summary(&other), rung_summary(&l));
    let repeats = l
        .notes
        .iter()
        .filter(|n| n.contains("counted once"))
        .count();
    assert_eq!(repeats, 2);
}

/// Beside variants with their audio muxed in, an audio-only stream no group names (a
/// fallback for slow networks) need not be the audio they carry: it is left out without
/// claiming its bitrate is used, and the muxed audio stays assumed.
#[test]
fn an_audio_only_fallback_beside_muxed_variants_is_not_their_audio() {
    let playlist = "#EXTM3U\n\
        #EXT-X-STREAM-INF:BANDWIDTH=2628000,RESOLUTION=1280x720,CODECS=\"avc1.4d401f,mp4a.40.2\"\n720p.m3u8\n\
        #EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\naudio.m3u8\n";
    let l = import("muxed.m3u8", playlist).unwrap();
    let skipped = l
        .skipped
        .iter()
        .find(|s| s.origin == "muxed.m3u8:4")
        .unwrap();
    assert!(
        skipped.reason.contains("no audio group names it"),
        "{}",
        skipped.reason
    );
    assert!(!skipped.reason.contains("is used"), "{}", skipped.reason);
    assert_eq!(l.rungs.len(), 1);
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("audio bitrate is not in"))
    );
}

#[test]
fn i_frame_playlists_are_ignored_and_an_audio_only_variant_measures_the_audio() {
    let (l, _) = check("hls-iframes.m3u8");
    assert_eq!(l.rungs.len(), 3);
    assert_eq!(l.audio, AudioLayout::Separate { kbps: d("132") });
    assert_eq!(l.rungs[0].video_kbps, d("145"));
    assert!(
        l.notes
            .iter()
            .any(|n| n.contains("3 #EXT-X-I-FRAME-STREAM-INF line(s) ignored"))
    );
    assert!(l.skipped.iter().any(|s| s.origin == "hls-iframes.m3u8:7"));
    assert!(
        !l.warnings
            .iter()
            .any(|w| w.contains("audio bitrate is not in"))
    );
}

#[test]
fn dash_segment_template() {
    let (l, _) = check("dash-template.mpd");
    assert_eq!(l.format, Format::DashMpd);
    assert_eq!(l.segment_seconds, Some(d("6")));
    assert_eq!(l.audio, AudioLayout::Separate { kbps: d("128") });
    assert_eq!(
        rung_summary(&l),
        [
            ("360p_800".into(), 640, 360, d("800"), None),
            ("720p_2500".into(), 1280, 720, d("2500"), None),
            ("1080p_5000".into(), 1920, 1080, d("5000"), None),
        ]
    );
    assert!(l.rungs.iter().all(|r| r.fps == d("29.97")));
    assert_eq!(l.rungs[0].origin, "dash-template.mpd:10");
    assert_eq!(l.skipped.len(), 1);
}

/// A template's attributes are inherited level by level, and a trick-play set is no rung.
#[test]
fn dash_segment_information_is_inherited_and_trick_play_is_left_out() {
    let (l, _) = check("dash-inherited.mpd");
    // 360000 / 90000: the duration of each Representation over the AdaptationSet's
    // timescale, not 360000 s over a timescale of 1, nor the Period's 2 s.
    assert_eq!(l.segment_seconds, Some(d("4")));
    assert_eq!(
        rung_summary(&l),
        [
            ("360p_800".into(), 640, 360, d("800"), None),
            ("720p_2500".into(), 1280, 720, d("2500"), None),
        ]
    );
    assert!(
        l.skipped
            .iter()
            .any(|s| s.origin == "dash-inherited.mpd:20" && s.reason.starts_with("trick play")),
        "{:?}",
        l.skipped
    );
    assert!(
        !l.warnings.iter().any(|w| w.contains("segment lengths")),
        "{:?}",
        l.warnings
    );
}

#[test]
fn dash_segment_timeline() {
    let (l, _) = check("dash-timeline.mpd");
    assert_eq!(l.segment_seconds, Some(d("4")));
    assert_eq!(l.audio, AudioLayout::Separate { kbps: d("64") });
    assert_eq!(
        l.rungs.iter().map(|r| r.codec.name()).collect::<Vec<_>>(),
        ["hevc", "hevc", "av1"]
    );
    assert!(l.skipped.iter().any(|s| s.reason.starts_with("thumbnails")));
}

/// A one-rung DASH manifest: `mpd` and `period` are attributes of the MPD and the Period,
/// `template` the AdaptationSet's segment information, starting on line 5.
fn dash_manifest(mpd: &str, period: &str, template: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" {mpd}>
  <Period {period}>
    <AdaptationSet contentType="video" mimeType="video/mp4" codecs="avc1.64001f" frameRate="25">
      {template}
      <Representation id="v" bandwidth="3000000" width="1280" height="720"/>
    </AdaptationSet>
  </Period>
</MPD>
"#
    )
}

/// A SegmentTimeline at 90 kHz of the given S elements; `attrs` go on its SegmentTemplate.
fn timeline_90k(attrs: &str, s: &str) -> String {
    format!(
        r#"<SegmentTemplate timescale="90000"{attrs} media="$Time$.m4s"><SegmentTimeline>{s}</SegmentTimeline></SegmentTemplate>"#
    )
}

/// `S@r="-1"` repeats its duration to the next S's `@t`, else to the end of the Period
/// (ISO/IEC 23009-1 §5.3.9.6): the segment length is the duration covering the most time,
/// not the one listed most often with the open repeat counted once.
#[test]
fn a_dash_timeline_repeat_to_the_end_is_weighed_by_the_time_it_covers() {
    const STATIC_60: &str = r#"type="static" mediaPresentationDuration="PT60S""#;
    const LIVE: &str = r#"type="dynamic" minimumUpdatePeriod="PT6S""#;
    const OFFSET_10: &str = r#" presentationTimeOffset="900000""#;
    for (mpd, period, attrs, s, seconds) in [
        // 3 s once, then 6 s to the end of the 60 s presentation: 57 s of 6 s segments.
        (
            STATIC_60,
            "",
            "",
            r#"<S t="0" d="270000"/><S d="540000" r="-1"/>"#,
            "6",
        ),
        (
            STATIC_60,
            "",
            "",
            r#"<S t="0" d="90000" r="1"/><S d="540000" r="-1"/>"#,
            "6",
        ),
        // The end from the Period's own @duration: 12 s of 6 s, then 28 s of 1 s.
        (
            "",
            r#"duration="PT40S""#,
            "",
            r#"<S t="0" d="540000" r="1"/><S d="90000" r="-1"/>"#,
            "1",
        ),
        // A short Period leaves the open repeat 8 s: the 12 s of 6 s segments outweigh it.
        (
            "",
            r#"duration="PT20S""#,
            "",
            r#"<S t="0" d="540000" r="1"/><S d="90000" r="-1"/>"#,
            "6",
        ),
        // Times are on the media timeline: the Period ends at @presentationTimeOffset (10 s)
        // plus its 30 s, so the open repeat runs from 22 s to 40 s, 18 s.
        (
            "",
            r#"duration="PT30S""#,
            OFFSET_10,
            r#"<S t="900000" d="540000" r="1"/><S d="90000" r="-1"/>"#,
            "1",
        ),
        // Up to the next S's @t: 20 s of 1 s segments before two of 6 s.
        (
            STATIC_60,
            "",
            "",
            r#"<S t="0" d="90000" r="-1"/><S t="1800000" d="540000" r="1"/>"#,
            "1",
        ),
        // Live, the end unknown: the open repeat is what the stream goes on with.
        (
            LIVE,
            "",
            "",
            r#"<S t="0" d="90000" r="9"/><S d="540000" r="-1"/>"#,
            "6",
        ),
        // The same time in each duration: the one listed last, the steady state.
        (
            STATIC_60,
            "",
            "",
            r#"<S t="0" d="270000" r="1"/><S d="540000"/>"#,
            "6",
        ),
        (
            STATIC_60,
            "",
            "",
            r#"<S t="0" d="540000"/><S d="270000" r="1"/>"#,
            "3",
        ),
    ] {
        let text = dash_manifest(mpd, period, &timeline_90k(attrs, s));
        let l = import("t.mpd", &text).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(l.segment_seconds, Some(d(seconds)), "{s}: {:?}", l.notes);
        assert!(
            l.notes.iter().any(
                |n| n.starts_with("t.mpd:5: SegmentTimeline durations vary;")
                    && n.contains(&format!(", {seconds} s (d=\""))
            ),
            "{s}: {:?}",
            l.notes
        );
    }
    // Live, the note says why the open repeat is taken over the 10 s listed before it.
    let text = dash_manifest(
        LIVE,
        "",
        &timeline_90k("", r#"<S t="0" d="90000" r="9"/><S d="540000" r="-1"/>"#),
    );
    let l = import("t.mpd", &text).unwrap();
    assert!(
        l.notes.iter().any(|n| n
            == r#"t.mpd:5: SegmentTimeline durations vary; the one repeated until the next MPD update, 6 s (d="540000" at timescale 90000, r="-1" with no end known), is taken"#),
        "{:?}",
        l.notes
    );
    // One open repeat alone is the segment length, with nothing to note.
    let text = dash_manifest(
        LIVE,
        "",
        &timeline_90k("", r#"<S t="0" d="540000" r="-1"/>"#),
    );
    let l = import("t.mpd", &text).unwrap();
    assert_eq!(l.segment_seconds, Some(d("6")));
    assert!(
        !l.notes.iter().any(|n| n.contains("SegmentTimeline")),
        "{:?}",
        l.notes
    );
}

/// A `@timescale` of 0 is no clock (ISO/IEC 23009-1 §5.3.9.2: units per second): an error at
/// its line, not a timescale of 1; nor does a Representation's 0 hide its set's 90000.
#[test]
fn a_dash_timescale_of_zero_is_refused_at_its_line() {
    let text = dash_manifest(
        r#"type="static""#,
        "",
        r#"<SegmentTemplate timescale="0" duration="6" media="$Number$.m4s"/>"#,
    );
    let err = import("zero.mpd", &text).unwrap_err();
    assert!(matches!(err, ImportError::InvalidValue { .. }), "{err}");
    let err = err.to_string();
    assert!(
        err.starts_with("@timescale of the SegmentTemplate at zero.mpd:5 must be"),
        "{err}"
    );
    assert!(err.contains("not `0`\nhint: "), "{err}");

    let text = r#"<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static">
  <Period>
    <AdaptationSet contentType="video" mimeType="video/mp4" codecs="avc1.64001f" frameRate="25">
      <SegmentTemplate timescale="90000" media="$RepresentationID$/$Number$.m4s"/>
      <Representation id="v" bandwidth="3000000" width="1280" height="720">
        <SegmentTemplate timescale="0" duration="540000"/>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
"#;
    let err = import("rep.mpd", text).unwrap_err();
    assert!(matches!(err, ImportError::InvalidValue { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("@timescale of the SegmentTemplate at rep.mpd:7 must be"),
        "{err}"
    );
    // The same with the Representation's 0 gone: 540000 at the set's 90000 is 6 s.
    let fixed = text.replace(r#" timescale="0""#, "");
    assert_eq!(
        import("rep.mpd", &fixed).unwrap().segment_seconds,
        Some(d("6"))
    );
}

/// A segment length a scenario refuses is named at the element it was read from: the
/// template's `@duration`, or the S of the timeline.
#[test]
fn a_dash_segment_length_a_scenario_refuses_is_named_at_its_element() {
    let text = dash_manifest(
        r#"type="static""#,
        "",
        r#"<SegmentTemplate timescale="1" duration="900" media="$Number$.m4s"/>"#,
    );
    let err = import("long.mpd", &text).unwrap_err().to_string();
    assert!(
        err.starts_with("long.mpd:5: in a scenario, `segment_seconds` must be at most 600"),
        "{err}"
    );
    let timeline = r#"<SegmentTemplate timescale="1" media="$Time$.m4s">
        <SegmentTimeline>
          <S t="0" d="2"/>
          <S d="900" r="3"/>
        </SegmentTimeline>
      </SegmentTemplate>"#;
    let text = dash_manifest(r#"type="static""#, "", timeline);
    let err = import("long.mpd", &text).unwrap_err().to_string();
    assert!(
        err.starts_with("long.mpd:8: in a scenario, `segment_seconds` must be at most 600"),
        "{err}"
    );
}

#[test]
fn elastic_transcoder_presets_by_id() {
    let l = import_ets_presets(&["1351620000001-000010", "1351620000001-000020"]).unwrap();
    check_ladder("ets-generic", &l);
    assert_eq!(l.format, Format::EtsPresets);
    assert_eq!(
        rung_summary(&l),
        [
            ("generic_720p".into(), 1280, 720, d("2400"), Some(d("160"))),
            (
                "generic_480p_16_9".into(),
                854,
                480,
                d("1200"),
                Some(d("128"))
            ),
        ]
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("000020 (Generic 480p 16:9): its audio bitrate is not stated"))
    );
    // The same presets from a file of IDs.
    let from_file = import("ets-presets.txt", &fixture("ets-presets.txt")).unwrap();
    assert_eq!(rung_summary(&from_file), rung_summary(&l));
}

#[test]
fn elastic_transcoder_audio_only_presets_are_the_separate_audio() {
    let ids = [
        "1351620000001-200015",
        "1351620000001-200035",
        "1351620000001-200045",
        "1351620000001-200060",
    ];
    let l = import_ets_presets(&ids).unwrap();
    check_ladder("ets-hls-video-audio", &l);
    assert_eq!(l.audio, AudioLayout::Separate { kbps: d("160") });
    assert_eq!(l.rungs.len(), 3);
    assert!(l.warnings.iter().all(|w| !w.contains("audio bitrate")));
}

/// A bad input: its error, with a hint, as a golden.
fn check_error(name: &str, result: Result<ImportedLadder, ImportError>) {
    let err = result.expect_err(name);
    assert_eq!(err.kind(), ErrorKind::BadInput);
    assert_eq!(err.kind().to_string(), "bad input");
    let text = err.to_string();
    let (message, hint) = text.split_once("\nhint: ").expect("a hint line");
    assert!(
        message.starts_with(|c: char| !c.is_uppercase()),
        "{message}"
    );
    assert!(!hint.is_empty());
    insta::assert_snapshot!(format!("error_{}", snapshot_name(name)), text);
}

#[test]
fn bad_input_is_reported_with_its_place_and_a_hint() {
    for name in [
        "malformed.json",
        "not-mediaconvert.json",
        "malformed.mpd",
        "not-mpd.xml",
        "media-playlist.m3u8",
        "unknown-codec.json",
        "unknown-codec.m3u8",
        "no-size.json",
        "no-size.m3u8",
        "no-rungs.json",
        "preset-reference.json",
        "bad-bitrate.json",
        "unknown-format.csv",
        "zero-timescale.mpd",
    ] {
        let path = format!("bad/{name}");
        check_error(name, import(&path, &fixture(&path)));
    }
    check_error(
        "unknown-ets-preset",
        import_ets_presets(&["1351620000001-000011"]),
    );
    check_error("no-ets-presets", import_ets_presets(&[]));
    // A scenario given by mistake is no known kind of file, not malformed JSON.
    let scenario = include_str!("../../../scenarios/ugc-short-form.toml");
    let body = &scenario[scenario.find("[scenario]").unwrap()..];
    assert!(matches!(
        import("my.toml", body),
        Err(ImportError::UnknownFormat { .. })
    ));
    assert!(matches!(
        import("list.json", "[1, 2]"),
        Err(ImportError::NotMediaConvert { .. })
    ));
}

#[test]
fn replacing_the_ladder_keeps_the_rest_of_the_file() {
    let existing = include_str!("../../../scenarios/premium-ott.toml");
    let ladder = import("hls-muxed.m3u8", &fixture("hls-muxed.m3u8")).unwrap();
    let out = replace_ladder(existing, &ladder, "hls-muxed.m3u8").unwrap();
    insta::assert_snapshot!("into_premium_ott", out);
    // Before the first rung and from [audience] on, the file is as it was; the comment that
    // described the old ladder went with it.
    let head = &existing[..existing.find("# Apple HLS authoring spec").unwrap()];
    assert!(out.starts_with(head));
    let tail = &existing[existing.find("[audience]").unwrap()..];
    assert!(out.ends_with(tail));
    assert!(!out.contains("Apple HLS authoring spec"));
    let parsed = Scenario::from_toml("into.toml", &out).unwrap();
    assert_eq!(parsed.ladder.rungs.len(), 3);
    assert_eq!(parsed.name, "Premium OTT service");
    // Importing again gives the same text: the origin comments are replaced, not stacked.
    assert_eq!(
        replace_ladder(&out, &ladder, "hls-muxed.m3u8").unwrap(),
        out
    );
}

#[test]
fn the_audio_layout_keys_follow_the_ladder() {
    let existing = include_str!("../../../scenarios/elearning-apple-hls.toml");
    let demuxed = import("hls-demuxed.m3u8", &fixture("hls-demuxed.m3u8")).unwrap();
    let separate = replace_ladder(existing, &demuxed, "hls-demuxed.m3u8").unwrap();
    let ladder_section =
        &separate[separate.find("[ladder]").unwrap()..separate.find("[[ladder.rungs]]").unwrap()];
    assert!(
        ladder_section.contains("\naudio = \"separate\"\naudio_kbps = 128\n"),
        "{ladder_section}"
    );
    // Back to muxed audio: the ladder keys go, the rungs carry the audio.
    let muxed = import("hls-muxed.m3u8", &fixture("hls-muxed.m3u8")).unwrap();
    let back = replace_ladder(&separate, &muxed, "hls-muxed.m3u8").unwrap();
    assert!(!back.contains("audio = \"separate\""));
    assert_eq!(
        back,
        replace_ladder(existing, &muxed, "hls-muxed.m3u8").unwrap()
    );
    Scenario::from_toml("back.toml", &back).unwrap();
}

#[test]
fn a_scenario_that_cannot_take_a_ladder() {
    let ladder = import("hls-muxed.m3u8", &fixture("hls-muxed.m3u8")).unwrap();
    let err = replace_ladder("[ladder\nname = 1", &ladder, "x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadInput);
    insta::assert_snapshot!("error_into_syntax", err.to_string());
    let inline = "[ladder]\nrungs = [{ name = \"a\" }]\n";
    let err = replace_ladder(inline, &ladder, "x").unwrap_err();
    insta::assert_snapshot!("error_into_inline", err.to_string());
    // A scenario without rungs gets them at the end of [ladder].
    let bare = "[scenario]\nname = \"x\"\n\n[ladder]\nsegment_seconds = 4\n\n[audience]\nwatch_minutes_per_month = 1\n";
    let out = replace_ladder(bare, &ladder, "x").unwrap();
    assert!(
        out.contains("segment_seconds = 4\n\n# Imported from x"),
        "{out}"
    );
    assert!(
        out.ends_with("watch_share = 0.5\n\n[audience]\nwatch_minutes_per_month = 1\n"),
        "{out}"
    );
}

#[test]
fn extreme_numbers_are_refused_or_read_never_a_panic() {
    let job = |video: &str| {
        format!(
            r#"{{"OutputGroups": [{{"OutputGroupSettings": {{"Type": "HLS_GROUP_SETTINGS"}},
               "Outputs": [{{"VideoDescription": {video}}}]}}]}}"#
        )
    };
    let huge_fps = job(
        r#"{"Width": 16384, "Height": 16384, "CodecSettings": {"Codec": "H_264", "H264Settings": {"FramerateControl": "SPECIFIED", "FramerateNumerator": 1000000000000, "FramerateDenominator": 1}}}"#,
    );
    // Read without overflow, then refused by the scenario's rule, where the file states it.
    let err = import("huge.json", &huge_fps).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "huge.json $.OutputGroups[0].Outputs[0]: in a scenario, `fps` must be at most 240"
        ),
        "{err}"
    );
    for (name, text) in [
        ("wide.json", job(r#"{"Width": 100000, "Height": 720}"#)),
        (
            "big.json",
            job(
                r#"{"Width": 1280, "Height": 720, "CodecSettings": {"Codec": "H_264", "H264Settings": {"Bitrate": 1e40}}}"#,
            ),
        ),
        ("neg.json", job(r#"{"Width": -1280, "Height": 720}"#)),
        (
            "bw.m3u8",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=99999999999999999999999,RESOLUTION=1x1\na\n"
                .into(),
        ),
        (
            "fps.m3u8",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=1x1,FRAME-RATE=1e30\na\n".into(),
        ),
        (
            "res.m3u8",
            "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=99999x1\na\n".into(),
        ),
    ] {
        let err = import(name, &text).unwrap_err();
        assert!(
            matches!(err, ImportError::InvalidValue { .. }),
            "{name}: {err}"
        );
    }
    let timeline = r#"<MPD><Period><AdaptationSet contentType="video"><SegmentTemplate timescale="1">
        <SegmentTimeline><S d="4" r="9223372036854775807"/><S d="4" r="9223372036854775807"/></SegmentTimeline>
        </SegmentTemplate><Representation bandwidth="1000" width="2" height="2"/></AdaptationSet></Period></MPD>"#;
    assert_eq!(
        import("t.mpd", timeline).unwrap().segment_seconds,
        Some(d("4"))
    );
}

/// A live presentation's last period is open, so no period is known to be the longest: the
/// ladder is the one the programme's periods share, not the inserted ad break's, which has
/// more Representations. The ad break's encodes are named as left out.
#[test]
fn a_live_presentation_with_an_ad_break_is_read_from_the_programme() {
    let (l, _) = check("dash-live-ad-break.mpd");
    let names: Vec<&str> = l.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["360p_800", "720p_2400", "1080p_5000"]);
    assert!(l.rungs.iter().all(|r| r.fps == d("25")), "{:?}", l.rungs);
    assert!(
        l.notes.iter().any(|n| n.ends_with(
            ":3 (not every period states how long it is; 2 of the 3 periods share this one's ladder)"
        )),
        "{:?}",
        l.notes
    );
    assert!(
        l.warnings.iter().any(
            |w| w.starts_with("1 other period(s) have other video (dash-live-ad-break.mpd:12)")
        ),
        "{:?}",
        l.warnings
    );
}

/// A rendition with a URI of its own in the group of muxed variants is alternate audio the
/// scenario, whose audio is muxed, does not count: said, not dropped in silence.
#[test]
fn alternate_audio_beside_muxed_audio_is_named() {
    let (l, _) = check("hls-muxed-alternate.m3u8");
    assert_eq!(l.rungs.len(), 2);
    assert!(
        l.warnings.iter().any(|w| w.starts_with(
            "hls-muxed-alternate.m3u8:3: 1 audio rendition(s) of group \"aud\" with a URI of their own"
        ) && w.ends_with("does not transcode, store or deliver")),
        "{:?}",
        l.warnings
    );
}

/// HDR is read where each format states it, so the warning on HDR pricing (and on the
/// Dolby Vision add-on the estimate leaves out) is given: a MediaConvert output's video
/// preprocessors, and HLS `SUPPLEMENTAL-CODECS` for Dolby Vision over an HEVC base layer.
#[test]
fn hdr_is_read_from_preprocessors_and_supplemental_codecs() {
    let job = |pre: &str| {
        format!(
            r#"{{"OutputGroups": [{{"OutputGroupSettings": {{"Type": "HLS_GROUP_SETTINGS", "HlsGroupSettings": {{"SegmentLength": 6}}}},
              "Outputs": [{{"VideoDescription": {{"Width": 3840, "Height": 2160,
                "VideoPreprocessors": {pre},
                "CodecSettings": {{"Codec": "H_265", "H265Settings": {{"RateControlMode": "CBR", "Bitrate": 12000000,
                  "FramerateControl": "SPECIFIED", "FramerateNumerator": 24, "FramerateDenominator": 1}}}}}}}}]}}]}}"#
        )
    };
    for (pre, suffix) in [
        (r#"{"DolbyVision": {"Profile": "PROFILE_8_1"}}"#, "_dv"),
        (
            r#"{"ColorCorrector": {"ColorSpaceConversion": "FORCE_HLG_2020"}}"#,
            "_hlg",
        ),
        (r#"{"Hdr10Plus": {}}"#, "_pq"),
        (
            r#"{"ColorCorrector": {"ColorSpaceConversion": "FORCE_709"}}"#,
            "",
        ),
    ] {
        let l = import("hdr.json", &job(pre)).unwrap();
        let name = &l.rungs[0].name;
        let hdr = ["_dv", "_hlg", "_pq"].iter().find(|s| name.ends_with(*s));
        assert_eq!(hdr.copied().unwrap_or(""), suffix, "{pre}: {name}");
        assert_eq!(
            l.warnings.iter().any(|w| w.contains("HDR rendition")),
            !suffix.is_empty(),
            "{pre}: {:?}",
            l.warnings
        );
    }
    let playlist = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=6000000,AVERAGE-BANDWIDTH=4500000,CODECS=\"hvc1.2.4.L123.b0,mp4a.40.2\",SUPPLEMENTAL-CODECS=\"dvh1.08.04/db1p\",RESOLUTION=1920x1080,FRAME-RATE=23.976,VIDEO-RANGE=PQ\n1080.m3u8\n";
    let l = import("dv81.m3u8", playlist).unwrap();
    assert!(l.rungs[0].name.ends_with("_dv"), "{}", l.rungs[0].name);
    assert!(
        l.warnings
            .iter()
            .any(|w| w.contains("Dolby Vision is a MediaConvert add-on")),
        "{:?}",
        l.warnings
    );
}

/// A `GetJob` response says what each output came out as: an output that keeps the input's
/// size (no Width, no Height) takes the size MediaConvert reported. A job whose outputs are
/// in a job template says which template to import instead of "not MediaConvert".
#[test]
fn a_finished_job_s_reported_sizes_and_a_job_from_a_template() {
    let job = r#"{"Job": {"Status": "COMPLETE", "Settings": {"OutputGroups": [{
        "OutputGroupSettings": {"Type": "HLS_GROUP_SETTINGS", "HlsGroupSettings": {"SegmentLength": 6}},
        "Outputs": [
          {"NameModifier": "_top", "VideoDescription": {"CodecSettings": {"Codec": "H_264", "H264Settings": {"RateControlMode": "CBR", "Bitrate": 6000000, "FramerateControl": "SPECIFIED", "FramerateNumerator": 25, "FramerateDenominator": 1}}}},
          {"NameModifier": "_mid", "VideoDescription": {"Width": 1280, "Height": 720, "CodecSettings": {"Codec": "H_264", "H264Settings": {"RateControlMode": "CBR", "Bitrate": 3000000, "FramerateControl": "SPECIFIED", "FramerateNumerator": 25, "FramerateDenominator": 1}}}}]}]},
      "OutputGroupDetails": [{"OutputDetails": [
        {"DurationInMs": 60000, "VideoDetails": {"WidthInPx": 1920, "HeightInPx": 1080}},
        {"DurationInMs": 60000, "VideoDetails": {"WidthInPx": 1280, "HeightInPx": 720}}]}]}}"#;
    let l = import("get-job-follow.json", job).unwrap();
    let sizes: Vec<(u32, u32)> = l.rungs.iter().map(|r| (r.width, r.height)).collect();
    assert_eq!(sizes, [(1920, 1080), (1280, 720)]);
    assert!(
        l.notes.iter().any(|n| n.ends_with(
            "1920x1080 is the size MediaConvert reported, at $.Job.OutputGroupDetails[0].OutputDetails[0].VideoDetails"
        )),
        "{:?}",
        l.notes
    );

    let from_template = r#"{"JobTemplate": "ott-hls", "Role": "arn:aws:iam::111122223333:role/MC",
        "Settings": {"Inputs": [{"FileInput": "s3://bucket/in.mp4"}]}}"#;
    let e = import("create-job.json", from_template)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(
            "$.Settings has no OutputGroups: the job takes its outputs from job template `ott-hls`"
        ),
        "{e}"
    );
    assert!(
        e.contains("hint: import the template: `aws mediaconvert get-job-template --name ott-hls"),
        "{e}"
    );
}

/// A manifest cut short is reported where it stops, not at its first character.
#[test]
fn a_truncated_manifest_fails_at_its_end() {
    let text = "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">\n  <Period>\n    <AdaptationSet";
    let e = import("cut.mpd", text).unwrap_err().to_string();
    assert!(
        e.starts_with("malformed XML in cut.mpd at line 4, column 19:"),
        "{e}"
    );
    let text = "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\">\n  <Period/>\n";
    let e = import("open.mpd", text).unwrap_err().to_string();
    assert!(
        e.starts_with("malformed XML in open.mpd at line 3, column 1:"),
        "{e}"
    );
}

/// Older playlists end with an audio-only stream for slow networks that states neither
/// CODECS nor RESOLUTION: beside variants with a RESOLUTION it is that stream, left out,
/// not a video whose size the import refuses for want of one.
#[test]
fn a_bare_low_variant_beside_sized_ones_is_the_audio_only_stream() {
    let text = "#EXTM3U\n#EXT-X-STREAM-INF:PROGRAM-ID=1,BANDWIDTH=240000,RESOLUTION=400x224\ngear1/prog_index.m3u8\n#EXT-X-STREAM-INF:PROGRAM-ID=1,BANDWIDTH=640000,RESOLUTION=640x360\ngear2/prog_index.m3u8\n#EXT-X-STREAM-INF:PROGRAM-ID=1,BANDWIDTH=40000\ngear0/prog_index.m3u8\n";
    let l = import("gears.m3u8", text).unwrap();
    assert_eq!(l.rungs.len(), 2);
    assert!(
        l.skipped.iter().any(|s| s.origin == "gears.m3u8:6"
            && s.reason
                .starts_with("a variant with neither CODECS nor RESOLUTION")),
        "{:?}",
        l.skipped
    );
    // Alone, with no variant to compare with, it stays a video of unknown size.
    let alone = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=40000\ngear0/prog_index.m3u8\n";
    assert!(import("alone.m3u8", alone).is_err());
}

/// One media playlist asked for with another query for each audio group, at one size, rate
/// and codec, is one video: its two bitrates differ by the audio assumed for each group
/// (E-AC-3's assumed rate is not the surround group's real one). Another playlist at the
/// same size and a bitrate of its own stays a rung.
#[test]
fn one_media_playlist_under_two_queries_is_one_rung() {
    let text = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"stereo\",NAME=\"en\",LANGUAGE=\"en\",DEFAULT=YES,URI=\"a/stereo_en.m3u8\"\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"surround\",NAME=\"en\",LANGUAGE=\"en\",DEFAULT=YES,URI=\"a/surround_en.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=3100000,AVERAGE-BANDWIDTH=2628000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=25,AUDIO=\"stereo\"\nv720.m3u8?g=stereo\n#EXT-X-STREAM-INF:BANDWIDTH=3400000,AVERAGE-BANDWIDTH=2884000,CODECS=\"avc1.64001f,ec-3\",RESOLUTION=1280x720,FRAME-RATE=25,AUDIO=\"surround\"\nv720.m3u8?g=surround\n#EXT-X-STREAM-INF:BANDWIDTH=3100000,AVERAGE-BANDWIDTH=2700000,CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION=1280x720,FRAME-RATE=25,AUDIO=\"stereo\"\nv720hq.m3u8\n";
    let l = import("groups.m3u8", text).unwrap();
    let names: Vec<&str> = l.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        l.notes
            .iter()
            .any(|n| n.starts_with("groups.m3u8:6: the same video as groups.m3u8:4")),
        "{:?}",
        l.notes
    );
}

/// A bitrate past what a scenario prices is the file's to correct, and the file states bits
/// per second: the hint says so rather than asking for kilobits per second.
#[test]
fn a_bitrate_beyond_a_scenario_is_hinted_in_the_file_s_unit() {
    let text = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=50000000000,CODECS=\"avc1.640028\",RESOLUTION=1920x1080,FRAME-RATE=30\n1080.m3u8\n";
    let e = import("huge.m3u8", text).unwrap_err().to_string();
    assert!(
        e.starts_with("huge.m3u8:2: in a scenario, `video_kbps` must be at most 1,000,000"),
        "{e}"
    );
    assert!(
        e.contains("hint: correct the file: its bitrate is in bits per second, and a scenario prices rates up to 1,000,000 kbps (1,000,000,000 bits per second)"),
        "{e}"
    );
}
