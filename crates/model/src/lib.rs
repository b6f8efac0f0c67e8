//! Fixed-point, cycle-accurate, event-driven model of the sampleprop learning core: LFSRs,
//! rounding and saturation rules, initial weights, cycle formulas, the core and its trace.
//! It depends only on the configuration crate, never on the RTL generator or co-simulation.

pub mod core;
pub mod cycles;
mod engine;
pub mod error;
pub mod fixed;
pub mod init;
pub mod lfsr;
pub mod trace;

pub use crate::core::{
    check_example, evaluate, fires, Core, CoreState, EvalResult, ExampleResult, TraceLevel,
};
pub use error::ModelError;
pub use init::{initial_weights, Weights};
pub use trace::{ExampleTrace, Phase};
