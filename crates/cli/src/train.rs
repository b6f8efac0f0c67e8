//! `train` and `eval`: online training of the model and the float engines, and inference.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use sampleprop_config::Config;
use sampleprop_data::Split;
use sampleprop_model::{evaluate, Core, CoreState, Weights};
use sampleprop_reference::{Engine, FloatTrainer};

use crate::output::write_atomic;
use crate::{CliError, ConfigArgs, DataName};

/// Engine selection of `train`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum EngineChoice {
    /// The bit-exact fixed-point model, then the float reference and the exact-backprop baseline.
    All,
    /// The bit-exact fixed-point model only.
    Model,
    /// The float version of the same sampled rule.
    Reference,
    /// Exact backpropagation in float on the same network.
    Baseline,
}

#[derive(Args)]
pub struct TrainArgs {
    #[command(flatten)]
    config: ConfigArgs,

    #[command(flatten)]
    data: DataArgs,

    /// Engines to train.
    #[arg(long, value_enum, default_value_t = EngineChoice::All)]
    engine: EngineChoice,

    /// Passes over the training set.
    #[arg(long, default_value_t = 20)]
    epochs: usize,

    /// Folder for weights, checkpoint and metrics [default: the --resume checkpoint's folder, else
    /// results/train-DIGEST].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Continue the model from a checkpoint written by an earlier run. The float reference and
    /// exact backprop keep no checkpoint and train again from the start to the same epoch count.
    #[arg(long, value_name = "CHECKPOINT")]
    resume: Option<PathBuf>,

    /// Worker threads for evaluation (results do not depend on it) [default: all cores].
    #[arg(long)]
    threads: Option<usize>,

    /// Replace the results of a different run already in the output folder.
    #[arg(long)]
    overwrite: bool,
}

#[derive(Args)]
pub struct EvalArgs {
    /// Weights file written by `train` (its configuration is used).
    #[arg(long, value_name = "FILE")]
    weights: PathBuf,

    #[command(flatten)]
    data: DataArgs,

    /// Worker threads (results do not depend on it) [default: all cores].
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Args)]
pub struct DataArgs {
    /// Data set.
    #[arg(long, value_enum, default_value_t = DataName::Digits)]
    data: DataName,

    /// Folder holding fetched data sets (mnist/, fashion/).
    #[arg(long, value_name = "DIR", default_value = "data")]
    data_dir: PathBuf,

    /// Use only the first N training examples.
    #[arg(long, value_name = "N")]
    train_limit: Option<usize>,

    /// Use only the first N test examples.
    #[arg(long, value_name = "N")]
    test_limit: Option<usize>,
}

/// Quantized examples ready for the engines.
struct Prepared {
    train_images: Vec<Vec<u16>>,
    train_labels: Vec<u8>,
    test_images: Vec<Vec<u16>>,
    test_labels: Vec<u8>,
}

/// One line of the per-epoch metrics.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct EpochRecord {
    engine: String,
    epoch: usize,
    train_accuracy: f64,
    test_accuracy: f64,
    train_cycles_per_example: Option<f64>,
    inference_cycles_per_example: Option<f64>,
    seconds: f64,
}

/// Model state after a completed epoch, enough to continue bit for bit.
#[derive(Serialize, Deserialize)]
struct Checkpoint {
    format: String,
    config: String,
    digest: String,
    data: String,
    epochs_done: usize,
    state: CoreState,
    history: Vec<EpochRecord>,
}

/// Trained weights with the configuration that produced them.
#[derive(Serialize, Deserialize)]
struct WeightsFile {
    format: String,
    config: String,
    digest: String,
    weights: Weights,
}

const CHECKPOINT_FORMAT: &str = "sampleprop-checkpoint-1";
const WEIGHTS_FORMAT: &str = "sampleprop-weights-1";

