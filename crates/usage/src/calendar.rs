//! UTC calendar arithmetic for timestamps in milliseconds: ISO 8601 text both ways and month
//! lengths. Proleptic Gregorian calendar (the civil-from-days and days-from-civil algorithms).

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub fn days_in_month(year: i64, month: u32) -> u32 {
    let next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    (next - days_from_civil(year, month, 1)) as u32
}

/// Days in a `YYYY-MM` month.
pub fn days_in_month_label(label: &str) -> Option<u32> {
    let (y, m) = label.split_once('-')?;
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then(|| days_in_month(y, m))
}

/// `2026-09-01T00:00:00Z` (seconds; milliseconds when there are any).
pub fn format_iso(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, milli) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    if milli == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    }
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or `+00:00`); `None` for anything else. Every part is
/// digits only and no longer than its field (a year of four digits, a fraction of up to nine),
/// so no sign, no year past 9999 and no other character gets through.
pub fn parse_iso(text: &str) -> Option<i64> {
    let t = text.trim();
    let t = t.strip_suffix('Z').or_else(|| t.strip_suffix("+00:00"))?;
    let (date, time) = t.split_once('T')?;
    let mut d = date.split('-');
    let (y, mo, da) = (
        digits(d.next()?, 4)?,
        digits(d.next()?, 2)?,
        digits(d.next()?, 2)?,
    );
    let (mo, da) = (u32::try_from(mo).ok()?, u32::try_from(da).ok()?);
    if d.next().is_some()
        || y == 0
        || !(1..=12).contains(&mo)
        || da == 0
        || da > days_in_month(y, mo)
    {
        return None;
    }
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut p = hms.split(':');
    let (h, mi, s) = (
        digits(p.next()?, 2)?,
        digits(p.next()?, 2)?,
        digits(p.next()?, 2)?,
    );
    if p.next().is_some() || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    digits(frac, 9)?;
    let milli = digits(&format!("{:0<3}", &frac[..frac.len().min(3)]), 3)?;
    Some(days_from_civil(y, mo, da) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + milli)
}

/// `text` as a number when it is 1 to `most` ASCII digits.
fn digits(text: &str, most: usize) -> Option<i64> {
    if text.is_empty() || text.len() > most || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trips_and_months_have_their_lengths() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2026-11-25T16:01:02.123Z",
        ] {
            assert_eq!(format_iso(parse_iso(text).unwrap()), text);
        }
        assert_eq!(
            parse_iso("2026-09-30T23:59:59Z").unwrap() + 1000,
            parse_iso("2026-10-01T00:00:00Z").unwrap()
        );
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2026, 2), 28);
        assert_eq!(days_in_month_label("2026-09"), Some(30));
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "yesterday",
            "2026-01-01 00:00:00",
            // Found by fuzzing: a year past what a timestamp holds overflowed, a sign got
            // through, and a fraction cut inside a character panicked.
            "99999999999999-01-01T00:00:00Z",
            "2026-01-01T-1:00:00Z",
            "2026-01-01T00:00:+5Z",
            "2026-01-01T00:00:00.\u{e9}\u{e9}Z",
            "2026-01-01T00:00:00.Z",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
