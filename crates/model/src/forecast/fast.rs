//! The Monte Carlo's evaluator: a month of the forecast compiled from the exact engine.
//!
//! Every line's quantity (or the total a recipe takes a share of) is linear in the month's
//! drivers: each month's uploads (the cohorts S3 holds), the minutes watched from each
//! geography and the part of them the cache misses, documents, and images. The coefficients
//! are measured, not written: the exact engine prices probe months in which one driver is 1
//! and the others 0, and each line's base is read off. A path then prices a line by
//! evaluating its linear form, applying the line's recipe with the engine's own generic rules
//! (the read split, the reserved share, the shared Elastic Transcoder allowance, the
//! flat-rate plan choice) and walking the record's tiers with [`crate::tiers::cost`]. A
//! compiled month is checked against the exact month it came from; a month it cannot
//! reproduce to the cent, or whose probes price a line the month lacks for a driver a path
//! may move (a driver at 0 that a compound rate keeps at 0 on every path moves on none), is
//! priced with the exact engine instead.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::drivers::{Plan, Values};
use super::{Course, Holdings};
use crate::engine::delivery::split_reads_into;
use crate::engine::flat_rate;
use crate::engine::storage::{Era, Stored, Strip};
use crate::engine::transcode::on_reserved_share;
use crate::engine::usage::{SdEquivalentAllowance, ets_free_tier};
use crate::engine::{Detail, Estimate, LineItem, Recipe, Service, Stage, estimate_holding};
use crate::pricebook::PriceBook;
use crate::scenario::forecast::Driver;
use crate::scenario::{Cdn, Geography, PlanChoice, Scenario, StorageClass};
use crate::units::Minutes;

pub(super) fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A quantity as a linear form of the month's drivers, while it is measured.
#[derive(Clone, Debug, Default, PartialEq)]
struct Form {
    constant: f64,
    /// Per minute uploaded in month j (index j − 1), j ≤ k.
    cohorts: Vec<f64>,
    /// Per minute uploaded this month, beyond what its storage costs (transcoding, writes).
    new_now: f64,
    /// Per image (this month's titles × images per title).
    images: f64,
    documents: f64,
    /// Per minute watched from each of the month's geographies.
    minutes: Vec<f64>,
    /// Per minute watched there that misses the cache.
    miss: Vec<f64>,
}

impl Form {
    fn new(k: usize, geos: usize) -> Form {
        Form {
            cohorts: vec![0.0; k],
            minutes: vec![0.0; geos],
            miss: vec![0.0; geos],
            ..Form::default()
        }
    }

    /// The form over the flat basis of [`Basis::fill`], its zero terms left out.
    fn sparse(&self) -> Sparse {
        let k = self.cohorts.len();
        let g = self.minutes.len();
        let dense = self
            .cohorts
            .iter()
            .copied()
            .chain([self.new_now, self.images, self.documents])
            .chain(self.minutes.iter().copied())
            .chain(self.miss.iter().copied());
        let terms = dense
            .enumerate()
            .filter(|(_, c)| *c != 0.0)
            .map(|(i, c)| (i as u32, c))
            .collect();
        debug_assert!(k + 3 + 2 * g < u32::MAX as usize);
        Sparse {
            constant: self.constant,
            terms,
        }
    }
}

/// A linear form as the paths evaluate it: the constant and the non-zero terms over the flat
/// basis.
#[derive(Clone, Debug, Default, PartialEq)]
struct Sparse {
    constant: f64,
    terms: Vec<(u32, f64)>,
}

impl Sparse {
    fn eval(&self, x: &Basis) -> f64 {
        self.terms
            .iter()
            .fold(self.constant, |v, (i, c)| v + c * x.x[*i as usize])
    }
}

/// The drivers of one month of one path, flat: each month's uploads (k of them), this
/// month's uploads again, images, documents, then each geography's minutes and misses. One
/// buffer serves every month of every path a thread prices.
#[derive(Clone, Debug, Default)]
pub(super) struct Basis {
    x: Vec<f64>,
    /// Every geography's minutes, for shares of the total.
    watch: f64,
    new_now: f64,
    /// Scratch: the held bytes and the read split of the month being priced.
    held: Vec<(StorageClass, f64, f64)>,
    split: Vec<(StorageClass, f64)>,
}

