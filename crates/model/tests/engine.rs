//! The cost engine against hand-computed values, one test per line type, on the shipped
//! snapshot. Each test states its arithmetic in a comment, so a reader can redo it.

#[path = "support/random.rs"]
mod random;
mod support;

use std::str::FromStr;

use ladderwise_model::engine::{
    Estimate, LineItem, LineStatus, PipelineStage, Service, ShareKnown, Stage, estimate,
};
use ladderwise_model::scenario::Scenario;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A small scenario; `edits` replaces whole `key = value` lines (matched on the key) or, when
/// the key is not there, is appended to the named section.
fn scenario(edits: &[(&str, &str)]) -> Scenario {
    let text = scenario_text(edits);
    Scenario::from_toml("test.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// The base scenario's text with `edits`.
fn scenario_text(edits: &[(&str, &str)]) -> String {
    let mut text = String::from(BASE);
    for (key, value) in edits {
        let (section, field) = key.rsplit_once('.').unwrap();
        // Tables first; an array of tables (`[[ladder.rungs]]`) edits its first entry.
        let (start, header) = [format!("\n[{section}]\n"), format!("\n[[{section}]]\n")]
            .into_iter()
            .find_map(|h| text.find(&h).map(|i| (i, h)))
            .unwrap_or_else(|| panic!("no section {section}"));
        let body_start = start + header.len();
        let body_end = text[body_start..]
            .find("\n[")
            .map_or(text.len(), |i| body_start + i + 1);
        let body = &text[body_start..body_end];
        let prefix = format!("{field} = ");
        let new_body = if let Some(pos) = body.lines().position(|l| l.starts_with(&prefix)) {
            body.lines()
                .enumerate()
                .map(|(i, l)| {
                    if i == pos {
                        format!("{field} = {value}\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect::<String>()
        } else {
            format!("{body}{field} = {value}\n")
        };
        text.replace_range(body_start..body_end, &new_body);
    }
    text
}

const BASE: &str = r#"
[scenario]
name = "test"
region = "us-east-1"
[content]
new_minutes_per_month = 1000
avg_title_minutes = 5
[ladder]
segment_seconds = 6
[[ladder.rungs]]
name = "720p"
width = 1280
height = 720
fps = 30
codec = "avc"
video_kbps = 3000
audio_kbps = 128
watch_share = 0.5
[[ladder.rungs]]
name = "360p"
width = 640
height = 360
fps = 30
codec = "avc"
video_kbps = 800
audio_kbps = 96
watch_share = 0.5
[audience]
watch_minutes_per_month = 100000
geo = { us = 1.0 }
avg_view_minutes = 5
# Bytes sent = bytes watched, one playlist pair per session: the simplest arithmetic; the
# tests of unwatched buffers and rung switches set these.
early_exit_share = 0
rung_switches_per_session = 0
[account]
free_tier = false
[delivery]
cache_hit_rate = 0.9
[transcode]
service = "mediaconvert"
[storage]
class = "standard"
[vision]
moderation_images_per_title = 0
[nlp]
documents_per_month = 0
[pipeline]
glue = false
"#;

fn run(edits: &[(&str, &str)]) -> Estimate {
    estimate(&scenario(edits), &support::shipped_book())
}

/// The estimate of the base scenario with `edits`, or `None` when the reader refuses it as a
/// month beyond what the engine counts exactly (any other refusal fails the test).
fn run_or_beyond(edits: &[(&str, &str)]) -> Option<Estimate> {
    let text = scenario_text(edits);
    match Scenario::from_toml("test.toml", &text) {
        Ok(s) => Some(estimate(&s, &support::shipped_book())),
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.contains("more than the 10^21 ladderwise prices exactly"),
                "{message}\n{text}"
            );
            None
        }
    }
}

fn line<'a>(e: &'a Estimate, usage_type: &str) -> &'a LineItem {
    e.lines
        .iter()
        .find(|l| &*l.usage_type == usage_type)
        .unwrap_or_else(|| {
            let all: Vec<&str> = e.lines.iter().map(|l| &*l.usage_type).collect();
            panic!("no line {usage_type} in {all:?}")
        })
}

/// The line of `service` with `usage_type`, where services share a usage type's name (S3's
/// and SNS's `Requests-Tier1`).
fn line_in<'a>(e: &'a Estimate, service: Service, usage_type: &str) -> &'a LineItem {
    e.lines
        .iter()
        .find(|l| l.service == service && &*l.usage_type == usage_type)
        .unwrap_or_else(|| panic!("no {service:?} line {usage_type}"))
}

/// The one check of every line test: quantity and cost of the line with `usage_type`, to 15
/// decimal places (the engine and the test may order the same exact arithmetic differently,
/// which moves the 28th digit).
fn check(e: &Estimate, usage_type: &str, quantity: &str, cost: &str) {
    let l = line(e, usage_type);
    assert_eq!(
        l.quantity.round_dp(15),
        d(quantity).round_dp(15),
        "quantity of {usage_type}"
    );
    assert_eq!(
        l.cost.map(|c| c.0.round_dp(15)),
        Some(d(cost).round_dp(15)),
        "cost of {usage_type}: {l:#?}"
    );
}

const GIB: &str = "1073741824";

#[test]
fn egress_is_rung_mix_weighted_and_priced_on_cloudfront_tiers() {
    // avg = 0.5 * 3128 + 0.5 * 896 = 2012 kbps; watch = 100,000 min = 6,000,000 s.
    // bytes = 2,012,000 / 8 * 6,000,000 = 1,509,000,000,000; GB = bytes / 2^30.
    let e = run(&[]);
    let gb = d("1509000000000") / d(GIB);
    let l = line(&e, "US-DataTransfer-Out-Bytes");
    assert_eq!(l.quantity, gb);
    // 1,405.36 GB all in the first tier at $0.085.
    assert_eq!(l.cost.unwrap().0, gb * d("0.085"));
    assert_eq!(l.price_status, LineStatus::AwsPage);
}

#[test]
fn cloudfront_free_tier_comes_off_before_the_tiers() {
    // Same 1,405.36 GB, less the 1,024 GB always-free allowance, at $0.085.
    let e = run(&[("account.free_tier", "true")]);
    let gb = d("1509000000000") / d(GIB);
    let l = line(&e, "US-DataTransfer-Out-Bytes");
    assert_eq!(&*l.tiers[0].label, "free tier");
    assert_eq!(l.tiers[0].quantity, d("1024"));
    assert_eq!(l.cost.unwrap().0, (gb - d("1024")) * d("0.085"));
    // Requests: 6,000,000 s / 6 s = 1,000,000 segments + 2 playlists * (100,000 / 5) sessions
    // = 1,040,000, all inside the 10,000,000 free requests.
    check(&e, "US-Requests-Tier2-HTTPS", "1040000", "0");
}

#[test]
fn cloudfront_tiers_are_walked_per_geography() {
    // 200,000,000 minutes at 2,012 kbps = 3,018,000,000,000,000 bytes = 2,810,728.549… GB,
    // half in the US and half in Europe: 1,405,364.27 GB each, each walked from its own first
    // tier: 870.40 + 3,276.80 + 6,144 + 14,336 + 16,097.28 + (1,405,364.27 - 1,048,576) * 0.025.
    let e = run(&[
        ("audience.watch_minutes_per_month", "200000000"),
        ("audience.geo", "{ us = 0.5, europe = 0.5 }"),
    ]);
    let half = d("3018000000000000") / d(GIB) * d("0.5");
    let expected = d("870.40")
        + d("3276.80")
        + d("6144")
        + d("14336")
        + d("16097.28")
        + (half - d("1048576")) * d("0.025");
    for usage in ["US-DataTransfer-Out-Bytes", "EU-DataTransfer-Out-Bytes"] {
        let l = line(&e, usage);
        assert_eq!(l.quantity, half);
        assert_eq!(l.cost.unwrap().0, expected, "{usage}");
        assert_eq!(l.tiers.len(), 6);
    }
}

#[test]
fn https_requests_per_segment_and_playlist() {
    // 1,040,000 requests (see above) at $0.0100 per 10,000 = $1.04; HTTP is $0.0075 = $0.78.
    let e = run(&[]);
    check(&e, "US-Requests-Tier2-HTTPS", "1040000", "1.04");
    let e = run(&[("delivery.protocol", "\"http\"")]);
    check(&e, "US-Requests-Tier1", "1040000", "0.78");
}

#[test]
fn mediaconvert_bills_normalized_minutes_by_class() {
    // 1,000 minutes of content per month, every rung an output of 1,000 minutes.
    // 720p is HD (factor 2), 360p SD (1): 3,000 normalized minutes * $0.0075 = $22.50.
    let e = run(&[]);
    check(&e, "IAD-Normalized-Transcode-Minute-Basic", "3000", "22.5");
    assert_eq!(e.capacity.normalized_minutes, Some(d("3000")));
    assert_eq!(e.capacity.transcode_output_minutes, d("2000"));
}

#[test]
fn mediaconvert_bills_ten_seconds_at_least_per_output() {
    // Titles of 6 s: 1,000 minutes = 10,000 titles, each output billed 10 s = 1/6 minute:
    // 10,000 / 6 = 1,666.67 output minutes per rung; normalized (2 + 1) * that = 5,000.
    let e = run(&[("content.avg_title_minutes", "0.1")]);
    let l = line(&e, "IAD-Normalized-Transcode-Minute-Basic");
    assert_eq!(l.quantity.round_dp(6), d("5000"));
}

#[test]
fn uhd_and_high_frame_rates_multiply() {
    // A 2160p60 rung: UHD 4 * >30 fps 1.25 = 5 per minute; 1,000 min * 5 = 5,000, plus the
    // 360p rung's 1,000: 6,000 * $0.0075 = $45.
    let e = run(&[
        ("ladder.rungs.width", "3840"),
        ("ladder.rungs.height", "2160"),
        ("ladder.rungs.fps", "60"),
    ]);
    check(&e, "IAD-Normalized-Transcode-Minute-Basic", "6000", "45");
}

#[test]
fn hevc_moves_an_output_to_professional() {
    // 720p in HEVC: Professional, HD 2 * HEVC 2 = 4 * 1,000 = 4,000 * $0.012 = $48;
    // 360p AVC stays Basic: 1,000 * $0.0075 = $7.50.
    let e = run(&[("ladder.rungs.codec", "\"hevc\"")]);
    check(
        &e,
        "IAD-Normalized-Transcode-Minute-Professional",
        "4000",
        "48",
    );
    check(&e, "IAD-Normalized-Transcode-Minute-Basic", "1000", "7.5");
    assert!(e.warnings.iter().any(|w| w.contains("Professional")));
}

#[test]
fn frame_rates_above_120_are_unpriced_not_free() {
    let e = run(&[("ladder.rungs.fps", "240")]);
    let l = e
        .lines
        .iter()
        .find(|l| l.rung.as_deref() == Some("720p") && l.stage == Stage::Transcode)
        .unwrap();
    assert_eq!(l.price_status, LineStatus::Unpriced);
    assert_eq!(l.cost, None);
    assert!(!e.complete);
}

