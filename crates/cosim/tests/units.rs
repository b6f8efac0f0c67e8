//! Unit testbenches against vectors computed with the model's LFSR and fixed-point rules.

mod common;

use sampleprop_cosim::{default_unit_cases, run_units, UnitCase};

#[test]
fn unit_testbenches_pass() {
    let Some(verilator) = common::verilator_or_skip() else { return };
    let cases = default_unit_cases();

    let results = run_units(&cases, 2000, &verilator, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(results.len(), cases.len());
    for result in &results {
        eprintln!("{}: {} ({:.1} s build)", result.case.describe(), result.pass_line, result.build_time.as_secs_f64());
        assert!(result.vectors > 0);
    }
}

#[test]
fn wrong_vector_is_caught() {
    let Some(verilator) = common::verilator_or_skip() else { return };
    let case = UnitCase::AccLane { acc_bits: 16, w_bits: 8 };

    // A vector file whose first expected sum is off by one must fail the testbench.
    let good = case.vectors(10, 1);
    let (first, rest) = good.split_once('\n').expect("several lines");
    let fields: Vec<&str> = first.split_whitespace().collect();
    let wrong = u64::from_str_radix(fields[2], 16).unwrap() ^ 1;
    let bad = format!("{} {} {wrong:x}\n{rest}", fields[0], fields[1]);

    let error = sampleprop_cosim::run_unit_vectors(&case, &bad, &verilator, None).unwrap_err().to_string();
    assert!(error.contains("MISMATCH line 1"), "{error}");
}
