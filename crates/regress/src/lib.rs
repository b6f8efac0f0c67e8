//! The Verilator regression runner: finds the unit-testbench and co-simulation
//! cases, runs them in parallel, keeps evidence (report, traces, VCD windows) of
//! each failure, and reports a table, a summary line and JUnit XML.
//! It sits on top of the co-simulation crate and must not be a dependency of anything but the CLI.

mod case;
mod error;
mod evidence;
mod report;
mod run;
mod tool;
mod wave;

pub use case::{discover, filter, folder_cases, glob_match, unit_cases, Case, CaseKind, RtlPatch};
pub use error::RegressError;
pub use evidence::{compiler_errors, MODEL_VCD, REPORT, RTL_VCD};
pub use report::{junit_xml, row, status, summary_line, table, write_junit, Counts};
pub use run::{rerun_command, run_case, run_cases, shell_quote, CaseResult, Outcome, RegressOptions};
pub use tool::{conflicting_root, select_verilator};
pub use wave::{find_rtl_example, window_rtl_vcd, write_model_vcd, RtlExample, Window};

/// Default evidence folder: `<build>/regress`.
pub fn default_out_dir() -> std::path::PathBuf {
    sampleprop_cosim::build_root().join("regress")
}

/// Checks the numeric settings of a run before anything is discovered or built.
pub fn check_settings(jobs: usize, examples: usize) -> Result<(), RegressError> {
    if jobs == 0 {
        return Err(RegressError::ZeroJobs);
    }
    if examples == 0 {
        return Err(RegressError::ZeroExamples);
    }
    Ok(())
}
