//! Assembles the application and serves it until shutdown.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use shared::config::{Config, Limits};
use shared::routes::{self, AppState};
use tokio::net::TcpListener;
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};

use crate::backend::{self, BackendError};
use crate::cli::{Args, LogFormat};
use crate::pages;
use crate::shutdown;

/// As much as API Gateway accepts (10 KiB), with room to spare: no client of this API needs more.
const MAX_HEADER_BYTES: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Log lines go to stdout from a thread of their own: a request only formats its line and hands
/// it over, instead of waiting for the stdout lock and a write. Keep the guard until exit: dropping
/// it writes the lines still queued.
pub fn init_logging(format: LogFormat) -> WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::stdout().is_terminal();
    // Not lossy: under a burst a request waits for room in the queue rather than lose its line.
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stdout());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .with_writer(writer);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().with_current_span(true).init(),
    }
    guard
}

pub async fn run(args: Args) -> Result<(), ServeError> {
    let mut config = Config::from_env().map_err(BackendError::from)?;
    config.limits = Limits {
        max_concurrent_requests: usize::try_from(args.max_concurrency).ok(),
        request_timeout: Some(Duration::from_secs(args.request_timeout)),
        max_header_bytes: Some(MAX_HEADER_BYTES),
    };
    let backend = backend::connect(args.backend, args.data_dir.as_deref(), &config).await?;
    let app = app(AppState::new(backend, &config));
    let address = SocketAddr::new(args.host, args.port);
    let listener = TcpListener::bind(address)
        .await
        .map_err(|source| ServeError::Bind { address, source })?;
    let local = listener.local_addr()?;
    tracing::info!(backend = ?args.backend, "serving the messages API on http://{local}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown::signal())
        .await?;
    Ok(())
}

fn app(state: AppState) -> Router {
    routes::router_with(state, pages::router())
}
