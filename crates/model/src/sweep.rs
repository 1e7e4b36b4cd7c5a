//! Sweeps: one or more numeric scenario fields varied over ranges, each point a full estimate;
//! and break-even points, where two service choices cost the same.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::engine::{Estimate, Totals, estimate, totals};
use crate::pricebook::PriceBook;
use crate::scenario::fields::{self, FieldValue};
use crate::scenario::path::{FieldPath, PathError};
use crate::scenario::{Cdn, MediaConvertTier, Scenario, TranscodeService};
use crate::units::Usd;

/// The most points one sweep may have (the product of every range's length).
pub const MAX_POINTS: usize = 10_000;

/// A problem with a sweep request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SweepError {
    #[error(
        "cannot read `--vary {0}`: {1}\nhint: write FIELD=FROM:TO:STEP, e.g. `--vary delivery.cache_hit_rate=0:1:0.05`{2}"
    )]
    Syntax(String, &'static str, String),
    #[error("{0}")]
    Path(#[from] PathError),
    #[error("`{0}` cannot be varied\nhint: vary one of: {1}")]
    NotVaried(String, String),
    #[error(
        "the sweep would have {0} points, more than {MAX_POINTS}\nhint: use a larger STEP or a shorter range"
    )]
    TooLarge(usize),
    /// The path, and how the same field was named before when it was named otherwise.
    #[error(
        "`{0}` is varied twice{1}\nhint: give each field one `--vary`, with every value in its range"
    )]
    Twice(String, String),
    /// A solve range written TO first: a slip, as a sweep's range written backwards is.
    #[error(
        "the range `{range}` has TO below FROM\nhint: write the smaller value first, here `{instead}`"
    )]
    Backwards { range: String, instead: String },
    /// A solve range that holds one value on the field's grid: nothing to search.
    #[error(
        "`--range {range}` holds one value of {field}: both ends round to {value} on its grid of steps of {step}\nhint: widen the range so its ends round to different values; `sweep --vary {field}={value}:{value}:1` prices one value"
    )]
    OneValue {
        field: String,
        /// `FROM:TO` as given.
        range: String,
        value: Decimal,
        step: Decimal,
    },
    #[error(
        "at {field} = {value}, {message}\nhint: vary it over a smaller range, or check {fields}"
    )]
    BeyondCounting {
        field: String,
        value: String,
        message: String,
        fields: &'static str,
    },
}

/// One varied field: `FIELD=FROM:TO:STEP`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vary {
    pub field: String,
    pub from: Decimal,
    pub to: Decimal,
    pub step: Decimal,
}

impl FromStr for Vary {
    type Err = SweepError;
    fn from_str(s: &str) -> Result<Vary, SweepError> {
        let bad = |why, instead: String| SweepError::Syntax(s.to_string(), why, instead);
        let (field, range) = s
            .split_once('=')
            .ok_or_else(|| bad("no `=` between the field and its range", String::new()))?;
        let parts: Vec<&str> = range.split(':').collect();
        let [from, to, step] = parts.as_slice() else {
            let instead = match parts.as_slice() {
                [from, to] => format!(", here `{field}={from}:{to}:STEP`"),
                _ => String::new(),
            };
            return Err(bad("the range is not FROM:TO:STEP", instead));
        };
        let num = |t: &str| {
            Decimal::from_str(t.trim())
                .map_err(|_| bad("FROM, TO and STEP must be numbers", String::new()))
        };
        let (from, to, step) = (num(from)?, num(to)?, num(step)?);
        if step <= Decimal::ZERO {
            return Err(bad("STEP must be greater than 0", String::new()));
        }
        if to < from {
            return Err(bad(
                "TO is below FROM",
                format!(", here `{field}={to}:{from}:{step}`"),
            ));
        }
        Ok(Vary {
            field: field.trim().to_string(),
            from,
            to,
            step,
        })
    }
}

impl Vary {
    /// How many values the range has, without listing them.
    pub fn count(&self) -> usize {
        let slack = self.step / Decimal::from(1_000_000);
        let steps = ((self.to - self.from + slack) / self.step).floor();
        let stepped = steps.to_usize().unwrap_or(usize::MAX).saturating_add(1);
        // `to` is a point of its own when no step lands on it.
        let last = self.from + self.step * steps;
        stepped.saturating_add(usize::from(self.to - last > slack))
    }

