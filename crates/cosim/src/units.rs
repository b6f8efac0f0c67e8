//! Unit testbenches: vectors computed with the model's LFSR and fixed-point rules,
//! run through the hand-written testbenches in testbenches/units/.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sampleprop_config::default_polynomial;
use sampleprop_hdl::{primitives_dir, units_dir};
use sampleprop_model::fires;
use sampleprop_model::fixed::{sat, stochastic};
use sampleprop_model::lfsr::Lfsr;

use crate::builder::{self, BuildSpec, Optimization};
use crate::paths::cosim_cache;
use crate::verilator::Verilator;
use crate::CosimError;

/// A unit testbench and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitCase {
    Lfsr { width: u32, mask: u32, seed: u32, draw_bits: u32 },
    Spike { p: u32 },
    Counter { bits: u32 },
    AccLane { acc_bits: u32, w_bits: u32 },
    Update { w_bits: u32, x_bits: u32, shift: i32, r_bits: u32 },
}

impl UnitCase {
    /// Returns the testbench module name, e.g. `tb_lfsr`.
    pub fn unit(&self) -> &'static str {
        match self {
            UnitCase::Lfsr { .. } => "tb_lfsr",
            UnitCase::Spike { .. } => "tb_spike",
            UnitCase::Counter { .. } => "tb_counter",
            UnitCase::AccLane { .. } => "tb_acc_lane",
            UnitCase::Update { .. } => "tb_update",
        }
    }

    /// Returns the `-G` parameter overrides of this case.
    pub fn parameters(&self) -> Vec<(String, String)> {
        let list: Vec<(&str, i64)> = match *self {
            UnitCase::Lfsr { width, mask, seed, draw_bits } => vec![
                ("WIDTH", width as i64),
                ("MASK", mask as i64),
                ("SEED", seed as i64),
                ("DRAW_BITS", draw_bits as i64),
            ],
            UnitCase::Spike { p } => vec![("P", p as i64)],
            UnitCase::Counter { bits } => vec![("BITS", bits as i64)],
            UnitCase::AccLane { acc_bits, w_bits } => vec![("ACC_BITS", acc_bits as i64), ("W_BITS", w_bits as i64)],
            UnitCase::Update { w_bits, x_bits, shift, r_bits } => vec![
                ("W_BITS", w_bits as i64),
                ("X_BITS", x_bits as i64),
                ("SHIFT", shift as i64),
                ("R_BITS", r_bits as i64),
            ],
        };
        list.into_iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
    }

    /// Returns `tb_unit NAME=VALUE ...` for messages.
    pub fn describe(&self) -> String {
        let parameters: Vec<String> = self.parameters().iter().map(|(n, v)| format!("{n}={v}")).collect();
        format!("{} {}", self.unit(), parameters.join(" "))
    }

    /// Computes the vector file of this case with the model's rules.
    pub fn vectors(&self, count: usize, seed: u64) -> String {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut text = String::new();
        match *self {
            UnitCase::Lfsr { width, mask, seed, draw_bits } => {
                let mut lfsr = Lfsr::new(width, mask, seed).expect("unit case uses a valid LFSR");
                for _ in 0..count {
                    line(&mut text, &[lfsr.draw(draw_bits)]);
                }
            }
            UnitCase::Spike { p } => {
                let max = (1u64 << p) - 1;
                let corners = [(0, 0), (0, max), (max, 0), (max, max), (1, 0), (1, 1), (max, max - 1)];
                let random = (0..count).map(|_| (rng.random_range(0..=max), rng.random_range(0..=max)));
                for (probability, draw) in corners.into_iter().chain(random) {
                    line(&mut text, &[probability, draw, fires(probability as u32, draw) as u64]);
                }
            }
            UnitCase::Counter { bits } => {
                // Counters never wrap in the core (C bits count to max(T, T_inf)), so the
                // sequence stops at the largest count.
                let max = (1u64 << bits) - 1;
                let mut value = 0u64;
                for _ in 0..count {
                    let inc = if value == max { 0 } else { rng.random_range(0..=1u64) };
                    value += inc;
                    line(&mut text, &[inc, value]);
                }
            }
            UnitCase::AccLane { acc_bits, w_bits } => {
                let (acc_min, acc_max) = range(acc_bits);
                let (w_min, w_max) = range(w_bits);
                let corners = [(acc_max, w_max), (acc_max, 1), (acc_min, w_min), (acc_min, -1), (acc_max, w_min), (0, 0)];
                let random = (0..count).map(|_| {
                    // Half of the accumulators sit near an end so saturation happens often.
                    let acc = if rng.random::<bool>() {
                        rng.random_range(acc_min..=acc_max)
                    } else if rng.random::<bool>() {
                        acc_max - rng.random_range(0..=w_max)
                    } else {
                        acc_min + rng.random_range(0..=w_max)
                    };
                    (acc, rng.random_range(w_min..=w_max))
                });
                for (acc, weight) in corners.into_iter().chain(random) {
                    let out = sat(acc + weight, acc_bits);
                    line(&mut text, &[twos(acc, acc_bits), twos(weight, w_bits), twos(out, acc_bits)]);
                }
            }
            UnitCase::Update { w_bits, x_bits, shift, r_bits } => {
                let (w_min, w_max) = range(w_bits);
                let (x_min, x_max) = range(x_bits);
                let r_max = (1u64 << r_bits) - 1;
                let corners = [(w_max, x_min, r_max), (w_min, x_max, r_max), (w_min, x_max, 0), (0, -1, 0), (0, -1, r_max), (0, 0, r_max)];
                let random = (0..count).map(|_| {
                    (rng.random_range(w_min..=w_max), rng.random_range(x_min..=x_max), rng.random_range(0..=r_max))
                });
                for (weight, x, r) in corners.into_iter().chain(random) {
                    let result = sat(weight - stochastic(x, shift, r), w_bits);
                    line(&mut text, &[twos(weight, w_bits), twos(x, x_bits), r, twos(result, w_bits)]);
                }
            }
        }
        text
    }
}

