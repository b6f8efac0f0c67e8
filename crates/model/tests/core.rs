//! Core-level checks: cycle counts, saturation, exact updates, determinism, checkpoints and
//! parallel evaluation.

use rayon::ThreadPoolBuilder;
use sampleprop_config::Config;
use sampleprop_model::lfsr::Lfsr;
use sampleprop_model::trace::{Event, SpikeLayer};
use sampleprop_model::{cycles, evaluate, Core, CoreState, Phase, TraceLevel, Weights};

fn config(toml: &str) -> Config {
    Config::from_toml_str(toml, "test").unwrap()
}

/// Returns `count` deterministic images of `inputs` pixels, about a third of them non-zero.
fn images(config: &Config, count: usize, seed: u64) -> Vec<Vec<u16>> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let max = (1u64 << config.widths.pixel) - 1;
    (0..count)
        .map(|_| {
            (0..config.network.inputs)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    if x % 3 == 0 {
                        ((x >> 8) % (max + 1)) as u16
                    } else {
                        0
                    }
                })
                .collect()
        })
        .collect()
}

fn labels(config: &Config, count: usize) -> Vec<u8> {
    (0..count)
        .map(|e| ((e * 7 + 3) % config.network.outputs) as u8)
        .collect()
}

/// Returns the cycles of a FORWARD sample written out from the spec, independent of `cycles`.
fn spec_sample(c: &Config, spikes: u64) -> u64 {
    let (i, h, o) = (
        c.network.inputs as u64,
        c.network.hidden as u64,
        c.network.outputs as u64,
    );
    let b = (c.network.hidden / c.hardware.lanes) as u64;
    (b + 1) + 2 * i + spikes * (b + 1) + (h + 1) + o
}

fn spec_train_total(c: &Config, spikes: u64, rows: u64) -> u64 {
    let (i, h, o) = (
        c.network.inputs as u64,
        c.network.hidden as u64,
        c.network.outputs as u64,
    );
    let b = (c.network.hidden / c.hardware.lanes) as u64;
    let f = c.samples.train as u64 * spec_sample(c, 0) + spikes * (b + 1);
    i + f + o + h * (o + 2) + (2 * b + 2 * i + 2 * b * rows) + 1
}

fn spec_infer_total(c: &Config, spikes: u64) -> u64 {
    let i = c.network.inputs as u64;
    let b = (c.network.hidden / c.hardware.lanes) as u64;
    i + c.samples.inference as u64 * spec_sample(c, 0) + spikes * (b + 1) + 1
}

#[test]
fn blank_example_cycles_match_formula() {
    let config = Config::default();
    let mut core = Core::new(&config);
    let blank = vec![0u16; config.network.inputs];

    let result = core.train_example(&blank, 3);
    assert_eq!(result.input_spikes, 0);
    assert_eq!(result.nonzero_rows, 0);
    assert_eq!(result.cycles, spec_train_total(&config, 0, 0));
    assert_eq!(result.cycles, 64 + 16 * 300 + 10 + 128 * 12 + (64 + 128) + 1);

    let result = core.infer_example(&blank, 3);
    assert_eq!(result.input_spikes, 0);
    assert_eq!(result.cycles, spec_infer_total(&config, 0));
}

#[test]
fn bright_example_cycles_match_formula() {
    let config = Config::default();
    let mut core = Core::new(&config);
    core.set_trace(TraceLevel::Summary);
    let bright = vec![255u16; config.network.inputs];

    let result = core.train_example(&bright, 1);
    let trace = core.take_traces().pop().unwrap();
    let spikes: u64 = trace.q.iter().map(|&q| q as u64).sum();
    let rows = trace.q.iter().filter(|&&q| q != 0).count() as u64;
    assert_eq!(result.input_spikes, spikes);
    assert_eq!(result.nonzero_rows, rows);
    assert!(
        spikes > 1000,
        "a pixel of 255 spikes unless the draw is 255: {spikes} of 1024"
    );
    assert_eq!(result.cycles, spec_train_total(&config, spikes, rows));
    assert_eq!(result.cycles, cycles::train_example(&config, spikes, rows));
    assert_eq!(
        trace.phase_ends.last(),
        Some(&(Phase::Done, result.cycles - 1))
    );
}

