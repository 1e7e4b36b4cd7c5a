//! Ladderwise's adapter for the AWS Price List Query API (aws-sdk-pricing).
//!
//! [`pull`] fetches the records the cost engine prices, service by service: `GetProducts` with
//! server-side filters (`regionCode` or `location`, and per-service attribute filters), every
//! page followed, the SDK's standard retry with backoff for throttling and dropped connections,
//! and a timeout per attempt. [`check_services`] first asks `DescribeServices` and
//! `GetAttributeValues` whether the service codes, attributes and values the filters use still
//! exist, so a renamed one is reported by name instead of as an empty pull.
//!
//! [`cloudwatch`] reads usage the same way: ListMetrics to discover series, GetMetricData to
//! read them. [`athena`] sums bill actuals from a Data Exports table with an Athena query.
//!
//! This crate only talks to AWS; deciding which records a snapshot needs and writing it is the
//! model's and the app's work. Credentials come from the default chain (environment, profile,
//! SSO, instance role) and are never written anywhere.

pub mod athena;
pub mod cloudwatch;

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_pricing::Client;
use aws_sdk_pricing::config::Region;
use aws_sdk_pricing::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_pricing::types::{Filter, FilterType};

/// Regions that serve the Price List Query API.
pub const API_REGIONS: [&str; 3] = ["us-east-1", "ap-south-1", "eu-central-1"];

/// How to reach the API.
#[derive(Clone, Debug)]
pub struct Connection {
    /// The API's own Region (one of [`API_REGIONS`]).
    pub api_region: String,
    pub endpoint_url: Option<String>,
    pub profile: Option<String>,
    /// Limit of one attempt of one call.
    pub attempt_timeout: Duration,
    /// Attempts per call, the first included.
    pub max_attempts: u32,
}

impl Default for Connection {
    fn default() -> Self {
        Connection {
            api_region: "us-east-1".into(),
            endpoint_url: None,
            profile: None,
            attempt_timeout: Duration::from_secs(30),
            max_attempts: 4,
        }
    }
}

/// One `GetProducts` query: a service and the attribute values every record must have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub service_code: String,
    pub filters: Vec<(String, String)>,
}

/// The raw `PriceList` items one query returned (JSON documents as strings, as AWS sends them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryResult {
    pub query: Query,
    pub items: Vec<String>,
    pub pages: usize,
}

/// Progress of a pull, for a progress bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    Checking {
        service_code: String,
    },
    Page {
        service_code: String,
        page: usize,
        records: usize,
    },
}

/// Why a pull failed. Every message says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error(
        "no AWS credentials found ({0})\nhint: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws sso login`, or name a profile with --profile; docs/aws.md lists the permissions needed"
    )]
    NoCredentials(String),
    #[error(
        "access denied by AWS for {} ({message})\nhint: attach the least-privilege policy in docs/aws.md ({})",
        permission(operation),
        least_privilege(operation)
    )]
    AccessDenied { operation: String, message: String },
    #[error(
        "AWS kept throttling {operation} after {attempts} attempts\nhint: wait a minute and run the command again"
    )]
    Throttled { operation: String, attempts: u32 },
    #[error(
        "AWS no longer offers the service code `{0}` in the Price List\nhint: AWS may have renamed it; `aws pricing describe-services` lists the current codes"
    )]
    UnknownService(String),
    #[error(
        "the Price List no longer has the attribute `{attribute}` for {service_code}\nhint: AWS may have renamed it; the snapshot was not changed"
    )]
    UnknownAttribute {
        service_code: String,
        attribute: String,
    },
    #[error(
        "the Price List has no value `{value}` for {service_code} attribute `{attribute}`\nhint: check the Region; the snapshot was not changed"
    )]
    UnknownValue {
        service_code: String,
        attribute: String,
        value: String,
    },
    #[error(
        "the AWS API failed on {operation}: {message}\nhint: check the network and --endpoint-url, then run the command again"
    )]
    Api { operation: String, message: String },
    /// An Athena query that cannot be built from the input; nothing was sent.
    #[error("{0}")]
    BadQuery(#[from] athena::QueryError),
    #[error(
        "Athena refused the query: {message}\nhint: check the workgroup and database names, and give a result location (s3://bucket/prefix/) if the workgroup sets none"
    )]
    QueryRejected { message: String },
    #[error(
        "the Athena query {query_execution_id} ended {state}: {reason}{}\nhint: {}",
        error_category.map_or_else(String::new, |c| format!(" ({} error, type {})", athena::error_category_name(c), error_type.unwrap_or_default())),
        athena::ended_hint(state, *error_category, reason)
    )]
    QueryFailed {
        query_execution_id: String,
        state: String,
        reason: String,
        error_category: Option<i32>,
        error_type: Option<i32>,
    },
    #[error(
        "the Athena query {query_execution_id} did not finish: {reason}\nhint: run the command again; fewer months make a shorter query"
    )]
    QueryStopped {
        query_execution_id: String,
        reason: String,
    },
    #[error(
        "the Athena query {query_execution_id} returned an unexpected result: {problem}\nhint: the query is Ladderwise's own; check that the table is the export the schema names (FOCUS 1.2 or CUR 2.0)"
    )]
    QueryResult {
        query_execution_id: String,
        problem: String,
    },
}

/// A client for the API, with credentials checked before the first call.
pub async fn connect(c: &Connection) -> Result<Client, PullError> {
    Ok(Client::new(&credentials_checked(c).await?))
}

