//! The learning core (weights, the four LFSR streams and the example counter), driven one
//! example at a time. `evaluate` runs a test set in parallel by LFSR jump-ahead.

use rayon::prelude::*;
use sampleprop_config::Config;
use serde::{Deserialize, Serialize};

use crate::cycles;
use crate::engine::{argmax, Machine, Scratch, Streams};
use crate::error::ModelError;
use crate::init::{initial_weights, Weights};
use crate::trace::{fnv1a_digest, Event, ExampleTrace, Phase};

/// How much of each example the core records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TraceLevel {
    /// No trace. The passes only test whether to record, once per spike and per memory row
    /// or column written.
    #[default]
    Off,
    /// Phase ends, counts, errors, prediction and memory digests.
    Summary,
    /// The summary plus every spike and memory write with its cycle.
    Events,
}

/// Outcome of one example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExampleResult {
    /// argmax_k m_k, lowest k on ties.
    pub prediction: usize,
    pub label: usize,
    /// Cycles from the first LOAD cycle to DONE inclusive.
    pub cycles: u64,
    /// Input spikes over all samples.
    pub input_spikes: u64,
    /// Q, inputs with q_i ≠ 0 (0 for inference, which has no UPDATE).
    pub nonzero_rows: u64,
}

/// Everything needed to resume a core bit for bit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreState {
    pub weights: Weights,
    /// LFSR states of the input, hidden, output and rounding streams.
    pub lfsr: [u32; 4],
    /// Examples processed so far.
    pub examples: u64,
}

/// Checks that an example fits the configuration: I pixels below 2^P and a label below O.
pub fn check_example(config: &Config, pixels: &[u16], label: usize) -> Result<(), ModelError> {
    let inputs = config.network.inputs;
    if pixels.len() != inputs {
        return Err(ModelError::PixelCount {
            got: pixels.len(),
            expected: inputs,
        });
    }
    let bits = config.widths.pixel;
    let max = (1u32 << bits) - 1;
    if let Some(index) = pixels.iter().position(|&p| p as u32 > max) {
        return Err(ModelError::PixelRange {
            index,
            value: pixels[index],
            bits,
            max,
        });
    }
    if label >= config.network.outputs {
        return Err(ModelError::Label {
            label,
            outputs: config.network.outputs,
        });
    }
    Ok(())
}

/// Returns the spike decision of the core for inputs, hidden and output neurons alike: a
/// neuron fires when its P-bit probability (or pixel) exceeds the P-bit draw `r`.
#[inline]
pub fn fires(probability: u32, r: u64) -> bool {
    probability as u64 > r
}

/// The cycle-accurate learning core.
#[derive(Debug, Clone)]
pub struct Core {
    config: Config,
    machine: Machine,
    weights: Weights,
    streams: Streams,
    scratch: Scratch,
    examples: u64,
    trace_level: TraceLevel,
    traces: Vec<ExampleTrace>,
}

impl Core {
    /// Creates a core with the initial weights of `seeds.init` and every LFSR at its seed.
    pub fn new(config: &Config) -> Core {
        Core::build(
            config,
            initial_weights(config),
            Streams::from_seeds(config),
            0,
        )
    }

    /// Creates a core with the given weights and every LFSR at its seed.
    pub fn with_weights(config: &Config, weights: Weights) -> Result<Core, ModelError> {
        weights.validate(config)?;
        Ok(Core::build(config, weights, Streams::from_seeds(config), 0))
    }

    /// Restores a core saved with [`Core::state`].
    pub fn from_state(config: &Config, state: CoreState) -> Result<Core, ModelError> {
        state.weights.validate(config)?;
        let mut streams = Streams::from_seeds(config);
        let width = config.lfsr.width;
        for (&s, lfsr) in state.lfsr.iter().zip([
            streams.input,
            streams.hidden,
            streams.output,
            streams.rounding,
        ]) {
            if s == 0 || s >= 1u32 << width {
                return Err(ModelError::Lfsr {
                    width,
                    mask: lfsr.mask(),
                    seed: s,
                    rule: "a saved LFSR state must be non-zero and fit in the width",
                    fix: "restore a checkpoint saved with the same configuration",
                });
            }
        }
        streams.set_states(state.lfsr);
        Ok(Core::build(config, state.weights, streams, state.examples))
    }

