// Response plumbing shared by every route: the headers each response carries, JSON bodies, and
// writing a streamed body with backpressure so slow clients and cut connections behave like they
// would against a real server.
import { randomUuid, utf8Length } from './bytes.mjs';

// `*` alone does not cover `Authorization` in CORS (Fetch spec), so the headers browser clients
// send are listed explicitly as well.
const ALLOWED_HEADERS = [
  '*',
  'authorization',
  'content-type',
  'accept',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
  'x-amz-user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'x-amzn-bedrock-accept',
  'x-amzn-bedrock-trace',
  'x-amzn-bedrock-guardrailidentifier',
  'x-amzn-bedrock-guardrailversion',
  'x-amzn-bedrock-performanceconfig-latency',
  'x-amzn-bedrock-service-tier',
  'x-amzn-bedrock-request-metadata',
].join(', ');

/** Sets the headers every response carries: a fresh request id and CORS. Returns the id. */
export function setCommonHeaders(res) {
  const requestId = randomUuid();
  res.setHeader('x-amzn-RequestId', requestId);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
  // DELETE is the control route that clears the request log (browser tests use it).
  res.setHeader('Access-Control-Allow-Methods', 'POST, GET, DELETE, OPTIONS');
  res.setHeader(
    'Access-Control-Expose-Headers',
    'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-bedrock-content-type, date, ' +
      // InvokeModel's token counts and latency (ChatBedrock's usage when a reply has none).
      'x-amzn-bedrock-input-token-count, x-amzn-bedrock-output-token-count, x-amzn-bedrock-invocation-latency, ' +
      'x-amzn-bedrock-cache-read-input-token-count, x-amzn-bedrock-cache-write-input-token-count',
  );
  return requestId;
}

/** Sends an already-serialised JSON body (or, for fault:not-json, something that is not). */
export function sendJsonText(res, status, text, extraHeaders = {}) {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': utf8Length(text),
    ...extraHeaders,
  });
  res.end(text);
}

export const sendJson = (res, status, value) => sendJsonText(res, status, JSON.stringify(value));

/** Starts a 200 event-stream response (chunked: no Content-Length). */
export function beginEventStream(res, extraHeaders = {}) {
  res.writeHead(200, { 'Content-Type': 'application/vnd.amazon.eventstream', ...extraHeaders });
  // Each write should leave as its own TCP segment (odd-chunks, slow-drip rely on it).
  res.socket?.setNoDelay(true);
}

/** True once the client went away; streaming loops stop then instead of writing into the void. */
export const clientGone = (res) => res.destroyed || res.writableEnded || !res.socket || res.socket.destroyed;

/**
 * Writes one chunk and waits for the socket to drain if it is congested. Resolves false if the
 * client disconnected, so callers can stop.
 */
export function writeChunk(res, bytes) {
  if (clientGone(res)) return Promise.resolve(false);
  if (res.write(bytes)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `ms`, or less if the client goes away first (a long stall must not outlive it). */
export function sleepWhileOpen(res, ms) {
  if (clientGone(res)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}
