//! The AWS adapters (`workflow::sfn`, `cache::dynamodb`) against a real moto server.
//!
//! One server serves every Step Functions and DynamoDB case (each case is a function run in
//! turn, named in its assertion messages); each fault-injection test needs a server of its own
//! because it kills or freezes it.

use std::time::{Duration, SystemTime};

use aws_sdk_sfn::config::retry::RetryConfig;
use aws_sdk_sfn::config::timeout::TimeoutConfig;
use aws_sdk_sfn::types::HistoryEventType;
use integration::moto::{MotoServer, ROLE_ARN};
use integration::template_resources::{create_results_table, messages_definition};
use serde_json::{Value, json};
use shared::cache::dynamodb::DynamoDbCache;
use shared::cache::{CacheError, ResultCache};
use shared::greeting::build_message;
use shared::workflow::sfn::{PollMode, SfnWorkflow};
use shared::workflow::{
    EndStatus, Execution, ExecutionName, ExecutionState, Workflow, WorkflowError,
};

const TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// How long an execution may take to finish on a busy machine before the test gives up.
const FINISH_DEADLINE: Duration = Duration::from_secs(60);

fn pass_machine() -> Value {
    json!({
        "StartAt": "Greet",
        "States": {
            "Greet": {
                "Type": "Pass",
                "Result": {"message": "HELLO MOTO!", "createdAt": 1_554_380_384_990_u64},
                "End": true
            }
        }
    })
}

fn fail_machine() -> Value {
    json!({
        "StartAt": "Reject",
        "States": {
            "Reject": {"Type": "Fail", "Error": "InvalidAudience", "Cause": "audience is blank"}
        }
    })
}

/// Waits long enough that every test has finished before it would.
fn wait_machine() -> Value {
    json!({
        "StartAt": "Delay",
        "States": {"Delay": {"Type": "Wait", "Seconds": 3600, "End": true}}
    })
}

fn greeting() -> Value {
    json!({"message": "HELLO MOTO!", "createdAt": 1_554_380_384_990_u64})
}

async fn create_machine(client: &aws_sdk_sfn::Client, name: &str, definition: Value) -> String {
    client
        .create_state_machine()
        .name(name)
        .definition(definition.to_string())
        .role_arn(ROLE_ARN)
        .send()
        .await
        .unwrap_or_else(|err| panic!("create state machine {name}: {err:?}"))
        .state_machine_arn()
        .to_owned()
}

/// One adapter per state machine, all in one poll mode.
struct Machines {
    pass: SfnWorkflow,
    fail: SfnWorkflow,
    wait: SfnWorkflow,
    mode: PollMode,
}

impl Machines {
    async fn create(moto: &MotoServer, mode: PollMode) -> Self {
        let client = moto.sfn_client();
        let adapter = |arn: String| SfnWorkflow::new(client.clone(), arn, mode);
        Self {
            pass: adapter(create_machine(&client, &format!("pass-{mode}"), pass_machine()).await),
            fail: adapter(create_machine(&client, &format!("fail-{mode}"), fail_machine()).await),
            wait: adapter(create_machine(&client, &format!("wait-{mode}"), wait_machine()).await),
            mode,
        }
    }
}

fn name(value: &str) -> ExecutionName {
    ExecutionName::parse(value).unwrap()
}

