//! Helpers shared by the event-stream integration tests.

use bedrock_edge::event_stream::{Header, HeaderValue};

/// Bytes the headers take on the wire. `Message` keeps no lengths, so the tests recompute
/// `headers_length` from the decoded headers to check it against the vectors.
pub fn headers_wire_len(headers: &[Header]) -> usize {
    headers
        .iter()
        .map(|header| {
            let value_len = match &header.value {
                HeaderValue::Bool(_) => 0,
                HeaderValue::Byte(_) => 1,
                HeaderValue::Int16(_) => 2,
                HeaderValue::Int32(_) => 4,
                HeaderValue::Int64(_) | HeaderValue::Timestamp(_) => 8,
                HeaderValue::ByteArray(bytes) => 2 + bytes.len(),
                HeaderValue::String(text) => 2 + text.len(),
                HeaderValue::Uuid(_) => 16,
            };
            1 + header.name.len() + 1 + value_len
        })
        .sum()
}
