//! Rendering of the templates and the `$readmemh` images.

use askama::Template;
use sampleprop_config::{Config, Estimator};

use crate::params::{resize, CoreParams};
use crate::{primitives_dir, GeneratedFile, HdlError, MemoryImage, PRIMITIVES};

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Template)]
#[template(path = "sampleprop_core.v", escape = "none")]
struct CoreTemplate<'a> {
    version: &'a str,
    digest: &'a str,
    inputs: usize,
    hidden: usize,
    outputs: usize,
    lanes: usize,
    blocks: usize,
    train: u32,
    inference: u32,
    pixel: u32,
    weight: u32,
    accumulator: u32,
    error: u32,
    counter: u32,
    rounding_bits: u32,
    lfsr_width: u32,
    mask_input: u32,
    mask_hidden: u32,
    mask_output: u32,
    mask_rounding: u32,
    seed_input: u32,
    seed_hidden: u32,
    seed_output: u32,
    seed_rounding: u32,
    label_bits: u32,
    row_bits: u32,
    cnt_bits: u32,
    sample_bits: u32,
    wmem_addr_bits: u32,
    bmem_addr_bits: u32,
    vmem_addr_bits: u32,
    host_addr_bits: u32,
    host_data_bits: u32,
    round_draws: usize,
    round_count_bits: u32,
    g_bits: u32,
    dp_bits: u32,
    xn_bits: u32,
    shift_v: i32,
    shift_c: i32,
    shift_b: i32,
    shift_w: i32,
    delta_shift: u32,
    delta_half: u64,
    error_one: u64,
    error_left_shift: u32,
    error_right_shift: u32,
    lane_bits: u32,
    state_lane: u32,
    write_through: u32,
    row_word_expr: String,
    bmem_addr_expr: String,
    vmem_addr_expr: String,
    amem_raddr_expr: String,
    amem_waddr_expr: String,
    nmem_waddr_expr: String,
    nmem_next_expr: String,
    host_pad_lane: u32,
    host_pad_column: u32,
    host_pad_c: u32,
}

#[derive(Template)]
#[template(path = "sampleprop_sigmoid_rom.v", escape = "none")]
struct SigmoidTemplate<'a> {
    version: &'a str,
    digest: &'a str,
    entries: Vec<u32>,
    sigmoid_range: u32,
    shift: u32,
    shifted_bits: u32,
    index_bits: u32,
    accumulator: u32,
    pixel: u32,
}

#[derive(Template)]
#[template(path = "sampleprop_derivative_rom.v", escape = "none")]
struct DerivativeTemplate<'a> {
    version: &'a str,
    digest: &'a str,
    entries: Vec<u32>,
    denominator: &'a str,
    counter: u32,
    pixel: u32,
}

#[derive(Template)]
#[template(path = "tb_core.v", escape = "none")]
struct TbCoreTemplate<'a> {
    version: &'a str,
    digest: &'a str,
    inputs: usize,
    hidden: usize,
    outputs: usize,
    lanes: usize,
    blocks: usize,
    pixel: u32,
    weight: u32,
    error: u32,
    counter: u32,
    state_lane: u32,
    label_bits: u32,
    host_addr_bits: u32,
    host_data_bits: u32,
}

/// Renders the RTL, the testbench, the `$readmemh` images and files.f for one configuration.
///
/// The output is deterministic: identical inputs give byte-identical files in a fixed order.
pub fn generate(config: &Config, image: &MemoryImage) -> Result<Vec<GeneratedFile>, HdlError> {
    let p = CoreParams::new(config);
    let digest = config.digest();
    check_image(config, image)?;

    let mut files = Vec::new();
    for name in PRIMITIVES {
        files.push(read_primitive(name)?);
    }
    files.push(render_file("sampleprop_sigmoid_rom.v", sigmoid_template(config, &p, &digest))?);
    files.push(render_file("sampleprop_derivative_rom.v", derivative_template(config, &p, &digest))?);
    files.push(render_file("sampleprop_core.v", core_template(&p, &digest))?);

    let rtl_names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    files.push(GeneratedFile { name: "files.f".into(), contents: rtl_names.join("\n") + "\n" });

    files.push(render_file("tb_core.v", tb_template(&p, &digest))?);
    files.extend(memory_images(config, &p, image));
    Ok(files)
}

fn render_file(name: &'static str, template: impl Template) -> Result<GeneratedFile, HdlError> {
    let mut contents = template.render().map_err(|source| HdlError::Render { template: name, source })?;
    contents.push('\n');
    Ok(GeneratedFile { name: name.to_string(), contents })
}

