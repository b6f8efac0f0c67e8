//! `regress`: run every Verilator regression case and print a pass/fail table.

use clap::Args;

use crate::CliError;

#[derive(Args)]
pub struct RegressArgs {}

pub fn run_regress(_args: &RegressArgs) -> Result<(), CliError> {
    Err(CliError::Usage("regress is not built yet".to_string()))
}
