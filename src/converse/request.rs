//! Converse / ConverseStream request bodies.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::chat::input::{ChatMessage, ContentBlock, Role};
use crate::chat::tools::{tool_choice, Tool, ToolChoice};
use crate::Error;

/// Inference settings and request members, from the model's options and, per call, from the
/// call's options (see [`ConverseOptions::overlay`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConverseOptions {
    /// `inferenceConfig.maxTokens`.
    pub max_tokens: Option<u32>,
    /// `inferenceConfig.temperature`.
    pub temperature: Option<f64>,
    /// `inferenceConfig.topP`.
    pub top_p: Option<f64>,
    /// `inferenceConfig.stopSequences`.
    pub stop_sequences: Option<Vec<String>>,
    /// `additionalModelRequestFields`, any JSON (e.g. Claude's `thinking`).
    pub additional_model_request_fields: Option<Value>,
    /// `additionalModelResponseFieldPaths`, JSON Pointers.
    pub additional_model_response_field_paths: Option<Vec<String>>,
    /// `guardrailConfig`; `streamProcessingMode` is sent on streams only.
    pub guardrail_config: Option<Value>,
    /// `performanceConfig`.
    pub performance_config: Option<Value>,
    /// `requestMetadata`.
    pub request_metadata: Option<Value>,
    /// `serviceTier`.
    pub service_tier: Option<Value>,
    /// `promptVariables` (prompt-management ARNs).
    pub prompt_variables: Option<Value>,
    /// `outputConfig` (structured output: `textFormat`).
    pub output_config: Option<Value>,
    /// `toolConfig.tools`.
    pub tools: Option<Vec<Tool>>,
    /// `toolConfig.toolChoice`: `auto`, `any` or a tool name.
    pub tool_choice: Option<String>,
}

impl ConverseOptions {
    /// These options with every member that `call` sets replaced by the call's value.
    pub fn overlay(&self, call: &ConverseOptions) -> ConverseOptions {
        fn pick<T: Clone>(call: &Option<T>, base: &Option<T>) -> Option<T> {
            call.as_ref().or(base.as_ref()).cloned()
        }
        ConverseOptions {
            max_tokens: call.max_tokens.or(self.max_tokens),
            temperature: call.temperature.or(self.temperature),
            top_p: call.top_p.or(self.top_p),
            stop_sequences: pick(&call.stop_sequences, &self.stop_sequences),
            additional_model_request_fields: pick(
                &call.additional_model_request_fields,
                &self.additional_model_request_fields,
            ),
            additional_model_response_field_paths: pick(
                &call.additional_model_response_field_paths,
                &self.additional_model_response_field_paths,
            ),
            guardrail_config: pick(&call.guardrail_config, &self.guardrail_config),
            performance_config: pick(&call.performance_config, &self.performance_config),
            request_metadata: pick(&call.request_metadata, &self.request_metadata),
            service_tier: pick(&call.service_tier, &self.service_tier),
            prompt_variables: pick(&call.prompt_variables, &self.prompt_variables),
            output_config: pick(&call.output_config, &self.output_config),
            tools: pick(&call.tools, &self.tools),
            tool_choice: pick(&call.tool_choice, &self.tool_choice),
        }
    }

