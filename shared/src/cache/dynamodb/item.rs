//! A final execution state as a DynamoDB item, and back.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::workflow::{ExecutionName, ExecutionState};

pub(super) const KEY: &str = "pk";
const STATUS: &str = "status";
const OUTPUT: &str = "output";
const ERROR: &str = "error";
const CAUSE: &str = "cause";
const EXPIRES_AT: &str = "expiresAt";

const SUCCEEDED: &str = "SUCCEEDED";
const FAILED: &str = "FAILED";
const TIMED_OUT: &str = "TIMED_OUT";
const ABORTED: &str = "ABORTED";

type Item = HashMap<String, AttributeValue>;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(super) enum MalformedItem {
    #[error("attribute {0} is missing or not of the expected type")]
    Missing(&'static str),
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
    ]);
    let (status, error, cause) = match state {
        ExecutionState::Running => return None,
        ExecutionState::Succeeded(output) => {
            item.insert(OUTPUT.to_owned(), text(&output.to_string()));
            item.insert(STATUS.to_owned(), text(SUCCEEDED));
            return Some(item);
        }
        ExecutionState::Failed { error, cause } => (FAILED, error, cause),
        ExecutionState::TimedOut { error, cause } => (TIMED_OUT, error, cause),
        ExecutionState::Aborted { error, cause } => (ABORTED, error, cause),
    };
    item.insert(STATUS.to_owned(), text(status));
    item.insert(ERROR.to_owned(), text(error));
    item.insert(CAUSE.to_owned(), text(cause));
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
    let text = |attribute: &'static str| {
        item.get(attribute)
            .and_then(|value| value.as_s().ok())
            .cloned()
            .ok_or(MalformedItem::Missing(attribute))
    };
    let status = text(STATUS)?;
    let state = match status.as_str() {
        SUCCEEDED => {
            let output = serde_json::from_str(&text(OUTPUT)?)
                .map_err(|err| MalformedItem::Output(err.to_string()))?;
            ExecutionState::Succeeded(output)
        }
        FAILED => ExecutionState::Failed {
            error: text(ERROR)?,
            cause: text(CAUSE)?,
        },
        TIMED_OUT => ExecutionState::TimedOut {
            error: text(ERROR)?,
            cause: text(CAUSE)?,
        },
        ABORTED => ExecutionState::Aborted {
            error: text(ERROR)?,
            cause: text(CAUSE)?,
        },
        _ => return Err(MalformedItem::UnknownStatus(status)),
    };
    Ok(Some(state))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: u64 = 1_700_000_000;

    fn name() -> ExecutionName {
        ExecutionName::parse("job-1").unwrap()
    }

    #[test]
    fn every_final_state_survives_a_round_trip() {
        let states = [
            ExecutionState::Succeeded(json!({"message": "HELLO WORLD!", "createdAt": 1})),
            ExecutionState::Failed {
                error: "InvalidAudience".to_owned(),
                cause: "audience is blank".to_owned(),
            },
            ExecutionState::TimedOut {
                error: "States.Timeout".to_owned(),
                cause: String::new(),
            },
            ExecutionState::Aborted {
                error: String::new(),
                cause: String::new(),
            },
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
