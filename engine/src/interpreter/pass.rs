//! Pass passes its input to its output, optionally replaced by `Result`, `Parameters` or
//! (JSONata) `Output`; Succeed ends the execution (or branch) with its input.

use serde_json::{Value, json};

use super::{Cx, Step, Stopped, io};
use crate::definition::{PassState, SucceedState, Transition};

pub fn run(cx: &Cx, state: &PassState, raw_input: Value) -> Result<Step, Stopped> {
    let context = cx.context(0);
    if cx.is_jsonata() {
        let bindings = cx.bindings(json!({"input": raw_input, "context": context}));
        let assigned = cx.assign(cx.state.assign.as_ref(), &raw_input, &context, &bindings)?;
        let output = cx.output(cx.state.output.as_ref(), &bindings, raw_input)?;
        return Ok(Step::after(&state.transition, output, assigned));
    }
    let effective = io::input_path(&state.filters, &cx.sources(&raw_input, &context))?;
    let result = match (&state.result, &state.parameters) {
        (Some(result), _) => result.clone(),
        (None, Some(parameters)) => parameters.render(&cx.sources(&effective, &context))?,
        (None, None) => effective,
    };
    let assigned = cx.assign(
        cx.state.assign.as_ref(),
        &result,
        &context,
        &Default::default(),
    )?;
    let output = io::result_path(state.result_path.as_ref(), raw_input, result)?;
    let output = io::output_path(&state.filters, &cx.sources(&output, &context))?;
    Ok(Step::after(&state.transition, output, assigned))
}

pub fn succeed(cx: &Cx, state: &SucceedState, raw_input: Value) -> Result<Step, Stopped> {
    let context = cx.context(0);
    let output = if cx.is_jsonata() {
        let bindings = cx.bindings(json!({"input": raw_input, "context": context}));
        cx.output(cx.state.output.as_ref(), &bindings, raw_input)?
    } else {
        let effective = io::input_path(&state.filters, &cx.sources(&raw_input, &context))?;
        io::output_path(&state.filters, &cx.sources(&effective, &context))?
    };
    Ok(Step::after(&Transition::End, output, None))
}
