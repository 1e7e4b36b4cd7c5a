//! What-if use cases, shared by the CLI and (later) the desktop app: compare two scenarios
//! (totals, services, stages, lines, capacity, and the waterfall of what caused the
//! difference), the sensitivity of one scenario to each of its inputs, the value of one field
//! that keeps a total under a target, and budget checks. Plain functions returning
//! serializable structs; the maths is in `ladderwise_model::whatif`.

use std::collections::{HashMap, VecDeque};
use std::path::Path;

use ladderwise_model::engine::{Estimate, LineItem, LineKey, Service, Stage};
use ladderwise_model::pricebook::{PriceBook, SnapshotInfo};
use ladderwise_model::scenario::{Geography, Scenario};
use ladderwise_model::units::Usd;
use ladderwise_model::whatif::{self, FieldSolution, OwnRange, Sensitivity, Shape, Waterfall};
use ladderwise_model::{LineStatus, estimate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::{AppError, load_book, load_inputs, load_scenario};

/// One scenario of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Side {
    /// The file it was read from, as given.
    pub file: String,
    pub scenario: String,
    pub total: Usd,
    /// Every line priced; otherwise the total leaves some out.
    pub complete: bool,
}

pub use crate::compare::Delta;

/// Whether a line is in both estimates or in one only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    Matched,
    /// Only in B.
    Added,
    /// Only in A.
    Removed,
}

impl LineChange {
    pub fn as_str(self) -> &'static str {
        match self {
            LineChange::Matched => "matched",
            LineChange::Added => "added",
            LineChange::Removed => "removed",
        }
    }
}

/// A line's quantity and cost in one estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineSide {
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    /// `None` when unpriced.
    pub cost: Option<Usd>,
}

/// One line of the bill in A and B, matched by service, usage type, rung and geography.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineDelta {
    pub change: LineChange,
    pub service: Service,
    pub stage: Stage,
    pub usage_type: String,
    pub rung: Option<String>,
    pub geography: Option<Geography>,
    pub a: Option<LineSide>,
    pub b: Option<LineSide>,
}

impl LineDelta {
    /// What the line is: its description, or A's → B's where the matched line is described
    /// otherwise in B (`after 90 days` → `after 30 days`), so neither side is misnamed.
    pub fn description(&self) -> String {
        match (&self.a, &self.b) {
            (Some(a), Some(b)) if a.description != b.description => {
                format!("{} → {}", a.description, b.description)
            }
            (_, Some(s)) | (Some(s), None) => s.description.clone(),
            (None, None) => String::new(),
        }
    }

    /// The cost of B minus the cost of A (a side without the line costs nothing); `None`
    /// when either side is unpriced.
    pub fn difference(&self) -> Option<Usd> {
        self.costs().map(|(a, b)| b - a)
    }

    /// [`LineDelta::difference`] of the costs as printed, to the cent.
    pub fn printed_difference(&self) -> Option<Usd> {
        self.costs().map(|(a, b)| b.printed_minus(a))
    }

    /// The costs in A and B (a side without the line costs nothing); `None` when either side
    /// is unpriced.
    fn costs(&self) -> Option<(Usd, Usd)> {
        let cost = |s: &Option<LineSide>| match s {
            Some(s) => s.cost,
            None => Some(Usd::ZERO),
        };
        Some((cost(&self.a)?, cost(&self.b)?))
    }
}

/// One capacity figure in A and B.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapacityDelta {
    pub measure: &'static str,
    pub unit: &'static str,
    pub a: Option<Decimal>,
    pub b: Option<Decimal>,
}

/// Two scenarios priced with the same snapshot, side by side, and the waterfall of the
/// drivers that make the difference.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    pub a: Side,
    pub b: Side,
    pub snapshot: SnapshotInfo,
    pub services: Vec<Delta>,
    pub stages: Vec<Delta>,
    /// By service in bill order; in each, A's lines in A's order, then the lines only B has.
    pub lines: Vec<LineDelta>,
    pub capacity: Vec<CapacityDelta>,
    pub waterfall: Waterfall,
}

