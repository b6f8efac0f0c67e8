//! Runs a grid sweep, a merge or a report from the command line until the CLI has these subcommands.
//!
//! Usage:
//!   cargo run --release -p sampleprop-explore --example sweep -- run GRID OUT [--config FILE] [--resume] [--shard i/n] [--threads N]
//!   cargo run --release -p sampleprop-explore --example sweep -- merge OUT DIR1 DIR2 ...
//!   cargo run --release -p sampleprop-explore --example sweep -- report DIR

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sampleprop_explore::{merge, report, sweep, BaseConfig, CoreEvaluator, ExploreError, Grid, Plan, Shard, SweepOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), ExploreError> {
    let usage = || ExploreError::Grid {
        origin: "sweep".to_string(),
        message: "missing arguments".to_string(),
        fix: "use `run GRID OUT [--config FILE] [--resume] [--shard i/n] [--threads N]`, `merge OUT DIR...` or `report DIR`"
            .to_string(),
    };
    match args.first().map(String::as_str) {
        Some("run") if args.len() >= 3 => {
            let grid = Grid::load(Path::new(&args[1]))?;
            let mut options = SweepOptions::new(&args[2]);
            let mut base = BaseConfig::defaults();
            let mut rest = args[3..].iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--resume" => options.resume = true,
                    "--shard" => options.shard = Shard::parse(rest.next().ok_or_else(usage)?)?,
                    "--threads" => options.threads = rest.next().and_then(|n| n.parse().ok()),
                    "--config" => base = BaseConfig::load(Path::new(rest.next().ok_or_else(usage)?))?,
                    _ => return Err(usage()),
                }
            }

            let plan = Plan::new(&grid, &base)?;
            let evaluator = CoreEvaluator::new(&plan)?;
            let summary = sweep(&plan, &evaluator, None, &options)?;
            println!(
                "shard {}: {} jobs, {} already present, {} run in {:.1} s; {} rows in {}",
                options.shard,
                summary.shard_jobs,
                summary.skipped,
                summary.ran,
                summary.wall_seconds,
                summary.rows.len(),
                options.out.display()
            );
            Ok(())
        }
        Some("merge") if args.len() >= 3 => {
            let inputs: Vec<PathBuf> = args[2..].iter().map(PathBuf::from).collect();
            let summary = merge(&inputs, Path::new(&args[1]))?;
            println!("{} rows ({} duplicates dropped, {} jobs missing)", summary.rows, summary.duplicates, summary.missing);
            Ok(())
        }
        Some("report") if args.len() >= 2 => {
            let written = report(Path::new(&args[1]))?;
            for path in written {
                println!("{}", path.display());
            }
            Ok(())
        }
        _ => Err(usage()),
    }
}
