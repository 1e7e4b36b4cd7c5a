//! Reads a scenario from TOML, collecting every problem instead of stopping at the first.
//!
//! serde stops at the first error and cannot say "unknown key, did you mean …". So the file is
//! parsed into toml's spanned document tree, and each section is read by hand with a
//! [`Reader`] that records a [`Diagnostic`] per problem and carries on.

use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostics::{Diagnostic, ScenarioErrors, line_column};
use super::*;
use crate::units::{Bitrate, Minutes};

type Span = Range<usize>;

/// The largest number any field accepts. Keeps every product in the engine far below
/// `Decimal::MAX` (about 7.9e28), so no arithmetic on validated input can overflow.
const MAX_NUMBER: i64 = 1_000_000_000_000;

pub(super) fn parse(file: &str, source: &str) -> Result<Scenario, ScenarioErrors> {
    let mut reader = Reader {
        source,
        diags: Vec::new(),
    };
    let (doc, syntax_errors) = DeTable::parse_recoverable(source);
    for e in &syntax_errors {
        let span = e.span().unwrap_or(0..0);
        reader.push(
            "",
            span,
            format!("invalid TOML: {}", first_line(e.message())),
            Some("check quotes, brackets and `key = value` pairs on this line".into()),
        );
    }
    if !syntax_errors.is_empty() {
        return Err(ScenarioErrors::new(file, source, reader.diags));
    }
    let root = Section {
        path: String::new(),
        table: doc.get_ref(),
        span: 0..0,
    };
    let scenario = reader.scenario(&root);
    match scenario {
        Some(s) if reader.diags.is_empty() => Ok(s),
        _ => Err(ScenarioErrors::new(file, source, reader.diags)),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

/// A table of the document with the dotted path it was reached by.
struct Section<'a, 'i> {
    path: String,
    table: &'a DeTable<'i>,
    span: Span,
}

impl Section<'_, '_> {
    fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn get(&self, key: &str) -> Option<(&Spanned<DeValue<'_>>, Span)> {
        self.table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, v)| (v, k.span()))
    }
}

/// How a number is checked.
#[derive(Clone, Copy)]
struct Num {
    default: Option<i64>,
    min: i64,
    min_exclusive: bool,
    max: i64,
    integer: bool,
    /// A smallest value finer than a whole number, as `(mantissa, scale)`: `(1, 2)` is 0.01.
    floor: Option<(i64, u32)>,
    /// The unit the field is written in, for hints (`kbps`, `minutes`, …).
    unit: Unit,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Kbps,
    Minutes,
    Seconds,
    Days,
    Months,
    Share,
    Count,
    Pixels,
    Fps,
}

impl Unit {
    fn describe(self) -> &'static str {
        match self {
            Unit::Kbps => "kilobits per second",
            Unit::Minutes => "minutes",
            Unit::Seconds => "seconds",
            Unit::Days => "days",
            Unit::Months => "months",
            Unit::Share => "a fraction from 0 to 1",
            Unit::Count => "a count",
            Unit::Pixels => "pixels",
            Unit::Fps => "frames per second",
        }
    }
}

impl Num {
    const fn at_least(min: i64, unit: Unit) -> Num {
        Num {
            default: None,
            min,
            min_exclusive: false,
            max: MAX_NUMBER,
            integer: false,
            floor: None,
            unit,
        }
    }
    const fn positive(unit: Unit) -> Num {
        Num {
            min_exclusive: true,
            ..Num::at_least(0, unit)
        }
    }
    const fn share() -> Num {
        Num {
            max: 1,
            ..Num::at_least(0, Unit::Share)
        }
    }
    const fn default(self, value: i64) -> Num {
        Num {
            default: Some(value),
            ..self
        }
    }
    const fn integer(self) -> Num {
        Num {
            integer: true,
            ..self
        }
    }
    const fn max(self, max: i64) -> Num {
        Num { max, ..self }
    }
    /// Values below `mantissa × 10^-scale` are refused: they describe nothing real and would
    /// multiply counts past what the engine's decimals hold.
    const fn floor(self, mantissa: i64, scale: u32) -> Num {
        Num {
            floor: Some((mantissa, scale)),
            ..self
        }
    }
}

