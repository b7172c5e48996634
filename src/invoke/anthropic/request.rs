//! Anthropic Messages request bodies for InvokeModel, from chat messages: the body of the
//! Anthropic API without `model` (it is in the path) and `stream` (the operation says it), with
//! `anthropic_version: "bedrock-2023-05-31"` and beta flags as `anthropic_beta`.
//!
//! A `cachePoint` becomes `cache_control` on the block (or tool) before it. What Anthropic
//! models cannot take (video, S3 locations, guard content, Converse-only blocks) is a
//! `TypeError` naming the message, before anything is sent.

use serde_json::{json, Map, Value};

use crate::chat::input::{ContentBlock, Reasoning, Role, ToolResultContent};
use crate::chat::media::MediaSource;
use crate::chat::tools::{Tool, ToolChoice};
use crate::invoke::present;
use crate::invoke::provider::Request;
use crate::json_text::json_text;
use crate::Error;

/// The Bedrock version of the Anthropic Messages API.
pub const ANTHROPIC_VERSION: &str = "bedrock-2023-05-31";

/// Anthropic's `max_tokens` is required; this is used when the caller sets none.
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

/// Builds the JSON body of an Anthropic InvokeModel request.
pub fn body(mut request: Request) -> Result<Map<String, Value>, Error> {
    let (options, messages) = (request.settings, request.take_messages());
    let mut system: Vec<Value> = Vec::new();
    let mut turns: Vec<(&'static str, Vec<Value>)> = Vec::new();
    for (i, message) in messages.into_iter().enumerate() {
        let blocks = anthropic_blocks(message.blocks)
            .map_err(|e| Error::invalid_input(format!("messages[{i}]: {e}")))?;
        match message.role {
            Role::System => system.extend(blocks),
            role => {
                let role = if role == Role::User {
                    "user"
                } else {
                    "assistant"
                };
                match turns.last_mut() {
                    Some((last, content)) if *last == role => content.extend(blocks),
                    _ if blocks.is_empty() => {}
                    _ => turns.push((role, blocks)),
                }
            }
        }
    }
    if turns.is_empty() {
        return Err(Error::invalid_input(
            "messages need at least one human or ai message with content",
        ));
    }
    let mut body = Map::new();
    body.insert("anthropic_version".into(), json!(ANTHROPIC_VERSION));
    body.insert(
        "max_tokens".into(),
        json!(options.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS)),
    );
    let mut turn_values = Vec::with_capacity(turns.len());
    for (role, content) in turns {
        turn_values.push(object(&mut [
            ("role", role.into()),
            ("content", Value::Array(content)),
        ]));
    }
    body.insert("messages".into(), Value::Array(turn_values));
    if !system.is_empty() {
        body.insert("system".into(), Value::Array(system));
    }
    let settings = [
        ("temperature", options.temperature.map(|v| json!(v))),
        ("top_p", options.top_p.map(|v| json!(v))),
        ("top_k", options.top_k.map(|v| json!(v))),
        (
            "stop_sequences",
            options.stop_sequences.as_ref().map(|v| json!(v)),
        ),
        ("thinking", options.thinking.clone()),
        ("anthropic_beta", options.betas.as_ref().map(|v| json!(v))),
    ];
    body.extend(present(settings));
    if let Some(tools) = options.tools.as_deref().filter(|t| !t.is_empty()) {
        body.insert("tools".into(), Value::Array(anthropic_tools(tools)?));
    }
    if let Some(choice) = request.tool_choice {
        body.insert(
            "tool_choice".into(),
            match choice {
                ToolChoice::Auto => json!({"type": "auto"}),
                ToolChoice::Any => json!({"type": "any"}),
                ToolChoice::Tool(name) => json!({"type": "tool", "name": name}),
            },
        );
    }
    Ok(body)
}

