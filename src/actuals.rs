//! `ladderwise actuals …`: import AWS Data Exports (FOCUS 1.2 or CUR 2.0) into the local
//! actuals store and show what it holds.

use std::fmt::Write;
use std::path::PathBuf;

use clap::Subcommand;
use ladderwise_actuals::ChargeKind;
use ladderwise_app::AppError;
use ladderwise_app::actuals::{self, ImportReport, ShowRow};
use ladderwise_model::units::format_quantity;
use rust_decimal::Decimal;

use crate::Format;

#[derive(Subcommand)]
pub enum ActualsCommand {
    /// Import a FOCUS 1.2 or CUR 2.0 export of AWS Data Exports (.parquet, .csv, .csv.gz, or
    /// a directory of them). The months it holds replace those months in the store.
    Import { path: PathBuf },
    /// The stored actuals by month, service and usage type.
    Show {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// First month to show (YYYY-MM).
        #[arg(long)]
        from: Option<String>,
        /// Last month to show (YYYY-MM).
        #[arg(long)]
        to: Option<String>,
    },
}

pub fn run(command: ActualsCommand) -> Result<String, AppError> {
    match command {
        ActualsCommand::Import { path } => import(path),
        ActualsCommand::Show { format, from, to } => {
            for m in [&from, &to].into_iter().flatten() {
                if !ladderwise_usage::partitions::is_month(m) {
                    return Err(AppError::Usage(format!(
                        "`{m}` is not a month\nhint: write YYYY-MM, e.g. 2026-10"
                    )));
                }
            }
            let range = (from.is_some() || to.is_some()).then(|| {
                (
                    from.as_deref().unwrap_or("0000-01"),
                    to.as_deref().unwrap_or("9999-12"),
                )
            });
            let rows = actuals::summary(&actuals::load(range)?);
            Ok(match format {
                Format::Table => table(&rows),
                Format::Json => json(&rows),
                Format::Csv => csv_text(&rows)?,
            })
        }
    }
}

fn import(path: PathBuf) -> Result<String, AppError> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let result = actuals::import(&path, |i, n, f| {
        bar.set_length(n as u64);
        bar.set_position(i as u64);
        bar.set_message(format!("reading {}", f.display()));
    });
    bar.finish_and_clear();
    Ok(import_text(&result?))
}

/// Money to the cent, e.g. `-12.50`.
fn money(d: Decimal) -> String {
    format!(
        "{:.2}",
        d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    )
}

fn import_text(r: &ImportReport) -> String {
    let mut out = String::new();
    let focus = r
        .files
        .iter()
        .filter(|f| f.format == ladderwise_actuals::Format::Focus)
        .count();
    let _ = writeln!(
        out,
        "imported {} file(s) ({} FOCUS 1.2, {} CUR 2.0): {} line(s) of modelled services in {} row(s)",
        r.files.len(),
        focus,
        r.files.len() - focus,
        r.lines,
        r.rows_kept
    );
    if r.months_replaced.is_empty() {
        let _ = writeln!(
            out,
            "no line of a service Ladderwise models: the store is unchanged"
        );
    } else {
        let _ = writeln!(
            out,
            "replaced month(s) {}: an import replaces the months it holds and keeps the others",
            r.months_replaced.join(", ")
        );
    }
    if !r.totals.is_empty() {
        let currency = r.currency.as_deref().unwrap_or("");
        let parts: Vec<String> = r
            .totals
            .iter()
            .map(|(k, v)| format!("{} {}", k.name(), money(*v)))
            .collect();
        let _ = writeln!(out, "billed by kind ({currency}): {}", parts.join(", "));
    }
    if r.lines_without_billed_cost > 0 {
        let _ = writeln!(
            out,
            "warning: {} line(s) had no billed cost and were left out (not counted as 0)",
            r.lines_without_billed_cost
        );
    }
    let _ = writeln!(out, "the store is {}", actuals::store_dir().display());
    out
}

fn opt(d: Option<Decimal>) -> String {
    d.map_or("n/a".to_string(), money)
}

