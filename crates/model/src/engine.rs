//! The passes of one example: FORWARD, then ERROR, BACKWARD and UPDATE for training.
//!
//! Work is done per event (input spike, hidden spike, weight row with q_i ≠ 0), never per
//! idle cycle. A cycle cursor follows the controller only to stamp trace events; the
//! totals come from the formulas in `cycles`.

use sampleprop_config::{Config, UpdateShifts};

use crate::core::fires;
use crate::fixed::{asr, round_nearest, sat, stochastic};
use crate::init::Weights;
use crate::lfsr::{Advance, Lfsr};
use crate::trace::{Event, Memory, SpikeLayer};

/// Figures and tables derived once from the configuration.
#[derive(Debug, Clone)]
pub(crate) struct Machine {
    pub inputs: usize,
    pub hidden: usize,
    pub outputs: usize,
    pub lanes: usize,
    pub blocks: usize,
    pub train_log2: u32,
    pub pixel_bits: u32,
    pub weight_bits: u32,
    pub acc_bits: u32,
    pub error_bits: u32,
    pub weight_frac: u32,
    pub error_frac: u32,
    pub shifts: UpdateShifts,
    pub rounding_bits: u32,
    sigmoid: Vec<u32>,
    sigmoid_shift: u32,
    sigmoid_index_bits: u32,
    derivative: Vec<u32>,
    /// P-step maps of the input, hidden and output streams (each may have its own polynomial).
    spike_advance: [Advance; 3],
    /// 2P-step maps of the same streams, for two interleaved draw chains.
    spike_advance_twice: [Advance; 3],
    rounding_advance: Advance,
    rounding_advance_twice: Advance,
}

/// The four LFSR streams in spec order: input, hidden, output, rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Streams {
    pub input: Lfsr,
    pub hidden: Lfsr,
    pub output: Lfsr,
    pub rounding: Lfsr,
}

impl Streams {
    /// Loads every stream with its configured seed.
    pub fn from_seeds(config: &Config) -> Streams {
        let l = &config.lfsr;
        let load = |s: &sampleprop_config::Stream| {
            Lfsr::new(l.width, s.polynomial, s.seed)
                .expect("a validated configuration has legal LFSR seeds")
        };
        Streams {
            input: load(&l.input),
            hidden: load(&l.hidden),
            output: load(&l.output),
            rounding: load(&l.rounding),
        }
    }

    pub fn states(&self) -> [u32; 4] {
        [
            self.input.state(),
            self.hidden.state(),
            self.output.state(),
            self.rounding.state(),
        ]
    }

    pub fn set_states(&mut self, states: [u32; 4]) {
        self.input.set_state(states[0]);
        self.hidden.set_state(states[1]);
        self.output.set_state(states[2]);
        self.rounding.set_state(states[3]);
    }
}

/// Per-example registers: accumulators, counters, errors and deltas.
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    pub acc: Vec<i32>,
    pub vacc: Vec<i32>,
    pub q: Vec<u32>,
    pub n: Vec<u32>,
    pub m: Vec<u32>,
    pub e: Vec<i32>,
    pub delta: Vec<i32>,
    /// LFSR draws of the current loop, generated ahead of it.
    pub draws: Vec<u64>,
}

impl Scratch {
    pub fn new(machine: &Machine) -> Scratch {
        Scratch {
            acc: vec![0; machine.hidden],
            vacc: vec![0; machine.outputs],
            q: vec![0; machine.inputs],
            n: vec![0; machine.hidden],
            m: vec![0; machine.outputs],
            e: vec![0; machine.outputs],
            delta: vec![0; machine.hidden],
            draws: vec![0; machine.inputs.max(machine.hidden)],
        }
    }
}

