//! The event-stream codec vectors in `../shared/vectors/eventstream`: smithy-typescript's
//! encoded/decoded pairs and smithy-rs's test frames, decoded with [`FrameDecoder`].

use std::fs;
use std::path::{Path, PathBuf};

use bedrock_edge::event_stream::{FrameDecoder, Header, HeaderValue, Message};
use common::headers_wire_len;
use serde_json::Value;

mod common;

const TYPESCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/eventstream/smithy-typescript-test_vectors"
);
const SMITHY_RS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/eventstream/smithy-rs-test_data"
);

fn read(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&read(path))
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The files of a vector folder, sorted by name.
fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .expect("utf-8 file name")
}

/// Standard base64 with padding, as the smithy-typescript vectors use.
fn base64(text: &str) -> Vec<u8> {
    fn sextet(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c:?}"),
        }
    }
    let digits = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::new();
    for group in digits.chunks(4) {
        let bits = group
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | sextet(c) << (18 - 6 * i));
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..group.len()]);
    }
    out
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex digit pair"))
        .collect()
}

/// Bitwise CRC-32 (IEEE), independent of the crate's table-driven one.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn prelude(total_len: u32, headers_len: u32) -> Vec<u8> {
    let mut out = [total_len.to_be_bytes(), headers_len.to_be_bytes()].concat();
    out.extend_from_slice(&crc32(&out).to_be_bytes());
    out
}

/// The wire type byte of a header value.
fn wire_type(value: &HeaderValue) -> u64 {
    match value {
        HeaderValue::Bool(true) => 0,
        HeaderValue::Bool(false) => 1,
        HeaderValue::Byte(_) => 2,
        HeaderValue::Int16(_) => 3,
        HeaderValue::Int32(_) => 4,
        HeaderValue::Int64(_) => 5,
        HeaderValue::ByteArray(_) => 6,
        HeaderValue::String(_) => 7,
        HeaderValue::Timestamp(_) => 8,
        HeaderValue::Uuid(_) => 9,
    }
}

/// Feeds `body` in pieces of `chunk` bytes, collecting every message, then calls `finish`.
fn decode_in_chunks(body: &[u8], chunk: usize) -> Result<Vec<Message>, bedrock_edge::Error> {
    let mut decoder = FrameDecoder::new();
    let mut messages = Vec::new();
    for piece in body.chunks(chunk.max(1)) {
        decoder.push(piece);
        while let Some(message) = decoder.next_message()? {
            messages.push(message);
        }
    }
    decoder.finish()?;
    Ok(messages)
}

fn decode_one(name: &str, body: &[u8]) -> Message {
    let mut messages = decode_in_chunks(body, body.len())
        .unwrap_or_else(|e| panic!("{name}: expected a frame, got {e}"));
    assert_eq!(messages.len(), 1, "{name}: frame count");
    messages.remove(0)
}

fn decode_error(name: &str, body: &[u8]) -> bedrock_edge::Error {
    match decode_in_chunks(body, body.len()) {
        Ok(messages) => panic!("{name}: expected an error, decoded {messages:?}"),
        Err(err) => err,
    }
}

/// Compares one decoded header with a smithy-typescript `{name, type, value}` object.
fn assert_typescript_header(context: &str, got: &Header, expected: &Value) {
    assert_eq!(
        got.name,
        expected["name"].as_str().unwrap(),
        "{context}: name"
    );
    assert_eq!(
        wire_type(&got.value),
        expected["type"].as_u64().unwrap(),
        "{context}: type of {}",
        got.name
    );
    let value = &expected["value"];
    let matches = match &got.value {
        HeaderValue::Bool(b) => value.as_bool() == Some(*b),
        HeaderValue::Byte(n) => value.as_i64() == Some(i64::from(*n)),
        HeaderValue::Int16(n) => value.as_i64() == Some(i64::from(*n)),
        HeaderValue::Int32(n) => value.as_i64() == Some(i64::from(*n)),
        HeaderValue::Int64(n) | HeaderValue::Timestamp(n) => value.as_i64() == Some(*n),
        HeaderValue::ByteArray(bytes) => base64(value.as_str().unwrap()) == *bytes,
        HeaderValue::String(text) => base64(value.as_str().unwrap()) == text.as_bytes(),
        HeaderValue::Uuid(bytes) => base64(value.as_str().unwrap()) == bytes,
    };
    assert!(
        matches,
        "{context}: header {} is {:?}, expected {value}",
        got.name, got.value
    );
}

