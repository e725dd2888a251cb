//! Reads the fields of one JSON object of a definition, recording a diagnostic for each missing,
//! mistyped or unknown field so that one pass reports every problem with its location.

use serde_json::{Map, Value};

use super::diagnostic::{Diagnostic, codes};
use crate::path::Path;

pub(crate) type Diagnostics = Vec<Diagnostic>;

pub(crate) struct Fields<'v> {
    map: &'v Map<String, Value>,
    location: String,
    used: Vec<&'v str>,
}

impl<'v> Fields<'v> {
    pub fn new(value: &'v Value, location: &str, d: &mut Diagnostics) -> Option<Self> {
        match value {
            Value::Object(map) => Some(Self {
                map,
                location: location.to_owned(),
                used: Vec::new(),
            }),
            _ => {
                d.push(schema(location, "must be a JSON object"));
                None
            }
        }
    }

    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn at(&self, key: &str) -> String {
        format!(
            "{}/{}",
            self.location,
            key.replace('~', "~0").replace('/', "~1")
        )
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn value(&mut self, key: &str) -> Option<&'v Value> {
        let (name, value) = self.map.get_key_value(key)?;
        self.used.push(name.as_str());
        Some(value)
    }

    pub fn string(&mut self, key: &str, d: &mut Diagnostics) -> Option<&'v str> {
        let value = self.value(key)?;
        match value.as_str() {
            Some(text) => Some(text),
            None => {
                d.push(schema(&self.at(key), "must be a string"));
                None
            }
        }
    }

    pub fn required_string(&mut self, key: &str, d: &mut Diagnostics) -> Option<&'v str> {
        if !self.has(key) {
            d.push(schema(
                &self.location,
                &format!("the field '{key}' is required"),
            ));
            return None;
        }
        self.string(key, d)
    }

    pub fn boolean(&mut self, key: &str, d: &mut Diagnostics) -> Option<bool> {
        let value = self.value(key)?;
        match value.as_bool() {
            Some(flag) => Some(flag),
            None => {
                d.push(schema(&self.at(key), "must be a boolean"));
                None
            }
        }
    }

    pub fn non_negative_integer(&mut self, key: &str, d: &mut Diagnostics) -> Option<u64> {
        let value = self.value(key)?;
        match value.as_u64() {
            Some(number) => Some(number),
            None => {
                d.push(schema(&self.at(key), "must be a non-negative integer"));
                None
            }
        }
    }

    pub fn positive_integer(&mut self, key: &str, d: &mut Diagnostics) -> Option<u64> {
        let number = self.non_negative_integer(key, d)?;
        if number == 0 {
            d.push(schema(&self.at(key), "must be a positive integer"));
            return None;
        }
        Some(number)
    }

    pub fn number(&mut self, key: &str, d: &mut Diagnostics) -> Option<f64> {
        let value = self.value(key)?;
        match value.as_f64() {
            Some(number) => Some(number),
            None => {
                d.push(schema(&self.at(key), "must be a number"));
                None
            }
        }
    }

    pub fn array(&mut self, key: &str, d: &mut Diagnostics) -> Option<&'v Vec<Value>> {
        let value = self.value(key)?;
        match value.as_array() {
            Some(items) => Some(items),
            None => {
                d.push(schema(&self.at(key), "must be an array"));
                None
            }
        }
    }

    /// A path field where `null` is meaningful: absent -> `None`, `null` -> `Some(None)`.
    pub fn nullable_path(&mut self, key: &str, d: &mut Diagnostics) -> Option<Option<Path>> {
        let value = self.value(key)?;
        if value.is_null() {
            return Some(None);
        }
        self.parse_path(key, value, d).map(Some)
    }

    pub fn path(&mut self, key: &str, d: &mut Diagnostics) -> Option<Path> {
        let value = self.value(key)?;
        self.parse_path(key, value, d)
    }

    fn parse_path(&self, key: &str, value: &Value, d: &mut Diagnostics) -> Option<Path> {
        let Some(text) = value.as_str() else {
            d.push(schema(&self.at(key), "must be a JSONPath string"));
            return None;
        };
        match Path::parse(text) {
            Ok(path) => Some(path),
            Err(error) => {
                d.push(Diagnostic::error(
                    codes::INVALID_JSON_PATH,
                    self.at(key),
                    error.to_string(),
                ));
                None
            }
        }
    }

    /// Reports every field that no reader asked for.
    pub fn finish(self, d: &mut Diagnostics) {
        for key in self.map.keys() {
            if !self.used.contains(&key.as_str()) {
                d.push(schema(
                    &self.at(key),
                    &format!("the field '{key}' is not supported here"),
                ));
            }
        }
    }
}

pub(crate) fn schema(location: &str, message: &str) -> Diagnostic {
    Diagnostic::error(codes::SCHEMA_VALIDATION_FAILED, location, message)
}
