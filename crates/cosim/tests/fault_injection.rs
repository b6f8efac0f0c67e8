//! Fault injection: one inverted bit of the W update's rounding draw in the generated RTL
//! must be reported at the example, item and cycle where it first changes the machine.

mod common;

use sampleprop_config::Config;
use sampleprop_cosim::{cosim_generated, examples, generate_rtl, CosimOptions, Source};
use sampleprop_model::fixed::{sat, stochastic};
use sampleprop_model::lfsr::Lfsr;
use sampleprop_model::trace::{Event, Memory};
use sampleprop_model::{initial_weights, Core, TraceLevel};

/// The W update's rounding input in the generated core.
const W_ROUNDING: &str = ".x_i(delta_q), .r_i(draws_round[l*R +: R])";

/// Returns the W update's rounding input with bit `bit` inverted.
fn w_rounding_flipped(rounding_bits: u32, bit: u32) -> String {
    format!(".x_i(delta_q), .r_i(draws_round[l*R +: R] ^ {rounding_bits}'d{})", 1u64 << bit)
}

/// Predicts, with the model's rules, the first WMEM word of example 0 that the fault changes.
///
/// The rounding draws of W updates come after O (ERROR), O·H (BACKWARD) and H (bias)
/// draws. Then every row with q_i ≠ 0 takes L draws per word.
fn first_faulty_word(config: &Config, delta: &[i32], q: &[u32], bit: u32) -> usize {
    let rounding = &config.lfsr.rounding;
    let mut lfsr = Lfsr::new(config.lfsr.width, rounding.polynomial, rounding.seed).unwrap();
    let bits = config.rounding_bits();
    let (inputs, hidden, outputs) = (config.network.inputs, config.network.hidden, config.network.outputs);
    for _ in 0..outputs + outputs * hidden + hidden {
        lfsr.draw(bits);
    }

    let weights = initial_weights(config);
    let shift = config.update_shifts().hidden_weight;
    let w_bits = config.widths.weight;
    let lanes = config.hardware.lanes;
    for i in (0..inputs).filter(|&i| q[i] != 0) {
        for word in 0..config.blocks() {
            let mut changed = false;
            for lane in 0..lanes {
                let j = word * lanes + lane;
                let r = lfsr.draw(bits);
                let x = delta[j] as i64 * q[i] as i64;
                let old = weights.w[i * hidden + j] as i64;
                let good = sat(old - stochastic(x, shift, r), w_bits);
                let bad = sat(old - stochastic(x, shift, r ^ (1 << bit)), w_bits);
                changed |= good != bad;
            }
            if changed {
                return i * config.blocks() + word;
            }
        }
    }
    panic!("flipping rounding bit {bit} changes no W word of example 0; pick another fault");
}

#[test]
fn flipped_rounding_bit_is_located() {
    let Some(verilator) = common::verilator_or_skip() else { return };
    let config = Config::default();
    let shift = config.update_shifts().hidden_weight;
    assert!(shift > 0, "the fault needs a positive S_W so the W update uses bits of r");

    // The top bit the W update uses changes about half of the updates with a non-zero
    // delta_j q_i; bit 0 would change only about one in 2^(S_W - 1).
    let bit = shift as u32 - 1;
    let flipped = w_rounding_flipped(config.rounding_bits(), bit);

    let mut files = generate_rtl(&config).unwrap();
    let core = files.iter_mut().find(|f| f.name == "sampleprop_core.v").expect("the generator writes sampleprop_core.v");
    assert_eq!(core.contents.matches(W_ROUNDING).count(), 1, "the W update's rounding input must appear exactly once");
    core.contents = core.contents.replace(W_ROUNDING, &flipped);
    assert!(core.contents.contains(&flipped), "the fault was not applied");

    // Predict where the fault shows, from the model's own trace of example 0.
    let list = examples(&config, Source::Auto, 1, 0).unwrap();
    let mut model = Core::new(&config);
    model.set_trace(TraceLevel::Events);
    model.train_example(&list[0].pixels, list[0].label);
    let trace = model.take_traces().remove(0);
    let address = first_faulty_word(&config, &trace.delta, &trace.q, bit);
    let cycle = trace
        .events
        .iter()
        .find_map(|event| match event {
            Event::Write { cycle, memory: Memory::W, address: a, .. } if *a == address => Some(*cycle),
            _ => None,
        })
        .expect("the model writes every word of a row with q_i != 0");

    let opts = CosimOptions { verilator: Some(verilator), ..CosimOptions::default() };
    let report = cosim_generated(&config, &files, 3, &opts).unwrap_or_else(|e| panic!("{e}"));
    let mismatch = report.mismatch.expect("the fault must be detected");
    eprintln!("reported: {mismatch}");

    assert_eq!(mismatch.example, 0);
    assert_eq!(mismatch.item, "digest W", "W is the only memory the fault touches in example 0");
    let event = mismatch.first_event.expect("the event traces locate the fault");
    assert_eq!(event.example, 0);
    assert_eq!(event.cycle, cycle, "first differing event {event}");
    assert!(event.expected.contains(&format!("write W {address} ")), "{event}");
    assert!(event.got.contains(&format!("write W {address} ")), "{event}");
}