/// MediaConvert encodes AVC, VP9 and AV1 up to 4096x2160 and HEVC up to 8192x4320 (User
/// Guide, maximum supported output resolutions): a rung beyond its codec's largest frame is
/// unpriced, with why, not priced as if it could be made.
#[test]
fn an_output_beyond_its_codecs_largest_frame_is_unpriced() {
    let transcode_of_720p = |e: &Estimate| {
        e.lines
            .iter()
            .find(|l| l.rung.as_deref() == Some("720p") && l.stage == Stage::Transcode)
            .cloned()
    };
    let eight_k = [
        ("ladder.rungs.width", "7680"),
        ("ladder.rungs.height", "4320"),
    ];
    let e = run(&eight_k);
    let l = transcode_of_720p(&e).expect("an unpriced line of its own");
    assert_eq!(l.price_status, LineStatus::Unpriced);
    assert_eq!(l.cost, None);
    let note = l.note.unwrap();
    assert!(
        note.contains("MediaConvert encodes AVC up to 4096x2160 or 2160x4096")
            && note.contains("7680x4320 is beyond it"),
        "{note}"
    );
    assert!(!e.complete);
    // HEVC reaches 8K; a portrait 4K AVC frame is within 2160x4096; AV1's one listed frame
    // is landscape.
    let mut hevc = eight_k.to_vec();
    hevc.push(("ladder.rungs.codec", "\"hevc\""));
    assert!(run(&hevc).complete);
    let portrait = [
        ("ladder.rungs.width", "2160"),
        ("ladder.rungs.height", "3840"),
    ];
    assert!(run(&portrait).complete);
    let mut av1 = portrait.to_vec();
    av1.push(("ladder.rungs.codec", "\"av1\""));
    let e = run(&av1);
    assert_eq!(
        transcode_of_720p(&e).map(|l| l.price_status),
        Some(LineStatus::Unpriced)
    );
}

/// A reserved queue runs no AV1 encoding and no 8K output (MediaConvert User Guide, reserved
/// queue job settings limitations): those rungs' outputs stay on demand, the slots take
/// their share of the rest, and the advice weighs the slots against what they could run.
#[test]
fn reserved_slots_leave_av1_and_8k_outputs_on_demand() {
    let busy = [
        ("content.new_minutes_per_month", "100000"),
        ("transcode.reserved_slots", "2"),
        ("transcode.job_speed", "1"),
    ];
    let needed = d("100000") / d("43800");
    let taken = d("2") / needed;
    // The 720p rung in AV1 (Professional, alone in its pool): all of it on demand, as
    // without slots; the 360p AVC rung (Basic) is taken as before.
    let mut edits = busy.to_vec();
    edits.push(("ladder.rungs.codec", "\"av1\""));
    let e = run(&edits);
    let no_slots = run(&[busy[0], busy[2], edits[3]]);
    let pro = "IAD-Normalized-Transcode-Minute-Professional";
    assert_eq!(line(&e, pro).quantity, line(&no_slots, pro).quantity);
    let basic = line(&e, "IAD-Normalized-Transcode-Minute-Basic");
    assert_eq!(
        basic.quantity.round_dp(12),
        (d("100000") * (d("1") - taken)).round_dp(12)
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("rung(s) `720p` (AV1 encoding) run on demand")),
        "{:?}",
        e.warnings
    );
    // The advice weighs 3 slots against the 360p rung on demand alone: 100,000 NM at
    // $0.0075; the AV1 rung runs on demand either way.
    let r = e.capacity.reserved_vs_on_demand.clone().unwrap();
    assert_eq!(r.on_demand.0, d("750"));
    assert_eq!(r.stays_on_demand, vec!["`720p` (AV1 encoding)".to_string()]);
    assert!(
        r.summary().contains("run on demand either way"),
        "{}",
        r.summary()
    );
    // Every rung in AV1: no slot can run any of it, and none is sized.
    let text = scenario_text(&[busy[0], ("ladder.rungs.codec", "\"av1\"")])
        .replace("codec = \"avc\"", "codec = \"av1\"");
    let e = estimate(
        &Scenario::from_toml("test.toml", &text).unwrap(),
        &support::shipped_book(),
    );
    assert_eq!(e.capacity.reserved_slots_needed, None);
    assert_eq!(e.capacity.reserved_vs_on_demand, None);
    // With a separate audio rendition beside them and slots reserved: the audio runs on
    // demand with the rungs, no advice weighs the slots against it, and the estimate says
    // the slots run none of the ladder.
    let text = scenario_text(&[busy[0], busy[1], busy[2], ("ladder.rungs.codec", "\"av1\"")])
        .replace("codec = \"avc\"", "codec = \"av1\"")
        .replace(
            "[ladder]\n",
            "[ladder]\naudio = \"separate\"\naudio_kbps = 64\n",
        )
        .replace("audio_kbps = 128\n", "")
        .replace("audio_kbps = 96\n", "");
    let s = Scenario::from_toml("test.toml", &text).unwrap();
    let e = estimate(&s, &support::shipped_book());
    let mut without = s.clone();
    without.transcode.reserved_slots = 0;
    let all_on_demand = estimate(&without, &support::shipped_book());
    let basic = "IAD-Normalized-Transcode-Minute-Basic";
    assert_eq!(
        line(&e, basic).quantity,
        line(&all_on_demand, basic).quantity
    );
    assert_eq!(e.capacity.reserved_vs_on_demand, None);
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("the reserved slots run none of this ladder's outputs")),
        "{:?}",
        e.warnings
    );

    // An 8K HEVC rung beside a 360p HEVC rung: one pool, of which the slots take their share
    // of the 360p rung's minutes only.
    let text = scenario_text(&[
        busy[0],
        busy[1],
        busy[2],
        ("ladder.rungs.width", "7680"),
        ("ladder.rungs.height", "4320"),
        ("ladder.rungs.codec", "\"hevc\""),
    ])
    .replace("codec = \"avc\"", "codec = \"hevc\"");
    let s = Scenario::from_toml("test.toml", &text).unwrap();
    let e = estimate(&s, &support::shipped_book());
    let l = line(&e, pro);
    let book = support::shipped_book();
    let table = book.mediaconvert.as_ref().unwrap();
    let per_rung = |i: usize| {
        let tier = ladderwise_model::scenario::MediaConvertTier::Professional;
        let (f, _) = ladderwise_model::engine::transcode::normalization_factor(
            table,
            tier,
            &s.ladder.rungs[i],
            1,
        )
        .unwrap();
        d("100000") * f
    };
    let (eight, small) = (per_rung(0), per_rung(1));
    assert_eq!(
        l.quantity.round_dp(12),
        (eight + small * (d("1") - taken)).round_dp(12)
    );
}

#[test]
fn s3_storage_counts_the_library_and_half_the_new_month() {
    // Per content minute: (3,128 + 896) kbps * 60 s / 8 = 30,180,000 bytes of segments, and
    // the playlists of a 5-minute title: two media playlists of 120 + 45 * 50 = 2,370 bytes
    // and a multivariant one of 120 + 150 * 2 = 420: 5,160 bytes, 1,032 per minute.
    // Library 10,000 min all month + 1,000 new min for half of it = 10,500 min-months.
    // 10,500 * 30,181,032 = 316,900,836,000 bytes; GB = / 2^30; at $0.023.
    let e = run(&[("content.library_minutes", "10000")]);
    let gb = d("316900836000") / d(GIB);
    check(
        &e,
        "TimedStorage-ByteHrs",
        &gb.to_string(),
        &(gb * d("0.023")).to_string(),
    );
    assert_eq!(
        line(&e, "TimedStorage-ByteHrs").price_status,
        LineStatus::PriceList
    );
}

#[test]
fn s3_puts_count_every_segment_and_playlist() {
    // 5-minute titles: 300 s / 6 s = 50 segments per rung, + 1 media playlist each, + the
    // multivariant playlist: 2 * 51 + 1 = 103 objects; 200 titles = 20,600 PUTs * $0.000005.
    let e = run(&[]);
    check(&e, "Requests-Tier1", "20600", "0.103");
}

/// 60 days in months of the plan (365.25 / 12 days each).
fn sixty_days() -> Decimal {
    d("60") / (d("365.25") / d("12"))
}

#[test]
fn lifecycle_moves_old_cohorts_and_bills_transitions() {
    // Library 10,000 min at 1,000 a month: ages run 0–10 months at the start of the month and
    // 1–11 at its end. After 60 days (X = 1.9713 months) segments move to Standard-IA; at time
    // s of the month the library's part older than X is 10 + s − X, so the month holds
    // 1,000 * ∫(10 + s − X) ds = 1,000 * (10.5 − X) minute-months there. Segments are over
    // 128 KB (360p: 896,000 * 6 / 8 = 672,000 bytes): 30,180,000 bytes a minute. Playlists,
    // under 128 KB, stay in Standard (S3 Lifecycle's default).
    let e = run(&[
        ("content.library_minutes", "10000"),
        (
            "storage.lifecycle",
            "[{ after_days = 60, class = \"standard-ia\" }]",
        ),
    ]);
    let gb = d("1000") * (d("10.5") - sixty_days()) * d("30180000") / d(GIB);
    check(
        &e,
        "TimedStorage-SIA-ByteHrs",
        &gb.to_string(),
        &(gb * d("0.0125")).to_string(),
    );
    // Content aged X − 1 to X at the start crosses X during the month: one month of uploads,
    // 1,000 minutes = 200 titles * 100 segments = 20,000 objects at $0.01 per 1,000.
    check(&e, "Requests-Tier4", "20000", "0.2");
    // The rule's line says whether it pays for itself against its reads.
    let note = line(&e, "Requests-Tier4").note.clone().unwrap();
    assert!(
        note.contains("origin read is of objects older than 60 days"),
        "{note}"
    );
}

#[test]
fn origin_reads_are_priced_in_the_class_that_holds_the_bytes() {
    // The same library: Standard holds 1,000 * X minute-months of segments (ages below X:
    // ∫(X − s) ds = X − 0.5 of the library, plus 500 of new uploads), Standard-IA
    // 1,000 * (10.5 − X); playlists sit in Standard all 10,500 minute-months.
    let e = run(&[
        ("content.library_minutes", "10000"),
        (
            "storage.lifecycle",
            "[{ after_days = 60, class = \"standard-ia\" }]",
        ),
    ]);
    let x = sixty_days();
    let standard = d("1000") * x * d("30180000") + d("10500") * d("1032");
    let ia = d("1000") * (d("10.5") - x) * d("30180000");
    let share = ia / (standard + ia);
    // 104,000 origin GETs (10 % of 1,040,000) split by bytes held.
    let ia_gets = d("104000") * share;
    check(
        &e,
        "Requests-SIA-Tier2",
        &ia_gets.to_string(),
        &(ia_gets * d("0.000001")).to_string(),
    );
    let std_gets = d("104000") * (standard / (standard + ia));
    assert_eq!(line(&e, "Requests-Tier2").quantity, std_gets);
    // Retrieval: the IA share of the 10 % of 1,405.36 GB that miss the edge, at $0.01 a GB.
    let origin_gb = d("1509000000000") / d(GIB) * d("0.1");
    let retrieval = line(&e, "Retrieval-SIA");
    assert_eq!(retrieval.quantity, origin_gb * share);
    assert_eq!(retrieval.cost.unwrap().0, origin_gb * share * d("0.01"));

    // "60 % of origin reads are of titles younger than 30 days": 60 % of the GETs go to the
    // bytes aged under 30 days, all in Standard, and 40 % over the older bytes.
    let e = run(&[
        ("content.library_minutes", "10000"),
        (
            "storage.lifecycle",
            "[{ after_days = 60, class = \"standard-ia\" }]",
        ),
        ("delivery.recent_read_share", "0.6"),
        ("delivery.recent_days", "30"),
    ]);
    let young_age = d("30") / (d("365.25") / d("12"));
    // Segments older than 30 days: library ∫(10 + s − Y) ds = 10.5 − Y in all, of which
    // 10.5 − X in IA; playlists older than Y sit in Standard.
    let old_standard = d("1000") * (x - young_age) * d("30180000")
        + d("1000") * (d("10.5") - young_age) * d("1032");
    let old_share = ia / (ia + old_standard);
    let ia_gets = d("104000") * d("0.4") * old_share;
    assert_eq!(
        line(&e, "Requests-SIA-Tier2").quantity.round_dp(9),
        ia_gets.round_dp(9)
    );
}

