//! Amazon Athena: bill actuals from an AWS Data Exports table (FOCUS 1.2 with AWS columns, or
//! CUR 2.0) in S3, aggregated where the data lives, so a few thousand rows come back whatever
//! the size of the export.
//!
//! [`ActualsQuery::sql`] builds the aggregation from fixed column names and checked input only:
//! database and table names are validated and quoted as identifiers, months are numbers
//! formatted here, service codes match a fixed pattern; nothing typed by a user reaches the SQL
//! raw. [`run`] sends it (StartQueryExecution), waits for it (GetQueryExecution, polled with a
//! doubling interval up to a deadline) and reads every page of its result (GetQueryResults),
//! whose header row must name [`COLUMNS`].
//!
//! Cancellation: nothing is spawned and nothing is written here, so a dropped future leaves
//! nothing behind on this side; the query itself runs on in Athena until it ends or the
//! workgroup's limits stop it. To stop it there too, hand [`run_until`] a future that completes
//! on cancellation (Ctrl-C, say): StopQueryExecution is then sent, as it is when the deadline
//! passes.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use aws_sdk_athena::Client;
use aws_sdk_athena::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_athena::types::{
    QueryExecution, QueryExecutionContext, QueryExecutionState, ResultConfiguration,
};
use tokio::time::Instant;

use crate::{Connection, PullError, classify, credentials_checked};

/// The result's columns, in this order, whichever export is read: one row of actuals.
pub use ladderwise_model::bill::ROW_COLUMNS as COLUMNS;

/// The permissions the identity running the query needs in Athena, Glue and S3, as the hints
/// of access errors name them; docs/aws.md gives them as a policy. Athena's actions are those
/// of "Actions, resources, and condition keys for Amazon Athena" (Service Authorization
/// Reference) this adapter calls; the Glue and S3 ones are those the Athena User Guide
/// ("Identity and access management in Athena") and the AWS Knowledge Center ("athena-access-
/// iam") give for reading a Glue table over S3 and writing a query's result.
pub const LEAST_PRIVILEGE: &str = "athena:StartQueryExecution, athena:GetQueryExecution, \
     athena:GetQueryResults, athena:StopQueryExecution on the workgroup; glue:GetDatabase, \
     glue:GetTable, glue:GetPartitions on the table; s3:GetObject, s3:ListBucket, \
     s3:GetBucketLocation on the export; s3:PutObject, s3:GetObject, s3:ListBucket, \
     s3:GetBucketLocation on the result location";

/// The most rows one GetQueryResults page holds (Athena API Reference, GetQueryResults,
/// MaxResults: 1 to 1000).
const PAGE_ROWS: i32 = 1000;

/// Which Data Exports table the Athena table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportSchema {
    /// "FOCUS 1.2 with AWS columns" (Data Exports table `FOCUS_1_2_AWS`).
    Focus12,
    /// "Cost and Usage Report (CUR) 2.0" (Data Exports table `COST_AND_USAGE_REPORT`).
    Cur20,
}

impl ExportSchema {
    pub const NAMES: [&str; 2] = ["focus-1.2", "cur-2.0"];

    pub fn name(self) -> &'static str {
        match self {
            ExportSchema::Focus12 => Self::NAMES[0],
            ExportSchema::Cur20 => Self::NAMES[1],
        }
    }
}

impl std::str::FromStr for ExportSchema {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Self, QueryError> {
        match s {
            "focus-1.2" => Ok(ExportSchema::Focus12),
            "cur-2.0" => Ok(ExportSchema::Cur20),
            other => Err(QueryError::Schema(other.to_string())),
        }
    }
}

/// One aggregation of bill actuals: where the export's table is, how to run the query, and
/// which months and services to sum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActualsQuery {
    /// The Glue database of the export's table.
    pub database: String,
    pub table: String,
    pub workgroup: String,
    /// Where Athena writes the result (`s3://bucket/prefix/`); needed only when the workgroup
    /// sets none.
    pub output_location: Option<String>,
    pub schema: ExportSchema,
    /// First month summed, (year, month), UTC; none: from the export's first.
    pub from_month: Option<(i32, u32)>,
    /// Last month summed, included; none: to the export's last.
    pub to_month: Option<(i32, u32)>,
    /// Service codes as the Price List and the bill write them (`AmazonCloudFront`).
    pub services: Vec<String>,
}

