//! Usage: CloudWatch-shaped metric series turned into monthly drivers with polars.
//!
//! A [`Point`] is one datapoint as CloudWatch's GetMetricData returns it (or as a user exports
//! it): a UTC timestamp, the metric's namespace, name and dimensions, the statistic and the
//! value. [`monthly_drivers`] removes duplicates, buckets by UTC calendar month and returns
//! what the cost model needs each month: bytes delivered, requests, the request-weighted cache
//! hit rate, output minutes by MediaConvert resolution class, stored bytes by S3 storage type.
//!
//! Units are CloudWatch's: `BytesDownloaded` bytes, `Requests` counts, `CacheHitRate` percent,
//! MediaConvert `*OutputDuration` milliseconds, S3 `BucketSizeBytes` bytes (one daily average).

pub mod calendar;
pub mod durable;
pub mod frame;
pub mod partitions;
pub mod text;

use std::collections::BTreeMap;

use polars::prelude::*;

/// One datapoint of a metric series.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub timestamp_ms: i64,
    pub namespace: String,
    pub metric: String,
    /// `Name=Value` pairs joined by `;`, sorted by name (see [`dimensions`]).
    pub dimensions: String,
    /// `Sum`, `Average`, `Maximum`, …
    pub statistic: String,
    pub value: f64,
}

/// Dimensions in the one order every series uses: sorted by name, `Name=Value;…`.
pub fn dimensions(pairs: &[(&str, &str)]) -> String {
    let v: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    in_order(v.iter().map(String::as_str))
}

/// A dimensions text in the order [`dimensions`] writes: CloudWatch's dimensions are a set,
/// so `Region=Global;DistributionId=E1` is the series `DistributionId=E1;Region=Global` is.
/// Spaces around a name or a value are dropped (`E1; Region = Global` is that series too):
/// a space typed after a `;` would otherwise make a second series, counted twice.
pub fn canonical_dimensions(text: &str) -> String {
    let pairs: Vec<String> = text
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((name, value)) => format!("{}={}", name.trim(), value.trim()),
            None => p.to_string(),
        })
        .collect();
    in_order(pairs.iter().map(String::as_str))
}

fn in_order<'a>(pairs: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = pairs.collect();
    v.sort_unstable();
    v.join(";")
}

/// The value of one dimension in a dimensions string.
pub fn dimension<'a>(dims: &'a str, name: &str) -> Option<&'a str> {
    dims.split(';')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// What one calendar month of usage says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthDrivers {
    /// `YYYY-MM`, UTC.
    pub month: String,
    /// Distinct days with CloudFront `BytesDownloaded` (with any CloudFront metric when the
    /// store has none); a month is full when every day has some. The month's last day
    /// counts only when its data reach the day's end (its last datapoint's period).
    pub days_with_data: u32,
    pub days_in_month: u32,
    /// `None` when the month has no datapoint of it: not measured, which is not 0.
    pub delivered_bytes: Option<f64>,
    /// `None` as for `delivered_bytes`.
    pub requests: Option<f64>,
    /// Σ(hit rate × requests) ÷ Σ requests over the datapoints that have both, as a fraction.
    pub cache_hit_rate: Option<f64>,
    /// Output minutes by class: `SD`, `HD`, `UHD`, `8K`, `Audio`.
    pub output_minutes: BTreeMap<String, f64>,
    pub jobs_completed: f64,
    /// Average over the month's days with data of the daily `BucketSizeBytes` summed over
    /// the buckets, by `StorageType` (`StandardStorage`, `StandardIAStorage`,
    /// `GlacierInstantRetrievalStorage`, …): a bucket made mid-month counts from then on.
    pub stored_bytes: BTreeMap<String, f64>,
}

impl MonthDrivers {
    pub fn is_full(&self) -> bool {
        self.days_with_data >= self.days_in_month && self.days_in_month > 0
    }

    /// Video output minutes (every class but audio).
    pub fn video_output_minutes(&self) -> f64 {
        self.output_minutes
            .iter()
            .filter(|(k, _)| k.as_str() != "Audio")
            .map(|(_, v)| v)
            .sum()
    }

    /// [`MonthDrivers::video_output_minutes`], `None` when the month has no MediaConvert
    /// output datapoint: not measured, which is not 0.
    pub fn measured_video_output_minutes(&self) -> Option<f64> {
        (!self.output_minutes.is_empty()).then(|| self.video_output_minutes())
    }

