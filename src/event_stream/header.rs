//! Event-stream headers: typed name/value pairs and the parser for a frame's headers section.
//!
//! Wire format: <https://smithy.io/2.0/aws/amazon-eventstream.html> ("Headers Format").

use std::ops::Range;

use super::message::{MessageKind, Routing};
use crate::Error;

/// One header of an event-stream message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Header name, 1 to 255 bytes of UTF-8 (for example `:event-type`).
    pub name: String,
    /// Header value with its wire type.
    pub value: HeaderValue,
}

/// A header value; each variant is one of the ten wire types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// Types 0 (`true`) and 1 (`false`).
    Bool(bool),
    /// Type 2: a signed byte.
    Byte(i8),
    /// Type 3: a big-endian 16-bit integer.
    Int16(i16),
    /// Type 4: a big-endian 32-bit integer.
    Int32(i32),
    /// Type 5: a big-endian 64-bit integer.
    Int64(i64),
    /// Type 6: raw bytes (16-bit length prefix).
    ByteArray(Vec<u8>),
    /// Type 7: a UTF-8 string (16-bit length prefix); every header Bedrock sends has this type.
    String(String),
    /// Type 8: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Type 9: a 16-byte UUID.
    Uuid([u8; 16]),
}

const TYPE_TRUE: u8 = 0;
const TYPE_FALSE: u8 = 1;
const TYPE_BYTE: u8 = 2;
const TYPE_INT16: u8 = 3;
const TYPE_INT32: u8 = 4;
const TYPE_INT64: u8 = 5;
const TYPE_BYTE_ARRAY: u8 = 6;
const TYPE_STRING: u8 = 7;
const TYPE_TIMESTAMP: u8 = 8;
const TYPE_UUID: u8 = 9;

/// Parses a whole headers section ([`check_headers`], then [`raw_headers`] copied out).
#[cfg(test)]
pub(crate) fn parse_headers(section: &[u8]) -> Result<Vec<Header>, Error> {
    check_headers(section)?;
    Ok(raw_headers(section).map(RawHeader::to_header).collect())
}

/// Checks a whole headers section without copying anything out of it, noting the headers it
/// is routed on as it goes; [`raw_headers`] reads it again when wanted. The headers must fill
/// it exactly.
///
/// Names must be 1..=255 bytes of UTF-8 and unique within the message: the spec says a name
/// appears at most once, and a second `:message-type` would make routing ambiguous, so a
/// duplicate is an error rather than silently shadowed. Byte-array and string values may be
/// 0..=65535 bytes long: the spec's 1..=32767 range binds encoders, and decoders stay lenient.
pub(crate) fn check_headers(section: &[u8]) -> Result<Routing<'_>, Error> {
    // Frames carry a handful of headers, checked for duplicates pairwise as they are read; a
    // hostile frame may carry millions, hence the sort past eight.
    // A malformed header anywhere is reported before a duplicate name.
    let mut first: [&str; 8] = [""; 8];
    let mut count = 0;
    let mut duplicate = false;
    let mut routing = Routing::default();
    let mut reader = Reader { rest: section };
    while !reader.rest.is_empty() {
        let header = reader.header()?;
        let name = header.name;
        routing.note(name, header.text);
        if count < first.len() {
            duplicate |= first[..count].contains(&name);
            first[count] = name;
        }
        count += 1;
    }
    if count > first.len() {
        let mut names: Vec<&str> = raw_headers(section).map(|h| h.name).collect();
        names.sort_unstable();
        duplicate = names.windows(2).any(|pair| pair[0] == pair[1]);
    }
    match duplicate {
        true => Err(Error::invalid_event_stream("duplicate header name")),
        false => Ok(routing),
    }
}

/// The last headers section [`check_headers`] accepted, when it routes to an event. The frames
/// of a stream mostly repeat one section byte for byte (the same `:event-type`, `:content-type`
/// and `:message-type`), which is then compared with this copy instead of being read again.
#[derive(Debug, Default)]
pub(crate) struct LastHeaders {
    /// Empty when no section is kept (an event's section never is).
    section: Vec<u8>,
    /// Where its `:event-type` value lies in it.
    event_type: Range<usize>,
}

