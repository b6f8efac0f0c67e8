//! Co-simulation of the whole core: the model and the verilated tb_core on the same examples.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sampleprop_config::Config;
use sampleprop_hdl::{generate, GeneratedFile, MemoryImage};
use sampleprop_model::{init, Core, TraceLevel};

use crate::builder::{self, BuildSpec, BuiltModel, Optimization};
use crate::paths::cosim_cache;
use crate::stimulus::{self, Example, Source};
use crate::trace::{first_event_mismatch, first_summary_mismatch, Mismatch, Trace};
use crate::verilator::Verilator;
use crate::CosimError;

/// Settings of a co-simulation run beyond the configuration and the example count.
#[derive(Debug, Clone)]
pub struct CosimOptions {
    /// Origin of the examples.
    pub source: Source,
    /// Inference examples appended after the training examples (the streams run on from training).
    pub inference_examples: usize,
    /// C++ optimization of the verilated model.
    pub optimization: Optimization,
    /// On a summary mismatch, rerun both sides with event traces to find the first differing cycle.
    pub locate_with_events: bool,
    /// Write a VCD of the RTL run here.
    pub vcd: Option<PathBuf>,
    /// Build the model with VCD support (needed for `vcd`; off builds faster).
    pub vcd_support: bool,
    /// Cache of verilated models; `None` means `<build>/cosim`.
    pub cache_dir: Option<PathBuf>,
    /// The Verilator to use; `None` means [`Verilator::discover`].
    pub verilator: Option<Verilator>,
}

impl Default for CosimOptions {
    fn default() -> Self {
        CosimOptions {
            source: Source::Auto,
            inference_examples: 0,
            optimization: Optimization::Balanced,
            locate_with_events: true,
            vcd: None,
            vcd_support: true,
            cache_dir: None,
            verilator: None,
        }
    }
}

/// The outcome of one co-simulation.
#[derive(Debug, Clone)]
pub struct CosimReport {
    /// Digest of the configuration.
    pub config: String,
    /// Examples compared (training and inference).
    pub examples: usize,
    /// Sum of the model's per-example cycle counts.
    pub model_cycles: u64,
    /// Cycles the testbench reported in its PASS line (includes its reset and idle cycles).
    pub rtl_cycles: Option<u64>,
    /// Wall time of the model run (with the summary trace on).
    pub model_time: Duration,
    /// Wall time of the verilated run.
    pub rtl_time: Duration,
    /// Wall time of verilating and compiling (zero when the cached model was reused).
    pub build_time: Duration,
    pub cached_build: bool,
    /// Folder of the verilated model.
    pub build_dir: PathBuf,
    /// The first difference, or `None` when the traces are identical.
    pub mismatch: Option<Mismatch>,
    /// Folder holding both traces and the stimulus, kept only when there is a mismatch.
    pub kept_run: Option<PathBuf>,
}

/// Runs the model and the RTL of `config` on `examples` training examples (plus
/// `opts.inference_examples` inference examples) and compares their traces exactly.
pub fn cosim(config: &Config, examples: usize, opts: &CosimOptions) -> Result<CosimReport, CosimError> {
    let files = generate_rtl(config)?;
    cosim_generated(config, &files, examples, opts)
}

/// Generates the RTL and tb_core of `config`, with the model's initial weights in its memories.
pub fn generate_rtl(config: &Config) -> Result<Vec<GeneratedFile>, CosimError> {
    let weights = init::initial_weights(config);
    let image = MemoryImage { w: &weights.w, b: &weights.b, v: &weights.v, c: &weights.c };
    Ok(generate(config, &image)?)
}

