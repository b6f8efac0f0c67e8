//! The text trace follows the spec's line grammar, and event stamps fall where the
//! controller puts them.

use sampleprop_config::Config;
use sampleprop_model::trace::{fnv1a_digest, Event, Memory, SpikeLayer};
use sampleprop_model::{Core, Phase, TraceLevel};

fn small_config() -> Config {
    Config::from_toml_str(
        "[network]\ninputs = 10\nhidden = 6\noutputs = 3\n[samples]\ntrain = 4\ninference = 2\n\
         [hardware]\nlanes = 3\n",
        "test",
    )
    .unwrap()
}

fn pixels(example: usize) -> Vec<u16> {
    (0..10)
        .map(|i| {
            if (i + example) % 3 == 0 {
                0
            } else {
                (40 * i + 25 * example) as u16 % 256
            }
        })
        .collect()
}

/// Runs two training examples and one inference with event tracing and returns the text.
fn traced_text(config: &Config) -> (String, Core) {
    let mut core = Core::new(config);
    core.set_trace(TraceLevel::Events);
    core.train_example(&pixels(0), 1);
    core.train_example(&pixels(1), 2);
    core.infer_example(&pixels(2), 0);
    let mut text = String::new();
    for trace in core.take_traces() {
        trace.write_text(&mut text).unwrap();
    }
    (text, core)
}

