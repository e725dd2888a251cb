//! `POST /messages`: the request body, its media type and its validation.

use axum::http::HeaderValue;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::error::ApiError;
use super::limits::{MAX_AUDIENCE_CHARS, MAX_BODY_BYTES, MAX_DELAY_SECONDS};

/// A job request; it is also, as JSON, the execution's input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubmitMessage {
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<String>,
    #[serde(
        default,
        deserialize_with = "whole_seconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub delay_seconds: Option<u32>,
}

/// JSON Schema's `integer` includes numbers written with a zero fraction (`5.0`).
fn whole_seconds<'de, D>(deserializer: D) -> Result<Option<u32>, D::Error>
where
    D: Deserializer<'de>,
{
    let number = serde_json::Number::deserialize(deserializer)?;
    let whole = number.as_u64().or_else(|| {
        number
            .as_f64()
            .filter(|value| value.fract() == 0.0 && *value >= 0.0 && *value <= f64::from(u32::MAX))
            .map(|value| value as u64)
    });
    whole
        .and_then(|seconds| u32::try_from(seconds).ok())
        .map(Some)
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "delaySeconds must be a whole number of seconds, got {number}"
            ))
        })
}

/// A field that is present must hold a value: `null` is a wrong type, not an absent field.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

impl SubmitMessage {
    /// Reads a request body: empty means "all defaults"; anything else must be a JSON object.
    pub fn from_body(content_type: Option<&HeaderValue>, body: &[u8]) -> Result<Self, ApiError> {
        if body.len() > MAX_BODY_BYTES {
            return Err(ApiError::BodyTooLarge);
        }
        if body.is_empty() {
            return Ok(Self::default());
        }
        if let Some(content_type) = content_type
            && !is_json(content_type)
        {
            let shown = String::from_utf8_lossy(content_type.as_bytes()).into_owned();
            return Err(ApiError::UnsupportedMediaType(shown));
        }
        serde_json::from_slice::<IgnoredAny>(body)
            .map_err(|error| ApiError::MalformedJson(error.to_string()))?;
        // serde would also read a struct from an array; the contract wants an object.
        if body.iter().find(|byte| !byte.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::InvalidField(
                "the body must be a JSON object".into(),
            ));
        }
        let request: Self = serde_json::from_slice(body)
            .map_err(|error| ApiError::InvalidField(error.to_string()))?;
        request.validate()
    }

    pub fn validate(self) -> Result<Self, ApiError> {
        if let Some(audience) = &self.audience {
            let length = audience.chars().count();
            if length == 0 || length > MAX_AUDIENCE_CHARS {
                return Err(ApiError::InvalidField(format!(
                    "audience must be 1 to {MAX_AUDIENCE_CHARS} characters, got {length}"
                )));
            }
        }
        if let Some(delay) = self.delay_seconds
            && delay > MAX_DELAY_SECONDS
        {
            return Err(ApiError::InvalidField(format!(
                "delaySeconds must be 0 to {MAX_DELAY_SECONDS}, got {delay}"
            )));
        }
        Ok(self)
    }

    /// The execution input: only the fields the client gave, so the state machine's defaults apply.
    pub fn to_input(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| Value::Object(Default::default()))
    }
}

fn is_json(content_type: &HeaderValue) -> bool {
    let Ok(content_type) = content_type.to_str() else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const JSON: HeaderValue = HeaderValue::from_static("application/json");

    fn parse(body: &str) -> Result<SubmitMessage, ApiError> {
        SubmitMessage::from_body(Some(&JSON), body.as_bytes())
    }

    #[test]
    fn an_empty_body_means_all_defaults_with_or_without_a_content_type() {
        assert_eq!(
            SubmitMessage::from_body(None, b"").unwrap(),
            SubmitMessage::default()
        );
        assert_eq!(parse("").unwrap(), SubmitMessage::default());
        assert_eq!(parse("").unwrap().to_input(), json!({}));
    }

    #[test]
    fn reads_both_fields() {
        let request = parse(r#"{"audience": "Step Functions", "delaySeconds": 300}"#).unwrap();
        assert_eq!(request.audience.as_deref(), Some("Step Functions"));
        assert_eq!(request.delay_seconds, Some(300));
        assert_eq!(
            request.to_input(),
            json!({"audience": "Step Functions", "delaySeconds": 300})
        );
    }

    #[test]
    fn accepts_json_media_types_with_parameters_and_suffixes() {
        for content_type in [
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/merge-patch+json",
        ] {
            let header = HeaderValue::from_static(content_type);
            assert!(
                SubmitMessage::from_body(Some(&header), b"{}").is_ok(),
                "{content_type}"
            );
        }
        assert!(SubmitMessage::from_body(None, b"{}").is_ok());
    }

    #[test]
    fn rejects_other_media_types() {
        for content_type in ["text/plain", "application/x-www-form-urlencoded", "json"] {
            let header = HeaderValue::from_static(content_type);
            assert!(matches!(
                SubmitMessage::from_body(Some(&header), b"{}"),
                Err(ApiError::UnsupportedMediaType(_))
            ));
        }
    }

    #[test]
    fn rejects_malformed_json() {
        for body in ["{", "not json", "{\"audience\": }", " "] {
            assert!(
                matches!(parse(body), Err(ApiError::MalformedJson(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn rejects_wrong_shapes_and_types() {
        for body in [
            "[]",
            "null",
            "\"World\"",
            "42",
            r#"{"audience": 5}"#,
            r#"{"audience": null}"#,
            r#"{"delaySeconds": "5"}"#,
            r#"{"delaySeconds": -1}"#,
            r#"{"delaySeconds": 1.5}"#,
            r#"{"delaySeconds": 1e20}"#,
            r#"{"delaySeconds": -0.5}"#,
            r#"{"delaySeconds": null}"#,
            r#"{"audience": "a", "audience": "b"}"#,
            r#"{"audience": "World", "extra": true}"#,
        ] {
            assert!(
                matches!(parse(body), Err(ApiError::InvalidField(_))),
                "{body}"
            );
        }
    }

    #[test]
    fn enforces_the_ranges() {
        assert!(matches!(
            parse(r#"{"audience": ""}"#),
            Err(ApiError::InvalidField(_))
        ));
        let longest = format!(r#"{{"audience": "{}"}}"#, "é".repeat(MAX_AUDIENCE_CHARS));
        assert!(parse(&longest).is_ok());
        let too_long = format!(
            r#"{{"audience": "{}"}}"#,
            "a".repeat(MAX_AUDIENCE_CHARS + 1)
        );
        assert!(matches!(parse(&too_long), Err(ApiError::InvalidField(_))));
        assert!(parse(r#"{"delaySeconds": 0}"#).is_ok());
        assert_eq!(
            parse(r#"{"delaySeconds": 213.0}"#).unwrap().delay_seconds,
            Some(213)
        );
        assert_eq!(
            parse(r#"{"delaySeconds": 2e2}"#).unwrap().delay_seconds,
            Some(200)
        );
        assert!(matches!(
            parse(r#"{"delaySeconds": 301}"#),
            Err(ApiError::InvalidField(_))
        ));
    }

    #[test]
    fn a_blank_audience_is_well_shaped_and_left_to_build_message() {
        assert_eq!(
            parse(r#"{"audience": " "}"#).unwrap().audience.as_deref(),
            Some(" ")
        );
    }

    #[test]
    fn rejects_a_body_over_the_limit() {
        let body = format!(r#"{{"audience": "{}"}}"#, "a".repeat(MAX_BODY_BYTES));
        assert!(matches!(parse(&body), Err(ApiError::BodyTooLarge)));
    }
}
