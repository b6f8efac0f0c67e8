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

#[test]
fn lint_one_lane() {
    lint("one_lane", "[hardware]\nlanes = 1\n");
}

#[test]
fn lint_all_lanes() {
    lint("all_lanes", "[network]\nhidden = 16\n[hardware]\nlanes = 16\n");
}

#[test]
fn lint_smallest_widths() {
    lint(
        "smallest_widths",
        "[network]\ninputs = 3\nhidden = 2\noutputs = 2\n[samples]\ntrain = 2\ninference = 1\n\
         [widths]\npixel = 1\nweight = 2\nweight_integer = 0\naccumulator = 2\nerror = 3\n\
         sigmoid_index = 2\nsigmoid_range = 0\n[lfsr]\nwidth = 4\ninput.seed = 1\nhidden.seed = 2\noutput.seed = 3\nrounding.seed = 5\n[learning]\nhidden_shift = 0\n\
         output_shift = 0\n[hardware]\nlanes = 1\n",
    );
}

#[test]
fn lint_two_samples() {
    lint("two_samples", "[samples]\ntrain = 2\ninference = 2\n");
}

#[test]
fn lint_many_samples() {
    lint("many_samples", "[samples]\ntrain = 256\ninference = 256\n");
}

#[test]
fn lint_negative_shifts() {
    // F_w = 14 makes every update shift negative, so the updates scale left.
    lint(
        "negative_shifts",
        "[widths]\nweight = 16\nweight_integer = 1\naccumulator = 20\nerror = 4\n[learning]\n\
         hidden_shift = 0\noutput_shift = 0\n",
    );
}

#[test]
fn lint_plugin_estimator() {
    lint("plugin", "[network]\ninputs = 5\nhidden = 6\noutputs = 3\n[hardware]\nlanes = 3\n[learning]\nestimator = \"plugin\"\n");
}
