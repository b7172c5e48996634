// The emulator's 20,000-frame ConverseStream (`fault:bulk:20000`, 60-byte text deltas) consumed
// with `for await` through a built package, in Node: wall time per run and the median. Timings
// are printed, never asserted. Usage (emulator running, BEDROCK_EMULATOR_URL set):
//   node tests/bench/bulk-stream.mjs [pkgDir=pkg] [runs=9] [frames=20000]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pkgDir = "pkg", runs = "9", frames = "20000"] = process.argv.slice(2);
const { ChatBedrockConverse } = await import(pathToFileURL(resolve(pkgDir, "node.js")).href);
const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");

const llm = new ChatBedrockConverse({
  model: `fault:bulk:${frames}`,
  region: "us-east-1",
  endpoint: emulatorUrl,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
});

async function once() {
  const start = performance.now();
  let chars = 0;
  let chunks = 0;
  for await (const chunk of llm.stream("go")) {
    chars += chunk.text.length;
    chunks++;
  }
  return { ms: performance.now() - start, chars, chunks };
}

await once(); // warm-up: wasm compile, JIT, connection
const times = [];
for (let i = 0; i < Number(runs); i++) {
  const { ms, chars, chunks } = await once();
  times.push(ms);
  if (i === 0) console.log(`${chunks} chunks, ${chars} characters of text`);
}
times.sort((a, b) => a - b);
console.log(`runs (ms): ${times.map((t) => t.toFixed(0)).join(" ")}`);
console.log(`median: ${times[times.length >> 1].toFixed(0)} ms for ${frames} frames`);
