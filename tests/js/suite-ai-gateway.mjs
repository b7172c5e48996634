// End-to-end cases of the `aiGateway` option (Cloudflare AI Gateway) on the three classes and in
// `bedrock-edge/langchain`, against the emulator's gateway route (emulator/gateway.mjs): signed
// for Bedrock's own URL and sent to the gateway, API keys, BYOK, the token, the cache and metadata
// headers, stream and countTokens, the gateway's own errors, and bad options. Web-standard
// globals only; run in Node, workerd and Chromium next to the other suites. Every case checks the
// request the emulator got (or that none was sent) and the answer.
import { ChatBedrockConverse as LangChainConverse } from "bedrock-edge/langchain";
import * as assert from "./assert.mjs";
import {
  CREDENTIALS, EMULATOR_API_KEY, GATEWAY_TOKEN, MODEL, SEED, SEED_ANSWER, WRONG_GATEWAY_TOKEN,
  assertBedrockError, clearRequests, collect, errorText, failure, joinText, runCaseList, sentRequests,
} from "./suite-helpers.mjs";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const MODEL_PATH = (operation, model = MODEL) => `/model/${encodeURIComponent(model)}/${operation}`;
const gatewayPath = (gateway, operation, model) => `/v1/${ACCOUNT}/${gateway}/aws-bedrock/bedrock-runtime/us-east-1${MODEL_PATH(operation, model)}`;
const NATIVE = "meta.llama3-8b-instruct-v1:0";

/** A model of `Class` through gateway `gatewayId` at the emulator; `aiGateway` members and options added. */
const modelOf = (ctx, Class, { gateway = {}, ...options } = {}) =>
  new Class({
    model: MODEL, region: "us-east-1", credentials: CREDENTIALS,
    aiGateway: { accountId: ACCOUNT, gatewayId: "my-gateway", baseUrl: ctx.emulatorUrl, ...gateway },
    ...options,
  });

/** Runs `call` on fresh request logs; its result and the requests the emulator saw. */
async function requestsOf(ctx, call) {
  await clearRequests(ctx);
  const result = await call();
  return { result, requests: await sentRequests(ctx) };
}

const awsHeaders = (headers) => Object.keys(headers).filter((name) => name === "authorization" || name.startsWith("x-amz-"));
const gatewayHeaders = (headers) => Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith("cf-aig-")));

