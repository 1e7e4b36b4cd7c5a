//! Storage: S3 storage by class, lifecycle transitions, minimum durations, the writes of new
//! objects, and where the bytes are that origin reads fall on.
//!
//! Content is held as strips of ages: the library already stored runs evenly from age 0 to
//! `library ÷ rate` months at the start of the month (taken to have been ingested at the
//! current rate), and the month's uploads arrive evenly through it. As the month passes every
//! strip ages by a month, so part of it crosses lifecycle ages and retention: storage is
//! billed for the time each byte spends in each class during the month (the integral over the
//! month of the bytes in each age band), transitions for the objects that cross a rule's age,
//! and a class's minimum duration for what leaves it too early. A forecast hands in one strip
//! per monthly cohort instead.
//!
//! Lifecycle ages are calendar days (S3 counts days since the object's creation); a month of
//! the plan is 365.25 ÷ 12 days. S3 Lifecycle leaves objects smaller than 128 KB where they
//! are unless a rule says otherwise (S3's default since September 2024), so playlists and tiny
//! segments follow their own, shorter set of bands.

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::{Charge, Service, Stage, StageLines, price, usage};
use crate::pricebook::PriceBook;
use crate::scenario::{Scenario, StorageClass};
use crate::units::{BYTES_PER_BILLED_GB, Bytes};

/// Days in a month of the plan: the mean calendar month (365.25 ÷ 12).
pub const DAYS_PER_MONTH: Decimal = Decimal::from_parts(304_375, 0, 0, false, 4);

/// Standard-IA and Glacier Instant Retrieval bill an object smaller than 128 KB as 128 KB, S3
/// Lifecycle does not transition objects smaller than 128 KB by default, and
/// Intelligent-Tiering neither monitors nor moves them (Amazon S3 pricing and User Guide).
pub const SMALL_OBJECT: Bytes = Bytes(Decimal::from_parts(131_072, 0, 0, false, 0));

/// Intelligent-Tiering's access tiers and the days without access after which an object moves
/// down (S3 User Guide, "How S3 Intelligent-Tiering works": infrequent after 30 consecutive
/// days, archive instant after 90).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntTier {
    Frequent,
    Infrequent,
    ArchiveInstant,
}

impl IntTier {
    fn label(self) -> &'static str {
        match self {
            IntTier::Frequent => "frequent access tier",
            IntTier::Infrequent => "infrequent access tier",
            IntTier::ArchiveInstant => "archive instant access tier",
        }
    }
}

/// A span of ages (months) an object spends in one class (and Intelligent-Tiering tier).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Band {
    class: StorageClass,
    tier: Option<IntTier>,
    from: Decimal,
    /// `None`: kept for good.
    to: Option<Decimal>,
    /// The age at which the object entered `class` (the start of its first band there).
    entered: Decimal,
    /// The lifecycle rule (index) whose age ends this band, when one does.
    rule: Option<usize>,
}

fn months(days: Decimal) -> Decimal {
    days / DAYS_PER_MONTH
}

