//! Sweeps on a small grid of the bundled digits with the real model and float references.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use sampleprop_explore::{
    merge, read_dir, report, sweep, BaseConfig, CoreEvaluator, Evaluator, ExploreError, Grid, Job, Metrics, Plan, Row,
    Shard, SweepOptions,
};

const SMALL_GRID: &str = r#"
"widths.weight" = [6, 8]
"samples.train" = [4, 8]
"seeds.init" = [1, 2]

[run]
dataset = "digits"
epochs = 1
train_limit = 120
test_limit = 60
"#;

fn small_plan() -> Plan {
    let grid = Grid::from_toml_str(SMALL_GRID, "small grid").unwrap();
    Plan::new(&grid, &BaseConfig::defaults()).unwrap()
}

fn options(dir: &Path, threads: usize) -> SweepOptions {
    SweepOptions { threads: Some(threads), progress: false, ..SweepOptions::new(dir) }
}

fn without_wall_time(rows: &[Row]) -> Vec<Row> {
    rows.iter().map(Row::without_wall_time).collect()
}

/// Reads results.csv without its last column, the wall time.
fn csv_without_wall_time(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    text.lines().map(|line| line.rsplit_once(',').unwrap().0.to_string()).collect()
}

#[test]
fn plan_has_model_and_reference_jobs() {
    let plan = small_plan();
    let model = plan.jobs.iter().filter(|j| j.kind == sampleprop_explore::JobKind::Model).count();

    assert_eq!(model, 8);
    // One float-sampled row per (T, seed) and one exact row per seed.
    assert_eq!(plan.jobs.len(), 8 + 4 + 2);
    assert!(plan.jobs.iter().enumerate().all(|(i, j)| j.index == i));
}

#[test]
fn one_and_two_threads_write_identical_rows() {
    let plan = small_plan();
    let evaluator = CoreEvaluator::new(&plan).unwrap();
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();

    let a = sweep(&plan, &evaluator, None, &options(one.path(), 1)).unwrap();
    let b = sweep(&plan, &evaluator, None, &options(two.path(), 2)).unwrap();

    assert_eq!(a.rows.len(), plan.jobs.len());
    assert_eq!(without_wall_time(&a.rows), without_wall_time(&b.rows));
    assert_eq!(csv_without_wall_time(one.path()), csv_without_wall_time(two.path()));
    // Two seeds of one point must train differently, or the repetition axis measures nothing.
    assert_ne!(
        (a.rows[0].train_accuracy, a.rows[0].synaptic_ops_mean),
        (a.rows[1].train_accuracy, a.rows[1].synaptic_ops_mean)
    );
}

#[test]
fn three_shards_merge_to_unsharded_rows() {
    let plan = small_plan();
    let evaluator = CoreEvaluator::new(&plan).unwrap();
    let whole = tempfile::tempdir().unwrap();
    let shards = tempfile::tempdir().unwrap();
    let full = sweep(&plan, &evaluator, None, &options(whole.path(), 2)).unwrap();

    let mut dirs = Vec::new();
    for i in 1..=3 {
        let dir = shards.path().join(format!("shard{i}"));
        let shard = Shard::parse(&format!("{i}/3")).unwrap();
        let summary = sweep(&plan, &evaluator, None, &SweepOptions { shard, ..options(&dir, 2) }).unwrap();
        assert!(summary.rows.iter().all(|r| r.index % 3 == i - 1));
        dirs.push(dir);
    }
    // A shard given twice is deduplicated, not doubled.
    dirs.push(dirs[0].clone());
    let out = shards.path().join("merged");
    let merged = merge(&dirs, &out).unwrap();

    assert_eq!(merged.rows, plan.jobs.len());
    assert_eq!(merged.missing, 0);
    assert!(merged.duplicates > 0);
    let (_, rows) = read_dir(&out).unwrap();
    assert_eq!(without_wall_time(&rows), without_wall_time(&full.rows));
    assert_eq!(csv_without_wall_time(&out), csv_without_wall_time(whole.path()));
}

/// Counts calls and fails every job from `fail_from` on.
struct Counting<'a> {
    inner: &'a CoreEvaluator,
    calls: AtomicUsize,
    fail_from: usize,
}

impl Evaluator for Counting<'_> {
    fn evaluate(&self, job: &Job) -> Result<Metrics, String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if job.index >= self.fail_from {
            return Err("stopped on purpose".to_string());
        }
        self.inner.evaluate(job)
    }
}