    /// The values of the range, `from` first, then every step, and `to` last, whether or
    /// not a step lands on it: `0.9:0.95:0.03` is 0.9, 0.93 and 0.95.
    pub fn values(&self) -> Vec<Decimal> {
        let mut out = Vec::new();
        let mut v = self.from;
        // A tolerance of a millionth of a step keeps `0:1:0.05` from losing its last point.
        let slack = self.step / Decimal::from(1_000_000);
        while v <= self.to + slack && out.len() <= MAX_POINTS {
            out.push(v.min(self.to));
            v += self.step;
        }
        if out.len() <= MAX_POINTS && out.last().is_some_and(|last| self.to - *last > slack) {
            out.push(self.to);
        }
        out
    }
}

/// The fields a sweep can vary, as paths (rung fields as `ladder.rungs[N].video_kbps`: N from
/// 1, or the rung's name in place of `[N]`).
pub fn varied_fields() -> Vec<&'static str> {
    fields::FIELDS
        .iter()
        .filter(|f| f.sweep)
        .map(|f| f.path)
        .collect()
}

/// A copy of `scenario` with `field` set to `value`, checked by the field's rule as the
/// scenario file checks it.
pub fn with_field(
    scenario: &Scenario,
    field: &str,
    value: Decimal,
) -> Result<Scenario, SweepError> {
    let path = FieldPath::parse(field)?;
    with_path(scenario, &path, value)
}

/// The number a field has in `scenario`: the file's value, or, for a field the file leaves to
/// a default derived from other inputs, the value the engine derives ([`engine::derived`]).
///
/// [`engine::derived`]: crate::engine::derived
pub fn value_in_effect(scenario: &Scenario, path: &FieldPath) -> Result<Decimal, SweepError> {
    match path.get(scenario) {
        Ok(v) => Ok(v.number().unwrap_or_default()),
        Err(e) => crate::engine::derived(path.field.path, scenario).ok_or(e.into()),
    }
}

/// [`with_field`] with the path parsed once.
pub fn with_path(
    scenario: &Scenario,
    path: &FieldPath,
    value: Decimal,
) -> Result<Scenario, SweepError> {
    if !path.field.sweep {
        return Err(SweepError::NotVaried(
            path.to_string(),
            varied_fields().join(", "),
        ));
    }
    let mut s = scenario.clone();
    path.set(&mut s, &FieldValue::Number(value))?;
    if let Some(e) = crate::engine::drivers::beyond_counting(&s) {
        return Err(SweepError::BeyondCounting {
            field: path.to_string(),
            value: crate::units::format_quantity(value, 6),
            message: e.message(),
            fields: e.fields,
        });
    }
    Ok(s)
}

/// One point of a sweep: the values of the varied fields and the estimate there.
#[derive(Clone, Debug)]
pub struct SweepPoint {
    pub values: Vec<Decimal>,
    pub estimate: Estimate,
}

/// Every combination of the ranges (a grid when several fields vary), in row-major order.
pub fn sweep(
    scenario: &Scenario,
    book: &PriceBook,
    varies: &[Vary],
) -> Result<Vec<SweepPoint>, SweepError> {
    sweep_on(scenario, book, varies, 1)
}

/// [`sweep`] with the points priced on `threads` threads: the same points, sooner.
pub fn sweep_on(
    scenario: &Scenario,
    book: &PriceBook,
    varies: &[Vary],
    threads: usize,
) -> Result<Vec<SweepPoint>, SweepError> {
    let points = grid_on(scenario, varies, threads, |s| estimate(s, book))?;
    Ok(points
        .into_iter()
        .map(|(values, estimate)| SweepPoint { values, estimate })
        .collect())
}

/// One point of a sweep as a row of totals: the values of the varied fields and the month's
/// [`Totals`] there.
#[derive(Clone, Debug)]
pub struct SweepTotals {
    pub values: Vec<Decimal>,
    pub totals: Totals,
}

/// [`sweep_on`] keeping only each point's totals: what a table of a sweep shows, priced
/// without the estimate's notes and allocations, and held in a few bytes a point however
/// many points there are.
pub fn sweep_totals_on(
    scenario: &Scenario,
    book: &PriceBook,
    varies: &[Vary],
    threads: usize,
) -> Result<Vec<SweepTotals>, SweepError> {
    let points = grid_on(scenario, varies, threads, |s| totals(s, book))?;
    Ok(points
        .into_iter()
        .map(|(values, totals)| SweepTotals { values, totals })
        .collect())
}

