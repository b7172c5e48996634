// Splits a complete event-stream body into frames and decodes them with the SDK codec (which checks
// both CRCs). Used to fold recordings into Converse responses and by the emulator's own tests.
import { codec } from './eventstream-writer.mjs';
import { toUtf8 } from '@smithy/util-utf8';

/** Frame byte ranges of a whole body; throws on a truncated tail. */
export function splitFrames(bytes) {
  const frames = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (bytes.byteLength - offset < 4) throw new Error(`truncated prelude at byte ${offset}`);
    const total = view.getUint32(offset, false);
    if (total < 16 || offset + total > bytes.byteLength) {
      throw new Error(`frame at byte ${offset} claims ${total} bytes, ${bytes.byteLength - offset} left`);
    }
    frames.push(bytes.subarray(offset, offset + total));
    offset += total;
  }
  return frames;
}

/**
 * Decoded frames as `{headers: {name: value}, body: Uint8Array, payload}` where `payload` is the
 * body parsed as JSON when `:content-type` says so (otherwise undefined).
 */
export function decodeFrames(bytes) {
  return splitFrames(bytes).map((frame) => {
    const message = codec.decode(frame);
    const headers = Object.fromEntries(
      Object.entries(message.headers).map(([name, header]) => [name, header.value]),
    );
    const payload =
      headers[':content-type'] === 'application/json' && message.body.byteLength > 0
        ? JSON.parse(toUtf8(message.body))
        : undefined;
    return { headers, body: message.body, payload };
  });
}
