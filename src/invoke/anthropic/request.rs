//! Anthropic Messages request bodies for InvokeModel, from chat messages: the body of the
//! Anthropic API without `model` (it is in the path) and `stream` (the operation says it), with
//! `anthropic_version: "bedrock-2023-05-31"` and beta flags as `anthropic_beta`.
//!
//! A `cachePoint` becomes `cache_control` on the block (or tool) before it. What Anthropic
//! models cannot take (video, S3 locations, guard content, Converse-only blocks) is a
//! `TypeError` naming the message, before anything is sent.

use serde_json::Value;

use crate::chat::input::{ContentBlock, Document, Media, Reasoning, Role, ToolResultContent};
use crate::chat::media::MediaSource;
use crate::chat::settings::Setting::{Betas, StopSequences, Temperature, Thinking, TopK, TopP};
use crate::chat::tools::{Tool, ToolChoice};
use crate::invoke::json_writer::JsonWriter;
use crate::invoke::provider::Request;
use crate::json_text::json_text;
use crate::Error;

/// The Bedrock version of the Anthropic Messages API.
pub const ANTHROPIC_VERSION: &str = "bedrock-2023-05-31";

/// Anthropic's `max_tokens` is required; this is used when the caller sets none.
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

/// Writes the body of an Anthropic InvokeModel request: the system blocks go after the
/// messages, gathered in a writer of their own.
pub fn body(request: Request, out: &mut JsonWriter) -> Result<(), Error> {
    let (options, messages) = (request.settings, request.messages());
    out.text("anthropic_version", ANTHROPIC_VERSION)
        .key("max_tokens")
        .value(&options.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS))
        .key("messages")
        .open_list();
    let mut system = JsonWriter::list();
    let mut turn: Option<&str> = None;
    for (i, message) in messages.iter().enumerate() {
        let into = if message.role == Role::System {
            &mut system
        } else {
            let role = if message.role == Role::User {
                "user"
            } else {
                "assistant"
            };
            if turn != Some(role) && !message.blocks.is_empty() {
                if turn.is_some() {
                    out.close_list().close();
                }
                out.open().text("role", role).key("content").open_list();
                turn = Some(role);
            }
            &mut *out
        };
        anthropic_blocks(into, &message.blocks)
            .map_err(|e| Error::invalid_input(format!("messages[{i}]: {e}")))?;
    }
    if turn.is_none() {
        return Err(Error::invalid_input(
            "messages need at least one human or ai message with content",
        ));
    }
    out.close_list().close().close_list();
    if !system.is_empty() {
        out.key("system").raw(&system.finish());
    }
    out.settings(
        options,
        &[
            ("temperature", Temperature),
            ("top_p", TopP),
            ("top_k", TopK),
            ("stop_sequences", StopSequences),
            ("thinking", Thinking),
            ("anthropic_beta", Betas),
        ],
    );
    if let Some(tools) = options.tools.as_deref().filter(|t| !t.is_empty()) {
        out.key("tools").open_list();
        anthropic_tools(out, tools)?;
        out.close_list();
    }
    if let Some(choice) = request.tool_choice {
        out.key("tool_choice").open();
        match &choice {
            ToolChoice::Auto => out.text("type", "auto"),
            ToolChoice::Any => out.text("type", "any"),
            ToolChoice::Tool(name) => out.text("type", "tool").text("name", name),
        };
        out.close();
    }
    Ok(())
}

/// Where a `cachePoint` after the last value puts its `cache_control`: that value (an object)
/// reopened, back to where an earlier `cache_control` of it began, which it replaces.
struct CacheTarget {
    /// Whether the list has a value yet.
    written: bool,
    /// Where the `cache_control` of the last value begins, when it has one.
    marked: Option<usize>,
}

impl CacheTarget {
    const NONE: CacheTarget = CacheTarget {
        written: false,
        marked: None,
    };

    /// A value was written.
    fn wrote(&mut self) {
        *self = CacheTarget {
            written: true,
            marked: None,
        };
    }

    /// Marks the last value with `cache_control`, as a `cachePoint` after it asks (with its
    /// `ttl`, when it has one).
    fn mark(&mut self, out: &mut JsonWriter, point: &Value, what: &str) -> Result<(), String> {
        if !self.written {
            return Err(format!("a cachePoint must follow a {what}"));
        }
        out.reopen();
        match self.marked {
            Some(at) => out.back_to(at),
            None => self.marked = Some(out.mark()),
        }
        out.key("cache_control").open().text("type", "ephemeral");
        if let Some(ttl) = point.get("ttl") {
            out.key("ttl").value(ttl);
        }
        out.close().close();
        Ok(())
    }
}

