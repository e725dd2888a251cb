//! Task: runs the work its Resource names, with Retry and Catch around it.

use serde_json::Value;

use super::retry::RetryState;
use super::{Entered, Run, Step, Stopped, io};
use crate::definition::{TaskState, matches_error};
use crate::error::StatesError;
use crate::history::events;
use crate::task::Resource;

pub async fn run(
    run: &Run,
    state: &TaskState,
    entered: &Entered<'_>,
    raw_input: Value,
) -> Result<Step, Stopped> {
    let resource = Resource::parse(&state.resource);
    let mut retry = RetryState::new(&state.retry);
    let outcome = loop {
        let context = run.context_object(entered, retry.retry_count());
        let attempt = attempt(run, state, &resource, &raw_input, &context).await;
        match attempt {
            Ok(output) => break Ok(output),
            Err(error) => match retry.next_delay(&error) {
                Some(delay) => run.sleep(delay).await?,
                None => break Err(error),
            },
        }
    };
    match outcome {
        Ok(output) => Ok(Step::after(&state.transition, output)),
        Err(error) => catch(state, raw_input, error),
    }
}

/// One attempt: the input processing, the task, and the result processing.
async fn attempt(
    run: &Run,
    state: &TaskState,
    resource: &Resource,
    raw_input: &Value,
    context: &Value,
) -> Result<Value, StatesError> {
    let effective = io::input_path(&state.filters, raw_input, context)?;
    let parameters = match &state.parameters {
        Some(template) => template.render(&effective, context)?,
        None => effective,
    };
    let result = invoke(run, resource, parameters).await?;
    let result = match &state.result_selector {
        Some(template) => template.render(&result, context)?,
        None => result,
    };
    let output = io::result_path(state.result_path.as_ref(), raw_input.clone(), result)?;
    io::output_path(&state.filters, output, context)
}

/// Calls the handler, recording the Task* (or LambdaFunction*) events AWS records.
async fn invoke(run: &Run, resource: &Resource, parameters: Value) -> Result<Value, StatesError> {
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

/// The first Catcher that matches sends the execution on with the error output in its input.
fn catch(state: &TaskState, raw_input: Value, error: StatesError) -> Result<Step, Stopped> {
    let Some(catcher) = state
        .catch
        .iter()
        .find(|catcher| matches_error(&catcher.error_equals, &error))
    else {
        return Err(Stopped::Failed(error));
    };
    let output = io::result_path(
        catcher.result_path.as_ref(),
        raw_input,
        error.to_error_output(),
    )?;
    Ok(Step {
        output,
        next: Some(catcher.next.clone()),
    })
}
