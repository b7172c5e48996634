//! Converse reply content blocks and citations to standard blocks. Stream deltas map their
//! pieces through the same functions, so a block kind is read in one place.

use serde_json::Value;

use crate::chat::output::{Block, Citation, ReasoningExtras};

/// A Bedrock `Citation` as a citation annotation: title, source, the web URL for web
/// locations, the cited text (its `sourceContent` joined), and the location as Bedrock gave it.
pub(crate) fn citation(value: Value) -> Citation {
    let Value::Object(mut map) = value else {
        return Citation::default();
    };
    let mut take = |key: &str| match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let (title, source) = (take("title"), take("source"));
    let location = map.remove("location");
    let url = location
        .as_ref()
        .and_then(|l| l.get("web"))
        .and_then(|w| w.get("url"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let cited = texts(map.get("sourceContent"));
    Citation {
        title,
        source,
        url,
        cited_text: (!cited.is_empty()).then_some(cited),
        location,
    }
}

/// The `text` members of a list of `{text}` parts, joined.
fn texts(parts: Option<&Value>) -> String {
    parts
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// Reasoning text, its signature, or redacted reasoning, as a reasoning block.
pub(crate) fn reasoning(
    text: Option<String>,
    signature: Option<String>,
    redacted_content: Option<String>,
) -> Block {
    Block::Reasoning {
        reasoning: text.unwrap_or_default(),
        extras: ReasoningExtras {
            signature,
            redacted_content,
        },
        index: None,
    }
}

/// Maps one reply content block. `citationsContent` becomes one text block with its
/// citations as annotations, so the answer text is never lost; unknown blocks (and tool uses
/// the service ran itself) are kept as `non_standard`.
pub(crate) fn output_block(block: Value) -> Block {
    let Value::Object(mut map) = block else {
        return Block::NonStandard {
            value: block,
            index: None,
        };
    };
    if map.len() == 1 {
        if let Some(Value::String(text)) = map.get_mut("text") {
            return Block::Text {
                text: std::mem::take(text),
                annotations: Vec::new(),
                index: None,
            };
        }
        if let Some(Value::Object(tool_use)) = map.get_mut("toolUse") {
            if tool_use.get("type").and_then(Value::as_str) != Some("server_tool_use") {
                let mut take = |key: &str| tool_use.remove(key);
                let id = take("toolUseId").and_then(into_string);
                let name = take("name").and_then(into_string);
                let input = take("input").unwrap_or(Value::Null);
                return Block::tool_call(id, name, input);
            }
        }
        if let Some(Value::Object(content)) = map.get("reasoningContent") {
            let text = content.get("reasoningText");
            let field = |v: Option<&Value>, key: &str| {
                v.and_then(|v| v.get(key))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            if text.is_some() || content.contains_key("redactedContent") {
                return reasoning(
                    field(text, "text"),
                    field(text, "signature"),
                    content
                        .get("redactedContent")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                );
            }
        }
        if let Some(Value::Object(cited)) = map.get_mut("citationsContent") {
            let annotations = match cited.remove("citations") {
                Some(Value::Array(items)) => items.into_iter().map(citation).collect(),
                _ => Vec::new(),
            };
            return Block::Text {
                text: texts(cited.get("content")),
                annotations,
                index: None,
            };
        }
    }
    Block::NonStandard {
        value: Value::Object(map),
        index: None,
    }
}

fn into_string(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mapped(block: Value) -> Value {
        serde_json::to_value(output_block(block)).unwrap()
    }

    #[test]
    fn known_blocks_map_to_standard_blocks() {
        assert_eq!(
            mapped(json!({"text": "hi"})),
            json!({"type": "text", "text": "hi"})
        );
        assert_eq!(
            mapped(json!({"toolUse": {"toolUseId": "t", "name": "w", "input": {"a": 1}}})),
            json!({"type": "tool_call", "id": "t", "name": "w", "args": {"a": 1}})
        );
        assert_eq!(
            mapped(
                json!({"reasoningContent": {"reasoningText": {"text": "hm", "signature": "sig"}}})
            ),
            json!({"type": "reasoning", "reasoning": "hm", "extras": {"signature": "sig"}})
        );
        assert_eq!(
            mapped(json!({"reasoningContent": {"redactedContent": "AAAA"}})),
            json!({"type": "reasoning", "reasoning": "", "extras": {"redactedContent": "AAAA"}})
        );
        assert_eq!(
            mapped(json!({"image": {"format": "png"}})),
            json!({"type": "non_standard", "value": {"image": {"format": "png"}}})
        );
        let server = json!({"toolUse": {"toolUseId": "t", "name": "nova_code_interpreter",
                                        "input": {}, "type": "server_tool_use"}});
        assert_eq!(
            mapped(server.clone()),
            json!({"type": "non_standard", "value": server})
        );
    }

    #[test]
    fn citations_content_keeps_text_and_sources() {
        // Shaped like vercel-ai's amazon-bedrock document-citations fixture.
        let got = mapped(json!({"citationsContent": {
            "content": [{"text": "The sky is blue."}],
            "citations": [{"title": "facts", "sourceContent": [{"text": "The sky is blue."}],
                           "location": {"documentChar": {"documentIndex": 0, "start": 0, "end": 16}}},
                          {"location": {"web": {"url": "https://example.com", "domain": "example.com"}}}]}}));
        assert_eq!(
            got,
            json!({"type": "text", "text": "The sky is blue.", "annotations": [
                {"type": "citation", "title": "facts", "citedText": "The sky is blue.",
                 "location": {"documentChar": {"documentIndex": 0, "start": 0, "end": 16}}},
                {"type": "citation", "url": "https://example.com",
                 "location": {"web": {"url": "https://example.com", "domain": "example.com"}}},
            ]})
        );
    }
}
