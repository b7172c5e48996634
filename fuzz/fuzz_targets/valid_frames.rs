//! Structure-aware: `arbitrary` builds a sequence of well-formed frames (headers of all ten
//! types with arbitrary names and values, routing headers, payloads that are raw bytes,
//! JSON-ish trees or ConverseStream event payloads), the fuzz crate encodes them, and the
//! bytes are pushed at arbitrary split points. Every frame must decode back to exactly the
//! headers and payload encoded, and the body must end cleanly. The same bytes also go through
//! `ChunkDecoder<ConverseStreamMapper>`, which must not panic.
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use bedrock_edge::chunk_decoder::ChunkDecoder;
use bedrock_edge::converse::stream::ConverseStreamMapper;
use bedrock_edge::event_stream::{FrameDecoder, Header, HeaderValue, Message};
use bedrock_edge_fuzz::{call_info, encode_message};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

#[derive(Debug, Arbitrary)]
struct Input {
    frames: Vec<FrameSpec>,
    /// Piece sizes; 0 is an empty push. What is left after them is pushed at once.
    splits: Vec<u16>,
}

#[derive(Debug, Arbitrary)]
struct FrameSpec {
    routing: Routing,
    headers: Vec<(String, ValueSpec)>,
    payload: PayloadSpec,
}

#[derive(Debug, Arbitrary)]
enum Routing {
    None,
    Event(EventName),
    Exception(String),
    Error {
        code: String,
        message: Option<String>,
    },
    Other(String),
}

#[derive(Debug, Arbitrary)]
enum EventName {
    MessageStart,
    ContentBlockStart,
    ContentBlockDelta,
    ContentBlockStop,
    MessageStop,
    Metadata,
    Other(String),
}

#[derive(Debug, Arbitrary)]
enum ValueSpec {
    True,
    False,
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    ByteArray(Vec<u8>),
    String(String),
    Timestamp(i64),
    Uuid([u8; 16]),
}

#[derive(Debug, Arbitrary)]
enum PayloadSpec {
    Raw(Vec<u8>),
    Json(Json),
    TextDelta {
        index: u32,
        text: String,
        padding: Option<String>,
    },
    ToolUseDelta {
        index: u32,
        input: String,
    },
    ReasoningDelta {
        index: u32,
        text: Option<String>,
        signature: Option<String>,
    },
    ToolUseStart {
        index: u32,
        id: String,
        name: String,
    },
    MessageStart {
        role: String,
    },
    ContentBlockStop {
        index: u32,
    },
    MessageStop {
        reason: String,
    },
    Metadata {
        input_tokens: u32,
        output_tokens: u32,
        latency_ms: u32,
    },
    Exception {
        message: String,
        status: Option<u16>,
    },
}

/// A JSON tree of bounded depth.
#[derive(Debug)]
struct Json(Value);

impl<'a> Arbitrary<'a> for Json {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        json_value(u, 0).map(Json)
    }
}

fn json_value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let kinds = if depth >= 6 { 5 } else { 7 };
    Ok(match u.choose_index(kinds)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => Value::from(u.arbitrary::<f64>()?),
        4 => Value::String(u.arbitrary()?),
        5 => {
            let len = u.int_in_range(0..=6)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(json_value(u, depth + 1)?);
            }
            Value::Array(items)
        }
        _ => {
            let len = u.int_in_range(0..=6)?;
            let mut members = Map::new();
            for _ in 0..len {
                let key: String = u.arbitrary()?;
                members.insert(key, json_value(u, depth + 1)?);
            }
            Value::Object(members)
        }
    })
}

/// `s` cut to at most `max` bytes at a character boundary.
fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

fn string_header(name: &str, value: String) -> Header {
    Header {
        name: name.to_string(),
        value: HeaderValue::String(truncate(value, usize::from(u16::MAX))),
    }
}

