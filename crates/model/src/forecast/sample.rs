//! The Monte Carlo: paths of the uncertain rates, each priced month by month, and the
//! percentiles of what they cost.
//!
//! A path draws every uncertain rate once from its distribution (a normal whose halves fit
//! the range's P10 and P90, or its standard deviation), truncated at three widths and at the
//! rates its kind allows (a compound rate no lower than −1), and keeps it for the horizon. Path `i` draws from its own stream of a ChaCha8 generator seeded with
//! the file's seed, so a path does not depend on how many others run or in which order.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::drivers::{Plan, Values};
use super::fast;
use super::{Band, Holdings, course, usd_of};
use crate::engine::{Service, estimate_holding};
use crate::pricebook::PriceBook;
use crate::scenario::Scenario;

/// What a forecast's paths draw from: each growth's central rate and the widths of the two
/// halves of its distribution (zero when certain).
pub(super) struct Simulation {
    rates: Vec<(f64, f64, f64)>,
    /// The rates each growth's kind allows: a draw past them is held at the limit.
    allowed: Vec<(f64, f64)>,
    seed: u64,
}

/// The most bytes of path costs held at once unless the options say otherwise: 256 MB. The
/// costs of 10,000 paths over 36 months of ten services are 29 MB, one block.
pub(super) const COSTS_BUDGET: usize = 256 << 20;

/// What prices a path's months.
pub(super) struct Runner<'a> {
    pub scenario: &'a Scenario,
    pub book: &'a PriceBook,
    pub plan: &'a Plan<Decimal>,
    pub plan_f64: &'a Plan<f64>,
    pub compiled: &'a [fast::Month],
    pub services: &'a [Service],
}

/// The cost of every path, month and service: `values[month][series]` holds one value per
/// path, series 0 the total and `1 + i` service `i`.
pub(super) struct Costs {
    values: Vec<Vec<Vec<f64>>>,
}

/// The bands of every month.
pub(super) struct Bands {
    pub total: Vec<Band>,
    pub services: Vec<Vec<(Service, Band)>>,
}

impl Simulation {
    pub fn new(s: &Scenario, seed: u64) -> Simulation {
        let rates = s
            .forecast
            .growth
            .iter()
            .map(|g| {
                let (lo, hi) = g
                    .spread
                    .map_or((Decimal::ZERO, Decimal::ZERO), |sp| sp.sigmas(g.rate));
                (fast::f(g.rate), fast::f(lo), fast::f(hi))
            })
            .collect();
        let allowed = s
            .forecast
            .growth
            .iter()
            .map(|g| {
                let (min, max) = g.kind.rates();
                (fast::f(min), fast::f(max))
            })
            .collect();
        Simulation {
            rates,
            allowed,
            seed,
        }
    }

    /// The rates of path `i`.
    pub fn draw(&self, i: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(i);
        self.rates
            .iter()
            .zip(&self.allowed)
            .map(|((central, lo, hi), (min, max))| {
                if *lo == 0.0 && *hi == 0.0 {
                    return *central;
                }
                let z: f64 = StandardNormal.sample(&mut rng);
                let z = z.clamp(-3.0, 3.0);
                (central + z * if z < 0.0 { *lo } else { *hi }).clamp(*min, *max)
            })
            .collect()
    }

    /// Prices paths `range` on `threads` threads and gives the bands of every month. The
    /// percentiles need every path's cost of a month at once, but not of every month at
    /// once: the months are priced in blocks whose costs fit in `budget` bytes, each
    /// block drawing its paths again (a path's draws depend on its index alone), so a
    /// million paths over 120 months is not 7 GB of costs held together.
    pub fn run(
        &self,
        runner: &Runner,
        range: std::ops::Range<u32>,
        threads: usize,
        budget: usize,
        progress: Option<&super::Progress>,
    ) -> Bands {
        let months = runner.compiled.len();
        let series = runner.services.len() + 1;
        let per_month = series * range.len() * std::mem::size_of::<f64>();
        let block = (budget / per_month.max(1)).clamp(1, months.max(1));
        let mut bands = Bands {
            total: Vec::with_capacity(months),
            services: Vec::with_capacity(months),
        };
        let mut from = 0;
        while from < months {
            let to = (from + block).min(months);
            let costs = self.run_months(runner, range.clone(), from..to, threads);
            let b = costs.bands(runner.services);
            bands.total.extend(b.total);
            bands.services.extend(b.services);
            from = to;
            if let Some(p) = progress {
                (p.0)(to as u32, months as u32);
            }
        }
        bands
    }

