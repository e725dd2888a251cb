//! Task: runs the work its Resource names, with Retry and Catch around it.

use serde_json::Value;

use super::handling::{after_attempt, complete, prepare};
use super::retry::RetryState;
use super::{Cx, Step, Stopped};
use crate::definition::TaskState;
use crate::error::StatesError;
use crate::history::events;
use crate::task::Resource;

pub async fn run(cx: &Cx<'_>, state: &TaskState, raw_input: Value) -> Result<Step, Stopped> {
    let resource = Resource::parse(&state.resource);
    let processing = &state.processing;
    let mut retry = RetryState::new(&processing.retry);
    loop {
        let attempt = attempt(cx, state, &resource, &raw_input, retry.retry_count()).await;
        if let Some(step) = after_attempt(cx, processing, &raw_input, attempt, &mut retry).await? {
            return Ok(step);
        }
    }
}

async fn attempt(
    cx: &Cx<'_>,
    state: &TaskState,
    resource: &Resource,
    raw_input: &Value,
    retry_count: u64,
) -> Result<Step, Stopped> {
    let (parameters, context) = prepare(cx, &state.processing, raw_input, retry_count)?;
    let result = invoke(cx, resource, parameters).await?;
    complete(cx, &state.processing, raw_input, result, &context)
}

/// Calls the handler, recording the Task* (or LambdaFunction*) events AWS records.
async fn invoke(cx: &Cx<'_>, resource: &Resource, parameters: Value) -> Result<Value, StatesError> {
    let run = cx.run;
    let is_function = matches!(resource, Resource::LambdaFunction { .. });
    let (resource_type, resource_name) = resource.event_names();
    if is_function {
        run.record(events::lambda_scheduled(resource.arn(), &parameters));
        run.record(events::lambda_started());
    } else {
        run.record(events::task_scheduled(
            &resource_type,
            &resource_name,
            &run.region,
            &parameters,
        ));
        run.record(events::task_started(&resource_type, &resource_name));
    }
    let result = run.tasks.invoke(resource, parameters).await;
    match &result {
        Ok(output) if is_function => run.record(events::lambda_succeeded(output)),
        Ok(output) => run.record(events::task_succeeded(
            &resource_type,
            &resource_name,
            output,
        )),
        Err(error) if is_function => run.record(events::lambda_failed(&error.error, &error.cause)),
        Err(error) => run.record(events::task_failed(
            &resource_type,
            &resource_name,
            &error.error,
            &error.cause,
        )),
    };
    result
}
