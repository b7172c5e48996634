//! Amazon Nova's native format, messages-v1: Converse's shapes in an InvokeModel body.
//!
//! The request has Converse's `system` and `messages` (split and merged by Converse's own
//! helper) and `toolConfig`, with `schemaVersion` and an `inferenceConfig` that also takes
//! `topK`. Replies are Converse replies, and stream events are Converse events keyed by their
//! type (`{"contentBlockDelta": {…}}`), the last one with `amazon-bedrock-invocationMetrics`
//! beside `metadata`; both map through the Converse mappers, then get the invoke metadata
//! (`stop_reason`, `model_id`, the metrics).
//!
//! AWS's Nova guides say document input is Converse-only, so documents are refused, as are
//! reasoning blocks, guard content and the other Converse-only blocks.

use serde_json::{Map, Value};

use super::json_writer::JsonWriter;
use super::provider::{Identity, Provider, Request};
use super::reply::{final_chunk, message, metrics_usage, put, INVOCATION_METRICS};
use super::ProviderEvents;
use crate::chat::input::{ContentBlock, ToolResultContent};
use crate::chat::output::{AIMessage, AIMessageChunk, Block, CallInfo};
use crate::chat::settings::Setting::{
    Betas, MaxTokens, StopSequences, Temperature, Thinking, TopK, TopP,
};
use crate::chunk_decoder::EventMapper;
use crate::converse::request::system_and_turns;
use crate::converse::response::map_converse_response;
use crate::converse::stream::ConverseStreamMapper;
use crate::json_members::members;
use crate::Error;

/// The `schemaVersion` of Nova's native body.
pub const SCHEMA_VERSION: &str = "messages-v1";

/// Amazon Nova.
pub struct Nova;

impl Provider for Nova {
    fn identity(&self) -> &'static Identity {
        const IDENTITY: &Identity = &Identity::of("nova", "Amazon Nova models", &[Thinking, Betas])
            .aliases(&["amazon"])
            .vendor("amazon", |model| {
                model.starts_with("nova") || model.contains(".nova")
            });
        IDENTITY
    }

    fn request_body(&self, request: Request, out: &mut JsonWriter) -> Result<(), Error> {
        body(request, self.identity().label, out)
    }

    fn map_reply(&self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        map_response(body, info)
    }

    fn events(&self) -> Box<dyn ProviderEvents> {
        Box::<NovaEvents>::default()
    }
}

/// The messages-v1 body.
fn body(request: Request, label: &str, out: &mut JsonWriter) -> Result<(), Error> {
    let (options, messages) = (request.settings, request.messages());
    for (i, message) in messages.iter().enumerate() {
        for (j, block) in message.blocks.iter().enumerate() {
            if let Some(what) = refused(block) {
                return Err(Error::invalid_input(format!(
                    "messages[{i}].content[{j}]: {label} take no {what} through InvokeModel; use ChatBedrockConverse"
                )));
            }
        }
    }
    let (system, turns) = system_and_turns(messages);
    if turns.is_empty() {
        return Err(Error::invalid_input(
            "messages need at least one human or ai message with content",
        ));
    }
    out.text("schemaVersion", SCHEMA_VERSION);
    if !system.is_empty() {
        out.key("system").value(&system);
    }
    out.key("messages").value(&turns);
    out.settings_object(
        "inferenceConfig",
        options,
        &[
            ("maxTokens", MaxTokens),
            ("temperature", Temperature),
            ("topP", TopP),
            ("topK", TopK),
            ("stopSequences", StopSequences),
        ],
    );
    if let Some(tools) = options.tools.as_deref().filter(|t| !t.is_empty()) {
        out.key("toolConfig").open().key("tools").value(tools);
        if let Some(choice) = &request.tool_choice {
            out.key("toolChoice").value(choice);
        }
        out.close();
    }
    Ok(())
}

