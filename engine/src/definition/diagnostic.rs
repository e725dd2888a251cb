//! Validation findings, shaped like ValidateStateMachineDefinition's diagnostics.

use std::fmt;

use serde::Serialize;

/// One finding of validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// Its code, such as `MISSING_TRANSITION_TARGET`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// A JSON pointer to the offending field, e.g. `/States/Foo/Next`.
    pub location: String,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    /// The definition cannot be used.
    Error,
}

pub mod codes {
    pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";
    pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";
    pub const UNREACHABLE_STATE: &str = "UNREACHABLE_STATE";
    pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";
    pub const INVALID_JSON_PATH: &str = "INVALID_JSON_PATH";
    pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";
}

impl Diagnostic {
    /// An error at `location` (a JSON pointer).
    pub fn error(
        code: &'static str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: location.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.location, self.message, self.code)
    }
}

/// Every problem found in a definition; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidDefinition {
    /// The findings.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for InvalidDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let messages: Vec<String> = self.diagnostics.iter().map(ToString::to_string).collect();
        write!(
            f,
            "invalid state machine definition: {}",
            messages.join("; ")
        )
    }
}