#[test]
fn infrequent_access_bills_small_segments_as_128_kb() {
    // A 100 kbps audio-less rung: 6 s segments of 75,000 bytes billed as 131,072.
    // Writing straight to Standard-IA: 1,000 new minutes for half the month = 500 min-months;
    // 50 segments per 5-minute title = 10 per minute; 500 * 10 * 131,072 bytes for that rung.
    // The playlists (2 media + 1 multivariant per title, 0.6 a minute) are billed 131,072 too.
    let e = run(&[
        ("storage.class", "\"standard-ia\""),
        ("ladder.rungs.video_kbps", "100"),
        ("ladder.rungs.audio_kbps", "0"),
    ]);
    let small = d("500") * d("10") * d("131072");
    // The 360p rung: 896 kbps * 6 s / 8 = 672,000 bytes per segment, over the minimum.
    let other = d("500") * d("10") * d("672000");
    let playlists = d("500") * d("0.6") * d("131072");
    let gb = (small + other + playlists) / d(GIB);
    check(
        &e,
        "TimedStorage-SIA-ByteHrs",
        &gb.to_string(),
        &(gb * d("0.0125")).to_string(),
    );
}

#[test]
fn objects_leaving_a_class_early_are_billed_its_minimum() {
    // Written to Glacier IR, deleted after one month. The library of 1,000 minutes (ages 0–1)
    // is deleted this month: each minute leaves after 1 month of the 90-day minimum, and is
    // billed the remaining 90 / 30.4375 − 1 months. Stored: the library ∫(1 − s) ds = 0.5
    // and the uploads 0.5, 1,000 minute-months in all.
    let e = run(&[
        ("storage.class", "\"glacier-ir\""),
        ("content.library_minutes", "1000"),
        ("content.retention_months", "1"),
    ]);
    // Per minute in Glacier IR: the segments (30,180,000 bytes) and three playlists of 0.2
    // a minute each, each billed 131,072 bytes: 0.6 * 131,072 = 78,643.2.
    let per_minute = d("30180000") + d("78643.2");
    let stored = d("1000") * per_minute / d(GIB);
    check(
        &e,
        "TimedStorage-GIR-ByteHrs",
        &stored.to_string(),
        &(stored * d("0.004")).to_string(),
    );
    let remaining = d("90") / (d("365.25") / d("12")) - d("1");
    let early = d("1000") * per_minute * remaining / d(GIB);
    let l = line(&e, "EarlyDelete-GIR");
    assert_eq!(l.quantity.round_dp(15), early.round_dp(15));
    // Storage alone was 1 / (1 + 1.9569) = 34 % of what this month bills for Glacier IR.
    assert!(early > stored);
}

#[test]
fn origin_fetches_follow_the_hit_rate_and_origin_shield() {
    // 1,040,000 requests, 10 % miss the edge = 104,000 GETs at $0.0004 per 1,000.
    let e = run(&[]);
    check(&e, "Requests-Tier2", "104000", "0.0416");
    // With Origin Shield (hit rate 0.5) in us-east-1: the US misses reach it through three
    // regional edge caches (N. Virginia, Ohio, Oregon), the third from N. Virginia is in the
    // shield's own Region and not billed: 104,000 * 2/3 = 69,333.33 requests at $0.0075 per
    // 10,000; half of the 104,000 reach S3.
    let e = run(&[("delivery.origin_shield", "true")]);
    let billed = d("104000") * (d("1") - d("1") / d("3"));
    check(
        &e,
        "USE1-Requests-OriginShield",
        &billed.to_string(),
        &(billed * d("0.00000075")).to_string(),
    );
    check(&e, "Requests-Tier2", "52000", "0.0208");
}

#[test]
fn cloudfront_bills_the_bytes_it_sends_not_the_bytes_watched() {
    // 20,000 sessions (100,000 min / 5) of 10-minute titles; half end early, each leaving
    // the 30 s the player buffered ahead: 300,000 s more than the 6,000,000 s watched. Two
    // unplayed impressions per session preload 5 s each: 200,000 s more. 6,500,000 s at
    // 2,012 kbps.
    let e = run(&[
        ("content.avg_title_minutes", "10"),
        ("audience.avg_view_minutes", "5"),
        ("audience.early_exit_share", "0.5"),
        ("audience.buffer_ahead_seconds", "30"),
        ("audience.impressions_per_session", "2"),
        ("audience.preload_seconds", "5"),
        ("audience.rung_switches_per_session", "3"),
    ]);
    let bytes = d("2012000") / d("8") * d("6500000");
    assert_eq!(
        line(&e, "US-DataTransfer-Out-Bytes").quantity,
        bytes / d(GIB)
    );
    // Requests: 6,500,000 / 6 segments; per session the multivariant and a media playlist,
    // and one media playlist per rung switch (3): 5; per impression 2: 4 more.
    let requests = d("6500000") / d("6") + d("20000") * (d("5") + d("4"));
    assert_eq!(line(&e, "US-Requests-Tier2-HTTPS").quantity, requests);
    // Watched time is what viewer-hours count.
    assert_eq!(e.unit_economics.viewer_hours, d("100000") / d("60"));
    assert_eq!(e.unit_economics.delivered_gb, bytes / d(GIB));
}

#[test]
fn a_separate_audio_rendition_is_fetched_stored_and_transcoded_once() {
    // Video-only rungs, one 128 kbps audio rendition: a viewer receives 0.5 * 3,000 +
    // 0.5 * 800 + 128 = 2,028 kbps, and fetches a video and an audio segment per 6 s.
    let text = BASE
        .replace("audio_kbps = 128", "audio_kbps = 0")
        .replace("audio_kbps = 96", "audio_kbps = 0")
        .replace(
            "segment_seconds = 6",
            "segment_seconds = 6\naudio = \"separate\"\naudio_kbps = 128",
        );
    let s = Scenario::from_toml("test.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let e = estimate(&s, &support::shipped_book());
    let bytes = d("2028000") / d("8") * d("6000000");
    assert_eq!(
        line(&e, "US-DataTransfer-Out-Bytes").quantity,
        bytes / d(GIB)
    );
    // 2 * 1,000,000 segments + per session the multivariant and two media playlists.
    let requests = d("2000000") + d("20000") * d("3");
    assert_eq!(line(&e, "US-Requests-Tier2-HTTPS").quantity, requests);
    // Objects per title: 3 tracks * (50 segments + 1 playlist) + the multivariant = 154.
    check(&e, "Requests-Tier1", "30800", "0.154");
    assert_eq!(e.capacity.avg_delivered_kbps, d("2028"));
}

#[test]
fn peaks_over_cloudfront_quotas_are_warned_of() {
    // 10,000,000,000 minutes a month at 2,012 kbps: 2,012,000 * 600,000,000,000 / 2,628,000
    // s = 459.4 Gbps on average, 1,378 Gbps at the peak of 3: over the 150 Gbps quota.
    let e = run(&[("audience.watch_minutes_per_month", "10000000000")]);
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("exceeds CloudFront's default quota of 150 Gbps")),
        "{:?}",
        e.warnings
    );
    let e = run(&[]);
    assert!(!e.warnings.iter().any(|w| w.contains("quota")));
}

#[test]
fn reserved_slots_needed_follow_the_job_speed_range() {
    // 100,000 minutes of content a month arrive at 100,000 / 43,800 = 2.28 per minute of
    // wall time; at 1, 0.5 and 3 minutes of a slot each: 3, 2 and 7 slots.
    let e = run(&[
        ("content.new_minutes_per_month", "100000"),
        ("transcode.job_speed", "1"),
        ("transcode.job_speed_high", "3"),
    ]);
    assert_eq!(e.capacity.reserved_slots_needed, Some(d("3")));
    assert_eq!(e.capacity.reserved_slots_range, Some((d("2"), d("7"))));
}

#[test]
fn direct_s3_delivery_uses_data_transfer_tiers_and_its_free_100_gb() {
    // 1,405.36 GB from S3, less 100 GB free, at $0.09; every request is an S3 GET.
    let e = run(&[("delivery.cdn", "\"none\""), ("account.free_tier", "true")]);
    let gb = d("1509000000000") / d(GIB);
    let l = line(&e, "DataTransfer-Out-Bytes");
    assert_eq!(l.service, Service::DataTransfer);
    assert_eq!(l.cost.unwrap().0, (gb - d("100")) * d("0.09"));
    check(&e, "Requests-Tier2", "1040000", "0.416");
    assert!(!e.lines.iter().any(|l| l.service == Service::CloudFront));
}