    fn build(config: &Config, weights: Weights, streams: Streams, examples: u64) -> Core {
        let machine = Machine::new(config);
        let scratch = Scratch::new(&machine);
        Core {
            config: config.clone(),
            machine,
            weights,
            streams,
            scratch,
            examples,
            trace_level: TraceLevel::Off,
            traces: Vec::new(),
        }
    }

    /// Returns the configuration the core was built from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Returns the current weights.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Returns the weights, LFSR states and example counter.
    pub fn state(&self) -> CoreState {
        CoreState {
            weights: self.weights.clone(),
            lfsr: self.streams.states(),
            examples: self.examples,
        }
    }

    /// Returns the number of examples processed.
    pub fn examples(&self) -> u64 {
        self.examples
    }

    /// Returns the hidden accumulators at the end of the last sample of the last example.
    pub fn hidden_accumulators(&self) -> &[i32] {
        &self.scratch.acc
    }

    /// Returns the output accumulators at the end of the last sample of the last example.
    pub fn output_accumulators(&self) -> &[i32] {
        &self.scratch.vacc
    }

    /// Sets what the following examples record.
    pub fn set_trace(&mut self, level: TraceLevel) {
        self.trace_level = level;
    }

    /// Returns and clears the traces recorded so far.
    pub fn take_traces(&mut self) -> Vec<ExampleTrace> {
        std::mem::take(&mut self.traces)
    }

    /// Trains on one example for T samples and applies the updates.
    ///
    /// # Panics
    ///
    /// Panics when [`check_example`] rejects the example.
    pub fn train_example(&mut self, pixels: &[u16], label: usize) -> ExampleResult {
        self.run(pixels, label, true)
    }

    /// Runs one inference of T_inf samples; the weights do not change, the LFSRs run on.
    ///
    /// # Panics
    ///
    /// Panics when [`check_example`] rejects the example.
    pub fn infer_example(&mut self, pixels: &[u16], label: usize) -> ExampleResult {
        self.run(pixels, label, false)
    }

    fn run(&mut self, pixels: &[u16], label: usize, train: bool) -> ExampleResult {
        if let Err(error) = check_example(&self.config, pixels, label) {
            panic!("{error}");
        }
        let mut events = Vec::new();
        let record = (self.trace_level == TraceLevel::Events).then_some(&mut events);
        let samples = if train {
            self.config.samples.train
        } else {
            self.config.samples.inference
        };

        let input_spikes = self.machine.forward(
            &self.weights,
            &mut self.streams,
            &mut self.scratch,
            pixels,
            samples,
            record,
        );

        let mut nonzero_rows = 0;
        if train {
            let record = (self.trace_level == TraceLevel::Events).then_some(&mut events);
            let error_cycle = cycles::forward_end(&self.config, samples as u64, input_spikes) + 1;
            nonzero_rows = self.machine.learn(
                &mut self.weights,
                &mut self.streams.rounding,
                &mut self.scratch,
                label,
                error_cycle,
                record,
            );
        }

        let cycles = if train {
            cycles::train_example(&self.config, input_spikes, nonzero_rows)
        } else {
            cycles::inference_example(&self.config, input_spikes)
        };

        let prediction = argmax(&self.scratch.m);
        if self.trace_level != TraceLevel::Off {
            let phase_ends = cycles::phase_ends(&self.config, train, input_spikes, nonzero_rows);
            debug_assert_eq!(phase_ends.last(), Some(&(Phase::Done, cycles - 1)));
            self.record_trace(train, label, prediction, phase_ends, events);
        }
        self.examples += 1;
        ExampleResult {
            prediction,
            label,
            cycles,
            input_spikes,
            nonzero_rows,
        }
    }

