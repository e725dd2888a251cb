//! target/bench/report.svg: each figure's advantage over its baseline as a bar on a log scale,
//! so a 1000× and a 0.6× read on the same picture. Green meets its target (or beats the
//! baseline when there is none), red misses it.

use std::path::Path;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::{Report, Row};
use crate::error::BenchError;

const WIDTH: u32 = 1200;
const BAR_HEIGHT: u32 = 30;
const MISSED: RGBColor = RGBColor(0xc6, 0x28, 0x28);
const MET: RGBColor = RGBColor(0x2e, 0x7d, 0x32);

struct Bar {
    label: String,
    advantage: f64,
    good: bool,
}

pub fn write_chart(report: &Report, path: &Path) -> Result<(), BenchError> {
    let bars = bars(report);
    draw(&bars, path).map_err(|error| BenchError::Chart(error.to_string()))
}

fn bars(report: &Report) -> Vec<Bar> {
    report
        .sections
        .iter()
        .flat_map(|section| section.rows.iter().map(move |row| (section, row)))
        .filter_map(|(section, row)| {
            let advantage = row.advantage()?;
            Some(Bar {
                label: format!("{}: {}", section.title, row.figure),
                advantage,
                good: good(row, advantage),
            })
        })
        .collect()
}

fn good(row: &Row, advantage: f64) -> bool {
    row.target
        .as_ref()
        .map_or(advantage >= 1.0, |target| target.met)
}

fn draw(bars: &[Bar], path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let count = bars.len().max(1);
    // Segment 0 is drawn at the bottom: count down so the first figure sits on top.
    let slot = |index: usize| count - 1 - index;
    let height = 110 + BAR_HEIGHT * count as u32;
    let root = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let smallest = bars.iter().map(|bar| bar.advantage).fold(0.1, f64::min);
    let largest = bars.iter().map(|bar| bar.advantage).fold(10.0, f64::max);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "messages vs its baselines: times better (log scale, right of 1× is better)",
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(50)
        .y_label_area_size(520)
        .build_cartesian_2d(
            (smallest / 2.0..largest * 4.0).log_scale(),
            (0..count - 1).into_segmented(),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(count)
        .y_label_formatter(&|value| match value {
            SegmentValue::CenterOf(index) => bars
                .get(slot(*index))
                .map(|bar| bar.label.clone())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|value| format!("{value}×"))
        .label_style(("sans-serif", 13))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(index, bar)| {
        let colour = if bar.good { MET } else { MISSED };
        let mut rectangle = Rectangle::new(
            [
                (smallest / 2.0, SegmentValue::Exact(slot(index))),
                (bar.advantage, SegmentValue::Exact(slot(index) + 1)),
            ],
            colour.filled(),
        );
        rectangle.set_margin(4, 4, 0, 0);
        rectangle
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(index, bar)| {
        Text::new(
            super::format::ratio(bar.advantage),
            (bar.advantage * 1.1, SegmentValue::CenterOf(slot(index))),
            ("sans-serif", 13),
        )
    }))?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![
            (1.0, SegmentValue::Exact(0)),
            (1.0, SegmentValue::Exact(count)),
        ],
        BLACK.stroke_width(2),
    )))?;
    root.draw(&Text::new(
        "green: meets the issue's target (or beats its baseline where the issue sets none); \
         red: misses it (or trails the baseline)",
        (15, height as i32 - 22),
        ("sans-serif", 13),
    ))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Better, Section, Target, Value};

    #[test]
    fn draws_a_bar_per_comparable_figure_with_its_ratio() {
        let row = |figure: &str, ours: f64, met: bool| {
            Row::new(
                figure,
                Value::new(ours, ""),
                "b",
                Value::new(1.0, ""),
                Better::Higher,
            )
            .with_target(Target::new("t", met))
        };
        let report = Report {
            sections: vec![Section::measured(
                "S",
                vec![
                    row("fast", 1500.0, true),
                    row("slow", 0.4, false),
                    row("none", 0.0, false),
                ],
                Vec::new(),
            )],
            environment: Vec::new(),
        };
        let path = std::env::temp_dir().join(format!("bench-chart-{}.svg", std::process::id()));
        write_chart(&report, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("S: fast") && svg.contains("1,500×"));
        assert!(svg.contains("S: slow") && svg.contains("0.40×"));
        assert!(!svg.contains("S: none"), "a zero has no ratio to draw");
        assert!(svg.contains("#2E7D32") && svg.contains("#C62828"));
    }
}
