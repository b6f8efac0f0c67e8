//! `bench`: throughput of the model, the float reference and Verilator, measured in one run.
//!
//! Each engine trains on the same examples of a configuration under a wall clock and a CPU
//! clock. Every ratio divides two rows of the same run, never a row and an older result.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};
use serde::Serialize;

use sampleprop_config::Config;
use sampleprop_cosim::{cosim, CosimOptions, CosimReport, Optimization, Source};
use sampleprop_model::{Core, TraceLevel};
use sampleprop_reference::{Engine, FloatTrainer};

use crate::output::write_atomic;
use crate::CliError;

#[derive(Args)]
pub struct BenchArgs {
    /// Training examples per engine on the digits default configuration (cycling through the 1,438 training digits).
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    digits_examples: usize,

    /// Training examples per engine on the MNIST configuration (the first N MNIST training images).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    mnist_examples: usize,

    /// Configuration of the MNIST rows.
    #[arg(long, value_name = "FILE", default_value = "configs/mnist-784-128.toml")]
    mnist_config: PathBuf,

    /// Folder holding fetched data sets (mnist/).
    #[arg(long, value_name = "DIR", default_value = "data")]
    data_dir: PathBuf,

    /// Training examples the verilated digits core runs (0 skips Verilator).
    #[arg(long, value_name = "N", default_value_t = 300)]
    rtl_examples: usize,

    /// C++ optimization of the verilated model (a cached build is reused).
    #[arg(long, value_enum, default_value_t = RtlOptimization::FastRun)]
    rtl_optimization: RtlOptimization,

    /// Also write the results as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
}

/// C++ optimization levels of the verilated model, as the cosim crate names them.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum RtlOptimization {
    /// -O0: fastest build, slowest simulation.
    FastBuild,
    /// -O1.
    Balanced,
    /// -O2: slowest build, fastest simulation.
    FastRun,
}

impl RtlOptimization {
    fn cxx_flag(self) -> &'static str {
        match self {
            RtlOptimization::FastBuild => "-O0",
            RtlOptimization::Balanced => "-O1",
            RtlOptimization::FastRun => "-O2",
        }
    }

    fn to_cosim(self) -> Optimization {
        match self {
            RtlOptimization::FastBuild => Optimization::FastBuild,
            RtlOptimization::Balanced => Optimization::Balanced,
            RtlOptimization::FastRun => Optimization::FastRun,
        }
    }
}

/// One engine trained on one configuration: what it did and how long it took.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// `model`, `reference` or `verilator`.
    pub engine: String,
    /// Short name of the configuration and data, such as `digits 64-128-10, T = 16`.
    pub workload: String,
    /// Digest of the configuration.
    pub config: String,
    pub examples: u64,
    /// Wall-clock seconds of the timed loop (for Verilator: its run, without the build).
    pub seconds: f64,
    /// CPU seconds of the timed thread, when the system reports them.
    pub cpu_seconds: Option<f64>,
    /// Simulated cycles; `None` for the float reference, which has no cycles.
    pub cycles: Option<u64>,
    /// Forward synaptic operations: input spikes x H + hidden spikes x O.
    pub synaptic_ops: Option<u64>,
    /// The reason a row was skipped, or a remark on how it was measured.
    pub note: Option<String>,
}

impl Row {
    fn skipped(engine: &str, workload: &str, reason: String) -> Row {
        Row {
            engine: engine.to_string(),
            workload: workload.to_string(),
            config: String::new(),
            examples: 0,
            seconds: 0.0,
            cpu_seconds: None,
            cycles: None,
            synaptic_ops: None,
            note: Some(reason),
        }
    }

    fn measured(&self) -> bool {
        self.examples > 0 && self.seconds > 0.0
    }

    /// Returns examples per wall-clock second, or `None` for a skipped row.
    pub fn examples_per_second(&self) -> Option<f64> {
        self.measured().then(|| self.examples as f64 / self.seconds)
    }

    /// Returns simulated cycles per wall-clock second, when the engine has cycles.
    pub fn cycles_per_second(&self) -> Option<f64> {
        let cycles = self.cycles?;
        self.measured().then(|| cycles as f64 / self.seconds)
    }

    /// Returns synaptic operations per wall-clock second, when they were counted.
    pub fn synaptic_ops_per_second(&self) -> Option<f64> {
        let ops = self.synaptic_ops?;
        self.measured().then(|| ops as f64 / self.seconds)
    }

