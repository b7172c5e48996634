//! HTTP through a `fetch` function handed in with the options (the caller's, or the transport
//! a runtime entry supplies: Node's over `node:http`, `js/node-http.js`), else the runtime's
//! global `fetch` (never `window.fetch`: workerd has no window), with the body read chunk by
//! chunk from its `ReadableStream`.

use std::cell::Cell;

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, Response};

use super::property::text;
use super::timer::abort_error;
use crate::Error;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The global `fetch` of Workers, browsers, Bun and Deno.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Promise;
}

/// One request to send.
pub struct HttpRequest<'a> {
    /// `POST`, …
    pub method: &'a str,
    /// The full URL.
    pub url: &'a str,
    /// Headers, signed ones included.
    pub headers: &'a [(String, String)],
    /// The body bytes.
    pub body: &'a [u8],
}

/// A response whose body has not been read yet.
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// All readable headers, lower-case names.
    pub headers: Vec<(String, String)>,
    raw: Response,
    signal: Option<AbortSignal>,
}

/// Sends a request with `fetch` (the caller's, else the global one).
pub async fn send(
    request: &HttpRequest<'_>,
    fetch: Option<&Function>,
    signal: Option<&AbortSignal>,
) -> Result<HttpResponse, Error> {
    if let Some(signal) = signal.filter(|s| s.aborted()) {
        return Err(abort_error(signal));
    }
    let headers = Object::new();
    for (name, value) in request.headers {
        Reflect::set(
            &headers,
            &JsValue::from_str(name),
            &JsValue::from_str(value),
        )
        .map_err(|e| js_failure(&e))?;
    }
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_headers(&headers);
    init.set_body(&Uint8Array::from(request.body));
    if let Some(signal) = signal {
        init.set_signal(Some(signal));
    }
    let promise = match fetch {
        Some(fetch) => fetch
            .call2(&JsValue::UNDEFINED, &JsValue::from_str(request.url), &init)
            .map_err(|e| js_failure(&e))?
            .unchecked_into::<Promise>(),
        None => global_fetch(request.url, &init),
    };
    let raw: Response = JsFuture::from(promise)
        .await
        .map_err(|e| failure(&e, signal))?
        .unchecked_into();
    let mut headers = Vec::new();
    // `[name, value]` pairs, taken from the `Headers` iterator in one call (`Array.from`), when
    // the response has an iterable `headers` (a caller's `fetch` might answer without).
    let raw_headers: JsValue = raw.headers().into();
    let iterable = Reflect::has(&raw_headers, &js_sys::Symbol::iterator()).unwrap_or(false);
    let pairs = match iterable {
        true => js_sys::Array::from(&raw_headers),
        false => js_sys::Array::new(),
    };
    for pair in pairs.iter() {
        let pair: js_sys::Array = pair.unchecked_into();
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            headers.push((k.to_ascii_lowercase(), v));
        }
    }
    Ok(HttpResponse {
        status: raw.status(),
        headers,
        raw,
        signal: signal.cloned(),
    })
}

