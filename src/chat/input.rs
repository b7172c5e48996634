//! Chat input: roles and content blocks, normalised from what users pass in JS.
//!
//! Accepted (already converted from JS; bytes arrive as base64 strings):
//! - a string (one human message);
//! - an array of `[role, content]` or `[role, content, fields]` tuples, `{ role | type,
//!   content, ... }` objects and LangChain messages (made plain by the JS boundary).
//!
//! Roles: `system`, `human`/`user`, `ai`/`assistant`, `tool`. Content is a string or a list of
//! LangChain standard blocks (`text`, `image`, `image_url`, `file`, `text-plain`, `video`,
//! `reasoning`, `tool_call`, `non_standard`), Bedrock-native one-key blocks, the same tagged with
//! their type as `@langchain/aws` takes them (`{ type: "image", image: {…} }`), and
//! `langchain-aws`'s `guard_content` and `tool_result` blocks. Every error is a `TypeError` that
//! names the message and block, raised before anything is sent. A final AI message (a prefill)
//! loses the trailing whitespace of its last text, which the service refuses.
//!
//! The blocks serialise to the Converse wire form (`{"text": …}`, `{"image": …}`, …); other
//! API families map from the same enum.

use serde::Serialize;
use serde_json::{Map, Value};

use super::media::{
    checked_base64, document_name, format_for_mime, mime_for_extension, parse_data_url, MediaKind,
    MediaSource, Problem, S3Location,
};
use crate::quoted::Quoted;
use crate::Error;

/// Who speaks a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Instructions: the request's system prompt.
    System,
    /// The user (human input and tool results).
    User,
    /// The model (earlier replies).
    Assistant,
}

impl Role {
    /// The wire name (`system`, `user`, `assistant`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One normalised message.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// Who speaks.
    pub role: Role,
    /// What is said.
    pub blocks: Vec<ContentBlock>,
}

/// An image or video: its format and where its bytes are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Media {
    /// `png`, `jpeg`, `mp4`, …
    pub format: String,
    /// The bytes or their location.
    pub source: MediaSource,
}

/// A document for the model to read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// `pdf`, `txt`, `csv`, …
    pub format: String,
    /// A name the service accepts; stable for the same content.
    pub name: String,
    /// The bytes, text or location.
    pub source: MediaSource,
    /// Extra context about the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Whether the model should cite the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citations: Option<CitationsConfig>,
}

/// `{ enabled: true }`: cite this document.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CitationsConfig {
    /// Whether citations are on.
    pub enabled: bool,
}

/// A tool call made by the model, sent back in its turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolUse {
    /// The call's id, answered by a tool result.
    pub tool_use_id: String,
    /// The tool's name.
    pub name: String,
    /// The arguments.
    pub input: Value,
    /// `server_tool_use` for tools the service ran itself.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The result of a tool call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolResult {
    /// The id of the call this answers.
    pub tool_use_id: String,
    /// What the tool returned.
    pub content: Vec<ToolResultContent>,
    /// `success` or `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// One part of a tool result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ToolResultContent {
    /// Text.
    Text(String),
    /// Any JSON value.
    Json(Value),
    /// An image.
    Image(Media),
    /// A document.
    Document(Document),
    /// A video.
    Video(Media),
    /// A service-native part, passed through.
    #[serde(untagged)]
    Native(Value),
}

/// Reasoning sent back to the model unchanged.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Reasoning {
    /// Reasoning text and its signature.
    ReasoningText {
        /// The text.
        text: String,
        /// The signature the model gave it.
        #[serde(skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    /// Encrypted reasoning, base64.
    RedactedContent(String),
}

/// One block of input content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ContentBlock {
    /// Text.
    Text(String),
    /// An image.
    Image(Media),
    /// A document.
    Document(Document),
    /// A video.
    Video(Media),
    /// A tool call from an earlier model turn.
    ToolUse(ToolUse),
    /// A tool's result.
    ToolResult(ToolResult),
    /// Reasoning from an earlier model turn.
    ReasoningContent(Reasoning),
    /// A prompt-cache checkpoint (`{ type: "default", ttl? }`).
    CachePoint(Value),
    /// Content for a guardrail to assess.
    GuardContent(Value),
    /// Any other service-native block, passed through.
    #[serde(untagged)]
    Native(Value),
}

impl ContentBlock {
    /// The bytes of the block's text, base64 and tool-result parts of those kinds as JSON
    /// strings hold them: the bulk of a large body, to size its buffer once.
    pub fn payload_len(&self) -> usize {
        match self {
            ContentBlock::Text(text) => escaped_len(text),
            ContentBlock::Image(media) | ContentBlock::Video(media) => media.source.payload_len(),
            ContentBlock::Document(document) => document.source.payload_len(),
            ContentBlock::ToolResult(result) => result
                .content
                .iter()
                .map(|part| match part {
                    ToolResultContent::Text(text) => escaped_len(text),
                    ToolResultContent::Image(media) | ToolResultContent::Video(media) => {
                        media.source.payload_len()
                    }
                    ToolResultContent::Document(document) => document.source.payload_len(),
                    ToolResultContent::Json(_) | ToolResultContent::Native(_) => 0,
                })
                .sum(),
            _ => 0,
        }
    }
}

/// A buffer size that holds a request body of `messages` at once: their text and base64
/// ([`ContentBlock::payload_len`]), and room for the rest. A large body written into a growing
/// buffer would double it, holding the old and the new copy at once.
pub fn body_capacity(messages: &[ChatMessage]) -> usize {
    let payload: usize = messages
        .iter()
        .flat_map(|m| &m.blocks)
        .map(ContentBlock::payload_len)
        .sum();
    payload + payload / 64 + 16 * 1024
}

/// The length of `text` as a JSON string's contents, escaped as `serde_json` writes it: `"`,
/// `\\` and `\n`-style control characters take two bytes, other control characters six.
fn escaped_len(text: &str) -> usize {
    text.len()
        + text
            .bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                0..0x20 => 5,
                _ => 0,
            })
            .sum::<usize>()
}

/// Service-native block keys passed through without a closer look.
const PASS_THROUGH_KEYS: &[&str] = &["citationsContent", "searchResult", "audio"];

/// What is wrong with a message or block: a fixed message borrowed, or one that names a value.
type Result<T> = std::result::Result<T, Problem>;

