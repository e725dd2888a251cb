//! Every way a request can fail, and the problem document each one becomes.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::limits::MAX_BODY_BYTES;
use super::problem::Problem;
use super::upstream::UpstreamFailure;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("{0}")]
    InvalidField(String),
    #[error("the request body is larger than {MAX_BODY_BYTES} bytes")]
    BodyTooLarge,
    #[error("the request headers are larger than {0} bytes together")]
    HeadersTooLarge(usize),
    #[error("the request body could not be read")]
    UnreadableBody,
    #[error("content type {0:?} is not supported; send application/json")]
    UnsupportedMediaType(String),
    #[error("header {name}: {reason}")]
    InvalidHeader {
        name: &'static str,
        reason: &'static str,
    },
    #[error("{0}")]
    InvalidQuery(String),
    #[error("no job has this id")]
    JobNotFound,
    #[error("no resource at this path")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Option<HeaderValue> },
    #[error("this Idempotency-Key was already used with another request body")]
    IdempotencyConflict,
    #[error("the workflow service is throttling requests")]
    Throttled {
        retry_after_seconds: u64,
        failure: UpstreamFailure,
    },
    #[error("the server is at capacity")]
    Overloaded { retry_after_seconds: u64 },
    #[error("the request took too long")]
    Timeout,
    /// The client learns only that it was upstream; the request layer logs the failure.
    #[error("an upstream service failed")]
    Upstream(UpstreamFailure),
}

impl ApiError {
    pub fn problem(&self) -> Problem {
        let detail = self.to_string();
        let problem = match self {
            Self::MalformedJson(_) => Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "Malformed JSON",
                detail,
            ),
            Self::InvalidField(_) => Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-field",
                "Invalid request field",
                detail,
            ),
            Self::BodyTooLarge => Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                "Request body too large",
                detail,
            ),
            Self::HeadersTooLarge(_) => Problem::new(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers-too-large",
                "Request headers too large",
                detail,
            ),
            Self::UnreadableBody => Problem::new(
                StatusCode::BAD_REQUEST,
                "unreadable-body",
                "Unreadable request body",
                detail,
            ),
            Self::UnsupportedMediaType(_) => Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                detail,
            ),
            Self::InvalidHeader { .. } => Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-header",
                "Invalid request header",
                detail,
            ),
            Self::InvalidQuery(_) => Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid-query",
                "Invalid query parameter",
                detail,
            ),
            Self::JobNotFound => Problem::new(
                StatusCode::NOT_FOUND,
                "job-not-found",
                "Job not found",
                detail,
            ),
            Self::RouteNotFound => {
                Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
            }
            Self::MethodNotAllowed { allow } => {
                let mut problem = Problem::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method-not-allowed",
                    "Method not allowed",
                    "this resource does not support this method; the Allow header lists those it does",
                );
                problem.allow = allow.clone();
                problem
            }
            Self::IdempotencyConflict => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                detail,
            ),
            Self::Throttled { .. } => Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                "throttled",
                "Too many requests",
                detail,
            ),
            Self::Overloaded { .. } => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                "Service unavailable",
                detail,
            ),
            Self::Timeout => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "Request timed out",
                detail,
            ),
            Self::Upstream(_) => Problem::new(
                StatusCode::BAD_GATEWAY,
                "upstream-failure",
                "Upstream service failure",
                detail,
            ),
        };
        match self {
            Self::Throttled {
                retry_after_seconds,
                ..
            }
            | Self::Overloaded {
                retry_after_seconds,
            } => problem.retry_after(*retry_after_seconds),
            _ => problem,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.problem().into_response();
        if let Self::Throttled { failure, .. } | Self::Upstream(failure) = self {
            response.extensions_mut().insert(failure);
        }
        response
    }
}
