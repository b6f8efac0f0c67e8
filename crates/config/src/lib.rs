//! The validated configuration of the learning core and its derived figures.
//!
//! This crate turns a TOML file (or the built-in defaults) into one
//! [`Config`] that the model, the reference, the Verilog generator and the
//! co-simulation all read. It depends on no other sampleprop crate.

mod format;
mod lfsr_taps;
mod raw;
mod tables;

use std::fmt;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use format::QFormat;
pub use lfsr_taps::{default_polynomial, is_maximal_length, LFSR_WIDTHS};

/// Error raised while reading or validating a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key has a value outside its legal range.
    #[error("{origin}: {key} = {value} is invalid: {rule}; {fix}")]
    Invalid {
        origin: String,
        key: String,
        value: String,
        rule: String,
        fix: String,
    },

    /// The file is not valid TOML or has an unknown key or a wrong type.
    #[error("{origin}:{line}:{column}: {message}; {fix}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
        fix: String,
    },

    /// The file could not be read.
    #[error("cannot read configuration {path}: {source}; check the path passed to --config")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A `--set KEY=VALUE` override is malformed.
    #[error("--set {assignment}: {rule}; {fix}")]
    Override {
        assignment: String,
        rule: String,
        fix: String,
    },
}

/// A validated configuration with the TOML text it came from and the name of that source.
#[derive(Debug, Clone)]
pub struct ConfigSource {
    pub text: String,
    pub origin: String,
    pub config: Config,
}

/// Derivative estimator computed from the hidden spike count `n` over `T` samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimator {
    /// `n (T - n) / (T (T - 1))`, an unbiased estimate of p (1 - p).
    Unbiased,
    /// `n (T - n) / T^2`, the plug-in estimate p̂ (1 - p̂), biased low by (T - 1) / T.
    Plugin,
}

impl Estimator {
    /// Every variant with its configuration name.
    pub const ALL: [(Estimator, &'static str); 2] =
        [(Estimator::Unbiased, "unbiased"), (Estimator::Plugin, "plugin")];

    /// Returns the name used in configuration files.
    pub fn name(self) -> &'static str {
        match self {
            Estimator::Unbiased => "unbiased",
            Estimator::Plugin => "plugin",
        }
    }
}

/// Network shape: inputs, hidden neurons and output neurons (one per class).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Network {
    pub inputs: usize,
    pub hidden: usize,
    pub outputs: usize,
}

/// Sample budgets, both powers of two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Samples {
    /// T: samples per training example.
    pub train: u32,
    /// T_inf: samples per inference.
    pub inference: u32,
}

/// Bit widths of every quantity the core stores or computes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Widths {
    /// P: pixel and probability width; spike draws and sigmoid outputs have P bits.
    pub pixel: u32,
    /// W_BITS: signed weight width.
    pub weight: u32,
    /// Integer bits of a weight (excluding the sign): weights lie in [-2^k, 2^k).
    pub weight_integer: u32,
    /// ACC_BITS: signed accumulator width; accumulators share the weights' fraction bits.
    pub accumulator: u32,
    /// E_BITS: signed width of errors e_k and backpropagated deltas; E_BITS - 2 fraction bits.
    pub error: u32,
    /// Address width of the sigmoid lookup table (2^k entries).
    pub sigmoid_index: u32,
    /// The sigmoid table covers pre-activations in [-2^k, 2^k).
    pub sigmoid_range: u32,
    /// Spike counter width; at least ceil(log2(max(T, T_inf) + 1)).
    pub counter: u32,
}

/// Seed and feedback polynomial of one LFSR stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stream {
    pub seed: u32,
    /// Galois feedback mask, including the x^n term as its top bit.
    pub polynomial: u32,
}

/// The four independent LFSR streams and their common width.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lfsr {
    pub width: u32,
    pub input: Stream,
    pub hidden: Stream,
    pub output: Stream,
    pub rounding: Stream,
}

/// Learning rates as right shifts (eta = 2^-shift) and the derivative estimator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Learning {
    pub hidden_shift: u32,
    pub output_shift: u32,
    pub estimator: Estimator,
}

