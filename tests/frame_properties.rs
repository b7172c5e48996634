//! Property tests for the event-stream decoders, deterministic so they run in CI: a small
//! xorshift64* generator with fixed seeds builds random valid frame sequences (headers of all
//! ten types, random payload bytes) and random ConverseStream conversations, the test encoder
//! (`common/event_stream_encoder.rs`, shared with `fuzz/`) encodes them, and the bytes are
//! pushed split at random points. Every frame must decode back to exactly what was encoded,
//! and the chunk text must be exactly the generated text.
//! (The cargo-fuzz targets in `fuzz/` explore the same ground without a fixed budget.)

use bedrock_edge::chat::output::{AIMessageChunk, CallInfo};
use bedrock_edge::chunk_decoder::ChunkDecoder;
use bedrock_edge::converse::stream::ConverseStreamMapper;
use bedrock_edge::event_stream::{FrameDecoder, Header, HeaderValue, Message};
use serde_json::{json, Value};

#[path = "common/event_stream_encoder.rs"]
mod event_stream_encoder;
use event_stream_encoder::{encode_header, encode_message};

const FRAME_SEQUENCES: u64 = 2_000;
const CONVERSATIONS: u64 = 400;
const SPLITS_PER_BODY: usize = 3;

/// xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift generators").
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Any nonzero state works; spread small seeds over the bits first.
        Self((seed ^ 0x9E37_79B9_7F4A_7C15).wrapping_mul(0xBF58_476D_1CE4_E5B9) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// A character from a mix of ranges: ASCII, JSON's special characters, Latin, other BMP
    /// scripts, CJK, private use and specials (U+FEFF, U+FFFD), and astral planes (emoji).
    fn char(&mut self) -> char {
        let (lo, hi) = match self.below(9) {
            0 | 1 => (0x20, 0x7e),
            2 => {
                const SPECIAL: [char; 9] =
                    ['"', '\\', '/', '\n', '\r', '\t', '\0', '\u{1f}', '\u{7f}'];
                return SPECIAL[self.below(SPECIAL.len())];
            }
            3 => (0xa0, 0x24f),
            4 => (0x370, 0xd7ff),
            5 => (0x4e00, 0x9fff),
            6 => (0xe000, 0xfffd),
            7 => (0x1f300, 0x1faff),
            _ => (0x10000, 0x10ffff),
        };
        char::from_u32(self.range(lo, hi) as u32).expect("no surrogates in these ranges")
    }

    fn string(&mut self, max_chars: usize) -> String {
        let len = self.range(0, max_chars);
        (0..len).map(|_| self.char()).collect()
    }

    /// A string of at most `max_bytes` bytes of UTF-8.
    fn string_within(&mut self, max_bytes: usize) -> String {
        let mut out = String::new();
        let target = self.range(0, max_bytes);
        loop {
            let c = self.char();
            if out.len() + c.len_utf8() > target {
                return out;
            }
            out.push(c);
        }
    }
}

fn random_value(rng: &mut Rng) -> HeaderValue {
    let long = rng.one_in(20);
    match rng.below(10) {
        0 => HeaderValue::Bool(true),
        1 => HeaderValue::Bool(false),
        2 => HeaderValue::Byte(rng.next() as i8),
        3 => HeaderValue::Int16(rng.next() as i16),
        4 => HeaderValue::Int32(rng.next() as i32),
        5 => HeaderValue::Int64(rng.next() as i64),
        6 => {
            let len = if long {
                rng.range(0, 3000)
            } else {
                rng.range(0, 24)
            };
            HeaderValue::ByteArray(rng.bytes(len))
        }
        7 => HeaderValue::String(if long {
            rng.string_within(3000)
        } else {
            rng.string(16)
        }),
        8 => HeaderValue::Timestamp(rng.next() as i64),
        _ => {
            let mut uuid = [0u8; 16];
            uuid.copy_from_slice(&rng.bytes(16));
            HeaderValue::Uuid(uuid)
        }
    }
}

