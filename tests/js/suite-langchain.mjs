// End-to-end cases of bedrock-edge/langchain (the BaseChatModel subclasses) with @langchain/core
// itself: the seed's prompt chain, tools, structured output, callbacks, batch, streamEvents, and
// LangChain's own concat of streamed chunks against invoke. Web-standard globals only; run in
// Node, workerd and Chromium next to suite.mjs. Every case checks the request the emulator got.
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage, isAIMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { concat } from "@langchain/core/utils/stream";
import { JsonOutputParser } from "@langchain/core/output_parsers";
import { JsonOutputToolsParser } from "@langchain/core/output_parsers/openai_tools";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { z } from "zod";
import { ChatAnthropicBedrock, ChatBedrock, ChatBedrockConverse } from "bedrock-edge/langchain";
import * as assert from "./assert.mjs";
import { CREDENTIALS, MODEL, SEED_ANSWER, assertBedrockError, clearRequests, failure, runCaseList, sentRequests } from "./suite-helpers.mjs";

const PROMPT = ChatPromptTemplate.fromMessages([
  ["system", "You are a helpful assistant that translates {input_language} to {output_language}."],
  ["human", "{input}"],
]);
const SEED_VARS = { input_language: "English", output_language: "French", input: "I love programming." };
const SEED_SYSTEM = "You are a helpful assistant that translates English to French.";

const CLASSES = { ChatBedrockConverse, ChatBedrock, ChatAnthropicBedrock };
const modelFor = (ctx, Class = ChatBedrockConverse, options = {}) =>
  new Class({ model: MODEL, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS, ...options });

const WEATHER = tool(async ({ city }) => `18C in ${city}`, {
  name: "get_weather",
  description: "Get the weather for a city",
  schema: z.object({ city: z.string().describe("City name"), days: z.number() }),
});
const TIME_DICT = {
  type: "function",
  function: { name: "get_time", description: "Get the time in a zone", parameters: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] } },
};
const PERSON = z.object({ name: z.string(), age: z.number() }).describe("A person");
const PERSON_JSON = { title: "person", type: "object", properties: { name: { type: "string" }, age: { type: "integer" } }, required: ["name", "age"] };

// The call options the core models take (ChatBedrockConverse's; InvokeModel models take all but
// the Converse request members). Any other key is the core's TypeError (an unknown option), so no
// LangChain chain may hand the core one of its own keys.
const CORE_CALL_OPTIONS = new Set([
  "signal", "timeout", "streamIdleTimeout", "maxRetries",
  "maxTokens", "temperature", "topP", "topK", "stopSequences", "stop", "tools", "toolChoice", "thinking", "betas", "modelKwargs",
  "additionalModelRequestFields", "additionalModelResponseFieldPaths", "guardrailConfig", "performanceConfig",
  "requestMetadata", "serviceTier", "promptVariables", "outputConfig",
]);

/** Records the keys of every call option object `llm`'s core model gets (through any binding of it). */
function recordCoreCallOptions(llm) {
  const seen = [];
  for (const method of ["invoke", "stream"]) {
    const original = llm.client[method].bind(llm.client);
    llm.client[method] = (messages, options) => {
      seen.push(Object.keys(options ?? {}));
      return original(messages, options);
    };
  }
  return seen;
}

/** The only request since the last clearRequests: its path ends with one of `suffixes`; its body. */
async function onlyRequest(ctx, suffix) {
  const requests = await sentRequests(ctx);
  assert.equal(requests.length, 1, "requests the emulator saw");
  assert.ok(requests[0].path.endsWith(suffix), `request path ${requests[0].path} does not end with ${suffix}`);
  return requests[0].body;
}

const OPERATIONS = {
  ChatBedrockConverse: { invoke: "/converse", stream: "/converse-stream" },
  ChatBedrock: { invoke: "/invoke", stream: "/invoke-with-response-stream" },
  ChatAnthropicBedrock: { invoke: "/invoke", stream: "/invoke-with-response-stream" },
};

/** The seed's system text and question reached Bedrock, in Converse's or Anthropic's body. */
function assertSeedBody(body, name) {
  if (name === "ChatBedrockConverse") {
    assert.deepEqual(body.system, [{ text: SEED_SYSTEM }], `${name}: system`);
    assert.deepEqual(body.messages, [{ role: "user", content: [{ text: "I love programming." }] }], `${name}: messages`);
  } else {
    const system = typeof body.system === "string" ? body.system : body.system?.map((b) => b.text).join("");
    assert.equal(system, SEED_SYSTEM, `${name}: system`);
    const [first] = body.messages;
    const text = typeof first.content === "string" ? first.content : first.content.map((b) => b.text).join("");
    assert.deepEqual([body.messages.length, first.role, text], [1, "user", "I love programming."], `${name}: messages`);
  }
}

