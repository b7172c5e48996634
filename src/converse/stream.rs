//! ConverseStream events to `AIMessageChunk` objects.
//!
//! Bedrock sends `messageStart`, then per content block an optional `contentBlockStart`,
//! `contentBlockDelta`s and `contentBlockStop`, then `messageStop` and `metadata`. Every
//! delta that carries something becomes one chunk; `messageStop` and `metadata` are folded
//! into one final chunk with `usage_metadata` and `response_metadata`. Exception and error
//! frames become [`Error`]s named after the AWS error type.

use serde_json::{json, Map, Value};

use super::blocks::{non_standard, without_padding};
use super::usage::usage_metadata;
use super::CallInfo;
use crate::event_stream::{Message, MessageKind};
use crate::Error;

/// Turns decoded ConverseStream frames into chunks, one frame at a time.
#[derive(Debug)]
pub struct StreamMapper {
    info: CallInfo,
    stop: Option<Map<String, Value>>,
    final_sent: bool,
}

impl StreamMapper {
    /// A mapper for one response; `info` fills ids and `response_metadata`.
    pub fn new(info: CallInfo) -> Self {
        Self {
            info,
            stop: None,
            final_sent: false,
        }
    }

    /// Maps one frame: `Ok(Some(chunk))` when it carries something, `Ok(None)` when not,
    /// `Err` for exception and error frames and for malformed payloads.
    pub fn map_message(&mut self, message: &Message) -> Result<Option<Value>, Error> {
        match message.kind()? {
            MessageKind::Event { event_type } => {
                let payload = parse_payload(event_type, &message.payload)?;
                self.map_event(event_type, payload)
            }
            MessageKind::Exception { exception_type } => Err(exception_error(
                exception_type,
                &message.payload,
                self.info.request_id.as_deref(),
            )),
            MessageKind::Error {
                code,
                message: text,
            } => Err(Error::service(
                code,
                500,
                self.info.request_id.clone(),
                text.unwrap_or(code),
            )),
        }
    }

    /// Ends the stream. A body that stopped before `messageStop` is an `IncompleteStream`;
    /// a stream without `metadata` still gets its final chunk here.
    pub fn finish(&mut self) -> Result<Option<Value>, Error> {
        if self.stop.is_none() {
            return Err(Error::incomplete_stream(
                "the stream ended before messageStop",
            ));
        }
        if self.final_sent {
            return Ok(None);
        }
        Ok(Some(self.final_chunk(None)))
    }

    fn map_event(
        &mut self,
        event_type: &str,
        mut payload: Map<String, Value>,
    ) -> Result<Option<Value>, Error> {
        match event_type {
            "messageStart" | "contentBlockStop" => Ok(None),
            "contentBlockDelta" => {
                let index = block_index(&payload)?;
                let delta = payload.remove("delta").unwrap_or(Value::Null);
                Ok(self.delta_chunk(index, delta))
            }
            "contentBlockStart" => {
                let index = block_index(&payload)?;
                let start = payload.remove("start").unwrap_or(Value::Null);
                Ok(Some(self.start_chunk(index, start)))
            }
            "messageStop" => {
                self.stop = Some(without_padding(payload));
                Ok(None)
            }
            "metadata" => Ok(Some(self.final_chunk(Some(without_padding(payload))))),
            other => {
                let value = json!({ other: Value::Object(without_padding(payload)) });
                Ok(Some(self.chunk(
                    vec![non_standard(value)],
                    String::new(),
                    Vec::new(),
                )))
            }
        }
    }

    fn delta_chunk(&self, index: u64, delta: Value) -> Option<Value> {
        let Value::Object(mut delta) = delta else {
            return Some(self.indexed_non_standard(index, delta));
        };
        if let Some(Value::String(text)) = delta.get("text") {
            if text.is_empty() {
                return None;
            }
            let text = text.clone();
            let block = json!({ "type": "text", "text": text, "index": index });
            return Some(self.chunk(vec![block], text, Vec::new()));
        }
        if let Some(Value::Object(tool_use)) = delta.get("toolUse") {
            let args = tool_use.get("input").and_then(Value::as_str).unwrap_or("");
            let block = json!({ "type": "tool_call_chunk", "args": args, "index": index });
            return Some(self.chunk(vec![block.clone()], String::new(), vec![block]));
        }
        if let Some(Value::Object(reasoning)) = delta.get_mut("reasoningContent") {
            let block = if let Some(text) = reasoning.remove("text") {
                json!({ "type": "reasoning", "reasoning": text, "index": index })
            } else if let Some(signature) = reasoning.remove("signature") {
                json!({ "type": "reasoning", "reasoning": "", "extras": { "signature": signature }, "index": index })
            } else if let Some(redacted) = reasoning.remove("redactedContent") {
                json!({ "type": "reasoning", "reasoning": "", "extras": { "redactedContent": redacted }, "index": index })
            } else {
                return Some(self.indexed_non_standard(index, Value::Object(delta)));
            };
            return Some(self.chunk(vec![block], String::new(), Vec::new()));
        }
        Some(self.indexed_non_standard(index, Value::Object(delta)))
    }

