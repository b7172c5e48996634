//! Converse / ConverseStream request bodies.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::chat::input::{body_capacity, ChatMessage, ContentBlock, Role};
use crate::chat::settings::{strings, Setting, Settings};
use crate::chat::tools::{Tool, ToolChoice};
use crate::endpoint::Operation;
use crate::options::set::converse_members;
use crate::options::source::{object, string_list, OptionSource};
use crate::Error;

/// A Converse model's or call's options: the shared settings, and Converse's own request
/// members (`additionalModelRequestFields`, `guardrailConfig`, …) by their wire names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConverseOptions {
    /// The settings every class shares.
    pub settings: Settings,
    /// Converse's request members, as they go into the body.
    pub members: Map<String, Value>,
}

impl ConverseOptions {
    /// Reads the settings and Converse's members of a model's or a call's options.
    pub fn read(source: &dyn OptionSource) -> Result<ConverseOptions, Error> {
        let mut members = Map::new();
        for name in converse_members() {
            let value = match name {
                "additionalModelResponseFieldPaths" => {
                    string_list(source, name)?.as_deref().map(strings)
                }
                // `serviceTier: "flex"` is short for `{ type: "flex" }`.
                "serviceTier" => match source.json(name)? {
                    Some(Value::String(kind)) => Some(json!({ "type": kind })),
                    _ => object(source, name)?.map(Value::Object),
                },
                _ => object(source, name)?.map(Value::Object),
            };
            if let Some(value) = value {
                members.insert(name.to_string(), value);
            }
        }
        Ok(ConverseOptions {
            settings: Settings::read(source)?,
            members,
        })
    }

    /// These options with every setting and member that `call` sets replaced by the call's.
    pub fn overlay(&self, call: &ConverseOptions) -> ConverseOptions {
        let mut members = self.members.clone();
        members.extend(call.members.clone());
        ConverseOptions {
            settings: self.settings.overlay(&call.settings),
            members,
        }
    }

    /// `additionalModelRequestFields` with `modelKwargs` merged in and, for Anthropic models,
    /// `topK`, `thinking` and `betas` under Anthropic's names; for other models those three
    /// are a `TypeError` that says where they go.
    fn additional_fields(&self, anthropic: bool) -> Result<Option<Cow<'_, Value>>, Error> {
        const ANTHROPIC_NAMES: [(Setting, &str); 3] = [
            (Setting::TopK, "top_k"),
            (Setting::Thinking, "thinking"),
            (Setting::Betas, "anthropic_beta"),
        ];
        let settings = &self.settings;
        let given = self.members.get("additionalModelRequestFields");
        if settings.model_kwargs.is_none()
            && !ANTHROPIC_NAMES.iter().any(|(s, _)| settings.is_set(*s))
        {
            return Ok(given.map(Cow::Borrowed));
        }
        let mut fields = match given {
            Some(Value::Object(map)) => map.clone(),
            _ => Map::new(),
        };
        fields.extend(settings.model_kwargs.clone().unwrap_or_default());
        for (setting, native) in ANTHROPIC_NAMES {
            let Some(value) = settings.value(setting) else {
                continue;
            };
            if !anthropic {
                return Err(Error::invalid_input(format!(
                    "`{}` is not an option of ChatBedrockConverse for this model (only Anthropic models have one name for it): pass it in `additionalModelRequestFields`, under the model's own name",
                    setting.name()
                )));
            }
            fields.insert(native.to_string(), value);
        }
        Ok(Some(Cow::Owned(Value::Object(fields))))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InferenceConfig<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    max_tokens: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    temperature: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    top_p: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stop_sequences: Option<&'a [String]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ToolConfig<'a> {
    tools: &'a [Tool],
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_choice: Option<ToolChoice>,
}

/// A user or assistant turn: its role's wire name and its messages' blocks.
#[derive(Serialize)]
pub(crate) struct Turn<'a> {
    role: &'static str,
    content: Vec<&'a ContentBlock>,
}

