//! Datapoints as a polars frame, the shape of the usage store's partitions: one row per
//! datapoint, columns `ts` (Int64, milliseconds since 1970, UTC), `namespace`, `metric`,
//! `dimensions`, `statistic` (String) and `value` (Float64).

use polars::prelude::*;

use crate::calendar;
use crate::{Point, Row};

pub const TS: &str = "ts";
pub const NAMESPACE: &str = "namespace";
pub const METRIC: &str = "metric";
pub const DIMENSIONS: &str = "dimensions";
pub const STATISTIC: &str = "statistic";
pub const VALUE: &str = "value";

/// The columns of a datapoint frame, borrowed.
pub struct Columns<'a> {
    ts: &'a Int64Chunked,
    namespace: &'a StringChunked,
    metric: &'a StringChunked,
    dimensions: &'a StringChunked,
    statistic: &'a StringChunked,
    value: &'a Float64Chunked,
}

impl<'a> Columns<'a> {
    pub fn of(df: &'a DataFrame) -> PolarsResult<Self> {
        Ok(Columns {
            ts: df.column(TS)?.i64()?,
            namespace: df.column(NAMESPACE)?.str()?,
            metric: df.column(METRIC)?.str()?,
            dimensions: df.column(DIMENSIONS)?.str()?,
            statistic: df.column(STATISTIC)?.str()?,
            value: df.column(VALUE)?.f64()?,
        })
    }

    /// A frame's series columns: namespace, metric, dimensions, statistic.
    #[allow(clippy::type_complexity)]
    fn key_columns(
        df: &DataFrame,
    ) -> PolarsResult<(
        &StringChunked,
        &StringChunked,
        &StringChunked,
        &StringChunked,
    )> {
        Ok((
            df.column(NAMESPACE)?.str()?,
            df.column(METRIC)?.str()?,
            df.column(DIMENSIONS)?.str()?,
            df.column(STATISTIC)?.str()?,
        ))
    }

    /// The datapoints in order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'a>> + 'a {
        let text = |c: &'a StringChunked| c.iter().map(|v| v.unwrap_or(""));
        let key = text(self.namespace)
            .zip(text(self.metric))
            .zip(text(self.dimensions))
            .zip(text(self.statistic))
            .map(|(((n, m), d), s)| (n, m, d, s));
        self.ts
            .iter()
            .map(|t| t.unwrap_or(0))
            .zip(key)
            .zip(self.value.iter().map(|v| v.unwrap_or(0.0)))
            .map(|((t, k), v)| (t, k, v))
    }

    /// The datapoints as [`Point`]s.
    pub fn points(&self) -> Vec<Point> {
        self.rows()
            .map(|(t, (n, m, d, s), v)| Point {
                timestamp_ms: t,
                namespace: n.to_string(),
                metric: m.to_string(),
                dimensions: d.to_string(),
                statistic: s.to_string(),
                value: v,
            })
            .collect()
    }
}

/// The frame with every dimensions text in the one order (see
/// [`crate::canonical_dimensions`]). A file holds few distinct series, so each distinct text
/// is checked once; the column is rebuilt only when one is out of order.
pub fn with_canonical_dimensions(mut df: DataFrame) -> PolarsResult<DataFrame> {
    let column = df.column(DIMENSIONS)?.str()?.clone();
    // The distinct texts through polars' own (parallel) hashing: a row at a time in a Rust
    // set cost a tenth of a second on a year of minutes.
    let distinct = column.unique()?;
    let renamed: std::collections::HashMap<&str, String> = distinct
        .iter()
        .flatten()
        .filter_map(|text| {
            let canonical = crate::canonical_dimensions(text);
            (canonical != text).then_some((text, canonical))
        })
        .collect();
    if renamed.is_empty() {
        return Ok(df);
    }
    let rebuilt: StringChunked = column
        .iter()
        .map(|t| t.map(|t| renamed.get(t).map_or(t, String::as_str)))
        .collect();
    df.with_column(rebuilt.with_name(DIMENSIONS.into()).into_column())?;
    Ok(df)
}