impl HttpResponse {
    /// A header value by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Reads the whole body.
    pub async fn bytes(&self) -> Result<Vec<u8>, Error> {
        let promise = self.raw.array_buffer().map_err(|e| js_failure(&e))?;
        let buffer = JsFuture::from(promise)
            .await
            .map_err(|e| failure(&e, self.signal.as_ref()))?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    /// A reader over the body's `ReadableStream`: a BYOB reader where the body is a byte
    /// stream (fetch bodies in workerd, Node and browsers), which reads as much as has
    /// arrived; else a default reader, which takes the chunks as they were enqueued.
    pub fn body_reader(&self) -> Result<BodyReader, Error> {
        let body: BodyStream = self
            .raw
            .body()
            .ok_or_else(|| Error::invalid_response("the response has no body"))?
            .unchecked_into();
        let byob = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(
            &byob,
            &JsValue::from_str("mode"),
            &JsValue::from_str("byob"),
        );
        let (reader, byob) = match body.get_reader_with(&byob) {
            Ok(reader) => (reader, true),
            // Not a byte stream (a caller's `fetch` may answer with any stream).
            Err(_) => (
                body.get_reader_with(&Object::new())
                    .map_err(|e| js_failure(&e))?,
                false,
            ),
        };
        // `closed` rejects when the body errors (an abort, a reset). The spec marks it handled;
        // workerd does not, and reports it as unhandled, so it is observed here.
        let closed = JsFuture::from(reader.closed());
        wasm_bindgen_futures::spawn_local(async move {
            let _ = closed.await;
        });
        Ok(BodyReader {
            reader,
            byob,
            signal: self.signal.clone(),
            rest: Cell::new(None),
        })
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A response body's `ReadableStream`.
    type BodyStream;
    #[wasm_bindgen(catch, method, js_name = getReader)]
    fn get_reader_with(this: &BodyStream, options: &Object) -> Result<StreamReader, JsValue>;
    /// A `ReadableStreamDefaultReader` or `ReadableStreamBYOBReader`.
    type StreamReader;
    /// A default reader's next chunk, or a BYOB reader's next bytes (into `view`).
    #[wasm_bindgen(method)]
    fn read(this: &StreamReader, view: &JsValue) -> Promise;
    #[wasm_bindgen(method)]
    fn cancel(this: &StreamReader) -> Promise;
    #[wasm_bindgen(method, getter)]
    fn closed(this: &StreamReader) -> Promise;
}

/// Reads a response body one network chunk at a time, a large chunk in pieces.
pub struct BodyReader {
    reader: StreamReader,
    /// Whether `reader` is a BYOB reader.
    byob: bool,
    signal: Option<AbortSignal>,
    /// What is left of a chunk larger than a read asked for, still in JS memory (a default
    /// reader's; a BYOB reader never reads more than asked).
    rest: Cell<Option<Uint8Array>>,
}

impl BodyReader {
    /// The next bytes of the body, at most `max` of them; `None` at the end of the body. A
    /// BYOB reader reads all that has arrived into a new JS buffer of `max` bytes (a buffer
    /// kept for the next read measured no faster, and costs wasm code); a default reader
    /// takes the next chunk, and one larger than `max` stays in JS memory and is copied into
    /// wasm memory one piece per read. So however large a chunk the runtime hands over (a
    /// whole body, say), one read costs no more than `max` bytes of copying and of wasm memory.
    pub async fn read(&self, max: u32) -> Result<Option<Vec<u8>>, Error> {
        if self.byob {
            let Some(chunk) = self.next_chunk(&Uint8Array::new(&max.into())).await? else {
                return Ok(None);
            };
            return Ok(Some(chunk.unchecked_into::<Uint8Array>().to_vec()));
        }
        let chunk = match self.rest.take() {
            Some(rest) => rest,
            None => match self.next_chunk(&JsValue::UNDEFINED).await? {
                Some(chunk) => Uint8Array::new(&chunk),
                None => return Ok(None),
            },
        };
        let len = chunk.length();
        if len > max {
            self.rest.set(Some(chunk.subarray(max, len)));
        }
        Ok(Some(chunk.subarray(0, len.min(max)).to_vec()))
    }

    /// The next chunk of the body's stream (read into `view` by a BYOB reader), `None` at its
    /// end.
    async fn next_chunk(&self, view: &JsValue) -> Result<Option<JsValue>, Error> {
        let result = JsFuture::from(self.reader.read(view))
            .await
            .map_err(|e| failure(&e, self.signal.as_ref()))?;
        let done = Reflect::get(&result, &JsValue::from_str("done"))
            .map(|d| d.is_truthy())
            .unwrap_or(true);
        if done {
            return Ok(None);
        }
        Reflect::get(&result, &JsValue::from_str("value"))
            .map(Some)
            .map_err(|e| js_failure(&e))
    }

    /// Cancels the body; a pending `read` then ends.
    pub fn cancel(&self) {
        // The promise only reports how the cancel went, and it rejects when the body already
        // failed (after an abort, say). Awaiting it marks the rejection handled, so runtimes
        // do not report an unhandled rejection.
        let done = JsFuture::from(self.reader.cancel());
        wasm_bindgen_futures::spawn_local(async move {
            let _ = done.await;
        });
    }
}

/// A rejection of `fetch` or of a body read: the signal's error when it was aborted (whatever
/// reason the caller gave), else what [`js_failure`] makes of it.
fn failure(value: &JsValue, signal: Option<&AbortSignal>) -> Error {
    match signal.filter(|s| s.aborted()) {
        Some(signal) => abort_error(signal),
        None => js_failure(value),
    }
}

/// A JS exception from `fetch` or a body read, as an [`Error`] that keeps it as its cause.
fn js_failure(value: &JsValue) -> Error {
    let name = text(value, "name").unwrap_or_default();
    let error = if name == "AbortError" {
        Error::aborted()
    } else if name == "TimeoutError" {
        Error::timeout("the call took longer than its timeout")
    } else {
        let message = text(value, "message")
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "fetch failed".to_string());
        Error::network(message)
    };
    error.with_cause(std::rc::Rc::new(value.clone()))
}
