//! Why a benchmark could not produce its figures. Each benchmark fails on its own: the report
//! says which one and why, and the others still run.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error(
        "{0} is missing: run scripts/bench, which builds and installs what the benchmarks need"
    )]
    MissingTool(PathBuf),
    #[error("{what} did not become ready within {seconds} s (log: {log})")]
    NotReady {
        what: String,
        seconds: u64,
        log: String,
    },
    #[error("{0} exited before it could be measured")]
    Exited(String),
    #[error("unexpected HTTP answer from {what}: {detail}")]
    Http { what: String, detail: String },
    #[error("AWS SDK call {call} failed: {detail}")]
    Sdk { call: &'static str, detail: String },
    #[error("the embedded engine failed: {0}")]
    Engine(String),
    #[error("wrk failed: {0}")]
    Wrk(String),
    #[error("no sample was taken: {0}")]
    NoSamples(String),
    #[error("the chart could not be drawn: {0}")]
    Chart(String),
}

impl BenchError {
    pub fn io(what: impl Into<String>) -> impl FnOnce(io::Error) -> Self {
        let what = what.into();
        move |source| Self::Io { what, source }
    }
}