struct Reader<'s> {
    source: &'s str,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn push(&mut self, field: &str, span: Span, message: String, hint: Option<String>) {
        let (line, column) = line_column(self.source, span.start);
        self.diags.push(Diagnostic {
            field: field.to_string(),
            message,
            hint,
            line,
            column,
            span,
        });
    }

    // ----- sections -------------------------------------------------------------------

    fn scenario(&mut self, root: &Section) -> Option<Scenario> {
        self.known_keys(
            root,
            &[
                "scenario",
                "content",
                "ladder",
                "audience",
                "delivery",
                "transcode",
                "storage",
                "moderation",
                "nlp",
            ],
        );
        let head = self.section(root, "scenario", true);
        let content = self.section(root, "content", true);
        let ladder = self.section(root, "ladder", true);
        let audience = self.section(root, "audience", true);
        let delivery = self.section(root, "delivery", false);
        let transcode = self.section(root, "transcode", false);
        let storage = self.section(root, "storage", false);
        let moderation = self.section(root, "moderation", false);
        let nlp = self.section(root, "nlp", false);

        let (name, region) = head.as_ref().map_or((None, None), |s| self.head(s));
        let content = content.as_ref().and_then(|s| self.content(s));
        let ladder = ladder.as_ref().and_then(|s| self.ladder(s));
        let avg_title = content.as_ref().map(|c| c.avg_title_minutes);
        let audience = audience.as_ref().and_then(|s| self.audience(s, avg_title));
        let delivery = self.delivery(delivery.as_ref());
        let transcode = self.transcode(transcode.as_ref());
        let storage = self.storage(storage.as_ref());
        let moderation = self.moderation(moderation.as_ref());
        let nlp = self.nlp(nlp.as_ref());
        Some(Scenario {
            name: name?,
            region: region?,
            content: content?,
            ladder: ladder?,
            audience: audience?,
            delivery: delivery?,
            transcode: transcode?,
            storage: storage?,
            moderation: moderation?,
            nlp: nlp?,
        })
    }

    fn head(&mut self, s: &Section) -> (Option<String>, Option<String>) {
        self.known_keys(s, &["name", "region", "schema"]);
        if let Some((v, _)) = s.get("schema") {
            match v.get_ref() {
                DeValue::Integer(i) if i.as_str() == "1" => {}
                _ => self.push(
                    &s.field("schema"),
                    v.span(),
                    "unsupported scenario schema".into(),
                    Some("this version of ladderwise reads `schema = 1`".into()),
                ),
            }
        }
        let name = self.string(s, "name", None);
        if let Some(n) = &name
            && n.trim().is_empty()
        {
            let span = s.get("name").map_or(s.span.clone(), |(v, _)| v.span());
            self.push(
                &s.field("name"),
                span,
                "the scenario name is empty".into(),
                Some("write a name such as `name = \"UGC short-form platform\"`".into()),
            );
        }
        let region = self.string(s, "region", Some("us-east-1"));
        if let Some(r) = &region
            && !crate::region::is_known(r)
        {
            let span = s.get("region").map_or(s.span.clone(), |(v, _)| v.span());
            let hint = match closest(r, &crate::region::codes()) {
                Some(c) => format!("did you mean `region = \"{c}\"`? write an AWS Region code"),
                None => "write an AWS Region code such as `region = \"us-east-1\"`".into(),
            };
            self.push(
                &s.field("region"),
                span,
                format!("unknown AWS Region `{r}`"),
                Some(hint),
            );
        }
        (name, region)
    }

    fn content(&mut self, s: &Section) -> Option<Content> {
        self.known_keys(
            s,
            &[
                "new_minutes_per_month",
                "avg_title_minutes",
                "source_kbps",
                "retention_months",
                "library_minutes",
            ],
        );
        let new = self.number(s, "new_minutes_per_month", Num::at_least(0, Unit::Minutes));
        let title = self.number(
            s,
            "avg_title_minutes",
            Num::positive(Unit::Minutes).floor(1, 2),
        );
        let source = self.number(
            s,
            "source_kbps",
            Num::at_least(0, Unit::Kbps).default(0).max(10_000_000),
        );
        let retention = self.number(
            s,
            "retention_months",
            Num::at_least(0, Unit::Months).default(0),
        );
        let library = self.number(
            s,
            "library_minutes",
            Num::at_least(0, Unit::Minutes).default(0),
        );
        Some(Content {
            new_minutes_per_month: Minutes(new?),
            avg_title_minutes: Minutes(title?),
            source_bitrate: Bitrate::from_kbps(source?),
            retention_months: retention.map(|r| (!r.is_zero()).then_some(r))?,
            library_minutes: Minutes(library?),
        })
    }

    fn ladder(&mut self, s: &Section) -> Option<Ladder> {
        self.known_keys(s, &["segment_seconds", "packaging_overhead", "rungs"]);
        let segment = self.number(
            s,
            "segment_seconds",
            Num::positive(Unit::Seconds).default(6).max(600).floor(1, 1),
        );
        let overhead = self.number(s, "packaging_overhead", Num::share().default(0));
        let rungs = self.array_of_tables(s, "rungs", true);
        let mut out = Vec::new();
        let mut ok = true;
        for section in &rungs {
            match self.rung(section) {
                Some(r) => out.push(r),
                None => ok = false,
            }
        }
        if rungs.is_empty() && s.get("rungs").is_none() {
            self.push(
                &s.field("rungs"),
                s.span.clone(),
                "the ladder has no rungs".into(),
                Some("add at least one `[[ladder.rungs]]` table with name, width, height, fps, codec, video_kbps, audio_kbps and watch_share".into()),
            );
            ok = false;
        } else if rungs.is_empty() {
            let span = s.get("rungs").map_or(s.span.clone(), |(v, _)| v.span());
            self.push(
                &s.field("rungs"),
                span,
                "the ladder has no rungs".into(),
                Some("add at least one `[[ladder.rungs]]` table".into()),
            );
            ok = false;
        }
        // Names identify rungs in reports; two rungs with one name would be confused.
        for (i, r) in out.iter().enumerate() {
            if out[..i].iter().any(|o| o.name == r.name) {
                let span = rungs[i]
                    .get("name")
                    .map_or(rungs[i].span.clone(), |(v, _)| v.span());
                self.push(
                    &rungs[i].field("name"),
                    span,
                    format!("two rungs are named `{}`", r.name),
                    Some("give every rung its own name, e.g. `720p_3000`".into()),
                );
            }
        }
        if ok && !out.is_empty() {
            let sum: Decimal = out.iter().map(|r| r.watch_share).sum();
            self.check_sum(
                sum,
                &rungs[0],
                "watch_share",
                "rung watch shares",
                "ladder.rungs[*].watch_share",
            );
        }
        Some(Ladder {
            segment_seconds: segment?,
            packaging_overhead: overhead?,
            rungs: if ok { out } else { return None },
        })
    }

    fn rung(&mut self, s: &Section) -> Option<Rung> {
        self.known_keys(
            s,
            &[
                "name",
                "width",
                "height",
                "fps",
                "codec",
                "video_kbps",
                "audio_kbps",
                "watch_share",
            ],
        );
        let name = self.string(s, "name", None);
        let width = self.number(
            s,
            "width",
            Num::positive(Unit::Pixels).integer().max(16_384),
        );
        let height = self.number(
            s,
            "height",
            Num::positive(Unit::Pixels).integer().max(16_384),
        );
        let fps = self.number(s, "fps", Num::positive(Unit::Fps).max(240));
        let codec = self.choice(s, "codec", &Codec::ALL, None);
        let video = self.number(s, "video_kbps", Num::positive(Unit::Kbps).max(1_000_000));
        let audio = self.number(s, "audio_kbps", Num::at_least(0, Unit::Kbps).max(100_000));
        let share = self.number(s, "watch_share", Num::share());
        Some(Rung {
            name: name?,
            width: u32::try_from(width?.mantissa()).ok()?,
            height: u32::try_from(height?.mantissa()).ok()?,
            fps: fps?,
            codec: codec?,
            video: Bitrate::from_kbps(video?),
            audio: Bitrate::from_kbps(audio?),
            watch_share: share?,
        })
    }

    fn audience(&mut self, s: &Section, avg_title: Option<Minutes>) -> Option<Audience> {
        self.known_keys(
            s,
            &[
                "watch_minutes_per_month",
                "geo",
                "peak_to_average",
                "avg_view_minutes",
            ],
        );
        let watch = self.number(
            s,
            "watch_minutes_per_month",
            Num::at_least(0, Unit::Minutes),
        );
        let peak = self.number(
            s,
            "peak_to_average",
            Num::at_least(1, Unit::Count).default(3).max(1000),
        );
        let view = if s.get("avg_view_minutes").is_some() {
            self.number(
                s,
                "avg_view_minutes",
                Num::positive(Unit::Minutes).floor(1, 2),
            )
            .map(Minutes)
        } else {
            avg_title
        };
        let geo = self.geo(s);
        Some(Audience {
            watch_minutes_per_month: Minutes(watch?),
            geo: geo?,
            peak_to_average: peak?,
            avg_view_minutes: view?,
        })
    }

    fn geo(&mut self, s: &Section) -> Option<Vec<(Geography, Decimal)>> {
        let g = self.section(s, "geo", true)?;
        let keys: Vec<&str> = Geography::ALL.iter().map(|g| g.key()).collect();
        let before = self.diags.len();
        self.known_keys(&g, &keys);
        // With a misspelt geography the sum says nothing new.
        let unknown = self.diags.len() > before;
        let mut out = Vec::new();
        let mut ok = true;
        for geo in Geography::ALL {
            if g.get(geo.key()).is_some() {
                match self.number(&g, geo.key(), Num::share()) {
                    Some(v) => out.push((geo, v)),
                    None => ok = false,
                }
            }
        }
        if !ok {
            return None;
        }
        if out.is_empty() {
            self.push(
                &g.path,
                g.span.clone(),
                "the audience has no geography".into(),
                Some("write shares per CloudFront geography, e.g. `geo = { us = 0.7, europe = 0.3 }`".into()),
            );
            return None;
        }
        if unknown {
            return None;
        }
        let sum: Decimal = out.iter().map(|(_, v)| *v).sum();
        let first = out[0].0.key();
        if !self.check_sum(sum, &g, first, "geography shares", "audience.geo") {
            return None;
        }
        Some(out)
    }

    fn delivery(&mut self, s: Option<&Section>) -> Option<Delivery> {
        let empty = DeTable::default();
        let default_section;
        let s = match s {
            Some(s) => s,
            None => {
                default_section = Section {
                    path: "delivery".into(),
                    table: &empty,
                    span: 0..0,
                };
                &default_section
            }
        };
        self.known_keys(
            s,
            &[
                "cdn",
                "cache_hit_rate",
                "origin_shield",
                "origin_shield_hit_rate",
                "protocol",
                "free_tier",
            ],
        );
        let cdn = self.choice(
            s,
            "cdn",
            &[("cloudfront", Cdn::Cloudfront), ("none", Cdn::None)],
            Some(Cdn::Cloudfront),
        );
        let hit = self.rate(s, "cache_hit_rate", 90);
        let shield = self.boolean(s, "origin_shield", false);
        let shield_hit = self.rate(s, "origin_shield_hit_rate", 50);
        let protocol = self.choice(
            s,
            "protocol",
            &[("http", Protocol::Http), ("https", Protocol::Https)],
            Some(Protocol::Https),
        );
        let free = self.boolean(s, "free_tier", true);
        Some(Delivery {
            cdn: cdn?,
            cache_hit_rate: hit?,
            origin_shield: shield?,
            origin_shield_hit_rate: shield_hit?,
            protocol: protocol?,
            free_tier: free?,
        })
    }

    /// A rate from 0 to 1 with a default given in percent.
    fn rate(&mut self, s: &Section, key: &str, default_percent: i64) -> Option<Decimal> {
        if s.get(key).is_none() {
            return Some(Decimal::new(default_percent, 2));
        }
        let v = self.number(s, key, Num::at_least(0, Unit::Share).max(MAX_NUMBER))?;
        if v > Decimal::ONE {
            let span = s.get(key).map_or(s.span.clone(), |(v, _)| v.span());
            let hint = if v <= Decimal::ONE_HUNDRED {
                format!(
                    "write a fraction from 0 to 1: `{key} = {}` for {v} %",
                    (v / Decimal::ONE_HUNDRED).normalize()
                )
            } else {
                format!("write a fraction from 0 to 1, e.g. `{key} = 0.9`")
            };
            self.push(
                &s.field(key),
                span,
                format!("`{key}` must be between 0 and 1, not {v}"),
                Some(hint),
            );
            return None;
        }
        Some(v)
    }

    fn transcode(&mut self, s: Option<&Section>) -> Option<Transcode> {
        let empty = DeTable::default();
        let fallback;
        let s = match s {
            Some(s) => s,
            None => {
                fallback = Section {
                    path: "transcode".into(),
                    table: &empty,
                    span: 0..0,
                };
                &fallback
            }
        };
        self.known_keys(
            s,
            &["service", "tier", "passes", "reserved_slots", "free_tier"],
        );
        let service = self.choice(
            s,
            "service",
            &[
                ("mediaconvert", TranscodeService::Mediaconvert),
                ("elastic-transcoder", TranscodeService::ElasticTranscoder),
            ],
            Some(TranscodeService::Mediaconvert),
        );
        let tier = self.choice(
            s,
            "tier",
            &[
                ("basic", MediaConvertTier::Basic),
                ("professional", MediaConvertTier::Professional),
            ],
            Some(MediaConvertTier::Basic),
        );
        let passes = self.number(
            s,
            "passes",
            Num::at_least(1, Unit::Count).integer().max(2).default(1),
        );
        let slots = self.number(
            s,
            "reserved_slots",
            Num::at_least(0, Unit::Count)
                .integer()
                .max(10_000)
                .default(0),
        );
        let free = self.boolean(s, "free_tier", true);
        Some(Transcode {
            service: service?,
            tier: tier?,
            passes: u8::try_from(passes?.mantissa()).ok()?,
            reserved_slots: u32::try_from(slots?.mantissa()).ok()?,
            free_tier: free?,
        })
    }

    fn storage(&mut self, s: Option<&Section>) -> Option<Storage> {
        let empty = DeTable::default();
        let fallback;
        let s = match s {
            Some(s) => s,
            None => {
                fallback = Section {
                    path: "storage".into(),
                    table: &empty,
                    span: 0..0,
                };
                &fallback
            }
        };
        self.known_keys(s, &["class", "lifecycle"]);
        let class = self.choice(s, "class", &StorageClass::ALL, Some(StorageClass::Standard));
        let rules = self.array_of_tables(s, "lifecycle", false);
        let mut lifecycle = Vec::new();
        let mut ok = true;
        for r in &rules {
            self.known_keys(r, &["after_days", "class"]);
            let days = self.number(r, "after_days", Num::at_least(0, Unit::Days).max(36_500));
            let to = self.choice(r, "class", &StorageClass::ALL, None);
            match (days, to) {
                (Some(after_days), Some(class)) => {
                    lifecycle.push((r, Transition { after_days, class }))
                }
                _ => ok = false,
            }
        }
        // S3 moves objects only to colder classes, and never into Standard-IA before they
        // are 30 days old (S3 User Guide, "Transitioning objects using Amazon S3 Lifecycle").
        let mut previous = (Decimal::ZERO, class);
        for (r, t) in &lifecycle {
            let span = r.get("class").map_or(r.span.clone(), |(v, _)| v.span());
            if let Some(from) = previous.1
                && t.class <= from
            {
                self.push(
                    &r.field("class"),
                    span.clone(),
                    format!(
                        "lifecycle cannot move objects from {} to {}",
                        from.label(),
                        t.class.label()
                    ),
                    Some("list transitions from warmer to colder classes: standard, standard-ia, glacier-ir".into()),
                );
                ok = false;
            }
            if t.after_days < previous.0 {
                let span = r
                    .get("after_days")
                    .map_or(r.span.clone(), |(v, _)| v.span());
                self.push(
                    &r.field("after_days"),
                    span,
                    "lifecycle transitions are not in order of age".into(),
                    Some("list transitions by increasing `after_days`".into()),
                );
                ok = false;
            }
            if t.class == StorageClass::StandardIa && t.after_days < Decimal::from(30) {
                let span = r
                    .get("after_days")
                    .map_or(r.span.clone(), |(v, _)| v.span());
                self.push(
                    &r.field("after_days"),
                    span,
                    "S3 moves objects to Standard-IA only after 30 days".into(),
                    Some(
                        "write `after_days = 30` or more, or start in `class = \"standard-ia\"`"
                            .into(),
                    ),
                );
                ok = false;
            }
            previous = (t.after_days, Some(t.class));
        }
        Some(Storage {
            class: class?,
            lifecycle: if ok {
                lifecycle.into_iter().map(|(_, t)| t).collect()
            } else {
                return None;
            },
        })
    }

    fn moderation(&mut self, s: Option<&Section>) -> Option<Moderation> {
        let Some(s) = s else {
            return Some(Moderation {
                images_per_title: Decimal::ZERO,
                video: false,
            });
        };
        self.known_keys(s, &["images_per_title", "video"]);
        let images = self.number(
            s,
            "images_per_title",
            Num::at_least(0, Unit::Count).default(0).max(100_000),
        );
        let video = self.boolean(s, "video", false);
        Some(Moderation {
            images_per_title: images?,
            video: video?,
        })
    }

    fn nlp(&mut self, s: Option<&Section>) -> Option<Nlp> {
        let Some(s) = s else {
            return Some(Nlp {
                documents_per_month: Decimal::ZERO,
                avg_chars: Decimal::ZERO,
                apis: Vec::new(),
            });
        };
        self.known_keys(s, &["documents_per_month", "avg_chars", "apis"]);
        let docs = self.number(
            s,
            "documents_per_month",
            Num::at_least(0, Unit::Count).integer().default(0),
        );
        let chars = self.number(
            s,
            "avg_chars",
            Num::at_least(0, Unit::Count)
                .integer()
                .default(0)
                .max(1_000_000),
        );
        let apis = self.api_list(s);
        Some(Nlp {
            documents_per_month: docs?,
            avg_chars: chars?,
            apis: apis?,
        })
    }

    fn api_list(&mut self, s: &Section) -> Option<Vec<ComprehendApi>> {
        let Some((v, _)) = s.get("apis") else {
            return Some(Vec::new());
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.push(
                &s.field("apis"),
                v.span(),
                format!("`apis` must be a list, not {}", type_name(v.get_ref())),
                Some("write e.g. `apis = [\"sentiment\", \"entities\"]`".into()),
            );
            return None;
        };
        let names: Vec<&str> = ComprehendApi::ALL.iter().map(|(k, _)| *k).collect();
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => {
                    match ComprehendApi::ALL.iter().find(|(k, _)| *k == text.as_ref()) {
                        Some((_, api)) if out.contains(api) => {
                            self.push(
                                &s.field("apis"),
                                item.span(),
                                format!("`{text}` is listed twice"),
                                Some("list each API once".into()),
                            );
                            ok = false;
                        }
                        Some((_, api)) => out.push(*api),
                        None => {
                            self.push(
                                &s.field("apis"),
                                item.span(),
                                format!("unknown Comprehend API `{text}`"),
                                Some(choice_hint(text, &names)),
                            );
                            ok = false;
                        }
                    }
                }
                other => {
                    self.push(
                        &s.field("apis"),
                        item.span(),
                        format!("an API name must be a string, not {}", type_name(other)),
                        Some(format!("write one of: {}", quoted_list(&names))),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    // ----- building blocks ------------------------------------------------------------

    /// Checks that shares sum to one within ±0.001, reporting at `key` of `at`.
    fn check_sum(
        &mut self,
        sum: Decimal,
        at: &Section,
        key: &str,
        what: &str,
        field: &str,
    ) -> bool {
        let tolerance = Decimal::new(1, 3);
        if (sum - Decimal::ONE).abs() <= tolerance {
            return true;
        }
        let span = at.get(key).map_or(at.span.clone(), |(v, _)| v.span());
        self.push(
            field,
            span,
            format!("{what} sum to {}, not 1", sum.normalize()),
            Some(format!(
                "make the {what} add up to 1 (±0.001); they are fractions, e.g. 0.25 for a quarter"
            )),
        );
        false
    }

    /// Reports every key of `s` that is not in `allowed`, with the closest allowed key or,
    /// for a unit mix-up such as `video_mbps`, the value converted to the unit expected.
    fn known_keys(&mut self, s: &Section, allowed: &[&str]) {
        for (k, v) in s.table.iter() {
            let key = k.get_ref().as_ref();
            if allowed.contains(&key) {
                continue;
            }
            let hint =
                unit_mixup_hint(key, v.get_ref(), allowed).unwrap_or_else(|| {
                    match closest(key, allowed) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("the keys here are: {}", quoted_list(allowed)),
                    }
                });
            let place = if s.path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in [{}]", s.path)
            };
            self.push(
                &s.field(key),
                k.span(),
                format!("unknown key `{key}` {place}"),
                Some(hint),
            );
        }
    }

    fn section<'a, 'i>(
        &mut self,
        parent: &Section<'a, 'i>,
        key: &str,
        required: bool,
    ) -> Option<Section<'a, 'i>> {
        let path = parent.field(key);
        let Some((v, _)) = parent
            .table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, v)| (v, k.span()))
        else {
            if required {
                self.push(
                    &path,
                    parent.span.clone(),
                    format!("missing section [{path}]"),
                    Some(format!(
                        "add a `[{path}]` table; docs/scenario.md lists its fields"
                    )),
                );
            }
            return None;
        };
        match v.get_ref() {
            DeValue::Table(t) => Some(Section {
                path,
                table: t,
                span: v.span(),
            }),
            other => {
                self.push(
                    &path,
                    v.span(),
                    format!("`{key}` must be a table, not {}", type_name(other)),
                    Some(format!("write it as a `[{path}]` section")),
                );
                None
            }
        }
    }

    fn array_of_tables<'a, 'i>(
        &mut self,
        parent: &Section<'a, 'i>,
        key: &str,
        required: bool,
    ) -> Vec<Section<'a, 'i>> {
        let path = parent.field(key);
        let Some(v) = parent
            .table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
        else {
            let _ = required;
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.push(
                &path,
                v.span(),
                format!(
                    "`{key}` must be a list of tables, not {}",
                    type_name(v.get_ref())
                ),
                Some(format!("write each entry as a `[[{path}]]` table")),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Section {
                    path: format!("{path}[{}]", i + 1),
                    table: t,
                    span: item.span(),
                }),
                other => self.push(
                    &format!("{path}[{}]", i + 1),
                    item.span(),
                    format!(
                        "entry {} of `{key}` must be a table, not {}",
                        i + 1,
                        type_name(other)
                    ),
                    Some(format!("write each entry as a `[[{path}]]` table")),
                ),
            }
        }
        out
    }

    fn value_span(&self, s: &Section, key: &str) -> Span {
        s.get(key).map_or(s.span.clone(), |(v, _)| v.span())
    }

    fn missing(&mut self, s: &Section, key: &str, example: &str) {
        let place = if s.path.is_empty() {
            String::new()
        } else {
            format!(" in [{}]", s.path)
        };
        self.push(
            &s.field(key),
            s.span.clone(),
            format!("missing `{key}`{place}"),
            Some(format!("add `{key} = {example}`")),
        );
    }

    fn number(&mut self, s: &Section, key: &str, rule: Num) -> Option<Decimal> {
        let field = s.field(key);
        let Some((v, _)) = s.get(key) else {
            if let Some(d) = rule.default {
                return Some(Decimal::from(d));
            }
            // `video_mbps = 6` is reported as an unknown key with the converted value; saying
            // `video_kbps` is missing as well would only repeat it.
            let mixed_up = s
                .table
                .iter()
                .any(|(k, v)| unit_mixup_hint(k.get_ref().as_ref(), v.get_ref(), &[key]).is_some());
            if mixed_up {
                return None;
            }
            let example = match rule.unit {
                Unit::Share => "0.5",
                Unit::Kbps => "3000",
                Unit::Pixels => "1280",
                Unit::Fps => "30",
                _ => "1",
            };
            self.missing(s, key, example);
            return None;
        };
        let span = v.span();
        let value = match v.get_ref() {
            DeValue::Integer(i) => parse_integer(i.as_str(), i.radix()),
            DeValue::Float(f) => {
                let text = f.as_str();
                if text.contains("nan") || text.contains("inf") {
                    self.push(
                        &field,
                        span,
                        format!("`{key}` must be a finite number, not `{text}`"),
                        Some(format!("write a number in {}", rule.unit.describe())),
                    );
                    return None;
                }
                parse_float(text)
            }
            DeValue::String(text) => {
                let hint = string_number_hint(key, text, rule.unit);
                self.push(
                    &field,
                    span,
                    format!("`{key}` must be a number, not the string \"{text}\""),
                    Some(hint),
                );
                return None;
            }
            other => {
                self.push(
                    &field,
                    span,
                    format!("`{key}` must be a number, not {}", type_name(other)),
                    Some(format!("write a number in {}", rule.unit.describe())),
                );
                return None;
            }
        };
        let Some(value) = value else {
            self.push(
                &field,
                span,
                format!("`{key}` is too large"),
                Some(format!(
                    "write a number no larger than {}",
                    crate::units::format_quantity(Decimal::from(rule.max), 0)
                )),
            );
            return None;
        };
        let min = Decimal::from(rule.min);
        let max = Decimal::from(rule.max);
        let below = if rule.min_exclusive {
            value <= min
        } else {
            value < min
        };
        if below {
            let bound = if rule.min_exclusive {
                format!("greater than {min}")
            } else {
                format!("at least {min}")
            };
            self.push(
                &field,
                span,
                format!("`{key}` must be {bound}, not {}", value.normalize()),
                Some(format!(
                    "write a number {bound}, in {}",
                    rule.unit.describe()
                )),
            );
            return None;
        }
        if value > max {
            self.push(
                &field,
                span,
                format!(
                    "`{key}` must be at most {}, not {}",
                    crate::units::format_quantity(max, 0),
                    value.normalize()
                ),
                Some(format!(
                    "write a number in {} no larger than {}",
                    rule.unit.describe(),
                    crate::units::format_quantity(max, 0)
                )),
            );
            return None;
        }
        if let Some((m, scale)) = rule.floor {
            let floor = Decimal::new(m, scale);
            if value < floor {
                self.push(
                    &field,
                    span,
                    format!(
                        "`{key}` must be at least {floor}, not {}",
                        value.normalize()
                    ),
                    Some(format!(
                        "write a number of at least {floor} {}",
                        rule.unit.describe()
                    )),
                );
                return None;
            }
        }
        if rule.integer && !value.fract().is_zero() {
            self.push(
                &field,
                span,
                format!("`{key}` must be a whole number, not {}", value.normalize()),
                Some(format!("write `{key} = {}`", value.round())),
            );
            return None;
        }
        Some(value)
    }

    fn string(&mut self, s: &Section, key: &str, default: Option<&str>) -> Option<String> {
        let Some((v, _)) = s.get(key) else {
            if let Some(d) = default {
                return Some(d.to_string());
            }
            self.missing(s, key, "\"…\"");
            return None;
        };
        match v.get_ref() {
            DeValue::String(text) => Some(text.to_string()),
            other => {
                self.push(
                    &s.field(key),
                    v.span(),
                    format!("`{key}` must be a string, not {}", type_name(other)),
                    Some(format!("put the value in double quotes: `{key} = \"…\"`")),
                );
                None
            }
        }
    }

    fn boolean(&mut self, s: &Section, key: &str, default: bool) -> Option<bool> {
        let Some((v, _)) = s.get(key) else {
            return Some(default);
        };
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                let span = self.value_span(s, key);
                self.push(
                    &s.field(key),
                    span,
                    format!("`{key}` must be true or false, not {}", type_name(other)),
                    Some(format!("write `{key} = true` or `{key} = false`")),
                );
                None
            }
        }
    }

    fn choice<T: Copy>(
        &mut self,
        s: &Section,
        key: &str,
        options: &[(&str, T)],
        default: Option<T>,
    ) -> Option<T> {
        let names: Vec<&str> = options.iter().map(|(k, _)| *k).collect();
        let Some((v, _)) = s.get(key) else {
            if default.is_some() {
                return default;
            }
            self.missing(s, key, &format!("\"{}\"", names[0]));
            return None;
        };
        match v.get_ref() {
            DeValue::String(text) => {
                if let Some((_, t)) = options.iter().find(|(k, _)| *k == text.as_ref()) {
                    return Some(*t);
                }
                self.push(
                    &s.field(key),
                    v.span(),
                    format!("unknown {key} `{text}`"),
                    Some(choice_hint(text, &names)),
                );
                None
            }
            other => {
                self.push(
                    &s.field(key),
                    v.span(),
                    format!("`{key}` must be a string, not {}", type_name(other)),
                    Some(format!("write one of: {}", quoted_list(&names))),
                );
                None
            }
        }
    }
}