#[test]
fn elastic_transcoder_rounds_minutes_and_applies_its_free_tier() {
    // 5.5-minute titles round up to 6 billed minutes per output; 1,000 / 5.5 = 181.818 titles.
    // SD: 181.818 * 6 = 1,090.909 min, less the 20 free SD minutes, at $0.015. The free tier
    // is 20 SD minutes *or* 10 HD (an HD minute counts as two): spent on SD, none is left
    // for HD, whose 1,090.909 minutes are billed whole at $0.030.
    let e = run(&[
        ("transcode.service", "\"elastic-transcoder\""),
        ("content.avg_title_minutes", "5.5"),
        ("account.free_tier", "true"),
    ]);
    let minutes = d("1000") / d("5.5") * d("6");
    let sd = line(&e, "ets-sd-success");
    assert_eq!(sd.quantity, minutes);
    assert_eq!(sd.cost.unwrap().0, (minutes - d("20")) * d("0.015"));
    let hd = line(&e, "ets-hd-success");
    assert_eq!(hd.cost.unwrap().0, minutes * d("0.030"));
    assert_eq!(hd.price_status, LineStatus::PriceList);
    assert!(e.warnings.iter().any(|w| w.contains("discontinued")));
    // An HD-only ladder: the 20 SD-minute allowance is 10 HD minutes.
    let text = BASE
        .replace("width = 640\nheight = 360", "width = 1280\nheight = 720")
        .replace(
            "service = \"mediaconvert\"",
            "service = \"elastic-transcoder\"",
        )
        .replace("avg_title_minutes = 5", "avg_title_minutes = 5.5")
        .replace(
            "[account]\nfree_tier = false",
            "[account]\nfree_tier = true",
        );
    let s = Scenario::from_toml("test.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let e = estimate(&s, &support::shipped_book());
    assert!(!e.lines.iter().any(|l| l.usage_type.contains("sd-success")));
    let hd = line(&e, "ets-hd-success");
    assert_eq!(hd.tiers[0].quantity, d("10"));
    assert_eq!(
        hd.cost.unwrap().0,
        (minutes * d("2") - d("10")) * d("0.030")
    );
    // Without the free tier nothing comes off.
    let e = run(&[
        ("transcode.service", "\"elastic-transcoder\""),
        ("content.avg_title_minutes", "5.5"),
    ]);
    assert_eq!(
        line(&e, "ets-sd-success").cost.unwrap().0,
        minutes * d("0.015")
    );
}

#[test]
fn reserving_more_slots_than_a_scenario_can_write_says_so() {
    use ladderwise_model::engine::transcode::ReservedComparison;
    use ladderwise_model::units::Usd;
    let advice = |slots: i64| {
        ReservedComparison {
            slots: Decimal::from(slots),
            reserved: Usd(Decimal::from(400 * slots)),
            on_demand: Usd(Decimal::from(900 * slots)),
            stays_on_demand: Vec::new(),
        }
        .summary()
    };
    let big = advice(22_832);
    assert!(
        big.contains("more than the 10,000 `transcode.reserved_slots` takes"),
        "{big}"
    );
    assert!(!advice(10_000).contains("more than"));
}

#[test]
fn a_long_retention_is_priced_not_refused_as_beyond_counting() {
    // Retention deletes what is older; kept for a hundred million months, the month holds
    // what it holds kept for good (a bound once multiplied the bytes by the months kept).
    let big = ("content.new_minutes_per_month", "10000000");
    let long = run(&[big, ("content.retention_months", "100000000")]);
    let forever = run(&[big]);
    let stored = |e: &Estimate| {
        e.lines
            .iter()
            .filter(|l| l.usage_type.ends_with("TimedStorage-ByteHrs"))
            .map(|l| l.quantity)
            .sum::<Decimal>()
    };
    assert_eq!(stored(&long), stored(&forever));
}

#[test]
fn elastic_transcoder_leaves_what_it_cannot_encode_unpriced() {
    // Its presets take frame rates up to 60 and no HEVC or AV1: such a rung has no price,
    // never the H.264 rate of its class.
    for (field, value, why) in [
        ("ladder.rungs.fps", "144", "144 fps"),
        ("ladder.rungs.codec", "\"hevc\"", "hevc"),
    ] {
        let e = run(&[
            ("transcode.service", "\"elastic-transcoder\""),
            (field, value),
        ]);
        let l = e
            .lines
            .iter()
            .find(|l| l.service == Service::ElasticTranscoder && l.rung.as_deref() == Some("720p"))
            .unwrap_or_else(|| panic!("{:#?}", e.lines));
        assert_eq!(l.price_status, LineStatus::Unpriced, "{field}");
        assert!(l.cost.is_none());
        let note = l.note.as_deref().unwrap_or("");
        assert!(note.contains(&format!("cannot encode {why}")), "{note}");
        assert!(!e.complete);
        // The rung's transcode share is unknown, not $0; the other rung's is whole.
        let rung = |name: &str| e.rungs.iter().find(|r| r.rung == name).unwrap();
        assert_eq!(rung("720p").known[0], ShareKnown::Unknown);
        assert!(!rung("720p").complete);
        assert_eq!(rung("360p").known, [ShareKnown::Whole; 3]);
        assert!(rung("360p").complete);
    }
    // 60 fps it encodes.
    let e = run(&[
        ("transcode.service", "\"elastic-transcoder\""),
        ("ladder.rungs.fps", "60"),
    ]);
    assert!(e.complete, "{:?}", e.warnings);
}

#[test]
fn elastic_transcoders_audio_only_output_takes_its_own_free_minutes() {
    // A separate audio rendition: one audio-only output per title, 200 titles of 5 minutes =
    // 1,000 minutes. The Price List's `global-ets-audio-success` record gives 20 of them free
    // a month, beside the SD or HD allowance the video outputs spend.
    let separate = [
        ("transcode.service", "\"elastic-transcoder\""),
        ("ladder.audio", "\"separate\""),
        ("ladder.audio_kbps", "128"),
        ("ladder.rungs.audio_kbps", "0"),
    ];
    let text = scenario_text(&separate).replace("audio_kbps = 96", "audio_kbps = 0");
    let priced = |free_tier: bool| {
        let text = text.replace(
            "[account]\nfree_tier = false",
            &format!("[account]\nfree_tier = {free_tier}"),
        );
        let s = Scenario::from_toml("test.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        estimate(&s, &support::shipped_book())
    };
    let e = priced(true);
    let audio = line(&e, "ets-audio-success");
    assert_eq!(audio.quantity, d("1000"));
    assert_eq!(audio.cost.unwrap().0, (d("1000") - d("20")) * d("0.0045"));
    // The video outputs keep the whole SD allowance: the audio minutes are not drawn from it.
    let sd = line(&e, "ets-sd-success");
    assert_eq!(sd.cost.unwrap().0, (d("1000") - d("20")) * d("0.015"));
    // Without the free tier nothing comes off.
    let audio = line(&priced(false), "ets-audio-success").clone();
    assert_eq!(audio.cost.unwrap().0, d("1000") * d("0.0045"));
}

#[test]
fn rekognition_walks_image_tiers() {
    // 200 titles * 10,000 images = 2,000,000 images: 1,000,000 * 0.001 + 1,000,000 * 0.0008.
    let e = run(&[("vision.moderation_images_per_title", "10000")]);
    check(&e, "USE1-Group2-ImagesProcessed", "2000000", "1800");
    // Video moderation: 1,000 minutes * $0.10.
    let e = run(&[("vision.video_moderation", "true")]);
    check(&e, "USE1-MinutesOfVideoProcessed", "1000", "100");
}

#[test]
fn rekognition_prices_each_api_group_frames_and_video_features() {
    // 200 titles: group 2 is one tier walk over every API's images and the sampled frames:
    // 200 * (2 moderation + 3 labels) + 2 frames a minute * 1,000 minutes = 3,000 images at
    // $0.001 = $3. Group 1 (IndexFaces): 200 * 4 = 800 images at $0.001 = $0.80.
    let e = run(&[
        ("vision.moderation_images_per_title", "2"),
        ("vision.label_images_per_title", "3"),
        ("vision.frames_per_minute", "2"),
        ("vision.face_search_images_per_title", "4"),
        ("vision.video_labels", "true"),
        ("vision.video_text", "true"),
    ]);
    check(&e, "USE1-Group2-ImagesProcessed", "3000", "3");
    check(&e, "USE1-Group1-ImagesProcessed", "800", "0.8");
    // Two stored-video features over 1,000 minutes: 2,000 minutes * $0.10.
    check(&e, "USE1-MinutesOfVideoProcessed", "2000", "200");
}

#[test]
fn detect_text_chains_into_comprehend_sentiment() {
    // 200 titles * 5 images to DetectText = 1,000 group 2 images at $0.001 = $1. Each image's
    // text (100 characters) is one DetectSentiment request of 3 units (the minimum): 3,000
    // units; with 1,000 documents of 450 characters (5 units each, 5,000 units) the one API's
    // tier walk covers 8,000 units at $0.0001 = $0.80.
    let e = run(&[
        ("vision.text_images_per_title", "5"),
        ("nlp.ocr_text", "true"),
        ("nlp.ocr_chars", "100"),
        ("nlp.documents_per_month", "1000"),
        ("nlp.avg_chars", "450"),
        ("nlp.apis", "[\"sentiment\"]"),
    ]);
    check(&e, "USE1-Group2-ImagesProcessed", "1000", "1");
    check(&e, "USE1-DetectSentiment", "8000", "0.8");
    // Without the chain only the documents are analysed: 5,000 units = $0.50.
    let e = run(&[
        ("vision.text_images_per_title", "5"),
        ("nlp.documents_per_month", "1000"),
        ("nlp.avg_chars", "450"),
        ("nlp.apis", "[\"sentiment\"]"),
    ]);
    check(&e, "USE1-DetectSentiment", "5000", "0.5");
}

#[test]
fn lambda_takes_its_free_tier_off_requests_and_gb_seconds() {
    // 200 titles * 10,000 invocations = 2,000,000 requests; 1,000,000 free, 1,000,000 at
    // $0.20 per million = $0.20. 2,000,000 * 0.5 s * 1,024 MB / 1,024 = 1,000,000 GB-s;
    // 400,000 free, 600,000 at $0.0000166667 = $10.00002.
    let glue = [
        ("pipeline.glue", "true"),
        ("pipeline.lambda_invocations_per_title", "10000"),
        ("pipeline.lambda_seconds", "0.5"),
        ("pipeline.lambda_memory_mb", "1024"),
    ];
    let mut edits = glue.to_vec();
    edits.push(("account.free_tier", "true"));
    let e = run(&edits);
    check(&e, "Request", "2000000", "0.2");
    check(&e, "Lambda-GB-Second", "1000000", "10.00002");
    // Without the free tier every request and GB-second is billed: $0.40 and $16.6667.
    let e = run(&glue);
    check(&e, "Request", "2000000", "0.4");
    check(&e, "Lambda-GB-Second", "1000000", "16.6667");
    // Derived invocations: 1 orchestrator + 3 moderated thumbnails = 4 per title, 800 in all.
    let e = run(&[
        ("pipeline.glue", "true"),
        ("vision.moderation_images_per_title", "3"),
    ]);
    check(&e, "Request", "800", "0.00016");
}

#[test]
fn step_functions_review_dynamodb_sns_and_sqs() {
    // 200 titles, half reviewed, 12 transitions each: 1,200 transitions at $0.000025 = $0.03.
    // Writes derive as 1 + 0.5 per title = 300 WRU at $0.000000625 = $0.0001875; SNS 200
    // publishes at $0.0000005 = $0.0001; SQS 600 requests at $0.0000004 = $0.00024.
    let e = run(&[
        ("pipeline.glue", "true"),
        ("pipeline.review_share", "0.5"),
        ("pipeline.review_transitions", "12"),
    ]);
    check(&e, "USE1-StateTransition", "1200", "0.03");
    check(&e, "WriteRequestUnits", "300", "0.0001875");
    let sns = line_in(&e, Service::Sns, "Requests-Tier1");
    assert_eq!(sns.quantity, d("200"));
    assert_eq!(sns.cost.unwrap().0, d("0.0001"));
    check(&e, "Requests-RBP", "600", "0.00024");
}

#[test]
fn kms_requests_with_and_without_bucket_keys() {
    // Every S3 PUT and GET of an SSE-KMS bucket is a KMS request; the S3 lines of the same
    // month give their counts. Without Bucket Keys: (PUTs + GETs) * $0.000003; with them, 1 %
    // of that; the free tier takes 20,000 requests off first.
    let base = [
        ("pipeline.sse_kms", "true"),
        ("pipeline.bucket_keys", "false"),
    ];
    let e = run(&base);
    let calls = line_in(&e, Service::S3, "Requests-Tier1").quantity
        + line_in(&e, Service::S3, "Requests-Tier2").quantity;
    assert!(calls > d("20000"), "{calls}");
    let kms = line(&e, "us-east-1-KMS-Requests");
    assert_eq!(kms.quantity, calls);
    assert_eq!(kms.cost.unwrap().0, calls * d("0.000003"));
    let e = run(&[
        ("pipeline.sse_kms", "true"),
        ("pipeline.bucket_keys", "true"),
    ]);
    let kms = line(&e, "us-east-1-KMS-Requests");
    assert_eq!(kms.quantity, calls * d("0.01"));
    assert_eq!(kms.cost.unwrap().0, calls * d("0.01") * d("0.000003"));
    let e = run(&[
        ("pipeline.sse_kms", "true"),
        ("pipeline.bucket_keys", "false"),
        ("account.free_tier", "true"),
    ]);
    let kms = line(&e, "us-east-1-KMS-Requests");
    assert_eq!(kms.cost.unwrap().0, (calls - d("20000")) * d("0.000003"));
}

#[test]
fn kms_bills_each_customer_managed_key_by_the_month() {
    // SSE-KMS buckets share one customer managed key by default: 1 key-month at $1, with or
    // without the free tier (it covers requests, not keys).
    for free in ["false", "true"] {
        let e = run(&[("pipeline.sse_kms", "true"), ("account.free_tier", free)]);
        check(&e, "us-east-1-KMS-Keys", "1", "1");
        let key = line(&e, "us-east-1-KMS-Keys");
        assert_eq!(key.stage, Stage::Glue);
        assert_eq!(key.price_status, LineStatus::Unverified);
    }
    // Three keys (one per bucket): 3 * $1 = $3.
    let e = run(&[("pipeline.sse_kms", "true"), ("pipeline.kms_keys", "3")]);
    check(&e, "us-east-1-KMS-Keys", "3", "3");
    // No SSE-KMS: no key unless the file says so; keys kept for other uses are billed alone.
    let e = run(&[]);
    assert!(e.lines.iter().all(|l| l.service != Service::Kms));
    let e = run(&[("pipeline.kms_keys", "2")]);
    check(&e, "us-east-1-KMS-Keys", "2", "2");
    assert!(
        e.lines
            .iter()
            .all(|l| &*l.usage_type != "us-east-1-KMS-Requests")
    );
}

#[test]
fn face_metadata_storage_grows_with_the_faces_indexfaces_adds() {
    // 10,000 library minutes in titles of 5 minutes = 2,000 titles, 3 faces indexed each:
    // 6,000 faces at the month's start. This month's 200 titles add 600 faces, stored for
    // half the month on average: 300 face-months. 6,300 face-months * $0.00001 = $0.063.
    let e = run(&[
        ("content.library_minutes", "10000"),
        ("vision.faces_indexed_per_title", "3"),
    ]);
    check(&e, "USE1-FaceVectorsStored", "6300", "0.063");
    let faces = line(&e, "USE1-FaceVectorsStored");
    assert_eq!(faces.service, Service::Rekognition);
    assert_eq!(faces.price_status, LineStatus::ThirdParty);
    // A collection of 50,000 faces written in the file: 50,000 + 300 = 50,300 face-months
    // = $0.503.
    let e = run(&[
        ("content.library_minutes", "10000"),
        ("vision.faces_indexed_per_title", "3"),
        ("vision.faces_stored", "50000"),
    ]);
    check(&e, "USE1-FaceVectorsStored", "50300", "0.503");
    // Searching faces (group 1 images) stores nothing by itself.
    let e = run(&[("vision.face_search_images_per_title", "4")]);
    assert!(
        e.lines
            .iter()
            .all(|l| &*l.usage_type != "USE1-FaceVectorsStored")
    );
}

#[test]
fn comprehend_custom_models_bill_training_models_endpoints_and_async_units() {
    // Training: 10 hours * $3 = $30. Management: 2 models * $0.50 = $1. Endpoints: 2
    // inference units * 100 hours * 3,600 s = 720,000 IU-seconds * $0.0005 = $360.
    // Asynchronous: 1,000 documents of 450 characters = 5 units each, 5,000 units * $0.0005
    // = $2.50.
    let e = run(&[
        ("nlp.custom_training_hours", "10"),
        ("nlp.custom_models", "2"),
        ("nlp.custom_endpoint_units", "2"),
        ("nlp.custom_endpoint_hours", "100"),
        ("nlp.custom_async_documents_per_month", "1000"),
        ("nlp.custom_async_chars", "450"),
    ]);
    check(&e, "USE1-Comprehend-CustomTraining", "10", "30");
    check(&e, "USE1-Comprehend-CustomModel", "2", "1");
    check(&e, "USE1-Comprehend-CustomEndpoint", "720000", "360");
    check(&e, "USE1-Comprehend-CustomAsync", "5000", "2.5");
    for l in e.lines.iter().filter(|l| l.service == Service::Comprehend) {
        assert_eq!(l.stage, Stage::Nlp);
        assert_eq!(l.price_status, LineStatus::Unverified);
    }
    // Endpoints run the whole 730-hour month unless the file says otherwise: 1 unit *
    // 2,628,000 s = $1,314. Asynchronous documents take `avg_chars` (50: the 3-unit minimum):
    // 1,000 * 3 = 3,000 units = $1.50.
    let e = run(&[
        ("nlp.custom_endpoint_units", "1"),
        ("nlp.custom_async_documents_per_month", "1000"),
        ("nlp.avg_chars", "50"),
    ]);
    check(&e, "USE1-Comprehend-CustomEndpoint", "2628000", "1314");
    check(&e, "USE1-Comprehend-CustomAsync", "3000", "1.5");
    // None of it without custom models.
    let e = run(&[]);
    assert!(e.lines.iter().all(|l| l.service != Service::Comprehend));
}

#[test]
fn per_title_by_stage_groups_every_line_once_and_divides_by_the_titles() {
    // A bit of every step: accelerated uploads, thumbnails, OCR → sentiment with a custom
    // endpoint, the glue with SSE-KMS, storage and delivery.
    let e = run(&[
        ("pipeline.accelerated_upload_share", "0.5"),
        ("vision.text_images_per_title", "2"),
        ("nlp.ocr_text", "true"),
        ("nlp.apis", "[\"sentiment\"]"),
        ("nlp.custom_endpoint_units", "1"),
        ("pipeline.glue", "true"),
        ("pipeline.sse_kms", "true"),
    ]);
    let stages = e.per_title_by_stage();
    assert_eq!(
        stages.iter().map(|s| s.stage).collect::<Vec<_>>(),
        PipelineStage::ALL
    );
    // Every step has a cost here, they add up to the total, and each per-title figure is
    // the month's ÷ 200 titles.
    let sum: Decimal = stages.iter().map(|s| s.usd_per_month.0).sum();
    assert_eq!(sum, e.total.0);
    for s in &stages {
        assert!(s.usd_per_month.0 > Decimal::ZERO, "{:?}", s.stage);
        assert_eq!(s.usd_per_title.unwrap().0, s.usd_per_month.0 / d("200"));
    }
    // The custom endpoint is text, the key is glue.
    let stage_of = |usage: &str| PipelineStage::of(line(&e, usage));
    assert_eq!(
        stage_of("USE1-Comprehend-CustomEndpoint"),
        PipelineStage::Text
    );
    assert_eq!(stage_of("us-east-1-KMS-Keys"), PipelineStage::Glue);
    assert_eq!(stage_of("DataTransfer-In-ABytes"), PipelineStage::Ingest);
    // S3 writes new objects (storage); its GETs are origin fetches of viewers' requests
    // (delivery, with the retrieval fee of the same reads).
    assert_eq!(
        PipelineStage::of(line_in(&e, Service::S3, "Requests-Tier1")),
        PipelineStage::Storage
    );
    assert_eq!(
        PipelineStage::of(line_in(&e, Service::S3, "Requests-Tier2")),
        PipelineStage::Delivery
    );
}

#[test]
fn viewers_reading_s3_directly_are_delivery_per_title() {
    let e = run(&[("delivery.cdn", "\"none\"")]);
    let gets = line_in(&e, Service::S3, "Requests-Tier2");
    assert!(
        gets.description.contains("from viewers"),
        "{}",
        gets.description
    );
    assert_eq!(PipelineStage::of(gets), PipelineStage::Delivery);
    // Delivery per title is the data transfer out and every viewer GET.
    let delivery: Decimal = e
        .lines
        .iter()
        .filter(|l| l.stage == Stage::Delivery || l.usage_type.contains("Tier2"))
        .filter_map(|l| l.cost)
        .map(|c| c.0)
        .sum();
    let step = e
        .per_title_by_stage()
        .into_iter()
        .find(|s| s.stage == PipelineStage::Delivery)
        .unwrap();
    assert_eq!(step.usd_per_month.0, delivery);
}

#[test]
fn waf_bills_the_web_acl_its_rules_and_every_cloudfront_request() {
    // $5 a web ACL, 5 rules * $1, and every CloudFront request at $0.60 per million.
    let e = run(&[("pipeline.waf", "true"), ("pipeline.waf_rules", "5")]);
    let requests: Decimal = e
        .lines
        .iter()
        .filter(|l| l.service == Service::CloudFront && l.usage_type.contains("Requests"))
        .map(|l| l.quantity)
        .sum();
    assert!(requests > Decimal::ZERO);
    check(&e, "USE1-WebACL", "1", "5");
    check(&e, "USE1-Rule", "5", "5");
    let waf = line(&e, "USE1-Request");
    assert_eq!(waf.quantity, requests);
    assert_eq!(waf.cost.unwrap().0, requests * d("0.0000006"));
    assert_eq!(waf.service, Service::Waf);
    // Without CloudFront there is nothing to put it in front of: no line, a warning.
    let e = run(&[("pipeline.waf", "true"), ("delivery.cdn", "\"none\"")]);
    assert!(e.lines.iter().all(|l| l.service != Service::Waf));
    assert!(e.warnings.iter().any(|w| w.contains("pipeline.waf")));
}

#[test]
fn transfer_acceleration_bills_the_accelerated_share_of_uploads() {
    // 1,000 minutes at 8,000 kbit/s = 60,000 s * 1,000,000 bytes/s = 6e10 bytes; half
    // accelerated: 3e10 / 2^30 = 27.939677238464355 GB at $0.04 = $1.1175870895385742.
    let e = run(&[
        ("pipeline.accelerated_upload_share", "0.5"),
        ("pipeline.upload_kbps", "8000"),
    ]);
    let gb = d("30000000000") / d("1073741824");
    check(
        &e,
        "DataTransfer-In-ABytes",
        &gb.to_string(),
        &(gb * d("0.04")).to_string(),
    );
    assert_eq!(line(&e, "DataTransfer-In-ABytes").stage, Stage::Ingest);
}

#[test]
fn the_old_moderation_section_still_prices_with_a_note() {
    let text = BASE.replace(
        "[vision]\nmoderation_images_per_title = 0",
        "[moderation]\nimages_per_title = 10000\nvideo = true",
    );
    let s = Scenario::from_toml("old.toml", &text).unwrap();
    let e = estimate(&s, &support::shipped_book());
    check(&e, "USE1-Group2-ImagesProcessed", "2000000", "1800");
    check(&e, "USE1-MinutesOfVideoProcessed", "1000", "100");
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("[moderation] is the old name"))
    );
    // Both sections at once is an error at [moderation].
    let both = format!("{text}[vision]\nlabel_images_per_title = 1\n");
    let err = Scenario::from_toml("both.toml", &both)
        .unwrap_err()
        .to_string();
    assert!(err.contains("both [moderation] and [vision]"), "{err}");
}