/// What Nova's InvokeModel body has no place for, by name.
fn refused(block: &ContentBlock) -> Option<&'static str> {
    Some(match block {
        ContentBlock::Document(_) => "documents",
        ContentBlock::ToolResult(result)
            if result
                .content
                .iter()
                .any(|part| matches!(part, ToolResultContent::Document(_))) =>
        {
            "documents in tool results"
        }
        ContentBlock::ReasoningContent(_) => "reasoning blocks",
        ContentBlock::GuardContent(_) => "guardContent",
        // `audio` (Nova 2 Omni) is in the native schema; the others are Converse blocks.
        ContentBlock::Native(value) if value.get("audio").is_none() => "Bedrock-native blocks",
        _ => return None,
    })
}

/// Converse's `stopReason` under the key every invoke provider uses.
fn invoke_fields(mut fields: Map<String, Value>) -> Map<String, Value> {
    if let Some(reason) = fields.remove("stopReason") {
        put(&mut fields, "stop_reason", reason);
    }
    fields
}

/// Maps a Nova InvokeModel reply (a Converse reply: `output`, `stopReason`, `usage`).
pub fn map_response(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
    let reply = map_converse_response(body, info.clone()).map_err(|_| {
        Error::invalid_response("the reply is not an Amazon Nova message (output.message.content)")
    })?;
    let fields = invoke_fields(reply.response_metadata.fields);
    Ok(message(info, reply.blocks, fields, reply.usage))
}

/// The state of one Nova stream: the Converse mapper its events go through, the invocation
/// metrics until the final chunk takes them, and the renumbering of text blocks.
#[derive(Debug, Default)]
pub struct NovaEvents {
    converse: Option<ConverseStreamMapper>,
    metrics: Option<Value>,
    blocks: Renumbering,
}

/// Nova streams every text piece as a content block of its own (indexes counting up), where its
/// InvokeModel reply has one text block: consecutive text blocks get one index, so that the
/// folded stream equals the reply. Other blocks keep their order, shifted down.
#[derive(Debug, Default)]
struct Renumbering {
    /// The last Nova index seen, and whether it was a text block.
    last: Option<(u32, bool)>,
    /// How many Nova blocks were merged into the one before them.
    merged: u32,
}

impl Renumbering {
    fn apply(&mut self, chunk: &mut AIMessageChunk) {
        for block in &mut chunk.content {
            let Some(index) = block.index() else { continue };
            let text = matches!(block, Block::Text { .. });
            match self.last {
                Some((last, _)) if last == index => {}
                Some((_, last_text)) => {
                    if text && last_text {
                        self.merged += 1;
                    }
                    self.last = Some((index, text));
                }
                None => self.last = Some((index, text)),
            }
            block.set_index(Some(index - self.merged));
        }
    }
}

impl NovaEvents {
    fn converse(&mut self, info: &CallInfo) -> &mut ConverseStreamMapper {
        self.converse
            .get_or_insert_with(|| ConverseStreamMapper::new(info.clone()))
    }

    /// A final chunk of the Converse mapper with the invoke metadata and, the first time, the
    /// invocation metrics (and usage from them when `metadata` had none); other chunks as they
    /// are.
    fn stamp(&mut self, info: &CallInfo, chunk: AIMessageChunk) -> AIMessageChunk {
        let Some(metadata) = chunk.response_metadata else {
            return chunk;
        };
        let mut fields = invoke_fields(metadata.fields);
        let metrics = self.metrics.take();
        let usage = chunk
            .usage
            .or_else(|| metrics.as_ref().and_then(metrics_usage));
        if let Some(metrics) = metrics {
            put(&mut fields, INVOCATION_METRICS, metrics);
        }
        final_chunk(info, chunk.content, fields, usage)
    }
}

impl ProviderEvents for NovaEvents {
    fn map_event(
        &mut self,
        event: &[u8],
        info: &CallInfo,
    ) -> Result<Option<AIMessageChunk>, Error> {
        // Each member's JSON text is handed on as it is, for the Converse mapper to parse once.
        let invalid = || Error::invalid_response("Nova event is not a valid JSON object");
        let mut kind = None;
        for (name, value) in members(event).ok_or_else(invalid)? {
            if name == INVOCATION_METRICS {
                self.metrics = serde_json::from_slice(value).ok();
            } else if kind.is_none() {
                kind = Some((name, value));
            }
        }
        let Some((kind, inner)) = kind else {
            return Ok(None);
        };
        let chunk = self.converse(info).map_event(&kind, inner)?;
        Ok(chunk.map(|mut c| {
            self.blocks.apply(&mut c);
            self.stamp(info, c)
        }))
    }

