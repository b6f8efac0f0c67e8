//! MNIST and Fashion-MNIST as fetched by `make data` into the repository's
//! data/ folder. Each test skips with a printed reason when its files are
//! absent, and fails instead when SAMPLEPROP_REQUIRE_DATA=1 is set.

use std::path::{Path, PathBuf};

use sampleprop_data::{load_named, DataError, FASHION_SYSTEM_DIR};

fn data_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn required() -> bool {
    std::env::var("SAMPLEPROP_REQUIRE_DATA").is_ok_and(|value| value == "1")
}

fn check_full_set(name: &str) {
    let split = match load_named(name, &data_root()) {
        Ok(split) => split,
        Err(error @ DataError::Missing { .. }) if !required() => {
            eprintln!("skipped: {error}");
            return;
        }
        Err(error) => panic!("{error}"),
    };

    assert_eq!(split.train.len(), 60_000);
    assert_eq!(split.test.len(), 10_000);
    assert_eq!(split.train.inputs, 784);
    assert_eq!(split.train.pixels.len(), 60_000 * 784);
    assert_eq!(split.test.pixels.len(), 10_000 * 784);
    assert!(split.train.labels.iter().all(|&label| label < 10));

    // Every class is well represented: both sets have about 6,000 and 1,000 per class.
    let mut counts = [0usize; 10];
    for &label in &split.train.labels {
        counts[usize::from(label)] += 1;
    }
    assert!(
        counts.iter().all(|&count| count > 5_000),
        "{name} training class counts {counts:?}"
    );

    let quantized = split.test.quantized(8);
    assert_eq!(quantized[0].len(), 784);
    assert!(
        quantized[0].iter().any(|&pixel| pixel == 255),
        "{name}: first test image has no full-scale pixel"
    );
}

#[test]
fn mnist_has_60000_and_10000() {
    check_full_set("mnist");
}

#[test]
fn fashion_has_60000_and_10000() {
    if !data_root().join("fashion").is_dir()
        && !Path::new(FASHION_SYSTEM_DIR).is_dir()
        && !required()
    {
        eprintln!("skipped: neither data/fashion nor {FASHION_SYSTEM_DIR} exists; run `make data`");
        return;
    }
    check_full_set("fashion");
}
