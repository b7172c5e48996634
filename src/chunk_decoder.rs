//! Bytes in, chunks out: the event-stream frame decoder joined to an API family's event
//! mapper. Sans-IO, so the wasm client and the recorded-stream tests run the same path.

use crate::chat::output::{AIMessageChunk, Delta};
use crate::chunk_batch::ChunkBatch;
use crate::error::DEFAULT_STATUS;
use crate::event_stream::{FrameDecoder, Message, MessageKind};
use crate::http_error::error_from_exception;
use crate::Error;

/// Maps one API family's events to chunks. Exception and error frames never reach it: they
/// are the same for every family, and [`map_message`] turns them into errors.
pub trait EventMapper {
    /// One event (`:event-type` and JSON payload): `Ok(Some(chunk))` when it carries
    /// something, `Ok(None)` when not, `Err` for a malformed payload.
    fn map_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
    ) -> Result<Option<AIMessageChunk>, Error>;

    /// Hands the event's chunk to `sink` itself, where that costs less than
    /// [`map_event`](Self::map_event), and gives `true`: a plain delta as it lies in the
    /// payload ([`ChunkSink::push_delta`]), with no chunk built (Converse), or any event of an
    /// invoke stream, whose `chunk` wrapper is then unwrapped once. What reaches the sink must
    /// be what `map_event` gives. `false` (what a mapper without such a path gives) leaves the
    /// event to `map_event`.
    fn push_event(
        &mut self,
        _event_type: &str,
        _payload: &[u8],
        _sink: &mut dyn ChunkSink,
    ) -> Result<bool, Error> {
        Ok(false)
    }

    /// The `x-amzn-RequestId` of the response, for the errors its frames report.
    fn request_id(&self) -> Option<&str>;

    /// The end of the body: a last chunk, or an error when the stream stopped too early.
    fn finish(&mut self) -> Result<Option<AIMessageChunk>, Error>;
}

impl EventMapper for Box<dyn EventMapper> {
    fn map_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
    ) -> Result<Option<AIMessageChunk>, Error> {
        (**self).map_event(event_type, payload)
    }

    fn push_event(
        &mut self,
        event_type: &str,
        payload: &[u8],
        sink: &mut dyn ChunkSink,
    ) -> Result<bool, Error> {
        (**self).push_event(event_type, payload, sink)
    }

    fn request_id(&self) -> Option<&str> {
        (**self).request_id()
    }

    fn finish(&mut self) -> Result<Option<AIMessageChunk>, Error> {
        (**self).finish()
    }
}

/// Routes one decoded frame on `:message-type`: events to `mapper`; a modelled exception
/// (`:exception-type`) or an unmodelled error (`:error-code`) becomes the service error it names.
pub fn map_message<M: EventMapper>(
    mapper: &mut M,
    message: &Message,
) -> Result<Option<AIMessageChunk>, Error> {
    let mut chunks = Vec::new();
    map_routed(mapper, message.kind()?, &message.payload, &mut chunks)?;
    Ok(chunks.pop())
}

/// [`map_message`] for a frame already routed to `kind`, with its payload: an event's chunk
/// (if any) goes into `sink`.
fn map_routed<M: EventMapper>(
    mapper: &mut M,
    kind: MessageKind,
    payload: &[u8],
    sink: &mut dyn ChunkSink,
) -> Result<(), Error> {
    let request_id = || mapper.request_id().map(str::to_string);
    match kind {
        MessageKind::Event { event_type } => {
            if mapper.push_event(event_type, payload, sink)? {
                return Ok(());
            }
            match mapper.map_event(event_type, payload)? {
                Some(chunk) => sink.push(chunk),
                None => Ok(()),
            }
        }
        MessageKind::Exception { exception_type } => Err(error_from_exception(
            exception_type,
            payload,
            request_id().as_deref(),
        )),
        MessageKind::Error {
            code,
            message: text,
        } => Err(Error::service(
            code,
            DEFAULT_STATUS,
            request_id(),
            text.unwrap_or(code),
        )),
    }
}

/// Where [`ChunkDecoder::drain_into`] puts chunks: a `Vec`, or a [`ChunkBatch`] that encodes
/// them for JS as they come.
pub trait ChunkSink {
    /// How many chunks it holds.
    fn count(&self) -> usize;
    /// Adds the next chunk.
    fn push(&mut self, chunk: AIMessageChunk) -> Result<(), Error>;
    /// Adds the plain-delta chunk of run `id` that `delta` describes
    /// ([`AIMessageChunk::from_delta`]).
    fn push_delta(&mut self, id: &str, delta: Delta<'_>) -> Result<(), Error> {
        self.push(AIMessageChunk::from_delta(id, delta))
    }
}

