//! Retriers (States Language, "Retrying after an error"): the first Retrier whose ErrorEquals
//! matches decides; each keeps its own count of attempts.

use std::time::Duration;

use crate::definition::{JitterStrategy, Retrier};
use crate::error::StatesError;

pub struct RetryState<'a> {
    retriers: &'a [Retrier],
    attempts: Vec<u64>,
}

impl<'a> RetryState<'a> {
    pub fn new(retriers: &'a [Retrier]) -> Self {
        Self {
            retriers,
            attempts: vec![0; retriers.len()],
        }
    }

    /// How long to wait before the next attempt, or `None` when the error is not retried.
    pub fn next_delay(&mut self, error: &StatesError) -> Option<Duration> {
        let index = self
            .retriers
            .iter()
            .position(|retrier| crate::definition::matches_error(&retrier.error_equals, error))?;
        let retrier = &self.retriers[index];
        let attempt = self.attempts[index];
        if attempt >= retrier.max_attempts {
            return None;
        }
        self.attempts[index] += 1;
        let exponent = i32::try_from(attempt).unwrap_or(i32::MAX);
        let mut seconds = retrier.interval_seconds as f64 * retrier.backoff_rate.powi(exponent);
        if let Some(max) = retrier.max_delay_seconds {
            seconds = seconds.min(max as f64);
        }
        if retrier.jitter == JitterStrategy::Full {
            seconds *= random_fraction();
        }
        // A year bounds any delay: AWS caps MaxDelaySeconds below that, and it keeps the
        // conversion finite whatever BackoffRate does.
        Some(Duration::from_secs_f64(seconds.clamp(0.0, 31_622_400.0)))
    }

    pub fn retry_count(&self) -> u64 {
        self.attempts.iter().sum()
    }
}

/// A fraction in [0, 1) for full jitter; randomness from a v4 UUID avoids another dependency.
fn random_fraction() -> f64 {
    let bits = uuid::Uuid::new_v4().as_u128() as u64 >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(max_attempts: u64, max_delay_seconds: Option<u64>) -> Retrier {
        Retrier {
            error_equals: vec!["Boom".into()],
            interval_seconds: 2,
            max_attempts,
            backoff_rate: 3.0,
            max_delay_seconds,
            jitter: JitterStrategy::None,
        }
    }

    #[test]
    fn delays_grow_by_the_backoff_rate_until_attempts_run_out() {
        let retriers = [retrier(3, None)];
        let mut state = RetryState::new(&retriers);
        let boom = StatesError::new("Boom", "");
        let delays: Vec<_> = std::iter::from_fn(|| state.next_delay(&boom)).collect();
        assert_eq!(delays, [2, 6, 18].map(Duration::from_secs));
    }

    #[test]
    fn max_delay_caps_the_interval() {
        let retriers = [retrier(3, Some(5))];
        let mut state = RetryState::new(&retriers);
        let boom = StatesError::new("Boom", "");
        let delays: Vec<_> = std::iter::from_fn(|| state.next_delay(&boom)).collect();
        assert_eq!(delays, [2, 5, 5].map(Duration::from_secs));
    }

    #[test]
    fn unmatched_errors_and_zero_attempts_are_not_retried() {
        let retriers = [retrier(0, None)];
        let mut state = RetryState::new(&retriers);
        assert_eq!(state.next_delay(&StatesError::new("Boom", "")), None);
        assert_eq!(state.next_delay(&StatesError::new("Other", "")), None);
    }
}
