// Wasm memory of one large `invoke` through a built package, in Node: a fresh process per case
// (wasm memory never shrinks), the figure at the moment the request is handed to `fetch` (the
// request side's peak), after the call, and after a second identical call. Printed, never
// asserted. Usage (emulator running, BEDROCK_EMULATOR_URL set):
//   node tests/bench/invoke-memory.mjs [pkgDir=pkg] [text|image] [MiB=10] [converse|invoke]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pkgDir = "pkg", kind = "text", mib = "10", api = "converse"] = process.argv.slice(2);
const { ChatBedrockConverse, ChatBedrock, wasmMemoryBytes } = await import(pathToFileURL(resolve(pkgDir, "node.js")).href);
const endpoint = process.env.BEDROCK_EMULATOR_URL;
if (!endpoint) throw new Error("BEDROCK_EMULATOR_URL is not set");

const size = Math.round(Number(mib) * 1024 * 1024);
let content;
if (kind === "text") {
  content = "abcdefghij ".repeat(Math.ceil(size / 11)).slice(0, size);
} else {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 2654435761) >>> 24;
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  content = [{ type: "text", text: "what is this" }, { type: "image", mimeType: "image/png", data }];
}
let atFetch;
let requestBytes;
const Model = api === "invoke" ? ChatBedrock : ChatBedrockConverse;
const llm = new Model({
  model: "anthropic.claude-3-5-sonnet-20240620-v1:0",
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
  maxTokens: 16,
  fetch: (url, init) => {
    atFetch ??= wasmMemoryBytes();
    requestBytes ??= init.body.byteLength;
    return fetch(url, init);
  },
});
const start = wasmMemoryBytes();
await llm.invoke([["human", content]]);
const first = wasmMemoryBytes();
await llm.invoke([["human", content]]);
const second = wasmMemoryBytes();
const m = (bytes) => (bytes / 1048576).toFixed(1);
console.log(
  `${api} ${kind} ${mib} MiB (request body ${m(requestBytes)} MiB): wasm memory ${m(start)} -> ${m(atFetch)} at fetch, ` +
    `${m(first)} after the call (growth ${((first - start) / requestBytes).toFixed(2)}x the request, ` +
    `${((first - start) / size).toFixed(2)}x the input), ${m(second)} after a second call`,
);
