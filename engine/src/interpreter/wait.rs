//! Wait: delays the execution for a number of seconds or until a timestamp, then passes its
//! input on.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Cx, Step, Stopped, io, query_error};
use crate::definition::{Seconds, WaitState, WaitUntil};
use crate::error::StatesError;

pub async fn run(cx: &Cx<'_>, state: &WaitState, raw_input: Value) -> Result<Step, Stopped> {
    let context = cx.context(0);
    let input = io::input_path(&state.filters, &cx.sources(&raw_input, &context))?;
    let sources = cx.sources(&input, &context);
    let bindings = cx.input_bindings(&raw_input, &context);
    let now = cx.run.clock.now();
    let delay = match &state.until {
        WaitUntil::Seconds(seconds) => {
            Duration::from_secs(seconds_value(seconds, &sources, &bindings, "SecondsPath")?)
        }
        WaitUntil::Timestamp(at) => until(now, *at),
        WaitUntil::TimestampPath(path) => {
            let at = path.select(&sources).as_ref().and_then(timestamp);
            let at = at.ok_or_else(|| {
                StatesError::runtime(format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path}"
                ))
            })?;
            until(now, at)
        }
        WaitUntil::TimestampExpression(field) => {
            let value = field.evaluate(&bindings).map_err(query_error)?;
            let at = timestamp(&value)
                .ok_or_else(|| query_error(field.type_error("timestamp string", &value)))?;
            until(now, at)
        }
    };
    // The deadline counts from when the state was entered, which for a resumed execution
    // was in an earlier process: it waits only what is left.
    let waited = now.duration_since(cx.entered_time).unwrap_or_default();
    cx.run.sleep(delay.saturating_sub(waited)).await?;
    let assigned = cx.assign(cx.state.assign.as_ref(), &input, &context, &bindings)?;
    let output = if cx.is_jsonata() {
        cx.output(cx.state.output.as_ref(), &bindings, raw_input)?
    } else {
        io::output_path(&state.filters, &sources)?
    };
    Ok(Step::after(&state.transition, output, assigned))
}

/// A whole, non-negative number of seconds (or items) from a literal, a path or an expression;
/// `path_field` names the path field in errors.
pub fn seconds_value(
    seconds: &Seconds,
    sources: &crate::path::Sources,
    bindings: &serde_json::Map<String, Value>,
    path_field: &str,
) -> Result<u64, StatesError> {
    match seconds {
        Seconds::Literal(value) => Ok(*value),
        Seconds::Path(path) => path.select(sources).and_then(|value| value.as_u64()).ok_or_else(|| {
            StatesError::runtime(format!(
                "The {path_field} parameter does not reference a valid non-negative integer: {path}"
            ))
        }),
        Seconds::Expression(field) => {
            let value = field.evaluate(bindings).map_err(query_error)?;
            value
                .as_u64()
                .ok_or_else(|| query_error(field.type_error("non-negative integer", &value)))
        }
    }
}

fn timestamp(value: &Value) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(value.as_str()?, &Rfc3339).ok()
}

/// How long until `at`; nothing when it has passed.
fn until(now: SystemTime, at: OffsetDateTime) -> Duration {
    SystemTime::from(at).duration_since(now).unwrap_or_default()
}