impl DataArgs {
    fn load(&self, config: &Config) -> Result<Prepared, CliError> {
        let split: Split = sampleprop_data::load_named(self.data.as_str(), &self.data_dir)?;
        if split.train.inputs != config.network.inputs {
            return Err(CliError::Usage(format!(
                "network.inputs = {} does not match the {} pixels of a {} image; use a configuration \
                 with inputs = {} (configs/mnist-784-128.toml for 28x28 images)",
                config.network.inputs,
                split.train.inputs,
                self.data.as_str(),
                split.train.inputs
            )));
        }
        if split.train.classes > config.network.outputs {
            return Err(CliError::Usage(format!(
                "network.outputs = {} is fewer than the {} classes of {}; set network.outputs to {}",
                config.network.outputs,
                split.train.classes,
                self.data.as_str(),
                split.train.classes
            )));
        }

        let bits = config.widths.pixel;
        let take = |n: usize, limit: Option<usize>| limit.map_or(n, |l| l.min(n));
        let train_count = take(split.train.len(), self.train_limit);
        let test_count = take(split.test.len(), self.test_limit);
        let mut train_images = split.train.quantized(bits);
        train_images.truncate(train_count);
        let mut test_images = split.test.quantized(bits);
        test_images.truncate(test_count);
        Ok(Prepared {
            train_images,
            train_labels: split.train.labels[..train_count].to_vec(),
            test_images,
            test_labels: split.test.labels[..test_count].to_vec(),
        })
    }
}

fn set_threads(threads: Option<usize>) {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global().ok();
    }
}

/// Returns the order of the training examples in `epoch` (0-based), the same order the sweeps use.
fn epoch_order(config: &Config, epoch: usize, count: usize) -> Vec<usize> {
    sampleprop_data::epoch_order(config.seeds.init, epoch, count)
}

