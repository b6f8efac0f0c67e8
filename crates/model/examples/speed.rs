//! Measures training and inference speed of the model on the bundled 8x8 digits, at the
//! default configuration and at 784-128-10 with T = 16 (digits upscaled to 28x28).
//!
//! Run with `cargo run --release -p sampleprop-model --example speed [default|large]`.

use std::time::Instant;

use sampleprop_config::Config;
use sampleprop_model::{evaluate, Core};

/// Upscales an 8x8 image to 28x28 by nearest neighbour.
fn upscale(image: &[u16]) -> Vec<u16> {
    (0..28 * 28)
        .map(|p| image[(p / 28) * 8 / 28 * 8 + (p % 28) * 8 / 28])
        .collect()
}

/// Returns the CPU time of the calling thread in seconds, read from Linux's
/// `/proc/thread-self/schedstat`, or `None` where that file is missing.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds as f64 * 1e-9)
}

/// Trains one pass from the initial weights and returns the core, the wall-clock and CPU
/// seconds taken, and the input spikes and cycles summed over the pass.
fn train_pass(config: &Config, images: &[Vec<u16>], labels: &[u8]) -> (Core, f64, f64, u64, u64) {
    let mut core = Core::new(config);
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    let mut spikes = 0;
    let mut cycles = 0;
    for (image, &label) in images.iter().zip(labels) {
        let result = core.train_example(image, label as usize);
        spikes += result.input_spikes;
        cycles += result.cycles;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, thread_cpu_seconds()) {
        (Some(begin), Some(end)) => end - begin,
        _ => f64::NAN,
    };
    (core, wall, cpu, spikes, cycles)
}

/// Prints training and evaluation speed; each figure is the best of three runs, because other
/// processes on the machine slow single runs down.
fn measure(name: &str, config: &Config, images: &[Vec<u16>], labels: &[u8]) {
    let (core, mut train, mut cpu, spikes, cycles) = train_pass(config, images, labels);
    for _ in 0..2 {
        let (_, wall, cpu_again, _, _) = train_pass(config, images, labels);
        train = train.min(wall);
        cpu = cpu.min(cpu_again);
    }
    let n = images.len() as f64;
    println!(
        "{name}: train {:.0} examples/s wall-clock, {:.0} per CPU second ({:.1} us/example, \
         {:.0} input spikes and {:.0} cycles per example)",
        n / train,
        n / cpu,
        1e6 * train / n,
        spikes as f64 / n,
        cycles as f64 / n
    );

    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut seconds = f64::INFINITY;
        let mut accuracy = 0.0;
        for _ in 0..3 {
            let start = Instant::now();
            let result = pool
                .install(|| evaluate(config, core.weights(), images, labels))
                .unwrap();
            seconds = seconds.min(start.elapsed().as_secs_f64());
            accuracy = result.accuracy();
        }
        println!(
            "{name}: evaluate on {threads} thread(s) {:.0} examples/s, accuracy after one pass {:.3}",
            n / seconds,
            accuracy
        );
    }
}

fn main() {
    // An optional argument, `default` or `large`, runs only that configuration.
    let only = std::env::args().nth(1);
    let run = |name: &str| only.as_deref().is_none_or(|o| o == name);

    let digits = sampleprop_data::digits().expect("the bundled digits load");
    let data = &digits.train;
    let images: Vec<Vec<u16>> = data.quantized(8);
    let labels = data.labels.clone();

    if run("default") {
        let config = Config::default();
        measure("default 64-64-10 T=16", &config, &images, &labels);
    }

    if run("large") {
        let mnist_like = Config::from_toml_str(
            "[network]\ninputs = 784\nhidden = 128\noutputs = 10\n[samples]\ntrain = 16\ninference = 16\n",
            "speed",
        )
        .expect("the 784-128-10 configuration is valid");
        let large: Vec<Vec<u16>> = images.iter().map(|image| upscale(image)).collect();
        measure(
            "784-128-10 T=16 (digits upscaled)",
            &mnist_like,
            &large,
            &labels,
        );
    }
}