#[test]
fn every_input_spiking_matches_formula() {
    // A pixel of 2^P - 1 spikes unless its draw is 2^P - 1. Pick the first input seed whose
    // first T·I draws avoid that value, found with a separate LFSR, so every input spikes in
    // every sample without any hook in the core.
    let base = config("[network]\ninputs = 6\nhidden = 8\noutputs = 3\n[samples]\ntrain = 4\n[hardware]\nlanes = 4\n");
    let draws = base.samples.train as usize * base.network.inputs;
    let top = (1u64 << base.widths.pixel) - 1;
    let seed = (1u32..)
        .find(|&seed| {
            let mut lfsr = Lfsr::new(base.lfsr.width, base.lfsr.input.polynomial, seed).unwrap();
            (0..draws).all(|_| lfsr.draw(base.widths.pixel) != top) && seed != base.lfsr.hidden.seed
        })
        .unwrap();
    let text = format!(
        "[network]\ninputs = 6\nhidden = 8\noutputs = 3\n[samples]\ntrain = 4\n[hardware]\nlanes = 4\n\
         [lfsr.input]\nseed = {seed}\n"
    );
    let config = config(&text);

    let mut core = Core::new(&config);
    let result = core.train_example(&[top as u16; 6], 0);
    assert_eq!(result.input_spikes, draws as u64, "seed {seed}");
    assert_eq!(result.nonzero_rows, 6);
    assert_eq!(result.cycles, spec_train_total(&config, draws as u64, 6));
}

/// Returns the ascending input spikes of an example traced with `TraceLevel::Events`.
fn input_spikes(events: &[Event]) -> Vec<usize> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Spike {
                layer: SpikeLayer::Input,
                index,
                ..
            } => Some(*index),
            _ => None,
        })
        .collect()
}

fn hidden_spikes(events: &[Event]) -> Vec<usize> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Spike {
                layer: SpikeLayer::Hidden,
                index,
                ..
            } => Some(*index),
            _ => None,
        })
        .collect()
}

#[test]
fn accumulators_saturate_at_both_ends() {
    // One inference sample of 40 inputs. For even j the first half of the rows add +100 and
    // the second half -90 (odd j the reverse), so a running sum clips at the top and then at
    // the bottom and the order of additions matters. At 11 bits the first rows take the
    // no-saturation fast path and later ones the saturating path.
    for acc_bits in [8u32, 11] {
        let config = config(&format!(
            "[network]\ninputs = 40\nhidden = 8\noutputs = 2\n[samples]\ninference = 1\n\
             [widths]\naccumulator = {acc_bits}\n[hardware]\nlanes = 2\n"
        ));
        let (i_count, h) = (40, 8);
        let acc_max = (1i64 << (acc_bits - 1)) - 1;
        let acc_min = -(1i64 << (acc_bits - 1));
        let mut weights = Weights::zeros(&config);
        for i in 0..i_count {
            for j in 0..h {
                let up = (j % 2 == 0) == (i < i_count / 2);
                weights.w[i * h + j] = if up { 100 } else { -90 };
            }
        }
        for j in 0..h {
            weights.b[j] = if j < 4 { 120 } else { -120 };
        }
        for k in 0..2 {
            for j in 0..h {
                weights.v[k * h + j] = if k == 0 { 127 } else { -128 };
            }
        }
        let mut core = Core::with_weights(&config, weights.clone()).unwrap();
        core.set_trace(TraceLevel::Events);
        core.infer_example(&vec![255; i_count], 0);
        let trace = core.take_traces().pop().unwrap();

        let spikes = input_spikes(&trace.events);
        assert!(spikes.len() >= 35, "most inputs spike: {spikes:?}");
        let mut clipped_high = false;
        let mut clipped_low = false;
        for j in 0..h {
            let mut acc = weights.b[j] as i64;
            for &i in &spikes {
                let sum = acc + weights.w[i * h + j] as i64;
                acc = sum.clamp(acc_min, acc_max);
                clipped_high |= sum > acc_max;
                clipped_low |= sum < acc_min;
            }
            assert_eq!(
                core.hidden_accumulators()[j] as i64,
                acc,
                "A = {acc_bits}: hidden accumulator {j}"
            );
        }
        assert!(
            clipped_high,
            "A = {acc_bits}: the case must clip at the top"
        );
        assert!(
            clipped_low,
            "A = {acc_bits}: the case must clip at the bottom"
        );

        // Every hidden spike adds +127 into output 0 and -128 into output 1.
        let fired = hidden_spikes(&trace.events).len() as i64;
        assert!(fired >= 2, "A = {acc_bits}: {fired} hidden spikes");
        let expected = [
            (fired * 127).min(acc_max) as i32,
            (fired * -128).max(acc_min) as i32,
        ];
        assert_eq!(core.output_accumulators(), &expected, "A = {acc_bits}");
    }
}

