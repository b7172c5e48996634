// The end-to-end suite of the public JS API, written once and run in Node, workerd and Chromium.
// It uses only web-standard globals. The runner supplies `ctx`:
//   { pkg, emulatorUrl, recordings: [{ model, text }], runtime }
// where `pkg` is the imported "bedrock-edge" module and `recordings` lists the replayable
// converse-stream recordings with the text their deltas add up to.
import * as assert from "./assert.mjs";
import {
  MODEL,
  CREDENTIALS,
  TEMP_CREDENTIALS,
  WRONG_SECRET,
  SYSTEM,
  SEED,
  SEED_ANSWER,
  llmFor,
  collect,
  collectUntilError,
  joinText,
  clearRequests,
  sentRequests,
  lastRequest,
  assertBedrockError,
  assertUsage,
  assertSecretsAbsent,
  errorText,
  runCaseList,
} from "./suite-helpers.mjs";

export const cases = [
  {
    name: "seed example via invoke: content, text, usage and response metadata",
    async run(ctx) {
      const message = await llmFor(ctx).invoke(SEED);
      assert.equal(message.type, "ai", "type");
      assert.equal(message.content, SEED_ANSWER, "content");
      assert.equal(message.text, SEED_ANSWER, "text");
      assert.deepEqual(message.contentBlocks, [{ type: "text", text: SEED_ANSWER }], "contentBlocks");
      assert.deepEqual(message.tool_calls, [], "tool_calls");
      assertUsage(message.usage_metadata, "invoke");
      const meta = message.response_metadata;
      assert.equal(meta.stopReason, "end_turn", "stopReason");
      assert.type(meta.metrics?.latencyMs, "number", "metrics.latencyMs");
      assert.equal(meta.model_name, MODEL, "model_name");
      assert.type(meta.ResponseMetadata?.RequestId, "string", "ResponseMetadata.RequestId");
      assert.ok(meta.ResponseMetadata.RequestId.length > 0, "RequestId is empty");
      assert.equal(meta.ResponseMetadata.HTTPStatusCode, 200, "ResponseMetadata.HTTPStatusCode");
      assert.noKeyDeep(message, "p");
    },
  },
  {
    name: "seed example via stream: text chunks, then usage and metadata on the last chunk",
    async run(ctx) {
      const chunks = await collect(llmFor(ctx).stream(SEED));
      const textChunks = chunks.filter((chunk) => chunk.content?.length > 0);
      assert.ok(textChunks.length >= 2, `expected several text chunks, got ${textChunks.length}`);
      for (const chunk of chunks) assert.equal(chunk.type, "AIMessageChunk", "chunk.type");
      for (const chunk of textChunks) {
        for (const block of chunk.content) {
          assert.deepEqual(Object.keys(block).sort(), ["index", "text", "type"], "text block keys");
          assert.equal(block.type, "text", "block.type");
          assert.equal(block.index, 0, "block.index");
          assert.type(block.text, "string", "block.text");
        }
        assert.equal(chunk.text, chunk.content.map((block) => block.text).join(""), "chunk.text");
      }
      assert.equal(joinText(chunks), SEED_ANSWER, "streamed text");
      const last = chunks.at(-1);
      assertUsage(last.usage_metadata, "last chunk");
      assert.ok(last.response_metadata, "last chunk has no response_metadata");
      assert.type(last.response_metadata.metrics?.latencyMs, "number", "last chunk metrics.latencyMs");
      const stopReasons = chunks.map((chunk) => chunk.response_metadata?.stopReason).filter(Boolean);
      assert.deepEqual(stopReasons, ["end_turn"], "stopReason across chunks");
      assert.noKeyDeep(chunks, "p");
    },
  },
  {
    name: "a stream read first with a reader, then with for await, gives every chunk once and in order",
    async run(ctx) {
      const llm = llmFor(ctx);
      const all = await collect(llm.stream(SEED));
      const stream = llm.stream(SEED);
      const reader = stream.getReader();
      // The first read brings a whole network read's chunks; all but one wait in the queue.
      const first = await reader.read();
      reader.releaseLock();
      const rest = [];
      for await (const chunk of stream) rest.push(chunk);
      const texts = [first.value, ...rest].map((c) => c.text);
      assert.deepEqual(texts, all.map((c) => c.text), "chunk texts");
      assert.equal(texts.join(""), SEED_ANSWER, "streamed text");
      assert.ok(rest.at(-1).usage_metadata, "the last chunk has usage_metadata");
      assert.equal(stream.locked, false, "the reader is released at the end");
    },
  },
  {
    name: "chunks.reduce(concat) equals invoke: text, contentBlocks, usage",
    async run(ctx) {
      const llm = llmFor(ctx);
      const message = await llm.invoke(SEED);
      const chunks = await collect(llm.stream(SEED));
      const full = chunks.reduce(ctx.pkg.concat);
      assert.equal(full.text, message.text, "text");
      assert.deepEqual(full.contentBlocks, message.contentBlocks, "contentBlocks");
      assert.deepEqual(full.usage_metadata, message.usage_metadata, "usage_metadata");
      assert.noKeyDeep(full, "p");
    },
  },
  {
    name: "concat merges by index: text, tool-call fragments, reasoning, usage; inputs untouched",
    async run(ctx) {
      const { concat } = ctx.pkg;
      const chunk = (content, extra = {}) => ({ type: "AIMessageChunk", id: "run-1", content, text: "", tool_call_chunks: [], ...extra });
      const toolStart = { type: "tool_call_chunk", id: "t1", name: "weather", args: "", index: 1 };
      const toolPart = (args) => ({ type: "tool_call_chunk", args, index: 1 });
      const pieces = [
        chunk([{ type: "reasoning", reasoning: "Let me ", index: 0 }]),
        chunk([{ type: "reasoning", reasoning: "think.", index: 0 }]),
        chunk([{ type: "reasoning", reasoning: "", extras: { signature: "sig" }, index: 0 }]),
        chunk([toolStart], { tool_call_chunks: [toolStart] }),
        chunk([toolPart('{"city":')], { tool_call_chunks: [toolPart('{"city":')] }),
        chunk([toolPart('"Paris"}')], { tool_call_chunks: [toolPart('"Paris"}')] }),
        chunk([{ type: "text", text: "Sun", index: 2 }], { text: "Sun" }),
        chunk([{ type: "text", text: "ny.", index: 2 }], { text: "ny." }),
        chunk([], { usage_metadata: { input_tokens: 3, output_tokens: 4, total_tokens: 7,
                                      input_token_details: { cache_read: 1, cache_creation: 0 } },
                    response_metadata: { stopReason: "tool_use" } }),
      ];
      const before = JSON.stringify(pieces);
      const full = pieces.reduce(concat);
      assert.equal(JSON.stringify(pieces), before, "inputs were modified");
      const call = { type: "tool_call", id: "t1", name: "weather", args: { city: "Paris" } };
      assert.deepEqual(full.contentBlocks, [
        { type: "reasoning", reasoning: "Let me think.", extras: { signature: "sig" } },
        call,
        { type: "text", text: "Sunny." },
      ]);
      assert.deepEqual(full.tool_calls, [call]);
      assert.equal(full.text, "Sunny.");
      assert.equal(full.id, "run-1");
      assert.equal(full.usage_metadata.total_tokens, 7);
      assert.deepEqual(full.response_metadata, { stopReason: "tool_use" });
      const twice = concat(full, chunk([], { usage_metadata: { input_tokens: 1, output_tokens: 0, total_tokens: 1,
                                                               input_token_details: { cache_read: 0, cache_creation: 2 } } }));
      assert.deepEqual(twice.usage_metadata, { input_tokens: 4, output_tokens: 4, total_tokens: 8,
                                               input_token_details: { cache_read: 1, cache_creation: 2 } });
      const broken = concat(chunk([toolStart], { tool_call_chunks: [toolStart] }), chunk([toolPart('{"a"')], { tool_call_chunks: [toolPart('{"a"')] }));
      assert.equal(broken.tool_calls.length, 0);
      assert.equal(broken.invalid_tool_calls[0].args, '{"a"');
      const fromMessage = concat({ type: "ai", id: "run-2", content: "Hello", text: "Hello" }, chunk([{ type: "text", text: " world", index: 0 }], { text: " world" }));
      assert.equal(fromMessage.text, "Hello world");
      assert.throws(() => concat(null, pieces[0]), TypeError);
    },
  },
  {
    name: "messages as {role, content} objects build the same request as tuples",
    async run(ctx) {
      const llm = llmFor(ctx);
      await clearRequests(ctx);
      const fromTuples = await llm.invoke(SEED);
      const tupleBody = (await lastRequest(ctx)).body;
      const fromObjects = await llm.invoke([
        { role: "system", content: SYSTEM },
        { role: "user", content: "I love programming." },
      ]);
      const objectBody = (await lastRequest(ctx)).body;
      assert.equal(fromObjects.content, SEED_ANSWER, "content");
      assert.equal(fromTuples.content, SEED_ANSWER, "content");
      assert.deepEqual(objectBody.system, [{ text: SYSTEM }], "system");
      assert.deepEqual(objectBody.messages, [{ role: "user", content: [{ text: "I love programming." }] }], "messages");
      assert.deepEqual(tupleBody.messages, objectBody.messages, "tuple messages");
      assert.deepEqual(tupleBody.system, objectBody.system, "tuple system");
    },
  },
  {
    name: "LangChain message objects (getType / _getType) are read like tuples",
    async run(ctx) {
      // The shape of @langchain/core messages: class instances whose role comes from a method.
      class HumanMessage {
        constructor(content) { this.content = content; this.additional_kwargs = {}; }
        _getType() { return "human"; }
      }
      class SystemMessage {
        constructor(content) { this.content = content; }
        getType() { return "system"; }
      }
      const llm = llmFor(ctx);
      await clearRequests(ctx);
      const message = await llm.invoke([new SystemMessage(SYSTEM), new HumanMessage("I love programming.")]);
      assert.equal(message.content, SEED_ANSWER, "content");
      const body = (await lastRequest(ctx)).body;
      assert.deepEqual(body.system, [{ text: SYSTEM }], "system");
      assert.deepEqual(body.messages, [{ role: "user", content: [{ text: "I love programming." }] }], "messages");
    },
  },
  {
    name: "a Bedrock API key (option or AWS_BEARER_TOKEN_BEDROCK) is sent as a bearer token",
    async run(ctx) {
      const fromOption = new ctx.pkg.ChatBedrockConverse({
        model: MODEL, region: "us-east-1", endpoint: ctx.emulatorUrl, apiKey: "emulator-api-key",
      });
      await clearRequests(ctx);
      assert.equal((await fromOption.invoke(SEED)).text, SEED_ANSWER, "text via apiKey");
      const request = await lastRequest(ctx);
      assert.ok(request.headers.authorization.startsWith("Bearer "), "bearer authorization");
      assert.equal(request.headers["x-amz-date"], undefined, "no SigV4 headers with an API key");
      const fromEnv = new ctx.pkg.ChatBedrockConverse({
        model: MODEL, endpoint: ctx.emulatorUrl, env: { AWS_REGION: "us-east-1", AWS_BEARER_TOKEN_BEDROCK: "emulator-api-key" },
      });
      assert.equal((await fromEnv.invoke(SEED)).text, SEED_ANSWER, "text via env");
      const wrong = new ctx.pkg.ChatBedrockConverse({
        model: MODEL, region: "us-east-1", endpoint: ctx.emulatorUrl, apiKey: "not-the-key",
      });
      const error = await assert.rejects(wrong.invoke(SEED));
      assertBedrockError(ctx, error, { name: "UnrecognizedClientException", status: 403 });
      assert.ok(!JSON.stringify(wrong).includes("not-the-key"), "apiKey in JSON.stringify");
      assert.ok(!String(error.message).includes("not-the-key"), "apiKey in the error message");
    },
  },
  {
    name: "multi-turn conversation with human/ai and user/assistant roles",
    async run(ctx) {
      const llm = llmFor(ctx);
      const expectedMessages = [
        { role: "user", content: [{ text: "Hello" }] },
        { role: "assistant", content: [{ text: "Hi! How can I help?" }] },
        { role: "user", content: [{ text: "What is 2+2?" }] },
      ];
      for (const [human, ai] of [["human", "ai"], ["user", "assistant"]]) {
        await clearRequests(ctx);
        const message = await llm.invoke([
          ["system", "Be brief."],
          [human, "Hello"],
          { role: ai, content: "Hi! How can I help?" },
          { role: human, content: "What is 2+2?" },
        ]);
        assert.equal(message.text, "Echo: What is 2+2?", `${human}/${ai} text`);
        const body = (await lastRequest(ctx)).body;
        assert.deepEqual(body.messages, expectedMessages, `${human}/${ai} request messages`);
        assert.deepEqual(body.system, [{ text: "Be brief." }], "system");
      }
    },
  },
  {
    name: "inference options and additionalModelRequestFields reach the request body",
    async run(ctx) {
      const llm = llmFor(ctx, {
        temperature: 0.25,
        maxTokens: 77,
        topP: 0.9,
        stopSequences: ["STOP"],
        additionalModelRequestFields: { top_k: 5 },
      });
      const expected = { temperature: 0.25, maxTokens: 77, topP: 0.9, stopSequences: ["STOP"] };
      await clearRequests(ctx);
      await llm.invoke(SEED);
      const invokeRequest = await lastRequest(ctx);
      assert.deepEqual(invokeRequest.body.inferenceConfig, expected, "converse inferenceConfig");
      assert.deepEqual(invokeRequest.body.additionalModelRequestFields, { top_k: 5 }, "additionalModelRequestFields");
      await collect(llm.stream(SEED));
      const streamRequest = await lastRequest(ctx);
      assert.ok(streamRequest.path.endsWith("/converse-stream"), `stream path ${streamRequest.path}`);
      assert.deepEqual(streamRequest.body.inferenceConfig, expected, "converse-stream inferenceConfig");
      assert.deepEqual(streamRequest.body.additionalModelRequestFields, { top_k: 5 }, "stream additionalModelRequestFields");
    },
  },
  {
    name: "a plain string is one human message",
    async run(ctx) {
      await clearRequests(ctx);
      const message = await llmFor(ctx).invoke("I love programming.");
      assert.equal(message.text, "Echo: I love programming.", "text");
      const body = (await lastRequest(ctx)).body;
      assert.deepEqual(body.messages, [{ role: "user", content: [{ text: "I love programming." }] }], "messages");
    },
  },
  {
    name: "modelId alias, model getters and _llmType",
    async run(ctx) {
      const llm = llmFor(ctx, { model: undefined, modelId: MODEL });
      assert.equal(llm.model, MODEL, "model");
      assert.equal(llm.modelId, MODEL, "modelId");
      assert.equal(llm._llmType(), "bedrock-converse", "_llmType()");
      assert.equal((await llm.invoke(SEED)).text, SEED_ANSWER, "text");
    },
  },
  {
    name: "throttling rejects invoke with a retryable ThrottlingException 429",
    async run(ctx) {
      const error = await assert.rejects(llmFor(ctx, { model: "fault:throttle", maxRetries: 0 }).invoke(SEED));
      assertBedrockError(ctx, error, { name: "ThrottlingException", status: 429, retryable: true });
      assert.type(error.requestId, "string", "requestId");
    },
  },
  {
    name: "throttling fails a stream on its first read",
    async run(ctx) {
      const { chunks, error } = await collectUntilError(llmFor(ctx, { model: "fault:throttle", maxRetries: 0 }).stream(SEED));
      assert.equal(chunks.length, 0, "chunks before the error");
      assertBedrockError(ctx, error, { name: "ThrottlingException", status: 429, retryable: true });
    },
  },
  {
    name: "validation error is a non-retryable ValidationException 400",
    async run(ctx) {
      const error = await assert.rejects(llmFor(ctx, { model: "fault:validation", maxRetries: 0 }).invoke(SEED));
      assertBedrockError(ctx, error, { name: "ValidationException", status: 400, retryable: false });
    },
  },
  {
    name: "exception frame mid-stream throws ModelStreamErrorException after the first text",
    async run(ctx) {
      const { chunks, error } = await collectUntilError(llmFor(ctx, { model: "fault:exception-midstream" }).stream(SEED));
      assert.ok(joinText(chunks).length > 0, "no text arrived before the exception");
      assertBedrockError(ctx, error, { name: "ModelStreamErrorException" });
    },
  },
  {
    name: "error frame mid-stream throws a BedrockError",
    async run(ctx) {
      const { error } = await collectUntilError(llmFor(ctx, { model: "fault:error-frame" }).stream(SEED));
      // The emulator sends an unmodelled `:message-type: error` frame with `:error-code` InternalFailure.
      assertBedrockError(ctx, error, { name: "InternalFailure" });
    },
  },
  {
    name: "error and exception frames keep the name they give: an :error-code with ':' and '#' is not cut",
    async run(ctx) {
      for (const [model, name, message] of [
        ["fault:error-frame:InternalFailure:retry#1", "InternalFailure:retry#1", "something broke"],
        ["fault:exception-midstream:modelStreamErrorException:v2", "ModelStreamErrorException:v2", "Model Stream Error"],
      ]) {
        await clearRequests(ctx);
        const { chunks, error } = await collectUntilError(llmFor(ctx, { model }).stream(SEED));
        const sent = await sentRequests(ctx);
        assert.deepEqual(sent.map((r) => [r.modelId, r.operation]), [[model, "ConverseStream"]], `${model}: requests`);
        assert.deepEqual(sent[0].body.messages, [{ role: "user", content: [{ text: "I love programming." }] }], `${model}: messages`);
        assertBedrockError(ctx, error, { name });
        assert.equal(error.message, message, `${model}: message`);
        assert.equal(joinText(chunks), "J'adore", `${model}: text before the frame`);
      }
    },
  },
  {
    name: "ConverseStream: a payload that is not JSON is an InvalidResponse in every event, messageStart and contentBlockStop too",
    async run(ctx) {
      for (const [event, text] of [
        ["messageStart", ""],
        ["contentBlockDelta", ""],
        ["contentBlockStop", SEED_ANSWER],
        ["messageStop", SEED_ANSWER],
        ["metadata", SEED_ANSWER],
      ]) {
        const model = `fault:bad-json:${event}`;
        await clearRequests(ctx);
        const { chunks, error } = await collectUntilError(llmFor(ctx, { model }).stream(SEED));
        const sent = await sentRequests(ctx);
        assert.deepEqual(sent.map((r) => [r.modelId, r.operation]), [[model, "ConverseStream"]], `${event}: requests`);
        assertBedrockError(ctx, error, { name: "InvalidResponse", retryable: false });
        assert.ok(error.message.startsWith(`${event} event payload is not valid: `), `${event}: ${error.message}`);
        assert.equal(joinText(chunks), text, `${event}: text before the error`);
        assert.ok(chunks.every((c) => !c.usage_metadata), `${event}: no final chunk`);
      }
    },
  },
  {
    name: "ChatAnthropicBedrock stream: a block event whose index is not a whole number is an InvalidResponse, no tool-call piece comes loose",
    async run(ctx) {
      const tool = { name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } };
      for (const [event, index] of [
        ["delta", "1.0"], ["delta", "-1"], ["delta", '"0"'], ["delta", "missing"], ["delta", "4294967296"],
        ["start", "0.0"], ["start", "missing"], ["stop", "-1"], ["stop", "missing"],
      ]) {
        const model = `fault:block-index:${event}:${index}`;
        const llm = new ctx.pkg.ChatAnthropicBedrock({ model, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS });
        await clearRequests(ctx);
        const { chunks, error } = await collectUntilError(llm.bindTools([tool], { toolChoice: "any" }).stream("What is the weather in Paris?"));
        const sent = await sentRequests(ctx);
        assert.deepEqual(sent.map((r) => [r.modelId, r.operation]), [[model, "InvokeModelWithResponseStream"]], `${model}: requests`);
        assert.deepEqual(sent[0].body.tools.map((t) => t.name), ["get_weather"], `${model}: tools`);
        assert.deepEqual(sent[0].body.tool_choice, { type: "any" }, `${model}: tool_choice`);
        assertBedrockError(ctx, error, { name: "InvalidResponse", retryable: false });
        assert.equal(error.message, `an Anthropic content_block_${event} event is not valid: its index is not a whole number`, model);
        const pieces = chunks.flatMap((c) => c.tool_call_chunks ?? []);
        assert.ok(pieces.every((p) => Number.isInteger(p.index)), `${model}: a tool-call piece without its index: ${JSON.stringify(pieces)}`);
        assert.ok(chunks.every((c) => !c.usage_metadata), `${model}: no final chunk`);
      }
    },
  },
  {
    name: "a connection cut mid-stream throws a retryable NetworkError after the first chunks",
    failsBodyMidRead: true,
    async run(ctx) {
      const { chunks, error } = await collectUntilError(llmFor(ctx, { model: "fault:cut" }).stream(SEED));
      assertBedrockError(ctx, error, { name: "NetworkError", retryable: true });
      assert.ok(chunks.every((c) => c.type === "AIMessageChunk"), "chunks before the cut");
    },
  },
  {
    name: "throttling mid-stream throws a retryable ThrottlingException 429 with the request id",
    async run(ctx) {
      const { chunks, error } = await collectUntilError(llmFor(ctx, { model: "fault:throttle-midstream" }).stream(SEED));
      assertBedrockError(ctx, error, { name: "ThrottlingException", status: 429, retryable: true });
      assert.ok(joinText(chunks).length > 0, "text before the exception");
      assert.equal(typeof error.requestId, "string", "requestId of the HTTP response");
    },
  },
  {
    name: "a 200 response that is not JSON rejects invoke with InvalidResponse",
    async run(ctx) {
      const error = await assert.rejects(llmFor(ctx, { model: "fault:not-json" }).invoke(SEED));
      assertBedrockError(ctx, error, { name: "InvalidResponse", retryable: false });
    },
  },
  {
    name: "403, 500 and 503 errors carry their AWS names, statuses and retryability",
    async run(ctx) {
      const expected = [
        ["fault:access-denied", "AccessDeniedException", 403, false],
        ["fault:internal", "InternalServerException", 500, true],
        ["fault:unavailable", "ServiceUnavailableException", 503, true],
      ];
      for (const [model, name, status, retryable] of expected) {
        const error = await assert.rejects(llmFor(ctx, { model, maxRetries: 0 }).invoke(SEED));
        assertBedrockError(ctx, error, { name, status, retryable });
      }
    },
  },
  {
    name: "a stream truncated mid-frame throws IncompleteStream",
    async run(ctx) {
      const { error } = await collectUntilError(llmFor(ctx, { model: "fault:truncated" }).stream(SEED));
      assertBedrockError(ctx, error, { name: "IncompleteStream" });
    },
  },
  {
    name: "a frame with a bad CRC throws InvalidEventStream",
    async run(ctx) {
      const { error } = await collectUntilError(llmFor(ctx, { model: "fault:bad-crc" }).stream(SEED));
      assertBedrockError(ctx, error, { name: "InvalidEventStream" });
    },
  },
  {
    name: "odd network chunking still yields the whole text",
    async run(ctx) {
      const chunks = await collect(llmFor(ctx, { model: "fault:odd-chunks" }).stream(SEED));
      assert.equal(joinText(chunks), SEED_ANSWER, "streamed text");
    },
  },
  {
    name: "a wrong secret key is rejected with InvalidSignatureException 403, secret not echoed",
    async run(ctx) {
      const llm = llmFor(ctx, { credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: WRONG_SECRET } });
      const error = await assert.rejects(llm.invoke(SEED));
      assertBedrockError(ctx, error, { name: "InvalidSignatureException", status: 403, retryable: false });
      assertSecretsAbsent(errorText(error), "the error");
    },
  },
  {
    name: "bad input throws a TypeError before any request",
    async run(ctx) {
      const llm = llmFor(ctx);
      await clearRequests(ctx);
      const notArray = await assert.rejects(llm.invoke({ role: "user", content: "hi" }), "invoke(object)");
      assert.ok(notArray instanceof TypeError, `invoke(object): ${notArray?.name}`);
      const number = await assert.rejects(llm.invoke(42), "invoke(42)");
      assert.ok(number instanceof TypeError, `invoke(42): ${number?.name}`);
      const badRole = await assert.rejects(llm.invoke([["wizard", "hi"]]), "invoke(unknown role)");
      assert.ok(badRole instanceof TypeError, `unknown role: ${badRole?.name}`);
      const streamNotArray = assert.throws(() => llm.stream({ role: "user" }), "stream(object)");
      assert.ok(streamNotArray instanceof TypeError, `stream(object): ${streamNotArray?.name}`);
      const streamBadRole = assert.throws(() => llm.stream([["wizard", "hi"]]), "stream(unknown role)");
      assert.ok(streamBadRole instanceof TypeError, `stream unknown role: ${streamBadRole?.name}`);
      const noModel = assert.throws(
        () => new ctx.pkg.ChatBedrockConverse({ region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS }),
        "constructor without model",
      );
      assert.ok(noModel instanceof TypeError, `missing model: ${noModel?.name}`);
      assert.equal((await sentRequests(ctx)).length, 0, "requests sent");
    },
  },
  {
    name: "JSON.stringify(llm) is redacted",
    async run(ctx) {
      for (const credentials of [CREDENTIALS, TEMP_CREDENTIALS]) {
        const json = JSON.stringify(llmFor(ctx, { credentials }));
        assert.ok(json.includes(MODEL), "toJSON shows the model");
        assertSecretsAbsent(json, "JSON.stringify(llm)");
      }
      const fromEnv = llmFor(ctx, {
        credentials: undefined,
        env: { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey },
      });
      assertSecretsAbsent(JSON.stringify(fromEnv), "JSON.stringify(llm from env)");
    },
  },
  {
    name: "async credentials provider with a session token",
    async run(ctx) {
      let calls = 0;
      const llm = llmFor(ctx, { credentials: async () => (calls++, TEMP_CREDENTIALS) });
      await clearRequests(ctx);
      assert.equal((await llm.invoke(SEED)).text, SEED_ANSWER, "text");
      assert.ok(calls >= 1, "the provider was not called");
      const request = await lastRequest(ctx);
      assert.ok(request.headers["x-amz-security-token"], "no x-amz-security-token header");
      assert.ok(request.headers.authorization.includes("Credential=ASIAEMULATORTEMP/"), "signed with the temp key");
    },
  },
  {
    name: "region and credentials from an env object",
    async run(ctx) {
      const env = {
        AWS_REGION: "eu-west-3",
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      };
      const llm = new ctx.pkg.ChatBedrockConverse({ model: MODEL, endpoint: ctx.emulatorUrl, env });
      await clearRequests(ctx);
      assert.equal((await llm.invoke(SEED)).text, SEED_ANSWER, "text");
      const authorization = (await lastRequest(ctx)).headers.authorization;
      assert.ok(authorization.includes("/eu-west-3/bedrock/aws4_request"), `credential scope in ${authorization}`);
    },
  },
  {
    name: "a custom fetch option is used",
    async run(ctx) {
      const urls = [];
      const customFetch = (input, init) => {
        urls.push(typeof input === "string" ? input : input.url ?? String(input));
        return fetch(input, init);
      };
      const llm = llmFor(ctx, { fetch: customFetch });
      assert.equal((await llm.invoke(SEED)).text, SEED_ANSWER, "invoke text");
      assert.equal(joinText(await collect(llm.stream(SEED))), SEED_ANSWER, "stream text");
      assert.equal(urls.length, 2, "custom fetch calls");
      assert.ok(urls[0].endsWith("/converse") && urls[1].endsWith("/converse-stream"), `urls ${urls}`);
    },
  },
  {
    name: "each request carries its body's Content-Length and is not chunked (invoke and stream)",
    async run(ctx) {
      const llm = llmFor(ctx);
      await clearRequests(ctx);
      assert.equal((await llm.invoke(SEED)).text, SEED_ANSWER, "invoke text");
      assert.equal(joinText(await collect(llm.stream(SEED))), SEED_ANSWER, "stream text");
      const requests = await sentRequests(ctx);
      assert.equal(requests.length, 2, "requests sent");
      for (const { path, headers, bodyBytes } of requests) {
        assert.ok(bodyBytes > 0, `${path}: a body`);
        assert.equal(headers["content-length"], String(bodyBytes), `${path}: content-length`);
        assert.equal(headers["transfer-encoding"], undefined, `${path}: transfer-encoding`);
      }
    },
  },
  {
    name: "a failed fetch is a BedrockError NetworkError, never a bare TypeError",
    async run(ctx) {
      const thrown = new TypeError("fetch failed");
      const failingFetch = () => Promise.reject(thrown);
      const fromCustom = await assert.rejects(llmFor(ctx, { fetch: failingFetch, maxRetries: 0 }).invoke(SEED));
      assertBedrockError(ctx, fromCustom, { name: "NetworkError" });
      assert.ok(fromCustom.cause === thrown, "the error's cause is what fetch threw");
      const refused = await assert.rejects(llmFor(ctx, { endpoint: "http://127.0.0.1:1", maxRetries: 0 }).invoke(SEED));
      assertBedrockError(ctx, refused, { name: "NetworkError" });
    },
  },
  {
    name: "aborting mid-stream throws AbortError",
    failsBodyMidRead: true,
    async run(ctx) {
      const controller = new AbortController();
      const stream = llmFor(ctx, { model: "fault:slow-drip:100" }).stream(SEED, { signal: controller.signal });
      const chunks = [];
      const error = await assert.rejects(
        (async () => {
          for await (const chunk of stream) {
            chunks.push(chunk);
            if (chunk.text) controller.abort();
          }
        })(),
        "iteration after abort",
      );
      assert.ok(chunks.length >= 1, "no chunk before the abort");
      assertBedrockError(ctx, error, { name: "AbortError" });
    },
  },
  {
    name: "an already aborted signal rejects invoke with AbortError",
    async run(ctx) {
      const error = await assert.rejects(llmFor(ctx).invoke(SEED, { signal: AbortSignal.abort() }));
      assertBedrockError(ctx, error, { name: "AbortError" });
    },
  },
  {
    name: "breaking out of for-await cancels the stream",
    async run(ctx) {
      const stream = llmFor(ctx, { model: "fault:slow-drip:150" }).stream(SEED);
      let seen = 0;
      for await (const chunk of stream) {
        if (chunk.text) seen += 1;
        if (seen === 1) break;
      }
      assert.equal(seen, 1, "text chunks seen");
      assert.ok(stream.locked === false, "the stream is released after break");
    },
  },
  // ----- edge helpers: toSSE and toTextStream as Response bodies -----------------------------------
  {
    name: "toTextStream: the seed example as a UTF-8 Response body",
    async run(ctx) {
      await clearRequests(ctx);
      const response = new Response(ctx.pkg.toTextStream(llmFor(ctx).stream(SEED)), {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
      const reader = response.body.getReader();
      const parts = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        assert.ok(value instanceof Uint8Array, `body chunk is a ${value?.constructor?.name}, not a Uint8Array`);
        parts.push(value);
      }
      assert.ok(parts.length >= 2, `expected the text in several pieces, got ${parts.length}`);
      const text = new TextDecoder().decode(concatBytes(parts));
      assert.equal(text, SEED_ANSWER, "body text");
      await assertSeedStreamRequest(ctx, MODEL);
    },
  },
  {
    name: "toSSE: one chunk event per chunk, usage and metadata on the last, then end",
    async run(ctx) {
      const llm = llmFor(ctx);
      const direct = await collect(llm.stream(SEED));
      await clearRequests(ctx);
      const body = await new Response(ctx.pkg.toSSE(llm.stream(SEED))).text();
      assert.ok(/^(event: (chunk|end)\ndata: [^\n]*\n\n)+$/.test(body), `not one-line events: ${JSON.stringify(body.slice(0, 300))}`);
      const events = parseSSE(body);
      assert.equal(events.at(-1).event, "end", "last event");
      assert.deepEqual(events.at(-1).data, {}, "end data");
      const chunks = events.slice(0, -1).map(({ event, data }) => {
        assert.equal(event, "chunk", "event name before end");
        assert.equal(data.type, "AIMessageChunk", "chunk.type");
        return data;
      });
      assert.equal(joinText(chunks), SEED_ANSWER, "joined text");
      assert.deepEqual(chunks.map((c) => c.text), direct.map((c) => c.text), "chunk texts as llm.stream gives them");
      assert.deepEqual(chunks.map((c) => c.content), direct.map((c) => c.content), "chunk content as llm.stream gives it");
      const last = chunks.at(-1);
      assertUsage(last.usage_metadata, "last chunk event");
      assert.equal(last.response_metadata?.stopReason, "end_turn", "last chunk stopReason");
      assert.type(last.response_metadata?.ResponseMetadata?.RequestId, "string", "last chunk RequestId");
      assert.ok(chunks.slice(0, -1).every((c) => c.usage_metadata === undefined), "usage only on the last chunk");
      const full = chunks.reduce(ctx.pkg.concat);
      assert.equal(full.text, SEED_ANSWER, "concat of the parsed chunks");
      await assertSeedStreamRequest(ctx, MODEL);
    },
  },
  {
    name: "toSSE: an exception mid-stream ends with an error event (BedrockError name, no stack, no secret)",
    async run(ctx) {
      const model = "fault:exception-midstream";
      await clearRequests(ctx);
      const logged = [];
      const body = await new Response(
        ctx.pkg.toSSE(llmFor(ctx, { model }).stream(SEED), { onError: (error) => logged.push(error) }),
      ).text();
      const events = parseSSE(body);
      const last = events.at(-1);
      assert.equal(last.event, "error", "last event");
      assert.ok(!events.some((e) => e.event === "end"), "an end event after a failure");
      assert.ok(joinText(events.filter((e) => e.event === "chunk").map((e) => e.data)).length > 0, "text before the error");
      assert.equal(last.data.name, "ModelStreamErrorException", "error name");
      assert.type(last.data.message, "string", "error message");
      assert.equal(last.data.retryable, false, "error retryable");
      for (const key of Object.keys(last.data)) {
        assert.ok(["name", "message", "status", "retryable", "requestId"].includes(key), `unexpected error field ${key}`);
      }
      assert.ok(!/\bat [^\n]*:\d+:\d+/.test(body), "a stack trace in the body");
      assertSecretsAbsent(body, "the SSE body");
      assert.equal(logged.length, 1, "onError calls");
      assertBedrockError(ctx, logged[0], { name: "ModelStreamErrorException" });
      await assertSeedStreamRequest(ctx, model);

      // AWS's signature error quotes the signed session token; the error event must not.
      const wrong = llmFor(ctx, { credentials: { ...TEMP_CREDENTIALS, secretAccessKey: WRONG_SECRET }, maxRetries: 0 });
      const denied = await new Response(ctx.pkg.toSSE(wrong.stream(SEED))).text();
      const deniedEvents = parseSSE(denied);
      assert.deepEqual(deniedEvents.map((e) => e.event), ["error"], "events for a refused signature");
      assert.equal(deniedEvents[0].data.name, "InvalidSignatureException", "error name");
      assert.equal(deniedEvents[0].data.status, 403, "error status");
      assertSecretsAbsent(denied, "the SSE body of a signature error");

      // errorMessage: the client reads that text, not AWS's; the log still gets the whole error.
      const seen = [];
      const generic = "The model could not answer.";
      const hidden = await new Response(ctx.pkg.toSSE(wrong.stream(SEED), { errorMessage: generic, onError: (e) => seen.push(e) })).text();
      const [hiddenEvent] = parseSSE(hidden);
      assert.deepEqual([hiddenEvent.event, hiddenEvent.data.name, hiddenEvent.data.message, hiddenEvent.data.status], ["error", "InvalidSignatureException", generic, 403], "generic error event");
      assert.type(hiddenEvent.data.requestId, "string", "request id kept");
      assert.ok(!hidden.includes("Canonical") && seen[0].message.includes("Canonical"), "AWS's words only in the log");
      assert.throws(() => ctx.pkg.toSSE(wrong.stream(SEED), { errorMessage: 5 }), "errorMessage must be a string");
    },
  },
  {
    name: "toSSE and toTextStream: a client that cancels the body mid-stream cancels the Bedrock call",
    async run(ctx) {
      const model = "fault:slow-drip:200";
      for (const helper of ["toSSE", "toTextStream"]) {
        await clearRequests(ctx);
        const body = new Response(ctx.pkg[helper](llmFor(ctx, { model }).stream(SEED))).body;
        const reader = body.getReader();
        const first = await reader.read();
        assert.ok(!first.done && first.value.length > 0, `${helper}: no bytes before the cancel`);
        const openBefore = await openResponses(ctx);
        assert.ok(openBefore >= 1, `${helper}: the emulator shows no open response mid-stream (${openBefore})`);
        const cancelledAt = Date.now();
        await reader.cancel();
        const open = await openResponsesAfter(ctx, 2000);
        assert.equal(open, 0, `${helper}: GET /_emulator/connections open after the cancel`);
        // The first text comes with frame 2 of 9, so the emulator would send for 1,400 ms more.
        const ms = Date.now() - cancelledAt;
        assert.ok(ms < 1000, `${helper}: the response closed ${ms} ms after the cancel, as if the stream had run to its end`);
        const requests = await sentRequests(ctx);
        assert.equal(requests.length, 1, `${helper}: requests sent`);
        assert.equal(requests[0].modelId, model, `${helper}: model id`);
        assert.ok(requests[0].path.endsWith("/converse-stream"), `${helper}: path ${requests[0].path}`);
      }
    },
  },
  {
    name: "toSSE and toTextStream: any (async) iterable or a promise of one; bad input is a TypeError",
    async run(ctx) {
      const { toSSE, toTextStream } = ctx.pkg;
      async function* pieces() {
        yield { text: "a" };
        yield "b";
        yield { content: [] };
        yield { text: "c" };
      }
      assert.equal(await new Response(toTextStream(pieces())).text(), "abc", "async generator");
      assert.equal(await new Response(toTextStream(Promise.resolve([{ text: "x" }, "y"]))).text(), "xy", "promise of an array");
      assert.deepEqual(parseSSE(await new Response(toSSE([{ text: "q" }])).text()),
        [{ event: "chunk", data: { text: "q" } }, { event: "end", data: {} }], "array to SSE");
      const rejected = parseSSE(await new Response(toSSE(Promise.reject(new Error("no model")))).text());
      assert.deepEqual(rejected, [{ event: "error", data: { name: "Error", message: "no model", retryable: false } }], "rejected promise");
      for (const bad of ["text", 42, null, { text: "x" }]) {
        assert.ok(assert.throws(() => toSSE(bad), `toSSE(${JSON.stringify(bad)})`) instanceof TypeError, "toSSE TypeError");
        assert.ok(assert.throws(() => toTextStream(bad), `toTextStream(${JSON.stringify(bad)})`) instanceof TypeError, "toTextStream TypeError");
      }
      // A chunk JSON cannot encode is an error event, and the source is released.
      let closed = false;
      async function* unencodable() {
        try {
          yield { text: "a" };
          yield { text: "b", size: 1n };
          yield { text: "c" };
        } finally {
          closed = true;
        }
      }
      const unencoded = parseSSE(await new Response(toSSE(unencodable())).text());
      assert.deepEqual(unencoded.map((e) => e.event), ["chunk", "error"], "events for an unencodable chunk");
      assert.equal(unencoded[1].data.name, "TypeError", "error name for an unencodable chunk");
      assert.ok(closed, "the source was not released after the failure");
      // Pull-driven: one read takes one chunk from the source, not the whole source.
      let pulled = 0;
      async function* counted() {
        for (let i = 0; i < 100; i++) {
          pulled += 1;
          yield { text: `${i} ` };
        }
      }
      for (const helper of [toSSE, toTextStream]) {
        pulled = 0;
        const counting = helper(counted()).getReader();
        await counting.read();
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.ok(pulled <= 2, `${helper.name}: one read took ${pulled} chunks from the source`);
        await counting.cancel();
      }
      // Cancelling the body returns the iterator, so its `finally` runs (a generator's upstream is released).
      let released = false;
      async function* endless() {
        try {
          for (;;) yield { text: "." };
        } finally {
          released = true;
        }
      }
      const reader = toSSE(endless()).getReader();
      await reader.read();
      await reader.cancel();
      assert.ok(released, "the generator's finally did not run");
    },
  },
];

