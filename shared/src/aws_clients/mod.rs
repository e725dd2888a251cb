//! The job service on AWS: one SDK configuration, loaded once in `main` without network I/O, and
//! every client built from it once. Two loaders: [`from_environment`] for the Lambdas, whose
//! role's credentials are environment variables, and (feature `aws-config`) the SDK's full
//! credential chain for the server on a developer's machine.

#[cfg(feature = "aws-config")]
mod credential_chain;
mod environment;

use std::sync::Arc;
use std::time::Duration;

use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::SdkConfig;

use crate::app_state::Backend;
use crate::cache::ResultCache;
use crate::cache::dynamodb::DynamoDbCache;
use crate::config::{Config, ConfigError};
use crate::workflow::sfn::SfnWorkflow;

#[cfg(feature = "aws-config")]
pub use credential_chain::from_credential_chain;
pub use environment::{from_environment, from_lookup};

/// A request waits on these calls: retry throttling briefly, then let the client retry, guided
/// by the 429's Retry-After, rather than hold an API Gateway connection open.
const MAX_ATTEMPTS: u32 = 3;
const MAX_BACKOFF: Duration = Duration::from_secs(1);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);

/// HTTPS (and plain HTTP, for local endpoints) through rustls over ring: the SDK's default
/// client uses aws-lc, a C library that would double a Lambda bootstrap's size.
pub fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_max_backoff(MAX_BACKOFF)
}

fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
        .operation_timeout(OPERATION_TIMEOUT)
        .build()
}

/// Step Functions, with the DynamoDB cache when `CACHE_TABLE` is set.
pub fn backend(config: &Config, sdk: &SdkConfig) -> Result<Backend, ConfigError> {
    let state_machine_arn = config.require_state_machine_arn()?.to_owned();
    let workflow = SfnWorkflow::new(
        aws_sdk_sfn::Client::new(sdk),
        state_machine_arn,
        config.poll_mode,
    );
    let cache = config.cache_table.clone().map(|table| {
        Arc::new(DynamoDbCache::new(
            aws_sdk_dynamodb::Client::new(sdk),
            table,
            config.cache_ttl,
        )) as Arc<dyn ResultCache>
    });
    Ok(Backend {
        workflow: Arc::new(workflow),
        cache,
    })
}