/// A line's [`Recipe`] with its numbers in `f64`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    Linear,
    GeoShare {
        free: f64,
    },
    ReadSplit {
        class: StorageClass,
        bytes: bool,
    },
    OnDemand {
        reserved: f64,
        needed_per_minute: f64,
        eligible: f64,
    },
    EtsFree {
        hd: bool,
    },
    Plan,
    PlanCredit,
    Fixed,
}

impl Shape {
    fn of(r: Recipe) -> Shape {
        match r {
            Recipe::Linear => Shape::Linear,
            Recipe::GeoShare { free, .. } => Shape::GeoShare { free: f(free) },
            Recipe::ReadSplit { class, bytes } => Shape::ReadSplit { class, bytes },
            Recipe::OnDemand {
                reserved,
                needed_per_minute,
                eligible,
            } => Shape::OnDemand {
                reserved: f(reserved),
                needed_per_minute: f(needed_per_minute),
                eligible: f(eligible),
            },
            Recipe::EtsFree { hd } => Shape::EtsFree { hd },
            Recipe::Plan => Shape::Plan,
            Recipe::PlanCredit => Shape::PlanCredit,
            Recipe::Fixed { .. } => Shape::Fixed,
        }
    }
}

/// One line, ready to price from a path's drivers.
#[derive(Clone, Debug)]
struct Line {
    service: usize,
    shape: Shape,
    base: Sparse,
    /// `(begin, end, USD per unit)`.
    tiers: Vec<(f64, Option<f64>, f64)>,
    free: Option<f64>,
    pooled: f64,
    /// The geography of a [`Recipe::GeoShare`] line, as an index of the month's.
    geo: Option<usize>,
    /// A line without a price: it adds nothing, as in the exact total.
    unpriced: bool,
    /// A fixed line's cost.
    fixed: f64,
}

/// A flat-rate plan for the fast choice.
#[derive(Clone, Debug)]
struct PlanOption {
    price: f64,
    credit: f64,
}

/// A compiled month.
#[derive(Clone, Debug)]
pub(super) struct Month {
    /// From 1.
    k: usize,
    lines: Vec<Line>,
    held: Vec<(StorageClass, Sparse, Sparse)>,
    /// What a minute of this month's uploads holds: the reads' split when a path's month
    /// holds nothing, as the engine's (`HeldBytes::if_none`).
    if_none: Vec<(StorageClass, f64, f64)>,
    origin: (Sparse, Sparse),
    traffic: (Sparse, Sparse),
    recent: Option<f64>,
    written_to: StorageClass,
    geos: Vec<Geography>,
    ets_free: Option<SdEquivalentAllowance>,
    /// Plans cheapest first, with their `(GB, requests)` allowances; the named plan's index
    /// when the scenario names one.
    plans: Vec<PlanOption>,
    plan_allowances: Vec<(f64, f64)>,
    named_plan: Option<usize>,
    /// Whether a line's price depends on the plan the month is on.
    on_plan: bool,
    /// Whether the compiled month reproduces the exact one to the cent at the deterministic
    /// drivers; else the Monte Carlo prices it with the exact engine.
    pub exact_enough: bool,
}

/// What identifies a line across the probes of a month.
type Key = (Service, Stage, std::sync::Arc<str>, String);

fn key(l: &LineItem) -> Key {
    (
        l.service,
        l.stage,
        l.usage_type.clone(),
        l.description.clone(),
    )
}

/// The scenario of a probe: `s` with the volumes given and everything else as it is,
/// except what a month holds whatever its drivers (the faces already in the collections),
/// which only the probe of the month without drivers counts ([`with_constants`]): counted
/// in every probe, it would be taken for a part of each driver.
fn probe_scenario(
    s: &Scenario,
    new: Decimal,
    images: Decimal,
    documents: Decimal,
    watch: Option<(Geography, Decimal)>,
) -> Scenario {
    let mut p = s.clone();
    p.vision.faces_stored = Some(Decimal::ZERO);
    p.content.new_minutes_per_month = Minutes(new);
    p.vision.moderation_images_per_title = images;
    p.nlp.documents_per_month = documents;
    match watch {
        Some((g, hit)) => {
            p.audience.watch_minutes_per_month = Minutes(Decimal::ONE);
            p.audience.geo = vec![(g, Decimal::ONE)];
            p.delivery.cache_hit_rate = hit;
        }
        None => p.audience.watch_minutes_per_month = Minutes(Decimal::ZERO),
    }
    p
}

