//! The observable per-example trace and its text form, which the RTL testbench writes too.

use std::fmt::{self, Write};

use serde::{Deserialize, Serialize};

/// A controller phase, named as in the trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Load,
    Forward,
    Error,
    Backward,
    Update,
    Done,
}

impl Phase {
    /// Returns the upper-case name used in the trace.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Load => "LOAD",
            Phase::Forward => "FORWARD",
            Phase::Error => "ERROR",
            Phase::Backward => "BACKWARD",
            Phase::Update => "UPDATE",
            Phase::Done => "DONE",
        }
    }
}

/// The layer a spike belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpikeLayer {
    Input,
    Hidden,
    Output,
}

impl SpikeLayer {
    /// Returns the name used in the trace: `in`, `hidden` or `out`.
    pub fn name(self) -> &'static str {
        match self {
            SpikeLayer::Input => "in",
            SpikeLayer::Hidden => "hidden",
            SpikeLayer::Output => "out",
        }
    }
}

/// The memory or register file a write goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Memory {
    W,
    B,
    V,
    C,
}

impl Memory {
    /// Returns the name used in the trace: `W`, `b`, `V` or `c`.
    pub fn name(self) -> &'static str {
        match self {
            Memory::W => "W",
            Memory::B => "b",
            Memory::V => "V",
            Memory::C => "c",
        }
    }
}

/// One line of the event trace; cycles count from the example's first LOAD cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A spike, stamped with the cycle of its decision.
    Spike {
        cycle: u64,
        layer: SpikeLayer,
        index: usize,
    },
    /// A memory word written; `fields` are its lanes or fields from the lowest bits up,
    /// each `field_bits` wide in two's complement.
    Write {
        cycle: u64,
        memory: Memory,
        address: usize,
        fields: Vec<i32>,
        field_bits: u32,
    },
}

impl Event {
    /// Returns the cycle the event is stamped with.
    pub fn cycle(&self) -> u64 {
        match self {
            Event::Spike { cycle, .. } | Event::Write { cycle, .. } => *cycle,
        }
    }
}

/// Everything the trace states about one example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleTrace {
    /// Examples processed by the core before this one.
    pub index: u64,
    pub train: bool,
    pub label: usize,
    /// Last cycle of each phase the example went through, in order.
    pub phase_ends: Vec<(Phase, u64)>,
    /// Input spike counts q_i.
    pub q: Vec<u32>,
    /// Hidden spike counts n_j.
    pub n: Vec<u32>,
    /// Output spike counts m_k.
    pub m: Vec<u32>,
    /// Output errors e_k (F_e fraction bits); empty for inference.
    pub e: Vec<i32>,
    /// Hidden deltas δ_j (F_e fraction bits); empty for inference.
    pub delta: Vec<i32>,
    pub prediction: usize,
    /// FNV-1a digests of W, b, V and c after DONE.
    pub digests: [u64; 4],
    /// Event lines; empty unless the core traces events.
    pub events: Vec<Event>,
}

/// Returns the FNV-1a 64 hash of `values`, each as its `bits`-bit two's-complement pattern
/// zero-extended to 32 bits, little-endian.
pub fn fnv1a_digest(values: &[i32], bits: u32) -> u64 {
    let mask = if bits >= 32 {
        u32::MAX
    } else {
        (1u32 << bits) - 1
    };
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &value in values {
        for byte in ((value as u32) & mask).to_le_bytes() {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// Writes a word of `fields` (each `field_bits` wide, field 0 in the lowest bits) as
/// lower-case hexadecimal with (word bits + 3) / 4 digits.
pub fn write_word_hex(out: &mut impl Write, fields: &[i32], field_bits: u32) -> fmt::Result {
    let total_bits = fields.len() as u32 * field_bits;
    let digits = total_bits.div_ceil(4);
    let bit = |b: u32| -> u32 {
        if b >= total_bits {
            return 0;
        }
        let field = fields[(b / field_bits) as usize] as u32;
        (field >> (b % field_bits)) & 1
    };
    for digit in (0..digits).rev() {
        let nibble = (0..4).fold(0, |acc, k| acc | (bit(4 * digit + k) << k));
        out.write_char(char::from_digit(nibble, 16).expect("a nibble is a hex digit"))?;
    }
    Ok(())
}

const DIGEST_NAMES: [&str; 4] = ["W", "b", "V", "c"];

impl ExampleTrace {
    /// Writes the event lines, then the summary lines, in the line format of the spec.
    pub fn write_text(&self, out: &mut impl Write) -> fmt::Result {
        let e = self.index;

        for event in &self.events {
            match event {
                Event::Spike {
                    cycle,
                    layer,
                    index,
                } => {
                    writeln!(out, "event {e} {cycle} spike {} {index}", layer.name())?;
                }
                Event::Write {
                    cycle,
                    memory,
                    address,
                    fields,
                    field_bits,
                } => {
                    write!(out, "event {e} {cycle} write {} {address} ", memory.name())?;
                    write_word_hex(out, fields, *field_bits)?;
                    out.write_char('\n')?;
                }
            }
        }

        let kind = if self.train { "train" } else { "infer" };
        writeln!(out, "example {e} {kind} label {}", self.label)?;
        for (phase, cycle) in &self.phase_ends {
            writeln!(out, "phase {e} {} {cycle}", phase.name())?;
        }
        write_values(out, e, "count", "q", &self.q)?;
        write_values(out, e, "count", "n", &self.n)?;
        write_values(out, e, "count", "m", &self.m)?;
        if self.train {
            write_values(out, e, "error", "e", &self.e)?;
            write_values(out, e, "error", "delta", &self.delta)?;
        }
        writeln!(out, "pred {e} {}", self.prediction)?;
        for (name, digest) in DIGEST_NAMES.iter().zip(self.digests) {
            writeln!(out, "digest {e} {name} {digest:016x}")?;
        }
        Ok(())
    }
}

fn write_values<T: fmt::Display>(
    out: &mut impl Write,
    example: u64,
    item: &str,
    name: &str,
    values: &[T],
) -> fmt::Result {
    write!(out, "{item} {example} {name}")?;
    for value in values {
        write!(out, " {value}")?;
    }
    out.write_char('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_of_nothing_is_offset_basis() {
        assert_eq!(fnv1a_digest(&[], 8), 0xcbf29ce484222325);
    }

    #[test]
    fn fnv1a_masks_to_width() {
        // FNV-1a 64 of the bytes ff 00 00 00, the 8-bit pattern of -1.
        let mut expected: u64 = 0xcbf29ce484222325;
        for byte in [0xffu64, 0, 0, 0] {
            expected ^= byte;
            expected = expected.wrapping_mul(0x100000001b3);
        }
        assert_eq!(fnv1a_digest(&[-1], 8), expected);
        assert_eq!(fnv1a_digest(&[255], 8), expected);
        assert_ne!(fnv1a_digest(&[-1], 9), expected);
    }

    #[test]
    fn word_hex_packs_fields_from_the_bottom() {
        let mut text = String::new();
        write_word_hex(&mut text, &[1, -1], 8).unwrap();
        assert_eq!(text, "ff01");

        let mut text = String::new();
        write_word_hex(&mut text, &[-1, 0, 1], 6).unwrap();
        assert_eq!(text, "0103f", "18 bits take 5 digits");

        let mut text = String::new();
        write_word_hex(&mut text, &[-2], 3).unwrap();
        assert_eq!(text, "6");
    }
}
