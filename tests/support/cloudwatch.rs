//! CloudWatch on 127.0.0.1 as `.ci/run` starts it (LADDERWISE_TEST_CLOUDWATCH): moto behind
//! the project's CBOR-to-JSON translator (tests/support/cbor_shim.py), because the current
//! SDK speaks only Smithy RPC v2 CBOR and moto only JSON. Datapoints go in through the same
//! SDK, and so through the translator, that the pull reads them back with.

/// The translator's URL; without it the test cannot run, and says how to start it.
pub fn url() -> String {
    std::env::var("LADDERWISE_TEST_CLOUDWATCH").unwrap_or_else(|_| {
        panic!(
            "LADDERWISE_TEST_CLOUDWATCH is not set: run the suite with .ci/run, which starts moto and the CBOR translator"
        )
    })
}

/// One metric of a namespace, with its dimensions and the value it has at every timestamp.
pub struct Series<'a> {
    pub namespace: &'a str,
    pub metric: &'a str,
    pub dimensions: &'a [(&'a str, &'a str)],
    pub value: f64,
}

/// Puts each series' value at each of `timestamps_ms` (milliseconds since 1970, UTC), one
/// PutMetricData a series, with test credentials that only reach `endpoint`.
pub fn put(endpoint: &str, series: &[Series], timestamps_ms: &[i64]) {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(aws_sdk_cloudwatch::config::Credentials::new(
                "test", "test", None, None, "static",
            ))
            .load()
            .await;
        let client = aws_sdk_cloudwatch::Client::new(&config);
        for s in series {
            let dimensions: Vec<Dimension> = s
                .dimensions
                .iter()
                .map(|(k, v)| Dimension::builder().name(*k).value(*v).build())
                .collect();
            let mut request = client.put_metric_data().namespace(s.namespace);
            for ms in timestamps_ms {
                request = request.metric_data(
                    MetricDatum::builder()
                        .metric_name(s.metric)
                        .set_dimensions(Some(dimensions.clone()))
                        .timestamp(DateTime::from_millis(*ms))
                        .value(s.value)
                        .build(),
                );
            }
            request
                .send()
                .await
                .expect("PutMetricData through the translator");
        }
    });
}
