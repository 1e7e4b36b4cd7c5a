//! The bill as Ladderwise reads it back: the columns of one row of actuals, whichever export
//! (FOCUS 1.2 or CUR 2.0) or query (Athena's aggregation) it comes from. The Athena adapter
//! names its result's columns so, and the actuals store reads rows by these names.

/// One row of actuals: the month, where and what was billed, how much of it and what it cost.
pub const ROW_COLUMNS: [&str; 13] = [
    "billing_month",
    "account_id",
    "region",
    "service_code",
    "usage_type",
    "unit",
    "usage_amount",
    "list_cost",
    "billed_cost",
    "effective_cost",
    "currency",
    "charge_category",
    "charge_class",
];
