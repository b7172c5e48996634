// Node's default transport: requests go through node:http and node:https, as the AWS SDK's do in
// Node, not through the global `fetch`. Node's `fetch` is undici: its first call in a process
// loads undici and compiles its wasm HTTP parser, and V8's background optimisation of that parser
// keeps the process alive long after the last byte. A fresh process that streams once and ends
// took 265 ms over `node -e 0` with a bare `fetch` and 54 ms with a bare `http.request`, medians
// of 11 interleaved processes (the bare-`fetch` process stayed alive 151 ms after its last byte,
// the `http.request` one 0.2 ms). A `fetch` option still replaces this transport.
//
// `nodeFetch(url, init)` takes what the wasm side hands any `fetch` (`method`, `headers` as an
// object, `body` as a Uint8Array, `signal`) and answers with what it reads of a `Response`:
// `status`, `headers` as [name, value] pairs, `arrayBuffer()`, and `body.getReader()`, a reader
// whose `read(view)` fills `view` with as much of the body as has arrived, as a BYOB reader does.

/** Bytes queued unread before the socket is paused (it resumes when a read takes them). */
const HIGH_WATER = 1 << 20;

/** A Response-like answer to one request (see above), its body read from `res`. */
function response(res) {
  const queue = [];
  let queued = 0;
  let ended = false;
  let failure;
  let wake;
  const settle = () => {
    wake?.();
    wake = undefined;
  };
  res.on("data", (chunk) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= HIGH_WATER) res.pause();
    settle();
  });
  res.on("end", () => {
    ended = true;
    settle();
  });
  // A reset or an abort after the headers: 'error', or a 'close' before the end.
  const fail = (error) => {
    failure ??= error;
    settle();
  };
  res.on("error", fail);
  res.on("close", () => ended || fail(Object.assign(new Error("the connection closed before the body ended"), { code: "ECONNRESET" })));
  const arrived = async () => {
    while (!queue.length && !ended && !failure) await new Promise((resolve) => (wake = resolve));
    if (failure) throw failure;
  };
  /** Up to `view.length` bytes of the body into `view`; `{ done: true }` at its end. */
  const read = async (view) => {
    await arrived();
    if (!queue.length) return { done: true, value: undefined };
    let length = 0;
    while (queue.length && length < view.length) {
      const chunk = queue[0];
      const take = Math.min(chunk.length, view.length - length);
      view.set(take === chunk.length ? chunk : chunk.subarray(0, take), length);
      length += take;
      if (take === chunk.length) queue.shift();
      else queue[0] = chunk.subarray(take);
    }
    queued -= length;
    if (queued < HIGH_WATER && res.isPaused()) res.resume();
    return { done: false, value: view.subarray(0, length) };
  };
  const reader = {
    read,
    closed: Promise.resolve(),
    /** Stops the body: the socket is closed and a pending read ends. */
    cancel() {
      ended = true;
      queue.length = 0;
      res.destroy();
      settle();
      return Promise.resolve();
    },
  };
  const headers = Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : value]);
  return {
    status: res.statusCode,
    headers,
    body: { getReader: () => reader },
    /** The whole body, in an ArrayBuffer of its own length. */
    async arrayBuffer() {
      const chunks = [];
      let total = 0;
      for (await arrived(); queue.length; await arrived()) {
        for (const chunk of queue) chunks.push(chunk), (total += chunk.length);
        queue.length = 0;
        queued = 0;
        if (res.isPaused()) res.resume();
      }
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) bytes.set(chunk, at), (at += chunk.length);
      return bytes.buffer;
    },
  };
}

/** Sends one request with node:http or node:https (by the URL's scheme); see above. */
export function nodeFetch(url, { method, headers, body, signal }) {
  return new Promise((resolve, reject) => {
    const { request } = process.getBuiltinModule(url.startsWith("https:") ? "node:https" : "node:http");
    const sized = { ...headers, "content-length": String(body.length) };
    const req = request(url, { method, headers: sized, signal }, (res) => resolve(response(res)));
    req.on("error", reject);
    req.end(body);
  });
}
