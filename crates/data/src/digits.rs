//! The bundled UCI 8x8 handwritten digits (1,797 images, pixels 0..=16),
//! as shipped in scikit-learn's `sklearn/datasets/data/digits.csv.gz`.

use std::io::Read;

use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};

use crate::{DataError, Dataset, Split};

/// The gzipped CSV: 65 integers a line, 64 pixels row by row then the label.
const DIGITS_GZ: &[u8] = include_bytes!("../../../data/digits/digits.csv.gz");

/// sha256 of `data/digits/digits.csv.gz`.
pub const DIGITS_SHA256: &str = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22";

const PIXELS: usize = 64;
const MAX_VALUE: u8 = 16;
const CLASSES: usize = 10;

/// Loads the bundled digits with the fixed split: image `i` (0-based, file
/// order) is a test image when `i % 5 == 4`, a training image otherwise.
///
/// That gives 1,438 training and 359 test images, the same on every machine
/// and independent of any seed.
pub fn digits() -> Result<Split, DataError> {
    let found: String = Sha256::digest(DIGITS_GZ)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if found != DIGITS_SHA256 {
        return Err(DataError::Checksum {
            found,
            expected: DIGITS_SHA256.to_string(),
        });
    }

    let mut text = String::new();
    GzDecoder::new(DIGITS_GZ)
        .read_to_string(&mut text)
        .map_err(|error| DataError::Csv {
            line: 0,
            message: format!("gzip decoding failed: {error}"),
        })?;

    let (pixels, labels) = parse_csv(&text)?;

    let mut train = empty_set();
    let mut test = empty_set();
    for (index, &label) in labels.iter().enumerate() {
        let part = if index % 5 == 4 {
            &mut test
        } else {
            &mut train
        };
        part.pixels
            .extend_from_slice(&pixels[index * PIXELS..(index + 1) * PIXELS]);
        part.labels.push(label);
    }
    Ok(Split { train, test })
}

fn empty_set() -> Dataset {
    Dataset {
        name: "digits".to_string(),
        inputs: PIXELS,
        classes: CLASSES,
        max_value: MAX_VALUE,
        pixels: Vec::new(),
        labels: Vec::new(),
    }
}

/// Parses the CSV text into pixels (image after image) and labels, checking every range.
fn parse_csv(text: &str) -> Result<(Vec<u8>, Vec<u8>), DataError> {
    let mut pixels = Vec::new();
    let mut labels = Vec::new();

    for (number, line) in text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
    {
        if line.is_empty() {
            continue;
        }

        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != PIXELS + 1 {
            return Err(DataError::Csv {
                line: number,
                message: format!(
                    "{} fields, expected {} (64 pixels and a label)",
                    fields.len(),
                    PIXELS + 1
                ),
            });
        }

        for (column, field) in fields.iter().enumerate() {
            let limit = if column < PIXELS {
                MAX_VALUE
            } else {
                CLASSES as u8 - 1
            };
            let value = field
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|&v| v <= limit)
                .ok_or_else(|| DataError::Csv {
                    line: number,
                    message: format!(
                        "field {} is `{field}`, expected an integer in 0..={limit}",
                        column + 1
                    ),
                })?;
            if column < PIXELS {
                pixels.push(value);
            } else {
                labels.push(value);
            }
        }
    }
    Ok((pixels, labels))
}

#[cfg(test)]
mod tests {
    use super::parse_csv;

    #[test]
    fn csv_rejects_short_line() {
        let error = parse_csv("1,2,3\n").unwrap_err().to_string();
        assert!(error.contains("line 1"), "{error}");
        assert!(error.contains("3 fields, expected 65"), "{error}");
    }

    #[test]
    fn csv_rejects_pixel_above_16() {
        let mut fields = vec!["0"; 65];
        fields[10] = "17";
        let error = parse_csv(&fields.join(",")).unwrap_err().to_string();
        assert!(error.contains("field 11 is `17`"), "{error}");
    }

    #[test]
    fn csv_rejects_label_above_9() {
        let mut fields = vec!["0"; 65];
        fields[64] = "10";
        let error = parse_csv(&fields.join(",")).unwrap_err().to_string();
        assert!(
            error.contains("field 65 is `10`, expected an integer in 0..=9"),
            "{error}"
        );
    }
}
