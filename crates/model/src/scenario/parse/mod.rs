//! Reads a scenario from TOML, collecting every problem instead of stopping at the first.
//!
//! serde stops at the first error and cannot say "unknown key, did you mean …". So the file is
//! parsed into toml's spanned document tree, and each section is read by hand with a
//! [`Reader`] that records a [`Diagnostic`] per problem and carries on. Every value is checked
//! by the rule its field has in [`crate::scenario::fields`].

mod forecast;
pub(crate) mod hints;
mod reader;
pub(crate) mod values;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::diagnostics::{ScenarioErrors, line_column};
use super::fields::{self, Field};
use super::*;
use crate::units::{Bitrate, Minutes};
use hints::{choice_hint, quoted_list};
use reader::{Reader, Section};
use values::{first_line, type_name};

pub(super) fn parse(file: &str, source: &str) -> Result<Scenario, ScenarioErrors> {
    parse_over(file, source, None)
}

/// As [`parse`]; `months`, when given, is the horizon the forecast's growths are checked over
/// instead of the file's.
pub(super) fn parse_over(
    file: &str,
    source: &str,
    months: Option<u32>,
) -> Result<Scenario, ScenarioErrors> {
    let mut reader = Reader {
        source,
        diags: Vec::new(),
    };
    let (doc, syntax_errors) = DeTable::parse_recoverable(source);
    // The bodies of tables written twice: their keys clash with the first table's, which
    // is the same mistake said again.
    let mut repeated: Vec<std::ops::Range<usize>> = Vec::new();
    for e in &syntax_errors {
        let span = e.span().unwrap_or(0..0);
        let message = first_line(e.message());
        if message == "duplicate key" {
            if repeated.iter().any(|body| body.contains(&span.start)) {
                continue;
            }
            let d = hints::duplicate(source, &span);
            if let Some(body) = d.table_body {
                repeated.push(body);
            }
            reader.push("", span, d.message, Some(d.hint));
            continue;
        }
        reader.push(
            "",
            span,
            format!("invalid TOML: {message}"),
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
    let scenario = reader.scenario(&root, months);
    match scenario {
        Some(s) if reader.diags.is_empty() => Ok(s),
        _ => Err(ScenarioErrors::new(file, source, reader.diags)),
    }
}

/// The span of the value a dotted table path (`forecast.seasonality`) names in `source`;
/// `None` when the file does not write it (or does not parse).
pub(super) fn value_span(source: &str, path: &str) -> Option<std::ops::Range<usize>> {
    let (doc, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return None;
    }
    let mut keys = path.split('.');
    let mut value = doc.get_ref().get(keys.next()?)?;
    for key in keys {
        match value.get_ref() {
            DeValue::Table(t) => value = t.get(key)?,
            _ => return None,
        }
    }
    Some(value.span())
}

/// The field at `path` in the table; every path the reader names is in it (a test reads every
/// shipped scenario and the table's own test checks the paths).
fn field(path: &str) -> &'static Field {
    fields::find(path).unwrap_or_else(|| panic!("`{path}` is not in the field table"))
}

/// An empty section standing for one the file leaves out, so its defaults apply.
fn absent<'a>(path: &str, empty: &'a DeTable<'static>) -> Section<'a, 'static> {
    Section {
        path: path.into(),
        table: empty,
        span: 0..0,
    }
}

