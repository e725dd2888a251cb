//! Helpers shared by the workspace-level test suites.

pub mod moto;
pub mod server;
pub mod template_resources;