    fn record_trace(
        &mut self,
        train: bool,
        label: usize,
        prediction: usize,
        phase_ends: Vec<(Phase, u64)>,
        events: Vec<Event>,
    ) {
        let bits = self.config.widths.weight;
        let w = &self.weights;
        let (e, delta) = if train {
            (self.scratch.e.clone(), self.scratch.delta.clone())
        } else {
            (Vec::new(), Vec::new())
        };
        self.traces.push(ExampleTrace {
            index: self.examples,
            train,
            label,
            phase_ends,
            q: self.scratch.q.clone(),
            n: self.scratch.n.clone(),
            m: self.scratch.m.clone(),
            e,
            delta,
            prediction,
            digests: [
                fnv1a_digest(&w.w, bits),
                fnv1a_digest(&w.b, bits),
                fnv1a_digest(&w.v, bits),
                fnv1a_digest(&w.c, bits),
            ],
            events,
        });
    }
}

/// Accuracy and cycles of an inference run over a data set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalResult {
    pub correct: u64,
    pub total: u64,
    /// Sum of the inference cycles of every example.
    pub cycles: u64,
    /// Prediction of each example, in data-set order.
    pub predictions: Vec<usize>,
}

impl EvalResult {
    /// Returns correct / total, or 0 for an empty set.
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.correct as f64 / self.total as f64
        }
    }
}

/// Examples per parallel task; fixed so the split never depends on the thread count.
const EVAL_CHUNK: usize = 64;

/// Runs inference over `images` with a fresh set of LFSRs loaded with their seeds, so the
/// result equals a new core with these weights running the examples in order. Training
/// streams are untouched.
///
/// Every inference consumes exactly T_inf·I input, T_inf·H hidden and T_inf·O output draws of
/// P bits, so example e starts from the seed states jumped ahead by e times those counts.
/// Chunks of examples run in parallel on the current rayon pool and give the same result as
/// the sequential run.
pub fn evaluate<X: AsRef<[u16]> + Sync>(
    config: &Config,
    weights: &Weights,
    images: &[X],
    labels: &[u8],
) -> Result<EvalResult, ModelError> {
    weights.validate(config)?;
    if images.len() != labels.len() {
        return Err(ModelError::LabelCount {
            images: images.len(),
            labels: labels.len(),
        });
    }
    for (image, &label) in images.iter().zip(labels) {
        check_example(config, image.as_ref(), label as usize)?;
    }

    let machine = Machine::new(config);
    let samples = config.samples.inference;
    let pixel_bits = config.widths.pixel as u64;
    let per_example = |neurons: usize| samples as u64 * neurons as u64 * pixel_bits;
    let n = &config.network;
    let steps = [
        per_example(n.inputs),
        per_example(n.hidden),
        per_example(n.outputs),
    ];

    let chunks: Vec<(u64, u64, Vec<usize>)> = images
        .par_chunks(EVAL_CHUNK)
        .zip(labels.par_chunks(EVAL_CHUNK))
        .enumerate()
        .map(|(chunk, (images, labels))| {
            let first = (chunk * EVAL_CHUNK) as u64;
            let mut streams = Streams::from_seeds(config);
            streams.input.jump(first * steps[0]);
            streams.hidden.jump(first * steps[1]);
            streams.output.jump(first * steps[2]);
            let mut scratch = Scratch::new(&machine);

            let mut correct = 0;
            let mut cycles_total = 0;
            let mut predictions = Vec::with_capacity(images.len());
            for (image, &label) in images.iter().zip(labels) {
                let spikes = machine.forward(
                    weights,
                    &mut streams,
                    &mut scratch,
                    image.as_ref(),
                    samples,
                    None,
                );
                let prediction = argmax(&scratch.m);
                correct += u64::from(prediction == label as usize);
                cycles_total += cycles::inference_example(config, spikes);
                predictions.push(prediction);
            }
            (correct, cycles_total, predictions)
        })
        .collect();

    let mut result = EvalResult {
        correct: 0,
        total: images.len() as u64,
        cycles: 0,
        predictions: Vec::new(),
    };
    for (correct, cycles_total, predictions) in chunks {
        result.correct += correct;
        result.cycles += cycles_total;
        result.predictions.extend(predictions);
    }
    Ok(result)
}
