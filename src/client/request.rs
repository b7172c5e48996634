//! What every call starts with: the messages read and normalised, the call's own options
//! (settings, `signal`, `maxRetries`), and the request body an API family builds from them.
//! Every problem is a `TypeError`, raised before anything is sent.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::options::{max_retries, ClientConfig, JsOptions};
use crate::chat::input::{normalize_messages, ChatMessage};
use crate::options::set::{check_keys, ModelClass, Scope};
use crate::options::source::OptionSource;
use crate::platform::json;
use crate::platform::property::get;
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

/// Prepares one call of a model of `class`: the call options' keys are checked, `read` takes
/// the family's settings from them (when there are any), and `build` makes the body from them
/// and the messages (taken: a body may move their strings instead of copying them).
pub fn prepare_call<S>(
    config: &ClientConfig,
    class: ModelClass,
    messages: &JsValue,
    call_options: &JsValue,
    read: impl FnOnce(&dyn OptionSource) -> Result<S, Error>,
    build: impl FnOnce(Option<S>, Vec<ChatMessage>) -> Result<Vec<u8>, Error>,
) -> Result<PreparedCall, Error> {
    // The input's copy of the payload is freed before the body is built from the messages'.
    let messages = {
        let input = json::input_from_js(&plain_messages(messages), "messages")?;
        normalize_messages(input)?
    };
    let controls = call_controls(config, class, call_options)?;
    let settings = controls.options.as_ref().map(|o| read(o)).transpose()?;
    Ok(PreparedCall {
        body: build(settings, messages)?,
        signal: controls.signal,
        max_retries: controls.max_retries,
    })
}

/// What every call's options hold besides the request: the options themselves (when given),
/// the abort signal and the retries allowed.
pub struct CallControls<'a> {
    /// The call options, their keys checked.
    pub options: Option<JsOptions<'a>>,
    /// Aborts the call.
    pub signal: Option<AbortSignal>,
    /// Retries allowed after the first attempt (the call's, else the model's).
    pub max_retries: u32,
}

/// Reads a call's options for a model of `class`: `TypeError`s for keys the class does not
/// take on a call, a `signal` that is no `AbortSignal`, a bad `maxRetries`.
pub fn call_controls<'a>(
    config: &ClientConfig,
    class: ModelClass,
    call_options: &'a JsValue,
) -> Result<CallControls<'a>, Error> {
    if call_options.is_undefined() || call_options.is_null() {
        return Ok(CallControls {
            options: None,
            signal: None,
            max_retries: config.max_retries,
        });
    }
    if !call_options.is_object() {
        return Err(Error::invalid_input("call options must be an object"));
    }
    let source = JsOptions(call_options);
    check_keys(class, Scope::Call, &source.keys())?;
    let signal = match get(call_options, "signal") {
        None => None,
        Some(signal) => Some(
            signal
                .dyn_into::<AbortSignal>()
                .map_err(|_| Error::invalid_input("signal must be an AbortSignal"))?,
        ),
    };
    Ok(CallControls {
        max_retries: max_retries(call_options)?.unwrap_or(config.max_retries),
        options: Some(source),
        signal,
    })
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
