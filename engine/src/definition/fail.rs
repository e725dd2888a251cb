//! Fail State (States Language, "Fail State"; AWS developer guide, "Fail workflow state"):
//! stops the execution as failed, with an Error and a Cause given literally, by ErrorPath and
//! CausePath (a path or an intrinsic function) in JSONPath, or by expression in JSONata.

use serde_json::Value;

use super::diagnostic::codes;
use super::fields::JsonataField;
use super::reader::Fields;
use crate::intrinsic_call::{self, IntrinsicCall};
use crate::jsonata;
use crate::path::Path;

#[derive(Debug, Clone)]
pub struct FailState {
    pub error: Option<FailField>,
    pub cause: Option<FailField>,
}

#[derive(Debug, Clone)]
pub enum FailField {
    Literal(String),
    Path(Path),
    Intrinsic(IntrinsicCall),
    Expression(JsonataField),
}

/// The Fail state's fields (States Language, "Fail State"): Error and Cause, or ErrorPath and
/// CausePath (AWS developer guide, "Fail workflow state"), and no Next or End.
pub(crate) fn parse(fields: &mut Fields) -> Option<FailState> {
    fields.refuse(
        &["Next", "End"],
        "a Fail state must not have 'Next' or 'End'",
    );
    Some(FailState {
        error: fail_field(fields, "Error"),
        cause: fail_field(fields, "Cause"),
    })
}

fn fail_field(fields: &mut Fields, key: &str) -> Option<FailField> {
    if fields.is_jsonata() {
        let at = fields.at(key);
        return match fields.value(key)? {
            Value::String(text) if jsonata::is_expression(text) => fields
                .jsonata_expression(text, key)
                .map(FailField::Expression),
            Value::String(text) => Some(FailField::Literal(text.clone())),
            _ => {
                fields.report(&at, "must be a string");
                None
            }
        };
    }
    let path_key = format!("{key}Path");
    fields.exclusive(key, &path_key);
    if let Some(text) = fields.string(key) {
        return Some(FailField::Literal(text.to_owned()));
    }
    let text = fields.string(&path_key)?;
    let at = fields.at(&path_key);
    if intrinsic_call::is_intrinsic(text) {
        return match IntrinsicCall::parse(text) {
            Ok(call) => Some(FailField::Intrinsic(call)),
            Err(error) => {
                fields.report(&at, &error);
                None
            }
        };
    }
    match Path::parse(text) {
        Ok(path) => Some(FailField::Path(path)),
        Err(error) => {
            fields.report_code(codes::INVALID_JSON_PATH, &at, error.to_string());
            None
        }
    }
}