/// The system blocks and the turns of `messages`: system messages go to `system`; consecutive
/// messages of the same role are merged, since user and assistant turns must alternate (shared
/// with Nova's messages-v1 body, which has Converse's shapes).
pub(crate) fn system_and_turns(messages: &[ChatMessage]) -> (Vec<&ContentBlock>, Vec<Turn<'_>>) {
    let mut system = Vec::new();
    let mut turns: Vec<Turn> = Vec::new();
    for message in messages {
        match message.role {
            Role::System => system.extend(message.blocks.iter()),
            role => match turns.last_mut() {
                Some(last) if last.role == role.as_str() => last.content.extend(&message.blocks),
                _ if message.blocks.is_empty() => {}
                _ => turns.push(Turn {
                    role: role.as_str(),
                    content: message.blocks.iter().collect(),
                }),
            },
        }
    }
    (system, turns)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    messages: Vec<Turn<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    system: Vec<&'a ContentBlock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inference_config: Option<InferenceConfig<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_config: Option<ToolConfig<'a>>,
}

/// Builds the JSON body of a Converse, ConverseStream or CountTokens (`input.converse`) request;
/// `anthropic` says whether the model is Anthropic's (see [`ConverseOptions`]'s
/// `additionalModelRequestFields`).
///
/// System messages go to `system`; consecutive messages of the same role are merged (see
/// `system_and_turns`).
pub fn build_request_body(
    options: &ConverseOptions,
    messages: &[ChatMessage],
    operation: Operation,
    anthropic: bool,
) -> Result<Vec<u8>, Error> {
    let streaming = operation.is_stream();
    // CountTokens takes messages, system, toolConfig and additionalModelRequestFields only.
    let counting = operation == Operation::CountTokens;
    let (system, turns) = system_and_turns(messages);
    // A prompt-management ARN carries its own messages; everything else needs one.
    if turns.is_empty() && !options.members.contains_key("promptVariables") {
        return Err(Error::invalid_input(
            "messages need at least one human or ai message with content",
        ));
    }
    let settings = &options.settings;
    let inference = InferenceConfig {
        max_tokens: settings.max_tokens,
        temperature: settings.temperature,
        top_p: settings.top_p,
        stop_sequences: settings.stop_sequences.as_deref(),
    };
    let has_inference = inference.max_tokens.is_some()
        || inference.temperature.is_some()
        || inference.top_p.is_some()
        || inference.stop_sequences.is_some();
    let tool_choice = settings.tool_choice()?;
    let additional = options.additional_fields(anthropic)?;
    let mut members: Vec<(&str, Cow<Value>)> = Vec::new();
    for (name, value) in options.members.iter().filter(|_| !counting) {
        let value = match name.as_str() {
            "additionalModelRequestFields" => continue,
            "guardrailConfig" => guardrail_config(value, streaming),
            _ => Cow::Borrowed(value),
        };
        members.push((name, value));
    }
    if let Some(fields) = additional {
        members.push(("additionalModelRequestFields", fields));
    }
    let body = Body {
        messages: turns,
        system,
        inference_config: (has_inference && !counting).then_some(inference),
        tool_config: settings
            .tools
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(|tools| ToolConfig { tools, tool_choice }),
    };
    let unserialisable =
        |e: serde_json::Error| Error::invalid_input(format!("request is not serialisable: {e}"));
    let mut out = Vec::with_capacity(body_capacity(messages));
    serde_json::to_writer(&mut out, &body).map_err(unserialisable)?;
    // The members follow the typed ones, written into the same object (`serde(flatten)` costs
    // several KiB of wasm for this).
    if !members.is_empty() {
        out.pop();
        for (name, value) in &members {
            out.push(b',');
            serde_json::to_writer(&mut out, name).map_err(unserialisable)?;
            out.push(b':');
            serde_json::to_writer(&mut out, value).map_err(unserialisable)?;
        }
        out.push(b'}');
    }
    Ok(out)
}