/// The SDK configuration for `c`, once the credential chain has produced credentials.
pub(crate) async fn credentials_checked(
    c: &Connection,
) -> Result<aws_config::SdkConfig, PullError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(c.api_region.clone()))
        .retry_config(RetryConfig::standard().with_max_attempts(c.max_attempts))
        .timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(c.attempt_timeout)
                .build(),
        );
    if let Some(url) = &c.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(profile) = &c.profile {
        loader = loader.profile_name(profile);
    }
    let config = loader.load().await;
    // Fail fast, before any request, when the chain finds nothing.
    let provider = config
        .credentials_provider()
        .ok_or_else(|| PullError::NoCredentials("no credential provider".into()))?;
    aws_credential_check(&provider).await?;
    Ok(config)
}

async fn aws_credential_check(
    provider: &aws_sdk_pricing::config::SharedCredentialsProvider,
) -> Result<(), PullError> {
    use aws_sdk_pricing::config::ProvideCredentials;
    provider
        .provide_credentials()
        .await
        .map(|_| ())
        .map_err(|e| PullError::NoCredentials(first_line(&e.to_string())))
}

/// The IAM action of an API operation.
fn permission(operation: &str) -> String {
    let service = match operation {
        "GetMetricData" | "ListMetrics" | "PutMetricData" => "cloudwatch",
        "StartQueryExecution" | "GetQueryExecution" | "GetQueryResults" | "StopQueryExecution" => {
            "athena"
        }
        _ => "pricing",
    };
    format!("{service}:{operation}")
}

/// The permissions to grant for a refused operation's adapter.
fn least_privilege(operation: &str) -> &'static str {
    if permission(operation).starts_with("athena:") {
        athena::LEAST_PRIVILEGE
    } else {
        "pricing:GetProducts, pricing:DescribeServices, pricing:GetAttributeValues; cloudwatch:GetMetricData, cloudwatch:ListMetrics"
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// Maps an SDK error to what the user can act on.
pub(crate) fn classify<E, R>(operation: &str, e: SdkError<E, R>, attempts: u32) -> PullError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    let code = e.code().map(str::to_string);
    let message = e
        .message()
        .map(str::to_string)
        .unwrap_or_else(|| describe(&e));
    match code.as_deref() {
        Some("AccessDeniedException")
        | Some("AccessDenied")
        | Some("UnrecognizedClientException") => PullError::AccessDenied {
            operation: operation.into(),
            message,
        },
        Some("ThrottlingException")
        | Some("Throttling")
        | Some("TooManyRequestsException")
        | Some("LimitExceeded") => PullError::Throttled {
            operation: operation.into(),
            attempts,
        },
        _ => PullError::Api {
            operation: operation.into(),
            message,
        },
    }
}

/// The innermost cause of an SDK error, where the useful words are.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text = s.to_string();
        source = s.source();
    }
    text
}

/// Checks that each service code exists and offers the attributes (and the values) the
/// queries filter on.
pub async fn check_services(
    client: &Client,
    queries: &[Query],
    mut progress: impl FnMut(Progress),
    attempts: u32,
) -> Result<(), PullError> {
    let mut seen: Vec<&str> = Vec::new();
    for q in queries {
        if seen.contains(&q.service_code.as_str()) {
            continue;
        }
        seen.push(&q.service_code);
        progress(Progress::Checking {
            service_code: q.service_code.clone(),
        });
        let out = client
            .describe_services()
            .service_code(&q.service_code)
            .send()
            .await
            .map_err(|e| classify("DescribeServices", e, attempts))?;
        let Some(service) = out
            .services()
            .iter()
            .find(|s| s.service_code() == q.service_code)
        else {
            return Err(PullError::UnknownService(q.service_code.clone()));
        };
        let attributes = service.attribute_names();
        for query in queries.iter().filter(|x| x.service_code == q.service_code) {
            for (field, value) in &query.filters {
                if !attributes.iter().any(|a| a == field) {
                    return Err(PullError::UnknownAttribute {
                        service_code: q.service_code.clone(),
                        attribute: field.clone(),
                    });
                }
                // Only the Region-like attributes are worth a look-up: other values are
                // product families whose absence simply yields no records.
                if field == "regionCode" || field == "location" {
                    let mut pages = client
                        .get_attribute_values()
                        .service_code(&q.service_code)
                        .attribute_name(field)
                        .into_paginator()
                        .send();
                    let mut found = false;
                    while let Some(page) = pages.next().await {
                        let page = page.map_err(|e| classify("GetAttributeValues", e, attempts))?;
                        if page
                            .attribute_values()
                            .iter()
                            .any(|v| v.value() == Some(value.as_str()))
                        {
                            found = true;
                            break;
                        }
                    }
                    if !found {
                        return Err(PullError::UnknownValue {
                            service_code: q.service_code.clone(),
                            attribute: field.clone(),
                            value: value.clone(),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// Runs every query, following every page.
pub async fn pull(
    client: &Client,
    queries: &[Query],
    mut progress: impl FnMut(Progress),
    attempts: u32,
) -> Result<Vec<QueryResult>, PullError> {
    let mut out = Vec::new();
    for q in queries {
        let mut request = client
            .get_products()
            .service_code(&q.service_code)
            .format_version("aws_v1")
            .max_results(100);
        for (field, value) in &q.filters {
            let filter = Filter::builder()
                .r#type(FilterType::TermMatch)
                .field(field)
                .value(value)
                .build()
                .map_err(|e| PullError::Api {
                    operation: "GetProducts".into(),
                    message: e.to_string(),
                })?;
            request = request.filters(filter);
        }
        let mut pages = request.into_paginator().send();
        let mut items = Vec::new();
        let mut count = 0;
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| classify("GetProducts", e, attempts))?;
            count += 1;
            items.extend(page.price_list().iter().cloned());
            progress(Progress::Page {
                service_code: q.service_code.clone(),
                page: count,
                records: items.len(),
            });
        }
        out.push(QueryResult {
            query: q.clone(),
            items,
            pages: count,
        });
    }
    Ok(out)
}