    fn finish(&mut self, info: &CallInfo) -> Result<Option<AIMessageChunk>, Error> {
        let chunk = self.converse(info).finish()?;
        Ok(chunk.map(|c| self.stamp(info, c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;
    use crate::chat::settings::Settings;
    use crate::chat::tools::normalize_tools;
    use crate::invoke::test_support::assert_usage;
    use crate::invoke::test_support::build;
    use crate::invoke::test_support::refusal;
    use crate::invoke::test_support::{
        call_info, file, fold, recorded_call, recorded_events, refused,
    };
    use serde_json::json;

    fn info() -> CallInfo {
        call_info("run-n", "amazon.nova-micro-v1:0")
    }

    fn body(options: &Settings, input: Value) -> Value {
        let messages = normalize_messages(input).unwrap();
        serde_json::from_slice(&build(&Nova, "amazon.nova-lite-v1:0", options, &messages).unwrap())
            .unwrap()
    }

    fn limits(max_tokens: u32, temperature: f64) -> Settings {
        Settings {
            max_tokens: Some(max_tokens),
            temperature: Some(temperature),
            ..Default::default()
        }
    }

    #[test]
    fn the_recorded_request_bodies() {
        // openinference-python TestNovaInvokeModel.test_nova_lite_with_system.
        assert_eq!(
            body(
                &limits(128, 0.5),
                json!([
                    [
                        "system",
                        "You are a helpful assistant. Keep responses brief."
                    ],
                    ["human", "Hello! Who are you?"]
                ])
            ),
            json!({"schemaVersion": "messages-v1",
                   "system": [{"text": "You are a helpful assistant. Keep responses brief."}],
                   "messages": [{"role": "user", "content": [{"text": "Hello! Who are you?"}]}],
                   "inferenceConfig": {"maxTokens": 128, "temperature": 0.5}})
        );
        // test_nova_with_tool_use.
        let weather = json!({"toolSpec": {"name": "get_weather",
            "description": "Get the current weather for a location.",
            "inputSchema": {"json": {"type": "object", "properties": {"location": {"type": "string",
                "description": "The city and state"}}, "required": ["location"]}}}});
        let options = Settings {
            tools: Some(normalize_tools(&json!([weather])).unwrap()),
            ..limits(256, 0.1)
        };
        assert_eq!(
            body(&options, json!("What is the weather in Seattle?")),
            json!({"schemaVersion": "messages-v1",
                   "messages": [{"role": "user", "content": [{"text": "What is the weather in Seattle?"}]}],
                   "toolConfig": {"tools": [weather]},
                   "inferenceConfig": {"maxTokens": 256, "temperature": 0.1}})
        );
        // openinference-js should-handle-amazon-nova-models sent the same without schemaVersion.
        let (mut sent, _) = recorded_call("should-handle-amazon-nova-models.json");
        sent["schemaVersion"] = json!(SCHEMA_VERSION);
        let tools = normalize_tools(&sent["toolConfig"]["tools"]).unwrap();
        let options = Settings {
            tools: Some(tools),
            ..limits(100, 0.7)
        };
        let text = sent["messages"][0]["content"][0]["text"].clone();
        assert_eq!(body(&options, text), sent);
    }

    #[test]
    fn media_tools_cache_points_top_k_tool_choice_and_kwargs() {
        let tools = normalize_tools(&json!([{"name": "w", "schema": {"type": "object"}},
                                            {"cachePoint": {"type": "default"}}]))
        .unwrap();
        let options = Settings {
            top_p: Some(0.9),
            top_k: Some(20),
            stop_sequences: Some(vec!["END".into()]),
            tools: Some(tools),
            tool_choice: Some("any".into()),
            model_kwargs: Some(
                json!({"inferenceConfig": {"maxTokens": 7}})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
            ..Default::default()
        };
        let got = body(
            &options,
            json!([
                ["system", [{"type": "text", "text": "Be brief."}, {"cachePoint": {"type": "default"}}]],
                ["human", [{"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="},
                           {"type": "video", "url": "s3://b/clip.mp4"}]],
                {"role": "ai", "content": "", "tool_calls": [{"id": "t1", "name": "w", "args": {"a": 1}}]},
                {"role": "tool", "tool_call_id": "t1", "content": {"temp": 18}},
                ["human", "Thanks"],
            ]),
        );
        assert_eq!(
            got["system"],
            json!([{"text": "Be brief."}, {"cachePoint": {"type": "default"}}])
        );
        assert_eq!(
            got["messages"],
            json!([
                {"role": "user", "content": [
                    {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
                    {"video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://b/clip.mp4"}}}}]},
                {"role": "assistant", "content": [{"toolUse": {"toolUseId": "t1", "name": "w", "input": {"a": 1}}}]},
                {"role": "user", "content": [
                    {"toolResult": {"toolUseId": "t1", "content": [{"json": {"temp": 18}}]}},
                    {"text": "Thanks"}]},
            ])
        );
        assert_eq!(
            got["toolConfig"],
            json!({"tools": [{"toolSpec": {"name": "w", "inputSchema": {"json": {"type": "object"}}}},
                             {"cachePoint": {"type": "default"}}],
                   "toolChoice": {"any": {}}})
        );
        // modelKwargs replace a built member whole.
        assert_eq!(got["inferenceConfig"], json!({"maxTokens": 7}));
        let plain = body(
            &Settings {
                model_kwargs: None,
                ..options
            },
            json!("hi"),
        );
        assert_eq!(
            plain["inferenceConfig"],
            json!({"topP": 0.9, "topK": 20, "stopSequences": ["END"]})
        );
    }

    #[test]
    fn what_nova_cannot_take_is_a_type_error() {
        let doc = json!({"type": "file", "mimeType": "application/pdf", "data": "JVBERi0="});
        for (bad, j, what) in [
            (json!([["human", ["hi", doc.clone()]]]), 1, "documents"),
            (
                json!([{"role": "ai", "content": [{"type": "reasoning", "reasoning": "hm"}]}]),
                0,
                "reasoning blocks",
            ),
            (
                json!([["human", ["hi", {"guardContent": {"text": {"text": "x"}}}]]]),
                1,
                "guardContent",
            ),
            (
                json!([["human", ["hi", {"searchResult": {"source": "s"}}]]]),
                1,
                "Bedrock-native blocks",
            ),
            (
                json!([{"role": "tool", "tool_call_id": "t", "content": [doc]}]),
                0,
                "documents in tool results",
            ),
        ] {
            let messages = normalize_messages(bad).unwrap();
            let err = refusal(&Nova, "amazon.nova-lite-v1:0", &messages);
            assert!(err.is_invalid_input(), "{err}");
            assert_eq!(
                err.message(),
                format!("messages[0].content[{j}]: Amazon Nova models take no {what} through InvokeModel; use ChatBedrockConverse")
            );
        }
        let messages = normalize_messages(json!("hi")).unwrap();
        refused(
            |o| build(&Nova, "amazon.nova-lite-v1:0", o, &messages),
            &["thinking", "betas", "toolChoice"],
        );
        let only_system = normalize_messages(json!([["system", "s"]])).unwrap();
        assert!(refusal(&Nova, "amazon.nova-lite-v1:0", &only_system).is_invalid_input());
    }

    #[test]
    fn recorded_replies_map_text_tool_calls_and_usage() {
        let (_, reply) = recorded_call("should-handle-amazon-nova-models.json");
        let got = serde_json::to_value(map_response(reply.to_string().as_bytes(), info()).unwrap())
            .unwrap();
        assert_eq!(
            got["text"],
            reply["output"]["message"]["content"][0]["text"]
        );
        assert_eq!(
            got["tool_calls"],
            json!([{"type": "tool_call", "id": "9fd2280f-9131-45d9-860f-843c2e3d01fa",
                    "name": "get_weather", "args": {"unit": "celsius", "location": "San Francisco"}}])
        );
        let meta = &got["response_metadata"];
        assert_eq!(meta["stop_reason"], json!("tool_use"));
        assert!(meta.get("stopReason").is_none());
        assert_eq!(meta["model_id"], json!("amazon.nova-micro-v1:0"));
        assert_eq!(meta["usage"], reply["usage"]);
        assert_usage(&got["usage_metadata"], 454, 75);
        // TestNovaInvokeModel.test_nova_lite_with_system, with cache reads.
        let reply = br#"{"output":{"message":{"content":[{"text":"Hello! I'm an AI assistant here to help with any questions or tasks you have. How can I assist you today?"}],"role":"assistant"}},"stopReason":"end_turn","usage":{"inputTokens":16,"outputTokens":27,"totalTokens":43,"cacheReadInputTokenCount":4,"cacheWriteInputTokenCount":0}}"#;
        let got = serde_json::to_value(map_response(reply, info()).unwrap()).unwrap();
        assert_eq!(got["content"], json!("Hello! I'm an AI assistant here to help with any questions or tasks you have. How can I assist you today?"));
        assert_eq!(got["response_metadata"]["stop_reason"], json!("end_turn"));
        assert_eq!(got["usage_metadata"]["input_tokens"], json!(20));
        assert_eq!(
            got["usage_metadata"]["input_token_details"]["cache_read"],
            json!(4)
        );
        // Without usage, the token-count headers count.
        let headers = CallInfo {
            headers: vec![
                ("x-amzn-bedrock-input-token-count".into(), "13".into()),
                ("x-amzn-bedrock-output-token-count".into(), "3".into()),
            ],
            ..info()
        };
        let bare = br#"{"output":{"message":{"content":[{"text":"4"}],"role":"assistant"}},"stopReason":"end_turn"}"#;
        let got = map_response(bare, headers).unwrap();
        assert_eq!(got.usage.unwrap().total_tokens, 16);
        for bad in [&b"nope"[..], b"[]", br#"{"output":{}}"#] {
            assert_eq!(
                map_response(bad, info()).unwrap_err().name(),
                "InvalidResponse"
            );
        }
    }

    fn stream(events: &[String]) -> Vec<Value> {
        fold(&mut NovaEvents::default(), &info(), events)
    }

    #[test]
    fn recorded_streams_carry_their_text_stop_reason_and_usage() {
        for name in [
            "openinference-python/TestNovaInvokeModelWithResponseStream.test_nova_micro_streaming",
            "openinference-js/should-handle-amazon-nova-streaming",
        ] {
            let events = recorded_events(name);
            let natives: Vec<Value> = events
                .iter()
                .map(|e| serde_json::from_str(e).unwrap())
                .collect();
            let want: String = natives
                .iter()
                .filter_map(|e| e["contentBlockDelta"]["delta"]["text"].as_str())
                .collect();
            let last_native = natives.last().unwrap();
            let chunks = stream(&events);
            let text: String = chunks.iter().map(|c| c["text"].as_str().unwrap()).collect();
            assert_eq!(text, want, "{name}");
            let last = chunks.last().unwrap();
            let usage = &last_native["metadata"]["usage"];
            assert_eq!(
                last["usage_metadata"]["input_tokens"], usage["inputTokens"],
                "{name}"
            );
            assert_eq!(
                last["usage_metadata"]["output_tokens"], usage["outputTokens"],
                "{name}"
            );
            let meta = &last["response_metadata"];
            assert_eq!(meta["stop_reason"], json!("end_turn"), "{name}");
            assert_eq!(meta["model_id"], json!("amazon.nova-micro-v1:0"));
            assert_eq!(meta[INVOCATION_METRICS], last_native[INVOCATION_METRICS]);
            assert_eq!(meta["usage"], *usage);
            // Nova numbers every text piece as a block of its own; they fold into one.
            for chunk in &chunks[..chunks.len() - 1] {
                assert_eq!(chunk["content"][0]["index"], json!(0), "{name}");
            }
        }
    }

    #[test]
    fn text_pieces_fold_into_one_block_and_later_blocks_shift_down() {
        let events: Vec<String> = [
            json!({"contentBlockDelta": {"delta": {"text": "Let me"}, "contentBlockIndex": 0}}),
            json!({"contentBlockStop": {"contentBlockIndex": 0}}),
            json!({"contentBlockDelta": {"delta": {"text": " check."}, "contentBlockIndex": 1}}),
            json!({"contentBlockStop": {"contentBlockIndex": 1}}),
            json!({"contentBlockStart": {"start": {"toolUse": {"toolUseId": "t1", "name": "w"}}, "contentBlockIndex": 2}}),
            json!({"contentBlockDelta": {"delta": {"toolUse": {"input": "{}"}}, "contentBlockIndex": 2}}),
            json!({"contentBlockDelta": {"delta": {"text": "Done"}, "contentBlockIndex": 3}}),
            json!({"messageStop": {"stopReason": "tool_use"}}),
            json!({"metadata": {"usage": {"inputTokens": 1, "outputTokens": 2}}}),
        ]
        .iter()
        .map(Value::to_string)
        .collect();
        let indexes: Vec<Value> = stream(&events)
            .iter()
            .filter_map(|c| c["content"].get(0).map(|b| b["index"].clone()))
            .collect();
        assert_eq!(indexes, [json!(0), json!(0), json!(1), json!(1), json!(2)]);
    }

    #[test]
    fn recorded_event_streams_decode_through_the_provider_dispatch() {
        use crate::chunk_decoder::ChunkDecoder;
        use crate::invoke::InvokeStreamMapper;
        for (name, provider, text_key, reason) in [
            (
                "openinference-js/should-handle-amazon-nova-streaming",
                &Nova as &dyn Provider,
                "/contentBlockDelta/delta/text",
                "end_turn",
            ),
            (
                "openinference-js/should-handle-amazon-titan-streaming",
                &crate::invoke::titan::Titan,
                "/outputText",
                "LENGTH",
            ),
            (
                "openinference-js/should-handle-meta-llama-streaming",
                &crate::invoke::llama::Llama,
                "/generation",
                "length",
            ),
        ] {
            let want: String = recorded_events(name)
                .iter()
                .map(|e| serde_json::from_str::<Value>(e).unwrap())
                .filter_map(|e| {
                    e.pointer(text_key)
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect();
            let body = std::fs::read(file(&format!("derived/{name}.eventstream"))).unwrap();
            let mut decoder = ChunkDecoder::new(InvokeStreamMapper::new(info(), provider.events()));
            let mut chunks = Vec::new();
            for piece in body.chunks(97) {
                decoder.push(piece);
                decoder.drain_into(&mut chunks).unwrap();
            }
            chunks.extend(decoder.finish().unwrap());
            let text: String = chunks.iter().map(|c| c.text()).collect();
            assert_eq!(text, want, "{name}");
            let last = chunks.last().unwrap().response_metadata.as_ref().unwrap();
            assert_eq!(last.fields["stop_reason"], json!(reason), "{name}");
            assert!(chunks.last().unwrap().usage.is_some(), "{name}");
        }
    }

    #[test]
    fn streamed_tool_use_reasoning_and_cache_counts() {
        let events: Vec<String> = [
            json!({"messageStart": {"role": "assistant"}}),
            json!({"contentBlockDelta": {"delta": {"reasoningContent": {"text": "hm"}}, "contentBlockIndex": 0}}),
            json!({"contentBlockStart": {"start": {"toolUse": {"toolUseId": "t1", "name": "w"}}, "contentBlockIndex": 1}}),
            json!({"contentBlockDelta": {"delta": {"toolUse": {"input": "{\"a\":"}}, "contentBlockIndex": 1}}),
            json!({"contentBlockDelta": {"delta": {"toolUse": {"input": "1}"}}, "contentBlockIndex": 1}}),
            json!({"contentBlockStop": {"contentBlockIndex": 1}}),
            json!({"messageStop": {"stopReason": "tool_use"}}),
            json!({"metadata": {"usage": {"inputTokens": 5, "outputTokens": 9,
                   "cacheReadInputTokenCount": 100, "cacheWriteInputTokenCount": 0}, "metrics": {}, "trace": {}},
                   INVOCATION_METRICS: {"inputTokenCount": 5, "outputTokenCount": 9, "cacheReadInputTokenCount": 100}}),
        ]
        .iter()
        .map(Value::to_string)
        .collect();
        let chunks = stream(&events);
        assert_eq!(
            chunks[0]["content"],
            json!([{"type": "reasoning", "reasoning": "hm", "index": 0}])
        );
        assert_eq!(
            chunks[1]["tool_call_chunks"],
            json!([{"type": "tool_call_chunk", "id": "t1", "name": "w", "args": "", "index": 1}])
        );
        assert_eq!(chunks[3]["tool_call_chunks"][0]["args"], json!("1}"));
        let last = &chunks[4];
        assert_eq!(last["response_metadata"]["stop_reason"], json!("tool_use"));
        assert_eq!(
            last["usage_metadata"],
            json!({"input_tokens": 105, "output_tokens": 9, "total_tokens": 114,
                   "input_token_details": {"cache_read": 100, "cache_creation": 0}})
        );
    }

    #[test]
    fn usage_falls_back_to_the_metrics_and_cut_streams_are_incomplete() {
        let mut state = NovaEvents::default();
        for event in [
            r#"{"contentBlockDelta":{"delta":{"text":"Hi"},"contentBlockIndex":0}}"#,
            r#"{"messageStop":{"stopReason":"max_tokens"}}"#,
        ] {
            state.map_event(event.as_bytes(), &info()).unwrap();
        }
        let last = state
            .map_event(
                br#"{"metadata":{"metrics":{}},"amazon-bedrock-invocationMetrics":{"inputTokenCount":3,"outputTokenCount":2}}"#,
                &info(),
            )
            .unwrap()
            .unwrap();
        assert_eq!(last.usage.unwrap().total_tokens, 5);
        assert_eq!(
            last.response_metadata.unwrap().fields["stop_reason"],
            json!("max_tokens")
        );
        // A stream that stops after messageStop still ends with the stop reason.
        let mut state = NovaEvents::default();
        state
            .map_event(br#"{"messageStop":{"stopReason":"end_turn"}}"#, &info())
            .unwrap();
        let last = state.finish(&info()).unwrap().unwrap();
        assert_eq!(
            last.response_metadata.unwrap().fields["model_id"],
            json!("amazon.nova-micro-v1:0")
        );
        let mut cut = NovaEvents::default();
        cut.map_event(br#"{"messageStart":{"role":"assistant"}}"#, &info())
            .unwrap();
        assert_eq!(cut.finish(&info()).unwrap_err().name(), "IncompleteStream");
        assert_eq!(
            cut.map_event(b"{", &info()).unwrap_err().name(),
            "InvalidResponse"
        );
    }

    #[test]
    fn every_event_takes_the_converse_rule_for_its_payload() {
        for kind in [
            "messageStart",
            "contentBlockStart",
            "contentBlockDelta",
            "contentBlockStop",
            "messageStop",
            "metadata",
        ] {
            for inner in ["5", "\"x\"", "[]", "null"] {
                let event = format!(r#"{{"{kind}":{inner}}}"#);
                let err = NovaEvents::default()
                    .map_event(event.as_bytes(), &info())
                    .unwrap_err();
                assert_eq!(err.name(), "InvalidResponse", "{event}");
                assert!(
                    err.message()
                        .starts_with(&format!("{kind} event payload is not valid: ")),
                    "{event}: {}",
                    err.message()
                );
            }
            let cut = format!(r#"{{"{kind}":{{"role":}}}}"#);
            let err = NovaEvents::default()
                .map_event(cut.as_bytes(), &info())
                .unwrap_err();
            assert_eq!(err.name(), "InvalidResponse", "{cut}");
        }
    }
}
