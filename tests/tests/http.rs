//! The HTTP contract end to end: the server's router over the embedded engine, driven the way a
//! client drives it.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use integration::server::{TestApi, request, serve};
use serde_json::json;
use shared::config::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

fn job_path(location: &str) -> String {
    assert!(location.starts_with("/messages/"), "{location}");
    location.to_owned()
}

#[tokio::test]
async fn a_job_is_accepted_then_polled_until_it_succeeds_with_the_message() {
    let api = TestApi::embedded();
    let accepted = api.post_json(r#"{"audience": "Step Functions"}"#).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.text());
    assert_eq!(accepted.header("retry-after"), Some("1"));
    assert_eq!(accepted.header("content-type"), Some("application/json"));
    let body = accepted.json();
    let id = body["id"].as_str().unwrap();
    assert_eq!(body, json!({"id": id, "status": "RUNNING"}));
    let location = job_path(&accepted.location());
    assert_eq!(location, format!("/messages/{id}"));

    let done = api.poll_until_final(&location).await;
    let body = done.json();
    assert_eq!(body["id"], id);
    assert_eq!(body["status"], "SUCCEEDED");
    assert_eq!(body["output"]["message"], "HELLO STEP FUNCTIONS!");
    assert!(body["output"]["createdAt"].as_i64().unwrap() > 1_500_000_000_000);
    assert_eq!(body.as_object().unwrap().len(), 3, "{body}");
    assert_eq!(done.header("retry-after"), None);
    assert_eq!(done.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn an_empty_body_greets_the_world() {
    let api = TestApi::embedded();
    let accepted = api.send(request(Method::POST, "/messages", &[], "")).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.text());
    let done = api.poll_until_final(&accepted.location()).await;
    assert_eq!(done.json()["output"]["message"], "HELLO WORLD!");
}

#[tokio::test]
async fn a_blank_audience_is_accepted_and_fails_with_a_readable_cause() {
    let api = TestApi::embedded();
    let accepted = api.post_json(r#"{"audience": " "}"#).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.text());
    let done = api.poll_until_final(&accepted.location()).await;
    let body = done.json();
    assert_eq!(body["status"], "FAILED");
    assert_eq!(body["error"], "InvalidAudience");
    assert_eq!(body["cause"], "audience must not be blank");
    assert!(body.get("output").is_none());
}

#[tokio::test]
async fn a_delayed_job_says_how_long_it_waits_and_then_succeeds() {
    let api = TestApi::embedded();
    let accepted = api
        .post_json(r#"{"audience": "later", "delaySeconds": 300}"#)
        .await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    assert_eq!(accepted.header("retry-after"), Some("301"));
    let done = api.poll_until_final(&accepted.location()).await;
    assert_eq!(done.json()["output"]["message"], "HELLO LATER!");
}

#[tokio::test]
async fn each_status_request_reads_the_workflow_at_most_once_and_a_cached_result_not_at_all() {
    let api = TestApi::embedded();
    let accepted = api.post_json(r#"{"audience": "cache"}"#).await;
    let location = accepted.location();
    assert_eq!(api.workflow_calls("start"), 1);

    let before = api.workflow_calls("poll");
    api.poll_until_final(&location).await;
    let reads_until_final = api.workflow_calls("poll") - before;
    assert!(reads_until_final >= 1);

    for _ in 0..3 {
        let again = api.get(&location).await;
        assert_eq!(again.json()["output"]["message"], "HELLO CACHE!");
    }
    assert_eq!(
        api.workflow_calls("poll"),
        before + reads_until_final,
        "a cached result costs no workflow read"
    );
    assert_eq!(api.workflow_calls("start"), 1);
}

#[tokio::test]
async fn every_get_makes_exactly_one_read_while_the_job_is_unknown_to_the_cache() {
    let api = TestApi::embedded();
    let accepted = api.post_json(r#"{"delaySeconds": 0}"#).await;
    let location = accepted.location();
    let mut gets = 0;
    loop {
        let response = api.get(&location).await;
        gets += 1;
        assert_eq!(api.workflow_calls("poll"), gets);
        if response.json()["status"] != "RUNNING" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn bad_submissions_are_answered_with_problem_details() {
    let api = TestApi::embedded();
    let json = [("content-type", "application/json")];
    let too_big = format!(r#"{{"audience": "{}"}}"#, "a".repeat(17 * 1024));
    let too_long = format!(r#"{{"audience": "{}"}}"#, "a".repeat(1001));
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, StatusCode);
    let cases: Vec<Case> = vec![
        (&json, "{", StatusCode::BAD_REQUEST),
        (&json, "not json", StatusCode::BAD_REQUEST),
        (&json, "[]", StatusCode::BAD_REQUEST),
        (&json, r#"{"audience": 42}"#, StatusCode::BAD_REQUEST),
        (&json, r#"{"audience": ""}"#, StatusCode::BAD_REQUEST),
        (&json, &too_long, StatusCode::BAD_REQUEST),
        (&json, r#"{"delaySeconds": "5"}"#, StatusCode::BAD_REQUEST),
        (&json, r#"{"delaySeconds": 301}"#, StatusCode::BAD_REQUEST),
        (&json, r#"{"delaySeconds": -1}"#, StatusCode::BAD_REQUEST),
        (
            &json,
            r#"{"audience": "x", "unknown": 1}"#,
            StatusCode::BAD_REQUEST,
        ),
        (&json, &too_big, StatusCode::PAYLOAD_TOO_LARGE),
        (
            &[("content-type", "text/plain")],
            "{}",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            &[("content-type", "application/x-www-form-urlencoded")],
            "audience=x",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (headers, body, status) in cases {
        let response = api
            .send(request(Method::POST, "/messages", headers, body))
            .await;
        let problem = response.problem(status);
        assert!(
            problem["type"]
                .as_str()
                .unwrap()
                .starts_with("urn:messages:problem:"),
            "{problem}"
        );
    }
    assert_eq!(api.workflow_calls("start"), 0, "no bad input starts a job");
}

#[tokio::test]
async fn unknown_malformed_and_forged_ids_are_not_found_without_asking_the_workflow() {
    let api = TestApi::with_config(&signed_config());
    for path in [
        "/messages/nope",
        "/messages/YWJj",
        "/messages/%FF%FE",
        "/messages/a%20b",
        "/messages/YWJj=",
        "/messages/..",
        &format!("/messages/{}", "A".repeat(5000)),
    ] {
        api.get(path).await.problem(StatusCode::NOT_FOUND);
    }
    assert_eq!(api.workflow_calls("poll"), 0);

    let accepted = api.post_json("{}").await;
    let location = accepted.location();
    let mut forged = location.clone().into_bytes();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    api.get(&forged).await.problem(StatusCode::NOT_FOUND);
    assert_eq!(
        api.workflow_calls("poll"),
        0,
        "a forged id never reaches the workflow"
    );
    let done = api.poll_until_final(&location).await;
    assert_eq!(done.json()["status"], "SUCCEEDED");
}

#[tokio::test]
async fn an_id_of_a_job_that_never_existed_is_not_found() {
    let api = TestApi::embedded();
    let never_started = "bmV2ZXItc3RhcnRlZA"; // base64url("never-started")
    api.get(&format!("/messages/{never_started}"))
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(api.workflow_calls("poll"), 1);
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_are_problems_too() {
    let api = TestApi::embedded();
    for path in ["/", "/message", "/messages/", "/messages/a/b", "/MESSAGES"] {
        api.send(request(Method::GET, path, &[], ""))
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    let response = api.send(request(Method::PUT, "/messages", &[], "")).await;
    response.problem(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("allow"), Some("POST"));

    let response = api
        .send(request(Method::PATCH, "/messages/abc", &[], ""))
        .await;
    response.problem(StatusCode::METHOD_NOT_ALLOWED);
    let allow = response.header("allow").unwrap();
    assert!(allow.contains("GET"), "{allow}");
}

#[tokio::test]
async fn the_api_answers_over_a_real_socket() {
    let api = TestApi::embedded();
    let server = serve(api.router.clone()).await;
    let mut stream = tokio::net::TcpStream::connect(server.address)
        .await
        .unwrap();
    let body = r#"{"audience": "socket"}"#;
    let request = format!(
        "POST /messages HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.address,
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 202 Accepted\r\n"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("\r\nlocation: /messages/"),
        "{answer}"
    );
}

fn signed_config() -> Config {
    Config::from_lookup(|name| (name == "TOKEN_SECRET").then(|| "an-http-test-secret".to_owned()))
        .unwrap()
}

/// A wait's answer came no sooner than `earliest` (the job could not have ended before) and
/// before `latest` (generous: the machine is shared).
fn assert_answered_between(answered_after: Duration, earliest: Duration, latest: Duration) {
    assert!(answered_after >= earliest, "{answered_after:?}");
    assert!(answered_after < latest, "{answered_after:?}");
}

/// A request that waits on the embedded engine is woken by the end, not by a read.
#[tokio::test]
async fn a_get_that_waits_is_answered_when_the_job_ends() {
    let api = TestApi::embedded_on_real_time();
    let submitted = Instant::now();
    let accepted = api.post_json(r#"{"delaySeconds": 1}"#).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.text());
    let polls_before = api.workflow_calls("poll");

    let done = api.get(&format!("{}?wait=3", accepted.location())).await;
    let answered_after = submitted.elapsed();
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.json()["status"], "SUCCEEDED", "{}", done.text());
    assert_answered_between(
        answered_after,
        Duration::from_millis(900),
        Duration::from_millis(1_500),
    );
    assert_eq!(
        api.workflow_calls("poll") - polls_before,
        1,
        "only the GET's own read: the wait itself reads nothing"
    );
}

#[tokio::test]
async fn a_post_that_prefers_to_wait_is_answered_when_the_job_ends() {
    let api = TestApi::embedded_on_real_time();
    let started = Instant::now();
    let done = api
        .send(request(
            Method::POST,
            "/messages",
            &[("content-type", "application/json"), ("prefer", "wait=3")],
            r#"{"audience": "soon", "delaySeconds": 1}"#,
        ))
        .await;
    let answered_after = started.elapsed();
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.json()["output"]["message"], "HELLO SOON!");
    assert_eq!(done.header("preference-applied"), Some("wait=3"));
    assert_answered_between(
        answered_after,
        Duration::from_millis(900),
        Duration::from_millis(1_500),
    );
}

#[tokio::test]
async fn a_one_second_wait_on_a_long_delayed_job_answers_running_after_about_a_second() {
    let api = TestApi::embedded_on_real_time();
    let accepted = api.post_json(r#"{"delaySeconds": 20}"#).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.text());
    let started = Instant::now();
    let still = api.get(&format!("{}?wait=1", accepted.location())).await;
    let answered_after = started.elapsed();
    assert_eq!(still.status, StatusCode::OK, "{}", still.text());
    assert_eq!(still.json()["status"], "RUNNING");
    assert!(still.header("retry-after").is_some());
    assert_answered_between(
        answered_after,
        Duration::from_millis(900),
        Duration::from_secs(3),
    );
    api.delete(&accepted.location()).await;
}
