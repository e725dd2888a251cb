//! The exporter lists families and series in the order its hash maps hold them, which changes
//! from one scrape to the next; the page is put back in a fixed order here, so that two scrapes
//! read alike and a diff of them shows what changed.

use std::collections::HashMap;
use std::fmt::Write;

/// A metric family as the page introduces it.
#[derive(Debug, Clone, Copy)]
pub struct Family {
    pub name: &'static str,
    pub help: &'static str,
    /// The Prometheus type: `counter` or `histogram`.
    pub kind: &'static str,
}

/// The families in the order given, each with its HELP and TYPE lines even before it has a
/// series, and each family's series sorted by their labels, a series' lines kept together.
pub fn in_order(page: &str, families: &[Family]) -> String {
    let series = series_by_family(page);
    let mut out = String::with_capacity(page.len() + 256);
    for family in families {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "# HELP {} {}", family.name, family.help);
        let _ = writeln!(out, "# TYPE {} {}", family.name, family.kind);
        for line in series.get(family.name).into_iter().flatten().flatten() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The exporter writes a family's TYPE line, then its series: one line each for a counter, and
/// for a histogram its buckets, its sum and, last, its count.
fn series_by_family(page: &str) -> HashMap<&str, Vec<Vec<&str>>> {
    let mut families: HashMap<&str, Vec<Vec<&str>>> = HashMap::new();
    let mut family = None;
    let mut series = Vec::new();
    for line in page.lines() {
        if let Some(declared) = line.strip_prefix("# TYPE ") {
            family = declared.split(' ').next();
            continue;
        }
        let Some(family) = family.filter(|_| !line.is_empty() && !line.starts_with('#')) else {
            continue;
        };
        series.push(line);
        let sample = line.split(['{', ' ']).next().unwrap_or_default();
        if !(sample.ends_with("_bucket") || sample.ends_with("_sum")) {
            families
                .entry(family)
                .or_default()
                .push(std::mem::take(&mut series));
        }
    }
    for series in families.values_mut() {
        // By the first line: the series' labels, in the order they were recorded with.
        series.sort_unstable();
    }
    families
}
