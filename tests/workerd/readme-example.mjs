// Runs the README's "A Worker in ten lines" exactly as printed, in workerd, against the
// emulator (reached through the AWS_ENDPOINT_URL_BEDROCK_RUNTIME binding), so the example a
// user copies is known to work; then its "Cloudflare AI Gateway" Worker (BYOK) against the
// emulator's gateway route; then its "Embeddings" Worker (Vectorize) with a stand-in index.
// Prints `N passed, N failed`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startWorker } from "./harness.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const OUT = join(ROOT, "tests/.work/readme-worker");
const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
const section = readme.split("## A Worker in ten lines")[1];
const code = section?.match(/```js\n([\s\S]*?)```/)?.[1];
if (!code) throw new Error("README.md has no js block under '## A Worker in ten lines'");
const lines = code.trim().split("\n").length;

mkdirSync(OUT, { recursive: true });
const entry = join(OUT, "entry.mjs");
writeFileSync(entry, code);
const worker = await startWorker({
  entry,
  outDir: OUT,
  textBindings: {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulatorUrl,
  },
});
let failed = 0;
try {
  const response = await fetch(worker.url, { method: "POST", body: "I love programming." });
  const text = await response.text();
  const ok = response.status === 200 && text === "J'adore la programmation.";
  if (!ok) failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"}  README Worker example (${lines} lines): ${response.status} ${JSON.stringify(text)}`);
  const tooLong = lines > 10;
  if (tooLong) failed++;
  console.log(`  ${tooLong ? "FAIL" : "ok  "}  README Worker example is at most ten lines`);
} finally {
  await worker.stop();
}

// The "Cloudflare AI Gateway" Worker (BYOK): as printed but for `baseUrl`, which points the gateway
// at the emulator's gateway route; its bindings hold no AWS key, only the gateway's.
const gatewaySection = readme.split("## Cloudflare AI Gateway")[1];
const printed = gatewaySection?.match(/```js\n([\s\S]*?)```/)?.[1];
if (!printed?.includes("byok: true }")) throw new Error("README.md has no BYOK js block under '## Cloudflare AI Gateway'");
const gatewayOut = join(OUT, "ai-gateway");
mkdirSync(gatewayOut, { recursive: true });
const gatewayEntry = join(gatewayOut, "entry.mjs");
writeFileSync(gatewayEntry, printed.replace("byok: true }", "byok: true, baseUrl: env.TEST_GATEWAY_BASE_URL }"));
const gatewayWorker = await startWorker({
  entry: gatewayEntry,
  outDir: gatewayOut,
  textBindings: { CF_ACCOUNT_ID: "0123456789abcdef", CF_GATEWAY_ID: "emulator-byok", CF_AIG_TOKEN: "emulator-gateway-token", TEST_GATEWAY_BASE_URL: emulatorUrl },
});
try {
  await fetch(`${emulatorUrl}/_emulator/requests`, { method: "DELETE" });
  const response = await fetch(gatewayWorker.url, { method: "POST", body: "I love programming." });
  const text = await response.text();
  const [request] = await (await fetch(`${emulatorUrl}/_emulator/requests`)).json();
  const viaGateway = request?.path.startsWith("/v1/0123456789abcdef/emulator-byok/aws-bedrock/bedrock-runtime/us-east-1/model/")
    && !Object.keys(request.headers).some((h) => h === "authorization" || h.startsWith("x-amz-"));
  const ok = response.status === 200 && text === "J'adore la programmation." && viaGateway;
  if (!ok) failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"}  README AI Gateway Worker (BYOK, no AWS key): ${response.status} ${JSON.stringify(text)} via ${request?.path}`);
} finally {
  await gatewayWorker.stop();
}