/// The bands an object follows from upload to deletion. `moves`: whether lifecycle rules move
/// it (objects under 128 KB stay put by default, S3's since September 2024, unless the
/// scenario says they transition); `tiers`: whether Intelligent-Tiering moves it through
/// its access tiers (never an object under 128 KB: it is always billed at the Frequent
/// Access tier, S3 pricing, "Intelligent-Tiering").
fn bands(s: &Scenario, moves: bool, tiers: bool) -> Vec<Band> {
    let retention = s.content.retention_months;
    // The class changes by lifecycle rule: (age, class, rule that starts it).
    let mut stages: Vec<(Decimal, StorageClass, Option<usize>)> =
        vec![(Decimal::ZERO, s.storage.class, None)];
    if moves {
        for (i, t) in s.storage.lifecycle.iter().enumerate() {
            stages.push((months(t.after_days), t.class, Some(i)));
        }
    }
    let mut out = Vec::new();
    for (k, (from, class, _)) in stages.iter().enumerate() {
        let next = stages.get(k + 1);
        let to = next.map(|(at, _, _)| *at);
        let rule = next.and_then(|(_, _, r)| *r);
        // Intelligent-Tiering's own tiers, by age in the class (reads, which move an object
        // back, are not modelled: ages stand in for days without access).
        let tiers: Vec<(Decimal, Option<IntTier>)> =
            if *class == StorageClass::IntelligentTiering && tiers {
                vec![
                    (*from, Some(IntTier::Frequent)),
                    (*from + months(Decimal::from(30)), Some(IntTier::Infrequent)),
                    (
                        *from + months(Decimal::from(90)),
                        Some(IntTier::ArchiveInstant),
                    ),
                ]
            } else if *class == StorageClass::IntelligentTiering {
                vec![(*from, Some(IntTier::Frequent))]
            } else {
                vec![(*from, None)]
            };
        for (j, (start, tier)) in tiers.iter().enumerate() {
            let end = match (tiers.get(j + 1).map(|t| t.0), to) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let ends_rule = if end == to { rule } else { None };
            // A band no object stays in is left out, unless a lifecycle rule ends it: a rule
            // at 0 days still moves every object uploaded, and S3 bills the transition.
            if end.is_some_and(|e| e <= *start) && (ends_rule.is_none() || end != Some(*start)) {
                continue;
            }
            out.push(Band {
                class: *class,
                tier: *tier,
                from: *start,
                to: end,
                entered: *from,
                rule: ends_rule,
            });
        }
    }
    // Retention deletes everything older than it.
    match retention {
        Some(r) => out
            .into_iter()
            .filter(|b| b.from < r)
            .map(|mut b| {
                if b.to.is_none_or(|t| t > r) {
                    b.to = Some(r);
                    b.rule = None;
                }
                b
            })
            .collect(),
        None => out,
    }
}

/// Content of one age profile: how its ages run at the start of the month.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Strip {
    /// Ages run evenly over `[lo, hi]` months at the month's start, `per_month` minutes of
    /// content per month of age.
    Aged {
        lo: Decimal,
        hi: Decimal,
        per_month: Decimal,
    },
    /// `minutes` uploaded evenly during the month.
    New { minutes: Decimal },
    /// Content of unknown, old age: held all month in the last band (a library with no new
    /// content to date it by).
    Old { minutes: Decimal },
}

/// `max(0, min(a_hi, b_hi) − max(a_lo, b_lo))`, with `None` for an open upper end.
fn overlap(a_lo: Decimal, a_hi: Decimal, b_lo: Decimal, b_hi: Option<Decimal>) -> Decimal {
    let hi = b_hi.map_or(a_hi, |b| a_hi.min(b));
    (hi - a_lo.max(b_lo)).max(Decimal::ZERO)
}

/// The exact integral over `s ∈ [0, 1]` of a function that is linear between `kinks`
/// (trapezoids between the kinks that fall inside the month). A strip has at most four kinks
/// (two band edges, each met by its two ends), so the points are kept on the stack: this runs
/// for every strip in every band of every estimate.
fn integrate(kinks: &[Decimal], h: impl Fn(Decimal) -> Decimal) -> Decimal {
    let mut points = [Decimal::ZERO; 2 + MAX_KINKS];
    points[1] = Decimal::ONE;
    let mut n = 2;
    debug_assert!(
        kinks.len() <= MAX_KINKS,
        "a strip has at most {MAX_KINKS} kinks"
    );
    for &p in kinks.iter().take(MAX_KINKS) {
        if p > Decimal::ZERO && p < Decimal::ONE {
            points[n] = p;
            n += 1;
        }
    }
    let points = &mut points[..n];
    points.sort();
    points
        .windows(2)
        // Equal points (a kink on another) would add a trapezoid of no width: skipped, as
        // in a deduplicated list.
        .filter(|w| w[0] != w[1])
        .map(|w| (h(w[0]) + h(w[1])) / Decimal::TWO * (w[1] - w[0]))
        .sum()
}

/// The most kinks a strip's integrand has: the two ends of a band, each met by both ends of
/// the strip.
const MAX_KINKS: usize = 4;

impl Strip {
    /// Minute-months the strip spends in `[from, to)` during the month.
    fn time_in(&self, from: Decimal, to: Option<Decimal>, last: bool) -> Decimal {
        match *self {
            Strip::Aged { lo, hi, per_month } => {
                let h = |s| overlap(lo + s, hi + s, from, to);
                per_month
                    * match to {
                        Some(t) => integrate(&[from - hi, from - lo, t - hi, t - lo], h),
                        None => integrate(&[from - hi, from - lo], h),
                    }
            }
            Strip::New { minutes } => {
                let h = |s| overlap(Decimal::ZERO, s, from, to);
                minutes
                    * match to {
                        Some(t) => integrate(&[from, t], h),
                        None => integrate(&[from], h),
                    }
            }
            Strip::Old { minutes } if last => minutes,
            Strip::Old { .. } => Decimal::ZERO,
        }
    }

