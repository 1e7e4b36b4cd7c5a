//! What differs between two scenarios, as *drivers*: the units a waterfall attributes the
//! difference of two totals to.
//!
//! Drivers are found through the field table ([`fields::FIELDS`]), in its order, so they never
//! depend on the order of the files: every field with an accessor is compared by its value.
//! List-like fields (the geographies, the lifecycle rules, the Comprehend APIs) are one driver
//! each. The ladder is one driver per rung, matched by position, when both ladders have as
//! many rungs; one driver for the whole ladder when rungs were added or removed.
//!
//! A driver is applied by copying B's value into a scenario; applying every driver to A gives
//! B (tested for the shipped scenarios and by a property test). Coalitions are applied in the
//! table's order, so a scenario with any set of drivers changed is one well-defined scenario.

use serde::Serialize;

use crate::scenario::fields::{self, Field, FieldValue, Kind};
use crate::scenario::{Rung, Scenario};
use crate::units::format_quantity;

/// One difference between two scenarios.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Driver {
    /// The field path (`delivery.cache_hit_rate`), the rung (`ladder.rungs[3]`, from 1), or the
    /// list (`ladder.rungs`, `audience.geo`, `storage.lifecycle`, `nlp.apis`).
    pub path: String,
    /// A short name for tables and charts.
    pub label: String,
    /// The value in A and in B, as text.
    pub a: String,
    pub b: String,
    #[serde(skip)]
    what: What,
}

#[derive(Clone, Copy, Debug)]
enum What {
    Field(&'static Field),
    Rung(usize),
    Ladder,
    List(List),
}

impl PartialEq for What {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            // A field of the table is the same field when its path is.
            (What::Field(a), What::Field(b)) => a.path == b.path,
            (What::Rung(a), What::Rung(b)) => a == b,
            (What::Ladder, What::Ladder) => true,
            (What::List(a), What::List(b)) => a == b,
            _ => false,
        }
    }
}

/// The list-like fields, each taken as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum List {
    Geographies,
    Lifecycle,
    ComprehendApis,
}

impl List {
    /// The list a `Kind::List` or `Kind::Table` field of the table is; `ladder.rungs` is not
    /// one of them (rungs are drivers of their own).
    fn of(path: &str) -> Option<List> {
        match path {
            "audience.geo" => Some(List::Geographies),
            "storage.lifecycle" => Some(List::Lifecycle),
            "nlp.apis" => Some(List::ComprehendApis),
            _ => None,
        }
    }

    fn same(self, a: &Scenario, b: &Scenario) -> bool {
        match self {
            List::Geographies => a.audience.geo == b.audience.geo,
            List::Lifecycle => a.storage.lifecycle == b.storage.lifecycle,
            List::ComprehendApis => a.nlp.apis == b.nlp.apis,
        }
    }

    fn copy(self, to: &mut Scenario, from: &Scenario) {
        match self {
            List::Geographies => to.audience.geo.clone_from(&from.audience.geo),
            List::Lifecycle => to.storage.lifecycle.clone_from(&from.storage.lifecycle),
            List::ComprehendApis => to.nlp.apis.clone_from(&from.nlp.apis),
        }
    }

