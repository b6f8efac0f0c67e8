//! The error type of the regression runner.

use std::path::PathBuf;

/// Error raised while finding cases, checking the tool or writing reports.
///
/// A case that fails or cannot be built is not an error of this type: it is
/// recorded in its [`crate::CaseResult`] so the other cases still run.
#[derive(Debug, thiserror::Error)]
pub enum RegressError {
    /// A folder named on the command line contains no `*.toml` case.
    #[error("folder {path} contains no *.toml case file; name a folder of configuration files such as testbenches/configs")]
    EmptyFolder { path: PathBuf },

    /// A folder named on the command line does not exist or is not a folder.
    #[error("case folder {path} not found or not a folder; check the path")]
    NotAFolder { path: PathBuf },

    /// A case file is not a valid configuration.
    #[error("case file {path} is invalid: {source}")]
    InvalidCase {
        path: PathBuf,
        #[source]
        source: Box<sampleprop_config::ConfigError>,
    },

    /// Two cases would share one name, so their evidence folders would collide.
    #[error("two cases are named {name} ({first} and {second}); rename one of the files")]
    DuplicateCase { name: String, first: String, second: String },

    /// The filter selects nothing.
    #[error("filter `{pattern}` matches none of the {available} cases; list them with --list")]
    NoMatch { pattern: String, available: usize },

    /// `--jobs 0`.
    #[error("--jobs 0 is invalid: at least one job must run; pass --jobs 1 or more, or omit it to use every core")]
    ZeroJobs,

    /// `--examples 0`.
    #[error("--examples 0 is invalid: a co-simulation case trains at least one example; pass --examples 1 or more")]
    ZeroExamples,

    /// The Verilator binary given does not exist.
    #[error("Verilator {path} not found; pass --verilator with the path of a verilator executable")]
    VerilatorNotFound { path: PathBuf },

    /// The Verilator binary given does not run.
    #[error("Verilator {path} does not run ({reason}); check that it is an executable verilator and that VERILATOR_ROOT suits it")]
    VerilatorBroken { path: PathBuf, reason: String },

    /// The Verilator binary given is too old or reports no version.
    #[error("Verilator {path} reports version {version}, but regression cases need {minimum} or newer; pass --verilator with a newer binary or run scripts/setup-verilator.sh")]
    VerilatorTooOld { path: PathBuf, version: String, minimum: String },

    /// Finding Verilator or a build tool failed.
    #[error(transparent)]
    Cosim(Box<sampleprop_cosim::CosimError>),

    /// A file or folder operation failed.
    #[error("cannot {action} {path}: {source}; check that the path exists and is writable")]
    Io {
        action: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl From<sampleprop_cosim::CosimError> for RegressError {
    fn from(error: sampleprop_cosim::CosimError) -> RegressError {
        RegressError::Cosim(Box::new(error))
    }
}

impl RegressError {
    /// Wraps an I/O error with the action and path it concerns.
    pub(crate) fn io(action: &str, path: impl Into<PathBuf>, source: std::io::Error) -> RegressError {
        RegressError::Io { action: action.to_string(), path: path.into(), source }
    }
}