    /// Returns examples per CPU second of the timed thread (or, for Verilator, its process).
    pub fn examples_per_cpu_second(&self) -> Option<f64> {
        let cpu = self.cpu_seconds.filter(|&c| c > 0.0)?;
        self.measured().then(|| self.examples as f64 / cpu)
    }

    /// Returns simulated cycles per CPU second, when the engine has cycles.
    pub fn cycles_per_cpu_second(&self) -> Option<f64> {
        let cycles = self.cycles?;
        let cpu = self.cpu_seconds.filter(|&c| c > 0.0)?;
        self.measured().then(|| cycles as f64 / cpu)
    }
}

/// A quotient of two rows of the same run, by wall-clock time and by CPU time.
#[derive(Debug, Clone, Serialize)]
pub struct Ratio {
    pub name: String,
    pub wall_clock: f64,
    pub cpu: Option<f64>,
}

/// The machine the run measured, read from the system at the start of the run.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    /// The 1-minute load average at the start of the run.
    pub load_average: Option<f64>,
}

/// Everything `sampleprop bench` measured, as written by `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub machine: Machine,
    pub rows: Vec<Row>,
    pub ratios: Vec<Ratio>,
}

/// Training examples of one workload, already quantized to P bits.
struct Workload {
    name: String,
    config: Config,
    images: Vec<Vec<u16>>,
    labels: Vec<u8>,
    count: usize,
}

impl Workload {
    /// Returns the pixels and label of the n-th timed example, cycling through the images.
    fn example(&self, n: usize) -> (&[u16], usize) {
        let index = n % self.images.len();
        (&self.images[index], self.labels[index] as usize)
    }
}

pub fn run_bench(args: &BenchArgs) -> Result<(), CliError> {
    let machine = read_machine();
    println!(
        "sampleprop bench: {} CPUs ({}), load average {} at the start",
        machine.cpus,
        machine.cpu_model,
        machine.load_average.map_or("unknown".to_string(), |l| format!("{l:.2}"))
    );

    let digits_config = Config::default();
    let digits = load_workload("digits", &digits_config, &args.data_dir, args.digits_examples)?;
    let mnist_config = Config::load(&args.mnist_config)?;
    let mnist = match load_workload("mnist", &mnist_config, &args.data_dir, args.mnist_examples) {
        Ok(workload) => Ok(workload),
        Err(CliError::Data(error)) => Err(error.to_string()),
        Err(other) => return Err(other),
    };

    let mut rows = Vec::new();
    let mut ratios = Vec::new();

    eprintln!("bench: model and reference on {}", digits.name);
    let digits_model = measure_model(&digits)?;
    let digits_reference = measure_reference(&digits);
    ratios.extend(speed_ratio(&digits.name, &digits_model, &digits_reference));
    rows.push(digits_model.clone());
    rows.push(digits_reference);

    match &mnist {
        Ok(workload) => {
            eprintln!("bench: model and reference on {}", workload.name);
            let model = measure_model(workload)?;
            let reference = measure_reference(workload);
            ratios.extend(speed_ratio(&workload.name, &model, &reference));
            rows.push(model);
            rows.push(reference);
        }
        Err(reason) => {
            let name = format!("mnist {}", network_name(&mnist_config));
            let reason = format!("skipped: {reason}");
            rows.push(Row::skipped("model", &name, reason.clone()));
            rows.push(Row::skipped("reference", &name, reason));
        }
    }

    let mut mismatch = None;
    if args.rtl_examples > 0 {
        eprintln!("bench: Verilator on {} ({} examples, build reused when cached)", digits.name, args.rtl_examples);
        let (row, difference) = measure_verilator(&digits, args.rtl_examples, args.rtl_optimization);
        if let (Some(model), Some(rtl)) = (digits_model.cycles_per_second(), row.cycles_per_second()) {
            let cpu = digits_model.cycles_per_cpu_second().zip(row.cycles_per_cpu_second());
            ratios.push(Ratio {
                name: format!("model / Verilator, simulated cycles per second, {}", digits.name),
                wall_clock: model / rtl,
                cpu: cpu.map(|(model, rtl)| model / rtl),
            });
        }
        rows.push(row);
        mismatch = difference;
    }

    let report = BenchReport { machine, rows, ratios };
    print!("{}", markdown(&report));
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report).expect("bench report serializes");
        write_atomic(path, json.as_bytes())?;
        println!("results in {}", path.display());
    }

    match mismatch {
        Some(text) => Err(CliError::Usage(format!(
            "the RTL and the model differ on the benchmark examples ({text}); run `sampleprop cosim --examples 5` to locate the first differing cycle"
        ))),
        None => Ok(()),
    }
}

