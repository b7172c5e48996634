// toSSE and toTextStream: a chunk stream as a Response body. Pull-driven (high-water mark 0), so
// Bedrock is read only as fast as the client reads; a client that goes away cancels the body,
// which cancels the chunk stream and so the Bedrock HTTP body. Formats: index.d.ts.
import { toPublicError } from "./errors.js";

const encoder = new TextEncoder();

// A ReadableStream through its reader, else any (async) iterable; a string is not a chunk stream.
function chunkReader(source, what) {
  if (typeof source?.getReader === "function") {
    const reader = source.getReader();
    return { next: () => reader.read(), cancel: (reason) => reader.cancel(reason) };
  }
  const iterate = source?.[Symbol.asyncIterator] ?? (typeof source === "string" ? undefined : source?.[Symbol.iterator]);
  if (typeof iterate !== "function") {
    throw new TypeError(`${what}: expected a stream or async iterable of chunks, got ${source === null ? "null" : typeof source}`);
  }
  const iterator = iterate.call(source);
  return { next: () => iterator.next(), cancel: async (reason) => void (await iterator.return?.(reason)) };
}

// `format.chunk(value)` is the text for a chunk ("" skips it), `format.end()` the text after the
// last; `format.error(error)` the text that ends the body on a failure, else the body errors.
function byteStream(source, what, format) {
  let reader;
  let opening;
  const open = () => (opening ??= Promise.resolve(source).then((resolved) => (reader ??= chunkReader(resolved, what))));
  // A bad argument throws at the call; a promise is followed at once (never an unhandled rejection).
  if (typeof source?.then === "function") open().catch(() => {});
  else reader = chunkReader(source, what);
  let done = false;
  // True when there were bytes to send.
  const emit = (controller, text) => !!text && (controller.enqueue(encoder.encode(text)), true);
  return new ReadableStream(
    {
      async pull(controller) {
        try {
          const chunks = reader ?? (await open());
          // Enqueue one chunk's bytes per pull, skipping chunks with no text.
          while (!done) {
            const next = await chunks.next();
            if (done) return;
            if (next.done) {
              done = true;
              emit(controller, format.end?.());
              controller.close();
            } else if (emit(controller, format.chunk(next.value))) return;
          }
        } catch (error) {
          if (done) return;
          done = true;
          // Release the source too when the failure was ours (a chunk JSON cannot encode, say).
          reader?.cancel(error).catch(() => {});
          const failure = toPublicError(error);
          if (!format.error) return controller.error(failure);
          emit(controller, format.error(failure));
          controller.close();
        }
      },
      // Cancels the source even before the first read, or while a read is pending.
      async cancel(reason) {
        if (done) return;
        done = true;
        try {
          await (reader ?? (await open())).cancel(reason);
        } catch {
          // A source that failed to open has nothing to stop.
        }
      },
    },
    { highWaterMark: 0 },
  );
}

/** The chunks' `text` (strings as they are) as UTF-8; a failure errors the body (it is cut off). */
export function toTextStream(stream) {
  return byteStream(stream, "toTextStream", {
    chunk: (chunk) => (typeof chunk === "string" ? chunk : typeof chunk?.text === "string" ? chunk.text : ""),
  });
}

const sseEvent = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data) ?? "null"}\n\n`;

/**
 * The chunks as Server-Sent Events: `event: chunk` with each chunk's JSON, then `event: end`
 * (data `{}`) or, on a failure, `event: error` with `{ name, message, status?, retryable,
 * requestId? }`: no stack, no cause. `options.onError(error)` sees the full error first;
 * `options.errorMessage` replaces the message the client reads.
 */
export function toSSE(stream, options) {
  const onError = options?.onError;
  const errorMessage = options?.errorMessage;
  if (onError !== undefined && typeof onError !== "function") throw new TypeError("toSSE: options.onError must be a function");
  if (errorMessage !== undefined && typeof errorMessage !== "string") throw new TypeError("toSSE: options.errorMessage must be a string");
  return byteStream(stream, "toSSE", {
    chunk: (chunk) => sseEvent("chunk", chunk),
    end: () => sseEvent("end", {}),
    error: (error) => {
      try {
        onError?.(error);
      } catch {
        // A failing logger must not keep the error event from the client.
      }
      const { name, message, status, retryable, requestId } = error;
      return sseEvent("error", { name, message: errorMessage ?? message, status, retryable: retryable === true, requestId: requestId || undefined });
    },
  });
}