fn progress(count: usize, label: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(count as u64);
    bar.set_style(
        ProgressStyle::with_template("{prefix:>18} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar
}

fn percent(correct: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * correct as f64 / total as f64
    }
}

pub fn run_train(args: &TrainArgs) -> Result<(), CliError> {
    let mut config = args.config.load()?;
    set_threads(args.threads);

    let checkpoint = match &args.resume {
        Some(path) => {
            let checkpoint = read_checkpoint(path)?;
            if args.config.config.is_some() || !args.config.overrides.is_empty() {
                let given = config.digest();
                if given != checkpoint.digest {
                    return Err(CliError::Usage(format!(
                        "checkpoint {} was written with configuration {} but --config and --set give {given}; \
                         omit them to use the checkpoint's own",
                        path.display(),
                        checkpoint.digest
                    )));
                }
            }
            config = Config::from_toml_str(&checkpoint.config, &path.display().to_string())?;
            if checkpoint.data != args.data.data.as_str() {
                return Err(CliError::Usage(format!(
                    "checkpoint {} was trained on {} but --data is {}; pass --data {}",
                    path.display(),
                    checkpoint.data,
                    args.data.data.as_str(),
                    checkpoint.data
                )));
            }
            Some(checkpoint)
        }
        None => None,
    };
    if checkpoint.is_some() && args.engine != EngineChoice::Model && args.engine != EngineChoice::All {
        return Err(CliError::Usage(
            "--resume continues the fixed-point model; use --engine model or all".to_string(),
        ));
    }

    let data = args.data.load(&config)?;
    // A resumed run continues in the checkpoint's folder unless --out names another.
    let resume_dir = args.resume.as_deref().and_then(Path::parent).filter(|dir| !dir.as_os_str().is_empty());
    let out = match (&args.out, resume_dir) {
        (Some(out), _) => out.clone(),
        (None, Some(dir)) => dir.to_path_buf(),
        (None, None) => PathBuf::from(format!("results/train-{}", config.digest())),
    };
    check_output_folder(&out, &config, args)?;
    let quiet = std::env::var_os("SAMPLEPROP_QUIET").is_some();

    println!(
        "sampleprop train: {} on {} ({} train, {} test examples), {} epochs, configuration {}",
        network_name(&config),
        args.data.data.as_str(),
        data.train_images.len(),
        data.test_images.len(),
        args.epochs,
        config.digest()
    );

    let mut summary: Vec<EpochRecord> = Vec::new();
    if matches!(args.engine, EngineChoice::All | EngineChoice::Model) {
        let history = train_model(&config, &data, args, &out, checkpoint, quiet)?;
        summary.extend(history.last().cloned());
    }
    let floats: &[(EngineChoice, Engine, &str)] = &[
        (EngineChoice::Reference, Engine::Sampled, "reference"),
        (EngineChoice::Baseline, Engine::Exact, "baseline"),
    ];
    for (choice, engine, name) in floats {
        if args.engine == EngineChoice::All || args.engine == *choice {
            let history = train_float(&config, &data, args.epochs, *engine, name, quiet);
            summary.extend(history.last().cloned());
            let metrics = serde_json::to_string_pretty(&history).expect("metrics serialize");
            write_atomic(&out.join(format!("metrics-{name}.json")), metrics.as_bytes())?;
        }
    }

    println!();
    println!("| engine | epochs | train accuracy | test accuracy | cycles per training example | cycles per inference |");
    println!("|---|---|---|---|---|---|");
    for record in &summary {
        let cycles = |c: Option<f64>| c.map_or("-".to_string(), |c| format!("{c:.0}"));
        println!(
            "| {} | {} | {:.2} % | {:.2} % | {} | {} |",
            record.engine,
            record.epoch,
            record.train_accuracy,
            record.test_accuracy,
            cycles(record.train_cycles_per_example),
            cycles(record.inference_cycles_per_example)
        );
    }
    println!("results in {}", out.display());
    Ok(())
}

/// Rejects an output folder that contains the results of a different run, unless --overwrite or --resume is given.
///
/// Rerunning the same configuration, data and epoch count is allowed: it reproduces the same bits.
fn check_output_folder(out: &Path, config: &Config, args: &TrainArgs) -> Result<(), CliError> {
    let existing = out.join("checkpoint.json");
    if args.overwrite || args.resume.is_some() || !existing.exists() {
        return Ok(());
    }
    let checkpoint = read_checkpoint(&existing).ok();
    let same_setup = checkpoint
        .as_ref()
        .filter(|c| c.digest == config.digest() && c.data == args.data.data.as_str());
    let found = match same_setup {
        Some(c) if c.epochs_done == args.epochs => return Ok(()),
        Some(c) if c.epochs_done < args.epochs => format!(
            "{} epochs of the same configuration and data, fewer than --epochs {}",
            c.epochs_done, args.epochs
        ),
        Some(c) => format!(
            "{} epochs of the same configuration and data, more than --epochs {}",
            c.epochs_done, args.epochs
        ),
        None => "the results of a different configuration or data set".to_string(),
    };
    Err(CliError::Usage(format!(
        "{} already contains {found}; pass --resume {} to continue that run, --out DIR for a new folder, \
         or --overwrite to replace it",
        out.display(),
        existing.display()
    )))
}

fn network_name(config: &Config) -> String {
    let n = &config.network;
    format!("{}-{}-{}, T = {}", n.inputs, n.hidden, n.outputs, config.samples.train)
}

fn train_model(
    config: &Config,
    data: &Prepared,
    args: &TrainArgs,
    out: &Path,
    checkpoint: Option<Checkpoint>,
    quiet: bool,
) -> Result<Vec<EpochRecord>, CliError> {
    let (mut core, start, mut history) = match checkpoint {
        Some(c) => (Core::from_state(config, c.state)?, c.epochs_done, c.history),
        None => (Core::new(config), 0, Vec::new()),
    };
    if start >= args.epochs {
        println!("checkpoint already contains {start} epochs; nothing to train (raise --epochs)");
    }

    for epoch in start..args.epochs {
        let started = Instant::now();
        let order = epoch_order(config, epoch, data.train_images.len());
        let bar = progress(order.len(), &format!("model epoch {}", epoch + 1), quiet);
        let mut correct = 0usize;
        let mut cycles = 0u64;
        for &index in &order {
            let label = data.train_labels[index] as usize;
            let result = core.train_example(&data.train_images[index], label);
            correct += usize::from(result.prediction == label);
            cycles += result.cycles;
            bar.inc(1);
        }
        bar.finish_and_clear();

        let eval = evaluate(config, core.weights(), &data.test_images, &data.test_labels)?;
        let record = EpochRecord {
            engine: "model".to_string(),
            epoch: epoch + 1,
            train_accuracy: percent(correct, order.len()),
            test_accuracy: eval.accuracy() * 100.0,
            train_cycles_per_example: Some(cycles as f64 / order.len().max(1) as f64),
            inference_cycles_per_example: Some(eval.cycles as f64 / eval.total.max(1) as f64),
            seconds: started.elapsed().as_secs_f64(),
        };
        println!(
            "model     epoch {:>3}: train {:6.2} %, test {:6.2} %, {:.0} cycles/example, {:.0} cycles/inference, {:.1} s",
            record.epoch,
            record.train_accuracy,
            record.test_accuracy,
            record.train_cycles_per_example.unwrap_or(0.0),
            record.inference_cycles_per_example.unwrap_or(0.0),
            record.seconds
        );
        history.push(record);

        let checkpoint = Checkpoint {
            format: CHECKPOINT_FORMAT.to_string(),
            config: config.to_toml(),
            digest: config.digest(),
            data: args.data.data.as_str().to_string(),
            epochs_done: epoch + 1,
            state: core.state(),
            history: history.clone(),
        };
        let json = serde_json::to_string(&checkpoint).expect("checkpoint serializes");
        write_atomic(&out.join("checkpoint.json"), json.as_bytes())?;
    }

    let weights = WeightsFile {
        format: WEIGHTS_FORMAT.to_string(),
        config: config.to_toml(),
        digest: config.digest(),
        weights: core.weights().clone(),
    };
    let json = serde_json::to_string(&weights).expect("weights serialize");
    write_atomic(&out.join("weights.json"), json.as_bytes())?;
    let metrics = serde_json::to_string_pretty(&history).expect("metrics serialize");
    write_atomic(&out.join("metrics-model.json"), metrics.as_bytes())?;
    Ok(history)
}

fn train_float(config: &Config, data: &Prepared, epochs: usize, engine: Engine, name: &str, quiet: bool) -> Vec<EpochRecord> {
    let mut trainer = FloatTrainer::new(config, engine);
    let mut history = Vec::new();
    for epoch in 0..epochs {
        let started = Instant::now();
        let order = epoch_order(config, epoch, data.train_images.len());
        let bar = progress(order.len(), &format!("{name} epoch {}", epoch + 1), quiet);
        let mut correct = 0usize;
        for &index in &order {
            let label = data.train_labels[index] as usize;
            correct += usize::from(trainer.train_example(&data.train_images[index], label) == label);
            bar.inc(1);
        }
        bar.finish_and_clear();

        let test_accuracy = trainer.accuracy(&data.test_images, &data.test_labels);
        let record = EpochRecord {
            engine: name.to_string(),
            epoch: epoch + 1,
            train_accuracy: percent(correct, order.len()),
            test_accuracy,
            train_cycles_per_example: None,
            inference_cycles_per_example: None,
            seconds: started.elapsed().as_secs_f64(),
        };
        println!(
            "{name:<9} epoch {:>3}: train {:6.2} %, test {:6.2} %, {:.1} s",
            record.epoch, record.train_accuracy, record.test_accuracy, record.seconds
        );
        history.push(record);
    }
    history
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path, what: &str, format: &str) -> Result<T, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Usage(format!("cannot read {what} {}: {e}; check the path", path.display()))
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!("{what} {} is not valid JSON ({e}); pass a file written by sampleprop train", path.display()))
    })?;
    let found = match value.get("format").and_then(|f| f.as_str()) {
        Some(found) => format!("has format \"{found}\""),
        None => "has no \"format\" field".to_string(),
    };
    if value.get("format").and_then(|f| f.as_str()) != Some(format) {
        return Err(CliError::Usage(format!(
            "{} {found}, expected \"{format}\"; pass the {what} written by sampleprop train",
            path.display()
        )));
    }
    serde_json::from_value(value).map_err(|e| {
        CliError::Usage(format!("{what} {} is damaged ({e}); use another {what} or retrain", path.display()))
    })
}

fn read_checkpoint(path: &Path) -> Result<Checkpoint, CliError> {
    read_json(path, "checkpoint", CHECKPOINT_FORMAT)
}

pub fn run_eval(args: &EvalArgs) -> Result<(), CliError> {
    set_threads(args.threads);
    let file: WeightsFile = read_json(&args.weights, "weights file", WEIGHTS_FORMAT)?;
    let config = Config::from_toml_str(&file.config, &args.weights.display().to_string())?;
    let data = args.data.load(&config)?;

    let started = Instant::now();
    let eval = evaluate(&config, &file.weights, &data.test_images, &data.test_labels)?;
    println!(
        "sampleprop eval: {} on {} {} test examples, T_inf = {}: accuracy {:.2} % ({} of {}), {:.0} cycles per inference, {:.2} s",
        network_name(&config),
        eval.total,
        args.data.data.as_str(),
        config.samples.inference,
        eval.accuracy() * 100.0,
        eval.correct,
        eval.total,
        eval.cycles as f64 / eval.total.max(1) as f64,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
