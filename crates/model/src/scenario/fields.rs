//! Every field of the scenario file, described once: its path, type and rule, unit, default,
//! label and help, and whether a sweep may vary it.
//!
//! The file reader checks values by these rules, `sweep::with_field` checks swept values by
//! the same ones and sets them through the same accessors, the desktop app receives the table
//! at startup to build its form, and the field tables of `docs/scenario.md` are generated from
//! it (a test fails when they differ). A new field is added here and nowhere else.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::forecast::{
    DEFAULT_MONTHS, DEFAULT_PATHS, Driver, Growth, GrowthKind, MAX_MONTHS, MAX_PATHS, YearMonth,
};
use super::{
    AudioLayout, Cdn, Codec, Geography, MediaConvertTier, NlpMode, PlanChoice, Pooling, Protocol,
    Scenario, StorageClass, TranscodeService,
};
use crate::units::{Bitrate, Minutes};

/// The largest number any field accepts. Products of several fields are bounded by
/// [`crate::engine::drivers::MAX_MONTHLY_COUNT`], which keeps every product in the engine
/// far below `Decimal::MAX` (about 7.9e28), so no arithmetic on validated input can overflow.
pub const MAX_NUMBER: i64 = 1_000_000_000_000;

/// What a number counts, for hints and for the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Kbps,
    Minutes,
    Seconds,
    Days,
    Months,
    Share,
    Count,
    Pixels,
    Fps,
    Usd,
    Percent,
    Text,
}

impl Unit {
    /// How hints name the unit, read straight after the number they ask for: "write a
    /// number{phrase}" is "write a number in seconds", and plain "write a number" for a
    /// count or a ratio, which have no unit to name.
    pub fn phrase(self) -> &'static str {
        match self {
            Unit::Kbps => " in kilobits per second",
            Unit::Minutes => " in minutes",
            Unit::Seconds => " in seconds",
            Unit::Days => " in days",
            Unit::Months => " in months",
            Unit::Share => " as a fraction from 0 to 1",
            Unit::Count => "",
            Unit::Pixels => " in pixels",
            Unit::Fps => " in frames per second",
            Unit::Usd => " in US dollars",
            Unit::Percent => " as a fraction (0.02 for 2 %)",
            Unit::Text => " as text",
        }
    }

    /// The short unit the form shows beside a field.
    pub fn short(self) -> &'static str {
        match self {
            Unit::Kbps => "kbit/s",
            Unit::Minutes => "min",
            Unit::Seconds => "s",
            Unit::Days => "days",
            Unit::Months => "months",
            Unit::Share => "fraction",
            Unit::Usd => "USD",
            Unit::Percent => "fraction",
            Unit::Pixels => "px",
            Unit::Fps => "fps",
            Unit::Count | Unit::Text => "",
        }
    }

    /// An example value of the field `key`, for "add `key = …`" hints: a 720p frame's
    /// width and height for pixels.
    pub fn example(self, key: &str) -> &'static str {
        match self {
            Unit::Share | Unit::Percent => "0.5",
            Unit::Kbps => "3000",
            Unit::Pixels if key == "height" => "720",
            Unit::Pixels => "1280",
            Unit::Fps => "30",
            _ => "1",
        }
    }
}

/// How a number is checked.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NumberRule {
    pub min: Decimal,
    /// `true`: the value must be greater than `min`; `false`: at least `min`.
    pub min_exclusive: bool,
    pub max: Decimal,
    pub integer: bool,
    /// A smallest accepted value above an exclusive minimum (0.01 minutes): smaller values
    /// describe nothing real and would multiply counts past what the engine's decimals hold.
    pub floor: Option<Decimal>,
    /// A fraction people often write in percent: values from 1 to 100 get a hint with the
    /// fraction they meant.
    pub percent_hint: bool,
}

const fn dec(v: i64) -> Decimal {
    let m = v.unsigned_abs();
    Decimal::from_parts(m as u32, (m >> 32) as u32, 0, v < 0, 0)
}

impl NumberRule {
    pub const fn at_least(min: i64) -> NumberRule {
        NumberRule {
            min: dec(min),
            min_exclusive: false,
            max: dec(MAX_NUMBER),
            integer: false,
            floor: None,
            percent_hint: false,
        }
    }
    /// Any number from −[`MAX_NUMBER`] to [`MAX_NUMBER`] (a rate that may fall).
    pub const fn signed() -> NumberRule {
        NumberRule::at_least(-MAX_NUMBER)
    }
    /// A number greater than `min`.
    pub const fn above(min: i64) -> NumberRule {
        NumberRule {
            min_exclusive: true,
            ..NumberRule::at_least(min)
        }
    }
    pub const fn positive() -> NumberRule {
        NumberRule {
            min_exclusive: true,
            ..NumberRule::at_least(0)
        }
    }
    /// A fraction from 0 to 1.
    pub const fn share() -> NumberRule {
        NumberRule {
            max: dec(1),
            ..NumberRule::at_least(0)
        }
    }
    /// A rate from 0 to 1; `95` gets the hint `0.95`.
    pub const fn rate() -> NumberRule {
        NumberRule {
            percent_hint: true,
            ..NumberRule::share()
        }
    }
    pub const fn max(self, max: i64) -> NumberRule {
        NumberRule {
            max: dec(max),
            ..self
        }
    }
    pub const fn integer(self) -> NumberRule {
        NumberRule {
            integer: true,
            ..self
        }
    }
    /// Values below `mantissa × 10^-scale` are refused.
    pub const fn floor(self, mantissa: i64, scale: u32) -> NumberRule {
        NumberRule {
            floor: Some(Decimal::from_parts(mantissa as u32, 0, 0, false, scale)),
            ..self
        }
    }

    /// Checks a value against the rule.
    pub fn check(&self, value: Decimal) -> Result<(), RuleError> {
        let below = if self.min_exclusive {
            value <= self.min
        } else {
            value < self.min
        };
        if self.percent_hint && value > self.max && value >= self.min {
            return Err(RuleError::NotAFraction(value));
        }
        if below {
            return Err(RuleError::Below {
                value,
                min: self.min,
                exclusive: self.min_exclusive,
            });
        }
        if value > self.max {
            return Err(RuleError::Above {
                value,
                max: self.max,
            });
        }
        if let Some(floor) = self.floor
            && value < floor
        {
            return Err(RuleError::BelowFloor { value, floor });
        }
        if self.integer && !value.fract().is_zero() {
            return Err(RuleError::NotWhole(value));
        }
        Ok(())
    }

    /// Whether the rule is a fraction: 0 to 1, both included.
    pub fn is_fraction(&self) -> bool {
        self.min.is_zero() && self.max == Decimal::ONE && !self.min_exclusive
    }

    /// The rule in words, for the docs: `number ≥ 0`, `whole number in [1, 2]`, `fraction`.
    pub fn describe(&self) -> String {
        let what = if self.integer {
            "whole number"
        } else {
            "number"
        };
        if self.is_fraction() {
            return "fraction".into();
        }
        if self.min == -dec(MAX_NUMBER) && self.max == dec(MAX_NUMBER) {
            return format!("{what}, negative to fall");
        }
        let low = self.floor.unwrap_or(self.min).normalize();
        let open = self.min_exclusive && self.floor.is_none();
        let high = self.max;
        if high == dec(MAX_NUMBER) {
            if open {
                format!("{what} > {low}")
            } else {
                format!("{what} ≥ {low}")
            }
        } else {
            let high = crate::units::format_quantity(high, 3);
            if open {
                format!("{what} in ({low}, {high}]")
            } else {
                format!("{what} in [{low}, {high}]")
            }
        }
    }
}

/// Why a value breaks its field's rule. The reader and sweeps word it the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    Below {
        value: Decimal,
        min: Decimal,
        exclusive: bool,
    },
    Above {
        value: Decimal,
        max: Decimal,
    },
    BelowFloor {
        value: Decimal,
        floor: Decimal,
    },
    NotWhole(Decimal),
    /// A fraction written as a percentage or larger.
    NotAFraction(Decimal),
    /// A choice field given something else.
    NotAChoice {
        text: String,
        choices: Vec<&'static str>,
    },
    /// The value has the wrong type for the field (a word for a number, …).
    WrongType {
        expected: &'static str,
    },
}

impl RuleError {
    /// The message, naming the field by its `key`.
    pub fn message(&self, key: &str) -> String {
        use crate::units::format_quantity;
        match self {
            RuleError::Below {
                value,
                min,
                exclusive,
            } => {
                let bound = if *exclusive {
                    format!("greater than {min}")
                } else {
                    format!("at least {min}")
                };
                format!("`{key}` must be {bound}, not {}", value.normalize())
            }
            RuleError::Above { value, max } => format!(
                "`{key}` must be at most {}, not {}",
                format_quantity(*max, 3),
                value.normalize()
            ),
            RuleError::BelowFloor { value, floor } => format!(
                "`{key}` must be at least {floor}, not {}",
                value.normalize()
            ),
            RuleError::NotWhole(v) => {
                format!("`{key}` must be a whole number, not {}", v.normalize())
            }
            RuleError::NotAFraction(v) => format!("`{key}` must be between 0 and 1, not {v}"),
            RuleError::NotAChoice { text, .. } => format!("unknown {key} `{text}`"),
            RuleError::WrongType { expected } => format!("`{key}` must be {expected}"),
        }
    }

    /// What to write instead.
    pub fn hint(&self, key: &str, unit: Unit) -> String {
        use crate::units::format_quantity;
        match self {
            RuleError::Below { min, exclusive, .. } => {
                let bound = if *exclusive {
                    format!("greater than {min}")
                } else {
                    format!("at least {min}")
                };
                format!("write a number {bound}{}", unit.phrase())
            }
            RuleError::Above { max, .. } => format!(
                "write a number{} no larger than {}",
                unit.phrase(),
                format_quantity(*max, 3)
            ),
            RuleError::BelowFloor { floor, .. } => {
                format!("write a number of at least {floor}{}", unit.phrase())
            }
            RuleError::NotWhole(v) => format!("write `{key} = {}`", v.round()),
            RuleError::NotAFraction(v) => {
                // 2 to 100 reads as a percentage; just above 1 it more likely means "all of
                // it and a bit", where "0.015 for 1.5 %" would mislead.
                if *v >= Decimal::TWO && *v <= Decimal::ONE_HUNDRED {
                    format!(
                        "write a fraction from 0 to 1: `{key} = {}` for {v} %",
                        (v / Decimal::ONE_HUNDRED).normalize()
                    )
                } else {
                    format!("write a fraction from 0 to 1, e.g. `{key} = 0.9`")
                }
            }
            RuleError::NotAChoice { text, choices } => {
                super::parse::hints::choice_hint(text, choices)
            }
            RuleError::WrongType { .. } => format!("write a value{}", unit.phrase()),
        }
    }
}