impl LastHeaders {
    /// Sections above this size are checked every time and never kept.
    const MAX_KEPT: usize = 1024;

    /// [`check_headers`] of `section`, or the routing of the kept section when `section` is
    /// the same bytes.
    pub(crate) fn check<'a>(&mut self, section: &'a [u8]) -> Result<Routing<'a>, Error> {
        if !self.section.is_empty() && self.section == section {
            let event_type = section.get(self.event_type.clone());
            if let Some(Ok(event_type)) = event_type.map(std::str::from_utf8) {
                return Ok(Routing::event(event_type));
            }
        }
        let routing = check_headers(section)?;
        self.section.clear();
        if let (true, Ok(MessageKind::Event { event_type })) =
            (section.len() <= Self::MAX_KEPT, routing.kind())
        {
            // The routing's values borrow from `section`: where this one starts in it.
            let start = event_type.as_ptr() as usize - section.as_ptr() as usize;
            self.event_type = start..start + event_type.len();
            self.section.extend_from_slice(section);
        }
        Ok(routing)
    }
}

/// The headers of a section [`check_headers`] accepted, borrowed from it in wire order.
pub(crate) fn raw_headers(section: &[u8]) -> impl Iterator<Item = RawHeader<'_>> {
    let mut reader = Reader { rest: section };
    std::iter::from_fn(move || match reader.rest.is_empty() {
        true => None,
        false => reader.header().ok(),
    })
}

/// One header as it sits in its section: its name, wire type and value bytes (without the
/// length prefix of a string or byte array). A string value is valid UTF-8.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawHeader<'a> {
    /// The header name.
    pub name: &'a str,
    value_type: u8,
    value: &'a [u8],
    /// The value of a string header, checked once as it is read.
    text: Option<&'a str>,
}

impl<'a> RawHeader<'a> {
    /// The value, when it is a string (type 7).
    pub(crate) fn as_str(&self) -> Option<&'a str> {
        self.text
    }

    pub(crate) fn to_header(self) -> Header {
        let value = match self.value_type {
            TYPE_TRUE => HeaderValue::Bool(true),
            TYPE_FALSE => HeaderValue::Bool(false),
            TYPE_BYTE => HeaderValue::Byte(i8::from_be_bytes(array(self.value))),
            TYPE_INT16 => HeaderValue::Int16(i16::from_be_bytes(array(self.value))),
            TYPE_INT32 => HeaderValue::Int32(i32::from_be_bytes(array(self.value))),
            TYPE_INT64 => HeaderValue::Int64(i64::from_be_bytes(array(self.value))),
            TYPE_BYTE_ARRAY => HeaderValue::ByteArray(self.value.to_vec()),
            TYPE_TIMESTAMP => HeaderValue::Timestamp(i64::from_be_bytes(array(self.value))),
            TYPE_UUID => HeaderValue::Uuid(array(self.value)),
            _ => HeaderValue::String(self.as_str().unwrap_or_default().to_string()),
        };
        Header {
            name: self.name.to_string(),
            value,
        }
    }
}

/// The bytes of a fixed-size value, whose length the reader has checked.
fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(bytes);
    out
}

/// A cursor over the headers section that never reads past its end.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], Error> {
        if len > self.rest.len() {
            return Err(Error::invalid_event_stream(
                "header overruns the headers section",
            ));
        }
        let (head, tail) = self.rest.split_at(len);
        self.rest = tail;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    fn header(&mut self) -> Result<RawHeader<'a>, Error> {
        let name_len = self.byte()?;
        if name_len == 0 {
            return Err(Error::invalid_event_stream("empty header name"));
        }
        let name = std::str::from_utf8(self.take(usize::from(name_len))?)
            .map_err(|_| Error::invalid_event_stream("header name is not valid utf-8"))?;
        let value_type = self.byte()?;
        let value = match value_type {
            TYPE_TRUE | TYPE_FALSE => &[],
            TYPE_BYTE => self.take(1)?,
            TYPE_INT16 => self.take(2)?,
            TYPE_INT32 => self.take(4)?,
            TYPE_INT64 | TYPE_TIMESTAMP => self.take(8)?,
            TYPE_UUID => self.take(16)?,
            TYPE_BYTE_ARRAY | TYPE_STRING => {
                let len = u16::from_be_bytes(array(self.take(2)?));
                self.take(usize::from(len))?
            }
            _ => return Err(Error::invalid_event_stream("unknown header value type")),
        };
        let text = match value_type {
            TYPE_STRING => Some(
                std::str::from_utf8(value)
                    .map_err(|_| Error::invalid_event_stream("string header is not valid utf-8"))?,
            ),
            _ => None,
        };
        Ok(RawHeader {
            name,
            value_type,
            value,
            text,
        })
    }
}

