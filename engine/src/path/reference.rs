//! Reference paths: `$` followed by names and indexes only, so they address exactly one node.
//! They are read and written by hand: faster than a JSONPath engine, and writes create the
//! missing objects on the way (ResultPath semantics).

use std::fmt;

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Name(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePath {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotAReferencePath(pub &'static str);

impl ReferencePath {
    /// The path `$`.
    pub fn root() -> Self {
        Self {
            segments: Vec::new(),
        }
    }

    pub fn parse(text: &str) -> Result<Self, NotAReferencePath> {
        let rest = text
            .strip_prefix('$')
            .ok_or(NotAReferencePath("a path must start with '$'"))?;
        let mut segments = Vec::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            match c {
                '.' => {
                    let mut name = String::new();
                    while let Some(&(_, c)) = chars.peek() {
                        if c == '.' || c == '[' {
                            break;
                        }
                        if !is_name_char(c) {
                            return Err(NotAReferencePath(
                                "a name holds a character that only a JSONPath query may use",
                            ));
                        }
                        name.push(c);
                        chars.next();
                    }
                    if name.is_empty() {
                        return Err(NotAReferencePath("a '.' must be followed by a name"));
                    }
                    segments.push(Segment::Name(name));
                }
                '[' => {
                    let segment = match chars.peek().map(|&(_, c)| c) {
                        Some(quote @ ('\'' | '"')) => {
                            chars.next();
                            let mut name = String::new();
                            loop {
                                match chars.next() {
                                    Some((_, '\\')) => match chars.next() {
                                        Some((_, escaped)) => name.push(escaped),
                                        None => return Err(NotAReferencePath("unterminated name")),
                                    },
                                    Some((_, c)) if c == quote => break,
                                    Some((_, c)) => name.push(c),
                                    None => return Err(NotAReferencePath("unterminated name")),
                                }
                            }
                            Segment::Name(name)
                        }
                        _ => {
                            let mut digits = String::new();
                            while let Some(&(_, c)) = chars.peek() {
                                if !c.is_ascii_digit() {
                                    break;
                                }
                                digits.push(c);
                                chars.next();
                            }
                            let index = digits.parse().map_err(|_| {
                                NotAReferencePath("an index must be a non-negative integer")
                            })?;
                            Segment::Index(index)
                        }
                    };
                    match chars.next() {
                        Some((_, ']')) => segments.push(segment),
                        _ => return Err(NotAReferencePath("a '[' must be closed by ']'")),
                    }
                }
                _ => return Err(NotAReferencePath("expected '.' or '['")),
            }
        }
        Ok(Self { segments })
    }

    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub fn get<'a>(&self, value: &'a Value) -> Option<&'a Value> {
        self.segments
            .iter()
            .try_fold(value, |node, segment| match segment {
                Segment::Name(name) => node.as_object()?.get(name),
                Segment::Index(index) => node.as_array()?.get(*index),
            })
    }

    /// Places `value` at this path inside `target`, creating missing objects; fails when the
    /// path runs through something that is not an object (or an array, for an index).
    pub fn set(&self, target: Value, value: Value) -> Result<Value, SetError> {
        if self.segments.is_empty() {
            return Ok(value);
        }
        let mut target = target;
        let mut node = &mut target;
        for (position, segment) in self.segments.iter().enumerate() {
            let last = position + 1 == self.segments.len();
            node = match segment {
                Segment::Name(name) => {
                    let object = match node {
                        Value::Object(object) => object,
                        other => {
                            return Err(SetError {
                                step: name.clone(),
                                found: other.clone(),
                            });
                        }
                    };
                    if last {
                        object.insert(name.clone(), value);
                        return Ok(target);
                    }
                    object
                        .entry(name.clone())
                        .or_insert_with(|| Value::Object(Map::new()))
                }
                Segment::Index(index) => {
                    let items = match node {
                        Value::Array(items) => items,
                        other => {
                            return Err(SetError {
                                step: index.to_string(),
                                found: other.clone(),
                            });
                        }
                    };
                    if *index >= items.len() {
                        return Err(SetError {
                            step: index.to_string(),
                            found: Value::Array(items.clone()),
                        });
                    }
                    let slot = &mut items[*index];
                    if last {
                        *slot = value;
                        return Ok(target);
                    }
                    slot
                }
            };
        }
        Ok(target)
    }
}

fn is_name_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '.' | '['
                | ']'
                | '*'
                | '?'
                | '@'
                | ','
                | ':'
                | '('
                | ')'
                | '\''
                | '"'
                | '$'
                | '='
                | '!'
                | '<'
                | '>'
                | '&'
                | '|'
        )
}

/// Why a value could not be written at a reference path.
#[derive(Debug, Clone, PartialEq)]
pub struct SetError {
    pub step: String,
    pub found: Value,
}

impl fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.segments {
            match segment {
                Segment::Name(name) => write!(f, "['{}']", name.replace('\'', "\\'"))?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn parses_names_brackets_and_indexes() {
        let path = ReferencePath::parse("$.a['b c'][2].delivery-partner").unwrap();
        assert_eq!(
            path.segments(),
            &[
                Segment::Name("a".into()),
                Segment::Name("b c".into()),
                Segment::Index(2),
                Segment::Name("delivery-partner".into()),
            ]
        );
    }

    #[test]
    fn refuses_query_syntax() {
        for text in [
            "$.a.*",
            "$..a",
            "$.a[?(@.b)]",
            "$.a[1:2]",
            "a.b",
            "$.",
            "$.a[x]",
        ] {
            assert!(ReferencePath::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn reads_nested_values() {
        let value = json!({"a": {"b": [1, {"c": true}]}});
        let path = ReferencePath::parse("$.a.b[1].c").unwrap();
        assert_eq!(path.get(&value), Some(&json!(true)));
        assert_eq!(ReferencePath::parse("$.a.x").unwrap().get(&value), None);
    }

    #[test]
    fn writing_creates_missing_objects() {
        let path = ReferencePath::parse("$.a.b.c").unwrap();
        assert_eq!(
            path.set(json!({"x": 1}), json!(2)).unwrap(),
            json!({"x": 1, "a": {"b": {"c": 2}}})
        );
    }

    #[test]
    fn writing_through_a_scalar_fails() {
        let path = ReferencePath::parse("$.a.b").unwrap();
        let error = path.set(json!({"a": "text"}), json!(1)).unwrap_err();
        assert_eq!(error.step, "b");
        assert_eq!(error.found, json!("text"));
    }

    #[test]
    fn writing_the_root_replaces_everything() {
        assert_eq!(
            ReferencePath::root()
                .set(json!({"a": 1}), json!([1]))
                .unwrap(),
            json!([1])
        );
    }
}
