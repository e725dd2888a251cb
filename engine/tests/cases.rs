//! The data-driven suite: every `cases/<area>/*.json` is one behaviour, written from a sentence
//! of the specification or the developer guide (its `spec` field cites it). A case gives a
//! definition, an input and what the execution must end with; `mocks` optionally answers Task
//! states, per resource ARN or Lambda function name, one response per call in order (the last
//! repeats): `{"Return": value}` or `{"Throw": {"Error": ..., "Cause": ...}}`.
//! `"output": null` asserts a null output; leaving `output` out skips the check.
//! `ASL_CASES=choice/` (or any prefix of `<area>/<file>`) runs only the matching cases.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use asl::{Engine, StartExecution, TaskFailure, TaskRegistry, VirtualClock, handler_fn};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    spec: String,
    definition: Value,
    input: Value,
    #[serde(default)]
    mocks: Map<String, Value>,
    expected: Expected,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    status: String,
    #[serde(default, deserialize_with = "present")]
    output: Option<Value>,
    error: Option<String>,
    cause: Option<String>,
}

/// Tells an absent `output` (`None`) from `"output": null` (`Some(Value::Null)`).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// A hanging case fails with its name instead of stalling the whole suite.
const CASE_TIME_LIMIT: Duration = Duration::from_secs(10);

fn case_files() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files = Vec::new();
    for area in std::fs::read_dir(&root).expect("tests/cases exists") {
        let area = area.unwrap().path();
        if !area.is_dir() {
            continue;
        }
        let area_name = area.file_name().unwrap().to_string_lossy().into_owned();
        for file in std::fs::read_dir(&area).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|ext| ext == "json") {
                files.push((area_name.clone(), file));
            }
        }
    }
    files.sort();
    let filter = std::env::var("ASL_CASES").unwrap_or_default();
    files.retain(|(area, file)| {
        let name = file.file_name().unwrap().to_string_lossy();
        format!("{area}/{name}").starts_with(&filter)
    });
    files
}

fn mocked(responses: &Value) -> Arc<dyn asl::TaskHandler> {
    let responses: Vec<Value> = match responses {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let calls = Arc::new(AtomicUsize::new(0));
    handler_fn(move |_input: Value| {
        let call = calls.fetch_add(1, Ordering::SeqCst);
        let response = responses[call.min(responses.len() - 1)].clone();
        async move {
            if let Some(thrown) = response.get("Throw") {
                let text = |key: &str| {
                    thrown
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                return Err(TaskFailure::new(text("Error"), text("Cause")));
            }
            Ok(response.get("Return").cloned().unwrap_or(Value::Null))
        }
    })
}

async fn run(case: &Case) -> Result<(), String> {
    let clock = Arc::new(VirtualClock::frozen_at(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    ));
    let mut tasks = TaskRegistry::new();
    for (target, responses) in &case.mocks {
        let handler = mocked(responses);
        if target.starts_with("arn:aws:states:") {
            tasks.register_resource(target.clone(), handler);
        } else {
            tasks.register_function(target, handler);
        }
    }
    let engine = Engine::new(clock, tasks);
    let machine = match engine.create_state_machine("case", &case.definition.to_string()) {
        Ok(machine) => machine,
        Err(error) if case.expected.status == "INVALID" => {
            return match &case.expected.error {
                Some(code) if !error.to_string().contains(code.as_str()) => Err(format!(
                    "expected a definition error mentioning {code}, got {error}"
                )),
                _ => Ok(()),
            };
        }
        Err(error) => return Err(format!("definition rejected: {error}")),
    };
    if case.expected.status == "INVALID" {
        return Err("the definition was accepted, expected it to be rejected".into());
    }
    let started = engine
        .start_execution(StartExecution::new(&machine).input_text(case.input.to_string()))
        .map_err(|error| format!("start failed: {error}"))?;
    let done = engine
        .wait_for_execution(&started.execution_arn)
        .await
        .map_err(|error| error.to_string())?;
    let status = serde_json::to_value(done.status()).unwrap();
    let mut problems = Vec::new();
    if status != Value::String(case.expected.status.clone()) {
        problems.push(format!(
            "status {status}, expected {}",
            case.expected.status
        ));
    }
    if let Some(output) = &case.expected.output
        && done.output() != Some(output)
    {
        problems.push(format!(
            "output {:?}, expected {output}",
            done.output().map(|o| o.to_string())
        ));
    }
    if let Some(error) = &case.expected.error
        && done.error() != Some(error.as_str())
    {
        problems.push(format!("error {:?}, expected {error:?}", done.error()));
    }
    if let Some(cause) = &case.expected.cause
        && done.cause() != Some(cause.as_str())
    {
        problems.push(format!("cause {:?}, expected {cause:?}", done.cause()));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[tokio::test]
async fn every_case_behaves_as_specified() {
    let mut passed: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (area, file) in case_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let case: Case = match serde_json::from_str(&text) {
            Ok(case) => case,
            Err(error) => {
                failures.push(format!("{}: unreadable case: {error}", file.display()));
                continue;
            }
        };
        assert!(
            !case.spec.is_empty(),
            "{}: cite the specification",
            file.display()
        );
        let outcome = tokio::time::timeout(CASE_TIME_LIMIT, run(&case))
            .await
            .unwrap_or_else(|_| Err(format!("still running after {CASE_TIME_LIMIT:?}")));
        match outcome {
            Ok(()) => *passed.entry(area).or_default() += 1,
            Err(problem) => failures.push(format!(
                "{area}/{}: {}: {problem}",
                file.file_name().unwrap().to_string_lossy(),
                case.name
            )),
        }
    }
    println!("cases passed per area: {passed:?}");
    assert!(
        !passed.is_empty() || !failures.is_empty(),
        "no case matches ASL_CASES"
    );
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
