//! The reliability contract end to end: idempotent submits, cancel, long-poll and the
//! synchronous submit, over the embedded engine.

use axum::http::{Method, StatusCode};
use integration::server::{TestApi, request};

fn post_with(headers: &[(&str, &str)], body: &str) -> axum::http::Request<axum::body::Body> {
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    request(Method::POST, "/messages", &all, body)
}

#[tokio::test]
async fn the_same_idempotency_key_and_body_give_the_same_job() {
    let api = TestApi::embedded();
    let key = [("idempotency-key", "order-42")];
    let first = api.send(post_with(&key, r#"{"audience": "once"}"#)).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.text());
    let id = first.json()["id"].as_str().unwrap().to_owned();
    api.poll_until_final(&first.location()).await;

    // After the job has finished, too: the key maps to the same execution.
    let again = api.send(post_with(&key, r#"{"audience": "once"}"#)).await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.text());
    assert_eq!(again.json()["id"], id.as_str());
    assert_eq!(again.json()["output"]["message"], "HELLO ONCE!");
    assert_eq!(again.header("location"), first.header("location"));
}

#[tokio::test]
async fn the_same_idempotency_key_with_another_body_is_a_422() {
    let api = TestApi::embedded();
    let key = [("idempotency-key", "order-43")];
    let first = api.send(post_with(&key, r#"{"audience": "one"}"#)).await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    api.poll_until_final(&first.location()).await;
    api.send(post_with(&key, r#"{"audience": "two"}"#))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn racing_duplicates_all_get_the_one_job() {
    let api = std::sync::Arc::new(TestApi::embedded_on_real_time());
    let submits = (0..16).map(|_| {
        let api = std::sync::Arc::clone(&api);
        tokio::spawn(async move {
            api.send(post_with(
                &[("idempotency-key", "race")],
                r#"{"audience": "race", "delaySeconds": 1}"#,
            ))
            .await
        })
    });
    let mut ids = std::collections::BTreeSet::new();
    for submit in submits {
        let response = submit.await.unwrap();
        assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.text());
        ids.insert(response.json()["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 1, "{ids:?}");
}

#[tokio::test]
async fn without_a_key_every_submit_is_a_new_job() {
    let api = TestApi::embedded();
    let first = api.post_json("{}").await.json()["id"].clone();
    let second = api.post_json("{}").await.json()["id"].clone();
    assert_ne!(first, second);
}

#[tokio::test]
async fn a_bad_idempotency_key_is_a_400() {
    let api = TestApi::embedded();
    let long = "k".repeat(256);
    for key in ["", " ", long.as_str()] {
        api.send(post_with(&[("idempotency-key", key)], "{}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
    assert_eq!(api.workflow_calls("start"), 0);
}

#[tokio::test]
async fn cancelling_a_running_job_aborts_it_and_cancelling_again_is_harmless() {
    let api = TestApi::embedded_on_real_time();
    let accepted = api
        .post_json(r#"{"audience": "never", "delaySeconds": 300}"#)
        .await;
    let location = accepted.location();
    for _ in 0..2 {
        let cancelled = api.delete(&location).await;
        assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
        assert_eq!(cancelled.json()["status"], "ABORTED");
    }
    assert_eq!(api.get(&location).await.json()["status"], "ABORTED");
}

#[tokio::test]
async fn cancelling_a_finished_job_keeps_its_result() {
    let api = TestApi::embedded();
    let accepted = api.post_json(r#"{"audience": "done"}"#).await;
    let location = accepted.location();
    api.poll_until_final(&location).await;
    let cancelled = api.delete(&location).await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert_eq!(cancelled.json()["status"], "SUCCEEDED");
    assert_eq!(cancelled.json()["output"]["message"], "HELLO DONE!");
}

#[tokio::test]
async fn cancelling_an_unknown_job_is_a_404() {
    let api = TestApi::embedded();
    api.delete("/messages/bmV2ZXItc3RhcnRlZA")
        .await
        .problem(StatusCode::NOT_FOUND);
    api.delete("/messages/not%20an%20id")
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_long_poll_answers_once_the_job_is_done() {
    let api = TestApi::embedded();
    let accepted = api.post_json(r#"{"audience": "patient"}"#).await;
    let location = accepted.location();
    let done = api.get(&format!("{location}?wait=20")).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.json()["status"], "SUCCEEDED");
    assert_eq!(done.json()["output"]["message"], "HELLO PATIENT!");

    let preferred = api
        .send(request(Method::GET, &location, &[("prefer", "wait=5")], ""))
        .await;
    assert_eq!(preferred.json()["status"], "SUCCEEDED");
    assert_eq!(preferred.header("preference-applied"), Some("wait=5"));
}

#[tokio::test]
async fn a_long_poll_returns_running_at_its_deadline() {
    let api = TestApi::embedded_on_real_time();
    let accepted = api.post_json(r#"{"delaySeconds": 300}"#).await;
    let location = accepted.location();
    let still = api.get(&format!("{location}?wait=1")).await;
    assert_eq!(still.status, StatusCode::OK);
    assert_eq!(still.json()["status"], "RUNNING");
    assert!(still.header("retry-after").is_some());
    api.delete(&location).await;
}

#[tokio::test]
async fn a_bad_wait_parameter_is_a_400() {
    let api = TestApi::embedded();
    let location = api.post_json("{}").await.location();
    for wait in ["21", "-1", "soon"] {
        api.get(&format!("{location}?wait={wait}"))
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn a_synchronous_submit_answers_200_with_the_result() {
    let api = TestApi::embedded();
    let response = api
        .send(post_with(
            &[("prefer", "wait=10")],
            r#"{"audience": "now"}"#,
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let body = response.json();
    assert_eq!(body["status"], "SUCCEEDED");
    assert_eq!(body["output"]["message"], "HELLO NOW!");
    assert_eq!(response.header("preference-applied"), Some("wait=10"));
    assert!(response.header("location").is_some());
}

#[tokio::test]
async fn a_synchronous_submit_that_runs_out_of_time_is_a_202() {
    let api = TestApi::embedded_on_real_time();
    let response = api
        .send(post_with(
            &[("prefer", "wait=1")],
            r#"{"delaySeconds": 300}"#,
        ))
        .await;
    assert_eq!(response.status, StatusCode::ACCEPTED, "{}", response.text());
    assert_eq!(response.json()["status"], "RUNNING");
    api.delete(&response.location()).await;
}

#[tokio::test]
async fn metrics_count_requests_calls_and_cache_hits() {
    let api = TestApi::embedded();
    let location = api.post_json("{}").await.location();
    api.poll_until_final(&location).await;
    api.get(&location).await;
    let text = api.state.metrics().render();
    assert!(
        text.contains(
            r#"messages_http_requests_total{route="/messages",method="POST",status="202"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"messages_cache_lookups_total{result="hit"} 1"#),
        "{text}"
    );
    assert!(text.contains(r#"operation="start",outcome="ok""#), "{text}");
}

#[tokio::test]
async fn a_synchronous_submit_of_a_delayed_job_answers_once_the_delay_is_over() {
    let api = TestApi::embedded_on_real_time();
    let response = api
        .send(post_with(
            &[("prefer", "wait=5")],
            r#"{"audience": "soon", "delaySeconds": 1}"#,
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json()["output"]["message"], "HELLO SOON!");
    assert!(
        api.workflow_calls("poll") <= 2,
        "slept through the delay instead of polling it"
    );
}

#[tokio::test]
async fn an_idempotency_key_still_finds_its_job_after_a_secret_rotation() {
    use integration::server::embedded_backend;
    use shared::config::Config;

    let secrets = |pairs: &'static [(&'static str, &'static str)]| {
        Config::from_lookup(|name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
        .unwrap()
    };
    let before = secrets(&[("TOKEN_SECRET", "the-old-secret-0000")]);
    let after = secrets(&[
        ("TOKEN_SECRET", "the-new-secret-1111"),
        ("TOKEN_SECRET_PREVIOUS", "the-old-secret-0000"),
    ]);
    // One engine behind both configurations, as one state machine behind a redeployment.
    let backend = embedded_backend(std::sync::Arc::new(asl::VirtualClock::new()));
    let shared_workflow = backend.workflow.clone();
    let old_api = TestApi::with_backend(backend, &before);
    let new_api = TestApi::with_backend(
        shared::routes::Backend {
            workflow: shared_workflow,
            cache: None,
        },
        &after,
    );

    let key = [("idempotency-key", "rotate-me")];
    let first = old_api
        .send(post_with(&key, r#"{"audience": "rotation"}"#))
        .await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    old_api.poll_until_final(&first.location()).await;

    let retried = new_api
        .send(post_with(&key, r#"{"audience": "rotation"}"#))
        .await;
    assert_eq!(retried.status, StatusCode::ACCEPTED, "{}", retried.text());
    assert_eq!(retried.json()["output"]["message"], "HELLO ROTATION!");
    assert_eq!(new_api.workflow_calls("start"), 0, "no second job");
    // The old id still answers on the new deployment.
    let old_id = first.header("location").unwrap();
    assert_eq!(new_api.get(old_id).await.json()["status"], "SUCCEEDED");
    new_api
        .send(post_with(&key, r#"{"audience": "other"}"#))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
}
