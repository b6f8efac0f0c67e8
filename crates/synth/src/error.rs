use std::path::PathBuf;

/// Error raised while running or reading the synthesis flow.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A synthesis tool is not installed or not on PATH.
    #[error("{tool} not found (looked for {looked_for}); {hint}")]
    ToolNotFound {
        tool: String,
        looked_for: String,
        hint: String,
    },

    /// A tool ran but exited with an error.
    #[error("{tool} failed with {status}: {excerpt}; full log in {}; fix the RTL or rerun with the log at hand", log.display())]
    ToolFailed {
        tool: String,
        status: String,
        excerpt: String,
        log: PathBuf,
    },

    /// The configuration needs more of a resource than the chosen part has.
    #[error("configuration {digest} does not fit {part}: it needs {needed} {resource} but the part has {available} ({detail}); {}", too_large_fix(.resource))]
    TooLarge {
        digest: String,
        part: String,
        resource: String,
        needed: u64,
        available: u64,
        detail: String,
    },

    /// The device name has no capacity entry in this crate.
    #[error("unknown {family} device '{device}'; use one of: {known}")]
    UnknownDevice {
        family: String,
        device: String,
        known: String,
    },

    /// The RTL folder has no usable `files.f`.
    #[error("{}: {problem}; generate the RTL first (sampleprop-hdl writes files.f beside the Verilog)", path.display())]
    FileList { path: PathBuf, problem: String },

    /// Reading or writing a file failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A tool's JSON output does not have the expected shape.
    #[error("{}: unexpected JSON from {tool}: {problem}; the tool version may differ from the supported ones (Yosys 0.23 or newer, nextpnr 0.4 or newer)", path.display())]
    Json {
        tool: String,
        path: PathBuf,
        problem: String,
    },
}

impl SynthError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        SynthError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Returns the advice for a resource the core over-uses: what in the configuration or the
/// choice of part reduces it.
fn too_large_fix(resource: &str) -> &'static str {
    let lower = resource.to_ascii_lowercase();
    if lower.contains("io") || lower.contains("pin") {
        "the flow puts every top-level port on a pin, so choose a package with more pins, or wrap the core so that the host port stays inside the FPGA"
    } else if lower.contains("ram") || lower.contains("dp16kd") {
        "choose a larger part, fewer inputs or hidden neurons, fewer lanes (narrower memory words), or narrower weights"
    } else {
        "choose a larger part, fewer lanes or outputs, or narrower accumulators, errors or weights; the number of hidden neurons hardly changes the logic"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(resource: &str) -> String {
        SynthError::TooLarge {
            digest: "0123456789abcdef".into(),
            part: "ECP5 LFE5U-25F".into(),
            resource: resource.into(),
            needed: 202,
            available: 197,
            detail: "reported by nextpnr".into(),
        }
        .to_string()
    }

    #[test]
    fn advice_follows_the_resource() {
        let pins = message("TRELLIS_IO");
        assert!(pins.contains("it needs 202 TRELLIS_IO but the part has 197"), "{pins}");
        assert!(pins.contains("package with more pins"), "{pins}");
        assert!(!pins.contains("hidden neurons"), "{pins}");

        let rams = message("block RAMs");
        assert!(rams.contains("fewer inputs or hidden neurons"), "{rams}");

        let logic = message("logic cells");
        assert!(logic.contains("fewer lanes or outputs"), "{logic}");
        assert!(!logic.contains("package"), "{logic}");
    }
}
