//! Wait State (States Language, "Wait State"): delays the execution for Seconds or until a
//! Timestamp, each given literally, by a path (SecondsPath, TimestampPath) or by expression.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::fields::{Dynamic, Filters, Transition};
use super::reader::Fields;

#[derive(Debug, Clone)]
pub struct WaitState {
    pub filters: Filters,
    pub until: WaitUntil,
    pub transition: Transition,
}

#[derive(Debug, Clone)]
pub enum WaitUntil {
    /// Seconds (or SecondsPath): how long to wait.
    Seconds(Dynamic<u64>),
    /// Timestamp (or TimestampPath): when to stop waiting.
    Timestamp(Dynamic<OffsetDateTime>),
}

/// The Wait state's fields (States Language, "Wait State"): exactly one of Seconds,
/// SecondsPath, Timestamp and TimestampPath.
pub(crate) fn parse(fields: &mut Fields) -> Option<WaitState> {
    let given = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
        .iter()
        .filter(|key| fields.has(key))
        .count();
    if given != 1 {
        fields.report_here(
            "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath",
        );
    }
    let mut until = fields.count("Seconds", 0).map(WaitUntil::Seconds);
    if fields.has("Timestamp") {
        until = fields
            .literal_or_expression("Timestamp", |value| {
                let text = value
                    .as_str()
                    .ok_or("must be an RFC 3339 timestamp string")?;
                OffsetDateTime::parse(text, &Rfc3339).map_err(|_| "must be an RFC 3339 timestamp")
            })
            .map(WaitUntil::Timestamp);
    }
    if !fields.is_jsonata()
        && let Some(path) = fields.path("TimestampPath")
    {
        until = Some(WaitUntil::Timestamp(Dynamic::Path(path)));
    }
    let filters = fields.filters();
    let transition = fields.transition()?;
    Some(WaitState {
        filters,
        until: until?,
        transition,
    })
}
