//! The terminal tables of the what-if commands: a comparison with its waterfall, the
//! sensitivity of a scenario, and a solve.

use std::fmt::Write;

use ladderwise_app::whatif::{Comparison, LineChange, LineDelta, SensitivityReport, SolveReport};
use ladderwise_model::units::{Usd, format_change_percent, format_quantity};
use rust_decimal::Decimal;

use super::table::{WIDTH, spread, truncate, width as columns, wrap};

/// `+$1,234.50`, `-$3.20`, `$0.00`.
fn change(u: Usd) -> String {
    if u.to_cents() > Decimal::ZERO {
        format!("+{u}")
    } else {
        u.to_string()
    }
}

/// `label` then columns right-aligned in `widths`.
fn row(label: &str, label_width: usize, cells: &[String], widths: &[usize]) -> String {
    // Padded by the columns the label takes on a terminal, not its characters.
    let mut out = truncate(label, label_width.saturating_sub(1));
    out.push_str(&" ".repeat(label_width.saturating_sub(columns(&out))));
    for (c, w) in cells.iter().zip(widths) {
        let _ = write!(out, "{c:>w$}");
    }
    out.trim_end().to_string()
}

const AMOUNTS: [usize; 3] = [15, 15, 15];

pub fn compare(c: &Comparison) -> String {
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(
        o,
        "Ladderwise comparison: the first month of each plan, B against A"
    );
    let _ = writeln!(
        o,
        "Prices: snapshot {} (created {})",
        c.snapshot.id, c.snapshot.created
    );
    let _ = writeln!(o);
    let total = |s: &ladderwise_app::whatif::Side| s.total.plus_unpriced(!s.complete);
    let _ = writeln!(
        o,
        "{}",
        spread(&format!("  A  {}", c.a.scenario), &total(&c.a), WIDTH)
    );
    let _ = writeln!(
        o,
        "{}",
        spread(&format!("  B  {}", c.b.scenario), &total(&c.b), WIDTH)
    );
    let printed = c.printed_difference();
    // Over totals that leave unpriced lines out the difference is known only when those
    // lines are the same in both, and then with no percentage of a lower bound.
    let diff = match c.percent() {
        _ if !(c.a.complete && c.b.complete) => match c.known_printed_difference() {
            Some(d) => format!("{} (the unpriced lines are the same in A and B)", change(d)),
            None => "unknown".to_string(),
        },
        Some(p) => format!("{}  ({})", change(printed), format_change_percent(p)),
        None => change(printed),
    };
    let _ = writeln!(o, "{}", spread("     Difference, B − A", &diff, WIDTH));
    if !(c.a.complete && c.b.complete) {
        let _ = writeln!(
            o,
            "     Incomplete: unpriced lines are left out of the totals; a difference that needs them is unknown"
        );
    }
    let _ = writeln!(o, "  (A: {}, B: {})", c.a.file, c.b.file);
    let _ = writeln!(o);

    let header = |o: &mut String, title: &str| {
        let _ = writeln!(
            o,
            "{}",
            row(
                title,
                WIDTH - 45,
                &["A".into(), "B".into(), "difference".into()],
                &AMOUNTS
            )
        );
    };
    header(o, "By service");
    for d in &c.services {
        let _ = writeln!(
            o,
            "{}",
            row(
                &format!("  {}", d.name),
                WIDTH - 45,
                &[
                    d.a.at_least(!d.a_complete),
                    d.b.at_least(!d.b_complete),
                    d.printed_difference().map_or("unknown".to_string(), change),
                ],
                &AMOUNTS
            )
        );
    }
    let _ = writeln!(o);
    header(o, "By stage");
    for d in &c.stages {
        let _ = writeln!(
            o,
            "{}",
            row(
                &format!("  {}", d.name),
                WIDTH - 45,
                &[
                    d.a.at_least(!d.a_complete),
                    d.b.at_least(!d.b_complete),
                    d.printed_difference().map_or("unknown".to_string(), change),
                ],
                &AMOUNTS
            )
        );
    }
    let _ = writeln!(o);

    lines(o, c);
    capacity(o, c);
    waterfall(o, c);
    out
}

