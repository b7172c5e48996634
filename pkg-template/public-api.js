// The package's public API, the same from every runtime entry (node.js, browser.js, workerd.js),
// which initialise the wasm first.
export { ChatBedrockConverse, ChatBedrock, ChatAnthropicBedrock } from "./chat-models.js";
export { BedrockEmbeddings } from "./embeddings.js";
export { BedrockError } from "./errors.js";
export { concat } from "./concat.js";
export { toSSE, toTextStream } from "./response-bodies.js";

/** Diagnostics: the bytes of wasm linear memory this instance holds (it grows, never shrinks). */
export { wasmMemoryBytes } from "./bedrock_edge.js";