/// Marks the last value with `cache_control`, as a `cachePoint` after it asks (with its
/// `ttl`, when it has one).
fn cache_after(values: &mut [Value], point: &Value, what: &str) -> Result<(), String> {
    match values.last_mut() {
        Some(Value::Object(last)) => {
            let mut control = json!({"type": "ephemeral"});
            if let Some(ttl) = point.get("ttl") {
                control["ttl"] = ttl.clone();
            }
            last.insert("cache_control".into(), control);
            Ok(())
        }
        _ => Err(format!("a cachePoint must follow a {what}")),
    }
}

fn anthropic_tools(tools: &[Tool]) -> Result<Vec<Value>, Error> {
    let mut out = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        match tool {
            Tool::ToolSpec(spec) => {
                let mut value = json!({"name": spec.name, "input_schema": spec.input_schema.json});
                if let Some(description) = &spec.description {
                    value["description"] = json!(description);
                }
                out.push(value);
            }
            Tool::CachePoint(point) => cache_after(&mut out, point, "tool")
                .map_err(|e| Error::invalid_input(format!("tools[{i}]: {e}")))?,
            Tool::SystemTool(_) => {
                return Err(Error::invalid_input(format!(
                    "tools[{i}]: system tools are a Converse feature; Anthropic models take function tools"
                )))
            }
        }
    }
    Ok(out)
}

fn anthropic_blocks(blocks: Vec<ContentBlock>) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            ContentBlock::CachePoint(point) => cache_after(&mut out, &point, "content block")?,
            other => out.push(anthropic_block(other)?),
        }
    }
    Ok(out)
}

/// A JSON object of `members`, in their order. Unlike `json!`, which copies what it is given,
/// it takes the values: a block's text and base64 move into the body.
fn object(members: &mut [(&str, Value)]) -> Value {
    let mut map = Map::new();
    for (key, value) in members {
        map.insert((*key).into(), value.take());
    }
    Value::Object(map)
}

fn text_block(text: String) -> Value {
    object(&mut [("type", "text".into()), ("text", text.into())])
}

fn base64_source(media_type: String, data: String) -> Value {
    object(&mut [
        ("type", "base64".into()),
        ("media_type", media_type.into()),
        ("data", data.into()),
    ])
}

fn plain_text_source(text: String) -> Value {
    object(&mut [
        ("type", "text".into()),
        ("media_type", "text/plain".into()),
        ("data", text.into()),
    ])
}

