//! Usage on the user's machine: the local store of metric series, CSV import and export, and
//! calibration of a scenario from the monthly drivers with a backtest.
//!
//! The store is columnar: `$XDG_DATA_HOME/ladderwise/usage/month=YYYY-MM/part.parquet`, one
//! Parquet file per UTC calendar month with the columns of [`ladderwise_usage::frame`]. An
//! import rewrites only the months it touches, all or nothing (see
//! [`ladderwise_usage::partitions`]). CSV, `timestamp,namespace,metric,dimensions,statistic,
//! value` with ISO 8601 UTC timestamps, is the exchange format of `import` and `export`.

use std::io::{BufRead as _, Read as _};
use std::path::{Path, PathBuf};

use ladderwise_model::engine::drivers::{Drivers, sent_per_watched};
use ladderwise_model::engine::storage::held_minute_months;
use ladderwise_model::engine::{Estimate, Service};
use ladderwise_model::scenario::edit::{Edit, apply};
use ladderwise_model::units::{Minutes, Usd};
use ladderwise_model::{PriceBook, Scenario, estimate};
use ladderwise_usage::calendar::{days_from_civil, days_in_month, format_iso, parse_iso};
use ladderwise_usage::{MonthDrivers, Point, UsageError, frame, partitions};
use polars::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::AppError;

pub const HEADER: &str = "timestamp,namespace,metric,dimensions,statistic,value";
const COLUMNS: [&str; 6] = [
    "timestamp",
    "namespace",
    "metric",
    "dimensions",
    "statistic",
    "value",
];

/// The store's directory.
pub fn store_path() -> PathBuf {
    crate::snapshots::data_dir().join("usage")
}

/// The single CSV file earlier versions kept the store in; read once and converted.
fn legacy_store() -> PathBuf {
    store_path().join("series.csv")
}

fn frame_error(e: PolarsError) -> AppError {
    AppError::UsageFrame(UsageError::Polars(e))
}

/// Checks that `path` starts with the usage header.
fn check_header(path: &Path) -> Result<(), AppError> {
    let read_err = |source| AppError::Read {
        path: path.to_path_buf(),
        source,
    };
    // The first line, at most 4 KB of it: a file with no newline, or lines ended by a lone
    // carriage return, is one long line, not something to read whole and echo.
    let mut first = Vec::new();
    std::io::BufReader::new(std::fs::File::open(path).map_err(read_err)?)
        .take(4096)
        .read_until(b'\n', &mut first)
        .map_err(read_err)?;
    if let Some(cr) = first.iter().position(|b| *b == b'\r') {
        // A carriage return with more of the line after it ends lines on its own (old Mac
        // files), which the CSV reader would take for one line of no datapoints.
        if first.get(cr + 1).is_some_and(|b| *b != b'\n') {
            return Err(AppError::Usage(format!(
                "{}:1: lines end with a lone carriage return\nhint: save the file with LF (or CRLF) line endings",
                path.display()
            )));
        }
        first.truncate(cr);
    }
    let first = crate::utf8_text(path, first)?;
    let header = first.trim_start_matches('\u{feff}').trim();
    // Names may be quoted, as a spreadsheet writes every field.
    let names: Vec<&str> = header
        .split(',')
        .map(|f| f.trim().trim_matches('"'))
        .collect();
    if names.join(",") != HEADER {
        let shown: String = header.chars().take(120).collect();
        let more = if shown.len() < header.len() {
            "…"
        } else {
            ""
        };
        return Err(AppError::Usage(format!(
            "{}:1: the first line is `{shown}{more}`\nhint: usage files start with the header `{HEADER}`",
            path.display()
        )));
    }
    Ok(())
}

/// The columns of a usage CSV as polars reads them: all as text. The value is read as a
/// number by [`number`], the rule the line-by-line reading applies too; polars' own number
/// parser panics on a lone quote in a numeric field (found by fuzzing), its text parser
/// refuses it.
fn csv_schema() -> SchemaRef {
    let schema: Schema = COLUMNS
        .iter()
        .map(|c| Field::new((*c).into(), DataType::String))
        .collect();
    Arc::new(schema)
}

/// Reads a usage CSV file into one frame of datapoints (see [`read_csv_file`]).
pub fn parse_csv_file(path: &Path) -> Result<DataFrame, AppError> {
    let mut all: Option<DataFrame> = None;
    read_csv_file(path, ImportLimits::default().chunk_bytes, |part| {
        match part {
            Part::Again => all = None,
            Part::Datapoints(df) => match &mut all {
                None => all = Some(df),
                Some(a) => {
                    a.vstack_mut_owned(df).map_err(frame_error)?;
                }
            },
        }
        Ok(())
    })?;
    match all {
        Some(df) => Ok(df),
        None => frame::empty().map_err(frame_error),
    }
}

/// What [`read_csv_file`] hands on.
pub enum Part {
    /// The datapoints of the next chunk of the file.
    Datapoints(DataFrame),
    /// Forget the chunks handed on so far: the file is read again line by line, and either
    /// its datapoints follow, in frames, or the read ends in an error naming its bad lines.
    Again,
}

/// Reads a usage CSV file as `usage import` does: the header checked, then polars reads
/// chunks of about `chunk_bytes` (see [`ImportLimits`]) and hands each chunk's datapoints to
/// `each`. When a line is not a datapoint, the file is read again line by line with the
/// `csv` crate: `each` gets [`Part::Again`], then either an error says which lines and why,
/// or (a file polars could not read in chunks, every line good) the whole file's datapoints
/// follow in frames of a million.
pub fn read_csv_file(
    path: &Path,
    chunk_bytes: usize,
    mut each: impl FnMut(Part) -> Result<(), AppError>,
) -> Result<(), AppError> {
    check_header(path)?;
    let datapoints = |df: DataFrame| -> Result<Part, AppError> {
        Ok(Part::Datapoints(
            frame::with_canonical_dimensions(df).map_err(frame_error)?,
        ))
    };
    let whole = for_each_chunk(path, chunk_bytes.max(1), |df| each(datapoints(df)?))?;
    if !whole {
        each(Part::Again)?;
        parse_lines(path, &path.display().to_string(), LINE_BATCH, |df| {
            each(datapoints(df)?)
        })?;
    }
    Ok(())
}

/// What an import of a usage file holds in memory at most, besides the one month it merges
/// at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    /// Bytes of CSV text parsed at a time: an import never holds the whole file's text.
    pub chunk_bytes: usize,
    /// Bytes of datapoints kept in memory before they are staged, by month, in files (see
    /// [`partitions::Staging`]).
    pub staging_budget: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            chunk_bytes: 64 << 20,
            staging_budget: 256 << 20,
        }
    }
}