impl Comparison {
    /// Why the waterfall gives no bars, when it gives none: a side with unpriced lines
    /// leaves their cost out of every bar, and a cost unknown in B would read as a saving.
    /// Every view of the waterfall (table, JSON, chart, the app) takes this one answer.
    pub fn not_attributed(&self) -> Option<String> {
        let which = match (self.a.complete, self.b.complete) {
            (true, true) => return None,
            (false, false) => "A and B have",
            (false, true) => "A has",
            (true, false) => "B has",
        };
        Some(format!(
            "Not attributed: {which} unpriced lines, whose cost every bar would miss (a cost unknown in B would read as a saving). A snapshot with their prices gives the waterfall."
        ))
    }

    pub fn difference(&self) -> Usd {
        self.b.total - self.a.total
    }

    /// The difference of the totals as printed, to the cent: A's printed total plus this is
    /// B's, as the waterfall's bars add up to. Every place that shows the difference in
    /// dollars shows this one.
    pub fn printed_difference(&self) -> Usd {
        self.b.total.printed_minus(self.a.total)
    }

    /// [`Comparison::printed_difference`] when it is the difference of the whole bills:
    /// every line priced in both, or each line left unpriced is the same line at the same
    /// quantity in A and B, so that its unknown cost cancels. `None` otherwise: a cost
    /// unknown in B would read as a saving.
    pub fn known_printed_difference(&self) -> Option<Usd> {
        let cancels = |l: &LineDelta| match (&l.a, &l.b) {
            (Some(a), Some(b)) => {
                a.cost.is_none() && b.cost.is_none() && a.quantity == b.quantity && a.unit == b.unit
            }
            _ => false,
        };
        self.lines
            .iter()
            .all(|l| l.costs().is_some() || cancels(l))
            .then(|| self.printed_difference())
    }

    /// The difference as a percentage of A's total; `None` when A costs nothing.
    pub fn percent(&self) -> Option<Decimal> {
        (!self.a.total.0.is_zero())
            .then(|| self.difference().0 / self.a.total.0 * Decimal::ONE_HUNDRED)
    }

    /// The printed difference as a percentage of A's printed total (both to the cent): what
    /// `--max-increase` checks, so that a difference printed as $0.00 is no increase;
    /// `None` when A's total prints as $0.00.
    pub fn printed_percent(&self) -> Option<Decimal> {
        let a = self.a.total.to_cents();
        (!a.is_zero()).then(|| self.printed_difference().0 / a * Decimal::ONE_HUNDRED)
    }
}

/// Compares two scenarios (each with the name of the file it came from).
pub fn compare(
    (file_a, a): (&str, &Scenario),
    (file_b, b): (&str, &Scenario),
    book: &PriceBook,
) -> Comparison {
    let (ea, eb) = (estimate(a, book), estimate(b, book));
    let side = |file: &str, e: &Estimate| Side {
        file: file.to_string(),
        scenario: e.scenario.clone(),
        total: e.total,
        complete: e.complete,
    };
    Comparison {
        a: side(file_a, &ea),
        b: side(file_b, &eb),
        snapshot: book.snapshot.clone(),
        services: crate::compare::by_service(&ea, &eb),
        stages: crate::compare::by_stage(&ea, &eb),
        lines: match_lines(&ea, &eb),
        capacity: capacity(&ea, &eb),
        // Each coalition of the waterfall is a full estimate; they are priced on every core.
        waterfall: whatif::waterfall_on(
            a,
            b,
            book,
            std::thread::available_parallelism().map_or(1, |n| n.get()),
        ),
    }
}

fn line_side(l: &LineItem) -> LineSide {
    LineSide {
        description: l.description.clone(),
        quantity: l.quantity,
        unit: l.unit.to_string(),
        cost: if l.price_status == LineStatus::Unpriced {
            None
        } else {
            l.cost
        },
    }
}

