//! How long a request asks the server to wait for a final state: `?wait=N` (strict: part of the
//! resource's contract) or `Prefer: wait=N` (RFC 7240: a hint, so a bad one is ignored and a
//! long one shortened).

use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;

use crate::api::ApiError;
use crate::jobs::MAX_WAIT;

pub const PREFER: HeaderName = HeaderName::from_static("prefer");
pub const PREFERENCE_APPLIED: HeaderName = HeaderName::from_static("preference-applied");

#[derive(Debug, Default, Deserialize)]
pub struct WaitQuery {
    wait: Option<String>,
}

/// The wait a request asked for, and whether it came from `Prefer` (and so is acknowledged
/// with `Preference-Applied`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestedWait {
    pub duration: Duration,
    pub preferred: bool,
}

impl RequestedWait {
    pub fn preference_applied(&self) -> Option<HeaderValue> {
        if !self.preferred {
            return None;
        }
        HeaderValue::try_from(format!("wait={}", self.duration.as_secs())).ok()
    }
}

pub fn requested_wait(
    query: Option<&WaitQuery>,
    headers: &HeaderMap,
) -> Result<Option<RequestedWait>, ApiError> {
    if let Some(wait) = query.and_then(|query| query.wait.as_deref()) {
        let seconds = wait
            .parse::<u64>()
            .ok()
            .filter(|seconds| *seconds <= MAX_WAIT.as_secs())
            .ok_or_else(|| {
                ApiError::InvalidQuery(format!(
                    "wait must be a whole number of seconds from 0 to {}",
                    MAX_WAIT.as_secs()
                ))
            })?;
        return Ok(Some(RequestedWait {
            duration: Duration::from_secs(seconds),
            preferred: false,
        }));
    }
    Ok(preferred_wait(headers).map(|seconds| RequestedWait {
        duration: Duration::from_secs(seconds.min(MAX_WAIT.as_secs())),
        preferred: true,
    }))
}

/// The `wait` preference among all `Prefer` headers: `Prefer: respond-async, wait=10`.
fn preferred_wait(headers: &HeaderMap) -> Option<u64> {
    headers
        .get_all(PREFER)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|preference| {
            let preference = preference.split(';').next()?.trim();
            let (name, value) = preference.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("wait") {
                return None;
            }
            value.trim().trim_matches('"').parse::<u64>().ok()
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(wait: &str) -> WaitQuery {
        WaitQuery {
            wait: Some(wait.to_owned()),
        }
    }

    fn prefer(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(PREFER, HeaderValue::from_static(value));
        headers
    }

    fn seconds(wait: Option<RequestedWait>) -> Option<u64> {
        wait.map(|wait| wait.duration.as_secs())
    }

    #[test]
    fn no_wait_unless_asked() {
        assert_eq!(requested_wait(None, &HeaderMap::new()).unwrap(), None);
        assert_eq!(
            requested_wait(Some(&WaitQuery::default()), &HeaderMap::new()).unwrap(),
            None
        );
    }

    #[test]
    fn reads_the_query_strictly() {
        assert_eq!(
            seconds(requested_wait(Some(&query("0")), &HeaderMap::new()).unwrap()),
            Some(0)
        );
        assert_eq!(
            seconds(requested_wait(Some(&query("20")), &HeaderMap::new()).unwrap()),
            Some(20)
        );
        for bad in ["21", "-1", "1.5", "", "ten"] {
            assert!(
                matches!(
                    requested_wait(Some(&query(bad)), &HeaderMap::new()),
                    Err(ApiError::InvalidQuery(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn reads_prefer_leniently() {
        assert_eq!(
            seconds(requested_wait(None, &prefer("wait=5")).unwrap()),
            Some(5)
        );
        assert_eq!(
            seconds(requested_wait(None, &prefer("respond-async, Wait = \"7\"")).unwrap()),
            Some(7)
        );
        assert_eq!(
            seconds(requested_wait(None, &prefer("wait=600")).unwrap()),
            Some(20)
        );
        assert_eq!(requested_wait(None, &prefer("wait=soon")).unwrap(), None);
        assert_eq!(
            requested_wait(None, &prefer("return=minimal")).unwrap(),
            None
        );
        let wait = requested_wait(None, &prefer("wait=5")).unwrap().unwrap();
        assert_eq!(wait.preference_applied().unwrap(), "wait=5");
    }

    #[test]
    fn the_query_wins_over_prefer() {
        let wait = requested_wait(Some(&query("3")), &prefer("wait=9"))
            .unwrap()
            .unwrap();
        assert_eq!(wait.duration.as_secs(), 3);
        assert_eq!(wait.preference_applied(), None);
    }
}
