// Cloudflare Workers / workerd entry: the runtime compiles the .wasm module at deploy time,
// so instantiate it synchronously (no top-level await, no fetch of our own file).
import wasmModule from "./bedrock_edge_bg.wasm";
import { initSync } from "./core.js";

initSync({ module: wasmModule });

export * from "./public-api.js";
