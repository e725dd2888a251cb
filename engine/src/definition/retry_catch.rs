//! Retry and Catch fields (States Language, "Error Handling").

use serde_json::Value;

use super::reader::{Diagnostics, Fields, schema};
use crate::error::names;
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
    pub assign: Option<super::Assign>,
    /// JSONata: the output passed to `next` (default: the error output).
    pub output: Option<super::JsonataField>,
    /// `None` means `"ResultPath": null`: the error output is discarded.
    pub result_path: Option<ReferencePath>,
    pub next: String,
}

/// Whether a Retrier's or Catcher's ErrorEquals matches an error (States.ALL never matches the
/// terminal errors).
pub fn matches(error_equals: &[String], error: &crate::error::StatesError) -> bool {
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

pub(crate) fn retriers(items: &[Value], location: &str, d: &mut Diagnostics) -> Vec<Retrier> {
    let mut retriers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{location}/{i}");
        let Some(mut fields) = Fields::new(item, &at, d) else {
            continue;
        };
        let error_equals = error_equals(&mut fields, i + 1 == items.len(), "Retrier", d);
        let interval_seconds = fields.positive_integer("IntervalSeconds", d).unwrap_or(1);
        let max_attempts = fields.non_negative_integer("MaxAttempts", d).unwrap_or(3);
        let backoff_rate = match fields.number("BackoffRate", d) {
            Some(rate) if rate < 1.0 => {
                d.push(schema(&fields.at("BackoffRate"), "must be at least 1.0"));
                2.0
            }
            Some(rate) => rate,
            None => 2.0,
        };
        let max_delay_seconds = fields.positive_integer("MaxDelaySeconds", d);
        let jitter = match fields.string("JitterStrategy", d) {
            None | Some("NONE") => JitterStrategy::None,
            Some("FULL") => JitterStrategy::Full,
            Some(_) => {
                d.push(schema(&fields.at("JitterStrategy"), "must be FULL or NONE"));
                JitterStrategy::None
            }
        };
        fields.value("Comment");
        fields.finish(d);
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

pub(crate) fn catchers(
    items: &[Value],
    location: &str,
    language: super::QueryLanguage,
    d: &mut Diagnostics,
) -> Vec<Catcher> {
    let mut catchers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{location}/{i}");
        let Some(mut fields) = Fields::new(item, &at, d) else {
            continue;
        };
        let error_equals = error_equals(&mut fields, i + 1 == items.len(), "Catcher", d);
        let next = fields.required_string("Next", d).map(str::to_owned);
        let (result_path, output) = match language {
            super::QueryLanguage::JsonPath => (super::parse::result_path(&mut fields, d), None),
            super::QueryLanguage::Jsonata => (
                Some(crate::path::ReferencePath::root()),
                super::parse::jsonata_field(&mut fields, "Output", d),
            ),
        };
        let assign = super::parse::assign(&mut fields, language, d);
        fields.value("Comment");
        fields.finish(d);
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

fn error_equals(
    fields: &mut Fields,
    is_last: bool,
    what: &str,
    d: &mut Diagnostics,
) -> Vec<String> {
    let at = fields.at("ErrorEquals");
    let Some(items) = fields.array("ErrorEquals", d) else {
        if !fields.has("ErrorEquals") {
            d.push(schema(
                fields.location(),
                "the field 'ErrorEquals' is required",
            ));
        }
        return Vec::new();
    };
    if items.is_empty() {
        d.push(schema(&at, "must name at least one error"));
    }
    let mut names_found = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(name) => names_found.push(name.to_owned()),
            None => d.push(schema(&format!("{at}/{i}"), "must be a string")),
        }
    }
    if names_found.iter().any(|name| name == names::ALL) {
        if names_found.len() > 1 {
            d.push(schema(&at, "States.ALL must appear alone in ErrorEquals"));
        }
        if !is_last {
            d.push(schema(
                &at,
                &format!("a {what} with States.ALL must be the last one"),
            ));
        }
    }
    names_found
}
