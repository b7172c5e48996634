//! Bedrock Runtime URLs: the regional endpoint and the per-operation path.
//!
//! Model ids are an `@httpLabel`: everything outside the unreserved set is percent-encoded on
//! the wire (`:` becomes `%3A`, `/` becomes `%2F`), as the AWS SDKs do. Signing then encodes
//! the wire path once more (see [`crate::signing`]).

use crate::quoted::Quoted;
use crate::Error;

/// A Bedrock Runtime operation addressed by model id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// `POST /model/{modelId}/converse`
    Converse,
    /// `POST /model/{modelId}/converse-stream`
    ConverseStream,
    /// `POST /model/{modelId}/invoke`
    InvokeModel,
    /// `POST /model/{modelId}/invoke-with-response-stream`
    InvokeModelWithResponseStream,
    /// `POST /model/{modelId}/count-tokens`
    CountTokens,
}

impl Operation {
    /// The last path segment of the operation.
    pub fn path_suffix(self) -> &'static str {
        match self {
            Operation::Converse => "converse",
            Operation::ConverseStream => "converse-stream",
            Operation::InvokeModel => "invoke",
            Operation::InvokeModelWithResponseStream => "invoke-with-response-stream",
            Operation::CountTokens => "count-tokens",
        }
    }

    /// Whether the response is an event stream.
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Operation::ConverseStream | Operation::InvokeModelWithResponseStream
        )
    }
}

/// The default endpoint for a region: `https://bedrock-runtime.{region}.amazonaws.com`
/// (`.amazonaws.com.cn` in the China partition).
pub fn regional_endpoint(region: &str) -> Result<String, Error> {
    validate_region(region)?;
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    Ok(format!("https://bedrock-runtime.{region}.{suffix}"))
}

/// Checks that a region looks like one (`us-east-1`, `eu-central-2`, `us-gov-west-1`).
pub fn validate_region(region: &str) -> Result<(), Error> {
    let ok = !region.is_empty()
        && region.len() <= 63
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "invalid region {region}",
            region = Quoted(region)
        )))
    }
}

/// Normalises a user-supplied endpoint override: an `http(s)://` URL, without a trailing `/`.
pub fn normalize_endpoint(endpoint: &str) -> Result<String, Error> {
    let trimmed = endpoint.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    let authority = rest.map(|r| r.split('/').next().unwrap_or(""));
    // Credentials in the URL would travel with every request and show in every log line;
    // they are refused without repeating them.
    if authority.is_some_and(|a| a.contains('@')) {
        return Err(Error::invalid_input(
            "endpoint must not carry user:password@ credentials",
        ));
    }
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['?', '#', ' ']) => {
            Ok(trimmed.to_string())
        }
        _ => Err(Error::invalid_input(format!(
            "endpoint must be an http(s) URL without query, got {endpoint}",
            endpoint = Quoted(endpoint)
        ))),
    }
}

/// Checks a model id, inference-profile id or ARN before it goes into a path.
pub fn validate_model_id(model_id: &str) -> Result<(), Error> {
    if model_id.trim().is_empty() {
        return Err(Error::invalid_input("model is required"));
    }
    if model_id.len() > 2048 {
        return Err(Error::invalid_input(
            "model id is longer than 2048 characters",
        ));
    }
    Ok(())
}

/// The full URL of an operation: `{base}/model/{label-encoded model id}/{operation}`.
pub fn operation_url(base: &str, model_id: &str, operation: Operation) -> String {
    let mut url = String::with_capacity(base.len() + model_id.len() * 3 + 24);
    url.push_str(base);
    url.push_str("/model/");
    encode_label(model_id, &mut url);
    url.push('/');
    url.push_str(operation.path_suffix());
    url
}

/// Percent-encodes a path label: unreserved characters (`A–Z a–z 0–9 - _ . ~`) stay,
/// every other byte becomes upper-case `%XX`.
fn encode_label(label: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in label.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_with_credentials_are_refused_without_echo() {
        let err = normalize_endpoint("https://user:hunter2@proxy.example.com").unwrap_err();
        assert!(err.is_invalid_input());
        assert!(!err.message().contains("hunter2"), "{err}");
        assert!(normalize_endpoint("http://127.0.0.1:4010/path@x").is_ok());
    }

    #[test]
    fn model_ids_are_label_encoded() {
        let base = regional_endpoint("us-east-1").unwrap();
        assert_eq!(
            operation_url(&base, "anthropic.claude-3-5-sonnet-20240620-v1:0", Operation::Converse),
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"
        );
        assert_eq!(
            operation_url(
                "http://127.0.0.1:4010",
                "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f",
                Operation::ConverseStream
            ),
            "http://127.0.0.1:4010/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fmi1dadi0g15f/converse-stream"
        );
        assert_eq!(
            operation_url(&base, "us.meta.llama3-2-1b-instruct-v1:0", Operation::InvokeModelWithResponseStream),
            "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.meta.llama3-2-1b-instruct-v1%3A0/invoke-with-response-stream"
        );
        let mut out = String::new();
        encode_label("a b%é", &mut out);
        assert_eq!(out, "a%20b%25%C3%A9");
    }

    #[test]
    fn regions_and_endpoints_are_checked() {
        assert_eq!(
            regional_endpoint("cn-north-1").unwrap(),
            "https://bedrock-runtime.cn-north-1.amazonaws.com.cn"
        );
        assert!(regional_endpoint("us east").unwrap_err().is_invalid_input());
        assert!(regional_endpoint("").is_err());
        assert_eq!(
            normalize_endpoint("http://127.0.0.1:4010/").unwrap(),
            "http://127.0.0.1:4010"
        );
        assert!(normalize_endpoint("ftp://x").is_err());
        assert!(normalize_endpoint("https://").is_err());
        assert!(validate_model_id(" ").is_err());
        assert!(validate_model_id("amazon.nova-lite-v1:0").is_ok());
    }
}
