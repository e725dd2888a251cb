//! The DynamoDB adapter of the [`ResultCache`] port.
//!
//! Table schema (template.yaml creates it):
//!
//! | attribute   | type | meaning                                                          |
//! |-------------|------|------------------------------------------------------------------|
//! | `pk`        | S    | partition (hash) key: the execution name; no sort key            |
//! | `status`    | S    | `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`                   |
//! | `output`    | S    | SUCCEEDED only: the execution output as JSON text                |
//! | `error`     | S    | the other statuses: the error name (may be empty)                |
//! | `cause`     | S    | the other statuses: the cause (may be empty)                     |
//! | `expiresAt` | N    | epoch seconds; the table's TTL attribute                         |
//!
//! Only `pk` is declared (`AttributeDefinitions`, `KeySchema` HASH); turn on Time To Live on
//! `expiresAt`. Billing mode is the deployer's choice (on-demand suits a cache). The adapter
//! needs `dynamodb:GetItem` and `dynamodb:PutItem` on the table, nothing else.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::get_item::GetItemError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{CacheError, ResultCache};
use crate::aws_failure::{AwsFailure, classify};
use crate::workflow::{ExecutionName, ExecutionState};

mod item;
#[cfg(test)]
mod tests;

/// Codes with which DynamoDB (or a gateway in front of it) says "slow down".
const THROTTLING_CODES: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
];

pub struct DynamoDbCache {
    client: Client,
    table: String,
    ttl: Duration,
}

impl DynamoDbCache {
    pub fn new(client: Client, table: String, ttl: Duration) -> Self {
        Self { client, table, ttl }
    }
}

#[async_trait]
impl ResultCache for DynamoDbCache {
    async fn get(&self, name: &ExecutionName) -> Result<Option<ExecutionState>, CacheError> {
        let answer = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(item::KEY, AttributeValue::S(name.as_str().to_owned()))
            .send()
            .await
            .map_err(|err| match err.as_service_error() {
                Some(
                    GetItemError::ProvisionedThroughputExceededException(_)
                    | GetItemError::RequestLimitExceeded(_)
                    | GetItemError::ThrottlingException(_),
                ) => CacheError::Throttled,
                _ => cache_failure("GetItem", err),
            })?;
        match answer.item() {
            None => Ok(None),
            Some(attributes) => item::decode(attributes, epoch_seconds(SystemTime::now()))
                .map_err(|err| CacheError::Unavailable(format!("cache item {name}: {err}"))),
        }
    }

    async fn put(&self, name: &ExecutionName, state: &ExecutionState) -> Result<(), CacheError> {
        let expires_at = epoch_seconds(SystemTime::now() + self.ttl);
        // A running state is not a result; with first-write-wins it would hide the real one.
        let Some(attributes) = item::encode(name, state, expires_at) else {
            return Ok(());
        };
        let written = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(attributes))
            .condition_expression(format!("attribute_not_exists({})", item::KEY))
            .send()
            .await;
        match written {
            Ok(_) => Ok(()),
            Err(err) => match err.as_service_error() {
                // Someone recorded this execution's result first: a final state never changes,
                // so theirs is the same result.
                Some(PutItemError::ConditionalCheckFailedException(_)) => Ok(()),
                Some(
                    PutItemError::ProvisionedThroughputExceededException(_)
                    | PutItemError::RequestLimitExceeded(_)
                    | PutItemError::ThrottlingException(_),
                ) => Err(CacheError::Throttled),
                _ => Err(cache_failure("PutItem", err)),
            },
        }
    }
}

fn cache_failure<E>(operation: &str, err: SdkError<E>) -> CacheError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match classify(operation, err, THROTTLING_CODES) {
        AwsFailure::Throttled => CacheError::Throttled,
        AwsFailure::Other(detail) => CacheError::Unavailable(detail),
    }
}

/// A clock before 1970 is not worth an error: such an item simply reads as expired.
fn epoch_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or_default()
}
