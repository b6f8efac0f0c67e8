//! End-to-end runs of the synthesis flow on small hand-written designs and on
//! the configuration's capacity checks.

use std::path::Path;

use sampleprop_config::Config;
use sampleprop_synth::{synthesize, SynthError, SynthOptions, Target};

/// A core-shaped design: one weight RAM with a synchronous read, a register and no latch.
const CLEAN_DESIGN: &str = r#"
module sp_ram (input clk_i, input we_i, input [7:0] addr_i, input [15:0] wdata_i, output reg [15:0] rdata_o);
  reg [15:0] mem [0:255];
  initial $readmemh("wmem.hex", mem);
  always @(posedge clk_i) begin
    if (we_i) mem[addr_i] <= wdata_i;
    rdata_o <= mem[addr_i];
  end
endmodule

module sampleprop_core (input clk_i, input rst_ni, input we_i, input [7:0] addr_i, input [15:0] data_i, output reg [15:0] sum_o);
  wire [15:0] word;
  sp_ram u_wmem (.clk_i(clk_i), .we_i(we_i), .addr_i(addr_i), .wdata_i(data_i), .rdata_o(word));
  always @(posedge clk_i) begin
    if (!rst_ni) sum_o <= 16'd0;
    else sum_o <= sum_o + word;
  end
endmodule
"#;

/// A design with one latch (`hold_q` in module `sp_bad`), a combinational loop and an asynchronous-read weight memory.
const FAULTY_DESIGN: &str = r#"
module sp_bad (input en_i, input d_i, output q_o);
  reg hold_q;
  always @* if (en_i) hold_q = d_i;
  assign q_o = hold_q;
endmodule

