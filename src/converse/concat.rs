//! Merging `AIMessageChunk`s, as LangChain's `concat` does.
//!
//! Content items with the same `index` and `type` merge (text and reasoning append, tool-call
//! argument fragments append, ids and signatures fill in); `usage_metadata` counts add up and
//! `response_metadata` members overlay. The result also carries `contentBlocks`,
//! `tool_calls` and `invalid_tool_calls` derived from the merged content, so a folded stream
//! compares equal to what `invoke` returns.

use serde_json::{json, Map, Value};

/// Merges chunk `b` into chunk `a`. Either may also be an `AIMessage` (string content).
pub fn concat(a: Value, b: Value) -> Value {
    let (Value::Object(mut a), Value::Object(mut b)) = (a, b) else {
        return Value::Null;
    };
    let mut content = content_items(a.remove("content"));
    for item in content_items(b.remove("content")) {
        merge_item(&mut content, item);
    }
    let mut tool_call_chunks = array(a.remove("tool_call_chunks"));
    for item in array(b.remove("tool_call_chunks")) {
        merge_item(&mut tool_call_chunks, item);
    }
    let text = format!("{}{}", str_of(&a, "text"), str_of(&b, "text"));
    let id = match a.get("id") {
        Some(Value::String(id)) if !id.is_empty() => Value::String(id.clone()),
        _ => b.get("id").cloned().unwrap_or(Value::Null),
    };
    let (tool_calls, invalid_tool_calls) = parse_tool_calls(&tool_call_chunks);

    let mut out = Map::new();
    out.insert("type".into(), json!("AIMessageChunk"));
    out.insert("id".into(), id);
    out.insert(
        "contentBlocks".into(),
        Value::Array(content.iter().map(standard_of).collect()),
    );
    out.insert("content".into(), Value::Array(content));
    out.insert("text".into(), Value::String(text));
    out.insert("tool_call_chunks".into(), Value::Array(tool_call_chunks));
    out.insert("tool_calls".into(), Value::Array(tool_calls));
    out.insert(
        "invalid_tool_calls".into(),
        Value::Array(invalid_tool_calls),
    );
    if let Some(usage) = merge_optional(
        a.remove("usage_metadata"),
        b.remove("usage_metadata"),
        add_counts,
    ) {
        out.insert("usage_metadata".into(), usage);
    }
    if let Some(meta) = merge_optional(
        a.remove("response_metadata"),
        b.remove("response_metadata"),
        overlay,
    ) {
        out.insert("response_metadata".into(), meta);
    }
    Value::Object(out)
}

fn content_items(content: Option<Value>) -> Vec<Value> {
    match content {
        Some(Value::Array(items)) => items,
        Some(Value::String(text)) if !text.is_empty() => {
            vec![json!({ "type": "text", "text": text })]
        }
        _ => Vec::new(),
    }
}

fn array(value: Option<Value>) -> Vec<Value> {
    match value {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    }
}

fn str_of<'a>(obj: &'a Map<String, Value>, key: &str) -> &'a str {
    obj.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Merges `item` into the item of `list` with the same index and type, or appends it.
fn merge_item(list: &mut Vec<Value>, item: Value) {
    let kind = item.get("type").and_then(Value::as_str);
    let mergeable = matches!(kind, Some("text" | "reasoning" | "tool_call_chunk"));
    let target = match (mergeable, item.get("index")) {
        (true, Some(index)) => list.iter_mut().rev().find(|e| {
            e.get("index") == Some(index) && e.get("type").and_then(Value::as_str) == kind
        }),
        _ => None,
    };
    let (Some(Value::Object(target)), Value::Object(item)) = (target, &item) else {
        list.push(item);
        return;
    };
    for (key, value) in item {
        match (key.as_str(), target.get_mut(key), value) {
            ("text" | "reasoning" | "args", Some(Value::String(have)), Value::String(more)) => {
                have.push_str(more)
            }
            ("extras", Some(Value::Object(have)), Value::Object(more)) => {
                have.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())))
            }
            (_, Some(have), value) if have.is_null() => *have = value.clone(),
            (_, None, value) => {
                target.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
}

/// A merged content item as a standard content block (no `index`; tool-call chunks parsed).
fn standard_of(item: &Value) -> Value {
    let mut block = item.clone();
    if let Value::Object(map) = &mut block {
        map.remove("index");
        if map.get("type").and_then(Value::as_str) == Some("tool_call_chunk") {
            return match parse_args(map.get("args")) {
                Ok(args) => {
                    json!({ "type": "tool_call", "id": map.get("id"), "name": map.get("name"), "args": args })
                }
                Err(error) => {
                    json!({ "type": "invalid_tool_call", "id": map.get("id"), "name": map.get("name"),
                                      "args": map.get("args"), "error": error })
                }
            };
        }
    }
    block
}

fn parse_tool_calls(chunks: &[Value]) -> (Vec<Value>, Vec<Value>) {
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for chunk in chunks {
        let (id, name) = (chunk.get("id"), chunk.get("name"));
        match parse_args(chunk.get("args")) {
            Ok(args) => {
                valid.push(json!({ "type": "tool_call", "id": id, "name": name, "args": args }))
            }
            Err(error) => invalid
                .push(json!({ "type": "invalid_tool_call", "id": id, "name": name,
                                               "args": chunk.get("args"), "error": error })),
        }
    }
    (valid, invalid)
}