/// Micro-architecture parameters that change cycles but never results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hardware {
    /// L: hidden weights read and accumulated per cycle.
    pub lanes: usize,
}

/// Seeds outside the LFSRs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seeds {
    /// Seed of the xoshiro generator that draws the initial weights.
    pub init: u64,
}

/// The validated configuration: the single source of truth for model, RTL and co-simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    pub network: Network,
    pub samples: Samples,
    pub widths: Widths,
    pub lfsr: Lfsr,
    pub learning: Learning,
    pub hardware: Hardware,
    pub seeds: Seeds,
}

impl Default for Config {
    /// Returns the built-in configuration: a 64-128-10 core for the 8x8 digits.
    fn default() -> Self {
        Config::from_toml_str("", "built-in defaults").expect("built-in defaults are valid")
    }
}

impl Config {
    /// Reads and validates a TOML configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Config::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses and validates TOML text; `origin` names the source in error messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Config, ConfigError> {
        raw::parse(text, origin)
    }

    /// Reads a configuration file (or starts from the defaults when `path` is `None`) and
    /// applies `section.key=VALUE` overrides, VALUE in TOML syntax, before validation.
    ///
    /// The overrides replace keys of the file, so every rule of the file applies to them, and
    /// error messages name the file and the overrides together.
    pub fn load_with_overrides(path: Option<&Path>, overrides: &[String]) -> Result<Config, ConfigError> {
        Ok(Config::load_source(path, overrides)?.config)
    }

    /// Does what `load_with_overrides` does and also returns the TOML text with the overrides
    /// written in, for callers that edit it further (a sweep's base).
    pub fn load_source(path: Option<&Path>, overrides: &[String]) -> Result<ConfigSource, ConfigError> {
        let (text, origin) = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
                (text, path.display().to_string())
            }
            None => (String::new(), "built-in defaults".to_string()),
        };

        // The file alone first, so that its own mistakes are reported at their line.
        let config = Config::from_toml_str(&text, &origin)?;
        if overrides.is_empty() {
            return Ok(ConfigSource { text, origin, config });
        }

        let text = raw::apply_overrides(&text, &origin, overrides)?;
        let origin = format!("{origin} with --set {}", overrides.join(" --set "));
        let config = Config::from_toml_str(&text, &origin).map_err(|error| match error {
            // Positions in the rewritten text mean nothing to the user, so the error names the override.
            ConfigError::Syntax { message, fix, .. } => ConfigError::Override {
                assignment: raw::override_in_message(overrides, &message),
                rule: message,
                fix,
            },
            other => other,
        })?;
        Ok(ConfigSource { text, origin, config })
    }

    /// Serializes the resolved configuration as canonical TOML (every key, fixed order).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("configuration serializes to TOML")
    }

    /// Returns a short hex digest of the canonical TOML; equal digests mean equal configurations.
    pub fn digest(&self) -> String {
        let hash = Sha256::digest(self.to_toml().as_bytes());
        hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// log2(T).
    pub fn train_log2(&self) -> u32 {
        self.samples.train.trailing_zeros()
    }

    /// log2(T_inf).
    pub fn inference_log2(&self) -> u32 {
        self.samples.inference.trailing_zeros()
    }

    /// B = N_H / L: RAM words per row of hidden weights.
    pub fn blocks(&self) -> usize {
        self.network.hidden / self.hardware.lanes
    }

    /// Format of weights and biases.
    pub fn weight_format(&self) -> QFormat {
        QFormat::signed(self.widths.weight, self.widths.weight - 1 - self.widths.weight_integer)
    }

    /// Format of hidden and output accumulators (same fraction bits as the weights).
    pub fn accumulator_format(&self) -> QFormat {
        QFormat::signed(self.widths.accumulator, self.weight_format().frac)
    }

    /// Format of errors e_k and deltas: values in [-2, 2).
    pub fn error_format(&self) -> QFormat {
        QFormat::signed(self.widths.error, self.widths.error - 2)
    }

    /// Format of pixels, spike probabilities and LFSR draws: P bits, all fraction.
    pub fn probability_format(&self) -> QFormat {
        QFormat::unsigned(self.widths.pixel, self.widths.pixel)
    }

    /// Format of the sampled derivative D_j: P fraction bits, values in [0, 1/2].
    pub fn derivative_format(&self) -> QFormat {
        QFormat::unsigned(self.widths.pixel, self.widths.pixel)
    }

    /// Right shift from an accumulator value to a signed sigmoid table index.
    pub fn sigmoid_shift(&self) -> u32 {
        self.weight_format().frac + self.widths.sigmoid_range + 1 - self.widths.sigmoid_index
    }

    /// Update shifts (S_V, S_c, S_b, S_W): the update is `(x + r) >> S` for S > 0, `x << -S` otherwise.
    pub fn update_shifts(&self) -> UpdateShifts {
        let fw = self.weight_format().frac as i32;
        let fe = self.error_format().frac as i32;
        let t = self.train_log2() as i32;
        let so = self.learning.output_shift as i32;
        let sh = self.learning.hidden_shift as i32;
        UpdateShifts {
            output_weight: fe + t + so - fw,
            output_bias: fe + so - fw,
            hidden_bias: fe + sh - fw,
            hidden_weight: fe + t + sh - fw,
        }
    }

    /// Bits in one rounding draw: the largest positive update shift, at least 1.
    pub fn rounding_bits(&self) -> u32 {
        self.update_shifts().max().max(1) as u32
    }

    /// Memory sizes in bits.
    pub fn memory_bits(&self) -> MemoryBits {
        let n = &self.network;
        let w = self.widths.weight as u64;
        MemoryBits {
            hidden_weights: (n.inputs * n.hidden) as u64 * w,
            hidden_biases: n.hidden as u64 * w,
            output_weights: (n.outputs * n.hidden) as u64 * w,
            output_biases: n.outputs as u64 * w,
            pixels: n.inputs as u64 * self.widths.pixel as u64,
            input_counters: n.inputs as u64 * self.widths.counter as u64,
            neuron_state: n.hidden as u64 * self.widths.accumulator.max(self.widths.error) as u64,
            hidden_counters: n.hidden as u64 * self.widths.counter as u64,
        }
    }
}

