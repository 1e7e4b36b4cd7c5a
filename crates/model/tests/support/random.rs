//! Random scenarios for the property tests: scenario files written within the field rules
//! (`scenario::fields`) and the reader's cross-field rules, then read by
//! `Scenario::from_toml`, so every case is a file a user could have written. The choices
//! (regions, codecs, classes, plans, geographies, APIs) come from the model's own lists.
//!
//! Each strategy yields the file's text with the scenario read from it; a case that fails
//! prints the text, which pasted into a file reproduces it.

#![allow(dead_code)]

use std::fmt;

use ladderwise_model::engine::usage::REGION_CODES;
use ladderwise_model::scenario::forecast::Driver;
use ladderwise_model::scenario::{
    AudioLayout, Cdn, Codec, ComprehendApi, Geography, MediaConvertTier, NlpMode, PlanChoice,
    Pooling, Protocol, Scenario, StorageClass, TranscodeService,
};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use rust_decimal::{Decimal, RoundingStrategy};

/// A scenario file and the scenario read from it.
#[derive(Clone)]
pub struct Written {
    pub text: String,
    pub scenario: Scenario,
}

impl fmt::Debug for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.text)
    }
}

/// Reads generated text; the generator writes only valid files, so a refusal is a bug of
/// the generator (or a rule it does not know yet), shown with the reader's message.
fn read(text: String) -> Written {
    let scenario = Scenario::from_toml("random.toml", &text)
        .unwrap_or_else(|e| panic!("a generated scenario was refused:\n{e}\n{text}"));
    Written { text, scenario }
}

/// `m × 10^-scale` for `m` in `range`.
fn number(range: std::ops::RangeInclusive<i64>, scale: u32) -> impl Strategy<Value = Decimal> {
    range.prop_map(move |m| Decimal::new(m, scale))
}

/// A volume from 0 up to about `10^max_exp`, spread over the magnitudes (0 one time in
/// eight): tiers and free allowances are crossed at every size.
fn volume(max_exp: u32) -> impl Strategy<Value = Decimal> {
    (0u32..8, 0..=max_exp, 100i64..1000).prop_map(|(zero, exp, m)| {
        if zero == 0 {
            Decimal::ZERO
        } else {
            Decimal::new(m, 2) * Decimal::from(10i64.pow(exp))
        }
    })
}

/// `n` shares summing to exactly 1: weights floored to six places, the last taking the
/// rest (so none is negative); zeros allowed, not all.
fn shares(n: usize) -> impl Strategy<Value = Vec<Decimal>> {
    proptest::collection::vec(0u32..100, n).prop_map(move |mut w| {
        if w.iter().all(|x| *x == 0) {
            w[0] = 1;
        }
        let sum: u32 = w.iter().sum();
        let mut out: Vec<Decimal> = w
            .iter()
            .map(|x| {
                (Decimal::from(*x) / Decimal::from(sum))
                    .round_dp_with_strategy(6, RoundingStrategy::ToZero)
            })
            .collect();
        let rest: Decimal = out[..n - 1].iter().sum();
        out[n - 1] = Decimal::ONE - rest;
        out
    })
}

fn word(names: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    select(names)
}

/// Mostly `no`, sometimes `yes`: features that multiply the lines.
fn seldom(yes_in: u32) -> impl Strategy<Value = bool> {
    (0..yes_in).prop_map(|x| x == 0)
}

const SIZES: [(u32, u32); 9] = [
    (256, 144),
    (426, 240),
    (640, 360),
    (768, 432),
    (960, 540),
    (1280, 720),
    (1920, 1080),
    (2560, 1440),
    (3840, 2160),
];

/// One rung's keys but its name and share.
#[derive(Clone, Debug)]
struct RungSpec {
    size: (u32, u32),
    fps: &'static str,
    codec: &'static str,
    video_kbps: Decimal,
    audio_kbps: Decimal,
}

fn rung() -> impl Strategy<Value = RungSpec> {
    (
        select(&SIZES[..]),
        select(
            &[
                "23.976", "24", "25", "29.97", "30", "50", "60", "120", "240",
            ][..],
        ),
        word(Codec::NAMES),
        number(50..=20_000, 0),
        select(&[0i64, 64, 96, 128, 192, 320][..]),
    )
        .prop_map(|(size, fps, codec, video_kbps, audio)| RungSpec {
            size,
            fps,
            codec,
            video_kbps,
            audio_kbps: Decimal::from(audio),
        })
}

