//! The request settings of an InvokeModel call, shared by every provider: each provider's
//! request builder writes the ones its native body has and refuses the others with a
//! `TypeError` (see [`InvokeOptions::refuse`]).

use serde_json::{Map, Value};

use crate::chat::tools::{tool_choice, Tool, ToolChoice};
use crate::Error;

/// Settings from the model's options, overlaid per call (see [`InvokeOptions::overlay`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InvokeOptions {
    /// The most tokens to generate.
    pub max_tokens: Option<u32>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    pub top_p: Option<f64>,
    /// Top-k sampling.
    pub top_k: Option<u32>,
    /// Sequences that stop generation.
    pub stop_sequences: Option<Vec<String>>,
    /// Anthropic extended thinking, e.g. `{ type: "enabled", budget_tokens: 1024 }`.
    pub thinking: Option<Value>,
    /// Anthropic beta flags, sent as `anthropic_beta`.
    pub betas: Option<Vec<String>>,
    /// Tools offered to the model.
    pub tools: Option<Vec<Tool>>,
    /// `auto`, `any` or a tool name; resolved against `tools` by [`InvokeOptions::tool_choice`].
    pub tool_choice: Option<String>,
    /// Members merged into the native body last (`modelKwargs`), overriding what was built.
    pub model_kwargs: Option<Map<String, Value>>,
}

impl InvokeOptions {
    /// These options with every member that `call` sets replaced by the call's value.
    pub fn overlay(&self, call: &InvokeOptions) -> InvokeOptions {
        fn pick<T: Clone>(call: &Option<T>, base: &Option<T>) -> Option<T> {
            call.as_ref().or(base.as_ref()).cloned()
        }
        InvokeOptions {
            max_tokens: call.max_tokens.or(self.max_tokens),
            temperature: call.temperature.or(self.temperature),
            top_p: call.top_p.or(self.top_p),
            top_k: call.top_k.or(self.top_k),
            stop_sequences: pick(&call.stop_sequences, &self.stop_sequences),
            thinking: pick(&call.thinking, &self.thinking),
            betas: pick(&call.betas, &self.betas),
            tools: pick(&call.tools, &self.tools),
            tool_choice: pick(&call.tool_choice, &self.tool_choice),
            model_kwargs: pick(&call.model_kwargs, &self.model_kwargs),
        }
    }

    /// The tool choice resolved against the tools; a `TypeError` when it names no bound tool.
    pub fn tool_choice(&self) -> Result<Option<ToolChoice>, Error> {
        match (&self.tool_choice, &self.tools) {
            (None, _) => Ok(None),
            (Some(_), None) => Err(Error::invalid_input(
                "toolChoice: needs tools; bind some with bindTools",
            )),
            (Some(choice), Some(tools)) => tool_choice(choice, tools).map(Some),
        }
    }

    /// A `TypeError` naming the first setting, of those `unsupported` lists by option name
    /// (`topK`, `topP`, `stopSequences`, `tools`, `thinking`, `betas`), that is set although
    /// the provider's body has no place for it; `label` names the models ("Meta Llama models").
    pub fn refuse(&self, unsupported: &[&str], label: &str) -> Result<(), Error> {
        for &name in unsupported {
            let set = match name {
                "topK" => self.top_k.is_some(),
                "topP" => self.top_p.is_some(),
                "stopSequences" => self.stop_sequences.as_ref().is_some_and(|s| !s.is_empty()),
                "tools" => self.tools.as_ref().is_some_and(|t| !t.is_empty()),
                "thinking" => self.thinking.is_some(),
                "betas" => self.betas.is_some(),
                _ => false,
            };
            if set {
                let what = if name == "tools" {
                    "take no tools".to_string()
                } else {
                    format!("have no {name} setting")
                };
                return Err(Error::invalid_input(format!(
                    "{name}: {label} {what}; use modelKwargs for native settings, or ChatBedrockConverse"
                )));
            }
        }
        Ok(())
    }

    /// `body` with `modelKwargs` merged in, serialised.
    pub fn finish_body(&self, mut body: Map<String, Value>) -> Result<Vec<u8>, Error> {
        if let Some(extra) = &self.model_kwargs {
            body.extend(extra.clone());
        }
        serde_json::to_vec(&Value::Object(body))
            .map_err(|e| Error::invalid_input(format!("request is not serialisable: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unsupported_settings_are_named_and_kwargs_win() {
        let options = InvokeOptions {
            top_k: Some(5),
            model_kwargs: Some(json!({"max_gen_len": 9}).as_object().unwrap().clone()),
            ..Default::default()
        };
        let err = options
            .refuse(&["stopSequences", "topK"], "Meta Llama models")
            .unwrap_err();
        assert!(err.is_invalid_input());
        assert!(err
            .message()
            .starts_with("topK: Meta Llama models have no topK setting"));
        let mut body = Map::new();
        body.insert("max_gen_len".into(), json!(100));
        let sent: Value = serde_json::from_slice(&options.finish_body(body).unwrap()).unwrap();
        assert_eq!(sent, json!({"max_gen_len": 9}));
    }
}
