// End-to-end cases for bodies that arrive in large pieces: a fast network, a buffering proxy or a
// custom `fetch` can hand over a whole stream body at once, or many pieces already queued, and
// decoding them must neither change the chunks nor hold the event loop until the last one.
// Run in Node, workerd and Chromium next to the other suites; web-standard globals only. The
// runner supplies `ctx`: { pkg, emulatorUrl, runtime }.
import * as assert from "./assert.mjs";
import { clearRequests, collect, joinText, llmFor, runCaseList, sentRequests } from "./suite-helpers.mjs";

/** The emulator's 60-byte text deltas (`fault:bulk:<n>`, emulator/scenarios/bulk.mjs), ~1.2 MiB of frames. */
const FRAMES = 5000;
const MODEL = `fault:bulk:${FRAMES}`;
const PROMPT = "go";

/**
 * A fetch that reads the whole reply, then hands it on as a body of `size`-byte pieces, all
 * queued before the first read (Infinity: the whole body as one piece).
 */
const piecesFetch = (size) => async (url, init) => {
  const reply = await fetch(url, init);
  const bytes = new Uint8Array(await reply.arrayBuffer());
  const body = new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.byteLength; at += size) controller.enqueue(bytes.slice(at, at + size));
      controller.close();
    },
  });
  return new Response(body, { status: reply.status, headers: reply.headers });
};

/**
 * A fetch whose body is a byte stream (`type: "bytes"`) serving the reply in pieces of at most
 * `size` bytes as it is read; `seen.byob` records whether a read came with a BYOB request (a
 * reader that brings its own buffer, as the package's does for byte streams).
 */
const byteStreamFetch = (size, seen) => async (url, init) => {
  const reply = await fetch(url, init);
  const bytes = new Uint8Array(await reply.arrayBuffer());
  let at = 0;
  const body = new ReadableStream({
    type: "bytes",
    pull(controller) {
      const request = controller.byobRequest;
      if (request) {
        seen.byob = true;
        const piece = bytes.subarray(at, at + Math.min(size, request.view.byteLength));
        request.view.set(piece);
        at += piece.byteLength;
        request.respond(piece.byteLength);
      } else {
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      }
      if (at >= bytes.byteLength) controller.close();
    },
  });
  return new Response(body, { status: reply.status, headers: reply.headers });
};

/** A chunk without what differs between calls (`id`, the response's request id and headers). */
function withoutCallFields({ id, ...chunk }) {
  if (!chunk.response_metadata) return chunk;
  const { ResponseMetadata, ...metadata } = chunk.response_metadata;
  return { ...chunk, response_metadata: metadata };
}

/** The index of the first chunk that differs from `expected` (ids aside), or -1. */
const firstDifference = (chunks, expected) => {
  const length = Math.max(chunks.length, expected.length);
  for (let i = 0; i < length; i++) {
    if (JSON.stringify(withoutCallFields(chunks[i] ?? {})) !== JSON.stringify(expected[i])) return i;
  }
  return -1;
};

/** Some CPU work per chunk, as a consumer does (a fixed amount: clocks stand still in workerd). */
function work(text) {
  let hash = 0;
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  }
  return hash;
}

/**
 * Reads `stream` to its end; a timer scheduled when the first chunk arrives records how many
 * chunks had arrived when it ran (undefined: it had not run by the last chunk). Each chunk gets
 * some work, so that the whole stream takes longer than a 0 ms timer's clamp (1 ms in Node,
 * where the package's turns are setImmediate's, which come before a timer that is not due yet).
 */
async function collectWithTimer(stream) {
  const chunks = [];
  let timerRanAt;
  let hash = 0;
  for await (const chunk of stream) {
    hash ^= work(chunk.text);
    chunks.push(chunk);
    if (chunks.length === 1) setTimeout(() => (timerRanAt = chunks.length), 0);
  }
  return { chunks, timerRanAt, hash };
}

/** `chunks` (with the turn a timer ran at) are `expected`'s, and the timer ran before the last one. */
function assertSameChunksAndATimer(what, { chunks, timerRanAt }, expected) {
  assert.equal(chunks.length, expected.length, `${what}: chunks`);
  assert.equal(firstDifference(chunks, expected), -1, `${what}: the first chunk that differs`);
  assert.equal(joinText(chunks).length, 60 * FRAMES, `${what}: text length`);
  assert.ok(
    timerRanAt !== undefined && timerRanAt < chunks.length,
    `${what}: a timer scheduled at the first chunk ran ${timerRanAt === undefined ? "only after the last chunk" : `after chunk ${timerRanAt}`} of ${chunks.length}`,
  );
}

/** The emulator saw three ConverseStream requests for MODEL, each with the prompt. */
async function assertThreeStreamRequests(ctx) {
  const requests = (await sentRequests(ctx)).filter((r) => r.modelId === MODEL);
  assert.equal(requests.length, 3, "requests sent");
  for (const request of requests) {
    assert.equal(request.operation, "ConverseStream", "operation");
    assert.deepEqual(request.body?.messages, [{ role: "user", content: [{ text: PROMPT }] }], "messages sent");
  }
}

export const cases = [
  {
    name: "a stream body handed over in one piece, or in 16 KiB pieces all queued, gives the same chunks and lets a timer run before its last chunk",
    async run(ctx) {
      await clearRequests(ctx);
      const expected = (await collect(llmFor(ctx, { model: MODEL }).stream(PROMPT))).map(withoutCallFields);
      assert.equal(expected.length, FRAMES + 1, "chunks of the body read from the network");
      for (const [what, size] of [["one piece", Infinity], ["16 KiB pieces", 16 * 1024]]) {
        const got = await collectWithTimer(llmFor(ctx, { model: MODEL, fetch: piecesFetch(size) }).stream(PROMPT));
        assertSameChunksAndATimer(what, got, expected);
      }
      await assertThreeStreamRequests(ctx);
    },
  },
  {
    name: "a byte-stream body is read with a BYOB reader, in pieces of 1,000 bytes or 1 MiB, and gives the same chunks and lets a timer run before its last chunk",
    async run(ctx) {
      await clearRequests(ctx);
      const expected = (await collect(llmFor(ctx, { model: MODEL }).stream(PROMPT))).map(withoutCallFields);
      for (const [what, size] of [["1,000-byte pieces", 1000], ["1 MiB pieces", 1024 * 1024]]) {
        const seen = { byob: false };
        const got = await collectWithTimer(llmFor(ctx, { model: MODEL, fetch: byteStreamFetch(size, seen) }).stream(PROMPT));
        assert.ok(seen.byob, `${what}: the body was read with a BYOB reader`);
        assertSameChunksAndATimer(what, got, expected);
      }
      await assertThreeStreamRequests(ctx);
    },
  },
];

/** All large-read cases for this run. */
export function allCases() {
  return cases;
}

/** Runs the large-read cases in order. */
export function runCases(ctx, only) {
  return runCaseList(ctx, allCases(ctx), only);
}