/// 1 to `max` rungs as `[[table]]`s named `table`, their watch shares summing to 1.
fn rungs(table: &'static str, max: usize, audio: AudioLayout) -> impl Strategy<Value = String> {
    proptest::collection::vec(rung(), 1..=max)
        .prop_flat_map(|rs| {
            let n = rs.len();
            (Just(rs), shares(n))
        })
        .prop_map(move |(rs, shares)| {
            let mut out = String::new();
            for (i, (r, share)) in rs.iter().zip(shares).enumerate() {
                out += &format!(
                    "\n[[{table}]]\nname = \"r{i}_{h}p\"\nwidth = {w}\nheight = {h}\nfps = {fps}\ncodec = \"{codec}\"\nvideo_kbps = {v}\nwatch_share = {share}\n",
                    w = r.size.0,
                    h = r.size.1,
                    fps = r.fps,
                    codec = r.codec,
                    v = r.video_kbps,
                );
                if audio == AudioLayout::Muxed {
                    out += &format!("audio_kbps = {}\n", r.audio_kbps);
                }
            }
            out
        })
}

fn head() -> impl Strategy<Value = String> {
    let regions: Vec<&'static str> = REGION_CODES.iter().map(|c| c.region).collect();
    select(regions).prop_map(|r| format!("[scenario]\nname = \"random\"\nregion = \"{r}\"\n"))
}

fn content() -> impl Strategy<Value = String> {
    (
        volume(6),
        number(50..=12_000, 2),
        select(&[0i64, 0, 8_000, 60_000][..]),
        select(&["0", "0", "0.5", "1", "3", "12", "36"][..]),
        volume(7),
    )
        .prop_map(|(new, title, source, retention, library)| {
            format!(
                "\n[content]\nnew_minutes_per_month = {new}\navg_title_minutes = {title}\nsource_kbps = {source}\nretention_months = {retention}\nlibrary_minutes = {library}\n"
            )
        })
}

/// `[ladder]` and its rungs.
fn ladder(max_rungs: usize) -> impl Strategy<Value = (AudioLayout, String)> {
    (
        select(&["0.5", "2", "4", "6", "10"][..]),
        number(0..=100, 3),
        select(&AudioLayout::ALL[..]),
        select(&[64i64, 128, 256][..]),
    )
        .prop_flat_map(move |(segment, overhead, (_, audio), audio_kbps)| {
            let mut text = format!(
                "\n[ladder]\nsegment_seconds = {segment}\npackaging_overhead = {overhead}\naudio = \"{}\"\n",
                audio.name()
            );
            if audio == AudioLayout::Separate {
                text += &format!("audio_kbps = {audio_kbps}\n");
            }
            (Just(audio), Just(text), rungs("ladder.rungs", max_rungs, audio))
        })
        .prop_map(|(audio, head, rungs)| (audio, head + &rungs))
}

fn audience() -> impl Strategy<Value = String> {
    (
        volume(8),
        subsequence(Geography::ALL.to_vec(), 1..=Geography::ALL.len())
            .prop_flat_map(|gs| {
                let n = gs.len();
                (Just(gs), shares(n))
            }),
        number(100..=500, 2),
        proptest::option::of(number(50..=6_000, 2)),
        number(0..=60, 0),
        number(0..=100, 2),
        number(0..=10, 0),
        number(0..=3, 0),
        number(0..=5, 0),
    )
        .prop_map(
            |(watch, (geos, shares), peak, view, buffer, early, preload, impressions, switches)| {
                let geo = geos
                    .iter()
                    .zip(shares)
                    .map(|(g, s)| format!("{} = {s}", g.key()))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut text = format!(
                    "\n[audience]\nwatch_minutes_per_month = {watch}\ngeo = {{ {geo} }}\npeak_to_average = {peak}\nbuffer_ahead_seconds = {buffer}\nearly_exit_share = {early}\npreload_seconds = {preload}\nimpressions_per_session = {impressions}\nrung_switches_per_session = {switches}\n"
                );
                if let Some(v) = view {
                    text += &format!("avg_view_minutes = {v}\n");
                }
                text
            },
        )
}

