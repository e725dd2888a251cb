//! The chosen backend, with every client built once.

use std::sync::Arc;

use shared::cache::memory::{DEFAULT_CAPACITY, MemoryCache};
use shared::config::{Config, ConfigError};
use shared::routes::Backend;
use shared::workflow::embedded::{EmbeddedError, EmbeddedWorkflow, RealClock};

use crate::cli::BackendKind;

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
}

pub async fn connect(kind: BackendKind, config: &Config) -> Result<Backend, BackendError> {
    match kind {
        BackendKind::Embedded => Ok(Backend {
            workflow: Arc::new(EmbeddedWorkflow::messages(Arc::new(RealClock))?),
            cache: Some(Arc::new(MemoryCache::new(
                config.cache_ttl,
                DEFAULT_CAPACITY,
            ))),
        }),
        BackendKind::Aws => Ok(shared::aws_clients::backend(config).await?),
    }
}