/// A header name of 1..=255 bytes, now and then exactly 255.
fn random_name(rng: &mut Rng) -> String {
    if rng.one_in(40) {
        let mut name = rng.string_within(255);
        while name.len() < 255 {
            name.push(if rng.one_in(2) { ':' } else { 'n' });
        }
        return name;
    }
    loop {
        let name = rng.string_within(24);
        if !name.is_empty() {
            return name;
        }
    }
}

fn random_message(rng: &mut Rng) -> Message {
    let mut headers: Vec<Header> = Vec::new();
    for _ in 0..rng.range(0, 10) {
        let name = random_name(rng);
        // Names are unique within a message: the decoder rejects a duplicate.
        if headers.iter().any(|h| h.name == name) {
            continue;
        }
        headers.push(Header {
            name,
            value: random_value(rng),
        });
    }
    let payload_len = if rng.one_in(15) {
        rng.range(0, 5000)
    } else {
        rng.range(0, 120)
    };
    Message {
        headers,
        payload: rng.bytes(payload_len),
    }
}

/// `body` cut at random points: a few cuts anywhere (repeats give empty pushes), or, now and
/// then, pieces of one to three bytes.
fn random_pieces<'a>(rng: &mut Rng, body: &'a [u8]) -> Vec<&'a [u8]> {
    if rng.one_in(8) {
        let mut pieces = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let (head, tail) = rest.split_at(rng.range(1, 3).min(rest.len()));
            pieces.push(head);
            rest = tail;
        }
        return pieces;
    }
    let mut cuts: Vec<usize> = (0..rng.range(0, 8))
        .map(|_| rng.range(0, body.len()))
        .collect();
    cuts.sort_unstable();
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for cut in cuts {
        pieces.push(&body[start..cut]);
        start = cut;
    }
    pieces.push(&body[start..]);
    pieces
}

#[test]
fn random_frame_sequences_decode_to_what_was_encoded_at_any_split() {
    let mut frames = 0;
    let mut header_types = [0usize; 10];
    for seed in 0..FRAME_SEQUENCES {
        let mut rng = Rng::new(seed);
        let messages: Vec<Message> = (0..rng.range(0, 6))
            .map(|_| random_message(&mut rng))
            .collect();
        let mut body = Vec::new();
        for message in &messages {
            encode_message(message, &mut body);
            for header in &message.headers {
                let mut wire = Vec::new();
                encode_header(header, &mut wire);
                header_types[usize::from(wire[header.name.len() + 1])] += 1;
            }
        }
        frames += messages.len();
        for split in 0..SPLITS_PER_BODY {
            let pieces = random_pieces(&mut rng, &body);
            let mut decoder = FrameDecoder::new();
            let mut decoded = Vec::new();
            for piece in &pieces {
                decoder.push(piece);
                while let Some(message) = decoder
                    .next_message()
                    .unwrap_or_else(|e| panic!("seed {seed} split {split}: {e:?}"))
                {
                    decoded.push(message);
                }
            }
            decoder
                .finish()
                .unwrap_or_else(|e| panic!("seed {seed} split {split}: {e:?}"));
            assert_eq!(decoded, messages, "seed {seed} split {split}");
        }
    }
    // The generator reaches what it claims to: many frames, every header type.
    assert!(frames > 4_000, "{frames} frames");
    assert!(
        header_types.iter().all(|&n| n > 500),
        "header type counts {header_types:?}"
    );
}

