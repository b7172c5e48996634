// Unit tests of the package's structured-output.js against a fake model (no wasm, no network):
// `cd tests && node --test js/structured-output.test.mjs`. The end-to-end behaviour against the
// emulator is covered by the suite.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
// The built package (pkg/), loaded through its Node entry, which initialises the wasm that
// `concat` derives its fields with; the internals from its core.js, the module behind that entry.
import { BedrockError, concat } from "../../pkg/node.js";
import { addAsyncIterator, withStructuredOutput } from "../../pkg/core.js";
import { isPrefixValue } from "./prefix-value.mjs";

const SCHEMA = {
  title: "person",
  type: "object",
  properties: {
    name: { type: "string" },
    age: { type: "integer" },
    languages: { type: "array", items: { type: "string" } },
    address: { type: "object", properties: { city: { type: "string" } } },
  },
  required: ["name"],
};
const PERSON = { name: "Ada \"the\" Lovelace \u00e9", age: 36, languages: ["en", "fr"], address: { city: "London" }, alive: false };
const PERSON_JSON = JSON.stringify(PERSON);

// ---- a fake ChatBedrockConverse -------------------------------------------------------------

/** A model whose `_withOptions` records the options and returns a fake answering with `answer`. */
function fakeModel(answer = {}) {
  const log = { withOptions: [], invoke: [], stream: [], pulled: 0, cancelled: [] };
  const derived = {
    async invoke(messages, options) {
      log.invoke.push({ messages, options });
      if (answer.error) throw answer.error;
      return answer.message;
    },
    stream(messages, options) {
      log.stream.push({ messages, options });
      if (answer.throws) throw answer.throws;
      return chunkStream(answer.chunks ?? [], log, answer);
    },
  };
  const model = {
    _withOptions(options) {
      log.withOptions.push(options);
      return derived;
    },
  };
  return { model, log };
}

/** Like the package's chunk streams: pull-driven, async iterable, cancel recorded. */
function chunkStream(chunks, log, answer) {
  let next = 0;
  const stream = new ReadableStream(
    {
      pull(controller) {
        log.pulled++;
        if (next === answer.hangAt) return new Promise(() => {});
        if (next === answer.failAt) {
          controller.error(new BedrockError("Rate exceeded", { name: "ThrottlingException", status: 400, retryable: true }));
          return;
        }
        if (next >= chunks.length) controller.close();
        else controller.enqueue(chunks[next++]);
      },
      cancel(reason) {
        log.cancelled.push(reason);
      },
    },
    { highWaterMark: 0 },
  );
  addAsyncIterator(stream);
  return stream;
}

// ---- canned answers shaped as in the contract -------------------------------------------------

const USAGE = { input_tokens: 10, output_tokens: 20, total_tokens: 30, input_token_details: { cache_read: 0, cache_creation: 0 } };

function aiMessage({ text = "", toolCalls = [], invalidToolCalls = [], stopReason = "end_turn" }) {
  const blocks = [...(text ? [{ type: "text", text }] : []), ...toolCalls, ...invalidToolCalls];
  return {
    type: "ai",
    id: "run-1",
    content: blocks.length === 1 && text ? text : blocks,
    contentBlocks: blocks,
    text,
    tool_calls: toolCalls,
    invalid_tool_calls: invalidToolCalls,
    usage_metadata: USAGE,
    response_metadata: { stopReason, metrics: { latencyMs: 5 } },
  };
}

const chunk = (content, extra = {}) => ({
  type: "AIMessageChunk",
  id: "run-1",
  content,
  text: content.filter((b) => b.type === "text").map((b) => b.text).join(""),
  tool_call_chunks: content.filter((b) => b.type === "tool_call_chunk"),
  ...extra,
});

const split = (text, size) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

/** A tool call streamed as Bedrock does: a start with id and name, then input fragments. */
function toolCallChunks(name, args, index, size) {
  return [
    chunk([{ type: "tool_call_chunk", id: `tooluse_${index}`, name, args: "", index }]),
    ...split(args, size).map((piece) => chunk([{ type: "tool_call_chunk", args: piece, index }])),
  ];
}

