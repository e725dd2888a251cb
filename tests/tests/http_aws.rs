//! The HTTP API over the AWS adapters, against a moto server of the test's own: the same routes
//! as the Lambdas serve, over Step Functions and the DynamoDB cache, including an outage.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_sdk_sfn::config::timeout::TimeoutConfig;
use axum::http::StatusCode;
use integration::moto::{MotoServer, ROLE_ARN};
use integration::server::TestApi;
use integration::template_resources::{create_results_table, messages_definition};
use serde_json::Value;
use shared::cache::dynamodb::DynamoDbCache;
use shared::config::Config;
use shared::greeting::build_message;
use shared::routes::Backend;
use shared::workflow::sfn::{PollMode, SfnWorkflow};

/// For the outage: long for a healthy moto, short enough that a hung one fails a request in
/// seconds. The other sections keep the helper's generous defaults.
const OUTAGE_CALL_TIMEOUT: Duration = Duration::from_secs(8);

fn outage_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(OUTAGE_CALL_TIMEOUT)
        .operation_timeout(OUTAGE_CALL_TIMEOUT)
        .build()
}

async fn messages_machine(client: &aws_sdk_sfn::Client, name: &str) -> String {
    client
        .create_state_machine()
        .name(format!("messages-{name}"))
        .definition(messages_definition())
        .role_arn(ROLE_ARN)
        .send()
        .await
        .expect("create the messages state machine")
        .state_machine_arn()
        .to_owned()
}

async fn api_on(moto: &MotoServer, table: &str, timeouts: Option<TimeoutConfig>) -> TestApi {
    let mut sfn = moto.sfn_config();
    let mut dynamodb = moto.dynamodb_config();
    if let Some(timeouts) = timeouts {
        sfn = sfn.timeout_config(timeouts.clone());
        dynamodb = dynamodb.timeout_config(timeouts);
    }
    let sfn = aws_sdk_sfn::Client::from_conf(sfn.build());
    let dynamodb = aws_sdk_dynamodb::Client::from_conf(dynamodb.build());
    // Set-up goes through the default client: moto's first answers can be slow.
    let machine = messages_machine(&moto.sfn_client(), table).await;
    let backend = Backend {
        workflow: Arc::new(SfnWorkflow::new(sfn, machine, PollMode::Describe)),
        cache: Some(Arc::new(DynamoDbCache::new(
            dynamodb,
            table.to_owned(),
            Duration::from_secs(3600),
        ))),
    };
    TestApi::with_backend(backend, &Config::default())
}

/// moto runs no Lambda code: queue what BuildMessage answers for `audience`, `times` times.
fn queue_greeting(moto: &MotoServer, audience: &str, times: usize) -> Value {
    let greeting = build_message(audience, SystemTime::now()).unwrap();
    let greeting = serde_json::to_value(greeting).unwrap();
    moto.queue_lambda_results(&vec![greeting.clone(); times]);
    greeting
}

/// One moto for all three: each starts in seconds on a busy machine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_over_step_functions_and_dynamodb() {
    let moto = MotoServer::start();
    jobs_run_on_step_functions_and_finished_ones_are_served_from_dynamodb(&moto).await;
    a_missing_cache_table_degrades_to_step_functions(&moto).await;
    an_outage_answers_502_without_detail_and_loses_no_job(&moto).await;
}

async fn jobs_run_on_step_functions_and_finished_ones_are_served_from_dynamodb(moto: &MotoServer) {
    create_results_table(&moto.dynamodb_client(), "results").await;
    let api = api_on(moto, "results", None).await;

    let greeting = queue_greeting(moto, "Moto", 1);
    let accepted = api.post_json(r#"{"audience": "Moto"}"#).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.text());
    let location = accepted.location();
    let done = api.poll_until_final(&location).await;
    assert_eq!(done.json()["status"], "SUCCEEDED", "{}", done.text());
    assert_eq!(done.json()["output"], greeting);

    let reads = api.workflow_calls("poll");
    let again = api.get(&location).await;
    assert_eq!(again.json()["output"], greeting);
    assert_eq!(api.workflow_calls("poll"), reads, "served from DynamoDB");

    api.get("/messages/bmV2ZXItc3RhcnRlZA")
        .await
        .problem(StatusCode::NOT_FOUND);
}

async fn a_missing_cache_table_degrades_to_step_functions(moto: &MotoServer) {
    let api = api_on(moto, "no-such-table", None).await;
    let greeting = queue_greeting(moto, "Anyway", 1);
    let accepted = api.post_json(r#"{"audience": "Anyway"}"#).await;
    let done = api.poll_until_final(&accepted.location()).await;
    assert_eq!(done.json()["output"], greeting);
}

async fn an_outage_answers_502_without_detail_and_loses_no_job(moto: &MotoServer) {
    create_results_table(&moto.dynamodb_client(), "outage-results").await;
    let api = api_on(moto, "outage-results", Some(outage_timeouts())).await;
    let accepted = api
        .post_json(r#"{"audience": "Later", "delaySeconds": 2}"#)
        .await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.text());
    let location = accepted.location();

    // The paused POST's StartExecution, and its one retry, are still read by moto once it
    // resumes, and their executions may take a queued answer first: one answer for each.
    let greeting = queue_greeting(moto, "Later", 3);
    moto.pause();
    let submit = api.post_json("{}").await;
    let poll = api.get(&location).await;
    moto.resume();

    for response in [&submit, &poll] {
        let problem = response.problem(StatusCode::BAD_GATEWAY);
        let text = problem.to_string();
        assert!(
            !text.contains("127.0.0.1") && !text.contains("arn:"),
            "{text}"
        );
    }
    let done = api.poll_until_final(&location).await;
    assert_eq!(done.json()["status"], "SUCCEEDED", "{}", done.text());
    assert_eq!(done.json()["output"], greeting);
}