/// A JSON string literal for `text`: serde_json's form, or now and then every non-ASCII
/// character escaped as `\uXXXX` (surrogate pairs beyond the BMP), as other encoders write it.
fn json_string(rng: &mut Rng, text: &str) -> String {
    if !rng.one_in(4) {
        return serde_json::to_string(text).unwrap();
    }
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// One ConverseStream event frame, with Bedrock's three string headers in a random order and,
/// now and then, its random-length padding member `p`.
fn event(rng: &mut Rng, event_type: &str, members: &str) -> Message {
    let mut headers = vec![
        (":event-type", event_type),
        (":content-type", "application/json"),
        (":message-type", "event"),
    ];
    headers.swap(0, rng.below(3));
    let mut payload = format!("{{{members}");
    if rng.one_in(3) {
        let padding: String = (0..rng.range(1, 40))
            .map(|_| char::from(b'a' + rng.below(26) as u8))
            .collect();
        payload.push_str(&format!(",\"p\":\"{padding}\""));
    }
    payload.push('}');
    Message {
        headers: headers
            .into_iter()
            .map(|(name, value)| Header {
                name: name.to_string(),
                value: HeaderValue::String(value.to_string()),
            })
            .collect(),
        payload: payload.into_bytes(),
    }
}

/// A random conversation: the frames and the text they carry (in order, per content block).
struct Conversation {
    frames: Vec<Message>,
    text: String,
    /// `(content block index, text)` of each non-empty delta.
    deltas: Vec<(u64, String)>,
    total_tokens: Option<u64>,
}

fn random_conversation(rng: &mut Rng) -> Conversation {
    let mut frames = vec![event(rng, "messageStart", r#""role":"assistant""#)];
    let mut text = String::new();
    let mut deltas = Vec::new();
    for index in 0..rng.range(1, 3) as u64 {
        if rng.one_in(2) {
            let members = format!(r#""contentBlockIndex":{index},"start":{{}}"#);
            frames.push(event(rng, "contentBlockStart", &members));
        }
        for _ in 0..rng.range(0, 8) {
            let piece = rng.string(12);
            let members = format!(
                r#""contentBlockIndex":{index},"delta":{{"text":{}}}"#,
                json_string(rng, &piece)
            );
            frames.push(event(rng, "contentBlockDelta", &members));
            text.push_str(&piece);
            if !piece.is_empty() {
                deltas.push((index, piece));
            }
        }
        let members = format!(r#""contentBlockIndex":{index}"#);
        frames.push(event(rng, "contentBlockStop", &members));
    }
    frames.push(event(rng, "messageStop", r#""stopReason":"end_turn""#));
    let mut total_tokens = None;
    if !rng.one_in(5) {
        let (input, output) = (rng.range(1, 5000) as u64, rng.range(0, 5000) as u64);
        let members = format!(
            r#""usage":{{"inputTokens":{input},"outputTokens":{output},"totalTokens":{}}},"metrics":{{"latencyMs":{}}}"#,
            input + output,
            rng.range(1, 9000)
        );
        frames.push(event(rng, "metadata", &members));
        total_tokens = Some(input + output);
    }
    Conversation {
        frames,
        text,
        deltas,
        total_tokens,
    }
}

fn call_info() -> CallInfo {
    CallInfo {
        run_id: "run-prop".into(),
        model_name: "model-prop".into(),
        request_id: Some("req-prop".into()),
        status: 200,
        ..Default::default()
    }
}

#[test]
fn random_conversations_give_their_text_at_any_split() {
    let mut chunk_count = 0;
    for seed in 0..CONVERSATIONS {
        let mut rng = Rng::new(0xC0DE_0000 + seed);
        let conversation = random_conversation(&mut rng);
        let mut body = Vec::new();
        for frame in &conversation.frames {
            encode_message(frame, &mut body);
        }
        for split in 0..SPLITS_PER_BODY {
            let context = format!("seed {seed} split {split}");
            let pieces = random_pieces(&mut rng, &body);
            let mut decoder = ChunkDecoder::new(ConverseStreamMapper::new(call_info()));
            let mut chunks: Vec<AIMessageChunk> = Vec::new();
            for piece in &pieces {
                decoder.push(piece);
                // Both ways of reading: one chunk at a time and all that are buffered.
                if rng.one_in(2) {
                    decoder
                        .drain_into(&mut chunks)
                        .unwrap_or_else(|e| panic!("{context}: {e:?}"));
                } else {
                    loop {
                        let before = chunks.len();
                        decoder
                            .drain_at_most(&mut chunks, before + 1)
                            .unwrap_or_else(|e| panic!("{context}: {e:?}"));
                        if chunks.len() == before {
                            break;
                        }
                    }
                }
            }
            chunks.extend(
                decoder
                    .finish()
                    .unwrap_or_else(|e| panic!("{context}: {e:?}")),
            );
            chunk_count += chunks.len();

            let text: String = chunks.iter().map(AIMessageChunk::text).collect();
            assert_eq!(text, conversation.text, "{context}");

            // One chunk per non-empty delta, at its block index, then the one final chunk.
            let (last, deltas) = chunks.split_last().expect("a final chunk");
            assert_eq!(deltas.len(), conversation.deltas.len(), "{context}");
            for (chunk, (index, piece)) in deltas.iter().zip(&conversation.deltas) {
                let value: Value = serde_json::from_str(&serde_json::to_string(chunk).unwrap())
                    .expect("a chunk serialises to JSON");
                assert_eq!(
                    value["content"],
                    json!([{"type": "text", "text": piece, "index": index}]),
                    "{context}"
                );
                assert_eq!(value["id"], json!("run-prop"), "{context}");
            }
            let last: Value = serde_json::to_value(last).unwrap();
            assert_eq!(last["content"], json!([]), "{context}");
            assert_eq!(
                last["response_metadata"]["stopReason"],
                json!("end_turn"),
                "{context}"
            );
            assert!(last["response_metadata"].get("p").is_none(), "{context}");
            match conversation.total_tokens {
                Some(total) => assert_eq!(
                    last["usage_metadata"]["total_tokens"],
                    json!(total),
                    "{context}"
                ),
                None => assert!(last.get("usage_metadata").is_none(), "{context}"),
            }
        }
    }
    assert!(chunk_count > 5_000, "{chunk_count} chunks");
}

/// Frames that stop a random conversation: an `error` frame whose `:error-code` is any string
/// (`:` and `#` among its characters), or an event whose payload is cut short.
const BROKEN_CONVERSATIONS: u64 = 300;

#[test]
fn a_broken_frame_stops_the_stream_with_its_own_error_at_any_split() {
    let (mut codes, mut cut_events) = (0, std::collections::BTreeSet::new());
    for seed in 0..BROKEN_CONVERSATIONS {
        let mut rng = Rng::new(0xBAD0_0000 + seed);
        let mut frames = random_conversation(&mut rng).frames;
        let at = rng.below(frames.len());
        let expected = if rng.one_in(2) {
            let separator = [':', '#'][rng.below(2)];
            let code = format!("{}{separator}{}", rng.string(4), rng.string(4));
            frames[at] = Message {
                headers: [(":message-type", "error"), (":error-code", code.as_str())]
                    .into_iter()
                    .map(|(name, value)| Header {
                        name: name.to_string(),
                        value: HeaderValue::String(value.to_string()),
                    })
                    .collect(),
                payload: Vec::new(),
            };
            codes += 1;
            code
        } else {
            // No proper prefix of a JSON object is JSON (nor an empty payload, which is `{}`).
            let payload = &mut frames[at].payload;
            payload.truncate(rng.range(1, payload.len() - 1));
            let header = frames[at].header(":event-type");
            if let Some(HeaderValue::String(event_type)) = header {
                cut_events.insert(event_type.clone());
            }
            "InvalidResponse".to_string()
        };
        let mut before = ChunkDecoder::new(ConverseStreamMapper::new(call_info()));
        let mut body = Vec::new();
        for frame in &frames[..at] {
            encode_message(frame, &mut body);
        }
        before.push(&body);
        let mut expected_chunks = Vec::new();
        before.drain_into(&mut expected_chunks).unwrap();
        for frame in &frames[at..] {
            encode_message(frame, &mut body);
        }
        let context = format!("seed {seed}, frame {at}");
        let mut decoder = ChunkDecoder::new(ConverseStreamMapper::new(call_info()));
        let mut chunks = Vec::new();
        let mut error = None;
        for piece in random_pieces(&mut rng, &body) {
            decoder.push(piece);
            if let Err(e) = decoder.drain_into(&mut chunks) {
                error = Some(e);
                break;
            }
        }
        let error = error.unwrap_or_else(|| panic!("{context}: no error"));
        assert_eq!(error.name(), expected, "{context}: {}", error.message());
        assert_eq!(chunks, expected_chunks, "{context}");
    }
    assert!(codes > 100, "{codes} error frames");
    assert_eq!(cut_events.len(), 6, "{cut_events:?}");
}