    /// Minutes whose age crosses `age` during the month.
    fn crossing(&self, age: Decimal) -> Decimal {
        match *self {
            Strip::Aged { lo, hi, per_month } => {
                per_month * overlap(lo, hi, age - Decimal::ONE, Some(age))
            }
            Strip::New { minutes } if age.is_zero() => minutes,
            Strip::New { minutes } => minutes * (Decimal::ONE - age).max(Decimal::ZERO),
            Strip::Old { .. } => Decimal::ZERO,
        }
    }

    /// Minutes in `[from, to)` at the month's end.
    fn at_end(&self, from: Decimal, to: Option<Decimal>, last: bool) -> Decimal {
        match *self {
            Strip::Aged { lo, hi, per_month } => {
                per_month * overlap(lo + Decimal::ONE, hi + Decimal::ONE, from, to)
            }
            Strip::New { minutes } => minutes * overlap(Decimal::ZERO, Decimal::ONE, from, to),
            Strip::Old { minutes } if last => minutes,
            Strip::Old { .. } => Decimal::ZERO,
        }
    }
}

/// One kind of object a content minute leaves in S3.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectKind {
    /// The rung it belongs to, for allocating costs to rungs.
    pub rung: Option<usize>,
    pub per_minute: Decimal,
    /// Mean bytes of one object.
    pub bytes: Decimal,
    /// Under 128 KB: lifecycle leaves it (unless told otherwise), IA classes bill 128 KB.
    pub small: bool,
}

impl ObjectKind {
    /// Bytes billed for one object in `class`.
    fn billed(&self, class: StorageClass) -> Decimal {
        if class.bills_small_objects_as_128_kb() {
            self.bytes.max(SMALL_OBJECT.0)
        } else {
            self.bytes
        }
    }
}

/// What one minute of content leaves in S3: every track's segments and media playlist, the
/// multivariant playlist and the source.
pub fn object_kinds(s: &Scenario, d: &Drivers) -> Vec<ObjectKind> {
    let title_minutes = s.content.avg_title_minutes.0;
    let per_title = Decimal::ONE / title_minutes;
    let mut out = Vec::new();
    let mut track = |rung: Option<usize>, t: &super::drivers::TrackDrivers| {
        if t.segments_per_title.is_zero() {
            return;
        }
        // The mean segment (the last of a title is shorter); whether segments are small is
        // decided by a full one.
        let per_segment = t.bytes_per_content_minute.0 * title_minutes / t.segments_per_title;
        out.push(ObjectKind {
            rung,
            per_minute: t.segments_per_title * per_title,
            bytes: per_segment,
            small: t.segment_bytes < SMALL_OBJECT,
        });
        out.push(ObjectKind {
            rung,
            per_minute: per_title,
            bytes: d.media_playlist_bytes.0,
            small: true,
        });
    };
    for (i, r) in d.rungs.iter().enumerate() {
        track(Some(i), r);
    }
    if let Some(a) = &d.audio {
        track(None, a);
    }
    out.push(ObjectKind {
        rung: None,
        per_minute: per_title,
        bytes: d.multivariant_bytes.0,
        small: true,
    });
    let source = s
        .content
        .source_bitrate
        .bytes_over(s.content.avg_title_minutes.seconds());
    if !source.0.is_zero() {
        out.push(ObjectKind {
            rung: None,
            per_minute: per_title,
            bytes: source.0,
            small: source < SMALL_OBJECT,
        });
    }
    out
}

/// What S3 holds in a month, by the ladder it was encoded with: one era for a single month;
/// a forecast adds one each time an event replaces the ladder, since content stored before
/// keeps its renditions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stored {
    pub eras: Vec<Era>,
}

/// Content encoded with one ladder: the objects a minute of it leaves, and its ages.
#[derive(Clone, Debug, PartialEq)]
pub struct Era {
    pub kinds: Vec<ObjectKind>,
    pub strips: Vec<Strip>,
}

