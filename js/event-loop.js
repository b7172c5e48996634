// Turns of the event loop in stream work that waits for no network read (a body handed over in
// one piece, or in pieces already queued): `for await` over its chunks is all microtasks, and
// timers, I/O and other requests would wait for the last chunk.

/** Chunks handed over without a turn of the loop before a stream waits for one (a few ms). */
const CHUNKS_PER_TURN = 256;

// Runs a callback in a later task: setImmediate (Node, Bun, Deno), postTask (browsers: nested
// timers are clamped to 4 ms), else a timer (workerd: its MessageChannel delivers in the task).
const later = globalThis.setImmediate ?? (globalThis.scheduler?.postTask ? (callback) => scheduler.postTask(callback) : (callback) => setTimeout(callback, 0));
// Chunks handed over since the loop last turned; above 0, a later task resets it.
let handedOver = 0;

/** Counts `count` (> 0) chunks handed over. */
export function countChunks(count) {
  if (handedOver === 0) later(() => (handedOver = 0));
  handedOver += count;
}

/** A promise for a later task once CHUNKS_PER_TURN chunks went without a turn, else undefined. */
export const turnIfDue = () =>
  handedOver >= CHUNKS_PER_TURN ? new Promise((resolve) => later(resolve)) : undefined;
