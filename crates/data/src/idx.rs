//! Readers for IDX files, the format of MNIST and Fashion-MNIST: a big-endian
//! header (magic number, then one u32 per dimension) followed by unsigned bytes.
//! Files may be plain or gzip-compressed; gzip is detected by its magic bytes.

use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::{DataError, Dataset, Split};

/// Magic number of an IDX file of unsigned bytes with three dimensions (images).
const IMAGES_MAGIC: u32 = 0x0000_0803;

/// Magic number of an IDX file of unsigned bytes with one dimension (labels).
const LABELS_MAGIC: u32 = 0x0000_0801;

/// Classes of MNIST and Fashion-MNIST.
const IDX_CLASSES: usize = 10;

/// The decompressed bytes of a file and whether it was gzip.
struct Contents {
    bytes: Vec<u8>,
    gzip: bool,
}

/// Reads a file whole, decompressing it when it starts with the gzip magic bytes 1f 8b.
fn read_contents(path: &Path, fix: &str) -> Result<Contents, DataError> {
    let raw = std::fs::read(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            DataError::Missing {
                path: path.display().to_string(),
                fix: fix.to_string(),
            }
        } else {
            DataError::Io {
                path: path.display().to_string(),
                source,
            }
        }
    })?;

    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut bytes = Vec::new();
        MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut bytes)
            .map_err(|source| DataError::Gzip {
                path: path.display().to_string(),
                source,
            })?;
        Ok(Contents { bytes, gzip: true })
    } else {
        Ok(Contents {
            bytes: raw,
            gzip: false,
        })
    }
}

/// Checks the magic number and the size, and returns the dimensions and the data bytes.
fn parse_idx<'a>(
    path: &Path,
    contents: &'a Contents,
    expected_magic: u32,
    kind: &'static str,
    hint: &'static str,
) -> Result<(Vec<usize>, &'a [u8]), DataError> {
    let bytes = &contents.bytes;
    let dimensions = (expected_magic & 0xff) as usize;
    let header_len = 4 * (1 + dimensions);
    let gzip_note = if contents.gzip {
        " after gzip decompression"
    } else {
        ""
    };

    let size_error = |expected: u64, shape: String| DataError::Size {
        path: path.display().to_string(),
        expected,
        actual: bytes.len() as u64,
        shape,
        gzip_note,
    };

    if bytes.len() < 4 {
        return Err(size_error(header_len as u64, "magic number".to_string()));
    }
    let word =
        |index: usize| u32::from_be_bytes(bytes[4 * index..4 * index + 4].try_into().unwrap());
    let magic = word(0);
    if magic != expected_magic {
        return Err(DataError::Magic {
            path: path.display().to_string(),
            found: magic,
            expected: expected_magic,
            kind,
            hint,
        });
    }
    if bytes.len() < header_len {
        return Err(size_error(
            header_len as u64,
            format!("{dimensions} dimensions"),
        ));
    }

    let dims: Vec<usize> = (1..=dimensions).map(|index| word(index) as usize).collect();
    let shape = dims
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("x");
    let expected = dims
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
        .and_then(|data| data.checked_add(header_len as u64))
        .unwrap_or(u64::MAX);
    if bytes.len() as u64 != expected {
        return Err(size_error(expected, shape));
    }

    Ok((dims, &bytes[header_len..]))
}

/// Reads an IDX image file (magic 0x00000803), plain or gzip.
///
/// Returns the image count, the rows, the columns and the pixels, image after image.
pub fn read_idx_images(path: &Path) -> Result<(usize, usize, usize, Vec<u8>), DataError> {
    let contents = read_contents(path, GENERIC_FIX)?;
    let (dims, data) = parse_idx(
        path,
        &contents,
        IMAGES_MAGIC,
        "images",
        "such as train-images-idx3-ubyte",
    )?;
    let (count, rows, cols) = (dims[0], dims[1], dims[2]);
    if rows == 0 || cols == 0 {
        return Err(DataError::EmptyImage {
            path: path.display().to_string(),
            rows,
            cols,
        });
    }
    Ok((count, rows, cols, data.to_vec()))
}

/// Reads an IDX label file (magic 0x00000801), plain or gzip.
pub fn read_idx_labels(path: &Path) -> Result<Vec<u8>, DataError> {
    let contents = read_contents(path, GENERIC_FIX)?;
    let (_, data) = parse_idx(
        path,
        &contents,
        LABELS_MAGIC,
        "labels",
        "such as train-labels-idx1-ubyte",
    )?;
    Ok(data.to_vec())
}

const GENERIC_FIX: &str = "pass the path of an existing IDX file (plain or .gz)";

