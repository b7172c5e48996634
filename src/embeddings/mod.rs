//! Text embedding models over InvokeModel: which models are known ([`Family`]), their options
//! ([`EmbeddingSettings`]), how texts are split into requests, each request's native body, and
//! where each reply keeps its vectors and input tokens ([`ReplyShape`]). The call itself is the
//! chat models' unary path.
//!
//! - `titan`: Amazon Titan Text Embeddings v1 and v2, one text per request.
//! - `cohere`: Cohere Embed v3 and v4, up to 96 texts per request.
//! - `nova`: Amazon Nova Multimodal Embeddings, its text part, one text per request.

mod cohere;
mod nova;
mod titan;

use std::fmt::Write;

use crate::options::source::{positive_int, OptionSource};
use crate::quoted::Quoted;
use crate::Error;

/// What the texts are embedded for: Cohere's `input_type`, Nova's `embeddingPurpose`; Titan
/// embeds both alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `embedQuery`: a search query.
    Query,
    /// `embedDocuments`: documents to be searched.
    Document,
}

/// An embedding model family: its body, its batch size, its options and its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `amazon.titan-embed-text-v1` (and `amazon.titan-embed-g1-text-02`): `{inputText}`.
    TitanV1,
    /// `amazon.titan-embed-text-v2:0`: `{inputText, dimensions, normalize}`.
    TitanV2,
    /// `cohere.embed-english-v3`, `cohere.embed-multilingual-v3`.
    CohereV3,
    /// `cohere.embed-v4:0`: v3's body with `output_dimension`.
    CohereV4,
    /// `amazon.nova-2-multimodal-embeddings-v1:0`: `{taskType, singleEmbeddingParams}`.
    NovaMultimodal,
}

/// The model ids each family answers to (a version suffix such as `:0` may follow).
const MODELS: [(&str, Family); 7] = [
    ("amazon.titan-embed-text-v1", Family::TitanV1),
    ("amazon.titan-embed-g1-text-02", Family::TitanV1),
    ("amazon.titan-embed-text-v2", Family::TitanV2),
    ("cohere.embed-english-v3", Family::CohereV3),
    ("cohere.embed-multilingual-v3", Family::CohereV3),
    ("cohere.embed-v4", Family::CohereV4),
    (
        "amazon.nova-2-multimodal-embeddings-v1",
        Family::NovaMultimodal,
    ),
];

/// `maxConcurrency`'s default and its largest value.
pub const DEFAULT_MAX_CONCURRENCY: u32 = 8;
const MAX_CONCURRENCY: u32 = 32;

impl Family {
    /// The family of `model_id`: a model id, a cross-region inference profile
    /// (`us.cohere.embed-v4:0`) or a foundation-model ARN; else a `TypeError` listing the known ids.
    pub fn resolve(model_id: &str) -> Result<Family, Error> {
        let id = model_id.rsplit('/').next().unwrap_or(model_id);
        let profile_free = id.split_once('.').map_or(id, |(_, rest)| rest);
        let named = |id: &str| {
            MODELS.iter().find_map(|(name, family)| {
                let rest = id.strip_prefix(name)?;
                (rest.is_empty() || rest.starts_with(':')).then_some(*family)
            })
        };
        named(id).or_else(|| named(profile_free)).ok_or_else(|| {
            Error::invalid_input(format!(
                "model {} is not an embedding model BedrockEmbeddings knows; use one of {}",
                Quoted(model_id),
                listed(MODELS.iter().map(|(name, _)| name))
            ))
        })
    }

    /// The most texts one request carries.
    pub fn batch_size(self) -> usize {
        match self {
            Family::TitanV1 | Family::TitanV2 | Family::NovaMultimodal => 1,
            Family::CohereV3 | Family::CohereV4 => cohere::MAX_TEXTS,
        }
    }

    /// The native body of one request for `texts` (at most [`Family::batch_size`]).
    pub fn body(self, texts: &[String], purpose: Purpose, settings: &EmbeddingSettings) -> Vec<u8> {
        match self {
            Family::TitanV1 | Family::TitanV2 => titan::body(&texts[0], settings),
            Family::CohereV3 | Family::CohereV4 => cohere::body(self, texts, purpose, settings),
            Family::NovaMultimodal => nova::body(&texts[0], purpose, settings),
        }
    }

    /// Where the family's replies keep their vectors and input tokens.
    pub fn reply_shape(self) -> &'static ReplyShape {
        match self {
            Family::TitanV1 | Family::TitanV2 => &titan::REPLY,
            Family::CohereV3 | Family::CohereV4 => &cohere::REPLY,
            Family::NovaMultimodal => &nova::REPLY,
        }
    }
}

/// Where a reply (a JSON object) keeps its vectors and input tokens. The reply is parsed by the
/// JS engine's `JSON.parse`, once: its arrays of numbers are the vectors returned.
#[derive(Debug, PartialEq)]
pub struct ReplyShape {
    /// The member holding the vectors.
    pub vectors: &'static str,
    /// Whether that member is one vector (Titan) rather than a list of them (Cohere).
    pub single: bool,
    /// When the member is an object of vectors by type (Cohere's `embedding_types`), the type
    /// whose vectors are returned.
    pub by_type: Option<&'static str>,
    /// When each entry of the list is an object (Nova's), the member holding its vector.
    pub entry: Option<&'static str>,
    /// The member holding the input-token count, when the body has one.
    pub tokens: Option<&'static str>,
}

