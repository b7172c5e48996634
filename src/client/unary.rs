//! A non-streaming call (Converse, InvokeModel, CountTokens): send, read the whole body, map it
//! to its JS value, retrying as AWS standard mode does. A failure while the body is read (a cut connection) is retried like
//! a failed response.

use super::call::send_operation;
use super::options::{CallerFunctions, ClientConfig};
use super::request::PreparedCall;
use super::retry_loop::retry_loop;
use wasm_bindgen::JsValue;

use crate::chat::output::CallInfo;
use crate::endpoint::Operation;
use crate::Error;

/// Maps a reply body, with what the caller knows of the exchange, to its JS value (the
/// `AIMessage` object, or CountTokens' number). One mapper type keeps one instance of the call.
pub type ReplyMapper = dyn Fn(&[u8], CallInfo) -> Result<JsValue, Error>;

/// Calls `operation` with the caller's `functions` and maps its reply with `map`.
pub async fn call_unary(
    config: &ClientConfig,
    functions: &CallerFunctions,
    operation: Operation,
    call: PreparedCall,
    map: &ReplyMapper,
) -> Result<JsValue, Error> {
    let signal = call.signal.as_ref();
    retry_loop(
        config,
        signal,
        call.max_retries,
        || false,
        async |attempt| {
            let sent =
                send_operation(config, functions, operation, &call.body, signal, attempt).await?;
            let bytes = sent
                .response
                .bytes()
                .await
                .map_err(|e| sent.secrets.redact(e))?;
            map(&bytes, sent.info)
        },
    )
    .await
}