/// Returns the signed range of a `bits`-bit two's-complement value.
fn range(bits: u32) -> (i64, i64) {
    (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
}

/// Returns the `bits`-bit two's-complement pattern of `value`.
fn twos(value: i64, bits: u32) -> u64 {
    (value as u64) & ((1u64 << bits) - 1)
}

fn line(text: &mut String, fields: &[u64]) {
    let fields: Vec<String> = fields.iter().map(|f| format!("{f:x}")).collect();
    writeln!(text, "{}", fields.join(" ")).expect("writing to a String cannot fail");
}

/// Returns the unit cases run by default: corners of every width range plus typical values.
pub fn default_unit_cases() -> Vec<UnitCase> {
    let lfsr = |width: u32, draw_bits: u32, seed: u32| UnitCase::Lfsr {
        width,
        mask: default_polynomial(width).expect("width from the legal range"),
        seed,
        draw_bits,
    };
    vec![
        lfsr(4, 1, 0x9),
        lfsr(4, 4, 0x1),
        lfsr(5, 3, 0x1d),
        lfsr(8, 8, 0xe1),
        lfsr(16, 8, 0xace1),
        lfsr(16, 16, 0x3f91),
        lfsr(17, 5, 0x1d87),
        lfsr(24, 12, 0x5a3c),
        UnitCase::Spike { p: 1 },
        UnitCase::Spike { p: 8 },
        UnitCase::Spike { p: 12 },
        UnitCase::Counter { bits: 1 },
        UnitCase::Counter { bits: 5 },
        UnitCase::Counter { bits: 11 },
        UnitCase::AccLane { acc_bits: 2, w_bits: 2 },
        UnitCase::AccLane { acc_bits: 16, w_bits: 8 },
        UnitCase::AccLane { acc_bits: 32, w_bits: 16 },
        UnitCase::Update { w_bits: 8, x_bits: 12, shift: 5, r_bits: 5 },
        UnitCase::Update { w_bits: 8, x_bits: 12, shift: 3, r_bits: 7 },
        UnitCase::Update { w_bits: 8, x_bits: 12, shift: 0, r_bits: 1 },
        UnitCase::Update { w_bits: 8, x_bits: 12, shift: -2, r_bits: 1 },
        UnitCase::Update { w_bits: 2, x_bits: 3, shift: 1, r_bits: 1 },
        UnitCase::Update { w_bits: 16, x_bits: 28, shift: 20, r_bits: 20 },
    ]
}

/// The outcome of one unit case.
#[derive(Debug, Clone)]
pub struct UnitResult {
    pub case: UnitCase,
    pub vectors: usize,
    /// The testbench's PASS line.
    pub pass_line: String,
    pub build_time: Duration,
    pub run_time: Duration,
}

/// Builds and runs every case with `vectors_per_case` random vectors (plus corner cases);
/// fails at the first case whose testbench does not pass.
pub fn run_units(
    cases: &[UnitCase],
    vectors_per_case: usize,
    verilator: &Verilator,
    cache: Option<&Path>,
) -> Result<Vec<UnitResult>, CosimError> {
    cases
        .iter()
        .enumerate()
        .map(|(number, case)| run_unit_vectors(case, &case.vectors(vectors_per_case, number as u64 + 1), verilator, cache))
        .collect()
}

/// Builds the testbench of `case` and runs it on the given vector text.
pub fn run_unit_vectors(
    case: &UnitCase,
    vectors: &str,
    verilator: &Verilator,
    cache: Option<&Path>,
) -> Result<UnitResult, CosimError> {
    let cache = cache.map(Path::to_path_buf).unwrap_or_else(cosim_cache);
    let spec = BuildSpec {
        label: case.describe(),
        group: "units".to_string(),
        top: case.unit().to_string(),
        generated: Vec::new(),
        sources: vec![units_dir().join(format!("{}.v", case.unit()))],
        search_dirs: vec![primitives_dir()],
        parameters: case.parameters(),
        optimization: Optimization::FastBuild,
        vcd_support: false,
    };
    let model = builder::build(verilator, &spec, &cache)?;

    let work = tempfile::Builder::new()
        .prefix("vectors-")
        .tempdir_in(&model.dir)
        .map_err(|e| CosimError::io("create a vector folder in", &model.dir, e))?;
    let vector_path = work.path().join(format!("{}.hex", case.unit()));
    fs::write(&vector_path, vectors).map_err(|e| CosimError::io("write", &vector_path, e))?;
    let output = builder::run(&model, &[format!("+vectors={}", vector_path.display())])?;

    let count = vectors.lines().filter(|l| !l.trim().is_empty()).count();
    let expected = format!("{}: PASS {count} vectors", case.unit());
    let Some(pass_line) = output.stdout.lines().find(|l| l.trim() == expected) else {
        let kept: PathBuf = work.keep();
        let reason = output
            .stdout
            .lines()
            .chain(output.stderr.lines())
            .find(|l| l.contains("MISMATCH") || l.contains("FAIL") || l.contains("PASS") || l.starts_with("%Error"))
            .unwrap_or("no PASS line in its output")
            .trim()
            .to_string();
        return Err(CosimError::UnitMismatch {
            unit: case.unit().to_string(),
            parameters: case.describe(),
            line: format!("{reason} (expected `{expected}`)"),
            vectors: kept.join(vector_path.file_name().expect("file name")),
        });
    };

    Ok(UnitResult {
        case: case.clone(),
        vectors: count,
        pass_line: pass_line.trim().to_string(),
        build_time: model.build_time,
        run_time: output.wall,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_vectors_follow_rule() {
        let case = UnitCase::Update { w_bits: 8, x_bits: 12, shift: 5, r_bits: 5 };
        let text = case.vectors(0, 1);
        // Corner 1: weight 127, x = -2048, r = 31: 127 - asr(-2048 + 31, 5) = 127 + 64 -> saturates at 127.
        assert_eq!(text.lines().next(), Some("7f 800 1f 7f"));
    }

    #[test]
    fn lfsr_vectors_are_draws() {
        let case = UnitCase::Lfsr { width: 4, mask: 0x9, seed: 1, draw_bits: 4 };
        let text = case.vectors(15, 1);
        let draws: Vec<&str> = text.lines().collect();
        assert_eq!(draws.len(), 15);
        let mut lfsr = Lfsr::new(4, 0x9, 1).unwrap();
        assert_eq!(draws[0], format!("{:x}", lfsr.draw(4)));
    }

    #[test]
    fn counter_vectors_never_wrap() {
        let text = UnitCase::Counter { bits: 1 }.vectors(20, 3);
        assert!(text.lines().all(|l| l.ends_with(" 0") || l.ends_with(" 1")), "{text}");
    }
}
