//! The options of the three chat classes as one set: which class takes each option, when (on
//! the model, on a call, or both), and the `TypeError` for any other key, which names it and
//! says where it belongs ("unknown option `temprature`; did you mean `temperature`?").
//! Nothing is silently ignored.

use crate::chat::settings::{Setting, STOP_ALIAS};
use crate::Error;

/// A chat model class of the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelClass {
    /// `ChatBedrockConverse`: Converse and ConverseStream.
    Converse,
    /// `ChatBedrock`: InvokeModel in each provider's native format.
    Bedrock,
    /// `ChatAnthropicBedrock`: InvokeModel with Anthropic's Messages API.
    AnthropicBedrock,
}

impl ModelClass {
    /// The class's JS name.
    pub fn name(self) -> &'static str {
        match self {
            ModelClass::Converse => "ChatBedrockConverse",
            ModelClass::Bedrock => "ChatBedrock",
            ModelClass::AnthropicBedrock => "ChatAnthropicBedrock",
        }
    }
}

/// Where an options object was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The model's constructor.
    Model,
    /// One `invoke` or `stream` call.
    Call,
}

/// Which classes take an option.
#[derive(Clone, Copy, PartialEq)]
enum Takers {
    All,
    /// Converse's request members, which InvokeModel bodies have no place for.
    Converse,
    /// The `provider` option.
    Bedrock,
}

/// When an option may be given.
#[derive(Clone, Copy, PartialEq)]
enum When {
    Model,
    Call,
    Both,
}

/// The options besides the shared [`Setting`]s (which every class takes on the model and on a
/// call): who takes them, when, and their names.
const OPTIONS: [(Takers, When, &[&str]); 5] = [
    (Takers::All, When::Model, &CONNECTION),
    (
        Takers::All,
        When::Both,
        &["maxRetries", "timeout", "streamIdleTimeout", STOP_ALIAS],
    ),
    (Takers::All, When::Call, &["signal"]),
    (Takers::Bedrock, When::Model, &["provider"]),
    (Takers::Converse, When::Both, &CONVERSE_MEMBERS),
];

/// Where and as whom a model connects.
const CONNECTION: [&str; 10] = [
    "model",
    "modelId",
    "region",
    "credentials",
    "apiKey",
    "env",
    "endpoint",
    "allowInsecureEndpoint",
    "fetch",
    "aiGateway",
];

/// Converse's request members, which InvokeModel bodies have no place for.
const CONVERSE_MEMBERS: [&str; 8] = [
    "additionalModelRequestFields",
    "additionalModelResponseFieldPaths",
    "guardrailConfig",
    "performanceConfig",
    "requestMetadata",
    "serviceTier",
    "promptVariables",
    "outputConfig",
];

/// Converse's own request members, by their wire names (the options only
/// `ChatBedrockConverse` takes).
pub fn converse_members() -> impl Iterator<Item = &'static str> {
    CONVERSE_MEMBERS.into_iter()
}

fn lookup(key: &str) -> Option<(Takers, When)> {
    if Setting::ALL.iter().any(|s| s.name() == key) {
        return Some((Takers::All, When::Both));
    }
    OPTIONS
        .iter()
        .find(|(_, _, names)| names.contains(&key))
        .map(|&(takers, when, _)| (takers, when))
}

fn known_names() -> impl Iterator<Item = &'static str> {
    Setting::ALL.iter().map(|s| s.name()).chain(
        OPTIONS
            .iter()
            .flat_map(|(_, _, names)| names.iter().copied()),
    )
}

/// A `TypeError` for the first of `keys` that `class` does not take in `scope`.
pub fn check_keys(class: ModelClass, scope: Scope, keys: &[String]) -> Result<(), Error> {
    keys.iter()
        .try_for_each(|key| check_key(class, scope, key).map_err(Error::invalid_input))
}

