// embedDocuments of `texts` texts with Amazon Titan Text Embeddings v2 at `dimensions` (one
// InvokeModel each, 8 at a time) against the emulator, through a built package; when `sdkDir`
// names a directory where @aws-sdk/client-bedrock-runtime and @smithy/node-http-handler are
// installed, the same requests through the AWS SDK (InvokeModelCommand, 8 at a time) with
// `JSON.parse` of each body; and when `basePkgDir` names another built package (the one to
// compare with), the same call through it. The contenders run in turns (one run of each, then
// again), so that the load of a shared machine falls on all of them alike. Per contender: the wall
// time and this process's CPU time (user + system) of each run, and their medians; printed,
// never asserted. Usage (emulator running, BEDROCK_EMULATOR_URL set):
//   node tests/bench/embeddings.mjs [pkgDir=pkg] [runs=7] [texts=1000] [dimensions=1024] [sdkDir] [basePkgDir]
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pkgDir = "pkg", runs = "7", count = "1000", dimensions = "1024", sdkDir, basePkgDir] = process.argv.slice(2);
const endpoint = process.env.BEDROCK_EMULATOR_URL;
if (!endpoint) throw new Error("BEDROCK_EMULATOR_URL is not set");
const model = "amazon.titan-embed-text-v2:0";
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const texts = Array.from({ length: Number(count) }, (_, i) => `document ${i} with a few more words in it`);
const CONCURRENCY = 8;

/** embedDocuments through the package built in `dir`. */
async function viaPackage(dir) {
  const { BedrockEmbeddings } = await import(pathToFileURL(resolve(dir, "node.js")).href);
  const embeddings = new BedrockEmbeddings({ model, region: "us-east-1", endpoint, credentials, dimensions: Number(dimensions), maxConcurrency: CONCURRENCY });
  return () => embeddings.embedDocuments(texts);
}

/** The same requests through the AWS SDK installed in `dir`, each body read with JSON.parse. */
function viaSdk(dir) {
  const require = createRequire(resolve(dir, "package.json"));
  const { BedrockRuntimeClient, InvokeModelCommand } = require("@aws-sdk/client-bedrock-runtime");
  // HTTP/1.1, as the emulator (and our fetch) speak it; the client's default handler is HTTP/2.
  const { NodeHttpHandler } = require("@smithy/node-http-handler");
  const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint, credentials, requestHandler: new NodeHttpHandler() });
  const decoder = new TextDecoder();
  return async () => {
    const out = new Array(texts.length);
    let next = 0;
    const worker = async () => {
      while (next < texts.length) {
        const i = next++;
        const body = JSON.stringify({ inputText: texts[i], dimensions: Number(dimensions) });
        const reply = await client.send(new InvokeModelCommand({ modelId: model, body, contentType: "application/json", accept: "application/json" }));
        out[i] = JSON.parse(decoder.decode(reply.body)).embedding;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return out;
  };
}

const contenders = [[`bedrock-edge (${pkgDir})`, await viaPackage(pkgDir)]];
if (sdkDir) contenders.push(["@aws-sdk/client-bedrock-runtime + JSON.parse", viaSdk(sdkDir)]);
if (basePkgDir) contenders.push([`bedrock-edge (${basePkgDir})`, await viaPackage(basePkgDir)]);

const results = contenders.map(() => []);
for (const [name, run] of contenders) {
  const check = await run(); // warm-up
  if (check.length !== texts.length || check[0].length !== Number(dimensions)) throw new Error(`${name}: wrong shape`);
}
for (let i = 0; i < Number(runs); i++) {
  for (const [c, [, run]] of contenders.entries()) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    const wall = performance.now() - start;
    const { user, system } = process.cpuUsage(cpu);
    results[c].push({ wall, cpu: (user + system) / 1000 });
  }
}
const median = (values) => values.toSorted((a, b) => a - b)[values.length >> 1].toFixed(0);
console.log(`embedDocuments of ${count} texts x ${dimensions} dimensions, ${runs} runs in turns (ms):`);
for (const [c, [name]] of contenders.entries()) {
  const wall = results[c].map((r) => r.wall);
  const cpu = results[c].map((r) => r.cpu);
  console.log(`${name}: wall median ${median(wall)} (${wall.map((t) => t.toFixed(0)).join(" ")}); CPU median ${median(cpu)} (${cpu.map((t) => t.toFixed(0)).join(" ")})`);
}
