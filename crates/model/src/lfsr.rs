//! Galois LFSRs that shift right, with a table-driven way to advance many steps at once.
//!
//! One step is `s = (s >> 1) ^ (s & 1 ? mask : 0)`, a linear map over GF(2). Advancing d
//! steps is the d-th power of that map; [`Advance`] stores it as one lookup table per
//! state byte, so a draw of d bits costs a few table reads instead of d steps.

use serde::{Deserialize, Serialize};

use crate::error::ModelError;

/// A Galois LFSR of `width` bits with feedback `mask` (x^n term as its top bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lfsr {
    width: u32,
    mask: u32,
    state: u32,
}

impl Lfsr {
    /// Creates a register loaded with `seed`.
    ///
    /// The width must lie in 1..=32, the mask must have bit `width - 1` set and fit in
    /// `width` bits, and the seed must be non-zero and fit in `width` bits.
    pub fn new(width: u32, mask: u32, seed: u32) -> Result<Lfsr, ModelError> {
        let invalid = |rule, fix| {
            Err(ModelError::Lfsr {
                width,
                mask,
                seed,
                rule,
                fix,
            })
        };
        if !(1..=32).contains(&width) {
            return invalid("the width must lie in 1..=32", "pick a width from 4 to 24");
        }
        let limit = if width == 32 {
            u32::MAX
        } else {
            (1u32 << width) - 1
        };
        if mask > limit || (mask >> (width - 1)) & 1 != 1 {
            return invalid(
                "the mask must fit in the width and have its top bit (the x^n term) set",
                "use config::default_polynomial(width)",
            );
        }
        if seed == 0 || seed > limit {
            return invalid(
                "the seed must be non-zero and fit in the width, because state 0 never leaves 0",
                "pick a seed from 1 to 2^width - 1",
            );
        }
        Ok(Lfsr {
            width,
            mask,
            state: seed,
        })
    }

    /// Returns the register width in bits.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Returns the feedback mask.
    pub fn mask(&self) -> u32 {
        self.mask
    }

    /// Returns the current state.
    pub fn state(&self) -> u32 {
        self.state
    }

    /// Loads a new state; it must be non-zero and fit in the width for the stream to run.
    pub fn set_state(&mut self, state: u32) {
        debug_assert!(state != 0, "LFSR state 0 is a fixed point");
        self.state = state;
    }

    /// Advances the register one step.
    #[inline]
    pub fn step(&mut self) {
        self.state = step_state(self.state, self.mask);
    }

    /// Advances `bits` steps one at a time and returns the low `bits` bits of the new state.
    pub fn draw(&mut self, bits: u32) -> u64 {
        for _ in 0..bits {
            self.step();
        }
        low_bits(self.state, bits)
    }

    /// Advances by the steps that `advance` was built for and returns the low `bits` bits.
    ///
    /// Equal to `draw(bits)` when `advance` was built for `bits` steps.
    #[inline]
    pub fn draw_with(&mut self, advance: &Advance, bits: u32) -> u64 {
        self.state = advance.apply(self.state);
        low_bits(self.state, bits)
    }

    /// Fills `out` with consecutive draws of `bits` bits, equal to calling
    /// `draw_with(one, bits)` once per element.
    ///
    /// Two interleaved chains, each advanced by `two` (twice the steps of `one`), let the
    /// table reads of neighbouring draws overlap.
    pub fn fill_draws(&mut self, one: &Advance, two: &Advance, bits: u32, out: &mut [u64]) {
        debug_assert_eq!(
            two.steps(),
            2 * one.steps(),
            "`two` must advance twice as far as `one`"
        );
        // Only the tables of bytes inside the width are read, so narrow registers pay less.
        match self.width.div_ceil(8) {
            1 => self.fill_draws_bytes::<1>(one, two, bits, out),
            2 => self.fill_draws_bytes::<2>(one, two, bits, out),
            3 => self.fill_draws_bytes::<3>(one, two, bits, out),
            _ => self.fill_draws_bytes::<4>(one, two, bits, out),
        }
    }

    #[inline(always)]
    fn fill_draws_bytes<const BYTES: usize>(
        &mut self,
        one: &Advance,
        two: &Advance,
        bits: u32,
        out: &mut [u64],
    ) {
        let mask = (1u64 << bits) - 1;
        let mut odd = one.apply_bytes::<BYTES>(self.state);
        let mut even = two.apply_bytes::<BYTES>(self.state);
        let mut last = self.state;

        let mut pairs = out.chunks_exact_mut(2);
        for pair in &mut pairs {
            pair[0] = odd as u64 & mask;
            pair[1] = even as u64 & mask;
            last = even;
            odd = two.apply_bytes::<BYTES>(odd);
            even = two.apply_bytes::<BYTES>(even);
        }
        if let [tail] = pairs.into_remainder() {
            *tail = odd as u64 & mask;
            last = odd;
        }
        self.state = last;
    }

    /// Advances the register past `draws` draws of `bits` bits each.
    pub fn jump_draws(&mut self, draws: u64, bits: u32) {
        self.jump(draws * bits as u64);
    }

    /// Advances the register by `steps` steps in O(width^2 log steps) time.
    pub fn jump(&mut self, steps: u64) {
        self.state = Matrix::step_power(self.width, self.mask, steps).apply(self.state);
    }
}

#[inline]
fn step_state(state: u32, mask: u32) -> u32 {
    (state >> 1) ^ (mask & (state & 1).wrapping_neg())
}

