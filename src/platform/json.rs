//! Data crosses the JS boundary as JSON text: one `JSON.parse` builds a whole chunk object in
//! the engine, instead of one boundary call per field, and the wasm carries no object-walking
//! serializer.

use js_sys::JSON;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::Error;

/// A plain JS value (objects, arrays, strings, numbers, booleans, null) from Rust data.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::invalid_response(format!("not serialisable: {e}")))?;
    JSON::parse(&text).map_err(|_| Error::invalid_response("JSON.parse rejected our output"))
}

/// Rust data from a plain JS value, through `JSON.stringify` (`undefined` members vanish,
/// as in any JSON API). Values JSON cannot hold, such as `BigInt` or cycles, are `TypeError`s.
pub fn from_js(value: &JsValue, what: &str) -> Result<Value, Error> {
    if value.is_undefined() {
        return Err(Error::invalid_input(format!("{what} is missing")));
    }
    let text = JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::invalid_input(format!("{what} is not JSON data")))?;
    serde_json::from_str(&text)
        .map_err(|_| Error::invalid_input(format!("{what} is not JSON data")))
}