/** The events of a `text/event-stream` body: [{ event, data }] with `data` parsed as JSON. */
function parseSSE(body) {
  return body
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields = { event: "message", data: [] };
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        const [field, value] = colon < 0 ? [line, ""] : [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, "")];
        if (field === "event") fields.event = value;
        else if (field === "data") fields.data.push(value);
      }
      return { event: fields.event, data: JSON.parse(fields.data.join("\n")) };
    });
}

function concatBytes(parts) {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The model responses the emulator is still sending (GET /_emulator/connections `open`). */
async function openResponses(ctx) {
  const response = await fetch(`${ctx.emulatorUrl}/_emulator/connections`);
  return (await response.json()).open;
}

/** Polls `open` until it is 0 or `ms` pass; returns the last count. */
async function openResponsesAfter(ctx, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await openResponses(ctx);
    if (open === 0 || Date.now() >= deadline) return open;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The one request of a seed stream: ConverseStream for `model` with the seed's system and message. */
async function assertSeedStreamRequest(ctx, model) {
  const requests = await sentRequests(ctx);
  assert.equal(requests.length, 1, "requests sent");
  const [request] = requests;
  assert.equal(request.modelId, model, "model id the emulator saw");
  assert.ok(request.path.endsWith("/converse-stream"), `path ${request.path}`);
  assert.deepEqual(request.body.system, [{ text: SYSTEM }], "system");
  assert.deepEqual(request.body.messages, [{ role: "user", content: [{ text: "I love programming." }] }], "messages");
}

/** One case per replayable converse-stream recording, from the list the runner passes in. */
function replayCases(recordings) {
  return recordings.map(({ model, text, toolCalls, reasoning, signatures }) => ({
    name: `replay ${model}`,
    async run(ctx) {
      const chunks = await collect(llmFor(ctx, { model }).stream(SEED));
      assert.ok(chunks.length > 0, "no chunks");
      assert.equal(joinText(chunks), text, "streamed text");
      assert.noKeyDeep(chunks, "p");
      const full = chunks.reduce(ctx.pkg.concat);
      assert.noKeyDeep(full, "p");
      assert.equal(full.text, text, "folded text");
      assert.deepEqual(full.tool_calls, toolCalls, "folded tool calls");
      assert.deepEqual(full.invalid_tool_calls, [], "invalid tool calls");
      const blocks = full.contentBlocks;
      assert.equal(blocks.filter((b) => b.type === "reasoning").map((b) => b.reasoning).join(""), reasoning, "reasoning");
      assert.deepEqual(blocks.map((b) => b.extras?.signature).filter(Boolean), signatures, "signatures");
      assert.deepEqual(blocks.filter((b) => b.type === "tool_call"), toolCalls, "tool_call content blocks");
    },
  }));
}

/** All cases for this run: the fixed ones plus one per recording. */
export function allCases(ctx) {
  return [...cases, ...replayCases(ctx.recordings ?? [])];
}

/**
 * Runs every case in order; returns [{ name, ok, error?, ms }]. Used by workerd and Chromium;
 * see runCaseList in suite-helpers.mjs.
 */
export function runCases(ctx, only) {
  return runCaseList(ctx, allCases(ctx), only);
}
