//! Latency samples and throughput, summarised the same way for every side of a comparison.

use std::time::Duration;

/// What one load loop measured: how many operations completed, in how long, and each one's
/// latency.
#[derive(Debug, Clone)]
pub struct Samples {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Samples {
    pub fn new(mut latencies: Vec<Duration>, elapsed: Duration) -> Self {
        latencies.sort_unstable();
        Self { latencies, elapsed }
    }

    pub fn count(&self) -> usize {
        self.latencies.len()
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// Nearest-rank percentile; zero when nothing was measured.
    pub fn percentile(&self, percent: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = (percent / 100.0 * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }

    /// Merges runs of the same loop, adding their times.
    pub fn merge(runs: impl IntoIterator<Item = Samples>) -> Self {
        let (mut latencies, mut elapsed) = (Vec::new(), Duration::ZERO);
        for run in runs {
            latencies.extend(run.latencies);
            elapsed += run.elapsed;
        }
        Self::new(latencies, elapsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let samples = Samples::new(ms(&[5, 1, 4, 2, 3, 6, 7, 8, 9, 10]), Duration::from_secs(2));
        assert_eq!(samples.percentile(50.0), Duration::from_millis(5));
        assert_eq!(samples.percentile(99.0), Duration::from_millis(10));
        assert_eq!(samples.percentile(0.0), Duration::from_millis(1));
        assert_eq!(samples.per_second(), 5.0);
    }

    #[test]
    fn nothing_measured_is_zero_not_a_panic() {
        let samples = Samples::new(Vec::new(), Duration::ZERO);
        assert_eq!(samples.percentile(99.0), Duration::ZERO);
        assert_eq!(samples.per_second(), 0.0);
    }

    #[test]
    fn merged_runs_add_counts_and_times() {
        let merged = Samples::merge([
            Samples::new(ms(&[1, 2]), Duration::from_secs(1)),
            Samples::new(ms(&[3, 4]), Duration::from_secs(1)),
        ]);
        assert_eq!(merged.count(), 4);
        assert_eq!(merged.per_second(), 2.0);
        assert_eq!(merged.percentile(100.0), Duration::from_millis(4));
    }
}
