//! How the drivers move month by month: growth, events that set a driver, seasonality.
//!
//! Written once, generic over the number type: the deterministic path runs it in decimals,
//! the Monte Carlo paths in `f64`.
//!
//! Watch time is kept per geography: each geography's minutes grow by its own rate (when it
//! has one), every geography by the overall rate of `audience.watch_minutes_per_month`, and
//! the seasonal factor of the calendar month multiplies the lot. A geography's share of a
//! month is its minutes over the month's total.

use rust_decimal::Decimal;

use super::num::Num;
use crate::scenario::forecast::{Driver, GrowthKind, Seasonality};
use crate::scenario::{Geography, Scenario};

/// One growth of the file, in the number type of the run.
#[derive(Clone, Copy, Debug)]
struct Course {
    driver: Driver,
    kind: GrowthKind,
    /// Whether the growth has a range: a Monte Carlo path draws its own rate.
    ranged: bool,
}

/// A driver's value set by an event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Setting<N> {
    Driver(Driver, N),
    /// A geography's share of the month's watch time, the others' minutes unchanged.
    GeoShare(Geography, N),
}

/// The drivers of one month.
#[derive(Clone, Debug, PartialEq)]
pub struct Values<N> {
    pub new_minutes: N,
    /// Minutes watched from each geography this month (seasonality included).
    pub geo_minutes: Vec<(Geography, N)>,
    pub hit_rate: N,
    pub documents: N,
    pub images_per_title: N,
}

impl<N: Num> Values<N> {
    pub fn watch_minutes(&self) -> N {
        self.geo_minutes
            .iter()
            .fold(N::zero(), |acc, (_, m)| acc + *m)
    }
}

/// Everything about the drivers of a forecast except the rates: where they start, how each
/// growth moves, the events that set them, the seasonal factors.
#[derive(Clone, Debug)]
pub struct Plan<N> {
    months: u32,
    start_new: N,
    /// Each geography's minutes in month 1 before seasonality; every geography a growth or an
    /// event names is here, at 0 when the scenario has none.
    start_geo: Vec<(Geography, N)>,
    start_hit: N,
    start_documents: N,
    start_images: N,
    courses: Vec<Course>,
    /// `(month from 1, setting)`, in month order.
    settings: Vec<(u32, Setting<N>)>,
    /// The factor of each month of the horizon.
    season: Vec<N>,
    /// Whether any geography's share can move (else the scenario's shares stand).
    pub geo_moves: bool,
    /// The scenario's shares of watch time, in `start_geo`'s order (0 for a geography only a
    /// growth or an event names): how minutes spread while none is watched yet.
    shares: Vec<N>,
}

impl<N: Num> Plan<N> {
    /// The plan of `s`'s forecast over `months` months, with the seasonal factors of the
    /// calendar months from `first_month` (1 = January). `factors` stand in for
    /// `seasonality = "usage"`.
    pub fn of(
        s: &Scenario,
        months: u32,
        first_month: u32,
        factors: Option<&[Decimal; 12]>,
    ) -> Plan<N> {
        let f = &s.forecast;
        let watch = s.audience.watch_minutes_per_month.0;
        let mut start_geo: Vec<(Geography, N)> = s
            .audience
            .geo
            .iter()
            .map(|(g, share)| (*g, N::of(watch * share)))
            .collect();
        let mut settings = Vec::new();
        let mut geo_moves = false;
        for g in &f.growth {
            if let Driver::GeoMinutes(geo) = g.driver {
                geo_moves = true;
                if !start_geo.iter().any(|(x, _)| *x == geo) {
                    start_geo.push((geo, N::zero()));
                }
            }
        }
        for e in &f.events {
            for (path, value) in &e.set {
                let Some(v) = value.number() else { continue };
                let setting = match Driver::of_path(path) {
                    Some(Driver::GeoMinutes(geo)) => {
                        geo_moves = true;
                        if !start_geo.iter().any(|(x, _)| *x == geo) {
                            start_geo.push((geo, N::zero()));
                        }
                        Setting::GeoShare(geo, N::of(v))
                    }
                    Some(d) => Setting::Driver(d, N::of(v)),
                    None => continue,
                };
                settings.push((e.month, setting));
            }
        }
        start_geo.sort_by_key(|(g, _)| *g);
        let shares = start_geo
            .iter()
            .map(|(g, _)| {
                s.audience
                    .geo
                    .iter()
                    .find(|(x, _)| x == g)
                    .map_or(N::zero(), |(_, share)| N::of(*share))
            })
            .collect();
        let table = match (&f.seasonality, factors) {
            (Seasonality::Factors(t), _) => Some(*t),
            (Seasonality::FromUsage, Some(t)) => Some(*t),
            _ => None,
        };
        let season = (0..months)
            .map(|k| {
                table.map_or(N::one(), |t| {
                    N::of(t[((first_month - 1 + k) % 12) as usize])
                })
            })
            .collect();
        Plan {
            months,
            start_new: N::of(s.content.new_minutes_per_month.0),
            start_geo,
            start_hit: N::of(s.delivery.cache_hit_rate),
            start_documents: N::of(s.nlp.documents_per_month),
            start_images: N::of(s.vision.moderation_images_per_title),
            courses: f
                .growth
                .iter()
                .map(|g| Course {
                    driver: g.driver,
                    kind: g.kind,
                    ranged: g.spread.is_some(),
                })
                .collect(),
            settings,
            season,
            geo_moves,
            shares,
        }
    }