#[test]
fn typescript_positive_vectors_decode_to_their_json() {
    let encoded = files_in(&format!("{TYPESCRIPT}/encoded/positive"));
    assert_eq!(encoded.len(), 5, "positive vectors");
    for path in &encoded {
        let name = file_name(path);
        let body = read(path);
        let expected = json(&Path::new(TYPESCRIPT).join("decoded/positive").join(name));
        let message = decode_one(name, &body);

        let total = expected["total_length"].as_u64().unwrap() as usize;
        let headers_length = expected["headers_length"].as_u64().unwrap() as usize;
        assert_eq!(body.len(), total, "{name}: total_length");
        assert_eq!(
            headers_wire_len(&message.headers),
            headers_length,
            "{name}: headers_length"
        );
        assert_eq!(
            16 + headers_length + message.payload.len(),
            total,
            "{name}: payload length"
        );
        let crc_at = |offset: usize| {
            i64::from(u32::from_be_bytes(body[offset..offset + 4].try_into().unwrap()) as i32)
        };
        assert_eq!(
            Some(crc_at(8)),
            expected["prelude_crc"].as_i64(),
            "{name}: prelude_crc"
        );
        assert_eq!(
            Some(crc_at(total - 4)),
            expected["message_crc"].as_i64(),
            "{name}: message_crc"
        );

        let expected_headers = expected["headers"].as_array().unwrap();
        assert_eq!(
            message.headers.len(),
            expected_headers.len(),
            "{name}: header count"
        );
        for (index, (got, want)) in message.headers.iter().zip(expected_headers).enumerate() {
            assert_typescript_header(&format!("{name} header {index}"), got, want);
        }
        assert_eq!(
            message.payload,
            base64(expected["payload"].as_str().unwrap()),
            "{name}: payload"
        );
    }
}

#[test]
fn typescript_all_headers_has_every_type() {
    let body = read(&Path::new(TYPESCRIPT).join("encoded/positive/all_headers"));
    let message = decode_one("all_headers", &body);
    let mut types: Vec<u64> = message
        .headers
        .iter()
        .map(|h| wire_type(&h.value))
        .collect();
    types.sort_unstable();
    assert_eq!(types, (0..10).collect::<Vec<_>>());
    assert_eq!(
        message.header("timestamp"),
        Some(&HeaderValue::Timestamp(8_675_309))
    );
    assert_eq!(
        message.string_header("content-type"),
        Some("application/json")
    );
    assert_eq!(
        message.string_header("event-type"),
        None,
        "an int32 header is not a string"
    );
}

#[test]
fn typescript_negative_vectors_fail_with_the_expected_checksum_error() {
    let encoded = files_in(&format!("{TYPESCRIPT}/encoded/negative"));
    assert_eq!(encoded.len(), 4, "negative vectors");
    for path in &encoded {
        let name = file_name(path);
        let expected_path = Path::new(TYPESCRIPT).join("decoded/negative").join(name);
        let expected = String::from_utf8(read(&expected_path)).unwrap();
        let expected = match expected.trim() {
            "Prelude checksum mismatch" => "InvalidEventStream: prelude checksum mismatch",
            "Message checksum mismatch" => "InvalidEventStream: message checksum mismatch",
            other => panic!("{name}: unknown expected error {other:?}"),
        };
        let err = decode_error(name, &read(path));
        assert_eq!(err.name(), "InvalidEventStream", "{name}");
        assert_eq!(err.to_string(), expected, "{name}");
    }
}

/// expected.json lists `some-header` of `valid_empty_payload` as type 4 (int32), but the
/// CRC-valid bytes carry type 3 (int16) `0x01f4` = 500, and its `headers_length` of 15
/// (1 + 11 + 1 + 2) only fits an int16. The file wins; the value is checked as 500 either way.
const SMITHY_RS_ERRATUM: (&str, &str) = ("valid_empty_payload", "some-header");

