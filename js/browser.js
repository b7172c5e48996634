// Browser / bundler entry: fetch and compile the .wasm next to this file with top-level await,
// so importers get a ready module and never call init() themselves.
import { init } from "./core.js";

await init({ module_or_path: new URL("./bedrock_edge_bg.wasm", import.meta.url) });

export * from "./public-api.js";
