//! Running a route in AWS Lambda behind API Gateway (REST or HTTP API) or a Function URL.

use axum::Router;
use axum::extract::Request;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use tower::ServiceExt;
use tower::util::MapRequest;

use crate::routes::BasePath;

/// The handlers and the tests use this exact version to read Lambda events.
pub use lambda_http;

/// A router as a Lambda HTTP service.
pub type LambdaService = MapRequest<Router, fn(lambda_http::Request) -> Request>;

pub fn service(router: Router) -> LambdaService {
    router.map_request(without_stage as fn(lambda_http::Request) -> Request)
}

/// Serves `router` until the Lambda runtime shuts the function down.
pub async fn run(router: Router) -> Result<(), lambda_http::Error> {
    lambda_http::run(service(router)).await
}

/// JSON logs on stdout, which Lambda ships to CloudWatch; `RUST_LOG` picks the level.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_current_span(true)
        .with_target(false)
        .without_time()
        .init();
}

/// lambda_http puts the API Gateway stage in front of the path (`/prod/messages/...`); the
/// routes are defined without it, and `Location` gets it back through [`BasePath`]. The stage
/// comes from the request context, so no guess about the path's shape is needed.
fn without_stage(request: lambda_http::Request) -> Request {
    let stage = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(context)) => context.stage.clone(),
        Some(RequestContext::ApiGatewayV2(context)) => context.stage.clone(),
        _ => None,
    };
    let mut request = request.map(axum::body::Body::new);
    let Some(stage) = stage.filter(|stage| stage != "$default" && !stage.is_empty()) else {
        return request;
    };
    let prefix = format!("/{stage}");
    let uri = request.uri();
    let path = uri.path();
    let Some(rest) = path.strip_prefix(&prefix) else {
        return request;
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return request;
    }
    let rest = if rest.is_empty() { "/" } else { rest };
    let path_and_query = match uri.query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    if let Ok(path_and_query) = path_and_query.parse() {
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = axum::http::Uri::from_parts(parts) {
            *request.uri_mut() = uri;
            request.extensions_mut().insert(BasePath(prefix));
        }
    }
    request
}
