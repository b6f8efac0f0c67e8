use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sampleprop_config::Config;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::estimate::{check_block_ram, memory_shapes};
use crate::report::{Checks, MemoryMapping, SynthReport};
use crate::target::Part;
use crate::{parse, tools, SynthError, Target};

/// Options of one synthesis run.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// Folder for results; `None` means `$SAMPLEPROP_BUILD_DIR`, or `build` in the current folder.
    pub build_dir: Option<PathBuf>,
    /// Run the tools even when a cached report for the same configuration, target and RTL exists.
    pub rerun: bool,
    /// Target frequency given to nextpnr in MHz; it steers placement, the report gives the achieved value.
    pub target_mhz: f64,
    /// Placement seed, fixed so that Fmax reproduces.
    pub seed: u64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            build_dir: None,
            rerun: false,
            target_mhz: 100.0,
            seed: 1,
        }
    }
}

/// Returns `<build>/synth/<digest>-<target>`, the folder that contains one run's files and report.
pub fn cache_dir(config: &Config, target: &Target, opts: &SynthOptions) -> PathBuf {
    let build = opts
        .build_dir
        .clone()
        .or_else(|| std::env::var_os("SAMPLEPROP_BUILD_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("build"));
    build
        .join("synth")
        .join(format!("{}-{}", config.digest(), target.slug()))
}

/// Synthesizes the RTL in `rtl_dir` (generated from `config`, with a `files.f`) for `target`.
///
/// For an FPGA part, a configuration whose weight memories cannot fit the
/// part's block RAM is rejected before any tool runs, and a design with more
/// LUTs than the part's logic cells is rejected before place and route. A
/// report for the same configuration, target and RTL files is reused from
/// the cache folder unless `opts.rerun` is set. Failed design checks do not
/// make this function fail: see [`SynthReport::failures`].
pub fn synthesize(
    config: &Config,
    rtl_dir: &Path,
    target: &Target,
    opts: &SynthOptions,
) -> Result<SynthReport, SynthError> {
    let part = target.part()?;
    if let Some(part) = part {
        check_block_ram(config, part)?;
    }

    let verilog = read_file_list(rtl_dir)?;
    let rtl_files = rtl_files(rtl_dir)?;
    let rtl_hash = hash_files(&rtl_files)?;

    let dir = cache_dir(config, target, opts);
    let report_path = dir.join("report.json");
    if !opts.rerun {
        if let Some(cached) = read_cached(&report_path, &rtl_hash) {
            return Ok(cached);
        }
    }

    let toolchain = tools::toolchain(target)?;
    let started = Instant::now();
    prepare_dir(&dir, &rtl_files)?;

    // Synthesis, with the RTL copied to rtl/ so every path stays inside the run folder.
    let verilog: Vec<String> = verilog.iter().map(|name| format!("rtl/{name}")).collect();
    let script = tools::yosys_script(&verilog, target);
    write(&dir.join("synth.ys"), &script)?;
    let args = vec!["-q".to_string(), "-s".to_string(), "synth.ys".to_string()];
    if !tools::run(&toolchain.yosys, &args, &dir, "yosys.log")? {
        return Err(tool_failed("yosys", &dir.join("yosys.log")));
    }

    let latches = parse::latches(&read_json(&dir, "proc.json", "yosys")?)
        .map_err(|p| json_error(&dir, "proc.json", p))?;
    let flat = read_json(&dir, "flat.json", "yosys")?;
    let loops = parse::combinational_loops(&flat).map_err(|p| json_error(&dir, "flat.json", p))?;
    let inferred = parse::memories(&flat).map_err(|p| json_error(&dir, "flat.json", p))?;
    drop(flat);
    let cells_by_type = parse::stat_cells(&read_json(&dir, "stat.json", "yosys")?)
        .map_err(|p| json_error(&dir, "stat.json", p))?;

    let counts = count_cells(target, &cells_by_type);
    let memories = map_memories(config, target, &dir, &inferred)?;
    let memories_in_bram = memories
        .iter()
        .filter(|memory| memory.block_ram_intended)
        .all(|memory| memory.block_ram_cells > 0);

    // The generic netlist keeps every memory abstract, lookup tables with combinational reads
    // included, so its block RAM figure counts the memories a RAM could hold instead.
    let block_rams = match target {
        Target::Generic => memories.iter().filter(|memory| memory.block_ram_cells > 0).count() as u64,
        _ => counts.block_rams,
    };

    let mut report = SynthReport {
        config_digest: config.digest(),
        target: target.clone(),
        part: part.map(|part| part.name.to_string()),
        tools: vec![tools::version(&toolchain.yosys)],
        rtl_hash,
        luts: counts.luts,
        flip_flops: counts.flip_flops,
        block_rams,
        carry_cells: counts.carry_cells,
        cells_by_type,
        fmax_mhz: None,
        utilisation: BTreeMap::new(),
        memories,
        checks: Checks {
            latches,
            memories_in_bram,
            combinational_loops: loops,
        },
        seconds: 0.0,
    };

    if let (Some(part), Some(nextpnr)) = (part, &toolchain.nextpnr) {
        // Keep the synthesis figures even when the part is too small for place and route.
        report.seconds = started.elapsed().as_secs_f64();
        write(&dir.join("synth-only-report.txt"), &report.to_table())?;
        check_logic_cells(config, part, &report, &dir)?;
        let args = tools::nextpnr_args(part, opts.target_mhz, opts.seed);
        if !tools::run(nextpnr, &args, &dir, "nextpnr.out")? {
            return Err(translate_pnr_failure(config, part, &dir));
        }
        let pnr = parse::pnr_report(&read_json(&dir, "report.json", "nextpnr")?)
            .map_err(|p| json_error(&dir, "report.json", p))?;
        report.fmax_mhz = pnr.fmax_mhz;
        report.utilisation = pnr.utilisation;
        report.tools.push(tools::version(nextpnr));
    }

    report.seconds = started.elapsed().as_secs_f64();
    let json = serde_json::to_string_pretty(&report).expect("report serializes to JSON");
    write(&dir.join("synth-report.txt"), &report.to_table())?;
    write(&report_path, &json)?;
    Ok(report)
}

/// Reads `files.f`: one Verilog file name a line; blank lines and `//` or `#` comments are skipped.
///
/// Testbenches (`tb_*.v`) are left out because they are not synthesizable.
fn read_file_list(rtl_dir: &Path) -> Result<Vec<String>, SynthError> {
    let path = rtl_dir.join("files.f");
    let text = std::fs::read_to_string(&path).map_err(|source| SynthError::FileList {
        path: path.clone(),
        problem: format!("cannot read it ({source})"),
    })?;

    let mut names = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") || line.starts_with('#') {
            continue;
        }
        let name = Path::new(line)
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or(line)
            .to_string();
        if name.starts_with("tb_") {
            continue;
        }
        if !rtl_dir.join(&name).is_file() {
            return Err(SynthError::FileList {
                path,
                problem: format!("it lists {line}, which is not a file in that folder"),
            });
        }
        names.push(name);
    }
    if names.is_empty() {
        return Err(SynthError::FileList {
            path,
            problem: "it lists no synthesizable Verilog file".to_string(),
        });
    }
    Ok(names)
}

