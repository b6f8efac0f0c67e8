//! The pass/fail table, the summary line and the JUnit XML report.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::run::{CaseResult, Outcome};
use crate::RegressError;

/// Counts of a run's outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
}

impl Counts {
    pub fn of(results: &[CaseResult]) -> Counts {
        let mut counts = Counts::default();
        for result in results {
            match result.outcome {
                Outcome::Passed => counts.passed += 1,
                Outcome::Failed { .. } => counts.failed += 1,
                Outcome::Error { .. } => counts.errors += 1,
            }
        }
        counts
    }

    /// Returns true when every case passed.
    pub fn all_passed(&self) -> bool {
        self.failed == 0 && self.errors == 0
    }
}

/// Returns `PASS`, `FAIL` or `ERROR`.
pub fn status(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "PASS",
        Outcome::Failed { .. } => "FAIL",
        Outcome::Error { .. } => "ERROR",
    }
}

/// Returns one table row: status, time, name and detail.
pub fn row(result: &CaseResult, name_width: usize) -> String {
    format!(
        "{:<5}  {:>8.2} s  {:<name_width$}  {}",
        status(&result.outcome),
        result.time.as_secs_f64(),
        result.name,
        result.detail
    )
}

/// Returns the table of every case, then for each failure and error its message,
/// evidence folder and rerun command.
pub fn table(results: &[CaseResult]) -> String {
    let width = results.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let mut text = String::new();
    writeln!(text, "{:<5}  {:>10}  {:<width$}  detail", "state", "time", "case").expect("String write");
    for result in results {
        writeln!(text, "{}", row(result, width)).expect("String write");
    }

    for result in results.iter().filter(|r| !r.passed()) {
        writeln!(text).expect("String write");
        match &result.outcome {
            Outcome::Passed => {}
            Outcome::Failed { message, evidence } => {
                writeln!(text, "FAIL {}: {message}", result.name).expect("String write");
                writeln!(text, "  evidence: {}", evidence.display()).expect("String write");
            }
            Outcome::Error { message, details, evidence } => {
                writeln!(text, "ERROR {}: {message}", result.name).expect("String write");
                for line in details {
                    writeln!(text, "  | {line}").expect("String write");
                }
                if let Some(evidence) = evidence {
                    writeln!(text, "  evidence: {}", evidence.display()).expect("String write");
                }
            }
        }
        writeln!(text, "  rerun: {}", result.rerun).expect("String write");
    }
    text
}

/// Returns `N passed, M failed, E errors`, the line CI parsers read.
pub fn summary_line(results: &[CaseResult]) -> String {
    let counts = Counts::of(results);
    format!("{} passed, {} failed, {} errors", counts.passed, counts.failed, counts.errors)
}

/// Escapes text for an XML attribute or element; drops characters XML 1.0 forbids.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

fn seconds(time: Duration) -> String {
    format!("{:.3}", time.as_secs_f64())
}

/// Returns the suite of a case: the part of its name before the first `/`.
fn suite_of(name: &str) -> &str {
    name.split_once('/').map_or("cases", |(suite, _)| suite)
}

/// Returns the JUnit XML report: one `testsuite` per case group (`units`,
/// `configs`, each user folder), one `testcase` per case with its time, and a
/// `failure` (mismatch) or `error` (build or run problem) element where it did
/// not pass. This is the layout the Jenkins, GitLab and GitHub reporters read.
pub fn junit_xml(results: &[CaseResult], total_time: Duration) -> String {
    let counts = Counts::of(results);
    let mut suites: Vec<&str> = Vec::new();
    for result in results {
        let suite = suite_of(&result.name);
        if !suites.contains(&suite) {
            suites.push(suite);
        }
    }

    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    writeln!(
        xml,
        "<testsuites name=\"sampleprop regress\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">",
        results.len(),
        counts.failed,
        counts.errors,
        seconds(total_time)
    )
    .expect("String write");

    for suite in suites {
        let members: Vec<&CaseResult> = results.iter().filter(|r| suite_of(&r.name) == suite).collect();
        let member_counts = Counts::of(&members.iter().map(|r| (*r).clone()).collect::<Vec<_>>());
        let time: Duration = members.iter().map(|r| r.time).sum();
        writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\">",
            escape(suite),
            members.len(),
            member_counts.failed,
            member_counts.errors,
            seconds(time)
        )
        .expect("String write");

        for result in members {
            let name = result.name.split_once('/').map_or(result.name.as_str(), |(_, rest)| rest);
            let open = format!(
                "    <testcase name=\"{}\" classname=\"regress.{}\" time=\"{}\"",
                escape(name),
                escape(suite),
                seconds(result.time)
            );
            match &result.outcome {
                Outcome::Passed => writeln!(xml, "{open}/>").expect("String write"),
                Outcome::Failed { message, evidence } => {
                    let body = format!("{message}\nevidence: {}\nrerun: {}", evidence.display(), result.rerun);
                    writeln!(
                        xml,
                        "{open}>\n      <failure message=\"{}\" type=\"mismatch\">{}</failure>\n    </testcase>",
                        escape(message),
                        escape(&body)
                    )
                    .expect("String write");
                }
                Outcome::Error { message, details, .. } => {
                    let mut body = message.clone();
                    for line in details {
                        body.push('\n');
                        body.push_str(line);
                    }
                    body.push_str(&format!("\nrerun: {}", result.rerun));
                    writeln!(
                        xml,
                        "{open}>\n      <error message=\"{}\" type=\"build\">{}</error>\n    </testcase>",
                        escape(message),
                        escape(&body)
                    )
                    .expect("String write");
                }
            }
        }
        writeln!(xml, "  </testsuite>").expect("String write");
    }
    writeln!(xml, "</testsuites>").expect("String write");
    xml
}

/// Writes [`junit_xml`] to `path`, creating its folder.
pub fn write_junit(path: &Path, results: &[CaseResult], total_time: Duration) -> Result<(), RegressError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| RegressError::io("create", parent, e))?;
    }
    std::fs::write(path, junit_xml(results, total_time)).map_err(|e| RegressError::io("write", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup() {
        assert_eq!(escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        assert_eq!(escape("bell\u{7}"), "bell");
    }

    #[test]
    fn suite_is_name_prefix() {
        assert_eq!(suite_of("units/tb_lfsr-WIDTH=4"), "units");
        assert_eq!(suite_of("configs/default"), "configs");
        assert_eq!(suite_of("loose"), "cases");
    }
}