const finalChunk = (stopReason) => chunk([], { usage_metadata: USAGE, response_metadata: { stopReason, metrics: { latencyMs: 5 } } });

/** Text, another tool's call, then the forced tool's call (args in `size`-character pieces). */
function toolStream(args, size = 3, name = "person") {
  return [
    chunk([{ type: "text", text: "Let me ", index: 0 }]),
    chunk([{ type: "text", text: "look.", index: 0 }]),
    ...toolCallChunks("other", '{"name": "not this one"}', 1, 4),
    ...toolCallChunks(name, args, 2, size),
    finalChunk("tool_use"),
  ];
}

const textStream = (text, size = 3) => [...split(text, size).map((piece) => chunk([{ type: "text", text: piece, index: 0 }])), finalChunk("end_turn")];

async function collect(stream) {
  const items = [];
  for await (const item of stream) items.push(item);
  return items;
}

// ---- helpers for partial objects ------------------------------------------------------------

function equal(a, b) {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

function assertPartials(items, final, minItems = 3) {
  assert.ok(items.length >= minItems, `only ${items.length} items`);
  for (let i = 1; i < items.length; i++) {
    assert.ok(isPrefixValue(items[i - 1], items[i]), `${JSON.stringify(items[i - 1])} -> ${JSON.stringify(items[i])}`);
    assert.ok(!equal(items[i - 1], items[i]), `item ${i} repeats the one before`);
  }
  assert.deepStrictEqual(items.at(-1), final);
}

function assertParserError(error, llmOutput) {
  assert.ok(error instanceof BedrockError, `not a BedrockError: ${error}`);
  assert.equal(error.name, "OutputParserException");
  assert.equal(error.llmOutput, llmOutput);
  assert.equal(error.retryable, false);
  return true;
}

// ---- tests ------------------------------------------------------------------------------------

describe("withStructuredOutput: setup", () => {
  test("functionCalling binds one tool, forced by name", () => {
    const { model, log } = fakeModel();
    const runnable = withStructuredOutput(model, SCHEMA);
    assert.equal(typeof runnable.invoke, "function");
    assert.equal(typeof runnable.stream, "function");
    assert.deepStrictEqual(log.withOptions, [{ tools: [{ name: "person", schema: SCHEMA }], toolChoice: "person" }]);
    for (const method of ["functionCalling", "toolCalling", "function_calling", "tool_calling"]) {
      const fake = fakeModel();
      withStructuredOutput(fake.model, { type: "object" }, { method, name: "pick_1", description: "Pick one." });
      assert.deepStrictEqual(fake.log.withOptions, [
        { tools: [{ name: "pick_1", description: "Pick one.", schema: { type: "object" } }], toolChoice: "pick_1" },
      ]);
    }
    const untitled = fakeModel();
    withStructuredOutput(untitled.model, { type: "object" }, {});
    assert.equal(untitled.log.withOptions[0].toolChoice, "extract");
    // The description defaults to the schema's (as bedrock-edge/langchain's, which builds the same request).
    const described = fakeModel();
    withStructuredOutput(described.model, { ...SCHEMA, description: "A person." });
    assert.equal(described.log.withOptions[0].tools[0].description, "A person.");
  });

  test("jsonSchema is refused for InvokeModel models, which have no outputConfig", () => {
    const { model, log } = fakeModel();
    for (const llmType of ["bedrock", "anthropic-bedrock"]) {
      const invokeModel = { ...model, _llmType: () => llmType };
      assert.throws(() => withStructuredOutput(invokeModel, SCHEMA, { method: "json_schema" }), (e) => e instanceof TypeError && /jsonSchema.*ChatBedrockConverse/.test(e.message));
      withStructuredOutput(invokeModel, SCHEMA);
    }
    assert.equal(log.withOptions.length, 2);
  });

  test("jsonSchema sets outputConfig.textFormat with the schema as JSON text", () => {
    for (const method of ["jsonSchema", "json_schema"]) {
      const { model, log } = fakeModel();
      withStructuredOutput(model, SCHEMA, { method });
      assert.deepStrictEqual(log.withOptions, [
        {
          outputConfig: {
            textFormat: { type: "json_schema", structure: { jsonSchema: { schema: JSON.stringify(SCHEMA), name: "person" } } },
          },
        },
      ]);
    }
    const { model, log } = fakeModel();
    withStructuredOutput(model, { type: "object" }, { method: "jsonSchema", name: "x", description: "An x." });
    assert.deepStrictEqual(log.withOptions[0].outputConfig.textFormat.structure.jsonSchema, {
      schema: '{"type":"object"}',
      name: "x",
      description: "An x.",
    });
  });

  test("bad arguments are TypeErrors naming the field", () => {
    const { model } = fakeModel();
    const cases = [
      [() => withStructuredOutput(model, undefined), /schema/],
      [() => withStructuredOutput(model, null), /schema/],
      [() => withStructuredOutput(model, [SCHEMA]), /schema/],
      [() => withStructuredOutput(model, "{}"), /schema/],
      [() => withStructuredOutput(model, new Map()), /schema/],
      [() => withStructuredOutput(model, SCHEMA, "person"), /options/],
      [() => withStructuredOutput(model, SCHEMA, { method: "jsonMode" }), /method.*"functionCalling".*"jsonSchema"/],
      [() => withStructuredOutput(model, SCHEMA, { method: 1 }), /method/],
      // The tool-name rule is the wasm side's, the one every `tools` entry is checked with.
      [() => withStructuredOutput(model, SCHEMA, { name: "has space" }), /name: tool name "has space" must be 1 to 64 letters/],
      [() => withStructuredOutput(model, SCHEMA, { name: "" }), /name: tool name "" must be 1 to 64 letters/],
      [() => withStructuredOutput(model, SCHEMA, { name: "x".repeat(65) }), /name: tool name "x{65}" must be 1 to 64 letters/],
      [() => withStructuredOutput(model, SCHEMA, { name: 7 }), /name must be a string/],
      [() => withStructuredOutput(model, { title: "A Person" }), /name \(from schema\.title; pass options\.name\): tool name "A Person" must be/],
      [() => withStructuredOutput(model, SCHEMA, { description: 1 }), /description/],
      [() => withStructuredOutput(model, SCHEMA, { includeRaw: "yes" }), /includeRaw/],
      [() => withStructuredOutput({}, SCHEMA), /model/],
    ];
    for (const [call, message] of cases) assert.throws(call, (e) => e instanceof TypeError && message.test(e.message), String(call));
    assert.doesNotThrow(() => withStructuredOutput(model, SCHEMA, { name: "a".repeat(64) }));
    assert.doesNotThrow(() => withStructuredOutput(model, Object.assign(Object.create(null), { type: "object" })));
  });

  test("per-call tools, toolChoice and outputConfig are refused; other call options pass through", async () => {
    const { model, log } = fakeModel({ message: aiMessage({ text: "{}" }), chunks: textStream("{}") });
    const runnable = withStructuredOutput(model, SCHEMA, { method: "jsonSchema" });
    for (const key of ["tools", "toolChoice", "outputConfig"]) {
      await assert.rejects(runnable.invoke("hi", { [key]: "auto" }), (e) => e instanceof TypeError && e.message.includes(key));
      assert.throws(() => runnable.stream("hi", { [key]: "auto" }), (e) => e instanceof TypeError && e.message.includes(key));
    }
    assert.equal(log.invoke.length + log.stream.length, 0);
    const signal = new AbortController().signal;
    const messages = [["human", "hi"]];
    await runnable.invoke(messages, { temperature: 0, signal });
    await collect(runnable.stream(messages, { maxTokens: 9 }));
    assert.equal(log.invoke[0].messages, messages);
    assert.deepStrictEqual(log.invoke[0].options, { temperature: 0, signal });
    assert.deepStrictEqual(log.stream[0].options, { maxTokens: 9 });
  });
});

describe("withStructuredOutput: invoke", () => {
  const toolCall = { type: "tool_call", id: "tooluse_2", name: "person", args: PERSON };
  const otherCall = { type: "tool_call", id: "tooluse_1", name: "other", args: { name: "not this one" } };

  test("functionCalling resolves to the forced tool call's args", async () => {
    const { model } = fakeModel({ message: aiMessage({ text: "Sure.", toolCalls: [otherCall, toolCall], stopReason: "tool_use" }) });
    assert.deepStrictEqual(await withStructuredOutput(model, SCHEMA).invoke("Tell me about Ada"), PERSON);
  });

  test("functionCalling without the tool call rejects with OutputParserException", async () => {
    const { model } = fakeModel({ message: aiMessage({ text: "I would rather not.", toolCalls: [otherCall] }) });
    await assert.rejects(withStructuredOutput(model, SCHEMA).invoke("hi"), (e) => {
      assert.match(e.message, /did not call tool "person".*end_turn/);
      return assertParserError(e, "I would rather not.");
    });
  });

  test("functionCalling with unparsable args rejects with OutputParserException", async () => {
    const invalid = { type: "invalid_tool_call", id: "t", name: "person", args: '{"name": ', error: "arguments are not JSON: oops" };
    const { model } = fakeModel({ message: aiMessage({ invalidToolCalls: [invalid], stopReason: "tool_use" }) });
    await assert.rejects(withStructuredOutput(model, SCHEMA).invoke("hi"), (e) => {
      assert.match(e.message, /not valid JSON: arguments are not JSON: oops/);
      return assertParserError(e, '{"name": ');
    });
  });

  test("jsonSchema resolves to JSON.parse(message.text), or rejects when it is not JSON", async () => {
    const ok = fakeModel({ message: aiMessage({ text: PERSON_JSON }) });
    assert.deepStrictEqual(await withStructuredOutput(ok.model, SCHEMA, { method: "jsonSchema" }).invoke("hi"), PERSON);
    const bad = fakeModel({ message: aiMessage({ text: "Here you go: {}" }) });
    await assert.rejects(withStructuredOutput(bad.model, SCHEMA, { method: "jsonSchema" }).invoke("hi"), (e) => {
      assert.ok(e.cause instanceof SyntaxError);
      return assertParserError(e, "Here you go: {}");
    });
  });

  test("includeRaw resolves { raw, parsed, parsingError } and never rejects for parsing", async () => {
    const good = aiMessage({ toolCalls: [toolCall], stopReason: "tool_use" });
    const ok = fakeModel({ message: good });
    const result = await withStructuredOutput(ok.model, SCHEMA, { includeRaw: true }).invoke("hi");
    assert.deepStrictEqual(Object.keys(result), ["raw", "parsed", "parsingError"]);
    assert.equal(result.raw, good);
    assert.deepStrictEqual(result.parsed, PERSON);
    assert.equal(result.parsingError, null);

    const noCall = aiMessage({ text: "no" });
    const missing = await withStructuredOutput(fakeModel({ message: noCall }).model, SCHEMA, { includeRaw: true }).invoke("hi");
    assert.equal(missing.raw, noCall);
    assert.equal(missing.parsed, null);
    assertParserError(missing.parsingError, "no");

    const notJson = aiMessage({ text: "{'single': 1}" });
    const fake = fakeModel({ message: notJson });
    const failed = await withStructuredOutput(fake.model, SCHEMA, { method: "json_schema", includeRaw: true }).invoke("hi");
    assert.equal(failed.parsed, null);
    assertParserError(failed.parsingError, "{'single': 1}");
  });

  test("model errors are passed through as they are", async () => {
    const error = new BedrockError("Rate exceeded", { name: "ThrottlingException", retryable: true });
    const { model } = fakeModel({ error });
    await assert.rejects(withStructuredOutput(model, SCHEMA, { includeRaw: true }).invoke("hi"), (e) => e === error);
  });
});

describe("withStructuredOutput: stream", () => {
  test("functionCalling yields growing partial objects of the forced call only; the last is complete", async () => {
    for (const size of [1, 2, 5, 64]) {
      const { model } = fakeModel({ chunks: toolStream(PERSON_JSON, size) });
      const items = await collect(withStructuredOutput(model, SCHEMA).stream("hi"));
      assertPartials(items, PERSON, size < 64 ? 3 : 1);
      assert.ok(items.every((item) => item.name !== "not this one"));
    }
  });

  test("jsonSchema yields growing partial objects of the answer text", async () => {
    const text = JSON.stringify({ items: [{ id: 1, ok: true }, { id: 2, ok: null }], note: "a \\ b \u2603" }, null, 2);
    const { model } = fakeModel({ chunks: textStream(text, 2) });
    const items = await collect(withStructuredOutput(model, SCHEMA, { method: "jsonSchema" }).stream("hi"));
    assertPartials(items, JSON.parse(text));
  });

  test("a stream is a ReadableStream that can be read with a reader too", async () => {
    const { model } = fakeModel({ chunks: toolStream(PERSON_JSON, 8) });
    const stream = withStructuredOutput(model, SCHEMA).stream("hi");
    assert.ok(stream instanceof ReadableStream);
    assert.equal(typeof stream[Symbol.asyncIterator], "function");
    const reader = stream.getReader();
    let last;
    for (let result = await reader.read(); !result.done; result = await reader.read()) last = result.value;
    assert.deepStrictEqual(last, PERSON);
  });

  test("a tool call without arguments gives {}", async () => {
    const { model } = fakeModel({ chunks: [...toolCallChunks("person", "", 0, 1), finalChunk("tool_use")] });
    assert.deepStrictEqual(await collect(withStructuredOutput(model, SCHEMA).stream("hi")), [{}]);
  });

  test("includeRaw yields { raw, parsed, parsingError }; raw is the concatenation so far", async () => {
    const chunks = toolStream(PERSON_JSON, 4);
    const { model } = fakeModel({ chunks });
    const items = await collect(withStructuredOutput(model, SCHEMA, { includeRaw: true }).stream("hi"));
    for (const item of items) {
      assert.deepStrictEqual(Object.keys(item), ["raw", "parsed", "parsingError"]);
      assert.equal(item.parsingError, null);
      assert.equal(item.raw.type, "AIMessageChunk");
    }
    assertPartials(items.slice(0, -1).map((item) => item.parsed), PERSON);
    const last = items.at(-1);
    assert.deepStrictEqual(last.parsed, PERSON);
    const full = chunks.reduce(concat);
    assert.deepStrictEqual(last.raw.usage_metadata, USAGE);
    assert.equal(last.raw.response_metadata.stopReason, "tool_use");
    assert.deepStrictEqual(last.raw.tool_calls, full.tool_calls);
    assert.deepStrictEqual(last.raw.content, full.content);
    assert.equal(last.raw.text, "Let me look.");
    // Each raw covers the chunks up to its item: the args seen so far parse to at least `parsed`.
    for (const item of items.slice(0, -1)) {
      const args = item.raw.tool_call_chunks.find((c) => c.name === "person")?.args ?? "";
      assert.ok(PERSON_JSON.startsWith(args));
    }
  });

  test("no tool call: the stream errors with OutputParserException, or ends with parsingError", async () => {
    const chunks = [chunk([{ type: "text", text: "No thanks.", index: 0 }]), finalChunk("end_turn")];
    const stream = withStructuredOutput(fakeModel({ chunks }).model, SCHEMA).stream("hi");
    await assert.rejects(collect(stream), (e) => {
      assert.match(e.message, /did not call tool "person" \(stopReason: end_turn\)/);
      return assertParserError(e, "No thanks.");
    });
    const raw = withStructuredOutput(fakeModel({ chunks }).model, SCHEMA, { includeRaw: true }).stream("hi");
    const items = await collect(raw);
    assert.equal(items.length, 1);
    assert.equal(items[0].parsed, null);
    assert.equal(items[0].raw.text, "No thanks.");
    assertParserError(items[0].parsingError, "No thanks.");
  });

  test("invalid JSON: partials stop, then the stream errors (or the last item carries parsingError)", async () => {
    const args = '{"name": "Ada", "age": 36 "languages": []}';
    const items = [];
    const stream = withStructuredOutput(fakeModel({ chunks: toolStream(args, 3) }).model, SCHEMA).stream("hi");
    await assert.rejects(
      (async () => {
        for await (const item of stream) items.push(item);
      })(),
      (e) => assertParserError(e, args),
    );
    assert.ok(items.length > 0);
    assert.ok(items.every((item) => isPrefixValue(item, { name: "Ada", age: 36 })));

    const text = '{"name": "Ada"} trailing';
    const raw = withStructuredOutput(fakeModel({ chunks: textStream(text, 4) }).model, SCHEMA, {
      method: "jsonSchema",
      includeRaw: true,
    }).stream("hi");
    const rawItems = await collect(raw);
    const last = rawItems.at(-1);
    assert.equal(last.parsed, null);
    assert.equal(last.raw.text, text);
    assertParserError(last.parsingError, text);
    assert.ok(rawItems.slice(0, -1).every((item) => item.parsingError === null && item.parsed !== null));
  });

  test("errors of the chunk stream are passed through", async () => {
    const { model } = fakeModel({ chunks: toolStream(PERSON_JSON, 3), failAt: 15 });
    const items = [];
    await assert.rejects(
      (async () => {
        for await (const item of withStructuredOutput(model, SCHEMA, { includeRaw: true }).stream("hi")) items.push(item);
      })(),
      (e) => e instanceof BedrockError && e.name === "ThrottlingException" && e.retryable,
    );
    assert.ok(items.length > 0);
    const thrown = new TypeError("messages[0]: unknown role");
    assert.throws(() => withStructuredOutput(fakeModel({ throws: thrown }).model, SCHEMA).stream("hi"), (e) => e === thrown);
  });

  test("nothing is read before the consumer reads (high-water mark 0)", async () => {
    const { model, log } = fakeModel({ chunks: toolStream(PERSON_JSON, 3) });
    const stream = withStructuredOutput(model, SCHEMA).stream("hi");
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(log.pulled, 0);
    const reader = stream.getReader();
    await reader.read();
    const pulled = log.pulled;
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(log.pulled, pulled);
    await reader.cancel();
  });

  test("breaking out of for await cancels the chunk stream", async () => {
    const { model, log } = fakeModel({ chunks: toolStream(PERSON_JSON, 3) });
    for await (const item of withStructuredOutput(model, SCHEMA).stream("hi")) {
      assert.ok(item);
      break;
    }
    assert.equal(log.cancelled.length, 1);
  });

  test("cancel() while a chunk read is pending cancels the chunk stream and ends the read", async () => {
    const answer = { chunks: toolStream(PERSON_JSON, 3) };
    const { model, log } = fakeModel(answer);
    const stream = withStructuredOutput(model, SCHEMA).stream("hi");
    const reader = stream.getReader();
    const first = await reader.read();
    assert.equal(first.done, false);
    answer.hangAt = log.pulled; // the chunk stream's next pull never settles
    const pending = reader.read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await reader.cancel("user gave up");
    assert.deepStrictEqual(await pending, { done: true, value: undefined });
    assert.deepStrictEqual(log.cancelled, ["user gave up"]);
  });

  test("cancelling after the end does not touch the finished chunk stream", async () => {
    const { model, log } = fakeModel({ chunks: toolStream(PERSON_JSON, 64) });
    const stream = withStructuredOutput(model, SCHEMA).stream("hi");
    const reader = stream.getReader();
    while (!(await reader.read()).done);
    await reader.cancel();
    assert.equal(log.cancelled.length, 0);
  });
});
