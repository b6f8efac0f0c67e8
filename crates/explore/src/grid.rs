//! Grid files: axes of configuration values, the `[run]` table, and the plan of jobs they expand to.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sampleprop_config::Config;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ExploreError;

/// Key of the repetition axis: its values become seeds of one point, not separate points.
pub const SEED_KEY: &str = "seeds.init";

/// Keys accepted in the `[run]` table.
const RUN_KEYS: [&str; 6] = ["dataset", "data_root", "epochs", "train_limit", "test_limit", "references"];

/// The base configuration every point starts from, kept as TOML text.
///
/// Points are built by editing this text and validating the result, so a key
/// the base leaves out keeps its derived default (for example the counter
/// width follows T, and the LFSR polynomial follows the LFSR width).
#[derive(Debug, Clone)]
pub struct BaseConfig {
    pub text: String,
    pub origin: String,
    pub config: Config,
}

impl BaseConfig {
    /// Returns the built-in defaults as the base.
    pub fn defaults() -> Self {
        BaseConfig::from_toml_str("", "built-in defaults").expect("built-in defaults are valid")
    }

    /// Reads and validates a configuration file as the base.
    pub fn load(path: &Path) -> Result<Self, ExploreError> {
        let text = std::fs::read_to_string(path).map_err(|e| ExploreError::io("read configuration", path, e))?;
        BaseConfig::from_toml_str(&text, &path.display().to_string())
    }

    /// Validates TOML text as the base; `origin` names it in error messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Self, ExploreError> {
        let config = Config::from_toml_str(text, origin)?;
        Ok(BaseConfig { text: text.to_string(), origin: origin.to_string(), config })
    }
}

/// One axis of the grid: a dotted configuration key and the values it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    pub key: String,
    pub values: Vec<AxisValue>,
}

/// A value on an axis: configuration keys hold integers, strings or booleans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AxisValue {
    Integer(i64),
    Boolean(bool),
    Text(String),
}

impl AxisValue {
    fn from_toml(value: &toml::Value) -> Option<AxisValue> {
        match value {
            toml::Value::Integer(i) => Some(AxisValue::Integer(*i)),
            toml::Value::Boolean(b) => Some(AxisValue::Boolean(*b)),
            toml::Value::String(s) => Some(AxisValue::Text(s.clone())),
            _ => None,
        }
    }

    fn to_toml(&self) -> toml::Value {
        match self {
            AxisValue::Integer(i) => toml::Value::Integer(*i),
            AxisValue::Boolean(b) => toml::Value::Boolean(*b),
            AxisValue::Text(s) => toml::Value::String(s.clone()),
        }
    }
}

impl std::fmt::Display for AxisValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AxisValue::Integer(i) => write!(f, "{i}"),
            AxisValue::Boolean(b) => write!(f, "{b}"),
            AxisValue::Text(s) => f.write_str(s),
        }
    }
}

/// Settings of the `[run]` table: what each point trains on and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// Data set name: "digits", "mnist" or "fashion".
    pub dataset: String,
    /// Folder holding the downloaded data sets (the bundled digits ignore it).
    pub data_root: PathBuf,
    /// Passes over the training split.
    pub epochs: u32,
    /// Use only the first N training examples.
    pub train_limit: Option<usize>,
    /// Use only the first N test examples.
    pub test_limit: Option<usize>,
    /// Also train the float reference and the exact-backprop baseline.
    pub references: bool,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            dataset: "digits".to_string(),
            data_root: PathBuf::from("data"),
            epochs: 1,
            train_limit: None,
            test_limit: None,
            references: true,
        }
    }
}

/// A parsed and checked grid file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// Source of the grid (a path or a label), used in messages.
    #[serde(skip)]
    pub origin: String,
    /// Axes in enumeration order: sorted by key, the seed axis last.
    pub axes: Vec<Axis>,
    pub run: RunSettings,
}