/// Like [`cosim`], on already generated (and possibly edited) files.
pub fn cosim_generated(
    config: &Config,
    files: &[GeneratedFile],
    examples: usize,
    opts: &CosimOptions,
) -> Result<CosimReport, CosimError> {
    let verilator = match &opts.verilator {
        Some(v) => v.clone(),
        None => Verilator::discover()?,
    };
    let cache = opts.cache_dir.clone().unwrap_or_else(cosim_cache);
    let vcd_support = opts.vcd_support || opts.vcd.is_some();
    let model = build_core(&verilator, config, files, opts.optimization, vcd_support, &cache)?;

    let list = stimulus::examples(config, opts.source, examples, opts.inference_examples)?;

    let started = Instant::now();
    let (expected_text, model_cycles) = run_model(config, &list, TraceLevel::Summary);
    let model_time = started.elapsed();

    let run_dir = tempfile::Builder::new()
        .prefix("run-")
        .tempdir_in(&model.dir)
        .map_err(|e| CosimError::io("create a run folder in", &model.dir, e))?;
    fs::write(run_dir.path().join("model.trace"), &expected_text)
        .map_err(|e| CosimError::io("write", run_dir.path().join("model.trace"), e))?;

    let rtl = run_rtl(&model, &list, model_cycles, run_dir.path(), false, opts.vcd.as_deref())?;
    let expected = Trace::parse(&expected_text, "model trace")?;
    let mut mismatch = first_summary_mismatch(&expected, &rtl.trace);

    if mismatch.is_none() && rtl.pass.is_none() {
        let output = run_dir.keep();
        return Err(CosimError::SimulationFailed {
            what: format!("tb_core for configuration {}", config.digest()),
            reason: rtl.failure_line(),
            output,
        });
    }

    if let Some(found) = mismatch.as_mut() {
        if opts.locate_with_events {
            found.first_event = locate_with_events(&model, config, &list, found.example, run_dir.path())?;
        }
    }

    let kept_run = if mismatch.is_some() { Some(run_dir.keep()) } else { None };
    Ok(CosimReport {
        config: config.digest(),
        examples: list.len(),
        model_cycles,
        rtl_cycles: rtl.pass.map(|(_, cycles)| cycles),
        model_time,
        rtl_time: rtl.wall,
        build_time: model.build_time,
        cached_build: model.cached,
        build_dir: model.dir.clone(),
        mismatch,
        kept_run,
    })
}

/// Verilates tb_core with the generated files (cached by their contents);
/// `vcd_support` builds with `--trace` so `+vcd=PATH` works.
pub fn build_core(
    verilator: &Verilator,
    config: &Config,
    files: &[GeneratedFile],
    optimization: Optimization,
    vcd_support: bool,
    cache: &Path,
) -> Result<BuiltModel, CosimError> {
    let file_list = files.iter().find(|f| f.name == "files.f").map(|f| f.contents.as_str()).unwrap_or("");
    let mut sources: Vec<PathBuf> = file_list
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//") && !line.starts_with('#'))
        .map(PathBuf::from)
        .collect();
    if !sources.iter().any(|s| s == Path::new("tb_core.v")) {
        sources.push(PathBuf::from("tb_core.v"));
    }

    let spec = BuildSpec {
        label: format!("tb_core for configuration {}", config.digest()),
        group: config.digest(),
        top: "tb_core".to_string(),
        generated: files.iter().map(|f| (f.name.clone(), f.contents.clone())).collect(),
        sources,
        search_dirs: Vec::new(),
        parameters: Vec::new(),
        optimization,
        vcd_support,
    };
    builder::build(verilator, &spec, cache)
}

/// Runs the model on the examples; returns its trace text and its total cycles.
pub fn run_model(config: &Config, examples: &[Example], level: TraceLevel) -> (String, u64) {
    let mut core = Core::new(config);
    core.set_trace(level);
    let mut cycles = 0;
    for example in examples {
        let result = if example.train {
            core.train_example(&example.pixels, example.label)
        } else {
            core.infer_example(&example.pixels, example.label)
        };
        cycles += result.cycles;
    }

    let mut text = String::new();
    for trace in core.take_traces() {
        trace.write_text(&mut text).expect("writing to a String cannot fail");
    }
    (text, cycles)
}

/// Output of one tb_core run.
struct RtlRun {
    trace: Trace,
    /// (examples, cycles) from the PASS line.
    pass: Option<(u64, u64)>,
    stdout: String,
    stderr: String,
    wall: Duration,
}

impl RtlRun {
    /// Returns the testbench's FAIL line, or a description of what is missing.
    fn failure_line(&self) -> String {
        let fail = self.stdout.lines().chain(self.stderr.lines()).find(|l| l.contains("FAIL") || l.starts_with("%Error"));
        match fail {
            Some(line) => line.trim().to_string(),
            None => "no `tb_core: PASS` line in its output".to_string(),
        }
    }
}

