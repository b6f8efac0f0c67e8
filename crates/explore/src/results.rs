//! Results directories: `grid.json`, rows appended to `results.jsonl` and `results.csv`, resume and merge.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ExploreError;
use crate::grid::{Grid, JobKind, Plan, Shard};

pub const HEADER_FILE: &str = "grid.json";
pub const JSONL_FILE: &str = "results.jsonl";
pub const CSV_FILE: &str = "results.csv";

/// Synthesis figures of one configuration, from an optional cost source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthFigures {
    pub luts: u64,
    pub flip_flops: u64,
    pub block_rams: u64,
    pub fmax_mhz: Option<f64>,
}

/// One finished job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub index: usize,
    pub kind: JobKind,
    pub key: String,
    pub group: String,
    pub seed: u64,
    /// Axis key to value text.
    pub values: BTreeMap<String, String>,
    /// Digest of the configuration the job ran.
    pub digest: String,
    pub test_accuracy: f64,
    pub train_accuracy: f64,
    /// Mean cycles per training example over every epoch (model rows only).
    pub train_cycles_mean: Option<f64>,
    /// Mean cycles per inference on the test split (model rows only).
    pub inference_cycles_mean: Option<f64>,
    /// `config.memory_bits().total()` (model rows only).
    pub memory_bits: Option<u64>,
    /// Mean of input spikes x H + hidden spikes x O per training example (model rows only).
    pub synaptic_ops_mean: Option<f64>,
    pub synth: Option<SynthFigures>,
    /// Elapsed time of the job; excluded from every identity check.
    pub wall_seconds: f64,
}

impl Row {
    /// Returns a copy with the wall time cleared, for comparing runs.
    pub fn without_wall_time(&self) -> Row {
        Row { wall_seconds: 0.0, ..self.clone() }
    }
}

/// Contents of `grid.json`: which sweep a results directory belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub grid_digest: String,
    pub base_digest: String,
    pub grid: Grid,
    /// Canonical TOML of the base configuration.
    pub base_toml: String,
    pub jobs: usize,
    /// Shard this directory was run as; merged directories record 1/1.
    pub shard: Shard,
}

impl Header {
    pub fn new(plan: &Plan, shard: Shard) -> Header {
        Header {
            grid_digest: plan.grid_digest.clone(),
            base_digest: plan.base_digest.clone(),
            grid: plan.grid.clone(),
            base_toml: plan.base_toml.clone(),
            jobs: plan.jobs.len(),
            shard,
        }
    }

    /// Returns the axis keys, seed axis last.
    pub fn axis_keys(&self) -> Vec<String> {
        self.grid.axes.iter().map(|a| a.key.clone()).collect()
    }
}

/// Reads `grid.json`, or returns None when the directory has none.
pub fn read_header(dir: &Path) -> Result<Option<Header>, ExploreError> {
    let path = dir.join(HEADER_FILE);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| ExploreError::io("read", &path, e))?;
    let header = serde_json::from_str(&text).map_err(|e| {
        ExploreError::results(&path, format!("not a sweep header: {e}"), "remove the directory or pass another one")
    })?;
    Ok(Some(header))
}

/// Reads every complete row of `results.jsonl`, in file order.
///
/// A last line without its newline is a write cut short by a kill, so it is
/// dropped. Any other unreadable line is an error naming its line number.
pub fn read_rows(dir: &Path) -> Result<Vec<Row>, ExploreError> {
    let path = dir.join(JSONL_FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| ExploreError::io("read", &path, e))?;
    let complete = match text.rfind('\n') {
        Some(end) => &text[..=end],
        None => "",
    };

    let mut rows = Vec::new();
    for (number, line) in complete.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(line).map_err(|e| {
            ExploreError::results(
                &path,
                format!("line {} is not a result row: {e}", number + 1),
                "remove the line (the job then runs again on --resume)",
            )
        })?;
        rows.push(row);
    }
    Ok(rows)
}

/// Reads a results directory: its header and its rows sorted by index.
pub fn read_dir(dir: &Path) -> Result<(Header, Vec<Row>), ExploreError> {
    let header = read_header(dir)?.ok_or_else(|| {
        ExploreError::results(dir, "no grid.json here, so this is not a results directory", "pass the --out directory of a sweep")
    })?;
    let mut rows = read_rows(dir)?;
    rows.sort_by_key(|r| r.index);
    Ok((header, rows))
}

/// An open results directory that rows are appended to as jobs finish.
pub struct ResultsWriter {
    dir: PathBuf,
    axis_keys: Vec<String>,
    jsonl: File,
    csv: File,
}

