//! Cycle counts of the controller, as closed formulas of the spike and row counts.

use sampleprop_config::Config;

use crate::trace::Phase;

/// Returns the cycles of one FORWARD sample with `input_spikes` input events:
/// (B + 1) + 2I + S_in·(B + 1) + (H + 1) + O.
pub fn sample(config: &Config, input_spikes: u64) -> u64 {
    let n = &config.network;
    let b = config.blocks() as u64;
    (b + 1)
        + 2 * n.inputs as u64
        + input_spikes * (b + 1)
        + (n.hidden as u64 + 1)
        + n.outputs as u64
}

/// Returns the FORWARD cycles of `samples` samples with `input_spikes_total` events in all.
pub fn forward(config: &Config, samples: u64, input_spikes_total: u64) -> u64 {
    samples * sample(config, 0) + input_spikes_total * (config.blocks() as u64 + 1)
}

/// Returns the UPDATE cycles with `nonzero_rows` inputs that spiked at least once: 2B + 2I + 2B·Q.
pub fn update(config: &Config, nonzero_rows: u64) -> u64 {
    let b = config.blocks() as u64;
    2 * b + 2 * config.network.inputs as u64 + 2 * b * nonzero_rows
}

/// Returns the ERROR cycles: O, one output a cycle.
pub fn error(config: &Config) -> u64 {
    config.network.outputs as u64
}

/// Returns the BACKWARD cycles: H·(O + 2), a read, O output steps and a write per hidden neuron.
pub fn backward(config: &Config) -> u64 {
    let n = &config.network;
    n.hidden as u64 * (n.outputs as u64 + 2)
}

/// Returns the cycles of a training example: I + F + O + H·(O + 2) + UPDATE + 1.
pub fn train_example(config: &Config, input_spikes_total: u64, nonzero_rows: u64) -> u64 {
    let n = &config.network;
    let f = forward(config, config.samples.train as u64, input_spikes_total);
    n.inputs as u64 + f + error(config) + backward(config) + update(config, nonzero_rows) + 1
}

/// Returns the cycles of an inference example: I + F_inf + 1.
pub fn inference_example(config: &Config, input_spikes_total: u64) -> u64 {
    let f = forward(config, config.samples.inference as u64, input_spikes_total);
    config.network.inputs as u64 + f + 1
}

/// Returns the last cycle of FORWARD, counted from the example's first LOAD cycle: I + F - 1.
pub fn forward_end(config: &Config, samples: u64, input_spikes_total: u64) -> u64 {
    config.network.inputs as u64 + forward(config, samples, input_spikes_total) - 1
}

/// Returns the last cycle of each phase of an example, in order, as the trace states them.
///
/// `nonzero_rows` is ignored for inference, which has no ERROR, BACKWARD or UPDATE.
pub fn phase_ends(
    config: &Config,
    train: bool,
    input_spikes_total: u64,
    nonzero_rows: u64,
) -> Vec<(Phase, u64)> {
    let inputs = config.network.inputs as u64;
    let samples = if train {
        config.samples.train
    } else {
        config.samples.inference
    } as u64;
    let forward_end = forward_end(config, samples, input_spikes_total);
    let mut ends = vec![(Phase::Load, inputs - 1), (Phase::Forward, forward_end)];
    let mut last = forward_end;
    if train {
        let error_end = forward_end + error(config);
        let backward_end = error_end + backward(config);
        let update_end = backward_end + update(config, nonzero_rows);
        ends.push((Phase::Error, error_end));
        ends.push((Phase::Backward, backward_end));
        ends.push((Phase::Update, update_end));
        last = update_end;
    }
    ends.push((Phase::Done, last + 1));
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Returns a 64-64-10 core with 8 lanes and T = T_inf = 16, independent of the built-in defaults.
    fn config_64_64() -> Config {
        Config::from_toml_str("[network]\nhidden = 64\n[samples]\ninference = 16\n[hardware]\nlanes = 8\n", "test").unwrap()
    }

    #[test]
    fn default_config_counts() {
        let config = config_64_64();
        assert_eq!(sample(&config, 0), 9 + 128 + 65 + 10);
        assert_eq!(sample(&config, 3), 212 + 27);
        assert_eq!(inference_example(&config, 0), 64 + 16 * 212 + 1);
        assert_eq!(
            train_example(&config, 0, 0),
            64 + 16 * 212 + 10 + 64 * 12 + (16 + 128) + 1
        );
        assert_eq!(
            train_example(&config, 10, 2),
            train_example(&config, 0, 0) + 90 + 32
        );
    }

    #[test]
    fn phase_ends_end_with_total() {
        let config = config_64_64();
        let train = phase_ends(&config, true, 10, 2);
        let names: Vec<Phase> = train.iter().map(|(phase, _)| *phase).collect();
        assert_eq!(
            names,
            [
                Phase::Load,
                Phase::Forward,
                Phase::Error,
                Phase::Backward,
                Phase::Update,
                Phase::Done
            ]
        );
        assert_eq!(train[0].1, 63);
        assert_eq!(train[1].1, 63 + 16 * 212 + 90);
        assert_eq!(train[5].1, train_example(&config, 10, 2) - 1);

        let infer = phase_ends(&config, false, 10, 99);
        assert_eq!(infer.len(), 3);
        assert_eq!(infer[2], (Phase::Done, inference_example(&config, 10) - 1));
    }
}
