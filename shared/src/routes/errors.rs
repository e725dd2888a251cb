//! Answers for requests no route handles, in the same problem+json shape as every other error.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::api::{ApiError, Problem, UpstreamFailure};
use crate::jobs::JobError;
use crate::workflow::WorkflowError;

/// How long a throttled client should back off: Step Functions refills its quotas every second.
const THROTTLED_RETRY_AFTER_SECONDS: u64 = 1;

pub async fn route_not_found() -> ApiError {
    ApiError::RouteNotFound
}

/// axum answers a wrong method with an empty 405 and an `Allow` header; give it a body too.
pub fn method_not_allowed_as_problem(response: Response) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED
        || response.extensions().get::<Problem>().is_some()
    {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    ApiError::MethodNotAllowed { allow }.into_response()
}

/// Pure: the failure travels in the answer, and the request layer logs it.
impl From<JobError> for ApiError {
    fn from(error: JobError) -> Self {
        match error {
            JobError::NotFound | JobError::Workflow(WorkflowError::NotFound) => Self::JobNotFound,
            JobError::IdempotencyConflict => Self::IdempotencyConflict,
            JobError::Workflow(error @ WorkflowError::Throttled) => Self::Throttled {
                retry_after_seconds: THROTTLED_RETRY_AFTER_SECONDS,
                failure: UpstreamFailure::throttled("workflow call throttled", error),
            },
            // The detail stays in the log (which carries the request id), never in the answer.
            JobError::Workflow(error) => {
                Self::Upstream(UpstreamFailure::failed("workflow call failed", error))
            }
        }
    }
}