    fn start_chunk(&self, index: u64, start: Value) -> Value {
        if let Some(tool_use) = start.get("toolUse") {
            let block = json!({
                "type": "tool_call_chunk",
                "id": tool_use.get("toolUseId").cloned().unwrap_or(Value::Null),
                "name": tool_use.get("name").cloned().unwrap_or(Value::Null),
                "args": "",
                "index": index,
            });
            return self.chunk(vec![block.clone()], String::new(), vec![block]);
        }
        self.indexed_non_standard(index, start)
    }

    fn indexed_non_standard(&self, index: u64, value: Value) -> Value {
        let mut block = non_standard(value);
        block["index"] = json!(index);
        self.chunk(vec![block], String::new(), Vec::new())
    }

    fn final_chunk(&mut self, metadata: Option<Map<String, Value>>) -> Value {
        self.final_sent = true;
        let mut response_metadata = self.stop.clone().unwrap_or_default();
        let mut usage = None;
        if let Some(metadata) = metadata {
            usage = metadata.get("usage").map(usage_metadata);
            response_metadata.extend(metadata);
        }
        response_metadata.insert("model_name".into(), json!(self.info.model_name));
        response_metadata.insert("ResponseMetadata".into(), self.info.response_metadata());
        let mut chunk = self.chunk(Vec::new(), String::new(), Vec::new());
        chunk["response_metadata"] = Value::Object(response_metadata);
        if let Some(usage) = usage {
            chunk["usage_metadata"] = usage;
        }
        chunk
    }

    fn chunk(&self, content: Vec<Value>, text: String, tool_call_chunks: Vec<Value>) -> Value {
        json!({
            "type": "AIMessageChunk",
            "id": self.info.run_id,
            "content": content,
            "text": text,
            "tool_call_chunks": tool_call_chunks,
        })
    }
}

fn parse_payload(event_type: &str, payload: &[u8]) -> Result<Map<String, Value>, Error> {
    if payload.is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_slice(payload) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Error::invalid_response(format!(
            "{event_type} event payload is not a JSON object"
        ))),
    }
}

fn block_index(payload: &Map<String, Value>) -> Result<u64, Error> {
    payload
        .get("contentBlockIndex")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::invalid_response("content block event without contentBlockIndex"))
}