// The "Embeddings" Worker, exactly as printed, in a module of its own. workerd (and miniflare) have
// no local Vectorize, so a wrapper Worker hands it `env` with VECTORIZE set to a stand-in index
// that keeps what is upserted, answers `query` by cosine similarity, and records every call;
// `GET /_vectorize` on the wrapper returns those calls.
const embeddingsSection = readme.split("### Embeddings")[1];
const embeddingsCode = embeddingsSection?.match(/```js\n([\s\S]*?)```/)?.[1];
if (!embeddingsCode?.includes("env.VECTORIZE")) throw new Error("README.md has no Vectorize js block under '### Embeddings'");
const embeddingsOut = join(OUT, "embeddings");
mkdirSync(embeddingsOut, { recursive: true });
writeFileSync(join(embeddingsOut, "readme.mjs"), embeddingsCode);
const wrapper = join(embeddingsOut, "entry.mjs");
writeFileSync(wrapper, `import readme from "./readme.mjs";

const calls = [];
const stored = new Map();
const cosine = (a, b) => {
  let dot = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return dot / Math.sqrt(aa * bb);
};
const VECTORIZE = {
  async upsert(vectors) {
    calls.push({ method: "upsert", vectors });
    for (const vector of vectors) stored.set(vector.id, vector);
    return { mutationId: String(calls.length) };
  },
  async query(vector, options) {
    calls.push({ method: "query", vector, options });
    const matches = [...stored.values()]
      .map(({ id, values, metadata }) => ({ id, score: cosine(vector, values), ...(options?.returnMetadata === "all" ? { metadata } : {}) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, options?.topK ?? 5);
    return { matches, count: matches.length };
  },
};

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/_vectorize") return Response.json(calls);
    return readme.fetch(request, { ...env, VECTORIZE }, ctx);
  },
};
`);
const embeddingsWorker = await startWorker({
  entry: wrapper,
  outDir: embeddingsOut,
  textBindings: {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulatorUrl,
  },
});
const sentToEmulator = async () => (await (await fetch(`${emulatorUrl}/_emulator/requests`)).json()).filter((r) => r.path.includes("/model/"));
const check = (ok, what) => {
  if (!ok) failed++;
  console.log(`  ${ok ? "ok  " : "FAIL"}  README Embeddings Worker: ${what}`);
};
try {
  const docs = [
    { id: "paris", text: "Paris is the capital of France" },
    { id: "bananas", text: "Bananas are a yellow fruit" },
    { id: "berlin", text: "Berlin is the capital of Germany" },
  ];
  await fetch(`${emulatorUrl}/_emulator/requests`, { method: "DELETE" });
  const indexed = await fetch(embeddingsWorker.url, { method: "POST", body: JSON.stringify(docs) });
  const indexedReply = await indexed.text();
  const indexing = await sentToEmulator();
  const titan = `/model/${encodeURIComponent("amazon.titan-embed-text-v2:0")}/invoke`;
  check(indexed.status === 200 && indexedReply === JSON.stringify({ upserted: 3 }), `POST indexes the documents: ${indexed.status} ${indexedReply}`);
  check(
    indexing.length === 3 && indexing.every((r) => r.path === titan && r.body.dimensions === 512)
      && JSON.stringify(indexing.map((r) => r.body.inputText).sort()) === JSON.stringify(docs.map((d) => d.text).sort()),
    `one Titan v2 request per document, dimensions 512: ${JSON.stringify(indexing.map((r) => [r.path, r.body]))}`,
  );
  const search = await fetch(`${embeddingsWorker.url}/?q=${encodeURIComponent("What is the capital of France?")}`);
  const results = await search.json().catch(() => null);
  const querying = await sentToEmulator();
  check(querying.length === 4 && querying[3].body.inputText === "What is the capital of France?", `GET ?q= embeds the query: ${JSON.stringify(querying.slice(3).map((r) => r.body))}`);
  check(
    search.status === 200 && Array.isArray(results) && results.length === 3 && results[0].id === "paris" && results[0].text === docs[0].text && results.every((r) => typeof r.score === "number"),
    `GET ?q= answers the three nearest, the France document first: ${search.status} ${JSON.stringify(results)}`,
  );
  const calls = await (await fetch(`${embeddingsWorker.url}/_vectorize`)).json();
  const [upsert, query] = calls;
  check(
    calls.length === 2 && upsert.method === "upsert" && upsert.vectors.length === 3
      && upsert.vectors.every((v, i) => v.id === docs[i].id && v.values.length === 512 && v.metadata.text === docs[i].text)
      && query.method === "query" && query.vector.length === 512 && JSON.stringify(query.options) === JSON.stringify({ topK: 3, returnMetadata: "all" }),
    `VECTORIZE.upsert got 3 vectors of 512 in document order with their text, query a 512 vector with topK 3: ${JSON.stringify(calls.map((c) => c.method))}`,
  );
  await fetch(`${emulatorUrl}/_emulator/requests`, { method: "DELETE" });
  const empty = await fetch(embeddingsWorker.url);
  await empty.text();
  check(empty.status === 500 && (await sentToEmulator()).length === 0, `GET without q fails (the TypeError of an empty text) and sends nothing: ${empty.status}`);
} finally {
  await embeddingsWorker.stop();
}
console.log(`${9 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