    /// Bytes stored in every storage class together, `None` when the month has no S3
    /// `BucketSizeBytes` datapoint: not measured, which is not 0.
    pub fn measured_stored_bytes(&self) -> Option<f64> {
        (!self.stored_bytes.is_empty()).then(|| self.stored_bytes.values().sum())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("cannot aggregate the usage series: {0}")]
    Polars(#[from] PolarsError),
}

/// The metrics and statistics each driver is read from.
const DELIVERED: (&str, &str, &str) = ("AWS/CloudFront", "BytesDownloaded", "Sum");
const REQUESTS: (&str, &str, &str) = ("AWS/CloudFront", "Requests", "Sum");
const HIT_RATE: (&str, &str, &str) = ("AWS/CloudFront", "CacheHitRate", "Average");
const JOBS: (&str, &str, &str) = ("AWS/MediaConvert", "JobsCompletedCount", "Sum");
const STORED: (&str, &str, &str) = ("AWS/S3", "BucketSizeBytes", "Average");
/// MediaConvert output duration metrics (milliseconds) and the class each one counts.
const DURATIONS: [(&str, &str); 5] = [
    ("SDOutputDuration", "SD"),
    ("HDOutputDuration", "HD"),
    ("UHDOutputDuration", "UHD"),
    ("8KOutputDuration", "8K"),
    ("AudioOutputDuration", "Audio"),
];

/// The series the drivers are read from, in words (`AWS/CloudFront BytesDownloaded Sum`, …),
/// for a message about a store that holds none of them.
pub fn driver_series() -> String {
    let mut names: Vec<String> = [DELIVERED, REQUESTS, HIT_RATE, STORED]
        .iter()
        .map(|(ns, metric, st)| format!("{ns} {metric} {st}"))
        .collect();
    names.push("AWS/MediaConvert *OutputDuration Sum".into());
    names.join(", ")
}

/// Series and dimension sets numbered, so that polars groups and joins on integers rather
/// than on four string columns: every datapoint becomes `(ts, series, dims, value)`.
struct Numbered<'a> {
    /// `(namespace, metric, dimensions, statistic)` by series number.
    series: Vec<(&'a str, &'a str, &'a str, &'a str)>,
    frame: DataFrame,
}

/// One datapoint as [`number`] reads it: timestamp, (namespace, metric, dimensions,
/// statistic), value.
pub(crate) type Row<'a> = (i64, (&'a str, &'a str, &'a str, &'a str), f64);

fn number<'a>(rows: impl Iterator<Item = Row<'a>>, n: usize) -> PolarsResult<Numbered<'a>> {
    // polars' own fast hash map: the keys are ours, not an attacker's.
    let mut series_ids: PlHashMap<(&str, &str, &str, &str), u32> = PlHashMap::new();
    let mut dims_ids: PlHashMap<&str, u32> = PlHashMap::new();
    let mut series: Vec<(&str, &str, &str, &str)> = Vec::new();
    let mut dims_of: Vec<u32> = Vec::new();
    let mut last_ts: Vec<i64> = Vec::new();
    let mut ordered = true;
    let (mut ts, mut sid, mut value) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    // The last few series seen, compared directly: CloudWatch returns a series' datapoints
    // together and exports interleave a handful of metrics, so hashing is rarely needed.
    let mut recent: Vec<u32> = Vec::with_capacity(8);
    for (timestamp_ms, key, v) in rows {
        let id = match recent.iter().find(|&&r| series[r as usize] == key) {
            Some(&r) => r,
            None => {
                let next = series.len() as u32;
                let id = *series_ids.entry(key).or_insert(next);
                if id == next {
                    series.push(key);
                    let d = dims_ids.len() as u32;
                    dims_of.push(*dims_ids.entry(key.2).or_insert(d));
                    last_ts.push(i64::MIN);
                }
                if recent.len() == 8 {
                    recent.remove(0);
                }
                recent.push(id);
                id
            }
        };
        // A timestamp that does not move forward within its series may be a duplicate.
        if timestamp_ms <= last_ts[id as usize] {
            ordered = false;
        }
        last_ts[id as usize] = timestamp_ms;
        ts.push(timestamp_ms);
        sid.push(id);
        value.push(v);
    }
    if !ordered {
        // Duplicates (same series and timestamp) count once, the later one winning.
        let mut rows: PlHashMap<(i64, u32), usize> = PlHashMap::with_capacity(n);
        let (mut t2, mut s2, mut v2) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for k in 0..ts.len() {
            match rows.get(&(ts[k], sid[k])) {
                Some(&row) => v2[row] = value[k],
                None => {
                    rows.insert((ts[k], sid[k]), t2.len());
                    t2.push(ts[k]);
                    s2.push(sid[k]);
                    v2.push(value[k]);
                }
            }
        }
        (ts, sid, value) = (t2, s2, v2);
    }
    // Calendar month (year × 12 + month) and UTC day of each datapoint; the month is cached
    // per day, since points come in long runs of one day.
    let mut last_day = (i64::MIN, 0i32);
    let (mut month, mut day) = (Vec::with_capacity(ts.len()), Vec::with_capacity(ts.len()));
    for t in &ts {
        let days = t.div_euclid(86_400_000);
        if days != last_day.0 {
            let (y, m, _) = calendar::civil_from_days(days);
            last_day = (days, (y as i32) * 12 + m as i32);
        }
        month.push(last_day.1);
        day.push(days);
    }
    let did: Vec<u32> = sid.iter().map(|s| dims_of[*s as usize]).collect();
    let frame = df!(
        "ts" => ts,
        "series" => sid,
        "dims" => did,
        "month" => month,
        "day" => day,
        "value" => value,
    )?;
    Ok(Numbered { series, frame })
}

