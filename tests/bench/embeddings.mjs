// embedDocuments of `texts` texts with Amazon Titan Text Embeddings v2 at `dimensions`
// (one InvokeModel each, 8 at a time) against the emulator, through a built package; and, when
// `sdkDir` names a directory where @aws-sdk/client-bedrock-runtime is installed, the same
// requests through the AWS SDK (InvokeModelCommand, 8 at a time) with `JSON.parse` of each body.
// Wall time per run and the median; printed, never asserted. Usage (emulator running,
// BEDROCK_EMULATOR_URL set):
//   node tests/bench/embeddings.mjs [pkgDir=pkg] [runs=7] [texts=1000] [dimensions=1024] [sdkDir]
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pkgDir = "pkg", runs = "7", count = "1000", dimensions = "1024", sdkDir] = process.argv.slice(2);
const { BedrockEmbeddings } = await import(pathToFileURL(resolve(pkgDir, "node.js")).href);
const endpoint = process.env.BEDROCK_EMULATOR_URL;
if (!endpoint) throw new Error("BEDROCK_EMULATOR_URL is not set");
const model = "amazon.titan-embed-text-v2:0";
const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
const texts = Array.from({ length: Number(count) }, (_, i) => `document ${i} with a few more words in it`);
const CONCURRENCY = 8;

const ours = new BedrockEmbeddings({ model, region: "us-east-1", endpoint, credentials, dimensions: Number(dimensions), maxConcurrency: CONCURRENCY });
const viaPackage = () => ours.embedDocuments(texts);

let viaSdk;
if (sdkDir) {
  const require = createRequire(resolve(sdkDir, "package.json"));
  const { BedrockRuntimeClient, InvokeModelCommand } = require("@aws-sdk/client-bedrock-runtime");
  // HTTP/1.1, as the emulator (and our fetch) speak it; the client's default handler is HTTP/2.
  const { NodeHttpHandler } = require("@smithy/node-http-handler");
  const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint, credentials, requestHandler: new NodeHttpHandler() });
  const decoder = new TextDecoder();
  viaSdk = async () => {
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

async function measure(name, run) {
  const check = await run(); // warm-up
  if (check.length !== texts.length || check[0].length !== Number(dimensions)) throw new Error(`${name}: wrong shape`);
  const times = [];
  for (let i = 0; i < Number(runs); i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: runs (ms) ${times.map((t) => t.toFixed(0)).join(" ")}; median ${times[times.length >> 1].toFixed(0)} ms for ${count} texts x ${dimensions} dimensions`);
}

await measure("bedrock-edge embedDocuments", viaPackage);
if (viaSdk) {
  await measure("@aws-sdk/client-bedrock-runtime + JSON.parse", viaSdk);
  await measure("bedrock-edge embedDocuments (again)", viaPackage);
}