impl ChunkSink for Vec<AIMessageChunk> {
    fn count(&self) -> usize {
        Vec::len(self)
    }

    fn push(&mut self, chunk: AIMessageChunk) -> Result<(), Error> {
        Vec::push(self, chunk);
        Ok(())
    }
}

impl ChunkSink for ChunkBatch {
    fn count(&self) -> usize {
        ChunkBatch::len(self)
    }

    fn push(&mut self, chunk: AIMessageChunk) -> Result<(), Error> {
        ChunkBatch::push(self, chunk)
    }

    fn push_delta(&mut self, id: &str, delta: Delta<'_>) -> Result<(), Error> {
        ChunkBatch::push_delta(self, id, delta)
    }
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

    /// Every chunk the buffered frames give, appended to `out`. On an error the chunks decoded
    /// before it are still in `out`, so they can be delivered before the error.
    pub fn drain_into<S: ChunkSink>(&mut self, out: &mut S) -> Result<(), Error> {
        self.drain_at_most(out, usize::MAX)
    }

    /// Like [`drain_into`](Self::drain_into), but stops once `out` holds `max` chunks; the
    /// frames not yet decoded stay buffered for the next call. This bounds what one batch
    /// holds however many frames one network read brought.
    pub fn drain_at_most<S: ChunkSink>(&mut self, out: &mut S, max: usize) -> Result<(), Error> {
        // Frames are mapped where they lie in the decoder's buffer, never copied out.
        while out.count() < max {
            let Some(frame) = self.frames.next_frame()? else {
                break;
            };
            map_routed(&mut self.mapper, frame.kind()?, frame.payload, out)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::output::CallInfo;
    use crate::converse::stream::ConverseStreamMapper;

    /// Encodes one ConverseStream event frame (string headers, JSON payload).
    fn frame(event_type: &str, payload: &str) -> Vec<u8> {
        let mut headers = Vec::new();
        for (name, value) in [(":message-type", "event"), (":event-type", event_type)] {
            headers.push(name.len() as u8);
            headers.extend_from_slice(name.as_bytes());
            headers.push(7);
            headers.extend_from_slice(&(value.len() as u16).to_be_bytes());
            headers.extend_from_slice(value.as_bytes());
        }
        let total = 16 + headers.len() + payload.len();
        let mut out = Vec::with_capacity(total);
        out.extend_from_slice(&(total as u32).to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        out.extend_from_slice(&crate::event_stream::crc32(&out).to_be_bytes());
        out.extend_from_slice(&headers);
        out.extend_from_slice(payload.as_bytes());
        let crc = crate::event_stream::crc32(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    #[test]
    fn error_and_exception_frames_keep_the_name_they_give() {
        let mut mapper = ConverseStreamMapper::new(CallInfo::default());
        for (headers, name) in [
            (
                [
                    (":message-type", "error"),
                    (":error-code", "Internal:Failure"),
                ],
                "Internal:Failure",
            ),
            (
                [(":message-type", "error"), (":error-code", "ns#Code:x")],
                "ns#Code:x",
            ),
            (
                [
                    (":message-type", "exception"),
                    (":exception-type", "throttlingException:x"),
                ],
                "ThrottlingException:x",
            ),
        ] {
            let message = Message::with_string_headers(&headers, b"{}".to_vec());
            let err = map_message(&mut mapper, &message).unwrap_err();
            assert_eq!(err.name(), name);
        }
    }

    #[test]
    fn batches_are_bounded_and_nothing_is_lost() {
        let mut bytes = Vec::new();
        for _ in 0..1000 {
            bytes.extend(frame(
                "contentBlockDelta",
                r#"{"contentBlockIndex":0,"delta":{"text":"a"}}"#,
            ));
        }
        let mut decoder = ChunkDecoder::new(ConverseStreamMapper::new(CallInfo::default()));
        decoder.push(&bytes);
        let mut sizes = Vec::new();
        loop {
            let mut batch = Vec::new();
            decoder.drain_at_most(&mut batch, 300).unwrap();
            if batch.is_empty() {
                break;
            }
            sizes.push(batch.len());
        }
        assert_eq!(sizes, vec![300, 300, 300, 100]);
    }
}
