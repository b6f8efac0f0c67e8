//! The `sampleprop` command: argument parsing and printing only.
//!
//! Every computation lives in the library crates; this binary wires them to
//! the command line and turns their errors into one-line messages.

mod bench;
mod cosim_cmd;
mod data_cmd;
mod generate;
mod output;
mod regress_cmd;
mod sweep;
mod synth_cmd;
mod train;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sampleprop_config::Config;

/// Model, generate and verify a sampling-based learning core for spiking networks.
#[derive(Parser)]
#[command(name = "sampleprop", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train on a data set with the bit-exact model and the float engines.
    Train(train::TrainArgs),
    /// Run inference with T_inf samples on saved weights.
    Eval(train::EvalArgs),
    /// Print the resolved configuration and its derived figures.
    Info(InfoArgs),
    /// Write the Verilog, initial-memory files and file list for a configuration.
    Generate(generate::GenerateArgs),
    /// Co-simulate the generated RTL under Verilator against the model, bit for bit.
    Cosim(cosim_cmd::CosimArgs),
    /// Run every Verilator regression case (unit testbenches and co-simulation configurations).
    Regress(regress_cmd::RegressArgs),
    /// Synthesize the generated core and report LUTs, flip-flops, block RAMs and Fmax.
    Synth(synth_cmd::SynthArgs),
    /// Sweep a grid of configuration keys; `sweep merge` joins shards.
    Sweep(sweep::SweepArgs),
    /// Plot and tabulate the results of a sweep.
    Report(sweep::ReportArgs),
    /// Fetch MNIST or Fashion-MNIST into data/.
    Data(data_cmd::DataArgs),
    /// Measure model, float reference and Verilator throughput in one run.
    Bench(bench::BenchArgs),
}

/// Options shared by commands that read a configuration.
#[derive(Args, Clone)]
pub struct ConfigArgs {
    /// Configuration file (TOML); the built-in defaults when omitted.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Change one key before validation, such as --set hardware.lanes=8 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub overrides: Vec<String>,
}

impl ConfigArgs {
    /// Loads the configuration file, or the defaults, with the --set overrides applied.
    pub fn load(&self) -> Result<Config, CliError> {
        Ok(Config::load_with_overrides(self.config.as_deref(), &self.overrides)?)
    }
}

/// Data sets the commands can read.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum DataName {
    /// The bundled UCI 8x8 digits (1,438 train, 359 test).
    Digits,
    /// MNIST 28x28 (60,000 train, 10,000 test), after `make data`.
    Mnist,
    /// Fashion-MNIST 28x28, after `make data`.
    Fashion,
}

impl DataName {
    pub fn as_str(self) -> &'static str {
        match self {
            DataName::Digits => "digits",
            DataName::Mnist => "mnist",
            DataName::Fashion => "fashion",
        }
    }
}

#[derive(Args)]
struct InfoArgs {
    #[command(flatten)]
    config: ConfigArgs,
}

/// Any error the command line reports; each displays as one line.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] sampleprop_config::ConfigError),
    #[error(transparent)]
    Data(#[from] sampleprop_data::DataError),
    #[error(transparent)]
    Model(#[from] sampleprop_model::ModelError),
    #[error(transparent)]
    Explore(#[from] sampleprop_explore::ExploreError),
    #[error(transparent)]
    Hdl(#[from] sampleprop_hdl::HdlError),
    #[error(transparent)]
    Write(#[from] output::WriteError),
    #[error(transparent)]
    Cosim(#[from] sampleprop_cosim::CosimError),
    #[error(transparent)]
    Synth(#[from] sampleprop_synth::SynthError),
    #[error("{0}")]
    Mismatch(String),
    #[error("{0}")]
    Usage(String),
}

fn main() -> ExitCode {
    // A reader that closes the pipe early (`sampleprop info | head`) ends the process quietly,
    // as for other command-line tools, instead of a panic on the next write.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any thread starts has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }

    let cli = Cli::parse();
    let result = match cli.command {
        Command::Train(args) => train::run_train(&args),
        Command::Eval(args) => train::run_eval(&args),
        Command::Info(args) => run_info(&args),
        Command::Generate(args) => generate::run_generate(&args),
        Command::Cosim(args) => cosim_cmd::run_cosim(&args),
        Command::Regress(args) => regress_cmd::run_regress(&args),
        Command::Synth(args) => synth_cmd::run_synth(&args),
        Command::Sweep(args) => sweep::run_sweep(&args),
        Command::Report(args) => sweep::run_report(&args),
        Command::Data(args) => data_cmd::run_data(&args),
        Command::Bench(args) => bench::run_bench(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn run_info(args: &InfoArgs) -> Result<(), CliError> {
    let config = args.config.load()?;
    print!("{}", config.to_toml());
    println!();
    println!("# Derived figures (configuration digest {})", config.digest());

    let formats = [
        ("weight", config.weight_format()),
        ("accumulator", config.accumulator_format()),
        ("error", config.error_format()),
        ("probability", config.probability_format()),
        ("derivative", config.derivative_format()),
    ];
    for (name, format) in formats {
        println!(
            "# {name:<12} {} bits, {} fraction bits, {}",
            format.bits,
            format.frac,
            if format.signed { "signed" } else { "unsigned" }
        );
    }
    println!("# counter      {} bits (T = {}, T_inf = {})", config.widths.counter, config.samples.train, config.samples.inference);

    let shifts = config.update_shifts();
    println!(
        "# update shifts S_V {}, S_c {}, S_b {}, S_W {}; rounding draw {} bits",
        shifts.output_weight, shifts.output_bias, shifts.hidden_bias, shifts.hidden_weight,
        config.rounding_bits()
    );

    let memory = config.memory_bits();
    println!(
        "# memory bits: W {}, b {}, V {}, c {}, pixels {}, input counters {}, neuron state {}, hidden counters {}, total {}",
        memory.hidden_weights, memory.hidden_biases, memory.output_weights, memory.output_biases,
        memory.pixels, memory.input_counters, memory.neuron_state, memory.hidden_counters, memory.total()
    );

    let inputs = config.network.inputs as u64;
    let t = config.samples.train as u64;
    let t_inf = config.samples.inference as u64;
    use sampleprop_model::cycles;
    println!(
        "# cycles per training example: {} with no input spike, {} when every input spikes in every sample",
        cycles::train_example(&config, 0, 0),
        cycles::train_example(&config, inputs * t, inputs)
    );
    println!(
        "# cycles per inference: {} with no input spike, {} when every input spikes",
        cycles::inference_example(&config, 0),
        cycles::inference_example(&config, inputs * t_inf)
    );
    Ok(())
}
