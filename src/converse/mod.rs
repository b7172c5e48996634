//! The Converse API: request bodies, response mapping and stream-event mapping. (Chunks are
//! merged by `concat` in the package's JS, where folding a long stream stays linear.)
//!
//! Output objects follow LangChain's field names and v1 standard content blocks, built as
//! `serde_json::Value`s so that this layer stays plain Rust and is tested on the host.

mod blocks;
pub mod request;
pub mod response;
pub mod stream;
mod usage;

/// What the caller knows about one HTTP exchange, folded into `response_metadata`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallInfo {
    /// The message id LangChain calls the run id (`run-…`), shared by all chunks of a stream.
    pub run_id: String,
    /// The model id the call was made with.
    pub model_name: String,
    /// `x-amzn-RequestId` of the response.
    pub request_id: Option<String>,
    /// HTTP status of the response.
    pub status: u16,
    /// Response headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// Retries made before this response.
    pub retry_attempts: u32,
}

impl CallInfo {
    /// The `ResponseMetadata` object of LangChain/boto3 responses.
    pub(crate) fn response_metadata(&self) -> serde_json::Value {
        let headers: serde_json::Map<String, serde_json::Value> = self
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::json!({
            "RequestId": self.request_id,
            "HTTPStatusCode": self.status,
            "HTTPHeaders": headers,
            "RetryAttempts": self.retry_attempts,
        })
    }
}