impl Stored {
    /// The first month of the plan: the library and the month's uploads, in the scenario's
    /// ladder.
    pub fn first_month(s: &Scenario, d: &Drivers, warnings: &mut Vec<String>) -> Stored {
        Stored {
            eras: vec![Era {
                kinds: object_kinds(s, d),
                strips: strips(s, warnings),
            }],
        }
    }
}

/// The content held this month: the library and the month's uploads.
pub fn strips(s: &Scenario, warnings: &mut Vec<String>) -> Vec<Strip> {
    let rate = s.content.new_minutes_per_month.0;
    let mut library = s.content.library_minutes.0;
    let mut out = Vec::new();
    if rate.is_zero() {
        if !library.is_zero() {
            out.push(Strip::Old { minutes: library });
        }
        return out;
    }
    let mut span = library / rate;
    if let Some(retention) = s.content.retention_months
        && span > retention
    {
        let kept = rate * retention;
        warnings.push(format!(
            "library_minutes ({}) is more than retention keeps at the current ingest rate; {} minutes are counted as stored",
            library.normalize(),
            kept.normalize()
        ));
        library = kept;
        span = retention;
    }
    if !library.is_zero() {
        out.push(Strip::Aged {
            lo: Decimal::ZERO,
            hi: span,
            per_month: rate,
        });
    }
    out.push(Strip::New { minutes: rate });
    out
}

/// Minute-months of content the month holds, whatever its class: the library all month (less
/// what retention deletes as it ages), the month's uploads from their upload on. This is what
/// S3's `BucketSizeBytes`, averaged over the month, measures, in minutes of content.
pub fn held_minute_months(s: &Scenario) -> Decimal {
    strips(s, &mut Vec::new())
        .iter()
        .map(|st| st.time_in(Decimal::ZERO, s.content.retention_months, true))
        .sum()
}

/// Where the month's bytes are, for splitting origin reads over the classes: GB-months per
/// class, of content younger than an age and older.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeldBytes {
    /// `(class, GB-months younger than the age, GB-months older)`.
    pub by_class: Vec<(StorageClass, Decimal, Decimal)>,
    /// When nothing is held (no library, no uploads): what a minute of this month's uploads
    /// would hold, which the reads are split by instead (see `lines`). Kept apart from
    /// `by_class`, which stays what is held: the forecast adds the holdings of its probes.
    pub if_none: Vec<(StorageClass, Decimal, Decimal)>,
}

/// What the storage stage hands back beyond its lines.
pub(super) struct StorageOut {
    pub stage: StageLines,
    pub held: HeldBytes,
}

/// An era's minutes in one band over the month.
#[derive(Clone, Copy)]
struct BandMinutes {
    /// Minute-months spent in the band, and those of them younger than the recent-read age.
    minute_months: Decimal,
    young: Decimal,
    /// Minutes in the band at the month's end, and minutes crossing its upper age.
    at_end: Decimal,
    leaving: Decimal,
}

impl BandMinutes {
    fn of(strips: &[Strip], band: &Band, last: bool, recent_age: Option<Decimal>) -> BandMinutes {
        let mut m = BandMinutes {
            minute_months: Decimal::ZERO,
            young: Decimal::ZERO,
            at_end: Decimal::ZERO,
            leaving: Decimal::ZERO,
        };
        for strip in strips {
            m.minute_months += strip.time_in(band.from, band.to, last);
            if let Some(age) = recent_age {
                let young_to = band.to.map_or(age, |t| t.min(age));
                if young_to > band.from {
                    m.young += strip.time_in(band.from, Some(young_to), false);
                }
            }
            m.at_end += strip.at_end(band.from, band.to, last);
            if let Some(t) = band.to {
                m.leaving += strip.crossing(t);
            }
        }
        m
    }
}

/// One line's quantity in the making: the total and each rung's part.
#[derive(Clone, Default)]
struct Tally {
    total: Decimal,
    rungs: Vec<Decimal>,
}

impl Tally {
    fn add(&mut self, n: usize, rung: Option<usize>, q: Decimal) {
        if self.rungs.len() < n {
            self.rungs.resize(n, Decimal::ZERO);
        }
        self.total += q;
        if let Some(i) = rung {
            self.rungs[i] += q;
        }
    }

