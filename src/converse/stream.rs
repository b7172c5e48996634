//! ConverseStream events to `AIMessageChunk`s.
//!
//! Bedrock sends `messageStart`, then per content block an optional `contentBlockStart`,
//! `contentBlockDelta`s and `contentBlockStop`, then `messageStop` and `metadata`. Each payload
//! is parsed straight into the event's typed shape (the padding member `p` is skipped, never
//! kept) and each delta that carries something becomes one chunk; a plain text, tool-input or
//! reasoning delta in Bedrock's compact shape goes to the sink as its text lies in the payload
//! ([`EventMapper::push_event`]), with no chunk built. `messageStop` and
//! `metadata` become the one final chunk with `usage_metadata` and `response_metadata`. One
//! rule for every event, even one that shows nothing (`messageStart`, `contentBlockStop`): a
//! payload that is not a JSON object (an empty one counts as `{}`) is an `InvalidResponse`.
//! Exception and error frames become [`Error`]s named after the AWS error type.

use serde_json::{Map, Value};

use super::blocks::{citation, reasoning};
use super::usage::usage_metadata;
use crate::chat::output::{AIMessageChunk, Block, CallInfo, DeltaKind, ResponseMetadata};
use crate::chunk_decoder::{ChunkSink, EventMapper};
use crate::compact_delta::Shape;
use crate::Error;

/// A `contentBlockDelta` (`delta`) or `contentBlockStart` (`start`) payload, read from its
/// JSON value. Every payload is parsed as a [`Value`], never into a derived type: a typed
/// serde_json parse links serde's type-error messages, and with them core's float formatting
/// (8,748 B of gzipped wasm, measured when the last two went).
struct BlockEvent {
    index: u32,
    delta: BlockDelta,
    start: Map<String, Value>,
}

impl BlockEvent {
    fn read(event_type: &str, payload: &[u8]) -> Result<Self, Error> {
        let invalid = |what: &str| {
            Error::invalid_response(format!("{event_type} event payload is not valid: {what}"))
        };
        let mut members = parse_members(event_type, payload)?;
        let index = members
            .get("contentBlockIndex")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| invalid("contentBlockIndex is not a whole number"))?;
        let delta = match members.remove("delta") {
            None => BlockDelta::default(),
            Some(Value::Object(delta)) => BlockDelta::read(delta).map_err(|what| invalid(&what))?,
            Some(_) => return Err(invalid("delta is not an object")),
        };
        let start = match members.remove("start") {
            None => Map::new(),
            Some(Value::Object(start)) => start,
            Some(_) => return Err(invalid("start is not an object")),
        };
        Ok(BlockEvent {
            index,
            delta,
            start,
        })
    }
}

/// A plain text, tool-input or reasoning-text delta in the one compact shape Bedrock writes
/// them in: `{"contentBlockIndex":N,"delta":{"text":"…"},"p":"…"}`, with
/// `{"toolUse":{"input":"…"}}` or `{"reasoningContent":{"text":"…"}}` as the delta.
/// [`BlockEvent::read`] reads every other shape, to the same chunk.
const COMPACT: Shape = Shape {
    head: br#"{"contentBlockIndex":"#,
    middle: br#","delta":{""#,
    kinds: [
        (DeltaKind::Text, br#"text":"#, 1),
        (DeltaKind::ToolArgs, br#"toolUse":{"input":"#, 2),
        (DeltaKind::Reasoning, br#"reasoningContent":{"text":"#, 2),
    ],
};

/// A block's delta, and the `toolUse` delta (`input`) or `reasoningContent` delta (`text`,
/// `signature`, `redactedContent`) inside it: one type for all three. A member that does not
/// belong at its level is ignored; a missing or `null` member is absent (so a missing or
/// `null` `input` is empty arguments).
#[derive(Default)]
struct BlockDelta {
    text: Option<String>,
    tool_use: Option<Box<BlockDelta>>,
    reasoning: Option<Box<BlockDelta>>,
    citation: Option<Value>,
    input: Option<String>,
    signature: Option<String>,
    redacted_content: Option<String>,
}

impl BlockDelta {
    /// The members of a delta object; `Err` says which member has the wrong type.
    fn read(mut members: Map<String, Value>) -> Result<Self, String> {
        let mut text = |name: &str| match members.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(format!("{name} is not a string")),
        };
        let (text_, input, signature, redacted_content) = (
            text("text")?,
            text("input")?,
            text("signature")?,
            text("redactedContent")?,
        );
        let mut nested = |name: &str| match members.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(inner)) => BlockDelta::read(inner).map(|d| Some(Box::new(d))),
            Some(_) => Err(format!("{name} is not an object")),
        };
        let (tool_use, reasoning) = (nested("toolUse")?, nested("reasoningContent")?);
        let citation = members.remove("citation").filter(|v| !v.is_null());
        Ok(BlockDelta {
            text: text_,
            tool_use,
            reasoning,
            citation,
            input,
            signature,
            redacted_content,
        })
    }
}

