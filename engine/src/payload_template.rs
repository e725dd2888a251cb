//! Payload templates (Parameters, ResultSelector, ItemSelector, a JSONPath state's Assign): JSON
//! whose fields named `x.$` are replaced by the value a path or an intrinsic function selects,
//! however deeply nested. Paths and intrinsic calls are read once, with the definition.

use serde_json::{Map, Value};

use crate::error::StatesError;
use crate::intrinsic_call::{IntrinsicCall, is_intrinsic};
use crate::path::{Path, Sources};

#[derive(Debug, Clone)]
pub enum PayloadTemplate {
    /// A part with nothing to substitute: rendered as is.
    Literal(Value),
    Object(Vec<(String, PayloadTemplate)>),
    Array(Vec<PayloadTemplate>),
    Path {
        field: String,
        path: Path,
    },
    Intrinsic {
        field: String,
        call: IntrinsicCall,
    },
}

/// Why a template's `x.$` field cannot be read, at the JSON pointer `location`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the value of '{key}' must be a JSONPath or an intrinsic function")]
    NotAPathOrCall { location: String, key: String },
    /// The cause is the intrinsic's own syntax error.
    #[error("{cause}")]
    InvalidCall { location: String, cause: String },
    #[error("{message}")]
    InvalidPath { location: String, message: String },
}

impl TemplateError {
    pub fn location(&self) -> &str {
        match self {
            TemplateError::NotAPathOrCall { location, .. }
            | TemplateError::InvalidCall { location, .. }
            | TemplateError::InvalidPath { location, .. } => location,
        }
    }
}

impl PayloadTemplate {
    /// Reads `value`, found at `location`; every field that cannot be read is an error.
    pub fn compile(value: &Value, location: &str) -> Result<Self, Vec<TemplateError>> {
        let mut errors = Vec::new();
        let template = Self::compile_into(value, location, &mut errors);
        if errors.is_empty() {
            Ok(template)
        } else {
            Err(errors)
        }
    }

    fn compile_into(value: &Value, location: &str, errors: &mut Vec<TemplateError>) -> Self {
        match value {
            Value::Object(map) => {
                let mut fields = Vec::with_capacity(map.len());
                for (key, value) in map {
                    let at = format!("{location}/{key}");
                    match key.strip_suffix(".$") {
                        Some(name) => match compile_dynamic(key, value, &at) {
                            Ok(template) => fields.push((name.to_owned(), template)),
                            Err(error) => errors.push(error),
                        },
                        None => fields.push((key.clone(), Self::compile_into(value, &at, errors))),
                    }
                }
                if fields
                    .iter()
                    .all(|(_, t)| matches!(t, PayloadTemplate::Literal(_)))
                {
                    PayloadTemplate::Literal(value.clone())
                } else {
                    PayloadTemplate::Object(fields)
                }
            }
            Value::Array(items) => {
                let templates: Vec<PayloadTemplate> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Self::compile_into(item, &format!("{location}/{i}"), errors))
                    .collect();
                if templates
                    .iter()
                    .all(|t| matches!(t, PayloadTemplate::Literal(_)))
                {
                    PayloadTemplate::Literal(value.clone())
                } else {
                    PayloadTemplate::Array(templates)
                }
            }
            other => PayloadTemplate::Literal(other.clone()),
        }
    }

    pub fn render(&self, sources: &Sources) -> Result<Value, StatesError> {
        match self {
            PayloadTemplate::Literal(value) => Ok(value.clone()),
            PayloadTemplate::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (name, template) in fields {
                    out.insert(name.clone(), template.render(sources)?);
                }
                Ok(Value::Object(out))
            }
            PayloadTemplate::Array(items) => items
                .iter()
                .map(|item| item.render(sources))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            PayloadTemplate::Path { field, path } => path.select(sources).ok_or_else(|| {
                let searched = path.document(sources).unwrap_or(&Value::Null);
                StatesError::runtime(format!(
                    "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{searched}'"
                ))
            }),
            PayloadTemplate::Intrinsic { call, .. } => call.evaluate(sources),
        }
    }
}

fn compile_dynamic(key: &str, value: &Value, at: &str) -> Result<PayloadTemplate, TemplateError> {
    let Some(text) = value.as_str() else {
        return Err(TemplateError::NotAPathOrCall {
            location: at.to_owned(),
            key: key.to_owned(),
        });
    };
    if is_intrinsic(text) {
        let call = IntrinsicCall::parse(text).map_err(|cause| TemplateError::InvalidCall {
            location: at.to_owned(),
            cause,
        })?;
        return Ok(PayloadTemplate::Intrinsic {
            field: key.to_owned(),
            call,
        });
    }
    match Path::parse(text) {
        Ok(path) => Ok(PayloadTemplate::Path {
            field: key.to_owned(),
            path,
        }),
        Err(error) => Err(TemplateError::InvalidPath {
            location: at.to_owned(),
            message: error.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn render(template: &PayloadTemplate, input: Value) -> Result<Value, StatesError> {
        let context = json!({"Execution": {"Name": "run"}});
        let variables = Map::new();
        template.render(&Sources {
            input: &input,
            context: &context,
            variables: &variables,
        })
    }

    fn compile(value: Value) -> PayloadTemplate {
        PayloadTemplate::compile(&value, "/Parameters").expect("a valid template")
    }

    #[test]
    fn substitutes_paths_at_any_depth() {
        let template = compile(json!({
            "static": {"a": 1},
            "value.$": "$.x",
            "nested": [{"name.$": "$$.Execution.Name"}, 2]
        }));
        let rendered = render(&template, json!({"x": [1, 2]})).unwrap();
        assert_eq!(
            rendered,
            json!({"static": {"a": 1}, "value": [1, 2], "nested": [{"name": "run"}, 2]})
        );
    }

    #[test]
    fn a_missing_path_is_a_runtime_error_naming_the_field() {
        let template = compile(json!({"value.$": "$.missing"}));
        let error = render(&template, json!({"x": 1})).unwrap_err();
        assert_eq!(error.error, "States.Runtime");
        assert_eq!(
            error.cause,
            "The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{\"x\":1}'"
        );
    }

    #[test]
    fn a_dynamic_field_must_hold_a_path() {
        let errors =
            PayloadTemplate::compile(&json!({"a.$": 3, "b.$": "nope"}), "/Parameters").unwrap_err();
        let locations: Vec<&str> = errors.iter().map(TemplateError::location).collect();
        assert_eq!(locations, ["/Parameters/a.$", "/Parameters/b.$"]);
    }
}
