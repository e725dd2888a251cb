//! What a running job is waiting on, and how long a client should wait before polling again.

use std::time::{Duration, SystemTime};

use serde_json::Value;

/// Without a known wait, a job (one Lambda call) finishes in well under this.
const DEFAULT_SECONDS: u64 = 1;

/// The part of the job's `delaySeconds` still to come, if any.
pub fn remaining_delay(input: &Value, started_at: SystemTime, now: SystemTime) -> Option<Duration> {
    let delay = input.get("delaySeconds").and_then(Value::as_u64)?;
    let ready_at = started_at + Duration::from_secs(delay);
    ready_at
        .duration_since(now)
        .ok()
        .filter(|remaining| !remaining.is_zero())
}

/// The rest of the delay, rounded past its end so that BuildMessage has run by then, else a
/// short default. A client that obeys it finds most jobs finished on its first or second poll.
pub fn retry_after_seconds(remaining_delay: Option<Duration>) -> u64 {
    remaining_delay.map_or(DEFAULT_SECONDS, |remaining| remaining.as_secs() + 1)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(seconds: f64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs_f64(1_000.0 + seconds)
    }

    fn retry_after(input: &Value, started: f64, now: f64) -> u64 {
        retry_after_seconds(remaining_delay(input, at(started), at(now)))
    }

    #[test]
    fn defaults_to_one_second_without_a_delay() {
        assert_eq!(retry_after(&json!({}), 0.0, 0.0), 1);
        assert_eq!(retry_after(&json!({"audience": "x"}), 0.0, 5.0), 1);
        assert_eq!(remaining_delay(&json!({}), at(0.0), at(0.0)), None);
    }

    #[test]
    fn waits_until_just_after_the_rest_of_the_delay() {
        let input = json!({"delaySeconds": 10});
        assert_eq!(retry_after(&input, 0.0, 0.0), 11);
        assert_eq!(retry_after(&input, 0.0, 3.5), 7);
        assert_eq!(retry_after(&input, 0.0, 9.9), 1);
        let remaining = remaining_delay(&input, at(0.0), at(3.5)).unwrap();
        assert!(
            (remaining.as_secs_f64() - 6.5).abs() < 1e-6,
            "{remaining:?}"
        );
    }

    #[test]
    fn falls_back_to_the_default_once_the_delay_is_over() {
        let input = json!({"delaySeconds": 10});
        assert_eq!(retry_after(&input, 0.0, 10.0), 1);
        assert_eq!(retry_after(&input, 0.0, 60.0), 1);
        assert_eq!(retry_after(&json!({"delaySeconds": 0}), 0.0, 0.0), 1);
    }
}
