//! Co-simulation: builds the generated RTL with Verilator, runs it and the model
//! on the same examples and compares their observable traces exactly.
//! It sits above config, model and hdl; nothing in the workspace but the CLI depends on it.

mod builder;
mod core_run;
mod error;
mod paths;
mod stimulus;
mod trace;
mod units;
mod verilator;

pub use builder::{build, run, BuildSpec, BuiltModel, Optimization, RunOutput};
pub use core_run::{build_core, cosim, cosim_generated, describe, generate_rtl, run_model, CosimOptions, CosimReport};
pub use error::CosimError;
pub use paths::{build_root, cosim_cache, regression_configs, repo_root};
pub use stimulus::{examples, stimulus_text, Example, Source};
pub use units::{default_unit_cases, run_unit_vectors, run_units, UnitCase, UnitResult};
pub use trace::{first_event_mismatch, first_summary_mismatch, EventMismatch, Mismatch, Trace};
pub use verilator::{tools_required, Verilator, Version, MIN_VERSION};