fn anthropic_tools(out: &mut JsonWriter, tools: &[Tool]) -> Result<(), Error> {
    let mut target = CacheTarget::NONE;
    for (i, tool) in tools.iter().enumerate() {
        match tool {
            Tool::ToolSpec(spec) => {
                out.open()
                    .text("name", &spec.name)
                    .key("input_schema")
                    .value(&spec.input_schema.json);
                if let Some(description) = &spec.description {
                    out.text("description", description);
                }
                out.close();
                target.wrote();
            }
            Tool::CachePoint(point) => target
                .mark(out, point, "tool")
                .map_err(|e| Error::invalid_input(format!("tools[{i}]: {e}")))?,
            Tool::SystemTool(_) => {
                return Err(Error::invalid_input(format!(
                    "tools[{i}]: system tools are a Converse feature; Anthropic models take function tools"
                )))
            }
        }
    }
    Ok(())
}

fn anthropic_blocks(out: &mut JsonWriter, blocks: &[ContentBlock]) -> Result<(), String> {
    let mut target = CacheTarget::NONE;
    for block in blocks {
        match block {
            ContentBlock::CachePoint(point) => target.mark(out, point, "content block")?,
            other => {
                anthropic_block(out, other)?;
                target.wrote();
            }
        }
    }
    Ok(())
}

fn text_block(out: &mut JsonWriter, text: &str) {
    out.open().text("type", "text").text("text", text).close();
}

fn source(out: &mut JsonWriter, kind: &str, media_type: &str, data: &str) {
    out.key("source")
        .open()
        .text("type", kind)
        .text("media_type", media_type)
        .text("data", data)
        .close();
}

fn image(out: &mut JsonWriter, media: &Media) -> Result<(), String> {
    let MediaSource::Bytes(data) = &media.source else {
        return Err("Anthropic models take images as bytes, not S3 locations".into());
    };
    out.open().text("type", "image");
    source(out, "base64", &format!("image/{}", media.format), data);
    out.close();
    Ok(())
}

fn document(out: &mut JsonWriter, doc: &Document) -> Result<(), String> {
    let decoded;
    let (kind, media_type, data) = match (&doc.source, doc.format.as_str()) {
        (MediaSource::Bytes(data), "pdf") => ("base64", "application/pdf", data.as_str()),
        (MediaSource::Text(text), _) => ("text", "text/plain", text.as_str()),
        (MediaSource::Bytes(data), "txt") => {
            decoded = crate::base64::decode(data.as_bytes())
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or("a txt document must be UTF-8 text")?;
            ("text", "text/plain", decoded.as_str())
        }
        (_, format) => {
            return Err(format!(
                "Anthropic models read pdf and plain-text documents, not {format} or S3 locations"
            ))
        }
    };
    out.open().text("type", "document");
    source(out, kind, media_type, data);
    out.text("title", &doc.name);
    if let Some(context) = &doc.context {
        out.text("context", context);
    }
    if let Some(citations) = doc.citations {
        out.key("citations")
            .open()
            .key("enabled")
            .value(&citations.enabled)
            .close();
    }
    out.close();
    Ok(())
}

