//! A final execution state as a DynamoDB item, and back: one attribute for each member of the
//! state's serialised form (`status`, `output` as JSON text, `error`, `cause`), beside the key
//! and the expiry.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;

use crate::workflow::{ExecutionName, ExecutionState, ExecutionStatus};

pub(super) const KEY: &str = "pk";
const STATUS: &str = "status";
const OUTPUT: &str = "output";
const ERROR: &str = "error";
const CAUSE: &str = "cause";
const EXPIRES_AT: &str = "expiresAt";

type Item = HashMap<String, AttributeValue>;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(super) enum MalformedItem {
    #[error("attribute {0} is missing or not of the expected type")]
    Missing(&'static str),
    /// Not a status at all, or one that is no result (only final states are written).
    #[error("unknown status {0:?}")]
    UnknownStatus(String),
    #[error("output is not JSON: {0}")]
    Output(String),
}

/// The item for a final state; `None` for a running one, which is not a result.
pub(super) fn encode(
    name: &ExecutionName,
    state: &ExecutionState,
    expires_at: u64,
) -> Option<Item> {
    let text = |value: &str| AttributeValue::S(value.to_owned());
    let mut item = Item::from([
        (KEY.to_owned(), text(name.as_str())),
        (
            EXPIRES_AT.to_owned(),
            AttributeValue::N(expires_at.to_string()),
        ),
        (STATUS.to_owned(), text(state.status().as_str())),
    ]);
    match state {
        ExecutionState::Running => return None,
        ExecutionState::Succeeded(output) => {
            item.insert(OUTPUT.to_owned(), text(&output.to_string()));
        }
        ExecutionState::Ended { error, cause, .. } => {
            item.insert(ERROR.to_owned(), text(error));
            item.insert(CAUSE.to_owned(), text(cause));
        }
    }
    Some(item)
}

/// The state an item records, or `None` once it has expired: DynamoDB deletes expired items
/// only eventually (often days later), so the TTL is enforced on read as well.
pub(super) fn decode(item: &Item, now: u64) -> Result<Option<ExecutionState>, MalformedItem> {
    let expires_at = item
        .get(EXPIRES_AT)
        .and_then(|value| value.as_n().ok())
        .and_then(|number| number.parse::<u64>().ok())
        .ok_or(MalformedItem::Missing(EXPIRES_AT))?;
    if expires_at <= now {
        return Ok(None);
    }
    // An attribute of another type reads as absent: whether the status needs it is the
    // state's rule, and one it has no use for is ignored.
    let text = |attribute| item.get(attribute).and_then(|value| value.as_s().ok());
    let status = text(STATUS).ok_or(MalformedItem::Missing(STATUS))?;
    let status = status
        .parse::<ExecutionStatus>()
        .ok()
        .filter(|status| *status != ExecutionStatus::Running)
        .ok_or_else(|| MalformedItem::UnknownStatus(status.clone()))?;
    let output = match status {
        ExecutionStatus::Succeeded => text(OUTPUT)
            .map(|json| serde_json::from_str::<Value>(json))
            .transpose()
            .map_err(|err| MalformedItem::Output(err.to_string()))?,
        _ => None,
    };
    ExecutionState::from_members(status, output, text(ERROR).cloned(), text(CAUSE).cloned())
        .map(Some)
        .map_err(|missing| MalformedItem::Missing(missing.member))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::workflow::EndStatus;

    const NOW: u64 = 1_700_000_000;

    fn name() -> ExecutionName {
        ExecutionName::parse("job-1").unwrap()
    }

    #[test]
    fn every_final_state_survives_a_round_trip() {
        let states = [
            ExecutionState::Succeeded(json!({"message": "HELLO WORLD!", "createdAt": 1})),
            ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "audience is blank"),
            ExecutionState::ended(EndStatus::TimedOut, "States.Timeout", ""),
            ExecutionState::ended(EndStatus::Aborted, "", ""),
        ];
        for state in states {
            let item = encode(&name(), &state, NOW + 60).unwrap();
            assert_eq!(item[KEY], AttributeValue::S("job-1".to_owned()));
            assert_eq!(item[EXPIRES_AT], AttributeValue::N((NOW + 60).to_string()));
            assert_eq!(decode(&item, NOW), Ok(Some(state)));
        }
    }

    #[test]
    fn a_running_state_has_no_item() {
        assert_eq!(encode(&name(), &ExecutionState::Running, NOW), None);
    }

    #[test]
    fn an_expired_item_reads_as_absent() {
        let state = ExecutionState::Succeeded(json!({}));
        let item = encode(&name(), &state, NOW).unwrap();
        assert_eq!(decode(&item, NOW), Ok(None));
        assert_eq!(decode(&item, NOW - 1), Ok(Some(state)));
    }

    #[test]
    fn malformed_items_are_errors() {
        let state = ExecutionState::Succeeded(json!({}));
        let valid = encode(&name(), &state, NOW + 60).unwrap();

        let mut no_expiry = valid.clone();
        no_expiry.remove(EXPIRES_AT);
        assert_eq!(
            decode(&no_expiry, NOW),
            Err(MalformedItem::Missing(EXPIRES_AT))
        );

        let mut bad_status = valid.clone();
        bad_status.insert(STATUS.to_owned(), AttributeValue::S("RUNNING".to_owned()));
        assert_eq!(
            decode(&bad_status, NOW),
            Err(MalformedItem::UnknownStatus("RUNNING".to_owned()))
        );

        let mut bad_output = valid.clone();
        bad_output.insert(OUTPUT.to_owned(), AttributeValue::S("{".to_owned()));
        assert!(matches!(
            decode(&bad_output, NOW),
            Err(MalformedItem::Output(_))
        ));

        let mut numeric_output = valid;
        numeric_output.insert(OUTPUT.to_owned(), AttributeValue::N("1".to_owned()));
        assert_eq!(
            decode(&numeric_output, NOW),
            Err(MalformedItem::Missing(OUTPUT))
        );
    }
}
