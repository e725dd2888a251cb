//! Conversion between the engine's JSON values and JSONata's.

use jsonata_core::value::JValue;
use serde_json::{Map, Value};

/// Variables as JSONata binds them, converted once per evaluation of a
/// template rather than once per expression in it.
pub(super) type Scope = Vec<(String, JValue)>;

pub(super) fn scope(bindings: &Map<String, Value>) -> Scope {
    bindings
        .iter()
        .map(|(name, value)| (name.clone(), JValue::from(value.clone())))
        .collect()
}

/// What an evaluation produced, seen from JSON.
pub(super) enum Outcome {
    Value(Value),
    Undefined,
    /// A function or regex: JSONata values with no JSON form.
    NotJson(&'static str),
}

pub(super) fn outcome(result: &JValue) -> Result<Outcome, serde_json::Error> {
    if result.is_undefined() {
        return Ok(Outcome::Undefined);
    }
    if result.is_function() {
        return Ok(Outcome::NotJson("a function"));
    }
    if result.is_regex() {
        return Ok(Outcome::NotJson("a regular expression"));
    }
    // Through serde rather than `Value::from(&JValue)`, which would turn the
    // integer `1+1` into `2.0`.
    serde_json::to_value(result).map(Outcome::Value)
}
