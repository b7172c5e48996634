//! The environment: variables from a Workers `env` binding or `process.env`.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// A non-empty string variable `key` of `env`.
pub fn var(env: &JsValue, key: &str) -> Option<String> {
    Reflect::get(env, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
}

/// Node's `process.env`, where there is one.
pub fn process_env() -> Option<JsValue> {
    let get = |object: &JsValue, key: &str| {
        Reflect::get(object, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    get(&js_sys::global().into(), "process").and_then(|process| get(&process, "env"))
}
