//! The `[forecast]` section: how the month of a scenario moves over the months ahead.
//!
//! A file without the section forecasts flat (every driver stays where the scenario puts it).
//! Each driver may grow by a compound monthly rate or a linear monthly amount, with a range
//! for the Monte Carlo paths; dated events change fields (or replace the ladder) from a month
//! on; twelve seasonal factors shape watch time; a budget and a reporting currency serve
//! finance. The reader checks all of it; `crate::forecast` runs it.

use std::fmt;

use rust_decimal::Decimal;
use serde::Serialize;

use super::path::FieldPath;
use super::{Geography, Rung};
use crate::scenario::fields::FieldValue;

/// The longest horizon a forecast runs.
pub const MAX_MONTHS: u32 = 120;
/// The horizon when the file does not give one.
pub const DEFAULT_MONTHS: u32 = 24;
/// Monte Carlo paths when the file does not say.
pub const DEFAULT_PATHS: u32 = 10_000;
/// The most paths a file may ask for.
pub const MAX_PATHS: u32 = 1_000_000;
/// How far from 1 the mean of twelve seasonal factors may be: factors shape the year, the
/// growth rates move its level.
pub const SEASONALITY_TOLERANCE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// A calendar month, `2027-01`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonth {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl YearMonth {
    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (y, m) = text.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        ((1..=12).contains(&month) && (1900..=9999).contains(&year))
            .then_some(YearMonth { year, month })
    }

    /// Months since the year 0's January: the one count `plus` and `of_horizon` work in.
    fn index(self) -> i64 {
        self.year as i64 * 12 + (self.month as i64 - 1)
    }

    /// Which month of a horizon from `start` this is, from 1 (0 or less: before it).
    pub fn of_horizon(self, start: YearMonth) -> i64 {
        self.index() - start.index() + 1
    }

    /// The month `n` months later.
    pub fn plus(self, n: u32) -> YearMonth {
        let index = self.index() + n as i64;
        YearMonth {
            year: (index / 12) as i32,
            month: (index % 12) as u32 + 1,
        }
    }

    /// Days in the month (Gregorian).
    pub fn days(self) -> u32 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// `2027-01-01`: the month's first day.
    pub fn first_day(self) -> String {
        format!("{self}-01")
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What grows: the drivers a forecast moves month by month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "driver", content = "geography")]
pub enum Driver {
    /// `content.new_minutes_per_month`.
    NewMinutes,
    /// `audience.watch_minutes_per_month`: every geography's minutes.
    WatchMinutes,
    /// `audience.geo.<geography>`: the minutes watched from one geography (its share of the
    /// total follows).
    GeoMinutes(Geography),
    /// `delivery.cache_hit_rate`.
    CacheHitRate,
    /// `nlp.documents_per_month`.
    Documents,
    /// `vision.moderation_images_per_title`.
    ImagesPerTitle,
}

impl Driver {
    /// Every driver, in the order of the docs and of the field table's accessors.
    pub const ALL: [Driver; 13] = [
        Driver::NewMinutes,
        Driver::WatchMinutes,
        Driver::CacheHitRate,
        Driver::Documents,
        Driver::ImagesPerTitle,
        Driver::GeoMinutes(Geography::Us),
        Driver::GeoMinutes(Geography::Europe),
        Driver::GeoMinutes(Geography::SouthAfricaMiddleEast),
        Driver::GeoMinutes(Geography::SouthAmerica),
        Driver::GeoMinutes(Geography::Japan),
        Driver::GeoMinutes(Geography::Australia),
        Driver::GeoMinutes(Geography::AsiaPacific),
        Driver::GeoMinutes(Geography::India),
    ];

    /// The driver a growth key names (`content.new_minutes_per_month`, `audience.geo.india`).
    pub fn from_key(key: &str) -> Option<Driver> {
        Driver::ALL.into_iter().find(|d| d.path() == key)
    }

    /// The drivers that take a growth, by the field path a file names them with.
    pub const FIELDS: [&'static str; 5] = [
        "content.new_minutes_per_month",
        "audience.watch_minutes_per_month",
        "delivery.cache_hit_rate",
        "nlp.documents_per_month",
        "vision.moderation_images_per_title",
    ];

    /// The driver a field path names, if it takes a growth.
    pub fn of_path(path: &FieldPath) -> Option<Driver> {
        Driver::from_key(&path.to_string())
    }

    /// The path a file writes for this driver.
    pub fn path(self) -> String {
        match self {
            Driver::NewMinutes => Self::FIELDS[0].into(),
            Driver::WatchMinutes => Self::FIELDS[1].into(),
            Driver::CacheHitRate => Self::FIELDS[2].into(),
            Driver::Documents => Self::FIELDS[3].into(),
            Driver::ImagesPerTitle => Self::FIELDS[4].into(),
            Driver::GeoMinutes(g) => format!("audience.geo.{}", g.key()),
        }
    }

