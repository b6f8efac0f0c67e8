//! Trains both float engines on a data set (the bundled digits by default)
//! and prints the test accuracy (rate inference and sampled inference with
//! T_inf samples) and the training time of every epoch.
//!
//! Usage: `cargo run --release -p sampleprop-reference --example digits [EPOCHS] [CONFIG] [DATA]`
//! with DATA one of digits, mnist, fashion (read from the repository's data/ folder).

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use sampleprop_config::Config;
use sampleprop_reference::{Engine, FloatTrainer};

fn main() {
    let mut args = std::env::args().skip(1);
    let epochs: usize = args
        .next()
        .map_or(20, |text| text.parse().expect("EPOCHS is a whole number"));
    let config = match args.next() {
        Some(path) => {
            Config::load(std::path::Path::new(&path)).unwrap_or_else(|error| panic!("{error}"))
        }
        None => Config::default(),
    };

    let data = args.next().unwrap_or_else(|| "digits".to_string());
    let data_root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let split =
        sampleprop_data::load_named(&data, &data_root).unwrap_or_else(|error| panic!("{error}"));
    let bits = config.widths.pixel;
    let train = split.train.quantized(bits);
    let test = split.test.quantized(bits);

    for engine in [Engine::Sampled, Engine::Exact] {
        let mut trainer = FloatTrainer::new(&config, engine);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(config.seeds.init);
        let mut order: Vec<usize> = (0..train.len()).collect();
        for epoch in 1..=epochs {
            order.shuffle(&mut rng);
            let started = Instant::now();
            for &index in &order {
                trainer.train_example(&train[index], usize::from(split.train.labels[index]));
            }
            let seconds = started.elapsed().as_secs_f64();

            let rate = trainer.accuracy(&test, &split.test.labels);
            let sampled_correct = test
                .iter()
                .zip(&split.test.labels)
                .filter(|(image, &label)| {
                    trainer.predict_sampled(image, config.samples.inference) == usize::from(label)
                })
                .count();
            let sampled = 100.0 * sampled_correct as f64 / test.len() as f64;
            println!(
                "{engine:?} epoch {epoch:>2}: test {rate:6.2} % rate, {sampled:6.2} % sampled, train epoch {:.1} ms",
                seconds * 1e3
            );
        }
    }
}
