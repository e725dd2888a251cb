//! The input and output processing a Task, Parallel or Map state does around each attempt of
//! its work (AWS developer guide, "Processing input and output").

use serde_json::{Map, Value, json};

use super::{Cx, Step, Stopped, io};
use crate::definition::Processing;

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
            Some(field) => field.evaluate(&bindings)?,
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
