//! The OpenAI-style chat-completions shape that AI21 Jamba and Mistral's chat models (Large 2,
//! Pixtral) share on Bedrock: `messages` of `{role, content}` strings; replies with `choices`
//! and `usage {prompt_tokens, completion_tokens, total_tokens}`; stream chunks whose choice holds
//! a `delta` (AI21) or a `message` (Mistral). A choice's `finish_reason` (AI21) or
//! `stop_reason` (Mistral) goes to `response_metadata` as `stop_reason`.
//!
//! Tools are refused on the request side for now, but tool calls a model returns (tools sent
//! through `modelKwargs`) are mapped, not dropped.

use serde_json::{Map, Value};

use super::json_writer::JsonWriter;
use super::reply::{message, put_set, string_at, text_block, TextPiece, INVOCATION_METRICS};
use super::transcript::Transcript;
use crate::chat::output::{AIMessage, Block, CallInfo};
use crate::chat::settings::{Setting, Settings};
use crate::chat::usage::UsageMetadata;
use crate::json_text::json_text;
use crate::Error;

/// The body `{messages, …}`, then the settings of `settings` (native name and setting) that
/// are set; the caller has refused the settings its models lack.
pub fn request_body(
    transcript: Transcript,
    options: &Settings,
    settings: &[(&'static str, Setting)],
    out: &mut JsonWriter,
) {
    out.key("messages").open_list();
    let system = transcript.system.as_deref().map(|text| ("system", text));
    let turns = transcript
        .turns
        .iter()
        .map(|t| (t.role.as_str(), t.text.as_str()));
    for (role, content) in system.into_iter().chain(turns) {
        out.open()
            .text("role", role)
            .text("content", content)
            .close();
    }
    out.close_list().settings(options, settings);
}

/// The members of `value` named by `keys` that are present and not null, in that order.
pub fn pick(value: &Value, keys: &[&str]) -> Map<String, Value> {
    let mut out = Map::new();
    for &key in keys {
        put_set(&mut out, key, value.get(key).cloned());
    }
    out
}

/// The error for a reply that is not `what` ("a Mistral reply").
pub fn not_a_reply(what: &str) -> Error {
    Error::invalid_response(format!("the reply is not {what}"))
}

/// The body as JSON; `what` names the format in the error.
pub fn parse(body: &[u8], what: &str) -> Result<Value, Error> {
    match serde_json::from_slice(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(not_a_reply(what)),
    }
}

/// `usage` as usage metadata, when it has `prompt_tokens`.
fn usage(usage: Option<&Value>) -> Option<UsageMetadata> {
    let usage = usage?;
    let count = |key: &str| usage.get(key).and_then(Value::as_u64);
    Some(UsageMetadata::new(
        count("prompt_tokens")?,
        count("completion_tokens").unwrap_or(0),
        count("total_tokens"),
        0,
        0,
    ))
}

/// A choice's stop reason: AI21's `finish_reason`, Mistral's `stop_reason`.
fn stop_reason(choice: &Value) -> Option<Value> {
    ["finish_reason", "stop_reason"]
        .iter()
        .filter_map(|key| choice.get(key))
        .find(|v| !v.is_null())
        .cloned()
}

/// The first choice's `message`, or `delta` in stream chunks.
fn choice_message(choice: &Value) -> Option<&Value> {
    choice.get("message").or_else(|| choice.get("delta"))
}

/// The `tool_calls` of a reply's message as tool calls, or of a chunk's (`chunks`) as pieces of
/// them, indexed after the text block.
fn tool_calls(message: Option<&Value>, chunks: bool) -> Vec<Block> {
    let Some(Value::Array(calls)) = message.and_then(|m| m.get("tool_calls")) else {
        return Vec::new();
    };
    let mut blocks = Vec::new();
    for (i, call) in calls.iter().enumerate() {
        let function = call.get("function").unwrap_or(&Value::Null);
        let (id, name) = (string_at(call, "id"), string_at(function, "name"));
        let args = function.get("arguments").cloned().unwrap_or(Value::Null);
        blocks.push(if chunks {
            let index = call
                .get("index")
                .and_then(Value::as_u64)
                .unwrap_or(i as u64) as u32;
            Block::ToolCallChunk {
                id,
                name,
                args: match args {
                    Value::String(text) => text,
                    Value::Null => String::new(),
                    other => json_text(&other),
                },
                index: Some(index + 1),
            }
        } else {
            Block::tool_call(id, name, args)
        });
    }
    blocks
}

/// The text of a choice's message (empty without one).
fn content(message: Option<&Value>) -> String {
    message
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Maps a chat-completions reply: the first choice's text and tool calls; `id`, `object`,
/// `model`, `usage` and `meta` kept with `stop_reason` in `response_metadata`.
pub fn map_reply(reply: Value, info: CallInfo, what: &str) -> Result<AIMessage, Error> {
    let choice = reply
        .get("choices")
        .and_then(|c| c.get(0))
        .ok_or_else(|| not_a_reply(what))?;
    let message_value = choice_message(choice);
    let text = content(message_value);
    let calls = tool_calls(message_value, false);
    let mut blocks = Vec::new();
    if !text.is_empty() || calls.is_empty() {
        blocks.push(text_block(text));
    }
    blocks.extend(calls);
    let mut fields = pick(&reply, &["id", "object", "model"]);
    put_set(&mut fields, "stop_reason", stop_reason(choice));
    fields.extend(pick(&reply, &["usage", "meta"]));
    let usage = usage(reply.get("usage"));
    Ok(message(info, blocks, fields, usage))
}

/// One stream chunk as a text piece: the choice's text and tool-call pieces (indexed after
/// the text block), its stop reason, the chunk's usage and the invocation metrics.
pub fn piece(event: Value) -> TextPiece {
    let choice = event.get("choices").and_then(|c| c.get(0));
    let message_value = choice.and_then(choice_message);
    TextPiece {
        text: content(message_value),
        stop_reason: choice.and_then(stop_reason),
        usage: usage(event.get("usage")),
        metrics: event.get(INVOCATION_METRICS).cloned(),
        fields: pick(&event, &["id", "model", "usage", "meta"]),
        blocks: tool_calls(message_value, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoke::reply::TextStream;
    use crate::invoke::test_support::call_info;
    use serde_json::json;

    fn info() -> CallInfo {
        call_info("run-c", "mistral.mistral-large-2407-v1:0")
    }

    #[test]
    fn replies_of_another_shape_are_named_invalid_responses() {
        for body in [&b"[]"[..], b"{}", br#"{"choices":[]}"#] {
            let err = parse(body, "a Mistral reply")
                .and_then(|reply| map_reply(reply, call_info("r", "m"), "a Mistral reply"))
                .unwrap_err();
            assert_eq!(
                (err.name(), err.message().as_str()),
                ("InvalidResponse", "the reply is not a Mistral reply")
            );
        }
    }

    #[test]
    fn tool_calls_map_in_replies_and_chunks() {
        let reply = json!({"id": "c1", "choices": [{"index": 0, "message": {"role": "assistant",
            "content": "", "tool_calls": [{"id": "t1", "function": {"name": "w",
            "arguments": "{\"city\":\"Paris\"}"}}]}, "stop_reason": "tool_calls"}]});
        let got = serde_json::to_value(map_reply(reply, info(), "x").unwrap()).unwrap();
        assert_eq!(got["tool_calls"][0]["args"], json!({"city": "Paris"}));
        assert_eq!(got["response_metadata"]["stop_reason"], json!("tool_calls"));
        let mut stream = TextStream::default();
        let event = json!({"choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "t1", "function": {"name": "w", "arguments": "{\"ci"}}]}}]});
        let chunk = stream.piece(&info(), piece(event)).unwrap();
        assert_eq!(
            chunk.content,
            [Block::ToolCallChunk {
                id: Some("t1".into()),
                name: Some("w".into()),
                args: "{\"ci".into(),
                index: Some(1)
            }]
        );
    }
}
