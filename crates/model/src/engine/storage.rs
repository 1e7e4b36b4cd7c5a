//! Storage: S3 storage by class, lifecycle transitions and the writes of new objects.
//!
//! The library is modelled as monthly cohorts: content already stored is taken to have been
//! ingested at the current rate, so its age runs evenly from zero to `library / rate` months.
//! Lifecycle rules move each cohort to colder classes as it ages, and retention deletes it.
//! In the month priced, the library is billed for the whole month in the class its age puts
//! it in, and the month's uploads, which arrive evenly through the month, for half of it in
//! the class they are written to.

use rust_decimal::Decimal;

use super::drivers::Drivers;
use super::{Charge, Service, Stage, StageLines, price, usage};
use crate::pricebook::PriceBook;
use crate::scenario::{Scenario, StorageClass};
use crate::units::Bytes;

/// Days in the month of S3 lifecycle ages; transitions count days, the plan counts months.
const DAYS_PER_MONTH: Decimal = Decimal::from_parts(30, 0, 0, false, 0);

/// Standard-IA and Glacier Instant Retrieval bill an object smaller than 128 KB as 128 KB
/// (Amazon S3 pricing, storage classes footnotes).
const MINIMUM_BILLABLE_OBJECT: Bytes = Bytes(Decimal::from_parts(131_072, 0, 0, false, 0));

/// The age bands of the lifecycle: `(from_months, to_months, class)`, the last open-ended.
fn bands(s: &Scenario) -> Vec<(Decimal, Option<Decimal>, StorageClass)> {
    let mut out = Vec::new();
    let mut from = Decimal::ZERO;
    let mut class = s.storage.class;
    for t in &s.storage.lifecycle {
        let at = t.after_days / DAYS_PER_MONTH;
        out.push((from, Some(at), class));
        from = at;
        class = t.class;
    }
    out.push((from, None, class));
    out
}

/// Billed bytes of one content minute of every output (and the source, when kept) in
/// `class`: the 128 KB object minimum applies in the infrequent-access classes.
fn billed_bytes_per_minute(s: &Scenario, d: &Drivers, class: StorageClass) -> (Bytes, Vec<Bytes>) {
    let title_minutes = s.content.avg_title_minutes.0;
    let minimum = match class {
        StorageClass::Standard => Bytes::default(),
        StorageClass::StandardIa | StorageClass::GlacierIr => MINIMUM_BILLABLE_OBJECT,
    };
    let per_rung: Vec<Bytes> = d
        .rungs
        .iter()
        .map(|r| {
            if minimum.0.is_zero() {
                r.bytes_per_content_minute
            } else {
                r.segment_bytes.max(minimum) * (r.segments_per_title / title_minutes)
            }
        })
        .collect();
    let source_title = s
        .content
        .source_bitrate
        .bytes_over(s.content.avg_title_minutes.seconds());
    let source = if source_title.0.is_zero() {
        Bytes::default()
    } else {
        source_title.max(minimum) * (Decimal::ONE / title_minutes)
    };
    (source, per_rung)
}