fn is_lower_hex(s: &str, digits: usize) -> bool {
    s.len() == digits
        && s.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

fn number(token: &str, line: &str) -> i64 {
    token
        .parse()
        .unwrap_or_else(|_| panic!("`{token}` is not a decimal number in `{line}`"))
}

#[test]
fn text_trace_follows_line_grammar() {
    let config = small_config();
    let (text, core) = traced_text(&config);
    let (i, h, o, l) = (10usize, 6usize, 3usize, 3usize);
    let w = config.widths.weight as usize;

    let mut example = 0i64;
    let mut seen_header = false;
    let mut last_event_cycle = 0i64;
    let mut phases = Vec::new();
    let mut kinds = Vec::new();
    for line in text.lines() {
        let tokens: Vec<&str> = line.split(' ').collect();
        assert!(tokens.len() >= 3, "short line `{line}`");
        let index = number(tokens[1], line);
        if tokens[0] == "event" && seen_header {
            example += 1;
            seen_header = false;
            last_event_cycle = 0;
            phases.clear();
        }
        assert_eq!(index, example, "example index in `{line}`");
        match tokens[0] {
            "event" => {
                let cycle = number(tokens[2], line);
                assert!(
                    cycle >= last_event_cycle,
                    "events out of cycle order at `{line}`"
                );
                last_event_cycle = cycle;
                match tokens[3] {
                    "spike" => {
                        assert_eq!(tokens.len(), 6, "`{line}`");
                        let limit = match tokens[4] {
                            "in" => i,
                            "hidden" => h,
                            "out" => o,
                            other => panic!("unknown spike layer `{other}`"),
                        };
                        assert!((number(tokens[5], line) as usize) < limit, "`{line}`");
                    }
                    "write" => {
                        assert_eq!(tokens.len(), 7, "`{line}`");
                        let (words, bits) = match tokens[4] {
                            "W" => (i * h / l, l * w),
                            "b" => (h / l, l * w),
                            "V" => (h, o * w),
                            "c" => (o, w),
                            other => panic!("unknown memory `{other}`"),
                        };
                        assert!((number(tokens[5], line) as usize) < words, "`{line}`");
                        assert!(is_lower_hex(tokens[6], bits.div_ceil(4)), "`{line}`");
                    }
                    other => panic!("unknown event `{other}` in `{line}`"),
                }
            }
            "example" => {
                assert_eq!(tokens.len(), 5, "`{line}`");
                assert!(tokens[2] == "train" || tokens[2] == "infer", "`{line}`");
                assert_eq!(tokens[3], "label");
                kinds.push(tokens[2].to_string());
                number(tokens[4], line);
                seen_header = true;
            }
            "phase" => {
                assert_eq!(tokens.len(), 4, "`{line}`");
                phases.push(tokens[2].to_string());
                let expected: &[&str] = if kinds.last().unwrap() == "train" {
                    &["LOAD", "FORWARD", "ERROR", "BACKWARD", "UPDATE", "DONE"]
                } else {
                    &["LOAD", "FORWARD", "DONE"]
                };
                assert_eq!(tokens[2], expected[phases.len() - 1], "`{line}`");
                number(tokens[3], line);
            }
            "count" => {
                let expected = match tokens[2] {
                    "q" => i,
                    "n" => h,
                    "m" => o,
                    other => panic!("unknown counter `{other}`"),
                };
                assert_eq!(tokens.len(), 3 + expected, "`{line}`");
                tokens[3..]
                    .iter()
                    .for_each(|t| assert!(number(t, line) >= 0));
            }
            "error" => {
                assert_eq!(
                    kinds.last().unwrap(),
                    "train",
                    "error lines only for training"
                );
                let expected = match tokens[2] {
                    "e" => o,
                    "delta" => h,
                    other => panic!("unknown error item `{other}`"),
                };
                assert_eq!(tokens.len(), 3 + expected, "`{line}`");
                tokens[3..].iter().for_each(|t| {
                    number(t, line);
                });
            }
            "pred" => {
                assert_eq!(tokens.len(), 3, "`{line}`");
                assert!((number(tokens[2], line) as usize) < o);
            }
            "digest" => {
                assert_eq!(tokens.len(), 4, "`{line}`");
                assert!(["W", "b", "V", "c"].contains(&tokens[2]), "`{line}`");
                assert!(is_lower_hex(tokens[3], 16), "`{line}`");
            }
            other => panic!("unknown line kind `{other}` in `{line}`"),
        }
    }
    assert_eq!(kinds, ["train", "train", "infer"]);

    let weights = core.weights();
    let bits = config.widths.weight;
    let last_w = text
        .lines()
        .find(|line| line.starts_with("digest 2 W"))
        .unwrap();
    assert_eq!(
        last_w,
        format!("digest 2 W {:016x}", fnv1a_digest(&weights.w, bits))
    );
}

#[test]
fn summary_block_is_ordered() {
    let config = small_config();
    let mut core = Core::new(&config);
    core.set_trace(TraceLevel::Summary);
    core.train_example(&pixels(0), 1);
    let mut text = String::new();
    core.take_traces()[0].write_text(&mut text).unwrap();

    // Each line's kind and item: `example` and `pred` carry none, the others name it third.
    let heads: Vec<String> = text
        .lines()
        .map(|line| {
            let tokens: Vec<&str> = line.split(' ').collect();
            match tokens[0] {
                "example" | "pred" => tokens[0].to_string(),
                kind => format!("{kind} {}", tokens[2]),
            }
        })
        .collect();

    let expected = [
        "example",
        "phase LOAD",
        "phase FORWARD",
        "phase ERROR",
        "phase BACKWARD",
        "phase UPDATE",
        "phase DONE",
        "count q",
        "count n",
        "count m",
        "error e",
        "error delta",
        "pred",
        "digest W",
        "digest b",
        "digest V",
        "digest c",
    ];
    assert_eq!(heads, expected);
}

#[test]
fn event_stamps_follow_controller() {
    let config = small_config();
    let (i, h, o, b) = (10u64, 6u64, 3u64, 2u64);
    let mut core = Core::new(&config);
    core.set_trace(TraceLevel::Events);
    core.train_example(&pixels(0), 1);
    let trace = core.take_traces().pop().unwrap();
    let end = |phase: Phase| {
        trace
            .phase_ends
            .iter()
            .find(|(p, _)| *p == phase)
            .unwrap()
            .1
    };

    // Replay the SCAN cursor: input i of a sample starting at `start` has its second cycle at
    // start + (B + 1) + 2i + 1 plus B + 1 for every earlier spike of the sample.
    let mut start = i;
    let mut events = trace.events.iter().peekable();
    for _ in 0..config.samples.train {
        let mut spikes = 0u64;
        let mut hidden_start = start + (b + 1) + 2 * i;
        while let Some(Event::Spike {
            cycle,
            layer: SpikeLayer::Input,
            index,
        }) = events.peek()
        {
            if *cycle >= hidden_start {
                break;
            }
            assert_eq!(
                *cycle,
                start + (b + 1) + 2 * *index as u64 + 1 + spikes * (b + 1)
            );
            spikes += 1;
            hidden_start += b + 1;
            events.next();
        }
        while let Some(Event::Spike {
            cycle,
            layer: SpikeLayer::Hidden,
            index,
        }) = events.peek()
        {
            assert_eq!(*cycle, hidden_start + *index as u64);
            events.next();
        }
        let output_start = hidden_start + h + 1;
        while let Some(Event::Spike {
            cycle,
            layer: SpikeLayer::Output,
            index,
        }) = events.peek()
        {
            assert_eq!(*cycle, output_start + *index as u64);
            events.next();
        }
        start = output_start + o;
    }
    assert_eq!(
        start - 1,
        end(Phase::Forward),
        "FORWARD ends where the replay ends"
    );

    let writes: Vec<(u64, Memory, usize)> = events
        .map(|e| match e {
            Event::Write {
                cycle,
                memory,
                address,
                ..
            } => (*cycle, *memory, *address),
            other => panic!("spike after FORWARD: {other:?}"),
        })
        .collect();
    let of = |m: Memory| {
        writes
            .iter()
            .filter(|w| w.1 == m)
            .cloned()
            .collect::<Vec<_>>()
    };
    let c = of(Memory::C);
    assert_eq!(c.len() as u64, o);
    let error_start = end(Phase::Error) + 1 - o;
    assert!(c.iter().all(|w| w.0 == error_start + w.2 as u64));
    let v = of(Memory::V);
    assert_eq!(v.len() as u64, h);
    assert_eq!(v.last().unwrap().0, end(Phase::Backward));
    let bias = of(Memory::B);
    assert_eq!(bias.len() as u64, b);
    assert_eq!(bias[0].0, end(Phase::Backward) + 2);

    // Replay UPDATE: 2 cycles test QMEM[i], then 2 per word when q_i ≠ 0, writing in the second.
    let mut expected = Vec::new();
    let mut cursor = end(Phase::Backward) + 1 + 2 * b;
    for (row, &q) in trace.q.iter().enumerate() {
        cursor += 2;
        if q != 0 {
            for word in 0..b {
                expected.push((
                    cursor + 2 * word + 1,
                    Memory::W,
                    row * b as usize + word as usize,
                ));
            }
            cursor += 2 * b;
        }
    }
    assert_eq!(of(Memory::W), expected);
    assert_eq!(cursor - 1, end(Phase::Update));
    assert!(trace.q.contains(&0), "the case must skip a row");
    assert!(
        trace.q.iter().any(|&q| q != 0),
        "the case must update a row"
    );
    assert_eq!(end(Phase::Done), end(Phase::Update) + 1);
}

#[test]
fn tracing_off_records_nothing() {
    let config = small_config();
    let mut core = Core::new(&config);
    core.train_example(&pixels(0), 1);
    assert!(core.take_traces().is_empty());
    core.set_trace(TraceLevel::Summary);
    core.train_example(&pixels(0), 1);
    let traces = core.take_traces();
    assert_eq!(traces.len(), 1);
    assert_eq!(
        traces[0].index, 1,
        "the index counts every example, traced or not"
    );
    assert!(traces[0].events.is_empty());
}
