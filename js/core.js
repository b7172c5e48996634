// The package's modules and the wasm-bindgen glue as one internal module: `make build` bundles
// this file, everything it imports and the glue (bedrock_edge.js, staged beside them) into
// pkg/core.js, so that Node's ESM loader reads two files for `bedrock-edge` (the runtime entry
// and core.js), not twelve. It is the one copy of the glue and of BedrockError: the runtime
// entries initialise the wasm through it, bedrock-edge/langchain (pkg-template/langchain.js)
// takes its structured-output request from it, and so do the unit tests. Not in package.json's
// "exports": public-api.js names what users get.
export * from "./chat-models.js";
export * from "./embeddings.js";
export * from "./errors.js";
export * from "./concat.js";
export * from "./response-bodies.js";
export * from "./structured-output.js";
export * from "./async-iterator.js";
export * from "./bedrock_edge.js";
export { default as init } from "./bedrock_edge.js";
