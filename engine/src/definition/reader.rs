//! Reads the fields of one JSON object of a definition, recording a diagnostic for each missing,
//! mistyped or unknown field so that one pass reports every problem with its location. A reader
//! carries the query language of the object it reads and the one list of diagnostics the whole
//! definition shares, so the readers of nested objects report into it too.

use serde_json::{Map, Value};

use super::QueryLanguage;
use super::diagnostic::{Diagnostic, codes};
use crate::path::Path;

pub(crate) struct Fields<'r, 'v> {
    diagnostics: &'r mut Vec<Diagnostic>,
    language: QueryLanguage,
    map: &'v Map<String, Value>,
    location: String,
    used: Vec<&'v str>,
}

impl<'r, 'v> Fields<'r, 'v> {
    /// The reader of a whole definition, whose query language is JSONPath unless it says
    /// otherwise.
    pub fn root(value: &'v Value, diagnostics: &'r mut Vec<Diagnostic>) -> Option<Self> {
        Self::new(value, String::new(), QueryLanguage::JsonPath, diagnostics)
    }

    fn new(
        value: &'v Value,
        location: String,
        language: QueryLanguage,
        diagnostics: &'r mut Vec<Diagnostic>,
    ) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Self {
                diagnostics,
                language,
                map,
                location,
                used: Vec::new(),
            }),
            _ => {
                diagnostics.push(schema(&location, "must be a JSON object"));
                None
            }
        }
    }

    /// The reader of an object inside this one (a Retrier, a Choice Rule, a branch), in this
    /// object's query language.
    pub fn object<'s>(&'s mut self, value: &'v Value, location: String) -> Option<Fields<'s, 'v>> {
        Fields::new(value, location, self.language, self.diagnostics)
    }

    pub fn language(&self) -> QueryLanguage {
        self.language
    }

    pub fn is_jsonata(&self) -> bool {
        self.language == QueryLanguage::Jsonata
    }

    /// A state or a set of states that sets its own QueryLanguage reads the rest of its fields
    /// in it.
    pub fn set_language(&mut self, language: QueryLanguage) {
        self.language = language;
    }

    /// Records a schema violation at `location`.
    pub fn report(&mut self, location: &str, message: &str) {
        self.diagnostics.push(schema(location, message));
    }

    /// Records a schema violation of this object as a whole.
    pub fn report_here(&mut self, message: &str) {
        self.diagnostics.push(schema(&self.location, message));
    }

    /// Records a diagnostic with its own code.
    pub fn report_code(&mut self, code: &'static str, location: &str, message: String) {
        self.diagnostics
            .push(Diagnostic::error(code, location, message));
    }

    /// The JSON pointer of the field `key`.
    pub fn at(&self, key: &str) -> String {
        format!("{}/{}", self.location, pointer_token(key))
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn value(&mut self, key: &str) -> Option<&'v Value> {
        let (name, value) = self.map.get_key_value(key)?;
        self.used.push(name.as_str());
        Some(value)
    }

    pub fn string(&mut self, key: &str) -> Option<&'v str> {
        let value = self.value(key)?;
        match value.as_str() {
            Some(text) => Some(text),
            None => {
                self.report(&self.at(key), "must be a string");
                None
            }
        }
    }

    pub fn required_string(&mut self, key: &str) -> Option<&'v str> {
        if !self.has(key) {
            self.report_here(&format!("the field '{key}' is required"));
            return None;
        }
        self.string(key)
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let value = self.value(key)?;
        match value.as_bool() {
            Some(flag) => Some(flag),
            None => {
                self.report(&self.at(key), "must be a boolean");
                None
            }
        }
    }

    pub fn non_negative_integer(&mut self, key: &str) -> Option<u64> {
        let value = self.value(key)?;
        match value.as_u64() {
            Some(number) => Some(number),
            None => {
                self.report(&self.at(key), "must be a non-negative integer");
                None
            }
        }
    }

    pub fn positive_integer(&mut self, key: &str) -> Option<u64> {
        let number = self.non_negative_integer(key)?;
        if number == 0 {
            self.report(&self.at(key), "must be a positive integer");
            return None;
        }
        Some(number)
    }

    pub fn number(&mut self, key: &str) -> Option<f64> {
        let value = self.value(key)?;
        match value.as_f64() {
            Some(number) => Some(number),
            None => {
                self.report(&self.at(key), "must be a number");
                None
            }
        }
    }

    pub fn array(&mut self, key: &str) -> Option<&'v Vec<Value>> {
        let value = self.value(key)?;
        match value.as_array() {
            Some(items) => Some(items),
            None => {
                self.report(&self.at(key), "must be an array");
                None
            }
        }
    }

    /// A path field where `null` is meaningful: absent -> `None`, `null` -> `Some(None)`.
    pub fn nullable_path(&mut self, key: &str) -> Option<Option<Path>> {
        let value = self.value(key)?;
        if value.is_null() {
            return Some(None);
        }
        self.parse_path(key, value).map(Some)
    }

    pub fn path(&mut self, key: &str) -> Option<Path> {
        let value = self.value(key)?;
        self.parse_path(key, value)
    }

    fn parse_path(&mut self, key: &str, value: &Value) -> Option<Path> {
        let Some(text) = value.as_str() else {
            self.report(&self.at(key), "must be a JSONPath string");
            return None;
        };
        match Path::parse(text) {
            Ok(path) => Some(path),
            Err(error) => {
                self.report_code(codes::INVALID_JSON_PATH, &self.at(key), error.to_string());
                None
            }
        }
    }

    /// Reports every field that no reader asked for.
    pub fn finish(self) {
        for key in self.map.keys() {
            if !self.used.contains(&key.as_str()) {
                self.diagnostics.push(schema(
                    &self.at(key),
                    &format!("the field '{key}' is not supported here"),
                ));
            }
        }
    }
}

/// A key as one token of a JSON pointer (RFC 6901: `~` and `/` escaped).
pub(crate) fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn schema(location: &str, message: &str) -> Diagnostic {
    Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, location, message)
}