/// The four update shifts of the learning rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UpdateShifts {
    /// S_V for V_kj -= eta_o e_k n_j / T.
    pub output_weight: i32,
    /// S_c for c_k -= eta_o e_k.
    pub output_bias: i32,
    /// S_b for b_j -= eta_h delta_j.
    pub hidden_bias: i32,
    /// S_W for W_ji -= eta_h delta_j q_i / T.
    pub hidden_weight: i32,
}

impl UpdateShifts {
    /// Returns the largest of the four shifts.
    pub fn max(&self) -> i32 {
        self.output_weight
            .max(self.output_bias)
            .max(self.hidden_bias)
            .max(self.hidden_weight)
    }
}

/// Storage of each memory, in bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MemoryBits {
    pub hidden_weights: u64,
    pub hidden_biases: u64,
    pub output_weights: u64,
    pub output_biases: u64,
    pub pixels: u64,
    pub input_counters: u64,
    /// AMEM: one accumulator, later one delta_j, per hidden neuron.
    pub neuron_state: u64,
    /// NMEM: one spike count per hidden neuron.
    pub hidden_counters: u64,
}

impl MemoryBits {
    /// Returns the sum over all memories.
    pub fn total(&self) -> u64 {
        self.hidden_weights
            + self.hidden_biases
            + self.output_weights
            + self.output_biases
            + self.pixels
            + self.input_counters
            + self.neuron_state
            + self.hidden_counters
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_toml())
    }
}

/// Returns ceil(log2(x + 1)): the bits needed to count from 0 to x.
pub fn bits_to_count(x: u64) -> u32 {
    64 - x.leading_zeros()
}

#[cfg(test)]
mod tests;
