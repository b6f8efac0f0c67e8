//! Lookup tables derived from the configuration, shared by the model and the generator.

use crate::{Config, Estimator};

impl Config {
    /// Returns the sigmoid table: 2^sigmoid_index entries of P-bit firing probabilities.
    ///
    /// Entry a contains the logistic function at the centre of its bin, rounded to
    /// nearest and clamped to [0, 2^P - 1]. `libm::exp` makes it identical on every machine.
    pub fn sigmoid_table(&self) -> Vec<u32> {
        let s = self.widths.sigmoid_index as i32;
        let range = self.widths.sigmoid_range as i32;
        let scale = (1u64 << self.widths.pixel) as f64;
        let max = (1u32 << self.widths.pixel) - 1;
        (0..1i64 << s)
            .map(|a| {
                let u = ((a - (1i64 << (s - 1))) as f64 + 0.5) * libm::exp2((range + 1 - s) as f64);
                let p = libm::floor(scale / (1.0 + libm::exp(-u)) + 0.5);
                (p.max(0.0) as u32).min(max)
            })
            .collect()
    }

    /// Returns the derivative table: T + 1 entries, D[n] with P fraction bits, rounded to nearest.
    pub fn derivative_table(&self) -> Vec<u32> {
        let t = self.samples.train as u64;
        let denominator = match self.learning.estimator {
            Estimator::Unbiased => t * (t - 1),
            Estimator::Plugin => t * t,
        };
        (0..=t)
            .map(|n| {
                let numerator = 2 * n * (t - n) * (1u64 << self.widths.pixel) + denominator;
                (numerator / (2 * denominator)) as u32
            })
            .collect()
    }
}
