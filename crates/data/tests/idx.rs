//! IDX reading on files written into a temporary folder: good files, plain
//! and gzip, every file name variant, and one bad file per error.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use sampleprop_data::{
    load_idx, load_idx_dir, load_named, read_idx_images, read_idx_labels, DataError,
};

fn images_bytes(count: u32, rows: u32, cols: u32) -> Vec<u8> {
    let mut bytes = vec![0, 0, 8, 3];
    for dim in [count, rows, cols] {
        bytes.extend_from_slice(&dim.to_be_bytes());
    }
    bytes.extend((0..count * rows * cols).map(|i| (i * 7 % 256) as u8));
    bytes
}

fn labels_bytes(labels: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 8, 1];
    bytes.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    bytes.extend_from_slice(labels);
    bytes
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn labels_0_to(count: usize) -> Vec<u8> {
    (0..count).map(|i| (i % 10) as u8).collect()
}

#[test]
fn reads_plain_images() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "img", &images_bytes(3, 2, 4));
    let (count, rows, cols, pixels) = read_idx_images(&path).unwrap();
    assert_eq!((count, rows, cols), (3, 2, 4));
    assert_eq!(pixels.len(), 24);
    assert_eq!(pixels[5], 35);
}

#[test]
fn reads_gzip_same_as_plain() {
    let dir = tempfile::tempdir().unwrap();
    let plain = write(dir.path(), "img", &images_bytes(5, 3, 3));
    let packed = write(dir.path(), "img.gz", &gzip(&images_bytes(5, 3, 3)));
    assert_eq!(
        read_idx_images(&plain).unwrap(),
        read_idx_images(&packed).unwrap()
    );

    let labels = write(dir.path(), "lab.gz", &gzip(&labels_bytes(&[1, 2, 3])));
    assert_eq!(read_idx_labels(&labels).unwrap(), vec![1, 2, 3]);
}

#[test]
fn load_idx_builds_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let images = write(dir.path(), "img", &images_bytes(4, 2, 2));
    let labels = write(dir.path(), "lab", &labels_bytes(&[3, 0, 2, 1]));
    let set = load_idx(&images, &labels, 4, "tiny").unwrap();
    assert_eq!(set.name, "tiny");
    assert_eq!(set.len(), 4);
    assert_eq!(set.inputs, 4);
    assert_eq!(set.max_value, 255);
    assert_eq!(set.image(1), &[28, 35, 42, 49]);
    assert_eq!(set.labels, vec![3, 0, 2, 1]);
}

#[test]
fn dir_accepts_every_name_variant() {
    let variants: [(&str, bool); 4] = [
        ("-idx", false),
        (".idx", false),
        ("-idx", true),
        (".idx", true),
    ];
    for (separator, packed) in variants {
        let dir = tempfile::tempdir().unwrap();
        let suffix = if packed { ".gz" } else { "" };
        let encode = |bytes: Vec<u8>| if packed { gzip(&bytes) } else { bytes };
        write(
            dir.path(),
            &format!("train-images{separator}3-ubyte{suffix}"),
            &encode(images_bytes(20, 28, 28)),
        );
        write(
            dir.path(),
            &format!("train-labels{separator}1-ubyte{suffix}"),
            &encode(labels_bytes(&labels_0_to(20))),
        );
        write(
            dir.path(),
            &format!("t10k-images{separator}3-ubyte{suffix}"),
            &encode(images_bytes(10, 28, 28)),
        );
        write(
            dir.path(),
            &format!("t10k-labels{separator}1-ubyte{suffix}"),
            &encode(labels_bytes(&labels_0_to(10))),
        );

        let split = load_idx_dir(dir.path(), "mnist").unwrap();
        assert_eq!(split.train.len(), 20, "{separator} {suffix}");
        assert_eq!(split.test.len(), 10, "{separator} {suffix}");
        assert_eq!(split.train.inputs, 784);
        assert_eq!(split.test.labels, labels_0_to(10));
    }
}

