//! A small blocking HTTP/1.1 client for the few set-up calls the benchmarks make (configure
//! moto, create a job, wait for a server). The load itself comes from wrk or the SDK.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::error::BenchError;

const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

pub fn get(address: SocketAddr, path: &str) -> Result<Response, BenchError> {
    send(address, "GET", path, None)
}

pub fn post_json(address: SocketAddr, path: &str, body: &str) -> Result<Response, BenchError> {
    send(address, "POST", path, Some(body))
}

fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<Response, BenchError> {
    let what = format!("{method} http://{address}{path}");
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT)
        .map_err(BenchError::io(format!("connect for {what}")))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(BenchError::io(format!("set a timeout for {what}")))?;
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        request.push_str("\r\n");
    }
    stream
        .write_all(request.as_bytes())
        .map_err(BenchError::io(format!("send {what}")))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(BenchError::io(format!("read the answer to {what}")))?;
    parse(&raw).ok_or_else(|| BenchError::Http {
        what,
        detail: format!(
            "not an HTTP/1.1 response: {:?}",
            String::from_utf8_lossy(&raw)
        ),
    })
}

fn parse(raw: &[u8]) -> Option<Response> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut response = Response {
        status,
        headers,
        body: body.to_owned(),
    };
    if response
        .header("transfer-encoding")
        .is_some_and(|encoding| encoding.eq_ignore_ascii_case("chunked"))
    {
        response.body = dechunk(body)?;
    }
    Some(response)
}

fn dechunk(mut body: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n")?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(rest.get(..size)?);
        body = rest.get(size..)?.strip_prefix("\r\n")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_headers_and_body() {
        let response =
            parse(b"HTTP/1.1 202 Accepted\r\nLocation: /messages/abc\r\nRetry-After: 1\r\n\r\n{}")
                .unwrap();
        assert_eq!(response.status, 202);
        assert_eq!(response.header("location"), Some("/messages/abc"));
        assert_eq!(response.header("RETRY-AFTER"), Some("1"));
        assert_eq!(response.body, "{}");
    }

    #[test]
    fn joins_a_chunked_body() {
        let response = parse(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n",
        )
        .unwrap();
        assert_eq!(response.body, "{\"a\":1}");
    }

    #[test]
    fn refuses_what_is_not_http() {
        assert_eq!(parse(b"garbage"), None);
    }
}
