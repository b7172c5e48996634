//! Every recorded InvokeModel reply and InvokeModelWithResponseStream body maps through the
//! provider its model id names, with the text and token counts the recording holds; the Anthropic
//! streams are also checked at several splits for their tool-call arguments.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use bedrock_edge::chat::output::{CallInfo, DerivedFields};
use bedrock_edge::chunk_decoder::ChunkDecoder;
use bedrock_edge::invoke::anthropic::reply::AnthropicEvents;
use bedrock_edge::invoke::provider::Provider;
use bedrock_edge::invoke::registry;
use bedrock_edge::invoke::{InvokeStreamMapper, ProviderEvents};
use serde_json::{json, Value};

fn recorded() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/recorded"
    ))
}

fn info() -> CallInfo {
    CallInfo {
        run_id: "run-invoke".into(),
        model_name: "recorded".into(),
        status: 200,
        ..Default::default()
    }
}

/// The Anthropic events a recording's `.events.jsonl` holds, decoded from each `chunk`.
fn anthropic_events(file: &str) -> Vec<Value> {
    anthropic_event_texts(file)
        .iter()
        .map(|event| serde_json::from_str(event).unwrap())
        .collect()
}

/// The same events, each as the text the recording's `chunk` carried.
fn anthropic_event_texts(file: &str) -> Vec<String> {
    let jsonl = std::fs::read_to_string(
        recorded()
            .join("derived")
            .join(file.replace(".eventstream", ".events.jsonl")),
    )
    .unwrap();
    jsonl
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter_map(|frame| frame["chunk_bytes_decoded"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn recorded_anthropic_streams_carry_their_text_tools_and_usage() {
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(recorded().join("derived/index.json")).unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    for entry in index.as_array().unwrap() {
        let path = entry["path"].as_str().unwrap_or("");
        if !(path.ends_with("/invoke-with-response-stream") && path.contains("anthropic.")) {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let body = std::fs::read(recorded().join("derived").join(file)).unwrap();
        let events = anthropic_events(file);
        let want_text: String = events
            .iter()
            .filter_map(|e| e["delta"]["text"].as_str())
            .collect();
        let want_output = events
            .iter()
            .find_map(|e| {
                e["usage"]["output_tokens"]
                    .as_u64()
                    .filter(|_| e["type"] == "message_delta")
            })
            .unwrap();
        for split in [body.len(), 7, 1] {
            let mut decoder =
                ChunkDecoder::new(InvokeStreamMapper::new(info(), AnthropicEvents::default()));
            let mut chunks = Vec::new();
            for piece in body.chunks(split) {
                decoder.push(piece);
                decoder
                    .drain_into(&mut chunks)
                    .unwrap_or_else(|e| panic!("{file}: {e}"));
            }
            chunks.extend(decoder.finish().unwrap_or_else(|e| panic!("{file}: {e}")));
            let chunks: Vec<Value> = chunks
                .iter()
                .map(|c| serde_json::to_value(c).unwrap())
                .collect();
            let text: String = chunks.iter().map(|c| c["text"].as_str().unwrap()).collect();
            assert_eq!(text, want_text, "{file} @ {split}: text");
            let last = chunks.last().unwrap();
            assert_eq!(
                last["usage_metadata"]["output_tokens"],
                json!(want_output),
                "{file}"
            );
            assert!(
                last["usage_metadata"]["input_tokens"].as_u64().unwrap() > 0,
                "{file}"
            );
            assert!(
                last["response_metadata"]["stop_reason"].is_string(),
                "{file}"
            );
            // Tool calls fold to the arguments the recording streamed.
            let mut merged: Vec<Value> = Vec::new();
            for block in chunks
                .iter()
                .flat_map(|c| c["content"].as_array().unwrap().clone())
            {
                match merged
                    .iter_mut()
                    .find(|m| m["index"] == block["index"] && m["type"] == block["type"])
                {
                    Some(m) if block["type"] == "tool_call_chunk" => {
                        let args = format!(
                            "{}{}",
                            m["args"].as_str().unwrap(),
                            block["args"].as_str().unwrap()
                        );
                        m["args"] = json!(args);
                    }
                    Some(_) => {}
                    None => merged.push(block),
                }
            }
            let fields = serde_json::to_value(DerivedFields(
                merged
                    .into_iter()
                    .map(bedrock_edge::chat::output::Block::from_value)
                    .collect(),
            ))
            .unwrap();
            let want_tools: Vec<Value> = events
                .iter()
                .filter(|e| e["content_block"]["type"] == "tool_use")
                .map(|e| {
                    let index = &e["index"];
                    let args: String = events
                        .iter()
                        .filter(|d| &d["index"] == index)
                        .filter_map(|d| d["delta"]["partial_json"].as_str())
                        .collect();
                    json!({"id": e["content_block"]["id"], "name": e["content_block"]["name"],
                           "args": serde_json::from_str::<Value>(&args).unwrap()})
                })
                .collect();
            let got_tools: Vec<Value> = fields["tool_calls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| json!({"id": c["id"], "name": c["name"], "args": c["args"]}))
                .collect();
            assert_eq!(got_tools, want_tools, "{file}: tool calls");
            // The chunks the provider's own mapping of each event gives: the compact path,
            // which the recording's text and argument deltas take, changes nothing.
            let mut state = AnthropicEvents::default();
            let texts = anthropic_event_texts(file);
            let built: Vec<Value> = texts
                .iter()
                .filter_map(|event| state.map_event(event.as_bytes(), &info()).unwrap())
                .map(|chunk| serde_json::to_value(chunk).unwrap())
                .collect();
            assert_eq!(chunks, built, "{file} @ {split}: chunks");
            let shape = state.compact_shape().unwrap();
            let compact = texts
                .iter()
                .filter(|event| shape.read(event.as_bytes()).is_some())
                .count();
            let deltas = events
                .iter()
                .filter(|e| {
                    e["delta"]["text"].is_string() || e["delta"]["partial_json"].is_string()
                })
                .count();
            assert!(deltas > 0, "{file}: deltas");
            assert_eq!(compact, deltas, "{file}: deltas in the compact shape");
        }
        checked += 1;
    }
    assert_eq!(
        checked, 3,
        "Anthropic invoke-stream recordings in index.json"
    );
}

/// The text and token counts a recorded InvokeModel reply holds, read by provider from the
/// documented reply shapes (the headers when the body has no counts).
fn reply_facts(
    provider: &dyn Provider,
    reply: &Value,
    headers: &[(String, String)],
) -> (String, Option<(u64, u64)>) {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<u64>().ok())
    };
    let from_headers = header("x-amzn-bedrock-input-token-count").map(|input| {
        (
            input,
            header("x-amzn-bedrock-output-token-count").unwrap_or(0),
        )
    });
    let texts = |blocks: &Value| -> String {
        blocks
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["text"].as_str())
            .collect()
    };
    let pair = |a: &Value, b: &Value| a.as_u64().zip(b.as_u64());
    match provider.name() {
        "anthropic" => (
            texts(&reply["content"]),
            pair(
                &reply["usage"]["input_tokens"],
                &reply["usage"]["output_tokens"],
            )
            .or(from_headers),
        ),
        "nova" => (
            texts(&reply["output"]["message"]["content"]),
            pair(
                &reply["usage"]["inputTokens"],
                &reply["usage"]["outputTokens"],
            ),
        ),
        "titan" => (
            reply["results"][0]["outputText"].as_str().unwrap().into(),
            pair(
                &reply["inputTextTokenCount"],
                &reply["results"][0]["tokenCount"],
            ),
        ),
        "meta" => (
            reply["generation"].as_str().unwrap().into(),
            pair(
                &reply["prompt_token_count"],
                &reply["generation_token_count"],
            ),
        ),
        "ai21" => (
            reply["choices"][0]["message"]["content"]
                .as_str()
                .unwrap()
                .into(),
            pair(
                &reply["usage"]["prompt_tokens"],
                &reply["usage"]["completion_tokens"],
            ),
        ),
        "cohere" => (
            reply["generations"][0]["text"].as_str().unwrap().into(),
            from_headers,
        ),
        other => unreachable!("no recorded {other} InvokeModel reply"),
    }
}

#[test]
fn every_recorded_invoke_reply_maps_to_its_text_and_token_counts() {
    let dir = recorded().join("openinference-js/recordings");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut checked = Vec::new();
    for name in names {
        let calls: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(&name)).unwrap()).unwrap();
        for call in calls.as_array().unwrap() {
            let path = call["path"].as_str().unwrap_or("");
            if !path.ends_with("/invoke") || call["status"] != 200 {
                continue;
            }
            let model = path.split('/').nth(2).unwrap().replace("%3A", ":");
            let provider = registry::from_model_id(&model).unwrap();
            let raw = call["rawHeaders"].as_array().unwrap();
            let headers: Vec<(String, String)> = raw
                .chunks(2)
                .map(|kv| {
                    (
                        kv[0].as_str().unwrap().to_ascii_lowercase(),
                        kv[1].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let info = CallInfo {
                headers: headers.clone(),
                model_name: model.clone(),
                ..info()
            };
            let body = call["response"].to_string();
            let message = provider
                .map_reply(body.as_bytes(), info)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let (text, usage) = reply_facts(provider, &call["response"], &headers);
            assert_eq!(message.text(), text, "{name}: text");
            let got = message.usage.map(|u| (u.input_tokens, u.output_tokens));
            assert_eq!(got, usage, "{name}: usage");
            let got = serde_json::to_value(&message).unwrap();
            assert_eq!(got["response_metadata"]["model_id"], json!(model), "{name}");
            checked.push(provider.name());
        }
    }
    // Anthropic, Nova, Titan ×2, Llama, Cohere, AI21 and the Anthropic tracer-provider copies.
    assert_eq!(checked.len(), 20, "successful recorded InvokeModel replies");
    for provider in ["anthropic", "nova", "titan", "meta", "cohere", "ai21"] {
        assert!(checked.contains(&provider), "{provider} is covered");
    }
}

#[test]
fn every_recorded_invoke_stream_decodes_through_its_provider() {
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(recorded().join("derived/index.json")).unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    for entry in index.as_array().unwrap() {
        let path = entry["path"].as_str().unwrap_or("");
        if !path.ends_with("/invoke-with-response-stream") {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let model = path.split('/').nth(2).unwrap().replace("%3A", ":");
        let provider = registry::from_model_id(&model).unwrap();
        let body = std::fs::read(recorded().join("derived").join(file)).unwrap();
        let mut decoder = ChunkDecoder::new(InvokeStreamMapper::new(info(), provider.events()));
        let mut chunks = Vec::new();
        for piece in body.chunks(97) {
            decoder.push(piece);
            decoder
                .drain_into(&mut chunks)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        chunks.extend(decoder.finish().unwrap_or_else(|e| panic!("{file}: {e}")));
        let events = anthropic_events(file);
        // The provider's own count where it gives one (Claude's `message_delta`; it can differ
        // from Bedrock's metrics), else Bedrock's invocation metrics.
        let want_output = events
            .iter()
            .find_map(|e| {
                e["usage"]["output_tokens"]
                    .as_u64()
                    .filter(|_| e["type"] == "message_delta")
            })
            .or_else(|| {
                events.last().unwrap()["amazon-bedrock-invocationMetrics"]["outputTokenCount"]
                    .as_u64()
            })
            .unwrap();
        let usage = chunks.last().unwrap().usage.unwrap();
        assert_eq!(usage.output_tokens, want_output, "{file}: output tokens");
        assert!(usage.input_tokens > 0, "{file}: input tokens");
        // The text each provider's events carry, by the provider's documented member.
        let want_text: String = events
            .iter()
            .filter_map(|e| {
                e["delta"]["text"]
                    .as_str()
                    .or(e["contentBlockDelta"]["delta"]["text"].as_str())
                    .or(e["outputText"].as_str())
                    .or(e["generation"].as_str())
            })
            .collect();
        let text: String = chunks.iter().map(|c| c.text()).collect();
        assert_eq!(text, want_text, "{file}: text");
        assert!(!text.is_empty(), "{file}: text");
        checked += 1;
    }
    assert_eq!(checked, 7, "invoke-stream recordings in index.json");
}
