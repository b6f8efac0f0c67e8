//! `cosim`: run the generated RTL under Verilator against the model and compare their traces exactly.

use std::path::PathBuf;

use clap::Args;
use sampleprop_cosim::{cosim, describe, CosimOptions};

use crate::{CliError, ConfigArgs};

#[derive(Args)]
pub struct CosimArgs {
    #[command(flatten)]
    config: ConfigArgs,

    /// Training examples to stream through both sides.
    #[arg(long, default_value_t = 20)]
    examples: usize,

    /// Inference examples appended after the training examples.
    #[arg(long, default_value_t = 0)]
    inference: usize,

    /// Write a VCD waveform of the RTL run to this file.
    #[arg(long, value_name = "FILE")]
    vcd: Option<PathBuf>,
}

pub fn run_cosim(args: &CosimArgs) -> Result<(), CliError> {
    let config = args.config.load()?;
    if args.examples + args.inference == 0 {
        return Err(CliError::Usage(
            "--examples 0 with --inference 0 compares nothing; pass --examples 1 or more (or --inference N)".to_string(),
        ));
    }
    let options = CosimOptions { inference_examples: args.inference, vcd: args.vcd.clone(), ..CosimOptions::default() };
    let report = cosim(&config, args.examples, &options)?;
    print!("{}", describe(&report));
    match &report.mismatch {
        None => Ok(()),
        Some(_) => Err(CliError::Mismatch(format!(
            "RTL and model differ for configuration {}; the traces are kept for inspection",
            report.config
        ))),
    }
}