/// Normalises chat input into messages. The input is taken: its strings (the bulk of a large
/// request: text and base64) move into the messages instead of being copied.
pub fn normalize_messages(mut input: Value) -> std::result::Result<Vec<ChatMessage>, Error> {
    match &mut input {
        Value::String(text) => Ok(vec![ChatMessage {
            role: Role::User,
            blocks: text_block(take(text)).into_iter().collect(),
        }]),
        Value::Array(items) if !items.is_empty() => {
            let mut messages = Vec::with_capacity(items.len());
            for (i, item) in items.iter_mut().enumerate() {
                messages.push(normalize_message(item).map_err(|e| {
                    let sep = if e.starts_with("content[") { "." } else { ": " };
                    Error::invalid_input(format!("messages[{i}]{sep}{e}"))
                })?);
            }
            if let Some(last) = messages.last_mut() {
                trim_prefill(last);
            }
            Ok(messages)
        }
        Value::Array(_) => Err(Error::invalid_input("messages must not be empty")),
        _ => Err(Error::invalid_input(
            "messages must be a string or an array of messages",
        )),
    }
}

/// A conversation that ends with an AI message asks the model to continue it (a prefill), and
/// the service rejects one whose last text ends in whitespace: it is trimmed, as
/// `langchain-aws` does (whitespace-only text blocks are already gone).
fn trim_prefill(message: &mut ChatMessage) {
    if message.role != Role::Assistant {
        return;
    }
    let last = message.blocks.iter_mut().rev().find_map(|b| match b {
        ContentBlock::Text(text) => Some(text),
        _ => None,
    });
    if let Some(text) = last {
        text.truncate(text.trim_end().len());
    }
}

fn normalize_message(item: &mut Value) -> Result<ChatMessage> {
    match item {
        Value::Array(parts) if parts.len() == 2 || parts.len() == 3 => {
            let (role, rest) = parts.split_at_mut(1);
            let role = role[0].as_str().ok_or("a tuple's role must be a string")?;
            let (content, fields) = rest.split_at_mut(1);
            let fields = match fields.first() {
                None | Some(Value::Null) => None,
                Some(Value::Object(fields)) => Some(fields),
                Some(_) => return Err("a tuple's third member must be an object".into()),
            };
            message_from_parts(role, &mut content[0], fields)
        }
        Value::Array(_) => Err("a tuple must be [role, content] or [role, content, fields]".into()),
        Value::Object(obj) => {
            let mut content = obj.get_mut("content").map_or(Value::Null, Value::take);
            let role = obj
                .get("role")
                .or_else(|| obj.get("type"))
                .and_then(Value::as_str)
                .ok_or("a message needs a string role")?;
            message_from_parts(role, &mut content, Some(obj))
        }
        Value::String(text) => Ok(ChatMessage {
            role: Role::User,
            blocks: text_block(take(text)).into_iter().collect(),
        }),
        _ => Err("a message must be a [role, content] tuple or an object".into()),
    }
}

fn message_from_parts(
    role: &str,
    content: &mut Value,
    fields: Option<&Map<String, Value>>,
) -> Result<ChatMessage> {
    let field = |key: &str| fields.and_then(|f| f.get(key)).filter(|v| !v.is_null());
    let role = match role {
        "system" => Role::System,
        "human" | "user" | "generic" => Role::User,
        "ai" | "assistant" | "AIMessageChunk" => Role::Assistant,
        "tool" => {
            let id = field("tool_call_id")
                .and_then(Value::as_str)
                .ok_or("a tool message needs a string tool_call_id")?;
            let status = field("status").and_then(Value::as_str);
            // Cache points go after the result, as both LangChain Bedrock packages send them.
            let mut points = Vec::new();
            let mut blocks = vec![tool_result(id, content, status, Some(&mut points))?];
            blocks.append(&mut points);
            return Ok(ChatMessage {
                role: Role::User,
                blocks,
            });
        }
        other => return Err(format!("unknown role {other}", other = Quoted(other)).into()),
    };
    let mut blocks = content_blocks(content)?;
    match role {
        Role::System => {
            if let Some(j) = blocks.iter().position(|b| {
                !matches!(
                    b,
                    ContentBlock::Text(_)
                        | ContentBlock::CachePoint(_)
                        | ContentBlock::GuardContent(_)
                )
            }) {
                return Err(format!(
                    "content[{j}]: a system message may hold only text, cachePoint and guardContent blocks"
                ).into());
            }
        }
        Role::Assistant => {
            if let Some(calls) = field("tool_calls") {
                append_tool_calls(&mut blocks, calls)?;
            }
            // Reasoning leads its turn: models that think require it before any tool use.
            let (mut reasoning, rest): (Vec<_>, Vec<_>) = blocks
                .into_iter()
                .partition(|b| matches!(b, ContentBlock::ReasoningContent(_)));
            reasoning.extend(rest);
            blocks = reasoning;
        }
        Role::User => {}
    }
    Ok(ChatMessage { role, blocks })
}

/// Merges the `tool_calls` of an AI message into its content, as `langchain-aws` does: a call
/// whose id a tool-use block already holds gives that block its name and arguments (the
/// calls are what a user edits); the other calls are added after the content; tool-use blocks
/// without a call stay as they are.
fn append_tool_calls(blocks: &mut Vec<ContentBlock>, calls: &Value) -> Result<()> {
    let Value::Array(calls) = calls else {
        return Err("tool_calls must be an array".into());
    };
    for (k, call) in calls.iter().enumerate() {
        let call = tool_use(call, "args").map_err(|e| format!("tool_calls[{k}]: {e}"))?;
        let block = blocks.iter_mut().find_map(|b| match b {
            ContentBlock::ToolUse(t) if t.tool_use_id == call.tool_use_id => Some(t),
            _ => None,
        });
        match block {
            Some(block) => {
                block.name = call.name;
                block.input = call.input;
            }
            None => blocks.push(ContentBlock::ToolUse(call)),
        }
    }
    Ok(())
}

fn tool_use(call: &Value, args_key: &str) -> Result<ToolUse> {
    let string = |key: &str| call.get(key).and_then(Value::as_str).map(str::to_string);
    let (Some(id), Some(name)) = (string("id"), string("name")) else {
        return Err("a tool call needs a string id and name".into());
    };
    let input = match call.get(args_key) {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(Value::String(text)) if text.trim().is_empty() => Value::Object(Map::new()),
        Some(Value::String(text)) => serde_json::from_slice(text.as_bytes()).map_err(|_| {
            format!(
                "tool call {id} has arguments that are not JSON",
                id = Quoted(&id)
            )
        })?,
        Some(value) => value.clone(),
    };
    Ok(ToolUse {
        tool_use_id: id,
        name,
        input,
        kind: None,
    })
}

