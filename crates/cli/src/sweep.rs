//! `sweep`, `sweep merge` and `report`: design-space exploration over a grid of configuration keys.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use sampleprop_explore::{merge, report, sweep, BaseConfig, CoreEvaluator, CostSource, Grid, Plan, Shard, SweepOptions};
use sampleprop_config::Config;
use sampleprop_synth::{toolchain, Target};

use crate::synth_cmd::SynthCost;

use crate::{CliError, DataName};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SweepArgs {
    #[command(subcommand)]
    action: Option<SweepAction>,

    #[command(flatten)]
    run: SweepRunArgs,
}

#[derive(Subcommand)]
enum SweepAction {
    /// Join the results folders of several shards of one grid.
    Merge {
        /// Results folders written by `sweep --shard i/n`.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,

        /// Folder for the merged results.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Args)]
struct SweepRunArgs {
    /// Base configuration; grid values replace its keys [default: built-in defaults].
    #[arg(long, short = 'c', value_name = "FILE")]
    config: Option<PathBuf>,

    /// Change one key of the base before the grid applies, such as --set hardware.lanes=8 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    overrides: Vec<String>,

    /// Grid file: dotted configuration keys with lists of values, and a [run] table.
    #[arg(long, value_name = "FILE")]
    grid: Option<PathBuf>,

    /// Data set; overrides run.dataset of the grid.
    #[arg(long, value_enum)]
    data: Option<DataName>,

    /// Results folder [default: results/sweep-GRIDDIGEST].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Keep the rows already in the results folder and run only the missing points.
    #[arg(long)]
    resume: bool,

    /// Run only part i of n of the grid (1-based), for a job array.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,

    /// Worker threads (results do not depend on it) [default: all cores].
    #[arg(long)]
    threads: Option<usize>,

    /// Add LUTs, flip-flops, block RAMs and Fmax from Yosys for this target (generic, ice40, ecp5, ...).
    #[arg(long, value_name = "TARGET")]
    synth: Option<String>,
}

#[derive(Args)]
pub struct ReportArgs {
    /// Results folder written by `sweep` or `sweep merge`.
    results: PathBuf,
}

pub fn run_sweep(args: &SweepArgs) -> Result<(), CliError> {
    if let Some(SweepAction::Merge { inputs, out }) = &args.action {
        let summary = merge(inputs, out)?;
        println!(
            "merged {} rows into {} ({} duplicates dropped, {} points still missing)",
            summary.rows,
            out.display(),
            summary.duplicates,
            summary.missing
        );
        return Ok(());
    }

    let run = &args.run;
    let grid_path = run
        .grid
        .as_ref()
        .ok_or_else(|| CliError::Usage("sweep needs --grid FILE; see configs/grids/ for examples".to_string()))?;

    // Every check happens before any work: the shard, the grid keys and every point's configuration.
    let shard = match &run.shard {
        Some(spec) => Shard::parse(spec)?,
        None => Shard::ALL,
    };
    let mut grid = Grid::load(grid_path)?;
    if let Some(data) = run.data {
        grid.run.dataset = data.as_str().to_string();
    }
    let source = Config::load_source(run.config.as_deref(), &run.overrides)?;
    let base = BaseConfig { text: source.text, origin: source.origin, config: source.config };
    let cost = match &run.synth {
        Some(target) => {
            let target = Target::parse(target)?;
            toolchain(&target)?;
            Some(SynthCost { target })
        }
        None => None,
    };
    let plan = Plan::new(&grid, &base)?;
    let evaluator = CoreEvaluator::new(&plan)?;

    let out = run.out.clone().unwrap_or_else(|| PathBuf::from(format!("results/sweep-{}", grid.digest())));
    let mut options = SweepOptions::new(&out);
    options.resume = run.resume;
    options.shard = shard;
    options.threads = run.threads;
    options.progress = std::env::var_os("SAMPLEPROP_QUIET").is_none();

    let summary = sweep(&plan, &evaluator, cost.as_ref().map(|c| c as &dyn CostSource), &options)?;
    println!(
        "shard {}: {} points, {} already present, {} run in {:.1} s; {} rows in {}",
        options.shard,
        summary.shard_jobs,
        summary.skipped,
        summary.ran,
        summary.wall_seconds,
        summary.rows.len(),
        out.display()
    );
    Ok(())
}

pub fn run_report(args: &ReportArgs) -> Result<(), CliError> {
    for path in report(&args.results)? {
        println!("{}", path.display());
    }
    Ok(())
}
