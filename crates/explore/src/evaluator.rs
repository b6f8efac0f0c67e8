//! The evaluator that trains the bit-exact model (and the float references) on a real data set.

use std::collections::BTreeMap;

use sampleprop_data::{epoch_order, load_named, Dataset};
use sampleprop_model::{evaluate, Core, TraceLevel};
use sampleprop_reference::{Engine, FloatTrainer};

use crate::error::ExploreError;
use crate::grid::{Job, JobKind, Plan, RunSettings};
use crate::run::{Evaluator, Metrics};

/// Training and test images quantized to one pixel width.
struct Quantized {
    train_images: Vec<Vec<u16>>,
    train_labels: Vec<u8>,
    test_images: Vec<Vec<u16>>,
    test_labels: Vec<u8>,
}

/// Trains each job on the data set of the `[run]` table and measures it.
///
/// The data set is loaded once and quantized once per pixel width that the
/// plan uses. Each epoch visits the training split in the order of `sampleprop_data::epoch_order`,
/// as `sampleprop train` does, so a sweep point and a training run of the same configuration agree.
pub struct CoreEvaluator {
    run: RunSettings,
    quantized: BTreeMap<u32, Quantized>,
}

impl CoreEvaluator {
    /// Loads the data set named in the plan's `[run]` table.
    pub fn new(plan: &Plan) -> Result<CoreEvaluator, ExploreError> {
        let run = plan.grid.run.clone();
        let split = load_named(&run.dataset, &run.data_root).map_err(|e| ExploreError::Grid {
            origin: plan.grid.origin.clone(),
            message: format!("cannot load data set \"{}\": {e}", run.dataset),
            fix: "fetch the data set first or set run.dataset = \"digits\"".to_string(),
        })?;

        let mut quantized = BTreeMap::new();
        for job in &plan.jobs {
            let bits = job.config.widths.pixel;
            if quantized.contains_key(&bits) {
                continue;
            }
            let (train_images, train_labels) = take(&split.train, bits, run.train_limit);
            let (test_images, test_labels) = take(&split.test, bits, run.test_limit);
            quantized.insert(bits, Quantized { train_images, train_labels, test_images, test_labels });
        }
        Ok(CoreEvaluator { run, quantized })
    }

    fn model(&self, job: &Job, data: &Quantized) -> Result<Metrics, String> {
        let config = &job.config;
        let mut core = Core::new(config);
        // The summary trace carries the hidden spike counts n_j that the synaptic-operation count needs.
        core.set_trace(TraceLevel::Summary);

        let hidden = config.network.hidden as u64;
        let outputs = config.network.outputs as u64;
        let mut cycles = 0u64;
        let mut operations = 0u64;
        let mut examples = 0u64;
        for epoch in 0..self.run.epochs as usize {
            for index in epoch_order(config.seeds.init, epoch, data.train_images.len()) {
                let (pixels, label) = (&data.train_images[index], data.train_labels[index]);
                let result = core.train_example(pixels, label as usize);
                let hidden_spikes: u64 = core.take_traces().iter().flat_map(|t| t.n.iter()).map(|&n| n as u64).sum();
                cycles += result.cycles;
                operations += result.input_spikes * hidden + hidden_spikes * outputs;
                examples += 1;
            }
        }

        let weights = core.weights();
        let test = evaluate(config, weights, &data.test_images, &data.test_labels).map_err(|e| e.to_string())?;
        let train = evaluate(config, weights, &data.train_images, &data.train_labels).map_err(|e| e.to_string())?;
        Ok(Metrics {
            test_accuracy: test.accuracy(),
            train_accuracy: train.accuracy(),
            train_cycles_mean: Some(mean(cycles, examples)),
            inference_cycles_mean: Some(mean(test.cycles, test.total)),
            synaptic_ops_mean: Some(mean(operations, examples)),
        })
    }
}

impl CoreEvaluator {
    fn reference(&self, job: &Job, data: &Quantized, engine: Engine) -> Metrics {
        let mut trainer = FloatTrainer::new(&job.config, engine);
        for epoch in 0..self.run.epochs as usize {
            for index in epoch_order(job.config.seeds.init, epoch, data.train_images.len()) {
                trainer.train_example(&data.train_images[index], data.train_labels[index] as usize);
            }
        }

        // FloatTrainer::accuracy returns percent; rows hold fractions like the model's.
        Metrics {
            test_accuracy: trainer.accuracy(&data.test_images, &data.test_labels) / 100.0,
            train_accuracy: trainer.accuracy(&data.train_images, &data.train_labels) / 100.0,
            train_cycles_mean: None,
            inference_cycles_mean: None,
            synaptic_ops_mean: None,
        }
    }
}

impl Evaluator for CoreEvaluator {
    fn evaluate(&self, job: &Job) -> Result<Metrics, String> {
        let data = self
            .quantized
            .get(&job.config.widths.pixel)
            .ok_or_else(|| format!("no data quantized to {} bits; build the evaluator from this plan", job.config.widths.pixel))?;
        match job.kind {
            JobKind::Model => self.model(job, data),
            JobKind::FloatSampled => Ok(self.reference(job, data, Engine::Sampled)),
            JobKind::FloatExact => Ok(self.reference(job, data, Engine::Exact)),
        }
    }
}

fn take(set: &Dataset, bits: u32, limit: Option<usize>) -> (Vec<Vec<u16>>, Vec<u8>) {
    let count = limit.unwrap_or(usize::MAX).min(set.len());
    let mut images = set.quantized(bits);
    images.truncate(count);
    (images, set.labels[..count].to_vec())
}

fn mean(total: u64, count: u64) -> f64 {
    if count == 0 {
        0.0
    } else {
        total as f64 / count as f64
    }
}
