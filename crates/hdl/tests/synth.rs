//! Yosys synthesis of the default core: it must elaborate and infer no latches.

mod common;

use std::process::Command;

use common::{config, generate_into, tool_available};

#[test]
fn default_core_has_no_latches() {
    if !tool_available("yosys") {
        return;
    }
    let dir = generate_into("synth_default", &config(""));
    let list = std::fs::read_to_string(dir.join("files.f")).expect("files.f exists");
    let sources: Vec<&str> = list.lines().collect();
    let script = format!(
        "read_verilog {}; synth -top sampleprop_core; select -assert-none t:$dlatch t:$_DLATCH_*; stat",
        sources.join(" ")
    );
    let output = Command::new("yosys").current_dir(&dir).args(["-q", "-p", &script]).output().expect("yosys starts");
    assert!(
        output.status.success(),
        "yosys synthesis in {} failed:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
