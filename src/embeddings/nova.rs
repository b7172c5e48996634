//! Amazon Nova Multimodal Embeddings (`amazon.nova-2-multimodal-embeddings-v1:0`), its text part:
//! one text per request, `{"taskType": "SINGLE_EMBEDDING", "singleEmbeddingParams":
//! {"embeddingPurpose", "embeddingDimension", "text": {"truncationMode", "value"}}}`; the reply
//! is `{"embeddings": [{"embeddingType": "TEXT", "embedding": [...]}]}`, without a token count
//! (the response header has it). Shapes from the Amazon Nova user guide ("Complete embeddings
//! request and response schema") and the AWS News Blog post of 28 October 2025.

use super::{EmbeddingSettings, Purpose, ReplyShape};
use crate::invoke::json_writer::JsonWriter;

/// `embeddingDimension`.
pub const DIMENSIONS: [u32; 4] = [256, 384, 1024, 3072];
/// `truncationMode`.
pub const TRUNCATE: [&str; 3] = ["START", "END", "NONE"];
/// `truncationMode` when the `truncate` option is not set: the AWS examples' choice.
const DEFAULT_TRUNCATE: &str = "END";

/// The body for one text: indexed as a document (`GENERIC_INDEX`) or, for a query,
/// `GENERIC_RETRIEVAL`.
pub fn body(text: &str, purpose: Purpose, settings: &EmbeddingSettings) -> Vec<u8> {
    let purpose = match purpose {
        Purpose::Query => "GENERIC_RETRIEVAL",
        Purpose::Document => "GENERIC_INDEX",
    };
    let truncate = settings.truncate.as_deref().unwrap_or(DEFAULT_TRUNCATE);
    let mut body = JsonWriter::object(text.len() + 192, None);
    body.text("taskType", "SINGLE_EMBEDDING")
        .key("singleEmbeddingParams")
        .open()
        .text("embeddingPurpose", purpose)
        .key("text")
        .open()
        .text("truncationMode", truncate)
        .text("value", text)
        .close();
    if let Some(d) = settings.dimensions {
        body.key("embeddingDimension").value(&d);
    }
    body.close();
    body.finish()
}

/// `embeddings` lists one entry per input, its vector in `embedding`.
pub const REPLY: ReplyShape = ReplyShape {
    vectors: "embeddings",
    single: false,
    by_type: None,
    entry: Some("embedding"),
    tokens: None,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent(purpose: Purpose, settings: &EmbeddingSettings) -> serde_json::Value {
        serde_json::from_slice(&body("a \"b\"", purpose, settings)).unwrap()
    }

    #[test]
    fn documents_are_indexed_and_queries_retrieve() {
        let plain = EmbeddingSettings::default();
        assert_eq!(
            sent(Purpose::Document, &plain),
            json!({"taskType": "SINGLE_EMBEDDING", "singleEmbeddingParams": {
                "embeddingPurpose": "GENERIC_INDEX",
                "text": {"truncationMode": "END", "value": "a \"b\""}}})
        );
        let set = EmbeddingSettings {
            dimensions: Some(384),
            truncate: Some("NONE".into()),
            ..plain
        };
        assert_eq!(
            sent(Purpose::Query, &set),
            json!({"taskType": "SINGLE_EMBEDDING", "singleEmbeddingParams": {
                "embeddingPurpose": "GENERIC_RETRIEVAL", "embeddingDimension": 384,
                "text": {"truncationMode": "NONE", "value": "a \"b\""}}})
        );
    }
}
