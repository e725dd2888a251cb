//! CORS for the browser page when it is served from another origin: only the configured origins,
//! and the headers a polling client must read (`Location`, `Retry-After`) exposed to it.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::messages::IDEMPOTENCY_KEY;
use super::request_id::REQUEST_ID_HEADER;
use super::wait::{PREFER, PREFERENCE_APPLIED};
use crate::config::CorsOrigins;

/// Browsers cache a preflight answer this long.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

pub fn layer(origins: &CorsOrigins) -> CorsLayer {
    let allow_origin = match origins {
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::Localhost => AllowOrigin::predicate(|origin, _| is_localhost(origin)),
        CorsOrigins::List(origins) => AllowOrigin::list(
            origins
                .iter()
                .filter_map(|origin| HeaderValue::from_str(origin).ok()),
        ),
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::HEAD, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            PREFER,
            IDEMPOTENCY_KEY,
        ])
        .expose_headers([
            header::LOCATION,
            header::RETRY_AFTER,
            REQUEST_ID_HEADER,
            PREFERENCE_APPLIED,
            HeaderName::from_static("content-location"),
        ])
        .max_age(PREFLIGHT_MAX_AGE)
}

fn is_localhost(origin: &HeaderValue) -> bool {
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => rest,
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_means_loopback_pages_on_any_port() {
        for origin in [
            "http://localhost",
            "http://localhost:5173",
            "https://127.0.0.1:8443",
            "http://[::1]:3000",
        ] {
            assert!(is_localhost(&HeaderValue::from_static(origin)), "{origin}");
        }
        for origin in [
            "http://localhost.evil.example",
            "http://evil.example:localhost",
            "https://example.com",
            "null",
            "http://127.0.0.1.nip.io",
            "file://localhost",
        ] {
            assert!(!is_localhost(&HeaderValue::from_static(origin)), "{origin}");
        }
    }
}
