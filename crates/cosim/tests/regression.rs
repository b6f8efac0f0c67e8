//! Co-simulation of every regression configuration in testbenches/configs/
//! (build.rs makes one test per file).

mod common;

use sampleprop_config::Config;
use sampleprop_cosim::{cosim, describe, regression_configs, CosimOptions};

/// Training examples per case, followed by inference examples; T = 256 cases are long, so the count is small.
const TRAIN_EXAMPLES: usize = 6;
const INFERENCE_EXAMPLES: usize = 2;

fn run_case(file: &str) {
    let path = regression_configs().join(file);
    let config = Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let Some(verilator) = common::verilator_or_skip() else { return };

    let opts = CosimOptions { inference_examples: INFERENCE_EXAMPLES, verilator: Some(verilator), ..CosimOptions::default() };
    let report = cosim(&config, TRAIN_EXAMPLES, &opts).unwrap_or_else(|e| panic!("{file}: {e}"));
    eprintln!("{file}: {}", describe(&report));

    assert_eq!(report.examples, TRAIN_EXAMPLES + INFERENCE_EXAMPLES);
    assert!(report.mismatch.is_none(), "{file}: {}", report.mismatch.as_ref().expect("checked"));
}

include!(concat!(env!("OUT_DIR"), "/regression_cases.rs"));

#[test]
fn regression_folder_has_cases() {
    assert!(CASES.len() >= 7, "expected the seven shipped cases, found {CASES:?}");
    for file in CASES {
        let path = regression_configs().join(file);
        Config::load(&path).unwrap_or_else(|e| panic!("{e}"));
    }
}