#[test]
fn comprehend_bills_at_least_three_units_per_request() {
    // 50 characters bill 3 units; 1,000 documents = 3,000 units * $0.0001 = $0.30 per API.
    let e = run(&[
        ("nlp.documents_per_month", "1000"),
        ("nlp.avg_chars", "50"),
        ("nlp.apis", "[\"sentiment\", \"pii\"]"),
    ]);
    check(&e, "USE1-DetectSentiment", "3000", "0.3");
    check(&e, "USE1-DetectPiiEntities", "3000", "0.3");
    // 450 characters round up to 5 units.
    let e = run(&[
        ("nlp.documents_per_month", "1000"),
        ("nlp.avg_chars", "450"),
        ("nlp.apis", "[\"entities\"]"),
    ]);
    check(&e, "USE1-DetectEntities", "5000", "0.5");
}

#[test]
fn a_region_without_prices_is_unpriced_and_incomplete() {
    let e = run(&[("scenario.region", "\"ca-central-1\"")]);
    assert!(!e.complete);
    let s3 = e.lines.iter().find(|l| l.service == Service::S3).unwrap();
    assert_eq!(s3.price_status, LineStatus::Unpriced);
    assert_eq!(s3.cost, None);
    assert!(s3.note.as_deref().unwrap().contains("ca-central-1"));
    // CloudFront is priced by edge geography, not by the origin's Region.
    assert!(line(&e, "US-DataTransfer-Out-Bytes").cost.is_some());
    assert!(e.warnings.iter().any(|w| w.contains("incomplete")));
}

#[test]
fn reserved_slots_take_the_jobs_they_can_run() {
    // 100,000 minutes of content arrive at 100,000 / 43,800 = 2.2831 minutes per minute of
    // wall time: at job speed 1 that keeps 2.2831 slots busy. Two reserved slots take
    // 2 / 2.2831 = 87.6 % of the jobs; the rest, 12.4 % of the 300,000 normalized minutes
    // (HD 2 + SD 1 per content minute), is billed on demand at $0.0075.
    let e = run(&[
        ("content.new_minutes_per_month", "100000"),
        ("transcode.reserved_slots", "2"),
        ("transcode.job_speed", "1"),
    ]);
    check(&e, "IAD-RTS-Y", "2", "800");
    assert_eq!(line(&e, "IAD-RTS-Y").price_status, LineStatus::ThirdParty);
    let needed = d("100000") / d("43800");
    let on_demand = d("300000") * (d("1") - d("2") / needed);
    let l = line(&e, "IAD-Normalized-Transcode-Minute-Basic");
    assert_eq!(l.quantity.round_dp(12), on_demand.round_dp(12));
    // Reserving the 3 slots the month needs ($1,200) against every output on demand:
    // 300,000 NM = 100,000 at $0.0075 + 200,000 at $0.0053 = $1,810.
    let r = e.capacity.reserved_vs_on_demand.clone().unwrap();
    assert_eq!(r.slots, d("3"));
    assert_eq!(r.reserved.0, d("1200"));
    assert_eq!(r.on_demand.0, d("1810"));
}

