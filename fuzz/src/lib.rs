//! Helpers shared by the fuzz targets: how an input's selector byte cuts a body into pushes,
//! and a small event-stream encoder (the crate only decodes).

use bedrock_edge::chat::output::CallInfo;
use bedrock_edge::event_stream::{Header, HeaderValue, Message};

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

/// Appends one header in wire form. Names must be 1..=255 bytes and byte-array/string values
/// at most 65535 bytes (the caller ensures it).
pub fn encode_header(header: &Header, out: &mut Vec<u8>) {
    out.push(u8::try_from(header.name.len()).expect("header name fits a u8"));
    out.extend_from_slice(header.name.as_bytes());
    let sized = |out: &mut Vec<u8>, type_byte: u8, bytes: &[u8]| {
        out.push(type_byte);
        let len = u16::try_from(bytes.len()).expect("header value fits a u16 length");
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(bytes);
    };
    match &header.value {
        HeaderValue::Bool(true) => out.push(0),
        HeaderValue::Bool(false) => out.push(1),
        HeaderValue::Byte(v) => {
            out.push(2);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int16(v) => {
            out.push(3);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int32(v) => {
            out.push(4);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int64(v) => {
            out.push(5);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::ByteArray(v) => sized(out, 6, v),
        HeaderValue::String(v) => sized(out, 7, v.as_bytes()),
        HeaderValue::Timestamp(v) => {
            out.push(8);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Uuid(v) => {
            out.push(9);
            out.extend_from_slice(v);
        }
    }
}

/// Appends one whole frame: prelude with its CRC, headers, payload, message CRC.
pub fn encode_message(message: &Message, out: &mut Vec<u8>) {
    let mut headers = Vec::new();
    for header in &message.headers {
        encode_header(header, &mut headers);
    }
    let total = u32::try_from(16 + headers.len() + message.payload.len()).expect("frame fits");
    let start = out.len();
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let prelude_crc = crc32(&out[start..]);
    out.extend_from_slice(&prelude_crc.to_be_bytes());
    out.extend_from_slice(&headers);
    out.extend_from_slice(&message.payload);
    let message_crc = crc32(&out[start..]);
    out.extend_from_slice(&message_crc.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn empty_message_bytes() {
        let mut out = Vec::new();
        encode_message(
            &Message {
                headers: vec![],
                payload: vec![],
            },
            &mut out,
        );
        assert_eq!(
            out,
            [0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff]
        );
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
