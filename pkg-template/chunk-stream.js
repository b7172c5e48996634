// A streamed call's chunks as a ReadableStream of plain chunk objects that `for await` can
// iterate, over the wasm ChunkStream handle.
import { localError, toPublicError } from "./errors.js";
import { addAsyncIterator } from "./async-iterator.js";

const IDLE = Symbol("idle");

/** `promise`, or IDLE if it has not settled after `ms`. */
async function orIdle(promise, ms) {
  let timer;
  const idle = new Promise((resolve) => {
    timer = setTimeout(resolve, ms, IDLE);
  });
  try {
    return await Promise.race([promise, idle]);
  } finally {
    clearTimeout(timer);
  }
}

// A pull-driven stream (high-water mark 0): the network is read only as fast as the consumer
// reads, and cancelling the stream (or breaking out of `for await`) cancels the HTTP body. A
// wait longer than `idleTimeout` for the next chunks ends it with a TimeoutError.
export function chunkReadableStream(chunks, idleTimeout, signal) {
  let pulling = false;
  let released = false;
  let cancelled = false;
  const release = () => {
    if (!released) {
      released = true;
      chunks.free();
    }
  };
  const stream = new ReadableStream(
    {
      // next() resolves to the chunks of the next network read that produced any (never an
      // empty batch), or undefined at the end.
      async pull(controller) {
        let batch;
        pulling = true;
        const next = chunks.next();
        try {
          batch = await orIdle(next, idleTimeout);
        } catch (error) {
          release();
          if (!cancelled) controller.error(toPublicError(error, signal));
          return;
        } finally {
          pulling = false;
        }
        if (cancelled) {
          release();
          return;
        }
        if (batch === IDLE) {
          // The pending read settles once the body is cancelled; the handle is freed then.
          cancelled = true;
          chunks.cancel();
          next.then(release, release);
          controller.error(
            localError("TimeoutError", `no data for ${idleTimeout} ms (streamIdleTimeout)`),
          );
          return;
        }
        if (batch === undefined) {
          release();
          controller.close();
          return;
        }
        for (const chunk of batch) controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
        if (released) return;
        chunks.cancel();
        // A pending next() still uses the handle; it is freed when that read settles.
        if (!pulling) release();
      },
    },
    { highWaterMark: 0 },
  );
  addAsyncIterator(stream);
  return stream;
}
