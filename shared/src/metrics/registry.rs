//! The counters and histograms, and their rendering as Prometheus text.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
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
    fn label(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RequestKey {
    route: String,
    method: String,
    status: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct CallKey {
    service: &'static str,
    operation: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum_seconds: f64,
}

impl Histogram {
    fn observe(&mut self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        for (bucket, bound) in self.buckets.iter_mut().zip(LATENCY_BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        self.count += 1;
        self.sum_seconds += seconds;
    }
}

#[derive(Debug, Default)]
struct Registry {
    requests: BTreeMap<RequestKey, u64>,
    calls: BTreeMap<CallKey, Histogram>,
    cache_lookups: BTreeMap<CacheLookup, u64>,
}

#[derive(Debug, Default)]
pub struct Metrics {
    registry: Mutex<Registry>,
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    fn registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        // Counters stay meaningful even if a thread panicked while holding the lock.
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn record_request(&self, route: &str, method: &str, status: u16) {
        let key = RequestKey {
            route: route.to_owned(),
            method: method.to_owned(),
            status,
        };
        *self.registry().requests.entry(key).or_default() += 1;
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
        self.registry()
            .calls
            .entry(key)
            .or_default()
            .observe(elapsed);
    }

    pub fn record_cache_lookup(&self, lookup: CacheLookup) {
        *self.registry().cache_lookups.entry(lookup).or_default() += 1;
    }

    /// How many `service.operation` calls were made, whatever their outcome.
    pub fn calls(&self, service: &str, operation: &str) -> u64 {
        self.registry()
            .calls
            .iter()
            .filter(|(key, _)| key.service == service && key.operation == operation)
            .map(|(_, histogram)| histogram.count)
            .sum()
    }

    /// The Prometheus text exposition format, version 0.0.4.
    pub fn render(&self) -> String {
        let registry = self.registry();
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = render_into(&registry, &mut out);
        out
    }
}

fn render_into(registry: &Registry, out: &mut String) -> std::fmt::Result {
    writeln!(
        out,
        "# HELP messages_http_requests_total HTTP requests answered, by route, method and status."
    )?;
    writeln!(out, "# TYPE messages_http_requests_total counter")?;
    for (key, count) in &registry.requests {
        writeln!(
            out,
            "messages_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {count}",
            escape(&key.route),
            escape(&key.method),
            key.status
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
    for (key, histogram) in &registry.calls {
        let labels = format!(
            "service=\"{}\",operation=\"{}\",outcome=\"{}\"",
            key.service, key.operation, key.outcome
        );
        for (count, bound) in histogram.buckets.iter().zip(LATENCY_BUCKETS) {
            writeln!(
                out,
                "messages_backend_call_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}"
            )?;
        }
        writeln!(
            out,
            "messages_backend_call_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
            histogram.count
        )?;
        writeln!(
            out,
            "messages_backend_call_duration_seconds_sum{{{labels}}} {}",
            histogram.sum_seconds
        )?;
        writeln!(
            out,
            "messages_backend_call_duration_seconds_count{{{labels}}} {}",
            histogram.count
        )?;
    }
    writeln!(
        out,
        "# HELP messages_cache_lookups_total Result cache reads, by result (hit, miss, error)."
    )?;
    writeln!(out, "# TYPE messages_cache_lookups_total counter")?;
    for (lookup, count) in &registry.cache_lookups {
        writeln!(
            out,
            "messages_cache_lookups_total{{result=\"{}\"}} {count}",
            lookup.label()
        )?;
    }
    Ok(())
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
    fn escapes_label_values() {
        let metrics = Metrics::new();
        metrics.record_request("a\"b\\c", "GET", 404);
        assert!(metrics.render().contains("route=\"a\\\"b\\\\c\""));
    }
}
