// The columns of the bench table and how to load each client in Node: bedrock-edge from a package
// directory (PKG, and BASELINE when given), and the peers of ../shared/docs/ANCHORS.md from
// tests/bench/peers/ (installed at their pinned versions). Which stream kinds each can run, and
// whether it takes a custom `fetch` or an SDK request handler (how the large-read case feeds it).
// Node built-ins come from process.getBuiltinModule, not `import`: a cold-start child loads this
// module, and Node's ESM facade of a built-in costs 0.5-2.5 ms that a user's program need not pay
// (and the bare-fetch floor does not).
const { createRequire } = process.getBuiltinModule("node:module");
const { pathToFileURL } = process.getBuiltinModule("node:url");
const ALL_KINDS = ["text", "tool", "reasoning"];
const EDGE_KINDS = [...ALL_KINDS, "claude"];

/**
 * Column id → { label, module (relative to tests/bench), transport: "fetch" | "handler", kinds }.
 * The slow peers (b), (c), (e) stream text only, to keep `make bench` short ((e) can do no other:
 * it speaks Claude's InvokeModel events); their modules handle the other kinds too. `claude` is
 * the text stream in Claude's events (InvokeModelWithResponseStream): bedrock-edge's
 * ChatAnthropicBedrock beside (e), the client made for them.
 */
export const CLIENTS = {
  edge: { label: "bedrock-edge", module: "bedrock-edge.mjs", transport: "fetch", kinds: EDGE_KINDS },
  base: { label: "bedrock-edge (baseline)", module: "bedrock-edge.mjs", transport: "fetch", kinds: EDGE_KINDS },
  a: { label: "(a) SDK", module: "peers/sdk.mjs", transport: "handler", kinds: ALL_KINDS },
  b: { label: "(b) Vercel ai", module: "peers/vercel-ai.mjs", transport: "fetch", kinds: ["text"] },
  c: { label: "(c) LangChain", module: "peers/langchain.mjs", transport: "handler", kinds: ["text"] },
  d: { label: "(d) aws4fetch + codec", module: "peers/minimal.mjs", transport: "fetch", kinds: ALL_KINDS },
  e: { label: "(e) Anthropic", module: "peers/anthropic.mjs", transport: "fetch", kinds: ["text", "claude"] },
};
export const PEERS = ["a", "b", "c", "d", "e"];
export const isEdge = (id) => id === "edge" || id === "base";

/** The HTTP/1.1 Node handler of the SDK peers (the emulator speaks HTTP/1.1). */
export function nodeHttpHandler() {
  const require = createRequire(new URL("peers/node_modules/@aws-sdk/client-bedrock-runtime/package.json", import.meta.url));
  const { NodeHttpHandler } = require("@smithy/node-http-handler");
  return new NodeHttpHandler();
}

/**
 * Imports client `id` and creates it. `pkgDir`: the bedrock-edge package (edge, base); `fetch` or
 * `requestHandler`: a transport of the caller's (else the network). Resolves to { client, edge }.
 */
export async function loadClient(id, { pkgDir, endpoint, fetch, requestHandler }) {
  const spec = CLIENTS[id];
  const module = await import(new URL(spec.module, import.meta.url).href);
  if (isEdge(id)) {
    const edge = await import(new URL("node.js", pathToFileURL(`${pkgDir}/`)).href);
    return { client: module.create({ edge, endpoint, fetch }), edge };
  }
  if (spec.transport === "handler") return { client: module.create({ endpoint, requestHandler: requestHandler ?? nodeHttpHandler() }) };
  return { client: module.create({ endpoint, fetch }) };
}