    fn text(self, s: &Scenario) -> String {
        let none = |t: String| if t.is_empty() { "none".into() } else { t };
        match self {
            List::Geographies => none(
                s.audience
                    .geo
                    .iter()
                    .map(|(g, share)| format!("{} {}", g.key(), share.normalize()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            List::Lifecycle => none(
                s.storage
                    .lifecycle
                    .iter()
                    .map(|t| format!("{} after {} days", t.class.name(), t.after_days.normalize()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            List::ComprehendApis => none(
                s.nlp
                    .apis
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        }
    }
}

/// Fields that are no driver: the scenario's name changes no cost.
const NOT_DRIVERS: [&str; 1] = ["scenario.name"];

/// Whether a field can change a month's cost. The `[forecast]` section plans the months
/// ahead (start, horizon, growth, events, budget) and prices none of them by itself.
fn is_driver(field: &Field) -> bool {
    !NOT_DRIVERS.contains(&field.path) && !field.path.starts_with("forecast")
}

/// The drivers in which `b` differs from `a`, in the field table's order.
pub fn drivers(a: &Scenario, b: &Scenario) -> Vec<Driver> {
    let mut out = Vec::new();
    for field in fields::FIELDS {
        if !is_driver(field) {
            continue;
        }
        if field.path == "ladder.rungs" {
            ladder_drivers(a, b, &mut out);
            continue;
        }
        if matches!(field.kind, Kind::List | Kind::Table) {
            if let Some(list) = List::of(field.path)
                && !list.same(a, b)
            {
                out.push(Driver {
                    path: field.path.to_string(),
                    label: field.label.to_string(),
                    a: list.text(a),
                    b: list.text(b),
                    what: What::List(list),
                });
            }
            continue;
        }
        // Items of lists are compared with their list.
        if field.path.contains("[N]") || field.path.contains('<') {
            continue;
        }
        let Some(access) = field.access else {
            continue;
        };
        let (va, vb) = ((access.get)(a, 0), (access.get)(b, 0));
        if va != vb {
            out.push(Driver {
                path: field.path.to_string(),
                label: field.label.to_string(),
                a: value_text(va.as_ref()),
                b: value_text(vb.as_ref()),
                what: What::Field(field),
            });
        }
    }
    out
}

fn ladder_drivers(a: &Scenario, b: &Scenario, out: &mut Vec<Driver>) {
    let (ra, rb) = (&a.ladder.rungs, &b.ladder.rungs);
    if ra.len() == rb.len() {
        for (i, (x, y)) in ra.iter().zip(rb).enumerate() {
            if x != y {
                let name = if x.name == y.name {
                    x.name.clone()
                } else {
                    format!("{} → {}", x.name, y.name)
                };
                let (a_text, b_text) = rung_texts(a, b, i);
                out.push(Driver {
                    path: format!("ladder.rungs[{}]", i + 1),
                    label: format!("rung {} ({name})", i + 1),
                    a: a_text,
                    b: b_text,
                    what: What::Rung(i),
                });
            }
        }
    } else {
        out.push(Driver {
            path: "ladder.rungs".into(),
            label: format!("ladder ({} → {} rungs)", ra.len(), rb.len()),
            a: ladder_text(ra),
            b: ladder_text(rb),
            what: What::Ladder,
        });
    }
}

fn value_text(v: Option<&FieldValue>) -> String {
    match v {
        Some(FieldValue::Number(n)) => format_quantity(*n, 6),
        Some(FieldValue::Bool(b)) => b.to_string(),
        Some(FieldValue::Text(t)) => t.clone(),
        None => "none".into(),
    }
}

/// What differs between rung `i` of `a` and of `b`, field by field of the table:
/// `codec avc, video_kbps 3,000` and `codec hevc, video_kbps 1,800`.
fn rung_texts(a: &Scenario, b: &Scenario, i: usize) -> (String, String) {
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for field in fields::in_section("ladder.rungs[N]") {
        let Some(access) = field.access else {
            continue;
        };
        let (va, vb) = ((access.get)(a, i), (access.get)(b, i));
        if va != vb {
            ta.push(format!("{} {}", field.key(), value_text(va.as_ref())));
            tb.push(format!("{} {}", field.key(), value_text(vb.as_ref())));
        }
    }
    (ta.join(", "), tb.join(", "))
}

fn ladder_text(rungs: &[Rung]) -> String {
    let names: Vec<&str> = rungs.iter().map(|r| r.name.as_str()).collect();
    let noun = if rungs.len() == 1 { "rung" } else { "rungs" };
    format!("{} {noun}: {}", rungs.len(), names.join(", "))
}

impl Driver {
    /// Sets this driver in `to` to its value in `from`.
    pub fn apply(&self, to: &mut Scenario, from: &Scenario) {
        match self.what {
            What::Field(field) => {
                if let Some(access) = field.access
                    && let Some(v) = (access.get)(from, 0)
                {
                    (access.set)(to, 0, &v);
                }
            }
            What::Rung(i) => {
                if let (Some(t), Some(f)) = (to.ladder.rungs.get_mut(i), from.ladder.rungs.get(i)) {
                    t.clone_from(f);
                }
            }
            What::Ladder => to.ladder.rungs.clone_from(&from.ladder.rungs),
            What::List(list) => list.copy(to, from),
        }
    }

    /// The field this driver is, when it is one field of the table.
    pub fn field(&self) -> Option<&'static Field> {
        match self.what {
            What::Field(f) => Some(f),
            _ => None,
        }
    }
}

/// `a` with the drivers picked by `with` (one flag per driver of `drivers`) set to their
/// values in `b`, applied in the drivers' (the field table's) order.
pub fn with_drivers(a: &Scenario, b: &Scenario, drivers: &[Driver], with: &[bool]) -> Scenario {
    let mut s = a.clone();
    for (d, on) in drivers.iter().zip(with) {
        if *on {
            d.apply(&mut s, b);
        }
    }
    s
}

/// Whether every list-like field of the table is handled here: a list added to the table
/// must be given a way to compare and copy it, or it would be missed by every waterfall.
pub fn every_list_is_known() -> Result<(), String> {
    for f in fields::FIELDS {
        if matches!(f.kind, Kind::List | Kind::Table)
            && is_driver(f)
            && f.path != "ladder.rungs"
            && List::of(f.path).is_none()
        {
            return Err(f.path.to_string());
        }
    }
    Ok(())
}
