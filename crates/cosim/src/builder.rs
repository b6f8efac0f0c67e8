//! Verilating a testbench into a simulation binary, cached by a hash of every input.
//!
//! A model lives in `<build>/cosim/<group>/<key>/`: `src/` contains the generated
//! files and is the simulation's working folder (the RTL loads its `$readmemh`
//! files by bare name), `obj/Vtop` is the binary. The key hashes the Verilator
//! version, the flags, the generated files and every source file, so editing a
//! template or a primitive rebuilds. A build runs in a temporary folder beside
//! its final place and is renamed into place, so concurrent builds of the same
//! key never see each other's half-written files.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::paths::tb_main;
use crate::verilator::Verilator;
use crate::CosimError;

/// C++ optimization level of the verilated model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimization {
    /// `-O0` C++: the fastest build, the slowest simulation (short runs, many configurations).
    FastBuild,
    /// `-O1` C++: a middle ground.
    Balanced,
    /// `-O2` C++: the fastest simulation (long runs).
    FastRun,
}

impl Optimization {
    fn cxx_flag(self) -> &'static str {
        match self {
            Optimization::FastBuild => "-O0",
            Optimization::Balanced => "-O1",
            Optimization::FastRun => "-O2",
        }
    }
}

/// Everything that defines one verilated testbench.
#[derive(Debug, Clone)]
pub struct BuildSpec {
    /// Human-readable name for messages, e.g. `tb_core for configuration 0123abcd`.
    pub label: String,
    /// Cache subfolder: a configuration digest, or `units`.
    pub group: String,
    /// Top module of the testbench.
    pub top: String,
    /// Files written into `src/` before verilating: (file name, contents).
    pub generated: Vec<(String, String)>,
    /// Verilog sources in compile order: names inside `src/`, or absolute paths.
    pub sources: Vec<PathBuf>,
    /// Folders searched for modules the sources instantiate (`-y`).
    pub search_dirs: Vec<PathBuf>,
    /// Top-level parameter overrides (`-GNAME=VALUE`).
    pub parameters: Vec<(String, String)>,
    pub optimization: Optimization,
    /// Build with `--trace` so `+vcd=PATH` works; off saves about a quarter of the build time.
    pub vcd_support: bool,
}

/// A verilated testbench ready to run.
#[derive(Debug, Clone)]
pub struct BuiltModel {
    /// `<build>/cosim/<group>/<key>`.
    pub dir: PathBuf,
    /// Working folder for runs (`dir/src`).
    pub workdir: PathBuf,
    pub binary: PathBuf,
    /// False when this call verilated and compiled; true when an earlier build was reused.
    pub cached: bool,
    /// Time spent verilating and compiling (zero when cached).
    pub build_time: Duration,
}

/// Marker written last into a finished build folder.
const STAMP: &str = "build.complete";

/// Returns the Verilator arguments of a build, each flag with its reason.
fn verilator_args(spec: &BuildSpec) -> Vec<String> {
    let mut args: Vec<String> = vec![
        // C++ model plus our own main, compiled and linked by Verilator's make.
        "--cc".into(),
        "--exe".into(),
        "--build".into(),
        // Two parallel compile jobs: the machines this runs on have two cores.
        "-j".into(),
        "2".into(),
        // The class is Vtop for every testbench, so tb_main.cpp stays generic.
        "--prefix".into(),
        "Vtop".into(),
        "--top-module".into(),
        spec.top.clone(),
        // Lint is the generator's test (verilator --lint-only -Wall); a warning must not stop a co-simulation.
        "-Wno-fatal".into(),
        // Testbench loops over whole memories (digests) must stay loops: fully unrolled, the
        // default-configuration tb_core took 258 s to verilate into 12 MB of C++ instead of 0.5 s.
        "--unroll-count".into(),
        "8".into(),
        // The C++ optimization level of the model (Verilator's own optimizations stay at their
        // default). CFG_CXXFLAGS_PCH_I names the flag that includes the precompiled header. The
        // PyPI 5.048 build leaves it empty, which breaks every multi-file model, so it is set
        // here; setting it is harmless where it is already set.
        "-MAKEFLAGS".into(),
        format!(
            "OPT_FAST={0} OPT_SLOW={0} OPT_GLOBAL={0} CFG_CXXFLAGS_PCH_I=-include{1}",
            spec.optimization.cxx_flag(),
            if objcache_available() { " OBJCACHE=ccache" } else { "" }
        ),
        "-Mdir".into(),
        "../obj".into(),
    ];
    if spec.vcd_support {
        // VCD support for +vcd=PATH; it costs build time but no run time until a VCD is opened.
        args.push("--trace".into());
    }
    for dir in &spec.search_dirs {
        args.push("-y".into());
        args.push(dir.display().to_string());
    }
    for (name, value) in &spec.parameters {
        args.push(format!("-G{name}={value}"));
    }
    for source in &spec.sources {
        args.push(source.display().to_string());
    }
    args.push(tb_main().display().to_string());
    args
}

/// Returns true when ccache is on PATH; Verilator's makefile then caches the compiled
/// runtime (verilated.cpp and friends), about a third of each build.
fn objcache_available() -> bool {
    std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("ccache").is_file()))
}