#[test]
fn a_month_with_nothing_to_transcode_gets_no_advice_on_reserving() {
    // No new content: no slot is needed, and a slot against $0 on demand is no advice.
    let e = run(&[("content.new_minutes_per_month", "0")]);
    assert_eq!(e.capacity.reserved_slots_needed, Some(Decimal::ZERO));
    assert_eq!(e.capacity.reserved_vs_on_demand, None);
    // A trickle still gets it: one slot is the least one can reserve.
    let e = run(&[("content.new_minutes_per_month", "10")]);
    assert_eq!(e.capacity.reserved_vs_on_demand.unwrap().slots, d("1"));
}

#[test]
fn pooled_minutes_price_this_workload_in_later_bands() {
    // Another workload of the Organization bills 100,000 normalized minutes a month first:
    // this scenario's 3,000 fall in the $0.0053 band: $15.90 instead of $22.50.
    let e = run(&[
        ("transcode.pooling", "\"organization\""),
        ("transcode.other_normalized_minutes", "100000"),
    ]);
    check(&e, "IAD-Normalized-Transcode-Minute-Basic", "3000", "15.9");
    let note = line(&e, "IAD-Normalized-Transcode-Minute-Basic")
        .note
        .clone()
        .unwrap();
    assert!(note.contains("the AWS Organization"), "{note}");
}

#[test]
fn a_separate_audio_rendition_is_an_audio_only_output() {
    // One audio-only output of 1,000 minutes at factor 0.4: 400 more normalized minutes in the
    // Basic pool: 3,000 + 400 = 3,400 at $0.0075.
    let text = BASE
        .replace("audio_kbps = 128", "audio_kbps = 0")
        .replace("audio_kbps = 96", "audio_kbps = 0")
        .replace(
            "segment_seconds = 6",
            "segment_seconds = 6\naudio = \"separate\"\naudio_kbps = 128",
        );
    let s = Scenario::from_toml("test.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    let e = estimate(&s, &support::shipped_book());
    check(&e, "IAD-Normalized-Transcode-Minute-Basic", "3400", "25.5");
}

#[test]
fn a_flat_rate_plan_is_chosen_by_the_allowance_that_binds() {
    // 60,000,000 watched minutes at 2,012 kbps with 2 s segments: 905,400,000,000,000 bytes =
    // 843,234.07 GB (over Pro's 51,200 GB), and 1,800,000,000 segment requests + 24,000,000
    // playlists (12,000,000 sessions of 5 min, 2 each) = 1,824,000,000: past Premium's
    // 500,000,000 and level 3's 1,250,000,000; level 4 allows 2,000,000,000 requests and
    // 204,800 GB — too little transfer; level 5 allows 358,400 GB; level 6 614,400 GB. None
    // holds 843,234 GB: the largest plan, with a warning naming no plan that fits.
    let e = run(&[
        ("audience.watch_minutes_per_month", "60000000"),
        ("ladder.segment_seconds", "2"),
        ("delivery.cdn", "\"cloudfront-flat-rate\""),
    ]);
    let plan = e
        .lines
        .iter()
        .find(|l| l.usage_type.starts_with("FlatRatePlan"))
        .unwrap();
    assert_eq!(
        plan.description,
        "CloudFront flat-rate plan: Premium level 6"
    );
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("no flat-rate plan fits")),
        "{:?}",
        e.warnings
    );

    // The base scenario: 1,405.36 GB and 1,040,000 requests. Free allows 100 GB and
    // 1,000,000 requests; Pro (50 TB, 10,000,000) holds both: $15, and no CloudFront
    // transfer or request lines.
    let e = run(&[("delivery.cdn", "\"cloudfront-flat-rate\"")]);
    check(&e, "FlatRatePlan-pro", "1", "15");
    assert!(
        !e.lines
            .iter()
            .any(|l| l.usage_type.contains("DataTransfer-Out-Bytes"))
    );
    // Requests bind before bytes: 10 s of video at 3 Mb/s per request would fill 50 TB only
    // after 22 million requests, so at 1 s segments Pro's 10,000,000 requests run out first
    // (6,000,000 s / 1 s = 6,000,000 segments + 40,000 playlists fits; 0.5 s: 12,040,000
    // does not): Business holds them at $200, though the bytes would fit Pro.
    let e = run(&[
        ("delivery.cdn", "\"cloudfront-flat-rate\""),
        ("ladder.segment_seconds", "0.5"),
    ]);
    check(&e, "FlatRatePlan-business", "1", "200");
    // Naming Pro anyway: no overage money, a warning that names the plan that fits.
    let e = run(&[
        ("delivery.cdn", "\"cloudfront-flat-rate\""),
        ("delivery.plan", "\"pro\""),
        ("ladder.segment_seconds", "0.5"),
    ]);
    check(&e, "FlatRatePlan-pro", "1", "15");
    assert!(
        e.warnings.iter().any(|w| w.contains("12,040,000 requests")
            && w.contains("the Business plan ($200.00 a month) fits")),
        "{:?}",
        e.warnings
    );
}

#[test]
fn a_flat_rate_plan_credits_s3_standard_storage() {
    // Pro credits 50 GB of S3 Standard storage: the library of 10,000 minutes (316,900,836,000
    // bytes, 295.137 GB-Mo, see above) pays for 245.137 GB at $0.023.
    let e = run(&[
        ("delivery.cdn", "\"cloudfront-flat-rate\""),
        ("content.library_minutes", "10000"),
    ]);
    let l = line(&e, "TimedStorage-ByteHrs");
    assert_eq!(&*l.tiers[0].label, "flat-rate plan credit");
    assert_eq!(l.tiers[0].quantity, d("50"));
    let gb = d("316900836000") / d(GIB);
    assert_eq!(
        l.cost.unwrap().0.round_dp(12),
        ((gb - d("50")) * d("0.023")).round_dp(12)
    );
}

#[test]
fn capacity_from_average_and_peak() {
    // 6,000,000 s of watching over the 2,628,000 s of a 730-hour month: 2.283 viewers on
    // average; 1,509,000,000,000 bytes * 8 / 2,628,000 s = 4,593,607.3 bit/s = 0.0045936 Gbps;
    // peak = 3 * average (the default peak-to-average).
    let e = run(&[]);
    let avg = d("1509000000000") * d("8") / d("2628000") / d("1000000000");
    assert_eq!(e.capacity.avg_egress_gbps, avg);
    assert_eq!(e.capacity.peak_egress_gbps, avg * d("3"));
    assert_eq!(
        e.capacity.avg_concurrent_viewers,
        d("6000000") / d("2628000")
    );
    assert_eq!(e.capacity.avg_delivered_kbps, d("2012"));
}

#[test]
fn total_is_the_sum_of_priced_lines_and_rungs_share_their_stages() {
    let e = run(&[("content.library_minutes", "5000")]);
    let sum: Decimal = e.lines.iter().filter_map(|l| l.cost).map(|c| c.0).sum();
    assert_eq!(e.total.0, sum);
    // Transcode and delivery are wholly allocated to rungs (storage too: no source kept).
    let rung_transcode: Decimal = e.rungs.iter().map(|r| r.transcode.0).sum();
    assert_eq!(
        rung_transcode.round_dp(9),
        e.stage_total(Stage::Transcode).0.round_dp(9)
    );
    let rung_storage: Decimal = e.rungs.iter().map(|r| r.storage.0).sum();
    let storage_lines: Decimal = e
        .lines
        .iter()
        .filter(|l| l.usage_type.starts_with("TimedStorage"))
        .filter_map(|l| l.cost)
        .map(|c| c.0)
        .sum();
    // The writes of new objects are allocated with the storage they create.
    let puts = line(&e, "Requests-Tier1").cost.unwrap().0;
    assert_eq!(rung_storage.round_dp(9), (storage_lines + puts).round_dp(9));
}

/// The invariants every estimate keeps, on every shipped scenario with its drivers moved and
/// on random scenarios (any ladder, geographies, free tier, lifecycle, classes, CDN or direct
/// S3, flat-rate plans, reserved slots, vision, NLP and the pipeline).
mod invariants {
    use super::*;
    use ladderwise_model::pricebook::PriceBook;
    use ladderwise_model::sweep::with_field;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static BOOK: LazyLock<PriceBook> = LazyLock::new(support::shipped_book);

    /// The total is the sum of the priced lines; no quantity and no cost is negative; a
    /// priced line's tiers (the free allowance first) split exactly its quantity; the
    /// services' totals add up to the total.
    fn check_sound(e: &Estimate) -> Result<(), TestCaseError> {
        let sum: Decimal = e.lines.iter().filter_map(|l| l.cost).map(|c| c.0).sum();
        prop_assert_eq!(e.total.0, sum);
        for l in &e.lines {
            prop_assert!(l.quantity >= Decimal::ZERO, "{:?}", l);
            if let Some(c) = l.cost {
                prop_assert!(c.0 >= Decimal::ZERO, "{:?}", l);
                // To 15 places, as the line tests check: a quantity with every digit a
                // decimal holds splits into parts whose sum may round in the 28th digit.
                let tiered: Decimal = l.tiers.iter().map(|t| t.quantity).sum();
                prop_assert_eq!(tiered.round_dp(15), l.quantity.round_dp(15), "{:?}", l);
            }
        }
        // Summed in another order, which may move the 28th digit.
        let by_service: Decimal = e.services().iter().map(|s| e.service_total(*s).0).sum();
        prop_assert_eq!(by_service.round_dp(15), e.total.0.round_dp(15));
        Ok(())
    }

    /// Setting `field` from `from` to `to` (a larger value) moves the total `up` (or down),
    /// never the other way; both estimates are sound.
    fn check_monotone(
        s: &Scenario,
        field: &str,
        (from, to): (Decimal, Decimal),
        up: bool,
    ) -> Result<(), TestCaseError> {
        let at = |v: Decimal| {
            let moved = with_field(s, field, v).unwrap_or_else(|e| panic!("{field} = {v}: {e}"));
            estimate(&moved, &BOOK)
        };
        let (a, b) = (at(from), at(to));
        check_sound(&a)?;
        check_sound(&b)?;
        if up {
            prop_assert!(
                b.total >= a.total,
                "{field} {from} -> {to}: {} -> {}",
                a.total.0,
                b.total.0
            );
        } else {
            prop_assert!(
                b.total <= a.total,
                "{field} {from} -> {to}: {} -> {}",
                a.total.0,
                b.total.0
            );
        }
        Ok(())
    }

    /// Every invariant on `s`: sound as it is, more watch time or more content never costs
    /// less, a higher cache hit rate never costs more. `more` is the extra volume (a share of
    /// the current one, or minutes when it is 0) and `hit` two hit rates.
    fn check_all(
        s: &Scenario,
        more: Decimal,
        hit: (Decimal, Decimal),
    ) -> Result<(), TestCaseError> {
        let e = estimate(s, &BOOK);
        check_sound(&e)?;
        // The bare totals a sweep's table is made of are the estimate's, to the last digit.
        let bare = ladderwise_model::engine::totals(s, &BOOK);
        prop_assert_eq!(bare.total, e.total);
        prop_assert_eq!(bare.complete, e.complete);
        let services: Vec<_> = e
            .services()
            .iter()
            .map(|v| (*v, e.service_total(*v)))
            .collect();
        prop_assert_eq!(bare.services, services);
        let grown = |v: Decimal| {
            (
                v,
                v + (v * more).max(more * Decimal::from(1000)).round_dp(2),
            )
        };
        check_monotone(
            s,
            "audience.watch_minutes_per_month",
            grown(s.audience.watch_minutes_per_month.0),
            true,
        )?;
        // A library is dated by the upload rate (taken to have come at that rate; with no
        // uploads, of unknown age in the last lifecycle band and kept whole whatever the
        // retention): more uploads make it younger, which moves it between classes and moves
        // the origin reads between classes with different retrieval fees, so with a library
        // the total may fall. Without one, content only adds.
        let (lo, hi) = if hit.0 <= hit.1 { hit } else { (hit.1, hit.0) };
        check_monotone(s, "delivery.cache_hit_rate", (lo, hi), false)?;
        let no_library = with_field(s, "content.library_minutes", Decimal::ZERO).unwrap();
        let new = no_library.content.new_minutes_per_month.0;
        check_monotone(
            &no_library,
            "content.new_minutes_per_month",
            grown(new),
            true,
        )
    }