    /// Each rung's share of the line ([`super::shares_of`]: the parts of no rung, playlists
    /// and source, go with the rungs' own).
    fn weights(&self, n: usize) -> Vec<Decimal> {
        let mut parts = self.rungs.clone();
        parts.resize(n, Decimal::ZERO);
        super::shares_of(&parts)
    }
}

/// Amazon S3 pricing (https://aws.amazon.com/s3/pricing/): storage is billed per GB-month for
/// each storage class on its own tiers; PUT, COPY, POST and LIST requests per request of the
/// class written to; lifecycle transitions per object moved, priced by the destination class;
/// objects deleted or moved out of Standard-IA or Glacier IR before 30 or 90 days are billed
/// for the remaining days (early delete); Intelligent-Tiering charges a monitoring fee per
/// object of 128 KB or more per month. `standard_credit_gb`: S3 Standard storage a CloudFront
/// flat-rate plan credits.
pub(super) fn lines(
    s: &Scenario,
    d: &Drivers,
    book: &PriceBook,
    stored: &Stored,
    standard_credit_gb: Option<Decimal>,
) -> StorageOut {
    let mut out = StageLines::new();
    let n = s.ladder.rungs.len();
    let region = Some(s.region.as_str());
    let recent_age = s.delivery.recent_reads.map(|r| months(r.days));
    let gib = BYTES_PER_BILLED_GB;

    // (class, tier) → GB-months; class → early-delete GB-months; rule → objects moved;
    // Intelligent-Tiering object-months; end-of-month bytes and objects per class.
    let mut storage: Vec<((StorageClass, Option<IntTier>), Tally)> = Vec::new();
    let mut early: Vec<(StorageClass, Tally)> = Vec::new();
    let mut moved: Vec<Tally> = vec![Tally::default(); s.storage.lifecycle.len()];
    let mut monitored = Tally::default();
    let mut end: Vec<(StorageClass, Decimal, Decimal)> = Vec::new();
    let mut held: Vec<(StorageClass, Decimal, Decimal)> = Vec::new();
    // Classes that hold objects under 128 KB (billed as 128 KB in the infrequent classes).
    let mut small_in: Vec<StorageClass> = Vec::new();
    let mut rung_stored = vec![Bytes::default(); n];
    let large_bands = bands(s, true, true);
    let small_bands = bands(s, s.storage.transition_small_objects, false);

    // What an era's minutes do in each band does not depend on the kind of object: it is
    // integrated once per era and band set, and every kind scales it.
    let mut large_in = Vec::new();
    let mut small_in_bands = Vec::new();
    for (kind, strips, fresh) in stored.eras.iter().flat_map(|e| {
        e.kinds
            .iter()
            .enumerate()
            .map(move |(i, k)| (k, &e.strips, i == 0))
    }) {
        if fresh {
            large_in.clear();
            small_in_bands.clear();
        }
        let (bands, minutes_in) = if kind.small {
            (&small_bands, &mut small_in_bands)
        } else {
            (&large_bands, &mut large_in)
        };
        if minutes_in.is_empty() {
            minutes_in.extend(
                bands.iter().enumerate().map(|(b, band)| {
                    BandMinutes::of(strips, band, b + 1 == bands.len(), recent_age)
                }),
            );
        }
        for (b, band) in bands.iter().enumerate() {
            let billed = kind.billed(band.class);
            if kind.small && !small_in.contains(&band.class) {
                small_in.push(band.class);
            }
            let BandMinutes {
                minute_months,
                young,
                at_end,
                leaving,
            } = minutes_in[b];
            let objects = kind.per_minute;
            let gb_months = minute_months * objects * billed / gib;
            let key = (band.class, band.tier);
            match storage.iter_mut().find(|(k, _)| *k == key) {
                Some((_, t)) => t.add(n, kind.rung, gb_months),
                None => {
                    let mut t = Tally::default();
                    t.add(n, kind.rung, gb_months);
                    storage.push((key, t));
                }
            }
            hold(&mut held, band.class, young, minute_months, kind);
            if band.class == StorageClass::IntelligentTiering && !kind.small {
                monitored.add(n, kind.rung, minute_months * objects);
            }
            let end_bytes = at_end * objects * kind.bytes;
            match end.iter_mut().find(|(c, _, _)| *c == band.class) {
                Some(e) => {
                    e.1 += end_bytes;
                    e.2 += at_end * objects;
                }
                None => end.push((band.class, end_bytes, at_end * objects)),
            }
            if let Some(i) = kind.rung {
                rung_stored[i] += Bytes(end_bytes);
            }
            // Leaving the band at its end: a lifecycle move or a deletion.
            let Some(to) = band.to else { continue };
            let next_class = bands.get(b + 1).map(|nb| nb.class);
            if let Some(rule) = band.rule
                && next_class.is_some_and(|c| c != band.class)
            {
                moved[rule].add(n, kind.rung, leaving * objects);
            }
            // Leaving the class (not just an Intelligent-Tiering tier) before its minimum.
            let leaves_class = next_class != Some(band.class);
            let minimum = months(band.class.minimum_days());
            let held_for = to - band.entered;
            if leaves_class && held_for < minimum {
                let gb = leaving * objects * billed * (minimum - held_for) / gib;
                match early.iter_mut().find(|(c, _)| *c == band.class) {
                    Some((_, t)) => t.add(n, kind.rung, gb),
                    None => {
                        let mut t = Tally::default();
                        t.add(n, kind.rung, gb);
                        early.push((band.class, t));
                    }
                }
            }
        }
    }

    storage.sort_by_key(|(k, _)| *k);
    let with_source = !s.content.source_bitrate.bits_per_second().is_zero();
    for ((class, tier), tally) in storage {
        if tally.total.is_zero() {
            continue;
        }
        let what = if with_source {
            "outputs and source"
        } else {
            "outputs"
        };
        let (description, usage_type) = match tier {
            Some(t) => (
                format!("{} storage, {}, {what}", class.label(), t.label()),
                usage::intelligent_tiering(t),
            ),
            None => (
                format!("{} storage, {what}", class.label()),
                usage::storage(class),
            ),
        };
        let mut charge = Charge::new(
            Service::S3,
            Stage::Storage,
            description,
            usage_type,
            region,
            tally.total,
            "GB-Mo",
        );
        if class == StorageClass::Standard && tier.is_none() {
            // A CloudFront flat-rate plan credits S3 Standard storage in the payer account.
            charge = charge.credit(standard_credit_gb);
            if standard_credit_gb.is_some() {
                charge = charge.recipe(super::Recipe::PlanCredit, None);
            }
        }
        if class.bills_small_objects_as_128_kb() && small_in.contains(&class) {
            charge = charge.note("objects under 128 KB (playlists, short segments) are billed as 128 KB in this class");
        }
        out.push(price(book, charge), tally.weights(n));
    }

    for (class, tally) in early {
        let Some(usage_type) = usage::early_delete(class) else {
            continue;
        };
        let line = price(
            book,
            Charge::new(
                Service::S3,
                Stage::Storage,
                format!(
                    "{} early delete: objects removed before {} days",
                    class.label(),
                    class.minimum_days().normalize()
                ),
                usage_type,
                region,
                tally.total,
                "GB-Mo",
            )
            .note("objects moved out or deleted before the class's minimum storage duration are billed for the rest of it"),
        );
        out.push(line, tally.weights(n));
    }

    if !monitored.total.is_zero() {
        let line = price(
            book,
            Charge::new(
                Service::S3,
                Stage::Storage,
                "S3 Intelligent-Tiering monitoring and automation, objects of 128 KB or more",
                usage::INTELLIGENT_TIERING_MONITORING,
                region,
                monitored.total,
                "Objects",
            ),
        );
        out.push(line, monitored.weights(n));
    }

    // Every new object is written once: segments, playlists and the source.
    let puts = d.titles_per_month * d.objects_per_title;
    let line = price(
        book,
        Charge::new(
            Service::S3,
            Stage::Requests,
            format!(
                "PUT requests, {} new objects (segments, playlists, source)",
                s.storage.class.label()
            ),
            usage::puts(s.storage.class),
            region,
            puts,
            "Requests",
        ),
    );
    out.push(line, even(n));

    for (i, t) in s.storage.lifecycle.iter().enumerate() {
        let line = price(
            book,
            Charge::new(
                Service::S3,
                Stage::Storage,
                format!(
                    "Lifecycle transitions to {} after {} days",
                    t.class.label(),
                    t.after_days.normalize()
                ),
                usage::transitions(t.class).unwrap_or_default(),
                region,
                moved[i].total,
                "Requests",
            ),
        );
        out.push(line, moved[i].weights(n));
    }

    // Nothing held (no library, no uploads), yet viewers read: the reads are split as a
    // month's uploads would be, however few (the limit as they fall to none), so a plan with
    // no content costs no more to serve than one with a minute of it. (Taking every read to
    // the class written to charged Standard-IA's retrieval on all of them, more than a
    // minute of uploads that moves to Intelligent-Tiering costs.)
    let mut if_none = Vec::new();
    if held.iter().all(|(_, y, o)| y.is_zero() && o.is_zero()) {
        let unit = [Strip::New {
            minutes: Decimal::ONE,
        }];
        for kind in stored.eras.last().map_or(&[][..], |e| &e.kinds[..]) {
            let bands = if kind.small {
                &small_bands
            } else {
                &large_bands
            };
            for (b, band) in bands.iter().enumerate() {
                let m = BandMinutes::of(&unit, band, b + 1 == bands.len(), recent_age);
                hold(&mut if_none, band.class, m.young, m.minute_months, kind);
            }
        }
    }
    end.sort_by_key(|(c, _, _)| *c);
    out.end_of_month = end.into_iter().map(|(c, b, o)| (c, Bytes(b), o)).collect();
    out.rung_stored = rung_stored;
    held.sort_by_key(|(c, _, _)| *c);
    if_none.sort_by_key(|(c, _, _)| *c);
    StorageOut {
        stage: out,
        held: HeldBytes {
            by_class: held,
            if_none,
        },
    }
}

