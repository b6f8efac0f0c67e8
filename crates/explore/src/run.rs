//! Running the jobs of a plan in parallel and appending their rows as they finish.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sampleprop_config::Config;

use crate::error::ExploreError;
use crate::grid::{Job, JobKind, Plan, Shard};
use crate::results::{ResultsWriter, Row, SynthFigures};

/// Figures one job measures; the sweep adds memory bits, synthesis figures and wall time.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub test_accuracy: f64,
    pub train_accuracy: f64,
    pub train_cycles_mean: Option<f64>,
    pub inference_cycles_mean: Option<f64>,
    pub synaptic_ops_mean: Option<f64>,
}

/// Trains and evaluates one job. Must be deterministic: equal jobs give equal metrics.
pub trait Evaluator: Sync {
    fn evaluate(&self, job: &Job) -> Result<Metrics, String>;
}

/// Optional hardware cost of a configuration (for example synthesis results).
pub trait CostSource: Sync {
    fn cost(&self, config: &Config) -> Result<SynthFigures, String>;
}

/// How to run a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// Results directory.
    pub out: PathBuf,
    /// Keep the rows already in `out` and run only the missing jobs.
    pub resume: bool,
    pub shard: Shard,
    /// Worker threads; None uses every core.
    pub threads: Option<usize>,
    /// Draw a progress bar on standard error (hidden when it is not a terminal).
    pub progress: bool,
}

impl SweepOptions {
    pub fn new(out: impl Into<PathBuf>) -> Self {
        SweepOptions { out: out.into(), resume: false, shard: Shard::ALL, threads: None, progress: true }
    }
}

/// Outcome of a sweep.
#[derive(Debug, Clone)]
pub struct SweepSummary {
    /// Jobs in this shard.
    pub shard_jobs: usize,
    /// Jobs skipped because their rows were already present.
    pub skipped: usize,
    /// Jobs run now.
    pub ran: usize,
    /// Every row now in the directory, sorted by index.
    pub rows: Vec<Row>,
    pub wall_seconds: f64,
}

/// Runs the jobs of `plan` that belong to the shard and are not yet in the results directory.
///
/// Jobs run in parallel on a rayon pool; each row is appended as soon as its
/// job finishes, and at the end both results files are rewritten sorted by
/// job index. The first failing job stops the sweep after the jobs already
/// running finish; the rows written so far stay for `--resume`.
pub fn sweep(
    plan: &Plan,
    evaluator: &dyn Evaluator,
    cost: Option<&dyn CostSource>,
    options: &SweepOptions,
) -> Result<SweepSummary, ExploreError> {
    let started = Instant::now();
    let (writer, done) = ResultsWriter::open(&options.out, plan, options.shard, options.resume)?;

    let shard_jobs: Vec<&Job> = plan.jobs.iter().filter(|j| options.shard.contains(j.index)).collect();
    let pending: Vec<&Job> = shard_jobs.iter().copied().filter(|j| !done.contains(&j.index)).collect();
    let skipped = shard_jobs.len() - pending.len();

    let bar = ProgressBar::new(pending.len() as u64);
    if options.progress {
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} jobs, {elapsed} elapsed, ETA {eta} {msg}")
                .expect("progress template is valid"),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }

    let writer = Mutex::new(writer);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.unwrap_or(0))
        .build()
        .map_err(|e| ExploreError::Run { index: 0, key: String::new(), message: format!("cannot start worker threads: {e}") })?;

    let outcome = pool.install(|| {
        pending.par_iter().try_for_each(|job| -> Result<(), ExploreError> {
            let row = run_job(job, evaluator, cost)?;
            writer.lock().expect("results writer lock").append(&row)?;
            bar.inc(1);
            Ok(())
        })
    });
    bar.finish_and_clear();
    outcome?;

    let rows = writer.into_inner().expect("results writer lock").finish()?;
    Ok(SweepSummary {
        shard_jobs: shard_jobs.len(),
        skipped,
        ran: pending.len(),
        rows,
        wall_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Runs one job and builds its row.
pub fn run_job(job: &Job, evaluator: &dyn Evaluator, cost: Option<&dyn CostSource>) -> Result<Row, ExploreError> {
    let started = Instant::now();
    let fail = |message: String| ExploreError::Run { index: job.index, key: job.key.clone(), message };

    let metrics = evaluator.evaluate(job).map_err(fail)?;
    let is_model = job.kind == JobKind::Model;
    let synth = match cost {
        Some(source) if is_model => Some(source.cost(&job.config).map_err(fail)?),
        _ => None,
    };

    Ok(Row {
        index: job.index,
        kind: job.kind,
        key: job.key.clone(),
        group: job.group.clone(),
        seed: job.seed,
        values: job.values.iter().cloned().collect(),
        digest: job.config.digest(),
        test_accuracy: metrics.test_accuracy,
        train_accuracy: metrics.train_accuracy,
        train_cycles_mean: metrics.train_cycles_mean,
        inference_cycles_mean: metrics.inference_cycles_mean,
        memory_bits: is_model.then(|| job.config.memory_bits().total()),
        synaptic_ops_mean: metrics.synaptic_ops_mean,
        synth,
        wall_seconds: started.elapsed().as_secs_f64(),
    })
}
