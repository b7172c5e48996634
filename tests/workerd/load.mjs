// Load in one workerd isolate against the emulator (BEDROCK_EMULATOR_URL): 200 concurrent streams
// (text, tool and reasoning mixed) must all deliver the right text and arguments; after 10,000
// sequential requests, and after 10,000 streams left early with `break`, wasm memory must have
// stopped growing (no sample in the second half larger than the one at the halfway mark), and
// the early breaks must leave no connection open at the emulator. Prints the figures; timings
// are printed, never checked.
import { resolve } from "node:path";
import { startWorker } from "./harness.mjs";

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");
const CONCURRENT = Number(process.env.LOAD_CONCURRENT ?? 200);
const SEQUENTIAL = Number(process.env.LOAD_SEQUENTIAL ?? 10_000);
const BREAKS = Number(process.env.LOAD_BREAKS ?? 10_000);

/** Whether memory samples stopped growing by the halfway mark. */
function stillGrowing(samples, total) {
  const half = samples.find((m) => m.after >= total / 2);
  return samples.filter((m) => m.after > half.after && m.bytes > half.bytes);
}

/** The emulator's open connections, polled until they reach 0 or 3 s pass. */
async function openConnections() {
  let open;
  for (let i = 0; i < 30; i++) {
    open = (await (await fetch(`${emulatorUrl}/_emulator/connections`)).json()).open;
    if (open === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return open;
}

const worker = await startWorker({
  entry: resolve(import.meta.dirname, "load-worker.mjs"),
  outDir: resolve(import.meta.dirname, "../.work/workerd-load"),
});
let failures = [];
try {
  const response = await fetch(worker.url, {
    method: "POST",
    body: JSON.stringify({ emulatorUrl, concurrent: CONCURRENT, sequential: SEQUENTIAL, breaks: BREAKS }),
  });
  if (!response.ok) throw new Error(`the load worker answered ${response.status}: ${await response.text()}`);
  const result = await response.json();
  const mib = (bytes) => (bytes / 1048576).toFixed(2);
  console.log(`${result.concurrent} concurrent streams in one isolate: ${result.concurrent - result.problems.length} right, ` +
    `${result.problems.length} wrong (${result.concurrentMs} ms)`);
  for (const problem of result.problems.slice(0, 10)) console.log(`  ${problem}`);
  console.log(`${result.sequential} sequential requests: ${result.sequential - result.wrong} right; wasm memory (MiB) after n requests:`);
  console.log(`  ${result.memory.map((m) => `${m.after}: ${mib(m.bytes)}`).join(", ")}`);
  if (result.problems.length > 0) failures.push(`${result.problems.length} concurrent streams went wrong`);
  if (result.wrong > 0) failures.push(`${result.wrong} sequential requests went wrong`);
  const grown = stillGrowing(result.memory, result.sequential);
  if (grown.length > 0) failures.push(`wasm memory still grows after half the requests: ${grown.map((m) => m.bytes).join(", ")}`);
  const open = await openConnections();
  console.log(`${result.breaks} streams left after their first chunk: ${result.breaks - result.unbroken} gave it; ` +
    `${open} connections open at the emulator after them; wasm memory (MiB) after n breaks:`);
  console.log(`  ${result.breakMemory.map((m) => `${m.after}: ${mib(m.bytes)}`).join(", ")}`);
  if (result.unbroken > 0) failures.push(`${result.unbroken} early-break streams gave no first chunk`);
  if (open !== 0) failures.push(`${open} connections left open after the early breaks`);
  const grownBreaks = stillGrowing(result.breakMemory, result.breaks);
  if (grownBreaks.length > 0) failures.push(`wasm memory still grows after half the early breaks: ${grownBreaks.map((m) => m.bytes).join(", ")}`);
} finally {
  await worker.stop();
}
for (const failure of failures) console.error(`FAIL: ${failure}`);
console.log(failures.length === 0 ? "1 passed, 0 failed" : `0 passed, 1 failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
