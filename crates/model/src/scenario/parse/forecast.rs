//! Reads `[forecast]`: horizon, growth per driver, events, seasonality, budget and currency.

use rust_decimal::Decimal;
use toml::de::DeValue;

use super::reader::{Reader, Section, Span};
use super::values::{parse_float, parse_integer, type_name};
use super::{field, hints};
use crate::scenario::AudioLayout;
use crate::scenario::fields::{FieldValue, Kind};
use crate::scenario::forecast::{
    Currency, Driver, Event, ForecastSpec, Growth, GrowthKind, SEASONALITY_TOLERANCE, Seasonality,
    Spread, YearMonth,
};
use crate::scenario::path::FieldPath;

/// Where the parts of `[forecast]` were written, for checks made once the whole scenario is
/// read (a growth that overflows its field's bounds).
pub(crate) struct ForecastSpans {
    /// One per entry of `ForecastSpec::growth`: the span of its rate.
    pub growth: Vec<(String, Span)>,
    /// One per entry of `ForecastSpec::events`: the span of its table.
    pub events: Vec<(String, Span)>,
}

impl Reader<'_> {
    pub(super) fn forecast(
        &mut self,
        s: &Section,
        audio: Option<AudioLayout>,
    ) -> Option<(ForecastSpec, ForecastSpans)> {
        self.known_fields(s, "forecast");
        let mut spec = ForecastSpec {
            given: true,
            ..ForecastSpec::default()
        };
        let mut ok = true;
        spec.start = match s.get("start") {
            None => None,
            Some((v, _)) => match v.get_ref() {
                DeValue::String(t) => match YearMonth::parse(t) {
                    Some(m) => Some(m),
                    None => {
                        self.push(
                            &s.field("start"),
                            v.span(),
                            format!("`start` must be a month written `YYYY-MM`, not \"{t}\""),
                            Some("write e.g. `start = \"2027-01\"`".into()),
                        );
                        ok = false;
                        None
                    }
                },
                other => {
                    self.push(
                        &s.field("start"),
                        v.span(),
                        format!("`start` must be a string, not {}", type_name(other)),
                        Some("write e.g. `start = \"2027-01\"`".into()),
                    );
                    ok = false;
                    None
                }
            },
        };
        let months = self.number(s, field("forecast.months"));
        let paths = self.number(s, field("forecast.paths"));
        let seed = self.number(s, field("forecast.seed"));
        let budget = if s.has("budget_usd") {
            self.number(s, field("forecast.budget_usd")).map(Some)
        } else {
            Some(None)
        };
        let seasonality = self.seasonality(s);
        let currency = self.currency(s);
        let growth = self.growth(s);
        // The horizon, which the events' months are checked against, whatever else fails.
        if let Some(m) = months {
            spec.months = u32::try_from(m.mantissa()).unwrap_or(1);
        }
        match (months, paths, seed, budget, seasonality, currency) {
            (Some(_), Some(p), Some(sd), Some(b), Some(sea), Some(cur)) => {
                spec.paths = u32::try_from(p.mantissa()).unwrap_or(0);
                spec.seed = u64::try_from(sd.mantissa()).unwrap_or(0);
                spec.budget_usd = b;
                spec.seasonality = sea;
                spec.currency = cur;
            }
            _ => ok = false,
        }
        let (growth, spans) = match growth {
            Some(g) => g,
            None => {
                ok = false;
                (Vec::new(), Vec::new())
            }
        };
        spec.growth = growth;
        // Events need the horizon to check their month against; they are read whatever
        // else fails, so that every problem of the file is reported at once.
        let mut event_spans = Vec::new();
        if months.is_some() {
            match self.events(s, &spec, audio) {
                Some(events) => {
                    for (e, at) in events {
                        spec.events.push(e);
                        event_spans.push(at);
                    }
                }
                None => ok = false,
            }
        }
        ok.then_some((
            spec,
            ForecastSpans {
                growth: spans,
                events: event_spans,
            },
        ))
    }

    fn seasonality(&mut self, s: &Section) -> Option<Seasonality> {
        let Some((v, _)) = s.get("seasonality") else {
            return Some(Seasonality::Flat);
        };
        let path = s.field("seasonality");
        let hint = "write twelve factors, January to December, averaging 1, e.g. `seasonality = [1.1, 1.0, 0.95, 0.9, 0.9, 0.85, 0.85, 0.9, 1.0, 1.05, 1.15, 1.35]`, `seasonality = \"usage\"` or `seasonality = \"flat\"`";
        match v.get_ref() {
            DeValue::String(t) if t.as_ref() == "usage" => Some(Seasonality::FromUsage),
            // What leaving the key out means, writable: the app's form has no "leave out".
            DeValue::String(t) if t.as_ref() == "flat" => Some(Seasonality::Flat),
            DeValue::Array(items) if items.len() == 12 => {
                let mut factors = [Decimal::ZERO; 12];
                for (i, item) in items.iter().enumerate() {
                    let value = match item.get_ref() {
                        DeValue::Integer(n) => parse_integer(n.as_str(), n.radix()),
                        DeValue::Float(f) => parse_float(f.as_str()),
                        _ => None,
                    };
                    match value {
                        Some(f) if f > Decimal::ZERO && f <= Decimal::TEN => factors[i] = f,
                        _ => {
                            self.push(
                                &path,
                                item.span(),
                                format!(
                                    "the seasonal factor of {} (factor {} of 12) must be a number above 0 and at most 10",
                                    MONTH_NAMES[i],
                                    i + 1
                                ),
                                Some(hint.into()),
                            );
                            return None;
                        }
                    }
                }
                let mean = factors.iter().copied().sum::<Decimal>() / Decimal::from(12);
                if (mean - Decimal::ONE).abs() > SEASONALITY_TOLERANCE {
                    let scaled: Vec<String> = factors
                        .iter()
                        .map(|f| (f / mean).round_dp(3).normalize().to_string())
                        .collect();
                    self.push(
                        &path,
                        v.span(),
                        format!(
                            "the seasonal factors average {}, not 1: they shape the year, and the growth rates move its level",
                            mean.round_dp(3).normalize()
                        ),
                        Some(format!(
                            "divide each by {}: `seasonality = [{}]`",
                            mean.round_dp(3).normalize(),
                            scaled.join(", ")
                        )),
                    );
                    return None;
                }
                Some(Seasonality::Factors(factors))
            }
            DeValue::Array(items) => {
                self.push(
                    &path,
                    v.span(),
                    format!(
                        "`seasonality` takes twelve factors, one per calendar month, not {}",
                        items.len()
                    ),
                    Some(hint.into()),
                );
                None
            }
            other => {
                let what = match other {
                    DeValue::String(t) => format!("\"{t}\""),
                    o => type_name(o).to_string(),
                };
                self.push(
                    &path,
                    v.span(),
                    format!(
                        "`seasonality` must be a list of twelve factors, \"usage\" or \"flat\", not {what}"
                    ),
                    Some(hint.into()),
                );
                None
            }
        }
    }

    fn currency(&mut self, s: &Section) -> Option<Option<Currency>> {
        let parts = ["usd_rate", "rate_date", "rate_source"];
        if !s.has("currency") {
            if let Some(key) = parts.into_iter().find(|k| s.has(k)) {
                self.push(
                    &s.field(key),
                    s.value_span(key),
                    format!("`{key}` belongs to a reporting currency, and there is no `currency`"),
                    Some("add e.g. `currency = \"EUR\"`, or remove it".into()),
                );
                return None;
            }
            return Some(None);
        }
        let code = self.text(s, field("forecast.currency"))?;
        let span = s.value_span("currency");
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            self.push(
                &s.field("currency"),
                span,
                format!(
                    "`currency` must be an ISO 4217 code of three capital letters, not \"{code}\""
                ),
                Some("write e.g. `currency = \"EUR\"`".into()),
            );
            return None;
        }
        if code == "USD" {
            self.push(
                &s.field("currency"),
                span,
                "every amount is in US dollars already".into(),
                Some("remove `currency`, or name another currency".into()),
            );
            return None;
        }
        let mut ok = true;
        for key in parts {
            if !s.has(key) {
                let example = match key {
                    "usd_rate" => "0.92".to_string(),
                    "rate_date" => "\"2026-11-27\"".into(),
                    _ => "\"ECB euro reference rate\"".into(),
                };
                self.push(
                    &s.field(key),
                    span.clone(),
                    format!("a reporting currency needs `{key}`: Ladderwise looks up no rates"),
                    Some(format!("add `{key} = {example}`")),
                );
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let rate = self.number(s, field("forecast.usd_rate"));
        let date = self.text(s, field("forecast.rate_date"));
        let source = self.text(s, field("forecast.rate_source"));
        if let Some(d) = &date
            && !is_date(d)
        {
            self.push(
                &s.field("rate_date"),
                s.value_span("rate_date"),
                format!("`rate_date` must be a day written `YYYY-MM-DD`, not \"{d}\""),
                Some("write e.g. `rate_date = \"2026-11-27\"`".into()),
            );
            return None;
        }
        if source.as_ref().is_some_and(|t| t.trim().is_empty()) {
            self.push(
                &s.field("rate_source"),
                s.value_span("rate_source"),
                "`rate_source` is empty".into(),
                Some("say where the rate comes from, e.g. `rate_source = \"ECB euro reference rate\"`".into()),
            );
            return None;
        }
        Some(Some(Currency {
            code,
            per_usd: rate?,
            rate_date: date?,
            source: source?,
        }))
    }

    #[allow(clippy::type_complexity)]
    fn growth(&mut self, s: &Section) -> Option<(Vec<Growth>, Vec<(String, Span)>)> {
        let Some(g) = self.section(s, "growth", false) else {
            // Absent, or not a table (reported).
            return (!s.has("growth")).then(|| (Vec::new(), Vec::new()));
        };
        let mut out = Vec::new();
        let mut spans = Vec::new();
        let mut ok = true;
        let drivers: Vec<String> = Driver::ALL.iter().map(|d| d.path()).collect();
        let names: Vec<&str> = drivers.iter().map(String::as_str).collect();
        for (k, v) in g.table.iter() {
            let key = k.get_ref().as_ref();
            let Some(driver) = Driver::from_key(key) else {
                let hint = if names.iter().any(|n| n.starts_with(&format!("{key}."))) {
                    format!(
                        "quote the whole path, so TOML reads it as one key: `\"{}\" = {{ compound = 0.02 }}`",
                        names
                            .iter()
                            .find(|n| n.starts_with(&format!("{key}.")))
                            .unwrap_or(&key)
                    )
                } else if FieldPath::parse(key).is_ok() {
                    format!(
                        "`{key}` does not grow; the drivers that grow are: {}. To change it from a month on, add a `[[forecast.events]]`",
                        hints::quoted_list(&names)
                    )
                } else {
                    match hints::closest(key, &names) {
                        Some(c) => format!("did you mean `\"{c}\"`?"),
                        None => {
                            format!("the drivers that grow are: {}", hints::quoted_list(&names))
                        }
                    }
                };
                self.push(
                    &g.field(key),
                    k.span(),
                    format!("`{key}` is not a driver a forecast grows"),
                    Some(hint),
                );
                // Its keys are checked too, so that a misspelt key inside (`compund`) is
                // reported now, not once the driver is mended.
                if matches!(v.get_ref(), DeValue::Table(_))
                    && let Some(entry) = self.section(&g, key, true)
                {
                    let entry = Section {
                        path: format!("forecast.growth.\"{key}\""),
                        ..entry
                    };
                    self.known_fields(&entry, "forecast.growth.<driver>");
                }
                ok = false;
                continue;
            };
            let Some(entry) = self.section(&g, key, true) else {
                ok = false;
                continue;
            };
            let entry = Section {
                path: format!("forecast.growth.\"{key}\""),
                ..entry
            };
            let _ = v;
            match self.one_growth(&entry, driver) {
                Some((growth, span)) => {
                    out.push(growth);
                    spans.push((entry.path.clone(), span));
                }
                None => ok = false,
            }
        }
        ok.then_some((out, spans))
    }

    fn one_growth(&mut self, s: &Section, driver: Driver) -> Option<(Growth, Span)> {
        self.known_fields(s, "forecast.growth.<driver>");
        let example = if driver.is_fraction() {
            "`linear = 0.002` (0.2 points a month)"
        } else {
            "`compound = 0.03` (3 % a month)"
        };
        let (kind, key) = match (s.has("compound"), s.has("linear")) {
            (true, false) => (GrowthKind::Compound, "compound"),
            (false, true) => (GrowthKind::Linear, "linear"),
            (both, _) => {
                let message = if both {
                    "a growth is compound or linear, not both".to_string()
                } else {
                    "a growth needs `compound` or `linear`".to_string()
                };
                self.push(
                    &s.path,
                    s.span.clone(),
                    message,
                    Some(format!("write {example}")),
                );
                return None;
            }
        };
        let template = format!("forecast.growth.<driver>.{key}");
        let rate = self.number(s, field(&template))?;
        let span = s.value_span(key);
        let p10 = s.has("p10");
        let p90 = s.has("p90");
        let sd = s.has("sd");
        let spread = match (p10, p90, sd) {
            (false, false, false) => None,
            (true, true, false) => {
                let lo = self.number(s, field("forecast.growth.<driver>.p10"))?;
                let hi = self.number(s, field("forecast.growth.<driver>.p90"))?;
                if lo > hi {
                    self.push(
                        &s.field("p10"),
                        s.value_span("p10"),
                        format!(
                            "the range's P10 ({}) is above its P90 ({})",
                            lo.normalize(),
                            hi.normalize()
                        ),
                        Some("write `p10` ≤ the rate ≤ `p90`".into()),
                    );
                    return None;
                }
                if rate < lo || rate > hi {
                    self.push(
                        &s.field(key),
                        span,
                        format!(
                            "the rate {} is outside its own range [{}, {}]",
                            rate.normalize(),
                            lo.normalize(),
                            hi.normalize()
                        ),
                        Some("write `p10` ≤ the rate ≤ `p90`".into()),
                    );
                    return None;
                }
                Some(Spread::Range { p10: lo, p90: hi })
            }
            (false, false, true) => Some(Spread::Sd {
                sd: self.number(s, field("forecast.growth.<driver>.sd"))?,
            }),
            (_, _, true) => {
                self.push(
                    &s.field("sd"),
                    s.value_span("sd"),
                    "a range is given by `p10` and `p90` or by `sd`, not both".into(),
                    Some("keep one of them".into()),
                );
                return None;
            }
            (lo, _, _) => {
                let (has, lacks) = if lo { ("p10", "p90") } else { ("p90", "p10") };
                self.push(
                    &s.field(has),
                    s.value_span(has),
                    format!("`{has}` without `{lacks}`: a range needs both ends"),
                    Some(format!("add `{lacks}`, or write `sd` instead")),
                );
                return None;
            }
        };
        Some((
            Growth {
                driver,
                kind,
                rate,
                spread,
            },
            span,
        ))
    }

    fn events(
        &mut self,
        s: &Section,
        spec: &ForecastSpec,
        audio: Option<AudioLayout>,
    ) -> Option<Vec<(Event, (String, Span))>> {
        let items = self.array_of_tables(s, "events");
        let mut out = Vec::new();
        let mut ok = true;
        for (_, e) in &items {
            self.known_fields(e, "forecast.events[N]");
            let month = self.event_month(e, spec);
            let label = self.text(e, field("forecast.events[N].label"));
            let set = self.event_set(e);
            let rungs = if e.has("rungs") {
                let tables = self.array_of_tables(e, "rungs");
                let mut rungs = Vec::new();
                let mut good = !tables.is_empty();
                // Shares read even from a rung that fails, so the sum is checked in the same
                // run (as the scenario's own ladder is).
                let mut shares = Vec::new();
                for (_, r) in &tables {
                    let (rung, share) = self.rung(r, audio);
                    shares.push(share);
                    match rung {
                        Some(rung)
                            if rungs
                                .iter()
                                .any(|o: &crate::scenario::Rung| o.name == rung.name) =>
                        {
                            self.push(
                                &r.field("name"),
                                r.value_span("name"),
                                format!("two rungs are named `{}`", rung.name),
                                Some("give every rung its own name".into()),
                            );
                            good = false;
                        }
                        Some(rung) => rungs.push(rung),
                        None => good = false,
                    }
                }
                if let Some((_, first)) = tables.first()
                    && shares.iter().all(Option::is_some)
                {
                    let sum: Decimal = shares.iter().flatten().sum();
                    good &= self.check_sum(
                        sum,
                        first,
                        "watch_share",
                        "the new ladder's watch shares",
                        &first.field("watch_share"),
                    );
                }
                if tables.is_empty() {
                    self.push(
                        &e.field("rungs"),
                        e.value_span("rungs"),
                        "the new ladder has no rungs".into(),
                        Some("write each rung as a `[[forecast.events.rungs]]` table".into()),
                    );
                }
                good.then_some(Some(rungs))
            } else {
                Some(None)
            };
            if !e.has("set") && !e.has("rungs") {
                self.push(
                    &e.path,
                    e.span.clone(),
                    "this event changes nothing".into(),
                    Some("add `set = { \"field.path\" = value }` or `[[forecast.events.rungs]]` tables".into()),
                );
                ok = false;
                continue;
            }
            match (month, label, set, rungs) {
                (Some((month, calendar)), Some(label), Some(set), Some(rungs)) => out.push((
                    Event {
                        month,
                        calendar,
                        label,
                        set,
                        rungs,
                    },
                    (e.path.clone(), e.span.clone()),
                )),
                _ => ok = false,
            }
        }
        out.sort_by_key(|(e, _)| e.month);
        ok.then_some(out)
    }

    /// The event's month of the horizon, and the calendar month when it is written as one
    /// (a start given on the command line places it again).
    fn event_month(
        &mut self,
        e: &Section,
        spec: &ForecastSpec,
    ) -> Option<(u32, Option<YearMonth>)> {
        let Some((v, _)) = e.get("month") else {
            self.missing(e, "month", "7");
            return None;
        };
        let horizon = match spec.start {
            Some(start) => format!(
                "months 1 to {} ({} to {})",
                spec.months,
                start,
                start.plus(spec.months - 1)
            ),
            None => format!("months 1 to {}", spec.months),
        };
        let mut calendar = None;
        let month = match v.get_ref() {
            DeValue::Integer(i) => parse_integer(i.as_str(), i.radix())
                .and_then(|d| i64::try_from(d.mantissa()).ok())
                .unwrap_or(i64::MAX),
            // `"7"` is month 7, as `7` is: a form's text field writes what is typed as text.
            DeValue::String(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
                t.parse::<i64>().unwrap_or(i64::MAX)
            }
            DeValue::String(t) => {
                let Some(m) = YearMonth::parse(t) else {
                    self.push(
                        &e.field("month"),
                        v.span(),
                        format!("`month` must be a month of the horizon (`7`) or a calendar month (`\"2027-07\"`), not \"{t}\""),
                        Some(format!("the horizon is {horizon}")),
                    );
                    return None;
                };
                let Some(start) = spec.start else {
                    self.push(
                        &e.field("month"),
                        v.span(),
                        "a calendar month needs the forecast's `start`".into(),
                        Some(
                            "add `start = \"YYYY-MM\"` to [forecast], or count the month from 1"
                                .into(),
                        ),
                    );
                    return None;
                };
                calendar = Some(m);
                m.of_horizon(start)
            }
            other => {
                self.push(
                    &e.field("month"),
                    v.span(),
                    format!(
                        "`month` must be a number or a \"YYYY-MM\" string, not {}",
                        type_name(other)
                    ),
                    Some(format!("the horizon is {horizon}")),
                );
                return None;
            }
        };
        if month < 1 || month > spec.months as i64 {
            self.push(
                &e.field("month"),
                v.span(),
                "this event falls outside the forecast's horizon".into(),
                Some(format!("the horizon is {horizon}")),
            );
            return None;
        }
        u32::try_from(month).ok().map(|m| (m, calendar))
    }

    fn event_set(&mut self, e: &Section) -> Option<Vec<(FieldPath, FieldValue)>> {
        let Some(set) = self.section(e, "set", false) else {
            return (!e.has("set")).then(Vec::new);
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (k, v) in set.table.iter() {
            let key = k.get_ref().as_ref();
            let at = set.field(key);
            let path = match FieldPath::parse(key) {
                Ok(p) => p,
                Err(err) => {
                    let text = err.to_string();
                    let (message, hint) = text.split_once("\nhint: ").unwrap_or((&text, ""));
                    self.push(&at, k.span(), message.to_string(), Some(hint.to_string()));
                    ok = false;
                    continue;
                }
            };
            let settable = path.field.access.is_some()
                && !matches!(path.field.kind, Kind::Table | Kind::List)
                && !path.field.path.starts_with("forecast.")
                && !path.field.path.starts_with("scenario.");
            if !settable {
                self.push(
                    &at,
                    k.span(),
                    format!("an event cannot set `{key}`"),
                    Some("events set one value of the scenario (`delivery.cache_hit_rate`, `ladder.rungs[2].video_kbps`); a new ladder is written as `[[forecast.events.rungs]]`".into()),
                );
                ok = false;
                continue;
            }
            // A geography is named where it is written: checked here, it is reported at its
            // key (and with the file's other problems), not at the event's header later.
            if let Some(crate::scenario::path::Item::Key(name)) = &path.item
                && !path.is_growth()
                && !crate::scenario::Geography::ALL
                    .iter()
                    .any(|g| g.key() == name)
            {
                let keys: Vec<&str> = crate::scenario::Geography::ALL
                    .iter()
                    .map(|g| g.key())
                    .collect();
                self.push(
                    &at,
                    k.span(),
                    format!("`{key}`: there is no geography `{name}`"),
                    Some(match hints::closest(name, &keys) {
                        Some(c) => format!(
                            "did you mean `audience.geo.{c}`? the geographies are: {}",
                            hints::quoted_list(&keys)
                        ),
                        None => format!("the geographies are: {}", hints::quoted_list(&keys)),
                    }),
                );
                ok = false;
                continue;
            }
            let value = match v.get_ref() {
                DeValue::Integer(i) => parse_integer(i.as_str(), i.radix()).map(FieldValue::Number),
                DeValue::Float(f) => parse_float(f.as_str()).map(FieldValue::Number),
                DeValue::String(t) => Some(FieldValue::Text(t.to_string())),
                DeValue::Boolean(b) => Some(FieldValue::Bool(*b)),
                _ => None,
            };
            let Some(value) = value else {
                self.push(
                    &at,
                    v.span(),
                    format!("`{key}` cannot be {}", type_name(v.get_ref())),
                    Some(format!("write a value{}", path.field.unit.phrase())),
                );
                ok = false;
                continue;
            };
            if let Err(e) = path.field.check(&value) {
                self.push(
                    &at,
                    v.span(),
                    e.message(key),
                    Some(e.hint(key, path.field.unit)),
                );
                ok = false;
                continue;
            }
            // A geography's value is its share of the month's watch time, the other
            // geographies keeping their minutes: a share of 1 would leave them none.
            if let (Some(Driver::GeoMinutes(_)), Some(share)) =
                (Driver::of_path(&path), value.number())
                && share >= Decimal::ONE
            {
                self.push(
                    &at,
                    v.span(),
                    format!("`{key}` in an event must be a share below 1"),
                    Some("the other geographies keep their minutes, so the share is of the month's watch time with them: write 0.6 for 60 %, and set `audience.watch_minutes_per_month` to move the total".into()),
                );
                ok = false;
                continue;
            }
            out.push((path, value));
        }
        ok.then_some(out)
    }
}

/// `YYYY-MM-DD`, a real day.
fn is_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(month) = YearMonth::parse(&format!("{y}-{m}")) else {
        return false;
    };
    d.len() == 2 && d.parse::<u32>().is_ok_and(|d| d >= 1 && d <= month.days())
}

/// The months the twelve seasonal factors are for, January first.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