fn lines(o: &mut String, c: &Comparison) {
    let changed: Vec<&LineDelta> = c
        .lines
        .iter()
        .filter(|l| {
            l.change != LineChange::Matched || l.printed_difference().is_none_or(|d| !d.0.is_zero())
        })
        .collect();
    header_line(o, "Lines that change");
    let mut service = None;
    for l in &changed {
        if service != Some(l.service) {
            service = Some(l.service);
            let _ = writeln!(o, "  {}", l.service.name());
        }
        let mark = match l.change {
            LineChange::Matched => "~",
            LineChange::Added => "+",
            LineChange::Removed => "-",
        };
        let cost = |s: &Option<ladderwise_app::whatif::LineSide>| match s {
            None => "—".to_string(),
            Some(side) => side.cost.map_or("unpriced".to_string(), |u| u.to_string()),
        };
        let diff = l.printed_difference().map_or("unknown".to_string(), change);
        let label = format!("    {mark} {}", l.description());
        let cells = [cost(&l.a), cost(&l.b), diff];
        // A description too long for its column gets a line of its own.
        if columns(&label) >= WIDTH - 45 {
            let _ = writeln!(o, "{label}");
            let _ = writeln!(o, "{}", row("", WIDTH - 45, &cells, &AMOUNTS));
        } else {
            let _ = writeln!(o, "{}", row(&label, WIDTH - 45, &cells, &AMOUNTS));
        }
    }
    let same = c.lines.len() - changed.len();
    let _ = writeln!(
        o,
        "  (~ in both, + only in B, - only in A; matched by service, usage type less its\n  Region's prefix, rung and geography; {same} more line(s) in both cost the same)"
    );
    let _ = writeln!(o);
}

fn header_line(o: &mut String, title: &str) {
    let _ = writeln!(
        o,
        "{}",
        row(
            title,
            WIDTH - 45,
            &["A".into(), "B".into(), "difference".into()],
            &AMOUNTS
        )
    );
}

fn capacity(o: &mut String, c: &Comparison) {
    header_line(o, "Capacity");
    for m in &c.capacity {
        let v = |x: Option<Decimal>| x.map_or("n/a".to_string(), |v| format_quantity(v, 2));
        let diff = match (m.a, m.b) {
            (Some(a), Some(b)) => {
                let d = b - a;
                let text = format_quantity(d, 2);
                if d > Decimal::ZERO {
                    format!("+{text}")
                } else {
                    text
                }
            }
            _ => "n/a".to_string(),
        };
        let _ = writeln!(
            o,
            "{}",
            row(
                &if m.measure.contains(m.unit) {
                    format!("  {}", m.measure)
                } else {
                    format!("  {} ({})", m.measure, m.unit)
                },
                WIDTH - 45,
                &[v(m.a), v(m.b), diff],
                &AMOUNTS
            )
        );
    }
    let _ = writeln!(o);
}

fn waterfall(o: &mut String, c: &Comparison) {
    let w = &c.waterfall;
    let _ = writeln!(o, "Waterfall: what makes the difference");
    if let Some(why) = c.not_attributed() {
        for line in wrap(&why, WIDTH - 2) {
            let _ = writeln!(o, "  {line}");
        }
        return;
    }
    for line in wrap(
        &format!(
            "Each bar is a change's share of the difference: its effect averaged over every order of making the changes. {}.",
            w.method.describe()
        ),
        WIDTH - 2,
    ) {
        let _ = writeln!(o, "  {line}");
    }
    let (bars, residual) = w.rounded(2);
    let _ = writeln!(
        o,
        "{}",
        spread(
            &format!("  A  {}", c.a.scenario),
            &w.start.to_string(),
            WIDTH
        )
    );
    for (bar, usd) in w.bars.iter().zip(&bars) {
        let _ = writeln!(
            o,
            "{}",
            spread(
                &format!("     {}  [{}]", bar.driver.label, bar.driver.path),
                &change(Usd(*usd)),
                WIDTH
            )
        );
        for line in wrap(&format!("{} → {}", bar.driver.a, bar.driver.b), WIDTH - 9) {
            let _ = writeln!(o, "         {line}");
        }
    }
    if !residual.is_zero() {
        let _ = writeln!(
            o,
            "{}",
            spread(
                "     not attributed to a field of the scenario",
                &change(Usd(residual)),
                WIDTH
            )
        );
    }
    if w.bars.is_empty() && residual.is_zero() {
        let _ = writeln!(o, "     (the scenarios differ in no field that is priced)");
    }
    let _ = writeln!(
        o,
        "{}",
        spread(&format!("  B  {}", c.b.scenario), &w.end.to_string(), WIDTH)
    );
    let _ = writeln!(o);
}

