// Size budget of the published package: raw, gzip -9 and brotli sizes of every file npm ships
// from pkg/ (package.json "files"), and a failure when the gzip total of what a runtime loads
// (the .wasm and the .js files; not the .d.ts, nor testing.js) passes the budget.
import { readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

// 180 KiB held Converse alone (177.0 measured); ChatBedrock and ChatAnthropicBedrock, with seven
// providers' native bodies, replies and stream events, took it to 213.3 KiB (213.0 at the start
// of issue 12); issue 12 (one owner per fact, the one option set) left it at 212.8 KiB. Issue 13
// (the peers' message forms, header-safe credentials and endpoints, one nesting limit, stream
// decoding rules: wasm +2.4 KiB) and countTokens (+0.9 KiB) took it to 216.2 KiB. Our own SigV4
// signer in place of aws-sigv4 (and the http, aws-smithy-*, time, bytes, tracing crates it
// brought) took 33 KiB off the wasm: 183.6 KiB with the example Worker's toSSE errorMessage and
// the clear-text refusal. Cloudflare AI Gateway (aiGateway: its options, URL, headers and errors)
// added 2.9 KiB: 186.5 KiB. BedrockEmbeddings (issue 14, part 2: Titan v1/v2 and Cohere v3/v4,
// their option checks and bodies in wasm, the bounded-concurrency batches in embeddings.js) added
// 6.5 KiB (wasm +4.2, bedrock_edge.js +0.4, embeddings.js 1.7): 193.1 KiB. Issue 15 took 9.9 KiB
// off the wasm (172,258 -> 162,269 B): SHA-256 as one loop (-2.3), no serde-wasm-bindgen (-0.8),
// no Value Display and so no std::io error machinery (-4.5), one `present` (-0.5), ASCII upper
// case for exception names, without the Unicode case tables (-1.7): 183.2 KiB.
const GZIP_BUDGET_KIB = Number(process.env.BEDROCK_SIZE_BUDGET_KIB ?? 183.7);
const pkgDir = resolve(import.meta.dirname, "../../pkg");
const { files } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

const kib = (bytes) => (bytes / 1024).toFixed(1).padStart(8);
const rows = files
  .filter((file) => existsSync(join(pkgDir, file)))
  .map((file) => {
    const bytes = readFileSync(join(pkgDir, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
const missing = files.filter((file) => !existsSync(join(pkgDir, file)));
// Not loaded by a runtime that uses the package: testing.js is `bedrock-edge/testing`, the
// emulator bundled for users' unit tests (emulator/fetch-handler.mjs); listed, not budgeted.
// langchain.js is `bedrock-edge/langchain`, loaded only next to @langchain/core (itself hundreds
// of KiB); listed, not budgeted.
const NOT_RUNTIME = new Set(["testing.js", "langchain.js"]);
const runtimeRows = rows.filter((row) => /\.(wasm|js)$/.test(row.file) && !NOT_RUNTIME.has(row.file));
const total = (key) => runtimeRows.reduce((sum, row) => sum + row[key], 0);

console.log(`${"file".padEnd(24)}  KiB raw  KiB gzip  KiB brotli`);
for (const row of rows) console.log(`${row.file.padEnd(24)} ${kib(row.raw)} ${kib(row.gzip)} ${kib(row.brotli)}`);
console.log(`${"total (wasm + js)".padEnd(24)} ${kib(total("raw"))} ${kib(total("gzip"))} ${kib(total("brotli"))}`);
console.log(`budget: ${GZIP_BUDGET_KIB} KiB gzip -9 (wasm + js)`);

if (missing.length > 0) {
  console.error(`missing from pkg/: ${missing.join(", ")}`);
  process.exitCode = 1;
} else if (total("gzip") > GZIP_BUDGET_KIB * 1024) {
  console.error(`over budget by ${((total("gzip") - GZIP_BUDGET_KIB * 1024) / 1024).toFixed(1)} KiB gzip`);
  process.exitCode = 1;
}
