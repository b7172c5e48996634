//! Which native format a model speaks, from its id or the `provider` option, and the dispatch
//! to that provider's request builder, reply mapper and stream events.

use super::{ai21, anthropic, anthropic_request, cohere, llama, mistral, nova, titan};
use super::{InvokeOptions, ProviderEvents};
use crate::chat::input::ChatMessage;
use crate::chat::output::{AIMessage, CallInfo};
use crate::Error;

/// A model provider with its own InvokeModel body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// Anthropic Claude: the Messages API.
    Anthropic,
    /// Amazon Nova: messages-v1.
    Nova,
    /// Amazon Titan Text.
    Titan,
    /// Meta Llama 3 and later: the Llama chat template.
    Llama,
    /// Mistral: text completion, or chat completion for Large 2 and Pixtral.
    Mistral,
    /// Cohere Command R (chat) and Command (text).
    Cohere,
    /// AI21 Jamba: chat completions.
    Ai21,
}

/// The `provider` option's accepted values, for the error that lists them.
pub const PROVIDER_NAMES: &str = "anthropic, amazon (nova or titan), meta, mistral, cohere, ai21";

impl Provider {
    /// The provider a model id names: a foundation-model id, with or without a cross-region
    /// prefix (`us.`, `eu.`, `apac.`, `global.`, …), or an ARN ending in one.
    /// Application-inference-profile ARNs and imported models name none.
    pub fn from_model_id(model_id: &str) -> Option<Provider> {
        let id = model_id.rsplit('/').next().unwrap_or(model_id);
        let mut parts = id.splitn(3, '.');
        let first = parts.next()?;
        let (vendor, model) = match Self::vendor(first) {
            true => (first, id[first.len()..].trim_start_matches('.')),
            // A cross-region prefix comes first: `us.anthropic.claude-…`.
            false => {
                let vendor = parts.next()?;
                (vendor, parts.next().unwrap_or(""))
            }
        };
        Self::from_vendor(vendor, model)
    }

