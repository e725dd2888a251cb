//! Behaviour of the JSONata layer as the engine sees it: through `parse`,
//! `Expression::evaluate` and the templates.

mod aws_functions;
mod expressions;
mod templates;

use serde_json::{Map, Value, json};

use super::{JsonataError, parse};

/// `$states` with `input` bound, as a state sees it.
fn states(input: Value) -> Map<String, Value> {
    let mut bindings = Map::new();
    bindings.insert("states".to_string(), json!({ "input": input }));
    bindings
}

fn no_bindings() -> Map<String, Value> {
    Map::new()
}

fn eval(expression: &str, bindings: &Map<String, Value>) -> Result<Option<Value>, JsonataError> {
    parse(expression)?.evaluate(bindings)
}

/// The value of an expression that must yield one.
fn value(expression: &str) -> Value {
    eval(expression, &no_bindings())
        .unwrap_or_else(|e| panic!("{expression}: {e}"))
        .unwrap_or_else(|| panic!("{expression}: undefined"))
}

fn failure(expression: &str) -> JsonataError {
    match eval(expression, &no_bindings()) {
        Ok(result) => panic!("{expression}: expected an error, got {result:?}"),
        Err(e) => e,
    }
}
