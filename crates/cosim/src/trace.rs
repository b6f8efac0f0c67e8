//! Parsing of the observable trace text and the exact comparison of two traces.
//!
//! Both sides write the grammar of docs/architecture.md ("Observable trace").
//! The parser keeps every value as the token it read, because the contract is
//! byte equality of the text: `-0` and `0`, or `00ff` and `ff`, must differ.

use std::fmt;

use crate::CosimError;

/// One summary line of an example: its item name and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryItem {
    /// The line's key without the example number, e.g. `phase FORWARD`, `count q`, `digest W`.
    pub item: String,
    /// Names of the values, in order (e.g. `end cycle`, `q[3]`, `hash`).
    pub signals: Vec<String>,
    /// The values as written.
    pub values: Vec<String>,
}

/// One event line: the cycle it is stamped with and the rest of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub cycle: u64,
    /// The text after the cycle, e.g. `spike in 5` or `write W 12 00ff`.
    pub what: String,
}

/// The summary items and events of one example in a trace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleRecord {
    pub index: u64,
    pub summary: Vec<SummaryItem>,
    pub events: Vec<Event>,
}

/// A parsed trace: examples in the order their first line appears.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    pub examples: Vec<ExampleRecord>,
}

/// The first difference between the model's trace and the RTL's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Example number, counted from 0 over the whole run.
    pub example: u64,
    /// The trace item, e.g. `phase FORWARD`, `count n`, `digest V`.
    pub item: String,
    /// The value within the item, e.g. `end cycle`, `n[17]`.
    pub signal: String,
    /// The model's value.
    pub expected: String,
    /// The RTL's value.
    pub got: String,
    /// The first differing event of that example, when the event traces were compared.
    pub first_event: Option<EventMismatch>,
}

/// The first differing line of two event traces of one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventMismatch {
    pub example: u64,
    /// The earlier of the two differing events' cycles: the cycle where the runs diverge.
    pub cycle: u64,
    /// The model's event line (without `event E`), or `none` when the model has no more events.
    pub expected: String,
    /// The RTL's event line, or `none`.
    pub got: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "example {}, {}, signal {}: expected {}, got {}",
            self.example, self.item, self.signal, self.expected, self.got
        )?;
        if let Some(event) = &self.first_event {
            write!(f, "; {event}")?;
        }
        Ok(())
    }
}

impl fmt::Display for EventMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "first differing event of example {} at cycle {}: expected `{}`, got `{}`",
            self.example, self.cycle, self.expected, self.got
        )
    }
}

impl Trace {
    /// Parses trace text; `origin` names the source in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Trace, CosimError> {
        let mut trace = Trace::default();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |rule: &str| CosimError::TraceSyntax {
                origin: origin.to_string(),
                line: number + 1,
                text: line.to_string(),
                rule: rule.to_string(),
            };

            let tokens: Vec<&str> = line.split_whitespace().collect();
            if tokens.len() < 3 {
                return Err(bad("a trace line has a keyword, an example number and at least one field"));
            }
            let index: u64 = tokens[1].parse().map_err(|_| bad("the second field must be a decimal example number"))?;
            let record = trace.record_mut(index);