/// A tool result holding `content`; with `points`, the cache points among the content are put
/// there instead, to follow the result.
fn tool_result(
    id: &str,
    content: &mut Value,
    status: Option<&str>,
    mut points: Option<&mut Vec<ContentBlock>>,
) -> Result<ContentBlock> {
    let content = match content {
        Value::String(text) if text.is_empty() => Vec::new(),
        Value::String(text) => vec![ToolResultContent::Text(take(text))],
        Value::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for (j, item) in items.iter_mut().enumerate() {
                if let (Some(points), Some(point @ Value::Object(_))) =
                    (points.as_deref_mut(), item.get("cachePoint"))
                {
                    points.push(ContentBlock::CachePoint(point.clone()));
                    continue;
                }
                parts.extend(tool_result_part(item).map_err(|e| format!("content[{j}]: {e}"))?);
            }
            parts
        }
        Value::Object(_) => vec![ToolResultContent::Json(content.take())],
        Value::Null => return Err("a tool result needs content".into()),
        other => vec![ToolResultContent::Json(other.clone())],
    };
    if let Some(status) = status {
        if status != "success" && status != "error" {
            return Err(format!(
                "status must be \"success\" or \"error\", not {status}",
                status = Quoted(status)
            )
            .into());
        }
    }
    Ok(ContentBlock::ToolResult(ToolResult {
        tool_use_id: id.to_string(),
        content,
        status: status.map(str::to_string),
    }))
}

fn tool_result_part(item: &mut Value) -> Result<Option<ToolResultContent>> {
    if let Some(obj) = item.as_object_mut() {
        if obj.get("type").and_then(Value::as_str) == Some("json") {
            return Ok(Some(ToolResultContent::Json(
                obj.get_mut("json").map_or(Value::Null, Value::take),
            )));
        }
        if let Some((key, value)) = single_key(obj) {
            if key == "json" {
                return Ok(Some(ToolResultContent::Json(value.take())));
            }
        }
    }
    let Some(block) = content_block(item)? else {
        return Ok(None);
    };
    Ok(Some(match block {
        ContentBlock::Text(text) => ToolResultContent::Text(text),
        ContentBlock::Image(media) => ToolResultContent::Image(media),
        ContentBlock::Video(media) => ToolResultContent::Video(media),
        ContentBlock::Document(doc) => ToolResultContent::Document(doc),
        ContentBlock::Native(value) => ToolResultContent::Native(value),
        _ => {
            return Err(
                "a tool result may hold text, json, image, document and video blocks".into(),
            )
        }
    }))
}

fn content_blocks(content: &mut Value) -> Result<Vec<ContentBlock>> {
    match content {
        Value::String(text) => Ok(text_block(take(text)).into_iter().collect()),
        Value::Array(items) => {
            let mut blocks = Vec::with_capacity(items.len());
            for (j, item) in items.iter_mut().enumerate() {
                let block = content_block(item).map_err(|e| format!("content[{j}]: {e}"))?;
                blocks.extend(block);
                // Anthropic marks a cache breakpoint on the block itself.
                if let Some(point) = cache_control_point(item) {
                    blocks.push(ContentBlock::CachePoint(point));
                }
            }
            Ok(blocks)
        }
        Value::Null => Err("message content is missing".into()),
        _ => Err("content must be a string or an array of blocks".into()),
    }
}

/// The cache point an Anthropic `cache_control: { type: "ephemeral", ttl? }` on a block or
/// tool stands for: `{ type: "default", ttl? }`.
pub fn cache_control_point(item: &Value) -> Option<Value> {
    let control = item.get("cache_control")?.as_object()?;
    let mut point = Map::new();
    point.insert("type".into(), Value::String("default".into()));
    if let Some(ttl) = control.get("ttl") {
        point.insert("ttl".into(), ttl.clone());
    }
    Some(Value::Object(point))
}

/// The service rejects blank text blocks, so empty (or whitespace-only) text is dropped rather
/// than sent.
fn text_block(text: String) -> Option<ContentBlock> {
    (!text.trim().is_empty()).then_some(ContentBlock::Text(text))
}

/// The string `text` held, moved out (the input is read once, then dropped).
fn take(text: &mut String) -> String {
    std::mem::take(text)
}

fn single_key(obj: &mut Map<String, Value>) -> Option<(&str, &mut Value)> {
    let mut entries = obj.iter_mut();
    match (entries.next(), entries.next()) {
        (Some((k, v)), None) => Some((k.as_str(), v)),
        _ => None,
    }
}

fn content_block(item: &mut Value) -> Result<Option<ContentBlock>> {
    let obj = match item {
        Value::String(text) => return Ok(text_block(take(text))),
        Value::Object(obj) => obj,
        _ => return Err("a content block must be an object".into()),
    };
    match obj.get("type").and_then(Value::as_str).map(str::to_string) {
        Some(kind) => match typed_native(&kind, obj) {
            Some(key) => native_block(key, &mut obj[key]).map(Some),
            None => standard_block(&kind, obj),
        },
        None => match single_key(obj) {
            Some((key, value)) => native_block(key, value).map(Some),
            None => Err("a content block needs a type or one Bedrock block key".into()),
        },
    }
}

/// `{ type: "image", image: {…} }`, the Bedrock-native block tagged with its type, as
/// `@langchain/aws` and `langchain-aws` take it: the native key, which holds an object.
fn typed_native(kind: &str, obj: &Map<String, Value>) -> Option<&'static str> {
    let key = match kind {
        "image" => "image",
        "document" => "document",
        "video" => "video",
        "audio" => "audio",
        "cache_point" => "cachePoint",
        _ => return None,
    };
    obj.get(key).filter(|v| v.is_object()).map(|_| key)
}

fn str_field<'a>(obj: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))
}