fn run_rtl(
    model: &BuiltModel,
    examples: &[Example],
    model_cycles: u64,
    dir: &Path,
    events: bool,
    vcd: Option<&Path>,
) -> Result<RtlRun, CosimError> {
    let stimulus_path = dir.join("stimulus.txt");
    fs::write(&stimulus_path, stimulus::stimulus_text(examples)).map_err(|e| CosimError::io("write", &stimulus_path, e))?;
    let trace_path = dir.join(if events { "rtl.events.trace" } else { "rtl.trace" });

    // The testbench adds reset and idle cycles between examples; twice the
    // model's count plus a margin per example only stops a hung controller.
    let max_cycles = 2 * model_cycles + 1000 * (examples.len() as u64 + 1);
    let mut plusargs = vec![
        format!("+stimulus={}", stimulus_path.display()),
        format!("+examples={}", examples.len()),
        format!("+trace={}", trace_path.display()),
        format!("+max_cycles={max_cycles}"),
    ];
    if events {
        plusargs.push("+events".to_string());
    }
    if let Some(vcd) = vcd {
        plusargs.push(format!("+vcd={}", vcd.display()));
    }

    let output = builder::run(model, &plusargs)?;
    let log_path = dir.join(if events { "rtl.events.log" } else { "rtl.log" });
    let log = format!("{}\n{}", output.stdout, output.stderr);
    fs::write(&log_path, log).map_err(|e| CosimError::io("write", &log_path, e))?;

    let text = fs::read_to_string(&trace_path).unwrap_or_default();
    let trace = Trace::parse(&text, &trace_path.display().to_string())?;
    let pass = if output.success { parse_pass(&output.stdout, "tb_core") } else { None };
    Ok(RtlRun { trace, pass, stdout: output.stdout, stderr: output.stderr, wall: output.wall })
}

/// Parses `tb_core: PASS N examples C cycles`.
fn parse_pass(stdout: &str, name: &str) -> Option<(u64, u64)> {
    let prefix = format!("{name}: PASS ");
    let line = stdout.lines().find_map(|l| l.trim().strip_prefix(prefix.as_str()))?;
    let tokens: Vec<&str> = line.split_whitespace().collect();
    match tokens.as_slice() {
        [n, "examples", c, "cycles"] => Some((n.parse().ok()?, c.parse().ok()?)),
        _ => None,
    }
}

/// Reruns both sides on examples 0..=`example` with event traces; returns their first differing event.
fn locate_with_events(
    model: &BuiltModel,
    config: &Config,
    examples: &[Example],
    example: u64,
    dir: &Path,
) -> Result<Option<crate::trace::EventMismatch>, CosimError> {
    let upto = (example as usize + 1).min(examples.len());
    let prefix = &examples[..upto];

    let (expected_text, model_cycles) = run_model(config, prefix, TraceLevel::Events);
    let expected_path = dir.join("model.events.trace");
    fs::write(&expected_path, &expected_text).map_err(|e| CosimError::io("write", &expected_path, e))?;

    let rtl = run_rtl(model, prefix, model_cycles, dir, true, None)?;
    let expected = Trace::parse(&expected_text, "model event trace")?;
    Ok(first_event_mismatch(&expected, &rtl.trace))
}

/// Renders a report as a few lines for people.
pub fn describe(report: &CosimReport) -> String {
    let mut text = String::new();
    let verdict = match &report.mismatch {
        None => "traces identical".to_string(),
        Some(m) => format!("MISMATCH {m}"),
    };
    writeln!(text, "configuration {}: {} examples, {verdict}", report.config, report.examples).expect("String write");
    writeln!(
        text,
        "model {} cycles in {:.3} s; RTL {} cycles in {:.3} s; build {:.1} s{}",
        report.model_cycles,
        report.model_time.as_secs_f64(),
        report.rtl_cycles.map_or("?".to_string(), |c| c.to_string()),
        report.rtl_time.as_secs_f64(),
        report.build_time.as_secs_f64(),
        if report.cached_build { " (cached)" } else { "" }
    )
    .expect("String write");
    if let Some(dir) = &report.kept_run {
        writeln!(text, "traces kept in {}", dir.display()).expect("String write");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pass_line_is_parsed() {
        let out = "- tb_core.v:10: Verilog $finish\ntb_core: PASS 12 examples 34567 cycles\n";
        assert_eq!(parse_pass(out, "tb_core"), Some((12, 34567)));
        assert_eq!(parse_pass("tb_core: FAIL cycle limit 10 reached\n", "tb_core"), None);
    }
}
