// End-to-end cases of `countTokens` (Bedrock's CountTokens, `POST /model/{id}/count-tokens`) on
// the three classes, and of `bedrock-edge/langchain`'s token counting through LangChain's
// `trimMessages`. Web-standard globals only; run in Node, workerd and Chromium next to the other
// suites. Every case checks the request the emulator got (or that none was sent) and the answer.
import { AIMessage, HumanMessage, SystemMessage, trimMessages } from "@langchain/core/messages";
import { ChatAnthropicBedrock as LangChainAnthropic } from "bedrock-edge/langchain";
import * as assert from "./assert.mjs";
import { CREDENTIALS, MODEL, SEED, assertBedrockError, clearRequests, failure, runCaseList, sentRequests } from "./suite-helpers.mjs";

const TOOLS = [{ name: "get_weather", description: "Weather in a city", schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }];
const base64ToText = (text) => new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));

const modelOf = (ctx, Class, options = {}) =>
  new Class({ model: MODEL, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS, ...options });

/** Runs `call` on fresh request logs; its result and the requests the emulator saw. */
async function requestsOf(ctx, call) {
  await clearRequests(ctx);
  const result = await call();
  return { result, requests: await sentRequests(ctx) };
}

export const cases = [
  {
    name: "countTokens (ChatBedrockConverse): CountTokens over the Converse request invoke sends (messages, system, toolConfig, additionalModelRequestFields only); the count is invoke's input_tokens",
    async run(ctx) {
      const llm = modelOf(ctx, ctx.pkg.ChatBedrockConverse, { maxTokens: 50, temperature: 0.2, topK: 5 }).bindTools(TOOLS);
      const invoked = await requestsOf(ctx, () => llm.invoke(SEED));
      const counted = await requestsOf(ctx, () => llm.countTokens(SEED));
      assert.equal(counted.requests.length, 1, "one request");
      const [request] = counted.requests;
      assert.equal(request.path, `/model/${encodeURIComponent(MODEL)}/count-tokens`, "path");
      const sent = invoked.requests[0].body;
      assert.deepEqual(request.body, {
        input: { converse: { messages: sent.messages, system: sent.system, toolConfig: sent.toolConfig, additionalModelRequestFields: { top_k: 5 } } },
      }, "the invoke request's countable members, and nothing else");
      assert.ok(sent.inferenceConfig && !("inferenceConfig" in request.body.input.converse), "inferenceConfig is not sent");
      assert.type(counted.result, "number", "a number");
      assert.equal(counted.result, invoked.result.usage_metadata.input_tokens, "the tokens invoke is charged");
      // A call's own settings count too, as they would be sent.
      const plain = await requestsOf(ctx, () => modelOf(ctx, ctx.pkg.ChatBedrockConverse).countTokens("Hello there world"));
      assert.deepEqual(plain.requests[0].body, { input: { converse: { messages: [{ role: "user", content: [{ text: "Hello there world" }] }] } } }, "a string is one human message");
      assert.equal(plain.result, 3, "three words");
    },
  },
  {
    name: "countTokens (ChatAnthropicBedrock, ChatBedrock): CountTokens over the native body invoke sends, base64-encoded; the count is invoke's input_tokens",
    async run(ctx) {
      for (const Class of [ctx.pkg.ChatAnthropicBedrock, ctx.pkg.ChatBedrock]) {
        const llm = modelOf(ctx, Class, { maxTokens: 64 });
        const invoked = await requestsOf(ctx, () => llm.invoke(SEED));
        const counted = await requestsOf(ctx, () => llm.countTokens(SEED));
        assert.equal(counted.requests.length, 1, `${Class.name}: one request`);
        const [request] = counted.requests;
        assert.ok(request.path.endsWith("/count-tokens"), `${Class.name}: path ${request.path}`);
        assert.deepEqual(Object.keys(request.body.input), ["invokeModel"], `${Class.name}: input.invokeModel`);
        assert.deepEqual(JSON.parse(base64ToText(request.body.input.invokeModel.body)), invoked.requests[0].body, `${Class.name}: the native body, base64`);
        assert.equal(counted.result, invoked.result.usage_metadata.input_tokens, `${Class.name}: the tokens invoke is charged`);
      }
    },
  },
  {
    name: "countTokens: a cross-region profile id counts with its foundation model; a model CountTokens does not take is Bedrock's ValidationException; bad input is a TypeError with nothing sent",
    async run(ctx) {
      const profile = modelOf(ctx, ctx.pkg.ChatBedrockConverse, { model: `us.${MODEL}` });
      const { result, requests } = await requestsOf(ctx, () => profile.countTokens("one two"));
      assert.equal(requests[0].path, `/model/${encodeURIComponent(MODEL)}/count-tokens`, "the foundation model's path");
      assert.equal(result, 2, "count");
      await clearRequests(ctx);
      const nova = modelOf(ctx, ctx.pkg.ChatBedrock, { model: "amazon.nova-lite-v1:0" });
      const error = await failure(() => nova.countTokens("Hi"), "Nova");
      assertBedrockError(ctx, error, { name: "ValidationException", status: 400, retryable: false });
      assert.equal(error.message, "The provided model doesn't support counting tokens.", "Bedrock's message");
      assert.equal((await sentRequests(ctx)).length, 1, "not retried");
      await clearRequests(ctx);
      const llm = modelOf(ctx, ctx.pkg.ChatBedrockConverse);
      for (const [input, options, field] of [[[{ role: "robot", content: "x" }], undefined, "role"], ["Hi", { temprature: 1 }, "temprature"], ["Hi", "fast", "call options"]]) {
        const bad = await failure(() => llm.countTokens(input, options), field);
        assert.ok(bad instanceof TypeError && bad.message.includes(field), `${field}: TypeError naming it, got ${bad.name}: ${bad.message}`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "nothing sent");
    },
  },
  {
    name: "langchain token counting: trimMessages with the model as tokenCounter counts each message once through CountTokens",
    async run(ctx) {
      const llm = modelOf(ctx, LangChainAnthropic);
      const history = [
        new SystemMessage("be brief"),
        new HumanMessage("one two three four"),
        new AIMessage("five six seven"),
        new HumanMessage("eight nine"),
      ];
      await clearRequests(ctx);
      const kept = await trimMessages(history, { maxTokens: 7, tokenCounter: llm, strategy: "last", includeSystem: true });
      assert.deepEqual(kept.map((m) => m.content), ["be brief", "five six seven", "eight nine"], "kept messages");
      const requests = await sentRequests(ctx);
      assert.ok(requests.every((r) => r.path.endsWith("/count-tokens")), "CountTokens requests");
      assert.equal(requests.length, history.length, "one count per message");
      const texts = requests.map((r) => JSON.parse(base64ToText(r.body.input.invokeModel.body)).messages[0].content);
      assert.deepEqual(texts.map((c) => (typeof c === "string" ? c : c.map((b) => b.text).join(""))).sort(), history.map((m) => m.content).sort(), "each message's content counted");
      await clearRequests(ctx);
      await trimMessages(history, { maxTokens: 7, tokenCounter: llm, strategy: "last", includeSystem: true });
      assert.equal((await sentRequests(ctx)).length, 0, "counts are remembered");
      assert.equal(await llm.getNumTokens(""), 0, "empty content is 0");
      assert.equal(await llm.countTokens([new HumanMessage("a b c")]), 3, "countTokens on the LangChain model");
    },
  },
];

/** The cases; `ctx` is the runner's (only `emulatorUrl` and `pkg` are read). */
export const allCases = () => cases;

/** Runs every case; returns [{ name, ok, error?, ms }]. */
export const runSuite = (ctx, only) => runCaseList(ctx, cases, only);
