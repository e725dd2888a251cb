//! Header size, load shedding and request timeouts: past the concurrency limit a request is refused at once
//! with a 503 and Retry-After (a queue would only make every client wait longer), and a request
//! that runs too long is ended with a 503 rather than holding its connection.

use std::convert::Infallible;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::timeout::TimeoutLayer;
use tower::timeout::error::Elapsed;
use tower::{BoxError, ServiceBuilder};

use crate::api::ApiError;
use crate::config::Limits;

/// A shed client should come back soon: the overload is a moment of more requests in flight.
const OVERLOADED_RETRY_AFTER_SECONDS: u64 = 1;

pub fn apply(router: Router, limits: Limits) -> Router {
    if limits == Limits::default() {
        return router;
    }
    let router = match limits.max_header_bytes {
        Some(max) => router.layer(middleware::from_fn(move |request: Request, next: Next| {
            refuse_large_headers(max, request, next)
        })),
        None => router,
    };
    // One semaphore shared by every route: the limit is for the whole server.
    router.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(answer_limit_error))
            .load_shed()
            .option_layer(
                limits
                    .max_concurrent_requests
                    .map(GlobalConcurrencyLimitLayer::new),
            )
            .option_layer(limits.request_timeout.map(TimeoutLayer::new))
            // Both arms of each optional layer must fail with the same error type.
            .map_err(|never: Infallible| -> BoxError { match never {} }),
    )
}

async fn refuse_large_headers(max: usize, request: Request, next: Next) -> Response {
    let size: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if size > max {
        return ApiError::HeadersTooLarge(max).into_response();
    }
    next.run(request).await
}

async fn answer_limit_error(error: BoxError) -> Response {
    if error.is::<Elapsed>() {
        tracing::warn!("request timed out");
        return ApiError::Timeout.into_response();
    }
    if error.is::<tower::load_shed::error::Overloaded>() {
        tracing::warn!("request shed: at the concurrency limit");
        return ApiError::Overloaded {
            retry_after_seconds: OVERLOADED_RETRY_AFTER_SECONDS,
        }
        .into_response();
    }
    tracing::error!(%error, "request failed in the server's middleware");
    ApiError::Upstream.into_response()
}
