// End-to-end cases for the Converse features beyond plain text (tools, structured output, media,
// reasoning, citations, caching, guardrails, request options, unknown events, recorded streams),
// run in Node, workerd and Chromium next to suite.mjs. Web-standard globals only. Every case
// checks both the request the emulator received and what came back. The runner supplies `ctx`:
//   { pkg, emulatorUrl, featureRecordings, runtime }
// where `featureRecordings` is loadFeatureRecordings() of recordings.mjs (expected folds of
// recorded streams with reasoning, citations and tool use).
import * as assert from "./assert.mjs";
import { failure,
  MODEL,
  clearRequests,
  collect,
  joinText,
  lastRequest,
  llmFor,
  runCaseList,
  sentRequests,
  assertBedrockError,
  assertUsage,
} from "./suite-helpers.mjs";

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A real 1×1 PNG (70 bytes; chunk CRCs valid). */
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const PNG = Uint8Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));
const PNG_DATA_URL = `data:image/png;base64,${PNG_B64}`;
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const MP4 = Uint8Array.from([0, 0, 0, 24, 102, 116, 121, 112, 105, 115, 111, 109, 0, 0, 2, 0, 105, 115, 111, 109, 105, 115, 111, 50]);
const CSV = new TextEncoder().encode("city,temp\nParis,18\n");

const WEATHER_SCHEMA = {
  type: "object",
  properties: {
    city: { type: "string", description: "City name" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    days: { type: "integer" },
  },
  required: ["city"],
};
const WEATHER_ARGS = { city: "city-value", unit: "celsius", days: 42 };
const TIME_PARAMS = { type: "object", properties: { zone: { type: "string" } } };
const TIME_ARGS = { zone: "zone-value" };
const NEWS_SCHEMA = {
  type: "object",
  properties: {
    topic: { type: "string" },
    limit: { type: "number" },
    fresh: { type: "boolean" },
    pages: { type: "array", items: { type: "integer", minimum: 1 } },
  },
};
const NEWS_ARGS = { topic: "topic-value", limit: 4.2, fresh: true, pages: [1] };
const EMPTY_SCHEMA = { type: "object", properties: {} };

/** The four tool forms of the contract plus a cache point, and the toolConfig.tools they make. */
const WEATHER_TOOL = { name: "get_weather", description: "Get the weather for a city", schema: WEATHER_SCHEMA };
const TIME_TOOL = { type: "function", function: { name: "get_time", description: "Get the time in a zone", parameters: TIME_PARAMS } };
const NEWS_TOOL = { toolSpec: { name: "get_news", description: "Get the news", inputSchema: { json: NEWS_SCHEMA } } };
const LIST_TOOL = { name: "list_items", description: "List every item", schema: EMPTY_SCHEMA };
const CACHE_POINT = { cachePoint: { type: "default" } };
const TOOLS = [WEATHER_TOOL, TIME_TOOL, NEWS_TOOL, CACHE_POINT, LIST_TOOL];
const TOOL_SPECS = [
  { toolSpec: { name: "get_weather", description: "Get the weather for a city", inputSchema: { json: WEATHER_SCHEMA } } },
  { toolSpec: { name: "get_time", description: "Get the time in a zone", inputSchema: { json: TIME_PARAMS } } },
  { toolSpec: { name: "get_news", description: "Get the news", inputSchema: { json: NEWS_SCHEMA } } },
  { cachePoint: { type: "default" } },
  { toolSpec: { name: "list_items", description: "List every item", inputSchema: { json: EMPTY_SCHEMA } } },
];

const PERSON_SCHEMA = {
  type: "object",
  properties: {
    name: { type: "string" },
    age: { type: "integer", minimum: 18 },
    mood: { type: "string", enum: ["happy", "sad"] },
    address: { type: "object", properties: { city: { type: "string" }, zip: { type: "string" } } },
    scores: { type: "array", items: { type: "number" } },
    member: { type: "boolean" },
  },
  required: ["name", "age"],
};
const PERSON = {
  name: "name-value",
  age: 18,
  mood: "happy",
  address: { city: "city-value", zip: "zip-value" },
  scores: [4.2],
  member: true,
};

const THINKING = { thinking: { type: "enabled", budget_tokens: 1024 } };
const GUARDRAIL = { guardrailIdentifier: "gr-edge-1", guardrailVersion: "1", trace: "enabled" };
const GUARDRAIL_REPLY = "Sorry, the model cannot answer this question.";
const PROMPT_ARN = "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12345";
const DOC_NAME = /^[A-Za-z0-9\-()[\] ]+$/;

// ---------------------------------------------------------------------------------------------
// Helpers

const bytesToBase64 = (bytes) => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};
const base64ToBytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The bytes a request's base64 `source.bytes` decodes to must be exactly `expected`. */
function assertBase64Bytes(actual, expected, what) {
  assert.type(actual, "string", `${what} (base64 string)`);
  assert.deepEqual([...base64ToBytes(actual)], [...expected], `${what} decoded bytes`);
}

async function sha256Base64(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return bytesToBase64(new Uint8Array(digest));
}

/** The emulator's reasoning signature for a reasoning text. */
const signatureFor = (text) => sha256Base64(`bedrock-emulator-signature:${text}`);

/** The body of the one request the emulator saw since the last clearRequests. */
async function onlyRequest(ctx, operation) {
  const requests = await sentRequests(ctx);
  assert.equal(requests.length, 1, "requests the emulator saw");
  const [request] = requests;
  const suffix = operation === "stream" ? "/converse-stream" : "/converse";
  assert.ok(request.path.endsWith(suffix), `request path ${request.path} does not end with ${suffix}`);
  return request.body;
}

/** invoke / stream+concat with the same arguments, each checked on a fresh request log. */
async function invokeAndStream(ctx, llm, input, options) {
  await clearRequests(ctx);
  const message = await llm.invoke(input, options);
  const invokeBody = await onlyRequest(ctx, "invoke");
  await clearRequests(ctx);
  const chunks = await collect(llm.stream(input, options));
  const streamBody = await onlyRequest(ctx, "stream");
  assert.ok(chunks.length > 0, "no chunks");
  for (const chunk of chunks) assert.equal(chunk.type, "AIMessageChunk", "chunk.type");
  const full = chunks.reduce(ctx.pkg.concat);
  return { message, invokeBody, chunks, full, streamBody };
}

const stopReasonOf = (chunks) => chunks.map((c) => c.response_metadata?.stopReason).filter(Boolean);

/** contentBlocks of invoke and of concat(stream) match, and both have the same tool_calls. */
function assertSameFold(full, message, what) {
  assert.deepEqual(full.contentBlocks, message.contentBlocks, `${what}: concat(chunks).contentBlocks vs invoke`);
  assert.deepEqual(full.tool_calls, message.tool_calls, `${what}: concat(chunks).tool_calls vs invoke`);
  assert.deepEqual(full.invalid_tool_calls, message.invalid_tool_calls, `${what}: concat(chunks).invalid_tool_calls vs invoke`);
  assert.equal(full.text, message.text, `${what}: text`);
}

function assertToolCallShape(call, name, args, what) {
  assert.deepEqual(Object.keys(call).sort(), ["args", "id", "name", "type"], `${what}: tool call keys`);
  assert.equal(call.type, "tool_call", `${what}.type`);
  assert.equal(call.name, name, `${what}.name`);
  assert.ok(typeof call.id === "string" && call.id.startsWith("tooluse_"), `${what}.id: ${call.id}`);
  assert.deepEqual(call.args, args, `${what}.args`);
}

/** Groups a stream's tool_call_chunks by index; checks first-entry id/name and later fragments. */
function assertToolCallChunks(chunks, expected) {
  const entries = chunks.flatMap((chunk) => chunk.tool_call_chunks ?? []);
  const blockEntries = chunks.flatMap((chunk) => (chunk.content ?? []).filter((b) => b.type === "tool_call_chunk"));
  assert.deepEqual(blockEntries, entries, "tool_call_chunk content blocks vs tool_call_chunks");
  const byIndex = new Map();
  for (const entry of entries) {
    assert.equal(entry.type, "tool_call_chunk", "tool_call_chunks[].type");
    assert.type(entry.index, "number", "tool_call_chunks[].index");
    if (!byIndex.has(entry.index)) byIndex.set(entry.index, []);
    byIndex.get(entry.index).push(entry);
  }
  assert.deepEqual([...byIndex.keys()], expected.map((e) => e.index), "tool call block indexes");
  expected.forEach(({ index, name, args, id }, k) => {
    const [first, ...rest] = byIndex.get(index);
    assert.equal(first.name, name, `tool call ${k}: first chunk name`);
    assert.ok(typeof first.id === "string" && first.id.startsWith("tooluse_"), `tool call ${k}: first chunk id ${first.id}`);
    if (id !== undefined) assert.equal(first.id, id, `tool call ${k}: first chunk id vs invoke`);
    assert.equal(first.args, "", `tool call ${k}: first chunk args`);
    for (const later of rest) {
      assert.ok(later.id == null && later.name == null, `tool call ${k}: a later chunk repeats id/name: ${JSON.stringify(later)}`);
      assert.type(later.args, "string", `tool call ${k}: later chunk args`);
    }
    const json = rest.map((e) => e.args).join("");
    if (Object.keys(args).length === 0) {
      assert.ok(json === "" || json === "{}", `tool call ${k}: args text of a no-argument call: ${JSON.stringify(json)}`);
    } else {
      assert.ok(rest.filter((e) => e.args !== "").length >= 2, `tool call ${k}: args arrived in one piece, not streamed`);
      assert.deepEqual(JSON.parse(json), args, `tool call ${k}: joined args fragments`);
    }
  });
}

function assertTypeErrorAt(error, where, what) {
  assert.ok(error instanceof TypeError, `${what}: expected a TypeError, got ${error?.name}: ${error?.message}`);
  assert.ok(String(error.message).includes(where), `${what}: message ${JSON.stringify(error.message)} does not name ${where}`);
}

const humanWith = (...blocks) => [["human", [{ type: "text", text: "Describe" }, ...blocks]]];

/** The last user turn of a request body. */
const lastTurn = (body) => body.messages.at(-1);

/** A LangChain-like ToolMessage (role from getType()). */
class ToolMessage {
  constructor({ content, tool_call_id, status }) {
    this.content = content;
    this.tool_call_id = tool_call_id;
    if (status !== undefined) this.status = status;
    this.additional_kwargs = {};
  }
  getType() {
    return "tool";
  }
}

const toolUseOf = (call) => ({ toolUse: { toolUseId: call.id, name: call.name, input: call.args } });

/** A toolResult block; `status` absent or "success" is accepted for a non-error result. */
function assertToolResult(block, { id, content, status }, what) {
  assert.ok(block?.toolResult, `${what}: not a toolResult block: ${JSON.stringify(block)}`);
  const { toolUseId, content: resultContent, status: sentStatus, ...rest } = block.toolResult;
  assert.deepEqual(rest, {}, `${what}: unexpected toolResult members`);
  assert.equal(toolUseId, id, `${what}.toolUseId`);
  assert.deepEqual(resultContent, content, `${what}.content`);
  if (status === "error") assert.equal(sentStatus, "error", `${what}.status`);
  else assert.ok(sentStatus === undefined || sentStatus === "success", `${what}.status: ${sentStatus}`);
}