/// A LangChain standard (or Anthropic-style) block.
fn standard_block(kind: &str, obj: &mut Map<String, Value>) -> Result<Option<ContentBlock>> {
    match kind {
        "text" => match obj.get_mut("text") {
            Some(Value::String(text)) => Ok(text_block(take(text))),
            _ => Err("a text block needs a string text".into()),
        },
        // `source_type: "text"` is LangChain's earlier form of a plain-text file.
        "text-plain" => {
            let text = str_field(obj, &["text"]).ok_or("a text-plain block needs text")?;
            let source = MediaSource::Text(text.to_string());
            document("txt".into(), source, obj).map(|d| Some(ContentBlock::Document(d)))
        }
        "image" | "file" | "video" | "image_url" => media_block(kind, obj).map(Some),
        "reasoning" | "thinking" | "redacted_thinking" | "reasoning_content" => {
            Ok(reasoning_block(kind, obj))
        }
        "tool_call" => {
            tool_use(&Value::Object(obj.clone()), "args").map(|t| Some(ContentBlock::ToolUse(t)))
        }
        "tool_use" => {
            tool_use(&Value::Object(obj.clone()), "input").map(|t| Some(ContentBlock::ToolUse(t)))
        }
        "tool_call_chunk" => match obj.get("args").and_then(Value::as_str) {
            Some(args)
                if !args.trim().is_empty()
                    && serde_json::from_slice::<Value>(args.as_bytes()).is_err() =>
            {
                Ok(None)
            }
            _ => tool_use(&Value::Object(obj.clone()), "args")
                .map(|t| Some(ContentBlock::ToolUse(t))),
        },
        "guard_content" => {
            let text = str_field(obj, &["text"]).ok_or("a guard_content block needs text")?;
            let guard = serde_json::json!({ "text": { "text": text } });
            Ok(Some(ContentBlock::GuardContent(guard)))
        }
        "tool_result" => {
            let id = str_field(obj, &["tool_use_id"])
                .ok_or("a tool_result block needs a string tool_use_id")?
                .to_string();
            let status = match obj.get("is_error") {
                None | Some(Value::Null) => None,
                Some(Value::Bool(error)) => Some(if *error { "error" } else { "success" }),
                Some(_) => return Err("is_error must be a boolean".into()),
            };
            let mut content = obj.get_mut("content").map_or(Value::Null, Value::take);
            tool_result(&id, &mut content, status, None).map(Some)
        }
        // A call whose arguments never parsed cannot be sent back as a tool use.
        "invalid_tool_call" => Ok(None),
        "non_standard" => match obj.get_mut("value") {
            Some(Value::Object(value)) => match single_key(value) {
                Some((key, inner)) => native_block(key, inner).map(Some),
                None => Err("a non_standard block's value is not a Bedrock content block".into()),
            },
            _ => Err("a non_standard block needs an object value".into()),
        },
        other => Err(format!(
            "content block type {other} is not supported",
            other = Quoted(other)
        )
        .into()),
    }
}

/// LangChain's `reasoning` (signature or redacted content in `extras`), Anthropic's `thinking`
/// and `redacted_thinking`, and the peers' earlier `reasoning_content` (`reasoningText` in
/// `@langchain/aws`, `reasoning_content` in `langchain-aws`, both `{ text, signature }`).
fn reasoning_block(kind: &str, obj: &Map<String, Value>) -> Option<ContentBlock> {
    let extras = match kind {
        "reasoning_content" => ["reasoningText", "reasoning_content", "reasoningContent"]
            .iter()
            .find_map(|k| obj.get(*k)),
        _ => obj.get("extras"),
    }
    .and_then(Value::as_object);
    let extra = |key: &str| {
        extras
            .and_then(|e| e.get(key))
            .or_else(|| obj.get(key))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let redacted = match kind {
        "redacted_thinking" => str_field(obj, &["data"]).map(str::to_string),
        _ => extra("redactedContent"),
    };
    if let Some(data) = redacted {
        return Some(ContentBlock::ReasoningContent(Reasoning::RedactedContent(
            data,
        )));
    }
    let text = str_field(obj, &["reasoning", "thinking"])
        .or_else(|| extras.and_then(|e| str_field(e, &["text"])))
        .unwrap_or("");
    // An empty signature is none (the service refuses it).
    let signature = extra("signature").filter(|s| !s.is_empty());
    if text.is_empty() && signature.is_none() {
        return None;
    }
    Some(ContentBlock::ReasoningContent(Reasoning::ReasoningText {
        text: text.to_string(),
        signature,
    }))
}

/// `image`, `file`, `video` and `image_url` standard blocks.
fn media_block(kind: &str, obj: &mut Map<String, Value>) -> Result<ContentBlock> {
    let data = take_data(obj);
    let obj = &*obj;
    let url = match kind {
        "image_url" => match obj.get("image_url") {
            Some(Value::String(url)) => Some(url.as_str()),
            Some(Value::Object(inner)) => str_field(inner, &["url"]),
            _ => None,
        }
        .ok_or("an image_url block needs image_url.url")?
        .into(),
        // `@langchain/aws` takes an S3 URI as `fileId`.
        _ => str_field(obj, &["url", "fileId"]),
    };
    // Anthropic's form: `source: { type: "base64", media_type, data }`.
    let anthropic = obj
        .get("source")
        .and_then(Value::as_object)
        .filter(|s| str_field(s, &["type"]) == Some("base64"));
    let mut mime = str_field(obj, &["mimeType", "mime_type", "media_type"])
        .or_else(|| anthropic.and_then(|s| str_field(s, &["media_type", "mediaType"])))
        .map(str::to_string);
    let source = if let Some(url) = url {
        if url.starts_with("data:") {
            let (data_mime, data) = parse_data_url(url)?;
            mime.get_or_insert(data_mime);
            MediaSource::Bytes(data)
        } else if url.starts_with("s3://") {
            if mime.is_none() {
                mime = mime_for_extension(url).map(str::to_string);
            }
            MediaSource::S3Location(S3Location {
                uri: url.to_string(),
                bucket_owner: str_field(obj, &["bucketOwner", "bucket_owner"]).map(str::to_string),
            })
        } else {
            return Err(
                "only data: and s3:// URLs are supported; pass the bytes as data instead".into(),
            );
        }
    } else if let Some(data) = data {
        if data.starts_with("data:") {
            let (data_mime, data) = parse_data_url(&data)?;
            mime.get_or_insert(data_mime);
            MediaSource::Bytes(data)
        } else {
            MediaSource::Bytes(checked_base64(data)?)
        }
    } else if obj.contains_key("file_id") {
        return Err("file ids are not supported; pass the bytes as data".into());
    } else if let Some(text) = str_field(obj, &["text"]) {
        // LangChain's earlier plain-text file (`source_type: "text"`).
        mime.get_or_insert_with(|| "text/plain".into());
        MediaSource::Text(text.into())
    } else {
        return Err(
            format!("a {kind} block needs data (bytes, base64 or a data: URL) or a url").into(),
        );
    };
    let mime = mime.ok_or_else(|| format!("a {kind} block needs a mimeType"))?;
    let (media_kind, format) = format_for_mime(&mime)
        .ok_or_else(|| format!("MIME type {mime} is not supported", mime = Quoted(&mime)))?;
    let expected = match kind {
        "image" | "image_url" => Some(MediaKind::Image),
        "video" => Some(MediaKind::Video),
        _ => None,
    };
    if expected.is_some_and(|k| k != media_kind) {
        return Err(format!(
            "MIME type {mime} is not an {kind} type",
            mime = Quoted(&mime)
        )
        .into());
    }
    Ok(match media_kind {
        MediaKind::Image => ContentBlock::Image(Media {
            format: format.into(),
            source,
        }),
        MediaKind::Video => ContentBlock::Video(Media {
            format: format.into(),
            source,
        }),
        MediaKind::Document => ContentBlock::Document(document(format.into(), source, obj)?),
    })
}

/// A media block's base64 or `data:` URL, moved out of it: `data` or `base64`, or Anthropic's
/// `source: { type: "base64", data }`.
fn take_data(obj: &mut Map<String, Value>) -> Option<String> {
    let string = |value: Option<&mut Value>| match value {
        Some(Value::String(text)) => Some(take(text)),
        _ => None,
    };
    if let Some(data) = ["data", "base64"]
        .iter()
        .find(|k| obj.get(**k).is_some_and(Value::is_string))
    {
        return string(obj.get_mut(*data));
    }
    match obj.get_mut("source") {
        Some(Value::Object(source)) if str_field(source, &["type"]) == Some("base64") => {
            string(source.get_mut("data"))
        }
        _ => None,
    }
}

/// A document from a block's `format`, `source`, name (`filename`, `name` or `title`, also
/// under `metadata`), `context` and `citations`.
fn document(format: String, source: MediaSource, obj: &Map<String, Value>) -> Result<Document> {
    const NAMES: &[&str] = &["filename", "name", "title"];
    let metadata = obj.get("metadata").and_then(Value::as_object);
    let name = str_field(obj, NAMES).or_else(|| metadata.and_then(|m| str_field(m, NAMES)));
    let citations = match obj.get("citations") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(enabled)) => Some(CitationsConfig { enabled: *enabled }),
        Some(Value::Object(c)) => Some(CitationsConfig {
            enabled: c.get("enabled").and_then(Value::as_bool).unwrap_or(false),
        }),
        Some(_) => return Err("citations must be a boolean or { enabled }".into()),
    };
    Ok(Document {
        name: document_name(name, &source),
        format,
        source,
        context: str_field(obj, &["context"]).map(str::to_string),
        citations,
    })
}

