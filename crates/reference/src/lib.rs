//! Float versions of the learning rule: the sampled rule without quantization
//! and an exact-backprop baseline on the same network, to show what the
//! fixed-point model's quantization costs. It must not depend on the model.

mod exact;
mod sampled;

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sampleprop_config::{Config, Estimator};

/// Learning rule of a [`FloatTrainer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The sampled rule of the core in f64: Bernoulli spikes over T samples,
    /// spike-count errors and the count-based derivative estimate.
    Sampled,
    /// Exact backpropagation of the cross-entropy loss through logistic units, plain SGD.
    Exact,
}

/// Weights and biases of the network in f64.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    /// Hidden weights W_ji at `w[i * hidden + j]` (i-major, as in the core's weight memory).
    pub w: Vec<f64>,
    /// Hidden biases b_j.
    pub b: Vec<f64>,
    /// Output weights V_kj at `v[k * hidden + j]`.
    pub v: Vec<f64>,
    /// Output biases c_k.
    pub c: Vec<f64>,
}

/// Network shape and learning settings taken from the configuration.
#[derive(Debug, Clone)]
struct Settings {
    inputs: usize,
    hidden: usize,
    outputs: usize,
    /// T, samples per training example (sampled engine only).
    samples: u32,
    /// 2^P: a quantized pixel x is the probability x / 2^P.
    pixel_scale: f64,
    /// eta_h = 2^-hidden_shift.
    eta_hidden: f64,
    /// eta_o = 2^-output_shift.
    eta_output: f64,
    estimator: Estimator,
}

/// Online trainer of one engine, with its parameters and its random generator.
#[derive(Debug, Clone)]
pub struct FloatTrainer {
    engine: Engine,
    settings: Settings,
    params: Parameters,
    rng: Xoshiro256PlusPlus,
    scratch: Scratch,
}

/// Buffers reused between examples so that training allocates nothing.
#[derive(Debug, Clone)]
struct Scratch {
    /// Input probabilities x_i / 2^P.
    x: Vec<f64>,
    /// Hidden pre-activations, then (exact engine) activations.
    u: Vec<f64>,
    /// Output pre-activations, then (exact engine) activations.
    v: Vec<f64>,
    /// Input spike counts q_i (sampled engine).
    q: Vec<u32>,
    /// Hidden spike counts n_j (sampled engine).
    n: Vec<u32>,
    /// Output spike counts m_k (sampled engine).
    m: Vec<u32>,
    /// Indices of the inputs that spiked in the current sample.
    active: Vec<usize>,
    /// Hidden spikes of the current sample.
    h: Vec<bool>,
    /// Output errors e_k.
    e: Vec<f64>,
    /// Hidden deltas.
    delta: Vec<f64>,
}

impl FloatTrainer {
    /// Creates a trainer with the configuration's shape, T and learning rates.
    ///
    /// A xoshiro256++ generator seeded with `config.seeds.init` draws W
    /// (i-major, then j) and then V (k-major, then j), uniform in
    /// ±1/sqrt(fan-in); biases start at 0. The same generator then supplies
    /// the spike draws of the sampled engine.
    pub fn new(config: &Config, engine: Engine) -> Self {
        let network = &config.network;
        let settings = Settings {
            inputs: network.inputs,
            hidden: network.hidden,
            outputs: network.outputs,
            samples: config.samples.train,
            pixel_scale: (1u64 << config.widths.pixel) as f64,
            eta_hidden: 0.5f64.powi(config.learning.hidden_shift as i32),
            eta_output: 0.5f64.powi(config.learning.output_shift as i32),
            estimator: config.learning.estimator,
        };

        let (inputs, hidden, outputs) = (settings.inputs, settings.hidden, settings.outputs);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(config.seeds.init);
        let limit_w = 1.0 / (inputs as f64).sqrt();
        let w = (0..inputs * hidden)
            .map(|_| rng.random_range(-limit_w..=limit_w))
            .collect();
        let limit_v = 1.0 / (hidden as f64).sqrt();
        let v = (0..outputs * hidden)
            .map(|_| rng.random_range(-limit_v..=limit_v))
            .collect();
        let params = Parameters {
            w,
            b: vec![0.0; hidden],
            v,
            c: vec![0.0; outputs],
        };

        let scratch = Scratch {
            x: vec![0.0; inputs],
            u: vec![0.0; hidden],
            v: vec![0.0; outputs],
            q: vec![0; inputs],
            n: vec![0; hidden],
            m: vec![0; outputs],
            active: Vec::with_capacity(inputs),
            h: vec![false; hidden],
            e: vec![0.0; outputs],
            delta: vec![0.0; hidden],
        };
        FloatTrainer {
            engine,
            settings,
            params,
            rng,
            scratch,
        }
    }