/// Reads `path` in chunks of about `chunk_bytes` cut at line ends (never inside a quoted
/// field) and gives each chunk's datapoints to `each`. `Ok(false)` when a chunk has a line
/// that is not a datapoint: the caller reads the file line by line to say which.
fn for_each_chunk(
    path: &Path,
    chunk_bytes: usize,
    mut each: impl FnMut(DataFrame) -> Result<(), AppError>,
) -> Result<bool, AppError> {
    let read_err = |source| AppError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut reader =
        std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path).map_err(read_err)?);
    let mut header = Vec::new();
    reader.read_until(b'\n', &mut header).map_err(read_err)?;
    let schema = csv_schema();
    // One buffer for every chunk: a fresh 64 MB buffer a chunk cost as much in page faults
    // as reading the text. No larger than the file.
    let size = reader.get_ref().metadata().map_or(0, |m| m.len());
    let mut chunk = Vec::with_capacity(
        header.len() + chunk_bytes.min(usize::try_from(size).unwrap_or(usize::MAX)) + (64 << 10),
    );
    loop {
        chunk.clear();
        chunk.extend_from_slice(&header);
        let body = chunk.len();
        (&mut reader)
            .take(chunk_bytes as u64)
            .read_to_end(&mut chunk)
            .map_err(read_err)?;
        if chunk.len() == body {
            return Ok(true);
        }
        // To the end of the line, and on while a quote is open (a field may hold a newline),
        // the quotes counted once each. A quote still open a megabyte on is no field's: the
        // chunk is cut there, and the line-by-line reading names the line.
        let mut quotes = memchr::memchr_iter(b'"', &chunk[body..]).count();
        let full = chunk.len();
        while !(quotes.is_multiple_of(2) && chunk.ends_with(b"\n")) && chunk.len() - full < 1 << 20
        {
            let from = chunk.len();
            if reader.read_until(b'\n', &mut chunk).map_err(read_err)? == 0 {
                break;
            }
            quotes += memchr::memchr_iter(b'"', &chunk[from..]).count();
        }
        // A quote never closed is no datapoint, and polars' reader panics on one left open at
        // the end of its text (found by fuzzing): the line-by-line reading names the line.
        if !quotes.is_multiple_of(2) {
            return Ok(false);
        }
        let text = CsvReadOptions::default()
            .with_has_header(true)
            .with_schema(Some(schema.clone()))
            .into_reader_with_file_handle(std::io::Cursor::new(chunk.as_slice()))
            .finish();
        match text.ok().and_then(|df| datapoints(&df).transpose()) {
            Some(Ok(df)) => each(df)?,
            Some(Err(e)) => return Err(frame_error(e)),
            None => return Ok(false),
        }
    }
}

/// The datapoints of a frame of CSV text; `None` when a row is not one.
fn datapoints(text: &DataFrame) -> PolarsResult<Option<DataFrame>> {
    let (times, values) = (
        text.column("timestamp")?.str()?,
        text.column("value")?.str()?,
    );
    let read_times = || {
        let mut day_cache = ([0u8; 10], 0i64);
        times
            .iter()
            .map(|t| t.and_then(|t| timestamp(t, &mut day_cache)))
            .collect::<Option<Vec<i64>>>()
    };
    let read_values = || {
        values
            .iter()
            .map(|v| v.and_then(number))
            .collect::<Option<Vec<f64>>>()
    };
    // A large chunk's two columns are read side by side, one on each core; a small one's
    // would wait longer for the second thread than it takes to read.
    let (ts, value) = if text.height() >= 1 << 16 {
        rayon::join(read_times, read_values)
    } else {
        (read_times(), read_values())
    };
    let (Some(ts), Some(value)) = (ts, value) else {
        return Ok(None);
    };
    // A percentage over 100 is not a datapoint either: the line-by-line reader names it.
    let metrics = text.column("metric")?.str()?;
    if metrics
        .iter()
        .zip(&value)
        .any(|(m, v)| !within_unit(m.unwrap_or_default(), *v))
    {
        return Ok(None);
    }
    // A series CloudWatch could not have sent is not a datapoint either.
    let column = |name: &str| text.column(name).and_then(|c| c.str().cloned());
    let (namespaces, dimensions, statistics) = (
        column("namespace")?,
        column("dimensions")?,
        column("statistic")?,
    );
    let bad_series = namespaces
        .iter()
        .zip(metrics.iter())
        .zip(dimensions.iter())
        .zip(statistics.iter())
        .any(|(((n, m), d), st)| {
            series_problem(
                n.unwrap_or_default(),
                m.unwrap_or_default(),
                d.unwrap_or_default(),
                st.unwrap_or_default(),
            )
            .is_some()
        });
    if bad_series {
        return Ok(None);
    }
    let mut out = text.select(["namespace", "metric", "dimensions", "statistic"])?;
    out.insert_column(0, Column::new(frame::TS.into(), ts))?;
    out.with_column(Column::new(frame::VALUE.into(), value))?;
    Ok(Some(out))
}

/// CloudFront's metrics in percent (CloudFront Developer Guide, "Viewing CloudFront and edge
/// function metrics"): a value over 100 is not one of theirs.
const PERCENT_METRICS: [&str; 4] = [
    "CacheHitRate",
    "4xxErrorRate",
    "5xxErrorRate",
    "TotalErrorRate",
];

/// What makes a series one CloudWatch could not have sent (GetMetricData's MetricStat: a
/// namespace, a metric name, dimensions as `Name=Value` pairs, a statistic), with what to
/// write instead; `None` for a series it could.
fn series_problem(
    namespace: &str,
    metric: &str,
    dimensions: &str,
    statistic: &str,
) -> Option<String> {
    if namespace.trim().is_empty() {
        return Some(
            "the namespace is empty\nhint: write the metric's namespace, e.g. AWS/CloudFront"
                .into(),
        );
    }
    if metric.trim().is_empty() {
        return Some(
            "the metric name is empty\nhint: write the metric's name, e.g. Requests".into(),
        );
    }
    if let Some(pair) = dimensions.split(';').filter(|p| !p.is_empty()).find(|p| {
        p.split_once('=')
            .is_none_or(|(name, _)| name.trim().is_empty())
    }) {
        return Some(format!(
            "the dimension `{pair}` is not Name=Value\nhint: write dimensions as Name=Value pairs joined by `;`, e.g. DistributionId=E2EXAMPLE;Region=Global"
        ));
    }
    // A datapoint has one value of each dimension: a name given twice is no series
    // CloudWatch sends.
    let names: Vec<&str> = dimensions
        .split(';')
        .filter_map(|p| p.split_once('=').map(|(n, _)| n.trim()))
        .collect();
    if let Some(twice) = names
        .iter()
        .enumerate()
        .find_map(|(i, n)| names[..i].contains(n).then_some(*n))
    {
        return Some(format!(
            "the dimension `{twice}` is given twice\nhint: give each dimension once, e.g. DistributionId=E2EXAMPLE;Region=Global"
        ));
    }
    // The statistics CloudWatch computes ("CloudWatch statistics definitions"): the five
    // basic ones, and percentiles and the extended statistics (p99, tm99, wm98, tc(10:20),
    // ts, PR(:300)).
    let basic = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
    let extended = ["p", "tm", "wm", "tc", "ts", "PR"].iter().any(|prefix| {
        statistic
            .strip_prefix(prefix)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_digit() || c == '(')
    });
    // A percentile (p99.9, tm99, wm98, ts95) is of at most 100.
    let past_100 = ["p", "tm", "wm", "ts"].iter().any(|prefix| {
        statistic
            .strip_prefix(prefix)
            .and_then(|rest| rest.parse::<f64>().ok())
            .is_some_and(|p| p > 100.0)
    });
    if (!basic.contains(&statistic) && !extended) || past_100 {
        return Some(format!(
            "`{statistic}` is not a CloudWatch statistic\nhint: write Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99"
        ));
    }
    None
}