    /// The tool choice resolved against the tools; a `TypeError` when it names no bound tool.
    pub fn resolved_tool_choice(&self) -> Result<Option<ToolChoice>, Error> {
        match (&self.tool_choice, &self.tools) {
            (None, _) => Ok(None),
            (Some(_), None) => Err(Error::invalid_input(
                "toolChoice: needs tools; bind some with bindTools",
            )),
            (Some(choice), Some(tools)) => tool_choice(choice, tools).map(Some),
        }
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
    #[serde(skip_serializing_if = "Option::is_none")]
    guardrail_config: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_model_request_fields: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_model_response_field_paths: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompt_variables: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_metadata: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    performance_config: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_tier: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_config: Option<&'a Value>,
}

/// Builds the JSON body of a Converse (`streaming` false) or ConverseStream request.
///
/// System messages go to `system`; consecutive messages of the same role are merged (see
/// [`system_and_turns`]).
pub fn build_request_body(
    options: &ConverseOptions,
    messages: &[ChatMessage],
    streaming: bool,
) -> Result<Vec<u8>, Error> {
    let (system, turns) = system_and_turns(messages);
    // A prompt-management ARN carries its own messages; everything else needs one.
    if turns.is_empty() && options.prompt_variables.is_none() {
        return Err(Error::invalid_input(
            "messages need at least one human or ai message with content",
        ));
    }
    let inference = InferenceConfig {
        max_tokens: options.max_tokens,
        temperature: options.temperature,
        top_p: options.top_p,
        stop_sequences: options.stop_sequences.as_deref(),
    };
    let has_inference = inference.max_tokens.is_some()
        || inference.temperature.is_some()
        || inference.top_p.is_some()
        || inference.stop_sequences.is_some();
    let tool_choice = options.resolved_tool_choice()?;
    let body = Body {
        messages: turns,
        system,
        inference_config: has_inference.then_some(inference),
        tool_config: options
            .tools
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(|tools| ToolConfig { tools, tool_choice }),
        guardrail_config: options
            .guardrail_config
            .as_ref()
            .map(|g| guardrail_config(g, streaming)),
        additional_model_request_fields: options.additional_model_request_fields.as_ref(),
        additional_model_response_field_paths: options
            .additional_model_response_field_paths
            .as_deref(),
        prompt_variables: options.prompt_variables.as_ref(),
        request_metadata: options.request_metadata.as_ref(),
        performance_config: options.performance_config.as_ref(),
        service_tier: options.service_tier.as_ref(),
        output_config: options.output_config.as_ref(),
    };
    serde_json::to_vec(&body)
        .map_err(|e| Error::invalid_input(format!("request is not serialisable: {e}")))
}

/// Converse takes no `streamProcessingMode`; ConverseStream does.
fn guardrail_config(config: &Value, streaming: bool) -> Value {
    match config {
        Value::Object(map) if !streaming && map.contains_key("streamProcessingMode") => {
            let mut map: Map<String, Value> = map.clone();
            map.remove("streamProcessingMode");
            Value::Object(map)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::input::normalize_messages;
    use crate::chat::tools::normalize_tools;
    use serde_json::json;

    fn body(options: &ConverseOptions, input: Value, streaming: bool) -> Value {
        let messages = normalize_messages(&input).unwrap();
        serde_json::from_slice(&build_request_body(options, &messages, streaming).unwrap()).unwrap()
    }

    #[test]
    fn seed_example_body() {
        let options = ConverseOptions {
            max_tokens: Some(256),
            temperature: Some(0.0),
            ..Default::default()
        };
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
        let options = ConverseOptions {
            top_p: Some(0.9),
            stop_sequences: Some(vec!["END".into()]),
            additional_model_request_fields: Some(json!({"top_k": 5})),
            additional_model_response_field_paths: Some(vec!["/stop_sequence".into()]),
            performance_config: Some(json!({"latency": "optimized"})),
            service_tier: Some(json!({"type": "flex"})),
            request_metadata: Some(json!({"team": "a"})),
            output_config: Some(json!({"textFormat": {"type": "json_schema"}})),
            guardrail_config: Some(json!({"guardrailIdentifier": "g", "guardrailVersion": "1",
                                          "streamProcessingMode": "async"})),
            ..Default::default()
        };
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
        let tools = normalize_tools(&json!([{"name": "w", "schema": {"type": "object"}},
                                            {"cachePoint": {"type": "default"}}]))
        .unwrap();
        let options = ConverseOptions {
            tools: Some(tools),
            tool_choice: Some("w".into()),
            ..Default::default()
        };
        let got = body(&options, json!("hi"), false);
        assert_eq!(
            got["toolConfig"],
            json!({"tools": [{"toolSpec": {"name": "w", "inputSchema": {"json": {"type": "object"}}}},
                             {"cachePoint": {"type": "default"}}],
                   "toolChoice": {"tool": {"name": "w"}}})
        );
        let no_tools = ConverseOptions {
            tool_choice: Some("auto".into()),
            ..Default::default()
        };
        let messages = normalize_messages(&json!("hi")).unwrap();
        assert!(build_request_body(&no_tools, &messages, false)
            .unwrap_err()
            .is_invalid_input());
    }

    #[test]
    fn call_options_overlay_model_options() {
        let base = ConverseOptions {
            max_tokens: Some(10),
            temperature: Some(0.5),
            ..Default::default()
        };
        let call = ConverseOptions {
            temperature: Some(0.1),
            stop_sequences: Some(vec!["x".into()]),
            ..Default::default()
        };
        let merged = base.overlay(&call);
        assert_eq!(merged.max_tokens, Some(10));
        assert_eq!(merged.temperature, Some(0.1));
        assert_eq!(merged.stop_sequences, Some(vec!["x".to_string()]));
    }

    #[test]
    fn only_system_messages_is_a_type_error() {
        let messages = normalize_messages(&json!([["system", "s"]])).unwrap();
        let err = build_request_body(&ConverseOptions::default(), &messages, false).unwrap_err();
        assert!(err.is_invalid_input());
    }
}
