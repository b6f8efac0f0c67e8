use sampleprop_config::Config;
use serde::{Deserialize, Serialize};

use crate::target::Part;
use crate::SynthError;

/// Shape of one memory of the core, from the layout in docs/architecture.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryShape {
    /// Name from the specification, such as `WMEM`.
    pub name: String,
    pub words: u64,
    pub width: u64,
    /// Whether the design places this memory in block RAM (the weight, bias and neuron-state
    /// memories).
    pub block_ram_intended: bool,
}

impl MemoryShape {
    /// Returns words x width.
    pub fn bits(&self) -> u64 {
        self.words * self.width
    }
}

/// Returns the seven memories of the core with their words and word widths.
pub fn memory_shapes(config: &Config) -> Vec<MemoryShape> {
    let inputs = config.network.inputs as u64;
    let hidden = config.network.hidden as u64;
    let outputs = config.network.outputs as u64;
    let blocks = config.blocks() as u64;
    let lanes = config.hardware.lanes as u64;
    let weight = config.widths.weight as u64;
    let state_lane = config.widths.accumulator.max(config.widths.error) as u64;

    let shape = |name: &str, words: u64, width: u64, block_ram_intended: bool| MemoryShape {
        name: name.to_string(),
        words,
        width,
        block_ram_intended,
    };
    vec![
        shape("PIX", inputs, config.widths.pixel as u64, false),
        shape("QMEM", inputs, config.widths.counter as u64, false),
        shape("WMEM", inputs * blocks, lanes * weight, true),
        shape("BMEM", blocks, lanes * weight, true),
        shape("VMEM", hidden, outputs * weight, true),
        shape("AMEM", blocks, lanes * state_lane, true),
        shape("NMEM", hidden, config.widths.counter as u64, true),
    ]
}

/// Checks, before any tool runs, that the weight, bias and neuron-state memories fit the
/// part's block RAM.
///
/// The count is a lower bound (each memory packed into its best block shape), so
/// a configuration rejected here cannot fit, and one accepted may still fail in
/// place and route, where the nextpnr error is translated instead.
pub fn check_block_ram(config: &Config, part: &Part) -> Result<u64, SynthError> {
    let intended: Vec<MemoryShape> = memory_shapes(config)
        .into_iter()
        .filter(|memory| memory.block_ram_intended)
        .collect();

    let needed_blocks: u64 = intended
        .iter()
        .map(|memory| part.blocks_for(memory.words, memory.width))
        .sum();
    let needed_bits: u64 = intended.iter().map(MemoryShape::bits).sum();
    let available_bits = part.block_rams * part.block_ram_bits;

    if needed_blocks > part.block_rams {
        let detail = intended
            .iter()
            .map(|memory| {
                let blocks = part.blocks_for(memory.words, memory.width);
                format!(
                    "{} {}x{} = {} bits in {} block{}",
                    memory.name,
                    memory.words,
                    memory.width,
                    memory.bits(),
                    blocks,
                    if blocks == 1 { "" } else { "s" }
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        return Err(SynthError::TooLarge {
            digest: config.digest(),
            part: part.name.to_string(),
            resource: "block RAMs".to_string(),
            needed: needed_blocks,
            available: part.block_rams,
            detail: format!(
                "{needed_bits} memory bits against {available_bits} block RAM bits; {detail}"
            ),
        });
    }
    Ok(needed_blocks)
}
