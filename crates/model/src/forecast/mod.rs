//! The forecast: a scenario's months ahead, priced month by month, with P10/P50/P90 from a
//! Monte Carlo over the uncertain growth rates.
//!
//! The deterministic path (every rate at its central value) is priced by the line-item engine
//! itself: each month gets its own scenario (drivers grown, events applied) and the content S3
//! holds that month — the library and every earlier month's uploads as a cohort aging through
//! the lifecycle ([`crate::engine::storage::Stored`]). Month 1 is [`crate::estimate`] to the
//! cent. The Monte Carlo paths use [`fast`], an evaluator compiled from that same engine: the
//! billed quantity of every line per unit of each driver, measured by pricing probe months,
//! then priced through the same tier tables, with the engine's own non-linear rules (read
//! split, reserved share, shared free tiers) applied by the engine's own generic functions.

pub mod drivers;
mod fast;
pub mod num;
mod sample;
pub mod seasonality;

pub use seasonality::fit_seasonality;

use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use serde::Serialize;

use crate::engine::drivers::Drivers;
use crate::engine::storage::{Era, ObjectKind, Stored, Strip, object_kinds, strips};
use crate::engine::{Estimate, Service, estimate_holding};
use crate::pricebook::{PriceBook, SnapshotInfo};
use crate::scenario::forecast::{Currency, Driver, GrowthKind, Seasonality, YearMonth};
use crate::scenario::path::PathError;
use crate::scenario::{Geography, Scenario};
use crate::units::{Minutes, Usd};
use drivers::{Plan, Values};

/// What the command decides for the forecast: the first month when the file leaves it to
/// today, the factors `seasonality = "usage"` stands for, and overrides of the file.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Used when the file has no `start`.
    pub default_start: Option<YearMonth>,
    pub months: Option<u32>,
    pub paths: Option<u32>,
    /// The fitted factors when the file says `seasonality = "usage"`.
    pub usage_factors: Option<[Decimal; 12]>,
    /// Threads the Monte Carlo may use (the paths and their results do not depend on it).
    pub threads: usize,
    /// The most bytes of path costs the Monte Carlo holds at once (`None`: 256 MB); more
    /// months than fit are priced in blocks, with the same results.
    pub costs_budget: Option<usize>,
    /// Told the months of the Monte Carlo priced so far and how many there are, after each
    /// block: a million paths take a minute.
    pub progress: Option<Progress>,
}

/// What is told how far the Monte Carlo has come: `(months priced, months)`.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(u32, u32) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Why a forecast cannot run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ForecastError {
    #[error("the forecast has no first month\nhint: add `start = \"YYYY-MM\"` to [forecast]")]
    NoStart,
    #[error(
        "`seasonality = \"usage\"` needs the months of the usage store\nhint: import or pull at least 12 months of usage first (`ladderwise usage import`), or write twelve factors"
    )]
    NoUsageFactors,
    #[error("`--months {0}` is outside 1 to 120\nhint: write a horizon of 1 to 120 months")]
    Months(u32),
    #[error(
        "`--paths {0}` is over {max}, the most the file's `paths` may be\nhint: write 0 to {max} paths; 10,000 place P10 and P90 to within about a percent",
        max = crate::scenario::forecast::MAX_PATHS
    )]
    Paths(u32),
    #[error(
        "a forecast from {start} would end in {last}, past 9999-12\nhint: start earlier or forecast fewer months"
    )]
    PastYear9999 {
        start: crate::scenario::forecast::YearMonth,
        last: crate::scenario::forecast::YearMonth,
    },
    #[error("{0}")]
    Bounds(String),
}

/// P10, P50 and P90 of a month's cost over the paths.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Band {
    pub p10: Usd,
    pub p50: Usd,
    pub p90: Usd,
}

impl Band {
    fn flat(v: Usd) -> Band {
        Band {
            p10: v,
            p50: v,
            p90: v,
        }
    }
}

/// One month of the forecast.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForecastMonth {
    /// From 1.
    pub index: u32,
    pub month: YearMonth,
    /// The deterministic path's month, priced line by line.
    pub estimate: Estimate,
    /// The total over the paths (every value the deterministic one when no rate is
    /// uncertain).
    pub total: Band,
    /// Each service over the paths.
    pub services: Vec<(Service, Band)>,
    /// The events that take effect this month.
    pub events: Vec<String>,
    /// The drivers of the deterministic path.
    pub new_minutes: Decimal,
    pub watch_minutes: Decimal,
    /// Whether the month's P50 total exceeds the budget (false without one).
    pub over_budget: bool,
}

