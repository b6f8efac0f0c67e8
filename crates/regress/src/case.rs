//! Regression cases: discovery from folders, names and the filter.

use std::fs;
use std::path::{Path, PathBuf};

use sampleprop_config::Config;
use sampleprop_cosim::{default_unit_cases, regression_configs, UnitCase};

use crate::RegressError;

/// One regression case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Unique name, also the evidence subfolder: `units/tb_lfsr-WIDTH=4-...` or `configs/default`.
    pub name: String,
    pub kind: CaseKind,
}

/// The work of a case.
#[derive(Debug, Clone)]
pub enum CaseKind {
    /// A unit testbench with vectors computed by the model's rules.
    Unit {
        unit: UnitCase,
        /// Seed of the random vectors.
        seed: u64,
    },
    /// A co-simulation of the generated core against the model.
    Cosim {
        config: Config,
        /// The case file.
        path: PathBuf,
        /// The folder named on the command line, or `None` for the shipped folder.
        folder: Option<PathBuf>,
        /// Edits applied to the generated RTL before building (fault injection).
        patches: Vec<RtlPatch>,
    },
}

/// A text replacement in one generated file, used to inject a fault into the RTL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtlPatch {
    /// Generated file name, e.g. `sampleprop_core.v`.
    pub file: String,
    /// Text that must occur exactly once in that file (the runner reports an error otherwise).
    pub find: String,
    pub replace: String,
}

/// Returns the unit cases (one per unit and parameter set) and the co-simulation
/// cases of testbenches/configs/, then those of every folder in `folders`.
///
/// Every case file is loaded here, so a malformed file stops the run before
/// anything is built.
pub fn discover(folders: &[PathBuf], shipped: bool) -> Result<Vec<Case>, RegressError> {
    let mut cases = Vec::new();
    if shipped {
        cases.extend(unit_cases());
        cases.extend(folder_cases(&regression_configs(), None)?);
    }

    let shipped_folder = regression_configs().canonicalize().ok();
    for folder in folders {
        let canonical = folder.canonicalize().map_err(|_| RegressError::NotAFolder { path: folder.clone() })?;
        if !canonical.is_dir() {
            return Err(RegressError::NotAFolder { path: folder.clone() });
        }
        let found = folder_cases(folder, Some(folder.clone()))?;
        if found.is_empty() {
            return Err(RegressError::EmptyFolder { path: folder.clone() });
        }
        // The shipped folder named again adds nothing.
        if shipped && shipped_folder.as_ref() == Some(&canonical) {
            continue;
        }
        cases.extend(found);
    }

    check_unique(&cases)?;
    Ok(cases)
}

/// Returns one case per default unit case, named after the unit and its parameters.
pub fn unit_cases() -> Vec<Case> {
    default_unit_cases()
        .into_iter()
        .enumerate()
        .map(|(number, unit)| {
            let parameters: Vec<String> = unit.parameters().iter().map(|(n, v)| format!("{n}={v}")).collect();
            Case {
                name: format!("units/{}-{}", unit.unit(), parameters.join("-")),
                kind: CaseKind::Unit { unit, seed: number as u64 + 1 },
            }
        })
        .collect()
}

/// Loads every `*.toml` file of `dir` (sorted by name) as a co-simulation case.
pub fn folder_cases(dir: &Path, folder: Option<PathBuf>) -> Result<Vec<Case>, RegressError> {
    let entries = fs::read_dir(dir).map_err(|_| RegressError::NotAFolder { path: dir.to_path_buf() })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();

    // Shipped cases sit under `configs/`; a user folder's under its own name.
    let prefix = match &folder {
        None => "configs".to_string(),
        Some(path) => folder_label(path),
    };
    let mut cases = Vec::new();
    for path in files {
        let config = Config::load(&path).map_err(|source| RegressError::InvalidCase { path: path.clone(), source: Box::new(source) })?;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        cases.push(Case {
            name: format!("{prefix}/{}", sanitize(&stem)),
            kind: CaseKind::Cosim { config, path, folder: folder.clone(), patches: Vec::new() },
        });
    }
    Ok(cases)
}

