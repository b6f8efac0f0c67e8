//! Generates one test per regression configuration in testbenches/configs/, so
//! adding a file adds a co-simulation case.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let folder = manifest.join("../../testbenches/configs");
    println!("cargo:rerun-if-changed={}", folder.display());

    let mut names: Vec<String> = match fs::read_dir(&folder) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();

    let mut code = String::new();
    for name in &names {
        let stem = name.trim_end_matches(".toml");
        let ident: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        writeln!(code, "#[test]\nfn case_{ident}() {{\n    run_case({name:?});\n}}\n").expect("String write");
    }
    writeln!(code, "const CASES: &[&str] = &{names:?};").expect("String write");

    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("regression_cases.rs");
    fs::write(&out, code).expect("OUT_DIR is writable");
}