/// Whether `value` can be a datapoint of `metric`: at most 100 for a percentage.
fn within_unit(metric: &str, value: f64) -> bool {
    value <= 100.0 || !PERCENT_METRICS.contains(&metric)
}

/// The largest datapoint value stored: a zettabyte, far past any CloudWatch datapoint, so a
/// month's sum of datapoints a minute apart stays within the exact numbers the drivers are
/// priced in (about 7.9e28) instead of becoming 0 there.
const MAX_VALUE: f64 = 1e21;

/// A datapoint's value: a finite number from 0 to [`MAX_VALUE`].
fn number(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=MAX_VALUE).contains(v))
}

/// `YYYY-MM-DDTHH:MM:SSZ` read directly (the date cached, as datapoints come in runs of a
/// day); any other form through [`parse_iso`].
fn timestamp(text: &str, cache: &mut ([u8; 10], i64)) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return parse_iso(text);
    }
    let days = if b[..10] == cache.0 {
        cache.1
    } else {
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        if !(1..=12).contains(&m) || d == 0 || d > i64::from(days_in_month(y, m as u32)) {
            return None;
        }
        let days = days_from_civil(y, m as u32, d as u32);
        cache.0.copy_from_slice(&b[..10]);
        cache.1 = days;
        days
    };
    let (h, mi, s) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000)
}

/// Reads `path` line by line with the `csv` crate: the reader that names every line that is
/// not a datapoint, and the one a file polars could not read in chunks falls back on. A first
/// pass only checks the lines, holding nothing, so a bad line in a large file costs no
/// memory; a file without one is read again and its datapoints go to `each` in frames of at
/// most `batch` rows, so it is never held whole.
fn parse_lines(
    path: &Path,
    file: &str,
    batch: usize,
    mut each: impl FnMut(DataFrame) -> Result<(), AppError>,
) -> Result<(), AppError> {
    read_lines(path, file, |_, _| Ok(()))?;
    let mut points = Vec::new();
    read_lines(path, file, |_, point| {
        points.push(point());
        if points.len() >= batch.max(1) {
            each(frame::from_points(&std::mem::take(&mut points)).map_err(frame_error)?)?;
        }
        Ok(())
    })?;
    if !points.is_empty() {
        each(frame::from_points(&points).map_err(frame_error)?)?;
    }
    Ok(())
}

/// Reads `path` line by line, handing `on_point` each datapoint's line and the datapoint (to
/// build, if it wants it)
/// until a line is not one; then the error names that line, up to `SHOWN_PROBLEMS` lines in
/// all, and counts the rest.
fn read_lines(
    path: &Path,
    file: &str,
    mut on_point: impl FnMut(u64, &dyn Fn() -> Point) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_path(path)
        .map_err(|e| AppError::Usage(format!("{file}: {e}")))?;
    let mut problems: Vec<String> = Vec::new();
    let mut more_problems = 0usize;
    let mut problem = |problems: &mut Vec<String>, text: String| {
        if problems.len() < SHOWN_PROBLEMS {
            problems.push(text);
        } else {
            more_problems += 1;
        }
    };
    let mut cache = ([0u8; 10], 0i64);
    // Bytes first, then text: the csv crate's own UTF-8 error can name the line before the
    // record's (the header's, for the first record), while a byte record knows its own.
    for record in reader.byte_records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problem(
                    &mut problems,
                    format!(
                        "{file}:{line}: {e}\nhint: write UTF-8 text, timestamp,namespace,metric,dimensions,statistic,value"
                    ),
                );
                continue;
            }
        };
        let n = record.position().map_or(0, |p| p.line());
        let record = match csv::StringRecord::from_byte_record(record) {
            Ok(r) => r,
            Err(e) => {
                let field = e.utf8_error().field();
                let column = COLUMNS
                    .get(field)
                    .copied()
                    .unwrap_or("a field past the sixth");
                problem(
                    &mut problems,
                    format!(
                        "{file}:{n}: the {column} field is not UTF-8 text\nhint: save the file as UTF-8 (an editor's \"Save as\" offers the encoding)"
                    ),
                );
                continue;
            }
        };
        if record.len() != 6 {
            problem(
                &mut problems,
                format!(
                    "{file}:{n}: {} fields where 6 are needed\nhint: write timestamp,namespace,metric,dimensions,statistic,value; quote a field that holds a comma",
                    record.len()
                ),
            );
            continue;
        }
        let Some(ts) = timestamp(&record[0], &mut cache) else {
            problem(
                &mut problems,
                format!(
                    "{file}:{n}: `{}` is not a UTC timestamp\nhint: write e.g. 2026-09-01T00:00:00Z",
                    &record[0]
                ),
            );
            continue;
        };
        let Some(value) = number(&record[5]) else {
            problem(
                &mut problems,
                format!(
                    "{file}:{n}: `{}` is not a value\nhint: write a number from 0 to 1e21 in the metric's unit (bytes, counts, milliseconds, percent)",
                    &record[5]
                ),
            );
            continue;
        };
        if let Some(why) = series_problem(&record[1], &record[2], &record[3], &record[4]) {
            problem(&mut problems, format!("{file}:{n}: {why}"));
            continue;
        }
        if !within_unit(&record[2], value) {
            problem(
                &mut problems,
                format!(
                    "{file}:{n}: {} is {value}, over 100 %\nhint: write the percentage CloudWatch reports, from 0 to 100",
                    &record[2]
                ),
            );
            continue;
        }
        // Past the first problem the lines are only checked, to be named.
        if problems.is_empty() {
            on_point(n, &|| Point {
                timestamp_ms: ts,
                namespace: record[1].to_string(),
                metric: record[2].to_string(),
                dimensions: record[3].to_string(),
                statistic: record[4].to_string(),
                value,
            })?;
        }
    }
    if !problems.is_empty() {
        let mut text = problems.join("\n");
        if more_problems > 0 {
            text.push_str(&format!(
                "\n… and {more_problems} more line(s) that are not datapoints"
            ));
        }
        return Err(AppError::Usage(text));
    }
    Ok(())
}

/// The lines that are not datapoints an error names; the rest are counted.
const SHOWN_PROBLEMS: usize = 20;

/// Datapoints per frame when a file is read line by line: about 250 MB of `Point`s, with
/// their strings, before the frame is built from them.
const LINE_BATCH: usize = 1 << 20;

