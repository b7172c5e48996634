// examples/worker as a user deploys it: a copy outside the repository with the `npm pack`
// tarball installed as its README says (which installs its wrangler too), bundled by wrangler
// (`npx wrangler deploy --dry-run --outdir dist`, no telemetry), and that bundle run in workerd
// against the emulator, with the wrangler.toml vars and the secrets as bindings. Checks the SSE
// reply, the request Bedrock saw, and that a client that disconnects cancels the Bedrock call.
// Prints `N passed, N failed`.
//
// The Node 22 wrangler needs (wrangler 4 refuses Node < 22.12; npm ships Node binaries as
// node-linux-<arch>) is installed once into tests/.work/wrangler.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startWorker } from "./harness.mjs";

const NODE22_VERSION = "22.23.5";
const ROOT = resolve(import.meta.dirname, "../..");
const WORK = join(ROOT, "tests/.work");
const EXAMPLE = join(ROOT, "examples/worker");
const TOOLS = join(WORK, "wrangler");
const OUT = join(WORK, "example-worker");
// Out of the repository, as a user's copy is: nothing above it resolves a package.
const PROJECT = join(tmpdir(), `bedrock-edge-example-worker-${process.pid}`);
const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const SYSTEM = "You are a helpful assistant that translates English to French. Translate the user sentence.";
const SEED_ANSWER = "J'adore la programmation.";
const SECRETS = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");

// No telemetry, no update check, no prompts, logs in the scratch folder: wrangler runs offline.
const WRANGLER_ENV = {
  ...process.env,
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_LOG_PATH: join(OUT, "wrangler-logs"),
  NO_UPDATE_NOTIFIER: "1",
  XDG_CONFIG_HOME: join(OUT, "config"),
};

const nodeBinaryPackage = `node-linux-${{ x64: "x64", arm64: "arm64" }[process.arch] ?? process.arch}`;
const node22 = join(TOOLS, "node_modules", nodeBinaryPackage, "bin/node");

function installedVersion(name) {
  try {
    return JSON.parse(readFileSync(join(TOOLS, "node_modules", name, "package.json"), "utf8")).version;
  } catch {
    return undefined;
  }
}

/** Node 22 from npm into tests/.work/wrangler, unless the pinned one is there. */
function ensureNode22() {
  if (installedVersion(nodeBinaryPackage) === NODE22_VERSION && existsSync(node22)) return "already installed";
  mkdirSync(TOOLS, { recursive: true });
  writeFileSync(join(TOOLS, "package.json"), '{ "name": "bedrock-edge-node22", "private": true }\n');
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error",
    `${nodeBinaryPackage}@${NODE22_VERSION}`], { cwd: TOOLS, stdio: "inherit" });
  return "installed";
}

/** The `[vars]` of wrangler.toml (string values) and its compatibility_date and flags. */
function readWranglerToml(text) {
  const vars = {};
  let section = "";
  let compatibilityDate;
  let compatibilityFlags = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) {
      section = header[1];
      continue;
    }
    const entry = line.match(/^([A-Za-z0-9_]+)\s*=\s*(.+)$/);
    if (!entry) continue;
    const value = JSON.parse(entry[2]);
    if (section === "vars") vars[entry[1]] = value;
    else if (section === "" && entry[1] === "compatibility_date") compatibilityDate = value;
    else if (section === "" && entry[1] === "compatibility_flags") compatibilityFlags = value;
  }
  return { vars, compatibilityDate, compatibilityFlags };
}

/**
 * The example as its README has a user set it up: the folder copied out of the repository, the
 * packed tarball installed with `npm install <tarball>` (which installs wrangler, its dev
 * dependency, too), and `npx wrangler deploy --dry-run` under Node 22.
 */
function bundleExample() {
  const tarballs = readdirSync(WORK).filter((name) => /^bedrock-edge-.*\.tgz$/.test(name));
  if (tarballs.length !== 1) throw new Error(`expected one bedrock-edge-*.tgz in tests/.work (run tests/js/install-package.sh), found ${tarballs.length}`);
  for (const dir of [PROJECT, WRANGLER_ENV.WRANGLER_LOG_PATH]) rmSync(dir, { recursive: true, force: true });
  cpSync(EXAMPLE, PROJECT, { recursive: true, filter: (path) => !/[\\/](node_modules|dist|\.wrangler)$/.test(path) });
  const env = { ...WRANGLER_ENV, PATH: `${dirname(node22)}:${process.env.PATH}` };
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", join(WORK, tarballs[0])],
    { cwd: PROJECT, env, stdio: "inherit" });
  const version = execFileSync("npx", ["wrangler", "--version"], { cwd: PROJECT, env, encoding: "utf8" }).trim().split("\n").pop();
  execFileSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", "dist"], { cwd: PROJECT, env, stdio: "inherit" });
  return { version, tarball: tarballs[0] };
}

