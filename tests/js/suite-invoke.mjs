// End-to-end cases for ChatBedrock and ChatAnthropicBedrock (InvokeModel and
// InvokeModelWithResponseStream), run in Node, workerd and Chromium next to the other suites.
// Web-standard globals only. Every case checks the request the emulator received and what came
// back. The runner supplies `ctx`: { pkg, emulatorUrl, invokeRecordings, runtime }, where
// `invokeRecordings` is loadInvokeRecordings() of recordings.mjs (text and token counts read
// straight from each recorded invoke reply or stream).
import * as assert from "./assert.mjs";
import {
  CREDENTIALS,
  SYSTEM,
  SEED,
  SEED_ANSWER,
  WRONG_SECRET,
  assertBedrockError,
  assertUsage,
  clearRequests,
  collect,
  collectUntilError,
  failure,
  joinText,
  llmFor,
  runCaseList,
  sentRequests,
} from "./suite-helpers.mjs";

const CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";
const PROFILE_ARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mi1dadi0g15f";
const USER = "I love programming.";

/** ChatBedrock against the emulator. */
const bedrockFor = (ctx, options) =>
  new ctx.pkg.ChatBedrock({ region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS, ...options });

/** ChatAnthropicBedrock against the emulator. */
const anthropicFor = (ctx, options = {}) =>
  new ctx.pkg.ChatAnthropicBedrock({
    model: CLAUDE, region: "us-east-1", endpoint: ctx.emulatorUrl, credentials: CREDENTIALS, ...options,
  });

/** Each provider: a model id, the native body the seed conversation must make, its stop reason. */
const PROVIDERS = [
  {
    provider: "anthropic",
    model: CLAUDE,
    stop: "end_turn",
    body: (body) => {
      assert.equal(body.anthropic_version, "bedrock-2023-05-31", "anthropic_version");
      assert.deepEqual(body.system, [{ type: "text", text: SYSTEM }], "system");
      assert.deepEqual(body.messages, [{ role: "user", content: [{ type: "text", text: USER }] }], "messages");
      assert.equal(body.max_tokens, 1024, "max_tokens (default)");
    },
  },
  {
    provider: "nova",
    model: "us.amazon.nova-lite-v1:0",
    stop: "end_turn",
    body: (body) => {
      assert.equal(body.schemaVersion, "messages-v1", "schemaVersion");
      assert.deepEqual(body.system, [{ text: SYSTEM }], "system");
      assert.deepEqual(body.messages, [{ role: "user", content: [{ text: USER }] }], "messages");
    },
  },
  {
    provider: "titan",
    model: "amazon.titan-text-express-v1",
    stop: "FINISH",
    body: (body) => assert.equal(body.inputText, `${SYSTEM}\n\nUser: ${USER}\nBot:`, "inputText"),
  },
  {
    provider: "meta",
    model: "meta.llama3-8b-instruct-v1:0",
    stop: "stop",
    body: (body) =>
      assert.equal(
        body.prompt,
        `<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n${SYSTEM}<|eot_id|>` +
          `<|start_header_id|>user<|end_header_id|>\n\n${USER}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`,
        "prompt",
      ),
  },
  {
    provider: "mistral",
    model: "mistral.mistral-7b-instruct-v0:2",
    stop: "stop",
    body: (body) => assert.equal(body.prompt, `<s>[INST] ${SYSTEM}\n\n${USER} [/INST]`, "prompt"),
  },
  {
    provider: "mistral",
    model: "mistral.mistral-large-2407-v1:0",
    stop: "stop",
    body: (body) =>
      assert.deepEqual(body.messages, [{ role: "system", content: SYSTEM }, { role: "user", content: USER }], "messages"),
  },
  {
    provider: "cohere",
    model: "cohere.command-r-v1:0",
    stop: "COMPLETE",
    body: (body) => {
      assert.equal(body.message, USER, "message");
      assert.equal(body.preamble, SYSTEM, "preamble");
    },
  },
  {
    provider: "ai21",
    model: "ai21.jamba-1-5-mini-v1:0",
    stop: "stop",
    body: (body) =>
      assert.deepEqual(body.messages, [{ role: "system", content: SYSTEM }, { role: "user", content: USER }], "messages"),
  },
];