/// A probe with what the month holds whatever its drivers put back: the faces the
/// collections held at the start, as `s` counts them.
fn with_constants(mut p: Scenario, s: &Scenario) -> Scenario {
    p.vision.faces_stored = Some(crate::engine::analysis::faces_stored(s));
    p
}

/// What every month of a forecast is compiled from.
pub(super) struct Source<'a> {
    pub course: &'a Course,
    /// How the drivers move: which of them a path may move, month by month.
    pub plan: &'a Plan<Decimal>,
    /// The deterministic path's drivers before they are held at 0.
    pub unclamped: &'a [Values<Decimal>],
    pub holdings: &'a Holdings,
    pub book: &'a PriceBook,
    pub services: &'a [Service],
}

/// What one probe month measured: each line's base by key, the held bytes, origin reads and
/// traffic.
#[derive(Clone, Debug, Default)]
pub(super) struct Measure {
    /// Each line's key, base, and whether its recipe prices from the base (a read split,
    /// a plan's price and a fixed line do not).
    lines: Vec<(Key, f64, bool)>,
    held: Vec<(StorageClass, f64, f64)>,
    origin: (f64, f64),
    traffic: (f64, f64),
}

impl Measure {
    fn of(s: &Scenario, book: &PriceBook, stored: &Stored) -> Measure {
        let (e, d) = estimate_holding(s, book, stored);
        Measure {
            lines: e
                .lines
                .iter()
                .map(|l| {
                    let from_base = !matches!(
                        l.pricing.recipe,
                        Recipe::ReadSplit { .. } | Recipe::Plan | Recipe::Fixed { .. }
                    );
                    (key(l), f(l.pricing.base), from_base)
                })
                .collect(),
            held: d
                .held
                .by_class
                .iter()
                .map(|(c, y, o)| (*c, f(*y), f(*o)))
                .collect(),
            origin: (f(d.origin.0), f(d.origin.1)),
            traffic: (f(d.traffic.0), f(d.traffic.1)),
        }
    }
}

/// The probes that do not depend on what S3 holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Probe {
    New,
    Images,
    Documents,
    Hit(Geography),
    Miss(Geography),
}

/// Probe measures kept from month to month while a month's structure (everything but its
/// volumes) stays the same: most forecasts change only volumes, so the months after the
/// first measure only their library.
#[derive(Default)]
pub(super) struct Cache {
    structure: Option<Scenario>,
    fixed: HashMap<Probe, Measure>,
    /// By (age in months, ladder era).
    cohorts: HashMap<(usize, usize), Measure>,
}

impl Cache {
    /// Starts a month: clears what the last one measured if its structure differs.
    fn month(&mut self, s: &Scenario) {
        let zero = Decimal::ZERO;
        let mut key = probe_scenario(s, zero, zero, zero, None);
        key.audience.geo.clear();
        key.delivery.cache_hit_rate = zero;
        if self.structure.as_ref() != Some(&key) {
            self.fixed.clear();
            self.cohorts.clear();
            self.structure = Some(key);
        }
    }

    fn fixed(&mut self, probe: Probe, measure: impl FnOnce() -> Measure) -> &Measure {
        self.fixed.entry(probe).or_insert_with(measure)
    }

    fn cohort(&mut self, age: usize, era: usize, measure: impl FnOnce() -> Measure) -> &Measure {
        self.cohorts.entry((age, era)).or_insert_with(measure)
    }
}

