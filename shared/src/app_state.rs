//! Everything a request handler needs, assembled once per process from the backend's clients.

use std::sync::Arc;

use crate::cache::ResultCache;
use crate::config::{Config, CorsOrigins, Limits};
use crate::jobs::Jobs;
use crate::metrics::{MeteredCache, MeteredWorkflow, Metrics};
use crate::workflow::Workflow;

/// Where jobs run and where finished results are kept.
pub struct Backend {
    pub workflow: Arc<dyn Workflow>,
    pub cache: Option<Arc<dyn ResultCache>>,
}

#[derive(Clone)]
pub struct AppState {
    pub(crate) jobs: Arc<Jobs>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) cors: CorsOrigins,
    pub(crate) limits: Limits,
}

impl AppState {
    /// Every workflow and cache call goes through the metrics, whichever backend it is.
    pub fn new(backend: Backend, config: &Config) -> Self {
        let metrics = Arc::new(Metrics::new());
        let workflow: Arc<dyn Workflow> =
            Arc::new(MeteredWorkflow::new(backend.workflow, Arc::clone(&metrics)));
        let cache = backend.cache.map(|cache| {
            Arc::new(MeteredCache::new(cache, Arc::clone(&metrics))) as Arc<dyn ResultCache>
        });
        Self {
            jobs: Arc::new(Jobs::new(workflow, cache, config.tokens.clone())),
            metrics,
            cors: config.cors.clone(),
            limits: config.limits,
        }
    }

    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }
}
