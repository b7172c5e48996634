//! Bedrock `TokenUsage` to LangChain `usage_metadata`.

use serde_json::{json, Value};

/// Maps Bedrock usage to `usage_metadata`.
///
/// Bedrock's `inputTokens` excludes cached tokens while its `totalTokens` includes them; in
/// LangChain `input_tokens` counts every input token and `input_token_details` breaks it down,
/// so cache reads and writes are added to `input_tokens`.
pub(crate) fn usage_metadata(usage: &Value) -> Value {
    let count = |key: &str| usage.get(key).and_then(Value::as_u64).unwrap_or(0);
    let cache_read = count("cacheReadInputTokens");
    let cache_creation = count("cacheWriteInputTokens");
    let input = count("inputTokens") + cache_read + cache_creation;
    let output = count("outputTokens");
    let total = usage
        .get("totalTokens")
        .and_then(Value::as_u64)
        .unwrap_or(input + output);
    json!({
        "input_tokens": input,
        "output_tokens": output,
        "total_tokens": total,
        "input_token_details": { "cache_read": cache_read, "cache_creation": cache_creation },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_tokens_count_as_input() {
        // From a real cache-read response (pydantic-ai test_bedrock_cache_write_and_read).
        let usage = json!({"inputTokens": 2, "outputTokens": 5, "totalTokens": 1329,
                           "cacheReadInputTokens": 1322, "cacheWriteInputTokens": 0,
                           "serverToolUsage": {}});
        assert_eq!(
            usage_metadata(&usage),
            json!({"input_tokens": 1324, "output_tokens": 5, "total_tokens": 1329,
                   "input_token_details": {"cache_read": 1322, "cache_creation": 0}})
        );
    }

    #[test]
    fn missing_counts_are_zero() {
        assert_eq!(usage_metadata(&json!({}))["total_tokens"], json!(0));
    }
}