/// Converse takes no `streamProcessingMode`; ConverseStream does.
fn guardrail_config(config: &Value, streaming: bool) -> Cow<'_, Value> {
    match config {
        Value::Object(map) if !streaming && map.contains_key("streamProcessingMode") => {
            let mut map: Map<String, Value> = map.clone();
            map.remove("streamProcessingMode");
            Cow::Owned(Value::Object(map))
        }
        other => Cow::Borrowed(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;

    fn operation(streaming: bool) -> Operation {
        if streaming {
            Operation::ConverseStream
        } else {
            Operation::Converse
        }
    }

    fn options(value: Value) -> ConverseOptions {
        ConverseOptions::read(value.as_object().unwrap()).unwrap()
    }

    fn body(options: &ConverseOptions, input: Value, streaming: bool) -> Value {
        let messages = normalize_messages(input).unwrap();
        serde_json::from_slice(
            &build_request_body(options, &messages, operation(streaming), false).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn seed_example_body() {
        let options = options(json!({"maxTokens": 256, "temperature": 0.0}));
        let got = body(
            &options,
            json!([
                [
                    "system",
                    "You are a helpful assistant that translates English to French."
                ],
                ["human", "I love programming."]
            ]),
            false,
        );
        assert_eq!(
            got,
            json!({
                "messages": [{"role": "user", "content": [{"text": "I love programming."}]}],
                "system": [{"text": "You are a helpful assistant that translates English to French."}],
                "inferenceConfig": {"maxTokens": 256, "temperature": 0.0}
            })
        );
    }

    #[test]
    fn same_role_turns_merge_and_members_pass_through() {
        let options = options(json!({
            "topP": 0.9,
            "stopSequences": ["END"],
            "additionalModelRequestFields": {"top_k": 5},
            "additionalModelResponseFieldPaths": ["/stop_sequence"],
            "performanceConfig": {"latency": "optimized"},
            "serviceTier": "flex",
            "requestMetadata": {"team": "a"},
            "outputConfig": {"textFormat": {"type": "json_schema"}},
            "guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1",
                                "streamProcessingMode": "async"}
        }));
        let input = json!([["human", "a"], ["human", "b"], ["ai", "c"], ["system", "s"]]);
        let got = body(&options, input.clone(), false);
        assert_eq!(
            got["messages"],
            json!([
                {"role": "user", "content": [{"text": "a"}, {"text": "b"}]},
                {"role": "assistant", "content": [{"text": "c"}]}
            ])
        );
        assert_eq!(got["system"], json!([{"text": "s"}]));
        assert_eq!(
            got["inferenceConfig"],
            json!({"topP": 0.9, "stopSequences": ["END"]})
        );
        assert_eq!(got["additionalModelRequestFields"], json!({"top_k": 5}));
        assert_eq!(
            got["additionalModelResponseFieldPaths"],
            json!(["/stop_sequence"])
        );
        assert_eq!(got["performanceConfig"], json!({"latency": "optimized"}));
        assert_eq!(got["serviceTier"], json!({"type": "flex"}));
        assert_eq!(got["requestMetadata"], json!({"team": "a"}));
        assert_eq!(
            got["outputConfig"]["textFormat"]["type"],
            json!("json_schema")
        );
        assert_eq!(
            got["guardrailConfig"],
            json!({"guardrailIdentifier": "g", "guardrailVersion": "1"})
        );
        let streamed = body(&options, input, true);
        assert_eq!(
            streamed["guardrailConfig"]["streamProcessingMode"],
            json!("async")
        );
    }

    #[test]
    fn tools_and_tool_choice() {
        let options = options(json!({
            "tools": [{"name": "w", "schema": {"type": "object"}}, {"cachePoint": {"type": "default"}}],
            "toolChoice": "w"
        }));
        let got = body(&options, json!("hi"), false);
        assert_eq!(
            got["toolConfig"],
            json!({"tools": [{"toolSpec": {"name": "w", "inputSchema": {"json": {"type": "object"}}}},
                             {"cachePoint": {"type": "default"}}],
                   "toolChoice": {"tool": {"name": "w"}}})
        );
        let no_tools =
            super::ConverseOptions::read(json!({"toolChoice": "auto"}).as_object().unwrap())
                .unwrap();
        let messages = normalize_messages(json!("hi")).unwrap();
        assert!(
            build_request_body(&no_tools, &messages, Operation::Converse, false)
                .unwrap_err()
                .is_invalid_input()
        );
    }

    #[test]
    fn call_options_overlay_model_options() {
        let base = options(json!({"maxTokens": 10, "temperature": 0.5,
            "requestMetadata": {"a": "1"}, "performanceConfig": {"latency": "standard"}}));
        let call = options(json!({"temperature": 0.1, "stopSequences": ["x"],
            "performanceConfig": {"latency": "optimized"}}));
        let merged = base.overlay(&call);
        assert_eq!(merged.settings.max_tokens, Some(10));
        assert_eq!(merged.settings.temperature, Some(0.1));
        assert_eq!(merged.settings.stop_sequences, Some(vec!["x".to_string()]));
        assert_eq!(
            Value::Object(merged.members),
            json!({"requestMetadata": {"a": "1"}, "performanceConfig": {"latency": "optimized"}})
        );
    }

    #[test]
    fn anthropic_settings_and_model_kwargs_go_to_additional_fields() {
        let options = options(
            json!({"topK": 5, "thinking": {"type": "enabled", "budget_tokens": 1024},
            "betas": ["b1"], "modelKwargs": {"x": 1}, "additionalModelRequestFields": {"y": 2}}),
        );
        let messages = normalize_messages(json!("hi")).unwrap();
        let sent: Value = serde_json::from_slice(
            &build_request_body(&options, &messages, Operation::ConverseStream, true).unwrap(),
        )
        .unwrap();
        assert_eq!(
            sent["additionalModelRequestFields"],
            json!({"y": 2, "x": 1, "top_k": 5, "anthropic_beta": ["b1"],
                   "thinking": {"type": "enabled", "budget_tokens": 1024}})
        );
        let err =
            build_request_body(&options, &messages, Operation::ConverseStream, false).unwrap_err();
        assert!(
            err.message()
                .starts_with("`topK` is not an option of ChatBedrockConverse for this model"),
            "{err}"
        );
        let kwargs =
            super::ConverseOptions::read(json!({"modelKwargs": {"x": 1}}).as_object().unwrap())
                .unwrap();
        let sent: Value = serde_json::from_slice(
            &build_request_body(&kwargs, &messages, Operation::Converse, false).unwrap(),
        )
        .unwrap();
        assert_eq!(sent["additionalModelRequestFields"], json!({"x": 1}));
    }

    #[test]
    fn count_tokens_bodies_hold_what_count_tokens_takes() {
        let options = super::ConverseOptions::read(
            json!({
                "maxTokens": 10, "temperature": 0.5, "topK": 3,
                "tools": [{"name": "t", "schema": {"type": "object"}}],
                "guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1"},
                "requestMetadata": {"a": "b"},
            })
            .as_object()
            .unwrap(),
        )
        .unwrap();
        let messages = normalize_messages(json!([["system", "s"], ["human", "hi"]])).unwrap();
        let body = |operation| -> Value {
            serde_json::from_slice(
                &build_request_body(&options, &messages, operation, true).unwrap(),
            )
            .unwrap()
        };
        let keys = |value: Value| {
            value
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(body(Operation::CountTokens)),
            [
                "messages",
                "system",
                "toolConfig",
                "additionalModelRequestFields"
            ]
        );
        let sent = body(Operation::Converse);
        let counted = body(Operation::CountTokens);
        for member in [
            "messages",
            "system",
            "toolConfig",
            "additionalModelRequestFields",
        ] {
            assert_eq!(counted[member], sent[member], "{member}");
        }
        assert!(sent.get("inferenceConfig").is_some() && sent.get("requestMetadata").is_some());
    }

    #[test]
    fn only_system_messages_is_a_type_error() {
        let messages = normalize_messages(json!([["system", "s"]])).unwrap();
        let err = build_request_body(
            &ConverseOptions::default(),
            &messages,
            Operation::Converse,
            false,
        )
        .unwrap_err();
        assert!(err.is_invalid_input());
    }

    #[test]
    fn a_large_body_is_written_into_one_buffer_of_the_size_it_was_given() {
        // 1 MiB of text with quotes and newlines to escape, and a 1.5 MiB image as base64.
        let text = "say \"hi\"\n".repeat(100_000);
        let image = crate::base64::encode(&[7; 1_500_000]);
        let input = json!([["human", [
            {"type": "text", "text": text},
            {"type": "image", "mimeType": "image/png", "data": image},
        ]]]);
        let messages = normalize_messages(input).unwrap();
        let options = options(json!({"maxTokens": 256}));
        let body = build_request_body(&options, &messages, Operation::Converse, false).unwrap();
        // It never grew: no moment held two copies of it.
        assert_eq!(body.capacity(), body_capacity(&messages));
        assert!(body.len() > 3_000_000);
    }
}
