//! Converse / ConverseStream request bodies.

use serde_json::{json, Map, Value};

use crate::messages::{ChatMessage, Role};
use crate::Error;

/// Inference settings and pass-through request members, as given to the client.
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
    /// `guardrailConfig`, passed through.
    pub guardrail_config: Option<Value>,
    /// `performanceConfig`, passed through.
    pub performance_config: Option<Value>,
    /// `requestMetadata`, passed through.
    pub request_metadata: Option<Value>,
}

/// Builds the JSON body of a Converse or ConverseStream request.
///
/// System messages go to `system`; consecutive messages of the same role are merged, since
/// Converse requires user and assistant turns to alternate.
pub fn build_request_body(
    options: &ConverseOptions,
    messages: &[ChatMessage],
) -> Result<Vec<u8>, Error> {
    let mut system = Vec::new();
    let mut turns: Vec<(Role, Vec<Value>)> = Vec::new();
    for message in messages {
        match message.role {
            Role::System => system.extend(message.blocks.iter().cloned()),
            role => match turns.last_mut() {
                Some((last, blocks)) if *last == role => {
                    blocks.extend(message.blocks.iter().cloned())
                }
                _ if message.blocks.is_empty() => {}
                _ => turns.push((role, message.blocks.clone())),
            },
        }
    }
    if turns.is_empty() {
        return Err(Error::invalid_input(
            "messages need at least one human or ai message with content",
        ));
    }

    let mut body = Map::new();
    body.insert(
        "messages".into(),
        Value::Array(
            turns
                .into_iter()
                .map(|(role, content)| json!({ "role": role.as_str(), "content": content }))
                .collect(),
        ),
    );
    if !system.is_empty() {
        body.insert("system".into(), Value::Array(system));
    }
    let inference = inference_config(options);
    if !inference.is_empty() {
        body.insert("inferenceConfig".into(), Value::Object(inference));
    }
    let passthrough = [
        (
            "additionalModelRequestFields",
            &options.additional_model_request_fields,
        ),
        ("guardrailConfig", &options.guardrail_config),
        ("performanceConfig", &options.performance_config),
        ("requestMetadata", &options.request_metadata),
    ];
    for (key, value) in passthrough {
        if let Some(value) = value {
            body.insert(key.into(), value.clone());
        }
    }
    if let Some(paths) = &options.additional_model_response_field_paths {
        body.insert("additionalModelResponseFieldPaths".into(), json!(paths));
    }
    serde_json::to_vec(&Value::Object(body))
        .map_err(|e| Error::invalid_input(format!("request is not serialisable: {e}")))
}

fn inference_config(options: &ConverseOptions) -> Map<String, Value> {
    let mut config = Map::new();
    if let Some(v) = options.max_tokens {
        config.insert("maxTokens".into(), json!(v));
    }
    if let Some(v) = options.temperature {
        config.insert("temperature".into(), json!(v));
    }
    if let Some(v) = options.top_p {
        config.insert("topP".into(), json!(v));
    }
    if let Some(v) = &options.stop_sequences {
        config.insert("stopSequences".into(), json!(v));
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::normalize_messages;

    fn body(options: &ConverseOptions, input: Value) -> Value {
        let messages = normalize_messages(&input).unwrap();
        serde_json::from_slice(&build_request_body(options, &messages).unwrap()).unwrap()
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
    fn same_role_turns_merge_and_passthrough_fields_appear() {
        let options = ConverseOptions {
            top_p: Some(0.9),
            stop_sequences: Some(vec!["END".into()]),
            additional_model_request_fields: Some(json!({"top_k": 5})),
            additional_model_response_field_paths: Some(vec!["/stop_sequence".into()]),
            performance_config: Some(json!({"latency": "optimized"})),
            ..Default::default()
        };
        let got = body(
            &options,
            json!([["human", "a"], ["human", "b"], ["ai", "c"], ["system", "s"]]),
        );
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
        assert!(got.get("guardrailConfig").is_none());
    }

    #[test]
    fn only_system_messages_is_a_type_error() {
        let messages = normalize_messages(&json!([["system", "s"]])).unwrap();
        let err = build_request_body(&ConverseOptions::default(), &messages).unwrap_err();
        assert!(err.is_invalid_input());
    }
}
