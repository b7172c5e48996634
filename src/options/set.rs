//! The options of the three chat classes and `BedrockEmbeddings` as one set: which class takes
//! each option, when (on
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
    /// `BedrockEmbeddings`: InvokeModel with a text embedding model.
    Embeddings,
}

impl ModelClass {
    /// The class's JS name.
    pub fn name(self) -> &'static str {
        match self {
            ModelClass::Converse => "ChatBedrockConverse",
            ModelClass::Bedrock => "ChatBedrock",
            ModelClass::AnthropicBedrock => "ChatAnthropicBedrock",
            ModelClass::Embeddings => "BedrockEmbeddings",
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
    /// The chat models' (request settings, stop sequences, stream limits).
    Chat,
    /// Converse's request members, which InvokeModel bodies have no place for.
    Converse,
    /// The `provider` option.
    Bedrock,
    /// An embedding model's request members and its concurrency.
    Embeddings,
}

/// When an option may be given.
#[derive(Clone, Copy, PartialEq)]
enum When {
    Model,
    Call,
    Both,
}

/// The options besides the shared [`Setting`]s (which every chat class takes on the model and
/// on a call): who takes them, when, and their names.
const OPTIONS: [(Takers, When, &[&str]); 7] = [
    (Takers::All, When::Model, &CONNECTION),
    (Takers::All, When::Both, &["maxRetries", "timeout"]),
    (Takers::Chat, When::Both, &["streamIdleTimeout", STOP_ALIAS]),
    (Takers::All, When::Call, &["signal"]),
    (Takers::Bedrock, When::Model, &["provider"]),
    (Takers::Converse, When::Both, &CONVERSE_MEMBERS),
    (
        Takers::Embeddings,
        When::Model,
        &["dimensions", "normalize", "truncate", "maxConcurrency"],
    ),
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
        return Some((Takers::Chat, When::Both));
    }
    OPTIONS
        .iter()
        .find(|(_, _, names)| names.contains(&key))
        .map(|&(takers, when, _)| (takers, when))
}

impl Takers {
    /// Whether `class` takes the options of these takers.
    fn include(self, class: ModelClass) -> bool {
        match self {
            Takers::All => true,
            Takers::Chat => class != ModelClass::Embeddings,
            Takers::Converse => class == ModelClass::Converse,
            Takers::Bedrock => matches!(class, ModelClass::Bedrock | ModelClass::AnthropicBedrock),
            Takers::Embeddings => class == ModelClass::Embeddings,
        }
    }
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
        return Err(match suggestion(class, key) {
            Some(name) => format!("unknown {what} `{key}`; did you mean `{name}`?"),
            None => format!("unknown {what} `{key}` of {}", class.name()),
        });
    };
    if !takers.include(class) {
        let owner = match takers {
            _ if class == ModelClass::Embeddings => "it is a chat model's option",
            Takers::Converse => "it is a request member of ChatBedrockConverse, which InvokeModel has no place for; use ChatBedrockConverse, or modelKwargs for the model's native members",
            Takers::Embeddings => "it is an option of BedrockEmbeddings",
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

/// The option of `class` that `key` most likely means: the same letters but for case, `_` and
/// `-` (`max_tokens`), else one at most two edits away.
fn suggestion(class: ModelClass, key: &str) -> Option<&'static str> {
    let fold = |s: &str| -> Vec<u8> {
        s.bytes()
            .filter(|c| *c != b'_' && *c != b'-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let folded = fold(key);
    let mut best: Option<(usize, &'static str)> = None;
    let mut consider = |name: &'static str| {
        let distance = edit_distance(&folded, &fold(name));
        let close = distance == 0 || (distance <= 2 && folded.len() > 3);
        if close && best.is_none_or(|(least, _)| distance < least) {
            best = Some((distance, name));
        }
    };
    if Takers::Chat.include(class) {
        Setting::ALL.iter().for_each(|s| consider(s.name()));
    }
    for (takers, _, names) in OPTIONS {
        if takers.include(class) {
            names.iter().for_each(|name| consider(name));
        }
    }
    best.map(|(_, name)| name)
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
            (Embeddings, Scope::Model, "dimension", "unknown option `dimension`; did you mean `dimensions`?"),
            (Embeddings, Scope::Model, "maxConcurency", "unknown option `maxConcurency`; did you mean `maxConcurrency`?"),
            (Embeddings, Scope::Model, "temperature", "`temperature` is not an option of BedrockEmbeddings: it is a chat model's option"),
            (Embeddings, Scope::Model, "provider", "`provider` is not an option of BedrockEmbeddings"),
            (Embeddings, Scope::Call, "dimensions", "`dimensions` is not a call option: set it when the model is made"),
            (Converse, Scope::Model, "normalize", "`normalize` is not an option of ChatBedrockConverse: it is an option of BedrockEmbeddings"),
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
