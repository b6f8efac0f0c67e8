//! End-to-end tests of the `sampleprop` binary: bad input, determinism, resume and full disks.

use std::path::Path;
use std::process::{Command, Output};

fn sampleprop(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sampleprop"))
        .args(args)
        .current_dir(dir)
        .env("SAMPLEPROP_QUIET", "1")
        .output()
        .expect("sampleprop runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts a failed run with one error line containing every fragment, and no results folder.
fn assert_rejected(output: &Output, fragments: &[&str], dir: &Path) {
    let message = stderr(output);
    assert!(!output.status.success(), "expected failure, got success: {message}");
    assert_eq!(message.trim_end().lines().count(), 1, "expected one error line: {message}");
    for fragment in fragments {
        assert!(message.contains(fragment), "missing {fragment:?} in: {message}");
    }
    assert!(!dir.join("results").exists(), "a failed run must write no file");
}

fn write_config(dir: &Path, text: &str) -> String {
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn invalid_budget_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[samples]\ntrain = 24\n");
    let output = sampleprop(&["train", "--config", &config, "--epochs", "1"], dir.path());
    assert_rejected(&output, &["samples.train = 24", "power of two", "such as 16"], dir.path());
}

#[test]
fn lanes_not_dividing_hidden_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[network]\nhidden = 30\n[hardware]\nlanes = 4\n");
    let output = sampleprop(&["train", "--config", &config], dir.path());
    assert_rejected(&output, &["hardware.lanes = 4", "divide network.hidden = 30"], dir.path());
}

#[test]
fn unknown_key_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[widths]\nweigth = 6\n");
    let output = sampleprop(&["train", "--config", &config], dir.path());
    assert_rejected(&output, &["config.toml:2:1", "unknown field `weigth`"], dir.path());
}

#[test]
fn missing_config_file_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let output = sampleprop(&["info", "--config", "absent.toml"], dir.path());
    assert_rejected(&output, &["absent.toml", "check the path"], dir.path());
}

#[test]
fn missing_mnist_names_fetch() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[network]\ninputs = 784\n");
    let output = sampleprop(&["train", "--config", &config, "--data", "mnist", "--data-dir", "nowhere"], dir.path());
    assert_rejected(&output, &["nowhere", "sampleprop data fetch mnist --dest nowhere/mnist"], dir.path());

    // The project's own data/ folder is what make data fills.
    let output = sampleprop(&["train", "--config", &config, "--data", "mnist"], dir.path());
    assert_rejected(&output, &["data/mnist", "make data"], dir.path());
}

#[test]
fn input_count_mismatch_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[network]\ninputs = 100\n");
    let output = sampleprop(&["train", "--config", &config], dir.path());
    assert_rejected(&output, &["network.inputs = 100", "64 pixels"], dir.path());
}

#[test]
fn info_prints_derived_figures() {
    let dir = tempfile::tempdir().unwrap();
    let output = sampleprop(&["info"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("hidden = 128"), "{text}");
    assert!(text.contains("# counter      6 bits"), "{text}");
    assert!(text.contains("cycles per training example"), "{text}");
}

#[test]
fn set_overrides_a_file_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[network]\nhidden = 64\n");
    let output = sampleprop(&["info", "--config", &config, "--set", "hardware.lanes=16"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("hidden = 64"), "{text}");
    assert!(text.contains("lanes = 16"), "{text}");

    let output = sampleprop(&["train", "--config", &config, "--set", "hardware.lanes=3"], dir.path());
    assert_rejected(&output, &["--set hardware.lanes=3", "hardware.lanes = 3", "divide network.hidden = 64"], dir.path());
    let output = sampleprop(&["train", "--set", "hardware.lanes"], dir.path());
    assert_rejected(&output, &["--set hardware.lanes", "KEY=VALUE"], dir.path());
}

fn train_weights(dir: &Path, out: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec!["train", "--engine", "model", "--train-limit", "300", "--test-limit", "100", "--out", out];
    args.extend_from_slice(extra);
    let output = sampleprop(&args, dir);
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::read(dir.join(out).join("weights.json")).unwrap()
}

#[test]
fn weights_identical_across_threads() {
    let dir = tempfile::tempdir().unwrap();
    let one = train_weights(dir.path(), "one", &["--epochs", "2", "--threads", "1"]);
    let two = train_weights(dir.path(), "two", &["--epochs", "2", "--threads", "2"]);
    assert!(one == two, "weights differ between 1 and 2 threads");

    let again = train_weights(dir.path(), "again", &["--epochs", "2", "--threads", "2"]);
    assert!(two == again, "weights differ between two identical runs");
}

#[test]
fn resume_matches_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let straight = train_weights(dir.path(), "straight", &["--epochs", "3"]);
    train_weights(dir.path(), "split", &["--epochs", "1"]);
    let resumed = train_weights(dir.path(), "split", &["--epochs", "3", "--resume", "split/checkpoint.json"]);
    assert!(straight == resumed, "resuming after one epoch changed the weights");
}

