//! Co-simulation: builds the generated RTL with Verilator, runs it and the model
//! on the same examples and compares their observable traces exactly.
//! It sits above config, model and hdl; nothing in the workspace but the CLI depends on it.

mod builder;
mod error;
mod paths;
mod stimulus;
mod trace;
mod verilator;

pub use builder::{build, run, BuildSpec, BuiltModel, Optimization, RunOutput};
pub use error::CosimError;
pub use paths::{build_root, cosim_cache, regression_configs, repo_root};
pub use stimulus::{examples, stimulus_text, Example, Source};
pub use trace::{first_event_mismatch, first_summary_mismatch, EventMismatch, Mismatch, Trace};
pub use verilator::{tools_required, Verilator, Version, MIN_VERSION};
