//! The fields many state types share, and their readers: Assign, Output, InputPath/OutputPath,
//! ResultPath, Next/End, payload templates, JSONata fields, and the fields that are a literal, a
//! path or an expression (States Language, "Common State Fields", "Input and Output
//! Processing"; AWS developer guide, "Transforming data with JSONata").

use serde_json::{Map, Value};

use super::diagnostic::codes;
use super::reader::Fields;
use crate::error::names;
use crate::jsonata::{self, JsonataError};
use crate::path::{Path, ReferencePath};
use crate::payload_template::{PayloadTemplate, TemplateError};

#[derive(Debug, Clone)]
pub enum Assign {
    /// JSONPath states: a payload template (`x.$` keys take paths).
    Paths(PayloadTemplate),
    Jsonata(JsonataField),
}

/// A JSON value holding `{% %}` expressions, with the name of the field it sits in (errors
/// name it).
#[derive(Debug, Clone)]
pub struct JsonataField {
    pub field: String,
    pub template: jsonata::Template,
    /// The expression, when the whole field is one `{% %}` string (type errors quote it).
    pub expression: Option<jsonata::Expression>,
}

impl JsonataField {
    pub fn evaluate(&self, bindings: &Map<String, Value>) -> Result<Value, JsonataError> {
        self.template.evaluate_field(&self.field, bindings)
    }

