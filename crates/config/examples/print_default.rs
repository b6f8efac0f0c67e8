//! Prints the built-in configuration as canonical TOML.

fn main() {
    print!("{}", sampleprop_config::Config::default().to_toml());
}