/// Every point of the grid the ranges make, each the scenario with its values set and
/// `price`d, on `threads` threads.
fn grid_on<T: Send>(
    scenario: &Scenario,
    varies: &[Vary],
    threads: usize,
    price: impl Fn(&Scenario) -> T + Sync,
) -> Result<Vec<(Vec<Decimal>, T)>, SweepError> {
    let count = varies
        .iter()
        .try_fold(1usize, |acc, v| acc.checked_mul(v.count()))
        .unwrap_or(usize::MAX);
    if count > MAX_POINTS {
        return Err(SweepError::TooLarge(count));
    }
    let axes: Vec<Vec<Decimal>> = varies.iter().map(Vary::values).collect();
    let paths = varies
        .iter()
        .map(|v| FieldPath::parse(&v.field))
        .collect::<Result<Vec<_>, _>>()?;
    // One field on two axes would make points that cannot be told apart, however each names
    // it (a rung by position and by name are one rung).
    let mut seen: Vec<((&str, usize), &FieldPath)> = Vec::with_capacity(paths.len());
    for path in &paths {
        let at = (path.field.path, path.index(scenario)?);
        if let Some((_, first)) = seen.iter().find(|(a, _)| *a == at) {
            let (this, before) = (path.to_string(), first.to_string());
            let also = if this == before {
                String::new()
            } else {
                format!(" (as `{before}` before)")
            };
            return Err(SweepError::Twice(this, also));
        }
        seen.push((at, path));
    }
    // Check every value once per axis before pricing anything.
    for (path, axis) in paths.iter().zip(&axes) {
        for value in axis {
            with_path(scenario, path, *value)?;
        }
    }
    // Point i's value on each axis, the last axis changing fastest.
    let values_of = |mut i: usize| -> Vec<Decimal> {
        let mut values = vec![Decimal::ZERO; axes.len()];
        for k in (0..axes.len()).rev() {
            values[k] = axes[k][i % axes[k].len()];
            i /= axes[k].len();
        }
        values
    };
    // The points there are: the product of the axes' lengths (a range whose step passes
    // its end has fewer values than its span suggests).
    let points = axes.iter().map(Vec::len).product();
    let priced = crate::parallel::map_indexed(points, threads, |i| {
        let values = values_of(i);
        let mut s = scenario.clone();
        for (path, value) in paths.iter().zip(&values) {
            s = with_path(&s, path, *value)?;
        }
        Ok((values, price(&s)))
    });
    priced.into_iter().collect()
}

/// A service choice a break-even compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choice {
    MediaConvert(MediaConvertTier),
    /// MediaConvert with enough reserved transcode slots for every job of the month, at the
    /// scenario's central job speed.
    MediaConvertReserved,
    ElasticTranscoder,
    CloudFront,
    /// CloudFront on the cheapest flat-rate plan whose allowances hold the month.
    CloudFrontFlatRate,
    DirectS3,
}

impl Choice {
    pub fn apply(self, s: &Scenario) -> Scenario {
        let mut s = s.clone();
        match self {
            Choice::MediaConvert(tier) => {
                s.transcode.service = TranscodeService::Mediaconvert;
                s.transcode.tier = tier;
                s.transcode.reserved_slots = 0;
            }
            Choice::MediaConvertReserved => {
                s.transcode.service = TranscodeService::Mediaconvert;
                let month = crate::units::Seconds::in_billing_month().minutes().0;
                let needed = (s.content.new_minutes_per_month.0 / month
                    * s.transcode.job_speed.central)
                    .ceil()
                    .max(Decimal::ONE);
                s.transcode.reserved_slots = needed.to_u32().unwrap_or(u32::MAX);
            }
            Choice::ElasticTranscoder => s.transcode.service = TranscodeService::ElasticTranscoder,
            Choice::CloudFront => s.delivery.cdn = Cdn::Cloudfront,
            Choice::CloudFrontFlatRate => {
                s.delivery.cdn = Cdn::CloudfrontFlatRate;
                s.delivery.plan = crate::scenario::PlanChoice::Auto;
            }
            Choice::DirectS3 => s.delivery.cdn = Cdn::None,
        }
        s
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Choice::MediaConvert(t) => write!(f, "MediaConvert {}", t.label()),
            Choice::MediaConvertReserved => f.write_str("MediaConvert, reserved slots"),
            Choice::ElasticTranscoder => f.write_str("Elastic Transcoder (discontinued)"),
            Choice::CloudFront => f.write_str("CloudFront"),
            Choice::CloudFrontFlatRate => f.write_str("CloudFront flat-rate"),
            Choice::DirectS3 => f.write_str("direct from S3"),
        }
    }
}

/// A value of the field where two choices cost the same, with the cost there.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakEven {
    pub value: Decimal,
    pub cost: Usd,
}

/// Points a break-even search samples between `from` and `to` before narrowing a crossing.
pub const BREAK_EVEN_SAMPLES: u32 = 64;