impl Grid {
    /// Reads a grid file.
    pub fn load(path: &Path) -> Result<Grid, ExploreError> {
        let text = std::fs::read_to_string(path).map_err(|e| ExploreError::io("read grid", path, e))?;
        Grid::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses grid TOML; `origin` names the source in error messages.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Grid, ExploreError> {
        let fail = |message: String, fix: &str| ExploreError::Grid {
            origin: origin.to_string(),
            message,
            fix: fix.to_string(),
        };

        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| fail(e.message().trim().replace('\n', " "), "correct the TOML syntax"))?;

        let valid = valid_keys();
        let mut run = RunSettings::default();
        let mut leaves = Vec::new();
        for (key, value) in &table {
            if key == "run" {
                let run_table = value
                    .as_table()
                    .ok_or_else(|| fail("[run] is not a table".to_string(), "write the run settings as a [run] table"))?;
                run = parse_run(run_table, origin)?;
            } else {
                flatten(key, value, &mut leaves);
            }
        }

        let mut axes = Vec::new();
        for (key, value) in leaves {
            if !valid.contains(&key) {
                let list: Vec<&str> = valid.iter().map(String::as_str).collect();
                return Err(fail(
                    format!("unknown configuration key \"{key}\""),
                    &format!("use one of {} (or a [run] table)", list.join(", ")),
                ));
            }

            let items = match &value {
                toml::Value::Array(items) => items.clone(),
                other => vec![other.clone()],
            };
            if items.is_empty() {
                return Err(fail(
                    format!("\"{key}\" = [] has no values"),
                    "give the axis at least one value or remove the key",
                ));
            }

            let mut values = Vec::new();
            for item in &items {
                let v = AxisValue::from_toml(item).ok_or_else(|| {
                    fail(
                        format!("\"{key}\" holds {item}, which is not an integer, string or boolean"),
                        "list plain values, for example [4, 8, 16]",
                    )
                })?;
                if values.contains(&v) {
                    return Err(fail(
                        format!("\"{key}\" lists {v} twice"),
                        "list each value once, because equal points would be run twice",
                    ));
                }
                values.push(v);
            }
            axes.push(Axis { key, values });
        }

        if axes.is_empty() {
            return Err(fail(
                "the grid has no axis".to_string(),
                "add at least one configuration key with a list of values, such as \"samples.train\" = [8, 16]",
            ));
        }

        axes.sort_by(|a, b| (a.key == SEED_KEY, &a.key).cmp(&(b.key == SEED_KEY, &b.key)));
        Ok(Grid { origin: origin.to_string(), axes, run })
    }

    /// Returns a short hex digest of the axes and run settings; equal digests mean the same sweep.
    pub fn digest(&self) -> String {
        let canonical = serde_json::to_string(self).expect("grid serializes to JSON");
        short_digest(canonical.as_bytes())
    }

    /// Returns the seeds of the repetition axis, or the base seed when the grid has none.
    fn seeds(&self, base: &BaseConfig) -> Vec<AxisValue> {
        match self.axes.iter().find(|a| a.key == SEED_KEY) {
            Some(axis) => axis.values.clone(),
            None => vec![AxisValue::Integer(base.config.seeds.init as i64)],
        }
    }
}

fn parse_run(table: &toml::Table, origin: &str) -> Result<RunSettings, ExploreError> {
    let fail = |key: &str, message: String, fix: String| ExploreError::Grid {
        origin: origin.to_string(),
        message: format!("run.{key}: {message}"),
        fix,
    };
    let positive = |key: &str, value: &toml::Value| -> Result<u64, ExploreError> {
        match value.as_integer() {
            Some(v) if v >= 1 => Ok(v as u64),
            _ => Err(fail(key, format!("{value} is not a positive integer"), format!("set run.{key} to 1 or more"))),
        }
    };

    let mut run = RunSettings::default();
    for (key, value) in table {
        match key.as_str() {
            "dataset" => {
                let name = value.as_str().unwrap_or_default();
                if !["digits", "mnist", "fashion"].contains(&name) {
                    return Err(fail(
                        key,
                        format!("{value} is not a known data set"),
                        "use \"digits\", \"mnist\" or \"fashion\"".to_string(),
                    ));
                }
                run.dataset = name.to_string();
            }
            "data_root" => {
                let path = value
                    .as_str()
                    .ok_or_else(|| fail(key, format!("{value} is not a string"), "give a folder path in quotes".to_string()))?;
                run.data_root = PathBuf::from(path);
            }
            "epochs" => run.epochs = positive(key, value)?.min(u32::MAX as u64) as u32,
            "train_limit" => run.train_limit = Some(positive(key, value)? as usize),
            "test_limit" => run.test_limit = Some(positive(key, value)? as usize),
            "references" => {
                run.references = value
                    .as_bool()
                    .ok_or_else(|| fail(key, format!("{value} is not a boolean"), "use true or false".to_string()))?;
            }
            _ => {
                return Err(fail(
                    key,
                    "unknown run setting".to_string(),
                    format!("use one of {}", RUN_KEYS.join(", ")),
                ))
            }
        }
    }
    Ok(run)
}