impl Reader<'_> {
    fn scenario(&mut self, root: &Section, months: Option<u32>) -> Option<Scenario> {
        let sections: Vec<&str> = fields::SECTIONS
            .iter()
            .map(|s| s.name)
            .filter(|n| !n.contains('.'))
            // The old name of `[vision]`, still read.
            .chain(["moderation"])
            .collect();
        self.known_keys(root, &sections);
        let head = self.section(root, "scenario", true);
        let content = self.section(root, "content", true);
        let ladder = self.section(root, "ladder", true);
        let audience = self.section(root, "audience", true);
        let account = self.section(root, "account", false);
        let delivery = self.section(root, "delivery", false);
        let transcode = self.section(root, "transcode", false);
        let storage = self.section(root, "storage", false);
        let moderation = self.section(root, "moderation", false);
        let vision = self.section(root, "vision", false);
        let nlp = self.section(root, "nlp", false);
        let pipeline = self.section(root, "pipeline", false);
        let forecast = self.section(root, "forecast", false);

        let (name, region) = head.as_ref().map_or((None, None), |s| self.head(s));
        let content = content.as_ref().and_then(|s| self.content(s));
        let ladder = ladder.as_ref().and_then(|s| self.ladder(s));
        let avg_title = content.as_ref().map(|c| c.avg_title_minutes);
        let audience_section = audience;
        let audience = audience_section
            .as_ref()
            .and_then(|s| self.audience(s, avg_title));
        let empty = DeTable::default();
        let account_section = account.unwrap_or(absent("account", &empty));
        let delivery_section = delivery.unwrap_or(absent("delivery", &empty));
        let transcode_section = transcode.unwrap_or(absent("transcode", &empty));
        let account = self.account(&account_section, &delivery_section, &transcode_section);
        let delivery = self.delivery(&delivery_section);
        let transcode = self.transcode(&transcode_section);
        let storage = self.storage(storage.as_ref().unwrap_or(&absent("storage", &empty)));
        let mut notes = Vec::new();
        let vision = match (vision, moderation) {
            (Some(v), Some(m)) => {
                self.push(
                    "moderation",
                    m.span.clone(),
                    "both [moderation] and [vision]: [moderation] is the old name of [vision]"
                        .into(),
                    Some(format!(
                        "move the settings of [moderation] into [vision] (line {}) and remove [moderation]",
                        line_column(self.source, v.span.start).0
                    )),
                );
                None
            }
            (Some(v), None) => self.vision(&v),
            (None, Some(m)) => {
                notes.push(
                    "[moderation] is the old name of [vision]: write `moderation_images_per_title` for `images_per_title` and `video_moderation` for `video` under [vision]; [moderation] is still read".to_string(),
                );
                self.deprecated_moderation(&m)
            }
            (None, None) => self.vision(&absent("vision", &empty)),
        };
        let nlp = self.nlp(nlp.as_ref().unwrap_or(&absent("nlp", &empty)));
        let pipeline = self.pipeline(pipeline.as_ref().unwrap_or(&absent("pipeline", &empty)));
        let audio = ladder.as_ref().map(|l| l.audio);
        let forecast = match &forecast {
            Some(f) => self.forecast(f, audio),
            None if root.has("forecast") => None,
            None => Some((
                crate::scenario::forecast::ForecastSpec::default(),
                forecast::ForecastSpans {
                    growth: Vec::new(),
                    events: Vec::new(),
                },
            )),
        };
        let (forecast, spans) = forecast?;
        let mut scenario = Scenario {
            name: name?,
            region: region?,
            content: content?,
            ladder: ladder?,
            audience: audience?,
            account: account?,
            delivery: delivery?,
            transcode: transcode?,
            storage: storage?,
            vision: vision?,
            nlp: nlp?,
            pipeline: pipeline?,
            forecast,
            notes,
        };
        scenario.rescale_shares();
        // Each field is within its bounds; their product for the month must be countable too.
        if let Some(e) = crate::engine::drivers::beyond_counting(&scenario)
            && let Some(at) = &audience_section
        {
            self.push(
                "audience",
                at.span.clone(),
                e.message(),
                Some(format!("check {}", e.fields)),
            );
            return None;
        }
        // A growth is checked against its driver's bounds once the whole scenario is known:
        // the drivers start from the scenario's values.
        let over = months.filter(|m| *m != scenario.forecast.months).map(|m| {
            let mut s = scenario.clone();
            s.forecast.months = m;
            s
        });
        for p in crate::forecast::problems(over.as_ref().unwrap_or(&scenario)) {
            let at = match (p.growth, p.event) {
                (Some(i), _) => spans.growth.get(i),
                (_, Some(i)) => spans.events.get(i),
                _ => None,
            };
            if let Some((path, span)) = at {
                let hint = match months {
                    Some(m) if over.is_some() => format!(
                        "{}; the horizon asked for is {m} months, the file's `months` is {}",
                        p.hint, scenario.forecast.months
                    ),
                    _ => p.hint,
                };
                self.push(path, span.clone(), p.message, Some(hint));
            }
        }
        Some(scenario)
    }

    fn head(&mut self, s: &Section) -> (Option<String>, Option<String>) {
        self.known_fields(s, "scenario");
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
        let name = self.text(s, field("scenario.name"));
        if let Some(n) = &name
            && n.trim().is_empty()
        {
            let span = s.value_span("name");
            self.push(
                &s.field("name"),
                span,
                "the scenario name is empty".into(),
                Some("write a name such as `name = \"UGC short-form platform\"`".into()),
            );
        }
        let region = self.text(s, field("scenario.region"));
        if let Some(r) = &region
            && !crate::region::is_known(r)
        {
            let span = s.value_span("region");
            let hint = match super::closest_region(r) {
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
        self.known_fields(s, "content");
        let new = self.number(s, field("content.new_minutes_per_month"));
        let title = self.number(s, field("content.avg_title_minutes"));
        let source = self.number(s, field("content.source_kbps"));
        let retention = self.number(s, field("content.retention_months"));
        let library = self.number(s, field("content.library_minutes"));
        Some(Content {
            new_minutes_per_month: Minutes(new?),
            avg_title_minutes: Minutes(title?),
            source_bitrate: Bitrate::from_kbps(source?),
            retention_months: retention.map(|r| (!r.is_zero()).then_some(r))?,
            library_minutes: Minutes(library?),
        })
    }

    fn ladder(&mut self, s: &Section) -> Option<Ladder> {
        self.known_fields(s, "ladder");
        let segment = self.number(s, field("ladder.segment_seconds"));
        let overhead = self.number(s, field("ladder.packaging_overhead"));
        let audio = self.choice(s, field("ladder.audio"), &AudioLayout::ALL);
        let audio_kbps = match audio {
            Some(AudioLayout::Separate) if !s.has("audio_kbps") => {
                self.push(
                    &s.field("audio_kbps"),
                    s.value_span("audio"),
                    "missing `audio_kbps` in [ladder]: a separate audio rendition needs its bitrate".into(),
                    Some("add e.g. `audio_kbps = 128` under `audio = \"separate\"`".into()),
                );
                None
            }
            Some(AudioLayout::Separate) => self.number(s, field("ladder.audio_kbps")),
            Some(AudioLayout::Muxed) if s.has("audio_kbps") => {
                if let Some((message, hint)) = super::misplaced_audio(AudioLayout::Muxed, false) {
                    self.push(
                        &s.field("audio_kbps"),
                        s.value_span("audio_kbps"),
                        message.into(),
                        Some(hint.into()),
                    );
                }
                None
            }
            _ => Some(Decimal::ZERO),
        };
        let rungs = self.array_of_tables(s, "rungs");
        // Each rung read, with the section it was read from, so that later checks point at
        // the right table even when an earlier rung failed to read.
        let mut read: Vec<(Rung, &Section)> = Vec::new();
        // Every rung's watch share, read even when another of its fields is wrong: the sum
        // is checked whenever every share reads, so one run reports every problem.
        let mut shares: Vec<Option<Decimal>> = Vec::new();
        let mut ok = true;
        for (_, section) in &rungs {
            let (rung, share) = self.rung(section, audio);
            shares.push(share);
            match rung {
                Some(r) => read.push((r, section)),
                None => ok = false,
            }
        }
        if rungs.is_empty() {
            let hint = if s.has("rungs") {
                "add at least one `[[ladder.rungs]]` table"
            } else {
                "add at least one `[[ladder.rungs]]` table with name, width, height, fps, codec, video_kbps, audio_kbps and watch_share"
            };
            self.push(
                &s.field("rungs"),
                s.value_span("rungs"),
                "the ladder has no rungs".into(),
                Some(hint.into()),
            );
            ok = false;
        }
        // Names identify rungs in reports and field paths; two rungs with one name would be
        // confused.
        for (i, (r, section)) in read.iter().enumerate() {
            if r.name.trim().is_empty() {
                self.push(
                    &section.field("name"),
                    section.value_span("name"),
                    "the rung's name is empty".into(),
                    Some("name the rung by its size and rate, e.g. `name = \"720p_3000\"`".into()),
                );
                ok = false;
                continue;
            }
            if read[..i].iter().any(|(o, _)| o.name == r.name) {
                self.push(
                    &section.field("name"),
                    section.value_span("name"),
                    format!("two rungs are named `{}`", r.name),
                    Some("give every rung its own name, e.g. `720p_3000`".into()),
                );
                ok = false;
            }
        }
        if let Some((_, first)) = rungs.first()
            && shares.iter().all(Option::is_some)
        {
            let sum: Decimal = shares.iter().flatten().sum();
            self.check_sum(
                sum,
                first,
                "watch_share",
                "rung watch shares",
                "ladder.rungs[*].watch_share",
            );
        }
        Some(Ladder {
            segment_seconds: segment?,
            packaging_overhead: overhead?,
            audio: audio?,
            audio_bitrate: Bitrate::from_kbps(audio_kbps?),
            rungs: if ok {
                read.into_iter().map(|(r, _)| r).collect()
            } else {
                return None;
            },
        })
    }

    /// A rung, and its watch share on its own (read even when another field fails).
    fn rung(
        &mut self,
        s: &Section,
        audio_layout: Option<AudioLayout>,
    ) -> (Option<Rung>, Option<Decimal>) {
        self.known_fields(s, "ladder.rungs[N]");
        let name = self.text(s, field("ladder.rungs[N].name"));
        let width = self.number(s, field("ladder.rungs[N].width"));
        let height = self.number(s, field("ladder.rungs[N].height"));
        let fps = self.number(s, field("ladder.rungs[N].fps"));
        let codec = self.choice(s, field("ladder.rungs[N].codec"), &Codec::ALL);
        let video = self.number(s, field("ladder.rungs[N].video_kbps"));
        let audio = match audio_layout {
            // With a separate rendition the rung carries no audio of its own.
            Some(AudioLayout::Separate) if !s.has("audio_kbps") => Some(Decimal::ZERO),
            Some(AudioLayout::Separate) => {
                let v = self.number(s, field("ladder.rungs[N].audio_kbps"));
                if v.is_some_and(|v| !v.is_zero()) {
                    if let Some((message, hint)) =
                        super::misplaced_audio(AudioLayout::Separate, true)
                    {
                        self.push(
                            &s.field("audio_kbps"),
                            s.value_span("audio_kbps"),
                            message.into(),
                            Some(hint.into()),
                        );
                    }
                    None
                } else {
                    v
                }
            }
            _ => self.number(s, field("ladder.rungs[N].audio_kbps")),
        };
        let share = self.number(s, field("ladder.rungs[N].watch_share"));
        let rung = (|| {
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
        })();
        (rung, share)
    }

    fn audience(&mut self, s: &Section, avg_title: Option<Minutes>) -> Option<Audience> {
        self.known_fields(s, "audience");
        let watch = self.number(s, field("audience.watch_minutes_per_month"));
        let peak = self.number(s, field("audience.peak_to_average"));
        let view = if s.has("avg_view_minutes") {
            self.number(s, field("audience.avg_view_minutes"))
                .map(Minutes)
        } else {
            avg_title
        };
        let geo = self.geo(s);
        let buffer = self.number(s, field("audience.buffer_ahead_seconds"));
        let early = self.number(s, field("audience.early_exit_share"));
        let preload = self.number(s, field("audience.preload_seconds"));
        let impressions = self.number(s, field("audience.impressions_per_session"));
        let switches = self.number(s, field("audience.rung_switches_per_session"));
        Some(Audience {
            watch_minutes_per_month: Minutes(watch?),
            geo: geo?,
            peak_to_average: peak?,
            avg_view_minutes: view?,
            view_is_title: !s.has("avg_view_minutes"),
            buffer_ahead_seconds: buffer?,
            early_exit_share: early?,
            preload_seconds: preload?,
            impressions_per_session: impressions?,
            rung_switches_per_session: switches?,
        })
    }

    fn geo(&mut self, s: &Section) -> Option<Vec<(Geography, Decimal)>> {
        let g = self.section(s, "geo", true)?;
        let keys: Vec<&str> = Geography::ALL.iter().map(|g| g.key()).collect();
        let before = self.diags.len();
        self.known_keys(&g, &keys);
        // With a misspelt geography the sum says nothing new.
        let unknown = self.diags.len() > before;
        let share = field("audience.geo.<geography>");
        let mut out = Vec::new();
        let mut ok = true;
        for geo in Geography::ALL {
            if g.has(geo.key()) {
                match self.number_at(&g, geo.key(), share) {
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

    /// The account's free-tier switch; older files wrote it as `delivery.free_tier` and
    /// `transcode.free_tier`, which are read as this one setting.
    fn account(&mut self, s: &Section, delivery: &Section, transcode: &Section) -> Option<Account> {
        self.known_fields(s, "account");
        let account = self.boolean(s, field("account.free_tier"));
        let old: Vec<(&Section, bool)> = [(delivery, "delivery"), (transcode, "transcode")]
            .into_iter()
            .filter(|(sec, _)| sec.has("free_tier"))
            .filter_map(|(sec, name)| {
                let v = self.boolean(sec, field(&format!("{name}.free_tier")))?;
                Some((sec, v))
            })
            .collect();
        if let Some((first, v)) = old.first() {
            let disagree = old.iter().any(|(_, w)| w != v)
                || (s.has("free_tier") && account.is_some_and(|a| a != *v));
            if disagree {
                self.push(
                    &first.field("free_tier"),
                    first.value_span("free_tier"),
                    "the free-tier switches disagree, and they are one setting of the account".into(),
                    Some("write `[account] free_tier = true` (or false) and remove `free_tier` from [delivery] and [transcode]".into()),
                );
                return None;
            }
            if !s.has("free_tier") {
                return Some(Account { free_tier: *v });
            }
        }
        Some(Account {
            free_tier: account?,
        })
    }

    fn delivery(&mut self, s: &Section) -> Option<Delivery> {
        self.known_fields(s, "delivery");
        let cdn = self.choice(s, field("delivery.cdn"), &Cdn::ALL);
        let hit = self.number(s, field("delivery.cache_hit_rate"));
        let shield = self.boolean(s, field("delivery.origin_shield"));
        let shield_hit = self.number(s, field("delivery.origin_shield_hit_rate"));
        let protocol = self.choice(s, field("delivery.protocol"), &Protocol::ALL);
        let plan = self.choice(s, field("delivery.plan"), &PlanChoice::ALL);
        if s.has("plan") && cdn.is_some_and(|c| c != Cdn::CloudfrontFlatRate) {
            self.push(
                &s.field("plan"),
                s.value_span("plan"),
                "`plan` names a CloudFront flat-rate plan, and this scenario pays as it goes"
                    .into(),
                Some("write `cdn = \"cloudfront-flat-rate\"`, or remove `plan`".into()),
            );
            return None;
        }
        let recent = if s.has("recent_read_share") {
            let share = self.number(s, field("delivery.recent_read_share"));
            let days = self.number(s, field("delivery.recent_days"));
            Some(RecentReads {
                share: share?,
                days: days?,
            })
        } else {
            if s.has("recent_days") {
                self.push(
                    &s.field("recent_days"),
                    s.value_span("recent_days"),
                    "`recent_days` says what `recent_read_share` counts as recent, and there is no `recent_read_share`".into(),
                    Some("add e.g. `recent_read_share = 0.6` (60 % of origin reads are of titles younger than `recent_days`)".into()),
                );
                return None;
            }
            None
        };
        Some(Delivery {
            cdn: cdn?,
            cache_hit_rate: hit?,
            origin_shield: shield?,
            origin_shield_hit_rate: shield_hit?,
            protocol: protocol?,
            recent_reads: recent,
            plan: plan?,
        })
    }

    fn transcode(&mut self, s: &Section) -> Option<Transcode> {
        self.known_fields(s, "transcode");
        let service = self.choice(s, field("transcode.service"), &TranscodeService::ALL);
        let tier = self.choice(s, field("transcode.tier"), &MediaConvertTier::ALL);
        let passes = self.number(s, field("transcode.passes"));
        let slots = self.number(s, field("transcode.reserved_slots"));
        let speed = self.job_speed(s);
        let pooling = self.choice(s, field("transcode.pooling"), &Pooling::ALL);
        let others = self.number(s, field("transcode.other_normalized_minutes"));
        Some(Transcode {
            service: service?,
            tier: tier?,
            passes: u8::try_from(passes?.mantissa()).ok()?,
            reserved_slots: u32::try_from(slots?.mantissa()).ok()?,
            job_speed: speed?,
            pooling: pooling?,
            other_normalized_minutes: others?,
        })
    }

    /// The job speed and its range: the low end defaults to half the central value, the high
    /// end to twice it, and they must bracket it.
    fn job_speed(&mut self, s: &Section) -> Option<JobSpeed> {
        let central = self.number(s, field("transcode.job_speed"))?;
        let low = if s.has("job_speed_low") {
            self.number(s, field("transcode.job_speed_low"))?
        } else {
            central / Decimal::TWO
        };
        let high = if s.has("job_speed_high") {
            self.number(s, field("transcode.job_speed_high"))?
        } else {
            central * Decimal::TWO
        };
        if low > central || central > high {
            let key = if low > central {
                "job_speed_low"
            } else {
                "job_speed_high"
            };
            self.push(
                &s.field(key),
                s.value_span(key),
                format!(
                    "the job-speed range [{}, {}] does not hold `job_speed = {}`",
                    low.normalize(),
                    high.normalize(),
                    central.normalize()
                ),
                Some("write `job_speed_low` ≤ `job_speed` ≤ `job_speed_high`".into()),
            );
            return None;
        }
        Some(JobSpeed { low, central, high })
    }

    fn storage(&mut self, s: &Section) -> Option<Storage> {
        self.known_fields(s, "storage");
        let class = self.choice(s, field("storage.class"), &StorageClass::ALL);
        let small = self.boolean(s, field("storage.transition_small_objects"));
        let rules = self.array_of_tables(s, "lifecycle");
        let mut lifecycle = Vec::new();
        let mut ok = true;
        for (_, r) in &rules {
            self.known_fields(r, "storage.lifecycle[N]");
            let days = self.number(r, field("storage.lifecycle[N].after_days"));
            let to = self.choice(r, field("storage.lifecycle[N].class"), &StorageClass::ALL);
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
            if let Some(from) = previous.1
                && !from.can_transition_to(t.class)
            {
                self.push(
                    &r.field("class"),
                    r.value_span("class"),
                    format!(
                        "lifecycle cannot move objects from {} to {}",
                        from.label(),
                        t.class.label()
                    ),
                    Some("list transitions from warmer to colder classes: standard, then standard-ia or intelligent-tiering, then glacier-ir (intelligent-tiering never moves back to standard-ia)".into()),
                );
                ok = false;
            }
            if t.after_days < previous.0 {
                self.push(
                    &r.field("after_days"),
                    r.value_span("after_days"),
                    "lifecycle transitions are not in order of age".into(),
                    Some("list transitions by increasing `after_days`".into()),
                );
                ok = false;
            }
            if t.class == StorageClass::StandardIa && t.after_days < Decimal::from(30) {
                self.push(
                    &r.field("after_days"),
                    r.value_span("after_days"),
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
            transition_small_objects: small?,
            lifecycle: if ok {
                lifecycle.into_iter().map(|(_, t)| t).collect()
            } else {
                return None;
            },
        })
    }

    fn vision(&mut self, s: &Section) -> Option<Vision> {
        self.known_fields(s, "vision");
        let moderation = self.number(s, field("vision.moderation_images_per_title"));
        let labels = self.number(s, field("vision.label_images_per_title"));
        let text = self.number(s, field("vision.text_images_per_title"));
        let faces = self.number(s, field("vision.face_images_per_title"));
        let search = self.number(s, field("vision.face_search_images_per_title"));
        let frames = self.number(s, field("vision.frames_per_minute"));
        let v_moderation = self.boolean(s, field("vision.video_moderation"));
        let v_labels = self.boolean(s, field("vision.video_labels"));
        let v_text = self.boolean(s, field("vision.video_text"));
        let v_faces = self.boolean(s, field("vision.video_faces"));
        let indexed = self.number(s, field("vision.faces_indexed_per_title"));
        let stored = self.derived_number(s, "vision.faces_stored");
        Some(Vision {
            moderation_images_per_title: moderation?,
            label_images_per_title: labels?,
            text_images_per_title: text?,
            face_images_per_title: faces?,
            face_search_images_per_title: search?,
            frames_per_minute: frames?,
            video_moderation: v_moderation?,
            video_labels: v_labels?,
            video_text: v_text?,
            video_faces: v_faces?,
            faces_indexed_per_title: indexed?,
            faces_stored: stored?,
        })
    }

    /// `[moderation]`, the old name of `[vision]`: `images_per_title` and `video`, checked by
    /// the rules of the fields that replace them.
    fn deprecated_moderation(&mut self, s: &Section) -> Option<Vision> {
        self.known_keys(s, &["images_per_title", "video"]);
        let images = self.number_at(
            s,
            "images_per_title",
            field("vision.moderation_images_per_title"),
        );
        let video = match s.get("video") {
            None => Some(false),
            Some((v, _)) => match v.get_ref() {
                DeValue::Boolean(b) => Some(*b),
                other => {
                    self.push(
                        &s.field("video"),
                        v.span(),
                        format!("`video` must be true or false, not {}", type_name(other)),
                        Some("write `video = true` or `video = false`".into()),
                    );
                    None
                }
            },
        };
        let absent_vision = DeTable::default();
        let mut vision = self.vision(&absent("vision", &absent_vision))?;
        vision.moderation_images_per_title = images?;
        vision.video_moderation = video?;
        Some(vision)
    }

    fn nlp(&mut self, s: &Section) -> Option<Nlp> {
        self.known_fields(s, "nlp");
        let docs = self.number(s, field("nlp.documents_per_month"));
        let chars = self.number(s, field("nlp.avg_chars"));
        let apis = self.api_list(s);
        let comments = self.number(s, field("nlp.comments_per_title"));
        let comment_chars = self.number(s, field("nlp.comment_chars"));
        let ocr = self.boolean(s, field("nlp.ocr_text"));
        let ocr_chars = self.number(s, field("nlp.ocr_chars"));
        let mode = self.choice(s, field("nlp.mode"), &NlpMode::ALL);
        let models = self.number(s, field("nlp.custom_models"));
        let training = self.number(s, field("nlp.custom_training_hours"));
        let units = self.number(s, field("nlp.custom_endpoint_units"));
        let hours = self.number(s, field("nlp.custom_endpoint_hours"));
        let async_docs = self.number(s, field("nlp.custom_async_documents_per_month"));
        let async_chars = self.derived_number(s, "nlp.custom_async_chars");
        Some(Nlp {
            documents_per_month: docs?,
            avg_chars: chars?,
            apis: apis?,
            comments_per_title: comments?,
            comment_chars: comment_chars?,
            ocr_text: ocr?,
            ocr_chars: ocr_chars?,
            mode: mode?,
            custom_models: models?,
            custom_training_hours: training?,
            custom_endpoint_units: units?,
            custom_endpoint_hours: hours?,
            custom_async_documents_per_month: async_docs?,
            custom_async_chars: async_chars?,
        })
    }

    /// A number whose absence means "derive it from the rest of the scenario": `Some(None)`.
    fn derived_number(&mut self, s: &Section, path: &str) -> Option<Option<Decimal>> {
        let f = field(path);
        if s.has(f.key()) {
            self.number(s, f).map(Some)
        } else {
            Some(None)
        }
    }

    fn pipeline(&mut self, s: &Section) -> Option<Pipeline> {
        self.known_fields(s, "pipeline");
        let glue = self.boolean(s, field("pipeline.glue"));
        let invocations = self.derived_number(s, "pipeline.lambda_invocations_per_title");
        let seconds = self.number(s, field("pipeline.lambda_seconds"));
        let memory = self.number(s, field("pipeline.lambda_memory_mb"));
        let review = self.number(s, field("pipeline.review_share"));
        let transitions = self.number(s, field("pipeline.review_transitions"));
        let writes = self.derived_number(s, "pipeline.dynamodb_writes_per_title");
        let reads = self.number(s, field("pipeline.dynamodb_reads_per_title"));
        let stored = self.number(s, field("pipeline.dynamodb_stored_gb"));
        let sns = self.derived_number(s, "pipeline.sns_publishes_per_title");
        let sqs = self.derived_number(s, "pipeline.sqs_requests_per_title");
        let logs = self.number(s, field("pipeline.log_kb_per_invocation"));
        let kms = self.boolean(s, field("pipeline.sse_kms"));
        let bucket_keys = self.boolean(s, field("pipeline.bucket_keys"));
        let kms_keys = self.derived_number(s, "pipeline.kms_keys");
        let waf = self.boolean(s, field("pipeline.waf"));
        let rules = self.number(s, field("pipeline.waf_rules"));
        let accelerated = self.number(s, field("pipeline.accelerated_upload_share"));
        let upload = self.derived_number(s, "pipeline.upload_kbps");
        Some(Pipeline {
            glue: glue?,
            lambda_invocations_per_title: invocations?,
            lambda_seconds: seconds?,
            lambda_memory_mb: memory?,
            review_share: review?,
            review_transitions: transitions?,
            dynamodb_writes_per_title: writes?,
            dynamodb_reads_per_title: reads?,
            dynamodb_stored_gb: stored?,
            sns_publishes_per_title: sns?,
            sqs_requests_per_title: sqs?,
            log_kb_per_invocation: logs?,
            sse_kms: kms?,
            bucket_keys: bucket_keys?,
            kms_keys: kms_keys?,
            waf: waf?,
            waf_rules: rules?,
            accelerated_upload_share: accelerated?,
            upload_kbps: upload?,
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
        let names = ComprehendApi::NAMES;
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(text) => match ComprehendApi::from_name(text) {
                    Some(api) if out.contains(&api) => {
                        self.push(
                            &s.field("apis"),
                            item.span(),
                            format!("`{text}` is listed twice"),
                            Some("list each API once".into()),
                        );
                        ok = false;
                    }
                    Some(api) => out.push(api),
                    None if ComprehendApi::CLOSED
                        .iter()
                        .any(|(n, _)| *n == text.as_ref()) =>
                    {
                        let what = ComprehendApi::CLOSED
                            .iter()
                            .find(|(n, _)| *n == text.as_ref())
                            .map_or("", |(_, w)| *w);
                        self.push(
                            &s.field("apis"),
                            item.span(),
                            format!("Amazon Comprehend {what} is closed to new customers since 2026-04-30"),
                            Some("accounts that used it before keep it, and Ladderwise does not price it: remove it from `apis`".into()),
                        );
                        ok = false;
                    }
                    None => {
                        self.push(
                            &s.field("apis"),
                            item.span(),
                            format!("unknown Comprehend API `{text}`"),
                            Some(choice_hint(text, names)),
                        );
                        ok = false;
                    }
                },
                other => {
                    self.push(
                        &s.field("apis"),
                        item.span(),
                        format!("an API name must be a string, not {}", type_name(other)),
                        Some(format!("write one of: {}", quoted_list(names))),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "[scenario]\nname = \"x\"\n[content]\nnew_minutes_per_month = 1\navg_title_minutes = 1\n[ladder]\n[[ladder.rungs]]\nname = \"a\"\nwidth = 640\nheight = 360\nfps = 30\ncodec = \"avc\"\nvideo_kbps = 800\naudio_kbps = 96\nwatch_share = 1\n[audience]\nwatch_minutes_per_month = 1\ngeo = { us = 1 }\n";

    #[test]
    fn closed_comprehend_features_are_flagged() {
        let text = format!("{MINIMAL}[nlp]\napis = [\"sentiment\", \"topic_modeling\"]\n");
        let e = parse("x.toml", &text).unwrap_err();
        assert_eq!(e.diagnostics.len(), 1);
        let d = &e.diagnostics[0];
        assert!(
            d.message
                .contains("topic modeling is closed to new customers since 2026-04-30"),
            "{}",
            d.message
        );
        assert_eq!(d.line, 20);
    }

    /// Every problem of a forecast at once: its events are read even when its seasonality
    /// is wrong, and an unknown geography in an event's `set` is reported at its key.
    #[test]
    fn a_forecast_reports_its_events_problems_beside_the_others() {
        let text = format!(
            "{MINIMAL}[forecast]\nmonths = 12\nseasonality = [1.1, 0.9]\n[[forecast.events]]\nmonth = 13\nlabel = \"late\"\nset = {{ \"delivery.cache_hit_rate\" = 0.5 }}\n[[forecast.events]]\nmonth = 2\nlabel = \"launch\"\nset = {{ \"audience.geo.brazil\" = 0.1 }}\n"
        );
        let e = parse("x.toml", &text).unwrap_err();
        let said: Vec<(&str, usize)> = e
            .diagnostics
            .iter()
            .map(|d| (d.message.as_str(), d.line))
            .collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert!(
            said.iter().any(|(m, _)| m.contains("twelve factors")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|(m, _)| m.contains("outside the forecast's horizon")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|(m, line)| m.contains("there is no geography `brazil`") && *line == 29),
            "{said:?}"
        );
    }

    /// A misspelt key inside a misspelt driver is reported with it, not after it is mended.
    #[test]
    fn a_misspelt_growth_key_is_reported_beside_its_misspelt_driver() {
        let text = format!(
            "{MINIMAL}[forecast]\n[forecast.growth]\n\"content.new_minute_per_month\" = {{ compund = 0.02 }}\n"
        );
        let e = parse("x.toml", &text).unwrap_err();
        let said: Vec<&str> = e.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said[0].contains("is not a driver a forecast grows"),
            "{said:?}"
        );
        assert!(
            said[1].contains("unknown key `compund`")
                && said[1].contains("forecast.growth.\"content.new_minute_per_month\""),
            "{said:?}"
        );
    }

    /// `codec = "aac"` is an audio codec, not a typo of `avc`.
    #[test]
    fn an_audio_codec_is_not_taken_for_a_typo() {
        let e = parse(
            "x.toml",
            &MINIMAL.replace("codec = \"avc\"", "codec = \"aac\""),
        )
        .unwrap_err();
        let hint = e.diagnostics[0].hint.clone().unwrap();
        assert!(hint.starts_with("`aac` is an audio codec"), "{hint}");
        assert!(!hint.contains("did you mean"), "{hint}");
        let e = parse(
            "x.toml",
            &MINIMAL.replace("codec = \"avc\"", "codec = \"acv\""),
        )
        .unwrap_err();
        assert!(
            e.diagnostics[0]
                .hint
                .as_deref()
                .unwrap()
                .starts_with("did you mean \"avc\"")
        );
    }

    /// A rung missing its height is told to add a height, not a width's 1280.
    #[test]
    fn a_missing_height_is_hinted_as_a_height() {
        let e = parse("x.toml", &MINIMAL.replace("height = 360\n", "")).unwrap_err();
        let d = &e.diagnostics[0];
        assert!(d.message.contains("missing `height`"), "{}", d.message);
        assert_eq!(d.hint.as_deref(), Some("add `height = 720`"));
        let e = parse("x.toml", &MINIMAL.replace("width = 640\n", "")).unwrap_err();
        assert_eq!(e.diagnostics[0].hint.as_deref(), Some("add `width = 1280`"));
    }

    /// A separate audio rendition of 0 kbps is no rendition: refused at its value, not
    /// priced as an audio output with its own segments and requests.
    #[test]
    fn a_separate_audio_rendition_needs_a_bitrate() {
        let text = MINIMAL
            .replace(
                "[ladder]\n",
                "[ladder]\naudio = \"separate\"\naudio_kbps = 0\n",
            )
            .replace("audio_kbps = 96\n", "");
        let e = parse("x.toml", &text).unwrap_err();
        assert_eq!(e.diagnostics.len(), 1, "{:?}", e.diagnostics);
        let d = &e.diagnostics[0];
        assert_eq!(d.message, "`audio_kbps` must be greater than 0, not 0");
        assert_eq!((d.line, d.column), (8, 14));
        let ok = text.replace("audio_kbps = 0\n", "audio_kbps = 64\n");
        assert!(parse("x.toml", &ok).is_ok());
    }

    #[test]
    fn a_rung_that_fails_still_has_its_share_summed() {
        // Two rungs whose shares sum to 0.9: the first with fps 0, then with the second
        // named as the first. Each run reports both problems.
        let two = MINIMAL.replace(
            "watch_share = 1\n",
            "watch_share = 0.5\n[[ladder.rungs]]\nname = \"b\"\nwidth = 320\nheight = 180\nfps = 30\ncodec = \"avc\"\nvideo_kbps = 300\naudio_kbps = 64\nwatch_share = 0.4\n",
        );
        for (text, first) in [
            (two.replacen("fps = 30", "fps = 0", 1), "fps"),
            (
                two.replace("name = \"b\"", "name = \"a\""),
                "two rungs are named `a`",
            ),
        ] {
            let e = parse("x.toml", &text).unwrap_err();
            let said: Vec<&str> = e.diagnostics.iter().map(|d| d.message.as_str()).collect();
            assert_eq!(said.len(), 2, "{said:?}");
            assert!(said.iter().any(|m| m.contains(first)), "{said:?}");
            assert!(
                said.iter()
                    .any(|m| m.contains("rung watch shares sum to 0.9")),
                "{said:?}"
            );
        }
        // A share that does not read is not summed: one error, at the share.
        let e = parse(
            "x.toml",
            &two.replace("watch_share = 0.4", "watch_share = \"x\""),
        )
        .unwrap_err();
        assert_eq!(e.diagnostics.len(), 1, "{:?}", e.diagnostics);
    }

    /// `text`'s one error: its message, its line, and a hint holding `hint`.
    fn check_duplicate(text: &str, message: &str, line: usize, hint: &str) {
        let e = parse("x.toml", text).unwrap_err();
        assert_eq!(e.diagnostics.len(), 1, "{:?}", e.diagnostics);
        let d = &e.diagnostics[0];
        assert_eq!(d.message, message);
        assert_eq!(d.line, line);
        let said = d.hint.as_deref().unwrap_or("");
        assert!(said.contains(hint), "{said}");
    }

    #[test]
    fn a_table_written_twice_points_at_the_first_and_says_to_merge() {
        // Line 21 repeats [content] (line 3), with a key the first one also sets.
        check_duplicate(
            &format!(
                "{MINIMAL}[delivery]\ncache_hit_rate = 0.9\n[ content ]\nnew_minutes_per_month = 5\n"
            ),
            "invalid TOML: the table `[ content ]` is written twice",
            21,
            "move these keys into the `[ content ]` on line 3",
        );
    }

    #[test]
    fn a_key_set_twice_points_at_its_first_setting() {
        check_duplicate(
            &MINIMAL.replace(
                "avg_title_minutes = 1\n",
                "avg_title_minutes = 1\n\"new_minutes_per_month\" = 2\n",
            ),
            "invalid TOML: `new_minutes_per_month` is set twice",
            6,
            "already set on line 4 of this table",
        );
        // A key of the same name in another table is not the first setting.
        let text = format!("{MINIMAL}[delivery]\nname = 1\nname = 2\n");
        let e = parse("x.toml", &text).unwrap_err();
        let hint = e.diagnostics[0].hint.as_deref().unwrap_or("");
        assert!(
            hint.contains("already set on line 20 of this table"),
            "{hint}"
        );
        // Or a list of tables written as a key too.
        let text = format!(
            "{}[ladder]\nrungs = []\n",
            MINIMAL.replace("[ladder]\n", "")
        );
        let e = parse("x.toml", &text).unwrap_err();
        let hint = e.diagnostics[0].hint.as_deref().unwrap_or("");
        assert!(
            hint.contains("already written as `[[ladder.rungs]]` on line 6"),
            "{hint}"
        );
    }

    /// Every line of a shipped scenario written twice: a repeated key or table is reported
    /// at the copy, pointing back at the original's line.
    #[test]
    fn any_line_written_twice_is_reported_at_the_copy() {
        let text = include_str!("../../../../../scenarios/premium-ott.toml");
        let lines: Vec<&str> = text.lines().collect();
        let mut in_array = false;
        for (i, line) in lines.iter().enumerate() {
            let t = line.split('#').next().unwrap_or("").trim();
            // Lines of a multi-line array are not whole settings.
            let opens = t.ends_with('[') && t.contains('=');
            if in_array || opens {
                in_array = (in_array || opens) && !t.starts_with(']');
                continue;
            }
            if t.is_empty() || t.starts_with("[[") {
                continue;
            }
            let mut copy = lines.clone();
            copy.insert(i + 1, line);
            let e = parse("x.toml", &copy.join("\n")).unwrap_err();
            let d = &e.diagnostics[0];
            assert_eq!(d.line, i + 2, "line {}: {:?}", i + 1, d);
            let hint = d.hint.as_deref().unwrap_or("");
            if t.starts_with('[') || !t.contains('{') {
                assert!(
                    hint.contains(&format!("line {}", i + 1)),
                    "line {}: {hint}",
                    i + 1
                );
            }
        }
    }

    #[test]
    fn an_empty_rung_name_is_refused_at_the_name() {
        let text = MINIMAL.replace("name = \"a\"", "name = \"  \"");
        let e = parse("x.toml", &text).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!(d.message, "the rung's name is empty");
        assert_eq!((d.line, d.column), (8, 8));
        assert!(d.hint.as_deref().unwrap_or("").contains("720p_3000"));
    }

    #[test]
    fn a_share_just_above_one_is_not_read_as_a_percentage() {
        for (value, hint) in [
            ("1.5", "e.g. `cache_hit_rate = 0.9`"),
            ("95", "`cache_hit_rate = 0.95` for 95 %"),
            ("250", "e.g. `cache_hit_rate = 0.9`"),
        ] {
            let text = format!("{MINIMAL}[delivery]\ncache_hit_rate = {value}\n");
            let e = parse("x.toml", &text).unwrap_err();
            let said = e.diagnostics[0].hint.clone().unwrap_or_default();
            assert!(said.contains(hint), "{value}: {said}");
        }
    }

    #[test]
    fn a_number_too_small_for_a_decimal_is_not_called_too_large() {
        for (value, says, hint) in [
            (
                "1e-300",
                "has more decimal places than a scenario holds",
                "at most 28 decimal places",
            ),
            ("1e300", "is too large", "no larger than"),
        ] {
            let text = MINIMAL.replace(
                "watch_minutes_per_month = 1",
                &format!("watch_minutes_per_month = {value}"),
            );
            let e = parse("x.toml", &text).unwrap_err();
            let d = &e.diagnostics[0];
            assert!(d.message.contains(says), "{value}: {}", d.message);
            assert!(d.hint.as_deref().unwrap_or("").contains(hint), "{value}");
            assert_eq!(d.line, 17, "{value}");
        }
    }

    #[test]
    fn older_free_tier_keys_are_one_account_setting() {
        let off = format!("{MINIMAL}[delivery]\nfree_tier = false\n");
        assert!(!parse("x.toml", &off).unwrap().account.free_tier);
        let disagree =
            format!("{MINIMAL}[delivery]\nfree_tier = false\n[transcode]\nfree_tier = true\n");
        let e = parse("x.toml", &disagree).unwrap_err();
        assert!(
            e.diagnostics[0]
                .message
                .contains("one setting of the account")
        );
        let account = format!("{MINIMAL}[account]\nfree_tier = false\n");
        assert!(!parse("x.toml", &account).unwrap().account.free_tier);
    }
}
