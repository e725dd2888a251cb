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
    fn from_value(value: &Value) -> Option<Self>;

    /// The error for a path that selects nothing, or no such value; `path_field` names it.
    fn path_error(path: &Path, path_field: &str) -> StatesError;

    /// The error for an expression whose value is not one.
    fn expression_error(value: &Value, field: &JsonataField) -> StatesError;
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
            Dynamic::Path(path) => path
                .select(sources)
                .as_ref()
                .and_then(T::from_value)
                .ok_or_else(|| T::path_error(path, path_field)),
            Dynamic::Expression(field) => {
                let value = field.evaluate(bindings)?;
                T::from_value(&value).ok_or_else(|| T::expression_error(&value, field))
            }
        }
    }
}

fn invalid_reference(path_field: &str, what: &str, path: &Path) -> StatesError {
    StatesError::runtime(format!(
        "The {path_field} parameter does not reference a valid {what}: {path}"
    ))
}

/// A whole, non-negative number of seconds or items.
impl Resolvable for u64 {
    fn from_value(value: &Value) -> Option<Self> {
        value.as_u64()
    }

    fn path_error(path: &Path, path_field: &str) -> StatesError {
        invalid_reference(path_field, "non-negative integer", path)
    }

    fn expression_error(value: &Value, field: &JsonataField) -> StatesError {
        field.type_error("non-negative integer", value).into()
    }
}

/// ToleratedFailurePercentage, the one fractional dynamic field: a number from 0 to 100,
/// whichever way it is given.
impl Resolvable for f64 {
    fn from_value(value: &Value) -> Option<Self> {
        value
            .as_f64()
            .filter(|percentage| (0.0..=100.0).contains(percentage))
    }

    fn path_error(_: &Path, _: &str) -> StatesError {
        out_of_range()
    }

    fn expression_error(_: &Value, _: &JsonataField) -> StatesError {
        out_of_range()
    }
}

fn out_of_range() -> StatesError {
    StatesError::runtime("ToleratedFailurePercentage must be a number from 0 to 100")
}

/// An RFC 3339 timestamp string.
impl Resolvable for OffsetDateTime {
    fn from_value(value: &Value) -> Option<Self> {
        OffsetDateTime::parse(value.as_str()?, &Rfc3339).ok()
    }

    fn path_error(path: &Path, path_field: &str) -> StatesError {
        invalid_reference(
            path_field,
            "ISO-8601 extended offset date-time format string",
            path,
        )
    }

    fn expression_error(value: &Value, field: &JsonataField) -> StatesError {
        field.type_error("timestamp string", value).into()
    }
}
