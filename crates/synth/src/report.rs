use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::Target;

/// Resources, timing and design checks of one synthesis run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthReport {
    /// Digest of the configuration the RTL was generated from.
    pub config_digest: String,
    pub target: Target,
    /// Part name for place-and-route targets.
    pub part: Option<String>,
    /// Version lines of the tools that ran.
    pub tools: Vec<String>,
    /// SHA-256 prefix of the Verilog and memory files that were synthesized.
    pub rtl_hash: String,
    /// Look-up tables: `$lut` (generic), `SB_LUT4` (iCE40) or `LUT4` (ECP5).
    pub luts: u64,
    pub flip_flops: u64,
    /// Block RAM cells, or abstract `$mem_v2` RAM cells for the generic target.
    pub block_rams: u64,
    /// Carry-chain cells (`SB_CARRY`, `CCU2C`); zero for the generic target.
    pub carry_cells: u64,
    /// Every cell type in the synthesized netlist with its count.
    pub cells_by_type: BTreeMap<String, u64>,
    /// Achieved maximum clock frequency after place and route, in MHz.
    pub fmax_mhz: Option<f64>,
    /// Used and available count of each placed resource (place-and-route targets only).
    pub utilisation: BTreeMap<String, Utilisation>,
    /// Every memory Yosys inferred and what it was mapped to.
    pub memories: Vec<MemoryMapping>,
    pub checks: Checks,
    /// Wall-clock time of synthesis plus place and route, in seconds.
    pub seconds: f64,
}

/// Used and available count of one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utilisation {
    pub used: u64,
    pub available: u64,
}

/// One inferred memory and the cells that implement it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryMapping {
    /// Hierarchical memory name in the flattened design, such as `u_wmem.mem`.
    pub name: String,
    pub words: u64,
    pub width: u64,
    /// Whether every read port is clocked, so a block RAM can implement it.
    pub synchronous_read: bool,
    /// Whether the design intends block RAM for it (WMEM, BMEM, VMEM, AMEM and NMEM).
    pub block_ram_intended: bool,
    /// Block RAM cells that implement it; for the generic target, 1 when it stays an abstract RAM cell.
    pub block_ram_cells: u64,
}

/// A latch inferred from the RTL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latch {
    pub module: String,
    pub signal: String,
}

/// One strongly connected component of combinational cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CombinationalLoop {
    /// Instance path of the module the loop starts in (empty for the top module).
    pub module: String,
    /// Named signals on the loop, with their instance path.
    pub signals: Vec<String>,
}

/// Design checks that a synthesizable core must pass.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checks {
    pub latches: Vec<Latch>,
    /// True when every memory the design intends for block RAM was mapped to it.
    pub memories_in_bram: bool,
    pub combinational_loops: Vec<CombinationalLoop>,
}

impl Checks {
    /// Returns one line per failed check, each naming the module and signal or memory.
    pub fn failures(&self, memories: &[MemoryMapping]) -> Vec<String> {
        let mut failures = Vec::new();

        for latch in &self.latches {
            failures.push(format!(
                "latch inferred in module {} for signal {}: assign it in every branch of its always block or make it a register",
                latch.module, latch.signal
            ));
        }

        for combinational_loop in &self.combinational_loops {
            let module = if combinational_loop.module.is_empty() {
                "sampleprop_core"
            } else {
                &combinational_loop.module
            };
            failures.push(format!(
                "combinational loop in {} through {}: break it with a register",
                module,
                combinational_loop.signals.join(", ")
            ));
        }

        for memory in memories {
            if !memory.block_ram_intended || memory.block_ram_cells > 0 {
                continue;
            }
            if memory.synchronous_read {
                failures.push(format!(
                    "memory {} ({}x{}) was mapped to flip-flops although its reads are clocked, as Yosys does for memories it finds too small for a block RAM: mark it (* ram_style = \"block\" *) to force one",
                    memory.name, memory.words, memory.width
                ));
            } else {
                failures.push(format!(
                    "memory {} ({}x{}) was not mapped to block RAM because its read is asynchronous: register the read data or the address in the clocked block",
                    memory.name, memory.words, memory.width
                ));
            }
        }
        failures
    }
}

impl SynthReport {
    /// Returns the failed checks, one line each; empty when the design is clean.
    pub fn failures(&self) -> Vec<String> {
        self.checks.failures(&self.memories)
    }

    /// Formats the report as an aligned text table.
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let part = self
            .part
            .as_deref()
            .unwrap_or("generic 4-input LUTs, no place and route");
        let _ = writeln!(
            out,
            "synthesis of configuration {} for {} ({})",
            self.config_digest, self.target, part
        );

        let _ = writeln!(out, "  {:<24} {:>10}", "resource", "count");
        let _ = writeln!(out, "  {:<24} {:>10}", "LUTs", self.luts);
        let _ = writeln!(out, "  {:<24} {:>10}", "flip-flops", self.flip_flops);
        let _ = writeln!(out, "  {:<24} {:>10}", "block RAMs", self.block_rams);
        let _ = writeln!(out, "  {:<24} {:>10}", "carry cells", self.carry_cells);
        match self.fmax_mhz {
            Some(fmax) => {
                let _ = writeln!(out, "  {:<24} {:>10.1}", "Fmax (MHz)", fmax);
            }
            None => {
                let _ = writeln!(out, "  {:<24} {:>10}", "Fmax (MHz)", "-");
            }
        }

        if !self.utilisation.is_empty() {
            let _ = writeln!(out, "utilisation");
            for (resource, usage) in &self.utilisation {
                let percent = if usage.available == 0 {
                    0.0
                } else {
                    100.0 * usage.used as f64 / usage.available as f64
                };
                let _ = writeln!(
                    out,
                    "  {:<24} {:>7} / {:<7} {:>5.1} %",
                    resource, usage.used, usage.available, percent
                );
            }
        }

        if !self.memories.is_empty() {
            let width = self
                .memories
                .iter()
                .map(|memory| memory.name.len())
                .max()
                .unwrap_or(0);
            let _ = writeln!(out, "memories");
            for memory in &self.memories {
                let mapping = if memory.block_ram_cells > 0 {
                    format!("block RAM ({} cells)", memory.block_ram_cells)
                } else {
                    "logic and flip-flops".to_string()
                };
                let _ = writeln!(
                    out,
                    "  {:<width$} {:>6} x {:<4} {}",
                    memory.name, memory.words, memory.width, mapping
                );
            }
        }

        let failures = self.failures();
        if failures.is_empty() {
            let _ = writeln!(
                out,
                "checks: no latches, no combinational loops, weight and state memories in block RAM"
            );
        } else {
            let _ = writeln!(out, "checks: {} failed", failures.len());
            for failure in failures {
                let _ = writeln!(out, "  {failure}");
            }
        }
        let _ = writeln!(
            out,
            "tools: {}; {:.1} s",
            self.tools.join("; "),
            self.seconds
        );
        out
    }
}
