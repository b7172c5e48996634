//! The model settings that all three chat classes share, as one typed value: one reader, one
//! per-call overlay, one `toJSON`, one tool-choice resolver, and one refusal of the settings a
//! model's body has no place for. A setting is named by [`Setting`], never by a string.

use serde_json::{Map, Value};

use crate::chat::tools::{normalize_tools, tool_choice, Tool, ToolChoice};
use crate::options::source::{finite, object, positive_int, string_list, OptionSource};
use crate::Error;

/// One shared setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// `maxTokens`: the most tokens to generate.
    MaxTokens,
    /// `temperature`.
    Temperature,
    /// `topP`: nucleus sampling.
    TopP,
    /// `topK`: top-k sampling.
    TopK,
    /// `stopSequences` (alias `stop`).
    StopSequences,
    /// `tools` offered to the model.
    Tools,
    /// `toolChoice`: `auto`, `any` or a tool name.
    ToolChoice,
    /// `thinking`: Anthropic extended thinking, e.g. `{ type: "enabled", budget_tokens }`.
    Thinking,
    /// `betas`: Anthropic beta flags (`anthropic_beta`).
    Betas,
    /// `modelKwargs`: native request members merged in last.
    ModelKwargs,
}

impl Setting {
    /// Every setting, in `toJSON` order.
    pub const ALL: [Setting; 10] = [
        Setting::Temperature,
        Setting::MaxTokens,
        Setting::TopP,
        Setting::TopK,
        Setting::StopSequences,
        Setting::Thinking,
        Setting::Betas,
        Setting::ModelKwargs,
        Setting::ToolChoice,
        Setting::Tools,
    ];

    /// The option's name.
    pub fn name(self) -> &'static str {
        match self {
            Setting::MaxTokens => "maxTokens",
            Setting::Temperature => "temperature",
            Setting::TopP => "topP",
            Setting::TopK => "topK",
            Setting::StopSequences => "stopSequences",
            Setting::Tools => "tools",
            Setting::ToolChoice => "toolChoice",
            Setting::Thinking => "thinking",
            Setting::Betas => "betas",
            Setting::ModelKwargs => "modelKwargs",
        }
    }
}

/// `stopSequences` as LangChain also spells it.
pub const STOP_ALIAS: &str = "stop";

/// The shared settings of a model, or of one call (see [`Settings::overlay`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// [`Setting::MaxTokens`].
    pub max_tokens: Option<u32>,
    /// [`Setting::Temperature`].
    pub temperature: Option<f64>,
    /// [`Setting::TopP`].
    pub top_p: Option<f64>,
    /// [`Setting::TopK`].
    pub top_k: Option<u32>,
    /// [`Setting::StopSequences`].
    pub stop_sequences: Option<Vec<String>>,
    /// [`Setting::Tools`].
    pub tools: Option<Vec<Tool>>,
    /// [`Setting::ToolChoice`], resolved against `tools` by [`Settings::tool_choice`].
    pub tool_choice: Option<String>,
    /// [`Setting::Thinking`].
    pub thinking: Option<Value>,
    /// [`Setting::Betas`].
    pub betas: Option<Vec<String>>,
    /// [`Setting::ModelKwargs`].
    pub model_kwargs: Option<Map<String, Value>>,
}

impl Settings {
    /// Reads the settings of a model's or a call's options.
    pub fn read(source: &dyn OptionSource) -> Result<Settings, Error> {
        use Setting::*;
        let stop = match string_list(source, StopSequences.name())? {
            Some(list) => Some(list),
            None => string_list(source, STOP_ALIAS)?,
        };
        Ok(Settings {
            max_tokens: positive_int(source, MaxTokens.name())?,
            temperature: finite(source, Temperature.name())?,
            top_p: finite(source, TopP.name())?,
            top_k: positive_int(source, TopK.name())?,
            stop_sequences: stop,
            tools: match source.json(Tools.name())? {
                None => None,
                Some(tools) => Some(normalize_tools(&tools)?),
            },
            tool_choice: source.string(ToolChoice.name())?,
            thinking: object(source, Thinking.name())?.map(Value::Object),
            betas: string_list(source, Betas.name())?,
            model_kwargs: object(source, ModelKwargs.name())?,
        })
    }

    /// These settings with every one that `call` sets replaced by the call's value.
    pub fn overlay(&self, call: &Settings) -> Settings {
        fn pick<T: Clone>(call: &Option<T>, base: &Option<T>) -> Option<T> {
            call.as_ref().or(base.as_ref()).cloned()
        }
        Settings {
            max_tokens: call.max_tokens.or(self.max_tokens),
            temperature: call.temperature.or(self.temperature),
            top_p: call.top_p.or(self.top_p),
            top_k: call.top_k.or(self.top_k),
            stop_sequences: pick(&call.stop_sequences, &self.stop_sequences),
            tools: pick(&call.tools, &self.tools),
            tool_choice: pick(&call.tool_choice, &self.tool_choice),
            thinking: pick(&call.thinking, &self.thinking),
            betas: pick(&call.betas, &self.betas),
            model_kwargs: pick(&call.model_kwargs, &self.model_kwargs),
        }
    }