impl Month {
    /// Compiles month `k` of `course` from its exact pricing (`exact`, `detail`).
    pub(super) fn compile(
        k: usize,
        from: &Source,
        (exact, detail, stored): &(Estimate, Detail, Stored),
        cache: &mut Cache,
    ) -> Month {
        let Source {
            course,
            plan,
            unclamped,
            holdings,
            book,
            services,
        } = *from;
        let s = &course.scenarios[k - 1];
        // A geography's minutes move with any watch growth drawn per path, its own or
        // another's: a linear growth of the total is spread by the geographies' minutes.
        let watch_moves = s.forecast.growth.iter().any(|g| {
            g.spread.is_some() && matches!(g.driver, Driver::WatchMinutes | Driver::GeoMinutes(_))
        });
        // The geographies a path may watch from this month: those the deterministic month
        // watches from, and those it has at 0 that a path may not: one whose own growth is
        // drawn per path (a launch whose range reaches above 0), or, while watch growth is
        // drawn per path, one that had minutes in an earlier month or below 0 (held at 0), or
        // that a growth or an event up to this month gives minutes (an event's share is of
        // the other geographies' minutes, which the paths move). A geography nothing has
        // given a minute yet is at 0 on every path.
        let own_range = |geo: Geography| {
            s.forecast
                .growth
                .iter()
                .any(|g| g.spread.is_some() && g.driver == Driver::GeoMinutes(geo))
        };
        let named = |geo: Geography| {
            s.forecast
                .growth
                .iter()
                .any(|g| g.driver == Driver::GeoMinutes(geo))
                || s.forecast.events.iter().any(|e| {
                    e.month as usize <= k
                        && e.set
                            .iter()
                            .any(|(path, _)| Driver::of_path(path) == Some(Driver::GeoMinutes(geo)))
                })
        };
        let ever_watched = |geo: Geography| {
            unclamped[..k]
                .iter()
                .flat_map(|v| &v.geo_minutes)
                .any(|(g, m)| *g == geo && !m.is_zero())
        };
        let mut geos: Vec<Geography> = course.values[k - 1]
            .geo_minutes
            .iter()
            .filter(|(g, m)| {
                !m.is_zero() || own_range(*g) || (watch_moves && (ever_watched(*g) || named(*g)))
            })
            .map(|(g, _)| *g)
            .collect();
        for g in super::geos(s) {
            if !geos.contains(&g) {
                geos.push(g);
            }
        }
        let g = geos.len();
        let index: HashMap<Key, usize> = exact
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (key(l), i))
            .collect();
        let mut forms: Vec<Form> = vec![Form::new(k, g); exact.lines.len()];
        let mut held: Vec<(StorageClass, Form, Form)> = Vec::new();
        let mut origin = (Form::new(k, g), Form::new(k, g));
        let mut traffic = (Form::new(k, g), Form::new(k, g));

        // Each probe's measure adds its lines' bases (and the held bytes, origin reads and
        // traffic) to one coefficient of the forms. A probe line the month does not have (the
        // engine leaves a line out while its driver is 0 on the deterministic path) has no form
        // to go to: when a path may move that driver (`moves`), the month is not compiled.
        let mut unmatched = false;
        let mut add =
            |m: &Measure, slot: &dyn Fn(&mut Form) -> &mut f64, sign: f64, moves: bool| {
                for (key, base, from_base) in &m.lines {
                    match index.get(key) {
                        Some(i) => *slot(&mut forms[*i]) += sign * base,
                        None => unmatched |= moves && *from_base && *base != 0.0,
                    }
                }
                for (class, young, old) in &m.held {
                    let at = match held.iter().position(|(c, _, _)| c == class) {
                        Some(i) => i,
                        None => {
                            held.push((*class, Form::new(k, g), Form::new(k, g)));
                            held.len() - 1
                        }
                    };
                    *slot(&mut held[at].1) += sign * young;
                    *slot(&mut held[at].2) += sign * old;
                }
                *slot(&mut origin.0) += sign * m.origin.0;
                *slot(&mut origin.1) += sign * m.origin.1;
                *slot(&mut traffic.0) += sign * m.traffic.0;
                *slot(&mut traffic.1) += sign * m.traffic.1;
            };

