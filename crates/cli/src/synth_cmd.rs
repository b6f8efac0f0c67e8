//! `synth`: synthesize the generated core with Yosys (and nextpnr for FPGA parts) and report its cost.

use std::path::PathBuf;

use clap::Args;
use sampleprop_hdl::{generate, write_files, MemoryImage};
use sampleprop_model::initial_weights;
use sampleprop_config::Config;
use sampleprop_explore::{CostSource, SynthFigures};
use sampleprop_synth::{cache_dir, synthesize, SynthOptions, SynthReport, Target};

use crate::output::write_atomic;
use crate::{CliError, ConfigArgs};

#[derive(Args)]
pub struct SynthArgs {
    #[command(flatten)]
    config: ConfigArgs,

    /// generic (Yosys cell counts), ice40 (HX8K), ice40-up5k, or ecp5 (needs the PyPI yowasp tools).
    #[arg(long, default_value = "generic")]
    target: String,

    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,

    /// Run the tools again even when a cached report exists.
    #[arg(long)]
    rerun: bool,
}

pub fn run_synth(args: &SynthArgs) -> Result<(), CliError> {
    let config = args.config.load()?;
    let target = Target::parse(&args.target)?;
    let options = SynthOptions { rerun: args.rerun, ..SynthOptions::default() };
    let results = cache_dir(&config, &target, &options);
    let report = synthesize_config(&config, &target, &options)?;
    print!("{}", report.to_table());
    println!("files: {}", results.display());
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report).expect("report serializes");
        write_atomic(path, json.as_bytes())?;
    }

    let failures = report.failures();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::Usage(format!("synthesis checks failed: {}", failures.join("; "))))
    }
}

/// Generates the RTL of `config` into `<build>/rtl/<digest>/` (beside the synthesis results) and synthesizes it.
pub fn synthesize_config(config: &Config, target: &Target, options: &SynthOptions) -> Result<SynthReport, CliError> {
    let weights = initial_weights(config);
    let image = MemoryImage { w: &weights.w, b: &weights.b, v: &weights.v, c: &weights.c };
    let files = generate(config, &image)?;
    let results = cache_dir(config, target, options);
    let build = results.parent().and_then(|p| p.parent()).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("build"));
    let rtl_dir = build.join("rtl").join(config.digest());
    write_files(&files, &rtl_dir)?;
    Ok(synthesize(config, &rtl_dir, target, options)?)
}

/// Synthesis figures as the cost columns of a sweep; each configuration is synthesized once and cached.
pub struct SynthCost {
    pub target: Target,
}

impl CostSource for SynthCost {
    fn cost(&self, config: &Config) -> Result<SynthFigures, String> {
        let report = synthesize_config(config, &self.target, &SynthOptions::default()).map_err(|e| e.to_string())?;
        Ok(SynthFigures {
            luts: report.luts,
            flip_flops: report.flip_flops,
            block_rams: report.block_rams,
            fmax_mhz: report.fmax_mhz,
        })
    }
}
