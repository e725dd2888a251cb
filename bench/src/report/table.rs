//! The one table scripts/bench prints: a row per figure, grouped by benchmark.

use super::{Report, Row};

const HEADER: [&str; 6] = ["figure", "ours", "baseline", "vs baseline", "target", "met"];

/// The cells of a row, shared with the Markdown report so both read the same.
pub fn cells(row: &Row) -> [String; 6] {
    let (target, met) = match &row.target {
        Some(target) => (
            target.text.clone(),
            if target.met { "yes" } else { "NO" }.to_owned(),
        ),
        None => ("-".into(), "-".into()),
    };
    [
        row.figure.clone(),
        row.ours.text.clone(),
        format!("{}: {}", row.baseline_name, row.baseline.text),
        row.advantage_text(),
        target,
        met,
    ]
}

pub fn print_table(report: &Report) {
    let mut lines: Vec<Option<[String; 6]>> = vec![Some(HEADER.map(str::to_owned))];
    for section in &report.sections {
        lines.push(None);
        let mut title = [(); 6].map(|()| String::new());
        title[0] = format!("== {}", section.title);
        lines.push(Some(title));
        if let Some(failure) = &section.failure {
            let mut failed = [(); 6].map(|()| String::new());
            failed[0] = format!("   not measured: {failure}");
            lines.push(Some(failed));
        }
        lines.extend(section.rows.iter().map(|row| Some(cells(row))));
    }
    let mut widths = [0_usize; 6];
    for line in lines.iter().flatten() {
        // A section title or failure spans the line: it does not widen the first column.
        if line[1..].iter().all(String::is_empty) {
            continue;
        }
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let rule = widths
        .iter()
        .map(|width| "-".repeat(*width))
        .collect::<Vec<_>>()
        .join("-+-");
    println!();
    for line in &lines {
        match line {
            None => println!("{rule}"),
            Some(cells) if cells[1..].iter().all(String::is_empty) => println!("{}", cells[0]),
            Some(cells) => {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(widths)
                    .map(|(cell, width)| {
                        let pad = width.saturating_sub(cell.chars().count());
                        format!("{cell}{}", " ".repeat(pad))
                    })
                    .collect();
                println!("{}", padded.join(" | ").trim_end());
            }
        }
    }
    println!();
}