    /// Returns the engine this trainer runs.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Returns the current weights and biases.
    pub fn parameters(&self) -> &Parameters {
        &self.params
    }

    /// Replaces the weights and biases. Panics if a vector length does not match the shape.
    pub fn set_parameters(&mut self, params: Parameters) {
        let s = &self.settings;
        assert_eq!(
            params.w.len(),
            s.hidden * s.inputs,
            "W must have hidden * inputs entries"
        );
        assert_eq!(
            params.b.len(),
            s.hidden,
            "b must have one entry per hidden neuron"
        );
        assert_eq!(
            params.v.len(),
            s.outputs * s.hidden,
            "V must have outputs * hidden entries"
        );
        assert_eq!(
            params.c.len(),
            s.outputs,
            "c must have one entry per output"
        );
        self.params = params;
    }

    /// Trains on one example and returns the prediction made during training.
    ///
    /// `pixels` are quantized to P bits. The sampled engine predicts
    /// `argmax_k m_k` over its T training samples. The exact engine predicts
    /// the largest output of its deterministic forward pass. Ties go to the
    /// lowest index. Panics if `pixels` does not have `inputs` entries or if
    /// `label` is not below `outputs`.
    pub fn train_example(&mut self, pixels: &[u16], label: usize) -> usize {
        self.check_example(pixels);
        assert!(
            label < self.settings.outputs,
            "label {label} is not below the {} outputs",
            self.settings.outputs
        );
        match self.engine {
            Engine::Sampled => sampled::train(self, pixels, label),
            Engine::Exact => exact::train(self, pixels, label),
        }
    }

    /// Predicts by rate inference: the deterministic forward pass with
    /// probabilities in place of spikes, argmax over the outputs, lowest index on ties.
    pub fn predict(&mut self, pixels: &[u16]) -> usize {
        self.check_example(pixels);
        exact::forward(self, pixels);
        argmax(&self.scratch.v)
    }

    /// Predicts with `samples` spiking forward samples: argmax of the output
    /// spike counts, lowest index on ties. Draws from the trainer's generator.
    pub fn predict_sampled(&mut self, pixels: &[u16], samples: u32) -> usize {
        self.check_example(pixels);
        sampled::forward(self, pixels, samples);
        argmax(&self.scratch.m)
    }

    /// Returns the rate-inference accuracy on `images`, in percent (0 for an empty set).
    pub fn accuracy(&mut self, images: &[Vec<u16>], labels: &[u8]) -> f64 {
        assert_eq!(images.len(), labels.len(), "one label per image");
        if images.is_empty() {
            return 0.0;
        }
        let correct = images
            .iter()
            .zip(labels)
            .filter(|(image, &label)| self.predict(image) == usize::from(label))
            .count();
        100.0 * correct as f64 / images.len() as f64
    }

    fn check_example(&self, pixels: &[u16]) {
        assert_eq!(
            pixels.len(),
            self.settings.inputs,
            "an example must have network.inputs = {} pixels",
            self.settings.inputs
        );
    }

    /// Fills `scratch.x` with the input probabilities x_i / 2^P.
    fn load_inputs(&mut self, pixels: &[u16]) {
        let scale = self.settings.pixel_scale;
        for (x, &pixel) in self.scratch.x.iter_mut().zip(pixels) {
            *x = f64::from(pixel) / scale;
        }
    }
}

/// Computes the logistic function 1 / (1 + e^-z) with `libm::exp`, so results match across machines.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-z))
}

/// Returns the index of the largest value, the lowest index on ties.
fn argmax<T: PartialOrd + Copy>(values: &[T]) -> usize {
    let mut best = 0;
    for (index, &value) in values.iter().enumerate().skip(1) {
        if value > values[best] {
            best = index;
        }
    }
    best
}

#[cfg(test)]
mod tests;