/// Collects the dotted names of every non-table value under `prefix`.
fn flatten(prefix: &str, value: &toml::Value, out: &mut Vec<(String, toml::Value)>) {
    match value {
        toml::Value::Table(table) => {
            for (key, inner) in table {
                flatten(&format!("{prefix}.{key}"), inner, out);
            }
        }
        leaf => out.push((prefix.to_string(), leaf.clone())),
    }
}

/// Returns every dotted configuration key, read off the canonical TOML of the defaults.
pub fn valid_keys() -> BTreeSet<String> {
    let table: toml::Table = Config::default().to_toml().parse().expect("canonical TOML parses");
    let mut leaves = Vec::new();
    for (key, value) in &table {
        flatten(key, value, &mut leaves);
    }
    leaves.into_iter().map(|(key, _)| key).collect()
}

/// Sets a dotted key in a TOML table, creating the tables on the way.
fn set_dotted(table: &mut toml::Table, key: &str, value: toml::Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let leaf = parts.pop().expect("a key has at least one part");
    let mut current = table;
    for part in parts {
        let entry = current
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        current = entry.as_table_mut().expect("entry was just made a table");
    }
    current.insert(leaf.to_string(), value);
}

pub(crate) fn short_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Kind of training a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// The bit-exact fixed-point model.
    Model,
    /// The same sampled learning rule in f64.
    FloatSampled,
    /// Exact backpropagation of the same network in f64.
    FloatExact,
}

impl JobKind {
    /// Returns the name used in results files.
    pub fn name(self) -> &'static str {
        match self {
            JobKind::Model => "model",
            JobKind::FloatSampled => "float_sampled",
            JobKind::FloatExact => "float_exact",
        }
    }
}

/// One unit of work: a configuration, what to train on it, and its place in the sweep.
#[derive(Debug, Clone)]
pub struct Job {
    /// Position in the plan; results are sorted by it and shards split on it.
    pub index: usize,
    pub kind: JobKind,
    /// Unique name of the job, stable across runs of the same grid.
    pub key: String,
    /// The key without the seed: jobs of one group differ only in `seeds.init`.
    pub group: String,
    pub seed: u64,
    /// Axis values of this job, in axis order (reference jobs list only the axes they depend on).
    pub values: Vec<(String, String)>,
    pub config: Config,
}

/// Every job of a grid applied to a base configuration, validated before any work.
#[derive(Debug, Clone)]
pub struct Plan {
    pub grid: Grid,
    pub grid_digest: String,
    pub base_digest: String,
    pub base_toml: String,
    pub jobs: Vec<Job>,
}

impl Plan {
    /// Expands the grid over the base and validates every point; the first invalid point is the error.
    pub fn new(grid: &Grid, base: &BaseConfig) -> Result<Plan, ExploreError> {
        let base_table: toml::Table = base.text.parse().expect("the base text was validated");
        let point_axes: Vec<&Axis> = grid.axes.iter().filter(|a| a.key != SEED_KEY).collect();
        let seeds = grid.seeds(base);

        let mut jobs = Vec::new();
        let mut combination = vec![0usize; point_axes.len()];
        loop {
            let group_values: Vec<(String, AxisValue)> = point_axes
                .iter()
                .zip(&combination)
                .map(|(axis, &i)| (axis.key.clone(), axis.values[i].clone()))
                .collect();
            let group = join_values(&group_values);

            for seed in &seeds {
                let mut values = group_values.clone();
                if grid.axes.iter().any(|a| a.key == SEED_KEY) {
                    values.push((SEED_KEY.to_string(), seed.clone()));
                }
                let key = join_values(&values);
                let index = jobs.len();

                let mut table = base_table.clone();
                for (k, v) in &values {
                    set_dotted(&mut table, k, v.to_toml());
                }
                let text = toml::to_string(&table).expect("a TOML table serializes");
                let origin = format!("{}, point {index} ({key})", grid.origin);
                let config = Config::from_toml_str(&text, &origin)?;

                jobs.push(Job {
                    index,
                    kind: JobKind::Model,
                    key,
                    group: group.clone(),
                    seed: config.seeds.init,
                    values: values.iter().map(|(k, v)| (k.clone(), v.to_string())).collect(),
                    config,
                });
            }

            if !advance(&mut combination, &point_axes) {
                break;
            }
        }

        if grid.run.references {
            let model_jobs = jobs.len();
            let mut seen = BTreeSet::new();
            for m in 0..model_jobs {
                for kind in [JobKind::FloatSampled, JobKind::FloatExact] {
                    let (group, key) = reference_key(kind, &jobs[m].config);
                    if !seen.insert(key.clone()) {
                        continue;
                    }
                    let relevant = reference_axes(kind);
                    let values = jobs[m].values.iter().filter(|(k, _)| relevant.contains(&k.as_str())).cloned().collect();
                    let config = jobs[m].config.clone();
                    jobs.push(Job { index: jobs.len(), kind, key, group, seed: config.seeds.init, values, config });
                }
            }
        }

        Ok(Plan {
            grid: grid.clone(),
            grid_digest: grid.digest(),
            base_digest: base.config.digest(),
            base_toml: base.config.to_toml(),
            jobs,
        })
    }

