// Node entry (Bun and Deno load it too): read the .wasm bytes from the installed package and
// instantiate synchronously. `fs` comes from process.getBuiltinModule (Node 20.16 and 22.3 on,
// Bun, Deno), not from `import "node:fs"`: Node's ESM facade of `fs` reads every export, whose
// lazy getters load fs/promises and the fs streams, 2.5-3 ms of every cold start that nothing
// else needs (import 14.2 -> 11.0 ms, medians of 21 fresh processes).
import { initSync, setDefaultFetch } from "./core.js";
import { nodeFetch } from "./node-http.js";

if (typeof process.getBuiltinModule !== "function") {
  throw new Error(`bedrock-edge needs Node 20.16 or 22.3 or later (process.getBuiltinModule); this is Node ${process.version}`);
}
const { readFileSync } = process.getBuiltinModule("node:fs");
initSync({ module: readFileSync(new URL("./bedrock_edge_bg.wasm", import.meta.url)) });
// Node's requests go through node:http(s) (node-http.js), not its global fetch (undici); Bun's and
// Deno's through their global fetch, their own and not undici.
if (!process.versions.bun && !process.versions.deno) setDefaultFetch(nodeFetch);

export * from "./public-api.js";
