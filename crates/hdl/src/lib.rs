//! Verilog generator: renders the learning core of one configuration from the templates in rtl/templates.
//!
//! It owns the mapping from `Config` to RTL constants, tables and `$readmemh` images. It depends only
//! on sampleprop-config; it must not depend on the model, which is checked against its output.

mod params;
mod render;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use render::generate;

/// Hand-written primitives copied next to the generated RTL, in compile order.
pub const PRIMITIVES: [&str; 9] = [
    "sp_sat.v",
    "sp_mul.v",
    "sp_acc_lane.v",
    "sp_spike.v",
    "sp_counter.v",
    "sp_update.v",
    "sp_lfsr.v",
    "sp_ram_1p.v",
    "sp_ram_2p.v",
];

/// Initial contents of the weight and bias memories, as raw two's-complement integers.
pub struct MemoryImage<'a> {
    /// Hidden weights W_ji, I * H values, index i * H + j.
    pub w: &'a [i32],
    /// Hidden biases b_j, H values.
    pub b: &'a [i32],
    /// Output weights V_kj, O * H values, index k * H + j.
    pub v: &'a [i32],
    /// Output biases c_k, O values.
    pub c: &'a [i32],
}

/// One generated file: a bare file name and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub name: String,
    pub contents: String,
}

/// Error raised while generating or writing RTL.
#[derive(Debug, thiserror::Error)]
pub enum HdlError {
    /// An initial-memory slice has the wrong length for the configuration.
    #[error("memory image {memory} has {actual} values but the configuration needs {expected}; pass {expected} values ({layout})")]
    ImageLength { memory: &'static str, actual: usize, expected: usize, layout: &'static str },

    /// An initial value does not fit the signed weight width.
    #[error("memory image {memory}[{index}] = {value} does not fit {bits}-bit two's complement; clamp it to [{min}, {max}]")]
    ImageRange { memory: &'static str, index: usize, value: i32, bits: u32, min: i64, max: i64 },

    /// A template failed to render.
    #[error("template {template} failed to render: {source}; check the template syntax")]
    Render {
        template: &'static str,
        #[source]
        source: askama::Error,
    },

    /// A hand-written primitive could not be read.
    #[error("cannot read primitive {path}: {source}; check that rtl/primitives is complete")]
    Primitive {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A generated file could not be written.
    #[error("cannot write {path}: {source}; check that the output folder is writable")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Returns the absolute path of the hand-written primitives (rtl/primitives).
pub fn primitives_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rtl/primitives")
}

/// Returns the absolute path of the unit testbenches (testbenches/units).
pub fn units_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testbenches/units")
}

/// Returns the absolute path of the Verilator waiver file (rtl/lint/waivers.vlt).
pub fn waivers_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rtl/lint/waivers.vlt")
}

/// Writes every file into `dir`, creating it; each file is written to a temporary name, synced and renamed.
pub fn write_files(files: &[GeneratedFile], dir: &Path) -> Result<(), HdlError> {
    let write_error = |path: &Path, source| HdlError::Write { path: path.display().to_string(), source };
    fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;

    for file in files {
        let target = dir.join(&file.name);
        let temporary = dir.join(format!(".{}.tmp{}", file.name, std::process::id()));

        let mut handle = fs::File::create(&temporary).map_err(|e| write_error(&temporary, e))?;
        handle.write_all(file.contents.as_bytes()).map_err(|e| write_error(&temporary, e))?;
        handle.sync_all().map_err(|e| write_error(&temporary, e))?;
        drop(handle);

        fs::rename(&temporary, &target).map_err(|e| write_error(&target, e))?;
    }
    Ok(())
}
