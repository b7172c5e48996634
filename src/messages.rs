//! Chat input normalisation: LangChain-style messages in, Bedrock Converse messages out.
//!
//! Accepted input (already converted from JS to JSON):
//! - a string (one human message);
//! - an array of `[role, content]` tuples or `{ role | type, content, ... }` objects.
//!
//! Roles: `system`, `human`/`user`, `ai`/`assistant`, `tool`. Content is a string or an array
//! of blocks: LangChain `{ type: "text", text }` blocks or Bedrock-native one-key blocks
//! (`{ text }`, `{ cachePoint }`, `{ image }`, `{ document }`, `{ guardContent }`, …), which
//! pass through unchanged.

use serde_json::{json, Map, Value};

use crate::Error;

/// Who speaks a message, in Converse terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Goes to the request's top-level `system` array.
    System,
    /// A `user` message (human input and tool results).
    User,
    /// An `assistant` message (earlier model output).
    Assistant,
}

impl Role {
    /// The Converse `role` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One normalised message: a role and its Converse content blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatMessage {
    /// The Converse role.
    pub role: Role,
    /// Content blocks in Bedrock wire form (`{"text": …}`, `{"toolUse": …}`, …).
    pub blocks: Vec<Value>,
}

/// Bedrock-native content block keys that pass through unchanged.
const NATIVE_BLOCK_KEYS: &[&str] = &[
    "text",
    "image",
    "document",
    "video",
    "audio",
    "toolUse",
    "toolResult",
    "guardContent",
    "cachePoint",
    "reasoningContent",
    "citationsContent",
    "searchResult",
];

/// Normalises chat input into messages. Errors are `TypeError`s naming the bad message.
pub fn normalize_messages(input: &Value) -> Result<Vec<ChatMessage>, Error> {
    match input {
        Value::String(text) => Ok(vec![ChatMessage {
            role: Role::User,
            blocks: text_blocks(text),
        }]),
        Value::Array(items) => {
            if items.is_empty() {
                return Err(Error::invalid_input("messages must not be empty"));
            }
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    normalize_message(item).map_err(|e| {
                        Error::invalid_input(format!("messages[{i}]: {}", e.message()))
                    })
                })
                .collect()
        }
        _ => Err(Error::invalid_input(
            "messages must be a string or an array of messages",
        )),
    }
}

fn normalize_message(item: &Value) -> Result<ChatMessage, Error> {
    match item {
        Value::Array(pair) if pair.len() == 2 => {
            let role = pair[0]
                .as_str()
                .ok_or_else(|| Error::invalid_input("tuple role must be a string"))?;
            message_from_parts(role, &pair[1], None)
        }
        Value::Array(_) => Err(Error::invalid_input("a tuple must be [role, content]")),
        Value::Object(obj) => {
            let role = obj
                .get("role")
                .or_else(|| obj.get("type"))
                .and_then(Value::as_str)
                .ok_or_else(|| Error::invalid_input("message needs a string role"))?;
            let content = obj.get("content").unwrap_or(&Value::Null);
            message_from_parts(role, content, Some(obj))
        }
        Value::String(text) => Ok(ChatMessage {
            role: Role::User,
            blocks: text_blocks(text),
        }),
        _ => Err(Error::invalid_input(
            "message must be a [role, content] tuple or an object",
        )),
    }
}

fn message_from_parts(
    role: &str,
    content: &Value,
    extra: Option<&Map<String, Value>>,
) -> Result<ChatMessage, Error> {
    let role_kind = match role {
        "system" => Role::System,
        "human" | "user" => Role::User,
        "ai" | "assistant" | "AIMessageChunk" => Role::Assistant,
        "tool" => return tool_message(content, extra),
        other => return Err(Error::invalid_input(format!("unknown role {other:?}"))),
    };
    let mut blocks = content_blocks(content)?;
    if role_kind == Role::Assistant {
        if let Some(calls) = extra.and_then(|o| o.get("tool_calls")) {
            blocks.extend(tool_use_blocks(calls)?);
        }
    }
    Ok(ChatMessage {
        role: role_kind,
        blocks,
    })
}

/// A LangChain `tool` message becomes a user message holding one `toolResult` block.
fn tool_message(content: &Value, extra: Option<&Map<String, Value>>) -> Result<ChatMessage, Error> {
    let id = extra
        .and_then(|o| o.get("tool_call_id"))
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_input("a tool message needs tool_call_id"))?;
    let inner: Vec<Value> = match content {
        Value::String(s) => vec![json!({ "text": s })],
        other => content_blocks(other)?,
    };
    let mut result = json!({ "toolUseId": id, "content": inner });
    if let Some(status) = extra.and_then(|o| o.get("status")).and_then(Value::as_str) {
        result["status"] = json!(status);
    }
    Ok(ChatMessage {
        role: Role::User,
        blocks: vec![json!({ "toolResult": result })],
    })
}