/// Pairs the lines of two estimates by [`LineKey`], the usage types without their Region's
/// prefix (the same charge in us-east-1 and eu-west-1 is one line that changes, not one
/// removed and one added); a key twice in one estimate is paired in order of appearance.
fn match_lines(a: &Estimate, b: &Estimate) -> Vec<LineDelta> {
    let mut in_b: HashMap<LineKey, VecDeque<usize>> = HashMap::new();
    for (i, l) in b.lines.iter().enumerate() {
        in_b.entry(l.key_across_regions(&b.region))
            .or_default()
            .push_back(i);
    }
    let mut taken = vec![false; b.lines.len()];
    let delta = |change, key: &LineKey, l: &LineItem, a, b| LineDelta {
        change,
        service: key.service,
        stage: l.stage,
        usage_type: l.usage_type.to_string(),
        rung: key.rung.clone(),
        geography: key.geography,
        a,
        b,
    };
    let mut out = Vec::new();
    for l in &a.lines {
        let key = l.key_across_regions(&a.region);
        match in_b.get_mut(&key).and_then(VecDeque::pop_front) {
            Some(j) => {
                taken[j] = true;
                out.push(delta(
                    LineChange::Matched,
                    &key,
                    l,
                    Some(line_side(l)),
                    Some(line_side(&b.lines[j])),
                ));
            }
            None => out.push(delta(
                LineChange::Removed,
                &key,
                l,
                Some(line_side(l)),
                None,
            )),
        }
    }
    for (_, l) in b.lines.iter().enumerate().filter(|(j, _)| !taken[*j]) {
        out.push(delta(
            LineChange::Added,
            &l.key_across_regions(&b.region),
            l,
            None,
            Some(line_side(l)),
        ));
    }
    // Bill order of services; within one, the order above (sort is stable).
    out.sort_by_key(|d| d.service);
    out
}

fn capacity(a: &Estimate, b: &Estimate) -> Vec<CapacityDelta> {
    type Measure = (&'static str, &'static str, fn(&Estimate) -> Option<Decimal>);
    const MEASURES: [Measure; 11] = [
        ("peak egress", "Gbps", |e| Some(e.capacity.peak_egress_gbps)),
        ("average egress", "Gbps", |e| {
            Some(e.capacity.avg_egress_gbps)
        }),
        ("peak requests", "per second", |e| {
            Some(e.capacity.peak_requests_per_second)
        }),
        ("peak concurrent viewers", "viewers", |e| {
            Some(e.capacity.peak_concurrent_viewers)
        }),
        ("average delivered bitrate", "kbps", |e| {
            Some(e.capacity.avg_delivered_kbps)
        }),
        ("stored at month end", "TB", |e| {
            Some(e.capacity.stored_tb_total)
        }),
        ("stored objects", "objects", |e| {
            Some(e.capacity.stored_objects)
        }),
        ("titles per month", "titles", |e| {
            Some(e.capacity.titles_per_month)
        }),
        ("transcode output", "minutes", |e| {
            Some(e.capacity.transcode_output_minutes)
        }),
        ("MediaConvert normalized", "minutes", |e| {
            e.capacity.normalized_minutes
        }),
        ("reserved slots that keep up", "slots", |e| {
            e.capacity.reserved_slots_needed
        }),
    ];
    MEASURES
        .iter()
        .map(|(measure, unit, get)| CapacityDelta {
            measure,
            unit,
            a: get(a),
            b: get(b),
        })
        .collect()
}

