// Stream faults below the event level: the wrong body for a 200, bytes that are not frames, a
// frame too big to buffer, a bad prelude CRC, a stall, a hang-up between frames. Each handler
// takes the fault context and the normal `{frames, headers}` (faults.mjs's STREAM_FAULTS shape).
import { crc32, sha256, utf8Length } from '../bytes.mjs';
import { validationError } from '../errors.mjs';
import { beginEventStream, sendJsonText, sleep, sleepWhileOpen, writeChunk } from '../http-response.mjs';
import { deliverFrames, framesBeforeFault } from '../stream-delivery.mjs';

const MAX_STALL_MS = 600_000;
export const OVERSIZE_FRAME_BYTES = 40 * 1024 * 1024;
export const GARBAGE_FRAME_LENGTH = 100;

/** 200 fixed, random-looking bytes whose first 4 declare a 100-byte frame with a wrong prelude CRC. */
export const GARBAGE = (() => {
  const bytes = new Uint8Array(200);
  for (let i = 0; i < 200; i += 32) {
    bytes.set(sha256(`bedrock-emulator-garbage-${i}`).subarray(0, 200 - i), i);
  }
  const view = new DataView(bytes.buffer);
  view.setUint32(0, GARBAGE_FRAME_LENGTH);
  view.setUint32(4, view.getUint32(4) & 0x3f); // a headers length that fits the frame
  if (crc32(bytes.subarray(0, 8)) === view.getUint32(8)) bytes[8] ^= 0xff;
  return bytes;
})();

/** A valid 12-byte prelude (no headers) declaring a frame of `total` bytes. */
function prelude(total) {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, total);
  view.setUint32(4, 0);
  view.setUint32(8, crc32(bytes.subarray(0, 8)));
  return bytes;
}

function stallMs(arg) {
  const ms = /^\d+$/.test(arg ?? '') ? Number(arg) : NaN;
  if (!(ms <= MAX_STALL_MS)) throw validationError(`fault:stall:<ms> needs an integer ms in 0..${MAX_STALL_MS}, got '${arg ?? ''}'.`);
  return ms;
}

async function writeAll(res, chunks) {
  for (const chunk of chunks) {
    if (!(await writeChunk(res, chunk))) return false;
  }
  return true;
}

const hangUp = async (res) => {
  await sleep(20); // let the bytes leave first
  res.socket?.destroy();
};

export const BROKEN_STREAM_FAULTS = {
  'json-error-200': (ctx) => sendJsonText(ctx.res, 200, '{"message":"Internal failure","__type":"InternalServerException"}'),
  'wrong-content-type': (ctx) => {
    const html = '<!DOCTYPE html>\n<html><head><title>Service</title></head><body><p>Hello from a proxy.</p></body></html>\n';
    ctx.res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': utf8Length(html) });
    ctx.res.end(html);
  },
  garbage: async (ctx, { headers }) => {
    beginEventStream(ctx.res, headers);
    if (await writeChunk(ctx.res, GARBAGE)) ctx.res.end();
  },
  'oversize-frame': async (ctx, { headers }) => {
    beginEventStream(ctx.res, headers);
    if (await writeAll(ctx.res, [prelude(OVERSIZE_FRAME_BYTES), new Uint8Array(4096).fill(0x61)])) await hangUp(ctx.res);
  },
  'bad-prelude-crc': (ctx, { frames, headers }) => {
    const at = framesBeforeFault(frames, 1);
    const corrupted = Uint8Array.from(frames[at]);
    corrupted[11] ^= 0xff; // last byte of the prelude CRC
    return deliverFrames(ctx.res, [...frames.slice(0, at), corrupted, ...frames.slice(at + 1)], { headers });
  },
  stall: async (ctx, { frames, headers }) => {
    const ms = stallMs(ctx.arg);
    beginEventStream(ctx.res, headers);
    const before = framesBeforeFault(frames, 2);
    if (!(await writeAll(ctx.res, frames.slice(0, before)))) return;
    await sleepWhileOpen(ctx.res, ms);
    if (await writeAll(ctx.res, frames.slice(before))) ctx.res.end();
  },
  'cut-between': async (ctx, { frames, headers }) => {
    beginEventStream(ctx.res, headers);
    if (await writeAll(ctx.res, frames.slice(0, framesBeforeFault(frames, 2)))) await hangUp(ctx.res);
  },
};
