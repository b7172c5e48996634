// `fault:<kind>[:<arg>]` model ids: the failures a client must survive — HTTP errors, exception and
// error frames mid-stream, cut or truncated bodies, bad CRCs, slow and oddly chunked delivery,
// failures of the first attempts only (flaky.mjs), broken streams (broken-streams.mjs), events
// that break the protocol (malformed-events.mjs). The clock of `fault:skew:<minutes>` is applied
// by app.mjs (clock-skew.mjs); the reply here is the normal one.
import { BedrockError, sendError, validationError } from '../errors.mjs';
import { concatBytes, utf8 } from '../bytes.mjs';
import { exceptionFrame, errorFrame } from '../eventstream-writer.mjs';
import { beginEventStream, sendJson, sendJsonText, sleep, writeChunk } from '../http-response.mjs';
import { deliverFrames, framesBeforeFault, writeInOddChunks } from '../stream-delivery.mjs';
import { BULK_KINDS, bulkConverseResponse, bulkInvokeStreamBytes, bulkStreamBytes, parseBulkCount } from './bulk.mjs';
import { BROKEN_STREAM_FAULTS } from './broken-streams.mjs';
import { parseFlaky, sendGatewayError } from './flaky.mjs';
import { badToolArgsReply, badUtf8Frames, noMessageStopFrames, unknownEventFrames } from './malformed-replies.mjs';
import { badJsonFrames, blockIndexFrames } from './malformed-events.mjs';
import { INVOKE_STREAM_HEADERS } from './scripted-invoke.mjs';

export const FAULT_PREFIX = 'fault:';

/** Errors returned before any body validation, like a front end would. */
const HTTP_FAULTS = {
  throttle: ['ThrottlingException', 'Too many requests, please wait before trying again.'],
  validation: ['ValidationException', 'The provided model identifier is invalid.'],
  'access-denied': ['AccessDeniedException', "You don't have access to the model with the specified model ID."],
  internal: ['InternalServerException', 'The system encountered an unexpected error during processing. Try your request again.'],
  unavailable: ['ServiceUnavailableException', 'Bedrock is unable to process your request.'],
};

const MODEL_STREAM_ERROR = {
  message: 'Model Stream Error',
  originalStatusCode: 500,
  originalMessage: 'The model stream failed.',
};

/** What the first attempts of `fault:flaky:<n>:<kind>` get. */
const FLAKY_FAILURES = {
  throttle: (res) => sendHttpFault(res, 'throttle'),
  unavailable: (res) => sendHttpFault(res, 'unavailable'),
  internal: (res) => sendHttpFault(res, 'internal'),
  'bad-gateway': (res) => sendGatewayError(res, 502),
  'gateway-timeout': (res) => sendGatewayError(res, 504),
  reset: (res) => res.socket?.destroy(),
};

function sendHttpFault(res, kind) {
  const [name, message] = HTTP_FAULTS[kind];
  sendError(res, new BedrockError(name, message));
}

const throttlingFrame = () => exceptionFrame('throttlingException', { message: HTTP_FAULTS.throttle[1] });

const MAX_DRIP_MS = 60_000;
const DEFAULT_DRIP_MS = 200;

const STREAM_OPERATIONS = new Set(['ConverseStream', 'InvokeModelWithResponseStream']);

/** `fault:slow-drip:250` → {kind: "slow-drip", arg: "250"}. */
export function parseFault(modelId) {
  const rest = modelId.slice(FAULT_PREFIX.length);
  const colon = rest.indexOf(':');
  return colon < 0 ? { kind: rest, arg: undefined } : { kind: rest.slice(0, colon), arg: rest.slice(colon + 1) };
}

function dripMs(arg) {
  if (arg === undefined) return DEFAULT_DRIP_MS;
  const ms = Number(arg);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DRIP_MS) {
    throw validationError(`fault:slow-drip:<ms> needs an integer ms in 0..${MAX_DRIP_MS}, got '${arg}'.`);
  }
  return ms;
}

/** The first frames of the normal reply (messageStart + 2 deltas for Converse), then `last`. */
async function failMidstream(res, frames, headers, last) {
  await deliverFrames(res, [...frames.slice(0, framesBeforeFault(frames, 3)), last], { headers });
}

/** Sends two whole frames and half of the third, then either ends cleanly or kills the socket. */
async function stopMidFrame(res, frames, headers, how) {
  beginEventStream(res, headers);
  const whole = framesBeforeFault(frames, 2);
  for (const frame of frames.slice(0, whole)) {
    if (!(await writeChunk(res, frame))) return;
  }
  if (!(await writeChunk(res, frames[whole].subarray(0, frames[whole].byteLength >> 1)))) return;
  await stopBody(res, how);
}

