//! Parallel: runs every branch on the same input at once; its result is the array of the
//! branches' outputs, in branch order. A failing branch fails the state.

use serde_json::Value;

use super::handling::{after_attempt, complete, prepare};
use super::join::join_until;
use super::retry::RetryState;
use super::{Cx, Step, Stopped};
use crate::definition::ParallelState;
use crate::history::events;

pub async fn run(cx: &Cx<'_>, state: &ParallelState, raw_input: Value) -> Result<Step, Stopped> {
    let processing = &state.processing;
    let mut retry = RetryState::new(&processing.retry);
    loop {
        let attempt = attempt(cx, state, &raw_input, retry.retry_count()).await;
        if let Some(step) = after_attempt(cx, processing, &raw_input, attempt, &mut retry).await? {
            return Ok(step);
        }
    }
}

async fn attempt(
    cx: &Cx<'_>,
    state: &ParallelState,
    raw_input: &Value,
    retry_count: u64,
) -> Result<Step, Stopped> {
    let (input, context) = prepare(cx, &state.processing, raw_input, retry_count)?;
    let result = branches(cx, state, input).await?;
    complete(cx, &state.processing, raw_input, result, &context)
}

async fn branches(cx: &Cx<'_>, state: &ParallelState, input: Value) -> Result<Value, Stopped> {
    cx.record(events::bare("ParallelStateStarted"));
    let runs: Vec<_> = state
        .branches
        .iter()
        .map(|branch| {
            cx.run
                .run_states(branch, input.clone(), cx.variables.clone())
        })
        .collect();
    let outputs = join_until(runs, Result::is_err).await;
    let mut results = Vec::with_capacity(outputs.len());
    for output in outputs.into_iter().flatten() {
        match output {
            Ok(value) => results.push(value),
            Err(stopped) => {
                cx.record(events::bare("ParallelStateFailed"));
                return Err(stopped);
            }
        }
    }
    cx.record(events::bare("ParallelStateSucceeded"));
    Ok(Value::Array(results))
}