fn parse_integer(text: &str, radix: u32) -> Option<Decimal> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let v = i128::from_str_radix(&clean, radix).ok()?;
    if v.unsigned_abs() > MAX_NUMBER as u128 * 1000 {
        return None;
    }
    Decimal::from_i128_with_scale(v, 0).into()
}

fn parse_float(text: &str) -> Option<Decimal> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let parsed = if clean.contains(['e', 'E']) {
        Decimal::from_scientific(&clean).ok()
    } else {
        Decimal::from_str(&clean).ok()
    };
    parsed.filter(|d| d.abs() <= Decimal::from(MAX_NUMBER) * Decimal::ONE_THOUSAND)
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn quoted_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn choice_hint(text: &str, names: &[&str]) -> String {
    let lower = text.to_lowercase();
    if let Some((_, name)) = Codec::ALIASES.iter().find(|(alias, _)| *alias == lower)
        && names.contains(name)
    {
        return format!(
            "write \"{name}\" for `{text}`; the choices are: {}",
            quoted_list(names)
        );
    }
    match closest(text, names) {
        Some(c) => format!("did you mean \"{c}\"? write one of: {}", quoted_list(names)),
        None => format!("write one of: {}", quoted_list(names)),
    }
}

/// The allowed word nearest to `word`, if it is near enough to be a typo.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Bitrate units people write, with their size in kilobits per second. Case matters:
/// `Mbps` is megabits, `MBps` megabytes.
const BITRATE_UNITS: &[(&str, i64, i64)] = &[
    // (unit, numerator, denominator) in kbps
    ("bps", 1, 1000),
    ("kbps", 1, 1),
    ("kbit/s", 1, 1),
    ("Kbps", 1, 1),
    ("mbps", 1000, 1),
    ("Mbps", 1000, 1),
    ("Mbit/s", 1000, 1),
    ("gbps", 1_000_000, 1),
    ("Gbps", 1_000_000, 1),
    ("kBps", 8, 1),
    ("KBps", 8, 1),
    ("MBps", 8000, 1),
    ("GBps", 8_000_000, 1),
];

