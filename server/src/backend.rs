//! The chosen backend, with every client built once.

use std::path::Path;
use std::sync::Arc;

use shared::aws_clients;
use shared::cache::memory::{DEFAULT_CAPACITY, MemoryCache};
use shared::config::{Config, ConfigError};
use shared::routes::Backend;
use shared::workflow::Workflow;
use shared::workflow::embedded::{EmbeddedError, EmbeddedWorkflow, RealClock};

use crate::cli::BackendKind;
use crate::journal::{JournalError, JournaledWorkflow};

#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Embedded(#[from] EmbeddedError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("--data-dir keeps the embedded backend's jobs; with --backend aws they live in AWS")]
    DataDirWithAws,
}

pub async fn connect(
    kind: BackendKind,
    data_dir: Option<&Path>,
    config: &Config,
) -> Result<Backend, BackendError> {
    match (kind, data_dir) {
        (BackendKind::Embedded, data_dir) => {
            let engine = EmbeddedWorkflow::messages(Arc::new(RealClock))?;
            let workflow: Arc<dyn Workflow> = match data_dir {
                Some(dir) => {
                    Arc::new(JournaledWorkflow::open(dir, engine, config.cache_ttl).await?)
                }
                None => Arc::new(engine),
            };
            Ok(Backend {
                workflow,
                cache: Some(Arc::new(MemoryCache::new(
                    config.cache_ttl,
                    DEFAULT_CAPACITY,
                ))),
            })
        }
        (BackendKind::Aws, Some(_)) => Err(BackendError::DataDirWithAws),
        (BackendKind::Aws, None) => {
            let sdk = aws_clients::from_credential_chain().await;
            Ok(aws_clients::backend(config, &sdk)?)
        }
    }
}
