// The large-read case's transport: the first request for a URL goes to the emulator and its body
// is kept; every later one is answered from memory, the body delivered in pieces of a given size,
// one piece per event-loop turn (setImmediate), as a network would. As a `fetch` (bedrock-edge,
// (b), (d), (e)) or as an SDK request handler ((a), (c)). Also the lag monitor: the longest time
// between two turns of the event loop, i.e. the longest single synchronous stretch.
import { Readable } from "node:stream";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** bytes → pieces of `size` bytes (the last shorter), sliced once and reused. */
function piecesOf(bytes, size) {
  const pieces = [];
  for (let offset = 0; offset < bytes.length; offset += size) pieces.push(bytes.slice(offset, offset + size));
  return pieces;
}

export class Replay {
  /** `pieceSize`: bytes per piece of the next replies (0: the whole body as one piece). */
  pieceSize = 16384;
  #recorded = new Map();
  #sliced = new Map();

  #pieces(url) {
    const { bytes } = this.#recorded.get(url);
    const size = this.pieceSize || bytes.length;
    const key = `${url} ${size}`;
    if (!this.#sliced.has(key)) {
      this.#sliced.clear();
      this.#sliced.set(key, piecesOf(bytes, size));
    }
    return this.#sliced.get(key);
  }

  /** A `fetch`: records through the global fetch, then replays. */
  fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!this.#recorded.has(request.url)) {
      const response = await globalThis.fetch(request);
      const bytes = new Uint8Array(await response.arrayBuffer());
      this.#recorded.set(request.url, { status: response.status, headers: Object.fromEntries(response.headers), bytes });
      return new Response(bytes, { status: response.status, headers: response.headers });
    }
    await request.arrayBuffer();
    const { status, headers } = this.#recorded.get(request.url);
    const pieces = this.#pieces(request.url);
    let i = 0;
    const body = new ReadableStream({
      async pull(controller) {
        await nextTurn();
        if (i < pieces.length) controller.enqueue(pieces[i++]);
        else controller.close();
      },
    }, { highWaterMark: 0 });
    return new Response(body, { status, headers });
  };

  /** An SDK request handler: records through `realHandler` (a NodeHttpHandler), then replays. */
  handler(realHandler) {
    const replay = this;
    return {
      metadata: { handlerProtocol: "http/1.1" },
      async handle(request, options) {
        const url = `${request.protocol}//${request.hostname}:${request.port}${request.path}`;
        if (!replay.#recorded.has(url)) {
          const { response } = await realHandler.handle(request, options);
          const chunks = [];
          for await (const chunk of response.body) chunks.push(chunk);
          replay.#recorded.set(url, { status: response.statusCode, headers: response.headers, bytes: new Uint8Array(Buffer.concat(chunks)) });
        }
        const { status, headers } = replay.#recorded.get(url);
        const pieces = replay.#pieces(url);
        async function* body() {
          for (const piece of pieces) {
            await nextTurn();
            yield Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
          }
        }
        return { response: { statusCode: status, headers, body: Readable.from(body(), { objectMode: false }) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
      destroy() {},
    };
  }
}

/** Starts the lag monitor; the returned function stops it and gives the longest stretch in ms. */
export function startLagMonitor() {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return () => {
    running = false;
    return longest;
  };
}
