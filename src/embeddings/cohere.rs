//! Cohere Embed v3 and v4: up to 96 texts per request, `{"texts", "input_type", "truncate"}`
//! (v4 adds `output_dimension` and asks for `embedding_types: ["float"]`); the reply's
//! `embeddings` is a list of vectors (`embeddings_floats`) or `{"float": [...]}`
//! (`embeddings_by_type`). The body has no token count (the response header has).

use super::{EmbeddingSettings, Family, Purpose, ReplyShape};
use crate::invoke::json_writer::JsonWriter;

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
    let capacity = texts.iter().map(|t| t.len() + 8).sum::<usize>() + 128;
    let mut body = JsonWriter::object(capacity, None);
    body.key("texts")
        .value(texts)
        .text("input_type", input_type);
    if let Some(t) = &settings.truncate {
        body.text("truncate", t);
    }
    if family == Family::CohereV4 {
        body.key("embedding_types")
            .open_list()
            .str("float")
            .close_list();
        if let Some(d) = settings.dimensions {
            body.key("output_dimension").value(&d);
        }
    }
    body.finish()
}

/// `embeddings` lists the vectors, or holds them in `float`.
pub const REPLY: ReplyShape = ReplyShape {
    vectors: "embeddings",
    single: false,
    by_type: Some("float"),
    entry: None,
    tokens: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

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
}
