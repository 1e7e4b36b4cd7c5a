//! Physical and money units as newtypes.
//!
//! Every conversion between units happens in exactly one place in this file, so a reader can
//! check the whole model's arithmetic of bits, bytes and billed gigabytes here:
//! - bits to bytes: [`Bitrate::bytes_over`] (eight bits to a byte);
//! - bytes to the gigabyte AWS bills: [`Bytes::billed_gb`] (2^30 bytes, see its comment).
//!
//! All quantities are `rust_decimal::Decimal` so that a priced line is exact and the same on
//! every machine; f64 only appears later, in sweeps and charts.

use rust_decimal::Decimal;
use rust_decimal::prelude::*;
use serde::Serialize;
use std::fmt;
use std::ops::{Add, AddAssign, Mul, Sub};

/// Seconds in one minute.
pub const SECONDS_PER_MINUTE: Decimal = Decimal::from_parts(60, 0, 0, false, 0);

/// Hours in the month AWS uses to turn monthly quantities into rates (the AWS Pricing
/// Calculator and the EC2 pricing pages both use 730 hours: 365 days * 24 hours / 12 months).
/// Only capacity figures (Gbps, requests per second) use it; billed quantities are monthly.
pub const HOURS_PER_MONTH: Decimal = Decimal::from_parts(730, 0, 0, false, 0);

/// Bytes in one billed gigabyte. AWS bills "GB" as 2^30 bytes: the S3 FAQ's worked example
/// counts 107,374,182,400 bytes as 100 GB ("How will I be charged and billed for my use of
/// Amazon S3?", https://aws.amazon.com/s3/faqs/), and CloudFront and data-transfer usage
/// reports use the same GB. This is the only place the model decides it.
pub const BYTES_PER_BILLED_GB: Decimal = Decimal::from_parts(1_073_741_824, 0, 0, false, 0);

/// A bitrate. Stored in bits per second; scenario files speak kilobits per second
/// (1 kbps = 1000 bits/s, the convention of encoders and of the Apple HLS authoring spec).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Bitrate {
    bits_per_second: Decimal,
}

impl Bitrate {
    pub fn from_kbps(kbps: Decimal) -> Self {
        Self {
            bits_per_second: kbps * Decimal::ONE_THOUSAND,
        }
    }

    pub fn bits_per_second(self) -> Decimal {
        self.bits_per_second
    }

    pub fn kbps(self) -> Decimal {
        self.bits_per_second / Decimal::ONE_THOUSAND
    }

    /// Gigabits per second, decimal (10^9 bits), as network capacity is quoted.
    pub fn gbps(self) -> Decimal {
        self.bits_per_second / Decimal::from(1_000_000_000u64)
    }

    /// The bytes this bitrate carries over a duration: `bits/s * s / 8`.
    /// This is the model's one conversion of bits to bytes.
    pub fn bytes_over(self, duration: Seconds) -> Bytes {
        Bytes(self.bits_per_second * duration.0 / Decimal::from(8))
    }

    /// The bitrate that carries `bytes` over `duration`; the inverse of [`Bitrate::bytes_over`].
    /// A zero duration carries nothing.
    pub fn carrying(bytes: Bytes, duration: Seconds) -> Self {
        if duration.0.is_zero() {
            return Self::default();
        }
        Self {
            bits_per_second: bytes.0 * Decimal::from(8) / duration.0,
        }
    }
}

impl Add for Bitrate {
    type Output = Bitrate;
    fn add(self, rhs: Self) -> Self {
        Self {
            bits_per_second: self.bits_per_second + rhs.bits_per_second,
        }
    }
}

impl Mul<Decimal> for Bitrate {
    type Output = Bitrate;
    fn mul(self, rhs: Decimal) -> Self {
        Self {
            bits_per_second: self.bits_per_second * rhs,
        }
    }
}

/// A size in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Bytes(pub Decimal);

