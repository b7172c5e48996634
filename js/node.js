// Node entry: read the .wasm bytes from the installed package and instantiate synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./core.js";

initSync({ module: readFileSync(new URL("./bedrock_edge_bg.wasm", import.meta.url)) });

export * from "./public-api.js";