/// What is wrong with an [`ActualsQuery`]: the user's input, found before any call.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the {what} name `{value}` is not one Athena accepts\nhint: {rule}")]
    Name {
        what: &'static str,
        value: String,
        rule: &'static str,
    },
    #[error(
        "`{0}` is not an AWS service code\nhint: service codes are 1 to 64 letters, digits, `-`, `_` or `.`, as the bill writes them: AmazonCloudFront, AWSElementalMediaConvert, AmazonS3"
    )]
    ServiceCode(String),
    #[error("no service codes to sum\nhint: name at least one, e.g. AmazonCloudFront")]
    NoServices,
    #[error(
        "{what} month {year:04}-{month:02} is not a month\nhint: write YYYY-MM with a year from 2000 and a month from 01 to 12, e.g. 2026-01"
    )]
    Month {
        what: &'static str,
        year: i32,
        month: u32,
    },
    #[error(
        "the months run backwards: from {from} to {to}\nhint: the first month must not come after the last"
    )]
    MonthRange { from: String, to: String },
    #[error(
        "`{0}` is not an S3 location\nhint: write s3://bucket/prefix/, a place Athena may write the result to"
    )]
    OutputLocation(String),
    #[error("there is no export schema `{0}`\nhint: use focus-1.2 or cur-2.0")]
    Schema(String),
}

const DATABASE_RULE: &str =
    "Athena database and table names are 1 to 255 letters, digits and underscores";
const WORKGROUP_RULE: &str =
    "Athena workgroup names are 1 to 128 letters, digits, periods, hyphens and underscores";

/// Database and table names as Athena accepts them ("Name databases, tables, and columns",
/// Athena User Guide: 1 to 255 characters; only the underscore among special characters).
/// Upper case is allowed: Athena lowers names itself when it runs a query.
fn check_table_name(what: &'static str, value: &str) -> Result<(), QueryError> {
    let ok = (1..=255).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(QueryError::Name {
            what,
            value: value.to_string(),
            rule: DATABASE_RULE,
        })
    }
}

/// Workgroup names as the API takes them (Athena API Reference, WorkGroup pattern
/// `[a-zA-Z0-9._-]{1,128}`). The workgroup is a request parameter, never part of the SQL.
fn check_workgroup(value: &str) -> Result<(), QueryError> {
    let ok = (1..=128).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok {
        Ok(())
    } else {
        Err(QueryError::Name {
            what: "workgroup",
            value: value.to_string(),
            rule: WORKGROUP_RULE,
        })
    }
}

/// Service and product codes are letters and digits (`AmazonCloudFront`, `comprehend`,
/// Marketplace product codes); `-`, `_` and `.` are let through for codes not seen yet. No
/// character that could end a SQL string literal passes.
fn check_service_code(value: &str) -> Result<(), QueryError> {
    let ok = (1..=64).contains(&value.len())
        && value.as_bytes()[0].is_ascii_alphanumeric()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(QueryError::ServiceCode(value.to_string()))
    }
}

fn check_month(what: &'static str, (year, month): (i32, u32)) -> Result<(), QueryError> {
    if (2000..=9999).contains(&year) && (1..=12).contains(&month) {
        Ok(())
    } else {
        Err(QueryError::Month { what, year, month })
    }
}

fn check_output_location(value: &str) -> Result<(), QueryError> {
    let ok = value
        .strip_prefix("s3://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !value.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(QueryError::OutputLocation(value.to_string()))
    }
}

/// The first instant of a month, as a Trino timestamp literal (UTC: Data Exports timestamps are
/// UTC and Athena's session time zone is UTC).
fn month_start((year, month): (i32, u32)) -> String {
    format!("TIMESTAMP '{year:04}-{month:02}-01 00:00:00'")
}

fn next_month((year, month): (i32, u32)) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

