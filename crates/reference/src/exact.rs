//! Exact backpropagation in f64 on the same network: logistic hidden and
//! output units, cross-entropy loss on the logistic outputs, plain SGD.

use crate::{argmax, sigmoid, FloatTrainer};

/// Runs the deterministic forward pass with input probabilities x_i / 2^P.
///
/// Leaves the hidden activations in `scratch.u` and the output
/// pre-activations in `scratch.v` (argmax of either activations or
/// pre-activations is the same, because the logistic function is increasing).
pub(crate) fn forward(trainer: &mut FloatTrainer, pixels: &[u16]) {
    trainer.load_inputs(pixels);
    let FloatTrainer {
        settings,
        params,
        scratch,
        ..
    } = trainer;
    let (inputs, hidden, outputs) = (settings.inputs, settings.hidden, settings.outputs);

    scratch.u.copy_from_slice(&params.b);
    for i in 0..inputs {
        let x = scratch.x[i];
        if x == 0.0 {
            continue;
        }
        let row = &params.w[i * hidden..(i + 1) * hidden];
        for (u, w) in scratch.u.iter_mut().zip(row) {
            *u += w * x;
        }
    }
    for u in scratch.u.iter_mut() {
        *u = sigmoid(*u);
    }

    for k in 0..outputs {
        let column = &params.v[k * hidden..(k + 1) * hidden];
        scratch.v[k] = params.c[k]
            + column
                .iter()
                .zip(&scratch.u)
                .map(|(v, h)| v * h)
                .sum::<f64>();
    }
}

/// Trains on one example with one SGD step and returns the forward pass's argmax.
///
/// With cross-entropy on logistic outputs the output delta is
/// `sigmoid(v_k) - y_k`, and the hidden delta is `h_j (1 - h_j) sum_k V_kj e_k`.
pub(crate) fn train(trainer: &mut FloatTrainer, pixels: &[u16], label: usize) -> usize {
    forward(trainer, pixels);
    let prediction = argmax(&trainer.scratch.v);

    let FloatTrainer {
        settings,
        params,
        scratch,
        ..
    } = trainer;
    let (inputs, hidden, outputs) = (settings.inputs, settings.hidden, settings.outputs);

    for k in 0..outputs {
        let target = if k == label { 1.0 } else { 0.0 };
        scratch.e[k] = sigmoid(scratch.v[k]) - target;
    }

    // Hidden deltas from the old V.
    for j in 0..hidden {
        let g: f64 = (0..outputs)
            .map(|k| params.v[k * hidden + j] * scratch.e[k])
            .sum();
        let h = scratch.u[j];
        scratch.delta[j] = h * (1.0 - h) * g;
    }

    for k in 0..outputs {
        let step = settings.eta_output * scratch.e[k];
        for j in 0..hidden {
            params.v[k * hidden + j] -= step * scratch.u[j];
        }
        params.c[k] -= step;
    }

    for i in 0..inputs {
        let x = scratch.x[i];
        if x == 0.0 {
            continue;
        }
        let row = &mut params.w[i * hidden..(i + 1) * hidden];
        for (weight, delta) in row.iter_mut().zip(&scratch.delta) {
            *weight -= settings.eta_hidden * delta * x;
        }
    }
    for (bias, delta) in params.b.iter_mut().zip(&scratch.delta) {
        *bias -= settings.eta_hidden * delta;
    }

    prediction
}
