//! A small stand-in for the Lambda runtime API: it notes when a function first asks for an
//! invocation (GET /2018-06-01/runtime/invocation/next) or reports an init error, and never
//! hands out an event, so the function under test stays in init until it is stopped.

use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use tokio::runtime::Runtime;

use crate::error::BenchError;
use crate::process::{free_port, loopback};

/// How long a /next request is held before it is answered with nothing to do.
const HOLD: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrival {
    Next(Instant),
    InitError(String),
}

/// Starts the stub on a free loopback port of `runtime`; returns its `host:port`.
pub fn start(runtime: &Runtime, arrivals: Sender<Arrival>) -> Result<String, BenchError> {
    let port = free_port()?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(loopback(port)))
        .map_err(BenchError::io(format!("listen on 127.0.0.1:{port}")))?;
    let app = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/init/error", post(init_error))
        .with_state(arrivals);
    runtime.spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            eprintln!("[bench] the runtime API stub stopped: {error}");
        }
    });
    Ok(format!("127.0.0.1:{port}"))
}

async fn next(State(arrivals): State<Sender<Arrival>>) -> StatusCode {
    let _ = arrivals.send(Arrival::Next(Instant::now()));
    tokio::time::sleep(HOLD).await;
    StatusCode::NO_CONTENT
}

async fn init_error(State(arrivals): State<Sender<Arrival>>, body: String) -> StatusCode {
    let _ = arrivals.send(Arrival::InitError(body));
    StatusCode::ACCEPTED
}