#[test]
fn smithy_rs_valid_files_match_expected_json() {
    let expected_all = json(&Path::new(SMITHY_RS).join("expected.json"));
    let valid: Vec<&str> = expected_all
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v["expect"] == "success")
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(valid.len(), 3, "valid smithy-rs files");
    for name in valid {
        let expected = &expected_all[name];
        let body = read(&Path::new(SMITHY_RS).join(name));
        let message = decode_one(name, &body);
        assert_eq!(
            Some(body.len() as u64),
            expected["total_length"].as_u64(),
            "{name}"
        );
        assert_eq!(
            Some(headers_wire_len(&message.headers) as u64),
            expected["headers_length"].as_u64(),
            "{name}: headers_length"
        );
        let expected_headers = expected["headers"].as_array().unwrap();
        assert_eq!(
            message.headers.len(),
            expected_headers.len(),
            "{name}: header count"
        );
        for (got, want) in message.headers.iter().zip(expected_headers) {
            assert_eq!(got.name, want["name"].as_str().unwrap(), "{name}");
            let want_type = if (name, got.name.as_str()) == SMITHY_RS_ERRATUM {
                3
            } else {
                want["type"].as_u64().unwrap()
            };
            assert_eq!(wire_type(&got.value), want_type, "{name}: {}", got.name);
            let value = if let Some(text) = want["value_utf8"].as_str() {
                HeaderValue::ByteArray(text.as_bytes().to_vec())
            } else if let Some(millis) = want["value_millis"].as_i64() {
                HeaderValue::Timestamp(millis)
            } else if let Some(digits) = want["value_hex"].as_str() {
                HeaderValue::Uuid(hex(digits).try_into().unwrap())
            } else {
                match (&got.value, &want["value"]) {
                    (HeaderValue::Bool(_), v) => HeaderValue::Bool(v.as_bool().unwrap()),
                    (HeaderValue::Byte(_), v) => HeaderValue::Byte(v.as_i64().unwrap() as i8),
                    (HeaderValue::Int16(_), v) => HeaderValue::Int16(v.as_i64().unwrap() as i16),
                    (HeaderValue::Int32(_), v) => HeaderValue::Int32(v.as_i64().unwrap() as i32),
                    (HeaderValue::Int64(_), v) => HeaderValue::Int64(v.as_i64().unwrap()),
                    (HeaderValue::String(_), v) => {
                        HeaderValue::String(v.as_str().unwrap().to_string())
                    }
                    (other, v) => panic!("{name}: no expectation for {other:?} ({v})"),
                }
            };
            assert_eq!(got.value, value, "{name}: header {}", got.name);
        }
        assert_eq!(
            message.payload,
            expected["payload_utf8"].as_str().unwrap().as_bytes(),
            "{name}: payload"
        );
    }
}

#[test]
fn smithy_rs_invalid_files_each_give_a_typed_error() {
    // The message CRC is checked before headers are parsed, so files whose only defect is in
    // the headers section report a checksum mismatch (expected.json allows either order).
    let cases = [
        ("invalid_header_name_length", "message checksum mismatch"),
        (
            "invalid_header_name_length_too_long",
            "message checksum mismatch",
        ),
        (
            "invalid_header_string_length_cut_off",
            "message checksum mismatch",
        ),
        (
            "invalid_header_string_value_length",
            "message checksum mismatch",
        ),
        ("invalid_header_value_type", "message checksum mismatch"),
        ("invalid_headers_length", "headers length exceeds the frame"),
        ("invalid_message_checksum", "message checksum mismatch"),
        ("invalid_prelude_checksum", "prelude checksum mismatch"),
    ];
    let expected_all = json(&Path::new(SMITHY_RS).join("expected.json"));
    let mut invalid: Vec<&str> = expected_all
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| v["expect"] == "failure")
        .map(|(k, _)| k.as_str())
        .collect();
    invalid.sort_unstable();
    assert_eq!(
        invalid,
        cases.map(|(name, _)| name),
        "invalid files in expected.json"
    );
    for (name, detail) in cases {
        let err = decode_error(name, &read(&Path::new(SMITHY_RS).join(name)));
        assert_eq!(err.name(), "InvalidEventStream", "{name}: {err}");
        assert_eq!(err.message(), detail, "{name}");
    }
}

