//! Why a service behind the API let a request down. The answer says only that one did; the
//! reason rides in the answer's extensions to the request layer, which takes it out and logs it
//! there, once, with the request id.

use std::error::Error;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct UpstreamFailure {
    /// Throttling is a service asking for patience, not a fault: a warning, not an error.
    throttled: bool,
    what: &'static str,
    error: Arc<dyn Error + Send + Sync>,
}

impl UpstreamFailure {
    /// The service asked to slow down; `what` says which call.
    pub fn throttled(what: &'static str, error: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(true, what, error.into())
    }

    /// Anything else that went wrong; `what` says which call.
    pub fn failed(what: &'static str, error: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self::new(false, what, error.into())
    }

    fn new(throttled: bool, what: &'static str, error: Box<dyn Error + Send + Sync>) -> Self {
        Self {
            throttled,
            what,
            error: Arc::from(error),
        }
    }

    /// Writes the failure's one log line, in the span of the request it let down.
    pub fn log(&self) {
        let error = &self.error;
        if self.throttled {
            tracing::warn!(%error, "{}", self.what);
        } else {
            tracing::error!(%error, "{}", self.what);
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;

    use super::*;
    use crate::api::ApiError;

    #[test]
    fn an_upstream_answer_carries_its_failure_to_the_request_layer() {
        let failure = UpstreamFailure::failed("workflow call failed", "connection reset");
        let response = ApiError::Upstream(failure).into_response();
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
        let carried = response.extensions().get::<UpstreamFailure>().unwrap();
        assert_eq!(carried.error.to_string(), "connection reset");
    }

    #[test]
    fn a_client_error_carries_none() {
        let response = ApiError::JobNotFound.into_response();
        assert!(response.extensions().get::<UpstreamFailure>().is_none());
    }
}
