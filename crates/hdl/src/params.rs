//! RTL constants derived from the configuration: widths, shifts and address sizes.

use sampleprop_config::{bits_to_count, Config};

/// Returns ceil(log2(x)) with a minimum of 1: the address bits of a memory of `x` words.
pub fn address_bits(x: usize) -> u32 {
    bits_to_count(x.saturating_sub(1) as u64).max(1)
}

/// Every number the core template needs, computed once from the configuration.
#[derive(Debug, Clone)]
pub struct CoreParams {
    pub inputs: usize,
    pub hidden: usize,
    pub outputs: usize,
    pub lanes: usize,
    pub blocks: usize,
    pub train: u32,
    pub inference: u32,
    pub pixel: u32,
    pub weight: u32,
    pub accumulator: u32,
    pub error: u32,
    pub counter: u32,
    pub rounding_bits: u32,
    pub lfsr_width: u32,
    pub masks: [u32; 4],
    pub seeds: [u32; 4],

    pub label_bits: u32,
    pub row_bits: u32,
    pub cnt_bits: u32,
    pub sample_bits: u32,
    pub wmem_addr_bits: u32,
    pub bmem_addr_bits: u32,
    pub vmem_addr_bits: u32,
    pub host_addr_bits: u32,
    pub host_data_bits: u32,
    pub round_draws: usize,
    pub round_count_bits: u32,
    /// Bits of lane j mod L within an AMEM word.
    pub lane_bits: u32,
    /// Bits of one AMEM lane, max(A, E): an accumulator during FORWARD, then a delta_j.
    pub state_lane: u32,

    /// Bits of g_j = sum_k V_kj e_k, exact.
    pub g_bits: u32,
    /// Bits of D[n_j] * g_j, exact.
    pub dp_bits: u32,
    /// Bits of e_k * n_j and delta_j * q_i, exact.
    pub xn_bits: u32,
    pub shift_v: i32,
    pub shift_c: i32,
    pub shift_b: i32,
    pub shift_w: i32,
    /// P + F_w, the round-to-nearest shift of delta_j.
    pub delta_shift: u32,
    /// 2^(delta_shift - 1).
    pub delta_half: u64,
    /// 2^F_e, the error of a target output that fired in every sample.
    pub error_one: u64,
    pub error_left_shift: u32,
    pub error_right_shift: u32,
}

impl CoreParams {
    /// Derives the constants of the core from a validated configuration.
    pub fn new(config: &Config) -> CoreParams {
        let n = &config.network;
        let w = &config.widths;
        let blocks = config.blocks();
        let shifts = config.update_shifts();
        let frac_w = config.weight_format().frac;
        let frac_e = config.error_format().frac;
        let t = config.train_log2();

        let wmem_addr_bits = address_bits(n.inputs * blocks);
        let bmem_addr_bits = address_bits(blocks);
        let vmem_addr_bits = address_bits(n.hidden);
        let c_addr_bits = address_bits(n.outputs);
        let round_draws = config.hardware.lanes;
        let g_bits = w.weight + w.error + address_bits(n.outputs) + 1;

        CoreParams {
            inputs: n.inputs,
            hidden: n.hidden,
            outputs: n.outputs,
            lanes: config.hardware.lanes,
            blocks,
            train: config.samples.train,
            inference: config.samples.inference,
            pixel: w.pixel,
            weight: w.weight,
            accumulator: w.accumulator,
            error: w.error,
            counter: w.counter,
            rounding_bits: config.rounding_bits(),
            lfsr_width: config.lfsr.width,
            masks: [
                config.lfsr.input.polynomial,
                config.lfsr.hidden.polynomial,
                config.lfsr.output.polynomial,
                config.lfsr.rounding.polynomial,
            ],
            seeds: [config.lfsr.input.seed, config.lfsr.hidden.seed, config.lfsr.output.seed, config.lfsr.rounding.seed],

            label_bits: address_bits(n.outputs),
            row_bits: address_bits(n.inputs),
            cnt_bits: bits_to_count(n.hidden.max(blocks).max(n.outputs) as u64),
            sample_bits: bits_to_count((config.samples.train.max(config.samples.inference) - 1) as u64).max(1),
            wmem_addr_bits,
            bmem_addr_bits,
            vmem_addr_bits,
            host_addr_bits: wmem_addr_bits.max(bmem_addr_bits).max(vmem_addr_bits).max(c_addr_bits),
            host_data_bits: (config.hardware.lanes.max(n.outputs) as u32) * w.weight,
            round_draws,
            round_count_bits: bits_to_count(round_draws as u64),
            lane_bits: address_bits(config.hardware.lanes),
            state_lane: w.accumulator.max(w.error),

            g_bits,
            dp_bits: w.pixel + 1 + g_bits,
            xn_bits: w.error + w.counter + 1,
            shift_v: shifts.output_weight,
            shift_c: shifts.output_bias,
            shift_b: shifts.hidden_bias,
            shift_w: shifts.hidden_weight,
            delta_shift: w.pixel + frac_w,
            delta_half: 1u64 << (w.pixel + frac_w - 1),
            error_one: 1u64 << frac_e,
            error_left_shift: frac_e.saturating_sub(t),
            error_right_shift: t.saturating_sub(frac_e),
        }
    }

    /// Returns the bits of asr(u, shift) that can differ from the sign, at least 1.
    pub fn sigmoid_shifted_bits(&self, shift: u32) -> u32 {
        self.accumulator.saturating_sub(shift).max(1)
    }
}

/// Returns a Verilog expression that resizes the unsigned `signal` of `from` bits to `to` bits.
///
/// Narrowing keeps the low bits, so the caller names the signal `*_wide` (lint waiver) and
/// guarantees that every value it carries fits `to` bits.
pub fn resize(signal: &str, from: u32, to: u32) -> String {
    if from == to {
        signal.to_string()
    } else if from > to {
        format!("{signal}[{}:0]", to - 1)
    } else {
        format!("{{{{{}{{1'b0}}}}, {signal}}}", to - from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_bits_small_depths() {
        assert_eq!(address_bits(1), 1);
        assert_eq!(address_bits(2), 1);
        assert_eq!(address_bits(3), 2);
        assert_eq!(address_bits(64), 6);
        assert_eq!(address_bits(65), 7);
    }

    #[test]
    fn resize_forms() {
        assert_eq!(resize("x", 4, 4), "x");
        assert_eq!(resize("x", 5, 3), "x[2:0]");
        assert_eq!(resize("x", 3, 5), "{{2{1'b0}}, x}");
    }
}
