//! The `asl` command line: each subcommand prints exactly one JSON line on stdout.

mod bench;
mod run;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use asl::definition::StateMachine;
use asl::{Clock, Engine, RealClock, TaskRegistry, VirtualClock, handler_fn};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClockChoice {
    /// Waits, retry intervals and timeouts take no wall time.
    Virtual,
    Real,
}

/// Why a command could not do its job: exit code 2, `message` on stderr.
pub struct Problem {
    pub message: String,
    pub stdout: Option<String>,
}

impl Problem {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            stdout: None,
        }
    }
}

pub async fn execute(command: Command) -> Result<String, Problem> {
    match command.action {
        Action::Run(args) => run::run(args).await,
        Action::Validate { file } => validate(&file),
        Action::Bench(args) => bench::bench(args).await,
    }
}

fn validate(file: &Path) -> Result<String, Problem> {
    let text = read(file)?;
    match StateMachine::from_json(&text) {
        Ok(_) => Ok(json!({"result": "OK", "diagnostics": []}).to_string()),
        Err(invalid) => {
            let line = json!({"result": "FAIL", "diagnostics": invalid.diagnostics}).to_string();
            Err(Problem {
                message: invalid.to_string(),
                stdout: Some(line),
            })
        }
    }
}

fn read(file: &Path) -> Result<String, Problem> {
    std::fs::read_to_string(file)
        .map_err(|error| Problem::new(format!("cannot read {}: {error}", file.display())))
}

/// `--input` is a file when one exists at that path, JSON text otherwise.
fn input_text(input: &str) -> Result<String, Problem> {
    let path = Path::new(input);
    let text = if path.is_file() {
        read(path)?
    } else {
        input.to_owned()
    };
    serde_json::from_str::<Value>(&text)
        .map_err(|error| Problem::new(format!("the input is not valid JSON: {error}")))?;
    Ok(text)
}

fn clock(choice: ClockChoice) -> Arc<dyn Clock> {
    match choice {
        ClockChoice::Virtual => Arc::new(VirtualClock::new()),
        ClockChoice::Real => Arc::new(RealClock),
    }
}

/// An engine whose Lambda functions echo their input, holding the definition in `file`.
fn engine_with(file: &Path, clock: Arc<dyn Clock>) -> Result<(Engine, String), Problem> {
    let definition = read(file)?;
    let mut tasks = TaskRegistry::new();
    tasks.set_default_function(handler_fn(|input: Value| async move { Ok(input) }));
    let engine = Engine::new(clock, tasks);
    let name = file
        .file_stem()
        .map(|stem| {
            stem.to_string_lossy().replace(
                |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
                "-",
            )
        })
        .filter(|name| !name.is_empty() && name.len() <= 80)
        .unwrap_or_else(|| "StateMachine".into());
    let arn = engine
        .create_state_machine(&name, &definition)
        .map_err(|error| match error {
            asl::EngineError::InvalidDefinition(invalid) => Problem {
                message: invalid.to_string(),
                stdout: None,
            },
            other => Problem::new(other.to_string()),
        })?;
    Ok((engine, arn))
}
