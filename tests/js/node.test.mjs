// The suites under `node --test`, importing "bedrock-edge" by name from a consumer project that
// installed the `npm pack` tarball (so the package's `node` export condition is what loads).
// The harness copies this folder next to that install; BEDROCK_EMULATOR_URL names the emulator.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as pkg from "bedrock-edge";
import { secretScanCase, watchErrors } from "./secret-scan.mjs";
import { allCases } from "./suite.mjs";
import { allCases as allFeatureCases } from "./suite-features.mjs";
import { allCases as allReliabilityCases } from "./suite-reliability.mjs";
import { allCases as allInvokeCases } from "./suite-invoke.mjs";
import { allCases as allLangChainCases } from "./suite-langchain.mjs";
import { allCases as allCountTokensCases } from "./suite-count-tokens.mjs";
import { allCases as allAiGatewayCases } from "./suite-ai-gateway.mjs";
import { allCases as allEmbeddingsCases } from "./suite-embeddings.mjs";
import { allCases as allLargeReadCases } from "./suite-large-reads.mjs";

const emulatorUrl = process.env.BEDROCK_EMULATOR_URL;
if (!emulatorUrl) throw new Error("BEDROCK_EMULATOR_URL is not set");
const readJson = (name) => JSON.parse(readFileSync(new URL(name, import.meta.url), "utf8"));
const recordings = readJson("./recordings.json");
const featureRecordings = readJson("./feature-recordings.json");
const invokeRecordings = readJson("./invoke-recordings.json");
const watched = watchErrors(pkg);
// V8's gc() for the memory cases: the flag makes new contexts get it.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");
const ctx = { pkg: watched.pkg, emulatorUrl, recordings, featureRecordings, invokeRecordings, runtime: "node", gc };

/**
 * Runs `script` as an ES module in a fresh Node process, in the consumer project (so that
 * "bedrock-edge" is the installed package); resolves to { code, stdout, stderr }.
 */
function runScript(script, { env = process.env, timeout = 15_000 } = {}) {
  const consumer = fileURLToPath(new URL("..", import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, ["--input-type=module", "-e", script], { cwd: consumer, env, timeout }, (error, stdout, stderr) =>
      resolve({ code: error?.code ?? 0, stdout, stderr }),
    );
  });
}

for (const testCase of [...allCases(ctx), ...allFeatureCases(ctx), ...allReliabilityCases(ctx), ...allInvokeCases(ctx), ...allLangChainCases(ctx), ...allCountTokensCases(ctx), ...allAiGatewayCases(ctx), ...allEmbeddingsCases(ctx), ...allLargeReadCases(ctx), secretScanCase(watched.errors)]) {
  test(testCase.name, { timeout: 20_000 }, () => testCase.run(ctx));
}

// Node exits when nothing but a call keeps it alive: a `timeout` must still settle the call.
// Each script awaits one call whose credentials provider or fetch never settles, with no other
// timer or socket open, and prints how it ended; the process must print "TimeoutError" and
// exit 0 (an ESM script whose top-level await never settles exits 13 and prints nothing).
const STUCK_CALLS = {
  "a provider that never answers, invoke": 'credentials: () => new Promise(() => {}) }).invoke("hi", { timeout: 300 })',
  "a fetch that never settles, invoke": 'credentials: CREDENTIALS, fetch: () => new Promise(() => {}) }).invoke("hi", { timeout: 300 })',
  "a fetch that never settles, stream": 'credentials: CREDENTIALS, fetch: () => new Promise(() => {}), timeout: 300 }).stream("hi").getReader().read()',
};
for (const [what, call] of Object.entries(STUCK_CALLS)) {
  test(`in a Node process kept alive by nothing else, ${what} with a timeout rejects with TimeoutError`, { timeout: 20_000 }, async () => {
    const script = `import { ChatBedrockConverse } from "bedrock-edge";
      const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "notARealSecretKey0123456789abcdefghijklm" };
      const started = Date.now();
      try {
        await new ChatBedrockConverse({ model: "m", region: "us-east-1", endpoint: "http://127.0.0.1:9", ${call};
        console.log("resolved");
      } catch (error) {
        console.log(error.name, Date.now() - started);
      }`;
    const { code, stdout, stderr } = await runScript(script, { timeout: 10_000 });
    const [name, ms] = stdout.trim().split(" ");
    if (code !== 0 || name !== "TimeoutError") {
      throw new Error(`exit ${code}, printed ${JSON.stringify(stdout)}${stderr ? `, stderr ${stderr.slice(0, 400)}` : ""}`);
    }
    if (!(Number(ms) >= 250 && Number(ms) < 2000)) throw new Error(`rejected after ${ms} ms`);
  });
}

