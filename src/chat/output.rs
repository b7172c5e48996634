//! What the models return: `AIMessage`, `AIMessageChunk` and their content blocks, in
//! LangChain's field names and v1 standard content blocks.
//!
//! The derived fields — `text`, `contentBlocks`, `tool_calls`, `invalid_tool_calls` and a
//! chunk's `tool_call_chunks` — are computed here from the blocks and nowhere else: the
//! messages hold only their blocks and write the derived fields as they serialise, and
//! [`DerivedFields`] gives `concat` the same result for merged chunks.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

use super::usage::UsageMetadata;
use crate::json_text::json_text;

/// A citation annotation on a text block: the source a span of the answer is drawn from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(tag = "type", rename = "citation")]
pub struct Citation {
    /// The cited document's or page's title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The cited source, when the service names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The URL of a cited web page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The cited passage.
    #[serde(default, rename = "citedText", skip_serializing_if = "Option::is_none")]
    pub cited_text: Option<String>,
    /// Where in the source the passage is, in the service's own terms (for Bedrock, its
    /// `CitationLocation` union: `documentChar`, `documentPage`, `web`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Value>,
}

/// What a reasoning block carries besides its text.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReasoningExtras {
    /// The signature that must accompany the reasoning when it is sent back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Encrypted reasoning (base64), to be sent back unchanged.
    #[serde(rename = "redactedContent", skip_serializing_if = "Option::is_none")]
    pub redacted_content: Option<String>,
}

impl ReasoningExtras {
    fn is_empty(&self) -> bool {
        self.signature.is_none() && self.redacted_content.is_none()
    }
}

/// One content block of a message or chunk. Chunk blocks carry `index`, the service's content
/// block index, so that `concat` can merge the pieces of one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Answer text, with citations when the service gave any.
    Text {
        /// The text.
        text: String,
        /// Citations of the text.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        annotations: Vec<Citation>,
        /// Content block index (chunks).
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<u32>,
    },
    /// Model reasoning ("thinking").
    Reasoning {
        /// The reasoning text; empty for redacted reasoning and signature deltas.
        reasoning: String,
        /// Signature and redacted content.
        #[serde(skip_serializing_if = "ReasoningExtras::is_empty")]
        extras: ReasoningExtras,
        /// Content block index (chunks).
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<u32>,
    },
    /// A complete tool call with parsed arguments.
    ToolCall {
        /// The tool-use id to answer with a tool message.
        id: String,
        /// The tool's name.
        name: String,
        /// The arguments, a JSON object.
        args: Value,
        /// Content block index (chunks).
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<u32>,
    },
    /// A piece of a streamed tool call: the first piece of a block has the id and name, later
    /// pieces carry fragments of the arguments' JSON text.
    ToolCallChunk {
        /// The tool-use id (first piece only).
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The tool's name (first piece only).
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// A fragment of the arguments' JSON text.
        args: String,
        /// Content block index.
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<u32>,
    },
    /// A tool call whose arguments are not a JSON object.
    InvalidToolCall {
        /// The tool-use id.
        id: Option<String>,
        /// The tool's name.
        name: Option<String>,
        /// The arguments as received.
        args: String,
        /// Why they could not be used.
        error: String,
        /// Content block index (chunks).
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<u32>,
    },
    /// Anything else the service sent, kept whole rather than dropped.
    NonStandard {
        /// The service's own block, event or delta.
        value: Value,
        /// Content block index (chunks).
        #[serde(skip_serializing_if = "Option::is_none")]
        index: Option<u32>,
    },
}

