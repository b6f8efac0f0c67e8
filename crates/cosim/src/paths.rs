//! Repository-relative locations the co-simulation reads and writes.

use std::path::PathBuf;

/// Returns the repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.join("../..").canonicalize().unwrap_or_else(|_| manifest.join("../.."))
}

/// Returns the build folder: `$SAMPLEPROP_BUILD_DIR`, else `build/` at the repository root.
pub fn build_root() -> PathBuf {
    match std::env::var_os("SAMPLEPROP_BUILD_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("build"),
    }
}

/// Returns the folder of cached Verilator models: `<build>/cosim`.
pub fn cosim_cache() -> PathBuf {
    build_root().join("cosim")
}

/// Returns the generic C++ main shared by all testbenches.
pub fn tb_main() -> PathBuf {
    repo_root().join("testbenches/cpp/tb_main.cpp")
}

/// Returns the folder of regression configurations.
pub fn regression_configs() -> PathBuf {
    repo_root().join("testbenches/configs")
}