module sampleprop_core (input clk_i, input a_i, input en_i, input [3:0] addr_i, output y_o, output l_o, output [7:0] w_o);
  wire ring_a, ring_b;
  reg [7:0] vmem [0:15];
  assign ring_a = a_i ^ ring_b;
  assign ring_b = ring_a & en_i;
  assign y_o = ring_b;
  assign w_o = vmem[addr_i];
  always @(posedge clk_i) if (en_i) vmem[addr_i] <= {7'd0, a_i};
  sp_bad u_bad (.en_i(en_i), .d_i(a_i), .q_o(l_o));
endmodule
"#;

/// Returns whether Yosys is available; without it the test is skipped with a printed reason,
/// unless SAMPLEPROP_REQUIRE_TOOLS is set, which makes the absence a failure.
fn yosys_available(test: &str) -> bool {
    match sampleprop_synth::toolchain(&Target::Generic) {
        Ok(_) => true,
        Err(error) => {
            if std::env::var_os("SAMPLEPROP_REQUIRE_TOOLS").is_some() {
                panic!("{test}: SAMPLEPROP_REQUIRE_TOOLS is set but {error}");
            }
            eprintln!("{test}: skipped because {error}");
            false
        }
    }
}

fn write_design(dir: &Path, verilog: &str) {
    std::fs::write(dir.join("core.v"), verilog).unwrap();
    std::fs::write(dir.join("files.f"), "core.v\n").unwrap();
    let hex: String = (0..256).map(|i| format!("{i:04x}\n")).collect();
    std::fs::write(dir.join("wmem.hex"), hex).unwrap();
}

fn options(build: &Path) -> SynthOptions {
    SynthOptions {
        build_dir: Some(build.to_path_buf()),
        ..SynthOptions::default()
    }
}

#[test]
fn generic_clean_design_passes_checks() {
    if !yosys_available("generic_clean_design_passes_checks") {
        return;
    }
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_design(rtl.path(), CLEAN_DESIGN);

    let report = synthesize(
        &Config::default(),
        rtl.path(),
        &Target::Generic,
        &options(build.path()),
    )
    .unwrap();

    assert!(report.luts > 0, "no LUTs in {:?}", report.cells_by_type);
    assert_eq!(report.flip_flops, 16, "cells: {:?}", report.cells_by_type);
    assert_eq!(report.block_rams, 1, "cells: {:?}", report.cells_by_type);
    assert_eq!(report.memories.len(), 1);
    assert_eq!(report.memories[0].name, "u_wmem.mem");
    assert_eq!(
        (report.memories[0].words, report.memories[0].width),
        (256, 16)
    );
    assert!(report.memories[0].synchronous_read);
    assert!(report.memories[0].block_ram_intended);
    assert!(report.checks.memories_in_bram);
    assert!(report.failures().is_empty(), "{:?}", report.failures());
    assert_eq!(report.fmax_mhz, None);

    let json = serde_json::to_string(&report).unwrap();
    let back: sampleprop_synth::SynthReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert!(report.to_table().contains("u_wmem.mem"));
}

#[test]
fn generic_faulty_design_names_culprits() {
    if !yosys_available("generic_faulty_design_names_culprits") {
        return;
    }
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_design(rtl.path(), FAULTY_DESIGN);

    let report = synthesize(
        &Config::default(),
        rtl.path(),
        &Target::Generic,
        &options(build.path()),
    )
    .unwrap();

    assert_eq!(
        report.checks.latches.len(),
        1,
        "{:?}",
        report.checks.latches
    );
    assert_eq!(report.checks.latches[0].module, "sp_bad");
    assert_eq!(report.checks.latches[0].signal, "hold_q");

    assert_eq!(
        report.checks.combinational_loops.len(),
        1,
        "{:?}",
        report.checks.combinational_loops
    );
    let signals = &report.checks.combinational_loops[0].signals;
    assert!(signals.contains(&"ring_a".to_string()), "{signals:?}");
    assert!(signals.contains(&"ring_b".to_string()), "{signals:?}");

    assert!(!report.checks.memories_in_bram);
    let failures = report.failures();
    assert_eq!(failures.len(), 3, "{failures:?}");
    assert!(
        failures[0].contains("module sp_bad for signal hold_q"),
        "{}",
        failures[0]
    );
    assert!(failures[1].contains("ring_a"), "{}", failures[1]);
    assert!(failures[2].contains("vmem"), "{}", failures[2]);
    assert!(failures[2].contains("asynchronous"), "{}", failures[2]);
}

#[test]
fn cached_report_is_reused() {
    if !yosys_available("cached_report_is_reused") {
        return;
    }
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_design(rtl.path(), CLEAN_DESIGN);
    let config = Config::default();
    let opts = options(build.path());

    let first = synthesize(&config, rtl.path(), &Target::Generic, &opts).unwrap();
    let dir = sampleprop_synth::cache_dir(&config, &Target::Generic, &opts);
    assert!(
        dir.ends_with(format!("synth/{}-generic", config.digest())),
        "{}",
        dir.display()
    );
    assert!(dir.join("report.json").is_file());

    // Same RTL: the stored report comes back without a run, so the log stays absent.
    std::fs::remove_file(dir.join("yosys.log")).unwrap();
    let second = synthesize(&config, rtl.path(), &Target::Generic, &opts).unwrap();
    assert_eq!(second, first);
    assert!(!dir.join("yosys.log").exists());

    // Changed RTL: the hash differs, so Yosys runs again.
    std::fs::write(rtl.path().join("wmem.hex"), "0000\n").unwrap();
    let third = synthesize(&config, rtl.path(), &Target::Generic, &opts).unwrap();
    assert_ne!(third.rtl_hash, first.rtl_hash);
    assert!(dir.join("yosys.log").exists());
}

#[test]
fn mnist_on_hx8k_is_too_large() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs/mnist-784-128.toml");
    let config = Config::load(&path).unwrap();
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_design(rtl.path(), CLEAN_DESIGN);
    let target = Target::Ice40 {
        device: "hx8k".to_string(),
    };

    let error = synthesize(&config, rtl.path(), &target, &options(build.path())).unwrap_err();

    match &error {
        SynthError::TooLarge {
            resource,
            needed,
            available,
            ..
        } => {
            assert_eq!(resource, "block RAMs");
            assert_eq!(*available, 32);
            // WMEM 6272 x 128 needs 25 x 8 = 200 blocks of 256 x 16 at least.
            assert!(*needed >= 200, "needed {needed}");
        }
        other => panic!("expected TooLarge, got {other}"),
    }
    let message = error.to_string();
    assert!(message.contains("802816"), "{message}");
    assert!(message.contains("131072 block RAM bits"), "{message}");
    assert!(
        !build.path().join("synth").exists(),
        "no tool should have run"
    );
}