/// Streamed tool input is a JSON text; Bedrock sends `""` for a tool without arguments.
fn parse_args(args: Option<&Value>) -> Result<Value, String> {
    match args {
        None | Some(Value::Null) => Ok(json!({})),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(json!({})),
        Some(Value::String(s)) => {
            serde_json::from_str(s).map_err(|e| format!("arguments are not JSON: {e}"))
        }
        Some(other) => Ok(other.clone()),
    }
}

fn merge_optional(
    a: Option<Value>,
    b: Option<Value>,
    merge: fn(Value, Value) -> Value,
) -> Option<Value> {
    match (a, b) {
        (Some(a), Some(b)) => Some(merge(a, b)),
        (a, b) => a.or(b),
    }
}

/// Adds numeric members recursively (`usage_metadata`).
fn add_counts(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            for (key, value) in b {
                let merged = match a.remove(&key) {
                    Some(have) => add_counts(have, value),
                    None => value,
                };
                a.insert(key, merged);
            }
            Value::Object(a)
        }
        (Value::Number(x), Value::Number(y)) => match (x.as_u64(), y.as_u64()) {
            (Some(x), Some(y)) => json!(x + y),
            _ => json!(x.as_f64().unwrap_or(0.0) + y.as_f64().unwrap_or(0.0)),
        },
        (_, b) => b,
    }
}

/// Later members win (`response_metadata`).
fn overlay(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            a.extend(b);
            Value::Object(a)
        }
        (_, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_chunk(text: &str, index: u64) -> Value {
        json!({"type": "AIMessageChunk", "id": "run-1", "content": [{"type": "text", "text": text, "index": index}],
               "text": text, "tool_call_chunks": []})
    }

    #[test]
    fn text_chunks_fold_into_one_block() {
        let folded = ["J", "'adore", " la", " programmation", "."]
            .iter()
            .map(|t| text_chunk(t, 0))
            .reduce(concat)
            .unwrap();
        assert_eq!(folded["text"], json!("J'adore la programmation."));
        assert_eq!(
            folded["content"],
            json!([{"type": "text", "text": "J'adore la programmation.", "index": 0}])
        );
        assert_eq!(
            folded["contentBlocks"],
            json!([{"type": "text", "text": "J'adore la programmation."}])
        );
        assert_eq!(folded["id"], json!("run-1"));
    }

    #[test]
    fn usage_adds_and_metadata_overlays() {
        let a = json!({"type": "AIMessageChunk", "content": [], "text": "",
                       "usage_metadata": {"input_tokens": 1, "output_tokens": 2, "total_tokens": 3,
                                          "input_token_details": {"cache_read": 0, "cache_creation": 1}},
                       "response_metadata": {"stopReason": "end_turn"}});
        let b = json!({"type": "AIMessageChunk", "content": [], "text": "",
                       "usage_metadata": {"input_tokens": 1, "output_tokens": 0, "total_tokens": 1,
                                          "input_token_details": {"cache_read": 1, "cache_creation": 0}},
                       "response_metadata": {"metrics": {"latencyMs": 5}}});
        let c = concat(a, b);
        assert_eq!(c["usage_metadata"]["total_tokens"], json!(4));
        assert_eq!(
            c["usage_metadata"]["input_token_details"],
            json!({"cache_read": 1, "cache_creation": 1})
        );
        assert_eq!(
            c["response_metadata"],
            json!({"stopReason": "end_turn", "metrics": {"latencyMs": 5}})
        );
    }

    #[test]
    fn tool_call_chunks_merge_by_index_and_parse() {
        let start = json!({"content": [{"type": "tool_call_chunk", "id": "t1", "name": "w", "args": "", "index": 1}],
                           "tool_call_chunks": [{"type": "tool_call_chunk", "id": "t1", "name": "w", "args": "", "index": 1}]});
        let part = |s: &str| {
            json!({"content": [{"type": "tool_call_chunk", "args": s, "index": 1}],
                                    "tool_call_chunks": [{"type": "tool_call_chunk", "args": s, "index": 1}]})
        };
        let folded = [start, part("{\"city\":"), part("\"Paris\"}")]
            .into_iter()
            .reduce(concat)
            .unwrap();
        assert_eq!(
            folded["tool_calls"],
            json!([{"type": "tool_call", "id": "t1", "name": "w", "args": {"city": "Paris"}}])
        );
        assert_eq!(
            folded["contentBlocks"],
            json!([{"type": "tool_call", "id": "t1", "name": "w", "args": {"city": "Paris"}}])
        );
        let broken = concat(part("{\"a\""), part(""));
        assert_eq!(broken["invalid_tool_calls"][0]["args"], json!("{\"a\""));
    }

    #[test]
    fn reasoning_text_and_signature_merge() {
        let a = json!({"content": [{"type": "reasoning", "reasoning": "hm", "index": 0}]});
        let b = json!({"content": [{"type": "reasoning", "reasoning": "", "extras": {"signature": "s"}, "index": 0}]});
        let c = concat(a, b);
        assert_eq!(
            c["contentBlocks"],
            json!([{"type": "reasoning", "reasoning": "hm", "extras": {"signature": "s"}}])
        );
    }

    #[test]
    fn a_message_with_string_content_concats() {
        let msg = json!({"type": "ai", "id": "run-2", "content": "Hello", "text": "Hello"});
        let c = concat(msg, text_chunk(" world", 0));
        assert_eq!(c["text"], json!("Hello world"));
        assert_eq!(c["content"].as_array().unwrap().len(), 2);
    }
}