    /// The field table's entry for the driver (its rule bounds the growth).
    pub fn field(self) -> &'static super::fields::Field {
        let path = match self {
            Driver::GeoMinutes(_) => "audience.watch_minutes_per_month",
            _ => Self::FIELDS[self.field_index()],
        };
        super::fields::find(path).unwrap_or_else(|| unreachable!("driver fields are in the table"))
    }

    fn field_index(self) -> usize {
        match self {
            Driver::NewMinutes => 0,
            Driver::WatchMinutes | Driver::GeoMinutes(_) => 1,
            Driver::CacheHitRate => 2,
            Driver::Documents => 3,
            Driver::ImagesPerTitle => 4,
        }
    }

    /// Whether the driver is a rate from 0 to 1 that a linear growth moves in points.
    pub fn is_fraction(self) -> bool {
        self == Driver::CacheHitRate
    }
}

/// How a driver moves from one month to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthKind {
    /// `value × (1 + rate)` each month.
    Compound,
    /// `value + rate` each month, in the driver's unit.
    Linear,
}

impl GrowthKind {
    pub const ALL: [(&'static str, GrowthKind); 2] = [
        ("compound", GrowthKind::Compound),
        ("linear", GrowthKind::Linear),
    ];

    pub fn name(self) -> &'static str {
        match self {
            GrowthKind::Compound => "compound",
            GrowthKind::Linear => "linear",
        }
    }

    /// The rates the kind's field allows (compound: above −1, up to 10), from the field
    /// table: what a Monte Carlo draw is held to. A compound rate below −1 would make the
    /// factor `1 + rate` negative and the driver flip sign from month to month; at −1 the
    /// driver falls to nothing, the limit of the field's range.
    pub fn rates(self) -> (Decimal, Decimal) {
        let path = match self {
            GrowthKind::Compound => "forecast.growth.<driver>.compound",
            GrowthKind::Linear => "forecast.growth.<driver>.linear",
        };
        super::fields::find(path)
            .and_then(|f| f.rule())
            .map_or((Decimal::MIN, Decimal::MAX), |r| (r.min, r.max))
    }

    /// The driver `months` months on from `base` at `rate`.
    pub fn apply(self, base: Decimal, rate: Decimal, months: u32) -> Option<Decimal> {
        match self {
            GrowthKind::Compound => {
                let factor = Decimal::ONE.checked_add(rate)?;
                let mut v = base;
                for _ in 0..months {
                    v = v.checked_mul(factor)?;
                }
                Some(v)
            }
            GrowthKind::Linear => base.checked_add(rate.checked_mul(Decimal::from(months))?),
        }
    }
}

/// How uncertain a rate is: the Monte Carlo draws it from a normal distribution (two halves
/// of different widths when the range is not symmetric).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Spread {
    /// The 10th and 90th percentiles of the rate.
    Range { p10: Decimal, p90: Decimal },
    /// One standard deviation.
    Sd { sd: Decimal },
}

/// The z-score of the 90th percentile of a normal distribution.
pub const Z90: Decimal = Decimal::from_parts(12_815_516, 0, 0, false, 7);

impl Spread {
    /// The widths of the lower and upper halves (standard deviations of the two halves).
    pub fn sigmas(self, central: Decimal) -> (Decimal, Decimal) {
        match self {
            Spread::Range { p10, p90 } => ((central - p10) / Z90, (p90 - central) / Z90),
            Spread::Sd { sd } => (sd, sd),
        }
    }

    /// The rates a check of bounds takes as the extremes: three widths either side, within
    /// the rates `kind` allows (as the Monte Carlo draws them).
    pub fn extremes(self, central: Decimal, kind: GrowthKind) -> (Decimal, Decimal) {
        let (lo, hi) = self.sigmas(central);
        let three = Decimal::from(3);
        let (min, max) = kind.rates();
        (
            (central - lo * three).clamp(min, max),
            (central + hi * three).clamp(min, max),
        )
    }
}

/// One driver's growth.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Growth {
    pub driver: Driver,
    pub kind: GrowthKind,
    /// Per month: a fraction for compound growth, the driver's unit for linear.
    pub rate: Decimal,
    pub spread: Option<Spread>,
}

