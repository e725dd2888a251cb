//! A request id on every request: on each log line (through a span), in the `x-request-id`
//! response header, and as `instance` in every problem document, so that a client's error report
//! leads straight to the log lines that explain it. Here too each upstream failure is logged,
//! once, from the answer that carries it, so that converting an error into an answer logs nothing.

use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use tower::{Layer, Service};
use tracing::Instrument;

use super::ResponseFuture;
use crate::api::{Problem, UpstreamFailure};

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Debug, Clone, PartialEq, Eq)]
struct RequestId(String);

impl RequestId {
    /// In Lambda, the invocation's own id ties our logs to the platform's; elsewhere a fresh one.
    fn of(request: &Request) -> Self {
        let from_lambda = request
            .lambda_context_ref()
            .map(|context| context.request_id.clone())
            .filter(|id| !id.is_empty())
            .or_else(|| match request.request_context_ref()? {
                RequestContext::ApiGatewayV1(context) => context.request_id.clone(),
                RequestContext::ApiGatewayV2(context) => context.request_id.clone(),
                _ => None,
            });
        Self(from_lambda.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))
    }

    fn as_str(&self) -> &str {
        &self.0
    }

    /// The header takes the id's own bytes instead of a copy. `None` for a platform id that is
    /// not a valid header value: the logs and the problem still carry it.
    fn into_header_value(self) -> Option<HeaderValue> {
        HeaderValue::from_maybe_shared(Bytes::from(self.0)).ok()
    }
}

/// Puts every request in a span carrying its id, logs its answer (and the upstream failure
/// behind it, if any), and hands the id back.
#[derive(Debug, Clone, Copy, Default)]
pub struct RequestIdLayer;

impl<S> Layer<S> for RequestIdLayer {
    type Service = WithRequestId<S>;

    fn layer(&self, inner: S) -> Self::Service {
        WithRequestId { inner }
    }
}

/// Written out rather than `middleware::from_fn`, which clones the whole inner stack on every
/// request: all this needs before the inner call is synchronous, so it calls the inner service
/// in place.
#[derive(Debug, Clone)]
pub struct WithRequestId<S> {
    inner: S,
}

impl<S> Service<Request> for WithRequestId<S>
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
        let id = RequestId::of(&request);
        let span = tracing::info_span!(
            "request",
            request_id = %id.as_str(),
            method = %request.method(),
            path = %request.uri().path(),
        );
        let started = Instant::now();
        let answer = span.in_scope(|| self.inner.call(request));
        Box::pin(async move {
            let mut response = answer.instrument(span.clone()).await?;
            // Taken out, so that no other layer can log the same failure again.
            let failure = response.extensions_mut().remove::<UpstreamFailure>();
            span.in_scope(|| {
                if let Some(failure) = failure {
                    failure.log();
                }
                tracing::info!(
                    status = response.status().as_u16(),
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "answered"
                );
            });
            Ok(with_id(response, id))
        })
    }
}

/// The id in the header, and as `instance` of a problem that has none yet.
fn with_id(mut response: Response, id: RequestId) -> Response {
    if let Some(problem) = response.extensions().get::<Problem>()
        && problem.instance.is_none()
    {
        let mut problem = problem.clone();
        problem.instance = Some(id.as_str().to_owned());
        let (mut parts, _) = response.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        let (_, body) = problem.into_response().into_parts();
        response = Response::from_parts(parts, body);
    }
    if let Some(value) = id.into_header_value() {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}
