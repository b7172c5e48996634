//! The sans-IO frame decoder: bytes in as they arrive, whole [`Message`]s out.
//!
//! Frame layout (<https://smithy.io/2.0/aws/amazon-eventstream.html>, "Message Format"):
//! `total_length u32 | headers_length u32 | prelude_crc u32 | headers | payload | message_crc u32`,
//! big-endian, 16 bytes of overhead, both checksums CRC-32 (IEEE).

use std::fmt;

use super::crc32;
use super::header::LastHeaders;
use super::message::{Frame, Message};
use crate::Error;

/// Bytes of `total_length`, `headers_length` and `prelude_crc`.
const PRELUDE_LEN: usize = 12;
/// Prelude plus the trailing message CRC: the smallest possible frame.
const MIN_FRAME_LEN: u32 = 16;
/// Past this capacity an emptied buffer is released instead of kept for reuse.
const RETAINED_CAPACITY: usize = 1024 * 1024;

/// Incremental decoder for `application/vnd.amazon.eventstream` bodies.
///
/// [`push`](Self::push) bytes in whatever pieces the network delivers, then call
/// [`next_message`](Self::next_message) until it returns `Ok(None)`; at the end of the body,
/// [`finish`](Self::finish) reports a frame that was cut off. Both checksums are verified, the
/// declared lengths are validated (and held to a size cap) as soon as the 12-byte prelude is in,
/// and memory grows only with bytes actually pushed, never with a length a frame declares.
///
/// After an error the decoder stays failed: further calls return the same error and pushed
/// bytes are dropped.
pub struct FrameDecoder {
    /// Pushed bytes; `buffer[..consumed]` belongs to frames already returned.
    buffer: Vec<u8>,
    consumed: usize,
    /// The validated prelude of the frame at `consumed`, once its 12 bytes have arrived.
    prelude: Option<Prelude>,
    max_frame_len: u32,
    failed: Option<Error>,
    /// The last frame's headers section, checked: most frames repeat it.
    last_headers: LastHeaders,
}

/// Lengths from a prelude whose checksum and bounds have been checked.
#[derive(Debug, Clone, Copy)]
struct Prelude {
    total_len: usize,
    headers_len: usize,
    /// The running CRC-32 state after the prelude's first 8 bytes, where the message CRC goes on.
    crc: u32,
}

impl FrameDecoder {
    /// The default frame size cap, 32 MiB: above the 24 MiB payload maximum the event-stream
    /// spec sets, so every valid Bedrock frame fits.
    pub const DEFAULT_MAX_FRAME_LEN: u32 = 32 * 1024 * 1024;

    /// A decoder with the [default frame cap](Self::DEFAULT_MAX_FRAME_LEN).
    pub fn new() -> Self {
        Self::with_max_frame_len(Self::DEFAULT_MAX_FRAME_LEN)
    }

    /// A decoder that rejects any frame whose declared total length exceeds `max` bytes.
    pub fn with_max_frame_len(max: u32) -> Self {
        Self {
            buffer: Vec::new(),
            consumed: 0,
            prelude: None,
            max_frame_len: max,
            failed: None,
            last_headers: LastHeaders::default(),
        }
    }

