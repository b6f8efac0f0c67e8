//! LFSR period and fast-path checks for every offered width.

use sampleprop_config::{default_polynomial, LFSR_WIDTHS};
use sampleprop_model::lfsr::{Advance, Lfsr};

/// Returns the distinct prime factors of `x`.
fn prime_factors(mut x: u64) -> Vec<u64> {
    let mut factors = Vec::new();
    let mut p = 2;
    while p * p <= x {
        if x % p == 0 {
            factors.push(p);
            while x % p == 0 {
                x /= p;
            }
        }
        p += 1;
    }
    if x > 1 {
        factors.push(x);
    }
    factors
}

#[test]
fn every_width_has_full_period_by_steps() {
    for width in LFSR_WIDTHS {
        let mask = default_polynomial(width).unwrap();
        let mut slow = Lfsr::new(width, mask, 1).unwrap();
        let mut fast = slow;
        let one_step = Advance::new(width, mask, 1);
        let period = (1u64 << width) - 1;

        let mut steps = 0u64;
        loop {
            slow.step();
            fast.draw_with(&one_step, 1);
            steps += 1;
            assert_eq!(
                fast.state(),
                slow.state(),
                "width {width}: table step differs at step {steps}"
            );
            if slow.state() == 1 || steps > period {
                break;
            }
        }
        assert_eq!(steps, period, "width {width}: period");
    }
}

#[test]
fn every_width_has_full_period_by_jumps() {
    // The state returns to the seed after 2^n - 1 steps and after no proper divisor of it,
    // so the step map has order exactly 2^n - 1 on the non-zero states.
    for width in LFSR_WIDTHS {
        let mask = default_polynomial(width).unwrap();
        let period = (1u64 << width) - 1;
        let mut lfsr = Lfsr::new(width, mask, 1).unwrap();
        lfsr.jump(period);
        assert_eq!(lfsr.state(), 1, "width {width}: jump by the period");

        for p in prime_factors(period) {
            let mut lfsr = Lfsr::new(width, mask, 1).unwrap();
            lfsr.jump(period / p);
            assert_ne!(
                lfsr.state(),
                1,
                "width {width}: returned after {} steps",
                period / p
            );
        }
    }
}

#[test]
fn table_draws_match_step_draws() {
    for width in LFSR_WIDTHS {
        let mask = default_polynomial(width).unwrap();
        for bits in [1u32, 4, width.min(8), width.min(11), width] {
            let advance = Advance::new(width, mask, bits as u64);
            let mut slow = Lfsr::new(width, mask, 0x5 & ((1 << width) - 1)).unwrap();
            let mut fast = slow;
            for draw in 0..5000 {
                let expected = slow.draw(bits);
                assert_eq!(
                    fast.draw_with(&advance, bits),
                    expected,
                    "width {width} bits {bits} draw {draw}"
                );
                assert!(expected < 1u64 << bits);
            }
        }
    }
}

#[test]
fn filled_draws_match_step_draws() {
    for width in LFSR_WIDTHS {
        let mask = default_polynomial(width).unwrap();
        for bits in [1u32, width.min(8), width] {
            let one = Advance::new(width, mask, bits as u64);
            let two = Advance::new(width, mask, 2 * bits as u64);
            let mut slow = Lfsr::new(width, mask, 0x9 & ((1 << width) - 1)).unwrap();
            let mut fast = slow;
            for count in [1usize, 2, 7, 64, 785] {
                let expected: Vec<u64> = (0..count).map(|_| slow.draw(bits)).collect();
                let mut out = vec![0; count];
                fast.fill_draws(&one, &two, bits, &mut out);
                assert_eq!(out, expected, "width {width} bits {bits} count {count}");
                assert_eq!(
                    fast.state(),
                    slow.state(),
                    "width {width} bits {bits} count {count}"
                );
            }
        }
    }
}

#[test]
fn jump_by_draws_matches_drawing() {
    for width in [8u32, 16, 24] {
        let mask = default_polynomial(width).unwrap();
        let mut slow = Lfsr::new(width, mask, 0x3).unwrap();
        let mut fast = slow;
        let draws = 12_345u64;
        for _ in 0..draws {
            slow.draw(7);
        }
        fast.jump_draws(draws, 7);
        assert_eq!(fast.state(), slow.state(), "width {width}");
    }
}