/// Reads an image file and its label file into one data set with `classes` classes.
pub fn load_idx(
    images: &Path,
    labels: &Path,
    classes: usize,
    name: &str,
) -> Result<Dataset, DataError> {
    let (count, rows, cols, pixels) = read_idx_images(images)?;
    let label_values = read_idx_labels(labels)?;
    check_labels(images, count, labels, &label_values, classes)?;
    Ok(Dataset {
        name: name.to_string(),
        inputs: rows * cols,
        classes,
        max_value: u8::MAX,
        pixels,
        labels: label_values,
    })
}

fn check_labels(
    images: &Path,
    count: usize,
    labels: &Path,
    values: &[u8],
    classes: usize,
) -> Result<(), DataError> {
    if values.len() != count {
        return Err(DataError::CountMismatch {
            images: images.display().to_string(),
            image_count: count,
            labels: labels.display().to_string(),
            label_count: values.len(),
        });
    }
    if let Some((index, &label)) = values
        .iter()
        .enumerate()
        .find(|(_, &label)| usize::from(label) >= classes)
    {
        return Err(DataError::LabelOutOfRange {
            path: labels.display().to_string(),
            index,
            label,
            classes,
        });
    }
    Ok(())
}

/// Returns the command that fetches the data set `name` into `dir`, for error messages.
///
/// `make data` fills only `data/NAME` of the project, so only that folder gets it as advice.
/// Any other folder gets the fetch command with `--dest`.
fn fetch_hint(name: &str, dir: &Path) -> String {
    let default_dir = Path::new("data").join(name);
    let fetch = if dir == default_dir {
        format!("run `make data` or `sampleprop data fetch {name}`")
    } else {
        format!("run `sampleprop data fetch {name} --dest {}`", dir.display())
    };
    match name {
        "mnist" => fetch,
        "fashion" => format!("{fetch} (Debian: apt-get install dataset-fashion-mnist)"),
        _ => "put the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, \
              t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz) in that folder"
            .to_string(),
    }
}

/// Finds `{prefix}-{kind}-idx{n}-ubyte` or `{prefix}-{kind}.idx{n}-ubyte`, each plain or `.gz`.
fn find_file(
    dir: &Path,
    prefix: &str,
    kind: &str,
    rank: u32,
    name: &str,
) -> Result<PathBuf, DataError> {
    let candidates = [
        format!("{prefix}-{kind}-idx{rank}-ubyte"),
        format!("{prefix}-{kind}.idx{rank}-ubyte"),
        format!("{prefix}-{kind}-idx{rank}-ubyte.gz"),
        format!("{prefix}-{kind}.idx{rank}-ubyte.gz"),
    ];
    for candidate in &candidates {
        let path = dir.join(candidate);
        if path.is_file() {
            return Ok(path);
        }
    }

    let path = dir.join(&candidates[0]);
    let fix = if dir.is_dir() {
        format!(
            "no variant of it (.idx, .gz) is in {}; {}",
            dir.display(),
            fetch_hint(name, dir)
        )
    } else {
        format!(
            "folder {} does not exist; {}",
            dir.display(),
            fetch_hint(name, dir)
        )
    };
    Err(DataError::Missing {
        path: path.display().to_string(),
        fix,
    })
}

/// Loads the four IDX files of a 10-class data set from `dir`.
///
/// Accepts the names `train-images-idx3-ubyte` and `train-images.idx3-ubyte`
/// (and likewise for labels and the `t10k-` test files), each plain or `.gz`.
pub fn load_idx_dir(dir: &Path, name: &str) -> Result<Split, DataError> {
    let train_images = find_file(dir, "train", "images", 3, name)?;
    let train_labels = find_file(dir, "train", "labels", 1, name)?;
    let test_images = find_file(dir, "t10k", "images", 3, name)?;
    let test_labels = find_file(dir, "t10k", "labels", 1, name)?;

    let (train_count, train_rows, train_cols, train_pixels) = read_idx_images(&train_images)?;
    let (test_count, test_rows, test_cols, test_pixels) = read_idx_images(&test_images)?;
    if (train_rows, train_cols) != (test_rows, test_cols) {
        return Err(DataError::ShapeMismatch {
            train: train_images.display().to_string(),
            train_rows,
            train_cols,
            test: test_images.display().to_string(),
            test_rows,
            test_cols,
        });
    }

    let train_label_values = read_idx_labels(&train_labels)?;
    check_labels(
        &train_images,
        train_count,
        &train_labels,
        &train_label_values,
        IDX_CLASSES,
    )?;
    let test_label_values = read_idx_labels(&test_labels)?;
    check_labels(
        &test_images,
        test_count,
        &test_labels,
        &test_label_values,
        IDX_CLASSES,
    )?;

    let dataset = |pixels, labels| Dataset {
        name: name.to_string(),
        inputs: train_rows * train_cols,
        classes: IDX_CLASSES,
        max_value: u8::MAX,
        pixels,
        labels,
    };
    Ok(Split {
        train: dataset(train_pixels, train_label_values),
        test: dataset(test_pixels, test_label_values),
    })
}
