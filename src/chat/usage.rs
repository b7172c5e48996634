//! `usage_metadata`: token counts in LangChain's shape, with cache reads and writes broken out.

use serde::Serialize;

/// LangChain `usage_metadata`. `input_tokens` counts every input token, cached ones included;
/// `input_token_details` says how many were read from or written to the prompt cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct UsageMetadata {
    /// All input tokens, cache reads and writes included.
    pub input_tokens: u64,
    /// Generated tokens.
    pub output_tokens: u64,
    /// Input plus output, as the service reports it.
    pub total_tokens: u64,
    /// The cached share of `input_tokens`.
    pub input_token_details: InputTokenDetails,
}

/// Cache reads and writes within `input_tokens`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InputTokenDetails {
    /// Tokens read from the prompt cache.
    pub cache_read: u64,
    /// Tokens written to the prompt cache.
    pub cache_creation: u64,
}

impl UsageMetadata {
    /// Usage from a service's counts, where `uncached_input` excludes cache reads and writes
    /// (as Bedrock's `inputTokens` does). A missing `total` is input plus output. Counts near
    /// `u64::MAX` saturate instead of wrapping.
    pub fn new(
        uncached_input: u64,
        output: u64,
        total: Option<u64>,
        cache_read: u64,
        cache_creation: u64,
    ) -> Self {
        let input = uncached_input
            .saturating_add(cache_read)
            .saturating_add(cache_creation);
        Self {
            input_tokens: input,
            output_tokens: output,
            total_tokens: total.unwrap_or_else(|| input.saturating_add(output)),
            input_token_details: InputTokenDetails {
                cache_read,
                cache_creation,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_tokens_count_as_input() {
        let usage = UsageMetadata::new(2, 5, Some(1329), 1322, 0);
        assert_eq!(usage.input_tokens, 1324);
        assert_eq!(usage.total_tokens, 1329);
        assert_eq!(usage.input_token_details.cache_read, 1322);
    }

    #[test]
    fn huge_counts_saturate() {
        let usage = UsageMetadata::new(u64::MAX, u64::MAX, None, u64::MAX, 1);
        assert_eq!(usage.input_tokens, u64::MAX);
        assert_eq!(usage.total_tokens, u64::MAX);
    }
}