// What a finished call leaves behind must not keep a Node process alive: after a stream read to
// its end, an invoke, and a stream left early (each with `timeout` and `streamIdleTimeout`), no
// timer of ours is still active, and no socket: node:http's agent keeps the idle keep-alive
// socket unref'd.
test("in a Node process, finished streams and calls leave no timer and no socket active", { timeout: 20_000 }, async () => {
  const script = `import { ChatBedrockConverse } from "bedrock-edge";
    const llm = new ChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0", region: "us-east-1",
      endpoint: process.env.BEDROCK_EMULATOR_URL, timeout: 60000, streamIdleTimeout: 60000,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" } });
    let text = "";
    for await (const chunk of llm.stream("go")) text += chunk.text;
    text += " / " + (await llm.invoke("go")).text;
    for await (const chunk of llm.stream("go", { timeout: 60000 })) break;
    console.log(JSON.stringify({ text, active: process.getActiveResourcesInfo() }));`;
  const { code, stdout, stderr } = await runScript(script);
  if (code !== 0) throw new Error(`exit ${code}: ${stderr.slice(0, 400)}`);
  const { text, active } = JSON.parse(stdout);
  if (text !== "Echo: go / Echo: go") throw new Error(`replies ${JSON.stringify(text)}`);
  if (active.includes("Timeout") || active.includes("TCPSocketWrap")) throw new Error(`still active after the calls: ${active.join(", ")}`);
});

// Requests go through node:http (js/node-http.js), not Node's fetch: undici, whose first call
// costs a fresh process about 200 ms until it exits. Randomness (invocation and run ids) comes
// from node:crypto: Node's globalThis.crypto is a lazy getter that loads all of Web Crypto, about
// 1 ms of a cold start.
test("in a fresh Node process, a stream and an invoke load neither undici (Node's fetch) nor Web Crypto", { timeout: 20_000 }, async () => {
  const script = `import { ChatBedrockConverse } from "bedrock-edge";
    const llm = new ChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0", region: "us-east-1",
      endpoint: process.env.BEDROCK_EMULATOR_URL,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" } });
    let text = "";
    for await (const chunk of llm.stream("go")) text += chunk.text;
    const reply = await llm.invoke("go");
    const loaded = process.moduleLoadList.filter((name) => name.includes("crypto/webcrypto") || name.includes("deps/undici"));
    console.log(JSON.stringify({ text: text + " / " + reply.text, id: reply.id, loaded }));`;
  const { code, stdout, stderr } = await runScript(script);
  if (code !== 0) throw new Error(`exit ${code}: ${stderr.slice(0, 400)}`);
  const { text, id, loaded } = JSON.parse(stdout);
  if (text !== "Echo: go / Echo: go") throw new Error(`replies ${JSON.stringify(text)}`);
  if (!/^run-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) throw new Error(`id ${id}`);
  if (loaded.length > 0) throw new Error(`loaded ${loaded.join(", ")}`);
});

// An https endpoint goes through node:https, which checks the certificate against Node's CAs. An
// https server on 127.0.0.1 (tests/js/fixtures: a self-signed certificate for localhost, made with
// openssl for this test) passes each request on to the emulator. A process that trusts the
// certificate (NODE_EXTRA_CA_CERTS) streams and invokes through it, signed for its host; this one,
// which does not, gets a NetworkError naming the certificate, and the emulator sees nothing.
test("https endpoints go through node:https: a trusted certificate streams and invokes; an untrusted one is a NetworkError", { timeout: 20_000 }, async () => {
  const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const server = createHttpsServer({ key: readFileSync(fixture("localhost-key.pem")), cert: readFileSync(fixture("localhost-cert.pem")) }, (req, res) => {
    const upstream = httpRequest(new URL(req.url, emulatorUrl), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error) => res.destroy(error));
    req.pipe(upstream);
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  const endpoint = `https://localhost:${server.address().port}`;
  try {
    const script = `import { ChatBedrockConverse } from "bedrock-edge";
      const llm = new ChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0", region: "us-east-1",
        endpoint: ${JSON.stringify(endpoint)},
        credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" } });
      let text = "";
      for await (const chunk of llm.stream("go")) text += chunk.text;
      text += " / " + (await llm.invoke("go")).text;
      const loaded = process.moduleLoadList.filter((name) => /NativeModule (https|tls)$/.test(name) || name.includes("deps/undici"));
      console.log(JSON.stringify({ text, loaded }));`;
    const { code, stdout, stderr } = await runScript(script, { env: { ...process.env, NODE_EXTRA_CA_CERTS: fixture("localhost-cert.pem") } });
    if (code !== 0) throw new Error(`exit ${code}: ${stderr.slice(0, 400)}`);
    const { text, loaded } = JSON.parse(stdout);
    if (text !== "Echo: go / Echo: go") throw new Error(`replies ${JSON.stringify(text)}`);
    if (loaded.sort().join() !== "NativeModule https,NativeModule tls") throw new Error(`loaded ${loaded.join(", ")}`);

    await (await fetch(`${emulatorUrl}/_emulator/requests`, { method: "DELETE" })).body?.cancel();
    const llm = new ctx.pkg.ChatBedrockConverse({ model: "anthropic.claude-3-5-sonnet-20240620-v1:0", region: "us-east-1", endpoint, maxRetries: 0,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" } });
    const error = await llm.invoke("go").then(() => null, (thrown) => thrown);
    if (error?.name !== "NetworkError" || !/certificate/i.test(error.message)) throw new Error(`untrusted: ${error?.name}: ${error?.message}`);
    if (error.cause?.code !== "DEPTH_ZERO_SELF_SIGNED_CERT") throw new Error(`untrusted: cause ${error.cause?.code}`);
    const seen = await (await fetch(`${emulatorUrl}/_emulator/requests`)).json();
    if ((Array.isArray(seen) ? seen : seen.requests).some((r) => !r.path?.startsWith("/_emulator"))) throw new Error("the emulator saw the untrusted call");
  } finally {
    server.close();
  }
});
