//! Invariants of any imported ladder, whatever its size: the assumed shares are decimals of
//! at most 4 places that sum to exactly 1, names are unique, and a muxed ladder written into
//! the default scenario reads back with the same rungs.

use std::collections::BTreeSet;

use ladderwise_import::{ImportedLadder, import, scenario_text};
use ladderwise_model::Scenario;
use proptest::prelude::*;
use rust_decimal::Decimal;

const TEMPLATE: &str = include_str!("../../../scenarios/ugc-short-form.toml");

/// Name modifiers that collide with each other and with generated names.
const MODIFIERS: [&str; 6] = ["_720p", "_720p_2", "", "_hd", "720p_3000", "_"];
const HEIGHTS: [u32; 6] = [234, 360, 540, 720, 1080, 2160];
const AUDIO: [Option<u32>; 3] = [None, Some(96_000), Some(128_000)];

fn check(file: &str, ladder: &ImportedLadder, rungs: usize) {
    assert_eq!(ladder.rungs.len(), rungs);
    let sum: Decimal = ladder.rungs.iter().map(|r| r.watch_share).sum();
    assert_eq!(sum, Decimal::ONE);
    for r in &ladder.rungs {
        assert!(r.watch_share.scale() <= 4, "{}", r.watch_share);
        assert!(r.watch_share > Decimal::ZERO);
    }
    let names: BTreeSet<&str> = ladder.rungs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), ladder.rungs.len(), "names are unique");
    let text = scenario_text(TEMPLATE, ladder, file).unwrap();
    let parsed = Scenario::from_toml(file, &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let parsed: Vec<(&str, Decimal)> = parsed
        .ladder
        .rungs
        .iter()
        .map(|r| (r.name.as_str(), r.watch_share))
        .collect();
    let imported: Vec<(&str, Decimal)> = ladder
        .rungs
        .iter()
        .map(|r| (r.name.as_str(), r.watch_share))
        .collect();
    assert_eq!(parsed, imported);
}

fn job(outputs: &[(usize, usize, u32, usize)]) -> String {
    let outputs: Vec<String> = outputs
        .iter()
        .map(|&(m, h, kbps, a)| {
            let height = HEIGHTS[h];
            let audio = match AUDIO[a] {
                Some(bps) => format!(
                    r#", "AudioDescriptions": [{{ "CodecSettings": {{ "Codec": "AAC", "AacSettings": {{ "Bitrate": {bps} }} }} }}]"#
                ),
                None => String::new(),
            };
            format!(
                r#"{{ "NameModifier": "{}", "VideoDescription": {{ "Width": {}, "Height": {height},
                   "CodecSettings": {{ "Codec": "H_264", "H264Settings": {{ "Bitrate": {} }} }} }}{audio} }}"#,
                MODIFIERS[m],
                height * 16 / 9 / 2 * 2,
                kbps * 1000
            )
        })
        .collect();
    format!(
        r#"{{ "Settings": {{ "OutputGroups": [{{ "OutputGroupSettings": {{ "Type": "HLS_GROUP_SETTINGS",
             "HlsGroupSettings": {{ "SegmentLength": 6 }} }}, "Outputs": [{}] }}] }} }}"#,
        outputs.join(",\n")
    )
}

fn playlist(variants: &[(usize, u32, bool)]) -> String {
    let mut text = String::from("#EXTM3U\n");
    for (i, &(h, kbps, average)) in variants.iter().enumerate() {
        let height = HEIGHTS[h];
        let bandwidth = if average {
            format!(
                "BANDWIDTH={},AVERAGE-BANDWIDTH={}",
                kbps * 1200,
                kbps * 1000
            )
        } else {
            format!("BANDWIDTH={}", kbps * 1000)
        };
        text.push_str(&format!(
            "#EXT-X-STREAM-INF:{bandwidth},CODECS=\"avc1.64001f,mp4a.40.2\",RESOLUTION={}x{height}\nv{i}/index.m3u8\n",
            height * 16 / 9 / 2 * 2
        ));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn mediaconvert_ladders_of_any_size(
        outputs in prop::collection::vec((0..MODIFIERS.len(), 0..HEIGHTS.len(), 100u32..40_000, 0..AUDIO.len()), 1..60)
    ) {
        let ladder = import("prop.json", &job(&outputs)).unwrap();
        check("prop.json", &ladder, outputs.len());
        for (r, (_, _, kbps, _)) in ladder.rungs.iter().zip(&outputs) {
            prop_assert_eq!(r.video_kbps, Decimal::from(*kbps));
        }
    }

    #[test]
    fn hls_ladders_of_any_size(
        variants in prop::collection::vec((0..HEIGHTS.len(), 300u32..40_000, any::<bool>()), 1..60)
    ) {
        let ladder = import("prop.m3u8", &playlist(&variants)).unwrap();
        // Variants with the same size and bitrate are one rung; the rest are kept in order.
        let mut seen = BTreeSet::new();
        let kept: Vec<&(usize, u32, bool)> = variants.iter().filter(|(h, k, _)| seen.insert((*h, *k))).collect();
        check("prop.m3u8", &ladder, kept.len());
        for (r, (_, kbps, _)) in ladder.rungs.iter().zip(kept) {
            // Muxed audio (AAC, assumed 128 kbps) comes off the variant's bitrate.
            prop_assert_eq!(r.video_kbps + r.audio_kbps.unwrap(), Decimal::from(*kbps));
        }
    }

    /// Damaged files are reported, never a panic: every fixture cut short and spliced with
    /// random text.
    #[test]
    fn damaged_files_never_panic(which in 0..FIXTURES.len(), cut in 0.0..1.0f64, insert in ".{0,12}", at in 0.0..1.0f64) {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(FIXTURES[which]),
        ).unwrap();
        let boundary = |f: f64, t: &str| {
            let mut i = (t.len() as f64 * f) as usize;
            while !t.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let mut damaged = text[..boundary(cut, &text).max(1)].to_string();
        let at = boundary(at, &damaged);
        damaged.insert_str(at, &insert);
        if let Ok(ladder) = import(FIXTURES[which], &damaged) {
            let _ = scenario_text(TEMPLATE, &ladder, FIXTURES[which]);
        }
    }
}

const FIXTURES: [&str; 12] = [
    "seed-job-settings.json",
    "job-template-hls-cmaf-dash.json",
    "job-qvbr.json",
    "job-hevc-2pass.json",
    "get-job.json",
    "preset.json",
    "hls-muxed.m3u8",
    "hls-demuxed.m3u8",
    "hls-audio-groups.m3u8",
    "hls-iframes.m3u8",
    "dash-template.mpd",
    "dash-timeline.mpd",
];
