//! A fault injected into the generated RTL must fail its case with the mismatch
//! line, the rerun command and two VCD windows that a waveform viewer can open.

mod common;

use std::collections::HashMap;
use std::fs;
use std::io::BufReader;
use std::path::Path;

use sampleprop_regress::{junit_xml, run_cases, Outcome, RtlPatch, MODEL_VCD, REPORT, RTL_VCD};
use vcd::{Command, Header, IdCode, ScopeItem, Value};

/// The W update's rounding input in the generated core, and the same input with its top bit
/// inverted. S_W equals the draw width R in the small core, so the flip moves the rounding
/// threshold by half a step and changes about half of the W updates.
const W_ROUNDING: &str = ".x_i(delta_q), .r_i(draws_round[l*R +: R])";
const W_ROUNDING_FLIPPED: &str = ".x_i(delta_q), .r_i(draws_round[l*R +: R] ^ {1'b1, {(R-1){1'b0}}})";

/// A parsed VCD: its header and every (time, id, value bits) change, `$dumpvars` included.
struct Wave {
    header: Header,
    changes: Vec<(u64, IdCode, Vec<Value>)>,
}

fn parse_vcd(path: &Path) -> Wave {
    let file = fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut parser = vcd::Parser::new(BufReader::new(file));
    let header = parser.parse_header().unwrap_or_else(|e| panic!("{}: invalid VCD header: {e}", path.display()));
    let mut time = 0;
    let mut changes = Vec::new();
    for command in parser {
        match command.unwrap_or_else(|e| panic!("{}: invalid VCD body: {e}", path.display())) {
            Command::Timestamp(t) => {
                assert!(t >= time, "{}: time goes back from {time} to {t}", path.display());
                time = t;
            }
            Command::ChangeScalar(id, value) => changes.push((time, id, vec![value])),
            Command::ChangeVector(id, value) => changes.push((time, id, value.into_iter().collect())),
            _ => {}
        }
    }
    Wave { header, changes }
}

/// Returns the identifier of variable `name` in the first scope, searched depth first, that declares all of `names`.
fn find_vars(items: &[ScopeItem], names: &[&str]) -> Option<HashMap<String, IdCode>> {
    let vars: HashMap<String, IdCode> = items
        .iter()
        .filter_map(|item| match item {
            ScopeItem::Var(var) => Some((var.reference.clone(), var.code)),
            _ => None,
        })
        .collect();
    if names.iter().all(|n| vars.contains_key(*n)) {
        return Some(vars);
    }
    items.iter().find_map(|item| match item {
        ScopeItem::Scope(scope) => find_vars(&scope.items, names),
        _ => None,
    })
}

/// Returns the value of `id` at `time`: its last change at or before that time, as an integer.
fn value_at(wave: &Wave, id: IdCode, time: u64) -> Option<u64> {
    let bits = wave.changes.iter().rev().find(|(t, i, _)| *i == id && *t <= time)?.2.clone();
    bits.iter().try_fold(0u64, |acc, bit| match bit {
        Value::V0 => Some(acc << 1),
        Value::V1 => Some((acc << 1) | 1),
        _ => None,
    })
}

