//! `asl validate`: a definition's diagnostics, as one JSON line.

use std::path::Path;

use asl::StateMachine;
use serde_json::json;

use crate::load::read;
use crate::problem::Problem;

pub fn validate(file: &Path) -> Result<String, Problem> {
    let text = read(file)?;
    match StateMachine::from_json(&text) {
        Ok(_) => Ok(json!({"result": "OK", "diagnostics": []}).to_string()),
        Err(invalid) => {
            let line = json!({"result": "FAIL", "diagnostics": invalid.diagnostics}).to_string();
            Err(Problem {
                message: invalid.to_string(),
                stdout: Some(line),
            })
        }
    }
}
