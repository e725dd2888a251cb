//! scripts/bench's orchestrator: runs each benchmark of issue 7 and writes the report.

fn main() {}
