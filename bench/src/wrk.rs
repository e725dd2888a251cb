//! Runs wrk against a loopback URL and reads the JSON line its done() hook prints.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;

use crate::error::BenchError;

const REPORT_HOOK: &str = include_str!("scripts/report.lua");
pub const CYCLE_SCRIPT: &str = include_str!("scripts/cycle.lua");

#[derive(Debug, Clone)]
pub struct Load {
    pub wrk: PathBuf,
    pub connections: u32,
    pub threads: u32,
    pub duration: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct WrkResult {
    pub requests: u64,
    duration_us: u64,
    p50_us: u64,
    p99_us: u64,
    pub socket_errors: u64,
    pub status_errors: u64,
    /// Full job cycles counted by the cycle script; zero for the others.
    pub cycles: u64,
}

impl WrkResult {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.duration().as_secs_f64().max(f64::EPSILON)
    }

    pub fn cycles_per_second(&self) -> f64 {
        self.cycles as f64 / self.duration().as_secs_f64().max(f64::EPSILON)
    }

    pub fn p50(&self) -> Duration {
        Duration::from_micros(self.p50_us)
    }

    pub fn p99(&self) -> Duration {
        Duration::from_micros(self.p99_us)
    }

    fn duration(&self) -> Duration {
        Duration::from_micros(self.duration_us)
    }

    pub fn errors(&self) -> u64 {
        self.socket_errors + self.status_errors
    }
}

impl Load {
    /// Runs `script` (plus the reporting hook) against `url`; `name` names the script file.
    pub fn run(
        &self,
        url: &str,
        name: &str,
        script: &str,
        scratch: &Path,
    ) -> Result<WrkResult, BenchError> {
        if !url.starts_with("http://127.0.0.1:") {
            return Err(BenchError::Wrk(format!(
                "refusing to load {url}: loopback only"
            )));
        }
        let path = scratch.join(format!("{name}.lua"));
        std::fs::write(&path, format!("{script}\n{REPORT_HOOK}"))
            .map_err(BenchError::io(format!("write {}", path.display())))?;
        let output = Command::new(&self.wrk)
            .arg(format!("--threads={}", self.threads))
            .arg(format!("--connections={}", self.connections))
            .arg(format!("--duration={}s", self.duration.as_secs().max(1)))
            .arg("--timeout=5s")
            .arg(format!("--script={}", path.display()))
            .arg(url)
            .output()
            .map_err(BenchError::io(format!("run {}", self.wrk.display())))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Err(BenchError::Wrk(format!(
                "{} exited with {}: {}{}",
                self.wrk.display(),
                output.status,
                stdout,
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        parse(&stdout)
    }
}

fn parse(stdout: &str) -> Result<WrkResult, BenchError> {
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.starts_with('{'))
        .ok_or_else(|| BenchError::Wrk(format!("no summary line in its output: {stdout}")))?;
    serde_json::from_str(line).map_err(|error| BenchError::Wrk(format!("{error}: {line}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_line_after_wrks_own_output() {
        let stdout = "Running 5s test @ http://127.0.0.1:1/\n  2 threads\n\
            {\"requests\":1000,\"duration_us\":2000000,\"p50_us\":150,\"p99_us\":900,\
            \"socket_errors\":0,\"status_errors\":2,\"cycles\":40}\n";
        let result = parse(stdout).unwrap();
        assert_eq!(result.per_second(), 500.0);
        assert_eq!(result.cycles_per_second(), 20.0);
        assert_eq!(result.p99(), Duration::from_micros(900));
        assert_eq!(result.errors(), 2);
    }

    #[test]
    fn says_so_when_there_is_no_summary() {
        assert!(matches!(parse("boom"), Err(BenchError::Wrk(_))));
    }
}