/// A frame of datapoints from its columns.
pub fn from_columns(
    ts: Vec<i64>,
    namespace: Vec<&str>,
    metric: Vec<&str>,
    dimensions: Vec<&str>,
    statistic: Vec<&str>,
    value: Vec<f64>,
) -> PolarsResult<DataFrame> {
    df!(
        TS => ts,
        NAMESPACE => namespace,
        METRIC => metric,
        DIMENSIONS => dimensions,
        STATISTIC => statistic,
        VALUE => value,
    )
}

/// A frame of datapoints.
pub fn from_points(points: &[Point]) -> PolarsResult<DataFrame> {
    from_columns(
        points.iter().map(|p| p.timestamp_ms).collect(),
        points.iter().map(|p| p.namespace.as_str()).collect(),
        points.iter().map(|p| p.metric.as_str()).collect(),
        points.iter().map(|p| p.dimensions.as_str()).collect(),
        points.iter().map(|p| p.statistic.as_str()).collect(),
        points.iter().map(|p| p.value).collect(),
    )
}

/// An empty frame of datapoints.
pub fn empty() -> PolarsResult<DataFrame> {
    from_columns(vec![], vec![], vec![], vec![], vec![], vec![])
}

/// The `YYYY-MM` UTC month of a timestamp.
pub fn month_label(ts_ms: i64) -> String {
    let (y, m, _) = calendar::civil_from_days(ts_ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}")
}

/// The frame split by UTC calendar month, oldest first, rows in their order.
pub fn split_by_month(df: &DataFrame) -> PolarsResult<Vec<(String, DataFrame)>> {
    let ts = df.column(TS)?.i64()?;
    // Month number (year × 12 + month) per row, cached per day: points come in runs of a day.
    let mut last_day = (i64::MIN, 0i64);
    let months: Vec<i64> = ts
        .iter()
        .map(|t| {
            let day = t.unwrap_or(0).div_euclid(86_400_000);
            if day != last_day.0 {
                let (y, m, _) = calendar::civil_from_days(day);
                last_day = (day, y * 12 + i64::from(m) - 1);
            }
            last_day.1
        })
        .collect();
    let mut distinct = months.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let label = |m: i64| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
    if distinct.len() == 1 {
        return Ok(vec![(label(distinct[0]), df.clone())]);
    }
    let mut out = Vec::with_capacity(distinct.len());
    for m in distinct {
        let mask: BooleanChunked = months.iter().map(|x| *x == m).collect();
        out.push((label(m), df.filter(&mask)?));
    }
    Ok(out)
}

/// What a merge made of the store's months.
pub struct Merged {
    pub frame: DataFrame,
    /// Datapoints given again with another value: the later value replaced the earlier.
    pub changed: usize,
    /// How many datapoints the new frame itself gives more than one value (counted in
    /// `changed` too: the later value is kept).
    pub contradicted: usize,
    /// The first of them in time, at most [`SHOWN_CONTRADICTIONS`].
    pub contradictions: Vec<Contradiction>,
}

/// One datapoint (series, statistic and timestamp) given more than one value by one import.
#[derive(Clone, Debug, PartialEq)]
pub struct Contradiction {
    pub timestamp_ms: i64,
    pub namespace: String,
    pub metric: String,
    pub dimensions: String,
    pub statistic: String,
}

/// A series an import gives at another period than the store holds it, in the same month:
/// summed together, the two periods would count the month's traffic twice (an hourly and a
/// daily export of one metric, imported one after the other).
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodClash {
    pub namespace: String,
    pub metric: String,
    pub dimensions: String,
    pub statistic: String,
    /// The shortest step between the store's datapoints of the series, and the new ones', in
    /// milliseconds.
    pub stored_ms: i64,
    pub new_ms: i64,
    /// At the store's period but other times of it: how far the first new datapoint off the
    /// store's times lies after the store's time before it, in milliseconds (a daily export
    /// aligned to local midnight, then one aligned to UTC's).
    pub shifted_ms: Option<i64>,
}

/// The shortest step between consecutive datapoints of each series of `df` that has two,
/// and the first and last of them.
type Spans<'a> = PlHashMap<(&'a str, &'a str, &'a str, &'a str), (i64, i64, i64)>;

