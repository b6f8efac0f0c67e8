//! Data sets for the learning core: the bundled 8x8 digits, IDX files
//! (MNIST, Fashion-MNIST) and the quantization of pixels to P bits.
//!
//! This crate only reads and converts images; it must not depend on the
//! model, the reference or any other sampleprop crate.

mod digits;
mod error;
mod idx;
mod order;

use std::path::Path;

pub use digits::{digits, DIGITS_SHA256};
pub use error::DataError;
pub use idx::{load_idx, load_idx_dir, read_idx_images, read_idx_labels};
pub use order::epoch_order;

/// Folder where the Debian package `dataset-fashion-mnist` installs its IDX files.
pub const FASHION_SYSTEM_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// Names accepted by [`load_named`].
pub const NAMES: [&str; 3] = ["digits", "mnist", "fashion"];

/// A labelled set of grey-scale images stored as raw pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// Data set name, such as `digits` or `mnist`.
    pub name: String,
    /// Pixels per image.
    pub inputs: usize,
    /// Number of classes. Every label is below it.
    pub classes: usize,
    /// Largest pixel value of the source format (16 for the digits, 255 for IDX).
    pub max_value: u8,
    /// Pixels, image after image: `len() * inputs` values.
    pub pixels: Vec<u8>,
    /// One label per image.
    pub labels: Vec<u8>,
}

impl Dataset {
    /// Returns the number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Returns true when the set contains no image.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Returns the pixels of image `index`. Panics if `index >= len()`.
    pub fn image(&self, index: usize) -> &[u8] {
        &self.pixels[index * self.inputs..(index + 1) * self.inputs]
    }

    /// Quantizes every image to `bits`-bit pixels with [`quantize_pixel`].
    pub fn quantized(&self, bits: u32) -> Vec<Vec<u16>> {
        (0..self.len())
            .map(|index| {
                self.image(index)
                    .iter()
                    .map(|&value| quantize_pixel(value, self.max_value, bits))
                    .collect()
            })
            .collect()
    }
}

/// Maps a pixel in 0..=max_value to 0..=2^bits - 1, rounding to nearest.
///
/// The rule is `(value * (2^bits - 1) + max_value / 2) / max_value` in integer
/// arithmetic, so 0 maps to 0 and `max_value` to `2^bits - 1`. A value above
/// `max_value` saturates at `2^bits - 1`; `max_value = 0` maps everything to 0.
/// `bits` must be at most 16.
pub fn quantize_pixel(value: u8, max_value: u8, bits: u32) -> u16 {
    debug_assert!(bits <= 16, "pixel width {bits} exceeds 16 bits");
    if max_value == 0 {
        return 0;
    }

    let top = (1u64 << bits.min(16)) - 1;
    let value = u64::from(value.min(max_value));
    let max = u64::from(max_value);
    ((value * top + max / 2) / max) as u16
}

/// A training set and a test set of the same kind of image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
}

/// Loads a data set by name: `digits` (bundled), `mnist` or `fashion`.
///
/// MNIST is read from `data_root/mnist`. Fashion-MNIST is read from
/// `data_root/fashion` when that folder exists, otherwise from
/// [`FASHION_SYSTEM_DIR`].
pub fn load_named(name: &str, data_root: &Path) -> Result<Split, DataError> {
    match name {
        "digits" => digits(),
        "mnist" => load_idx_dir(&data_root.join("mnist"), "mnist"),
        "fashion" => {
            let local = data_root.join("fashion");
            if local.is_dir() {
                load_idx_dir(&local, "fashion")
            } else if Path::new(FASHION_SYSTEM_DIR).is_dir() {
                load_idx_dir(Path::new(FASHION_SYSTEM_DIR), "fashion")
            } else {
                // Report the project folder, the place `make data` fills.
                load_idx_dir(&local, "fashion")
            }
        }
        other => Err(DataError::UnknownName {
            name: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests;
