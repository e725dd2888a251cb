//! Pass: passes its input to its output, optionally replaced by `Result` or `Parameters`.

use serde_json::Value;

use super::{Entered, Run, Step, Stopped, io};
use crate::definition::PassState;

pub fn run(
    run: &Run,
    state: &PassState,
    entered: &Entered,
    raw_input: Value,
) -> Result<Step, Stopped> {
    let context = run.context_object(entered, 0);
    let effective = io::input_path(&state.filters, &raw_input, &context)?;
    let result = match (&state.result, &state.parameters) {
        (Some(result), _) => result.clone(),
        (None, Some(parameters)) => parameters.render(&effective, &context)?,
        (None, None) => effective,
    };
    let output = io::result_path(state.result_path.as_ref(), raw_input, result)?;
    let output = io::output_path(&state.filters, output, &context)?;
    Ok(Step::after(&state.transition, output))
}
