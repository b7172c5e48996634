//! Bedrock Runtime endpoint and path building (placeholder).
