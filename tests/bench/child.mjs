// One client in its own Node process, driven by the bench runner over IPC (child_process.fork),
// so each measurement is of that client alone (client CPU from process.cpuUsage) and the runner
// can interleave clients run by run. Usage: fork("child.mjs", [column, pkgDir]) with
// BEDROCK_EMULATOR_URL set; messages { id, op, args } → { id, result } or { id, error }.
import { CLIENTS, loadClient, nodeHttpHandler } from "./clients.mjs";
import { Replay, startLagMonitor } from "./replay.mjs";

const [column, pkgDir] = process.argv.slice(2);
const endpoint = process.env.BEDROCK_EMULATOR_URL;
const replay = new Replay();
const { client, edge } = await loadClient(column, { pkgDir, endpoint });
const replayed = (await loadClient(column, {
  pkgDir,
  endpoint,
  ...(CLIENTS[column].transport === "fetch" ? { fetch: replay.fetch } : { requestHandler: replay.handler(nodeHttpHandler()) }),
})).client;

/** Wall and CPU ms of `work()`, and what it returned. */
async function timed(work) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  return { ms, cpuMs: (user + system) / 1000, ...result };
}

const wasmBytes = () => (edge ? edge.wasmMemoryBytes() : null);

/** Peak RSS while `work()` runs, sampled every 5 ms (and the process's max RSS so far). */
async function withPeakRss(work) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const result = await work();
    return { ...result, peakRss: Math.max(peak, process.memoryUsage.rss()), maxRss: process.resourceUsage().maxRSS * 1024 };
  } finally {
    clearInterval(timer);
  }
}

const OPS = {
  stream: ({ kind, n }) => timed(() => client.stream(kind, n)),
  /** The same stream replayed from memory in pieces of `pieceSize` bytes (0: one piece). */
  async largeRead({ kind, n, pieceSize }) {
    replay.pieceSize = pieceSize;
    const stop = startLagMonitor();
    const result = await timed(() => replayed.stream(kind, n));
    return { ...result, longestStretchMs: stop() };
  },
  async memoryStream({ kind, n }) {
    const before = wasmBytes();
    const result = await withPeakRss(() => timed(() => client.stream(kind, n)));
    return { ...result, wasmBefore: before, wasmAfter: wasmBytes() };
  },
  /** `invoke` twice with the same content (text of `textBytes`, or an image of `imageBytes`). */
  async memoryInvoke({ textBytes, imageBytes }) {
    const content = textBytes
      ? "x".repeat(textBytes)
      : [{ type: "image", mime_type: "image/png", source_type: "base64", data: Buffer.alloc(imageBytes, 7).toString("base64") }];
    const before = wasmBytes();
    const replyChars = await client.invoke(content);
    const afterFirst = wasmBytes();
    await client.invoke(content);
    return { wasmBefore: before, wasmAfterFirst: afterFirst, wasmAfterSecond: wasmBytes(), replyChars };
  },
  async memoryModels({ count }) {
    const settle = async () => {
      for (let i = 0; i < 5; i++) {
        globalThis.gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    client.makeAndDropModels(100);
    await settle();
    const before = wasmBytes();
    // In rounds of 1,000, with gc between: wasm memory never shrinks, so all 10,000 alive at
    // once would show as growth even when every one is freed. Freed models leave their memory
    // to the next round (growth: about one round's); leaked ones grow it round after round.
    for (let made = 0; made < count; made += 1000) {
      client.makeAndDropModels(Math.min(1000, count - made));
      await settle();
    }
    return { wasmBefore: before, wasmAfter: wasmBytes() };
  },
  embed: ({ texts, dimensions }) => timed(async () => {
    const vectors = await client.embed(texts, dimensions);
    return { count: vectors.length, dimensions: vectors[0].length };
  }),
};

process.on("message", async ({ id, op, args }) => {
  try {
    process.send({ id, result: await OPS[op](args) });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
