//! Shared helpers of the generator tests: configurations, memory images and tool lookup.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use sampleprop_config::Config;
use sampleprop_hdl::{generate, write_files, GeneratedFile, MemoryImage};

/// Owned initial memories; weights follow a fixed integer recurrence so that every run is identical.
pub struct Image {
    pub w: Vec<i32>,
    pub b: Vec<i32>,
    pub v: Vec<i32>,
    pub c: Vec<i32>,
}

impl Image {
    /// Builds weights spread over the whole weight range, biases in a quarter of it.
    pub fn new(config: &Config) -> Image {
        let n = &config.network;
        let format = config.weight_format();
        let (min, max) = (format.min_raw(), format.max_raw());
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |span_div: i64| -> i32 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let span = (max - min + 1) / span_div;
            let offset = ((state >> 33) as i64).rem_euclid(span.max(1));
            (min / span_div + offset) as i32
        };
        Image {
            w: (0..n.inputs * n.hidden).map(|_| next(1)).collect(),
            b: (0..n.hidden).map(|_| next(4)).collect(),
            v: (0..n.outputs * n.hidden).map(|_| next(1)).collect(),
            c: (0..n.outputs).map(|_| next(4)).collect(),
        }
    }

    pub fn view(&self) -> MemoryImage<'_> {
        MemoryImage { w: &self.w, b: &self.b, v: &self.v, c: &self.c }
    }
}

/// Parses a configuration from TOML text, panicking with the validation message.
pub fn config(toml: &str) -> Config {
    Config::from_toml_str(toml, "test configuration").unwrap_or_else(|e| panic!("{e}"))
}

/// Generates the files of `config` with the fixed test image.
pub fn files_for(config: &Config) -> Vec<GeneratedFile> {
    let image = Image::new(config);
    generate(config, &image.view()).unwrap_or_else(|e| panic!("{e}"))
}

/// Generates into a fresh folder under the target directory and returns its path.
pub fn generate_into(name: &str, config: &Config) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    write_files(&files_for(config), &dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Returns true when `tool` runs; otherwise prints why the test is skipped, or panics when
/// SAMPLEPROP_REQUIRE_TOOLS is set.
pub fn tool_available(tool: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !found {
        if std::env::var_os("SAMPLEPROP_REQUIRE_TOOLS").is_some() {
            panic!("{tool} is not on PATH but SAMPLEPROP_REQUIRE_TOOLS is set; install {tool} or unset the variable");
        }
        eprintln!("skipped: {tool} is not on PATH (set SAMPLEPROP_REQUIRE_TOOLS=1 to make this a failure)");
    }
    found
}
