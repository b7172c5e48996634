//! Every recorded real ConverseStream body decodes and maps to chunks without error, and the
//! chunks folded with `concat` hold exactly what the recorded events carried: all text, tool
//! inputs, reasoning text and signatures, and the usage, with no padding member `p` anywhere.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use bedrock_edge::converse::concat::concat;
use bedrock_edge::converse::stream::StreamMapper;
use bedrock_edge::converse::CallInfo;
use bedrock_edge::event_stream::FrameDecoder;
use serde_json::{json, Value};

fn derived() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/vectors/recorded/derived"
    ))
}

fn index() -> Vec<Value> {
    let text = std::fs::read_to_string(derived().join("index.json")).expect("index.json");
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn info() -> CallInfo {
    CallInfo {
        run_id: "run-test".into(),
        model_name: "recorded".into(),
        request_id: Some("rid".into()),
        status: 200,
        ..Default::default()
    }
}

/// Decodes a body fed in `chunk`-byte pieces and maps every frame.
fn map_body(body: &[u8], chunk: usize) -> Result<Vec<Value>, bedrock_edge::Error> {
    let mut decoder = FrameDecoder::new();
    let mut mapper = StreamMapper::new(info());
    let mut chunks = Vec::new();
    for piece in body.chunks(chunk) {
        decoder.push(piece);
        while let Some(message) = decoder.next_message()? {
            chunks.extend(mapper.map_message(&message)?);
        }
    }
    decoder.finish()?;
    chunks.extend(mapper.finish()?);
    Ok(chunks)
}

fn has_key_p(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("p") || map.values().any(has_key_p),
        Value::Array(items) => items.iter().any(has_key_p),
        _ => false,
    }
}

/// What the recorded events carry, computed straight from the `.events.jsonl` decode.
struct Expected {
    text: String,
    tool_args: Vec<Value>,
    reasoning: String,
    signatures: Vec<String>,
    total_tokens: u64,
    stop_reason: Value,
}

fn expected(jsonl: &str) -> Expected {
    let mut e = Expected {
        text: String::new(),
        tool_args: Vec::new(),
        reasoning: String::new(),
        signatures: Vec::new(),
        total_tokens: 0,
        stop_reason: Value::Null,
    };
    let mut tool_inputs: Vec<(u64, String)> = Vec::new();
    for line in jsonl.lines() {
        let frame: Value = serde_json::from_str(line).unwrap();
        let payload: Value = serde_json::from_str(frame["payload"].as_str().unwrap()).unwrap();
        match frame["headers"][":event-type"].as_str() {
            Some("contentBlockStart") if payload["start"].get("toolUse").is_some() => tool_inputs
                .push((
                    payload["contentBlockIndex"].as_u64().unwrap(),
                    String::new(),
                )),
            Some("contentBlockDelta") => {
                let delta = &payload["delta"];
                if let Some(t) = delta["text"].as_str() {
                    e.text.push_str(t);
                }
                if let Some(input) = delta["toolUse"]["input"].as_str() {
                    let index = payload["contentBlockIndex"].as_u64().unwrap();
                    let slot = tool_inputs
                        .iter_mut()
                        .rev()
                        .find(|(i, _)| *i == index)
                        .unwrap();
                    slot.1.push_str(input);
                }
                if let Some(t) = delta["reasoningContent"]["text"].as_str() {
                    e.reasoning.push_str(t);
                }
                if let Some(s) = delta["reasoningContent"]["signature"].as_str() {
                    e.signatures.push(s.to_string());
                }
            }
            Some("messageStop") => e.stop_reason = payload["stopReason"].clone(),
            Some("metadata") => e.total_tokens = payload["usage"]["totalTokens"].as_u64().unwrap(),
            _ => {}
        }
    }
    e.tool_args = tool_inputs
        .into_iter()
        .map(|(_, s)| {
            if s.is_empty() {
                json!({})
            } else {
                serde_json::from_str(&s).unwrap()
            }
        })
        .collect();
    e
}

#[test]
fn every_recorded_converse_stream_maps_and_folds_to_what_it_carried() {
    let mut checked = 0;
    for entry in index() {
        let path = entry["path"].as_str().unwrap_or("");
        if !path.ends_with("/converse-stream") {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let body = std::fs::read(derived().join(file)).unwrap();
        let jsonl =
            std::fs::read_to_string(derived().join(file.replace(".eventstream", ".events.jsonl")))
                .unwrap();
        let want = expected(&jsonl);

        for chunk_size in [body.len(), 1, 7, 64] {
            let chunks = map_body(&body, chunk_size)
                .unwrap_or_else(|e| panic!("{file} @ {chunk_size}: {e}"));
            assert!(!chunks.iter().any(has_key_p), "{file}: padding leaked");
            let folded = chunks.into_iter().reduce(concat).unwrap();
            assert_eq!(folded["text"].as_str().unwrap(), want.text, "{file}: text");
            let args: Vec<Value> = folded["tool_calls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["args"].clone())
                .collect();
            assert_eq!(args, want.tool_args, "{file}: tool args");
            let blocks = folded["contentBlocks"].as_array().unwrap();
            let reasoning: String = blocks
                .iter()
                .filter(|b| b["type"] == "reasoning")
                .filter_map(|b| b["reasoning"].as_str())
                .collect();
            assert_eq!(reasoning, want.reasoning, "{file}: reasoning");
            let signatures: Vec<String> = blocks
                .iter()
                .filter_map(|b| b["extras"]["signature"].as_str().map(str::to_string))
                .collect();
            assert_eq!(signatures, want.signatures, "{file}: signatures");
            assert_eq!(
                folded["usage_metadata"]["total_tokens"].as_u64().unwrap(),
                want.total_tokens,
                "{file}: usage"
            );
            assert_eq!(
                folded["response_metadata"]["stopReason"], want.stop_reason,
                "{file}: stopReason"
            );
            assert_eq!(folded["invalid_tool_calls"], json!([]), "{file}");
        }
        checked += 1;
    }
    assert_eq!(checked, 24, "converse-stream recordings in index.json");
}

#[test]
fn the_recorded_exception_frame_is_a_model_stream_error() {
    let body = std::fs::read(derived().join("vercel-ai/model-stream-error-exception.eventstream"))
        .unwrap();
    let err = map_body(&body, 5).unwrap_err();
    assert_eq!(err.name(), "ModelStreamErrorException");
    assert_eq!(err.status(), Some(424));
    assert_eq!(err.message(), "Model Stream Error");
}
