//! The job service on AWS: the SDK configuration is loaded once (region, credentials and
//! `AWS_ENDPOINT_URL` from the environment), and every client is built from it once, in `main`.

use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};

use crate::app_state::Backend;
use crate::cache::ResultCache;
use crate::cache::dynamodb::DynamoDbCache;
use crate::config::{Config, ConfigError};
use crate::workflow::sfn::SfnWorkflow;

/// A request waits on these calls: retry throttling briefly, then let the client retry, guided
/// by the 429's Retry-After, rather than hold an API Gateway connection open.
const MAX_ATTEMPTS: u32 = 3;
const MAX_BACKOFF: Duration = Duration::from_secs(1);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);

async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_max_backoff(MAX_BACKOFF),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        .load()
        .await
}

/// Step Functions, with the DynamoDB cache when `CACHE_TABLE` is set.
pub async fn backend(config: &Config) -> Result<Backend, ConfigError> {
    let state_machine_arn = config.require_state_machine_arn()?.to_owned();
    let sdk = sdk_config().await;
    let workflow = SfnWorkflow::new(
        aws_sdk_sfn::Client::new(&sdk),
        state_machine_arn,
        config.poll_mode,
    );
    let cache = config.cache_table.clone().map(|table| {
        Arc::new(DynamoDbCache::new(
            aws_sdk_dynamodb::Client::new(&sdk),
            table,
            config.cache_ttl,
        )) as Arc<dyn ResultCache>
    });
    Ok(Backend {
        workflow: Arc::new(workflow),
        cache,
    })
}
