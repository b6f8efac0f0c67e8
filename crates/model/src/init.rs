//! Weight storage in the spec's logical order and the initial weights drawn from `seeds.init`.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sampleprop_config::Config;
use serde::{Deserialize, Serialize};

use crate::error::ModelError;

/// All learned parameters as raw W-bit integers with F_w fraction bits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights {
    /// Hidden weights W_ji, I·H values, index i·H + j (one contiguous row per input).
    pub w: Vec<i32>,
    /// Hidden biases b_j, H values.
    pub b: Vec<i32>,
    /// Output weights V_kj, O·H values, index k·H + j.
    pub v: Vec<i32>,
    /// Output biases c_k, O values.
    pub c: Vec<i32>,
}

impl Weights {
    /// Creates all-zero weights of the configured shape.
    pub fn zeros(config: &Config) -> Weights {
        let n = &config.network;
        Weights {
            w: vec![0; n.inputs * n.hidden],
            b: vec![0; n.hidden],
            v: vec![0; n.outputs * n.hidden],
            c: vec![0; n.outputs],
        }
    }

    /// Checks that every vector has the configured length and every value fits in W bits.
    pub fn validate(&self, config: &Config) -> Result<(), ModelError> {
        let n = &config.network;
        let format = config.weight_format();
        let parts: [(&'static str, &Vec<i32>, usize); 4] = [
            ("w", &self.w, n.inputs * n.hidden),
            ("b", &self.b, n.hidden),
            ("v", &self.v, n.outputs * n.hidden),
            ("c", &self.c, n.outputs),
        ];
        for (what, values, expected) in parts {
            if values.len() != expected {
                return Err(ModelError::Shape {
                    what,
                    got: values.len(),
                    expected,
                });
            }
            let bad = values
                .iter()
                .position(|&x| (x as i64) < format.min_raw() || (x as i64) > format.max_raw());
            if let Some(index) = bad {
                return Err(ModelError::WeightRange {
                    what,
                    index,
                    value: values[index],
                    bits: format.bits,
                    min: format.min_raw(),
                    max: format.max_raw(),
                });
            }
        }
        Ok(())
    }
}

/// Returns the largest initial weight magnitude: floor(2^F_w / sqrt(fan_in)), at most the
/// largest W-bit value.
pub fn init_limit(config: &Config, fan_in: usize) -> i32 {
    let format = config.weight_format();
    let limit = ((1u64 << format.frac) as f64 / (fan_in as f64).sqrt()).floor() as i64;
    limit.min(format.max_raw()) as i32
}

/// Draws the initial weights: xoshiro256++ seeded with `seeds.init` (through its SplitMix64
/// `seed_from_u64`) draws W (i-major, then j), then V (k-major, then j), each uniform over
/// [-lim, lim] with rand's `random_range`. Biases start at 0.
pub fn initial_weights(config: &Config) -> Weights {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(config.seeds.init);
    let mut weights = Weights::zeros(config);

    let hidden_limit = init_limit(config, config.network.inputs);
    for x in weights.w.iter_mut() {
        *x = rng.random_range(-hidden_limit..=hidden_limit);
    }

    let output_limit = init_limit(config, config.network.hidden);
    for x in weights.v.iter_mut() {
        *x = rng.random_range(-output_limit..=output_limit);
    }

    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_weights_stay_within_limit() {
        let config = Config::default();
        let weights = initial_weights(&config);
        weights.validate(&config).unwrap();
        let hidden_limit = init_limit(&config, config.network.inputs);
        assert_eq!(hidden_limit, 8, "2^6 / sqrt(64)");
        assert!(weights.w.iter().all(|x| x.abs() <= hidden_limit));
        assert!(weights.w.contains(&hidden_limit));
        assert!(weights.w.contains(&-hidden_limit));
        assert!(weights.b.iter().all(|&x| x == 0));
        assert!(weights.c.iter().all(|&x| x == 0));
    }

    #[test]
    fn initial_weights_depend_on_seed() {
        let config = Config::default();
        let mut other = config.clone();
        other.seeds.init = 2;
        assert_eq!(initial_weights(&config), initial_weights(&config));
        assert_ne!(initial_weights(&config).w, initial_weights(&other).w);
    }
}