impl FrameSpec {
    fn into_message(self) -> Message {
        let mut headers = Vec::new();
        match self.routing {
            Routing::None => {}
            Routing::Event(name) => {
                let event_type = match name {
                    EventName::MessageStart => "messageStart".to_string(),
                    EventName::ContentBlockStart => "contentBlockStart".to_string(),
                    EventName::ContentBlockDelta => "contentBlockDelta".to_string(),
                    EventName::ContentBlockStop => "contentBlockStop".to_string(),
                    EventName::MessageStop => "messageStop".to_string(),
                    EventName::Metadata => "metadata".to_string(),
                    EventName::Other(other) => other,
                };
                headers.push(string_header(":event-type", event_type));
                headers.push(string_header(":content-type", "application/json".into()));
                headers.push(string_header(":message-type", "event".into()));
            }
            Routing::Exception(exception_type) => {
                headers.push(string_header(":exception-type", exception_type));
                headers.push(string_header(":message-type", "exception".into()));
            }
            Routing::Error { code, message } => {
                headers.push(string_header(":error-code", code));
                if let Some(message) = message {
                    headers.push(string_header(":error-message", message));
                }
                headers.push(string_header(":message-type", "error".into()));
            }
            Routing::Other(message_type) => {
                headers.push(string_header(":message-type", message_type));
            }
        }
        for (name, value) in self.headers {
            let mut name = truncate(name, 255);
            if name.is_empty() {
                name.push('h');
            }
            // Names are unique within a message (the decoder rejects duplicates).
            if headers.iter().any(|h| h.name == name) {
                continue;
            }
            let value = match value {
                ValueSpec::True => HeaderValue::Bool(true),
                ValueSpec::False => HeaderValue::Bool(false),
                ValueSpec::Byte(v) => HeaderValue::Byte(v),
                ValueSpec::Int16(v) => HeaderValue::Int16(v),
                ValueSpec::Int32(v) => HeaderValue::Int32(v),
                ValueSpec::Int64(v) => HeaderValue::Int64(v),
                ValueSpec::ByteArray(mut v) => {
                    v.truncate(usize::from(u16::MAX));
                    HeaderValue::ByteArray(v)
                }
                ValueSpec::String(v) => HeaderValue::String(truncate(v, usize::from(u16::MAX))),
                ValueSpec::Timestamp(v) => HeaderValue::Timestamp(v),
                ValueSpec::Uuid(v) => HeaderValue::Uuid(v),
            };
            headers.push(Header { name, value });
        }
        let payload = match self.payload {
            PayloadSpec::Raw(bytes) => bytes,
            PayloadSpec::Json(Json(value)) => value.to_string().into_bytes(),
            PayloadSpec::TextDelta {
                index,
                text,
                padding,
            } => {
                let mut event = json!({"contentBlockIndex": index, "delta": {"text": text}});
                if let Some(padding) = padding {
                    event["p"] = Value::String(padding);
                }
                event.to_string().into_bytes()
            }
            PayloadSpec::ToolUseDelta { index, input } => {
                json!({"contentBlockIndex": index, "delta": {"toolUse": {"input": input}}})
                    .to_string()
                    .into_bytes()
            }
            PayloadSpec::ReasoningDelta {
                index,
                text,
                signature,
            } => {
                let mut reasoning = Map::new();
                if let Some(text) = text {
                    reasoning.insert("text".into(), Value::String(text));
                }
                if let Some(signature) = signature {
                    reasoning.insert("signature".into(), Value::String(signature));
                }
                json!({"contentBlockIndex": index, "delta": {"reasoningContent": reasoning}})
                    .to_string()
                    .into_bytes()
            }
            PayloadSpec::ToolUseStart { index, id, name } => json!({"contentBlockIndex": index,
                "start": {"toolUse": {"toolUseId": id, "name": name}}})
            .to_string()
            .into_bytes(),
            PayloadSpec::MessageStart { role } => json!({"role": role}).to_string().into_bytes(),
            PayloadSpec::ContentBlockStop { index } => {
                json!({"contentBlockIndex": index}).to_string().into_bytes()
            }
            PayloadSpec::MessageStop { reason } => {
                json!({"stopReason": reason}).to_string().into_bytes()
            }
            PayloadSpec::Metadata {
                input_tokens,
                output_tokens,
                latency_ms,
            } => json!({"usage": {"inputTokens": input_tokens, "outputTokens": output_tokens,
                "totalTokens": u64::from(input_tokens) + u64::from(output_tokens)},
                "metrics": {"latencyMs": latency_ms}})
            .to_string()
            .into_bytes(),
            PayloadSpec::Exception { message, status } => {
                let mut body = json!({"message": message});
                if let Some(status) = status {
                    body["originalStatusCode"] = Value::from(status);
                }
                body.to_string().into_bytes()
            }
        };
        Message { headers, payload }
    }
}

fuzz_target!(|input: Input| {
    let messages: Vec<Message> = input
        .frames
        .into_iter()
        .map(FrameSpec::into_message)
        .collect();
    let mut body = Vec::new();
    for message in &messages {
        encode_message(message, &mut body);
    }

    let mut pieces = Vec::new();
    let mut rest = body.as_slice();
    for split in input.splits {
        let (head, tail) = rest.split_at(usize::from(split).min(rest.len()));
        pieces.push(head);
        rest = tail;
    }
    pieces.push(rest);

    let mut decoder = FrameDecoder::new();
    let mut decoded = Vec::with_capacity(messages.len());
    for piece in &pieces {
        decoder.push(piece);
        while let Some(message) = decoder
            .next_message()
            .unwrap_or_else(|e| panic!("a valid frame failed to decode: {e:?}"))
        {
            let _ = message.kind();
            decoded.push(message);
        }
    }
    decoder.finish().expect("the body ends after a whole frame");
    assert_eq!(decoded.len(), messages.len(), "frame count");
    for (i, (got, want)) in decoded.iter().zip(&messages).enumerate() {
        assert_eq!(got, want, "frame {i}");
    }

    let mut chunks = ChunkDecoder::new(ConverseStreamMapper::new(call_info()));
    let mut out = Vec::new();
    for piece in &pieces {
        chunks.push(piece);
        let result = chunks.drain_into(&mut out);
        for chunk in out.drain(..) {
            serde_json::to_string(&chunk).expect("a chunk serialises");
        }
        if result.is_err() {
            return;
        }
    }
    if let Ok(Some(chunk)) = chunks.finish() {
        serde_json::to_string(&chunk).expect("the last chunk serialises");
    }
});
