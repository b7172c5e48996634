//! Every recorded Bedrock event-stream body in `../shared/vectors/recorded/derived` decodes to
//! the frames in its `.events.jsonl`, whole, split at every chunk size from 1 to 64 bytes, and
//! one byte at a time.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use bedrock_edge::event_stream::{FrameDecoder, Header, HeaderValue, Message, MessageKind};
use common::headers_wire_len;

mod common;
use serde_json::Value;

const DERIVED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/vectors/recorded/derived"
);
const EXPECTED_BODIES: usize = 32;
const MAX_CHUNK: usize = 64;

/// One frame as the `.events.jsonl` files describe it.
#[derive(Debug, PartialEq)]
struct Frame {
    total_length: usize,
    headers_length: usize,
    headers: BTreeMap<String, String>,
    payload: String,
}

impl Frame {
    fn from_json(context: &str, line: &str) -> Self {
        let value: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{context}: bad JSON: {e}"));
        let length = |key: &str| {
            value[key]
                .as_u64()
                .unwrap_or_else(|| panic!("{context}: no {key}")) as usize
        };
        let headers = value["headers"]
            .as_object()
            .unwrap_or_else(|| panic!("{context}: no headers object"))
            .iter()
            .map(|(name, value)| {
                let text = value
                    .as_str()
                    .unwrap_or_else(|| panic!("{context}: header {name} is not a string"));
                (name.clone(), text.to_string())
            })
            .collect();
        Self {
            total_length: length("total_length"),
            headers_length: length("headers_length"),
            headers,
            payload: value["payload"]
                .as_str()
                .unwrap_or_else(|| panic!("{context}: no payload string"))
                .to_string(),
        }
    }

    /// The lengths are recomputed from what was decoded: the header section must have been
    /// exactly the bytes these headers take, and the frame exactly 16 bytes more than its parts.
    fn from_message(context: &str, message: &Message) -> Self {
        let headers_length = headers_wire_len(&message.headers);
        let mut headers = BTreeMap::new();
        for Header { name, value } in &message.headers {
            let HeaderValue::String(text) = value else {
                panic!("{context}: header {name} is {value:?}, not a string");
            };
            assert!(
                headers.insert(name.clone(), text.clone()).is_none(),
                "{context}: duplicate header {name}"
            );
        }
        Self {
            total_length: 16 + headers_length + message.payload.len(),
            headers_length,
            headers,
            payload: String::from_utf8(message.payload.clone())
                .unwrap_or_else(|e| panic!("{context}: payload is not UTF-8: {e}")),
        }
    }
}

/// A recorded body with its expected frames.
struct Recording {
    name: String,
    body: Vec<u8>,
    frames: Vec<Frame>,
}

fn eventstream_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
    {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            eventstream_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "eventstream") {
            out.push(path);
        }
    }
}

