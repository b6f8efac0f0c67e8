//! Parsers on JSON and logs stored from real Yosys and nextpnr runs (see tests/fixtures/README.md).

use std::path::Path;

use sampleprop_synth::parse;
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

#[test]
fn stat_counts_ice40_cells() {
    let cells = parse::stat_cells(&fixture_json("ice40-stat.json")).unwrap();
    assert_eq!(cells.get("SB_RAM40_4K"), Some(&1));
    assert_eq!(cells.get("SB_CARRY"), Some(&15));
    assert_eq!(cells.get("SB_DFFSR"), Some(&16));
    assert!(cells.get("SB_LUT4").copied().unwrap_or(0) > 0);
}

#[test]
fn stat_rejects_missing_counts() {
    let broken: Value = serde_json::from_str(r#"{"design": {"num_cells": 3}}"#).unwrap();
    let error = parse::stat_cells(&broken).unwrap_err();
    assert!(error.contains("num_cells_by_type"), "{error}");
}

#[test]
fn nextpnr_report_gives_fmax_and_utilisation() {
    let report = parse::pnr_report(&fixture_json("nextpnr-report.json")).unwrap();
    let fmax = report.fmax_mhz.unwrap();
    assert!((fmax - 153.5155029296875).abs() < 1e-9, "{fmax}");
    let ram = report.utilisation["ICESTORM_RAM"];
    assert_eq!((ram.used, ram.available), (1, 32));
    let cells = report.utilisation["ICESTORM_LC"];
    assert_eq!((cells.used, cells.available), (83, 7680));
}

#[test]
fn nextpnr_report_takes_slowest_clock() {
    let two_clocks: Value = serde_json::from_str(
        r#"{"fmax": {"a": {"achieved": 80.5, "constraint": 100}, "b": {"achieved": 42.0, "constraint": 100}},
            "utilization": {"ICESTORM_LC": {"available": 7680, "used": 10}}}"#,
    )
    .unwrap();
    assert_eq!(parse::pnr_report(&two_clocks).unwrap().fmax_mhz, Some(42.0));
}

#[test]
fn nextpnr_log_names_overused_resource() {
    let overused = parse::overused_resource(&fixture("nextpnr-io-overuse.log"));
    assert_eq!(overused, Some(("SB_IO".to_string(), 290, 112)));
    assert_eq!(
        parse::overused_resource("Info: ICESTORM_LC: 83/ 7680 1%"),
        None
    );
}

#[test]
fn latches_name_module_and_signal() {
    let latches = parse::latches(&fixture_json("faulty-proc.json")).unwrap();
    assert_eq!(latches.len(), 1, "{latches:?}");
    assert_eq!(latches[0].module, "sp_bad");
    assert_eq!(latches[0].signal, "hold_q");
}

#[test]
fn loops_list_their_signals() {
    let loops = parse::combinational_loops(&fixture_json("faulty-flat.json")).unwrap();
    assert_eq!(loops.len(), 1, "{loops:?}");
    assert_eq!(loops[0].module, "");
    assert_eq!(
        loops[0].signals,
        vec!["ring_a".to_string(), "ring_b".to_string()]
    );
}

#[test]
fn memories_show_read_kind() {
    let memories = parse::memories(&fixture_json("faulty-flat.json")).unwrap();
    assert_eq!(memories.len(), 1, "{memories:?}");
    assert_eq!(memories[0].name, "vmem");
    assert_eq!((memories[0].words, memories[0].width), (16, 8));
    assert!(!memories[0].synchronous_read);
}

#[test]
fn parameters_read_both_encodings() {
    let cell: Value = serde_json::from_str(r#"{"parameters": {"SIZE": "00000000000000000000000100000000", "WIDTH": 16, "MEMID": "\\m"}}"#).unwrap();
    assert_eq!(parse::parameter_u64(&cell, "SIZE"), Some(256));
    assert_eq!(parse::parameter_u64(&cell, "WIDTH"), Some(16));
    assert_eq!(parse::parameter_u64(&cell, "MEMID"), None);
}

#[test]
fn module_names_lose_paramod_prefix() {
    assert_eq!(
        parse::module_display_name("$paramod\\sp_ram_1p\\Words=8"),
        "sp_ram_1p (Words=8)"
    );
    assert_eq!(
        parse::module_display_name("sampleprop_core"),
        "sampleprop_core"
    );
}