/// Duration units with their size in minutes.
const DURATION_UNITS: &[(&str, i64, i64)] = &[
    ("seconds", 1, 60),
    ("secs", 1, 60),
    ("s", 1, 60),
    ("minutes", 1, 1),
    ("mins", 1, 1),
    ("min", 1, 1),
    ("hours", 60, 1),
    ("hrs", 60, 1),
    ("h", 60, 1),
    ("days", 1440, 1),
];

/// For a key like `video_mbps` or `new_hours_per_month`, the key the user meant and the value
/// converted to its unit.
fn unit_mixup_hint(key: &str, value: &DeValue, allowed: &[&str]) -> Option<String> {
    let number = match value {
        DeValue::Integer(i) => parse_integer(i.as_str(), i.radix()),
        DeValue::Float(f) => parse_float(f.as_str()),
        _ => None,
    };
    // Exact case first, so `video_MBps` is read as megabytes and `video_Mbps` as megabits.
    for exact in [true, false] {
        for target in allowed {
            let (units, expected) = if target.contains("kbps") {
                (BITRATE_UNITS, "kbps")
            } else if target.contains("minutes") {
                (DURATION_UNITS, "minutes")
            } else {
                continue;
            };
            for (unit, num, den) in units {
                let candidate = target.replacen(expected, unit, 1);
                let same = if exact {
                    candidate == key
                } else {
                    candidate.eq_ignore_ascii_case(key)
                };
                if *unit == expected || !same {
                    continue;
                }
                let converted = number.map(|n| n * Decimal::from(*num) / Decimal::from(*den));
                let what = if expected == "kbps" {
                    "bitrates are written in kilobits per second"
                } else {
                    "durations are written in minutes"
                };
                return Some(match converted {
                    Some(c) => format!("{what}: write `{target} = {}`", c.normalize()),
                    None => format!("{what}: write `{target} = …`"),
                });
            }
        }
    }
    None
}

