//! JSONata for states whose `QueryLanguage` is `JSONata`.
//!
//! Expressions are written as whole JSON strings `"{% expr %}"`; they read the
//! reserved variable `$states` and the workflow variables, which the caller
//! passes as `bindings` (name without the `$`). Step Functions adds a few
//! functions of its own (`$partition`, `$range`, `$hash`, `$random`, `$uuid`,
//! `$parse`) and refuses `$eval`; every failure is a
//! `States.QueryEvaluationError` whose cause names the expression and the field.

mod aws_functions;
mod error;
mod expression;
mod template;
mod values;

pub use error::{JsonataError, QUERY_EVALUATION_ERROR};
pub use expression::{Expression, is_expression, parse};
pub use template::Template;

#[cfg(test)]
mod tests;