/** `cut`: destroy the connection after the bytes got out; `truncated`: a clean chunked end. */
async function stopBody(res, how) {
  if (how === 'truncated') {
    res.end();
    return;
  }
  await sleep(20);
  res.socket?.destroy();
}

const STREAM_FAULTS = {
  'exception-midstream': (ctx, { frames, headers }) =>
    failMidstream(ctx.res, frames, headers, exceptionFrame(ctx.arg ?? 'modelStreamErrorException', MODEL_STREAM_ERROR)),
  'throttle-midstream': (ctx, { frames, headers }) => failMidstream(ctx.res, frames, headers, throttlingFrame()),
  'flaky-midstream': (ctx, { frames, headers }) => {
    const { failures } = parseFlaky(ctx.arg);
    const failing = ctx.attempts.attempt(ctx.headers) <= failures;
    return deliverFrames(ctx.res, failing ? [...frames.slice(0, framesBeforeFault(frames, 2)), throttlingFrame()] : frames, { headers });
  },
  'error-frame': (ctx, { frames, headers }) =>
    failMidstream(ctx.res, frames, headers, errorFrame(ctx.arg ?? 'InternalFailure', 'something broke')),
  cut: (ctx, { frames, headers }) => stopMidFrame(ctx.res, frames, headers, 'cut'),
  truncated: (ctx, { frames, headers }) => stopMidFrame(ctx.res, frames, headers, 'truncated'),
  'bad-crc': (ctx, { frames, headers }) => {
    const at = framesBeforeFault(frames, 1);
    const corrupted = Uint8Array.from(frames[at]);
    corrupted[corrupted.byteLength - 1] ^= 0xff; // last byte of the message CRC
    return deliverFrames(ctx.res, [...frames.slice(0, at), corrupted, ...frames.slice(at + 1)], { headers });
  },
  'slow-drip': (ctx, { frames, headers }) => deliverFrames(ctx.res, frames, { headers, delayMs: dripMs(ctx.arg) }),
  'odd-chunks': async (ctx, { frames, headers }) => {
    beginEventStream(ctx.res, headers);
    await writeInOddChunks(ctx.res, concatBytes(frames));
  },
  ...BROKEN_STREAM_FAULTS,
};

/** The same delivery faults for a plain JSON body (Converse, InvokeModel). */
const BODY_FAULTS = {
  cut: (ctx, { body, headers }) => sendPartialBody(ctx.res, body, headers, 'cut'),
  truncated: (ctx, { body, headers }) => sendPartialBody(ctx.res, body, headers, 'truncated'),
  'slow-drip': async (ctx, { body, headers }) => {
    await sleep(dripMs(ctx.arg));
    sendJsonText(ctx.res, 200, body, headers);
  },
  'odd-chunks': async (ctx, { body, headers }) => {
    const bytes = utf8(body);
    ctx.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.byteLength, ...headers });
    ctx.res.socket?.setNoDelay(true);
    await writeInOddChunks(ctx.res, bytes);
  },
  'not-json': (ctx) => sendJsonText(ctx.res, 200, '<html><body><h1>200 OK</h1> this is not JSON</body></html>'),
};

/** Half of a JSON body, chunked (no Content-Length), so only the body itself is incomplete. */
async function sendPartialBody(res, body, headers, how) {
  res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
  const bytes = utf8(body);
  if (!(await writeChunk(res, bytes.subarray(0, bytes.byteLength >> 1)))) return;
  await stopBody(res, how);
}

/** Malformed but well-delivered Converse replies (malformed-replies.mjs), by operation. */
const REPLY_FAULTS = {
  'bad-tool-args': {
    Converse: (ctx) => sendReply(ctx, badToolArgsReplyFor(ctx)),
    ConverseStream: (ctx) => sendReply(ctx, badToolArgsReplyFor(ctx)),
  },
  'unknown-event': {
    ConverseStream: (ctx) => deliverFrames(ctx.res, unknownEventFrames(ctx.converse().plan)),
  },
  'no-message-stop': {
    ConverseStream: (ctx) => deliverFrames(ctx.res, noMessageStopFrames(ctx.converse().plan)),
  },
  'bad-utf8': {
    ConverseStream: (ctx) => deliverFrames(ctx.res, badUtf8Frames(ctx.converse().plan)),
  },
  'bad-json': {
    ConverseStream: (ctx) => deliverFrames(ctx.res, badJsonFrames(ctx.converse().plan, ctx.arg)),
  },
  'block-index': {
    InvokeModelWithResponseStream: (ctx) =>
      deliverFrames(ctx.res, blockIndexFrames(ctx.arg, ctx.validate(), ctx.modelId), { headers: INVOKE_STREAM_HEADERS }),
  },
};

