//! The counters and histograms, and their rendering as Prometheus text.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds: from a local call to a slow AWS one.
const LATENCY_BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CacheLookup {
    Hit,
    Miss,
    Error,
}

impl CacheLookup {
    /// In the order they are rendered; `as usize` is each one's index.
    const ALL: [Self; 3] = [Self::Hit, Self::Miss, Self::Error];

    fn label(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Error => "error",
        }
    }
}

/// Answers of one route, by method and status. Read-locked on every request, write-locked only
/// the first time a method and status combination is seen.
type RouteCounters = RwLock<HashMap<(&'static str, u16), AtomicU64>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct CallKey {
    service: &'static str,
    operation: &'static str,
    outcome: &'static str,
}

/// Counts per bucket (not cumulative: each observation touches one bucket), summed up when
/// rendered, so that observing is a few atomic additions and never waits for a lock.
#[derive(Debug, Default)]
struct Histogram {
    buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = LATENCY_BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .and_then(|index| self.buckets.get(index))
        {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.sum_nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The cumulative count at or below each bound, as Prometheus wants them.
    fn cumulative_buckets(&self) -> impl Iterator<Item = (u64, f64)> + '_ {
        self.buckets
            .iter()
            .zip(LATENCY_BUCKETS)
            .scan(0, |total, (bucket, bound)| {
                *total += bucket.load(Ordering::Relaxed);
                Some((*total, bound))
            })
    }

    fn sum_seconds(&self) -> f64 {
        Duration::from_nanos(self.sum_nanos.load(Ordering::Relaxed)).as_secs_f64()
    }
}

