//! The streaming state machine, for ConverseStream and InvokeModelWithResponseStream alike:
//! send on the first pull, then read the body chunk by chunk, decode frames and map them to
//! chunks (with the API family's event mapper) as each frame completes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::AbortSignal;

use super::auth::Secrets;
use super::call::send_operation;
use super::options::{CallerFunctions, ClientConfig};
use super::retry_loop::{retry_loop, Attempt};
use crate::chat::output::CallInfo;
use crate::chunk_batch::ChunkBatch;
use crate::chunk_decoder::{ChunkDecoder, EventMapper};
use crate::endpoint::Operation;
use crate::http_error::error_from_unexpected_body;
use crate::platform::http::BodyReader;
use crate::Error;

/// Makes the event mapper for each response (a retry starts a fresh one).
pub type MapperFactory = Box<dyn Fn(CallInfo) -> Box<dyn EventMapper>>;

/// One streamed call. `next_batch` returns the chunks decoded from each network read.
pub struct StreamCall {
    operation: Operation,
    mapper: MapperFactory,
    phase: RefCell<Phase>,
    reader: RefCell<Option<Rc<BodyReader>>>,
    cancelled: Cell<bool>,
    /// What the request was signed with, kept out of the errors its body reports.
    secrets: RefCell<Secrets>,
}

type Decoder = ChunkDecoder<Box<dyn EventMapper>>;

/// The most chunks one `next_batch` returns: one network read can bring many thousands of
/// frames, and a batch crosses into JS as one piece.
const MAX_BATCH: usize = 512;

/// The most body bytes one read hands to the decoder: a runtime may deliver a whole body as
/// one chunk (a buffering proxy, a custom `fetch`), and taking it in pieces keeps the work of
/// one `next_batch` and the wasm memory it needs as for an ordinary network read.
const MAX_READ: u32 = 64 * 1024;
type Batch = ChunkBatch;

enum Phase {
    /// Not sent yet: the request goes out on the first pull.
    Pending {
        config: Rc<ClientConfig>,
        functions: CallerFunctions,
        body: Vec<u8>,
        signal: Option<AbortSignal>,
        max_retries: u32,
    },
    Reading(Decoder),
    /// A `next_batch` is running.
    Busy,
    /// Failed after delivering the chunks decoded before the failure.
    Failed(Error),
    Done,
}

impl StreamCall {
    /// A stream that sends `body` to `operation` (with the caller's `functions`, held until
    /// the first chunks arrive) on its first pull, retrying up to `max_retries` times until its
    /// first chunk is delivered, and maps its events with the mappers `mapper` makes.
    pub fn new(
        config: Rc<ClientConfig>,
        functions: CallerFunctions,
        operation: Operation,
        mapper: MapperFactory,
        body: Vec<u8>,
        signal: Option<AbortSignal>,
        max_retries: u32,
    ) -> Self {
        Self {
            operation,
            mapper,
            phase: RefCell::new(Phase::Pending {
                config,
                functions,
                body,
                signal,
                max_retries,
            }),
            reader: RefCell::new(None),
            cancelled: Cell::new(false),
            secrets: RefCell::new(Secrets::default()),
        }
    }

    /// The chunks of the next network read that produced any; `None` at the end.
    pub async fn next_batch(&self) -> Result<Option<Batch>, Error> {
        let phase = self.phase.replace(Phase::Busy);
        let result = match phase {
            Phase::Busy => {
                return Err(Error::invalid_input(
                    "next() was called while another next() was pending",
                ))
            }
            Phase::Done => Ok(None),
            Phase::Failed(error) => Err(error),
            Phase::Pending {
                config,
                functions,
                body,
                signal,
                max_retries,
            } => {
                self.first_read(&config, &functions, &body, signal.as_ref(), max_retries)
                    .await
            }
            Phase::Reading(decoder) => self.read(decoder).await,
        };
        if result.is_err() {
            self.phase.replace(Phase::Done);
            self.cancel();
        }
        result
    }

