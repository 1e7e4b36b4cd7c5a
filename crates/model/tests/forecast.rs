//! The forecast: month 1 is `estimate`, the Monte Carlo's fast evaluator agrees with the
//! exact engine path by path, growth and cohorts add up by hand.

#[path = "support/random.rs"]
mod random;
mod support;

use ladderwise_model::estimate;
use ladderwise_model::forecast::{Options, path_both_ways, run};
use ladderwise_model::scenario::forecast::{Seasonality, YearMonth};
use ladderwise_model::scenario::{Geography, Scenario};
use ladderwise_model::units::Minutes;
use rust_decimal::Decimal;

const SHIPPED: [&str; 4] = [
    "ugc-short-form",
    "premium-ott",
    "elearning-apple-hls",
    "legacy-elastic-transcoder",
];

fn options() -> Options {
    Options {
        default_start: YearMonth::parse("2027-01"),
        threads: 1,
        ..Options::default()
    }
}

/// A shipped scenario with `forecast` as its `[forecast]` section (its own, which comes
/// last in every shipped file, left out).
fn with_forecast(name: &str, forecast: &str) -> Scenario {
    let (path, text) = forecast_text(name, forecast);
    Scenario::from_toml(&path, &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The file and text [`with_forecast`] reads.
fn forecast_text(name: &str, forecast: &str) -> (String, String) {
    let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let own = text.find("\n[forecast]").unwrap_or(text.len());
    let text = format!("{}\n{forecast}", &text[..own]);
    (path, text)
}

#[test]
fn month_one_is_the_estimate_to_the_cent() {
    let book = support::shipped_book();
    for name in SHIPPED {
        let mut s = support::shipped_scenario(name);
        // The scenario's watch minutes are an average month; a seasonal January is another
        // month (checked below).
        s.forecast.seasonality = Seasonality::Flat;
        let f = run(&s, &book, &options()).unwrap();
        let e = estimate(&s, &book);
        assert_eq!(f.months[0].estimate, e, "{name}");
    }
}

#[test]
fn a_seasonal_first_month_is_the_estimate_of_its_watch_time() {
    let book = support::shipped_book();
    let s = support::shipped_scenario("elearning-apple-hls");
    let Seasonality::Factors(factors) = s.forecast.seasonality.clone() else {
        panic!("e-learning is seasonal");
    };
    let f = run(&s, &book, &options()).unwrap();
    // It starts in January.
    let mut january = s.clone();
    january.audience.watch_minutes_per_month =
        Minutes(s.audience.watch_minutes_per_month.0 * factors[0]);
    assert_eq!(f.months[0].estimate.total, estimate(&january, &book).total);
}

const GROWTH: &str = r#"
[forecast]
start = "2027-01"
months = 12
paths = 200
[forecast.growth]
"content.new_minutes_per_month" = { compound = 0.03, p10 = 0.0, p90 = 0.06 }
"audience.watch_minutes_per_month" = { compound = 0.05, sd = 0.02 }
"delivery.cache_hit_rate" = { linear = 0.002, p10 = 0.0, p90 = 0.003 }
"#;

/// Paths `paths` of `s` priced by the compiled evaluator and by the engine agree within a
/// cent every month; `compiled`: every month must also have compiled (not fallen back to
/// the engine).
fn paths_agree(
    what: &str,
    s: &Scenario,
    book: &ladderwise_model::pricebook::PriceBook,
    paths: &[u32],
    compiled: bool,
) {
    for &path in paths {
        let months = path_both_ways(s, book, &options(), path).unwrap();
        for (k, (fast, exact, ok)) in months.iter().enumerate() {
            let exact: f64 = exact.0.try_into().unwrap();
            assert!(
                *ok || !compiled,
                "{what} month {}: compiled month failed its check",
                k + 1
            );
            assert!(
                !ok || (fast - exact).abs() < 0.01,
                "{what} path {path} month {}: fast {fast} exact {exact}",
                k + 1
            );
        }
    }
}

/// A growth drawn per path for a geography the deterministic path never watches from (its
/// central rate keeps it at 0): the paths whose draw makes viewers there pay for them. Direct
/// S3 delivery bills one line whatever the geography, so its months compile; CloudFront bills
/// the geography on lines the deterministic month lacks, so its months fall back to the engine.
#[test]
fn a_geography_only_some_paths_watch_from_is_priced_on_those_paths() {
    let book = support::shipped_book();
    let forecast = r#"
[forecast]
start = "2027-01"
months = 6
[forecast.growth]
"audience.geo.india" = { linear = -1000.0, p10 = -200000.0, p90 = 200000.0 }
"#;
    let direct = with_forecast("legacy-elastic-transcoder", forecast);
    assert!(
        !direct
            .audience
            .geo
            .iter()
            .any(|(g, _)| *g == Geography::India)
    );
    paths_agree("direct S3", &direct, &book, &[0, 1, 2, 3, 4, 5, 6, 7], true);
    let mut cdn = with_forecast("ugc-short-form", forecast);
    cdn.audience.geo = vec![
        (Geography::Us, Decimal::new(7, 1)),
        (Geography::Europe, Decimal::new(3, 1)),
    ];
    paths_agree("CloudFront", &cdn, &book, &[0, 1, 2, 3, 4, 5, 6, 7], false);
}

/// Watch time that falls by a range of minutes a month, spread over the geographies watched,
/// while one the scenario does not watch from grows by its own: each geography's minutes are
/// kept as minutes (an index of the total would be divided by near 0 on a path whose total
/// almost vanishes), and the paths agree with the engine.
#[test]
fn watch_time_falling_while_a_new_geography_grows_adds_up() {
    let book = support::shipped_book();
    let mut s = with_forecast(
        "legacy-elastic-transcoder",
        r#"
[forecast]
start = "2027-01"
months = 12
[forecast.growth]
"audience.watch_minutes_per_month" = { linear = -315.0, p10 = -316.0, p90 = -300.0 }
"audience.geo.india" = { linear = 87000.0, sd = 6000.0 }
"#,
    );
    s.audience.watch_minutes_per_month = Minutes(Decimal::from(315));
    let f = run(&s, &book, &options()).unwrap();
    // India gains 87,000 minutes a month and the total loses 315: 315 + 86,685 × (k − 1).
    for m in &f.months {
        let k = Decimal::from(m.index - 1);
        // To a millionth of a minute: a share is a quotient of 28 digits.
        assert_eq!(
            m.watch_minutes.round_dp(6),
            Decimal::from(315) + Decimal::from(86_685) * k,
            "month {}",
            m.index
        );
    }
    paths_agree("falling", &s, &book, &[0, 1, 2, 3, 4, 5, 6, 7], false);
}

#[test]
fn the_fast_evaluator_agrees_with_the_engine_path_by_path() {
    let book = support::shipped_book();
    for name in support::shipped_names() {
        let name = name.as_str();
        let s = with_forecast(name, GROWTH);
        paths_agree(name, &s, &book, &[0, 7, 42], true);
    }
}

/// The same seed gives the same bands on one core or two, and with the months priced in
/// blocks; another seed moves them a little.
#[test]
fn the_monte_carlo_is_reproducible_whatever_the_cores() {
    let book = support::shipped_book();
    let s = with_forecast("ugc-short-form", GROWTH);
    let one = run(&s, &book, &options()).unwrap();
    let two = run(
        &s,
        &book,
        &Options {
            threads: 2,
            ..options()
        },
    )
    .unwrap();
    let bands = |f: &ladderwise_model::forecast::Forecast| {
        f.months.iter().map(|m| m.total).collect::<Vec<_>>()
    };
    assert_eq!(bands(&one), bands(&two));
    // Months priced one at a time, as a million paths would be, give the same bands.
    let blocks = run(
        &s,
        &book,
        &Options {
            threads: 2,
            costs_budget: Some(1),
            ..options()
        },
    )
    .unwrap();
    assert_eq!(bands(&one), bands(&blocks));
    assert!(one.months.len() > 1);
    // Each block says how far the Monte Carlo has come.
    let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let heard = told.clone();
    run(
        &s,
        &book,
        &Options {
            costs_budget: Some(1),
            progress: Some(ladderwise_model::forecast::Progress(std::sync::Arc::new(
                move |done, of| heard.lock().unwrap().push((done, of)),
            ))),
            ..options()
        },
    )
    .unwrap();
    let months = one.months.len() as u32;
    let expected: Vec<(u32, u32)> = (1..=months).map(|k| (k, months)).collect();
    assert_eq!(*told.lock().unwrap(), expected);
    let mut other = s.clone();
    other.forecast.seed = 2;
    let moved = run(&other, &book, &options()).unwrap();
    assert_ne!(bands(&one), bands(&moved));
}

/// With narrow, symmetric ranges the paths straddle the deterministic path: each month's
/// P50 is within 1 % of it, and P10 ≤ P50 ≤ P90.
#[test]
fn narrow_symmetric_ranges_put_the_p50_on_the_deterministic_path() {
    let book = support::shipped_book();
    for name in SHIPPED {
        let s = with_forecast(
            name,
            r#"
[forecast]
start = "2027-01"
months = 12
paths = 2000
[forecast.growth]
"audience.watch_minutes_per_month" = { compound = 0.02, sd = 0.002 }
"content.new_minutes_per_month" = { compound = 0.01, sd = 0.001 }
"#,
        );
        let f = run(&s, &book, &options()).unwrap();
        for m in &f.months {
            let d = m.estimate.total.0;
            let p50 = m.total.p50.0;
            assert!(
                (p50 - d).abs() <= d / rust_decimal::Decimal::ONE_HUNDRED,
                "{name} {}: P50 {p50} against {d}",
                m.month
            );
            assert!(m.total.p10 <= m.total.p50 && m.total.p50 <= m.total.p90);
        }
    }
}

/// A steep, uncertain fall: three widths below a compound −0.9 a month is −2.4, which would
/// make `1 + rate` negative and a path's watch time flip sign and come back month after
/// month. Draws are held at −1 (nothing watched), so every path only falls, and so does
/// every percentile of what watching costs.
#[test]
fn a_falling_driver_never_comes_back_on_any_path() {
    use ladderwise_model::engine::Service;
    let book = support::shipped_book();
    let s = with_forecast(
        "ugc-short-form",
        r#"
[forecast]
start = "2027-01"
months = 8
paths = 2000
[forecast.growth]
"audience.watch_minutes_per_month" = { compound = -0.9, sd = 0.5 }
"#,
    );
    let f = run(&s, &book, &options()).unwrap();
    let cloudfront: Vec<_> = f
        .months
        .iter()
        .map(|m| {
            m.services
                .iter()
                .find(|(s, _)| *s == Service::CloudFront)
                .map(|(_, b)| *b)
                .unwrap()
        })
        .collect();
    for w in cloudfront.windows(2) {
        assert!(w[1].p90 <= w[0].p90, "P90 rose: {:?} then {:?}", w[0], w[1]);
        assert!(w[1].p50 <= w[0].p50, "P50 rose: {:?} then {:?}", w[0], w[1]);
    }
    // The median path is the central rate's: its P50 stays near the deterministic one.
    for m in &f.months[1..] {
        let d = m.estimate.service_total(Service::CloudFront).0;
        let p50 = cloudfront[m.index as usize - 1].p50.0;
        assert!(
            p50 <= d * Decimal::TWO + Decimal::ONE_HUNDRED,
            "{}: P50 {p50} against {d}",
            m.month
        );
    }
}

/// Five months of a library-free scenario whose outputs move to Standard-IA after 30 days and
/// are deleted after 2 months. Month 1's uploads are too young to have moved; from month 2
/// each month's cohort moves on; once the oldest reach the retention, what Standard-IA holds
/// stops growing (as much is deleted as arrives), while without a retention it keeps growing
/// by one cohort a month.
#[test]
fn cohorts_age_through_the_lifecycle_and_retention() {
    let book = support::shipped_book();
    let mut s = with_forecast(
        "legacy-elastic-transcoder",
        r#"
[forecast]
start = "2027-01"
months = 5
paths = 0
"#,
    );
    s.content.library_minutes = Minutes(rust_decimal::Decimal::ZERO);
    s.content.retention_months = Some(rust_decimal::Decimal::from(2));
    s.storage.lifecycle = vec![ladderwise_model::scenario::Transition {
        after_days: rust_decimal::Decimal::from(30),
        class: ladderwise_model::scenario::StorageClass::StandardIa,
    }];
    // Each month's GB-months (or, `cost`, dollars) on the lines of a storage usage type.
    let per_month = |s: &Scenario, usage: &str, cost: bool| -> Vec<rust_decimal::Decimal> {
        let f = run(s, &book, &options()).unwrap();
        f.months
            .iter()
            .map(|m| {
                m.estimate
                    .lines
                    .iter()
                    .filter(|l| l.usage_type.ends_with(usage))
                    .filter_map(|l| {
                        if cost {
                            l.cost.map(|c| c.0)
                        } else {
                            Some(l.quantity)
                        }
                    })
                    .sum()
            })
            .collect()
    };
    let held = |s: &Scenario| per_month(s, "TimedStorage-SIA-ByteHrs", false);
    let ia = held(&s);
    let hundredth = |v: rust_decimal::Decimal| v / rust_decimal::Decimal::ONE_HUNDRED;
    assert!(
        ia[0] < hundredth(ia[1]),
        "month 1's uploads are too young to move: {ia:?}"
    );
    assert!(
        ia[1] > rust_decimal::Decimal::ZERO && ia[2] > ia[1],
        "{ia:?}"
    );
    assert_eq!(
        ia[3], ia[4],
        "the retention deletes as much as arrives: {ia:?}"
    );
    // By hand. Uploads arrive evenly through a month; a = 30 ÷ 30.4375 = 0.985626 months is
    // the age at which an object moves to Standard-IA, and 2 months the age it is deleted at.
    // Month 2: month 1's cohort has ages s..1+s at time s of the month, so its share in IA
    // is ∫₀¹ (1 + s − max(a, s)) ds = a(1 − a) + a²/2 + (1 − a) = 0.514270 of a cohort.
    // Month 3: month 1's cohort (ages 1+s..2+s) is in IA until age 2: ∫₀¹ (1 − s) ds = 0.5;
    // month 2's cohort adds 0.514270 again. So IA₃ ÷ IA₂ = 1.014270 ÷ 0.514270 = 1.972262.
    // (Objects under 128 KB never move and month 1's stray tenth of a GB is not a cohort, so
    // the check is to 0.05 %.)
    let a = rust_decimal::Decimal::from(30) / rust_decimal::Decimal::new(304375, 4);
    let one = rust_decimal::Decimal::ONE;
    let month_2 = a * (one - a) + a * a / rust_decimal::Decimal::from(2) + (one - a);
    let month_3 = rust_decimal::Decimal::new(5, 1) + month_2;
    let expected = month_3 / month_2;
    let measured = ia[2] / ia[1];
    assert!(
        ((measured - expected) / expected).abs() < rust_decimal::Decimal::new(5, 4),
        "IA month 3 ÷ month 2 is {measured}, by hand {expected}"
    );
    // In money too: a cohort C (the GB one month of uploads stores) is held half a month in
    // its first month, all in Standard (ages 0..1 < a for nearly all of it: the part past a
    // is (1 − a)²/2 = 0.000103 C, left out). So Standard₁ = 0.5 C and IA₂ = 0.514270 C:
    // IA₂ = 1.028540 × Standard₁ in GB-months, and month 2's IA line costs that many
    // GB-months at Standard-IA's $0.0125.
    let standard_1 = per_month(&s, "TimedStorage-ByteHrs", false)[0];
    let ratio = ia[1] / standard_1;
    let by_hand = month_2 / rust_decimal::Decimal::new(5, 1);
    assert!(
        ((ratio - by_hand) / by_hand).abs() < rust_decimal::Decimal::new(5, 4),
        "IA month 2 ÷ Standard month 1 is {ratio}, by hand {by_hand}"
    );
    let ia_cost_2 = per_month(&s, "TimedStorage-SIA-ByteHrs", true)[1];
    assert_eq!(ia_cost_2, ia[1] * rust_decimal::Decimal::new(125, 4));
    let mut kept = s.clone();
    kept.content.retention_months = None;
    let grows = held(&kept);
    assert!(
        grows[4] > grows[3] + hundredth(grows[3]) * rust_decimal::Decimal::from(10),
        "{grows:?}"
    );
    assert!(grows[4] > ia[4]);
}

/// The compiled evaluator against the exact engine on the engine's non-linear rules: reserved
/// slots (the share of jobs they take), a CloudFront flat-rate plan (chosen per month, its S3
/// credit), normalized minutes pooled across an Organization, and direct S3 delivery.
#[test]
fn the_fast_evaluator_agrees_on_slots_plans_pools_and_direct_s3() {
    use ladderwise_model::scenario::{Cdn, Pooling};
    let book = support::shipped_book();
    let base = with_forecast("ugc-short-form", GROWTH);
    let mut variants: Vec<(&str, Scenario)> = Vec::new();
    let mut slots = with_forecast("premium-ott", GROWTH);
    slots.transcode.reserved_slots = 3;
    variants.push(("reserved slots", slots));
    let mut plan = base.clone();
    plan.delivery.cdn = Cdn::CloudfrontFlatRate;
    variants.push(("flat-rate plan", plan));
    let mut pooled = base.clone();
    pooled.transcode.pooling = Pooling::Organization;
    pooled.transcode.other_normalized_minutes = rust_decimal::Decimal::from(150_000);
    variants.push(("organization pool", pooled));
    let mut direct = base.clone();
    direct.delivery.cdn = Cdn::None;
    variants.push(("direct S3", direct));
    for (what, s) in variants {
        paths_agree(what, &s, &book, &[0, 13], true);
    }
}

/// Found by the random scenarios: with no uploads on the deterministic path, the engine
/// leaves out lines that only uploads bring (Rekognition's images, Elastic Transcoder's
/// minutes), so the compiled month had no line for them and a path that uploads priced
/// them at nothing. Such a month is priced with the exact engine instead.
#[test]
fn a_driver_at_zero_on_the_deterministic_path_does_not_hide_its_lines() {
    let book = support::shipped_book();
    let mut s = with_forecast(
        "legacy-elastic-transcoder",
        r#"
[forecast]
start = "2027-01"
months = 2
paths = 3
[forecast.growth]
"content.new_minutes_per_month" = { linear = 0, p10 = 0, p90 = 1000 }
"#,
    );
    s.content.new_minutes_per_month = Minutes(rust_decimal::Decimal::ZERO);
    s.vision.text_images_per_title = rust_decimal::Decimal::from(3);
    paths_agree("no uploads", &s, &book, &[0, 1, 2], false);
}

/// Found by the random scenarios: a month's cohorts past their retention hold nothing, and
/// the engine splits the reads of a month that holds nothing as a minute of its uploads would
/// be held. That stand-in must not count as what each such cohort holds: it did, so the
/// compiled months took reads to the class written to in proportion to the uploads deleted,
/// which the deterministic path's check could not see once its viewers had fallen to none.
#[test]
fn cohorts_past_their_retention_hold_nothing_in_the_read_split() {
    let book = support::shipped_book();
    let mut s = with_forecast(
        "ugc-short-form",
        r#"
[forecast]
start = "2027-01"
months = 8
paths = 3
[forecast.growth]
"audience.watch_minutes_per_month" = { linear = -3000000, p10 = -3000000, p90 = 1000000 }
"#,
    );
    s.content.retention_months = Some(Decimal::from(3));
    s.storage.lifecycle[0].after_days = Decimal::from(30);
    paths_agree("deleted cohorts", &s, &book, &[0, 1, 2, 3, 4, 5], false);
}

mod random_scenarios {
    use super::*;
    use ladderwise_model::pricebook::PriceBook;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static BOOK: LazyLock<PriceBook> = LazyLock::new(support::shipped_book);

    /// The fast evaluator against the exact engine on Monte Carlo path `path`: each month the
    /// Monte Carlo prices with the compiled evaluator (it passed its own check) is within a
    /// cent of the exact engine's total on the path.
    fn check_path(s: &Scenario, path: u32) -> Result<(), TestCaseError> {
        let months = path_both_ways(s, &BOOK, &options(), path)
            .map_err(|e| TestCaseError::fail(format!("the forecast refused: {e}")))?;
        for (k, (fast, exact, ok)) in months.iter().enumerate() {
            let exact: f64 = exact.0.try_into().unwrap();
            // A month that is not compiled is priced with the exact engine on every path.
            prop_assert!(
                !ok || (fast - exact).abs() < 0.01,
                "path {path} month {}: fast {fast} exact {exact}",
                k + 1
            );
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Random scenarios (up to 50 rungs) with a random `[forecast]`: growths compound,
        /// linear or fixed on every kind of driver, with and without ranges, events that set
        /// values or bring a new ladder, 1 to 24 months; three paths each.
        #[test]
        fn the_fast_evaluator_agrees_with_the_engine_on_random_scenarios(
            w in random::scenario_with_forecast(50),
            paths in proptest::collection::vec(0u32..10_000, 3),
        ) {
            for path in paths {
                check_path(&w.scenario, path)?;
            }
        }
    }
}

/// Growth keeps every field in its bounds, but the month's product of them can leave what the
/// engine counts exactly: the forecast is refused naming the month, not overflowed.
#[test]
fn a_month_grown_beyond_counting_is_refused_with_its_month() {
    let text = "[scenario]\nname = \"grow\"\n[content]\nnew_minutes_per_month = 1000\navg_title_minutes = 0.01\n\
        [ladder]\npackaging_overhead = 1\n[[ladder.rungs]]\nname = \"top\"\nwidth = 3840\nheight = 2160\nfps = 30\n\
        codec = \"avc\"\nvideo_kbps = 1000000\naudio_kbps = 100000\nwatch_share = 1\n[audience]\n\
        watch_minutes_per_month = 10\ngeo = { us = 1 }\npreload_seconds = 600\nimpressions_per_session = 1000\n\
        [forecast]\nstart = \"2027-01\"\nmonths = 24\n[forecast.growth]\n\
        \"audience.watch_minutes_per_month\" = { compound = 1.0 }\n";
    let s = Scenario::from_toml("grow.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let said = run(&s, &support::shipped_book(), &options())
        .unwrap_err()
        .to_string();
    assert!(
        said.starts_with("in 2028-02, the month would count about 1.4e21 bytes delivered"),
        "{said}"
    );
    assert!(
        said.contains("\nhint: write smaller growth rates"),
        "{said}"
    );
}

/// A scenario before its launch watches nothing: growth and a launch event still bring its
/// viewers, spread over the scenario's geographies (they did nothing while no minute was
/// watched, so the forecast billed no delivery in any month).
#[test]
fn a_scenario_before_launch_grows_and_launches_by_its_own_geography_shares() {
    let book = support::shipped_book();
    let mut s = with_forecast(
        "ugc-short-form",
        r#"
[forecast]
start = "2027-01"
months = 4
[forecast.growth]
"audience.watch_minutes_per_month" = { linear = 500000 }
[[forecast.events]]
month = 3
label = "public launch"
set = { "audience.watch_minutes_per_month" = 3000000 }
"#,
    );
    s.audience.watch_minutes_per_month = Minutes(Decimal::ZERO);
    let f = run(&s, &book, &options()).unwrap();
    let watched: Vec<Decimal> = f.months.iter().map(|m| m.watch_minutes).collect();
    let d = |n: i64| Decimal::from(n);
    assert_eq!(watched, [d(0), d(500_000), d(3_000_000), d(3_500_000)]);
    let cloudfront = |k: usize| {
        f.months[k]
            .estimate
            .service_total(ladderwise_model::Service::CloudFront)
            .0
    };
    assert!(cloudfront(0).is_zero());
    assert!(cloudfront(2) > Decimal::ZERO);
    // Each geography takes the scenario's share of the launch.
    let e = &f.months[2].estimate;
    let launched = Scenario {
        audience: ladderwise_model::scenario::Audience {
            watch_minutes_per_month: Minutes(d(3_000_000)),
            ..s.audience.clone()
        },
        ..s.clone()
    };
    assert_eq!(
        e.service_total(ladderwise_model::Service::CloudFront),
        estimate(&launched, &book).service_total(ladderwise_model::Service::CloudFront)
    );
}

#[test]
fn an_event_cannot_give_one_geography_all_the_watch_time() {
    let forecast = "[forecast]\nmonths = 6\n[[forecast.events]]\nmonth = 4\nlabel = \"launch in Brazil\"\nset = { \"audience.geo.south_america\" = 1.0 }\n";
    let (_, text) = forecast_text("ugc-short-form", forecast);
    let e = Scenario::from_toml("f.toml", &text)
        .unwrap_err()
        .to_string();
    let line = text.lines().count();
    assert!(
        e.contains(&format!("f.toml:{line}:"))
            && e.contains("must be a share below 1")
            && e.contains("hint:"),
        "{e}"
    );
}

/// A new ladder whose shares do not add up is refused at its line, with a hint that reads
/// as a sentence.
#[test]
fn a_new_ladder_s_shares_must_add_up() {
    let (path, text) = forecast_text(
        "ugc-short-form",
        r#"
[forecast]
start = "2027-01"
months = 12

[[forecast.events]]
month = 6
label = "new ladder"

[[forecast.events.rungs]]
name = "1080p"
width = 1920
height = 1080
fps = 30
codec = "hevc"
video_kbps = 3500
audio_kbps = 128
watch_share = 0.7

[[forecast.events.rungs]]
name = "540p"
width = 960
height = 540
fps = 30
codec = "hevc"
video_kbps = 1200
audio_kbps = 96
watch_share = 0.5
"#,
    );
    let err = Scenario::from_toml(&path, &text).unwrap_err().to_string();
    assert!(
        err.contains("the new ladder's watch shares sum to 1.2, not 1"),
        "{err}"
    );
    assert!(
        err.contains("hint: make the new ladder's watch shares add up to 1"),
        "{err}"
    );
    assert!(!err.contains("the the"), "{err}");
}

/// A driver at 0 that every path keeps at 0 (a compound growth of nothing is nothing, a
/// ranged rate or not; month 1 is before any growth) brings no line the month lacks: the
/// months compile, the Monte Carlo prices them with the fast evaluator (no note of months
/// priced with the exact engine), and path by path they agree with the engine. No uploads
/// had every month priced with the exact engine, a hundred times slower.
#[test]
fn drivers_held_at_zero_on_every_path_keep_the_fast_evaluator() {
    let book = support::shipped_book();
    let shipped = support::shipped_scenario("ugc-short-form");
    let zero = Decimal::ZERO;
    let mut variants: Vec<(&str, Scenario)> = Vec::new();
    let mut no_uploads = shipped.clone();
    no_uploads.content.new_minutes_per_month = Minutes(zero);
    variants.push(("no uploads", no_uploads.clone()));
    let mut no_library = no_uploads.clone();
    no_library.content.library_minutes = Minutes(zero);
    variants.push(("no uploads and no library", no_library));
    let mut retained = no_uploads.clone();
    retained.content.retention_months = Some(Decimal::ONE);
    variants.push(("no uploads, a month's retention", retained));
    // Brazil's launch takes a share of nothing.
    let mut no_viewers = shipped.clone();
    no_viewers.audience.watch_minutes_per_month = Minutes(zero);
    variants.push(("no viewers", no_viewers));
    let mut nothing = no_uploads.clone();
    nothing.audience.watch_minutes_per_month = Minutes(zero);
    variants.push(("no uploads and no viewers", nothing));
    // Documents, images per title and the hit rate at 0, each grown by a ranged compound rate.
    let mut others = with_forecast(
        "ugc-short-form",
        r#"
[forecast]
start = "2027-01"
months = 12
[forecast.growth]
"content.new_minutes_per_month" = { compound = 0.03, p10 = 0.01, p90 = 0.05 }
"audience.watch_minutes_per_month" = { compound = 0.04, p10 = 0.015, p90 = 0.065 }
"nlp.documents_per_month" = { compound = 0.05, p10 = 0.0, p90 = 0.1 }
"vision.moderation_images_per_title" = { compound = 0.05, sd = 0.02 }
"delivery.cache_hit_rate" = { compound = 0.01, sd = 0.005 }
"#,
    );
    others.nlp.documents_per_month = zero;
    others.vision.moderation_images_per_title = zero;
    others.delivery.cache_hit_rate = zero;
    variants.push(("no documents, images or hits", others.clone()));
    let mut no_uploads_grown = others.clone();
    no_uploads_grown.content.new_minutes_per_month = Minutes(zero);
    no_uploads_grown.vision.moderation_images_per_title = Decimal::from(3);
    variants.push(("no uploads, images per title grown", no_uploads_grown));
    // Uploads stopped by an event: from then on no path uploads.
    let stopped = with_forecast(
        "ugc-short-form",
        r#"
[forecast]
start = "2027-01"
months = 8
[forecast.growth]
"content.new_minutes_per_month" = { compound = 0.03, p10 = 0.01, p90 = 0.05 }
[[forecast.events]]
month = 4
label = "uploads closed"
set = { "content.new_minutes_per_month" = 0 }
"#,
    );
    variants.push(("uploads stopped by an event", stopped.clone()));
    let mut stopped_no_library = stopped;
    stopped_no_library.content.library_minutes = Minutes(zero);
    variants.push((
        "uploads stopped by an event, no library",
        stopped_no_library,
    ));
    // Faces the collections already hold are in every month whatever its drivers: counted
    // once, not in every probe (where they were taken for part of each driver, and every
    // month fell back to the exact engine, a hundred times slower).
    let mut faces = shipped.clone();
    faces.vision.faces_indexed_per_title = Decimal::from(4);
    variants.push(("faces indexed, the library's faces held", faces.clone()));
    faces.vision.faces_stored = Some(Decimal::from(250_000));
    variants.push(("faces indexed, faces stored given", faces));
    let mut fell_back = Vec::new();
    for (what, s) in &mut variants {
        s.forecast.paths = 20;
        let f = run(s, &book, &options()).unwrap();
        if let Some(note) = f
            .notes
            .iter()
            .find(|n| n.contains("priced by a full estimate"))
        {
            fell_back.push(format!("{what}: {note}"));
        }
    }
    assert!(fell_back.is_empty(), "{fell_back:#?}");
    for (what, s) in &variants {
        paths_agree(what, s, &book, &[0, 1, 2, 3], true);
    }
    // A linear growth brings uploads from 0 on some paths: from month 2 a path may transcode
    // what the deterministic month has no line for, and those months still fall back.
    let mut launched = with_forecast(
        "ugc-short-form",
        r#"
[forecast]
start = "2027-01"
months = 4
paths = 20
[forecast.growth]
"content.new_minutes_per_month" = { linear = 0, p10 = 0, p90 = 1000 }
"#,
    );
    launched.content.new_minutes_per_month = Minutes(zero);
    let f = run(&launched, &book, &options()).unwrap();
    assert!(
        f.notes.iter().any(|n| n.contains(
            "month(s) 2, 3, 4 of the Monte Carlo paths are priced by a full estimate each"
        )),
        "{:?}",
        f.notes
    );
    paths_agree("uploads launched", &launched, &book, &[0, 1, 2, 3], false);
}

/// A compound growth of a geography nobody watches from at the start, and that no event
/// launches, multiplies nothing: said in a note, so the file is not read as growing there.
/// Launched by an event, or grown linearly, it moves, and nothing is said.
#[test]
fn a_compound_growth_of_an_unwatched_geography_is_said_to_move_nothing() {
    let book = support::shipped_book();
    let growth = |rate: &str, event: &str| {
        format!(
            "[forecast]\nstart = \"2027-01\"\nmonths = 3\n[forecast.growth]\n\"audience.geo.japan\" = {{ {rate} }}\n{event}"
        )
    };
    let idle = |f: &ladderwise_model::forecast::Forecast| {
        f.notes
            .iter()
            .any(|n| n.contains("`audience.geo.japan` moves nothing"))
    };
    let s = with_forecast("ugc-short-form", &growth("compound = 0.5", ""));
    assert!(idle(&run(&s, &book, &options()).unwrap()));
    let launched = with_forecast(
        "ugc-short-form",
        &growth(
            "compound = 0.5",
            "[[forecast.events]]\nmonth = 2\nlabel = \"launch in Japan\"\nset = { \"audience.geo.japan\" = 0.05 }\n",
        ),
    );
    assert!(!idle(&run(&launched, &book, &options()).unwrap()));
    let linear = with_forecast("ugc-short-form", &growth("linear = 1000.0", ""));
    assert!(!idle(&run(&linear, &book, &options()).unwrap()));
}

/// An event's month written as text of digits (what a form's text field writes) is that
/// month of the horizon, as the number is.
#[test]
fn an_event_month_written_as_digits_is_that_month() {
    let forecast = |month: &str| {
        format!(
            "[forecast]\nstart = \"2027-01\"\nmonths = 6\n[[forecast.events]]\nmonth = {month}\nlabel = \"launch\"\nset = {{ \"delivery.cache_hit_rate\" = 0.9 }}\n"
        )
    };
    let number = with_forecast("ugc-short-form", &forecast("3"));
    let text = with_forecast("ugc-short-form", &forecast("\"3\""));
    assert_eq!(text.forecast.events, number.forecast.events);
    assert_eq!(number.forecast.events[0].month, 3);
    let (path, bad) = forecast_text("ugc-short-form", &forecast("\"3rd\""));
    assert!(Scenario::from_toml(&path, &bad).is_err());
}
