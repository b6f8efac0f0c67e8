use super::*;

fn error_of(text: &str) -> String {
    Config::from_toml_str(text, "test.toml").unwrap_err().to_string()
}

#[test]
fn defaults_are_valid() {
    let config = Config::default();
    assert_eq!(config.network.inputs, 64);
    assert_eq!(config.samples.train, 16);
    assert_eq!(config.network.hidden, 128);
    assert_eq!(config.samples.inference, 32);
    assert_eq!(config.widths.counter, 6);
    assert!(config.widths.weight <= 8);
}

#[test]
fn canonical_toml_round_trips() {
    let config = Config::default();
    let again = Config::from_toml_str(&config.to_toml(), "round trip").unwrap();
    assert_eq!(config, again);
    assert_eq!(config.digest(), again.digest());
}

#[test]
fn digest_changes_with_any_key() {
    let other = Config::from_toml_str("[hardware]\nlanes = 8\n", "t").unwrap();
    assert_ne!(Config::default().digest(), other.digest());
}

#[test]
fn zero_sample_budget_rejected() {
    let message = error_of("[samples]\ntrain = 0\n");
    assert!(message.contains("samples.train = 0"), "{message}");
    assert!(message.contains("power of two"), "{message}");
}

#[test]
fn non_power_of_two_budget_rejected() {
    let message = error_of("[samples]\ntrain = 24\n");
    assert!(message.contains("samples.train = 24"), "{message}");
    assert!(message.contains("power of two such as 16"), "{message}");
}

#[test]
fn one_bit_weight_rejected() {
    let message = error_of("[widths]\nweight = 1\n");
    assert!(message.contains("widths.weight = 1"), "{message}");
    assert!(message.contains("2..=16"), "{message}");
}

#[test]
fn lanes_must_divide_hidden() {
    let message = error_of("[network]\nhidden = 30\n[hardware]\nlanes = 4\n");
    assert!(message.contains("hardware.lanes = 4"), "{message}");
    assert!(message.contains("divide network.hidden = 30"), "{message}");
    assert!(message.contains("1, 2, 3, 5, 6, 10, 15, 30"), "{message}");

    let wide = error_of("[hardware]\nlanes = 3\n");
    assert!(wide.contains("1, 2, 4, 8, 16, 32, 64, 128"), "{wide}");
}

#[test]
fn narrow_counter_rejected() {
    let message = error_of("[samples]\ntrain = 64\ninference = 16\n[widths]\ncounter = 6\n");
    assert!(message.contains("widths.counter = 6"), "{message}");
    assert!(message.contains("needs 7 bits"), "{message}");
}

