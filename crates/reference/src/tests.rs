use sampleprop_config::{Config, Estimator};

use super::sampled::derivative_estimate;
use super::*;

fn tiny_config(samples: u32, seed: u64) -> Config {
    let text = format!(
        "[network]\ninputs = 8\nhidden = 4\noutputs = 3\n\
         [samples]\ntrain = {samples}\ninference = {samples}\n\
         [learning]\nhidden_shift = 3\noutput_shift = 3\n\
         [hardware]\nlanes = 4\n[seeds]\ninit = {seed}\n"
    );
    Config::from_toml_str(&text, "test").unwrap()
}

/// A fixed example for the tiny network: 8-bit pixels spread over the range.
const TINY_PIXELS: [u16; 8] = [0, 40, 200, 255, 90, 130, 10, 170];

#[test]
fn init_within_fan_in_limits() {
    let config = Config::from_toml_str("[network]\nhidden = 64\n", "test").unwrap();
    let trainer = FloatTrainer::new(&config, Engine::Sampled);
    let params = trainer.parameters();
    let limit_w = 1.0 / 64f64.sqrt();
    let limit_v = 1.0 / 64f64.sqrt();
    assert_eq!(params.w.len(), 64 * 64);
    assert_eq!(params.v.len(), 10 * 64);
    assert!(params.w.iter().all(|w| w.abs() <= limit_w));
    assert!(params.v.iter().all(|v| v.abs() <= limit_v));
    assert!(params.b.iter().all(|&b| b == 0.0));
    assert!(params.c.iter().all(|&c| c == 0.0));

    // Uniform in ±limit: the mean is near 0 and the extremes near the limits.
    let mean = params.w.iter().sum::<f64>() / params.w.len() as f64;
    assert!(mean.abs() < 0.01, "mean {mean}");
    let max = params.w.iter().cloned().fold(f64::MIN, f64::max);
    assert!(max > 0.95 * limit_w, "max {max}");
}

#[test]
fn init_same_for_both_engines() {
    let config = Config::default();
    let sampled = FloatTrainer::new(&config, Engine::Sampled);
    let exact = FloatTrainer::new(&config, Engine::Exact);
    assert_eq!(sampled.parameters(), exact.parameters());
}

#[test]
fn init_depends_on_seed() {
    let a = FloatTrainer::new(&tiny_config(16, 1), Engine::Sampled);
    let b = FloatTrainer::new(&tiny_config(16, 2), Engine::Sampled);
    assert_ne!(a.parameters().w, b.parameters().w);
}

#[test]
fn argmax_takes_lowest_on_ties() {
    assert_eq!(argmax(&[3u32, 5, 5, 1]), 1);
    assert_eq!(argmax(&[0u32, 0, 0]), 0);
    assert_eq!(argmax(&[-1.0, 2.0, 2.0]), 1);
}

#[test]
fn sigmoid_values() {
    assert_eq!(sigmoid(0.0), 0.5);
    assert!((sigmoid(2.0) - 0.880_797_077_977_882_3).abs() < 1e-15);
    assert!((sigmoid(-2.0) + sigmoid(2.0) - 1.0).abs() < 1e-15);
}

/// Returns the binomial probability of n successes in t trials with probability p.
fn binomial(n: u32, t: u32, p: f64) -> f64 {
    let choose: f64 = (0..n)
        .map(|i| f64::from(t - i) / f64::from(i + 1))
        .product();
    choose * p.powi(n as i32) * (1.0 - p).powi((t - n) as i32)
}

#[test]
fn unbiased_estimate_mean_matches() {
    for t in [2u32, 4, 16, 64] {
        for p in [0.05, 0.3, 0.5, 0.9] {
            let mean: f64 = (0..=t)
                .map(|n| binomial(n, t, p) * derivative_estimate(n, t, Estimator::Unbiased))
                .sum();
            assert!(
                (mean - p * (1.0 - p)).abs() < 1e-12,
                "T {t}, p {p}: mean {mean}"
            );
        }
    }
}

