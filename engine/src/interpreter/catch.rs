//! The Retriers and Catchers around each attempt of a Task's, Parallel's or Map's work
//! (States Language, "Error Handling"): a matching Retrier tries again after its interval, a
//! matching Catcher turns the error into the state's output and sends it to its `Next`.

use serde_json::{Map, Value, json};

use super::processing::{complete, prepare};
use super::retry::RetryState;
use super::{Cx, Step, Stopped, io, with_state_prefix};
use crate::definition::{Processing, matches_error};
use crate::error::StatesError;

/// Runs Parallel's or Map's work under its Retriers and Catchers: each attempt prepares the
/// state's input, hands it and the context object to `work`, and processes what comes back.
pub async fn with_retries<F, Fut>(
    cx: &Cx<'_>,
    processing: &Processing,
    raw_input: &Value,
    work: F,
) -> Result<Step, Stopped>
where
    F: Fn(Value, Value) -> Fut,
    Fut: Future<Output = Result<Value, Stopped>>,
{
    let mut retry = RetryState::new(&processing.retry);
    loop {
        let attempt = async {
            let (input, context) = prepare(cx, processing, raw_input, retry.retry_count())?;
            let result = work(input, context.clone()).await?;
            complete(cx, processing, raw_input, result, &context)
        }
        .await;
        if let Some(step) = after_attempt(cx, processing, raw_input, attempt, &mut retry).await? {
            return Ok(step);
        }
    }
}

/// What to do after an attempt: the step to take (it succeeded, or a Catcher took its error),
/// or `None` to try again (a Retrier matched; its interval has passed).
pub async fn after_attempt(
    cx: &Cx<'_>,
    processing: &Processing,
    raw_input: &Value,
    attempt: Result<Step, Stopped>,
    retry: &mut RetryState<'_>,
) -> Result<Option<Step>, Stopped> {
    let error = match attempt {
        Ok(step) => return Ok(Some(step)),
        Err(Stopped::Failed(error)) => with_state_prefix(error, &cx.state.name, cx.event_id),
        Err(stopped) => return Err(stopped),
    };
    match retry.next_delay(&error) {
        Some(delay) => {
            cx.run.sleep(delay).await?;
            Ok(None)
        }
        None => catch(cx, processing, raw_input.clone(), error).map(Some),
    }
}

fn catch(
    cx: &Cx,
    processing: &Processing,
    raw_input: Value,
    error: StatesError,
) -> Result<Step, Stopped> {
    let Some(catcher) = processing
        .catch
        .iter()
        .find(|catcher| matches_error(&catcher.error_equals, &error))
    else {
        return Err(Stopped::Failed(error));
    };
    let error_output = error.to_error_output();
    let context = cx.context(0);
    let (assigned, output) = if cx.is_jsonata() {
        let bindings = cx
            .bindings(json!({"input": raw_input, "errorOutput": error_output, "context": context}));
        let assigned = cx.assign(catcher.assign.as_ref(), &error_output, &context, &bindings)?;
        (
            assigned,
            cx.output(catcher.output.as_ref(), &bindings, error_output)?,
        )
    } else {
        let assigned = cx.assign(
            catcher.assign.as_ref(),
            &error_output,
            &context,
            &Map::new(),
        )?;
        (
            assigned,
            io::result_path(catcher.result_path.as_ref(), raw_input, error_output)?,
        )
    };
    Ok(Step {
        output,
        next: Some(catcher.next.clone()),
        assigned,
    })
}
