//! The configuration as written in TOML, and its validation into [`Config`].
//!
//! Every number is read as a TOML integer (i64) so that a negative or huge
//! value reaches validation and gets a message naming its key, instead of a
//! serde type error.

use serde::Deserialize;

use crate::{
    bits_to_count, default_polynomial, is_maximal_length, Config, ConfigError, Estimator, Hardware,
    Learning, Lfsr, Network, Samples, Seeds, Stream, Widths, LFSR_WIDTHS,
};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    network: RawNetwork,
    #[serde(default)]
    samples: RawSamples,
    #[serde(default)]
    widths: RawWidths,
    #[serde(default)]
    lfsr: RawLfsr,
    #[serde(default)]
    learning: RawLearning,
    #[serde(default)]
    hardware: RawHardware,
    #[serde(default)]
    seeds: RawSeeds,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    inputs: Option<i64>,
    hidden: Option<i64>,
    outputs: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSamples {
    train: Option<i64>,
    inference: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWidths {
    pixel: Option<i64>,
    weight: Option<i64>,
    weight_integer: Option<i64>,
    accumulator: Option<i64>,
    error: Option<i64>,
    sigmoid_index: Option<i64>,
    sigmoid_range: Option<i64>,
    counter: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStream {
    seed: Option<i64>,
    polynomial: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLfsr {
    width: Option<i64>,
    #[serde(default)]
    input: RawStream,
    #[serde(default)]
    hidden: RawStream,
    #[serde(default)]
    output: RawStream,
    #[serde(default)]
    rounding: RawStream,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLearning {
    hidden_shift: Option<i64>,
    output_shift: Option<i64>,
    estimator: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHardware {
    lanes: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSeeds {
    init: Option<i64>,
}

/// Default LFSR seeds of the input, hidden, output and rounding streams.
const DEFAULT_SEEDS: [u32; 4] = [0xACE1, 0x1D87, 0x5A3C, 0x3F91];

/// Builds [`ConfigError::Invalid`] values that all name the same origin.
struct Checker<'a> {
    origin: &'a str,
}

impl Checker<'_> {
    fn invalid(&self, key: &str, value: impl ToString, rule: &str, fix: &str) -> ConfigError {
        ConfigError::Invalid {
            origin: self.origin.to_string(),
            key: key.to_string(),
            value: value.to_string(),
            rule: rule.to_string(),
            fix: fix.to_string(),
        }
    }

    /// Returns `value` (or `default`) when it lies in `lo..=hi`.
    fn range(&self, key: &str, value: Option<i64>, default: i64, lo: i64, hi: i64) -> Result<i64, ConfigError> {
        let v = value.unwrap_or(default);
        if v < lo || v > hi {
            return Err(self.invalid(
                key,
                v,
                &format!("it must lie in {lo}..={hi}"),
                &format!("set {key} to a value from {lo} to {hi}"),
            ));
        }
        Ok(v)
    }

    /// Returns a power of two in `lo..=hi`.
    fn power_of_two(&self, key: &str, value: Option<i64>, default: i64, lo: i64, hi: i64) -> Result<u32, ConfigError> {
        let v = value.unwrap_or(default);
        if v < lo || v > hi || (v as u64).count_ones() != 1 {
            let below = if v > 1 { 1i64 << (63 - (v as u64).leading_zeros()) } else { lo };
            return Err(self.invalid(
                key,
                v,
                &format!("a sample budget must be a power of two from {lo} to {hi}, so that dividing by it is a shift"),
                &format!("use a power of two such as {}", below.clamp(lo, hi)),
            ));
        }
        Ok(v as u32)
    }

    fn stream(&self, name: &str, raw: &RawStream, width: u32, default_seed: u32) -> Result<Stream, ConfigError> {
        let max = (1i64 << width) - 1;
        let seed_key = format!("lfsr.{name}.seed");
        let seed = raw.seed.unwrap_or((default_seed as i64) & max);
        if seed < 1 || seed > max {
            return Err(self.invalid(
                &seed_key,
                seed,
                &format!("an LFSR seed must be a non-zero {width}-bit value, because the all-zero state never leaves zero"),
                &format!("use a value from 1 to {max}"),
            ));
        }

        let poly_key = format!("lfsr.{name}.polynomial");
        let default_poly = default_polynomial(width).expect("width validated") as i64;
        let polynomial = raw.polynomial.unwrap_or(default_poly);
        if polynomial < 0 || polynomial > max || !is_maximal_length(width, polynomial as u32) {
            return Err(self.invalid(
                &poly_key,
                format!("{polynomial:#x}"),
                &format!("the Galois feedback mask must give a maximal-length {width}-bit LFSR (period 2^{width} - 1)"),
                &format!("omit the key to use the default {default_poly:#x}, or pick a mask from a maximal-length tap table"),
            ));
        }

        Ok(Stream { seed: seed as u32, polynomial: polynomial as u32 })
    }
}

/// Parses TOML text and validates every key.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| syntax_error(text, origin, &e))?;
    validate(&raw, origin)
}

/// Returns the TOML text with each `section.key=VALUE` override written into it.
///
/// VALUE is parsed as a TOML value, so `4`, `"plugin"` and `0x2d` all work. Unknown keys
/// and out-of-range values are left for `parse`, which reports them like any file key.
pub(crate) fn apply_overrides(text: &str, origin: &str, overrides: &[String]) -> Result<String, ConfigError> {
    let mut document: toml::Table = toml::from_str(text).map_err(|e| syntax_error(text, origin, &e))?;

    for assignment in overrides {
        let failure = |rule: &str, fix: &str| ConfigError::Override {
            assignment: assignment.clone(),
            rule: rule.to_string(),
            fix: fix.to_string(),
        };
        let (key, value) = assignment
            .split_once('=')
            .ok_or_else(|| failure("an override needs '='", "write it as KEY=VALUE, such as hardware.lanes=8"))?;
        let path: Vec<&str> = key.trim().split('.').collect();
        if path.len() < 2 || path.iter().any(|part| part.is_empty()) {
            let fix = match section_of(key.trim()) {
                Some(section) => format!("write it as section.key, here {section}.{}", key.trim()),
                None => "write it as section.key, such as widths.weight (docs/configuration.md lists every key)"
                    .to_string(),
            };
            return Err(failure("the key must name a section and a key", &fix));
        }
        let value: toml::Value = toml::from_str::<toml::Table>(&format!("v = {}", value.trim()))
            .ok()
            .and_then(|mut table| table.remove("v"))
            .ok_or_else(|| {
                failure(
                    &format!("{} is not a TOML value", value.trim()),
                    "write the value as in a configuration file: a number such as 8, or a quoted string \
                     such as \"plugin\" for the keys that take a name",
                )
            })?;

        let (name, sections) = path.split_last().expect("the path has at least two parts");
        let mut table = &mut document;
        for section in sections {
            table = table
                .entry(section.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .ok_or_else(|| {
                    failure(
                        &format!("{section} is a value, not a section"),
                        "name a key inside a section, such as network.hidden",
                    )
                })?;
        }
        table.insert(name.to_string(), value);
    }
    Ok(toml::to_string(&document).expect("a TOML table serializes"))
}

/// Returns the section that contains a key named `name` in the full configuration, if any.
fn section_of(name: &str) -> Option<String> {
    let full: toml::Table = toml::from_str(&crate::Config::default().to_toml()).ok()?;
    full.iter().find_map(|(section, value)| {
        let table = value.as_table()?;
        table.contains_key(name).then(|| section.clone())
    })
}

/// Returns the override that a parse error message is about: the one whose key or value the
/// message quotes, or all of them when none matches.
pub(crate) fn override_in_message(overrides: &[String], message: &str) -> String {
    let quoted = |text: &str| !text.is_empty() && (message.contains(&format!("`{text}`")) || message.contains(&format!("'{text}'")));
    overrides
        .iter()
        .find(|assignment| {
            let (key, value) = assignment.split_once('=').unwrap_or((assignment, ""));
            let name = key.trim().rsplit('.').next().unwrap_or_default();
            quoted(name) || quoted(value.trim())
        })
        .cloned()
        .unwrap_or_else(|| overrides.join(" --set "))
}

fn syntax_error(text: &str, origin: &str, error: &toml::de::Error) -> ConfigError {
    let (line, column) = match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = span.start - before.rfind('\n').map_or(0, |p| p + 1) + 1;
            (line, column)
        }
        None => (0, 0),
    };
    // serde names Rust types, but a user writes TOML, so the message names the TOML kinds.
    let message = error
        .message()
        .trim()
        .replace('\n', " ")
        .replace("expected i64", "expected an integer")
        .replace("expected u32", "expected an integer")
        .replace("expected f64", "expected a number");
    let fix = if message.starts_with("unknown field") {
        "remove the key or correct its spelling (docs/configuration.md lists every key)"
    } else {
        "correct the value's type or the TOML syntax (docs/configuration.md lists every key)"
    };
    ConfigError::Syntax { origin: origin.to_string(), line, column, message, fix: fix.to_string() }
}

fn validate(raw: &RawConfig, origin: &str) -> Result<Config, ConfigError> {
    let c = Checker { origin };

    let network = Network {
        inputs: c.range("network.inputs", raw.network.inputs, 64, 1, 4096)? as usize,
        hidden: c.range("network.hidden", raw.network.hidden, 128, 1, 1024)? as usize,
        outputs: c.range("network.outputs", raw.network.outputs, 10, 2, 64)? as usize,
    };

    let samples = Samples {
        train: c.power_of_two("samples.train", raw.samples.train, 16, 2, 1024)?,
        inference: c.power_of_two("samples.inference", raw.samples.inference, 32, 1, 1024)?,
    };

    let pixel = c.range("widths.pixel", raw.widths.pixel, 8, 1, 12)? as u32;
    let weight = c.range("widths.weight", raw.widths.weight, 8, 2, 16)? as u32;
    let weight_integer = c.range(
        "widths.weight_integer",
        raw.widths.weight_integer,
        1,
        0,
        weight as i64 - 1,
    )? as u32;
    let accumulator = c.range("widths.accumulator", raw.widths.accumulator, 16, 2, 32)? as u32;
    if accumulator < weight {
        return Err(c.invalid(
            "widths.accumulator",
            accumulator,
            &format!("an accumulator must be at least as wide as a weight ({weight} bits)"),
            &format!("set widths.accumulator to {weight} or more"),
        ));
    }
    let error = c.range("widths.error", raw.widths.error, 12, 3, 16)? as u32;
    let sigmoid_range = c.range("widths.sigmoid_range", raw.widths.sigmoid_range, 3, 0, 5)? as u32;
    let weight_frac = weight - 1 - weight_integer;

    // The default table has 256 entries, fewer when the accumulator has too few fraction bits to address them.
    let index_default = 8.min(weight_frac + sigmoid_range + 1).max(2);
    let sigmoid_index =
        c.range("widths.sigmoid_index", raw.widths.sigmoid_index, index_default as i64, 2, 12)? as u32;
    if weight_frac + sigmoid_range + 1 < sigmoid_index {
        return Err(c.invalid(
            "widths.sigmoid_index",
            sigmoid_index,
            &format!(
                "the table index is the accumulator shifted right, so it cannot have more than \
                 weight fraction bits + sigmoid_range + 1 = {} bits",
                weight_frac + sigmoid_range + 1
            ),
            &format!("set widths.sigmoid_index to {} or less", weight_frac + sigmoid_range + 1),
        ));
    }

    let needed = bits_to_count(samples.train.max(samples.inference) as u64);
    let counter = c.range("widths.counter", raw.widths.counter, needed as i64, 1, 16)? as u32;
    if counter < needed {
        return Err(c.invalid(
            "widths.counter",
            counter,
            &format!(
                "a spike counter must count to max(T, T_inf) = {} and so needs {needed} bits",
                samples.train.max(samples.inference)
            ),
            &format!("set widths.counter to {needed} or more, or omit it"),
        ));
    }

    let widths = Widths { pixel, weight, weight_integer, accumulator, error, sigmoid_index, sigmoid_range, counter };

    // The default width is 16, or wider when a spike draw (P bits) or a rounding draw (the largest
    // update shift) needs more. The learning-rate shifts are read here because that shift uses them.
    let hidden_shift = c.range("learning.hidden_shift", raw.learning.hidden_shift, 4, 0, 16)? as i64;
    let output_shift = c.range("learning.output_shift", raw.learning.output_shift, 4, 0, 16)? as i64;
    let largest_shift = (error as i64 - 2) + samples.train.trailing_zeros() as i64 + hidden_shift.max(output_shift)
        - weight_frac as i64;
    let width_default = 16i64.max(pixel as i64).max(largest_shift).min(*LFSR_WIDTHS.end() as i64);
    let lfsr_width = c.range(
        "lfsr.width",
        raw.lfsr.width,
        width_default,
        *LFSR_WIDTHS.start() as i64,
        *LFSR_WIDTHS.end() as i64,
    )? as u32;
    let lfsr = Lfsr {
        width: lfsr_width,
        input: c.stream("input", &raw.lfsr.input, lfsr_width, DEFAULT_SEEDS[0])?,
        hidden: c.stream("hidden", &raw.lfsr.hidden, lfsr_width, DEFAULT_SEEDS[1])?,
        output: c.stream("output", &raw.lfsr.output, lfsr_width, DEFAULT_SEEDS[2])?,
        rounding: c.stream("rounding", &raw.lfsr.rounding, lfsr_width, DEFAULT_SEEDS[3])?,
    };
    let streams = [
        ("input", &lfsr.input),
        ("hidden", &lfsr.hidden),
        ("output", &lfsr.output),
        ("rounding", &lfsr.rounding),
    ];
    for (a, (name_a, sa)) in streams.iter().enumerate() {
        for (name_b, sb) in &streams[a + 1..] {
            if sa == sb {
                return Err(c.invalid(
                    &format!("lfsr.{name_b}.seed"),
                    sb.seed,
                    &format!(
                        "streams {name_a} and {name_b} share seed and polynomial, so their draws \
                         would be identical and every estimate correlated"
                    ),
                    &format!("give lfsr.{name_b}.seed a different value"),
                ));
            }
        }
    }
    if pixel > lfsr_width {
        return Err(c.invalid(
            "lfsr.width",
            lfsr_width,
            &format!("a spike draw takes widths.pixel = {pixel} bits from one LFSR state"),
            &format!("set lfsr.width to {pixel} or more"),
        ));
    }

    let estimator_name = raw.learning.estimator.as_deref().unwrap_or("unbiased");
    let estimator = Estimator::ALL
        .iter()
        .find(|(_, name)| *name == estimator_name)
        .map(|(e, _)| *e)
        .ok_or_else(|| {
            c.invalid(
                "learning.estimator",
                format!("\"{estimator_name}\""),
                "unknown derivative estimator",
                "use \"unbiased\" or \"plugin\"",
            )
        })?;
    let learning = Learning {
        hidden_shift: hidden_shift as u32,
        output_shift: output_shift as u32,
        estimator,
    };

    let lanes = c.range("hardware.lanes", raw.hardware.lanes, 4, 1, 1024)? as usize;
    if network.hidden % lanes != 0 {
        let divisors: Vec<String> = (1..=network.hidden)
            .filter(|d| network.hidden % d == 0)
            .map(|d| d.to_string())
            .collect();
        return Err(c.invalid(
            "hardware.lanes",
            lanes,
            &format!("the lane count must divide network.hidden = {}", network.hidden),
            &format!("use one of {}", divisors.join(", ")),
        ));
    }
    let hardware = Hardware { lanes };

    let init = raw.seeds.init.unwrap_or(1);
    if init < 0 {
        return Err(c.invalid(
            "seeds.init",
            init,
            "a seed must be a non-negative integer",
            &format!("use a value from 0 to {}", i64::MAX),
        ));
    }
    let seeds = Seeds { init: init as u64 };

    let config = Config { network, samples, widths, lfsr, learning, hardware, seeds };

    let rounding = config.update_shifts().max();
    if rounding > lfsr_width as i32 {
        return Err(c.invalid(
            "lfsr.width",
            lfsr_width,
            &format!(
                "a rounding draw needs {rounding} bits (the largest update shift), more than one LFSR state holds"
            ),
            &format!("set lfsr.width to {rounding} or more, or lower the learning-rate shifts"),
        ));
    }

    Ok(config)
}
