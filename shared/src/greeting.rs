//! BuildMessage: the one piece of business logic, pure so that the Lambda, the embedded engine
//! and the tests all run exactly the same code.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// What the state machine passes to BuildMessage.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildMessageInput {
    pub audience: String,
}

/// The job's result, exactly as the original sample returned it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Greeting {
    pub message: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: i64,
}

/// The error name the state machine catches; it must match `InvalidAudience` in the ASL.
pub const INVALID_AUDIENCE: &str = "InvalidAudience";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAudience {
    #[error("audience must not be blank")]
    Blank,
    #[error("audience must not contain control characters")]
    ControlCharacters,
}

pub fn build_message(audience: &str, now: SystemTime) -> Result<Greeting, InvalidAudience> {
    let audience = audience.trim();
    if audience.is_empty() {
        return Err(InvalidAudience::Blank);
    }
    if audience.chars().any(char::is_control) {
        return Err(InvalidAudience::ControlCharacters);
    }
    Ok(Greeting {
        message: format!("HELLO {}!", audience.to_uppercase()),
        created_at: epoch_millis(now),
    })
}

fn epoch_millis(now: SystemTime) -> i64 {
    // A clock before 1970 is a broken host; report the epoch rather than fail the job.
    now.duration_since(UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(millis: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(millis)
    }

    #[test]
    fn greets_the_audience_in_capitals() {
        let greeting = build_message("Step Functions", at(1_554_380_384_990)).unwrap();
        assert_eq!(
            greeting,
            Greeting {
                message: "HELLO STEP FUNCTIONS!".into(),
                created_at: 1_554_380_384_990
            }
        );
    }

    #[test]
    fn serializes_as_the_original_sample() {
        let greeting = build_message("World", at(1_554_380_384_990)).unwrap();
        assert_eq!(
            serde_json::to_value(greeting).unwrap(),
            serde_json::json!({"message": "HELLO WORLD!", "createdAt": 1_554_380_384_990_i64})
        );
    }

    #[test]
    fn trims_surrounding_whitespace() {
        assert_eq!(
            build_message("  ünïcode  ", at(0)).unwrap().message,
            "HELLO ÜNÏCODE!"
        );
    }

    #[test]
    fn rejects_blank_and_control_characters() {
        assert_eq!(build_message(" \t ", at(0)), Err(InvalidAudience::Blank));
        assert_eq!(build_message("", at(0)), Err(InvalidAudience::Blank));
        assert_eq!(
            build_message("a\u{7}b", at(0)),
            Err(InvalidAudience::ControlCharacters)
        );
    }
}