/// A configuration whose four update shifts are all ≤ 0, so every update is exact and the
/// test can predict it from the trace.
const EXACT_UPDATES: &str =
    "[network]\ninputs = 4\nhidden = 8\noutputs = 2\n[samples]\ntrain = 2\n\
    [widths]\nerror = 6\n[learning]\nhidden_shift = 0\noutput_shift = 0\n[hardware]\nlanes = 2\n";

#[test]
fn weights_saturate_at_both_ends() {
    let config = config(EXACT_UPDATES);
    let shifts = config.update_shifts();
    assert!(shifts.max() <= 0, "{shifts:?}");
    let (h, o) = (8usize, 2usize);
    let pixels = [255u16, 0, 0, 0];

    let mut core = Core::new(&config);
    core.set_trace(TraceLevel::Summary);
    let mut seen = [false; 2];
    for example in 0..60 {
        // Row 0 sits at one end of the weight range and the bias cancels it, so σ(u) ≈ 1/2.
        let top = example % 2 == 0;
        let mut state: CoreState = core.state();
        let (edge, bias) = if top { (127, -127) } else { (-128, 127) };
        for j in 0..h {
            state.weights.w[j] = edge;
            state.weights.b[j] = bias;
        }
        let before = state.weights.clone();
        core = Core::from_state(&config, state).unwrap();
        core.set_trace(TraceLevel::Summary);
        core.train_example(&pixels, example % o);
        let trace = core.take_traces().pop().unwrap();
        let after = core.weights();
        let q0 = trace.q[0] as i64;

        for j in 0..h {
            let delta = trace.delta[j] as i64;
            let step = (delta * q0) << -shifts.hidden_weight;
            let expected = (before.w[j] as i64 - step).clamp(-128, 127);
            assert_eq!(after.w[j] as i64, expected, "example {example} W_0{j}");
            if q0 > 0 && top && delta < 0 {
                assert_eq!(after.w[j], 127, "pushed above the top");
                seen[0] = true;
            }
            if q0 > 0 && !top && delta > 0 {
                assert_eq!(after.w[j], -128, "pushed below the bottom");
                seen[1] = true;
            }
            let b = (before.b[j] as i64 - (delta << -shifts.hidden_bias)).clamp(-128, 127);
            assert_eq!(after.b[j] as i64, b, "example {example} b_{j}");
        }
        for k in 0..o {
            let e = trace.e[k] as i64;
            let c = (before.c[k] as i64 - (e << -shifts.output_bias)).clamp(-128, 127);
            assert_eq!(after.c[k] as i64, c, "example {example} c_{k}");
            for j in 0..h {
                let step = e * trace.n[j] as i64 * (1 << -shifts.output_weight);
                let v = (before.v[k * h + j] as i64 - step).clamp(-128, 127);
                assert_eq!(after.v[k * h + j] as i64, v, "example {example} V_{k}{j}");
            }
        }
        assert!(
            after.w[h..].iter().zip(&before.w[h..]).all(|(a, b)| a == b),
            "rows with q = 0 stay"
        );
    }
    assert_eq!(
        seen,
        [true, true],
        "saturation at the top and at the bottom must both occur"
    );
}