impl Bytes {
    /// Billed gigabytes (see [`BYTES_PER_BILLED_GB`]).
    pub fn billed_gb(self) -> BilledGb {
        BilledGb(self.0 / BYTES_PER_BILLED_GB)
    }

    /// Terabytes as AWS counts them on bills (1024 billed GB).
    pub fn billed_tb(self) -> Decimal {
        self.billed_gb().0 / Decimal::from(1024)
    }
}

impl Add for Bytes {
    type Output = Bytes;
    fn add(self, rhs: Self) -> Self {
        Bytes(self.0 + rhs.0)
    }
}

impl AddAssign for Bytes {
    fn add_assign(&mut self, rhs: Self) {
        self.0 += rhs.0;
    }
}

impl Mul<Decimal> for Bytes {
    type Output = Bytes;
    fn mul(self, rhs: Decimal) -> Self {
        Bytes(self.0 * rhs)
    }
}

/// Gigabytes as AWS bills them (2^30 bytes each).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BilledGb(pub Decimal);

/// A duration in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Seconds(pub Decimal);

/// A duration in minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Minutes(pub Decimal);

impl Minutes {
    pub fn seconds(self) -> Seconds {
        Seconds(self.0 * SECONDS_PER_MINUTE)
    }
}

impl Seconds {
    pub fn minutes(self) -> Minutes {
        Minutes(self.0 / SECONDS_PER_MINUTE)
    }

    /// The seconds in the 730-hour month AWS uses for rates (see [`HOURS_PER_MONTH`]).
    pub fn in_billing_month() -> Seconds {
        Seconds(HOURS_PER_MONTH * Decimal::from(3600))
    }
}

/// An amount of US dollars. Exact; rounded only when displayed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Usd(pub Decimal);

impl Usd {
    pub const ZERO: Usd = Usd(Decimal::ZERO);

    /// Cents, half away from zero, for display and for CSV.
    pub fn to_cents(self) -> Decimal {
        self.0
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }

    /// `self − earlier` as two printed amounts differ: each to the cent first, so that a
    /// table's A, B and B − A add up as read ($26,413.61 → $18,272.76 is −$8,140.85, not the
    /// −$8,140.86 the unrounded amounts give).
    pub fn printed_minus(self, earlier: Usd) -> Usd {
        Usd(self.to_cents() - earlier.to_cents())
    }

    /// An amount that leaves unpriced lines out when `unpriced`: `≥$0.32`, or `unpriced`
    /// where nothing of it has a price, so a missing price never reads as $0.00.
    pub fn at_least(self, unpriced: bool) -> String {
        self.at_least_as(unpriced, self.to_cents().is_zero(), |u| u.to_string())
    }

    /// A cost per unit (per title, per viewer-hour, per GB): `$1,491.1994`, grouped, to four
    /// decimals, since cents would round most of them to nothing.
    pub fn per_unit(self) -> String {
        let mut out = String::new();
        let _ = write_money(&mut out, self.0, 4, "$");
        out
    }

    /// The amount, followed by `+ unpriced` when some of what it sums has no price (a
    /// subtotal, a difference): what is known, and that more is not.
    pub fn plus_unpriced(self, unpriced: bool) -> String {
        if unpriced {
            format!("{self} + unpriced")
        } else {
            self.to_string()
        }
    }

    /// [`Usd::at_least`] with the amount written by `write` (a cost per title in more
    /// decimals than cents), `nothing_priced` saying whether the whole it is part of has no
    /// price at all.
    pub fn at_least_as(
        self,
        unpriced: bool,
        nothing_priced: bool,
        write: impl Fn(Usd) -> String,
    ) -> String {
        match (unpriced, nothing_priced) {
            (false, _) => write(self),
            (true, true) => "unpriced".to_string(),
            (true, false) => format!("≥{}", write(self)),
        }
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Self) -> Self {
        Usd(self.0 + rhs.0)
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Self) {
        self.0 += rhs.0;
    }
}