    /// Stops the stream and cancels the response body.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        if let Some(reader) = self.reader.borrow_mut().take() {
            reader.cancel();
        }
        if !matches!(*self.phase.borrow(), Phase::Busy) {
            self.phase.replace(Phase::Done);
        }
    }

    /// Sends the request and reads until the first chunks. Until a chunk has been delivered,
    /// a failure may be retried: the stream then starts over with a new request.
    async fn first_read(
        &self,
        config: &ClientConfig,
        functions: &CallerFunctions,
        body: &[u8],
        signal: Option<&AbortSignal>,
        max_retries: u32,
    ) -> Result<Option<Batch>, Error> {
        retry_loop(
            config,
            signal,
            max_retries,
            || self.cancelled.get(),
            async |attempt| {
                let decoder = self.start(config, functions, body, signal, attempt).await?;
                self.read(decoder).await.inspect_err(|_| {
                    // The next attempt starts with a new response; this one's body is dropped.
                    if let Some(reader) = self.reader.replace(None) {
                        reader.cancel();
                    }
                })
            },
        )
        .await
    }

    async fn start(
        &self,
        config: &ClientConfig,
        functions: &CallerFunctions,
        body: &[u8],
        signal: Option<&AbortSignal>,
        attempt: &Attempt,
    ) -> Result<Decoder, Error> {
        let sent = send_operation(config, functions, self.operation, body, signal, attempt).await?;
        let (response, info) = (sent.response, sent.info);
        self.secrets.replace(sent.secrets);
        let content_type = response.header("content-type").unwrap_or("");
        if !content_type.starts_with("application/vnd.amazon.eventstream") {
            let body = response.bytes().await.map_err(|e| self.redact(e))?;
            let error = error_from_unexpected_body(content_type, &response.headers, &body);
            return Err(self.redact(error));
        }
        let reader = Rc::new(response.body_reader()?);
        if self.cancelled.get() {
            reader.cancel();
        } else {
            self.reader.replace(Some(reader));
        }
        Ok(ChunkDecoder::new((self.mapper)(info)))
    }

    async fn read(&self, mut decoder: Decoder) -> Result<Option<Batch>, Error> {
        loop {
            // Frames already buffered come first; a batch holds at most MAX_BATCH chunks.
            let mut batch = Batch::new();
            let drained = decoder
                .drain_at_most(&mut batch, MAX_BATCH)
                .map_err(|e| self.redact(e));
            if let Err(error) = drained {
                if batch.is_empty() {
                    return Err(error);
                }
                // Chunks that arrived before an exception frame are delivered first.
                self.reader.replace(None).inspect(|r| r.cancel());
                self.phase.replace(Phase::Failed(error));
                return Ok(Some(batch));
            }
            if !batch.is_empty() {
                self.phase.replace(Phase::Reading(decoder));
                return Ok(Some(batch));
            }
            // The clone is taken in its own statement: a `RefCell` borrow in a `match`
            // scrutinee lives through the arms, and `finish_with` replaces the reader.
            let reader = self.reader.borrow().clone();
            let reader = match (self.cancelled.get(), reader) {
                (false, Some(reader)) => reader,
                _ => return self.finish_with(None),
            };
            let Some(bytes) = reader.read(MAX_READ).await.map_err(|e| self.redact(e))? else {
                let last = decoder.finish().map_err(|e| self.redact(e))?;
                return self.finish_with(last.map(Batch::from));
            };
            if self.cancelled.get() {
                return self.finish_with(None);
            }
            decoder.push(&bytes);
        }
    }

    /// An error from the body with the request's secrets taken out of its message.
    fn redact(&self, error: Error) -> Error {
        self.secrets.borrow().redact(error)
    }

    fn finish_with(&self, batch: Option<Batch>) -> Result<Option<Batch>, Error> {
        self.phase.replace(Phase::Done);
        self.reader.replace(None);
        Ok(batch)
    }
}
