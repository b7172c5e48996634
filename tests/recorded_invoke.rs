//! Every recorded Anthropic InvokeModelWithResponseStream body decodes through the client's
//! chunk decoder (the `chunk` events unwrapped, the Anthropic events mapped) at several splits,
//! and the chunks carry exactly the recording's text, tool-call arguments and token counts; the
//! recorded InvokeModel reply maps to the message it holds.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use bedrock_edge::chat::output::{CallInfo, DerivedFields};
use bedrock_edge::chunk_decoder::ChunkDecoder;
use bedrock_edge::invoke::anthropic::{map_anthropic_response, AnthropicEvents};
use bedrock_edge::invoke::InvokeStreamMapper;
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
        .map(|event| serde_json::from_str(&event).unwrap())
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
                ChunkDecoder::new(InvokeStreamMapper::new(info(), AnthropicEvents::new()));
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
        }
        checked += 1;
    }
    assert_eq!(
        checked, 3,
        "Anthropic invoke-stream recordings in index.json"
    );
}

#[test]
fn the_recorded_anthropic_reply_maps_to_its_message() {
    let recording: Value = serde_json::from_str(
        &std::fs::read_to_string(
            recorded()
                .join("openinference-js/recordings/should-create-spans-for-invokemodel-calls.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let reply = &recording[0]["response"];
    let message = map_anthropic_response(reply.to_string().as_bytes(), info()).unwrap();
    let got = serde_json::to_value(&message).unwrap();
    assert_eq!(got["content"], reply["content"][0]["text"]);
    assert_eq!(
        got["usage_metadata"]["input_tokens"],
        reply["usage"]["input_tokens"]
    );
    assert_eq!(
        got["usage_metadata"]["output_tokens"],
        reply["usage"]["output_tokens"]
    );
    assert_eq!(got["response_metadata"]["stop_reason"], json!("end_turn"));
}