/// The `i`-th of `steps` evenly spaced values from `from` to `to`. A series drawn on
/// [`BREAK_EVEN_SAMPLES`] steps lands exactly on the points a break-even search samples.
pub fn sample_point(from: Decimal, to: Decimal, i: u32, steps: u32) -> Decimal {
    from + (to - from) * Decimal::from(i) / Decimal::from(steps.max(1))
}

/// The cost of service choices as one field of a scenario varies, each (choice, value) priced
/// once. A choice chart draws each choice's cost on the same points its break-even search
/// samples, so sharing them halves the estimates it needs.
pub struct ChoiceCosts<'a, F> {
    scenario: &'a Scenario,
    book: &'a PriceBook,
    field: &'a str,
    cost: F,
    memo: RefCell<HashMap<(Choice, Decimal), Usd>>,
}

impl<'a, F: Fn(&Estimate) -> Usd> ChoiceCosts<'a, F> {
    /// `cost` picks what to compare from an estimate, e.g. the total or one stage.
    pub fn new(scenario: &'a Scenario, book: &'a PriceBook, field: &'a str, cost: F) -> Self {
        ChoiceCosts {
            scenario,
            book,
            field,
            cost,
            memo: RefCell::new(HashMap::new()),
        }
    }

    /// The cost of `choice` with the field at `x`.
    pub fn at(&self, choice: Choice, x: Decimal) -> Result<Usd, SweepError> {
        if let Some(c) = self.memo.borrow().get(&(choice, x)) {
            return Ok(*c);
        }
        let s = with_field(self.scenario, self.field, x)?;
        let c = (self.cost)(&estimate(&choice.apply(&s), self.book));
        self.memo.borrow_mut().insert((choice, x), c);
        Ok(c)
    }

    /// See [`break_even`].
    pub fn break_even(
        &self,
        from: Decimal,
        to: Decimal,
        (a, b): (Choice, Choice),
    ) -> Result<Vec<BreakEven>, SweepError> {
        let samples = BREAK_EVEN_SAMPLES;
        let diff = |x: Decimal| -> Result<(Decimal, Usd), SweepError> {
            let ca = self.at(a, x)?;
            let cb = self.at(b, x)?;
            Ok((ca.0 - cb.0, ca))
        };
        let width = to - from;
        let mut out = Vec::new();
        if width <= Decimal::ZERO {
            return Ok(out);
        }
        let x_at = |i: u32| sample_point(from, to, i, samples);
        // A crossing is a change of sign between two samples where the choices differ; where
        // they cost the same over a stretch (coincident series), that stretch is not a
        // crossing unless the sign on its two sides differs, and then it counts once.
        let mut last: Option<(Decimal, Decimal)> = None;
        let mut zeros: Vec<Decimal> = Vec::new();
        for i in 0..=samples {
            let x = x_at(i);
            let d = diff(x)?.0;
            if d.is_zero() {
                zeros.push(x);
                continue;
            }
            if let Some((px, pd)) = last
                && (pd > Decimal::ZERO) != (d > Decimal::ZERO)
            {
                let value = if let Some(first) = zeros.first() {
                    // The choices meet on a sample: the first point of equality.
                    *first
                } else {
                    // Bisection: the difference changes sign between px and x.
                    let (mut lo, mut hi, mut dlo) = (px, x, pd);
                    let precision = width / Decimal::from(1_000_000);
                    while hi - lo > precision {
                        let mid = (lo + hi) / Decimal::TWO;
                        let dm = diff(mid)?.0;
                        if (dm > Decimal::ZERO) == (dlo > Decimal::ZERO) && !dm.is_zero() {
                            lo = mid;
                            dlo = dm;
                        } else {
                            hi = mid;
                        }
                    }
                    (lo + hi) / Decimal::TWO
                };
                out.push(BreakEven {
                    value,
                    cost: diff(value)?.1,
                });
            }
            last = Some((x, d));
            zeros.clear();
        }
        Ok(out)
    }
}

/// The values of `field` in `[from, to]` where `a` and `b` cost the same, by the given cost
/// (`cost` picks what to compare from an estimate, e.g. the total or a stage). Sign changes
/// of the difference are found on [`BREAK_EVEN_SAMPLES`] points, then narrowed by bisection
/// to a millionth of the range.
pub fn break_even(
    scenario: &Scenario,
    book: &PriceBook,
    field: &str,
    from: Decimal,
    to: Decimal,
    pair: (Choice, Choice),
    cost: impl Fn(&Estimate) -> Usd,
) -> Result<Vec<BreakEven>, SweepError> {
    ChoiceCosts::new(scenario, book, field, cost).break_even(from, to, pair)
}