/// Every request passes through here, so the hot paths take read locks and add atomically:
/// requests on different threads never wait for each other, and a request of a route already
/// seen allocates nothing.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: RwLock<HashMap<String, RouteCounters>>,
    calls: RwLock<HashMap<CallKey, Histogram>>,
    cache_lookups: [AtomicU64; CacheLookup::ALL.len()],
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record_request(&self, route: &str, method: &'static str, status: u16) {
        let key = (method, status);
        if let Some(counters) = read(&self.requests).get(route)
            && let Some(count) = read(counters).get(&key)
        {
            count.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let mut routes = write(&self.requests);
        let counters = routes.entry(route.to_owned()).or_default();
        write(counters)
            .entry(key)
            .or_default()
            .fetch_add(1, Ordering::Relaxed);
    }

    pub fn record_call(
        &self,
        service: &'static str,
        operation: &'static str,
        outcome: &'static str,
        elapsed: Duration,
    ) {
        let key = CallKey {
            service,
            operation,
            outcome,
        };
        if let Some(histogram) = read(&self.calls).get(&key) {
            histogram.observe(elapsed);
            return;
        }
        write(&self.calls).entry(key).or_default().observe(elapsed);
    }

    pub fn record_cache_lookup(&self, lookup: CacheLookup) {
        self.cache_lookups[lookup as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// How many `service.operation` calls were made, whatever their outcome.
    pub fn calls(&self, service: &str, operation: &str) -> u64 {
        read(&self.calls)
            .iter()
            .filter(|(key, _)| key.service == service && key.operation == operation)
            .map(|(_, histogram)| histogram.count())
            .sum()
    }

    /// The Prometheus text exposition format, version 0.0.4.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) -> std::fmt::Result {
        writeln!(
            out,
            "# HELP messages_http_requests_total HTTP requests answered, by route, method and status."
        )?;
        writeln!(out, "# TYPE messages_http_requests_total counter")?;
        for (route, method, status, count) in self.request_counts() {
            writeln!(
                out,
                "messages_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {count}",
                escape(&route),
                escape(method),
            )?;
        }
        writeln!(
            out,
            "# HELP messages_backend_call_duration_seconds Workflow and cache calls, by operation and outcome."
        )?;
        writeln!(
            out,
            "# TYPE messages_backend_call_duration_seconds histogram"
        )?;
        let calls = read(&self.calls);
        let mut keys: Vec<&CallKey> = calls.keys().collect();
        keys.sort();
        for key in keys {
            let Some(histogram) = calls.get(key) else {
                continue;
            };
            write_histogram(out, key, histogram)?;
        }
        writeln!(
            out,
            "# HELP messages_cache_lookups_total Result cache reads, by result (hit, miss, error)."
        )?;
        writeln!(out, "# TYPE messages_cache_lookups_total counter")?;
        for lookup in CacheLookup::ALL {
            let count = self.cache_lookups[lookup as usize].load(Ordering::Relaxed);
            // A result never seen is not listed, like every other label combination.
            if count > 0 {
                writeln!(
                    out,
                    "messages_cache_lookups_total{{result=\"{}\"}} {count}",
                    lookup.label()
                )?;
            }
        }
        Ok(())
    }

    /// Every request counter, sorted by route, method and status so the page reads the same
    /// from one scrape to the next.
    fn request_counts(&self) -> Vec<(String, &'static str, u16, u64)> {
        let routes = read(&self.requests);
        let mut counts: Vec<_> = routes
            .iter()
            .flat_map(|(route, counters)| {
                read(counters)
                    .iter()
                    .map(|((method, status), count)| {
                        (
                            route.clone(),
                            *method,
                            *status,
                            count.load(Ordering::Relaxed),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        counts.sort_unstable();
        counts
    }
}

fn write_histogram(out: &mut String, key: &CallKey, histogram: &Histogram) -> std::fmt::Result {
    let labels = format!(
        "service=\"{}\",operation=\"{}\",outcome=\"{}\"",
        key.service, key.operation, key.outcome
    );
    // The total is read once, so `+Inf` and `_count` agree even while calls are being recorded.
    let count = histogram.count();
    for (cumulative, bound) in histogram.cumulative_buckets() {
        writeln!(
            out,
            "messages_backend_call_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
            cumulative.min(count)
        )?;
    }
    writeln!(
        out,
        "messages_backend_call_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}"
    )?;
    writeln!(
        out,
        "messages_backend_call_duration_seconds_sum{{{labels}}} {}",
        histogram.sum_seconds()
    )?;
    writeln!(
        out,
        "messages_backend_call_duration_seconds_count{{{labels}}} {count}"
    )
}

// Counters stay meaningful even if a thread panicked while holding a lock.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_requests_calls_and_lookups() {
        let metrics = Metrics::new();
        metrics.record_request("/messages/{id}", "GET", 200);
        metrics.record_request("/messages/{id}", "GET", 200);
        metrics.record_call("workflow", "poll", "ok", Duration::from_millis(20));
        metrics.record_cache_lookup(CacheLookup::Hit);
        let text = metrics.render();
        assert!(text.contains(
            "messages_http_requests_total{route=\"/messages/{id}\",method=\"GET\",status=\"200\"} 2\n"
        ));
        assert!(text.contains(
            "messages_backend_call_duration_seconds_bucket{service=\"workflow\",operation=\"poll\",outcome=\"ok\",le=\"0.01\"} 0\n"
        ));
        assert!(text.contains(
            "messages_backend_call_duration_seconds_bucket{service=\"workflow\",operation=\"poll\",outcome=\"ok\",le=\"0.025\"} 1\n"
        ));
        assert!(text.contains(
            "messages_backend_call_duration_seconds_count{service=\"workflow\",operation=\"poll\",outcome=\"ok\"} 1\n"
        ));
        assert!(text.contains("messages_cache_lookups_total{result=\"hit\"} 1\n"));
        assert_eq!(metrics.calls("workflow", "poll"), 1);
        assert_eq!(metrics.calls("workflow", "start"), 0);
    }

    #[test]
    fn histogram_buckets_are_cumulative() {
        let metrics = Metrics::new();
        metrics.record_call("cache", "get", "ok", Duration::from_millis(2));
        metrics.record_call("cache", "get", "ok", Duration::from_millis(20));
        metrics.record_call("cache", "get", "ok", Duration::from_secs(60));
        let text = metrics.render();
        let labels = "service=\"cache\",operation=\"get\",outcome=\"ok\"";
        for (bound, count) in [
            ("0.001", 0),
            ("0.005", 1),
            ("0.025", 2),
            ("10", 2),
            ("+Inf", 3),
        ] {
            let line = format!(
                "messages_backend_call_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}\n"
            );
            assert!(text.contains(&line), "{line} in {text}");
        }
        assert!(text.contains(&format!(
            "messages_backend_call_duration_seconds_sum{{{labels}}} 60.022\n"
        )));
    }

    #[test]
    fn lists_requests_in_route_method_status_order() {
        let metrics = Metrics::new();
        for (route, method, status) in [
            ("/messages/{id}", "GET", 404),
            ("/messages", "POST", 202),
            ("/messages/{id}", "DELETE", 200),
            ("/messages/{id}", "GET", 200),
            ("/messages/{id}", "GET", 200),
        ] {
            metrics.record_request(route, method, status);
        }
        let text = metrics.render();
        let lines: Vec<&str> = text
            .lines()
            .filter(|line| line.starts_with("messages_http_requests_total{"))
            .collect();
        assert_eq!(
            lines,
            [
                "messages_http_requests_total{route=\"/messages\",method=\"POST\",status=\"202\"} 1",
                "messages_http_requests_total{route=\"/messages/{id}\",method=\"DELETE\",status=\"200\"} 1",
                "messages_http_requests_total{route=\"/messages/{id}\",method=\"GET\",status=\"200\"} 2",
                "messages_http_requests_total{route=\"/messages/{id}\",method=\"GET\",status=\"404\"} 1",
            ]
        );
    }

    #[test]
    fn escapes_label_values() {
        let metrics = Metrics::new();
        metrics.record_request("a\"b\\c", "GET", 404);
        assert!(metrics.render().contains("route=\"a\\\"b\\\\c\""));
    }
}
