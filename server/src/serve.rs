//! Assembles the application and serves it until shutdown.

use std::io::IsTerminal;
use std::net::SocketAddr;

use axum::Router;
use shared::routes::{self, AppState};
use tokio::net::TcpListener;
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};

use crate::backend::{self, BackendError};
use crate::cli::{Args, LogFormat};
use crate::pages;
use crate::shutdown;

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
pub fn init_logging(format: LogFormat, filter: &str) -> WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
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
    let config = args.config().map_err(BackendError::from)?;
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
