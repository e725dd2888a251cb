//! Why a command could not do its job.

use std::process::ExitCode;

/// Exit code 2, `message` on stderr, and `stdout` (a JSON line) when the command still has
/// one to print, as `validate` does for an invalid definition.
pub struct Problem {
    pub message: String,
    pub stdout: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            stdout: None,
        }
    }

    /// Prints the problem and gives the exit code.
    pub fn report(self) -> ExitCode {
        if let Some(line) = &self.stdout {
            println!("{line}");
        }
        eprintln!("{}", self.message);
        ExitCode::from(2)
    }
}
