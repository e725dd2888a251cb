//! Parallel: runs every branch on the same input at once; its result is the array of the
//! branches' outputs, in branch order. A failing branch fails the state.

use serde_json::Value;

use super::catch::with_retries;
use super::join::join_until;
use super::{Cx, Step, Stopped};
use crate::clock::Fork;
use crate::definition::ParallelState;
use crate::history::events;

pub async fn run(cx: &Cx<'_>, state: &ParallelState, raw_input: Value) -> Result<Step, Stopped> {
    with_retries(cx, &state.processing, &raw_input, |input, _context| {
        branches(cx, state, input)
    })
    .await
}

async fn branches(cx: &Cx<'_>, state: &ParallelState, input: Value) -> Result<Value, Stopped> {
    cx.record(events::bare("ParallelStateStarted"));
    let fork = Fork::new(usize::MAX);
    let runs: Vec<_> = state
        .branches
        .iter()
        .map(|branch| {
            fork.branch(
                cx.run
                    .run_states(branch, input.clone(), cx.variables.clone()),
            )
        })
        .collect();
    let outputs = join_until(runs, Result::is_err).await;
    fork.join(cx.run.clock.as_ref()).await;
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
