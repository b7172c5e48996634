//! The chat output every provider's mapper builds: messages and chunks with `model_id` and
//! `stop_reason` in `response_metadata`, usage from the provider's counts or from Bedrock's
//! invocation metrics and token-count headers, and [`TextStream`], the state of a stream whose
//! events each add text (Titan, Llama, Mistral, Cohere, AI21).

use serde_json::{Map, Value};

use crate::chat::output::{AIMessage, AIMessageChunk, Block, CallInfo, ResponseMetadata};
use crate::chat::usage::UsageMetadata;
use crate::Error;

/// The key of Bedrock's metrics in the last event of an invoke stream.
pub const INVOCATION_METRICS: &str = "amazon-bedrock-invocationMetrics";

/// A plain text block.
pub fn text_block(text: String) -> Block {
    Block::Text {
        text,
        annotations: Vec::new(),
        index: None,
    }
}

/// A chunk with one block, tagged with its content index when the provider gives one.
pub fn block_chunk(info: &CallInfo, block: Block, index: Option<u32>) -> AIMessageChunk {
    AIMessageChunk {
        id: info.run_id.clone(),
        content: vec![match index {
            Some(i) => block.at(i),
            None => block,
        }],
        ..Default::default()
    }
}

/// Sets `key` in `fields` (one copy of the key's allocation, the insert and the drop of what it
/// replaces, for every mapper).
pub fn put(fields: &mut Map<String, Value>, key: &str, value: Value) {
    fields.insert(key.into(), value);
}

/// Sets `key` in `fields` to `value` when it is set and not JSON `null`; whether it did.
pub fn put_set(fields: &mut Map<String, Value>, key: &str, value: Option<Value>) -> bool {
    match value.filter(|v| !v.is_null()) {
        Some(value) => {
            put(fields, key, value);
            true
        }
        None => false,
    }
}

/// The string member `key` of `value`, copied (`None` when absent or not a string).
pub fn string_at(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Moves the members of `from` named by `keys` that are present (null ones too) into `to`.
pub fn move_members(from: &mut Map<String, Value>, keys: &[&str], to: &mut Map<String, Value>) {
    for &key in keys {
        if let Some(value) = from.remove(key) {
            put(to, key, value);
        }
    }
}

/// `response_metadata` of an invoke call: the provider's members, then `model_id`.
fn metadata(info: &CallInfo, mut fields: Map<String, Value>) -> ResponseMetadata {
    put(
        &mut fields,
        "model_id",
        Value::String(info.model_name.clone()),
    );
    ResponseMetadata {
        fields,
        call: info.clone(),
    }
}

/// The reply of an InvokeModel call. `fields` are the provider's members (`stop_reason` among
/// them); usage falls back to the token-count headers.
pub fn message(
    info: CallInfo,
    blocks: Vec<Block>,
    fields: Map<String, Value>,
    usage: Option<UsageMetadata>,
) -> AIMessage {
    let usage = usage.or_else(|| header_usage(&info));
    AIMessage {
        id: info.run_id.clone(),
        blocks,
        usage,
        response_metadata: metadata(&info, fields),
    }
}

/// The last chunk of a stream: `content` (often empty), usage and `response_metadata`.
pub fn final_chunk(
    info: &CallInfo,
    content: Vec<Block>,
    fields: Map<String, Value>,
    usage: Option<UsageMetadata>,
) -> AIMessageChunk {
    AIMessageChunk {
        id: info.run_id.clone(),
        content,
        usage,
        response_metadata: Some(metadata(info, fields)),
    }
}

/// Usage from `amazon-bedrock-invocationMetrics` (`inputTokenCount`, `outputTokenCount`, and
/// the cache counts when present; Bedrock's input count excludes the cached tokens).
pub fn metrics_usage(metrics: &Value) -> Option<UsageMetadata> {
    let count = |key: &str| metrics.get(key).and_then(Value::as_u64);
    Some(UsageMetadata::new(
        count("inputTokenCount")?,
        count("outputTokenCount").unwrap_or(0),
        None,
        count("cacheReadInputTokenCount").unwrap_or(0),
        count("cacheWriteInputTokenCount").unwrap_or(0),
    ))
}

/// Usage from InvokeModel's `X-Amzn-Bedrock-*-Token-Count` response headers.
pub fn header_usage(info: &CallInfo) -> Option<UsageMetadata> {
    let count = |name: &str| {
        info.headers
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.trim().parse::<u64>().ok())
    };
    Some(UsageMetadata::new(
        count("x-amzn-bedrock-input-token-count")?,
        count("x-amzn-bedrock-output-token-count").unwrap_or(0),
        None,
        count("x-amzn-bedrock-cache-read-input-token-count").unwrap_or(0),
        count("x-amzn-bedrock-cache-write-input-token-count").unwrap_or(0),
    ))
}

