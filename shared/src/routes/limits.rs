//! Header size, load shedding and request timeouts: past the concurrency limit a request is refused at once
//! with a 503 and Retry-After (a queue would only make every client wait longer), and a request
//! that runs too long is ended with a 503 rather than holding its connection.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use tower::timeout::error::Elapsed;
use tower::{BoxError, Layer, Service};

use super::ResponseFuture;
use crate::api::{ApiError, UpstreamFailure};

/// A shed client should come back soon: the overload is a moment of more requests in flight.
const OVERLOADED_RETRY_AFTER_SECONDS: u64 = 1;

/// Refuses a request whose headers add up to more than `max` bytes with a 431.
#[derive(Debug, Clone, Copy)]
pub struct HeaderLimitLayer {
    max: usize,
}

impl HeaderLimitLayer {
    pub fn new(max: usize) -> Self {
        Self { max }
    }
}

impl<S> Layer<S> for HeaderLimitLayer {
    type Service = HeaderLimit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        HeaderLimit {
            inner,
            max: self.max,
        }
    }
}

#[derive(Debug, Clone)]
pub struct HeaderLimit<S> {
    inner: S,
    max: usize,
}

impl<S> Service<Request> for HeaderLimit<S>
where
    S: Service<Request, Response = Response>,
    S::Error: Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ResponseFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let size: usize = request
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        if size > self.max {
            let refused = ApiError::HeadersTooLarge(self.max).into_response();
            return Box::pin(std::future::ready(Ok(refused)));
        }
        Box::pin(self.inner.call(request))
    }
}

/// Turns the errors of the load-shedding and timeout layers below into problem answers.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnswerLimitErrorsLayer;

impl<S> Layer<S> for AnswerLimitErrorsLayer {
    type Service = AnswerLimitErrors<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AnswerLimitErrors {
            inner,
            not_ready: None,
        }
    }
}

/// Written out rather than axum's `HandleErrorLayer`, which clones the stack below it on every
/// request.
#[derive(Debug)]
pub struct AnswerLimitErrors<S> {
    inner: S,
    /// A readiness failure, answered by the call that follows it.
    not_ready: Option<BoxError>,
}

impl<S: Clone> Clone for AnswerLimitErrors<S> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            not_ready: None,
        }
    }
}

impl<S> Service<Request> for AnswerLimitErrors<S>
where
    S: Service<Request, Response = Response, Error = BoxError>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = ResponseFuture<Infallible>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map(|ready| {
            if let Err(error) = ready {
                self.not_ready = Some(error);
            }
            Ok(())
        })
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if let Some(error) = self.not_ready.take() {
            return Box::pin(std::future::ready(Ok(answer_limit_error(error))));
        }
        let answer = self.inner.call(request);
        Box::pin(async move { Ok(answer.await.unwrap_or_else(answer_limit_error)) })
    }
}

fn answer_limit_error(error: BoxError) -> Response {
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
    ApiError::Upstream(UpstreamFailure::failed(
        "request failed in the server's middleware",
        error,
    ))
    .into_response()
}
