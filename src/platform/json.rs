//! Values crossing the JS boundary.
//!
//! - Out (chunks, messages): JSON text that one `JSON.parse` turns into a whole plain object in
//!   the engine. Measured against serde-wasm-bindgen's object-walking serializer, this is both
//!   smaller and faster for the many small chunks of a stream.
//! - In (messages): serde-wasm-bindgen walks the JS value, so that `Uint8Array` and
//!   `ArrayBuffer` bytes arrive as bytes (base64-encoded once, here, for the wire) instead of
//!   failing `JSON.stringify` (which turns them into `{"0":…}`).
//! - In (options): `JSON.stringify` text, which is all plain JSON data needs.

use std::fmt;

use js_sys::JSON;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::JsValue;

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
        Some(text) => match serde_json::from_str(&text) {
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
    let deserializer = serde_wasm_bindgen::Deserializer::from(value.clone());
    InputVisitor { depth: 0 }
        .deserialize(deserializer)
        .map_err(|e| {
            // The error is a JS `Error`: its message, without the `Error: ` of its `toString`.
            let e = JsValue::from(e);
            js_sys::Reflect::get(&e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default()
        })
}

/// Reads one JSON value in which bytes are base64 text, `depth` levels down.
#[derive(Clone, Copy)]
struct InputVisitor {
    depth: u32,
}

impl InputVisitor {
    fn nested<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= nesting::MAX_DEPTH {
            return Err(E::custom(TOO_DEEP));
        }
        Ok(Self {
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for InputVisitor {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for InputVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON data or bytes")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("numbers must be finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::String(base64::encode(v)))
    }

    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Value, E> {
        Ok(Value::String(base64::encode(&v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            out.insert(key, map.next_value_seed(inner)?);
        }
        Ok(Value::Object(out))
    }
}
