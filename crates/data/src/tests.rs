use std::path::Path;

use super::*;

#[test]
fn quantize_maps_ends_exactly() {
    for bits in 1..=16 {
        let top = ((1u32 << bits) - 1) as u16;
        assert_eq!(quantize_pixel(0, 16, bits), 0, "bits {bits}");
        assert_eq!(quantize_pixel(16, 16, bits), top, "bits {bits}");
        assert_eq!(quantize_pixel(255, 255, bits), top, "bits {bits}");
    }
}

#[test]
fn quantize_rounds_to_nearest() {
    // 8 * 255 / 16 = 127.5, and the rule adds max / 2 before dividing: ties round up.
    assert_eq!(quantize_pixel(8, 16, 8), 128);
    // 1 * 255 / 16 = 15.94 rounds to 16, and 3 * 15 / 16 = 2.81 rounds to 3.
    assert_eq!(quantize_pixel(1, 16, 8), 16);
    assert_eq!(quantize_pixel(3, 16, 4), 3);
    // 128 * 15 / 255 = 7.53 rounds to 8.
    assert_eq!(quantize_pixel(128, 255, 4), 8);
}

#[test]
fn quantize_matches_formula_everywhere() {
    for max in [1u8, 16, 255] {
        for bits in [1u32, 4, 8, 12, 16] {
            for value in 0..=max {
                let top = (1u64 << bits) - 1;
                let expected = (u64::from(value) * top + u64::from(max) / 2) / u64::from(max);
                assert_eq!(
                    u64::from(quantize_pixel(value, max, bits)),
                    expected,
                    "{value}/{max} at {bits} bits"
                );
            }
        }
    }
}

#[test]
fn quantize_is_monotonic() {
    for bits in [2u32, 8] {
        let values: Vec<u16> = (0..=16).map(|v| quantize_pixel(v, 16, bits)).collect();
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
    }
}

#[test]
fn quantize_saturates_out_of_range() {
    assert_eq!(quantize_pixel(200, 16, 8), 255);
    assert_eq!(quantize_pixel(5, 0, 8), 0);
}

#[test]
fn digits_split_sizes() {
    let split = digits().unwrap();
    assert_eq!(split.train.len(), 1438);
    assert_eq!(split.test.len(), 359);
    assert_eq!(split.train.inputs, 64);
    assert_eq!(split.train.pixels.len(), 1438 * 64);
    assert_eq!(split.test.pixels.len(), 359 * 64);
    assert_eq!(split.train.max_value, 16);
    assert_eq!(split.train.classes, 10);
}

#[test]
fn digits_first_images_match_file() {
    // Lines 1 and 5 of digits.csv.gz: line 5 (index 4) is the first test image.
    let split = digits().unwrap();
    let first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0];
    assert_eq!(&split.train.image(0)[..16], &first);
    assert_eq!(split.train.labels[..4], [0, 1, 2, 3]);
    assert_eq!(split.test.labels[0], 4);
}

#[test]
fn digits_class_counts() {
    // Counts taken with awk from digits.csv.gz. Every class appears in both parts.
    let split = digits().unwrap();
    let expected = [
        [151, 161, 143, 131, 147, 154, 150, 136, 127, 138],
        [27, 21, 34, 52, 34, 28, 31, 43, 47, 42],
    ];
    for (part, expected) in [&split.train, &split.test].into_iter().zip(expected) {
        let mut counts = [0usize; 10];
        for &label in &part.labels {
            counts[usize::from(label)] += 1;
        }
        assert_eq!(counts, expected);
        assert!(part.pixels.iter().all(|&p| p <= 16));
    }
}

#[test]
fn digits_quantized_shape() {
    let split = digits().unwrap();
    let images = split.test.quantized(8);
    assert_eq!(images.len(), 359);
    assert!(images.iter().all(|image| image.len() == 64));
    assert!(images.iter().flatten().any(|&x| x == 255));
    assert!(images.iter().flatten().all(|&x| x <= 255));
}

#[test]
fn load_named_rejects_unknown() {
    let error = load_named("cifar", Path::new("data"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown data set `cifar`"), "{error}");
    assert!(error.contains("digits, mnist, fashion"), "{error}");
}

#[test]
fn load_named_reads_digits() {
    let split = load_named("digits", Path::new("/nonexistent")).unwrap();
    assert_eq!(split.train.len() + split.test.len(), 1797);
}
