//! `data fetch`: install MNIST or Fashion-MNIST through the project's fetch script.

use std::path::PathBuf;
use std::process::Command;

use clap::{Args, Subcommand, ValueEnum};

use crate::CliError;

#[derive(Args)]
pub struct DataArgs {
    #[command(subcommand)]
    action: DataAction,
}

#[derive(Subcommand)]
enum DataAction {
    /// Download and verify a data set (sha256), never leaving a partial file behind.
    Fetch {
        #[arg(value_enum)]
        name: FetchName,

        /// Destination folder [default: data/NAME].
        #[arg(long, value_name = "DIR")]
        dest: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FetchName {
    Mnist,
    Fashion,
}

/// Returns the fetch script of the source tree this binary was built from.
fn fetch_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/fetch_data.py")
}

pub fn run_data(args: &DataArgs) -> Result<(), CliError> {
    let DataAction::Fetch { name, dest } = &args.action;
    let name = match name {
        FetchName::Mnist => "mnist",
        FetchName::Fashion => "fashion",
    };
    let script = fetch_script();
    if !script.exists() {
        return Err(CliError::Usage(format!(
            "fetch script {} not found; run `sampleprop data fetch` from a sampleprop source checkout",
            script.display()
        )));
    }

    let mut command = Command::new("python3");
    command.arg(&script).arg(name);
    if let Some(dest) = dest {
        command.arg("--dest").arg(dest);
    }
    let status = command.status().map_err(|e| {
        CliError::Usage(format!("cannot run python3 for {}: {e}; install Python 3 (apt-get install python3)", script.display()))
    })?;
    if !status.success() {
        return Err(CliError::Usage(format!("fetching {name} failed (see the message above); nothing partial was kept")));
    }
    Ok(())
}
