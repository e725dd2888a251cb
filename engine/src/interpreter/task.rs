//! Task: runs the work its Resource names, bounded by TimeoutSeconds (and, for callbacks,
//! HeartbeatSeconds), with Retry and Catch around it.

use std::time::Duration;

use serde_json::Value;

use super::catch::after_attempt;
use super::processing::{complete, prepare};
use super::retry::RetryState;
use super::{Cx, Step, Stopped};
use crate::callback::Callback;
use crate::definition::{Dynamic, TaskState};
use crate::error::{StatesError, names};
use crate::history::events;
use crate::task::Resource;

const WAIT_FOR_TASK_TOKEN: &str = ".waitForTaskToken";

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
    let callback = state
        .resource
        .ends_with(WAIT_FOR_TASK_TOKEN)
        .then(|| cx.run.tokens.issue());
    let token_cx = Cx {
        run: cx.run,
        state: cx.state,
        event_id: cx.event_id,
        entered_time: cx.entered_time,
        variables: cx.variables,
        map_item: None,
        task_token: callback.as_ref().map(|callback| callback.token.clone()),
    };
    let token = token_cx.task_token.clone();
    let outcome = attempt_with(&token_cx, state, resource, raw_input, retry_count, callback).await;
    if let Some(token) = token {
        cx.run.tokens.forget(&token);
    }
    outcome
}

async fn attempt_with(
    cx: &Cx<'_>,
    state: &TaskState,
    resource: &Resource,
    raw_input: &Value,
    retry_count: u64,
    callback: Option<Callback>,
) -> Result<Step, Stopped> {
    let (parameters, context) = prepare(cx, &state.processing, raw_input, retry_count)?;
    let sources = cx.sources(raw_input, &context);
    let bindings = cx.input_bindings(raw_input, &context);
    let limit = |seconds: &Option<Dynamic<u64>>, path_field| {
        seconds
            .as_ref()
            .map(|seconds| seconds.resolve(&sources, &bindings, path_field))
            .transpose()
            .map(|seconds| seconds.map(Duration::from_secs))
    };
    let timeout = limit(&state.timeout, "TimeoutSecondsPath")?;
    let heartbeat = limit(&state.heartbeat, "HeartbeatSecondsPath")?;
    let (resource_type, resource_name) = resource.event_names();
    let work = async {
        match callback {
            Some(callback) => {
                wait_for_callback(cx, resource, parameters, callback, heartbeat).await
            }
            None => invoke(cx, resource, parameters).await,
        }
    };
    let result = match timeout {
        Some(timeout) => tokio::select! {
            result = work => result,
            () = cx.run.clock.timer(timeout) => Err(StatesError::new(names::TIMEOUT, "")),
        },
        None => work.await,
    };
    let result = result.inspect_err(|error| {
        if error.error == names::TIMEOUT || error.error == names::HEARTBEAT_TIMEOUT {
            cx.record(events::task_timed_out(
                &resource_type,
                &resource_name,
                &error.error,
                &error.cause,
            ));
        }
    })?;
    complete(cx, &state.processing, raw_input, result, &context)
}

/// `.waitForTaskToken`: hands the parameters (holding `$$.Task.Token`) to the resource, then
/// waits for SendTaskSuccess or SendTaskFailure; HeartbeatSeconds bounds the gap between
/// heartbeats.
async fn wait_for_callback(
    cx: &Cx<'_>,
    resource: &Resource,
    parameters: Value,
    callback: Callback,
    heartbeat: Option<Duration>,
) -> Result<Value, StatesError> {
    let (resource_type, resource_name) = resource.event_names();
    cx.record(events::task_scheduled(
        &resource_type,
        &resource_name,
        &cx.run.region,
        &parameters,
    ));
    cx.record(events::task_started(&resource_type, &resource_name));
    if let Some(answer) = mocked(cx) {
        return finish(cx, resource, answer);
    }
    if cx.run.tasks.handles(resource) {
        let sent = cx.run.tasks.invoke(resource, parameters).await;
        match sent {
            Ok(output) => cx.record(events::task_submitted(
                &resource_type,
                &resource_name,
                &output,
            )),
            Err(error) => return finish(cx, resource, Err(error)),
        };
    }
    let Callback {
        mut outcome,
        mut heartbeats,
        ..
    } = callback;
    let result = loop {
        let Some(period) = heartbeat else {
            break (&mut outcome).await;
        };
        tokio::select! {
            result = &mut outcome => break result,
            Some(()) = heartbeats.recv() => continue,
            () = cx.run.clock.timer(period) => return Err(StatesError::new(names::HEARTBEAT_TIMEOUT, "")),
        }
    };
    let result = result.unwrap_or_else(|_| Err(StatesError::runtime("the task token was dropped")));
    finish(cx, resource, result)
}

fn mocked(cx: &Cx) -> Option<Result<Value, StatesError>> {
    cx.run.mocks.as_ref()?.answer(&cx.state.name)
}

/// Records how the task ended.
fn finish(
    cx: &Cx,
    resource: &Resource,
    result: Result<Value, StatesError>,
) -> Result<Value, StatesError> {
    let (resource_type, resource_name) = resource.event_names();
    match &result {
        Ok(output) => cx.record(events::task_succeeded(
            &resource_type,
            &resource_name,
            output,
        )),
        Err(error) => cx.record(events::task_failed(
            &resource_type,
            &resource_name,
            &error.error,
            &error.cause,
        )),
    };
    result
}

/// Calls the handler (or the mock), recording the Task* (or LambdaFunction*) events AWS records.
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
    let result = match mocked(cx) {
        Some(answer) => answer,
        None => run.tasks.invoke(resource, parameters).await,
    };
    match &result {
        Ok(output) if is_function => run.record(events::lambda_succeeded(output)),
        Err(error) if is_function => run.record(events::lambda_failed(&error.error, &error.cause)),
        _ => return finish(cx, resource, result),
    };
    result
}
