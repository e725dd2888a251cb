//! `asl run`: one execution, reported as one JSON line.

use std::path::PathBuf;

use asl::{HistoryRequest, MockConfig, StartExecution};
use clap::Args;
use serde_json::{Map, Value, json};

use crate::load::{ClockChoice, clock, engine_with, input_text, read};
use crate::problem::Problem;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The definition (JSON file).
    #[arg(long)]
    definition: PathBuf,
    /// The execution input: a JSON file, or JSON text.
    #[arg(long, default_value = "{}")]
    input: String,
    /// Adds the execution's history events.
    #[arg(long)]
    history: bool,
    /// A Step Functions Local mock config answering Task states.
    #[arg(long, requires = "test_case")]
    mock_config: Option<PathBuf>,
    /// The test case of the mock config to use.
    #[arg(long, requires = "mock_config")]
    test_case: Option<String>,
    /// The state machine of the mock config holding the test case (default: any).
    #[arg(long)]
    state_machine: Option<String>,
    #[arg(long, value_enum, default_value = "virtual")]
    clock: ClockChoice,
}

pub async fn run(args: RunArgs) -> Result<String, Problem> {
    let input = input_text(&args.input)?;
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(file), Some(test_case)) => {
            let config = MockConfig::from_json(&read(file)?)
                .map_err(|error| Problem::new(error.to_string()))?;
            let mocks = config
                .test_case(args.state_machine.as_deref(), test_case)
                .map_err(|error| Problem::new(error.to_string()))?;
            Some(mocks)
        }
        _ => None,
    };
    let (engine, arn) = engine_with(&args.definition, clock(args.clock))?;
    let mut request = StartExecution::new(arn).input_text(input);
    if let Some(mocks) = mocks {
        request = request.mocks(mocks);
    }
    let started = engine
        .start_execution(request)
        .map_err(|error| Problem::new(error.to_string()))?;
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .map_err(|error| Problem::new(error.to_string()))?;
    let mut line = Map::new();
    line.insert("status".into(), json!(done.status()));
    match done.output() {
        Some(output) => {
            line.insert("output".into(), output.clone());
        }
        None => {
            line.insert("error".into(), json!(done.error()));
            line.insert("cause".into(), json!(done.cause()));
        }
    }
    if args.history {
        let page = engine
            .get_execution_history(
                &started.execution_arn,
                &HistoryRequest {
                    max_results: Some(usize::MAX),
                    ..HistoryRequest::default()
                },
            )
            .map_err(|error| Problem::new(error.to_string()))?;
        let events: Vec<Value> = page.events.iter().map(asl::HistoryEvent::to_json).collect();
        line.insert("history".into(), Value::Array(events));
    }
    Ok(Value::Object(line).to_string())
}