fn periods<'a>(c: &Columns<'a>) -> Spans<'a> {
    let mut times: PlHashMap<(&str, &str, &str, &str), Vec<i64>> = PlHashMap::new();
    for (t, key, _) in c.rows() {
        times.entry(key).or_default().push(t);
    }
    times
        .into_iter()
        .filter_map(|(key, mut ts)| {
            ts.sort_unstable();
            ts.dedup();
            let step = ts.windows(2).map(|w| w[1] - w[0]).min()?;
            Some((key, (step, *ts.first()?, *ts.last()?)))
        })
        .collect()
}

/// The series `new` gives at another period than `stored` has them over the same time (each
/// with at least two datapoints in its frame; a single datapoint has no period to compare).
/// Periods that follow one another are not a clash: a pull reads older data at a coarser
/// period than the newer data a later pull adds.
pub fn period_clashes(stored: &DataFrame, new: &DataFrame) -> PolarsResult<Vec<PeriodClash>> {
    let (old_columns, new_columns) = (Columns::of(stored)?, Columns::of(new)?);
    let before = periods(&old_columns);
    let clash = |key: (&str, &str, &str, &str), stored_ms, new_ms, shifted_ms| PeriodClash {
        namespace: key.0.into(),
        metric: key.1.into(),
        dimensions: key.2.into(),
        statistic: key.3.into(),
        stored_ms,
        new_ms,
        shifted_ms,
    };
    let after = periods(&new_columns);
    let mut out: Vec<PeriodClash> = after
        .iter()
        .map(|(key, span)| (*key, *span))
        .filter_map(|(key, (new_ms, first, last))| {
            let (stored_ms, from, to) = *before.get(&key)?;
            // Each datapoint stands for its whole period: a stored hour at 23:00 holds what a
            // new minute at 23:01 would add again.
            let overlap = first < to + stored_ms && from < last + new_ms;
            (overlap && stored_ms != new_ms).then(|| clash(key, stored_ms, new_ms, None))
        })
        .collect();
    // At the store's period (or a single datapoint, which has none), a datapoint inside the
    // store's time of a series but off its times lies within a stored period, and would be
    // summed with it: the same daily series exported at another time of day.
    let mut shifted: PlHashMap<(&str, &str, &str, &str), i64> = PlHashMap::new();
    for (t, key, _) in new_columns.rows() {
        let Some(&(step, from, to)) = before.get(&key) else {
            continue;
        };
        // Another period is the rule above's (a coarser period before a finer one is a pull
        // reading older data, not a clash).
        if after.get(&key).is_some_and(|(p, _, _)| *p != step) {
            continue;
        }
        let off = (t - from).rem_euclid(step);
        if t >= from && t < to + step && off != 0 {
            shifted.entry(key).or_insert(off);
        }
    }
    // A series is in one list or the other: the loop skips those given at another period.
    for (key, off) in shifted {
        let step = before[&key].0;
        out.push(clash(key, step, step, Some(off)));
    }
    out.sort_by(|a, b| (&a.metric, &a.dimensions).cmp(&(&b.metric, &b.dimensions)));
    Ok(out)
}

/// The contradictions a merge names; it counts the rest.
pub const SHOWN_CONTRADICTIONS: usize = 20;