            match tokens[0] {
                "event" => {
                    let cycle: u64 = tokens[2].parse().map_err(|_| bad("an event's third field must be its decimal cycle"))?;
                    if tokens.len() < 4 {
                        return Err(bad("an event names what happened after its cycle"));
                    }
                    record.events.push(Event { cycle, what: tokens[3..].join(" ") });
                }
                "example" => {
                    if tokens.len() != 5 || tokens[3] != "label" {
                        return Err(bad("the grammar is `example E train|infer label Y`"));
                    }
                    record.summary.push(SummaryItem {
                        item: "example".to_string(),
                        signals: vec!["mode".to_string(), "label".to_string()],
                        values: vec![tokens[2].to_string(), tokens[4].to_string()],
                    });
                }
                "phase" => {
                    if tokens.len() != 4 {
                        return Err(bad("the grammar is `phase E NAME CYCLE`"));
                    }
                    record.summary.push(SummaryItem {
                        item: format!("phase {}", tokens[2]),
                        signals: vec!["end cycle".to_string()],
                        values: vec![tokens[3].to_string()],
                    });
                }
                "count" | "error" => {
                    let name = tokens[2];
                    let values: Vec<String> = tokens[3..].iter().map(|t| t.to_string()).collect();
                    record.summary.push(SummaryItem {
                        item: format!("{} {name}", tokens[0]),
                        signals: (0..values.len()).map(|i| format!("{name}[{i}]")).collect(),
                        values,
                    });
                }
                "pred" => {
                    if tokens.len() != 3 {
                        return Err(bad("the grammar is `pred E K`"));
                    }
                    record.summary.push(SummaryItem {
                        item: "pred".to_string(),
                        signals: vec!["prediction".to_string()],
                        values: vec![tokens[2].to_string()],
                    });
                }
                "digest" => {
                    if tokens.len() != 4 {
                        return Err(bad("the grammar is `digest E W|b|V|c HEX16`"));
                    }
                    record.summary.push(SummaryItem {
                        item: format!("digest {}", tokens[2]),
                        signals: vec!["FNV-1a".to_string()],
                        values: vec![tokens[3].to_string()],
                    });
                }
                _ => return Err(bad("the keyword must be one of example, phase, count, error, pred, digest, event")),
            }
        }
        Ok(trace)
    }

    fn record_mut(&mut self, index: u64) -> &mut ExampleRecord {
        if let Some(position) = self.examples.iter().rposition(|r| r.index == index) {
            return &mut self.examples[position];
        }
        self.examples.push(ExampleRecord { index, ..ExampleRecord::default() });
        self.examples.last_mut().expect("just pushed")
    }

    /// Returns true when any example carries event lines.
    pub fn has_events(&self) -> bool {
        self.examples.iter().any(|r| !r.events.is_empty())
    }
}

/// Compares the summary lines of two traces; returns the first difference.
///
/// Examples are matched by position, items by position within an example,
/// values by position within an item. A missing example, item or value is
/// reported as the value `missing`.
pub fn first_summary_mismatch(expected: &Trace, got: &Trace) -> Option<Mismatch> {
    let count = expected.examples.len().max(got.examples.len());
    for position in 0..count {
        let (want, have) = match (expected.examples.get(position), got.examples.get(position)) {
            (Some(want), Some(have)) => (want, have),
            (Some(want), None) => {
                return Some(mismatch(want.index, "example", "presence", "present", "missing"));
            }
            (None, Some(have)) => {
                return Some(mismatch(have.index, "example", "presence", "missing", "present"));
            }
            (None, None) => unreachable!("position below both lengths' maximum"),
        };
        if want.index != have.index {
            return Some(mismatch(want.index, "example", "index", &want.index.to_string(), &have.index.to_string()));
        }
        if let Some(found) = first_item_mismatch(want, have) {
            return Some(found);
        }
    }
    None
}

fn first_item_mismatch(want: &ExampleRecord, have: &ExampleRecord) -> Option<Mismatch> {
    let example = want.index;
    let count = want.summary.len().max(have.summary.len());
    for position in 0..count {
        match (want.summary.get(position), have.summary.get(position)) {
            (Some(a), Some(b)) if a.item != b.item => {
                return Some(mismatch(example, &format!("item {}", position + 1), "line", &a.item, &b.item));
            }
            (Some(a), Some(b)) => {
                let values = a.values.len().max(b.values.len());
                for v in 0..values {
                    let left = a.values.get(v).map_or("missing", |s| s.as_str());
                    let right = b.values.get(v).map_or("missing", |s| s.as_str());
                    if left != right {
                        let signal = a.signals.get(v).or_else(|| b.signals.get(v)).cloned().unwrap_or_default();
                        return Some(mismatch(example, &a.item, &signal, left, right));
                    }
                }
            }
            (Some(a), None) => return Some(mismatch(example, &a.item, "line", "present", "missing")),
            (None, Some(b)) => return Some(mismatch(example, &b.item, "line", "missing", "present")),
            (None, None) => unreachable!("position below both lengths' maximum"),
        }
    }
    None
}

