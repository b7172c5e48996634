//! A decoded event-stream message and its routing by `:message-type`.
//!
//! Semantics: <https://smithy.io/2.0/aws/amazon-eventstream.html> ("Amazon Event Semantics").

use super::header::{raw_headers, Header, HeaderValue, RawHeader};

use crate::Error;

/// One decoded frame: its headers in wire order and its payload bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Headers in the order they appeared (names are unique).
    pub headers: Vec<Header>,
    /// The payload; JSON for every Bedrock event.
    pub payload: Vec<u8>,
}

/// What a message carries, read from its `:message-type` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind<'a> {
    /// `:message-type: event`; the event is named by `:event-type` (e.g. `contentBlockDelta`).
    Event {
        /// The `:event-type` header.
        event_type: &'a str,
    },
    /// `:message-type: exception`, a modeled error such as `throttlingException`.
    Exception {
        /// The `:exception-type` header.
        exception_type: &'a str,
    },
    /// `:message-type: error`, an unmodeled error.
    Error {
        /// The `:error-code` header.
        code: &'a str,
        /// The `:error-message` header, when present.
        message: Option<&'a str>,
    },
}

impl Message {
    /// The value of the header called `name`, if present.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|header| header.name == name)
            .map(|header| &header.value)
    }

    /// The value of the header called `name` if it is a string header (type 7).
    pub fn string_header(&self, name: &str) -> Option<&str> {
        match self.header(name) {
            Some(HeaderValue::String(value)) => Some(value),
            _ => None,
        }
    }

    /// Routes the message on `:message-type`.
    ///
    /// A missing or unknown message type, or a missing (or non-string) `:event-type`,
    /// `:exception-type` or `:error-code`, is an `InvalidEventStream` error.
    pub fn kind(&self) -> Result<MessageKind<'_>, Error> {
        let mut routing = Routing::default();
        for header in &self.headers {
            let value = match &header.value {
                HeaderValue::String(value) => Some(value.as_str()),
                _ => None,
            };
            routing.note(&header.name, value);
        }
        routing.kind()
    }
}

/// A decoded frame still in the decoder's buffer: its checked headers section and its payload.
/// What [`Message`] holds, without copying it out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame<'a> {
    /// A headers section that [`super::header::check_headers`] accepted.
    pub headers: &'a [u8],
    /// The payload.
    pub payload: &'a [u8],
    /// The routing headers, found as the headers section was checked.
    pub routing: Routing<'a>,
}

impl<'a> Frame<'a> {
    /// The frame as an owned [`Message`].
    pub(crate) fn to_message(self) -> Message {
        Message {
            headers: raw_headers(self.headers)
                .map(RawHeader::to_header)
                .collect(),
            payload: self.payload.to_vec(),
        }
    }

    /// Routes the frame on `:message-type`, as [`Message::kind`] does.
    pub(crate) fn kind(&self) -> Result<MessageKind<'a>, Error> {
        self.routing.kind()
    }
}

/// The string values of the headers a message is routed on, noted in one pass over its
/// headers (a header of another type, or of another name, notes nothing).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Routing<'a> {
    message_type: Option<&'a str>,
    event_type: Option<&'a str>,
    exception_type: Option<&'a str>,
    error_code: Option<&'a str>,
    error_message: Option<&'a str>,
}

impl<'a> Routing<'a> {
    /// Notes header `name`, with its value when it is a string; the first of a name counts.
    pub(crate) fn note(&mut self, name: &str, value: Option<&'a str>) {
        let slot = match name {
            ":message-type" => &mut self.message_type,
            ":event-type" => &mut self.event_type,
            ":exception-type" => &mut self.exception_type,
            ":error-code" => &mut self.error_code,
            ":error-message" => &mut self.error_message,
            _ => return,
        };
        if slot.is_none() {
            *slot = value;
        }
    }

    /// The routing of a section whose `:message-type` is `event`, to `event_type`.
    pub(crate) fn event(event_type: &'a str) -> Self {
        Routing {
            message_type: Some("event"),
            event_type: Some(event_type),
            ..Routing::default()
        }
    }

    /// The routing rule of [`Message::kind`]: a missing or unknown message type, or a missing
    /// `:event-type`, `:exception-type` or `:error-code`, is an `InvalidEventStream` error.
    pub(crate) fn kind(&self) -> Result<MessageKind<'a>, Error> {
        let required = |value: Option<&'a str>, detail: &'static str| {
            value.ok_or_else(|| Error::invalid_event_stream(detail))
        };
        match required(self.message_type, "missing :message-type header")? {
            "event" => Ok(MessageKind::Event {
                event_type: required(self.event_type, "missing :event-type header")?,
            }),
            "exception" => Ok(MessageKind::Exception {
                exception_type: required(self.exception_type, "missing :exception-type header")?,
            }),
            "error" => Ok(MessageKind::Error {
                code: required(self.error_code, "missing :error-code header")?,
                message: self.error_message,
            }),
            _ => Err(Error::invalid_event_stream("unknown :message-type")),
        }
    }
}