/// The options of a `BedrockEmbeddings` besides the connection.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EmbeddingSettings {
    /// Titan v2's `dimensions`, Cohere v4's `output_dimension`.
    pub dimensions: Option<u32>,
    /// Titan v2's `normalize`.
    pub normalize: Option<bool>,
    /// Cohere's `truncate`.
    pub truncate: Option<String>,
    /// Requests in flight at once.
    pub max_concurrency: u32,
}

impl EmbeddingSettings {
    /// Reads the options `family` takes; an option the model has no place for, or a value it
    /// does not accept, is a `TypeError` naming it.
    pub fn read(family: Family, source: &dyn OptionSource) -> Result<Self, Error> {
        let max_concurrency = match positive_int(source, "maxConcurrency")? {
            None => DEFAULT_MAX_CONCURRENCY,
            Some(n) if n <= MAX_CONCURRENCY => n,
            Some(_) => {
                return Err(Error::invalid_input(format!(
                    "maxConcurrency must be a whole number from 1 to {MAX_CONCURRENCY}"
                )))
            }
        };
        let normalize = match source.json("normalize")? {
            None => None,
            Some(serde_json::Value::Bool(b)) => Some(b),
            Some(_) => return Err(Error::invalid_input("normalize must be a boolean")),
        };
        let settings = Self {
            dimensions: positive_int(source, "dimensions")?,
            normalize,
            truncate: source.string("truncate")?,
            max_concurrency,
        };
        let (dimensions, normalize, truncate): (&[u32], bool, &[&str]) = match family {
            Family::TitanV1 => (&[], false, &[]),
            Family::TitanV2 => (&titan::DIMENSIONS, true, &[]),
            Family::CohereV3 => (&[], false, &cohere::TRUNCATE_V3),
            Family::CohereV4 => (&cohere::DIMENSIONS, false, &cohere::TRUNCATE_V4),
            Family::NovaMultimodal => (&nova::DIMENSIONS, false, &nova::TRUNCATE),
        };
        let refuse = |key: &str, why: String| Err(Error::invalid_input(format!("{key}: {why}")));
        let unsupported =
            |key: &str| refuse(key, format!("{} has no such option", family_name(family)));
        if let Some(d) = settings.dimensions {
            if dimensions.is_empty() {
                return unsupported("dimensions");
            }
            if !dimensions.contains(&d) {
                return refuse(
                    "dimensions",
                    format!("must be one of {}", listed(dimensions)),
                );
            }
        }
        if settings.normalize.is_some() && !normalize {
            return unsupported("normalize");
        }
        if let Some(t) = &settings.truncate {
            if truncate.is_empty() {
                return unsupported("truncate");
            }
            if !truncate.contains(&t.as_str()) {
                return refuse("truncate", format!("must be one of {}", listed(truncate)));
            }
        }
        Ok(settings)
    }
}

/// `items` in a message, separated by `, `.
fn listed(items: impl IntoIterator<Item = impl std::fmt::Display>) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{item}");
    }
    out
}

/// The family's name in messages.
fn family_name(family: Family) -> &'static str {
    match family {
        Family::TitanV1 => "Titan Text Embeddings v1",
        Family::TitanV2 => "Titan Text Embeddings v2",
        Family::CohereV3 => "Cohere Embed v3",
        Family::CohereV4 => "Cohere Embed v4",
        Family::NovaMultimodal => "Nova Multimodal Embeddings",
    }
}

