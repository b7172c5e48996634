//! Waiting: the global `setTimeout`, cut short by an `AbortSignal`.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
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

/// Waits `ms` milliseconds; an abort of `signal` ends the wait with its error.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), Error> {
    if let Some(signal) = signal.filter(|s| s.aborted()) {
        return Err(abort_error(signal));
    }
    let promise = Promise::new(&mut |resolve, reject| {
        let id = set_timeout(&resolve, ms);
        if let Some(signal) = signal {
            let on_abort = Closure::once_into_js(move || {
                clear_timeout(&id);
                let _ = reject.call0(&JsValue::UNDEFINED);
            });
            let options = AddEventListenerOptions::new();
            options.set_once(true);
            let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
                "abort",
                on_abort.unchecked_ref(),
                &options,
            );
        }
    });
    match JsFuture::from(promise).await {
        Ok(_) => Ok(()),
        Err(_) => Err(signal.map_or_else(Error::aborted, abort_error)),
    }
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
    let name = Reflect::get(&reason, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    if name.as_deref() == Some("TimeoutError") {
        Error::timeout("the call took longer than its timeout")
    } else {
        Error::aborted()
    }
}
