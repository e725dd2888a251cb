//! The routes over scripted backends: the failures the embedded engine never produces.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::{AppState, Backend, router};
use crate::cache::{CacheError, ResultCache};
use crate::config::{Config, CorsOrigins, Limits};
use crate::token::TokenCodec;
use crate::workflow::{Execution, ExecutionName, ExecutionState, Workflow, WorkflowError};

/// Every call fails with the error `fail` makes.
struct FailingWorkflow(fn() -> WorkflowError);

#[async_trait]
impl Workflow for FailingWorkflow {
    async fn start(&self, _: &ExecutionName, _: &Value) -> Result<(), WorkflowError> {
        Err((self.0)())
    }
    async fn poll(&self, _: &ExecutionName) -> Result<Execution, WorkflowError> {
        Err((self.0)())
    }
    async fn stop(&self, _: &ExecutionName) -> Result<(), WorkflowError> {
        Err((self.0)())
    }
}

/// Every execution has already succeeded.
#[derive(Default)]
struct FinishedWorkflow {
    polls: AtomicUsize,
}

#[async_trait]
impl Workflow for FinishedWorkflow {
    async fn start(&self, _: &ExecutionName, _: &Value) -> Result<(), WorkflowError> {
        Ok(())
    }
    async fn poll(&self, _: &ExecutionName) -> Result<Execution, WorkflowError> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        Ok(Execution {
            state: ExecutionState::Succeeded(json!({"message": "HELLO WORLD!", "createdAt": 1})),
            input: json!({}),
            started_at: SystemTime::now(),
        })
    }
    async fn stop(&self, _: &ExecutionName) -> Result<(), WorkflowError> {
        Ok(())
    }
}

struct BrokenCache;

#[async_trait]
impl ResultCache for BrokenCache {
    async fn get(&self, _: &ExecutionName) -> Result<Option<ExecutionState>, CacheError> {
        Err(CacheError::Unavailable("table missing".into()))
    }
    async fn put(&self, _: &ExecutionName, _: &ExecutionState) -> Result<(), CacheError> {
        Err(CacheError::Throttled)
    }
}

fn app(workflow: Arc<dyn Workflow>, cache: Option<Arc<dyn ResultCache>>) -> axum::Router {
    router(AppState::new(
        Backend { workflow, cache },
        &Config::default(),
    ))
}

async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
) -> (StatusCode, Option<String>, String) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|value| value.to_str().unwrap().to_owned());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        retry_after,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

fn some_job_path() -> String {
    format!(
        "/messages/{}",
        TokenCodec::unsigned().encode(&ExecutionName::random())
    )
}

#[tokio::test]
async fn an_upstream_failure_is_a_502_that_reveals_nothing_of_it() {
    let app = app(
        Arc::new(FailingWorkflow(|| {
            WorkflowError::Upstream(
                "arn:aws:states:us-east-1:123456789012:execution:m:x AccessDenied".into(),
            )
        })),
        None,
    );
    for (method, path) in [("POST", "/messages".to_owned()), ("GET", some_job_path())] {
        let (status, _, body) = call(&app, method, &path).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY);
        let problem: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(problem["status"], 502);
        assert!(!body.contains("arn:"), "{body}");
        assert!(!body.contains("123456789012"), "{body}");
        assert!(!body.contains("AccessDenied"), "{body}");
    }
}

#[tokio::test]
async fn throttling_is_a_429_with_retry_after() {
    let app = app(Arc::new(FailingWorkflow(|| WorkflowError::Throttled)), None);
    for (method, path) in [("POST", "/messages".to_owned()), ("GET", some_job_path())] {
        let (status, retry_after, body) = call(&app, method, &path).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(retry_after.as_deref(), Some("1"));
    }
}

#[tokio::test]
async fn a_broken_cache_degrades_to_a_workflow_read() {
    let workflow = Arc::new(FinishedWorkflow::default());
    let app = app(workflow.clone(), Some(Arc::new(BrokenCache)));
    let path = some_job_path();
    for expected_polls in 1..=2 {
        let (status, _, body) = call(&app, "GET", &path).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let job: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(job["output"]["message"], "HELLO WORLD!");
        assert_eq!(workflow.polls.load(Ordering::SeqCst), expected_polls);
    }
}

/// Its polls block until released, announcing each one as it starts.
struct BlockingWorkflow {
    entered: tokio::sync::mpsc::UnboundedSender<()>,
    release: Arc<tokio::sync::Notify>,
}

#[async_trait]
impl Workflow for BlockingWorkflow {
    async fn start(&self, _: &ExecutionName, _: &Value) -> Result<(), WorkflowError> {
        Ok(())
    }
    async fn poll(&self, name: &ExecutionName) -> Result<Execution, WorkflowError> {
        let _ = self.entered.send(());
        self.release.notified().await;
        FinishedWorkflow::default().poll(name).await
    }
    async fn stop(&self, _: &ExecutionName) -> Result<(), WorkflowError> {
        Ok(())
    }
}

fn limited_app(workflow: Arc<dyn Workflow>, limits: Limits) -> axum::Router {
    let config = Config {
        limits,
        ..Config::default()
    };
    router(AppState::new(
        Backend {
            workflow,
            cache: None,
        },
        &config,
    ))
}