impl Machine {
    pub fn new(config: &Config) -> Machine {
        let l = &config.lfsr;
        let rounding_bits = config.rounding_bits();
        Machine {
            inputs: config.network.inputs,
            hidden: config.network.hidden,
            outputs: config.network.outputs,
            lanes: config.hardware.lanes,
            blocks: config.blocks(),
            train_log2: config.train_log2(),
            pixel_bits: config.widths.pixel,
            weight_bits: config.widths.weight,
            acc_bits: config.widths.accumulator,
            error_bits: config.widths.error,
            weight_frac: config.weight_format().frac,
            error_frac: config.error_format().frac,
            shifts: config.update_shifts(),
            rounding_bits,
            sigmoid: config.sigmoid_table(),
            sigmoid_shift: config.sigmoid_shift(),
            sigmoid_index_bits: config.widths.sigmoid_index,
            derivative: config.derivative_table(),
            spike_advance: [&l.input, &l.hidden, &l.output]
                .map(|stream| Advance::new(l.width, stream.polynomial, config.widths.pixel as u64)),
            spike_advance_twice: [&l.input, &l.hidden, &l.output].map(|stream| {
                Advance::new(l.width, stream.polynomial, 2 * config.widths.pixel as u64)
            }),
            rounding_advance: Advance::new(l.width, l.rounding.polynomial, rounding_bits as u64),
            rounding_advance_twice: Advance::new(
                l.width,
                l.rounding.polynomial,
                2 * rounding_bits as u64,
            ),
        }
    }

    /// Returns σ_q(u) for an A-bit accumulator value u.
    #[inline]
    pub fn sigmoid(&self, u: i32) -> u32 {
        let half = 1i64 << (self.sigmoid_index_bits - 1);
        let address = sat(asr(u as i64, self.sigmoid_shift), self.sigmoid_index_bits) + half;
        self.sigmoid[address as usize]
    }

    /// Draws P bits from spike stream `layer`.
    #[inline]
    fn spike_draw(&self, lfsr: &mut Lfsr, layer: SpikeLayer) -> u64 {
        lfsr.draw_with(&self.spike_advance[layer as usize], self.pixel_bits)
    }

    /// Fills `out` with consecutive P-bit draws of spike stream `layer`.
    #[inline]
    fn spike_draws(&self, lfsr: &mut Lfsr, layer: SpikeLayer, out: &mut [u64]) {
        let index = layer as usize;
        lfsr.fill_draws(
            &self.spike_advance[index],
            &self.spike_advance_twice[index],
            self.pixel_bits,
            out,
        );
    }

    /// Fills `out` with consecutive R-bit draws of the rounding stream.
    #[inline]
    fn rounding_draws(&self, lfsr: &mut Lfsr, out: &mut [u64]) {
        lfsr.fill_draws(
            &self.rounding_advance,
            &self.rounding_advance_twice,
            self.rounding_bits,
            out,
        );
    }

    /// Draws R bits from the rounding stream.
    #[inline]
    fn rounding_draw(&self, lfsr: &mut Lfsr) -> u64 {
        lfsr.draw_with(&self.rounding_advance, self.rounding_bits)
    }