fn network_name(config: &Config) -> String {
    let n = &config.network;
    format!("{}-{}-{}, T = {}", n.inputs, n.hidden, n.outputs, config.samples.train)
}

fn load_workload(data: &str, config: &Config, data_dir: &Path, count: usize) -> Result<Workload, CliError> {
    let split = sampleprop_data::load_named(data, data_dir)?;
    if split.train.inputs != config.network.inputs || split.train.classes > config.network.outputs {
        return Err(CliError::Usage(format!(
            "configuration {} has {} inputs and {} outputs, but {data} needs {} inputs and at least {} outputs; \
             pass a matching configuration",
            config.digest(),
            config.network.inputs,
            config.network.outputs,
            split.train.inputs,
            split.train.classes
        )));
    }
    if split.train.is_empty() || count == 0 {
        return Err(CliError::Usage(format!(
            "no {data} training examples to time ({} in the set, {count} requested); request at least 1",
            split.train.len()
        )));
    }

    let mut images = split.train.quantized(config.widths.pixel);
    images.truncate(count);
    let labels = split.train.labels[..images.len()].to_vec();
    Ok(Workload {
        name: format!("{data} {}", network_name(config)),
        config: config.clone(),
        images,
        labels,
        count,
    })
}

/// Trains a fresh core on the workload with tracing off and times it.
///
/// The core reports input spikes but not hidden spikes, so a second core replays the same
/// examples with the summary trace and sums its counts n_j. The model is deterministic, so the
/// replay makes the same spikes; its cycle total is checked against the timed run.
fn measure_model(workload: &Workload) -> Result<Row, CliError> {
    let config = &workload.config;
    let mut core = Core::new(config);
    let mut cycles = 0u64;
    let mut input_spikes = 0u64;

    let cpu_started = thread_cpu_seconds();
    let started = Instant::now();
    for n in 0..workload.count {
        let (pixels, label) = workload.example(n);
        let result = core.train_example(pixels, label);
        cycles += result.cycles;
        input_spikes += result.input_spikes;
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = cpu_elapsed(cpu_started, thread_cpu_seconds());

    let (hidden_spikes, replay_cycles) = count_hidden_spikes(workload);
    if replay_cycles != cycles {
        return Err(CliError::Usage(format!(
            "the traced replay of {} took {replay_cycles} cycles but the timed run {cycles}; \
             the model is not deterministic, which is a bug in the model",
            workload.name
        )));
    }

    let network = &config.network;
    let synaptic_ops = input_spikes * network.hidden as u64 + hidden_spikes * network.outputs as u64;
    Ok(Row {
        engine: "model".to_string(),
        workload: workload.name.clone(),
        config: config.digest(),
        examples: workload.count as u64,
        seconds,
        cpu_seconds,
        cycles: Some(cycles),
        synaptic_ops: Some(synaptic_ops),
        note: None,
    })
}

/// Replays the workload on a fresh core with the summary trace; returns (hidden spikes, cycles).
fn count_hidden_spikes(workload: &Workload) -> (u64, u64) {
    let mut core = Core::new(&workload.config);
    core.set_trace(TraceLevel::Summary);
    let mut hidden_spikes = 0u64;
    let mut cycles = 0u64;
    for n in 0..workload.count {
        let (pixels, label) = workload.example(n);
        cycles += core.train_example(pixels, label).cycles;
        for trace in core.take_traces() {
            hidden_spikes += trace.n.iter().map(|&count| u64::from(count)).sum::<u64>();
        }
    }
    (hidden_spikes, cycles)
}

/// Trains the float version of the sampled rule on the same examples and times it.
fn measure_reference(workload: &Workload) -> Row {
    let mut trainer = FloatTrainer::new(&workload.config, Engine::Sampled);

    let cpu_started = thread_cpu_seconds();
    let started = Instant::now();
    for n in 0..workload.count {
        let (pixels, label) = workload.example(n);
        trainer.train_example(pixels, label);
    }
    let seconds = started.elapsed().as_secs_f64();

    Row {
        engine: "reference".to_string(),
        workload: workload.name.clone(),
        config: workload.config.digest(),
        examples: workload.count as u64,
        seconds,
        cpu_seconds: cpu_elapsed(cpu_started, thread_cpu_seconds()),
        cycles: None,
        synaptic_ops: None,
        note: None,
    }
}

/// Builds (or reuses) the verilated core of the workload's configuration and co-simulates it.
///
/// A first co-simulation of one example builds the model or finds it cached, so that the CPU
/// time of the child processes during the timed run is the simulation's alone. Returns the row
/// and, when the traces differ, a description of the first difference. A Verilator that is
/// missing or fails gives a skipped row with the reason, not an error.
fn measure_verilator(workload: &Workload, examples: usize, optimization: RtlOptimization) -> (Row, Option<String>) {
    let options = CosimOptions {
        source: Source::Digits,
        optimization: optimization.to_cosim(),
        locate_with_events: false,
        // The bench writes no VCD, so the model is built without --trace.
        vcd_support: false,
        ..CosimOptions::default()
    };
    let skipped = |error: sampleprop_cosim::CosimError| Row::skipped("verilator", &workload.name, format!("skipped: {error}"));

    let warm_up = match cosim(&workload.config, 1, &options) {
        Ok(report) => report,
        Err(error) => return (skipped(error), None),
    };
    let build = if warm_up.cached_build {
        "cached build".to_string()
    } else {
        format!("build {:.1} s", warm_up.build_time.as_secs_f64())
    };

    if warm_up.mismatch.is_some() {
        return verilator_row(workload, &warm_up, None, &build, optimization);
    }

    let children_started = children_cpu_seconds();
    let report = match cosim(&workload.config, examples, &options) {
        Ok(report) => report,
        Err(error) => return (skipped(error), None),
    };
    let cpu_seconds = cpu_elapsed(children_started, children_cpu_seconds());
    verilator_row(workload, &report, cpu_seconds, &build, optimization)
}

/// Turns a co-simulation report into the Verilator row, and the first trace difference if any.
///
/// Rates are given only when the traces agree and the testbench printed its PASS line with a
/// cycle count: a simulation that stopped early would otherwise show a rate for work it never did.
fn verilator_row(
    workload: &Workload,
    report: &CosimReport,
    cpu_seconds: Option<f64>,
    build: &str,
    optimization: RtlOptimization,
) -> (Row, Option<String>) {
    let flag = optimization.cxx_flag();
    if let Some(mismatch) = &report.mismatch {
        let reason = format!("not timed: the RTL trace differs from the model's ({mismatch}); {build}; {flag} C++");
        return (Row::skipped("verilator", &workload.name, reason), Some(mismatch.to_string()));
    }
    let Some(rtl_cycles) = report.rtl_cycles else {
        let reason = format!("not timed: the testbench printed no cycle count; {build}; {flag} C++");
        return (Row::skipped("verilator", &workload.name, reason), None);
    };

    let row = Row {
        engine: "verilator".to_string(),
        workload: workload.name.clone(),
        config: report.config.clone(),
        examples: report.examples as u64,
        seconds: report.rtl_time.as_secs_f64(),
        cpu_seconds,
        // The PASS line counts the cycles of the examples, which run back to back; reset is not counted.
        cycles: Some(rtl_cycles),
        synaptic_ops: None,
        note: Some(format!(
            "traces identical to the model; {} core cycles; {build}; {flag} C++",
            report.model_cycles
        )),
    };
    (row, None)
}

/// Returns the model / reference ratio of examples per second on one workload.
fn speed_ratio(workload: &str, model: &Row, reference: &Row) -> Option<Ratio> {
    let wall_clock = model.examples_per_second()? / reference.examples_per_second()?;
    let cpu = model.examples_per_cpu_second().zip(reference.examples_per_cpu_second());
    Some(Ratio {
        name: format!("model / reference, examples per second, {workload}"),
        wall_clock,
        cpu: cpu.map(|(model, reference)| model / reference),
    })
}

/// Renders the report as a Markdown table followed by the ratios.
pub fn markdown(report: &BenchReport) -> String {
    let mut text = String::new();
    text.push_str(
        "\n| engine | workload | examples | seconds | CPU seconds | examples/s | examples per CPU second \
         | cycles/s | cycles per CPU second | synaptic ops/s | note |\n",
    );
    text.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for row in &report.rows {
        let seconds = if row.measured() { format!("{:.2}", row.seconds) } else { "-".to_string() };
        let cpu_seconds = row.cpu_seconds.filter(|_| row.measured()).map_or("-".to_string(), |c| format!("{c:.2}"));
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            row.engine,
            row.workload,
            row.examples,
            seconds,
            cpu_seconds,
            rate(row.examples_per_second()),
            rate(row.examples_per_cpu_second()),
            rate(row.cycles_per_second()),
            rate(row.cycles_per_cpu_second()),
            rate(row.synaptic_ops_per_second()),
            row.note.as_deref().unwrap_or("")
        ));
    }

    text.push('\n');
    for ratio in &report.ratios {
        let cpu = ratio.cpu.map_or(String::new(), |c| format!(", {c:.2} by CPU time"));
        text.push_str(&format!("- {}: {:.2} by wall-clock time{cpu}\n", ratio.name, ratio.wall_clock));
    }
    text
}