impl Sub for Usd {
    type Output = Usd;
    fn sub(self, rhs: Self) -> Self {
        Usd(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Self {
        iter.fold(Usd::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Usd {
    /// `$1,234.57`: grouped, rounded to cents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written straight into the formatter: warnings of every estimate spell amounts.
        write_money(f, self.0, 2, "$")
    }
}

/// `value` to `dp` decimals, grouped, after its sign and `symbol`: `-$1,234.50`.
fn write_money(out: &mut impl fmt::Write, value: Decimal, dp: u32, symbol: &str) -> fmt::Result {
    let rounded = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.write_char('-')?;
    }
    out.write_str(symbol)?;
    // At most 29 digits, a point and 6 decimals: the digits on the stack.
    let mut digits = [0u8; 64];
    let mut cursor = std::io::Cursor::new(&mut digits[..]);
    let text = match std::io::Write::write_fmt(
        &mut cursor,
        format_args!("{:.*}", dp as usize, rounded.abs()),
    ) {
        Ok(()) => {
            let n = cursor.position() as usize;
            std::str::from_utf8(&digits[..n]).unwrap_or_default()
        }
        Err(_) => "",
    };
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    push_grouped(out, whole)?;
    if !frac.is_empty() {
        out.write_char('.')?;
        out.write_str(frac)?;
    }
    Ok(())
}

/// An amount of money in any currency: `1,234.50`, `-3.20`, grouped, always two decimals
/// (rounded half away from zero, as [`Usd::to_cents`]).
pub fn format_money(value: Decimal) -> String {
    money_to(value, 2)
}

/// [`format_money`] to `dp` decimals.
fn money_to(value: Decimal, dp: u32) -> String {
    let mut out = String::new();
    let _ = write_money(&mut out, value, dp, "");
    out
}

/// Dollar amounts written side by side with as many decimals (2 to 6) as it takes to tell
/// apart those that differ: a total $0.0008 over a budget is not printed equal to it.
pub fn usd_apart<const N: usize>(amounts: [Usd; N]) -> [String; N] {
    let dp = (2..=6)
        .find(|&dp| {
            amounts.iter().enumerate().all(|(i, a)| {
                amounts[..i].iter().all(|b| {
                    a.0 == b.0
                        || a.0
                            .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
                            != b.0
                                .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
                })
            })
        })
        .unwrap_or(6);
    amounts.map(|a| {
        let mut out = String::new();
        let _ = write_money(&mut out, a.0, dp, "$");
        out
    })
}

/// Inserts thousands separators into a string of digits.
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let _ = push_grouped(&mut out, digits);
    out
}

/// Appends `digits` to `out` with thousands separators.
fn push_grouped(out: &mut impl fmt::Write, digits: &str) -> fmt::Result {
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.write_char(',')?;
        }
        out.write_char(c)?;
    }
    Ok(())
}

/// [`format_quantity`], with as many more decimals (up to 6) as keep a quantity that is not
/// zero from reading 0: a 2 GB store is `0.002 TB`, not `0 TB`.
pub fn format_nonzero(value: Decimal, dp: u32) -> String {
    let dp = (dp..=6)
        .find(|&dp| {
            value.is_zero()
                || !value
                    .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
                    .is_zero()
        })
        .unwrap_or(6);
    format_quantity(value, dp)
}

/// Formats a quantity with grouped thousands and at most `dp` decimals, trailing zeros cut.
pub fn format_quantity(value: Decimal, dp: u32) -> String {
    let rounded = value
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    // Every line's description spells a quantity or two: written into one string, with the
    // digits on the stack, rather than through three intermediate strings.
    let mut digits = [0u8; 64];
    let mut cursor = std::io::Cursor::new(&mut digits[..]);
    let text = match std::io::Write::write_fmt(&mut cursor, format_args!("{}", rounded.abs())) {
        Ok(()) => {
            let n = cursor.position() as usize;
            std::str::from_utf8(&digits[..n]).unwrap_or_default()
        }
        // A Decimal has at most 29 digits and a point: it always fits.
        Err(_) => "",
    };
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 2);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('-');
    }
    let _ = push_grouped(&mut out, whole);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A change in percent, signed, to one decimal place; a change that one decimal would show