    /// Appends body bytes as they arrive; any split is fine, including empty slices.
    pub fn push(&mut self, bytes: &[u8]) {
        if bytes.is_empty() || self.failed.is_some() {
            return;
        }
        if self.consumed == self.buffer.len() {
            // Everything was decoded: start over (a large buffer is released, not kept).
            if self.buffer.capacity() > RETAINED_CAPACITY {
                self.buffer = Vec::new();
            } else {
                self.buffer.clear();
            }
            self.consumed = 0;
        } else if self.consumed > 0 && self.consumed >= self.buffer.len() - self.consumed {
            // Moving the unread tail costs no more than the bytes consumed since the last move,
            // so the copying stays linear in the body size however small the frames are.
            self.buffer.drain(..self.consumed);
            self.consumed = 0;
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Decodes the next complete frame, or returns `Ok(None)` when more bytes are needed.
    ///
    /// Errors are `InvalidEventStream`: a checksum mismatch, impossible lengths, a frame above
    /// the cap (reported as soon as its prelude arrives), or malformed headers.
    pub fn next_message(&mut self) -> Result<Option<Message>, Error> {
        Ok(self.next_frame()?.map(Frame::to_message))
    }

    /// Like [`next_message`](Self::next_message), but the frame stays in the buffer: nothing is
    /// copied or allocated for it.
    pub(crate) fn next_frame(&mut self) -> Result<Option<Frame<'_>>, Error> {
        if let Some(err) = &self.failed {
            // A failure in a frame's headers leaves its buffer to be released here.
            self.buffer = Vec::new();
            return Err(err.clone());
        }
        let located = match self.locate() {
            Ok(located) => located,
            Err(err) => {
                self.failed = Some(err.clone());
                self.buffer = Vec::new();
                self.consumed = 0;
                self.prelude = None;
                return Err(err);
            }
        };
        let Some((prelude, headers_end)) = located else {
            return Ok(None);
        };
        let start = self.consumed;
        self.consumed += prelude.total_len;
        self.prelude = None;
        let frame = &self.buffer[start..self.consumed];
        let headers = &frame[PRELUDE_LEN..headers_end];
        // Checked here rather than in `locate`, so that the routing headers it notes can
        // borrow from the buffer or from the copy of the last section, when the frame repeats
        // it (the buffer is then released on the next call).
        match self.last_headers.check(headers) {
            Ok(routing) => Ok(Some(Frame {
                headers,
                payload: &frame[headers_end..prelude.total_len - 4],
                routing,
            })),
            Err(err) => {
                self.failed = Some(err.clone());
                Err(err)
            }
        }
    }

    /// Checks, at the end of the body, that no partial frame is left.
    ///
    /// Call it after [`next_message`](Self::next_message) has returned `Ok(None)`: any byte
    /// still buffered then gives an `IncompleteStream` error. After a decoding error it returns
    /// that error again.
    pub fn finish(&self) -> Result<(), Error> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        let buffered = self.buffer.len() - self.consumed;
        if buffered == 0 {
            return Ok(());
        }
        let detail = match self.prelude {
            Some(prelude) if buffered < prelude.total_len => format!(
                "body ended inside a frame (got {buffered} of {} bytes)",
                prelude.total_len
            ),
            None if buffered < PRELUDE_LEN => {
                format!("body ended inside a frame prelude (got {buffered} of {PRELUDE_LEN} bytes)")
            }
            _ => format!("body ended with {buffered} undecoded bytes"),
        };
        Err(Error::incomplete_stream(detail))
    }

    /// The next whole frame, its checksums and lengths checked: its prelude and where its
    /// headers end (offsets in the frame), or `None` while it is incomplete.
    fn locate(&mut self) -> Result<Option<(Prelude, usize)>, Error> {
        let available = &self.buffer[self.consumed..];
        let prelude = match self.prelude {
            Some(prelude) => prelude,
            None => {
                let Some(bytes) = available.first_chunk::<PRELUDE_LEN>() else {
                    return Ok(None);
                };
                let prelude = Prelude::read(bytes, self.max_frame_len)?;
                self.prelude = Some(prelude);
                prelude
            }
        };
        let Some(frame) = available.get(..prelude.total_len) else {
            return Ok(None);
        };
        let (checked, message_crc) = frame
            .split_last_chunk::<4>()
            .ok_or_else(|| Error::invalid_event_stream("frame shorter than 16 bytes"))?;
        // The message CRC covers the prelude too: it goes on from the prelude's.
        let rest = checked.get(8..).unwrap_or_default();
        if !crc32::update(prelude.crc, rest) != u32::from_be_bytes(*message_crc) {
            return Err(Error::invalid_event_stream("message checksum mismatch"));
        }
        let headers_end = PRELUDE_LEN
            .checked_add(prelude.headers_len)
            .filter(|&end| end <= checked.len())
            .ok_or_else(|| Error::invalid_event_stream("headers length exceeds the frame"))?;
        Ok(Some((prelude, headers_end)))
    }
}

