//! One fixed-point format per quantity, with fraction bits stored once.

use serde::Serialize;

/// A two's-complement or unsigned fixed-point format: `bits` wide with `frac` fraction bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QFormat {
    pub bits: u32,
    pub frac: u32,
    pub signed: bool,
}

impl QFormat {
    /// Creates a signed format.
    pub const fn signed(bits: u32, frac: u32) -> QFormat {
        QFormat { bits, frac, signed: true }
    }

    /// Creates an unsigned format.
    pub const fn unsigned(bits: u32, frac: u32) -> QFormat {
        QFormat { bits, frac, signed: false }
    }

    /// Returns the smallest raw value the format holds.
    pub const fn min_raw(&self) -> i64 {
        if self.signed {
            -(1i64 << (self.bits - 1))
        } else {
            0
        }
    }

    /// Returns the largest raw value the format holds.
    pub const fn max_raw(&self) -> i64 {
        if self.signed {
            (1i64 << (self.bits - 1)) - 1
        } else {
            (1i64 << self.bits) - 1
        }
    }

    /// Converts a raw integer to its real value.
    pub fn to_f64(&self, raw: i64) -> f64 {
        raw as f64 / (1u64 << self.frac) as f64
    }

    /// Returns the value of one LSB.
    pub fn lsb(&self) -> f64 {
        1.0 / (1u64 << self.frac) as f64
    }
}
