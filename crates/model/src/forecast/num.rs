//! The numbers a forecast's driver paths are computed in: exact decimals for the
//! deterministic path, `f64` for the Monte Carlo paths. One generic function serves both, so
//! the way drivers move is written once.

use std::ops::{Add, Div, Mul, Sub};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

pub trait Num:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
{
    fn of(d: Decimal) -> Self;
    fn zero() -> Self;
    fn one() -> Self;
    fn is_zero(self) -> bool {
        self == Self::zero()
    }
    /// `self`, or 0 when negative.
    fn at_least_zero(self) -> Self {
        if self < Self::zero() {
            Self::zero()
        } else {
            self
        }
    }
    /// `self`, or `max` when above it.
    fn at_most(self, max: Self) -> Self {
        if self > max { max } else { self }
    }
}

impl Num for Decimal {
    fn of(d: Decimal) -> Self {
        d
    }
    fn zero() -> Self {
        Decimal::ZERO
    }
    fn one() -> Self {
        Decimal::ONE
    }
}

impl Num for f64 {
    fn of(d: Decimal) -> Self {
        d.to_f64().unwrap_or(0.0)
    }
    fn zero() -> Self {
        0.0
    }
    fn one() -> Self {
        1.0
    }
}
