//! Compares the core with a naive transcription of the spec: LFSR draws one step at a time,
//! saturation after every single addition, no fast paths and a cycle cursor that walks every
//! controller step. Both must agree on every count, error, weight and cycle.

// Index loops mirror the spec's i, j, k notation.
#![allow(clippy::needless_range_loop)]

use sampleprop_config::Config;
use sampleprop_model::lfsr::Lfsr;
use sampleprop_model::{initial_weights, Core, Phase, TraceLevel, Weights};

fn clamp(x: i64, bits: u32) -> i64 {
    x.clamp(-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
}

fn floor_shift(x: i64, s: u32) -> i64 {
    x.div_euclid(1i64 << s)
}

/// Returns x / 2^s rounded with the low s bits of r, or x·2^-s for s ≤ 0.
fn rounded(x: i64, s: i32, r: u64) -> i64 {
    if s <= 0 {
        x * (1i64 << -s)
    } else {
        floor_shift(x + (r % (1u64 << s)) as i64, s as u32)
    }
}

struct Naive {
    config: Config,
    weights: Weights,
    lfsrs: [Lfsr; 4],
}

/// Observable outcome of one naive example.
struct Outcome {
    q: Vec<u32>,
    n: Vec<u32>,
    m: Vec<u32>,
    e: Vec<i32>,
    delta: Vec<i32>,
    prediction: usize,
    phase_ends: Vec<(Phase, u64)>,
}

impl Naive {
    fn new(config: &Config) -> Naive {
        let l = &config.lfsr;
        let lfsr =
            |s: &sampleprop_config::Stream| Lfsr::new(l.width, s.polynomial, s.seed).unwrap();
        Naive {
            config: config.clone(),
            weights: initial_weights(config),
            lfsrs: [
                lfsr(&l.input),
                lfsr(&l.hidden),
                lfsr(&l.output),
                lfsr(&l.rounding),
            ],
        }
    }

    fn sigma(&self, table: &[u32], u: i64) -> u64 {
        let w = &self.config.widths;
        let shift = self.config.weight_format().frac + w.sigmoid_range + 1 - w.sigmoid_index;
        let address =
            clamp(floor_shift(u, shift), w.sigmoid_index) + (1i64 << (w.sigmoid_index - 1));
        table[address as usize] as u64
    }

    fn run(&mut self, pixels: &[u16], label: usize, train: bool) -> Outcome {
        let c = self.config.clone();
        let (ni, nh, no, lanes) = (
            c.network.inputs,
            c.network.hidden,
            c.network.outputs,
            c.hardware.lanes,
        );
        let blocks = nh / lanes;
        let (p, wb, ab, eb) = (
            c.widths.pixel,
            c.widths.weight,
            c.widths.accumulator,
            c.widths.error,
        );
        let table = c.sigmoid_table();
        let samples = if train {
            c.samples.train
        } else {
            c.samples.inference
        };
        let mut phase_ends = Vec::new();

        let mut cycle = 0u64;
        cycle += ni as u64; // LOAD
        phase_ends.push((Phase::Load, cycle - 1));

        let (mut q, mut n, mut m) = (vec![0u32; ni], vec![0u32; nh], vec![0u32; no]);
        for _ in 0..samples {
            let mut acc: Vec<i64> = self.weights.b.iter().map(|&b| b as i64).collect();
            let mut vacc: Vec<i64> = self.weights.c.iter().map(|&x| x as i64).collect();
            cycle += blocks as u64 + 1;
            for i in 0..ni {
                let r = self.lfsrs[0].draw(p);
                cycle += 2;
                if pixels[i] as u64 > r {
                    q[i] += 1;
                    for block in 0..blocks {
                        for lane in 0..lanes {
                            let j = block * lanes + lane;
                            acc[j] = clamp(acc[j] + self.weights.w[i * nh + j] as i64, ab);
                        }
                        cycle += 1;
                    }
                    cycle += 1;
                }
            }
            for j in 0..nh {
                let r = self.lfsrs[1].draw(p);
                if self.sigma(&table, acc[j]) > r {
                    n[j] += 1;
                    for k in 0..no {
                        vacc[k] = clamp(vacc[k] + self.weights.v[k * nh + j] as i64, ab);
                    }
                }
                cycle += 1;
            }
            cycle += 1;
            for k in 0..no {
                let r = self.lfsrs[2].draw(p);
                if self.sigma(&table, vacc[k]) > r {
                    m[k] += 1;
                }
                cycle += 1;
            }
        }
        phase_ends.push((Phase::Forward, cycle - 1));

        let mut e = vec![0i32; no];
        let mut delta = vec![0i32; nh];
        if train {
            let shifts = c.update_shifts();
            let rbits = c.rounding_bits();
            let fe = c.error_format().frac;
            let t = c.train_log2();
            let fw = c.weight_format().frac;
            for k in 0..no {
                let scaled = if fe >= t {
                    (m[k] as i64) << (fe - t)
                } else {
                    floor_shift(m[k] as i64, t - fe)
                };
                e[k] = (scaled - if k == label { 1i64 << fe } else { 0 }) as i32;
                let r = self.lfsrs[3].draw(rbits);
                let x = &mut self.weights.c[k];
                *x = clamp(*x as i64 - rounded(e[k] as i64, shifts.output_bias, r), wb) as i32;
            }
            cycle += no as u64;
            phase_ends.push((Phase::Error, cycle - 1));

            let derivative = c.derivative_table();
            for j in 0..nh {
                let g: i64 = (0..no)
                    .map(|k| self.weights.v[k * nh + j] as i64 * e[k] as i64)
                    .sum();
                let product = derivative[n[j] as usize] as i64 * g;
                let s = p + fw;
                delta[j] = clamp(floor_shift(product + (1i64 << (s - 1)), s), eb) as i32;
                for k in 0..no {
                    let r = self.lfsrs[3].draw(rbits);
                    let x = &mut self.weights.v[k * nh + j];
                    let step = rounded(e[k] as i64 * n[j] as i64, shifts.output_weight, r);
                    *x = clamp(*x as i64 - step, wb) as i32;
                }
                cycle += no as u64 + 2;
            }
            phase_ends.push((Phase::Backward, cycle - 1));

            for block in 0..blocks {
                for lane in 0..lanes {
                    let j = block * lanes + lane;
                    let r = self.lfsrs[3].draw(rbits);
                    let x = &mut self.weights.b[j];
                    *x = clamp(
                        *x as i64 - rounded(delta[j] as i64, shifts.hidden_bias, r),
                        wb,
                    ) as i32;
                }
                cycle += 2;
            }
            for i in 0..ni {
                cycle += 2;
                if q[i] == 0 {
                    continue;
                }
                for block in 0..blocks {
                    for lane in 0..lanes {
                        let j = block * lanes + lane;
                        let r = self.lfsrs[3].draw(rbits);
                        let x = &mut self.weights.w[i * nh + j];
                        let step = rounded(delta[j] as i64 * q[i] as i64, shifts.hidden_weight, r);
                        *x = clamp(*x as i64 - step, wb) as i32;
                    }
                    cycle += 2;
                }
            }
            phase_ends.push((Phase::Update, cycle - 1));
        }
        cycle += 1;
        phase_ends.push((Phase::Done, cycle - 1));

        let mut prediction = 0;
        for k in 1..no {
            if m[k] > m[prediction] {
                prediction = k;
            }
        }
        if !train {
            e.clear();
            delta.clear();
        }
        Outcome {
            q,
            n,
            m,
            e,
            delta,
            prediction,
            phase_ends,
        }
    }
}

/// Returns deterministic pixels: a mix of zeros, mid-range values and the maximum.
fn pixels(config: &Config, example: usize) -> Vec<u16> {
    let max = (1u32 << config.widths.pixel) - 1;
    (0..config.network.inputs)
        .map(|i| match (i * 7 + example * 3) % 5 {
            0 | 1 => 0,
            2 => max as u16,
            _ => ((i * 37 + example * 11) as u32 % (max + 1)) as u16,
        })
        .collect()
}

fn compare(toml: &str, examples: usize) {
    let config = Config::from_toml_str(toml, "test").unwrap();
    let mut naive = Naive::new(&config);
    let mut core = Core::new(&config);
    core.set_trace(TraceLevel::Summary);
    for example in 0..examples {
        let train = example % 4 != 3;
        let label = example % config.network.outputs;
        let image = pixels(&config, example);
        let expected = naive.run(&image, label, train);
        let result = if train {
            core.train_example(&image, label)
        } else {
            core.infer_example(&image, label)
        };
        let trace = core.take_traces().pop().unwrap();
        let context = format!("example {example} of `{toml}`");
        assert_eq!(trace.q, expected.q, "q, {context}");
        assert_eq!(trace.n, expected.n, "n, {context}");
        assert_eq!(trace.m, expected.m, "m, {context}");
        assert_eq!(trace.e, expected.e, "e, {context}");
        assert_eq!(trace.delta, expected.delta, "delta, {context}");
        assert_eq!(
            trace.prediction, expected.prediction,
            "prediction, {context}"
        );
        assert_eq!(
            trace.phase_ends, expected.phase_ends,
            "phase ends, {context}"
        );
        assert_eq!(
            result.cycles,
            expected.phase_ends.last().unwrap().1 + 1,
            "cycles, {context}"
        );
        assert_eq!(core.weights(), &naive.weights, "weights, {context}");
    }
    let states: Vec<u32> = naive.lfsrs.iter().map(|l| l.state()).collect();
    assert_eq!(
        core.state().lfsr.to_vec(),
        states,
        "LFSR states after `{toml}`"
    );
}

#[test]
fn default_config_matches_naive() {
    compare("", 12);
}

#[test]
fn narrow_widths_match_naive() {
    // 8-bit accumulators saturate often, 4-bit pixels, error width below t + fraction bits.
    compare(
        "[network]\ninputs = 20\nhidden = 12\noutputs = 4\n[samples]\ntrain = 8\ninference = 4\n\
         [widths]\npixel = 4\nweight = 6\naccumulator = 8\nerror = 5\nsigmoid_index = 5\n\
         [lfsr]\nwidth = 12\n[learning]\nhidden_shift = 1\noutput_shift = 2\n[hardware]\nlanes = 3\n",
        16,
    );
}

#[test]
fn wide_widths_match_naive() {
    // 32-bit accumulators, 16-bit weights, update shifts at or below zero, one lane.
    compare(
        "[network]\ninputs = 9\nhidden = 5\noutputs = 3\n[samples]\ntrain = 2\ninference = 8\n\
         [widths]\nweight = 16\nweight_integer = 3\naccumulator = 32\nerror = 6\n\
         [learning]\nhidden_shift = 0\noutput_shift = 0\n[hardware]\nlanes = 1\n",
        16,
    );
}

#[test]
fn plugin_estimator_matches_naive() {
    compare(
        "[learning]\nestimator = \"plugin\"\nhidden_shift = 5\n[lfsr]\nwidth = 24\n",
        8,
    );
}
