//! Names of state machines and executions, as CreateStateMachine and StartExecution accept
//! them: the same rule for both.

use std::fmt;

/// The most characters a name may have.
pub const MAX_NAME_CHARS: usize = 80;

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidName {
    /// Empty, or longer than [`MAX_NAME_CHARS`].
    #[error("must be 1 to 80 characters")]
    Length,
    /// Whitespace, a bracket, a wildcard, punctuation AWS forbids, or a control character.
    #[error("contains a forbidden character")]
    Character,
}

/// Checks a state machine or execution name: 1..=80 characters, none of them whitespace,
/// brackets, wildcards, the punctuation AWS forbids, or control characters.
pub fn check_name(name: &str) -> Result<(), InvalidName> {
    let length = name.chars().count();
    if length == 0 || length > MAX_NAME_CHARS {
        return Err(InvalidName::Length);
    }
    if name.chars().any(is_forbidden) {
        return Err(InvalidName::Character);
    }
    Ok(())
}

fn is_forbidden(c: char) -> bool {
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
}

/// An execution name that passed [`check_name`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExecutionName(String);

impl ExecutionName {
    /// Checks `name` and wraps it.
    pub fn parse(name: impl Into<String>) -> Result<Self, InvalidName> {
        let name = name.into();
        check_name(&name)?;
        Ok(Self(name))
    }

    /// A fresh, unguessable name, as StartExecution gives an execution started without one.
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExecutionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<ExecutionName> for String {
    fn from(name: ExecutionName) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_names() {
        for name in [
            "a",
            "job-1_2.x",
            "ünïcode",
            &"x".repeat(80),
            &"é".repeat(80),
        ] {
            assert_eq!(check_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_bad_lengths() {
        for name in ["", &"x".repeat(81)] {
            assert_eq!(check_name(name), Err(InvalidName::Length), "{name}");
        }
    }

    #[test]
    fn rejects_forbidden_characters() {
        for name in [
            "a b",
            "a:b",
            "a/b",
            "a*",
            "tab\there",
            "\u{7f}",
            "a\u{2003}b",
        ] {
            assert_eq!(check_name(name), Err(InvalidName::Character), "{name}");
        }
    }

    #[test]
    fn a_random_name_is_valid_and_new() {
        let (a, b) = (ExecutionName::random(), ExecutionName::random());
        assert_eq!(check_name(a.as_str()), Ok(()));
        assert_ne!(a, b);
    }
}