fn find_on_path(program: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

#[test]
fn injected_fault_keeps_evidence() {
    let Some(verilator) = common::verilator_or_skip() else { return };
    let config = common::small_config();
    assert_eq!(config.update_shifts().hidden_weight, config.rounding_bits() as i32, "the flipped bit must be the top bit S_W uses");
    let out = tempfile::tempdir().unwrap();
    let patch = RtlPatch { file: "sampleprop_core.v".to_string(), find: W_ROUNDING.to_string(), replace: W_ROUNDING_FLIPPED.to_string() };
    let cases = vec![common::small_case("fault/w-rounding", vec![patch])];
    let opts = common::options(verilator, out.path());

    let results = run_cases(&cases, &opts, &|_| {});
    let result = &results[0];
    eprintln!("{result:?}");
    let Outcome::Failed { message, evidence } = &result.outcome else {
        panic!("the fault must fail the case, got {:?}", result.outcome);
    };
    assert!(message.starts_with("example "), "{message}");
    assert!(message.contains("expected"), "{message}");
    assert!(message.contains("got"), "{message}");
    assert_eq!(evidence, &out.path().join("fault/w-rounding"));

    // The report names the mismatch, the first differing cycle and the rerun command.
    let report = fs::read_to_string(evidence.join(REPORT)).unwrap();
    eprintln!("{report}");
    assert!(report.contains(&format!("mismatch: {message}")), "{report}");
    assert!(report.contains("rerun: sampleprop regress --examples 3 --inference 1 --exact --filter fault/w-rounding"), "{report}");
    let cycle: u64 = report
        .lines()
        .find_map(|l| l.strip_prefix("first differing cycle: "))
        .expect("report names the first differing cycle")
        .parse()
        .expect("the fault is located to a cycle by the event traces");
    assert!(evidence.join("model.trace").is_file(), "the traces are copied next to the report");
    assert!(evidence.join("rtl.trace").is_file());

    // Both waveforms parse, declare a timescale and their signals, and cover the window.
    let model = parse_vcd(&evidence.join(MODEL_VCD));
    let rtl = parse_vcd(&evidence.join(RTL_VCD));
    assert!(model.header.timescale.is_some(), "model VCD has no $timescale");
    assert!(rtl.header.timescale.is_some(), "RTL VCD has no $timescale");
    assert_eq!(model.header.timescale, rtl.header.timescale, "both files share one time base");

    let model_vars = find_vars(&model.header.items, &["clk", "phase", "cycle", "w_we", "w_addr", "w_wdata"]).expect("model signals");
    let core_vars = find_vars(&rtl.header.items, &["clk_i", "phase_o", "in_valid_i", "done_o"]).expect("the core's ports");
    assert!(model.changes.len() > 10, "model VCD has {} value changes", model.changes.len());
    assert!(rtl.changes.len() > 10, "RTL VCD has {} value changes", rtl.changes.len());

    let first = cycle.saturating_sub(opts.window_radius);
    for wave in [&model, &rtl] {
        let start = wave.changes.first().unwrap().0;
        let end = wave.changes.last().unwrap().0;
        assert_eq!(start, 2 * first, "the window starts {} cycles before the first differing cycle", opts.window_radius);
        assert!(end > 2 * cycle, "the window ends after the first differing cycle {cycle} (time {end})");
    }

    // The model's cycle counter and the time base agree, and so do both sides' phases up to the divergence.
    let model_cycle = model_vars["cycle"];
    let model_phase = model_vars["phase"];
    let rtl_phase = core_vars["phase_o"];
    for c in first..=cycle {
        assert_eq!(value_at(&model, model_cycle, 2 * c), Some(c), "model cycle signal at time {}", 2 * c);
        assert_eq!(
            value_at(&model, model_phase, 2 * c),
            value_at(&rtl, rtl_phase, 2 * c),
            "phase of cycle {c} differs between the model and RTL windows"
        );
    }

    // The model writes a W word in the first differing cycle (the fault changes a W update).
    assert_eq!(value_at(&model, model_vars["w_we"], 2 * cycle), Some(1), "model w_we at cycle {cycle}");

    // GTKWave's own reader (vcd2fst) converts both files, and the conversion back
    // (fst2vcd) keeps the signals and the last time, where GTKWave is installed.
    match (find_on_path("vcd2fst"), find_on_path("fst2vcd")) {
        (Some(vcd2fst), Some(fst2vcd)) => {
            for (name, wave, signal) in [(MODEL_VCD, &model, "w_we"), (RTL_VCD, &rtl, "phase_o")] {
                let fst = out.path().join(format!("{name}.fst"));
                let made = std::process::Command::new(&vcd2fst).arg(evidence.join(name)).arg(&fst).output().unwrap();
                assert!(made.status.success(), "vcd2fst rejects {name}: {}", String::from_utf8_lossy(&made.stderr));
                let back = std::process::Command::new(&fst2vcd).arg(&fst).output().unwrap();
                assert!(back.status.success(), "fst2vcd cannot read the FST of {name}");
                let text = String::from_utf8_lossy(&back.stdout);
                assert!(text.contains(&format!(" {signal} ")), "GTKWave's reader lost {signal} of {name}");
                let last = wave.changes.last().unwrap().0;
                assert!(text.lines().any(|l| l == format!("#{last}")), "GTKWave's reader lost time {last} of {name}");
            }
        }
        _ => eprintln!("vcd2fst or fst2vcd (GTKWave) not on PATH; the VCD files were checked with the vcd crate only"),
    }

    // The JUnit report of this run lists the failure with its time.
    let xml = junit_xml(&results, result.time);
    assert!(xml.contains("<failure message=\"example "), "{xml}");
}

#[test]
fn broken_rtl_is_error_not_failure() {
    let Some(verilator) = common::verilator_or_skip() else { return };
    let out = tempfile::tempdir().unwrap();
    // The testbench instantiates `sampleprop_core`, which no longer exists.
    let patch = RtlPatch {
        file: "sampleprop_core.v".to_string(),
        find: "module sampleprop_core".to_string(),
        replace: "module sampleprop_core_renamed".to_string(),
    };
    let cases = vec![common::small_case("fault/no-core", vec![patch])];
    let results = run_cases(&cases, &common::options(verilator, out.path()), &|_| {});

    let Outcome::Error { message, details, evidence } = &results[0].outcome else {
        panic!("a build failure is an error, got {:?}", results[0].outcome);
    };
    assert!(message.contains("Verilator build"), "{message}");
    assert!(details.iter().any(|l| l.contains("%Error")), "compiler lines: {details:?}");
    assert!(details.iter().any(|l| l.contains("sampleprop_core")), "the error names the missing module: {details:?}");
    let report = fs::read_to_string(evidence.as_ref().expect("error evidence").join(REPORT)).unwrap();
    assert!(report.contains("compiler errors:"), "{report}");
}
