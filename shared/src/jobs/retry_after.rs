//! How long a client should wait before polling a running job again.

use std::time::{Duration, SystemTime};

use serde_json::Value;

/// Without a known wait, a job (one Lambda call) finishes in well under this.
const DEFAULT_SECONDS: u64 = 1;

/// What the job waits on: the rest of its `delaySeconds`, if any, else a short default. A client
/// that obeys it finds most jobs finished on its second poll.
pub fn retry_after_seconds(input: &Value, started_at: SystemTime, now: SystemTime) -> u64 {
    let Some(delay) = input.get("delaySeconds").and_then(Value::as_u64) else {
        return DEFAULT_SECONDS;
    };
    let ready_at = started_at + Duration::from_secs(delay);
    match ready_at.duration_since(now) {
        Ok(remaining) if !remaining.is_zero() => {
            remaining.as_secs() + u64::from(remaining.subsec_nanos() > 0)
        }
        _ => DEFAULT_SECONDS,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn at(seconds: f64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs_f64(1_000.0 + seconds)
    }

    #[test]
    fn defaults_to_one_second_without_a_delay() {
        assert_eq!(retry_after_seconds(&json!({}), at(0.0), at(0.0)), 1);
        assert_eq!(
            retry_after_seconds(&json!({"audience": "x"}), at(0.0), at(5.0)),
            1
        );
    }

    #[test]
    fn waits_for_the_rest_of_the_delay_rounded_up() {
        let input = json!({"delaySeconds": 10});
        assert_eq!(retry_after_seconds(&input, at(0.0), at(0.0)), 10);
        assert_eq!(retry_after_seconds(&input, at(0.0), at(3.5)), 7);
        assert_eq!(retry_after_seconds(&input, at(0.0), at(9.9)), 1);
    }

    #[test]
    fn falls_back_to_the_default_once_the_delay_is_over() {
        let input = json!({"delaySeconds": 10});
        assert_eq!(retry_after_seconds(&input, at(0.0), at(10.0)), 1);
        assert_eq!(retry_after_seconds(&input, at(0.0), at(60.0)), 1);
        assert_eq!(
            retry_after_seconds(&json!({"delaySeconds": 0}), at(0.0), at(0.0)),
            1
        );
    }
}
