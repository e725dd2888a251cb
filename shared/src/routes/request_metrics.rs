//! Counts every answer by route template (never the raw path, which holds job ids), method and
//! status.

use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::response::Response;
use tower::{Layer, Service};

use super::ResponseFuture;
use crate::metrics::Metrics;

#[derive(Debug, Clone)]
pub struct RequestMetricsLayer {
    metrics: Arc<Metrics>,
}

impl RequestMetricsLayer {
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self { metrics }
    }
}

impl<S> Layer<S> for RequestMetricsLayer {
    type Service = CountRequests<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CountRequests {
            inner,
            metrics: Arc::clone(&self.metrics),
        }
    }
}

/// Written out rather than `middleware::from_fn` so that it calls the inner service in place
/// instead of cloning the stack below it on every request.
#[derive(Debug, Clone)]
pub struct CountRequests<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S> Service<Request> for CountRequests<S>
where
    S: Service<Request, Response = Response>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = ResponseFuture<S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // A shared reference to the route template, not a copy: this runs on every request.
        let route = request.extensions().get::<MatchedPath>().cloned();
        let method = known_method(request.method());
        let metrics = Arc::clone(&self.metrics);
        let answer = self.inner.call(request);
        Box::pin(async move {
            let response = answer.await?;
            metrics.record_request(
                route.as_ref().map_or("unmatched", MatchedPath::as_str),
                method,
                response.status().as_u16(),
            );
            Ok(response)
        })
    }
}

/// Any other method string counts as one, so a client cannot grow the label set.
fn known_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}
