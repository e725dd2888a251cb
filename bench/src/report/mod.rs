//! The benchmarks' findings: every figure beside the baseline measured in the same run, their
//! ratio, and the target when it sets one. Rendered as a terminal table, a Markdown
//! report and an SVG chart.

mod chart;
mod format;
mod markdown;
mod table;

use std::path::Path;

pub use chart::write_chart;
pub use format::{millis, rate, with_unit};
pub use markdown::write_markdown;
pub use table::print_table;

use crate::error::BenchError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// A target from the issue, and whether this run met it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub text: String,
    pub met: bool,
}

impl Target {
    pub fn new(text: impl Into<String>, met: bool) -> Self {
        Self {
            text: text.into(),
            met,
        }
    }
}

/// One measured value and how it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub amount: f64,
    pub text: String,
}

impl Value {
    pub fn new(amount: f64, text: impl Into<String>) -> Self {
        Self {
            amount,
            text: text.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub figure: String,
    pub ours: Value,
    pub baseline_name: String,
    pub baseline: Value,
    pub better: Better,
    pub target: Option<Target>,
}

impl Row {
    pub fn new(
        figure: impl Into<String>,
        ours: Value,
        baseline_name: impl Into<String>,
        baseline: Value,
        better: Better,
    ) -> Self {
        Self {
            figure: figure.into(),
            ours,
            baseline_name: baseline_name.into(),
            baseline,
            better,
            target: None,
        }
    }

    pub fn with_target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }

    /// How many times better than the baseline we are (above 1 = better, whichever way the
    /// figure reads); `None` when a zero makes the ratio meaningless.
    pub fn advantage(&self) -> Option<f64> {
        let (top, bottom) = match self.better {
            Better::Higher => (self.ours.amount, self.baseline.amount),
            Better::Lower => (self.baseline.amount, self.ours.amount),
        };
        (top > 0.0 && bottom > 0.0).then(|| top / bottom)
    }

    /// The ratio as printed: "∞" when ours is zero on a lower-is-better figure.
    pub fn advantage_text(&self) -> String {
        match self.advantage() {
            Some(ratio) => format::ratio(ratio),
            None if self.better == Better::Lower
                && self.ours.amount == 0.0
                && self.baseline.amount > 0.0 =>
            {
                "∞".into()
            }
            None => "n/a".into(),
        }
    }
}

/// One benchmark's outcome: its rows and notes, or why it could not run.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
    pub failure: Option<String>,
}

impl Section {
    pub fn measured(title: impl Into<String>, rows: Vec<Row>, notes: Vec<String>) -> Self {
        Self {
            title: title.into(),
            rows,
            notes,
            failure: None,
        }
    }

    pub fn failed(title: impl Into<String>, error: &BenchError) -> Self {
        Self {
            title: title.into(),
            rows: Vec::new(),
            notes: Vec::new(),
            failure: Some(error.to_string()),
        }
    }
}

/// Everything a run found, plus where and how it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub sections: Vec<Section>,
    pub environment: Vec<String>,
}

impl Report {
    pub fn write(&self, directory: &Path) -> Result<(), BenchError> {
        std::fs::create_dir_all(directory)
            .map_err(BenchError::io(format!("create {}", directory.display())))?;
        write_markdown(self, &directory.join("report.md"))?;
        write_chart(self, &directory.join("report.svg"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(ours: f64, baseline: f64, better: Better) -> Row {
        Row::new(
            "f",
            Value::new(ours, ""),
            "b",
            Value::new(baseline, ""),
            better,
        )
    }

    #[test]
    fn the_advantage_reads_above_one_when_we_are_better() {
        assert_eq!(row(2000.0, 2.0, Better::Higher).advantage(), Some(1000.0));
        assert_eq!(row(1.0, 4.0, Better::Lower).advantage(), Some(4.0));
        assert_eq!(row(1.0, 4.0, Better::Higher).advantage(), Some(0.25));
    }

    #[test]
    fn zero_calls_against_some_is_infinitely_better() {
        assert_eq!(row(0.0, 1.0, Better::Lower).advantage(), None);
        assert_eq!(row(0.0, 1.0, Better::Lower).advantage_text(), "∞");
        assert_eq!(row(0.0, 0.0, Better::Lower).advantage_text(), "n/a");
    }
}
