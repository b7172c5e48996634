// Random bytes for the wasm (src/platform/random.rs: invocation and run ids, backoff jitter),
// imported by the wasm-bindgen glue. Where the runtime has node:crypto (Node, Bun, Deno), its
// randomFillSync: Node's globalThis.crypto is a lazy getter that loads all of Web Crypto, about
// 1.1 ms of every cold start that nothing else needs (fetch loads node:crypto, not Web Crypto).
// Elsewhere (workerd, browsers) Web Crypto's getRandomValues.

let fill;

/** Fills `bytes` (a Uint8Array) with cryptographically strong random bytes. */
export function fillRandom(bytes) {
  fill ??= runtimeSource();
  fill(bytes);
}

function runtimeSource() {
  const nodeCrypto = globalThis.process?.getBuiltinModule?.("node:crypto");
  return nodeCrypto ? (bytes) => nodeCrypto.randomFillSync(bytes) : (bytes) => crypto.getRandomValues(bytes);
}