export const cases = [
  {
    name: "aiGateway (signed): each class signs for Bedrock's own URL and sends to the gateway's Bedrock route; toJSON shows the gateway URL and no secret",
    async run(ctx) {
      for (const [Class, operation, options] of [
        [ctx.pkg.ChatBedrockConverse, "converse", {}],
        [ctx.pkg.ChatAnthropicBedrock, "invoke", {}],
        [ctx.pkg.ChatBedrock, "invoke", { model: NATIVE }],
      ]) {
        const llm = modelOf(ctx, Class, options);
        const { result, requests } = await requestsOf(ctx, () => llm.invoke(SEED));
        assert.equal(requests.length, 1, `${Class.name}: one request`);
        const [request] = requests;
        assert.equal(request.path, gatewayPath("my-gateway", operation, options.model), `${Class.name}: the gateway path`);
        assert.equal(request.status, 200, `${Class.name}: the emulator checked the signature against bedrock-runtime.us-east-1.amazonaws.com`);
        assert.ok(request.headers.authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), `${Class.name}: SigV4`);
        assert.deepEqual(gatewayHeaders(request.headers), {}, `${Class.name}: no cf-aig-* header unless asked for`);
        assert.equal(result.content, SEED_ANSWER, `${Class.name}: the answer`);
      }
      const json = JSON.stringify(modelOf(ctx, ctx.pkg.ChatBedrockConverse, { gateway: { token: GATEWAY_TOKEN } }).toJSON());
      assert.ok(json.includes(`"endpoint":"${ctx.emulatorUrl}/v1/${ACCOUNT}/my-gateway/aws-bedrock/bedrock-runtime/us-east-1"`), `toJSON endpoint: ${json}`);
      assert.ok(!json.includes(GATEWAY_TOKEN) && !json.includes(CREDENTIALS.secretAccessKey), "toJSON holds no secret");
    },
  },
  {
    name: "aiGateway (API key): the Bedrock API key is sent as it is, through the gateway",
    async run(ctx) {
      const llm = modelOf(ctx, ctx.pkg.ChatBedrockConverse, { credentials: undefined, apiKey: EMULATOR_API_KEY });
      const { result, requests } = await requestsOf(ctx, () => llm.invoke(SEED));
      assert.equal(requests[0].path, gatewayPath("my-gateway", "converse"), "path");
      assert.equal(requests[0].headers.authorization, "Bearer REDACTED", "the API key as a bearer token (redacted in the log)");
      assert.deepEqual(awsHeaders(requests[0].headers), ["authorization"], "no SigV4 headers");
      assert.equal(result.content, SEED_ANSWER, "answer");
    },
  },
  {
    name: "aiGateway (BYOK): no AWS credentials needed or sent, even with AWS keys in env; each class, stream and countTokens; apiKey/credentials with byok is a TypeError",
    async run(ctx) {
      const env = { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, CF_AIG_TOKEN: GATEWAY_TOKEN };
      for (const [Class, operation, options] of [
        [ctx.pkg.ChatBedrockConverse, "converse", {}],
        [ctx.pkg.ChatAnthropicBedrock, "invoke", {}],
        [ctx.pkg.ChatBedrock, "invoke", { model: NATIVE }],
      ]) {
        for (const withEnv of [{}, { env }]) {
          const byok = { gateway: { gatewayId: "emulator-byok", byok: true, token: withEnv.env ? undefined : GATEWAY_TOKEN }, credentials: undefined, ...withEnv, ...options };
          const llm = modelOf(ctx, Class, byok);
          const { result, requests } = await requestsOf(ctx, () => llm.invoke(SEED));
          const what = `${Class.name}${withEnv.env ? " (keys in env)" : ""}`;
          assert.equal(requests.length, 1, `${what}: one request`);
          assert.equal(requests[0].path, gatewayPath("emulator-byok", operation, options.model), `${what}: path`);
          assert.equal(requests[0].status, 200, `${what}: accepted`);
          assert.deepEqual(awsHeaders(requests[0].headers), [], `${what}: no authorization, no x-amz-* header`);
          assert.equal(requests[0].headers["cf-aig-authorization"], "Bearer REDACTED", `${what}: the gateway token`);
          assert.equal(result.content, SEED_ANSWER, `${what}: the answer`);
        }
      }
      const llm = modelOf(ctx, ctx.pkg.ChatBedrockConverse, { gateway: { gatewayId: "emulator-byok", byok: true, token: GATEWAY_TOKEN }, credentials: undefined, env: {} });
      const streamed = await requestsOf(ctx, async () => joinText(await collect(await llm.stream(SEED))));
      assert.equal(streamed.requests[0].path, gatewayPath("emulator-byok", "converse-stream"), "stream path");
      assert.equal(streamed.result, SEED_ANSWER, "streamed answer");
      const counted = await requestsOf(ctx, () => llm.countTokens("one two three"));
      assert.equal(counted.requests[0].path, gatewayPath("emulator-byok", "count-tokens"), "countTokens path");
      assert.equal(counted.result, 3, "count");
      await clearRequests(ctx);
      for (const auth of [{ credentials: CREDENTIALS }, { apiKey: EMULATOR_API_KEY }]) {
        const error = await failure(() => modelOf(ctx, ctx.pkg.ChatBedrockConverse, { gateway: { byok: true }, credentials: undefined, ...auth }), Object.keys(auth)[0]);
        assert.ok(error instanceof TypeError && error.message.includes("aiGateway.byok") && error.message.includes(Object.keys(auth)[0]), `TypeError naming both, got ${error.name}: ${error.message}`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "nothing sent");
    },
  },
  {
    name: "aiGateway token: from the option, else CF_AIG_TOKEN in env, as cf-aig-authorization; the cache and metadata members become their headers",
    async run(ctx) {
      const authenticated = { gatewayId: "emulator-authenticated" };
      for (const [what, options] of [
        ["option", { gateway: { ...authenticated, token: GATEWAY_TOKEN } }],
        ["env", { gateway: authenticated, env: { CF_AIG_TOKEN: GATEWAY_TOKEN } }],
        ["option over env", { gateway: { ...authenticated, token: GATEWAY_TOKEN }, env: { CF_AIG_TOKEN: WRONG_GATEWAY_TOKEN } }],
      ]) {
        const { result, requests } = await requestsOf(ctx, () => modelOf(ctx, ctx.pkg.ChatBedrockConverse, options).invoke(SEED));
        assert.equal(requests[0].status, 200, `${what}: the gateway took the token`);
        assert.equal(requests[0].headers["cf-aig-authorization"], "Bearer REDACTED", `${what}: header`);
        assert.equal(result.content, SEED_ANSWER, `${what}: answer`);
      }
      const llm = modelOf(ctx, ctx.pkg.ChatAnthropicBedrock, { gateway: { cacheTtl: 3600, skipCache: true, metadata: { user: "u-1", team: "ünïcode", n: 7, beta: false } } });
      const { requests } = await requestsOf(ctx, () => llm.invoke(SEED));
      const headers = gatewayHeaders(requests[0].headers);
      assert.deepEqual(Object.keys(headers).sort(), ["cf-aig-cache-ttl", "cf-aig-metadata", "cf-aig-skip-cache"], "headers");
      assert.equal(headers["cf-aig-cache-ttl"], "3600", "cache ttl");
      assert.equal(headers["cf-aig-skip-cache"], "true", "skip cache");
      assert.deepEqual(JSON.parse(headers["cf-aig-metadata"]), { user: "u-1", team: "ünïcode", n: 7, beta: false }, "metadata, the same JSON");
      assert.ok(/^[ -~]*$/.test(headers["cf-aig-metadata"]), "metadata in ASCII");
      assert.equal(requests[0].status, 200, "the signature still holds: cf-aig-* are not signed");
    },
  },
  {
    name: "aiGateway errors: the gateway's own JSON errors are AiGatewayError (401 not retried, 429 retried as throttling); the token is in no message",
    async run(ctx) {
      await clearRequests(ctx);
      const refused = modelOf(ctx, ctx.pkg.ChatBedrockConverse, { gateway: { gatewayId: "emulator-authenticated", token: WRONG_GATEWAY_TOKEN } });
      for (const call of [() => refused.invoke(SEED), () => refused.stream(SEED), () => refused.countTokens(SEED)]) {
        const error = await failure(call, "wrong token");
        assertBedrockError(ctx, error, { name: "AiGatewayError", status: 401, retryable: false });
        assert.equal(error.message, "Cloudflare AI Gateway refused the request with HTTP 401: Unauthorized (code 2009)", "message");
      }
      assert.equal((await sentRequests(ctx)).length, 3, "one request per call: not retried");
      await clearRequests(ctx);
      const limited = modelOf(ctx, ctx.pkg.ChatBedrock, { model: NATIVE, maxRetries: 1, gateway: { gatewayId: "emulator-rate-limited" } });
      const error = await failure(() => limited.invoke(SEED), "rate limited");
      assertBedrockError(ctx, error, { name: "AiGatewayError", status: 429, retryable: true });
      assert.equal((await sentRequests(ctx)).length, 2, "retried once (maxRetries 1)");
      // A gateway that quoted the token back: the message is redacted like every secret.
      const sent = [];
      const echoing = modelOf(ctx, ctx.pkg.ChatBedrockConverse, {
        gateway: { token: WRONG_GATEWAY_TOKEN },
        fetch: async (input, init) => {
          const headers = new Headers(init.headers);
          sent.push({ url: String(input), token: headers.get("cf-aig-authorization") });
          const body = { success: false, result: [], messages: [], error: [{ code: 2009, message: `Unauthorized: ${headers.get("cf-aig-authorization")}` }] };
          return new Response(JSON.stringify(body), { status: 401, headers: { "content-type": "application/json" } });
        },
      });
      const echoed = await failure(() => echoing.invoke(SEED), "echoing gateway");
      assertBedrockError(ctx, echoed, { name: "AiGatewayError", status: 401 });
      assert.equal(sent.length, 1, "one request");
      assert.equal(sent[0].token, `Bearer ${WRONG_GATEWAY_TOKEN}`, "the token was sent");
      assert.ok(sent[0].url.endsWith(gatewayPath("my-gateway", "converse")), `url ${sent[0].url}`);
      assert.equal(echoed.message, "Cloudflare AI Gateway refused the request with HTTP 401: Unauthorized: Bearer ** redacted ** (code 2009)", "redacted");
      assert.ok(!errorText(echoed).includes(WRONG_GATEWAY_TOKEN), "the token is nowhere in the error");
    },
  },
  {
    name: "aiGateway bad options: a TypeError naming the member, nothing sent",
    async run(ctx) {
      await clearRequests(ctx);
      const ids = { accountId: ACCOUNT, gatewayId: "my-gateway" };
      for (const [aiGateway, extra, field] of [
        ["acct/gw", {}, "aiGateway"],
        [{ gatewayId: "g" }, {}, "aiGateway.accountId"],
        [{ ...ids, gatewayId: "../../x" }, {}, "aiGateway.gatewayId"],
        [{ ...ids, tokn: GATEWAY_TOKEN }, {}, "tokn"],
        [{ ...ids, byok: "yes" }, {}, "aiGateway.byok"],
        [{ ...ids, cacheTtl: 5 }, {}, "aiGateway.cacheTtl"],
        [{ ...ids, skipCache: "true" }, {}, "aiGateway.skipCache"],
        [{ ...ids, metadata: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 } }, {}, "aiGateway.metadata"],
        [{ ...ids, metadata: { nested: { a: 1 } } }, {}, "aiGateway.metadata"],
        [{ ...ids, baseUrl: "http://gateway.example.com" }, {}, "aiGateway.baseUrl"],
        [{ ...ids, token: `${GATEWAY_TOKEN}\n` }, {}, "aiGateway.token"],
        [ids, { endpoint: ctx.emulatorUrl }, "endpoint"],
      ]) {
        const error = await failure(() => new ctx.pkg.ChatBedrockConverse({ model: MODEL, region: "us-east-1", credentials: CREDENTIALS, aiGateway, ...extra }), field);
        assert.ok(error instanceof TypeError, `${field}: TypeError, got ${error?.name}: ${error?.message}`);
        assert.ok(error.message.includes(field), `${field}: named in ${JSON.stringify(error.message)}`);
        assert.ok(!error.message.includes(GATEWAY_TOKEN), `${field}: no token in the message`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "nothing sent");
    },
  },
  {
    name: "aiGateway in bedrock-edge/langchain: the option reaches the core (BYOK invoke and stream through the gateway)",
    async run(ctx) {
      const llm = new LangChainConverse({
        model: MODEL, region: "us-east-1", env: {},
        aiGateway: { accountId: ACCOUNT, gatewayId: "emulator-byok", byok: true, token: GATEWAY_TOKEN, baseUrl: ctx.emulatorUrl },
      });
      const { result, requests } = await requestsOf(ctx, () => llm.invoke(SEED));
      assert.equal(requests[0].path, gatewayPath("emulator-byok", "converse"), "path");
      assert.deepEqual(awsHeaders(requests[0].headers), [], "no AWS authorisation");
      assert.equal(result.content, SEED_ANSWER, "answer");
      const streamed = await requestsOf(ctx, async () => (await collect(await llm.stream(SEED))).map((c) => c.content).join(""));
      assert.equal(streamed.requests[0].path, gatewayPath("emulator-byok", "converse-stream"), "stream path");
      assert.equal(streamed.result, SEED_ANSWER, "streamed answer");
    },
  },
];

/** The cases; `ctx` is the runner's (only `emulatorUrl` and `pkg` are read). */
export const allCases = () => cases;

/** Runs every case; returns [{ name, ok, error?, ms }]. */
export const runSuite = (ctx, only) => runCaseList(ctx, cases, only);