#[test]
fn plugin_estimate_is_biased_low() {
    let (t, p) = (16u32, 0.3);
    let mean: f64 = (0..=t)
        .map(|n| binomial(n, t, p) * derivative_estimate(n, t, Estimator::Plugin))
        .sum();
    let expected = p * (1.0 - p) * f64::from(t - 1) / f64::from(t);
    assert!(
        (mean - expected).abs() < 1e-12,
        "mean {mean}, expected {expected}"
    );
}

#[test]
fn estimate_is_zero_at_extremes() {
    assert_eq!(derivative_estimate(0, 16, Estimator::Unbiased), 0.0);
    assert_eq!(derivative_estimate(16, 16, Estimator::Unbiased), 0.0);
    assert_eq!(derivative_estimate(1, 2, Estimator::Unbiased), 0.5);
}

/// Returns the cross-entropy loss of logistic outputs at the given parameters.
fn loss(trainer: &mut FloatTrainer, pixels: &[u16], label: usize) -> f64 {
    exact::forward(trainer, pixels);
    trainer
        .scratch
        .v
        .iter()
        .enumerate()
        .map(|(k, &v)| {
            let o = sigmoid(v);
            if k == label {
                -o.ln()
            } else {
                -(1.0 - o).ln()
            }
        })
        .sum()
}

/// Flattens parameters as W, b, V, c.
fn flatten(params: &Parameters) -> Vec<f64> {
    [&params.w, &params.b, &params.v, &params.c]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

fn unflatten(values: &[f64], like: &Parameters) -> Parameters {
    let (w, rest) = values.split_at(like.w.len());
    let (b, rest) = rest.split_at(like.b.len());
    let (v, c) = rest.split_at(like.v.len());
    Parameters {
        w: w.to_vec(),
        b: b.to_vec(),
        v: v.to_vec(),
        c: c.to_vec(),
    }
}

/// Returns the exact gradient of the loss at the trainer's parameters, by central differences.
fn numeric_gradient(trainer: &mut FloatTrainer, pixels: &[u16], label: usize) -> Vec<f64> {
    let start = trainer.parameters().clone();
    let flat = flatten(&start);
    let step = 1e-6;
    let mut gradient = Vec::with_capacity(flat.len());
    for index in 0..flat.len() {
        let mut plus = flat.clone();
        plus[index] += step;
        trainer.set_parameters(unflatten(&plus, &start));
        let up = loss(trainer, pixels, label);
        let mut minus = flat.clone();
        minus[index] -= step;
        trainer.set_parameters(unflatten(&minus, &start));
        let down = loss(trainer, pixels, label);
        gradient.push((up - down) / (2.0 * step));
    }
    trainer.set_parameters(start);
    gradient
}

/// Returns (before - after) / eta for one training step from the trainer's current parameters.
fn step_direction(trainer: &mut FloatTrainer, pixels: &[u16], label: usize) -> Vec<f64> {
    let before = flatten(trainer.parameters());
    trainer.train_example(pixels, label);
    let after = flatten(trainer.parameters());
    // Both layers use shift 3 in the tiny configuration, so eta = 1/8 everywhere.
    before
        .iter()
        .zip(&after)
        .map(|(b, a)| (b - a) * 8.0)
        .collect()
}

fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b))
}

#[test]
fn exact_step_matches_numeric_gradient() {
    let mut trainer = FloatTrainer::new(&tiny_config(16, 5), Engine::Exact);
    let label = 2;
    let numeric = numeric_gradient(&mut trainer, &TINY_PIXELS, label);
    let analytic = step_direction(&mut trainer, &TINY_PIXELS, label);
    for (index, (n, a)) in numeric.iter().zip(&analytic).enumerate() {
        // Central differences with step 1e-6 are accurate to about 1e-9 here.
        assert!(
            (n - a).abs() < 1e-7,
            "parameter {index}: numeric {n}, backprop {a}"
        );
    }
}

