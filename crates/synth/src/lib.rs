//! Synthesis reports of the generated core: runs Yosys (and nextpnr for FPGA
//! parts) on a folder of generated RTL and returns resources, Fmax and design checks.
//! It reads the configuration only; it must not depend on the model or the generator.

mod error;
mod estimate;
mod flow;
pub mod parse;
mod report;
mod target;
mod tools;

pub use error::SynthError;
pub use estimate::{check_block_ram, memory_shapes, MemoryShape};
pub use flow::{cache_dir, synthesize, SynthOptions};
pub use report::{Checks, CombinationalLoop, Latch, MemoryMapping, SynthReport, Utilisation};
pub use target::{Part, Target};
pub use tools::{toolchain, Toolchain};