/// Series numbers matching a (namespace, metric, statistic).
fn ids(n: &Numbered, metric: (&str, &str, &str)) -> Vec<u32> {
    n.series
        .iter()
        .enumerate()
        .filter(|(_, (ns, me, _, st))| (*ns, *me, *st) == metric)
        .map(|(i, _)| i as u32)
        .collect()
}

fn one_of(column: &str, ids: &[u32]) -> Expr {
    ids.iter()
        .map(|i| col(column).eq(lit(*i)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false))
}

/// Monthly drivers from datapoints, oldest month first. Duplicate datapoints (same series,
/// statistic and timestamp) count once, the last one given winning.
pub fn monthly_drivers(points: &[Point]) -> Result<Vec<MonthDrivers>, UsageError> {
    if points.is_empty() {
        return Ok(Vec::new());
    }
    let rows = points.iter().map(|p| {
        (
            p.timestamp_ms,
            (
                p.namespace.as_str(),
                p.metric.as_str(),
                p.dimensions.as_str(),
                p.statistic.as_str(),
            ),
            p.value,
        )
    });
    drivers_of(number(rows, points.len())?)
}

/// Monthly drivers from a frame of datapoints in the store's columns (see [`frame`]), rows
/// in the order given; duplicates count once, the last one winning.
pub fn monthly_drivers_frame(df: &DataFrame) -> Result<Vec<MonthDrivers>, UsageError> {
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    let c = frame::Columns::of(df)?;
    drivers_of(number(c.rows(), df.height())?)
}