/// The first months in which the P50 and the P90 exceed the budget.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Crossings {
    pub p50: Option<YearMonth>,
    pub p90: Option<YearMonth>,
}

/// A priced forecast.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Forecast {
    pub scenario: String,
    pub region: String,
    pub snapshot: SnapshotInfo,
    pub start: YearMonth,
    pub months: Vec<ForecastMonth>,
    /// The services with a line in any month, in bill order.
    pub services: Vec<Service>,
    /// Monte Carlo paths drawn (0: no rate is uncertain, or the file asked for none).
    pub paths: u32,
    pub seed: u64,
    pub budget_usd: Option<Usd>,
    pub over_budget: Crossings,
    pub currency: Option<Currency>,
    /// How the forecast was made, for the reader: flat for want of a `[forecast]`, months
    /// the Monte Carlo priced with the exact engine, …
    pub notes: Vec<String>,
}

impl Forecast {
    /// The deterministic path's total over months `from..=to` (from 1).
    pub fn total_between(&self, from: u32, to: u32) -> Usd {
        self.months
            .iter()
            .filter(|m| m.index >= from && m.index <= to)
            .map(|m| m.estimate.total)
            .sum()
    }

    /// P50 total over the months `from..=to` (the sum of monthly P50s).
    pub fn p50_between(&self, from: u32, to: u32) -> Usd {
        self.months
            .iter()
            .filter(|m| m.index >= from && m.index <= to)
            .map(|m| m.total.p50)
            .sum()
    }
}

/// A problem of a scenario's `[forecast]` found once the whole scenario is read: a growth
/// that takes its driver past the field's bounds, an event that cannot apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The growth (index into `ForecastSpec::growth`) or event (into `events`) at fault.
    pub growth: Option<usize>,
    pub event: Option<usize>,
    pub message: String,
    pub hint: String,
}

/// The month scenarios of a forecast and the content each holds.
struct Course {
    scenarios: Vec<Scenario>,
    values: Vec<Values<Decimal>>,
    events: Vec<Vec<String>>,
}

/// Checks what only the whole scenario tells: whether a growth, at the extremes of its range,
/// keeps its driver within the field's bounds over the horizon (the Monte Carlo draws no
/// further), and whether each event applies to the month it falls in.
pub fn problems(s: &Scenario) -> Vec<Problem> {
    let f = &s.forecast;
    let mut out = Vec::new();
    if !f.growth.is_empty() {
        let factors = match &f.seasonality {
            Seasonality::Factors(t) => Some(*t),
            _ => None,
        };
        // The check runs in f64 so that an overflowing rate reads as infinity, not a panic.
        let plan = Plan::<f64>::of(s, f.months, 1, factors.as_ref());
        let extremes: Vec<(f64, f64)> = f
            .growth
            .iter()
            .map(|g| {
                let (lo, hi) = g
                    .spread
                    .map_or((g.rate, g.rate), |sp| sp.extremes(g.rate, g.kind));
                (to_f64(lo), to_f64(hi))
            })
            .collect();
        for high in [true, false] {
            let rates: Vec<f64> = extremes
                .iter()
                .map(|(lo, hi)| if high { *hi } else { *lo })
                .collect();
            let path = plan.run_unclamped(&rates);
            for (i, g) in f.growth.iter().enumerate() {
                if out.iter().any(|p: &Problem| p.growth == Some(i)) {
                    continue;
                }
                if let Some((month, value, bound)) = first_break(&path, g.driver) {
                    let rate = if high { extremes[i].1 } else { extremes[i].0 };
                    let at = if g.spread.is_some() {
                        format!(
                            " at the {} end of its range ({})",
                            if high { "high" } else { "low" },
                            show_rate(rate)
                        )
                    } else {
                        String::new()
                    };
                    out.push(Problem {
                        growth: Some(i),
                        event: None,
                        message: format!(
                            "growing{at}, `{}` reaches {} by month {month}, {bound}",
                            g.driver.path(),
                            show(value)
                        ),
                        hint: "write a smaller rate or range, or a shorter horizon (`months`)"
                            .into(),
                    });
                }
            }
        }
    }
    // Each event applied to its month's scenario: a rung it names must exist then.
    let mut cur = s.clone();
    for (i, e) in f.events.iter().enumerate() {
        if let Err(err) = apply_event(&mut cur, e) {
            let text = err.to_string();
            let (message, hint) = text.split_once("\nhint: ").unwrap_or((&text, ""));
            out.push(Problem {
                growth: None,
                event: Some(i),
                message: format!("event `{}` of month {}: {message}", e.label, e.month),
                hint: hint.to_string(),
            });
        }
    }
    out
}

