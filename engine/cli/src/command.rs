//! The `asl` command line: each subcommand prints exactly one JSON line on stdout.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::problem::Problem;
use crate::{bench, run, validate};

#[derive(Debug, Parser)]
#[command(
    name = "asl",
    about = "Run and check Amazon States Language state machines in-process"
)]
pub struct Command {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Runs one execution and prints {"status", "output" | "error", "cause"}.
    Run(run::RunArgs),
    /// Checks a definition and prints its diagnostics.
    Validate {
        /// The definition (JSON file).
        file: PathBuf,
    },
    /// Runs many executions and prints their throughput and latency.
    Bench(bench::BenchArgs),
}

pub async fn execute(command: Command) -> Result<String, Problem> {
    match command.action {
        Action::Run(args) => run::run(args).await,
        Action::Validate { file } => validate::validate(&file),
        Action::Bench(args) => bench::bench(args).await,
    }
}