fn delivery() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        select(&Cdn::ALL[..]),
        proptest::option::of(word(PlanChoice::NAMES)),
        number(0..=1000, 3),
        any::<bool>(),
        number(0..=100, 2),
        word(Protocol::NAMES),
        proptest::option::of((number(0..=100, 2), number(1..=365, 0))),
    )
        .prop_map(
            |(free_tier, (_, cdn), plan, hit, shield, shield_hit, protocol, recent)| {
                let mut text = format!(
                    "\n[account]\nfree_tier = {free_tier}\n\n[delivery]\ncdn = \"{}\"\ncache_hit_rate = {hit}\norigin_shield = {shield}\norigin_shield_hit_rate = {shield_hit}\nprotocol = \"{protocol}\"\n",
                    cdn.name()
                );
                if let (Cdn::CloudfrontFlatRate, Some(plan)) = (cdn, plan) {
                    text += &format!("plan = \"{plan}\"\n");
                }
                if let Some((share, days)) = recent {
                    text += &format!("recent_read_share = {share}\nrecent_days = {days}\n");
                }
                text
            },
        )
}

fn transcode() -> impl Strategy<Value = String> {
    (
        word(TranscodeService::NAMES),
        word(MediaConvertTier::NAMES),
        1u8..=2,
        select(&[0u32, 0, 0, 1, 3, 20][..]),
        // Central job speed, and the low and high ends as a share and a multiple of it.
        number(10..=1_600, 2),
        proptest::option::of((number(1..=10, 1), number(10..=40, 1))),
        word(Pooling::NAMES),
        volume(6),
    )
        .prop_map(
            |(service, tier, passes, slots, speed, range, pooling, others)| {
                let mut text = format!(
                    "\n[transcode]\nservice = \"{service}\"\ntier = \"{tier}\"\npasses = {passes}\nreserved_slots = {slots}\njob_speed = {speed}\npooling = \"{pooling}\"\nother_normalized_minutes = {others}\n"
                );
                if let Some((low, high)) = range {
                    let low = (speed * low).round_dp_with_strategy(3, RoundingStrategy::ToZero);
                    let high = (speed * high).round_dp(3).max(speed);
                    text += &format!("job_speed_low = {low}\njob_speed_high = {high}\n");
                }
                text
            },
        )
}

/// `[storage]` with up to three lifecycle transitions, each to a class S3 can move the
/// objects to from the one before, in order of age, Standard-IA not before 30 days.
fn storage() -> impl Strategy<Value = String> {
    (
        select(&StorageClass::ALL[..]),
        proptest::collection::vec((0u32..4, 0i64..400), 0..=3),
        any::<bool>(),
    )
        .prop_map(|((_, class), steps, small)| {
            let mut rules = Vec::new();
            let (mut from, mut days) = (class, Decimal::ZERO);
            for (pick, after) in steps {
                let to: Vec<StorageClass> = StorageClass::ALL
                    .iter()
                    .map(|(_, c)| *c)
                    .filter(|c| from.can_transition_to(*c))
                    .collect();
                if to.is_empty() {
                    break;
                }
                let to = to[pick as usize % to.len()];
                days += Decimal::from(after);
                if to == StorageClass::StandardIa {
                    days = days.max(Decimal::from(30));
                }
                rules.push(format!(
                    "{{ after_days = {days}, class = \"{}\" }}",
                    to.name()
                ));
                from = to;
            }
            format!(
                "\n[storage]\nclass = \"{}\"\nlifecycle = [{}]\ntransition_small_objects = {small}\n",
                class.name(),
                rules.join(", ")
            )
        })
}

