//! The JUnit XML report parsed back with an XML parser and checked against the
//! structure CI reporters expect (the common JUnit schema: testsuites, testsuite,
//! testcase with time, failure and error elements, and consistent counts).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use sampleprop_regress::{junit_xml, summary_line, write_junit, CaseResult, Outcome};

/// One element of the parsed document.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: HashMap<String, String>,
    children: Vec<Element>,
    text: String,
}

fn element(start: &BytesStart) -> Element {
    let name = String::from_utf8(start.name().as_ref().to_vec()).unwrap();
    let attributes = start
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
            (key, a.unescape_value().expect("valid escapes").into_owned())
        })
        .collect();
    Element { name, attributes, ..Element::default() }
}

/// Parses `xml` into its root element; panics on any syntax error.
fn parse(xml: &str) -> Element {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("invalid XML at {}: {e}", reader.buffer_position())) {
            Event::Start(start) => stack.push(element(&start)),
            Event::Empty(start) => stack.last_mut().unwrap().children.push(element(&start)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().expect("balanced elements").children.push(done);
            }
            Event::Text(text) => stack.last_mut().unwrap().text.push_str(&text.decode().unwrap()),
            Event::GeneralRef(reference) => {
                let name = reference.decode().unwrap();
                let character = match name.as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity &{other};"),
                };
                stack.last_mut().unwrap().text.push_str(character);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

fn count(element: &Element, key: &str) -> usize {
    element.attributes.get(key).unwrap_or_else(|| panic!("<{}> lacks {key}", element.name)).parse().unwrap()
}

fn seconds(element: &Element) -> f64 {
    element.attributes.get("time").unwrap_or_else(|| panic!("<{}> lacks time", element.name)).parse().unwrap()
}

fn result(name: &str, millis: u64, outcome: Outcome) -> CaseResult {
    CaseResult {
        name: name.to_string(),
        outcome,
        time: Duration::from_millis(millis),
        detail: String::new(),
        rerun: format!("sampleprop regress --exact --filter {name}"),
    }
}

fn sample_results() -> Vec<CaseResult> {
    vec![
        result("units/tb_lfsr-WIDTH=4", 1250, Outcome::Passed),
        result("units/tb_update-SHIFT=-2", 2500, Outcome::Passed),
        result(
            "configs/default",
            30_125,
            Outcome::Failed {
                message: "example 0, digest W, signal FNV-1a: expected 1, got 2; first differing event at cycle 7: expected `7 write W 8 ff03`, got `7 write W 8 0003`".to_string(),
                evidence: PathBuf::from("build/regress/configs/default"),
            },
        ),
        result(
            "my<cases>/x&y",
            500,
            Outcome::Error {
                message: "Verilator build of tb_core failed with exit status: 2".to_string(),
                details: vec!["obj/Vtop.cpp:3:1: error: 'x' was not declared".to_string(), "    3 | x;".to_string()],
                evidence: None,
            },
        ),
    ]
}

#[test]
fn junit_structure_and_counts() {
    let results = sample_results();
    let root = parse(&junit_xml(&results, Duration::from_millis(40_000)));

    assert_eq!(root.name, "testsuites");
    assert_eq!(count(&root, "tests"), 4);
    assert_eq!(count(&root, "failures"), 1);
    assert_eq!(count(&root, "errors"), 1);
    assert_eq!(seconds(&root), 40.0);

    let suites: Vec<&str> = root.children.iter().map(|s| s.attributes["name"].as_str()).collect();
    assert_eq!(suites, ["units", "configs", "my<cases>"]);

    let mut cases = 0;
    for suite in &root.children {
        assert_eq!(suite.name, "testsuite");
        assert_eq!(count(suite, "tests"), suite.children.len(), "suite {} test count", suite.attributes["name"]);
        let failures = suite.children.iter().filter(|c| c.children.iter().any(|e| e.name == "failure")).count();
        let errors = suite.children.iter().filter(|c| c.children.iter().any(|e| e.name == "error")).count();
        assert_eq!(count(suite, "failures"), failures);
        assert_eq!(count(suite, "errors"), errors);
        assert_eq!(count(suite, "skipped"), 0);
        let sum: f64 = suite.children.iter().map(seconds).sum();
        assert!((seconds(suite) - sum).abs() < 1e-3, "suite time {} is the sum of its cases {sum}", seconds(suite));

        for case in &suite.children {
            assert_eq!(case.name, "testcase");
            assert!(case.attributes.contains_key("name"), "{case:?}");
            assert!(case.attributes.contains_key("classname"), "{case:?}");
            assert!(case.children.len() <= 1, "a testcase holds at most one failure or error");
            for child in &case.children {
                assert!(child.name == "failure" || child.name == "error", "unexpected <{}>", child.name);
                assert!(child.attributes.contains_key("message"), "{child:?}");
                assert!(child.attributes.contains_key("type"), "{child:?}");
            }
            cases += 1;
        }
    }
    assert_eq!(cases, results.len());

    // Time per case, to the millisecond, and the text survives escaping.
    let all: Vec<&Element> = root.children.iter().flat_map(|s| s.children.iter()).collect();
    let times: Vec<f64> = all.iter().map(|c| seconds(c)).collect();
    assert_eq!(times, [1.25, 2.5, 30.125, 0.5]);
    assert_eq!(all[3].attributes["name"], "x&y");
    let failure = &all[2].children[0];
    assert!(failure.attributes["message"].contains("`7 write W 8 ff03`"), "{failure:?}");
    assert!(failure.text.contains("rerun: sampleprop regress --exact --filter configs/default"), "{failure:?}");
    let error = &all[3].children[0];
    assert!(error.text.contains("error: 'x' was not declared"), "compiler lines in the error body: {error:?}");
}

#[test]
fn junit_written_to_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reports/regress.xml");
    write_junit(&path, &sample_results(), Duration::from_secs(1)).unwrap();
    let root = parse(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(count(&root, "tests"), 4);
}

#[test]
fn summary_line_form() {
    assert_eq!(summary_line(&sample_results()), "2 passed, 1 failed, 1 errors");
    assert_eq!(summary_line(&[]), "0 passed, 0 failed, 0 errors");
}
