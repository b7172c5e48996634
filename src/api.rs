//! The `#[wasm_bindgen]` surface. The npm package's JS shim wraps these in the public
//! `ChatBedrockConverse` class; data crosses as plain JSON-compatible objects.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::client::call::send_operation;
use crate::client::options::{get, ClientConfig};
use crate::client::stream::ConverseStream;
use crate::converse::request::build_request_body;
use crate::converse::response::map_converse_response;
use crate::endpoint::Operation;
use crate::messages::normalize_messages;
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

    /// Calls Converse and resolves to an `AIMessage` object.
    pub fn invoke(&self, messages: JsValue, call_options: JsValue) -> Promise {
        let prepared = self.prepare(&messages, &call_options);
        let config = self.config.clone();
        future_to_promise(async move {
            let (body, signal) = prepared.map_err(to_js_error)?;
            let result = async {
                let (response, info) =
                    send_operation(&config, Operation::Converse, &body, signal.as_ref()).await?;
                let bytes = response.bytes().await?;
                map_converse_response(&bytes, &info)
            }
            .await;
            result.map_err(to_js_error).and_then(|v| to_js(&v))
        })
    }

    /// Starts a ConverseStream call. Throws a `TypeError` at once for bad input; the request
    /// is sent on the first `next()`.
    pub fn stream(&self, messages: JsValue, call_options: JsValue) -> Result<ChunkStream, JsValue> {
        let (body, signal) = self
            .prepare(&messages, &call_options)
            .map_err(to_js_error)?;
        Ok(ChunkStream {
            inner: Rc::new(ConverseStream::new(self.config.clone(), body, signal)),
        })
    }

    /// The options without secrets, so `JSON.stringify(client)` is safe to log.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.config.redacted_json())
    }

    fn prepare(
        &self,
        messages: &JsValue,
        call_options: &JsValue,
    ) -> Result<(Vec<u8>, Option<AbortSignal>), Error> {
        let input = messages_from_js(messages)?;
        let messages = normalize_messages(&input)?;
        let body = build_request_body(&self.config.converse, &messages)?;
        let signal = match call_options
            .is_object()
            .then(|| get(call_options, "signal"))
            .flatten()
        {
            None => None,
            Some(signal) => Some(
                signal
                    .dyn_into::<AbortSignal>()
                    .map_err(|_| Error::invalid_input("signal must be an AbortSignal"))?,
            ),
        };
        Ok((body, signal))
    }
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

/// Messages as JSON. LangChain message objects (with `getType()` or `_getType()`) become
/// `{ role, ... }`.
fn messages_from_js(messages: &JsValue) -> Result<Value, Error> {
    let plain = if js_sys::Array::is_array(messages) {
        let array: js_sys::Array = messages.clone().unchecked_into();
        let out = js_sys::Array::new();
        for item in array.iter() {
            out.push(&langchain_message(&item).unwrap_or(item));
        }
        out.into()
    } else {
        messages.clone()
    };
    json::from_js(&plain, "messages")
}

fn langchain_message(item: &JsValue) -> Option<JsValue> {
    let get_type: Function = get(item, "getType")
        .or_else(|| get(item, "_getType"))?
        .dyn_into()
        .ok()?;
    let role = get_type.call0(item).ok()?;
    let out = js_sys::Object::new();
    Reflect::set(&out, &"role".into(), &role).ok()?;
    for key in ["content", "tool_calls", "tool_call_id", "status"] {
        if let Some(value) = get(item, key) {
            Reflect::set(&out, &key.into(), &value).ok()?;
        }
    }
    Some(out.into())
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    json::to_js(value).map_err(to_js_error)
}

/// A `TypeError` for bad input; otherwise an `Error` with `name`, `status`, `requestId`,
/// `retryable` and `bedrockError: true`, which the JS shim turns into a `BedrockError`.
fn to_js_error(error: Error) -> JsValue {
    if error.is_invalid_input() {
        return js_sys::TypeError::new(&error.message()).into();
    }
    let js = js_sys::Error::new(&error.message());
    js.set_name(error.name());
    let status = error.status().map_or(JsValue::UNDEFINED, JsValue::from);
    let request_id = error
        .request_id()
        .map_or(JsValue::UNDEFINED, JsValue::from_str);
    for (key, value) in [
        ("status", status),
        ("requestId", request_id),
        ("retryable", JsValue::from_bool(error.retryable())),
        ("bedrockError", JsValue::TRUE),
    ] {
        // Setting a data property on a fresh Error cannot fail.
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    }
    js.into()
}