        // Whether the paths may differ from the deterministic one in a driver in month `j`:
        // only a growth with a range draws a rate per path, and one compounding from 0 keeps
        // the driver at 0 on every path ([`Plan::moves`]). A driver no path moves brings no
        // line the month lacks: zero uploads on every path transcode nothing, whatever the
        // rate drawn, so the month compiles.
        let moves = |d: Driver, j: usize| plan.moves(d, j as u32);
        let now = &course.values[k - 1];
        let uploads = moves(Driver::NewMinutes, k);
        // Images are uploads times images per title: none on any path while either is 0 on
        // every path.
        let no_uploads = !uploads && now.new_minutes.is_zero();
        let per_title = moves(Driver::ImagesPerTitle, k);
        let no_images = !per_title && now.images_per_title.is_zero();
        let images_move = !no_uploads && !no_images && (uploads || per_title);
        // Minutes missing the cache are minutes watched times the miss rate: none on any
        // path while no minute is watched on any.
        let watched = moves(Driver::WatchMinutes, k);
        let no_minutes = !watched && now.watch_minutes().is_zero();
        let missed = watched || (!no_minutes && moves(Driver::CacheHitRate, k));
        let zero = Decimal::ZERO;
        let one = Decimal::ONE;
        cache.month(s);
        let quiet = probe_scenario(s, zero, zero, zero, None);
        let nothing = Stored::default();
        // The library, aged: what the month costs with no driver at all.
        add(
            &Measure::of(
                &with_constants(quiet.clone(), s),
                book,
                &holdings.library_only(k),
            ),
            &|x| &mut x.constant,
            1.0,
            false,
        );
        // Each month's uploads, one minute at a time; a minute of a given age and ladder
        // costs the same whichever month it is in, while the month's structure stands.
        let mut if_none = Vec::new();
        for j in 1..=k {
            let era = holdings.era_of(j);
            let m = cache.cohort(k - j, era, || {
                Measure::of(&quiet, book, &holdings.cohort_only(k, j))
            });
            add(
                m,
                &|x| &mut x.cohorts[j - 1],
                1.0,
                moves(Driver::NewMinutes, j),
            );
            if j == k {
                if_none.clone_from(&m.held);
            }
        }
        // This month's uploads beyond their storage: transcoding, writes, moderation.
        let new = cache.fixed(Probe::New, || {
            Measure::of(&probe_scenario(s, one, zero, zero, None), book, &nothing)
        });
        add(new, &|x| &mut x.new_now, 1.0, uploads);
        add(new, &|x| &mut x.images, -1.0, images_move);
        let images = cache.fixed(Probe::Images, || {
            Measure::of(&probe_scenario(s, one, one, zero, None), book, &nothing)
        });
        add(images, &|x| &mut x.images, 1.0, images_move);
        let docs = cache.fixed(Probe::Documents, || {
            Measure::of(&probe_scenario(s, zero, zero, one, None), book, &nothing)
        });
        add(
            docs,
            &|x| &mut x.documents,
            1.0,
            moves(Driver::Documents, k),
        );
        // Each geography's minutes, all hitting the cache, then all missing it.
        for (i, geo) in geos.iter().enumerate() {
            let hit = cache.fixed(Probe::Hit(*geo), || {
                Measure::of(
                    &probe_scenario(s, zero, zero, zero, Some((*geo, one))),
                    book,
                    &nothing,
                )
            });
            add(hit, &|x| &mut x.minutes[i], 1.0, watched);
            add(hit, &|x| &mut x.miss[i], -1.0, missed);
            let miss = cache.fixed(Probe::Miss(*geo), || {
                Measure::of(
                    &probe_scenario(s, zero, zero, zero, Some((*geo, zero))),
                    book,
                    &nothing,
                )
            });
            add(miss, &|x| &mut x.miss[i], 1.0, missed);
        }
        // The probes' held bytes and origin reads add up to the month's (checked below with
        // the lines); `stored` and `detail` are what they add up to.
        let _ = (stored, detail);

