//! The `/messages` handlers: thin translations between HTTP and the job service.

use axum::Json;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use super::{AppState, BasePath};
use crate::api::{ApiError, JobBody, MAX_BODY_BYTES, SubmitMessage};
use crate::jobs::Job;

pub async fn create(
    State(state): State<AppState>,
    base: Option<axum::Extension<BasePath>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let body = read_body(&headers, body).await?;
    let request = SubmitMessage::from_body(headers.get(header::CONTENT_TYPE), &body)?;
    let job = state.jobs.submit(&request).await?;
    let base = base.map(|axum::Extension(base)| base).unwrap_or_default();
    let mut response = job_response(StatusCode::ACCEPTED, &job);
    if let Ok(location) = HeaderValue::try_from(format!("{}/messages/{}", base.0, job.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub async fn get(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::JobNotFound);
    };
    let job = state.jobs.find(&id).await?;
    Ok(job_response(StatusCode::OK, &job))
}

fn job_response(status: StatusCode, job: &Job) -> Response {
    let mut response = (status, Json(JobBody::new(&job.id, &job.state))).into_response();
    if let Some(seconds) = job.retry_after_seconds {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

async fn read_body(headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, ApiError> {
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
