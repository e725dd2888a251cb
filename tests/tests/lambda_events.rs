//! The Lambda handlers' routers invoked with API Gateway HTTP API (payload 2.0), REST API and
//! Function URL events, converted exactly as `lambda_http` converts them in Lambda.

use std::path::PathBuf;

use axum::http::StatusCode;
use integration::server::TestApi;
use serde_json::Value;
use shared::lambda::lambda_http::{self, Body, IntoResponse};
use shared::lambda::{LambdaService, service};
use shared::routes::{create_message_router, get_message_router};
use tower::ServiceExt;

const MAX_POLLS: usize = 1_000;

struct Lambdas {
    create: LambdaService,
    get: LambdaService,
}

impl Lambdas {
    /// Both functions over one backend, as both Lambdas share one state machine.
    fn new() -> Self {
        let api = TestApi::embedded();
        Self {
            create: service(create_message_router(api.state.clone())),
            get: service(get_message_router(api.state.clone())),
        }
    }
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
}

fn fixture(name: &str, job_id: Option<&str>) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/events")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    match job_id {
        Some(id) => text.replace("JOB_ID", id),
        None => text,
    }
}

async fn invoke(function: &LambdaService, event: &str) -> Answer {
    let request = lambda_http::request::from_str(event).expect("a valid Lambda HTTP event");
    let response = function.clone().oneshot(request).await.unwrap();
    // What the runtime does with the answer before API Gateway sees it.
    let response = IntoResponse::into_response(response).await;
    let status = response.status();
    let headers = response.headers().clone();
    let body = match response.into_body() {
        Body::Text(text) => serde_json::from_str(&text).unwrap(),
        Body::Binary(bytes) => panic!("a JSON answer went out as binary: {bytes:?}"),
        Body::Empty => Value::Null,
        _ => panic!("unexpected body kind"),
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn header<'a>(answer: &'a Answer, name: &str) -> &'a str {
    answer
        .headers
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

/// Submits with `post_event`, then polls with `get_event` until the job is done.
async fn run_job(
    lambdas: &Lambdas,
    post_event: &str,
    get_event: &str,
    expected_location_prefix: &str,
) -> Value {
    let accepted = invoke(&lambdas.create, &fixture(post_event, None)).await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED, "{}", accepted.body);
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        header(&accepted, "location"),
        format!("{expected_location_prefix}/messages/{id}")
    );
    assert_eq!(header(&accepted, "retry-after"), "1");

    for _ in 0..MAX_POLLS {
        let answer = invoke(&lambdas.get, &fixture(get_event, Some(&id))).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.body["id"], id.as_str());
        if answer.body["status"] != "RUNNING" {
            return answer.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("job {id} still RUNNING after {MAX_POLLS} polls");
}

#[tokio::test]
async fn http_api_payload_v2_events_run_a_job() {
    let done = run_job(
        &Lambdas::new(),
        "http-api-post.json",
        "http-api-get.json",
        "",
    )
    .await;
    assert_eq!(done["output"]["message"], "HELLO HTTP API!");
}

#[tokio::test]
async fn rest_api_events_with_a_stage_prefix_and_a_base64_body_run_a_job() {
    let done = run_job(
        &Lambdas::new(),
        "rest-api-post.json",
        "rest-api-get.json",
        "/prod",
    )
    .await;
    assert_eq!(done["output"]["message"], "HELLO REST!");
}

#[tokio::test]
async fn function_url_events_run_a_job() {
    let done = run_job(
        &Lambdas::new(),
        "function-url-post.json",
        "function-url-get.json",
        "",
    )
    .await;
    assert_eq!(done["output"]["message"], "HELLO FUNCTION URL!");
}

#[tokio::test]
async fn an_http_api_on_a_named_stage_routes_past_the_stage() {
    let lambdas = Lambdas::new();
    let accepted = invoke(&lambdas.create, &fixture("http-api-post.json", None)).await;
    let id = accepted.body["id"].as_str().unwrap().to_owned();
    let answer = invoke(
        &lambdas.get,
        &fixture("http-api-named-stage-get.json", Some(&id)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["id"], id.as_str());
}

#[tokio::test]
async fn errors_reach_api_gateway_as_problem_json_with_its_request_id() {
    let lambdas = Lambdas::new();
    let answer = invoke(
        &lambdas.get,
        &fixture("rest-api-get.json", Some("not-a-job")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(header(&answer, "content-type"), "application/problem+json");
    assert_eq!(answer.body["status"], 404);
    assert_eq!(
        answer.body["instance"], "8b2d4f60-71a9-4c3e-b5d2-1e6f8a0c9b24",
        "the API Gateway request id ties the answer to the logs"
    );
}

#[tokio::test]
async fn each_function_answers_only_its_own_route() {
    let lambdas = Lambdas::new();
    let answer = invoke(&lambdas.get, &fixture("http-api-post.json", None)).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = invoke(&lambdas.create, &fixture("http-api-get.json", Some("abc"))).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
}
