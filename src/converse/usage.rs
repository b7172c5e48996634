//! Bedrock `TokenUsage` to `usage_metadata`.

use serde_json::Value;

use crate::chat::usage::UsageMetadata;

/// Maps Bedrock usage. Bedrock's `inputTokens` excludes cached tokens while its `totalTokens`
/// includes them. The cache counts are read from `cacheRead/WriteInputTokens`, else from the
/// `…TokenCount` members that Converse sends as duplicates and Nova's InvokeModel replies and
/// stream metadata send alone; other undefined members (`serverToolUsage`) are ignored.
pub(crate) fn usage_metadata(usage: &Value) -> UsageMetadata {
    let count = |key: &str| usage.get(key).and_then(Value::as_u64);
    let cache = |key: &str, alias: &str| count(key).or_else(|| count(alias)).unwrap_or(0);
    UsageMetadata::new(
        count("inputTokens").unwrap_or(0),
        count("outputTokens").unwrap_or(0),
        count("totalTokens"),
        cache("cacheReadInputTokens", "cacheReadInputTokenCount"),
        cache("cacheWriteInputTokens", "cacheWriteInputTokenCount"),
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
    fn nova_cache_counts() {
        // TestNovaInvokeModel's usage, with cache counts added: only the `…TokenCount` members.
        let usage = usage_metadata(&json!({"inputTokens": 16, "outputTokens": 27,
            "totalTokens": 43, "cacheReadInputTokenCount": 5, "cacheWriteInputTokenCount": 2}));
        assert_eq!(usage, UsageMetadata::new(16, 27, Some(43), 5, 2));
    }

    #[test]
    fn missing_or_huge_counts() {
        assert_eq!(usage_metadata(&json!({})).total_tokens, 0);
        let usage = usage_metadata(&json!({"inputTokens": u64::MAX, "cacheReadInputTokens": 5}));
        assert_eq!(usage.input_tokens, u64::MAX);
    }
}