async fn poll_until_final(workflow: &SfnWorkflow, job: &ExecutionName) -> Execution {
    let deadline = tokio::time::Instant::now() + FINISH_DEADLINE;
    loop {
        let execution = workflow.poll(job).await.expect("poll");
        if execution.state.is_final() {
            return execution;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{job} still running after {FINISH_DEADLINE:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapters_against_one_moto_server() {
    let moto = MotoServer::start();

    for mode in [PollMode::Describe, PollMode::History] {
        let machines = Machines::create(&moto, mode).await;
        a_waiting_execution_polls_running_with_its_input(&machines).await;
        a_passing_execution_polls_succeeded_with_its_output(&machines).await;
        a_failing_execution_polls_failed_with_error_and_cause(&machines).await;
        starting_an_existing_name(&machines).await;
        stopping_running_and_finished_executions(&machines).await;
        an_unknown_execution_is_not_found(&machines).await;
        the_messages_state_machine_builds_the_greeting(&moto, mode).await;
    }

    let cache = create_cache_table(&moto, "results").await;
    the_cache_returns_what_was_put(&cache).await;
    the_first_put_wins(&cache).await;
    a_missing_table_is_unavailable(&moto).await;
}

async fn a_waiting_execution_polls_running_with_its_input(machines: &Machines) {
    let job = name("running");
    let input = json!({"audience": "Step Functions", "delaySeconds": 300});

    machines.wait.start(&job, &input).await.expect("start");
    let execution = machines.wait.poll(&job).await.expect("poll");

    assert_eq!(
        execution.state,
        ExecutionState::Running,
        "{}",
        machines.mode
    );
    assert_eq!(execution.input, input, "{}", machines.mode);
}

async fn a_passing_execution_polls_succeeded_with_its_output(machines: &Machines) {
    let job = name("succeeds");
    machines.pass.start(&job, &json!({})).await.expect("start");

    let execution = poll_until_final(&machines.pass, &job).await;

    assert_eq!(
        execution.state,
        ExecutionState::Succeeded(greeting()),
        "{}",
        machines.mode
    );
    assert_eq!(execution.input, json!({}), "{}", machines.mode);
}

async fn a_failing_execution_polls_failed_with_error_and_cause(machines: &Machines) {
    let job = name("fails");
    machines
        .fail
        .start(&job, &json!({"audience": " "}))
        .await
        .expect("start");

    let execution = poll_until_final(&machines.fail, &job).await;

    assert_eq!(
        execution.state,
        ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "audience is blank"),
        "{}",
        machines.mode
    );
}

async fn starting_an_existing_name(machines: &Machines) {
    let running = name("started-twice");
    let input = json!({"audience": "A"});
    machines.wait.start(&running, &input).await.expect("start");

    let same_input = machines.wait.start(&running, &input).await;
    let other_input = machines
        .wait
        .start(&running, &json!({"audience": "B"}))
        .await;

    assert!(
        same_input.is_ok(),
        "{}: same name and input while running: {same_input:?}",
        machines.mode
    );
    assert!(
        matches!(other_input, Err(WorkflowError::AlreadyExists)),
        "{}: same name, other input: {other_input:?}",
        machines.mode
    );

    let finished = name("finished-then-restarted");
    machines.pass.start(&finished, &input).await.expect("start");
    poll_until_final(&machines.pass, &finished).await;
    let again = machines.pass.start(&finished, &input).await;
    assert!(
        matches!(again, Err(WorkflowError::AlreadyExists)),
        "{}: same name and input after it finished: {again:?}",
        machines.mode
    );
}

async fn stopping_running_and_finished_executions(machines: &Machines) {
    let running = name("stopped");
    machines
        .wait
        .start(&running, &json!({}))
        .await
        .expect("start");

    machines
        .wait
        .stop(&running)
        .await
        .expect("stop a running execution");
    let stopped = poll_until_final(&machines.wait, &running).await;
    assert!(
        matches!(
            stopped.state,
            ExecutionState::Ended {
                status: EndStatus::Aborted,
                ..
            }
        ),
        "{}: {:?}",
        machines.mode,
        stopped.state
    );
    machines
        .wait
        .stop(&running)
        .await
        .expect("stop an aborted execution again");

    let succeeded = name("stopped-after-success");
    machines
        .pass
        .start(&succeeded, &json!({}))
        .await
        .expect("start");
    poll_until_final(&machines.pass, &succeeded).await;
    machines
        .pass
        .stop(&succeeded)
        .await
        .expect("stop a finished execution");
    let execution = machines.pass.poll(&succeeded).await.expect("poll");
    assert_eq!(
        execution.state,
        ExecutionState::Succeeded(greeting()),
        "{}: a finished execution keeps its result when stopped",
        machines.mode
    );
}

async fn an_unknown_execution_is_not_found(machines: &Machines) {
    let unknown = name("never-started");

    let poll = machines.pass.poll(&unknown).await;
    let stop = machines.pass.stop(&unknown).await;

    assert!(
        matches!(poll, Err(WorkflowError::NotFound)),
        "{}: poll: {poll:?}",
        machines.mode
    );
    assert!(
        matches!(stop, Err(WorkflowError::NotFound)),
        "{}: stop: {stop:?}",
        machines.mode
    );
}

/// The project's own definition on moto's interpreter. moto runs no Lambda code, so each
/// BuildMessage answer is computed here by the same function the Lambda runs and queued; what
/// the state machine sent the function is then read back from the history.
async fn the_messages_state_machine_builds_the_greeting(moto: &MotoServer, mode: PollMode) {
    let client = moto.sfn_client();
    let definition = messages_definition();
    let definition: Value = serde_json::from_str(&definition).expect("the definition is JSON");
    let machine = create_machine(&client, &format!("messages-{mode}"), definition).await;
    let workflow = SfnWorkflow::new(client.clone(), machine.clone(), mode);
    let created_at = SystemTime::UNIX_EPOCH + Duration::from_millis(1_554_380_384_990);
    let cases = [
        ("default-audience", json!({}), "World"),
        (
            "given-audience",
            json!({"audience": "Step Functions", "delaySeconds": 0}),
            "Step Functions",
        ),
    ];

    for (job, input, audience) in cases {
        let greeting = build_message(audience, created_at).expect("a valid audience");
        let answer = serde_json::to_value(&greeting).expect("a greeting is JSON");
        moto.queue_lambda_results(std::slice::from_ref(&answer));
        let job = name(job);

        workflow.start(&job, &input).await.expect("start");
        let execution = poll_until_final(&workflow, &job).await;

        assert_eq!(
            execution.state,
            ExecutionState::Succeeded(answer),
            "{mode}: {job}"
        );
        let execution_arn = format!("{}:{job}", machine.replace(":stateMachine:", ":execution:"));
        assert_eq!(
            build_message_payload(&client, &execution_arn).await,
            json!({"audience": audience}),
            "{mode}: {job}"
        );
    }
}

/// The payload of the execution's one BuildMessage invocation, from its TaskScheduled event.
async fn build_message_payload(client: &aws_sdk_sfn::Client, execution_arn: &str) -> Value {
    let history = client
        .get_execution_history()
        .execution_arn(execution_arn)
        .send()
        .await
        .expect("history");
    let parameters = history
        .events()
        .iter()
        .find(|event| *event.r#type() == HistoryEventType::TaskScheduled)
        .and_then(|event| event.task_scheduled_event_details())
        .map(|details| details.parameters())
        .expect("a TaskScheduled event");
    let parameters: Value = serde_json::from_str(parameters).expect("parameters are JSON");
    parameters["Payload"].clone()
}

/// The table as template.yaml declares it: `pk` string hash key, TTL on `expiresAt`.
async fn create_cache_table(moto: &MotoServer, table: &str) -> DynamoDbCache {
    use aws_sdk_dynamodb::types::TimeToLiveSpecification;

    let client = moto.dynamodb_client();
    create_results_table(&client, table).await;
    client
        .update_time_to_live()
        .table_name(table)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name("expiresAt")
                .enabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("enable TTL");
    DynamoDbCache::new(client, table.to_owned(), TTL)
}

async fn the_cache_returns_what_was_put(cache: &DynamoDbCache) {
    let states = [
        ("cached-succeeded", ExecutionState::Succeeded(greeting())),
        (
            "cached-failed",
            ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "audience is blank"),
        ),
        (
            "cached-aborted",
            ExecutionState::ended(EndStatus::Aborted, "", ""),
        ),
    ];
    for (job, state) in states {
        let job = name(job);
        assert_eq!(
            cache.get(&job).await.expect("get before put"),
            None,
            "{job}"
        );
        cache.put(&job, &state).await.expect("put");
        assert_eq!(cache.get(&job).await.expect("get"), Some(state), "{job}");
    }
}

async fn the_first_put_wins(cache: &DynamoDbCache) {
    let job = name("cached-twice");
    let first = ExecutionState::Succeeded(json!({"message": "FIRST"}));
    let second = ExecutionState::Succeeded(json!({"message": "SECOND"}));

    cache.put(&job, &first).await.expect("first put");
    cache.put(&job, &second).await.expect("second put");

    assert_eq!(cache.get(&job).await.expect("get"), Some(first));
}

async fn a_missing_table_is_unavailable(moto: &MotoServer) {
    let cache = DynamoDbCache::new(moto.dynamodb_client(), "no-such-table".to_owned(), TTL);
    let job = name("anything");

    let get = cache.get(&job).await;
    let put = cache.put(&job, &ExecutionState::Succeeded(json!({}))).await;

    assert!(matches!(get, Err(CacheError::Unavailable(_))), "{get:?}");
    assert!(matches!(put, Err(CacheError::Unavailable(_))), "{put:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_moto_gives_errors_and_a_restarted_one_works() {
    let mut moto = MotoServer::start();
    let client = moto.sfn_client();
    let machine = create_machine(&client, "faults", wait_machine()).await;
    let history = SfnWorkflow::new(client.clone(), machine.clone(), PollMode::History);
    let workflow = SfnWorkflow::new(client.clone(), machine, PollMode::Describe);
    let cache = create_cache_table(&moto, "fault-results").await;
    let job = name("in-flight");
    workflow.start(&job, &json!({})).await.expect("start");

    moto.kill();

    let failures = [
        ("poll", workflow.poll(&job).await.err()),
        ("poll history", history.poll(&job).await.err()),
        (
            "start",
            workflow.start(&name("later"), &json!({})).await.err(),
        ),
        ("stop", workflow.stop(&job).await.err()),
    ];
    for (call, failure) in failures {
        assert!(
            matches!(failure, Some(WorkflowError::Upstream(_))),
            "{call} against a dead server: {failure:?}"
        );
    }
    let cached = cache.get(&job).await;
    assert!(
        matches!(cached, Err(CacheError::Unavailable(_))),
        "cache get against a dead server: {cached:?}"
    );

    moto.restart();

    // The new server lost everything: the old job is gone, not corrupted.
    let lost = workflow.poll(&job).await;
    assert!(
        matches!(lost, Err(WorkflowError::NotFound)),
        "poll of a job the restarted server never saw: {lost:?}"
    );
    // The same clients work again once the machine exists again.
    let machine = create_machine(&client, "faults-pass", pass_machine()).await;
    let workflow = SfnWorkflow::new(client, machine, PollMode::Describe);
    let job = name("after-restart");
    workflow
        .start(&job, &json!({}))
        .await
        .expect("start after restart");
    let execution = poll_until_final(&workflow, &job).await;
    assert_eq!(execution.state, ExecutionState::Succeeded(greeting()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_moto_gives_errors_and_loses_nothing_once_it_answers_again() {
    let moto = MotoServer::start();
    let machine = create_machine(&moto.sfn_client(), "hangs", wait_machine()).await;
    let cached = create_cache_table(&moto, "hang-results").await;
    // Clients that give up after a second instead of the helper's generous timeouts.
    let impatient = TimeoutConfig::builder()
        .operation_timeout(Duration::from_secs(1))
        .build();
    let workflow = SfnWorkflow::new(
        aws_sdk_sfn::Client::from_conf(
            moto.sfn_config()
                .retry_config(RetryConfig::disabled())
                .timeout_config(impatient.clone())
                .build(),
        ),
        machine,
        PollMode::Describe,
    );
    let cache = DynamoDbCache::new(
        aws_sdk_dynamodb::Client::from_conf(
            moto.dynamodb_config()
                .retry_config(RetryConfig::disabled())
                .timeout_config(impatient)
                .build(),
        ),
        "hang-results".to_owned(),
        TTL,
    );
    let job = name("survives");
    let input = json!({"audience": "Patience"});
    workflow.start(&job, &input).await.expect("start");
    let finished = name("finished-earlier");
    let result = ExecutionState::Succeeded(greeting());
    cached.put(&finished, &result).await.expect("put");

    moto.pause();

    let poll = workflow.poll(&job).await;
    let get = cache.get(&finished).await;

    moto.resume();

    assert!(
        matches!(poll, Err(WorkflowError::Upstream(_))),
        "poll of a hung server: {poll:?}"
    );
    assert!(
        matches!(get, Err(CacheError::Unavailable(_))),
        "cache get of a hung server: {get:?}"
    );
    let execution = workflow.poll(&job).await.expect("poll once it answers");
    assert_eq!(execution.state, ExecutionState::Running);
    assert_eq!(execution.input, input);
    assert_eq!(cache.get(&finished).await.expect("get"), Some(result));
}