    /// Returns the keys of the axes that vary between points, seed axis last.
    pub fn axis_keys(&self) -> Vec<String> {
        self.grid.axes.iter().map(|a| a.key.clone()).collect()
    }
}

/// Steps an odometer over the axes, last axis fastest; returns false after the last combination.
fn advance(combination: &mut [usize], axes: &[&Axis]) -> bool {
    for position in (0..combination.len()).rev() {
        combination[position] += 1;
        if combination[position] < axes[position].values.len() {
            return true;
        }
        combination[position] = 0;
    }
    false
}

fn join_values(values: &[(String, AxisValue)]) -> String {
    values.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

/// Configuration keys a reference engine reads; the other axes do not change its result.
fn reference_axes(kind: JobKind) -> &'static [&'static str] {
    match kind {
        JobKind::FloatSampled => &[
            "network.inputs",
            "network.hidden",
            "network.outputs",
            "samples.train",
            "widths.pixel",
            "learning.hidden_shift",
            "learning.output_shift",
            "learning.estimator",
            SEED_KEY,
        ],
        _ => &[
            "network.inputs",
            "network.hidden",
            "network.outputs",
            "widths.pixel",
            "learning.hidden_shift",
            "learning.output_shift",
            SEED_KEY,
        ],
    }
}

/// Returns (group, key) naming one reference run by the values its engine reads.
fn reference_key(kind: JobKind, config: &Config) -> (String, String) {
    let n = &config.network;
    let mut group = format!(
        "{} network={}-{}-{} pixel={} shifts={}/{}",
        kind.name(),
        n.inputs,
        n.hidden,
        n.outputs,
        config.widths.pixel,
        config.learning.hidden_shift,
        config.learning.output_shift
    );
    if kind == JobKind::FloatSampled {
        group.push_str(&format!(" estimator={} T={}", config.learning.estimator.name(), config.samples.train));
    }
    let key = format!("{group} seed={}", config.seeds.init);
    (group, key)
}

/// A 1-based shard `i/n`: runs the jobs whose index % n == i - 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `i/n` with 1 <= i <= n.
    pub fn parse(spec: &str) -> Result<Shard, ExploreError> {
        let fail = |rule: String, fix: &str| ExploreError::Shard { spec: spec.to_string(), rule, fix: fix.to_string() };
        let (i, n) = spec
            .split_once('/')
            .ok_or_else(|| fail("a shard is written i/n".to_string(), "write for example --shard 1/3"))?;
        let i: usize = i
            .trim()
            .parse()
            .map_err(|_| fail(format!("\"{i}\" is not a whole number"), "write for example --shard 1/3"))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| fail(format!("\"{n}\" is not a whole number"), "write for example --shard 1/3"))?;
        if n == 0 {
            return Err(fail("the shard count n must be at least 1".to_string(), "use n >= 1, for example 1/3"));
        }
        if i == 0 || i > n {
            return Err(fail(
                format!("shards are numbered from 1 to n = {n}"),
                &format!("use an index from 1 to {n}, for example 1/{n}"),
            ));
        }
        Ok(Shard { index: i, count: n })
    }

    /// Returns true when the job with this index belongs to the shard.
    pub fn contains(&self, index: usize) -> bool {
        index % self.count == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
