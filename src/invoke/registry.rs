//! The registry of InvokeModel providers, and the steps every provider's request shares.
//!
//! [`PROVIDERS`] lists every [`Provider`]; adding one is its file and one line there. The shared
//! steps (refusing unsupported settings, resolving the tool choice, the text transcript for
//! text-only models, the writer and `modelKwargs`) run once, in [`request_body`].

use super::json_writer::JsonWriter;
use super::provider::{Input, Provider, Request};
use super::transcript::Transcript;
use super::{ai21, anthropic, cohere, llama, mistral, nova, titan};
use crate::chat::input::{body_capacity, ChatMessage};
use crate::chat::settings::{Setting, Settings};
use crate::quoted::Quoted;
use crate::Error;

/// Every provider, in the order a model id is matched.
pub static PROVIDERS: [&dyn Provider; 7] = [
    &anthropic::Anthropic,
    &nova::Nova,
    &titan::Titan,
    &llama::Llama,
    &mistral::Mistral,
    &cohere::Cohere,
    &ai21::Ai21,
];

/// The `provider` option's accepted values, for the errors that list them.
pub fn provider_names() -> String {
    let mut names = String::new();
    for provider in PROVIDERS {
        for name in std::iter::once(provider.name()).chain(provider.aliases().iter().copied()) {
            if !names.is_empty() {
                names.push_str(", ");
            }
            names.push_str(name);
        }
    }
    names
}

/// The provider a model id names: a foundation-model id, with or without a cross-region
/// prefix (`us.`, `eu.`, `apac.`, `global.`, …), or an ARN ending in one.
/// Application-inference-profile ARNs and imported models name none.
pub fn from_model_id(model_id: &str) -> Option<&'static dyn Provider> {
    let id = model_id.rsplit('/').next().unwrap_or(model_id);
    let find =
        |vendor: &str, model: &str| PROVIDERS.iter().copied().find(|p| p.matches(vendor, model));
    let (first, rest) = id.split_once('.')?;
    // Else a cross-region prefix comes first: `us.anthropic.claude-…`.
    find(first, rest).or_else(|| {
        let (vendor, model) = rest.split_once('.')?;
        find(vendor, model)
    })
}

/// The foundation-model id of a cross-region inference-profile id (`us.anthropic.claude-…` is
/// `anthropic.claude-…`), which CountTokens takes in its stead; any other id as it is.
pub fn foundation_model_id(model_id: &str) -> &str {
    let named = |vendor: &str, model: &str| PROVIDERS.iter().any(|p| p.matches(vendor, model));
    match model_id.split_once('.') {
        Some((first, rest)) if !model_id.contains('/') && !named(first, rest) => {
            match rest.split_once('.') {
                Some((vendor, model)) if named(vendor, model) => rest,
                _ => model_id,
            }
        }
        _ => model_id,
    }
}

/// The provider of the `provider` option: the one of that name, else the one whose models the
/// option (as a vendor) and the model id name (`amazon` and a Titan id), else the one with that
/// alias.
pub fn from_name(name: &str, model_id: &str) -> Result<&'static dyn Provider, Error> {
    let lower = name.to_ascii_lowercase();
    let found = PROVIDERS
        .iter()
        .find(|p| p.name() == lower)
        .or_else(|| PROVIDERS.iter().find(|p| p.matches(&lower, model_id)))
        .or_else(|| {
            PROVIDERS
                .iter()
                .find(|p| p.aliases().contains(&lower.as_str()))
        });
    found.copied().ok_or_else(|| {
        Error::invalid_input(format!(
            "provider: unknown provider {name}; supported: {}",
            provider_names(),
            name = Quoted(name)
        ))
    })
}

/// The provider for a model: the `provider` option when given, else the one its id names,
/// else a `TypeError` listing the supported providers.
pub fn resolve(model_id: &str, option: Option<&str>) -> Result<&'static dyn Provider, Error> {
    match option {
        Some(name) => from_name(name, model_id),
        None => from_model_id(model_id).ok_or_else(|| {
            Error::invalid_input(format!(
                "provider: cannot tell the provider of model {model_id}; pass provider, one of: {}",
                provider_names(),
                model_id = Quoted(model_id)
            ))
        }),
    }
}