/// A Bedrock-native one-key block: media and reasoning are checked and typed, the rest pass
/// through.
fn native_block(key: &str, value: &mut Value) -> Result<ContentBlock> {
    fn obj<'a>(key: &str, value: &'a mut Value) -> Result<&'a mut Map<String, Value>> {
        value
            .as_object_mut()
            .ok_or_else(|| format!("{key} must be an object").into())
    }
    Ok(match key {
        "text" => match value {
            Value::String(text) => ContentBlock::Text(take(text)),
            _ => return Err("text must be a string".into()),
        },
        "image" => ContentBlock::Image(native_media(MediaKind::Image, obj(key, value)?)?),
        "video" => ContentBlock::Video(native_media(MediaKind::Video, obj(key, value)?)?),
        "document" => {
            let doc = obj(key, value)?;
            let media = native_media(MediaKind::Document, doc)?;
            ContentBlock::Document(document(media.format, media.source, doc)?)
        }
        "toolUse" => {
            let t = obj(key, value)?;
            let id = str_field(t, &["toolUseId"]).ok_or("toolUse needs toolUseId")?;
            let name = str_field(t, &["name"]).ok_or("toolUse needs name")?;
            ContentBlock::ToolUse(ToolUse {
                tool_use_id: id.into(),
                name: name.into(),
                input: t.get("input").cloned().unwrap_or(Value::Object(Map::new())),
                kind: str_field(t, &["type"]).map(str::to_string),
            })
        }
        "toolResult" => {
            let t = obj(key, value)?;
            let mut content = t
                .get_mut("content")
                .map_or(Value::Array(Vec::new()), Value::take);
            let id = str_field(t, &["toolUseId"]).ok_or("toolResult needs toolUseId")?;
            tool_result(id, &mut content, str_field(t, &["status"]), None)?
        }
        "reasoningContent" => {
            let r = obj(key, value)?;
            if let Some(data) = str_field(r, &["redactedContent"]) {
                ContentBlock::ReasoningContent(Reasoning::RedactedContent(data.into()))
            } else {
                let text = r
                    .get("reasoningText")
                    .and_then(Value::as_object)
                    .ok_or("reasoningContent needs reasoningText or redactedContent")?;
                ContentBlock::ReasoningContent(Reasoning::ReasoningText {
                    text: str_field(text, &["text"]).unwrap_or("").into(),
                    signature: str_field(text, &["signature"]).map(str::to_string),
                })
            }
        }
        "cachePoint" => ContentBlock::CachePoint(Value::Object(obj(key, value)?.clone())),
        "guardContent" => ContentBlock::GuardContent(Value::Object(obj(key, value)?.clone())),
        k if PASS_THROUGH_KEYS.contains(&k) => {
            let mut native = Map::new();
            native.insert(k.to_string(), value.clone());
            ContentBlock::Native(Value::Object(native))
        }
        other => {
            return Err(format!(
                "unknown Bedrock content block {other}",
                other = Quoted(other)
            )
            .into())
        }
    })
}