    /// Runs LOAD and FORWARD for `samples` samples and returns the number of input spikes.
    ///
    /// Leaves q, n, m and the last sample's accumulators in `scratch`.
    pub fn forward(
        &self,
        weights: &Weights,
        streams: &mut Streams,
        scratch: &mut Scratch,
        pixels: &[u16],
        samples: u32,
        mut events: Option<&mut Vec<Event>>,
    ) -> u64 {
        let h = self.hidden;
        let event_cycles = self.blocks as u64 + 1;
        scratch.q.fill(0);
        scratch.n.fill(0);
        scratch.m.fill(0);

        // `bound` is an upper bound on every |acc_j|. While bound + 2^(W-1) fits in A bits no
        // addition of a row can saturate, so the plain add gives the spec's result.
        let weight_max = 1i64 << (self.weight_bits - 1);
        let acc_max = (1i64 << (self.acc_bits - 1)) - 1;
        let bias_bound = weights
            .b
            .iter()
            .map(|&b| (b as i64).abs())
            .max()
            .unwrap_or(0);

        // Local copies keep the LFSR states in registers through the loops.
        let (mut input, mut hidden, mut output) = (streams.input, streams.hidden, streams.output);
        let mut spikes = 0u64;
        let mut cycle = self.inputs as u64;
        for _ in 0..samples {
            // INIT: accumulators take the biases.
            scratch.acc.copy_from_slice(&weights.b);
            scratch.vacc.copy_from_slice(&weights.c);
            let mut bound = bias_bound;
            cycle += event_cycles;

            // SCAN: one draw per input, one row of H additions per spike.
            let draws = &mut scratch.draws[..self.inputs];
            self.spike_draws(&mut input, SpikeLayer::Input, draws);
            for (i, (&pixel, &r)) in pixels.iter().zip(draws.iter()).enumerate() {
                if fires(pixel as u32, r) {
                    scratch.q[i] += 1;
                    spikes += 1;
                    if let Some(list) = events.as_deref_mut() {
                        list.push(Event::Spike {
                            cycle: cycle + 1,
                            layer: SpikeLayer::Input,
                            index: i,
                        });
                    }
                    let row = &weights.w[i * h..(i + 1) * h];
                    if bound + weight_max > acc_max {
                        bound = scratch
                            .acc
                            .iter()
                            .map(|&a| (a as i64).abs())
                            .max()
                            .unwrap_or(0);
                    }
                    if bound + weight_max <= acc_max {
                        add_plain(&mut scratch.acc, row);
                        bound += weight_max;
                    } else {
                        add_saturating(&mut scratch.acc, row, self.acc_bits);
                        bound = acc_max + 1;
                    }
                    cycle += event_cycles;
                }
                cycle += 2;
            }

            // HIDDEN: one draw per neuron; a spike adds column j of V into the output accumulators.
            let draws = &mut scratch.draws[..h];
            self.spike_draws(&mut hidden, SpikeLayer::Hidden, draws);
            for (j, &r) in draws.iter().enumerate() {
                if fires(self.sigmoid(scratch.acc[j]), r) {
                    scratch.n[j] += 1;
                    if let Some(list) = events.as_deref_mut() {
                        list.push(Event::Spike {
                            cycle: cycle + j as u64,
                            layer: SpikeLayer::Hidden,
                            index: j,
                        });
                    }
                    for (k, vacc) in scratch.vacc.iter_mut().enumerate() {
                        *vacc =
                            sat(*vacc as i64 + weights.v[k * h + j] as i64, self.acc_bits) as i32;
                    }
                }
            }
            cycle += h as u64 + 1;

            // OUTPUT: one draw per output neuron.
            for k in 0..self.outputs {
                let r = self.spike_draw(&mut output, SpikeLayer::Output);
                if fires(self.sigmoid(scratch.vacc[k]), r) {
                    scratch.m[k] += 1;
                    if let Some(list) = events.as_deref_mut() {
                        list.push(Event::Spike {
                            cycle: cycle + k as u64,
                            layer: SpikeLayer::Output,
                            index: k,
                        });
                    }
                }
            }
            cycle += self.outputs as u64;
        }
        (streams.input, streams.hidden, streams.output) = (input, hidden, output);
        spikes
    }