fn anthropic_block(block: ContentBlock) -> Result<Value, String> {
    Ok(match block {
        ContentBlock::Text(text) => text_block(text),
        ContentBlock::Image(media) => match media.source {
            MediaSource::Bytes(data) => object(&mut [
                ("type", "image".into()),
                (
                    "source",
                    base64_source(format!("image/{}", media.format), data),
                ),
            ]),
            _ => return Err("Anthropic models take images as bytes, not S3 locations".into()),
        },
        ContentBlock::Document(doc) => {
            let source = match (doc.source, doc.format.as_str()) {
                (MediaSource::Bytes(data), "pdf") => base64_source("application/pdf".into(), data),
                (MediaSource::Text(text), _) => plain_text_source(text),
                (MediaSource::Bytes(data), "txt") => match crate::base64::decode(&data)
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                {
                    Some(text) => plain_text_source(text),
                    None => return Err("a txt document must be UTF-8 text".into()),
                },
                (_, format) => {
                    return Err(format!(
                        "Anthropic models read pdf and plain-text documents, not {format} or S3 locations"
                    ))
                }
            };
            let mut value = object(&mut [
                ("type", "document".into()),
                ("source", source),
                ("title", doc.name.into()),
            ]);
            if let Some(context) = doc.context {
                value["context"] = context.into();
            }
            if let Some(citations) = doc.citations {
                value["citations"] = object(&mut [("enabled", citations.enabled.into())]);
            }
            value
        }
        ContentBlock::ToolUse(tool_use) => object(&mut [
            ("type", "tool_use".into()),
            ("id", tool_use.tool_use_id.into()),
            ("name", tool_use.name.into()),
            ("input", tool_use.input),
        ]),
        ContentBlock::ToolResult(result) => {
            let mut content = Vec::new();
            for part in result.content {
                content.push(match part {
                    ToolResultContent::Text(text) => text_block(text),
                    ToolResultContent::Json(value) => text_block(json_text(&value)),
                    ToolResultContent::Image(media) => anthropic_block(ContentBlock::Image(media))?,
                    ToolResultContent::Document(doc) => {
                        anthropic_block(ContentBlock::Document(doc))?
                    }
                    _ => return Err("a tool result for an Anthropic model holds text, JSON, images or documents".into()),
                });
            }
            let mut value = object(&mut [
                ("type", "tool_result".into()),
                ("tool_use_id", result.tool_use_id.into()),
                ("content", Value::Array(content)),
            ]);
            if result.status.as_deref() == Some("error") {
                value["is_error"] = true.into();
            }
            value
        }
        ContentBlock::ReasoningContent(Reasoning::ReasoningText { text, signature }) => {
            let mut value = object(&mut [("type", "thinking".into()), ("thinking", text.into())]);
            if let Some(signature) = signature {
                value["signature"] = signature.into();
            }
            value
        }
        ContentBlock::ReasoningContent(Reasoning::RedactedContent(data)) => {
            object(&mut [("type", "redacted_thinking".into()), ("data", data.into())])
        }
        ContentBlock::Video(_) => return Err("Anthropic models take no video".into()),
        ContentBlock::GuardContent(_) => {
            return Err("guardContent is a Converse feature; Anthropic models take text".into())
        }
        ContentBlock::Native(_) | ContentBlock::CachePoint(_) => {
            return Err("this Bedrock block is a Converse feature".into())
        }
    })
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

    /// The body takes the messages' text and base64: the strings in it are the messages' own
    /// buffers, not copies.
    #[test]
    fn text_and_base64_move_into_the_body() {
        let messages = normalize_messages(json!([
            ["human", ["a question", {"type": "image", "mimeType": "image/png", "data": "aGVsbG8="},
                {"type": "file", "mimeType": "application/pdf", "data": "aGVsbG8="}]],
            ["ai", "", {"tool_calls": [{"id": "t", "name": "f", "args": {}}]}],
            ["tool", "a result", {"tool_call_id": "t"}],
        ]))
        .unwrap();
        let held = |message: usize, block: usize| match &messages[message].blocks[block] {
            ContentBlock::Text(text) => text.as_ptr(),
            ContentBlock::Image(media) => match &media.source {
                MediaSource::Bytes(data) => data.as_ptr(),
                _ => unreachable!(),
            },
            ContentBlock::Document(doc) => match &doc.source {
                MediaSource::Bytes(data) => data.as_ptr(),
                _ => unreachable!(),
            },
            ContentBlock::ToolResult(result) => match &result.content[..] {
                [ToolResultContent::Text(text)] => text.as_ptr(),
                _ => unreachable!(),
            },
            _ => unreachable!(),
        };
        let expected = [held(0, 0), held(0, 1), held(0, 2), held(2, 0)];
        let settings = Settings::default();
        let request = Request {
            model_id: "anthropic.claude-3-5-sonnet-20240620-v1:0",
            settings: &settings,
            tool_choice: None,
            input: crate::invoke::provider::Input::Messages(messages),
        };
        let body = Value::Object(super::body(request).unwrap());
        let at = |place: &str| {
            body.pointer(place)
                .and_then(Value::as_str)
                .unwrap()
                .as_ptr()
        };
        let got = [
            at("/messages/0/content/0/text"),
            at("/messages/0/content/1/source/data"),
            at("/messages/0/content/2/source/data"),
            at("/messages/2/content/0/content/0/text"),
        ];
        assert_eq!(got, expected);
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
