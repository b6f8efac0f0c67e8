use std::fmt;

use serde::{Deserialize, Serialize};

use crate::SynthError;

/// The technology a synthesis run maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Target {
    /// Yosys' generic flow: 4-input LUTs, with memories kept as abstract RAM cells; no place and route.
    Generic,
    /// Lattice iCE40 through `synth_ice40` and `nextpnr-ice40`; device `hx1k`, `hx8k` or `up5k`.
    Ice40 { device: String },
    /// Lattice ECP5 through `synth_ecp5` and `nextpnr-ecp5` (PyPI yowasp builds); device `25k`, `45k` or `85k`.
    Ecp5 { device: String },
}

/// Capacity of one FPGA part and the nextpnr options that select it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Human-readable name, such as `iCE40-HX8K (ct256)`.
    pub name: &'static str,
    /// nextpnr device option, such as `--hx8k`.
    pub device_flag: &'static str,
    /// nextpnr package name.
    pub package: &'static str,
    /// Logic cells (iCE40 LCs or ECP5 LUT4s).
    pub logic_cells: u64,
    /// Block RAMs (SB_RAM40_4K or DP16KD).
    pub block_rams: u64,
    /// Bits in one block RAM.
    pub block_ram_bits: u64,
    /// Depth x width shapes one block RAM can take.
    pub block_ram_shapes: &'static [(u64, u64)],
}

const ICE40_SHAPES: &[(u64, u64)] = &[(256, 16), (512, 8), (1024, 4), (2048, 2)];
const ECP5_SHAPES: &[(u64, u64)] = &[
    (512, 36),
    (1024, 18),
    (2048, 9),
    (4096, 4),
    (8192, 2),
    (16384, 1),
];

const ICE40_PARTS: &[(&str, Part)] = &[
    (
        "hx1k",
        Part {
            name: "iCE40-HX1K (tq144)",
            device_flag: "--hx1k",
            package: "tq144",
            logic_cells: 1280,
            block_rams: 16,
            block_ram_bits: 4096,
            block_ram_shapes: ICE40_SHAPES,
        },
    ),
    (
        "hx8k",
        Part {
            name: "iCE40-HX8K (ct256)",
            device_flag: "--hx8k",
            package: "ct256",
            logic_cells: 7680,
            block_rams: 32,
            block_ram_bits: 4096,
            block_ram_shapes: ICE40_SHAPES,
        },
    ),
    (
        "up5k",
        Part {
            name: "iCE40-UP5K (sg48)",
            device_flag: "--up5k",
            package: "sg48",
            logic_cells: 5280,
            block_rams: 30,
            block_ram_bits: 4096,
            block_ram_shapes: ICE40_SHAPES,
        },
    ),
];

const ECP5_PARTS: &[(&str, Part)] = &[
    (
        "25k",
        Part {
            name: "ECP5 LFE5U-25F (CABGA381)",
            device_flag: "--25k",
            package: "CABGA381",
            logic_cells: 24288,
            block_rams: 56,
            block_ram_bits: 18432,
            block_ram_shapes: ECP5_SHAPES,
        },
    ),
    (
        "45k",
        Part {
            name: "ECP5 LFE5U-45F (CABGA381)",
            device_flag: "--45k",
            package: "CABGA381",
            logic_cells: 43848,
            block_rams: 108,
            block_ram_bits: 18432,
            block_ram_shapes: ECP5_SHAPES,
        },
    ),
    (
        "85k",
        Part {
            name: "ECP5 LFE5U-85F (CABGA381)",
            device_flag: "--85k",
            package: "CABGA381",
            logic_cells: 83640,
            block_rams: 208,
            block_ram_bits: 18432,
            block_ram_shapes: ECP5_SHAPES,
        },
    ),
];

impl Target {
    /// Parses a command-line target: `generic`, `ice40` (HX8K), `ice40-up5k`, `ecp5` (25K) or `ecp5-85k`.
    pub fn parse(text: &str) -> Result<Target, SynthError> {
        let (family, device) = match text.split_once(['-', ':']) {
            Some((family, device)) => (family, Some(device)),
            None => (text, None),
        };
        let target = match (family, device) {
            ("generic", None) => Target::Generic,
            ("ice40", device) => Target::Ice40 {
                device: device.unwrap_or("hx8k").to_string(),
            },
            ("ecp5", device) => Target::Ecp5 {
                device: device.unwrap_or("25k").to_string(),
            },
            _ => {
                return Err(SynthError::UnknownDevice {
                    family: "target".to_string(),
                    device: text.to_string(),
                    known: "generic, ice40, ice40-hx1k, ice40-hx8k, ice40-up5k, ecp5, ecp5-25k, ecp5-45k, ecp5-85k".to_string(),
                })
            }
        };
        target.part()?;
        Ok(target)
    }

    /// Returns the part's capacity, or `None` for the generic target.
    pub fn part(&self) -> Result<Option<&'static Part>, SynthError> {
        let (family, device, parts) = match self {
            Target::Generic => return Ok(None),
            Target::Ice40 { device } => ("iCE40", device, ICE40_PARTS),
            Target::Ecp5 { device } => ("ECP5", device, ECP5_PARTS),
        };
        let wanted = device.to_ascii_lowercase();
        match parts.iter().find(|(name, _)| *name == wanted) {
            Some((_, part)) => Ok(Some(part)),
            None => Err(SynthError::UnknownDevice {
                family: family.to_string(),
                device: device.clone(),
                known: parts
                    .iter()
                    .map(|(name, _)| *name)
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    /// Returns a file-name-safe name, such as `ice40-hx8k`.
    pub fn slug(&self) -> String {
        match self {
            Target::Generic => "generic".to_string(),
            Target::Ice40 { device } => format!("ice40-{}", device.to_ascii_lowercase()),
            Target::Ecp5 { device } => format!("ecp5-{}", device.to_ascii_lowercase()),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.slug())
    }
}

impl Part {
    /// Returns the fewest block RAMs that hold a memory of `depth` words of `width` bits.
    ///
    /// This is a lower bound: the synthesis tool may also split a memory along
    /// both axes in a way that uses more blocks.
    pub fn blocks_for(&self, depth: u64, width: u64) -> u64 {
        self.block_ram_shapes
            .iter()
            .map(|&(d, w)| depth.div_ceil(d) * width.div_ceil(w))
            .min()
            .unwrap_or(0)
    }
}