impl ResultsWriter {
    /// Opens `dir` for a sweep and returns the indices of rows already present.
    ///
    /// A fresh directory gets `grid.json` and empty results files. With
    /// `resume`, an existing directory must come from the same grid, base and
    /// shard. Its complete rows are kept and both results files are rewritten
    /// from them. Without `resume`, a directory that already contains rows is rejected.
    pub fn open(dir: &Path, plan: &Plan, shard: Shard, resume: bool) -> Result<(ResultsWriter, BTreeSet<usize>), ExploreError> {
        std::fs::create_dir_all(dir).map_err(|e| ExploreError::io("create results directory", dir, e))?;
        let header = Header::new(plan, shard);
        let mut rows = Vec::new();

        match read_header(dir)? {
            Some(existing) => {
                check_same_sweep(dir, &existing, &header)?;
                rows = read_rows(dir)?;
                if !resume && !rows.is_empty() {
                    return Err(ExploreError::results(
                        dir,
                        format!("the directory already holds {} rows of this sweep", rows.len()),
                        "pass --resume to continue it, or choose an empty --out directory",
                    ));
                }
            }
            None => {
                if dir.join(JSONL_FILE).exists() {
                    return Err(ExploreError::results(
                        dir,
                        "results.jsonl exists but grid.json is missing",
                        "choose an empty --out directory",
                    ));
                }
                let text = serde_json::to_string_pretty(&header).expect("header serializes");
                write_atomically(&dir.join(HEADER_FILE), text.as_bytes())?;
            }
        }

        let known: BTreeSet<usize> = plan.jobs.iter().map(|j| j.index).collect();
        let mut done = BTreeSet::new();
        rows.retain(|r| known.contains(&r.index) && done.insert(r.index));

        let axis_keys = plan.axis_keys();
        write_rows(dir, &axis_keys, &rows)?;

        let jsonl = open_append(&dir.join(JSONL_FILE))?;
        let csv = open_append(&dir.join(CSV_FILE))?;
        Ok((ResultsWriter { dir: dir.to_path_buf(), axis_keys, jsonl, csv }, done))
    }

    /// Appends one row to both files: each line goes out in one write, then flush and fsync.
    pub fn append(&mut self, row: &Row) -> Result<(), ExploreError> {
        let json = format!("{}\n", serde_json::to_string(row).expect("row serializes"));
        append_line(&mut self.jsonl, &json, &self.dir.join(JSONL_FILE))?;
        let csv = format!("{}\n", csv_line(row, &self.axis_keys));
        append_line(&mut self.csv, &csv, &self.dir.join(CSV_FILE))
    }

    /// Rewrites both files sorted by job index, so that equal sweeps give equal files.
    pub fn finish(self) -> Result<Vec<Row>, ExploreError> {
        let mut rows = read_rows(&self.dir)?;
        rows.sort_by_key(|r| r.index);
        rows.dedup_by_key(|r| r.index);
        write_rows(&self.dir, &self.axis_keys, &rows)?;
        Ok(rows)
    }
}

fn check_same_sweep(dir: &Path, existing: &Header, new: &Header) -> Result<(), ExploreError> {
    let path = dir.join(HEADER_FILE);
    if existing.grid_digest != new.grid_digest {
        return Err(ExploreError::results(
            path,
            format!(
                "grid digest {} differs from this grid's {}, so the rows belong to another grid",
                existing.grid_digest, new.grid_digest
            ),
            "run this grid into a new --out directory, or pass the grid file that made this one",
        ));
    }
    if existing.base_digest != new.base_digest {
        return Err(ExploreError::results(
            path,
            format!(
                "base configuration digest {} differs from this run's {}",
                existing.base_digest, new.base_digest
            ),
            "pass the same --config as the first run, or use a new --out directory",
        ));
    }
    if existing.shard != new.shard {
        return Err(ExploreError::results(
            path,
            format!("the directory holds shard {} but this run is shard {}", existing.shard, new.shard),
            &format!("pass --shard {} or use a new --out directory", existing.shard),
        ));
    }
    Ok(())
}

fn open_append(path: &Path) -> Result<File, ExploreError> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| ExploreError::io("open for appending", path, e))
}

fn append_line(file: &mut File, line: &str, path: &Path) -> Result<(), ExploreError> {
    file.write_all(line.as_bytes()).map_err(|e| ExploreError::io("append to", path, e))?;
    file.flush().map_err(|e| ExploreError::io("flush", path, e))?;
    file.sync_data().map_err(|e| ExploreError::io("sync", path, e))
}

/// Writes a file through a temporary name in the same directory, fsync and rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ExploreError> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.tmp"));
    let mut file = File::create(&temporary).map_err(|e| ExploreError::io("create", &temporary, e))?;
    file.write_all(bytes).map_err(|e| ExploreError::io("write", &temporary, e))?;
    file.sync_all().map_err(|e| ExploreError::io("sync", &temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| ExploreError::io("rename into", path, e))
}

