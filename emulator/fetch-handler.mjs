// The emulator as a `fetch` handler — `(request) => Promise<Response>` — for Workers, browsers,
// Node, Bun and Deno: core.mjs behind a Fetch adapter. Shipped as `bedrock-edge/testing`
// (bundled into pkg/testing.js, types in pkg-template/testing.d.ts).
//
// Same scenarios, authentication and request log as the Node server (app.mjs), with these
// differences, all forced by having no socket and no file system:
// * streamed bodies are a ReadableStream fed frame by frame with the same delays (slow-drip,
//   stall…) and backpressure (64 KiB queued);
// * a connection reset before the headers (fault:flaky:<n>:reset) rejects the fetch promise with
//   a TypeError, as a real fetch does; a cut after them (fault:cut, fault:oversize-frame, …)
//   errors the body stream with a TypeError;
// * `replay:` ids are not supported (they need the recorded traffic on disk): 400
//   ValidationException saying so;
// * GET /_emulator/connections counts unfinished responses; `sockets` is always 0.
import { API_KEY, CREDENTIALS } from './auth.mjs';
import { utf8 } from './bytes.mjs';
import { MAX_BODY_BYTES, createEmulatorCore } from './core.mjs';
import { validationError } from './errors.mjs';
import { GATEWAY_TOKEN } from './gateway.mjs';

const QUEUED_BYTES = 64 * 1024;
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

const connectionLost = () => new TypeError('Network connection lost (the emulator reset the connection).');

/**
 * What core.mjs writes a response to (the subset of Node's ServerResponse the scenarios use),
 * turned into a Fetch `Response` once the head is written.
 */
class ResponseSink {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  writableEnded = false;
  /** `destroy()` on it is a connection reset / cut, as on a Node socket. */
  socket = {
    destroyed: false,
    setNoDelay() {},
    destroy: () => this.destroy(),
  };

  #headers = new Map(); // lower-case name → [name, value]
  #listeners = { drain: new Set(), finish: new Set(), close: new Set() };
  #controller;
  #resolveHead;
  #rejectHead;

  constructor() {
    /** Resolves with the Response once the head is written; rejects on a reset before it. */
    this.response = new Promise((resolve, reject) => {
      this.#resolveHead = resolve;
      this.#rejectHead = reject;
    });
    this.stream = new ReadableStream(
      {
        start: (controller) => { this.#controller = controller; },
        pull: () => this.#emit('drain'),
        cancel: () => this.#gone(), // the reader went away
      },
      { highWaterMark: QUEUED_BYTES, size: (chunk) => chunk.byteLength },
    );
  }

  on(event, listener) {
    this.#listeners[event]?.add(listener);
    return this;
  }

  off(event, listener) {
    this.#listeners[event]?.delete(listener);
    return this;
  }

  #emit(event) {
    for (const listener of [...this.#listeners[event]]) listener();
  }

  setHeader(name, value) {
    this.#headers.set(name.toLowerCase(), [name, String(value)]);
  }

  writeHead(status, headers = {}) {
    if (this.headersSent) return this;
    this.statusCode = status;
    for (const [name, value] of Object.entries(headers)) this.setHeader(name, value);
    this.headersSent = true;
    if (!this.#headers.has('date')) this.setHeader('Date', new Date().toUTCString());
    const responseHeaders = new Headers([...this.#headers.values()]);
    const body = NULL_BODY_STATUSES.has(status) ? null : this.stream;
    this.#resolveHead(new Response(body, { status, headers: responseHeaders }));
    return this;
  }

  /** Queues a chunk; false when 64 KiB are waiting for the reader (then 'drain' follows). */
  write(chunk) {
    if (this.destroyed || this.writableEnded) return false;
    if (!this.headersSent) this.writeHead(this.statusCode);
    const bytes = utf8(chunk);
    if (bytes.byteLength > 0) this.#controller.enqueue(bytes.slice());
    return this.#controller.desiredSize > 0;
  }

  end(chunk) {
    if (this.destroyed || this.writableEnded) return this;
    if (chunk !== undefined && chunk !== null) this.write(chunk);
    if (!this.headersSent) this.writeHead(this.statusCode);
    this.writableEnded = true;
    this.#controller.close();
    this.#emit('finish');
    this.#finish();
    return this;
  }

  /** A connection reset: before the head, the fetch rejects; after it, the body stream errors. */
  destroy() {
    if (this.destroyed || this.writableEnded) return this;
    const error = connectionLost();
    if (this.headersSent) this.#controller.error(error);
    else this.#rejectHead(error);
    this.#gone();
    return this;
  }

  #gone() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.#finish();
  }

  #finish() {
    if (this.socket.destroyed) return;
    this.socket.destroyed = true;
    this.#emit('close');
  }
}

/** `Request` → core.mjs's request shape. */
function coreRequest(request) {
  const url = new URL(request.url);
  const headers = {};
  for (const [name, value] of request.headers) (headers[name] ??= []).push(value);
  // fetch never lets a caller set Host; the signer signed the URL's.
  headers.host ??= [url.host];
  return {
    method: request.method,
    target: `${url.pathname}${url.search}`,
    headers,
    async readBody() {
      const body = new Uint8Array(await request.arrayBuffer());
      if (body.byteLength > MAX_BODY_BYTES) throw validationError(`Request body exceeds ${MAX_BODY_BYTES} bytes.`);
      return body;
    },
  };
}

/**
 * A local Bedrock Runtime emulator as a fetch handler.
 * @param {{log?: (...args: unknown[]) => void}} [options]
 */
export function createEmulator({ log = () => {} } = {}) {
  let core = createEmulatorCore({ log });

  /** Same signature as the global `fetch`: a Request, or a URL and init. */
  const fetch = async (input, init) => {
    const request = new Request(input, init);
    const sink = new ResponseSink();
    if (request.signal) {
      if (request.signal.aborted) throw request.signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
      request.signal.addEventListener('abort', () => sink.destroy(), { once: true });
    }
    core.serve(coreRequest(request), sink);
    return sink.response;
  };

  return {
    fetch,
    /** The requests seen, oldest first (at most 100; signatures and secrets redacted). */
    requests: () => core.requests.list().map((entry) => ({ ...entry })),
    /** Forgets the request log, the prompt cache and the retry attempt counts. */
    reset: () => { core = createEmulatorCore({ log }); },
    /** Credentials the emulator accepts (SigV4, long-term). */
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: CREDENTIALS.AKIDEXAMPLE.secretAccessKey },
    /** Temporary credentials (need their session token). */
    temporaryCredentials: {
      accessKeyId: 'ASIAEMULATORTEMP',
      secretAccessKey: CREDENTIALS.ASIAEMULATORTEMP.secretAccessKey,
      sessionToken: CREDENTIALS.ASIAEMULATORTEMP.sessionToken,
    },
    /** The Bedrock API key it accepts (`Authorization: Bearer …`). */
    apiKey: API_KEY,
    /**
     * Cloudflare AI Gateway in front of it (route `/v1/{account}/{gateway}/aws-bedrock/…`):
     * gateway ids by convention, and the token the authenticated ones take.
     */
    aiGateway: {
      accountId: 'emulator-account',
      gatewayId: 'emulator-gateway',
      authenticatedGatewayId: 'emulator-authenticated',
      byokGatewayId: 'emulator-byok',
      token: GATEWAY_TOKEN,
    },
  };
}
