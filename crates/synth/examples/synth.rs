//! Generates the RTL of one configuration and prints its synthesis report.
//!
//! Usage: cargo run -p sampleprop-synth --example synth -- CONFIG TARGET [--set KEY=VALUE]... [--rerun] [--json]
//!
//! TARGET is `generic`, `ice40`, `ice40-up5k`, `ecp5`, ... (see `Target::parse`).
//! `--set network.hidden=128` changes one key of CONFIG before it is validated,
//! so a scaling table can name each point by the command that measures it.
//! The RTL goes to `<build>/rtl/<digest>/` with the initial weights of the model.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sampleprop_config::Config;
use sampleprop_synth::{cache_dir, synthesize, SynthOptions, Target};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut positional = Vec::new();
    let mut overrides = Vec::new();
    let mut rerun = false;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--set" => overrides.push(
                args.next()
                    .ok_or("--set needs KEY=VALUE, such as network.hidden=128")?,
            ),
            "--rerun" => rerun = true,
            "--json" => json = true,
            _ => positional.push(arg),
        }
    }
    let [config_path, target] = positional.as_slice() else {
        return Err("expected CONFIG TARGET, such as configs/default.toml ice40".to_string());
    };

    let config = load_with_overrides(Path::new(config_path), &overrides)?;
    let target = Target::parse(target).map_err(|e| e.to_string())?;
    let opts = SynthOptions {
        rerun,
        ..SynthOptions::default()
    };

    let rtl_dir = write_rtl(&config, &opts)?;
    let report = synthesize(&config, &rtl_dir, &target, &opts).map_err(|e| e.to_string())?;

    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("report serializes")
        );
    } else {
        print!("{}", report.to_table());
        println!("files: {}", cache_dir(&config, &target, &opts).display());
    }
    Ok(if report.failures().is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Reads a configuration file and applies `KEY=VALUE` overrides (TOML values) to it.
fn load_with_overrides(path: &Path, overrides: &[String]) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut document: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))?;

    for assignment in overrides {
        let (key, value) = assignment
            .split_once('=')
            .ok_or_else(|| format!("--set {assignment} lacks '='; write it as KEY=VALUE"))?;
        let (section, name) = key.split_once('.').ok_or_else(|| {
            format!(
                "--set key {key} lacks a section; write it as section.key, such as hardware.lanes"
            )
        })?;
        let value: toml::Value = format!("v = {value}")
            .parse::<toml::Table>()
            .map_err(|e| format!("--set {assignment}: {value} is not a TOML value ({e})"))?
            .remove("v")
            .expect("the parsed table has the key v");
        let table = document
            .entry(section.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("--set {assignment}: {section} is not a table"))?;
        table.insert(name.to_string(), value);
    }

    let origin = format!(
        "{} with {}",
        path.display(),
        if overrides.is_empty() {
            "no overrides".to_string()
        } else {
            overrides.join(", ")
        }
    );
    Config::from_toml_str(&document.to_string(), &origin).map_err(|e| e.to_string())
}

/// Generates the RTL with the model's initial weights into `<build>/rtl/<digest>/`.
fn write_rtl(config: &Config, opts: &SynthOptions) -> Result<PathBuf, String> {
    let weights = sampleprop_model::init::initial_weights(config);
    let image = sampleprop_hdl::MemoryImage {
        w: &weights.w,
        b: &weights.b,
        v: &weights.v,
        c: &weights.c,
    };
    let files = sampleprop_hdl::generate(config, &image).map_err(|e| e.to_string())?;

    // cache_dir is <build>/synth/<digest>-<target>; the RTL sits beside it under <build>/rtl.
    let synth_dir = cache_dir(config, &Target::Generic, opts);
    let build = synth_dir
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("build"));
    let dir = build.join("rtl").join(config.digest());
    sampleprop_hdl::write_files(&files, &dir).map_err(|e| e.to_string())?;
    Ok(dir)
}
