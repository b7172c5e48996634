//! Amazon Titan Text Embeddings: one text per request, `{"inputText"}` (v2 adds `dimensions`
//! and `normalize`); the reply is `{"embedding": [...], "inputTextTokenCount": n}` (v2 also
//! repeats the vector in `embeddingsByType`, which is skipped unread).

use serde::Deserialize;
use serde_json::{json, Value};

use super::{Embedded, EmbeddingSettings};
use crate::Error;

/// v2's `dimensions`.
pub const DIMENSIONS: [u32; 3] = [256, 512, 1024];

/// The body for one text.
pub fn body(text: &str, settings: &EmbeddingSettings) -> Vec<u8> {
    let mut body = json!({ "inputText": text });
    if let Some(d) = settings.dimensions {
        body["dimensions"] = d.into();
    }
    if let Some(n) = settings.normalize {
        body["normalize"] = Value::Bool(n);
    }
    body.to_string().into_bytes()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reply {
    embedding: Vec<f64>,
    input_text_token_count: Option<u64>,
}

/// The one vector of a reply, and its `inputTextTokenCount`.
pub fn decode(body: &[u8]) -> Result<Embedded, Error> {
    let reply: Reply = serde_json::from_slice(body).map_err(|_| {
        Error::invalid_response("Titan embeddings reply has no array of numbers in embedding")
    })?;
    Ok(Embedded {
        vectors: vec![reply.embedding],
        input_tokens: reply.input_text_token_count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn replies_give_the_vector_and_the_token_count() {
        let reply = br#"{"embedding": [0.25, -1.5e-3, 3], "inputTextTokenCount": 7, "embeddingsByType": {"float": [0.25, -1.5e-3, 3]}}"#;
        let got = decode(reply).unwrap();
        assert_eq!(got.vectors, [vec![0.25, -0.0015, 3.0]]);
        assert_eq!(got.input_tokens, Some(7));
        for bad in [&br#"{"embedding": ["x"]}"#[..], b"{}", b"[1]", b"nope"] {
            assert_eq!(decode(bad).unwrap_err().name(), "InvalidResponse");
        }
    }
}
