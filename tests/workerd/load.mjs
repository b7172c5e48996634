// Load in one workerd isolate against the emulator (BEDROCK_EMULATOR_URL): 200 concurrent streams
// (text, tool and reasoning mixed) must all deliver the right text and arguments, and after
// 10,000 sequential requests wasm memory must have stopped growing (no sample in the second half
// larger than the one at the halfway mark). Prints the figures; timings are printed, never checked.
import { resolve } from "node:path";
import { startWorker } from "./harness.mjs";

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");
const CONCURRENT = Number(process.env.LOAD_CONCURRENT ?? 200);
const SEQUENTIAL = Number(process.env.LOAD_SEQUENTIAL ?? 10_000);

const worker = await startWorker({
  entry: resolve(import.meta.dirname, "load-worker.mjs"),
  outDir: resolve(import.meta.dirname, "../.work/workerd-load"),
});
let failures = [];
try {
  const response = await fetch(worker.url, {
    method: "POST",
    body: JSON.stringify({ emulatorUrl, concurrent: CONCURRENT, sequential: SEQUENTIAL }),
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
  const half = result.memory.find((m) => m.after >= result.sequential / 2);
  const grown = result.memory.filter((m) => m.after > half.after && m.bytes > half.bytes);
  if (grown.length > 0) failures.push(`wasm memory still grows after ${half.after} requests: ${grown.map((m) => m.bytes).join(", ")}`);
} finally {
  await worker.stop();
}
for (const failure of failures) console.error(`FAIL: ${failure}`);
console.log(failures.length === 0 ? "1 passed, 0 failed" : `0 passed, 1 failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