/// Adds to `held` the GB-months a kind of object keeps in `class` over `minute_months` of
/// content, `young` of them younger than the recent-read age.
fn hold(
    held: &mut Vec<(StorageClass, Decimal, Decimal)>,
    class: StorageClass,
    young: Decimal,
    minute_months: Decimal,
    kind: &ObjectKind,
) {
    let young_gb = young * kind.per_minute * kind.bytes / BYTES_PER_BILLED_GB;
    let all_gb = minute_months * kind.per_minute * kind.bytes / BYTES_PER_BILLED_GB;
    match held.iter_mut().find(|(c, _, _)| *c == class) {
        Some(h) => {
            h.1 += young_gb;
            h.2 += all_gb - young_gb;
        }
        None => held.push((class, young_gb, all_gb - young_gb)),
    }
}

/// Weights that spread a line evenly over the rungs.
pub(super) fn even(n: usize) -> Vec<Decimal> {
    if n == 0 {
        return Vec::new();
    }
    vec![Decimal::ONE / Decimal::from(n); n]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn a_month_of_uploads_is_stored_half_the_month() {
        let new = Strip::New { minutes: d("100") };
        assert_eq!(new.time_in(d("0"), None, true), d("50"));
        // Half a month old at most by the end: none of it reaches an age of one month.
        assert_eq!(new.time_in(d("1"), None, true), d("0"));
        // Of content aged 0.5–1 month at the end: ∫ max(0, s − 0.5) ds = 0.125.
        assert_eq!(new.time_in(d("0.5"), None, true), d("12.5"));
        assert_eq!(new.crossing(d("0.25")), d("75"));
        assert_eq!(new.at_end(d("0"), Some(d("0.5")), false), d("50"));
    }

    #[test]
    fn an_aged_strip_moves_through_a_band_edge_during_the_month() {
        // Ages 0..2 months at the start, 10 minutes per month of age: 20 minutes. A band
        // edge at 1.5 months: at time s the strip is [s, 2+s]; its part below 1.5 is 1.5 − s,
        // so the minute-months below are 10 × ∫(1.5 − s) ds = 10 × 1 = 10, and above 30.
        let aged = Strip::Aged {
            lo: d("0"),
            hi: d("2"),
            per_month: d("10"),
        };
        assert_eq!(aged.time_in(d("0"), Some(d("1.5")), false), d("10"));
        assert_eq!(aged.time_in(d("1.5"), None, true), d("10"));
        // The content aged 0.5–1.5 at the start crosses 1.5 during the month: 10 minutes.
        assert_eq!(aged.crossing(d("1.5")), d("10"));
        assert_eq!(aged.at_end(d("1.5"), None, true), d("15"));
    }
}