/** The events of a text/event-stream body: [{ event, data }], data parsed as JSON. */
function parseSSE(body) {
  return body.split("\n\n").filter((block) => block.trim() !== "").map((block) => {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    return { event, data: JSON.parse(data.join("\n")) };
  });
}

const emulator = async (path, init) => {
  const response = await fetch(`${emulatorUrl}${path}`, init);
  return response.json();
};
const openResponses = async () => (await emulator("/_emulator/connections")).open;
const streamRequests = async () => {
  const json = await emulator("/_emulator/requests");
  return (Array.isArray(json) ? json : json.requests).filter((r) => !r.path?.startsWith("/_emulator"));
};
const clearRequests = () => emulator("/_emulator/requests", { method: "DELETE" });
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** GETs `url`, reads the first body bytes, then drops the connection; resolves to those bytes. */
function readFirstBytesThenDisconnect(url) {
  return new Promise((resolveFirst, reject) => {
    const request = http.get(url, (response) => {
      response.once("data", (data) => {
        request.destroy();
        resolveFirst({ status: response.statusCode, type: response.headers["content-type"], text: String(data) });
      });
      response.once("error", () => {});
    });
    request.once("error", (error) => {
      if (!request.destroyed) reject(error);
    });
  });
}

const results = [];
async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`  ok    ${name}${detail ? ` (${detail})` : ""}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  FAIL  ${name}: ${error?.message ?? error}`);
  }
}
const expect = (condition, message) => {
  if (!condition) throw new Error(message);
};

const OUTDIR = join(PROJECT, "dist");
const tools = ensureNode22();
const { version, tarball } = bundleExample();
console.log(`wrangler ${version} (Node 22 in tests/.work/wrangler: ${tools}) bundled examples/worker with ${tarball} into ${OUTDIR}`);

const toml = readWranglerToml(readFileSync(join(EXAMPLE, "wrangler.toml"), "utf8"));
const bundle = readdirSync(OUTDIR).filter((name) => /\.(m?js|wasm)$/.test(name));
const main = "index.js";
const modules = [main, ...bundle.filter((name) => name !== main)].map((name) => ({ name, file: join(OUTDIR, name) }));

