//! Helpers shared by the regression-runner tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use sampleprop_config::Config;
use sampleprop_cosim::{tools_required, Verilator};
use sampleprop_regress::{Case, CaseKind, RegressOptions, RtlPatch};

/// Returns Verilator, or None (after printing the reason) when tests may skip.
///
/// With `SAMPLEPROP_REQUIRE_TOOLS=1` a missing Verilator fails the test instead.
pub fn verilator_or_skip() -> Option<Verilator> {
    match Verilator::discover() {
        Ok(v) => Some(v),
        Err(e) if !tools_required() => {
            eprintln!("skipped: {e}");
            None
        }
        Err(e) => panic!("SAMPLEPROP_REQUIRE_TOOLS=1 but {e}"),
    }
}

/// A small core (8-8-2, 2 lanes, T = 4) that builds and runs in seconds.
pub const SMALL: &str = "[network]\ninputs = 8\nhidden = 8\noutputs = 2\n\
                         [samples]\ntrain = 4\ninference = 2\n[hardware]\nlanes = 2\n";

pub fn small_config() -> Config {
    Config::from_toml_str(SMALL, "small test configuration").unwrap_or_else(|e| panic!("{e}"))
}

/// Returns a co-simulation case of the small core with `patches` applied to its RTL.
pub fn small_case(name: &str, patches: Vec<RtlPatch>) -> Case {
    Case {
        name: name.to_string(),
        kind: CaseKind::Cosim { config: small_config(), path: PathBuf::from("small.toml"), folder: None, patches },
    }
}

/// Options for a short run: 3 training and 1 inference example, 50 vectors.
pub fn options(verilator: Verilator, out: &Path) -> RegressOptions {
    RegressOptions {
        jobs: 2,
        examples: 3,
        inference: 1,
        vectors: 50,
        verilator,
        out_dir: out.to_path_buf(),
        cache_dir: None,
        rerun_prefix: "sampleprop regress --examples 3 --inference 1".to_string(),
        window_radius: 24,
    }
}
