//! `bench`: throughput of the model, the float reference and Verilator, measured in one run.

use clap::Args;

use crate::CliError;

#[derive(Args)]
pub struct BenchArgs {}

pub fn run_bench(_args: &BenchArgs) -> Result<(), CliError> {
    Err(CliError::Usage("bench is not built yet".to_string()))
}