/// `stored` followed by `new`, with every datapoint given twice (same series, statistic and
/// timestamp) kept once: the later one, so an import replaces what was stored.
pub fn merge(stored: Option<DataFrame>, new: DataFrame) -> PolarsResult<Merged> {
    let stored_rows = stored.as_ref().map_or(0, DataFrame::height);
    let all = match stored {
        Some(mut s) => {
            s.vstack_mut_owned(new)?;
            s
        }
        None => new,
    };
    // Series numbered in one pass; when every series moves forward in time there is nothing
    // to remove, which is the common case (an import of new data, a pull).
    let (ids, ordered) = {
        let c = Columns::of(&all)?;
        series_ids(c.rows())
    };
    if ordered {
        return Ok(Merged {
            frame: all,
            changed: 0,
            contradicted: 0,
            contradictions: Vec::new(),
        });
    }
    let mut with_ids = all;
    with_ids.with_column(Column::new("series_id".into(), ids))?;
    let from_new: BooleanChunked = (0..with_ids.height()).map(|i| i >= stored_rows).collect();
    with_ids.with_column(Column::new("from_new".into(), from_new))?;
    // The datapoints given more than once with more than one value (the later kept), and
    // among them those the new frame alone gives two values: a file that contradicts itself.
    let repeated = with_ids
        .clone()
        .lazy()
        .group_by([col(TS), col("series_id")])
        .agg([
            col(VALUE).n_unique().alias("values"),
            col(VALUE)
                .filter(col("from_new"))
                .n_unique()
                .alias("new_values"),
            col(NAMESPACE).first(),
            col(METRIC).first(),
            col(DIMENSIONS).first(),
            col(STATISTIC).first(),
        ])
        .filter(col("values").gt(lit(1u32)))
        .sort([TS], SortMultipleOptions::default())
        .collect()?;
    let contradicted = repeated.column("new_values")?.u32()?;
    let changed = repeated.height();
    let contradicted_count = contradicted.iter().filter(|n| n.unwrap_or(0) > 1).count();
    let contradictions = {
        let key = Columns::key_columns(&repeated)?;
        let ts = repeated.column(TS)?.i64()?;
        let text = |c: &StringChunked, i: usize| c.get(i).unwrap_or("").to_string();
        (0..repeated.height())
            .filter(|&i| contradicted.get(i).unwrap_or(0) > 1)
            .take(SHOWN_CONTRADICTIONS)
            .map(|i| Contradiction {
                timestamp_ms: ts.get(i).unwrap_or(0),
                namespace: text(key.0, i),
                metric: text(key.1, i),
                dimensions: text(key.2, i),
                statistic: text(key.3, i),
            })
            .collect()
    };
    let frame = with_ids
        .lazy()
        .unique_stable_generic(
            Some(vec![col(TS), col("series_id")]),
            UniqueKeepStrategy::Last,
        )
        .drop(cols(["series_id", "from_new"]))
        .collect()?;
    Ok(Merged {
        frame,
        changed,
        contradicted: contradicted_count,
        contradictions,
    })
}

/// The series number of every datapoint, and whether each series' timestamps strictly rise.
fn series_ids<'a>(rows: impl Iterator<Item = Row<'a>>) -> (Vec<u32>, bool) {
    type Key<'k> = (&'k str, &'k str, &'k str, &'k str);
    let mut index: PlHashMap<Key<'a>, u32> = PlHashMap::new();
    let mut last_ts: Vec<i64> = Vec::new();
    let mut recent: Vec<(Key<'a>, u32)> = Vec::with_capacity(8);
    let mut ordered = true;
    let mut ids = Vec::new();
    for (t, key, _) in rows {
        let id = match recent.iter().find(|(k, _)| *k == key) {
            Some((_, id)) => *id,
            None => {
                let next = index.len() as u32;
                let id = *index.entry(key).or_insert(next);
                if id == next {
                    last_ts.push(i64::MIN);
                }
                if recent.len() == 8 {
                    recent.remove(0);
                }
                recent.push((key, id));
                id
            }
        };
        if t <= last_ts[id as usize] {
            ordered = false;
        }
        last_ts[id as usize] = t;
        ids.push(id);
    }
    (ids, ordered)
}

/// The last timestamp of each series, by (namespace, metric, dimensions, statistic).
pub type LastTimestamps = std::collections::HashMap<(String, String, String, String), i64>;

/// The last stored timestamp of every series: (namespace, metric, dimensions, statistic).
pub fn last_timestamps(df: &DataFrame) -> PolarsResult<LastTimestamps> {
    let last = df
        .clone()
        .lazy()
        .group_by([col(NAMESPACE), col(METRIC), col(DIMENSIONS), col(STATISTIC)])
        .agg([col(TS).max()])
        .collect()?;
    let key = Columns::key_columns(&last)?;
    let ts = last.column(TS)?.i64()?;
    let mut out = std::collections::HashMap::new();
    for i in 0..last.height() {
        let s = |ca: &StringChunked| ca.get(i).unwrap_or("").to_string();
        if let Some(t) = ts.get(i) {
            out.insert((s(key.0), s(key.1), s(key.2), s(key.3)), t);
        }
    }
    Ok(out)
}