    /// The drivers of every month when the growths run at `rates` (one per growth of the
    /// file, in its order).
    pub fn run(&self, rates: &[N]) -> Vec<Values<N>> {
        let mut out = Vec::with_capacity(self.months as usize);
        self.run_bounded(rates, true, &mut out);
        out
    }

    /// [`Plan::run`] into `out`, reusing its buffers (a Monte Carlo thread keeps one).
    pub fn run_into(&self, rates: &[N], out: &mut Vec<Values<N>>) {
        self.run_bounded(rates, true, out);
    }

    /// [`Plan::run`] without holding drivers to their natural bounds (minutes at least 0, a
    /// hit rate from 0 to 1): what a check of a growth's bounds looks at.
    pub fn run_unclamped(&self, rates: &[N]) -> Vec<Values<N>> {
        let mut out = Vec::with_capacity(self.months as usize);
        self.run_bounded(rates, false, &mut out);
        out
    }

    /// Whether a Monte Carlo path may have another value of `driver` in `month` (from 1)
    /// than the deterministic path; for watch time (the overall driver or any geography's),
    /// whether any geography's minutes may differ. Only a growth with a range draws a rate
    /// per path, and from month 2 on (month 1 is before any growth). A compound rate grows
    /// nothing from 0, whatever the rate drawn: a driver that is 0 when such a growth takes
    /// it over (at the start, or set to 0 by an event) is 0 on every path, and the fast
    /// evaluator need not price what it would bring (no uploads: no transcoding, no images).
    /// A linear growth, or two growths of one driver, may move it from anything.
    pub fn moves(&self, driver: Driver, month: u32) -> bool {
        if month < 2 {
            return false;
        }
        let watch = |d: Driver| matches!(d, Driver::WatchMinutes | Driver::GeoMinutes(_));
        if watch(driver) {
            return self.courses.iter().any(|c| c.ranged && watch(c.driver))
                && !self.no_minutes_on_any_path(month);
        }
        let mut growths = self.courses.iter().filter(|c| c.driver == driver);
        let (Some(course), None) = (growths.next(), growths.next()) else {
            return self.courses.iter().any(|c| c.ranged && c.driver == driver);
        };
        if !course.ranged {
            return false;
        }
        // The value the growth compounds from: the last one an event set up to the month, or
        // the start. Set in the month itself, it is that value on every path.
        let start = match driver {
            Driver::NewMinutes => self.start_new,
            Driver::CacheHitRate => self.start_hit,
            Driver::Documents => self.start_documents,
            Driver::ImagesPerTitle => self.start_images,
            Driver::WatchMinutes | Driver::GeoMinutes(_) => unreachable!("watch time is above"),
        };
        let last = self
            .settings
            .iter()
            .filter(|(m, _)| *m <= month)
            .filter_map(|(m, setting)| match *setting {
                Setting::Driver(d, v) if d == driver => Some((*m, v)),
                _ => None,
            })
            .last();
        match last {
            Some((m, _)) if m == month => false,
            _ => match course.kind {
                GrowthKind::Linear => true,
                GrowthKind::Compound => !last.map_or(start, |(_, v)| v).is_zero(),
            },
        }
    }

    /// Whether every geography's minutes are 0 in `month` on every path: none at the start
    /// or set to none by an event, and no linear growth since (a compound one multiplies
    /// nothing, and an event's share of the others' minutes is a share of nothing).
    fn no_minutes_on_any_path(&self, month: u32) -> bool {
        let linear = self.courses.iter().any(|c| {
            matches!(c.driver, Driver::WatchMinutes | Driver::GeoMinutes(_))
                && c.kind == GrowthKind::Linear
        });
        let mut none = self.start_geo.iter().all(|(_, m)| m.is_zero());
        for m in 1..=month {
            if m > 1 && linear {
                none = false;
            }
            for (_, setting) in self.settings.iter().filter(|(at, _)| *at == m) {
                if let Setting::Driver(Driver::WatchMinutes, v) = *setting {
                    none = v.is_zero();
                }
            }
        }
        none
    }