fn tool_use_blocks(calls: &Value) -> Result<Vec<Value>, Error> {
    let Value::Array(calls) = calls else {
        return Err(Error::invalid_input("tool_calls must be an array"));
    };
    calls
        .iter()
        .map(|call| {
            let id = call.get("id").and_then(Value::as_str);
            let name = call.get("name").and_then(Value::as_str);
            match (id, name) {
                (Some(id), Some(name)) => Ok(json!({ "toolUse": {
                    "toolUseId": id,
                    "name": name,
                    "input": call.get("args").cloned().unwrap_or_else(|| json!({})),
                }})),
                _ => Err(Error::invalid_input("a tool call needs id and name")),
            }
        })
        .collect()
}

fn content_blocks(content: &Value) -> Result<Vec<Value>, Error> {
    match content {
        Value::String(text) => Ok(text_blocks(text)),
        Value::Array(items) => {
            let mut blocks = Vec::with_capacity(items.len());
            for item in items {
                if let Some(block) = content_block(item)? {
                    blocks.push(block);
                }
            }
            Ok(blocks)
        }
        Value::Null => Err(Error::invalid_input("message content is missing")),
        _ => Err(Error::invalid_input(
            "content must be a string or an array of blocks",
        )),
    }
}

/// Bedrock rejects blank text blocks, so empty text is dropped rather than sent.
fn text_blocks(text: &str) -> Vec<Value> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![json!({ "text": text })]
    }
}

fn content_block(item: &Value) -> Result<Option<Value>, Error> {
    match item {
        Value::String(text) => Ok(text_blocks(text).pop()),
        Value::Object(obj) => {
            if let Some(kind) = obj.get("type").and_then(Value::as_str) {
                return match kind {
                    "text" => match obj.get("text") {
                        Some(Value::String(text)) => Ok(text_blocks(text).pop()),
                        _ => Err(Error::invalid_input("a text block needs a string text")),
                    },
                    other => Err(Error::invalid_input(format!(
                        "content block type {other:?} is not supported"
                    ))),
                };
            }
            if obj.len() == 1 && NATIVE_BLOCK_KEYS.contains(&obj.keys().next().unwrap().as_str()) {
                return Ok(Some(item.clone()));
            }
            Err(Error::invalid_input(
                "content block needs a type or one Bedrock block key",
            ))
        }
        _ => Err(Error::invalid_input("content block must be an object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_and_dicts_normalise() {
        let input = json!([
            ["system", "Translate."],
            ["human", "I love programming."],
            {"role": "ai", "content": "J'adore la programmation."},
            {"role": "user", "content": [{"type": "text", "text": "Again"}, {"cachePoint": {"type": "default"}}]},
        ]);
        let msgs = normalize_messages(&input).unwrap();
        assert_eq!(msgs.len(), 4);
        assert_eq!(msgs[0].role, Role::System);
        assert_eq!(msgs[1].blocks, vec![json!({"text": "I love programming."})]);
        assert_eq!(msgs[2].role, Role::Assistant);
        assert_eq!(
            msgs[3].blocks,
            vec![
                json!({"text": "Again"}),
                json!({"cachePoint": {"type": "default"}})
            ]
        );
    }

    #[test]
    fn a_string_is_one_human_message() {
        let msgs = normalize_messages(&json!("hi")).unwrap();
        assert_eq!(msgs[0].role, Role::User);
        assert_eq!(msgs[0].blocks, vec![json!({"text": "hi"})]);
    }

    #[test]
    fn tool_calls_and_results_map_to_bedrock_blocks() {
        let input = json!([
            {"type": "ai", "content": "", "tool_calls": [{"id": "t1", "name": "w", "args": {"city": "Paris"}}]},
            {"role": "tool", "content": "sunny", "tool_call_id": "t1"},
        ]);
        let msgs = normalize_messages(&input).unwrap();
        assert_eq!(
            msgs[0].blocks,
            vec![json!({"toolUse": {"toolUseId": "t1", "name": "w", "input": {"city": "Paris"}}})]
        );
        assert_eq!(msgs[1].role, Role::User);
        assert_eq!(
            msgs[1].blocks,
            vec![json!({"toolResult": {"toolUseId": "t1", "content": [{"text": "sunny"}]}})]
        );
    }

    #[test]
    fn bad_input_is_a_type_error_naming_the_message() {
        for bad in [
            json!(42),
            json!([]),
            json!([["wizard", "hi"]]),
            json!([{"content": "no role"}]),
            json!([["human"]]),
            json!([["human", 5]]),
            json!([["human", [{"type": "text", "text": 1}]]]),
            json!([["human", [{"foo": 1, "bar": 2}]]]),
            json!([{"role": "tool", "content": "x"}]),
        ] {
            let err = normalize_messages(&bad).unwrap_err();
            assert!(err.is_invalid_input(), "{bad}: {err}");
        }
        let err = normalize_messages(&json!([["human", "ok"], ["wizard", "x"]])).unwrap_err();
        assert!(err.message().starts_with("messages[1]:"), "{err}");
    }
}