impl Block {
    /// Any value as a block: a standard block when it is one (as the package's JS holds them,
    /// `index` included), else `non_standard`.
    pub fn from_value(value: Value) -> Block {
        let Value::Object(mut map) = value else {
            return Block::NonStandard { value, index: None };
        };
        let index = map
            .get("index")
            .and_then(Value::as_u64)
            .and_then(|i| u32::try_from(i).ok());
        let block = match map.get("type").and_then(Value::as_str) {
            Some("text") => match map.remove("text") {
                Some(Value::String(text)) => Block::Text {
                    text,
                    annotations: match map.remove("annotations") {
                        Some(Value::Array(items)) => {
                            items.into_iter().filter_map(Citation::from_value).collect()
                        }
                        _ => Vec::new(),
                    },
                    index: None,
                },
                other => return restore(map, "text", other),
            },
            Some("reasoning") => {
                let extras = map.remove("extras").unwrap_or(Value::Null);
                let extra = |key: &str| extras.get(key).and_then(Value::as_str).map(str::to_string);
                Block::Reasoning {
                    reasoning: take_str(&mut map, "reasoning").unwrap_or_default(),
                    extras: ReasoningExtras {
                        signature: extra("signature"),
                        redacted_content: extra("redactedContent"),
                    },
                    index: None,
                }
            }
            Some("tool_call") => {
                let (id, name) = (take_str(&mut map, "id"), take_str(&mut map, "name"));
                let args = map.remove("args").unwrap_or(Value::Null);
                let args = if args.is_null() {
                    Value::Object(Map::new())
                } else {
                    args
                };
                Block::tool_call(id, name, args)
            }
            Some("tool_call_chunk") => Block::ToolCallChunk {
                id: take_str(&mut map, "id"),
                name: take_str(&mut map, "name"),
                args: take_str(&mut map, "args").unwrap_or_default(),
                index: None,
            },
            Some("invalid_tool_call") => Block::InvalidToolCall {
                id: take_str(&mut map, "id"),
                name: take_str(&mut map, "name"),
                args: take_str(&mut map, "args").unwrap_or_default(),
                error: take_str(&mut map, "error").unwrap_or_default(),
                index: None,
            },
            Some("non_standard") => Block::NonStandard {
                value: map.remove("value").unwrap_or(Value::Null),
                index: None,
            },
            _ => {
                return Block::NonStandard {
                    value: Value::Object(map),
                    index: None,
                }
            }
        };
        match index {
            Some(i) => block.at(i),
            None => block,
        }
    }

    /// A tool call from arguments that should be a JSON object. A JSON text is parsed (empty
    /// text means no arguments); anything that does not give an object becomes an
    /// `invalid_tool_call`, never an error.
    pub fn tool_call(id: Option<String>, name: Option<String>, args: Value) -> Block {
        let parsed = match args {
            Value::Object(_) => Ok(args),
            Value::String(text) => parse_args(&text).map_err(|error| (text, error)),
            other => Err((
                json_text(&other),
                "arguments are not a JSON object".to_string(),
            )),
        };
        match (parsed, id, name) {
            (Ok(args), Some(id), Some(name)) => Block::ToolCall {
                id,
                name,
                args,
                index: None,
            },
            (Ok(args), id, name) => Block::InvalidToolCall {
                id,
                name,
                args: json_text(&args),
                error: "the tool call has no id or name".into(),
                index: None,
            },
            (Err((args, error)), id, name) => Block::InvalidToolCall {
                id,
                name,
                args,
                error,
                index: None,
            },
        }
    }

    /// The block as a standard content block: no `index`, tool-call chunks parsed.
    fn standard(&self) -> Block {
        let mut block = match self {
            Block::ToolCallChunk { id, name, args, .. } => {
                Block::tool_call(id.clone(), name.clone(), Value::String(args.clone()))
            }
            other => other.clone(),
        };
        block.set_index(None);
        block
    }

    /// The content block index the block is tagged with.
    pub fn index(&self) -> Option<u32> {
        match self {
            Block::Text { index, .. }
            | Block::Reasoning { index, .. }
            | Block::ToolCall { index, .. }
            | Block::ToolCallChunk { index, .. }
            | Block::InvalidToolCall { index, .. }
            | Block::NonStandard { index, .. } => *index,
        }
    }

