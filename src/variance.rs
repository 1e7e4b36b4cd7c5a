//! `ladderwise variance`: the terminal table of a plan against its bill.

use std::fmt::Write;

use ladderwise_app::variance::{LineVariance, Variance};
use ladderwise_model::units::{Usd, format_quantity};
use rust_decimal::{Decimal, RoundingStrategy};

const LABEL: usize = 44;

fn money(d: Decimal) -> String {
    Usd(d).to_string()
}

fn signed(text: String, d: Decimal) -> String {
    if d.is_sign_positive() && !d.is_zero() {
        format!("+{text}")
    } else {
        text
    }
}

fn percent(p: Option<Decimal>) -> String {
    p.map_or(String::new(), |p| {
        let r = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
        // A rounded zero has no sign.
        let r = if r.is_zero() { Decimal::ZERO } else { r };
        signed(format!("{r:.1} %"), r)
    })
}

fn quantity(d: Decimal) -> String {
    format_quantity(d, 3)
}

fn row(out: &mut String, label: &str, planned: &str, actual: &str, change: &str) {
    let text = format!("{label:<LABEL$} {planned:>16} {actual:>16} {change:>24}");
    let _ = writeln!(out, "{}", text.trim_end());
}

/// A difference as shown, rounded to `dp` places first, so a sign is never put on a zero.
fn change(
    delta: Option<Decimal>,
    pct: Option<Decimal>,
    dp: u32,
    text: impl Fn(Decimal) -> String,
) -> String {
    match delta {
        None => "n/a".into(),
        Some(d) => {
            let d = d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
            let t = signed(text(d), d);
            let p = percent(pct);
            if p.is_empty() {
                t
            } else {
                format!("{t} ({p})")
            }
        }
    }
}

/// `items` joined by ", " in lines of at most `width` characters, later lines indented.
fn wrapped(items: &[&str], width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut current = 0;
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item},")
        } else {
            item.to_string()
        };
        if current > 0 && current + 1 + piece.len() > width {
            out.push('\n');
            out.push_str(indent);
            current = indent.len();
        } else if current > 0 {
            out.push(' ');
            current += 1;
        }
        out.push_str(&piece);
        current += piece.len();
    }
    out
}

fn line(out: &mut String, l: &LineVariance) {
    let _ = writeln!(out, "  {}  {}", l.usage_type, l.description);
    if l.billed_usage_types != [l.usage_type.clone()] {
        let _ = writeln!(out, "    billed as {}", l.billed_usage_types.join(", "));
    }
    row(
        out,
        &format!("    usage ({})", l.unit),
        &quantity(l.planned_usage),
        &l.actual_usage.map_or("n/a".into(), quantity),
        &change(l.usage_delta, l.usage_delta_percent, 3, quantity),
    );
    row(
        out,
        "    cost",
        &l.planned_usd.map_or("unpriced".into(), money),
        &money(l.actual_usd),
        &change(l.delta_usd, l.delta_percent, 2, money),
    );
    for c in &l.conversions {
        let _ = writeln!(out, "    converted: {c}");
    }
    if let Some(d) = &l.driver {
        let _ = writeln!(
            out,
            "    driver: {}",
            wrapped(d.fields, 100, "            ")
        );
        let _ = writeln!(out, "      ({})", d.reason);
    }
    if let Some(n) = &l.note {
        let _ = writeln!(out, "    note: {n}");
    }
}

pub fn table(v: &Variance) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Plan against bill: \"{}\" ({}) in {}, {}",
        v.scenario, v.region, v.month, v.currency
    );
    let _ = writeln!(out, "Plan: {}.", v.plan_note);
    let _ = writeln!(
        out,
        "Prices: snapshot {}. Bill: the actuals store, summed over accounts.\n",
        v.snapshot
    );
    row(&mut out, "", "planned", "actual", "change");
    for s in &v.services {
        let _ = writeln!(out);
        row(
            &mut out,
            &s.service,
            &Usd(s.planned_usd).at_least(!s.planned_complete),
            &money(s.actual_usd),
            &s.delta_usd
                .map_or("unknown".into(), |d| change(Some(d), None, 2, money)),
        );
        for l in &s.lines {
            line(&mut out, l);
        }
        if !s.actual_only.is_empty() {
            let _ = writeln!(out, "  only in the bill:");
            for a in &s.actual_only {
                let label = format!("    {}", a.usage_type);
                row(&mut out, &label, "", &money(a.actual_usd), "");
                let place = if a.region.is_empty() {
                    String::new()
                } else {
                    format!(", {}", a.region)
                };
                let _ = writeln!(
                    out,
                    "      {} {}{place}: {}",
                    a.usage_amount.map_or("n/a".into(), quantity),
                    a.unit,
                    a.reason
                );
            }
        }
        if !s.planned_only.is_empty() {
            let _ = writeln!(out, "  only in the plan (the bill has no line of these):");
            for p in &s.planned_only {
                let label = format!("    {}", p.usage_type);
                row(
                    &mut out,
                    &label,
                    &p.planned_usd.map_or("unpriced".into(), money),
                    "",
                    "",
                );
                let _ = writeln!(
                    out,
                    "      {} {}: {}",
                    quantity(p.planned_usage),
                    p.unit,
                    p.description
                );
            }
        }
    }
    let t = &v.totals;
    if !v.adjustments.is_empty() {
        let _ = writeln!(
            out,
            "\nCredits, refunds, taxes, discounts and commitments (not usage; the plan has none)"
        );
        for a in &v.adjustments {
            let usage = if a.usage_type.is_empty() {
                String::new()
            } else {
                format!(" {}", a.usage_type)
            };
            let label = format!("  {} {}{usage}", a.kind, a.service_code);
            row(&mut out, &label, "", &money(a.actual_usd), "");
        }
    }
    let _ = writeln!(out, "\nTotals");
    row(
        &mut out,
        &format!(
            "  plan{}",
            if t.complete {
                ""
            } else {
                " (incomplete: a line is unpriced)"
            }
        ),
        &money(t.planned_usd),
        "",
        "",
    );
    row(
        &mut out,
        "  actual usage",
        "",
        &money(t.actual_usage_usd),
        "",
    );
    for (kind, amount) in &t.adjustments_by_kind {
        row(&mut out, &format!("  {kind}"), "", &money(*amount), "");
    }
    row(
        &mut out,
        "  net (usage and the above)",
        "",
        &money(t.net_usd),
        "",
    );
    row(
        &mut out,
        "  variance (actual usage − plan)",
        "",
        "",
        &t.variance_usd
            .map_or("unknown (the plan is incomplete)".into(), |d| {
                change(Some(d), t.variance_percent, 2, money)
            }),
    );
    let _ = writeln!(out);
    for n in &v.notes {
        let _ = writeln!(out, "Note: {n}.");
    }
    out
}