#[test]
fn resume_runs_only_missing_jobs() {
    let plan = small_plan();
    let evaluator = CoreEvaluator::new(&plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let reference = tempfile::tempdir().unwrap();
    let full = sweep(&plan, &evaluator, None, &options(reference.path(), 1)).unwrap();

    let failing = Counting { inner: &evaluator, calls: AtomicUsize::new(0), fail_from: 5 };
    let error = sweep(&plan, &failing, None, &options(dir.path(), 1)).unwrap_err();
    assert!(matches!(error, ExploreError::Run { index: 5, .. }), "{error}");
    let (_, partial) = read_dir(dir.path()).unwrap();
    assert_eq!(partial.len(), 5);

    let again = sweep(&plan, &evaluator, None, &options(dir.path(), 1));
    assert!(again.unwrap_err().to_string().contains("--resume"));

    let counting = Counting { inner: &evaluator, calls: AtomicUsize::new(0), fail_from: usize::MAX };
    let resumed = sweep(&plan, &counting, None, &SweepOptions { resume: true, ..options(dir.path(), 2) }).unwrap();
    assert_eq!(resumed.skipped, 5);
    assert_eq!(counting.calls.load(Ordering::SeqCst), plan.jobs.len() - 5);
    assert_eq!(without_wall_time(&resumed.rows), without_wall_time(&full.rows));
    // The rows kept from the first run are the very same lines, wall time included.
    assert_eq!(&resumed.rows[..5], &partial[..]);
}

#[test]
fn resume_drops_a_line_cut_short() {
    let plan = small_plan();
    let evaluator = CoreEvaluator::new(&plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    sweep(&plan, &evaluator, None, &options(dir.path(), 2)).unwrap();

    let path = dir.path().join("results.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.trim_end().rfind('\n').unwrap() + 1 + 20;
    std::fs::write(&path, &text[..cut]).unwrap();

    let counting = Counting { inner: &evaluator, calls: AtomicUsize::new(0), fail_from: usize::MAX };
    let resumed = sweep(&plan, &counting, None, &SweepOptions { resume: true, ..options(dir.path(), 1) }).unwrap();
    assert_eq!(counting.calls.load(Ordering::SeqCst), 1);
    assert_eq!(resumed.rows.len(), plan.jobs.len());
}

#[test]
fn resume_rejects_another_grid() {
    let plan = small_plan();
    let evaluator = CoreEvaluator::new(&plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    sweep(&plan, &evaluator, None, &options(dir.path(), 2)).unwrap();

    let other = Grid::from_toml_str(&SMALL_GRID.replace("[6, 8]", "[6, 10]"), "other grid").unwrap();
    let other_plan = Plan::new(&other, &BaseConfig::defaults()).unwrap();
    let error = sweep(&other_plan, &evaluator, None, &SweepOptions { resume: true, ..options(dir.path(), 1) })
        .unwrap_err()
        .to_string();

    assert!(error.contains("grid digest"), "{error}");
    assert!(error.contains(&plan.grid_digest), "{error}");
    assert!(error.contains(&other_plan.grid_digest), "{error}");
}

#[test]
fn merge_rejects_another_grid() {
    let plan = small_plan();
    let evaluator = CoreEvaluator::new(&plan).unwrap();
    let root = tempfile::tempdir().unwrap();
    let a = root.path().join("a");
    let b = root.path().join("b");
    sweep(&plan, &evaluator, None, &SweepOptions { shard: Shard::parse("1/2").unwrap(), ..options(&a, 2) }).unwrap();
    let other = Grid::from_toml_str(&SMALL_GRID.replace("epochs = 1", "epochs = 2"), "other grid").unwrap();
    let other_plan = Plan::new(&other, &BaseConfig::defaults()).unwrap();
    let other_evaluator = CoreEvaluator::new(&other_plan).unwrap();
    sweep(&other_plan, &other_evaluator, None, &SweepOptions { shard: Shard::parse("2/2").unwrap(), ..options(&b, 2) })
        .unwrap();

    let error = merge(&[a, b], &root.path().join("out")).unwrap_err().to_string();
    assert!(error.contains("differ"), "{error}");
}

#[test]
fn report_writes_plots_and_table() {
    let plan = small_plan();
    let evaluator = CoreEvaluator::new(&plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    sweep(&plan, &evaluator, None, &options(dir.path(), 2)).unwrap();

    let written = report(dir.path()).unwrap();
    for name in ["accuracy_vs_widths_weight", "accuracy_vs_samples_train", "pareto_memory_bits", "pareto_train_cycles"] {
        let png = dir.path().join(format!("{name}.png"));
        let svg = std::fs::read_to_string(dir.path().join(format!("{name}.svg"))).unwrap();
        assert!(written.contains(&png), "{name}.png not written");
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"), "{name}.png is not a PNG");
        assert!(svg.contains("test accuracy (%)"), "{name}.svg has no y label");
    }
    let markdown = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(markdown.contains("exact backprop"));
    // 4 model groups, float sampled for T = 4 and 8, one exact group: each over two seeds.
    assert_eq!(markdown.matches("| 2 | ").count(), 4 + 2 + 1, "one table line per group");
}