#[test]
fn digits_core_fits_hx8k_estimate() {
    let config = Config::from_toml_str(
        "[network]\ninputs = 64\nhidden = 64\noutputs = 10\n\n[hardware]\nlanes = 8\n",
        "64-64-10 test configuration",
    )
    .unwrap();
    let part = Target::Ice40 {
        device: "hx8k".to_string(),
    }
    .part()
    .unwrap()
    .unwrap();
    // WMEM 512 x 64 (8 blocks), BMEM 8 x 64 (4 blocks), VMEM 64 x 80 (5 blocks),
    // AMEM 8 x 128 (8 blocks of 16 bits), NMEM 64 x 6 (1 block).
    assert_eq!(
        sampleprop_synth::check_block_ram(&config, part).unwrap(),
        26
    );

    // The default: WMEM 2048 x 32 (16), BMEM 32 x 32 (2), VMEM 128 x 80 (5), AMEM 32 x 64 (4)
    // and NMEM 128 x 6 (1) leave 4 of the 32 blocks, 2 of which PIX and QMEM take.
    assert_eq!(
        sampleprop_synth::check_block_ram(&Config::default(), part).unwrap(),
        28
    );
}

#[test]
fn missing_file_list_is_explained() {
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    let error = synthesize(
        &Config::default(),
        rtl.path(),
        &Target::Generic,
        &options(build.path()),
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("files.f"), "{message}");
    assert!(message.contains("generate the RTL first"), "{message}");
}

#[test]
fn target_names_parse() {
    assert_eq!(Target::parse("generic").unwrap(), Target::Generic);
    assert_eq!(
        Target::parse("ice40").unwrap(),
        Target::Ice40 {
            device: "hx8k".to_string()
        }
    );
    assert_eq!(
        Target::parse("ice40-up5k").unwrap(),
        Target::Ice40 {
            device: "up5k".to_string()
        }
    );
    assert_eq!(
        Target::parse("ecp5").unwrap(),
        Target::Ecp5 {
            device: "25k".to_string()
        }
    );
    let error = Target::parse("ice40-lp9k").unwrap_err().to_string();
    assert!(
        error.contains("hx8k, up5k") || error.contains("hx1k, hx8k, up5k"),
        "{error}"
    );
    assert!(Target::parse("virtex").is_err());
}

#[test]
fn ice40_clean_design_maps_block_ram() {
    let target = Target::Ice40 {
        device: "hx8k".to_string(),
    };
    if let Err(error) = sampleprop_synth::toolchain(&target) {
        if std::env::var_os("SAMPLEPROP_REQUIRE_TOOLS").is_some() {
            panic!("SAMPLEPROP_REQUIRE_TOOLS is set but {error}");
        }
        eprintln!("ice40_clean_design_maps_block_ram: skipped because {error}");
        return;
    }
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_design(rtl.path(), CLEAN_DESIGN);

    let report = synthesize(
        &Config::default(),
        rtl.path(),
        &target,
        &options(build.path()),
    )
    .unwrap();

    assert_eq!(report.block_rams, 1, "{:?}", report.cells_by_type);
    assert_eq!(report.memories[0].block_ram_cells, 1);
    assert!(report.checks.memories_in_bram);
    assert!(report.failures().is_empty(), "{:?}", report.failures());
    assert!(report.fmax_mhz.unwrap() > 10.0);
    assert_eq!(report.utilisation["ICESTORM_RAM"].available, 32);
    assert_eq!(report.utilisation["ICESTORM_RAM"].used, 1);
    assert_eq!(report.tools.len(), 2);
}

/// Generates the RTL of `config` with the model's initial weights into `dir`.
fn write_generated(config: &Config, dir: &Path) {
    let weights = sampleprop_model::init::initial_weights(config);
    let image = sampleprop_hdl::MemoryImage {
        w: &weights.w,
        b: &weights.b,
        v: &weights.v,
        c: &weights.c,
    };
    let files = sampleprop_hdl::generate(config, &image).unwrap();
    sampleprop_hdl::write_files(&files, dir).unwrap();
}

