// Random bytes for the wasm (src/platform/random.rs: invocation and run ids, backoff jitter),
// imported by the wasm-bindgen glue. Where the runtime has node:crypto (Node, Bun, Deno), its
// randomFillSync: Node's globalThis.crypto is a lazy getter that loads all of Web Crypto (about
// 1 ms in a fresh process), which nothing else needs, while node:crypto loads in about 0.25 ms
// and node:https loads it anyway (measured when requests went through fetch, which loads it too:
// import to the first request, paired fresh processes, 0.5 ms less). Elsewhere (workerd,
// browsers) Web Crypto's getRandomValues.

/**
 * Fills `bytes` (a Uint8Array) with cryptographically strong random bytes. The source is looked
 * up at each call, not kept: fewer bytes, for about 0.4 µs more per call (3.9 against 3.4 µs in
 * Node), and a request makes a few calls.
 */
export const fillRandom = (bytes) =>
  (globalThis.process?.getBuiltinModule?.("node:crypto")?.randomFillSync ?? ((bytes) => crypto.getRandomValues(bytes)))(bytes);
