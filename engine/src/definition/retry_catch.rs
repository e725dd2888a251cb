//! Retry and Catch fields (States Language, "Error Handling").

use super::fields::{Assign, JsonataField};
use super::reader::Fields;
use crate::error::{StatesError, names};
use crate::path::ReferencePath;

#[derive(Debug, Clone)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: JitterStrategy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JitterStrategy {
    Full,
    None,
}

#[derive(Debug, Clone)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub assign: Option<Assign>,
    /// JSONata: the output passed to `next` (default: the error output).
    pub output: Option<JsonataField>,
    /// `None` means `"ResultPath": null`: the error output is discarded.
    pub result_path: Option<ReferencePath>,
    pub next: String,
}

/// Whether a Retrier's or Catcher's ErrorEquals matches an error (States.ALL never matches the
/// terminal errors).
pub fn matches(error_equals: &[String], error: &StatesError) -> bool {
    // States.Runtime is never retried or caught; States.DataLimitExceeded only when named.
    if error.error == names::RUNTIME {
        return false;
    }
    if error.is_terminal() {
        return error_equals.contains(&error.error);
    }
    error_equals.iter().any(|name| {
        name == names::ALL
            || *name == error.error
            || (name == names::TASK_FAILED && is_task_failure(&error.error))
    })
}

/// "When used in a retry or catch, States.TaskFailed acts as a wildcard that matches any known
/// error name except for States.Timeout" (AWS developer guide, "Error names").
fn is_task_failure(error: &str) -> bool {
    error != names::TIMEOUT
}

/// Retry: the Retriers in order.
pub(crate) fn retriers(fields: &mut Fields) -> Vec<Retrier> {
    let at = fields.at("Retry");
    let Some(items) = fields.array("Retry") else {
        return Vec::new();
    };
    let mut retriers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(mut retrier) = fields.object(item, format!("{at}/{i}")) else {
            continue;
        };
        let error_equals = error_equals(&mut retrier, i + 1 == items.len(), "Retrier");
        let interval_seconds = retrier.positive_integer("IntervalSeconds").unwrap_or(1);
        let max_attempts = retrier.non_negative_integer("MaxAttempts").unwrap_or(3);
        let backoff_rate = match retrier.number("BackoffRate") {
            Some(rate) if rate < 1.0 => {
                retrier.report(&retrier.at("BackoffRate"), "must be at least 1.0");
                2.0
            }
            Some(rate) => rate,
            None => 2.0,
        };
        let max_delay_seconds = retrier.positive_integer("MaxDelaySeconds");
        let jitter = match retrier.string("JitterStrategy") {
            None | Some("NONE") => JitterStrategy::None,
            Some("FULL") => JitterStrategy::Full,
            Some(_) => {
                retrier.report(&retrier.at("JitterStrategy"), "must be FULL or NONE");
                JitterStrategy::None
            }
        };
        retrier.value("Comment");
        retrier.finish();
        retriers.push(Retrier {
            error_equals,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds,
            jitter,
        });
    }
    retriers
}

/// Catch: the Catchers in order.
pub(crate) fn catchers(fields: &mut Fields) -> Vec<Catcher> {
    let at = fields.at("Catch");
    let Some(items) = fields.array("Catch") else {
        return Vec::new();
    };
    let mut catchers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(mut catcher) = fields.object(item, format!("{at}/{i}")) else {
            continue;
        };
        let error_equals = error_equals(&mut catcher, i + 1 == items.len(), "Catcher");
        let next = catcher.required_string("Next").map(str::to_owned);
        let result_path = catcher.result_path_if_jsonpath();
        let output = catcher.output();
        let assign = catcher.assign();
        catcher.value("Comment");
        catcher.finish();
        if let Some(next) = next {
            catchers.push(Catcher {
                error_equals,
                assign,
                output,
                result_path,
                next,
            });
        }
    }
    catchers
}

fn error_equals(fields: &mut Fields, is_last: bool, what: &str) -> Vec<String> {
    let at = fields.at("ErrorEquals");
    let Some(items) = fields.array("ErrorEquals") else {
        if !fields.has("ErrorEquals") {
            fields.report_here("the field 'ErrorEquals' is required");
        }
        return Vec::new();
    };
    if items.is_empty() {
        fields.report(&at, "must name at least one error");
    }
    let mut names_found = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(name) => names_found.push(name.to_owned()),
            None => fields.report(&format!("{at}/{i}"), "must be a string"),
        }
    }
    if names_found.iter().any(|name| name == names::ALL) {
        if names_found.len() > 1 {
            fields.report(&at, "States.ALL must appear alone in ErrorEquals");
        }
        if !is_last {
            fields.report(
                &at,
                &format!("a {what} with States.ALL must be the last one"),
            );
        }
    }
    names_found
}