/** The one request the emulator saw since clearRequests, checked for its operation. */
async function onlyRequest(ctx, model, operation) {
  const requests = await sentRequests(ctx);
  assert.equal(requests.length, 1, "requests the emulator saw");
  const [request] = requests;
  const path = `/model/${encodeURIComponent(model)}/${operation}`;
  assert.equal(request.path, path, "request path");
  return request;
}

/** Asserts that the emulator saw no request since clearRequests. */
async function assertNothingSent(ctx, what) {
  assert.equal((await sentRequests(ctx)).length, 0, `${what}: requests the emulator saw`);
}

const providerCases = PROVIDERS.map(({ provider, model, stop, body }) => ({
  name: `ChatBedrock ${model}: native body, invoke and stream give the seed answer, usage, stop_reason, model_id`,
  async run(ctx) {
    const llm = bedrockFor(ctx, { model });
    assert.equal(llm.provider, provider, "provider inferred from the id");
    await clearRequests(ctx);
    const message = await llm.invoke(SEED);
    const request = await onlyRequest(ctx, model, "invoke");
    body(request.body);
    assert.equal(request.headers["content-type"], "application/json", "content-type");
    assert.equal(message.content, SEED_ANSWER, "invoke content");
    assert.equal(message.text, SEED_ANSWER, "invoke text");
    assertUsage(message.usage_metadata, "invoke");
    assert.equal(message.response_metadata.stop_reason, stop, "invoke stop_reason");
    assert.equal(message.response_metadata.model_id, model, "invoke model_id");
    assert.equal(message.response_metadata.ResponseMetadata.HTTPStatusCode, 200, "HTTPStatusCode");

    await clearRequests(ctx);
    const chunks = await collect(llm.stream(SEED));
    const streamed = await onlyRequest(ctx, model, "invoke-with-response-stream");
    body(streamed.body);
    assert.equal(streamed.headers["x-amzn-bedrock-accept"], "application/json", "x-amzn-bedrock-accept");
    assert.ok(chunks.filter((c) => c.text).length >= 2, "several text chunks");
    assert.equal(joinText(chunks), SEED_ANSWER, "streamed text");
    const last = chunks.at(-1);
    assertUsage(last.usage_metadata, "last chunk");
    assert.deepEqual(last.usage_metadata, message.usage_metadata, "stream usage equals invoke usage");
    assert.equal(last.response_metadata.stop_reason, stop, "stream stop_reason");
    assert.equal(last.response_metadata.model_id, model, "stream model_id");
    const full = chunks.reduce(ctx.pkg.concat);
    assert.equal(full.text, message.text, "concat text equals invoke");
    assert.deepEqual(full.contentBlocks, message.contentBlocks, "concat contentBlocks equal invoke");
    assert.noKeyDeep(chunks, "p");
  },
}));