/// The shipped default must place and route on an iCE40-HX8K with every weight, bias and
/// state memory in block RAM. The flow takes about a minute on two cores.
#[test]
fn default_core_places_on_hx8k() {
    let target = Target::Ice40 {
        device: "hx8k".to_string(),
    };
    if let Err(error) = sampleprop_synth::toolchain(&target) {
        if std::env::var_os("SAMPLEPROP_REQUIRE_TOOLS").is_some() {
            panic!("SAMPLEPROP_REQUIRE_TOOLS is set but {error}");
        }
        eprintln!("default_core_places_on_hx8k: skipped because {error}");
        return;
    }
    let config = Config::default();
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_generated(&config, rtl.path());

    let report = synthesize(&config, rtl.path(), &target, &options(build.path())).unwrap();

    assert!(report.failures().is_empty(), "{:?}", report.failures());
    let cells = &report.utilisation["ICESTORM_LC"];
    assert_eq!(cells.available, 7680);
    assert!(cells.used <= cells.available, "{cells:?}");
    let rams = &report.utilisation["ICESTORM_RAM"];
    assert!(rams.used <= rams.available, "{rams:?}");
    assert!(report.fmax_mhz.unwrap() > 0.0);

    for name in ["wmem", "bmem", "vmem", "amem", "nmem"] {
        let memory = report
            .memories
            .iter()
            .find(|memory| memory.name.to_ascii_lowercase().contains(name))
            .unwrap_or_else(|| panic!("no memory named like {name} in {:?}", report.memories));
        assert!(memory.block_ram_intended, "{memory:?}");
        assert!(memory.block_ram_cells > 0, "{memory:?}");
    }
}

/// A small legal configuration: 16 inputs, 8 hidden neurons, 4 outputs, 2 lanes.
const SMALL_CONFIG: &str =
    "[network]\ninputs = 16\nhidden = 8\noutputs = 4\n\n[hardware]\nlanes = 2\n";

#[test]
fn generated_small_core_is_clean() {
    if !yosys_available("generated_small_core_is_clean") {
        return;
    }
    let config = Config::from_toml_str(SMALL_CONFIG, "small test configuration").unwrap();
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_generated(&config, rtl.path());

    let report = synthesize(
        &config,
        rtl.path(),
        &Target::Generic,
        &options(build.path()),
    )
    .unwrap();

    assert!(report.failures().is_empty(), "{:?}", report.failures());
    assert!(report.checks.latches.is_empty());
    assert!(report.checks.combinational_loops.is_empty());
    assert!(report.checks.memories_in_bram);
    assert!(report.luts > 0);
    assert!(report.flip_flops > 0);
    for name in ["wmem", "bmem", "vmem", "amem", "nmem"] {
        let memory = report
            .memories
            .iter()
            .find(|memory| memory.name.to_ascii_lowercase().contains(name))
            .unwrap_or_else(|| panic!("no memory named like {name} in {:?}", report.memories));
        assert!(memory.block_ram_intended, "{memory:?}");
        assert!(memory.synchronous_read, "{memory:?}");
    }
    let wmem = report
        .memories
        .iter()
        .find(|memory| memory.name.contains("wmem"))
        .unwrap();
    // I * B words of L * W bits: 16 * 4 words of 2 * 8 bits.
    assert_eq!((wmem.words, wmem.width), (64, 16));
}

#[test]
fn ecp5_clean_design_maps_block_ram() {
    let target = Target::Ecp5 {
        device: "25k".to_string(),
    };
    if let Err(error) = sampleprop_synth::toolchain(&target) {
        // The ECP5 tools are optional even under SAMPLEPROP_REQUIRE_TOOLS: Debian ships no nextpnr-ecp5.
        eprintln!("ecp5_clean_design_maps_block_ram: skipped because {error}");
        return;
    }
    let rtl = tempfile::tempdir().unwrap();
    let build = tempfile::tempdir().unwrap();
    write_design(rtl.path(), CLEAN_DESIGN);

    let report = synthesize(
        &Config::default(),
        rtl.path(),
        &target,
        &options(build.path()),
    )
    .unwrap();

    assert_eq!(report.block_rams, 1, "{:?}", report.cells_by_type);
    assert_eq!(report.memories[0].block_ram_cells, 1);
    assert!(report.failures().is_empty(), "{:?}", report.failures());
    assert!(report.fmax_mhz.unwrap() > 10.0);
    assert_eq!(report.utilisation["DP16KD"].available, 56);
    assert_eq!(report.utilisation["DP16KD"].used, 1);
}
