//! The API as the HTTP suites drive it: the real routes, over the embedded engine on a virtual
//! clock (so a job's Wait takes no wall time) and the memory cache. Requests go through the
//! router in-process; [`serve`] puts it on a real socket when a test needs one.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use asl::{Clock, RealClock, VirtualClock};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use shared::cache::memory::MemoryCache;
use shared::config::Config;
use shared::routes::{AppState, Backend, router};
use shared::workflow::embedded::EmbeddedWorkflow;
use tower::ServiceExt;

/// How often, and how many times, [`TestApi::poll_until_final`] asks before giving up.
const POLL_INTERVAL: Duration = Duration::from_millis(10);
const MAX_POLLS: usize = 1_000;

pub struct TestApi {
    pub state: AppState,
    pub router: Router,
}

impl TestApi {
    /// The default assembly: embedded engine, memory cache, unsigned ids.
    pub fn embedded() -> Self {
        Self::with_config(&Config::default())
    }

    pub fn with_config(config: &Config) -> Self {
        Self::with_backend(embedded_backend(Arc::new(VirtualClock::new())), config)
    }

    /// Waits take real time here: for jobs that must still be running when the test acts.
    pub fn embedded_on_real_time() -> Self {
        Self::with_backend(embedded_backend(Arc::new(RealClock)), &Config::default())
    }

    pub fn with_backend(backend: Backend, config: &Config) -> Self {
        let state = AppState::new(backend, config);
        Self {
            router: router(state.clone()),
            state,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        send(&self.router, request).await
    }

    pub async fn post_json(&self, body: &str) -> TestResponse {
        self.send(
            Request::post("/messages")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_owned()))
                .unwrap(),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.send(Request::delete(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// GETs `location` until the job is no longer RUNNING, as an obedient client would (but
    /// without honouring Retry-After, which the virtual clock makes moot).
    pub async fn poll_until_final(&self, location: &str) -> TestResponse {
        for _ in 0..MAX_POLLS {
            let response = self.get(location).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.text());
            if response.json()["status"] != "RUNNING" {
                return response;
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
        panic!("{location} was still RUNNING after {MAX_POLLS} polls");
    }

    /// How many `operation` calls ("start", "poll", "stop") reached the workflow.
    pub fn workflow_calls(&self, operation: &str) -> u64 {
        self.state.metrics().calls("workflow", operation)
    }
}

pub fn embedded_backend(clock: Arc<dyn Clock>) -> Backend {
    let workflow = EmbeddedWorkflow::messages(clock).expect("the messages state machine loads");
    Backend {
        workflow: Arc::new(workflow),
        cache: Some(Arc::new(MemoryCache::default())),
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> TestResponse {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    TestResponse {
        status,
        headers,
        body,
    }
}

/// A request with any method, path, headers and body, for the bad-input tables.
pub fn request(method: Method, path: &str, headers: &[(&str, &str)], body: &str) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|value| value.to_str().unwrap())
    }

    /// The job's URL from the `Location` header every accepted submit carries.
    pub fn location(&self) -> String {
        self.header("location")
            .unwrap_or_else(|| panic!("no Location header ({}): {}", self.status, self.text()))
            .to_owned()
    }

    /// Asserts an RFC 9457 problem document with `status`, and returns it.
    pub fn problem(&self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        let problem = self.json();
        assert_eq!(problem["status"], status.as_u16(), "{problem}");
        for member in ["type", "title", "detail", "instance"] {
            assert!(problem[member].is_string(), "no {member} in {problem}");
        }
        assert_eq!(
            problem["instance"].as_str(),
            self.header("x-request-id"),
            "instance is the request id"
        );
        problem
    }
}

/// The router on a real socket at 127.0.0.1 on a free port, until dropped.
pub struct RunningServer {
    pub address: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn serve(router: Router) -> RunningServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    RunningServer { address, task }
}

/// A minimal HTTP/1.1 client over one keep-alive connection: enough for the socket tests,
/// without pulling an HTTP client into the build.
pub struct HttpConnection {
    stream: tokio::io::BufReader<tokio::net::TcpStream>,
    host: String,
}

impl HttpConnection {
    pub async fn connect(address: SocketAddr) -> Self {
        let stream = tokio::net::TcpStream::connect(address).await.unwrap();
        stream.set_nodelay(true).unwrap();
        Self {
            stream: tokio::io::BufReader::new(stream),
            host: address.to_string(),
        }
    }

    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> TestResponse {
        use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let stream = self.stream.get_mut();
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body.as_bytes()).await.unwrap();

        let mut status_line = String::new();
        self.stream.read_line(&mut status_line).await.unwrap();
        let status = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .and_then(|code| StatusCode::from_u16(code).ok())
            .unwrap_or_else(|| panic!("not an HTTP status line: {status_line:?}"));
        let mut headers = HeaderMap::new();
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).await.unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.append(
                axum::http::HeaderName::from_bytes(name.trim().as_bytes()).unwrap(),
                value.trim().parse().unwrap(),
            );
        }
        let length: usize = headers
            .get(header::CONTENT_LENGTH)
            .map_or(0, |length| length.to_str().unwrap().parse().unwrap());
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await.unwrap();
        TestResponse {
            status,
            headers,
            body: Bytes::from(body),
        }
    }
}