#[tokio::test]
async fn past_the_concurrency_limit_requests_are_shed_with_a_503() {
    let (entered, mut entries) = tokio::sync::mpsc::unbounded_channel();
    let release = Arc::new(tokio::sync::Notify::new());
    let app = limited_app(
        Arc::new(BlockingWorkflow {
            entered,
            release: Arc::clone(&release),
        }),
        Limits {
            max_concurrent_requests: Some(1),
            ..Limits::default()
        },
    );
    let path = some_job_path();
    let first = tokio::spawn({
        let app = app.clone();
        let path = path.clone();
        async move { call(&app, "GET", &path).await }
    });
    entries.recv().await.unwrap();

    let (status, retry_after, body) = call(&app, "GET", &path).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(retry_after.as_deref(), Some("1"));
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["status"], 503);
    assert!(problem["instance"].is_string());

    release.notify_one();
    assert_eq!(first.await.unwrap().0, StatusCode::OK);
    // The permit is back: the next request is served. (A stored notification lets its poll pass.)
    release.notify_one();
    let (status, _, body) = call(&app, "GET", &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(start_paused = true)]
async fn a_request_that_runs_too_long_ends_with_a_503() {
    let (entered, _entries) = tokio::sync::mpsc::unbounded_channel();
    let app = limited_app(
        Arc::new(BlockingWorkflow {
            entered,
            release: Arc::new(tokio::sync::Notify::new()),
        }),
        Limits {
            request_timeout: Some(std::time::Duration::from_secs(30)),
            ..Limits::default()
        },
    );
    let (status, _, body) = call(&app, "GET", &some_job_path()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body.contains("urn:messages:problem:timeout"), "{body}");
}

async fn preflight(app: &axum::Router, origin: &str) -> axum::http::HeaderMap {
    let request = Request::builder()
        .method("OPTIONS")
        .uri("/messages")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type, idempotency-key",
        )
        .body(Body::empty())
        .unwrap();
    app.clone()
        .oneshot(request)
        .await
        .unwrap()
        .headers()
        .clone()
}

#[tokio::test]
async fn cors_lets_local_pages_in_and_shows_them_the_polling_headers() {
    let app = app(Arc::new(FinishedWorkflow::default()), None);
    let allowed = preflight(&app, "http://localhost:5173").await;
    assert_eq!(
        allowed.get("access-control-allow-origin").unwrap(),
        "http://localhost:5173"
    );
    let allowed_headers = allowed
        .get("access-control-allow-headers")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        allowed_headers.contains("idempotency-key"),
        "{allowed_headers}"
    );

    let request = Request::builder()
        .method("POST")
        .uri("/messages")
        .header("origin", "http://127.0.0.1:8000")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let exposed = response
        .headers()
        .get("access-control-expose-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("location") && exposed.contains("retry-after"),
        "{exposed}"
    );

    let refused = preflight(&app, "https://evil.example").await;
    assert!(refused.get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn cors_follows_the_configured_origins() {
    let config = Config {
        cors: CorsOrigins::List(vec!["https://app.example.com".into()]),
        ..Config::default()
    };
    let app = router(AppState::new(
        Backend {
            workflow: Arc::new(FinishedWorkflow::default()),
            cache: None,
        },
        &config,
    ));
    let allowed = preflight(&app, "https://app.example.com").await;
    assert_eq!(
        allowed.get("access-control-allow-origin").unwrap(),
        "https://app.example.com"
    );
    assert!(
        preflight(&app, "http://localhost:3000")
            .await
            .get("access-control-allow-origin")
            .is_none()
    );
}

/// The whole chain on the real adapter: Step Functions' ThrottlingException, after the SDK's
/// retries, reaches the client as a 429 with Retry-After.
#[tokio::test]
async fn step_functions_throttling_is_a_429_through_the_sfn_adapter() {
    use aws_sdk_sfn::config::retry::RetryConfig;
    use aws_sdk_sfn::error::ErrorMetadata;
    use aws_sdk_sfn::operation::describe_execution::DescribeExecutionError;
    use aws_sdk_sfn::operation::start_execution::StartExecutionError;
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use crate::workflow::sfn::{PollMode, SfnWorkflow};

    let throttled = || {
        ErrorMetadata::builder()
            .code("ThrottlingException")
            .message("Rate exceeded")
            .build()
    };
    let start = mock!(aws_sdk_sfn::Client::start_execution)
        .then_error(move || StartExecutionError::generic(throttled()));
    let describe = mock!(aws_sdk_sfn::Client::describe_execution)
        .then_error(move || DescribeExecutionError::generic(throttled()));
    let client = mock_client!(
        aws_sdk_sfn,
        RuleMode::MatchAny,
        [&start, &describe],
        |config| config.retry_config(RetryConfig::disabled())
    );
    let workflow = SfnWorkflow::new(
        client,
        "arn:aws:states:us-east-1:123456789012:stateMachine:messages".into(),
        PollMode::Describe,
    );
    let app = app(Arc::new(workflow), None);
    for (method, path) in [("POST", "/messages".to_owned()), ("GET", some_job_path())] {
        let (status, retry_after, body) = call(&app, method, &path).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{method}: {body}");
        assert_eq!(retry_after.as_deref(), Some("1"));
        assert!(body.contains("urn:messages:problem:throttled"), "{body}");
    }
}

#[tokio::test]
async fn oversized_headers_are_refused_with_a_431() {
    let app = limited_app(
        Arc::new(FinishedWorkflow::default()),
        Limits {
            max_header_bytes: Some(1024),
            ..Limits::default()
        },
    );
    let request = |padding: usize| {
        Request::builder()
            .uri(some_job_path())
            .header("x-padding", "p".repeat(padding))
            .body(Body::empty())
            .unwrap()
    };
    let refused = app.clone().oneshot(request(2000)).await.unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let served = app.oneshot(request(100)).await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
}
