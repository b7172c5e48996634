//! Converse response JSON to an `AIMessage` object.

use serde_json::{json, Map, Value};

use super::blocks::{standard_block, tool_call};
use super::usage::usage_metadata;
use super::CallInfo;
use crate::Error;

/// Maps a Converse response body to the `AIMessage` shape.
///
/// `content` is the text when the model returned exactly one text block, otherwise the list
/// of standard blocks; `contentBlocks` is always the list.
pub fn map_converse_response(body: &[u8], info: &CallInfo) -> Result<Value, Error> {
    let response: Value = serde_json::from_slice(body)
        .map_err(|e| Error::invalid_response(format!("converse response is not JSON: {e}")))?;
    let Some(response) = response.as_object() else {
        return Err(Error::invalid_response(
            "converse response is not an object",
        ));
    };
    let blocks = response
        .get("output")
        .and_then(|o| o.get("message"))
        .and_then(|m| m.get("content"))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::invalid_response("converse response has no output.message.content")
        })?;

    let content_blocks: Vec<Value> = blocks.iter().map(standard_block).collect();
    let text: String = content_blocks
        .iter()
        .filter(|b| b["type"] == "text")
        .filter_map(|b| b["text"].as_str())
        .collect();
    let tool_calls: Vec<Value> = content_blocks.iter().filter_map(tool_call).collect();
    let content = match content_blocks.as_slice() {
        [only] if only["type"] == "text" => Value::String(text.clone()),
        _ => Value::Array(content_blocks.clone()),
    };

    let mut message = json!({
        "type": "ai",
        "id": info.run_id,
        "content": content,
        "contentBlocks": content_blocks,
        "text": text,
        "tool_calls": tool_calls,
        "invalid_tool_calls": [],
        "response_metadata": response_metadata(response, info),
    });
    if let Some(usage) = response.get("usage") {
        message["usage_metadata"] = usage_metadata(usage);
    }
    Ok(message)
}

fn response_metadata(response: &Map<String, Value>, info: &CallInfo) -> Value {
    let mut meta = Map::new();
    for key in [
        "stopReason",
        "metrics",
        "usage",
        "additionalModelResponseFields",
        "trace",
        "performanceConfig",
        "serviceTier",
    ] {
        if let Some(value) = response.get(key) {
            meta.insert(key.into(), value.clone());
        }
    }
    meta.insert("model_name".into(), json!(info.model_name));
    meta.insert("ResponseMetadata".into(), info.response_metadata());
    Value::Object(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> CallInfo {
        CallInfo {
            run_id: "run-1".into(),
            model_name: "m".into(),
            request_id: Some("req-1".into()),
            status: 200,
            headers: vec![("x-amzn-requestid".into(), "req-1".into())],
            retry_attempts: 0,
        }
    }

    #[test]
    fn one_text_block_gives_string_content() {
        let body = br#"{"output":{"message":{"role":"assistant","content":[{"text":"J'adore la programmation."}]}},
            "stopReason":"end_turn","usage":{"inputTokens":20,"outputTokens":5,"totalTokens":25},
            "metrics":{"latencyMs":123}}"#;
        let msg = map_converse_response(body, &info()).unwrap();
        assert_eq!(msg["content"], json!("J'adore la programmation."));
        assert_eq!(msg["text"], json!("J'adore la programmation."));
        assert_eq!(
            msg["contentBlocks"],
            json!([{"type": "text", "text": "J'adore la programmation."}])
        );
        assert_eq!(msg["usage_metadata"]["total_tokens"], json!(25));
        assert_eq!(
            msg["usage_metadata"]["input_token_details"]["cache_read"],
            json!(0)
        );
        let meta = &msg["response_metadata"];
        assert_eq!(meta["stopReason"], json!("end_turn"));
        assert_eq!(meta["metrics"]["latencyMs"], json!(123));
        assert_eq!(meta["model_name"], json!("m"));
        assert_eq!(meta["ResponseMetadata"]["RequestId"], json!("req-1"));
        assert_eq!(meta["ResponseMetadata"]["HTTPStatusCode"], json!(200));
    }

    #[test]
    fn several_blocks_give_a_list_and_tool_calls() {
        let body = br#"{"output":{"message":{"role":"assistant","content":[{"text":"Let me check."},
            {"toolUse":{"toolUseId":"t1","name":"weather","input":{"city":"Paris"}}}]}},
            "stopReason":"tool_use","usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},"metrics":{"latencyMs":1}}"#;
        let msg = map_converse_response(body, &info()).unwrap();
        assert_eq!(msg["content"].as_array().unwrap().len(), 2);
        assert_eq!(
            msg["tool_calls"],
            json!([{"type": "tool_call", "id": "t1", "name": "weather", "args": {"city": "Paris"}}])
        );
    }

    #[test]
    fn malformed_bodies_are_invalid_responses() {
        for body in [&b"not json"[..], b"[]", br#"{"output":{}}"#] {
            let err = map_converse_response(body, &info()).unwrap_err();
            assert_eq!(err.name(), "InvalidResponse");
        }
    }
}
