//! The counters and histograms, kept and rendered by the `metrics` ecosystem's Prometheus
//! exporter. Each [`Metrics`] has a recorder of its own rather than the process-wide one, so that
//! every application (and every test) counts apart.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use metrics::{Counter, Histogram, Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusRecorder};

use super::exposition::{self, Family};

const REQUESTS: Family = Family {
    name: "messages_http_requests_total",
    help: "HTTP requests answered, by route, method and status.",
    kind: "counter",
};
const CALLS: Family = Family {
    name: "messages_backend_call_duration_seconds",
    help: "Workflow and cache calls, by operation and outcome.",
    kind: "histogram",
};
const CACHE_LOOKUPS: Family = Family {
    name: "messages_cache_lookups_total",
    help: "Result cache reads, by result (hit, miss, error).",
    kind: "counter",
};
/// In the order the page lists them.
const FAMILIES: [Family; 3] = [REQUESTS, CALLS, CACHE_LOOKUPS];

/// Upper bounds of the latency buckets, in seconds: from a local call to a slow AWS one.
const LATENCY_BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The recorder keeps histogram samples until an upkeep sorts them into buckets. One every so
/// many calls bounds that memory without a background task: a Lambda never renders its page.
const CALLS_PER_UPKEEP: u64 = 1024;

static METADATA: Metadata<'static> =
    Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CacheLookup {
    Hit,
    Miss,
    Error,
}

impl CacheLookup {
    /// `as usize` is each one's index.
    const ALL: [Self; 3] = [Self::Hit, Self::Miss, Self::Error];

    fn label(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct CallKey {
    service: &'static str,
    operation: &'static str,
    outcome: &'static str,
}

/// Answers of one route, by method and status.
type RouteCounters = HashMap<(&'static str, u16), Counter>;

/// Every request passes through here. The exporter's handles are kept once registered, behind
/// read locks: registering builds and hashes a metric key, and a request of a route already
/// seen should neither allocate nor wait for another thread.
pub struct Metrics {
    recorder: PrometheusRecorder,
    requests: RwLock<HashMap<String, RouteCounters>>,
    calls: RwLock<HashMap<CallKey, Histogram>>,
    calls_since_upkeep: AtomicU64,
    cache_lookups: [OnceLock<Counter>; CacheLookup::ALL.len()],
}

impl Default for Metrics {
    fn default() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(CALLS.name.to_owned()), &LATENCY_BUCKETS)
            .map(PrometheusBuilder::build_recorder)
            // Only an empty list of buckets is refused.
            .expect("the latency buckets are not empty");
        Self {
            recorder,
            requests: RwLock::default(),
            calls: RwLock::default(),
            calls_since_upkeep: AtomicU64::new(0),
            cache_lookups: Default::default(),
        }
    }
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record_request(&self, route: &str, method: &'static str, status: u16) {
        let key = (method, status);
        if let Some(counter) = read(&self.requests)
            .get(route)
            .and_then(|counters| counters.get(&key))
        {
            counter.increment(1);
            return;
        }
        let mut routes = write(&self.requests);
        routes
            .entry(route.to_owned())
            .or_default()
            .entry(key)
            .or_insert_with(|| {
                self.recorder.register_counter(
                    &Key::from_parts(
                        REQUESTS.name,
                        vec![
                            Label::new("route", route.to_owned()),
                            Label::from_static_parts("method", method),
                            Label::new("status", status.to_string()),
                        ],
                    ),
                    &METADATA,
                )
            })
            .increment(1);
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
        let seconds = elapsed.as_secs_f64();
        if let Some(histogram) = read(&self.calls).get(&key) {
            histogram.record(seconds);
        } else {
            write(&self.calls)
                .entry(key)
                .or_insert_with(|| {
                    self.recorder.register_histogram(
                        &Key::from_parts(
                            CALLS.name,
                            vec![
                                Label::from_static_parts("service", service),
                                Label::from_static_parts("operation", operation),
                                Label::from_static_parts("outcome", outcome),
                            ],
                        ),
                        &METADATA,
                    )
                })
                .record(seconds);
        }
        if self.calls_since_upkeep.fetch_add(1, Ordering::Relaxed) % CALLS_PER_UPKEEP
            == CALLS_PER_UPKEEP - 1
        {
            self.recorder.handle().run_upkeep();
        }
    }

    pub fn record_cache_lookup(&self, lookup: CacheLookup) {
        // A result never seen is not registered, so it is not listed, like every other label
        // combination.
        self.cache_lookups[lookup as usize]
            .get_or_init(|| {
                self.recorder.register_counter(
                    &Key::from_parts(
                        CACHE_LOOKUPS.name,
                        vec![Label::from_static_parts("result", lookup.label())],
                    ),
                    &METADATA,
                )
            })
            .increment(1);
    }

    /// How many `service.operation` calls were made, whatever their outcome.
    pub fn calls(&self, service: &str, operation: &str) -> u64 {
        let count_line = format!("{}_count{{", CALLS.name);
        let labels = format!("service=\"{service}\",operation=\"{operation}\",");
        self.render()
            .lines()
            .filter_map(|line| line.strip_prefix(&count_line))
            .filter(|rest| rest.starts_with(&labels))
            .filter_map(|rest| rest.rsplit_once(' ')?.1.parse::<u64>().ok())
            .sum()
    }

    /// The Prometheus text exposition format, version 0.0.4, in the same order from one scrape
    /// to the next.
    pub fn render(&self) -> String {
        exposition::in_order(&self.recorder.handle().render(), &FAMILIES)
    }
}

// Counters stay meaningful even if a thread panicked while holding a lock.
fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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
