//! What Task, Parallel and Map share: their input and output processing around the work, and
//! the Retriers and Catchers around each attempt (States Language, "Error Handling").

use serde_json::{Map, Value, json};

use super::retry::RetryState;
use super::{Cx, Step, Stopped, io, query_error};
use crate::definition::{Processing, matches_error};
use crate::error::StatesError;

impl Cx<'_> {
    /// Gives an error the interpreter raised the state prefix AWS puts on its cause.
    pub fn explain(&self, error: StatesError) -> StatesError {
        if super::is_interpreter_error(&error) {
            let cause = super::prefixed(&error.cause, &self.state.name, self.event_id);
            return StatesError::new(error.error, cause);
        }
        error
    }
}

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
        Err(Stopped::Failed(error)) => cx.explain(error),
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

/// The input of an attempt's work (InputPath + Parameters, or Arguments), with the context
/// object the attempt sees.
pub fn prepare(
    cx: &Cx,
    processing: &Processing,
    raw_input: &Value,
    retry_count: u64,
) -> Result<(Value, Value), Stopped> {
    let context = cx.context(retry_count);
    if cx.is_jsonata() {
        let bindings = cx.bindings(json!({"input": raw_input, "context": context}));
        let arguments = match &processing.arguments {
            Some(field) => field.evaluate(&bindings).map_err(query_error)?,
            None => raw_input.clone(),
        };
        return Ok((arguments, context));
    }
    let effective = io::input_path(&processing.filters, &cx.sources(raw_input, &context))?;
    let parameters = match &processing.parameters {
        Some(template) => template.render(&cx.sources(&effective, &context))?,
        None => effective,
    };
    Ok((parameters, context))
}

/// The work's result into the state's output: ResultSelector, Assign, ResultPath, OutputPath
/// (JSONPath), or Assign and Output (JSONata).
pub fn complete(
    cx: &Cx,
    processing: &Processing,
    raw_input: &Value,
    result: Value,
    context: &Value,
) -> Result<Step, Stopped> {
    super::check_payload(&cx.state.name, &result)?;
    if cx.is_jsonata() {
        let bindings =
            cx.bindings(json!({"input": raw_input, "result": result, "context": context}));
        let assigned = cx.assign(cx.state.assign.as_ref(), &result, context, &bindings)?;
        let output = cx.output(cx.state.output.as_ref(), &bindings, result)?;
        return Ok(Step::after(&processing.transition, output, assigned));
    }
    let result = match &processing.result_selector {
        Some(template) => template.render(&cx.sources(&result, context))?,
        None => result,
    };
    let assigned = cx.assign(cx.state.assign.as_ref(), &result, context, &Map::new())?;
    let output = io::result_path(processing.result_path.as_ref(), raw_input.clone(), result)?;
    let output = io::output_path(&processing.filters, &cx.sources(&output, context))?;
    Ok(Step::after(&processing.transition, output, assigned))
}