#[test]
fn unknown_key_rejected() {
    let message = error_of("[network]\nhiden = 32\n");
    assert!(message.contains("test.toml:2:1"), "{message}");
    assert!(message.contains("unknown field `hiden`"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn negative_seed_rejected() {
    let message = error_of("[seeds]\ninit = -3\n");
    assert!(message.contains("seeds.init = -3"), "{message}");
    assert!(message.contains("non-negative"), "{message}");
}

#[test]
fn zero_lfsr_seed_rejected() {
    let message = error_of("[lfsr.hidden]\nseed = 0\n");
    assert!(message.contains("lfsr.hidden.seed = 0"), "{message}");
}

#[test]
fn non_maximal_polynomial_rejected() {
    let message = error_of("[lfsr.input]\npolynomial = 0x8000\n");
    assert!(message.contains("lfsr.input.polynomial = 0x8000"), "{message}");
    assert!(message.contains("maximal-length"), "{message}");
}

#[test]
fn shared_stream_rejected() {
    let message = error_of("[lfsr.input]\nseed = 7\n[lfsr.output]\nseed = 7\n");
    assert!(message.contains("lfsr.output.seed = 7"), "{message}");
}

#[test]
fn wrong_type_names_line() {
    let message = error_of("[widths]\n\nweight = \"eight\"\n");
    assert!(message.contains("test.toml:3:"), "{message}");
}

#[test]
fn every_default_polynomial_is_maximal() {
    for width in LFSR_WIDTHS {
        let mask = default_polynomial(width).unwrap();
        assert!(is_maximal_length(width, mask), "width {width} mask {mask:#x}");
    }
}

#[test]
fn derived_figures_of_defaults() {
    let config = Config::default();
    assert_eq!(config.weight_format().frac, 6);
    assert_eq!(config.error_format().frac, 10);
    assert_eq!(config.sigmoid_shift(), 2);
    let shifts = config.update_shifts();
    assert_eq!(shifts.output_weight, 12);
    assert_eq!(shifts.output_bias, 8);
    assert_eq!(shifts.hidden_bias, 8);
    assert_eq!(shifts.hidden_weight, 12);
    assert_eq!(config.rounding_bits(), 12);
    assert_eq!(config.blocks(), 32);
}

#[test]
fn counter_width_helper() {
    assert_eq!(bits_to_count(1), 1);
    assert_eq!(bits_to_count(2), 2);
    assert_eq!(bits_to_count(16), 5);
    assert_eq!(bits_to_count(255), 8);
    assert_eq!(bits_to_count(256), 9);
}

#[test]
fn sigmoid_table_shape() {
    let config = Config::default();
    let table = config.sigmoid_table();
    assert_eq!(table.len(), 256);
    assert!(table.windows(2).all(|w| w[0] <= w[1]), "table must be non-decreasing");
    assert_eq!(table[0], 0);
    assert_eq!(table[255], 255);
    // Bins 127 and 128 straddle u = 0, at -1/32 and +1/32: sigmoid 0.4922 and 0.5078.
    assert_eq!(table[127], 126);
    assert_eq!(table[128], 130);
}

#[test]
fn derivative_table_values() {
    let config = Config::default();
    let table = config.derivative_table();
    assert_eq!(table.len(), 17);
    assert_eq!(table[0], 0);
    assert_eq!(table[16], 0);
    // n = 8 of T = 16: 64 / 240 = 0.2667, times 256 = 68.27.
    assert_eq!(table[8], 68);

    let plugin = Config::from_toml_str("[learning]\nestimator = \"plugin\"\n", "t").unwrap();
    assert_eq!(plugin.derivative_table()[8], 64);

    let tiny = Config::from_toml_str("[samples]\ntrain = 2\n", "t").unwrap();
    assert_eq!(tiny.derivative_table(), vec![0, 128, 0]);
}

#[test]
fn sigmoid_index_default_follows_weight_fraction() {
    let narrow = Config::from_toml_str("[widths]\nweight = 4\n", "t").unwrap();
    assert_eq!(narrow.widths.sigmoid_index, 6);
    assert_eq!(narrow.sigmoid_shift(), 0);

    let message = error_of("[widths]\nweight = 4\nsigmoid_index = 8\n");
    assert!(message.contains("widths.sigmoid_index = 8"), "{message}");
    assert!(message.contains("set widths.sigmoid_index to 6 or less"), "{message}");
}

#[test]
fn lfsr_width_default_fits_rounding_draw() {
    let wide = Config::from_toml_str("[samples]\ntrain = 32\n[widths]\nweight = 4\n", "t").unwrap();
    assert_eq!(wide.rounding_bits(), 17);
    assert_eq!(wide.lfsr.width, 17);
    assert_eq!(Config::default().lfsr.width, 16);

    let message = error_of("[samples]\ntrain = 32\n[widths]\nweight = 4\n[lfsr]\nwidth = 16\n");
    assert!(message.contains("lfsr.width = 16"), "{message}");
    assert!(message.contains("needs 17 bits"), "{message}");
}

#[test]
fn overrides_change_keys_before_validation() {
    let overrides = ["hardware.lanes=8".to_string(), "learning.estimator = \"plugin\"".to_string()];
    let config = Config::load_with_overrides(None, &overrides).unwrap();
    assert_eq!(config.hardware.lanes, 8);
    assert_eq!(config.learning.estimator, Estimator::Plugin);
    assert_eq!(config.network.hidden, Config::default().network.hidden);

    let nested = Config::load_with_overrides(None, &["lfsr.input.seed=7".to_string()]).unwrap();
    assert_eq!(nested.lfsr.input.seed, 7);
}

#[test]
fn bad_overrides_are_named() {
    let error = |text: &str| Config::load_with_overrides(None, &[text.to_string()]).unwrap_err().to_string();

    let message = error("hardware.lanes");
    assert!(message.contains("--set hardware.lanes: an override needs '='"), "{message}");
    let message = error("lanes=4");
    assert!(message.contains("section.key"), "{message}");
    let message = error("widths.weight=eight");
    assert!(message.contains("eight is not a TOML value"), "{message}");

    // A legal override of an illegal value is reported by the usual rule, naming the override.
    let message = error("hardware.lanes=3");
    assert!(message.contains("hardware.lanes = 3"), "{message}");
    assert!(message.contains("--set hardware.lanes=3"), "{message}");
    let message = error("network.hiden=4");
    assert!(message.starts_with("--set network.hiden=4: unknown field `hiden`"), "{message}");
    let message = error("widths.weight=8.5");
    assert!(message.starts_with("--set widths.weight=8.5: invalid type"), "{message}");
    assert!(message.contains("expected an integer"), "{message}");
    assert!(!message.contains(":2:"), "no position in rewritten text: {message}");
    let message = error("lanes=4");
    assert!(message.contains("here hardware.lanes"), "{message}");
}