#[test]
fn load_named_reads_mnist_folder() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("mnist");
    std::fs::create_dir(&dir).unwrap();
    write(&dir, "train-images-idx3-ubyte", &images_bytes(6, 28, 28));
    write(
        &dir,
        "train-labels-idx1-ubyte",
        &labels_bytes(&labels_0_to(6)),
    );
    write(&dir, "t10k-images-idx3-ubyte", &images_bytes(2, 28, 28));
    write(
        &dir,
        "t10k-labels-idx1-ubyte",
        &labels_bytes(&labels_0_to(2)),
    );
    let split = load_named("mnist", root.path()).unwrap();
    assert_eq!((split.train.len(), split.test.len()), (6, 2));
    assert_eq!(split.train.name, "mnist");
}

#[test]
fn wrong_magic_names_found_and_expected() {
    let dir = tempfile::tempdir().unwrap();
    // A label file passed where images are expected.
    let path = write(dir.path(), "labels-as-images", &labels_bytes(&[1, 2]));
    let error = read_idx_images(&path).unwrap_err();
    assert!(
        matches!(
            error,
            DataError::Magic {
                found: 0x801,
                expected: 0x803,
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("0x00000801"), "{message}");
    assert!(message.contains("expected 0x00000803"), "{message}");
    assert!(message.contains("labels-as-images"), "{message}");
}

#[test]
fn wrong_magic_on_text_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "page.html", b"<html>not found</html>");
    let message = read_idx_labels(&path).unwrap_err().to_string();
    assert!(message.contains("0x3c68746d"), "{message}");
    assert!(message.contains("expected 0x00000801"), "{message}");
}

#[test]
fn truncated_by_one_byte_names_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = images_bytes(3, 4, 4);
    let full = bytes.len();
    bytes.pop();
    let path = write(dir.path(), "cut", &bytes);
    let error = read_idx_images(&path).unwrap_err();
    let DataError::Size {
        expected, actual, ..
    } = &error
    else {
        panic!("expected a size error, got {error:?}");
    };
    assert_eq!(*expected, full as u64);
    assert_eq!(*actual, full as u64 - 1);
    let message = error.to_string();
    assert!(
        message.contains(&format!("{} bytes", full - 1)),
        "{message}"
    );
    assert!(message.contains(&format!("requires {full}")), "{message}");
    assert!(message.contains("3x4x4"), "{message}");
}

#[test]
fn truncated_gzip_content_names_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = labels_bytes(&[1, 2, 3]);
    bytes.pop();
    let path = write(dir.path(), "cut.gz", &gzip(&bytes));
    let message = read_idx_labels(&path).unwrap_err().to_string();
    assert!(
        message.contains("10 bytes after gzip decompression"),
        "{message}"
    );
    assert!(message.contains("requires 11"), "{message}");
}

#[test]
fn cut_gzip_stream_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut packed = gzip(&images_bytes(4, 8, 8));
    packed.truncate(packed.len() / 2);
    let path = write(dir.path(), "cut-stream.gz", &packed);
    let error = read_idx_images(&path).unwrap_err();
    assert!(matches!(error, DataError::Gzip { .. }), "{error:?}");
    assert!(error.to_string().contains("fetch the file again"));
}

#[test]
fn header_shorter_than_dimensions() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "stub", &[0, 0, 8, 3, 0, 0]);
    let message = read_idx_images(&path).unwrap_err().to_string();
    assert!(message.contains("6 bytes"), "{message}");
    assert!(message.contains("requires 16"), "{message}");
}

#[test]
fn huge_header_does_not_allocate() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0, 0, 8, 3];
    for dim in [u32::MAX, u32::MAX, u32::MAX] {
        bytes.extend_from_slice(&dim.to_be_bytes());
    }
    let path = write(dir.path(), "huge", &bytes);
    let error = read_idx_images(&path).unwrap_err();
    assert!(matches!(error, DataError::Size { .. }), "{error:?}");
}

#[test]
fn empty_image_size_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "flat", &images_bytes(5, 0, 28));
    let message = read_idx_images(&path).unwrap_err().to_string();
    assert!(message.contains("image size 0x28 is empty"), "{message}");
}

