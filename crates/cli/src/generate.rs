//! `generate`: write the Verilog, the initial-memory files and the file list for a configuration.

use std::path::PathBuf;

use clap::Args;
use sampleprop_hdl::{generate, write_files, MemoryImage};
use sampleprop_model::initial_weights;

use crate::{CliError, ConfigArgs};

#[derive(Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    config: ConfigArgs,

    /// Output folder; existing files of the same names are replaced atomically.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run_generate(args: &GenerateArgs) -> Result<(), CliError> {
    let config = args.config.load()?;
    if args.out.exists() && !args.out.is_dir() {
        return Err(CliError::Usage(format!(
            "--out {} is an existing file, not a folder; pass a folder path (it is created if missing)",
            args.out.display()
        )));
    }
    let weights = initial_weights(&config);
    let image = MemoryImage { w: &weights.w, b: &weights.b, v: &weights.v, c: &weights.c };
    let files = generate(&config, &image)?;
    write_files(&files, &args.out)?;

    println!(
        "wrote {} files for configuration {} to {}",
        files.len(),
        config.digest(),
        args.out.display()
    );
    for file in &files {
        println!("  {}", file.name);
    }
    Ok(())
}