fn recordings() -> Vec<Recording> {
    let root = Path::new(DERIVED);
    let mut paths = Vec::new();
    eventstream_files(root, &mut paths);
    paths.sort();
    assert_eq!(
        paths.len(),
        EXPECTED_BODIES,
        "*.eventstream files under {DERIVED}"
    );
    paths
        .iter()
        .map(|path| {
            let name = path
                .strip_prefix(root)
                .expect("under the root")
                .to_str()
                .expect("utf-8 path")
                .to_string();
            let body = fs::read(path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
            let jsonl = path.with_extension("events.jsonl");
            let lines = fs::read_to_string(&jsonl)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", jsonl.display()));
            let frames = lines
                .lines()
                .filter(|line| !line.trim().is_empty())
                .enumerate()
                .map(|(i, line)| Frame::from_json(&format!("{name} line {}", i + 1), line))
                .collect();
            Recording { name, body, frames }
        })
        .collect()
}

fn check_frames(recording: &Recording, mode: &str, messages: &[Message]) {
    let name = &recording.name;
    for (index, (message, expected)) in messages.iter().zip(&recording.frames).enumerate() {
        let context = format!("{name} ({mode}) frame {index}");
        assert_eq!(
            Frame::from_message(&context, message),
            *expected,
            "{context}"
        );
    }
    assert_eq!(
        messages.len(),
        recording.frames.len(),
        "{name} ({mode}): frame count"
    );
}

fn decode_in_chunks(recording: &Recording, chunk: usize) -> Vec<Message> {
    let mut decoder = FrameDecoder::new();
    let mut messages = Vec::new();
    for piece in recording.body.chunks(chunk) {
        decoder.push(piece);
        while let Some(message) = decoder
            .next_message()
            .unwrap_or_else(|e| panic!("{} (chunk size {chunk}): {e}", recording.name))
        {
            messages.push(message);
        }
    }
    decoder
        .finish()
        .unwrap_or_else(|e| panic!("{} (chunk size {chunk}): {e}", recording.name));
    messages
}

#[test]
fn index_lists_every_recording() {
    let index: Value = serde_json::from_slice(
        &fs::read(Path::new(DERIVED).join("index.json")).expect("index.json"),
    )
    .expect("index.json is JSON");
    let entries: BTreeMap<&str, &Value> = index
        .as_array()
        .expect("index.json is an array")
        .iter()
        .map(|entry| (entry["file"].as_str().expect("file"), entry))
        .collect();
    let recordings = recordings();
    assert_eq!(entries.len(), recordings.len(), "index.json entries");
    for recording in &recordings {
        let name = recording.name.as_str();
        let entry = entries
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in index.json"));
        assert_eq!(
            entry["bytes"].as_u64(),
            Some(recording.body.len() as u64),
            "{name}: bytes"
        );
        assert_eq!(
            entry["frames"].as_u64(),
            Some(recording.frames.len() as u64),
            "{name}: frames"
        );
        let sum: usize = recording.frames.iter().map(|f| f.total_length).sum();
        assert_eq!(sum, recording.body.len(), "{name}: frame lengths add up");
    }
}

#[test]
fn whole_bodies_decode_to_their_jsonl() {
    for recording in recordings() {
        let messages = decode_in_chunks(&recording, recording.body.len());
        check_frames(&recording, "whole", &messages);
    }
}

#[test]
fn bodies_split_at_every_chunk_size_decode_to_their_jsonl() {
    for recording in recordings() {
        for chunk in 1..=MAX_CHUNK {
            let messages = decode_in_chunks(&recording, chunk);
            check_frames(&recording, &format!("chunk size {chunk}"), &messages);
        }
    }
}

#[test]
fn bodies_in_irregular_chunks_with_lazy_reads_decode_to_their_jsonl() {
    // Uneven pieces (1 to 2048 bytes) and reads only after every third push, so several whole
    // frames and a partial one sit in the buffer when it compacts.
    let mut seed = 0x9e37_79b9_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed as usize
    };
    for recording in recordings() {
        let name = &recording.name;
        let mut decoder = FrameDecoder::new();
        let mut messages = Vec::new();
        let mut rest = recording.body.as_slice();
        let mut pushes = 0;
        while !rest.is_empty() {
            let (piece, tail) = rest.split_at((1 + next() % 2048).min(rest.len()));
            rest = tail;
            decoder.push(piece);
            pushes += 1;
            if pushes % 3 == 0 || rest.is_empty() {
                while let Some(message) = decoder
                    .next_message()
                    .unwrap_or_else(|e| panic!("{name} (irregular chunks): {e}"))
                {
                    messages.push(message);
                }
            }
        }
        decoder
            .finish()
            .unwrap_or_else(|e| panic!("{name} (irregular chunks): {e}"));
        check_frames(&recording, "irregular chunks", &messages);
    }
}

#[test]
fn byte_at_a_time_frames_end_exactly_at_their_total_length() {
    for recording in recordings() {
        let name = &recording.name;
        let mut frame_ends = recording.frames.iter().scan(0, |end, frame| {
            *end += frame.total_length;
            Some(*end)
        });
        let mut next_end = frame_ends.next();
        let mut decoder = FrameDecoder::new();
        let mut messages = Vec::new();
        for (offset, byte) in recording.body.iter().enumerate() {
            decoder.push(std::slice::from_ref(byte));
            let decoded = decoder
                .next_message()
                .unwrap_or_else(|e| panic!("{name} (byte at a time) at byte {offset}: {e}"));
            let at_end = next_end == Some(offset + 1);
            assert_eq!(
                decoded.is_some(),
                at_end,
                "{name} (byte at a time): frame {} should end at byte {next_end:?}, now at {}",
                messages.len(),
                offset + 1
            );
            if let Some(message) = decoded {
                messages.push(message);
                next_end = frame_ends.next();
            }
        }
        decoder
            .finish()
            .unwrap_or_else(|e| panic!("{name} (byte at a time): {e}"));
        check_frames(&recording, "byte at a time", &messages);
    }
}

#[test]
fn every_frame_routes_by_message_type() {
    let mut exceptions = Vec::new();
    for recording in recordings() {
        let name = &recording.name;
        let messages = decode_in_chunks(&recording, recording.body.len());
        for (index, message) in messages.iter().enumerate() {
            let kind = message
                .kind()
                .unwrap_or_else(|e| panic!("{name} frame {index}: {e}"));
            match kind {
                MessageKind::Event { event_type } => assert_eq!(
                    Some(event_type),
                    message.string_header(":event-type"),
                    "{name} frame {index}"
                ),
                MessageKind::Exception { exception_type } => {
                    exceptions.push(format!("{name}: {exception_type}"))
                }
                other => panic!("{name} frame {index}: unexpected {other:?}"),
            }
        }
    }
    assert_eq!(
        exceptions,
        ["vercel-ai/model-stream-error-exception.eventstream: modelStreamErrorException"]
    );
}
