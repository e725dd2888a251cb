//! Child processes the benchmarks start (moto, the servers, the Lambda bootstraps): each is
//! stopped by its own pid when its guard goes out of scope, whatever happened in between.

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::BenchError;

pub struct ChildGuard {
    name: String,
    child: Child,
    log: PathBuf,
}

impl ChildGuard {
    /// Spawns `command` with its output in `log`, so a failure can point at what it said.
    pub fn spawn(name: &str, mut command: Command, log: &Path) -> Result<Self, BenchError> {
        let out = File::create(log).map_err(BenchError::io(format!("create {}", log.display())))?;
        let err = out
            .try_clone()
            .map_err(BenchError::io(format!("reopen {}", log.display())))?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(BenchError::io(format!("start {name}")))?;
        Ok(Self {
            name: name.to_owned(),
            child,
            log: log.to_owned(),
        })
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits until `ready` holds, failing early if the process exits.
    pub fn wait_until(
        &mut self,
        timeout: Duration,
        mut ready: impl FnMut() -> bool,
    ) -> Result<(), BenchError> {
        let deadline = Instant::now() + timeout;
        loop {
            if ready() {
                return Ok(());
            }
            if !self.is_running() {
                return Err(BenchError::Exited(format!(
                    "{} (log: {})",
                    self.name,
                    self.log.display()
                )));
            }
            if Instant::now() > deadline {
                return Err(BenchError::NotReady {
                    what: self.name.clone(),
                    seconds: timeout.as_secs(),
                    log: self.log.display().to_string(),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        // Kill only what we started, by its pid; reap it so no zombie outlives the run.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> Result<u16, BenchError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(BenchError::io("find a free port"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(BenchError::io("find a free port"))
}

pub fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}
