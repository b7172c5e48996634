// End-to-end reliability cases: retries (AWS standard mode), clock skew, expiring credentials,
// error shape and redaction, broken streams (the fault matrix), timeouts, cancellation and
// credential providers. Run in Node, workerd and Chromium next to suite.mjs and
// suite-features.mjs; web-standard globals only. The runner supplies `ctx`:
//   { pkg, emulatorUrl, runtime }
// The fault scenarios are the emulator's (emulator/README.md, "fault:<kind>[:<arg>]").
import * as assert from "./assert.mjs";
import { failure, EMULATOR_API_KEY, UNKNOWN_API_KEY,
  BAD_CHARACTER_SECRET,
  MODEL,
  CREDENTIALS,
  TEMP_CREDENTIALS,
  WRONG_SECRET,
  SEED,
  SEED_ANSWER,
  llmFor,
  collect,
  collectUntilError,
  joinText,
  clearRequests,
  sentRequests,
  assertBedrockError,
  assertSecretsAbsent,
  errorText,
  runCaseList,
} from "./suite-helpers.mjs";

// ---------------------------------------------------------------------------------------------
// Fixtures

const EXPIRED_CREDENTIALS = {
  accessKeyId: "ASIAEMULATOREXPIRED",
  secretAccessKey: "emulatorExpiredSecretKey0123456789abcdefg",
  sessionToken: "emulator-expired-token",
};
const REDACTED = "** redacted **";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HELLO = "Hello world";
const HELLO_ANSWER = "Echo: Hello world";

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The requests the emulator saw for one model id, in order. */
async function requestsFor(ctx, model) {
  return (await sentRequests(ctx)).filter((r) => r.modelId === model);
}