/** Whether `after`, a partial object of a streamed parse, holds all of `before` (strings may grow). */
function grows(before, after) {
  if (typeof before === "string") return typeof after === "string" && after.startsWith(before);
  if (typeof before === "number") return typeof after === "number"; // a number's digits arrive in pieces
  if (before === null || typeof before !== "object") return before === after;
  if (after === null || typeof after !== "object" || Array.isArray(before) !== Array.isArray(after)) return false;
  return Object.keys(before).every((key) => key in after && grows(before[key], after[key]));
}

const withoutIndex = (blocks) => blocks.map(({ index: _index, ...rest }) => rest);

/** LangChain's concat of the chunks equals the invoked message: text, tool calls, content blocks, usage. */
function assertSameFold(full, message, what) {
  assert.ok(full instanceof AIMessageChunk, `${what}: concat(chunks) is an AIMessageChunk`);
  assert.ok(message instanceof AIMessage && isAIMessage(message), `${what}: invoke gives an AIMessage`);
  assert.equal(full.text, message.text, `${what}: text`);
  assert.deepEqual(full.tool_calls, message.tool_calls, `${what}: tool_calls`);
  assert.deepEqual(full.invalid_tool_calls, message.invalid_tool_calls, `${what}: invalid_tool_calls`);
  // Streamed blocks carry the content-block `index` LangChain's merge joins them by.
  assert.deepEqual(withoutIndex(full.contentBlocks), message.contentBlocks, `${what}: contentBlocks`);
  for (const key of ["input_tokens", "output_tokens", "total_tokens"]) {
    assert.equal(full.usage_metadata?.[key], message.usage_metadata?.[key], `${what}: usage_metadata.${key}`);
  }
  assert.equal(full.id, message.id ? full.id : undefined, `${what}: id`);
  assert.ok(typeof message.id === "string" && message.id.length > 0, `${what}: invoke id`);
}

async function streamAll(runnable, input, options) {
  const chunks = [];
  for await (const chunk of await runnable.stream(input, options)) chunks.push(chunk);
  return chunks;
}

/** invoke and stream of `runnable` on fresh request logs: { message, invokeBody, chunks, full, streamBody }. */
async function invokeAndStream(ctx, runnable, input, operations = OPERATIONS.ChatBedrockConverse) {
  await clearRequests(ctx);
  const message = await runnable.invoke(input);
  const invokeBody = await onlyRequest(ctx, operations.invoke);
  await clearRequests(ctx);
  const chunks = await streamAll(runnable, input);
  const streamBody = await onlyRequest(ctx, operations.stream);
  const full = chunks.reduce((a, b) => concat(a, b));
  return { message, invokeBody, chunks, full, streamBody };
}