/// Where each result column comes from in one export's table. Column names are written
/// unquoted, as the tables' dictionaries spell them: Athena folds unquoted names to lower case,
/// which is how Glue stores them.
struct Mapping {
    /// The timestamp the month is taken from.
    start: &'static str,
    account_id: &'static str,
    region: &'static str,
    service_code: &'static str,
    usage_type: &'static str,
    unit: &'static str,
    usage_amount: &'static str,
    list_cost: &'static str,
    billed_cost: &'static str,
    effective_cost: &'static str,
    currency: &'static str,
    charge_category: &'static str,
    charge_class: &'static str,
}

/// FOCUS 1.2 with AWS columns. Column names from the FOCUS 1.2 specification
/// (specification/columns/*.md) and AWS's table dictionary "FOCUS 1.2 with AWS columns",
/// which adds `x_Discounts`, `x_Operation` and `x_ServiceCode`. AWS's "Migrating from FOCUS
/// 1.0 to FOCUS 1.2" says FOCUS 1.0's `x_UsageType` was removed and "is now the SkuMeter
/// column", so the usage type is `SkuMeter`.
///
/// The quantity is PricingQuantity in PricingUnit, not ConsumedQuantity: it is the quantity
/// the costs were computed from (FOCUS: PricingQuantity × a unit price = the cost), its unit is
/// the Price List's, it is present on Purchase rows too (ConsumedQuantity is null outside
/// Usage), and AWS's conformance notes say its ConsumedQuantity holds the charged amount anyway.
/// ChargeClass is null unless the row corrects an earlier billing period; it is read as '' so
/// both schemas give the same empty class.
const FOCUS_1_2: Mapping = Mapping {
    start: "ChargePeriodStart",
    account_id: "SubAccountId",
    region: "RegionId",
    service_code: "x_ServiceCode",
    usage_type: "SkuMeter",
    unit: "PricingUnit",
    usage_amount: "PricingQuantity",
    list_cost: "ListCost",
    billed_cost: "BilledCost",
    effective_cost: "EffectiveCost",
    currency: "BillingCurrency",
    charge_category: "ChargeCategory",
    charge_class: "COALESCE(ChargeClass, '')",
};

/// CUR 2.0. Column names from AWS's table dictionary "Cost and Usage Report (CUR) 2.0": line
/// item columns (line_item_usage_start_date, line_item_usage_account_id,
/// line_item_product_code, line_item_usage_type, line_item_usage_amount,
/// line_item_unblended_cost, line_item_currency_code, line_item_line_item_type), pricing
/// columns (pricing_unit, pricing_public_on_demand_cost), product columns
/// (product_region_code, a column of the fixed schema, so the `product` map is not needed; its
/// type differs between Parquet and CSV exports), reservation and savings plan columns.
///
/// Costs, against FOCUS's definitions:
/// - list cost = pricing_public_on_demand_cost, the public on-demand price of the usage, which
///   is what FOCUS ListCost is (list unit price × quantity).
/// - billed cost = line_item_unblended_cost. FOCUS BilledCost includes discounts; CUR puts
///   discounts on line items of their own (line_item_line_item_type `EdpDiscount`,
///   `BundledDiscount`, `Credit`, …), which stay as rows of their own charge category here, so
///   the sum over categories is the invoice. The `line_item_net_*` columns would fold them in,
///   but the dictionary says they exist only in a billing period with a discount, and a query
///   naming a missing column fails.
/// - effective cost = amortized cost, as FOCUS EffectiveCost is: savings plan and reservation
///   covered usage at its effective cost, the unused part of a savings plan or reservation fee
///   as a cost, upfront fees and savings plan negations as zero (they are spread over the
///   covered usage), everything else at its unblended cost. This is the amortization of AWS's
///   Well-Architected CUR query library; it uses no `net_` column, for the reason above.
///
/// CUR 2.0 has no charge class: corrections of earlier months come as their own line items.
const CUR_2_0: Mapping = Mapping {
    start: "line_item_usage_start_date",
    account_id: "line_item_usage_account_id",
    region: "product_region_code",
    service_code: "line_item_product_code",
    usage_type: "line_item_usage_type",
    unit: "pricing_unit",
    usage_amount: "line_item_usage_amount",
    list_cost: "pricing_public_on_demand_cost",
    billed_cost: "line_item_unblended_cost",
    effective_cost: "CASE
    WHEN line_item_line_item_type = 'SavingsPlanCoveredUsage'
      THEN savings_plan_savings_plan_effective_cost
    WHEN line_item_line_item_type = 'SavingsPlanRecurringFee'
      THEN savings_plan_total_commitment_to_date - savings_plan_used_commitment
    WHEN line_item_line_item_type IN ('SavingsPlanNegation', 'SavingsPlanUpfrontFee') THEN 0
    WHEN line_item_line_item_type = 'DiscountedUsage' THEN reservation_effective_cost
    WHEN line_item_line_item_type = 'RIFee'
      THEN reservation_unused_amortized_upfront_fee_for_billing_period
        + reservation_unused_recurring_fee
    WHEN line_item_line_item_type = 'Fee' AND reservation_reservation_a_r_n <> '' THEN 0
    ELSE line_item_unblended_cost
  END",
    currency: "line_item_currency_code",
    charge_category: "line_item_line_item_type",
    charge_class: "''",
};

