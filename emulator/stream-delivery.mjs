// How a response body reaches the socket: frame by frame (like Bedrock), with a delay per frame,
// or in tiny odd-sized writes that a client must reassemble.
import { beginEventStream, clientGone, sleep, writeChunk } from './http-response.mjs';

/** Writes each frame as its own chunk, optionally `delayMs` before each one, then ends. */
export async function deliverFrames(res, frames, { headers = {}, delayMs = 0 } = {}) {
  beginEventStream(res, headers);
  for (const frame of frames) {
    if (delayMs > 0) await sleep(delayMs);
    if (!(await writeChunk(res, frame))) return;
  }
  res.end();
}

/**
 * How many leading frames a fault sends before it strikes: `n`, but never the whole stream (at
 * least the last frame is held back), so short streams (a few InvokeModel chunks) still fail
 * mid-stream. `frames[result]` is always a frame.
 */
export const framesBeforeFault = (frames, n) => Math.max(0, Math.min(n, frames.length - 1));

/** Chunk sizes 1..7 in a fixed shuffled cycle: 1, 6, 4, 2, 7, 5, 3, 1, 6, … */
export const oddChunkSize = (i) => ((i * 5) % 7) + 1;

/**
 * Writes `bytes` (headers already sent) in 1..7-byte pieces with a short timer between writes so
 * each piece leaves as its own TCP segment, then ends.
 */
export async function writeInOddChunks(res, bytes) {
  let offset = 0;
  for (let i = 0; offset < bytes.byteLength; i++) {
    const size = oddChunkSize(i);
    if (!(await writeChunk(res, bytes.subarray(offset, offset + size)))) return;
    offset += size;
    await sleep(1);
  }
  if (!clientGone(res)) res.end();
}
