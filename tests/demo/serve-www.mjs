// Starts the demo Worker (worker.mjs) in workerd with www/ and the installed bedrock-edge package
// embedded, so that one Worker serves the chat page, the package, the page's settings and a
// forwarding route for the page's Bedrock calls, plus the seed example at /seed. Used by
// `make demo` (run.mjs) and `make test-chat-page` (tests/browser/chat-page.mjs).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { startWorker } from "../workerd/harness.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const PACKAGE = join(ROOT, "tests/.work/consumer/node_modules/bedrock-edge");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
};

// The emulator's long-term example keys (emulator/README.md); public, never real ones.
export const EMULATOR_KEYS = {
  AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};

/**
 * Where the demo runs: real Bedrock when AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set
 * (region AWS_REGION, model BEDROCK_MODEL, optional endpoint BEDROCK_ENDPOINT), else the
 * emulator at BEDROCK_EMULATOR_URL.
 */
export function demoSettings(env = process.env) {
  const real = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  const model = env.BEDROCK_MODEL || "anthropic.claude-3-5-sonnet-20240620-v1:0";
  const region = env.AWS_REGION || "us-east-1";
  if (!real && !env.BEDROCK_EMULATOR_URL) throw new Error("no AWS credentials and no BEDROCK_EMULATOR_URL");
  const endpoint = real ? env.BEDROCK_ENDPOINT : env.BEDROCK_EMULATOR_URL;
  return { real, model, region, endpoint, sessionToken: Boolean(env.AWS_SESSION_TOKEN) };
}

// www/ and the package's runtime files as { "/path": [contentType, base64] }.
function collectAssets() {
  const assets = {};
  const add = (file, path) => {
    assets[path] = [TYPES[extname(file)] ?? "application/octet-stream", readFileSync(file).toString("base64")];
  };
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name !== "README.md") add(file, `/${relative(join(ROOT, "www"), file).split("\\").join("/")}`);
    }
  };
  walk(join(ROOT, "www"));
  for (const name of readdirSync(PACKAGE)) {
    if (/\.(js|wasm)$/.test(name) && name !== "node.js" && name !== "workerd.js") add(join(PACKAGE, name), `/pkg/${name}`);
  }
  return assets;
}

/**
 * Starts the demo Worker; resolves to { url, stop } (url without a trailing slash). `workDir`
 * (under tests/.work/) holds the bundle and workerd config, one per caller so that runs can overlap.
 */
export async function startDemoWorker(settings, { workDir = "workerd-demo" } = {}) {
  const { real, model, region, endpoint } = settings;
  const outDir = join(ROOT, "tests/.work", workDir);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "assets.mjs"), `export default ${JSON.stringify(collectAssets())};\n`);
  writeFileSync(
    join(outDir, "entry.mjs"),
    `import { chatWorker } from ${JSON.stringify(join(import.meta.dirname, "worker.mjs"))};\n` +
      `import assets from "./assets.mjs";\nexport default chatWorker(assets);\n`,
  );
  const textBindings = { BEDROCK_MODEL: model, AWS_REGION: region, BEDROCK_ENDPOINT: endpoint ?? "" };
  const envBindings = [];
  if (real) {
    // Secrets stay in the environment: workerd reads them itself (fromEnvironment bindings).
    envBindings.push("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    if (settings.sessionToken) envBindings.push("AWS_SESSION_TOKEN");
  } else {
    Object.assign(textBindings, EMULATOR_KEYS, { DEMO_PAGE_CREDENTIALS: "1" });
  }
  return startWorker({
    entry: join(outDir, "entry.mjs"),
    outDir,
    textBindings,
    envBindings,
    allow: !real ? ["local"] : endpoint ? ["public", "local"] : ["public"],
  });
}

/** Resolves on the first SIGINT or SIGTERM. */
export const untilSignal = () =>
  new Promise((resolveStop) => {
    process.once("SIGINT", resolveStop);
    process.once("SIGTERM", resolveStop);
  });