/// A rate for a message: four significant digits.
fn show_rate(r: f64) -> String {
    let text = format!("{r:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn show(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 1e15 {
        "a number past any bound".into()
    } else if v >= 1e4 {
        crate::units::group_thousands(&format!("{v:.0}"))
    } else {
        format!("{v:.4}")
    }
}

/// The first month where a driver passes its field's largest value: `(month, value, what
/// bound)`. Falling to 0, or a hit rate reaching 1, is not a break: the path holds the driver
/// there (and the forecast says so).
fn first_break(path: &[Values<f64>], driver: Driver) -> Option<(u32, f64, String)> {
    if driver.is_fraction() {
        return None;
    }
    let rule = driver.field().rule()?;
    let max = to_f64(rule.max);
    for (k, v) in path.iter().enumerate() {
        let value = match driver {
            Driver::NewMinutes => v.new_minutes,
            Driver::WatchMinutes => v.watch_minutes(),
            Driver::GeoMinutes(g) => v
                .geo_minutes
                .iter()
                .find(|(x, _)| *x == g)
                .map_or(0.0, |(_, m)| *m),
            Driver::CacheHitRate => v.hit_rate,
            Driver::Documents => v.documents,
            Driver::ImagesPerTitle => v.images_per_title,
        };
        let month = k as u32 + 1;
        if !value.is_finite() || value > max {
            return Some((
                month,
                value,
                format!("past the {} its field allows", show(max)),
            ));
        }
        // The total of the geographies is bounded by watch minutes' own rule.
        if matches!(driver, Driver::GeoMinutes(_)) && v.watch_minutes() > max {
            return Some((
                month,
                v.watch_minutes(),
                format!(
                    "taking all watch minutes past the {} their field allows",
                    show(max)
                ),
            ));
        }
    }
    None
}

/// Compound growths of a geography that has no watch time at the start and that no event
/// launches: a rate times nothing moves nothing, and the file reads as if it did.
fn idle_growths(s: &Scenario) -> Vec<String> {
    s.forecast
        .growth
        .iter()
        .filter_map(|g| match (g.driver, g.kind) {
            (Driver::GeoMinutes(geo), GrowthKind::Compound) => Some((g.driver, geo)),
            _ => None,
        })
        .filter(|(_, geo)| {
            !s.audience
                .geo
                .iter()
                .any(|(x, share)| x == geo && !share.is_zero())
        })
        .filter(|(d, _)| {
            !s.forecast
                .events
                .iter()
                .any(|e| e.set.iter().any(|(p, _)| Driver::of_path(p) == Some(*d)))
        })
        .map(|(d, geo)| {
            format!(
                "the compound growth of `{}` moves nothing: {} has no watch time at the start and no event launches it (give it a share in `audience.geo`, or an event that sets `{}`)",
                d.path(),
                geo.label(),
                d.path()
            )
        })
        .collect()
}