/// Amounts are summed as decimals, not doubles: each row's double is rounded once to 12
/// places, the sum is exact, and Athena writes the result as plain digits (a double of ten
/// million or more would come back in scientific notation).
fn decimal_sum(expression: &str) -> String {
    format!("SUM(CAST({expression} AS DECIMAL(38, 12)))")
}

impl ActualsQuery {
    /// Checks every field that reaches Athena, in the SQL or in the request.
    pub fn validate(&self) -> Result<(), QueryError> {
        check_table_name("database", &self.database)?;
        check_table_name("table", &self.table)?;
        check_workgroup(&self.workgroup)?;
        if let Some(location) = &self.output_location {
            check_output_location(location)?;
        }
        if let Some(from) = self.from_month {
            check_month("the first", from)?;
        }
        if let Some(to) = self.to_month {
            check_month("the last", to)?;
        }
        if let (Some(from), Some(to)) = (self.from_month, self.to_month)
            && from > to
        {
            return Err(QueryError::MonthRange {
                from: format!("{:04}-{:02}", from.0, from.1),
                to: format!("{:04}-{:02}", to.0, to.1),
            });
        }
        if self.services.is_empty() {
            return Err(QueryError::NoServices);
        }
        for code in &self.services {
            check_service_code(code)?;
        }
        Ok(())
    }

    /// The aggregation, in Athena's SQL (Trino): one row per month, account, Region, service,
    /// usage type, unit, currency, charge category and class, with the summed usage and costs,
    /// in the order of [`COLUMNS`].
    pub fn sql(&self) -> Result<String, QueryError> {
        self.validate()?;
        let m = match self.schema {
            ExportSchema::Focus12 => &FOCUS_1_2,
            ExportSchema::Cur20 => &CUR_2_0,
        };
        let selected = [
            format!("date_format({}, '%Y-%m')", m.start),
            m.account_id.to_string(),
            m.region.to_string(),
            m.service_code.to_string(),
            m.usage_type.to_string(),
            m.unit.to_string(),
            decimal_sum(m.usage_amount),
            decimal_sum(m.list_cost),
            decimal_sum(m.billed_cost),
            decimal_sum(m.effective_cost),
            m.currency.to_string(),
            m.charge_category.to_string(),
            m.charge_class.to_string(),
        ];
        let mut services: Vec<&str> = Vec::new();
        for code in &self.services {
            if !services.contains(&code.as_str()) {
                services.push(code);
            }
        }
        let mut sql = format!(
            "-- Ladderwise actuals from a {} export: monthly sums.\nSELECT\n",
            self.schema.name()
        );
        let lines: Vec<String> = selected
            .iter()
            .zip(COLUMNS)
            .map(|(expression, column)| format!("  {expression} AS {column}"))
            .collect();
        sql.push_str(&lines.join(",\n"));
        sql.push_str(&format!(
            "\nFROM \"{}\".\"{}\"\nWHERE {} IN ({})",
            self.database,
            self.table,
            m.service_code,
            services
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if let Some(from) = self.from_month {
            sql.push_str(&format!("\n  AND {} >= {}", m.start, month_start(from)));
        }
        if let Some(to) = self.to_month {
            sql.push_str(&format!(
                "\n  AND {} < {}",
                m.start,
                month_start(next_month(to))
            ));
        }
        // Every column but the four sums (positions 7 to 10) is a key.
        let keys = "1, 2, 3, 4, 5, 6, 11, 12, 13";
        sql.push_str(&format!("\nGROUP BY {keys}\nORDER BY {keys}\n"));
        Ok(sql)
    }
}

/// The rows of one query, as Athena returned them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryRows {
    pub query_execution_id: String,
    /// The SQL that was sent.
    pub sql: String,
    /// The header row: [`COLUMNS`].
    pub columns: Vec<String>,
    /// One value per column; `None` where Athena returned NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// What Athena scanned, which is what it bills.
    pub scanned_bytes: Option<i64>,
}

/// Progress of a query, for a progress line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    Started {
        query_execution_id: String,
    },
    /// The query's state after a GetQueryExecution (QUEUED, RUNNING, SUCCEEDED, …).
    Polled {
        state: String,
        waited: Duration,
    },
    /// A page of the result was read; `rows` counts the rows read so far, header excluded.
    Page {
        page: usize,
        rows: usize,
    },
}

