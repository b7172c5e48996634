//! Bedrock `TokenUsage` to `usage_metadata`.

use serde_json::Value;

use crate::chat::usage::UsageMetadata;

/// Maps Bedrock usage. Bedrock's `inputTokens` excludes cached tokens while its `totalTokens`
/// includes them; members the model does not define (`serverToolUsage`, `…TokenCount`
/// duplicates) are ignored.
pub(crate) fn usage_metadata(usage: &Value) -> UsageMetadata {
    let count = |key: &str| usage.get(key).and_then(Value::as_u64);
    UsageMetadata::new(
        count("inputTokens").unwrap_or(0),
        count("outputTokens").unwrap_or(0),
        count("totalTokens"),
        count("cacheReadInputTokens").unwrap_or(0),
        count("cacheWriteInputTokens").unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recorded_cache_read_usage() {
        // pydantic-ai test_bedrock_cache_write_and_read, with its unmodelled members.
        let usage = usage_metadata(
            &json!({"inputTokens": 2, "outputTokens": 5, "totalTokens": 1329,
            "cacheReadInputTokens": 1322, "cacheWriteInputTokens": 0, "serverToolUsage": {},
            "cacheReadInputTokenCount": 1322}),
        );
        assert_eq!(usage, UsageMetadata::new(2, 5, Some(1329), 1322, 0));
        assert_eq!(usage.input_tokens, 1324);
    }

    #[test]
    fn missing_or_huge_counts() {
        assert_eq!(usage_metadata(&json!({})).total_tokens, 0);
        let usage = usage_metadata(&json!({"inputTokens": u64::MAX, "cacheReadInputTokens": 5}));
        assert_eq!(usage.input_tokens, u64::MAX);
    }
}
