//! Bedrock content blocks to LangChain v1 standard content blocks.

use serde_json::{json, Map, Value};

/// Maps one Converse response content block to a standard block.
///
/// `text` → `{type:"text"}`, `toolUse` → `{type:"tool_call"}`, `reasoningContent` →
/// `{type:"reasoning"}` (signature and redacted content in `extras`); anything else is kept
/// whole as `{type:"non_standard", value}`.
pub(crate) fn standard_block(block: &Value) -> Value {
    if let Some(text) = block.get("text").and_then(Value::as_str) {
        return json!({ "type": "text", "text": text });
    }
    if let Some(tool_use) = block.get("toolUse") {
        return json!({
            "type": "tool_call",
            "id": tool_use.get("toolUseId").cloned().unwrap_or(Value::Null),
            "name": tool_use.get("name").cloned().unwrap_or(Value::Null),
            "args": tool_use.get("input").cloned().unwrap_or_else(|| json!({})),
        });
    }
    if let Some(reasoning) = block.get("reasoningContent") {
        if let Some(text) = reasoning.get("reasoningText") {
            let mut out = json!({
                "type": "reasoning",
                "reasoning": text.get("text").cloned().unwrap_or_else(|| json!("")),
            });
            if let Some(signature) = text.get("signature") {
                out["extras"] = json!({ "signature": signature });
            }
            return out;
        }
        if let Some(redacted) = reasoning.get("redactedContent") {
            return json!({
                "type": "reasoning",
                "reasoning": "",
                "extras": { "redactedContent": redacted },
            });
        }
    }
    non_standard(block.clone())
}

/// Wraps an unrecognised value so that callers see it instead of losing it.
pub(crate) fn non_standard(value: Value) -> Value {
    json!({ "type": "non_standard", "value": value })
}

/// Drops Bedrock's random-length padding member `p` from an event payload.
pub(crate) fn without_padding(mut payload: Map<String, Value>) -> Map<String, Value> {
    payload.remove("p");
    payload
}

/// The `tool_calls` entry for a standard `tool_call` block.
pub(crate) fn tool_call(block: &Value) -> Option<Value> {
    (block.get("type")? == "tool_call").then(|| {
        json!({
            "type": "tool_call",
            "id": block["id"],
            "name": block["name"],
            "args": block["args"],
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_blocks_map_to_standard_blocks() {
        assert_eq!(
            standard_block(&json!({"text": "hi"})),
            json!({"type": "text", "text": "hi"})
        );
        assert_eq!(
            standard_block(&json!({"toolUse": {"toolUseId": "t", "name": "w", "input": {"a": 1}}})),
            json!({"type": "tool_call", "id": "t", "name": "w", "args": {"a": 1}})
        );
        assert_eq!(
            standard_block(
                &json!({"reasoningContent": {"reasoningText": {"text": "hm", "signature": "sig"}}})
            ),
            json!({"type": "reasoning", "reasoning": "hm", "extras": {"signature": "sig"}})
        );
        assert_eq!(
            standard_block(&json!({"image": {"format": "png"}})),
            json!({"type": "non_standard", "value": {"image": {"format": "png"}}})
        );
    }

    #[test]
    fn padding_is_dropped() {
        let map = json!({"p": "abc", "x": 1}).as_object().unwrap().clone();
        assert_eq!(Value::Object(without_padding(map)), json!({"x": 1}));
    }
}