/// Checks that every text is a non-empty string (Bedrock refuses an empty one): a `TypeError`
/// naming `field` (`text`) or `field[i]` otherwise.
pub fn check_texts(
    texts: &[Option<String>],
    field: &str,
    single: bool,
) -> Result<Vec<String>, Error> {
    let mut checked = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let why = match text {
            Some(text) if !text.is_empty() => {
                checked.push(text.clone());
                continue;
            }
            Some(_) => "is empty; Bedrock embeds only non-empty text",
            None => "must be a string",
        };
        return Err(Error::invalid_input(match single {
            true => format!("{field} {why}"),
            false => format!("{field}[{i}] {why}"),
        }));
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    fn options(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn lists_in_messages_are_comma_separated() {
        assert_eq!(listed([256u32, 512]), "256, 512");
        assert_eq!(listed(["", "b"]), ", b");
        assert_eq!(listed(Vec::<u32>::new()), "");
    }

    #[test]
    fn model_ids_profiles_and_arns_resolve_to_their_family() {
        for (id, family) in [
            ("amazon.titan-embed-text-v1", Family::TitanV1),
            ("amazon.titan-embed-text-v1:2:8k", Family::TitanV1),
            ("amazon.titan-embed-text-v2:0", Family::TitanV2),
            ("cohere.embed-english-v3", Family::CohereV3),
            ("cohere.embed-multilingual-v3", Family::CohereV3),
            ("us.cohere.embed-v4:0", Family::CohereV4),
            (
                "amazon.nova-2-multimodal-embeddings-v1:0",
                Family::NovaMultimodal,
            ),
            (
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0",
                Family::TitanV2,
            ),
        ] {
            assert_eq!(Family::resolve(id).unwrap(), family, "{id}");
        }
        for id in [
            "amazon.titan-text-express-v1",
            "cohere.embed-v4x",
            "amazon.titan-embed-image-v1",
        ] {
            let error = Family::resolve(id).unwrap_err();
            assert!(error.is_invalid_input());
            assert!(
                error.message().contains("is not an embedding model"),
                "{id}: {error}"
            );
            assert!(error.message().contains("cohere.embed-v4"), "{error}");
        }
    }

    #[test]
    fn options_are_checked_against_the_family() {
        let ok = EmbeddingSettings::read(
            Family::TitanV2,
            &options(json!({"dimensions": 512, "normalize": false})),
        )
        .unwrap();
        assert_eq!(
            (ok.dimensions, ok.normalize, ok.max_concurrency),
            (Some(512), Some(false), 8)
        );
        let ok = EmbeddingSettings::read(
            Family::CohereV4,
            &options(json!({"dimensions": 1536, "truncate": "RIGHT", "maxConcurrency": 2})),
        )
        .unwrap();
        assert_eq!(
            (ok.dimensions, ok.truncate.as_deref(), ok.max_concurrency),
            (Some(1536), Some("RIGHT"), 2)
        );
        for (family, given, want) in [
            (
                Family::TitanV2,
                json!({"dimensions": 300}),
                "dimensions: must be one of 256, 512, 1024",
            ),
            (
                Family::TitanV2,
                json!({"dimensions": "512"}),
                "dimensions must be a finite number",
            ),
            (
                Family::TitanV1,
                json!({"dimensions": 512}),
                "dimensions: Titan Text Embeddings v1 has no such option",
            ),
            (
                Family::CohereV3,
                json!({"normalize": true}),
                "normalize: Cohere Embed v3 has no such option",
            ),
            (
                Family::TitanV2,
                json!({"normalize": 1}),
                "normalize must be a boolean",
            ),
            (
                Family::CohereV3,
                json!({"truncate": "LEFT"}),
                "truncate: must be one of NONE, START, END",
            ),
            (
                Family::CohereV4,
                json!({"truncate": "END"}),
                "truncate: must be one of NONE, LEFT, RIGHT",
            ),
            (
                Family::TitanV2,
                json!({"truncate": "END"}),
                "truncate: Titan Text Embeddings v2 has no such option",
            ),
            (
                Family::CohereV4,
                json!({"dimensions": 2048}),
                "dimensions: must be one of 256, 512, 1024, 1536",
            ),
            (
                Family::NovaMultimodal,
                json!({"dimensions": 512}),
                "dimensions: must be one of 256, 384, 1024, 3072",
            ),
            (
                Family::NovaMultimodal,
                json!({"truncate": "LEFT"}),
                "truncate: must be one of START, END, NONE",
            ),
            (
                Family::NovaMultimodal,
                json!({"normalize": true}),
                "normalize: Nova Multimodal Embeddings has no such option",
            ),
            (
                Family::TitanV1,
                json!({"maxConcurrency": 33}),
                "maxConcurrency must be a whole number from 1 to 32",
            ),
            (
                Family::TitanV1,
                json!({"maxConcurrency": 0}),
                "maxConcurrency must be a positive integer",
            ),
        ] {
            let error = EmbeddingSettings::read(family, &options(given)).unwrap_err();
            assert!(error.is_invalid_input());
            assert_eq!(error.message(), want);
        }
    }

    #[test]
    fn texts_must_be_non_empty_strings() {
        let texts = [Some("a".to_string()), Some(String::new()), None];
        assert_eq!(check_texts(&texts[..1], "text", true).unwrap(), ["a"]);
        assert_eq!(
            check_texts(&texts, "texts", false).unwrap_err().message(),
            "texts[1] is empty; Bedrock embeds only non-empty text"
        );
        assert_eq!(
            check_texts(&texts[2..], "text", true)
                .unwrap_err()
                .message(),
            "text must be a string"
        );
    }

    #[test]
    fn titan_replies_hold_one_vector_cohere_replies_a_list_and_nova_a_list_of_entries() {
        let titan = Family::TitanV2.reply_shape();
        assert_eq!(
            (titan.vectors, titan.single, titan.tokens),
            ("embedding", true, Some("inputTextTokenCount"))
        );
        assert_eq!(Family::TitanV1.reply_shape(), titan);
        let cohere = Family::CohereV4.reply_shape();
        assert_eq!(
            (cohere.vectors, cohere.single, cohere.by_type),
            ("embeddings", false, Some("float"))
        );
        assert_eq!(Family::CohereV3.reply_shape(), cohere);
        let nova = Family::NovaMultimodal.reply_shape();
        assert_eq!(
            (nova.vectors, nova.single, nova.entry, nova.tokens),
            ("embeddings", false, Some("embedding"), None)
        );
    }
}