/// How to wait for a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Polling {
    /// Wait before the second GetQueryExecution; it doubles after each.
    pub first_interval: Duration,
    pub longest_interval: Duration,
    /// After this long the query is stopped and reported.
    pub deadline: Duration,
}

impl Default for Polling {
    /// 200 ms doubling to 5 s, for 30 minutes: the DML query timeout an account starts with, so
    /// by then Athena has usually cancelled the query itself. The quota can be raised to 240
    /// minutes ("Service Quotas", Athena User Guide), which is why the deadline is a field.
    fn default() -> Self {
        Polling {
            first_interval: Duration::from_millis(200),
            longest_interval: Duration::from_secs(5),
            deadline: Duration::from_secs(30 * 60),
        }
    }
}

/// A client for Athena in the connection's Region, with credentials checked before the first
/// call.
pub async fn connect(c: &Connection) -> Result<Client, PullError> {
    Ok(Client::new(&credentials_checked(c).await?))
}

/// Runs `query` in Athena and returns its rows. The query is checked before anything is sent.
pub async fn run(
    conn: &Connection,
    query: &ActualsQuery,
    progress: impl FnMut(Progress),
) -> Result<QueryRows, PullError> {
    run_until(conn, query, std::future::pending(), progress).await
}

/// [`run`], stopping the query in Athena (StopQueryExecution) if `cancel` completes first.
pub async fn run_until(
    conn: &Connection,
    query: &ActualsQuery,
    cancel: impl Future<Output = ()>,
    progress: impl FnMut(Progress),
) -> Result<QueryRows, PullError> {
    query.validate()?;
    let client = connect(conn).await?;
    execute(
        &client,
        query,
        &Polling::default(),
        conn.max_attempts,
        cancel,
        progress,
    )
    .await
}