    /// Tags the block with a content block index (or none).
    pub fn set_index(&mut self, value: Option<u32>) {
        match self {
            Block::Text { index, .. }
            | Block::Reasoning { index, .. }
            | Block::ToolCall { index, .. }
            | Block::ToolCallChunk { index, .. }
            | Block::InvalidToolCall { index, .. }
            | Block::NonStandard { index, .. } => *index = value,
        }
    }

    /// The same block tagged with a content block index.
    pub fn at(mut self, index: u32) -> Block {
        self.set_index(Some(index));
        self
    }
}

/// Tool arguments from JSON text: empty text is no arguments; anything but an object is
/// invalid.
fn parse_args(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_slice::<Value>(text.as_bytes()) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err("arguments are not a JSON object".into()),
        Err(e) => Err(format!("arguments are not JSON: {e}")),
    }
}

fn take_str(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// A value that looked like a standard block but was not one, kept whole.
fn restore(mut map: Map<String, Value>, key: &str, value: Option<Value>) -> Block {
    if let Some(value) = value {
        map.insert(key.to_string(), value);
    }
    Block::NonStandard {
        value: Value::Object(map),
        index: None,
    }
}

impl Citation {
    /// A citation annotation as the package's JS holds it.
    fn from_value(value: Value) -> Option<Citation> {
        let Value::Object(mut map) = value else {
            return None;
        };
        Some(Citation {
            title: take_str(&mut map, "title"),
            source: take_str(&mut map, "source"),
            url: take_str(&mut map, "url"),
            cited_text: take_str(&mut map, "citedText"),
            location: map.remove("location"),
        })
    }
}

/// The text of the text blocks, concatenated.
fn text_of(blocks: &[Block]) -> String {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// `{type: "tool_call", id, name, args}`, an entry of `tool_calls`.
#[derive(Serialize)]
#[serde(tag = "type", rename = "tool_call")]
struct ToolCallEntry<'a> {
    id: &'a str,
    name: &'a str,
    args: &'a Value,
}

/// `{type: "invalid_tool_call", id, name, args, error}`, an entry of `invalid_tool_calls`.
#[derive(Serialize)]
#[serde(tag = "type", rename = "invalid_tool_call")]
struct InvalidToolCallEntry<'a> {
    id: &'a Option<String>,
    name: &'a Option<String>,
    args: &'a str,
    error: &'a str,
}

/// Writes `contentBlocks`, `tool_calls` and `invalid_tool_calls` for `standard` blocks.
fn write_derived<M: SerializeMap>(map: &mut M, standard: &[Block]) -> Result<(), M::Error> {
    map.serialize_entry("contentBlocks", standard)?;
    let tool_calls: Vec<ToolCallEntry> = standard
        .iter()
        .filter_map(|b| match b {
            Block::ToolCall { id, name, args, .. } => Some(ToolCallEntry { id, name, args }),
            _ => None,
        })
        .collect();
    map.serialize_entry("tool_calls", &tool_calls)?;
    let invalid: Vec<InvalidToolCallEntry> = standard
        .iter()
        .filter_map(|b| match b {
            Block::InvalidToolCall {
                id,
                name,
                args,
                error,
                ..
            } => Some(InvalidToolCallEntry {
                id,
                name,
                args,
                error,
            }),
            _ => None,
        })
        .collect();
    map.serialize_entry("invalid_tool_calls", &invalid)
}

/// The derived fields of a message whose content was merged elsewhere (`concat` in JS
/// merges chunks by index; the fields come from here so that a folded stream and `invoke`
/// agree).
pub struct DerivedFields(pub Vec<Block>);

impl Serialize for DerivedFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let standard: Vec<Block> = self.0.iter().map(Block::standard).collect();
        let mut map = serializer.serialize_map(None)?;
        write_derived(&mut map, &standard)?;
        map.end()
    }
}

/// What the caller knows about one HTTP exchange, folded into `response_metadata`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallInfo {
    /// The message id LangChain calls the run id (`run-…`), shared by all chunks of a stream.
    pub run_id: String,
    /// The model id the call was made with.
    pub model_name: String,
    /// `x-amzn-RequestId` of the response.
    pub request_id: Option<String>,
    /// HTTP status of the response.
    pub status: u16,
    /// Response headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// Retries made before this response.
    pub retry_attempts: u32,
}