const header = (request, name) => {
  const value = request.headers?.[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

/**
 * The attempts of one call: every request carries the same uuid amz-sdk-invocation-id and
 * amz-sdk-request "attempt=N; max=M" counting up from 1.
 */
function assertAttemptHeaders(requests, max, what) {
  const id = header(requests[0], "amz-sdk-invocation-id");
  assert.ok(typeof id === "string" && UUID.test(id), `${what}: amz-sdk-invocation-id ${JSON.stringify(id)} is not a uuid`);
  requests.forEach((request, k) => {
    assert.equal(header(request, "amz-sdk-invocation-id"), id, `${what}: attempt ${k + 1} amz-sdk-invocation-id`);
    assert.equal(header(request, "amz-sdk-request"), `attempt=${k + 1}; max=${max}`, `${what}: attempt ${k + 1} amz-sdk-request`);
  });
  return id;
}

/** The request was signed (SigV4) with `credentials`: its access key id, and its session token when it has one. */
function assertSignedWith(request, credentials, what) {
  const authorization = header(request, "authorization") ?? "";
  assert.ok(authorization.startsWith("AWS4-HMAC-SHA256 "), `${what}: not SigV4: ${authorization.slice(0, 40)}`);
  assert.ok(authorization.includes(`Credential=${credentials.accessKeyId}/`), `${what}: signed with ${authorization.slice(0, 60)}, not ${credentials.accessKeyId}`);
  // The emulator's log redacts the token's value: its presence is what can be checked (the
  // emulator itself refuses a missing, extra or wrong token).
  const token = header(request, "x-amz-security-token");
  assert.equal(token !== undefined, credentials.sessionToken !== undefined, `${what}: x-amz-security-token present`);
}

/** `expiration` `ms` from the time each answer is made, as a Date, an ISO string and epoch milliseconds. */
const expirationForms = (ms) => [
  ["Date", () => new Date(Date.now() + ms)],
  ["ISO string", () => new Date(Date.now() + ms).toISOString()],
  ["epoch ms", () => Date.now() + ms],
];

/** Like failure(), and how long it took. */
async function timedFailure(fn, what) {
  const started = Date.now();
  const error = await failure(fn, what);
  return { error, ms: Date.now() - started };
}

/** An x-amz-date (yyyyMMdd'T'HHmmss'Z') as epoch milliseconds. */
const amzDateMs = (text) =>
  Date.UTC(+text.slice(0, 4), +text.slice(4, 6) - 1, +text.slice(6, 8), +text.slice(9, 11), +text.slice(11, 13), +text.slice(13, 15));

/**
 * Chromium resends a request itself when a reused keep-alive connection closes without a
 * response (ERR_EMPTY_RESPONSE), so under `fault:flaky:<n>:reset` the emulator sees attempts
 * the client never made: there only the outcome and the one invocation id are checked.
 */
const runtimeResendsResets = (ctx) => ctx.runtime === "chromium";

/** All requests carry one uuid amz-sdk-invocation-id. */
function assertOneInvocationId(requests, what) {
  const ids = new Set(requests.map((r) => header(r, "amz-sdk-invocation-id")));
  assert.equal(ids.size, 1, `${what}: amz-sdk-invocation-id values ${JSON.stringify([...ids])}`);
  const [id] = ids;
  assert.ok(typeof id === "string" && UUID.test(id), `${what}: amz-sdk-invocation-id ${JSON.stringify(id)} is not a uuid`);
  return id;
}

const describe = (error) => `${error?.name}: ${error?.message}`;

const textChunksOf = (chunks) => chunks.filter((chunk) => typeof chunk.text === "string" && chunk.text.length > 0);

/**
 * A model signed with the emulator's API key (Bearer: no signature over the path) whose fetch
 * sends each call to `route.model` when set. One model object can so meet every fault and then
 * a normal call.
 */
function routedModel(ctx, options = {}) {
  const route = { model: null };
  const routedFetch = (input, init) => {
    if (route.model === null) return fetch(input, init);
    const model = `/model/${encodeURIComponent(route.model)}/`;
    if (typeof input === "string" || input instanceof URL) {
      return fetch(String(input).replace(/\/model\/[^/]+\//, model), init);
    }
    return fetch(new Request(input.url.replace(/\/model\/[^/]+\//, model), input), init);
  };
  const llm = llmFor(ctx, { credentials: undefined, apiKey: EMULATOR_API_KEY, fetch: routedFetch, ...options });
  return { llm, route };
}

/** The same model object still answers a normal invoke and a normal stream. */
async function assertStillServes(llm, route, what) {
  if (route) route.model = null;
  const message = await llm.invoke(HELLO);
  assert.equal(message.text, HELLO_ANSWER, `${what}: the same model's next invoke`);
  const chunks = await collect(llm.stream(HELLO));
  assert.equal(joinText(chunks), HELLO_ANSWER, `${what}: the same model's next stream`);
}

/** A model with an API key whose fetch is `fetchFn`: its errors (invoke, stream) never hold the key. */
async function assertApiKeyRedacted(ctx, fetchFn, name, what) {
  for (const operation of ["invoke", "stream"]) {
    const llm = llmFor(ctx, { credentials: undefined, apiKey: UNKNOWN_API_KEY, fetch: fetchFn, maxRetries: 0 });
    const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), `${what} ${operation}`);
    assertBedrockError(ctx, error, { name });
    assert.ok(!errorText(error).includes(UNKNOWN_API_KEY), `${what} ${operation}: the error contains the API key: ${error.message}`);
    assert.ok(error.message.includes(REDACTED), `${what} ${operation}: message does not contain "${REDACTED}": ${JSON.stringify(error.message)}`);
  }
}

/** Polls GET /_emulator/connections until `open` is 0 or `ms` pass; returns the last count. */
async function openConnectionsAfter(ctx, ms) {
  const deadline = Date.now() + ms;
  let open;
  for (;;) {
    const response = await fetch(`${ctx.emulatorUrl}/_emulator/connections`);
    ({ open } = await response.json());
    if (open === 0 || Date.now() >= deadline) return open;
    await sleep(20);
  }
}


/** `levels` objects within one another. */
const nestedObject = (levels) => {
  let value = { leaf: 1 };
  for (let k = 1; k < levels; k++) value = { k: value };
  return value;
};

/** An object that holds itself. */
const selfReferring = () => {
  const value = { type: "object" };
  value.properties = { again: value };
  return value;
};

/** Each JSON option, and a value for it whose `inner` member nests as given. */
const JSON_OPTIONS = [
  ["tools", (inner) => [{ name: "lookup", description: "Looks it up", schema: { type: "object", properties: { q: inner } } }]],
  ["thinking", (inner) => ({ type: "enabled", budget_tokens: 1024, inner })],
  ["stopSequences", (inner) => ["END", inner]],
  ["performanceConfig", (inner) => ({ latency: inner })],
  ["serviceTier", (inner) => ({ type: inner })],
  ["modelKwargs", (inner) => ({ inner })],
  ["additionalModelRequestFields", (inner) => ({ inner })],
  ["requestMetadata", (inner) => ({ inner })],
  ["outputConfig", (inner) => ({ textFormat: inner })],
  ["promptVariables", (inner) => ({ inner })],
  ["guardrailConfig", (inner) => ({ guardrailIdentifier: "g", guardrailVersion: "1", inner })],
];

const TOO_DEEP = "it nests more than 64 levels deep (or refers to itself)";

/** A fetch that never settles and ignores its signal, as a stuck proxy might. */
const neverSettlingFetch = () => new Promise(() => {});

/** `fn()`'s failure, or a "still pending" error after `ms` (our own timer keeps Node alive meanwhile). */
async function failureWithin(fn, what, ms) {
  let guard;
  const outcome = timedFailure(fn, what);
  const limit = new Promise((resolve) => {
    guard = setTimeout(resolve, ms, { error: new Error(`${what}: still pending after ${ms} ms`), ms });
  });
  return Promise.race([outcome, limit]).finally(() => clearTimeout(guard));
}

/** A fetch that answers every request with `status` and a JSON `{ message }` of error type `type`. */
const answering = (status, type, message) => async () =>
  new Response(JSON.stringify({ message }), {
    status,
    headers: { "content-type": "application/json", "x-amzn-ErrorType": type, "x-amzn-RequestId": crypto.randomUUID() },
  });

// ---------------------------------------------------------------------------------------------
// The fault matrix: converse-stream faults, what the stream delivers before failing.

/**
 * Each fault: the error names allowed, and the text chunks delivered first. SEED streams as
 * messageStart, "J", "'adore", " la", " programmation", ".", …, so "2 frames" is 1 text chunk.
 */
const FAULT_MATRIX = [
  { fault: "cut", names: ["NetworkError", "IncompleteStream"], text: ["J"], failsBodyMidRead: true },
  { fault: "cut-between", names: ["NetworkError", "IncompleteStream"], text: ["J"], failsBodyMidRead: true },
  { fault: "truncated", names: ["IncompleteStream"], text: ["J"] },
  { fault: "no-message-stop", names: ["IncompleteStream"], text: ["J", "'adore"] },
  { fault: "bad-crc", names: ["InvalidEventStream"], text: [] },
  { fault: "bad-prelude-crc", names: ["InvalidEventStream"], text: [] },
  { fault: "garbage", names: ["InvalidEventStream"], text: [] },
  { fault: "oversize-frame", names: ["InvalidEventStream"], text: [], failsBodyMidRead: true },
  { fault: "bad-utf8", names: ["InvalidResponse"], text: ["Hi "] },
  { fault: "json-error-200", names: ["InternalServerException"], text: [] },
  { fault: "wrong-content-type", names: ["InvalidResponse"], text: [] },
  { fault: "error-frame", names: ["InternalFailure"], text: ["J", "'adore"] },
  { fault: "exception-midstream", names: ["ModelStreamErrorException"], text: ["J", "'adore"] },
  { fault: "throttle-midstream", names: ["ThrottlingException"], text: ["J", "'adore"] },
  { fault: "flaky-midstream:1", names: ["ThrottlingException"], text: ["J"], requests: 1 },
  { fault: "stall:10000", names: ["TimeoutError"], text: ["J"], options: { streamIdleTimeout: 200 }, failsBodyMidRead: true },
];

/** Rows of the printed matrix, filled in by the matrix cases as they run. */
const matrixRows = [];

function matrixCase({ fault, names, text, options, requests, failsBodyMidRead }) {
  return {
    name: `fault matrix: ${fault} → ${names.join(" or ")} after ${text.length} text chunk(s); the same model then serves a normal call`,
    failsBodyMidRead: failsBodyMidRead === true,
    async run(ctx) {
      const { llm, route } = routedModel(ctx);
      const model = `fault:${fault}`;
      route.model = model;
      await clearRequests(ctx);
      const started = Date.now();
      const { chunks, error } = await collectUntilError(llm.stream(SEED, options));
      const ms = Date.now() - started;
      const delivered = textChunksOf(chunks).map((chunk) => chunk.text);
      const row = {
        fault,
        expected: `${names.join("|")} after ${text.length}`,
        error: error === undefined ? "(none: the stream ended)" : error instanceof ctx.pkg.BedrockError ? error.name : `${error?.name} (not a BedrockError)`,
        retryable: error?.retryable,
        chunks: delivered.length,
        ms,
        ok: false,
      };
      const existing = matrixRows.findIndex((r) => r.fault === fault);
      if (existing >= 0) matrixRows.splice(existing, 1, row);
      else matrixRows.push(row);

      assert.ok(error !== undefined, `${fault}: the stream ended without an error; text ${JSON.stringify(joinText(chunks))}`);
      assertBedrockError(ctx, error, {});
      assert.ok(names.includes(error.name), `${fault}: error ${describe(error)}; expected ${names.join(" or ")}`);
      assert.equal(error.code, error.name, `${fault}: error.code`);
      if (error.name === "NetworkError") assert.equal(error.retryable, true, `${fault}: NetworkError retryable`);
      assert.deepEqual(delivered, text, `${fault}: text chunks delivered before the error`);
      if (requests !== undefined) {
        assert.equal((await requestsFor(ctx, model)).length, requests, `${fault}: requests sent`);
      }
      await assertStillServes(llm, route, fault);
      row.ok = true;
    },
  };
}

/** Prints the matrix as a table (the rows of the cases that ran). */
function printMatrix() {
  const header = ["fault", "expected", "error name", "retryable", "text chunks", "ms", "case"];
  const rows = matrixRows.map((r) => [r.fault, r.expected, r.error, String(r.retryable), String(r.chunks), String(r.ms), r.ok ? "pass" : "FAIL"]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  const text = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
  console.log(`converse-stream fault matrix:\n${text}`);
  return text;
}

// ---------------------------------------------------------------------------------------------

export const cases = [
  // ----- options ---------------------------------------------------------------------------------
  {
    name: "bad maxRetries / timeout / streamIdleTimeout are TypeErrors before anything is sent",
    async run(ctx) {
      await clearRequests(ctx);
      for (const bad of [{ maxRetries: 11 }, { maxRetries: -1 }, { maxRetries: 1.5 }, { timeout: 0 }, { timeout: -5 }, { streamIdleTimeout: 0 }]) {
        const what = `constructor ${JSON.stringify(bad)}`;
        const error = assert.throws(() => llmFor(ctx, bad), what);
        assert.ok(error instanceof TypeError, `${what}: ${describe(error)}`);
      }
      const llm = llmFor(ctx);
      for (const bad of [{ maxRetries: 11 }, { maxRetries: -1 }, { timeout: 0 }]) {
        const what = `invoke ${JSON.stringify(bad)}`;
        const error = await failure(() => llm.invoke(HELLO, bad), what);
        assert.ok(error instanceof TypeError, `${what}: ${describe(error)}`);
      }
      for (const bad of [{ maxRetries: 11 }, { streamIdleTimeout: -1 }, { timeout: 0 }]) {
        const what = `stream ${JSON.stringify(bad)}`;
        const error = await failure(() => llm.stream(HELLO, bad), what);
        assert.ok(error instanceof TypeError, `${what}: ${describe(error)}`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
      for (const good of [{ maxRetries: 0 }, { maxRetries: 10 }]) {
        assert.equal((await llmFor(ctx, good).invoke(HELLO)).text, HELLO_ANSWER, `${JSON.stringify(good)} works`);
      }
    },
  },

  // ----- retries ---------------------------------------------------------------------------------
  {
    name: "each retryable failure (429, 500, 502, 503, 504, reset) is retried: 3 attempts, one invocation id, RetryAttempts 2",
    async run(ctx) {
      const invocationIds = new Set();
      for (const kind of ["throttle", "internal", "bad-gateway", "unavailable", "gateway-timeout", "reset"]) {
        const model = `fault:flaky:2:${kind}`;
        await clearRequests(ctx);
        const started = Date.now();
        const message = await llmFor(ctx, { model }).invoke(HELLO);
        const ms = Date.now() - started;
        assert.equal(message.text, HELLO_ANSWER, `${kind}: text`);
        if (kind === "reset" && runtimeResendsResets(ctx)) {
          invocationIds.add(assertOneInvocationId(await requestsFor(ctx, model), kind));
          continue;
        }
        assert.equal(message.response_metadata?.ResponseMetadata?.RetryAttempts, 2, `${kind}: ResponseMetadata.RetryAttempts`);
        const requests = await requestsFor(ctx, model);
        assert.equal(requests.length, 3, `${kind}: requests sent`);
        const expectedStatus = { throttle: 429, internal: 500, "bad-gateway": 502, unavailable: 503, "gateway-timeout": 504, reset: null }[kind];
        assert.deepEqual(requests.map((r) => r.status), [expectedStatus, expectedStatus, 200], `${kind}: statuses`);
        invocationIds.add(assertAttemptHeaders(requests, 3, kind));
        // Full jitter with base 100 ms: at most 100 + 200 ms of waiting for two retries.
        assert.ok(ms < 2000, `${kind}: two retries took ${ms} ms`);
      }
      assert.equal(invocationIds.size, 6, "each call has its own amz-sdk-invocation-id");
    },
  },
  {
    name: "a call that succeeds first time sends attempt=1; max=3 and RetryAttempts 0",
    async run(ctx) {
      await clearRequests(ctx);
      const llm = llmFor(ctx);
      const message = await llm.invoke(HELLO);
      assert.equal(message.response_metadata?.ResponseMetadata?.RetryAttempts, 0, "RetryAttempts");
      const [request] = await sentRequests(ctx);
      assertAttemptHeaders([request], 3, "invoke");
      await clearRequests(ctx);
      await collect(llm.stream(HELLO));
      const [streamRequest] = await sentRequests(ctx);
      assertAttemptHeaders([streamRequest], 3, "stream");
      assert.ok(header(streamRequest, "amz-sdk-invocation-id") !== header(request, "amz-sdk-invocation-id"), "a new invocation id per call");
    },
  },
  {
    name: "retries stop at maxRetries with the last error; maxRetries 0 sends one request; per-call maxRetries wins",
    async run(ctx) {
      const model = "fault:flaky:5:throttle";
      await clearRequests(ctx);
      const exhausted = await failure(() => llmFor(ctx, { model }).invoke(HELLO), "flaky:5 with 2 retries");
      assertBedrockError(ctx, exhausted, { name: "ThrottlingException", status: 429, retryable: true });
      assert.equal((await requestsFor(ctx, model)).length, 3, "requests with the default maxRetries 2");

      await clearRequests(ctx);
      const none = await failure(() => llmFor(ctx, { model, maxRetries: 0 }).invoke(HELLO), "maxRetries 0");
      assertBedrockError(ctx, none, { name: "ThrottlingException", status: 429 });
      const single = await requestsFor(ctx, model);
      assert.equal(single.length, 1, "requests with maxRetries 0");
      assertAttemptHeaders(single, 1, "maxRetries 0");

      const resets = "fault:flaky:5:reset";
      await clearRequests(ctx);
      const reset = await failure(() => llmFor(ctx, { model: resets, maxRetries: 1 }).invoke(HELLO), "reset, 1 retry");
      assertBedrockError(ctx, reset, { name: "NetworkError", retryable: true });
      if (!runtimeResendsResets(ctx)) assert.equal((await requestsFor(ctx, resets)).length, 2, "requests for reset with maxRetries 1");

      const flaky3 = "fault:flaky:3:unavailable";
      const llm = llmFor(ctx, { model: flaky3, maxRetries: 0 });
      await clearRequests(ctx);
      const message = await llm.invoke(HELLO, { maxRetries: 3 });
      assert.equal(message.text, HELLO_ANSWER, "per-call maxRetries 3: text");
      assert.equal(message.response_metadata?.ResponseMetadata?.RetryAttempts, 3, "per-call maxRetries 3: RetryAttempts");
      const requests = await requestsFor(ctx, flaky3);
      assert.equal(requests.length, 4, "per-call maxRetries 3: requests");
      assertAttemptHeaders(requests, 4, "per-call maxRetries 3");
      await clearRequests(ctx);
      const after = await failure(() => llm.invoke(HELLO), "the constructor's maxRetries 0 again");
      assertBedrockError(ctx, after, { name: "ServiceUnavailableException", status: 503, retryable: true });
      assert.equal((await requestsFor(ctx, flaky3)).length, 1, "the next call is back to maxRetries 0");
    },
  },
  {
    name: "400 and 403 are never retried (validation, access denied, bad signature)",
    async run(ctx) {
      const expected = [
        [{ model: "fault:validation" }, "ValidationException", 400],
        [{ model: "fault:access-denied" }, "AccessDeniedException", 403],
        [{ credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: WRONG_SECRET } }, "InvalidSignatureException", 403],
      ];
      for (const [options, name, status] of expected) {
        for (const operation of ["invoke", "stream"]) {
          await clearRequests(ctx);
          const llm = llmFor(ctx, { maxRetries: 5, ...options });
          const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), `${name} ${operation}`);
          assertBedrockError(ctx, error, { name, status, retryable: false });
          assert.equal((await sentRequests(ctx)).length, 1, `${name} ${operation}: requests sent`);
        }
      }
    },
  },
  {
    name: "a stream retries before its first chunk (flaky:2:throttle, flaky:1:reset): whole text, one invocation id",
    async run(ctx) {
      for (const [model, count] of [["fault:flaky:2:throttle", 3], ["fault:flaky:1:reset", 2]]) {
        await clearRequests(ctx);
        const chunks = await collect(llmFor(ctx, { model }).stream(SEED));
        assert.equal(joinText(chunks), SEED_ANSWER, `${model}: streamed text`);
        const requests = await requestsFor(ctx, model);
        if (model.endsWith(":reset") && runtimeResendsResets(ctx)) {
          assertOneInvocationId(requests, model);
          continue;
        }
        assert.equal(requests.length, count, `${model}: requests sent`);
        assertAttemptHeaders(requests, 3, model);
      }
    },
  },
  {
    name: "a stream never retries after its first chunk: flaky-midstream:1 gives chunks, then ThrottlingException, one request",
    async run(ctx) {
      const model = "fault:flaky-midstream:1";
      await clearRequests(ctx);
      const { chunks, error } = await collectUntilError(llmFor(ctx, { model, maxRetries: 5 }).stream(SEED));
      assertBedrockError(ctx, error, { name: "ThrottlingException", status: 429, retryable: true });
      assert.deepEqual(textChunksOf(chunks).map((c) => c.text), ["J"], "text chunks before the exception");
      assert.equal((await requestsFor(ctx, model)).length, 1, "requests sent");
    },
  },

  // ----- clock skew and expiring credentials -----------------------------------------------------
  {
    name: "clock skew ±20 min: a 403 Signature expired / not yet current, corrected from Date, then later calls in 1 request",
    async run(ctx) {
      for (const [minutes, phrase] of [[20, "Signature expired"], [-20, "Signature not yet current"]]) {
        const model = `fault:skew:${minutes}`;
        const llm = llmFor(ctx, { model });
        await clearRequests(ctx);
        const message = await llm.invoke(HELLO);
        assert.equal(message.text, HELLO_ANSWER, `${model}: text`);
        const requests = await requestsFor(ctx, model);
        assert.deepEqual(requests.map((r) => r.status), [403, 200], `${model}: statuses`);
        assertAttemptHeaders(requests, 3, model);
        // The retry is signed with the corrected clock: its x-amz-date is ~minutes off the real time.
        const retryDate = header(requests[1], "x-amz-date");
        const shift = (amzDateMs(retryDate) - Date.now()) / 60_000;
        assert.ok(Math.abs(shift - minutes) < 2, `${model}: the retry's x-amz-date ${retryDate} is ${shift.toFixed(1)} min off the real time`);
        // Without retries a model meeting the skew for the first time shows the 403 itself.
        const fresh = await llmFor(ctx, { model, maxRetries: 0 }).invoke(HELLO).then(() => undefined, (error) => error);
        if (fresh !== undefined) {
          assertBedrockError(ctx, fresh, { name: "InvalidSignatureException", status: 403 });
          assert.ok(fresh.message.includes(phrase), `${model}: message ${JSON.stringify(fresh.message)} lacks "${phrase}"`);
        }
        for (const operation of ["invoke", "stream"]) {
          await clearRequests(ctx);
          const text = operation === "invoke" ? (await llm.invoke(HELLO)).text : joinText(await collect(llm.stream(HELLO)));
          assert.equal(text, HELLO_ANSWER, `${model}: later ${operation} text`);
          assert.equal((await requestsFor(ctx, model)).length, 1, `${model}: later ${operation} requests`);
        }
      }
    },
  },
  {
    name: "a provider's expired token (ExpiredTokenException) is refreshed once: 2 requests, the second with the new key",
    async run(ctx) {
      for (const operation of ["invoke", "stream"]) {
        let calls = 0;
        const llm = llmFor(ctx, { credentials: async () => (++calls === 1 ? EXPIRED_CREDENTIALS : TEMP_CREDENTIALS) });
        await clearRequests(ctx);
        const text = operation === "invoke" ? (await llm.invoke(HELLO)).text : joinText(await collect(llm.stream(HELLO)));
        assert.equal(text, HELLO_ANSWER, `${operation}: text`);
        assert.equal(calls, 2, `${operation}: provider calls`);
        const requests = await sentRequests(ctx);
        assert.deepEqual(requests.map((r) => r.status), [403, 200], `${operation}: statuses`);
        assert.ok(header(requests[0], "authorization").includes("Credential=ASIAEMULATOREXPIRED/"), `${operation}: first signed with the expired key`);
        assert.ok(header(requests[1], "authorization").includes("Credential=ASIAEMULATORTEMP/"), `${operation}: retry signed with the fresh key`);
        assertAttemptHeaders(requests, 3, operation);
      }
    },
  },
  {
    name: "static expired credentials fail with ExpiredTokenException 403, not retried",
    async run(ctx) {
      for (const operation of ["invoke", "stream"]) {
        const llm = llmFor(ctx, { credentials: EXPIRED_CREDENTIALS, maxRetries: 5 });
        await clearRequests(ctx);
        const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), operation);
        assertBedrockError(ctx, error, { name: "ExpiredTokenException", status: 403, retryable: false });
        assert.equal((await sentRequests(ctx)).length, 1, `${operation}: requests sent`);
        assert.ok(!errorText(error).includes(EXPIRED_CREDENTIALS.secretAccessKey), `${operation}: the error contains the secret key`);
        assert.ok(!errorText(error).includes(EXPIRED_CREDENTIALS.sessionToken), `${operation}: the error contains the session token`);
      }
    },
  },

  // ----- error shape and redaction ---------------------------------------------------------------
  {
    name: "BedrockError carries name, code === name, status, requestId, retryable and message",
    async run(ctx) {
      const expected = [
        ["fault:throttle", "ThrottlingException", 429, true],
        ["fault:internal", "InternalServerException", 500, true],
        ["fault:unavailable", "ServiceUnavailableException", 503, true],
        ["fault:validation", "ValidationException", 400, false],
        ["fault:access-denied", "AccessDeniedException", 403, false],
      ];
      for (const [model, name, status, retryable] of expected) {
        for (const operation of ["invoke", "stream"]) {
          const llm = llmFor(ctx, { model, maxRetries: 0 });
          const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), `${model} ${operation}`);
          assertBedrockError(ctx, error, { name, status, retryable });
          assert.equal(error.code, name, `${model} ${operation}: code`);
          assert.ok(UUID.test(error.requestId ?? ""), `${model} ${operation}: requestId ${JSON.stringify(error.requestId)}`);
          assert.ok(error.message.length > 0, `${model} ${operation}: empty message`);
        }
      }
    },
  },
  {
    name: "a signature mismatch with temporary credentials is redacted: ** redacted **, never the token or secrets",
    async run(ctx) {
      const credentials = { ...TEMP_CREDENTIALS, secretAccessKey: WRONG_SECRET };
      for (const operation of ["invoke", "stream"]) {
        const llm = llmFor(ctx, { credentials });
        const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), operation);
        assertBedrockError(ctx, error, { name: "InvalidSignatureException", status: 403, retryable: false });
        assert.ok(error.message.includes(REDACTED), `${operation}: message does not contain "${REDACTED}": ${JSON.stringify(error.message)}`);
        assertSecretsAbsent(errorText(error), `${operation}: the error`);
        assertSecretsAbsent(JSON.stringify(error), `${operation}: JSON.stringify(error)`);
      }
    },
  },
  {
    name: "an API key never appears in an error from the service (unknown key; key echoed in an error body → ** redacted **)",
    async run(ctx) {
      const unknown = await failure(() => llmFor(ctx, { credentials: undefined, apiKey: UNKNOWN_API_KEY }).invoke(HELLO), "unknown key");
      assertBedrockError(ctx, unknown, { status: 403, retryable: false });
      assert.ok(!errorText(unknown).includes(UNKNOWN_API_KEY), `unknown key: the error contains the API key: ${unknown.message}`);
      const echoing = async () =>
        new Response(JSON.stringify({ message: `The API key ${UNKNOWN_API_KEY} is not valid (Bearer ${UNKNOWN_API_KEY})` }), {
          status: 400,
          headers: { "content-type": "application/json", "x-amzn-ErrorType": "ValidationException", "x-amzn-RequestId": crypto.randomUUID() },
        });
      await assertApiKeyRedacted(ctx, echoing, "ValidationException", "echoed in a 400 body");
    },
  },
  {
    name: "an API key in a failing custom fetch's error message is redacted (NetworkError, ** redacted **)",
    async run(ctx) {
      const throwing = async (_input, init) => {
        const auth = new Headers(init?.headers ?? {}).get("authorization");
        throw new TypeError(`fetch failed: could not send authorization: ${auth} (key ${UNKNOWN_API_KEY})`);
      };
      await assertApiKeyRedacted(ctx, throwing, "NetworkError", "thrown by fetch");
    },
  },

  // ----- bad input that would reach a header, a path or the JSON reader ----------------------------
  {
    name: "a key, token or secret with a line feed, a carriage return or a non-ASCII character is a TypeError naming it (options and env); nothing sent, no secret shown",
    async run(ctx) {
      await clearRequests(ctx);
      const flaws = [
        ["a line feed", `${BAD_CHARACTER_SECRET}\n`],
        ["a carriage return", `${BAD_CHARACTER_SECRET}\r\nx-injected: 1`],
        ["a non-ASCII character", `${BAD_CHARACTER_SECRET}中`],
        ["a non-ASCII character", `é${BAD_CHARACTER_SECRET}`],
      ];
      const env = (vars) => ({ credentials: undefined, env: vars });
      const places = (value) => [
        ["credentials.accessKeyId", { credentials: { ...CREDENTIALS, accessKeyId: value } }],
        ["credentials.secretAccessKey", { credentials: { ...CREDENTIALS, secretAccessKey: value } }],
        ["credentials.sessionToken", { credentials: { ...TEMP_CREDENTIALS, sessionToken: value } }],
        ["apiKey", { credentials: undefined, apiKey: value }],
        ["AWS_BEARER_TOKEN_BEDROCK in the env option", env({ AWS_BEARER_TOKEN_BEDROCK: value })],
        ["AWS_ACCESS_KEY_ID in the env option", env({ AWS_ACCESS_KEY_ID: value, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey })],
        ["AWS_SECRET_ACCESS_KEY in the env option", env({ AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: value })],
        ["AWS_SESSION_TOKEN in the env option", env({ AWS_ACCESS_KEY_ID: TEMP_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEMP_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: value })],
      ];
      for (const Model of [ctx.pkg.ChatBedrockConverse, ctx.pkg.ChatBedrock, ctx.pkg.ChatAnthropicBedrock]) {
        for (const [kind, value] of flaws) {
          for (const [name, options] of places(value)) {
            const what = `${Model.name}, ${name} with ${kind}`;
            const error = assert.throws(() => new Model({ model: MODEL, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS, ...options }), what);
            assert.ok(error instanceof TypeError, `${what}: ${describe(error)}`);
            assert.equal(error.message, `${name} contains ${kind}; it must be printable ASCII`, `${what}: message`);
            assert.ok(!errorText(error).includes(BAD_CHARACTER_SECRET), `${what}: the error shows the secret`);
          }
        }
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "a region or endpoint (option or env) that cannot be sent as it is is a TypeError naming it; nothing sent",
    async run(ctx) {
      await clearRequests(ctx);
      const rows = [
        [{ region: "us-east-1\n" }, 'region must be a region such as us-east-1, got "us-east-1\\n"'],
        [{ region: undefined, env: { AWS_REGION: "us-east-1中" } }, 'AWS_REGION in the env option must be a region such as us-east-1, got "us-east-1中"'],
        [{ endpoint: `${ctx.emulatorUrl}\n/x` }, "endpoint contains a line feed; it must be printable ASCII"],
        [{ endpoint: "https://bücher.example" }, "endpoint contains a non-ASCII character; it must be printable ASCII"],
        [{ endpoint: undefined, env: { AWS_ENDPOINT_URL: "http://127.0.0.1:4010\r\nx" } }, "AWS_ENDPOINT_URL in the env option contains a carriage return; it must be printable ASCII"],
        [{ endpoint: "http://127.0.0.1:port" }, 'endpoint must be an http(s)://host[:port][/path] URL without query, got "http://127.0.0.1:port"'],
        [{ endpoint: "http://127.0.0.1:4010/a{b}" }, 'endpoint must be an http(s)://host[:port][/path] URL without query, got "http://127.0.0.1:4010/a{b}"'],
      ];
      for (const [options, message] of rows) {
        const what = JSON.stringify(options);
        const error = assert.throws(() => llmFor(ctx, options), what);
        assert.ok(error instanceof TypeError, `${what}: ${describe(error)}`);
        assert.equal(error.message, message, `${what}: message`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "a credentials provider's answer with a line feed or a non-ASCII character: CredentialsProviderError naming the field, nothing sent, no secret shown",
    async run(ctx) {
      const answers = [
        ["credentials.sessionToken contains a line feed", { ...TEMP_CREDENTIALS, sessionToken: `${BAD_CHARACTER_SECRET}\n` }],
        ["credentials.accessKeyId contains a non-ASCII character", { ...TEMP_CREDENTIALS, accessKeyId: "ASIA中EMULATOR" }],
        ["credentials.secretAccessKey contains a carriage return", { ...TEMP_CREDENTIALS, secretAccessKey: `${BAD_CHARACTER_SECRET}\r` }],
      ];
      for (const [expected, answer] of answers) {
        for (const operation of ["invoke", "stream"]) {
          const what = `${operation}: ${expected}`;
          const llm = llmFor(ctx, { credentials: async () => answer, maxRetries: 5 });
          await clearRequests(ctx);
          const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), what);
          assertBedrockError(ctx, error, { name: "CredentialsProviderError", retryable: false });
          assert.ok(error.message.includes(expected), `${what}: message ${JSON.stringify(error.message)}`);
          assert.ok(!errorText(error).includes(BAD_CHARACTER_SECRET), `${what}: the error shows the secret`);
          assert.equal((await sentRequests(ctx)).length, 0, `${what}: requests sent`);
        }
      }
    },
  },
  {
    name: 'model "." or ".." (which a URL resolves away: /model/../converse is /converse) is a TypeError naming model, for every class; nothing sent',
    async run(ctx) {
      await clearRequests(ctx);
      for (const Model of [ctx.pkg.ChatBedrockConverse, ctx.pkg.ChatBedrock, ctx.pkg.ChatAnthropicBedrock]) {
        for (const model of [".", ".."]) {
          for (const key of ["model", "modelId"]) {
            const what = `${Model.name} ${key} ${JSON.stringify(model)}`;
            const error = assert.throws(() => new Model({ [key]: model, provider: Model === ctx.pkg.ChatBedrock ? "anthropic" : undefined, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS }), what);
            assert.ok(error instanceof TypeError, `${what}: ${describe(error)}`);
            assert.equal(error.message, `model ${JSON.stringify(model)} is not a model id: a URL path resolves it away`, `${what}: message`);
          }
        }
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
      // Dots inside a longer id stay as they are: "..." is one path segment, never resolved.
      const llm = llmFor(ctx, { model: "...", credentials: undefined, apiKey: EMULATOR_API_KEY, maxRetries: 0 });
      await llm.invoke(HELLO).catch(() => {});
      const [request] = await sentRequests(ctx);
      assert.equal(request?.path, "/model/.../converse", "the path sent for model ...");
    },
  },
  {
    name: "every JSON option nested 2,000 deep or referring to itself says so as messages do; 64 levels pass, 65 do not; nothing sent",
    async run(ctx) {
      await clearRequests(ctx);
      const llm = llmFor(ctx);
      for (const [key, make] of JSON_OPTIONS) {
        for (const [shape, inner] of [["2,000 deep", nestedObject(2000)], ["self-referring", selfReferring()]]) {
          const what = `${key} ${shape}`;
          const expected = `${key} is not JSON data: ${TOO_DEEP}`;
          const error = assert.throws(() => llmFor(ctx, { [key]: make(inner) }), `${what} (constructor)`);
          assert.ok(error instanceof TypeError, `${what} (constructor): ${describe(error)}`);
          assert.equal(error.message, expected, `${what} (constructor): message`);
          const callError = await failure(() => llm.invoke(HELLO, { [key]: make(inner) }), `${what} (call)`);
          assert.ok(callError instanceof TypeError, `${what} (call): ${describe(callError)}`);
          assert.equal(callError.message, expected, `${what} (call): message`);
        }
      }
      const messages = await failure(() => llm.invoke([{ role: "user", content: [{ type: "text", text: "hi", extra: nestedObject(2000) }] }]), "messages");
      assert.ok(messages instanceof TypeError, `messages: ${describe(messages)}`);
      assert.equal(messages.message, `messages is not message data: ${TOO_DEEP}`, "messages: message");
      // modelKwargs is level 1; nestedObject(63) inside it makes 64 levels, nestedObject(64) 65.
      llmFor(ctx, { modelKwargs: { inner: nestedObject(63) } });
      const over = assert.throws(() => llmFor(ctx, { modelKwargs: { inner: nestedObject(64) } }), "65 levels");
      assert.equal(over.message, `modelKwargs is not JSON data: ${TOO_DEEP}`, "65 levels: message");
      // The messages array, a message, and 63 levels of content: 65.
      const deepMessage = await failure(() => llm.invoke([{ role: "user", content: nestedObject(63) }]), "65-level messages");
      assert.equal(deepMessage.message, `messages is not message data: ${TOO_DEEP}`, "65-level messages: message");
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "messages are read from JS as data: a Map is an object, a BigInt a number, undefined null, ArrayBuffer bytes base64; a function, a Set, NaN or a huge BigInt is a TypeError, nothing sent",
    async run(ctx) {
      const llm = llmFor(ctx).bindTools([{ name: "count", description: "Count", schema: { type: "object", properties: {} } }]);
      await clearRequests(ctx);
      const guard = new Map([["text", new Map([["text", "Guarded."]])]]);
      const bytes = new TextEncoder().encode("%PDF-1.4\n%%EOF\n");
      const document = { format: "pdf", name: "doc", source: { bytes: bytes.slice().buffer } };
      const toolCall = { type: "tool_call", id: "t1", name: "count", args: { n: 7n, skip: undefined, list: [1, undefined] } };
      await llm.invoke([
        ["human", [{ guardContent: guard }, { document }, { type: "text", text: "Count." }]],
        { role: "ai", content: "", tool_calls: [toolCall] },
        { role: "tool", tool_call_id: "t1", content: "7" },
      ]);
      const [request] = await sentRequests(ctx);
      assert.deepEqual(request?.body?.messages?.[0]?.content, [
        { guardContent: { text: { text: "Guarded." } } },
        { document: { format: "pdf", name: "doc", source: { bytes: btoa("%PDF-1.4\n%%EOF\n") } } },
        { text: "Count." },
      ], "human content");
      assert.deepEqual(request?.body?.messages?.[1]?.content, [{ toolUse: { toolUseId: "t1", name: "count", input: { n: 7, skip: null, list: [1, null] } } }], "tool call");
      await clearRequests(ctx);
      const rows = [
        ["a function", () => 1, "invalid type: function, expected JSON data or bytes"],
        ["a Set", new Set(["a"]), "invalid type: object, expected JSON data or bytes"],
        ["NaN", NaN, "numbers must be finite"],
        ["a BigInt past u64", 2n ** 64n, "a BigInt outside i64::MIN..u64::MAX is no JSON number"],
      ];
      for (const [what, value, why] of rows) {
        const error = await failure(() => llm.invoke([{ role: "user", content: [{ type: "text", text: "hi", extra: value }] }]), what);
        assert.ok(error instanceof TypeError, `${what}: ${error}`);
        assert.equal(error.message, `messages is not message data: ${why}`, `${what}: message`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "a custom fetch that never settles (and ignores the signal), with timeout 300, is a TimeoutError within ~1 s (invoke and stream)",
    async run(ctx) {
      const llm = llmFor(ctx, { fetch: neverSettlingFetch });
      for (const operation of ["invoke", "stream"]) {
        const { error, ms } = await failureWithin(() => (operation === "invoke" ? llm.invoke(HELLO, { timeout: 300 }) : llm.stream(HELLO, { timeout: 300 })), operation, 3000);
        assertBedrockError(ctx, error, { name: "TimeoutError" });
        assert.ok(ms >= 250 && ms < 1000, `${operation}: rejected after ${ms} ms`);
        assert.equal(error.cause?.name, "TimeoutError", `${operation}: the cause is the timeout signal's reason`);
      }
    },
  },
  {
    name: "a one-letter API key is redacted only where it stands alone: \"Too many requests\" stays whole, \"Bearer e\" becomes \"Bearer ** redacted **\"",
    async run(ctx) {
      const rows = [
        [answering(429, "ThrottlingException", "Too many requests, please wait before trying again."), "ThrottlingException", "Too many requests, please wait before trying again."],
        [answering(400, "ValidationException", "The key e is not valid (Bearer e)."), "ValidationException", `The key ${REDACTED} is not valid (Bearer ${REDACTED}).`],
      ];
      for (const [fetchFn, name, message] of rows) {
        for (const operation of ["invoke", "stream"]) {
          const llm = llmFor(ctx, { credentials: undefined, apiKey: "e", fetch: fetchFn, maxRetries: 0 });
          const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), `${name} ${operation}`);
          assertBedrockError(ctx, error, { name });
          assert.equal(error.message, message, `${name} ${operation}: message`);
        }
      }
    },
  },

  // ----- the fault matrix ------------------------------------------------------------------------
  ...FAULT_MATRIX.map(matrixCase),
  {
    name: "fault matrix table (printed)",
    async run() {
      const text = printMatrix();
      assert.ok(text.length > 0, "empty table");
    },
  },

  // ----- timeouts and cancellation ---------------------------------------------------------------
  {
    name: "streamIdleTimeout: a slow-drip gap longer than it is a TimeoutError; a steady slower stream within it completes",
    failsBodyMidRead: true,
    async run(ctx) {
      const { llm, route } = routedModel(ctx, { streamIdleTimeout: 200 });
      route.model = "fault:slow-drip:600";
      const started = Date.now();
      const { chunks, error } = await collectUntilError(llm.stream(SEED));
      const ms = Date.now() - started;
      assertBedrockError(ctx, error, { name: "TimeoutError" });
      assert.equal(chunks.length, 0, "chunks before the idle timeout");
      assert.ok(ms < 1000, `the idle timeout took ${ms} ms`);
      route.model = "fault:slow-drip:100";
      const slow = await collect(llm.stream(SEED, { streamIdleTimeout: 1000 }));
      assert.equal(joinText(slow), SEED_ANSWER, "a stream with 100 ms gaps under streamIdleTimeout 1000");
      await assertStillServes(llm, route, "after the idle timeout");
    },
  },
  {
    name: "timeout 300 on fault:slow-drip:1000 is a TimeoutError within ~1 s (invoke and stream, per call and constructor)",
    failsBodyMidRead: true,
    async run(ctx) {
      const model = "fault:slow-drip:1000";
      const perCall = llmFor(ctx, { model });
      const viaConstructor = llmFor(ctx, { model, timeout: 300 });
      const attempts = [
        ["invoke, per call", () => perCall.invoke(HELLO, { timeout: 300 })],
        ["stream, per call", () => perCall.stream(HELLO, { timeout: 300 })],
        ["invoke, constructor", () => viaConstructor.invoke(HELLO)],
        ["stream, constructor", () => viaConstructor.stream(HELLO)],
      ];
      for (const [what, fn] of attempts) {
        const { error, ms } = await timedFailure(fn, what);
        assertBedrockError(ctx, error, { name: "TimeoutError" });
        assert.ok(ms >= 250 && ms < 1000, `${what}: rejected after ${ms} ms`);
      }
    },
  },
  {
    name: "timeout covers the retries: flaky:20:throttle with maxRetries 10 and timeout 300 is a TimeoutError",
    async run(ctx) {
      const model = "fault:flaky:20:throttle";
      await clearRequests(ctx);
      const { error, ms } = await timedFailure(() => llmFor(ctx, { model, maxRetries: 10 }).invoke(HELLO, { timeout: 300 }), "invoke");
      assertBedrockError(ctx, error, { name: "TimeoutError" });
      assert.ok(ms < 1000, `rejected after ${ms} ms`);
      const { error: streamError, ms: streamMs } = await timedFailure(() => llmFor(ctx, { model, maxRetries: 10, timeout: 300 }).stream(HELLO), "stream");
      assertBedrockError(ctx, streamError, { name: "TimeoutError" });
      assert.ok(streamMs < 1000, `stream rejected after ${streamMs} ms`);
    },
  },
  {
    name: "aborting during a retry backoff (flaky:5:throttle) rejects promptly with AbortError",
    async run(ctx) {
      const model = "fault:flaky:5:throttle";
      for (const operation of ["invoke", "stream"]) {
        const controller = new AbortController();
        const llm = llmFor(ctx, { model, maxRetries: 10 });
        const pending = failure(() => (operation === "invoke" ? llm.invoke(HELLO, { signal: controller.signal }) : llm.stream(HELLO, { signal: controller.signal })), operation);
        await sleep(150);
        const abortedAt = Date.now();
        controller.abort();
        const error = await pending;
        const ms = Date.now() - abortedAt;
        assertBedrockError(ctx, error, { name: "AbortError" });
        assert.ok(ms < 250, `${operation}: rejected ${ms} ms after abort()`);
      }
    },
  },
  {
    name: "breaking out of for-await 50 times in a row on slow-drip streams leaves no connection open",
    failsBodyMidRead: true,
    async run(ctx) {
      const llm = llmFor(ctx, { model: "fault:slow-drip:80" });
      for (let i = 0; i < 50; i++) {
        let seen = 0;
        for await (const _chunk of llm.stream(HELLO)) {
          seen += 1;
          break;
        }
        assert.equal(seen, 1, `iteration ${i}: chunks seen`);
      }
      const open = await openConnectionsAfter(ctx, 1500);
      assert.equal(open, 0, "GET /_emulator/connections open");
    },
  },

  // ----- credential providers ----------------------------------------------------------------------
  {
    name: "a credentials provider that throws is a CredentialsProviderError; nothing is sent",
    async run(ctx) {
      for (const operation of ["invoke", "stream"]) {
        const llm = llmFor(ctx, { credentials: () => { throw new Error("no credentials configured here"); } });
        await clearRequests(ctx);
        const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), operation);
        assertBedrockError(ctx, error, { name: "CredentialsProviderError", retryable: false });
        assert.equal((await sentRequests(ctx)).length, 0, `${operation}: requests sent`);
        const rejecting = llmFor(ctx, { credentials: async () => {
          // A throw in an async function rejects its own promise; returning Promise.reject(…)
          // would create a second, briefly unhandled promise that workerd reports by itself.
          throw new Error("provider rejected");
        } });
        const rejected = await failure(() => (operation === "invoke" ? rejecting.invoke(HELLO) : rejecting.stream(HELLO)), `${operation}, rejecting`);
        assertBedrockError(ctx, rejected, { name: "CredentialsProviderError", retryable: false });
        assert.equal((await sentRequests(ctx)).length, 0, `${operation}, rejecting: requests sent`);
      }
    },
  },
  {
    name: "a credentials provider returning garbage is a CredentialsProviderError; nothing is sent or leaked",
    async run(ctx) {
      const garbage = [42, null, "AKIDEXAMPLE", { accessKeyId: CREDENTIALS.accessKeyId }, { accessKeyId: 7, secretAccessKey: CREDENTIALS.secretAccessKey },
        { ...TEMP_CREDENTIALS, expiration: "not a date" }, { ...TEMP_CREDENTIALS, expiration: { at: "noon" } }];
      for (const value of garbage) {
        for (const operation of ["invoke", "stream"]) {
          const what = `${operation} with a provider returning ${JSON.stringify(value)}`;
          const llm = llmFor(ctx, { credentials: async () => value });
          await clearRequests(ctx);
          const error = await failure(() => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO)), what);
          assertBedrockError(ctx, error, { name: "CredentialsProviderError", retryable: false });
          assert.equal((await sentRequests(ctx)).length, 0, `${what}: requests sent`);
          assertSecretsAbsent(errorText(error), what);
        }
      }
    },
  },
  {
    name: "a credentials provider that never resolves, with timeout 300, is a TimeoutError within ~1 s",
    async run(ctx) {
      const llm = llmFor(ctx, { credentials: () => new Promise(() => {}) });
      await clearRequests(ctx);
      for (const operation of ["invoke", "stream"]) {
        // Node does not wait for AbortSignal.timeout's timer alone: keep the event loop alive
        // (and bound the wait) with a timer of our own.
        let guard;
        const outcome = timedFailure(() => (operation === "invoke" ? llm.invoke(HELLO, { timeout: 300 }) : llm.stream(HELLO, { timeout: 300 })), operation);
        const limit = new Promise((resolve) => {
          guard = setTimeout(resolve, 3000, { error: new Error("still pending after 3000 ms"), ms: 3000 });
        });
        const { error, ms } = await Promise.race([outcome, limit]).finally(() => clearTimeout(guard));
        assertBedrockError(ctx, error, { name: "TimeoutError" });
        assert.ok(ms < 1000, `${operation}: rejected after ${ms} ms`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "String(llm), JSON.stringify(llm), and Node's util.inspect(llm) show no secret",
    async run(ctx) {
      const views = [];
      for (const options of [{ credentials: TEMP_CREDENTIALS }, { credentials: undefined, apiKey: UNKNOWN_API_KEY }]) {
        const llm = llmFor(ctx, options);
        views.push(String(llm), JSON.stringify(llm));
        // util.inspect exists only in Node; elsewhere String and JSON are the views there are.
        if (ctx.runtime === "node") {
          const nodeUtil = "node:util"; // not a literal: the workerd and browser bundles skip it
          const { inspect } = await import(nodeUtil);
          views.push(inspect(llm, { showHidden: true, depth: 5 }));
        }
      }
      assert.equal(views.length, ctx.runtime === "node" ? 6 : 4, "views taken");
      for (const view of views) {
        assertSecretsAbsent(view, "a view of the model");
        assert.ok(!view.includes(UNKNOWN_API_KEY), `a view of the model shows the API key: ${view}`);
      }
    },
  },
  // ----- credential sources and the provider cache -------------------------------------------------
  {
    name: "a credentials provider is called once per model: invoke, stream, invoke → 1 provider call, 3 requests signed with its key",
    async run(ctx) {
      let calls = 0;
      const llm = llmFor(ctx, { credentials: async () => (calls++, TEMP_CREDENTIALS) });
      await clearRequests(ctx);
      assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, "first invoke");
      assert.equal(joinText(await collect(llm.stream(HELLO))), HELLO_ANSWER, "stream");
      assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, "second invoke");
      assert.equal(calls, 1, "provider calls");
      const requests = await sentRequests(ctx);
      assert.equal(requests.length, 3, "requests sent");
      requests.forEach((request, k) => assertSignedWith(request, TEMP_CREDENTIALS, `request ${k + 1}`));
    },
  },
  {
    name: "a provider's expiration 1 minute ahead (inside the 5-minute window) is fetched again on every call (Date, ISO string, epoch ms)",
    async run(ctx) {
      for (const [form, expiration] of expirationForms(60_000)) {
        let calls = 0;
        const llm = llmFor(ctx, { credentials: async () => (calls++, { ...TEMP_CREDENTIALS, expiration: expiration() }) });
        await clearRequests(ctx);
        for (let k = 0; k < 3; k++) assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, `${form}: invoke ${k + 1}`);
        assert.equal(calls, 3, `${form}: provider calls`);
        const requests = await sentRequests(ctx);
        assert.equal(requests.length, 3, `${form}: requests sent`);
        requests.forEach((request, k) => assertSignedWith(request, TEMP_CREDENTIALS, `${form}: request ${k + 1}`));
      }
    },
  },
  {
    name: "a provider's expiration 1 hour ahead is called once for 3 calls (Date, ISO string, epoch ms)",
    async run(ctx) {
      for (const [form, expiration] of expirationForms(3_600_000)) {
        let calls = 0;
        const llm = llmFor(ctx, { credentials: async () => (calls++, { ...TEMP_CREDENTIALS, expiration: expiration() }) });
        await clearRequests(ctx);
        assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, `${form}: invoke`);
        assert.equal(joinText(await collect(llm.stream(HELLO))), HELLO_ANSWER, `${form}: stream`);
        assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, `${form}: invoke again`);
        assert.equal(calls, 1, `${form}: provider calls`);
        const requests = await sentRequests(ctx);
        assert.equal(requests.length, 3, `${form}: requests sent`);
        requests.forEach((request, k) => assertSignedWith(request, TEMP_CREDENTIALS, `${form}: request ${k + 1}`));
      }
    },
  },
  {
    name: "a provider that rejects: CredentialsProviderError with its message and cause, nothing sent; the next call asks again and succeeds",
    async run(ctx) {
      for (const operation of ["invoke", "stream"]) {
        let calls = 0;
        const thrown = new Error("STS is unavailable");
        const llm = llmFor(ctx, { credentials: async () => {
          calls++;
          if (calls === 1) throw thrown;
          return { ...TEMP_CREDENTIALS, expiration: new Date(Date.now() + 3_600_000) };
        } });
        await clearRequests(ctx);
        const run = () => (operation === "invoke" ? llm.invoke(HELLO) : llm.stream(HELLO));
        const error = await failure(run, operation);
        assertBedrockError(ctx, error, { name: "CredentialsProviderError", retryable: false });
        assert.ok(error.message.includes("STS is unavailable"), `${operation}: message ${JSON.stringify(error.message)}`);
        assert.ok(error.cause === thrown, `${operation}: the error's cause is what the provider threw`);
        assert.equal((await sentRequests(ctx)).length, 0, `${operation}: requests sent after the failure`);
        const text = operation === "invoke" ? (await llm.invoke(HELLO)).text : joinText(await collect(llm.stream(HELLO)));
        assert.equal(text, HELLO_ANSWER, `${operation}: the next call's text`);
        assert.equal(calls, 2, `${operation}: the failure was not kept: provider calls`);
        const requests = await sentRequests(ctx);
        assert.equal(requests.length, 1, `${operation}: requests sent after the retry`);
        assertSignedWith(requests[0], TEMP_CREDENTIALS, operation);
      }
    },
  },
  {
    name: "5 concurrent invokes (and 2 streams) while the provider is answering share one provider call",
    async run(ctx) {
      let calls = 0;
      const llm = llmFor(ctx, { credentials: async () => {
        calls++;
        await sleep(50);
        return TEMP_CREDENTIALS;
      } });
      await clearRequests(ctx);
      const texts = await Promise.all([
        ...Array.from({ length: 5 }, () => llm.invoke(HELLO).then((m) => m.text)),
        ...Array.from({ length: 2 }, () => collect(llm.stream(HELLO)).then(joinText)),
      ]);
      assert.deepEqual(texts, Array(7).fill(HELLO_ANSWER), "texts");
      assert.equal(calls, 1, "provider calls");
      const requests = await sentRequests(ctx);
      assert.equal(requests.length, 7, "requests sent");
      requests.forEach((request, k) => assertSignedWith(request, TEMP_CREDENTIALS, `request ${k + 1}`));
    },
  },
  {
    name: "cached credentials whose token expired (ExpiredTokenException): the cache is dropped, the provider called again, then reused",
    async run(ctx) {
      let calls = 0;
      // Both answers say they are good for an hour: only the service's 403 makes the model ask again.
      const expiration = () => new Date(Date.now() + 3_600_000);
      const llm = llmFor(ctx, { credentials: async () => ({ ...(++calls === 1 ? EXPIRED_CREDENTIALS : TEMP_CREDENTIALS), expiration: expiration() }) });
      await clearRequests(ctx);
      assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, "invoke");
      assert.equal(calls, 2, "provider calls after the refresh");
      let requests = await sentRequests(ctx);
      assert.deepEqual(requests.map((r) => r.status), [403, 200], "statuses");
      assertSignedWith(requests[0], EXPIRED_CREDENTIALS, "first attempt");
      assertSignedWith(requests[1], TEMP_CREDENTIALS, "retry");
      await clearRequests(ctx);
      assert.equal(joinText(await collect(llm.stream(HELLO))), HELLO_ANSWER, "later stream");
      assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, "later invoke");
      assert.equal(calls, 2, "the fresh credentials are reused: provider calls");
      requests = await sentRequests(ctx);
      assert.deepEqual(requests.map((r) => r.status), [200, 200], "later statuses");
      requests.forEach((request, k) => assertSignedWith(request, TEMP_CREDENTIALS, `later request ${k + 1}`));
    },
  },
  {
    name: "precedence with an env object: AWS_BEARER_TOKEN_BEDROCK beats env access keys; the apiKey and credentials options beat env",
    async run(ctx) {
      const envKeys = { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey };
      const tempEnvKeys = {
        AWS_ACCESS_KEY_ID: TEMP_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEMP_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: TEMP_CREDENTIALS.sessionToken,
      };
      const rows = [
        ["env: bearer token and access keys → bearer", { env: { AWS_BEARER_TOKEN_BEDROCK: EMULATOR_API_KEY, ...envKeys } }, "bearer"],
        ["env: access keys and session token → SigV4", { env: tempEnvKeys }, TEMP_CREDENTIALS],
        ["env: an empty bearer token counts as unset → SigV4", { env: { AWS_BEARER_TOKEN_BEDROCK: "", ...envKeys } }, CREDENTIALS],
        ["credentials option beats the env bearer token", { credentials: CREDENTIALS, env: { AWS_BEARER_TOKEN_BEDROCK: UNKNOWN_API_KEY } }, CREDENTIALS],
        ["credentials option never takes env AWS_SESSION_TOKEN", { credentials: CREDENTIALS, env: { AWS_SESSION_TOKEN: TEMP_CREDENTIALS.sessionToken } }, CREDENTIALS],
        ["a provider beats env access keys", { credentials: async () => TEMP_CREDENTIALS, env: envKeys }, TEMP_CREDENTIALS],
        ["apiKey option beats the credentials option and env", { apiKey: EMULATOR_API_KEY, credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: WRONG_SECRET }, env: { AWS_BEARER_TOKEN_BEDROCK: UNKNOWN_API_KEY, ...envKeys } }, "bearer"],
      ];
      for (const [what, options, expected] of rows) {
        const llm = llmFor(ctx, { credentials: undefined, ...options });
        assert.equal(llm.toJSON().auth, expected === "bearer" ? "apiKey" : "sigv4", `${what}: toJSON().auth`);
        await clearRequests(ctx);
        assert.equal((await llm.invoke(HELLO)).text, HELLO_ANSWER, `${what}: text`);
        const [request, ...more] = await sentRequests(ctx);
        assert.equal(more.length, 0, `${what}: requests sent`);
        if (expected === "bearer") {
          // The log redacts the key; the emulator answers 200 only to EMULATOR_API_KEY.
          assert.ok(header(request, "authorization")?.startsWith("Bearer "), `${what}: authorization ${header(request, "authorization")}`);
          assert.equal(request.status, 200, `${what}: status`);
          assert.equal(header(request, "x-amz-date"), undefined, `${what}: no SigV4 headers`);
        } else {
          assertSignedWith(request, expected, what);
        }
      }
    },
  },
  {
    name: "no credentials anywhere: a ConfigError at construction that names the places it looked; nothing is sent",
    async run(ctx) {
      await clearRequests(ctx);
      const places = ["apiKey and credentials options", "AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"];
      const construct = (options) => () => llmFor(ctx, { credentials: undefined, ...options });
      const fromOption = assert.throws(construct({ env: { AWS_REGION: "us-east-1" } }), "an env option without credentials");
      assertBedrockError(ctx, fromOption, { name: "ConfigError", retryable: false });
      for (const part of [...places, "in the env option"]) {
        assert.ok(fromOption.message.includes(part), `message ${JSON.stringify(fromOption.message)} lacks ${JSON.stringify(part)}`);
      }
      const half = assert.throws(construct({ env: { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId } }), "only AWS_ACCESS_KEY_ID");
      assertBedrockError(ctx, half, { name: "ConfigError" });
      assert.ok(half.message.includes("AWS_SECRET_ACCESS_KEY is not"), `message ${JSON.stringify(half.message)}`);
      // Without an env option the model reads process.env where there is one.
      const processEnv = globalThis.process?.env;
      const vars = ["AWS_BEARER_TOKEN_BEDROCK", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
      if (processEnv === undefined || vars.every((name) => !processEnv[name])) {
        const none = assert.throws(construct({}), "no env option");
        assertBedrockError(ctx, none, { name: "ConfigError" });
        const where = processEnv === undefined ? "no env option and no process.env" : "in process.env";
        for (const part of [...places, where]) {
          assert.ok(none.message.includes(part), `message ${JSON.stringify(none.message)} lacks ${JSON.stringify(part)}`);
        }
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "clear text: an http:// endpoint (option or env) to a host other than this machine is a TypeError naming it, unless allowInsecureEndpoint; loopback is fine",
    async run(ctx) {
      await clearRequests(ctx);
      const classes = [ctx.pkg.ChatBedrockConverse, ctx.pkg.ChatBedrock, ctx.pkg.ChatAnthropicBedrock];
      const refused = [
        [{ endpoint: "http://proxy.example.com", apiKey: EMULATOR_API_KEY }, "endpoint is http:// to proxy.example.com"],
        [{ endpoint: "http://127.0.0.1.example.com:8080", credentials: CREDENTIALS }, "endpoint is http:// to 127.0.0.1.example.com"],
        [{ env: { AWS_ENDPOINT_URL: "http://10.0.0.5:4566", AWS_BEARER_TOKEN_BEDROCK: EMULATOR_API_KEY } }, "AWS_ENDPOINT_URL in the env option is http:// to 10.0.0.5"],
      ];
      for (const Class of classes) {
        for (const [options, start] of refused) {
          const error = assert.throws(() => new Class({ model: MODEL, region: "us-east-1", ...options }), `${Class.name} ${start}`);
          assert.ok(error instanceof TypeError, `${Class.name}: TypeError, got ${error?.name}`);
          assert.ok(error.message.startsWith(start) && error.message.includes("allowInsecureEndpoint: true"), `${Class.name}: ${error.message}`);
          assertSecretsAbsent(errorText(error), "clear-text refusal");
        }
        for (const endpoint of ["http://localhost:4010", "http://127.0.0.9", "http://[::1]:4566/base", "https://proxy.example.com"]) {
          new Class({ model: MODEL, region: "us-east-1", endpoint, credentials: CREDENTIALS });
        }
        const notBool = assert.throws(() => new Class({ model: MODEL, region: "us-east-1", endpoint: "http://proxy.example.com", allowInsecureEndpoint: "yes", credentials: CREDENTIALS }), "allowInsecureEndpoint type");
        assert.ok(notBool instanceof TypeError && notBool.message === "allowInsecureEndpoint must be a boolean", notBool.message);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "nothing sent");
      // Opted in: the call goes to the plain-HTTP proxy (here a fetch that hands it to the emulator).
      const seen = [];
      const proxy = (input, init) => {
        const url = new URL(typeof input === "string" ? input : input.url);
        seen.push(url.origin);
        return fetch(`${ctx.emulatorUrl}${url.pathname}`, init);
      };
      const llm = new ctx.pkg.ChatBedrockConverse({ model: MODEL, region: "us-east-1", endpoint: "http://proxy.example.com", allowInsecureEndpoint: true, apiKey: EMULATOR_API_KEY, fetch: proxy });
      const answer = await llm.invoke(SEED);
      assert.equal(answer.content, SEED_ANSWER, "answer");
      assert.deepEqual(seen, ["http://proxy.example.com"], "sent to the proxy");
      const [request] = await sentRequests(ctx);
      assert.ok(/^Bearer /.test(request.headers.authorization), `the API key was sent: ${request.headers.authorization}`);
    },
  },
  {
    // The wasm side holds no function of the caller's between calls: one that reaches its model
    // would make a cycle through wasm that the garbage collector cannot see, and the model (about
    // 750 B of wasm memory) would never be freed. Before that fix this grew 7 MiB.
    name: "10,000 models made and dropped, each with a fetch and a credentials provider that reach it, leave wasm memory flat; every 100th one invokes or streams",
    async run(ctx) {
      assert.equal(typeof ctx.gc, "function", "the runner gives ctx.gc (V8's --expose-gc)");
      await clearRequests(ctx);
      // FinalizationRegistry callbacks run in tasks after a collection.
      const collectGarbage = async () => {
        for (let i = 0; i < 3; i++) {
          ctx.gc();
          await sleep(0);
        }
      };
      const wrong = [];
      let fetched = 0;
      let asked = 0;
      const model = async (i) => {
        let llm = null;
        llm = new ctx.pkg.ChatBedrockConverse({
          model: MODEL,
          region: "us-east-1",
          endpoint: ctx.emulatorUrl,
          credentials: async () => {
            if (llm !== null) asked++;
            return CREDENTIALS;
          },
          fetch: (input, init) => {
            if (llm !== null) fetched++;
            return fetch(input, init);
          },
        });
        if (i % 100 !== 0) return;
        const text = i % 200 === 0 ? (await llm.invoke(`model ${i}`)).text : joinText(await collect(llm.stream(`model ${i}`)));
        if (text !== `Echo: model ${i}`) wrong.push(`${i}: ${JSON.stringify(text)}`);
      };
      // The allocator's working set first.
      for (let i = 1; i <= 500; i++) await model(i);
      await collectGarbage();
      const before = ctx.pkg.wasmMemoryBytes();
      for (let i = 501; i <= 10_500; i++) {
        await model(i);
        if (i % 1000 === 0) await collectGarbage();
      }
      await collectGarbage();
      const grown = ctx.pkg.wasmMemoryBytes() - before;
      assert.deepEqual(wrong, [], "answers");
      assert.equal(fetched, 105, "calls through the models' fetch");
      assert.equal(asked, 105, "calls of the models' credentials providers");
      // The emulator keeps the last 100 requests: the last 100 calls, signed with the provider's key.
      const requests = await sentRequests(ctx);
      assert.equal(requests.length, 100, "requests logged");
      requests.forEach((request, k) => {
        const i = 10_500 - (99 - k) * 100;
        assert.equal(request.operation, i % 200 === 0 ? "Converse" : "ConverseStream", `request ${i}: operation`);
        assert.equal(request.body.messages[0].content[0].text, `model ${i}`, `request ${i}: text`);
        assert.ok(request.headers.authorization?.includes(`Credential=${CREDENTIALS.accessKeyId}/`), `request ${i}: signed`);
      });
      assert.ok(grown <= 1024 * 1024, `wasm memory grew ${grown} B over 10,000 models (at most 1 MiB)`);
    },
  },
];

/** All reliability cases for this run. */
export function allCases() {
  return cases;
}

/** Runs the reliability cases in order (workerd and Chromium use runCaseList over all suites). */
export function runCases(ctx, only) {
  return runCaseList(ctx, allCases(ctx), only);
}
