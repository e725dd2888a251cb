//! Resolves a field that is a literal, a path into the state's input, or a JSONata expression
//! to the value the state runs with, checking a path's or an expression's result as the field
//! requires.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::definition::{Dynamic, JsonataField};
use crate::error::StatesError;
use crate::path::{Path, Sources};

/// A type a dynamic field can resolve to, with the errors AWS raises for a path or an
/// expression whose value is not one.
pub trait Resolvable: Copy {
    /// The value a path selected (`None`: nothing); `path_field` names the field in errors.
    fn from_path(value: Option<&Value>, path: &Path, path_field: &str)
    -> Result<Self, StatesError>;

    fn from_expression(value: &Value, field: &JsonataField) -> Result<Self, StatesError>;
}

impl<T: Resolvable> Dynamic<T> {
    /// The field's value for this run of the state: `sources` serve a path (JSONPath),
    /// `bindings` an expression (JSONata); `path_field` names the path field in errors.
    pub fn resolve(
        &self,
        sources: &Sources,
        bindings: &Map<String, Value>,
        path_field: &str,
    ) -> Result<T, StatesError> {
        match self {
            Dynamic::Literal(value) => Ok(*value),
            Dynamic::Path(path) => T::from_path(path.select(sources).as_ref(), path, path_field),
            Dynamic::Expression(field) => T::from_expression(&field.evaluate(bindings)?, field),
        }
    }
}

/// A whole, non-negative number of seconds or items.
impl Resolvable for u64 {
    fn from_path(
        value: Option<&Value>,
        path: &Path,
        path_field: &str,
    ) -> Result<Self, StatesError> {
        value.and_then(Value::as_u64).ok_or_else(|| {
            StatesError::runtime(format!(
                "The {path_field} parameter does not reference a valid non-negative integer: {path}"
            ))
        })
    }

    fn from_expression(value: &Value, field: &JsonataField) -> Result<Self, StatesError> {
        value
            .as_u64()
            .ok_or_else(|| field.type_error("non-negative integer", value).into())
    }
}

/// ToleratedFailurePercentage, the one fractional dynamic field: a number from 0 to 100.
impl Resolvable for f64 {
    fn from_path(value: Option<&Value>, _: &Path, _: &str) -> Result<Self, StatesError> {
        percentage(value)
    }

    fn from_expression(value: &Value, _: &JsonataField) -> Result<Self, StatesError> {
        percentage(Some(value))
    }
}

fn percentage(value: Option<&Value>) -> Result<f64, StatesError> {
    value
        .and_then(Value::as_f64)
        .filter(|percentage| (0.0..=100.0).contains(percentage))
        .ok_or_else(|| {
            StatesError::runtime("ToleratedFailurePercentage must be a number from 0 to 100")
        })
}

/// An RFC 3339 timestamp string.
impl Resolvable for OffsetDateTime {
    fn from_path(
        value: Option<&Value>,
        path: &Path,
        path_field: &str,
    ) -> Result<Self, StatesError> {
        value.and_then(timestamp).ok_or_else(|| {
            StatesError::runtime(format!(
                "The {path_field} parameter does not reference a valid ISO-8601 extended offset date-time format string: {path}"
            ))
        })
    }

    fn from_expression(value: &Value, field: &JsonataField) -> Result<Self, StatesError> {
        timestamp(value).ok_or_else(|| field.type_error("timestamp string", value).into())
    }
}

fn timestamp(value: &Value) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value.as_str()?, &Rfc3339).ok()
}