/// Test-only encoder, the inverse of [`parse_headers`].
#[cfg(test)]
pub(crate) fn encode_header(header: &Header, out: &mut Vec<u8>) {
    out.push(u8::try_from(header.name.len()).expect("name fits a u8"));
    out.extend_from_slice(header.name.as_bytes());
    let sized = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(&u16::try_from(bytes.len()).expect("fits").to_be_bytes());
        out.extend_from_slice(bytes);
    };
    match &header.value {
        HeaderValue::Bool(true) => out.push(TYPE_TRUE),
        HeaderValue::Bool(false) => out.push(TYPE_FALSE),
        HeaderValue::Byte(v) => {
            out.push(TYPE_BYTE);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int16(v) => {
            out.push(TYPE_INT16);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int32(v) => {
            out.push(TYPE_INT32);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int64(v) => {
            out.push(TYPE_INT64);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::ByteArray(v) => {
            out.push(TYPE_BYTE_ARRAY);
            sized(out, v);
        }
        HeaderValue::String(v) => {
            out.push(TYPE_STRING);
            sized(out, v.as_bytes());
        }
        HeaderValue::Timestamp(v) => {
            out.push(TYPE_TIMESTAMP);
            out.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Uuid(v) => {
            out.push(TYPE_UUID);
            out.extend_from_slice(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, value: HeaderValue) -> Header {
        Header {
            name: name.to_string(),
            value,
        }
    }

    fn all_types() -> Vec<Header> {
        vec![
            header("t", HeaderValue::Bool(true)),
            header("f", HeaderValue::Bool(false)),
            header("byte", HeaderValue::Byte(-49)),
            header("short", HeaderValue::Int16(-2)),
            header("int", HeaderValue::Int32(40972)),
            header("long", HeaderValue::Int64(-50_000_000_000)),
            header("bytes", HeaderValue::ByteArray(vec![0, 0xff, 7])),
            header("str", HeaderValue::String("héllo".into())),
            header("time", HeaderValue::Timestamp(8_675_309)),
            header("uuid", HeaderValue::Uuid(*b"0123456789abcdef")),
        ]
    }

    fn encode(headers: &[Header]) -> Vec<u8> {
        let mut out = Vec::new();
        for h in headers {
            encode_header(h, &mut out);
        }
        out
    }

    /// A section of string headers.
    fn strings(pairs: &[(&str, &str)]) -> Vec<u8> {
        let headers: Vec<Header> = pairs
            .iter()
            .map(|(name, value)| header(name, HeaderValue::String(value.to_string())))
            .collect();
        encode(&headers)
    }

    #[test]
    fn last_headers_route_a_repeated_section_as_a_fresh_read_does() {
        let event = |event_type: &str| {
            strings(&[
                (":event-type", event_type),
                (":content-type", "application/json"),
                (":message-type", "event"),
            ])
        };
        let exception = strings(&[
            (":exception-type", "throttlingException"),
            (":message-type", "exception"),
        ]);
        let mut last = LastHeaders::default();
        let routed = |last: &mut LastHeaders, section: &[u8]| {
            let fresh = check_headers(section).map(|r| r.kind().map(|k| format!("{k:?}")));
            let kept = last
                .check(section)
                .map(|r| r.kind().map(|k| format!("{k:?}")));
            assert_eq!(
                kept.as_ref().map_err(Error::message),
                fresh.as_ref().map_err(Error::message)
            );
            kept.ok().and_then(Result::ok)
        };
        // Nothing kept yet: an empty section routes nowhere.
        assert_eq!(routed(&mut last, b""), None);
        let delta = event("contentBlockDelta");
        for _ in 0..3 {
            assert!(routed(&mut last, &delta).is_some_and(|k| k.contains("contentBlockDelta")));
        }
        assert_eq!(last.section, delta);
        // A section of the same length but another event type is read, and kept in its place.
        let start = event("contentBlockStart");
        assert_eq!(start.len(), delta.len());
        assert!(routed(&mut last, &start).is_some_and(|k| k.contains("contentBlockStart")));
        assert!(routed(&mut last, &start).is_some_and(|k| k.contains("contentBlockStart")));
        // An exception's section is routed but not kept; a malformed one is an error.
        assert!(routed(&mut last, &exception).is_some_and(|k| k.contains("throttlingException")));
        assert!(last.section.is_empty());
        assert_eq!(routed(&mut last, &delta[..delta.len() - 1]), None);
        assert!(routed(&mut last, &delta).is_some_and(|k| k.contains("contentBlockDelta")));
    }

    fn detail(section: &[u8]) -> String {
        let err = parse_headers(section).unwrap_err();
        assert_eq!(err.name(), "InvalidEventStream");
        err.message()
    }

    #[test]
    fn empty_section_has_no_headers() {
        assert_eq!(parse_headers(&[]).unwrap(), vec![]);
    }

    #[test]
    fn all_ten_types_round_trip() {
        let headers = all_types();
        assert_eq!(parse_headers(&encode(&headers)).unwrap(), headers);
    }

    #[test]
    fn wire_bytes_of_a_string_header() {
        let bytes = b"\x0b:event-type\x07\x00\x05chunk";
        assert_eq!(
            parse_headers(bytes).unwrap(),
            vec![header(":event-type", HeaderValue::String("chunk".into()))]
        );
    }

    #[test]
    fn empty_byte_array_and_string_are_accepted() {
        let headers = vec![
            header("b", HeaderValue::ByteArray(vec![])),
            header("s", HeaderValue::String(String::new())),
        ];
        assert_eq!(parse_headers(&encode(&headers)).unwrap(), headers);
    }

    #[test]
    fn longest_name_is_accepted() {
        let name = "n".repeat(255);
        let headers = vec![header(&name, HeaderValue::Bool(true))];
        assert_eq!(parse_headers(&encode(&headers)).unwrap(), headers);
    }

    #[test]
    fn empty_name_is_rejected() {
        assert_eq!(detail(b"\x00\x00"), "empty header name");
    }

    #[test]
    fn unknown_type_is_rejected() {
        assert_eq!(detail(b"\x01a\x0a"), "unknown header value type");
        assert_eq!(detail(b"\x01a\x60"), "unknown header value type");
    }

    #[test]
    fn invalid_utf8_is_rejected() {
        assert_eq!(detail(b"\x01\xff\x00"), "header name is not valid utf-8");
        assert_eq!(
            detail(b"\x01a\x07\x00\x02\xc3\x28"),
            "string header is not valid utf-8"
        );
    }

    #[test]
    fn every_truncation_is_rejected() {
        let full = encode(&all_types());
        for len in 1..full.len() {
            // Any prefix that cuts a header short must fail, never panic or read past the end.
            if let Ok(headers) = parse_headers(&full[..len]) {
                let reencoded = encode(&headers);
                assert_eq!(reencoded.len(), len, "prefix {len} parsed partially");
            }
        }
        assert_eq!(detail(b"\x05ab"), "header overruns the headers section");
        assert_eq!(detail(b"\x01a"), "header overruns the headers section");
        assert_eq!(
            detail(b"\x01a\x07\x00\x09abc"),
            "header overruns the headers section"
        );
        assert_eq!(
            detail(b"\x01a\x04\x00"),
            "header overruns the headers section"
        );
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let few = vec![
            header("a", HeaderValue::Bool(true)),
            header("a", HeaderValue::Bool(false)),
        ];
        assert_eq!(detail(&encode(&few)), "duplicate header name");
        let mut many: Vec<Header> = (0..20)
            .map(|i| header(&format!("h{i}"), HeaderValue::Int32(i)))
            .collect();
        assert!(parse_headers(&encode(&many)).is_ok());
        many.push(header("h7", HeaderValue::Bool(true)));
        assert_eq!(detail(&encode(&many)), "duplicate header name");
    }
}