    /// Whether `setting` is set (an empty list of stop sequences or tools counts as unset).
    pub fn is_set(&self, setting: Setting) -> bool {
        match setting {
            Setting::MaxTokens => self.max_tokens.is_some(),
            Setting::Temperature => self.temperature.is_some(),
            Setting::TopP => self.top_p.is_some(),
            Setting::TopK => self.top_k.is_some(),
            Setting::StopSequences => self.stop_sequences.as_ref().is_some_and(|s| !s.is_empty()),
            Setting::Tools => self.tools.as_ref().is_some_and(|t| !t.is_empty()),
            Setting::ToolChoice => self.tool_choice.is_some(),
            Setting::Thinking => self.thinking.is_some(),
            Setting::Betas => self.betas.is_some(),
            Setting::ModelKwargs => self.model_kwargs.is_some(),
        }
    }

    /// The settings that are set, for `toJSON` (tools by name).
    pub fn to_json(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for setting in Setting::ALL {
            if let Some(value) = self.value(setting) {
                out.insert(setting.name().into(), value);
            }
        }
        out
    }

    /// `setting` as JSON, when it is set (tools by name).
    pub fn value(&self, setting: Setting) -> Option<Value> {
        match setting {
            Setting::MaxTokens => self.max_tokens.map(Value::from),
            Setting::Temperature => self.temperature.map(Value::from),
            Setting::TopP => self.top_p.map(Value::from),
            Setting::TopK => self.top_k.map(Value::from),
            Setting::StopSequences => self.stop_sequences.as_deref().map(strings),
            Setting::Tools => self.tools.as_deref().map(tool_summary),
            Setting::ToolChoice => self.tool_choice.clone().map(Value::String),
            Setting::Thinking => self.thinking.clone(),
            Setting::Betas => self.betas.as_deref().map(strings),
            Setting::ModelKwargs => self.model_kwargs.clone().map(Value::Object),
        }
    }

    /// The tool choice resolved against the tools; a `TypeError` when there are no tools or it
    /// names none of them.
    pub fn tool_choice(&self) -> Result<Option<ToolChoice>, Error> {
        match (&self.tool_choice, &self.tools) {
            (None, _) => Ok(None),
            (Some(_), None) => Err(Error::invalid_input(
                "toolChoice: needs tools; bind some with bindTools",
            )),
            (Some(choice), Some(tools)) => tool_choice(choice, tools).map(Some),
        }
    }

    /// A `TypeError` naming the first of `unsupported` that is set, since the body of `label`
    /// ("Meta Llama models") has no place for it.
    pub fn refuse(&self, unsupported: &[Setting], label: &str) -> Result<(), Error> {
        let Some(&setting) = unsupported.iter().find(|s| self.is_set(**s)) else {
            return Ok(());
        };
        let name = setting.name();
        let what = if setting == Setting::Tools {
            "take no tools".to_string()
        } else {
            format!("have no {name} setting")
        };
        Err(Error::invalid_input(format!(
            "{name}: {label} {what}; use modelKwargs for native settings, or ChatBedrockConverse"
        )))
    }
}

/// A list of strings as JSON.
pub fn strings(list: &[String]) -> Value {
    list.iter().cloned().map(Value::String).collect()
}

/// Tools as their names (cache points and system tools as given).
fn tool_summary(tools: &[Tool]) -> Value {
    tools
        .iter()
        .map(|tool| match tool {
            Tool::ToolSpec(spec) => Value::String(spec.name.clone()),
            Tool::SystemTool(v) | Tool::CachePoint(v) => v.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<Settings, Error> {
        Settings::read(value.as_object().unwrap())
    }

    #[test]
    fn one_reader_one_overlay_one_to_json() {
        let model = read(json!({"temperature": 0.5, "maxTokens": 10, "stop": ["x"],
            "tools": [{"name": "w", "description": "d", "schema": {"type": "object"}}],
            "toolChoice": "w", "modelKwargs": {"a": 1}}))
        .unwrap();
        assert_eq!(model.stop_sequences, Some(vec!["x".to_string()]));
        assert_eq!(
            model.tool_choice().unwrap(),
            Some(ToolChoice::Tool("w".into()))
        );
        let call =
            read(json!({"temperature": 1, "topK": 3, "thinking": {"type": "enabled"}})).unwrap();
        let both = model.overlay(&call);
        assert_eq!(both.temperature, Some(1.0));
        assert_eq!(both.max_tokens, Some(10));
        assert_eq!(
            Value::Object(both.to_json()),
            json!({"temperature": 1.0, "maxTokens": 10, "topK": 3, "stopSequences": ["x"],
                   "thinking": {"type": "enabled"}, "modelKwargs": {"a": 1},
                   "toolChoice": "w", "tools": ["w"]})
        );
        assert_eq!(
            read(json!({"topK": 0})).unwrap_err().message(),
            "topK must be a positive integer"
        );
        assert!(read(json!({"toolChoice": "auto"}))
            .unwrap()
            .tool_choice()
            .unwrap_err()
            .message()
            .starts_with("toolChoice: needs tools"));
    }

    #[test]
    fn every_setting_can_be_refused_by_name() {
        let all = read(
            json!({"temperature": 0.5, "maxTokens": 10, "topP": 0.9, "topK": 3,
            "stopSequences": ["x"], "tools": [{"name": "w", "schema": {"type": "object"}}],
            "toolChoice": "w", "thinking": {}, "betas": [], "modelKwargs": {}}),
        )
        .unwrap();
        for setting in Setting::ALL {
            assert!(all.is_set(setting), "{setting:?}");
            let err = all.refuse(&[setting], "Test models").unwrap_err();
            assert!(
                err.message()
                    .starts_with(&format!("{}: Test models ", setting.name())),
                "{err}"
            );
            Settings::default()
                .refuse(&[setting], "Test models")
                .unwrap();
        }
    }
}