/// Returns the last component of a folder path as a case-name prefix.
fn folder_label(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let name = canonical.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "cases".to_string());
    sanitize(&name)
}

/// Keeps letters, digits, `-`, `_`, `.` and `=`; replaces anything else with `_`.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() || "-_.=".contains(c) { c } else { '_' })
        .collect()
}

fn check_unique(cases: &[Case]) -> Result<(), RegressError> {
    let mut seen: std::collections::HashMap<&str, &Case> = std::collections::HashMap::new();
    for case in cases {
        if let Some(first) = seen.insert(&case.name, case) {
            return Err(RegressError::DuplicateCase {
                name: case.name.clone(),
                first: first.origin(),
                second: case.origin(),
            });
        }
    }
    Ok(())
}

impl Case {
    /// Returns the case file, or the unit testbench and its parameters.
    pub fn origin(&self) -> String {
        match &self.kind {
            CaseKind::Unit { unit, .. } => unit.describe(),
            CaseKind::Cosim { path, .. } => path.display().to_string(),
        }
    }
}

/// Selects the cases whose name matches `pattern`.
///
/// `*` matches any run of characters and `?` one character. Without `exact` the
/// pattern may match any part of the name, so `t2` selects `configs/t2` and
/// `configs/t256`. With `exact` it must match the whole name.
pub fn filter(cases: Vec<Case>, pattern: &str, exact: bool) -> Result<Vec<Case>, RegressError> {
    let available = cases.len();
    let anchored = if exact { pattern.to_string() } else { format!("*{pattern}*") };
    let kept: Vec<Case> = cases.into_iter().filter(|case| glob_match(&anchored, &case.name)).collect();
    if kept.is_empty() {
        return Err(RegressError::NoMatch { pattern: pattern.to_string(), available });
    }
    Ok(kept)
}

/// Matches `text` against a pattern of literal characters, `*` and `?`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();

    // Iterative matching with one backtrack point, the last `*` seen.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    while p < pattern.len() && pattern[p] == '*' {
        p += 1;
    }
    p == pattern.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_wildcards() {
        assert!(glob_match("*t2*", "configs/t2"));
        assert!(glob_match("*t2*", "configs/t256"));
        assert!(glob_match("configs/t2", "configs/t2"));
        assert!(!glob_match("configs/t2", "configs/t256"));
        assert!(glob_match("units/tb_lfsr-*", "units/tb_lfsr-WIDTH=4"));
        assert!(glob_match("c?nfigs/*", "configs/default"));
        assert!(!glob_match("units/*", "configs/default"));
        assert!(glob_match("*", ""));
    }

    #[test]
    fn unit_case_names_are_unique() {
        let cases = unit_cases();
        assert!(check_unique(&cases).is_ok());
        assert_eq!(cases.len(), default_unit_cases().len());
        assert!(cases[0].name.starts_with("units/tb_lfsr-WIDTH=4-"), "{}", cases[0].name);
    }

    #[test]
    fn shipped_cases_cover_configs_folder() {
        let cases = discover(&[], true).unwrap();
        let configs: Vec<&str> = cases.iter().filter(|c| c.name.starts_with("configs/")).map(|c| c.name.as_str()).collect();
        assert!(configs.contains(&"configs/default"), "{configs:?}");
        assert!(configs.contains(&"configs/t256"), "{configs:?}");
        assert!(configs.len() >= 7, "{configs:?}");
    }

    #[test]
    fn exact_filter_selects_one() {
        let cases = discover(&[], true).unwrap();
        let kept = filter(cases.clone(), "configs/t2", true).unwrap();
        assert_eq!(kept.len(), 1);
        let loose = filter(cases, "configs/t2", false).unwrap();
        assert_eq!(loose.len(), 2);
    }
}
