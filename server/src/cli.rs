//! Every setting of the server, declared once: a flag each, with the environment variable it
//! falls back to. The README's configuration table is checked against this.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use shared::config::{Config, ConfigError, DEFAULT_CACHE_TTL, Limits, RawConfig};
use shared::workflow::sfn::PollMode;

#[cfg(test)]
mod readme_table;

/// As much as API Gateway accepts (10 KiB), with room to spare: no client of this API needs more.
const MAX_HEADER_BYTES: usize = 16 * 1024;

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

    /// Which log lines to write, in tracing-subscriber's EnvFilter syntax (`info` when invalid).
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    pub log_filter: String,

    // The settings below are the Lambdas' too: they are kept as text and checked by
    // shared::config, so a bad value reads the same in the server and in a Lambda.
    /// The state machine to start and read (required by --backend aws).
    #[arg(long, env = "STATE_MACHINE_ARN")]
    pub state_machine_arn: Option<String>,

    /// How a poll reads an execution: describe (DescribeExecution) or history (GetExecutionHistory).
    #[arg(long, env = "POLL_MODE", default_value_t = PollMode::default().to_string())]
    pub poll_mode: String,

    /// DynamoDB table for finished results (--backend aws); no cache when unset or empty.
    #[arg(long, env = "CACHE_TABLE")]
    pub cache_table: Option<String>,

    /// How long a finished result stays cached, in seconds.
    #[arg(long, env = "CACHE_TTL_SECONDS", default_value_t = DEFAULT_CACHE_TTL.as_secs().to_string())]
    pub cache_ttl_seconds: String,

    /// Signs job ids with HMAC-SHA256 (16 bytes or more); unset, ids are unsigned. Prefer the
    /// environment: a flag's value shows in the process list.
    #[arg(long, env = "TOKEN_SECRET", hide_env_values = true)]
    pub token_secret: Option<String>,

    /// The secret before a rotation; ids it signed still work.
    #[arg(long, env = "TOKEN_SECRET_PREVIOUS", hide_env_values = true)]
    pub token_secret_previous: Option<String>,

    /// Other origins whose browser pages may call the API: a comma-separated list, or `*`
    /// (default: pages on localhost and 127.0.0.1, any port).
    #[arg(long, env = "CORS_ALLOWED_ORIGINS")]
    pub cors_allowed_origins: Option<String>,
}

impl Args {
    /// The same configuration a Lambda builds from its environment, plus the server's limits.
    pub fn config(&self) -> Result<Config, ConfigError> {
        let mut config = Config::from_raw(self.raw_config())?;
        config.limits = Limits {
            max_concurrent_requests: usize::try_from(self.max_concurrency).ok(),
            request_timeout: Some(Duration::from_secs(self.request_timeout)),
            max_header_bytes: Some(MAX_HEADER_BYTES),
        };
        Ok(config)
    }

    fn raw_config(&self) -> RawConfig {
        RawConfig {
            state_machine_arn: self.state_machine_arn.clone(),
            poll_mode: Some(self.poll_mode.clone()),
            cache_table: self.cache_table.clone(),
            cache_ttl_seconds: Some(self.cache_ttl_seconds.clone()),
            token_secret: self.token_secret.clone(),
            token_secret_previous: self.token_secret_previous.clone(),
            cors_allowed_origins: self.cors_allowed_origins.clone(),
        }
    }
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

    /// Each shared setting falls back to the variable a Lambda reads it from.
    #[test]
    fn shared_settings_fall_back_to_the_lambdas_variables() {
        let mut command = Args::command();
        command.build();
        let env_name = |id: &str| {
            command
                .get_arguments()
                .find(|arg| arg.get_id() == id)
                .and_then(|arg| arg.get_env())
                .and_then(|name| name.to_str())
                .map(str::to_owned)
        };
        let lambda = RawConfig::from_lookup(|name| Some(name.to_owned()));
        let server = RawConfig {
            state_machine_arn: env_name("state_machine_arn"),
            poll_mode: env_name("poll_mode"),
            cache_table: env_name("cache_table"),
            cache_ttl_seconds: env_name("cache_ttl_seconds"),
            token_secret: env_name("token_secret"),
            token_secret_previous: env_name("token_secret_previous"),
            cors_allowed_origins: env_name("cors_allowed_origins"),
        };
        assert_eq!(server, lambda);
    }

    #[test]
    fn builds_the_configuration_a_lambda_would() {
        let args = Args::try_parse_from([
            "server",
            "--state-machine-arn",
            "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "--poll-mode",
            "history",
            "--cache-table",
            "results",
            "--cache-ttl-seconds",
            "60",
            "--max-concurrency",
            "8",
        ])
        .unwrap();
        let config = args.config().unwrap();
        let arn = config.require_state_machine_arn().unwrap();
        assert_eq!(arn, "arn:aws:states:us-east-1:123456789012:stateMachine:m");
        let cache = (config.cache_table.as_deref(), config.cache_ttl);
        assert_eq!(cache, (Some("results"), Duration::from_secs(60)));
        assert_eq!(config.poll_mode, PollMode::History);
        assert_eq!(config.limits.max_concurrent_requests, Some(8));
        assert_eq!(config.limits.max_header_bytes, Some(MAX_HEADER_BYTES));
    }

    #[test]
    fn defaults_are_the_lambdas_defaults() {
        let server = Args::try_parse_from(["server"]).unwrap().config().unwrap();
        let lambda = Config::from_raw(RawConfig::default()).unwrap();
        assert_eq!(server.poll_mode, lambda.poll_mode);
        assert_eq!(server.cache_ttl, lambda.cache_ttl);
        assert_eq!(server.cors, lambda.cors);
    }

    #[test]
    fn a_bad_shared_setting_reads_as_in_a_lambda() {
        let args = Args::try_parse_from(["server", "--cache-ttl-seconds", "0"]).unwrap();
        assert_eq!(
            args.config().unwrap_err().to_string(),
            "CACHE_TTL_SECONDS is invalid: expected a positive number of seconds, got \"0\""
        );
    }
}
