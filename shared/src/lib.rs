//! The messages job API: its domain, its ports (workflow, result cache), their adapters,
//! and the HTTP routes that every assembly (server, Lambdas) mounts.

pub mod api;
pub mod app_state;
pub mod aws_clients;
mod aws_failure;
pub mod cache;
pub mod config;
pub mod greeting;
pub mod jobs;
pub mod lambda;
pub mod metrics;
pub mod routes;
pub mod token;
pub mod workflow;
