//! Helpers shared by the co-simulation tests.

use sampleprop_cosim::{tools_required, Verilator};

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
