//! The `asl` command line: one JSON line on stdout, exit 0 whenever the execution ran, 2 for an
//! invalid definition or input.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

fn asl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl"))
        .args(args)
        .output()
        .expect("the asl binary runs")
}

fn line(output: &Output) -> Value {
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one line expected: {stdout}");
    serde_json::from_str(&stdout).unwrap()
}

/// Writes a file into a directory of its own: tests run in parallel, and two of them writing the
/// same name into one directory could hand the CLI a half-written file.
fn write(name: &str, content: &Value) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "asl-cli-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content.to_string()).unwrap();
    path
}

fn greeting_machine() -> PathBuf {
    write(
        "greet.json",
        &json!({"StartAt": "Wait", "States": {
            "Wait": {"Type": "Wait", "Seconds": 3600, "Next": "Greet"},
            "Greet": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Greet", "End": true}
        }}),
    )
}

/// Runs `asl <subcommand> --definition <the greeting machine> <rest>`.
fn on_greeting_machine(subcommand: &str, rest: &[&str]) -> Output {
    let definition = greeting_machine();
    let mut args = vec![subcommand, "--definition", definition.to_str().unwrap()];
    args.extend_from_slice(rest);
    asl(&args)
}

#[test]
fn run_prints_the_output_and_exits_zero() {
    let output = on_greeting_machine("run", &["--input", r#"{"who": "me"}"#]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        line(&output),
        json!({"status": "SUCCEEDED", "output": {"who": "me"}})
    );
}

#[test]
fn a_failed_execution_still_exits_zero_and_history_is_included() {
    let definition = write(
        "fail.json",
        &json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}),
    );
    let output = asl(&[
        "run",
        "--definition",
        definition.to_str().unwrap(),
        "--history",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let line = line(&output);
    assert_eq!(
        (&line["status"], &line["error"], &line["cause"]),
        (&json!("FAILED"), &json!("E"), &json!("C"))
    );
    assert_eq!(
        line["history"].as_array().unwrap().last().unwrap()["type"],
        json!("ExecutionFailed")
    );
}

#[test]
fn mocked_responses_answer_task_states() {
    let config = write(
        "mocks.json",
        &json!({
            "StateMachines": {"greet": {"TestCases": {"Down": {"Greet": "Fails"}}}},
            "MockedResponses": {"Fails": {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}}}
        }),
    );
    let output = on_greeting_machine(
        "run",
        &[
            "--mock-config",
            config.to_str().unwrap(),
            "--test-case",
            "Down",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(line(&output)["error"], json!("Lambda.ServiceException"));
}

#[test]
fn an_invalid_definition_exits_two_with_diagnostics() {
    let definition = write(
        "bad.json",
        &json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}),
    );
    let output = asl(&["validate", definition.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        line(&output)["diagnostics"][0]["location"],
        json!("/States/A/Next")
    );
    let run = asl(&["run", "--definition", definition.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("does not exist"));
}

#[test]
fn invalid_input_exits_two() {
    let output = on_greeting_machine("run", &["--input", "{not json"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn bench_reports_throughput() {
    let output = on_greeting_machine("bench", &["-n", "50", "--concurrency", "4"]);
    assert_eq!(output.status.code(), Some(0));
    let line = line(&output);
    assert_eq!(line["executions"], json!(50));
    for key in ["seconds", "executions_per_second", "p50_ms", "p99_ms"] {
        assert!(line[key].is_number(), "{key} in {line}");
    }
}
