// Helpers shared by the end-to-end suites (suite.mjs, suite-features.mjs): web-standard globals
// only, so they run unchanged in Node, workerd and Chromium.
import * as assert from "./assert.mjs";

export const MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
export const CREDENTIALS = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
export const TEMP_CREDENTIALS = {
  accessKeyId: "ASIAEMULATORTEMP",
  secretAccessKey: "emulatorTempSecretKey0123456789abcdefghij",
  sessionToken: "emulator-session-token",
};
export const EMULATOR_API_KEY = "emulator-api-key";
/** The token of the emulator's authenticated AI Gateways (emulator/gateway.mjs), and one it refuses. */
export const GATEWAY_TOKEN = "emulator-gateway-token";
export const WRONG_GATEWAY_TOKEN = "wrongGatewayToken-0123456789abcdef";
/** An API key the emulator does not know, shaped like a real one. */
export const UNKNOWN_API_KEY = "ABSKQmVkcm9ja0FQSUtleS1lZGdlLXRlc3QtMDEyMzQ1Njc4OWFiY2RlZg==";
export const WRONG_SECRET = "wrongSecretKey/ThisIsNotTheRightOne0123456";
/** Given with a line feed or a non-ASCII character next to it: never to appear in a message. */
export const BAD_CHARACTER_SECRET = "badCharacterSecret/0123456789abcdefghijk";
export const SYSTEM = "You are a helpful assistant that translates English to French. Translate the user sentence.";
export const SEED = [
  ["system", SYSTEM],
  ["human", "I love programming."],
];
export const SEED_ANSWER = "J'adore la programmation.";
export const CASE_TIMEOUT_MS = 20_000;

export const llmFor = (ctx, options = {}) =>
  new ctx.pkg.ChatBedrockConverse({
    model: MODEL,
    region: "us-east-1",
    endpoint: ctx.emulatorUrl,
    credentials: CREDENTIALS,
    ...options,
  });