async function clearCache(ctx) {
  const response = await fetch(`${ctx.emulatorUrl}/_emulator/cache`, { method: "DELETE" });
  assert.ok(response.ok, `DELETE /_emulator/cache answered ${response.status}`);
  await response.body?.cancel();
}

/** input_tokens includes the cached tokens; total_tokens is Bedrock's totalTokens. */
function assertCacheUsage(message, what) {
  const usage = message.usage_metadata;
  const raw = message.response_metadata?.usage;
  assertUsage(usage, what);
  assert.ok(raw, `${what}: response_metadata.usage (raw Bedrock usage) is missing`);
  const read = raw.cacheReadInputTokens ?? 0;
  const write = raw.cacheWriteInputTokens ?? 0;
  assert.equal(usage.input_token_details.cache_read, read, `${what}: cache_read vs cacheReadInputTokens`);
  assert.equal(usage.input_token_details.cache_creation, write, `${what}: cache_creation vs cacheWriteInputTokens`);
  assert.equal(usage.input_tokens, raw.inputTokens + read + write, `${what}: input_tokens = inputTokens + cache read + cache write`);
  assert.equal(usage.total_tokens, raw.totalTokens, `${what}: total_tokens = totalTokens`);
  return { read, write };
}

/** A fetch that answers every call with the given frames (base64, framed by recordings.mjs) as a
 * ConverseStream body. */
