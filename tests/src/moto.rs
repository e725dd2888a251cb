//! A moto server of the test's own, on a free 127.0.0.1 port, killed by its pid when dropped.
//!
//! The server runs state machines for real (`execute_state_machine`), which moto only does when
//! told so before anything is created. Lambda functions do not run: an invocation answers with
//! the next result queued by [`MotoServer::queue_lambda_results`], else echoes its payload.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use aws_sdk_sfn::config::retry::RetryConfig;
use aws_sdk_sfn::config::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use serde_json::{Value, json};
use shared::aws_clients;

/// The account and region moto reports for dummy credentials.
pub const ACCOUNT_ID: &str = "123456789012";
pub const REGION: &str = "us-east-1";
/// moto does not check roles: any well-formed role ARN lets a state machine be created.
pub const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/messages-test";

const CONFIG: &str =
    r#"{"stepfunctions":{"execute_state_machine":true},"lambda":{"use_docker":false}}"#;
/// Generous: moto imports for a second or more, longer on a busy 2-core machine.
const START_DEADLINE: Duration = Duration::from_secs(60);
const START_ATTEMPTS: usize = 3;

pub struct MotoServer {
    child: Option<Child>,
    port: u16,
    log: PathBuf,
}

impl MotoServer {
    /// Starts moto on a free port and enables state machine execution. Panics, saying what to
    /// run, when moto is not installed.
    pub fn start() -> Self {
        let executable = moto_executable();
        let mut failures = Vec::new();
        // The port is free when chosen but could be taken before moto binds it: try again.
        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let mut server = Self {
                child: None,
                port,
                log: std::env::temp_dir().join(format!("moto-{port}.log")),
            };
            match server.launch(&executable) {
                Ok(()) => return server,
                Err(failure) => failures.push(failure),
            }
        }
        panic!("moto_server did not start: {}", failures.join("; "));
    }

    /// `http://127.0.0.1:PORT`
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A Step Functions client for this server, built without reading the environment.
    pub fn sfn_client(&self) -> aws_sdk_sfn::Client {
        aws_sdk_sfn::Client::from_conf(self.sfn_config().build())
    }

    /// The configuration behind [`Self::sfn_client`], for a test that needs other timeouts.
    pub fn sfn_config(&self) -> aws_sdk_sfn::config::Builder {
        aws_sdk_sfn::config::Builder::from(&self.sdk_config())
            .retry_config(retry_config())
            .timeout_config(timeout_config())
    }

    /// What a Lambda pointed at this server would load: its environment variables, through the
    /// same loader and HTTP client, with dummy credentials.
    pub fn sdk_config(&self) -> SdkConfig {
        let endpoint = self.endpoint();
        aws_clients::from_lookup(|name| match name {
            "AWS_REGION" => Some(REGION.to_owned()),
            "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" => Some("moto".to_owned()),
            "AWS_ENDPOINT_URL" => Some(endpoint.clone()),
            _ => None,
        })
        .expect("the region and credentials are all given")
    }

    /// A DynamoDB client for this server, built without reading the environment.
    pub fn dynamodb_client(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::from_conf(self.dynamodb_config().build())
    }

    /// The configuration behind [`Self::dynamodb_client`], for a test that needs other timeouts.
    pub fn dynamodb_config(&self) -> aws_sdk_dynamodb::config::Builder {
        aws_sdk_dynamodb::config::Builder::from(&self.sdk_config())
            .retry_config(retry_config())
            .timeout_config(timeout_config())
    }

    /// Queues the answers of the next Lambda invocations, whatever the function: moto's
    /// stand-in for code it cannot run. Each result is the function's JSON response.
    pub fn queue_lambda_results(&self, results: &[Value]) {
        let results: Vec<String> = results.iter().map(Value::to_string).collect();
        let body = json!({ "results": results, "region": REGION }).to_string();
        let status = post_json(self.port, "/moto-api/static/lambda-simple/response", &body)
            .unwrap_or_else(|err| panic!("queue Lambda results on {}: {err}", self.endpoint()));
        assert!(
            (200..300).contains(&status),
            "queue Lambda results: moto answered {status}"
        );
    }

    /// Kills the server (SIGKILL to its pid), as a crash would; everything it held is lost.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            // An error here means it has already exited, which is what we want.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes the server (SIGSTOP to its pid), as a hung host would: connections are accepted
    /// by the kernel but nothing answers, so calls end by timeout. Its state is kept.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// Lets a paused server run on, with everything it held.
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let child = self.child.as_ref().expect("moto_server is running");
        let status = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap_or_else(|err| panic!("kill {signal} {}: {err}", child.id()));
        assert!(
            status.success(),
            "kill {signal} {} failed: {status}",
            child.id()
        );
    }

    /// Kills the server if it runs and starts an empty one on the same port, so that clients
    /// built earlier reach the new one.
    pub fn restart(&mut self) {
        self.kill();
        let executable = moto_executable();
        if let Err(failure) = self.launch(&executable) {
            panic!(
                "moto_server did not restart on port {}: {failure}",
                self.port
            );
        }
    }

    fn launch(&mut self, executable: &PathBuf) -> Result<(), String> {
        let log = std::fs::File::create(&self.log)
            .map_err(|err| format!("cannot create {}: {err}", self.log.display()))?;
        let stderr = log
            .try_clone()
            .map_err(|err| format!("cannot share {}: {err}", self.log.display()))?;
        let child = Command::new(executable)
            .args(["-H", "127.0.0.1", "-p", &self.port.to_string()])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(stderr)
            .spawn()
            .map_err(|err| format!("cannot run {}: {err}", executable.display()))?;
        self.child = Some(child);
        match self.wait_until_configured() {
            Ok(()) => Ok(()),
            Err(failure) => {
                self.kill();
                // The log goes when the server is dropped: keep its end in the message.
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                let lines: Vec<&str> = log.lines().collect();
                let tail = lines[lines.len().saturating_sub(20)..].join("\n");
                Err(format!("{failure}; the end of its log:\n{tail}"))
            }
        }
    }

    fn wait_until_configured(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_DEADLINE;
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(format!("moto_server exited with {status}"));
            }
            match post_json(self.port, "/moto-api/config", CONFIG) {
                Ok(status) if (200..300).contains(&status) => return Ok(()),
                Ok(status) => return Err(format!("/moto-api/config answered {status}")),
                Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(100)),
                Err(err) => {
                    return Err(format!(
                        "no answer on port {} within {START_DEADLINE:?}: {err}",
                        self.port
                    ));
                }
            }
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// `$MOTO_SERVER`, else the one scripts/setup installs into `<repo>/.tools/venv`.
fn moto_executable() -> PathBuf {
    let installed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(".tools/venv/bin/moto_server");
    let executable = std::env::var_os("MOTO_SERVER").map_or(installed, PathBuf::from);
    assert!(
        executable.is_file(),
        "moto_server not found: run scripts/setup (looked for {})",
        executable.display()
    );
    executable
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// Talks to moto's own API by hand: a few tiny requests do not justify an HTTP client crate.
fn post_json(port: u16, path: &str, body: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    response
        .split_whitespace()
        .nth(1)
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:?}")))
}

/// One quick retry: enough for a busy moto, short enough that a dead one fails fast.
fn retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(2)
        .with_initial_backoff(Duration::from_millis(10))
}

fn timeout_config() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_timeout(Duration::from_secs(30))
        .build()
}
