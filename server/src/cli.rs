//! The command line: where to listen and which backend to run the jobs on.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "The messages job API with its browser page and OpenAPI document",
    long_about = "The messages job API with its browser page and OpenAPI document.\n\n\
        By default jobs run on the embedded States Language engine with an in-memory result \
        cache. With --backend aws they run on AWS Step Functions (STATE_MACHINE_ARN; \
        AWS_ENDPOINT_URL is honoured, e.g. for moto) and finished results are cached in \
        DynamoDB when CACHE_TABLE is set. TOKEN_SECRET signs job ids."
)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Port to listen on (0 picks a free one; the log says which).
    #[arg(long, env = "PORT", default_value_t = 3000)]
    pub port: u16,

    /// Where jobs run.
    #[arg(long, env = "BACKEND", value_enum, default_value_t = BackendKind::Embedded)]
    pub backend: BackendKind,

    /// Keep jobs in this directory so they survive a restart (embedded backend only);
    /// without it, jobs live in memory and a restart forgets them.
    #[arg(long, env = "DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Requests in flight beyond this are refused at once with 503 and Retry-After.
    #[arg(long, env = "MAX_CONCURRENT_REQUESTS", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrency: u32,

    /// Seconds before a request is ended with a 503; above the longest long-poll (20 s).
    #[arg(long, env = "REQUEST_TIMEOUT_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(21..=3600))]
    pub request_timeout: u64,

    /// Log line format.
    #[arg(long, env = "LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackendKind {
    /// The embedded engine running statemachine/messages.asl.json in-process.
    Embedded,
    /// AWS Step Functions (and DynamoDB when CACHE_TABLE is set).
    Aws,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn reads_host_port_and_backend() {
        let args = Args::try_parse_from([
            "server",
            "--host",
            "0.0.0.0",
            "--port",
            "8080",
            "--backend",
            "aws",
        ])
        .unwrap();
        assert_eq!(args.host.to_string(), "0.0.0.0");
        assert_eq!(args.port, 8080);
        assert_eq!(args.backend, BackendKind::Aws);
    }

    #[test]
    fn limits_default_to_a_bounded_server() {
        let args = Args::try_parse_from(["server"]).unwrap();
        assert_eq!(args.max_concurrency, 512);
        assert_eq!(args.request_timeout, 30);
        assert!(Args::try_parse_from(["server", "--request-timeout", "5"]).is_err());
        assert!(Args::try_parse_from(["server", "--max-concurrency", "0"]).is_err());
    }

    #[test]
    fn rejects_a_port_out_of_range() {
        assert!(Args::try_parse_from(["server", "--port", "70000"]).is_err());
    }
}
