//! The adapter against mocked SDK responses: every mapping from a Step Functions answer or
//! error to the port's model.

use aws_sdk_sfn::Client;
use aws_sdk_sfn::config::retry::RetryConfig;
use aws_sdk_sfn::error::ErrorMetadata;
use aws_sdk_sfn::operation::describe_execution::{DescribeExecutionError, DescribeExecutionOutput};
use aws_sdk_sfn::operation::get_execution_history::{
    GetExecutionHistoryError, GetExecutionHistoryOutput,
};
use aws_sdk_sfn::operation::start_execution::{StartExecutionError, StartExecutionOutput};
use aws_sdk_sfn::operation::stop_execution::{StopExecutionError, StopExecutionOutput};
use aws_sdk_sfn::primitives::DateTime;
use aws_sdk_sfn::types::error::{ExecutionAlreadyExists, ExecutionDoesNotExist};
use aws_sdk_sfn::types::{
    ExecutionAbortedEventDetails, ExecutionFailedEventDetails, ExecutionStartedEventDetails,
    ExecutionStatus, ExecutionSucceededEventDetails, HistoryEvent, HistoryEventType,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use serde_json::json;

use super::*;
use crate::workflow::{EndStatus, ExecutionState};

const MACHINE_ARN: &str = "arn:aws:states:eu-west-1:111122223333:stateMachine:Messages";
const EXECUTION_ARN: &str = "arn:aws:states:eu-west-1:111122223333:execution:Messages:job-1";
const STARTED_AT_SECS: i64 = 1_554_380_384;

fn client(rules: &[&Rule]) -> Client {
    mock_client!(aws_sdk_sfn, RuleMode::Sequential, rules, |config| config
        .retry_config(RetryConfig::disabled()))
}

fn workflow(rules: &[&Rule], mode: PollMode) -> SfnWorkflow {
    SfnWorkflow::new(client(rules), MACHINE_ARN.to_owned(), mode)
}

fn job() -> ExecutionName {
    ExecutionName::parse("job-1").unwrap()
}

fn throttled(code: &'static str) -> ErrorMetadata {
    ErrorMetadata::builder()
        .code(code)
        .message("Rate exceeded")
        .build()
}

/// The error of a poll in each mode and of a stop, each answered by its own mocked rule.
async fn poll_and_stop_errors(
    describe: &Rule,
    history: &Rule,
    stop: &Rule,
) -> [Option<WorkflowError>; 3] {
    [
        workflow(&[describe], PollMode::Describe)
            .poll(&job())
            .await
            .err(),
        workflow(&[history], PollMode::History)
            .poll(&job())
            .await
            .err(),
        workflow(&[stop], PollMode::Describe)
            .stop(&job())
            .await
            .err(),
    ]
}

fn started_at() -> SystemTime {
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(STARTED_AT_SECS as u64)
}

#[test]
fn poll_mode_parses_its_two_names_and_defaults_to_describe() {
    assert_eq!("describe".parse::<PollMode>(), Ok(PollMode::Describe));
    assert_eq!("history".parse::<PollMode>(), Ok(PollMode::History));
    assert_eq!(PollMode::default(), PollMode::Describe);
    let err = "History".parse::<PollMode>().unwrap_err();
    assert!(
        err.to_string().contains("\"describe\" or \"history\""),
        "{err}"
    );
}

#[test]
fn execution_arns_are_rebuilt_from_the_state_machine_arn() {
    assert_eq!(
        execution_arn_prefix(MACHINE_ARN),
        "arn:aws:states:eu-west-1:111122223333:execution:Messages:"
    );
    assert_eq!(
        execution_arn_prefix("arn:aws-cn:states:cn-north-1:111122223333:stateMachine:M:live"),
        "arn:aws-cn:states:cn-north-1:111122223333:execution:M:"
    );
    let workflow = workflow(&[], PollMode::Describe);
    assert_eq!(workflow.execution_arn(&job()), EXECUTION_ARN);
}

#[tokio::test]
async fn start_sends_the_machine_the_name_and_the_input() {
    let rule = mock!(Client::start_execution)
        .match_requests(|request| {
            request.state_machine_arn() == Some(MACHINE_ARN)
                && request.name() == Some("job-1")
                && request.input() == Some(r#"{"audience":"Step Functions"}"#)
        })
        .then_output(|| {
            StartExecutionOutput::builder()
                .execution_arn(EXECUTION_ARN)
                .start_date(DateTime::from_secs(STARTED_AT_SECS))
                .build()
                .unwrap()
        });
    let workflow = workflow(&[&rule], PollMode::Describe);

    let result = workflow
        .start(&job(), &json!({"audience": "Step Functions"}))
        .await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn start_of_an_existing_name_is_already_exists() {
    let rule = mock!(Client::start_execution).then_error(|| {
        StartExecutionError::ExecutionAlreadyExists(
            ExecutionAlreadyExists::builder()
                .message("Execution Already Exists")
                .build(),
        )
    });

    let result = workflow(&[&rule], PollMode::Describe)
        .start(&job(), &json!({}))
        .await;

    assert!(
        matches!(result, Err(WorkflowError::AlreadyExists)),
        "{result:?}"
    );
}

#[tokio::test]
async fn throttling_codes_become_throttled_on_every_operation() {
    let start = mock!(Client::start_execution)
        .then_error(|| StartExecutionError::generic(throttled("ThrottlingException")));
    let describe = mock!(Client::describe_execution)
        .then_error(|| DescribeExecutionError::generic(throttled("TooManyRequestsException")));
    let history = mock!(Client::get_execution_history)
        .then_error(|| GetExecutionHistoryError::generic(throttled("ThrottlingException")));
    let stop = mock!(Client::stop_execution)
        .then_error(|| StopExecutionError::generic(throttled("ThrottlingException")));

    let start_error = workflow(&[&start], PollMode::Describe)
        .start(&job(), &json!({}))
        .await
        .err();
    let results =
        std::iter::once(start_error).chain(poll_and_stop_errors(&describe, &history, &stop).await);

    for result in results {
        assert!(
            matches!(result, Some(WorkflowError::Throttled)),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn a_bare_429_without_an_error_code_is_throttled() {
    let rule = mock!(Client::describe_execution)
        .sequence()
        .http_status(429, None)
        .build();

    let result = workflow(&[&rule], PollMode::Describe).poll(&job()).await;

    assert!(
        matches!(result, Err(WorkflowError::Throttled)),
        "{result:?}"
    );
}

#[tokio::test]
async fn other_service_errors_are_upstream_with_their_code() {
    let rule = mock!(Client::start_execution).then_error(|| {
        StartExecutionError::generic(
            ErrorMetadata::builder()
                .code("StateMachineDoesNotExist")
                .message("State Machine Does Not Exist")
                .build(),
        )
    });

    let result = workflow(&[&rule], PollMode::Describe)
        .start(&job(), &json!({}))
        .await;

    match result {
        Err(WorkflowError::Upstream(message)) => {
            assert!(message.contains("StartExecution"), "{message}");
            assert!(message.contains("StateMachineDoesNotExist"), "{message}");
        }
        other => panic!("expected Upstream, got {other:?}"),
    }
}

#[tokio::test]
async fn the_sdk_retries_throttling_when_the_client_is_configured_to() {
    let rule = mock!(Client::describe_execution)
        .sequence()
        .error(|| DescribeExecutionError::generic(throttled("ThrottlingException")))
        .output(|| described(ExecutionStatus::Running).build().unwrap())
        .build();
    let client = mock_client!(aws_sdk_sfn, RuleMode::Sequential, [&rule], |config| config
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(std::time::Duration::from_millis(1))
        ));
    let workflow = SfnWorkflow::new(client, MACHINE_ARN.to_owned(), PollMode::Describe);

    let execution = workflow.poll(&job()).await.unwrap();

    assert_eq!(execution.state, ExecutionState::Running);
    assert_eq!(rule.num_calls(), 2);
}

fn described(
    status: ExecutionStatus,
) -> aws_sdk_sfn::operation::describe_execution::builders::DescribeExecutionOutputBuilder {
    DescribeExecutionOutput::builder()
        .execution_arn(EXECUTION_ARN)
        .state_machine_arn(MACHINE_ARN)
        .status(status)
        .start_date(DateTime::from_secs(STARTED_AT_SECS))
        .input(r#"{"audience":"World"}"#)
}

async fn poll_described(output: DescribeExecutionOutput) -> Result<Execution, WorkflowError> {
    let rule = mock!(Client::describe_execution)
        .match_requests(|request| request.execution_arn() == Some(EXECUTION_ARN))
        .then_output(move || output.clone());
    workflow(&[&rule], PollMode::Describe).poll(&job()).await
}

#[tokio::test]
async fn describe_maps_every_status() {
    let failed = |error: &str, cause: &str| (error.to_owned(), cause.to_owned());
    let cases = [
        (described(ExecutionStatus::Running), ExecutionState::Running),
        (
            described(ExecutionStatus::PendingRedrive),
            ExecutionState::Running,
        ),
        (
            described(ExecutionStatus::Succeeded)
                .output(r#"{"message":"HELLO WORLD!","createdAt":1554380384990}"#),
            ExecutionState::Succeeded(
                json!({"message": "HELLO WORLD!", "createdAt": 1_554_380_384_990_u64}),
            ),
        ),
        (
            described(ExecutionStatus::Failed)
                .error("InvalidAudience")
                .cause("audience is blank"),
            {
                let (error, cause) = failed("InvalidAudience", "audience is blank");
                ExecutionState::ended(EndStatus::Failed, error, cause)
            },
        ),
        (
            described(ExecutionStatus::TimedOut).error("States.Timeout"),
            {
                let (error, cause) = failed("States.Timeout", "");
                ExecutionState::ended(EndStatus::TimedOut, error, cause)
            },
        ),
        (described(ExecutionStatus::Aborted), {
            let (error, cause) = failed("", "");
            ExecutionState::ended(EndStatus::Aborted, error, cause)
        }),
    ];

    for (output, expected) in cases {
        let execution = poll_described(output.build().unwrap()).await.unwrap();
        assert_eq!(execution.state, expected);
        assert_eq!(execution.input, json!({"audience": "World"}));
        assert_eq!(execution.started_at, started_at());
    }
}

#[tokio::test]
async fn describe_rejects_an_output_that_is_not_json() {
    let output = described(ExecutionStatus::Succeeded)
        .output("not json")
        .build()
        .unwrap();

    let result = poll_described(output).await;

    assert!(
        matches!(result, Err(WorkflowError::Upstream(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_missing_execution_is_not_found_in_both_modes_and_on_stop() {
    let describe = mock!(Client::describe_execution).then_error(|| {
        DescribeExecutionError::ExecutionDoesNotExist(ExecutionDoesNotExist::builder().build())
    });
    let history = mock!(Client::get_execution_history).then_error(|| {
        GetExecutionHistoryError::ExecutionDoesNotExist(ExecutionDoesNotExist::builder().build())
    });
    let stop = mock!(Client::stop_execution).then_error(|| {
        StopExecutionError::ExecutionDoesNotExist(ExecutionDoesNotExist::builder().build())
    });

    for result in poll_and_stop_errors(&describe, &history, &stop).await {
        assert!(
            matches!(result, Some(WorkflowError::NotFound)),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn stop_sends_the_rebuilt_execution_arn() {
    let rule = mock!(Client::stop_execution)
        .match_requests(|request| request.execution_arn() == Some(EXECUTION_ARN))
        .then_output(|| {
            StopExecutionOutput::builder()
                .stop_date(DateTime::from_secs(STARTED_AT_SECS + 5))
                .build()
                .unwrap()
        });

    let result = workflow(&[&rule], PollMode::Describe).stop(&job()).await;

    assert!(result.is_ok(), "{result:?}");
    assert_eq!(rule.num_calls(), 1);
}

fn event(id: i64, kind: HistoryEventType) -> aws_sdk_sfn::types::builders::HistoryEventBuilder {
    HistoryEvent::builder()
        .id(id)
        .previous_event_id(id - 1)
        .timestamp(DateTime::from_secs(STARTED_AT_SECS + id))
        .r#type(kind)
}

fn execution_started(input: &str) -> HistoryEvent {
    event(1, HistoryEventType::ExecutionStarted)
        .timestamp(DateTime::from_secs(STARTED_AT_SECS))
        .execution_started_event_details(
            ExecutionStartedEventDetails::builder().input(input).build(),
        )
        .build()
        .unwrap()
}

fn execution_succeeded(id: i64, output: &str) -> HistoryEvent {
    event(id, HistoryEventType::ExecutionSucceeded)
        .execution_succeeded_event_details(
            ExecutionSucceededEventDetails::builder()
                .output(output)
                .build(),
        )
        .build()
        .unwrap()
}

fn state_event(id: i64) -> HistoryEvent {
    event(id, HistoryEventType::PassStateEntered)
        .build()
        .unwrap()
}

fn page(events: Vec<HistoryEvent>, next_token: Option<&str>) -> GetExecutionHistoryOutput {
    GetExecutionHistoryOutput::builder()
        .set_events(Some(events))
        .set_next_token(next_token.map(str::to_owned))
        .build()
        .unwrap()
}

#[tokio::test]
async fn history_follows_every_page_to_find_the_result_and_the_input() {
    let first = mock!(Client::get_execution_history)
        .match_requests(|request| {
            request.execution_arn() == Some(EXECUTION_ARN)
                && request.reverse_order() == Some(true)
                && request.next_token().is_none()
        })
        .then_output(|| {
            page(
                vec![
                    execution_succeeded(5, r#"{"message":"HELLO WORLD!"}"#),
                    state_event(4),
                ],
                Some("page-2"),
            )
        });
    let second = mock!(Client::get_execution_history)
        .match_requests(|request| request.next_token() == Some("page-2"))
        .then_output(|| page(vec![state_event(3), state_event(2)], Some("page-3")));
    let third = mock!(Client::get_execution_history)
        .match_requests(|request| request.next_token() == Some("page-3"))
        .then_output(|| page(vec![execution_started(r#"{"audience":"World"}"#)], None));

    let execution = workflow(&[&first, &second, &third], PollMode::History)
        .poll(&job())
        .await
        .unwrap();

    assert_eq!(
        execution.state,
        ExecutionState::Succeeded(json!({"message": "HELLO WORLD!"}))
    );
    assert_eq!(execution.input, json!({"audience": "World"}));
    assert_eq!(execution.started_at, started_at());
    assert_eq!(third.num_calls(), 1);
}

#[tokio::test]
async fn history_stops_when_the_server_hands_back_the_token_it_was_sent() {
    let first = mock!(Client::get_execution_history)
        .then_output(|| page(vec![execution_started("{}"), state_event(2)], Some("same")));
    let again = mock!(Client::get_execution_history)
        .match_requests(|request| request.next_token() == Some("same"))
        .then_output(|| page(vec![execution_started("{}"), state_event(2)], Some("same")));

    let execution = workflow(&[&first, &again], PollMode::History)
        .poll(&job())
        .await
        .unwrap();

    assert_eq!(execution.state, ExecutionState::Running);
    assert_eq!(again.num_calls(), 1);
}

#[test]
fn history_in_chronological_order_reads_the_same_as_newest_first() {
    let events = vec![
        execution_started(r#"{"audience":"World"}"#),
        state_event(2),
        event(3, HistoryEventType::ExecutionFailed)
            .execution_failed_event_details(
                ExecutionFailedEventDetails::builder()
                    .error("InvalidAudience")
                    .cause("audience is blank")
                    .build(),
            )
            .build()
            .unwrap(),
    ];
    let expected = ExecutionState::ended(EndStatus::Failed, "InvalidAudience", "audience is blank");

    for ordered in [events.clone(), events.into_iter().rev().collect()] {
        let mut reader = HistoryReader::default();
        reader.read(&ordered).unwrap();
        assert_eq!(reader.finish().expect("an execution").state, expected);
    }
}

#[test]
fn history_of_a_redriven_execution_is_running_until_a_later_terminal_event() {
    let failed = event(3, HistoryEventType::ExecutionFailed).build().unwrap();
    let redriven = event(4, HistoryEventType::ExecutionRedriven)
        .build()
        .unwrap();
    let aborted = event(6, HistoryEventType::ExecutionAborted)
        .execution_aborted_event_details(
            ExecutionAbortedEventDetails::builder()
                .error("Cancelled")
                .build(),
        )
        .build()
        .unwrap();

    let mut reader = HistoryReader::default();
    reader
        .read(&[redriven.clone(), failed.clone(), execution_started("{}")])
        .unwrap();
    assert_eq!(
        reader.finish().expect("an execution").state,
        ExecutionState::Running
    );

    let mut reader = HistoryReader::default();
    reader
        .read(&[aborted, redriven, failed, execution_started("{}")])
        .unwrap();
    assert_eq!(
        reader.finish().expect("an execution").state,
        ExecutionState::ended(EndStatus::Aborted, "Cancelled", "")
    );
}

#[tokio::test]
async fn history_not_yet_recorded_falls_back_to_describe() {
    let history = mock!(Client::get_execution_history).then_output(|| page(vec![], None));
    let describe = mock!(Client::describe_execution)
        .match_requests(|request| request.execution_arn() == Some(EXECUTION_ARN))
        .then_output(|| described(ExecutionStatus::Running).build().unwrap());

    let execution = workflow(&[&history, &describe], PollMode::History)
        .poll(&job())
        .await
        .unwrap();

    assert_eq!(execution.state, ExecutionState::Running);
    assert_eq!(execution.input, json!({"audience": "World"}));
    assert_eq!(execution.started_at, started_at());
    assert_eq!(describe.num_calls(), 1);
}

mod history_order {
    use proptest::prelude::*;

    use super::*;

    /// A finished execution's history in chronological order: started, some states, the end;
    /// when `redriven`, a failure and a redrive come before those states.
    fn history(states: i64, end: HistoryEventType, redriven: bool) -> Vec<HistoryEvent> {
        let mut events = vec![execution_started(r#"{"audience":"World"}"#)];
        let mut next = 2;
        if redriven {
            events.push(event(2, HistoryEventType::ExecutionFailed).build().unwrap());
            events.push(
                event(3, HistoryEventType::ExecutionRedriven)
                    .build()
                    .unwrap(),
            );
            next = 4;
        }
        events.extend((next..next + states).map(state_event));
        let last = next + states;
        events.push(match end {
            HistoryEventType::ExecutionSucceeded => {
                execution_succeeded(last, r#"{"message":"HI"}"#)
            }
            other => event(last, other).build().unwrap(),
        });
        events
    }

    fn read_in_pages(events: &[HistoryEvent], page_size: usize) -> Execution {
        let mut reader = HistoryReader::default();
        for page in events.chunks(page_size) {
            reader.read(page).unwrap();
        }
        reader.finish().expect("an execution")
    }

    proptest! {
        #[test]
        fn any_order_and_any_paging_read_the_same(
            (events, page_size) in (0_i64..30, prop_oneof![
                Just(HistoryEventType::ExecutionSucceeded),
                Just(HistoryEventType::ExecutionFailed),
                Just(HistoryEventType::ExecutionTimedOut),
                Just(HistoryEventType::ExecutionAborted),
            ], any::<bool>())
                .prop_flat_map(|(states, end, redriven)| {
                    let events = history(states, end, redriven);
                    let count = events.len();
                    (Just(events).prop_shuffle(), 1..=count)
                })
        ) {
            let mut chronological = events.clone();
            chronological.sort_by_key(HistoryEvent::id);
            let last = chronological.last().unwrap().clone();
            let mut expected = HistoryReader::default();
            expected.read(&[chronological[0].clone(), last]).unwrap();

            prop_assert_eq!(
                read_in_pages(&events, page_size),
                expected.finish().expect("an execution")
            );
        }
    }
}
