//! Paths as the States Language uses them: `$` addresses the state's input, `$$` the context
//! object, `$name` a variable. A path of names and indexes selects one value (missing -> not found); anything else
//! (wildcards, slices, filters, `..`) is a JSONPath query that selects a list.

mod reference;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

pub use reference::ReferencePath;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSONPath '{path}': {reason}")]
pub struct InvalidPath {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Root {
    Input,
    Context,
    Variable(String),
}

/// The documents a path can address.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
    pub variables: &'a Map<String, Value>,
}

#[derive(Debug, Clone)]
enum Selector {
    Single(ReferencePath),
    Query(JsonPath),
}

#[derive(Debug, Clone)]
pub struct Path {
    text: String,
    root: Root,
    selector: Selector,
}

impl Path {
    pub fn parse(text: &str) -> Result<Self, InvalidPath> {
        let invalid = |reason: &str| InvalidPath {
            path: text.to_owned(),
            reason: reason.to_owned(),
        };
        let (root, relative) = match text.strip_prefix("$$") {
            Some(rest) => (Root::Context, format!("${rest}")),
            None => match text.strip_prefix('$') {
                Some(rest) if rest.is_empty() || rest.starts_with(['.', '[']) => {
                    (Root::Input, text.to_owned())
                }
                Some(rest) => {
                    let end = rest.find(['.', '[']).unwrap_or(rest.len());
                    let name = &rest[..end];
                    if !is_variable_name(name) {
                        return Err(invalid(
                            "a variable name may hold only letters, digits and '_'",
                        ));
                    }
                    (
                        Root::Variable(name.to_owned()),
                        format!("${}", &rest[end..]),
                    )
                }
                None => return Err(invalid("a path must start with '$' or '$$'")),
            },
        };
        if relative.contains(".length()") || relative.contains("=~") || relative.contains("[(") {
            return Err(invalid("Jayway JSONPath extensions are not supported"));
        }
        let selector = match ReferencePath::parse(&relative) {
            Ok(reference) => Selector::Single(reference),
            Err(_) => {
                let query = JsonPath::parse(&quote_unusual_names(&relative))
                    .map_err(|error| invalid(&error.to_string()))?;
                Selector::Query(query)
            }
        };
        Ok(Self {
            text: text.to_owned(),
            root,
            selector,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The reference path behind a single-value path on the state's input, if it is one.
    pub fn as_reference(&self) -> Option<&ReferencePath> {
        match (&self.selector, &self.root) {
            (Selector::Single(reference), Root::Input) => Some(reference),
            _ => None,
        }
    }

    /// The document this path reads, for error messages that quote it.
    pub fn document<'a>(&self, sources: &Sources<'a>) -> Option<&'a Value> {
        match &self.root {
            Root::Input => Some(sources.input),
            Root::Context => Some(sources.context),
            Root::Variable(name) => sources.variables.get(name),
        }
    }

    /// The selected value; `None` when a single-value path finds nothing. A query always
    /// yields an array (possibly empty).
    pub fn select(&self, sources: &Sources) -> Option<Value> {
        let document = self.document(sources)?;
        match &self.selector {
            Selector::Single(reference) => reference.get(document).cloned(),
            Selector::Query(query) => Some(Value::Array(
                query.query(document).all().into_iter().cloned().collect(),
            )),
        }
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// RFC 9535's dot notation refuses names that AWS accepts (`$.delivery-partner`, `$.1st`):
/// rewrite those to bracket notation before handing the query to the JSONPath engine.
fn quote_unusual_names(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    let chars: Vec<char> = path.chars().collect();
    let mut i = 0;
    let mut bracket_depth = 0usize;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            out.push(c);
            if c == '\\' && i + 1 < chars.len() {
                out.push(chars[i + 1]);
                i += 1;
            } else if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' if bracket_depth > 0 => {
                quote = Some(c);
                out.push(c);
            }
            '[' => {
                bracket_depth += 1;
                out.push(c);
            }
            ']' => {
                bracket_depth = bracket_depth.saturating_sub(1);
                out.push(c);
            }
            '.' if bracket_depth == 0 => {
                out.push('.');
                if chars.get(i + 1) == Some(&'.') {
                    out.push('.');
                    i += 1;
                }
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && chars[end] != '.' && chars[end] != '[' {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                if name.is_empty() || name == "*" || is_shorthand_name(&name) {
                    out.push_str(&name);
                } else {
                    // `..['x']` is a descendant segment; `.['x']` is not valid, so drop the dot.
                    if !out.ends_with("..") {
                        out.pop();
                    }
                    out.push_str(&format!("['{}']", name.replace('\'', "\\'")));
                }
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn is_variable_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn is_shorthand_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii());
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn select(path: &str, input: Value) -> Option<Value> {
        let context = json!({"Execution": {"Name": "run"}});
        let variables = json!({"count": 3, "user": {"name": "ann"}});
        let sources = Sources {
            input: &input,
            context: &context,
            variables: variables.as_object().unwrap(),
        };
        Path::parse(path).unwrap().select(&sources)
    }

    #[test]
    fn single_value_paths_select_one_value() {
        assert_eq!(select("$.a.b", json!({"a": {"b": 3}})), Some(json!(3)));
        assert_eq!(select("$", json!([1])), Some(json!([1])));
        assert_eq!(select("$.missing", json!({})), None);
    }

    #[test]
    fn queries_select_lists() {
        assert_eq!(
            select("$.a[*].b", json!({"a": [{"b": 1}, {"b": 2}]})),
            Some(json!([1, 2]))
        );
        assert_eq!(
            select("$.a[?@.b > 1].b", json!({"a": [{"b": 1}, {"b": 2}]})),
            Some(json!([2]))
        );
        assert_eq!(select("$..x", json!({})), Some(json!([])));
    }

    #[test]
    fn hyphenated_names_work_in_queries() {
        let input = json!({"delivery-partner": [{"id": 1}, {"id": 2}]});
        assert_eq!(
            select("$.delivery-partner[*].id", input),
            Some(json!([1, 2]))
        );
    }

    #[test]
    fn context_paths_read_the_context_object() {
        assert_eq!(select("$$.Execution.Name", json!({})), Some(json!("run")));
    }

    #[test]
    fn variable_paths_read_variables() {
        assert_eq!(select("$count", json!({})), Some(json!(3)));
        assert_eq!(select("$user.name", json!({})), Some(json!("ann")));
        assert_eq!(select("$nobody", json!({})), None);
    }

    #[test]
    fn rejects_non_paths_and_jayway_extensions() {
        assert!(Path::parse("a.b").is_err());
        assert!(Path::parse("$.a.length()").is_err());
        assert!(Path::parse("$.a[").is_err());
    }
}
