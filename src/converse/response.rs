//! Converse response JSON to an [`AIMessage`].

use serde_json::{Map, Value};

use super::blocks::output_block;
use super::usage::usage_metadata;
use crate::chat::output::{AIMessage, CallInfo, ResponseMetadata};
use crate::Error;

/// The reply members that go to `response_metadata`, in this order.
pub(crate) const RESPONSE_METADATA_KEYS: &[&str] = &[
    "stopReason",
    "metrics",
    "usage",
    "additionalModelResponseFields",
    "trace",
    "performanceConfig",
    "serviceTier",
];

/// Maps a Converse response body.
pub fn map_converse_response(body: &[u8], info: CallInfo) -> Result<AIMessage, Error> {
    let invalid = || {
        Error::invalid_response(
            "converse response is not a JSON object with output.message.content",
        )
    };
    // Parsed as a Value, never into a Map directly: see converse::stream::BlockEvent.
    let Ok(Value::Object(mut rest)) = serde_json::from_slice(body) else {
        return Err(invalid());
    };
    let content = match rest.remove("output") {
        Some(Value::Object(mut output)) => match output.remove("message") {
            Some(Value::Object(mut message)) => match message.remove("content") {
                Some(Value::Array(content)) => content,
                _ => return Err(invalid()),
            },
            _ => return Err(invalid()),
        },
        _ => return Err(invalid()),
    };
    let usage = rest.get("usage").map(usage_metadata);
    let mut fields = Map::new();
    for key in RESPONSE_METADATA_KEYS {
        if let Some(value) = rest.remove(*key) {
            fields.insert((*key).to_string(), value);
        }
    }
    Ok(AIMessage {
        id: info.run_id.clone(),
        blocks: content.into_iter().map(output_block).collect(),
        usage,
        response_metadata: ResponseMetadata { fields, call: info },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    fn mapped(body: &[u8]) -> Value {
        serde_json::to_value(map_converse_response(body, info()).unwrap()).unwrap()
    }

    #[test]
    fn one_text_block_gives_string_content() {
        let msg = mapped(
            br#"{"output":{"message":{"role":"assistant","content":[{"text":"J'adore la programmation."}]}},
            "stopReason":"end_turn","usage":{"inputTokens":20,"outputTokens":5,"totalTokens":25},
            "metrics":{"latencyMs":123}}"#,
        );
        assert_eq!(msg["content"], json!("J'adore la programmation."));
        assert_eq!(msg["text"], json!("J'adore la programmation."));
        assert_eq!(
            msg["contentBlocks"],
            json!([{"type": "text", "text": "J'adore la programmation."}])
        );
        assert_eq!(msg["usage_metadata"]["total_tokens"], json!(25));
        let meta = &msg["response_metadata"];
        assert_eq!(meta["stopReason"], json!("end_turn"));
        assert_eq!(meta["metrics"]["latencyMs"], json!(123));
        assert_eq!(meta["model_name"], json!("m"));
        assert_eq!(meta["ResponseMetadata"]["RequestId"], json!("req-1"));
    }

    #[test]
    fn citations_reasoning_and_tools_in_one_reply() {
        let msg = mapped(
            br#"{"output":{"message":{"role":"assistant","content":[
              {"reasoningContent":{"reasoningText":{"text":"hm","signature":"sig"}}},
              {"citationsContent":{"content":[{"text":"Blue."}],"citations":[{"title":"doc"}]}},
              {"toolUse":{"toolUseId":"t1","name":"weather","input":{"city":"Paris"}}}]}},
              "stopReason":"tool_use","usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3},
              "metrics":{"latencyMs":1},"trace":{"guardrail":{}},"additionalModelResponseFields":{"x":1}}"#,
        );
        assert_eq!(msg["text"], json!("Blue."));
        assert_eq!(msg["content"][1]["annotations"][0]["title"], json!("doc"));
        assert_eq!(
            msg["tool_calls"],
            json!([{"type": "tool_call", "id": "t1", "name": "weather", "args": {"city": "Paris"}}])
        );
        assert_eq!(msg["response_metadata"]["trace"], json!({"guardrail": {}}));
        assert_eq!(
            msg["response_metadata"]["additionalModelResponseFields"],
            json!({"x": 1})
        );
    }

    #[test]
    fn malformed_bodies_are_invalid_responses() {
        for body in [&b"not json"[..], b"[]", br#"{"output":{}}"#] {
            let err = map_converse_response(body, info()).unwrap_err();
            assert_eq!(err.name(), "InvalidResponse");
        }
    }
}