function recordedFetch(frames, seen) {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input.url ?? String(input);
    const body = init?.body ?? (typeof input === "object" && input.text ? await input.clone().text() : undefined);
    seen.push({ url, body: typeof body === "string" ? body : body ? new TextDecoder().decode(body) : "" });
    const bytes = frames.map((frame) => Uint8Array.from(atob(frame), (c) => c.charCodeAt(0)));
    const stream = new ReadableStream({
      start(controller) {
        for (const frame of bytes) controller.enqueue(frame);
        controller.close();
      },
    });
    return new Response(stream, {
      status: 200,
      headers: { "content-type": "application/vnd.amazon.eventstream", "x-amzn-requestid": "00000000-0000-4000-8000-000000000000" },
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Cases

export const cases = [
  // ----- tools -------------------------------------------------------------------------------
  {
    name: "bindTools: four tool forms and a cache point make toolConfig; auto calls the tools named, in list order",
    async run(ctx) {
      const llm = llmFor(ctx);
      const bound = llm.bindTools(TOOLS, { toolChoice: "auto" });
      assert.ok(bound !== llm, "bindTools returned the same model");
      const input = [["human", "Please call get_news and get_weather."]];
      const { message, invokeBody, chunks, full, streamBody } = await invokeAndStream(ctx, bound, input);
      const toolConfig = { tools: TOOL_SPECS, toolChoice: { auto: {} } };
      assert.deepEqual(invokeBody.toolConfig, toolConfig, "converse toolConfig");
      assert.deepEqual(streamBody.toolConfig, toolConfig, "converse-stream toolConfig");
      assert.deepEqual(invokeBody.messages, [{ role: "user", content: [{ text: "Please call get_news and get_weather." }] }], "messages");

      // Tool-list order (get_weather before get_news), not the order in the user text.
      assert.equal(message.tool_calls.length, 2, "tool_calls");
      assertToolCallShape(message.tool_calls[0], "get_weather", WEATHER_ARGS, "tool_calls[0]");
      assertToolCallShape(message.tool_calls[1], "get_news", NEWS_ARGS, "tool_calls[1]");
      assert.ok(message.tool_calls[0].id !== message.tool_calls[1].id, "tool call ids are not distinct");
      assert.deepEqual(message.invalid_tool_calls, [], "invalid_tool_calls");
      assert.equal(message.text, "Calling get_weather, get_news.", "text");
      assert.deepEqual(message.contentBlocks, [{ type: "text", text: "Calling get_weather, get_news." }, ...message.tool_calls], "contentBlocks");
      assert.ok(Array.isArray(message.content), "content is a block array when the reply has tool calls");
      assert.equal(message.response_metadata.stopReason, "tool_use", "stopReason");

      // Stream: text at index 0, tool blocks at 1 and 2; the same calls (ids are per request).
      assertToolCallChunks(chunks, [
        { index: 1, name: "get_weather", args: WEATHER_ARGS, id: message.tool_calls[0].id },
        { index: 2, name: "get_news", args: NEWS_ARGS, id: message.tool_calls[1].id },
      ]);
      assert.equal(joinText(chunks), "Calling get_weather, get_news.", "streamed text");
      assert.deepEqual(stopReasonOf(chunks), ["tool_use"], "stream stopReason");
      assertSameFold(full, message, "auto");
      assert.noKeyDeep(full, "p");
    },
  },
  {
    name: "bindTools returns a new model; the original sends no toolConfig",
    async run(ctx) {
      const llm = llmFor(ctx);
      const bound = llm.bindTools([WEATHER_TOOL], { toolChoice: "any" });
      await clearRequests(ctx);
      const plain = await llm.invoke("What about get_weather?");
      const body = await onlyRequest(ctx, "invoke");
      assert.equal(body.toolConfig, undefined, "original model's toolConfig");
      assert.equal(plain.text, "Echo: What about get_weather?", "original model's reply");
      assert.deepEqual(plain.tool_calls, [], "original model's tool_calls");
      await clearRequests(ctx);
      await collect(llm.stream("What about get_weather?"));
      assert.equal((await onlyRequest(ctx, "stream")).toolConfig, undefined, "original model's stream toolConfig");
      await clearRequests(ctx);
      const called = await bound.invoke("What about get_weather?");
      assert.deepEqual((await onlyRequest(ctx, "invoke")).toolConfig?.toolChoice, { any: {} }, "bound toolChoice");
      assert.equal(called.tool_calls.length, 1, "bound model's tool_calls");
      // Binding again replaces, it does not stack.
      const rebound = bound.bindTools([{ ...TIME_TOOL }]);
      await clearRequests(ctx);
      await rebound.invoke("get_time please");
      const reboundBody = await onlyRequest(ctx, "invoke");
      assert.deepEqual(reboundBody.toolConfig.tools, [TOOL_SPECS[1]], "rebound tools");
    },
  },
  {
    name: "toolChoice any calls the first tool; a tool name calls that tool; only toolUse blocks",
    async run(ctx) {
      for (const [choice, sent, name, args] of [
        ["any", { any: {} }, "get_weather", WEATHER_ARGS],
        ["required", { any: {} }, "get_weather", WEATHER_ARGS],
        ["get_time", { tool: { name: "get_time" } }, "get_time", TIME_ARGS],
        ["get_news", { tool: { name: "get_news" } }, "get_news", NEWS_ARGS],
      ]) {
        const bound = llmFor(ctx).bindTools(TOOLS, { toolChoice: choice });
        const { message, invokeBody, chunks, full, streamBody } = await invokeAndStream(ctx, bound, "Hello there");
        assert.deepEqual(invokeBody.toolConfig, { tools: TOOL_SPECS, toolChoice: sent }, `${choice}: toolConfig`);
        assert.deepEqual(streamBody.toolConfig, { tools: TOOL_SPECS, toolChoice: sent }, `${choice}: stream toolConfig`);
        assert.equal(message.tool_calls.length, 1, `${choice}: tool_calls`);
        assertToolCallShape(message.tool_calls[0], name, args, `${choice}: tool_calls[0]`);
        assert.deepEqual(message.contentBlocks, message.tool_calls, `${choice}: contentBlocks are the call only`);
        assert.equal(message.text, "", `${choice}: text`);
        assertToolCallChunks(chunks, [{ index: 0, name, args, id: message.tool_calls[0].id }]);
        assertSameFold(full, message, choice);
      }
    },
  },
  {
    name: "a tool without arguments is called with args {} (invoke and stream)",
    async run(ctx) {
      const bound = llmFor(ctx).bindTools(TOOLS, { toolChoice: "list_items" });
      const { message, invokeBody, chunks, full } = await invokeAndStream(ctx, bound, "Show me everything");
      assert.deepEqual(invokeBody.toolConfig.toolChoice, { tool: { name: "list_items" } }, "toolChoice");
      assert.deepEqual(invokeBody.toolConfig.tools[4], TOOL_SPECS[4], "the no-argument toolSpec");
      assertToolCallShape(message.tool_calls[0], "list_items", {}, "invoke tool call");
      assertToolCallChunks(chunks, [{ index: 0, name: "list_items", args: {}, id: message.tool_calls[0].id }]);
      assertToolCallShape(full.tool_calls[0], "list_items", {}, "concat tool call");
      assert.deepEqual(full.invalid_tool_calls, [], "concat invalid_tool_calls");
      assertSameFold(full, message, "no-argument tool");
    },
  },
  {
    name: "bindTools rejects bad tools and an unknown toolChoice with a TypeError naming the entry",
    async run(ctx) {
      const llm = llmFor(ctx);
      const noName = assert.throws(() => llm.bindTools([WEATHER_TOOL, { description: "nameless", schema: EMPTY_SCHEMA }]), "tool without a name");
      assertTypeErrorAt(noName, "tools[1]", "tool without a name");
      const notObject = assert.throws(() => llm.bindTools([WEATHER_TOOL, TIME_TOOL, 42]), "tool that is a number");
      assertTypeErrorAt(notObject, "tools[2]", "tool that is a number");
      const unknownChoice = assert.throws(() => llm.bindTools([WEATHER_TOOL], { toolChoice: "get_time" }), "toolChoice naming no tool");
      assert.ok(unknownChoice instanceof TypeError, `toolChoice naming no tool: ${unknownChoice?.name}`);
      await clearRequests(ctx);
      const perCall = await failure(() => llm.invoke("hi", { tools: [WEATHER_TOOL], toolChoice: "nope" }), "per-call toolChoice naming no tool");
      assert.ok(perCall instanceof TypeError, `per-call toolChoice naming no tool: ${perCall?.name}`);
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "unparseable tool arguments (fault:bad-tool-args) become invalid_tool_calls, never a throw",
    async run(ctx) {
      const bound = llmFor(ctx, { model: "fault:bad-tool-args" }).bindTools([WEATHER_TOOL, TIME_TOOL]);
      const { message, invokeBody, chunks, full, streamBody } = await invokeAndStream(ctx, bound, "Weather in Paris?");
      for (const body of [invokeBody, streamBody]) {
        assert.deepEqual(body.toolConfig.tools, TOOL_SPECS.slice(0, 2), "toolConfig.tools");
      }
      for (const [what, result] of [["invoke", message], ["concat", full]]) {
        assert.deepEqual(result.tool_calls, [], `${what}: tool_calls`);
        assert.equal(result.invalid_tool_calls.length, 1, `${what}: invalid_tool_calls`);
        const bad = result.invalid_tool_calls[0];
        assert.equal(bad.type, "invalid_tool_call", `${what}: type`);
        assert.equal(bad.name, "get_weather", `${what}: name`);
        assert.ok(typeof bad.id === "string" && bad.id.startsWith("tooluse_"), `${what}: id ${bad.id}`);
        assert.equal(bad.args, '{"city": "Par', `${what}: args (the raw text)`);
        assert.type(bad.error, "string", `${what}: error`);
        const block = result.contentBlocks.find((b) => b.type === "invalid_tool_call");
        assert.deepEqual(block, bad, `${what}: the invalid_tool_call content block`);
      }
      assert.equal(full.invalid_tool_calls[0].id, message.invalid_tool_calls[0].id, "same id in invoke and stream");
      const fragments = chunks.flatMap((c) => c.tool_call_chunks ?? []);
      assert.equal(fragments[0]?.name, "get_weather", "first tool_call_chunk names the tool");
      assert.deepEqual(fragments.map((e) => e.args).filter((a) => a !== ""), ['{"city": ', '"Par'], "streamed fragments");
      assert.deepEqual(stopReasonOf(chunks), ["tool_use"], "stream stopReason");
      assert.equal(message.response_metadata.stopReason, "tool_use", "invoke stopReason");
    },
  },

  // ----- tool round trips ----------------------------------------------------------------------
  {
    name: "round trip: tool messages as {role:'tool'} and LangChain-like ToolMessage → assistant toolUse + user toolResult turns",
    async run(ctx) {
      const bound = llmFor(ctx).bindTools(TOOLS, { toolChoice: "auto" });
      const question = ["human", "Use get_weather and get_time for Paris."];
      const ai = await bound.invoke([question]);
      assert.equal(ai.tool_calls.length, 2, "first reply's tool calls");
      const [weather, time] = ai.tool_calls;
      await clearRequests(ctx);
      const reply = await bound.invoke([
        question,
        ai,
        { role: "tool", tool_call_id: weather.id, content: "18C and sunny", status: "success" },
        new ToolMessage({ content: "14:05 CET", tool_call_id: time.id }),
      ]);
      const body = await onlyRequest(ctx, "invoke");
      await clearRequests(ctx);
      const tupleReply = await bound.invoke([
        question,
        ai,
        ["tool", "18C and sunny", { tool_call_id: weather.id }],
        ["tool", "14:05 CET", { tool_call_id: time.id, status: "error" }],
      ]);
      const tupleBody = await onlyRequest(ctx, "invoke");
      assertToolResult(lastTurn(tupleBody).content[0], { id: weather.id, content: [{ text: "18C and sunny" }] }, "tuple result 0");
      assert.deepEqual(lastTurn(tupleBody).content[1], {
        toolResult: { toolUseId: time.id, content: [{ text: "14:05 CET" }], status: "error" },
      }, "tuple result 1, with its status");
      assert.equal(tupleReply.text, "Tool results: 18C and sunny; 14:05 CET (error)", "tuple reply text");
      assert.deepEqual(body.toolConfig.tools, TOOL_SPECS, "toolConfig still sent");
      assert.equal(body.messages.length, 3, "turns");
      assert.deepEqual(body.messages[1], {
        role: "assistant",
        content: [{ text: "Calling get_weather, get_time." }, toolUseOf(weather), toolUseOf(time)],
      }, "assistant turn: text and toolUse together");
      assert.equal(lastTurn(body).role, "user", "tool results go in a user turn");
      assert.equal(lastTurn(body).content.length, 2, "one user turn holds both results");
      assertToolResult(lastTurn(body).content[0], { id: weather.id, content: [{ text: "18C and sunny" }] }, "result 0");
      assertToolResult(lastTurn(body).content[1], { id: time.id, content: [{ text: "14:05 CET" }] }, "result 1");
      assert.equal(reply.text, "Tool results: 18C and sunny; 14:05 CET", "reply text");
      assert.equal(reply.response_metadata.stopReason, "end_turn", "reply stopReason");
      assert.deepEqual(reply.tool_calls, [], "reply tool_calls");
    },
  },
  {
    name: "round trip: JSON, image and error tool results; human text after them joins the same user turn",
    async run(ctx) {
      const bound = llmFor(ctx).bindTools([WEATHER_TOOL], { toolChoice: "get_weather" });
      const question = ["human", "Weather in Paris?"];
      const ai = await bound.invoke([question]);
      const [call] = ai.tool_calls;
      const variants = [
        {
          what: "json",
          tool: { role: "tool", tool_call_id: call.id, content: { temp: 18, sky: "clear" } },
          content: [{ json: { temp: 18, sky: "clear" } }],
          text: 'Tool results: {"temp":18,"sky":"clear"}',
        },
        {
          what: "json block",
          tool: new ToolMessage({ tool_call_id: call.id, content: [{ type: "json", json: { ok: true } }] }),
          content: [{ json: { ok: true } }],
          text: 'Tool results: {"ok":true}',
        },
        {
          what: "image",
          tool: { role: "tool", tool_call_id: call.id, content: [{ type: "image", mimeType: "image/png", data: PNG }] },
          content: [{ image: { format: "png", source: { bytes: PNG_B64 } } }],
          text: `Tool results: [image png ${PNG.length} bytes]`,
        },
        {
          what: "error",
          tool: { role: "tool", tool_call_id: call.id, content: "city not found", status: "error" },
          content: [{ text: "city not found" }],
          status: "error",
          text: "Tool results: city not found (error)",
        },
      ];
      for (const { what, tool, content, status, text } of variants) {
        await clearRequests(ctx);
        const reply = await bound.invoke([question, ai, tool]);
        const body = await onlyRequest(ctx, "invoke");
        assert.deepEqual(body.messages[1], { role: "assistant", content: [toolUseOf(call)] }, `${what}: assistant turn`);
        assert.equal(lastTurn(body).content.length, 1, `${what}: user turn blocks`);
        const block = lastTurn(body).content[0];
        if (what === "image") {
          assertBase64Bytes(block.toolResult?.content?.[0]?.image?.source?.bytes, PNG, "image result");
        }
        assertToolResult(block, { id: call.id, content, status }, what);
        assert.equal(reply.text, text, `${what}: reply text`);
      }
      await clearRequests(ctx);
      const reply = await bound.invoke([question, ai, { role: "tool", tool_call_id: call.id, content: "18C" }, ["human", "Thanks, and tomorrow?"]]);
      const body = await onlyRequest(ctx, "invoke");
      assert.equal(body.messages.length, 3, "tool result and human text merged into one user turn");
      assertToolResult(lastTurn(body).content[0], { id: call.id, content: [{ text: "18C" }] }, "merged result");
      assert.deepEqual(lastTurn(body).content[1], { text: "Thanks, and tomorrow?" }, "merged human text");
      assert.equal(reply.text, "Tool results: 18C", "merged reply text");
      const tupleWithoutId = await failure(() => bound.invoke([question, ai, ["tool", "18C"]]), "['tool', content] without an id");
      assert.ok(tupleWithoutId instanceof TypeError, `['tool', content]: ${tupleWithoutId?.name}`);
    },
  },
  {
    name: "round trip from concat'ed stream chunks, a content tuple and a hand-written AI message",
    async run(ctx) {
      const bound = llmFor(ctx).bindTools(TOOLS, { toolChoice: "auto" });
      const question = ["human", "Check get_weather please."];
      const full = (await collect(bound.stream([question]))).reduce(ctx.pkg.concat);
      const [call] = full.tool_calls;
      assertToolCallShape(call, "get_weather", WEATHER_ARGS, "streamed call");
      const expectedAssistant = { role: "assistant", content: [{ text: "Calling get_weather." }, toolUseOf(call)] };
      const result = { role: "tool", tool_call_id: call.id, content: "18C" };
      for (const [what, aiMessage] of [
        ["concat of chunks", full],
        ["['ai', content] tuple", ["ai", full.contentBlocks]],
      ]) {
        await clearRequests(ctx);
        const reply = await bound.invoke([question, aiMessage, result]);
        const body = await onlyRequest(ctx, "invoke");
        assert.deepEqual(body.messages[1], expectedAssistant, `${what}: assistant turn`);
        assertToolResult(lastTurn(body).content[0], { id: call.id, content: [{ text: "18C" }] }, `${what}: result`);
        assert.equal(reply.text, "Tool results: 18C", `${what}: reply text`);
      }
      await clearRequests(ctx);
      const chunks = await collect(bound.stream([
        ["human", "Weather in Paris?"],
        { role: "ai", content: "Let me check.", tool_calls: [{ type: "tool_call", id: "call_1", name: "get_weather", args: { city: "Paris" } }] },
        { role: "tool", tool_call_id: "call_1", content: "20C" },
      ]));
      const body = await onlyRequest(ctx, "stream");
      assert.deepEqual(body.messages[1], {
        role: "assistant",
        content: [{ text: "Let me check." }, { toolUse: { toolUseId: "call_1", name: "get_weather", input: { city: "Paris" } } }],
      }, "hand-written assistant turn");
      assertToolResult(lastTurn(body).content[0], { id: "call_1", content: [{ text: "20C" }] }, "hand-written result");
      assert.equal(joinText(chunks), "Tool results: 20C", "streamed reply text");
    },
  },

  // ----- structured output ---------------------------------------------------------------------
  {
    name: "withStructuredOutput (function calling): parsed object, one forced tool, includeRaw",
    async run(ctx) {
      const llm = llmFor(ctx);
      const structured = llm.withStructuredOutput(PERSON_SCHEMA, { name: "person" });
      await clearRequests(ctx);
      const parsed = await structured.invoke("Tell me about Ann.");
      assert.deepEqual(parsed, PERSON, "parsed object");
      const body = await onlyRequest(ctx, "invoke");
      assert.equal(body.toolConfig.tools.length, 1, "one tool");
      assert.equal(body.toolConfig.tools[0].toolSpec.name, "person", "tool name");
      assert.deepEqual(body.toolConfig.tools[0].toolSpec.inputSchema, { json: PERSON_SCHEMA }, "tool schema");
      assert.deepEqual(body.toolConfig.toolChoice, { tool: { name: "person" } }, "toolChoice");
      assert.equal(body.outputConfig, undefined, "no outputConfig with function calling");

      const withRaw = llm.withStructuredOutput(PERSON_SCHEMA, { name: "person", description: "Facts about a person", includeRaw: true });
      await clearRequests(ctx);
      const result = await withRaw.invoke([["human", "Tell me about Bob."]]);
      const rawBody = await onlyRequest(ctx, "invoke");
      assert.equal(rawBody.toolConfig.tools[0].toolSpec.description, "Facts about a person", "tool description");
      assert.deepEqual(Object.keys(result).sort(), ["parsed", "parsingError", "raw"], "includeRaw keys");
      assert.deepEqual(result.parsed, PERSON, "includeRaw parsed");
      assert.equal(result.parsingError, null, "includeRaw parsingError");
      assert.equal(result.raw.type, "ai", "raw type");
      assert.equal(result.raw.tool_calls.length, 1, "raw tool_calls");
      assertToolCallShape(result.raw.tool_calls[0], "person", PERSON, "raw tool call");
      assert.equal(result.raw.response_metadata.stopReason, "tool_use", "raw stopReason");

      const titled = llm.withStructuredOutput({ ...PERSON_SCHEMA, title: "Citizen" });
      await clearRequests(ctx);
      assert.deepEqual(await titled.invoke("Who?"), PERSON, "parsed with a titled schema");
      const titledBody = await onlyRequest(ctx, "invoke");
      assert.equal(titledBody.toolConfig.tools[0].toolSpec.name, "Citizen", "name defaults to schema.title");
      assert.deepEqual(titledBody.toolConfig.toolChoice, { tool: { name: "Citizen" } }, "toolChoice from title");
    },
  },
  {
    name: "withStructuredOutput method jsonSchema: outputConfig.textFormat with the schema as JSON text",
    async run(ctx) {
      for (const method of ["jsonSchema", "json_schema"]) {
        const structured = llmFor(ctx).withStructuredOutput(PERSON_SCHEMA, { name: "person", method });
        await clearRequests(ctx);
        const parsed = await structured.invoke("Tell me about Ann.");
        assert.deepEqual(parsed, PERSON, `${method}: parsed object`);
        const body = await onlyRequest(ctx, "invoke");
        assert.equal(body.toolConfig, undefined, `${method}: no toolConfig`);
        const format = body.outputConfig?.textFormat;
        assert.equal(format?.type, "json_schema", `${method}: textFormat.type`);
        const { schema, ...rest } = format.structure.jsonSchema;
        assert.deepEqual(rest, { name: "person" }, `${method}: jsonSchema name (and no other member)`);
        assert.type(schema, "string", `${method}: schema is JSON text`);
        assert.deepEqual(JSON.parse(schema), PERSON_SCHEMA, `${method}: schema text`);
        assert.deepEqual(Object.keys(body.outputConfig), ["textFormat"], `${method}: outputConfig members`);
      }
      const withRaw = llmFor(ctx).withStructuredOutput(PERSON_SCHEMA, { name: "person", method: "jsonSchema", includeRaw: true });
      const result = await withRaw.invoke("Ann?");
      assert.deepEqual(result.parsed, PERSON, "includeRaw parsed");
      assert.equal(result.parsingError, null, "includeRaw parsingError");
      assert.deepEqual(JSON.parse(result.raw.text), PERSON, "raw text is the JSON");
    },
  },
  {
    name: "withStructuredOutput stream yields growing partial objects ending with the full object",
    async run(ctx) {
      for (const method of ["functionCalling", "jsonSchema"]) {
        const structured = llmFor(ctx).withStructuredOutput(PERSON_SCHEMA, { name: "person", method });
        await clearRequests(ctx);
        const partials = await collect(structured.stream("Tell me about Ann."));
        const body = await onlyRequest(ctx, "stream");
        if (method === "functionCalling") assert.deepEqual(body.toolConfig.toolChoice, { tool: { name: "person" } }, `${method}: toolChoice`);
        else assert.equal(body.outputConfig.textFormat.type, "json_schema", `${method}: textFormat`);
        assert.ok(partials.length >= 3, `${method}: expected several partial objects, got ${partials.length}`);
        assert.deepEqual(partials.at(-1), PERSON, `${method}: last partial`);
        for (let k = 0; k < partials.length; k++) {
          assert.ok(partials[k] !== null && typeof partials[k] === "object" && !Array.isArray(partials[k]), `${method}: partial ${k} is not an object`);
          if (k > 0) assert.ok(JSON.stringify(partials[k]) !== JSON.stringify(partials[k - 1]), `${method}: partial ${k} repeats the previous one`);
          // Keys appear in the generated order and never disappear.
          const keys = Object.keys(partials[k]);
          assert.deepEqual(keys, Object.keys(PERSON).slice(0, keys.length), `${method}: partial ${k} keys`);
        }
      }
      const withRaw = llmFor(ctx).withStructuredOutput(PERSON_SCHEMA, { name: "person", includeRaw: true });
      const yields = await collect(withRaw.stream("Ann?"));
      assert.ok(yields.length >= 2, "includeRaw yields");
      for (const item of yields) {
        assert.deepEqual(Object.keys(item).sort(), ["parsed", "parsingError", "raw"], "includeRaw yield keys");
      }
      const last = yields.at(-1);
      assert.deepEqual(last.parsed, PERSON, "includeRaw last parsed");
      assert.equal(last.parsingError, null, "includeRaw last parsingError");
      assert.deepEqual(last.raw.tool_calls.map((c) => c.args), [PERSON], "includeRaw last raw tool_calls");
    },
  },
  {
    name: "withStructuredOutput: a reply that does not parse rejects with OutputParserException, or parsingError with includeRaw",
    async run(ctx) {
      const llm = llmFor(ctx, { model: "fault:bad-tool-args" });
      await clearRequests(ctx);
      const error = await assert.rejects(llm.withStructuredOutput(PERSON_SCHEMA, { name: "person" }).invoke("Ann?"));
      assertBedrockError(ctx, error, { name: "OutputParserException" });
      assert.ok(String(error.llmOutput).includes('{"city": "Par'), `llmOutput: ${JSON.stringify(error.llmOutput)}`);
      const body = await onlyRequest(ctx, "invoke");
      assert.deepEqual(body.toolConfig.toolChoice, { tool: { name: "person" } }, "toolChoice");
      const result = await llm.withStructuredOutput(PERSON_SCHEMA, { name: "person", includeRaw: true }).invoke("Ann?");
      assert.equal(result.parsed, null, "includeRaw parsed");
      assert.ok(result.parsingError instanceof Error, `includeRaw parsingError: ${result.parsingError}`);
      assert.equal(result.raw.invalid_tool_calls[0]?.args, '{"city": "Par', "raw invalid_tool_calls");
      // jsonSchema: a replayed recording answers with prose, whatever outputConfig asks for.
      const replayed = llmFor(ctx, { model: "replay:openinference-js/should-handle-basic-converse-stream-responses" });
      const prose = (await replayed.invoke("Hi")).text;
      assert.ok(prose.length > 0, "the replayed reply has text");
      await clearRequests(ctx);
      const notJson = await assert.rejects(
        replayed.withStructuredOutput(PERSON_SCHEMA, { name: "person", method: "jsonSchema" }).invoke("Ann?"),
        "jsonSchema with a reply that is not JSON",
      );
      assertBedrockError(ctx, notJson, { name: "OutputParserException" });
      assert.ok(String(notJson.llmOutput).includes(prose), `jsonSchema llmOutput: ${JSON.stringify(notJson.llmOutput)}`);
      assert.equal((await onlyRequest(ctx, "invoke")).outputConfig?.textFormat?.type, "json_schema", "jsonSchema request");
    },
  },

  // ----- media ------------------------------------------------------------------------------------
  {
    name: "images in every input form become a png image block with the same bytes",
    async run(ctx) {
      const llm = llmFor(ctx);
      const expected = { image: { format: "png", source: { bytes: PNG_B64 } } };
      const forms = [
        ["Uint8Array", { type: "image", mimeType: "image/png", data: PNG }],
        ["ArrayBuffer", { type: "image", mimeType: "image/png", data: PNG.slice().buffer }],
        ["base64 string", { type: "image", mimeType: "image/png", data: PNG_B64 }],
        ["data URL as data", { type: "image", mimeType: "image/png", data: PNG_DATA_URL }],
        ["data URL as url", { type: "image", url: PNG_DATA_URL }],
        ["mime_type + source_type base64", { type: "image", mime_type: "image/png", source_type: "base64", data: PNG_B64 }],
        ["image_url object", { type: "image_url", image_url: { url: PNG_DATA_URL } }],
        ["image_url string", { type: "image_url", image_url: PNG_DATA_URL }],
        ["file with an image MIME type", { type: "file", mimeType: "image/png", data: PNG }],
        ["native bytes as Uint8Array", { image: { format: "png", source: { bytes: PNG } } }],
        ["native bytes as base64", { image: { format: "png", source: { bytes: PNG_B64 } } }],
      ];
      for (const [what, block] of forms) {
        await clearRequests(ctx);
        const message = await llm.invoke(humanWith(block));
        const body = await onlyRequest(ctx, "invoke");
        const sent = body.messages[0].content;
        assert.deepEqual(sent[0], { text: "Describe" }, `${what}: text block`);
        assertBase64Bytes(sent[1]?.image?.source?.bytes, PNG, what);
        assert.deepEqual(sent[1], expected, `${what}: image block`);
        assert.equal(message.text, `Echo: Describe [image png ${PNG.length} bytes]`, `${what}: reply`);
      }
      await clearRequests(ctx);
      const chunks = await collect(llm.stream(humanWith({ type: "image", mimeType: "image/png", data: PNG })));
      assert.deepEqual((await onlyRequest(ctx, "stream")).messages[0].content[1], expected, "stream: image block");
      assert.equal(joinText(chunks), `Echo: Describe [image png ${PNG.length} bytes]`, "stream: reply");
    },
  },
  {
    name: "an s3:// image URL becomes an s3Location source",
    async run(ctx) {
      await clearRequests(ctx);
      const message = await llmFor(ctx).invoke(humanWith({ type: "image", mimeType: "image/png", url: "s3://my-bucket/cat.png" }));
      const body = await onlyRequest(ctx, "invoke");
      assert.deepEqual(body.messages[0].content[1], { image: { format: "png", source: { s3Location: { uri: "s3://my-bucket/cat.png" } } } }, "image block");
      assert.equal(message.text, "Echo: Describe [image png s3://my-bucket/cat.png]", "reply");
    },
  },
  {
    name: "documents: PDF with a sanitised name, text-plain, a CSV with a stable generated name",
    async run(ctx) {
      const llm = llmFor(ctx);
      await clearRequests(ctx);
      const pdfReply = await llm.invoke(humanWith({ type: "file", mimeType: "application/pdf", data: PDF, filename: "report.pdf" }));
      const pdf = (await onlyRequest(ctx, "invoke")).messages[0].content[1].document;
      assert.ok(pdf, "no document block");
      assert.deepEqual(Object.keys(pdf).sort(), ["format", "name", "source"], "document members");
      assert.equal(pdf.format, "pdf", "pdf format");
      assert.ok(DOC_NAME.test(pdf.name) && !/\s\s/.test(pdf.name), `document name ${JSON.stringify(pdf.name)} breaks Bedrock's rules`);
      assert.ok(pdf.name.startsWith("report"), `document name ${JSON.stringify(pdf.name)} lost the file name`);
      assertBase64Bytes(pdf.source.bytes, PDF, "pdf");
      assert.equal(pdfReply.text, `Echo: Describe [document ${pdf.name} pdf ${PDF.length} bytes]`, "pdf reply");

      await clearRequests(ctx);
      const textReply = await llm.invoke(humanWith({ type: "text-plain", text: "Some notes.", mimeType: "text/plain", filename: "notes" }));
      const textDoc = (await onlyRequest(ctx, "invoke")).messages[0].content[1];
      assert.deepEqual(textDoc, { document: { format: "txt", name: "notes", source: { text: "Some notes." } } }, "text-plain document");
      assert.equal(textReply.text, "Echo: Describe [document notes txt 11 bytes]", "text-plain reply");

      const names = [];
      for (let k = 0; k < 2; k++) {
        await clearRequests(ctx);
        const reply = await llm.invoke(humanWith({ type: "file", mimeType: "text/csv", data: CSV }));
        const csv = (await onlyRequest(ctx, "invoke")).messages[0].content[1].document;
        assert.equal(csv.format, "csv", "csv format");
        assert.ok(/^document-[0-9a-f]{8}$/.test(csv.name), `generated name ${JSON.stringify(csv.name)}`);
        assertBase64Bytes(csv.source.bytes, CSV, "csv");
        assert.equal(reply.text, `Echo: Describe [document ${csv.name} csv ${CSV.length} bytes]`, "csv reply");
        names.push(csv.name);
      }
      assert.equal(names[0], names[1], "the generated name is stable for the same bytes");
    },
  },
  {
    name: "video mp4 from a video block and a file block",
    async run(ctx) {
      const llm = llmFor(ctx);
      for (const [what, block] of [
        ["video block", { type: "video", mimeType: "video/mp4", data: MP4 }],
        ["file block", { type: "file", mimeType: "video/mp4", data: MP4 }],
      ]) {
        await clearRequests(ctx);
        const reply = await llm.invoke(humanWith(block));
        const video = (await onlyRequest(ctx, "invoke")).messages[0].content[1];
        assert.deepEqual(Object.keys(video), ["video"], `${what}: block member`);
        assert.equal(video.video.format, "mp4", `${what}: format`);
        assertBase64Bytes(video.video.source.bytes, MP4, what);
        assert.equal(reply.text, `Echo: Describe [video mp4 ${MP4.length} bytes]`, `${what}: reply`);
      }
      await clearRequests(ctx);
      const chunks = await collect(llm.stream(humanWith({ type: "video", mimeType: "video/mp4", url: "s3://b/clip.mp4" })));
      assert.deepEqual((await onlyRequest(ctx, "stream")).messages[0].content[1],
        { video: { format: "mp4", source: { s3Location: { uri: "s3://b/clip.mp4" } } } }, "s3 video block");
      assert.equal(joinText(chunks), "Echo: Describe [video mp4 s3://b/clip.mp4]", "s3 video reply");
    },
  },
  {
    name: "bad media throws a TypeError naming messages[i].content[j]; nothing is sent",
    async run(ctx) {
      const llm = llmFor(ctx);
      const bad = [
        ["unknown MIME type", { type: "file", mimeType: "application/x-made-up", data: PDF }],
        ["unknown image MIME type", { type: "image", mimeType: "image/x-nope", data: PNG }],
        ["empty bytes", { type: "image", mimeType: "image/png", data: new Uint8Array(0) }],
        ["bad base64", { type: "image", mimeType: "image/png", data: "not*base64!" }],
        ["http URL", { type: "image", mimeType: "image/png", url: "https://example.com/cat.png" }],
        ["http image_url", { type: "image_url", image_url: { url: "http://example.com/cat.png" } }],
      ];
      await clearRequests(ctx);
      for (const [what, block] of bad) {
        const input = [["human", "Hi"], ["ai", "Hello!"], ["human", [{ type: "text", text: "Look" }, block]]];
        assertTypeErrorAt(await failure(() => llm.invoke(input), `invoke ${what}`), "messages[2].content[1]", `invoke ${what}`);
        assertTypeErrorAt(await failure(() => llm.stream(input), `stream ${what}`), "messages[2].content[1]", `stream ${what}`);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests the emulator saw");
    },
  },
  {
    name: "a message that refers to itself is a TypeError, and nothing is sent",
    async run(ctx) {
      const llm = llmFor(ctx);
      const block = { type: "text", text: "loop" };
      block.self = block;
      await clearRequests(ctx);
      for (const call of [() => llm.invoke([["human", [block]]]), () => llm.stream([["human", [block]]])]) {
        const error = await failure(call, "a cyclic block");
        assert.ok(error instanceof TypeError, `expected a TypeError, got ${error?.name}: ${error?.message}`);
        assert.ok(/nests more than 64 levels/.test(error.message), error.message);
      }
      assert.equal((await sentRequests(ctx)).length, 0, "requests the emulator saw");
      const after = await llm.invoke([["human", "still fine"]]);
      assert.equal(after.text, "Echo: still fine", "the client works after the error");
    },
  },

  // ----- the peers' message forms (langchain-aws, @langchain/aws) ---------------------------------
  {
    name: "peer forms: {type:'image', image}, {type:'document', document}, {type:'video', video}, {type:'cache_point', cachePoint} and a source_type 'text' file are sent as their Converse blocks",
    async run(ctx) {
      const document = { format: "pdf", name: "report", source: { bytes: bytesToBase64(PDF) }, citations: { enabled: false } };
      const input = humanWith(
        { type: "image", image: { format: "png", source: { bytes: PNG } } },
        { type: "document", document },
        { type: "video", video: { format: "mp4", source: { bytes: MP4 } } },
        { type: "file", source_type: "text", text: "Some notes.", metadata: { filename: "notes.txt" } },
        { type: "cache_point", cachePoint: { type: "default" } },
      );
      const { message, invokeBody, full, streamBody } = await invokeAndStream(ctx, llmFor(ctx), input);
      const expected = [
        { text: "Describe" },
        { image: { format: "png", source: { bytes: PNG_B64 } } },
        { document },
        { video: { format: "mp4", source: { bytes: bytesToBase64(MP4) } } },
        { document: { format: "txt", name: "notes", source: { text: "Some notes." } } },
        { cachePoint: { type: "default" } },
      ];
      assert.deepEqual(invokeBody.messages, [{ role: "user", content: expected }], "converse messages");
      assert.deepEqual(streamBody.messages, [{ role: "user", content: expected }], "converse-stream messages");
      const reply = `Echo: Describe [image png ${PNG.length} bytes] [document report pdf ${PDF.length} bytes] [video mp4 ${MP4.length} bytes] [document notes txt 11 bytes]`;
      assert.equal(message.text, reply, "invoke reply");
      assert.equal(full.text, reply, "stream reply");
    },
  },
  {
    name: "peer forms: {type:'guard_content', text} in system and human messages becomes guardContent, assessed by the guardrail",
    async run(ctx) {
      const llm = llmFor(ctx, { guardrailConfig: GUARDRAIL });
      await clearRequests(ctx);
      const blocked = await llm.invoke([
        ["system", [{ type: "text", text: "Be brief." }, { type: "guard_content", text: "Stay polite." }]],
        ["human", [{ type: "guard_content", text: "This text is forbidden." }, { type: "text", text: "Summarise it." }]],
      ]);
      const body = await onlyRequest(ctx, "invoke");
      assert.deepEqual(body.system, [{ text: "Be brief." }, { guardContent: { text: { text: "Stay polite." } } }], "system");
      assert.deepEqual(body.messages[0].content,
        [{ guardContent: { text: { text: "This text is forbidden." } } }, { text: "Summarise it." }], "human content");
      assert.equal(blocked.response_metadata.stopReason, "guardrail_intervened", "the guardrail saw the guard content");
      await clearRequests(ctx);
      const allowed = await llm.invoke([["human", [{ type: "guard_content", text: "Nice weather." }, "Summarise it."]]]);
      assert.deepEqual((await onlyRequest(ctx, "invoke")).messages[0].content,
        [{ guardContent: { text: { text: "Nice weather." } } }, { text: "Summarise it." }], "allowed content");
      assert.equal(allowed.text, "Echo: Summarise it.", "allowed reply");
    },
  },
  {
    name: "peer forms: {type:'tool_result', tool_use_id, content, is_error} in human content becomes a toolResult; tool_calls win over tool_use blocks with their id",
    async run(ctx) {
      const llm = llmFor(ctx).bindTools([WEATHER_TOOL]);
      const history = [
        ["human", "What is the weather in Paris?"],
        {
          role: "ai",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool_use", id: "tooluse_edited", name: "get_weather", input: { city: "Rome" } },
            { type: "tool_use", id: "tooluse_block_only", name: "get_weather", input: { city: "Oslo" } },
          ],
          tool_calls: [
            { id: "tooluse_edited", name: "get_weather", args: { city: "Paris" } },
            { id: "tooluse_call_only", name: "get_weather", args: { city: "Nice" } },
          ],
        },
        ["human", [
          { type: "tool_result", tool_use_id: "tooluse_edited", is_error: true, content: [{ type: "text", text: "No data" }] },
          { type: "tool_result", tool_use_id: "tooluse_block_only", content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_B64 } }] },
          { type: "tool_result", tool_use_id: "tooluse_call_only", is_error: false, content: "21 degrees" },
        ]],
      ];
      const { message, invokeBody, full, streamBody } = await invokeAndStream(ctx, llm, history);
      for (const [what, body] of [["converse", invokeBody], ["converse-stream", streamBody]]) {
        assert.deepEqual(body.messages[1].content, [
          { text: "Checking." },
          { toolUse: { toolUseId: "tooluse_edited", name: "get_weather", input: { city: "Paris" } } },
          { toolUse: { toolUseId: "tooluse_block_only", name: "get_weather", input: { city: "Oslo" } } },
          { toolUse: { toolUseId: "tooluse_call_only", name: "get_weather", input: { city: "Nice" } } },
        ], `${what}: the edited tool call wins, the others are kept`);
        const results = body.messages[2].content;
        assert.equal(results.length, 3, `${what}: tool results`);
        assertToolResult(results[0], { id: "tooluse_edited", content: [{ text: "No data" }], status: "error" }, `${what} result 0`);
        assertToolResult(results[1], { id: "tooluse_block_only", content: [{ image: { format: "png", source: { bytes: PNG_B64 } } }] }, `${what} result 1`);
        assertToolResult(results[2], { id: "tooluse_call_only", content: [{ text: "21 degrees" }], status: "success" }, `${what} result 2`);
      }
      const reply = `Tool results: No data (error); [image png ${PNG.length} bytes]; 21 degrees`;
      assert.equal(message.text, reply, "invoke reply");
      assert.equal(full.text, reply, "stream reply");
    },
  },
  {
    name: "an AI message's tool_calls win over its tool_use blocks with the same id (langchain-aws); unmatched blocks and calls are both sent",
    async run(ctx) {
      const llm = llmFor(ctx).bindTools([WEATHER_TOOL]);
      const ai = {
        role: "ai",
        content: [
          { type: "tool_use", id: "tooluse_edited", name: "get_weather", input: { city: "Rome" } },
          { type: "tool_call", id: "tooluse_block_only", name: "get_weather", args: { city: "Oslo" } },
        ],
        tool_calls: [
          { id: "tooluse_edited", name: "get_weather", args: { city: "Paris" } },
          { id: "tooluse_call_only", name: "get_weather", args: { city: "Nice" } },
        ],
      };
      const input = [
        ["human", "What is the weather?"],
        ai,
        ...["tooluse_edited", "tooluse_block_only", "tooluse_call_only"].map((id) => ["tool", `${id} ok`, { tool_call_id: id }]),
      ];
      const { message, invokeBody, full, streamBody } = await invokeAndStream(ctx, llm, input);
      const sent = [
        { toolUse: { toolUseId: "tooluse_edited", name: "get_weather", input: { city: "Paris" } } },
        { toolUse: { toolUseId: "tooluse_block_only", name: "get_weather", input: { city: "Oslo" } } },
        { toolUse: { toolUseId: "tooluse_call_only", name: "get_weather", input: { city: "Nice" } } },
      ];
      assert.deepEqual(invokeBody.messages[1], { role: "assistant", content: sent }, "converse assistant turn");
      assert.deepEqual(streamBody.messages[1], { role: "assistant", content: sent }, "converse-stream assistant turn");
      const reply = "Tool results: tooluse_edited ok; tooluse_block_only ok; tooluse_call_only ok";
      assert.equal(message.text, reply, "invoke reply");
      assert.equal(full.text, reply, "stream reply");
    },
  },
  {
    name: "peer forms: cache points in a tool message follow its toolResult",
    async run(ctx) {
      const llm = llmFor(ctx).bindTools([WEATHER_TOOL]);
      await clearRequests(ctx);
      const answer = await llm.invoke([
        ["human", "What is the weather in Paris?"],
        { role: "ai", content: "", tool_calls: [{ id: "tooluse_1", name: "get_weather", args: { city: "Paris" } }] },
        new ToolMessage({ tool_call_id: "tooluse_1", content: [{ type: "text", text: "18 degrees" }, CACHE_POINT] }),
      ]);
      const content = lastTurn(await onlyRequest(ctx, "invoke")).content;
      assert.equal(content.length, 2, "blocks of the last turn");
      assertToolResult(content[0], { id: "tooluse_1", content: [{ text: "18 degrees" }] }, "tool result");
      assert.deepEqual(content[1], CACHE_POINT, "the cache point after the result");
      assert.equal(answer.text, "Tool results: 18 degrees", "reply");
    },
  },
  {
    name: "peer forms: whitespace-only text is dropped, an empty reasoning signature is none, a video's s3:// fileId is its location",
    async run(ctx) {
      const input = [
        ["human", "Look."],
        { role: "ai", content: [{ type: "reasoning", reasoning: "Looking.", signature: "" }, { type: "text", text: "Done." }] },
        ["human", ["  ", { type: "text", text: "\n\t" }, "Describe", { type: "video", mimeType: "video/mp4", fileId: "s3://b/clip.mp4" }]],
      ];
      const { message, invokeBody, full, streamBody } = await invokeAndStream(ctx, llmFor(ctx), input);
      for (const [what, body] of [["converse", invokeBody], ["converse-stream", streamBody]]) {
        assert.deepEqual(body.messages[1].content,
          [{ reasoningContent: { reasoningText: { text: "Looking." } } }, { text: "Done." }], `${what}: unsigned reasoning`);
        assert.deepEqual(body.messages[2].content,
          [{ text: "Describe" }, { video: { format: "mp4", source: { s3Location: { uri: "s3://b/clip.mp4" } } } }], `${what}: last turn`);
      }
      assert.equal(message.text, "Echo: Describe [video mp4 s3://b/clip.mp4]", "invoke reply");
      assert.equal(full.text, "Echo: Describe [video mp4 s3://b/clip.mp4]", "stream reply");
    },
  },
  {
    name: "peer forms: the peers' earlier reasoning_content blocks (@langchain/aws reasoningText and redactedContent, langchain-aws reasoning_content) go back as reasoningContent",
    async run(ctx) {
      const signature = await signatureFor("Two and two.");
      const input = [
        ["human", "What is 2+2?"],
        { role: "ai", content: [
          { type: "reasoning_content", reasoningText: { text: "Two and two.", signature } },
          { type: "reasoning_content", redactedContent: "AAAA" },
          { type: "text", text: "4" },
        ] },
        { role: "ai", content: [{ type: "reasoning_content", reasoning_content: { text: "Two and two.", signature } }] },
        ["human", "And 3+3?"],
      ];
      const { message, invokeBody, full, streamBody } = await invokeAndStream(ctx, llmFor(ctx), input);
      const reasoning = { reasoningContent: { reasoningText: { text: "Two and two.", signature } } };
      for (const [what, body] of [["converse", invokeBody], ["converse-stream", streamBody]]) {
        assert.deepEqual(body.messages[1], { role: "assistant", content: [
          reasoning, { reasoningContent: { redactedContent: "AAAA" } }, { text: "4" }, reasoning,
        ] }, `${what}: assistant turn`);
      }
      assert.equal(message.text, "Echo: And 3+3?", "invoke reply");
      assert.equal(full.text, "Echo: And 3+3?", "stream reply");
    },
  },
  {
    name: "prefill: trailing whitespace of a final AI message is trimmed (the string, or its last text block)",
    async run(ctx) {
      const llm = llmFor(ctx);
      for (const [what, ai, sent] of [
        ["string", "The answer is:  \n\t ", [{ text: "The answer is:" }]],
        ["blocks", [{ type: "text", text: "One, " }, { type: "text", text: "two \n" }, { type: "text", text: " " }],
          [{ text: "One, " }, { text: "two" }]],
      ]) {
        const input = [["human", "Count to three."], ["ai", ai]];
        const { message, invokeBody, full, streamBody } = await invokeAndStream(ctx, llm, input);
        assert.deepEqual(invokeBody.messages[1], { role: "assistant", content: sent }, `${what}: converse prefill`);
        assert.deepEqual(streamBody.messages[1], { role: "assistant", content: sent }, `${what}: converse-stream prefill`);
        assert.equal(message.text, "Echo: Count to three.", `${what}: invoke reply`);
        assert.equal(full.text, "Echo: Count to three.", `${what}: stream reply`);
      }
      await clearRequests(ctx);
      await llm.invoke([["human", "Hi "], ["ai", "Earlier  "], ["human", "Go on. "]]);
      assert.deepEqual((await onlyRequest(ctx, "invoke")).messages.map((m) => m.content),
        [[{ text: "Hi " }], [{ text: "Earlier  " }], [{ text: "Go on. " }]], "only a final AI message is trimmed");
    },
  },

  // ----- reasoning ---------------------------------------------------------------------------------
  {
    name: "stream: delta chunks are plain objects with exactly the JSON members, in order (reasoning, non-ASCII text, tool arguments)",
    async run(ctx) {
      // What each plain-delta chunk must serialise to, member for member (the shape of
      // src/chat/output.rs, which the package's JS builds these chunks to).
      const block = (type, key, value, index) => ({ type, [key]: value, ...(index === undefined ? {} : { index }) });
      const expected = (chunk) => {
        const [first] = chunk.content;
        const text = first.type === "text" ? first.text : "";
        const value = first.text ?? first.reasoning ?? first.args;
        const key = { text: "text", reasoning: "reasoning", tool_call_chunk: "args" }[first.type];
        const pieces = first.type === "tool_call_chunk" ? [block(first.type, key, value, first.index)] : [];
        return JSON.stringify({ type: "AIMessageChunk", id: chunk.id, content: [block(first.type, key, value, first.index)], text, tool_call_chunks: pieces });
      };
      const isDelta = (chunk) =>
        chunk.content.length === 1 && !chunk.usage_metadata && !chunk.response_metadata &&
        !chunk.content[0].extras && !chunk.content[0].annotations && chunk.content[0].id === undefined;
      const question = "Ünïcödé 😀 中文 — ✓ 𝄞?";
      const thinking = llmFor(ctx, { maxTokens: 2048, additionalModelRequestFields: THINKING });
      const tools = llmFor(ctx).bindTools([WEATHER_TOOL], { toolChoice: "auto" });
      const reasoned = await collect(thinking.stream(question));
      const called = await collect(tools.stream([["human", "Please call get_weather."]]));
      const deltas = [...reasoned, ...called].filter(isDelta);
      const kinds = new Set(deltas.map((chunk) => chunk.content[0].type));
      assert.deepEqual([...kinds].sort(), ["reasoning", "text", "tool_call_chunk"], "delta kinds streamed");
      for (const chunk of deltas) {
        assert.equal(Object.getPrototypeOf(chunk), Object.prototype, "a plain object");
        assert.equal(JSON.stringify(chunk), expected(chunk), "members and their order");
        if (chunk.tool_call_chunks.length > 0) {
          assert.ok(chunk.tool_call_chunks[0] !== chunk.content[0], "tool_call_chunks holds its own object");
        }
      }
      assert.equal(joinText(reasoned), `Echo: ${question}`, "streamed text");
      const reasoning = reasoned.flatMap((c) => c.content).filter((b) => b.type === "reasoning").map((b) => b.reasoning).join("");
      assert.equal(reasoning, `Thinking about: ${question}`, "streamed reasoning");
      const args = called.flatMap((c) => c.tool_call_chunks).map((piece) => piece.args).join("");
      assert.deepEqual(JSON.parse(args), WEATHER_ARGS, "streamed tool arguments");
      assert.ok(reasoned.every((c) => c.id === reasoned[0].id) && reasoned[0].id.startsWith("run-"), "one run id");
    },
  },
  {
    name: "reasoning: thinking request fields; a signed reasoning block first (invoke and stream)",
    async run(ctx) {
      const llm = llmFor(ctx, { maxTokens: 2048, additionalModelRequestFields: THINKING });
      const { message, invokeBody, chunks, full, streamBody } = await invokeAndStream(ctx, llm, "What is 2+2?");
      for (const body of [invokeBody, streamBody]) {
        assert.deepEqual(body.additionalModelRequestFields, THINKING, "additionalModelRequestFields");
        assert.equal(body.inferenceConfig?.maxTokens, 2048, "maxTokens");
      }
      const reasoning = "Thinking about: What is 2+2?";
      const signature = await signatureFor(reasoning);
      assert.deepEqual(message.contentBlocks, [
        { type: "reasoning", reasoning, extras: { signature } },
        { type: "text", text: "Echo: What is 2+2?" },
      ], "contentBlocks");
      assert.deepEqual(message.content, message.contentBlocks, "content is the block array");
      assert.equal(message.text, "Echo: What is 2+2?", "text excludes reasoning");
      const reasoningBlocks = chunks.flatMap((c) => c.content).filter((b) => b.type === "reasoning");
      assert.ok(reasoningBlocks.length >= 2, "reasoning chunks");
      assert.ok(reasoningBlocks.every((b) => b.index === 0), "reasoning chunks are at index 0");
      assert.equal(reasoningBlocks.map((b) => b.reasoning).join(""), reasoning, "streamed reasoning text");
      assert.deepEqual(reasoningBlocks.filter((b) => b.extras?.signature).map((b) => b.extras.signature), [signature], "streamed signature");
      assert.equal(joinText(chunks), "Echo: What is 2+2?", "streamed text excludes reasoning");
      assertSameFold(full, message, "reasoning");
      assert.noKeyDeep(full, "p");
    },
  },
  {
    name: "reasoning: redacted thinking is a reasoning block with extras.redactedContent",
    async run(ctx) {
      const llm = llmFor(ctx, { maxTokens: 2048, additionalModelRequestFields: THINKING });
      const { message, chunks, full, streamBody } = await invokeAndStream(ctx, llm, "Think redacted thoughts.");
      assert.deepEqual(streamBody.additionalModelRequestFields, THINKING, "stream additionalModelRequestFields");
      const reasoning = "Thinking about: Think redacted thoughts.";
      const [signed, redacted, text] = message.contentBlocks;
      assert.deepEqual(signed, { type: "reasoning", reasoning, extras: { signature: await signatureFor(reasoning) } }, "signed block");
      assert.deepEqual(Object.keys(redacted).sort(), ["extras", "reasoning", "type"], "redacted block keys");
      assert.equal(redacted.type, "reasoning", "redacted type");
      assert.equal(redacted.reasoning, "", "redacted reasoning text");
      assert.deepEqual(Object.keys(redacted.extras), ["redactedContent"], "redacted extras");
      assert.ok(/^[A-Za-z0-9+/]+={0,2}$/.test(redacted.extras.redactedContent), `redactedContent is base64: ${redacted.extras.redactedContent}`);
      assert.deepEqual(text, { type: "text", text: "Echo: Think redacted thoughts." }, "text block");
      const redactedChunks = chunks.flatMap((c) => c.content).filter((b) => b.extras?.redactedContent);
      assert.equal(redactedChunks.length, 1, "one redacted chunk");
      assert.equal(redactedChunks[0].index, 1, "redacted block index");
      assertSameFold(full, message, "redacted");
    },
  },
  {
    name: "reasoning follow-up with tools: reasoningContent sent back unchanged and ahead of toolUse (invoke, concat, tuple)",
    async run(ctx) {
      const llm = llmFor(ctx, { maxTokens: 2048, additionalModelRequestFields: THINKING }).bindTools([WEATHER_TOOL], { toolChoice: "auto" });
      const question = ["human", "Use get_weather, keep it redacted."];
      const reasoning = "Thinking about: Use get_weather, keep it redacted.";
      const signature = await signatureFor(reasoning);
      const message = await llm.invoke([question]);
      const full = (await collect(llm.stream([question]))).reduce(ctx.pkg.concat);
      for (const [what, reply] of [["invoke", message], ["stream", full]]) {
        const [signed, redacted, text, call] = reply.contentBlocks;
        assert.deepEqual(signed, { type: "reasoning", reasoning, extras: { signature } }, `${what}: signed reasoning`);
        assert.ok(redacted?.extras?.redactedContent, `${what}: redacted reasoning`);
        assert.deepEqual(text, { type: "text", text: "Calling get_weather." }, `${what}: text`);
        assertToolCallShape(call, "get_weather", WEATHER_ARGS, `${what}: tool call`);
        assert.equal(reply.contentBlocks.length, 4, `${what}: blocks`);
      }
      const assistantTurn = (reply) => ({
        role: "assistant",
        content: [
          { reasoningContent: { reasoningText: { text: reasoning, signature } } },
          { reasoningContent: { redactedContent: reply.contentBlocks[1].extras.redactedContent } },
          { text: "Calling get_weather." },
          toolUseOf(reply.tool_calls[0]),
        ],
      });
      for (const [what, reply, sent] of [
        ["invoke result", message, message],
        ["concat of stream chunks", full, full],
        ["['ai', msg.content] tuple", message, ["ai", message.content]],
      ]) {
        await clearRequests(ctx);
        const answer = await llm.invoke([question, sent, { role: "tool", tool_call_id: reply.tool_calls[0].id, content: "18C" }]);
        const body = await onlyRequest(ctx, "invoke");
        assert.deepEqual(body.additionalModelRequestFields, THINKING, `${what}: thinking still on`);
        assert.deepEqual(body.messages[1], assistantTurn(reply), `${what}: assistant turn`);
        assertToolResult(lastTurn(body).content[0], { id: reply.tool_calls[0].id, content: [{ text: "18C" }] }, `${what}: result`);
        assert.equal(answer.text, "Tool results: 18C", `${what}: reply text (the emulator accepted the signatures)`);
      }
      // A tampered reasoning text is refused by the emulator: the signature check is real.
      const tampered = { role: "ai", content: [{ type: "reasoning", reasoning: `${reasoning} (edited)`, extras: { signature } }, ...message.content.slice(1)] };
      const refused = await assert.rejects(llm.invoke([question, tampered, { role: "tool", tool_call_id: message.tool_calls[0].id, content: "18C" }]));
      assertBedrockError(ctx, refused, { name: "ValidationException", status: 400 });
    },
  },

  // ----- citations ---------------------------------------------------------------------------------
  {
    name: "citations: a document with citations enabled; the reply's text carries citation annotations",
    async run(ctx) {
      const facts = new TextEncoder().encode("The sky is blue. It is nice.");
      const input = [["human", [
        { type: "file", mimeType: "text/plain", data: facts, filename: "facts", citations: true },
        { type: "text", text: "What colour is the sky?" },
      ]]];
      const llm = llmFor(ctx);
      const { message, invokeBody, chunks, full, streamBody } = await invokeAndStream(ctx, llm, input);
      for (const body of [invokeBody, streamBody]) {
        const [document, question] = body.messages[0].content;
        assert.deepEqual(Object.keys(document.document).sort(), ["citations", "format", "name", "source"], "document members");
        assert.equal(document.document.format, "txt", "format");
        assert.equal(document.document.name, "facts", "name");
        assert.deepEqual(document.document.citations, { enabled: true }, "citations");
        assertBase64Bytes(document.document.source.bytes, facts, "document");
        assert.deepEqual(question, { text: "What colour is the sky?" }, "question");
      }
      const text = "According to the document, The sky is blue.";
      const citation = {
        type: "citation",
        title: "facts",
        citedText: "The sky is blue.",
        location: { documentChar: { documentIndex: 0, start: 0, end: 16 } },
      };
      assert.deepEqual(message.contentBlocks, [{ type: "text", text, annotations: [citation] }], "contentBlocks");
      assert.equal(message.text, text, "text");
      assert.ok(Array.isArray(message.content), "content is a block array when text has annotations");
      assert.equal(joinText(chunks), text, "streamed text (nothing lost)");
      const annotated = chunks.flatMap((c) => c.content).filter((b) => b.annotations?.length);
      assert.equal(annotated.length, 1, "one chunk with an annotation");
      assert.deepEqual(annotated[0].annotations, [citation], "streamed annotation");
      assert.equal(annotated[0].type, "text", "annotation chunk type");
      assert.equal(annotated[0].index, 0, "annotation chunk index");
      assertSameFold(full, message, "citations");
      // citations: {enabled: true} is accepted too.
      await clearRequests(ctx);
      await llm.invoke([["human", [{ type: "file", mimeType: "text/plain", data: facts, filename: "facts", citations: { enabled: true } }, { type: "text", text: "Sky?" }]]]);
      assert.deepEqual((await onlyRequest(ctx, "invoke")).messages[0].content[0].document.citations, { enabled: true }, "citations object form");
    },
  },

  // ----- caching -----------------------------------------------------------------------------------
  {
    name: "prompt caching: cache points in system, messages and tools; cache write then read",
    async run(ctx) {
      const longSystem = "You are a careful assistant. ".repeat(40).trim();
      const setups = [
        {
          what: "system",
          llm: llmFor(ctx),
          input: [{ role: "system", content: [{ type: "text", text: longSystem }, CACHE_POINT] }, ["human", "Hello there"]],
          check: (body) => assert.deepEqual(body.system, [{ text: longSystem }, CACHE_POINT], "system with a cache point"),
        },
        {
          what: "messages",
          llm: llmFor(ctx),
          input: [["human", [{ type: "text", text: longSystem }, CACHE_POINT, { type: "text", text: "Question?" }]]],
          check: (body) => assert.deepEqual(body.messages[0].content, [{ text: longSystem }, CACHE_POINT, { text: "Question?" }], "message with a cache point"),
        },
        {
          what: "tools",
          llm: llmFor(ctx).bindTools([WEATHER_TOOL, CACHE_POINT]),
          input: [["system", longSystem], ["human", "Hello there"]],
          check: (body) => assert.deepEqual(body.toolConfig.tools, [TOOL_SPECS[0], CACHE_POINT], "tools with a cache point"),
        },
      ];
      for (const { what, llm, input, check } of setups) {
        await clearCache(ctx);
        await clearRequests(ctx);
        const first = await llm.invoke(input);
        check(await onlyRequest(ctx, "invoke"));
        const written = assertCacheUsage(first, `${what}: first call`);
        assert.ok(written.write > 0, `${what}: first call cache_creation is ${written.write}`);
        assert.equal(written.read, 0, `${what}: first call cache_read`);
        await clearRequests(ctx);
        const second = await llm.invoke(input);
        check(await onlyRequest(ctx, "invoke"));
        const read = assertCacheUsage(second, `${what}: second call`);
        assert.equal(read.read, written.write, `${what}: second call cache_read`);
        assert.equal(read.write, 0, `${what}: second call cache_creation`);
        await clearRequests(ctx);
        const chunks = await collect(llm.stream(input));
        check(await onlyRequest(ctx, "stream"));
        const usage = chunks.reduce(ctx.pkg.concat).usage_metadata;
        assert.equal(usage.input_token_details.cache_read, written.write, `${what}: stream cache_read`);
        assert.equal(usage.input_tokens, second.usage_metadata.input_tokens, `${what}: stream input_tokens`);
        assert.noKeyDeep(second.usage_metadata, "cacheReadInputTokenCount");
      }
    },
  },

  // ----- guardrails --------------------------------------------------------------------------------
  {
    name: "guardrails: config sent (async stream mode on streams), intervention with a trace, guardContent passed through",
    async run(ctx) {
      const llm = llmFor(ctx, { guardrailConfig: GUARDRAIL });
      const topic = { name: "Forbidden", type: "DENY", action: "BLOCKED" };
      await clearRequests(ctx);
      const blocked = await llm.invoke("Tell me something forbidden.");
      assert.deepEqual((await onlyRequest(ctx, "invoke")).guardrailConfig, GUARDRAIL, "converse guardrailConfig");
      assert.equal(blocked.text, GUARDRAIL_REPLY, "intervened text");
      assert.equal(blocked.response_metadata.stopReason, "guardrail_intervened", "stopReason");
      assert.deepEqual(blocked.response_metadata.trace?.guardrail?.inputAssessment?.[GUARDRAIL.guardrailIdentifier]?.topicPolicy?.topics?.[0], topic, "trace topic");

      const streamConfig = { ...GUARDRAIL, streamProcessingMode: "async" };
      await clearRequests(ctx);
      const chunks = await collect(llm.stream("Tell me something forbidden.", { guardrailConfig: streamConfig }));
      assert.deepEqual((await onlyRequest(ctx, "stream")).guardrailConfig, streamConfig, "converse-stream guardrailConfig");
      assert.equal(joinText(chunks), GUARDRAIL_REPLY, "streamed intervened text");
      assert.deepEqual(stopReasonOf(chunks), ["guardrail_intervened"], "stream stopReason");
      const full = chunks.reduce(ctx.pkg.concat);
      assert.deepEqual(full.response_metadata.trace?.guardrail?.inputAssessment?.[GUARDRAIL.guardrailIdentifier]?.topicPolicy?.topics?.[0], topic, "stream trace topic");

      await clearRequests(ctx);
      const allowed = await llm.invoke("Tell me about bread.");
      assert.deepEqual((await onlyRequest(ctx, "invoke")).guardrailConfig, GUARDRAIL, "guardrailConfig again");
      assert.equal(allowed.text, "Echo: Tell me about bread.", "allowed text");
      assert.equal(allowed.response_metadata.stopReason, "end_turn", "allowed stopReason");
      assert.type(allowed.response_metadata.trace?.guardrail?.inputAssessment?.[GUARDRAIL.guardrailIdentifier]?.invocationMetrics, "object", "trace invocationMetrics");

      const guardContent = { guardContent: { text: { text: "This text is forbidden." } } };
      await clearRequests(ctx);
      const guarded = await llm.invoke([["human", [guardContent, { type: "text", text: "Summarise it." }]]]);
      assert.deepEqual((await onlyRequest(ctx, "invoke")).messages[0].content, [guardContent, { text: "Summarise it." }], "guardContent passed through");
      assert.equal(guarded.response_metadata.stopReason, "guardrail_intervened", "guardContent intervention");
    },
  },

  // ----- request options ----------------------------------------------------------------------------
  {
    name: "performanceConfig, serviceTier, requestMetadata and additionalModelResponseFieldPaths round trip",
    async run(ctx) {
      const llm = llmFor(ctx, {
        performanceConfig: { latency: "optimized" },
        serviceTier: "priority",
        requestMetadata: { team: "edge", ticket: "42" },
        additionalModelResponseFieldPaths: ["/stop_sequence"],
      });
      const { message, invokeBody, chunks, full, streamBody } = await invokeAndStream(ctx, llm, "Hello world");
      for (const body of [invokeBody, streamBody]) {
        assert.deepEqual(body.performanceConfig, { latency: "optimized" }, "performanceConfig");
        assert.deepEqual(body.serviceTier, { type: "priority" }, "serviceTier");
        assert.deepEqual(body.requestMetadata, { team: "edge", ticket: "42" }, "requestMetadata");
        assert.deepEqual(body.additionalModelResponseFieldPaths, ["/stop_sequence"], "additionalModelResponseFieldPaths");
      }
      assert.equal(message.text, "Echo: Hello world", "text");
      for (const [what, meta] of [["invoke", message.response_metadata], ["stream", full.response_metadata]]) {
        assert.deepEqual(meta.performanceConfig, { latency: "optimized" }, `${what}: performanceConfig`);
        assert.deepEqual(meta.serviceTier, { type: "priority" }, `${what}: serviceTier`);
        assert.deepEqual(meta.additionalModelResponseFields, { stop_sequence: null }, `${what}: additionalModelResponseFields`);
      }
      assert.deepEqual(chunks.at(-1).response_metadata.additionalModelResponseFields, { stop_sequence: null }, "on the last chunk");

      const stopping = llmFor(ctx, { stopSequences: ["STOP"], serviceTier: { type: "flex" }, additionalModelResponseFieldPaths: ["/stop_sequence"] });
      const hit = await invokeAndStream(ctx, stopping, "go STOP now");
      assert.deepEqual(hit.invokeBody.serviceTier, { type: "flex" }, "serviceTier object form");
      assert.equal(hit.message.response_metadata.stopReason, "stop_sequence", "stopReason");
      assert.deepEqual(hit.message.response_metadata.additionalModelResponseFields, { stop_sequence: "STOP" }, "stop sequence hit");
      assert.deepEqual(hit.full.response_metadata.additionalModelResponseFields, { stop_sequence: "STOP" }, "stream stop sequence hit");
      assert.ok(!hit.message.text.includes("STOP"), `text cut before the stop sequence: ${hit.message.text}`);
    },
  },
  {
    name: "promptVariables with a prompt ARN model id",
    async run(ctx) {
      const llm = llmFor(ctx, { model: PROMPT_ARN, promptVariables: { topic: { text: "cats" }, tone: { text: "dry" } } });
      const { message, invokeBody, chunks, streamBody } = await invokeAndStream(ctx, llm, "Go.");
      for (const body of [invokeBody, streamBody]) {
        assert.deepEqual(body.promptVariables, { topic: { text: "cats" }, tone: { text: "dry" } }, "promptVariables");
      }
      const request = await lastRequest(ctx);
      assert.equal(request.modelId, PROMPT_ARN, "modelId");
      assert.equal(message.text, "Prompt PROMPT12345 with topic=cats, tone=dry", "reply");
      assert.equal(joinText(chunks), "Prompt PROMPT12345 with topic=cats, tone=dry", "streamed reply");
      const refused = await assert.rejects(llmFor(ctx, { promptVariables: { topic: { text: "cats" } } }).invoke("Go."));
      assertBedrockError(ctx, refused, { name: "ValidationException", status: 400 });
    },
  },
  {
    name: "per-call options override the constructor's for that call only (invoke and stream)",
    async run(ctx) {
      const llm = llmFor(ctx, {
        temperature: 0.5,
        maxTokens: 100,
        topP: 0.8,
        stopSequences: ["AAA"],
        additionalModelRequestFields: { top_k: 5 },
        requestMetadata: { run: "base" },
      });
      const base = { temperature: 0.5, maxTokens: 100, topP: 0.8, stopSequences: ["AAA"] };
      const overrides = {
        temperature: 0.1,
        maxTokens: 50,
        stopSequences: ["ZZZ"],
        tools: [WEATHER_TOOL],
        toolChoice: "get_weather",
        additionalModelRequestFields: { top_k: 1 },
        requestMetadata: { run: "override" },
      };
      for (const operation of ["invoke", "stream"]) {
        await clearRequests(ctx);
        const result = operation === "invoke"
          ? await llm.invoke("hello world", overrides)
          : (await collect(llm.stream("hello world", overrides))).reduce(ctx.pkg.concat);
        const body = await onlyRequest(ctx, operation);
        assert.deepEqual(body.inferenceConfig, { temperature: 0.1, maxTokens: 50, topP: 0.8, stopSequences: ["ZZZ"] }, `${operation}: overridden inferenceConfig`);
        assert.deepEqual(body.toolConfig, { tools: [TOOL_SPECS[0]], toolChoice: { tool: { name: "get_weather" } } }, `${operation}: per-call tools`);
        assert.deepEqual(body.additionalModelRequestFields, { top_k: 1 }, `${operation}: additionalModelRequestFields`);
        assert.deepEqual(body.requestMetadata, { run: "override" }, `${operation}: requestMetadata`);
        assert.equal(result.tool_calls[0]?.name, "get_weather", `${operation}: the per-call tool was called`);

        await clearRequests(ctx);
        const plain = operation === "invoke"
          ? await llm.invoke("hello world")
          : (await collect(llm.stream("hello world"))).reduce(ctx.pkg.concat);
        const next = await onlyRequest(ctx, operation);
        assert.deepEqual(next.inferenceConfig, base, `${operation}: the next call is back to the constructor's`);
        assert.equal(next.toolConfig, undefined, `${operation}: no tools on the next call`);
        assert.deepEqual(next.additionalModelRequestFields, { top_k: 5 }, `${operation}: next additionalModelRequestFields`);
        assert.deepEqual(next.requestMetadata, { run: "base" }, `${operation}: next requestMetadata`);
        assert.equal(plain.text, "Echo: hello world", `${operation}: next reply`);
      }
      await clearRequests(ctx);
      await llm.invoke("hello world", { stop: ["QQQ"] });
      assert.deepEqual((await onlyRequest(ctx, "invoke")).inferenceConfig.stopSequences, ["QQQ"], "stop alias");
      // A bound model's toolChoice is replaced per call too.
      const bound = llm.bindTools(TOOLS, { toolChoice: "get_time" });
      await clearRequests(ctx);
      const any = await bound.invoke("hello world", { toolChoice: "any" });
      assert.deepEqual((await onlyRequest(ctx, "invoke")).toolConfig, { tools: TOOL_SPECS, toolChoice: { any: {} } }, "per-call toolChoice on a bound model");
      assert.equal(any.tool_calls[0]?.name, "get_weather", "any calls the first tool");
    },
  },

  // ----- unknown events ----------------------------------------------------------------------------
  {
    name: "unknown stream events and deltas become non_standard blocks; text intact, no crash",
    async run(ctx) {
      await clearRequests(ctx);
      const chunks = await collect(llmFor(ctx, { model: "fault:unknown-event" }).stream("Hello"));
      const request = await lastRequest(ctx);
      assert.ok(request.path.endsWith("/converse-stream"), `path ${request.path}`);
      assert.deepEqual(request.body.messages, [{ role: "user", content: [{ text: "Hello" }] }], "messages");
      assert.equal(joinText(chunks), "Hi", "text");
      const nonStandard = chunks.flatMap((c) => c.content).filter((b) => b.type === "non_standard");
      assert.equal(nonStandard.length, 2, `non_standard blocks: ${JSON.stringify(nonStandard)}`);
      const texts = nonStandard.map((b) => JSON.stringify(b.value));
      assert.ok(nonStandard.every((b) => b.value !== null && typeof b.value === "object"), "non_standard values are objects");
      assert.ok(texts.some((t) => t.includes('"x":1')), `the somethingNew event's payload is kept: ${texts}`);
      const delta = nonStandard.find((b) => JSON.stringify(b.value).includes('"y":2'));
      assert.ok(delta, `the newThing delta is kept: ${texts}`);
      assert.equal(delta.index, 0, "the unknown delta keeps its block index");
      assert.ok(JSON.stringify(delta.value).includes("newThing"), `the unknown delta keeps its member name: ${texts}`);
      const full = chunks.reduce(ctx.pkg.concat);
      assert.equal(full.text, "Hi", "concat text");
      assert.deepEqual(full.response_metadata.stopReason, "end_turn", "stopReason");
      assert.ok(full.contentBlocks.some((b) => b.type === "text" && b.text === "Hi"), "the text block survives concat");
    },
  },
];

// ----- recorded streams ---------------------------------------------------------------------------

/** Cases for the in-depth recorded streams (loadFeatureRecordings in recordings.mjs). */
function recordingCases(recordings) {
  return recordings.map((recording) => ({
    name: `recorded stream ${recording.name}: reasoning, redactions, citations and tool calls fold like the recording`,
    async run(ctx) {
      const { blocks, text, stopReason } = recording;
      let chunks;
      if (recording.model) {
        const listing = await (await fetch(`${ctx.emulatorUrl}/_emulator/recordings`)).json();
        const names = Array.isArray(listing) ? listing : listing.recordings ?? listing.names;
        assert.ok(names.includes(recording.name), `the emulator does not list ${recording.name}`);
        const llm = llmFor(ctx, { model: recording.model });
        const { message, chunks: streamed, full, streamBody } = await invokeAndStream(ctx, llm, "Hello");
        assert.deepEqual(streamBody.messages, [{ role: "user", content: [{ text: "Hello" }] }], "request messages");
        assert.deepEqual(message.contentBlocks, blocks, "invoke (the emulator's Converse fold) contentBlocks");
        assertSameFold(full, message, recording.name);
        chunks = streamed;
      } else {
        const seen = [];
        const llm = llmFor(ctx, { model: MODEL, fetch: recordedFetch(recording.frames, seen) });
        chunks = await collect(llm.stream("Hello"));
        assert.equal(seen.length, 1, "fetch calls");
        assert.ok(seen[0].url.endsWith("/converse-stream"), `url ${seen[0].url}`);
        assert.deepEqual(JSON.parse(seen[0].body).messages, [{ role: "user", content: [{ text: "Hello" }] }], "request messages");
      }
      assert.equal(joinText(chunks), text, "streamed text");
      assert.noKeyDeep(chunks, "p");
      const full = chunks.reduce(ctx.pkg.concat);
      assert.noKeyDeep(full, "p");
      assert.deepEqual(full.contentBlocks, blocks, "concat(chunks).contentBlocks");
      assert.deepEqual(full.tool_calls, blocks.filter((b) => b.type === "tool_call"), "concat(chunks).tool_calls");
      assert.deepEqual(full.invalid_tool_calls, [], "concat(chunks).invalid_tool_calls");
      assert.equal(full.text, text, "concat(chunks).text");
      assert.deepEqual(stopReasonOf(chunks), [stopReason], "stopReason");
    },
  }));
}

/** All feature cases for this run. */
export function allCases(ctx) {
  return [...cases, ...recordingCases(ctx.featureRecordings ?? [])];
}

/** Runs the feature cases in order (workerd and Chromium use runCaseList over both suites). */
export function runCases(ctx, only) {
  return runCaseList(ctx, allCases(ctx), only);
}