fn vision() -> impl Strategy<Value = String> {
    let images = || select(&[0i64, 0, 0, 1, 3, 10][..]);
    (
        (images(), images(), images(), images(), images()),
        select(&["0", "0", "0.5", "2"][..]),
        (seldom(4), seldom(4), seldom(4), seldom(4)),
    )
        .prop_map(
            |((moderation, labels, text, faces, search), frames, (vm, vl, vt, vf))| {
                format!(
                    "\n[vision]\nmoderation_images_per_title = {moderation}\nlabel_images_per_title = {labels}\ntext_images_per_title = {text}\nface_images_per_title = {faces}\nface_search_images_per_title = {search}\nframes_per_minute = {frames}\nvideo_moderation = {vm}\nvideo_labels = {vl}\nvideo_text = {vt}\nvideo_faces = {vf}\n"
                )
            },
        )
}

fn nlp() -> impl Strategy<Value = String> {
    (
        volume(6).prop_map(|v| v.round()),
        number(0..=5_000, 0),
        subsequence(ComprehendApi::NAMES.to_vec(), 0..=ComprehendApi::NAMES.len()),
        select(&["0", "0", "1", "20"][..]),
        number(0..=2_000, 0),
        any::<bool>(),
        number(0..=500, 0),
        word(NlpMode::NAMES),
    )
        .prop_map(
            |(docs, chars, apis, comments, comment_chars, ocr, ocr_chars, mode)| {
                let apis = apis
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "\n[nlp]\ndocuments_per_month = {docs}\navg_chars = {chars}\napis = [{apis}]\ncomments_per_title = {comments}\ncomment_chars = {comment_chars}\nocr_text = {ocr}\nocr_chars = {ocr_chars}\nmode = \"{mode}\"\n"
                )
            },
        )
}

fn pipeline() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        proptest::option::of(number(0..=20, 0)),
        number(0..=50, 1),
        select(&[128i64, 512, 3008, 10_240][..]),
        number(0..=10, 2),
        number(0..=20, 0),
        number(0..=10, 0),
        number(0..=100, 0),
        (any::<bool>(), any::<bool>(), any::<bool>(), number(0..=10, 0)),
        number(0..=100, 2),
    )
        .prop_map(
            |(glue, invocations, seconds, memory, review, transitions, reads, stored, (kms, keys, waf, rules), accelerated)| {
                let mut text = format!(
                    "\n[pipeline]\nglue = {glue}\nlambda_seconds = {seconds}\nlambda_memory_mb = {memory}\nreview_share = {review}\nreview_transitions = {transitions}\ndynamodb_reads_per_title = {reads}\ndynamodb_stored_gb = {stored}\nsse_kms = {kms}\nbucket_keys = {keys}\nwaf = {waf}\nwaf_rules = {rules}\naccelerated_upload_share = {accelerated}\n"
                );
                if let Some(i) = invocations {
                    text += &format!("lambda_invocations_per_title = {i}\n");
                }
                text
            },
        )
}

/// Every section but `[forecast]`, and the ladder's audio layout (an event's new ladder
/// follows it).
fn sections(max_rungs: usize) -> impl Strategy<Value = (AudioLayout, String)> {
    (
        head(),
        content(),
        ladder(max_rungs),
        audience(),
        delivery(),
        transcode(),
        storage(),
        vision(),
        nlp(),
        pipeline(),
    )
        .prop_map(
            |(
                head,
                content,
                (audio, ladder),
                audience,
                delivery,
                transcode,
                storage,
                vision,
                nlp,
                pipeline,
            )| {
                (
                    audio,
                    [
                        head, content, ladder, audience, delivery, transcode, storage, vision, nlp,
                        pipeline,
                    ]
                    .concat(),
                )
            },
        )
}

/// A random scenario of 1 to 50 rungs, without a forecast.
pub fn scenario() -> impl Strategy<Value = Written> {
    sections(50).prop_map(|(_, text)| read(text))
}

/// How a driver grows: `None` is fixed (the driver is not listed).
#[derive(Clone, Debug)]
enum Growth {
    Compound(Decimal),
    Linear(Decimal),
}