/// A reply or event as a JSON object. Native shapes are read as JSON values: one shared parser
/// rather than a derived one per shape keeps the wasm small.
pub fn json_object(bytes: &[u8], what: &str) -> Result<Map<String, Value>, Error> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::invalid_response(format!(
            "{what} is not a JSON object"
        ))),
        Err(e) => Err(Error::invalid_response(format!(
            "{what} is not valid JSON: {e}"
        ))),
    }
}

/// Takes a non-null member out of an object.
pub fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.remove(key).filter(|v| !v.is_null())
}

/// Takes a string member out of an object.
pub fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// A whole-number member of an object.
pub fn count(map: &Map<String, Value>, key: &str) -> Option<u64> {
    map.get(key).and_then(Value::as_u64)
}

/// What one event of a text stream carries, as its provider reads it.
#[derive(Debug, Default)]
pub struct TextPiece {
    /// The text it adds (may be empty).
    pub text: String,
    /// The stop reason, on the last event.
    pub stop_reason: Option<Value>,
    /// The provider's own usage, when it reports one.
    pub usage: Option<UsageMetadata>,
    /// `amazon-bedrock-invocationMetrics`, on the last event.
    pub metrics: Option<Value>,
    /// Other members for `response_metadata` (ids, the provider's counts).
    pub fields: Map<String, Value>,
    /// Blocks that follow the text (tool-call pieces).
    pub blocks: Vec<Block>,
}

/// The state of a text stream: members gathered for `response_metadata`, and whether the final
/// chunk went out. The event with the invocation metrics is the last; a stream that ends after
/// a stop reason without them still ends cleanly, one that ends before either is incomplete.
#[derive(Debug, Default)]
pub struct TextStream {
    fields: Map<String, Value>,
    usage: Option<UsageMetadata>,
    stopped: bool,
    done: bool,
}

impl TextStream {
    /// The chunk for one event: its text, and on the last event also usage and metadata.
    pub fn piece(&mut self, info: &CallInfo, piece: TextPiece) -> Option<AIMessageChunk> {
        if self.done {
            return None;
        }
        self.fields.extend(piece.fields);
        if put_set(&mut self.fields, "stop_reason", piece.stop_reason) {
            self.stopped = true;
        }
        self.usage = piece.usage.or(self.usage);
        let mut content: Vec<Block> = if piece.text.is_empty() {
            Vec::new()
        } else {
            vec![text_block(piece.text).at(0)]
        };
        content.extend(piece.blocks);
        match piece.metrics {
            Some(metrics) => {
                let usage = self.usage.or_else(|| metrics_usage(&metrics));
                put(&mut self.fields, INVOCATION_METRICS, metrics);
                Some(self.final_with(info, content, usage))
            }
            None if content.is_empty() => None,
            None => Some(AIMessageChunk {
                id: info.run_id.clone(),
                content,
                ..Default::default()
            }),
        }
    }

    /// The end of the body: the final chunk when the metrics never came but a stop reason
    /// did; an `IncompleteStream` error when neither did.
    pub fn finish(&mut self, info: &CallInfo) -> Result<Option<AIMessageChunk>, Error> {
        match (self.done, self.stopped) {
            (true, _) => Ok(None),
            (false, true) => {
                let usage = self.usage;
                Ok(Some(self.final_with(info, Vec::new(), usage)))
            }
            (false, false) => Err(Error::incomplete_stream(
                "the stream ended before its stop reason",
            )),
        }
    }