/// Turns decoded ConverseStream frames into chunks, one frame at a time.
#[derive(Debug)]
pub struct ConverseStreamMapper {
    info: CallInfo,
    stop: Option<Map<String, Value>>,
    final_sent: bool,
}

impl ConverseStreamMapper {
    /// A mapper for one response; `info` fills ids and `response_metadata`.
    pub fn new(info: CallInfo) -> Self {
        Self {
            info,
            stop: None,
            final_sent: false,
        }
    }

    fn chunk(&self, block: Block) -> AIMessageChunk {
        AIMessageChunk {
            id: self.info.run_id.clone(),
            content: vec![block],
            ..Default::default()
        }
    }

    fn map_converse_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
    ) -> Result<Option<AIMessageChunk>, Error> {
        match event_type {
            "contentBlockDelta" => {
                // The compact shapes that make plain deltas never get here
                // (`push_event`); the rest are read as values.
                let event = BlockEvent::read(event_type, payload)?;
                Ok(self.delta(event, payload)?.map(|b| self.chunk(b)))
            }
            "contentBlockStart" => {
                let event = BlockEvent::read(event_type, payload)?;
                if event.start.is_empty() {
                    return Ok(None);
                }
                let block = match event.start.get("toolUse") {
                    Some(Value::Object(tool_use)) => Block::ToolCallChunk {
                        id: string(tool_use.get("toolUseId")),
                        name: string(tool_use.get("name")),
                        args: String::new(),
                        index: None,
                    },
                    _ => Block::NonStandard {
                        value: Value::Object(event.start),
                        index: None,
                    },
                };
                Ok(Some(self.chunk(block.at(event.index))))
            }
            // Every other event is a JSON object of members, even one that shows nothing.
            _ => {
                let members = parse_members(event_type, payload)?;
                self.map_members(event_type, members)
            }
        }
    }

    /// An event other than a block's start or delta, by its members (padding removed).
    fn map_members(
        &mut self,
        event_type: &str,
        members: Map<String, Value>,
    ) -> Result<Option<AIMessageChunk>, Error> {
        match event_type {
            "messageStart" | "contentBlockStop" => Ok(None),
            "messageStop" => {
                if self.final_sent {
                    // `metadata` came first (seen in vercel-ai's tool-no-args capture): the stop
                    // reason follows in a chunk of its own rather than being lost.
                    self.stop = Some(members);
                    self.final_sent = false;
                    return Ok(Some(self.final_chunk(None)));
                }
                self.stop = Some(members);
                Ok(None)
            }
            "metadata" => Ok(Some(self.final_chunk(Some(members)))),
            other => {
                let mut value = Map::new();
                value.insert(other.to_string(), Value::Object(members));
                Ok(Some(self.chunk(Block::NonStandard {
                    value: Value::Object(value),
                    index: None,
                })))
            }
        }
    }

    fn delta(&self, event: BlockEvent, payload: &[u8]) -> Result<Option<Block>, Error> {
        let index = event.index;
        let delta = event.delta;
        let block = if let Some(text) = delta.text {
            if text.is_empty() {
                return Ok(None);
            }
            Block::Text {
                text,
                annotations: Vec::new(),
                index: None,
            }
        } else if let Some(tool_use) = delta.tool_use {
            Block::ToolCallChunk {
                id: None,
                name: None,
                args: tool_use.input.unwrap_or_default(),
                index: None,
            }
        } else if let Some(r) = delta.reasoning {
            if r.text.is_none() && r.signature.is_none() && r.redacted_content.is_none() {
                return Ok(Some(self.unknown_delta(index, payload)?));
            }
            let r = *r;
            reasoning(r.text, r.signature, r.redacted_content)
        } else if let Some(cited) = delta.citation {
            Block::Text {
                text: String::new(),
                annotations: vec![citation(cited)],
                index: None,
            }
        } else {
            return Ok(Some(self.unknown_delta(index, payload)?));
        };
        Ok(Some(block.at(index)))
    }

    /// A delta of a kind this mapper does not know, kept whole as `non_standard`.
    fn unknown_delta(&self, index: u32, payload: &[u8]) -> Result<Block, Error> {
        let mut members = parse_members("contentBlockDelta", payload)?;
        let value = members.remove("delta").unwrap_or(Value::Null);
        Ok(Block::NonStandard { value, index: None }.at(index))
    }

    /// The final chunk: `messageStop`'s members and `metadata`'s, once. A repeated `metadata`
    /// event gives a chunk with only its own members.
    fn final_chunk(&mut self, metadata: Option<Map<String, Value>>) -> AIMessageChunk {
        let mut fields = if self.final_sent {
            Map::new()
        } else {
            self.stop.take().unwrap_or_default()
        };
        self.final_sent = true;
        let usage = metadata
            .as_ref()
            .and_then(|m| m.get("usage"))
            .map(usage_metadata);
        fields.extend(metadata.unwrap_or_default());
        AIMessageChunk {
            id: self.info.run_id.clone(),
            content: Vec::new(),
            usage,
            response_metadata: Some(ResponseMetadata {
                fields,
                call: self.info.clone(),
            }),
        }
    }
}