fn check_key(class: ModelClass, scope: Scope, key: &str) -> Result<(), String> {
    let Some((takers, when)) = lookup(key) else {
        let what = match scope {
            Scope::Model => "option",
            Scope::Call => "call option",
        };
        return Err(match suggestion(key) {
            Some(name) => format!("unknown {what} `{key}`; did you mean `{name}`?"),
            None => format!("unknown {what} `{key}` of {}", class.name()),
        });
    };
    let taken = match takers {
        Takers::All => true,
        Takers::Converse => class == ModelClass::Converse,
        Takers::Bedrock => class != ModelClass::Converse,
    };
    if !taken {
        let owner = match takers {
            Takers::Converse => "it is a request member of ChatBedrockConverse, which InvokeModel has no place for; use ChatBedrockConverse, or modelKwargs for the model's native members",
            _ => "ChatBedrock takes it; Converse has one format for every model",
        };
        return Err(format!(
            "`{key}` is not an option of {}: {owner}",
            class.name()
        ));
    }
    match (scope, when) {
        (Scope::Call, When::Model) => Err(format!(
            "`{key}` is not a call option: set it when the model is made"
        )),
        (Scope::Model, When::Call) => Err(format!(
            "`{key}` is not a model option: pass it with each call"
        )),
        _ => Ok(()),
    }
}

/// The known option `key` most likely means: the same letters but for case, `_` and `-`
/// (`max_tokens`), else one at most two edits away.
fn suggestion(key: &str) -> Option<&'static str> {
    let fold = |s: &str| -> Vec<u8> {
        s.bytes()
            .filter(|c| *c != b'_' && *c != b'-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let folded = fold(key);
    known_names()
        .map(|name| (edit_distance(&folded, &fold(name)), name))
        .filter(|(distance, _)| *distance == 0 || (*distance <= 2 && folded.len() > 3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_misplaced_options_say_what_was_meant() {
        use ModelClass::*;
        for (class, scope, key, want) in [
            (Converse, Scope::Model, "temprature", "unknown option `temprature`; did you mean `temperature`?"),
            (Bedrock, Scope::Model, "max_tokens", "unknown option `max_tokens`; did you mean `maxTokens`?"),
            (Converse, Scope::Call, "stop_sequences", "unknown call option `stop_sequences`; did you mean `stopSequences`?"),
            (AnthropicBedrock, Scope::Model, "zzz", "unknown option `zzz` of ChatAnthropicBedrock"),
            (Bedrock, Scope::Model, "guardrailConfig", "`guardrailConfig` is not an option of ChatBedrock: it is a request member of ChatBedrockConverse"),
            (AnthropicBedrock, Scope::Call, "outputConfig", "`outputConfig` is not an option of ChatAnthropicBedrock"),
            (Converse, Scope::Model, "provider", "`provider` is not an option of ChatBedrockConverse: ChatBedrock takes it"),
            (Converse, Scope::Call, "region", "`region` is not a call option: set it when the model is made"),
            (Bedrock, Scope::Model, "signal", "`signal` is not a model option: pass it with each call"),
        ] {
            let got = check_keys(class, scope, &[key.to_string()]).unwrap_err();
            assert!(got.is_invalid_input());
            assert!(got.message().starts_with(want), "{key}: {got}");
        }
    }

    #[test]
    fn every_class_takes_the_shared_settings_and_the_connection() {
        for class in [
            ModelClass::Converse,
            ModelClass::Bedrock,
            ModelClass::AnthropicBedrock,
        ] {
            let keys: Vec<String> = Setting::ALL
                .iter()
                .map(|s| s.name())
                .chain([
                    "model",
                    "region",
                    "credentials",
                    "fetch",
                    "aiGateway",
                    "timeout",
                    "stop",
                ])
                .map(String::from)
                .collect();
            check_keys(class, Scope::Model, &keys).unwrap();
        }
        check_keys(
            ModelClass::Converse,
            Scope::Call,
            &["guardrailConfig".into(), "signal".into(), "topK".into()],
        )
        .unwrap();
    }
}
