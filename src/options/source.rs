//! Where options are read from, and the typed readers every option goes through.
//!
//! [`OptionSource`] is the one seam between an options object and the core: on wasm32 it is a
//! JS object (the client's reader), in host tests a JSON object. The readers turn a member
//! into its type or a `TypeError` that names it.

use serde_json::{Map, Value};

use crate::Error;

/// An options object: a model's constructor options or a call's options.
pub trait OptionSource {
    /// The names of the members that are set (neither `undefined` nor `null`), in order.
    fn keys(&self) -> Vec<String>;

    /// `key` as a number; a `TypeError` when it is set to anything else.
    fn number(&self, key: &str) -> Result<Option<f64>, Error>;

    /// `key` as a string; a `TypeError` when it is set to anything else.
    fn string(&self, key: &str) -> Result<Option<String>, Error>;

    /// `key` as JSON data; a `TypeError` when it cannot be.
    fn json(&self, key: &str) -> Result<Option<Value>, Error>;
}

/// A finite number.
pub fn finite(source: &dyn OptionSource, key: &str) -> Result<Option<f64>, Error> {
    match source.number(key)? {
        Some(n) if !n.is_finite() => Err(Error::invalid_input(format!(
            "{key} must be a finite number"
        ))),
        n => Ok(n),
    }
}

/// A whole number from 1 to `u32::MAX`.
pub fn positive_int(source: &dyn OptionSource, key: &str) -> Result<Option<u32>, Error> {
    match finite(source, key)? {
        None => Ok(None),
        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(Some(n as u32)),
        Some(_) => Err(Error::invalid_input(format!(
            "{key} must be a positive integer"
        ))),
    }
}

/// An array of strings.
pub fn string_list(source: &dyn OptionSource, key: &str) -> Result<Option<Vec<String>>, Error> {
    let wrong = || Error::invalid_input(format!("{key} must be an array of strings"));
    match source.json(key)? {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Ok(s),
                _ => Err(wrong()),
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(wrong()),
    }
}

/// A JSON object.
pub fn object(source: &dyn OptionSource, key: &str) -> Result<Option<Map<String, Value>>, Error> {
    match source.json(key)? {
        None => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(Error::invalid_input(format!("{key} must be a JSON object"))),
    }
}

/// A JSON object as options, for host tests and for options that arrive as JSON.
impl OptionSource for Map<String, Value> {
    fn keys(&self) -> Vec<String> {
        self.iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_f64()),
            Some(_) => Err(Error::invalid_input(format!(
                "{key} must be a finite number"
            ))),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>, Error> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Error::invalid_input(format!("{key} must be a string"))),
        }
    }

    fn json(&self, key: &str) -> Result<Option<Value>, Error> {
        Ok(self.get(key).filter(|v| !v.is_null()).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn source(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn readers_name_the_member_they_refuse() {
        let s = source(json!({"a": 1.5, "b": "x", "c": ["x", 1], "d": [1], "n": null}));
        assert_eq!(finite(&s, "a").unwrap(), Some(1.5));
        assert_eq!(finite(&s, "n").unwrap(), None);
        let err = positive_int(&s, "a").unwrap_err();
        assert_eq!(err.message(), "a must be a positive integer");
        assert_eq!(
            finite(&s, "b").unwrap_err().message(),
            "b must be a finite number"
        );
        assert_eq!(
            string_list(&s, "c").unwrap_err().message(),
            "c must be an array of strings"
        );
        assert_eq!(
            object(&s, "d").unwrap_err().message(),
            "d must be a JSON object"
        );
        assert_eq!(OptionSource::keys(&s), ["a", "b", "c", "d"]);
    }
}