    /// The error for a value of the wrong JSON type (`expected` is a JSONata type name).
    pub fn type_error(&self, expected: &str, value: &Value) -> JsonataError {
        match &self.expression {
            Some(expression) => expression.unexpected_type(&self.field, expected, value),
            None => JsonataError {
                error: names::QUERY_EVALUATION_ERROR.to_owned(),
                cause: format!(
                    "The value specified for the field '{}' has an unexpected type. Expected '{expected}', but was: {value}",
                    self.field
                ),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Next(String),
    End,
}

/// InputPath and OutputPath: `None` means the field was `null` (an empty object `{}`).
#[derive(Debug, Clone)]
pub struct Filters {
    pub input_path: Option<Path>,
    pub output_path: Option<Path>,
}

/// A field whose value is either written in the definition or found when the state runs: by
/// the field's `...Path` twin in JSONPath (`SecondsPath` for `Seconds`), or by a `{% %}`
/// expression in JSONata. A literal was checked when the definition was parsed; a path's or an
/// expression's value is checked when it is resolved.
#[derive(Debug, Clone)]
pub enum Dynamic<T> {
    Literal(T),
    Path(Path),
    Expression(JsonataField),
}

impl Fields<'_, '_> {
    /// Assign: a payload template in JSONPath, a JSONata template in JSONata.
    pub fn assign(&mut self) -> Option<Assign> {
        let at = self.at("Assign");
        let value = self.value("Assign")?;
        if !value.is_object() {
            self.report(&at, "must be a JSON object");
            return None;
        }
        match self.language() {
            super::QueryLanguage::JsonPath => self.compile_template(value, &at).map(Assign::Paths),
            super::QueryLanguage::Jsonata => self
                .parse_jsonata(value.clone(), "Assign", &at)
                .map(Assign::Jsonata),
        }
    }

    /// Output: JSONata only; a JSONPath state has no such field.
    pub fn output(&mut self) -> Option<JsonataField> {
        if self.is_jsonata() {
            self.jsonata("Output")
        } else {
            None
        }
    }

    /// A field whose value is a JSONata template (`Arguments`, `Items`, `Condition`, ...).
    pub fn jsonata(&mut self, key: &str) -> Option<JsonataField> {
        let at = self.at(key);
        let value = self.value(key)?.clone();
        self.parse_jsonata(value, key, &at)
    }

    /// A string field that is one `{% %}` expression.
    pub fn jsonata_expression(&mut self, text: &str, key: &str) -> Option<JsonataField> {
        let at = self.at(key);
        self.parse_jsonata(Value::String(text.to_owned()), key, &at)
    }

    fn parse_jsonata(&mut self, value: Value, field: &str, at: &str) -> Option<JsonataField> {
        let expression = value
            .as_str()
            .filter(|text| jsonata::is_expression(text))
            .and_then(|text| jsonata::parse(text).ok());
        match jsonata::Template::parse_field(field, &value) {
            Ok(template) => Some(JsonataField {
                field: field.to_owned(),
                template,
                expression,
            }),
            Err(error) => {
                self.report(at, &error.cause);
                None
            }
        }
    }

    /// A payload template field (Parameters, ResultSelector, ItemSelector).
    pub fn payload_template(&mut self, key: &str) -> Option<PayloadTemplate> {
        let at = self.at(key);
        let value = self.value(key)?;
        self.compile_template(value, &at)
    }

    fn compile_template(&mut self, value: &Value, at: &str) -> Option<PayloadTemplate> {
        match PayloadTemplate::compile(value, at) {
            Ok(template) => Some(template),
            Err(errors) => {
                for error in errors {
                    let code = match error {
                        TemplateError::InvalidPath { .. } => codes::INVALID_JSON_PATH,
                        _ => codes::SCHEMA_VALIDATION_FAILED,
                    };
                    self.report_code(code, error.location(), error.to_string());
                }
                None
            }
        }
    }

    /// InputPath and OutputPath (JSONPath; a JSONata state passes everything on).
    pub fn filters(&mut self) -> Filters {
        let root = || Path::parse("$").ok();
        if self.is_jsonata() {
            return Filters {
                input_path: root(),
                output_path: root(),
            };
        }
        Filters {
            input_path: self.nullable_path("InputPath").unwrap_or_else(root),
            output_path: self.nullable_path("OutputPath").unwrap_or_else(root),
        }
    }

    /// ResultPath: a reference path (default `$`), or `null` to discard the result.
    pub fn result_path(&mut self) -> Option<ReferencePath> {
        let at = self.at("ResultPath");
        match self.value("ResultPath") {
            None => Some(ReferencePath::root()),
            Some(Value::Null) => None,
            Some(Value::String(text)) => match ReferencePath::parse(text) {
                Ok(path) => Some(path),
                Err(error) => {
                    self.report_code(
                        codes::INVALID_JSON_PATH,
                        &at,
                        format!("'{text}' is not a reference path: {error}"),
                    );
                    Some(ReferencePath::root())
                }
            },
            Some(_) => {
                self.report(&at, "must be a reference path string or null");
                Some(ReferencePath::root())
            }
        }
    }

    /// ResultPath in JSONPath; a JSONata state's result is always the whole of it.
    pub fn result_path_if_jsonpath(&mut self) -> Option<ReferencePath> {
        if self.is_jsonata() {
            Some(ReferencePath::root())
        } else {
            self.result_path()
        }
    }

    /// Next or `"End": true`.
    pub fn transition(&mut self) -> Option<Transition> {
        let next = self.string("Next");
        let end = self.boolean("End");
        match (next, end) {
            (Some(next), None | Some(false)) => Some(Transition::Next(next.to_owned())),
            (None, Some(true)) => Some(Transition::End),
            (Some(_), Some(true)) => {
                self.report_here("a state may not have both 'Next' and 'End'");
                None
            }
            (None, _) => {
                if !self.has("Next") {
                    self.report_here("a state needs 'Next' or \"End\": true");
                }
                None
            }
        }
    }

    /// Reports `keys` as not allowed in this state (a Choice's or Fail's Next and End).
    pub fn refuse(&mut self, keys: &[&str], message: &str) {
        for key in keys {
            if self.value(key).is_some() {
                self.report(&self.at(key), message);
            }
        }
    }

    /// Reports `first` and `second` given together.
    pub fn exclusive(&mut self, first: &str, second: &str) {
        if self.has(first) && self.has(second) {
            self.report_here(&format!("'{first}' and '{second}' are mutually exclusive"));
        }
    }

    /// A field given as a literal, or computed at run time: by its `...Path` twin in JSONPath,
    /// or by a `{% %}` expression in JSONata. `literal` checks a literal value, or says what it
    /// must be.
    pub fn dynamic<T>(
        &mut self,
        key: &str,
        literal: impl FnOnce(&Value) -> Result<T, &'static str>,
    ) -> Option<Dynamic<T>> {
        if !self.is_jsonata() {
            let path_key = format!("{key}Path");
            self.exclusive(key, &path_key);
            if let Some(path) = self.path(&path_key) {
                return Some(Dynamic::Path(path));
            }
        }
        self.literal_or_expression(key, literal)
    }

    /// A field given as a literal, or in JSONata by a `{% %}` expression.
    pub fn literal_or_expression<T>(
        &mut self,
        key: &str,
        literal: impl FnOnce(&Value) -> Result<T, &'static str>,
    ) -> Option<Dynamic<T>> {
        let at = self.at(key);
        let value = self.value(key)?;
        if let Some(text) = value.as_str()
            && self.is_jsonata()
            && jsonata::is_expression(text)
        {
            return self
                .parse_jsonata(value.clone(), key, &at)
                .map(Dynamic::Expression);
        }
        match literal(value) {
            Ok(literal) => Some(Dynamic::Literal(literal)),
            Err(message) => {
                self.report(&at, message);
                None
            }
        }
    }

    /// A count of seconds (or items): a literal integer of at least `min`, a `...Path` in
    /// JSONPath, or a `{% %}` expression in JSONata.
    pub fn count(&mut self, key: &str, min: u64) -> Option<Dynamic<u64>> {
        self.dynamic(key, |value| match value.as_u64() {
            Some(number) if number >= min => Ok(number),
            _ if min == 0 => Err("must be a non-negative integer"),
            _ => Err("must be a positive integer"),
        })
    }
}