#[inline]
fn low_bits(state: u32, bits: u32) -> u64 {
    (state as u64) & ((1u64 << bits) - 1)
}

/// A fixed number of LFSR steps stored as byte lookup tables of the GF(2)-linear step map.
#[derive(Debug, Clone)]
pub struct Advance {
    /// Table b maps byte b of the state to its contribution to the advanced state; the
    /// tables of bytes above the width are all zero.
    tables: Box<[[u32; 256]; 4]>,
    steps: u64,
}

impl Advance {
    /// Builds the tables for advancing a `width`-bit register with `mask` by `steps` steps.
    pub fn new(width: u32, mask: u32, steps: u64) -> Advance {
        let matrix = Matrix::step_power(width, mask, steps);
        let mut tables = Box::new([[0u32; 256]; 4]);
        for (byte, table) in tables.iter_mut().enumerate() {
            for value in 1..256usize {
                let low = value & (value - 1);
                let bit = (value ^ low).trailing_zeros() as usize + 8 * byte;
                let column = matrix.columns.get(bit).copied().unwrap_or(0);
                table[value] = table[low] ^ column;
            }
        }
        Advance { tables, steps }
    }

    /// Returns the number of steps this map advances.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Returns the state reached from `state`, reading only the tables of its low `BYTES`
    /// bytes. The caller guarantees that the higher bytes of `state` are zero.
    #[inline(always)]
    fn apply_bytes<const BYTES: usize>(&self, state: u32) -> u32 {
        let mut next = 0;
        for byte in 0..BYTES {
            next ^= self.tables[byte][((state >> (8 * byte)) & 0xff) as usize];
        }
        next
    }

    /// Returns the state reached from `state` after the stored number of steps.
    #[inline]
    pub fn apply(&self, state: u32) -> u32 {
        let t = &self.tables;
        t[0][(state & 0xff) as usize]
            ^ t[1][((state >> 8) & 0xff) as usize]
            ^ t[2][((state >> 16) & 0xff) as usize]
            ^ t[3][(state >> 24) as usize]
    }
}

/// A linear map on `width`-bit states; column b is the image of the state with only bit b set.
#[derive(Debug, Clone)]
struct Matrix {
    columns: Vec<u32>,
}

impl Matrix {
    fn identity(width: u32) -> Matrix {
        Matrix {
            columns: (0..width).map(|b| 1u32 << b).collect(),
        }
    }

    fn step(width: u32, mask: u32) -> Matrix {
        Matrix {
            columns: (0..width).map(|b| step_state(1u32 << b, mask)).collect(),
        }
    }

    fn apply(&self, state: u32) -> u32 {
        let mut out = 0;
        let mut rest = state;
        while rest != 0 {
            let bit = rest.trailing_zeros() as usize;
            out ^= self.columns[bit];
            rest &= rest - 1;
        }
        out
    }

    /// Returns the map `self` after `first`: x -> self(first(x)).
    fn after(&self, first: &Matrix) -> Matrix {
        Matrix {
            columns: first.columns.iter().map(|&c| self.apply(c)).collect(),
        }
    }

    /// Returns the step map raised to the power `steps`, by repeated squaring.
    fn step_power(width: u32, mask: u32, steps: u64) -> Matrix {
        let mut result = Matrix::identity(width);
        let mut square = Matrix::step(width, mask);
        let mut rest = steps;
        while rest != 0 {
            if rest & 1 == 1 {
                result = square.after(&result);
            }
            square = square.after(&square);
            rest >>= 1;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_rejects_zero_seed() {
        assert!(Lfsr::new(16, 0x8016, 0).is_err());
        assert!(Lfsr::new(16, 0x8016, 0x1_0000).is_err());
        assert!(Lfsr::new(16, 0x0016, 1).is_err());
        assert!(Lfsr::new(16, 0x8016, 1).is_ok());
    }

    #[test]
    fn advance_matches_steps() {
        let mut slow = Lfsr::new(16, 0x8016, 0xACE1).unwrap();
        let mut fast = slow;
        for bits in [1u32, 3, 8, 11, 16] {
            let advance = Advance::new(16, 0x8016, bits as u64);
            for _ in 0..1000 {
                assert_eq!(
                    fast.draw_with(&advance, bits),
                    slow.draw(bits),
                    "bits {bits}"
                );
                assert_eq!(fast.state(), slow.state());
            }
        }
    }

    #[test]
    fn fill_draws_matches_single_draws() {
        for count in [0usize, 1, 2, 3, 10, 65] {
            let one = Advance::new(16, 0x8016, 8);
            let two = Advance::new(16, 0x8016, 16);
            let mut single = Lfsr::new(16, 0x8016, 0xACE1).unwrap();
            let mut filled = single;
            let expected: Vec<u64> = (0..count).map(|_| single.draw(8)).collect();
            let mut out = vec![0; count];
            filled.fill_draws(&one, &two, 8, &mut out);
            assert_eq!(out, expected, "{count} draws");
            assert_eq!(filled.state(), single.state(), "state after {count} draws");
        }
    }

    #[test]
    fn jump_matches_steps() {
        for steps in [0u64, 1, 2, 7, 100, 12345] {
            let mut slow = Lfsr::new(20, 0x80004, 0x1234).unwrap();
            let mut fast = slow;
            for _ in 0..steps {
                slow.step();
            }
            fast.jump(steps);
            assert_eq!(fast.state(), slow.state(), "steps {steps}");
        }
    }
}