#[test]
fn delta_follows_derivative_and_error() {
    let config = config(EXACT_UPDATES);
    let derivative = config.derivative_table();
    let mut core = Core::new(&config);
    core.set_trace(TraceLevel::Summary);
    let images = images(&config, 20, 5);
    for (e, image) in images.iter().enumerate() {
        let before = core.weights().clone();
        core.train_example(image, e % 2);
        let trace = core.take_traces().pop().unwrap();
        for k in 0..2 {
            let expected = (trace.m[k] as i64) * (1 << (4 - 1)) - if k == e % 2 { 16 } else { 0 };
            assert_eq!(trace.e[k] as i64, expected, "e_{k}: F_e = 4, t = 1");
        }
        for j in 0..8 {
            let g: i64 = (0..2)
                .map(|k| before.v[k * 8 + j] as i64 * trace.e[k] as i64)
                .sum();
            let shift = 8 + 6;
            let product = derivative[trace.n[j] as usize] as i64 * g;
            let rounded = (product + (1 << (shift - 1))) >> shift;
            assert_eq!(
                trace.delta[j] as i64,
                rounded.clamp(-32, 31),
                "δ_{j} in example {e}"
            );
        }
    }
}

#[test]
fn training_is_deterministic() {
    let config = Config::default();
    let images = images(&config, 40, 1);
    let labels = labels(&config, 40);
    let run = || {
        let mut core = Core::new(&config);
        for (image, &label) in images.iter().zip(&labels) {
            core.train_example(image, label as usize);
        }
        core.state()
    };
    let first = run();
    assert_eq!(first, run());
    assert_ne!(
        first.weights,
        sampleprop_model::initial_weights(&config),
        "training changed the weights"
    );
    assert_eq!(first.examples, 40);
}

#[test]
fn checkpoint_resumes_bit_exact() {
    let config = Config::default();
    let images = images(&config, 20, 2);
    let labels = labels(&config, 20);

    let mut straight = Core::new(&config);
    for (image, &label) in images.iter().zip(&labels) {
        straight.train_example(image, label as usize);
    }

    let mut first = Core::new(&config);
    for (image, &label) in images.iter().zip(&labels).take(9) {
        first.train_example(image, label as usize);
    }
    let json = serde_json::to_string(&first.state()).unwrap();
    let state: CoreState = serde_json::from_str(&json).unwrap();
    let mut resumed = Core::from_state(&config, state).unwrap();
    for (image, &label) in images.iter().zip(&labels).skip(9) {
        resumed.train_example(image, label as usize);
    }
    assert_eq!(resumed.state(), straight.state());
}

#[test]
fn evaluate_matches_sequential_inference() {
    let config = Config::default();
    let train = images(&config, 30, 3);
    let train_labels = labels(&config, 30);
    let mut core = Core::new(&config);
    for (image, &label) in train.iter().zip(&train_labels) {
        core.train_example(image, label as usize);
    }
    let weights = core.weights().clone();

    let test = images(&config, 200, 4);
    let test_labels = labels(&config, 200);
    let mut sequential = Core::with_weights(&config, weights.clone()).unwrap();
    let mut predictions = Vec::new();
    let mut cycles_total = 0;
    let mut correct = 0;
    for (image, &label) in test.iter().zip(&test_labels) {
        let result = sequential.infer_example(image, label as usize);
        predictions.push(result.prediction);
        cycles_total += result.cycles;
        correct += u64::from(result.prediction == label as usize);
    }

    for threads in [1, 2] {
        let pool = ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let result = pool
            .install(|| evaluate(&config, &weights, &test, &test_labels))
            .unwrap();
        assert_eq!(result.predictions, predictions, "{threads} threads");
        assert_eq!(result.cycles, cycles_total, "{threads} threads");
        assert_eq!(result.correct, correct, "{threads} threads");
        assert_eq!(result.total, 200);
    }
    assert_eq!(
        sequential.weights(),
        &weights,
        "inference leaves the weights alone"
    );
}

#[test]
fn evaluate_rejects_bad_input() {
    let config = Config::default();
    let weights = sampleprop_model::initial_weights(&config);
    let test = images(&config, 3, 4);
    assert!(evaluate(&config, &weights, &test, &[0, 1]).is_err());
    let short = vec![vec![0u16; 10]];
    assert!(evaluate(&config, &weights, &short, &[0]).is_err());
    let bright = vec![vec![256u16; 64]];
    assert!(evaluate(&config, &weights, &bright, &[0]).is_err());
    assert!(evaluate(&config, &weights, &test, &[0, 1, 10]).is_err());
}
