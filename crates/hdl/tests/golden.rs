//! Generated output compared byte for byte with tests/golden/<name>/; SAMPLEPROP_BLESS=1 rewrites them.

mod common;

use std::path::Path;

use common::{config, files_for};

const SMALL: &str = "[network]\ninputs = 4\nhidden = 4\noutputs = 2\n[samples]\ntrain = 4\ninference = 2\n\
                     [hardware]\nlanes = 2\n";

fn check_golden(name: &str, toml: &str) {
    let files = files_for(&config(toml));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name);

    if std::env::var_os("SAMPLEPROP_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        sampleprop_hdl::write_files(&files, &dir).unwrap_or_else(|e| panic!("{e}"));
        return;
    }

    for file in &files {
        let path = dir.join(&file.name);
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("golden file {} is missing ({e}); run with SAMPLEPROP_BLESS=1 to create it", path.display())
        });
        assert!(
            expected == file.contents,
            "generated {} differs from {}; review the change and rerun with SAMPLEPROP_BLESS=1",
            file.name,
            path.display()
        );
    }
    let golden_count = std::fs::read_dir(&dir).expect("golden folder exists").count();
    assert_eq!(golden_count, files.len(), "golden folder {} has stale files", dir.display());
}

#[test]
fn golden_default() {
    check_golden("default", "");
}

#[test]
fn golden_small() {
    check_golden("small", SMALL);
}

#[test]
fn generation_is_deterministic() {
    let first = files_for(&config(SMALL));
    let second = files_for(&config(SMALL));
    assert_eq!(first, second);
}

#[test]
fn generated_files_open_with_header() {
    let cfg = config(SMALL);
    let marker = format!("from configuration {}; do not edit.", cfg.digest());
    for file in files_for(&cfg).iter().filter(|f| f.name.starts_with("sampleprop_") || f.name == "tb_core.v") {
        let lines: Vec<&str> = file.contents.lines().take(3).collect();
        assert!(lines[0].starts_with("// SPDX-License-Identifier:"), "{} lacks the SPDX line", file.name);
        assert!(lines[2].contains(&marker), "{} lacks the generator line", file.name);
    }
}

#[test]
fn files_list_in_compile_order() {
    let files = files_for(&config(SMALL));
    let list = &files.iter().find(|f| f.name == "files.f").expect("files.f exists").contents;
    let names: Vec<&str> = list.lines().collect();
    assert_eq!(names.last(), Some(&"sampleprop_core.v"));
    for name in &names {
        assert!(files.iter().any(|f| f.name == *name), "files.f names {name}, which is not generated");
    }
}

#[test]
fn memory_image_layout() {
    let cfg = config(SMALL);
    let w: Vec<i32> = (0..16).map(|x| x - 8).collect();
    let b = vec![1, -1, 2, -2];
    let v: Vec<i32> = (0..8).collect();
    let c = vec![3, -3];
    let image = sampleprop_hdl::MemoryImage { w: &w, b: &b, v: &v, c: &c };
    let files = sampleprop_hdl::generate(&cfg, &image).unwrap_or_else(|e| panic!("{e}"));
    let text = |name: &str| files.iter().find(|f| f.name == name).expect("image exists").contents.clone();

    // WMEM word i * B + j / L, lane j mod L at bits [l W +: W]: word 0 contains W_00 = -8, W_10 = -7.
    assert_eq!(text("wmem_init.hex").lines().next(), Some("f9f8"));
    assert_eq!(text("bmem_init.hex"), "ff01\nfe02\n");
    // VMEM word j contains V_0j in field 0 and V_1j in field 1.
    assert_eq!(text("vmem_init.hex").lines().next(), Some("0400"));
    assert_eq!(text("c_init.hex"), "03\nfd\n");
}

#[test]
fn image_out_of_range_rejected() {
    let cfg = config(SMALL);
    let w = vec![0; 16];
    let b = vec![0, 0, 0, 128];
    let v = vec![0; 8];
    let c = vec![0; 2];
    let image = sampleprop_hdl::MemoryImage { w: &w, b: &b, v: &v, c: &c };
    let error = sampleprop_hdl::generate(&cfg, &image).expect_err("128 does not fit 8 bits");
    assert!(error.to_string().contains("b[3] = 128"), "{error}");
}
