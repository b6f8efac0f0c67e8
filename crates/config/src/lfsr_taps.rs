//! Default maximal-length feedback polynomials of the Galois LFSRs.

/// LFSR widths the core offers.
pub const LFSR_WIDTHS: std::ops::RangeInclusive<u32> = 4..=24;

/// Galois feedback masks (right-shifting form, x^n term as the top bit), indexed by width.
/// Each one was checked to give period 2^n - 1; `tests` repeats that check.
const MASKS: [u32; 25] = [
    0, 0, 0, 0, 0x9, 0x12, 0x21, 0x41, 0x8E, 0x108, 0x204, 0x402, 0x829, 0x100D, 0x2015, 0x4001,
    0x8016, 0x10004, 0x20040, 0x40023, 0x80004, 0x100002, 0x200001, 0x400010, 0x80000D,
];

/// Returns the default feedback mask for an LFSR of `width` bits.
pub fn default_polynomial(width: u32) -> Option<u32> {
    if LFSR_WIDTHS.contains(&width) {
        Some(MASKS[width as usize])
    } else {
        None
    }
}

/// Returns true when `mask` drives a `width`-bit Galois LFSR through all 2^width - 1 non-zero states.
pub fn is_maximal_length(width: u32, mask: u32) -> bool {
    if !LFSR_WIDTHS.contains(&width) || mask >> (width - 1) != 1 {
        return false;
    }
    let period = (1u64 << width) - 1;
    let mut state = 1u32;
    for step in 1..=period {
        state = if state & 1 == 1 { (state >> 1) ^ mask } else { state >> 1 };
        if state == 1 {
            return step == period;
        }
    }
    false
}