fn native_media(kind: MediaKind, obj: &mut Map<String, Value>) -> Result<Media> {
    let name = kind.name();
    let format = match (str_field(obj, &["format"]), kind) {
        (Some(format), _) => format,
        (None, MediaKind::Document) => "txt",
        (None, _) => return Err(format!("{name}.format is required").into()),
    };
    if !kind.formats().contains(&format) {
        return Err(format!(
            "{name}.format {format} is not one of {}",
            kind.formats().join(", "),
            format = Quoted(format)
        )
        .into());
    }
    let format = format.to_string();
    let source = obj
        .get_mut("source")
        .and_then(Value::as_object_mut)
        .and_then(single_key)
        .ok_or_else(|| format!("{name}.source must have exactly one member"))?;
    let source = match source {
        ("bytes", Value::String(b)) => MediaSource::Bytes(
            checked_base64(take(b)).map_err(|e| format!("{name}.source.bytes: {e}"))?,
        ),
        ("s3Location", Value::Object(l)) => MediaSource::S3Location(S3Location {
            uri: str_field(l, &["uri"])
                .filter(|u| u.starts_with("s3://"))
                .ok_or_else(|| format!("{name}.source.s3Location.uri must be an s3:// URI"))?
                .into(),
            bucket_owner: str_field(l, &["bucketOwner"]).map(str::to_string),
        }),
        ("text", Value::String(t)) if kind == MediaKind::Document => MediaSource::Text(take(t)),
        (other, _) => return Err(format!("{name}.source.{other} is not supported").into()),
    };
    Ok(Media { format, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_len_is_the_length_serde_json_writes() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "",
            "plain",
            "say \"hi\"\n",
            "naïve — ✓ \u{1}",
        ] {
            assert_eq!(
                escaped_len(text),
                serde_json::to_string(text).unwrap().len() - 2
            );
        }
    }
    use serde_json::json;

    fn wire(input: Value) -> Vec<Value> {
        normalize_messages(input)
            .unwrap()
            .into_iter()
            .map(|m| serde_json::to_value(&m.blocks).unwrap())
            .collect()
    }

    fn type_error(input: Value) -> String {
        let err = normalize_messages(input).unwrap_err();
        assert!(err.is_invalid_input(), "{err}");
        err.message()
    }

    /// The large strings of the input move into the messages: the text and base64 the messages
    /// hold are the input's own buffers, not copies of them.
    #[test]
    fn text_and_base64_move_out_of_the_input() {
        let mut input = json!([
            ["human", ""],
            { "role": "user", "content": ["", { "type": "text", "text": "" }, { "text": "" }] },
            ["tool", "", { "tool_call_id": "t" }],
            ["human", [
                { "type": "image", "mimeType": "image/png", "data": "" },
                { "type": "image", "source": { "type": "base64", "media_type": "image/png", "data": "" } },
                { "image": { "format": "png", "source": { "bytes": "" } } },
                { "type": "file", "mimeType": "application/pdf", "base64": "" },
            ]],
            ["ai", ""],
        ]);
        let places = [
            "/0/1",
            "/1/content/0",
            "/1/content/1/text",
            "/1/content/2/text",
            "/2/1",
            "/4/1",
            "/3/1/0/data",
            "/3/1/1/source/data",
            "/3/1/2/image/source/bytes",
            "/3/1/3/base64",
        ];
        let mut expected = Vec::new();
        for (i, place) in places.iter().enumerate() {
            let text = if i < 6 {
                format!("text {i}")
            } else {
                "aGVsbG8=".to_string()
            };
            expected.push(text.as_ptr());
            *input.pointer_mut(place).unwrap() = Value::String(text);
        }
        let mut held = Vec::new();
        for message in normalize_messages(input).unwrap() {
            for block in message.blocks {
                match block {
                    ContentBlock::Text(text) => held.push(text.as_ptr()),
                    ContentBlock::ToolResult(result) => match &result.content[..] {
                        [ToolResultContent::Text(text)] => held.push(text.as_ptr()),
                        _ => panic!("one text part"),
                    },
                    ContentBlock::Image(Media {
                        source: MediaSource::Bytes(data),
                        ..
                    })
                    | ContentBlock::Document(Document {
                        source: MediaSource::Bytes(data),
                        ..
                    }) => held.push(data.as_ptr()),
                    _ => panic!("text, a tool result, images and a document"),
                }
            }
        }
        held.sort();
        expected.sort();
        assert_eq!(held, expected);
    }

    #[test]
    fn tuples_objects_and_native_blocks() {
        let got = wire(json!([
            ["system", "Translate."],
            ["human", "I love programming."],
            {"role": "ai", "content": "J'adore la programmation."},
            {"role": "user", "content": [{"type": "text", "text": "Again"}, {"cachePoint": {"type": "default"}}]},
        ]));
        assert_eq!(got[1], json!([{"text": "I love programming."}]));
        assert_eq!(
            got[3],
            json!([{"text": "Again"}, {"cachePoint": {"type": "default"}}])
        );
    }

    #[test]
    fn images_from_bytes_data_urls_and_s3() {
        let got = wire(json!([["human", [
            {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="},
            {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/4AAQ"}},
            {"type": "image", "url": "s3://bucket/cat.webp"},
            {"image": {"format": "gif", "source": {"bytes": "R0lGODlh"}}},
        ]]]));
        assert_eq!(
            got[0],
            json!([
                {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
                {"image": {"format": "jpeg", "source": {"bytes": "/9j/4AAQ"}}},
                {"image": {"format": "webp", "source": {"s3Location": {"uri": "s3://bucket/cat.webp"}}}},
                {"image": {"format": "gif", "source": {"bytes": "R0lGODlh"}}},
            ])
        );
    }

    #[test]
    fn files_become_documents_with_valid_names_and_citations() {
        let got = wire(json!([["human", [
            {"type": "file", "mimeType": "application/pdf", "data": "JVBERi0=", "filename": "Q3 report.pdf"},
            {"type": "file", "mimeType": "text/plain", "data": "aGk=", "citations": true, "context": "c"},
            {"type": "text-plain", "text": "plain words", "title": "notes"},
            {"type": "file", "mimeType": "video/mp4", "data": "AAAA"},
        ]]]));
        assert_eq!(
            got[0][0],
            json!({"document": {"format": "pdf", "name": "Q3 report", "source": {"bytes": "JVBERi0="}}})
        );
        let doc = &got[0][1]["document"];
        assert_eq!(doc["citations"], json!({"enabled": true}));
        assert_eq!(doc["context"], json!("c"));
        assert!(doc["name"].as_str().unwrap().starts_with("document-"));
        assert_eq!(
            got[0][2],
            json!({"document": {"format": "txt", "name": "notes", "source": {"text": "plain words"}}})
        );
        assert_eq!(
            got[0][3],
            json!({"video": {"format": "mp4", "source": {"bytes": "AAAA"}}})
        );
    }

    #[test]
    fn bad_media_is_a_type_error_naming_message_and_block() {
        let msg = type_error(
            json!([["human", "hi"], ["human", ["ok", {"type": "image", "mimeType": "image/bmp", "data": "AAAA"}]]]),
        );
        assert_eq!(
            msg,
            "messages[1].content[1]: MIME type \"image/bmp\" is not supported"
        );
        for bad in [
            json!({"type": "image", "mimeType": "image/png", "data": ""}),
            json!({"type": "image", "mimeType": "image/png", "data": "not base64!"}),
            json!({"type": "image", "url": "https://example.com/a.png"}),
            json!({"type": "image", "mimeType": "application/pdf", "data": "AAAA"}),
            json!({"image": {"format": "bmp", "source": {"bytes": "AAAA"}}}),
            json!({"image": {"format": "png", "source": {"bytes": ""}}}),
            json!({"document": {"format": "pdf", "source": {"s3Location": {"uri": "http://x"}}}}),
            json!({"type": "audio", "data": "AAAA"}),
        ] {
            let msg = type_error(json!([["human", [bad]]]));
            assert!(msg.starts_with("messages[0].content[0]: "), "{msg}");
        }
    }

    #[test]
    fn assistant_turns_keep_reasoning_first_and_add_tool_calls_once() {
        let got = wire(json!([
            {"role": "ai", "content": [
                {"type": "text", "text": "Let me check."},
                {"type": "reasoning", "reasoning": "hm", "extras": {"signature": "sig"}},
                {"type": "reasoning", "reasoning": "", "extras": {"redactedContent": "AAAA"}},
                {"type": "tool_call", "id": "t1", "name": "w", "args": {"city": "Paris"}},
             ],
             "tool_calls": [{"id": "t1", "name": "w", "args": {"city": "Paris"}},
                            {"id": "t2", "name": "w", "args": {}}]},
        ]));
        assert_eq!(
            got[0],
            json!([
                {"reasoningContent": {"reasoningText": {"text": "hm", "signature": "sig"}}},
                {"reasoningContent": {"redactedContent": "AAAA"}},
                {"text": "Let me check."},
                {"toolUse": {"toolUseId": "t1", "name": "w", "input": {"city": "Paris"}}},
                {"toolUse": {"toolUseId": "t2", "name": "w", "input": {}}},
            ])
        );
    }

    #[test]
    fn merged_stream_content_round_trips() {
        let got = wire(json!([{"type": "AIMessageChunk", "content": [
            {"type": "reasoning", "reasoning": "hm", "extras": {"signature": "s"}, "index": 0},
            {"type": "text", "text": "a", "index": 1, "annotations": [{"type": "citation"}]},
            {"type": "tool_call_chunk", "id": "t1", "name": "w", "args": "", "index": 2},
            {"type": "tool_call_chunk", "id": "t2", "name": "w", "args": "{\"a\"", "index": 3},
        ]}]));
        assert_eq!(
            got[0],
            json!([
                {"reasoningContent": {"reasoningText": {"text": "hm", "signature": "s"}}},
                {"text": "a"},
                {"toolUse": {"toolUseId": "t1", "name": "w", "input": {}}},
            ])
        );
    }

    #[test]
    fn tool_messages_in_every_form() {
        let got = wire(json!([
            ["tool", "sunny", {"tool_call_id": "t1"}],
            {"role": "tool", "tool_call_id": "t2", "content": {"temp": 21}, "status": "error"},
            {"role": "tool", "tool_call_id": "t3", "content": [
                {"type": "image", "mimeType": "image/png", "data": "AAAA"},
                {"type": "json", "json": [1]},
                {"json": {"a": 1}},
            ]},
        ]));
        assert_eq!(
            got[0],
            json!([{"toolResult": {"toolUseId": "t1", "content": [{"text": "sunny"}]}}])
        );
        assert_eq!(
            got[1],
            json!([{"toolResult": {"toolUseId": "t2", "content": [{"json": {"temp": 21}}], "status": "error"}}])
        );
        assert_eq!(
            got[2],
            json!([{"toolResult": {"toolUseId": "t3", "content": [
                {"image": {"format": "png", "source": {"bytes": "AAAA"}}},
                {"json": [1]},
                {"json": {"a": 1}},
            ]}}])
        );
        assert!(type_error(json!([["tool", "x"]])).contains("tool_call_id"));
    }

    #[test]
    fn the_peers_block_forms() {
        // The forms of langchain-aws's test__messages_to_bedrock and @langchain/aws's
        // convertToConverseMessages; bytes arrive here as base64.
        let got = wire(json!([
            ["system", ["sys", {"type": "guard_content", "text": "sys6"}]],
            ["human", [
                {"type": "tool_result", "tool_use_id": "t2", "is_error": true, "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQ"}}]},
                {"type": "tool_result", "tool_use_id": "t3", "is_error": false, "content": "ok"},
                {"type": "guard_content", "text": "hu6"},
                {"type": "document", "document": {"format": "pdf", "name": "doc1", "source": {"bytes": "JVBERi0="}, "citations": {"enabled": true}}},
                {"type": "image", "image": {"format": "jpeg", "source": {"bytes": "/9j/4AAQ"}}},
                {"type": "video", "video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://b/v.mp4"}}}},
                {"type": "cache_point", "cachePoint": {"type": "default"}},
            ]],
        ]));
        assert_eq!(
            got[0],
            json!([{"text": "sys"}, {"guardContent": {"text": {"text": "sys6"}}}])
        );
        assert_eq!(
            got[1],
            json!([
                {"toolResult": {"toolUseId": "t2", "status": "error", "content": [
                    {"image": {"format": "jpeg", "source": {"bytes": "/9j/4AAQ"}}}]}},
                {"toolResult": {"toolUseId": "t3", "status": "success", "content": [{"text": "ok"}]}},
                {"guardContent": {"text": {"text": "hu6"}}},
                {"document": {"format": "pdf", "name": "doc1", "source": {"bytes": "JVBERi0="}, "citations": {"enabled": true}}},
                {"image": {"format": "jpeg", "source": {"bytes": "/9j/4AAQ"}}},
                {"video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://b/v.mp4"}}}},
                {"cachePoint": {"type": "default"}},
            ])
        );
        for (bad, says) in [
            (
                json!({"type": "image", "image": {"format": "bmp", "source": {"bytes": "AAAA"}}}),
                "image.format",
            ),
            (
                json!({"type": "document", "document": {"format": "pdf", "source": {"bytes": ""}}}),
                "document.source.bytes",
            ),
            (
                json!({"type": "guard_content"}),
                "guard_content block needs text",
            ),
            (
                json!({"type": "tool_result", "content": "x"}),
                "tool_use_id",
            ),
            (
                json!({"type": "tool_result", "tool_use_id": "t"}),
                "needs content",
            ),
            (
                json!({"type": "tool_result", "tool_use_id": "t", "is_error": "yes"}),
                "is_error",
            ),
        ] {
            let msg = type_error(json!([["human", [bad]]]));
            assert!(
                msg.starts_with("messages[0].content[0]: ") && msg.contains(says),
                "{msg}"
            );
        }
    }

    #[test]
    fn trailing_whitespace_of_a_final_ai_message_is_trimmed() {
        let got = wire(json!([["human", "hi"], ["ai", "Sure:  \n\t "]]));
        assert_eq!(got[1], json!([{"text": "Sure:"}]));
        let got = wire(json!([["human", "hi"], ["ai", [
            {"type": "text", "text": "a  "}, {"type": "text", "text": "b \n"},
            {"cachePoint": {"type": "default"}}, {"type": "text", "text": "  "}]]]));
        assert_eq!(
            got[1],
            json!([{"text": "a  "}, {"text": "b"}, {"cachePoint": {"type": "default"}}])
        );
        let got = wire(json!([["ai", "kept  "], ["human", "hi "]]));
        assert_eq!(got, [json!([{"text": "kept  "}]), json!([{"text": "hi "}])]);
    }

    #[test]
    fn tool_calls_win_over_tool_use_blocks_with_their_id() {
        let got = wire(json!([{"role": "ai", "content": [
            {"type": "text", "text": "thought"},
            {"type": "tool_use", "id": "1", "name": "bar", "input": {"baz": "NOT_BUZZ"}},
            {"type": "tool_use", "id": "2", "name": "kept", "input": {}},
        ], "tool_calls": [
            {"id": "1", "name": "bar2", "args": {"baz": "BUZZ"}},
            {"id": "3", "name": "added", "args": "{\"n\": 1}"},
        ]}]));
        assert_eq!(
            got[0],
            json!([
                {"text": "thought"},
                {"toolUse": {"toolUseId": "1", "name": "bar2", "input": {"baz": "BUZZ"}}},
                {"toolUse": {"toolUseId": "2", "name": "kept", "input": {}}},
                {"toolUse": {"toolUseId": "3", "name": "added", "input": {"n": 1}}},
            ])
        );
    }

    #[test]
    fn cache_points_in_a_tool_message_follow_its_result() {
        let got = wire(json!([{"role": "tool", "tool_call_id": "t", "content": [
            {"type": "text", "text": "long"},
            {"type": "cache_point", "cachePoint": {"type": "default", "ttl": "1h"}},
            {"type": "text", "text": "more"},
            {"cachePoint": {"type": "default"}},
        ]}]));
        assert_eq!(
            got[0],
            json!([
                {"toolResult": {"toolUseId": "t", "content": [{"text": "long"}, {"text": "more"}]}},
                {"cachePoint": {"type": "default", "ttl": "1h"}},
                {"cachePoint": {"type": "default"}},
            ])
        );
        let msg = type_error(json!([{"role": "tool", "tool_call_id": "t", "content": [
            "ok", {"cachePoint": {"type": "default"}}, {"type": "reasoning", "reasoning": "x"}]}]));
        assert!(msg.starts_with("messages[0].content[2]: "), "{msg}");
    }

    #[test]
    fn blank_text_empty_signatures_and_s3_file_ids() {
        let got = wire(json!([
            ["human", ["   ", {"type": "text", "text": "\n\t"}, "hi",
                       {"type": "video", "mimeType": "video/mp4", "fileId": "s3://b/v.mp4"}]],
            {"role": "ai", "content": [
                {"type": "reasoning", "reasoning": "hm", "signature": ""},
                {"type": "reasoning", "reasoning": "", "extras": {"signature": ""}},
                {"type": "text", "text": "ok"},
            ]},
        ]));
        assert_eq!(
            got[0],
            json!([{"text": "hi"}, {"video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://b/v.mp4"}}}}])
        );
        assert_eq!(
            got[1],
            json!([{"reasoningContent": {"reasoningText": {"text": "hm"}}}, {"text": "ok"}])
        );
        let msg = type_error(
            json!([["human", [{"type": "file", "mimeType": "application/pdf", "file_id": "f"}]]]),
        );
        assert!(msg.contains("file ids are not supported"), "{msg}");
    }

    #[test]
    fn the_peers_earlier_reasoning_content_blocks() {
        let got = wire(json!([{"role": "ai", "content": [
            {"type": "reasoning_content", "reasoningText": {"text": "js", "signature": "s1"}},
            {"type": "reasoning_content", "reasoning_content": {"text": "py", "signature": "s2"}},
            {"type": "reasoning_content", "reasoningContent": {"text": "py2", "signature": "s3"}},
            {"type": "reasoning_content", "redactedContent": "AAAA"},
            {"type": "text", "text": "answer"},
        ]}]));
        assert_eq!(
            got[0],
            json!([
                {"reasoningContent": {"reasoningText": {"text": "js", "signature": "s1"}}},
                {"reasoningContent": {"reasoningText": {"text": "py", "signature": "s2"}}},
                {"reasoningContent": {"reasoningText": {"text": "py2", "signature": "s3"}}},
                {"reasoningContent": {"redactedContent": "AAAA"}},
                {"text": "answer"},
            ])
        );
    }

    #[test]
    fn a_text_file_in_langchain_s_earlier_form_is_a_text_document() {
        let got = wire(json!([["human", [
            {"type": "file", "source_type": "text", "text": "notes here", "metadata": {"filename": "notes.txt"}},
            {"type": "file", "source_type": "base64", "mime_type": "text/plain", "data": "aGk=", "metadata": {"title": "t"}},
        ]]]));
        assert_eq!(
            got[0],
            json!([
                {"document": {"format": "txt", "name": "notes", "source": {"text": "notes here"}}},
                {"document": {"format": "txt", "name": "t", "source": {"bytes": "aGk="}}},
            ])
        );
    }

    #[test]
    fn bad_messages_are_type_errors() {
        for bad in [
            json!(42),
            json!([]),
            json!([["wizard", "hi"]]),
            json!([{"content": "no role"}]),
            json!([["human"]]),
            json!([["human", 5]]),
            json!([["human", [{"type": "text", "text": 1}]]]),
            json!([["human", [{"foo": 1, "bar": 2}]]]),
            json!([["system", [{"type": "image", "mimeType": "image/png", "data": "AAAA"}]]]),
            json!([{"role": "tool", "tool_call_id": "t", "content": "x", "status": "meh"}]),
        ] {
            type_error(bad);
        }
    }
}