/// The native request body of `provider` for `messages`: the settings it has no place for are
/// refused, the tool choice resolved, the transcript made for text-only models, the body built
/// and `modelKwargs` merged in last. Every problem is a `TypeError`, before anything is sent.
pub fn request_body(
    provider: &dyn Provider,
    model_id: &str,
    settings: &Settings,
    messages: Vec<ChatMessage>,
) -> Result<Vec<u8>, Error> {
    let capacity = body_capacity(&messages);
    let (label, unsupported) = provider.unsupported(model_id);
    settings.refuse(unsupported, label)?;
    let tool_choice = settings.tool_choice()?;
    let input = if unsupported.contains(&Setting::Tools) {
        Input::Transcript(Transcript::of(&messages, provider.label())?)
    } else {
        Input::Messages(messages)
    };
    let request = Request {
        model_id,
        settings,
        tool_choice,
        input,
    };
    let mut out = JsonWriter::object(capacity, settings.model_kwargs.as_ref());
    provider.request_body(request, &mut out)?;
    Ok(out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(id: &str) -> Option<&'static str> {
        from_model_id(id).map(|p| p.name())
    }

    #[test]
    fn foundation_model_ids_lose_only_a_cross_region_prefix() {
        for (id, want) in [
            (
                "us.anthropic.claude-sonnet-4-6",
                "anthropic.claude-sonnet-4-6",
            ),
            (
                "global.anthropic.claude-haiku-4-5-20251001-v1:0",
                "anthropic.claude-haiku-4-5-20251001-v1:0",
            ),
            (
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
            ),
            ("amazon.nova-lite-v1:0", "amazon.nova-lite-v1:0"),
            (
                "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2",
                "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2",
            ),
            ("us.unknown.model", "us.unknown.model"),
            ("plain", "plain"),
        ] {
            assert_eq!(foundation_model_id(id), want, "{id}");
        }
    }

    #[test]
    fn providers_come_from_ids_prefixes_and_arns() {
        for (id, want) in [
            ("anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic"),
            ("us.anthropic.claude-sonnet-4-6", "anthropic"),
            (
                "global.anthropic.claude-opus-4-5-20251101-v1:0",
                "anthropic",
            ),
            ("apac.amazon.nova-micro-v1:0", "nova"),
            ("amazon.nova-lite-v1:0", "nova"),
            ("amazon.titan-text-express-v1", "titan"),
            ("amazon.titan-tg1-large", "titan"),
            ("eu.meta.llama3-2-3b-instruct-v1:0", "meta"),
            ("mistral.mistral-7b-instruct-v0:2", "mistral"),
            ("cohere.command-r-plus-v1:0", "cohere"),
            ("ai21.jamba-1-5-mini-v1:0", "ai21"),
            (
                "arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0",
                "meta",
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0",
                "nova",
            ),
        ] {
            assert_eq!(name_of(id), Some(want), "{id}");
        }
        for id in [
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f",
            "amazon.titan-embed-text-v2:0",
            "my-imported-model",
            "us.deepseek.r1-v1:0",
        ] {
            assert_eq!(name_of(id), None, "{id}");
        }
    }

    #[test]
    fn the_provider_option_wins_and_unknown_ids_list_the_supported_ones() {
        let arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x";
        let name = |model: &str, option: Option<&str>| resolve(model, option).unwrap().name();
        assert_eq!(name(arn, Some("meta")), "meta");
        assert_eq!(name(arn, Some("llama")), "meta");
        assert_eq!(name(arn, Some("amazon")), "nova");
        assert_eq!(name("amazon.titan-text-lite-v1", Some("amazon")), "titan");
        assert_eq!(name(arn, Some("Nova")), "nova");
        let names = provider_names();
        assert_eq!(
            names,
            "anthropic, nova, amazon, titan, meta, llama, mistral, cohere, ai21"
        );
        let err = resolve(arn, None).err().unwrap();
        assert!(err.is_invalid_input());
        assert!(err.message().contains(&names), "{err}");
        let err = resolve(arn, Some("openai")).err().unwrap();
        assert!(
            err.message()
                .starts_with("provider: unknown provider \"openai\""),
            "{err}"
        );
    }

    #[test]
    fn every_provider_is_found_by_its_name() {
        for provider in PROVIDERS {
            let found = from_name(provider.name(), "x").unwrap();
            assert_eq!(found.name(), provider.name());
            assert!(!provider.label().is_empty());
        }
    }
}
