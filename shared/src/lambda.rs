//! Running a route in AWS Lambda behind API Gateway (REST or HTTP API) or a Function URL.

use axum::Router;
use axum::extract::Request;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use tower::ServiceExt;
use tower::util::MapRequest;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

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

/// JSON logs on stdout, which Lambda ships to CloudWatch; each line carries the request span
/// (and so the request id). `RUST_LOG` picks the levels, as `info` or `shared=debug,warn`: targets
/// and levels only, since the span and regex filters of an `EnvFilter` cost a Lambda's bootstrap
/// more than all our own code.
pub fn init_logging() {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_target(false)
        .with_max_level(LevelFilter::TRACE)
        .finish()
        .with(filter)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn http_api_event(stage: &str, raw_path: &str, query: &str) -> lambda_http::Request {
        let event = serde_json::json!({
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": raw_path,
            "rawQueryString": query,
            "headers": {"host": "api.example.com"},
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "api",
                "domainName": "api.example.com",
                "http": {"method": "GET", "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.1", "userAgent": "test"},
                "requestId": "id",
                "routeKey": "$default",
                "stage": stage,
                "time": "26/Nov/2026:12:00:00 +0000",
                "timeEpoch": 0
            },
            "isBase64Encoded": false
        });
        lambda_http::request::from_str(&event.to_string()).unwrap()
    }

    fn routed(request: lambda_http::Request) -> (String, Option<BasePath>) {
        let request = without_stage(request);
        let path_and_query = request
            .uri()
            .path_and_query()
            .map(|value| value.as_str().to_owned())
            .unwrap_or_default();
        (
            path_and_query,
            request.extensions().get::<BasePath>().cloned(),
        )
    }

    #[test]
    fn strips_a_named_stage_and_remembers_it_for_location() {
        let (path, base) = routed(http_api_event("prod", "/prod/messages/abc", "wait=5"));
        assert_eq!(path, "/messages/abc?wait=5");
        assert_eq!(base, Some(BasePath("/prod".into())));
    }

    #[test]
    fn leaves_the_default_stage_alone() {
        let (path, base) = routed(http_api_event("$default", "/messages/abc", ""));
        assert_eq!(path, "/messages/abc");
        assert_eq!(base, None);
    }

    #[test]
    fn strips_only_a_whole_path_segment() {
        let (path, base) = routed(http_api_event("prod", "/prod/", ""));
        assert_eq!(path, "/");
        assert_eq!(base, Some(BasePath("/prod".into())));
        // lambda_http puts the stage in front of a path that lacks it; what follows is kept whole.
        let (path, _) = routed(http_api_event("prod", "/production/messages", ""));
        assert_eq!(path, "/production/messages");
    }
}