/// `response_metadata`: the service's stop reason, metrics and other reply members, the model
/// name, and boto3's `ResponseMetadata` for the HTTP exchange.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseMetadata {
    /// Reply members in the service's own names (`stopReason`, `metrics`, `usage`, `trace`,
    /// `additionalModelResponseFields`, …), in the order they arrived.
    pub fields: Map<String, Value>,
    /// The HTTP exchange.
    pub call: CallInfo,
}

struct HttpMetadata<'a>(&'a CallInfo);

impl Serialize for HttpMetadata<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Headers<'a>(&'a [(String, String)]);
        impl Serialize for Headers<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("RequestId", &self.0.request_id)?;
        map.serialize_entry("HTTPStatusCode", &self.0.status)?;
        map.serialize_entry("HTTPHeaders", &Headers(&self.0.headers))?;
        map.serialize_entry("RetryAttempts", &self.0.retry_attempts)?;
        map.end()
    }
}

impl Serialize for ResponseMetadata {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("model_name", &self.call.model_name)?;
        map.serialize_entry("ResponseMetadata", &HttpMetadata(&self.call))?;
        map.end()
    }
}

/// The reply of a non-streaming call.
#[derive(Debug, Clone, PartialEq)]
pub struct AIMessage {
    /// The run id.
    pub id: String,
    /// Standard content blocks in the order the service returned them.
    pub blocks: Vec<Block>,
    /// Token counts.
    pub usage: Option<UsageMetadata>,
    /// Stop reason, metrics and the HTTP exchange.
    pub response_metadata: ResponseMetadata,
}

impl AIMessage {
    /// The answer text: the text blocks concatenated.
    pub fn text(&self) -> String {
        text_of(&self.blocks)
    }
}

impl Serialize for AIMessage {
    /// `content` is a string when the reply is exactly one text block without citations,
    /// else the list of blocks; `contentBlocks` is always the list.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "ai")?;
        map.serialize_entry("id", &self.id)?;
        match self.blocks.as_slice() {
            [Block::Text {
                text, annotations, ..
            }] if annotations.is_empty() => map.serialize_entry("content", text)?,
            blocks => map.serialize_entry("content", blocks)?,
        }
        map.serialize_entry("text", &self.text())?;
        write_derived(&mut map, &self.blocks)?;
        if let Some(usage) = &self.usage {
            map.serialize_entry("usage_metadata", usage)?;
        }
        map.serialize_entry("response_metadata", &self.response_metadata)?;
        map.end()
    }
}

/// One piece of a streamed reply.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AIMessageChunk {
    /// The run id, the same for every chunk of a stream.
    pub id: String,
    /// Blocks tagged with their content block index.
    pub content: Vec<Block>,
    /// Token counts (the final chunk).
    pub usage: Option<UsageMetadata>,
    /// Stop reason, metrics and the HTTP exchange (the final chunk).
    pub response_metadata: Option<ResponseMetadata>,
}

impl AIMessageChunk {
    /// The text this chunk adds.
    pub fn text(&self) -> String {
        text_of(&self.content)
    }