/// Cosine similarities (all parameters, hidden layer, output layer) and the
/// relative distance between the mean sampled update and the exact gradient,
/// from the initial parameters multiplied by `scale`.
fn compare_with_gradient(scale: f64, repetitions: u32) -> (f64, f64, f64, f64) {
    let config = tiny_config(16, 7);
    let mut exact = FloatTrainer::new(&config, Engine::Exact);
    let mut sampled = FloatTrainer::new(&config, Engine::Sampled);
    let scaled: Vec<f64> = flatten(exact.parameters())
        .iter()
        .map(|p| p * scale)
        .collect();
    let start = unflatten(&scaled, exact.parameters());
    exact.set_parameters(start.clone());
    let label = 1;
    let gradient = step_direction(&mut exact, &TINY_PIXELS, label);

    let mut mean = vec![0.0; gradient.len()];
    for _ in 0..repetitions {
        sampled.set_parameters(start.clone());
        for (sum, value) in mean
            .iter_mut()
            .zip(step_direction(&mut sampled, &TINY_PIXELS, label))
        {
            *sum += value / f64::from(repetitions);
        }
    }

    let hidden = 8 * 4 + 4;
    let difference: Vec<f64> = mean.iter().zip(&gradient).map(|(m, g)| m - g).collect();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    (
        cosine(&mean, &gradient),
        cosine(&mean[..hidden], &gradient[..hidden]),
        cosine(&mean[hidden..], &gradient[hidden..]),
        norm(&difference) / norm(&gradient),
    )
}

#[test]
fn sampled_update_follows_exact_gradient() {
    // Averaged over many repetitions from the same parameters, the sampled
    // update points along the exact gradient. It is not equal to it, because
    // E[sigmoid(v)] over sampled hidden spikes differs from sigmoid(E[v]).
    // Measured with 20,000 repetitions: cosine 1.000, 0.999 and 0.989 and
    // relative distance 0.003, 0.063 and 0.184 at scales 1, 4 and 8. With a
    // constant derivative 0.25 in place of the count estimate, the hidden
    // cosine drops to 0.94 at scale 4 and 0.80 at scale 8, so these bounds fail.
    let cases = [(1.0, 0.999, 0.01), (4.0, 0.99, 0.15), (8.0, 0.95, 0.3)];
    for (scale, min_cosine, max_distance) in cases {
        let (all, hidden, output, distance) = compare_with_gradient(scale, 20_000);
        eprintln!("scale {scale}: cosine all {all:.4}, hidden {hidden:.4}, output {output:.4}, distance {distance:.4}");
        assert!(all > min_cosine, "scale {scale}: cosine {all}");
        assert!(
            hidden > min_cosine,
            "scale {scale}: hidden-layer cosine {hidden}"
        );
        assert!(
            output > min_cosine,
            "scale {scale}: output-layer cosine {output}"
        );
        assert!(
            distance < max_distance,
            "scale {scale}: relative distance {distance}"
        );
    }
}

#[test]
fn sampled_training_is_deterministic() {
    let config = tiny_config(16, 3);
    let mut a = FloatTrainer::new(&config, Engine::Sampled);
    let mut b = FloatTrainer::new(&config, Engine::Sampled);
    for step in 0..50 {
        let label = step % 3;
        assert_eq!(
            a.train_example(&TINY_PIXELS, label),
            b.train_example(&TINY_PIXELS, label)
        );
    }
    assert_eq!(a.parameters(), b.parameters());
    assert_eq!(
        a.predict_sampled(&TINY_PIXELS, 16),
        b.predict_sampled(&TINY_PIXELS, 16)
    );
    assert_ne!(
        a.parameters(),
        FloatTrainer::new(&config, Engine::Sampled).parameters()
    );
}

#[test]
fn predict_leaves_parameters_unchanged() {
    let mut trainer = FloatTrainer::new(&tiny_config(16, 3), Engine::Sampled);
    let before = trainer.parameters().clone();
    trainer.predict(&TINY_PIXELS);
    trainer.predict_sampled(&TINY_PIXELS, 64);
    assert_eq!(trainer.parameters(), &before);
}

#[test]
fn accuracy_of_empty_set_is_zero() {
    let mut trainer = FloatTrainer::new(&tiny_config(16, 3), Engine::Exact);
    assert_eq!(trainer.accuracy(&[], &[]), 0.0);
}