/// Loads two scenario files and the prices, and compares them.
pub fn run_compare(a: &Path, b: &Path, pricing: Option<&Path>) -> Result<Comparison, AppError> {
    let (sa, sb) = match (load_scenario(a), load_scenario(b)) {
        (Ok(sa), Ok(sb)) => (sa, sb),
        // Both files' problems at once, not B's only after A's are fixed.
        (Err(AppError::Scenario(ea)), Err(AppError::Scenario(eb))) => {
            return Err(AppError::Scenarios(vec![ea, eb]));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let book = load_book(pricing)?;
    Ok(compare(
        (&a.display().to_string(), &sa),
        (&b.display().to_string(), &sb),
        &book,
    ))
}

/// A scenario's sensitivity, with its name and the snapshot it was priced with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SensitivityReport {
    pub scenario: String,
    pub snapshot: SnapshotInfo,
    #[serde(flatten)]
    pub sensitivity: Sensitivity,
}

/// Moves every numeric driver of the scenario by ±`swing`, or over its own range in `own`
/// (a forecast's ranges, say), and prices both ends.
pub fn sensitivity(
    s: &Scenario,
    book: &PriceBook,
    swing: Decimal,
    own: &[OwnRange],
) -> Result<SensitivityReport, AppError> {
    Ok(SensitivityReport {
        scenario: s.name.clone(),
        snapshot: book.snapshot.clone(),
        sensitivity: whatif::sensitivity(s, book, swing, own)?,
    })
}

/// Loads the inputs and runs [`sensitivity`] with ±`swing` for every driver.
pub fn run_sensitivity(
    scenario: Option<&Path>,
    pricing: Option<&Path>,
    swing: Decimal,
) -> Result<SensitivityReport, AppError> {
    let (s, book) = load_inputs(scenario, pricing)?;
    sensitivity(&s, &book, swing, &[])
}

/// What a solve is for: the value of a field that keeps the total at or under `max`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SolveReport {
    pub scenario: String,
    pub snapshot: SnapshotInfo,
    pub max_total: Usd,
    #[serde(flatten)]
    pub solution: FieldSolution,
}

/// The values of `field` (over `range`, or all its rule allows) at which the scenario's total
/// is at most `max_total`.
pub fn solve(
    s: &Scenario,
    book: &PriceBook,
    field: &str,
    max_total: Usd,
    range: Option<(Decimal, Decimal)>,
) -> Result<SolveReport, AppError> {
    // A value whose total leaves unpriced lines out would meet any budget: the first such
    // estimate stops the solve.
    let unpriced = std::cell::RefCell::new(None);
    let solution = whatif::solve_field(s, book, field, max_total, range, |e| {
        if unpriced.borrow().is_none() {
            *unpriced.borrow_mut() = require_priced(e, "the budget").err();
        }
        e.total
    })?;
    if let Some(e) = unpriced.into_inner() {
        return Err(e);
    }
    Ok(SolveReport {
        scenario: s.name.clone(),
        snapshot: book.snapshot.clone(),
        max_total,
        solution,
    })
}

impl SolveReport {
    /// A value of the field to its precision, trailing zeros kept: `0.9920`.
    pub fn value_text(&self, x: Decimal) -> String {
        let decimals = self.solution.solution.range.decimals;
        let text = ladderwise_model::units::format_quantity(x, decimals);
        let shown = text.split_once('.').map_or(0, |(_, f)| f.len()) as u32;
        let missing = decimals.saturating_sub(shown) as usize;
        match (shown, missing) {
            (_, 0) => text,
            (0, m) => format!("{text}.{}", "0".repeat(m)),
            (_, m) => format!("{text}{}", "0".repeat(m)),
        }
    }

    /// How the total moves with the field, in words.
    pub fn shape_text(&self) -> String {
        let field = &self.solution.field;
        let samples = self.solution.solution.samples.len();
        match self.solution.solution.shape {
            Shape::Falling => format!(
                "The total falls as {field} rises (and never rises, over {samples} sampled values)."
            ),
            Shape::Rising => format!(
                "The total rises with {field} (and never falls, over {samples} sampled values)."
            ),
            Shape::Flat => {
                format!("The total does not move with {field} ({samples} sampled values).")
            }
            Shape::NotMonotone => format!(
                "The total is NOT monotone in {field}: it rises in places and falls in others (over {samples} sampled values); every crossing of the budget found between them is listed."
            ),
        }
    }