fn smithy_rs_concatenation() -> (Vec<u8>, Vec<Message>) {
    let names = [
        "valid_with_all_headers_and_payload",
        "valid_empty_payload",
        "valid_no_headers",
    ];
    let mut body = Vec::new();
    let mut messages = Vec::new();
    for name in names {
        let frame = read(&Path::new(SMITHY_RS).join(name));
        messages.push(decode_one(name, &frame));
        body.extend_from_slice(&frame);
    }
    (body, messages)
}

#[test]
fn smithy_rs_concatenation_in_chunks_of_1_to_11_bytes() {
    let (body, expected) = smithy_rs_concatenation();
    for chunk in 1..=11 {
        let got =
            decode_in_chunks(&body, chunk).unwrap_or_else(|e| panic!("chunk size {chunk}: {e}"));
        assert_eq!(got, expected, "chunk size {chunk}");
    }
}

#[test]
fn smithy_rs_all_headers_frame_yields_nothing_until_its_last_byte() {
    let body = read(&Path::new(SMITHY_RS).join("valid_with_all_headers_and_payload"));
    let mut decoder = FrameDecoder::new();
    for (index, byte) in body.iter().enumerate() {
        decoder.push(std::slice::from_ref(byte));
        let message = decoder.next_message().unwrap();
        assert_eq!(
            message.is_some(),
            index == body.len() - 1,
            "after byte {index}"
        );
    }
    decoder.finish().unwrap();
}

#[test]
fn frame_above_the_default_cap_fails_after_12_bytes() {
    let cap = FrameDecoder::DEFAULT_MAX_FRAME_LEN;
    assert_eq!(cap, 32 * 1024 * 1024);
    let mut decoder = FrameDecoder::new();
    let header = prelude(cap + 1, 0);
    decoder.push(&header[..11]);
    assert_eq!(
        decoder.next_message().unwrap(),
        None,
        "11 bytes are not a prelude"
    );
    decoder.push(&header[11..]);
    let err = decoder.next_message().unwrap_err();
    assert_eq!(err.name(), "InvalidEventStream");
    assert!(err.message().starts_with("frame too large"), "{err}");

    // At the cap the prelude is accepted and the decoder waits for the body.
    let mut decoder = FrameDecoder::new();
    decoder.push(&prelude(cap, 0));
    assert_eq!(decoder.next_message().unwrap(), None);
    assert_eq!(decoder.finish().unwrap_err().name(), "IncompleteStream");
}

#[test]
fn with_max_frame_len_sets_the_cap() {
    let small = read(&Path::new(SMITHY_RS).join("valid_no_headers")); // 36 bytes
    let large = read(&Path::new(SMITHY_RS).join("valid_with_all_headers_and_payload")); // 150
    let mut decoder = FrameDecoder::with_max_frame_len(100);
    decoder.push(&small);
    assert!(decoder.next_message().unwrap().is_some());
    decoder.push(&large[..12]);
    let err = decoder.next_message().unwrap_err();
    assert_eq!(
        err.to_string(),
        "InvalidEventStream: frame too large (150 bytes, limit 100)"
    );

    let mut decoder = FrameDecoder::with_max_frame_len(150);
    decoder.push(&large);
    assert!(decoder.next_message().unwrap().is_some());
}

#[test]
fn truncated_input_gives_incomplete_stream() {
    let (body, expected) = smithy_rs_concatenation();
    let first_frame_len = 150;
    for len in 1..body.len() {
        let mut decoder = FrameDecoder::new();
        decoder.push(&body[..len]);
        let mut decoded = 0;
        while let Some(message) = decoder.next_message().unwrap() {
            assert_eq!(message, expected[decoded], "truncated at {len}");
            decoded += 1;
        }
        let at_boundary = [first_frame_len, first_frame_len + 31].contains(&len);
        match decoder.finish() {
            Ok(()) => assert!(at_boundary, "truncated at {len}: finish() passed"),
            Err(err) => {
                assert!(!at_boundary, "truncated at frame boundary {len}: {err}");
                assert_eq!(err.name(), "IncompleteStream", "truncated at {len}");
            }
        }
    }
}