/// A growth for `driver` whose extremes stay within the field's bounds over 24 months from
/// any value the generator writes (a geography's growth compounds with the overall one):
/// compound rates of −10 % to +10 % a month, ranges up to 3 points either side, linear
/// amounts of the driver's own size.
fn growth(driver: Driver) -> impl Strategy<Value = Option<String>> {
    let per_month = match driver {
        Driver::CacheHitRate => Decimal::new(1, 2),
        Driver::ImagesPerTitle => Decimal::ONE,
        Driver::Documents => Decimal::from(10_000),
        _ => Decimal::from(100_000),
    };
    (
        0u32..3,
        number(-100..=100, 3),
        number(-100..=100, 2),
        0u32..3,
        number(0..=30, 3),
        number(0..=30, 3),
    )
        .prop_map(move |(kind, compound, linear, spread, lo, hi)| {
            let (kind, rate, scale) = match kind {
                0 => return None,
                1 => (Growth::Compound(compound), compound, Decimal::ONE),
                _ => {
                    let rate = linear * per_month;
                    (Growth::Linear(rate), rate, per_month * Decimal::from(10))
                }
            };
            let name = match kind {
                Growth::Compound(_) => "compound",
                Growth::Linear(_) => "linear",
            };
            let range = match spread {
                0 => String::new(),
                1 => format!(", p10 = {}, p90 = {}", rate - lo * scale, rate + hi * scale),
                _ => format!(", sd = {}", lo * scale / Decimal::TWO),
            };
            Some(format!(
                "\"{}\" = {{ {name} = {rate}{range} }}\n",
                driver.path()
            ))
        })
}

/// What an event sets.
fn event_set() -> impl Strategy<Value = String> {
    let geos: Vec<&'static str> = Geography::ALL.iter().map(|g| g.key()).collect();
    prop_oneof![
        number(0..=1000, 3).prop_map(|v| format!("\"delivery.cache_hit_rate\" = {v}")),
        (select(geos), number(1..=50, 2)).prop_map(|(g, v)| format!("\"audience.geo.{g}\" = {v}")),
        volume(6).prop_map(|v| format!("\"content.new_minutes_per_month\" = {v}")),
        any::<bool>().prop_map(|b| format!("\"delivery.origin_shield\" = {b}")),
        select(&[0i64, 2, 10][..]).prop_map(|n| format!("\"transcode.reserved_slots\" = {n}")),
        select(&["0", "2", "6"][..]).prop_map(|r| format!("\"content.retention_months\" = {r}")),
    ]
}

/// A `[forecast]` section of 1 to 24 months from 2027-01, with growths on some drivers and
/// up to two events (each may set values or bring a new ladder of up to 8 rungs).
fn forecast(audio: AudioLayout) -> impl Strategy<Value = String> {
    let drivers = [
        Driver::NewMinutes,
        Driver::WatchMinutes,
        Driver::CacheHitRate,
        Driver::Documents,
        Driver::ImagesPerTitle,
        Driver::GeoMinutes(Geography::Us),
        Driver::GeoMinutes(Geography::India),
    ];
    let growths: Vec<BoxedStrategy<Option<String>>> =
        drivers.into_iter().map(|d| growth(d).boxed()).collect();
    (1u32..=24)
        .prop_flat_map(move |months| {
            let event = (
                1..=months,
                proptest::option::of(event_set()),
                proptest::option::of(rungs("forecast.events.rungs", 8, audio)),
            );
            (
                Just(months),
                growths.clone(),
                proptest::collection::vec(event, 0..=2),
            )
        })
        .prop_map(|(months, growths, events)| {
            let mut text = format!(
                "\n[forecast]\nstart = \"2027-01\"\nmonths = {months}\npaths = 3\n\n[forecast.growth]\n"
            );
            text.extend(growths.into_iter().flatten());
            for (i, (month, set, rungs)) in events.into_iter().enumerate() {
                // An event changes something.
                if set.is_none() && rungs.is_none() {
                    continue;
                }
                text += &format!("\n[[forecast.events]]\nmonth = {month}\nlabel = \"event {i}\"\n");
                if let Some(set) = set {
                    text += &format!("set = {{ {set} }}\n");
                }
                if let Some(rungs) = rungs {
                    text += &rungs;
                }
            }
            text
        })
}

/// A random scenario of 1 to `max_rungs` rungs with a random `[forecast]`.
pub fn scenario_with_forecast(max_rungs: usize) -> impl Strategy<Value = Written> {
    sections(max_rungs)
        .prop_flat_map(|(audio, text)| (Just(text), forecast(audio)))
        .prop_map(|(text, forecast)| read(text + &forecast))
}