/// A field's type and rule.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Number {
        rule: NumberRule,
    },
    Choice {
        choices: &'static [&'static str],
    },
    Bool,
    Text,
    /// A table of values (`audience.geo`).
    Table,
    /// A list (`storage.lifecycle`, `nlp.apis`, `ladder.rungs`).
    List,
}

/// What a field takes when the file leaves it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum DefaultValue {
    /// The file must give it.
    Required,
    /// TOML text of the default.
    Value(&'static str),
    /// A default the docs describe in words (another field's value, "none").
    Described(&'static str),
}

/// One value of a field, typed as the form and sweeps exchange it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Number(Decimal),
    Bool(bool),
    Text(String),
}

impl FieldValue {
    pub fn number(&self) -> Option<Decimal> {
        match self {
            FieldValue::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// Reads and writes a field of a validated scenario; `index` picks the rung or geography of
/// a templated path (0-based) and is ignored otherwise.
#[derive(Clone, Copy)]
pub struct Access {
    pub get: fn(&Scenario, usize) -> Option<FieldValue>,
    /// Writes a value that passed the field's check.
    pub set: fn(&mut Scenario, usize, &FieldValue),
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Access")
    }
}

/// One field of the scenario file.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Field {
    /// The dotted path; rung fields are written `ladder.rungs[N].key`, geography shares
    /// `audience.geo.<geography>`, lifecycle rules `storage.lifecycle[N].key`.
    pub path: &'static str,
    /// A short name for the form.
    pub label: &'static str,
    #[serde(flatten)]
    pub kind: Kind,
    pub unit: Unit,
    pub default: DefaultValue,
    /// What the field means; the docs' "meaning" column and the form's tooltip.
    pub help: &'static str,
    /// A sweep, a sensitivity run or a solve may vary it.
    pub sweep: bool,
    #[serde(skip)]
    pub access: Option<Access>,
}

impl Field {
    /// The largest value a number field accepts; `None` for other kinds.
    pub fn max(&self) -> Option<Decimal> {
        match self.kind {
            Kind::Number { rule } => Some(rule.max),
            _ => None,
        }
    }

    /// The last key of the path (`video_kbps`).
    pub fn key(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }

    /// The section the field is in (`content`, `ladder.rungs[N]`).
    pub fn section(&self) -> &'static str {
        self.path
            .rsplit_once('.')
            .map_or("", |(section, _)| section)
    }

    pub fn rule(&self) -> Option<&NumberRule> {
        match &self.kind {
            Kind::Number { rule } => Some(rule),
            _ => None,
        }
    }

    /// Checks a value for this field as the scenario file would be checked.
    pub fn check(&self, value: &FieldValue) -> Result<(), RuleError> {
        match (&self.kind, value) {
            (Kind::Number { rule }, FieldValue::Number(n)) => rule.check(*n),
            (Kind::Number { .. }, _) => Err(RuleError::WrongType {
                expected: "a number",
            }),
            (Kind::Choice { choices }, FieldValue::Text(t)) => {
                if choices.contains(&t.as_str()) {
                    Ok(())
                } else {
                    Err(RuleError::NotAChoice {
                        text: t.clone(),
                        choices: choices.to_vec(),
                    })
                }
            }
            (Kind::Choice { .. }, _) => Err(RuleError::WrongType {
                expected: "one of the choices",
            }),
            (Kind::Bool, FieldValue::Bool(_)) => Ok(()),
            (Kind::Bool, _) => Err(RuleError::WrongType {
                expected: "true or false",
            }),
            (Kind::Text, FieldValue::Text(_)) => Ok(()),
            (Kind::Text, _) => Err(RuleError::WrongType {
                expected: "a string",
            }),
            (Kind::Table | Kind::List, _) => Err(RuleError::WrongType {
                expected: "edited as a whole",
            }),
        }
    }

    /// The default as the docs show it.
    pub fn default_text(&self) -> String {
        match self.default {
            DefaultValue::Required => "required".into(),
            DefaultValue::Value(v) => format!("`{v}`"),
            DefaultValue::Described(d) => d.into(),
        }
    }

    /// The type as the docs show it.
    pub fn type_text(&self) -> String {
        match &self.kind {
            Kind::Number { rule } => rule.describe(),
            Kind::Choice { choices } => choices
                .iter()
                .map(|c| format!("`\"{c}\"`"))
                .collect::<Vec<_>>()
                .join(", "),
            Kind::Bool => "boolean".into(),
            Kind::Text => "string".into(),
            Kind::Table => "inline table".into(),
            Kind::List => "list".into(),
        }
    }
}

/// A section of the file.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct SectionInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub required: bool,
}

/// The sections, in the order of the file and the docs.
pub const SECTIONS: &[SectionInfo] = &[
    SectionInfo {
        name: "scenario",
        title: "Scenario",
        required: true,
    },
    SectionInfo {
        name: "content",
        title: "Content",
        required: true,
    },
    SectionInfo {
        name: "ladder",
        title: "Ladder",
        required: true,
    },
    SectionInfo {
        name: "ladder.rungs[N]",
        title: "Rungs",
        required: true,
    },
    SectionInfo {
        name: "audience",
        title: "Audience",
        required: true,
    },
    SectionInfo {
        name: "account",
        title: "Account",
        required: false,
    },
    SectionInfo {
        name: "delivery",
        title: "Delivery",
        required: false,
    },
    SectionInfo {
        name: "transcode",
        title: "Transcode",
        required: false,
    },
    SectionInfo {
        name: "storage",
        title: "Storage",
        required: false,
    },
    SectionInfo {
        name: "storage.lifecycle[N]",
        title: "Lifecycle rules",
        required: false,
    },
    SectionInfo {
        name: "vision",
        title: "Image and video analysis (Rekognition)",
        required: false,
    },
    SectionInfo {
        name: "nlp",
        title: "Text analysis (Comprehend)",
        required: false,
    },
    SectionInfo {
        name: "pipeline",
        title: "Serverless glue",
        required: false,
    },
    SectionInfo {
        name: "forecast",
        title: "Forecast",
        required: false,
    },
    SectionInfo {
        name: "forecast.growth.<driver>",
        title: "Growth of a driver",
        required: false,
    },
    SectionInfo {
        name: "forecast.events[N]",
        title: "Events",
        required: false,
    },
];

// ----- accessors --------------------------------------------------------------------------

fn num(v: &FieldValue) -> Decimal {
    v.number().unwrap_or_default()
}

fn text(v: &FieldValue) -> &str {
    match v {
        FieldValue::Text(t) => t,
        _ => "",
    }
}

fn flag(v: &FieldValue) -> bool {
    matches!(v, FieldValue::Bool(true))
}

fn n(d: Decimal) -> Option<FieldValue> {
    Some(FieldValue::Number(d))
}

fn t(s: &str) -> Option<FieldValue> {
    Some(FieldValue::Text(s.to_string()))
}

fn b(v: bool) -> Option<FieldValue> {
    Some(FieldValue::Bool(v))
}

