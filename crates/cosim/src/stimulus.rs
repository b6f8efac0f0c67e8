//! Examples fed to both sides of a co-simulation, and the stimulus file of tb_core.
//!
//! Pixels are quantized once, with the data crate's rule, and handed as the
//! same integers to the model and to the RTL.

use std::fmt::Write as _;

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sampleprop_config::Config;
use sampleprop_data::quantize_pixel;

use crate::CosimError;

/// One example: P-bit pixels, a label below O and the train/infer flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub pixels: Vec<u16>,
    pub label: usize,
    pub train: bool,
}

/// Origin of the examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The bundled 8x8 digits (training split), cropped or zero-padded to I pixels, labels taken modulo O.
    Digits,
    /// Pseudo-random pixels and labels from xoshiro256++ with this seed.
    Synthetic { seed: u64 },
    /// Digits when I = 64 and O ≥ 10, synthetic data (seeded by the configuration) otherwise.
    Auto,
}

/// Returns `count` training examples followed by `inference` inference examples.
pub fn examples(config: &Config, source: Source, count: usize, inference: usize) -> Result<Vec<Example>, CosimError> {
    let total = count + inference;
    let network = &config.network;
    let source = match source {
        Source::Auto if network.inputs == 64 && network.outputs >= 10 => Source::Digits,
        Source::Auto => Source::Synthetic { seed: config.seeds.init },
        other => other,
    };

    let mut examples = match source {
        Source::Digits => digits(config, total)?,
        Source::Synthetic { seed } => synthetic(config, total, seed),
        Source::Auto => unreachable!("resolved above"),
    };
    for (index, example) in examples.iter_mut().enumerate() {
        example.train = index < count;
    }
    Ok(examples)
}

/// Takes the first `count` images of the digits' training split (wrapping around when more are needed).
fn digits(config: &Config, count: usize) -> Result<Vec<Example>, CosimError> {
    let set = sampleprop_data::digits()?.train;
    let inputs = config.network.inputs;

    let examples = (0..count)
        .map(|n| {
            let image = set.image(n % set.len());
            let pixels = (0..inputs)
                .map(|i| image.get(i).map_or(0, |&v| quantize_pixel(v, set.max_value, config.widths.pixel)))
                .collect();
            let label = set.labels[n % set.len()] as usize % config.network.outputs;
            Example { pixels, label, train: true }
        })
        .collect();
    Ok(examples)
}

/// Draws examples whose pixels are 0 half of the time and uniform otherwise,
/// so spike counts vary between inputs as they do on real images.
fn synthetic(config: &Config, count: usize, seed: u64) -> Vec<Example> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let levels = 1u32 << config.widths.pixel;
    (0..count)
        .map(|_| {
            let pixels = (0..config.network.inputs)
                .map(|_| if rng.random::<bool>() { 0 } else { rng.random_range(0..levels) as u16 })
                .collect();
            let label = rng.random_range(0..config.network.outputs);
            Example { pixels, label, train: true }
        })
        .collect()
}

/// Writes the tb_core stimulus text: one line `MODE LABEL PIX0 ... PIX(I-1)` per example, in hexadecimal.
pub fn stimulus_text(examples: &[Example]) -> String {
    let mut text = String::new();
    for example in examples {
        write!(text, "{:x} {:x}", example.train as u8, example.label).expect("writing to a String cannot fail");
        for pixel in &example.pixels {
            write!(text, " {pixel:x}").expect("writing to a String cannot fail");
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_quantize_to_pixel_width() {
        let config = Config::default();
        let list = examples(&config, Source::Digits, 3, 2).unwrap();
        assert_eq!(list.len(), 5);
        assert!(list.iter().all(|e| e.pixels.len() == 64));
        assert!(list.iter().flat_map(|e| &e.pixels).all(|&p| p <= 255));
        assert!(list.iter().flat_map(|e| &e.pixels).any(|&p| p == 255), "16 maps to 255");
        assert_eq!(list[0].label, 0, "the first image of the file is a 0");
        assert!(list[2].train);
        assert!(!list[3].train);
    }

    #[test]
    fn synthetic_is_deterministic() {
        let config = Config::from_toml_str("[network]\ninputs = 10\noutputs = 3\n", "test").unwrap();
        let a = examples(&config, Source::Auto, 4, 0).unwrap();
        let b = examples(&config, Source::Auto, 4, 0).unwrap();
        assert_eq!(a, b);
        assert!(a.iter().all(|e| e.pixels.len() == 10 && e.label < 3));
    }

    #[test]
    fn stimulus_line_format() {
        let example = Example { pixels: vec![0, 255, 16], label: 9, train: true };
        assert_eq!(stimulus_text(&[example]), "1 9 0 ff 10\n");
    }
}
