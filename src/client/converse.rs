//! The Converse call paths: a request prepared from messages and call options, and the
//! non-streaming call. (The streaming one is [`super::stream::ConverseStream`].)

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::call::send_operation;
use super::options::{get, max_retries, read_converse_options, ClientConfig};
use super::retry::Retrier;
use crate::chat::input::normalize_messages;
use crate::chat::output::AIMessage;
use crate::converse::request::build_request_body;
use crate::converse::response::map_converse_response;
use crate::endpoint::Operation;
use crate::platform::json;
use crate::Error;

/// A request body ready to send, and the call's abort signal.
pub struct PreparedCall {
    /// The JSON body.
    pub body: Vec<u8>,
    /// Aborts the call.
    pub signal: Option<AbortSignal>,
    /// Retries allowed after the first attempt.
    pub max_retries: u32,
}

/// Builds the request for `messages` with the model's options overlaid by the call's. Every
/// problem is a `TypeError`, raised before anything is sent.
pub fn prepare(
    config: &ClientConfig,
    messages: &JsValue,
    call_options: &JsValue,
    streaming: bool,
) -> Result<PreparedCall, Error> {
    let input = json::input_from_js(&plain_messages(messages), "messages")?;
    let messages = normalize_messages(&input)?;
    let (options, signal, retries) = if call_options.is_undefined() || call_options.is_null() {
        (config.converse.clone(), None, None)
    } else if call_options.is_object() {
        let call = read_converse_options(call_options)?;
        let signal = match get(call_options, "signal") {
            None => None,
            Some(signal) => Some(
                signal
                    .dyn_into::<AbortSignal>()
                    .map_err(|_| Error::invalid_input("signal must be an AbortSignal"))?,
            ),
        };
        let retries = max_retries(call_options)?;
        (config.converse.overlay(&call), signal, retries)
    } else {
        return Err(Error::invalid_input("call options must be an object"));
    };
    let body = build_request_body(&options, &messages, streaming)?;
    Ok(PreparedCall {
        body,
        signal,
        max_retries: retries.unwrap_or(config.max_retries),
    })
}

/// Calls Converse and maps the reply, retrying as AWS standard mode does: a failure while the
/// body is read (a cut connection) is retried like a failed response.
pub async fn invoke(config: &ClientConfig, call: PreparedCall) -> Result<AIMessage, Error> {
    let signal = call.signal.as_ref();
    let mut retrier = Retrier::new(config, signal, call.max_retries)?;
    loop {
        let attempt = async {
            let sent = send_operation(
                config,
                Operation::Converse,
                &call.body,
                signal,
                retrier.attempt(),
            )
            .await?;
            let bytes = sent
                .response
                .bytes()
                .await
                .map_err(|e| e.redacted(&sent.secrets.values()))?;
            map_converse_response(&bytes, sent.info)
        };
        match attempt.await {
            Ok(message) => return Ok(message),
            Err(error) => retrier.after_failure(error).await?,
        }
    }
}

/// Messages with LangChain message objects (those with `getType()` or `_getType()`) made
/// plain: `{ role, content, tool_calls, tool_call_id, status }`.
fn plain_messages(messages: &JsValue) -> JsValue {
    if !js_sys::Array::is_array(messages) {
        return messages.clone();
    }
    let array: js_sys::Array = messages.clone().unchecked_into();
    array
        .iter()
        .map(|item| langchain_message(&item).unwrap_or(item))
        .collect::<js_sys::Array>()
        .into()
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
