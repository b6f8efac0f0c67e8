//! The Verilator build cache: a rebuild only when an input changes, and runs that see plusargs.

use std::path::PathBuf;

use sampleprop_cosim::{build, run, tools_required, BuildSpec, Optimization, Verilator};

/// Returns Verilator, or None (with a printed reason) when tests may skip.
fn verilator_or_skip() -> Option<Verilator> {
    match Verilator::discover() {
        Ok(v) => Some(v),
        Err(e) if !tools_required() => {
            eprintln!("skipped: {e}");
            None
        }
        Err(e) => panic!("SAMPLEPROP_REQUIRE_TOOLS=1 but {e}"),
    }
}

/// Returns a counter testbench that prints its PASS line once the count reaches `limit`.
fn counter_tb(limit: u32) -> String {
    format!(
        "module tb_count (input clk_i);\n\
         \x20 parameter integer Step = 1;\n\
         \x20 reg [31:0] n = 32'd0;\n\
         \x20 always @(posedge clk_i) begin\n\
         \x20   n <= n + Step;\n\
         \x20   if (n >= 32'd{limit}) begin\n\
         \x20     $display(\"tb_count: PASS %0d vectors\", n);\n\
         \x20     $finish;\n\
         \x20   end\n\
         \x20 end\n\
         endmodule\n"
    )
}

fn spec(limit: u32, step: u32) -> BuildSpec {
    BuildSpec {
        label: "tb_count".to_string(),
        group: "cache-test".to_string(),
        top: "tb_count".to_string(),
        generated: vec![("tb_count.v".to_string(), counter_tb(limit))],
        sources: vec![PathBuf::from("tb_count.v")],
        search_dirs: Vec::new(),
        parameters: vec![("Step".to_string(), step.to_string())],
        optimization: Optimization::FastBuild,
        vcd_support: false,
    }
}

#[test]
fn cache_reuses_and_rebuilds() {
    let Some(verilator) = verilator_or_skip() else { return };
    let cache = tempfile::tempdir().unwrap();

    let first = build(&verilator, &spec(100, 1), cache.path()).unwrap();
    assert!(!first.cached, "an empty cache must build");
    let output = run(&first, &[]).unwrap();
    assert!(output.success, "{}", output.stderr);
    assert!(output.stdout.contains("tb_count: PASS 100 vectors"), "{}", output.stdout);

    let again = build(&verilator, &spec(100, 1), cache.path()).unwrap();
    assert!(again.cached, "identical inputs must reuse the build");
    assert_eq!(again.dir, first.dir);

    let edited = build(&verilator, &spec(200, 1), cache.path()).unwrap();
    assert!(!edited.cached, "an edited source must rebuild");
    assert_ne!(edited.dir, first.dir);

    let parameter = build(&verilator, &spec(100, 3), cache.path()).unwrap();
    assert!(!parameter.cached, "a new -G value must rebuild");
    let output = run(&parameter, &[]).unwrap();
    assert!(output.stdout.contains("tb_count: PASS 102 vectors"), "{}", output.stdout);
}

#[test]
fn concurrent_builds_share_one_folder() {
    let Some(verilator) = verilator_or_skip() else { return };
    let cache = tempfile::tempdir().unwrap();

    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| build(&verilator, &spec(50, 1), cache.path()).unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results[0].dir, results[1].dir);
    let output = run(&results[0], &[]).unwrap();
    assert!(output.stdout.contains("tb_count: PASS 50 vectors"), "{}", output.stdout);

    let leftovers: Vec<_> = std::fs::read_dir(cache.path().join("cache-test"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".staging-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

#[test]
fn broken_source_reports_build_failure() {
    let Some(verilator) = verilator_or_skip() else { return };
    let cache = tempfile::tempdir().unwrap();
    let mut broken = spec(10, 1);
    broken.generated[0].1 = "module tb_count (input clk_i); wire x = ; endmodule\n".to_string();

    let error = build(&verilator, &broken, cache.path()).unwrap_err().to_string();
    assert!(error.contains("Verilator build of tb_count failed"), "{error}");
    assert!(error.contains("%Error"), "{error}");
}