/// Compares the event lines of two traces; returns the first differing event.
pub fn first_event_mismatch(expected: &Trace, got: &Trace) -> Option<EventMismatch> {
    let none = ExampleRecord::default();
    let count = expected.examples.len().max(got.examples.len());
    for position in 0..count {
        let want = expected.examples.get(position).unwrap_or(&none);
        let have = got.examples.get(position).unwrap_or(&none);
        let example = if position < expected.examples.len() { want.index } else { have.index };

        let events = want.events.len().max(have.events.len());
        for e in 0..events {
            let a = want.events.get(e);
            let b = have.events.get(e);
            if a == b {
                continue;
            }
            let cycle = match (a, b) {
                (Some(a), Some(b)) => a.cycle.min(b.cycle),
                (Some(only), None) | (None, Some(only)) => only.cycle,
                (None, None) => unreachable!("equal when both are absent"),
            };
            let line = |event: Option<&Event>| event.map_or("none".to_string(), |ev| format!("{} {}", ev.cycle, ev.what));
            return Some(EventMismatch { example, cycle, expected: line(a), got: line(b) });
        }
    }
    None
}

fn mismatch(example: u64, item: &str, signal: &str, expected: &str, got: &str) -> Mismatch {
    Mismatch {
        example,
        item: item.to_string(),
        signal: signal.to_string(),
        expected: expected.to_string(),
        got: got.to_string(),
        first_event: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
event 0 5 spike in 2
event 0 40 write V 3 0a0b
example 0 train label 7
phase 0 LOAD 63
phase 0 FORWARD 900
count 0 q 0 3 1
count 0 n 4 5
error 0 e -12 300
pred 0 1
digest 0 W 00112233aabbccdd
";

    #[test]
    fn parse_sample_trace() {
        let trace = Trace::parse(SAMPLE, "sample").unwrap();
        assert_eq!(trace.examples.len(), 1);

        let record = &trace.examples[0];
        assert_eq!(record.events.len(), 2);
        assert_eq!(record.events[1], Event { cycle: 40, what: "write V 3 0a0b".to_string() });
        assert_eq!(record.summary.len(), 8);
        assert_eq!(record.summary[3].item, "count q");
        assert_eq!(record.summary[3].signals[2], "q[2]");
        assert_eq!(record.summary[5].values, vec!["-12".to_string(), "300".to_string()]);
    }

    #[test]
    fn identical_traces_match() {
        let a = Trace::parse(SAMPLE, "a").unwrap();
        let b = Trace::parse(SAMPLE, "b").unwrap();
        assert_eq!(first_summary_mismatch(&a, &b), None);
        assert_eq!(first_event_mismatch(&a, &b), None);
    }

    #[test]
    fn counter_difference_names_signal() {
        let a = Trace::parse(SAMPLE, "a").unwrap();
        let b = Trace::parse(&SAMPLE.replace("count 0 q 0 3 1", "count 0 q 0 3 2"), "b").unwrap();
        let found = first_summary_mismatch(&a, &b).unwrap();
        assert_eq!(found.to_string(), "example 0, count q, signal q[2]: expected 1, got 2");
    }

    #[test]
    fn token_spelling_matters() {
        let a = Trace::parse(SAMPLE, "a").unwrap();
        let b = Trace::parse(&SAMPLE.replace("error 0 e -12 300", "error 0 e -12 0300"), "b").unwrap();
        let found = first_summary_mismatch(&a, &b).unwrap();
        assert_eq!(found.signal, "e[1]");
        assert_eq!(found.got, "0300");
    }

    #[test]
    fn missing_example_is_reported() {
        let a = Trace::parse(&format!("{SAMPLE}{}", SAMPLE.replace(" 0 ", " 1 ")), "a").unwrap();
        let b = Trace::parse(SAMPLE, "b").unwrap();
        let found = first_summary_mismatch(&a, &b).unwrap();
        assert_eq!(found.example, 1);
        assert_eq!(found.got, "missing");
    }

    #[test]
    fn event_difference_reports_earlier_cycle() {
        let a = Trace::parse(SAMPLE, "a").unwrap();
        let b = Trace::parse(&SAMPLE.replace("event 0 40 write V 3 0a0b", "event 0 38 write V 3 0a0b"), "b").unwrap();
        let found = first_event_mismatch(&a, &b).unwrap();
        assert_eq!(found.cycle, 38);
        assert_eq!(found.expected, "40 write V 3 0a0b");
        assert_eq!(found.got, "38 write V 3 0a0b");
    }

    #[test]
    fn unknown_keyword_is_rejected() {
        let error = Trace::parse("bogus 0 1 2\n", "t").unwrap_err();
        assert!(error.to_string().contains("t:1"), "{error}");
    }
}
