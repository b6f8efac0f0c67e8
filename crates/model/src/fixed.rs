//! The rounding and saturation rules of the core; no other Rust file applies its own.
//!
//! Every value is a raw two's-complement integer in an `i64`, and the caller passes the
//! width or shift taken from the configuration.

/// Clamps `x` to the signed `bits`-bit range [-2^(bits-1), 2^(bits-1) - 1].
#[inline]
pub fn sat(x: i64, bits: u32) -> i64 {
    debug_assert!((1..=63).contains(&bits), "sat width {bits} outside 1..=63");
    let max = (1i64 << (bits - 1)) - 1;
    let min = -(1i64 << (bits - 1));
    x.clamp(min, max)
}

/// Shifts `x` right arithmetically by `s` bits: floor division by 2^s.
#[inline]
pub fn asr(x: i64, s: u32) -> i64 {
    debug_assert!(s < 64, "shift {s} too large");
    x >> s
}

/// Rounds `x / 2^s` to nearest with ties up; `s = 0` returns `x` unchanged.
#[inline]
pub fn round_nearest(x: i64, s: u32) -> i64 {
    if s == 0 {
        return x;
    }
    asr(x + (1i64 << (s - 1)), s)
}

/// Rounds `x / 2^shift` stochastically with the low `shift` bits of `r`; a shift of zero or
/// less multiplies by 2^-shift instead.
///
/// With `r mod 2^shift` uniform, the expected result is exactly x / 2^shift for either sign of x.
#[inline]
pub fn stochastic(x: i64, shift: i32, r: u64) -> i64 {
    if shift > 0 {
        let s = shift as u32;
        let low = (r & ((1u64 << s) - 1)) as i64;
        asr(x + low, s)
    } else {
        x << (-shift) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sat_clamps_both_ends() {
        for bits in 2..=32u32 {
            let max = (1i64 << (bits - 1)) - 1;
            let min = -(1i64 << (bits - 1));
            assert_eq!(sat(max + 1, bits), max, "bits {bits}");
            assert_eq!(sat(max, bits), max, "bits {bits}");
            assert_eq!(sat(min - 1, bits), min, "bits {bits}");
            assert_eq!(sat(min, bits), min, "bits {bits}");
            assert_eq!(sat(0, bits), 0, "bits {bits}");
            assert_eq!(sat(i64::MAX / 2, bits), max, "bits {bits}");
            assert_eq!(sat(i64::MIN / 2, bits), min, "bits {bits}");
        }
    }

    #[test]
    fn asr_floors_negative_values() {
        assert_eq!(asr(-1, 1), -1);
        assert_eq!(asr(-3, 1), -2);
        assert_eq!(asr(3, 1), 1);
        assert_eq!(asr(-8, 3), -1);
        assert_eq!(asr(-9, 3), -2);
        assert_eq!(asr(5, 0), 5);
    }

    #[test]
    fn round_nearest_ties_up() {
        assert_eq!(round_nearest(1, 1), 1);
        assert_eq!(round_nearest(-1, 1), 0);
        assert_eq!(round_nearest(3, 1), 2);
        assert_eq!(round_nearest(-3, 1), -1);
        assert_eq!(round_nearest(5, 2), 1);
        assert_eq!(round_nearest(6, 2), 2);
        assert_eq!(round_nearest(-6, 2), -1);
        assert_eq!(round_nearest(-7, 2), -2);
        assert_eq!(round_nearest(7, 0), 7);
    }

    #[test]
    fn stochastic_uses_low_bits_only() {
        assert_eq!(stochastic(5, 2, 0), 1);
        assert_eq!(stochastic(5, 2, 3), 2);
        assert_eq!(stochastic(5, 2, 0b1111_1100), 1);
        assert_eq!(stochastic(-5, 2, 0), -2);
        assert_eq!(stochastic(-5, 2, 3), -1);
        assert_eq!(stochastic(0, 5, 31), 0);
    }

    #[test]
    fn stochastic_shifts_left_for_nonpositive_shift() {
        assert_eq!(stochastic(5, 0, 123), 5);
        assert_eq!(stochastic(5, -2, 123), 20);
        assert_eq!(stochastic(-5, -3, 0), -40);
    }

    #[test]
    fn stochastic_is_exact_mean_over_all_low_bits() {
        for x in [-37i64, -16, -1, 0, 1, 7, 37, 100] {
            for s in 1..=5i32 {
                let total: i64 = (0..1u64 << s).map(|r| stochastic(x, s, r)).sum();
                assert_eq!(total, x, "x {x} shift {s}: sum over all r must equal x");
            }
        }
    }
}
