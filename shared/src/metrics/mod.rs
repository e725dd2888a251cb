//! What the service counts, for `/metrics` (Prometheus text format): requests by route and
//! status, every workflow and cache call with its latency, and cache hits and misses.
//!
//! The backends are wrapped ([`MeteredWorkflow`], [`MeteredCache`]) rather than instrumented
//! inside, so every adapter is measured the same way.

mod exposition;
mod metered;
mod recorder;

pub use metered::{MeteredCache, MeteredWorkflow};
pub use recorder::{CacheLookup, Metrics};