fn read_primitive(name: &str) -> Result<GeneratedFile, HdlError> {
    let path = primitives_dir().join(name);
    let contents = std::fs::read_to_string(&path)
        .map_err(|source| HdlError::Primitive { path: path.display().to_string(), source })?;
    Ok(GeneratedFile { name: name.to_string(), contents })
}

fn core_template<'a>(p: &'a CoreParams, digest: &'a str) -> CoreTemplate<'a> {
    let lane_word = p.lanes as u32 * p.weight;
    let column_word = p.outputs as u32 * p.weight;
    CoreTemplate {
        version: VERSION,
        digest,
        inputs: p.inputs,
        hidden: p.hidden,
        outputs: p.outputs,
        lanes: p.lanes,
        blocks: p.blocks,
        train: p.train,
        inference: p.inference,
        pixel: p.pixel,
        weight: p.weight,
        accumulator: p.accumulator,
        error: p.error,
        counter: p.counter,
        rounding_bits: p.rounding_bits,
        lfsr_width: p.lfsr_width,
        mask_input: p.masks[0],
        mask_hidden: p.masks[1],
        mask_output: p.masks[2],
        mask_rounding: p.masks[3],
        seed_input: p.seeds[0],
        seed_hidden: p.seeds[1],
        seed_output: p.seeds[2],
        seed_rounding: p.seeds[3],
        label_bits: p.label_bits,
        row_bits: p.row_bits,
        cnt_bits: p.cnt_bits,
        sample_bits: p.sample_bits,
        wmem_addr_bits: p.wmem_addr_bits,
        bmem_addr_bits: p.bmem_addr_bits,
        vmem_addr_bits: p.vmem_addr_bits,
        host_addr_bits: p.host_addr_bits,
        host_data_bits: p.host_data_bits,
        round_draws: p.round_draws,
        round_count_bits: p.round_count_bits,
        g_bits: p.g_bits,
        dp_bits: p.dp_bits,
        xn_bits: p.xn_bits,
        shift_v: p.shift_v,
        shift_c: p.shift_c,
        shift_b: p.shift_b,
        shift_w: p.shift_w,
        delta_shift: p.delta_shift,
        delta_half: p.delta_half,
        error_one: p.error_one,
        error_left_shift: p.error_left_shift,
        error_right_shift: p.error_right_shift,
        lane_bits: p.lane_bits,
        state_lane: p.state_lane,
        write_through: u32::from(p.blocks == 1),
        row_word_expr: resize("cnt_block_wide", p.cnt_bits, p.wmem_addr_bits),
        amem_raddr_expr: resize("cnt_block_wide", p.cnt_bits, p.bmem_addr_bits),
        amem_waddr_expr: resize("cnt_fill_wide", p.cnt_bits, p.bmem_addr_bits),
        nmem_waddr_expr: resize("cnt_hidden_wide", p.cnt_bits, p.vmem_addr_bits),
        nmem_next_expr: resize("cnt_next_wide", p.cnt_bits, p.vmem_addr_bits),
        bmem_addr_expr: resize("cnt_block_wide", p.cnt_bits, p.bmem_addr_bits),
        vmem_addr_expr: resize("cnt_hidden_wide", p.cnt_bits, p.vmem_addr_bits),
        host_pad_lane: p.host_data_bits - lane_word,
        host_pad_column: p.host_data_bits - column_word,
        host_pad_c: p.host_data_bits - p.weight,
    }
}

fn sigmoid_template<'a>(config: &Config, p: &CoreParams, digest: &'a str) -> SigmoidTemplate<'a> {
    let shift = config.sigmoid_shift();
    SigmoidTemplate {
        version: VERSION,
        digest,
        entries: config.sigmoid_table(),
        sigmoid_range: config.widths.sigmoid_range,
        shift,
        shifted_bits: p.sigmoid_shifted_bits(shift),
        index_bits: config.widths.sigmoid_index,
        accumulator: p.accumulator,
        pixel: p.pixel,
    }
}

fn derivative_template<'a>(config: &Config, p: &CoreParams, digest: &'a str) -> DerivativeTemplate<'a> {
    DerivativeTemplate {
        version: VERSION,
        digest,
        entries: config.derivative_table(),
        denominator: match config.learning.estimator {
            Estimator::Unbiased => "(T (T - 1))",
            Estimator::Plugin => "T^2",
        },
        counter: p.counter,
        pixel: p.pixel,
    }
}