fn drivers_of(n: Numbered<'_>) -> Result<Vec<MonthDrivers>, UsageError> {
    // Months are numbered year × 12 + month, days as whole UTC days since 1970.
    let base = n.frame.clone().lazy();

    let totals = base
        .clone()
        .group_by([col("month"), col("series")])
        .agg([col("value").sum().alias("sum")])
        .collect()?;

    // A month is as full as its bytes delivered, the driver of watch time: another CloudFront
    // metric (an error rate) covering days without them does not fill it. A store with no
    // bytes delivered at all counts the days of any CloudFront metric.
    let mut counted = ids(&n, DELIVERED);
    if counted.is_empty() {
        counted = n
            .series
            .iter()
            .enumerate()
            .filter(|(_, s)| s.0 == "AWS/CloudFront")
            .map(|(i, _)| i as u32)
            .collect();
    }
    // A day counts when its data reach its end: the month's last datapoint stands for its
    // period (the smallest step between the month's timestamps), and a last day whose data
    // stop at 01:00 is not a day of traffic.
    let ts_sorted = || col("ts").unique().sort(SortOptions::default());
    let coverage = base
        .clone()
        .filter(one_of("series", &counted))
        .group_by([col("month")])
        .agg([
            col("day").n_unique().alias("days"),
            col("ts").max().alias("last"),
            (ts_sorted() - ts_sorted().shift(lit(1)))
                .min()
                .alias("step"),
        ])
        .collect()?;

    // Request-weighted hit rate: each hit-rate datapoint joined to the request count of the
    // same distribution (dimensions) and timestamp.
    let rates = base
        .clone()
        .filter(one_of("series", &ids(&n, HIT_RATE)))
        .select([
            col("ts"),
            col("dims"),
            col("month"),
            col("value").alias("rate"),
        ]);
    let requests = base
        .clone()
        .filter(one_of("series", &ids(&n, REQUESTS)))
        .select([col("ts"), col("dims"), col("value").alias("req")]);
    let weighted = rates
        .join(
            requests,
            [col("ts"), col("dims")],
            [col("ts"), col("dims")],
            JoinArgs::new(JoinType::Inner),
        )
        .group_by([col("month")])
        .agg([
            (col("rate") * col("req")).sum().alias("weighted"),
            col("req").sum().alias("req"),
        ])
        .collect()?;

    // Bytes stored, day by day: each bucket's mean of the day, summed over the buckets of a
    // storage class, then averaged over the days of the month that have any. A bucket made
    // mid-month holds nothing before, which a mean of each bucket over its own days would
    // read as held all month.
    let daily_stored = base
        .clone()
        .filter(one_of("series", &ids(&n, STORED)))
        .group_by([col("month"), col("series"), col("day")])
        .agg([col("value").mean().alias("mean")])
        .collect()?;
    // (month, storage type) → day → bytes.
    let mut stored_by_day: BTreeMap<(i32, &str), BTreeMap<i64, f64>> = BTreeMap::new();
    {
        let month = daily_stored.column("month")?.i32()?;
        let series = daily_stored.column("series")?.u32()?;
        let day = daily_stored.column("day")?.cast(&DataType::Int64)?;
        let day = day.i64()?;
        let mean = daily_stored.column("mean")?.f64()?;
        for i in 0..daily_stored.height() {
            let (Some(m), Some(sid), Some(dy), Some(v)) =
                (month.get(i), series.get(i), day.get(i), mean.get(i))
            else {
                continue;
            };
            let Some(&(_, _, dims, _)) = n.series.get(sid as usize) else {
                continue;
            };
            let storage = dimension(dims, "StorageType").unwrap_or("StandardStorage");
            *stored_by_day
                .entry((m, storage))
                .or_default()
                .entry(dy)
                .or_default() += v;
        }
    }

    let label = |m: i32| {
        let (y, mo) = ((m - 1).div_euclid(12), (m - 1).rem_euclid(12) + 1);
        format!("{y:04}-{mo:02}")
    };
    let empty = |m: i32| {
        let l = label(m);
        MonthDrivers {
            days_in_month: calendar::days_in_month_label(&l).unwrap_or(0),
            month: l,
            ..MonthDrivers::default()
        }
    };
    let mut months: BTreeMap<i32, MonthDrivers> = BTreeMap::new();
    let month = totals.column("month")?.i32()?;
    let series = totals.column("series")?.u32()?;
    let sum = totals.column("sum")?.f64()?;
    for i in 0..totals.height() {
        let (Some(m), Some(sid)) = (month.get(i), series.get(i)) else {
            continue;
        };
        let Some(&(ns, me, dims, st)) = n.series.get(sid as usize) else {
            continue;
        };
        let d = months.entry(m).or_insert_with(|| empty(m));
        let s = sum.get(i).unwrap_or(0.0);
        let key = (ns, me, st);
        if key == DELIVERED {
            *d.delivered_bytes.get_or_insert(0.0) += s;
        } else if key == REQUESTS {
            *d.requests.get_or_insert(0.0) += s;
        } else if key == JOBS {
            d.jobs_completed += s;
        } else if key == STORED {
            let storage = dimension(dims, "StorageType").unwrap_or("StandardStorage");
            if let Some(days) = stored_by_day.get(&(m, storage)) {
                let mean = days.values().sum::<f64>() / days.len().max(1) as f64;
                d.stored_bytes.insert(storage.to_string(), mean);
            }
        } else if ns == "AWS/MediaConvert"
            && st == "Sum"
            && let Some((_, class)) = DURATIONS.iter().find(|(name, _)| *name == me)
        {
            // Milliseconds to minutes.
            *d.output_minutes.entry(class.to_string()).or_default() += s / 60_000.0;
        }
    }
    let cov_month = coverage.column("month")?.i32()?;
    let cov_days = coverage.column("days")?.u32()?;
    let cov_last = coverage.column("last")?.i64()?;
    let cov_step = coverage.column("step")?.i64()?;
    for i in 0..coverage.height() {
        if let (Some(m), Some(days)) = (cov_month.get(i), cov_days.get(i))
            && let Some(d) = months.get_mut(&m)
        {
            let day_ms = 86_400_000;
            let cut_short = match (cov_last.get(i), cov_step.get(i)) {
                (Some(last), Some(step)) if step > 0 => {
                    last + step < (last.div_euclid(day_ms) + 1) * day_ms
                }
                _ => false,
            };
            d.days_with_data = if cut_short {
                days.saturating_sub(1)
            } else {
                days
            };
        }
    }
    let w_month = weighted.column("month")?.i32()?;
    let w_sum = weighted.column("weighted")?.f64()?;
    let w_req = weighted.column("req")?.f64()?;
    for i in 0..weighted.height() {
        if let (Some(m), Some(w), Some(r)) = (w_month.get(i), w_sum.get(i), w_req.get(i))
            && let Some(d) = months.get_mut(&m)
            && r > 0.0
        {
            // CloudWatch reports the hit rate in percent.
            d.cache_hit_rate = Some(w / r / 100.0);
        }
    }
    // A month between two with data that has none is a gap in the store (a pull that did not
    // run): listed with 0 days and nothing measured, not left out as if it never was.
    if let (Some(&first), Some(&last)) = (months.keys().next(), months.keys().next_back()) {
        for m in first..last {
            months.entry(m).or_insert_with(|| empty(m));
        }
    }
    Ok(months.into_values().collect())
}
