//! Usage on the user's machine: the local store of metric series, CSV import and export, and
//! calibration of a scenario from the monthly drivers with a backtest.
//!
//! The store is one CSV file, `$XDG_DATA_HOME/ladderwise/usage/series.csv`, with the columns
//! `timestamp,namespace,metric,dimensions,statistic,value` (ISO 8601 UTC timestamps). Every
//! write goes to a temporary file, is flushed and renamed, so an interrupted import loses
//! nothing already stored.

use std::path::{Path, PathBuf};

use ladderwise_model::engine::drivers::Drivers;
use ladderwise_model::engine::{Estimate, Service};
use ladderwise_model::scenario::edit::{Edit, apply};
use ladderwise_model::units::{Minutes, Usd};
use ladderwise_model::{PriceBook, Scenario, estimate};
use ladderwise_usage::calendar::{format_iso, parse_iso};
use ladderwise_usage::{MonthDrivers, Point, monthly_drivers};
use rust_decimal::Decimal;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};

use crate::{AppError, write_atomic};

pub const HEADER: &str = "timestamp,namespace,metric,dimensions,statistic,value";

pub fn store_path() -> PathBuf {
    crate::snapshots::data_dir().join("usage/series.csv")
}

/// Splits one CSV line into fields (RFC 4180 quoting).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Reads series CSV text. Every bad line is reported with its number and what to write.
pub fn parse_csv(file: &str, text: &str) -> Result<Vec<Point>, AppError> {
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, l)| l.trim()).unwrap_or("");
    if header != HEADER {
        return Err(AppError::Usage(format!(
            "{file}:1: the first line is `{header}`\nhint: usage files start with the header `{HEADER}`"
        )));
    }
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f = fields(line);
        let n = i + 1;
        if f.len() != 6 {
            problems.push(format!(
                "{file}:{n}: {} fields where 6 are needed\nhint: write timestamp,namespace,metric,dimensions,statistic,value; quote a field that holds a comma",
                f.len()
            ));
            continue;
        }
        let Some(ts) = parse_iso(&f[0]) else {
            problems.push(format!(
                "{file}:{n}: `{}` is not a UTC timestamp\nhint: write e.g. 2026-09-01T00:00:00Z",
                f[0]
            ));
            continue;
        };
        let value = match f[5].trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => v,
            _ => {
                problems.push(format!(
                    "{file}:{n}: `{}` is not a value\nhint: write a finite number of 0 or more in the metric's unit (bytes, counts, milliseconds, percent)",
                    f[5]
                ));
                continue;
            }
        };
        points.push(Point {
            timestamp_ms: ts,
            namespace: f[1].trim().to_string(),
            metric: f[2].trim().to_string(),
            dimensions: f[3].trim().to_string(),
            statistic: f[4].trim().to_string(),
            value,
        });
    }
    if problems.is_empty() {
        Ok(points)
    } else {
        Err(AppError::Usage(problems.join("\n")))
    }
}

pub fn to_csv(points: &[Point]) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for p in points {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            format_iso(p.timestamp_ms),
            quote(&p.namespace),
            quote(&p.metric),
            quote(&p.dimensions),
            quote(&p.statistic),
            p.value
        ));
    }
    out
}

