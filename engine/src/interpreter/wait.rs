//! Wait: delays the execution for a number of seconds or until a timestamp, then passes its
//! input on.

use std::time::{Duration, SystemTime};

use serde_json::Value;
use time::OffsetDateTime;

use super::{Cx, Step, Stopped, io};
use crate::definition::{WaitState, WaitUntil};

pub async fn run(cx: &Cx<'_>, state: &WaitState, raw_input: Value) -> Result<Step, Stopped> {
    let context = cx.context(0);
    let input = io::input_path(&state.filters, &cx.sources(&raw_input, &context))?;
    let sources = cx.sources(&input, &context);
    let bindings = cx.input_bindings(&raw_input, &context);
    let now = cx.run.clock.now();
    let delay = match &state.until {
        WaitUntil::Seconds(seconds) => {
            Duration::from_secs(seconds.resolve(&sources, &bindings, "SecondsPath")?)
        }
        WaitUntil::Timestamp(at) => until(now, at.resolve(&sources, &bindings, "TimestampPath")?),
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

/// How long until `at`; nothing when it has passed.
fn until(now: SystemTime, at: OffsetDateTime) -> Duration {
    SystemTime::from(at).duration_since(now).unwrap_or_default()
}
