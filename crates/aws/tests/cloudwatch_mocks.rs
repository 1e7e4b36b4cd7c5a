//! What moto cannot show: GetMetricData and ListMetrics pagination, throttling and retries,
//! and the 500-queries-a-call limit, through aws-smithy-mocks rules on the real SDK client.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::config::retry::RetryConfig;
use aws_sdk_cloudwatch::error::ErrorMetadata;
use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::operation::list_metrics::ListMetricsOutput;
use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataResult};
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use ladderwise_aws::PullError;
use ladderwise_aws::cloudwatch::{Series, get_metric_data, list_metrics, period_for_age};

fn series(n: usize) -> Vec<Series> {
    (0..n)
        .map(|i| Series {
            namespace: "AWS/CloudFront".into(),
            metric: "Requests".into(),
            dimensions: vec![("DistributionId".into(), format!("E{i}"))],
            statistic: "Sum".into(),
            period: 3600,
        })
        .collect()
}

fn result(id: &str, ts_ms: i64, value: f64) -> MetricDataResult {
    MetricDataResult::builder()
        .id(id)
        .timestamps(DateTime::from_millis(ts_ms))
        .values(value)
        .build()
}

fn throttled() -> GetMetricDataError {
    GetMetricDataError::generic(
        ErrorMetadata::builder()
            .code("Throttling")
            .message("Rate exceeded")
            .build(),
    )
}

const HOUR: i64 = 3_600_000;

#[tokio::test]
async fn every_page_of_get_metric_data_is_followed() {
    let rule = mock!(Client::get_metric_data)
        .sequence()
        .output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("q0", 0, 1.0))
                .next_token("page-2")
                .build()
        })
        .output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("q0", HOUR, 2.0))
                .metric_data_results(result("q1", HOUR, 5.0))
                .build()
        })
        .build();
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&rule]);
    let points = get_metric_data(&client, &series(2), 0, 2 * HOUR, |_| {}, 3)
        .await
        .unwrap();
    assert_eq!(rule.num_calls(), 2);
    let got: Vec<(usize, i64, f64)> = points
        .iter()
        .map(|p| (p.index, p.timestamp_ms, p.value))
        .collect();
    assert_eq!(got, vec![(0, 0, 1.0), (0, HOUR, 2.0), (1, HOUR, 5.0)]);
}

#[tokio::test]
async fn a_throttled_call_is_retried() {
    let rule = mock!(Client::get_metric_data)
        .sequence()
        .error(throttled)
        .output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("q0", 0, 7.0))
                .build()
        })
        .build();
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&rule], |c| {
        c.retry_config(RetryConfig::standard().with_max_attempts(3))
    });
    let points = get_metric_data(&client, &series(1), 0, HOUR, |_| {}, 3)
        .await
        .unwrap();
    assert_eq!(rule.num_calls(), 2);
    assert_eq!(points.len(), 1);
}

#[tokio::test]
async fn throttling_to_the_end_says_so() {
    let rule = mock!(Client::get_metric_data)
        .sequence()
        .error(throttled)
        .repeatedly()
        .build();
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&rule], |c| {
        c.retry_config(RetryConfig::standard().with_max_attempts(3))
    });
    let err = get_metric_data(&client, &series(1), 0, HOUR, |_| {}, 3)
        .await
        .unwrap_err();
    assert!(matches!(err, PullError::Throttled { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("kept throttling GetMetricData after 3 attempts")
    );
    assert_eq!(rule.num_calls(), 3);
}

#[tokio::test]
async fn more_than_500_series_take_more_than_one_call() {
    // 501 series: one call of 500 queries and one of 1, each result keeps its series.
    let rule = mock!(Client::get_metric_data)
        .match_requests(|r| {
            !r.metric_data_queries().is_empty() && r.metric_data_queries().len() <= 500
        })
        .then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(result("q0", 0, 1.0))
                .build()
        });
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
    let points = get_metric_data(&client, &series(501), 0, HOUR, |_| {}, 3)
        .await
        .unwrap();
    assert_eq!(rule.num_calls(), 2);
    let indexes: Vec<usize> = points.iter().map(|p| p.index).collect();
    assert_eq!(indexes, vec![0, 500]);
}

#[tokio::test]
async fn list_metrics_follows_pages_and_drops_repeats() {
    let metric = |id: &str| {
        Metric::builder()
            .namespace("AWS/CloudFront")
            .metric_name("Requests")
            .dimensions(
                Dimension::builder()
                    .name("DistributionId")
                    .value(id)
                    .build(),
            )
            .dimensions(Dimension::builder().name("Region").value("Global").build())
            .build()
    };
    let rule = mock!(Client::list_metrics)
        .sequence()
        .output(move || {
            ListMetricsOutput::builder()
                .metrics(metric("E1"))
                .metrics(metric("E1"))
                .next_token("page-2")
                .build()
        })
        .output(move || ListMetricsOutput::builder().metrics(metric("E2")).build())
        .build();
    let client = mock_client!(aws_sdk_cloudwatch, RuleMode::Sequential, [&rule]);
    let listed = list_metrics(&client, "AWS/CloudFront", None, 3)
        .await
        .unwrap();
    assert_eq!(rule.num_calls(), 2);
    assert_eq!(listed.len(), 2, "{listed:?}");
}

#[test]
fn periods_follow_cloudwatch_retention() {
    let day = 86_400_000;
    assert_eq!(period_for_age(14 * day), 60);
    assert_eq!(period_for_age(30 * day), 300);
    assert_eq!(period_for_age(90 * day), 3600);
}