/// Everything in the store (empty when there is no store yet).
pub fn load_store() -> Result<Vec<Point>, AppError> {
    let path = store_path();
    match std::fs::read_to_string(&path) {
        Ok(text) => parse_csv(&path.display().to_string(), &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(AppError::Read { path, source }),
    }
}

fn key(p: &Point) -> (i64, &str, &str, &str, &str) {
    (
        p.timestamp_ms,
        &p.namespace,
        &p.metric,
        &p.dimensions,
        &p.statistic,
    )
}

/// Adds `new` to the store: a datapoint already stored is replaced by the new one. Returns how
/// many datapoints were new.
pub fn import(new: Vec<Point>) -> Result<usize, AppError> {
    let mut all = load_store()?;
    let before = all.len();
    all.extend(new);
    // Stable sort keeps the imported copy after the stored one; dedup keeps the last.
    all.sort_by(|a, b| key(a).cmp(&key(b)));
    let mut merged: Vec<Point> = Vec::with_capacity(all.len());
    for p in all {
        match merged.last_mut() {
            Some(last) if key(last) == key(&p) => *last = p,
            _ => merged.push(p),
        }
    }
    let added = merged.len() - before;
    let path = store_path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| AppError::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    write_atomic(&path, to_csv(&merged).as_bytes())?;
    Ok(added)
}

pub fn import_file(path: &Path) -> Result<usize, AppError> {
    let text = std::fs::read_to_string(path).map_err(|source| AppError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    import(parse_csv(&path.display().to_string(), &text)?)
}

pub fn months() -> Result<Vec<MonthDrivers>, AppError> {
    Ok(monthly_drivers(&load_store()?)?)
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
    let per_watch_minute =
        d.avg_bitrate.bytes_over(one_minute).0 * (Decimal::ONE + s.ladder.packaging_overhead);
    if m.delivered_bytes > 0.0 && !per_watch_minute.is_zero() {
        let watch = dec(m.delivered_bytes) / per_watch_minute;
        out.audience.watch_minutes_per_month = Minutes(watch);
        edits.push(edit(
            "audience",
            "watch_minutes_per_month",
            minutes_text(watch),
        ));
    } else {
        notes.push("no CloudFront BytesDownloaded: watch time kept".into());
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
    if m.video_output_minutes() > 0.0 {
        let new = dec(m.video_output_minutes()) / rungs;
        out.content.new_minutes_per_month = Minutes(new);
        edits.push(edit("content", "new_minutes_per_month", minutes_text(new)));
    } else {
        notes.push("no MediaConvert output durations: new content kept".into());
    }
    let stored: f64 = m.stored_bytes.values().sum();
    let per_content_minute = d
        .rungs
        .iter()
        .fold(Decimal::ZERO, |acc, r| acc + r.bytes_per_content_minute.0)
        + s.content.source_bitrate.bytes_over(one_minute).0;
    if stored > 0.0 && !per_content_minute.is_zero() {
        let library = dec(stored) / per_content_minute;
        out.content.library_minutes = Minutes(library);
        edits.push(edit("content", "library_minutes", minutes_text(library)));
    } else {
        notes.push("no S3 BucketSizeBytes: library kept".into());
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
pub fn calibrated_text(source: &str, c: &Calibration) -> Option<String> {
    apply(source, &c.edits)
}

/// One month of the backtest.
pub struct BacktestRow {
    pub month: String,
    pub full: bool,
    pub modelled: Estimate,
    pub actual: Estimate,
}

impl BacktestRow {
    /// (modelled − actual) ÷ actual, in percent; `None` when the actual cost is zero.
    pub fn error_percent(&self) -> Option<f64> {
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
        .map(|m| BacktestRow {
            month: m.month.clone(),
            full: m.is_full(),
            modelled: modelled.clone(),
            actual: estimate(&calibrate(s, m).scenario, book),
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
    // The last stored datapoint of every series, in one pass over the store.
    let mut last_stored: std::collections::HashMap<(String, String, String, String), i64> =
        std::collections::HashMap::new();
    for p in load_store()? {
        let t = p.timestamp_ms;
        let last = last_stored
            .entry((p.namespace, p.metric, p.dimensions, p.statistic))
            .or_insert(t);
        *last = (*last).max(t);
    }
    let mut report = PullReport {
        series: series.len(),
        ..PullReport::default()
    };
    let default_from = req.to_ms - 93 * DAY_MS;
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
        // S3 storage metrics are daily; the rest get the finest period the start's age keeps.
        s.period = if s.namespace == "AWS/S3" {
            86_400
        } else {
            ladderwise_aws::cloudwatch::period_for_age(req.to_ms - from)
        };
        let step = i64::from(s.period) * 1000;
        let start = match last {
            Some(t) => (t + step).max(from),
            None => from,
        };
        if start >= req.to_ms {
            report.up_to_date += 1;
            continue;
        }
        match groups.iter_mut().find(|(k, _)| *k == (start, s.period)) {
            Some((_, v)) => v.push(s),
            None => groups.push(((start, s.period), vec![s])),
        }
    }
    let mut points = Vec::new();
    for ((start, _), group) in &groups {
        let data =
            cloudwatch::get_metric_data(&client, group, *start, req.to_ms, &mut progress, attempts)
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
        import(points)?
    };
    Ok(report)
}

fn dimensions_text(dims: &[(String, String)]) -> String {
    let pairs: Vec<(&str, &str)> = dims.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ladderwise_usage::dimensions(&pairs)
}