/// [`run_until`] on a client of the caller's (`attempts` is the client's retry limit, for
/// messages).
pub async fn execute(
    client: &Client,
    query: &ActualsQuery,
    polling: &Polling,
    attempts: u32,
    cancel: impl Future<Output = ()>,
    mut progress: impl FnMut(Progress),
) -> Result<QueryRows, PullError> {
    let sql = query.sql()?;
    let mut request = client
        .start_query_execution()
        .query_string(&sql)
        .query_execution_context(
            QueryExecutionContext::builder()
                .database(&query.database)
                .build(),
        )
        .work_group(&query.workgroup);
    if let Some(location) = &query.output_location {
        request = request.result_configuration(
            ResultConfiguration::builder()
                .output_location(location)
                .build(),
        );
    }
    // The SDK gives the request an idempotency token (ClientRequestToken), so a retried
    // StartQueryExecution never starts a second query.
    let started = request
        .send()
        .await
        .map_err(|e| refused("StartQueryExecution", e, attempts))?;
    let id = started
        .query_execution_id()
        .ok_or_else(|| PullError::Api {
            operation: "StartQueryExecution".into(),
            message: "Athena returned no query execution id".into(),
        })?
        .to_string();
    progress(Progress::Started {
        query_execution_id: id.clone(),
    });

    let mut cancel = pin!(cancel);
    let waited = race(
        cancel.as_mut(),
        wait(client, &id, polling, attempts, &mut progress),
    )
    .await;
    let execution = match waited {
        Raced::Done(result) => result?,
        Raced::Cancelled => {
            let reason = stop(client, &id, "it was cancelled").await;
            return Err(PullError::QueryStopped {
                query_execution_id: id,
                reason,
            });
        }
    };
    let scanned_bytes = execution
        .statistics()
        .and_then(|s| s.data_scanned_in_bytes());

    let read = race(
        cancel.as_mut(),
        read_rows(client, &id, attempts, &mut progress),
    )
    .await;
    let (columns, rows) = match read {
        Raced::Done(result) => result?,
        // The query has ended: there is nothing to stop.
        Raced::Cancelled => {
            return Err(PullError::QueryStopped {
                query_execution_id: id,
                reason: "reading its result was cancelled".into(),
            });
        }
    };
    Ok(QueryRows {
        query_execution_id: id,
        sql,
        columns,
        rows,
        scanned_bytes,
    })
}

/// Polls the query until it succeeds, fails, is cancelled, or the deadline passes.
async fn wait(
    client: &Client,
    id: &str,
    polling: &Polling,
    attempts: u32,
    progress: &mut impl FnMut(Progress),
) -> Result<QueryExecution, PullError> {
    let since = Instant::now();
    let mut interval = polling.first_interval;
    loop {
        let out = client
            .get_query_execution()
            .query_execution_id(id)
            .send()
            .await
            .map_err(|e| classify("GetQueryExecution", e, attempts))?;
        let execution = out
            .query_execution()
            .cloned()
            .ok_or_else(|| PullError::Api {
                operation: "GetQueryExecution".into(),
                message: format!("Athena returned no execution for query {id}"),
            })?;
        let state = execution.status().and_then(|s| s.state()).cloned();
        let state_name = state.as_ref().map_or("UNKNOWN", |s| s.as_str()).to_string();
        progress(Progress::Polled {
            state: state_name.clone(),
            waited: since.elapsed(),
        });
        match state {
            Some(QueryExecutionState::Succeeded) => return Ok(execution),
            Some(QueryExecutionState::Failed) | Some(QueryExecutionState::Cancelled) => {
                return Err(ended(id, state_name, &execution));
            }
            // QUEUED, RUNNING, or a state added after this was written: keep waiting.
            _ => {}
        }
        let elapsed = since.elapsed();
        if elapsed >= polling.deadline {
            let why = format!(
                "it was still {state_name} after {} s, the longest Ladderwise waits",
                elapsed.as_secs()
            );
            return Err(PullError::QueryStopped {
                query_execution_id: id.to_string(),
                reason: stop(client, id, &why).await,
            });
        }
        tokio::time::sleep(interval.min(polling.deadline - elapsed)).await;
        interval = (interval * 2).min(polling.longest_interval);
    }
}

/// A FAILED or CANCELLED query, with Athena's reason and error category.
fn ended(id: &str, state: String, execution: &QueryExecution) -> PullError {
    let status = execution.status();
    let error = status.and_then(|s| s.athena_error());
    let reason = status
        .and_then(|s| s.state_change_reason())
        .or_else(|| error.and_then(|e| e.error_message()))
        .unwrap_or("Athena gave no reason")
        .to_string();
    PullError::QueryFailed {
        query_execution_id: id.to_string(),
        state,
        reason,
        error_category: error.and_then(|e| e.error_category()),
        error_type: error.and_then(|e| e.error_type()),
    }
}

/// Stops the query in Athena (best effort) and says why, and whether the stop failed.
async fn stop(client: &Client, id: &str, why: &str) -> String {
    match client
        .stop_query_execution()
        .query_execution_id(id)
        .send()
        .await
    {
        Ok(_) => format!("{why}; it was stopped in Athena"),
        Err(e) => format!(
            "{why}; stopping it in Athena failed ({}), so it may still be running",
            e.message().map_or_else(|| e.to_string(), str::to_string)
        ),
    }
}

