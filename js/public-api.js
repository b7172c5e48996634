// The package's public API, the same from every runtime entry (node.js, browser.js, workerd.js),
// which initialise the wasm first. `make build` writes this list into each entry (esbuild,
// ./core.js kept external), so Node loads the entry and core.js only.
export { ChatBedrockConverse, ChatBedrock, ChatAnthropicBedrock } from "./core.js";
export { BedrockEmbeddings } from "./core.js";
export { BedrockError } from "./core.js";
export { concat } from "./core.js";
export { toSSE, toTextStream } from "./core.js";

/** Diagnostics: the bytes of wasm linear memory this instance holds (it grows, never shrinks). */
export { wasmMemoryBytes } from "./core.js";