impl Prelude {
    /// Checks the prelude CRC before trusting either length, then the lengths themselves.
    fn read(bytes: &[u8; PRELUDE_LEN], max_frame_len: u32) -> Result<Self, Error> {
        let [t0, t1, t2, t3, h0, h1, h2, h3, c0, c1, c2, c3] = *bytes;
        let crc = crc32::update(!0, &bytes[..8]);
        if !crc != u32::from_be_bytes([c0, c1, c2, c3]) {
            return Err(Error::invalid_event_stream("prelude checksum mismatch"));
        }
        let total_len = u32::from_be_bytes([t0, t1, t2, t3]);
        let headers_len = u32::from_be_bytes([h0, h1, h2, h3]);
        if total_len > max_frame_len {
            return Err(Error::invalid_event_stream(format!(
                "frame too large ({total_len} bytes, limit {max_frame_len})"
            )));
        }
        let max_headers_len = total_len
            .checked_sub(MIN_FRAME_LEN)
            .ok_or_else(|| Error::invalid_event_stream("frame shorter than 16 bytes"))?;
        if headers_len > max_headers_len {
            return Err(Error::invalid_event_stream(
                "headers length exceeds the frame",
            ));
        }
        let to_usize = |len: u32| {
            usize::try_from(len).map_err(|_| Error::invalid_event_stream("frame too large"))
        };
        Ok(Self {
            total_len: to_usize(total_len)?,
            headers_len: to_usize(headers_len)?,
            crc,
        })
    }
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for FrameDecoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrameDecoder")
            .field("buffered", &(self.buffer.len() - self.consumed))
            .field("frame_len", &self.prelude.map(|p| p.total_len))
            .field("max_frame_len", &self.max_frame_len)
            .field("failed", &self.failed)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::super::crc32::crc32;
    use super::super::header::{encode_header, Header, HeaderValue};
    use super::super::message::MessageKind;
    use super::*;

    const EMPTY_MESSAGE: [u8; 16] = [
        0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8,
        0xff,
    ];

