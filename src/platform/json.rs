//! Values crossing the JS boundary.
//!
//! - Out (messages, and the chunks of a stream that are more than a plain delta): JSON text that
//!   one `JSON.parse` turns into a whole plain object in the engine. Measured against
//!   serde-wasm-bindgen's object-walking serializer, this is both smaller and faster. A stream's
//!   plain deltas cross as text and numbers instead ([`crate::chunk_batch`]).
//! - In (messages): a walk of the JS value, so that `Uint8Array` and `ArrayBuffer` bytes arrive
//!   as bytes (base64-encoded once, here, for the wire) instead of failing `JSON.stringify`
//!   (which turns them into `{"0":…}`). Written out with `js_sys` rather than through
//!   serde-wasm-bindgen: 835 B less wasm gzip.
//! - In (options): `JSON.stringify` text, which is all plain JSON data needs.

use js_sys::{Array, ArrayBuffer, Object, Reflect, Symbol, Uint8Array, JSON};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::base64;
use crate::nesting::{self, TOO_DEEP};
use crate::Error;

/// A plain JS value (objects, arrays, strings, numbers, booleans, null) from Rust data.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::invalid_response(format!("not serialisable: {e}")))?;
    JSON::parse(&text).map_err(|_| Error::invalid_response("JSON.parse rejected our output"))
}

/// A JSON reply body as a JS value, parsed once by the engine's `JSON.parse` (its arrays of
/// numbers stay in the engine: nothing is copied number by number across the boundary).
pub fn parse_reply(body: &[u8]) -> Result<JsValue, Error> {
    std::str::from_utf8(body)
        .ok()
        .and_then(|text| JSON::parse(text).ok())
        .ok_or_else(|| Error::invalid_response("the reply is not JSON"))
}

/// Rust data from a plain JS value, through `JSON.stringify` (`undefined` members vanish,
/// as in any JSON API). Values JSON cannot hold, such as `BigInt`, and data nested too deep or
/// cyclic ([`crate::nesting`]) are `TypeError`s.
pub fn from_js(value: &JsValue, what: &str) -> Result<Value, Error> {
    if value.is_undefined() {
        return Err(Error::invalid_input(format!("{what} is missing")));
    }
    let text = JSON::stringify(value).ok().and_then(|s| s.as_string());
    let why = match text {
        Some(text) if !nesting::within_limit(&text) => Some(TOO_DEEP.to_string()),
        Some(text) => match serde_json::from_slice(text.as_bytes()) {
            Ok(value) => return Ok(value),
            Err(_) => None,
        },
        // Stringifying threw (a cycle, a `BigInt`): the walk that reads messages says why,
        // cyclic data as messages hear it.
        None => walk(value).err(),
    };
    let mut message = format!("{what} is not JSON data");
    if let Some(why) = why {
        message = message + ": " + &why;
    }
    Err(Error::invalid_input(message))
}

/// Chat input from JS: like [`from_js`], except that `Uint8Array` and `ArrayBuffer` values
/// become base64 strings, and `undefined` members are `null`.
pub fn input_from_js(value: &JsValue, what: &str) -> Result<Value, Error> {
    walk(value).map_err(|e| Error::invalid_input(format!("{what} is not message data: {e}")))
}

/// Reads `value` by walking it, at most [`nesting::MAX_DEPTH`] levels deep; `Err` says why
/// it cannot be read.
fn walk(value: &JsValue) -> Result<Value, String> {
    walk_at(value, 0)
}

/// One value `depth` levels down: `null` and `undefined` are `null`; a `BigInt` within
/// `i64`/`u64` is a number; `Uint8Array` and `ArrayBuffer` bytes are base64 text; a plain object,
/// or a `Map` with string keys, is an object. Anything else (a function, a symbol, a `Set`) is
/// not message data.
fn walk_at(value: &JsValue, depth: u32) -> Result<Value, String> {
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if value.is_bigint() {
        return i64::try_from(value.clone())
            .map(Value::from)
            .or_else(|value| u64::try_from(value).map(Value::from))
            .map_err(|_| "a BigInt outside i64::MIN..u64::MAX is no JSON number".to_string());
    }
    if let Some(n) = value.as_f64() {
        if js_sys::Number::is_safe_integer(value) {
            return Ok(Value::from(n as i64));
        }
        return Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| "numbers must be finite".to_string());
    }
    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(Value::String(base64::encode(&bytes.to_vec())));
    }
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Ok(Value::String(base64::encode(
            &Uint8Array::new(buffer).to_vec(),
        )));
    }
    let array = Array::is_array(value);
    // `[key, value]` pairs: a Map's, or a plain (not iterable) object's own members.
    let entries = if array {
        None
    } else if let Some(map) = value.dyn_ref::<js_sys::Map>() {
        Some(Array::from(map))
    } else if value.is_object() && !Reflect::has(value, &Symbol::iterator()).unwrap_or(true) {
        Some(Object::entries(value.unchecked_ref()))
    } else {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        return Err(format!("invalid type: {kind}, expected JSON data or bytes"));
    };
    if depth >= nesting::MAX_DEPTH {
        return Err(TOO_DEEP.to_string());
    }
    let Some(entries) = entries else {
        let items = value.unchecked_ref::<Array>().iter();
        let items = items.map(|item| walk_at(&item, depth + 1));
        return items.collect::<Result<_, _>>().map(Value::Array);
    };
    let mut out = Map::new();
    for pair in entries.iter() {
        let pair: Array = pair.unchecked_into();
        let key = pair.get(0).as_string().ok_or("a Map key is not a string")?;
        out.insert(key, walk_at(&pair.get(1), depth + 1)?);
    }
    Ok(Value::Object(out))
}
