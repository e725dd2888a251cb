//! `--data-dir`: the server binary is killed with SIGKILL mid-run and started again on the same
//! directory; every job it accepted still answers and completes with the right result.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

const MAX_POLLS: usize = 1_200;

struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(data_dir: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["--port", "0", "--data-dir"])
            .arg(data_dir)
            .env("HOST", "127.0.0.1")
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        let stdout = child.stdout.take().unwrap();
        let (found, address) = mpsc::channel();
        // Keeps draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(start) = line.find("http://") {
                    let url: String = line[start + 7..]
                        .chars()
                        .take_while(|c| !c.is_whitespace() && *c != '\u{1b}')
                        .collect();
                    let _ = found.send(url);
                }
            }
        });
        let address = address
            .recv_timeout(Duration::from_secs(60))
            .expect("the server logs its URL");
        Self { child, address }
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    fn request(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        self.request_with(method, path, "", body)
    }

    fn keyed(&self, key: &str, body: &str) -> (u16, Value) {
        self.request_with(
            "POST",
            "/messages",
            &format!("Idempotency-Key: {key}\r\n"),
            body,
        )
    }

    fn request_with(&self, method: &str, path: &str, headers: &str, body: &str) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
            self.address,
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let status = answer[9..12].parse().unwrap();
        let body = answer.split_once("\r\n\r\n").unwrap().1;
        (status, serde_json::from_str(body).unwrap_or(Value::Null))
    }

    fn submit(&self, body: &str) -> String {
        let (status, job) = self.request("POST", "/messages", body);
        assert_eq!(status, 202, "{job}");
        job["id"].as_str().unwrap().to_owned()
    }

    fn wait_for(&self, id: &str) -> Value {
        for _ in 0..MAX_POLLS {
            let (status, job) = self.request("GET", &format!("/messages/{id}"), "");
            assert_eq!(status, 200, "{job}");
            if job["status"] != "RUNNING" {
                return job;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("job {id} still running after {MAX_POLLS} polls");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fresh_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "messages-data-{}-{}",
        std::process::id(),
        unique_suffix()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn unique_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A job killed in its Wait ends at the deadline it had: never before it, and before a whole
/// new delay counted from the restart (which is when a job started again from scratch would
/// end at the earliest).
fn assert_finished_at_its_deadline(
    job: &Value,
    submitted_ms: u64,
    delay_ms: u64,
    restarted_ms: u64,
) {
    let created_at = job["output"]["createdAt"].as_u64().unwrap();
    assert!(
        created_at >= submitted_ms + delay_ms,
        "created at {created_at}, before its deadline {}",
        submitted_ms + delay_ms
    );
    assert!(
        created_at < restarted_ms + delay_ms,
        "created at {created_at}: the whole {delay_ms} ms delay ran again after the restart at {restarted_ms}"
    );
}

#[test]
fn jobs_survive_a_kill_and_a_restart() {
    let dir = fresh_dir();
    let server = Server::start(&dir);
    let finished = server.submit(r#"{"audience": "before"}"#);
    let before = server.wait_for(&finished);
    assert_eq!(before["output"]["message"], "HELLO BEFORE!");
    let submitted_ms = now_ms();
    let short = server.submit(r#"{"audience": "short", "delaySeconds": 3}"#);
    let long = server.submit(r#"{"audience": "long", "delaySeconds": 30}"#);
    let (status, keyed) = server.keyed("order-1", r#"{"audience": "keyed"}"#);
    assert_eq!(status, 202);
    let keyed_id = keyed["id"].clone();
    server.wait_for(keyed_id.as_str().unwrap());
    let (_, running) = server.request("GET", &format!("/messages/{short}"), "");
    assert_eq!(running["status"], "RUNNING");
    server.kill();
    // Down for longer than the short job's delay: it is due by the time the server is back.
    std::thread::sleep(Duration::from_secs(4));

    let restarted_ms = now_ms();
    let server = Server::start(&dir);
    assert_eq!(
        server.wait_for(&finished),
        before,
        "a finished job keeps its result"
    );
    let short = server.wait_for(&short);
    assert_eq!(short["output"]["message"], "HELLO SHORT!");
    assert_finished_at_its_deadline(&short, submitted_ms, 3_000, restarted_ms);
    let long = server.wait_for(&long);
    assert_eq!(long["output"]["message"], "HELLO LONG!");
    assert_finished_at_its_deadline(&long, submitted_ms, 30_000, restarted_ms);
    let (status, _) = server.request("GET", "/messages/bmV2ZXItc3RhcnRlZA", "");
    assert_eq!(status, 404);
    // An idempotency key used before the restart still maps to its job and its body.
    let (status, again) = server.keyed("order-1", r#"{"audience": "keyed"}"#);
    assert_eq!(status, 202);
    assert_eq!(again["id"], keyed_id);
    assert_eq!(server.keyed("order-1", r#"{"audience": "other"}"#).0, 422);
    server.kill();
    let _ = std::fs::remove_dir_all(&dir);
}