    /// The chunk as one plain delta, when that is all it is: one text block without
    /// annotations, one tool-call argument fragment without id or name, or one reasoning text
    /// without extras, and no usage or metadata. Such a chunk serialises to
    /// `{"type":"AIMessageChunk","id","content":[block],"text","tool_call_chunks"}` with the
    /// block's members in the order `type`, its text member, `index` (when it has one); the
    /// package's JS builds exactly that from the delta (`chunkBatch` in chat-models.js).
    pub fn as_delta(&self) -> Option<Delta<'_>> {
        if self.usage.is_some() || self.response_metadata.is_some() {
            return None;
        }
        let [block] = self.content.as_slice() else {
            return None;
        };
        let (kind, text, index) = match block {
            Block::Text {
                text,
                annotations,
                index,
            } if annotations.is_empty() => (DeltaKind::Text, text, index),
            Block::ToolCallChunk {
                id: None,
                name: None,
                args,
                index,
            } => (DeltaKind::ToolArgs, args, index),
            Block::Reasoning {
                reasoning,
                extras,
                index,
            } if extras.is_empty() => (DeltaKind::Reasoning, reasoning, index),
            _ => return None,
        };
        Some(Delta {
            kind,
            text,
            index: *index,
        })
    }

    /// The plain-delta chunk of run `id` that `delta` describes: the inverse of
    /// [`as_delta`](Self::as_delta).
    pub fn from_delta(id: &str, delta: Delta<'_>) -> Self {
        let (text, index) = (delta.text.to_string(), delta.index);
        let block = match delta.kind {
            DeltaKind::Text => Block::Text {
                text,
                annotations: Vec::new(),
                index,
            },
            DeltaKind::ToolArgs => Block::ToolCallChunk {
                id: None,
                name: None,
                args: text,
                index,
            },
            DeltaKind::Reasoning => Block::Reasoning {
                reasoning: text,
                extras: ReasoningExtras::default(),
                index,
            },
        };
        AIMessageChunk {
            id: id.to_string(),
            content: vec![block],
            ..Default::default()
        }
    }
}

/// What a plain-delta chunk adds ([`AIMessageChunk::as_delta`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delta<'a> {
    /// Which block it is.
    pub kind: DeltaKind,
    /// The block's text: the answer text, the argument fragment or the reasoning.
    pub text: &'a str,
    /// The block's content block index.
    pub index: Option<u32>,
}

/// The block of a plain-delta chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeltaKind {
    /// `{type: "text", text}`; the chunk's `text` is the same.
    Text = 1,
    /// `{type: "tool_call_chunk", args}`, also the chunk's one `tool_call_chunks` entry.
    ToolArgs = 2,
    /// `{type: "reasoning", reasoning}`.
    Reasoning = 3,
}

