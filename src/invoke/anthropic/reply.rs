//! Anthropic Messages on Bedrock: the reply of InvokeModel and the events of
//! InvokeModelWithResponseStream (`message_start`, `content_block_start`/`_delta`/`_stop`,
//! `message_delta`, `message_stop`) to chat output, with text and citations, tool use
//! (`input_json_delta`), thinking with its signature, and redacted thinking.
//!
//! Anthropic's `input_tokens` excludes cache reads and writes, as Bedrock's does, so usage maps
//! the same way; a stream's final chunk comes at `message_stop`, with Bedrock's
//! `amazon-bedrock-invocationMetrics` in `response_metadata`.

use serde_json::{Map, Value};

use crate::chat::output::{
    AIMessage, AIMessageChunk, Block, CallInfo, Citation, DeltaKind, ReasoningExtras,
};
use crate::chat::usage::UsageMetadata;
use crate::compact_delta::Shape;
use crate::invoke::reply::{
    block_chunk, final_chunk, json_object, message, move_members, put, string_at, take,
    take_string, text_block, INVOCATION_METRICS,
};
use crate::invoke::ProviderEvents;
use crate::Error;

/// A text, tool-input or thinking delta as Anthropic writes it:
/// `{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`, with
/// `input_json_delta` (`partial_json`) or `thinking_delta` (`thinking`) as the delta's type.
/// [`delta_block`] reads every other shape, to the same chunk.
const COMPACT: Shape = Shape {
    head: br#"{"type":"content_block_delta","index":"#,
    middle: br#","delta":{"type":""#,
    kinds: [
        (DeltaKind::Text, br#"text_delta","text":"#, 1),
        (
            DeltaKind::ToolArgs,
            br#"input_json_delta","partial_json":"#,
            1,
        ),
        (DeltaKind::Reasoning, br#"thinking_delta","thinking":"#, 1),
    ],
};

/// The state of one Anthropic stream: usage as it accumulates, and the stop reason.
#[derive(Debug, Default)]
pub struct AnthropicEvents {
    usage: Map<String, Value>,
    fields: Map<String, Value>,
    done: bool,
}

impl AnthropicEvents {
    fn final_chunk(&mut self, info: &CallInfo, metrics: Option<Value>) -> AIMessageChunk {
        self.done = true;
        let mut fields = std::mem::take(&mut self.fields);
        let usage = usage_metadata(&self.usage, metrics.as_ref());
        put(
            &mut fields,
            "usage",
            Value::Object(std::mem::take(&mut self.usage)),
        );
        if let Some(metrics) = metrics {
            put(&mut fields, INVOCATION_METRICS, metrics);
        }
        final_chunk(info, Vec::new(), fields, Some(usage))
    }
}

impl ProviderEvents for AnthropicEvents {
    fn map_event(
        &mut self,
        event: &[u8],
        info: &CallInfo,
    ) -> Result<Option<AIMessageChunk>, Error> {
        let mut event = json_object(event, "an Anthropic event")?;
        let kind = take_string(&mut event, "type").unwrap_or_default();
        let index = event
            .get("index")
            .and_then(Value::as_u64)
            .and_then(|i| u32::try_from(i).ok());
        // A block event without its block's index would leave its piece (tool-call arguments,
        // say) loose from the block it belongs to.
        let block_event = matches!(
            kind.as_str(),
            "content_block_start" | "content_block_delta" | "content_block_stop"
        );
        if block_event && index.is_none() {
            return Err(Error::invalid_response(format!(
                "an Anthropic {kind} event is not valid: its index is not a whole number"
            )));
        }
        let mut delta = match take(&mut event, "delta") {
            Some(Value::Object(delta)) => delta,
            _ => Map::new(),
        };
        match kind.as_str() {
            "message_start" => {
                if let Some(Value::Object(mut message)) = take(&mut event, "message") {
                    if let Some(Value::Object(usage)) = message.remove("usage") {
                        self.usage.extend(usage);
                    }
                    move_members(&mut message, &["id", "model"], &mut self.fields);
                }
                Ok(None)
            }
            "content_block_start" => Ok(take(&mut event, "content_block")
                .and_then(|block| content_block(block, true))
                .map(|b| block_chunk(info, b, index))),
            "content_block_delta" => {
                Ok(delta_block(&mut delta).map(|b| block_chunk(info, b, index)))
            }
            "message_delta" => {
                let keys = ["stop_reason", "stop_sequence"];
                move_members(&mut delta, &keys, &mut self.fields);
                if let Some(Value::Object(usage)) = take(&mut event, "usage") {
                    self.usage.extend(usage);
                }
                Ok(None)
            }
            "message_stop" => {
                let metrics = take(&mut event, INVOCATION_METRICS);
                Ok(Some(self.final_chunk(info, metrics)))
            }
            "error" => {
                let error = take(&mut event, "error").unwrap_or(Value::Null);
                let text = |key: &str| error.get(key).and_then(Value::as_str).unwrap_or("error");
                Err(Error::service(
                    text("type"),
                    crate::error::DEFAULT_STATUS,
                    info.request_id.clone(),
                    text("message"),
                ))
            }
            // `ping`, `content_block_stop` and events added later carry nothing to show.
            _ => Ok(None),
        }
    }

    fn compact_shape(&self) -> Option<&'static Shape> {
        Some(&COMPACT)
    }

    fn finish(&mut self, _info: &CallInfo) -> Result<Option<AIMessageChunk>, Error> {
        if self.done {
            Ok(None)
        } else {
            Err(Error::incomplete_stream(
                "the stream ended before message_stop",
            ))
        }
    }
}

/// The piece a `content_block_delta` adds.
fn delta_block(delta: &mut Map<String, Value>) -> Option<Block> {
    let kind = take_string(delta, "type")?;
    match kind.as_str() {
        "text_delta" => take_string(delta, "text")
            .filter(|t| !t.is_empty())
            .map(text_block),
        "input_json_delta" => Some(Block::ToolCallChunk {
            id: None,
            name: None,
            args: take_string(delta, "partial_json").unwrap_or_default(),
            index: None,
        }),
        "thinking_delta" => Some(reasoning_block(
            take_string(delta, "thinking").unwrap_or_default(),
            None,
            None,
        )),
        "signature_delta" => Some(reasoning_block(
            String::new(),
            take_string(delta, "signature"),
            None,
        )),
        "citations_delta" => take(delta, "citation").map(|c| Block::Text {
            text: String::new(),
            annotations: vec![citation(c)],
            index: None,
        }),
        _ => None,
    }
}

fn reasoning_block(
    reasoning: String,
    signature: Option<String>,
    redacted: Option<String>,
) -> Block {
    Block::Reasoning {
        reasoning,
        extras: ReasoningExtras {
            signature,
            redacted_content: redacted,
        },
        index: None,
    }
}

/// An Anthropic citation (`char_location`, `page_location`, `web_search_result_location`, …) as
/// a citation annotation; the whole citation is kept as its location.
fn citation(value: Value) -> Citation {
    let text = |key: &str| string_at(&value, key);
    Citation {
        title: text("document_title").or_else(|| text("title")),
        source: None,
        url: text("url"),
        cited_text: text("cited_text"),
        location: Some(value),
    }
}

/// Usage from Anthropic's counts, else from Bedrock's invocation metrics.
fn usage_metadata(usage: &Map<String, Value>, metrics: Option<&Value>) -> UsageMetadata {
    let count = |key: &str| usage.get(key).and_then(Value::as_u64);
    let metric = |key: &str| metrics.and_then(|m| m.get(key)).and_then(Value::as_u64);
    UsageMetadata::new(
        count("input_tokens")
            .or_else(|| metric("inputTokenCount"))
            .unwrap_or(0),
        count("output_tokens")
            .or_else(|| metric("outputTokenCount"))
            .unwrap_or(0),
        None,
        count("cache_read_input_tokens").unwrap_or(0),
        count("cache_creation_input_tokens").unwrap_or(0),
    )
}

/// Maps an InvokeModel reply in the Anthropic Messages format.
pub fn map_response(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
    let invalid = || Error::invalid_response("the reply is not an Anthropic message");
    let Value::Object(mut reply) = serde_json::from_slice(body).map_err(|_| invalid())? else {
        return Err(invalid());
    };
    let Some(Value::Array(content)) = reply.remove("content") else {
        return Err(invalid());
    };
    let usage = match reply.get("usage") {
        Some(Value::Object(usage)) => Some(usage_metadata(usage, None)),
        _ => None,
    };
    let mut fields = Map::new();
    let keys = ["id", "model", "stop_reason", "stop_sequence", "usage"];
    move_members(&mut reply, &keys, &mut fields);
    let mut blocks = Vec::new();
    for block in content {
        blocks.extend(content_block(block, false));
    }
    Ok(message(info, blocks, fields, usage))
}

/// One block of an Anthropic reply, or the block a `content_block_start` opens (`start`): that
/// one is none while it carries nothing yet (text, thinking), and a tool call is a chunk of one
/// with its arguments to come.
fn content_block(block: Value, start: bool) -> Option<Block> {
    let text = |key: &str| string_at(&block, key);
    Some(match block.get("type").and_then(Value::as_str) {
        Some("text") => {
            let text = text("text").unwrap_or_default();
            if start && text.is_empty() {
                return None;
            }
            let annotations = match block.get("citations") {
                Some(Value::Array(items)) if !start => {
                    items.iter().cloned().map(citation).collect()
                }
                _ => Vec::new(),
            };
            Block::Text {
                text,
                annotations,
                index: None,
            }
        }
        Some("tool_use") if start => Block::ToolCallChunk {
            id: text("id"),
            name: text("name"),
            args: String::new(),
            index: None,
        },
        Some("tool_use") => Block::tool_call(
            text("id"),
            text("name"),
            block.get("input").cloned().unwrap_or(Value::Null),
        ),
        Some("thinking") => {
            let reasoning = text("thinking").unwrap_or_default();
            let signature = text("signature");
            if start && reasoning.is_empty() && signature.is_none() {
                return None;
            }
            reasoning_block(reasoning, signature, None)
        }
        Some("redacted_thinking") => reasoning_block(String::new(), None, text("data")),
        _ => Block::NonStandard {
            value: block,
            index: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoke::test_support::call_info;
    use serde_json::json;

    fn info() -> CallInfo {
        call_info("run-a", "anthropic.claude")
    }

    fn map_all(events: &[Value]) -> Vec<Value> {
        let mut state = AnthropicEvents::default();
        let mut out = Vec::new();
        for event in events {
            if let Some(chunk) = state
                .map_event(event.to_string().as_bytes(), &info())
                .unwrap()
            {
                out.push(serde_json::to_value(chunk).unwrap());
            }
        }
        assert_eq!(state.finish(&info()).unwrap(), None);
        out
    }

    #[test]
    fn plain_deltas_reach_the_sink_as_the_chunks_map_event_builds() {
        use crate::base64;
        use crate::chunk_decoder::EventMapper;
        use crate::compact_delta::CompactDelta;
        use crate::invoke::InvokeStreamMapper;

        let delta =
            |delta: &str| format!(r#"{{"type":"content_block_delta","index":2,"delta":{delta}}}"#);
        // (event, whether it takes the plain path)
        let events = [
            (delta(r#"{"type":"text_delta","text":"Hello"}"#), true),
            (delta(r#"{"type":"text_delta","text":"caf\u00e9 \"q\" 😀"}"#), true),
            (delta(r#"{"type":"input_json_delta","partial_json":"{\"a\":"}"#), true),
            (delta(r#"{"type":"input_json_delta","partial_json":""}"#), true),
            (delta(r#"{"type":"thinking_delta","thinking":"hm"}"#), true),
            (delta(r#"{"type":"thinking_delta","thinking":""}"#), true),
            (delta(r#"{"type":"text_delta","text":""}"#), false),
            (delta(r#"{"type":"signature_delta","signature":"EqQ="}"#), false),
            (delta(r#"{"type":"text_delta","text":"a","x":1}"#), false),
            (delta(r#"{"text":"a","type":"text_delta"}"#), false),
            (
                r#"{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}}"#.into(),
                false,
            ),
            (r#"{"type":"message_stop"}"#.into(), false),
            (r#"{"type":"content_block_stop","index":0}"#.into(), false),
        ];
        for (event, plain) in &events {
            let compact = COMPACT.read(event.as_bytes());
            assert_eq!(
                compact.as_ref().and_then(CompactDelta::plain).is_some(),
                *plain,
                "{event}"
            );
            let payload = json!({"bytes": base64::encode(event.as_bytes()), "p": "abc"});
            let payload = payload.to_string();
            let mapper = || InvokeStreamMapper::new(info(), AnthropicEvents::default());
            let built = mapper().map_event("chunk", payload.as_bytes()).unwrap();
            let mut sunk = Vec::new();
            let pushed = mapper()
                .push_event("chunk", payload.as_bytes(), &mut sunk)
                .unwrap();
            assert!(pushed, "{event}");
            assert_eq!(sunk, Vec::from_iter(built), "{event}");
        }
        // Another event type is left to map_event, which gives nothing for it.
        let mut mapper = InvokeStreamMapper::new(info(), AnthropicEvents::default());
        assert!(!mapper.push_event("other", b"{}", &mut Vec::new()).unwrap());
        // A malformed wrapper or event is refused on either path.
        let bad_event = base64::encode(
            br#"{"type":"content_block_delta","delta":{"type":"text_delta","text":"a"}}"#,
        );
        for payload in [
            r#"{"bytes":"%%%"}"#.to_string(),
            json!({ "bytes": bad_event }).to_string(),
        ] {
            let mut mapper = InvokeStreamMapper::new(info(), AnthropicEvents::default());
            assert!(mapper.map_event("chunk", payload.as_bytes()).is_err());
            let pushed = mapper.push_event("chunk", payload.as_bytes(), &mut Vec::new());
            assert!(pushed.is_err(), "{payload}");
        }
    }

    #[test]
    fn thinking_signature_redacted_and_citations_stream_as_blocks() {
        let chunks = map_all(&[
            json!({"type": "message_start", "message": {"id": "msg_1", "model": "claude",
                   "usage": {"input_tokens": 5, "output_tokens": 1, "cache_read_input_tokens": 7}}}),
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": ""}}),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "hm"}}),
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "sig"}}),
            json!({"type": "content_block_start", "index": 1, "content_block": {"type": "redacted_thinking", "data": "AAAA"}}),
            json!({"type": "content_block_start", "index": 2, "content_block": {"type": "text", "text": ""}}),
            json!({"type": "content_block_delta", "index": 2, "delta": {"type": "citations_delta", "citation":
                   {"type": "char_location", "cited_text": "Blue.", "document_index": 0, "document_title": "facts",
                    "start_char_index": 0, "end_char_index": 5}}}),
            json!({"type": "content_block_delta", "index": 2, "delta": {"type": "text_delta", "text": "The sky is blue."}}),
            json!({"type": "ping"}),
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 9}}),
            json!({"type": "message_stop", "amazon-bedrock-invocationMetrics": {"inputTokenCount": 5, "outputTokenCount": 9}}),
        ]);
        assert_eq!(
            chunks[0]["content"],
            json!([{"type": "reasoning", "reasoning": "hm", "index": 0}])
        );
        assert_eq!(
            chunks[1]["content"][0]["extras"],
            json!({"signature": "sig"})
        );
        assert_eq!(
            chunks[2]["content"][0]["extras"],
            json!({"redactedContent": "AAAA"})
        );
        assert_eq!(
            chunks[3]["content"][0]["annotations"][0]["title"],
            json!("facts")
        );
        assert_eq!(
            chunks[3]["content"][0]["annotations"][0]["citedText"],
            json!("Blue.")
        );
        assert_eq!(chunks[4]["text"], json!("The sky is blue."));
        let last = &chunks[5];
        assert_eq!(last["usage_metadata"]["input_tokens"], json!(12));
        assert_eq!(last["usage_metadata"]["output_tokens"], json!(9));
        assert_eq!(
            last["usage_metadata"]["input_token_details"]["cache_read"],
            json!(7)
        );
        assert_eq!(last["response_metadata"]["stop_reason"], json!("end_turn"));
        assert_eq!(last["response_metadata"]["id"], json!("msg_1"));
    }

    #[test]
    fn a_stream_without_message_stop_is_incomplete_and_error_events_are_errors() {
        let mut state = AnthropicEvents::default();
        state
            .map_event(br#"{"type":"message_start","message":{}}"#, &info())
            .unwrap();
        assert_eq!(
            state.finish(&info()).unwrap_err().name(),
            "IncompleteStream"
        );
        let err = state
            .map_event(
                br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
                &info(),
            )
            .unwrap_err();
        assert_eq!(
            (err.name(), err.message().as_str()),
            ("overloaded_error", "Overloaded")
        );
    }

    #[test]
    fn block_events_whose_index_is_not_a_whole_number_are_invalid_responses() {
        let start = json!({"type": "tool_use", "id": "toolu_1", "name": "weather"});
        let args = json!({"type": "input_json_delta", "partial_json": "{\"city\""});
        let mut bad = vec![
            br#"{"type":"content_block_delta","index":1e0,"delta":{"type":"text_delta","text":"a"}}"#.to_vec(),
        ];
        for kind in [
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
        ] {
            for index in [
                json!(0.0),
                json!(-1),
                json!("0"),
                json!(4_294_967_296u64),
                json!(null),
                json!(true),
            ] {
                let event =
                    json!({"type": kind, "index": index, "content_block": start, "delta": args});
                bad.push(event.to_string().into_bytes());
            }
            let missing = json!({"type": kind, "content_block": start, "delta": args});
            bad.push(missing.to_string().into_bytes());
        }
        for event in bad {
            let err = AnthropicEvents::default()
                .map_event(&event, &info())
                .unwrap_err();
            let kind = &json_object(&event, "event").unwrap()["type"];
            assert_eq!(
                (err.name(), err.message()),
                (
                    "InvalidResponse",
                    format!(
                        "an Anthropic {} event is not valid: its index is not a whole number",
                        kind.as_str().unwrap()
                    )
                ),
                "{}",
                String::from_utf8_lossy(&event)
            );
        }
        // The largest index there is still is one, and the arguments keep it.
        let chunks = map_all(&[
            json!({"type": "content_block_start", "index": 4_294_967_295u64, "content_block": start}),
            json!({"type": "content_block_delta", "index": 4_294_967_295u64, "delta": args}),
            json!({"type": "content_block_stop", "index": 4_294_967_295u64}),
            json!({"type": "message_stop"}),
        ]);
        assert_eq!(
            chunks[1]["tool_call_chunks"],
            json!([{"type": "tool_call_chunk", "args": "{\"city\"", "index": 4_294_967_295u64}])
        );
    }

    #[test]
    fn replies_map_text_tools_and_thinking() {
        let body = json!({"id": "msg_2", "type": "message", "model": "claude", "content": [
            {"type": "thinking", "thinking": "hm", "signature": "sig"},
            {"type": "text", "text": "Let me check."},
            {"type": "tool_use", "id": "toolu_1", "name": "weather", "input": {"city": "Paris"}},
        ], "stop_reason": "tool_use", "usage": {"input_tokens": 3, "output_tokens": 4}});
        let message = map_response(body.to_string().as_bytes(), info()).unwrap();
        let got = serde_json::to_value(&message).unwrap();
        assert_eq!(got["text"], json!("Let me check."));
        assert_eq!(got["tool_calls"][0]["args"], json!({"city": "Paris"}));
        assert_eq!(got["contentBlocks"][0]["extras"]["signature"], json!("sig"));
        assert_eq!(got["response_metadata"]["stop_reason"], json!("tool_use"));
        assert_eq!(got["usage_metadata"]["total_tokens"], json!(7));
        assert!(map_response(b"[]", info()).is_err());
    }
}
