//! Acceptance co-simulations: the default configuration over 200 digits, and
//! 50 random legal configurations over a few examples each.

mod common;

use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use sampleprop_config::Config;
use sampleprop_cosim::{cosim, describe, CosimOptions, Optimization};

#[test]
fn default_config_200_digits() {
    let Some(verilator) = common::verilator_or_skip() else { return };
    let config = Config::default();
    let opts = CosimOptions { inference_examples: 20, verilator: Some(verilator), ..CosimOptions::default() };

    let report = cosim(&config, 200, &opts).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{}", describe(&report));

    assert_eq!(report.examples, 220);
    assert!(report.mismatch.is_none(), "{}", report.mismatch.as_ref().expect("checked"));
    assert!(report.rtl_cycles.is_some_and(|c| c >= report.model_cycles), "the testbench counts at least the model's cycles");
}

/// Draws one legal configuration as TOML: small shapes so 50 builds stay affordable.
fn random_config_toml(rng: &mut Xoshiro256PlusPlus) -> String {
    let lanes = 1usize << rng.random_range(0..=3u32);
    let hidden = lanes * rng.random_range(1..=3usize);
    let inputs = rng.random_range(1..=24usize);
    let outputs = rng.random_range(2..=5usize);
    let train = 1u32 << rng.random_range(1..=5u32);
    let inference = 1u32 << rng.random_range(0..=4u32);

    let pixel = rng.random_range(1..=10u32);
    let weight = rng.random_range(2..=12u32);
    let weight_integer = rng.random_range(0..=(weight - 1).min(3));
    let accumulator = rng.random_range(weight..=weight + 10);
    let error = rng.random_range(3..=14u32);
    let frac = weight - 1 - weight_integer;
    // sigmoid_index must lie in 2..=frac + range + 1, so the range is at least 1 when there are no fraction bits.
    let range = rng.random_range(if frac == 0 { 1 } else { 0 }..=5u32);
    let index = rng.random_range(2..=(frac + range + 1).min(12));

    let hidden_shift = rng.random_range(0..=6u32);
    let output_shift = rng.random_range(0..=6u32);

    // A rounding draw of R = max(1, largest update shift) bits must fit in one LFSR state;
    // the largest shift is F_e + t + max(shift) - F_w, at most 12 + 5 + 6 = 23 here.
    let largest_shift = (error - 2 + train.trailing_zeros() + hidden_shift.max(output_shift)) as i64 - frac as i64;
    let width = rng.random_range(largest_shift.clamp(4, 24) as u32..=24u32);
    let max_seed = (1u32 << width) - 1;
    let mut seeds: Vec<u32> = Vec::new();
    while seeds.len() < 4 {
        let seed = rng.random_range(1..=max_seed);
        if !seeds.contains(&seed) {
            seeds.push(seed);
        }
    }

    let estimator = if rng.random::<bool>() { "unbiased" } else { "plugin" };
    let init: u64 = rng.random_range(0..1u64 << 32);

    format!(
        "[network]\ninputs = {inputs}\nhidden = {hidden}\noutputs = {outputs}\n\
         [samples]\ntrain = {train}\ninference = {inference}\n\
         [widths]\npixel = {pixel}\nweight = {weight}\nweight_integer = {weight_integer}\n\
         accumulator = {accumulator}\nerror = {error}\nsigmoid_index = {index}\nsigmoid_range = {range}\n\
         [lfsr]\nwidth = {width}\n\
         [lfsr.input]\nseed = {}\n[lfsr.hidden]\nseed = {}\n[lfsr.output]\nseed = {}\n[lfsr.rounding]\nseed = {}\n\
         [learning]\nhidden_shift = {hidden_shift}\noutput_shift = {output_shift}\nestimator = \"{estimator}\"\n\
         [hardware]\nlanes = {lanes}\n\
         [seeds]\ninit = {init}\n",
        seeds[0], seeds[1], seeds[2], seeds[3]
    )
}

#[test]
fn random_configs_match_model() {
    let Some(verilator) = common::verilator_or_skip() else { return };
    let count: usize = std::env::var("SAMPLEPROP_RANDOM_CONFIGS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5a3c_0001);
    let opts = CosimOptions {
        inference_examples: 1,
        optimization: Optimization::FastBuild,
        vcd_support: false,
        verilator: Some(verilator),
        ..CosimOptions::default()
    };

    let started = Instant::now();
    let mut build_seconds = 0.0;
    for case in 0..count {
        let text = random_config_toml(&mut rng);
        let config = Config::from_toml_str(&text, &format!("random case {case}")).unwrap_or_else(|e| panic!("{e}\n{text}"));

        let report = cosim(&config, 3, &opts).unwrap_or_else(|e| panic!("random case {case}: {e}\n{text}"));
        build_seconds += report.build_time.as_secs_f64();
        assert!(report.mismatch.is_none(), "random case {case}: {}\n{text}", report.mismatch.as_ref().expect("checked"));
    }
    eprintln!(
        "{count} random configurations: {:.1} s total, {build_seconds:.1} s of it building",
        started.elapsed().as_secs_f64()
    );
}