        let lines = exact
            .lines
            .iter()
            .zip(forms)
            .map(|(l, base)| {
                // The record the exact line was priced from (usage types are shared by
                // records that differ in attributes; the SKU is the record's own).
                let record = l
                    .cost
                    .and(l.sku.as_deref())
                    .and_then(|sku| book.by_sku(sku));
                let tiers = record
                    .map(|r| {
                        r.tiers
                            .iter()
                            .map(|t| (f(t.begin), t.end.map(f), f(t.usd_per_unit)))
                            .collect()
                    })
                    .unwrap_or_default();
                let geo = match l.pricing.recipe {
                    Recipe::GeoShare { geo, .. } => geos.iter().position(|g| *g == geo),
                    _ => None,
                };
                Line {
                    service: services.iter().position(|s| *s == l.service).unwrap_or(0),
                    shape: Shape::of(l.pricing.recipe),
                    base: base.sparse(),
                    tiers,
                    free: l.pricing.free.map(f),
                    pooled: f(l.pricing.pooled),
                    geo,
                    unpriced: l.cost.is_none(),
                    fixed: l.cost.map_or(0.0, |c| f(c.0)),
                }
            })
            .collect();
        let plans = flat_rate::by_price(book);
        let mut month = Month {
            k,
            lines,
            held: held
                .iter()
                .map(|(c, y, o)| (*c, y.sparse(), o.sparse()))
                .collect(),
            if_none,
            origin: (origin.0.sparse(), origin.1.sparse()),
            traffic: (traffic.0.sparse(), traffic.1.sparse()),
            recent: s.delivery.recent_reads.map(|r| f(r.share)),
            written_to: s.storage.class,
            geos,
            ets_free: ets_free_tier(book),
            plan_allowances: plans
                .iter()
                .map(|p| (f(p.data_transfer_gb), f(p.requests)))
                .collect(),
            named_plan: (s.delivery.cdn == Cdn::CloudfrontFlatRate
                && s.delivery.plan != PlanChoice::Auto)
                .then(|| plans.iter().position(|p| p.id == s.delivery.plan.name()))
                .flatten(),
            plans: plans
                .iter()
                .map(|p| PlanOption {
                    price: f(p.usd_per_month),
                    credit: f(p.s3_standard_storage_credit_gb),
                })
                .collect(),
            on_plan: exact
                .lines
                .iter()
                .any(|l| matches!(l.pricing.recipe, Recipe::Plan | Recipe::PlanCredit)),
            exact_enough: false,
        };
        // The deterministic path's drivers must give back the exact month.
        let det: Vec<Values<f64>> = course.values[..k].iter().map(to_f64).collect();
        let mut by_service = vec![0.0; services.len()];
        let mut basis = Basis::default();
        month.price(&det, &mut basis, &mut by_service);
        let fast: f64 = by_service.iter().sum();
        month.exact_enough = !unmatched
            && (fast - f(exact.total.0)).abs() < 0.005
            && services
                .iter()
                .enumerate()
                .all(|(i, sv)| (by_service[i] - f(exact.service_total(*sv).0)).abs() < 0.005);
        month
    }

    /// Fills `b` with the month's drivers on a path.
    fn fill(&self, path: &[Values<f64>], b: &mut Basis) {
        let now = &path[self.k - 1];
        b.x.clear();
        b.x.extend(path[..self.k].iter().map(|v| v.new_minutes));
        b.x.push(now.new_minutes);
        b.x.push(now.new_minutes * now.images_per_title);
        b.x.push(now.documents);
        let minutes = |g: &Geography| {
            now.geo_minutes
                .iter()
                .find(|(x, _)| x == g)
                .map_or(0.0, |(_, m)| *m)
        };
        b.x.extend(self.geos.iter().map(minutes));
        let miss = 1.0 - now.hit_rate;
        b.x.extend(self.geos.iter().map(|g| minutes(g) * miss));
        b.watch = now.watch_minutes();
        b.new_now = now.new_minutes;
    }

    /// The minutes watched from the month's `i`-th geography.
    fn minutes(&self, x: &Basis, i: usize) -> f64 {
        x.x[self.k + 3 + i]
    }

    /// Adds the month's cost on `path` (its drivers for months 1 to k) to `by_service` (in
    /// the order of the forecast's services).
    pub(super) fn price(&self, path: &[Values<f64>], basis: &mut Basis, by_service: &mut [f64]) {
        self.fill(path, basis);
        self.price_lines(basis, |_, service, cost| by_service[service] += cost);
    }

    /// Prices each line of the month with drivers `x`: `each(line, service, cost)`.
    fn price_lines(&self, b: &mut Basis, mut each: impl FnMut(usize, usize, f64)) {
        let mut held = std::mem::take(&mut b.held);
        let mut split = std::mem::take(&mut b.split);
        let x: &Basis = b;
        held.clear();
        held.extend(self.held.iter().map(|(c, y, o)| (*c, y.eval(x), o.eval(x))));
        split_reads_into(
            self.recent,
            &held,
            &self.if_none,
            self.written_to,
            &mut split,
        );
        let origin = (self.origin.0.eval(x), self.origin.1.eval(x));
        let plan = if self.on_plan { self.plan_on(x) } else { None };
        // The Elastic Transcoder lines' quantities, for their shared allowance.
        let ets = |hd: bool| -> f64 {
            self.lines
                .iter()
                .find(|l| l.shape == Shape::EtsFree { hd })
                .map_or(0.0, |l| l.base.eval(x))
        };
        for (i, line) in self.lines.iter().enumerate() {
            if line.unpriced {
                continue;
            }
            let base = line.base.eval(x);
            let (quantity, free) = match line.shape {
                Shape::Linear => (base, line.free),
                Shape::GeoShare { free } => {
                    let share = match line.geo {
                        Some(i) if x.watch > 0.0 => self.minutes(x, i) / x.watch,
                        _ => 0.0,
                    };
                    (base, Some(free * share))
                }
                Shape::ReadSplit { class, bytes } => {
                    let share = split
                        .iter()
                        .find(|(c, _)| *c == class)
                        .map_or(0.0, |(_, s)| *s);
                    (if bytes { origin.1 } else { origin.0 } * share, None)
                }
                Shape::OnDemand {
                    reserved,
                    needed_per_minute,
                    eligible,
                } => {
                    let share = on_reserved_share(reserved, x.new_now * needed_per_minute);
                    (base * (1.0 - share * eligible), line.free)
                }
                Shape::EtsFree { hd } => {
                    let free = self.ets_free.map(|a| {
                        let (sd, hd_free) = a.split(ets(false), ets(true));
                        if hd { hd_free } else { sd }
                    });
                    (base, free)
                }
                Shape::PlanCredit => (base, plan.map(|p| self.plans[p].credit)),
                Shape::Plan => {
                    each(
                        i,
                        line.service,
                        plan.map_or(line.fixed, |p| self.plans[p].price),
                    );
                    continue;
                }
                Shape::Fixed => {
                    each(i, line.service, line.fixed);
                    continue;
                }
            };
            let free = free.unwrap_or(0.0).min(quantity.max(0.0));
            let (cost, _) = crate::tiers::cost(&line.tiers, line.pooled, quantity - free);
            each(i, line.service, cost);
        }
        // The scratch buffers go back for the next month.
        b.held = held;
        b.split = split;
    }

    /// The flat-rate plan of a path's month: the named one, or the cheapest that holds it.
    fn plan_on(&self, x: &Basis) -> Option<usize> {
        if self.plans.is_empty() {
            return None;
        }
        if let Some(named) = self.named_plan {
            return Some(named);
        }
        let gb = self.traffic.0.eval(x);
        let requests = self.traffic.1.eval(x);
        Some(
            flat_rate::cheapest_fitting(&self.plan_allowances, gb, requests)
                .unwrap_or(self.plans.len() - 1),
        )
    }
}

