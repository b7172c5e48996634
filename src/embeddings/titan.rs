//! Amazon Titan Text Embeddings: one text per request, `{"inputText"}` (v2 adds `dimensions`
//! and `normalize`); the reply is `{"embedding": [...], "inputTextTokenCount": n}` (v2 also
//! repeats the vector in `embeddingsByType`, which is not read).

use super::{EmbeddingSettings, ReplyShape};
use crate::invoke::json_writer::JsonWriter;

/// v2's `dimensions`.
pub const DIMENSIONS: [u32; 3] = [256, 512, 1024];

/// The body for one text.
pub fn body(text: &str, settings: &EmbeddingSettings) -> Vec<u8> {
    let mut body = JsonWriter::object(text.len() + 64, None);
    body.text("inputText", text);
    if let Some(d) = settings.dimensions {
        body.key("dimensions").value(&d);
    }
    if let Some(n) = settings.normalize {
        body.key("normalize").value(&n);
    }
    body.finish()
}

/// `embedding` is the one vector; `inputTextTokenCount` its tokens.
pub const REPLY: ReplyShape = ReplyShape {
    vectors: "embedding",
    single: true,
    by_type: None,
    entry: None,
    tokens: Some("inputTextTokenCount"),
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn bodies_carry_only_what_is_set() {
        let plain = EmbeddingSettings::default();
        assert_eq!(
            body("hi \"there\"", &plain),
            br#"{"inputText":"hi \"there\""}"#
        );
        let v2 = EmbeddingSettings {
            dimensions: Some(256),
            normalize: Some(false),
            ..plain
        };
        let sent: Value = serde_json::from_slice(&body("x", &v2)).unwrap();
        assert_eq!(
            sent,
            json!({"inputText": "x", "dimensions": 256, "normalize": false})
        );
    }
}