/// A hint for a number written as a string, converting `"3 Mbps"` or `"2.5 hours"` into the
/// field's unit where possible.
fn string_number_hint(key: &str, text: &str, unit: Unit) -> String {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    let (digits, suffix) = t.split_at(split);
    let suffix = suffix.trim();
    let amount = Decimal::from_str(&digits.replace('_', "")).ok();
    let table = match unit {
        Unit::Kbps => BITRATE_UNITS,
        Unit::Minutes => DURATION_UNITS,
        _ => &[],
    };
    if let Some(amount) = amount {
        if suffix.is_empty() {
            return format!("remove the quotes: `{key} = {}`", amount.normalize());
        }
        if let Some((_, num, den)) = table.iter().find(|(u, _, _)| *u == suffix) {
            let v = amount * Decimal::from(*num) / Decimal::from(*den);
            let note = if suffix.contains('B') {
                format!(" ({suffix} counts bytes; {key} counts bits)")
            } else {
                String::new()
            };
            return format!(
                "write the number alone, in {}: `{key} = {}`{note}",
                unit.describe(),
                v.normalize()
            );
        }
    }
    format!("write a number in {} without quotes", unit.describe())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(
            closest("vidoe_kbps", &["video_kbps", "audio_kbps"]),
            Some("video_kbps")
        );
        assert_eq!(closest("colour", &["video_kbps", "audio_kbps"]), None);
    }

    #[test]
    fn unit_mixups_are_converted() {
        let v = DeValue::Float(Default::default());
        assert!(unit_mixup_hint("video_mbps", &v, &["video_kbps"]).is_some());
        assert_eq!(
            string_number_hint("video_kbps", "3 Mbps", Unit::Kbps),
            "write the number alone, in kilobits per second: `video_kbps = 3000`"
        );
        assert_eq!(
            string_number_hint("video_kbps", "0.5 MBps", Unit::Kbps),
            "write the number alone, in kilobits per second: `video_kbps = 4000` (MBps counts bytes; video_kbps counts bits)"
        );
        assert_eq!(
            string_number_hint("avg_title_minutes", "2 hours", Unit::Minutes),
            "write the number alone, in minutes: `avg_title_minutes = 120`"
        );
    }
}
