// Unit tests of js/node-http.js, Node's default transport, against a local node:http server:
// `cd tests && node --test js/node-http.test.mjs`. The suites drive it end to end (every Node
// case without a `fetch` option); these check what they cannot steer: the request's framing,
// reads into a small view, a body paused and resumed, a reset after the headers, cancel.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { nodeFetch } from "../../js/node-http.js";

let server;
let base;
const handlers = new Map();
before(async () => {
  server = createServer((req, res) => handlers.get(new URL(req.url, "http://x").pathname)(req, res));
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const post = (path, init = {}) => nodeFetch(`${base}${path}`, { method: "POST", headers: {}, body: new Uint8Array(0), ...init });

/** The request body as the server read it, with the request's headers. */
const echo = (req, res) => {
  const parts = [];
  req.on("data", (part) => parts.push(part));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "r-1" });
    res.end(JSON.stringify({ headers: req.headers, method: req.method, body: Buffer.concat(parts).toString() }));
  });
};

test("the request: method, headers as given, the body with its Content-Length (never chunked); the response's status, headers and exact-length body", async () => {
  handlers.set("/echo", echo);
  const body = new TextEncoder().encode(JSON.stringify({ messages: ["héllo"] }));
  const response = await post("/echo", { headers: { "content-type": "application/json", "x-amz-date": "20261207T000000Z" }, body });
  assert.equal(response.status, 200);
  assert.equal(Object.fromEntries(response.headers)["x-amzn-requestid"], "r-1");
  const bytes = await response.arrayBuffer();
  const seen = JSON.parse(Buffer.from(bytes).toString());
  assert.equal(bytes.byteLength, Buffer.byteLength(JSON.stringify(seen)), "the ArrayBuffer is the body's length (not a pooled slab)");
  assert.equal(seen.method, "POST");
  assert.equal(seen.body, '{"messages":["héllo"]}');
  assert.equal(seen.headers["content-length"], String(body.length));
  assert.equal(seen.headers["transfer-encoding"], undefined);
  assert.equal(seen.headers["x-amz-date"], "20261207T000000Z");
});

test("reads fill the view with what has arrived, splitting a chunk larger than the view; a body the reader does not keep up with is paused (1 MiB queued) and resumed, nothing lost", async () => {
  const total = 48 * 1024 * 1024 + 7;
  const expected = Buffer.alloc(total);
  for (let i = 0; i < total; i += 4093) expected[i] = (i / 4093) & 255;
  let written = 0;
  handlers.set("/big", (req, res) => {
    req.resume();
    res.writeHead(200);
    // 64 KiB at a time, waiting for 'drain': `written` is what the client let through so far.
    const more = () => {
      while (written < total) {
        const piece = expected.subarray(written, written + 65536);
        written += piece.length;
        if (!res.write(piece)) return res.once("drain", more);
      }
      res.end();
    };
    more();
  });
  const response = await post("/big");
  const reader = response.body.getReader();
  // Read nothing for a while: without the pause the whole body would arrive and queue in memory.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = written;
  const got = [];
  let small = 0;
  for (let read = await reader.read(new Uint8Array(1000)); !read.done; read = await reader.read(new Uint8Array(1 << 20))) {
    if (read.value.buffer.byteLength === 1000) small = read.value.length;
    got.push(Buffer.from(read.value));
  }
  assert.ok(before < 24 * 1024 * 1024, `${before} bytes sent before the first read: the socket was not paused`);
  assert.equal(small, 1000, "the first read filled its 1,000-byte view");
  assert.ok(Buffer.concat(got).equals(expected), "the body, whole and in order");
});

test("a connection reset after the headers fails the pending read; cancel ends a pending read and closes the connection", async () => {
  handlers.set("/reset", (req, res) => {
    req.resume();
    res.writeHead(200);
    res.write("part");
    setTimeout(() => res.socket.destroy(), 20);
  });
  const reset = (await post("/reset")).body.getReader();
  const first = await reset.read(new Uint8Array(100));
  assert.equal(Buffer.from(first.value).toString(), "part");
  await assert.rejects(reset.read(new Uint8Array(100)), (error) => error.code === "ECONNRESET" || /aborted|closed/.test(error.message));

  let closed;
  handlers.set("/drip", (req, res) => {
    req.resume();
    res.writeHead(200);
    res.write("a");
    closed = new Promise((resolve) => res.on("close", resolve));
  });
  const drip = (await post("/drip")).body.getReader();
  await drip.read(new Uint8Array(10));
  const pending = drip.read(new Uint8Array(10));
  await drip.cancel();
  assert.deepEqual(await pending, { done: true, value: undefined });
  await closed;
});

test("a refused connection rejects with Node's error; an aborted signal rejects with its AbortError and sends nothing", async () => {
  const closedServer = createServer();
  await new Promise((listening) => closedServer.listen(0, "127.0.0.1", listening));
  const port = closedServer.address().port;
  await new Promise((closing) => closedServer.close(closing));
  await assert.rejects(nodeFetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: {}, body: new Uint8Array(0) }), { code: "ECONNREFUSED" });

  let requests = 0;
  handlers.set("/never", () => requests++);
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(post("/never", { signal: controller.signal }), { name: "AbortError" });
  assert.equal(requests, 0);
});