fn table(rows: &[ShowRow]) -> String {
    if rows.is_empty() {
        return "the actuals store is empty\nhint: `ladderwise actuals import PATH` reads a FOCUS 1.2 or CUR 2.0 export\n".into();
    }
    let mut out = String::new();
    let currency = &rows[0].currency;
    let line = |out: &mut String, a: &str, b: &str, c: &str, d: &str, e: &str, f: &str| {
        let _ = writeln!(out, "    {a:<36} {b:<10} {c:>18} {d:<8} {e:>14} {f:>14}");
    };
    let mut month_start = 0;
    while month_start < rows.len() {
        let month = &rows[month_start].month;
        let month_end = rows[month_start..]
            .iter()
            .position(|r| &r.month != month)
            .map_or(rows.len(), |p| month_start + p);
        let of_month = &rows[month_start..month_end];
        let _ = writeln!(out, "{month}");
        let mut s = 0;
        while s < of_month.len() {
            let service = &of_month[s].service_code;
            let e = of_month[s..]
                .iter()
                .position(|r| &r.service_code != service)
                .map_or(of_month.len(), |p| s + p);
            let _ = writeln!(out, "  {service}");
            line(
                &mut out,
                "usage type",
                "kind",
                "usage",
                "unit",
                &format!("billed {currency}"),
                &format!("list {currency}"),
            );
            for r in &of_month[s..e] {
                line(
                    &mut out,
                    &r.usage_type,
                    r.kind.name(),
                    &format_quantity(r.usage_amount, 3),
                    &r.unit,
                    &money(r.billed_cost),
                    &opt(r.list_cost),
                );
            }
            let billed: Decimal = of_month[s..e].iter().map(|r| r.billed_cost).sum();
            line(&mut out, "subtotal", "", "", "", &money(billed), "");
            s = e;
        }
        let _ = writeln!(out, "  by kind:");
        for kind in ChargeKind::ALL {
            let of_kind: Vec<&ShowRow> = of_month.iter().filter(|r| r.kind == kind).collect();
            if !of_kind.is_empty() {
                let total: Decimal = of_kind.iter().map(|r| r.billed_cost).sum();
                let _ = writeln!(out, "    {:<36} {:>14}", kind.name(), money(total));
            }
        }
        let total: Decimal = of_month.iter().map(|r| r.billed_cost).sum();
        let _ = writeln!(out, "  {month} billed total {currency} {}\n", money(total));
        month_start = month_end;
    }
    let _ = writeln!(
        out,
        "Summed over accounts and Regions. Billed is what the invoice charges; list is the public on-demand cost (n/a when a line had none)."
    );
    out
}

fn dec6(d: Decimal) -> String {
    d.round_dp(ladderwise_actuals::DECIMAL_PLACES)
        .normalize()
        .to_string()
}

fn json(rows: &[ShowRow]) -> String {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "month": r.month,
                "service_code": r.service_code,
                "usage_type": r.usage_type,
                "kind": r.kind.name(),
                "usage_amount": dec6(r.usage_amount),
                "unit": r.unit,
                "billed_cost": dec6(r.billed_cost),
                "list_cost": r.list_cost.map(dec6),
                "effective_cost": r.effective_cost.map(dec6),
                "currency": r.currency,
                "line_items": r.line_items,
            })
        })
        .collect();
    // Canonical key order: some dependencies make serde_json keep insertion order.
    ladderwise_app::export::pretty(serde_json::json!({ "schema": 1, "rows": items }))
}

fn csv_text(rows: &[ShowRow]) -> Result<String, AppError> {
    let err = |e: &dyn std::fmt::Display| AppError::Usage(format!("cannot write CSV: {e}"));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record([
        "month",
        "service_code",
        "usage_type",
        "kind",
        "usage_amount",
        "unit",
        "billed_cost",
        "list_cost",
        "effective_cost",
        "currency",
        "line_items",
    ])
    .map_err(|e| err(&e))?;
    for r in rows {
        w.write_record([
            r.month.clone(),
            r.service_code.clone(),
            r.usage_type.clone(),
            r.kind.name().to_string(),
            dec6(r.usage_amount),
            r.unit.clone(),
            dec6(r.billed_cost),
            r.list_cost.map(dec6).unwrap_or_default(),
            r.effective_cost.map(dec6).unwrap_or_default(),
            r.currency.clone(),
            r.line_items.to_string(),
        ])
        .map_err(|e| err(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    String::from_utf8(bytes).map_err(|e| err(&e))
}