fn tb_template<'a>(p: &CoreParams, digest: &'a str) -> TbCoreTemplate<'a> {
    TbCoreTemplate {
        version: VERSION,
        digest,
        inputs: p.inputs,
        hidden: p.hidden,
        outputs: p.outputs,
        lanes: p.lanes,
        blocks: p.blocks,
        pixel: p.pixel,
        weight: p.weight,
        error: p.error,
        counter: p.counter,
        state_lane: p.state_lane,
        label_bits: p.label_bits,
        host_addr_bits: p.host_addr_bits,
        host_data_bits: p.host_data_bits,
    }
}

fn check_image(config: &Config, image: &MemoryImage) -> Result<(), HdlError> {
    let n = &config.network;
    let memories: [(&'static str, &[i32], usize, &'static str); 4] = [
        ("w", image.w, n.inputs * n.hidden, "I * H, index i * H + j"),
        ("b", image.b, n.hidden, "H"),
        ("v", image.v, n.outputs * n.hidden, "O * H, index k * H + j"),
        ("c", image.c, n.outputs, "O"),
    ];
    let format = config.weight_format();

    for (memory, values, expected, layout) in memories {
        if values.len() != expected {
            return Err(HdlError::ImageLength { memory, actual: values.len(), expected, layout });
        }
        if let Some((index, &value)) =
            values.iter().enumerate().find(|(_, &v)| (v as i64) < format.min_raw() || (v as i64) > format.max_raw())
        {
            return Err(HdlError::ImageRange {
                memory,
                index,
                value,
                bits: format.bits,
                min: format.min_raw(),
                max: format.max_raw(),
            });
        }
    }
    Ok(())
}

/// Packs `fields` W-bit values, field f at bits [f W +: W], into one lower-case hex word.
fn hex_word(fields: impl Iterator<Item = i32>, weight: u32, word_bits: u32) -> String {
    let mask = (1u128 << weight) - 1;
    let mut word: Vec<u8> = vec![0; word_bits.div_ceil(4) as usize];
    let mut bit = 0u32;
    for value in fields {
        let pattern = (value as i64 as u128) & mask;
        for b in 0..weight {
            if (pattern >> b) & 1 == 1 {
                let position = bit + b;
                word[(position / 4) as usize] |= 1 << (position % 4);
            }
        }
        bit += weight;
    }
    word.iter().rev().map(|nibble| format!("{nibble:x}")).collect()
}

fn memory_images(config: &Config, p: &CoreParams, image: &MemoryImage) -> Vec<GeneratedFile> {
    let (inputs, hidden, outputs, lanes) = (p.inputs, p.hidden, p.outputs, p.lanes);
    let w_bits = p.weight;
    let lane_word = lanes as u32 * w_bits;
    let column_word = outputs as u32 * w_bits;
    let blocks = config.blocks();

    let mut wmem = String::new();
    for i in 0..inputs {
        for k in 0..blocks {
            let fields = (0..lanes).map(|l| image.w[i * hidden + k * lanes + l]);
            wmem.push_str(&hex_word(fields, w_bits, lane_word));
            wmem.push('\n');
        }
    }

    let mut bmem = String::new();
    for k in 0..blocks {
        let fields = (0..lanes).map(|l| image.b[k * lanes + l]);
        bmem.push_str(&hex_word(fields, w_bits, lane_word));
        bmem.push('\n');
    }

    let mut vmem = String::new();
    for j in 0..hidden {
        let fields = (0..outputs).map(|k| image.v[k * hidden + j]);
        vmem.push_str(&hex_word(fields, w_bits, column_word));
        vmem.push('\n');
    }

    let mut cmem = String::new();
    for &value in image.c {
        cmem.push_str(&hex_word(std::iter::once(value), w_bits, w_bits));
        cmem.push('\n');
    }

    vec![
        GeneratedFile { name: "wmem_init.hex".into(), contents: wmem },
        GeneratedFile { name: "bmem_init.hex".into(), contents: bmem },
        GeneratedFile { name: "vmem_init.hex".into(), contents: vmem },
        GeneratedFile { name: "c_init.hex".into(), contents: cmem },
    ]
}

#[cfg(test)]
mod tests {
    use super::hex_word;

    #[test]
    fn hex_word_packs_lanes_low_first() {
        assert_eq!(hex_word([1, -1].into_iter(), 8, 16), "ff01");
        assert_eq!(hex_word([-2].into_iter(), 6, 6), "3e");
        assert_eq!(hex_word([1, 1, 1].into_iter(), 3, 9), "049");
    }
}