export const cases = [
  ...providerCases,
  {
    name: "ChatBedrock: the provider option for profile ARNs; an id no provider matches is a TypeError listing them",
    async run(ctx) {
      const llm = bedrockFor(ctx, { model: PROFILE_ARN, provider: "meta" });
      assert.equal(llm.provider, "meta", "provider");
      await clearRequests(ctx);
      const message = await llm.invoke([["human", "Hello there"]]);
      const request = await onlyRequest(ctx, PROFILE_ARN, "invoke");
      assert.ok(request.body.prompt.startsWith("<|begin_of_text|>"), "a Llama prompt was sent");
      assert.equal(message.text, "Echo: Hello there", "reply");
      await clearRequests(ctx);
      for (const prefix of ["us.", "eu.", "apac.", "global."]) {
        assert.equal(bedrockFor(ctx, { model: `${prefix}anthropic.claude-sonnet-4-5-20250929-v1:0` }).provider, "anthropic", prefix);
      }
      const unknown = assert.throws(() => bedrockFor(ctx, { model: PROFILE_ARN }), "unknown provider");
      assert.ok(unknown instanceof TypeError, `expected a TypeError, got ${unknown?.name}`);
      for (const name of ["anthropic", "amazon", "meta", "mistral", "cohere", "ai21"]) {
        assert.ok(unknown.message.includes(name), `the error names ${name}: ${unknown.message}`);
      }
      const bad = assert.throws(() => bedrockFor(ctx, { model: CLAUDE, provider: "openai" }), "bad provider");
      assert.ok(bad instanceof TypeError && bad.message.startsWith("provider:"), bad.message);
      await assertNothingSent(ctx, "constructors");
    },
  },
  {
    name: "ChatBedrock: what a model cannot do is a TypeError and nothing is sent",
    async run(ctx) {
      const titan = bedrockFor(ctx, { model: "amazon.titan-text-express-v1" });
      const llama = bedrockFor(ctx, { model: "meta.llama3-8b-instruct-v1:0" });
      await clearRequests(ctx);
      const tools = await failure(() => titan.bindTools([{ name: "get_weather", schema: { type: "object" } }]).invoke("Hi"), "tools with Titan");
      assert.ok(tools instanceof TypeError, `tools: ${tools?.name}`);
      assert.ok(tools.message.startsWith("tools: Amazon Titan Text models take no tools"), tools.message);
      const image = [["human", [{ type: "text", text: "What is this?" }, { type: "image", mimeType: "image/png", data: "iVBORw0KGgo=" }]]];
      const images = await failure(() => llama.invoke(image), "images with Llama");
      assert.ok(images instanceof TypeError, `images: ${images?.name}`);
      assert.equal(images.message, "messages[0].content[1]: Meta Llama models take text only, not images", "images message");
      const streamed = assert.throws(() => llama.stream(image), "stream of images with Llama");
      assert.ok(streamed instanceof TypeError, "stream throws a TypeError at once");
      const topK = await failure(() => llama.invoke("Hi", { topK: 5 }), "topK with Llama");
      assert.ok(topK instanceof TypeError && topK.message.startsWith("topK:"), topK.message);
      const converseOnly = assert.throws(() => bedrockFor(ctx, { model: CLAUDE, guardrailConfig: { guardrailIdentifier: "g", guardrailVersion: "1" } }), "guardrailConfig");
      assert.ok(converseOnly instanceof TypeError && converseOnly.message.startsWith("`guardrailConfig` is not an option of ChatBedrock:"), converseOnly.message);
      const jsonSchema = assert.throws(() => anthropicFor(ctx).withStructuredOutput({ type: "object" }, { method: "jsonSchema" }), "jsonSchema method");
      assert.ok(jsonSchema instanceof TypeError, "jsonSchema is a TypeError");
      await assertNothingSent(ctx, "refused calls");
    },
  },
  {
    name: "ChatBedrock: modelKwargs merge into the native body, per-call options override the model's",
    async run(ctx) {
      const llm = bedrockFor(ctx, { model: "meta.llama3-8b-instruct-v1:0", temperature: 0.2, maxTokens: 50, modelKwargs: { top_p: 0.5 } });
      await clearRequests(ctx);
      await llm.invoke("one two three", { temperature: 0.9 });
      const { body } = await onlyRequest(ctx, "meta.llama3-8b-instruct-v1:0", "invoke");
      assert.equal(body.temperature, 0.9, "per-call temperature");
      assert.equal(body.max_gen_len, 50, "max_gen_len from maxTokens");
      assert.equal(body.top_p, 0.5, "modelKwargs member");
      await clearRequests(ctx);
      await llm.invoke("one two three");
      assert.equal((await onlyRequest(ctx, "meta.llama3-8b-instruct-v1:0", "invoke")).body.temperature, 0.2, "the model's temperature again");
      const json = JSON.parse(JSON.stringify(llm));
      assert.equal(json.provider, "meta", "toJSON provider");
      assert.ok(!JSON.stringify(json).includes(CREDENTIALS.secretAccessKey), "toJSON holds no secret");
    },
  },
  {
    name: "ChatAnthropicBedrock: topK, topP, stopSequences, betas and maxTokens in the Anthropic body",
    async run(ctx) {
      const llm = anthropicFor(ctx, { topK: 40, topP: 0.9, temperature: 0.3, maxTokens: 300, betas: ["token-efficient-tools-2025-02-19"] });
      await clearRequests(ctx);
      const message = await llm.invoke("Say one two three STOP four", { stopSequences: ["STOP"] });
      const { body } = await onlyRequest(ctx, CLAUDE, "invoke");
      assert.equal(body.top_k, 40, "top_k");
      assert.equal(body.top_p, 0.9, "top_p");
      assert.equal(body.temperature, 0.3, "temperature");
      assert.equal(body.max_tokens, 300, "max_tokens");
      assert.deepEqual(body.anthropic_beta, ["token-efficient-tools-2025-02-19"], "anthropic_beta");
      assert.deepEqual(body.stop_sequences, ["STOP"], "stop_sequences");
      assert.equal(message.response_metadata.stop_reason, "stop_sequence", "stop_reason");
      assert.equal(message.response_metadata.stop_sequence, "STOP", "stop_sequence");
      const other = assert.throws(() => anthropicFor(ctx, { provider: "meta" }), "provider other than anthropic");
      assert.ok(other instanceof TypeError, "a TypeError");
    },
  },
  {
    name: "ChatAnthropicBedrock: tools in any bindTools form; tool_calls from invoke equal the stream's",
    async run(ctx) {
      const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
      const llm = anthropicFor(ctx).bindTools([{ name: "get_weather", description: "Weather", input_schema: schema }], { toolChoice: "any" });
      await clearRequests(ctx);
      const message = await llm.invoke("What is the weather in Paris?");
      const { body } = await onlyRequest(ctx, CLAUDE, "invoke");
      assert.deepEqual(body.tools, [{ name: "get_weather", input_schema: schema, description: "Weather" }], "tools");
      assert.deepEqual(body.tool_choice, { type: "any" }, "tool_choice");
      assert.equal(message.tool_calls.length, 1, "tool_calls");
      assert.equal(message.tool_calls[0].name, "get_weather", "tool name");
      assert.deepEqual(message.tool_calls[0].args, { city: "city-value" }, "tool args");
      assert.ok(message.tool_calls[0].id.startsWith("toolu_"), "tool id");
      assert.equal(message.response_metadata.stop_reason, "tool_use", "stop_reason");
      const chunks = await collect(llm.stream("What is the weather in Paris?"));
      const starts = chunks.flatMap((c) => c.tool_call_chunks).filter((c) => c.name);
      assert.equal(starts.length, 1, "one tool_call_chunk names the tool");
      const full = chunks.reduce(ctx.pkg.concat);
      assert.deepEqual(full.tool_calls, message.tool_calls, "concat tool_calls equal invoke");
      // The round trip: the call and its result go back in Anthropic's format.
      await clearRequests(ctx);
      const answer = await llm.invoke([
        ["human", "What is the weather in Paris?"],
        message,
        { role: "tool", tool_call_id: message.tool_calls[0].id, content: "18 degrees" },
      ]);
      const sent = (await onlyRequest(ctx, CLAUDE, "invoke")).body.messages;
      assert.equal(sent[1].content.at(-1).type, "tool_use", "the call went back");
      assert.deepEqual(sent[2].content, [{ type: "tool_result", tool_use_id: message.tool_calls[0].id, content: [{ type: "text", text: "18 degrees" }] }], "the result");
      assert.equal(answer.text, "Tool results: 18 degrees", "reply to the result");
    },
  },
  {
    name: "ChatAnthropicBedrock: the peers' block forms in Anthropic's format; tool_calls win over tool_use blocks; guard_content is a TypeError",
    async run(ctx) {
      const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
      const pdf = btoa("%PDF-1.4\n%%EOF\n");
      const llm = anthropicFor(ctx).bindTools([{ name: "get_weather", input_schema: { type: "object" } }]);
      const input = [
        ["human", [
          { type: "text", text: "What is the weather in Paris?" },
          { type: "image", image: { format: "png", source: { bytes: Uint8Array.from(atob(png), (c) => c.charCodeAt(0)) } } },
          { type: "document", document: { format: "pdf", name: "report", source: { bytes: pdf } } },
        ]],
        {
          role: "ai",
          content: [
            { type: "tool_use", id: "toolu_edited", name: "get_weather", input: { city: "Rome" } },
            { type: "text", text: "Checking." },
          ],
          tool_calls: [{ id: "toolu_edited", name: "get_weather", args: { city: "Paris" } }],
        },
        ["human", [
          { type: "tool_result", tool_use_id: "toolu_edited", is_error: true, content: [{ type: "text", text: "No data" }] },
          { type: "text", text: "Here it is." },
        ]],
      ];
      for (const operation of ["invoke", "invoke-with-response-stream"]) {
        await clearRequests(ctx);
        const text = operation === "invoke" ? (await llm.invoke(input)).text : joinText(await collect(llm.stream(input)));
        const { messages } = (await onlyRequest(ctx, CLAUDE, operation)).body;
        assert.deepEqual(messages[0].content.slice(1), [
          { type: "image", source: { type: "base64", media_type: "image/png", data: png } },
          { type: "document", source: { type: "base64", media_type: "application/pdf", data: pdf }, title: "report" },
        ], `${operation}: image and document`);
        assert.deepEqual(messages[1].content, [
          { type: "tool_use", id: "toolu_edited", name: "get_weather", input: { city: "Paris" } },
          { type: "text", text: "Checking." },
        ], `${operation}: the tool call has its edited arguments`);
        assert.deepEqual(messages[2].content, [
          { type: "tool_result", tool_use_id: "toolu_edited", content: [{ type: "text", text: "No data" }], is_error: true },
          { type: "text", text: "Here it is." },
        ], `${operation}: the tool result`);
        assert.equal(text, "Tool results: No data (error)", `${operation}: reply`);
      }
      await clearRequests(ctx);
      for (const call of [() => anthropicFor(ctx).invoke([["human", [{ type: "guard_content", text: "x" }]]]),
        () => anthropicFor(ctx).stream([["human", ["Hi", { type: "guard_content", text: "x" }]]])]) {
        const error = await failure(call, "guard_content with an Anthropic model");
        assert.ok(error instanceof TypeError, `guard_content: ${error?.name}`);
        assert.ok(/^messages\[0\]: guardContent .*Anthropic models/.test(error.message), error.message);
      }
      await assertNothingSent(ctx, "guard_content");
    },
  },
  {
    name: "ChatAnthropicBedrock and ChatBedrock: trailing whitespace of a final AI message (prefill) is trimmed",
    async run(ctx) {
      const prefill = [["human", "Count to three."], ["ai", [{ type: "text", text: "One, " }, { type: "text", text: "two \n " }]]];
      for (const operation of ["invoke", "invoke-with-response-stream"]) {
        await clearRequests(ctx);
        const llm = anthropicFor(ctx);
        const text = operation === "invoke" ? (await llm.invoke(prefill)).text : joinText(await collect(llm.stream(prefill)));
        const { messages } = (await onlyRequest(ctx, CLAUDE, operation)).body;
        assert.deepEqual(messages[1], { role: "assistant", content: [{ type: "text", text: "One, " }, { type: "text", text: "two" }] }, `${operation}: prefill`);
        assert.equal(text, "Echo: Count to three.", `${operation}: reply`);
      }
      const nova = "us.amazon.nova-lite-v1:0";
      await clearRequests(ctx);
      await bedrockFor(ctx, { model: nova }).invoke([["human", "Count to three."], ["ai", "One, two  "]]);
      assert.deepEqual((await onlyRequest(ctx, nova, "invoke")).body.messages[1], { role: "assistant", content: [{ text: "One, two" }] }, "Nova prefill");
      const llama = "meta.llama3-8b-instruct-v1:0";
      await clearRequests(ctx);
      await bedrockFor(ctx, { model: llama }).invoke([["human", "Count to three."], ["ai", "One, two \n"]]);
      assert.ok((await onlyRequest(ctx, llama, "invoke")).body.prompt.endsWith("One, two"), "Llama prompt ends with the trimmed prefill");
    },
  },
  {
    name: "ChatBedrock Nova: tool calls from toolConfig, in invoke and stream",
    async run(ctx) {
      const model = "amazon.nova-lite-v1:0";
      const llm = bedrockFor(ctx, { model }).bindTools([{ name: "get_weather", schema: { type: "object", properties: { city: { type: "string" } } } }]);
      await clearRequests(ctx);
      const message = await llm.invoke("Use get_weather for Paris");
      const { body } = await onlyRequest(ctx, model, "invoke");
      assert.equal(body.toolConfig.tools[0].toolSpec.name, "get_weather", "toolConfig");
      assert.deepEqual(message.tool_calls.map((c) => [c.name, c.args]), [["get_weather", { city: "city-value" }]], "tool_calls");
      assert.equal(message.response_metadata.stop_reason, "tool_use", "stop_reason");
      const full = (await collect(llm.stream("Use get_weather for Paris"))).reduce(ctx.pkg.concat);
      assert.deepEqual(full.tool_calls.map((c) => [c.name, c.args]), [["get_weather", { city: "city-value" }]], "streamed tool_calls");
    },
  },
  {
    name: "ChatAnthropicBedrock: thinking gives a signed reasoning block that goes back unchanged",
    async run(ctx) {
      const llm = anthropicFor(ctx, { thinking: { type: "enabled", budget_tokens: 1024 }, maxTokens: 2048 });
      await clearRequests(ctx);
      const message = await llm.invoke("Why is the sky blue?");
      assert.deepEqual((await onlyRequest(ctx, CLAUDE, "invoke")).body.thinking, { type: "enabled", budget_tokens: 1024 }, "thinking");
      const reasoning = message.contentBlocks.find((b) => b.type === "reasoning");
      assert.equal(reasoning?.reasoning, "Thinking about: Why is the sky blue?", "reasoning text");
      assert.type(reasoning.extras?.signature, "string", "signature");
      const chunks = await collect(llm.stream("Why is the sky blue?"));
      const full = chunks.reduce(ctx.pkg.concat);
      assert.deepEqual(full.contentBlocks, message.contentBlocks, "concat equals invoke");
      await clearRequests(ctx);
      await llm.invoke([["human", "Why is the sky blue?"], full, ["human", "And at night?"]]);
      const sent = (await onlyRequest(ctx, CLAUDE, "invoke")).body.messages[1].content[0];
      assert.deepEqual(sent, { type: "thinking", thinking: reasoning.reasoning, signature: reasoning.extras.signature }, "thinking sent back");
    },
  },
  {
    name: "ChatAnthropicBedrock: cache_control on system, messages and tools; cache tokens in usage",
    async run(ctx) {
      await fetch(`${ctx.emulatorUrl}/_emulator/cache`, { method: "DELETE" }).then((r) => r.body?.cancel());
      const long = "Answer briefly and politely. ".repeat(20);
      const llm = anthropicFor(ctx).bindTools([{ name: "lookup", input_schema: { type: "object" }, cache_control: { type: "ephemeral" } }]);
      const messages = [
        ["system", [{ type: "text", text: long, cache_control: { type: "ephemeral" } }]],
        ["human", [{ type: "text", text: "Hello", cache_control: { type: "ephemeral", ttl: "1h" } }]],
      ];
      await clearRequests(ctx);
      const first = await llm.invoke(messages);
      const { body } = await onlyRequest(ctx, CLAUDE, "invoke");
      assert.deepEqual(body.system[0].cache_control, { type: "ephemeral" }, "system cache_control");
      assert.deepEqual(body.messages[0].content[0].cache_control, { type: "ephemeral", ttl: "1h" }, "message cache_control");
      assert.deepEqual(body.tools[0].cache_control, { type: "ephemeral" }, "tool cache_control");
      assert.ok(first.usage_metadata.input_token_details.cache_creation > 0, "first call writes the cache");
      const chunks = await collect(llm.stream(messages));
      const usage = chunks.at(-1).usage_metadata;
      assert.ok(usage.input_token_details.cache_read > 0, "second call reads the cache");
      assert.equal(usage.input_tokens, first.usage_metadata.input_tokens, "input_tokens count cached tokens");
    },
  },
  {
    name: "ChatAnthropicBedrock: a document with citations gives cited text blocks",
    async run(ctx) {
      const doc = { type: "text-plain", text: "The sky is blue. It is often cloudy.", title: "sky", citations: true };
      await clearRequests(ctx);
      const message = await anthropicFor(ctx).invoke([["human", [doc, { type: "text", text: "What colour is the sky?" }]]]);
      const { body } = await onlyRequest(ctx, CLAUDE, "invoke");
      assert.deepEqual(body.messages[0].content[0].citations, { enabled: true }, "citations enabled");
      const cited = message.contentBlocks.find((b) => b.annotations?.length);
      assert.equal(cited?.text, "According to the document, The sky is blue.", "cited text");
      assert.equal(cited.annotations[0].citedText, "The sky is blue.", "citedText");
      const full = (await collect(anthropicFor(ctx).stream([["human", [doc, { type: "text", text: "What colour is the sky?" }]]]))).reduce(ctx.pkg.concat);
      assert.deepEqual(full.contentBlocks, message.contentBlocks, "concat equals invoke");
    },
  },
  {
    name: "ChatAnthropicBedrock: withStructuredOutput through a forced tool",
    async run(ctx) {
      const schema = { type: "object", properties: { city: { type: "string" }, days: { type: "integer" } }, required: ["city"] };
      const structured = anthropicFor(ctx).withStructuredOutput(schema, { name: "forecast" });
      await clearRequests(ctx);
      const value = await structured.invoke("Forecast for Paris");
      const { body } = await onlyRequest(ctx, CLAUDE, "invoke");
      assert.deepEqual(body.tool_choice, { type: "tool", name: "forecast" }, "forced tool");
      assert.deepEqual(value, { city: "city-value", days: 42 }, "parsed value");
    },
  },
  {
    name: "every recorded invoke reply and stream maps to its recorded text and token counts",
    async run(ctx) {
      assert.ok(ctx.invokeRecordings.length >= 10, `expected the recorded invoke traffic, got ${ctx.invokeRecordings.length}`);
      for (const recording of ctx.invokeRecordings) {
        const llm = bedrockFor(ctx, { model: recording.model, provider: recording.provider });
        const message = recording.stream
          ? (await collect(llm.stream("Hello"))).reduce(ctx.pkg.concat)
          : await llm.invoke("Hello");
        const what = recording.model;
        assert.equal(message.text, recording.text, `${what}: text`);
        if (recording.usage) {
          assert.equal(message.usage_metadata?.input_tokens, recording.usage.input, `${what}: input_tokens`);
          assert.equal(message.usage_metadata?.output_tokens, recording.usage.output, `${what}: output_tokens`);
        }
        if (recording.toolCalls) {
          assert.deepEqual(message.tool_calls.map((c) => [c.name, c.args]), recording.toolCalls, `${what}: tool_calls`);
        }
      }
    },
  },
  {
    name: "ChatBedrock: retries, exception frames, aborts and redaction are Converse's",
    failsBodyMidRead: true,
    async run(ctx) {
      const llama = (model, options) => bedrockFor(ctx, { model, provider: "meta", ...options });
      const retried = await llama("fault:flaky:2:throttle").invoke("Hello again");
      assert.equal(retried.text, "Echo: Hello again", "retried reply");
      assert.equal(retried.response_metadata.ResponseMetadata.RetryAttempts, 2, "RetryAttempts");
      const { chunks, error } = await collectUntilError(llama("fault:exception-midstream").stream("one two three four five six"));
      assert.ok(chunks.length >= 1, "chunks before the exception frame arrive first");
      assertBedrockError(ctx, error, { name: "ModelStreamErrorException", status: 424 });
      const throttled = await failure(() => llama("fault:throttle", { maxRetries: 0 }).invoke("Hi"), "throttle");
      assertBedrockError(ctx, throttled, { name: "ThrottlingException", status: 429, retryable: true });
      const controller = new AbortController();
      const stream = llama("fault:slow-drip:200").stream("one two three", { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const aborted = await collectUntilError(stream);
      assert.equal(aborted.error?.name, "AbortError", "abort");
      const timedOut = await failure(() => llama("fault:slow-drip:300").invoke("Hi", { timeout: 100 }), "timeout");
      assert.equal(timedOut.name, "TimeoutError", "timeout");
      const denied = await failure(
        () => bedrockFor(ctx, { model: CLAUDE, credentials: { ...CREDENTIALS, secretAccessKey: WRONG_SECRET } }).invoke("Hi"),
        "wrong secret",
      );
      assertBedrockError(ctx, denied, { name: "InvalidSignatureException", status: 403 });
      assert.ok(!String(denied.message).includes(WRONG_SECRET), "the secret is redacted");
    },
  },
  {
    name: "the three classes take one set of options: unknown or misplaced ones are TypeErrors with nothing sent",
    async run(ctx) {
      await clearRequests(ctx);
      const classes = {
        ChatBedrockConverse: (options) => llmFor(ctx, options),
        ChatBedrock: (options) => bedrockFor(ctx, { model: CLAUDE, ...options }),
        ChatAnthropicBedrock: (options) => anthropicFor(ctx, options),
      };
      const refusedOption = (make, options, message, what) => {
        const error = assert.throws(() => make(options), what);
        assert.ok(error instanceof TypeError, `${what}: ${error?.name}`);
        assert.ok(error.message.includes(message), `${what}: ${error.message}`);
      };
      for (const [name, make] of Object.entries(classes)) {
        refusedOption(make, { temprature: 0.5 }, "unknown option `temprature`; did you mean `temperature`?", `${name} temprature`);
        refusedOption(make, { max_tokens: 5 }, "did you mean `maxTokens`?", `${name} max_tokens`);
        refusedOption(make, { callbacks: [] }, "unknown option `callbacks`", `${name} callbacks`);
        refusedOption(make, { signal: AbortSignal.timeout(1000) }, "`signal` is not a model option", `${name} signal`);
        const llm = make({});
        const call = await failure(() => llm.invoke("Hi", { temprature: 1 }), `${name} call temprature`);
        assert.ok(call instanceof TypeError && call.message.includes("unknown call option `temprature`; did you mean `temperature`?"), call.message);
        const region = await failure(() => llm.invoke("Hi", { region: "eu-west-1" }), `${name} call region`);
        assert.ok(region instanceof TypeError && region.message.includes("`region` is not a call option"), region.message);
        const streamed = assert.throws(() => llm.stream("Hi", { topk: 3 }), `${name} stream topk`);
        assert.ok(streamed instanceof TypeError && streamed.message.includes("did you mean `topK`?"), streamed.message);
      }
      for (const name of ["ChatBedrock", "ChatAnthropicBedrock"]) {
        for (const key of ["guardrailConfig", "additionalModelRequestFields", "outputConfig", "serviceTier"]) {
          const value = key === "serviceTier" ? "flex" : {};
          refusedOption(classes[name], { [key]: value }, `\`${key}\` is not an option of ${name}: it is a request member of ChatBedrockConverse`, `${name} ${key}`);
        }
      }
      refusedOption(classes.ChatBedrockConverse, { provider: "meta" }, "`provider` is not an option of ChatBedrockConverse: ChatBedrock takes it", "Converse provider");
      refusedOption(classes.ChatAnthropicBedrock, { provider: "meta" }, "provider must be \"anthropic\" on ChatAnthropicBedrock", "Anthropic provider");
      const nova = llmFor(ctx, { model: "us.amazon.nova-lite-v1:0", thinking: { type: "enabled", budget_tokens: 1024 } });
      const notAnthropic = await failure(() => nova.invoke("Hi"), "thinking on a Nova Converse model");
      assert.ok(notAnthropic instanceof TypeError && notAnthropic.message.startsWith("`thinking` is not an option of ChatBedrockConverse for this model"), notAnthropic.message);
      await assertNothingSent(ctx, "refused options");
    },
  },
  {
    name: "ChatBedrockConverse takes topK, thinking, betas and modelKwargs into additionalModelRequestFields for Anthropic models",
    async run(ctx) {
      await clearRequests(ctx);
      const llm = llmFor(ctx, {
        model: CLAUDE, topK: 5, betas: ["interleaved-thinking-2025-05-14"], modelKwargs: { custom: 1 },
        additionalModelRequestFields: { given: true },
      });
      const message = await llm.invoke(SEED, { thinking: { type: "enabled", budget_tokens: 1024 } });
      assert.equal(message.text, SEED_ANSWER, "answer");
      const { body } = await onlyRequest(ctx, CLAUDE, "converse");
      assert.deepEqual(body.additionalModelRequestFields, {
        given: true, custom: 1, top_k: 5, anthropic_beta: ["interleaved-thinking-2025-05-14"],
        thinking: { type: "enabled", budget_tokens: 1024 },
      }, "additionalModelRequestFields");
      assert.equal(body.topK, undefined, "no topK member of its own");
      await clearRequests(ctx);
      const nova = llmFor(ctx, { model: "us.amazon.nova-lite-v1:0", modelKwargs: { inferenceConfig: { topK: 20 } } });
      await nova.invoke(SEED);
      const sent = await onlyRequest(ctx, "us.amazon.nova-lite-v1:0", "converse");
      assert.deepEqual(sent.body.additionalModelRequestFields, { inferenceConfig: { topK: 20 } }, "modelKwargs for any model");
    },
  },
];

export function allCases() {
  return cases;
}

/** Runs the invoke cases in order (workerd and Chromium use runCaseList over all suites). */
export function runCases(ctx, only) {
  return runCaseList(ctx, allCases(ctx), only);
}