#[test]
fn resume_stays_in_checkpoint_folder() {
    let dir = tempfile::tempdir().unwrap();
    let straight = train_weights(dir.path(), "straight", &["--epochs", "2"]);
    train_weights(dir.path(), "split", &["--epochs", "1"]);

    let args = ["train", "--engine", "model", "--train-limit", "300", "--test-limit", "100", "--epochs", "2"];
    let mut resume = args.to_vec();
    resume.extend_from_slice(&["--resume", "split/checkpoint.json"]);
    let output = sampleprop(&resume, dir.path());
    assert!(output.status.success(), "{}", stderr(&output));

    let resumed = std::fs::read(dir.path().join("split/weights.json")).unwrap();
    assert!(straight == resumed, "the resumed run must write into the checkpoint's folder");
    assert!(!dir.path().join("results").exists(), "no default results folder without --out");

    // --set that changes the configuration contradicts the checkpoint.
    resume.extend_from_slice(&["--set", "hardware.lanes=8"]);
    let output = sampleprop(&resume, dir.path());
    assert!(!output.status.success());
    assert!(stderr(&output).contains("--config and --set give"), "{}", stderr(&output));
}

#[test]
fn resume_rejects_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("other.json"), "{\"format\": \"something-else\"}").unwrap();
    let output = sampleprop(&["train", "--resume", "other.json"], dir.path());
    assert_rejected(&output, &["other.json", "something-else", "sampleprop-checkpoint-1"], dir.path());
}

#[test]
fn eval_reads_trained_weights() {
    let dir = tempfile::tempdir().unwrap();
    train_weights(dir.path(), "run", &["--epochs", "1"]);
    let output = sampleprop(&["eval", "--weights", "run/weights.json", "--test-limit", "50"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("on 50 digits test examples, T_inf = 32: accuracy"), "{}", stdout(&output));
}

#[test]
fn generate_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    for out in ["a", "b"] {
        let output = sampleprop(&["generate", "--out", out], dir.path());
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let core_a = std::fs::read_to_string(dir.path().join("a/sampleprop_core.v")).unwrap();
    let core_b = std::fs::read_to_string(dir.path().join("b/sampleprop_core.v")).unwrap();
    assert_eq!(core_a, core_b);
    assert!(core_a.contains("Generated by sampleprop-hdl"), "missing generated-file header");
    assert!(dir.path().join("a/wmem_init.hex").exists());
}

/// Mounts a 16 KiB tmpfs so that writing a checkpoint fails with "No space left on device".
struct TinyDisk {
    path: std::path::PathBuf,
}

impl TinyDisk {
    fn mount(path: &Path) -> Option<TinyDisk> {
        std::fs::create_dir_all(path).ok()?;
        let status = Command::new("mount").args(["-t", "tmpfs", "-o", "size=16k", "tmpfs"]).arg(path).status().ok()?;
        status.success().then(|| TinyDisk { path: path.to_path_buf() })
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        Command::new("umount").arg(&self.path).status().ok();
    }
}

#[test]
fn full_disk_keeps_previous_results() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = TinyDisk::mount(&dir.path().join("tiny")) else {
        eprintln!("skipped: mounting a tmpfs needs root; the full-disk path is not exercised");
        return;
    };

    let out = disk.path.join("run");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("checkpoint.json"), "previous checkpoint").unwrap();

    let output = sampleprop(
        &["train", "--engine", "model", "--epochs", "1", "--train-limit", "50", "--overwrite", "--out", out.to_str().unwrap()],
        dir.path(),
    );
    let message = stderr(&output);
    assert!(!output.status.success(), "training onto a full disk must fail");
    assert!(message.contains("checkpoint.json"), "{message}");
    assert!(message.contains("No space left on device"), "{message}");
    assert!(message.contains("previous file is unchanged"), "{message}");
    assert_eq!(std::fs::read_to_string(out.join("checkpoint.json")).unwrap(), "previous checkpoint");

    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
}