#[test]
fn ten_labels_for_eleven_images() {
    let dir = tempfile::tempdir().unwrap();
    let images = write(dir.path(), "img", &images_bytes(11, 2, 2));
    let labels = write(dir.path(), "lab", &labels_bytes(&labels_0_to(10)));
    let error = load_idx(&images, &labels, 10, "x").unwrap_err();
    assert!(
        matches!(
            error,
            DataError::CountMismatch {
                image_count: 11,
                label_count: 10,
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("contains 11 images"), "{message}");
    assert!(message.contains("contains 10 labels"), "{message}");
}

#[test]
fn label_outside_class_count() {
    let dir = tempfile::tempdir().unwrap();
    let images = write(dir.path(), "img", &images_bytes(3, 2, 2));
    let labels = write(dir.path(), "lab", &labels_bytes(&[0, 10, 1]));
    let error = load_idx(&images, &labels, 10, "x").unwrap_err();
    assert!(
        matches!(
            error,
            DataError::LabelOutOfRange {
                index: 1,
                label: 10,
                classes: 10,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("label 10 of example 1 is outside 0..10"));
}

#[test]
fn label_out_of_range_in_dir() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "train-images-idx3-ubyte",
        &images_bytes(2, 2, 2),
    );
    write(
        dir.path(),
        "train-labels-idx1-ubyte",
        &labels_bytes(&[0, 1]),
    );
    write(dir.path(), "t10k-images-idx3-ubyte", &images_bytes(2, 2, 2));
    write(
        dir.path(),
        "t10k-labels-idx1-ubyte",
        &labels_bytes(&[0, 200]),
    );
    let error = load_idx_dir(dir.path(), "x").unwrap_err();
    assert!(
        matches!(error, DataError::LabelOutOfRange { label: 200, .. }),
        "{error:?}"
    );
}

#[test]
fn missing_file_names_path_and_fetch() {
    let root = tempfile::tempdir().unwrap();
    let error = load_named("mnist", root.path()).unwrap_err();
    assert!(matches!(error, DataError::Missing { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("mnist/train-images-idx3-ubyte not found"),
        "{message}"
    );
    assert!(message.contains("does not exist"), "{message}");

    // make data fills data/mnist only, so a folder elsewhere gets a fetch into that folder.
    let folder = root.path().join("mnist");
    assert!(!message.contains("make data"), "{message}");
    assert!(
        message.contains(&format!("sampleprop data fetch mnist --dest {}", folder.display())),
        "{message}"
    );
}

#[test]
fn missing_one_of_four_files() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "train-images-idx3-ubyte",
        &images_bytes(2, 2, 2),
    );
    write(
        dir.path(),
        "train-labels-idx1-ubyte",
        &labels_bytes(&[0, 1]),
    );
    write(dir.path(), "t10k-images-idx3-ubyte", &images_bytes(2, 2, 2));
    let message = load_idx_dir(dir.path(), "fashion").unwrap_err().to_string();
    assert!(
        message.contains("t10k-labels-idx1-ubyte not found"),
        "{message}"
    );
    let fetch = format!("sampleprop data fetch fashion --dest {}", dir.path().display());
    assert!(message.contains(&fetch), "{message}");
}

#[test]
fn missing_single_file() {
    let dir = tempfile::tempdir().unwrap();
    let labels = write(dir.path(), "lab", &labels_bytes(&[0]));
    let message = load_idx(&dir.path().join("absent"), &labels, 10, "x")
        .unwrap_err()
        .to_string();
    assert!(message.contains("absent not found"), "{message}");
}

#[test]
fn train_test_shape_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "train-images-idx3-ubyte",
        &images_bytes(2, 28, 28),
    );
    write(
        dir.path(),
        "train-labels-idx1-ubyte",
        &labels_bytes(&[0, 1]),
    );
    write(dir.path(), "t10k-images-idx3-ubyte", &images_bytes(2, 8, 8));
    write(dir.path(), "t10k-labels-idx1-ubyte", &labels_bytes(&[0, 1]));
    let message = load_idx_dir(dir.path(), "x").unwrap_err().to_string();
    assert!(message.contains("28x28 images"), "{message}");
    assert!(message.contains("8x8"), "{message}");
}

#[test]
fn errors_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad", b"xx");
    let message = read_idx_images(&path).unwrap_err().to_string();
    assert!(!message.contains('\n'), "{message}");
}