/// Amazon S3 pricing (https://aws.amazon.com/s3/pricing/): storage is billed per GB-month for
/// each storage class on its own tiers; PUT, COPY, POST and LIST requests per request of the
/// class written to; lifecycle transitions per object moved, priced by the destination class.
pub(super) fn lines(
    s: &Scenario,
    d: &Drivers,
    book: &PriceBook,
    warnings: &mut Vec<String>,
) -> StageLines {
    let mut out = StageLines::new();
    let n = s.ladder.rungs.len();
    let region = Some(s.region.as_str());
    let rate = s.content.new_minutes_per_month.0;
    let mut library = s.content.library_minutes.0;

    // How old the oldest stored content is, in months; `None` when nothing new arrives and the
    // library is taken to be older than every lifecycle rule.
    let mut span = (!rate.is_zero()).then(|| library / rate);
    if let (Some(retention), Some(age)) = (s.content.retention_months, span)
        && age > retention
    {
        let kept = rate * retention;
        warnings.push(format!(
            "library_minutes ({}) is more than retention keeps at the current ingest rate; {} minutes are counted as stored",
            library.normalize(),
            kept.normalize()
        ));
        library = kept;
        span = Some(retention);
    }

    let objects_per_minute = d.objects_per_title / s.content.avg_title_minutes.0;
    let half = Decimal::new(5, 1);
    let bands = bands(s);
    let mut end_of_month: Vec<(StorageClass, Bytes, Decimal)> = Vec::new();
    let mut rung_stored = vec![Bytes::default(); n];
    // (class, GB-months of the month, per-rung GB-months, includes source)
    let mut per_class: Vec<(StorageClass, Decimal, Vec<Decimal>, bool)> = Vec::new();
    for (i, (from, to, class)) in bands.iter().enumerate() {
        // Library minutes whose age falls in this band.
        let in_band = match span {
            Some(age) => {
                let top = to.map_or(age, |t| t.min(age));
                rate * (top - *from).max(Decimal::ZERO)
            }
            None if to.is_none() => library,
            None => Decimal::ZERO,
        };
        // This month's uploads land in the first band, for half the month on average.
        let (stored_month, stored_end) = if i == 0 {
            (in_band + rate * half, in_band + rate)
        } else {
            (in_band, in_band)
        };
        if stored_end.is_zero() && stored_month.is_zero() {
            continue;
        }
        let (source, per_rung) = billed_bytes_per_minute(s, d, *class);
        let gb_months: Vec<Decimal> = per_rung
            .iter()
            .map(|b| (*b * stored_month).billed_gb().0)
            .collect();
        let source_gb = (source * stored_month).billed_gb().0;
        let total: Decimal = gb_months.iter().copied().sum::<Decimal>() + source_gb;
        let end_bytes = per_rung
            .iter()
            .fold(source * stored_end, |acc, b| acc + *b * stored_end);
        for (k, b) in per_rung.iter().enumerate() {
            rung_stored[k] += *b * stored_end;
        }
        end_of_month.push((*class, end_bytes, stored_end * objects_per_minute));
        match per_class.iter_mut().find(|(c, ..)| c == class) {
            Some(entry) => {
                entry.1 += total;
                for (k, g) in gb_months.iter().enumerate() {
                    entry.2[k] += *g;
                }
            }
            None => per_class.push((*class, total, gb_months, !source_gb.is_zero())),
        }
    }

    for (class, gb_months, per_rung, with_source) in per_class {
        let weights = per_rung
            .iter()
            .map(|g| {
                if gb_months.is_zero() {
                    Decimal::ZERO
                } else {
                    g / gb_months
                }
            })
            .collect();
        let what = if with_source {
            "outputs and source"
        } else {
            "outputs"
        };
        let mut charge = Charge::new(
            Service::S3,
            Stage::Storage,
            format!("{} storage, {what}", class.label()),
            usage::storage(class),
            region,
            gb_months,
            "GB-Mo",
        );
        if class != StorageClass::Standard {
            charge = charge.note("objects under 128 KB are billed as 128 KB in this class");
        }
        out.push(price(book, charge), weights);
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

    // Each month one monthly cohort crosses each lifecycle age, once content that old exists.
    for (i, t) in s.storage.lifecycle.iter().enumerate() {
        let at = bands[i + 1].0;
        let crossing = match span {
            Some(age) if age >= at => rate,
            _ => Decimal::ZERO,
        };
        let objects = crossing * objects_per_minute;
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
                objects,
                "Requests",
            ),
        );
        out.push(line, even(n));
    }

    out.end_of_month = end_of_month;
    out.rung_stored = rung_stored;
    out
}

/// Weights that spread a line evenly over the rungs.
pub(super) fn even(n: usize) -> Vec<Decimal> {
    if n == 0 {
        return Vec::new();
    }
    vec![Decimal::ONE / Decimal::from(n); n]
}