fn anthropic_block(out: &mut JsonWriter, block: &ContentBlock) -> Result<(), String> {
    match block {
        ContentBlock::Text(text) => text_block(out, text),
        ContentBlock::Image(media) => image(out, media)?,
        ContentBlock::Document(doc) => document(out, doc)?,
        ContentBlock::ToolUse(tool_use) => {
            out.open()
                .text("type", "tool_use")
                .text("id", &tool_use.tool_use_id)
                .text("name", &tool_use.name)
                .key("input")
                .value(&tool_use.input)
                .close();
        }
        ContentBlock::ToolResult(result) => {
            out.open()
                .text("type", "tool_result")
                .text("tool_use_id", &result.tool_use_id)
                .key("content")
                .open_list();
            for part in &result.content {
                match part {
                    ToolResultContent::Text(text) => text_block(out, text),
                    ToolResultContent::Json(value) => text_block(out, &json_text(value)),
                    ToolResultContent::Image(media) => image(out, media)?,
                    ToolResultContent::Document(doc) => document(out, doc)?,
                    _ => return Err("a tool result for an Anthropic model holds text, JSON, images or documents".into()),
                }
            }
            out.close_list();
            if result.status.as_deref() == Some("error") {
                out.key("is_error").value(&true);
            }
            out.close();
        }
        ContentBlock::ReasoningContent(Reasoning::ReasoningText { text, signature }) => {
            out.open().text("type", "thinking").text("thinking", text);
            if let Some(signature) = signature {
                out.text("signature", signature);
            }
            out.close();
        }
        ContentBlock::ReasoningContent(Reasoning::RedactedContent(data)) => {
            out.open()
                .text("type", "redacted_thinking")
                .text("data", data)
                .close();
        }
        ContentBlock::Video(_) => return Err("Anthropic models take no video".into()),
        ContentBlock::GuardContent(_) => {
            return Err("guardContent is a Converse feature; Anthropic models take text".into())
        }
        ContentBlock::Native(_) | ContentBlock::CachePoint(_) => {
            return Err("this Bedrock block is a Converse feature".into())
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;
    use crate::chat::settings::Settings;
    use crate::chat::tools::normalize_tools;
    use crate::invoke::anthropic::Anthropic;
    use crate::invoke::test_support::build;
    use crate::invoke::test_support::refusal;
    use serde_json::json;

    fn body(options: &Settings, input: Value) -> Value {
        let messages = normalize_messages(input).unwrap();
        serde_json::from_slice(
            &build(
                &Anthropic,
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
                options,
                &messages,
            )
            .unwrap(),
        )
        .unwrap()
    }

    /// The body's bytes: members in the Messages API's order, the system blocks after the
    /// messages, a second `cachePoint` replacing the first one's `cache_control`, and
    /// `modelKwargs` in the place of the member they name.
    #[test]
    fn the_body_is_written_member_by_member() {
        let messages = normalize_messages(json!([
            ["human", ["a question", {"type": "image", "mimeType": "image/png", "data": "aGVsbG8="},
                {"cachePoint": {"type": "default"}}, {"cachePoint": {"type": "default", "ttl": "1h"}}]],
            ["system", "Be \"brief\"."],
            ["ai", "", {"tool_calls": [{"id": "t", "name": "f", "args": {"n": 1.5}}]}],
            ["tool", "a result", {"tool_call_id": "t"}],
        ]))
        .unwrap();
        let settings = Settings {
            temperature: Some(0.5),
            model_kwargs: Some(
                json!({"max_tokens": 9, "x": [1]})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
            ..Default::default()
        };
        let body = build(
            &Anthropic,
            "anthropic.claude-3-5-sonnet-20240620-v1:0",
            &settings,
            &messages,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(body).unwrap(),
            concat!(
                r#"{"anthropic_version":"bedrock-2023-05-31","max_tokens":9,"messages":["#,
                r#"{"role":"user","content":[{"type":"text","text":"a question"},"#,
                r#"{"type":"image","source":{"type":"base64","media_type":"image/png","data":"aGVsbG8="},"#,
                r#""cache_control":{"type":"ephemeral","ttl":"1h"}}]},"#,
                r#"{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{"n":1.5}}]},"#,
                r#"{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"a result"}]}]}],"#,
                r#""system":[{"type":"text","text":"Be \"brief\"."}],"temperature":0.5,"x":[1]}"#
            )
        );
    }

    #[test]
    fn the_recorded_request_shape() {
        // openinference-js should-create-spans-for-invokemodel-calls sent this body (with
        // content as a string; the list form is the same message).
        let got = body(
            &Settings {
                max_tokens: Some(100),
                ..Default::default()
            },
            json!([["human", "Hello, how are you?"]]),
        );
        assert_eq!(
            got,
            json!({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
                   "messages": [{"role": "user", "content": [{"type": "text", "text": "Hello, how are you?"}]}]})
        );
    }

    #[test]
    fn system_tools_media_reasoning_cache_and_kwargs() {
        let tools = normalize_tools(
            &json!([{"name": "w", "description": "Weather", "schema": {"type": "object"}},
                                            {"cachePoint": {"type": "default"}}]),
        )
        .unwrap();
        let options = Settings {
            temperature: Some(0.5),
            top_k: Some(40),
            thinking: Some(json!({"type": "enabled", "budget_tokens": 1024})),
            betas: Some(vec!["interleaved-thinking-2025-05-14".into()]),
            tools: Some(tools),
            tool_choice: Some("w".into()),
            model_kwargs: Some(
                json!({"metadata": {"user_id": "u"}})
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
                           {"type": "file", "mimeType": "application/pdf", "data": "JVBERi0=", "filename": "r.pdf", "citations": true}]],
                {"role": "ai", "content": [{"type": "reasoning", "reasoning": "hm", "extras": {"signature": "sig"}}],
                 "tool_calls": [{"id": "t1", "name": "w", "args": {"city": "Paris"}}]},
                {"role": "tool", "tool_call_id": "t1", "content": {"temp": 18}, "status": "error"},
            ]),
        );
        assert_eq!(
            got["system"],
            json!([{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}])
        );
        assert_eq!(
            got["messages"][0]["content"][0]["source"]["media_type"],
            json!("image/png")
        );
        assert_eq!(got["messages"][0]["content"][1]["title"], json!("r"));
        assert_eq!(
            got["messages"][0]["content"][1]["citations"],
            json!({"enabled": true})
        );
        assert_eq!(
            got["messages"][1]["content"],
            json!([{"type": "thinking", "thinking": "hm", "signature": "sig"},
                   {"type": "tool_use", "id": "t1", "name": "w", "input": {"city": "Paris"}}])
        );
        assert_eq!(
            got["messages"][2]["content"],
            json!([{"type": "tool_result", "tool_use_id": "t1",
                    "content": [{"type": "text", "text": "{\"temp\":18}"}], "is_error": true}])
        );
        assert_eq!(
            got["tools"],
            json!([{"name": "w", "description": "Weather", "input_schema": {"type": "object"},
                    "cache_control": {"type": "ephemeral"}}])
        );
        assert_eq!(got["tool_choice"], json!({"type": "tool", "name": "w"}));
        assert_eq!(
            got["anthropic_beta"],
            json!(["interleaved-thinking-2025-05-14"])
        );
        assert_eq!(got["top_k"], json!(40));
        assert_eq!(got["max_tokens"], json!(1024));
        assert_eq!(got["metadata"], json!({"user_id": "u"}));
    }

    #[test]
    fn anthropic_cache_control_on_blocks_and_tools_comes_back_with_its_ttl() {
        let tools = normalize_tools(&json!([{"name": "w", "input_schema": {"type": "object"},
            "cache_control": {"type": "ephemeral", "ttl": "1h"}}]))
        .unwrap();
        let options = Settings {
            tools: Some(tools),
            ..Default::default()
        };
        let got = body(
            &options,
            json!([["system", [{"type": "text", "text": "Rules.", "cache_control": {"type": "ephemeral"}}]],
                   ["human", "Hi"]]),
        );
        assert_eq!(
            got["system"],
            json!([{"type": "text", "text": "Rules.", "cache_control": {"type": "ephemeral"}}])
        );
        assert_eq!(
            got["tools"][0]["cache_control"],
            json!({"type": "ephemeral", "ttl": "1h"})
        );
    }

    #[test]
    fn the_peers_block_forms_tool_calls_win_and_the_prefill_is_trimmed() {
        let options = Settings {
            tools: Some(
                normalize_tools(&json!([{"name": "w", "schema": {"type": "object"}}])).unwrap(),
            ),
            ..Default::default()
        };
        let got = body(
            &options,
            json!([
                ["human", [{"type": "document", "document": {"format": "pdf", "name": "r", "source": {"bytes": "JVBERi0="}}}]],
                {"role": "ai", "content": [
                    {"type": "tool_use", "id": "t1", "name": "w", "input": {"city": "Rome"}},
                    {"type": "text", "text": "Checking. "},
                 ], "tool_calls": [{"id": "t1", "name": "w", "args": {"city": "Paris"}}]},
                ["human", [
                    {"type": "tool_result", "tool_use_id": "t1", "is_error": true, "content": [
                        {"type": "image", "image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}}]},
                ]],
                ["ai", "So  "],
            ]),
        );
        assert_eq!(
            got["messages"][0]["content"],
            json!([{"type": "document", "title": "r",
                    "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}}])
        );
        assert_eq!(
            got["messages"][1]["content"],
            json!([{"type": "tool_use", "id": "t1", "name": "w", "input": {"city": "Paris"}},
                   {"type": "text", "text": "Checking. "}])
        );
        assert_eq!(
            got["messages"][2]["content"],
            json!([{"type": "tool_result", "tool_use_id": "t1", "is_error": true, "content": [
                       {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]}])
        );
        assert_eq!(
            got["messages"][3]["content"],
            json!([{"type": "text", "text": "So"}])
        );
    }

    #[test]
    fn what_anthropic_models_cannot_take_is_a_type_error() {
        for bad in [
            json!([["human", [{"type": "video", "mimeType": "video/mp4", "data": "AAAA"}]]]),
            json!([["human", [{"type": "image", "url": "s3://b/k.png"}]]]),
            json!([["human", [{"type": "file", "mimeType": "text/csv", "data": "YSxi"}]]]),
            json!([["human", [{"guardContent": {"text": {"text": "x"}}}]]]),
            json!([["human", [{"type": "guard_content", "text": "x"}]]]),
            json!([["human", [{"cachePoint": {"type": "default"}}]]]),
        ] {
            let messages = normalize_messages(bad).unwrap();
            let err = refusal(
                &Anthropic,
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
                &messages,
            );
            assert!(
                err.is_invalid_input() && err.message().starts_with("messages[0]: "),
                "{err}"
            );
        }
    }
}