/// Formats a rate with three significant figures and a k, M or G suffix; `-` when absent.
fn rate(value: Option<f64>) -> String {
    let Some(value) = value else {
        return "-".to_string();
    };
    let (scaled, suffix) = if value >= 1e9 {
        (value / 1e9, " G")
    } else if value >= 1e6 {
        (value / 1e6, " M")
    } else if value >= 1e3 {
        (value / 1e3, " k")
    } else {
        (value, "")
    };
    let digits = if scaled >= 100.0 {
        0
    } else if scaled >= 10.0 {
        1
    } else {
        2
    };
    format!("{scaled:.digits$}{suffix}")
}

fn read_machine() -> Machine {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, name)| name.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().and_then(|field| field.parse().ok()));
    Machine { cpus, cpu_model, load_average }
}

/// Returns the CPU time of the calling thread in seconds (`CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu_seconds() -> Option<f64> {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through a valid pointer and reads nothing else.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    (status == 0).then(|| time.tv_sec as f64 + time.tv_nsec as f64 * 1e-9)
}

/// Returns the user and system CPU time of all terminated and waited-for child processes, in seconds.
fn children_cpu_seconds() -> Option<f64> {
    // SAFETY: rusage is plain data, so all zeros is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes one rusage through a valid pointer.
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 * 1e-6;
    (status == 0).then(|| seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

fn cpu_elapsed(started: Option<f64>, now: Option<f64>) -> Option<f64> {
    Some(now? - started?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sampleprop_model::trace::{Event, SpikeLayer};

    fn digits_workload(count: usize) -> Workload {
        load_workload("digits", &Config::default(), Path::new("data"), count).expect("bundled digits load")
    }

    #[test]
    fn hidden_spikes_match_event_trace() {
        let workload = digits_workload(5);
        let (hidden_spikes, _) = count_hidden_spikes(&workload);

        let mut core = Core::new(&workload.config);
        core.set_trace(TraceLevel::Events);
        for n in 0..workload.count {
            let (pixels, label) = workload.example(n);
            core.train_example(pixels, label);
        }
        let events = core
            .take_traces()
            .into_iter()
            .flat_map(|trace| trace.events)
            .filter(|event| matches!(event, Event::Spike { layer: SpikeLayer::Hidden, .. }))
            .count() as u64;

        assert!(hidden_spikes > 0, "digits training makes hidden spikes");
        assert_eq!(hidden_spikes, events);
    }

    #[test]
    fn model_row_counts_synaptic_ops() {
        let workload = digits_workload(3);
        let row = measure_model(&workload).expect("model runs");

        let mut core = Core::new(&workload.config);
        let mut input_spikes = 0;
        let mut cycles = 0;
        for n in 0..workload.count {
            let (pixels, label) = workload.example(n);
            let result = core.train_example(pixels, label);
            input_spikes += result.input_spikes;
            cycles += result.cycles;
        }
        let (hidden_spikes, _) = count_hidden_spikes(&workload);
        let network = &workload.config.network;

        assert_eq!(row.examples, 3);
        assert_eq!(row.cycles, Some(cycles));
        assert_eq!(
            row.synaptic_ops,
            Some(input_spikes * network.hidden as u64 + hidden_spikes * network.outputs as u64)
        );
    }

    #[test]
    fn workload_cycles_through_images() {
        let workload = digits_workload(2000);
        assert_eq!(workload.images.len(), 1438);
        assert_eq!(workload.example(1438).0, workload.example(0).0);
        assert_eq!(workload.example(1439).1, workload.example(1).1);
    }

    #[test]
    fn zero_examples_rejected() {
        let error = load_workload("digits", &Config::default(), Path::new("data"), 0).err().expect("0 examples fail");
        assert!(error.to_string().contains("request at least 1"), "{error}");
    }

    #[test]
    fn mismatched_configuration_rejected() {
        let config = Config::from_toml_str("[network]\ninputs = 784", "test").expect("valid configuration");
        let error = load_workload("digits", &config, Path::new("data"), 10).err().expect("784 inputs do not fit digits");
        assert!(error.to_string().contains("64 inputs"), "{error}");
    }

    #[test]
    fn rates_use_suffixes() {
        assert_eq!(rate(None), "-");
        assert_eq!(rate(Some(12.345)), "12.3");
        assert_eq!(rate(Some(4_560.0)), "4.56 k");
        assert_eq!(rate(Some(123_456_789.0)), "123 M");
        assert_eq!(rate(Some(2.5e9)), "2.50 G");
    }

    #[test]
    fn markdown_marks_skipped_rows() {
        let reference = Row::skipped("reference", "mnist 784-128-10, T = 16", "skipped: data/mnist not found".to_string());
        let model = Row {
            engine: "model".to_string(),
            workload: "digits 64-128-10, T = 16".to_string(),
            config: "abc".to_string(),
            examples: 100,
            seconds: 2.0,
            cpu_seconds: Some(1.0),
            cycles: Some(1_000_000),
            synaptic_ops: Some(4_000),
            note: None,
        };
        let report = BenchReport {
            machine: Machine { cpus: 2, cpu_model: "test CPU".to_string(), load_average: Some(1.0) },
            rows: vec![model, reference],
            ratios: vec![Ratio { name: "model / reference".to_string(), wall_clock: 3.0, cpu: Some(1.5) }],
        };
        let text = markdown(&report);

        assert!(
            text.contains("| model | digits 64-128-10, T = 16 | 100 | 2.00 | 1.00 | 50.0 | 100 | 500 k | 1.00 M | 2.00 k |  |"),
            "{text}"
        );
        assert!(
            text.contains("| reference | mnist 784-128-10, T = 16 | 0 | - | - | - | - | - | - | - | skipped: data/mnist not found |"),
            "{text}"
        );
        assert!(text.contains("- model / reference: 3.00 by wall-clock time, 1.50 by CPU time"), "{text}");
    }

    fn cosim_report(rtl_cycles: Option<u64>, mismatch: Option<sampleprop_cosim::Mismatch>) -> CosimReport {
        CosimReport {
            config: "909ee0b951687dbb".to_string(),
            examples: 300,
            model_cycles: 3_000_000,
            rtl_cycles,
            model_time: std::time::Duration::from_secs(1),
            rtl_time: std::time::Duration::from_secs(3),
            build_time: std::time::Duration::ZERO,
            cached_build: true,
            build_dir: PathBuf::from("build/cosim"),
            mismatch,
            kept_run: None,
        }
    }

    #[test]
    fn verilator_row_rates_agreeing_run() {
        let workload = digits_workload(1);
        let report = cosim_report(Some(3_000_000), None);
        let (row, mismatch) = verilator_row(&workload, &report, Some(1.5), "cached build", RtlOptimization::FastRun);

        assert!(mismatch.is_none());
        assert_eq!(row.cycles_per_second(), Some(1_000_000.0));
        assert_eq!(row.cycles_per_cpu_second(), Some(2_000_000.0));
        assert_eq!(row.examples_per_second(), Some(100.0));
    }

    #[test]
    fn verilator_row_untimed_on_mismatch() {
        let workload = digits_workload(1);
        let difference = sampleprop_cosim::Mismatch {
            example: 0,
            item: "example".to_string(),
            signal: "presence".to_string(),
            expected: "present".to_string(),
            got: "missing".to_string(),
            first_event: None,
        };
        let report = cosim_report(None, Some(difference));
        let (row, mismatch) = verilator_row(&workload, &report, Some(0.01), "cached build", RtlOptimization::FastRun);

        assert!(mismatch.is_some());
        assert_eq!(row.cycles_per_second(), None);
        assert_eq!(row.examples_per_second(), None);
        assert!(row.note.as_deref().unwrap_or("").starts_with("not timed"), "{:?}", row.note);
    }

    #[test]
    fn verilator_row_untimed_without_pass() {
        let workload = digits_workload(1);
        let (row, mismatch) = verilator_row(&workload, &cosim_report(None, None), None, "build 1.0 s", RtlOptimization::Balanced);

        assert!(mismatch.is_none());
        assert_eq!(row.cycles_per_second(), None);
    }
}
