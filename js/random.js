// Random bytes for the wasm (src/platform/random.rs: invocation and run ids, backoff jitter),
// imported by the wasm-bindgen glue. Where the runtime has node:crypto (Node, Bun, Deno), its
// randomFillSync: Node's globalThis.crypto is a lazy getter that loads all of Web Crypto (about
// 1 ms in a fresh process), which nothing else needs, while fetch loads node:crypto anyway
// (import to the first fetch, paired fresh processes: 0.5 ms less). Elsewhere (workerd,
// browsers) Web Crypto's getRandomValues.

let fill;

/** Fills `bytes` (a Uint8Array) with cryptographically strong random bytes. */
export function fillRandom(bytes) {
  fill ??= globalThis.process?.getBuiltinModule?.("node:crypto")?.randomFillSync ?? ((bytes) => crypto.getRandomValues(bytes));
  fill(bytes);
}
