//! Every recorded real ConverseStream body decodes and maps to chunks without error, and the
//! chunks hold exactly what the recorded events carried: all text, tool inputs (with their ids
//! and names), reasoning text and signatures, the stop reason and the usage, with no padding
//! member `p` anywhere. Folding them with the package's `concat` is tested on concat.js itself
//! (tests/js/suite-features.mjs), not on a copy here.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use bedrock_edge::chat::output::{AIMessageChunk, CallInfo};
use bedrock_edge::chunk_decoder::{map_message, ChunkDecoder, EventMapper};
use bedrock_edge::converse::stream::ConverseStreamMapper;
use bedrock_edge::event_stream::{Header, HeaderValue, Message};
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

/// Decodes a body fed in `chunk`-byte pieces through the client's chunk decoder.
fn decode_body(body: &[u8], chunk: usize) -> Result<Vec<AIMessageChunk>, bedrock_edge::Error> {
    let mut decoder = ChunkDecoder::new(ConverseStreamMapper::new(info()));
    let mut chunks = Vec::new();
    for piece in body.chunks(chunk) {
        decoder.push(piece);
        decoder.drain_into(&mut chunks)?;
    }
    chunks.extend(decoder.finish()?);
    Ok(chunks)
}

/// The chunks as the JS side receives them.
fn map_body(body: &[u8], chunk: usize) -> Result<Vec<Value>, bedrock_edge::Error> {
    Ok(decode_body(body, chunk)?
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect())
}

/// Maps vercel-ai's decoded chunk fixtures (one `{eventType: payload}` per line).
fn map_fixture(name: &str) -> Vec<Value> {
    let path = derived()
        .join("../../recorded/vercel-ai/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut mapper = ConverseStreamMapper::new(info());
    let mut chunks = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let event: serde_json::Map<String, Value> = serde_json::from_str(line).unwrap();
        let (event_type, payload) = event.into_iter().next().unwrap();
        let header = |name: &str, value: &str| Header {
            name: name.into(),
            value: HeaderValue::String(value.into()),
        };
        let message = Message {
            headers: vec![
                header(":message-type", "event"),
                header(":event-type", &event_type),
            ],
            payload: payload.to_string().into_bytes(),
        };
        chunks.extend(map_message(&mut mapper, &message).unwrap());
    }
    chunks.extend(mapper.finish().unwrap());
    chunks
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect()
}

fn has_key_p(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("p") || map.values().any(has_key_p),
        Value::Array(items) => items.iter().any(has_key_p),
        _ => false,
    }
}

/// What the chunks carry, gathered as a consumer would: text appended, tool-call argument
/// fragments appended per block index (the first fragment of each block, from
/// `contentBlockStart`, must carry the id and name), reasoning and signatures in order.
fn gather(chunks: &[Value]) -> Carried {
    let mut got = Carried::default();
    let mut tools: Vec<(u64, String)> = Vec::new();
    for chunk in chunks {
        got.text.push_str(chunk["text"].as_str().unwrap());
        for block in chunk["content"].as_array().unwrap() {
            let index = block["index"].as_u64();
            match block["type"].as_str().unwrap() {
                "tool_call_chunk" => {
                    let index = index.unwrap();
                    let args = block["args"].as_str().unwrap();
                    match tools.iter_mut().rev().find(|(i, _)| *i == index) {
                        Some(slot) if block.get("id").is_none() => slot.1.push_str(args),
                        _ => {
                            assert!(
                                block["id"].is_string() && block["name"].is_string(),
                                "{block}"
                            );
                            tools.push((index, args.to_string()));
                        }
                    }
                }
                "reasoning" => {
                    got.reasoning.push_str(block["reasoning"].as_str().unwrap());
                    if let Some(signature) = block["extras"]["signature"].as_str() {
                        got.signatures.push(signature.to_string());
                    }
                }
                _ => {}
            }
        }
        if let Some(total) = chunk["usage_metadata"]["total_tokens"].as_u64() {
            got.total_tokens = total;
        }
        if let Some(reason) = chunk["response_metadata"].get("stopReason") {
            got.stop_reason = reason.clone();
        }
    }
    got.tool_args = tools.into_iter().map(|(_, s)| parse_args(&s)).collect();
    got
}

fn parse_args(args: &str) -> Value {
    if args.is_empty() {
        json!({})
    } else {
        serde_json::from_str(args).unwrap()
    }
}

/// What a stream carried: from the chunks ([`gather`]) or from the recording ([`expected`]).
#[derive(Debug, Default)]
struct Carried {
    text: String,
    tool_args: Vec<Value>,
    reasoning: String,
    signatures: Vec<String>,
    total_tokens: u64,
    stop_reason: Value,
}