fn choice<T: Copy + PartialEq>(options: &[(&'static str, T)], value: T) -> Option<FieldValue> {
    options
        .iter()
        .find(|(_, o)| *o == value)
        .map(|(k, _)| FieldValue::Text((*k).to_string()))
}

fn pick<T: Copy>(options: &[(&'static str, T)], v: &FieldValue) -> Option<T> {
    options.iter().find(|(k, _)| *k == text(v)).map(|(_, o)| *o)
}

/// The growth of the `i`-th driver of [`Driver::ALL`], if it is of `kind`.
fn growth(s: &Scenario, i: usize, kind: GrowthKind) -> Option<&Growth> {
    let driver = Driver::ALL.get(i)?;
    s.forecast.growth_of(*driver).filter(|g| g.kind == kind)
}

/// Sets the `i`-th driver's growth to `rate` of `kind`, keeping its range.
fn set_growth(s: &mut Scenario, i: usize, kind: GrowthKind, rate: Decimal) {
    let Some(driver) = Driver::ALL.get(i).copied() else {
        return;
    };
    match s.forecast.growth.iter_mut().find(|g| g.driver == driver) {
        Some(g) => {
            g.kind = kind;
            g.rate = rate;
        }
        None => s.forecast.growth.push(Growth {
            driver,
            kind,
            rate,
            spread: None,
        }),
    }
}

macro_rules! access {
    (|$s:ident, $i:ident| $get:expr, |$m:ident, $j:ident, $v:ident| $set:expr) => {
        Some(Access {
            get: |$s: &Scenario, $i: usize| {
                let _ = $i;
                $get
            },
            set: |$m: &mut Scenario, $j: usize, $v: &FieldValue| {
                let _ = $j;
                $set
            },
        })
    };
}

const fn number(rule: NumberRule) -> Kind {
    Kind::Number { rule }
}

/// Every field, in file order.
pub static FIELDS: &[Field] = &[
    // ----- [scenario]
    Field {
        path: "scenario.name",
        label: "Name",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Required,
        help: "shown on every report",
        sweep: false,
        access: access!(|s, _i| t(&s.name), |s, _i, v| s.name = text(v).to_string()),
    },
    Field {
        path: "scenario.region",
        label: "Region",
        kind: Kind::Choice {
            choices: crate::region::CODES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"us-east-1\""),
        help: "AWS Region of S3, MediaConvert, Rekognition and Comprehend. The shipped snapshot prices eight Regions (us-east-1, us-west-2, eu-west-1, eu-central-1, ap-northeast-1, ap-southeast-1, ap-south-1, sa-east-1; pricing-cache/README.md says what each lacks); other Regions are accepted and their regional lines show as unpriced until a snapshot covers them",
        sweep: false,
        access: access!(|s, _i| t(&s.region), |s, _i, v| s.region =
            text(v).to_string()),
    },
    Field {
        path: "scenario.schema",
        label: "Schema",
        kind: number(NumberRule::at_least(1).max(1).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("1"),
        help: "the file format version; only 1 exists",
        sweep: false,
        access: None,
    },
    // ----- [content]
    Field {
        path: "content.new_minutes_per_month",
        label: "New minutes / month",
        kind: number(NumberRule::at_least(0)),
        unit: Unit::Minutes,
        default: DefaultValue::Required,
        help: "minutes of source video ingested per month",
        sweep: true,
        access: access!(|s, _i| n(s.content.new_minutes_per_month.0), |s, _i, v| s
            .content
            .new_minutes_per_month =
            Minutes(num(v))),
    },
    Field {
        path: "content.avg_title_minutes",
        label: "Average title length",
        kind: number(NumberRule::positive().floor(1, 2)),
        unit: Unit::Minutes,
        default: DefaultValue::Required,
        help: "mean length of one title; titles per month = new minutes ÷ this. Drives per-output minimums (MediaConvert bills each output at least 10 seconds; Elastic Transcoder rounds each output up to whole minutes), objects per title and PUT requests",
        sweep: true,
        // A view the file does not give is a whole title, and stays one as the title changes
        // (a sweep of the title's length is the file written with each length).
        access: access!(|s, _i| n(s.content.avg_title_minutes.0), |s, _i, v| {
            s.content.avg_title_minutes = Minutes(num(v));
            if s.audience.view_is_title {
                s.audience.avg_view_minutes = s.content.avg_title_minutes;
            }
        }),
    },
    Field {
        path: "content.source_kbps",
        label: "Mezzanine kept at",
        kind: number(NumberRule::at_least(0).max(10_000_000)),
        unit: Unit::Kbps,
        default: DefaultValue::Value("0"),
        help: "the mezzanine is kept in S3 at this bitrate; 0 means it is not kept",
        sweep: true,
        access: access!(|s, _i| n(s.content.source_bitrate.kbps()), |s, _i, v| s
            .content
            .source_bitrate =
            Bitrate::from_kbps(num(v))),
    },
    Field {
        path: "content.retention_months",
        label: "Retention",
        kind: number(NumberRule::at_least(0)),
        unit: Unit::Months,
        default: DefaultValue::Value("0"),
        help: "outputs are deleted this many months after ingest; 0 keeps them",
        sweep: true,
        access: access!(
            |s, _i| n(s.content.retention_months.unwrap_or_default()),
            |s, _i, v| s.content.retention_months = Some(num(v)).filter(|r| !r.is_zero())
        ),
    },
    Field {
        path: "content.library_minutes",
        label: "Library at start",
        kind: number(NumberRule::at_least(0)),
        unit: Unit::Minutes,
        default: DefaultValue::Value("0"),
        help: "minutes of content already stored when the plan starts. The library is taken to have been ingested at the current rate, so its age runs evenly from 0 to `library_minutes ÷ new_minutes_per_month` months; lifecycle rules place each age in its class. When nothing new arrives, the library is taken to be older than every rule. When retention would already have deleted part of it, only what retention keeps is counted, with a warning",
        sweep: true,
        access: access!(|s, _i| n(s.content.library_minutes.0), |s, _i, v| s
            .content
            .library_minutes =
            Minutes(num(v))),
    },
    // ----- [ladder]
    Field {
        path: "ladder.segment_seconds",
        label: "Segment length",
        kind: number(NumberRule::positive().max(600).floor(1, 1)),
        unit: Unit::Seconds,
        default: DefaultValue::Value("6"),
        help: "segment duration: one object and one request per segment (per track, with separate audio)",
        sweep: true,
        access: access!(|s, _i| n(s.ladder.segment_seconds), |s, _i, v| s
            .ladder
            .segment_seconds =
            num(v)),
    },
    Field {
        path: "ladder.packaging_overhead",
        label: "Packaging overhead",
        kind: number(NumberRule::share()),
        unit: Unit::Share,
        default: DefaultValue::Value("0"),
        help: "container bytes on top of the encoded bitrates, e.g. 0.05 for MPEG-TS, 0.02 for fragmented MP4. Applies to stored and delivered bytes of outputs",
        sweep: true,
        access: access!(|s, _i| n(s.ladder.packaging_overhead), |s, _i, v| s
            .ladder
            .packaging_overhead =
            num(v)),
    },
    Field {
        path: "ladder.audio",
        label: "Audio layout",
        kind: Kind::Choice {
            choices: AudioLayout::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"muxed\""),
        help: "`\"muxed\"`: each rung carries its own audio (`audio_kbps` per rung, as in MPEG-TS HLS). `\"separate\"`: one audio rendition beside the video rungs (CMAF/fMP4, DASH): a player fetches a video and an audio segment for every segment time, one audio track is stored per title instead of one per rung, and MediaConvert bills one audio-only output",
        sweep: false,
        access: access!(
            |s, _i| choice(&AudioLayout::ALL, s.ladder.audio),
            |s, _i, v| if let Some(a) = pick(&AudioLayout::ALL, v) {
                s.ladder.audio = a
            }
        ),
    },
    Field {
        path: "ladder.audio_kbps",
        label: "Audio rendition",
        kind: number(NumberRule::positive().max(100_000)),
        unit: Unit::Kbps,
        default: DefaultValue::Described("required with `audio = \"separate\"`"),
        help: "the bitrate of the separate audio rendition; every viewer receives it beside the video rung they watch. Only with `audio = \"separate\"`; a ladder without sound has no separate rendition: `audio = \"muxed\"` and each rung's `audio_kbps = 0`",
        sweep: true,
        access: access!(|s, _i| n(s.ladder.audio_bitrate.kbps()), |s, _i, v| s
            .ladder
            .audio_bitrate =
            Bitrate::from_kbps(num(v))),
    },
    Field {
        path: "ladder.rungs",
        label: "Rungs",
        kind: Kind::List,
        unit: Unit::Text,
        default: DefaultValue::Described("at least one"),
        help: "the renditions, below",
        sweep: false,
        access: None,
    },
    // ----- [[ladder.rungs]]
    Field {
        path: "ladder.rungs[N].name",
        label: "Name",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Required,
        help: "unique within the ladder; names the rung in reports and in field paths (`ladder.rungs.720p.video_kbps`)",
        sweep: false,
        access: access!(
            |s, i| s.ladder.rungs.get(i).and_then(|r| t(&r.name)),
            |s, i, v| if let Some(r) = s.ladder.rungs.get_mut(i) {
                r.name = text(v).to_string()
            }
        ),
    },
    Field {
        path: "ladder.rungs[N].width",
        label: "Width",
        kind: number(NumberRule::positive().integer().max(16_384)),
        unit: Unit::Pixels,
        default: DefaultValue::Required,
        help: "pixels. The MediaConvert resolution class is taken from the shorter side: under 720 SD, up to 1080 HD, up to 2160 UHD, above 8K; Elastic Transcoder bills under 720 as SD, the rest as HD",
        sweep: false,
        access: access!(
            |s, i| s
                .ladder
                .rungs
                .get(i)
                .and_then(|r| n(Decimal::from(r.width))),
            |s, i, v| if let Some(r) = s.ladder.rungs.get_mut(i) {
                r.width = u32::try_from(num(v).mantissa()).unwrap_or(1)
            }
        ),
    },
    Field {
        path: "ladder.rungs[N].height",
        label: "Height",
        kind: number(NumberRule::positive().integer().max(16_384)),
        unit: Unit::Pixels,
        default: DefaultValue::Required,
        help: "pixels; see `width`",
        sweep: false,
        access: access!(
            |s, i| s
                .ladder
                .rungs
                .get(i)
                .and_then(|r| n(Decimal::from(r.height))),
            |s, i, v| if let Some(r) = s.ladder.rungs.get_mut(i) {
                r.height = u32::try_from(num(v).mantissa()).unwrap_or(1)
            }
        ),
    },
    Field {
        path: "ladder.rungs[N].fps",
        label: "fps",
        kind: number(NumberRule::positive().max(240)),
        unit: Unit::Fps,
        default: DefaultValue::Required,
        help: "frame rate; MediaConvert bills it in bands: up to 30, above 30 to 60 and above 60 to 120 fps (the last two unverified factors); above 120 no band is priced and the rung is listed as unpriced",
        sweep: false,
        access: access!(
            |s, i| s.ladder.rungs.get(i).and_then(|r| n(r.fps)),
            |s, i, v| if let Some(r) = s.ladder.rungs.get_mut(i) {
                r.fps = num(v)
            }
        ),
    },
    Field {
        path: "ladder.rungs[N].codec",
        label: "Codec",
        kind: Kind::Choice {
            choices: Codec::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Required,
        help: "HEVC and AV1 are MediaConvert Professional-tier codecs: such a rung is billed at Professional rates with a warning, whatever `transcode.tier` says. Elastic Transcoder cannot encode HEVC or AV1",
        sweep: false,
        access: access!(
            |s, i| s.ladder.rungs.get(i).and_then(|r| t(r.codec.name())),
            |s, i, v| if let (Some(r), Some(c)) =
                (s.ladder.rungs.get_mut(i), Codec::from_name(text(v)))
            {
                r.codec = c
            }
        ),
    },
    Field {
        path: "ladder.rungs[N].video_kbps",
        label: "Video kbps",
        kind: number(NumberRule::positive().max(1_000_000)),
        unit: Unit::Kbps,
        default: DefaultValue::Required,
        help: "video bitrate in kilobits per second",
        sweep: true,
        access: access!(
            |s, i| s.ladder.rungs.get(i).and_then(|r| n(r.video.kbps())),
            |s, i, v| if let Some(r) = s.ladder.rungs.get_mut(i) {
                r.video = Bitrate::from_kbps(num(v))
            }
        ),
    },
    Field {
        path: "ladder.rungs[N].audio_kbps",
        label: "Audio kbps",
        kind: number(NumberRule::at_least(0).max(100_000)),
        unit: Unit::Kbps,
        default: DefaultValue::Described("required with muxed audio; `0` with separate audio"),
        help: "audio muxed into this rendition, kilobits per second; 0 for video-only. With `ladder.audio = \"separate\"` leave it out (or write 0): the audio rendition's bitrate is `ladder.audio_kbps`",
        sweep: true,
        access: access!(
            |s, i| s.ladder.rungs.get(i).and_then(|r| n(r.audio.kbps())),
            |s, i, v| if let Some(r) = s.ladder.rungs.get_mut(i) {
                r.audio = Bitrate::from_kbps(num(v))
            }
        ),
    },
    Field {
        path: "ladder.rungs[N].watch_share",
        label: "Share",
        kind: number(NumberRule::share()),
        unit: Unit::Share,
        default: DefaultValue::Required,
        help: "share of all watch time spent on this rung; the shares sum to 1 (±0.001, and are then divided by their sum). Delivered bytes use the rung mix, never \"everyone at the top rung\"",
        sweep: false,
        access: access!(
            |s, i| s.ladder.rungs.get(i).and_then(|r| n(r.watch_share)),
            |s, i, v| if let Some(r) = s.ladder.rungs.get_mut(i) {
                r.watch_share = num(v)
            }
        ),
    },
    // ----- [audience]
    Field {
        path: "audience.watch_minutes_per_month",
        label: "Watch minutes / month",
        kind: number(NumberRule::at_least(0)),
        unit: Unit::Minutes,
        default: DefaultValue::Required,
        help: "minutes watched per month, all viewers together",
        sweep: true,
        access: access!(
            |s, _i| n(s.audience.watch_minutes_per_month.0),
            |s, _i, v| s.audience.watch_minutes_per_month = Minutes(num(v))
        ),
    },
    Field {
        path: "audience.geo",
        label: "Geographies",
        kind: Kind::Table,
        unit: Unit::Share,
        default: DefaultValue::Required,
        help: "share of watch time per CloudFront geography (price group); shares sum to 1. Keys: `us` (United States, Mexico, Canada), `europe` (Europe, Israel), `south_africa_middle_east`, `south_america`, `japan`, `australia` (and New Zealand), `asia_pacific` (Hong Kong, Indonesia, Philippines, Singapore, South Korea, Taiwan, Thailand, Malaysia, Vietnam), `india`",
        sweep: false,
        access: None,
    },
    Field {
        path: "audience.geo.<geography>",
        label: "Share",
        kind: number(NumberRule::share()),
        unit: Unit::Share,
        default: DefaultValue::Described("absent: no viewers there"),
        help: "one geography's share of watch time; the shares sum to 1 (±0.001, and are then divided by their sum)",
        sweep: false,
        // The index is the geography's place in `Geography::ALL`; a share the file leaves
        // out is zero, and setting one keeps the geographies in that order.
        access: access!(
            |s, i| {
                let geo = Geography::ALL.get(i)?;
                n(s.audience
                    .geo
                    .iter()
                    .find(|(g, _)| g == geo)
                    .map_or(Decimal::ZERO, |(_, v)| *v))
            },
            |s, i, v| if let Some(geo) = Geography::ALL.get(i).copied() {
                match s.audience.geo.iter_mut().find(|(g, _)| *g == geo) {
                    Some(entry) => entry.1 = num(v),
                    None => {
                        s.audience.geo.push((geo, num(v)));
                        s.audience.geo.sort_by_key(|(g, _)| *g);
                    }
                }
            }
        ),
    },
    Field {
        path: "audience.peak_to_average",
        label: "Peak ÷ average",
        kind: number(NumberRule::at_least(1).max(1000)),
        unit: Unit::Count,
        default: DefaultValue::Value("3"),
        help: "peak egress and request rate ÷ their monthly average, for capacity",
        sweep: true,
        access: access!(|s, _i| n(s.audience.peak_to_average), |s, _i, v| s
            .audience
            .peak_to_average =
            num(v)),
    },
    Field {
        path: "audience.avg_view_minutes",
        label: "Average view",
        kind: number(NumberRule::positive().floor(1, 2)),
        unit: Unit::Minutes,
        default: DefaultValue::Described("`avg_title_minutes`"),
        help: "mean viewing session; each session fetches the multivariant playlist and one media playlist per track, and another for each rung switch",
        sweep: true,
        access: access!(|s, _i| n(s.audience.avg_view_minutes.0), |s, _i, v| {
            s.audience.avg_view_minutes = Minutes(num(v));
            s.audience.view_is_title = false;
        }),
    },
    Field {
        path: "audience.buffer_ahead_seconds",
        label: "Buffer ahead",
        kind: number(NumberRule::at_least(0).max(600)),
        unit: Unit::Seconds,
        default: DefaultValue::Value("30"),
        help: "how far ahead of the playhead players fetch. CloudFront bills the bytes it sends, so a session that ends before its title does leaves this much fetched and unwatched (hls.js `maxBufferLength` and video.js VHS `GOAL_BUFFER_LENGTH` default to 30 s; others buffer 40–60 s)",
        sweep: true,
        access: access!(|s, _i| n(s.audience.buffer_ahead_seconds), |s, _i, v| s
            .audience
            .buffer_ahead_seconds =
            num(v)),
    },
    Field {
        path: "audience.early_exit_share",
        label: "Sessions ending early",
        kind: number(NumberRule::share()),
        unit: Unit::Share,
        default: DefaultValue::Value("0.5"),
        help: "share of viewing sessions that stop before the title ends, each leaving `buffer_ahead_seconds` delivered but unwatched (no more than the title holds: a 15-second clip leaves at most 15 seconds, and sessions that watch `avg_view_minutes` of an `avg_title_minutes` title leave no more than the difference on average)",
        sweep: true,
        access: access!(|s, _i| n(s.audience.early_exit_share), |s, _i, v| s
            .audience
            .early_exit_share =
            num(v)),
    },
    Field {
        path: "audience.preload_seconds",
        label: "Preload per impression",
        kind: number(NumberRule::at_least(0).max(600)),
        unit: Unit::Seconds,
        default: DefaultValue::Value("0"),
        help: "seconds of video fetched for each impression that is not watched (feeds that preload the next clip); no more than the title's length",
        sweep: true,
        access: access!(|s, _i| n(s.audience.preload_seconds), |s, _i, v| s
            .audience
            .preload_seconds =
            num(v)),
    },
    Field {
        path: "audience.impressions_per_session",
        label: "Unwatched impressions per session",
        kind: number(NumberRule::at_least(0).max(1000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "preloaded items per session that are never played; with `preload_seconds` they add egress and requests",
        sweep: true,
        access: access!(|s, _i| n(s.audience.impressions_per_session), |s, _i, v| {
            s.audience.impressions_per_session = num(v)
        }),
    },
    Field {
        path: "audience.rung_switches_per_session",
        label: "Rung switches per session",
        kind: number(NumberRule::at_least(0).max(1000)),
        unit: Unit::Count,
        default: DefaultValue::Value("2"),
        help: "adaptive-bitrate switches per session; each fetches the new rung's media playlist. A ladder of one rung has none",
        sweep: true,
        access: access!(
            |s, _i| n(s.audience.rung_switches_per_session),
            |s, _i, v| s.audience.rung_switches_per_session = num(v)
        ),
    },
    // ----- [delivery]
    // ----- [account]
    Field {
        path: "account.free_tier",
        label: "Always-free allowances",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("true"),
        help: "apply the always-free allowances every AWS account gets: CloudFront 1 TB and 10,000,000 requests a month, 100 GB of data transfer out to the internet. Elastic Transcoder's historic free minutes (20 SD or 10 HD a month, HD counting double) follow the same switch. (Since 2025-07-15 new accounts get credits instead of the 12-month free tier; the always-free allowances remain.) The older `delivery.free_tier` and `transcode.free_tier` keys are still read",
        sweep: false,
        access: access!(|s, _i| b(s.account.free_tier), |s, _i, v| s
            .account
            .free_tier =
            flag(v)),
    },
    Field {
        path: "delivery.cdn",
        label: "CDN",
        kind: Kind::Choice {
            choices: Cdn::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"cloudfront\""),
        help: "`\"cloudfront\"`: pay-as-you-go; `\"cloudfront-flat-rate\"`: a flat-rate plan (`plan`): a monthly price with data-transfer and request allowances and no overage charges; `\"none\"`: viewers fetch segments from S3 directly (S3 GET requests and AWS Data Transfer out)",
        sweep: false,
        access: access!(
            |s, _i| choice(&Cdn::ALL, s.delivery.cdn),
            |s, _i, v| if let Some(c) = pick(&Cdn::ALL, v) {
                s.delivery.cdn = c
            }
        ),
    },
    Field {
        path: "delivery.plan",
        label: "Flat-rate plan",
        kind: Kind::Choice {
            choices: PlanChoice::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"auto\""),
        help: "the CloudFront flat-rate plan, with `cdn = \"cloudfront-flat-rate\"`: `\"free\"`, `\"pro\"`, `\"business\"`, `\"premium\"` (and its levels `\"premium-2\"` … `\"premium-6\"`), or `\"auto\"`: the cheapest plan whose data transfer and request allowances both fit",
        sweep: false,
        access: access!(
            |s, _i| t(s.delivery.plan.name()),
            |s, _i, v| if let Some(p) = PlanChoice::from_name(text(v)) {
                s.delivery.plan = p
            }
        ),
    },
    Field {
        path: "delivery.cache_hit_rate",
        label: "Cache hit rate",
        kind: number(NumberRule::rate()),
        unit: Unit::Share,
        default: DefaultValue::Value("0.9"),
        help: "share of requests and bytes CloudFront serves from cache; the rest are fetched from the origin (S3 GETs and retrieval fees of the class each object is in then; S3 → CloudFront transfer is free)",
        sweep: true,
        access: access!(|s, _i| n(s.delivery.cache_hit_rate), |s, _i, v| s
            .delivery
            .cache_hit_rate =
            num(v)),
    },
    Field {
        path: "delivery.origin_shield",
        label: "Origin Shield",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "edge misses go through Origin Shield, placed in the scenario's Region, next to the origin. It bills requests that reach it from regional edge caches in other Regions; a geography's misses are taken to spread evenly over its regional edge caches",
        sweep: false,
        access: access!(|s, _i| b(s.delivery.origin_shield), |s, _i, v| s
            .delivery
            .origin_shield =
            flag(v)),
    },
    Field {
        path: "delivery.origin_shield_hit_rate",
        label: "Origin Shield hit rate",
        kind: number(NumberRule::rate()),
        unit: Unit::Share,
        default: DefaultValue::Value("0.5"),
        help: "share of edge misses the shield answers",
        sweep: true,
        access: access!(|s, _i| n(s.delivery.origin_shield_hit_rate), |s, _i, v| s
            .delivery
            .origin_shield_hit_rate =
            num(v)),
    },
    Field {
        path: "delivery.protocol",
        label: "Protocol",
        kind: Kind::Choice {
            choices: Protocol::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"https\""),
        help: "which CloudFront request price applies",
        sweep: false,
        access: access!(
            |s, _i| choice(&Protocol::ALL, s.delivery.protocol),
            |s, _i, v| if let Some(p) = pick(&Protocol::ALL, v) {
                s.delivery.protocol = p
            }
        ),
    },
    Field {
        path: "delivery.recent_read_share",
        label: "Origin reads of recent titles",
        kind: number(NumberRule::share()),
        unit: Unit::Share,
        default: DefaultValue::Described("none: reads follow stored bytes"),
        help: "share of origin reads (cache misses) that are of titles younger than `recent_days`. Without it, origin reads are spread over the storage classes in proportion to the bytes each holds that month. Either way each share pays its class's GET and retrieval price",
        sweep: true,
        access: access!(
            |s, _i| n(s.delivery.recent_reads.map_or(Decimal::ZERO, |r| r.share)),
            |s, _i, v| s.delivery.recent_reads = Some(super::RecentReads {
                share: num(v),
                days: s
                    .delivery
                    .recent_reads
                    .map_or(Decimal::from(30), |r| r.days),
            })
        ),
    },
    Field {
        path: "delivery.recent_days",
        label: "Recent means younger than",
        kind: number(NumberRule::positive().max(36_500)),
        unit: Unit::Days,
        default: DefaultValue::Value("30"),
        help: "the age that `recent_read_share` counts as recent",
        sweep: false,
        access: access!(
            |s, _i| n(s
                .delivery
                .recent_reads
                .map_or(Decimal::from(30), |r| r.days)),
            |s, _i, v| if let Some(r) = s.delivery.recent_reads.as_mut() {
                r.days = num(v)
            }
        ),
    },
    Field {
        path: "delivery.free_tier",
        label: "Free tier",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("true"),
        help: "read as `account.free_tier` (the allowances belong to the account, not to the delivery); kept so older files read as before",
        sweep: false,
        access: None,
    },
    // ----- [transcode]
    Field {
        path: "transcode.service",
        label: "Service",
        kind: Kind::Choice {
            choices: TranscodeService::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"mediaconvert\""),
        help: "Elastic Transcoder reached end of support on 2025-11-13; it is priced as a legacy baseline and every report says so",
        sweep: false,
        access: access!(
            |s, _i| choice(&TranscodeService::ALL, s.transcode.service),
            |s, _i, v| if let Some(c) = pick(&TranscodeService::ALL, v) {
                s.transcode.service = c
            }
        ),
    },
    Field {
        path: "transcode.tier",
        label: "MediaConvert tier",
        kind: Kind::Choice {
            choices: MediaConvertTier::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"basic\""),
        help: "the MediaConvert tier; outputs that need Professional features are billed there regardless",
        sweep: false,
        access: access!(
            |s, _i| choice(&MediaConvertTier::ALL, s.transcode.tier),
            |s, _i, v| if let Some(c) = pick(&MediaConvertTier::ALL, v) {
                s.transcode.tier = c
            }
        ),
    },
    Field {
        path: "transcode.passes",
        label: "Encoding passes",
        kind: number(NumberRule::at_least(1).max(2).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("1"),
        help: "two-pass (multi-pass) encoding is a Professional feature for AVC",
        sweep: false,
        access: access!(|s, _i| n(Decimal::from(s.transcode.passes)), |s, _i, v| s
            .transcode
            .passes =
            u8::try_from(num(v).mantissa()).unwrap_or(1)),
    },
    Field {
        path: "transcode.reserved_slots",
        label: "Reserved slots",
        kind: number(NumberRule::at_least(0).max(10_000).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "MediaConvert reserved transcode slots (12-month commitment, a monthly fee per slot; a slot runs one job at a time). The slots take the month's jobs up to their capacity at the central `job_speed`; the rest is billed on demand, and so are a rung's outputs in AV1 or at 8K, which a reserved queue cannot run",
        sweep: true,
        access: access!(
            |s, _i| n(Decimal::from(s.transcode.reserved_slots)),
            |s, _i, v| s.transcode.reserved_slots = u32::try_from(num(v).mantissa()).unwrap_or(0)
        ),
    },
    Field {
        path: "transcode.job_speed",
        label: "Job speed",
        kind: number(NumberRule::positive().max(1000).floor(1, 3)),
        unit: Unit::Count,
        default: DefaultValue::Value("1"),
        help: "minutes of wall-clock time one minute of content takes to transcode the whole ladder on one slot (its central value); capacity shows the slots needed from `job_speed_low` to `job_speed_high`",
        sweep: true,
        access: access!(|s, _i| n(s.transcode.job_speed.central), |s, _i, v| s
            .transcode
            .job_speed
            .central =
            num(v)),
    },
    Field {
        path: "transcode.job_speed_low",
        label: "Job speed, fastest",
        kind: number(NumberRule::positive().max(1000).floor(1, 3)),
        unit: Unit::Count,
        default: DefaultValue::Described("half of `job_speed`"),
        help: "the fastest job speed to plan capacity for",
        sweep: false,
        access: access!(|s, _i| n(s.transcode.job_speed.low), |s, _i, v| s
            .transcode
            .job_speed
            .low =
            num(v)),
    },
    Field {
        path: "transcode.job_speed_high",
        label: "Job speed, slowest",
        kind: number(NumberRule::positive().max(1000).floor(1, 3)),
        unit: Unit::Count,
        default: DefaultValue::Described("twice `job_speed`"),
        help: "the slowest job speed to plan capacity for",
        sweep: false,
        access: access!(|s, _i| n(s.transcode.job_speed.high), |s, _i, v| s
            .transcode
            .job_speed
            .high =
            num(v)),
    },
    Field {
        path: "transcode.pooling",
        label: "Volume pooled per",
        kind: Kind::Choice {
            choices: Pooling::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"account\""),
        help: "MediaConvert sums normalized minutes per calendar month, Region and tier for each account — or across an AWS Organization with consolidated billing, where other workloads' minutes push this one into cheaper bands (`other_normalized_minutes`)",
        sweep: false,
        access: access!(
            |s, _i| choice(&Pooling::ALL, s.transcode.pooling),
            |s, _i, v| if let Some(p) = pick(&Pooling::ALL, v) {
                s.transcode.pooling = p
            }
        ),
    },
    Field {
        path: "transcode.other_normalized_minutes",
        label: "Other workloads' minutes",
        kind: number(NumberRule::at_least(0)),
        unit: Unit::Minutes,
        default: DefaultValue::Value("0"),
        help: "normalized minutes a month that other workloads bill in the same pool (per tier); this scenario is priced on the bands above them. Read with `pooling = \"organization\"`, or for another workload in the same account",
        sweep: true,
        access: access!(
            |s, _i| n(s.transcode.other_normalized_minutes),
            |s, _i, v| s.transcode.other_normalized_minutes = num(v)
        ),
    },
    Field {
        path: "transcode.free_tier",
        label: "Free minutes",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("true"),
        help: "read as `account.free_tier`; kept so older files read as before",
        sweep: false,
        access: None,
    },
    // ----- [storage]
    Field {
        path: "storage.class",
        label: "Storage class",
        kind: Kind::Choice {
            choices: StorageClass::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"standard\""),
        help: "the S3 class outputs are written to. In Standard-IA and Glacier IR an object under 128 KB is billed as 128 KB, reads pay a retrieval fee, and objects removed before 30 (Standard-IA) or 90 days (Glacier IR) are billed for the rest of that minimum. Intelligent-Tiering moves each object over 128 KB by itself from its frequent to its infrequent tier after 30 days (and archive instant after 90), for a monitoring fee per object, with no retrieval fee; ages stand in for access here, since a read moves an object back",
        sweep: false,
        access: access!(
            |s, _i| choice(&StorageClass::ALL, s.storage.class),
            |s, _i, v| if let Some(c) = pick(&StorageClass::ALL, v) {
                s.storage.class = c
            }
        ),
    },
    Field {
        path: "storage.lifecycle",
        label: "Lifecycle",
        kind: Kind::List,
        unit: Unit::Text,
        default: DefaultValue::Value("[]"),
        help: "transitions to colder classes by age, `{ after_days, class }`, in increasing `after_days` (calendar days, 365.25 ÷ 12 to a month); S3 moves objects into Standard-IA only after 30 days. Each object that crosses an age is charged one transition request; the line says at what share of origin reads the rule stops paying for itself",
        sweep: false,
        access: None,
    },
    Field {
        path: "storage.lifecycle[N].after_days",
        label: "After days",
        kind: number(NumberRule::at_least(0).max(36_500)),
        unit: Unit::Days,
        default: DefaultValue::Required,
        help: "the age, in days since upload, at which objects move",
        sweep: false,
        access: access!(
            |s, i| s.storage.lifecycle.get(i).and_then(|r| n(r.after_days)),
            |s, i, v| if let Some(r) = s.storage.lifecycle.get_mut(i) {
                r.after_days = num(v)
            }
        ),
    },
    Field {
        path: "storage.lifecycle[N].class",
        label: "Storage class",
        kind: Kind::Choice {
            choices: StorageClass::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Required,
        help: "the class they move to",
        sweep: false,
        access: access!(
            |s, i| s
                .storage
                .lifecycle
                .get(i)
                .and_then(|r| choice(&StorageClass::ALL, r.class)),
            |s, i, v| if let (Some(r), Some(c)) =
                (s.storage.lifecycle.get_mut(i), pick(&StorageClass::ALL, v))
            {
                r.class = c
            }
        ),
    },
    Field {
        path: "storage.transition_small_objects",
        label: "Transition objects under 128 KB",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "S3 Lifecycle does not transition objects smaller than 128 KB unless a rule's size filter says so (the default since September 2024): playlists and tiny segments stay in the class they were written to. `true` describes rules with `ObjectSizeGreaterThan` set lower",
        sweep: false,
        access: access!(|s, _i| b(s.storage.transition_small_objects), |s, _i, v| {
            s.storage.transition_small_objects = flag(v)
        }),
    },
    // ----- [vision] (`[moderation]`, its old name, is still read: parse::deprecated_moderation)
    Field {
        path: "vision.moderation_images_per_title",
        label: "Moderation images / title",
        kind: number(NumberRule::at_least(0).max(100_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "images per title sent to DetectModerationLabels (Rekognition API group 2), e.g. thumbnails; `[moderation]`'s `images_per_title`",
        sweep: true,
        access: access!(
            |s, _i| n(s.vision.moderation_images_per_title),
            |s, _i, v| s.vision.moderation_images_per_title = num(v)
        ),
    },
    Field {
        path: "vision.label_images_per_title",
        label: "Label images / title",
        kind: number(NumberRule::at_least(0).max(100_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "images per title sent to DetectLabels (API group 2)",
        sweep: true,
        access: access!(|s, _i| n(s.vision.label_images_per_title), |s, _i, v| s
            .vision
            .label_images_per_title =
            num(v)),
    },
    Field {
        path: "vision.text_images_per_title",
        label: "Text (OCR) images / title",
        kind: number(NumberRule::at_least(0).max(100_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "images per title sent to DetectText (API group 2); with `nlp.ocr_text` the text found goes on to Comprehend",
        sweep: true,
        access: access!(|s, _i| n(s.vision.text_images_per_title), |s, _i, v| s
            .vision
            .text_images_per_title =
            num(v)),
    },
    Field {
        path: "vision.face_images_per_title",
        label: "Face images / title",
        kind: number(NumberRule::at_least(0).max(100_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "images per title sent to DetectFaces (API group 2)",
        sweep: true,
        access: access!(|s, _i| n(s.vision.face_images_per_title), |s, _i, v| s
            .vision
            .face_images_per_title =
            num(v)),
    },
    Field {
        path: "vision.face_search_images_per_title",
        label: "Face search images / title",
        kind: number(NumberRule::at_least(0).max(100_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "images per title sent to IndexFaces or SearchFacesByImage (API group 1)",
        sweep: true,
        access: access!(
            |s, _i| n(s.vision.face_search_images_per_title),
            |s, _i, v| s.vision.face_search_images_per_title = num(v)
        ),
    },
    Field {
        path: "vision.frames_per_minute",
        label: "Frames sampled / minute",
        kind: number(NumberRule::at_least(0).max(3600)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "frames sampled per minute of new content and sent to DetectModerationLabels as images: video moderated as images, cheaper than stored-video analysis at a frame every few seconds",
        sweep: true,
        access: access!(|s, _i| n(s.vision.frames_per_minute), |s, _i, v| s
            .vision
            .frames_per_minute =
            num(v)),
    },
    Field {
        path: "vision.video_moderation",
        label: "Video: moderation",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "stored-video content moderation (StartContentModeration) of every minute ingested; `[moderation]`'s `video`",
        sweep: false,
        access: access!(|s, _i| b(s.vision.video_moderation), |s, _i, v| s
            .vision
            .video_moderation =
            flag(v)),
    },
    Field {
        path: "vision.video_labels",
        label: "Video: labels",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "stored-video label detection (StartLabelDetection) of every minute ingested",
        sweep: false,
        access: access!(|s, _i| b(s.vision.video_labels), |s, _i, v| s
            .vision
            .video_labels =
            flag(v)),
    },
    Field {
        path: "vision.video_text",
        label: "Video: text",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "stored-video text detection (StartTextDetection) of every minute ingested",
        sweep: false,
        access: access!(|s, _i| b(s.vision.video_text), |s, _i, v| s
            .vision
            .video_text =
            flag(v)),
    },
    Field {
        path: "vision.video_faces",
        label: "Video: faces",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "stored-video face detection (StartFaceDetection) of every minute ingested",
        sweep: false,
        access: access!(|s, _i| b(s.vision.video_faces), |s, _i, v| s
            .vision
            .video_faces =
            flag(v)),
    },
    Field {
        path: "vision.faces_indexed_per_title",
        label: "Faces indexed / title",
        kind: number(NumberRule::at_least(0).max(100_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "faces IndexFaces adds to the face collections per title; Rekognition bills the face metadata kept per face a month, so the collections' cost grows with every title. The month's new faces count for half of it (uploads arrive evenly)",
        sweep: true,
        access: access!(|s, _i| n(s.vision.faces_indexed_per_title), |s, _i, v| s
            .vision
            .faces_indexed_per_title =
            num(v)),
    },
    Field {
        path: "vision.faces_stored",
        label: "Faces stored",
        kind: number(NumberRule::at_least(0)),
        unit: Unit::Count,
        default: DefaultValue::Described(
            "the library's titles (`content.library_minutes` ÷ `content.avg_title_minutes`) × `faces_indexed_per_title`",
        ),
        help: "face metadata in the collections when the month starts (Rekognition's face metadata storage, billed per 1,000 faces a month)",
        sweep: true,
        access: access!(
            |s, _i| s.vision.faces_stored.map(FieldValue::Number),
            |s, _i, v| s.vision.faces_stored = Some(num(v))
        ),
    },
    // ----- [nlp]
    Field {
        path: "nlp.documents_per_month",
        label: "Documents / month",
        kind: number(NumberRule::at_least(0).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "Comprehend requests per month, for each API listed",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.documents_per_month), |s, _i, v| s
            .nlp
            .documents_per_month =
            num(v)),
    },
    Field {
        path: "nlp.avg_chars",
        label: "Average characters",
        kind: number(NumberRule::at_least(0).integer().max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "characters per request; billed in units of 100 characters, at least 3 units per request",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.avg_chars), |s, _i, v| s.nlp.avg_chars =
            num(v)),
    },
    Field {
        path: "nlp.apis",
        label: "APIs",
        kind: Kind::List,
        unit: Unit::Text,
        default: DefaultValue::Value("[]"),
        help: "the APIs called for each document: `\"sentiment\"`, `\"entities\"`, `\"key_phrases\"`, `\"syntax\"`, `\"language\"`, `\"pii\"`. Topic modeling, event detection and prompt-safety classification (`\"topic_modeling\"`, `\"events\"`, `\"prompt_safety\"`) are closed to new customers since 2026-04-30 and are refused with a note",
        sweep: false,
        access: None,
    },
    Field {
        path: "nlp.comments_per_title",
        label: "Comments / title",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "viewer comments per title sent to each API listed",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.comments_per_title), |s, _i, v| s
            .nlp
            .comments_per_title =
            num(v)),
    },
    Field {
        path: "nlp.comment_chars",
        label: "Characters / comment",
        kind: number(NumberRule::at_least(0).integer().max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("200"),
        help: "characters per comment",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.comment_chars), |s, _i, v| s
            .nlp
            .comment_chars =
            num(v)),
    },
    Field {
        path: "nlp.ocr_text",
        label: "Analyse OCR text",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "send the text DetectText finds in each image (`vision.text_images_per_title`) to each API listed: OCR then sentiment",
        sweep: false,
        access: access!(|s, _i| b(s.nlp.ocr_text), |s, _i, v| s.nlp.ocr_text =
            flag(v)),
    },
    Field {
        path: "nlp.ocr_chars",
        label: "Characters / OCR image",
        kind: number(NumberRule::at_least(0).integer().max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("100"),
        help: "characters DetectText finds per image; short text still bills the 3-unit minimum",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.ocr_chars), |s, _i, v| s.nlp.ocr_chars =
            num(v)),
    },
    Field {
        path: "nlp.mode",
        label: "Mode",
        kind: Kind::Choice {
            choices: NlpMode::NAMES,
        },
        unit: Unit::Text,
        default: DefaultValue::Value("\"sync\""),
        help: "`\"sync\"` (DetectSentiment and the like, one request per text) or `\"async\"` (batch jobs over documents in S3); Comprehend's pricing page gives both the same price per unit and the same 3-unit minimum per document",
        sweep: false,
        access: access!(
            |s, _i| choice(&NlpMode::ALL, s.nlp.mode),
            |s, _i, v| if let Some(m) = pick(&NlpMode::ALL, v) {
                s.nlp.mode = m
            }
        ),
    },
    Field {
        path: "nlp.custom_models",
        label: "Custom models",
        kind: number(NumberRule::at_least(0).max(10_000).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "custom classifiers and entity recognizers kept, each billed for model management by the month; both kinds are priced alike",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.custom_models), |s, _i, v| s
            .nlp
            .custom_models =
            num(v)),
    },
    Field {
        path: "nlp.custom_training_hours",
        label: "Custom training hours",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "hours of custom classifier or entity recognizer training a month (retraining included)",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.custom_training_hours), |s, _i, v| s
            .nlp
            .custom_training_hours =
            num(v)),
    },
    Field {
        path: "nlp.custom_endpoint_units",
        label: "Endpoint inference units",
        kind: number(NumberRule::at_least(0).max(10_000).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "inference units provisioned over every custom model endpoint, for synchronous custom inference; one unit reads 100 characters a second and is billed by the second it is provisioned, used or not",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.custom_endpoint_units), |s, _i, v| s
            .nlp
            .custom_endpoint_units =
            num(v)),
    },
    Field {
        path: "nlp.custom_endpoint_hours",
        label: "Endpoint hours",
        kind: number(NumberRule::at_least(0).max(744)),
        unit: Unit::Count,
        default: DefaultValue::Value("730"),
        help: "hours a month the endpoints run; 730 is the whole month AWS prices by",
        sweep: true,
        access: access!(|s, _i| n(s.nlp.custom_endpoint_hours), |s, _i, v| s
            .nlp
            .custom_endpoint_hours =
            num(v)),
    },
    Field {
        path: "nlp.custom_async_documents_per_month",
        label: "Custom async documents / month",
        kind: number(NumberRule::at_least(0).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "documents a month a custom model analyses in asynchronous jobs (no endpoint), billed in units of 100 characters, at least 3 units per document",
        sweep: true,
        access: access!(
            |s, _i| n(s.nlp.custom_async_documents_per_month),
            |s, _i, v| s.nlp.custom_async_documents_per_month = num(v)
        ),
    },
    Field {
        path: "nlp.custom_async_chars",
        label: "Characters / custom async document",
        kind: number(NumberRule::at_least(0).integer().max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Described("`avg_chars`"),
        help: "characters per document of the asynchronous custom jobs",
        sweep: true,
        access: access!(
            |s, _i| s.nlp.custom_async_chars.map(FieldValue::Number),
            |s, _i, v| s.nlp.custom_async_chars = Some(num(v))
        ),
    },
    // ----- [pipeline] (a count the file leaves out is derived by engine::glue; it reads as no
    // value, so comparisons see no driver where neither file sets it; a sweep sets it, and
    // sensitivity and solve start from the value derived, `engine::derived`)
    Field {
        path: "pipeline.glue",
        label: "Price the glue",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "price the serverless glue: Lambda, Step Functions, DynamoDB, SNS, SQS and CloudWatch Logs",
        sweep: false,
        access: access!(|s, _i| b(s.pipeline.glue), |s, _i, v| s.pipeline.glue =
            flag(v)),
    },
    Field {
        path: "pipeline.lambda_invocations_per_title",
        label: "Lambda invocations / title",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Described(
            "one orchestrator invocation per upload and one moderator per image analysed (every `vision` image and sampled frame)",
        ),
        help: "Lambda invocations per title",
        sweep: true,
        access: access!(
            |s, _i| s
                .pipeline
                .lambda_invocations_per_title
                .map(FieldValue::Number),
            |s, _i, v| s.pipeline.lambda_invocations_per_title = Some(num(v))
        ),
    },
    Field {
        path: "pipeline.lambda_seconds",
        label: "Lambda duration",
        kind: number(NumberRule::at_least(0).max(900)),
        unit: Unit::Seconds,
        default: DefaultValue::Value("0.5"),
        help: "average duration of an invocation (Lambda bills by the millisecond)",
        sweep: true,
        access: access!(|s, _i| n(s.pipeline.lambda_seconds), |s, _i, v| s
            .pipeline
            .lambda_seconds =
            num(v)),
    },
    Field {
        path: "pipeline.lambda_memory_mb",
        label: "Lambda memory (MB)",
        kind: number(NumberRule::at_least(128).max(10_240).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("512"),
        help: "memory of the functions in MB; GB-seconds are duration × memory ÷ 1024",
        sweep: true,
        access: access!(|s, _i| n(s.pipeline.lambda_memory_mb), |s, _i, v| s
            .pipeline
            .lambda_memory_mb =
            num(v)),
    },
    Field {
        path: "pipeline.review_share",
        label: "Share sent to review",
        kind: number(NumberRule::share()),
        unit: Unit::Share,
        default: DefaultValue::Value("0"),
        help: "share of titles that a Step Functions standard workflow sends to human review",
        sweep: true,
        access: access!(|s, _i| n(s.pipeline.review_share), |s, _i, v| s
            .pipeline
            .review_share =
            num(v)),
    },
    Field {
        path: "pipeline.review_transitions",
        label: "Transitions / review",
        kind: number(NumberRule::at_least(0).max(100_000).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("10"),
        help: "state transitions of one review workflow",
        sweep: true,
        access: access!(|s, _i| n(s.pipeline.review_transitions), |s, _i, v| s
            .pipeline
            .review_transitions =
            num(v)),
    },
    Field {
        path: "pipeline.dynamodb_writes_per_title",
        label: "DynamoDB writes / title",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Described(
            "one metadata write per title and one more per reviewed title",
        ),
        help: "on-demand write request units per title (an item of 1 KB or less)",
        sweep: true,
        access: access!(
            |s, _i| s.pipeline.dynamodb_writes_per_title.map(FieldValue::Number),
            |s, _i, v| s.pipeline.dynamodb_writes_per_title = Some(num(v))
        ),
    },
    Field {
        path: "pipeline.dynamodb_reads_per_title",
        label: "DynamoDB reads / title",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "on-demand read request units per title (a strongly consistent read of 4 KB or less)",
        sweep: true,
        access: access!(
            |s, _i| n(s.pipeline.dynamodb_reads_per_title),
            |s, _i, v| s.pipeline.dynamodb_reads_per_title = num(v)
        ),
    },
    Field {
        path: "pipeline.dynamodb_stored_gb",
        label: "DynamoDB stored (GB)",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("0"),
        help: "GB of metadata the table holds; the first 25 GB are free",
        sweep: true,
        access: access!(|s, _i| n(s.pipeline.dynamodb_stored_gb), |s, _i, v| s
            .pipeline
            .dynamodb_stored_gb =
            num(v)),
    },
    Field {
        path: "pipeline.sns_publishes_per_title",
        label: "SNS publishes / title",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Described("one notification per title"),
        help: "SNS publishes per title (delivery to SQS is free)",
        sweep: true,
        access: access!(
            |s, _i| s.pipeline.sns_publishes_per_title.map(FieldValue::Number),
            |s, _i, v| s.pipeline.sns_publishes_per_title = Some(num(v))
        ),
    },
    Field {
        path: "pipeline.sqs_requests_per_title",
        label: "SQS requests / title",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Described("three per title: send, receive, delete"),
        help: "SQS standard-queue requests per title",
        sweep: true,
        access: access!(
            |s, _i| s.pipeline.sqs_requests_per_title.map(FieldValue::Number),
            |s, _i, v| s.pipeline.sqs_requests_per_title = Some(num(v))
        ),
    },
    Field {
        path: "pipeline.log_kb_per_invocation",
        label: "Log KB / invocation",
        kind: number(NumberRule::at_least(0).max(1_000)),
        unit: Unit::Count,
        default: DefaultValue::Value("1"),
        help: "KB of CloudWatch Logs ingested per Lambda invocation",
        sweep: true,
        access: access!(|s, _i| n(s.pipeline.log_kb_per_invocation), |s, _i, v| s
            .pipeline
            .log_kb_per_invocation =
            num(v)),
    },
    Field {
        path: "pipeline.sse_kms",
        label: "SSE-KMS",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "encrypt the buckets with SSE-KMS: every S3 PUT and origin GET calls KMS",
        sweep: false,
        access: access!(|s, _i| b(s.pipeline.sse_kms), |s, _i, v| s
            .pipeline
            .sse_kms =
            flag(v)),
    },
    Field {
        path: "pipeline.bucket_keys",
        label: "S3 Bucket Keys",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("true"),
        help: "S3 Bucket Keys on the SSE-KMS buckets: S3 calls KMS up to 99 % less often (the bound is assumed)",
        sweep: false,
        access: access!(|s, _i| b(s.pipeline.bucket_keys), |s, _i, v| s
            .pipeline
            .bucket_keys =
            flag(v)),
    },
    Field {
        path: "pipeline.kms_keys",
        label: "KMS keys",
        kind: number(NumberRule::at_least(0).max(100_000).integer()),
        unit: Unit::Count,
        default: DefaultValue::Described(
            "1 when `sse_kms` is on (the buckets share one key), else 0",
        ),
        help: "customer managed KMS keys, each billed by the month (AWS managed keys cost nothing)",
        sweep: true,
        access: access!(
            |s, _i| s.pipeline.kms_keys.map(FieldValue::Number),
            |s, _i, v| s.pipeline.kms_keys = Some(num(v))
        ),
    },
    Field {
        path: "pipeline.waf",
        label: "WAF",
        kind: Kind::Bool,
        unit: Unit::Text,
        default: DefaultValue::Value("false"),
        help: "an AWS WAF web ACL in front of CloudFront, inspecting every viewer request",
        sweep: false,
        access: access!(|s, _i| b(s.pipeline.waf), |s, _i, v| s.pipeline.waf =
            flag(v)),
    },
    Field {
        path: "pipeline.waf_rules",
        label: "WAF rules",
        kind: number(NumberRule::at_least(0).max(1_000).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("5"),
        help: "rules in the web ACL (a managed rule group counts as one)",
        sweep: true,
        access: access!(|s, _i| n(s.pipeline.waf_rules), |s, _i, v| s
            .pipeline
            .waf_rules =
            num(v)),
    },
    Field {
        path: "pipeline.accelerated_upload_share",
        label: "Accelerated uploads",
        kind: number(NumberRule::share()),
        unit: Unit::Share,
        default: DefaultValue::Value("0"),
        help: "share of uploaded bytes sent through S3 Transfer Acceleration (global uploads)",
        sweep: true,
        access: access!(
            |s, _i| n(s.pipeline.accelerated_upload_share),
            |s, _i, v| s.pipeline.accelerated_upload_share = num(v)
        ),
    },
    Field {
        path: "pipeline.upload_kbps",
        label: "Upload bitrate",
        kind: number(NumberRule::at_least(0).max(1_000_000)),
        unit: Unit::Kbps,
        default: DefaultValue::Described(
            "`content.source_kbps`, or the top rung's bitrate when the source is not kept",
        ),
        help: "bitrate of the files uploaded, for Transfer Acceleration's bytes",
        sweep: true,
        access: access!(
            |s, _i| s.pipeline.upload_kbps.map(FieldValue::Number),
            |s, _i, v| s.pipeline.upload_kbps = Some(num(v))
        ),
    },
    // ----- [forecast]
    Field {
        path: "forecast.start",
        label: "First month",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Described("the month after today"),
        help: "the first month of the forecast, `\"YYYY-MM\"`; its first month prices as `estimate` does, to the cent, with its watch time times its `seasonality` factor when there is one",
        sweep: false,
        access: access!(
            |s, _i| s.forecast.start.map(|m| FieldValue::Text(m.to_string())),
            |s, _i, v| s.forecast.start = YearMonth::parse(text(v))
        ),
    },
    Field {
        path: "forecast.months",
        label: "Months",
        kind: number(NumberRule::at_least(1).max(MAX_MONTHS as i64).integer()),
        unit: Unit::Months,
        default: DefaultValue::Value("24"),
        help: "how many months the forecast runs, 1 to 120",
        sweep: false,
        access: access!(|s, _i| n(Decimal::from(s.forecast.months)), |s, _i, v| s
            .forecast
            .months =
            num(v).to_u32().unwrap_or(DEFAULT_MONTHS)),
    },
    Field {
        path: "forecast.growth",
        label: "Growth",
        kind: Kind::Table,
        unit: Unit::Text,
        default: DefaultValue::Described("none: every driver stays as the scenario puts it"),
        help: "how each driver moves month by month, keyed by its field: `\"content.new_minutes_per_month\"`, `\"audience.watch_minutes_per_month\"` (every geography), `\"audience.geo.<geography>\"` (the minutes watched from there; its share follows), `\"delivery.cache_hit_rate\"`, `\"nlp.documents_per_month\"`, `\"vision.moderation_images_per_title\"`. Each takes `compound` or `linear`, and optionally a range",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.growth.<driver>.compound",
        label: "Compound growth / month",
        kind: number(NumberRule::above(-1).max(10)),
        unit: Unit::Percent,
        default: DefaultValue::Described("none"),
        help: "the driver is multiplied by 1 + this each month: 0.03 is 3 % a month (42.6 % a year)",
        sweep: false,
        access: access!(
            |s, i| growth(s, i, GrowthKind::Compound).map(|g| FieldValue::Number(g.rate)),
            |s, i, v| set_growth(s, i, GrowthKind::Compound, num(v))
        ),
    },
    Field {
        path: "forecast.growth.<driver>.linear",
        label: "Linear growth / month",
        kind: number(NumberRule::signed()),
        unit: Unit::Count,
        default: DefaultValue::Described("none"),
        help: "added to the driver each month, in the driver's own unit (minutes, documents; 0.002 on a hit rate is 0.2 points a month)",
        sweep: false,
        access: access!(
            |s, i| growth(s, i, GrowthKind::Linear).map(|g| FieldValue::Number(g.rate)),
            |s, i, v| set_growth(s, i, GrowthKind::Linear, num(v))
        ),
    },
    Field {
        path: "forecast.growth.<driver>.p10",
        label: "Rate, 10th percentile",
        kind: number(NumberRule::signed()),
        unit: Unit::Count,
        default: DefaultValue::Described("none: the rate is certain"),
        help: "with `p90`: the rate is uncertain, one path in ten below this; the Monte Carlo draws it from a normal distribution whose halves fit both percentiles. `p10` ≤ rate ≤ `p90`",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.growth.<driver>.p90",
        label: "Rate, 90th percentile",
        kind: number(NumberRule::signed()),
        unit: Unit::Count,
        default: DefaultValue::Described("none: the rate is certain"),
        help: "with `p10`: one path in ten above this",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.growth.<driver>.sd",
        label: "Rate, standard deviation",
        kind: number(NumberRule::at_least(0)),
        unit: Unit::Count,
        default: DefaultValue::Described("none: the rate is certain"),
        help: "instead of `p10` and `p90`: the rate's standard deviation",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.seasonality",
        label: "Seasonality",
        kind: Kind::List,
        unit: Unit::Text,
        default: DefaultValue::Described("flat"),
        help: "twelve factors on watch time, January to December, averaging 1 (±0.01); or `\"usage\"`: fitted from the months of the local usage store, which needs at least 12; or `\"flat\"`, as when left out",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.budget_usd",
        label: "Monthly budget",
        kind: number(NumberRule::positive()),
        unit: Unit::Usd,
        default: DefaultValue::Described("none"),
        help: "the monthly budget in US dollars: the forecast says in which month the P50 and the P90 first exceed it",
        sweep: false,
        access: access!(
            |s, _i| s.forecast.budget_usd.map(FieldValue::Number),
            |s, _i, v| s.forecast.budget_usd = Some(num(v))
        ),
    },
    Field {
        path: "forecast.currency",
        label: "Reporting currency",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Described("none: US dollars only"),
        help: "an ISO 4217 code such as `\"EUR\"`: every output shows amounts in US dollars and in this currency at `usd_rate`, both labelled. Needs `usd_rate`, `rate_date` and `rate_source`; no rate is looked up",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.usd_rate",
        label: "Units per US dollar",
        kind: number(NumberRule::positive().max(1_000_000)),
        unit: Unit::Count,
        default: DefaultValue::Described("required with `currency`"),
        help: "units of `currency` one US dollar buys, e.g. 0.92 euro",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.rate_date",
        label: "Rate date",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Described("required with `currency`"),
        help: "the day the rate is from, `\"YYYY-MM-DD\"`",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.rate_source",
        label: "Rate source",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Described("required with `currency`"),
        help: "where the rate comes from, e.g. `\"ECB euro reference rate\"`",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.paths",
        label: "Monte Carlo paths",
        kind: number(NumberRule::at_least(0).max(MAX_PATHS as i64).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("10000"),
        help: "how many paths the Monte Carlo draws for P10, P50 and P90 when a rate has a range; 0 prices the deterministic path alone",
        sweep: false,
        access: access!(|s, _i| n(Decimal::from(s.forecast.paths)), |s, _i, v| s
            .forecast
            .paths =
            num(v).to_u32().unwrap_or(DEFAULT_PATHS)),
    },
    Field {
        path: "forecast.seed",
        label: "Random seed",
        kind: number(NumberRule::at_least(0).integer()),
        unit: Unit::Count,
        default: DefaultValue::Value("1"),
        help: "the Monte Carlo's seed: the same seed draws the same paths, so a forecast is reproducible",
        sweep: false,
        access: access!(|s, _i| n(Decimal::from(s.forecast.seed)), |s, _i, v| s
            .forecast
            .seed =
            num(v).to_u64().unwrap_or(1)),
    },
    Field {
        path: "forecast.events",
        label: "Events",
        kind: Kind::List,
        unit: Unit::Text,
        default: DefaultValue::Value("[]"),
        help: "dated changes, each a `[[forecast.events]]` table",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.events[N].month",
        label: "From month",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Required,
        help: "when the change takes effect: a month of the horizon counted from 1 (`7`), or a calendar month (`\"2027-07\"`) inside the horizon",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.events[N].label",
        label: "What happens",
        kind: Kind::Text,
        unit: Unit::Text,
        default: DefaultValue::Required,
        help: "shown on the table and the chart, e.g. `\"launch in India\"`",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.events[N].set",
        label: "Fields set",
        kind: Kind::Table,
        unit: Unit::Text,
        default: DefaultValue::Value("{}"),
        help: "fields and their values from that month on, keyed by path: `{ \"delivery.cache_hit_rate\" = 0.97 }`. A growing driver starts again from the value set. `\"audience.geo.<geography>\"` is that geography's share of the month's watch time, below 1, the other geographies' minutes unchanged (a launch adds viewers)",
        sweep: false,
        access: None,
    },
    Field {
        path: "forecast.events[N].rungs",
        label: "New ladder",
        kind: Kind::List,
        unit: Unit::Text,
        default: DefaultValue::Described("the ladder stays"),
        help: "a ladder that replaces the scenario's from that month on, written as `[[forecast.events.rungs]]` tables with the keys of `[[ladder.rungs]]`. New uploads are encoded with it and viewers are served it; content stored before keeps its renditions",
        sweep: false,
        access: None,
    },
];

/// The field a path names: `delivery.cache_hit_rate`, `ladder.rungs[N].video_kbps` (any
/// rung), `audience.geo.<geography>` (any geography).
pub fn find(template: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.path == template)
}

/// The fields of one section, in file order (`content`, `ladder.rungs[N]`).
pub fn in_section(section: &str) -> impl Iterator<Item = &'static Field> + '_ {
    FIELDS.iter().filter(move |f| f.section() == section)
}

/// The keys a section accepts, for "unknown key" diagnostics.
pub fn keys(section: &str) -> Vec<&'static str> {
    in_section(section).map(Field::key).collect()
}

/// The geographies, for the form (key and label).
pub fn geographies() -> Vec<(&'static str, &'static str)> {
    Geography::ALL
        .iter()
        .map(|g| (g.key(), g.label()))
        .collect()
}

/// The Markdown table of one section's fields, as `docs/scenario.md` shows it.
pub fn markdown_table(section: &str) -> String {
    let mut out = String::from("| field | type | default | meaning |\n|---|---|---|---|\n");
    for f in in_section(section).filter(|f| !f.key().contains('<')) {
        let cell = |s: String| s.replace('|', "\\|");
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            f.key(),
            cell(f.type_text()),
            cell(f.default_text()),
            cell(f.help.to_string())
        ));
    }
    out
}

/// `docs` with every generated block brought up to date: the text between
/// `<!-- fields: SECTION -->` and `<!-- /fields -->` becomes that section's table.
pub fn regenerate_docs(docs: &str) -> String {
    const OPEN: &str = "<!-- fields: ";
    const CLOSE: &str = "<!-- /fields -->";
    let mut out = String::with_capacity(docs.len());
    let mut rest = docs;
    while let Some(start) = rest.find(OPEN) {
        let Some(name_end) = rest[start..].find(" -->").map(|i| start + i) else {
            break;
        };
        let Some(close) = rest[name_end..].find(CLOSE).map(|i| name_end + i) else {
            break;
        };
        let section = &rest[start + OPEN.len()..name_end];
        out.push_str(&rest[..name_end + " -->".len()]);
        out.push('\n');
        out.push_str(&markdown_table(section));
        out.push_str(CLOSE);
        rest = &rest[close + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}
