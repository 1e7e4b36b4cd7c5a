//! The forecast's outputs: `ladderwise forecast --format json` (the contract, documented in
//! docs/cli.md), `--format csv` (a month × service table for spreadsheets) and
//! `--format focus` (the deterministic path's lines as FOCUS 1.2 rows, so a plan loads into
//! the same tools as the bill).

use ladderwise_model::engine::{Estimate, LineItem, LineStatus, Service};
use ladderwise_model::forecast::{Band, Forecast, ForecastMonth};
use ladderwise_model::scenario::forecast::{Currency, YearMonth};
use ladderwise_model::units::Usd;
use serde::Serialize;

use crate::export::json::SnapshotJson;
use crate::export::{csv_writer, machine};

/// The version of the forecast's JSON contract, its `schema`.
pub const SCHEMA: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Forecast"))]
pub struct ForecastJson {
    pub schema: u32,
    pub scenario: String,
    pub region: String,
    pub snapshot: SnapshotJson,
    /// `YYYY-MM`.
    pub start: String,
    /// Monte Carlo paths drawn; 0 when no growth rate is uncertain.
    pub paths: u32,
    pub seed: String,
    pub budget_usd: Option<String>,
    /// The first months whose P50 and P90 totals exceed the budget.
    pub over_budget_p50: Option<String>,
    pub over_budget_p90: Option<String>,
    /// The budget and its crossings in a sentence, as every output words them.
    pub budget_summary: Option<String>,
    /// The reporting currency the file names, with its rate; `null` for US dollars alone.
    pub currency: Option<CurrencyJson>,
    /// The services with a line in any month, in bill order.
    pub services: Vec<String>,
    /// Sums over every month.
    pub total_usd: String,
    pub total_p50_usd: String,
    pub notes: Vec<String>,
    pub months: Vec<ForecastMonthJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ForecastCurrency"))]
pub struct CurrencyJson {
    pub code: String,
    pub per_usd: String,
    pub rate_date: String,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ForecastMonth"))]
pub struct ForecastMonthJson {
    /// From 1.
    pub index: u32,
    /// `YYYY-MM`.
    pub month: String,
    pub events: Vec<String>,
    pub new_content_minutes: String,
    pub watch_minutes: String,
    /// The deterministic path: every growth rate at its central value, priced line by line.
    pub total_usd: String,
    /// False when some lines are unpriced: the total is then too low.
    pub complete: bool,
    /// Whether the month's P50 total exceeds the budget (false without one).
    pub over_budget: bool,
    pub p10_usd: String,
    pub p50_usd: String,
    pub p90_usd: String,
    /// The P10/P50/P90 in the reporting currency, when there is one.
    pub p10_in_currency: Option<String>,
    pub p50_in_currency: Option<String>,
    pub p90_in_currency: Option<String>,
    pub services: Vec<ForecastServiceJson>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ForecastService"))]
pub struct ForecastServiceJson {
    pub service: String,
    pub service_code: String,
    /// `null` when no line of the service has a price this month (never 0 for a missing
    /// price, as an estimate's lines); with `complete` false, a sum too low.
    pub cost_usd: Option<String>,
    pub p10_usd: Option<String>,
    pub p50_usd: Option<String>,
    pub p90_usd: Option<String>,
    /// False when some of the service's lines are unpriced this month.
    pub complete: bool,
}

/// What a service costs in a month of the deterministic path, over its priced lines.
pub fn service_cost(e: &Estimate, service: Service) -> Usd {
    e.service_total(service)
}

/// A percentile of a month's total as the table and the report write it: a month with
/// unpriced lines is a lower bound (`≥$14,176.00`).
pub fn month_amount(m: &ForecastMonth, v: Usd) -> String {
    v.at_least_as(!m.estimate.complete, false, |u| u.to_string())
}

/// A month's deterministic total as the table writes it, `+ unpriced` when the month leaves
/// lines out.
pub fn deterministic_amount(m: &ForecastMonth) -> String {
    m.estimate.total.plus_unpriced(!m.estimate.complete)
}

/// The whole horizon's total as the table and the report write it, `+ unpriced` when a
/// month leaves lines out.
pub fn horizon_amount(f: &Forecast, v: Usd) -> String {
    v.plus_unpriced(!horizon_complete(f))
}

/// Every month of the horizon priced in full.
fn horizon_complete(f: &Forecast) -> bool {
    f.months.iter().all(|m| m.estimate.complete)
}

/// An amount in the scenario's reporting currency (`3,278.68 EUR`).
fn written_in(c: &Currency, v: Usd) -> String {
    format!(
        "{} {}",
        ladderwise_model::units::format_money(v.0 * c.per_usd),
        c.code
    )
}

/// [`month_amount`] in the reporting currency: a lower bound is one in any currency.
pub fn month_amount_in(m: &ForecastMonth, v: Usd, c: &Currency) -> String {
    v.at_least_as(!m.estimate.complete, false, |u| written_in(c, u))
}

/// [`horizon_amount`] in the reporting currency.
pub fn horizon_amount_in(f: &Forecast, v: Usd, c: &Currency) -> String {
    let text = written_in(c, v);
    if horizon_complete(f) {
        text
    } else {
        format!("{text} + unpriced")
    }
}

/// How P10, P50 and P90 were found, in words: over the paths, or (none drawn) the
/// deterministic path, the forecast's notes saying why.
pub fn how_percentiles(f: &Forecast) -> String {
    if f.paths > 0 {
        format!(
            "P10, P50 and P90 over {} Monte Carlo paths (seed {}); the deterministic path has every growth rate at its central value",
            f.paths, f.seed
        )
    } else {
        "no Monte Carlo paths (the notes say why): P10, P50 and P90 are the deterministic path"
            .into()
    }
}

/// Whether a service has a line this month with no price, and whether none of its lines has
/// one: then its amounts are unknown, not 0.
fn unpriced(e: &Estimate, service: Service) -> (bool, bool) {
    let lines = || e.lines.iter().filter(|l| l.service == service);
    let some = e.service_unpriced(service);
    (some, some && lines().all(|l| l.cost.is_none()))
}

fn band_of(m: &ForecastMonth, service: Service) -> Band {
    m.services
        .iter()
        .find(|(s, _)| *s == service)
        .map(|(_, b)| *b)
        .unwrap_or_else(|| {
            let v = service_cost(&m.estimate, service);
            Band {
                p10: v,
                p50: v,
                p90: v,
            }
        })
}

/// When a percentile of the total first goes over the budget, in words.
/// When `who` first goes over the budget. From `unpriced` on, months leave unpriced lines
/// out: their totals are lower bounds, so a month over is over, but one under may not be.
fn crossing(who: &str, month: Option<YearMonth>, unpriced: Option<YearMonth>) -> String {
    match (month, unpriced) {
        (Some(m), Some(u)) if u < m => {
            format!(
                "the {who} goes over it by {m} at the latest (from {u} the totals leave unpriced lines out)"
            )
        }
        (Some(m), _) => format!("the {who} first goes over it in {m}"),
        (None, None) => format!("the {who} stays under it throughout"),
        (None, Some(u)) => format!(
            "the {who} cannot be checked from {u} on: those totals leave unpriced lines out"
        ),
    }
}

/// The first month whose total leaves unpriced lines out.
fn first_unpriced(f: &Forecast) -> Option<YearMonth> {
    f.months
        .iter()
        .find(|m| !m.estimate.complete)
        .map(|m| m.month)
}

/// The budget and when the P50 and the P90 first go over it, in one sentence (the table, the
/// report, the app and the fan chart show this one); `None` without a budget.
pub fn budget_summary(f: &Forecast) -> Option<String> {
    let unpriced = first_unpriced(f);
    f.budget_usd.map(|b| {
        format!(
            "Budget {b} a month: {}; {}.",
            crossing("P50", f.over_budget.p50, unpriced),
            crossing("P90", f.over_budget.p90, unpriced)
        )
    })
}

fn in_currency(c: Option<&Currency>, usd: Usd) -> Option<String> {
    c.map(|c| machine((usd.0 * c.per_usd).round_dp(2)))
}

/// The forecast in the contract's shape.
pub fn value(f: &Forecast) -> ForecastJson {
    let currency = f.currency.as_ref();
    let last = f.months.last().map_or(0, |m| m.index);
    ForecastJson {
        schema: SCHEMA,
        scenario: f.scenario.clone(),
        region: f.region.clone(),
        snapshot: SnapshotJson {
            id: f.snapshot.id.clone(),
            created: f.snapshot.created.clone(),
            origin: f.snapshot.origin.clone(),
            description: f.snapshot.description.clone(),
        },
        start: f.start.to_string(),
        paths: f.paths,
        // A string: a JSON number loses a u64's last digits in JavaScript.
        seed: f.seed.to_string(),
        budget_usd: f.budget_usd.map(|b| machine(b.0)),
        over_budget_p50: f.over_budget.p50.map(|m| m.to_string()),
        over_budget_p90: f.over_budget.p90.map(|m| m.to_string()),
        budget_summary: budget_summary(f),
        currency: currency.map(|c| CurrencyJson {
            code: c.code.clone(),
            per_usd: machine(c.per_usd),
            rate_date: c.rate_date.clone(),
            source: c.source.clone(),
        }),
        services: f.services.iter().map(|s| s.name().to_string()).collect(),
        total_usd: machine(f.total_between(1, last).0),
        total_p50_usd: machine(f.p50_between(1, last).0),
        notes: f.notes.clone(),
        months: f
            .months
            .iter()
            .map(|m| ForecastMonthJson {
                index: m.index,
                month: m.month.to_string(),
                events: m.events.clone(),
                new_content_minutes: machine(m.new_minutes),
                watch_minutes: machine(m.watch_minutes),
                total_usd: machine(m.estimate.total.0),
                complete: m.estimate.complete,
                over_budget: m.over_budget,
                p10_usd: machine(m.total.p10.0),
                p50_usd: machine(m.total.p50.0),
                p90_usd: machine(m.total.p90.0),
                p10_in_currency: in_currency(currency, m.total.p10),
                p50_in_currency: in_currency(currency, m.total.p50),
                p90_in_currency: in_currency(currency, m.total.p90),
                services: f
                    .services
                    .iter()
                    .map(|s| {
                        let b = band_of(m, *s);
                        let (some, none_priced) = unpriced(&m.estimate, *s);
                        let amount = |v: Usd| (!none_priced).then(|| machine(v.0));
                        ForecastServiceJson {
                            service: s.name().into(),
                            service_code: s.code().into(),
                            cost_usd: amount(service_cost(&m.estimate, *s)),
                            p10_usd: amount(b.p10),
                            p50_usd: amount(b.p50),
                            p90_usd: amount(b.p90),
                            complete: !some,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub fn forecast_json(f: &Forecast) -> String {
    super::pretty(serde_json::to_value(value(f)).unwrap_or_default())
}

/// One row per month, service and percentile (`deterministic`, `p10`, `p50`, `p90`), and
/// `TOTAL` rows per month: long, so a spreadsheet's pivot table takes it as it is. In US
/// dollars and, when the file names one, in the reporting currency.
pub fn forecast_csv(f: &Forecast) -> String {
    let currency = f.currency.as_ref();
    let mut w = csv_writer();
    let mut header: Vec<String> = [
        "month",
        "index",
        "service",
        "service_code",
        "percentile",
        "cost_usd",
        "complete",
        "events",
    ]
    .map(String::from)
    .to_vec();
    if let Some(c) = currency {
        header.push(format!("cost_{}", c.code.to_lowercase()));
    }
    w.write_record(&header);
    for m in &f.months {
        let rows = f
            .services
            .iter()
            .map(|s| {
                let (some, none_priced) = unpriced(&m.estimate, *s);
                (
                    s.name(),
                    s.code(),
                    service_cost(&m.estimate, *s),
                    band_of(m, *s),
                    !some,
                    none_priced,
                )
            })
            .chain([(
                "TOTAL",
                "",
                m.estimate.total,
                m.total,
                m.estimate.complete,
                false,
            )]);
        // A service with no priced line has an empty cost (as the sweep's CSV leaves an
        // unpriced option empty), never 0; `complete` is the row's own.
        for (name, code, cost, band, complete, none_priced) in rows {
            for (percentile, v) in [
                ("deterministic", cost),
                ("p10", band.p10),
                ("p50", band.p50),
                ("p90", band.p90),
            ] {
                let mut row = vec![
                    m.month.to_string(),
                    m.index.to_string(),
                    name.to_string(),
                    code.to_string(),
                    percentile.to_string(),
                    if none_priced {
                        String::new()
                    } else {
                        machine(v.0)
                    },
                    complete.to_string(),
                    m.events.join("; "),
                ];
                if !none_priced {
                    row.extend(in_currency(currency, v));
                } else if currency.is_some() {
                    row.push(String::new());
                }
                w.write_record(&row);
            }
        }
    }
    w.finish()
}

/// The FOCUS 1.2 columns the rows carry: every mandatory column (FOCUS 1.2 specification,
/// "Column definitions"), the conditional ones a plan can fill, then the `x_` custom columns
/// (the spec reserves the prefix for them).
pub const FOCUS_COLUMNS: &[&str] = &[
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "CommitmentDiscountCategory",
    "CommitmentDiscountId",
    "CommitmentDiscountName",
    "CommitmentDiscountStatus",
    "CommitmentDiscountType",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "RegionName",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceCategory",
    "ServiceName",
    "ServiceSubcategory",
    "SkuId",
    "SkuPriceId",
    "SubAccountId",
    "SubAccountName",
    "Tags",
    "x_Scenario",
    "x_ForecastMonth",
    "x_ServiceCode",
    "x_UsageType",
    "x_PriceStatus",
    "x_PriceSource",
    "x_ServiceCostP10",
    "x_ServiceCostP50",
    "x_ServiceCostP90",
    "x_ReportingCurrency",
    "x_ReportingCost",
    "x_ExchangeRate",
];

/// The FOCUS rows of a forecast and the lines left out of them.
pub struct FocusRows {
    pub csv: String,
    /// Unpriced lines: FOCUS has no row for a charge without a cost, and a $0 row would be
    /// a lie. One entry per month and line.
    pub left_out: Vec<String>,
}

fn period(m: YearMonth) -> (String, String) {
    let next = if m.month == 12 {
        YearMonth {
            year: m.year + 1,
            month: 1,
        }
    } else {
        YearMonth {
            year: m.year,
            month: m.month + 1,
        }
    };
    let at = |m: YearMonth| format!("{:04}-{:02}-01T00:00:00Z", m.year, m.month);
    (at(m), at(next))
}

/// What kind of charge a line is in FOCUS terms: reserved transcode slots and a flat-rate
/// plan are commitments bought for the month (`Purchase`, `Committed`), the rest is usage
/// at on-demand rates (`Usage`, `Standard`).
fn focus_charge(l: &LineItem) -> (&'static str, &'static str, &'static str) {
    if l.is_commitment() {
        ("Purchase", "Recurring", "Committed")
    } else {
        ("Usage", "Usage-Based", "Standard")
    }
}

/// A month's priced lines summed by service and usage type (a usage type billed per rung or
/// per geography is one charge on the bill): the first line, the quantity, the cost and how
/// many lines. Unpriced lines are left out and named in `left_out`.
fn charges<'a>(
    lines: &'a [LineItem],
    left_out: &mut Vec<String>,
    month: YearMonth,
) -> Vec<(&'a LineItem, rust_decimal::Decimal, Usd, usize)> {
    let mut out: Vec<(&LineItem, rust_decimal::Decimal, Usd, usize)> = Vec::new();
    for l in lines {
        let Some(cost) = l.cost.filter(|_| l.price_status != LineStatus::Unpriced) else {
            left_out.push(format!("{month} {}: {}", l.service.name(), l.description));
            continue;
        };
        match out.iter_mut().find(|(o, ..)| {
            o.service == l.service && o.usage_type == l.usage_type && o.unit == l.unit
        }) {
            Some((_, q, c, n)) => {
                *q += l.quantity;
                *c += cost;
                *n += 1;
            }
            None => out.push((l, l.quantity, cost, 1)),
        }
    }
    out
}

/// The deterministic path's priced lines, one FOCUS 1.2 row per month, service and usage type. A plan has
/// no billing account: `BillingAccountId` is `planned`, its name the scenario's. Columns
/// that do not apply to a plan (commitment discounts, resources, sub-accounts, tags) are
/// present and null, as FOCUS allows for charges they do not describe. A line walked through
/// several tiers has no single rate: its unit prices are the blended rate, cost ÷ quantity,
/// so that `ListCost = ListUnitPrice × PricingQuantity` holds as FOCUS requires.
pub fn forecast_focus(f: &Forecast) -> FocusRows {
    let currency = f.currency.as_ref();
    let mut w = csv_writer();
    w.write_record(FOCUS_COLUMNS);
    let mut left_out = Vec::new();
    for m in &f.months {
        let (start, end) = period(m.month);
        for (l, quantity, cost, lines) in charges(&m.estimate.lines, &mut left_out, m.month) {
            let (category, frequency, pricing) = focus_charge(l);
            let usage = category == "Usage";
            let (service_category, subcategory) = l.service.focus_category();
            let band = band_of(m, l.service);
            let unit_price = if quantity > rust_decimal::Decimal::ZERO {
                // Sixteen places, not the usual six: a rate per request times billions of
                // requests must give the cost back to the cent.
                (cost.0 / quantity).round_dp(16).normalize().to_string()
            } else {
                "0".to_string()
            };
            let description = if lines > 1 {
                format!(
                    "{} (and {} more lines of this usage type)",
                    l.description,
                    lines - 1
                )
            } else {
                l.description.clone()
            };
            let cost_text = machine(cost.0);
            let none = String::new;
            let row: Vec<String> = vec![
                cost_text.clone(),
                "planned".into(),
                f.scenario.clone(),
                "USD".into(),
                end.clone(),
                start.clone(),
                category.into(),
                String::new(),
                description,
                frequency.into(),
                end.clone(),
                start.clone(),
                none(),
                none(),
                none(),
                none(),
                none(),
                // FOCUS 1.2: ConsumedQuantity and ConsumedUnit are null unless the charge
                // is usage; a purchase is priced, not consumed.
                if usage { machine(quantity) } else { none() },
                if usage { l.unit.to_string() } else { none() },
                cost_text.clone(),
                unit_price.clone(),
                cost_text.clone(),
                "Amazon Web Services, Inc.".into(),
                cost_text.clone(),
                unit_price,
                pricing.into(),
                machine(quantity),
                l.unit.to_string(),
                "Amazon Web Services".into(),
                "Amazon Web Services".into(),
                f.region.clone(),
                ladderwise_model::region::location(&f.region)
                    .unwrap_or_default()
                    .to_string(),
                none(),
                none(),
                none(),
                service_category.into(),
                l.service.name().into(),
                subcategory.into(),
                l.sku.as_deref().unwrap_or_default().to_string(),
                l.sku.as_deref().unwrap_or_default().to_string(),
                none(),
                none(),
                none(),
                f.scenario.clone(),
                m.index.to_string(),
                // The bill's own column for the service, so a tool grouping the bill by it
                // (and `actuals import`) reads the plan the same way.
                l.service.code().into(),
                l.usage_type.to_string(),
                l.price_status.as_str().into(),
                l.provenance
                    .as_ref()
                    .map(|p| p.source.clone())
                    .unwrap_or_default(),
                machine(band.p10.0),
                machine(band.p50.0),
                machine(band.p90.0),
                currency.map(|c| c.code.clone()).unwrap_or_default(),
                in_currency(currency, cost).unwrap_or_default(),
                currency
                    .map(|c| {
                        format!(
                            "{} per USD on {} ({})",
                            machine(c.per_usd),
                            c.rate_date,
                            c.source
                        )
                    })
                    .unwrap_or_default(),
            ];
            w.write_record(&row);
        }
    }
    FocusRows {
        csv: w.finish(),
        left_out,
    }
}