/// Returns the regular files of the RTL folder (Verilog, memory images, files.f), sorted by name.
///
/// Hidden files are left out: they are the temporary files of a writer that has not finished.
fn rtl_files(rtl_dir: &Path) -> Result<Vec<PathBuf>, SynthError> {
    let entries = std::fs::read_dir(rtl_dir).map_err(|e| SynthError::io("list", rtl_dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| SynthError::io("list", rtl_dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_file() && !name.starts_with("tb_") && !name.starts_with('.') {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Returns a 16-digit SHA-256 prefix over the names and contents of the files.
fn hash_files(files: &[PathBuf]) -> Result<String, SynthError> {
    let mut hasher = Sha256::new();
    for path in files {
        let contents = std::fs::read(path).map_err(|e| SynthError::io("read", path, e))?;
        hasher.update(path.file_name().unwrap_or_default().as_encoded_bytes());
        hasher.update([0]);
        hasher.update((contents.len() as u64).to_le_bytes());
        hasher.update(&contents);
    }
    Ok(hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn read_cached(report_path: &Path, rtl_hash: &str) -> Option<SynthReport> {
    let text = std::fs::read_to_string(report_path).ok()?;
    let report: SynthReport = serde_json::from_str(&text).ok()?;
    (report.rtl_hash == rtl_hash).then_some(report)
}

/// Empties the run folder and copies the RTL files into its rtl/ subfolder.
fn prepare_dir(dir: &Path, rtl_files: &[PathBuf]) -> Result<(), SynthError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| SynthError::io("remove", dir, e))?;
    }
    let rtl = dir.join("rtl");
    std::fs::create_dir_all(&rtl).map_err(|e| SynthError::io("create", &rtl, e))?;
    for file in rtl_files {
        let copy = rtl.join(file.file_name().unwrap_or_default());
        std::fs::copy(file, &copy).map_err(|e| SynthError::io("copy", file, e))?;
    }
    Ok(())
}

fn write(path: &Path, contents: &str) -> Result<(), SynthError> {
    std::fs::write(path, contents).map_err(|e| SynthError::io("write", path, e))
}

fn read_json(dir: &Path, name: &str, tool: &str) -> Result<Value, SynthError> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| SynthError::io("read", &path, e))?;
    serde_json::from_str(&text).map_err(|e| SynthError::Json {
        tool: tool.to_string(),
        path,
        problem: e.to_string(),
    })
}

fn json_error(dir: &Path, name: &str, problem: String) -> SynthError {
    SynthError::Json {
        tool: if name == "report.json" {
            "nextpnr"
        } else {
            "yosys"
        }
        .to_string(),
        path: dir.join(name),
        problem,
    }
}

fn tool_failed(tool: &str, log: &Path) -> SynthError {
    SynthError::ToolFailed {
        tool: tool.to_string(),
        status: "a non-zero exit status".to_string(),
        excerpt: tools::log_excerpt(log),
        log: log.to_path_buf(),
    }
}

/// Cell counts of the report's headline resources.
struct CellCounts {
    luts: u64,
    flip_flops: u64,
    block_rams: u64,
    carry_cells: u64,
}

fn count_cells(target: &Target, cells: &BTreeMap<String, u64>) -> CellCounts {
    let sum = |wanted: &dyn Fn(&str) -> bool| -> u64 {
        cells
            .iter()
            .filter(|(cell_type, _)| wanted(cell_type))
            .map(|(_, count)| count)
            .sum()
    };
    match target {
        Target::Generic => CellCounts {
            luts: sum(&|t| t == "$lut"),
            flip_flops: sum(&|t| t.starts_with("$_") && t.contains("DFF")),
            // Replaced by the count of mappable memories once they are known.
            block_rams: sum(&|t| t == "$mem_v2" || t == "$mem"),
            carry_cells: 0,
        },
        Target::Ice40 { .. } => CellCounts {
            luts: sum(&|t| t == "SB_LUT4"),
            flip_flops: sum(&|t| t.starts_with("SB_DFF")),
            block_rams: sum(&|t| t == "SB_RAM40_4K" || t == "SB_SPRAM256KA"),
            carry_cells: sum(&|t| t == "SB_CARRY"),
        },
        Target::Ecp5 { .. } => CellCounts {
            luts: sum(&|t| t == "LUT4"),
            flip_flops: sum(&|t| t == "TRELLIS_FF"),
            block_rams: sum(&|t| t == "DP16KD"),
            carry_cells: sum(&|t| t == "CCU2C"),
        },
    }
}

/// Block RAM cell type of a target, or `None` for the generic target.
fn block_ram_cell(target: &Target) -> Option<&'static str> {
    match target {
        Target::Generic => None,
        Target::Ice40 { .. } => Some("SB_RAM40_4K"),
        Target::Ecp5 { .. } => Some("DP16KD"),
    }
}

/// Pairs each inferred memory with the block RAM cells that implement it.
///
/// A memory counts as intended for block RAM when its flattened name contains
/// the name of a memory the specification keeps in block RAM (wmem, bmem,
/// vmem, amem, nmem, in any case). For the generic target, which maps no RAM, a memory
/// counts as mappable (one cell) when all its read ports are clocked.
fn map_memories(
    config: &Config,
    target: &Target,
    dir: &Path,
    inferred: &[parse::InferredMemory],
) -> Result<Vec<MemoryMapping>, SynthError> {
    let intended_names: Vec<String> = memory_shapes(config)
        .into_iter()
        .filter(|shape| shape.block_ram_intended)
        .map(|shape| shape.name.to_ascii_lowercase())
        .collect();

    let ram_cells = match block_ram_cell(target) {
        Some(cell_type) => {
            let netlist = read_json(dir, "netlist.json", "yosys")?;
            parse::cells_of_type(&netlist, cell_type)
                .map_err(|p| json_error(dir, "netlist.json", p))?
        }
        None => Vec::new(),
    };

    Ok(inferred
        .iter()
        .map(|memory| {
            let lower = memory.name.to_ascii_lowercase();
            let block_ram_cells = if block_ram_cell(target).is_some() {
                let prefix = format!("{}.", memory.name);
                ram_cells
                    .iter()
                    .filter(|cell| cell.starts_with(&prefix))
                    .count() as u64
            } else {
                u64::from(memory.synchronous_read)
            };
            MemoryMapping {
                name: memory.name.clone(),
                words: memory.words,
                width: memory.width,
                synchronous_read: memory.synchronous_read,
                block_ram_intended: intended_names
                    .iter()
                    .any(|name| lower.contains(name.as_str())),
                block_ram_cells,
            }
        })
        .collect())
}

/// Rejects, before place and route, a netlist with more LUTs or flip-flops than the part has logic cells.
fn check_logic_cells(
    config: &Config,
    part: &Part,
    report: &SynthReport,
    dir: &Path,
) -> Result<(), SynthError> {
    let figures = dir.join("synth-only-report.txt");
    let needed = report.luts.max(report.flip_flops);
    if needed > part.logic_cells {
        return Err(SynthError::TooLarge {
            digest: config.digest(),
            part: part.name.to_string(),
            resource: "logic cells".to_string(),
            needed,
            available: part.logic_cells,
            detail: format!(
                "synthesis gave {} LUTs and {} flip-flops, and each logic cell has one of each; figures in {}",
                report.luts,
                report.flip_flops,
                figures.display()
            ),
        });
    }
    if report.block_rams > part.block_rams {
        return Err(SynthError::TooLarge {
            digest: config.digest(),
            part: part.name.to_string(),
            resource: "block RAMs".to_string(),
            needed: report.block_rams,
            available: part.block_rams,
            detail: format!(
                "counted in the synthesized netlist; figures in {}",
                figures.display()
            ),
        });
    }
    Ok(())
}

/// Turns a nextpnr failure into a too-large error when its log shows an over-used resource.
fn translate_pnr_failure(config: &Config, part: &Part, dir: &Path) -> SynthError {
    let log = dir.join("nextpnr.log");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    if let Some((resource, used, available)) = parse::overused_resource(&text) {
        return SynthError::TooLarge {
            digest: config.digest(),
            part: part.name.to_string(),
            resource,
            needed: used,
            available,
            detail: format!("reported by nextpnr, log in {}", log.display()),
        };
    }
    let log = if log.is_file() {
        log
    } else {
        dir.join("nextpnr.out")
    };
    tool_failed("nextpnr", &log)
}
