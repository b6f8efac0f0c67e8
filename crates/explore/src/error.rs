use std::path::PathBuf;

use sampleprop_config::ConfigError;

/// Error raised while planning, running, merging or reporting a sweep.
#[derive(Debug, thiserror::Error)]
pub enum ExploreError {
    /// The grid file breaks a rule before any point is built.
    #[error("{origin}: {message}; {fix}")]
    Grid { origin: String, message: String, fix: String },

    /// One point of the grid is not a valid configuration; the origin names the point.
    #[error("{0}")]
    Point(#[from] ConfigError),

    /// A `--shard i/n` argument is malformed or out of range.
    #[error("invalid shard \"{spec}\": {rule}; {fix}")]
    Shard { spec: String, rule: String, fix: String },

    /// A results directory does not match this sweep or contains unreadable rows.
    #[error("{path}: {message}; {fix}")]
    Results { path: PathBuf, message: String, fix: String },

    /// A file operation failed.
    #[error("cannot {action} {path}: {source}; {fix}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
        fix: &'static str,
    },

    /// Training or evaluating one point failed.
    #[error("point {index} ({key}) failed: {message}")]
    Run { index: usize, key: String, message: String },

    /// A plot could not be drawn or written.
    #[error("cannot draw {path}: {message}; check that the report directory is writable")]
    Plot { path: PathBuf, message: String },
}

impl ExploreError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ExploreError::Io { action, path: path.into(), source, fix: "check the path and its permissions" }
    }

    pub(crate) fn results(path: impl Into<PathBuf>, message: impl Into<String>, fix: impl Into<String>) -> Self {
        ExploreError::Results { path: path.into(), message: message.into(), fix: fix.into() }
    }
}