/// The whole store as usage CSV into `out`, ordered by time and series, one month's
/// partition at a time (months do not overlap in time), so memory holds one month whatever
/// the store's size. `usage export` writes it to a file or to standard output. A failed
/// write is `AppError::Write` naming `target` (the file; the caller words standard output
/// its own way).
pub fn export_csv(out: &mut dyn std::io::Write, target: &Path) -> Result<(), AppError> {
    let failed = |e: csv::Error| AppError::Write {
        path: target.to_path_buf(),
        source: match e.into_kind() {
            csv::ErrorKind::Io(source) => source,
            other => std::io::Error::other(format!("{other:?}")),
        },
    };
    let mut w = csv_writer(out);
    w.write_record(COLUMNS).map_err(failed)?;
    for_each_month(|df| write_rows(&mut w, &df, failed))?;
    w.flush().map_err(|e| failed(e.into()))
}

/// `export_csv` into `path`, replaced atomically: a failure half-way leaves the old file.
pub fn export_file(path: &Path) -> Result<(), AppError> {
    let mut failed = None;
    let written = ladderwise_usage::durable::write_with(path, |out| {
        export_csv(out, path).map_err(|e| {
            let io = std::io::Error::other(e.to_string());
            failed = Some(e);
            io
        })
    });
    match (written, failed) {
        (_, Some(e)) => Err(e),
        (Err(source), None) => Err(AppError::Write {
            path: path.to_path_buf(),
            source,
        }),
        (Ok(()), None) => Ok(()),
    }
}

/// Each of the store's month partitions in turn, oldest first: the store is never read
/// whole, whatever its size.
fn for_each_month(mut each: impl FnMut(DataFrame) -> Result<(), AppError>) -> Result<(), AppError> {
    migrate_legacy()?;
    for (_, file) in partitions::months(&store_path())? {
        each(partitions::read(&file)?)?;
    }
    Ok(())
}

fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// One frame's datapoints as CSV rows, ordered by time and series; `failed` words a failed
/// write.
fn write_rows<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    df: &DataFrame,
    failed: impl Fn(csv::Error) -> AppError,
) -> Result<(), AppError> {
    let sorted = df
        .sort(
            [
                frame::TS,
                frame::NAMESPACE,
                frame::METRIC,
                frame::DIMENSIONS,
                frame::STATISTIC,
            ],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .map_err(frame_error)?;
    let c = frame::Columns::of(&sorted).map_err(frame_error)?;
    // Borrowed from the columns: no datapoint is copied out of the frame.
    for (ts, (namespace, metric, dimensions, statistic), value) in c.rows() {
        w.write_record([
            format_iso(ts).as_str(),
            namespace,
            metric,
            dimensions,
            statistic,
            &value.to_string(),
        ])
        .map_err(&failed)?;
    }
    Ok(())
}

/// Everything in the store as datapoints, oldest month first.
pub fn load_store() -> Result<Vec<Point>, AppError> {
    let mut points = Vec::new();
    for_each_month(|df| {
        points.extend(frame::Columns::of(&df).map_err(frame_error)?.points());
        Ok(())
    })?;
    Ok(points)
}

/// The last stored timestamp of every series, read one month's partition at a time (so a
/// pull's memory does not grow with the store): the latest of each month's last.
fn stored_last_timestamps() -> Result<frame::LastTimestamps, AppError> {
    let mut out = frame::LastTimestamps::new();
    for_each_month(|df| {
        for (series, t) in frame::last_timestamps(&df).map_err(frame_error)? {
            let last = out.entry(series).or_insert(t);
            *last = (*last).max(t);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Converts a store kept as one CSV file by an earlier version into partitions.
fn migrate_legacy() -> Result<(), AppError> {
    let legacy = legacy_store();
    if !legacy.is_file() {
        return Ok(());
    }
    let df = parse_csv_file(&legacy)?;
    write_merged(df)?;
    std::fs::remove_file(&legacy).map_err(|source| AppError::Write {
        path: legacy,
        source,
    })
}

/// What an import did to the store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportCount {
    /// Datapoints the store did not hold.
    pub added: usize,
    /// Datapoints given another value (by the store, or earlier in the file), now replaced
    /// by the later one.
    pub changed: usize,
    /// Datapoints the file itself gives two values, the later kept: how many, and the first
    /// of them with their lines (`file:line: …`), for the summary to warn of.
    pub restated: usize,
    pub restated_lines: Vec<String>,
}

/// Adds datapoints to the store: a datapoint already stored (same series, statistic and
/// timestamp) is replaced by the new one; only the months they fall in are rewritten.
pub fn import_frame(new: DataFrame) -> Result<ImportCount, AppError> {
    migrate_legacy()?;
    write_merged(new)
}

/// Merges `new` into the months it touches under the store's lock, held from reading those
/// months to replacing them, so a concurrent import's datapoints are never overwritten.
fn write_merged(new: DataFrame) -> Result<ImportCount, AppError> {
    let held = partitions::lock(&store_path())?;
    let mut staging = partitions::Staging::new(&held, ImportLimits::default().staging_budget);
    stage(&mut staging, &new)?;
    merge_staged(&held, staging, None)
}

/// Adds a frame's datapoints to `staging`, by month.
fn stage(staging: &mut partitions::Staging, new: &DataFrame) -> Result<(), AppError> {
    for (month, rows) in frame::split_by_month(new).map_err(frame_error)? {
        staging.add(month, rows)?;
    }
    Ok(())
}

/// Merges each staged month into the store, one month at a time. When the datapoints come
/// from a file (`from_file`), the datapoints it gives two values are named with their lines
/// (the later value is kept, as an import replaces what is stored, so that an export
/// appended to a fresher one reads as the fresher; but a file that contradicts itself by
/// mistake must not pass unseen).
fn merge_staged(
    held: &partitions::StoreLock,
    mut staging: partitions::Staging,
    from_file: Option<&Path>,
) -> Result<ImportCount, AppError> {
    let dir = held.dir().to_path_buf();
    let mut count = ImportCount::default();
    let mut restated: Vec<frame::Contradiction> = Vec::new();
    let months = staging.months();
    partitions::replace_each(held, &months, |month| {
        let file = partitions::partition_file(&dir, month);
        let stored = if file.is_file() {
            Some(partitions::read(&file)?)
        } else {
            None
        };
        let before = stored.as_ref().map_or(0, DataFrame::height);
        let new = staging.take(month)?;
        if let Some(stored) = &stored {
            let clashes = frame::period_clashes(stored, &new).map_err(frame_error)?;
            if let Some(c) = clashes.first() {
                let from = from_file.map_or(String::new(), |p| format!("{}: ", p.display()));
                let series = format!("{} {} ({})", c.namespace, c.metric, c.dimensions);
                let others = match clashes.len() {
                    1 => String::new(),
                    n => format!(" ({} other series too)", n - 1),
                };
                let store = store_path();
                let store = store.display();
                return Err(AppError::Usage(match c.shifted_ms {
                    Some(off) => format!(
                        "{from}{series} is given every {} as the store has it, but at other times of the period ({} after the store's) in {month}: each new datapoint falls inside a stored one's period, and both would be summed, counting that time twice{others}\nhint: keep one series' datapoints at one time of its period: export both at the same alignment (UTC midnight for daily data), or move the store ({store}) aside and import the datapoints of one alignment into a new one",
                        period_text(c.stored_ms),
                        period_text(off),
                    ),
                    None => format!(
                        "{from}{series} is given every {} but the store has it every {} in {month}: both would be summed, counting the month twice{others}\nhint: keep one period per series: import the file at the store's period, or move the store ({store}) aside and import the datapoints of one period into a new one",
                        period_text(c.new_ms),
                        period_text(c.stored_ms),
                    ),
                }));
            }
        }
        let merged = frame::merge(stored, new).map_err(frame_error)?;
        count.added += merged.frame.height().saturating_sub(before);
        count.changed += merged.changed;
        count.restated += merged.contradicted;
        let room = frame::SHOWN_CONTRADICTIONS.saturating_sub(restated.len());
        restated.extend(merged.contradictions.into_iter().take(room));
        Ok::<_, AppError>(merged.frame)
    })?;
    if let Some(path) = from_file
        && !restated.is_empty()
    {
        count.restated_lines = restated_lines(path, &restated);
    }
    Ok(count)
}

/// A step between datapoints in words: `1 day`, `1 hour`, `5 minutes`, `90 seconds`.
fn period_text(ms: i64) -> String {
    let secs = ms / 1000;
    let (n, unit) = match secs {
        s if s % 86_400 == 0 => (s / 86_400, "day"),
        s if s % 3_600 == 0 => (s / 3_600, "hour"),
        s if s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// Adds datapoints to the store (see [`import_frame`]).
pub fn import(new: Vec<Point>) -> Result<ImportCount, AppError> {
    import_frame(frame::from_points(&new).map_err(frame_error)?)
}

/// Imports a usage CSV file of any size within the default [`ImportLimits`].
pub fn import_file(path: &Path) -> Result<ImportCount, AppError> {
    import_file_within(path, ImportLimits::default())
}

/// Imports a usage CSV file: read a chunk at a time, its datapoints staged by month (in files
/// past the budget), then merged month by month, all under the store's lock. Nothing is
/// written to the store unless every line is a datapoint.
pub fn import_file_within(path: &Path, limits: ImportLimits) -> Result<ImportCount, AppError> {
    // A file that is no usage file is refused before the store is migrated or locked.
    check_header(path)?;
    migrate_legacy()?;
    let held = partitions::lock(&store_path())?;
    let mut staging = partitions::Staging::new(&held, limits.staging_budget);
    read_csv_file(path, limits.chunk_bytes, |part| match part {
        Part::Datapoints(df) => stage(&mut staging, &df),
        Part::Again => {
            staging = partitions::Staging::new(&held, limits.staging_budget);
            Ok(())
        }
    })?;
    merge_staged(&held, staging, Some(path))
}

/// For each of `found`, the lines of `path` that give it more than one value, as
/// `file:line: … is 12 here but 10 on line 2`. The file is read once more, line by line: it
/// is known to be all datapoints, and this happens only when it repeats itself.
fn restated_lines(path: &Path, found: &[frame::Contradiction]) -> Vec<String> {
    let file = path.display().to_string();
    // Per contradiction: the lines that give it, with the value each gives.
    let mut lines: Vec<Vec<(u64, f64)>> = vec![Vec::new(); found.len()];
    let _ = read_lines(path, &file, |n, point| {
        let p = point();
        let dimensions = ladderwise_usage::canonical_dimensions(&p.dimensions);
        for (c, at) in found.iter().zip(lines.iter_mut()) {
            if c.timestamp_ms == p.timestamp_ms
                && c.namespace == p.namespace
                && c.metric == p.metric
                && c.statistic == p.statistic
                && c.dimensions == dimensions
            {
                at.push((n, p.value));
            }
        }
        Ok(())
    });
    found
        .iter()
        .zip(&lines)
        .map(|(c, at)| {
            let what = format!(
                "{} {} ({}, {}) at {}",
                c.namespace,
                c.metric,
                c.statistic,
                c.dimensions,
                format_iso(c.timestamp_ms)
            );
            let first = at.first();
            let differing = at.iter().find(|(_, v)| first.is_some_and(|(_, f)| v != f));
            match (first, differing) {
                (Some((n1, v1)), Some((n2, v2))) => format!(
                    "{file}:{n2}: {what} is {v2} here but {v1} on line {n1}{}",
                    others(at, *n1, *n2)
                ),
                _ => format!("{file}: {what} is given more than one value"),
            }
        })
        .collect()
}

/// The lines past the two a warning names that also give the datapoint, as ", and 12 on
/// line 9".
fn others(at: &[(u64, f64)], shown: u64, differing: u64) -> String {
    let rest: Vec<String> = at
        .iter()
        .filter(|(n, _)| *n != shown && *n != differing)
        .map(|(n, v)| format!("{v} on line {n}"))
        .collect();
    if rest.is_empty() {
        String::new()
    } else {
        format!(", and {}", rest.join(", "))
    }
}

/// The store's monthly drivers, oldest month first, read one month at a time: a partition
/// holds its month's datapoints only and every driver is a sum, mean or rate within a month,
/// so a store of any size is summed with one month in memory (read whole, 12.6 million
/// datapoints took 2.4 GB).
pub fn months() -> Result<Vec<MonthDrivers>, AppError> {
    let mut out = Vec::new();
    for_each_month(|df| {
        out.extend(ladderwise_usage::monthly_drivers_frame(&df)?);
        Ok(())
    })?;
    Ok(out)
}

fn dec(v: f64) -> Decimal {
    Decimal::from_f64(v).unwrap_or_default()
}

/// The scenario's drivers replaced by one month's actuals, with the edits that write them
/// into the scenario file and notes on what could not be derived.
pub struct Calibration {
    pub scenario: Scenario,
    pub edits: Vec<Edit>,
    pub notes: Vec<String>,
}

/// Derives drivers from a month of actuals:
/// - watch minutes = bytes delivered ÷ the bytes one watched minute delivers at the ladder's
///   rung mix (DESIGN.md: watch time implied by bytes ÷ average bitrate);
/// - cache hit rate = the request-weighted CloudFront hit rate;
/// - new content minutes = video output minutes ÷ the number of rungs (one output per rung);
/// - library minutes = stored bytes ÷ the bytes one minute of content stores.
pub fn calibrate(s: &Scenario, m: &MonthDrivers) -> Calibration {
    let d = Drivers::of(s);
    let mut out = s.clone();
    let mut edits = Vec::new();
    let mut notes = Vec::new();
    let minutes_text = |v: Decimal| format!("{:.1}", v.round_dp(1));
    let one_minute = Minutes(Decimal::ONE).seconds();
    // Bytes delivered are bytes sent: per minute watched, the rate a viewer receives with its
    // packaging, over what players fetch and nobody watches (ladderwise_model's
    // `sent_per_watched`: unwatched buffers, preloads).
    let per_watch_minute = d.avg_bitrate.bytes_over(one_minute).0
        * (Decimal::ONE + s.ladder.packaging_overhead)
        * sent_per_watched(s);
    // A month that measured no bytes delivered calibrates to no watch time; one with no
    // datapoint of them keeps the scenario's.
    match m.delivered_bytes {
        Some(bytes) if !per_watch_minute.is_zero() => {
            let watch = dec(bytes) / per_watch_minute;
            if watch.is_zero() {
                notes.push(format!(
                    "CloudFront BytesDownloaded measured 0 bytes in {}: watch time set to 0",
                    m.month
                ));
            }
            out.audience.watch_minutes_per_month = Minutes(watch);
            edits.push(edit(
                "audience",
                "watch_minutes_per_month",
                minutes_text(watch),
            ));
        }
        _ => notes.push("no CloudFront BytesDownloaded: watch time kept".into()),
    }
    if let Some(rate) = m.cache_hit_rate {
        let rate = dec(rate).round_dp(4).clamp(Decimal::ZERO, Decimal::ONE);
        out.delivery.cache_hit_rate = rate;
        edits.push(edit(
            "delivery",
            "cache_hit_rate",
            rate.normalize().to_string(),
        ));
    } else {
        notes.push("no CloudFront CacheHitRate with Requests: hit rate kept".into());
    }
    let rungs = Decimal::from(s.ladder.rungs.len().max(1));
    // As the watch time: a month that measured no output calibrates to no new content; one
    // with no datapoint of it keeps the scenario's.
    if let Some(minutes) = m.measured_video_output_minutes() {
        let new = dec(minutes) / rungs;
        if new.is_zero() {
            notes.push(format!(
                "MediaConvert measured 0 video output minutes in {}: new content set to 0",
                m.month
            ));
        }
        out.content.new_minutes_per_month = Minutes(new);
        edits.push(edit("content", "new_minutes_per_month", minutes_text(new)));
    } else {
        notes.push("no MediaConvert output durations: new content kept".into());
    }
    let stored = m.measured_stored_bytes();
    let per_content_minute = d
        .rungs
        .iter()
        .map(|r| &r.track)
        .chain(&d.audio)
        .fold(Decimal::ZERO, |acc, t| acc + t.bytes_per_content_minute.0)
        + s.content.source_bitrate.bytes_over(one_minute).0;
    if let Some(stored) = stored.filter(|_| !per_content_minute.is_zero()) {
        // The bucket's average holds the month's uploads for part of the month besides the
        // library (as the engine holds them: `held_minute_months`), so they are taken off
        // before what is left is called the library.
        let mut uploads_only = out.clone();
        uploads_only.content.library_minutes = Minutes(Decimal::ZERO);
        let uploads = held_minute_months(&uploads_only);
        let held = dec(stored) / per_content_minute;
        let library = (held - uploads).max(Decimal::ZERO);
        if held.is_zero() {
            notes.push(format!(
                "S3 BucketSizeBytes measured 0 bytes in {}: library set to 0",
                m.month
            ));
        } else if held < uploads {
            notes.push(format!(
                "S3 holds {} content minutes, less than the month's uploads alone ({}): library set to 0",
                minutes_text(held),
                minutes_text(uploads)
            ));
        }
        out.content.library_minutes = Minutes(library);
        edits.push(edit("content", "library_minutes", minutes_text(library)));
    } else {
        notes.push("no S3 BucketSizeBytes: library kept".into());
    }
    if edits.is_empty() {
        notes.push(format!(
            "{} measured none of the series the drivers are read from ({}): the scenario is unchanged; check the statistics the usage was exported with",
            m.month,
            ladderwise_usage::driver_series()
        ));
    }
    Calibration {
        scenario: out,
        edits,
        notes,
    }
}

fn edit(section: &str, key: &str, value: String) -> Edit {
    Edit {
        section: section.into(),
        key: key.into(),
        value,
    }
}

/// The scenario file's text with the calibrated values written in.
pub fn calibrated_text(
    file: &str,
    source: &str,
    c: &Calibration,
    month: &str,
) -> Result<String, AppError> {
    let text = apply(source, &c.edits).ok_or_else(|| {
        AppError::Usage(format!(
            "cannot write the calibrated values into {file}\nhint: check that its [audience], [delivery] and [content] tables are plain tables"
        ))
    })?;
    // What is written is a scenario the reader takes: measured values past a field's rule
    // (a store holding 10^21 bytes a day) are refused here, not in the next command.
    if let Err(e) = Scenario::from_toml(file, &text) {
        return Err(AppError::Usage(format!(
            "the values calibrated from {month} make a scenario that is refused, so nothing was written:\n{e}\nhint: check that month's datapoints in the usage store (`ladderwise usage show`, `ladderwise usage export`): they measure more than a scenario can price"
        )));
    }
    Ok(text)
}

/// The months a calibration draws on, and the one it calibrates from.
pub struct CalibrationSource {
    /// Every month of the store drawn on, oldest first (the backtest's months).
    pub months: Vec<MonthDrivers>,
    /// Index into `months` of the month calibrated from.
    pub chosen: usize,
    /// What the store cannot give for that month (a bill has no hit rate, say).
    pub notes: Vec<String>,
}

impl CalibrationSource {
    pub fn month(&self) -> &MonthDrivers {
        &self.months[self.chosen]
    }
}

/// The months of the usage store (or, `from_actuals`, of the actuals store, its lines of
/// `region` and CloudFront's) and the one to calibrate from: `month` (`YYYY-MM`), or the
/// last full month. A month of the bill is full once it has ended. `book` turns the bill's
/// MediaConvert normalized minutes into output minutes.
pub fn calibration_source(
    from_actuals: bool,
    month: Option<&str>,
    book: &PriceBook,
    region: &str,
) -> Result<CalibrationSource, AppError> {
    let (months, mut notes): (Vec<MonthDrivers>, Vec<Vec<String>>) = if from_actuals {
        let months = crate::actuals::month_drivers(book, region, crate::unix_now())?;
        if months.is_empty() {
            return Err(AppError::Usage(
                "the actuals store is empty\nhint: `ladderwise actuals import PATH` reads a FOCUS 1.2 or CUR 2.0 export".into(),
            ));
        }
        months.into_iter().unzip()
    } else {
        let months = months()?;
        let none = vec![Vec::new(); months.len()];
        (months, none)
    };
    let store = if from_actuals { "actuals" } else { "usage" };
    let chosen = match month {
        Some(label) => {
            let i = months.iter().position(|m| m.month == label).ok_or_else(|| {
                AppError::Usage(format!(
                    "the {store} store has no month {label}\nhint: `ladderwise {store} show` lists the months"
                ))
            })?;
            // Part of a month's traffic taken for the whole month's would understate every
            // driver by the days missing.
            let m = &months[i];
            if !m.is_full() {
                return Err(AppError::Usage(if from_actuals {
                    format!(
                        "{label} has not ended: its bill holds the charges of {} of its {} days, and calibrating from it would take them for the whole month's\nhint: name a month that has ended (`ladderwise actuals show` lists them)",
                        m.days_with_data, m.days_in_month
                    )
                } else {
                    format!(
                        "the usage store has {} of the {} days of {label}: calibrating from it would take part of a month's traffic for the whole month's\nhint: name a full month (`ladderwise usage show` gives each month's days with data), or import the rest of {label}",
                        m.days_with_data, m.days_in_month
                    )
                }));
            }
            i
        }
        None => months.iter().rposition(|m| m.is_full()).ok_or_else(|| {
            AppError::Usage(if from_actuals {
                "the actuals store has no month that has ended\nhint: import the bill of a whole month, or name one with --month YYYY-MM".into()
            } else {
                "the usage store has no full month of CloudFront bytes delivered\nhint: import a whole month, or name one with --month YYYY-MM".into()
            })
        })?,
    };
    Ok(CalibrationSource {
        months,
        chosen,
        notes: std::mem::take(&mut notes[chosen]),
    })
}

/// One month of the backtest.
pub struct BacktestRow {
    pub month: String,
    pub full: bool,
    /// Whether the month measured any driver: one that measured none is the scenario as
    /// written on both sides, which says nothing of the model's error.
    pub measured: bool,
    pub modelled: Estimate,
    pub actual: Estimate,
}

impl BacktestRow {
    /// (modelled − actual) ÷ actual, in percent; `None` when the actual cost is zero or the
    /// month measured no driver.
    pub fn error_percent(&self) -> Option<f64> {
        if !self.measured {
            return None;
        }
        let a = self.actual.total.0.to_f64()?;
        let m = self.modelled.total.0.to_f64()?;
        (a > 0.0).then(|| (m - a) / a * 100.0)
    }

    /// Per service: (service, modelled, implied by actuals).
    pub fn by_service(&self) -> Vec<(Service, Usd, Usd)> {
        let mut services: Vec<Service> = self
            .modelled
            .lines
            .iter()
            .chain(&self.actual.lines)
            .map(|l| l.service)
            .collect();
        services.sort();
        services.dedup();
        services
            .into_iter()
            .map(|s| {
                (
                    s,
                    self.modelled.service_total(s),
                    self.actual.service_total(s),
                )
            })
            .collect()
    }
}

/// For each month of actuals: the scenario as written against the same scenario with that
/// month's drivers.
pub fn backtest(s: &Scenario, book: &PriceBook, months: &[MonthDrivers]) -> Vec<BacktestRow> {
    let modelled = estimate(s, book);
    months
        .iter()
        .map(|m| {
            let c = calibrate(s, m);
            BacktestRow {
                month: m.month.clone(),
                full: m.is_full(),
                measured: !c.edits.is_empty(),
                modelled: modelled.clone(),
                actual: estimate(&c.scenario, book),
            }
        })
        .collect()
}

/// Mean absolute percentage error over the full months that have one: a partial month's
/// actuals cover only part of the month the model prices.
pub fn mape(rows: &[BacktestRow]) -> Option<f64> {
    let errors: Vec<f64> = rows
        .iter()
        .filter(|r| r.full)
        .filter_map(|r| r.error_percent())
        .collect();
    (!errors.is_empty()).then(|| errors.iter().map(|e| e.abs()).sum::<f64>() / errors.len() as f64)
}

/// What to pull from CloudWatch.
#[derive(Clone, Debug)]
pub struct PullRequest {
    pub connection: ladderwise_aws::Connection,
    /// CloudFront distribution ids; empty: every distribution found.
    pub distributions: Vec<String>,
    /// MediaConvert queue ARNs or names; empty: every queue found.
    pub queues: Vec<String>,
    /// S3 bucket names; empty: every bucket found.
    pub buckets: Vec<String>,
    /// Start of the pull; default 93 days before `to_ms`. A series already stored starts
    /// after its last stored datapoint instead.
    pub from_ms: Option<i64>,
    pub to_ms: i64,
}

/// What a pull did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullReport {
    pub series: usize,
    /// Series with nothing newer to read.
    pub up_to_date: usize,
    pub fetched: usize,
    pub added: usize,
}

impl PullReport {
    /// What the pull did, in words.
    pub fn summary(&self) -> String {
        format!(
            "pulled {} series from CloudWatch ({} already up to date): {} datapoints fetched, {} new\nthe store is {}\n",
            self.series,
            self.up_to_date,
            self.fetched,
            self.added,
            store_path().display()
        )
    }
}

/// What an import of `file` added, in words, with a warning naming the datapoints the file
/// gives two values.
pub fn import_summary(file: &Path, count: &ImportCount) -> String {
    let mut text = format!(
        "imported {}: {} new datapoint(s), {} changed value(s) replaced; the store is {}\n",
        file.display(),
        count.added,
        count.changed,
        store_path().display()
    );
    if count.restated > 0 {
        for line in &count.restated_lines {
            text.push_str(&format!("warning: {line}\n"));
        }
        let more = count.restated.saturating_sub(count.restated_lines.len());
        if more > 0 {
            text.push_str(&format!(
                "warning: … and {more} more datapoint(s) the file gives two values\n"
            ));
        }
        text.push_str("hint: of a datapoint the file gives twice, its later line is kept; if the earlier is right, remove the later line and import the file again\n");
    }
    text
}

/// A date or time as typed (`YYYY-MM-DD`, or ISO 8601 UTC), in milliseconds since 1970.
pub fn parse_when(text: &str) -> Result<i64, AppError> {
    let text = text.trim();
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    parse_iso(&full).ok_or_else(|| {
        AppError::Usage(format!(
            "`{text}` is not a date\nhint: write YYYY-MM-DD or e.g. 2026-09-01T00:00:00Z (UTC)"
        ))
    })
}

/// The start and end of a pull from what was typed (either may be left out); the end is
/// `now_ms` (read by the caller) unless given.
pub fn pull_window(
    from: Option<&str>,
    to: Option<&str>,
    now_ms: i64,
) -> Result<(Option<i64>, i64), AppError> {
    let to_ms = to.map(parse_when).transpose()?.unwrap_or(now_ms);
    let from_ms = from.map(parse_when).transpose()?;
    if from_ms.is_some_and(|f| f >= to_ms) {
        return Err(AppError::Usage(
            "--from is not before --to\nhint: give a start earlier than the end".into(),
        ));
    }
    Ok((from_ms, to_ms))
}

/// Metrics of a namespace with the statistic read from each.
type MetricStats = &'static [(&'static str, &'static str)];

/// The metrics read from each namespace, with their statistic, and the dimension that names
/// the resource.
const NAMESPACES: [(&str, &str, MetricStats); 3] = [
    (
        "AWS/CloudFront",
        "DistributionId",
        &[
            ("Requests", "Sum"),
            ("BytesDownloaded", "Sum"),
            ("BytesUploaded", "Sum"),
            ("4xxErrorRate", "Average"),
            ("5xxErrorRate", "Average"),
            ("CacheHitRate", "Average"),
        ],
    ),
    (
        "AWS/MediaConvert",
        "Queue",
        &[
            ("SDOutputDuration", "Sum"),
            ("HDOutputDuration", "Sum"),
            ("UHDOutputDuration", "Sum"),
            ("8KOutputDuration", "Sum"),
            ("AudioOutputDuration", "Sum"),
            ("JobsCompletedCount", "Sum"),
            ("TranscodingTime", "Sum"),
        ],
    ),
    (
        "AWS/S3",
        "BucketName",
        &[
            ("BucketSizeBytes", "Average"),
            ("NumberOfObjects", "Average"),
        ],
    ),
];

const DAY_MS: i64 = 86_400_000;

/// Pulls the usage series from CloudWatch into the store: discovers the series with
/// ListMetrics, reads each from after its last stored datapoint, and adds what is new.
pub async fn pull(
    req: &PullRequest,
    mut progress: impl FnMut(ladderwise_aws::Progress),
) -> Result<PullReport, AppError> {
    use ladderwise_aws::cloudwatch::{self, Series};
    let attempts = req.connection.max_attempts;
    let client = cloudwatch::connect(&req.connection).await?;
    let mut series: Vec<Series> = Vec::new();
    for (namespace, id_dimension, metrics) in NAMESPACES {
        let filter = match namespace {
            "AWS/CloudFront" => &req.distributions,
            "AWS/MediaConvert" => &req.queues,
            _ => &req.buckets,
        };
        progress(ladderwise_aws::Progress::Checking {
            service_code: namespace.to_string(),
        });
        for (metric, dims) in cloudwatch::list_metrics(&client, namespace, None, attempts).await? {
            let Some((_, statistic)) = metrics.iter().find(|(m, _)| *m == metric) else {
                continue;
            };
            let Some(id) = dims.iter().find(|(k, _)| k == id_dimension).map(|(_, v)| v) else {
                continue;
            };
            let named = filter.is_empty()
                || filter
                    .iter()
                    .any(|f| f == id || id.rsplit('/').next() == Some(f.as_str()));
            // CloudFront's metrics live in us-east-1 under Region=Global.
            let global = namespace != "AWS/CloudFront"
                || dims.iter().any(|(k, v)| k == "Region" && v == "Global");
            if named && global {
                series.push(Series {
                    namespace: namespace.to_string(),
                    metric,
                    dimensions: dims,
                    statistic: statistic.to_string(),
                    period: 0,
                });
            }
        }
    }
    // The last stored datapoint of every series, one month of the store at a time.
    let last_stored = off_runtime(stored_last_timestamps)?;
    let mut report = PullReport {
        series: series.len(),
        ..PullReport::default()
    };
    let default_from = req.to_ms - 93 * DAY_MS;
    let now_ms = crate::unix_now() * 1000;
    // Series grouped by where they start and their period, so each group is one read.
    let mut groups: Vec<((i64, i32), Vec<Series>)> = Vec::new();
    for mut s in series {
        let last = last_stored
            .get(&(
                s.namespace.clone(),
                s.metric.clone(),
                dimensions_text(&s.dimensions),
                s.statistic.clone(),
            ))
            .copied();
        let from = req.from_ms.unwrap_or(default_from);
        // S3 storage metrics are daily; the rest get the finest period CloudWatch still keeps
        // for the start's age, which is counted from today, not from the end of the pull.
        s.period = if s.namespace == "AWS/S3" {
            86_400
        } else {
            ladderwise_aws::cloudwatch::period_for_age(now_ms.max(req.to_ms) - from)
        };
        let step = i64::from(s.period) * 1000;
        let start = match last {
            Some(t) => (t + step).max(from),
            None => from,
        };
        // Whole periods only: a period cut by the end of the pull would be stored short, and
        // the next pull, which starts after it, would never read the rest of it.
        if start >= whole_periods_end(req.to_ms, s.period) {
            report.up_to_date += 1;
            continue;
        }
        match groups.iter_mut().find(|(k, _)| *k == (start, s.period)) {
            Some((_, v)) => v.push(s),
            None => groups.push(((start, s.period), vec![s])),
        }
    }
    let mut points = Vec::new();
    for ((start, period), group) in &groups {
        let end = whole_periods_end(req.to_ms, *period);
        let data =
            cloudwatch::get_metric_data(&client, group, *start, end, &mut progress, attempts)
                .await?;
        for d in data {
            let s = &group[d.index];
            points.push(Point {
                timestamp_ms: d.timestamp_ms,
                namespace: s.namespace.clone(),
                metric: s.metric.clone(),
                dimensions: dimensions_text(&s.dimensions),
                statistic: s.statistic.clone(),
                value: d.value,
            });
        }
    }
    report.fetched = points.len();
    report.added = if points.is_empty() {
        0
    } else {
        off_runtime(|| import(points))?.added
    };
    Ok(report)
}

/// The end of the last whole `period` (seconds) before `to_ms`: CloudWatch's periods start
/// at multiples of the period from the epoch, and the one `to_ms` falls in is not over.
fn whole_periods_end(to_ms: i64, period: i32) -> i64 {
    let step = i64::from(period.max(1)) * 1000;
    to_ms - to_ms.rem_euclid(step)
}

/// Runs store work on a thread of its own: polars blocks on its own async runtime to read
/// Parquet, which it may not do inside the caller's (single-threaded) one.
fn off_runtime<T: Send>(work: impl FnOnce() -> Result<T, AppError> + Send) -> Result<T, AppError> {
    std::thread::scope(|s| s.spawn(work).join())
        .unwrap_or_else(|_| Err(AppError::Usage("the usage store work panicked".into())))
}

fn dimensions_text(dims: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = dims.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ladderwise_usage::dimensions(&pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(f: impl FnOnce(&mut MonthDrivers)) -> MonthDrivers {
        let mut m = MonthDrivers {
            month: "2026-07".into(),
            days_with_data: 31,
            days_in_month: 31,
            ..MonthDrivers::default()
        };
        f(&mut m);
        m
    }

    fn edited(c: &Calibration, key: &str) -> Option<String> {
        c.edits
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.value.clone())
    }

    /// A month that measured nothing transcoded and nothing stored calibrates to none, as
    /// the docs say of a measured 0; one that measured no driver at all changes nothing,
    /// says so, and gives the backtest no error to average.
    #[test]
    fn a_measured_zero_is_written_and_nothing_measured_is_no_fit() {
        let s = crate::default_scenario().unwrap();
        let zero = month(|m| {
            m.delivered_bytes = Some(0.0);
            m.output_minutes.insert("HD".into(), 0.0);
            m.stored_bytes.insert("StandardStorage".into(), 0.0);
        });
        let c = calibrate(&s, &zero);
        assert_eq!(edited(&c, "new_minutes_per_month").as_deref(), Some("0.0"));
        assert_eq!(edited(&c, "library_minutes").as_deref(), Some("0.0"));
        assert!(
            c.notes
                .iter()
                .any(|n| n.starts_with("MediaConvert measured 0")),
            "{:?}",
            c.notes
        );
        assert!(
            c.notes
                .iter()
                .any(|n| n.starts_with("S3 BucketSizeBytes measured 0")),
            "{:?}",
            c.notes
        );

        let none = month(|_| {});
        let c = calibrate(&s, &none);
        assert!(c.edits.is_empty());
        assert!(
            c.notes
                .iter()
                .any(|n| n.starts_with("2026-07 measured none of the series")),
            "{:?}",
            c.notes
        );
        let rows = backtest(&s, &crate::shipped_price_book().unwrap(), &[none]);
        assert!(!rows[0].measured);
        assert_eq!(rows[0].error_percent(), None);
        assert_eq!(mape(&rows), None);
    }
}