/// Every page of the result: the header row (first row of the first page) and the data rows.
async fn read_rows(
    client: &Client,
    id: &str,
    attempts: u32,
    progress: &mut impl FnMut(Progress),
) -> Result<(Vec<String>, Vec<Vec<Option<String>>>), PullError> {
    let mut pages = client
        .get_query_results()
        .query_execution_id(id)
        .max_results(PAGE_ROWS)
        .into_paginator()
        .send();
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| classify("GetQueryResults", e, attempts))?;
        page_count += 1;
        let mut page_rows = page.result_set().map_or(&[][..], |r| r.rows()).iter();
        if header.is_none() {
            let Some(first) = page_rows.next() else {
                break;
            };
            let found: Vec<String> = first
                .data()
                .iter()
                .map(|d| d.var_char_value().unwrap_or_default().to_string())
                .collect();
            if found != COLUMNS {
                return Err(PullError::QueryResult {
                    query_execution_id: id.to_string(),
                    problem: format!(
                        "its columns are {}, not {}",
                        found.join(", "),
                        COLUMNS.join(", ")
                    ),
                });
            }
            header = Some(found);
        }
        for row in page_rows {
            let values: Vec<Option<String>> = row
                .data()
                .iter()
                .map(|d| d.var_char_value().map(str::to_string))
                .collect();
            if values.len() != COLUMNS.len() {
                return Err(PullError::QueryResult {
                    query_execution_id: id.to_string(),
                    problem: format!(
                        "row {} has {} values for {} columns",
                        rows.len() + 1,
                        values.len(),
                        COLUMNS.len()
                    ),
                });
            }
            rows.push(values);
        }
        progress(Progress::Page {
            page: page_count,
            rows: rows.len(),
        });
    }
    let columns = header.ok_or_else(|| PullError::QueryResult {
        query_execution_id: id.to_string(),
        problem: "it has no header row".into(),
    })?;
    Ok((columns, rows))
}

/// StartQueryExecution's errors: Athena's InvalidRequestException there means the query was
/// refused as sent (no result location, an unknown workgroup or database), which the user can
/// fix; anything else is classified as for every adapter.
fn refused<E, R>(operation: &str, e: SdkError<E, R>, attempts: u32) -> PullError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    if e.code() == Some("InvalidRequestException") {
        return PullError::QueryRejected {
            message: e.message().unwrap_or("no reason given").to_string(),
        };
    }
    classify(operation, e, attempts)
}

enum Raced<T> {
    Done(T),
    Cancelled,
}

/// `work`, unless `cancel` completes first. `cancel` is polled first, so a cancellation that
/// is already there wins.
async fn race<C, F>(mut cancel: Pin<&mut C>, work: F) -> Raced<F::Output>
where
    C: Future<Output = ()>,
    F: Future,
{
    let mut work = pin!(work);
    std::future::poll_fn(|cx| {
        if cancel.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Raced::Cancelled);
        }
        work.as_mut().poll(cx).map(Raced::Done)
    })
    .await
}

/// Athena's error categories ("Athena error catalog", Athena User Guide).
pub(crate) fn error_category_name(category: i32) -> &'static str {
    match category {
        1 => "system",
        2 => "user",
        _ => "other",
    }
}

/// What to do about a query that ended FAILED or CANCELLED.
pub(crate) fn ended_hint(state: &str, category: Option<i32>, reason: &str) -> String {
    let lower = reason.to_ascii_lowercase();
    if lower.contains("access denied")
        || lower.contains("permission")
        || lower.contains("not authorized")
    {
        return format!(
            "the identity running the query needs {LEAST_PRIVILEGE} (policy in docs/aws.md)"
        );
    }
    if state == "CANCELLED" {
        return "it was cancelled in Athena, by someone or by the workgroup's limits; run the command again, or sum fewer months".into();
    }
    match category {
        Some(1) => "Athena failed on its side; run the command again".into(),
        _ => "check the database, table and schema: a COLUMN_NOT_FOUND means the table holds the other export (FOCUS 1.2 or CUR 2.0); the Athena console shows the query under its id".into(),
    }
}
