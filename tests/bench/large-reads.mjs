// The emulator's `fault:bulk:<n>` ConverseStream (default 80,000 frames, 19 MiB) delivered to the
// client in pieces of a fixed size (16 KiB, 1 MiB, the whole body), all queued at once, as a fast
// network or a buffering proxy would. Printed: the time from the first chunk to the last, and,
// from the moment the body is queued, the longest stretch in which the event loop could not run
// a timer (the largest gap in a 1 ms setTimeout chain), and the most process CPU time spent
// within one gap. Timings are printed, never asserted. Usage (emulator running,
// BEDROCK_EMULATOR_URL set):
//   node tests/bench/large-reads.mjs [pkgDir=pkg] [runs=3] [frames=80000]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pkgDir = "pkg", runs = "3", frames = "80000"] = process.argv.slice(2);
const { ChatBedrockConverse } = await import(pathToFileURL(resolve(pkgDir, "node.js")).href);
const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");

/**
 * A fetch that reads the whole reply, then hands it on as a body of `size`-byte pieces (views,
 * not copies), calling `ready()` in a task of its own once they are queued.
 */
const piecesFetch = (size, ready) => async (url, init) => {
  const reply = await fetch(url, init);
  const bytes = new Uint8Array(await reply.arrayBuffer());
  const body = new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.byteLength; at += size) controller.enqueue(bytes.subarray(at, at + size));
      controller.close();
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  ready();
  return new Response(body, { status: reply.status, headers: reply.headers });
};

/**
 * The largest gap between the runs of a 1 ms setTimeout chain until `stop()`, in wall time, and
 * the largest process CPU time spent within one gap (on a loaded machine a stretch can last
 * longer than the CPU it takes).
 */
function gapRecorder() {
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  let wall = 0;
  let cpu = 0;
  let timer;
  const record = () => {
    const now = performance.now();
    const used = process.cpuUsage(lastCpu);
    wall = Math.max(wall, now - last);
    cpu = Math.max(cpu, (used.user + used.system) / 1000);
    last = now;
    lastCpu = process.cpuUsage();
  };
  const tick = () => {
    record();
    timer = setTimeout(tick, 1);
  };
  timer = setTimeout(tick, 1);
  return () => {
    clearTimeout(timer);
    record();
    return { wall, cpu };
  };
}

async function once(size) {
  let stop;
  const ready = () => {
    stop = gapRecorder();
  };
  const llm = new ChatBedrockConverse({
    model: `fault:bulk:${frames}`,
    region: "us-east-1",
    endpoint: emulatorUrl,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    fetch: piecesFetch(size, ready),
  });
  const reader = llm.stream("go")[Symbol.asyncIterator]();
  // The clock starts at the first chunk: the whole body has been fetched and queued by then.
  const first = await reader.next();
  const start = performance.now();
  let chars = 0;
  let chunks = 0;
  for (let step = first; !step.done; step = await reader.next()) {
    chars += step.value.text.length;
    chunks++;
  }
  const ms = performance.now() - start;
  const { wall: gap, cpu: gapCpu } = stop();
  return { ms, gap, gapCpu, chars, chunks };
}

const sizes = [
  ["16 KiB", 16 * 1024],
  ["1 MiB", 1024 * 1024],
  ["whole body", Infinity],
];
await once(65536); // warm-up: JIT, connection
for (const [label, size] of sizes) {
  const results = [];
  for (let i = 0; i < Number(runs); i++) results.push(await once(size));
  const { chars, chunks } = results[0];
  const fmt = (key) => results.map((r) => r[key].toFixed(0)).join(" ");
  console.log(
    `${label.padEnd(10)} ${chunks} chunks ${chars} chars | wall ms: ${fmt("ms")} | longest timer gap ms: ${fmt("gap")} | most CPU in one gap ms: ${fmt("gapCpu")}`,
  );
}
