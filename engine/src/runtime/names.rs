//! Names of state machines and executions, as StartExecution and CreateStateMachine accept them.

use super::EngineError;

/// 1..=80 characters, none of them whitespace, brackets, wildcards, the punctuation AWS
/// forbids, or control characters.
pub fn validate(name: &str) -> Result<(), EngineError> {
    let length = name.chars().count();
    let forbidden = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '<' | '>'
                    | '{'
                    | '}'
                    | '['
                    | ']'
                    | '?'
                    | '*'
                    | '"'
                    | '#'
                    | '%'
                    | '\\'
                    | '^'
                    | '|'
                    | '~'
                    | '`'
                    | '$'
                    | '&'
                    | ','
                    | ';'
                    | ':'
                    | '/'
            )
    };
    if length == 0 || length > 80 || name.chars().any(forbidden) {
        return Err(EngineError::InvalidName(name.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in ["a", "job-1_2.x", "ünïcode", &"x".repeat(80)] {
            assert!(validate(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn rejects_bad_names() {
        for name in [
            "",
            "a b",
            "a:b",
            "a/b",
            "a*",
            "tab\there",
            "\u{7f}",
            &"x".repeat(81),
        ] {
            assert!(
                matches!(validate(name), Err(EngineError::InvalidName(_))),
                "{name}"
            );
        }
    }
}