/// What the deterministic path holds at a bound: a driver falling to 0, a hit rate reaching
/// 1 or 0.
fn held_at_bounds(plan: &Plan<Decimal>, rates: &[Decimal], start: YearMonth) -> Vec<String> {
    type V = drivers::Values<Decimal>;
    let free = plan.run_unclamped(rates);
    // The month a driver reaches its bound and stays at or past it to the end (held there),
    // not when it starts there: a linear fall that lands on 0 exactly is named at the month
    // it lands, and a total that lands on 0 is named though it never goes below.
    let from = |pred: &dyn Fn(&V) -> bool| {
        (0..free.len())
            .rev()
            .take_while(|&k| pred(&free[k]))
            .last()
            .filter(|&k| k > 0)
            .map(|k| start.plus(k as u32))
    };
    let watched = |v: &V| v.geo_minutes.iter().map(|(_, m)| *m).sum::<Decimal>();
    let geography = |v: &V, g: Geography| {
        v.geo_minutes
            .iter()
            .find(|(x, _)| *x == g)
            .map_or(Decimal::ZERO, |(_, m)| *m)
    };
    let geographies: Vec<Geography> = free
        .first()
        .map(|v| v.geo_minutes.iter().map(|(g, _)| *g).collect())
        .unwrap_or_default();
    let watch = from(&|v| watched(v) <= Decimal::ZERO)
        .map(|m| format!("watch minutes fall to 0 in {m} and stay there"))
        .or_else(|| {
            geographies.iter().find_map(|g| {
                from(&|v| geography(v, *g) <= Decimal::ZERO).map(|m| {
                    format!("watch minutes of a geography fall to 0 in {m} and stay there")
                })
            })
        });
    [
        from(&|v| v.hit_rate >= Decimal::ONE)
            .map(|m| format!("the cache hit rate reaches 1 in {m} and is held there")),
        from(&|v| v.hit_rate <= Decimal::ZERO)
            .map(|m| format!("the cache hit rate falls to 0 in {m} and is held there")),
        from(&|v| v.new_minutes <= Decimal::ZERO)
            .map(|m| format!("new content falls to 0 minutes in {m} and stays there")),
        watch,
        from(&|v| v.documents <= Decimal::ZERO)
            .map(|m| format!("documents fall to 0 in {m} and stay there")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Applies an event's settings (all but the drivers, which the driver path carries) and its
/// ladder to a scenario.
fn apply_event(s: &mut Scenario, e: &crate::scenario::forecast::Event) -> Result<(), PathError> {
    if let Some(rungs) = &e.rungs {
        s.ladder.rungs = rungs.clone();
    }
    for (path, value) in &e.set {
        if Driver::of_path(path).is_none() {
            path.set(s, value)?;
        }
    }
    Ok(())
}

/// The scenario of each month: events applied from their month on, drivers from the path.
fn course(s: &Scenario, months: u32, plan: &Plan<Decimal>, rates: &[Decimal]) -> Course {
    let values = plan.run(rates);
    let mut cur = s.clone();
    let mut scenarios = Vec::with_capacity(months as usize);
    let mut events = Vec::with_capacity(months as usize);
    for (k, v) in values.iter().enumerate() {
        let month = k as u32 + 1;
        let mut labels = Vec::new();
        for e in s.forecast.events.iter().filter(|e| e.month == month) {
            // Checked when the file was read (`problems`).
            let _ = apply_event(&mut cur, e);
            labels.push(e.label.clone());
        }
        scenarios.push(with_values(&cur, v, plan.geo_moves));
        events.push(labels);
    }
    Course {
        scenarios,
        values,
        events,
    }
}

/// `s` with a month's drivers.
fn with_values(s: &Scenario, v: &Values<Decimal>, geo_moves: bool) -> Scenario {
    let mut m = s.clone();
    m.content.new_minutes_per_month = Minutes(v.new_minutes);
    let watch = v.watch_minutes();
    m.audience.watch_minutes_per_month = Minutes(watch);
    if geo_moves && !watch.is_zero() {
        m.audience.geo = v
            .geo_minutes
            .iter()
            .filter(|(_, minutes)| !minutes.is_zero())
            .map(|(g, minutes)| (*g, minutes / watch))
            .collect();
    }
    m.delivery.cache_hit_rate = v.hit_rate;
    m.nlp.documents_per_month = v.documents;
    m.vision.moderation_images_per_title = v.images_per_title;
    m
}

/// What S3 holds in each month of a course: the library (aged by the months gone) and every
/// month's uploads, each in the renditions of the ladder it was encoded with.
struct Holdings {
    library: Vec<Strip>,
    library_kinds: Vec<ObjectKind>,
    /// Per month: the objects a minute of its uploads leaves.
    kinds: Vec<Vec<ObjectKind>>,
    minutes: Vec<Decimal>,
    warnings: Vec<String>,
}

impl Holdings {
    fn of(base: &Scenario, course: &Course) -> Holdings {
        let mut warnings = Vec::new();
        let library = strips(base, &mut warnings)
            .into_iter()
            .filter(|s| !matches!(s, Strip::New { .. }))
            .collect();
        Holdings {
            library,
            library_kinds: object_kinds(base, &Drivers::of(base)),
            kinds: course
                .scenarios
                .iter()
                .map(|s| object_kinds(s, &Drivers::of(s)))
                .collect(),
            minutes: course.values.iter().map(|v| v.new_minutes).collect(),
            warnings,
        }
    }

    /// The objects of `kinds` as month `k` holds them: renditions of another ladder belong
    /// to no rung of this month's.
    fn era_kinds(&self, k: usize, kinds: &[ObjectKind]) -> Vec<ObjectKind> {
        if kinds == self.kinds[k - 1].as_slice() {
            kinds.to_vec()
        } else {
            kinds
                .iter()
                .map(|o| ObjectKind {
                    rung: None,
                    ..o.clone()
                })
                .collect()
        }
    }

    /// The content of month `k` (from 1), uploads of month `j` as one strip each (adjacent
    /// ones of one ladder and one rate merged).
    fn month(&self, k: usize) -> Stored {
        let shift = Decimal::from(k as u64 - 1);
        let mut eras: Vec<(Vec<ObjectKind>, Vec<Strip>)> = Vec::new();
        let mut push = |kinds: Vec<ObjectKind>, strip: Strip| {
            if let Some((last_kinds, strips)) = eras.last_mut()
                && *last_kinds == kinds
            {
                // A strip of the same rate right after the last (older) one joins it.
                if let (
                    Some(Strip::Aged {
                        lo, per_month: p, ..
                    }),
                    Strip::Aged {
                        lo: lo2,
                        hi: hi2,
                        per_month,
                    },
                ) = (strips.last_mut(), strip)
                    && *p == per_month
                    && hi2 == *lo
                {
                    *lo = lo2;
                    return;
                }
                strips.push(strip);
                return;
            }
            eras.push((kinds, vec![strip]));
        };
        for strip in &self.library {
            let aged = match *strip {
                Strip::Aged { lo, hi, per_month } => Strip::Aged {
                    lo: lo + shift,
                    hi: hi + shift,
                    per_month,
                },
                other => other,
            };
            push(self.era_kinds(k, &self.library_kinds), aged);
        }
        for j in 1..k {
            // Uploaded during month j: ages k−1−j to k−j at the start of month k.
            let strip = Strip::Aged {
                lo: Decimal::from((k - 1 - j) as u64),
                hi: Decimal::from((k - j) as u64),
                per_month: self.minutes[j - 1],
            };
            push(self.era_kinds(k, &self.kinds[j - 1]), strip);
        }
        push(
            self.era_kinds(k, &self.kinds[k - 1]),
            Strip::New {
                minutes: self.minutes[k - 1],
            },
        );
        Stored {
            eras: eras
                .into_iter()
                .map(|(kinds, strips)| Era { kinds, strips })
                .collect(),
        }
    }
}

/// A forecast's deterministic path, priced, with what the Monte Carlo needs.
struct Prepared<'a> {
    s: &'a Scenario,
    book: &'a PriceBook,
    start: YearMonth,
    months: u32,
    factors: Option<[Decimal; 12]>,
    plan: Plan<Decimal>,
    course: Course,
    holdings: Holdings,
    priced: Vec<(Estimate, crate::engine::Detail, Stored)>,
    services: Vec<Service>,
}

impl<'a> Prepared<'a> {
    fn new(s: &'a Scenario, book: &'a PriceBook, options: &Options) -> Result<Self, ForecastError> {
        let f = &s.forecast;
        let start = f
            .start
            .or(options.default_start)
            .ok_or(ForecastError::NoStart)?;
        let months = options.months.unwrap_or(f.months);
        if !(1..=crate::scenario::forecast::MAX_MONTHS).contains(&months) {
            return Err(ForecastError::Months(months));
        }
        if let Some(paths) = options.paths
            && paths > crate::scenario::forecast::MAX_PATHS
        {
            return Err(ForecastError::Paths(paths));
        }
        // Months are written `YYYY-MM` and FOCUS dates are ISO 8601: both end in 9999.
        let last = start.plus(months - 1);
        if last.year > 9999 {
            return Err(ForecastError::PastYear9999 { start, last });
        }
        let factors = match (&f.seasonality, options.usage_factors) {
            (Seasonality::FromUsage, None) => return Err(ForecastError::NoUsageFactors),
            (_, factors) => factors,
        };
        let mut checked = s.clone();
        checked.forecast.months = months;
        if let Seasonality::FromUsage = f.seasonality
            && let Some(t) = factors
        {
            checked.forecast.seasonality = Seasonality::Factors(t);
        }
        if let Some(p) = problems(&checked).into_iter().next() {
            return Err(ForecastError::Bounds(format!(
                "{}\nhint: {}",
                p.message, p.hint
            )));
        }
        let plan = Plan::<Decimal>::of(s, months, start.month, factors.as_ref());
        let central: Vec<Decimal> = f.growth.iter().map(|g| g.rate).collect();
        let course = course(s, months, &plan, &central);
        // Each field stays in its bounds as it grows; the month's product of them must stay
        // countable too, on the path the engine prices exactly.
        for (k, month) in course.scenarios.iter().enumerate() {
            if let Some(e) = crate::engine::drivers::beyond_counting(month) {
                return Err(ForecastError::Bounds(format!(
                    "in {}, {}\nhint: write smaller growth rates or a shorter horizon, or check {}",
                    start.plus(k as u32),
                    e.message(),
                    e.fields
                )));
            }
        }
        let holdings = Holdings::of(s, &course);
        let mut priced = Vec::with_capacity(months as usize);
        for k in 1..=months as usize {
            let stored = holdings.month(k);
            let (mut estimate, detail) = estimate_holding(&course.scenarios[k - 1], book, &stored);
            if k == 1 {
                // As `estimate` says them: the library's warnings first.
                let mut w = holdings.warnings.clone();
                w.append(&mut estimate.warnings);
                estimate.warnings = w;
            }
            priced.push((estimate, detail, stored));
        }
        let mut services: Vec<Service> = priced.iter().flat_map(|(e, _, _)| e.services()).collect();
        services.sort();
        services.dedup();
        Ok(Prepared {
            s,
            book,
            start,
            months,
            factors,
            plan,
            course,
            holdings,
            priced,
            services,
        })
    }

    fn compile(&self) -> Vec<fast::Month> {
        let mut cache = fast::Cache::default();
        let central: Vec<Decimal> = self.s.forecast.growth.iter().map(|g| g.rate).collect();
        let unclamped = self.plan.run_unclamped(&central);
        let source = fast::Source {
            course: &self.course,
            plan: &self.plan,
            unclamped: &unclamped,
            holdings: &self.holdings,
            book: self.book,
            services: &self.services,
        };
        self.priced
            .iter()
            .enumerate()
            .map(|(k, month)| fast::Month::compile(k + 1, &source, month, &mut cache))
            .collect()
    }

    fn plan_f64(&self) -> Plan<f64> {
        Plan::<f64>::of(self.s, self.months, self.start.month, self.factors.as_ref())
    }
}

/// One Monte Carlo path priced both ways, for tests of the fast evaluator: each month's
/// total from the compiled months and from the exact engine, and whether the compiled month
/// passed its own check.
pub fn path_both_ways(
    s: &Scenario,
    book: &PriceBook,
    options: &Options,
    path: u32,
) -> Result<Vec<(f64, Usd, bool)>, ForecastError> {
    let p = Prepared::new(s, book, options)?;
    let compiled = p.compile();
    let sim = sample::Simulation::new(s, s.forecast.seed);
    let rates = sim.draw(u64::from(path));
    let values = p.plan_f64().run(&rates);
    let exact_rates: Vec<Decimal> = rates
        .iter()
        .map(|r| Decimal::from_f64(*r).unwrap_or_default())
        .collect();
    let c = course(s, p.months, &p.plan, &exact_rates);
    let h = Holdings::of(s, &c);
    let mut out = Vec::new();
    let mut by_service = vec![0.0; p.services.len()];
    let mut basis = fast::Basis::default();
    for (k, m) in compiled.iter().enumerate() {
        by_service.iter_mut().for_each(|v| *v = 0.0);
        m.price(&values[..=k], &mut basis, &mut by_service);
        let (e, _) = estimate_holding(&c.scenarios[k], book, &h.month(k + 1));
        out.push((by_service.iter().sum(), e.total, m.exact_enough));
    }
    Ok(out)
}

/// Runs the forecast of `s` against `book`.
pub fn run(s: &Scenario, book: &PriceBook, options: &Options) -> Result<Forecast, ForecastError> {
    // The events placed on the horizon the options give (a start or a length other than
    // the file's moves or leaves out some of them).
    let mut placed = std::borrow::Cow::Borrowed(s);
    let mut notes = Vec::new();
    if let Some(start) = s.forecast.start.or(options.default_start) {
        let months = options.months.unwrap_or(s.forecast.months);
        let mut forecast = s.forecast.clone();
        notes = forecast.place_events(start, months);
        if forecast.events != s.forecast.events {
            placed.to_mut().forecast = forecast;
        }
    }
    let s = placed.as_ref();
    let f = &s.forecast;
    let p = Prepared::new(s, book, options)?;
    if !f.given {
        notes.push("the scenario has no [forecast]: every driver stays where the scenario puts it (a flat forecast)".to_string());
    }
    let central: Vec<Decimal> = f.growth.iter().map(|g| g.rate).collect();
    notes.extend(held_at_bounds(&p.plan, &central, p.start));
    notes.extend(idle_growths(s));
    let paths = options.paths.unwrap_or(f.paths);
    let draws = if f.is_uncertain() { paths } else { 0 };
    let bands = if draws > 0 {
        let compiled = p.compile();
        let exact: Vec<usize> = compiled
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.exact_enough)
            .map(|(k, _)| k + 1)
            .collect();
        if !exact.is_empty() {
            notes.push(format!(
                "month(s) {} of the Monte Carlo paths are priced by a full estimate each, which is slower: the quick evaluation of the paths did not give their estimate to the cent",
                exact.iter().map(u32_text).collect::<Vec<_>>().join(", ")
            ));
        }
        let sim = sample::Simulation::new(s, f.seed);
        let plan_f64 = p.plan_f64();
        let runner = sample::Runner {
            scenario: s,
            book,
            plan: &p.plan,
            plan_f64: &plan_f64,
            compiled: &compiled,
            services: &p.services,
        };
        let budget = options.costs_budget.unwrap_or(sample::COSTS_BUDGET);
        let bands = sim.run(
            &runner,
            0..draws,
            options.threads,
            budget,
            options.progress.as_ref(),
        );
        notes.push(format!(
            "P10, P50 and P90 over {draws} Monte Carlo paths (seed {}); each path draws every uncertain rate once and keeps it for the whole horizon, truncated at three widths of its range",
            f.seed
        ));
        Some(bands)
    } else {
        if f.given && !f.is_uncertain() {
            notes.push("no rate has a range: P10, P50 and P90 are the deterministic path".into());
        } else if f.is_uncertain() {
            notes.push(
                "no Monte Carlo paths were asked for (`paths` is 0): P10, P50 and P90 are the deterministic path, every rate at its central value"
                    .into(),
            );
        }
        None
    };

    let budget = f.budget_usd.map(Usd);
    let mut out_months = Vec::with_capacity(p.months as usize);
    let mut over = Crossings::default();
    let Prepared {
        start,
        course,
        priced,
        services,
        ..
    } = p;
    for (k, (estimate, _, _)) in priced.into_iter().enumerate() {
        let index = k as u32 + 1;
        let month = start.plus(k as u32);
        let (total, by_service) = match &bands {
            Some(b) => (b.total[k], b.services[k].clone()),
            None => (
                Band::flat(estimate.total),
                services
                    .iter()
                    .map(|sv| (*sv, Band::flat(estimate.service_total(*sv))))
                    .collect(),
            ),
        };
        let over_budget = budget.is_some_and(|b| total.p50 > b);
        if over.p50.is_none() && over_budget {
            over.p50 = Some(month);
        }
        if over.p90.is_none() && budget.is_some_and(|b| total.p90 > b) {
            over.p90 = Some(month);
        }
        let v = &course.values[k];
        out_months.push(ForecastMonth {
            index,
            month,
            total,
            services: by_service,
            events: course.events[k].clone(),
            new_minutes: v.new_minutes,
            watch_minutes: v.watch_minutes(),
            over_budget,
            estimate,
        });
    }
    Ok(Forecast {
        scenario: s.name.clone(),
        region: s.region.clone(),
        snapshot: book.snapshot.clone(),
        start,
        months: out_months,
        services,
        paths: draws,
        seed: f.seed,
        budget_usd: budget,
        over_budget: over,
        currency: f.currency.clone(),
        notes,
    })
}

fn u32_text(k: &usize) -> String {
    k.to_string()
}

/// A money amount from the Monte Carlo's `f64`, to the cent.
fn usd_of(x: f64) -> Usd {
    Usd(Decimal::from_f64(x).unwrap_or_default().round_dp(2))
}

/// The geographies a month's scenario lists, for the fast evaluator.
fn geos(s: &Scenario) -> Vec<Geography> {
    s.audience.geo.iter().map(|(g, _)| *g).collect()
}
