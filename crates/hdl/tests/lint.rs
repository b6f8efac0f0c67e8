//! Verilator -Wall lint of the generated RTL over a range of configurations.

mod common;

use std::process::Command;

use common::{config, generate_into, tool_available};
use sampleprop_hdl::waivers_file;

/// Runs `verilator --lint-only -Wall` on the generated core and panics with its output on failure.
fn lint(name: &str, toml: &str) {
    if !tool_available("verilator") {
        return;
    }
    let cfg = config(toml);
    let dir = generate_into(&format!("lint_{name}"), &cfg);
    let output = Command::new("verilator")
        .current_dir(&dir)
        .arg("--lint-only")
        .arg("-Wall")
        .arg(waivers_file())
        .args(["-f", "files.f"])
        .args(["--top-module", "sampleprop_core"])
        .output()
        .expect("verilator starts");
    assert!(
        output.status.success(),
        "verilator lint of configuration {name} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn lint_default() {
    lint("default", "");
}
