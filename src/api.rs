//! The `#[wasm_bindgen]` surface. The npm package's JS shim wraps these in the public
//! `ChatBedrockConverse` class; data crosses as plain JSON-compatible objects.

use std::rc::Rc;

use js_sys::{Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::chat::output::{Block, DerivedFields};
use crate::client::converse::{invoke, prepare};
use crate::client::options::ClientConfig;
use crate::client::stream::ConverseStream;
use crate::platform::json;
use crate::Error;

/// A Converse client: one model, one region, one set of credentials.
#[wasm_bindgen]
pub struct ConverseClient {
    config: Rc<ClientConfig>,
}

#[wasm_bindgen]
impl ConverseClient {
    /// Reads the options; throws a `TypeError` for bad options and a `ConfigError` when the
    /// region or credentials cannot be found.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<ConverseClient, JsValue> {
        let config = ClientConfig::from_js(&options).map_err(to_js_error)?;
        Ok(ConverseClient {
            config: Rc::new(config),
        })
    }

    /// Calls Converse and resolves to an `AIMessage` object. Bad input rejects with a
    /// `TypeError` before anything is sent.
    pub fn invoke(&self, messages: JsValue, call_options: JsValue) -> Promise {
        let prepared = prepare(&self.config, &messages, &call_options, false);
        let config = self.config.clone();
        future_to_promise(async move {
            let call = prepared.map_err(to_js_error)?;
            let message = invoke(&config, call).await.map_err(to_js_error)?;
            to_js(&message)
        })
    }

    /// Starts a ConverseStream call. Throws a `TypeError` at once for bad input; the request
    /// is sent on the first `next()`.
    pub fn stream(&self, messages: JsValue, call_options: JsValue) -> Result<ChunkStream, JsValue> {
        let call = prepare(&self.config, &messages, &call_options, true).map_err(to_js_error)?;
        Ok(ChunkStream {
            inner: Rc::new(ConverseStream::new(
                self.config.clone(),
                call.body,
                call.signal,
                call.max_retries,
            )),
        })
    }

    /// The options without secrets, so `JSON.stringify(client)` is safe to log.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.config.redacted_json())
    }
}

/// The size of this instance's wasm linear memory in bytes: it grows and never shrinks, so a
/// figure that stops growing under load shows nothing leaks.
#[wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65536.0
}

/// `contentBlocks`, `tool_calls` and `invalid_tool_calls` of merged chunk content, for the
/// package's `concat`: the same derivation as `invoke`'s.
#[wasm_bindgen(js_name = deriveMessageFields)]
pub fn derive_message_fields(content: JsValue) -> Result<JsValue, JsValue> {
    let content = json::from_js(&content, "content").map_err(to_js_error)?;
    let blocks = match content {
        serde_json::Value::Array(items) => items.into_iter().map(Block::from_value).collect(),
        _ => Vec::new(),
    };
    to_js(&DerivedFields(blocks))
}

/// The chunks of one streamed call, pulled in batches by the JS shim's `ReadableStream`.
#[wasm_bindgen]
pub struct ChunkStream {
    inner: Rc<ConverseStream>,
}

#[wasm_bindgen]
impl ChunkStream {
    /// Resolves to the chunks decoded from the next network read, or `undefined` at the end.
    pub fn next(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            match inner.next_batch().await {
                Ok(Some(batch)) => to_js(&batch),
                Ok(None) => Ok(JsValue::UNDEFINED),
                Err(e) => Err(to_js_error(e)),
            }
        })
    }

    /// Stops reading and cancels the response body.
    pub fn cancel(&self) {
        self.inner.cancel();
    }
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    json::to_js(value).map_err(to_js_error)
}

/// A `TypeError` for bad input; otherwise a record `{ bedrockError: true, name, message,
/// status, requestId, retryable, cause }` from which the JS shim builds the `BedrockError`.
fn to_js_error(error: Error) -> JsValue {
    if error.is_invalid_input() {
        return js_sys::TypeError::new(&error.message()).into();
    }
    // A plain record, not an Error: the package's JS builds the one `BedrockError` from it.
    let record = js_sys::Object::new();
    let status = error.status().map_or(JsValue::UNDEFINED, JsValue::from);
    let request_id = error
        .request_id()
        .map_or(JsValue::UNDEFINED, JsValue::from_str);
    // What the runtime threw (a rejected `fetch`); redaction drops it when it held a secret.
    let cause = error
        .cause()
        .and_then(|c| c.downcast_ref::<JsValue>())
        .cloned()
        .unwrap_or(JsValue::UNDEFINED);
    for (key, value) in [
        ("bedrockError", JsValue::TRUE),
        ("name", JsValue::from_str(error.name())),
        ("message", JsValue::from_str(&error.message())),
        ("status", status),
        ("requestId", request_id),
        ("retryable", JsValue::from_bool(error.retryable())),
        ("cause", cause),
    ] {
        // Setting a data property on a fresh object cannot fail.
        let _ = Reflect::set(&record, &JsValue::from_str(key), &value);
    }
    record.into()
}