/** Faults for every operation that answer normally from some attempt on or (skew) always. */
const ATTEMPT_FAULTS = {
  flaky: async (ctx) => {
    const { failures, kind } = parseFlaky(ctx.arg, Object.keys(FLAKY_FAILURES));
    if (ctx.attempts.attempt(ctx.headers) <= failures) FLAKY_FAILURES[kind](ctx.res);
    else await sendReply(ctx, ctx.scripted());
  },
  skew: (ctx) => sendReply(ctx, ctx.scripted()),
};

function badToolArgsReplyFor(ctx) {
  const { request, plan } = ctx.converse();
  return badToolArgsReply(ctx.operation, plan, request);
}

/** `fault:bulk:<n>` and its tool and reasoning kinds (bulk.mjs), written in 64 KiB pieces. */
async function serveBulk(ctx, kind, streaming) {
  const invoke = ctx.operation === 'InvokeModelWithResponseStream';
  if (!(ctx.operation === 'ConverseStream' || (kind === 'bulk' && (ctx.operation === 'Converse' || invoke)))) {
    const where = kind === 'bulk' ? 'converse, converse-stream and invoke-with-response-stream' : 'converse-stream';
    throw validationError(`fault:${kind} is available on ${where} only.`);
  }
  const n = parseBulkCount(kind, ctx.arg);
  ctx.validate();
  if (!streaming) {
    sendJson(ctx.res, 200, bulkConverseResponse(n));
    return;
  }
  beginEventStream(ctx.res, invoke ? INVOKE_STREAM_HEADERS : {});
  const bytes = invoke ? bulkInvokeStreamBytes(n, ctx.modelId) : bulkStreamBytes(n, kind);
  // 64 KiB writes with backpressure: a fast client gets it at full speed, a slow one can't bloat us.
  for (let offset = 0; offset < bytes.byteLength; offset += 65536) {
    if (!(await writeChunk(ctx.res, bytes.subarray(offset, offset + 65536)))) return;
  }
  ctx.res.end();
}

async function sendReply(ctx, reply) {
  if (reply.frames) await deliverFrames(ctx.res, reply.frames, { headers: reply.headers });
  else sendJsonText(ctx.res, 200, reply.body, reply.headers);
}

export const FAULT_KINDS = [...new Set([
  ...Object.keys(HTTP_FAULTS), ...Object.keys(STREAM_FAULTS), ...Object.keys(BODY_FAULTS), ...Object.keys(BULK_KINDS),
  ...Object.keys(REPLY_FAULTS), ...Object.keys(ATTEMPT_FAULTS),
])];

/**
 * Serves a `fault:` model id.
 * @param {object} ctx
 * @param {import('node:http').ServerResponse} ctx.res  Node's, or fetch-handler.mjs's sink (core.mjs)
 * @param {string} ctx.operation  Converse | ConverseStream | InvokeModel | InvokeModelWithResponseStream
 * @param {string} ctx.modelId
 * @param {() => object} ctx.scripted  validates the body and returns the normal scripted reply:
 *   `{frames, headers}` for streaming operations, `{body, headers}` otherwise
 * @param {() => void} ctx.validate  validates the body only
 * @param {() => {request: object, plan: object}} ctx.converse  validates a Converse body and plans
 * @param {Record<string, string[]>} ctx.headers  request headers (lower-case name → values)
 * @param {import('./flaky.mjs').AttemptCounter} ctx.attempts  the emulator's attempt counter
 */
export async function serveFault(ctx) {
  const { kind, arg } = parseFault(ctx.modelId);
  ctx.arg = arg;
  if (HTTP_FAULTS[kind]) {
    sendHttpFault(ctx.res, kind);
    return;
  }
  if (ATTEMPT_FAULTS[kind]) {
    await ATTEMPT_FAULTS[kind](ctx);
    return;
  }
  const streaming = STREAM_OPERATIONS.has(ctx.operation);
  if (REPLY_FAULTS[kind]) {
    const handler = REPLY_FAULTS[kind][ctx.operation];
    if (!handler) {
      throw validationError(`fault:${kind} is available on ${Object.keys(REPLY_FAULTS[kind]).join(' and ')} only.`);
    }
    await handler(ctx);
    return;
  }
  if (BULK_KINDS[kind]) {
    await serveBulk(ctx, kind, streaming);
    return;
  }
  const table = streaming ? STREAM_FAULTS : BODY_FAULTS;
  const handler = table[kind];
  if (!handler) {
    const known = Object.keys(table).concat(Object.keys(BULK_KINDS), Object.keys(HTTP_FAULTS), Object.keys(ATTEMPT_FAULTS)).join(', ');
    const other = (streaming ? BODY_FAULTS : STREAM_FAULTS)[kind];
    throw validationError(other
      ? `fault:${kind} only applies to ${streaming ? 'non-streaming' : 'streaming'} operations.`
      : `Unknown fault '${kind}'. Known for ${ctx.operation}: ${known}.`);
  }
  await handler(ctx, kind === 'not-json' ? {} : ctx.scripted());
}
