//! The evidence a failing case leaves in its folder: a report with the first
//! mismatch and the rerun command, the traces, and VCD waveforms of the failing
//! window from the RTL and from the model.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use sampleprop_config::Config;
use sampleprop_cosim::{cosim_generated, examples, CosimOptions, CosimReport, Mismatch, Source};
use sampleprop_hdl::GeneratedFile;
use sampleprop_model::{Core, TraceLevel};

use crate::run::RegressOptions;
use crate::wave::{find_rtl_example, vcd_timescale, window_rtl_vcd, write_model_vcd, Window};

/// File names inside a case's evidence folder.
pub const REPORT: &str = "report.txt";
pub const MODEL_VCD: &str = "model.vcd";
pub const RTL_VCD: &str = "rtl.vcd";

/// The facts every evidence report starts with.
pub(crate) struct Evidence<'a> {
    pub case: &'a str,
    pub mismatch: &'a str,
    pub rerun: &'a str,
    pub dir: &'a Path,
}

impl Evidence<'_> {
    fn header(&self) -> String {
        format!("case {}\nmismatch: {}\nrerun: {}\n", self.case, self.mismatch, self.rerun)
    }

    fn create(&self) -> io::Result<()> {
        fs::create_dir_all(self.dir)
    }
}

/// Writes the report of a failing unit testbench and a copy of its vectors.
// NOTE: unit failures get no VCD; the unit testbench's build spec lives inside the
// co-simulation crate, which offers no call that runs it with +vcd.
pub(crate) fn write_unit(evidence: &Evidence, vectors: &Path) -> io::Result<()> {
    evidence.create()?;
    let copy = evidence.dir.join("vectors.hex");
    fs::copy(vectors, &copy)?;
    let text = format!("{}vectors: {}\n", evidence.header(), copy.display());
    fs::write(evidence.dir.join(REPORT), text)
}

/// Writes the report of a testbench that ended without its PASS line, with its kept output.
pub(crate) fn write_simulation_failure(evidence: &Evidence, output: &Path) -> io::Result<()> {
    evidence.create()?;
    copy_files(output, evidence.dir)?;
    let text = format!("{}output: {}\n", evidence.header(), output.display());
    fs::write(evidence.dir.join(REPORT), text)
}

/// Writes the report of a failed build: the message and the compiler's error lines.
pub(crate) fn write_build_failure(dir: &Path, case: &str, message: &str, details: &[String], rerun: &str) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut text = format!("case {case}\nerror: {message}\nrerun: {rerun}\n\ncompiler errors:\n");
    for line in details {
        text.push_str(line);
        text.push('\n');
    }
    fs::write(dir.join(REPORT), text)
}

/// Returns the error lines of a build log with up to three lines of context after
/// each (the source line and caret g++ prints), at most 40 lines in all.
pub fn compiler_errors(log: &Path) -> Vec<String> {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let mut keep = vec![false; lines.len()];
    for (n, line) in lines.iter().enumerate() {
        if line.contains("error:") || line.starts_with("%Error") {
            for flag in keep.iter_mut().skip(n).take(4) {
                *flag = true;
            }
        }
    }
    let mut selected: Vec<String> = lines.iter().zip(&keep).filter(|(_, &k)| k).map(|(l, _)| l.to_string()).collect();
    if selected.is_empty() {
        // No recognizable error line: the tail of the log is the best clue.
        selected = lines.iter().rev().take(10).rev().map(|l| l.to_string()).collect();
    }
    selected.truncate(40);
    selected
}

/// Copies the regular files of `from` into `to`.
fn copy_files(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let path = entry?.path();
        if path.is_file() {
            if let Some(name) = path.file_name() {
                fs::copy(&path, to.join(name))?;
            }
        }
    }
    Ok(())
}