/// An exception frame (`:exception-type: throttlingException`) as a service error named
/// `ThrottlingException`, with the HTTP status the model gives that error.
fn exception_error(exception_type: &str, payload: &[u8], request_id: Option<&str>) -> Error {
    let mut name = String::with_capacity(exception_type.len());
    let mut chars = exception_type.chars();
    if let Some(first) = chars.next() {
        name.extend(first.to_uppercase());
        name.push_str(chars.as_str());
    }
    let status = match name.as_str() {
        "ValidationException" | "ServiceQuotaExceededException" => 400,
        "AccessDeniedException" => 403,
        "ResourceNotFoundException" => 404,
        "ModelTimeoutException" => 408,
        "ModelErrorException" | "ModelStreamErrorException" => 424,
        "ThrottlingException" | "ModelNotReadyException" => 429,
        "ServiceUnavailableException" => 503,
        _ => 500,
    };
    let body: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
    let message = body
        .get("message")
        .or_else(|| body.get("Message"))
        .and_then(Value::as_str)
        .unwrap_or("the model stream reported an error")
        .to_string();
    Error::service(&name, status, request_id.map(str::to_string), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event_type: &str, payload: Value) -> Message {
        frame(
            &[(":message-type", "event"), (":event-type", event_type)],
            payload.to_string().into_bytes(),
        )
    }

    fn frame(headers: &[(&str, &str)], payload: Vec<u8>) -> Message {
        Message::with_string_headers(headers, payload)
    }

    fn mapper() -> StreamMapper {
        StreamMapper::new(CallInfo {
            run_id: "run-x".into(),
            model_name: "m".into(),
            request_id: Some("rid".into()),
            status: 200,
            ..Default::default()
        })
    }

    #[test]
    fn text_deltas_become_text_chunks_without_padding() {
        let mut m = mapper();
        assert_eq!(
            m.map_message(&event(
                "messageStart",
                json!({"role": "assistant", "p": "abc"})
            ))
            .unwrap(),
            None
        );
        let chunk = m
            .map_message(&event(
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"text": "J"}, "p": "abcd"}),
            ))
            .unwrap()
            .unwrap();
        assert_eq!(
            chunk,
            json!({"type": "AIMessageChunk", "id": "run-x", "content": [{"type": "text", "text": "J", "index": 0}],
                   "text": "J", "tool_call_chunks": []})
        );
        assert_eq!(
            m.map_message(&event("contentBlockStop", json!({"contentBlockIndex": 0})))
                .unwrap(),
            None
        );
        assert_eq!(
            m.map_message(&event(
                "messageStop",
                json!({"stopReason": "end_turn", "p": "ab"})
            ))
            .unwrap(),
            None
        );
        let last = m
            .map_message(&event(
                "metadata",
                json!({"usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
                                                    "metrics": {"latencyMs": 9}, "p": "abc"}),
            ))
            .unwrap()
            .unwrap();
        assert_eq!(last["usage_metadata"]["total_tokens"], json!(5));
        assert_eq!(last["response_metadata"]["stopReason"], json!("end_turn"));
        assert_eq!(last["response_metadata"]["metrics"]["latencyMs"], json!(9));
        assert_eq!(
            last["response_metadata"]["ResponseMetadata"]["RequestId"],
            json!("rid")
        );
        assert!(last["response_metadata"].get("p").is_none());
        assert_eq!(m.finish().unwrap(), None);
    }

    #[test]
    fn tool_and_reasoning_deltas_keep_their_index() {
        let mut m = mapper();
        let start = m
            .map_message(&event("contentBlockStart", json!({"contentBlockIndex": 1, "start": {"toolUse": {"toolUseId": "t1", "name": "w"}}})))
            .unwrap()
            .unwrap();
        assert_eq!(
            start["tool_call_chunks"][0],
            json!({"type": "tool_call_chunk", "id": "t1", "name": "w", "args": "", "index": 1})
        );
        let args = m
            .map_message(&event(
                "contentBlockDelta",
                json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": "{\"a\""}}}),
            ))
            .unwrap()
            .unwrap();
        assert_eq!(args["content"][0]["args"], json!("{\"a\""));
        let sig = m
            .map_message(&event(
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"reasoningContent": {"signature": "s1"}}}),
            ))
            .unwrap()
            .unwrap();
        assert_eq!(
            sig["content"][0],
            json!({"type": "reasoning", "reasoning": "", "extras": {"signature": "s1"}, "index": 0})
        );
    }

    #[test]
    fn unknown_events_and_deltas_are_non_standard() {
        let mut m = mapper();
        let c = m
            .map_message(&event("somethingNew", json!({"x": 1, "p": "a"})))
            .unwrap()
            .unwrap();
        assert_eq!(
            c["content"][0],
            json!({"type": "non_standard", "value": {"somethingNew": {"x": 1}}})
        );
        let c = m
            .map_message(&event(
                "contentBlockDelta",
                json!({"contentBlockIndex": 2, "delta": {"image": {"x": 1}}}),
            ))
            .unwrap()
            .unwrap();
        assert_eq!(
            c["content"][0],
            json!({"type": "non_standard", "value": {"image": {"x": 1}}, "index": 2})
        );
    }

    #[test]
    fn exception_frames_are_named_service_errors() {
        let mut m = mapper();
        let msg = frame(
            &[
                (":message-type", "exception"),
                (":exception-type", "modelStreamErrorException"),
            ],
            br#"{"message":"Model Stream Error","originalStatusCode":500}"#.to_vec(),
        );
        let err = m.map_message(&msg).unwrap_err();
        assert_eq!(err.name(), "ModelStreamErrorException");
        assert_eq!(err.status(), Some(424));
        assert_eq!(err.request_id(), Some("rid"));
        assert_eq!(err.message(), "Model Stream Error");
        let throttled = frame(
            &[
                (":message-type", "exception"),
                (":exception-type", "throttlingException"),
            ],
            br#"{"message":"slow down"}"#.to_vec(),
        );
        assert!(m.map_message(&throttled).unwrap_err().retryable());
        let unmodeled = frame(
            &[
                (":message-type", "error"),
                (":error-code", "InternalFailure"),
                (":error-message", "broke"),
            ],
            Vec::new(),
        );
        let err = m.map_message(&unmodeled).unwrap_err();
        assert_eq!(
            (err.name(), err.message().as_str()),
            ("InternalFailure", "broke")
        );
    }

    #[test]
    fn a_stream_without_message_stop_is_incomplete() {
        let mut m = mapper();
        m.map_message(&event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "a"}}),
        ))
        .unwrap();
        assert_eq!(m.finish().unwrap_err().name(), "IncompleteStream");
        let mut m = mapper();
        m.map_message(&event("messageStop", json!({"stopReason": "end_turn"})))
            .unwrap();
        let last = m.finish().unwrap().unwrap();
        assert_eq!(last["response_metadata"]["stopReason"], json!("end_turn"));
    }
}