fn expected(jsonl: &str) -> Carried {
    let mut e = Carried::default();
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
fn every_recorded_converse_stream_maps_to_chunks_holding_what_it_carried() {
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
            let got = gather(&chunks);
            assert_eq!(got.text, want.text, "{file}: text");
            assert_eq!(got.tool_args, want.tool_args, "{file}: tool args");
            assert_eq!(got.reasoning, want.reasoning, "{file}: reasoning");
            assert_eq!(got.signatures, want.signatures, "{file}: signatures");
            assert_eq!(got.total_tokens, want.total_tokens, "{file}: usage");
            assert_eq!(got.stop_reason, want.stop_reason, "{file}: stopReason");
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

fn recording(name: &str) -> Vec<Value> {
    let body = std::fs::read(derived().join(name)).unwrap();
    map_body(&body, 7).unwrap()
}

/// The content items of every chunk, in order.
fn content_items(chunks: &[Value]) -> Vec<&Value> {
    chunks
        .iter()
        .flat_map(|c| c["content"].as_array().unwrap())
        .collect()
}

// What `concat` makes of these chunks (merged blocks, signatures kept, the derived
// `contentBlocks`, `tool_calls`, `invalid_tool_calls`) is tested on the package's concat.js
// itself, with the same recordings, in tests/js/suite-features.mjs (recorded stream cases).
// Here: the chunks each recording maps to.

#[test]
fn recorded_thinking_maps_to_reasoning_chunks_with_its_signature() {
    let chunks = recording("pydantic-ai/test_bedrock_model_thinking_part_stream.eventstream");
    let items = content_items(&chunks);
    let reasoning: Vec<&&Value> = items.iter().filter(|b| b["type"] == "reasoning").collect();
    assert!(!reasoning.is_empty());
    assert!(
        reasoning.iter().all(|b| b["index"] == json!(0)),
        "{reasoning:?}"
    );
    let text: String = reasoning
        .iter()
        .map(|b| b["reasoning"].as_str().unwrap())
        .collect();
    assert!(!text.is_empty());
    let signatures: Vec<&str> = reasoning
        .iter()
        .filter_map(|b| b["extras"]["signature"].as_str())
        .collect();
    assert_eq!(signatures.len(), 1, "{reasoning:?}");
    assert!(!signatures[0].is_empty());
    let text_items: Vec<&&Value> = items.iter().filter(|b| b["type"] == "text").collect();
    assert!(!text_items.is_empty());
    assert!(
        text_items.iter().all(|b| b["index"] == json!(1)),
        "{text_items:?}"
    );
}

#[test]
fn recorded_redacted_thinking_maps_to_reasoning_chunks_with_redacted_content() {
    let chunks =
        recording("pydantic-ai/test_bedrock_model_thinking_part_redacted_stream.eventstream");
    let items = content_items(&chunks);
    let redacted: Vec<&&Value> = items
        .iter()
        .filter(|b| b["extras"]["redactedContent"].is_string())
        .collect();
    assert!(!redacted.is_empty(), "{items:?}");
    assert!(redacted
        .iter()
        .all(|b| b["type"] == "reasoning" && b["reasoning"] == json!("")));
    // vercel-ai's capture: redacted reasoning followed by a tool call in the same reply.
    let chunks = map_fixture("amazon-bedrock-redacted-content.chunks.txt");
    let items = content_items(&chunks);
    assert_eq!(items[0]["type"], json!("reasoning"), "{items:?}");
    assert!(
        items[0]["extras"]["redactedContent"].is_string(),
        "{items:?}"
    );
    let call = items
        .iter()
        .find(|b| b["type"] == "tool_call_chunk" && b.get("id").is_some())
        .expect("a tool call chunk with its id");
    assert_eq!(call["name"], json!("propose"));
}

#[test]
fn recorded_citations_map_to_text_chunks_with_citation_annotations() {
    let chunks = map_fixture("amazon-bedrock-document-citations.chunks.txt");
    let text: String = chunks.iter().map(|c| c["text"].as_str().unwrap()).collect();
    assert!(
        text.starts_with("Based on the supplied document, generative"),
        "{text}"
    );
    let items = content_items(&chunks);
    let cited: Vec<&&Value> = items
        .iter()
        .filter(|b| b.get("annotations").is_some())
        .collect();
    assert!(!cited.is_empty());
    assert_eq!(cited[0]["type"], json!("text"));
    let citation = &cited[0]["annotations"][0];
    assert_eq!(citation["type"], json!("citation"));
    assert_eq!(citation["title"], json!("document"));
    assert!(citation["citedText"]
        .as_str()
        .unwrap()
        .contains("Generative artificial"));
    assert_eq!(
        citation["location"]["documentPage"]["documentIndex"],
        json!(0)
    );
}

#[test]
fn recorded_tool_use_maps_to_tool_call_chunks() {
    let chunks =
        recording("openinference-js/should-handle-streaming-tool-calls-and-responses.eventstream");
    let starts: Vec<&Value> = content_items(&chunks)
        .into_iter()
        .filter(|b| b["type"] == "tool_call_chunk" && b.get("id").is_some())
        .collect();
    assert!(!starts.is_empty(), "{chunks:?}");
    for start in starts {
        assert!(
            start["id"].as_str().unwrap().starts_with("tooluse_"),
            "{start}"
        );
        assert!(start["name"].is_string(), "{start}");
    }
    // This capture sends metadata before messageStop, and an empty contentBlockStart.
    let chunks = map_fixture("amazon-bedrock-tool-no-args.chunks.txt");
    let items = content_items(&chunks);
    let blocks: std::collections::BTreeSet<u64> =
        items.iter().map(|b| b["index"].as_u64().unwrap()).collect();
    assert_eq!(blocks.len(), 2, "{items:?}");
    let args: String = items
        .iter()
        .filter(|b| b["type"] == "tool_call_chunk")
        .map(|b| b["args"].as_str().unwrap())
        .collect();
    assert_eq!(args, "", "a tool call without arguments");
    let stop = chunks
        .iter()
        .find_map(|c| c["response_metadata"].get("stopReason"));
    assert_eq!(stop, Some(&json!("tool_use")));
}
