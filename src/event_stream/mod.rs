//! Incremental decoder for `application/vnd.amazon.eventstream`, the binary framing of
//! Bedrock's streaming responses (`ConverseStream`, `InvokeModelWithResponseStream`).
//!
//! Sans-IO: [`FrameDecoder`] takes bytes as they arrive and yields whole [`Message`]s, checking
//! the prelude and message CRC-32s and every length; [`Message::kind`] routes a message on
//! `:message-type` to an event, a modeled exception or an unmodeled error.
//! Wire format: <https://smithy.io/2.0/aws/amazon-eventstream.html>.
//!
//! ```
//! use bedrock_edge::event_stream::{FrameDecoder, MessageKind};
//!
//! let mut decoder = FrameDecoder::new();
//! // The smallest valid frame: no headers, no payload.
//! decoder.push(&[0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb]);
//! assert!(decoder.next_message()?.is_none());
//! decoder.push(&[0x7d, 0x98, 0xc8, 0xff]);
//! let message = decoder.next_message()?.expect("a whole frame");
//! assert!(message.headers.is_empty() && message.payload.is_empty());
//! assert!(message.kind().is_err()); // no `:message-type`
//! decoder.finish()?;
//! # let _ = MessageKind::Event { event_type: "chunk" };
//! # Ok::<(), bedrock_edge::Error>(())
//! ```

mod crc32;
mod frame_decoder;
mod header;
mod message;

pub use crc32::crc32;
pub use frame_decoder::FrameDecoder;
pub use header::{Header, HeaderValue};
pub use message::{Message, MessageKind};