pub(super) fn to_f64(v: &Values<Decimal>) -> Values<f64> {
    Values {
        new_minutes: f(v.new_minutes),
        geo_minutes: v.geo_minutes.iter().map(|(g, m)| (*g, f(*m))).collect(),
        hit_rate: f(v.hit_rate),
        documents: f(v.documents),
        images_per_title: f(v.images_per_title),
    }
}

impl Holdings {
    /// Month `k`'s library alone.
    pub(super) fn library_only(&self, k: usize) -> Stored {
        let shift = Decimal::from(k as u64 - 1);
        let kinds = self.era_kinds(k, &self.library_kinds);
        Stored {
            eras: vec![Era {
                kinds,
                strips: self
                    .library
                    .iter()
                    .map(|s| match *s {
                        Strip::Aged { lo, hi, per_month } => Strip::Aged {
                            lo: lo + shift,
                            hi: hi + shift,
                            per_month,
                        },
                        other => other,
                    })
                    .collect(),
            }],
        }
    }

    /// The ladder era of month `j`'s uploads: months whose uploads leave the same objects
    /// share one.
    pub(super) fn era_of(&self, j: usize) -> usize {
        let kinds = &self.kinds[j - 1];
        self.kinds.iter().position(|k| k == kinds).unwrap_or(j - 1)
    }

    /// One minute of month `j`'s uploads, as month `k` holds it.
    pub(super) fn cohort_only(&self, k: usize, j: usize) -> Stored {
        let strip = if j == k {
            Strip::New {
                minutes: Decimal::ONE,
            }
        } else {
            Strip::Aged {
                lo: Decimal::from((k - 1 - j) as u64),
                hi: Decimal::from((k - j) as u64),
                per_month: Decimal::ONE,
            }
        };
        Stored {
            eras: vec![Era {
                kinds: self.era_kinds(k, &self.kinds[j - 1]),
                strips: vec![strip],
            }],
        }
    }
}
