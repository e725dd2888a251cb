//! Every setting the API shares between the server and the Lambdas, checked once at start-up: a
//! bad value stops the process with a message that names the variable, instead of failing
//! requests later.

use std::time::Duration;

use crate::token::{TokenCodec, TokenSecret};
use crate::workflow::sfn::{PollMode, UnknownPollMode};

/// A shorter secret is too easy to brute-force against a known id.
pub const MIN_SECRET_BYTES: usize = 16;

pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} must be set")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The one state machine this deployment starts and reads (AWS backend only).
    pub state_machine_arn: Option<String>,
    /// How the Step Functions adapter reads an execution: `describe` (default) or `history`.
    pub poll_mode: PollMode,
    /// The DynamoDB table for finished results; no cache when unset.
    pub cache_table: Option<String>,
    pub cache_ttl: Duration,
    pub tokens: TokenCodec,
    /// Which other origins' pages may call the API from a browser.
    pub cors: CorsOrigins,
    /// Only the server sets these (from its command line); a Lambda serves one request at a time.
    pub limits: Limits,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CorsOrigins {
    /// Pages served from localhost or 127.0.0.1 on any port (same-origin pages need no CORS).
    #[default]
    Localhost,
    /// Any origin (`*`).
    Any,
    /// Exactly these origins, e.g. `https://app.example.com`.
    List(Vec<String>),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Requests in flight beyond this are shed with a 503 at once, not queued.
    pub max_concurrent_requests: Option<usize>,
    pub request_timeout: Option<Duration>,
    /// All header names and values together; beyond this a request is refused with a 431.
    pub max_header_bytes: Option<usize>,
}

impl Default for Config {
    /// Nothing set: unsigned ids, no AWS resources.
    fn default() -> Self {
        Self {
            state_machine_arn: None,
            poll_mode: PollMode::default(),
            cache_table: None,
            cache_ttl: DEFAULT_CACHE_TTL,
            tokens: TokenCodec::unsigned(),
            cors: CorsOrigins::default(),
            limits: Limits::default(),
        }
    }
}

/// The settings as given, before they are checked: the Lambdas read them from the environment,
/// the server from its command line (whose flags fall back to the same variables).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawConfig {
    pub state_machine_arn: Option<String>,
    pub poll_mode: Option<String>,
    pub cache_table: Option<String>,
    pub cache_ttl_seconds: Option<String>,
    pub token_secret: Option<String>,
    pub token_secret_previous: Option<String>,
    pub cors_allowed_origins: Option<String>,
}

impl RawConfig {
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            state_machine_arn: lookup("STATE_MACHINE_ARN"),
            poll_mode: lookup("POLL_MODE"),
            cache_table: lookup("CACHE_TABLE"),
            cache_ttl_seconds: lookup("CACHE_TTL_SECONDS"),
            token_secret: lookup("TOKEN_SECRET"),
            token_secret_previous: lookup("TOKEN_SECRET_PREVIOUS"),
            cors_allowed_origins: lookup("CORS_ALLOWED_ORIGINS"),
        }
    }
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_raw(RawConfig::from_lookup(lookup))
    }

    pub fn from_raw(raw: RawConfig) -> Result<Self, ConfigError> {
        let given = |value: Option<String>| value.filter(|value| !value.trim().is_empty());
        let cache_ttl = match given(raw.cache_ttl_seconds) {
            None => DEFAULT_CACHE_TTL,
            Some(value) => value
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|seconds| *seconds > 0)
                .map(Duration::from_secs)
                .ok_or_else(|| ConfigError::Invalid {
                    name: "CACHE_TTL_SECONDS",
                    reason: format!("expected a positive number of seconds, got {value:?}"),
                })?,
        };
        let poll_mode = match given(raw.poll_mode) {
            None => PollMode::default(),
            Some(mode) => {
                mode.trim()
                    .to_ascii_lowercase()
                    .parse()
                    .map_err(|error: UnknownPollMode| ConfigError::Invalid {
                        name: "POLL_MODE",
                        reason: error.to_string(),
                    })?
            }
        };
        let state_machine_arn = given(raw.state_machine_arn);
        if let Some(arn) = &state_machine_arn
            && !arn.starts_with("arn:")
        {
            return Err(ConfigError::Invalid {
                name: "STATE_MACHINE_ARN",
                reason: format!("expected an ARN (arn:...:stateMachine:...), got {arn:?}"),
            });
        }
        Ok(Self {
            state_machine_arn,
            poll_mode,
            cache_table: given(raw.cache_table),
            cache_ttl,
            tokens: tokens(given(raw.token_secret), given(raw.token_secret_previous))?,
            cors: given(raw.cors_allowed_origins)
                .map(|origins| cors_origins(&origins))
                .transpose()?
                .unwrap_or_default(),
            limits: Limits::default(),
        })
    }

    pub fn require_state_machine_arn(&self) -> Result<&str, ConfigError> {
        self.state_machine_arn
            .as_deref()
            .ok_or(ConfigError::Missing("STATE_MACHINE_ARN"))
    }
}

