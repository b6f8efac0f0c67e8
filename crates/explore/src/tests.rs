use super::*;

fn grid(text: &str) -> Result<Grid, ExploreError> {
    Grid::from_toml_str(text, "grid.toml")
}

#[test]
fn grid_axes_sorted_seed_last() {
    let g = grid("\"seeds.init\" = [1, 2]\n\"widths.weight\" = [4, 6]\nsamples.train = [8]\n").unwrap();
    let keys: Vec<&str> = g.axes.iter().map(|a| a.key.as_str()).collect();

    assert_eq!(keys, ["samples.train", "widths.weight", "seeds.init"]);
    assert_eq!(g.run, RunSettings::default());
}

#[test]
fn grid_unknown_key_lists_valid_keys() {
    let error = grid("\"widths.weigth\" = [4, 6]").unwrap_err().to_string();

    assert!(error.starts_with("grid.toml: unknown configuration key \"widths.weigth\""), "{error}");
    assert!(error.contains("widths.weight,"), "{error}");
    assert!(error.contains("lfsr.rounding.seed"), "{error}");
}

#[test]
fn grid_unknown_run_key_rejected() {
    let error = grid("\"widths.weight\" = [4]\n[run]\nepoch = 2\n").unwrap_err().to_string();

    assert!(error.contains("run.epoch: unknown run setting"), "{error}");
    assert!(error.contains("epochs"), "{error}");
}

#[test]
fn grid_empty_rejected() {
    let no_axis = grid("[run]\nepochs = 2\n").unwrap_err().to_string();
    let empty_axis = grid("\"samples.train\" = []").unwrap_err().to_string();

    assert!(no_axis.contains("the grid has no axis"), "{no_axis}");
    assert!(empty_axis.contains("\"samples.train\" = [] has no values"), "{empty_axis}");
}

#[test]
fn grid_repeated_value_rejected() {
    let error = grid("\"samples.train\" = [8, 8]").unwrap_err().to_string();

    assert!(error.contains("lists 8 twice"), "{error}");
}

#[test]
fn grid_float_value_rejected() {
    let error = grid("\"samples.train\" = [8.5]").unwrap_err().to_string();

    assert!(error.contains("not an integer, string or boolean"), "{error}");
}

#[test]
fn point_out_of_range_names_point() {
    let g = grid("\"samples.train\" = [8, 24]\n\"seeds.init\" = [1, 2]\n").unwrap();
    let error = Plan::new(&g, &BaseConfig::defaults()).unwrap_err().to_string();

    assert!(error.starts_with("grid.toml, point 2 (samples.train=24 seeds.init=1): samples.train = 24 is invalid"), "{error}");
    assert!(error.contains("power of two"), "{error}");
}

#[test]
fn point_keeps_derived_defaults() {
    // The base does not pin widths.counter, so T = 64 gets a wide enough counter.
    let g = grid("\"samples.train\" = [4, 64]\n[run]\nreferences = false\n").unwrap();
    let plan = Plan::new(&g, &BaseConfig::defaults()).unwrap();

    assert_eq!(plan.jobs.len(), 2);
    assert_eq!(plan.jobs[1].config.samples.train, 64);
    assert_eq!(plan.jobs[1].config.widths.counter, 7);
}

#[test]
fn plan_enumerates_last_axis_fastest() {
    let g = grid("\"widths.weight\" = [6, 8]\n\"samples.train\" = [4, 8, 16]\n\"seeds.init\" = [3, 4]\n[run]\nreferences = false\n")
        .unwrap();
    let plan = Plan::new(&g, &BaseConfig::defaults()).unwrap();
    let keys: Vec<&str> = plan.jobs.iter().map(|j| j.key.as_str()).collect();

    assert_eq!(keys.len(), 12);
    assert_eq!(keys[0], "samples.train=4 widths.weight=6 seeds.init=3");
    assert_eq!(keys[1], "samples.train=4 widths.weight=6 seeds.init=4");
    assert_eq!(keys[2], "samples.train=4 widths.weight=8 seeds.init=3");
    assert_eq!(keys[11], "samples.train=16 widths.weight=8 seeds.init=4");
    assert_eq!(plan.jobs[1].group, "samples.train=4 widths.weight=6");
    assert_eq!(plan.jobs[1].config.seeds.init, 4);
    assert_eq!(plan.jobs[11].config.widths.weight, 8);
}

#[test]
fn grid_digest_follows_content() {
    let a = grid("\"samples.train\" = [4, 8]").unwrap();
    let b = grid("samples.train = [4, 8]").unwrap();
    let c = grid("\"samples.train\" = [4, 16]").unwrap();

    assert_eq!(a.digest(), b.digest());
    assert_ne!(a.digest(), c.digest());
}

#[test]
fn shard_specs_parse_and_reject() {
    assert_eq!(Shard::parse("2/3").unwrap(), Shard { index: 2, count: 3 });
    for (spec, expected) in [
        ("3/2", "shards are numbered from 1 to n = 2"),
        ("0/2", "shards are numbered from 1 to n = 2"),
        ("1/0", "the shard count n must be at least 1"),
        ("2", "a shard is written i/n"),
        ("a/2", "\"a\" is not a whole number"),
    ] {
        let error = Shard::parse(spec).unwrap_err().to_string();
        assert!(error.starts_with(&format!("invalid shard \"{spec}\": {expected}")), "{error}");
    }
}

#[test]
fn shards_partition_indices() {
    let shards: Vec<Shard> = (1..=3).map(|i| Shard { index: i, count: 3 }).collect();

    for index in 0..30 {
        assert_eq!(shards.iter().filter(|s| s.contains(index)).count(), 1);
    }
    assert!(shards[0].contains(0));
    assert!(shards[1].contains(4));
    assert!(shards[2].contains(8));
}

#[test]
fn stats_of_two_values() {
    let stats = Stats::of(&[0.5, 0.7]);

    assert!((stats.mean - 0.6).abs() < 1e-12);
    assert!((stats.std_dev - 0.02f64.sqrt()).abs() < 1e-12);
    assert_eq!((stats.min, stats.max), (0.5, 0.7));
    assert_eq!(Stats::of(&[0.3]).std_dev, 0.0);
}

#[test]
fn pareto_front_keeps_undominated() {
    let points = [(100.0, 0.5), (200.0, 0.7), (150.0, 0.4), (300.0, 0.7), (50.0, 0.5)];

    assert_eq!(pareto_front(&points), vec![4, 1]);
}
