//! Waiting: the global `setTimeout`, cut short by an `AbortSignal`.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, AddEventListenerOptions};

use crate::Error;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Waits `ms` milliseconds; an abort of `signal` ends the wait with its error (and clears the
/// timer).
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), Error> {
    let mut id = JsValue::UNDEFINED;
    let timer = Promise::new(&mut |resolve, _| id = set_timeout(&resolve, ms));
    let waited = unless_aborted(timer, signal).await;
    if waited.is_err() {
        clear_timeout(&id);
    }
    waited.map(|_| ())
}

/// Waits for `promise`, unless `signal` aborts first: `Err` then holds the signal's error, and
/// `Ok` holds how the promise settled.
pub async fn unless_aborted(
    promise: Promise,
    signal: Option<&AbortSignal>,
) -> Result<Result<JsValue, JsValue>, Error> {
    let Some(signal) = signal else {
        return Ok(JsFuture::from(promise).await);
    };
    if signal.aborted() {
        return Err(abort_error(signal));
    }
    let aborted = Promise::new(&mut |_, reject| {
        let options = AddEventListenerOptions::new();
        options.set_once(true);
        let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
            "abort", &reject, &options,
        );
    });
    let settled = JsFuture::from(Promise::race(&js_sys::Array::of2(&promise, &aborted))).await;
    if signal.aborted() {
        return Err(abort_error(signal));
    }
    Ok(settled)
}

/// The error an aborted signal stands for: `TimeoutError` when its reason is one (as with
/// `AbortSignal.timeout`), else `AbortError`.
pub fn abort_error(signal: &AbortSignal) -> Error {
    let reason = signal.reason();
    let name = super::property::text(&reason, "name");
    if name.as_deref() == Some("TimeoutError") {
        Error::timeout("the call took longer than its timeout")
    } else {
        Error::aborted()
    }
}