/// Two ends of a range to 4 decimals, or to as many more (up to 12) as it takes to tell
/// them apart: a share of 0.02 swung by 0.2 % is 0.01996 to 0.02004, not 0.02 to 0.02.
fn apart(low: Decimal, high: Decimal) -> (String, String) {
    let mut dp = 4;
    while dp < 12 && low != high && format_quantity(low, dp) == format_quantity(high, dp) {
        dp += 1;
    }
    (format_quantity(low, dp), format_quantity(high, dp))
}

pub fn sensitivity(r: &SensitivityReport) -> String {
    let s = &r.sensitivity;
    let mut out = String::new();
    let o = &mut out;
    let swing = format_quantity(s.swing * Decimal::ONE_HUNDRED, 2);
    let _ = writeln!(o, "Ladderwise sensitivity: {}", r.scenario);
    let _ = writeln!(
        o,
        "Prices: snapshot {} (created {})",
        r.snapshot.id, r.snapshot.created
    );
    let _ = writeln!(
        o,
        "Total as it stands: {}{}. Each input moved alone by ±{swing} % of its value",
        s.base_total,
        if s.complete { "" } else { " + unpriced lines" }
    );
    let _ = writeln!(
        o,
        "(clamped to what its field allows), every other input held; largest swing first."
    );
    let _ = writeln!(o);
    let cells: Vec<(String, [String; 5])> = s
        .bars
        .iter()
        .map(|b| {
            let mark = if b.clamped.is_empty() { "" } else { " *" };
            let (low, high) = apart(b.low, b.high);
            (
                format!("{}{mark}", b.path),
                [
                    low,
                    b.low_total.to_string(),
                    high,
                    b.high_total.to_string(),
                    b.swing_text(),
                ],
            )
        })
        .collect();
    let heads = ["low", "total at low", "high", "total at high", "swing"];
    let label_width = cells
        .iter()
        .map(|(l, _)| columns(l))
        .chain(std::iter::once(5))
        .max()
        .unwrap_or(5)
        + 1;
    let widths: Vec<usize> = (0..5)
        .map(|k| {
            cells
                .iter()
                .map(|(_, c)| columns(&c[k]))
                .chain(std::iter::once(heads[k].len()))
                .max()
                .unwrap_or(0)
                + 2
        })
        .collect();
    let heads: Vec<String> = heads.iter().map(|h| h.to_string()).collect();
    let _ = writeln!(o, "{}", row("field", label_width, &heads, &widths));
    for (label, c) in &cells {
        let _ = writeln!(o, "{}", row(label, label_width, c, &widths));
    }
    if !s.complete {
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "Incomplete: the totals leave out the unpriced lines; a swing marked `+ unpriced` also moves them, by an amount no price says. `ladderwise estimate` lists them."
        );
    }
    let clamped: Vec<_> = s.bars.iter().filter(|b| !b.clamped.is_empty()).collect();
    if !clamped.is_empty() {
        let _ = writeln!(o);
        for b in clamped {
            let _ = writeln!(o, "  * {}: {}", b.path, b.clamped.join("; "));
        }
    }
    if !s.not_varied.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Not varied");
        for (reason, inputs) in s.not_varied_by_reason() {
            let paths: Vec<&str> = inputs.iter().map(|n| n.path.as_str()).collect();
            for line in wrap(&format!("{reason}:"), 88) {
                let _ = writeln!(o, "  {line}");
            }
            for line in wrap(&paths.join(", "), 86) {
                let _ = writeln!(o, "    {line}");
            }
        }
    }
    let _ = writeln!(o);
    out
}

pub fn solve(r: &SolveReport) -> String {
    let f = &r.solution;
    let s = &f.solution;
    let field = &f.field;
    let v = |x: Decimal| r.value_text(x);
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(o, "Ladderwise solve: {}", r.scenario);
    let _ = writeln!(
        o,
        "Prices: snapshot {} (created {})",
        r.snapshot.id, r.snapshot.created
    );
    let _ = writeln!(
        o,
        "{field} from {} to {} ({} decimal place(s)), for a monthly total of at most {}",
        v(s.range.low),
        v(s.range.high),
        s.range.decimals,
        r.max_total
    );
    let _ = writeln!(
        o,
        "As it stands: {field} = {}, total {}",
        format_quantity(f.current.value, 6),
        Usd(f.current.cost)
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "{}", r.shape_text());
    // Crossings are listed under the sentence on the shape; a single finding is not.
    let indent = if s.everywhere || s.nowhere() {
        ""
    } else {
        "  "
    };
    for line in r.outcome_lines() {
        let _ = writeln!(o, "{indent}{line}");
    }
    let _ = writeln!(o);
    out
}