fn cors_origins(value: &str) -> Result<CorsOrigins, ConfigError> {
    let value = value.trim();
    if value == "*" {
        return Ok(CorsOrigins::Any);
    }
    let origins = value
        .split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let (scheme, host) = origin.split_once("://").unwrap_or(("", ""));
            let valid = matches!(scheme, "http" | "https")
                && !host.is_empty()
                && !host.contains('/')
                && origin.is_ascii()
                && !origin.contains(char::is_whitespace);
            if valid {
                Ok(origin.to_owned())
            } else {
                Err(ConfigError::Invalid {
                    name: "CORS_ALLOWED_ORIGINS",
                    reason: format!(
                        "{origin:?} is not an origin like https://app.example.com (or use *)"
                    ),
                })
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsOrigins::List(origins))
}

fn tokens(current: Option<String>, previous: Option<String>) -> Result<TokenCodec, ConfigError> {
    let secret = |name: &'static str, value: String| {
        if value.len() < MIN_SECRET_BYTES {
            return Err(ConfigError::Invalid {
                name,
                reason: format!("must be at least {MIN_SECRET_BYTES} bytes"),
            });
        }
        Ok(TokenSecret::new(value))
    };
    match (current, previous) {
        (None, None) => Ok(TokenCodec::unsigned()),
        (None, Some(_)) => Err(ConfigError::Missing("TOKEN_SECRET")),
        (Some(current), previous) => Ok(TokenCodec::signed(
            secret("TOKEN_SECRET", current)?,
            previous
                .map(|previous| secret("TOKEN_SECRET_PREVIOUS", previous))
                .transpose()?,
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        Config::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn everything_is_optional_with_sensible_defaults() {
        let config = config(&[]).unwrap();
        assert_eq!(config.state_machine_arn, None);
        assert_eq!(config.cache_table, None);
        assert_eq!(config.poll_mode, PollMode::Describe);
        assert_eq!(config.cors, CorsOrigins::Localhost);
        assert_eq!(config.limits, Limits::default());
        assert_eq!(config.cache_ttl, DEFAULT_CACHE_TTL);
        assert!(config.tokens.current_secret().is_none());
        assert_eq!(
            config.require_state_machine_arn(),
            Err(ConfigError::Missing("STATE_MACHINE_ARN"))
        );
    }

    #[test]
    fn reads_every_setting() {
        let config = config(&[
            (
                "STATE_MACHINE_ARN",
                "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            ),
            ("POLL_MODE", "History"),
            ("CACHE_TABLE", "results"),
            ("CACHE_TTL_SECONDS", "60"),
            ("TOKEN_SECRET", "0123456789abcdef"),
            ("TOKEN_SECRET_PREVIOUS", "fedcba9876543210"),
            (
                "CORS_ALLOWED_ORIGINS",
                "https://app.example.com, http://localhost:8080",
            ),
        ])
        .unwrap();
        assert_eq!(
            config.cors,
            CorsOrigins::List(vec![
                "https://app.example.com".into(),
                "http://localhost:8080".into()
            ])
        );
        assert_eq!(
            config.require_state_machine_arn().unwrap(),
            "arn:aws:states:us-east-1:123456789012:stateMachine:m"
        );
        assert_eq!(config.poll_mode, PollMode::History);
        assert_eq!(config.cache_table.as_deref(), Some("results"));
        assert_eq!(config.cache_ttl, Duration::from_secs(60));
        assert!(config.tokens.current_secret().is_some());
    }

    #[test]
    fn blank_values_count_as_unset_and_a_star_allows_any_origin() {
        assert_eq!(config(&[("CACHE_TABLE", " ")]).unwrap().cache_table, None);
        assert_eq!(
            config(&[("CORS_ALLOWED_ORIGINS", "*")]).unwrap().cors,
            CorsOrigins::Any
        );
    }

    #[test]
    fn names_the_variable_that_is_wrong() {
        let invalid = |pairs: &[(&str, &str)]| match config(pairs) {
            Err(ConfigError::Invalid { name, .. }) => name,
            other => panic!("expected an invalid setting, got {other:?}"),
        };
        assert_eq!(invalid(&[("POLL_MODE", "sometimes")]), "POLL_MODE");
        assert_eq!(
            invalid(&[("CORS_ALLOWED_ORIGINS", "https://app.example.com/path")]),
            "CORS_ALLOWED_ORIGINS"
        );
        assert_eq!(
            invalid(&[("CORS_ALLOWED_ORIGINS", "app.example.com")]),
            "CORS_ALLOWED_ORIGINS"
        );
        assert_eq!(invalid(&[("CACHE_TTL_SECONDS", "-1")]), "CACHE_TTL_SECONDS");
        assert_eq!(invalid(&[("CACHE_TTL_SECONDS", "0")]), "CACHE_TTL_SECONDS");
        assert_eq!(
            invalid(&[("STATE_MACHINE_ARN", "my-machine")]),
            "STATE_MACHINE_ARN"
        );
        assert_eq!(invalid(&[("TOKEN_SECRET", "short")]), "TOKEN_SECRET");
        assert_eq!(
            invalid(&[
                ("TOKEN_SECRET", "0123456789abcdef"),
                ("TOKEN_SECRET_PREVIOUS", "x")
            ]),
            "TOKEN_SECRET_PREVIOUS"
        );
        assert_eq!(
            config(&[("TOKEN_SECRET_PREVIOUS", "0123456789abcdef")]).unwrap_err(),
            ConfigError::Missing("TOKEN_SECRET")
        );
    }
}
