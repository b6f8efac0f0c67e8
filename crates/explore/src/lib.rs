//! Design-space exploration: grid files, parallel sweeps with resumable results, shards, merge, and report plots.
//!
//! This crate reads configurations through `sampleprop-config` and trains them through an
//! [`Evaluator`]; it must not depend on the CLI, the RTL generator or the synthesis flow.

mod error;
mod evaluator;
mod grid;
mod report;
mod results;
mod run;

pub use error::ExploreError;
pub use evaluator::CoreEvaluator;
pub use grid::{valid_keys, Axis, AxisValue, BaseConfig, Grid, Job, JobKind, Plan, RunSettings, Shard, SEED_KEY};
pub use results::{
    merge, read_dir, read_header, read_rows, Header, MergeSummary, ResultsWriter, Row, SynthFigures, CSV_FILE,
    HEADER_FILE, JSONL_FILE,
};
pub use report::{pareto_front, report, summarize, GroupSummary, Stats};
pub use run::{run_job, sweep, CostSource, Evaluator, Metrics, SweepOptions, SweepSummary};

#[cfg(test)]
mod tests;
