//! The sampled rule in f64: Bernoulli spikes over T samples, then updates
//! from spike counts only (no quantization of weights, errors or deltas).

use rand::RngExt;
use sampleprop_config::Estimator;

use crate::{argmax, sigmoid, FloatTrainer};

/// Runs `samples` spiking forward samples and leaves the counts q, n, m in the scratch buffers.
///
/// Per sample: `a_i = [r < x_i]`, `u_j = b_j + sum_i W_ji a_i`,
/// `h_j = [r < sigmoid(u_j)]`, `v_k = c_k + sum_j V_kj h_j`,
/// `o_k = [r < sigmoid(v_k)]`, each r a fresh uniform draw in [0, 1).
pub(crate) fn forward(trainer: &mut FloatTrainer, pixels: &[u16], samples: u32) {
    trainer.load_inputs(pixels);
    let FloatTrainer {
        settings,
        params,
        rng,
        scratch,
        ..
    } = trainer;
    let (inputs, hidden, outputs) = (settings.inputs, settings.hidden, settings.outputs);

    scratch.q.fill(0);
    scratch.n.fill(0);
    scratch.m.fill(0);

    for _ in 0..samples {
        scratch.active.clear();
        for i in 0..inputs {
            if rng.random::<f64>() < scratch.x[i] {
                scratch.active.push(i);
                scratch.q[i] += 1;
            }
        }

        // Event-driven accumulation: each input spike adds its row of W.
        scratch.u.copy_from_slice(&params.b);
        for &i in &scratch.active {
            let row = &params.w[i * hidden..(i + 1) * hidden];
            for (u, w) in scratch.u.iter_mut().zip(row) {
                *u += w;
            }
        }

        for j in 0..hidden {
            let spike = rng.random::<f64>() < sigmoid(scratch.u[j]);
            scratch.h[j] = spike;
            scratch.n[j] += u32::from(spike);
        }

        for k in 0..outputs {
            let column = &params.v[k * hidden..(k + 1) * hidden];
            let mut v = params.c[k];
            for (&spike, weight) in scratch.h.iter().zip(column) {
                if spike {
                    v += weight;
                }
            }
            let spike = rng.random::<f64>() < sigmoid(v);
            scratch.m[k] += u32::from(spike);
        }
    }
}

/// Returns the derivative estimate D from a spike count n over t samples.
pub(crate) fn derivative_estimate(n: u32, t: u32, estimator: Estimator) -> f64 {
    let (n, t) = (f64::from(n), f64::from(t));
    match estimator {
        Estimator::Unbiased if t > 1.0 => n * (t - n) / (t * (t - 1.0)),
        Estimator::Unbiased => 0.0,
        Estimator::Plugin => n * (t - n) / (t * t),
    }
}

/// Trains on one example with the sampled rule and returns `argmax_k m_k`.
pub(crate) fn train(trainer: &mut FloatTrainer, pixels: &[u16], label: usize) -> usize {
    let samples = trainer.settings.samples;
    forward(trainer, pixels, samples);
    let prediction = argmax(&trainer.scratch.m);

    let FloatTrainer {
        settings,
        params,
        scratch,
        ..
    } = trainer;
    let (inputs, hidden, outputs) = (settings.inputs, settings.hidden, settings.outputs);
    let t = f64::from(samples);

    // Output errors e_k = m_k / T - y_k.
    for k in 0..outputs {
        let target = if k == label { 1.0 } else { 0.0 };
        scratch.e[k] = f64::from(scratch.m[k]) / t - target;
    }

    // Hidden deltas from the old V: delta_j = D(n_j) * sum_k V_kj e_k.
    for j in 0..hidden {
        let g: f64 = (0..outputs)
            .map(|k| params.v[k * hidden + j] * scratch.e[k])
            .sum();
        scratch.delta[j] = derivative_estimate(scratch.n[j], samples, settings.estimator) * g;
    }

    // V_kj -= eta_o e_k n_j / T and c_k -= eta_o e_k.
    for k in 0..outputs {
        let step = settings.eta_output * scratch.e[k];
        for j in 0..hidden {
            params.v[k * hidden + j] -= step * f64::from(scratch.n[j]) / t;
        }
        params.c[k] -= step;
    }

    // W_ji -= eta_h delta_j q_i / T and b_j -= eta_h delta_j.
    // Rows of inputs that never spiked (q_i = 0) have a zero update.
    for i in 0..inputs {
        if scratch.q[i] == 0 {
            continue;
        }
        let rate = f64::from(scratch.q[i]) / t;
        let row = &mut params.w[i * hidden..(i + 1) * hidden];
        for (weight, delta) in row.iter_mut().zip(&scratch.delta) {
            *weight -= settings.eta_hidden * delta * rate;
        }
    }
    for (bias, delta) in params.b.iter_mut().zip(&scratch.delta) {
        *bias -= settings.eta_hidden * delta;
    }

    prediction
}
