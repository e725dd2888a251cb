//! What the subcommands read: definition and input files, the clock asked for, and an engine
//! holding the definition.

use std::path::Path;
use std::sync::Arc;

use asl::{Clock, Engine, EngineError, RealClock, TaskRegistry, VirtualClock, handler_fn};
use clap::ValueEnum;
use serde_json::Value;

use crate::problem::Problem;

pub fn read(file: &Path) -> Result<String, Problem> {
    std::fs::read_to_string(file)
        .map_err(|error| Problem::new(format!("cannot read {}: {error}", file.display())))
}

/// `--input` is a file when one exists at that path, JSON text otherwise.
pub fn input_text(input: &str) -> Result<String, Problem> {
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

/// Which clock an execution runs on (`--clock`).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClockChoice {
    /// Waits, retry intervals and timeouts take no wall time.
    Virtual,
    Real,
}

pub fn clock(choice: ClockChoice) -> Arc<dyn Clock> {
    match choice {
        ClockChoice::Virtual => Arc::new(VirtualClock::new()),
        ClockChoice::Real => Arc::new(RealClock),
    }
}

/// An engine whose Lambda functions echo their input, holding the definition in `file`.
pub fn engine_with(file: &Path, clock: Arc<dyn Clock>) -> Result<(Engine, String), Problem> {
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
            EngineError::InvalidDefinition(invalid) => Problem {
                message: invalid.to_string(),
                stdout: None,
            },
            other => Problem::new(other.to_string()),
        })?;
    Ok((engine, arn))
}