export const cases = [
  ...Object.keys(CLASSES).map((name) => ({
    name: `langchain ${name}: the seed chain prompt.pipe(llm) — invoke gives an AIMessage, stream's concat equals it`,
    async run(ctx) {
      const llm = modelFor(ctx, CLASSES[name]);
      const chain = PROMPT.pipe(llm);
      const { message, invokeBody, chunks, full, streamBody } = await invokeAndStream(ctx, chain, SEED_VARS, OPERATIONS[name]);
      assertSeedBody(invokeBody, name);
      assertSeedBody(streamBody, name);
      assert.ok(isAIMessage(message) && AIMessage.isInstance(message), "isAIMessage");
      assert.equal(message.content, SEED_ANSWER, "content");
      assert.equal(message.usage_metadata.total_tokens, message.usage_metadata.input_tokens + message.usage_metadata.output_tokens, "usage");
      assert.type(message.response_metadata.model_name, "string", "response_metadata.model_name");
      assert.ok(chunks.length >= 3, `several chunks, got ${chunks.length}`);
      for (const chunk of chunks) assert.ok(AIMessageChunk.isInstance(chunk), "each chunk is an AIMessageChunk");
      assert.ok(chunks.at(-1).usage_metadata, "usage on the last chunk");
      assertSameFold(full, message, name);
    },
  })),
  {
    name: "langchain: LangChain messages in, tool round trip: AIMessage with tool_calls and a ToolMessage reach Bedrock",
    async run(ctx) {
      const llm = modelFor(ctx).bindTools([WEATHER]);
      const question = [new SystemMessage("Be brief."), new HumanMessage("What about get_weather in Paris?")];
      await clearRequests(ctx);
      const reply = await llm.invoke(question);
      assert.equal(reply.tool_calls.length, 1, "one tool call");
      const [call] = reply.tool_calls;
      assert.deepEqual([call.name, call.args], ["get_weather", { city: "city-value", days: 4.2 }], "tool call");
      const result = await WEATHER.invoke(call);
      assert.ok(result instanceof ToolMessage, "a tool run on a tool call gives a ToolMessage");
      await clearRequests(ctx);
      const answer = await llm.invoke([...question, reply, result]);
      const body = await onlyRequest(ctx, "/converse");
      assert.deepEqual(body.messages[1].content.at(-1), { toolUse: { toolUseId: call.id, name: "get_weather", input: call.args } }, "assistant turn");
      assert.deepEqual(body.messages[2].content, [{ toolResult: { toolUseId: call.id, content: [{ text: "18C in city-value" }], status: "success" } }], "tool result");
      assert.equal(answer.content, "Tool results: 18C in city-value", "answer");
    },
  },
  {
    name: "langchain bindTools: a Zod-schema tool and an OpenAI dict, converted by @langchain/core; tool_calls (invoke and stream)",
    async run(ctx) {
      const bound = modelFor(ctx).bindTools([WEATHER, TIME_DICT]);
      const input = "Use get_weather and get_time.";
      const { message, invokeBody, full, streamBody, chunks } = await invokeAndStream(ctx, bound, input);
      for (const body of [invokeBody, streamBody]) {
        const specs = body.toolConfig.tools.map((t) => t.toolSpec);
        assert.deepEqual(specs.map((s) => s.name), ["get_weather", "get_time"], "tool names");
        assert.equal(specs[0].description, "Get the weather for a city", "description");
        assert.deepEqual(specs[0].inputSchema.json.properties.city, { type: "string", description: "City name" }, "Zod schema as JSON Schema");
        assert.deepEqual(specs[0].inputSchema.json.required, ["city", "days"], "required");
        assert.deepEqual(specs[1].inputSchema.json, TIME_DICT.function.parameters, "dict schema");
      }
      assert.deepEqual(message.tool_calls.map((c) => [c.name, c.args]), [["get_weather", { city: "city-value", days: 4.2 }], ["get_time", { zone: "zone-value" }]], "tool_calls");
      assert.ok(chunks.some((c) => c.tool_call_chunks?.length > 0), "streamed tool_call_chunks");
      assertSameFold(full, message, "tools");
      // tool_choice forces one tool; ChatAnthropicBedrock takes the same tools.
      const forcedModel = modelFor(ctx).bindTools([WEATHER, TIME_DICT], { tool_choice: "get_time" });
      const forced = await invokeAndStream(ctx, forcedModel, "Hello");
      assert.deepEqual(forced.invokeBody.toolConfig.toolChoice, { tool: { name: "get_time" } }, "toolChoice");
      assert.deepEqual(forced.message.tool_calls.map((c) => c.name), ["get_time"], "forced call");
      assert.equal(forced.message.content, "", "a tool-only answer's content is \"\", as @langchain/aws gives it");
      assertSameFold(forced.full, forced.message, "forced tool");
      await clearRequests(ctx);
      const anthropic = await modelFor(ctx, ChatAnthropicBedrock).bindTools([WEATHER]).invoke("Use get_weather.");
      assert.equal((await onlyRequest(ctx, "/invoke")).tools[0].name, "get_weather", "Anthropic tools");
      assert.deepEqual(anthropic.tool_calls.map((c) => c.args), [{ city: "city-value", days: 4.2 }], "Anthropic tool call");
    },
  },
  {
    name: "langchain withStructuredOutput: Zod and JSON Schema, function calling and jsonSchema, includeRaw",
    async run(ctx) {
      const llm = modelFor(ctx);
      await clearRequests(ctx);
      const person = await llm.withStructuredOutput(PERSON, { name: "person" }).invoke("Who?");
      assert.deepEqual(person, { name: "name-value", age: 4.2 }, "Zod, function calling");
      const body = await onlyRequest(ctx, "/converse");
      assert.equal(body.toolConfig.tools[0].toolSpec.name, "person", "tool name");
      assert.equal(body.toolConfig.tools[0].toolSpec.description, "A person", "tool description from the schema");
      assert.deepEqual(body.toolConfig.toolChoice, { tool: { name: "person" } }, "forced");
      assert.deepEqual(await llm.withStructuredOutput(PERSON_JSON).invoke("Who?"), { name: "name-value", age: 42 }, "JSON Schema, name from title");
      await clearRequests(ctx);
      const json = await llm.withStructuredOutput(PERSON, { method: "jsonSchema", name: "person" }).invoke("Who?");
      assert.deepEqual(json, { name: "name-value", age: 4.2 }, "Zod, jsonSchema");
      const format = (await onlyRequest(ctx, "/converse")).outputConfig.textFormat;
      assert.deepEqual(JSON.parse(format.structure.jsonSchema.schema).required, ["name", "age"], "outputConfig schema");
      const raw = await llm.withStructuredOutput(PERSON_JSON, { includeRaw: true }).invoke("Who?");
      assert.ok(isAIMessage(raw.raw), "includeRaw: raw is an AIMessage");
      assert.deepEqual(raw.parsed, { name: "name-value", age: 42 }, "includeRaw: parsed");
      assert.equal(raw.raw.tool_calls[0].name, "person", "includeRaw: raw tool call");
      // A Zod schema the answer does not satisfy: parsed is null with includeRaw, else it rejects.
      const strict = z.object({ name: z.string().min(50), age: z.number() }); // the emulator ignores minLength
      const failed = await llm.withStructuredOutput(strict, { name: "person", includeRaw: true }).invoke("Who?");
      assert.deepEqual([failed.parsed, failed.raw.tool_calls[0].args.name], [null, "name-value"], "includeRaw: parse failure");
      await assert.rejects(llm.withStructuredOutput(strict, { name: "person" }).invoke("Who?"), "parse failure rejects");
      // In a chain, after the prompt.
      const chained = await PROMPT.pipe(modelFor(ctx, ChatBedrock).withStructuredOutput(PERSON, { name: "person" })).invoke(SEED_VARS);
      assert.deepEqual(chained, { name: "name-value", age: 4.2 }, "ChatBedrock in a chain");
    },
  },
  {
    name: "langchain callbacks: handleLLMNewToken per streamed piece; batch of 3; streamEvents v2 on_chat_model_stream",
    async run(ctx) {
      const llm = modelFor(ctx);
      const tokens = [];
      let ended = 0;
      const callbacks = [{ handleLLMNewToken: (token, _idx, _run, _parent, _tags, fields) => tokens.push([token, fields?.chunk]), handleLLMEnd: () => { ended += 1; } }];
      const chunks = await streamAll(PROMPT.pipe(llm), SEED_VARS, { callbacks });
      const pieces = tokens.filter(([token]) => token !== "");
      assert.deepEqual(pieces.map(([token]) => token), ["J", "'adore", " la", " programmation", "."], "tokens");
      assert.ok(pieces.every(([, chunk]) => AIMessageChunk.isInstance(chunk?.message)), "each token's fields.chunk holds its message chunk");
      assert.equal(chunks.map((c) => c.text).join(""), SEED_ANSWER, "streamed text");
      assert.equal(ended, 1, "handleLLMEnd");

      await clearRequests(ctx);
      const inputs = ["one", "two", "three"].map((input) => ({ ...SEED_VARS, input }));
      const answers = await PROMPT.pipe(llm).batch(inputs);
      assert.deepEqual(answers.map((m) => m.content), ["Echo: one", "Echo: two", "Echo: three"], "batch answers");
      assert.equal((await sentRequests(ctx)).length, 3, "three requests");

      await clearRequests(ctx);
      const events = [];
      for await (const event of PROMPT.pipe(llm).streamEvents(SEED_VARS, { version: "v2" })) events.push(event);
      const streamed = events.filter((e) => e.event === "on_chat_model_stream").map((e) => e.data.chunk);
      assert.ok(streamed.length >= 5, `on_chat_model_stream events: ${streamed.length}`);
      assert.ok(streamed.every((c) => AIMessageChunk.isInstance(c)), "event chunks are AIMessageChunks");
      assert.equal(streamed.map((c) => c.text).join(""), SEED_ANSWER, "streamed event text");
      assert.equal(streamed.find((c) => c.content.length > 0).content, "J", "a plain text chunk's content is its text");
      const end = events.find((e) => e.event === "on_chat_model_end");
      assert.equal(end?.data.output.text, SEED_ANSWER, "on_chat_model_end output");
      assert.ok((await sentRequests(ctx))[0].path.endsWith("/converse-stream"), "streamEvents streams");
    },
  },
  {
    name: "langchain concat equals invoke for a cited answer: every annotation kept",
    async run(ctx) {
      const facts = new TextEncoder().encode("The sky is blue. It is nice.");
      const input = [new HumanMessage({ content: [
        { type: "file", mimeType: "text/plain", data: facts, filename: "facts", citations: true },
        { type: "text", text: "What colour is the sky?" },
      ] })];
      const { message, invokeBody, full, chunks } = await invokeAndStream(ctx, modelFor(ctx), input);
      assert.deepEqual(invokeBody.messages[0].content[0].document.citations, { enabled: true }, "citations asked for");
      const citation = { type: "citation", title: "facts", citedText: "The sky is blue.", location: { documentChar: { documentIndex: 0, start: 0, end: 16 } } };
      const text = "According to the document, The sky is blue.";
      assert.deepEqual(message.contentBlocks, [{ type: "text", text, annotations: [citation] }], "invoke contentBlocks");
      assert.ok(chunks.some((c) => c.content.some((b) => b.annotations?.length)), "a streamed annotation");
      assertSameFold(full, message, "citations");
      for (const m of [message, full]) assert.equal(m.response_metadata.model_provider, "bedrock-converse", "model_provider of a cited answer");
      assert.deepEqual(full.content, [{ type: "text", index: 0, annotations: [citation], text }], "merged content");
      // Two annotations on one block, arriving apart, both survive LangChain's merge.
      const left = new AIMessageChunk({ content: [{ type: "text", index: 0, annotations: [citation] }] });
      const second = { ...citation, citedText: "It is nice." };
      const merged = [left, new AIMessageChunk({ content: [{ type: "text", text: "A", index: 0 }] }), new AIMessageChunk({ content: [{ type: "text", index: 0, annotations: [second] }] })].reduce((a, b) => concat(a, b));
      assert.deepEqual(merged.content, [{ type: "text", index: 0, annotations: [citation, second], text: "A" }], "two annotations");
    },
  },
  {
    name: "langchain reasoning: signed reasoning blocks survive LangChain's concat and go back to Bedrock (invoke and concat)",
    async run(ctx) {
      const thinking = { thinking: { type: "enabled", budget_tokens: 1024 } };
      const llm = modelFor(ctx, ChatBedrockConverse, { maxTokens: 2048, additionalModelRequestFields: thinking }).bindTools([WEATHER]);
      const question = [new HumanMessage("Use get_weather.")];
      const { message, full } = await invokeAndStream(ctx, llm, question);
      const [reasoning] = message.contentBlocks;
      assert.equal(reasoning.type, "reasoning", "first block");
      assert.equal(reasoning.reasoning, "Thinking about: Use get_weather.", "reasoning text");
      assert.type(reasoning.signature, "string", "signature beside the reasoning, where LangChain's translator reads it");
      assert.equal(reasoning.extras, undefined, "no extras left");
      assertSameFold(full, message, "reasoning");
      // The emulator checks each reasoning signature: both forms of the answer go back intact.
      for (const [what, reply] of [["invoke", message], ["concat", full]]) {
        await clearRequests(ctx);
        const result = new ToolMessage({ tool_call_id: reply.tool_calls[0].id, content: "18C" });
        const answer = await llm.invoke([...question, reply, result]);
        const turn = (await onlyRequest(ctx, "/converse")).messages[1].content;
        assert.deepEqual(turn[0], { reasoningContent: { reasoningText: { text: reasoning.reasoning, signature: reasoning.signature } } }, `${what}: reasoning sent back`);
        assert.equal(answer.text, "Tool results: 18C", `${what}: answer`);
      }
    },
  },
  ...Object.keys(CLASSES).map((name) => ({
    name: `langchain ${name}: streams through LangChain's cumulative parsers (withStructuredOutput, JsonOutputToolsParser, JsonOutputParser): growing partial objects, the last equals invoke's`,
    async run(ctx) {
      const llm = modelFor(ctx, CLASSES[name]);
      const { invoke: invokePath, stream: streamPath } = OPERATIONS[name];
      const runs = [
        ["withStructuredOutput(Zod)", llm.withStructuredOutput(PERSON, { name: "person" }), "Who?"],
        ["withStructuredOutput(JSON Schema)", llm.withStructuredOutput(PERSON_JSON), "Who?"],
        ["bindTools + JsonOutputToolsParser", llm.bindTools([WEATHER]).pipe(new JsonOutputToolsParser()), "Use get_weather."],
        ["JsonOutputParser", llm.pipe(new JsonOutputParser()), '```json\n{"name": "Ada Lovelace", "age": 36, "langs": ["en", "fr"]}\n```'],
      ];
      if (name === "ChatBedrockConverse") runs.push(["withStructuredOutput(jsonSchema)", llm.withStructuredOutput(PERSON, { method: "jsonSchema", name: "person" }), "Who?"]);
      for (const [what, runnable, input] of runs) {
        await clearRequests(ctx);
        const expected = await runnable.invoke(input);
        await onlyRequest(ctx, invokePath);
        await clearRequests(ctx);
        const partials = await streamAll(runnable, input);
        const body = await onlyRequest(ctx, streamPath);
        if (what.startsWith("withStructuredOutput(J") || what.startsWith("withStructuredOutput(Z")) {
          const tools = name === "ChatBedrockConverse" ? body.toolConfig.tools.map((t) => t.toolSpec.name) : body.tools.map((t) => t.name);
          assert.deepEqual(tools, ["person"], `${name} ${what}: the forced tool was asked for`);
        }
        assert.ok(partials.length >= 3, `${name} ${what}: partial objects streamed: ${JSON.stringify(partials)}`);
        for (let i = 1; i < partials.length; i += 1) {
          const [before, after] = [JSON.stringify(partials[i - 1]), JSON.stringify(partials[i])];
          assert.ok(before !== after && grows(partials[i - 1], partials[i]), `${name} ${what}: partial ${i} grows from ${before} to ${after}`);
        }
        assert.deepEqual(partials.at(-1), expected, `${name} ${what}: the last partial equals invoke's result`);
      }
    },
  })),
  {
    name: "langchain tracing: getLsParams has ls_provider amazon_bedrock, the model, temperature, max tokens and stop; withStructuredOutput hands callbacks ls_structured_output_format",
    async run(ctx) {
      for (const [name, Class] of Object.entries(CLASSES)) {
        const llm = modelFor(ctx, Class, { temperature: 0.3, maxTokens: 100 });
        assert.deepEqual(llm.getLsParams({ stop: ["x"] }), {
          ls_provider: "amazon_bedrock", ls_model_name: MODEL, ls_model_type: "chat", ls_temperature: 0.3, ls_max_tokens: 100, ls_stop: ["x"],
        }, `${name}: getLsParams`);
        assert.deepEqual(llm.getLsParams({ temperature: 0.7, maxTokens: 5 }), {
          ls_provider: "amazon_bedrock", ls_model_name: MODEL, ls_model_type: "chat", ls_temperature: 0.7, ls_max_tokens: 5,
        }, `${name}: a call's own settings win`);
        assert.deepEqual(modelFor(ctx, Class).getLsParams({}), { ls_provider: "amazon_bedrock", ls_model_name: MODEL, ls_model_type: "chat" }, `${name}: unset settings are left out`);
      }
      for (const [method, Class] of [["functionCalling", ChatAnthropicBedrock], ["jsonSchema", ChatBedrockConverse], ["functionCalling", ChatBedrock]]) {
        const starts = [];
        const handler = { handleChatModelStart: (_llm, _messages, _run, _parent, extra, _tags, metadata) => starts.push({ extra, metadata }) };
        const result = await modelFor(ctx, Class, { temperature: 0.2 }).withStructuredOutput(PERSON, { name: "person", method }).invoke("Who?", { callbacks: [handler] });
        assert.deepEqual(result, { name: "name-value", age: 4.2 }, `${Class.lc_name()} ${method}: result`);
        assert.equal(starts.length, 1, `${Class.lc_name()}: one chat model run`);
        assert.deepEqual(starts[0].extra.options.ls_structured_output_format, { kwargs: { method }, schema: toJsonSchema(PERSON) }, `${Class.lc_name()} ${method}: ls_structured_output_format`);
        assert.deepEqual([starts[0].metadata.ls_provider, starts[0].metadata.ls_model_name, starts[0].metadata.ls_temperature], ["amazon_bedrock", MODEL, 0.2], `${Class.lc_name()}: tracing metadata`);
      }
    },
  },
  {
    name: "langchain response_metadata: model_provider (bedrock-converse, bedrock) and model_name; contentBlocks through @langchain/core's translator keep reasoning, signatures, redacted reasoning, citations and non-standard blocks",
    async run(ctx) {
      for (const [name, provider] of [["ChatBedrockConverse", "bedrock-converse"], ["ChatBedrock", "bedrock"], ["ChatAnthropicBedrock", "bedrock"]]) {
        const { message, full } = await invokeAndStream(ctx, modelFor(ctx, CLASSES[name]), "Hello", OPERATIONS[name]);
        for (const [what, m] of [["invoke", message], ["concat", full]]) {
          assert.equal(m.response_metadata.model_provider, provider, `${name} ${what}: model_provider`);
          assert.equal(m.response_metadata.model_name, MODEL, `${name} ${what}: model_name`);
          assert.deepEqual(m.contentBlocks, [{ type: "text", text: "Echo: Hello" }], `${name} ${what}: contentBlocks`);
        }
      }
      // Signed and redacted reasoning, through the bedrock-converse translator and LangChain's concat.
      const thinking = { thinking: { type: "enabled", budget_tokens: 1024 } };
      const llm = modelFor(ctx, ChatBedrockConverse, { maxTokens: 2048, additionalModelRequestFields: thinking });
      const input = "Think redacted thoughts.";
      const { message, full, chunks } = await invokeAndStream(ctx, llm, input);
      const [signed, redacted, text] = message.contentBlocks;
      assert.deepEqual(Object.keys(signed).sort(), ["reasoning", "signature", "type"], "signed reasoning block");
      assert.equal(signed.reasoning, "Thinking about: Think redacted thoughts.", "reasoning text");
      assert.ok(/^[A-Za-z0-9+/]+={0,2}$/.test(signed.signature), "signature");
      assert.deepEqual([redacted.type, redacted.reasoning, Object.keys(redacted.extras)], ["reasoning", "", ["redactedContent"]], "redacted reasoning");
      assert.deepEqual(text, { type: "text", text: "Echo: Think redacted thoughts." }, "text");
      assert.ok(chunks.some((c) => Array.isArray(c.content) && c.content.some((b) => b.type === "reasoning" && b.signature === signed.signature && b.reasoning === "")), "the streamed signature stands beside reasoning");
      assertSameFold(full, message, "reasoning");
      for (const [what, reply] of [["invoke", message], ["concat", full]]) {
        await clearRequests(ctx);
        await llm.invoke([new HumanMessage(input), reply, new HumanMessage("And?")]);
        const turn = (await onlyRequest(ctx, "/converse")).messages[1].content;
        assert.deepEqual(turn.slice(0, 2), [
          { reasoningContent: { reasoningText: { text: signed.reasoning, signature: signed.signature } } },
          { reasoningContent: { redactedContent: redacted.extras.redactedContent } },
        ], `${what}: both reasoning blocks go back`);
      }
      // The core's own form (extras.signature) goes back the same way.
      await clearRequests(ctx);
      const coreForm = new AIMessage({ content: [{ type: "reasoning", reasoning: signed.reasoning, extras: { signature: signed.signature } }, { type: "text", text: "Echo: Think redacted thoughts." }] });
      await llm.invoke([new HumanMessage(input), coreForm, new HumanMessage("And?")]);
      assert.deepEqual((await onlyRequest(ctx, "/converse")).messages[1].content[0], { reasoningContent: { reasoningText: { text: signed.reasoning, signature: signed.signature } } }, "extras.signature goes back");
      // Non-standard blocks: kept whole (LangChain's translator would wrap them again).
      // (the emulator's unknown events come on ConverseStream only).
      const odd = (await streamAll(modelFor(ctx, ChatBedrockConverse, { model: "fault:unknown-event" }), "Hello")).reduce((a, b) => concat(a, b));
      const kept = odd.contentBlocks.filter((b) => b.type === "non_standard");
      assert.equal(kept.length, 2, `non_standard blocks in contentBlocks: ${JSON.stringify(odd.contentBlocks)}`);
      assert.ok(kept.every((b) => b.value.type !== "non_standard"), "not wrapped twice");
      assert.deepEqual(kept.map((b) => b.value), odd.content.filter((b) => b.type === "non_standard").map((b) => b.value), "kept as streamed");
      assert.equal(odd.text, "Hi", "text");
      assert.equal(odd.response_metadata.model_provider, "bedrock-converse", "model_provider");
    },
  },
  {
    name: "langchain: the core models take a prompt value (toChatMessages) and LangChain messages",
    async run(ctx) {
      const value = await PROMPT.invoke(SEED_VARS);
      await clearRequests(ctx);
      const message = await new ctx.pkg.ChatBedrockConverse({ model: MODEL, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS }).invoke(value);
      assert.equal(message.content, SEED_ANSWER, "invoke(promptValue)");
      assertSeedBody(await onlyRequest(ctx, "/converse"), "ChatBedrockConverse");
      await clearRequests(ctx);
      const streamed = [];
      for await (const chunk of new ctx.pkg.ChatBedrock({ model: MODEL, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS }).stream(value)) streamed.push(chunk.text);
      assert.equal(streamed.join(""), SEED_ANSWER, "stream(promptValue)");
      assertSeedBody(await onlyRequest(ctx, "/invoke-with-response-stream"), "ChatBedrock");
    },
  },
  {
    name: "langchain call options: LangChain's own keys never reach the core model, in any chain; every other option does, as it is",
    async run(ctx) {
      const llm = modelFor(ctx);
      const seen = recordCoreCallOptions(llm);
      const callbacks = [{ handleLLMNewToken() {} }];
      const config = { callbacks, tags: ["t"], metadata: { m: 1 }, runName: "r", configurable: { c: 1 }, recursionLimit: 5, maxConcurrency: 2, timeout: 60_000 };
      await PROMPT.pipe(llm).invoke(SEED_VARS, config);
      await streamAll(PROMPT.pipe(llm), SEED_VARS, config);
      await PROMPT.pipe(llm).batch([SEED_VARS, SEED_VARS], { maxConcurrency: 1 });
      for await (const _event of PROMPT.pipe(llm).streamEvents(SEED_VARS, { version: "v2", callbacks })) { /* drain */ }
      for await (const _event of llm.streamEvents("Hi", { version: "v1" })) { /* drain */ }
      await llm.withConfig({ runName: "configured", tags: ["x"], outputVersion: "v1" }).invoke("Hi", { stop: ["x"], maxRetries: 1 });
      await llm.generate([[new HumanMessage("one")], [new HumanMessage("two")]], { callbacks });
      await llm.bindTools([WEATHER], { tool_choice: "get_weather" }).invoke("Use get_weather.");
      await llm.withStructuredOutput(PERSON, { name: "person" }).invoke("Who?");
      await llm.withStructuredOutput(PERSON, { method: "jsonSchema", name: "person", includeRaw: true }).invoke("Who?");
      await streamAll(llm.bindTools([WEATHER, TIME_DICT], { tool_choice: "any" }), "Use get_weather.", { runName: "streamed tools" });
      assert.equal(seen.length, 13, "core calls recorded (one per call above, two for batch and for generate)");
      const stray = [...new Set(seen.flat())].filter((key) => !CORE_CALL_OPTIONS.has(key));
      assert.deepEqual(stray, [], "keys the core model does not take");
      assert.ok(seen.flat().includes("stopSequences") && seen.flat().includes("toolChoice"), "stop and tool_choice translated");
      assert.ok(!seen.flat().includes("stop"), "stop arrives as stopSequences");

      // A core option the adapter does not name reaches the request as it is.
      seen.length = 0;
      await clearRequests(ctx);
      await llm.invoke("Hi", { requestMetadata: { run: "langchain" }, serviceTier: "flex" });
      const body = await onlyRequest(ctx, "/converse");
      assert.deepEqual([body.requestMetadata, body.serviceTier], [{ run: "langchain" }, { type: "flex" }], "forwarded call options");
      // So does a misspelt one: the core model, not the adapter, decides about it.
      seen.length = 0;
      await llm.invoke("Hi", { temprature: 0 }).catch((error) => {
        if (!(error instanceof TypeError) || !error.message.includes("temprature")) throw error;
      });
      assert.deepEqual(seen, [["temprature"]], "an unknown option is forwarded, not dropped");
    },
  },
  {
    // bedrock-edge/langchain takes its structured-output request from the package's core.js, the
    // module behind "bedrock-edge" too: a second copy of it (langchain.js bundled with its own)
    // would check tool names with a wasm no entry initialised.
    name: "langchain and bedrock-edge share one copy of the package's JS: withStructuredOutput checks its tool name with the wasm's rule (a TypeError naming the field, nothing sent); a failure through the adapter is bedrock-edge's BedrockError",
    async run(ctx) {
      const llm = modelFor(ctx);
      await clearRequests(ctx);
      const named = await failure(() => llm.withStructuredOutput(PERSON, { name: "a person" }), "a tool name with a space");
      assert.ok(named instanceof TypeError, `expected a TypeError, got ${named?.name}: ${named?.message}`);
      assert.equal(named.message, "withStructuredOutput: name: tool name \"a person\" must be 1 to 64 letters, digits, '_' or '-'", "message");
      const titled = await failure(() => llm.withStructuredOutput({ ...PERSON_JSON, title: "" }), "an empty schema title");
      assert.ok(titled instanceof TypeError && titled.message.startsWith("withStructuredOutput: name (from schema.title; pass options.name): tool name \"\""), `from the title: ${titled.message}`);
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
      const refused = modelFor(ctx, ChatBedrockConverse, { model: "fault:validation", maxRetries: 0 });
      const expected = { name: "ValidationException", status: 400, retryable: false };
      assertBedrockError(ctx, await failure(() => refused.invoke("Hi"), "invoke"), expected);
      assertBedrockError(ctx, await failure(() => refused.withStructuredOutput(PERSON, { name: "person" }).invoke("Who?"), "structured invoke"), expected);
      assert.equal((await sentRequests(ctx)).length, 2, "requests sent (the two refused)");
    },
  },
  {
    name: "langchain: signal aborts, stop reaches stopSequences, _llmType, invocationParams hold no secret",
    async run(ctx) {
      const llm = modelFor(ctx, ChatBedrockConverse, { temperature: 0.5 });
      assert.equal(llm._llmType(), "bedrock-converse", "_llmType");
      assert.equal(modelFor(ctx, ChatBedrock)._llmType(), "bedrock", "ChatBedrock _llmType");
      const params = llm.invocationParams({ stop: ["x"] });
      assert.deepEqual([params.model, params.temperature, params.stopSequences], [MODEL, 0.5, ["x"]], "invocationParams");
      assert.ok(!JSON.stringify([params, llm.toJSON(), llm._identifyingParams()]).includes(CREDENTIALS.secretAccessKey), "no secret");
      await clearRequests(ctx);
      const cut = await llm.invoke(SEED_VARS.input, { stop: ["programmation"] });
      assert.deepEqual((await onlyRequest(ctx, "/converse")).inferenceConfig.stopSequences, ["programmation"], "stop");
      assert.equal(cut.response_metadata.stopReason, "end_turn", "stop reason (Echo has no stop word)");
      const controller = new AbortController();
      controller.abort();
      const error = await assert.rejects(llm.invoke("Hi", { signal: controller.signal }), "aborted invoke");
      assert.ok(/abort/i.test(`${error.name} ${error.message}`), `abort error: ${error.name}: ${error.message}`);
    },
  },
];

/** The cases; `ctx` is the runner's (only `emulatorUrl` and `pkg` are read). */
export const allCases = () => cases;

/** Runs every case; returns [{ name, ok, error?, ms }]. */
export const runSuite = (ctx, only) => runCaseList(ctx, cases, only);
