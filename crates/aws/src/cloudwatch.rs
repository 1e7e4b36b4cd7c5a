//! CloudWatch: discover the series (ListMetrics) and read their datapoints (GetMetricData).
//!
//! GetMetricData takes at most 500 queries a call and returns at most 100,800 datapoints a
//! query, so the series are sent 500 at a time over time windows no longer than 100,800
//! periods, and every page of every call is followed. The period fits CloudWatch's retention:
//! 1-minute data is kept 15 days, 5-minute data 63 days, 1-hour data 455 days.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};

use crate::{Connection, Progress, PullError, classify, credentials_checked};

/// The most queries one GetMetricData call takes.
pub const MAX_QUERIES: usize = 500;
/// The most datapoints one query returns.
pub const MAX_DATAPOINTS: i64 = 100_800;

/// One series to read: a metric with its dimensions and the statistic wanted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub namespace: String,
    pub metric: String,
    pub dimensions: Vec<(String, String)>,
    pub statistic: String,
    /// Seconds per datapoint.
    pub period: i32,
}

/// A datapoint of `series[index]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Datapoint {
    pub index: usize,
    pub timestamp_ms: i64,
    pub value: f64,
}

/// The longest period that still has data `age_ms` old: CloudWatch keeps 1-minute data for
/// 15 days, 5-minute data for 63 days and 1-hour data for 455 days.
pub fn period_for_age(age_ms: i64) -> i32 {
    const DAY: i64 = 86_400_000;
    if age_ms <= 15 * DAY {
        60
    } else if age_ms <= 63 * DAY {
        300
    } else {
        3600
    }
}

pub async fn connect(c: &Connection) -> Result<Client, PullError> {
    let config = credentials_checked(c).await?;
    Ok(Client::new(&config))
}

/// Every metric of `namespace` (optionally one name) with its dimensions.
pub async fn list_metrics(
    client: &Client,
    namespace: &str,
    metric: Option<&str>,
    attempts: u32,
) -> Result<Vec<(String, Vec<(String, String)>)>, PullError> {
    let mut request = client.list_metrics().namespace(namespace);
    if let Some(m) = metric {
        request = request.metric_name(m);
    }
    let mut pages = request.into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| classify("ListMetrics", e, attempts))?;
        for m in page.metrics() {
            let dims: Vec<(String, String)> = m
                .dimensions()
                .iter()
                .filter_map(|d| Some((d.name()?.to_string(), d.value()?.to_string())))
                .collect();
            let entry = (m.metric_name().unwrap_or_default().to_string(), dims);
            // A metric with several dimensions can be listed more than once.
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
    }
    Ok(out)
}

fn query(id: String, s: &Series) -> MetricDataQuery {
    let mut metric = Metric::builder()
        .namespace(&s.namespace)
        .metric_name(&s.metric);
    for (name, value) in &s.dimensions {
        metric = metric.dimensions(Dimension::builder().name(name).value(value).build());
    }
    let stat = MetricStat::builder()
        .metric(metric.build())
        .period(s.period)
        .stat(&s.statistic)
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(stat)
        .return_data(true)
        .build()
}

/// Reads `series` from `start_ms` to `end_ms`, 500 series a call, in windows of at most
/// 100,800 periods, every page followed.
pub async fn get_metric_data(
    client: &Client,
    series: &[Series],
    start_ms: i64,
    end_ms: i64,
    mut progress: impl FnMut(Progress),
    attempts: u32,
) -> Result<Vec<Datapoint>, PullError> {
    let mut out = Vec::new();
    let mut pages_read = 0;
    for (chunk_index, chunk) in series.chunks(MAX_QUERIES).enumerate() {
        let longest_period = chunk.iter().map(|s| s.period).min().unwrap_or(60).max(1);
        let window = i64::from(longest_period) * 1000 * MAX_DATAPOINTS;
        let mut from = start_ms;
        while from < end_ms {
            let to = (from + window).min(end_ms);
            let mut request = client
                .get_metric_data()
                .start_time(DateTime::from_millis(from))
                .end_time(DateTime::from_millis(to));
            for (i, s) in chunk.iter().enumerate() {
                request = request.metric_data_queries(query(format!("q{i}"), s));
            }
            let mut pages = request.into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| classify("GetMetricData", e, attempts))?;
                pages_read += 1;
                for result in page.metric_data_results() {
                    let Some(i) = result
                        .id()
                        .and_then(|id| id.strip_prefix('q'))
                        .and_then(|n| n.parse::<usize>().ok())
                    else {
                        continue;
                    };
                    for (t, v) in result.timestamps().iter().zip(result.values()) {
                        out.push(Datapoint {
                            index: chunk_index * MAX_QUERIES + i,
                            timestamp_ms: t.to_millis().unwrap_or_default(),
                            value: *v,
                        });
                    }
                }
                progress(Progress::Page {
                    service_code: "CloudWatch".into(),
                    page: pages_read,
                    records: out.len(),
                });
            }
            from = to;
        }
    }
    Ok(out)
}
