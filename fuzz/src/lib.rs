//! Helpers shared by the fuzz targets: how an input's selector byte cuts a body into pushes,
//! and the tests' event-stream encoder (`tests/common/event_stream_encoder.rs`; the crate
//! only decodes).

use bedrock_edge::chat::output::CallInfo;

/// Cuts `body` into the pieces a network might deliver, as `selector` chooses:
///
/// - `0`: the whole body in one push;
/// - `1..=63`: pieces of exactly `selector` bytes;
/// - `64..=255`: pieces of varying size from 0 (an empty push) to `4 * (selector & 63) + 3`
///   bytes, from an xorshift sequence seeded by the selector.
pub fn pieces(selector: u8, body: &[u8]) -> Vec<&[u8]> {
    match selector {
        0 => vec![body],
        1..=63 => body.chunks(usize::from(selector)).collect(),
        _ => {
            let max = 4 * usize::from(selector & 63) + 3;
            let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(selector);
            let mut rest = body;
            let mut out = Vec::new();
            while !rest.is_empty() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let len = (state % (max as u64 + 1)) as usize;
                let (head, tail) = rest.split_at(len.min(rest.len()));
                out.push(head);
                rest = tail;
            }
            out
        }
    }
}

/// The `CallInfo` a ConverseStream response would carry.
pub fn call_info() -> CallInfo {
    CallInfo {
        run_id: "run-fuzz".into(),
        model_name: "fuzz-model".into(),
        request_id: Some("req-fuzz".into()),
        status: 200,
        headers: vec![(
            "content-type".into(),
            "application/vnd.amazon.eventstream".into(),
        )],
        retry_attempts: 0,
    }
}

/// CRC-32 (IEEE), the crate's own (checked against the AWS event-stream vectors by its tests).
pub use bedrock_edge::event_stream::crc32;

// The test event-stream encoder, one file shared with the integration tests.
#[path = "../../tests/common/event_stream_encoder.rs"]
mod event_stream_encoder;
pub use event_stream_encoder::{encode_header, encode_message};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn pieces_cover_the_body() {
        let body: Vec<u8> = (0..=255).collect();
        for selector in 0..=255u8 {
            assert_eq!(
                pieces(selector, &body).concat(),
                body,
                "selector {selector}"
            );
        }
    }
}
