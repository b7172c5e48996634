// Case 1, size: esbuild --bundle --minify --format=esm --platform=browser of a small program per
// client (bedrock-edge: programs/all-classes.mjs, plus the .wasm it loads; each peer: its bench
// client module), raw, gzip -9 and brotli (JS and wasm compressed as the separate files they
// are); and the Worker that imports only ChatBedrockConverse (programs/converse-worker.mjs,
// workerd conditions, plus the .wasm). Not timed, so not repeated.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { CLIENTS, isEdge } from "./clients.mjs";
import { bundle, failureOf } from "./bundle.mjs";

const sizes = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

/** Bundles `entry` for `column` (minified) → sizes of the JS (+ the package's .wasm for ours). */
async function measure(ctx, column, entry, name, options = {}) {
  const outfile = resolve(ctx.workDir, "size", `${column}-${name}.js`);
  await bundle(ctx, column, { entryPoints: [entry], outfile, minify: true, platform: "browser", ...options });
  const js = sizes(readFileSync(outfile));
  if (!isEdge(column)) return { js, total: js };
  const wasm = sizes(readFileSync(resolve(ctx.pkgDirs[column], "bedrock_edge_bg.wasm")));
  return { js, wasm, total: add(js, wasm) };
}

export async function run(ctx) {
  const browser = {};
  const worker = {};
  const notes = {};
  for (const column of ctx.columns()) {
    const entry = isEdge(column) ? resolve(import.meta.dirname, "programs/all-classes.mjs") : resolve(import.meta.dirname, CLIENTS[column].module);
    try {
      browser[column] = await measure(ctx, column, entry, "browser");
    } catch (error) {
      notes[column] = failureOf(error);
    }
    if (isEdge(column)) {
      worker[column] = await measure(ctx, column, resolve(import.meta.dirname, "programs/converse-worker.mjs"), "worker", {
        conditions: ["workerd", "worker", "browser"], external: ["*.wasm"],
      });
    }
  }
  const values = (table, kind) => Object.fromEntries(Object.entries(table).map(([c, s]) => [c, s.total[kind]]));
  const wasmShare = (table, kind) => Object.fromEntries(Object.entries(table).filter(([, s]) => s.wasm)
    .map(([c, s]) => [c, `JS ${(s.js[kind] / 1024).toFixed(1)} + wasm ${(s.wasm[kind] / 1024).toFixed(1)}`]));
  const rows = ["raw", "gzip", "brotli"].map((kind) => ({
    figure: `browser bundle (esbuild --minify; ours: all three chat classes and embeddings, JS + wasm), KiB ${kind === "gzip" ? "gzip -9" : kind}`,
    format: "kib", values: values(browser, kind), extra: wasmShare(browser, kind), notes,
  }));
  rows.push({
    figure: "Worker importing only ChatBedrockConverse (workerd conditions, JS + wasm), KiB gzip -9",
    format: "kib", values: values(worker, "gzip"), extra: wasmShare(worker, "gzip"),
  });
  return { rows, samples: { browser, worker } };
}