    fn share() -> impl Strategy<Value = Decimal> {
        (0i64..=1000).prop_map(|m| Decimal::new(m, 3))
    }

    /// A factor from 0 to 4.
    fn factor() -> impl Strategy<Value = Decimal> {
        (0i64..=400).prop_map(|m| Decimal::new(m, 2))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A shipped scenario with its volumes scaled (and, sometimes, its hit rate set).
        #[test]
        fn shipped_scenarios_with_moved_drivers_keep_the_invariants(
            name in proptest::sample::select(support::shipped_names()),
            (watch, new, library, documents) in (factor(), factor(), factor(), factor()),
            hit_now in proptest::option::of(share()),
            more in share(),
            hit in (share(), share()),
        ) {
            let mut s = support::shipped_scenario(&name);
            for (field, value) in [
                ("audience.watch_minutes_per_month", s.audience.watch_minutes_per_month.0 * watch),
                ("content.new_minutes_per_month", s.content.new_minutes_per_month.0 * new),
                ("content.library_minutes", s.content.library_minutes.0 * library),
                ("nlp.documents_per_month", (s.nlp.documents_per_month * documents).round()),
                ("delivery.cache_hit_rate", hit_now.unwrap_or(s.delivery.cache_hit_rate)),
            ] {
                s = with_field(&s, field, value).unwrap();
            }
            check_all(&s, more, hit)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn random_scenarios_keep_the_invariants(
            w in random::scenario(),
            more in share(),
            hit in (share(), share()),
        ) {
            check_all(&w.scenario, more, hit)?;
        }
    }
}

#[test]
fn the_shipped_snapshot_has_every_required_price_for_its_regions() {
    let book = support::shipped_book();
    for codes in ladderwise_model::engine::usage::REGION_CODES {
        let missing = ladderwise_model::engine::usage::missing(&book, codes.region);
        assert!(missing.is_empty(), "{}: {missing:?}", codes.region);
    }
    // Elsewhere nothing regional is priced, and the check says so.
    let missing = ladderwise_model::engine::usage::missing(&book, "ca-central-1");
    assert!(
        missing
            .iter()
            .any(|u| u.key.name() == "TimedStorage-ByteHrs")
    );
    assert!(missing.iter().all(|u| u.regional));
}

mod extremes {
    use super::*;
    use proptest::prelude::*;

