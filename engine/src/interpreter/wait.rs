//! Wait: delays the execution for a number of seconds or until a timestamp, then passes its
//! input on.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Entered, Run, Step, Stopped, io};
use crate::definition::{WaitState, WaitUntil};
use crate::error::StatesError;

pub async fn run(
    run: &Run,
    state: &WaitState,
    entered: &Entered<'_>,
    raw_input: Value,
) -> Result<Step, Stopped> {
    let context = run.context_object(entered, 0);
    let input = io::input_path(&state.filters, &raw_input, &context)?;
    let delay = match &state.until {
        WaitUntil::Seconds(seconds) => Duration::from_secs(*seconds),
        WaitUntil::SecondsPath(path) => {
            let seconds = path
                .select(&input, &context)
                .and_then(|value| value.as_u64());
            let seconds = seconds.ok_or_else(|| {
                StatesError::runtime(format!(
                    "The SecondsPath parameter does not reference a valid non-negative integer: {path}"
                ))
            })?;
            Duration::from_secs(seconds)
        }
        WaitUntil::Timestamp(at) => until(run.clock.now(), *at),
        WaitUntil::TimestampPath(path) => {
            let at = path.select(&input, &context).and_then(|value| {
                value
                    .as_str()
                    .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
            });
            let at = at.ok_or_else(|| {
                StatesError::runtime(format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path}"
                ))
            })?;
            until(run.clock.now(), at)
        }
    };
    run.sleep(delay).await?;
    let output = io::output_path(&state.filters, input, &context)?;
    Ok(Step::after(&state.transition, output))
}

/// How long until `at`; nothing when it has passed.
fn until(now: SystemTime, at: OffsetDateTime) -> Duration {
    SystemTime::from(at).duration_since(now).unwrap_or_default()
}
