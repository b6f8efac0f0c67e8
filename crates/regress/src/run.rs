//! Running cases in parallel and classifying each outcome.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sampleprop_config::Config;
use sampleprop_cosim::{cosim_generated, generate_rtl, run_unit_vectors, CosimError, CosimOptions, UnitCase, Verilator};
use sampleprop_hdl::GeneratedFile;

use crate::case::{Case, CaseKind, RtlPatch};
use crate::evidence::{self, Evidence};

/// Settings shared by every case of a run.
#[derive(Debug, Clone)]
pub struct RegressOptions {
    /// Cases run at the same time (at least 1).
    pub jobs: usize,
    /// Training examples of a co-simulation case.
    pub examples: usize,
    /// Inference examples after the training examples.
    pub inference: usize,
    /// Random vectors of a unit case, on top of its corner cases.
    pub vectors: usize,
    pub verilator: Verilator,
    /// Evidence of failing cases goes to `<out>/<case name>/`.
    pub out_dir: PathBuf,
    /// Cache of verilated models; `None` means `<build>/cosim`.
    pub cache_dir: Option<PathBuf>,
    /// The command that reruns a selection, without `--filter`: e.g. `sampleprop regress --examples 6`.
    pub rerun_prefix: String,
    /// Cycles either side of the first differing cycle kept in the VCD files.
    pub window_radius: u64,
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// The RTL disagrees with the model (or its testbench did not pass).
    Failed {
        /// The first mismatch, on one line.
        message: String,
        /// Folder holding the report, traces and waveforms.
        evidence: PathBuf,
    },
    /// The case could not be built or run: missing tool, compile error, invalid patch.
    Error {
        message: String,
        /// The relevant compiler lines, when a build failed.
        details: Vec<String>,
        evidence: Option<PathBuf>,
    },
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub name: String,
    pub outcome: Outcome,
    /// Wall time of the case, build included.
    pub time: Duration,
    /// Summary of the work, e.g. `8 examples, 60123 cycles` or `207 vectors`.
    pub detail: String,
    /// The command that reruns this case alone.
    pub rerun: String,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.outcome == Outcome::Passed
    }
}

/// Runs every case with `opts.jobs` workers; calls `progress` as each case finishes.
/// Returns the results in the order of `cases`.
pub fn run_cases(cases: &[Case], opts: &RegressOptions, progress: &(dyn Fn(&CaseResult) + Sync)) -> Vec<CaseResult> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; cases.len()]);
    let workers = opts.jobs.clamp(1, cases.len().max(1));

    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(case) = cases.get(index) else { break };
                let result = run_case(case, opts);
                progress(&result);
                results.lock().expect("no worker panics while holding the lock")[index] = Some(result);
            });
        }
    });

    results
        .into_inner()
        .expect("workers finished")
        .into_iter()
        .map(|r| r.expect("every case ran"))
        .collect()
}

/// Runs one case and classifies its outcome. A mismatch, a failed build or a failed
/// simulation becomes the result's outcome, so the other cases still run.
pub fn run_case(case: &Case, opts: &RegressOptions) -> CaseResult {
    let started = Instant::now();
    let evidence_dir = opts.out_dir.join(&case.name);
    // Evidence from an earlier run would mislead; a passing case leaves no folder.
    let _ = fs::remove_dir_all(&evidence_dir);
    let rerun = rerun_command(case, opts);

    let (outcome, detail) = match &case.kind {
        CaseKind::Unit { unit, seed } => run_unit(unit, *seed, opts, &evidence_dir, &rerun, &case.name),
        CaseKind::Cosim { config, patches, .. } => run_cosim(config, patches, opts, &evidence_dir, &rerun, &case.name),
    };
    CaseResult { name: case.name.clone(), outcome, time: started.elapsed(), detail, rerun }
}

/// Returns the command line that runs `case` alone with the same settings.
pub fn rerun_command(case: &Case, opts: &RegressOptions) -> String {
    let mut command = format!("{} --exact --filter {}", opts.rerun_prefix, shell_quote(&case.name));
    if let CaseKind::Cosim { folder: Some(folder), .. } = &case.kind {
        command.push(' ');
        command.push_str(&shell_quote(&folder.display().to_string()));
    }
    command
}

