//! Statistical checks of stochastic rounding and the sampled derivative, with real LFSR draws.

use sampleprop_config::{default_polynomial, Config};
use sampleprop_model::fires;
use sampleprop_model::fixed::stochastic;
use sampleprop_model::lfsr::Lfsr;

#[test]
fn stochastic_rounding_is_unbiased() {
    // 2^18 draws of 12 bits from the default 16-bit rounding stream. Each rounding has a
    // standard deviation of at most 0.5 LSB, so the mean's is about 0.001 LSB; the
    // tolerance of 0.005 LSB is about five of those.
    let config = Config::default();
    let bits = config.rounding_bits();
    assert_eq!(bits, 12);
    let draws = 1u32 << 18;
    for shift in [1i32, 3, 7, 12] {
        for x in [-1000i64, -37, -5, -1, 1, 5, 37, 1000] {
            let mut lfsr = Lfsr::new(
                16,
                default_polynomial(16).unwrap(),
                config.lfsr.rounding.seed,
            )
            .unwrap();
            let total: i64 = (0..draws)
                .map(|_| stochastic(x, shift, lfsr.draw(bits)))
                .sum();
            let mean = total as f64 / draws as f64;
            let exact = x as f64 / (1u64 << shift) as f64;
            assert!(
                (mean - exact).abs() < 0.005,
                "x {x} shift {shift}: mean {mean} differs from {exact} by more than 0.005"
            );
        }
    }
}

#[test]
fn truncation_would_be_biased() {
    // The same check with r = 0 (plain truncation) fails, so the tolerance above is tight
    // enough to see a bias of half an LSB.
    let x = -37i64;
    let shift = 3;
    let exact = x as f64 / 8.0;
    assert!((stochastic(x, shift, 0) as f64 - exact).abs() > 0.1);
}

/// Returns the mean of D[n] / 2^P over `trials` counts of T spikes at probability `p_raw` / 2^P.
fn mean_derivative(config: &Config, p_raw: u32, trials: u32) -> f64 {
    let table = config.derivative_table();
    let t = config.samples.train;
    let bits = config.widths.pixel;
    let mut lfsr = Lfsr::new(
        config.lfsr.width,
        config.lfsr.hidden.polynomial,
        config.lfsr.hidden.seed,
    )
    .unwrap();
    let mut total = 0u64;
    for _ in 0..trials {
        let n = (0..t).filter(|_| fires(p_raw, lfsr.draw(bits))).count();
        total += table[n] as u64;
    }
    total as f64 / trials as f64 / (1u64 << bits) as f64
}

#[test]
fn sampled_derivative_matches_sigmoid_slope() {
    // 40,000 counts of T = 16: the estimator's standard deviation is below 0.1, so the
    // mean's is below 0.0005; table rounding adds at most 2^-9. Tolerance 0.004.
    let config = Config::default();
    for p_raw in [26u32, 64, 128, 179, 230] {
        let p = p_raw as f64 / 256.0;
        let mean = mean_derivative(&config, p_raw, 40_000);
        let expected = p * (1.0 - p);
        assert!(
            (mean - expected).abs() < 0.004,
            "p {p}: mean D {mean} differs from p(1-p) = {expected} by more than 0.004"
        );
    }
}

#[test]
fn plugin_derivative_is_biased_low() {
    // The plug-in estimate has mean p(1-p)(T-1)/T, 1/16 below p(1-p) at T = 16: the
    // unbiased check above would reject it.
    let config = Config::from_toml_str("[learning]\nestimator = \"plugin\"\n", "test").unwrap();
    let t = config.samples.train as f64;
    for p_raw in [64u32, 128, 192] {
        let p = p_raw as f64 / 256.0;
        let mean = mean_derivative(&config, p_raw, 40_000);
        let expected = p * (1.0 - p) * (t - 1.0) / t;
        assert!(
            (mean - expected).abs() < 0.004,
            "p {p}: mean {mean}, expected {expected}"
        );
        assert!(
            (mean - p * (1.0 - p)).abs() > 0.008,
            "p {p}: plug-in mean {mean} looks unbiased"
        );
    }
}
