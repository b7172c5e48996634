//! CountTokens (`POST /model/{modelId}/count-tokens`): the input tokens a call would be charged,
//! counted by Bedrock from the very body the call would send. The request wraps that body:
//! `{"input": {"converse": {messages, system, toolConfig, additionalModelRequestFields}}}` for
//! Converse, `{"input": {"invokeModel": {"body": "<base64 native body>"}}}` for InvokeModel, as
//! the AWS SDKs send it. The reply is `{"inputTokens": n}`.

use serde_json::Value;
use wasm_bindgen::JsValue;

use super::request::PreparedCall;
use crate::chat::output::CallInfo;
use crate::Error;

/// The CountTokens request of a prepared call whose body was built for CountTokens (Converse's
/// `messages`, `system`, `toolConfig` and `additionalModelRequestFields` only).
pub fn for_converse(call: PreparedCall) -> PreparedCall {
    wrapped(call, br#"{"input":{"converse":"#, b"}}")
}

/// The CountTokens request of a prepared InvokeModel call: its native body, base64.
pub fn for_invoke_model(mut call: PreparedCall) -> PreparedCall {
    call.body = crate::base64::encode(&call.body).into_bytes();
    wrapped(call, br#"{"input":{"invokeModel":{"body":""#, br#""}}}"#)
}

/// The body between `head` and `tail`: a JSON value (or base64 text) needs no escaping there.
fn wrapped(mut call: PreparedCall, head: &[u8], tail: &[u8]) -> PreparedCall {
    let mut body = Vec::with_capacity(head.len() + call.body.len() + tail.len());
    body.extend_from_slice(head);
    body.extend_from_slice(&call.body);
    body.extend_from_slice(tail);
    call.body = body;
    call
}

/// The count in a CountTokens reply, as a JS number.
pub fn map_reply(body: &[u8], _info: CallInfo) -> Result<JsValue, Error> {
    input_tokens(body).map(|n| JsValue::from_f64(n as f64))
}

/// `inputTokens` of a CountTokens reply: a whole number, else the reply is not Bedrock's.
pub fn input_tokens(body: &[u8]) -> Result<u64, Error> {
    // Parsed as Converse replies are (one instance of the parser for both).
    let Ok(Value::Object(reply)) = serde_json::from_slice(body) else {
        return Err(Error::invalid_response(
            "CountTokens reply is not a JSON object",
        ));
    };
    reply
        .get("inputTokens")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::invalid_response("CountTokens reply has no whole-number inputTokens"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prepared(body: Value) -> PreparedCall {
        PreparedCall {
            body: serde_json::to_vec(&body).unwrap(),
            signal: None,
            max_retries: 2,
        }
    }

    fn body_of(call: PreparedCall) -> Value {
        serde_json::from_slice(&call.body).unwrap()
    }

    #[test]
    fn converse_bodies_go_in_input_converse() {
        let converse = json!({"messages": [{"role": "user", "content": [{"text": "Hi \"x\""}]}]});
        let body = body_of(for_converse(prepared(converse.clone())));
        assert_eq!(body, json!({"input": {"converse": converse}}));
    }

    #[test]
    fn invoke_model_sends_the_native_body_in_base64() {
        let native = json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024});
        let raw = serde_json::to_vec(&native).unwrap();
        let body = body_of(for_invoke_model(prepared(native)));
        let encoded = body["input"]["invokeModel"]["body"].as_str().unwrap();
        assert_eq!(crate::base64::decode(encoded.as_bytes()).unwrap(), raw);
        assert_eq!(body.as_object().unwrap().len(), 1);
    }

    #[test]
    fn the_reply_is_a_whole_number_of_input_tokens() {
        assert_eq!(input_tokens(br#"{"inputTokens": 42}"#).unwrap(), 42);
        for bad in [
            &b"{}"[..],
            b"{\"inputTokens\": 1.5}",
            b"{\"inputTokens\": -1}",
            b"nope",
        ] {
            let error = input_tokens(bad).unwrap_err();
            assert_eq!(error.name(), "InvalidResponse");
        }
    }
}
