//! What the server serves besides the API: the browser page, the contract, a health check
//! and the metrics.
//! All compiled in, so the binary runs from any directory.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use shared::routes::AppState;

const INDEX_HTML: &str = include_str!("../../frontend/index.html");
const APP_JS: &str = include_str!("../../frontend/app.js");
const STYLE_CSS: &str = include_str!("../../frontend/style.css");
const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// The compiled-in files: path, content type, body.
const ASSETS: [(&str, &str, &str); 4] = [
    ("/", "text/html; charset=utf-8", INDEX_HTML),
    ("/app.js", "text/javascript; charset=utf-8", APP_JS),
    ("/style.css", "text/css; charset=utf-8", STYLE_CSS),
    (
        "/openapi.yaml",
        "application/yaml; charset=utf-8",
        OPENAPI_YAML,
    ),
];

pub fn router() -> Router<AppState> {
    ASSETS
        .into_iter()
        .fold(Router::new(), |router, (path, content_type, body)| {
            router.route(path, get(move || async move { typed(content_type, body) }))
        })
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
}

async fn metrics(State(state): State<AppState>) -> Response {
    typed(
        "text/plain; version=0.0.4; charset=utf-8",
        state.metrics().render(),
    )
}

fn typed(content_type: &'static str, body: impl IntoResponse) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use shared::cache::memory::MemoryCache;
    use shared::config::Config;
    use shared::routes::{Backend, router_with};
    use shared::workflow::embedded::{EmbeddedWorkflow, VirtualClock};
    use tower::ServiceExt;

    use super::*;

    fn app() -> Router {
        let backend = Backend {
            workflow: Arc::new(EmbeddedWorkflow::messages(Arc::new(VirtualClock::new())).unwrap()),
            cache: Some(Arc::new(MemoryCache::default())),
        };
        router_with(AppState::new(backend, &Config::default()), router())
    }

    async fn get(app: &Router, method: &str, path: &str) -> (StatusCode, String, String) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            content_type,
            String::from_utf8(body.to_vec()).unwrap(),
        )
    }

    #[tokio::test]
    async fn serves_the_page_its_assets_and_the_contract() {
        let app = app();
        let (status, content_type, body) = get(&app, "GET", "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(content_type.starts_with("text/html"));
        assert_eq!(body, INDEX_HTML);
        for (path, kind, content) in [
            ("/app.js", "text/javascript", APP_JS),
            ("/style.css", "text/css", STYLE_CSS),
            ("/openapi.yaml", "application/yaml", OPENAPI_YAML),
        ] {
            let (status, content_type, body) = get(&app, "GET", path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(content_type.starts_with(kind), "{path}: {content_type}");
            assert_eq!(body, content, "{path}");
        }
        assert!(OPENAPI_YAML.starts_with("openapi:"));
    }

    #[tokio::test]
    async fn answers_health_and_metrics() {
        let app = app();
        assert_eq!(get(&app, "GET", "/healthz").await.0, StatusCode::OK);
        get(&app, "GET", "/healthz").await;
        let (status, content_type, body) = get(&app, "GET", "/metrics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(content_type.starts_with("text/plain; version=0.0.4"));
        assert!(
            body.contains(
                r#"messages_http_requests_total{route="/healthz",method="GET",status="200"} 2"#
            ),
            "{body}"
        );
    }

    #[tokio::test]
    async fn other_methods_and_paths_are_problems() {
        let app = app();
        let (status, content_type, _) = get(&app, "POST", "/").await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(content_type, "application/problem+json");
        let (status, content_type, _) = get(&app, "GET", "/index.html").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(content_type, "application/problem+json");
    }
}