/// Returns the cache key: a SHA-256 prefix over the Verilator version, the flags and every input file.
fn cache_key(verilator: &Verilator, spec: &BuildSpec, args: &[String]) -> Result<String, CosimError> {
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };

    field(verilator.executable.display().to_string().as_bytes());
    field(verilator.version.to_string().as_bytes());
    for arg in args {
        field(arg.as_bytes());
    }
    for (name, contents) in &spec.generated {
        field(name.as_bytes());
        field(contents.as_bytes());
    }

    let mut files: Vec<PathBuf> = spec.sources.iter().filter(|p| p.is_absolute()).cloned().collect();
    files.push(tb_main());
    for dir in &spec.search_dirs {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|e| CosimError::io("list", dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        files.extend(entries);
    }
    for file in files {
        let bytes = fs::read(&file).map_err(|e| CosimError::io("read", &file, e))?;
        field(file.display().to_string().as_bytes());
        field(&bytes);
    }

    let digest = hash.finalize();
    Ok(digest.iter().take(8).map(|b| format!("{b:02x}")).collect())
}

/// Builds the testbench, or reuses the cached build with the same key.
pub fn build(verilator: &Verilator, spec: &BuildSpec, cache: &Path) -> Result<BuiltModel, CosimError> {
    let args = verilator_args(spec);
    let key = cache_key(verilator, spec, &args)?;
    let group = cache.join(&spec.group);
    let dir = group.join(&key);
    if dir.join(STAMP).is_file() {
        return Ok(finished(dir, true, Duration::ZERO));
    }

    fs::create_dir_all(&group).map_err(|e| CosimError::io("create", &group, e))?;
    let staging = tempfile::Builder::new()
        .prefix(".staging-")
        .tempdir_in(&group)
        .map_err(|e| CosimError::io("create a temporary folder in", &group, e))?;
    let src = staging.path().join("src");
    fs::create_dir_all(&src).map_err(|e| CosimError::io("create", &src, e))?;
    for (name, contents) in &spec.generated {
        let path = src.join(name);
        fs::write(&path, contents).map_err(|e| CosimError::io("write", &path, e))?;
    }

    let started = Instant::now();
    let log_path = staging.path().join("build.log");
    let output = verilator
        .command()
        .args(&args)
        .current_dir(&src)
        .output()
        .map_err(|e| CosimError::io("run", &verilator.executable, e))?;
    let build_time = started.elapsed();
    write_log(&log_path, &args, &output.stdout, &output.stderr)?;

    if !output.status.success() || !staging.path().join("obj/Vtop").is_file() {
        // Keep the failed folder for inspection under a fixed name.
        let failed = group.join(format!("{key}.failed"));
        let _ = fs::remove_dir_all(&failed);
        let kept = staging.keep();
        let log = match fs::rename(&kept, &failed) {
            Ok(()) => failed.join("build.log"),
            Err(_) => kept.join("build.log"),
        };
        return Err(CosimError::BuildFailed {
            what: spec.label.clone(),
            status: output.status.to_string(),
            excerpt: error_excerpt(&output.stderr, &output.stdout),
            log,
        });
    }

    let stamp = staging.path().join(STAMP);
    fs::write(&stamp, format!("{key}\n")).map_err(|e| CosimError::io("write", &stamp, e))?;
    let kept = staging.keep();
    match fs::rename(&kept, &dir) {
        Ok(()) => Ok(finished(dir, false, build_time)),
        Err(_) if dir.join(STAMP).is_file() => {
            // Another process finished the same key first; its files equal ours.
            let _ = fs::remove_dir_all(&kept);
            Ok(finished(dir, true, build_time))
        }
        Err(e) => Err(CosimError::io("move the finished build to", &dir, e)),
    }
}

fn finished(dir: PathBuf, cached: bool, build_time: Duration) -> BuiltModel {
    BuiltModel {
        workdir: dir.join("src"),
        binary: dir.join("obj/Vtop"),
        dir,
        cached,
        build_time,
    }
}

fn write_log(path: &Path, args: &[String], stdout: &[u8], stderr: &[u8]) -> Result<(), CosimError> {
    let mut file = fs::File::create(path).map_err(|e| CosimError::io("create", path, e))?;
    let mut write = || -> std::io::Result<()> {
        writeln!(file, "verilator {}", args.join(" "))?;
        file.write_all(stdout)?;
        file.write_all(stderr)
    };
    write().map_err(|e| CosimError::io("write", path, e))
}

/// Returns the first error lines of a failed build, joined on one line.
fn error_excerpt(stderr: &[u8], stdout: &[u8]) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(stderr), String::from_utf8_lossy(stdout));
    let errors: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("%Error") || line.contains("error:"))
        .take(3)
        .collect();
    if errors.is_empty() {
        text.lines().rev().take(3).collect::<Vec<_>>().join(" | ")
    } else {
        errors.join(" | ")
    }
}

/// Output of one simulation run.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub stdout: String,
    pub stderr: String,
    pub success: bool,
    pub wall: Duration,
}

/// Runs a built testbench with plusargs, in its working folder.
pub fn run(model: &BuiltModel, plusargs: &[String]) -> Result<RunOutput, CosimError> {
    let started = Instant::now();
    let output = Command::new(&model.binary)
        .args(plusargs)
        .current_dir(&model.workdir)
        .output()
        .map_err(|e| CosimError::io("run", &model.binary, e))?;
    Ok(RunOutput {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        success: output.status.success(),
        wall: started.elapsed(),
    })
}
