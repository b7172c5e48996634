//! The environment: variables from a Workers `env` binding or `process.env`.

use wasm_bindgen::JsValue;

use super::property::{get, text};

/// A non-empty string variable `key` of `env`.
pub fn var(env: &JsValue, key: &str) -> Option<String> {
    text(env, key).filter(|s| !s.is_empty())
}

/// Node's `process.env`, where there is one.
pub fn process_env() -> Option<JsValue> {
    get(&js_sys::global().into(), "process").and_then(|process| get(&process, "env"))
}
