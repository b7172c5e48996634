//! Properties of JS values, read as the layers above need them: set (neither `undefined` nor
//! `null`), or a string.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// A property that is neither `undefined` nor `null`.
pub fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// A string property (an environment variable, an error's `name` or `message`); `None` when it
/// is no string or cannot be read.
pub fn text(object: &JsValue, key: &str) -> Option<String> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()?
        .as_string()
}
