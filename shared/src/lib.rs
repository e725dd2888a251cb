//! The messages job API: its domain, its ports (workflow, result cache), their adapters,
//! and the HTTP routes that every assembly (server, Lambdas) mounts.

pub mod cache;
pub mod greeting;
pub mod workflow;
