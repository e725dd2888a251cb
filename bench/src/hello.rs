//! The baseline for the API figures: a bare axum "hello" route, served the way the server is
//! served (a multi-threaded Tokio runtime, axum::serve, HTTP/1), in its own process.

use axum::Router;
use axum::routing::get;

use crate::error::BenchError;
use crate::process::loopback;

pub fn serve(port: u16) -> Result<(), BenchError> {
    let runtime = tokio::runtime::Runtime::new().map_err(BenchError::io("build a runtime"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(loopback(port))
            .await
            .map_err(BenchError::io(format!("listen on 127.0.0.1:{port}")))?;
        let app = Router::new().route("/", get(|| async { "hello" }));
        axum::serve(listener, app)
            .await
            .map_err(BenchError::io("serve the hello route"))
    })
}
