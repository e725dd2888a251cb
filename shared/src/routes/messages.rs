//! The `/messages` handlers: thin translations between HTTP and the job service.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::wait::{PREFERENCE_APPLIED, RequestedWait, WaitQuery, requested_wait};
use super::{AppState, BasePath};
use crate::api::{ApiError, JobBody, MAX_BODY_BYTES, SubmitMessage};
use crate::jobs::{FIRST_READ_AFTER_START, IdempotencyKey, Job, MIN_POLL_INTERVAL};

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

pub async fn create(
    State(state): State<AppState>,
    base: Option<axum::Extension<BasePath>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let body = read_body(&headers, body).await?;
    let request = SubmitMessage::from_body(headers.get(header::CONTENT_TYPE), &body)?;
    let key = idempotency_key(&headers)?;
    let wait = requested_wait(None, &headers)?;
    let mut job = state.jobs.submit(&request, key.as_ref()).await?;
    if let Some(wait) = wait {
        job = state
            .jobs
            .wait_until_final(job, wait.duration, FIRST_READ_AFTER_START)
            .await?;
    }
    // A job that finished within the request answers like the original synchronous API.
    let status = if job.state.is_final() && wait.is_some() {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let base = base.map(|axum::Extension(base)| base).unwrap_or_default();
    let location = HeaderValue::try_from(format!("{}/messages/{}", base.0, job.id));
    let mut response = job_response(status, job, wait);
    if let Ok(location) = location {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub async fn get(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<WaitQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::JobNotFound);
    };
    let query = query.map_err(|rejection| ApiError::InvalidQuery(rejection.body_text()))?;
    let wait = requested_wait(Some(&query), &headers)?;
    let mut job = state.jobs.find(&id).await?;
    if let Some(wait) = wait {
        job = state
            .jobs
            .wait_until_final(job, wait.duration, MIN_POLL_INTERVAL)
            .await?;
    }
    Ok(job_response(StatusCode::OK, job, wait))
}

pub async fn cancel(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::JobNotFound);
    };
    let job = state.jobs.cancel(&id).await?;
    Ok(job_response(StatusCode::OK, job, None))
}

fn job_response(status: StatusCode, job: Job, wait: Option<RequestedWait>) -> Response {
    let retry_after_seconds = job.retry_after_seconds;
    let mut response = (status, Json(JobBody::new(job.id, job.state))).into_response();
    let headers = response.headers_mut();
    // A job's state changes under the same URL: no cache may answer for the server.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(seconds) = retry_after_seconds {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(applied) = wait.and_then(|wait| wait.preference_applied()) {
        headers.insert(PREFERENCE_APPLIED, applied);
    }
    response
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<IdempotencyKey>, ApiError> {
    let invalid = |reason| ApiError::InvalidHeader {
        name: "Idempotency-Key",
        reason,
    };
    let mut values = headers.get_all(IDEMPOTENCY_KEY).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(invalid("send it once"));
    }
    IdempotencyKey::parse(value.as_bytes())
        .map(Some)
        .map_err(|_| invalid("must be 1 to 255 printable ASCII characters"))
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok())
        .and_then(|length| length.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(ApiError::BodyTooLarge);
    }
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            Err(ApiError::BodyTooLarge)
        }
        Err(error) => {
            tracing::info!(%error, "could not read the request body");
            Err(ApiError::UnreadableBody)
        }
    }
}