#[cfg(test)]
impl Message {
    /// A message whose headers are all strings, as every Bedrock frame's are (for tests).
    pub(crate) fn with_string_headers(headers: &[(&str, &str)], payload: Vec<u8>) -> Self {
        Self {
            headers: headers
                .iter()
                .map(|(name, value)| Header {
                    name: name.to_string(),
                    value: HeaderValue::String(value.to_string()),
                })
                .collect(),
            payload,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(headers: &[(&str, &str)]) -> Message {
        Message::with_string_headers(headers, Vec::new())
    }

    fn kind_error(message: &Message) -> String {
        let err = message.kind().unwrap_err();
        assert_eq!(err.name(), "InvalidEventStream");
        err.message()
    }

    #[test]
    fn routes_events() {
        let m = message(&[
            (":event-type", "contentBlockDelta"),
            (":content-type", "application/json"),
            (":message-type", "event"),
        ]);
        assert_eq!(
            m.kind().unwrap(),
            MessageKind::Event {
                event_type: "contentBlockDelta"
            }
        );
    }

    #[test]
    fn routes_exceptions() {
        let m = message(&[
            (":message-type", "exception"),
            (":exception-type", "modelStreamErrorException"),
        ]);
        assert_eq!(
            m.kind().unwrap(),
            MessageKind::Exception {
                exception_type: "modelStreamErrorException"
            }
        );
    }

    #[test]
    fn routes_errors_with_and_without_message() {
        let m = message(&[
            (":message-type", "error"),
            (":error-code", "InternalFailure"),
            (":error-message", "boom"),
        ]);
        assert_eq!(
            m.kind().unwrap(),
            MessageKind::Error {
                code: "InternalFailure",
                message: Some("boom")
            }
        );
        let m = message(&[
            (":message-type", "error"),
            (":error-code", "InternalFailure"),
        ]);
        assert_eq!(
            m.kind().unwrap(),
            MessageKind::Error {
                code: "InternalFailure",
                message: None
            }
        );
    }

    #[test]
    fn frames_route_as_messages_do() {
        for headers in [
            vec![(":event-type", "chunk"), (":message-type", "event")],
            vec![(":message-type", "exception"), (":exception-type", "x")],
            vec![(":message-type", "error"), (":error-code", "C")],
            vec![
                (":message-type", "error"),
                (":error-code", "C"),
                (":error-message", "m"),
            ],
            vec![(":message-type", "event")],
            vec![(":message-type", "other")],
            vec![],
        ] {
            let message = Message::with_string_headers(&headers, b"{}".to_vec());
            let mut section = Vec::new();
            for header in &message.headers {
                super::super::header::encode_header(header, &mut section);
            }
            let frame = Frame {
                headers: &section,
                payload: b"{}",
                routing: super::super::header::check_headers(&section).unwrap(),
            };
            assert_eq!(frame.kind(), message.kind());
            assert_eq!(frame.to_message(), message);
        }
    }

    #[test]
    fn frames_route_on_string_headers_only() {
        // `:message-type` as a byte array, `:event-type` as a string: no message type.
        let section = b"\x0d:message-type\x06\x00\x05event\x0b:event-type\x07\x00\x01x";
        let frame = Frame {
            headers: section,
            payload: b"",
            routing: super::super::header::check_headers(section).unwrap(),
        };
        let err = frame.kind().unwrap_err();
        assert_eq!(err.message(), "missing :message-type header");
        assert_eq!(frame.kind(), frame.to_message().kind());
    }

    #[test]
    fn rejects_missing_or_unknown_message_type() {
        assert_eq!(kind_error(&message(&[])), "missing :message-type header");
        assert_eq!(
            kind_error(&message(&[(":message-type", "initial-response")])),
            "unknown :message-type"
        );
    }

    #[test]
    fn rejects_missing_required_headers() {
        assert_eq!(
            kind_error(&message(&[(":message-type", "event")])),
            "missing :event-type header"
        );
        assert_eq!(
            kind_error(&message(&[(":message-type", "exception")])),
            "missing :exception-type header"
        );
        assert_eq!(
            kind_error(&message(&[(":message-type", "error")])),
            "missing :error-code header"
        );
    }

    #[test]
    fn non_string_headers_are_not_strings() {
        let m = Message {
            headers: vec![
                Header {
                    name: ":message-type".into(),
                    value: HeaderValue::ByteArray(b"event".to_vec()),
                },
                Header {
                    name: "n".into(),
                    value: HeaderValue::Int32(7),
                },
            ],
            payload: Vec::new(),
        };
        assert_eq!(m.header("n"), Some(&HeaderValue::Int32(7)));
        assert_eq!(m.string_header("n"), None);
        assert_eq!(m.header("absent"), None);
        assert_eq!(kind_error(&m), "missing :message-type header");
    }
}
