//! Payload templates (Parameters, ResultSelector, ItemSelector): JSON whose fields named `x.$`
//! are replaced by the value a path or an intrinsic function selects, however deeply nested.

use serde_json::{Map, Value};

use crate::definition::reader::{Diagnostics, schema};
use crate::error::StatesError;
use crate::intrinsic_call;
use crate::path::{Path, Sources};

#[derive(Debug, Clone)]
pub enum Template {
    /// A part with nothing to substitute: rendered as is.
    Literal(Value),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
    Path {
        field: String,
        path: Path,
    },
    Intrinsic {
        field: String,
        expression: String,
    },
}

impl Template {
    pub(crate) fn compile(value: &Value, location: &str, d: &mut Diagnostics) -> Template {
        match value {
            Value::Object(map) => {
                let mut fields = Vec::with_capacity(map.len());
                for (key, value) in map {
                    let at = format!("{location}/{key}");
                    match key.strip_suffix(".$") {
                        Some(name) => {
                            if let Some(template) = compile_dynamic(key, value, &at, d) {
                                fields.push((name.to_owned(), template));
                            }
                        }
                        None => fields.push((key.clone(), Template::compile(value, &at, d))),
                    }
                }
                if fields
                    .iter()
                    .all(|(_, t)| matches!(t, Template::Literal(_)))
                {
                    Template::Literal(value.clone())
                } else {
                    Template::Object(fields)
                }
            }
            Value::Array(items) => {
                let templates: Vec<Template> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| Template::compile(item, &format!("{location}/{i}"), d))
                    .collect();
                if templates.iter().all(|t| matches!(t, Template::Literal(_))) {
                    Template::Literal(value.clone())
                } else {
                    Template::Array(templates)
                }
            }
            other => Template::Literal(other.clone()),
        }
    }

    pub fn render(&self, sources: &Sources) -> Result<Value, StatesError> {
        match self {
            Template::Literal(value) => Ok(value.clone()),
            Template::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (name, template) in fields {
                    out.insert(name.clone(), template.render(sources)?);
                }
                Ok(Value::Object(out))
            }
            Template::Array(items) => items
                .iter()
                .map(|item| item.render(sources))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Template::Path { field, path } => path.select(sources).ok_or_else(|| {
                let searched = path.document(sources).unwrap_or(&Value::Null);
                StatesError::runtime(format!(
                    "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{searched}'"
                ))
            }),
            Template::Intrinsic { expression, .. } => intrinsic_call::evaluate(expression, sources),
        }
    }
}

fn compile_dynamic(key: &str, value: &Value, at: &str, d: &mut Diagnostics) -> Option<Template> {
    let Some(text) = value.as_str() else {
        d.push(schema(
            at,
            &format!("the value of '{key}' must be a JSONPath or an intrinsic function"),
        ));
        return None;
    };
    if intrinsic_call::is_intrinsic(text) {
        if let Some(error) = intrinsic_call::syntax_error(text) {
            d.push(schema(at, &error));
            return None;
        }
        return Some(Template::Intrinsic {
            field: key.to_owned(),
            expression: text.to_owned(),
        });
    }
    match Path::parse(text) {
        Ok(path) => Some(Template::Path {
            field: key.to_owned(),
            path,
        }),
        Err(error) => {
            d.push(crate::definition::Diagnostic::error(
                crate::definition::codes::INVALID_JSON_PATH,
                at,
                error.to_string(),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn render(template: &Template, input: Value) -> Result<Value, StatesError> {
        let context = json!({"Execution": {"Name": "run"}});
        let variables = Map::new();
        template.render(&Sources {
            input: &input,
            context: &context,
            variables: &variables,
        })
    }

    fn compile(value: Value) -> Template {
        let mut d = Vec::new();
        let template = Template::compile(&value, "/Parameters", &mut d);
        assert!(d.is_empty(), "{d:?}");
        template
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
        let mut d = Vec::new();
        Template::compile(&json!({"a.$": 3, "b.$": "nope"}), "/Parameters", &mut d);
        let locations: Vec<&str> = d.iter().map(|d| d.location.as_str()).collect();
        assert_eq!(locations, ["/Parameters/a.$", "/Parameters/b.$"]);
    }
}