export async function collect(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Reads a stream to its end or its error; returns both the chunks and the error. */
export async function collectUntilError(stream) {
  const chunks = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

/** Calls fn (invoke, or stream and read it); returns what it threw or rejected with. */
export async function failure(fn, what) {
  try {
    const result = fn();
    if (result && typeof result.then === "function") await result;
    else if (result && typeof result[Symbol.asyncIterator] === "function") await collect(result);
  } catch (error) {
    return error;
  }
  throw new assert.AssertionError(`${what}: expected it to fail`);
}

export const joinText = (chunks) => chunks.map((chunk) => chunk.text ?? "").join("");

export async function clearRequests(ctx) {
  const response = await fetch(`${ctx.emulatorUrl}/_emulator/requests`, { method: "DELETE" });
  await response.body?.cancel();
}

export async function sentRequests(ctx) {
  const response = await fetch(`${ctx.emulatorUrl}/_emulator/requests`);
  const json = await response.json();
  return (Array.isArray(json) ? json : json.requests).filter((r) => !r.path?.startsWith("/_emulator"));
}

export async function lastRequest(ctx) {
  const requests = await sentRequests(ctx);
  assert.ok(requests.length > 0, "the emulator saw no request");
  return requests.at(-1);
}

export function assertBedrockError(ctx, error, { name, status, retryable }) {
  assert.ok(error instanceof ctx.pkg.BedrockError, `expected a BedrockError, got ${error?.name}: ${error?.message}`);
  assert.ok(error instanceof Error, "a BedrockError is an Error");
  if (name !== undefined) assert.equal(error.name, name, "error.name");
  if (status !== undefined) assert.equal(error.status, status, "error.status");
  if (retryable !== undefined) assert.equal(error.retryable, retryable, "error.retryable");
  assert.type(error.message, "string", "error.message");
}

export function assertUsage(usage, what) {
  assert.ok(usage, `${what}: usage_metadata is missing`);
  for (const key of ["input_tokens", "output_tokens", "total_tokens"]) {
    assert.type(usage[key], "number", `${what}.usage_metadata.${key}`);
  }
  assert.ok(usage.input_tokens > 0 && usage.output_tokens > 0, `${what}: token counts are zero`);
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens, `${what}.total_tokens`);
  assert.type(usage.input_token_details?.cache_read, "number", `${what}.input_token_details.cache_read`);
  assert.type(usage.input_token_details?.cache_creation, "number", `${what}.input_token_details.cache_creation`);
}

export function assertSecretsAbsent(text, what) {
  for (const secret of [CREDENTIALS.secretAccessKey, TEMP_CREDENTIALS.secretAccessKey, TEMP_CREDENTIALS.sessionToken, WRONG_SECRET]) {
    assert.ok(!text.includes(secret), `${what} contains a secret`);
  }
}

export function errorText(error) {
  let ownProps = "";
  try {
    ownProps = JSON.stringify(error, Object.getOwnPropertyNames(error));
  } catch {}
  return [String(error), error?.message, error?.stack, ownProps, String(error?.cause?.message)].join("\n");
}

export function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * workerd itself reports an unhandled rejection whenever a response body fails while it is
 * being read, even when every promise is handled (checked with plain-JS Workers on workerd
 * 2026-11-17): `fetch(url, { signal })`, one read, abort, and a caught failing `read()` give
 * an unhandled `AbortError` (and `await reader.cancel()` in a try/catch one more); a server
 * that drops the connection mid-body gives an unhandled "Network connection lost." next to
 * the caught read failure. Only those reports, in workerd, in a case that fails a body
 * mid-read, are not ours.
 */
// "Stream was cancelled." comes when a stream is cancelled while its body is stalled (the idle
// timeout). With read(), cancel(), closed and fetch() patched to tag their promises, the promise
// workerd reports carries no tag: it is one of workerd's own, not one the client or a reader made.
export function isWorkerdBodyFailureNoise(ctx, testCase, reason) {
  return (
    ctx.runtime === "workerd" &&
    testCase?.failsBodyMidRead === true &&
    (reason?.name === "AbortError" ||
      reason?.message === "Network connection lost." ||
      reason?.message === "Stream was cancelled.")
  );
}

const describe = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Runs every case of `caseList` in order; returns [{ name, ok, error?, ms }]. Used by workerd and Chromium;
 * under node:test, Node itself fails a file that leaves an unhandled rejection. Here a last
 * result does that job: an unhandled rejection crashes a Node process and is a bug anywhere.
 */
export async function runCaseList(ctx, caseList, only) {
  const results = [];
  // Rejections reported unhandled, by promise; one handled later (a `rejectionhandled` event)
  // is dropped: @langchain/core's `return Promise.reject(…)` in an async function is unhandled
  // for a moment, which workerd reports at once.
  const unhandled = new Map();
  let current = "";
  let currentCase;
  const onUnhandled = (event) => {
    event.preventDefault();
    if (isWorkerdBodyFailureNoise(ctx, currentCase, event.reason)) return;
    unhandled.set(event.promise ?? {}, `during "${current}": ${describe(event.reason)}`);
  };
  const onHandledLater = (event) => unhandled.delete(event.promise);
  globalThis.addEventListener?.("unhandledrejection", onUnhandled);
  globalThis.addEventListener?.("rejectionhandled", onHandledLater);
  for (const testCase of caseList) {
    if (only && !testCase.name.includes(only)) continue;
    current = testCase.name;
    currentCase = testCase;
    const started = Date.now();
    try {
      await withTimeout(testCase.run(ctx), CASE_TIMEOUT_MS);
      results.push({ name: testCase.name, ok: true, ms: Date.now() - started });
    } catch (error) {
      const detail = error instanceof assert.AssertionError ? error.message : error?.stack ?? String(error);
      results.push({ name: testCase.name, ok: false, error: detail, ms: Date.now() - started });
    }
  }
  if (globalThis.addEventListener) {
    await new Promise((resolve) => setTimeout(resolve, 50)); // let late rejections be reported
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
    globalThis.removeEventListener("rejectionhandled", onHandledLater);
    results.push({
      name: "no unhandled promise rejections",
      ok: unhandled.size === 0,
      error: [...unhandled.values()].join("\n"),
      ms: 0,
    });
  }
  return results;
}