#[test]
fn sweep_adds_synthesis_columns() {
    let has_yosys = Command::new("yosys").arg("-V").output().is_ok_and(|o| o.status.success());
    if !has_yosys {
        assert!(std::env::var_os("SAMPLEPROP_REQUIRE_TOOLS").is_none(), "SAMPLEPROP_REQUIRE_TOOLS is set but yosys is missing");
        eprintln!("skipped: yosys not found; run scripts/setup-synth.sh");
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(
        &grid,
        "\"network.hidden\" = [8]\n\"hardware.lanes\" = [4]\n[run]\nepochs = 1\ntrain_limit = 50\ntest_limit = 20\nreferences = false\n",
    )
    .unwrap();
    let output = sampleprop(&["sweep", "--grid", grid.to_str().unwrap(), "--out", "sweep", "--synth", "generic"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));

    let csv = std::fs::read_to_string(dir.path().join("sweep/results.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert!(column("luts").parse::<u64>().unwrap() > 0, "{csv}");
    assert!(column("flip_flops").parse::<u64>().unwrap() > 0, "{csv}");
}

#[test]
fn sweep_set_changes_the_base() {
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(
        &grid,
        "\"network.hidden\" = [8]\n[run]\nepochs = 1\ntrain_limit = 50\ntest_limit = 20\nreferences = false\n",
    )
    .unwrap();
    let grid = grid.to_str().unwrap();
    let row = |out: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(dir.path().join(out).join("results.jsonl")).unwrap();
        serde_json::from_str(text.lines().next().unwrap()).unwrap()
    };

    let output = sampleprop(&["sweep", "--grid", grid, "--out", "plain"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let output = sampleprop(&["sweep", "--grid", grid, "--out", "two", "--set", "hardware.lanes=2"], dir.path());
    assert!(output.status.success(), "{}", stderr(&output));

    // Two lanes instead of four: another configuration and more cycles, the same result bits.
    let (plain, two) = (row("plain"), row("two"));
    assert_ne!(plain["digest"], two["digest"]);
    assert!(two["train_cycles_mean"].as_f64() > plain["train_cycles_mean"].as_f64());
    assert_eq!(plain["test_accuracy"], two["test_accuracy"]);

    let output = sampleprop(&["sweep", "--grid", grid, "--out", "bad", "--set", "hardware.lanes=3"], dir.path());
    assert_rejected(&output, &["--set hardware.lanes=3", "divide network.hidden = 128"], dir.path());
    assert!(!dir.path().join("bad").exists(), "a rejected sweep must write no folder");
}

#[test]
fn sweep_rejects_unknown_synthesis_target() {
    let dir = tempfile::tempdir().unwrap();
    let grid = dir.path().join("grid.toml");
    std::fs::write(&grid, "\"network.hidden\" = [8]\n\"hardware.lanes\" = [4]\n").unwrap();
    let output = sampleprop(&["sweep", "--grid", grid.to_str().unwrap(), "--synth", "ice99"], dir.path());
    assert_rejected(&output, &["ice99", "generic, ice40"], dir.path());
}

#[test]
fn different_run_keeps_previous_results() {
    let dir = tempfile::tempdir().unwrap();
    let first = train_weights(dir.path(), "run", &["--epochs", "2"]);

    let output = sampleprop(
        &["train", "--engine", "model", "--train-limit", "300", "--test-limit", "100", "--out", "run", "--epochs", "1"],
        dir.path(),
    );
    let message = stderr(&output);
    assert!(!output.status.success(), "a shorter run must not replace the results silently");
    assert!(message.contains("already contains 2 epochs of the same configuration and data"), "{message}");
    assert!(message.contains("more than --epochs 1"), "{message}");
    assert!(message.contains("--overwrite"), "{message}");
    assert!(std::fs::read(dir.path().join("run/weights.json")).unwrap() == first, "previous weights changed");

    // A longer run of the same setup, such as one interrupted earlier, is offered --resume.
    let output = sampleprop(
        &["train", "--engine", "model", "--train-limit", "300", "--test-limit", "100", "--out", "run", "--epochs", "3"],
        dir.path(),
    );
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(message.contains("fewer than --epochs 3"), "{message}");
    assert!(message.contains("--resume"), "{message}");

    // Another configuration is named as such.
    let output = sampleprop(
        &["train", "--engine", "model", "--train-limit", "300", "--test-limit", "100", "--out", "run", "--epochs", "2",
          "--set", "hardware.lanes=8"],
        dir.path(),
    );
    let message = stderr(&output);
    assert!(!output.status.success());
    assert!(message.contains("the results of a different configuration or data set"), "{message}");
    assert!(std::fs::read(dir.path().join("run/weights.json")).unwrap() == first, "previous weights changed");

    let again = train_weights(dir.path(), "run", &["--epochs", "2"]);
    assert!(again == first, "the identical rerun must reproduce the same weights");

    let replaced = train_weights(dir.path(), "run", &["--epochs", "1", "--overwrite"]);
    assert!(replaced != first, "--overwrite must replace the results");
}

#[test]
fn cosim_without_examples_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let output = sampleprop(&["cosim", "--examples", "0"], dir.path());
    assert_rejected(&output, &["--examples 0", "compares nothing"], dir.path());
    assert!(!dir.path().join("build").exists(), "nothing may be built");
}

#[test]
fn generate_onto_file_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("afile"), "keep").unwrap();
    let output = sampleprop(&["generate", "--out", "afile"], dir.path());
    assert_rejected(&output, &["afile is an existing file, not a folder"], dir.path());
    assert_eq!(std::fs::read_to_string(dir.path().join("afile")).unwrap(), "keep");
}

#[test]
fn weights_without_format_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rand.json"), "{\"a\": 1}").unwrap();
    let output = sampleprop(&["eval", "--weights", "rand.json"], dir.path());
    assert_rejected(&output, &["rand.json has no \"format\" field", "sampleprop-weights-1"], dir.path());
}
