//! The ConverseStream state machine: send on the first pull, then read the body chunk by
//! chunk, decode frames and map them to chunks as each frame completes.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::AbortSignal;

use super::call::send_operation;
use super::options::ClientConfig;
use crate::chat::output::AIMessageChunk;
use crate::chunk_decoder::ChunkDecoder;
use crate::converse::stream::ConverseStreamMapper;
use crate::endpoint::Operation;
use crate::platform::http::BodyReader;
use crate::Error;

/// One streamed call. `next_batch` returns the chunks decoded from each network read.
pub struct ConverseStream {
    phase: RefCell<Phase>,
    reader: RefCell<Option<Rc<BodyReader>>>,
    cancelled: Cell<bool>,
}

type Decoder = ChunkDecoder<ConverseStreamMapper>;
type Batch = Vec<AIMessageChunk>;

enum Phase {
    /// Not sent yet: the request goes out on the first pull.
    Pending {
        config: Rc<ClientConfig>,
        body: Vec<u8>,
        signal: Option<AbortSignal>,
    },
    Reading(Decoder),
    /// A `next_batch` is running.
    Busy,
    /// Failed after delivering the chunks decoded before the failure.
    Failed(Error),
    Done,
}

impl ConverseStream {
    /// A stream that sends `body` on its first pull.
    pub fn new(config: Rc<ClientConfig>, body: Vec<u8>, signal: Option<AbortSignal>) -> Self {
        Self {
            phase: RefCell::new(Phase::Pending {
                config,
                body,
                signal,
            }),
            reader: RefCell::new(None),
            cancelled: Cell::new(false),
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
                body,
                signal,
            } => match self.start(&config, &body, signal.as_ref()).await {
                Ok(decoder) => self.read(decoder).await,
                Err(e) => Err(e),
            },
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

    async fn start(
        &self,
        config: &ClientConfig,
        body: &[u8],
        signal: Option<&AbortSignal>,
    ) -> Result<Decoder, Error> {
        let (response, info) =
            send_operation(config, Operation::ConverseStream, body, signal).await?;
        let reader = Rc::new(response.body_reader()?);
        if self.cancelled.get() {
            reader.cancel();
        } else {
            self.reader.replace(Some(reader));
        }
        Ok(ChunkDecoder::new(ConverseStreamMapper::new(info)))
    }

    async fn read(&self, mut decoder: Decoder) -> Result<Option<Batch>, Error> {
        loop {
            let reader = match (self.cancelled.get(), self.reader.borrow().clone()) {
                (false, Some(reader)) => reader,
                _ => return self.finish_with(None),
            };
            let Some(bytes) = reader.read().await? else {
                let last = decoder.finish()?;
                return self.finish_with(last.map(|chunk| vec![chunk]));
            };
            if self.cancelled.get() {
                return self.finish_with(None);
            }
            decoder.push(&bytes);
            let mut batch = Vec::new();
            if let Err(error) = decoder.drain_into(&mut batch) {
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
        }
    }

    fn finish_with(&self, batch: Option<Batch>) -> Result<Option<Batch>, Error> {
        self.phase.replace(Phase::Done);
        self.reader.replace(None);
        Ok(batch)
    }
}