/// as "+0 %" keeps two significant digits ("+0.0056 %"), so a difference never reads as none.
pub fn format_change_percent(p: Decimal) -> String {
    let shown = if !p.is_zero()
        && p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
            .is_zero()
    {
        let two = p.round_sf(2).unwrap_or(p);
        format_quantity(two, two.scale())
    } else {
        format_quantity(p, 1)
    };
    if p > Decimal::ZERO {
        format!("+{shown} %")
    } else {
        format!("{shown} %")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_change_never_reads_as_none() {
        let p = |t: &str| format_change_percent(t.parse().unwrap());
        assert_eq!(p("42.24"), "+42.2 %");
        assert_eq!(p("-29.71"), "-29.7 %");
        assert_eq!(p("0"), "0 %");
        assert_eq!(p("0.005565"), "+0.0056 %");
        assert_eq!(p("-0.0412"), "-0.041 %");
        assert_eq!(p("0.05"), "+0.1 %");
    }

    use super::*;
    use crate::test_support::d;

    #[test]
    fn amounts_apart_are_written_apart() {
        let [total, max, over] = usd_apart([
            Usd(d("14123.428833")),
            Usd(d("14123.428")),
            Usd(d("0.000833")),
        ]);
        assert_eq!(
            (total.as_str(), max.as_str()),
            ("$14,123.429", "$14,123.428")
        );
        assert_eq!(over, "$0.001");
        // Cents tell them apart: cents it is.
        assert_eq!(
            usd_apart([Usd(d("10.5")), Usd(d("-3.255"))]),
            ["$10.50".to_string(), "-$3.26".to_string()]
        );
    }

    #[test]
    fn money_keeps_its_cents() {
        assert_eq!(format_money(d("77376")), "77,376.00");
        assert_eq!(format_money(d("1234.5")), "1,234.50");
        assert_eq!(format_money(d("-0.004")), "0.00");
        assert_eq!(format_money(d("-3.205")), "-3.21");
        assert_eq!(Usd(d("-1234.5")).to_string(), "-$1,234.50");
        assert_eq!(Usd(d("0.005")).to_string(), "$0.01");
    }

    #[test]
    fn one_hour_at_8_kbps_is_3_600_000_bytes() {
        // 8,000 bits/s * 3,600 s / 8 = 3,600,000 bytes.
        let b = Bitrate::from_kbps(d("8")).bytes_over(Seconds(d("3600")));
        assert_eq!(b, Bytes(d("3600000")));
    }

    #[test]
    fn s3_faq_example_counts_100_gb() {
        // The S3 FAQ's example: 107,374,182,400 bytes are billed as 100 GB.
        assert_eq!(Bytes(d("107374182400")).billed_gb(), BilledGb(d("100")));
    }

    #[test]
    fn carrying_inverts_bytes_over() {
        let rate = Bitrate::from_kbps(d("3128"));
        let secs = Seconds(d("540000000"));
        assert_eq!(Bitrate::carrying(rate.bytes_over(secs), secs), rate);
        assert_eq!(
            Bitrate::carrying(Bytes(d("5")), Seconds(d("0"))),
            Bitrate::default()
        );
    }

    #[test]
    fn money_displays_grouped_cents() {
        assert_eq!(Usd(d("1234567.005")).to_string(), "$1,234,567.01");
        assert_eq!(Usd(d("0.004")).to_string(), "$0.00");
        assert_eq!(Usd(d("-12.5")).to_string(), "-$12.50");
        assert_eq!(format_quantity(d("1234.5678"), 2), "1,234.57");
        assert_eq!(format_quantity(d("1000"), 3), "1,000");
    }
}