/// Writes both results files from `rows`, replacing what was there.
pub(crate) fn write_rows(dir: &Path, axis_keys: &[String], rows: &[Row]) -> Result<(), ExploreError> {
    let mut jsonl = String::new();
    let mut csv = format!("{}\n", csv_header(axis_keys));
    for row in rows {
        jsonl.push_str(&serde_json::to_string(row).expect("row serializes"));
        jsonl.push('\n');
        csv.push_str(&csv_line(row, axis_keys));
        csv.push('\n');
    }
    write_atomically(&dir.join(JSONL_FILE), jsonl.as_bytes())?;
    write_atomically(&dir.join(CSV_FILE), csv.as_bytes())
}

const CSV_METRICS: [&str; 13] = [
    "test_accuracy",
    "train_accuracy",
    "train_cycles_mean",
    "inference_cycles_mean",
    "memory_bits",
    "synaptic_ops_mean",
    "luts",
    "flip_flops",
    "block_rams",
    "fmax_mhz",
    "digest",
    "group",
    "wall_seconds",
];

fn csv_header(axis_keys: &[String]) -> String {
    let mut columns = vec!["index".to_string(), "kind".to_string(), "key".to_string(), "seed".to_string()];
    columns.extend(axis_keys.iter().cloned());
    columns.extend(CSV_METRICS.iter().map(|c| c.to_string()));
    columns.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",")
}

fn csv_line(row: &Row, axis_keys: &[String]) -> String {
    fn opt<T: ToString>(value: Option<T>) -> String {
        value.map(|v| v.to_string()).unwrap_or_default()
    }

    let mut fields = vec![row.index.to_string(), row.kind.name().to_string(), row.key.clone(), row.seed.to_string()];
    for key in axis_keys {
        fields.push(row.values.get(key).cloned().unwrap_or_default());
    }
    let synth = row.synth.as_ref();
    fields.extend([
        row.test_accuracy.to_string(),
        row.train_accuracy.to_string(),
        opt(row.train_cycles_mean),
        opt(row.inference_cycles_mean),
        opt(row.memory_bits),
        opt(row.synaptic_ops_mean),
        opt(synth.map(|s| s.luts)),
        opt(synth.map(|s| s.flip_flops)),
        opt(synth.map(|s| s.block_rams)),
        opt(synth.and_then(|s| s.fmax_mhz)),
        row.digest.clone(),
        row.group.clone(),
        format!("{:.3}", row.wall_seconds),
    ]);
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}

/// Quotes a CSV field when it contains a comma, a quote or a line break (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Outcome of [`merge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSummary {
    pub rows: usize,
    /// Rows present in more than one input, kept once.
    pub duplicates: usize,
    /// Jobs of the plan that no input holds.
    pub missing: usize,
}

/// Joins the rows of shard directories into `out`, deduplicated and sorted by job index.
///
/// Every input must have the same grid and base digests. Two inputs that
/// hold the same job with different results (wall time aside) are an error,
/// because every job is deterministic.
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<MergeSummary, ExploreError> {
    let first = inputs.first().ok_or_else(|| {
        ExploreError::results(out, "no input directory given", "pass the shard directories to merge")
    })?;
    let (mut header, _) = read_dir(first)?;

    let mut merged: BTreeMap<usize, (Row, PathBuf)> = BTreeMap::new();
    let mut duplicates = 0;
    for dir in inputs {
        let (other, rows) = read_dir(dir)?;
        if other.grid_digest != header.grid_digest || other.base_digest != header.base_digest {
            return Err(ExploreError::results(
                dir.join(HEADER_FILE),
                format!(
                    "grid digest {} / base digest {} differ from {}'s {} / {}",
                    other.grid_digest,
                    other.base_digest,
                    first.display(),
                    header.grid_digest,
                    header.base_digest
                ),
                "merge only shards of one sweep (same grid file and --config)",
            ));
        }
        for row in rows {
            match merged.get(&row.index) {
                Some((kept, source)) => {
                    if kept.without_wall_time() != row.without_wall_time() {
                        return Err(ExploreError::results(
                            dir.join(JSONL_FILE),
                            format!("job {} ({}) differs from the same job in {}", row.index, row.key, source.display()),
                            "rerun that job, because equal jobs must give equal rows",
                        ));
                    }
                    duplicates += 1;
                }
                None => {
                    merged.insert(row.index, (row, dir.clone()));
                }
            }
        }
    }

    std::fs::create_dir_all(out).map_err(|e| ExploreError::io("create output directory", out, e))?;
    if read_header(out)?.is_some() && !inputs.iter().any(|d| d == out) {
        return Err(ExploreError::results(out, "the output directory already contains a sweep", "choose an empty --out directory"));
    }
    header.shard = Shard::ALL;
    let text = serde_json::to_string_pretty(&header).expect("header serializes");
    write_atomically(&out.join(HEADER_FILE), text.as_bytes())?;

    let rows: Vec<Row> = merged.into_values().map(|(row, _)| row).collect();
    write_rows(out, &header.axis_keys(), &rows)?;
    Ok(MergeSummary { rows: rows.len(), duplicates, missing: header.jobs.saturating_sub(rows.len()) })
}