impl EventMapper for ConverseStreamMapper {
    fn map_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
    ) -> Result<Option<AIMessageChunk>, Error> {
        self.map_converse_event(event_type, payload)
    }

    /// A plain delta (most frames of a stream) goes to the sink as its text lies in the
    /// payload: no chunk, block or copy of the text is made for it.
    fn push_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
        sink: &mut dyn ChunkSink,
    ) -> Result<bool, Error> {
        match event_type {
            "contentBlockDelta" => COMPACT.push(payload, &self.info.run_id, sink),
            _ => Ok(false),
        }
    }

    fn request_id(&self) -> Option<&str> {
        self.info.request_id.as_deref()
    }

    /// A body that stopped before `messageStop` is an `IncompleteStream`; a stream without
    /// `metadata` still gets its final chunk here.
    fn finish(&mut self) -> Result<Option<AIMessageChunk>, Error> {
        if self.final_sent {
            return Ok(None);
        }
        if self.stop.is_none() {
            return Err(Error::incomplete_stream(
                "the stream ended before messageStop",
            ));
        }
        Ok(Some(self.final_chunk(None)))
    }
}

fn string(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

/// An event payload's members, without Bedrock's random-length padding member `p`.
fn parse_members(event_type: &str, payload: &[u8]) -> Result<Map<String, Value>, Error> {
    if payload.is_empty() {
        return Ok(Map::new());
    }
    let invalid = |what: &dyn std::fmt::Display| {
        Error::invalid_response(format!("{event_type} event payload is not valid: {what}"))
    };
    match serde_json::from_slice(payload) {
        Ok(Value::Object(mut members)) => {
            members.remove("p");
            Ok(members)
        }
        Ok(_) => Err(invalid(&"not a JSON object")),
        Err(e) => Err(invalid(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chunk_decoder::map_message;
    use crate::compact_delta::CompactDelta;
    use crate::event_stream::Message;
    use serde_json::json;

    fn event(event_type: &str, payload: Value) -> Message {
        Message::with_string_headers(
            &[(":message-type", "event"), (":event-type", event_type)],
            payload.to_string().into_bytes(),
        )
    }

    fn mapper() -> ConverseStreamMapper {
        ConverseStreamMapper::new(CallInfo {
            run_id: "run-x".into(),
            model_name: "m".into(),
            request_id: Some("rid".into()),
            status: 200,
            ..Default::default()
        })
    }

    fn map(m: &mut ConverseStreamMapper, event_type: &str, payload: Value) -> Option<Value> {
        map_message(m, &event(event_type, payload))
            .unwrap()
            .map(|c| serde_json::to_value(c).unwrap())
    }

    #[test]
    fn text_deltas_become_text_chunks_without_padding() {
        let mut m = mapper();
        assert_eq!(
            map(
                &mut m,
                "messageStart",
                json!({"role": "assistant", "p": "abc"})
            ),
            None
        );
        assert_eq!(
            map(
                &mut m,
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"text": "J"}, "p": "abcd"})
            ),
            Some(json!({"type": "AIMessageChunk", "id": "run-x",
                        "content": [{"type": "text", "text": "J", "index": 0}],
                        "text": "J", "tool_call_chunks": []}))
        );
        assert_eq!(
            map(&mut m, "contentBlockStop", json!({"contentBlockIndex": 0})),
            None
        );
        assert_eq!(
            map(
                &mut m,
                "messageStop",
                json!({"stopReason": "end_turn", "p": "ab"})
            ),
            None
        );
        let last = map(
            &mut m,
            "metadata",
            json!({"usage": {"inputTokens": 3, "outputTokens": 2, "totalTokens": 5},
                   "metrics": {"latencyMs": 9}, "p": "abc"}),
        )
        .unwrap();
        assert_eq!(last["usage_metadata"]["total_tokens"], json!(5));
        let meta = &last["response_metadata"];
        assert_eq!(meta["stopReason"], json!("end_turn"));
        assert_eq!(meta["metrics"]["latencyMs"], json!(9));
        assert_eq!(meta["ResponseMetadata"]["RequestId"], json!("rid"));
        assert!(meta.get("p").is_none());
        assert_eq!(m.finish().unwrap(), None);
    }

    #[test]
    fn a_repeated_metadata_event_does_not_repeat_message_stop() {
        let mut m = mapper();
        map(
            &mut m,
            "messageStop",
            json!({"stopReason": "end_turn", "additionalModelResponseFields": {"big": "x"}}),
        );
        let first = map(&mut m, "metadata", json!({"usage": {}})).unwrap();
        assert_eq!(first["response_metadata"]["stopReason"], json!("end_turn"));
        let again = map(&mut m, "metadata", json!({"metrics": {"latencyMs": 1}})).unwrap();
        assert!(again["response_metadata"].get("stopReason").is_none());
        assert!(again["response_metadata"]
            .get("additionalModelResponseFields")
            .is_none());
    }

    #[test]
    fn a_tool_delta_without_input_is_empty_arguments_and_a_non_string_input_is_refused() {
        let mut m = mapper();
        for delta in [json!({"toolUse": {}}), json!({"toolUse": {"input": null}})] {
            let chunk = map(
                &mut m,
                "contentBlockDelta",
                json!({"contentBlockIndex": 1, "delta": delta}),
            )
            .unwrap();
            assert_eq!(
                chunk["content"],
                json!([{"type": "tool_call_chunk", "args": "", "index": 1}])
            );
        }
        let bad = event(
            "contentBlockDelta",
            json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": 5}}}),
        );
        assert!(map_message(&mut m, &bad).is_err());
    }

    #[test]
    fn tool_reasoning_and_citation_deltas_keep_their_index() {
        let mut m = mapper();
        let start = map(
            &mut m,
            "contentBlockStart",
            json!({"contentBlockIndex": 1, "start": {"toolUse": {"toolUseId": "t1", "name": "w"}}}),
        )
        .unwrap();
        assert_eq!(
            start["tool_call_chunks"],
            json!([{"type": "tool_call_chunk", "id": "t1", "name": "w", "args": "", "index": 1}])
        );
        let args = map(
            &mut m,
            "contentBlockDelta",
            json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": "{\"a\""}}}),
        )
        .unwrap();
        assert_eq!(
            args["content"],
            json!([{"type": "tool_call_chunk", "args": "{\"a\"", "index": 1}])
        );
        let sig = map(
            &mut m,
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"reasoningContent": {"signature": "s1"}}}),
        )
        .unwrap();
        assert_eq!(
            sig["content"],
            json!([{"type": "reasoning", "reasoning": "", "extras": {"signature": "s1"}, "index": 0}])
        );
        let redacted = map(&mut m, "contentBlockDelta",
            json!({"contentBlockIndex": 2, "delta": {"reasoningContent": {"redactedContent": "AAAA"}}})).unwrap();
        assert_eq!(
            redacted["content"][0]["extras"],
            json!({"redactedContent": "AAAA"})
        );
        let cited = map(&mut m, "contentBlockDelta",
            json!({"contentBlockIndex": 3, "delta": {"citation": {"title": "doc",
                   "sourceContent": [{"text": "Blue."}], "location": {"documentChar": {"documentIndex": 0, "start": 0, "end": 5}}}}})).unwrap();
        assert_eq!(
            cited["content"],
            json!([{"type": "text", "text": "", "index": 3, "annotations": [
                {"type": "citation", "title": "doc", "citedText": "Blue.",
                 "location": {"documentChar": {"documentIndex": 0, "start": 0, "end": 5}}}]}])
        );
    }

    #[test]
    fn unknown_events_and_deltas_are_non_standard() {
        let mut m = mapper();
        let c = map(&mut m, "somethingNew", json!({"x": 1, "p": "a"})).unwrap();
        assert_eq!(
            c["content"][0],
            json!({"type": "non_standard", "value": {"somethingNew": {"x": 1}}})
        );
        let c = map(
            &mut m,
            "contentBlockDelta",
            json!({"contentBlockIndex": 2, "delta": {"image": {"x": 1}}, "p": "zz"}),
        )
        .unwrap();
        assert_eq!(
            c["content"][0],
            json!({"type": "non_standard", "value": {"image": {"x": 1}}, "index": 2})
        );
    }

    #[test]
    fn exception_frames_are_named_service_errors() {
        let mut m = mapper();
        let msg = Message::with_string_headers(
            &[
                (":message-type", "exception"),
                (":exception-type", "modelStreamErrorException"),
            ],
            br#"{"message":"Model Stream Error","originalStatusCode":500}"#.to_vec(),
        );
        let err = map_message(&mut m, &msg).unwrap_err();
        assert_eq!(err.name(), "ModelStreamErrorException");
        assert_eq!(err.status(), Some(424));
        assert_eq!(err.request_id(), Some("rid"));
        assert_eq!(err.message(), "Model Stream Error");
        let throttled = Message::with_string_headers(
            &[
                (":message-type", "exception"),
                (":exception-type", "throttlingException"),
            ],
            br#"{"message":"slow down"}"#.to_vec(),
        );
        assert!(map_message(&mut m, &throttled).unwrap_err().retryable());
        let unmodeled = Message::with_string_headers(
            &[
                (":message-type", "error"),
                (":error-code", "InternalFailure"),
                (":error-message", "broke"),
            ],
            Vec::new(),
        );
        let err = map_message(&mut m, &unmodeled).unwrap_err();
        assert_eq!(
            (err.name(), err.message().as_str()),
            ("InternalFailure", "broke")
        );
    }

    #[test]
    fn compact_deltas_read_as_the_value_path_reads_them_and_anything_else_falls_back() {
        // What each path read: index, text, tool input, reasoning text, signature.
        type Read = (
            u32,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        fn read(event: BlockEvent) -> Read {
            let delta = event.delta;
            let tool = delta.tool_use.map(|d| *d).unwrap_or_default();
            let reasoning = delta.reasoning.map(|d| *d).unwrap_or_default();
            (
                event.index,
                delta.text,
                tool.input,
                reasoning.text,
                reasoning.signature,
            )
        }
        let compact = [
            r#"{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefgh"}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"café 😀, no escape"}}"#,
            r#"{"contentBlockIndex":12,"delta":{"text":""}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a\u0001"}}"#,
            r#"{"contentBlockIndex":4294967295,"delta":{"text":"max"},"p":""}"#,
            r#"{"contentBlockIndex":1,"delta":{"text":"a \"quote\", \\ \/ \n\t \u00e9 \ud83d\ude00 é 😀"},"p":"x\"y"}"#,
            r#"{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\": \"Par"}},"p":"abc"}"#,
            r#"{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Let me think"}},"p":"ab"}"#,
        ];
        fn read_compact(compact: CompactDelta) -> Read {
            let text = Some(compact.text.into_owned());
            let index = compact.index;
            match compact.kind {
                DeltaKind::Text => (index, text, None, None, None),
                DeltaKind::ToolArgs => (index, None, text, None, None),
                DeltaKind::Reasoning => (index, None, None, text, None),
            }
        }
        for payload in compact {
            let fast = COMPACT
                .read(payload.as_bytes())
                .unwrap_or_else(|| panic!("{payload}"));
            let slow = BlockEvent::read("contentBlockDelta", payload.as_bytes()).unwrap();
            assert_eq!(read_compact(fast), read(slow), "{payload}");
        }
        let other = [
            r#"{"contentBlockIndex":0,"delta":{"text":"a"},"p":"b","q":1}"#,
            r#"{"delta":{"text":"a"},"contentBlockIndex":0}"#,
            r#"{"contentBlockIndex": 0,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":01,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":-1,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":1.0,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":4294967296,"delta":{"text":"a"}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a","citation":{}}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":null}}"#,
            r#"{"contentBlockIndex":0,"delta":{"toolUse":{"input":"a","x":1}}}"#,
            r#"{"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"AA=="}}}"#,
            r#"{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqQ="}},"p":"ab"}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"lone \ud83d"}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"bad \x"}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"open}}"#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"}} "#,
            r#"{"contentBlockIndex":0,"delta":{"text":"a"}}}"#,
        ];
        for payload in other {
            assert!(COMPACT.read(payload.as_bytes()).is_none(), "{payload}");
        }
        // A raw control character and invalid UTF-8 fall back too (and the Value path refuses them).
        for payload in [
            &b"{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\x01\"}}"[..],
            b"{\"contentBlockIndex\":0,\"delta\":{\"text\":\"a\xff\"}}",
        ] {
            assert!(COMPACT.read(payload).is_none());
            assert!(BlockEvent::read("contentBlockDelta", payload).is_err());
        }
    }

    #[test]
    fn plain_deltas_reach_the_sink_as_the_chunks_map_event_builds() {
        // (payload, whether it takes the plain path)
        let payloads = [
            (
                r#"{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"abcdefgh"}"#,
                true,
            ),
            (
                r#"{"contentBlockIndex":3,"delta":{"text":"caf\u00e9 \"q\" 😀"}}"#,
                true,
            ),
            (
                r#"{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"a\":"}},"p":"x"}"#,
                true,
            ),
            (
                r#"{"contentBlockIndex":1,"delta":{"toolUse":{"input":""}}}"#,
                true,
            ),
            (
                r#"{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"hm"}},"p":"ab"}"#,
                true,
            ),
            (
                r#"{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":""}}}"#,
                true,
            ),
            (r#"{"contentBlockIndex":12,"delta":{"text":""}}"#, false),
            (
                r#"{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"EqQ="}}}"#,
                false,
            ),
            (r#"{"delta":{"text":"a"},"contentBlockIndex":0}"#, false),
            (
                r#"{"contentBlockIndex":0,"delta":{"text":"a","citation":{}}}"#,
                false,
            ),
            (r#"{"contentBlockIndex":0,"delta":{"unknown":1}}"#, false),
        ];
        for (payload, plain) in payloads {
            let bytes = payload.as_bytes();
            let taken = COMPACT
                .read(bytes)
                .as_ref()
                .and_then(CompactDelta::plain)
                .is_some();
            assert_eq!(taken, plain, "{payload}");
            let built = mapper().map_event("contentBlockDelta", bytes).unwrap();
            let mut sunk = Vec::new();
            let pushed = mapper()
                .push_event("contentBlockDelta", bytes, &mut sunk)
                .unwrap();
            assert_eq!(pushed, plain, "{payload}");
            if pushed {
                assert_eq!(sunk, Vec::from_iter(built), "{payload}");
            }
            // Through map_message, which takes whichever path applies.
            assert_eq!(
                map_message(
                    &mut mapper(),
                    &event("contentBlockDelta", serde_json::from_str(payload).unwrap())
                )
                .unwrap(),
                mapper().map_event("contentBlockDelta", bytes).unwrap(),
                "{payload}"
            );
        }
        // A malformed payload is left to map_event, which refuses it.
        let bad = br#"{"contentBlockIndex":"0","delta":{"text":"a"}}"#;
        assert!(!mapper()
            .push_event("contentBlockDelta", bad, &mut Vec::new())
            .unwrap());
        assert!(mapper().map_event("contentBlockDelta", bad).is_err());
    }

    #[test]
    fn a_block_event_member_of_the_wrong_type_is_invalid_and_named() {
        for (event_type, payload, detail) in [
            (
                "contentBlockDelta",
                json!({"delta": {"text": "a"}}),
                "contentBlockIndex is not a whole number",
            ),
            (
                "contentBlockDelta",
                json!({"contentBlockIndex": -1, "delta": {"text": "a"}}),
                "contentBlockIndex is not a whole number",
            ),
            (
                "contentBlockDelta",
                json!({"contentBlockIndex": 4294967296u64}),
                "contentBlockIndex is not a whole number",
            ),
            (
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"text": 5}}),
                "text is not a string",
            ),
            (
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": "a"}),
                "delta is not an object",
            ),
            (
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"toolUse": []}}),
                "toolUse is not an object",
            ),
            (
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"toolUse": {"input": {}}}}),
                "input is not a string",
            ),
            (
                "contentBlockDelta",
                json!({"contentBlockIndex": 0, "delta": {"reasoningContent": {"signature": 1}}}),
                "signature is not a string",
            ),
            (
                "contentBlockStart",
                json!({"contentBlockIndex": 0, "start": 1}),
                "start is not an object",
            ),
        ] {
            let err = map_message(&mut mapper(), &event(event_type, payload)).unwrap_err();
            assert_eq!(err.name(), "InvalidResponse");
            assert_eq!(
                err.message(),
                format!("{event_type} event payload is not valid: {detail}")
            );
        }
        // A null member is an absent one: a delta with nothing known in it is kept whole.
        let chunk = map_message(
            &mut mapper(),
            &event(
                "contentBlockDelta",
                json!({"contentBlockIndex": 2, "delta": {"text": null, "toolUse": null, "x": 1}}),
            ),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            serde_json::to_value(&chunk.content).unwrap(),
            json!([{"type": "non_standard", "value": {"text": null, "toolUse": null, "x": 1}, "index": 2}])
        );
        // A null toolUse input is empty arguments.
        let chunk = map_message(
            &mut mapper(),
            &event(
                "contentBlockDelta",
                json!({"contentBlockIndex": 1, "delta": {"toolUse": {"input": null}}}),
            ),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            serde_json::to_value(&chunk.content).unwrap(),
            json!([{"type": "tool_call_chunk", "args": "", "index": 1}])
        );
    }

    #[test]
    fn a_payload_that_is_not_a_json_object_is_invalid_in_every_event() {
        for event_type in [
            "messageStart",
            "contentBlockStart",
            "contentBlockDelta",
            "contentBlockStop",
            "messageStop",
            "metadata",
            "somethingNew",
        ] {
            for payload in [
                &br#"{"role":"assistant""#[..],
                br#"{"contentBlockIndex":0,}"#,
                b"not json",
                b"\"text\"",
                b"5",
            ] {
                let msg = Message::with_string_headers(
                    &[(":message-type", "event"), (":event-type", event_type)],
                    payload.to_vec(),
                );
                let err = map_message(&mut mapper(), &msg).unwrap_err();
                assert_eq!(err.name(), "InvalidResponse", "{event_type}");
                assert!(
                    err.message()
                        .starts_with(&format!("{event_type} event payload is not valid: ")),
                    "{event_type}: {}",
                    err.message()
                );
            }
        }
        // An empty payload is an empty object: fine where no member is required.
        for event_type in ["messageStart", "contentBlockStop", "messageStop"] {
            let msg = Message::with_string_headers(
                &[(":message-type", "event"), (":event-type", event_type)],
                Vec::new(),
            );
            assert_eq!(
                map_message(&mut mapper(), &msg).unwrap(),
                None,
                "{event_type}"
            );
        }
    }

    #[test]
    fn message_stop_after_metadata_still_gives_the_stop_reason() {
        let mut m = mapper();
        assert_eq!(
            map(
                &mut m,
                "contentBlockStart",
                json!({"contentBlockIndex": 0, "start": {}})
            ),
            None
        );
        let meta = map(&mut m, "metadata", json!({"usage": {"totalTokens": 5}})).unwrap();
        assert_eq!(meta["usage_metadata"]["total_tokens"], json!(5));
        let stop = map(&mut m, "messageStop", json!({"stopReason": "tool_use"})).unwrap();
        assert_eq!(stop["response_metadata"]["stopReason"], json!("tool_use"));
        assert!(stop.get("usage_metadata").is_none());
        assert_eq!(m.finish().unwrap(), None);
    }

    #[test]
    fn a_stream_without_message_stop_is_incomplete() {
        let mut m = mapper();
        map(
            &mut m,
            "contentBlockDelta",
            json!({"contentBlockIndex": 0, "delta": {"text": "a"}}),
        );
        assert_eq!(m.finish().unwrap_err().name(), "IncompleteStream");
        let mut m = mapper();
        map(&mut m, "messageStop", json!({"stopReason": "end_turn"}));
        let last = serde_json::to_value(m.finish().unwrap().unwrap()).unwrap();
        assert_eq!(last["response_metadata"]["stopReason"], json!("end_turn"));
    }
}