/// A change from a month on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// The month of the horizon it takes effect in, from 1.
    pub month: u32,
    /// The calendar month, when the file names one (`"2027-07"`): a forecast started on
    /// another month places the event by it (see [`ForecastSpec::place_events`]).
    #[serde(skip)]
    pub calendar: Option<YearMonth>,
    pub label: String,
    /// Fields set from that month on. A growing driver starts again from the value set; a
    /// geography's value is its share of that month's watch time, the other geographies'
    /// minutes unchanged.
    #[serde(skip)]
    pub set: Vec<(FieldPath, FieldValue)>,
    /// A ladder that replaces the scenario's from that month on: new uploads are encoded
    /// with it and viewers are served it; content stored before keeps its renditions.
    pub rungs: Option<Vec<Rung>>,
}

/// Monthly factors on watch time.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "factors")]
pub enum Seasonality {
    /// No seasonal shape.
    Flat,
    /// January to December, averaging 1.
    Factors([Decimal; 12]),
    /// Fitted from the months of the local usage store (at least 12); the command reads the
    /// store and hands the factors in.
    FromUsage,
}

/// A reporting currency and its rate, as written in the file: Ladderwise looks up no rates.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Currency {
    /// ISO 4217, `EUR`.
    pub code: String,
    /// Units of the currency per US dollar.
    pub per_usd: Decimal,
    /// The day the rate is from, `2026-11-27`.
    pub rate_date: String,
    /// Where the rate comes from.
    pub source: String,
}

/// The `[forecast]` section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForecastSpec {
    /// Whether the file has the section (a flat forecast says so when it has not).
    pub given: bool,
    /// The first month; `None`: the month after today, which the command supplies.
    pub start: Option<YearMonth>,
    pub months: u32,
    pub growth: Vec<Growth>,
    pub events: Vec<Event>,
    pub seasonality: Seasonality,
    pub budget_usd: Option<Decimal>,
    pub currency: Option<Currency>,
    pub paths: u32,
    pub seed: u64,
}

impl ForecastSpec {
    /// Places the events on a horizon of `months` from `start`, which a command may give
    /// instead of the file's: an event written as a calendar month moves with the start (an
    /// event before it has happened, and holds from the first month), and an event past the
    /// horizon is left out. What was moved or left out is said in the returned notes.
    pub fn place_events(&mut self, start: YearMonth, months: u32) -> Vec<String> {
        let mut notes = Vec::new();
        let horizon = format!("{start} to {}", start.plus(months.saturating_sub(1)));
        self.events.retain_mut(|e| {
            let index = match e.calendar {
                Some(c) => c.of_horizon(start),
                None => i64::from(e.month),
            };
            let named = match e.calendar {
                Some(c) => format!("\"{}\" ({c})", e.label),
                None => format!("\"{}\" (month {})", e.label, e.month),
            };
            if index > i64::from(months) {
                notes.push(format!(
                    "the event {named} falls after the horizon, {horizon}: left out"
                ));
                return false;
            }
            if index < 1 {
                notes.push(format!(
                    "the event {named} comes before the forecast's start: it holds from the first month, {start}"
                ));
            }
            e.month = u32::try_from(index.max(1)).unwrap_or(1);
            true
        });
        self.events.sort_by_key(|e| e.month);
        notes
    }
}

impl Default for ForecastSpec {
    fn default() -> Self {
        ForecastSpec {
            given: false,
            start: None,
            months: DEFAULT_MONTHS,
            growth: Vec::new(),
            events: Vec::new(),
            seasonality: Seasonality::Flat,
            budget_usd: None,
            currency: None,
            paths: DEFAULT_PATHS,
            seed: 1,
        }
    }
}

impl ForecastSpec {
    /// The growth of a driver, if it has one.
    pub fn growth_of(&self, driver: Driver) -> Option<&Growth> {
        self.growth.iter().find(|g| g.driver == driver)
    }

    /// Whether any rate is uncertain (else every path is the deterministic one).
    pub fn is_uncertain(&self) -> bool {
        self.growth.iter().any(|g| g.spread.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_over_years() {
        let m = YearMonth::parse("2026-11").unwrap();
        assert_eq!(m.plus(2).to_string(), "2027-01");
        assert_eq!(m.plus(14).to_string(), "2028-01");
        assert_eq!(YearMonth::parse("2028-02").unwrap().days(), 29);
        assert!(YearMonth::parse("2027-13").is_none());
        assert!(YearMonth::parse("27-01").is_none());
    }

    #[test]
    fn growth_compounds_and_adds() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            GrowthKind::Compound.apply(d("100"), d("0.1"), 2),
            Some(d("121.00"))
        );
        assert_eq!(
            GrowthKind::Linear.apply(d("0.9"), d("0.01"), 5),
            Some(d("0.95"))
        );
        assert_eq!(GrowthKind::Compound.apply(d("1e20"), d("2"), 120), None);
    }
}
