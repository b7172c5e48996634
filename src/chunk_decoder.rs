//! Bytes in, chunks out: the event-stream frame decoder joined to an API family's event
//! mapper. Sans-IO, so the wasm client and the recorded-stream tests run the same path.

use crate::chat::output::AIMessageChunk;
use crate::event_stream::{FrameDecoder, Message};
use crate::Error;

/// Maps one API family's decoded frames to chunks.
pub trait EventMapper {
    /// One frame: `Ok(Some(chunk))` when it carries something, `Ok(None)` when not, `Err` for
    /// exception and error frames and for malformed payloads.
    fn map_message(&mut self, message: &Message) -> Result<Option<AIMessageChunk>, Error>;

    /// The end of the body: a last chunk, or an error when the stream stopped too early.
    fn finish(&mut self) -> Result<Option<AIMessageChunk>, Error>;
}

/// Decodes a response body into chunks as its bytes arrive.
#[derive(Debug)]
pub struct ChunkDecoder<M> {
    frames: FrameDecoder,
    mapper: M,
}

impl<M: EventMapper> ChunkDecoder<M> {
    /// A decoder that maps frames with `mapper`.
    pub fn new(mapper: M) -> Self {
        Self {
            frames: FrameDecoder::new(),
            mapper,
        }
    }

    /// Buffers the next bytes of the body.
    pub fn push(&mut self, bytes: &[u8]) {
        self.frames.push(bytes);
    }

    /// The next chunk from the frames buffered so far, or `None` until more bytes arrive.
    pub fn next_chunk(&mut self) -> Result<Option<AIMessageChunk>, Error> {
        while let Some(message) = self.frames.next_message()? {
            if let Some(chunk) = self.mapper.map_message(&message)? {
                return Ok(Some(chunk));
            }
        }
        Ok(None)
    }

    /// Every chunk the buffered frames give, appended to `out`. On an error the chunks decoded
    /// before it are still in `out`, so they can be delivered before the error.
    pub fn drain_into(&mut self, out: &mut Vec<AIMessageChunk>) -> Result<(), Error> {
        while let Some(chunk) = self.next_chunk()? {
            out.push(chunk);
        }
        Ok(())
    }

    /// Ends the body: an error if it stopped inside a frame or before the stream was done,
    /// else the mapper's last chunk.
    pub fn finish(&mut self) -> Result<Option<AIMessageChunk>, Error> {
        self.frames.finish()?;
        self.mapper.finish()
    }
}