    /// Values at and near the bounds the scenario reader allows.
    fn pick(choices: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        proptest::sample::select(choices)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The model cannot panic on input the reader accepts: every number at its bounds
        /// prices to a finite, non-negative total, or the reader refuses the month as beyond
        /// what the engine counts exactly.
        #[test]
        fn no_valid_scenario_makes_the_engine_panic(
            new in pick(&["0", "0.5", "1000000000000"]),
            title in pick(&["0.01", "4", "1000000000000"]),
            library in pick(&["0", "1000000000000"]),
            source in pick(&["0", "10000000"]),
            retention in pick(&["0", "0.5", "1000000000000"]),
            segment in pick(&["0.1", "600"]),
            overhead in pick(&["0", "1"]),
            video in pick(&["0.001", "1000000"]),
            audio in pick(&["0", "100000"]),
            fps in pick(&["0.5", "60", "240"]),
            watch in pick(&["0", "1000000000000"]),
            view in pick(&["0.01", "1000000000000"]),
            peak in pick(&["1", "1000"]),
            hit in pick(&["0", "1"]),
            images in pick(&["0", "100000"]),
            docs in pick(&["0", "1000000000000"]),
            chars in pick(&["0", "1000000"]),
            cdn in pick(&["\"cloudfront\"", "\"none\""]),
            class in pick(&["\"standard\"", "\"standard-ia\"", "\"intelligent-tiering\"", "\"glacier-ir\""]),
            service in pick(&["\"mediaconvert\"", "\"elastic-transcoder\""]),
            unwatched in pick(&["0", "600"]),
            share in pick(&["0", "1"]),
            switches in pick(&["0", "1000"]),
            recent in pick(&["0", "1"]),
            small in pick(&["true", "false"]),
        ) {
            let e = run_or_beyond(&[
                ("content.new_minutes_per_month", new),
                ("content.avg_title_minutes", title),
                ("content.library_minutes", library),
                ("content.source_kbps", source),
                ("content.retention_months", retention),
                ("ladder.segment_seconds", segment),
                ("ladder.packaging_overhead", overhead),
                ("ladder.rungs.video_kbps", video),
                ("ladder.rungs.audio_kbps", audio),
                ("ladder.rungs.fps", fps),
                ("audience.watch_minutes_per_month", watch),
                ("audience.avg_view_minutes", view),
                ("audience.peak_to_average", peak),
                ("delivery.cache_hit_rate", hit),
                ("delivery.origin_shield", "true"),
                ("delivery.cdn", cdn),
                ("storage.class", class),
                (
                    "storage.lifecycle",
                    if class.contains("glacier") { "[]" } else { "[{ after_days = 90, class = \"glacier-ir\" }]" },
                ),
                ("storage.transition_small_objects", small),
                ("audience.buffer_ahead_seconds", unwatched),
                ("audience.early_exit_share", share),
                ("audience.preload_seconds", unwatched),
                ("audience.impressions_per_session", switches),
                ("audience.rung_switches_per_session", switches),
                ("delivery.recent_read_share", recent),
                ("delivery.recent_days", "0.001"),
                ("transcode.service", service),
                ("vision.moderation_images_per_title", images),
                ("vision.video_moderation", "true"),
                ("nlp.documents_per_month", docs),
                ("nlp.avg_chars", chars),
                ("nlp.apis", "[\"sentiment\", \"pii\"]"),
            ]);
            if let Some(e) = e {
                prop_assert!(e.total.0 >= Decimal::ZERO);
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]

    /// Any twelve numeric fields of a shipped scenario set in the upper half of their bounds (on a
    /// logarithmic scale, so the largest values come up as often as the small ones): a
    /// sweep or a solve either refuses the month as beyond counting or prices it, never
    /// panics.
    #[test]
    fn any_fields_anywhere_in_their_bounds_price_or_are_refused(
        name in proptest::sample::select(support::shipped_names()),
        picks in proptest::collection::vec((0usize..1000, 0.5f64..=1.0), 12),
    ) {
        use ladderwise_model::sweep::{varied_fields, with_field};
        use ladderwise_model::whatif::solve::allowed_range;
        let mut s = support::shipped_scenario(&name);
        let numbers: Vec<&str> = varied_fields()
            .into_iter()
            .filter(|f| ladderwise_model::scenario::fields::find(f)
                .and_then(allowed_range)
                .is_some())
            .collect();
        for (pick, at) in picks {
            let template = numbers[pick % numbers.len()];
            let range = ladderwise_model::scenario::fields::find(template)
                .and_then(allowed_range)
                .unwrap();
            // Rung fields of the first rung.
            let field = template.replace("[N]", "[1]");
            let (low, high) = (
                rust_decimal::prelude::ToPrimitive::to_f64(&range.low).unwrap(),
                rust_decimal::prelude::ToPrimitive::to_f64(&range.high).unwrap(),
            );
            let value = if low > 0.0 {
                low * (high / low).powf(at)
            } else {
                (high + 1.0).powf(at) - 1.0 + low
            };
            let value = Decimal::from_f64_retain(value)
                .unwrap_or_default()
                .round_dp(range.decimals)
                .clamp(range.low, range.high);
            match with_field(&s, &field, value) {
                Ok(moved) => s = moved,
                Err(e) => proptest::prop_assert!(
                    e.to_string().contains("ladderwise prices exactly")
                        || e.to_string().contains("cannot be")
                        // Another field rules the value out (an audio bitrate the ladder's
                        // layout has no place for), as the file would.
                        || matches!(
                            e,
                            ladderwise_model::sweep::SweepError::Path(
                                ladderwise_model::scenario::path::PathError::Conflict { .. }
                            )
                        ),
                    "{field} = {value}: {e}"
                ),
            }
        }
        let e = estimate(&s, &support::shipped_book());
        proptest::prop_assert!(e.total.0 >= Decimal::ZERO);
    }
}

#[test]
fn every_bound_at_once_is_refused_rather_than_overflowing() {
    // The largest volumes with the shortest titles, segments and sessions multiply the most:
    // far beyond a zettabyte a month, refused at the audience with what to check.
    for (class, service) in [
        ("\"standard-ia\"", "\"mediaconvert\""),
        ("\"standard\"", "\"elastic-transcoder\""),
    ] {
        let edits = [
            ("content.new_minutes_per_month", "1000000000000"),
            ("content.avg_title_minutes", "0.01"),
            ("content.library_minutes", "1000000000000"),
            ("content.source_kbps", "10000000"),
            ("ladder.segment_seconds", "0.1"),
            ("ladder.packaging_overhead", "1"),
            ("ladder.rungs.video_kbps", "1000000"),
            ("ladder.rungs.audio_kbps", "100000"),
            ("ladder.rungs.width", "16384"),
            ("ladder.rungs.height", "16384"),
            ("audience.watch_minutes_per_month", "1000000000000"),
            ("audience.avg_view_minutes", "0.01"),
            ("audience.peak_to_average", "1000"),
            ("delivery.origin_shield", "true"),
            ("storage.class", class),
            ("transcode.service", service),
            ("transcode.passes", "2"),
            ("vision.moderation_images_per_title", "100000"),
            ("vision.video_moderation", "true"),
            ("nlp.documents_per_month", "1000000000000"),
            ("nlp.avg_chars", "1000000"),
            ("nlp.apis", "[\"sentiment\", \"entities\", \"pii\"]"),
        ];
        assert!(run_or_beyond(&edits).is_none());
        let e = Scenario::from_toml("test.toml", &scenario_text(&edits)).unwrap_err();
        let said = e.to_string();
        assert!(said.contains("bytes delivered"), "{said}");
        assert!(
            said.contains("hint: check audience.watch_minutes_per_month"),
            "{said}"
        );
    }
    // Preloaded impressions on minute-long sessions multiplied a trillion watch minutes past
    // the engine's exact arithmetic: refused, where it once overflowed.
    assert!(
        run_or_beyond(&[
            ("content.avg_title_minutes", "0.01"),
            ("ladder.packaging_overhead", "1"),
            ("ladder.rungs.video_kbps", "1000000"),
            ("ladder.rungs.audio_kbps", "100000"),
            ("audience.watch_minutes_per_month", "1e12"),
            ("audience.preload_seconds", "600"),
            ("audience.impressions_per_session", "1000"),
        ])
        .is_none()
    );
    // The largest real services stay well inside: a trillion watch minutes a month at 8 Mbps.
    let e = run(&[
        ("audience.watch_minutes_per_month", "1000000000000"),
        ("ladder.rungs.video_kbps", "8000"),
    ]);
    assert!(e.total.0 > Decimal::ZERO);
}

/// A plan with no content (no library, no uploads) whose viewers read from S3 costs no more
/// to serve than the same plan with a minute of uploads: the reads are split over the
/// classes as a month's uploads would be, not all taken to the class written to. (Found by
/// the invariants' random scenarios: Standard-IA written, Intelligent-Tiering after 14 days,
/// no CDN; every read was charged Standard-IA's retrieval with nothing stored, and adding 2
/// minutes of uploads lowered the month by $2,656.)
#[test]
fn no_content_costs_no_more_to_serve_than_a_minute_of_it() {
    let edits = |new: &'static str| {
        run(&[
            ("content.new_minutes_per_month", new),
            ("content.library_minutes", "0"),
            ("delivery.cdn", "\"none\""),
            ("storage.class", "\"standard-ia\""),
            (
                "storage.lifecycle",
                "[{ after_days = 14, class = \"intelligent-tiering\" }]",
            ),
        ])
    };
    let (none, one) = (edits("0"), edits("1"));
    assert!(none.total <= one.total, "{} > {}", none.total, one.total);
    // Both read from the two classes, in the same split.
    let read = |e: &Estimate, class: &str| {
        e.lines
            .iter()
            .any(|l| l.description == format!("GET requests from viewers, {class}"))
    };
    for e in [&none, &one] {
        assert!(read(e, "S3 Standard-IA") && read(e, "S3 Intelligent-Tiering"));
    }
}

/// A lifecycle rule at 0 days still moves every object uploaded, and S3 bills each
/// transition (found by a billing audit: the 0-day rule's transitions were $0, the 1-day
/// rule's $12).
#[test]
fn a_lifecycle_rule_at_zero_days_bills_its_transitions() {
    let transitions = |days: &str| {
        let e = run(&[(
            "storage.lifecycle",
            &format!("[{{ after_days = {days}, class = \"glacier-ir\" }}]"),
        )]);
        let line = e
            .lines
            .iter()
            .find(|l| {
                l.description
                    .starts_with("Lifecycle transitions to S3 Glacier Instant Retrieval")
            })
            .unwrap_or_else(|| panic!("no transition line at {days} days"));
        (line.quantity, line.cost)
    };
    let (at_zero, cost) = transitions("0");
    assert!(!at_zero.is_zero() && cost.is_some_and(|c| !c.0.is_zero()));
    // At least as many as at 1 day, which the month's last uploads have not reached yet.
    assert!(at_zero >= transitions("1").0);
}

/// Intelligent-Tiering never moves an object under 128 KB out of its Frequent Access tier,
/// whether or not lifecycle rules transition small objects: a scenario written straight to
/// Intelligent-Tiering with no rules costs the same either way (the flag moved the small
/// segments and playlists to the cheaper tiers, 0.8 % of the month).
#[test]
fn intelligent_tiering_keeps_small_objects_in_frequent_access() {
    let with = |small: &str| {
        run(&[
            ("storage.class", "\"intelligent-tiering\""),
            ("storage.lifecycle", "[]"),
            ("storage.transition_small_objects", small),
        ])
    };
    let (kept, moved) = (with("false"), with("true"));
    assert_eq!(kept.total, moved.total);
    let frequent = |e: &Estimate| {
        e.lines
            .iter()
            .filter(|l| l.description.contains("Frequent"))
            .map(|l| l.quantity)
            .sum::<rust_decimal::Decimal>()
    };
    assert_eq!(frequent(&kept), frequent(&moved));
}

/// An early exit leaves at most the title unwatched: a player's 30-second buffer on a
/// 15-second clip fetches the clip, not 30 seconds (nor does a preload). And sessions fetch
/// no more than their titles: watching 6 s of a 15-second clip on average, the buffers of
/// the early ends leave at most 9 s a session, whatever the share ending early.
#[test]
fn no_more_of_a_title_goes_unwatched_than_the_title() {
    let run_with = |early: &str, buffer: &str, preload: &str| {
        run(&[
            ("content.avg_title_minutes", "0.25"),
            ("audience.avg_view_minutes", "0.1"),
            ("audience.buffer_ahead_seconds", buffer),
            ("audience.preload_seconds", preload),
            ("audience.impressions_per_session", "1"),
            ("audience.early_exit_share", early),
        ])
    };
    let egress = |early: &str, buffer: &str, preload: &str| {
        run_with(early, buffer, preload)
            .lines
            .iter()
            .filter(|l| l.service == Service::CloudFront && l.stage == Stage::Delivery)
            .map(|l| l.quantity)
            .sum::<Decimal>()
    };
    assert_eq!(egress("0.5", "30", "0"), egress("0.5", "15", "0"));
    assert_eq!(egress("0.5", "0", "60"), egress("0.5", "0", "15"));
    assert!(egress("0.5", "10", "0") < egress("0.5", "15", "0"));
    assert!(egress("0.5", "0", "10") < egress("0.5", "0", "15"));
    // 0.5 × 15 s = 7.5 s fits in the 9 s left; 1 × 15 s does not, and counts 9 s.
    assert!(egress("0.5", "15", "0") < egress("1", "15", "0"));
    assert_eq!(egress("1", "15", "0"), egress("1", "9", "0"));
    assert!(egress("1", "8", "0") < egress("1", "9", "0"));
    let held = run_with("1", "30", "0");
    assert!(
        held.warnings.iter().any(|w| w
            .contains("would leave 15 s a session unwatched, more than the 9 s")
            && w.contains("9 s counted")),
        "{:?}",
        held.warnings
    );
    assert!(
        !run_with("0.5", "30", "0")
            .warnings
            .iter()
            .any(|w| w.contains("early_exit_share"))
    );
    // Sessions that watch whole titles on average leave nothing unwatched.
    let whole = |early: &str| {
        run(&[
            ("content.avg_title_minutes", "0.25"),
            ("audience.avg_view_minutes", "0.25"),
            ("audience.early_exit_share", early),
        ])
        .lines
        .iter()
        .filter(|l| l.service == Service::CloudFront && l.stage == Stage::Delivery)
        .map(|l| l.quantity)
        .sum::<Decimal>()
    };
    assert_eq!(whole("1"), whole("0"));
}

/// A ladder of one rung has nothing to switch to: its sessions fetch no playlist for a rung
/// switch, whatever `rung_switches_per_session` says.
#[test]
fn a_single_rung_ladder_switches_no_rung() {
    let requests = |text: &str| {
        let s = Scenario::from_toml("test.toml", text).unwrap();
        let e = estimate(&s, &support::shipped_book());
        e.lines
            .iter()
            .filter(|l| l.service == Service::CloudFront && l.unit.as_ref() == "Requests")
            .map(|l| l.quantity)
            .sum::<Decimal>()
    };
    let one_rung = |switches: &str| {
        let text = scenario_text(&[
            ("audience.rung_switches_per_session", switches),
            ("ladder.rungs.watch_share", "1"),
        ]);
        // Drop the second rung.
        let second = text.find("[[ladder.rungs]]\nname = \"360p\"").unwrap();
        let end = second + text[second..].find("\n[audience]").unwrap() + 1;
        format!("{}{}", &text[..second], &text[end..])
    };
    assert_eq!(requests(&one_rung("3")), requests(&one_rung("0")));
    let two = |switches: &str| scenario_text(&[("audience.rung_switches_per_session", switches)]);
    assert!(requests(&two("3")) > requests(&two("0")));
}

/// Shares within ±0.001 of 1 but not exactly 1 are accepted, and then used as fractions of
/// one whole: the geographies bill the bytes delivered, no more, and the rungs still add up
/// to their stages; a note says the shares were rescaled.
#[test]
fn shares_near_one_are_rescaled_to_one() {
    let book = support::shipped_book();
    let exact = Scenario::from_toml(
        "exact.toml",
        &BASE.replace("geo = { us = 1.0 }", "geo = { us = 0.6, europe = 0.4 }"),
    )
    .unwrap();
    for (rungs, geo) in [
        (("0.5005", "0.5004"), ("0.6005", "0.4004")),
        (("0.4995", "0.4996"), ("0.5995", "0.3996")),
    ] {
        let text = BASE
            .replacen(
                "watch_share = 0.5\n",
                &format!("watch_share = {}\n", rungs.0),
                1,
            )
            .replacen(
                "watch_share = 0.5\n",
                &format!("watch_share = {}\n", rungs.1),
                1,
            )
            .replace(
                "geo = { us = 1.0 }",
                &format!("geo = {{ us = {}, europe = {} }}", geo.0, geo.1),
            );
        let s = Scenario::from_toml("near.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let sum = |v: &mut dyn Iterator<Item = Decimal>| v.sum::<Decimal>();
        assert_eq!(
            sum(&mut s.ladder.rungs.iter().map(|r| r.watch_share)),
            Decimal::ONE
        );
        assert_eq!(
            sum(&mut s.audience.geo.iter().map(|(_, v)| *v)),
            Decimal::ONE
        );
        let e = estimate(&s, &book);
        let billed: Decimal = e
            .lines
            .iter()
            .filter(|l| l.service == Service::CloudFront && l.stage == Stage::Delivery)
            .map(|l| l.quantity)
            .sum();
        let delivered = e.unit_economics.delivered_gb;
        assert!(
            (billed - delivered).abs() < Decimal::new(1, 9),
            "billed {billed} GB, delivered {delivered} GB"
        );
        let staged: Decimal = e
            .lines
            .iter()
            .filter(|l| {
                matches!(l.service, Service::MediaConvert | Service::CloudFront)
                    || (l.service == Service::S3 && l.stage != Stage::Ingest)
            })
            .filter_map(|l| l.cost)
            .map(|c| c.0)
            .sum();
        let allocated: Decimal = e.rungs.iter().map(|r| r.total.0).sum();
        assert!(
            (allocated - staged).abs() < Decimal::new(1, 6),
            "rungs {allocated}, stages {staged}"
        );
        for what in [
            "the rungs' watch shares sum to",
            "the geography shares sum to",
        ] {
            assert!(
                e.warnings
                    .iter()
                    .any(|w| w.contains(what) && w.contains("divided by")),
                "{what}: {:?}",
                e.warnings
            );
        }
        // The same bill as the exact shares they round: within the 0.1 % the shares moved.
        let total = |e: &ladderwise_model::Estimate| e.total.0;
        let exact_total = total(&estimate(&exact, &book));
        assert!(
            (total(&e) - exact_total).abs() < exact_total / Decimal::from(500),
            "{} vs {exact_total}",
            total(&e)
        );
    }
    // Exact shares are left as written, with no note.
    assert!(
        !estimate(&exact, &book)
            .warnings
            .iter()
            .any(|w| w.contains("divided by"))
    );
}

/// The rungs' costs add up to the stages they are allocated from: what is of no rung (the
/// separate audio rendition's transcode and bytes, playlists, the mezzanine) is spread over
/// the rungs, not left out of every one.
#[test]
fn the_rungs_add_up_to_their_stages() {
    let muxed = BASE.replace("[content]\n", "[content]\nsource_kbps = 20000\n");
    let separate = muxed
        .replace("audio_kbps = 128\n", "audio_kbps = 0\n")
        .replace("audio_kbps = 96\n", "audio_kbps = 0\n")
        .replace(
            "[ladder]\n",
            "[ladder]\naudio = \"separate\"\naudio_kbps = 128\n",
        );
    // Reserved slots are a fee of no rung; so is Elastic Transcoder's audio-only output.
    let reserved = separate.replace("[transcode]\n", "[transcode]\nreserved_slots = 3\n");
    let ets = separate.replace(
        "service = \"mediaconvert\"",
        "service = \"elastic-transcoder\"",
    );
    assert!(reserved.contains("reserved_slots = 3") && ets.contains("elastic-transcoder"));
    let book = support::shipped_book();
    for text in [muxed, separate, reserved, ets] {
        let s = Scenario::from_toml("test.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let e = estimate(&s, &book);
        let staged: Decimal = e
            .lines
            .iter()
            .filter(|l| match l.service {
                Service::MediaConvert
                | Service::ElasticTranscoder
                | Service::CloudFront
                | Service::DataTransfer => true,
                Service::S3 => l.stage != Stage::Ingest,
                _ => false,
            })
            .filter_map(|l| l.cost)
            .map(|c| c.0)
            .sum();
        let rungs: Decimal = e.rungs.iter().map(|r| r.total.0).sum();
        assert!(
            (rungs - staged).abs() < Decimal::new(1, 6),
            "{} audio, {} slots, {}: rungs {rungs}, stages {staged}",
            s.ladder.audio.name(),
            s.transcode.reserved_slots,
            s.transcode.service.name()
        );
    }
}