    /// The provider of the `provider` option (`anthropic`, `amazon`, `nova`, `titan`, `meta`,
    /// `mistral`, `cohere`, `ai21`); `amazon` is Titan when the id says `titan`, else Nova.
    pub fn from_name(name: &str, model_id: &str) -> Result<Provider, Error> {
        let lower = name.to_ascii_lowercase();
        let model = if lower == "amazon" && !model_id.contains("titan") {
            "nova"
        } else {
            model_id
        };
        Self::from_vendor(&lower, model)
            .or(match lower.as_str() {
                "nova" => Some(Provider::Nova),
                "titan" => Some(Provider::Titan),
                "llama" => Some(Provider::Llama),
                _ => None,
            })
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "provider: unknown provider {name:?}; supported: {PROVIDER_NAMES}"
                ))
            })
    }

    /// The provider for a model: the `provider` option when given, else the one its id names,
    /// else a `TypeError` listing the supported providers.
    pub fn resolve(model_id: &str, option: Option<&str>) -> Result<Provider, Error> {
        match option {
            Some(name) => Self::from_name(name, model_id),
            None => Self::from_model_id(model_id).ok_or_else(|| {
                Error::invalid_input(format!(
                    "provider: cannot tell the provider of model {model_id:?}; pass provider, one of: {PROVIDER_NAMES}"
                ))
            }),
        }
    }

    fn vendor(part: &str) -> bool {
        matches!(
            part,
            "anthropic" | "amazon" | "meta" | "mistral" | "cohere" | "ai21"
        )
    }

    fn from_vendor(vendor: &str, model: &str) -> Option<Provider> {
        Some(match vendor {
            "anthropic" => Provider::Anthropic,
            "amazon" if model.starts_with("nova") || model.contains(".nova") => Provider::Nova,
            "amazon" if model.contains("titan-text") || model.contains("titan-tg1") => {
                Provider::Titan
            }
            "meta" => Provider::Llama,
            "mistral" => Provider::Mistral,
            "cohere" => Provider::Cohere,
            "ai21" => Provider::Ai21,
            _ => return None,
        })
    }

    /// The provider's name, as the `provider` option takes it.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Anthropic => "anthropic",
            Provider::Nova => "nova",
            Provider::Titan => "titan",
            Provider::Llama => "meta",
            Provider::Mistral => "mistral",
            Provider::Cohere => "cohere",
            Provider::Ai21 => "ai21",
        }
    }

    /// How error messages name this provider's models.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Anthropic => "Anthropic models",
            Provider::Nova => "Amazon Nova models",
            Provider::Titan => "Amazon Titan Text models",
            Provider::Llama => "Meta Llama models",
            Provider::Mistral => "Mistral models",
            Provider::Cohere => "Cohere Command models",
            Provider::Ai21 => "AI21 Jamba models",
        }
    }

    /// The provider's native request body for `messages`. What the model cannot take is a
    /// `TypeError` naming the message or setting, raised before anything is sent.
    pub fn request_body(
        self,
        model_id: &str,
        options: &InvokeOptions,
        messages: &[ChatMessage],
    ) -> Result<Vec<u8>, Error> {
        match self {
            Provider::Anthropic => anthropic_request::anthropic_request_body(options, messages),
            Provider::Nova => nova::request_body(options, messages),
            Provider::Titan => titan::request_body(options, messages),
            Provider::Llama => llama::request_body(options, messages),
            Provider::Mistral => mistral::request_body(model_id, options, messages),
            Provider::Cohere => cohere::request_body(model_id, options, messages),
            Provider::Ai21 => ai21::request_body(options, messages),
        }
    }

    /// Maps an InvokeModel reply body.
    pub fn map_response(self, body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
        match self {
            Provider::Anthropic => anthropic::map_anthropic_response(body, info),
            Provider::Nova => nova::map_response(body, info),
            Provider::Titan => titan::map_response(body, info),
            Provider::Llama => llama::map_response(body, info),
            Provider::Mistral => mistral::map_response(body, info),
            Provider::Cohere => cohere::map_response(body, info),
            Provider::Ai21 => ai21::map_response(body, info),
        }
    }

    /// A fresh state for one InvokeModelWithResponseStream response.
    pub fn events(self) -> Box<dyn ProviderEvents> {
        match self {
            Provider::Anthropic => Box::new(anthropic::AnthropicEvents::new()),
            Provider::Nova => Box::new(nova::NovaEvents::default()),
            Provider::Titan => Box::new(titan::TitanEvents::default()),
            Provider::Llama => Box::new(llama::LlamaEvents::default()),
            Provider::Mistral => Box::new(mistral::MistralEvents::default()),
            Provider::Cohere => Box::new(cohere::CohereEvents::default()),
            Provider::Ai21 => Box::new(ai21::Ai21Events::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_come_from_ids_prefixes_and_arns() {
        for (id, want) in [
            (
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
                Provider::Anthropic,
            ),
            ("us.anthropic.claude-sonnet-4-6", Provider::Anthropic),
            (
                "global.anthropic.claude-opus-4-5-20251101-v1:0",
                Provider::Anthropic,
            ),
            ("apac.amazon.nova-micro-v1:0", Provider::Nova),
            ("amazon.nova-lite-v1:0", Provider::Nova),
            ("amazon.titan-text-express-v1", Provider::Titan),
            ("amazon.titan-tg1-large", Provider::Titan),
            ("eu.meta.llama3-2-3b-instruct-v1:0", Provider::Llama),
            ("mistral.mistral-7b-instruct-v0:2", Provider::Mistral),
            ("cohere.command-r-plus-v1:0", Provider::Cohere),
            ("ai21.jamba-1-5-mini-v1:0", Provider::Ai21),
            (
                "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0",
                Provider::Llama,
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0",
                Provider::Nova,
            ),
        ] {
            assert_eq!(Provider::from_model_id(id), Some(want), "{id}");
        }
        for id in [
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f",
            "amazon.titan-embed-text-v2:0",
            "my-imported-model",
            "us.deepseek.r1-v1:0",
        ] {
            assert_eq!(Provider::from_model_id(id), None, "{id}");
        }
    }

    #[test]
    fn the_provider_option_wins_and_unknown_ids_list_the_supported_ones() {
        let arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x";
        assert_eq!(
            Provider::resolve(arn, Some("meta")).unwrap(),
            Provider::Llama
        );
        assert_eq!(
            Provider::resolve(arn, Some("amazon")).unwrap(),
            Provider::Nova
        );
        assert_eq!(
            Provider::resolve("amazon.titan-text-lite-v1", Some("amazon")).unwrap(),
            Provider::Titan
        );
        assert_eq!(
            Provider::resolve(arn, Some("Nova")).unwrap(),
            Provider::Nova
        );
        let err = Provider::resolve(arn, None).unwrap_err();
        assert!(err.is_invalid_input());
        assert!(err.message().contains(PROVIDER_NAMES), "{err}");
        let err = Provider::resolve(arn, Some("openai")).unwrap_err();
        assert!(
            err.message()
                .starts_with("provider: unknown provider \"openai\""),
            "{err}"
        );
    }
}