await check("wrangler.toml: main, compatibility_date, AWS_REGION var, no nodejs_compat, no secrets", () => {
  const text = readFileSync(join(EXAMPLE, "wrangler.toml"), "utf8");
  expect(/^main = "src\/index.js"$/m.test(text), "main is not src/index.js");
  expect(/^\d{4}-\d{2}-\d{2}$/.test(toml.compatibilityDate ?? ""), `compatibility_date ${toml.compatibilityDate}`);
  expect(typeof toml.vars.AWS_REGION === "string", "no AWS_REGION var");
  expect(!toml.compatibilityFlags.some((flag) => flag.startsWith("nodejs_compat")), "nodejs_compat is set");
  expect(!/^[^#]*nodejs_compat/m.test(text), "nodejs_compat is set");
  expect(!/^\s*AWS_(SECRET_ACCESS_KEY|ACCESS_KEY_ID|SESSION_TOKEN|BEARER_TOKEN_BEDROCK)\s*=/m.test(text), "a credential in wrangler.toml");
  expect(text.includes("wrangler secret put AWS_ACCESS_KEY_ID"), "no note on `wrangler secret put`");
});

await check("wrangler's bundle: one module and the wasm, no node: imports", () => {
  expect(existsSync(join(OUTDIR, main)), `no ${main} in dist/`);
  expect(bundle.filter((name) => name.endsWith(".wasm")).length === 1, `wasm modules in dist/: ${bundle}`);
  const code = readFileSync(join(OUTDIR, main), "utf8");
  expect(!/(from|import|require\()\s*["']node:/.test(code), "the bundle imports a node: module");
  return bundle.join(", ");
});

const bindings = (extra = {}) => ({ ...toml.vars, ...SECRETS, BEDROCK_ENDPOINT: emulatorUrl, ...extra });
const run = async (extra, fn) => {
  const worker = await startWorker({
    outDir: join(OUT, "workerd"),
    modules,
    compatibilityDate: toml.compatibilityDate,
    textBindings: bindings(extra),
  });
  try {
    await fn(worker.url);
  } finally {
    await worker.stop();
  }
};

await run({}, async (url) => {
  await check("POST {messages}: the seed answer as SSE chunk events, usage on the last, then end", async () => {
    await clearRequests();
    const messages = [["system", SYSTEM], ["human", "I love programming."]];
    const response = await fetch(url, { method: "POST", body: JSON.stringify({ messages }) });
    const body = await response.text();
    expect(response.status === 200, `status ${response.status}: ${body.slice(0, 200)}`);
    expect(response.headers.get("content-type")?.startsWith("text/event-stream"), `content-type ${response.headers.get("content-type")}`);
    const events = parseSSE(body);
    expect(events.at(-1)?.event === "end", `last event ${events.at(-1)?.event}`);
    const chunks = events.slice(0, -1).map((e) => {
      expect(e.event === "chunk" && e.data.type === "AIMessageChunk", `event ${e.event} ${JSON.stringify(e.data).slice(0, 100)}`);
      return e.data;
    });
    const text = chunks.map((c) => c.text).join("");
    expect(text === SEED_ANSWER, `text ${JSON.stringify(text)}`);
    const usage = chunks.at(-1).usage_metadata;
    expect(usage?.total_tokens > 0 && usage.total_tokens === usage.input_tokens + usage.output_tokens, `usage ${JSON.stringify(usage)}`);
    expect(chunks.at(-1).response_metadata?.stopReason === "end_turn", "stopReason on the last chunk");
    const requests = await streamRequests();
    expect(requests.length === 1, `${requests.length} requests`);
    const [request] = requests;
    expect(request.modelId === toml.vars.BEDROCK_MODEL && request.path.endsWith("/converse-stream"), `request ${request.path}`);
    expect(JSON.stringify(request.body.system) === JSON.stringify([{ text: SYSTEM }]), "system in the request");
    expect(JSON.stringify(request.body.messages) === JSON.stringify([{ role: "user", content: [{ text: "I love programming." }] }]), "messages in the request");
    const scope = `Credential=${SECRETS.AWS_ACCESS_KEY_ID}/`;
    expect(request.headers.authorization?.includes(scope) && request.headers.authorization.includes(`/${toml.vars.AWS_REGION}/bedrock/aws4_request`),
      `signed with the env credentials and wrangler.toml's AWS_REGION: ${request.headers.authorization}`);
    return `${chunks.length} chunk events: ${JSON.stringify(text)}`;
  });

  await check("GET ?q=: one human message, streamed as SSE", async () => {
    const response = await fetch(`${url}/?q=${encodeURIComponent("Hello there")}`);
    const events = parseSSE(await response.text());
    const text = events.filter((e) => e.event === "chunk").map((e) => e.data.text).join("");
    expect(response.status === 200 && text === "Echo: Hello there", `${response.status} ${JSON.stringify(text)}`);
    expect(events.at(-1).event === "end", "last event");
  });

  await check("bad requests: 400 with a JSON error, nothing sent to Bedrock", async () => {
    await clearRequests();
    for (const [init, what] of [
      [{ method: "POST", body: "not json" }, "a body that is not JSON"],
      [{ method: "POST", body: JSON.stringify({ messages: [] }) }, "no messages"],
      [{ method: "POST", body: JSON.stringify({ messages: [["wizard", "hi"]] }) }, "an unknown role"],
      [{ method: "GET" }, "GET without q"],
      // Text only: an S3 object Bedrock would read as the Worker, a native block, an image.
      [{ method: "POST", body: JSON.stringify({ messages: [{ role: "human", content: [{ type: "file", url: "s3://victim-bucket/payroll.pdf", mimeType: "application/pdf" }] }] }) }, "an s3:// file block"],
      [{ method: "POST", body: JSON.stringify({ messages: [["human", [{ document: { name: "x", format: "txt", source: { s3Location: { uri: "s3://victim-bucket/x" } } } }]]] }) }, "a native document block"],
      [{ method: "POST", body: JSON.stringify({ messages: [{ role: "human", content: [{ type: "text", text: "hi" }] }] }) }, "content blocks, not text"],
      [{ method: "POST", body: JSON.stringify({ messages: [["human", "hi", "extra"]] }) }, "a tuple of three"],
    ]) {
      const response = await fetch(url, init);
      const body = await response.json();
      expect(response.status === 400 && typeof body.error === "string", `${what}: ${response.status} ${JSON.stringify(body)}`);
    }
    expect((await streamRequests()).length === 0, "a request reached Bedrock");
  });
});

await run({ BEDROCK_MODEL: "fault:exception-midstream" }, async (url) => {
  await check("a stream that fails mid-way ends with an error event, no secret in it", async () => {
    const body = await (await fetch(`${url}/?q=hi`)).text();
    const events = parseSSE(body);
    const last = events.at(-1);
    expect(last.event === "error" && last.data.name === "ModelStreamErrorException", `last event ${JSON.stringify(last)}`);
    expect(!events.some((e) => e.event === "end"), "an end event after the error");
    expect(!body.includes(SECRETS.AWS_SECRET_ACCESS_KEY), "the secret key is in the body");
    return JSON.stringify(last.data);
  });
});

await run({ AWS_SECRET_ACCESS_KEY: "wrongSecretKey/ThisIsNotTheRightOne0123456" }, async (url) => {
  await check("AWS's own message stays in the Worker: the error event has the name, request id and a fixed text", async () => {
    const body = await (await fetch(`${url}/?q=hi`)).text();
    const [event] = parseSSE(body);
    expect(event.event === "error" && event.data.name === "InvalidSignatureException" && event.data.status === 403, `event ${JSON.stringify(event)}`);
    expect(event.data.message === "The model could not answer. Quote the request id when you report it.", `message ${event.data.message}`);
    expect(typeof event.data.requestId === "string" && event.data.requestId.length > 0, "request id");
    expect(!/Canonical|signature we calculated/i.test(body), "AWS's message reached the client");
    return JSON.stringify(event.data);
  });
});

await run({ BEDROCK_MODEL: "fault:slow-drip:200" }, async (url) => {
  await check("a client that disconnects mid-stream cancels the Bedrock call", async () => {
    await clearRequests();
    const first = await readFirstBytesThenDisconnect(`${url}/?q=${encodeURIComponent("one two three four five six")}`);
    const disconnectedAt = Date.now();
    expect(first.status === 200 && first.text.startsWith("event: chunk\n"), `first bytes ${first.status} ${JSON.stringify(first.text)}`);
    // The reply has 9+ frames 200 ms apart; the first text comes with frame 2, so the emulator
    // would go on sending for over a second if the call were not cancelled.
    let open;
    for (;;) {
      open = await openResponses();
      if (open === 0 || Date.now() - disconnectedAt > 2000) break;
      await sleep(20);
    }
    const ms = Date.now() - disconnectedAt;
    expect(open === 0, `the emulator still sends ${open} response(s) 2 s after the client left`);
    expect(ms < 1000, `the Bedrock response closed ${ms} ms after the client left, as if it had run to its end`);
    const requests = await streamRequests();
    expect(requests.length === 1 && requests[0].modelId === "fault:slow-drip:200", `requests ${requests.map((r) => r.path)}`);
    return `upstream closed ${ms} ms after the disconnect`;
  });
});

// The AI Gateway variant: wrangler.toml's gateway vars set, the emulator standing in for the gateway.
const GATEWAY = { CF_ACCOUNT_ID: "example-account", AI_GATEWAY_BASE_URL: emulatorUrl, BEDROCK_ENDPOINT: "" };
const gatewayPath = (gateway) => `/v1/example-account/${gateway}/aws-bedrock/bedrock-runtime/${toml.vars.AWS_REGION}/model/`;

await run({ ...GATEWAY, CF_GATEWAY_ID: "emulator-authenticated", CF_AIG_TOKEN: "emulator-gateway-token" }, async (url) => {
  await check("AI Gateway: the call goes through the gateway, signed for Bedrock with the Worker's keys, with the gateway token", async () => {
    await clearRequests();
    const events = parseSSE(await (await fetch(`${url}/?q=${encodeURIComponent("through the gateway")}`)).text());
    const text = events.filter((e) => e.event === "chunk").map((e) => e.data.text).join("");
    expect(text === "Echo: through the gateway" && events.at(-1).event === "end", `events ${JSON.stringify(events.at(-1))} ${text}`);
    const [request] = await streamRequests();
    expect(request.path.startsWith(gatewayPath("emulator-authenticated")) && request.path.endsWith("/converse-stream"), `path ${request.path}`);
    expect(request.headers.authorization?.includes(`Credential=${SECRETS.AWS_ACCESS_KEY_ID}/`), `authorization ${request.headers.authorization}`);
    expect(/^Bearer /.test(request.headers["cf-aig-authorization"] ?? ""), "cf-aig-authorization");
    return request.path;
  });
});

await run({ ...GATEWAY, CF_GATEWAY_ID: "emulator-byok", AI_GATEWAY_BYOK: "true", CF_AIG_TOKEN: "emulator-gateway-token", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" }, async (url) => {
  await check("AI Gateway BYOK: the Worker holds no AWS key and sends none; the gateway answers", async () => {
    await clearRequests();
    const events = parseSSE(await (await fetch(`${url}/?q=${encodeURIComponent("no keys here")}`)).text());
    const text = events.filter((e) => e.event === "chunk").map((e) => e.data.text).join("");
    expect(text === "Echo: no keys here" && events.at(-1).event === "end", `events ${JSON.stringify(events.at(-1))} ${text}`);
    const [request] = await streamRequests();
    expect(request.path.startsWith(gatewayPath("emulator-byok")), `path ${request.path}`);
    const aws = Object.keys(request.headers).filter((name) => name === "authorization" || name.startsWith("x-amz-"));
    expect(aws.length === 0, `AWS headers sent: ${aws}`);
    return request.path;
  });
});

rmSync(PROJECT, { recursive: true, force: true });
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