    /// Runs ERROR, BACKWARD and UPDATE, starting at cycle `cycle`, and returns Q, the
    /// number of inputs with q_i ≠ 0.
    pub fn learn(
        &self,
        weights: &mut Weights,
        rounding_stream: &mut Lfsr,
        scratch: &mut Scratch,
        label: usize,
        cycle: u64,
        mut events: Option<&mut Vec<Event>>,
    ) -> u64 {
        let (h, o) = (self.hidden, self.outputs);
        let wb = self.weight_bits;
        let mut rounding = *rounding_stream;
        let rounding = &mut rounding;

        // ERROR: e_k, then c_k in order k = 0 .. O - 1, one rounding draw each.
        for k in 0..o {
            let m = scratch.m[k] as i64;
            let scaled = if self.error_frac >= self.train_log2 {
                m << (self.error_frac - self.train_log2)
            } else {
                asr(m, self.train_log2 - self.error_frac)
            };
            let target = if k == label {
                1i64 << self.error_frac
            } else {
                0
            };
            let e = scaled - target;
            debug_assert_eq!(sat(e, self.error_bits), e, "e_k always fits in E bits");
            scratch.e[k] = e as i32;
        }
        for k in 0..o {
            let r = self.rounding_draw(rounding);
            let step = stochastic(scratch.e[k] as i64, self.shifts.output_bias, r);
            weights.c[k] = sat(weights.c[k] as i64 - step, wb) as i32;
            if let Some(list) = events.as_deref_mut() {
                list.push(write_event(cycle + k as u64, Memory::C, k, vec![weights.c[k]], wb));
            }
        }
        let mut cycle = cycle + o as u64;

        // BACKWARD: δ_j from the old column j of V, then the column's update.
        let delta_shift = self.pixel_bits + self.weight_frac;
        for j in 0..h {
            let n = scratch.n[j];
            let g: i64 = (0..o)
                .map(|k| weights.v[k * h + j] as i64 * scratch.e[k] as i64)
                .sum();
            let d = self.derivative[n as usize] as i64;
            scratch.delta[j] = sat(round_nearest(d * g, delta_shift), self.error_bits) as i32;

            for k in 0..o {
                let r = self.rounding_draw(rounding);
                let step = stochastic(scratch.e[k] as i64 * n as i64, self.shifts.output_weight, r);
                let v = &mut weights.v[k * h + j];
                *v = sat(*v as i64 - step, wb) as i32;
            }
            if let Some(list) = events.as_deref_mut() {
                let column = (0..o).map(|k| weights.v[k * h + j]).collect();
                list.push(write_event(
                    cycle + (j * (o + 2) + o + 1) as u64,
                    Memory::V,
                    j,
                    column,
                    wb,
                ));
            }
        }
        cycle += (h * (o + 2)) as u64;

        // UPDATE, biases: two cycles per BMEM word.
        for j in 0..h {
            let r = self.rounding_draw(rounding);
            let step = stochastic(scratch.delta[j] as i64, self.shifts.hidden_bias, r);
            weights.b[j] = sat(weights.b[j] as i64 - step, wb) as i32;
        }
        if let Some(list) = events.as_deref_mut() {
            for (word, lanes) in weights.b.chunks(self.lanes).enumerate() {
                list.push(write_event(
                    cycle + 2 * word as u64 + 1,
                    Memory::B,
                    word,
                    lanes.to_vec(),
                    wb,
                ));
            }
        }
        cycle += 2 * self.blocks as u64;

        // UPDATE, weights: rows with q_i = 0 are skipped without a draw.
        let mut nonzero_rows = 0u64;
        for i in 0..self.inputs {
            cycle += 2;
            let q = scratch.q[i] as i64;
            if q == 0 {
                continue;
            }
            nonzero_rows += 1;
            let row = &mut weights.w[i * h..(i + 1) * h];
            let draws = &mut scratch.draws[..h];
            self.rounding_draws(rounding, draws);
            for ((w, &delta), &r) in row.iter_mut().zip(&scratch.delta).zip(draws.iter()) {
                let step = stochastic(delta as i64 * q, self.shifts.hidden_weight, r);
                *w = sat(*w as i64 - step, wb) as i32;
            }
            if let Some(list) = events.as_deref_mut() {
                for (word, lanes) in row.chunks(self.lanes).enumerate() {
                    let address = i * self.blocks + word;
                    list.push(write_event(
                        cycle + 2 * word as u64 + 1,
                        Memory::W,
                        address,
                        lanes.to_vec(),
                        wb,
                    ));
                }
            }
            cycle += 2 * self.blocks as u64;
        }
        *rounding_stream = *rounding;
        nonzero_rows
    }
}

fn write_event(
    cycle: u64,
    memory: Memory,
    address: usize,
    fields: Vec<i32>,
    field_bits: u32,
) -> Event {
    Event::Write {
        cycle,
        memory,
        address,
        fields,
        field_bits,
    }
}

/// Adds `row` into `acc`; the caller has proved that no sum leaves the accumulator range.
#[inline]
fn add_plain(acc: &mut [i32], row: &[i32]) {
    for (a, &w) in acc.iter_mut().zip(row) {
        *a = a.wrapping_add(w);
    }
}

/// Adds `row` into `acc` lane by lane, saturating to `bits` bits after every addition.
///
/// Each accumulator gets one addition per call, so clamping the exact sum is the spec's
/// saturation. For `bits` ≤ 31 the i32 sum cannot overflow (|acc| ≤ 2^30, |w| ≤ 2^15); at
/// 32 bits `saturating_add` is the clamp. Both loops vectorize.
#[inline]
pub(crate) fn add_saturating(acc: &mut [i32], row: &[i32], bits: u32) {
    if bits >= 32 {
        for (a, &w) in acc.iter_mut().zip(row) {
            *a = a.saturating_add(w);
        }
    } else {
        let max = (1i32 << (bits - 1)) - 1;
        let min = -(1i32 << (bits - 1));
        for (a, &w) in acc.iter_mut().zip(row) {
            *a = (*a + w).clamp(min, max);
        }
    }
}

/// Returns the lowest k with the largest count.
pub(crate) fn argmax(counts: &[u32]) -> usize {
    let mut best = 0;
    for (k, &count) in counts.iter().enumerate() {
        if count > counts[best] {
            best = k;
        }
    }
    best
}
