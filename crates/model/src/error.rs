//! Errors of the model crate.

/// Error raised when the model is given a value it cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// An LFSR width, mask or seed breaks the register's rules.
    #[error("LFSR width {width}, mask {mask:#x}, seed {seed:#x} is invalid: {rule}; {fix}")]
    Lfsr {
        width: u32,
        mask: u32,
        seed: u32,
        rule: &'static str,
        fix: &'static str,
    },

    /// An example has the wrong number of pixels.
    #[error("example has {got} pixels but network.inputs = {expected}; pass exactly one pixel per input")]
    PixelCount { got: usize, expected: usize },

    /// A pixel does not fit in P bits.
    #[error("pixel {index} = {value} does not fit in widths.pixel = {bits} bits; quantize pixels to 0..={max}")]
    PixelRange {
        index: usize,
        value: u16,
        bits: u32,
        max: u32,
    },

    /// A label names no output neuron.
    #[error("label {label} is out of range for network.outputs = {outputs}; use a label below {outputs}")]
    Label { label: usize, outputs: usize },

    /// A weight set or checkpoint does not match the configuration.
    #[error("{what} has {got} values but the configuration needs {expected}; rebuild it from the same configuration")]
    Shape {
        what: &'static str,
        got: usize,
        expected: usize,
    },

    /// A weight does not fit in the configured weight width.
    #[error("{what}[{index}] = {value} does not fit in widths.weight = {bits} bits; clamp it to [{min}, {max}]")]
    WeightRange {
        what: &'static str,
        index: usize,
        value: i32,
        bits: u32,
        min: i64,
        max: i64,
    },

    /// The number of labels differs from the number of images.
    #[error("{images} images but {labels} labels; pass one label per image")]
    LabelCount { images: usize, labels: usize },
}