    fn final_with(
        &mut self,
        info: &CallInfo,
        content: Vec<Block>,
        usage: Option<UsageMetadata>,
    ) -> AIMessageChunk {
        self.done = true;
        final_chunk(info, content, std::mem::take(&mut self.fields), usage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn info() -> CallInfo {
        CallInfo {
            run_id: "run-t".into(),
            model_name: "meta.llama3-8b-instruct-v1:0".into(),
            headers: vec![
                ("x-amzn-bedrock-input-token-count".into(), "6".into()),
                ("x-amzn-bedrock-output-token-count".into(), "18".into()),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn string_at_copies_string_members_only() {
        let value = json!({"a": "x", "b": 1, "c": null});
        assert_eq!(string_at(&value, "a").as_deref(), Some("x"));
        for key in ["b", "c", "d"] {
            assert_eq!(string_at(&value, key), None, "{key}");
        }
        assert_eq!(string_at(&json!("a"), "a"), None);
    }

    #[test]
    fn move_members_moves_the_named_present_ones_in_key_order() {
        let Value::Object(mut from) = json!({"b": 2, "a": null, "z": 3, "c": 4}) else {
            unreachable!()
        };
        let mut to = Map::new();
        put(&mut to, "c", json!(0));
        move_members(&mut from, &["a", "b", "c", "missing"], &mut to);
        assert_eq!(Value::Object(to).to_string(), r#"{"c":4,"a":null,"b":2}"#);
        assert_eq!(Value::Object(from).to_string(), r#"{"z":3}"#);
    }

    #[test]
    fn put_set_skips_absent_and_null_values() {
        let mut fields = Map::new();
        assert!(!put_set(&mut fields, "a", None));
        assert!(!put_set(&mut fields, "a", Some(Value::Null)));
        assert!(put_set(&mut fields, "a", Some(json!(false))));
        assert_eq!(Value::Object(fields).to_string(), r#"{"a":false}"#);
    }

    #[test]
    fn put_adds_a_member_or_replaces_it_in_place() {
        let mut fields = Map::new();
        put(&mut fields, "a", json!(1));
        put(&mut fields, "b", json!(2));
        put(&mut fields, "a", json!(3));
        assert_eq!(Value::Object(fields).to_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn text_streams_end_at_the_metrics_with_usage_and_model_id() {
        let mut stream = TextStream::default();
        let first = stream
            .piece(
                &info(),
                TextPiece {
                    text: "Hi".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(first.text(), "Hi");
        assert!(stream.piece(&info(), TextPiece::default()).is_none());
        let last = stream
            .piece(
                &info(),
                TextPiece {
                    text: " there".into(),
                    stop_reason: Some(json!("stop")),
                    metrics: Some(json!({"inputTokenCount": 3, "outputTokenCount": 2})),
                    ..Default::default()
                },
            )
            .unwrap();
        let last = serde_json::to_value(&last).unwrap();
        assert_eq!(last["text"], json!(" there"));
        assert_eq!(last["usage_metadata"]["total_tokens"], json!(5));
        assert_eq!(last["response_metadata"]["stop_reason"], json!("stop"));
        assert_eq!(
            last["response_metadata"]["model_id"],
            json!("meta.llama3-8b-instruct-v1:0")
        );
        assert_eq!(stream.finish(&info()).unwrap(), None);
        let mut cut = TextStream::default();
        cut.piece(
            &info(),
            TextPiece {
                text: "Hi".into(),
                ..Default::default()
            },
        );
        assert_eq!(cut.finish(&info()).unwrap_err().name(), "IncompleteStream");
    }

    #[test]
    fn replies_fall_back_to_the_token_count_headers() {
        let reply = message(info(), vec![text_block("Hi".into())], Map::new(), None);
        assert_eq!(reply.usage.unwrap().total_tokens, 24);
        assert_eq!(
            reply.response_metadata.fields["model_id"],
            json!("meta.llama3-8b-instruct-v1:0")
        );
    }
}
