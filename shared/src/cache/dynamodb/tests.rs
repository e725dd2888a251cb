//! The adapter against mocked SDK responses: requests it sends and how it reads answers.

use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::error::ErrorMetadata;
use aws_sdk_dynamodb::operation::get_item::{GetItemError, GetItemOutput};
use aws_sdk_dynamodb::operation::put_item::{PutItemError, PutItemInput, PutItemOutput};
use aws_sdk_dynamodb::types::error::{
    ConditionalCheckFailedException, ProvisionedThroughputExceededException,
    ResourceNotFoundException,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use serde_json::json;

use super::*;
use crate::workflow::EndStatus;

const TABLE: &str = "messages-results";
const TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

fn cache(rules: &[&Rule]) -> DynamoDbCache {
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::Sequential, rules, |config| {
        config.retry_config(RetryConfig::disabled())
    });
    DynamoDbCache::new(client, TABLE.to_owned(), TTL)
}

fn job() -> ExecutionName {
    ExecutionName::parse("job-1").unwrap()
}

fn succeeded() -> ExecutionState {
    ExecutionState::Succeeded(
        json!({"message": "HELLO WORLD!", "createdAt": 1_554_380_384_990_u64}),
    )
}

fn text(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn stored_item(expires_at: u64) -> GetItemOutput {
    GetItemOutput::builder()
        .item("pk", text("job-1"))
        .item("status", text("FAILED"))
        .item("error", text("InvalidAudience"))
        .item("cause", text("audience is blank"))
        .item("expiresAt", AttributeValue::N(expires_at.to_string()))
        .build()
}

#[tokio::test]
async fn get_reads_the_item_of_the_execution_name() {
    let expires_at = epoch_seconds(SystemTime::now()) + 3600;
    let rule = mock!(Client::get_item)
        .match_requests(|request| {
            request.table_name() == Some(TABLE)
                && request
                    .key()
                    .is_some_and(|key| key.len() == 1 && key.get("pk") == Some(&text("job-1")))
        })
        .then_output(move || stored_item(expires_at));

    let state = cache(&[&rule]).get(&job()).await.unwrap();

    assert_eq!(
        state,
        Some(ExecutionState::ended(
            EndStatus::Failed,
            "InvalidAudience",
            "audience is blank"
        ))
    );
}

#[tokio::test]
async fn get_of_an_absent_or_expired_item_is_none() {
    let absent = mock!(Client::get_item).then_output(|| GetItemOutput::builder().build());
    let expired = mock!(Client::get_item).then_output(|| stored_item(1_000));
    let cache = cache(&[&absent, &expired]);

    assert_eq!(cache.get(&job()).await.unwrap(), None);
    assert_eq!(cache.get(&job()).await.unwrap(), None);
    assert_eq!(expired.num_calls(), 1);
}

#[tokio::test]
async fn get_of_a_malformed_item_is_unavailable() {
    let rule = mock!(Client::get_item).then_output(|| {
        GetItemOutput::builder()
            .item("pk", text("job-1"))
            .item("expiresAt", AttributeValue::N("99999999999".to_owned()))
            .build()
    });

    let result = cache(&[&rule]).get(&job()).await;

    assert!(
        matches!(result, Err(CacheError::Unavailable(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn put_writes_the_state_once_with_its_expiry() {
    let sent: Arc<Mutex<Option<PutItemInput>>> = Arc::default();
    let recorder = Arc::clone(&sent);
    let rule = mock!(Client::put_item)
        .match_requests(move |request| {
            *recorder.lock().unwrap() = Some(request.clone());
            true
        })
        .then_output(|| PutItemOutput::builder().build());
    let before = epoch_seconds(SystemTime::now());

    cache(&[&rule]).put(&job(), &succeeded()).await.unwrap();

    let after = epoch_seconds(SystemTime::now());
    let request = sent.lock().unwrap().take().expect("a PutItem request");
    assert_eq!(request.table_name(), Some(TABLE));
    assert_eq!(
        request.condition_expression(),
        Some("attribute_not_exists(pk)")
    );
    let item = request.item().expect("an item");
    assert_eq!(item["pk"], text("job-1"));
    assert_eq!(item["status"], text("SUCCEEDED"));
    let output: serde_json::Value = serde_json::from_str(item["output"].as_s().unwrap()).unwrap();
    assert_eq!(ExecutionState::Succeeded(output), succeeded());
    let expires_at: u64 = item["expiresAt"].as_n().unwrap().parse().unwrap();
    assert!(
        (before + TTL.as_secs()..=after + TTL.as_secs()).contains(&expires_at),
        "{expires_at} is not now + TTL"
    );
}

#[tokio::test]
async fn put_of_an_already_cached_execution_keeps_the_first_and_succeeds() {
    let rule = mock!(Client::put_item).then_error(|| {
        PutItemError::ConditionalCheckFailedException(
            ConditionalCheckFailedException::builder()
                .message("The conditional request failed")
                .build(),
        )
    });

    let result = cache(&[&rule]).put(&job(), &succeeded()).await;

    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn put_of_a_running_state_writes_nothing() {
    let rule = mock!(Client::put_item).then_output(|| PutItemOutput::builder().build());

    let result = cache(&[&rule]).put(&job(), &ExecutionState::Running).await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(rule.num_calls(), 0);
}

#[tokio::test]
async fn throttling_is_throttled_whether_modeled_or_not() {
    let modeled = mock!(Client::get_item).then_error(|| {
        GetItemError::ProvisionedThroughputExceededException(
            ProvisionedThroughputExceededException::builder().build(),
        )
    });
    let generic = mock!(Client::put_item).then_error(|| {
        PutItemError::generic(
            ErrorMetadata::builder()
                .code("ThrottlingException")
                .message("Rate exceeded")
                .build(),
        )
    });

    let get = cache(&[&modeled]).get(&job()).await;
    let put = cache(&[&generic]).put(&job(), &succeeded()).await;

    assert!(matches!(get, Err(CacheError::Throttled)), "{get:?}");
    assert!(matches!(put, Err(CacheError::Throttled)), "{put:?}");
}

#[tokio::test]
async fn a_bare_429_without_an_error_code_is_throttled() {
    let rule = mock!(Client::get_item)
        .sequence()
        .http_status(429, None)
        .build();

    let result = cache(&[&rule]).get(&job()).await;

    assert!(matches!(result, Err(CacheError::Throttled)), "{result:?}");
}

#[tokio::test]
async fn a_missing_table_is_unavailable_with_the_error_code() {
    let rule = mock!(Client::get_item).then_error(|| {
        GetItemError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .message("Requested resource not found")
                .meta(
                    ErrorMetadata::builder()
                        .code("ResourceNotFoundException")
                        .build(),
                )
                .build(),
        )
    });

    let result = cache(&[&rule]).get(&job()).await;

    match result {
        Err(CacheError::Unavailable(message)) => {
            assert!(message.contains("GetItem"), "{message}");
            assert!(message.contains("ResourceNotFoundException"), "{message}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}
