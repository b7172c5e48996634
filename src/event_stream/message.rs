//! A decoded event-stream message and its routing by `:message-type`.
//!
//! Semantics: <https://smithy.io/2.0/aws/amazon-eventstream.html> ("Amazon Event Semantics").

use super::header::{Header, HeaderValue};
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
        let required = |name: &str, detail: &'static str| {
            self.string_header(name)
                .ok_or_else(|| Error::invalid_event_stream(detail))
        };
        match required(":message-type", "missing :message-type header")? {
            "event" => Ok(MessageKind::Event {
                event_type: required(":event-type", "missing :event-type header")?,
            }),
            "exception" => Ok(MessageKind::Exception {
                exception_type: required(":exception-type", "missing :exception-type header")?,
            }),
            "error" => Ok(MessageKind::Error {
                code: required(":error-code", "missing :error-code header")?,
                message: self.string_header(":error-message"),
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
