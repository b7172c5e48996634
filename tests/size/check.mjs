// Size budget of the published package. It prints raw, gzip -9 and brotli sizes of every file npm
// ships from pkg/ (package.json "files"), and fails when what a browser or Worker loads passes the
// budget: the program of `make bench`'s size case (tests/bench/programs/all-classes.mjs: all three
// chat classes and BedrockEmbeddings) bundled by esbuild --bundle --minify --format=esm
// --platform=browser, gzip -9, plus the .wasm, gzip -9 (the figure issue 15's targets name).
//
// History of the budget (gzip of the unminified runtime files until issue 15): 180 KiB held
// Converse alone; the three classes and seven providers took it to 213.3 KiB; our own SigV4 signer
// in place of aws-sigv4 took 33 KiB off; AI Gateway (+2.9) and BedrockEmbeddings (+6.5) made it
// 193.1 KiB (minified bundle + wasm: 178.8). Issue 15 measures the minified bundle, as users ship it:
// our own SHA-256, js_sys in place of serde-wasm-bindgen, one JSON writer, no Unicode case tables
// and stream batches as text (wasm -9.3 KiB, JS +0.6) took it to 170.0 KiB; one deserializer
// for all ConverseStream block events and wasm-opt --ignore-implicit-traps to 168.5; messages moved,
// not copied, into request bodies (issue 15, memory) +0.3: 168.8; one serde_json reader (from_slice
// everywhere, no StrRead instance) to 167.1. The second day of issue 15: Error one pointer wide
// (-5.9), request bodies written straight to bytes (-9.6), one chat client class, talc, wasm-opt
// --flatten --rereloop, and no typed serde_json parse (which linked core's float formatting:
// -10.6) took it to 134.6; the compact-delta fast path of the stream +1.1: 135.8. A kept copy of
// the last event headers section and one scan per delta string (stream CPU -16%, +0.3) with
// wasm-opt --strip-target-features (-0.1): 136.0; the CRC-32 loop's state in locals (-0.07): 135.9;
// a plain delta handed from its payload to the batch, no chunk built for it (stream CPU about
// -20%, -0.1): 135.8; a delta's string scanned eight bytes at a time (about -10%, +0.08) and no
// signature shape in the compact reader (-0.04): 135.9; Claude's text, tool-input and thinking
// deltas read in their compact shape as Converse's are, by one reader (ChatAnthropicBedrock's
// 20,000-delta stream: client CPU about -40%, +0.26) and base64 decoded in one pass (the same,
// -21%, +0.07): 136.2; base64 padding read by pattern and the shapes' closing braces as counts
// (-0.06): 136.15; randomness from node:crypto in Node, getrandom gone (-0.16): 136.0; invoke
// stream chunks as AWS writes them decoded where they lie, base64 with no Vec growth per group
// (ChatAnthropicBedrock's stream: client CPU about -30%, +0.21): 136.25; Node's default transport
// set by the Node entry (node:http, in pkg/node.js only; the hook for it +7 B): 136.25, 3 B under;
// UUIDs with their dashes inserted, not format!ted (-39 B), and the random source looked up per
// call, not kept (-15 B): 136.2 (139,463 B).
import { mkdirSync, readFileSync, existsSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const GZIP_BUDGET_KIB = Number(process.env.BEDROCK_SIZE_BUDGET_KIB ?? 136.2);
const pkgDir = resolve(import.meta.dirname, "../../pkg");
const { files } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

const kib = (bytes) => (bytes / 1024).toFixed(1).padStart(8);
const sizes = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const rows = files.filter((file) => existsSync(join(pkgDir, file)))
  .map((file) => ({ file, ...sizes(readFileSync(join(pkgDir, file))) }));
const missing = files.filter((file) => !existsSync(join(pkgDir, file)));

// The bundle resolves "bedrock-edge" through a node_modules link to pkg/, so the package's
// exports map picks its browser entry as in a user's project.
const workDir = resolve(import.meta.dirname, "../.work/size");
mkdirSync(join(workDir, "node_modules"), { recursive: true });
rmSync(join(workDir, "node_modules/bedrock-edge"), { force: true });
symlinkSync(pkgDir, join(workDir, "node_modules/bedrock-edge"));
const outfile = join(workDir, "all-classes.min.js");
await build({
  entryPoints: [resolve(import.meta.dirname, "../bench/programs/all-classes.mjs")],
  bundle: true, minify: true, format: "esm", platform: "browser", outfile, logLevel: "warning",
  nodePaths: [join(workDir, "node_modules")],
});
const js = sizes(readFileSync(outfile));
const wasm = sizes(readFileSync(join(pkgDir, "bedrock_edge_bg.wasm")));
const total = (key) => js[key] + wasm[key];

console.log(`${"file".padEnd(28)}  KiB raw  KiB gzip  KiB brotli`);
for (const row of rows) console.log(`${row.file.padEnd(28)} ${kib(row.raw)} ${kib(row.gzip)} ${kib(row.brotli)}`);
console.log(`${"bundle (esbuild --minify)".padEnd(28)} ${kib(js.raw)} ${kib(js.gzip)} ${kib(js.brotli)}`);
console.log(`${"total (bundle + wasm)".padEnd(28)} ${kib(total("raw"))} ${kib(total("gzip"))} ${kib(total("brotli"))}`);
console.log(`budget: ${GZIP_BUDGET_KIB} KiB gzip -9 (minified bundle of all three chat classes and embeddings + wasm)`);

if (missing.length > 0) {
  console.error(`missing from pkg/: ${missing.join(", ")}`);
  process.exitCode = 1;
} else if (total("gzip") > GZIP_BUDGET_KIB * 1024) {
  console.error(`over budget by ${((total("gzip") - GZIP_BUDGET_KIB * 1024) / 1024).toFixed(1)} KiB gzip`);
  process.exitCode = 1;
}