/// Writes the report, traces and both VCD windows of a co-simulation mismatch.
pub(crate) fn write_cosim(
    evidence: &Evidence,
    config: &Config,
    files: &[GeneratedFile],
    mismatch: &Mismatch,
    report: &CosimReport,
    opts: &RegressOptions,
) -> io::Result<()> {
    evidence.create()?;
    if let Some(kept) = &report.kept_run {
        copy_files(kept, evidence.dir)?;
    }

    // The model's event trace of the failing example.
    let example = mismatch.example as usize;
    let list = examples(config, Source::Auto, opts.examples, opts.inference).map_err(io::Error::other)?;
    let prefix = &list[..(example + 1).min(list.len())];
    let mut core = Core::new(config);
    core.set_trace(TraceLevel::Events);
    for item in prefix {
        if item.train {
            core.train_example(&item.pixels, item.label);
        } else {
            core.infer_example(&item.pixels, item.label);
        }
    }
    let traces = core.take_traces();
    let trace = traces.last().ok_or_else(|| io::Error::other("the model wrote no trace"))?;
    let end = trace.phase_ends.last().map_or(0, |(_, cycle)| *cycle);

    let center = first_cycle(mismatch).unwrap_or(end);
    let window = Window::around(center, opts.window_radius, end);

    // The RTL side: rerun the same prefix with a VCD of the whole run, then cut the window.
    let mut text = evidence.header();
    writeln!(text, "first differing cycle: {}", first_cycle(mismatch).map_or("not located (summary only)".to_string(), |c| c.to_string())).ok();
    writeln!(text, "window: cycles {}..={} of example {example}; cycle c spans times 2c..2c+2 in both VCD files", window.first, window.last).ok();

    let rtl_note = write_rtl_window(evidence.dir, config, files, example as u64, window, opts);
    let timescale = match &rtl_note {
        Ok(_) => vcd_timescale(&evidence.dir.join(RTL_VCD)).unwrap_or_else(|_| "1ps".to_string()),
        Err(_) => "1ps".to_string(),
    };
    write_model_vcd(&evidence.dir.join(MODEL_VCD), config, trace, window, &timescale)?;

    writeln!(text, "model VCD: {}", evidence.dir.join(MODEL_VCD).display()).ok();
    match rtl_note {
        Ok(note) => writeln!(text, "RTL VCD: {}{note}", evidence.dir.join(RTL_VCD).display()).ok(),
        Err(e) => writeln!(text, "RTL VCD: not written: {e}").ok(),
    };
    fs::write(evidence.dir.join(REPORT), text)
}

/// Returns the cycle where the runs part: the first differing event's, else the
/// earlier phase end when a phase line differs.
fn first_cycle(mismatch: &Mismatch) -> Option<u64> {
    if let Some(event) = &mismatch.first_event {
        return Some(event.cycle);
    }
    if mismatch.item.starts_with("phase ") {
        let expected = mismatch.expected.parse::<u64>().ok();
        let got = mismatch.got.parse::<u64>().ok();
        return match (expected, got) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    None
}

/// Reruns the co-simulation on the examples up to the failing one with a VCD of the
/// RTL, and writes the window of the failing example to `rtl.vcd`. Returns a note
/// for the report.
fn write_rtl_window(
    dir: &Path,
    config: &Config,
    files: &[GeneratedFile],
    example: u64,
    window: Window,
    opts: &RegressOptions,
) -> io::Result<String> {
    // Training examples come first, so a shorter run replays the same examples.
    let upto = example as usize + 1;
    let (train, inference) = if upto <= opts.examples { (upto, 0) } else { (opts.examples, upto - opts.examples) };

    let work = tempfile::Builder::new().prefix("vcd-").tempdir_in(dir)?;
    let full = work.path().join("full.vcd");
    // Same files and build settings as the co-simulation, so its cached build is reused.
    let rerun = CosimOptions {
        inference_examples: inference,
        locate_with_events: false,
        vcd: Some(full.clone()),
        verilator: Some(opts.verilator.clone()),
        cache_dir: opts.cache_dir.clone(),
        ..CosimOptions::default()
    };
    let report = cosim_generated(config, files, train, &rerun).map_err(io::Error::other)?;
    if let Some(kept) = &report.kept_run {
        let _ = fs::remove_dir_all(kept);
    }
    if !full.is_file() {
        return Err(io::Error::other("the testbench wrote no VCD; the model may have been built without --trace"));
    }

    match find_rtl_example(&full, example)? {
        Some(start) => {
            window_rtl_vcd(&full, &dir.join(RTL_VCD), start, window)?;
            Ok(format!(" (example {example} starts at RTL cycle {})", start.start_cycle))
        }
        None => {
            fs::rename(&full, dir.join(RTL_VCD))?;
            Ok(format!(" (the whole run: the RTL never accepted the first pixel of example {example})"))
        }
    }
}