    /// What was found, in words: one sentence when every value or none meets the budget,
    /// otherwise one per crossing of the budget.
    pub fn outcome_lines(&self) -> Vec<String> {
        let s = &self.solution.solution;
        let field = &self.solution.field;
        let v = |x| self.value_text(x);
        if s.everywhere {
            let highest = s
                .samples
                .iter()
                .max_by(|a, b| a.cost.cmp(&b.cost))
                .copied()
                .unwrap_or(s.lowest);
            return vec![format!(
                "Every value keeps the total within the budget: the highest, at {}, is {}.",
                v(highest.value),
                Usd(highest.cost)
            )];
        }
        if s.nowhere() {
            return vec![format!(
                "No value sampled meets the budget: the lowest total found, at {}, is {}, over the budget by {}.",
                v(s.lowest.value),
                Usd(s.lowest.cost),
                Usd(s.lowest.cost) - self.max_total
            )];
        }
        s.crossings
            .iter()
            .map(|c| {
                let (meets, other) = if c.meets_above {
                    (c.above, c.below)
                } else {
                    (c.below, c.above)
                };
                let side = if c.meets_above { "≥" } else { "≤" };
                // Either side of a crossing may be within a cent of the budget: written
                // with the decimals that keep it apart from the budget.
                let [met, missed, _] =
                    ladderwise_model::units::usd_apart([Usd(meets.cost), Usd(other.cost), self.max_total]);
                format!(
                    "{field} {side} {} keeps the total within the budget: {met} at {}, {missed} at {}",
                    v(meets.value),
                    v(meets.value),
                    v(other.value)
                )
            })
            .collect()
    }

    /// The value to write into the scenario: the one meeting the budget nearest to the
    /// scenario's own value. `None` when the scenario already meets it, or nothing does.
    pub fn suggested(&self) -> Option<whatif::solve::Point> {
        let f = &self.solution;
        if f.current.cost <= self.max_total.0 || f.solution.nowhere() {
            return None;
        }
        f.solution
            .crossings
            .iter()
            .map(|c| c.meeting())
            .min_by_key(|p| (p.value - f.current.value).abs())
    }
}

/// Loads the inputs and runs [`solve`].
pub fn run_solve(
    scenario: Option<&Path>,
    pricing: Option<&Path>,
    field: &str,
    max_total: Usd,
    range: Option<(Decimal, Decimal)>,
) -> Result<SolveReport, AppError> {
    let (s, book) = load_inputs(scenario, pricing)?;
    solve(&s, &book, field, max_total, range)
}

/// `Err(Unpriced)` when `e` leaves unpriced lines out of its total: `check` cannot be made
/// on it.
pub fn require_priced(e: &Estimate, check: &str) -> Result<(), AppError> {
    let lines: Vec<Service> = e.unpriced().map(|l| l.service).collect();
    if lines.is_empty() {
        return Ok(());
    }
    Err(unpriced_error(check, &e.scenario, &lines, &e.snapshot.id))
}

/// [`AppError::Unpriced`] for unpriced lines of the services `lines` (one per line).
fn unpriced_error(check: &str, scenario: &str, lines: &[Service], snapshot: &str) -> AppError {
    let mut names: Vec<&str> = lines.iter().map(|s| s.short_name()).collect();
    names.sort_unstable();
    names.dedup();
    AppError::Unpriced {
        check: check.to_string(),
        scenario: scenario.to_string(),
        lines: lines.len(),
        services: names.join(", "),
        snapshot: snapshot.to_string(),
    }
}

/// `Err(OverBudget)` when the estimate's total is above `max`; `Err(Unpriced)` when the total
/// leaves unpriced lines out.
pub fn check_total(e: &Estimate, max: Usd) -> Result<(), AppError> {
    require_priced(e, "the budget")?;
    if e.total > max {
        return Err(AppError::OverBudget {
            scenario: e.scenario.clone(),
            total: e.total,
            max,
        });
    }
    Ok(())
}

