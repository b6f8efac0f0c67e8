//! The error type of the data crate: every message names the file, the
//! value found, the rule it broke and what to do.

/// Error raised while reading a data set. Each variant displays as one line.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A data file or folder does not exist.
    #[error("{path} not found; {fix}")]
    Missing { path: String, fix: String },

    /// A file exists but could not be read.
    #[error("cannot read {path}: {source}; check that the file is readable")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A file starts with the gzip magic bytes but does not decompress.
    #[error("{path}: gzip stream is invalid or cut short ({source}); fetch the file again")]
    Gzip {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// The IDX magic number does not match the expected file kind.
    #[error(
        "{path}: IDX magic number is 0x{found:08x}, expected 0x{expected:08x} for {kind}; \
         pass an IDX {kind} file ({hint})"
    )]
    Magic {
        path: String,
        found: u32,
        expected: u32,
        kind: &'static str,
        hint: &'static str,
    },

    /// The file size does not match the size its header announces.
    #[error(
        "{path}: {actual} bytes{gzip_note} but the IDX header ({shape}) requires {expected}; \
         the file is truncated or corrupt, fetch it again"
    )]
    Size {
        path: String,
        expected: u64,
        actual: u64,
        shape: String,
        gzip_note: &'static str,
    },

    /// An IDX image header announces images with no pixel.
    #[error("{path}: image size {rows}x{cols} is empty; pass an IDX image file with rows and columns above 0")]
    EmptyImage {
        path: String,
        rows: usize,
        cols: usize,
    },

    /// The image and label files hold different numbers of examples.
    #[error(
        "{images} contains {image_count} images but {labels} contains {label_count} labels; \
         each image needs exactly one label, pass the label file that belongs to the images"
    )]
    CountMismatch {
        images: String,
        image_count: usize,
        labels: String,
        label_count: usize,
    },

    /// A label is not below the class count.
    #[error(
        "{path}: label {label} of example {index} is outside 0..{classes}; \
         pass labels of a {classes}-class data set or raise the class count"
    )]
    LabelOutOfRange {
        path: String,
        index: usize,
        label: u8,
        classes: usize,
    },

    /// The training and test images have different sizes.
    #[error(
        "{train} contains {train_rows}x{train_cols} images but {test} contains {test_rows}x{test_cols}; \
         training and test files must come from the same data set"
    )]
    ShapeMismatch {
        train: String,
        train_rows: usize,
        train_cols: usize,
        test: String,
        test_rows: usize,
        test_cols: usize,
    },

    /// A line of the bundled digits CSV is malformed.
    #[error("bundled digits, line {line}: {message}; restore data/digits/digits.csv.gz from the repository")]
    Csv { line: usize, message: String },

    /// The bundled digits file is not the expected one.
    #[error(
        "bundled digits have sha256 {found}, expected {expected}; \
         restore data/digits/digits.csv.gz from the repository"
    )]
    Checksum { found: String, expected: String },

    /// The name passed to `load_named` is not a known data set.
    #[error("unknown data set `{name}`; use one of digits, mnist, fashion")]
    UnknownName { name: String },
}