    /// Prices months `months` (0-based) of paths `range` on `threads` threads.
    fn run_months(
        &self,
        runner: &Runner,
        range: std::ops::Range<u32>,
        months: std::ops::Range<usize>,
        threads: usize,
    ) -> Costs {
        let threads = threads.clamp(1, 64);
        let n = range.len();
        let chunk = n.div_ceil(threads).max(1);
        let parts: Vec<Costs> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let from = range.start + (t * chunk).min(n) as u32;
                    let to = range.start + ((t + 1) * chunk).min(n) as u32;
                    let months = months.clone();
                    scope.spawn(move || self.run_serial(runner, from..to, months))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        Costs::concat(parts)
    }

    fn run_serial(
        &self,
        runner: &Runner,
        range: std::ops::Range<u32>,
        months: std::ops::Range<usize>,
    ) -> Costs {
        let compiled = &runner.compiled[..months.end];
        let series = runner.services.len() + 1;
        let mut values = vec![vec![Vec::with_capacity(range.len()); series]; months.len()];
        let exact_months = compiled[months.clone()].iter().any(|m| !m.exact_enough);
        let mut by_service = vec![0.0; runner.services.len()];
        let mut basis = fast::Basis::default();
        let mut path: Vec<Values<f64>> = Vec::new();
        for i in range {
            let rates = self.draw(u64::from(i));
            runner.plan_f64.run_into(&rates, &mut path);
            // Months the fast evaluator cannot reproduce are priced by the engine itself.
            let exact = exact_months.then(|| {
                let rates: Vec<Decimal> = rates
                    .iter()
                    .map(|r| Decimal::from_f64(*r).unwrap_or_default())
                    .collect();
                let all = runner.compiled.len() as u32;
                let c = course(runner.scenario, all, runner.plan, &rates);
                let h = Holdings::of(runner.scenario, &c);
                (c, h)
            });
            for (k, month) in compiled.iter().enumerate().skip(months.start) {
                by_service.iter_mut().for_each(|v| *v = 0.0);
                match (&exact, month.exact_enough) {
                    (Some((c, h)), false) => {
                        let (e, _) =
                            estimate_holding(&c.scenarios[k], runner.book, &h.month(k + 1));
                        for (j, sv) in runner.services.iter().enumerate() {
                            by_service[j] = fast::f(e.service_total(*sv).0);
                        }
                    }
                    _ => month.price(&path[..=k], &mut basis, &mut by_service),
                }
                let total: f64 = by_service.iter().sum();
                let at = &mut values[k - months.start];
                at[0].push(total);
                for (j, v) in by_service.iter().enumerate() {
                    at[j + 1].push(*v);
                }
            }
        }
        Costs { values }
    }
}

impl Costs {
    fn concat(parts: Vec<Costs>) -> Costs {
        let mut parts = parts.into_iter();
        let Some(mut first) = parts.next() else {
            return Costs { values: Vec::new() };
        };
        for p in parts {
            for (m, month) in p.values.into_iter().enumerate() {
                for (s, mut series) in month.into_iter().enumerate() {
                    first.values[m][s].append(&mut series);
                }
            }
        }
        first
    }

    pub fn bands(mut self, services: &[Service]) -> Bands {
        let mut total = Vec::with_capacity(self.values.len());
        let mut by_service = Vec::with_capacity(self.values.len());
        for month in &mut self.values {
            let mut bands = month.iter_mut().map(|v| band(v));
            total.push(bands.next().unwrap_or(Band::flat(usd_of(0.0))));
            by_service.push(services.iter().copied().zip(bands).collect());
        }
        Bands {
            total,
            services: by_service,
        }
    }
}

/// P10, P50 and P90 of `values` (linear between the two nearest ranks, as numpy's default).
fn band(values: &mut [f64]) -> Band {
    Band {
        p10: usd_of(percentile(values, 0.10)),
        p50: usd_of(percentile(values, 0.50)),
        p90: usd_of(percentile(values, 0.90)),
    }
}

pub(super) fn percentile(values: &mut [f64], p: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return 0.0;
    }
    let pos = p * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let frac = pos - lo as f64;
    let (_, at, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let a = *at;
    if frac == 0.0 || above.is_empty() {
        return a;
    }
    let b = above.iter().copied().fold(f64::INFINITY, f64::min);
    a + (b - a) * frac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_as_numpy_does() {
        let mut v: Vec<f64> = (1..=10).map(f64::from).collect();
        // numpy.percentile(range(1, 11), [10, 50, 90]) = [1.9, 5.5, 9.1]
        assert!((percentile(&mut v, 0.1) - 1.9).abs() < 1e-12);
        assert!((percentile(&mut v, 0.5) - 5.5).abs() < 1e-12);
        assert!((percentile(&mut v, 0.9) - 9.1).abs() < 1e-12);
    }
}
