//! The forecast: month 1 is `estimate`, the Monte Carlo's fast evaluator agrees with the
//! exact engine path by path, growth and cohorts add up by hand.

mod support;

use ladderwise_model::estimate;
use ladderwise_model::forecast::{Options, path_both_ways, run};
use ladderwise_model::scenario::Scenario;
use ladderwise_model::scenario::forecast::{Seasonality, YearMonth};
use ladderwise_model::units::Minutes;

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
    let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let own = text.find("\n[forecast]").unwrap_or(text.len());
    let text = format!("{}\n{forecast}", &text[..own]);
    Scenario::from_toml(&path, &text).unwrap_or_else(|e| panic!("{e}"))
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

#[test]
fn the_fast_evaluator_agrees_with_the_engine_path_by_path() {
    let book = support::shipped_book();
    for name in SHIPPED {
        let s = with_forecast(name, GROWTH);
        for path in [0, 7, 42] {
            let months = path_both_ways(&s, &book, &options(), path).unwrap();
            for (k, (fast, exact, ok)) in months.iter().enumerate() {
                let exact: f64 = exact.0.try_into().unwrap();
                assert!(
                    *ok,
                    "{name} month {}: compiled month failed its check",
                    k + 1
                );
                assert!(
                    (fast - exact).abs() < 0.01,
                    "{name} path {path} month {}: fast {fast} exact {exact}",
                    k + 1
                );
            }
        }
    }
}