/// `Err(OverIncrease)` when B's total is more than `max_percent` % above A's (any increase
/// from a total of zero is over).
pub fn check_increase(c: &Comparison, max_percent: Decimal) -> Result<(), AppError> {
    // An unpriced line on either side makes the difference a guess: refused, not passed.
    for (side, is_b) in [(&c.a, false), (&c.b, true)] {
        if side.complete {
            continue;
        }
        let services: Vec<Service> = c
            .lines
            .iter()
            .filter(|l| {
                let own = if is_b { &l.b } else { &l.a };
                own.as_ref().is_some_and(|s| s.cost.is_none())
            })
            .map(|l| l.service)
            .collect();
        return Err(unpriced_error(
            "the allowed increase",
            &side.scenario,
            &services,
            &c.snapshot.id,
        ));
    }
    // The figures as printed, which the message repeats: an increase of a fraction of a
    // cent, printed as $0.00, passes a limit of 0 %.
    let increase = c.printed_difference();
    let percent = c.printed_percent();
    let over = match percent {
        Some(p) => p > max_percent,
        None => increase.0 > Decimal::ZERO,
    };
    if over {
        return Err(AppError::OverIncrease {
            a: c.a.scenario.clone(),
            b: c.b.scenario.clone(),
            increase,
            percent,
            max_percent,
        });
    }
    Ok(())
}