    fn prelude(total_len: u32, headers_len: u32) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&total_len.to_be_bytes());
        out.extend_from_slice(&headers_len.to_be_bytes());
        out.extend_from_slice(&crc32(&out).to_be_bytes());
        out
    }

    fn encode(headers: &[Header], payload: &[u8]) -> Vec<u8> {
        let mut section = Vec::new();
        for header in headers {
            encode_header(header, &mut section);
        }
        let total = 16 + section.len() + payload.len();
        let mut out = prelude(total as u32, section.len() as u32);
        out.extend_from_slice(&section);
        out.extend_from_slice(payload);
        out.extend_from_slice(&crc32(&out).to_be_bytes());
        out
    }

    fn event(event_type: &str, payload: &str) -> Message {
        let string = |name: &str, value: &str| Header {
            name: name.to_string(),
            value: HeaderValue::String(value.to_string()),
        };
        Message {
            headers: vec![
                string(":event-type", event_type),
                string(":content-type", "application/json"),
                string(":message-type", "event"),
            ],
            payload: payload.as_bytes().to_vec(),
        }
    }

    fn encode_message(message: &Message) -> Vec<u8> {
        encode(&message.headers, &message.payload)
    }

    fn decode_all(decoder: &mut FrameDecoder) -> Result<Vec<Message>, Error> {
        let mut out = Vec::new();
        while let Some(message) = decoder.next_message()? {
            out.push(message);
        }
        Ok(out)
    }

    fn error_after(bytes: &[u8]) -> String {
        let mut decoder = FrameDecoder::new();
        decoder.push(bytes);
        let err = decode_all(&mut decoder).unwrap_err();
        assert_eq!(err.name(), "InvalidEventStream");
        err.message()
    }

    #[test]
    fn decodes_the_empty_message() {
        let mut decoder = FrameDecoder::default();
        decoder.push(&EMPTY_MESSAGE);
        assert_eq!(
            decoder.next_message().unwrap(),
            Some(Message {
                headers: vec![],
                payload: vec![]
            })
        );
        assert_eq!(decoder.next_message().unwrap(), None);
        decoder.finish().unwrap();
    }

    #[test]
    fn decodes_across_every_split_point() {
        let messages = vec![
            event("messageStart", r#"{"role":"assistant"}"#),
            Message {
                headers: vec![],
                payload: vec![],
            },
            event("contentBlockDelta", r#"{"delta":{"text":"hé"}}"#),
        ];
        let body: Vec<u8> = messages.iter().flat_map(encode_message).collect();
        for first in 0..=body.len() {
            for second in first..=body.len() {
                let mut decoder = FrameDecoder::new();
                let mut got = Vec::new();
                for piece in [&body[..first], &body[first..second], &body[second..]] {
                    decoder.push(piece);
                    got.extend(decode_all(&mut decoder).unwrap());
                }
                decoder.finish().unwrap();
                assert_eq!(got, messages, "split at {first} and {second}");
            }
        }
    }

    #[test]
    fn nothing_until_the_last_byte() {
        let frame = encode_message(&event("chunk", "{}"));
        let mut decoder = FrameDecoder::new();
        for &byte in &frame[..frame.len() - 1] {
            decoder.push(&[byte]);
            assert_eq!(decoder.next_message().unwrap(), None);
        }
        decoder.push(&frame[frame.len() - 1..]);
        assert!(decoder.next_message().unwrap().is_some());
    }

    #[test]
    fn prelude_checksum_is_checked_first() {
        let mut frame = encode_message(&event("chunk", "{}"));
        frame[0] ^= 0x01;
        assert_eq!(error_after(&frame[..12]), "prelude checksum mismatch");
        let mut frame = encode_message(&event("chunk", "{}"));
        frame[11] ^= 0x80;
        assert_eq!(error_after(&frame), "prelude checksum mismatch");
    }

    #[test]
    fn message_checksum_is_checked() {
        let frame = encode_message(&event("chunk", "{}"));
        for index in 12..frame.len() {
            let mut corrupted = frame.clone();
            corrupted[index] ^= 0x10;
            assert_eq!(
                error_after(&corrupted),
                "message checksum mismatch",
                "byte {index}"
            );
        }
    }

    #[test]
    fn impossible_lengths_are_rejected_from_the_prelude() {
        assert_eq!(error_after(&prelude(15, 0)), "frame shorter than 16 bytes");
        assert_eq!(error_after(&prelude(0, 0)), "frame shorter than 16 bytes");
        assert_eq!(
            error_after(&prelude(20, 5)),
            "headers length exceeds the frame"
        );
        assert_eq!(
            error_after(&prelude(u32::MAX, u32::MAX)),
            format!(
                "frame too large ({} bytes, limit {})",
                u32::MAX,
                FrameDecoder::DEFAULT_MAX_FRAME_LEN
            )
        );
    }

    #[test]
    fn frame_cap_is_checked_before_the_body_arrives() {
        let cap = FrameDecoder::DEFAULT_MAX_FRAME_LEN;
        let mut decoder = FrameDecoder::new();
        decoder.push(&prelude(cap + 1, 0));
        let err = decoder.next_message().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "InvalidEventStream: frame too large ({} bytes, limit {cap})",
                cap + 1
            )
        );

        // A frame at the cap is accepted and waited for, without reserving its length.
        let mut decoder = FrameDecoder::new();
        decoder.push(&prelude(cap, 0));
        assert_eq!(decoder.next_message().unwrap(), None);
        assert!(decoder.buffer.capacity() < 1024);

        let frame = encode_message(&event("chunk", "{}"));
        let len = frame.len() as u32;
        let mut decoder = FrameDecoder::with_max_frame_len(len);
        decoder.push(&frame);
        assert!(decoder.next_message().unwrap().is_some());
        let mut decoder = FrameDecoder::with_max_frame_len(len - 1);
        decoder.push(&frame[..12]);
        assert!(decoder.next_message().is_err());
    }

    #[test]
    fn headers_must_fill_their_section() {
        // headers_length 2 cannot hold a header: it overruns the section.
        let mut frame = prelude(18, 2);
        frame.extend_from_slice(b"\x01a");
        frame.extend_from_slice(&crc32(&frame).to_be_bytes());
        assert_eq!(error_after(&frame), "header overruns the headers section");
    }

    #[test]
    fn errors_are_sticky() {
        let mut frame = encode_message(&event("chunk", "{}"));
        frame[20] ^= 1;
        let mut decoder = FrameDecoder::new();
        decoder.push(&frame);
        let first = decoder.next_message().unwrap_err();
        decoder.push(&EMPTY_MESSAGE);
        assert_eq!(decoder.next_message().unwrap_err(), first);
        assert_eq!(decoder.finish().unwrap_err(), first);
        assert!(decoder.buffer.is_empty());
    }

    #[test]
    fn header_errors_are_sticky_and_release_the_buffer() {
        // A frame whose checksums hold but whose header names repeat.
        let section = b"\x01a\x00\x01a\x00";
        let mut frame = prelude(16 + section.len() as u32, section.len() as u32);
        frame.extend_from_slice(section);
        frame.extend_from_slice(&crc32(&frame).to_be_bytes());
        let mut decoder = FrameDecoder::new();
        decoder.push(&frame);
        let first = decoder.next_message().unwrap_err();
        assert_eq!(first.message(), "duplicate header name");
        decoder.push(&EMPTY_MESSAGE);
        assert_eq!(decoder.next_message().unwrap_err(), first);
        assert!(decoder.buffer.is_empty());
        assert_eq!(decoder.finish().unwrap_err(), first);
    }

    #[test]
    fn finish_reports_partial_frames() {
        let frame = encode_message(&event("chunk", "{}"));
        let finish_after = |len: usize| {
            let mut decoder = FrameDecoder::new();
            decoder.push(&frame[..len]);
            assert_eq!(decoder.next_message().unwrap(), None);
            let err = decoder.finish().unwrap_err();
            assert_eq!(err.name(), "IncompleteStream");
            err.message()
        };
        assert_eq!(
            finish_after(5),
            "body ended inside a frame prelude (got 5 of 12 bytes)"
        );
        assert_eq!(
            finish_after(frame.len() - 1),
            format!(
                "body ended inside a frame (got {} of {} bytes)",
                frame.len() - 1,
                frame.len()
            )
        );
        let mut decoder = FrameDecoder::new();
        decoder.finish().unwrap();
        decoder.push(&frame);
        assert_eq!(
            decoder.finish().unwrap_err().message(),
            format!("body ended with {} undecoded bytes", frame.len())
        );
    }

    #[test]
    fn frames_are_read_in_place_and_the_buffer_is_reused() {
        let frame = encode_message(&event("chunk", "{}"));
        let mut decoder = FrameDecoder::new();
        decoder.push(&frame);
        decoder.push(&frame);
        let start = decoder.buffer.as_ptr();
        let first = decoder.next_frame().unwrap().unwrap();
        assert_eq!(first.payload, b"{}");
        assert_eq!(first.payload.as_ptr(), start.wrapping_add(frame.len() - 6));
        assert_eq!(
            first.kind().unwrap(),
            MessageKind::Event {
                event_type: "chunk"
            }
        );
        assert!(decoder.next_frame().unwrap().is_some());
        assert!(decoder.next_frame().unwrap().is_none());
        // Everything was read: the next bytes start the same allocation over.
        decoder.push(&frame);
        assert_eq!(decoder.buffer.len(), frame.len());
        assert_eq!(decoder.buffer.as_ptr(), start);
        assert_eq!(decoder.next_message().unwrap(), Some(event("chunk", "{}")));
        decoder.finish().unwrap();
    }

    #[test]
    fn many_small_frames_keep_the_buffer_small() {
        let frame = encode_message(&event("contentBlockDelta", r#"{"delta":{"text":"x"}}"#));
        let mut decoder = FrameDecoder::new();
        let mut decoded = 0;
        let body: Vec<u8> = std::iter::repeat_n(frame.as_slice(), 2000)
            .flatten()
            .copied()
            .collect();
        for piece in body.chunks(7) {
            decoder.push(piece);
            while let Some(message) = decoder.next_message().unwrap() {
                assert_eq!(message.payload, br#"{"delta":{"text":"x"}}"#);
                decoded += 1;
            }
            assert!(decoder.buffer.len() < 2 * frame.len() + 7);
        }
        assert_eq!(decoded, 2000);
        decoder.finish().unwrap();
    }

    #[test]
    fn a_whole_body_at_once_decodes_in_order() {
        let messages: Vec<Message> = (0..500)
            .map(|i| event("contentBlockDelta", &format!("{{\"i\":{i}}}")))
            .collect();
        let body: Vec<u8> = messages.iter().flat_map(encode_message).collect();
        let mut decoder = FrameDecoder::new();
        decoder.push(&body);
        assert_eq!(decode_all(&mut decoder).unwrap(), messages);
        decoder.finish().unwrap();
    }

    #[test]
    fn corrupted_bytes_never_panic() {
        // A small deterministic fuzz: flip bytes (recomputing both CRCs half of the time so the
        // header parser sees the damage) and check every outcome is a value or a typed error.
        let base = encode(
            &[
                Header {
                    name: "s".into(),
                    value: HeaderValue::String("value".into()),
                },
                Header {
                    name: "b".into(),
                    value: HeaderValue::ByteArray(vec![1, 2, 3]),
                },
                Header {
                    name: "u".into(),
                    value: HeaderValue::Uuid([7; 16]),
                },
            ],
            b"payload",
        );
        let mut seed = 0x2545_f491_u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize
        };
        for round in 0..3000 {
            let mut frame = base.clone();
            for _ in 0..1 + next() % 3 {
                let index = next() % frame.len();
                frame[index] = next() as u8;
            }
            if round % 2 == 0 {
                let crc = crc32(&frame[..8]).to_be_bytes();
                frame[8..12].copy_from_slice(&crc);
                let end = frame.len() - 4;
                let crc = crc32(&frame[..end]).to_be_bytes();
                frame[end..].copy_from_slice(&crc);
            }
            let mut decoder = FrameDecoder::new();
            decoder.push(&frame);
            match decode_all(&mut decoder) {
                Ok(_) => {}
                Err(err) => assert_eq!(err.name(), "InvalidEventStream", "round {round}"),
            }
        }
    }
}
