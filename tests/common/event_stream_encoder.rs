//! A small event-stream encoder for tests (the crate only decodes): the one used by
//! `tests/frame_properties.rs` and by the fuzz crate (`fuzz/src/lib.rs`), which both include
//! this file with `#[path]`.

use bedrock_edge::event_stream::{crc32, Header, HeaderValue, Message};

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
}