impl Serialize for AIMessageChunk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "AIMessageChunk")?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("content", &self.content)?;
        map.serialize_entry("text", &self.text())?;
        let chunks: Vec<&Block> = self
            .content
            .iter()
            .filter(|b| matches!(b, Block::ToolCallChunk { .. }))
            .collect();
        map.serialize_entry("tool_call_chunks", &chunks)?;
        if let Some(usage) = &self.usage {
            map.serialize_entry("usage_metadata", usage)?;
        }
        if let Some(meta) = &self.response_metadata {
            map.serialize_entry("response_metadata", meta)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn to_json<T: Serialize>(value: &T) -> Value {
        serde_json::to_value(value).unwrap()
    }

    fn call() -> CallInfo {
        CallInfo {
            run_id: "run-1".into(),
            model_name: "m".into(),
            request_id: Some("r".into()),
            status: 200,
            headers: vec![("x-amzn-requestid".into(), "r".into())],
            retry_attempts: 0,
        }
    }

    #[test]
    fn one_plain_text_block_is_string_content() {
        let message = AIMessage {
            id: "run-1".into(),
            blocks: vec![Block::Text {
                text: "hi".into(),
                annotations: vec![],
                index: None,
            }],
            usage: Some(UsageMetadata::new(1, 2, Some(3), 0, 0)),
            response_metadata: ResponseMetadata {
                fields: json!({"stopReason": "end_turn"})
                    .as_object()
                    .unwrap()
                    .clone(),
                call: call(),
            },
        };
        let got = to_json(&message);
        assert_eq!(got["content"], json!("hi"));
        assert_eq!(
            got["contentBlocks"],
            json!([{"type": "text", "text": "hi"}])
        );
        assert_eq!(got["text"], json!("hi"));
        assert_eq!(got["tool_calls"], json!([]));
        assert_eq!(got["usage_metadata"]["total_tokens"], json!(3));
        assert_eq!(got["response_metadata"]["stopReason"], json!("end_turn"));
        assert_eq!(got["response_metadata"]["model_name"], json!("m"));
        assert_eq!(
            got["response_metadata"]["ResponseMetadata"],
            json!({"RequestId": "r", "HTTPStatusCode": 200,
                   "HTTPHeaders": {"x-amzn-requestid": "r"}, "RetryAttempts": 0})
        );
    }

    #[test]
    fn tool_calls_and_invalid_tool_calls_are_derived() {
        let blocks = vec![
            Block::Text {
                text: "Let me check.".into(),
                annotations: vec![],
                index: None,
            },
            Block::tool_call(
                Some("t1".into()),
                Some("w".into()),
                json!({"city": "Paris"}),
            ),
            Block::tool_call(
                Some("t2".into()),
                Some("w".into()),
                json!("{\"city\": \"Par"),
            ),
            Block::tool_call(Some("t3".into()), Some("w".into()), json!("")),
        ];
        let message = AIMessage {
            id: "run-1".into(),
            blocks,
            usage: None,
            response_metadata: ResponseMetadata::default(),
        };
        let got = to_json(&message);
        assert_eq!(
            got["tool_calls"],
            json!([{"type": "tool_call", "id": "t1", "name": "w", "args": {"city": "Paris"}},
                   {"type": "tool_call", "id": "t3", "name": "w", "args": {}}])
        );
        assert_eq!(got["invalid_tool_calls"][0]["id"], json!("t2"));
        assert_eq!(
            got["invalid_tool_calls"][0]["args"],
            json!("{\"city\": \"Par")
        );
        assert!(got["invalid_tool_calls"][0]["error"]
            .as_str()
            .unwrap()
            .starts_with("arguments are not JSON"));
        assert_eq!(got["content"].as_array().unwrap().len(), 4);
    }

    #[test]
    fn merged_chunk_content_derives_like_invoke() {
        let merged: Vec<Block> = [
            json!({"type": "reasoning", "reasoning": "hm", "extras": {"signature": "s"}, "index": 0}),
            json!({"type": "text", "text": "a", "index": 1, "annotations": [{"type": "citation", "title": "t"}]}),
            json!({"type": "tool_call_chunk", "id": "t1", "name": "w", "args": "{\"a\":1}", "index": 2}),
            json!({"type": "tool_call_chunk", "id": "t2", "name": "w", "args": "{", "index": 3}),
        ]
        .into_iter()
        .map(Block::from_value)
        .collect();
        let got = to_json(&DerivedFields(merged));
        assert_eq!(
            got["contentBlocks"],
            json!([
                {"type": "reasoning", "reasoning": "hm", "extras": {"signature": "s"}},
                {"type": "text", "text": "a", "annotations": [{"type": "citation", "title": "t"}]},
                {"type": "tool_call", "id": "t1", "name": "w", "args": {"a": 1}},
                {"type": "invalid_tool_call", "id": "t2", "name": "w", "args": "{",
                 "error": got["contentBlocks"][3]["error"]},
            ])
        );
        assert_eq!(got["tool_calls"][0]["args"], json!({"a": 1}));
        assert_eq!(got["invalid_tool_calls"][0]["id"], json!("t2"));
    }

    #[test]
    fn chunks_derive_text_and_tool_call_chunks() {
        let chunk = AIMessageChunk {
            id: "run-1".into(),
            content: vec![Block::ToolCallChunk {
                id: None,
                name: None,
                args: "{\"a\"".into(),
                index: Some(1),
            }],
            ..Default::default()
        };
        assert_eq!(
            to_json(&chunk),
            json!({"type": "AIMessageChunk", "id": "run-1",
                   "content": [{"type": "tool_call_chunk", "args": "{\"a\"", "index": 1}],
                   "text": "",
                   "tool_call_chunks": [{"type": "tool_call_chunk", "args": "{\"a\"", "index": 1}]})
        );
    }

    #[test]
    fn unknown_values_become_non_standard() {
        assert_eq!(
            Block::from_value(json!({"type": "mystery", "x": 1})),
            Block::NonStandard {
                value: json!({"type": "mystery", "x": 1}),
                index: None
            }
        );
    }
}
