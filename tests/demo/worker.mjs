// The demo Worker (`make demo`, `make test-chat-page`). Routes:
//   GET  /seed          streams the seed translation through ChatBedrockConverse in the Worker and
//                       answers with one JSON line per chunk as it arrives ({ chunk } or, on
//                       failure, { error });
//   GET  /config.json   the chat page's settings (region, model, endpoint; the emulator's example
//                       keys under the emulator, never real credentials);
//   POST /bedrock/...   the chat page's Bedrock calls: the page signs each request in the browser
//                       (bedrock-edge in wasm) for the backend's host and sends it here; the Worker
//                       forwards it unchanged to that backend and streams the answer back. Only
//                       the configured endpoint or a Bedrock Runtime host is a valid target;
//   GET  anything else  www/ and, under /pkg/, the bedrock-edge package (embedded in the bundle).
// `chatWorker(assets)` builds it; serve-www.mjs generates the entry that passes the assets.
import { ChatBedrockConverse } from "bedrock-edge";

const SEED = [
  ["system", "You are a helpful assistant that translates English to French. Translate the user sentence."],
  ["human", "I love programming."],
];

// Header the page's fetch sets to say which backend origin the signed request is for.
const TARGET_HEADER = "x-bedrock-edge-target";
const BEDROCK_HOST = /^https:\/\/bedrock-runtime(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
// Request headers worth forwarding: the signed ones and the SDK's retry bookkeeping.
const FORWARD = /^(authorization|content-type|accept|x-amz-.*|x-amzn-.*|amz-sdk-.*)$/;

function seed(env) {
  const llm = new ChatBedrockConverse({
    model: env.BEDROCK_MODEL,
    endpoint: env.BEDROCK_ENDPOINT || undefined,
    env, // region and credentials come from the Worker's bindings
  });
  const encoder = new TextEncoder();
  const line = (value) => encoder.encode(`${JSON.stringify(value)}\n`);
  const chunks = llm.stream(SEED)[Symbol.asyncIterator]();
  const body = new ReadableStream({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(line({ chunk: value }));
      } catch (error) {
        const { name, message, status, requestId } = error;
        controller.enqueue(line({ error: { name, message, status, requestId } }));
        controller.close();
      }
    },
    cancel: () => chunks.return?.(),
  });
  return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
}

function pageConfig(env) {
  const config = { region: env.AWS_REGION, model: env.BEDROCK_MODEL, endpoint: env.BEDROCK_ENDPOINT, proxy: "/bedrock" };
  if (env.DEMO_PAGE_CREDENTIALS === "1") {
    // Only under the emulator: its public example keys.
    Object.assign(config, { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, emulator: true });
  }
  return Response.json(config, { headers: { "cache-control": "no-store" } });
}

async function proxy(request, env, url) {
  const target = request.headers.get(TARGET_HEADER) ?? "";
  const configured = env.BEDROCK_ENDPOINT ? new URL(env.BEDROCK_ENDPOINT).origin : "";
  if (!(target === configured || BEDROCK_HOST.test(target))) {
    return Response.json({ message: `not a Bedrock endpoint this Worker forwards to: ${target || "(none)"}` }, { status: 403 });
  }
  const headers = new Headers();
  for (const [name, value] of request.headers) if (FORWARD.test(name)) headers.set(name, value);
  // The path stays percent-encoded exactly as the page signed it.
  const upstream = `${target}${url.pathname.slice("/bedrock".length)}${url.search}`;
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
  // A page that stops reading (Stop) cancels this Worker's response, which cancels `response.body`.
  const response = await fetch(upstream, { method: request.method, headers, body });
  const out = new Headers(response.headers);
  out.set("cache-control", "no-store");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: out });
}

function asset(assets, url) {
  const path = url.pathname.endsWith("/") ? `${url.pathname}index.html` : url.pathname;
  const found = Object.hasOwn(assets, path) ? assets[path] : undefined;
  if (!found) return new Response("not found", { status: 404 });
  const [type, base64] = found;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Response(bytes, { headers: { "content-type": type, "cache-control": "no-store" } });
}

/** The Worker, serving `assets` ({ "/path": [contentType, base64] }). */
export function chatWorker(assets) {
  return {
    async fetch(request, env) {
      const url = new URL(request.url);
      if (url.pathname.startsWith("/bedrock/")) return proxy(request, env, url);
      if (request.method !== "GET" && request.method !== "HEAD") return new Response("method not allowed", { status: 405 });
      if (url.pathname === "/seed") return seed(env);
      if (url.pathname === "/config.json") return pageConfig(env);
      return asset(assets, url);
    },
  };
}