/// Quotes `text` for a POSIX shell when it contains anything but safe characters.
pub fn shell_quote(text: &str) -> String {
    let safe = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if safe {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn run_unit(unit: &UnitCase, seed: u64, opts: &RegressOptions, dir: &Path, rerun: &str, name: &str) -> (Outcome, String) {
    let vectors = unit.vectors(opts.vectors, seed);
    let count = vectors.lines().filter(|l| !l.trim().is_empty()).count();
    let detail = format!("{count} vectors");
    match run_unit_vectors(unit, &vectors, &opts.verilator, opts.cache_dir.as_deref()) {
        Ok(_) => (Outcome::Passed, detail),
        Err(CosimError::UnitMismatch { line, vectors: kept, .. }) => {
            let evidence = Evidence { case: name, mismatch: &line, rerun, dir };
            let outcome = match evidence::write_unit(&evidence, &kept) {
                Ok(()) => Outcome::Failed { message: line.clone(), evidence: dir.to_path_buf() },
                Err(e) => Outcome::Error { message: format!("{line}; writing the evidence failed: {e}"), details: Vec::new(), evidence: None },
            };
            (outcome, detail)
        }
        Err(error) => (classify_error(error, dir, rerun, name), detail),
    }
}

fn run_cosim(
    config: &Config,
    patches: &[RtlPatch],
    opts: &RegressOptions,
    dir: &Path,
    rerun: &str,
    name: &str,
) -> (Outcome, String) {
    let total = opts.examples + opts.inference;
    let mut detail = format!("{total} examples");
    let files = match generate_rtl(config).map_err(|e| e.to_string()).and_then(|files| apply_patches(files, patches)) {
        Ok(files) => files,
        Err(message) => return (Outcome::Error { message, details: Vec::new(), evidence: None }, detail),
    };

    let cosim_options = CosimOptions {
        inference_examples: opts.inference,
        verilator: Some(opts.verilator.clone()),
        cache_dir: opts.cache_dir.clone(),
        ..CosimOptions::default()
    };
    let report = match cosim_generated(config, &files, opts.examples, &cosim_options) {
        Ok(report) => report,
        Err(error) => return (classify_error(error, dir, rerun, name), detail),
    };
    detail = format!("{} examples, {} cycles", report.examples, report.model_cycles);

    let Some(mismatch) = &report.mismatch else {
        return (Outcome::Passed, detail);
    };
    let mut message = mismatch.to_string();
    if let Some(line) = report.kept_run.as_deref().and_then(simulator_error) {
        // A simulator that stopped early (e.g. `Active region did not converge`) explains a missing trace.
        message.push_str(&format!("; simulator: {line}"));
    }
    let evidence = Evidence { case: name, mismatch: &message, rerun, dir };
    let outcome = match evidence::write_cosim(&evidence, config, &files, mismatch, &report, opts) {
        Ok(()) => Outcome::Failed { message, evidence: dir.to_path_buf() },
        Err(e) => Outcome::Failed { message: format!("{message}; writing the evidence failed: {e}"), evidence: dir.to_path_buf() },
    };
    (outcome, detail)
}

/// Returns the first `%Error` or `FAIL` line of the RTL log kept in `run`, if any.
fn simulator_error(run: &Path) -> Option<String> {
    let log = fs::read_to_string(run.join("rtl.log")).ok()?;
    log.lines().find(|l| l.starts_with("%Error") || l.contains(": FAIL")).map(|l| l.trim().to_string())
}

/// Applies each patch to its file. A patch whose text does not occur exactly once returns an error.
fn apply_patches(mut files: Vec<GeneratedFile>, patches: &[RtlPatch]) -> Result<Vec<GeneratedFile>, String> {
    for patch in patches {
        let Some(file) = files.iter_mut().find(|f| f.name == patch.file) else {
            return Err(format!("RTL patch names {}, which the generator does not write; name a generated file", patch.file));
        };
        let count = file.contents.matches(&patch.find).count();
        if count != 1 {
            return Err(format!(
                "RTL patch text `{}` occurs {count} times in {}, but must occur exactly once; make it longer",
                patch.find, patch.file
            ));
        }
        file.contents = file.contents.replacen(&patch.find, &patch.replace, 1);
    }
    Ok(files)
}

/// Sorts a co-simulation error into a failure of the design or an error of the run.
fn classify_error(error: CosimError, dir: &Path, rerun: &str, name: &str) -> Outcome {
    match error {
        CosimError::SimulationFailed { reason, output, .. } => {
            let message = format!("simulation did not pass: {reason}");
            let evidence = Evidence { case: name, mismatch: &message, rerun, dir };
            match evidence::write_simulation_failure(&evidence, &output) {
                Ok(()) => Outcome::Failed { message, evidence: dir.to_path_buf() },
                Err(e) => Outcome::Failed { message: format!("{message}; writing the evidence failed: {e}"), evidence: output },
            }
        }
        CosimError::BuildFailed { what, status, log, .. } => {
            let details = evidence::compiler_errors(&log);
            let message = format!("Verilator build of {what} failed with {status}; full log in {}", log.display());
            let kept = evidence::write_build_failure(dir, name, &message, &details, rerun).ok().map(|()| dir.to_path_buf());
            Outcome::Error { message, details, evidence: kept }
        }
        other => Outcome::Error { message: other.to_string(), details: Vec::new(), evidence: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_only_when_needed() {
        assert_eq!(shell_quote("configs/t2"), "configs/t2");
        assert_eq!(shell_quote("units/tb_lfsr-WIDTH=4"), "units/tb_lfsr-WIDTH=4");
        assert_eq!(shell_quote("my cases/x"), "'my cases/x'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn patch_must_match_once() {
        let files = vec![GeneratedFile { name: "a.v".to_string(), contents: "x x y".to_string() }];
        let twice = RtlPatch { file: "a.v".to_string(), find: "x".to_string(), replace: "z".to_string() };
        assert!(apply_patches(files.clone(), &[twice]).unwrap_err().contains("2 times"));
        let once = RtlPatch { file: "a.v".to_string(), find: "y".to_string(), replace: "z".to_string() };
        assert_eq!(apply_patches(files.clone(), &[once]).unwrap()[0].contents, "x x z");
        let missing = RtlPatch { file: "b.v".to_string(), find: "y".to_string(), replace: "z".to_string() };
        assert!(apply_patches(files, &[missing]).unwrap_err().contains("b.v"));
    }
}