    fn run_bounded(&self, rates: &[N], clamp: bool, out: &mut Vec<Values<N>>) {
        let bound = |v: N| if clamp { v.at_least_zero() } else { v };
        let mut new = self.start_new;
        let mut hit = self.start_hit;
        let mut documents = self.start_documents;
        let mut images = self.start_images;
        // Each geography's minutes, before seasonality. They are kept as minutes, not as
        // shares of an overall index: a path whose total falls near 0 while one geography
        // grows would otherwise divide by the index and overflow.
        let mut geo = self.start_geo.clone();
        out.truncate(self.months as usize);
        let mut next_setting = 0;
        for month in 1..=self.months {
            if month > 1 {
                // Each geography's own growth first, then the overall growth of watch time,
                // whatever order the file wrote them in: a linear overall growth is spread by
                // the shares the geographies have after their own growth.
                let overall_last = self
                    .courses
                    .iter()
                    .zip(rates)
                    .filter(|(c, _)| c.driver != Driver::WatchMinutes)
                    .chain(
                        self.courses
                            .iter()
                            .zip(rates)
                            .filter(|(c, _)| c.driver == Driver::WatchMinutes),
                    );
                for (course, rate) in overall_last {
                    let step = |v: N| match course.kind {
                        GrowthKind::Compound => v * (N::one() + *rate),
                        GrowthKind::Linear => v + *rate,
                    };
                    match course.driver {
                        Driver::NewMinutes => new = step(new),
                        Driver::CacheHitRate => hit = step(hit),
                        Driver::Documents => documents = step(documents),
                        Driver::ImagesPerTitle => images = step(images),
                        Driver::GeoMinutes(g) => {
                            if let Some((_, m)) = geo.iter_mut().find(|(x, _)| *x == g) {
                                *m = step(*m);
                            }
                        }
                        Driver::WatchMinutes => match course.kind {
                            GrowthKind::Compound => {
                                for (_, m) in geo.iter_mut() {
                                    *m = step(*m);
                                }
                            }
                            // A linear growth adds minutes to the total, spread by the
                            // geographies' shares.
                            GrowthKind::Linear => {
                                spread(&mut geo, &self.shares, |m, share| m + *rate * share)
                            }
                        },
                    }
                }
            }
            while let Some((m, setting)) = self.settings.get(next_setting) {
                if *m != month {
                    break;
                }
                next_setting += 1;
                match *setting {
                    Setting::Driver(Driver::NewMinutes, v) => new = v,
                    Setting::Driver(Driver::CacheHitRate, v) => hit = v,
                    Setting::Driver(Driver::Documents, v) => documents = v,
                    Setting::Driver(Driver::ImagesPerTitle, v) => images = v,
                    Setting::Driver(Driver::WatchMinutes, v) => {
                        spread(&mut geo, &self.shares, |_, share| v * share);
                    }
                    Setting::Driver(Driver::GeoMinutes(g), v) | Setting::GeoShare(g, v) => {
                        let others = geo
                            .iter()
                            .filter(|(x, _)| *x != g)
                            .fold(N::zero(), |acc, (_, m)| acc + m.at_least_zero());
                        if let Some((_, m)) = geo.iter_mut().find(|(x, _)| *x == g)
                            && v < N::one()
                        {
                            *m = others * v / (N::one() - v);
                        }
                    }
                }
            }
            let factor = self.season[(month - 1) as usize];
            let at = (month - 1) as usize;
            if out.len() <= at {
                out.push(Values {
                    new_minutes: N::zero(),
                    geo_minutes: Vec::with_capacity(geo.len()),
                    hit_rate: N::zero(),
                    documents: N::zero(),
                    images_per_title: N::zero(),
                });
            }
            let v = &mut out[at];
            v.new_minutes = bound(new);
            v.geo_minutes.clear();
            v.geo_minutes
                .extend(geo.iter().map(|(g, m)| (*g, bound(*m * factor))));
            v.hit_rate = if clamp {
                hit.at_least_zero().at_most(N::one())
            } else {
                hit
            };
            v.documents = bound(documents);
            v.images_per_title = bound(images);
        }
    }
}

/// Sets each geography's minutes to `to(minutes, share)`, its share being of the minutes
/// watched (a geography below 0, which only an unclamped run has, counts as none). While no
/// minute is watched (a scenario before its launch), the shares are the scenario's own.
fn spread<N: Num>(geo: &mut [(Geography, N)], shares: &[N], to: impl Fn(N, N) -> N) {
    let total = geo
        .iter()
        .fold(N::zero(), |acc, (_, m)| acc + m.at_least_zero());
    for ((_, m), share) in geo.iter_mut().zip(shares) {
        let share = if total.is_zero() {
            *share
        } else {
            m.at_least_zero() / total
        };
        *m = to(*m, share);
    }
}
