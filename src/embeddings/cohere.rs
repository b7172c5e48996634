//! Cohere Embed v3 and v4: up to 96 texts per request, `{"texts", "input_type", "truncate"}`
//! (v4 adds `output_dimension` and asks for `embedding_types: ["float"]`); the reply's
//! `embeddings` is a list of vectors (`embeddings_floats`) or `{"float": [...]}`
//! (`embeddings_by_type`). The body has no token count.

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{Embedded, EmbeddingSettings, Family, Purpose};
use crate::Error;

/// The most texts one request takes.
pub const MAX_TEXTS: usize = 96;
/// v4's `output_dimension`.
pub const DIMENSIONS: [u32; 4] = [256, 512, 1024, 1536];
/// v3's `truncate`.
pub const TRUNCATE_V3: [&str; 3] = ["NONE", "START", "END"];
/// v4's `truncate`.
pub const TRUNCATE_V4: [&str; 3] = ["NONE", "LEFT", "RIGHT"];

/// The body for up to [`MAX_TEXTS`] texts.
pub fn body(
    family: Family,
    texts: &[String],
    purpose: Purpose,
    settings: &EmbeddingSettings,
) -> Vec<u8> {
    let input_type = match purpose {
        Purpose::Query => "search_query",
        Purpose::Document => "search_document",
    };
    let mut body = json!({ "texts": texts, "input_type": input_type });
    if let Some(t) = &settings.truncate {
        body["truncate"] = Value::from(t.as_str());
    }
    if family == Family::CohereV4 {
        body["embedding_types"] = json!(["float"]);
        if let Some(d) = settings.dimensions {
            body["output_dimension"] = d.into();
        }
    }
    body.to_string().into_bytes()
}

#[derive(Deserialize)]
struct Reply {
    embeddings: Floats,
}

/// `embeddings` in either shape, its numbers parsed once.
struct Floats(Vec<Vec<f64>>);

impl<'de> Deserialize<'de> for Floats {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = Floats;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of vectors or {\"float\": [...]}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Floats, A::Error> {
                let mut vectors = Vec::new();
                while let Some(vector) = seq.next_element()? {
                    vectors.push(vector);
                }
                Ok(Floats(vectors))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Floats, A::Error> {
                let mut floats = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "float" => floats = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                floats
                    .map(Floats)
                    .ok_or_else(|| serde::de::Error::missing_field("float"))
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// The vectors of a reply, in the order of the texts sent.
pub fn decode(body: &[u8]) -> Result<Embedded, Error> {
    let reply: Reply = serde_json::from_slice(body).map_err(|_| {
        Error::invalid_response("Cohere embeddings reply has no float vectors in embeddings")
    })?;
    Ok(Embedded {
        vectors: reply.embeddings.0,
        input_tokens: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(family: Family, purpose: Purpose, settings: &EmbeddingSettings) -> Value {
        let texts = ["a".to_string(), "b".to_string()];
        serde_json::from_slice(&body(family, &texts, purpose, settings)).unwrap()
    }

    #[test]
    fn bodies_name_the_purpose_and_v4_asks_for_floats() {
        let plain = EmbeddingSettings::default();
        assert_eq!(
            sent(Family::CohereV3, Purpose::Document, &plain),
            json!({"texts": ["a", "b"], "input_type": "search_document"})
        );
        let set = EmbeddingSettings {
            dimensions: Some(512),
            truncate: Some("LEFT".into()),
            ..plain
        };
        assert_eq!(
            sent(Family::CohereV4, Purpose::Query, &set),
            json!({"texts": ["a", "b"], "input_type": "search_query", "truncate": "LEFT", "embedding_types": ["float"], "output_dimension": 512})
        );
    }

    #[test]
    fn replies_in_either_shape_give_the_vectors_in_order() {
        let floats = br#"{"id": "x", "embeddings": [[1, 2.5], [-0.125, 0]], "response_type": "embeddings_floats", "texts": ["a", "b"]}"#;
        let by_type = br#"{"id": "x", "embeddings": {"int8": [[1, 2]], "float": [[1, 2.5], [-0.125, 0]]}, "response_type": "embeddings_by_type"}"#;
        for reply in [&floats[..], &by_type[..]] {
            let got = decode(reply).unwrap();
            assert_eq!(got.vectors, [vec![1.0, 2.5], vec![-0.125, 0.0]]);
            assert_eq!(got.input_tokens, None);
        }
        for bad in [
            &br#"{"embeddings": {"int8": [[1]]}}"#[..],
            br#"{"embeddings": [["x"]]}"#,
            b"{}",
        ] {
            assert_eq!(decode(bad).unwrap_err().name(), "InvalidResponse");
        }
    }
}
