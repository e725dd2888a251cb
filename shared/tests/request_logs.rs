//! Every log line a request causes carries its request id, and an upstream failure is logged
//! once. Alone in its own test binary, so that its global subscriber sees every line (a
//! thread-scoped one races with other tests over tracing's callsite cache).

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use shared::config::Config;
use shared::routes::{AppState, Backend, router};
use shared::token::TokenCodec;
use shared::workflow::{Execution, ExecutionName, Workflow, WorkflowError};
use tower::ServiceExt;

struct BrokenWorkflow;

#[async_trait]
impl Workflow for BrokenWorkflow {
    async fn start(&self, _: &ExecutionName, _: &Value) -> Result<(), WorkflowError> {
        Err(WorkflowError::Upstream("connection reset".into()))
    }
    async fn poll(&self, _: &ExecutionName) -> Result<Execution, WorkflowError> {
        Err(WorkflowError::Upstream("connection reset".into()))
    }
    async fn stop(&self, _: &ExecutionName) -> Result<(), WorkflowError> {
        Err(WorkflowError::Upstream("connection reset".into()))
    }
}

#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_log_line_of_a_request_carries_its_request_id() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_writer(move || writer.clone())
        .init();

    let app = router(AppState::new(
        Backend {
            workflow: Arc::new(BrokenWorkflow),
            cache: None,
        },
        &Config::default(),
    ));
    let id = TokenCodec::unsigned().encode(&ExecutionName::random());
    let request = Request::builder()
        .uri(format!("/messages/{id}"))
        .body(Body::empty())
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<Value> = logs
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(lines.len() >= 2, "{logs}");
    for line in &lines {
        assert_eq!(line["span"]["request_id"], request_id.as_str(), "{line}");
    }
    assert!(
        lines.iter().any(|line| line["fields"]["error"]
            .as_str()
            .unwrap_or_default()
            .contains("connection reset")),
        "the cause is logged: {logs}"
    );
    let failure_lines = lines
        .iter()
        .filter(|line| line.to_string().contains("connection reset"))
        .count();
    assert_eq!(failure_lines, 1, "the cause is logged once: {logs}");
}