/// `Err(NoValueMeets)` when no value of the field keeps the total within the budget.
pub fn check_solved(r: &SolveReport) -> Result<(), AppError> {
    let s = &r.solution.solution;
    if s.nowhere() {
        return Err(AppError::NoValueMeets {
            field: r.solution.field.clone(),
            from: s.range.low,
            to: s.range.high,
            value: s.lowest.value,
            total: Usd(s.lowest.cost),
            max: r.max_total,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, shipped_price_book};
    use ladderwise_charts::Chart;

    fn shipped(name: &str) -> Scenario {
        let path = format!("{}/../../scenarios/{name}.toml", env!("CARGO_MANIFEST_DIR"));
        load_scenario(Path::new(&path)).unwrap()
    }

    fn compared(a: &str, b: &str) -> Comparison {
        let book = shipped_price_book().unwrap();
        compare((a, &shipped(a)), (b, &shipped(b)), &book)
    }

    #[test]
    fn lines_are_matched_and_their_differences_add_up_to_the_totals() {
        // From CloudFront to direct S3 and from MediaConvert to Elastic Transcoder: lines
        // appear and disappear.
        let c = compared("ugc-short-form", "legacy-elastic-transcoder");
        assert!(c.a.complete && c.b.complete);
        let sum: Decimal = c.lines.iter().map(|l| l.difference().unwrap().0).sum();
        assert_eq!(sum.round_dp(12), c.difference().0.round_dp(12));
        let services: Decimal = c.services.iter().map(|d| d.difference().unwrap().0).sum();
        assert_eq!(services.round_dp(12), c.difference().0.round_dp(12));
        let removed = |s: Service| {
            c.lines
                .iter()
                .filter(|l| l.service == s)
                .all(|l| l.change == LineChange::Removed && l.b.is_none())
        };
        let added = |s: Service| {
            c.lines
                .iter()
                .filter(|l| l.service == s)
                .all(|l| l.change == LineChange::Added && l.a.is_none())
        };
        assert!(removed(Service::CloudFront) && removed(Service::MediaConvert));
        assert!(added(Service::DataTransfer) && added(Service::ElasticTranscoder));
        // CloudFront's lines were matched by geography, each once.
        let geos: Vec<_> = c
            .lines
            .iter()
            .filter(|l| l.service == Service::CloudFront && l.stage == Stage::Delivery)
            .map(|l| l.geography)
            .collect();
        assert_eq!(
            geos,
            [
                Some(Geography::Us),
                Some(Geography::Europe),
                Some(Geography::India)
            ]
        );
        // Matched lines keep both sides.
        let same = compared("premium-ott", "premium-ott-smaller-ladder");
        assert!(same.lines.iter().all(|l| l.change == LineChange::Matched));
        assert_eq!(same.waterfall.bars.len(), 3, "{:?}", same.waterfall.bars);
    }

    /// One charge in two Regions is one line that changes: S3's `TimedStorage-ByteHrs` in
    /// us-east-1 is `EU-TimedStorage-ByteHrs` in eu-west-1, and MediaConvert's `IAD-` is
    /// `DUB-`; CloudFront's edge geographies (`EU-` for Europe) stay apart from them, and
    /// the WAF of a CloudFront distribution, billed in us-east-1 from every Region
    /// (`USE1-WebACL`), is one line too.
    #[test]
    fn a_charge_in_another_region_is_the_same_line() {
        let book = shipped_price_book().unwrap();
        for name in ["premium-ott", "reference-pipeline"] {
            let a = shipped(name);
            let mut b = a.clone();
            b.region = "eu-west-1".into();
            for c in [
                compare(("a", &a), ("b", &b), &book),
                compare(("b", &b), ("a", &a), &book),
            ] {
                assert!(c.a.complete && c.b.complete);
                let unmatched: Vec<_> = c
                    .lines
                    .iter()
                    .filter(|l| l.change != LineChange::Matched)
                    .map(|l| (l.change, l.usage_type.as_str()))
                    .collect();
                assert!(unmatched.is_empty(), "{name}: {unmatched:?}");
            }
        }
        let a = shipped("reference-pipeline");
        let mut b = a.clone();
        b.region = "eu-west-1".into();
        let c = compare(("a", &a), ("b", &b), &book);
        assert!(
            c.lines
                .iter()
                .any(|l| l.service == Service::Waf && l.usage_type == "USE1-WebACL"),
            "no WAF line"
        );
        let a = shipped("premium-ott");
        let mut b = a.clone();
        b.region = "eu-west-1".into();
        let c = compare(("a", &a), ("b", &b), &book);
        for (service, usage_type) in [
            (Service::S3, "TimedStorage-ByteHrs"),
            (Service::MediaConvert, "IAD-Normalized-Transcode-Minute"),
        ] {
            assert!(
                c.lines
                    .iter()
                    .any(|l| l.service == service && l.usage_type.starts_with(usage_type)),
                "{service:?} {usage_type}"
            );
        }
    }

    #[test]
    fn budgets_and_thresholds_are_over_budget_findings() {
        let book = shipped_price_book().unwrap();
        let e = estimate(&shipped("ugc-short-form"), &book);
        assert!(check_total(&e, e.total).is_ok());
        let over = check_total(&e, Usd(e.total.0 - Decimal::ONE)).unwrap_err();
        assert_eq!(over.kind(), ErrorKind::OverBudget);
        assert!(over.to_string().contains("$1.00 over the budget"), "{over}");
        // The smaller ladder costs 29.7 % less: any threshold passes one way, and the way
        // back is a 42.2 % increase.
        let c = compared("premium-ott", "premium-ott-smaller-ladder");
        assert!(check_increase(&c, Decimal::ZERO).is_ok());
        let back = compared("premium-ott-smaller-ladder", "premium-ott");
        assert!(check_increase(&back, Decimal::from(43)).is_ok());
        let err = check_increase(&back, Decimal::from(42)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OverBudget);
        assert!(err.to_string().contains("(+42.2 %)"), "{err}");
    }

    #[test]
    fn a_waterfall_chart_folds_small_bars_and_still_ends_on_b() {
        let c = compared("ugc-short-form", "elearning-apple-hls");
        for height in [300, 500, 700, 3000] {
            let Chart::Waterfall(w) = crate::views::waterfall(&c, height) else {
                panic!("not a waterfall");
            };
            assert!(w.steps.len() + 2 <= ladderwise_charts::rows_that_fit(height).max(4));
            let end = w.start.1 + w.steps.iter().map(|s| s.1).sum::<f64>();
            assert!(
                (end - w.end.1).abs() < 0.01,
                "{height}: {end} vs {}",
                w.end.1
            );
            if w.steps.len() < c.waterfall.bars.len() {
                assert!(w.steps.last().unwrap().0.starts_with("other ("));
            }
        }
    }
}
